"""Differential tests of reftorch._random.discrete (``random_``, ``random_(to)``, ``random_(from, to)``,
``torch.poisson``) against torch's CPU generator: values byte for byte, the words consumed (the next
draws and the generator state bytes), errors and warnings. Every expected value comes from torch."""

from __future__ import annotations

import math
import re
import subprocess
import sys
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from random_oracle import TORCH_DTYPES

from reftorch import _random as R
from reftorch._random import discrete as D

ALL_DTYPES = list(TORCH_DTYPES)
FLOATS = [np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64)]
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

SEEDS = st.one_of(st.sampled_from([0, 1, 2**32 - 1, 2**32 + 7, 2**64 - 1]), st.integers(0, 2**64 - 1))
SHAPES = st.sampled_from([(0,), (1,), (2,), (7,), (3, 5), (2, 0, 3), (33,), ()])
FAST = settings(max_examples=35, deadline=None)
OVERLAP = ("unsupported operation: more than one element of the written-to tensor refers to a single memory "
           "location. Please clone() the tensor before performing the operation.")


# ------------------------------------------------------------------------------------------------ helpers
def run(call: Callable[[], Any]) -> tuple[Any, BaseException | None, list[str]]:
    """(result, exception, warning messages) of ``call``; torch's "(Triggered internally ...)" suffix is cut."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result, error = call(), None
        except Exception as exc:  # noqa: BLE001 - the exception is the observable
            result, error = None, exc
    messages = [re.sub(r" \(Triggered internally at .*\)$", "", str(w.message), flags=re.S) for w in caught]
    return result, error, messages


def assert_same_outcome(torch_call: Callable[[], torch.Tensor], our_call: Callable[[], np.ndarray],
                        seed: int) -> None:
    """Same values (bytes, dtype, shape) or same error (type, text), same warnings, and the same generator
    afterwards: the next draws and the state bytes of an explicit generator seeded ``seed``."""
    theirs_gen, ours_gen = torch.Generator().manual_seed(seed), R.Generator().manual_seed(seed)
    theirs, their_error, their_warnings = run(lambda: torch_call(theirs_gen))
    ours, our_error, our_warnings = run(lambda: our_call(ours_gen))
    if their_error is not None:
        assert type(our_error) is type(their_error), (our_error, their_error)
        assert str(our_error) == str(their_error)
    else:
        assert our_error is None, our_error
        expected = theirs.numpy()
        assert ours.dtype == expected.dtype and ours.shape == expected.shape
        assert ours.flags.c_contiguous
        assert ours.tobytes() == expected.tobytes(), (ours, expected)
    assert our_warnings == their_warnings
    assert ours_gen.get_state().tobytes() == theirs_gen.get_state().numpy().tobytes()
    follow = torch.rand(3, dtype=torch.float64, generator=theirs_gen).numpy()
    assert R.uniform((3,), np.float64, ours_gen).tobytes() == follow.tobytes()


def filled(dtype: np.dtype, shape: tuple[int, ...], fill: Callable[[torch.Tensor], Any]):
    """A torch call drawing into a fresh tensor with the given generator."""
    def call(gen: torch.Generator) -> torch.Tensor:
        t = torch.empty(shape, dtype=TORCH_DTYPES[np.dtype(dtype)])
        fill(t, gen)
        return t
    return call


# -------------------------------------------------------------------------------------------- random_()
@FAST
@given(seed=SEEDS, shape=SHAPES, dtype=st.sampled_from(ALL_DTYPES))
def test_random_matches_torch(seed, shape, dtype):
    assert_same_outcome(filled(dtype, shape, lambda t, g: t.random_(generator=g)),
                        lambda g: D.random(shape, dtype, g), seed)


# words of the engine per element: torch's state after the draw equals its state after that many random() words
WORDS = [("random", np.bool_, 1), ("random", np.uint8, 1), ("random", np.int8, 1), ("random", np.int16, 1),
         ("random", np.int32, 1), ("random", np.int64, 2), ("random", np.float16, 1), ("random", np.float32, 1),
         ("random", np.float64, 2), ("to=5", np.int64, 1), ("to=5", np.float64, 1), ("to=2**28-1", np.int64, 1),
         ("to=2**28", np.int32, 2), ("to=2**28", np.float64, 2),
         ("to=2**28", np.float32, 1),  # update_to narrows float32's to=2**28 to 2**28 - 16: below 2**28
         ("from=0,None", np.int32, 2),
         ("from=0,None", np.uint16, 1), ("from=0,None", np.float16, 1), ("from=0,None", np.float32, 1),
         ("from=0,None", np.float64, 2), ("full", np.int64, 2), ("full", np.float32, 2), ("full", np.float64, 2)]


@pytest.mark.parametrize(("mode", "dtype", "words"), WORDS)
def test_words_per_element(mode, dtype, words):
    fills = {"random": lambda t, g: t.random_(generator=g), "to=5": lambda t, g: t.random_(5, generator=g),
             "to=2**28-1": lambda t, g: t.random_(2**28 - 1, generator=g),
             "to=2**28": lambda t, g: t.random_(2**28, generator=g),
             "from=0,None": lambda t, g: t.random_(0, None, generator=g),
             "full": lambda t, g: t.random_(INT64_MIN, None, generator=g)}
    n = 13
    drawn = torch.Generator().manual_seed(4)
    _, error, _ = run(lambda: filled(dtype, (n,), fills[mode])(drawn))  # (float32 to=2**28 warns)
    assert error is None
    reference = torch.Generator().manual_seed(4)
    torch.empty(n * words, dtype=torch.int32).random_(generator=reference)  # one random() word each
    assert drawn.get_state().equal(reference.get_state())
    ours = R.Generator().manual_seed(4)
    if mode == "random":
        D.random((n,), dtype, ours)
    else:
        low, high = {"to=5": (0, 5), "to=2**28-1": (0, 2**28 - 1), "to=2**28": (0, 2**28),
                     "from=0,None": (0, None), "full": (INT64_MIN, None)}[mode]
        _, error, _ = run(lambda: D.random_from_to(low, high, (n,), dtype, ours))
        assert error is None
    assert ours.get_state().tobytes() == drawn.get_state().numpy().tobytes()


# ------------------------------------------------------------------------------------ random_(to), (from, to)
TOS = st.sampled_from([1, 2, 3, 5, 100, 128, 129, 256, 2**11 + 1, 2**15, 2**16, 2**24 + 1, 2**28 - 1, 2**28, 2**31,
                       2**32, 2**32 + 1, 2**40, 2**53 + 1, 2**62, INT64_MAX, 0, -3, None])


@FAST
@given(seed=SEEDS, shape=SHAPES, dtype=st.sampled_from(ALL_DTYPES), to=TOS)
def test_random_to_matches_torch(seed, shape, dtype, to):
    if to is None:
        fill = filled(dtype, shape, lambda t, g: t.random_(0, None, generator=g))
    else:
        fill = filled(dtype, shape, lambda t, g: t.random_(to, generator=g))
    assert_same_outcome(fill, lambda g: D.random_to(to, shape, dtype, g), seed)


FROMS = st.sampled_from([INT64_MIN, INT64_MIN + 1, -(2**62), -(2**40), -(2**25), -70000, -3000, -129, -1, 0, 1, 5,
                         127, 255, 2047, 2048, 2**24, 2**31, 2**53, 2**62, INT64_MAX - 1])


@FAST
@given(seed=SEEDS, shape=SHAPES, dtype=st.sampled_from(ALL_DTYPES), low=FROMS, high=TOS)
def test_random_from_to_matches_torch(seed, shape, dtype, low, high):
    fill = filled(dtype, shape, lambda t, g: t.random_(low, high, generator=g))
    assert_same_outcome(fill, lambda g: D.random_from_to(low, high, shape, dtype, g), seed)


@FAST
@given(seed=SEEDS, dtype=st.sampled_from(ALL_DTYPES), low=FROMS)
def test_random_from_to_none_matches_torch(seed, dtype, low):
    """``to=None``: up to the dtype's maximum, or the full 64-bit kernel for ``from`` = int64 min."""
    fill = filled(dtype, (9,), lambda t, g: t.random_(low, None, generator=g))
    assert_same_outcome(fill, lambda g: D.random_from_to(low, None, (9,), dtype, g), seed)


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize(("low", "high"), [(INT64_MIN, None), (0, None), (-1, None), (2**62, None), (0, 1),
                                           (-(2**63), INT64_MAX), (2**62, 2**62 + 1), (0, 2**32)])
