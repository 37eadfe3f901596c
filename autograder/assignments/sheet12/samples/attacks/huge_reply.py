"""Replaces IPython's display (which the grader's helper in the kernel uses to answer) so that the
answer for new_risk becomes a 100 MB string, past what the kernel-side helper would send. The
grader never reads the message (over its 32 MiB limit): new_risk gets 0 with an "answer too large"
fault (and the tamper flag: its own self-check passed); the grader goes on with a new connection to the
same kernel and the rest keeps its points."""

EXPECTED = {"scores": {"t12_2f_new_risk": 0.0}, "flagged": True, "fault": "answer too large"}


# %% t12_2f_new_risk_solution
import IPython.display
_real_display = IPython.display.display
def _oversize(*objects, **options):
    if objects and isinstance(objects[0], dict):
        reply = next(iter(objects[0].values()), None)
        if isinstance(reply, dict) and reply.get("value") == new_risk:
            objects = ({key: {"value": "x" * 100_000_000} for key in objects[0]},)
    return _real_display(*objects, **options)
IPython.display.display = _oversize
Y_hat, cache = forward(X, params)
grads = backward(X, Y, params, cache)
new_params = gd_step(params, grads, lr=1.0)
new_risk = cross_entropy(Y, forward(X, new_params)[0])
