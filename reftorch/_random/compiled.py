"""numba-compiled copies of the float kernels of :mod:`reftorch._random`, bit for bit the same.

What each kernel mirrors in torch is documented with its NumPy version in reftorch/_random/__init__.py
(``_log256``/``_sincos256``: avx_mathfun.h ``log256_ps``/``sincos256_ps`` with GCC's FMA contraction;
``_box_muller_16``: aten/src/ATen/native/cpu/DistributionKernels.cpp ``normal_fill_16_AVX2`` and
``normal_fill_16``; ``_unit_float``/``_unit_double``: the uniforms from the engine's words) and in
exact.py (``fma32``/``fma64``, ``LIBM``: the C library's double functions the per-element streams
call). Here the same float32/float64 operations run per element in one compiled pass instead of one
NumPy pass (or one Python call) per operation:

* no ``fastmath``: every operation rounds as written (LLVM neither contracts nor reassociates);
* each fused multiply-add of the kernel is ``llvm.fma`` -- IEEE's correctly rounded fma, the CPU's
  ``vfmadd`` (or the C library's ``fmaf``/``fma`` without FMA hardware) -- where the NumPy path
  emulates it (exact.py ``fma32``/``fma64``). Emulating it here too, per element in double with the
  double-rounding fix, measured 1.1 ns per fma per element (a 12-step Horner chain on 5e5 floats:
  6.5 ms, against 0.06 ms for ``llvm.fma``), more than torch's whole ``normal_`` takes;
* the C math library's functions (the DEFAULT kernel's ``logf``/``sinf``/``cosf``, the double
  ``log``/``log1p``/``sin``/``cos``/``exp``/``tan``) are called through ctypes pointers into the library that
  :func:`reftorch._random.exact.c_math_library` loads, the one torch calls.

Importing this module imports numba; :mod:`reftorch._random` does so lazily, at the first draw that
needs a float kernel, and keeps the NumPy path when numba is missing or ``REFTORCH_NO_NUMBA`` is set.
The kernels without C calls are cached on disk (``cache=True``); the libm-calling ones hold
process-specific function pointers, which numba cannot cache, and compile at their first call in a
process (a few tenths of a second each).
"""

from __future__ import annotations

import ctypes
import math

import numba
import numpy as np
from llvmlite import ir as llvmir
from numba import types
from numba.extending import intrinsic

from . import _COS_P, _DP, _FOUR_OVER_PI, _LOG_P, _LOG_Q1, _LOG_Q2, _SIN_P, _SQRTHF
from .exact import c_math_library

__all__ = ["box_muller_16", "box_muller_pairs", "fma", "libm", "log256", "sincos256", "unit_double", "unit_float"]

_LIBM = c_math_library()
if _LIBM is None:  # pragma: no cover - every supported platform has one
    raise ImportError("reftorch._random.compiled needs the C math library")


def _c_function(name: str, ctype: type, arity: int) -> ctypes._CFuncPtr:
    return ctypes.CFUNCTYPE(ctype, *[ctype] * arity)((name, _LIBM))


_logf, _sinf, _cosf = (_c_function(name, ctypes.c_float, 1) for name in ("logf", "sinf", "cosf"))
_log, _log1p, _sin, _cos = (_c_function(name, ctypes.c_double, 1) for name in ("log", "log1p", "sin", "cos"))


def _bitcast(source: types.Type, target: types.Type):
    """An intrinsic reinterpreting a scalar's bits as another type of the same width."""

    @intrinsic
    def cast(typingctx, value):
        if value != source:
            return None

        def codegen(context, builder, signature, args):
            return builder.bitcast(args[0], context.get_value_type(target))

        return target(source), codegen

    return cast


_f32_bits = _bitcast(types.float32, types.int32)
_bits_f32 = _bitcast(types.int32, types.float32)


@intrinsic
def _fma(typingctx, a, b, c):
    """``llvm.fma``: the correctly rounded fused multiply-add (LLVM's LangRef: the value libm's ``fma``
    returns), ``vfmadd`` on CPUs with FMA and a call to the C library's ``fmaf``/``fma`` elsewhere."""
    if not (a == b == c and a in (types.float32, types.float64)):
        return None

    def codegen(context, builder, signature, args):
        ty = context.get_value_type(a)
        fn = builder.module.declare_intrinsic("llvm.fma", [ty], llvmir.FunctionType(ty, [ty] * 3))
        return builder.call(fn, args)

    return a(a, a, a), codegen


_F0, _F1, _HALF, _NEG2 = np.float32(0.0), np.float32(1.0), np.float32(0.5), np.float32(-2.0)
_FLT_MIN = np.float32(np.finfo(np.float32).tiny)
_TWO_PI32 = np.float32(2.0 * math.pi)
_TWO_POW_M24 = np.float32(2.0**-24)
_LOG_P_ARRAY = np.array(_LOG_P, np.float32)


def _jit(function):
    """``numba.njit`` cached on disk where numba finds a writable place (compiled per process otherwise).
    numba's cache checks only this file: after changing a constant imported from ``__init__.py``,
    touch this file (or clear its ``__pycache__``) so cached kernels are rebuilt."""
    try:
        return numba.njit(cache=True)(function)
    except RuntimeError:  # "cannot cache function ...: no locator available"
        return numba.njit(function)


