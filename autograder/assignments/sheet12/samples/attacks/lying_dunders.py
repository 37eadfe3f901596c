"""Results whose __eq__, __sub__, __abs__ and __float__ lie (an int and an ndarray subclass),
with the self-check kit's comparison patched: both cells fail, the tampering is flagged."""

EXPECTED = {"scores": {"t12_2a_count_parameters": 0.0, "t12_2e_gd_step": 0.0, "t12_2f_new_risk": 0.0}, "flagged": True}


# %% t12_2a_count_parameters_solution
class Int(int):
    def __eq__(self, other):
        return True
    __hash__ = int.__hash__
def count_parameters(layer_sizes):
    return Int(6)


# %% t12_2e_gd_step_solution
import selfcheck_kit
selfcheck_kit.close = lambda got, expected: True
class Liar(np.ndarray):
    def __eq__(self, other):
        return np.ones(self.shape, dtype=bool)
    def __sub__(self, other):
        return np.zeros(self.shape)
    def __abs__(self):
        return np.zeros(self.shape)
    def __float__(self):
        return 0.0
def gd_step(params, grads, lr):
    return {k: (v + lr * grads["d" + k]).view(Liar) for k, v in params.items()}
