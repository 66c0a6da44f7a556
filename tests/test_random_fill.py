"""Differential tests of ``Tensor.uniform_`` / ``normal_`` / ``bernoulli_``: values bit for bit after the same
seed, whatever the layout (filled in memory order), errors in torch's order, autograd nodes."""

from __future__ import annotations

import pytest
import torch
from helpers import assert_same, check
from hypothesis import given, settings
from hypothesis import strategies as st

import reftorch

LIBS = (reftorch, torch)
FAST = settings(max_examples=30, deadline=None)
DTYPES = ("float16", "float32", "float64", "complex64")
# (shape of the storage tensor, how to view it): contiguous, transposed, permuted, strided slices.
LAYOUTS = st.sampled_from([
    ((3, 5), lambda t: t), ((5, 4), lambda t: t.t()), ((2, 3, 4), lambda t: t.permute(2, 0, 1)),
    ((6, 8), lambda t: t[:, ::2]), ((40,), lambda t: t[::2]), ((4, 9), lambda t: t[1:, 2:7].t()), ((), lambda t: t),
    ((17,), lambda t: t), ((0, 3), lambda t: t.t()),
])


def _filled(T, layout, dtype: str, method: str, arguments: tuple, seed: int):
    shape, view = layout
    T.manual_seed(seed)
    target = view(T.empty(shape, dtype=getattr(T, dtype)))
    result = getattr(target, method)(*arguments)
    follow = T.rand(3, dtype=T.float64)  # the generator is left where torch leaves it
    return result is target, target, follow


@FAST
@given(layout=LAYOUTS, dtype=st.sampled_from(DTYPES), seed=st.integers(0, 2**32),
       bounds=st.sampled_from([(), (-2.5, 3.0), (1.0, 1.0), (0.25,)]))
def test_uniform_fills_in_memory_order(layout, dtype, seed, bounds):
    check(lambda T: _filled(T, layout, dtype, "uniform_", bounds, seed), layout=True)


@FAST
@given(layout=LAYOUTS, dtype=st.sampled_from(DTYPES), seed=st.integers(0, 2**32),
       moments=st.sampled_from([(), (1.5, 0.5), (-2.0,), (0.0, 0.0)]))
def test_normal_fills_in_memory_order(layout, dtype, seed, moments):
    check(lambda T: _filled(T, layout, dtype, "normal_", moments, seed), layout=True)


BERNOULLI_DTYPES = ("bool", "uint8", "int32", "int64", "float16", "float32", "float64")


@FAST
@given(layout=LAYOUTS, dtype=st.sampled_from(BERNOULLI_DTYPES), seed=st.integers(0, 2**32),
       p=st.sampled_from([(), (0.0,), (1.0,), (0.3,), (0.999,)]))
def test_bernoulli_scalar_fills_in_memory_order(layout, dtype, seed, p):
    check(lambda T: _filled(T, layout, dtype, "bernoulli_", p, seed), layout=True)


@FAST
@given(layout=LAYOUTS, dtype=st.sampled_from(BERNOULLI_DTYPES), seed=st.integers(0, 2**32),
       p_dtype=st.sampled_from(["float16", "float32", "float64"]), broadcast=st.booleans())
def test_bernoulli_tensor_fills_in_memory_order(layout, dtype, seed, p_dtype, broadcast):
    """A tensor of probabilities, broadcast to the filled tensor: float64 ones compare double
    uniforms (two words), the others float uniforms (one word)."""
    def program(T):
        T.manual_seed(seed)
        target = layout[1](T.empty(layout[0], dtype=getattr(T, dtype)))
        shape = target.shape[-1:] if broadcast and target.dim() else target.shape
        probs = T.linspace(0, 1, max(1, shape.numel()), dtype=getattr(T, p_dtype))[:shape.numel()].reshape(shape)
        result = target.bernoulli_(probs)
        return result is target, target, T.rand(3, dtype=T.float64)

    check(program, layout=True)


RANDOM_DTYPES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64")


@FAST
@given(layout=LAYOUTS, dtype=st.sampled_from(RANDOM_DTYPES), seed=st.integers(0, 2**32),
       bounds=st.sampled_from([(), (7,), (1,), (-3, 4), (0, 2**40), (5, None), (-2**63, None), (2**27 - 1, 2**28 + 3)]))
def test_random_fills_in_memory_order(layout, dtype, seed, bounds):
    check(lambda T: _filled(T, layout, dtype, "random_", bounds, seed), layout=True)


CONTINUOUS_FILLS = st.sampled_from([
    ("exponential_", ()), ("exponential_", (0.25,)), ("exponential_", (float("inf"),)), ("cauchy_", ()),
    ("cauchy_", (-3.0, 0.5)), ("log_normal_", ()), ("log_normal_", (0.0, 0.25)), ("geometric_", (0.3,)),
    ("geometric_", (1e-6,)),
])


@FAST
@given(layout=LAYOUTS, dtype=st.sampled_from(("float16", "float32", "float64")), seed=st.integers(0, 2**32),
       fill=CONTINUOUS_FILLS)
def test_continuous_fills_in_memory_order(layout, dtype, seed, fill):
    check(lambda T: _filled(T, layout, dtype, *fill, seed), layout=True)


@FAST
@given(layout=LAYOUTS, dtype=st.sampled_from(("uint8", "int8", "int32", "int64")), seed=st.integers(0, 2**32),
       p=st.sampled_from([0.5, 0.01, 1e-12]))