@pytest.mark.parametrize("shape", [(0,), (2, 0)])
def test_zero_size_checks_still_apply(dtype, low, high, shape):
    """Empty tensors: the bounds checks and warnings run, the kernels' dtype checks do not."""
    fill = filled(dtype, shape, lambda t, g: t.random_(low, high, generator=g))
    assert_same_outcome(fill, lambda g: D.random_from_to(low, high, shape, dtype, g), 17)


@pytest.mark.parametrize(("low", "high", "dtype"), [
    (0, 5, np.bool_), (2, 5, np.bool_), (0, None, np.uint64), (5, None, np.uint64), (70000, None, np.float16),
    (-70000, None, np.float16), (3000, None, np.float16), (2048, None, np.float16), (2**24, None, np.float32),
    (2**53, None, np.float64), (-200, None, np.int8), (300, None, np.uint8), (0, 3, np.complex64),
    (0, None, np.complex64), (INT64_MIN, None, np.complex64), (INT64_MIN, None, np.bool_),
    (INT64_MIN, None, np.float16), (INT64_MIN, None, np.uint16), (INT64_MIN, None, np.uint32),
    (INT64_MIN, None, np.uint64), (INT64_MIN, None, np.int8), (INT64_MIN, None, np.uint8),
    (INT64_MIN, None, np.int16), (INT64_MIN, None, np.int32), (0, 0, np.int64), (0, -3, np.float32),
    (2**63, None, np.int64), (INT64_MIN - 1, 5, np.int64), (0, 2**63, np.int64), (1, 2, np.float16),
    (2**62, 2**62 + 1, np.float32),
])
def test_random_from_to_errors_and_warnings(low, high, dtype):
    fill = filled(dtype, (4,), lambda t, g: t.random_(low, high, generator=g))
    assert_same_outcome(fill, lambda g: D.random_from_to(low, high, (4,), dtype, g), 5)


