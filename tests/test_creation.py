"""Creation ops against torch: dtype inference, legacy constructor, factories, ranges, numpy bridge."""

from __future__ import annotations

import re
import warnings
from array import array as py_array
from typing import Any

import numpy as np
import pytest
import torch
from helpers import DTYPE_NAMES, check, shares_storage
from hypothesis import given
from hypothesis import strategies as st

import reftorch
from reftorch._layout import contiguous_format as _CONTIGUOUS
from reftorch._layout import preserve_format as _PRESERVE

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


def raise_alike(program: Any) -> None:
    """Both libraries raise the same exception type with the same whole message (argument-parser
    listings included, line for line)."""
    errors = []
    for T in (torch, reftorch):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                program(T)
            except Exception as exc:  # noqa: BLE001 - the exception is the observable
                errors.append((type(exc), str(exc)))
            else:
                errors.append(None)
    assert errors[0] is not None, "torch raised nothing"
    assert errors[1] == errors[0]


def _seeded(call: Any) -> Any:
    """A program drawing from the default generator right after seeding it."""
    def program(T: Any) -> Any:
        T.manual_seed(7)
        return call(T)

    return program


KEYWORD_FORMS = {
    "zeros(2, 3)": lambda T: T.zeros(2, 3),
    "zeros((2, 3))": lambda T: T.zeros((2, 3)),
    "zeros(size=(2, 3))": lambda T: T.zeros(size=(2, 3)),
    "zeros(size=[2], dtype=, requires_grad=None)": lambda T: T.zeros(size=[2], dtype=T.int8, requires_grad=None),
    "ones(size=(2,))": lambda T: T.ones(size=(2,)),
    "empty(size=(2, 0)).shape": lambda T: T.empty(size=(2, 0)).shape,
    "full(size=, fill_value=)": lambda T: T.full(size=(2,), fill_value=3.5),
    "full((2,), fill_value=1)": lambda T: T.full((2,), fill_value=1),
    "arange(end=5)": lambda T: T.arange(end=5),
    "arange(start=1, end=5)": lambda T: T.arange(start=1, end=5),
    "arange(start=1, end=5, step=2)": lambda T: T.arange(start=1, end=5, step=2),
    "arange(1, 5, step=0.5)": lambda T: T.arange(1, 5, step=0.5),
    "linspace(start=, end=, steps=)": lambda T: T.linspace(start=0, end=1, steps=5),
    "linspace(0-dim tensors)": lambda T: T.linspace(T.tensor(0.0), T.tensor(1.0), 3),
    "eye(n=2, m=3)": lambda T: T.eye(n=2, m=3),
    "eye(n=2)": lambda T: T.eye(n=2),
    "randn(2, 3, generator=g)": lambda T: T.randn(2, 3, generator=T.Generator().manual_seed(3)),
    "rand(size=(2,))": _seeded(lambda T: T.rand(size=(2,))),
    "rand(2, generator=None)": _seeded(lambda T: T.rand(2, generator=None)),
    "randint(high=5, size=(3,))": _seeded(lambda T: T.randint(high=5, size=(3,))),
    "randint(5, size=(3,))": _seeded(lambda T: T.randint(5, size=(3,))),
    "randint(low=0, high=5, size=(3,))": _seeded(lambda T: T.randint(low=0, high=5, size=(3,))),
    "randint(2, 9, (2, 2), generator=g)": lambda T: T.randint(2, 9, (2, 2), generator=T.Generator().manual_seed(1)),
    "randperm(n=4)": _seeded(lambda T: T.randperm(n=4)),
    "randperm(5, generator=g, dtype=)": lambda T: T.randperm(5, generator=T.Generator().manual_seed(2), dtype=T.int32),
    "new_zeros(size=(2,))": lambda T: T.ones(2, dtype=T.int32).new_zeros(size=(2,)),
    "new_ones(2, 3)": lambda T: T.ones(2).new_ones(2, 3),
    "new_full(size=, fill_value=)": lambda T: T.ones(2, dtype=T.int64).new_full(size=(2,), fill_value=2.5),
    "new_empty(size=(3,)).shape": lambda T: T.ones(2).new_empty(size=(3,)).shape,
    "zeros_like(input=, dtype=)": lambda T: T.zeros_like(input=T.ones(2), dtype=T.int64),
    "full_like(fill_value=7)": lambda T: T.full_like(T.ones(2), fill_value=7),
    "rand_like(generator=g)": lambda T: T.rand_like(T.ones(3), generator=T.Generator().manual_seed(4)),
    "randn_like(input=)": _seeded(lambda T: T.randn_like(input=T.ones(2, dtype=T.float64))),
    "tensor(data=, dtype=)": lambda T: T.tensor(data=[1, 2], dtype=T.float64),
    "as_tensor(data=, dtype=)": lambda T: T.as_tensor(data=[1], dtype=T.int8),
    "new_tensor(data=)": lambda T: T.ones(2).new_tensor(data=[1, 2]),
    "range(start=, end=, step=)": lambda T: T.range(start=0, end=3, step=1),
    "Tensor(size=(2, 3)).shape": lambda T: T.Tensor(size=(2, 3)).shape,
    "Tensor(data=[1, 2])": lambda T: T.Tensor(data=[1, 2]),
    "result_type(tensor=, other=)": lambda T: T.result_type(tensor=T.ones(2), other=1.5),
    "numel(input=)": lambda T: T.numel(input=T.ones(2, 3)),
}


