"""The comparison kit behind every assignment's self-checks, for students and the grader alike.

Type, then shape, then value; known mistakes recognised from their predicted results and
named; expected values withheld where they must stay hidden; a verdict printed (✓) or raised
(✗). An assignment's ``selfcheck.py`` builds its checks from a :class:`Checker` that knows its
mistakes' explanations. This file lives once in the course repository; the build writes a copy
next to each assignment's ``selfcheck.py``, which nbgrader releases, and the grader imports the
original. It uses only the standard library and NumPy.
"""

from __future__ import annotations

import contextlib
import contextvars
import inspect
import io
import json
import math
import os
import re
import textwrap
import traceback
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

RTOL = 1e-6
ATOL = 1e-9


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a result; ``mistake`` names a recognised common mistake."""

    message: str
    mistake: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What calling a student's function gave: its value or the exception it raised."""

    value: Any = None
    error: BaseException | None = None


def call_quietly(fn: Callable[..., Any], *args: Any) -> Outcome:
    """Call ``fn`` with NumPy warnings and printed output kept out of the notebook.

    nbgrader gives a test cell zero points when anything reaches stderr, so a correct
    ``1 / (1 + np.exp(-Z))`` that overflows must not be allowed to print its warning.
    """
    sink = io.StringIO()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            try:
                return Outcome(value=fn(*args))
            except (Exception, SystemExit) as error:
                return Outcome(error=error)


def describe_error(name: str, error: BaseException) -> Problem:
    """A problem for a function that raised instead of returning (``type_name``: the error's
    type where it was raised, when that was elsewhere). On hidden inputs the error's message is
    left out: the student's code may have put the input into it."""
    type_name = getattr(error, "type_name", type(error).__name__)
    if type_name == "NotImplementedError":  # ``name`` may say on what it was called: the function's name only
        return Problem(f"{re.split(r'[ (]', name)[0]} is not implemented yet (it raises NotImplementedError).")
    if getattr(error, "kind", None):  # a fault the grader saw (timeout, crash): its message is the grader's
        return Problem(f"{name} did not return ({error.kind}): {error}.")
    if not _SHOW_EXPECTED.get():
        return Problem(f"{name} raised {type_name} (its message is not shown: it could reveal the hidden input).")
    return Problem(f"{name} raised {type_name}: {error}{_failing_line(error)}")


def notebook_line(error: BaseException) -> str:
    """The last line of the notebook's own code that the error went through, as "<function>:
    <line>"; "" when it went through none (raised in NumPy, say). Notebook cells are the frames
    whose file is IPython's cell file (``ipykernel_<pid>/<hash>.py``)."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if re.search(r"ipykernel_\d+|<ipython-input-", frame.filename) and frame.line
    ]
    return f"{frames[-1].name}: {frames[-1].line.strip()}"[:200] if frames else ""


def _failing_line(error: BaseException) -> str:
    """Where in the notebook's own code the error was raised: " (in <function>: <line>)", or "".
    An error from the grader's view of the kernel carries the line the kernel saw (``line``)."""
    line = getattr(error, "line", None)
    if line is None:
        line = notebook_line(error)
    return f" (in {line})" if line else ""