@pytest.mark.parametrize(("low", "dtype"), [(-3000, np.float16), (-(2**40), np.float32), (-(2**62), np.float64),
                                            (INT64_MAX - 1, np.float32), (INT64_MAX - 1, np.float64)])
def test_to_none_precision_warnings(low, dtype):
    _, error, messages = run(lambda: torch.empty(3, dtype=TORCH_DTYPES[np.dtype(dtype)]).random_(low, None))
    assert error is None and len(messages) == 1  # the case warns in torch
    fill = filled(dtype, (6,), lambda t, g: t.random_(low, None, generator=g))
    assert_same_outcome(fill, lambda g: D.random_from_to(low, None, (6,), dtype, g), 23)


def test_full_range_kernel_values_reach_both_ends():
    """int64 min with to=None: every bit of random64() (values >= 2**63 become negative int64s)."""
    gen = torch.Generator().manual_seed(77)
    expected = torch.empty(200, dtype=torch.int64).random_(INT64_MIN, None, generator=gen)
    assert (expected < 0).any() and (expected > 2**62).any()
    ours = D.random_from_to(INT64_MIN, None, (200,), np.int64, R.Generator().manual_seed(77))
    assert ours.tobytes() == expected.numpy().tobytes()


@pytest.mark.parametrize(("call", "fill", "tdt"), [
    (lambda c: D.random_from_to(5, 2, (4,), np.float32, None, c), lambda t: t.random_(5, 2), torch.float32),
    (lambda c: D.random_to(0, (4,), np.float32, None, c), lambda t: t.random_(0), torch.float32),
    (lambda c: D.random_from_to(70000, None, (4,), np.float16, None, c), lambda t: t.random_(70000, None),
     torch.float16),
    (lambda c: D.random_from_to(INT64_MIN, None, (4,), np.bool_, None, c), lambda t: t.random_(INT64_MIN, None),
     torch.bool),
    (lambda c: D.random((4,), np.uint16, None, c), lambda t: t.random_(), torch.uint16),
])
def test_output_checks_come_first(call, fill, tdt):
    """random_from_to_impl builds its TensorIterator (the output checks: ``checked``) before checking the
    arguments; random_impl before the kernel's dtype dispatch. An expanded tensor shows torch's order."""
    _, error, _ = run(lambda: fill(torch.zeros(1, dtype=tdt).expand(4)))
    assert isinstance(error, RuntimeError) and str(error) == OVERLAP

    def overlap() -> None:
        raise RuntimeError(OVERLAP)
    _, error, _ = run(lambda: call(overlap))
    assert isinstance(error, RuntimeError) and str(error) == OVERLAP


