"""Nested Python numbers read into a dtype the way ``torch.tensor`` reads them.

torch converts each number on its own, straight to the target dtype (``store_scalar`` in
torch/csrc/utils/tensor_new.cpp): real numbers as doubles (through float for float16, as
``c10::convert`` does), so ``tensor([0.1], dtype=float64)`` keeps 0.1 exactly; integers exactly
(beyond int64: ValueError); for integer targets every number is range-checked first (RuntimeError
"value cannot be converted ... without overflow"; negative ints may wrap into unsigned types, floats
may not) and floats truncate as x86's cvtt; bool takes each number's truth; complex numbers for a
real or integer target raise TypeError. Whole arrays are converted at once; numbers are taken one by
one only where that matters (ints mixed with floats, or ints beyond int64, for integer targets).
"""

from __future__ import annotations

import numbers
from typing import Any

from .. import _dtype as D
from .._device import CPU
from ._scalars import real_overflows
from ._util import array_dtype, backend_of, cast_array

_HOST = backend_of(CPU)


def read_numbers(nested: Any, shape: tuple[int, ...], inferred: D.dtype, target: D.dtype) -> Any:
    """A host array of ``target`` holding the nested numbers (whose own promoted dtype is ``inferred``)."""
    xp = _HOST.xp
    if target.is_complex:
        return cast_array(_HOST, xp.array(nested, dtype="complex128").reshape(shape), target)
    if inferred.is_complex:  # refused for real and integer targets at the first complex number
        return _one_by_one(nested, shape, target)
    if target.is_floating_point:
        values = xp.array(nested, dtype="float32" if target is D.float16 else "float64")  # huge ints: OverflowError
        return cast_array(_HOST, values.reshape(shape), target)
    if inferred.category <= D.INTEGER:  # bools and ints only: all at once unless an int exceeds int64
        try:
            values = xp.array(nested, dtype=array_dtype(_HOST, inferred)).reshape(shape)
        except OverflowError:
            return _one_by_one(nested, shape, target)
        if target is not D.bool:
            _check_range(values, target)
        return cast_array(_HOST, values, target)
    return _one_by_one(nested, shape, target)


def _one_by_one(nested: Any, shape: tuple[int, ...], target: D.dtype) -> Any:
    """Each number checked and converted in order (so the first bad one decides the error)."""
    xp = _HOST.xp
    items = xp.array(nested, dtype=object).reshape(-1)
    if target is D.bool:
        return xp.array([bool(v) for v in items], dtype=bool).reshape(shape)
    integral = target.category == D.INTEGER
    is_int = xp.zeros(items.size, dtype=bool)
    ints = xp.zeros(items.size, dtype="int64")
    floats = xp.zeros(items.size, dtype="float64")
    for i, v in enumerate(items):
        if not isinstance(v, numbers.Real):
            raise TypeError("'complex' object cannot be interpreted as an integer" if integral
                            else "must be real number, not complex")
        if integral and isinstance(v, numbers.Integral):
            v = int(v)
            if not -(2**63) <= v < 2**63:
                raise ValueError("Overflow when unpacking long long")
            is_int[i], ints[i] = True, v
        else:
            v = floats[i] = float(v)  # an int beyond a double: Python's OverflowError, as in torch
        if integral and real_overflows(v, target):
            raise _overflow(target)
    if not integral:
        return cast_array(_HOST, floats.astype("float32") if target is D.float16 else floats, target).reshape(shape)
    values = xp.where(is_int, cast_array(_HOST, ints, target), cast_array(_HOST, floats, target))
    return values.reshape(shape)


def _check_range(values: Any, target: D.dtype) -> None:
    """:func:`real_overflows` for a whole array of Python ints at once (negative ints may wrap into an
    unsigned type)."""
    info = _HOST.xp.iinfo(target.array_name)
    low = info.min if target.is_signed else -info.max
    if values.size and ((values < low) | (values > info.max)).any():
        raise _overflow(target)


def _overflow(target: D.dtype) -> RuntimeError:
    """torch.tensor names the dtype (``int8``) where Scalar::to names the C type (``int8_t``)."""
    return RuntimeError(f"value cannot be converted to type {target.name} without overflow")
