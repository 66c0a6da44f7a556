"""Differential tests of reftorch._random.continuous against torch's CPU generator (the oracle).

Every expected value comes from torch (or, for the fma helper, from glibc's ``fma``); each draw is
followed by more draws on both sides, so the number of words consumed (and the cached normal) is
checked too.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from random_oracle import PATHS, TORCH_DTYPES, assert_same_bits, assert_same_error, kernel_path

from reftorch import _random as R
from reftorch._random import continuous as C
from reftorch._random import exact as E

SEEDS = st.one_of(st.sampled_from([0, 1, 2**32 - 1, 2**32 + 7, 2**63, 2**64 - 1]), st.integers(0, 2**64 - 1))
SHAPES = st.sampled_from([(0,), (1,), (2,), (3,), (15,), (16,), (17,), (100,), (3, 5), (2, 0, 3), (4, 9), ()])
FLOATS = [np.float16, np.float32, np.float64]
INTS = [np.uint8, np.int8, np.int16, np.int32, np.int64]
FAST = settings(max_examples=30, deadline=None)
INF, NAN = math.inf, math.nan


def tdt(dtype) -> torch.dtype:
    return TORCH_DTYPES[np.dtype(dtype)]


def follow_up_torch() -> tuple[torch.Tensor, torch.Tensor]:
    """Draws after the call under test: uniform words and the normal cache."""
    return torch.rand(3, dtype=torch.float64), torch.randn(3, dtype=torch.float64)


def assert_follow_up(gen: R.Generator, expected: tuple[torch.Tensor, torch.Tensor]) -> None:
    assert_same_bits(R.uniform((3,), np.float64, gen), expected[0])
    assert_same_bits(R.normal((3,), np.float64, gen), expected[1])


def compare_method(path: str, seed: int, shape: tuple[int, ...], dtype, method: str, targs: tuple, ours) -> None:
    """``torch.empty(shape).<method>(*targs)`` on the default generator vs ``ours(generator)`` on ``path``."""
    torch.manual_seed(seed)
    expected = getattr(torch.empty(shape, dtype=tdt(dtype)), method)(*targs)
    follow = follow_up_torch()
    gen = R.Generator().manual_seed(seed)
    with np.errstate(all="ignore"), kernel_path(path):
        got = ours(gen)
    assert got.flags.c_contiguous
    assert_same_bits(got, expected)
    assert_follow_up(gen, follow)


# ----------------------------------------------------------------------------------------------- exponential
@pytest.mark.parametrize("path", PATHS)
@FAST
@given(seed=SEEDS, shape=SHAPES, dtype=st.sampled_from(FLOATS),
       lambd=st.sampled_from([1.0, 0.5, 3.7, 1e-3, 1e5, INF, 1e-300, 5e-324, 1e300]))
def test_exponential_matches_torch(path, seed, shape, dtype, lambd):
    compare_method(path, seed, shape, dtype, "exponential_", (lambd,), lambda g: C.exponential(shape, dtype, g, lambd))


def test_exponential_default_lambda_and_default_generator():
    torch.manual_seed(11)
    expected = torch.empty(40, dtype=torch.float32).exponential_()
    follow = torch.rand(2)
    R.manual_seed(11)
    assert_same_bits(C.exponential((40,), np.float32), expected)
    assert_same_bits(R.uniform((2,), np.float32), follow)


# ----------------------------------------------------------------------------------------------------- cauchy
@pytest.mark.parametrize("path", PATHS)
@FAST
@given(seed=SEEDS, shape=SHAPES, dtype=st.sampled_from(FLOATS),
       params=st.sampled_from([(0.0, 1.0), (0.3, 1.7), (-2.0, 7.0), (1.5, 0.3), (1e5, 1e-3), (0.0, INF),
                               (0.0, 1e300), (NAN, 1.0), (INF, 1.0), (-INF, 2.0), (0.0, 5e-324),
                               (7e4, 1.0)]))
def test_cauchy_matches_torch(path, seed, shape, dtype, params):
    compare_method(path, seed, shape, dtype, "cauchy_", params, lambda g: C.cauchy(shape, dtype, g, *params))


def test_cauchy_needs_the_fused_multiply_add():
    """median + sigma * tan(...) rounded twice differs from torch: the exact fma is what matches."""
    torch.manual_seed(5)
    expected = torch.empty(2000, dtype=torch.float64).cauchy_(1.5, 0.3).numpy()
    u = R._unit_double(R.Generator().manual_seed(5), 2000)
    tangent = np.array([math.tan(math.pi * (x - 0.5)) for x in u])
    assert (1.5 + 0.3 * tangent != expected).any()
    assert_same_bits(C.cauchy((2000,), np.float64, R.Generator().manual_seed(5), 1.5, 0.3), expected)


# ------------------------------------------------------------------------------------------------- log_normal
@pytest.mark.parametrize("path", PATHS)
@FAST
@given(seed=SEEDS, shape=SHAPES, dtype=st.sampled_from(FLOATS),
       params=st.sampled_from([(1.0, 2.0), (0.3, 1.7), (-1.1, 0.37), (0.0, 1e-7), (1000.0, 1.0), (0.0, INF),
                               (NAN, 1.0), (-INF, 1.0), (-800.0, 30.0), (11.0, 1.0)]))
def test_log_normal_matches_torch(path, seed, shape, dtype, params):
    compare_method(path, seed, shape, dtype, "log_normal_", params, lambda g: C.log_normal(shape, dtype, g, *params))


@FAST
@given(seed=SEEDS, program=st.lists(st.tuples(st.sampled_from(["log_normal", "randn"]),
                                              st.sampled_from([1, 2, 3, 5, 16, 17])), min_size=1, max_size=6))
def test_log_normal_shares_the_cached_normal_with_randn(seed, program):
    torch.manual_seed(seed)
    expected = [torch.empty(n, dtype=torch.float64).log_normal_(0.2, 0.9) if kind == "log_normal"
                else torch.randn(n, dtype=torch.float64) for kind, n in program]
    R.manual_seed(seed)
    for (kind, n), want in zip(program, expected, strict=True):
        got = C.log_normal((n,), np.float64, None, 0.2, 0.9) if kind == "log_normal" else R.normal((n,), np.float64)
        assert_same_bits(got, want)


# -------------------------------------------------------------------------------------------------- geometric
@pytest.mark.parametrize("path", PATHS)
@FAST
@given(seed=SEEDS, shape=SHAPES, dtype=st.sampled_from(FLOATS + INTS),
       p=st.sampled_from([0.5, 0.3, 0.013, 1e-4, 1e-6, 1e-10, 1e-17, 1e-300, 5e-324, 1 - 2**-53]))
def test_geometric_matches_torch(path, seed, shape, dtype, p):
    compare_method(path, seed, shape, dtype, "geometric_", (p,), lambda g: C.geometric(shape, dtype, g, p))


@pytest.mark.parametrize("dtype", INTS + [np.float16])
@pytest.mark.parametrize("p", [1e-3, 1e-6, 1e-10, 1e-17])
@pytest.mark.parametrize("path", PATHS)
def test_geometric_out_of_range_conversions(path, dtype, p):
    """Large counts wrap (narrow ints), saturate to INT_MIN (int32/int64) or become inf (float16)."""
    compare_method(path, 3, (500,), dtype, "geometric_", (p,), lambda g: C.geometric((500,), dtype, g, p))


# --------------------------------------------------------------------------------------- errors and empties
CALLS = {
    "exponential": (lambda t, a: t.exponential_(*a), lambda s, d, a, c=None: C.exponential(s, d, None, *a, checked=c)),
    "cauchy": (lambda t, a: t.cauchy_(*a), lambda s, d, a, c=None: C.cauchy(s, d, None, *a, checked=c)),
    "log_normal": (lambda t, a: t.log_normal_(*a), lambda s, d, a, c=None: C.log_normal(s, d, None, *a, checked=c)),
    "geometric": (lambda t, a: t.geometric_(*a), lambda s, d, a, c=None: C.geometric(s, d, None, *a, checked=c)),
}
GOOD_ARGS = {"exponential": (1.0,), "cauchy": (0.0, 1.0), "log_normal": (1.0, 2.0), "geometric": (0.5,)}
BAD_ARGS = [
    ("exponential", (0.0,)), ("exponential", (-1.0,)), ("exponential", (-0.0,)), ("exponential", (NAN,)),
    ("exponential", (-INF,)), ("cauchy", (0.0, 0.0)), ("cauchy", (0.0, -1.0)), ("cauchy", (0.0, NAN)),
    ("cauchy", (1.0, -INF)), ("log_normal", (1.0, 0.0)), ("log_normal", (1.0, -2.5)), ("log_normal", (1.0, NAN)),
    ("geometric", (0.0,)), ("geometric", (1.0,)), ("geometric", (-0.1,)), ("geometric", (1.1,)),
    ("geometric", (NAN,)), ("geometric", (INF,)), ("geometric", (1e-310 - 1e-310,)),
]
ALL_DTYPES = FLOATS + INTS + [np.bool_, np.uint16, np.uint32, np.uint64, np.complex64, np.complex128]


@pytest.mark.parametrize(("name", "args"), BAD_ARGS)
@pytest.mark.parametrize("dtype", [np.float32, np.int64])
@pytest.mark.parametrize("numel", [3, 0])
def test_parameter_errors(name, args, dtype, numel):
    theirs, ours = CALLS[name]
    assert_same_error(lambda: theirs(torch.empty(numel, dtype=tdt(dtype)), args),
                      lambda: ours((numel,), dtype, args))


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("numel", [3, 0])
def test_dtype_support_matches_torch(name, dtype, numel):
    theirs, ours = CALLS[name]
    args = GOOD_ARGS[name]
    try:
        theirs(torch.empty(numel, dtype=tdt(dtype)), args)
    except (RuntimeError, NotImplementedError):
        assert_same_error(lambda: theirs(torch.empty(numel, dtype=tdt(dtype)), args),
                          lambda: ours((numel,), dtype, args))
    else:
        torch.manual_seed(4)
        expected = theirs(torch.empty(numel, dtype=tdt(dtype)), args)
        follow = torch.rand(2, dtype=torch.float64)
        R.manual_seed(4)
        assert_same_bits(ours((numel,), dtype, args), expected)
        assert_same_bits(R.uniform((2,), np.float64), follow)  # an empty tensor draws nothing


class OutputCheck(Exception):  # noqa: N818 - stands for torch's TensorIterator error
    pass


def _raise_output_check() -> None:
    raise OutputCheck


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.bool_, np.complex64])
def test_checked_runs_where_torch_builds_its_iterator(name, dtype):
    """torch reports an overlapping output (TensorIterator) before or after the dtype check: ``checked``
    runs at the same point, after the parameter checks and before anything is drawn."""
    theirs, ours = CALLS[name]
    args = GOOD_ARGS[name]
    with pytest.raises(RuntimeError) as expected:
        theirs(torch.empty(1, dtype=tdt(dtype)).expand(3), args)
    iterator_first = "more than one element of the written-to tensor" in str(expected.value)
    state = R.get_rng_state()
    with pytest.raises(OutputCheck if iterator_first else type(expected.value)):
        ours((3,), dtype, args, _raise_output_check)
    assert (R.get_rng_state() == state).all()
    bad = (-1.0, -1.0)[:len(args)]  # parameter errors come before both
    assert_same_error(lambda: theirs(torch.empty(1, dtype=tdt(dtype)).expand(3), bad),
                      lambda: ours((3,), dtype, bad, _raise_output_check))


# ---------------------------------------------------------------------------------------------------- fma
@pytest.mark.parametrize("path", PATHS)
def test_fma64_is_correctly_rounded(path):
    """``exact.fma64`` and the compiled ``llvm.fma`` (std::fma for the continuous and float64 streams)
    against glibc's ``fma``."""
    glibc_fma = E.c_double_function("fma", 3)
    rng = np.random.default_rng(1)
    a = rng.standard_normal(20000) * 10.0 ** rng.integers(-300, 300, 20000)
    a[::3] = np.round(a[::3] * 2**20) / 2**20
    specials = np.array([1.5, 1 + 2**-52, 0.0, -0.0, INF, -INF, NAN, 1e308, 5e-324, 2**-1000, -3.0])
    a = np.concatenate([a, specials])
    cases = [(3002399751580331 * 2.0**-52, 2.0**-200),  # 1.5 * b = 1 + 2**-53 exactly: a double-rounding trap
             (1 + 2**-52, -1.0), (0.3, 1.7), (1e300, -1e300), (5e-324, 0.0), (-2.5e-310, 1e-320), (INF, 1.0),
             (1e-10, NAN), (7.0, -0.0)]
    with np.errstate(all="ignore"):
        for b, c in cases:
            with kernel_path(path):
                ours = R._fma(a, b, c)
            glibc = np.array([glibc_fma(float(x), b, c) for x in a])
            assert ours.tobytes() == glibc.tobytes(), (b, c)


