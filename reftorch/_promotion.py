"""Type promotion: ``promote_types``, ``result_type`` and ``can_cast`` as ATen computes them.

``result_type`` follows aten/src/ATen/native/TypeProperties.cpp: operands fall into three
priority groups (tensors with dim > 0, zero-dim tensors, Python scalars); a lower group changes
the result only when its category (bool < integer < floating < complex) is higher.
"""

from __future__ import annotations

from . import _dtype as D
from ._dtype import dtype

_INT_ORDER = (D.uint8, D.int8, D.int16, D.int32, D.int64)
_FLOAT_ORDER = (D.float16, D.bfloat16, D.float32, D.float64)


def _promote_ints(a: dtype, b: dtype) -> dtype:
    if a.is_signed == b.is_signed:
        return a if a.itemsize >= b.itemsize else b
    unsigned, signed = (a, b) if not a.is_signed else (b, a)
    # uint8 with a signed type needs a signed type wider than 8 bits.
    return signed if signed.itemsize > unsigned.itemsize else D.int16


def _promote_floats(a: dtype, b: dtype) -> dtype:
    if {a, b} == {D.float16, D.bfloat16}:
        return D.float32
    return a if a.itemsize >= b.itemsize else b


def _compute_promotion(a: dtype, b: dtype) -> dtype:
    if a is b:
        return a
    if a.category != b.category:
        high, low = (a, b) if a.category > b.category else (b, a)
        if high.is_complex and low.is_floating_point:
            real = _promote_floats(high.to_real(), low)
            return real.to_complex() if real in (D.float32, D.float64) else high
        return high
    if a.category == D.INTEGER:
        return _promote_ints(a, b)
    if a.category == D.FLOATING:
        return _promote_floats(a, b)
    return a if a.itemsize >= b.itemsize else b


_TABLE: dict[tuple[dtype, dtype], dtype] = {
    (a, b): _compute_promotion(a, b) for a in D.ALL_DTYPES for b in D.ALL_DTYPES
}


def promote_types(type1: dtype, type2: dtype) -> dtype:
    """``torch.promote_types``: the smallest dtype both inputs can be cast to safely."""
    return _TABLE[(type1, type2)]


def scalar_dtype(value: object) -> dtype:
    """The dtype a Python scalar stands for: bool -> bool, int -> int64, float -> default dtype,
    complex -> default complex dtype."""
    if isinstance(value, bool):
        return D.bool
    if isinstance(value, int):
        return D.int64
    if isinstance(value, float):
        return D.get_default_dtype()
    if isinstance(value, complex):
        return D.default_complex_dtype()
    raise TypeError(f"result_type(): unsupported operand type {type(value).__name__}")


def _combine_categories(higher: dtype | None, lower: dtype | None) -> dtype | None:
    """ATen's ``combine_categories``: the higher-priority group wins unless the lower one is of a
    higher category; a complex lower group keeps the precision of a floating higher group."""
    if higher is None:
        return lower
    if lower is None or higher.is_complex:
        return higher
    if lower.is_complex:
        if higher.is_floating_point:
            if higher not in (D.float32, D.float64):
                raise RuntimeError(f"reftorch has no complex dtype matching {higher}")
            return higher.to_complex()
        return lower
    if higher.is_floating_point:
        return higher
    if higher is D.bool or lower.is_floating_point:
        return _TABLE[(higher, lower)]
    return higher


def _fold(dtypes) -> dtype | None:
    result = None
    for d in dtypes:
        result = d if result is None else _TABLE[(result, d)]
    return result


def result_type_of(dim_dtypes, zero_dim_dtypes, scalars) -> dtype:
    """Combine three priority groups of operands (dtypes of dim > 0 tensors, dtypes of zero-dim
    tensors, Python scalars) as ATen's ``ResultTypeState``."""
    wrapped = _fold(scalar_dtype(v) for v in scalars)
    return _combine_categories(_fold(dim_dtypes), _combine_categories(_fold(zero_dim_dtypes), wrapped))


def operands_result_type(*operands: object) -> dtype:
    """``result_type`` over tensors (anything with ``_dtype``/``_shape``) and Python scalars."""
    dims, zeros, scalars = [], [], []
    for x in operands:
        tensor_dtype = getattr(x, "_dtype", None)
        if tensor_dtype is None:
            scalars.append(x)
        elif x._shape:
            dims.append(tensor_dtype)
        else:
            zeros.append(tensor_dtype)
    return result_type_of(dims, zeros, scalars)


def can_cast(from_: dtype, to: dtype) -> bool:
    """``torch.can_cast``: casting may not lower the category (complex -> float, float -> int, any
    non-bool -> bool)."""
    return from_.category <= to.category