def test_checked_is_skipped_for_empty_random_and_runs_once_otherwise():
    calls: list[int] = []
    assert D.random((0, 3), np.uint16, None, lambda: calls.append(1)).shape == (0, 3)
    assert calls == [] and torch.empty(0, 3, dtype=torch.uint16).random_().shape == (0, 3)
    D.random((2,), np.int64, None, lambda: calls.append(2))
    D.random_from_to(0, None, (0,), np.int64, None, lambda: calls.append(3))
    assert calls == [2, 3]


def test_int64_max_from_with_to_none_on_floats_hangs_in_torch():
    """Not reproducible: torch loops forever in update_from (``from + 1`` overflows); reftorch raises.
    The oracle is run in a subprocess and must still be running after its call has had a second."""
    code = ("import sys, torch\nprint('ready', flush=True)\n"
            f"torch.empty(2, dtype=torch.float32).random_({INT64_MAX}, None)\nprint('returned', flush=True)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=1.0)
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    for dtype in FLOATS:
        with pytest.raises(RuntimeError, match="torch never returns"):
            D.random_from_to(INT64_MAX, None, (2,), dtype)
    # integral dtypes are fine: a one-value range
    assert_same_outcome(filled(np.int64, (3,), lambda t, g: t.random_(INT64_MAX, None, generator=g)),
                        lambda g: D.random_from_to(INT64_MAX, None, (3,), np.int64, g), 2)


def test_randint_still_works():
    torch.manual_seed(31)
    expected = torch.randint(-7, 2**33, (5, 2))
    R.manual_seed(31)
    assert R.randint(-7, 2**33, (5, 2)).tobytes() == expected.numpy().tobytes()


# --------------------------------------------------------------------------------------------- poisson
RATES = st.one_of(st.sampled_from([0.0, 1e-3, 0.5, 3.0, 9.999, 10.0, 10.5, 25.0, 100.0, 1e4, 1e9, 65504.0, 70000.0,
                                   float("inf")]),
                  st.floats(0.0, 60.0))


def _poisson_call(rates: np.ndarray):
    def call(gen: torch.Generator) -> torch.Tensor:
        return torch.poisson(torch.from_numpy(rates.copy()), generator=gen)
    return call


@FAST
@given(seed=SEEDS, dtype=st.sampled_from(FLOATS), rates=st.lists(RATES, max_size=40),
       shape=st.sampled_from([None, (2, -1), (-1, 1)]))
def test_poisson_matches_torch(seed, dtype, rates, shape):
    if shape is not None and len(rates) % 2:
        rates = rates + [4.0]
    with np.errstate(over="ignore"):
        array = np.array(rates, np.float64).astype(dtype)
    if shape is not None:
        array = array.reshape(shape)
    assert_same_outcome(_poisson_call(array), lambda g: D.poisson(array.copy(), g), seed)


@pytest.mark.parametrize("dtype", FLOATS)
def test_poisson_many_rates_both_methods(dtype):
    """Knuth's product below rate 10, the transformed rejection (all its branches, lgamma too) from 10 up."""
    rng = np.random.default_rng(5)
    with np.errstate(over="ignore"):
        rates = np.concatenate([rng.random(300) * 10, 10 + rng.random(300) * 40, rng.random(100) * 1e5,
                                [0.0, 10.0, 1e12, np.inf]]).astype(dtype)
    rng.shuffle(rates)
    assert_same_outcome(_poisson_call(rates.reshape(4, -1)), lambda g: D.poisson(rates.reshape(4, -1), g), 99)


def test_poisson_huge_and_infinite_rates_give_int64_min():
    """x86 turns the NaN/inf/overflowing floor into int64 min; float16 counts past 65504 become inf."""
    gen = torch.Generator().manual_seed(1)
    expected = torch.poisson(torch.tensor([np.inf, 1e30, 1e300, 60000.0, 1e5], dtype=torch.float64), generator=gen)
    assert (expected[:3] == INT64_MIN).all()
    with np.errstate(over="ignore"):
        rates16 = np.array([60000.0, 70000.0, 1e5]).astype(np.float16)  # 70000 and 1e5 are inf
    assert_same_outcome(_poisson_call(rates16), lambda g: D.poisson(rates16.copy(), g), 1)
    rates = np.array([np.inf, 1e30, 1e300, 60000.0, 1e5])
    assert_same_outcome(_poisson_call(rates), lambda g: D.poisson(rates.copy(), g), 1)


def test_poisson_rate_zero_draws_nothing():
    zeros = np.zeros((3, 4), np.float32)
    assert_same_outcome(_poisson_call(zeros), lambda g: D.poisson(zeros, g), 8)
    fresh = torch.Generator().manual_seed(8)
    torch.poisson(torch.zeros(3, 4), generator=fresh)
    assert fresh.get_state().equal(torch.Generator().manual_seed(8).get_state())


def test_poisson_noncontiguous_and_scalar_rates():
    """The result is contiguous, so the draws go in C order of the shape whatever the input's strides."""
    base = np.arange(12, dtype=np.float64).reshape(3, 4) * 2.5
    gen = torch.Generator().manual_seed(3)
    expected = torch.poisson(torch.from_numpy(base).t(), generator=gen)
    assert D.poisson(base.T, R.Generator().manual_seed(3)).tobytes() == expected.contiguous().numpy().tobytes()
    scalar = np.array(3.0, np.float32)
    assert_same_outcome(_poisson_call(scalar), lambda g: D.poisson(scalar, g), 4)


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("-inf"), -0.0])
@pytest.mark.parametrize("dtype", FLOATS)
def test_poisson_invalid_rate_after_earlier_draws(bad, dtype):
    """The check is per element inside the kernel: elements before it have drawn (-0.0 is a valid rate)."""
    rates = np.array([2.0, 15.0, 0.0, bad, 3.0], dtype)
    assert_same_outcome(_poisson_call(rates), lambda g: D.poisson(rates, g), 12)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.bool_, np.uint8, np.complex64])
