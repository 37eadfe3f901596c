"""Round three, item 6: right answers, but cross_entropy raises whenever the grader calls it (it
looks for the grader's helper on the stack). In the notebook every self-check passes and new_risk
is computed; the grader cannot take part f's step with the student's functions: cross_entropy and
part f are 0, and the submission is flagged for review."""

EXPECTED = {
    "scores": {"t12_2c_cross_entropy": 0.0, "t12_2f_new_risk": 0.0},
    "mistake": "rounded",
    "flagged": True,
}


# %% t12_2c_cross_entropy_solution
import inspect


def cross_entropy(Y, Y_hat):
    if any(type(frame.frame.f_locals.get("self")).__name__ == "Bridge" for frame in inspect.stack(0)):
        raise RuntimeError("not for the grader")
    Y_hat = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(Y * np.log(Y_hat) + (1 - Y) * np.log(1 - Y_hat)))
