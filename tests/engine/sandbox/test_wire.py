"""Unit tests of the plain-data wire between the jailed kernel and the grader (:mod:`autograder.sandbox.wire`):
round trips of every allowed type, refusals of everything else, strict decoding and ``mirror``."""

from __future__ import annotations

import base64
import json
import math
import re
from collections import OrderedDict
from typing import Any

import numpy as np
import pytest

from autograder.sandbox import wire
from autograder.sandbox.wire import WireError


def through_json(value: Any) -> Any:
    """``value`` encoded, sent as JSON text (as the bridge does) and decoded."""
    return wire.decode(json.loads(json.dumps(wire.encode(value))))


def nested_lists(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = [value]
    return value


def array_data(dtype: str, shape: Any, data: str = "") -> dict:
    return {"ndarray": {"dtype": dtype, "shape": shape, "data": data}}


# --- round trips -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        0,
        -7,
        2**70,
        0.0,
        -2.5,
        1e-300,
        "",
        "text with ✓ and \n newlines",
        [],
        [1, 2.5, "x", None, True],
        (),
        (1, (2, 3), [4]),
        {},
        {"a": 1, "b": {"c": [1, {"d": (True, None)}], "e": {}}},
    ],
    ids=repr,
)
def test_plain_values_round_trip_with_their_exact_types(value: Any) -> None:
    decoded = through_json(value)
    assert decoded == value
    assert type(decoded) is type(value)


def test_containers_keep_list_and_tuple_apart_at_every_level() -> None:
    decoded = through_json({"pair": (1, [2, (3,)])})
    assert type(decoded["pair"]) is tuple
    assert type(decoded["pair"][1]) is list
    assert type(decoded["pair"][1][1]) is tuple


@pytest.mark.parametrize("number", [math.inf, -math.inf])
def test_infinities_round_trip(number: float) -> None:
    assert wire.encode(number) == {"float": repr(number)}
    assert through_json(number) == number


def test_nan_round_trips_as_nan_also_inside_containers() -> None:
    assert wire.encode(math.nan) == {"float": "nan"}
    decoded = through_json({"x": [math.nan, 1.0]})
    assert math.isnan(decoded["x"][0])
    assert decoded["x"][1] == 1.0


@pytest.mark.parametrize(
    "array",
    [
        np.array(3.5),
        np.array(True),
        np.array([], dtype=np.float64),
        np.zeros((0, 3), dtype=np.int32),
        np.array([True, False, True]),
        np.arange(6, dtype=np.int8).reshape(2, 3),
        np.arange(24, dtype=np.uint16).reshape(2, 3, 4),
        np.array([[1.5, -2.0], [np.nan, np.inf]], dtype=np.float32),
        np.arange(5, dtype=">i4"),
        np.arange(12, dtype=np.float64).reshape(3, 4).T,  # not C-contiguous
    ],
    ids=lambda array: f"{array.dtype.str}{array.shape}",
)
def test_numeric_arrays_round_trip_with_dtype_shape_and_values(array: np.ndarray) -> None:
    decoded = through_json(array)
    assert type(decoded) is np.ndarray
    assert decoded.dtype == array.dtype
    assert decoded.shape == array.shape
    np.testing.assert_array_equal(decoded, array)


def test_an_array_is_sent_as_dtype_shape_and_raw_bytes() -> None:
    encoded = wire.encode(np.array([[1, 2]], dtype="<i2"))
    assert encoded == {
        "ndarray": {"dtype": "<i2", "shape": [1, 2], "data": base64.b64encode(b"\x01\x00\x02\x00").decode()}
    }


def test_numpy_scalars_become_python_numbers() -> None:
    assert wire.encode(np.float32(0.5)) == 0.5
    assert type(wire.encode(np.float32(0.5))) is float
    assert wire.encode(np.float64(np.inf)) == {"float": "inf"}
    assert wire.encode(np.int64(-3)) == -3
    assert type(wire.encode(np.int64(-3))) is int
    assert wire.encode(np.bool_(True)) is True


