"""Dtype objects, their categories, and the process-wide default floating dtype.

Mirrors ``torch.dtype``: each dtype is a singleton printed as ``torch.<name>``, with
``is_floating_point``, ``is_complex``, ``is_signed`` and ``itemsize``. The *category* orders
dtypes for type promotion (bool < integer < floating < complex), as in
``c10::isIntegralType``/``isFloatingType``/``isComplexType``.
"""

from __future__ import annotations

BOOL, INTEGER, FLOATING, COMPLEX = 0, 1, 2, 3


class dtype:  # noqa: N801 - torch's spelling
    """A torch dtype. ``array_name`` is the NumPy/CuPy dtype name that stores it (None if none)."""

    __slots__ = ("name", "itemsize", "category", "is_signed", "array_name", "scalar_name", "tensor_type",
                 "cpp_name", "demangled_name", "_real", "_complex")

    def __init__(self, name: str, itemsize: int, category: int, is_signed: bool, array_name: str | None,
                 scalar_name: str, cpp_name: str, demangled_name: str | None = None):
        self.name = name
        self.scalar_name = scalar_name  # c10::ScalarType name used in torch's messages ("Float")
        self.tensor_type = f"torch.{scalar_name}Tensor"  # legacy type string ("torch.FloatTensor")
        # The C++ type in torch's two vocabularies: as ATen's source spells it, which Scalar::to's
        # overflow message prints ("int64_t"), and as typeid demangles it, which messages built from
        # c10::demangle print ("long int": "Bad in-place call", masked_fill_, mm, clamp_).
        self.cpp_name = cpp_name
        self.demangled_name = demangled_name or cpp_name
        self.itemsize = itemsize
        self.category = category
        self.is_signed = is_signed
        self.array_name = array_name
        self._real: dtype = self
        self._complex: dtype | None = None

    @property
    def is_floating_point(self) -> bool:
        return self.category == FLOATING

    @property
    def is_complex(self) -> bool:
        return self.category == COMPLEX

    def to_real(self) -> dtype:
        """``torch.complex64.to_real()`` is ``torch.float32``; real dtypes return themselves."""
        return self._real

    def to_complex(self) -> dtype:
        """``torch.float32.to_complex()`` is ``torch.complex64``; raises for non-floating dtypes."""
        if self._complex is None:
            raise RuntimeError(f"Unsupported dtype {self.name}")
        return self._complex

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    __str__ = __repr__

    def __reduce__(self):
        return (_dtype_by_name, (self.name,))


bool = dtype("bool", 1, BOOL, False, "bool", "Bool", "bool")  # noqa: A001 - torch.bool
uint8 = dtype("uint8", 1, INTEGER, False, "uint8", "Byte", "uint8_t", "unsigned char")
int8 = dtype("int8", 1, INTEGER, True, "int8", "Char", "int8_t", "signed char")
int16 = dtype("int16", 2, INTEGER, True, "int16", "Short", "int16_t", "short int")
int32 = dtype("int32", 4, INTEGER, True, "int32", "Int", "int")
int64 = dtype("int64", 8, INTEGER, True, "int64", "Long", "int64_t", "long int")
float16 = dtype("float16", 2, FLOATING, True, "float16", "Half", "c10::Half")
# NumPy has no bfloat16; the dtype exists so code can name it, but no array can hold it.
bfloat16 = dtype("bfloat16", 2, FLOATING, True, None, "BFloat16", "c10::BFloat16")
float32 = dtype("float32", 4, FLOATING, True, "float32", "Float", "float")
float64 = dtype("float64", 8, FLOATING, True, "float64", "Double", "double")
complex64 = dtype("complex64", 8, COMPLEX, True, "complex64", "ComplexFloat", "c10::complex<float>")
complex128 = dtype("complex128", 16, COMPLEX, True, "complex128", "ComplexDouble", "c10::complex<double>")

complex64._real, complex128._real = float32, float64
float16._complex, float32._complex, float64._complex = None, complex64, complex128

ALL_DTYPES: tuple[dtype, ...] = (
    bool, uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64, complex64, complex128,
)

# torch's aliases: torch.float is torch.float32 and so on.
ALIASES: dict[str, dtype] = {
    "half": float16, "float": float32, "double": float64,
    "short": int16, "int": int32, "long": int64,
    "cfloat": complex64, "cdouble": complex128,
}

_BY_NAME: dict[str, dtype] = {d.name: d for d in ALL_DTYPES} | ALIASES
_BY_ARRAY_NAME: dict[str, dtype] = {d.array_name: d for d in ALL_DTYPES if d.array_name}


def _dtype_by_name(name: str) -> dtype:
    return _BY_NAME[name]


def from_array_dtype(array_dtype) -> dtype:
    """The torch dtype that stores elements of a NumPy/CuPy dtype; TypeError for unsupported ones
    (torch.from_numpy: "can't convert np.ndarray of type numpy.object_")."""
    d = _BY_ARRAY_NAME.get(str(array_dtype))
    if d is None:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{array_dtype}. The only supported types are: "
            "float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint8, and bool."
        )
    return d


_default_dtype: dtype = float32


def get_default_dtype() -> dtype:
    """``torch.get_default_dtype()``: the dtype of Python floats and of the legacy constructor."""
    return _default_dtype


def set_default_dtype(d: dtype) -> None:
    """``torch.set_default_dtype``: non-floating dtypes raise torch's TypeError.

    reftorch accepts float32 and float64; float16/bfloat16 defaults (which torch allows, pairing
    them with complex32) raise a clear TypeError because reftorch has no complex32.
    """
    global _default_dtype
    if not isinstance(d, dtype):
        raise TypeError("invalid dtype object: only floating-point types are supported as the default type")
    if not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    if d not in (float32, float64):
        raise TypeError(f"reftorch supports only float32 and float64 as the default dtype, not {d}")
    _default_dtype = d
    for callback in _ON_CHANGE:
        callback()


_ON_CHANGE: list = []


def on_default_dtype_change(callback) -> None:
    """Call ``callback()`` after every ``set_default_dtype`` (caches that depend on it)."""
    _ON_CHANGE.append(callback)


def default_complex_dtype() -> dtype:
    """The complex dtype paired with the default float (float64 -> complex128, else complex64)."""
    return complex128 if _default_dtype is float64 else complex64
