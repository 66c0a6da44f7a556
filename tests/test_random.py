"""Differential tests of reftorch._random against torch's CPU generator (the oracle)."""

from __future__ import annotations

import pickle
import re
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from random_oracle import PATHS, TORCH_DTYPES, assert_same_bits, assert_same_error, kernel_path

from reftorch import _random as R

# reftorch picks the kernels torch runs on this machine (reftorch._random.cpu: the ATen capability for
# normal_/uniform_, and MKL's Bernoulli never in torch 2.13), so every stream is compared bit for bit;
# tests/test_random_paths.py forces each kernel against torch run with ATEN_CPU_CAPABILITY set.

SEEDS = st.one_of(st.sampled_from([0, 1, 2**32 - 1, 2**32, 2**32 + 7, 2**63, 2**64 - 1]),
                  st.integers(0, 2**64 - 1))
SHAPES = st.sampled_from([(0,), (1,), (2,), (15,), (16,), (17,), (31,), (100,), (3, 5), (2, 0, 3), (4, 9),
                          ()])
FLOATS = [np.float16, np.float32, np.float64]
FAST = settings(max_examples=40, deadline=None)


def assert_same_normal(ours: np.ndarray, theirs: torch.Tensor) -> None:
    """Normal samples: bit for bit, whichever capability's kernel (AVX2 or DEFAULT) torch runs here."""
    assert R.cpu.capability() == torch.backends.cpu.get_cpu_capability() or not R.cpu.is_x86_64()
    assert_same_bits(ours, theirs)


def torch_warning(call) -> str:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    assert len(caught) >= 1
    return re.sub(r" \(Triggered internally at .*\)$", "", str(caught[0].message), flags=re.S)


# ---------------------------------------------------------------------------------------------- seeding
@pytest.mark.parametrize("seed", [0, 1, 42, 2**32 - 1, 2**32, 2**32 + 42, 2**63 + 5, 2**64 - 1, -1, -(2**63)])
def test_manual_seed_streams_and_initial_seed(seed):
    torch.manual_seed(seed)
    expected = torch.rand(7)
    assert R.manual_seed(seed) is R.default_generator
    assert_same_bits(R.uniform((7,), np.float32), expected)
    assert R.initial_seed() == torch.initial_seed() == R.default_generator.initial_seed()


def test_new_generator_default_seed_and_stream():
    ours, theirs = R.Generator(), torch.Generator()
    assert ours.initial_seed() == theirs.initial_seed() == R.DEFAULT_RNG_SEED
    assert_same_bits(R.uniform((5,), np.float64, ours), torch.rand(5, dtype=torch.float64, generator=theirs))
    assert ours.device == "cpu"
    assert R.Generator("cpu:0").device == "cpu"


def test_seed_is_nondeterministic_and_reported():
    g = R.Generator()
    first = g.seed()
    assert 0 <= first < 2**64 and g.initial_seed() == first
    assert R.Generator().seed() != first
    assert 0 <= R.seed() < 2**64 and R.initial_seed() == R.default_generator.initial_seed()
    assert isinstance(torch.initial_seed(), int) and isinstance(R.initial_seed(), int)
    # after seed() the stream is the manual_seed stream of that seed
    torch.manual_seed(first)
    assert_same_bits(R.uniform((3,), np.float32, g), torch.rand(3))


@pytest.mark.parametrize("bad", [1.5, "3", True, None, -(2**63) - 1, 2**64, np.int64(5)])
def test_generator_manual_seed_errors(bad):
    assert_same_error(lambda: torch.Generator().manual_seed(bad), lambda: R.Generator().manual_seed(bad))


@pytest.mark.parametrize("value", [1.9, "7", True])
def test_module_manual_seed_converts_with_int(value):
    torch.manual_seed(value)
    R.manual_seed(value)
    assert R.initial_seed() == torch.initial_seed()
    assert_same_bits(R.uniform((4,), np.float32), torch.rand(4))