def test_an_array_subclass_arrives_as_a_plain_array() -> None:
    decoded = through_json(np.ma.masked_array([1.0, 2.0], mask=[True, False]))
    assert type(decoded) is np.ndarray
    np.testing.assert_array_equal(decoded, [1.0, 2.0])


# --- lying subclasses ------------------------------------------------------------------------------


class LyingInt(int):
    def __index__(self) -> int:
        return 99

    def __int__(self) -> int:
        return 99

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = int.__hash__

    def __repr__(self) -> str:
        return "99"


class LyingFloat(float):
    def __float__(self) -> float:
        return 99.0

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = float.__hash__

    def __repr__(self) -> str:
        return "99.0"


def test_the_true_value_inside_an_int_subclass_is_sent() -> None:
    encoded = wire.encode(LyingInt(3))
    assert type(encoded) is int
    assert int.__repr__(encoded) == "3"


def test_the_true_value_inside_a_float_subclass_is_sent() -> None:
    encoded = wire.encode(LyingFloat(2.5))
    assert type(encoded) is float
    assert float.__repr__(encoded) == "2.5"
    assert wire.encode(LyingFloat("nan")) == {"float": "nan"}


def test_a_lying_int_inside_a_list_arrives_as_a_plain_int() -> None:
    decoded = through_json([LyingInt(4)])
    assert type(decoded[0]) is int
    assert int.__repr__(decoded[0]) == "4"


# --- refusals when encoding ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("array", "dtype"),
    [
        (np.array([1, "a"], dtype=object), "object"),
        (np.array(["ab", "c"]), "<U2"),
        (np.array([b"ab"]), "|S2"),
        (np.array([1 + 2j]), "complex128"),
        (np.array(["2020-01-01"], dtype="datetime64[D]"), "datetime64[D]"),
    ],
)
def test_arrays_that_are_not_booleans_or_numbers_are_refused(array: np.ndarray, dtype: str) -> None:
    with pytest.raises(WireError, match=rf"^array of dtype {re.escape(dtype)} and \d+ bytes is not sent$"):
        wire.encode(array)


