"""The grader's helper inside a student's kernel, sent as source text after the notebook ran.

It calls the student's functions on the inputs the grader sends and displays the result
as plain data under a private MIME type. While a function runs, the other contract
functions it may call are replaced by stand-ins that ask the grader (over the kernel's
stdin channel) to evaluate the reference, so no reference code ever enters the kernel.
Everything here runs next to the student's code and is therefore not trusted: the grader
checks every answer it gets back.
"""

import builtins
import contextlib
import io
import json
import warnings

MIME = "application/vnd.autograder.reply+json"


class Bridge:
    """Calls into the notebook's namespace on the grader's behalf."""

    def __init__(self, namespace, encode, decode, display, numpy):
        self._ns, self._encode, self._decode, self._display, self._np = namespace, encode, decode, display, numpy

    def _reply(self, payload):
        self._display({MIME: payload}, raw=True)

    def _failure(self, error):
        return {"error": {"type": type(error).__name__, "message": str(error)[:2000]}}

    def names(self, request):
        """Which of the requested names the notebook defines."""
        self._reply({"value": self._encode([name for name in json.loads(request) if name in self._ns])})

    def value(self, name):
        """The plain-data value of a variable."""
        try:
            self._reply({"value": self._encode(self._ns[name])})
        except BaseException as error:
            self._reply(self._failure(error))

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
            with warnings.catch_warnings(), self._np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                    value = self._ns[name](*args)
            payload = {"value": self._encode(value), "args": self._encode(args)}
        except BaseException as error:
            payload = self._failure(error)
        finally:
            for dep in stand_ins:
                self._ns.pop(dep, None)
            self._ns.update(saved)
        self._reply(payload)

    def _stand_in(self, name):
        def stand_in(*args):
            answer = json.loads(builtins.input(json.dumps({"name": name, "args": self._encode(list(args))})))
            if "error" in answer:
                raise RuntimeError(answer["error"])
            return self._decode(answer["value"])

        stand_in.__name__ = name
        return stand_in