def test_geometric_fills_integers(layout, dtype, seed, p):
    check(lambda T: _filled(T, layout, dtype, "geometric_", (p,), seed), layout=True)


def test_keyword_bounds_and_generator():
    def program(T):
        g = T.Generator().manual_seed(5)
        a = T.empty(4).uniform_(**{"from": -1.0, "to": 2.0}, generator=g)
        b = T.empty(18).normal_(mean=3.0, std=0.1, generator=g)
        return a, b, T.rand(2)  # the default generator is untouched

    T_state = torch.random.get_rng_state()
    check(program)
    torch.random.set_rng_state(T_state)


@pytest.mark.parametrize("program", [
    lambda T: T.ones(2, dtype=T.long).expand(2, 2).uniform_(),  # dtype before overlap
    lambda T: T.ones(2).expand(2, 2).uniform_(),
    lambda T: T.ones(2).expand(2, 2).normal_(0, -1),  # std before overlap
    lambda T: T.ones(2, dtype=T.int32).normal_(),
    lambda T: T.ones(3).uniform_(2, 1),
    lambda T: T.ones(3).uniform_(0, float("inf")),
    lambda T: T.ones(2, requires_grad=True).uniform_(2, 1),  # the leaf check comes first
    lambda T: T.ones(2, requires_grad=True).expand(2, 2).normal_(),
    lambda T: T.ones(3).bernoulli_(1.5),
    lambda T: T.ones(0).bernoulli_(-1.0),  # p is checked before the empty early return
    lambda T: T.ones(0, dtype=T.complex64).bernoulli_(0.5),  # ...and dtypes after it
    lambda T: T.ones(3, dtype=T.complex64).bernoulli_(0.5),
    lambda T: T.ones(2).expand(2, 2).bernoulli_(0.5),
    lambda T: T.ones(2).expand(2, 2).bernoulli_(T.ones(2) / 2),
    lambda T: T.ones(3).bernoulli_(T.ones(2) / 2),  # not broadcastable
    lambda T: T.ones(3).bernoulli_(T.ones(3, dtype=T.long)),  # integer probabilities
    lambda T: T.ones(3, dtype=T.complex64).bernoulli_(T.ones(3) / 2),
    lambda T: T.ones(3).bernoulli_(T.tensor([0.5, 2.0, 0.5])),  # out of range: raised after the draws before it
    lambda T: T.ones(3).bernoulli_("p"),
    lambda T: T.ones(2).expand(2, 2).random_(5, 2),  # the iterator's overlap check comes first
    lambda T: T.ones(3).random_(5, 2),
    lambda T: T.ones(3, dtype=T.uint8).random_(0, 300),
    lambda T: T.ones(3, dtype=T.int8).random_(-2**63, None),
    lambda T: T.ones(3, dtype=T.complex64).random_(),
    lambda T: T.ones(3).random_(2**64),
    lambda T: T.ones(3, dtype=T.float16).random_(0, 70000),
    lambda T: T.ones(3).exponential_(0.0),
    lambda T: T.ones(3, dtype=T.long).exponential_(),
    lambda T: T.ones(2).expand(2, 2).exponential_(),
    lambda T: T.ones(3).cauchy_(0.0, -1.0),
    lambda T: T.ones(0, dtype=T.long).cauchy_(),
    lambda T: T.ones(3).log_normal_(1.0, 0.0),
    lambda T: T.ones(3).geometric_(1.0),
    lambda T: T.ones(3, dtype=T.bool).geometric_(0.5),
    lambda T: T.ones(3).geometric_(),
])
def test_errors_in_torchs_order(program):
    check(program)


def test_failed_fill_changes_nothing_and_draws_nothing():
    for T in LIBS:
        T.manual_seed(9)
        x = T.ones(2).expand(2, 2)
        with pytest.raises(RuntimeError, match="more than one element"):
            x.uniform_()
        assert x._version == 0 and x.sum().item() == 4
    check(lambda T: T.rand(4))  # both generators are still at the seed's start


def test_fill_bumps_the_version_once():
    check(lambda T: [T.empty(5).t().uniform_()._version, T.empty(3, 5).t().normal_()._version])


@pytest.mark.parametrize("method", ["uniform_", "normal_", "bernoulli_", "random_", "exponential_", "cauchy_",
                                    "log_normal_"])
def test_autograd_records_a_zero_gradient_node(method):
    def program(T):
        T.manual_seed(0)
        x = T.ones(4, requires_grad=True)
        y = x * 2
        getattr(y, method)()
        z = x.clone()
        getattr(z[1:3], method)()  # a view: CopySlices on the base
        (y.sum() + z.sum()).backward()
        return y.grad_fn.name(), z.grad_fn.name(), x.grad, y.detach(), z.detach()

    check(program)


def test_under_no_grad_a_leaf_may_be_filled():
    def program(T):
        T.manual_seed(1)
        w = T.empty(3, 2, requires_grad=True)
        with T.no_grad():
            w.uniform_(-1, 1)
        return w.detach(), w.requires_grad, w.is_leaf, w.grad_fn

    ours, theirs = check(program)
    assert_same(ours[0], theirs[0])


@pytest.mark.parametrize("arguments", [("a",), (1.0, 2.0, 3.0)])
def test_bad_arguments_raise_type_error(arguments):
    for T in LIBS:
        with pytest.raises(TypeError):
            T.empty(3).uniform_(*arguments)
