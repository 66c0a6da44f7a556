"""Creation ops against torch: dtype inference, legacy constructor, factories, ranges, numpy bridge."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from helpers import DTYPE_NAMES, check, shares_storage
from hypothesis import given
from hypothesis import strategies as st

import reftorch

INFERENCE_CASES = [
    [1, 2], [1.0, 2], [True, False], [True, 1], [True, 1.0], [1, 2.5j], [], [[], []], [[1, 2], [3, 4]], 3, 3.0,
    True, 1j, (1, 2), [[1, 2], [3]], [[1, 2], 3], "a", ["a"], None, [None], np.float64(2.0), [np.float32(1), 2.0],
    [1, np.int32(2)], np.array([1, 2], dtype=np.int32), np.array([[1.5]]), [reftorch, torch],
]


@pytest.mark.parametrize("data", INFERENCE_CASES, ids=[repr(c)[:20] for c in INFERENCE_CASES])
def test_tensor_inference(data):
    if isinstance(data, list) and data and data[0] is reftorch:
        check(lambda T: T.tensor([T.tensor(1.0), T.tensor(2)]))
        return
    check(lambda T: T.tensor(data))


@given(dtype=st.sampled_from(DTYPE_NAMES), values=st.lists(st.integers(-3, 3), max_size=4))
def test_tensor_with_dtype(dtype, values):
    check(lambda T: T.tensor(values, dtype=getattr(T, dtype)))
    check(lambda T: T.tensor([float(v) / 2 for v in values], dtype=getattr(T, dtype)))


LEGACY_CASES = [(), (2, 3), ([1, 2],), ((2, 3),), (3.0,), ([1.5, 2],), (-1,), (np.array([1, 2]),)]


NUMBERS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, width=64), st.floats(-1e6, 1e6),
    st.sampled_from([0.1, 1 / 3, 1 + 2**-11 + 2**-30, 16777217.0, -1.7, 2**60 + 1, 65519.0, 2.0**63, -255]),
    st.integers(-(2**62), 2**62), st.integers(-(2**66), 2**66),
    st.complex_numbers(max_magnitude=1e6, allow_nan=False), st.booleans())


@given(dtype=st.sampled_from(DTYPE_NAMES), values=st.lists(NUMBERS, min_size=1, max_size=4))
def test_tensor_reads_python_numbers_straight_into_the_dtype(dtype, values):
    """Each number is converted to the target as torch's store_scalar does (doubles, not through the
    default dtype; float16 through float32; complex refused for real targets, nonzero for bool)."""
    check(lambda T: T.tensor(values, dtype=getattr(T, dtype)))


@pytest.mark.parametrize("args", LEGACY_CASES, ids=[repr(c) for c in LEGACY_CASES])
def test_legacy_constructor(args):
    def program(T):
        t = T.Tensor(*args)
        return t.dtype, t.shape, (t if 0 not in t.shape and args and not isinstance(args[0], int) else None)

    check(program)


@pytest.mark.parametrize("name", ["zeros", "ones", "empty", "rand", "randn"])
@given(shape=st.lists(st.integers(-1, 3), max_size=3).map(tuple), as_tuple=st.booleans())
def test_factories_shapes_and_errors(name, shape, as_tuple):
    def program(T):
        t = getattr(T, name)(shape) if as_tuple else getattr(T, name)(*shape)
        return t.shape, t.dtype, t.stride(), (t if name in ("zeros", "ones") else None)

    check(program)


def test_factory_keywords():
    check(lambda T: T.zeros(2, 3, dtype=T.int32))
    check(lambda T: T.ones((2,), dtype=T.float64, requires_grad=True))
    check(lambda T: T.zeros(2, dtype=T.int64, requires_grad=True))
    check(lambda T: T.zeros(2.5))
    check(lambda T: (T.full((2,), 3), T.full((2,), True), T.full((2,), 1.5), T.full((2,), 2, dtype=T.float16)))
    check(lambda T: (T.zeros_like(T.ones(2, dtype=T.int32)), T.ones_like(T.ones(2), dtype=T.int8),
                     T.full_like(T.ones(2, dtype=T.int32), 2.7), T.empty_like(T.ones(2, 3)).shape))
    check(lambda T: (T.ones(2, dtype=T.int32).new_zeros(3), T.ones(2).new_ones((1, 2)),
                     T.tensor([1, 2]).new_tensor([1.5]), T.tensor([1, 2]).new_full((2,), 1.5),
                     T.ones(2).new_empty(3).shape))
    check(lambda T: T.eye(2, 3))
    check(lambda T: T.eye(-1))


@given(start=st.integers(-5, 5), end=st.integers(-5, 10), step=st.sampled_from([1, 2, 3, -1, -2, 0]),
       floats=st.booleans())
def test_arange(start, end, step, floats):
    if floats:
        check(lambda T: T.arange(start / 2, end / 2, step / 2))
    else:
        check(lambda T: T.arange(start, end, step))
    check(lambda T: T.arange(end))


@given(start=st.integers(-5, 5), end=st.integers(-5, 10), steps=st.integers(-1, 12))
def test_linspace(start, end, steps):
    check(lambda T: T.linspace(start, end, steps))
    check(lambda T: T.linspace(start, end, steps, dtype=T.int64))


def test_linspace_requires_steps():
    check(lambda T: T.linspace(0, 1), message=False)


@given(dtype=st.sampled_from(DTYPE_NAMES), shape=st.lists(st.integers(0, 3), max_size=3).map(tuple))
def test_from_numpy_and_numpy_share_memory(dtype, shape):
    array = np.zeros(shape, dtype=dtype)
    t = reftorch.from_numpy(array)
    assert str(t.dtype) == str(torch.from_numpy(array).dtype)
    assert t.shape == torch.from_numpy(array).shape and t.stride() == torch.from_numpy(array).stride()
    if array.size:
        t.view(-1)[0] = 1
        assert array.reshape(-1)[0] == 1
        array.reshape(-1)[-1] = 1
        assert t.reshape(-1)[-1].item() == 1
        assert np.shares_memory(t.numpy(), array)


def test_from_numpy_strided_and_errors():
    base = np.arange(12.0).reshape(3, 4)
    for array in (base[:, ::2], base.T, base[1:, 1:]):
        ours, theirs = reftorch.from_numpy(array), torch.from_numpy(array)
        assert ours.stride() == theirs.stride() and ours.tolist() == theirs.tolist()
        assert ours.data_ptr() == array.__array_interface__["data"][0]
    check(lambda T: T.from_numpy(np.arange(3)[::-1]))
    check(lambda T: T.from_numpy([1, 2]))
    check(lambda T: T.ones(2, requires_grad=True).numpy())
    check(lambda T: T.tensor(np.array(["a"])), message=False)


def test_as_tensor_shares_when_possible():
    array = np.arange(3.0)
    for T in (torch, reftorch):
        assert T.as_tensor(array).data_ptr() == array.__array_interface__["data"][0]
        t = T.ones(3)
        assert T.as_tensor(t) is t
        assert not shares_storage(T.as_tensor(t, dtype=T.float64), t)
    check(lambda T: T.as_tensor([1, 2], dtype=T.float16))


def test_metadata_accessors():
    def program(T):
        x = T.zeros(2, 3, 4)
        return (x.shape, x.size(), x.size(-1), x.dim(), x.ndim, x.numel(), len(x), x.element_size(),
                x.stride(1), x.storage_offset(), x[1].storage_offset(), x.is_contiguous(), x.nbytes, x.itemsize,
                x.type(), x.int().type(), x.get_device(), x.is_cuda, str(x.device))

    check(program)
    check(lambda T: len(T.tensor(1)))
    check(lambda T: T.zeros(2).size(2))
    check(lambda T: T.zeros(2).item())
    check(lambda T: (T.tensor([3]).item(), T.tensor(2.5).item(), T.tensor(True).item(), T.tensor([[1, 2]]).tolist(),
                     T.tensor(3).tolist()))


def test_data_ptr_is_storage_pointer_plus_offset():
    for T in (torch, reftorch):
        x = T.arange(12, dtype=T.float64).view(3, 4)
        v = x[1, 2:]
        assert v.data_ptr() == x.untyped_storage().data_ptr() + 8 * v.storage_offset()
        assert v.untyped_storage().data_ptr() == x.data_ptr()
        assert v.untyped_storage().nbytes() == 96


def test_storage_is_deprecated_typed_view():
    import warnings

    for T in (torch, reftorch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            s = T.arange(4).storage()
            T.arange(2).storage()
        assert [w.category for w in caught] in ([UserWarning], [])  # torch warns once per process
        assert s.size() == 4 and s.tolist() == [0, 1, 2, 3]
