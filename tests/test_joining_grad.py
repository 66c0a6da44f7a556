"""Autograd of the joining / reordering / index-driven ops against torch: grad_fn names and
next_functions trees, gradients for random output gradients, gradcheck, and backward errors."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest
import torch
from helpers import assert_same
from hypothesis import given
from hypothesis import strategies as st

import reftorch

LIBS = (torch, reftorch)


# ----------------------------------------------------------------------------- shared grad helpers
def tree(out: Any, depth: int = 8, rename: dict[str, str] | None = None) -> Any:
    """The grad_fn graph below ``out`` as nested (name, [children]) with torch's namespace removed
    (and node names in ``rename`` replaced)."""
    def walk(node: Any, level: int) -> Any:
        if node is None:
            return None
        name = node.name().replace("torch::autograd::", "")
        name = (rename or {}).get(name, name)
        if level == 0 or name == "AccumulateGrad":
            return name
        return name, [walk(child, level - 1) for child, _ in node.next_functions]

    if isinstance(out, (tuple, list)):
        return [tree(o, depth, rename) for o in out]
    return walk(out.grad_fn, depth)


def _random(shape: Sequence[int], dtype: str, rng: np.random.Generator) -> np.ndarray:
    values = rng.standard_normal(tuple(shape))
    if dtype.startswith("complex"):
        values = values + 1j * rng.standard_normal(tuple(shape))
    return np.asarray(values).astype(dtype)


def _leaves(lib: Any, arrays: Sequence[np.ndarray], requires: Sequence[bool]) -> list:
    return [lib.from_numpy(a.copy()).requires_grad_(r) for a, r in zip(arrays, requires)]


def _as_list(out: Any) -> list:
    return list(out) if isinstance(out, (tuple, list)) else [out]


def run_both(fn: Callable, arrays: Sequence[np.ndarray], requires: Sequence[bool] | None = None) -> tuple:
    """``fn(lib, *leaves)`` on torch and reftorch; returns ((torch leaves, outputs), (ours...))."""
    requires = [True] * len(arrays) if requires is None else requires
    runs = []
    for lib in LIBS:
        leaves = _leaves(lib, arrays, requires)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            runs.append((leaves, fn(lib, *leaves)))
    return tuple(runs)


def check_grad(fn: Callable, shapes: Sequence[Sequence[int]], requires: Sequence[bool] | None = None,
               dtype: str | Sequence[str] = "float64", seed: int = 0,
               rename: dict[str, str] | None = None) -> None:
    """Outputs, grad_fn trees (up to ``rename``) and input gradients (after ``backward`` of the same
    random output gradients) of ``fn`` match torch's."""
    rng = np.random.default_rng(seed)
    dtypes = [dtype] * len(shapes) if isinstance(dtype, str) else list(dtype)
    arrays = [_random(s, d, rng) for s, d in zip(shapes, dtypes)]
    (t_leaves, t_out), (o_leaves, o_out) = run_both(fn, arrays, requires)
    assert_same(o_out, t_out)
    assert tree(o_out, rename=rename) == tree(t_out, rename=rename)
    roots = [o for o in _as_list(t_out) if o.requires_grad]
    if not roots:
        return
    grads = [_random(o.shape, str(o.dtype).replace("torch.", ""), rng) for o in roots]
    torch.autograd.backward(roots, [torch.from_numpy(g.copy()) for g in grads])
    ours = [o for o in _as_list(o_out) if o.requires_grad]
    reftorch.autograd.backward(ours, [reftorch.from_numpy(g.copy()) for g in grads])
    for i, (o, t) in enumerate(zip(o_leaves, t_leaves)):
        if t.grad is None:
            assert o.grad is None, f"input {i}: torch has no gradient"
        else:
            assert o.grad is not None, f"input {i}: reftorch has no gradient"
            assert_same(o.grad, t.grad, path=f"grad[{i}]")