@pytest.mark.parametrize("bad", [None, "x", 2**64])
def test_module_manual_seed_errors(bad):
    assert_same_error(lambda: torch.manual_seed(bad), lambda: R.manual_seed(bad))


def test_offset_methods_raise():
    assert_same_error(lambda: torch.Generator().get_offset(), lambda: R.Generator().get_offset())
    assert_same_error(lambda: torch.Generator().set_offset(1), lambda: R.Generator().set_offset(1))


# ---------------------------------------------------------------------------------------------- uniform
@pytest.mark.parametrize("path", PATHS)
@FAST
@given(seed=SEEDS, shape=SHAPES, dtype=st.sampled_from(FLOATS + [np.complex64, np.complex128]),
       bounds=st.sampled_from([(0.0, 1.0), (-3.7, 2.1), (0.3, 0.9), (-1000.0, 0.001), (2.0, 2.0),
                               (5.0, 5.5)]))
def test_uniform_matches_torch(path, seed, shape, dtype, bounds):
    low, high = bounds
    torch.manual_seed(seed)
    tdt = TORCH_DTYPES[np.dtype(dtype)]
    if bounds == (0.0, 1.0):
        expected = torch.rand(shape, dtype=tdt)
    else:
        expected = torch.empty(shape, dtype=tdt).uniform_(*bounds)
    follow = torch.rand(3, dtype=torch.float64)
    R.manual_seed(seed)
    with kernel_path(path):
        assert_same_bits(R.uniform(shape, dtype, None, low, high), expected)
        assert_same_bits(R.uniform((3,), np.float64), follow)


@pytest.mark.parametrize(("dtype", "low", "high"), [
    (np.float32, 2.0, 1.0), (np.float32, -3e38, 3e38), (np.float64, -1e308, 1e308), (np.float16, -6e4, 6e4),
    (np.float16, -1e5, 1e5), (np.float32, float("nan"), 1.0), (np.float32, 0.0, float("inf")),
    (np.complex64, 2.0, 1.0), (np.int64, 0.0, 1.0), (np.bool_, 0.0, 1.0),
])
def test_uniform_errors(dtype, low, high):
    tdt = TORCH_DTYPES[np.dtype(dtype)]
    assert_same_error(lambda: torch.empty(3, dtype=tdt).uniform_(low, high),
                      lambda: R.uniform((3,), dtype, None, low, high))


def test_uniform_values_rounding_to_the_upper_bound_become_the_lower_bound():
    torch.manual_seed(12)
    expected = torch.rand(30000, dtype=torch.float16)
    assert (expected == 0).any()  # some 24-bit uniforms round to 1.0 in float16
    R.manual_seed(12)
    assert_same_bits(R.uniform((30000,), np.float16), expected)


def test_uniform_tiny_float16_range_rounds_to_from():
    torch.manual_seed(3)
    expected = torch.empty(20, dtype=torch.float16).uniform_(0.0, 1e-9)
    R.manual_seed(3)
    assert_same_bits(R.uniform((20,), np.float16, None, 0.0, 1e-9), expected)


# ----------------------------------------------------------------------------------------------- normal
@pytest.mark.parametrize("path", PATHS)
@FAST
@given(seed=SEEDS, shape=SHAPES, dtype=st.sampled_from(FLOATS + [np.complex64, np.complex128]),
       params=st.sampled_from([(0.0, 1.0), (0.3, 1.7), (-2.5, 0.01), (1.0, 0.0), (1e3, 1e-3), (-7.0, 40.0)]))
def test_normal_matches_torch(path, seed, shape, dtype, params):
    with kernel_path(path):
        check_normal(seed, shape, dtype, params)


