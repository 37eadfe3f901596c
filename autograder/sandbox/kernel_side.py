"""The grader's helper inside a student's kernel, sent as source text after the notebook ran.

It calls the student's functions on the inputs the grader sends and answers with plain data,
over a line of its own to the grader: a ZeroMQ PAIR socket in the kernel's socket folder, one
JSON frame per request and per answer. While a function runs, the other contract functions it
may call are replaced by stand-ins that ask the grader, on the same line, to evaluate the
reference, so no reference code ever enters the kernel. Everything here runs next to the
student's code and is therefore not trusted: the grader checks every frame it gets back.
"""

import contextlib
import io
import json
import traceback
import warnings


class Bridge:
    """Calls into the notebook's namespace on the grader's behalf, one request per frame.

    :meth:`serve` runs in the kernel's main thread, inside one execute request, until the kernel is
    shut down after the checks: each request costs a frame each way, not a Jupyter message with its
    status messages, signatures and dates (a call costs 0.1 ms of CPU, not 2 ms). An interrupt
    from the grader (its call's time is up) raises KeyboardInterrupt in the student's function,
    which answers the call with that error.
    """

    def __init__(self, namespace, encode, decode, numpy, line):
        """``line``: a ZeroMQ PAIR socket connected to the grader."""
        self._ns, self._encode, self._decode, self._np, self._line = namespace, encode, decode, numpy, line
        self._handlers = {"names": self.names, "value": self.value, "call": self.call}
        self._id = None

    def serve(self):
        """Say ready, then answer requests for as long as the kernel lives."""
        self._send({"ready": True})
        while True:
            try:
                request = json.loads(self._line.recv())
                handler = self._handlers.get(request.get("op")) if isinstance(request, dict) else None
                if handler is None:
                    continue  # not a request: a stand-in's answer that came after its call had ended
                self._id = request.get("id")
                try:
                    answer = handler(request["request"])
                except BaseException as error:
                    answer = self._failure(error)
                self._send({"id": self._id, "answer": answer})
            except KeyboardInterrupt:
                continue  # an interrupt for a call that had ended by the time it came

    def _send(self, message):
        self._line.send(json.dumps(message).encode())

    def _failure(self, error):
        """The error, with the last line of the notebook's own code it went through (IPython's
        cell files), so that the grader can show the student their line and never its own."""
        frames = [frame for frame in traceback.extract_tb(error.__traceback__) if "ipykernel_" in frame.filename]
        line = f"{frames[-1].name}: {(frames[-1].line or '').strip()}"[:200] if frames else ""
        return {"error": {"type": type(error).__name__, "message": str(error)[:2000], "line": line}}

    def names(self, request):
        """Which of the requested names the notebook defines."""
        return {"value": self._encode([name for name in json.loads(request) if name in self._ns])}

    def value(self, name):
        """The plain-data value of a variable."""
        return {"value": self._encode(self._ns[name])}

    def call(self, request):
        """Call one function with stand-ins for its dependencies, quietly; send back the value and
        the arguments as they are afterwards (the grader mirrors in-place changes)."""
        request = json.loads(request)
        name, stand_ins = request["name"], request["stand_ins"]
        saved = {dep: self._ns[dep] for dep in stand_ins if dep in self._ns}
        try:
            args = self._decode(request["args"])
            self._ns.update({dep: self._stand_in(dep) for dep in stand_ins})
            sink = io.StringIO()
            with warnings.catch_warnings(record=True) as caught, self._np.errstate(over="warn", invalid="warn"):
                warnings.simplefilter("always")  # recorded, not printed: the grader learns that it warned
                with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                    value = self._ns[name](*args)
            warned = sorted({str(warning.message)[:200] for warning in caught})[:5]
            payload = {"value": self._encode(value), "args": self._encode(args), "warned": warned}
        except BaseException as error:
            payload = self._failure(error)
        finally:
            for dep in stand_ins:
                self._ns.pop(dep, None)
            self._ns.update(saved)
        return payload

    def _stand_in(self, name):
        def stand_in(*args):
            self._send({"id": self._id, "stand_in": name, "args": self._encode(list(args))})
            answer = json.loads(self._line.recv())
            if "error" in answer:
                raise RuntimeError(answer["error"])
            return self._decode(answer["value"])

        stand_in.__name__ = name
        return stand_in
