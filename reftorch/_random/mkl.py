"""Intel MKL's MCG31m1 engine and ``viRngBernoulli`` (ICDF), vectorised in NumPy.

What torch's MKL builds used for ``bernoulli_(float p)`` on Intel CPUs (aten/src/ATen/native/cpu/
DistributionKernels.cpp, ``bernoulli_scalar_kernel`` under ``AT_MKL_ENABLED()``; the mirrored torch 2.13
no longer has that path, see :mod:`reftorch._random.cpu`)::

    seed = generator->random();                         // one MT19937 word
    parallel_for(0, n, /*grain_size=*/800, [&](int64_t begin, int64_t end) {
      vslNewStream(&stream, VSL_BRNG_MCG31, seed);      // MKL_UINT seed: the low 32 bits
      vslSkipAheadStream(stream, begin);
      viRngBernoulli(VSL_RNG_METHOD_BERNOULLI_ICDF, stream, end - begin, out + begin, p);
    });

Because every chunk skips ahead to its own offset, the result is the first ``n`` Bernoulli draws of
one stream whatever the thread count, and this module computes it that way.

MCG31m1 (Intel oneMKL Vector Statistics Notes, "MCG31m1"): ``x[k+1] = a * x[k] mod m`` with
``a = 1132489760`` and ``m = 2**31 - 1``; ``vslNewStream`` sets ``x[0] = seed mod 0x7FFFFFFF`` and
``x[0] = 1`` if that is 0; the first output is ``x[0]`` itself; ``vslSkipAheadStream(k)`` moves to
``x[k] = a**k * x[0] mod m``. The integer output (``viRngUniformBits``) is ``x[k]``; the double
uniform (``vdRngUniform`` on [0, 1)) is ``x[k] * (1.0 / m)``.

``viRngBernoulli`` with ``VSL_RNG_METHOD_BERNOULLI_ICDF`` returns ``1`` exactly when a
*single-precision* uniform ``u[k] < (float)p`` (p rounded to nearest), else ``0``. MKL computes ``u``
differently on different CPUs (measured against MKL 2024.2, the version linked into torch's wheels,
with boundary probabilities at and beside each float ``u``):

* its AVX2 code (Intel CPUs with AVX2; observed under valgrind, whose CPUID is an Intel Haswell):
  ``u = (float)x * 2**-31`` (``(float)(1.0 / m)`` is ``2**-31``);
* its SSE4.2/generic code (Intel CPUs without AVX2, ``MKL_ENABLE_INSTRUCTIONS=SSE4_2``,
  ``MKL_CBWR=COMPATIBLE``, and any non-Intel CPU): ``u = (float)(x * (1.0 / m))``.

The two differ for about 1.4% of ``x`` and so for draws whose ``u`` lies next to ``(float)p``.
Both round ``x`` near ``m`` to ``u = 1.0``, so even ``p = 1`` gives 0 there, as MKL does.
MKL's AVX-512 code was not observed (valgrind does not emulate AVX-512).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "MCG31_A", "MCG31_M", "bernoulli_icdf", "mcg31_seed", "mcg31_skip", "mcg31_states", "uniform_double",
    "uniform_float",
]

MCG31_A = 1132489760
MCG31_M = 2**31 - 1
_M64 = np.uint64(MCG31_M)
_BLOCK = 4096  # states per row of the jump table: x0 * a**(BLOCK * j) * a**i
_KERNELS = ("avx2", "sse")


def mcg31_seed(seed: int) -> int:
    """``vslNewStream(VSL_BRNG_MCG31, seed)``: ``x0 = (seed mod 2**32) mod 0x7FFFFFFF``, 0 becomes 1."""
    x0 = (int(seed) & 0xFFFFFFFF) % MCG31_M
    return x0 or 1


def mcg31_skip(x: int, nskip: int) -> int:
    """``vslSkipAheadStream``: the state ``nskip`` draws after state ``x`` (``a**nskip * x mod m``)."""
    if nskip < 0:
        raise ValueError("nskip must be non-negative")
    return int(x) * pow(MCG31_A, int(nskip), MCG31_M) % MCG31_M


def _powers(multiplier: int, count: int) -> np.ndarray:
    """``multiplier**i mod m`` for ``i < count`` as uint64, by doubling (log2(count) vector steps)."""
    out = np.empty(max(count, 1), np.uint64)
    out[0] = 1
    filled = 1
    while filled < count:
        step = min(filled, count - filled)
        out[filled:filled + step] = out[:step] * np.uint64(pow(multiplier, filled, MCG31_M)) % _M64
        filled += step
    return out[:count]


_SMALL_POWERS = _powers(MCG31_A, _BLOCK)
_BLOCK_MULTIPLIER = pow(MCG31_A, _BLOCK, MCG31_M)


def mcg31_states(x0: int, count: int) -> np.ndarray:
    """``count`` successive MCG31m1 outputs ``x0, a*x0, a**2*x0, ... (mod m)`` as uint64.

    Products of two residues stay below 2**62, so the uint64 arithmetic is exact.
    """
    if count <= 0:
        return np.zeros(0, np.uint64)
    if not 0 < x0 < MCG31_M:
        raise ValueError(f"MCG31 state must lie in [1, 2**31 - 2], got {x0}")
    rows = -(-count // _BLOCK)
    starts = _powers(_BLOCK_MULTIPLIER, rows) * np.uint64(x0) % _M64
    if rows == 1:
        return starts[0] * _SMALL_POWERS[:count] % _M64
    return (starts[:, None] * _SMALL_POWERS[None, :] % _M64).reshape(-1)[:count]


def uniform_float(states: np.ndarray, kernel: str = "avx2") -> np.ndarray:
    """MKL's single-precision uniform on [0, 1) of MCG31 states (see the module docstring)."""
    if kernel == "avx2":
        return states.astype(np.int32).astype(np.float32) * np.float32(2.0**-31)
    if kernel == "sse":
        return (states.astype(np.float64) * (1.0 / MCG31_M)).astype(np.float32)
    raise ValueError(f"kernel must be one of {_KERNELS}, got {kernel!r}")


def uniform_double(states: np.ndarray) -> np.ndarray:
    """``vdRngUniform(VSL_RNG_METHOD_UNIFORM_STD, ..., 0, 1)`` of MCG31 states: ``x * (1.0 / m)``."""
    return states.astype(np.float64) * (1.0 / MCG31_M)


def bernoulli_icdf(seed: int, count: int, p: float, kernel: str = "avx2", skip: int = 0) -> np.ndarray:
    """``viRngBernoulli(VSL_RNG_METHOD_BERNOULLI_ICDF, stream, count, r, p)`` as int32 0/1 values.

    ``stream`` is ``vslNewStream(VSL_BRNG_MCG31, seed)`` advanced by ``vslSkipAheadStream(skip)``;
    ``kernel`` names MKL's uniform conversion (``"avx2"`` or ``"sse"``, module docstring).
    """
    x0 = mcg31_skip(mcg31_seed(seed), skip) if skip else mcg31_seed(seed)
    u = uniform_float(mcg31_states(x0, count), kernel)
    return (u < np.float32(p)).astype(np.int32)