def is_real_number(value: Any) -> bool:
    """A Python or NumPy number that is not a boolean."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def as_scalar(value: Any) -> float | None:
    """The float inside a number or a one-element numeric array; None for anything else (also for
    an integer too large for a float)."""
    try:
        if is_real_number(value):
            return float(value)
        if isinstance(value, np.ndarray) and value.size == 1 and np.issubdtype(value.dtype, np.number):
            return float(value.reshape(-1)[0])
    except OverflowError:
        return None
    return None


#: The absolute tolerance in force (:func:`to_decimals`), or None for the kit's RTOL and ATOL.
_DECIMALS_TOLERANCE: contextvars.ContextVar[float | None] = contextvars.ContextVar("decimals", default=None)


@contextlib.contextmanager
def to_decimals(decimals: int | None) -> Iterator[None]:
    """Within this block, values are compared to ``decimals`` decimal places (expected values that
    are given only to the precision the tutorial sheet prints them with); None: in full."""
    token = _DECIMALS_TOLERANCE.set(None if decimals is None else 0.5 * 10.0**-decimals + ATOL)
    try:
        yield
    finally:
        _DECIMALS_TOLERANCE.reset(token)


def close(got: Any, expected: Any) -> bool:
    """Equal within the tolerances in force, element by element."""
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    tolerance = _DECIMALS_TOLERANCE.get()
    if tolerance is not None:
        return bool(np.all(np.abs(got - expected) <= tolerance))
    return bool(np.all(np.abs(got - expected) <= ATOL + RTOL * np.abs(expected)))


#: The longest value a message shows (longer ones are cut, with "...").
MAX_SHOWN = 200


def fmt(value: Any) -> str:
    """A value as a student reads it in a message, at most MAX_SHOWN characters."""
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=6, separator=", ", threshold=20)
    else:
        text = f"{value:.10g}" if isinstance(value, float) else repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def recognise(got: np.ndarray, variants: Mapping[str, Any]) -> str | None:
    """The mistake whose predicted value ``got`` matches.

    Variants are keyed by mistake name, optionally followed by ``#`` and a tag where one
    mistake has several forms (``forgot_bias#b1``).
    """
    for key, predicted in variants.items():
        predicted = np.asarray(predicted, dtype=float)
        if predicted.shape == got.shape and close(got, predicted):
            return key.partition("#")[0]
    return None


_SHOW_EXPECTED = contextvars.ContextVar("show_expected", default=True)


@contextlib.contextmanager
def expected_values_withheld() -> Iterator[None]:
    """Within this block, messages say a value is wrong without printing the right one
    (the grader's hidden cases: their answers stay with the grader)."""
    token = _SHOW_EXPECTED.set(False)
    try:
        yield
    finally:
        _SHOW_EXPECTED.reset(token)


def copied(value: Any) -> Any:
    """A deep copy of the arrays, lists and dicts handed to a student's function."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, Mapping):
        return {key: copied(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(copied(item) for item in value)
    return value


def call(name: str, fn: Callable[..., Any], *args: Any) -> tuple[Any, list[Problem]]:
    """``fn(*args)`` on copies of the arguments, quietly: its value, or the problem it raised."""
    outcome = call_quietly(fn, *copied(args))
    if outcome.error is not None:
        return None, [describe_error(name, outcome.error)]
    return outcome.value, []


def call_counting(
    name: str, fn: Callable[..., Any], callees: tuple[str, ...], *args: Any
) -> tuple[Any, list[Problem], dict[str, int]]:
    """:func:`call`, also counting how often ``fn`` called each of ``callees`` (other functions of
    the notebook) itself: a callee's calls of another one are not counted. In the grader ``fn``
    runs in the student's kernel and reports the reference stand-ins it was served
    (``stand_in_calls``; a stand-in's own work is the reference's); in the notebook the functions
    are wrapped in its namespace for the call."""
    if hasattr(fn, "stand_in_calls"):
        value, problems = call(name, fn, *args)
        return value, problems, {callee: fn.stand_in_calls.get(callee, 0) for callee in callees}
    namespace = getattr(fn, "__globals__", {})
    counts = dict.fromkeys(callees, 0)
    originals = {callee: namespace[callee] for callee in callees if callable(namespace.get(callee))}
    inside = [0]  # how deep in counted callees the call is

    def counted(callee: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*inner: Any, **keywords: Any) -> Any:
            counts[callee] += inside[0] == 0
            inside[0] += 1
            try:
                return original(*inner, **keywords)
            finally:
                inside[0] -= 1

        return wrapper

    namespace.update({callee: counted(callee, original) for callee, original in originals.items()})
    try:
        value, problems = call(name, fn, *args)
    finally:
        namespace.update(originals)
    return value, problems, counts


class Tabulated:
    """A stand-in for a helper of the notebook (``sigmoid`` called by ``forward``, say) that knows the
    helper's right results on the calls a self-check expects: a call with such arguments gets the
    known result, any other call goes to the notebook's own helper. So a function is judged on its
    own, as the grader judges it, even while its helper is still wrong."""

    def __init__(self, own: Callable[..., Any], known: list[tuple[tuple, Any, float]]) -> None:
        #: ``known``: (arguments, result, the absolute tolerance the arguments are matched with).
        self.own, self.known = own, known

    def __call__(self, *args: Any, **keywords: Any) -> Any:
        if keywords:  # sigmoid(Z=Z1): the arguments as the helper's parameters take them
            try:
                args, keywords = inspect.signature(self.own).bind(*args, **keywords).args, {}
            except (TypeError, ValueError):
                return self.own(*args, **keywords)
        for known_args, result, tolerance in self.known:
            if _same(args, known_args, tolerance):
                return copied(result)
        return self.own(*args)


def _same(got: Any, known: Any, tolerance: float) -> bool:
    """Whether call arguments match known ones: the same structure, numbers within ``tolerance``
    (a number and a one-element array count as the same)."""
    if isinstance(known, Mapping):
        return (
            isinstance(got, Mapping)
            and set(got) == set(known)
            and all(_same(got[key], known[key], tolerance) for key in known)
        )
    if isinstance(known, (list, tuple)) and not isinstance(got, np.ndarray):
        return (
            isinstance(got, (list, tuple))
            and len(got) == len(known)
            and all(_same(item, other, tolerance) for item, other in zip(got, known, strict=True))
        )
    try:
        got_array, known_array = np.asarray(got, dtype=float), np.asarray(known, dtype=float)
    except (TypeError, ValueError):
        return False
    if got_array.size == known_array.size == 1:
        got_array, known_array = got_array.reshape(1), known_array.reshape(1)
    return got_array.shape == known_array.shape and bool(np.all(np.abs(got_array - known_array) <= tolerance))


@contextlib.contextmanager
def helpers_replaced(fn: Callable[..., Any], known: Mapping[str, list[tuple[tuple, Any, float]]]) -> Iterator[None]:
    """Within this block, the helpers ``fn`` calls (names of the notebook in ``known``) are
    :class:`Tabulated` stand-ins. In the grader ``fn`` runs in the student's kernel, where the
    grader serves the reference helpers (``stand_in_calls``): nothing is replaced there."""
    namespace = getattr(fn, "__globals__", None)
    originals = {name: namespace[name] for name in known if callable(namespace.get(name))} if namespace else {}
    if namespace is not None:
        namespace.update({name: Tabulated(own, known[name]) for name, own in originals.items()})
    try:
        yield
    finally:
        if namespace is not None:
            namespace.update(originals)


def warnings_of(fn: Callable[..., Any], *args: Any) -> list[str]:
    """The warnings (their messages) that ``fn(*args)`` gives, overflow included; none when it raises.
    In the grader ``fn`` runs in the student's kernel, which reports them (``warned``)."""
    if hasattr(fn, "warned"):
        return sorted(fn.warned) if call_quietly(fn, *copied(args)).error is None else []
    with warnings.catch_warnings(record=True) as caught, np.errstate(over="warn", invalid="warn"):
        warnings.simplefilter("always")
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            try:
                fn(*copied(args))
            except Exception:
                return []
    return sorted({str(warning.message) for warning in caught})


#: The step of the centered differences.
EPS = 1e-6


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = EPS) -> np.ndarray:
    """d f / d x by centered differences, one entry at a time; ``x`` is left unchanged."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        upper = f(x.copy())
        x[index] = original - eps
        lower = f(x.copy())
        x[index] = original
        grad[index] = (upper - lower) / (2 * eps)
    return grad


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """CS231n's relative error max|a - b| / max(1e-8, |a| + |b|)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def gradient_check(
    f: Callable[[dict[str, np.ndarray]], float], params: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray]
) -> dict[str, float]:
    """Compare your gradients with centered differences of ``f`` (a function of the whole
    parameter dict, e.g. the risk) and print the relative error of each; errors of about 1e-7 or
    less mean the gradient is right. ``grads`` has the keys ``"d" + name`` of ``params``."""
    errors = {}
    for name, value in params.items():

        def along(x: np.ndarray, name: str = name) -> float:
            return float(f({**{key: np.array(item, dtype=float) for key, item in params.items()}, name: x}))

        given = np.asarray(grads["d" + name])
        if given.shape != np.shape(value):  # a transposed gradient is wrong whatever its numbers
            errors["d" + name] = math.inf
            print(f"d{name}: shape {given.shape}, but {name} has shape {np.shape(value)} ✗ keep it in {name}'s shape")
            continue
        errors["d" + name] = rel_error(numerical_gradient(along, value), given)
        verdict = "✓" if errors["d" + name] < 1e-5 else "✗ check this one"
        print(f"{'d' + name}: relative error {errors['d' + name]:.1e} {verdict}")
    return errors