def check_normal(seed, shape, dtype, params):
    mean, std = params
    torch.manual_seed(seed)
    tdt = TORCH_DTYPES[np.dtype(dtype)]
    if params == (0.0, 1.0):
        expected = torch.randn(shape, dtype=tdt)
    else:
        expected = torch.empty(shape, dtype=tdt).normal_(*params)
    follow = torch.randn(3, dtype=torch.float64)  # also checks the cached second Box-Muller sample
    R.manual_seed(seed)
    assert_same_normal(R.normal(shape, dtype, None, mean, std), expected)
    assert_same_bits(R.normal((3,), np.float64), follow)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("dtype", FLOATS + [np.complex128])
@pytest.mark.parametrize("numel", [1, 2, 5, 15, 16, 17, 48, 100])
@pytest.mark.parametrize("seed", [0, 2**64 - 1])
def test_normal_mean_std_every_path(seed, numel, dtype, path):
    torch.manual_seed(seed)
    expected = torch.empty(numel, dtype=TORCH_DTYPES[np.dtype(dtype)]).normal_(0.3, 1.7)
    R.manual_seed(seed)
    with kernel_path(path):
        assert_same_normal(R.normal((numel,), dtype, None, 0.3, 1.7), expected)


@FAST
@given(seed=SEEDS, sizes=st.lists(st.sampled_from([1, 2, 3, 5, 15, 16, 17, 33]), min_size=1, max_size=6),
       dtype=st.sampled_from(FLOATS))
def test_normal_cache_across_calls(seed, sizes, dtype):
    torch.manual_seed(seed)
    expected = [torch.randn(n, dtype=TORCH_DTYPES[np.dtype(dtype)]) for n in sizes]
    R.manual_seed(seed)
    for n, want in zip(sizes, expected, strict=True):
        assert_same_normal(R.normal((n,), dtype), want)
    assert R.get_rng_state().tobytes() == torch.get_rng_state().numpy().tobytes()


@pytest.mark.parametrize("dtype", FLOATS)
def test_normal_noncontiguous_uses_scalar_path(dtype):
    torch.manual_seed(11)
    expected = torch.empty(40, dtype=TORCH_DTYPES[np.dtype(dtype)])[::2].normal_(0.5, 2.0)
    R.manual_seed(11)
    ours = R.normal((20,), dtype, None, 0.5, 2.0, contiguous=False)
    assert_same_bits(ours, expected.contiguous())


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize(("seed", "numel", "mean", "std"), [
    (2024, 20003, 0.0, 1.0), (7, 1_000_000, 0.0, 1.0), (2**64 - 1, 300_016, -2.5, 0.01), (99, 65_539, 1e4, 3.0),
])
def test_normal_large(path, dtype, seed, numel, mean, std):
    tdt = TORCH_DTYPES[np.dtype(dtype)]
    expected = torch.empty(numel, dtype=tdt).normal_(mean, std, generator=torch.Generator().manual_seed(seed))
    with kernel_path(path):
        assert_same_normal(R.normal((numel,), dtype, R.Generator().manual_seed(seed), mean, std), expected)


@pytest.mark.parametrize(("dtype", "std", "numel"), [
    (np.float32, -1.0, 3), (np.float32, float("nan"), 3), (np.int64, 1.0, 3), (np.bool_, 1.0, 2),
    (np.int64, -1.0, 0), (np.complex64, -1.0, 0),
])
def test_normal_errors(dtype, std, numel):
    tdt = TORCH_DTYPES[np.dtype(dtype)]
    assert_same_error(lambda: torch.empty(numel, dtype=tdt).normal_(0.0, std),
                      lambda: R.normal((numel,), dtype, None, 0.0, std))


def test_normal_empty_integer_tensor_is_allowed():
    assert torch.randn(0, dtype=torch.int64).numel() == 0
    assert R.normal((0,), np.int64).shape == (0,)


# ---------------------------------------------------------------------------------------------- randint
RANGES = st.sampled_from([(0, 1), (0, 2), (0, 10), (-5, 5), (3, 300), (0, 2**28 - 1), (7, 7 + 2**28),
                          (-100, 2**31), (0, 2**32), (0, 2**32 + 1), (-(2**40), 2**40), (-(2**63), 2**63 - 1),
                          (2**62, 2**63 - 1)])