@pytest.mark.parametrize("program", KEYWORD_FORMS.values(), ids=KEYWORD_FORMS.keys())
def test_factories_take_torchs_positional_and_keyword_forms(program):
    check(program)


PARSER_ERRORS = {
    "zeros(2, dtype='float32')": lambda T: T.zeros(2, dtype="float32"),
    "zeros()": lambda T: T.zeros(),
    "zeros(2, foo=1)": lambda T: T.zeros(2, foo=1),
    "zeros((2,), 3)": lambda T: T.zeros((2,), 3),
    "zeros(2, device=1.5)": lambda T: T.zeros(2, device=1.5),
    "full((2,))": lambda T: T.full((2,)),
    "full(2, 1)": lambda T: T.full(2, 1),
    "full((2,), 'a')": lambda T: T.full((2,), "a"),
    "full((2,), 1, dtype)": lambda T: T.full((2,), 1, T.float64),
    "arange()": lambda T: T.arange(),
    "arange('a')": lambda T: T.arange("a"),
    "arange(1, 2, 3, 4)": lambda T: T.arange(1, 2, 3, 4),
    "arange(stop=5)": lambda T: T.arange(stop=5),
    "randint(5)": lambda T: T.randint(5),
    "randint(size=(3,))": lambda T: T.randint(size=(3,)),
    "randint(5.0, (3,))": lambda T: T.randint(5.0, (3,)),
    "rand()": lambda T: T.rand(),
    "rand(2, generator=1)": lambda T: T.rand(2, generator=1),
    "randn(2, dtype='x')": lambda T: T.randn(2, dtype="x"),
    "randperm(4, generator='x')": lambda T: T.randperm(4, generator="x"),
    "eye(2.5)": lambda T: T.eye(2.5),
    "eye(1, 2, 3)": lambda T: T.eye(1, 2, 3),
    "linspace(0, 1)": lambda T: T.linspace(0, 1),
    "linspace(0, 1, 2.5)": lambda T: T.linspace(0, 1, 2.5),
    "new_zeros()": lambda T: T.ones(2).new_zeros(),
    "new_full((2,))": lambda T: T.ones(2).new_full((2,)),
    "new_tensor()": lambda T: T.ones(2).new_tensor(),
    "tensor([1], dtype)": lambda T: T.tensor([1], T.float64),
    "tensor(1, pin_memory=None)": lambda T: T.tensor(1, pin_memory=None),
    "as_tensor([1], dtype)": lambda T: T.as_tensor([1], T.float64),
    "empty(2, memory_format='x')": lambda T: T.empty(2, memory_format="x"),
    "zeros_like(1)": lambda T: T.zeros_like(1),
    "full_like(t)": lambda T: T.full_like(T.ones(2)),
    "rand_like()": lambda T: T.rand_like(),
    "from_numpy()": lambda T: T.from_numpy(),
    "from_numpy(a, a)": lambda T: T.from_numpy(np.zeros(1), np.zeros(1)),
    "from_numpy(array=a)": lambda T: T.from_numpy(array=np.zeros(1)),
    "is_tensor(obj=1)": lambda T: T.is_tensor(obj=1),
    "is_floating_point(1)": lambda T: T.is_floating_point(1),
    "result_type(1, foo=2)": lambda T: T.result_type(1, foo=2),
    "Tensor(foo=1)": lambda T: T.Tensor(foo=1),
    "Tensor(2, 'a')": lambda T: T.Tensor(2, "a"),
    "Tensor(2.5)": lambda T: T.Tensor(2.5),
    "Tensor(np.float64(2))": lambda T: T.Tensor(np.float64(2.0)),
    "Tensor(t, device=)": lambda T: T.Tensor(T.ones(2), device="cpu"),
    "Tensor(2, device='meta')": lambda T: T.Tensor(2, device="meta"),
    "Tensor(int storage)": lambda T: T.Tensor(T.arange(2).storage()),
    "pin_memory=True": lambda T: T.zeros(2, pin_memory=True),
}


