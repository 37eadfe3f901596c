"""Sample submissions: the bundled class of the main job and the catalogue the tests grade.

Each sample is a set of answers for the release notebook's solution cells (grade id of
the solution cell to code, as a student would type it) and the scores it must get:
every autograded cell not listed in ``scores`` must get full marks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nbformat import NotebookNode

from autograder import notebooks


@dataclass(frozen=True)
class Sample:
    """A submission as answers to put into release/, with its expected outcome."""

    student: str
    answers: dict[str, str]
    mistake: str | None = None
    scores: dict[str, float] = field(default_factory=dict)
    blank: bool = False

    def notebook(self) -> NotebookNode:
        """The submitted notebook: release/ filled with the correct answers, then these."""
        return notebooks.fill({} if self.blank else {**notebooks.source_answers(), **self.answers})


def _code(text: str) -> str:
    return text.strip("\n")


LOOP_STYLE = Sample(
    "loop_style",
    {
        "t12_1_1_statements_solution": "statement_answers = [True, True, True, False]",
        "t12_1_2_deep_linear_forward_solution": _code("""
def deep_linear_forward(x, weights):
    out = list(x)
    for W in weights:
        out = [sum(W[i, j] * out[j] for j in range(len(out))) for i in range(W.shape[0])]
    return out[0]
"""),
        "t12_1_2_grad_W3_solution": _code("""
def grad_W3(x, y, W1, W2, W3):
    inner = np.dot(W2, np.dot(W1, x)).item()
    return 2 * (W3 * inner - y) * inner
"""),
        "t12_2a_count_parameters_solution": _code("""
def count_parameters(layer_sizes):
    total = 0
    for i in range(1, len(layer_sizes)):
        total += layer_sizes[i - 1] * layer_sizes[i] + layer_sizes[i]
    return total
"""),
        "t12_2b_sigmoid_solution": _code("""
def sigmoid(Z):
    out = np.empty(Z.shape)
    for index, z in np.ndenumerate(Z):
        out[index] = 1.0 / (1.0 + np.exp(-z))
    return out
"""),
        "t12_2b_forward_solution": _code("""