def test_an_array_over_the_byte_limit_is_refused_and_one_at_the_limit_is_sent() -> None:
    too_big = np.zeros(wire.MAX_ARRAY_BYTES + 1, dtype=np.uint8)
    with pytest.raises(WireError, match=f"^array of dtype uint8 and {wire.MAX_ARRAY_BYTES + 1} bytes is not sent$"):
        wire.encode(too_big)
    with pytest.raises(WireError):
        wire.encode({"nested": [too_big]})
    at_limit = wire.encode(np.zeros(wire.MAX_ARRAY_BYTES // 8, dtype=np.float64))
    assert at_limit["ndarray"]["shape"] == [wire.MAX_ARRAY_BYTES // 8]


def test_nesting_up_to_max_depth_is_sent_and_one_level_more_is_refused() -> None:
    assert through_json(nested_lists(wire.MAX_DEPTH)) == nested_lists(wire.MAX_DEPTH)
    with pytest.raises(WireError, match=r"^nested too deeply$"):
        wire.encode(nested_lists(wire.MAX_DEPTH + 1))


def test_deep_dicts_are_refused_like_deep_lists() -> None:
    value: Any = 0
    for _ in range(wire.MAX_DEPTH + 1):
        value = {"k": value}
    with pytest.raises(WireError, match=r"^nested too deeply$"):
        wire.encode(value)


@pytest.mark.parametrize("container", [list, tuple])
def test_more_than_max_items_are_refused(container: type) -> None:
    assert len(through_json(container(range(wire.MAX_ITEMS)))) == wire.MAX_ITEMS
    with pytest.raises(WireError, match=r"^too many items$"):
        wire.encode(container(range(wire.MAX_ITEMS + 1)))


def test_a_dict_with_more_than_max_items_is_refused() -> None:
    assert len(through_json({str(i): i for i in range(wire.MAX_ITEMS)})) == wire.MAX_ITEMS
    with pytest.raises(WireError):
        wire.encode({str(i): i for i in range(wire.MAX_ITEMS + 1)})


def test_a_dict_with_more_than_max_items_is_refused_as_too_many_items() -> None:
    with pytest.raises(WireError, match=r"^too many items$"):
        wire.encode({str(i): i for i in range(wire.MAX_ITEMS + 1)})


@pytest.mark.parametrize("key", [1, 1.5, None, ("a",), True])
def test_dict_keys_must_be_strings(key: Any) -> None:
    with pytest.raises(WireError, match=r"^dict keys must be strings$"):
        wire.encode({"fine": 1, key: 2})


class MyStr(str):
    pass


class MyList(list):
    pass


class Anything:
    pass


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (Anything(), "Anything"),
        (MyStr("x"), "MyStr"),
        (MyList([1]), "MyList"),
        (OrderedDict(a=1), "OrderedDict"),
        ({"a": MyStr("x")}, "MyStr"),
        ({1, 2}, "set"),
        (b"bytes", "bytes"),
        (1 + 2j, "complex"),
        (len, "builtin_function_or_method"),
        (np.float64, "type"),
    ],
)
def test_anything_else_is_not_plain_data(value: Any, name: str) -> None:
    with pytest.raises(WireError, match=f"^a {name} is not plain data$"):
        wire.encode(value)


def test_a_dict_key_that_is_a_str_subclass_is_refused() -> None:
    with pytest.raises(WireError, match=r"^dict keys must be strings$"):
        wire.encode({MyStr("k"): 1})


# --- strict decoding -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"set": [1, 2]}, "unexpected 'set'"),
        ({"float": "1.5"}, "unexpected 'float'"),
        ({"list": "not a list"}, "unexpected 'list'"),
        ({"tuple": {"a": 1}}, "unexpected 'tuple'"),
        ({"dict": [1]}, "unexpected 'dict'"),
        ({"ndarray": [1]}, "unexpected 'ndarray'"),
        ({"list": [], "tuple": []}, "unexpected dict"),
        ({}, "unexpected dict"),
        ([1, 2], "unexpected list"),
        (b"raw", "unexpected bytes"),
        ({"list": [{"oops": 1}]}, "unexpected 'oops'"),
    ],
)
def test_decode_refuses_unknown_kinds(data: Any, message: str) -> None:
    with pytest.raises(WireError, match=f"^{re.escape(message)}$"):
        wire.decode(data)


def test_decode_refuses_too_many_items() -> None:
    with pytest.raises(WireError, match=r"^unexpected 'list'$"):
        wire.decode({"list": [0] * (wire.MAX_ITEMS + 1)})


def test_decode_refuses_too_deep_nesting() -> None:
    data: Any = 1
    for _ in range(wire.MAX_DEPTH + 1):
        data = {"list": [data]}
    with pytest.raises(WireError, match=r"^nested too deeply$"):
        wire.decode(data)


@pytest.mark.parametrize("dtype", ["|O", "<U3", "|S4", "<c16", "<M8[D]", "|V8"])
def test_decode_refuses_arrays_that_are_not_numeric(dtype: str) -> None:
    with pytest.raises(WireError, match=r"^not a numeric array$"):
        wire.decode(array_data(dtype, [1], ""))


@pytest.mark.parametrize("shape", [(2,), "2", 2, None, {"0": 2}])
def test_decode_refuses_a_shape_that_is_not_a_list(shape: Any) -> None:
    with pytest.raises(WireError, match=r"^not a numeric array$"):
        wire.decode(array_data("<i4", shape, "AAAAAAAAAAA="))


@pytest.mark.parametrize("shape", [[-1], [2, -2], [1.0], ["1"], [True], [None]])
def test_decode_refuses_negative_or_non_integer_dimensions(shape: list) -> None:
    with pytest.raises(WireError, match=r"^bad array shape$"):
        wire.decode(array_data("<i4", shape, "AAAAAAAAAAA="))


@pytest.mark.parametrize(
    ("dtype", "shape", "raw"),
    [
        ("<i4", [3], b"\0" * 8),
        ("<i4", [1], b"\0" * 8),
        ("<f8", [2, 2], b"\0" * 24),
        ("<f8", [0], b"\0" * 8),
        ("<f8", [], b""),
    ],
)
def test_decode_refuses_data_that_does_not_match_the_shape(dtype: str, shape: list, raw: bytes) -> None:
    with pytest.raises(WireError, match=r"^array data does not match its shape$"):
        wire.decode(array_data(dtype, shape, base64.b64encode(raw).decode()))