class SelfCheckFailed(AssertionError):
    """A failed self-check. IPython shows only its message (``_render_traceback_``), not the frames
    of the check's code; the cell still ends in an error, which nbgrader counts as failed."""

    def _render_traceback_(self) -> list[str]:
        return str(self).splitlines()


#: The width of a failed check's lines (``nbgrader validate`` cuts lines of 87 characters and more).
WIDTH = 82


def report(title: str, problems: list[Problem], checked: str) -> None:
    """Print the verdict (``checked`` says on what); raise so that the cell shows the failure, each
    problem a "✗" paragraph wrapped to :data:`WIDTH` (values shown one above the other stay as they are)."""
    if not problems:
        print(f"✓ {title}: correct {checked}.")
        return
    lines = [f"{title}:"]
    for problem in problems:
        wrapped = [
            part
            for line in problem.message.split("\n")
            for part in ([line] if line.startswith(" ") else textwrap.wrap(line, WIDTH - 2) or [""])
        ]
        lines += ["✗ " + wrapped[0]] + ["  " + line for line in wrapped[1:]]
    raise SelfCheckFailed("\n".join(lines))


def self_check(title: str, problems: Callable[..., list[Problem]], checked: str, doc: str = "") -> Callable[..., None]:
    """The notebook's ``check_<title>(fn, ...)``: :func:`report` of ``problems(fn, ...)``, on what
    ``checked`` says (``doc``: what the student's help shows after "Self-check of <title>")."""

    def check_one(*args: Any) -> None:
        report(title, problems(*args), checked)

    check_one.__name__ = check_one.__qualname__ = f"check_{title.split()[0]}"
    check_one.__module__ = problems.__module__  # help() shows the assignment's module and parameters
    check_one.__signature__ = inspect.signature(problems).replace(return_annotation=None)  # type: ignore[attr-defined]
    check_one.__doc__ = f"Self-check of ``{title}`` {checked}{doc}."
    return check_one


