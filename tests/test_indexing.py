"""Indexing against torch: basic indices give views with torch's strides, advanced ones copies;
assignment broadcasts and casts; errors match."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch
from helpers import check, shares_storage
from hypothesis import given
from hypothesis import strategies as st

import reftorch

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


INDEXING = {  # torch's applySlicing, then index/index_put_ on the view
    "int then non-adjacent list": lambda T: T.arange(24).view(2, 3, 4)[0, :, [0, 1]],
    "bounds of the 2nd indexed dim": lambda T: T.arange(12).view(3, 4)[:, [5]],
    "bounds counted among indexed dims": lambda T: T.arange(24).view(2, 3, 4)[[0], :, [7]],
    "bounds after a select": lambda T: T.arange(24).view(2, 3, 4)[1, [7]],
    "first bad position decides": lambda T: T.arange(6).view(2, 3)[[5, 0], [9, 0]],
    "empty result checks no bounds": lambda T: T.zeros(0, 3)[:, [5]],
    "indices that do not broadcast": lambda T: T.zeros(2, 3)[[0, 1], [1, 2, 0]],
    "2-d mask then int": lambda T: T.arange(24).view(2, 3, 4)[T.ones(2, 3, dtype=T.bool), 0],
    "2-d mask then slice": lambda T: T.arange(24).view(2, 3, 4)[T.ones(2, 3, dtype=T.bool), 1:3],
    "mask past the last dim": lambda T: T.arange(24).view(2, 3, 4)[:, :, T.ones(3, 4, dtype=T.bool)],
    "0-dim bool tensor": lambda T: T.arange(6).view(2, 3)[T.tensor(True), 0, 0],
    "two ellipses": lambda T: T.arange(6).view(2, 3)[..., 0, ...],
    "list of lists is a tuple": lambda T: T.arange(6).view(2, 3)[[[0, 1], [1, 2]]],
    "list of numpy ints is an index": lambda T: T.arange(6).view(2, 3)[[np.int64(0), 1]],
    "0-dim: index 1": lambda T: T.tensor(5)[1],
    "0-dim: slice": lambda T: T.tensor(5)[0:1],
    "0-dim: tuple": lambda T: T.tensor(5)[(0,)],
    "index beyond int64": lambda T: T.arange(3)[2**63],
    "dict index": lambda T: T.arange(3)[{}],
    "float slice bound": lambda T: T.arange(3)[1.5:],
    "value converted before the index": lambda T: T.zeros(2, dtype=T.uint8).__setitem__("a", 300),
    "numpy float32 value": lambda T: T.zeros(2).__setitem__(0, np.float32(1)),
    "advanced number overflow": lambda T: T.zeros(2, dtype=T.uint8).__setitem__([0], 300),
    "False ignores the value": lambda T: T.zeros(2).__setitem__(False, T.ones(5)),
    "mask and long value: masked_fill_": lambda T: (lambda z: (z.__setitem__(z == 0, T.tensor(5)), z)[1])(T.zeros(3)),
    "uint8 mask and number: masked_fill_": lambda T: T.zeros(3).__setitem__(T.tensor([1, 0, 1], dtype=T.uint8), 5.0),
    "index and long value": lambda T: T.zeros(3).__setitem__(T.tensor([0]), T.tensor(5)),
    "del t[0]": lambda T: T.ones(2).__delitem__(0),
    "__getitem__()": lambda T: T.ones(2).__getitem__(),
    "__getitem__(0, foo=1)": lambda T: T.ones(2).__getitem__(0, foo=1),
    "__setitem__(0)": lambda T: T.ones(2).__setitem__(0),
    "__setitem__(0, 1, 2)": lambda T: T.ones(2).__setitem__(0, 1, 2),
    "__delitem__(0, 1)": lambda T: T.ones(2).__delitem__(0, 1),
    "index_put_ accumulates": lambda T: T.zeros(3).index_put_((T.tensor([0, 0, 1]),), T.tensor(1.0), True),
    "index_put_ by keyword": lambda T: T.zeros(3).index_put_(indices=[T.tensor([1])], values=T.tensor(2.0),
                                                                 accumulate=True),
    "index_put function": lambda T: T.index_put(T.zeros(3), [T.tensor([2])], T.tensor(1.0)),
    "index_put_ None index": lambda T: T.zeros(2, 3).index_put_((None, T.tensor([0])), T.tensor(1.0)),
    "index_put_ too many": lambda T: T.zeros(3).index_put_((T.tensor([[0, 1]]), T.tensor([0])), T.tensor(1.0)),
    "index_put_ mask past the dims": lambda T: T.zeros(3).index_put_((T.ones(3, 2, dtype=T.bool),), T.tensor(1.0)),
    "index_put_ shape before dtype": lambda T: T.zeros(3).index_put_((T.tensor([0]),), T.ones(2, 2, dtype=T.int64)),
    "index_put_ dtype": lambda T: T.zeros(3).index_put_([T.tensor([0])], T.tensor(1)),
    "index_put_ value overlapping": lambda T: (lambda z: z.index_put_((T.tensor([0]),), z[:1]))(T.zeros(3)),
    "index_put_(1)": lambda T: T.ones(2).index_put_(1),
}


@pytest.mark.parametrize("program", INDEXING.values(), ids=INDEXING.keys())
def test_indexing_follows_torchs_bindings(program):
    check(program)


def _warnings(program):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        program()
    return [(w.category, str(w.message).split(" (Triggered internally at")[0]) for w in caught]


@pytest.mark.parametrize("program", [
    lambda T: T.arange(6).view(2, 3)[[[0, 1], [1, 2]]],
    lambda T: T.arange(6).view(2, 3)[[0, None]],
    lambda T: T.arange(3)[T.tensor([1, 0, 1], dtype=T.uint8)],
    lambda T: T.zeros(3).expand(2, 3).index_put_((T.tensor([0]),), T.tensor(1.0)),
], ids=["list as tuple", "list with None", "uint8 mask", "index_put_ on expanded"])
def test_indexing_deprecations_warn_as_torch(program):
    assert _warnings(lambda: program(reftorch)) == _warnings(lambda: program(torch)) != []


INDEX_GRAPHS = {  # (take, whether the gradient's graph is the index's alone)
    "slice then list": (lambda y: y[1:, [0, 2]], False),
    "select then list": (lambda y: y[1, [0, 2]], False),
    "True": (lambda y: y[True], True),
    "mask": (lambda y: y[y > 1], True),
    "repeated index": (lambda y: y[[0, 0, 2]], True),
}


@pytest.mark.parametrize(("take", "own_graph"), INDEX_GRAPHS.values(), ids=INDEX_GRAPHS.keys())
def test_index_records_torchs_graph_and_gradients(take, own_graph):
    """IndexBackward0 below the views applySlicing took; its gradient is IndexPutImplBackward0
    (differentiable again). The gradient's graph is compared where only indexing nodes make it (the
    double-backward nodes of slice and select are the views family's)."""
    def program(T):
        x = T.arange(12.0).view(3, 4).requires_grad_()
        y = take(x * 1)
        (g,) = T.autograd.grad((y * y).sum(), x, create_graph=True)
        (gg,) = T.autograd.grad(g.sum(), x)
        return _graph(y), g, _graph(g) if own_graph else None, gg

    check(program)


@pytest.mark.parametrize("accumulate", [False, True])
def test_index_put_gradients(accumulate):
    def program(T):
        x = T.arange(6.0).requires_grad_()
        v = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = (x * 1).index_put((T.tensor([0, 2, 2]),), v * v, accumulate)
        gx, gv = T.autograd.grad((y * y).sum(), (x, v), create_graph=True)
        return _graph(y), gx, gv, T.autograd.grad(gv.sum(), v)

    check(program)


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, True, 1e39, np.float64(2.5), np.int16(-3)])
def test_assigned_numbers_convert_as_torch(value):
    check(lambda T: T.zeros(2, dtype=T.float16).__setitem__(0, value))
    check(lambda T: (lambda t: (t.__setitem__(slice(None), value), t)[1])(T.zeros(2)))
