"""Discrete CPU streams of torch: ``Tensor.random_()``, ``random_(to)``, ``random_(from, to)`` and
``torch.poisson``, bit for bit with torch's ``CPUGeneratorImpl`` (see :mod:`reftorch._random`).

Sources mirrored (ATen, torch 2.13):

* ``native/DistributionTemplates.h``: ``random_impl`` (empty tensors return before the kernel),
  ``random_from_to_impl`` (its TensorIterator is built first, then ``from < to``, ``update_from`` /
  ``update_to`` for floating dtypes, ``check_from_to_in_range`` with its precision warning, and
  only then the empty-tensor return) and the three kernels' dispatch.
* ``native/cpu/DistributionTemplates.h``: ``random_kernel``, ``random_from_to_kernel`` and
  ``random_full_64_bits_range_kernel``, serial over the tensor in TensorIterator order.
* ``core/DistributionsHelper.h`` / ``core/TransformationHelper.h``: ``uniform_int_distribution``,
  ``uniform_int_from_to_distribution`` (``random64()`` once ``range >= 2**28``, the open-source
  build's threshold), ``uniform_int_full_range_distribution``.
* ``native/Distributions.cpp``: ``_s_poisson_cpu`` / ``sample_poisson`` (NumPy's legacy sampler:
  Knuth's product method below rate 10, Hoermann's transformed rejection from 10 up).

Words of the engine consumed per element (``random()`` is one 32-bit word, ``random64()`` two):

=================================  ==========================================================
``random_()``                      1 word; 2 for int64 and float64
``random_(from, to)`` / ``(to)``   1 word while ``to - from < 2**28``, else 2 (every dtype; floating
                                   dtypes narrow from/to first: float32 ``to=2**28`` is 1 word)
``random_(from, None)``            as ``random_(from, max + 1)``: ``range = max - from + 1``
``random_(int64 min, None)``       2 words (int64, float32, float64 only)
``poisson``                        0 for rate 0; ``2 * (X + 1)`` for rate in (0, 10) drawing X;
                                   4 per attempt of the rejection loop for rates >= 10
=================================  ==========================================================
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from . import (
    _FLOATS,
    Generator,
    _cast_from_int64,
    _check_random_bounds,
    _float_roundtrip,
    _numel,
    _resolve,
    _unit_double,
    _unsupported,
    randint,
    random64,
)
from .exact import c_double_function

__all__ = ["poisson", "random", "random_from_to", "random_to"]

_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1
_RANDOM64_RANGE = 1 << 28  # uniform_int_from_to_distribution: "allow approx 5% skew"

# random_kernel (AT_DISPATCH_ALL_TYPES_AND3(Half, BFloat16, Bool)): the modulus applied to the draw, and
# whether the draw is random64(). uniform_int: bool takes ``val & 1`` (== val % 2).
_RANDOM_MODULI: dict[str, tuple[int, bool]] = {
    "bool": (2, False), "uint8": (1 << 8, False), "int8": (1 << 7, False), "int16": (1 << 15, False),
    "int32": (1 << 31, False), "int64": (1 << 63, True),
    "float16": ((1 << 11) + 1, False), "float32": ((1 << 24) + 1, False), "float64": ((1 << 53) + 1, True),
}
# random_full_64_bits_range_kernel dispatches AT_DISPATCH_ALL_TYPES_AND(BFloat16) and then accepts only these.
_FULL_RANGE_TYPES = ("int64", "float32", "float64")
_FULL_RANGE_DISPATCHED = ("uint8", "int8", "int16", "int32")
_INTEGRAL_V2 = ("bool", "uint8", "int8", "int16", "int32", "int64", "uint16", "uint32", "uint64")


def random(shape: Sequence[int], array_dtype: np.dtype | type | str, generator: Generator | None = None,
           checked: Callable[[], None] | None = None) -> np.ndarray:
    """``Tensor.random_()`` values in C order (DistributionTemplates.h ``random_impl``).

    ``uniform_int_distribution`` (core/DistributionsHelper.h, core/TransformationHelper.h): bool is
    ``random() & 1``; uint8/int8/int16/int32 ``random() % (max + 1)``; int64 ``random64() % 2**63``;
    float16/float32 ``random() % (2**digits + 1)`` (so [0, 2048] and [0, 2**24]); float64
    ``random64() % (2**53 + 1)``. An empty tensor returns before anything else (no dtype check, no
    ``checked``); otherwise ``checked`` runs (the TensorIterator's output checks) and dtypes outside
    the kernel's dispatch (uint16/32/64, complex) raise ``NotImplementedError`` for
    ``random_kernel_cpu``.
    """
    dt = np.dtype(array_dtype)
    shape = tuple(shape)
    count = _numel(shape)
    if count == 0:
        return np.zeros(shape, dt)
    if checked is not None:
        checked()
    if dt.name not in _RANDOM_MODULI:
        raise _unsupported("random_kernel_cpu", dt)
    modulus, wide = _RANDOM_MODULI[dt.name]
    gen = _resolve(generator)
    raw = random64(count, gen) if wide else gen._words(count)
    values = (raw % np.uint64(modulus)).view(np.int64)
    return _cast_from_int64(values, dt).reshape(shape)


def random_to(to: int | None, shape: Sequence[int], array_dtype: np.dtype | type | str,
              generator: Generator | None = None, checked: Callable[[], None] | None = None) -> np.ndarray:
    """``Tensor.random_(to)``: ``random_(0, to)`` (Distributions.cpp), see :func:`random_from_to`."""
    return random_from_to(0, to, shape, array_dtype, generator, checked)


def random_from_to(low: int, high: int | None, shape: Sequence[int], array_dtype: np.dtype | type | str,
                   generator: Generator | None = None, checked: Callable[[], None] | None = None) -> np.ndarray:
    """``Tensor.random_(from, to)`` values in C order (DistributionTemplates.h ``random_from_to_impl``).

    ``from``/``to`` outside int64 raise the binding's ``ValueError``. Then, as in torch, ``checked``
    (the TensorIterator's output checks) runs *before* the argument checks, because
    ``random_from_to_impl`` builds its iterator first. Three cases follow:

    * ``to`` given: exactly ``randint(from, to)`` (:func:`reftorch._random.randint`): ``from < to``,
      ``update_from``/``update_to`` for floating dtypes, ``check_from_to_in_range`` (errors and the
      precision ``UserWarning``), then ``(w % range) + from`` cast to the dtype.
    * ``to=None`` and ``from != int64 min``: ``to_inc`` is the dtype's maximum (``2**digits`` for floating
      dtypes after ``update_from``, ``1`` for bool, ``-1`` -- ``UINT64_MAX`` as int64 -- for uint64, which
      fails the bounds check), ``range = to_inc - from + 1``. Complex dtypes raise torch's
      ``random_from_to_impl handles only ...`` error.
    * ``to=None`` and ``from == int64 min``: ``random_full_64_bits_range_kernel``, ``int64(random64())``
      cast to int64/float32/float64; an empty tensor returns first, then uint8/int8/int16/int32 raise
      ``RuntimeError`` and the other dtypes ``NotImplementedError``.

    Not reproducible: ``to=None`` with ``from == int64 max`` and a floating dtype never returns in torch
    (``update_from`` overflows ``from + 1`` and loops forever on a negative shift); this raises
    ``RuntimeError`` instead.
    """
    dt = np.dtype(array_dtype)
    shape = tuple(shape)
    low = _int64_argument(low)
    if high is not None:
        high = _int64_argument(high)
    count = _numel(shape)
    if checked is not None:
        checked()
    if high is not None:
        return randint(low, high, shape, dt, generator)
    if low == _INT64_MIN:
        return _full_range(shape, count, dt, generator)
    if dt.name in _FLOATS:
        to_inc = 1 << (np.finfo(dt).nmant + 1)
        low = _update_from(low, dt)
        if not low < to_inc:
            raise RuntimeError("random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' casted "
                               f"to dtype, but got from={low} > to_inc={to_inc}")
    elif dt.name in _INTEGRAL_V2:
        to_inc = 1 if dt == np.bool_ else int(np.iinfo(dt).max)
        if to_inc > _INT64_MAX:  # static_cast<int64_t>(UINT64_MAX)
            to_inc -= 1 << 64
    else:
        raise RuntimeError("random_from_to_impl handles only integral, floating-point and boolean types")
    _check_random_bounds(low, to_inc, dt)
    span = (to_inc - low + 1) % (1 << 64)
    gen = _resolve(generator)
    raw = random64(count, gen) if span >= _RANDOM64_RANGE else gen._words(count)
    values = (raw % np.uint64(span) + np.uint64(low % (1 << 64))).view(np.int64)
    return _cast_from_int64(values, dt).reshape(shape)


def _int64_argument(value: int) -> int:
    """An ``int`` argument as torch's binding unpacks it (``Overflow when unpacking long long``)."""
    value = int(value)
    if not _INT64_MIN <= value <= _INT64_MAX:
        raise ValueError("Overflow when unpacking long long")
    return value


def _update_from(low: int, dt: np.dtype) -> int:
    """``update_from<scalar_t>`` (DistributionTemplates.h): move ``from`` right to the next value that the
    dtype represents without rounding below it (x86 casts out-of-range floats to int64 min)."""
    if low == _INT64_MAX:
        raise RuntimeError(f"random_ from={low} with to=None for {dt.name}: torch never returns here (update_from "
                           "overflows from + 1 and loops forever), so reftorch refuses it")
    digits = np.finfo(dt).nmant + 1
    from_plus_1 = _float_roundtrip(low + 1, dt)
    if from_plus_1 < low:
        low = from_plus_1 + (1 << (abs(low + 1).bit_length() - 1 - digits + 1))
    return low


def _full_range(shape: tuple[int, ...], count: int, dt: np.dtype, generator: Generator | None) -> np.ndarray:
    """``random_full_64_bits_range_kernel``: ``static_cast<scalar_t>(static_cast<int64_t>(random64()))``."""
    if count == 0:
        return np.zeros(shape, dt)
    if dt.name not in _FULL_RANGE_TYPES:
        if dt.name in _FULL_RANGE_DISPATCHED:
            raise RuntimeError("random_full_64_bits_range_kernel_cpu handles only int64, double, float and bfloat16")
        raise _unsupported("random_full_64_bits_range_kernel_cpu", dt)
    values = random64(count, _resolve(generator)).view(np.int64)
    return values.astype(dt).reshape(shape)  # int64 -> float32/float64 rounds to nearest, as cvtsi2ss/sd


# -- poisson -------------------------------------------------------------------------------------------------
_lgamma = c_double_function("lgamma")  # std::lgamma in sample_poisson; CPython's math.lgamma is its own code


def _log(x: float) -> float:
    """``std::log`` for x >= 0 (``math.log`` calls libm ``log`` for positive finite x)."""
    return math.log(x) if x > 0.0 else -math.inf


def _to_int64(x: float) -> int:
    """``(int64_t)std::floor(x)`` on x86-64: NaN, infinities and out-of-range values give int64 min."""
    if math.isfinite(x):
        k = math.floor(x)
        if _INT64_MIN <= k <= _INT64_MAX:
            return k
    return _INT64_MIN


class _Uniforms:
    """``uniform_real_distribution<double>(0, 1)`` draws taken ahead in batches; ``settle`` leaves the
    generator exactly ``used`` draws after where it started (two words each)."""

    def __init__(self, gen: Generator, expected: int) -> None:
        self.gen = gen
        self.saved = gen._bitgen.state
        self.hint = gen._next_hint
        self.batch = max(64, expected // 8)
        self.values: list[float] = []
        self.extend(expected + 16)

    def extend(self, count: int) -> None:
        self.values.extend(_unit_double(self.gen, max(count, self.batch)).tolist())

    def settle(self, used: int) -> None:
        self.gen._bitgen.state = self.saved
        self.gen._next_hint = self.hint
        if used:
            self.gen._words(2 * used)


def _poisson_samples(gen: Generator, rates: list[float]) -> list[int]:
    """``sample_poisson`` (native/Distributions.cpp) for each rate in turn, sharing one uniform stream."""
    expected = sum(rate + 1.0 if rate < 10 else 2.5 for rate in rates if rate > 0)
    stream = _Uniforms(gen, int(min(expected, 1e8)))
    u = stream.values
    p = 0
    out: list[int] = []
    try:
        for lam in rates:
            if lam >= 10:  # transformed rejection method (Hoermann, 1993)
                slam = math.sqrt(lam)
                loglam = _log(lam)
                b = 0.931 + 2.53 * slam
                a = -0.059 + 0.02483 * b
                invalpha = 1.1239 + 1.1328 / (b - 3.4)
                vr = 0.9277 - 3.6224 / (b - 2)
                while True:
                    if p + 2 > len(u):
                        stream.extend(2)
                    big_u = u[p] - 0.5
                    v = u[p + 1]
                    p += 2
                    us = 0.5 - abs(big_u)
                    if us == 0.0:  # 2 * a / 0 = inf: k = int64 min < 0, rejected below in C
                        continue
                    k = _to_int64((2 * a / us + b) * big_u + lam + 0.43)
                    if us >= 0.07 and v <= vr:
                        break
                    if k < 0 or (us < 0.013 and v > us):
                        continue
                    if (_log(v) + _log(invalpha) - _log(a / (us * us) + b)) <= (
                            -lam + float(k) * loglam - _lgamma(float(k) + 1)):
                        break
                out.append(k)
            elif lam == 0:
                out.append(0)
            else:  # Knuth: multiply uniforms until the product drops to exp(-lambda)
                enlam = math.exp(-lam)
                x = 0
                prod = 1.0
                while True:
                    if p >= len(u):
                        stream.extend(1)
                    prod *= u[p]
                    p += 1
                    if prod > enlam:
                        x += 1
                    else:
                        break
                out.append(x)
    finally:
        stream.settle(p)
    return out


def poisson(rates: np.ndarray, generator: Generator | None = None) -> np.ndarray:
    """``torch.poisson(rates)`` (native/Distributions.cpp ``_s_poisson_cpu``): samples of ``rates``' dtype
    and shape, drawn element by element in C order (the order of the contiguous result).

    Each element is ``sample_poisson(double(rate))`` cast from int64 to the dtype (float16 through
    float, so counts past 65504 become inf, and the int64 min that x86 gives for infinite or huge
    rates becomes -9.2e18 or -inf). A negative or NaN rate raises torch's ``RuntimeError`` after the
    elements before it consumed their draws. Dtypes other than float16/32/64 raise
    ``NotImplementedError`` for ``poisson_cpu``, empty or not.
    """
    rates = np.asarray(rates)
    dt = rates.dtype
    if dt.name not in _FLOATS:
        raise _unsupported("poisson_cpu", dt)
    flat = rates.astype(np.float64).reshape(-1)  # C order; exact widening
    bad = np.flatnonzero(~(flat >= 0))
    stop = int(bad[0]) if bad.size else flat.size
    samples = _poisson_samples(_resolve(generator), flat[:stop].tolist()) if stop else []
    if bad.size:
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    return _cast_from_int64(np.array(samples, np.int64), dt).reshape(rates.shape)