@pytest.mark.parametrize("program", PARSER_ERRORS.values(), ids=PARSER_ERRORS.keys())
def test_bad_arguments_get_torchs_errors(program):
    raise_alike(program)


FACTORY_VALUES = {
    "zeros version": lambda T: T.zeros(2)._version,
    "full overflow": lambda T: T.full((2,), 300, dtype=T.uint8),
    "rand int dtype": lambda T: T.rand(2, dtype=T.int64),
    "randn int dtype": lambda T: T.randn(2, dtype=T.int64),
    "randperm(-1)": lambda T: T.randperm(-1),
    "randint from >= to": lambda T: T.randint(5, 3, (2,)),
    "arange int step truncates to 0": lambda T: T.arange(0, 2.5, 0.5, dtype=T.int64),
    "arange truncated int bounds": lambda T: T.arange(0.5, 5.7, 1.5, dtype=T.int32),
    "arange(0, inf)": lambda T: T.arange(0, float("inf")),
    "arange(nan)": lambda T: T.arange(float("nan")),
    "arange(1e20)": lambda T: T.arange(1e20),
    "arange(5, dtype=bool)": lambda T: T.arange(5, dtype=T.bool),
    "linspace 1-d start": lambda T: T.linspace(T.tensor([0.0]), 1, 3),
    "linspace 2-d end": lambda T: T.linspace(0, T.ones(2, 2), 3),
    "linspace both 1-d": lambda T: T.linspace(T.ones(1), T.ones(1), 3),
    "empty preserve_format": lambda T: T.empty(2, memory_format=T.preserve_format if T is torch else _PRESERVE),
    "Tensor(x) aliases": lambda T: (lambda x: (T.Tensor(x) is x, T.Tensor(x)._base is x, T.Tensor(x).grad_fn.name()))(
        T.ones(2, requires_grad=True) * 1),
    "Tensor(int tensor)": lambda T: T.Tensor(T.tensor([1, 2])),
    "Tensor(untyped storage)": lambda T: T.Tensor(T.arange(4.0).untyped_storage()),
    "Tensor(float32 array) shares": lambda T: (lambda a: (T.Tensor(a).fill_(5), a[0])[1])(np.ones(2, np.float32)),
    "tensor(negative strides)": lambda T: T.tensor(np.arange(3)[::-1]),
    "tensor(Fortran array) strides": lambda T: T.tensor(np.asfortranarray(np.ones((2, 3)))).stride(),
    "as_tensor(array) dtype": lambda T: T.as_tensor(np.arange(3), dtype=T.float64),
    "tensor(np.float64)": lambda T: T.tensor(np.float64(2.5)),
}


@pytest.mark.parametrize("program", FACTORY_VALUES.values(), ids=FACTORY_VALUES.keys())
def test_factories_work_as_aten_does(program):
    check(program)


@pytest.mark.parametrize("like", ["zeros_like", "ones_like", "empty_like", "rand_like", "randn_like"])
@pytest.mark.parametrize("view", [lambda t: t.t(), lambda t: t.t()[::2], lambda t: t[:, :1].expand(4, 6)],
                         ids=["transposed", "strided", "expanded"])
def test_like_factories_keep_the_layout(like, view):
    """``empty_like``'s preserve_format: a dense input's strides, else dense strides in its dim order."""
    def program(T):
        T.manual_seed(3)
        result = getattr(T, like)(view(T.ones(4, 6)))
        return result.stride() if like == "empty_like" else result

    check(program, layout=True)


