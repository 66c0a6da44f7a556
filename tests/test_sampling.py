"""Differential tests of the sampling functions that return new tensors (``bernoulli``, ``normal``'s
overloads, ``randint_like``) and of ``torch.random.fork_rng``: values bit for bit after the same seed,
dtypes, shapes and layouts, errors in torch's order, autograd nodes."""

from __future__ import annotations

import pytest
from helpers import check
from hypothesis import given, settings
from hypothesis import strategies as st

FAST = settings(max_examples=25, deadline=None)
SEEDS = st.integers(0, 2**32)
FLOATS = ("float16", "float32", "float64")


def _probabilities(T, shape, dtype):
    return T.linspace(0, 1, max(1, shape[0] * shape[1] if len(shape) == 2 else 1),
                      dtype=getattr(T, dtype)).reshape(shape)


@FAST
@given(seed=SEEDS, dtype=st.sampled_from(FLOATS), shape=st.sampled_from([(3, 5), (1, 1), (4, 9)]),
       transposed=st.booleans())
def test_bernoulli_draws_with_the_inputs_probabilities(seed, dtype, shape, transposed):
    def program(T):
        T.manual_seed(seed)
        probs = _probabilities(T, shape, dtype)
        probs = probs.t() if transposed else probs
        drawn = T.bernoulli(probs)
        with_p = T.bernoulli(probs, 0.25)
        method = probs.bernoulli(), probs.bernoulli(p=0.75)
        return drawn, with_p, method, T.rand(2, dtype=T.float64)

    check(program, layout=True)


def test_bernoulli_generator_and_autograd():
    def program(T):
        g = T.Generator().manual_seed(3)
        x = T.full((4,), 0.5, requires_grad=True)
        y = T.bernoulli(x, generator=g)
        y.sum().backward()
        z = T.bernoulli(x, 0.5, generator=g)
        return y, x.grad, y.grad_fn.name(), z.grad_fn.name(), z.requires_grad

    check(program)


@pytest.mark.parametrize("program", [
    lambda T: T.bernoulli(T.ones(3, requires_grad=True), 0.5).sum().backward(),  # no derivative
    lambda T: T.bernoulli(T.ones(3, dtype=T.long)),
    lambda T: T.bernoulli(T.ones(3), 1.5),
    lambda T: T.bernoulli(T.tensor([0.5, -0.1])),
    lambda T: T.bernoulli(T.ones(2), p=T.ones(2)),
])
def test_bernoulli_errors(program):
    check(program)


@FAST
@given(seed=SEEDS, dtype=st.sampled_from(FLOATS), scale=st.sampled_from([0.0, 0.5, 3.0, 12.0, 250.0]),
       transposed=st.booleans())
def test_poisson_counts_in_the_rates_logical_order(seed, dtype, scale, transposed):
    def program(T):
        T.manual_seed(seed)
        rates = T.linspace(0, scale, 12, dtype=getattr(T, dtype)).reshape(3, 4)
        rates = rates.t() if transposed else rates
        return T.poisson(rates), T.poisson(rates, T.Generator().manual_seed(seed)), T.rand(2, dtype=T.float64)

    check(program, layout=True)


@pytest.mark.parametrize("program", [
    lambda T: T.poisson(T.tensor([1.0, -1.0])),
    lambda T: T.poisson(T.tensor([1, 2])),
    lambda T: T.poisson(T.tensor([1.0, float("nan")])),
    lambda T: (lambda x: (x, T.poisson(x).grad_fn.name()))(T.ones(2, requires_grad=True) * 3),
])
def test_poisson_errors_and_node(program):
    check(program)


@FAST
@given(seed=SEEDS, dtype=st.sampled_from(FLOATS), rows=st.sampled_from([None, 1, 3]),
       samples=st.sampled_from([(1, False), (1, True), (3, False), (6, False), (4, True), (40, True)]),
       fortran=st.booleans())
def test_multinomial_draws(seed, dtype, rows, samples, fortran):
    num, replacement = samples

    def program(T):
        T.manual_seed(seed)
        weights = T.rand(rows or 1, 6, dtype=getattr(T, dtype)) * (T.rand(rows or 1, 6) > 0.2)
        weights[:, 0] = 0.5  # every row has some mass, and ties are common in float16
        if fortran:
            weights = weights.t().contiguous().t()
        probs = weights if rows else weights[0]
        return T.multinomial(probs, num, replacement), probs.multinomial(num, replacement=replacement), \
            T.rand(2, dtype=T.float64)

    check(program, layout=True)


@pytest.mark.parametrize("program", [
    lambda T: T.multinomial(T.ones(3), 4),
    lambda T: T.multinomial(T.ones(3), 0),
    lambda T: T.multinomial(T.ones(3), 2.0),
    lambda T: T.multinomial(T.ones(3, dtype=T.long), 2),
    lambda T: T.multinomial(T.ones(2, 2, 2), 1),
    lambda T: T.multinomial(T.tensor([1.0, -1.0]), 1),
    lambda T: T.multinomial(T.tensor([0.0, 0.0]), 1),
    lambda T: T.multinomial(T.tensor([[1.0, 1.0], [0.0, float("inf")]]), 3, True),
    lambda T: T.multinomial(T.ones(2, 0), 1),
    lambda T: (lambda p: (T.multinomial(p, 2).requires_grad, T.multinomial(p, 2).grad_fn))(
        T.ones(3, requires_grad=True)),
])
def test_multinomial_errors(program):
    check(program)


