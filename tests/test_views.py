"""View ops against torch: shapes, strides, offsets, contiguity, storage sharing, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from helpers import check, shares_storage
from hypothesis import given
from hypothesis import strategies as st

import reftorch

shapes = st.lists(st.integers(0, 4), min_size=0, max_size=4).map(tuple)
nonempty_shapes = st.lists(st.integers(1, 4), min_size=1, max_size=4).map(tuple)


def _base(T, shape):
    return T.arange(math.prod(shape)).reshape(shape)


def _strided(T, shape, perm):
    """A non-contiguous input: a permuted contiguous tensor."""
    return _base(T, tuple(shape[p] for p in np.argsort(perm))).permute(*perm)


@given(shape=shapes, data=st.data())
def test_view_to_any_factorisation_matches_torch(shape, data):
    n = math.prod(shape)
    target = data.draw(st.lists(st.integers(1, 6), max_size=3).map(tuple))
    target = target if math.prod(target) == n else (n,)
    if data.draw(st.booleans()) and target:
        target = (-1,) + target[1:] if n else target
    check(lambda T: _base(T, shape).view(*target), layout=True)


@given(shape=nonempty_shapes.filter(lambda s: len(s) >= 2), data=st.data())
def test_view_of_permuted_tensor_follows_torch_stride_rule(shape, data):
    perm = tuple(data.draw(st.permutations(range(len(shape)))))
    n = math.prod(shape)
    divisors = [d for d in range(1, n + 1) if n % d == 0]
    first = data.draw(st.sampled_from(divisors))
    check(lambda T: _strided(T, shape, perm).view(first, -1), layout=True)
    check(lambda T: _strided(T, shape, perm).reshape(first, -1), layout=True)


@given(shape=nonempty_shapes, data=st.data())
def test_reshape_shares_storage_exactly_when_torch_does(shape, data):
    perm = tuple(data.draw(st.permutations(range(len(shape)))))
    results = {}
    for T in (torch, reftorch):
        x = _strided(T, shape, perm)
        y = x.reshape(-1)
        results[T.__name__] = (shares_storage(x, y), y.stride())
    assert results["reftorch"] == results["torch"]


def test_view_error_text_matches():
    check(lambda T: T.arange(6).view(2, 3).t().view(6))
    check(lambda T: T.arange(6).view(4, -1))
    check(lambda T: T.arange(6).view(-1, -1))
    check(lambda T: T.arange(6).view(-2, 3))
    check(lambda T: T.zeros(0).view(-1, 0))


@given(shape=nonempty_shapes, data=st.data())
def test_transpose_permute_movedim(shape, data):
    ndim = len(shape)
    d0 = data.draw(st.integers(-ndim, ndim - 1))
    d1 = data.draw(st.integers(-ndim, ndim - 1))
    perm = data.draw(st.permutations(range(ndim)))
    check(lambda T: _base(T, shape).transpose(d0, d1), layout=True)
    check(lambda T: T.swapaxes(_base(T, shape), d0, d1), layout=True)
    check(lambda T: _base(T, shape).permute(*perm), layout=True)
    check(lambda T: T.movedim(_base(T, shape), d0, d1), layout=True)
    check(lambda T: _base(T, shape).moveaxis(d1, d0), layout=True)


@given(shape=shapes, data=st.data())
def test_invalid_dims_raise_index_error(shape, data):
    ndim = len(shape)
    bad = data.draw(st.one_of(st.integers(max(ndim, 1), 8), st.integers(-8, -max(ndim, 1) - 1)))
    check(lambda T: _base(T, shape).transpose(0, bad))
    check(lambda T: _base(T, shape).unsqueeze(bad + (1 if bad > 0 else -1)))
    check(lambda T: _base(T, shape).squeeze(bad))
    check(lambda T: _base(T, shape).sum(bad))
    check(lambda T: _base(T, shape).size(bad))
    check(lambda T: _base(T, shape).stride(bad))
    check(lambda T: T.zeros(()).size(0))
    check(lambda T: T.zeros(()).stride(-1))


@given(shape=st.lists(st.integers(1, 3), min_size=0, max_size=5).map(tuple), data=st.data())
def test_squeeze_unsqueeze(shape, data):
    ndim = len(shape)
    check(lambda T: _base(T, shape).squeeze(), layout=True)
    if ndim:
        d = data.draw(st.integers(-ndim, ndim - 1))
        check(lambda T: _base(T, shape).squeeze(d), layout=True)
        dims = tuple(data.draw(st.sets(st.integers(0, ndim - 1))))
        check(lambda T: _base(T, shape).squeeze(dims), layout=True)
    u = data.draw(st.integers(-ndim - 1, ndim))
    check(lambda T: _base(T, shape).unsqueeze(u), layout=True)
    check(lambda T: _base(T, shape).t() if ndim <= 2 else _base(T, shape).mT, layout=True)


@given(shape=nonempty_shapes, data=st.data())
def test_expand_narrow_select_unfold_diagonal(shape, data):
    ndim = len(shape)
    ones = tuple(1 if data.draw(st.booleans()) else s for s in shape)
    target = tuple(data.draw(st.integers(1, 3)) if s == 1 else s for s in ones)
    lead = tuple(data.draw(st.lists(st.integers(0, 2), max_size=2)))
    check(lambda T: _base(T, ones).expand(*(lead + target)), layout=True)
    check(lambda T: _base(T, ones).expand(*(lead + tuple(-1 for _ in ones))), layout=True)
    d = data.draw(st.integers(-ndim, ndim - 1))
    size = shape[d]
    start = data.draw(st.integers(-size, size))
    length = data.draw(st.integers(0, size + 1))
    check(lambda T: _base(T, shape).narrow(d, start, length), layout=True)
    index = data.draw(st.integers(-size - 1, size))
    check(lambda T: _base(T, shape).select(d, index), layout=True)
    window = data.draw(st.integers(0, size + 1))
    step = data.draw(st.integers(0, 3))
    check(lambda T: _base(T, shape).unfold(d, window, step), layout=True)
    if ndim >= 2:
        off = data.draw(st.integers(-3, 3))
        check(lambda T: _base(T, shape).diagonal(off, 0, -1), layout=True)


@given(shape=shapes, data=st.data())
def test_flatten_unflatten(shape, data):
    ndim = max(len(shape), 1)
    s = data.draw(st.integers(-ndim, ndim - 1))
    e = data.draw(st.integers(-ndim, ndim - 1))
    check(lambda T: _base(T, shape).flatten(s, e), layout=True)
    check(lambda T: T.flatten(_base(T, shape).mT if len(shape) >= 2 else _base(T, shape)), layout=True)
    if shape:
        check(lambda T: _base(T, shape).unflatten(0, (1, -1)), layout=True)
        check(lambda T: _base(T, shape).unflatten(0, (2, -1)), layout=True)


def test_contiguous_returns_self_when_contiguous_and_copies_otherwise():
    for T in (torch, reftorch):
        x = T.arange(6).view(2, 3)
        assert x.contiguous() is x
        y = x.t().contiguous()
        assert not shares_storage(x, y) and y.is_contiguous()
    check(lambda T: T.arange(6).view(2, 3).t().contiguous(), layout=True)


def test_views_share_storage_and_writes_propagate():
    for T in (torch, reftorch):
        x = T.zeros(3, 4)
        views = [x.view(12), x.t(), x[1], x[:, 1:3], x.unsqueeze(0), x.expand(2, 3, 4), x.narrow(1, 1, 2),
                 x.permute(1, 0), x.diagonal(), x.unfold(1, 2, 1), x.flatten(), x.as_strided((2,), (5,))]
        assert all(shares_storage(x, v) for v in views)
        x.t()[1, 2] = 7
        assert x[2, 1].item() == 7
    check(lambda T: T.zeros(3, 4).as_strided((2, 2), (1, 4), 1), layout=True)
    check(lambda T: T.zeros(3, 4).as_strided((100,), (1,)))


def test_clone_and_detach():
    for T in (torch, reftorch):
        x = T.arange(6.0).view(2, 3).t()
        c = x.clone()
        assert not shares_storage(x, c)
        d = x.detach()
        assert shares_storage(x, d) and d.stride() == x.stride()
    check(lambda T: T.arange(6.0).view(2, 3).t().clone(), layout=True)


def test_split_chunk_unbind_are_views():
    for fn in (lambda T: T.arange(10).split(3), lambda T: T.arange(10).split([2, 8]),
               lambda T: T.arange(10).chunk(3), lambda T: T.arange(12).view(3, 4).unbind(1),
               lambda T: T.arange(10).chunk(4), lambda T: T.arange(10).split([2, 3])):
        check(fn, layout=True)


def test_T_warns_once_on_non_matrix_like_torch():
    import warnings

    for T in (torch, reftorch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert T.zeros(2, 3, 4).T.shape == (4, 3, 2)
            assert T.zeros(2, 3, 4).T.stride() == (1, 4, 12)
        assert [w.category for w in caught] in ([UserWarning], [])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            _ = T.zeros(5, 1, 1).T
        assert caught == []


def test_error_texts():
    check(lambda T: T.zeros(2, 3, 4).t())
    check(lambda T: T.zeros(2, 3).permute(0, 0))
    check(lambda T: T.zeros(2, 3).permute(0))
    check(lambda T: T.zeros(2, 3).expand(3, 3))
    check(lambda T: T.zeros(2, 3).expand(3))
    check(lambda T: T.zeros(5).narrow(0, 3, 3))
    check(lambda T: T.zeros(2, 3).flatten(1, 0))
    check(lambda T: T.zeros(2, 3).unflatten(1, (2, 2)))
    check(lambda T: T.zeros(2, 3).diagonal(0, 1, 1))
    check(lambda T: T.zeros(3).mT)
    check(lambda T: T.zeros(2, 3).movedim((0, 1), (1,)))


def test_in_place_metadata_ops():
    def program(T):
        x = T.arange(6).view(2, 3)
        x.t_()
        x.unsqueeze_(0)
        x.squeeze_(0)
        x.transpose_(0, 1)
        return x

    check(program, layout=True)


@pytest.mark.parametrize("change", [
    lambda x: x.squeeze_(), lambda x: x.unsqueeze_(0), lambda x: x.t_(), lambda x: x.transpose_(0, 1),
    lambda x: x.swapdims_(0, 1), lambda x: x.as_strided_((1,), (1,)), lambda x: x.resize_(2), lambda x: x.resize_(4),
    lambda x: x.resize_(2, 1), lambda x: x.t().resize_(1, 2), lambda x: x.detach_(),
])
def test_metadata_changes_move_the_version_like_torch(change):
    """In-place metadata ops count as modifications (version + 1); resizing to the same shape is a no-op."""
    def program(T):
        x = T.ones(2, 1)
        y = change(x)
        return x._version, y._version, y.shape, y.stride()

    check(program)


@pytest.mark.parametrize("resize", [
    pytest.param(lambda T: T.empty(4)[2:].resize_(2 ** 62), id="size-overflows"),
    pytest.param(lambda T: T.empty(4)[2:].resize_(2 ** 61 - 1), id="offset-tips-it-over"),
    pytest.param(lambda T: T.empty(4)[2:].resize_(2 ** 40), id="allocator-refuses"),
    pytest.param(lambda T: T.empty(2, requires_grad=True).resize_(-1), id="grad-checked-before-sizes"),
    pytest.param(lambda T: T.from_numpy(np.zeros(2, np.float32)).resize_(3), id="borrowed-memory"),
])
def test_resize_refusals_match_torch(resize):
    """resize_ computes the storage size as ``computeStorageNbytesContiguous`` (the offset counts),
    and the allocator's refusal is torch's RuntimeError (no NumPy error leaks)."""
    check(resize)


def test_resize_grows_the_storage_keeping_its_data():
    def program(T):
        x = T.arange(4.0)
        y = x[1:].resize_(6)
        y[3:] = 7.0
        return y[:3], y.stride(), y.storage_offset(), y.untyped_storage().nbytes(), x

    check(program)


def test_vector_matrix_product_is_squeezed_in_place():
    check(lambda T: [(T.ones(2) @ T.ones(2, 3))._version, (T.ones(2, requires_grad=True) @ T.ones(2, 3))._version,
                     (T.ones(3, 2) @ T.ones(2))._version])