@pytest.mark.parametrize("name", ["exponential", "cauchy", "log_normal"])
def test_float16_results_round_through_float(name):
    """static_cast<c10::Half>(double) rounds to float first: about 1 in 16000 values differ from a direct
    double -> half rounding, so 60000 draws show it."""
    theirs, ours = CALLS[name]
    torch.manual_seed(2)
    expected = theirs(torch.empty(60000, dtype=torch.float16), GOOD_ARGS[name])
    R.manual_seed(2)
    assert_same_bits(ours((60000,), np.float16, GOOD_ARGS[name]), expected)


# ------------------------------------------------------------------------------------------------ multinomial
def _probabilities(kind: str, shape: tuple[int, ...], dtype, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if kind == "random":
        values = rng.random(shape)
    elif kind == "ones":
        values = np.ones(shape)
    elif kind == "few":  # small integers: many equal ratios after float16 rounding, zero categories
        values = rng.integers(0, 3, shape).astype(np.float64)
        values[..., 0] = 1.0
    elif kind == "sparse":  # zeros tie with each other once the nonzero categories are used up
        values = np.zeros(shape)
        values[..., : max(1, shape[-1] // 4)] = rng.random(shape[:-1] + (max(1, shape[-1] // 4),))
    else:  # "skewed": spans many binades, ties only by chance
        values = np.minimum(np.exp(rng.standard_normal(shape) * 6), 1e4)  # finite in float16
    return values.astype(dtype)


@settings(max_examples=40, deadline=None)
@given(seed=SEEDS, dtype=st.sampled_from(FLOATS),
       shape=st.sampled_from([(1,), (2,), (7,), (64,), (130,), (3, 5), (2, 40), (4, 1), (1, 200)]),
       kind=st.sampled_from(["random", "ones", "few", "sparse", "skewed"]),
       fraction=st.sampled_from([0.0, 0.01, 0.3, 0.5, 1.0, 1.5]), replacement=st.booleans(),
       fortran=st.booleans())
def test_multinomial_matches_torch(seed, dtype, shape, kind, fraction, replacement, fortran):
    probs = _probabilities(kind, shape, dtype, seed % 1000)
    if fortran:
        probs = np.asfortranarray(probs)
    n_sample = max(1, int(shape[-1] * fraction))
    if not replacement:
        n_sample = min(n_sample, shape[-1])
    torch_probs = torch.from_numpy(probs)  # keeps a Fortran array's strides, like the reftorch input
    torch.manual_seed(seed)
    expected = torch.multinomial(torch_probs, n_sample, replacement)
    follow = follow_up_torch()
    gen = R.Generator().manual_seed(seed)
    got = C.multinomial(probs, n_sample, replacement, gen)
    assert_same_bits(got, expected)
    assert_follow_up(gen, follow)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("n_sample", [1, 2, 15, 16, 17, 40, 300, 1000])
@pytest.mark.parametrize("seed", [0, 99])
def test_multinomial_without_replacement_orders_ties_like_torch(seed, n_sample, dtype):
    """1000 categories: partial_sort for k <= 15, nth_element + sort beyond; equal probabilities make
    equal ratios (often in float16), whose order comes from the libstdc++ algorithms."""
    probs = np.ones((2, 1000), dtype)
    probs[1, 500:] = 0.0
    probs[1, :7] = 2.0
    torch.manual_seed(seed)
    expected = torch.multinomial(torch.from_numpy(probs), n_sample)
    R.manual_seed(seed)
    assert_same_bits(C.multinomial(probs, n_sample, False), expected)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 16, 17, 33, 64, 65, 200, 1000])
@pytest.mark.parametrize("pattern", ["equal", "two_values", "nan_and_inf", "sorted", "reversed", "random",
                                     "organ_pipe", "sawtooth", "zigzag"])
def test_topk_emulation_matches_torch_topk(n, pattern):
    """Organ pipes and saw teeth defeat the median-of-three pivot: they reach the depth limit, where
    introselect and introsort fall back to heap selection / heap sort."""
    rng = np.random.default_rng(n)
    i = np.arange(n)
    values = {"equal": np.zeros(n), "two_values": rng.integers(0, 2, n).astype(np.float64),
              "nan_and_inf": rng.choice([NAN, INF, -INF, 1.0, 0.0], n), "sorted": np.sort(rng.integers(0, 9, n) * 1.0),
              "reversed": np.sort(rng.integers(0, 9, n) * 1.0)[::-1].copy(), "random": rng.random(n),
              "organ_pipe": -np.minimum(i, n - 1 - i).astype(np.float64), "sawtooth": (i % 5).astype(np.float64),
              "zigzag": -np.where(i % 2 == 0, i, n - i).astype(np.float64)}[pattern]
    for k in sorted({min(n, 2), 1, max(1, n // 64), min(n, n // 64 + 1), max(1, n // 2), n}):
        expected = torch.topk(torch.from_numpy(values), k).indices.numpy()
        assert_same_bits(C._topk_largest(values, k), expected)


def test_multinomial_with_replacement_consumes_one_double_per_sample_row_by_row():
    probs = np.array([[0.2, 0.3, 0.5], [1.0, 2.0, 3.0], [0.0, 0.0, 1.0]], np.float32)
    torch.manual_seed(8)
    expected = torch.multinomial(torch.from_numpy(probs), 5, True)
    torch.manual_seed(8)
    torch.rand(15, dtype=torch.float64)  # 3 rows x 5 samples, two words each
    follow = torch.rand(1, dtype=torch.float64)
    R.manual_seed(8)
    assert_same_bits(C.multinomial(probs, 5, True), expected)
    assert_same_bits(R.uniform((1,), np.float64), follow)


def test_multinomial_with_replacement_overflowing_sum():
    """float32 entries whose running sum overflows: buckets 0, then NaN (inf / inf), then 1."""
    probs = np.array([1e38, 2e38, 3e38, 3e38, 1e38], np.float32)
    for seed in range(5):
        torch.manual_seed(seed)
        expected = torch.multinomial(torch.from_numpy(probs), 50, True)
        R.manual_seed(seed)
        assert_same_bits(C.multinomial(probs, 50, True), expected)


MULTINOMIAL_BAD = [
    (np.float32(1.0), 1, False), (np.ones((2, 2, 2), np.float32), 1, False), (np.ones(3, np.int64), 1, False),
    (np.ones(3, np.bool_), 1, True), (np.ones(3, np.complex64), 1, False), (np.ones(3, np.float32), 0, False),
    (np.ones(3, np.float32), -1, True), (np.ones(3, np.float32), 4, False), (np.ones(0, np.float32), 1, False),
    (np.ones(0, np.float32), 1, True), (np.ones(0, np.float32), 2, True), (np.ones((2, 0), np.float32), 1, True),
    (np.ones((2, 0), np.float32), 3, True), (np.ones((2, 0), np.float64), 1, False),
    (np.broadcast_to(np.ones(1, np.float16), (2**24 + 1,)), 1, True),
]
for _values in ([0.1, -1.0], [0.1, NAN], [0.1, INF], [0.1, -INF], [0.0, 0.0], [-0.0, 0.0]):
    for _dtype in FLOATS:
        for _n, _rep in ((1, False), (2, False), (1, True), (2, True)):
            MULTINOMIAL_BAD.append((np.array(_values, _dtype), _n, _rep))
MULTINOMIAL_BAD.append((np.array([[1.0, 2.0], [0.0, 0.0]], np.float16), 2, False))


@pytest.mark.parametrize(("probs", "n_sample", "replacement"), MULTINOMIAL_BAD)
def test_multinomial_errors(probs, n_sample, replacement):
    probs = np.asarray(probs)
    if probs.flags.writeable:
        torch_probs = torch.from_numpy(probs)
    else:  # the 2**24 + 1 broadcast: the same stride-0 view on torch's side
        torch_probs = torch.from_numpy(probs[:1].copy()).expand(probs.shape)
    state = R.get_rng_state()
    assert_same_error(lambda: torch.multinomial(torch_probs, n_sample, replacement),
                      lambda: C.multinomial(probs, n_sample, replacement))
    assert (R.get_rng_state() == state).all()  # all of these fail before drawing


@pytest.mark.parametrize("bad", [-1.0, NAN, INF, 0.0])
@pytest.mark.parametrize("dtype", FLOATS)
def test_multinomial_bad_row_raises_after_earlier_rows_drew(bad, dtype):
    probs = np.array([[0.5, 0.5], [0.1, 0.9], [bad, 0.0 if bad == 0.0 else 1.0]], dtype)
    torch.manual_seed(21)
    with pytest.raises(RuntimeError) as expected:
        torch.multinomial(torch.from_numpy(probs), 3, True)
    follow = torch.rand(2, dtype=torch.float64)
    R.manual_seed(21)
    with pytest.raises(RuntimeError) as got:
        C.multinomial(probs, 3, True)
    assert str(got.value) == str(expected.value)
    assert_same_bits(R.uniform((2,), np.float64), follow)


@pytest.mark.parametrize(("shape", "n_sample", "replacement"), [
    ((0, 3), 2, False), ((0, 3), 2, True), ((0, 3), 1, True), ((0, 3), 1, False), ((0, 0), 1, True),
    ((0, 0), 3, True), ((0, 0), 1, False),
])
def test_multinomial_without_rows(shape, n_sample, replacement):
    probs = np.ones(shape, np.float32)
    try:
        expected = torch.multinomial(torch.from_numpy(probs), n_sample, replacement)
    except RuntimeError:
        assert_same_error(lambda: torch.multinomial(torch.from_numpy(probs), n_sample, replacement),
                          lambda: C.multinomial(probs, n_sample, replacement))
    else:
        assert_same_bits(C.multinomial(probs, n_sample, replacement), expected)