@pytest.mark.parametrize("shape", [(3,), (0,)])
def test_poisson_unsupported_dtypes(dtype, shape):
    rates = np.ones(shape, dtype)
    assert_same_outcome(_poisson_call(rates), lambda g: D.poisson(rates, g), 0)


def test_poisson_default_generator_keeps_the_cached_normal():
    """The draws come from the default generator; its cached Box-Muller sample survives the call."""
    rates = np.array([0.5, 4.0, 12.0, 300.0])
    torch.manual_seed(21)
    first = torch.randn(1, dtype=torch.float64)  # caches the second sample of the pair
    expected = torch.poisson(torch.from_numpy(rates))
    cached = torch.randn(1, dtype=torch.float64)
    follow = torch.rand(2)
    R.manual_seed(21)
    assert R.normal((1,), np.float64).tobytes() == first.numpy().tobytes()
    assert D.poisson(rates).tobytes() == expected.numpy().tobytes()
    assert R.normal((1,), np.float64).tobytes() == cached.numpy().tobytes()
    assert R.uniform((2,), np.float32).tobytes() == follow.numpy().tobytes()


def test_poisson_rejection_uses_glibc_lgamma():
    """For rates ~1e13..1e15 the acceptance test ``log(V) + ... <= -lam + k log(lam) - lgamma(k + 1)`` cancels
    to within lgamma's last bits, so CPython's own ``math.lgamma`` (differing from glibc's by up to a few ulps
    there) would flip many outcomes; the values and the draws consumed must follow torch's std::lgamma."""
    rates = np.array([1e13, 1e14, 1e15, 3e15] * 30)
    assert_same_outcome(_poisson_call(rates), lambda g: D.poisson(rates, g), 3)


def test_poisson_knuth_stops_when_the_product_equals_exp_minus_rate():
    """``prod > exp(-rate)`` is strict: a rate whose exp(-rate) is exactly the first uniform samples 0."""
    u0 = torch.rand(1, dtype=torch.float64, generator=torch.Generator().manual_seed(0)).item()
    candidates = [-math.log(u0)]
    for _ in range(3):
        candidates += [float(np.nextafter(candidates[-1], 0)), float(np.nextafter(candidates[0], 1))]
    rate = next(r for r in candidates if math.exp(-r) == u0)  # glibc exp, like torch's std::exp
    rates = np.array([rate, rate])
    gen = torch.Generator().manual_seed(0)
    assert torch.poisson(torch.from_numpy(rates), generator=gen)[0] == 0
    assert_same_outcome(_poisson_call(rates), lambda g: D.poisson(rates, g), 0)