INT_DTYPES = [np.int64, np.int32, np.int16, np.int8, np.uint8, np.bool_, np.float32, np.float64, np.float16,
              np.uint16, np.uint32, np.uint64]


def _fits(dtype: np.dtype, low: int, high: int) -> bool:
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return 0 <= low and high <= 2
    if dtype.kind == "f":
        return -(2 ** (np.finfo(dtype).nmant + 1)) <= low and high - 1 <= 2 ** (np.finfo(dtype).nmant + 1)
    info = np.iinfo(dtype)
    return info.min <= low and high - 1 <= min(info.max, 2**63 - 1)


@FAST
@given(seed=SEEDS, shape=SHAPES, dtype=st.sampled_from(INT_DTYPES), bounds=RANGES)
def test_randint_matches_torch(seed, shape, dtype, bounds):
    low, high = bounds
    if not _fits(dtype, low, high):
        low, high = 0, 2
    torch.manual_seed(seed)
    expected = torch.randint(low, high, shape, dtype=TORCH_DTYPES[np.dtype(dtype)])
    follow = torch.rand(2)
    R.manual_seed(seed)
    assert_same_bits(R.randint(low, high, shape, dtype), expected)
    assert_same_bits(R.uniform((2,), np.float32), follow)


@pytest.mark.parametrize("span", [2**28 - 1, 2**28, 2**28 + 1, 2**31, 2**32 - 1, 2**32])
@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint32, np.float64])
def test_randint_switches_to_random64_at_2_pow_28(span, dtype):
    low = 0 if np.dtype(dtype) == np.uint32 else -(span // 2)
    if np.dtype(dtype) == np.int32 and span > 2**32 - 1:
        low = -(2**31)
    torch.manual_seed(6)
    expected = torch.randint(low, low + span, (5,), dtype=TORCH_DTYPES[np.dtype(dtype)])
    follow = torch.rand(1)
    R.manual_seed(6)
    assert_same_bits(R.randint(low, low + span, (5,), dtype), expected)
    assert_same_bits(R.uniform((1,), np.float32), follow)


def test_random32_and_random64_are_the_engine_words():
    torch.manual_seed(99)
    low_bits = torch.empty(9, dtype=torch.int32).random_()  # random() % 2**31
    full = torch.randint(-(2**63), 2**63 - 1, (5,))
    R.manual_seed(99)
    assert_same_bits((R.random32(9) & np.uint64(2**31 - 1)).astype(np.int32), low_bits)
    ours = ((R.random64(5) % np.uint64(2**64 - 1)) + np.uint64(2**63)).view(np.int64)
    assert_same_bits(ours, full)


@pytest.mark.parametrize(("low", "high", "dtype"), [
    (5, 5, np.int64), (6, 5, np.int64), (0, 300, np.uint8), (-1, 3, np.uint8), (0, 3, np.bool_),
    (-(2**63), -(2**63) + 1, np.int8), (-(2**63), -(2**63) + 1, np.int16), (-(2**63), -(2**63) + 1, np.int32),
    (-(2**63), -(2**63) + 1, np.uint16), (-(2**63), -(2**63) + 1, np.uint32), (-1, 0, np.uint64),
    (-(2**63), -(2**63) + 1, np.float16), (0, 70000, np.float16), (0, 3, np.complex64),
])
def test_randint_errors(low, high, dtype):
    tdt = TORCH_DTYPES[np.dtype(dtype)]
    assert_same_error(lambda: torch.randint(low, high, (3,), dtype=tdt),
                      lambda: R.randint(low, high, (3,), dtype))


@pytest.mark.parametrize(("low", "high", "dtype"), [
    (0, 2**24 + 3, np.float32), (-(2**25), 5, np.float32), (0, 2**11 + 2, np.float16), (0, 2**60, np.float64),
])
def test_randint_precision_warning_and_values(low, high, dtype):
    tdt = TORCH_DTYPES[np.dtype(dtype)]
    torch.manual_seed(8)
    message = torch_warning(lambda: torch.randint(low, high, (6,), dtype=tdt))
    torch.manual_seed(8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = torch.randint(low, high, (6,), dtype=tdt)
    R.manual_seed(8)
    with pytest.warns(UserWarning) as caught:
        ours = R.randint(low, high, (6,), dtype)
    assert str(caught[0].message) == message
    assert_same_bits(ours, expected)


# ---------------------------------------------------------------------------------------------- randperm
@FAST
@given(seed=SEEDS, n=st.sampled_from([0, 1, 2, 3, 15, 16, 17, 100, 256, 1000, 2049]),
       dtype=st.sampled_from([np.int64, np.int32, np.int16, np.uint8, np.int8, np.float16, np.float32,
                              np.float64]))
def test_randperm_matches_torch(seed, n, dtype):
    n = min(n, 128) if np.dtype(dtype) == np.int8 else min(n, 256) if np.dtype(dtype) == np.uint8 else n
    torch.manual_seed(seed)
    expected = torch.randperm(n, dtype=TORCH_DTYPES[np.dtype(dtype)])
    follow = torch.randint(0, 1000, (2,))
    R.manual_seed(seed)
    assert_same_bits(R.randperm(n, dtype), expected)
    assert_same_bits(R.randint(0, 1000, (2,)), follow)


def test_randperm_large_n_small_path():
    torch.manual_seed(5)
    expected = torch.randperm(100_000)
    R.manual_seed(5)
    assert_same_bits(R.randperm(100_000), expected)
    assert R._RANDPERM_SMALL_LIMIT == 2**32 // 20  # torch: n < std::numeric_limits<uint32_t>::max() / 20


@pytest.mark.parametrize(("n", "dtype"), [
    (-1, np.int64), (2050, np.float16), (2**24 + 2, np.float32), (300, np.uint8), (257, np.uint8),
    (200, np.int8), (40000, np.int16), (3, np.bool_), (3, np.complex64), (3, np.uint16),
])
def test_randperm_errors(n, dtype):
    tdt = TORCH_DTYPES[np.dtype(dtype)]
    assert_same_error(lambda: torch.randperm(n, dtype=tdt), lambda: R.randperm(n, dtype))


# --------------------------------------------------------------------------------------------- bernoulli
@pytest.mark.parametrize("path", PATHS)
@FAST
@given(seed=SEEDS, shape=SHAPES, p=st.sampled_from([0.0, 0.3, 0.5, 0.999, 1.0]),
       dtype=st.sampled_from([np.float32, np.float64, np.float16, np.int64, np.uint8, np.bool_]))
def test_bernoulli_scalar_matches_torch(path, seed, shape, p, dtype):
    torch.manual_seed(seed)
    expected = torch.empty(shape, dtype=TORCH_DTYPES[np.dtype(dtype)]).bernoulli_(p)
    R.manual_seed(seed)
    with kernel_path(path):
        assert_same_bits(R.bernoulli(p, shape, dtype), expected)


@pytest.mark.parametrize("path", PATHS)
@FAST
@given(seed=SEEDS, shape=SHAPES, p_dtype=st.sampled_from(FLOATS),
       out_dtype=st.sampled_from(FLOATS + [np.int32]))
def test_bernoulli_tensor_matches_torch(path, seed, shape, p_dtype, out_dtype):
    probs = torch.rand(shape, generator=torch.Generator().manual_seed(seed % 1000), dtype=torch.float64)
    probs = probs.to(TORCH_DTYPES[np.dtype(p_dtype)])
    torch.manual_seed(seed)
    expected = torch.empty(shape, dtype=TORCH_DTYPES[np.dtype(out_dtype)]).bernoulli_(probs)
    follow = torch.rand(2)
    R.manual_seed(seed)
    with kernel_path(path):
        assert_same_bits(R.bernoulli(probs.numpy(), shape, out_dtype), expected)
        assert_same_bits(R.uniform((2,), np.float32), follow)


def test_bernoulli_scalar_takes_the_mt_path_like_torch():
    """torch 2.13 has no MKL Bernoulli (not even on Intel): two MT words per element everywhere."""
    assert not R.cpu.bernoulli_uses_mkl()
    torch.manual_seed(21)
    torch.empty(1000).bernoulli_(0.5)
    R.manual_seed(21)
    R.bernoulli(0.5, (1000,), np.float32)
    assert R.get_rng_state().tobytes() == torch.get_rng_state().numpy().tobytes()


def test_bernoulli_broadcast_p_and_dropout_mask():
    probs = torch.tensor([0.1, 0.5, 0.9])
    torch.manual_seed(4)
    expected = torch.empty(4, 3).bernoulli_(probs)
    R.manual_seed(4)
    assert_same_bits(R.bernoulli(probs.numpy(), (4, 3), np.float32), expected)
    torch.manual_seed(4)
    dropped = torch.nn.functional.dropout(torch.ones(5, 7), p=0.3, training=True)
    R.manual_seed(4)
    mask = R.bernoulli(0.7, (5, 7), np.float32)
    np.testing.assert_array_equal(mask != 0, dropped.numpy() != 0)


def test_bernoulli_errors():
    cases = [
        (lambda: torch.empty(2).bernoulli_(1.5), lambda: R.bernoulli(1.5, (2,), np.float32)),
        (lambda: torch.empty(2).bernoulli_(float("nan")),
         lambda: R.bernoulli(float("nan"), (2,), np.float32)),
        (lambda: torch.empty(2, dtype=torch.complex64).bernoulli_(0.5),
         lambda: R.bernoulli(0.5, (2,), np.complex64)),
        (lambda: torch.empty(2, dtype=torch.complex64).bernoulli_(torch.tensor([0.5, 0.5])),
         lambda: R.bernoulli(np.array([0.5, 0.5], np.float32), (2,), np.complex64)),
        (lambda: torch.bernoulli(torch.tensor([1, 0])),
         lambda: R.bernoulli(np.array([1, 0]), (2,), np.int64)),
        (lambda: torch.empty(3).bernoulli_(torch.tensor([0.2, 0.3])),
         lambda: R.bernoulli(np.array([0.2, 0.3], np.float32), (3,), np.float32)),
        (lambda: torch.empty(2, 3).bernoulli_(torch.rand(4, 1)),
         lambda: R.bernoulli(np.zeros((4, 1), np.float32), (2, 3), np.float32)),
    ]
    for torch_call, our_call in cases:
        assert_same_error(torch_call, our_call)


def test_bernoulli_invalid_p_consumes_earlier_draws():
    bad = [0.5, 0.5, float("nan"), 0.5]
    torch.manual_seed(0)
    with pytest.raises(RuntimeError):
        torch.bernoulli(torch.tensor(bad, dtype=torch.float64))
    R.manual_seed(0)
    with pytest.raises(RuntimeError, match="p_in >= 0"):
        R.bernoulli(np.array(bad), (4,), np.float64)
    assert R.get_rng_state().tobytes() == torch.get_rng_state().numpy().tobytes()


# --------------------------------------------------------------------------------------- interleaving
OPS = st.sampled_from(["rand", "rand64", "randn", "randn64", "randn16", "randint", "randint_big", "randperm",
                       "bern"])


def _run_torch(op: str, n: int, g: torch.Generator | None) -> torch.Tensor:
    kw = {"generator": g} if g is not None else {}
    return {
        "rand": lambda: torch.rand(n, **kw), "rand64": lambda: torch.rand(n, dtype=torch.float64, **kw),
        "randn": lambda: torch.randn(n, **kw), "randn64": lambda: torch.randn(n, dtype=torch.float64, **kw),
        "randn16": lambda: torch.randn(n, dtype=torch.float16, **kw),
        "randint": lambda: torch.randint(-3, 7, (n,), **kw),
        "randint_big": lambda: torch.randint(0, 2**40, (n,), **kw),
        "randperm": lambda: torch.randperm(n, **kw), "bern": lambda: torch.empty(n).bernoulli_(0.4, **kw),
    }[op]()


def _run_ours(op: str, n: int, g: R.Generator | None) -> np.ndarray:
    return {
        "rand": lambda: R.uniform((n,), np.float32, g), "rand64": lambda: R.uniform((n,), np.float64, g),
        "randn": lambda: R.normal((n,), np.float32, g), "randn64": lambda: R.normal((n,), np.float64, g),
        "randn16": lambda: R.normal((n,), np.float16, g),
        "randint": lambda: R.randint(-3, 7, (n,), np.int64, g),
        "randint_big": lambda: R.randint(0, 2**40, (n,), np.int64, g),
        "randperm": lambda: R.randperm(n, np.int64, g), "bern": lambda: R.bernoulli(0.4, (n,), np.float32, g),
    }[op]()


@settings(max_examples=30, deadline=None)
@given(seed=SEEDS, program=st.lists(st.tuples(OPS, st.sampled_from([0, 1, 2, 3, 7, 15, 16, 17, 40])),
                                    min_size=1, max_size=8))
def test_interleaved_calls_stay_in_sync(seed, program):
    torch.manual_seed(seed)
    expected = [_run_torch(op, n, None) for op, n in program]
    expected_state = torch.get_rng_state().numpy().tobytes()
    R.manual_seed(seed)
    for (op, n), want in zip(program, expected, strict=True):
        assert_same_normal(_run_ours(op, n, None), want)
    assert R.get_rng_state().tobytes() == expected_state


@settings(max_examples=15, deadline=None)
@given(seed=SEEDS, program=st.lists(st.tuples(OPS, st.sampled_from([1, 3, 16, 17]), st.booleans()),
                                    min_size=1, max_size=8))
def test_explicit_generators_are_independent_of_the_default(seed, program):
    torch.manual_seed(123)
    R.manual_seed(123)
    tg, og = torch.Generator().manual_seed(seed), R.Generator().manual_seed(seed)
    for op, n, explicit in program:
        want = _run_torch(op, n, tg if explicit else None)
        assert_same_normal(_run_ours(op, n, og if explicit else None), want)
    assert og.get_state().tobytes() == tg.get_state().numpy().tobytes()
    assert R.get_rng_state().tobytes() == torch.get_rng_state().numpy().tobytes()


# ------------------------------------------------------------------------------------------------ state
@pytest.mark.parametrize("draws", [[], [("randn64", 3)], [("rand", 624)], [("rand", 623), ("randn", 1)],
                                   [("randn", 5), ("randperm", 30)], [("rand64", 700), ("randn", 1)]])
def test_get_state_bytes_match_torch(draws):
    tg, og = torch.Generator().manual_seed(77), R.Generator().manual_seed(77)
    for op, n in draws:
        _run_torch(op, n, tg)
        _run_ours(op, n, og)
    theirs = tg.get_state()
    ours = og.get_state()
    assert ours.dtype == np.uint8 and ours.shape == (R.STATE_SIZE,) == tuple(theirs.shape)
    assert ours.tobytes() == theirs.numpy().tobytes()


def test_set_state_round_trips_both_ways():
    tg = torch.Generator().manual_seed(31)
    torch.randn(3, dtype=torch.float64, generator=tg)  # leaves a cached normal
    og = R.Generator()
    assert og.set_state(tg.get_state().numpy()) is og
    assert og.initial_seed() == 31
    snapshot = og.get_state()
    assert_same_bits(R.normal((5,), np.float64, og), torch.randn(5, dtype=torch.float64, generator=tg))
    og.set_state(snapshot)
    tg.set_state(torch.from_numpy(snapshot))
    for op, n in [("randn", 1), ("rand", 700), ("randperm", 9), ("randn64", 17)]:
        assert_same_normal(_run_ours(op, n, og), _run_torch(op, n, tg))
    R.set_rng_state(og.get_state())
    torch.set_rng_state(tg.get_state())
    assert_same_bits(R.uniform((4,), np.float32), torch.rand(4))


def test_set_state_freshly_seeded_and_exhausted_states():
    for draws in (0, 624):
        tg = torch.Generator().manual_seed(9)
        torch.rand(draws, generator=tg)
        og = R.Generator().set_state(tg.get_state().numpy())
        assert og.get_state().tobytes() == tg.get_state().numpy().tobytes()
        assert_same_bits(R.uniform((3,), np.float32, og), torch.rand(3, generator=tg))


def test_set_state_errors():
    good = torch.Generator().manual_seed(1).get_state()
    invalid_left = good.clone()
    invalid_left[8:12] = torch.tensor([0, 0, 0, 0], dtype=torch.uint8)
    cases = [torch.zeros(5056, dtype=torch.uint8), torch.zeros(10, dtype=torch.uint8), invalid_left]
    for state in cases:
        assert_same_error(lambda s=state: torch.Generator().set_state(s),
                          lambda s=state: R.Generator().set_state(s.numpy()))
    assert_same_error(lambda: torch.Generator().set_state(torch.zeros(5056, dtype=torch.int8)),
                      lambda: R.Generator().set_state(np.zeros(5056, np.int8)))


def test_clone_state_and_pickle():
    og = R.Generator().manual_seed(17)
    R.normal((3,), np.float64, og)
    twin = og.clone_state()
    assert twin is not og and twin.initial_seed() == 17
    restored = pickle.loads(pickle.dumps(og))
    tg = torch.Generator().manual_seed(17)
    torch.randn(3, dtype=torch.float64, generator=tg)
    expected = torch.randn(5, dtype=torch.float64, generator=tg)
    for gen in (og, twin, restored):
        assert_same_bits(R.normal((5,), np.float64, gen), expected)


def _round_to_float32(exact) -> np.float32:
    """The float32 nearest to a Fraction, ties to even (the reference for a correctly rounded fma)."""
    from fractions import Fraction

    guess = np.float32(float(exact))
    candidates = [np.nextafter(guess, np.float32(-np.inf)), guess, np.nextafter(guess, np.float32(np.inf))]
    return min(candidates, key=lambda f: (abs(Fraction(float(f)) - exact), int(np.array(f).view(np.int32)) & 1))


@pytest.mark.parametrize("path", PATHS)
def test_fma32_is_correctly_rounded_including_double_rounding_ties(path):
    """``_fma`` on float32 (the AVX2 kernels' fused multiply-adds: ``exact.fma32`` emulated, ``llvm.fma``
    compiled) against exact rational arithmetic: random
    operands, and products that land exactly halfway between two floats with an addend too small for
    a double to keep (where ``a * b + c`` in double would round twice)."""
    from fractions import Fraction

    rng = np.random.default_rng(5)
    a = rng.standard_normal(2000).astype(np.float32)
    b = rng.standard_normal(2000).astype(np.float32)
    c = (rng.standard_normal(2000) * 10.0 ** rng.integers(-12, 3, 2000)).astype(np.float32)
    halfway = np.float32(1 + 2**-12)  # halfway * halfway = 1 + 2**-11 + 2**-24: a float32 midpoint
    tiny = np.array([2.0**-80, -(2.0**-80), 0.0, 2.0**-60], np.float32)
    a = np.concatenate([a, np.full(4, halfway)])
    b = np.concatenate([b, np.full(4, halfway)])
    c = np.concatenate([c, tiny])
    with kernel_path(path):
        got = R._fma(a, b, c)
    expected = [_round_to_float32(Fraction(float(x)) * Fraction(float(y)) + Fraction(float(z)))
                for x, y, z in zip(a, b, c)]
    assert got.tobytes() == np.array(expected, np.float32).tobytes()
