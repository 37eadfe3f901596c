"""Plain data on the wire between the jailed kernel and the grader: JSON, no pickle.

Allowed: None, bool, int, float, str, lists, tuples and string-keyed dicts of these, and
NumPy arrays of booleans or numbers (sent as dtype, shape and raw bytes), each bounded in size
(strings, arrays, item counts, depth; a whole message is bounded by
:mod:`autograder.sandbox.client`). Anything else is refused. The grader decodes what comes
back into fresh objects of these types only, so a submission cannot hand it an object of its
own class. This module is also sent into the
kernel as source text, so it imports nothing but the standard library and NumPy.
"""

from __future__ import annotations

import base64
import binascii
import math
from typing import Any

import numpy as np

MAX_DEPTH = 8
MAX_ITEMS = 10_000
MAX_ARRAY_BYTES = 16 * 1024 * 1024
MAX_STRING = 1_000_000  # characters
ARRAY_KINDS = "biuf"


class StandInLimit(RuntimeError):
    """A stand-in request that went past its helper's memory or time limit: the call that asked
    for it fails with a fault, not the grader."""


class WireError(ValueError):
    """Data that is not plain or too large."""


def encode(value: Any, depth: int = 0) -> Any:
    """A JSON-ready form of ``value``."""
    if depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    if type(value) is str and len(value) > MAX_STRING:
        raise WireError(f"a string of {len(value)} characters is not sent")
    if value is None or type(value) in (bool, int, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return int.__index__(value)  # the true number inside an int subclass
    if type(value) is float or isinstance(value, (float, np.floating)):
        number = float.__float__(float(value)) if isinstance(value, np.floating) else float.__float__(value)
        return number if math.isfinite(number) else {"float": repr(number)}
    if isinstance(value, (np.integer, np.bool_)):
        return value.item()
    if isinstance(value, np.ndarray):
        array = np.array(value, copy=True, subok=False)
        if array.dtype.kind not in ARRAY_KINDS or array.nbytes > MAX_ARRAY_BYTES:
            raise WireError(f"array of dtype {array.dtype} and {array.nbytes} bytes is not sent")
        data = base64.b64encode(np.ascontiguousarray(array).tobytes()).decode()
        return {"ndarray": {"dtype": array.dtype.str, "shape": list(array.shape), "data": data}}
    if type(value) in (list, tuple):
        if len(value) > MAX_ITEMS:
            raise WireError("too many items")
        return {type(value).__name__: [encode(item, depth + 1) for item in value]}
    if type(value) is dict:
        if len(value) > MAX_ITEMS:
            raise WireError("too many items")
        if not all(type(key) is str for key in value):
            raise WireError("dict keys must be strings")
        return {"dict": {key: encode(item, depth + 1) for key, item in value.items()}}
    raise WireError(f"a {type(value).__name__} is not plain data")


def decode(data: Any, depth: int = 0) -> Any:
    """The value that :func:`encode` produced ``data`` from; strict about every type."""
    if depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    if type(data) is str and len(data) > MAX_STRING:
        raise WireError(f"a string of {len(data)} characters is not accepted")
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is not dict or len(data) != 1:
        raise WireError(f"unexpected {type(data).__name__}")
    ((kind, body),) = data.items()
    if kind == "float" and body in ("nan", "inf", "-inf"):
        return float(body)
    if kind in ("list", "tuple") and type(body) is list and len(body) <= MAX_ITEMS:
        items = [decode(item, depth + 1) for item in body]
        return items if kind == "list" else tuple(items)
    if kind == "dict" and type(body) is dict and len(body) <= MAX_ITEMS:
        return {str(key): decode(item, depth + 1) for key, item in body.items()}
    if kind == "ndarray" and type(body) is dict:
        return _decode_array(body)
    raise WireError(f"unexpected {kind!r}")


def _decode_array(body: dict) -> np.ndarray:
    try:
        dtype = np.dtype(str(body.get("dtype")))
    except TypeError:
        raise WireError("not a numeric array") from None
    shape = body.get("shape")
    if dtype.kind not in ARRAY_KINDS or dtype.hasobject or type(shape) is not list:
        raise WireError("not a numeric array")
    if not all(type(n) is int and n >= 0 for n in shape):
        raise WireError("bad array shape")
    try:
        raw = base64.b64decode(str(body.get("data")), validate=True)
    except binascii.Error:
        raise WireError("array data is not base64") from None
    if len(raw) > MAX_ARRAY_BYTES or len(raw) != dtype.itemsize * math.prod(shape):
        raise WireError("array data does not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def mirror(original: Any, changed: Any) -> None:
    """Make ``original`` (arrays, dicts and lists that a function may change in place) equal ``changed``."""
    if isinstance(original, np.ndarray) and isinstance(changed, np.ndarray) and original.shape == changed.shape:
        original[...] = changed
    elif isinstance(original, dict) and isinstance(changed, dict):
        for key in [key for key in original if key not in changed]:
            del original[key]
        for key, value in changed.items():
            current = original.get(key)
            if isinstance(current, np.ndarray) and isinstance(value, np.ndarray) and current.shape == value.shape:
                current[...] = value
            else:
                original[key] = value
    elif isinstance(original, list) and isinstance(changed, list):
        original[:] = changed
