"""The nbgrader step that grades outside the student's kernel: ``TrustedExecute``.

It replaces nbgrader's ``Execute`` in ``Autograde.autograde_preprocessors``:

1. strip the hidden regions (they only name the check that scores the cell);
2. run the notebook in a jailed kernel (:mod:`autograder.sandbox.jail`), as ``Execute`` would,
   restarting the kernel and replaying the earlier cells if a cell kills it;
3. for every autograded test cell, run its hidden check in this (the grader's) process on
   plain data fetched from the kernel (:mod:`autograder.sandbox.bridge`), with hidden
   inputs seeded per student and assignment;
4. replace the test cell's outputs with the verdict (feedback text and the points, which
   nbgrader's ``SaveAutoGrades`` reads), and keep a grading record with faults and tamper
   flags; a flagged submission is also flagged in the gradebook for the formgrader.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.api import Gradebook
from nbgrader.preprocessors import Execute
from nbgrader.utils import is_grade, is_solution
from traitlets import Float, Integer

from autograder import assignments
from autograder.grading import stand_ins, support_files
from autograder.grading.assignment import Assignment, GradedCell, seed_for
from autograder.grading.cost import Meter, StageClock
from autograder.grading.records import CellRecord, GradingRecord, records_dir_for
from autograder.grading.verdict import CellResult, CellSummary, Problem
from autograder.sandbox.bridge import Fault, KernelBridge, StudentError
from autograder.sandbox.jail import JailedKernelManager

HIDDEN_REGION = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS\n?", re.DOTALL)
DECLARED_CHECK = re.compile(r'grade\("([^"]+)"\)')


def declared_checks(nb: NotebookNode, assignment: Assignment) -> dict[int, str]:
    """Strip every hidden region; return cell index to the grade id its region names."""
    targets = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not is_grade(cell) or is_solution(cell):
            continue
        declared = DECLARED_CHECK.findall("".join(HIDDEN_REGION.findall(cell.source)))
        cell.source = HIDDEN_REGION.sub("", cell.source).rstrip("\n")
        grade_id = declared[0] if declared else cell.metadata.nbgrader["grade_id"]
        if grade_id not in assignment.by_grade_id:
            raise ValueError(f"test cell {cell.metadata.nbgrader['grade_id']} names no known check: {grade_id!r}")
        targets[index] = grade_id
    return targets


class Unreadable:
    """A notebook value that could not be fetched as plain data."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"<unreadable: {self.reason}>"


def _too_large(error: StudentError) -> bool:
    """Whether the kernel's helper refused to send an answer for its size (a string, an array, too
    many items or too deep)."""
    return error.type_name == "WireError" and "plain data" not in str(error)


class RemoteFunction:
    """A student's function in the jailed kernel; faults are noted for the record."""

    def __init__(self, bridge: KernelBridge, name: str, stand_ins: tuple[str, ...], faults: list[str]) -> None:
        self.bridge, self.name, self.stand_ins, self.faults = bridge, name, stand_ins, faults
        #: How often the last call asked for each reference stand-in (a check may count them).
        self.stand_in_calls: dict[str, int] = {}
        #: The warnings the last call gave in the kernel (a check may require none).
        self.warned: tuple[str, ...] = ()

    def __call__(self, *args: Any) -> Any:
        try:
            return self.bridge.call(self.name, list(args), self.stand_ins)
        except Fault as fault:
            self.faults.append(f"{fault.kind} in {self.name}: {fault}")
            raise
        except StudentError as error:
            if error.type_name == "MemoryError":
                self.faults.append(f"memory limit in {self.name}: it ran out of memory")
            if _too_large(error):
                self.faults.append(f"answer too large from {self.name}: {error}")
            raise
        finally:
            self.stand_in_calls, self.warned = dict(self.bridge.served), self.bridge.warned
            limits = [*self.bridge.limits_hit, *self.bridge.manager.limits_hit()]
            self.faults += [f"{limit} (in {self.name})" for limit in limits]
            self.bridge.limits_hit.clear()


class JailedStudent(Mapping):
    """The checks' view of a submission: its functions as remote calls, its values as plain data."""

    def __init__(
        self, bridge: KernelBridge, faults: list[str], assignment: Assignment, own_helpers: bool = False
    ) -> None:
        self.bridge, self.faults, self.assignment = bridge, faults, assignment
        #: Whether functions run with the student's own helpers (no reference stand-ins).
        self.own_helpers = own_helpers
        self.names = bridge.defined((*assignment.functions, *assignment.values))

    def __getitem__(self, name: str) -> Any:
        if name not in self.names:
            raise KeyError(name)
        if name in self.assignment.functions:
            stand_ins = () if self.own_helpers else tuple(self.assignment.dependencies.get(name, ()))
            return RemoteFunction(self.bridge, name, stand_ins, self.faults)
        try:
            return self.bridge.value(name)
        except Fault as fault:
            self.faults.append(f"{fault.kind} in {name}: {fault}")
            return Unreadable(str(fault))
        except StudentError as error:
            if _too_large(error):
                self.faults.append(f"answer too large in {name}: {error}")
            return Unreadable(str(error))

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