def _aligned(label: str, value: str) -> str:
    """``value`` after an indented ``label``, its further lines (rows of an array) under its first."""
    head = f"    {label:<9}"
    return head + value.replace("\n", "\n" + " " * len(head))


class Checker:
    """Comparisons that name the mistakes of one assignment (name to the explanation a student reads)."""

    def __init__(self, mistakes: Mapping[str, str]) -> None:
        self.mistakes = mistakes

    def mistake_problem(self, what: str, got: str, expected: str, mistake: str | None) -> Problem:
        """``what`` is wrong: what was expected (unless withheld) and what came back, one above the
        other when they are long, so that they can be compared at a glance; then the mistake, when
        recognised."""
        if not _SHOW_EXPECTED.get():
            lines = [f"{what}: got {got}, which is not the expected value."]
        elif "\n" in expected + got or len(expected) + len(got) > 40:
            lines = [f"{what}:", _aligned("expected", expected), _aligned("got", got)]
        else:
            lines = [f"{what}: expected {expected}, got {got}."]
        if mistake is not None:
            lines.append(f"It looks like {self.mistakes[mistake]} [{mistake}].")
        return Problem("\n".join(lines), mistake)

    def compare_scalar(
        self, what: str, got: Any, expected: float, variants: Mapping[str, float] | None = None, where: str = ""
    ) -> list[Problem]:
        """Type, then value, of a number; ``variants`` maps mistake names to their predicted values;
        ``where`` says on which inputs (after ``what`` in the messages)."""
        what = f"{what} {where}".rstrip()
        value = as_scalar(got)
        if value is None:
            return [Problem(f"{what}: expected a number (float), got {type(got).__name__} {fmt(got)}.")]
        if close(value, expected):
            return []
        mistake = recognise(np.asarray(value), variants or {})
        return [self.mistake_problem(what, fmt(value), fmt(expected), mistake)]

    def compare_array(
        self,
        what: str,
        got: Any,
        expected: np.ndarray,
        variants: Mapping[str, np.ndarray] | None = None,
        where: str = "",
    ) -> list[Problem]:
        """Type, then shape, then value, of an array; named mistakes are recognised from ``variants``."""
        what = f"{what} {where}".rstrip()
        if not isinstance(got, np.ndarray) or not np.issubdtype(got.dtype, np.number):
            return [Problem(f"{what}: expected a numeric NumPy array, got {type(got).__name__}.")]
        got = np.asarray(got, dtype=float)
        mistake = recognise(got, variants or {})
        if got.shape != expected.shape:
            return [self.mistake_problem(f"{what} has the wrong shape", str(got.shape), str(expected.shape), mistake)]
        if close(got, expected):
            return []
        return [self.mistake_problem(what, fmt(got), fmt(expected), mistake)]

    def compare_dict(
        self,
        what: str,
        got: Any,
        expected: Mapping[str, np.ndarray],
        variants: Mapping[str, Mapping[str, np.ndarray]] | None = None,
        where: str = "",
    ) -> list[Problem]:
        """Each expected key of a dict of arrays, compared with :meth:`compare_array` (``what['key']
        where`` in the messages)."""
        named = f"{what} {where}".rstrip()
        if not isinstance(got, Mapping):
            return [Problem(f"{named}: expected a dict, got {type(got).__name__}.")]
        missing = [key for key in expected if key not in got]
        if missing:
            return [Problem(f"{named}: missing key(s) {', '.join(missing)}; expected keys {', '.join(expected)}.")]
        problems: list[Problem] = []
        for key, value in expected.items():
            key_variants = {name: variant[key] for name, variant in (variants or {}).items() if key in variant}
            problems += self.compare_array(f"{what}['{key}']", got[key], value, key_variants, where)
        return problems