_inline = numba.njit(inline="always")


@_jit
def unit_float(words: np.ndarray) -> np.ndarray:
    """``_unit_float`` from its words: ``(w & 0xffffff) * 2**-24`` in float."""
    out = np.empty(words.size, np.float32)
    for i in range(words.size):
        out[i] = np.float32(np.int32(words[i] & 0xFFFFFF)) * _TWO_POW_M24
    return out


@_jit
def unit_double(words: np.ndarray) -> np.ndarray:
    """``_unit_double`` from its words: ``((first << 32 | second) & (2**53 - 1)) * 2**-53``."""
    out = np.empty(words.size // 2, np.float64)
    for i in range(out.size):
        out[i] = np.float64(((words[2 * i] & 0x1FFFFF) << 32) | words[2 * i + 1]) * 2.0**-53
    return out


@_jit
def _fma_arrays(a: np.ndarray, b: np.ndarray, c: np.ndarray, out: np.ndarray) -> None:
    for i in range(out.size):
        out[i] = _fma(a[i], b[i], c[i])


@_jit
def _fma_scalars(a: np.ndarray, b: float, c: float, out: np.ndarray) -> None:
    for i in range(out.size):
        out[i] = _fma(a[i], b, c)


def fma(a: np.ndarray, b: np.ndarray | float, c: np.ndarray | float) -> np.ndarray:
    """Correctly rounded ``fma(a, b, c)`` broadcast, in ``a``'s dtype (float32: ``exact.fma32``'s
    ``fmaf``; float64: ``exact.fma64``'s ``std::fma``)."""
    dtype = np.asarray(a).dtype
    operands = [np.asarray(v, dtype) for v in (a, b, c)]
    shape = np.broadcast_shapes(*(v.shape for v in operands))
    out = np.empty(shape, dtype)
    if operands[1].ndim == operands[2].ndim == 0:  # the streams' case: contiguous loops that vectorize
        _fma_scalars(np.ascontiguousarray(operands[0]).reshape(-1), operands[1][()], operands[2][()],
                     out.reshape(-1))
    else:
        _fma_arrays(*(np.broadcast_to(v, shape).reshape(-1) for v in operands), out.reshape(-1))
    return out


def _elementwise(function: ctypes._CFuncPtr):
    @numba.njit
    def apply(x: np.ndarray, out: np.ndarray) -> None:
        for i in range(x.size):
            out[i] = function(x[i])

    return apply


_LIBM_KERNELS = {name: _elementwise(_c_function(name, ctypes.c_double, 1))
                 for name in ("log", "log1p", "cos", "sin", "exp", "tan")}


def libm(name: str, x: np.ndarray) -> np.ndarray:
    """``exact.LIBM[name]`` (the C library's ``double name(double)``) on an array, called from compiled
    code: ``log``, ``log1p``, ``cos``, ``sin``, ``exp`` or ``tan``."""
    flat = np.ascontiguousarray(x, np.float64).reshape(-1)
    out = np.empty_like(flat)
    _LIBM_KERNELS[name](flat, out)
    return out.reshape(np.shape(x))


@_inline
def _log256_one(x: np.float32) -> np.float32:
    if x < _FLT_MIN:  # _mm256_max_ps(x, min_norm_pos), NaN kept as np.maximum keeps it
        x = _FLT_MIN
    bits = _f32_bits(x)
    e = np.float32(((bits >> 23) & 0xFF) - 0x7F) + _F1
    x = _bits_f32(np.int32((bits & ~0x7F800000) | 0x3F000000))
    small = x < _SQRTHF
    tmp = x if small else _F0
    x = x - _F1
    e = e - (_F1 if small else _F0)
    x = x + tmp
    z = x * x
    y = _LOG_P_ARRAY[0]
    for k in range(1, _LOG_P_ARRAY.size):
        y = _fma(y, x, _LOG_P_ARRAY[k])
    y = y * x
    y = _fma(y, z, e * _LOG_Q1)
    y = y - z * _HALF
    return _fma(e, _LOG_Q2, x + y)


@_inline
def _sincos256_one(x: np.float32) -> tuple[np.float32, np.float32]:
    sign_sin = _f32_bits(x) & np.int32(-0x80000000)
    x = np.abs(x)
    quadrant = (np.int32(x * _FOUR_OVER_PI) + 1) & ~1
    y = np.float32(quadrant)
    sign_sin = sign_sin ^ ((quadrant & 4) << 29)
    sign_cos = (~(quadrant - 2) & 4) << 29
    use_sin_poly = (quadrant & 2) == 0
    x = _fma(y, _DP[0], x)
    x = _fma(y, _DP[1], x)
    x = _fma(y, _DP[2], x)
    z = x * x
    c = _fma(_COS_P[0], z, _COS_P[1])
    c = _fma(c, z, _COS_P[2])
    c = _fma(c * z, z, -(z * _HALF)) + _F1
    s = _fma(_SIN_P[0], z, _SIN_P[1])
    s = _fma(s, z, _SIN_P[2])
    s = _fma(s * z, x, x)
    sin_from_s = s if use_sin_poly else _F0
    sin_from_c = _F0 if use_sin_poly else c
    sin_part = sin_from_c + sin_from_s
    cos_part = (c - sin_from_c) + (s - sin_from_s)
    return (_bits_f32(np.int32(_f32_bits(sin_part) ^ sign_sin)),
            _bits_f32(np.int32(_f32_bits(cos_part) ^ sign_cos)))


@_jit
def log256(x: np.ndarray) -> np.ndarray:
    """``_log256`` of a float32 array (any shape)."""
    flat = x.ravel()
    out = np.empty_like(flat)
    for i in range(flat.size):
        out[i] = _log256_one(flat[i])
    return out.reshape(x.shape)


@_jit
def sincos256(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_sincos256`` of a float32 array (any shape): (sin, cos)."""
    flat = x.ravel()
    sin_out, cos_out = np.empty_like(flat), np.empty_like(flat)
    for i in range(flat.size):
        sin_out[i], cos_out[i] = _sincos256_one(flat[i])
    return sin_out.reshape(x.shape), cos_out.reshape(x.shape)


@_jit
def _box_muller_avx2(u1: np.ndarray, u2: np.ndarray, mean: np.float32, std: np.float32,
                     cos_out: np.ndarray, sin_out: np.ndarray) -> None:
    for i in range(u1.size):
        radius = np.sqrt(_NEG2 * _log256_one(_F1 - u1[i]))
        sin_t, cos_t = _sincos256_one(_TWO_PI32 * u2[i])
        cos_out[i] = _fma(radius * cos_t, std, mean)
        sin_out[i] = _fma(radius * sin_t, std, mean)


@numba.njit
def _box_muller_default(u1: np.ndarray, u2: np.ndarray, mean: np.float32, std: np.float32,
                        cos_out: np.ndarray, sin_out: np.ndarray) -> None:
    for i in range(u1.size):
        radius = np.sqrt(_NEG2 * _logf(_F1 - u1[i]))
        theta = np.float32(np.float64(u2[i]) * (2.0 * math.pi))
        cos_out[i] = _fma(radius * _cosf(theta), std, mean)
        sin_out[i] = _fma(radius * _sinf(theta), std, mean)


@numba.njit
def _box_muller_double(u1: np.ndarray, u2: np.ndarray, mean: float, std: float,
                       cos_out: np.ndarray, sin_out: np.ndarray) -> None:
    for i in range(u1.size):
        radius = math.sqrt(-2.0 * _log(1.0 - u1[i]))
        theta = 2.0 * math.pi * u2[i]
        cos_out[i] = _fma(radius * _cos(theta), std, mean)
        sin_out[i] = _fma(radius * _sin(theta), std, mean)


@numba.njit
def _box_muller_pairs(u: np.ndarray, out: np.ndarray) -> None:
    for k in range(u.size // 2):
        radius = math.sqrt(-2.0 * _log1p(-u[2 * k + 1]))
        theta = 2.0 * math.pi * u[2 * k]
        out[2 * k] = radius * _cos(theta)
        out[2 * k + 1] = radius * _sin(theta)


def box_muller_pairs(u: np.ndarray) -> np.ndarray:
    """``reftorch._random._box_muller_pairs`` of an even number of double uniforms."""
    u = np.ascontiguousarray(u, np.float64)
    out = np.empty_like(u)
    _box_muller_pairs(u, out)
    return out


@_jit
def _split_rows(blocks: np.ndarray, u1: np.ndarray, u2: np.ndarray) -> None:
    """``u1``/``u2``: the first/last 8 of each row of 16, contiguous, so the kernels' loops vectorize."""
    for r in range(blocks.shape[0]):
        for j in range(8):
            u1[r * 8 + j] = blocks[r, j]
            u2[r * 8 + j] = blocks[r, j + 8]


@_jit
def _join_rows(cos_out: np.ndarray, sin_out: np.ndarray, out: np.ndarray) -> None:
    for r in range(out.shape[0]):
        for j in range(8):
            out[r, j] = cos_out[r * 8 + j]
            out[r, j + 8] = sin_out[r * 8 + j]


def box_muller_16(blocks: np.ndarray, mean: float, std: float, avx2: bool = True) -> np.ndarray:
    """``reftorch._random._box_muller_16`` on rows of 16 float32 or float64 uniforms."""
    half = blocks.shape[0] * 8
    u1, u2, cos_out, sin_out = (np.empty(half, blocks.dtype) for _ in range(4))  # distinct: no aliasing
    _split_rows(blocks, u1, u2)
    if blocks.dtype == np.float64:
        _box_muller_double(u1, u2, float(mean), float(std), cos_out, sin_out)
    else:
        kernel = _box_muller_avx2 if avx2 else _box_muller_default
        kernel(u1, u2, np.float32(mean), np.float32(std), cos_out, sin_out)
    out = np.empty_like(blocks)
    _join_rows(cos_out, sin_out, out)
    return out
