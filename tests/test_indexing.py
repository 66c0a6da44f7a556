"""Indexing against torch: basic indices give views with torch's strides, advanced ones copies;
assignment broadcasts and casts; errors match."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import check, shares_storage
from hypothesis import given
from hypothesis import strategies as st

shapes = st.lists(st.integers(0, 4), min_size=1, max_size=3).map(tuple)


def _basic_items(shape):
    def item(size):
        return st.one_of(
            st.integers(-size, size - 1) if size else st.nothing(),
            st.builds(slice, st.none() | st.integers(-5, 5), st.none() | st.integers(-5, 5),
                      st.none() | st.integers(1, 3)),
            st.none(), st.booleans())
    return st.tuples(*(item(s) for s in shape)).flatmap(
        lambda items: st.permutations(items + (Ellipsis,)).map(lambda p: tuple(p[:len(items)])))


@given(shape=shapes, data=st.data())
def test_basic_indexing_is_a_view_with_torch_strides(shape, data):
    index = data.draw(_basic_items(shape))
    has_bool = any(isinstance(i, bool) for i in index)

    def program(T):
        x = T.arange(math.prod(shape)).reshape(shape)
        y = x[index]
        return y, shares_storage(x, y)

    # A bool index is advanced indexing (a copy) in torch; the rest are views with torch's strides.
    check(program, layout=not has_bool)


@given(shape=shapes.filter(lambda s: 0 not in s), data=st.data())
def test_advanced_indexing_copies(shape, data):
    idx = data.draw(st.lists(st.integers(-shape[0], shape[0] - 1), min_size=0, max_size=4))
    mask = data.draw(st.lists(st.booleans(), min_size=shape[0], max_size=shape[0]))

    def program(T):
        x = T.arange(math.prod(shape)).reshape(shape)
        return x[idx], x[T.tensor(idx, dtype=T.int64)], x[T.tensor(mask)], x[..., 0:1][T.tensor(mask)], x[x > 2]

    # The layout of advanced-indexing results follows TensorIterator's dim ordering, which reftorch
    # does not model (it returns row-major copies); values, dtypes and shapes must match.
    check(program)
    for T in (__import__("torch"), __import__("reftorch")):
        x = T.arange(math.prod(shape)).reshape(shape)
        assert not shares_storage(x, x[idx]) and not shares_storage(x, x[T.tensor(mask)])


def test_mixed_advanced_placement():
    check(lambda T: T.arange(24).view(2, 3, 4)[:, [0, 2]])
    check(lambda T: T.arange(24).view(2, 3, 4)[[0, 1], :, [1, 2]])
    check(lambda T: T.arange(24).view(2, 3, 4)[[0, 1], None, 1:])
    check(lambda T: T.arange(24).view(2, 3, 4)[..., [3, 0]])
    check(lambda T: T.arange(24).view(2, 3, 4)[T.tensor([[0], [1]]), T.tensor([0, 2])])
    check(lambda T: T.arange(6)[T.tensor(2)], layout=True)


def test_index_errors():
    check(lambda T: T.arange(12).view(3, 4)[5])
    check(lambda T: T.arange(12).view(3, 4)[-4])
    check(lambda T: T.arange(12).view(3, 4)[0, 0, 0])
    check(lambda T: T.arange(12).view(3, 4)[1.5])
    check(lambda T: T.arange(12).view(3, 4)[T.tensor([1.0])])
    check(lambda T: T.arange(12).view(3, 4)[T.tensor([5])])
    check(lambda T: T.arange(12).view(3, 4)[[0, 5]])
    check(lambda T: T.arange(12).view(3, 4)[T.tensor([True, False])])
    check(lambda T: T.arange(12).view(3, 4)[::-1])
    check(lambda T: T.arange(12).view(3, 4)[::0])
    check(lambda T: T.arange(12).view(3, 4)["a"])
    check(lambda T: T.tensor(5)[0])


@given(value=st.sampled_from([7, 1.7, -2, True]), dtype=st.sampled_from(["int64", "float32", "bool", "uint8"]))
def test_setitem_scalar_casts(value, dtype):
    def program(T):
        x = T.zeros(3, 4, dtype=getattr(T, dtype))
        x[1] = value
        x[:, 2] = value
        x[x != 0] = value
        x[[0, 2], [1, 3]] = value
        return x, x._version

    check(program)


def test_setitem_tensor_values():
    def program(T):
        x = T.zeros(3, 4)
        x[0] = T.tensor([1.5, 2.5, 3.5, 4.5])
        x[1:] = T.ones(1, 4) * 2
        x[:, 0] = T.tensor([7, 8, 9])
        x[[0, 1]] = T.full((2, 4), 5.0)
        x[x > 6] = T.tensor(-1.0)
        return x

    check(program)
    check(lambda T: T.zeros(3, 4).__setitem__(0, T.tensor([1.0, 2.0])))
    check(lambda T: T.zeros(3, 4).__setitem__(T.tensor([0, 1]), T.tensor([1.0, 2.0, 3.0])))
    check(lambda T: T.zeros(3, 4).__setitem__(0, [1, 2, 3, 4]))
    check(lambda T: T.zeros(3, 4).__setitem__(0, None))
    check(lambda T: T.zeros(3, 4).__setitem__(0, T.ones(2, 4)))
    check(lambda T: T.zeros(3, 4, dtype=T.int64).__setitem__([0, 1], T.ones(1, 2, 4)))


def test_writing_into_expanded_tensor_raises_and_changes_nothing():
    def program(T):
        base = T.zeros(3)
        x = base.expand(2, 3)
        try:
            x[:] = 1.0
        except RuntimeError as exc:
            return base, str(exc).split(".")[0]
        return base, None

    check(program)
    check(lambda T: T.zeros(3).expand(2, 3).copy_(T.ones(2, 3)))


def test_numpy_bridge_of_views():
    for T in (__import__("torch"), __import__("reftorch")):
        x = T.arange(12.0).view(3, 4)
        v = x[:, 1::2]
        arr = v.numpy()
        arr[0, 0] = 100
        assert x[0, 1].item() == 100
        assert np.shares_memory(arr, x.numpy())


def _graph(t, depth=4):
    """Node names of ``t``'s history to ``depth`` levels (None for missing edges)."""
    def walk(node, d):
        if node is None or d == 0:
            return None
        return node.name(), [walk(n, d - 1) for n, _ in node.next_functions]

    return walk(t.grad_fn, depth)


