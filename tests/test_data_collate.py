"""default_collate and default_convert against torch: every type rule (tensors, NumPy arrays and scalars,
Python numbers, strings and bytes, mappings, namedtuples, tuples, other sequences) and every error."""

from __future__ import annotations

import collections
from types import MappingProxyType

import numpy as np
import pytest

from tests.data_helpers import check

Point = collections.namedtuple("Point", ["x", "y"])


class Record(collections.UserDict):
    """A mutable mapping other than dict: collated into a copy of itself."""


class Pair(collections.abc.Sequence):
    """An immutable sequence built from a list: collated into the same type."""

    def __init__(self, items):
        self.items = list(items)

    def __getitem__(self, i):
        return self.items[i]

    def __len__(self):
        return len(self.items)

    def __eq__(self, other):
        return type(other) is Pair and self.items == other.items


class Frozen(collections.abc.Sequence):
    """A sequence that cannot be built from a list: collated into a list."""

    def __init__(self, a, b):
        self.items = [a, b]

    def __getitem__(self, i):
        return self.items[i]

    def __len__(self):
        return 2


BATCHES = {
    "tensors": lambda T: [T.arange(3.0), T.ones(3)],
    "int-tensors": lambda T: [T.tensor(1), T.tensor(2)],
    "arrays-float32": lambda T: [np.arange(4, dtype=np.float32).reshape(2, 2), np.ones((2, 2), np.float32)],
    "arrays-int16": lambda T: [np.arange(3, dtype=np.int16), np.arange(3, dtype=np.int16)],
    "numpy-scalars": lambda T: [np.float32(1.5), np.float32(2.5)],
    "numpy-ints": lambda T: [np.int64(1), np.int64(-4)],
    "numpy-bools": lambda T: [np.bool_(True), np.bool_(False)],
    "floats": lambda T: [1.5, 2.0, -3.25],
    "ints": lambda T: [1, 2, 3],
    "bools": lambda T: [True, False],
    "strings": lambda T: ["a", "bc"],
    "bytes": lambda T: [b"a", b"bc"],
    "tuples": lambda T: [(T.zeros(2), 1, "x"), (T.ones(2), 2, "y")],
    "lists": lambda T: [[1, 2.5], [3, 4.5]],
    "dicts": lambda T: [{"a": 1, "b": np.zeros(2)}, {"a": 2, "b": np.ones(2)}],
    "user-dict": lambda T: [Record(a=1.0), Record(a=2.0)],
    "mapping-proxy": lambda T: [MappingProxyType({"k": 1}), MappingProxyType({"k": 2})],
    "namedtuples": lambda T: [Point(1, T.zeros(1)), Point(2, T.ones(1))],
    "custom-sequence": lambda T: [Pair([1, 2]), Pair([3, 4])],
    "unbuildable-sequence": lambda T: [Frozen(1, 2), Frozen(3, 4)],
    "nested": lambda T: [{"p": [Point(1, (2.0, "s"))]}, {"p": [Point(3, (4.0, "t"))]}],
    "mismatched-tensors": lambda T: [T.zeros(2), T.zeros(3)],
    "mismatched-lists": lambda T: [[1, 2], [3]],
    "mixed-numbers": lambda T: [1, 2.5],
    "objects": lambda T: [object(), object()],
    "none": lambda T: [None, None],
    "string-arrays": lambda T: [np.array(["a"]), np.array(["b"])],
    "object-arrays": lambda T: [np.array([1, "a"], dtype=object)] * 2,
}


def _comparable(value):
    """A result with its mappings and custom sequences as (type name, plain contents) and bare objects as
    their type name, so ``check`` compares the contents (and the container types) rather than identities."""
    if isinstance(value, collections.abc.Mapping):
        return (type(value).__name__, {k: _comparable(v) for k, v in value.items()})
    if isinstance(value, Pair):
        return ("Pair", [_comparable(v) for v in value])
    if type(value) is object:
        return "object"
    if isinstance(value, list | tuple) and not hasattr(value, "_fields"):
        return type(value)(_comparable(v) for v in value)
    return value


@pytest.mark.parametrize("name", BATCHES)
def test_default_collate(name):
    check(lambda T: _comparable(T.utils.data.default_collate(BATCHES[name](T))))


@pytest.mark.parametrize("name", BATCHES)
def test_default_convert(name):
    def program(T):
        converted = T.utils.data.default_convert(BATCHES[name](T))
        return _comparable([c if not isinstance(c, np.ndarray) else ("ndarray", c.tolist()) for c in converted])

    check(program)


def test_collate_reaches_submodules():
    check(lambda T: (T.utils.data.dataloader.default_collate is T.utils.data.default_collate,
                     T.utils.data._utils.collate.default_collate([np.float64(1.0)])))


def test_custom_collate_fn_map():
    def program(T):
        collate = T.utils.data._utils.collate.collate
        fn_map = {int: lambda batch, *, collate_fn_map: sum(batch)}
        return collate([(1, 2), (3, 4)], collate_fn_map=fn_map), collate([[1], [2]], collate_fn_map=fn_map)

    check(program)
