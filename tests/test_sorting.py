"""Differential tests of reftorch.ops.sorting against torch (the oracle); helpers from test_reduction."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from test_reduction import INF, NAN, REAL, assert_same, check, sample, seeds, shapes

import reftorch

pytestmark = pytest.mark.filterwarnings("error")

SORTABLE = [d for d in REAL if d != "float16"] + ["float16"]


def _dim(data: st.DataObject, ndim: int) -> int:
    span = max(ndim, 1)
    return data.draw(st.integers(-span, span - 1))


# ----------------------------------------------------------------------------- sort / argsort / msort
@given(shape=shapes, dtype=st.sampled_from(SORTABLE), seed=seeds, descending=st.booleans(), data=st.data())
def test_sort_hypothesis(shape, dtype, seed, descending, data):
    x = sample(np.random.default_rng(seed), shape, dtype, special=True)
    dim = _dim(data, len(shape))
    check(lambda m, t: m.sort(t, dim, descending), x)  # dims of <= 16 elements: torch's sort is stable too
    check(lambda m, t: t.sort(dim=dim, descending=descending, stable=True), x)
    check(lambda m, t: m.argsort(t, dim=dim, descending=descending, stable=True), x)
    check(lambda m, t: t.msort(), x)


@pytest.mark.parametrize("n", [17, 40, 100])
@pytest.mark.parametrize("descending", [False, True])
def test_stable_sort_of_long_rows_with_ties(n, descending):
    x = np.random.default_rng(n).integers(0, 3, (3, n)).astype(np.float32)
    x[0, ::7] = NAN
    check(lambda m, t: m.sort(t, descending=descending, stable=True), x)
    check(lambda m, t: m.argsort(t, dim=1, descending=descending, stable=True), x)
    expected = torch.sort(torch.from_numpy(x), descending=descending)  # unstable: compare values only
    actual = reftorch.sort(reftorch.from_numpy(x.copy()), descending=descending)
    assert_same(expected.values, actual.values)


@pytest.mark.parametrize("layout", [
    lambda t: t.transpose(0, 2), lambda t: t.permute(2, 0, 1), lambda t: t[:, ::2], lambda t: t[:, :, ::2].mT,
    lambda t: t[:1].expand(3, 3, 4), lambda t: t[:, :1], lambda t: t.unsqueeze(1), lambda t: t[0, 0],
    lambda t: t[:, :0],
])
def test_sort_output_layout_follows_input(layout):
    x = np.random.default_rng(0).normal(size=(2, 3, 4)).astype(np.float32)
    check(lambda m, t: m.sort(layout(t), 1), x)
    check(lambda m, t: m.argsort(layout(t), -1, True), x)
    check(lambda m, t: m.msort(layout(t)), x)


@pytest.mark.parametrize("call", [
    lambda m, t: m.sort(t.cfloat()), lambda m, t: m.argsort(t.cfloat()), lambda m, t: m.sort(t, 2),
    lambda m, t: m.sort(t[0, 0], 1), lambda m, t: m.sort(t[0, 0]), lambda m, t: m.sort(t.bool(), 0),
    lambda m, t: m.sort(t, stable=None), lambda m, t: m.sort(t, axis=0), lambda m, t: m.sort(t, 1.0),
    lambda m, t: t.argsort(0, True), lambda m, t: m.sort(t[:0], 0), lambda m, t: m.sort(t.half(), 0, True),
    lambda m, t: m.sort(t, 0, stable=True), lambda m, t: m.argsort(t, 0, stable=True),
    lambda m, t: m.sort(t, 0, True, True), lambda m, t: m.sort(t, 0, 1), lambda m, t: m.argsort(t, 0, 1),
    lambda m, t: m.argsort(t, stable=None), lambda m, t: m.sort(t, stable=1),
    lambda m, t: t.sort(0, stable=True),
    lambda m, t: m.argsort(t, stable=False, dim=0), lambda m, t: m.sort(t, 0, descending=True),
])
def test_sort_arguments(call):
    check(call, np.array([[3., -0., 0.], [NAN, 1., -INF]], dtype=np.float32))


# ----------------------------------------------------------------------------- topk
@given(shape=st.lists(st.integers(0, 6), min_size=0, max_size=3).map(tuple),
       dtype=st.sampled_from([d for d in SORTABLE if d != "bool"]), seed=seeds, largest=st.booleans(),
       data=st.data())
def test_topk_distinct_values_hypothesis(shape, dtype, seed, largest, data):
    rng = np.random.default_rng(seed)
    x = np.asarray(rng.permutation(max(int(np.prod(shape)), 1))[:int(np.prod(shape))].reshape(shape) - 3)
    x = np.asarray(x.astype(dtype) if dtype != "uint8" else (x + 3).astype(dtype))
    dim = _dim(data, len(shape))
    size = shape[dim] if shape else 1
    k = data.draw(st.integers(0, size + 1))
    check(lambda m, t: m.topk(t, k, dim, largest), x)
    check(lambda m, t: t.topk(k, dim=dim, largest=largest, sorted=True), x)


@pytest.mark.parametrize("largest", [True, False])
def test_topk_ties_and_nan_values(largest):
    x = np.array([[1., NAN, 3., 5., 3., 3.], [2., 2., 2., 2., 2., 2.]], dtype=np.float32)
    for k in range(7):
        expected = torch.topk(torch.from_numpy(x), k, largest=largest)
        actual = reftorch.topk(reftorch.from_numpy(x.copy()), k, largest=largest)
        assert_same(expected.values, actual.values)
        picked = np.take_along_axis(x, actual.indices.numpy(), 1)
        np.testing.assert_array_equal(picked, expected.values.numpy())


@pytest.mark.parametrize("call", [
    lambda m, t: m.topk(t, 4), lambda m, t: m.topk(t, -1), lambda m, t: m.topk(t, 2.0),
    lambda m, t: m.topk(t, 1, 2),
    lambda m, t: m.topk(t.bool(), 1), lambda m, t: m.topk(t.cfloat(), 1), lambda m, t: m.topk(t[0, 0], 0),
    lambda m, t: m.topk(t[0, 0], 1), lambda m, t: m.topk(t[0, 0], 2), lambda m, t: m.topk(t[:0], 0),
    lambda m, t: m.topk(t[:0], 1, 0), lambda m, t: m.topk(t[:0], 0, 0), lambda m, t: m.topk(t, 1, axis=0),
    lambda m, t: m.topk(t.permute(1, 0), 2, 0, False), lambda m, t: t.topk(k=1, dim=0),
])
def test_topk_arguments(call):
    check(call, np.array([[3., 1., 2.], [-1., 5., 4.]], dtype=np.float32))


# ----------------------------------------------------------------------------- kthvalue
@given(shape=st.lists(st.integers(1, 12), min_size=0, max_size=3).map(tuple),
       dtype=st.sampled_from(["int64", "int8", "uint8", "float16", "float32", "float64"]), seed=seeds,
       keepdim=st.booleans(), data=st.data())
def test_kthvalue_hypothesis(shape, dtype, seed, keepdim, data):
    x = sample(np.random.default_rng(seed), shape, dtype, special=True)
    if dtype.startswith("float"):
        x = np.round(x / 2).astype(dtype)  # plenty of equal values: the chosen index must be torch's
    dim = _dim(data, len(shape))
    k = data.draw(st.integers(1, shape[dim] if shape else 1))
    check(lambda m, t: m.kthvalue(t, k, dim, keepdim), x)


@pytest.mark.parametrize("n", [20, 57])
def test_kthvalue_long_rows_with_ties(n):
    x = np.random.default_rng(n).integers(0, 4, (2, n)).astype(np.float64)
    x[1, ::5] = NAN
    for k in (1, n // 3, n // 2, n):
        check(lambda m, t, k=k: m.kthvalue(t, k), x)


@pytest.mark.parametrize("call", [
    lambda m, t: m.kthvalue(t, 0), lambda m, t: m.kthvalue(t, 4), lambda m, t: m.kthvalue(t, 3, 0),
    lambda m, t: m.kthvalue(t, 1.0), lambda m, t: m.kthvalue(t, 1, 2), lambda m, t: m.kthvalue(t.bool(), 1),
    lambda m, t: m.kthvalue(t.cfloat(), 1), lambda m, t: m.kthvalue(t[0, 0], 1),
    lambda m, t: m.kthvalue(t[0, 0], 2), lambda m, t: m.kthvalue(t[:0], 1),
    lambda m, t: m.kthvalue(t[:0], 1, 0), lambda m, t: m.kthvalue(t[:, :0], 1),
    lambda m, t: m.kthvalue(t.permute(1, 0), 2, 1, True), lambda m, t: t.kthvalue(2, dim=0, keepdim=True),
])
def test_kthvalue_arguments(call):
    check(call, np.array([[3., 1., 2.], [-1., 5., 4.]], dtype=np.float32))


# ----------------------------------------------------------------------------- unique
@given(shape=shapes, dtype=st.sampled_from(REAL), seed=seeds, inverse=st.booleans(), counts=st.booleans())
def test_unique_flat_hypothesis(shape, dtype, seed, inverse, counts):
    x = sample(np.random.default_rng(seed), shape, dtype, special=True)
    if dtype.startswith("float"):
        x = np.round(x / 3).astype(dtype)
        if x.size > 16:  # torch's std::sort orders NaNs / -0.0 vs 0.0 arbitrarily beyond 16 elements
            x = np.nan_to_num(x) + np.zeros((), dtype)
    check(lambda m, t: m.unique(t, return_inverse=inverse, return_counts=counts), x)
    check(lambda m, t: t.unique(False, inverse, counts), x)
    check(lambda m, t: m.unique_consecutive(t, inverse, counts), x)  # torch's swapped positional flags
    check(lambda m, t: m.unique_consecutive(t, return_inverse=inverse, return_counts=counts), x)
    check(lambda m, t: t.unique_consecutive(inverse, counts), x)


@given(shape=st.lists(st.integers(0, 4), min_size=1, max_size=3).map(tuple),
       dtype=st.sampled_from(["bool", "uint8", "int64", "float32", "float64"]), seed=seeds,
       inverse=st.booleans(), counts=st.booleans(), data=st.data())
def test_unique_dim_hypothesis(shape, dtype, seed, inverse, counts, data):
    x = np.random.default_rng(seed).integers(0, 2, shape).astype(dtype)  # repeated slices
    dim = _dim(data, len(shape))
    check(lambda m, t: m.unique(t, dim=dim, return_inverse=inverse, return_counts=counts), x)
    check(lambda m, t: m.unique_consecutive(t, inverse, counts, dim), x)
    check(lambda m, t: t.unique_consecutive(return_inverse=inverse, return_counts=counts, dim=dim), x)


@pytest.mark.parametrize("call", [
    lambda m, t: m.unique(t), lambda m, t: m.unique(t.cfloat()), lambda m, t: m.unique(t.cfloat(), dim=0),
    lambda m, t: m.unique_consecutive(t.cfloat()), lambda m, t: m.unique_consecutive(t.cfloat(), dim=1),
    lambda m, t: m.unique(t, dim=2), lambda m, t: m.unique(t[0, 0], dim=0),
    lambda m, t: m.unique(t[0, 0], return_inverse=True, return_counts=True),
    lambda m, t: m.unique_consecutive(t[0, 0], return_inverse=True, return_counts=True),
    lambda m, t: m.unique(t.permute(1, 0), return_inverse=True),
    lambda m, t: m.unique(t.permute(1, 0), dim=1),
    lambda m, t: m.unique(t, True, True, True, 0), lambda m, t: m.unique(t, sorted=False, return_counts=True),
    lambda m, t: m.unique(m.tensor([-0., 0.])),
    lambda m, t: m.unique(m.tensor([0., -0.]), return_counts=True),
    lambda m, t: m.unique(m.tensor([1., NAN, NAN, 1.]), return_inverse=True, return_counts=True),
    lambda m, t: m.unique(m.arange(24).reshape(2, 3, 4) % 3, dim=2),
    lambda m, t: m.unique(m.arange(24).reshape(2, 3, 4) % 2, dim=1, return_inverse=True),
    lambda m, t: m.unique_consecutive(m.arange(24).reshape(2, 3, 4) // 2, dim=2),
])
def test_unique_arguments(call):
    check(call, np.array([[3., 1., 3.], [2., 2., 1.]], dtype=np.float32))


@pytest.mark.parametrize("shape", [(0,), (0, 3), (3, 0), (3, 0, 2), (0, 0)])
def test_unique_of_empty(shape):
    x = np.ones(shape, dtype=np.float32)
    check(lambda m, t: m.unique(t, return_inverse=True, return_counts=True), x)
    check(lambda m, t: m.unique_consecutive(t, return_inverse=True, return_counts=True), x)
    for dim in range(len(shape)):
        check(lambda m, t, dim=dim: m.unique(t, dim=dim, return_inverse=True, return_counts=True), x)
        check(lambda m, t, dim=dim: m.unique_consecutive(t, dim=dim), x)


def test_sort_return_types_repr():
    x = np.array([3., 1., 2.], dtype=np.float32)
    for op in (lambda m, t: m.sort(t), lambda m, t: m.topk(t, 2), lambda m, t: m.kthvalue(t, 2)):
        expected = op(torch, torch.from_numpy(x.copy()))
        actual = op(reftorch, reftorch.from_numpy(x.copy()))
        assert repr(actual) == repr(expected)
        assert type(actual) is getattr(reftorch.return_types, type(expected).__name__)
