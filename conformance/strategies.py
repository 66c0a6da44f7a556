"""Hypothesis strategies for conformance programs.

Everything is drawn as plain Python values (dtype *names*, shapes, nested lists, NumPy arrays) outside the
program, so the oracle and the implementation build identical inputs from them. Float values are exactly
representable in the requested dtype, normal (no subnormals), finite and moderate in magnitude, so that
conversions cannot round differently on the two sides and sums stay well inside tolerance.
"""

from __future__ import annotations

import math
import struct

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

_KINDS: dict[str, tuple[str, ...]] = {
    "bool": ("bool",),
    "int": ("uint8", "int8", "int16", "int32", "int64"),
    "float": ("float16", "bfloat16", "float32", "float64"),
    "complex": ("complex64", "complex128"),
}
# (magnitude bound, smallest non-zero magnitude, float width) per real floating dtype.
_FLOAT_RANGES: dict[str, tuple[float, float, int]] = {
    "float16": (2.0**8, 2.0**-6, 16),
    "bfloat16": (2.0**8, 2.0**-6, 32),
    "float32": (2.0**14, 2.0**-14, 32),
    "float64": (2.0**14, 2.0**-14, 64),
}
_COMPLEX_PARTS = {"complex64": "float32", "complex128": "float64"}


def dtypes(kinds: tuple[str, ...] = ("bool", "int", "float", "complex"),
           exclude: tuple[str, ...] = ("bfloat16",)) -> st.SearchStrategy[str]:
    """Dtype names like ``"float32"`` (use ``getattr(T, name)`` inside programs)."""
    names = [n for kind in kinds for n in _KINDS[kind] if n not in exclude]
    return st.sampled_from(names)


def numel(shape: tuple[int, ...]) -> int:
    return math.prod(shape)


def shapes(min_dims: int = 0, max_dims: int = 4, min_side: int = 0, max_side: int = 5) -> st.SearchStrategy:
    return st.lists(st.integers(min_side, max_side), min_size=min_dims, max_size=max_dims).map(tuple)


def nonempty_shapes(min_dims: int = 0, max_dims: int = 4, max_side: int = 5) -> st.SearchStrategy:
    """Shapes without zero sides (at least one element)."""
    return shapes(min_dims, max_dims, 1, max_side)


@st.composite
def broadcastable_shapes(draw, min_dims: int = 0, max_dims: int = 4, min_side: int = 0, max_side: int = 5):
    """A pair of shapes that broadcast together: suffixes of one result shape with some sides set to 1."""
    full = draw(shapes(min_dims, max_dims, min_side, max_side))

    def operand():
        ndim = draw(st.integers(min_dims, len(full)))
        ones = draw(st.lists(st.booleans(), min_size=ndim, max_size=ndim))
        return tuple(1 if one else side for one, side in zip(ones, full[len(full) - ndim:], strict=True))

    return operand(), operand()


@st.composite
def non_broadcastable_shapes(draw, max_dims: int = 4, max_side: int = 5):
    """A pair of shapes that do not broadcast: at one aligned dim both sides are >= 2 and differ."""
    a = list(draw(shapes(1, max_dims, 0, max_side)))
    b = list(draw(shapes(1, max_dims, 0, max_side)))
    pos = draw(st.integers(1, min(len(a), len(b))))
    x = draw(st.integers(2, max(3, max_side)))
    y = draw(st.integers(2, max(3, max_side)).filter(lambda v: v != x))
    a[-pos], b[-pos] = x, y
    return tuple(a), tuple(b)


def _divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


@st.composite
def view_shapes(draw, shape: tuple[int, ...]):
    """A shape that ``view`` accepts on a contiguous tensor of ``shape`` (may hold one -1)."""
    n = numel(shape)
    if n == 0:
        sides = draw(st.lists(st.integers(0, 3), min_size=1, max_size=4))
        sides[draw(st.integers(0, len(sides) - 1))] = 0
        return tuple(sides)
    ndim = draw(st.integers(0 if n == 1 else 1, 4))
    target, rest = [], n
    for _ in range(max(ndim - 1, 0)):
        side = draw(st.sampled_from(_divisors(rest)))
        target.append(side)
        rest //= side
    if ndim:
        target.append(rest)
        if draw(st.booleans()):
            target[draw(st.integers(0, ndim - 1))] = -1
    return tuple(target)


def permutations(ndim: int) -> st.SearchStrategy:
    return st.permutations(range(ndim)).map(tuple)