def test_copy_construct_warns_as_torch():
    for T, call in ((torch, "torch.tensor"), (reftorch, "torch.tensor")):
        with pytest.warns(UserWarning, match=re.escape(f"rather than {call}(sourceTensor)")):
            T.tensor(T.ones(2))
        with pytest.warns(UserWarning, match=re.escape("rather than tensor.new_tensor(sourceTensor)")):
            T.ones(2).new_tensor(T.ones(2))


ALLOCATIONS = {
    "empty(2**60)": lambda T: T.empty(2**60),
    "empty(2**63 - 1, int8)": lambda T: T.empty(2**63 - 1, dtype=T.int8),
    "ones(2**62, 4)": lambda T: T.ones(2**62, 4),
    "zeros(2**62, 4, 0)": lambda T: T.zeros(2**62, 4, 0),
    "zeros(0, 2**62, 4)": lambda T: T.zeros(0, 2**62, 4),
    "full((2**62, 4), 1.0)": lambda T: T.full((2**62, 4), 1.0),
    "rand(2**62, 4)": lambda T: T.rand(2**62, 4),
    "randint(3, (2**62, 4))": lambda T: T.randint(3, (2**62, 4)),
    "randperm(2**62)": lambda T: T.randperm(2**62),
    "eye(2**31, 2**31)": lambda T: T.eye(2**31, 2**31),
    "arange(2**61)": lambda T: T.arange(2**61),
    "linspace(0, 1, 2**62)": lambda T: T.linspace(0, 1, 2**62),
    "new_zeros((2**62, 4))": lambda T: T.ones(2).new_zeros((2**62, 4)),
    "Tensor(2**62, 4)": lambda T: T.Tensor(2**62, 4),
    "zeros_like(expanded)": lambda T: T.zeros_like(T.ones(1).expand(2**60)),
    "expanded.double()": lambda T: T.ones(1).expand(2**60).double(),
    "expanded.to(contiguous_format)": lambda T: T.ones(1).expand(2**60).to(
        T.float64, memory_format=T.contiguous_format if T is torch else _CONTIGUOUS),
}


@pytest.mark.parametrize("program", ALLOCATIONS.values(), ids=ALLOCATIONS.keys())
def test_allocation_failures_are_torchs_runtime_errors(program):
    """Storage sizes checked as c10 checks them, and the backend's failure to allocate (sizes that
    no allocator can serve, so both fail at once) reported as the CPU allocator reports it."""
    raise_alike(program)


@pytest.mark.parametrize("make, options", [
    (lambda: bytearray(range(16)), {"dtype": "float32"}),
    (lambda: bytearray(range(16)), {"dtype": "int16", "count": 3, "offset": 2}),
    (lambda: py_array("i", [1, 2, 3]), {"dtype": "int32", "offset": 4}),
    (lambda: bytearray(range(16)), {"dtype": "float64", "requires_grad": True}),
    (lambda: b"", {"dtype": "float32"}),
    (lambda: bytearray(8), {"dtype": "float32", "offset": 8}),
    (lambda: bytearray(7), {"dtype": "float32"}),
    (lambda: bytearray(8), {"dtype": "float32", "count": 3}),
    (lambda: bytearray(8), {"dtype": "float32", "count": 0}),
    (lambda: 1, {"dtype": "float32"}),
    (lambda: memoryview(bytearray(8))[::2], {"dtype": "uint8"}),
    (lambda: bytearray(8), {}),
])
def test_frombuffer_shares_the_buffer(make, options):
    """torch.frombuffer's values, dtype, errors and memory sharing: a write through the tensor shows in the buffer."""
    def program(T):
        buffer = make()
        kwargs = {k: getattr(T, v) if k == "dtype" else v for k, v in options.items()}
        t = T.frombuffer(buffer, **kwargs)
        before = t.detach().clone()
        with T.no_grad():
            t[0] = 42
        return before, t.requires_grad, bytes(buffer)

    check(program)


def test_every_tensor_is_strided():
    """``Tensor.layout`` is ``torch.strided`` for fresh tensors and views alike (what packages check
    before touching a tensor's storage, e.g. safetensors)."""
    check(lambda T: [(t.layout is T.strided, str(t.layout)) for t in
                     (T.ones(2, 3), T.ones(2, 3).t(), T.ones(4)[::2], T.tensor(1.5), T.zeros(0))])
