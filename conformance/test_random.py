"""Conformance tests for spec/random.toml: seeding, rand, randn, randperm and every other public
random function of the CPU generator.

Both sides are seeded identically inside each program, so the draws themselves are compared too.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance import claims
from conformance import strategies as cst

SEEDS = st.integers(0, 2**32 - 1)


@claims("random.manual-seed-reproducible")
@given(seed=SEEDS, shape=cst.shapes(max_dims=3))
def test_manual_seed_reproducible(differential, seed, shape):
    def program(T, device):
        T.manual_seed(seed)
        first = [T.rand(shape), T.randn(shape), T.randperm(5)]
        T.manual_seed(seed)
        second = [T.rand(shape), T.randn(shape), T.randperm(5)]
        return first, second
    differential(program, predicate=lambda r, T: all(T.equal(a, b) for a, b in zip(*r)))


# Every public draw of the CPU generator: after the same seed, each gives torch's values (the
# differential compares them) and the same ones again after reseeding.
SEEDED_DRAWS = [
    pytest.param(lambda T, s: T.bernoulli(T.rand(s)), id="bernoulli(probabilities)"),
    pytest.param(lambda T, s: T.bernoulli(T.rand(s, dtype=T.float64), 0.3), id="bernoulli(input, p)"),
    pytest.param(lambda T, s: T.empty(s).bernoulli_(0.5), id="bernoulli_(p)"),
    pytest.param(lambda T, s: T.zeros(s, dtype=T.int32).bernoulli_(T.rand(s)), id="bernoulli_(tensor)"),
    pytest.param(lambda T, s: T.normal(T.zeros(s), 2.0), id="normal(tensor, float)"),
    pytest.param(lambda T, s: T.normal(1.0, T.ones(s)), id="normal(float, tensor)"),
    pytest.param(lambda T, s: T.normal(T.zeros(s), T.ones(s)), id="normal(tensor, tensor)"),
    pytest.param(lambda T, s: T.normal(0.0, 1.0, s), id="normal(float, float, size)"),
    pytest.param(lambda T, s: T.randint(3, 9, s), id="randint"),
    pytest.param(lambda T, s: T.randint_like(T.zeros(s), 10), id="randint_like"),
    pytest.param(lambda T, s: T.rand_like(T.zeros(s)), id="rand_like"),
    pytest.param(lambda T, s: T.randn_like(T.zeros(s, dtype=T.float64)), id="randn_like"),
    pytest.param(lambda T, s: T.empty(s, dtype=T.int64).random_(), id="random_()"),
    pytest.param(lambda T, s: T.empty(s).random_(100), id="random_(to)"),
    pytest.param(lambda T, s: T.empty(s, dtype=T.int16).random_(-5, 5), id="random_(from, to)"),
    pytest.param(lambda T, s: T.poisson(T.rand(s) * 20), id="poisson"),
    pytest.param(lambda T, s: T.empty(s).uniform_(-2, 2), id="uniform_"),
    pytest.param(lambda T, s: T.empty(s, dtype=T.float64).normal_(3, 0.5), id="normal_"),
    pytest.param(lambda T, s: T.empty(s).exponential_(2.0), id="exponential_"),
    pytest.param(lambda T, s: T.empty(s).cauchy_(), id="cauchy_"),
    pytest.param(lambda T, s: T.empty(s, dtype=T.float64).log_normal_(), id="log_normal_"),
    pytest.param(lambda T, s: T.empty(s, dtype=T.int64).geometric_(0.2), id="geometric_"),
    pytest.param(lambda T, s: T.multinomial(T.rand(len(s), 6) + 0.1, 2), id="multinomial"),
    pytest.param(lambda T, s: T.multinomial(T.rand(s[-1] + 1) + 0.1, 9, replacement=True),
                 id="multinomial(replacement)"),
]


@claims("random.manual-seed-reproducible")
@pytest.mark.parametrize("draw", SEEDED_DRAWS)
@settings(max_examples=8)
@given(seed=SEEDS, shape=cst.shapes(min_dims=1, max_dims=3, max_side=7))
def test_every_draw_follows_the_seed(differential, draw, seed, shape):
    def program(T, device):
        T.manual_seed(seed)
        first = draw(T, shape)
        T.manual_seed(seed)
        return first, draw(T, shape), T.rand(3)
    differential(program, predicate=lambda r, T: T.equal(r[0], r[1]))


@claims("random.randperm-minibatch")
@given(seed=SEEDS, rows=st.integers(0, 12))
def test_randperm_selects_minibatch_rows(differential, seed, rows):
    def program(T, device):
        T.manual_seed(seed)
        data = T.arange(rows * 3).reshape(rows, 3)
        return data[T.randperm(data.shape[0])], data
    differential(program, predicate=lambda r, T: sorted(r[0].tolist()) == r[1].tolist())


@claims("random.manual-seed-reproducible")
def test_manual_seed_42_document_example(differential):
    def program(T, device):
        T.manual_seed(42)
        a = T.randn(3)
        T.manual_seed(42)
        return a, T.randn(3)
    differential(program, predicate=lambda r, T: T.equal(r[0], r[1]))


@claims("random.randn-shape-and-dtype")
@given(seed=SEEDS, shape=cst.shapes(min_dims=1, max_dims=3))
def test_randn_shape_and_dtype(differential, seed, shape):
    def program(T, device):
        T.manual_seed(seed)
        a = T.randn(*shape)
        T.manual_seed(seed)
        return a, T.randn(shape)
    differential(program, predicate=lambda r, T: T.equal(r[0], r[1]) and tuple(r[0].shape) == shape
                 and r[0].dtype == T.float32 and r[0].requires_grad is False)


@claims("random.randn-shape-and-dtype")
def test_randn_document_examples(differential):
    def program(T, device):
        T.manual_seed(0)
        return T.randn(4), T.randn(2, 3), T.randn((2, 3)), T.randn(2, 3, 5)
    differential(program,
                 predicate=lambda r, T: [tuple(t.shape) for t in r] == [(4,), (2, 3), (2, 3), (2, 3, 5)])


@claims("random.randn-standard-normal")
@settings(max_examples=3)
@given(seed=SEEDS)
def test_randn_standard_normal(differential, seed):
    def program(T, device):
        T.manual_seed(seed)
        return T.randn(20000)
    differential(program,
                 predicate=lambda r, T: abs(r.mean().item()) < 0.05 and abs(r.var().item() - 1) < 0.05)


@claims("random.rand-unit-interval")
@given(seed=SEEDS, shape=cst.shapes(max_dims=3))
def test_rand_unit_interval(differential, seed, shape):
    def program(T, device):
        T.manual_seed(seed)
        return T.rand(shape)
    differential(program, predicate=lambda r, T: r.dtype == T.float32
                 and bool(((r >= 0) & (r < 1)).all()))


@claims("random.rand-unit-interval")
def test_rand_document_examples(differential):
    def program(T, device):
        T.manual_seed(0)
        return T.rand(4, 4), T.rand(2, 1, 32, 32).dtype
    differential(program, predicate=lambda r, T: r[1] == T.float32 and bool((r[0] < 1).all()))


@claims("random.rand-example-values")
@given(seed=SEEDS)
def test_rand_example_values(differential, seed):
    def program(T, device):
        T.manual_seed(seed)
        tensor_a, tensor_b = T.rand(2, 2), T.rand(2, 2)
        return tensor_a, tensor_b, tensor_a * tensor_b
    differential(program, predicate=lambda r, T: all(bool(((t >= 0) & (t < 1)).all()) for t in r)
                 and r[0].tolist() != [[2, 3], [5, 6]] and r[1].tolist() != [[1, 2], [3, 4]])


@claims("random.randperm-is-permutation")
@given(seed=SEEDS, n=st.integers(0, 30))
def test_randperm_is_permutation(differential, seed, n):
    def program(T, device):
        T.manual_seed(seed)
        return T.randperm(n), T.randperm(n=n)
    differential(program, predicate=lambda r, T: all(
        t.dtype == T.int64 and sorted(t.tolist()) == list(range(n)) for t in r))


# The values the documents print for their unseeded draws.
DOCUMENT_DRAWS = {
    "memo randn(2, 3)": ([[1.5954, 2.8929, -1.0923], [1.1719, -0.4709, -0.1996]], lambda T: T.randn(2, 3)),
    "tolist randn(2, 2)": ([[0.012766935862600803, 0.5415473580360413],
                            [-0.08909505605697632, 0.7729271650314331]], lambda T: T.randn(2, 2)),
    "randperm(4)": ([2, 1, 0, 3], lambda T: T.randperm(n=4)),
    "where randn(3, 2)": ([[-0.4620, 0.3139], [0.3898, -0.7197], [0.0478, -0.1657]], lambda T: T.randn(3, 2)),
    "where randn(2, 2) double": ([[1.0779, 0.0383], [-0.8785, -1.1089]],
                                 lambda T: T.randn(2, 2, dtype=T.double)),
    "cat randn(2, 3)": ([[0.6580, -1.0969, -0.4614], [-0.1034, -0.5790, 0.1497]], lambda T: T.randn(2, 3)),
    "mm": ([[0.4851, 0.5037, -0.3633], [-0.0760, -3.6705, 2.4784]],
           lambda T: T.mm(T.randn(2, 3), T.randn(3, 3))),
    "t() randn(())": (0.1995, lambda T: T.randn(())),
    "t() randn(3)": ([2.4320, -0.4608, 0.7702], lambda T: T.randn(3)),
    "t() randn(2, 3)": ([[0.4875, 0.9158, -0.5872], [0.3938, -0.6929, 0.6932]], lambda T: T.randn(2, 3)),
    "argmax randn(4, 4)": ([[1.3398, 0.2663, -0.2686, 0.2450], [-0.7401, -0.8805, -0.3402, -1.1936],
                            [0.4907, -1.3948, -1.0691, -0.3132], [-1.6092, 0.5419, -0.2993, 0.3195]],
                           lambda T: T.randn(4, 4)),
}


@claims("random.unseeded-draws-not-reproducible")
@pytest.mark.parametrize("example", sorted(DOCUMENT_DRAWS))
@pytest.mark.parametrize("seed", [0, 42, 2**31 + 7])
def test_unseeded_draws_not_reproducible(differential, example, seed):
    printed, draw = DOCUMENT_DRAWS[example]

    def program(T, device):
        T.manual_seed(seed)
        first = draw(T)
        T.manual_seed(seed)
        return first, draw(T), T.initial_seed()
    differential(program, predicate=lambda r, T: T.equal(r[0], r[1]) and r[2] == seed
                 and not np.allclose(r[0].numpy(), printed, atol=1e-4))
