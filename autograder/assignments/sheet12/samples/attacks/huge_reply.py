"""Replaces the Jupyter comm's send (which the grader's helper in the kernel answers with) so that the
answer for new_risk becomes a 100 MB string, past what the kernel-side helper would send. The
grader never reads the message (over its 32 MiB limit): new_risk gets 0 with an "answer too large"
fault (and the tamper flag: its own self-check passed); the grader goes on with a new connection to the
same kernel and the rest keeps its points."""

EXPECTED = {"scores": {"t12_2f_new_risk": 0.0}, "flagged": True, "fault": "answer too large"}


# %% t12_2f_new_risk_solution
import comm.base_comm
_real_send = comm.base_comm.BaseComm.send
def _oversize(self, data=None, *args, **kwargs):
    if isinstance(data, dict) and data.get("value") == new_risk:
        data = {"value": "x" * 100_000_000}
    return _real_send(self, data, *args, **kwargs)
comm.base_comm.BaseComm.send = _oversize
Y_hat, cache = forward(X, params)
grads = backward(X, Y, params, cache)
new_params = gd_step(params, grads, lr=1.0)
new_risk = cross_entropy(Y, forward(X, new_params)[0])
