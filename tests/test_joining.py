"""Joining, reordering and index-driven ops (reftorch.ops.joining) against torch: values, dtypes,
shapes, strides, storage sharing, in-place semantics and error types/messages."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from helpers import DTYPE_NAMES, arange_shaped, assert_same, check, from_small_values, shares_storage, small_values
from hypothesis import given
from hypothesis import strategies as st

import reftorch

shapes = st.lists(st.integers(0, 4), min_size=1, max_size=4).map(tuple)
nonempty_shapes = st.lists(st.integers(1, 4), min_size=1, max_size=4).map(tuple)
dtype_names = st.sampled_from(DTYPE_NAMES)
index_dtypes = st.sampled_from(["int64", "int32"])


_values = small_values
_t = from_small_values
_ar = arange_shaped


# ----------------------------------------------------------------------------- cat / stack
@given(shape=shapes, data=st.data())
def test_cat_promotes_and_joins_along_any_dim(shape, data):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    names = data.draw(st.lists(dtype_names, min_size=1, max_size=3))
    sizes = data.draw(st.lists(st.integers(0, 3), min_size=len(names), max_size=len(names)))
    d = dim % len(shape)
    pieces = [shape[:d] + (n,) + shape[d + 1:] for n in sizes]
    check(lambda T: T.cat([_t(T, s, name, i) for i, (s, name) in enumerate(zip(pieces, names))], dim),
          layout=True)


def test_cat_skips_one_dimensional_empty_tensors_but_keeps_their_dtype():
    check(lambda T: T.cat([T.ones(0, dtype=T.float64), _ar(T, 2, 3, dtype=T.float32)]), layout=True)
    check(lambda T: T.cat([_ar(T, 2, 3), T.ones(0)], dim=1), layout=True)
    check(lambda T: T.cat([T.ones(0), T.ones(0, dtype=T.int32)], 5), layout=True)
    check(lambda T: T.cat([T.ones(0), _ar(T, 2, 3), T.ones(3, 4)]))
    check(lambda T: T.cat([T.ones(0, 3), _ar(T, 2, 3)]), layout=True)


def test_cat_aliases_keywords_and_copies():
    check(lambda T: T.concat((_ar(T, 2, 3), _ar(T, 2, 3)), dim=-1), layout=True)
    check(lambda T: T.concatenate([_ar(T, 2, 3).t(), _ar(T, 3, 1)], dim=1), layout=True)
    x = reftorch.ones(3)
    y = reftorch.cat([x])
    y.add_(1)
    assert not shares_storage(x, y) and x.tolist() == [1.0, 1.0, 1.0]


@pytest.mark.parametrize("call", [
    lambda T: T.cat([_ar(T, 2, 3), T.ones(2, 2)]),
    lambda T: T.cat([_ar(T, 2, 3), T.ones(3, 2)], 1),
    lambda T: T.cat([_ar(T, 2, 3), T.ones(3, 4), T.ones(2)]),
    lambda T: T.cat([]),
    lambda T: T.cat(()),
    lambda T: T.cat([_ar(T, 2, 3), T.ones(3)]),
    lambda T: T.cat([_ar(T, 2, 3), _ar(T, 2, 3)], 2),
    lambda T: T.cat([_ar(T, 2, 3), _ar(T, 2, 3)], -3),
    lambda T: T.cat([_ar(T, 2, 3), T.ones(2, 3, 1)], 5),
    lambda T: T.cat([_ar(T, 2, 3), T.tensor(1.)], 5),
    lambda T: T.cat([T.tensor(1.), T.tensor(2.)]),
    lambda T: T.cat(_ar(T, 2, 3)),
    lambda T: T.cat([_ar(T, 2, 3), 1]),
    lambda T: T.cat([None, _ar(T, 2, 3)]),
    lambda T: T.cat([_ar(T, 2)], dim=1.0),
    lambda T: T.cat([T.ones(0, 0), _ar(T, 2, 3)]),
])
def test_cat_errors(call):
    check(call)


@given(shape=shapes, data=st.data())
def test_stack_adds_a_dim(shape, data):
    dim = data.draw(st.integers(-len(shape) - 1, len(shape)))
    names = data.draw(st.lists(dtype_names, min_size=1, max_size=3))
    check(lambda T: T.stack([_t(T, shape, name, i) for i, name in enumerate(names)], dim), layout=True)


@pytest.mark.parametrize("call", [
    lambda T: T.stack([T.tensor([1, 2]), T.tensor([1, 2, 3])]),
    lambda T: T.stack([_ar(T, 2, 3), _ar(T, 2, 3).t()]),
    lambda T: T.stack([]),
    lambda T: T.stack([_ar(T, 2, 3), _ar(T, 2, 3)], 3),
    lambda T: T.stack([_ar(T, 2, 3), _ar(T, 3, 2)], 5),
    lambda T: T.stack([T.tensor(1), T.tensor(2.)]),
    lambda T: T.stack([T.ones(0), T.ones(0)]),
    lambda T: T.stack(_ar(T, 2, 3)),
])
def test_stack_cases_and_errors(call):
    check(call, layout=True)


@pytest.mark.parametrize("name", ["hstack", "vstack", "dstack", "column_stack", "row_stack"])
@pytest.mark.parametrize("shapes_", [[()], [(), ()], [(2,), (2,)], [(2,), (3,)], [(2, 3), (2, 1)],
                                     [(2, 3), (1, 3)], [(1, 2, 3), (1, 2, 1)], [(2,), (1, 2)]])
def test_stacking_family(name, shapes_):
    check(lambda T: getattr(T, name)([_t(T, s, "int64", i) for i, s in enumerate(shapes_)]), layout=True)


@pytest.mark.parametrize("name", ["hstack", "vstack", "dstack", "column_stack"])
def test_stacking_family_empty_list(name):
    check(lambda T: getattr(T, name)([]))


@pytest.mark.parametrize("name", ["atleast_1d", "atleast_2d", "atleast_3d"])
def test_atleast_views(name):
    for shape in [(), (2,), (2, 3), (2, 3, 4)]:
        check(lambda T, s=shape: getattr(T, name)(_ar(T, *s) if s else T.tensor(1.)), layout=True)
    check(lambda T: getattr(T, name)(T.tensor(1.), T.ones(2)), layout=True)
    check(lambda T: getattr(T, name)([T.tensor(1.), T.ones(2)]), layout=True)
    x = reftorch.ones(2, 3, 4)
    assert getattr(reftorch, name)(x) is x


# ----------------------------------------------------------------------------- flip / roll / repeat / tile
@given(shape=nonempty_shapes, data=st.data())
def test_flip_reverses_and_keeps_the_layout(shape, data):
    ndim = len(shape)
    dims = data.draw(st.lists(st.integers(-ndim, ndim - 1), unique_by=lambda d: d % ndim, max_size=ndim))
    perm = data.draw(st.permutations(range(ndim)))
    check(lambda T: T.flip(_ar(T, *shape).permute(*perm), dims), layout=True)


@pytest.mark.parametrize("make", [
    lambda T: T.ones(4, 6)[:, ::2].t(),
    lambda T: _ar(T, 4, 6)[::2, :].t(),
    lambda T: _ar(T, 2, 3, 4).permute(2, 0, 1)[:, :, ::2],
    lambda T: _ar(T, 3, 1).expand(3, 4),
    lambda T: _ar(T, 1, 3).expand(4, 3),
    lambda T: _ar(T, 4, 1).t(),
    lambda T: T.tensor(3.),
])
def test_flip_layout_of_strided_inputs(make):
    check(lambda T: T.flip(make(T), [0] if make(T).dim() else []), layout=True)


def test_flip_forms_and_errors():
    check(lambda T: _ar(T, 2, 3).flip(0, 1), layout=True)
    check(lambda T: _ar(T, 2, 3).flip([1]), layout=True)
    check(lambda T: _ar(T, 2, 3).flip(dims=(0,)), layout=True)
    check(lambda T: T.flip(T.tensor(3), [0]), layout=True)
    check(lambda T: T.flip(_ar(T, 2, 3), []), layout=True)
    check(lambda T: T.flip(_ar(T, 2, 3), [0, -2]))
    check(lambda T: T.flip(_ar(T, 2, 3), [2]))
    check(lambda T: T.flip(_ar(T, 2, 3), 1))
    check(lambda T: _ar(T, 2, 3).flip())
    x = reftorch.arange(3)
    assert not shares_storage(x, reftorch.flip(x, []))


def test_fliplr_flipud():
    for name in ("fliplr", "flipud"):
        for make in (lambda T: _ar(T, 2, 3), lambda T: _ar(T, 3), lambda T: T.tensor(1)):
            check(lambda T, n=name, m=make: getattr(T, n)(m(T)), layout=True)
        check(lambda T, n=name: getattr(_ar(T, 2, 3, 4), n)(), layout=True)


@pytest.mark.parametrize("args", [
    (1,), (1, 0), (-1, 1), ((1, 2), (0, 1)), (7, 1), ((1, 1), (0, 0)), (-5,), ((1, 2), (0,)), ((1,), (0, 1)),
    ((1, 2),), (1, 2), ((), ()),
])
def test_roll(args):
    check(lambda T: T.roll(_ar(T, 2, 3), *args), layout=True)
    check(lambda T: _ar(T, 3, 2).t().roll(*args), layout=True)


def test_roll_argument_types():
    check(lambda T: T.roll(_ar(T, 2, 3), 1.5))
    check(lambda T: T.roll(_ar(T, 2, 3), 1, 1.5))


def test_roll_edge_cases():
    check(lambda T: T.roll(T.tensor(5), 1), layout=True)
    check(lambda T: T.roll(T.tensor(5), 1, 0))
    check(lambda T: T.roll(T.tensor(5), 1, -1))
    check(lambda T: T.roll(T.zeros(0, 3), 1, 0), layout=True)
    check(lambda T: T.roll(T.zeros(0, 3), 1, 5), layout=True)
    check(lambda T: T.roll(T.zeros(3, 0).t(), 1, 0), layout=True)
    check(lambda T: T.roll(T.zeros(0, 3), 1), layout=True)
    check(lambda T: _ar(T, 2, 3).roll(shifts=1, dims=0), layout=True)


@pytest.mark.parametrize("reps", [(2, 1), (2, 1, 2), (2,), ((2, 2),), ([2, 2],), (0, 2), (-1, 2), (),
                                  (1, 1, 1, 1)])
def test_repeat(reps):
    check(lambda T: _ar(T, 2, 3).repeat(*reps), layout=True)
    check(lambda T: _ar(T, 3, 2).t().repeat(*reps), layout=True)


def test_repeat_zero_dim_and_copies():
    check(lambda T: T.tensor(5).repeat(()), layout=True)
    check(lambda T: T.tensor(5).repeat(3), layout=True)
    check(lambda T: T.tensor(5).repeat(2, 2), layout=True)
    x = reftorch.ones(3)
    assert not shares_storage(x, x.repeat(1))


@pytest.mark.parametrize("dims", [(2,), (2, 1, 2), (), (1, 2), (-1,), (0,)])
def test_tile(dims):
    check(lambda T: T.tile(_ar(T, 2, 3), dims), layout=True)
    check(lambda T: _ar(T, 2, 3).tile(*dims) if dims else _ar(T, 2, 3).tile(dims), layout=True)


def test_tile_errors_and_forms():
    check(lambda T: T.tile(_ar(T, 2, 3), 2))
    check(lambda T: _ar(T, 2, 3).tile(2, 2), layout=True)
    check(lambda T: T.tile(T.ones(3), dims=(2,)), layout=True)
    check(lambda T: T.tile(T.tensor(5), ()), layout=True)


# ----------------------------------------------------------------------------- gather / scatter
@given(shape=nonempty_shapes, name=dtype_names, index_dtype=index_dtypes, data=st.data())
def test_gather_random(shape, name, index_dtype, data):
    ndim = len(shape)
    dim = data.draw(st.integers(-ndim, ndim - 1))
    d = dim % ndim
    index_shape = tuple(data.draw(st.integers(0, 5)) if k == d else data.draw(st.integers(0, s))
                        for k, s in enumerate(shape))
    index = np.random.default_rng(1).integers(0, shape[d], size=index_shape).astype(index_dtype)
    check(lambda T: T.gather(_t(T, shape, name), dim, T.from_numpy(index.copy())), layout=True)


@pytest.mark.parametrize("call", [
    lambda T: T.gather(_ar(T, 2, 3), 1, T.tensor([[0, 2], [1, 1]])),
    lambda T: T.gather(_ar(T, 2, 3), 1, T.tensor([[0.0, 2.0]])),
    lambda T: T.gather(_ar(T, 2, 3), 1, T.tensor([[0]], dtype=T.int16)),
    lambda T: T.gather(_ar(T, 2, 3), 1, T.tensor([0, 2])),
    lambda T: T.gather(_ar(T, 2, 3), 1, T.tensor(0)),
    lambda T: T.gather(_ar(T, 2, 3), 1, T.tensor([[5]])),
    lambda T: T.gather(_ar(T, 2, 3), 1, T.tensor([[-1]])),
    lambda T: T.gather(_ar(T, 2, 3), 1, T.tensor([[0, 0], [0, -5]])),
    lambda T: T.gather(_ar(T, 2, 3), 0, T.tensor([[1, 1, 1, 1]])),
    lambda T: T.gather(_ar(T, 2, 3), 1, T.tensor([[0], [0], [0]])),
    lambda T: T.gather(T.ones(2, 3, 4), 1, T.zeros(2, 3, 5, dtype=T.long)),
    lambda T: T.gather(_ar(T, 2, 3), 2, T.tensor([[0]])),
    lambda T: T.gather(_ar(T, 2, 3), 5, T.tensor([0.0])),
    lambda T: T.gather(_ar(T, 2, 3), 1, T.zeros(0, 5)),
    lambda T: T.gather(_ar(T, 2, 3), 1, T.zeros(3, 0, dtype=T.long)),
    lambda T: T.gather(T.tensor(5.), 0, T.tensor(0)),
    lambda T: T.gather(T.tensor(5.), 0, T.tensor([0])),
    lambda T: T.gather(T.tensor([5.]), 0, T.tensor(0)),
    lambda T: T.gather(T.tensor(5.), 0, T.tensor(1)),
    lambda T: T.gather(T.zeros(0, 3), 0, T.zeros(1, 2, dtype=T.long)),
    lambda T: T.gather(_ar(T, 2, 3), 1, [[0]]),
    lambda T: T.gather(_ar(T, 2, 3), 1.0, T.tensor([[0]])),
    lambda T: _ar(T, 2, 3).gather(1, T.tensor([[0]])),
])
def test_gather_cases_and_errors(call):
    check(call, layout=True)


@given(shape=nonempty_shapes, name=dtype_names, data=st.data())
def test_scatter_random(shape, name, data):
    ndim = len(shape)
    dim = data.draw(st.integers(-ndim, ndim - 1))
    d = dim % ndim
    index_shape = tuple(data.draw(st.integers(0, 4)) if k == d else data.draw(st.integers(0, s))
                        for k, s in enumerate(shape))
    index = np.random.default_rng(2).integers(0, shape[d], size=index_shape)
    src_shape = tuple(n + data.draw(st.integers(0, 1)) for n in index_shape)
    reduce = data.draw(st.sampled_from([None, "add", "multiply"]))
    kwargs = {} if reduce is None else {"reduce": reduce}
    # duplicate indices: torch's CPU kernel writes in order, the last write along ``dim`` wins
    check(lambda T: T.scatter(_t(T, shape, name), dim, T.from_numpy(index.copy()), _t(T, src_shape, name, 3),
                              **kwargs), layout=True)
    check(lambda T: T.scatter(_t(T, shape, name), dim, T.from_numpy(index.copy()), 2, **kwargs), layout=True)
    if name != "bool":
        check(lambda T: T.scatter_add(_t(T, shape, name), dim, T.from_numpy(index.copy()),
                                      _t(T, src_shape, name, 3)), layout=True)


def _inplace(T, method, base, *args, **kwargs):
    result = getattr(base, method)(*args, **kwargs)
    assert result is base
    return base


@pytest.mark.parametrize("call", [
    lambda T: T.scatter(T.zeros(2, 3), 1, T.tensor([[0, 2], [1, 1]]), value=5),
    lambda T: T.scatter(T.zeros(2, 3), 1, T.tensor([[0, 2], [1, 1]]), src=_ar(T, 2, 3, dtype=T.float32)),
    lambda T: T.scatter(T.zeros(2, 3), 1, T.tensor([[0, 0], [1, 1]]), 2.0, reduce="add"),
    lambda T: T.scatter(T.ones(2, 3), 1, T.tensor([[0, 0], [1, 1]]), 3.0, reduce="multiply"),
    lambda T: T.scatter(T.zeros(2, 3).t(), 0, T.zeros(2, 2, dtype=T.long), 1.0),
    lambda T: T.scatter(T.zeros(2, 3, dtype=T.int64), 1, T.tensor([[0, 0]]), 2.5),
    lambda T: T.scatter(T.zeros(2, 3), 1, T.tensor([[0, 0]], dtype=T.int32), 1.0),
    lambda T: T.scatter(T.zeros(2, 3), 1, T.tensor([[0, 1, 2, 0]]), 1.0),
    lambda T: T.scatter(T.tensor(1.), 0, T.tensor(0), T.tensor(5.)),
    lambda T: T.scatter(T.tensor([1., 2.]), 0, T.tensor(1), T.tensor(5.)),
    lambda T: T.scatter(T.zeros(2, 3), 1, T.zeros(0, 7, dtype=T.long), T.ones(2, 3)),
    lambda T: T.scatter(T.zeros(2, 3), 1, T.tensor([[0]]), T.ones(3, 2).t()),
    lambda T: T.scatter(T.zeros(2, 3, dtype=T.bool), 1, T.tensor([[0, 0]]), T.ones(2, 3, dtype=T.bool),
                        reduce="add"),
    lambda T: T.scatter_add(T.zeros(2, 3), 1, T.tensor([[0, 0], [1, 1]]), _ar(T, 2, 3, dtype=T.float32)),
    lambda T: _inplace(T, "scatter_", T.zeros(2, 3).t(), 0, T.tensor([[0, 2], [1, 1]]), 7.0),
    lambda T: _inplace(T, "scatter_", T.zeros(2, 3), 1, T.tensor([[0, 0]]), T.ones(2, 3), reduce="add"),
    lambda T: _inplace(T, "scatter_add_", T.zeros(3, 2).t(), 1, T.tensor([[0, 0]]), T.ones(2, 3)),
    lambda T: _inplace(T, "scatter_", T.zeros(3).expand(2, 3), 1, T.tensor([[0, 0]]), 3.0),
])
def test_scatter_cases(call):
    check(call, layout=True)


@pytest.mark.parametrize("call", [
    lambda T: T.scatter(T.zeros(2, 3), 1, T.tensor([[0]])),
    lambda T: T.scatter(T.zeros(2, 3), 1, T.tensor([[0, 0]]), T.ones(2, 3).double()),
    lambda T: T.scatter(T.zeros(2, 3), 1, T.tensor([[0, 0]]), T.tensor(2.5)),
    lambda T: T.scatter(T.zeros(2, 3), 1, T.tensor([[0, 0]]), T.tensor([2.5])),
    lambda T: T.scatter(T.zeros(2, 3), 1, T.tensor([[0, 0]], dtype=T.int16), 1.0),
    lambda T: T.scatter(T.zeros(2, 3), 1, T.tensor([[0, 0]]).float(), 1.0),
    lambda T: T.scatter(T.zeros(2, 3), 1, T.tensor([[3]]), 1.0),
    lambda T: T.scatter(T.zeros(2, 3), 1, T.tensor([[-1]]), 1.0),
    lambda T: T.scatter(T.zeros(2, 3), 1, T.tensor([[0, 1, 2]]), T.ones(1, 2)),
    lambda T: T.scatter(T.zeros(2, 3), 1, T.tensor([[0, 1]] * 3), T.ones(3, 2)),
    lambda T: T.scatter(T.zeros(2, 3), 1, T.tensor([0, 1]), T.ones(3, 2)),
    lambda T: T.scatter(T.zeros(2, 3), 1, T.tensor([[0]]), T.ones(3)),
    lambda T: T.scatter(T.zeros(2, 3), 1, T.zeros(3, 3, dtype=T.long), T.ones(2)),
    lambda T: T.scatter(T.zeros(2, 3), 1, T.tensor([[0]]), 1.0, reduce="mean"),
    lambda T: T.scatter(T.zeros(2, 3), 5, T.tensor([[0]]), 1.0),
    lambda T: T.scatter_add(T.zeros(2, 3), 1, T.tensor([[0]]), 1.0),
    lambda T: T.scatter_add(T.zeros(2, 3), 1, T.tensor([[5, 0]]), T.ones(2, 3)),
    lambda T: T.zeros(3).expand(2, 3).scatter_(1, T.tensor([[0, 0]]), 3.0),
])
def test_scatter_errors(call):
    check(call)


@pytest.mark.parametrize("name", ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32",
                                  "float64", "complex64", "complex128"])
@pytest.mark.parametrize("value", [-256, -255, -129, -1, 127, 255, 256, 2 ** 31, 2 ** 63 - 1, 2 ** 63,
                                   2 ** 64, -2 ** 63 - 1, 2.5, -1.5, 127.9, 255.9, 1e10, 1e39, 1e300,
                                   float("inf"), float("nan"), 1j, 1 + 0j, 1e300j, True])
def test_scatter_value_conversion_overflow_checks(name, value):
    check(lambda T: T.zeros(1, dtype=getattr(T, name)).scatter_(0, T.tensor([0]), value))


def test_scatter_reduce_with_tensor_src_warns():
    x = reftorch.zeros(2, 3)
    with pytest.warns(UserWarning, match="reduce argument of torch.scatter with Tensor src is deprecated"):
        x.scatter_(1, reftorch.tensor([[0, 0]]), reftorch.ones(2, 3), reduce="add")
    assert x.tolist() == [[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        reftorch.scatter(x, 1, reftorch.tensor([[0]]), 2.0, reduce="add")


def test_scatter_inplace_bumps_version():
    x = reftorch.zeros(2, 3)
    before = x._version
    x.scatter_(1, reftorch.tensor([[0]]), 1.0)
    assert x._version == before + 1


# ------------------------------------------------------------------------ index_select, masked_select, take
@given(shape=nonempty_shapes, name=dtype_names, index_dtype=index_dtypes, data=st.data())
def test_index_select_random(shape, name, index_dtype, data):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    size = shape[dim % len(shape)]
    index = np.array(data.draw(st.lists(st.integers(0, size - 1), max_size=5)), dtype=index_dtype)
    check(lambda T: T.index_select(_t(T, shape, name), dim, T.from_numpy(index.copy())), layout=True)
    check(lambda T: _t(T, shape, name).t().index_select(0, T.from_numpy(index.copy()))
          if len(shape) == 2 else T.tensor(0), layout=True)


@pytest.mark.parametrize("call", [
    lambda T: T.index_select(_ar(T, 2, 3), 0, T.tensor([1], dtype=T.int16)),
    lambda T: T.index_select(_ar(T, 2, 3), 0, T.tensor([1.0])),
    lambda T: T.index_select(_ar(T, 2, 3), 0, T.tensor([[1]])),
    lambda T: T.index_select(_ar(T, 2, 3), 0, T.tensor(1)),
    lambda T: T.index_select(_ar(T, 2, 3), 0, T.tensor([2])),
    lambda T: T.index_select(_ar(T, 2, 3), 0, T.tensor([-1])),
    lambda T: T.index_select(_ar(T, 2, 3), 1, T.tensor([0, 3])),
    lambda T: T.index_select(_ar(T, 2, 3), 1, T.tensor([0, 7, -2])),
    lambda T: T.index_select(_ar(T, 2, 3), 1, T.tensor([-1], dtype=T.int32)),
    lambda T: T.index_select(_ar(T, 2, 3, 4), 1, T.tensor([3])),
    lambda T: T.index_select(_ar(T, 2, 3, 4), 2, T.tensor([4])),
    lambda T: T.index_select(_ar(T, 3, 2).t(), 1, T.tensor([3])),
    lambda T: T.index_select(_ar(T, 2, 3), 2, T.tensor([0])),
    lambda T: T.index_select(T.tensor([1.0, 2.0]), 0, T.tensor([2])),
    lambda T: T.index_select(T.tensor(5.), 0, T.tensor([0])),
    lambda T: T.index_select(T.tensor(5.), 0, T.tensor(0)),
    lambda T: T.index_select(T.tensor(5.), 0, T.tensor([0, 0])),
    lambda T: T.index_select(T.tensor(5.), 0, T.tensor([1])),
    lambda T: T.index_select(T.tensor(5.), 0, T.tensor([], dtype=T.long)),
    lambda T: T.index_select(T.zeros(0, 3), 0, T.tensor([0])),
    lambda T: T.index_select(T.zeros(0, 3), 1, T.tensor([0])),
    lambda T: T.index_select(T.zeros(3, 0), 0, T.tensor([0])),
    lambda T: T.index_select(T.zeros(3, 0), 0, T.tensor([5])),
    lambda T: T.index_select(T.zeros(0), 0, T.tensor([0])),
    lambda T: T.index_select(_ar(T, 2, 3), 0, [0]),
])
def test_index_select_cases_and_errors(call):
    check(call, layout=True)


@pytest.mark.parametrize("call", [
    lambda T: T.masked_select(_ar(T, 2, 3), _ar(T, 2, 3) > 2),
    lambda T: T.masked_select(_ar(T, 2, 3), T.tensor([True, False, True])),
    lambda T: T.masked_select(T.tensor([1.0, 2.0, 3.0]), T.tensor([[True], [False]])),
    lambda T: T.masked_select(T.tensor(5.0), T.tensor([True, False])),
    lambda T: T.masked_select(_ar(T, 3, 2).t(), _ar(T, 3, 2).t() > 2),
    lambda T: _ar(T, 2, 3).masked_select(T.tensor(True)),
    lambda T: T.masked_select(_ar(T, 2, 3), T.tensor([1, 0, 1])),
    lambda T: T.masked_select(_ar(T, 2, 3), T.tensor([True, False])),
    lambda T: T.masked_select(_ar(T, 2, 3), [True]),
])
def test_masked_select(call):
    check(call, layout=True)


@pytest.mark.parametrize("call", [
    lambda T: T.take(_ar(T, 2, 3), T.tensor([0, 5, -1])),
    lambda T: T.take(_ar(T, 2, 3), T.tensor([[0, 5], [2, 1]])),
    lambda T: T.take(_ar(T, 2, 3).t(), T.tensor([0, 1, 2])),
    lambda T: T.take(_ar(T, 2, 3), T.tensor(2)),
    lambda T: T.take(T.tensor(3.0), T.tensor([0, 0])),
    lambda T: T.take(T.zeros(0), T.tensor([], dtype=T.long)),
    lambda T: T.take(_ar(T, 2, 3), T.tensor([6])),
    lambda T: T.take(_ar(T, 2, 3), T.tensor([-7])),
    lambda T: T.take(_ar(T, 2, 3), T.tensor([0], dtype=T.int32)),
    lambda T: T.take(T.zeros(0), T.tensor([0])),
    lambda T: _ar(T, 2, 3).take(T.tensor([1])),
])
def test_take(call):
    check(call, layout=True)


# ----------------------------------------------------------------------------- triangles and diagonals
@given(shape=st.lists(st.integers(0, 4), min_size=2, max_size=4).map(tuple), name=dtype_names,
       diagonal=st.integers(-5, 5), upper=st.booleans(), transposed=st.booleans())
def test_tril_triu_random(shape, name, diagonal, upper, transposed):
    fn = "triu" if upper else "tril"

    def make(T):
        x = _t(T, shape, name)
        return x.transpose(-1, -2) if transposed else x

    check(lambda T: getattr(T, fn)(make(T), diagonal), layout=True)
    check(lambda T: _inplace(T, fn + "_", make(T), diagonal), layout=True)


def test_triangle_errors_and_aliasing():
    for fn in ("tril", "triu"):
        check(lambda T, f=fn: getattr(T, f)(T.tensor([1.0, 2.0])))
        check(lambda T, f=fn: getattr(T, f)(T.tensor(1.0)))
        check(lambda T, f=fn: getattr(T, f)(_ar(T, 2, 2), 1.0))
        check(lambda T, f=fn: getattr(T, f)(_ar(T, 2, 2), diagonal=1), layout=True)
        check(lambda T, f=fn: _inplace(T, f + "_", T.arange(1.0, 4.0).expand(3, 3), 0))
        check(lambda T, f=fn: _inplace(T, f + "_", T.arange(1.0, 4.0).expand(3, 3), 1))


@pytest.mark.parametrize("call", [
    lambda T: T.diag(T.tensor([1, 2, 3])),
    lambda T: T.diag(T.tensor([1, 2, 3]), 1),
    lambda T: T.diag(T.tensor([1, 2, 3]), -2),
    lambda T: T.diag(T.tensor([True, False])),
    lambda T: T.diag(_ar(T, 3, 4)),
    lambda T: T.diag(_ar(T, 3, 4), 1),
    lambda T: T.diag(_ar(T, 3, 4), -2),
    lambda T: T.diag(_ar(T, 3, 4), 4),
    lambda T: T.diag(_ar(T, 3, 4), -4),
    lambda T: T.diag(_ar(T, 3, 4).t(), 1),
    lambda T: T.diag(T.zeros(0)),
    lambda T: T.diag(T.zeros(0), 1),
    lambda T: _ar(T, 3, 4).diag(diagonal=1),
    lambda T: T.diag(T.tensor(1.0)),
    lambda T: T.diag(T.ones(2, 2, 2)),
])
def test_diag(call):
    check(call, layout=True)


@pytest.mark.parametrize("args", [(), (1,), (-1,), (0, 0, 2), (-1, 0, 2), (-1, 2, 0), (1, 1, 0), (1, 0, 1),
                                  (0, 1, 1), (0, 3, 1), (0, -1, 2)])
def test_diag_embed(args):
    check(lambda T: T.diag_embed(_ar(T, 2, 3), *args), layout=True)
    check(lambda T: T.diag_embed(T.tensor([1, 2]), *args[:1]), layout=True)
    check(lambda T: _ar(T, 2, 3).diag_embed(*args), layout=True)
    check(lambda T: T.diag_embed(T.tensor(1), *args))


# ----------------------------------------------------------------------------- broadcasting views, meshgrid
def test_broadcast_to_is_a_view():
    check(lambda T: T.broadcast_to(T.arange(3.0), (2, 3)), layout=True)
    check(lambda T: T.broadcast_to(T.arange(3.0), [2, -1]), layout=True)
    check(lambda T: T.arange(3.0).broadcast_to(2, 3), layout=True)
    check(lambda T: T.arange(3.0).broadcast_to((2, 3)), layout=True)
    check(lambda T: T.broadcast_to(T.arange(3.0), (2, 4)))
    check(lambda T: T.broadcast_to(T.arange(3.0), 3))
    check(lambda T: T.broadcast_to(T.arange(3.0), ()))
    x = reftorch.arange(3.0)
    assert shares_storage(x, reftorch.broadcast_to(x, (2, 3)))


def test_broadcast_tensors():
    check(lambda T: T.broadcast_tensors(T.tensor([[1], [2]]), T.tensor([1.0, 2.0, 3.0])), layout=True)
    check(lambda T: T.broadcast_tensors(T.tensor(1)), layout=True)
    check(lambda T: T.broadcast_tensors(), layout=True)
    check(lambda T: T.broadcast_tensors(T.tensor([1, 2]), T.tensor([1, 2, 3])))
    check(lambda T: T.broadcast_tensors([T.tensor(1), T.tensor([1, 2])]))
    check(lambda T: T.broadcast_tensors(T.tensor(1), 2))
    x, y = reftorch.ones(2, 1), reftorch.ones(3)
    bx, by = reftorch.broadcast_tensors(x, y)
    assert shares_storage(bx, x) and shares_storage(by, y)


@pytest.mark.parametrize("indexing", ["ij", "xy"])
@pytest.mark.parametrize("sizes", [[2], [2, 3], [2, 1, 3], [0, 2], [None, 2], [3, 2, 2, 1]])
def test_meshgrid(indexing, sizes):
    def make(T):
        return [T.tensor(7) if n is None else T.arange(n) + 10 * i for i, n in enumerate(sizes)]

    check(lambda T: T.meshgrid(*make(T), indexing=indexing), layout=True)
    check(lambda T: T.meshgrid(make(T), indexing=indexing), layout=True)


@pytest.mark.parametrize("call", [
    lambda T: T.meshgrid(T.tensor([1, 2]), T.tensor([3.0]), indexing="ij"),
    lambda T: T.meshgrid(indexing="ij"),
    lambda T: T.meshgrid(T.tensor([1, 2]), T.tensor([3]), indexing="foo"),
    lambda T: T.meshgrid(T.tensor([1, 2]), [3], indexing="ij"),
])
def test_meshgrid_errors(call):
    check(call)


def test_meshgrid_refuses_matrices():
    # torch prints the offending tensor in C++ style after the message; the message itself must match
    check(lambda T: T.meshgrid(T.tensor([[1]]), T.tensor([3, 4]), indexing="ij"), message=False)
    with pytest.raises(RuntimeError, match="Expected 0D or 1D tensor in the tensor list but got"):
        reftorch.meshgrid(reftorch.tensor([[1]]), reftorch.tensor([3, 4]), indexing="ij")


def test_meshgrid_without_indexing_warns_and_uses_ij():
    with pytest.warns(UserWarning, match="it will be required to pass the indexing argument"):
        ours = reftorch.meshgrid(reftorch.tensor([1, 2]), reftorch.tensor([3, 4, 5]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = torch.meshgrid(torch.tensor([1, 2]), torch.tensor([3, 4, 5]))
    assert_same(ours, theirs, layout=True)


# ----------------------------------------------------------------------------- nonzero / argwhere
@given(shape=st.lists(st.integers(0, 4), max_size=4).map(tuple), name=dtype_names, transposed=st.booleans())
def test_nonzero_random(shape, name, transposed):
    def make(T):
        x = _t(T, shape, name)
        return x.t() if transposed and len(shape) == 2 else x

    check(lambda T: T.nonzero(make(T)), layout=True)
    check(lambda T: T.nonzero(make(T), as_tuple=True), layout=True)
    check(lambda T: T.argwhere(make(T)), layout=True)


@pytest.mark.parametrize("values", [5, 0, [0.0, float("nan"), -0.0, 1e-45], [0j, 1j], [[True, False]]])
def test_nonzero_special_values(values):
    check(lambda T: T.nonzero(T.tensor(values)), layout=True)
    check(lambda T: T.nonzero(T.tensor(values), as_tuple=True), layout=True)


def test_nonzero_as_tuple_views_share_one_storage():
    rows, cols = reftorch.nonzero(reftorch.tensor([[0, 1], [1, 1]]), as_tuple=True)
    assert shares_storage(rows, cols)
    check(lambda T: T.nonzero(T.tensor([[0, 1]]), True))


# ----------------------------------------------------------------------------- argument parsing
# Bad arguments get the TypeErrors of torch's own bindings (its argument parser, or the Python of
# torch/functional.py and the ``_VF`` binding it calls).
@pytest.mark.parametrize("call", [
    lambda T: T.cat([T.ones(2)], 1.0),
    lambda T: T.atleast_1d(5),
    lambda T: T.atleast_2d(T.ones(2), 5),
    lambda T: T.atleast_3d(x=T.ones(2)),
    lambda T: T.broadcast_tensors(x=T.ones(1)),
    lambda T: T.meshgrid(T.ones(2), indexing=3),
    lambda T: T.meshgrid(T.ones(2), foo="ij"),
    lambda T: T.ones(2).flip(0.5),
    lambda T: T.roll(T.ones(2)),
    lambda T: T.ones(2).repeat(2.0),
    lambda T: T.tile(T.ones(2), 2),
    lambda T: T.scatter(T.ones(2), 0, T.zeros(1, dtype=T.long), "a"),
    lambda T: T.ones(2).scatter_(0, T.zeros(1, dtype=T.long), "a"),
    lambda T: T.ones(2, 2).triu_(0.5),
    lambda T: T.diag_embed(T.ones(2), 0.5),
    lambda T: T.broadcast_to(T.ones(2), 2),
    lambda T: T.nonzero(T.ones(2), True),
    lambda T: T.ones(2).nonzero(True),
    lambda T: T.ones(2).nonzero(1, 2),
])
def test_argument_errors_are_torchs(call):
    check(call)


def _graph_chain(t):
    """The node names from ``t.grad_fn`` down its first edges (the recorded composition)."""
    names, node = [], t.grad_fn
    while node is not None:
        names.append(type(node).__name__)
        node = next((n for n, _ in node.next_functions if n is not None), None)
    return names


@pytest.mark.parametrize("program", [
    lambda T, x: x.repeat_interleave(2), lambda T, x: x.repeat_interleave(2, dim=1),
    lambda T, x: T.repeat_interleave(x, 3, dim=-2), lambda T, x: x.repeat_interleave(T.tensor([1, 2]), dim=0),
    lambda T, x: x.repeat_interleave(T.tensor(2)), lambda T, x: x.repeat_interleave(T.tensor([3]), dim=1),
    lambda T, x: x.repeat_interleave(T.tensor([0, 2, 1]), dim=1, output_size=3),
    lambda T, x: x.repeat_interleave(2, dim=-1, output_size=6), lambda T, x: x.repeat_interleave(2, output_size=5),
    lambda T, x: x.repeat_interleave(T.tensor([1, 2]), dim=1), lambda T, x: x.repeat_interleave(T.ones(2, 2)),
    lambda T, x: x.repeat_interleave(-1), lambda T, x: x.repeat_interleave(T.tensor([1, -2]), dim=0),
    lambda T, x: x.repeat_interleave(1.5), lambda T, x: x[0, 0].repeat_interleave(3),
])
def test_repeat_interleave(program):
    """Values, the recorded composition (torch 2.13's) and the gradient, or torch's error."""
    def run(T):
        x = T.arange(6.0).view(2, 3).requires_grad_()
        out = program(T, x)
        out.sum().backward()
        return out, _graph_chain(out), x.grad

    check(run, layout=True)


@pytest.mark.parametrize("program", [
    lambda T: T.repeat_interleave(T.tensor([1, 2, 0])), lambda T: T.repeat_interleave(T.tensor([2, 1], dtype=T.int32)),
    lambda T: T.repeat_interleave(T.tensor([], dtype=T.int64)), lambda T: T.repeat_interleave(T.tensor([1.0, 2.0])),
    lambda T: T.repeat_interleave(T.tensor([[1]])), lambda T: T.repeat_interleave(T.tensor([1, 2]), output_size=3),
    lambda T: T.repeat_interleave(T.tensor([1, 2]), output_size=4), lambda T: T.repeat_interleave(T.tensor([-1])),
    lambda T: T.repeat_interleave(T.tensor([True, False])),
])
def test_repeat_interleave_of_repeats_alone(program):
    check(program)
