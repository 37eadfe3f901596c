"""cross_entropy returns an object whose __array_ufunc__, __array_function__, __float__ and
__eq__ pretend it is the right answer: the cell still fails."""

EXPECTED = {"scores": {"t12_2c_cross_entropy": 0.0, "t12_2f_new_risk": 0.0}}


# %% t12_2c_cross_entropy_solution
class Sneaky:
    def __array_ufunc__(self, *args, **kwargs):
        return True
    def __array_function__(self, *args, **kwargs):
        return True
    def __float__(self):
        return 0.6964765384254519
    def __eq__(self, other):
        return True
def cross_entropy(Y, Y_hat):
    return Sneaky()
