"""The grader's helper inside a student's kernel, sent as source text after the notebook ran.

It calls the student's functions on the inputs the grader sends over a Jupyter comm and
answers on that comm with plain data. While a function runs, the other contract
functions it may call are replaced by stand-ins that ask the grader (over the kernel's
stdin channel) to evaluate the reference, so no reference code ever enters the kernel.
Everything here runs next to the student's code and is therefore not trusted: the grader
checks every answer it gets back.
"""

import contextlib
import io
import json
import warnings

#: The comm target the grader opens once the helper is installed.
TARGET = "autograder.bridge"


class Bridge:
    """Calls into the notebook's namespace on the grader's behalf, one request per comm message.

    Requests come as comm messages, not as code to execute: the kernel hands a comm message to its
    handler without IPython's machinery for a cell (transformations, compilation, history), which
    was two thirds of what one call cost the kernel.
    """

    def __init__(self, namespace, encode, decode, numpy, ask):
        """``ask(prompt)``: the kernel's own ``raw_input``, a request on its stdin channel (ipykernel
        allows it while the last execute request allowed stdin: the grader installs this helper
        with one that does, and sends nothing but comm messages after it)."""
        self._ns, self._encode, self._decode, self._np, self._ask = namespace, encode, decode, numpy, ask
        self._handlers = {"names": self.names, "value": self.value, "call": self.call}

    def open(self, comm, message):
        """The comm target: each message on the grader's comm is one request, answered on the comm."""

        @comm.on_msg
        def answer(msg):
            data = msg["content"]["data"]
            handler = self._handlers.get(data.get("op")) if isinstance(data, dict) else None
            comm.send(handler(data["request"]) if handler else self._failure(ValueError("not a bridge request")))

    def _failure(self, error):
        return {"error": {"type": type(error).__name__, "message": str(error)[:2000]}}

    def names(self, request):
        """Which of the requested names the notebook defines."""
        return {"value": self._encode([name for name in json.loads(request) if name in self._ns])}

    def value(self, name):
        """The plain-data value of a variable."""
        try:
            return {"value": self._encode(self._ns[name])}
        except BaseException as error:
            return self._failure(error)

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
        return payload

    def _stand_in(self, name):
        def stand_in(*args):
            answer = json.loads(self._ask(json.dumps({"name": name, "args": self._encode(list(args))})))
            if "error" in answer:
                raise RuntimeError(answer["error"])
            return self._decode(answer["value"])

        stand_in.__name__ = name
        return stand_in