def _failed(cell: NotebookNode) -> bool:
    return any(output.output_type == "error" for output in cell.get("outputs", []))


def _timed_out(cell: NotebookNode) -> bool:
    return any(output.get("ename") == "CellTimeoutError" for output in cell.get("outputs", []))


OUTPUT_TYPES = frozenset({"stream", "display_data", "execute_result", "error", "update_display_data"})


def _content_size(value: Any, depth: int = 0) -> int:
    """About how many bytes a message's content takes as JSON, without making a copy of it."""
    if isinstance(value, str):
        return len(value)
    if depth > 20:
        return 0
    if isinstance(value, dict):
        return sum(len(str(key)) + _content_size(item, depth + 1) for key, item in value.items())
    if isinstance(value, list):
        return sum(_content_size(item, depth + 1) for item in value)
    return 8


def _mib(size: int) -> str:
    return f"{size / 1024**2:g} MiB"


class TrustedExecute(Execute):
    """Execute the notebook in a jailed kernel, then score each test cell in the grader's process."""

    call_timeout = Float(10.0, help="Wall-time limit of one call into a student's function, in seconds.").tag(
        config=True
    )
    time_budget = Float(
        600.0,
        help="Wall-time budget of one submission (its cells, restarts and checks), in seconds: past it, no"
        " further cell runs and the test cells not yet scored get 0 with a 'time budget' fault.",
    ).tag(config=True)
    max_cell_output_bytes = Integer(
        1024**2, help="Output of one cell that is kept (the rest is dropped with an 'output limit' fault), in bytes."
    ).tag(config=True)
    max_output_bytes = Integer(
        4 * 1024**2, help="Output of the whole notebook that is kept, in bytes (past it, as for one cell)."
    ).tag(config=True)
    stand_in_memory_bytes = Integer(
        1024**3,
        help="Memory a reference stand-in may use on the arguments a student's function passes it, in bytes"
        " (it runs in a helper process; its time is what is left of the call's).",
    ).tag(config=True)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_manager_class", JailedKernelManager)
        super().__init__(**kwargs)

    def preprocess(self, nb: NotebookNode, resources: dict, km: Any = None) -> tuple[NotebookNode, dict]:
        info = resources["nbgrader"]
        self.assignment = assignments.load(info["assignment"])
        targets = declared_checks(nb, self.assignment)
        meter, clock = Meter(), StageClock(self._kernel_cpu)
        record = GradingRecord(info["student"], info["assignment"], seed_for(info["student"], info["assignment"]))
        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        # The course's own kit and expected values next to the notebook (whatever was submitted).
        support_files.write(self.assignment.id, Path(resources["metadata"]["path"]))
        self.crashed: set[int] = set()
        self.bridge: KernelBridge | None = None
        self.deadline = time.monotonic() + self.time_budget
        self.stand_ins = stand_ins.for_assignment(self.assignment.id, self.stand_in_memory_bytes)
        if self.assignment.dependencies:
            self.stand_ins.start()  # while the kernel starts and the cells run; ready before the checks
        self.output_bytes: dict[int, int] = {}
        self.record = record  # process_message, called by nbclient, notes output faults here
        with self.setup_kernel():
            clock.mark("kernel start")
            self._run_cells(resources, record)
            clock.mark("cells")
            if self.assignment.dependencies:
                self.stand_ins.ready()
            in_kernel = {index: not _failed(self.nb.cells[index]) for index in targets}
            try:
                for index, grade_id in targets.items():
                    self._score(index, grade_id, in_kernel[index], record)
            finally:
                if self.bridge is not None:
                    self.bridge.close()
            clock.mark("checks")
        self.set_widgets_metadata()
        record.seconds, record.grader_peak_mib = round(meter.seconds(), 3), round(meter.peak_mib(), 1)
        record.cpu_seconds = clock.stages
        self._keep(record, info)
        return self.nb, self.resources

    def _kernel_cpu(self) -> float:
        """CPU time of the student's kernel (its jail's processes) so far; 0 while there is none."""
        jailed = getattr(getattr(self, "km", None), "jail", None)
        return jailed.group.cpu_seconds() if jailed is not None and jailed.group is not None else 0.0

    # --- running the notebook -----------------------------------------------------------------

    def _out_of_time(self, record: GradingRecord) -> bool:
        """Whether the submission's time budget is used up (noted once as a fault)."""
        if time.monotonic() <= self.deadline:
            return False
        fault = f"time budget: the submission used up its {self.time_budget:g} s; what was left scores 0"
        if fault not in record.faults:
            record.faults.append(fault)
        return True

    def _run_cells(self, resources: dict, record: GradingRecord) -> None:
        for index, cell in enumerate(self.nb.cells):
            if self._out_of_time(record):
                return
            client, unreadable = self.kc, self.kc.malformed()
            self._run_cell(index, cell, resources, record)
            if client is self.kc and client.malformed() > unreadable:
                record.faults.append(
                    f"malformed message: cell {index + 1} sent {client.malformed() - unreadable} message(s) that are"
                    " not Jupyter messages; they were ignored"
                )
            record.faults += [f"{limit} (cell {index + 1})" for limit in self.km.limits_hit()]

    def _run_cell(self, index: int, cell: NotebookNode, resources: dict, record: GradingRecord) -> None:
        """Run one cell as nbgrader would; a crash, a stuck kernel or a dropped connection costs this
        cell (the kernel is replaced, or the client), and each limit it hit is noted as a fault."""
        try:
            self.preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self.crashed.add(index)
            record.faults.append(f"crash: cell {index + 1} killed the kernel (os._exit, a crash or memory)")
            cell.outputs.append(new_output("error", ename="DeadKernelError", evalue="kernel died", traceback=[]))
            self._restart(replay_upto=index)
            return
        except TimeoutError:
            if self.kc.dropped():  # it sent a message over the limit: the kernel lives on, with a new client
                record.faults.append(
                    f"output limit: cell {index + 1} sent an output larger than"
                    f" {_mib(self.kc.max_message_bytes)}; it was not read"
                )
                self._new_client()
                return
            # the cell timed out and ignored the interrupt: the kernel is replaced
            self.crashed.add(index)
            record.faults.append(f"timeout: cell {index + 1} ran longer than {self.timeout} s, ignoring the interrupt")
            stuck = new_output("error", ename="CellTimeoutError", evalue="ignored the interrupt", traceback=[])
            cell.outputs.append(stuck)
            self._restart(replay_upto=index)
            return
        outputs = cell.get("outputs", [])
        if cell.cell_type == "code" and _timed_out(cell):
            record.faults.append(f"timeout: cell {index + 1} ran longer than {self.timeout} s")
        if any(output.get("ename") == "MemoryError" for output in outputs):
            record.faults.append(f"memory limit: cell {index + 1} ran out of memory")
        if any("No space left on device" in str(output.get("evalue")) for output in outputs):
            record.faults.append(f"disk limit: cell {index + 1} filled a folder (no space left on device)")

    def process_message(self, msg: dict, cell: NotebookNode, cell_index: int) -> NotebookNode | None:
        """nbclient's handling of one message from the kernel, with the outputs kept bounded in bytes."""
        if msg["msg_type"] not in OUTPUT_TYPES:
            return super().process_message(msg, cell, cell_index)
        size = _content_size(msg["content"])
        cell_bytes, total = self.output_bytes.get(cell_index, 0), sum(self.output_bytes.values())
        self.output_bytes[cell_index] = cell_bytes + size
        if cell_bytes + size <= self.max_cell_output_bytes and total + size <= self.max_output_bytes:
            try:
                return super().process_message(msg, cell, cell_index)
            except Exception:  # nbformat refused it as an output: whatever it is, it is not kept
                fault = f"malformed message: cell {cell_index + 1} sent an output that is not a notebook output;"
                if fault + " it was ignored" not in self.record.faults:
                    self.record.faults.append(fault + " it was ignored")
                return None
        if cell_bytes <= self.max_cell_output_bytes and total <= self.max_output_bytes:  # the first one over
            limit = min(self.max_cell_output_bytes, self.max_output_bytes - total + cell_bytes)
            self.record.faults.append(
                f"output limit: cell {cell_index + 1} printed more than its {_mib(limit)} of output; the rest"
                " was not kept"
            )
            cell.outputs.append(new_output("stream", name="stderr", text="[more output was not kept]\n"))
        return None

    def _new_client(self) -> None:
        """A new client for the same kernel (after a connection was dropped, or a restart)."""
        self.kc.stop_channels()
        self.kc = self.km.client()
        self.kc.allow_stdin = False
        self.kc.start_channels()
        # As nbclient does after starting a kernel: a request sent before the kernel is ready
        # can be lost, and a lost replay of the import cell would leave the notebook without it.
        run_sync(self.kc.wait_for_ready)(timeout=self.startup_timeout)

    def _bridge(self, timeout: float) -> KernelBridge:
        return KernelBridge(self.km, self.kc, timeout, self.stand_ins.answer)

    def _restart(self, replay_upto: int | None = None) -> KernelBridge:
        """A fresh jailed kernel with the code cells before ``replay_upto`` run again (cells that
        crashed or timed out skipped); each replayed cell has the cell timeout, as when it first ran."""
        run_sync(self.km.restart_kernel)(now=True)
        self._new_client()
        cell_timeout = self.timeout if self.timeout is not None else self.time_budget
        replay = self._bridge(cell_timeout)
        for index, cell in enumerate(self.nb.cells[:replay_upto]):
            if cell.cell_type == "code" and index not in self.crashed and not _timed_out(cell):
                try:
                    replay.run(cell.source)
                except Fault:
                    self.crashed.add(index)
                    return self._restart(replay_upto)
        return self._bridge(self.call_timeout)

    def _ready_bridge(self) -> KernelBridge:
        """The bridge into a live kernel that holds the whole notebook's state."""
        if self.bridge is not None and not self.bridge.dead:
            return self.bridge
        if self.bridge is None:
            self.bridge = self._bridge(self.call_timeout)
        else:
            self.bridge.close()
            self.bridge = self._restart()
        self.bridge.install()
        return self.bridge

    # --- scoring ------------------------------------------------------------------------------

    def _check(self, graded: GradedCell, faults: list[str], seed: int) -> CellResult:
        """Run one cell's hidden check on the jailed student; whatever goes wrong costs this cell only."""
        try:
            student = JailedStudent(self._ready_bridge(), faults, self.assignment, graded.own_helpers)
            return graded.run(student, seed)
        except StudentError as error:
            faults.append(f"{getattr(error, 'kind', 'error')}: could not run the check: {error}")
            problem = Problem(f"Could not check this cell: {error}")
        except Exception as error:  # an answer the check could not use
            faults.append(f"unusable answer: the check failed with {type(error).__name__}: {str(error)[:200]}")
            problem = Problem(f"Could not check this cell: the answer could not be used ({type(error).__name__}).")
        return CellResult(graded.grade_id, 0.0, float(graded.points), (problem,), public_passed=False)

    def _score(self, index: int, grade_id: str, in_kernel_passed: bool, record: GradingRecord) -> None:
        """Score one test cell in this process and put the verdict into the cell's outputs."""
        graded, faults = self.assignment.by_grade_id[grade_id], []
        out_of_time = self._out_of_time(record)
        if out_of_time:
            problem = Problem(f"Not checked: the submission used up its time budget of {self.time_budget:g} s.")
            result = CellResult(grade_id, 0.0, float(graded.points), (problem,))
        else:
            result = self._check(graded, faults, record.seed)
        record.faults += [f"{grade_id}: {fault}" for fault in dict.fromkeys(faults)]  # each once
        ran_normally = not out_of_time and index not in self.crashed and not _timed_out(self.nb.cells[index])
        # Tamper signal: the student's kernel said "passed" where the same check, run here on the
        # answers themselves, fails. (The other way round is normal: here a function is checked
        # with the reference versions of its dependencies.)
        if ran_normally and in_kernel_passed and not result.public_passed:
            record.flags.append(
                f"{grade_id}: the self-check passed in the student's kernel, but the same check on the"
                " student's answers fails in the grader (tampering?)"
            )
        messages = [problem.message for problem in result.problems]
        record.cells[grade_id] = CellRecord(
            result.points,
            result.max_points,
            messages,
            [problem.mistake for problem in result.problems if problem.mistake],
            in_kernel_passed if ran_normally else None,
            result.public_passed,
        )
        # The verdict stored under the cell (the formgrader shows it), as the feedback's summary words it.
        text = CellSummary(grade_id, graded.target, result.points, result.max_points, tuple(messages), ()).text()
        self.nb.cells[index].outputs = [
            new_output("stream", name="stdout", text=text),
            new_output("execute_result", data={"text/plain": repr(float(result.points))}, execution_count=None),
        ]

    # --- keeping the record -------------------------------------------------------------------

    def _keep(self, record: GradingRecord, info: Mapping[str, Any]) -> None:
        record.save(records_dir_for(info["db_url"]))
        if record.flags:
            with Gradebook(info["db_url"]) as gradebook:
                submission = gradebook.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
                submission.flagged = True
                gradebook.db.commit()
