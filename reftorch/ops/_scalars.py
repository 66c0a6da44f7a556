"""Python numbers converted to a dtype the way ATen's ``Scalar::to<T>`` (``checked_convert``) does,
with torch's "value cannot be converted to type uint8_t without overflow" errors."""

from __future__ import annotations

import math
import numbers
from typing import Any

from .. import _dtype as D
from .._tensor import Tensor
from ._util import array_dtype

_FLOAT_MAX = {D.float16: 65504.0, D.bfloat16: 3.3895313892515355e38, D.float32: 3.4028234663852886e38,
              D.float64: 1.7976931348623157e308}


def _int_limits(dtype: D.dtype) -> tuple[int, int]:
    bits = dtype.itemsize * 8
    return (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if dtype.is_signed else (0, (1 << bits) - 1)


def real_overflows(value: int | float, dtype: D.dtype, from_unsigned: bool = False) -> bool:
    """c10's ``overflows<To, From>`` for a real ``value`` and a real target (``dtype``'s real part).
    A float is compared with the integer limits as doubles, as C++ does (2.0**63 fits int64)."""
    if dtype.category == D.INTEGER:
        low, high = _int_limits(dtype)
        if isinstance(value, float):
            return math.isnan(value) or value < float(low) or value > float(high)
        if not dtype.is_signed and not from_unsigned:
            # negative values may wrap through two's complement (uint8: -255 .. 255 are accepted)
            return value > high or (value < 0 and -value > high)
        return value < low or value > high
    if isinstance(value, float) and (math.isinf(value) or math.isnan(value)):
        return False
    limit = _FLOAT_MAX[dtype.to_real()]
    return value < -limit or value > limit


def checked_scalar(value: Any, dtype: D.dtype) -> bool | int | float | complex:
    """A Python number converted to ``dtype`` as ATen's ``Scalar::to<T>`` (``checked_convert``) does:
    "value cannot be converted to type uint8_t without overflow" when out of range (negative ints
    wrap into unsigned types down to -max), floats truncate towards zero into integer types, any
    value converts to bool; Python ints beyond 64 bits fail argument parsing (OverflowError)."""
    if isinstance(value, Tensor):
        value = value.item()
    if not isinstance(value, numbers.Number):
        raise TypeError(f"expected a number, but got {type(value).__name__}")
    if isinstance(value, bool):
        value = int(value)
    from_unsigned = False
    if isinstance(value, numbers.Integral):
        value = int(value)
        if value >= 1 << 64:
            raise OverflowError("int too big to convert")
        if value < -(1 << 63):
            raise OverflowError("can't convert negative int to unsigned")
        from_unsigned = value >= 1 << 63
    elif isinstance(value, numbers.Real):
        value = float(value)
    else:
        value = complex(value)
    if dtype is D.bool:
        return value != 0
    if isinstance(value, complex):
        parts = (value.real, value.imag)
        overflow = (not dtype.is_complex and value.imag != 0) or any(
            real_overflows(part, dtype, False) for part in parts)
    else:
        overflow = real_overflows(value, dtype, from_unsigned)
    if overflow:
        raise RuntimeError(f"value cannot be converted to type {dtype.cpp_name} without overflow")
    if dtype.is_complex:
        return complex(value)
    if dtype.is_floating_point:
        return value.real if isinstance(value, complex) else float(value)
    real = value.real if isinstance(value, complex) else value
    return int(real)


def scalar_array(backend: Any, value: Any, dtype: D.dtype) -> Any:
    """A zero-dim backend array holding ``checked_scalar(value, dtype)`` (integers wrap like C casts)."""
    converted = checked_scalar(value, dtype)
    xp = backend.xp
    if dtype.category == D.INTEGER:
        return xp.asarray(converted, dtype="int64" if converted < 1 << 63 else "uint64").astype(
            array_dtype(backend, dtype))
    return xp.asarray(converted, dtype=array_dtype(backend, dtype))
