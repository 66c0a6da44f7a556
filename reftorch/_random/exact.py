"""Exact floating-point arithmetic and the C math library, as torch's CPU random kernels compute.

torch's kernels are C++ compiled with FMA contraction and calling the platform's libm, so reproducing
them bit for bit needs what NumPy lacks: correctly rounded fused multiply-adds in double (``std::fma``)
and float (the AVX2 kernels' ``_mm256_fmadd_ps``), and the C library's own ``log``/``sinf``/``lgamma``...
(NumPy's SIMD functions and CPython's ``math.lgamma`` differ from glibc's in the last bit).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import math
import sys
from collections.abc import Callable

import numpy as np

__all__ = ["LIBM", "c_double_function", "c_float_function", "c_math_library", "cos", "exp", "fma32", "fma64", "log",
           "log1p", "sin", "tan", "two_sum"]


# -- the C math library --------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def c_math_library() -> ctypes.CDLL | None:
    """The C library whose ``logf``/``sinf``/``cosf`` torch's DEFAULT kernels call (glibc's libm on Linux)."""
    candidates = [ctypes.util.find_library("m")]
    if sys.platform == "win32":
        candidates += ["ucrtbase", "msvcrt"]
    for name in candidates:
        if name:
            try:
                return ctypes.CDLL(name)
            except OSError:
                continue
    return None


@functools.cache
def c_float_function(name: str) -> Callable[[np.ndarray], np.ndarray]:
    """Elementwise C ``float name(float)`` from the platform libm (NumPy's float32 ufunc if none loads).

    NumPy's own float32 ``log``/``sin``/``cos`` are SIMD approximations that differ from glibc's
    ``logf``/``sinf``/``cosf`` in the last bit for ~10% of inputs, hence the per-element C calls.
    glibc's ``sincosf`` (what GCC emits for the ``std::sin``/``std::cos`` pair) returns exactly
    ``sinf`` and ``cosf``.
    """
    lib = c_math_library()
    fallback = {"logf": np.log, "sinf": np.sin, "cosf": np.cos}[name]
    if lib is None or not hasattr(lib, name):  # pragma: no cover - no C math library
        return lambda x: fallback(np.asarray(x, np.float32))
    fn = getattr(lib, name)
    fn.restype = ctypes.c_float
    fn.argtypes = [ctypes.c_float]
    ufunc = np.frompyfunc(fn, 1, 1)
    return lambda x: np.asarray(ufunc(np.asarray(x, np.float64)), np.float64).astype(np.float32)


def c_double_function(name: str, arity: int = 1) -> Callable[..., float]:
    """The C library's ``double name(double...)``, called per value through ctypes."""
    fn = getattr(c_math_library(), name)
    fn.restype = ctypes.c_double
    fn.argtypes = [ctypes.c_double] * arity
    return fn


def _elementwise(fn: Callable[[float], float]) -> Callable[[np.ndarray], np.ndarray]:
    """Elementwise C libm function (Python's math module), matching torch's std:: calls."""
    ufunc = np.frompyfunc(fn, 1, 1)
    return lambda x: np.asarray(ufunc(x), dtype=np.float64)


def _exp_scalar(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:  # glibc returns inf (math raises)
        return _c_exp(x)


_c_exp = c_double_function("exp")
log, log1p, cos, sin, exp = (_elementwise(f) for f in (math.log, math.log1p, math.cos, math.sin, _exp_scalar))
tan = _elementwise(c_double_function("tan"))
# The C library's double functions by name, elementwise on float64 arrays (where Python's math raises --
# log of 0 or of negatives, log1p of -1 or less -- callers avoid or patch the inputs).
LIBM: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "log": log, "log1p": log1p, "cos": cos, "sin": sin, "exp": exp, "tan": tan,
}


# -- exact arithmetic ----------------------------------------------------------------------------------------
_SPLITTER = 134217729.0  # 2**27 + 1


def two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _two_prod(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = a * b
    ca, cb = _SPLITTER * a, _SPLITTER * b
    ah, bh = ca - (ca - a), cb - (cb - b)
    al, bl = a - ah, b - bh
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


_c_fma_ufunc = np.frompyfunc(c_double_function("fma", 3), 3, 1)


def fma64(a: np.ndarray, b: float, c: float) -> np.ndarray:
    """``std::fma(a, b, c)`` in double, correctly rounded like glibc's ``fma``.

    Boldo & Melquiond's emulation (products and sums split exactly, the low part rounded to odd, then
    one rounding to nearest), valid away from overflow and underflow; the few elements outside that
    range (non-finite operands or results, magnitudes beyond 2**±900) call glibc's ``fma``.
    """
    a = np.asarray(a, np.float64)
    bb = np.full_like(a, b)
    cc = np.full_like(a, c)
    with np.errstate(all="ignore"):
        hi, lo = _two_prod(a, bb)
        th, tl = two_sum(cc, hi)
        s, err = two_sum(tl, lo)
        # round s to odd: when inexact and its last bit is even, take the neighbour on the side of err
        even = (s.view(np.uint64) & np.uint64(1)) == 0
        s = np.where((err != 0) & even, np.nextafter(s, np.where(err > 0, np.inf, -np.inf)), s)
        out = th + s
        big, tiny = 2.0 ** 900, 2.0 ** -900
        safe = ((np.abs(a) < big) & (abs(b) < big) & (abs(c) < big) & (np.abs(out) < big)
                & (np.abs(hi) > tiny) & (np.abs(out) > tiny))
        exact_product = (a == 0) | (b == 0)
        out = np.where(exact_product, hi + cc, out)
    rest = ~(safe | exact_product)
    if rest.any():
        out[rest] = np.asarray(_c_fma_ufunc(a[rest], b, c), dtype=np.float64)
    return out


_LOW29, _HALF29 = np.uint64((1 << 29) - 1), np.uint64(1 << 28)


def fma32(a: np.ndarray, b: np.ndarray | np.float32, c: np.ndarray | np.float32) -> np.ndarray:
    """Single-precision fused multiply-add, correctly rounded: the float32 product is exact in double,
    so ``a * b + c`` in double is off only by its addition's rounding, which matters only when that sum
    lands exactly halfway between two floats (a double rounding): those rare elements are corrected
    with the addition's exact error (the hot path is five array passes)."""
    p = np.multiply(a, b, dtype=np.float64)
    s = np.add(p, c, dtype=np.float64)
    halfway = np.bitwise_and(s.view(np.uint64), _LOW29) == _HALF29
    if halfway.any():
        at = np.flatnonzero(halfway)
        _, t = two_sum(p.reshape(-1)[at], np.broadcast_to(np.asarray(c, np.float64), p.shape).reshape(-1)[at])
        flat = s.reshape(-1)
        flat[at] = np.where(t != 0, np.nextafter(flat[at], np.copysign(np.inf, t)), flat[at])
    return s.astype(np.float32)