def check_all(namespace: dict[str, Any], notebook: str) -> None:
    """Every self-check of the notebook at once, in order: each test cell's grade id, its points and
    whether its check passes (else its first message), without stopping at a failure; then the
    totals. ``notebook``: the notebook's file, for its cells and points (save it first)."""
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        print("(check_all is skipped while grading)")
        return
    try:
        with open(notebook, encoding="utf-8") as opened:
            cells = json.load(opened)["cells"]
    except (OSError, ValueError, KeyError, TypeError):
        print(f"Save the notebook as {notebook} (next to selfcheck.py), then run this cell again.")
        return
    passed = possible = earned = by_hand = 0.0
    lines = []
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not meta.get("grade"):
            continue
        points = float(meta.get("points", 0))
        if meta.get("solution"):
            by_hand += points
            continue
        status = _run_check(cell.get("source", ""), namespace)
        possible, passed = possible + points, passed + (status is None)
        earned += points if status is None else 0.0
        lines.append(f"{'✓' if status is None else '✗'} {meta.get('grade_id', '?'):<30} {points:>4g} pt")
        # The complaint below its row, wrapped, so that the columns stay columns.
        lines += textwrap.wrap(status or "", WIDTH, initial_indent="    ", subsequent_indent="    ")
    checks = sum(line[:1] in "✓✗" for line in lines)
    print("\n".join(lines))
    summary = (
        f"Self-checks passing: {int(passed)} of {checks}, worth {earned:g} of {possible:g} points (the grader's"
        f" hidden checks decide); {by_hand:g} more points are written answers, graded by hand."
    )
    print("\n".join(textwrap.wrap(summary, WIDTH)))


def _run_check(source: Any, namespace: dict[str, Any]) -> str | None:
    """Run one test cell's code quietly: None if it passes, else its first line of complaint."""
    code = "".join(source) if isinstance(source, list) else str(source)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(code, "<self-check>", "exec"), namespace)
    except SelfCheckFailed as failure:
        problems = str(failure).split("\n✗ ")  # the title, then one entry per problem
        first = " ".join(problems[min(1, len(problems) - 1)].split())
        tag = re.search(r"\[\w+\]\.?$", first)  # the named mistake, if any, stays readable
        if len(first) > 160:
            first = first[:140].rstrip() + " ..." + (f" {tag.group(0)}" if tag else "")
        return first
    except Exception as error:  # the cell itself fails: a name not defined yet, a typo
        return f"{type(error).__name__}: {error}"[:150]
    return None
