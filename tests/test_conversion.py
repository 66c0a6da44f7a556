"""Dtype/device conversion and the copying in-place ops against torch."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest
from helpers import DTYPE_NAMES, check, shares_storage
from hypothesis import given
from hypothesis import strategies as st

from reftorch._layout import contiguous_format

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


CONVERSIONS = {
    "to('cpu:0') copies": lambda T: (lambda x: (x.to("cpu:0") is x, str(x.to("cpu:0").device)))(T.ones(2)),
    "to(memory_format=contiguous) of a transpose": lambda T: (lambda x: x.to(
        memory_format=T.contiguous_format if T.__name__ == "torch" else contiguous_format) is x)(T.ones(3, 2).t()),
    "to(dtype) keeps strides": lambda T: T.ones(3, 2).t().to(T.float64).stride(),
    "to(copy=True) keeps strides": lambda T: T.ones(3, 2).t().to(copy=True).stride(),
    "to(dtype) of strided": lambda T: T.ones(4, 6).t()[::2].to(T.float64).stride(),
    "to(5.0)": lambda T: T.ones(2).to(5.0),
    "to(True)": lambda T: T.ones(2).to(True),
    "to(tensor=)": lambda T: T.ones(2).to(tensor=T.ones(1, dtype=T.int8)),
    "to(dtype=, copy=True)": lambda T: T.ones(2).to(dtype=T.float64, copy=True),
    "to('x')": lambda T: T.ones(2).to("x"),
    "to([1])": lambda T: T.ones(2).to([1]),
    "cpu(1)": lambda T: T.ones(2).cpu(1),
    "float(1)": lambda T: T.ones(2).float(1),
    "cuda('cpu')": lambda T: T.ones(2).cuda("cpu"),
    "type(3)": lambda T: T.ones(2).type(3),
    "type(int)": lambda T: T.ones(2).type(int),
    "type(Tensor)": lambda T: T.ones(2, dtype=T.int8).type(T.Tensor),
    "type(dtype=)": lambda T: T.ones(2).type(dtype=T.int64),
    "type('torch.Foo')": lambda T: T.ones(2).type("torch.Foo"),
    "copy_(300) into uint8": lambda T: T.zeros(2, dtype=T.uint8).copy_(300),
    "copy_(other=, non_blocking=)": lambda T: T.ones(2).copy_(other=T.zeros(2), non_blocking=True),
    "copy_()": lambda T: T.ones(2).copy_(),
    "fill_()": lambda T: T.ones(2).fill_(),
    "fill_ expanded by a 0-dim tensor": lambda T: T.zeros(3).expand(2, 3).fill_(T.tensor(1.0)),
    "fill_(t, 3)": lambda T: T.fill_(T.ones(2), 3),
    "zero_(t)": lambda T: T.zero_(T.ones(2)),
    "zero_(1)": lambda T: T.ones(2).zero_(1),
    "zero_(foo=1)": lambda T: T.ones(2).zero_(foo=1),
}


@pytest.mark.parametrize("program", CONVERSIONS.values(), ids=CONVERSIONS.keys())
def test_conversion_bindings_are_torchs(program):
    check(program)


@pytest.mark.parametrize("op", ["copy", "fill_tensor", "fill_number", "zero", "double"])
def test_conversion_and_overwrite_gradients(op):
    """CopyBackwards, FillBackward3/2, ZeroBackward0 and ToCopyBackward0: names, edges, gradients,
    also through a view (CopySlices) and differentiated twice."""
    def program(T):
        x = T.arange(6.0).view(2, 3).requires_grad_()
        src = T.tensor([1.0, 2.0, 3.0], dtype=T.float64, requires_grad=True)
        value = T.tensor(4.0, requires_grad=True)
        y = x * x
        view = y[1]
        if op == "copy":
            view.copy_(src)
        elif op == "fill_tensor":
            view.fill_(value)
        elif op == "fill_number":
            view.fill_(2.0)
        elif op == "zero":
            view.zero_()
        else:
            y = y.double() * src
        grads = T.autograd.grad(y.sum() * y.sum(), (x, src, value), create_graph=True, allow_unused=True)
        second = T.autograd.grad(grads[0].sum(), x, allow_unused=True)
        return y.grad_fn.name(), [n.name() if n else None for n, _ in y.grad_fn.next_functions], grads, second

    check(program)


_SCALAR_WARNINGS = """
import sys, warnings
T = __import__(sys.argv[1])
t = T.ones((), requires_grad=True)
for label, convert in [("int", int), ("bool", bool), ("item", lambda x: x.item()),
                       ("detached", lambda x: float(x.detach())), ("no_grad", None), ("float", float),
                       ("complex", complex), ("again", float)]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if convert is None:
            with T.no_grad():
                float(t)
        else:
            convert(t * 2)
    print(label, [str(w.message).split(" (Triggered")[0] for w in caught])
try:
    float(T.ones(2))
except Exception as error:
    print(type(error).__name__, error)
"""


def test_scalar_conversion_of_a_tensor_requiring_grad_warns_once():
    """float()/complex() of a tensor that requires grad warn once per process (not int(), bool(), item(),
    nor under no_grad or after detach); a tensor of several elements raises ValueError. Each library runs
    in a fresh process, since both warn once per process."""
    def run(name):
        done = subprocess.run([sys.executable, "-c", _SCALAR_WARNINGS, name], capture_output=True, text=True,
                              check=True, cwd=pathlib.Path(__file__).resolve().parent.parent)
        return done.stdout

    theirs = run("torch")
    assert "float ['Converting a tensor with requires_grad=True" in theirs and "again []" in theirs
    assert run("reftorch") == theirs