SETITEM_GRAPHS = {  # torch's copy_to: same shape copies, numbers/0-d fill, others view+expand+copy
    "full_slice_number": lambda T, y, v, r, w: y.__setitem__(slice(None), 1.0),
    "ellipsis_zero": lambda T, y, v, r, w: y.__setitem__(Ellipsis, 0.0),
    "row_number": lambda T, y, v, r, w: y.__setitem__(0, 2.0),
    "row_zero_dim": lambda T, y, v, r, w: y.__setitem__(0, v),
    "rows_zero_dim": lambda T, y, v, r, w: y.__setitem__(slice(0, 2), v),
    "row_leading_one": lambda T, y, v, r, w: y.__setitem__(0, r),
    "row_vector": lambda T, y, v, r, w: y.__setitem__(0, w),
    "full_slice_vector": lambda T, y, v, r, w: y.__setitem__(slice(None), w),
    "advanced_vector": lambda T, y, v, r, w: y.__setitem__(T.tensor([0]), w.view(1, 2)),
    "advanced_number": lambda T, y, v, r, w: y.__setitem__(T.tensor([0, 2]), 3.0),
}


@pytest.mark.parametrize("assign", SETITEM_GRAPHS.values(), ids=SETITEM_GRAPHS.keys())
def test_setitem_records_torchs_graph(assign):
    def program(T):
        x = T.ones(3, 2, requires_grad=True)
        leaves = T.tensor(5.0, requires_grad=True), T.ones(1, 2, requires_grad=True), T.ones(2, requires_grad=True)
        y = x * 1
        assign(T, y, *leaves)
        y.sum().backward()
        return _graph(y), x.grad, [leaf.grad for leaf in leaves], y.detach()

    check(program)


def test_assigning_through_an_expanded_target_raises_but_fill_does_not():
    check(lambda T: T.zeros(3).expand(2, 3).__setitem__((slice(None), 0), 1.0))
    check(lambda T: T.zeros(3).expand(2, 3).__setitem__(slice(None), T.tensor(2.0)))
    check(lambda T: T.zeros(3).expand(2, 3).fill_(1.0))