def check_gradcheck(fn: Callable, shapes: Sequence[Sequence[int]], seed: int = 0) -> None:
    """reftorch's gradcheck (float64, finite differences) passes, as torch's does."""
    rng = np.random.default_rng(seed)
    arrays = [_random(s, "float64", rng) for s in shapes]
    for lib in LIBS:
        leaves = tuple(_leaves(lib, arrays, [True] * len(arrays)))
        assert lib.autograd.gradcheck(lambda *ts, lib=lib: fn(lib, *ts), leaves)


def check_backward_error(fn: Callable, shapes: Sequence[Sequence[int]], words: str) -> None:
    """``fn(lib, *leaves).backward(ones)`` raises the same exception type on both, with ``words``."""
    arrays = [_random(s, "float64", np.random.default_rng(0)) for s in shapes]
    errors = []
    for lib in LIBS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            out = fn(lib, *_leaves(lib, arrays, [True] * len(arrays)))
        with pytest.raises(Exception) as info:
            out.backward(lib.ones_like(out))
        errors.append(info.value)
    assert type(errors[1]) is type(errors[0]), (errors[1], errors[0])
    assert words in str(errors[0]) and words in str(errors[1]), (errors[1], errors[0])


LEAF_ERROR = "a leaf Variable that requires grad is being used in an in-place operation"


def index(lib: Any, values: Any, dtype: str = "int64") -> Any:
    return lib.from_numpy(np.array(values, dtype=dtype))


# ----------------------------------------------------------------------------- cases
GATHER_INDEX = [[0, 1, 2, 0], [2, 1, 0, 1]]
SCATTER_INDEX = [[0, 1, 2, 0], [2, 0, 1, 1]]  # no position written twice (scatter's result is then defined)
MASK = [[True, False, True, True], [False, False, True, False], [True, True, False, True]]

