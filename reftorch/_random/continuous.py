"""Per-element CPU distributions, bit for bit with torch's CPU generator.

Sources mirrored (torch 2.13, x86-64 AVX2 build, GCC 13 with FMA contraction):

* aten/src/ATen/native/DistributionTemplates.h -- argument checks (``exponential_impl_``,
  ``cauchy_impl_``, ``log_normal_impl_``, ``geometric_impl_``): parameter check, then
  ``CHECK_EMPTY_AND_RETURN``, then the TensorIterator (the ``checked`` callback here), then the kernel.
* aten/src/ATen/native/cpu/DistributionTemplates.h -- the kernels: one ``cpu_serial_kernel`` pass
  in iteration order drawing ``at::<name>_distribution<double>`` per element, the double result cast
  with ``static_cast<scalar_t>`` (``c10::Half`` from a double goes through float). The installed
  build runs this default code for ``exponential_`` (the MKL ``vdRngExponential`` route of some
  versions is compiled only under ``FBCODE_CAFFE2``): one double uniform per element, checked by
  counting the words consumed.
* aten/src/ATen/core/DistributionsHelper.h and TransformationHelper.h -- the formulas, in double:
  ``exponential = -1.0 / lambda * log1p(-u)``, ``cauchy = fma(sigma, tan(pi * (u - 0.5)), median)``
  (GCC contracts ``median + sigma * tan(...)``), ``geometric = ceil(log(u) / log1p(-p))``,
  ``log_normal = exp(fma(z, std, mean))`` with ``z`` from ``normal_distribution<double>`` (the
  cached Box-Muller pair shared with ``randn``). ``u`` is ``uniform_real_distribution<double>(0, 1)``
  (53 bits of ``random64()``: two words).

Words consumed: ``exponential``/``cauchy``/``geometric``: 2 per element. ``log_normal``: 4 per
Box-Muller pair, a pending cached sample used first and an odd leftover cached (like ``randn`` on
fewer than 16 elements).

libm calls go to the C library torch calls (glibc): through Python's ``math`` functions where they
cannot raise (``log1p`` on (-1, 0], ``log`` on (0, 1), ``exp`` short of overflow), through ctypes
otherwise; ``std::fma`` is emulated exactly (see ``_fma``). Every value, the words consumed and the
errors were checked equal to the installed torch (tests/test_random_continuous.py); nothing here is
approximate. What ties this to that build: glibc's libm, and x86-64's ``cvttsd2si`` for out-of-range
integer results of ``geometric_``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
from collections.abc import Callable, Sequence

import numpy as np

from . import (
    _FLOATS,
    _META_NAMES,
    _SCALAR_NAMES,
    Generator,
    _fmt,
    _log,
    _log1p,
    _normal_scalar,
    _numel,
    _resolve,
    _unit_double,
    _unsupported,
)

__all__ = ["cauchy", "exponential", "geometric", "log_normal"]

_LIBM = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")


def _c_function(name: str, arity: int) -> Callable[..., float]:
    fn = getattr(_LIBM, name)
    fn.restype = ctypes.c_double
    fn.argtypes = [ctypes.c_double] * arity
    return fn


_c_exp = _c_function("exp", 1)
_c_fma = _c_function("fma", 3)
_c_tan = _c_function("tan", 1)

# caffe2::TypeMeta names that reftorch._random's table leaves out (cauchy_ prints self.dtype()).
_TYPE_META = {**_META_NAMES, "complex64": "c10::complex<float>", "complex128": "c10::complex<double>"}
_GEOMETRIC_TYPES = ("uint8", "int8", "int16", "int32", "int64") + _FLOATS


def _scalar_name(dt: np.dtype) -> str:
    return _SCALAR_NAMES.get(dt.name, dt.name)


def _exp_scalar(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:  # glibc returns inf (math raises)
        return _c_exp(x)


_exp_ufunc = np.frompyfunc(_exp_scalar, 1, 1)
_tan_ufunc = np.frompyfunc(_c_tan, 1, 1)
_fma_ufunc = np.frompyfunc(_c_fma, 3, 1)


def _exp(x: np.ndarray) -> np.ndarray:
    return np.asarray(_exp_ufunc(x), dtype=np.float64)


def _tan(x: np.ndarray) -> np.ndarray:
    return np.asarray(_tan_ufunc(x), dtype=np.float64)


def _log_with_zero(x: np.ndarray) -> np.ndarray:
    """glibc ``log`` on [0, 1): ``log(0) = -inf`` (Python's ``math.log`` raises there)."""
    zero = x == 0
    out = _log(np.where(zero, 1.0, x))
    out[zero] = -np.inf
    return out


# -- exact std::fma ------------------------------------------------------------------------------------------
_SPLITTER = 134217729.0  # 2**27 + 1


def _two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _two_prod(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = a * b
    ca, cb = _SPLITTER * a, _SPLITTER * b
    ah, bh = ca - (ca - a), cb - (cb - b)
    al, bl = a - ah, b - bh
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _fma(a: np.ndarray, b: float, c: float) -> np.ndarray:
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
        th, tl = _two_sum(cc, hi)
        s, err = _two_sum(tl, lo)
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
        out[rest] = np.asarray(_fma_ufunc(a[rest], b, c), dtype=np.float64)
    return out


# -- helpers ---------------------------------------------------------------------------------------------------
def _cast(values: np.ndarray, dt: np.dtype) -> np.ndarray:
    """``static_cast<scalar_t>(double)`` on x86-64 as GCC compiles it.

    ``c10::Half`` converts through float. Integers truncate with ``cvttsd2si``: int64 takes the 64-bit
    form (NaN or out of range -> INT64_MIN); int32, int16, int8 and uint8 take the 32-bit form
    (NaN or out of range -> INT32_MIN) and keep the low bits.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        if dt == np.float16:
            return values.astype(np.float32).astype(np.float16)
        if dt.kind == "f":
            return values.astype(dt)
        bits = 64 if dt == np.int64 else 32
        limit = 2.0 ** (bits - 1)
        fits = (values >= -limit) & (values < limit)  # False for NaN
        whole = np.where(fits, values, 0.0).astype(np.int64)
        whole[~fits] = -(1 << (bits - 1))
        return whole.astype(dt)


def _empty_result(shape: tuple[int, ...], dt: np.dtype) -> np.ndarray:
    return np.zeros(shape, dt)


# -- the per-element distributions -----------------------------------------------------------------------------
def exponential(shape: Sequence[int], array_dtype: np.dtype | type | str, generator: Generator | None = None,
                lambd: float = 1.0, checked: Callable[[], None] | None = None) -> np.ndarray:
    """``Tensor.exponential_(lambd)`` values in C order: ``-1.0 / lambd * log1p(-u)`` in double.

    Checks as ``exponential_impl_`` (DistributionTemplates.h): ``lambd > 0`` (``inf`` is allowed and
    gives zeros), an empty shape returns before anything else (any dtype), then ``checked``, then the
    kernel's floating-point check (cpu/DistributionTemplates.h ``exponential_kernel``).
    Two words per element.
    """
    dt = np.dtype(array_dtype)
    shape = tuple(shape)
    count = _numel(shape)
    lambd = float(lambd)
    if not lambd > 0.0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={_fmt(lambd)}")
    if count == 0:
        return _empty_result(shape, dt)
    if checked is not None:
        checked()
    if dt.name not in _FLOATS:
        raise RuntimeError("Exponential distribution is a continuous probability distribution. dtype must be a "
                           f"floating point but you specified {_scalar_name(dt)}")
    u = _unit_double(_resolve(generator), count)
    return _cast((-1.0 / lambd) * _log1p(-u), dt).reshape(shape)


def cauchy(shape: Sequence[int], array_dtype: np.dtype | type | str, generator: Generator | None = None,
           median: float = 0.0, sigma: float = 1.0, checked: Callable[[], None] | None = None) -> np.ndarray:
    """``Tensor.cauchy_(median, sigma)`` values in C order: ``fma(sigma, tan(pi * (u - 0.5)), median)``.

    ``cauchy_distribution<double>`` uses TransformationHelper.h's double specialisation (no clipping of
    ``u``); the sum is contracted into an FMA in the AVX2 kernel. Checks as ``cauchy_impl_``:
    ``sigma > 0``, then the floating-point check (before the empty return, so an empty integer
    tensor raises too; the message names the caffe2 type, e.g. ``long int``), then ``checked``.
    Two words per element.
    """
    dt = np.dtype(array_dtype)
    shape = tuple(shape)
    count = _numel(shape)
    median, sigma = float(median), float(sigma)
    if not sigma > 0.0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={_fmt(sigma)}")
    if dt.name not in _FLOATS:
        raise RuntimeError("Cauchy distribution is a continuous probability distribution. dtype must be a floating "
                           f"point but you specified {_TYPE_META.get(dt.name, dt.name)}")
    if count == 0:
        return _empty_result(shape, dt)
    if checked is not None:
        checked()
    u = _unit_double(_resolve(generator), count)
    return _cast(_fma(_tan(math.pi * (u - 0.5)), sigma, median), dt).reshape(shape)


def log_normal(shape: Sequence[int], array_dtype: np.dtype | type | str, generator: Generator | None = None,
               mean: float = 1.0, std: float = 2.0, checked: Callable[[], None] | None = None) -> np.ndarray:
    """``Tensor.log_normal_(mean, std)`` values in C order: ``exp(fma(z, std, mean))``.

    ``z`` is ``normal_distribution<double>``'s standard sample: a pending cached sample of the generator
    first, then pairs ``r cos``/``r sin`` from two double uniforms (four words), an odd last ``r sin``
    left cached for the next normal draw. Checks as ``log_normal_impl_``: ``std > 0``, empty return,
    ``checked``, then the dtype dispatch (``"log_normal_cpu" not implemented for 'Long'``).
    """
    dt = np.dtype(array_dtype)
    shape = tuple(shape)
    count = _numel(shape)
    mean, std = float(mean), float(std)
    if not std > 0.0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={_fmt(std)}")
    if count == 0:
        return _empty_result(shape, dt)
    if checked is not None:
        checked()
    if dt.name not in _FLOATS:
        raise _unsupported("log_normal_cpu", dt)
    z = _normal_scalar(_resolve(generator), count, 0.0, 1.0)  # fma(z, 1, 0) is returned as z itself
    return _cast(_exp(_fma(z, std, mean)), dt).reshape(shape)


def geometric(shape: Sequence[int], array_dtype: np.dtype | type | str, generator: Generator | None = None,
              p: float = 0.5, checked: Callable[[], None] | None = None) -> np.ndarray:
    """``Tensor.geometric_(p)`` values in C order: ``ceil(log(u) / log1p(-p))`` in double, then cast.

    Floating dtypes and uint8/int8/int16/int32/int64 (``AT_DISPATCH_ALL_TYPES_AND2(Half, BFloat16)``);
    bool and uint16/32/64 raise ``"geometric_cpu" not implemented``. Integer results that do not fit
    convert as x86 does (see ``_cast``): int64 -> INT64_MIN, narrower types -> the low bits of
    INT32_MIN. Checks as ``geometric_impl_``: ``0 < p < 1``, empty return, ``checked``, dispatch.
    Two words per element.
    """
    dt = np.dtype(array_dtype)
    shape = tuple(shape)
    count = _numel(shape)
    p = float(p)
    if not 0.0 < p < 1.0:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={_fmt(p)}")
    if count == 0:
        return _empty_result(shape, dt)
    if checked is not None:
        checked()
    if dt.name not in _GEOMETRIC_TYPES:
        raise _unsupported("geometric_cpu", dt)
    u = _unit_double(_resolve(generator), count)
    with np.errstate(divide="ignore"):
        values = np.ceil(_log_with_zero(u) / math.log1p(-p))
    return _cast(values, dt).reshape(shape)

