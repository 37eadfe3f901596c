"""Replaces ZeroMQ's send (which the grader's helper in the kernel answers with) so that the answer
for new_risk becomes a 100 MB frame, past what the kernel-side helper would send. The grader never
reads the frame (over its 32 MiB limit): new_risk gets 0 with an "answer too large" fault (and the
tamper flag: its own self-check passed); the helper's line connects again and the rest keeps its
points."""

EXPECTED = {"scores": {"t12_2f_new_risk": 0.0}, "flagged": True, "fault": "answer too large"}


# %% t12_2f_new_risk_solution
import zmq
_real_send = zmq.Socket.send
def _oversize(self, data, *args, **kwargs):
    if isinstance(data, bytes) and data.endswith(b'"answer": {"value": ' + repr(new_risk).encode() + b"}}"):
        data = b"x" * 100_000_000
    return _real_send(self, data, *args, **kwargs)
zmq.Socket.send = _oversize
Y_hat, cache = forward(X, params)
grads = backward(X, Y, params, cache)
new_params = gd_step(params, grads, lr=1.0)
new_risk = cross_entropy(Y, forward(X, new_params)[0])
