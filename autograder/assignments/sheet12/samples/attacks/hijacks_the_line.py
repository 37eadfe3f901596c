"""Round three, item 8: a thread of the student's takes the grader's line to its helper. The
notebook keeps the helper from connecting (zmq's connect made a no-op for PAIR sockets that are not
its own), fills the kernel's socket folder with links named like the line (to a file of the
grader's), tries to write where the line lives, and answers every request itself: "nothing is
defined". The grader treats the line as untrusted: every part scores 0 (what "nothing defined" is
worth), the submission is flagged (its self-checks passed in the notebook), and no file outside
the jail changes."""

EXPECTED = {
    "scores": {
        "t12_1_1_statements": 0.0,
        "t12_1_2_deep_linear_forward": 0.0,
        "t12_1_2_grad_W3": 0.0,
        "t12_2a_count_parameters": 0.0,
        "t12_2b_sigmoid": 0.0,
        "t12_2b_forward": 0.0,
        "t12_2c_cross_entropy": 0.0,
        "t12_2d_backward": 0.0,
        "t12_2e_gd_step": 0.0,
        "t12_2f_new_risk": 0.0,
    },
    "flagged": True,
}


# %% t12_2a_count_parameters_solution
import glob
import json
import os
import threading
import zmq
def count_parameters(layer_sizes):
    return sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
_runtime = os.environ.get("JUPYTER_RUNTIME_DIR", "")
_jail = os.path.dirname(_runtime)
for _n in range(1, 6):  # links named like the line, to the grader's gradebook
    try:
        os.symlink("__WORKDIR__/gradebook.db", os.path.join(_runtime, f"line-{_n}"))
    except OSError as error:
        print("link:", type(error).__name__)
for _folder in glob.glob(os.path.join(_jail, "*")):
    try:
        open(os.path.join(_folder, "planted"), "w").close()
    except OSError as error:
        print("write in", os.path.basename(_folder), type(error).__name__)
_mine = set()
_connect = zmq.Socket.connect
def _only_mine(self, address):
    if self.socket_type == zmq.PAIR and id(self) not in _mine:
        return None  # the grader's helper: never connected
    return _connect(self, address)
zmq.Socket.connect = _only_mine
def _impersonate():
    taken = set()
    while True:
        for path in glob.glob(os.path.join(_jail, "*", "line-*")):
            if path in taken or os.path.islink(path):
                continue
            taken.add(path)
            line = zmq.Context.instance().socket(zmq.PAIR)
            _mine.add(id(line))
            line.connect(f"ipc://{path}")
            line.send(json.dumps({"ready": True}).encode())
            threading.Thread(target=_answer, args=(line,), daemon=True).start()
def _answer(line):
    while True:
        request = json.loads(line.recv())
        line.send(json.dumps({"id": request.get("id"), "answer": {"value": []}}).encode())
threading.Thread(target=_impersonate, daemon=True).start()
