"""Puts a fake autograder package on sys.meta_path, a fake selfcheck in sys.modules and no-op
checks, around a forward without the output sigmoid: the cell fails, the tampering is flagged."""

EXPECTED = {"scores": {"t12_2b_forward": 0.0, "t12_2f_new_risk": 0.0}, "flagged": True}


# %% t12_2b_forward_solution
import importlib.abc, importlib.util, sys, types
class FakeAutograder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        return importlib.util.spec_from_loader(name, self) if name.split(".")[0] == "autograder" else None
    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__path__ = []
        module.grade = lambda *args, **kwargs: 100.0
        return module
    def exec_module(self, module):
        pass
sys.meta_path.insert(0, FakeAutograder())
fake = types.ModuleType("selfcheck")
sys.modules["selfcheck"] = fake
check_forward = check_backward = check_cross_entropy = check_gd_step = check_new_risk = lambda *a, **k: None
def forward(X, params):
    Z1 = X @ params["W1"] + params["b1"]
    A1 = sigmoid(Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    return Z2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": Z2}