CASES: dict[str, tuple[Callable, list]] = {
    "cat_dim0": (lambda L, a, b: L.cat([a, b]), [(3, 4), (2, 4)]),
    "cat_dim1": (lambda L, a, b: L.cat([a, b], 1), [(3, 4), (3, 2)]),
    "cat_negative_dim": (lambda L, a, b, c: L.cat((a, b, c), -1), [(2, 1), (2, 3), (2, 2)]),
    "cat_skips_empty": (lambda L, a, b: L.cat([a, b]), [(3, 4), (0,)]),
    "cat_only_empty": (lambda L, a, b: L.cat([a, b]), [(0,), (0,)]),
    "stack_dim0": (lambda L, a, b: L.stack([a, b]), [(3, 4), (3, 4)]),
    "stack_dim_last": (lambda L, a, b: L.stack([a, b], -1), [(3, 4), (3, 4)]),
    "stack_0d": (lambda L, a, b: L.stack([a, b]), [(), ()]),
    "hstack_2d": (lambda L, a, b: L.hstack([a, b]), [(3, 4), (3, 1)]),
    "hstack_0d": (lambda L, a, b: L.hstack([a, b]), [(), ()]),
    "vstack_1d": (lambda L, a, b: L.vstack([a, b]), [(4,), (4,)]),
    "vstack_2d": (lambda L, a, b: L.vstack([a, b]), [(3, 4), (1, 4)]),
    "dstack_1d": (lambda L, a, b: L.dstack([a, b]), [(4,), (4,)]),
    "dstack_2d": (lambda L, a, b: L.dstack([a, b]), [(3, 4), (3, 4)]),
    "column_stack": (lambda L, a, b: L.column_stack([a, b]), [(4,), (4, 2)]),
    "flip": (lambda L, a: L.flip(a, [0, 2]), [(2, 3, 4)]),
    "flip_method": (lambda L, a: a.flip(-1), [(3, 4)]),
    "fliplr": (lambda L, a: L.fliplr(a), [(3, 4)]),
    "flipud": (lambda L, a: L.flipud(a), [(3, 4)]),
    "roll_flat": (lambda L, a: L.roll(a, 5), [(3, 4)]),
    "roll_dim": (lambda L, a: L.roll(a, -1, 1), [(3, 4)]),
    "roll_dims": (lambda L, a: L.roll(a, (1, 2), (0, 1)), [(3, 4)]),
    "repeat": (lambda L, a: a.repeat(2, 1, 3), [(3, 4)]),
    "repeat_0d": (lambda L, a: a.repeat(2, 2), [()]),
    "repeat_zero": (lambda L, a: a.repeat(0, 2), [(3, 4)]),
    "tile": (lambda L, a: L.tile(a, (2,)), [(3, 4)]),
    "gather": (lambda L, a: L.gather(a, 0, index(L, GATHER_INDEX)), [(3, 4)]),
    "gather_dim1_repeats": (lambda L, a: L.gather(a, 1, index(L, [[1, 1], [0, 3]])), [(3, 4)]),
    "gather_int32_negative_dim": (lambda L, a: L.gather(a, -1, index(L, [[2], [0]], "int32")), [(2, 3)]),
    "gather_0d": (lambda L, a: L.gather(a, 0, index(L, 0)), [()]),
    "scatter_src": (lambda L, a, b: L.scatter(a, 0, index(L, SCATTER_INDEX), b), [(3, 4), (2, 4)]),
    "scatter_src_no_self_grad": (
        lambda L, a, b: L.scatter(a.detach(), 1, index(L, [[0], [3]]), b.narrow(1, 1, 1)), [(3, 4), (2, 4)]),
    "scatter_value": (lambda L, a: L.scatter(a, 1, index(L, [[0, 2]]), 1.5), [(3, 4)]),
    "scatter_add": (lambda L, a, b: L.scatter_add(a, 0, index(L, GATHER_INDEX), b), [(3, 4), (2, 4)]),
    "scatter_add_slice_src": (
        lambda L, a, b: L.scatter_add(a, 0, index(L, [[0, 1]]), b[:1, :2]), [(3, 4), (3, 4)]),
    "scatter_inplace": (lambda L, a, b: a.clone().scatter_(0, index(L, SCATTER_INDEX), b), [(3, 4), (2, 4)]),
    "scatter_inplace_value": (lambda L, a: a.clone().scatter_(1, index(L, [[3]]), -2.0), [(3, 4)]),
    "scatter_inplace_on_constant": (
        lambda L, a, b: L.zeros(3, 4, dtype=L.float64).scatter_(0, index(L, SCATTER_INDEX), b),
        [(3, 4), (2, 4)]),
    "scatter_inplace_into_view": (
        lambda L, a, b: a.clone()[1:].scatter_(0, index(L, [[0, 1]]), b[:1, :2]), [(3, 4), (2, 4)]),
    "scatter_add_inplace": (
        lambda L, a, b: a.clone().scatter_add_(0, index(L, GATHER_INDEX), b), [(3, 4), (2, 4)]),
    "index_select": (lambda L, a: L.index_select(a, 1, index(L, [0, 2, 2])), [(3, 4)]),
    "index_select_dim0_int32": (lambda L, a: a.index_select(0, index(L, [2, 0], "int32")), [(3, 4, 2)]),
    "index_select_0d": (lambda L, a: L.index_select(a, 0, index(L, [0])), [()]),
    "index_select_empty": (lambda L, a: L.index_select(a, 0, index(L, [], "int64")), [(3, 4)]),
    "masked_select": (lambda L, a: L.masked_select(a, index(L, MASK, "bool")), [(3, 4)]),
    "masked_select_broadcast_input": (lambda L, a: L.masked_select(a, index(L, MASK, "bool")), [(4,)]),
    "masked_select_broadcast_mask": (lambda L, a: L.masked_select(a, index(L, MASK[0], "bool")), [(3, 4)]),
    "take": (lambda L, a: L.take(a, index(L, [[0, 5], [-1, 5]])), [(3, 4)]),
    "take_0d": (lambda L, a: L.take(a, index(L, [0, 0])), [()]),
    "tril": (lambda L, a: L.tril(a), [(3, 4)]),
    "tril_offset_batch": (lambda L, a: L.tril(a, -1), [(2, 3, 3)]),
    "triu": (lambda L, a: L.triu(a, 1), [(3, 4)]),
    "triu_method": (lambda L, a: a.triu(-2), [(4, 3)]),
    "tril_inplace": (lambda L, a: a.clone().tril_(), [(3, 4)]),
    "triu_inplace_view": (lambda L, a: a.clone()[:, :2].triu_(), [(3, 4)]),
    "diag_1d": (lambda L, a: L.diag(a), [(4,)]),
    "diag_1d_offset": (lambda L, a: L.diag(a, -1), [(3,)]),
    "diag_2d": (lambda L, a: L.diag(a), [(3, 4)]),
    "diag_2d_offset": (lambda L, a: a.diag(2), [(3, 4)]),
    "diag_embed": (lambda L, a: L.diag_embed(a), [(2, 3)]),
    "diag_embed_dims": (lambda L, a: L.diag_embed(a, 1, 0, 2), [(2, 3)]),
    "broadcast_to": (lambda L, a: L.broadcast_to(a, (3, 4)), [(4,)]),
    "broadcast_to_same": (lambda L, a: a.broadcast_to(3, 4), [(3, 4)]),
    "broadcast_tensors": (lambda L, a, b, c: L.broadcast_tensors(a, b, c), [(3, 4), (4,), (3, 1)]),
    "meshgrid_ij": (lambda L, a, b: L.meshgrid(a, b, indexing="ij"), [(3,), (4,)]),
    "meshgrid_xy": (lambda L, a, b, c: L.meshgrid(a, b, c, indexing="xy"), [(3,), (2,), ()]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_grad_fn_and_gradients_match_torch(name):
    fn, shapes = CASES[name]
    check_grad(fn, shapes)


@pytest.mark.parametrize("name", [
    "cat_dim1", "stack_dim_last", "flip", "roll_dims", "repeat", "gather", "scatter_src", "scatter_value",
    "scatter_add", "index_select", "masked_select_broadcast_mask", "take", "tril", "triu", "diag_1d_offset",
    "diag_2d_offset", "diag_embed_dims", "tril_inplace", "scatter_inplace"])
def test_gradcheck(name):
    fn, shapes = CASES[name]
    check_gradcheck(fn, shapes)


def test_gather_sparse_grad_gives_the_dense_gradient():
    """torch accumulates a sparse COO gradient; reftorch has no sparse layout and gives its dense values."""
    grads = []
    for lib in LIBS:
        x = lib.ones(3, 4, dtype=lib.float64, requires_grad=True)
        out = lib.gather(x, 1, index(lib, [[0, 0], [2, 1]]), sparse_grad=True)
        assert out.grad_fn.name() == "GatherBackward0"
        out.backward(lib.from_numpy(np.arange(4.0).reshape(2, 2)))
        grads.append(x.grad)
    assert grads[0].layout == torch.sparse_coo
    assert_same(grads[1], grads[0].to_dense())


def test_only_inputs_that_require_grad_get_edges():
    check_grad(lambda L, a, b: L.cat([a, b], 1), [(3, 4), (3, 2)], requires=[True, False])
    check_grad(lambda L, a, b: L.stack([a, b]), [(3,), (3,)], requires=[False, True])
    check_grad(lambda L, a, b: L.scatter(a, 0, index(L, [[0, 1]]), b), [(3, 4), (1, 2)],
               requires=[False, True])
    check_grad(lambda L, a, b: L.scatter_add(a, 0, index(L, [[0, 1]]), b), [(3, 4), (1, 2)],
               requires=[True, False])


def test_no_graph_without_grad_mode():
    for lib in LIBS:
        x = lib.ones(2, 3, dtype=lib.float64, requires_grad=True)
        with lib.no_grad():
            outs = [lib.cat([x, x]), lib.stack([x, x]), x.flip(0), x.roll(1), x.repeat(2, 1), x.tril(),
                    x.diag(), lib.gather(x, 0, index(lib, [[0]])), lib.take(x, index(lib, [1]))]
        assert all(o.grad_fn is None and not o.requires_grad for o in outs)


@pytest.mark.parametrize("dtypes", [("float32", "float64"), ("float64", "float32"), ("float16", "float32"),
                                    ("float32", "complex64"), ("complex128", "float64")])
def test_promoting_joins_give_each_input_its_own_dtype(dtypes):
    check_grad(lambda L, a, b: L.cat([a, b]), [(2, 3), (1, 3)], dtype=dtypes)
    check_grad(lambda L, a, b: L.stack([a, b], 1), [(2, 3), (2, 3)], dtype=dtypes)


@pytest.mark.parametrize("name", ["cat_dim0", "flip", "gather", "scatter_src", "index_select", "take",
                                  "masked_select", "tril", "diag_embed", "repeat", "roll_dims"])
def test_complex_gradients(name):
    fn, shapes = CASES[name]
    check_grad(fn, shapes, dtype="complex128")


@pytest.mark.parametrize("dtype", ["float32", "float16"])
def test_lower_precision_gradients(dtype):
    check_grad(lambda L, a, b: L.cat([a, b.flip(0).roll(1, 1)]).index_select(0, index(L, [0, 2, 2])),
               [(2, 3), (2, 3)], dtype=dtype)


# ----------------------------------------------------------------------------- hypothesis
shapes = st.lists(st.integers(1, 3), min_size=1, max_size=3).map(tuple)


@given(shape=shapes, data=st.data())
def test_cat_and_stack_of_random_shapes(shape, data):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    sizes = data.draw(st.lists(st.integers(0, 3), min_size=1, max_size=3))
    parts = [tuple(s if i == dim % len(shape) else n for i, n in enumerate(shape)) for s in sizes]
    check_grad(lambda L, *ts: L.cat(ts, dim), parts)
    check_grad(lambda L, *ts: L.stack(ts, dim), [shape] * len(sizes))


@given(shape=shapes, data=st.data())
def test_flip_roll_repeat_of_random_arguments(shape, data):
    dims = data.draw(st.lists(st.integers(-len(shape), len(shape) - 1), max_size=len(shape),
                              unique_by=lambda d: d % len(shape)))
    shifts = data.draw(st.lists(st.integers(-5, 5), min_size=len(dims), max_size=len(dims)))
    repeats = data.draw(st.lists(st.integers(0, 3), min_size=len(shape), max_size=len(shape) + 1))
    check_grad(lambda L, a: a.flip(dims).roll(shifts or 2, dims or None).repeat(*repeats), [shape])


@given(shape=shapes, data=st.data())
def test_gather_scatter_of_random_indices(shape, data):
    dim = data.draw(st.integers(0, len(shape) - 1))
    index_shape = tuple(data.draw(st.integers(1, n)) for n in shape)
    values = np.array(data.draw(st.lists(st.integers(0, shape[dim] - 1), min_size=int(np.prod(index_shape)),
                                         max_size=int(np.prod(index_shape))))).reshape(index_shape)
    check_grad(lambda L, a: L.gather(a, dim, index(L, values)), [shape])
    check_grad(lambda L, a, b: L.scatter_add(a, dim, index(L, values), b), [shape, index_shape])


# ----------------------------------------------------------------------------- errors
def test_scatter_with_reduce_has_no_derivative():
    check_backward_error(lambda L, a: L.scatter(a, 0, index(L, [[0, 1]]), 1.5, reduce="add"), [(3, 4)],
                         "derivative for aten::scatter is not implemented")
    check_backward_error(lambda L, a, b: L.scatter(a, 0, index(L, [[0, 1]]), b[:1, :2], reduce="multiply"),
                         [(3, 4), (3, 4)], "derivative for aten::scatter is not implemented")
    check_backward_error(lambda L, a: a.clone().scatter_(0, index(L, [[0, 1]]), 1.5, reduce="add"), [(3, 4)],
                         "derivative for aten::scatter_ is not implemented")


def test_scatter_src_larger_than_index_fails_in_backward():
    check_backward_error(lambda L, a, b: L.scatter(a, 0, index(L, [[0, 1]]), b), [(3, 4), (3, 4)],
                         "Function ScatterBackward0 returned an invalid gradient at index 1 - got [1, 2] but "
                         "expected shape compatible with [3, 4]")
    check_backward_error(lambda L, a, b: L.scatter_add(a, 0, index(L, [[0, 1]]), b), [(3, 4), (2, 4)],
                         "Function ScatterAddBackward0 returned an invalid gradient at index 1")


def test_modified_index_is_refused_in_backward():
    def fn(L, a):
        idx = index(L, [[0, 1, 2, 0]])
        out = L.gather(a, 0, idx)
        idx.add_(1)
        return out

    check_backward_error(fn, [(3, 4)], "has been modified by an inplace operation")


@pytest.mark.parametrize("op", ["tril_", "triu_"])
def test_inplace_on_leaf_is_refused(op):
    for lib in LIBS:
        x = lib.ones(3, 3, requires_grad=True)
        with pytest.raises(RuntimeError, match=LEAF_ERROR):
            getattr(x, op)()
        x = lib.ones(3, 3, requires_grad=True)
        with pytest.raises(RuntimeError, match=LEAF_ERROR):
            x.scatter_(0, index(lib, [[0]]), 1.0)


def test_double_backward_through_index_ops():
    """Second derivatives of products through the scatter-like backwards (create_graph=True)."""
    rng = np.random.default_rng(1)
    a, w, v, w2 = (_random(s, "float64", rng) for s in [(3, 4), (3, 2), (3, 4), (7,)])
    results = []
    for lib in LIBS:
        x = lib.from_numpy(a.copy()).requires_grad_()
        y = lib.gather(x, 1, index(lib, [[0, 0], [3, 1], [2, 2]]))
        y = y * lib.index_select(x, 1, index(lib, [1, 1])) * lib.take(x, index(lib, [[0, 7], [5, 5], [1, 2]]))
        selected = lib.masked_select(x, index(lib, MASK, "bool"))
        y2 = selected * selected.flip(0)
        (g,) = lib.autograd.grad([y, y2], x, [lib.from_numpy(w.copy()), lib.from_numpy(w2.copy())],
                                 create_graph=True)
        assert g.grad_fn is not None
        (gg,) = lib.autograd.grad(g, x, lib.from_numpy(v.copy()))
        results.append((g, gg))
    assert_same(results[1][0], results[0][0])
    assert_same(results[1][1], results[0][1])


@pytest.mark.parametrize("name", ["index_select", "masked_select", "masked_select_broadcast", "take"])
def test_create_graph_gradients_are_the_scatter_like_ops(name):
    """The create_graph gradient of an index-driven op is torch's scatter-like op (IndexAddBackward0,
    MaskedScatterBackward0, PutBackward0), differentiable again."""
    ops = {
        "index_select": lambda L, x: L.index_select(x, 1, index(L, [1, 1, 0])),
        "masked_select": lambda L, x: L.masked_select(x, index(L, MASK, "bool")),
        "masked_select_broadcast": lambda L, x: L.masked_select(x, index(L, [MASK, MASK], "bool")),
        "take": lambda L, x: L.take(x, index(L, [[0, 7], [5, 5]])),
    }
    a = _random((3, 4), "float64", np.random.default_rng(2))
    results = []
    for lib in LIBS:
        x = lib.from_numpy(a.copy()).requires_grad_()
        out = ops[name](lib, x)
        w = lib.from_numpy(_random(tuple(out.shape), "float64", np.random.default_rng(3))).requires_grad_()
        (g,) = lib.autograd.grad(out, x, w, create_graph=True)
        (gw,) = lib.autograd.grad(g, w, lib.ones_like(g))
        results.append((tree(g), g, gw))
    assert results[1][0] == results[0][0]
    assert_same(results[1][1], results[0][1])
    assert_same(results[1][2], results[0][2])