def forward(X, params):
    Z1 = np.einsum("nd,dh->nh", X, params["W1"]) + params["b1"]
    A1 = sigmoid(Z1)
    Z2 = np.dot(A1, params["W2"]) + params["b2"]
    A2 = sigmoid(Z2)
    return A2, {"X": X, "Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
"""),
        "t12_2c_cross_entropy_solution": _code("""
def cross_entropy(Y, Y_hat):
    eps = 1e-12
    total = 0.0
    for y, p in zip(Y[:, 0], np.clip(Y_hat[:, 0], eps, 1 - eps)):
        total += -(y * np.log(p) + (1 - y) * np.log(1 - p))
    return total / len(Y)
"""),
        "t12_2d_backward_solution": _code("""
def backward(X, Y, params, cache):
    n = len(X)
    grads = {"d" + name: np.zeros_like(value) for name, value in params.items()}
    for i in range(n):
        x, z1, a2 = cache["X"][i : i + 1], cache["Z1"][i : i + 1], cache["A2"][i : i + 1]
        a1 = sigmoid(z1)
        dz2 = (a2 - Y[i : i + 1]) / n
        grads["dW2"] += a1.T @ dz2
        grads["db2"] += dz2
        dz1 = (dz2 @ params["W2"].T) * sigmoid(z1) * (1 - sigmoid(z1))
        grads["dW1"] += x.T @ dz1
        grads["db1"] += dz1
    return grads
"""),
        "t12_2e_gd_step_solution": _code("""
def gd_step(params, grads, lr):
    new_params = {}
    for name in params:
        new_params[name] = params[name].copy()
        new_params[name] -= lr * grads["d" + name]
    return new_params
"""),
    },
)

#: One named mistake each; ``scores`` lists the cells that lose points (t12_2f when the
#: mistake also changes the student's own new_risk).
MISTAKEN: tuple[Sample, ...] = (
    Sample(
        "statement_2_wrong",
        {"t12_1_1_statements_solution": "statement_answers = (True, False, True, False)"},
        scores={"t12_1_1_statements": 3.0},
    ),
    Sample(
        "drops_last_layer",
        {
            "t12_1_2_deep_linear_forward_solution": _code("""
def deep_linear_forward(x, weights):
    out = x
    for W in weights[:-1]:
        out = W @ out
    return float(out[0])
""")
        },
        mistake="drops_last_layer",
        scores={"t12_1_2_deep_linear_forward": 0.0},
    ),
    Sample(
        "missing_factor_2",
        {
            "t12_1_2_grad_W3_solution": _code("""
def grad_W3(x, y, W1, W2, W3):
    h = float((W2 @ W1 @ x)[0])
    return -(y - W3 * h) * h
""")
        },
        mistake="missing_factor_2",
        scores={"t12_1_2_grad_W3": 0.0},
    ),
    Sample(
        "weights_only",
        {
            "t12_2a_count_parameters_solution": _code("""
def count_parameters(layer_sizes):
    return sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
""")
        },
        mistake="weights_only",
        scores={"t12_2a_count_parameters": 0.0},
    ),
    Sample(
        "sigmoid_sign",
        {
            "t12_2b_sigmoid_solution": _code("""
def sigmoid(Z):
    return 1 / (1 + np.exp(Z))
""")
        },
        mistake="wrong_sign",
        scores={"t12_2b_sigmoid": 0.0, "t12_2f_new_risk": 0.0},
    ),
    Sample(
        "forgot_bias",
        {
            "t12_2b_forward_solution": _code("""
def forward(X, params):
    Z1 = X @ params["W1"]
    A1 = sigmoid(Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
""")
        },
        mistake="forgot_bias",
        scores={"t12_2b_forward": 0.0, "t12_2f_new_risk": 0.0},
    ),
    Sample(
        "weights_transposed",
        {
            "t12_2b_forward_solution": _code("""
def forward(X, params):
    Z1 = X @ params["W1"].T + params["b1"]
    A1 = sigmoid(Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
""")
        },
        mistake="weights_transposed",
        scores={"t12_2b_forward": 0.0, "t12_2f_new_risk": 0.0},
    ),
    Sample(
        "sum_instead_of_mean",
        {
            "t12_2c_cross_entropy_solution": _code("""
def cross_entropy(Y, Y_hat):
    return float(-np.sum(Y * np.log(Y_hat) + (1 - Y) * np.log(1 - Y_hat)))
""")
        },
        mistake="sum_instead_of_mean",
        scores={"t12_2c_cross_entropy": 0.0, "t12_2f_new_risk": 0.0},
    ),
    Sample(
        "broadcast_n1_vs_n",
        {
            "t12_2c_cross_entropy_solution": _code("""
def cross_entropy(Y, Y_hat):
    Y_hat = Y_hat.ravel()
    return float(-np.mean(Y * np.log(Y_hat) + (1 - Y) * np.log(1 - Y_hat)))
""")
        },
        mistake="broadcast_n1_vs_n",
        scores={"t12_2c_cross_entropy": 0.0, "t12_2f_new_risk": 0.0},
    ),
    Sample(
        "transposed_dW1",
        {
            "t12_2d_backward_solution": _code("""
def backward(X, Y, params, cache):
    n = X.shape[0]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = (A2 - Y) / n
    dZ1 = (dZ2 @ params["W2"].T) * A1 * (1 - A1)
    return {
        "dW1": dZ1.T @ X,  # the sheet's Jacobian layout
        "db1": dZ1.sum(axis=0, keepdims=True),
        "dW2": A1.T @ dZ2,
        "db2": dZ2.sum(axis=0, keepdims=True),
    }
""")
        },
        mistake="transposed",
        scores={"t12_2d_backward": 0.0, "t12_2f_new_risk": 0.0},
    ),
    Sample(
        "missing_1_over_n",
        {
            "t12_2d_backward_solution": _code("""
def backward(X, Y, params, cache):
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dZ1 = (dZ2 @ params["W2"].T) * A1 * (1 - A1)
    return {
        "dW1": X.T @ dZ1,
        "db1": dZ1.sum(axis=0, keepdims=True),
        "dW2": A1.T @ dZ2,
        "db2": dZ2.sum(axis=0, keepdims=True),
    }
""")
        },
        mistake="missing_1_over_n",
        scores={"t12_2d_backward": 0.0, "t12_2f_new_risk": 0.0},
    ),
    Sample(
        "sigmoid_prime_at_Z",
        {
            "t12_2d_backward_solution": _code("""
def backward(X, Y, params, cache):
    n = X.shape[0]
    Z1, A1, A2 = cache["Z1"], cache["A1"], cache["A2"]
    dZ2 = (A2 - Y) / n
    dZ1 = (dZ2 @ params["W2"].T) * Z1 * (1 - Z1)
    return {
        "dW1": X.T @ dZ1,
        "db1": dZ1.sum(axis=0, keepdims=True),
        "dW2": A1.T @ dZ2,
        "db2": dZ2.sum(axis=0, keepdims=True),
    }
""")
        },
        mistake="sigmoid_prime_at_Z",
        scores={"t12_2d_backward": 0.0, "t12_2f_new_risk": 0.0},
    ),
    Sample(
        "gradient_ascent",
        {
            "t12_2e_gd_step_solution": _code("""
def gd_step(params, grads, lr):
    return {name: value + lr * grads["d" + name] for name, value in params.items()}
""")
        },
        mistake="gradient_ascent",
        scores={"t12_2e_gd_step": 0.0, "t12_2f_new_risk": 0.0},
    ),
    Sample(
        "mutates_inputs",
        {
            "t12_2e_gd_step_solution": _code("""
def gd_step(params, grads, lr):
    for name in params:
        params[name] -= lr * grads["d" + name]
    return params
""")
        },
        mistake="mutates_inputs",
        scores={"t12_2e_gd_step": 0.0},
    ),
    Sample(
        "rounded_new_risk",
        {"t12_2f_new_risk_solution": "new_risk = 0.585"},
        mistake="rounded",
        scores={"t12_2f_new_risk": 0.0},
    ),
)

_BY_NAME = {sample.student: sample for sample in MISTAKEN}

#: The main job's bundled class: a correct, a blank and two mistaken submissions.
BUNDLED: tuple[Sample, ...] = (
    Sample("correct", {}),
    Sample("blank", {}, blank=True),
    _BY_NAME["sum_instead_of_mean"],
    _BY_NAME["transposed_dW1"],
)
