"""Dtype/device conversion and the copying in-place ops against torch."""

from __future__ import annotations

import pytest
from helpers import DTYPE_NAMES, check, shares_storage
from hypothesis import given
from hypothesis import strategies as st

VALUES = [1.5, -1.5, 300.0, -1.0, 0.0, 2.7, 1e10]
CASTERS = ["float", "double", "half", "long", "int", "short", "char", "byte", "bool"]


@pytest.mark.parametrize("caster", CASTERS)
def test_casting_methods(caster):
    check(lambda T: getattr(T.tensor(VALUES[:-1]), caster)())
    check(lambda T: getattr(T.tensor([1, -2, 300]), caster)())


@given(src=st.sampled_from(DTYPE_NAMES), dst=st.sampled_from(DTYPE_NAMES))
def test_to_dtype(src, dst):
    import warnings

    def program(T):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            x = T.tensor([0, 1, 2, 5], dtype=getattr(T, src))
            return x.to(getattr(T, dst)), x.to(getattr(T, dst)).type()

    check(program)


def test_to_returns_self_unless_something_changes():
    def program(T):
        x = T.ones(2)
        return (x.to("cpu") is x, x.to(T.float32) is x, x.to(x) is x, x.cpu() is x, x.to(T.float32, copy=True) is x,
                shares_storage(x, x.to(T.float64)), x.to("cpu", T.float64).dtype, x.to(dtype=T.int8, copy=True))

    check(program)


def test_type_strings():
    check(lambda T: (T.ones(2).type(), T.ones(2, dtype=T.int64).type(), T.tensor([True]).type(),
                     T.ones(2).type(T.int64), T.ones(2).type("torch.IntTensor"), T.ones(2).type("torch.DoubleTensor")))
    check(lambda T: T.ones(2).type("float"))


def test_copy_fill_zero():
    def program(T):
        x = T.zeros(2, 3)
        x.copy_(T.tensor([1.0, 2.0, 3.0]))
        y = T.zeros(2, dtype=T.int32).copy_(T.tensor([1.7, -1.7]))
        z = T.zeros(2, dtype=T.int32).fill_(2.7)
        w = T.ones(3).zero_()
        e = T.zeros(3).expand(2, 3).fill_(1)
        return x, y, z, w, e, x._version

    check(program)
    check(lambda T: T.zeros(2).fill_(T.tensor([1.0, 2.0])))
    check(lambda T: T.zeros(3).copy_(T.ones(2, 3)))
    check(lambda T: T.zeros(3).copy_([1, 2, 3]))


def test_complex_to_real_warns_once_per_process():
    import warnings

    for T in (__import__("torch"), __import__("reftorch")):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            first = T.tensor([1 + 2j]).float()
            second = T.tensor([3 + 2j]).double()
        assert first.tolist() == [1.0] and second.tolist() == [3.0]
        assert [w.category for w in caught] in ([UserWarning], [])  # [] if an earlier test warned already
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            T.tensor([1j]).float()
        assert caught == []


@pytest.mark.parametrize("dtype", ["int32", "int64", "int16", "int8", "uint8", "bool"])
def test_float_to_integer_casts_of_special_values(dtype):
    values = [float("nan"), 3e9, -3e9, float("inf"), 300.0, -1.5, 1e20, 70000.5, -129.7, 0.5]
    check(lambda T: T.tensor(values).to(getattr(T, dtype)))
    check(lambda T: T.tensor(values, dtype=T.float64).to(getattr(T, dtype)))


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "int64", "float16", "float32", "bool",
                                   "complex64"])
@pytest.mark.parametrize("value", [300, -1, 2.7, float("nan"), 1 + 2j, 2**40, True, 1e39, 2.0**63, -255])
def test_numbers_written_by_fill_and_assignment_are_range_checked(dtype, value):
    """fill_ and t[i] = number convert as ATen's Scalar::to (checked_convert): torch's overflow error
    with C type names, negative ints wrapping into unsigned types, float16 assignment storing inf."""
    check(lambda T: T.zeros(2, dtype=getattr(T, dtype)).fill_(value))

    def assign(T):
        t = T.zeros(2, dtype=getattr(T, dtype))
        t[0] = value
        return t

    check(assign)