# ----------------------------------------------------------------------------- normal
NORMAL_CALLS = {
    "tensor mean": lambda T, m, s: T.normal(m, 2.5),
    "tensor mean, default std": lambda T, m, s: T.normal(mean=m),
    "float mean, tensor std": lambda T, m, s: T.normal(-1.25, s),
    "tensor mean, tensor std": lambda T, m, s: T.normal(m, s),
    "broadcast mean and std": lambda T, m, s: T.normal(m[:1], s),
    "double std into float mean": lambda T, m, s: T.normal(m, s.double()),
    "float, float, size": lambda T, m, s: T.normal(0.5, 2.0, (3, 4)),
    "size keywords and dtype": lambda T, m, s: T.normal(mean=0.0, std=1.0, size=(17,), dtype=T.float64),
}


@FAST
@given(seed=SEEDS, call=st.sampled_from(sorted(NORMAL_CALLS)), dtype=st.sampled_from(FLOATS),
       rows=st.sampled_from([1, 2, 5]))
def test_normal_overloads(seed, call, dtype, rows):
    def program(T):
        T.manual_seed(seed)
        mean = T.linspace(-3, 3, rows * 8, dtype=getattr(T, dtype)).reshape(rows, 8)
        std = T.linspace(0, 2, rows * 8, dtype=getattr(T, dtype)).reshape(rows, 8)
        return NORMAL_CALLS[call](T, mean, std), T.rand(2, dtype=T.float64)

    check(program)


def test_normal_autograd_nodes_give_zero_gradients():
    def program(T):
        m = T.zeros(2, 3, requires_grad=True)
        s = T.ones(3, requires_grad=True)
        outs = [T.normal(m, 1.0), T.normal(0.0, s), T.normal(m, s)]
        sum(o.sum() for o in outs).backward()
        return [o.grad_fn.name() for o in outs], m.grad, s.grad, T.normal(0.0, 1.0, (2,), requires_grad=True)

    check(program)


@pytest.mark.parametrize("program", [
    lambda T: T.normal(T.zeros(2), -1.0),
    lambda T: T.normal(0.0, T.tensor([1.0, -1.0])),
    lambda T: T.normal(T.zeros(2), T.ones(2, dtype=T.complex64)),
    lambda T: T.normal(T.zeros(2), T.ones(3)),
    lambda T: T.normal(T.zeros(2, dtype=T.long), 1.0),
    lambda T: T.normal(0.0, 1.0),
    lambda T: T.normal(0.0, -1.0, (2,)),
    lambda T: T.normal(0.0, 1.0, (2,), dtype=T.int32),
    lambda T: T.normal("a", 1.0),
])
def test_normal_errors(program):
    check(program)


# ----------------------------------------------------------------------------- randint_like
RANDINT_LIKE = {
    "high": lambda T, x: T.randint_like(x, 10),
    "low, high": lambda T, x: T.randint_like(x, -5, 5),
    "keywords": lambda T, x: T.randint_like(x, low=3, high=2**40),
    "tensor high": lambda T, x: T.randint_like(x, T.tensor(7)),
    "dtype": lambda T, x: T.randint_like(x, 100, dtype=T.int16),
    "generator": lambda T, x: T.randint_like(x, 0, 9, generator=T.Generator().manual_seed(4)),
    "contiguous format": lambda T, x: T.randint_like(x, 9, memory_format=T.contiguous_format),
}


@FAST
@given(seed=SEEDS, call=st.sampled_from(sorted(RANDINT_LIKE)),
       layout=st.sampled_from(["contiguous", "transposed", "sliced"]),
       dtype=st.sampled_from(["float32", "int64", "uint8", "float64"]))
def test_randint_like_fills_in_memory_order(seed, call, layout, dtype):
    def program(T):
        T.manual_seed(seed)
        x = T.zeros(4, 6, dtype=getattr(T, dtype))
        x = {"contiguous": x, "transposed": x.t(), "sliced": x[:, ::2]}[layout]
        return RANDINT_LIKE[call](T, x), T.rand(2, dtype=T.float64)

    check(program, layout=True)


@pytest.mark.parametrize("program", [
    lambda T: T.randint_like(T.zeros(2), 0),
    lambda T: T.randint_like(T.zeros(2), 5, 5),
    lambda T: T.randint_like(T.zeros(2, dtype=T.uint8), 300),
    lambda T: T.randint_like(T.zeros(2), T.tensor([3, 4])),
    lambda T: T.randint_like(T.zeros(2), 3.5),
    lambda T: T.randint_like(T.zeros(2), 3, requires_grad=True),
    lambda T: T.randint_like(T.zeros(2, dtype=T.bool), 2),
])
def test_randint_like_errors(program):
    check(program)


# ----------------------------------------------------------------------------- fork_rng
def test_fork_rng_restores_the_cpu_state_even_after_an_exception():
    def program(T):
        T.manual_seed(11)
        with T.random.fork_rng():
            inside = T.rand(3)
        after = T.rand(3)
        try:
            with T.random.fork_rng(devices=[]):
                T.rand(5)
                raise KeyError("boom")
        except KeyError:
            pass
        with T.random.fork_rng(enabled=False):
            unforked = T.rand(2)
        return inside, after, T.rand(3), unforked, T.rand(2)

    check(program)


@pytest.mark.parametrize("arguments", [
    {"device_type": "meta"}, {"device_type": "not-a-device"}, {"device_type": "cpu"},
    {"device_type": "cpu", "enabled": False}, {"devices": [0]},
])
def test_fork_rng_device_arguments(arguments):
    def program(T):
        T.manual_seed(2)
        with T.random.fork_rng(**arguments):
            drawn = T.rand(2)
        return drawn, T.rand(2)

    check(program)