@pytest.mark.parametrize("data", ["not base64!", "AAA", "AA==AA=="])
def test_decode_refuses_bad_base64(data: str) -> None:
    with pytest.raises(WireError, match=r"^array data is not base64$"):
        wire.decode(array_data("<i4", [1], data))


@pytest.mark.parametrize("body", [("<i4", "not base64!"), ("no such dtype", "AAAAAA==")], ids=["base64", "dtype"])
def test_decode_refuses_every_malformed_array_with_wire_error(body: tuple[str, str]) -> None:
    dtype, data = body
    with pytest.raises(WireError):
        wire.decode(array_data(dtype, [1], data))


def test_decode_refuses_an_unknown_dtype_name() -> None:
    with pytest.raises(WireError, match=r"^not a numeric array$"):
        wire.decode(array_data("no such dtype", [1], "AAAAAA=="))


def test_decoded_arrays_are_fresh_writable_copies() -> None:
    decoded = wire.decode(wire.encode(np.arange(4, dtype=np.int64)))
    assert decoded.base is None
    assert decoded.flags.owndata
    assert decoded.flags.writeable
    decoded[0] = 10
    np.testing.assert_array_equal(decoded, [10, 1, 2, 3])


def test_two_decodes_of_the_same_data_share_no_memory() -> None:
    data = wire.encode({"a": np.ones(3)})
    first, second = wire.decode(data), wire.decode(data)
    first["a"][:] = 0
    np.testing.assert_array_equal(second["a"], [1.0, 1.0, 1.0])
    assert not np.shares_memory(first["a"], second["a"])


# --- mirror ----------------------------------------------------------------------------------------


def test_mirror_copies_into_an_array_in_place() -> None:
    original = np.zeros((2, 2))
    mirrored = original
    wire.mirror(original, np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert mirrored is original
    np.testing.assert_array_equal(original, [[1.0, 2.0], [3.0, 4.0]])


def test_mirror_leaves_an_array_of_another_shape_alone() -> None:
    original = np.zeros(3)
    wire.mirror(original, np.ones(4))
    np.testing.assert_array_equal(original, np.zeros(3))


def test_mirror_updates_a_dict_in_place_with_added_and_removed_keys() -> None:
    weights = np.zeros(2)
    original = {"W": weights, "gone": 1, "kept": "old", "reshaped": np.zeros(2)}
    changed = {"W": np.array([5.0, 6.0]), "kept": "new", "added": [1, 2], "reshaped": np.ones(3)}
    wire.mirror(original, changed)
    assert sorted(original) == ["W", "added", "kept", "reshaped"]
    assert original["W"] is weights  # the same array object, changed in place
    np.testing.assert_array_equal(weights, [5.0, 6.0])
    assert original["kept"] == "new"
    assert original["added"] == [1, 2]
    np.testing.assert_array_equal(original["reshaped"], np.ones(3))


def test_mirror_replaces_the_items_of_a_list_in_place() -> None:
    original = [1, 2, 3]
    alias = original
    wire.mirror(original, [4])
    assert alias is original
    assert original == [4]


def test_mirror_ignores_values_of_another_kind() -> None:
    original = {"a": 1}
    wire.mirror(original, [1, 2])
    assert original == {"a": 1}
    values = [1]
    wire.mirror(values, {"a": 1})
    assert values == [1]


def test_a_string_over_the_length_limit_is_refused_both_ways_and_one_at_the_limit_is_sent() -> None:
    at_limit = "x" * wire.MAX_STRING
    assert wire.decode(wire.encode([at_limit])) == [at_limit]
    with pytest.raises(WireError, match=f"^a string of {wire.MAX_STRING + 1} characters is not sent$"):
        wire.encode({"answer": at_limit + "x"})
    with pytest.raises(WireError, match=f"^a string of {wire.MAX_STRING + 1} characters is not accepted$"):
        wire.decode({"list": [at_limit + "x"]})
