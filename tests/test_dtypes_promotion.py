"""dtypes, aliases, default dtype, promote_types / result_type / can_cast against torch."""

from __future__ import annotations

import itertools

import pytest
import torch
from helpers import DTYPE_NAMES, check
from hypothesis import given
from hypothesis import strategies as st

import reftorch

ALL = DTYPE_NAMES + ("bfloat16",)


@pytest.mark.parametrize("name", ALL)
def test_dtype_attributes(name):
    ours, theirs = getattr(reftorch, name), getattr(torch, name)
    assert repr(ours) == repr(theirs) and str(ours) == str(theirs)
    assert (ours.is_floating_point, ours.is_complex, ours.is_signed, ours.itemsize) == \
        (theirs.is_floating_point, theirs.is_complex, theirs.is_signed, theirs.itemsize)
    assert str(ours.to_real()) == str(theirs.to_real())


@pytest.mark.parametrize("alias", ["half", "float", "double", "short", "int", "long", "cfloat", "cdouble"])
def test_aliases(alias):
    assert repr(getattr(reftorch, alias)) == repr(getattr(torch, alias))


@pytest.mark.parametrize("a,b", list(itertools.product(ALL, ALL)))
def test_promote_types_table(a, b):
    ours = reftorch.promote_types(getattr(reftorch, a), getattr(reftorch, b))
    assert str(ours) == str(torch.promote_types(getattr(torch, a), getattr(torch, b)))


@pytest.mark.parametrize("a,b", list(itertools.product(ALL, ALL)))
def test_can_cast_table(a, b):
    assert reftorch.can_cast(getattr(reftorch, a), getattr(reftorch, b)) == \
        torch.can_cast(getattr(torch, a), getattr(torch, b))


scalars = st.sampled_from([True, 3, -2, 2.5, 1e10, 1 + 2j])


@given(a=st.sampled_from(DTYPE_NAMES), b=st.sampled_from(DTYPE_NAMES), a_dim=st.booleans(), b_dim=st.booleans(),
       scalar=scalars)
def test_result_type_matches_torch(a, b, a_dim, b_dim, scalar):
    def operands(T):
        x = T.ones((2,) if a_dim else (), dtype=getattr(T, a))
        y = T.ones((2,) if b_dim else (), dtype=getattr(T, b))
        return x, y

    check(lambda T: T.result_type(*operands(T)))
    check(lambda T: T.result_type(operands(T)[0], scalar))
    check(lambda T: (operands(T)[0] + operands(T)[1]).dtype if a != "bool" or b != "bool" else T.bool)


@pytest.mark.parametrize("default", ["float32", "float64"])
def test_default_dtype_drives_inference(default):
    def program(T):
        T.set_default_dtype(getattr(T, default))
        try:
            return (T.get_default_dtype(), T.tensor(1.5).dtype, T.tensor(1j).dtype, T.Tensor(2).dtype,
                    T.arange(0.0, 1.0, 0.5).dtype, (T.tensor([1, 2]) / 2).dtype, (T.tensor([1]) * 2.5).dtype)
        finally:
            T.set_default_dtype(T.float32)

    check(program)


def test_set_default_dtype_rejects_non_floating():
    check(lambda T: T.set_default_dtype(T.int64))
    check(lambda T: T.set_default_dtype("float"))


def test_size_and_device_objects():
    check(lambda T: (T.Size([2, 3]), repr(T.Size([])), T.Size([2, 3]).numel(), T.Size([2, 3])[1:],
                     type(T.Size([2]) + (3,)).__name__, T.Size([1, 2]) == (1, 2)))
    check(lambda T: T.Size([1.5]))
    check(lambda T: (repr(T.device("cpu")), str(T.device("cuda:1")), repr(T.device("cuda", 1)),
                     T.device("cuda") == T.device("cuda:0"), T.device("cpu").index, T.device("cuda:2").type))
    check(lambda T: T.device("cud"))
    check(lambda T: T.device("cuda:x"))
    check(lambda T: T.device(1.5))


@pytest.mark.parametrize("arguments", [
    ("",), ("cuda:",), ("cuda:01",), ("foo:x",), (":0",), ("not-a-device",), ("CUDA:1",), ("cu_da",),
    ("cuda:99999999999",), ("cuda:2147483648",), ("cuda:2147483647",), ("cuda:200",), ("cuda:255",), ("cpu:3",),
    ("cuda", -1), ("cuda", -2), ("cuda", 128), ("cuda", 2**40), ("cuda:1", 2),
])
def test_device_strings_and_indices_parse_as_c10(arguments):
    """c10/core/Device.cpp: the string's syntax first, then the index's int range, then the type;
    indices are narrowed to c10::DeviceIndex (int8_t) without a check, -1 meaning none."""
    check(lambda T: (lambda d: (str(d), d.index, d.type))(T.device(*arguments)))


@pytest.mark.parametrize("name", [n for n in DTYPE_NAMES if n != "bool"])
def test_dtype_type_names_in_messages(name: str) -> None:
    """Both C++ type vocabularies torch's messages use, read off torch's own messages: the demangled
    name (``long int``) of ``masked_fill_``'s mask check and the source name (``int64_t``) of
    Scalar::to's overflow check."""
    def mask_message(T):
        return T.ones(2).masked_fill_(T.ones(2, dtype=getattr(T, name)), 1.0)

    check(mask_message)
    dtype = getattr(reftorch, name)
    if dtype.category <= 1:  # integer dtypes: an out-of-range fill overflows
        def overflow(T):
            return T.zeros(1, dtype=getattr(T, name)).fill_(2 ** 64 - 1)
        with pytest.raises(RuntimeError) as theirs:
            overflow(torch)
        assert f"type {dtype.cpp_name} without" in str(theirs.value)
        check(overflow)