def dims(ndim: int) -> st.SearchStrategy[int]:
    """A valid dim, negative allowed (a 0-dim tensor accepts -1 and 0)."""
    n = max(ndim, 1)
    return st.integers(-n, n - 1)


def dim_pairs(ndim: int) -> st.SearchStrategy:
    return st.tuples(dims(ndim), dims(ndim))


def invalid_dims(ndim: int) -> st.SearchStrategy[int]:
    n = max(ndim, 1)
    return st.one_of(st.integers(n, n + 3), st.integers(-n - 3, -n - 1))


def _index_part(draw, side: int) -> list:
    """An optional None, then an int, a slice or a full slice for one dim of size ``side``."""
    parts: list = [None] if draw(st.integers(0, 5)) == 0 else []
    choice = draw(st.integers(0, 2)) if side > 0 else draw(st.integers(1, 2))
    if choice == 0:
        parts.append(draw(st.integers(-side, side - 1)))
    elif choice == 1:
        start = draw(st.none() | st.integers(-side - 1, side + 1))
        stop = draw(st.none() | st.integers(-side - 1, side + 1))
        parts.append(slice(start, stop, draw(st.none() | st.integers(1, 3))))
    else:
        parts.append(slice(None))
    return parts


@st.composite
def index_expressions(draw, shape: tuple[int, ...]):
    """A basic index tuple: ints, slices with positive steps, None and at most one Ellipsis."""
    ndim = len(shape)
    before = draw(st.integers(0, ndim))
    ellipsis = draw(st.booleans())
    after = draw(st.integers(0, ndim - before)) if ellipsis else 0
    parts: list = []
    for side in shape[:before]:
        parts += _index_part(draw, side)
    if ellipsis:
        parts.append(Ellipsis)
        for side in shape[ndim - after:]:
            parts += _index_part(draw, side)
    if draw(st.integers(0, 5)) == 0:
        parts.append(None)
    return tuple(parts)


def _to_bfloat16(x: float) -> float:
    """Rounds toward zero to a bfloat16-representable value (the top 16 bits of the float32 pattern)."""
    bits = struct.unpack("<I", struct.pack("<f", x))[0] & 0xFFFF0000
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def float_values(dtype_name: str = "float32") -> st.SearchStrategy:
    """Finite, normal values exactly representable in ``dtype_name`` (complex dtypes give complex values)."""
    if dtype_name in _COMPLEX_PARTS:
        part = float_values(_COMPLEX_PARTS[dtype_name])
        return st.builds(complex, part, part)
    if dtype_name not in _FLOAT_RANGES:
        raise ValueError(f"float_values: {dtype_name!r} is not a floating or complex dtype name")
    bound, tiny, width = _FLOAT_RANGES[dtype_name]
    values = st.floats(-bound, bound, allow_nan=False, allow_infinity=False, allow_subnormal=False,
                       width=width)
    values = values.map(lambda x: x if abs(x) >= tiny else 0.0)
    return values.map(_to_bfloat16) if dtype_name == "bfloat16" else values


def _nest(flat: list, shape: tuple[int, ...]):
    if not shape:
        return flat[0]
    step = numel(shape[1:])
    return [_nest(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


def _nested(elements: st.SearchStrategy, shape: tuple[int, ...]) -> st.SearchStrategy:
    """Nested lists of ``shape`` (a bare value for shape ()). A zero side hides the sides after it."""
    n = numel(shape)
    return st.lists(elements, min_size=n, max_size=n).map(lambda flat: _nest(flat, tuple(shape)))


def float_lists(shape: tuple[int, ...], dtype_name: str = "float32") -> st.SearchStrategy:
    return _nested(float_values(dtype_name), shape)


def int_lists(shape: tuple[int, ...], lo: int = -100, hi: int = 100) -> st.SearchStrategy:
    return _nested(st.integers(lo, hi), shape)


def _elements(dtype_name: str) -> st.SearchStrategy:
    if dtype_name == "bool":
        return st.booleans()
    if dtype_name in _KINDS["int"]:
        info = np.iinfo(dtype_name)
        if info.bits == 8:
            return st.integers(int(info.min), int(info.max))
        return st.integers(-1000, 1000)
    return float_values(dtype_name)


def arrays(shape: tuple[int, ...], dtype_name: str) -> st.SearchStrategy[np.ndarray]:
    """A C-contiguous NumPy array of ``dtype_name`` (bfloat16 has no NumPy dtype and is refused)."""
    if dtype_name == "bfloat16":
        raise ValueError("arrays: NumPy has no bfloat16 dtype")
    return hnp.arrays(np.dtype(dtype_name), tuple(shape), elements=_elements(dtype_name))
