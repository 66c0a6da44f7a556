"""``torch.finfo`` and ``torch.iinfo``: the numerical properties of floating and integer dtypes.

Mirrors torch/csrc/TypeInfo.cpp: ``finfo(dtype=None)`` (the default dtype when omitted; a complex
dtype describes its real part) has ``bits``, ``eps``, ``max``, ``min``, ``tiny``/``smallest_normal``,
``resolution`` (``10 ** -floor(-log10(eps))``) and ``dtype`` (the dtype's name as a string);
``iinfo(dtype)`` has ``bits``, ``max``, ``min`` and ``dtype``. Both compare by value and print
their values with six significant digits, as torch's reprs do.
"""

from __future__ import annotations

import math
from typing import Any

from . import _dtype as D
from .ops._args import Parser

# (bits, mantissa digits, max exponent): IEEE binary16/32/64 and bfloat16.
_FLOAT_FORMATS = {D.float16: (16, 11, 16), D.bfloat16: (16, 8, 128), D.float32: (32, 24, 128),
                  D.float64: (64, 53, 1024)}
_FINFO_PARSER = Parser(["finfo(ScalarType type)", "finfo()"])
_IINFO_PARSER = Parser(["iinfo(ScalarType type)"])


class finfo:  # noqa: N801 - torch's name
    """Machine limits of a floating dtype (of its real part for a complex dtype)."""

    __slots__ = ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        index, values = _FINFO_PARSER.parse(args, kwargs)
        dtype = values[0] if index == 0 else D.get_default_dtype()
        if dtype.category not in (D.FLOATING, D.COMPLEX):
            raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle "
                            "'torch.finfo'")
        real = dtype.to_real()
        bits, digits, max_exponent = _FLOAT_FORMATS[real]
        self.bits = bits
        self.eps = 2.0 ** (1 - digits)
        self.max = (2.0 - self.eps) * 2.0 ** (max_exponent - 1)
        self.min = -self.max
        self.tiny = self.smallest_normal = 2.0 ** (2 - max_exponent)
        self.resolution = 10.0 ** -math.floor(-math.log10(self.eps))
        self.dtype = real.name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, finfo) and all(getattr(self, a) == getattr(other, a) for a in self.__slots__)

    def __hash__(self) -> int:
        return hash((self.bits, self.eps, self.dtype))

    def __repr__(self) -> str:
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
                f"smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, dtype={self.dtype})")

    __str__ = __repr__


class iinfo:  # noqa: N801 - torch's name
    """Limits of an integer dtype."""

    __slots__ = ("bits", "max", "min", "dtype")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _, (dtype,) = _IINFO_PARSER.parse(args, kwargs)
        if dtype is D.bool:
            raise TypeError("torch.bool is not supported by torch.iinfo")
        if dtype.category != D.INTEGER:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'")
        self.bits = dtype.itemsize * 8
        self.min, self.max = (-(1 << (self.bits - 1)), (1 << (self.bits - 1)) - 1) if dtype.is_signed \
            else (0, (1 << self.bits) - 1)
        self.dtype = dtype.name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, iinfo) and (self.bits, self.min, self.max, self.dtype) == (
            other.bits, other.min, other.max, other.dtype)

    def __hash__(self) -> int:
        return hash((self.bits, self.min, self.dtype))

    def __repr__(self) -> str:
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"

    __str__ = __repr__


__all__ = ["finfo", "iinfo"]
