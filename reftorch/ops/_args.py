"""torch's Python argument parser, ported: one place that binds an op's Python arguments to one of
its signatures, converts them the way torch does and raises torch's exact TypeErrors.

Mirrors ``PythonArgParser`` of torch 2.13: torch/csrc/utils/python_arg_parser.{h,cpp} (signature
syntax, matching, ``PythonArgs`` conversions), torch/csrc/utils/invalid_arguments.cpp (the
"received an invalid combination of arguments" message) and the helpers they call
(torch/csrc/utils/python_numbers.h, python_strings.h, pybind.cpp's SymInt caster).

Signatures are written exactly as torch's generated bindings write them
(tools/autograd/gen_python_functions.py): ``"sum(Tensor input, IntArrayRef[1]? dim, bool
keepdim=False, *, ScalarType? dtype=None, Tensor out=None)"``. A method's signatures omit ``self``
(torch/csrc/autograd/python_variable_methods.cpp), so positions in messages count from 1 over the
arguments after ``self``.

``Parser(signatures).parse(args, kwargs)`` returns ``(index, values)``: the index of the matching
signature in the list given and one converted value per parameter of it, in signature order
(keyword-only ones included). An argument left out, or ``None`` given where the parameter allows
it, takes the parameter's default (``None`` when the default is ``None``; torch's parser cannot tell
the two apart either). Values are plain Python/reftorch objects:

==================  ===========================================================================
type                value
==================  ===========================================================================
Tensor              the reftorch Tensor; for the ops of ``NUMBERS_AS_TENSORS`` also a Python
                    number (bool, int, float or complex), never wrapped
Scalar              a Python bool/int/float/complex (a zero-dim tensor gives its ``item()``)
int64_t, SymInt     int
double / complex    float / complex
bool, str           bool, str
IntArrayRef etc.    tuple of ints (``IntArrayRef[N]`` accepts one int: N copies)
ArrayRef<double>    tuple of floats
ScalarList          tuple of Python numbers
TensorList          tuple of tensors
ScalarType          a reftorch dtype (``float``/``int``/``bool``/``complex`` map to
                    float64/int64/bool/complex128)
Device              a reftorch ``device`` (from a device, a string or an accelerator index)
Layout, MemoryFormat, Generator, Storage, PyObject*: the object itself
==================  ===========================================================================
"""

from __future__ import annotations

import enum
import operator
import os
import re
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from .. import _backends, _layout, _random
from .. import _dtype as D
from .._device import CPU, device
from .._size import Size
from .._storage import TypedStorage, UntypedStorage
from .._tensor import Tensor
from ._util import backend_of

__all__ = ["NUMBERS_AS_TENSORS", "Parameter", "ParameterType", "Parser", "Signature", "class_tp_name", "is_long",
           "tp_name", "unpack_long"]


class ParameterType(enum.Enum):
    """The kinds of parameter torch's parser knows (``torch::ParameterType``), less the ones
    reftorch has no objects for (QScheme, Stream, DispatchKeySet)."""

    TENSOR = enum.auto()
    SCALAR = enum.auto()
    INT64 = enum.auto()
    SYM_INT = enum.auto()
    DOUBLE = enum.auto()
    COMPLEX = enum.auto()
    TENSOR_LIST = enum.auto()
    INT_LIST = enum.auto()
    SYM_INT_LIST = enum.auto()
    FLOAT_LIST = enum.auto()
    SCALAR_LIST = enum.auto()
    GENERATOR = enum.auto()
    BOOL = enum.auto()
    STORAGE = enum.auto()
    PYOBJECT = enum.auto()
    SCALARTYPE = enum.auto()
    LAYOUT = enum.auto()
    MEMORY_FORMAT = enum.auto()
    DEVICE = enum.auto()
    STRING = enum.auto()


T = ParameterType

# The type vocabulary of signature strings (python_arg_parser.cpp's type_map).
_TYPE_MAP: dict[str, ParameterType] = {
    "Tensor": T.TENSOR, "Scalar": T.SCALAR, "int64_t": T.INT64, "SymInt": T.SYM_INT, "DeviceIndex": T.INT64,
    "double": T.DOUBLE, "complex": T.COMPLEX, "TensorList": T.TENSOR_LIST,
    "c10::List<::std::optional<Tensor>>": T.TENSOR_LIST, "c10::List<c10::optional<Tensor>>": T.TENSOR_LIST,
    "IntArrayRef": T.INT_LIST, "SymIntArrayRef": T.SYM_INT_LIST, "ArrayRef<double>": T.FLOAT_LIST,
    "ScalarList": T.SCALAR_LIST, "Generator": T.GENERATOR, "bool": T.BOOL, "Storage": T.STORAGE,
    "PyObject*": T.PYOBJECT, "ScalarType": T.SCALARTYPE, "Layout": T.LAYOUT, "MemoryFormat": T.MEMORY_FORMAT,
    "Device": T.DEVICE, "std::string": T.STRING, "c10::string_view": T.STRING, "std::string_view": T.STRING,
    "::std::string_view": T.STRING,
}

# How torch names each kind in messages and signature listings (FunctionParameter::type_name).
_TYPE_NAMES: dict[ParameterType, str] = {
    T.TENSOR: "Tensor", T.SCALAR: "Number", T.INT64: "int", T.SYM_INT: "int", T.DOUBLE: "float",
    T.COMPLEX: "complex", T.TENSOR_LIST: "tuple of Tensors", T.INT_LIST: "tuple of ints",
    T.SYM_INT_LIST: "tuple of ints", T.FLOAT_LIST: "tuple of floats", T.SCALAR_LIST: "tuple of Scalars",
    T.GENERATOR: "torch.Generator", T.BOOL: "bool", T.STORAGE: "torch.Storage", T.PYOBJECT: "object",
    T.SCALARTYPE: "torch.dtype", T.LAYOUT: "torch.layout", T.MEMORY_FORMAT: "torch.memory_format",
    T.DEVICE: "torch.device", T.STRING: "str",
}

_NUMBER = "int | float | bool | complex"
# The Python annotation of each kind, for rendering .pyi stubs (reftorch names).
_PYTHON_TYPES: dict[ParameterType, str] = {
    T.TENSOR: "Tensor", T.SCALAR: _NUMBER, T.INT64: "int", T.SYM_INT: "int", T.DOUBLE: "float",
    T.COMPLEX: "complex", T.TENSOR_LIST: "Sequence[Tensor]", T.INT_LIST: "Sequence[int]",
    T.SYM_INT_LIST: "Sequence[int]", T.FLOAT_LIST: "Sequence[float]", T.SCALAR_LIST: f"Sequence[{_NUMBER}]",
    T.GENERATOR: "Generator", T.BOOL: "bool", T.STORAGE: "UntypedStorage | TypedStorage", T.PYOBJECT: "Any",
    T.SCALARTYPE: "dtype | type", T.LAYOUT: "layout", T.MEMORY_FORMAT: "memory_format",
    T.DEVICE: "device | str | int", T.STRING: "str",
}

# The ops whose Tensor parameters also take Python numbers (should_allow_numbers_as_tensors).
NUMBERS_AS_TENSORS: frozenset[str] = frozenset({
    "add", "add_", "add_out", "div", "div_", "div_out", "divide", "divide_", "divide_out",
    "mul", "mul_", "mul_out", "multiply", "multiply_", "multiply_out", "sub", "sub_", "sub_out",
    "subtract", "subtract_", "subtract_out", "true_divide", "true_divide_", "true_divide_out",
    "to", "_to_copy", "copy_", "copy", "floor_divide", "floor_divide_", "floor_divide_out", "_conj",
})

# NumPy-style keyword spellings torch also accepts (numpy_compatibility_arg_names).
_NUMPY_ALIASES: dict[str, tuple[str, ...]] = {
    "dim": ("axis",), "keepdim": ("keepdims",), "input": ("x", "a", "x1"), "other": ("x2",)}


# ----------------------------------------------------------------------------- type names
_HEAPTYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE
# reftorch classes standing for torch's C types, named as torch's tp_name.
_MIRRORED_TYPE_NAMES: dict[type, str] = {
    D.dtype: "torch.dtype", device: "torch.device", Size: "torch.Size", _layout.layout: "torch.layout",
    _layout.memory_format: "torch.memory_format",
}


def tp_name(obj: object) -> str:
    """The name torch prints for ``obj``'s type: CPython's ``Py_TYPE(obj)->tp_name``, which is the
    bare name for classes written in Python (``Tensor``, ``int``) and the dotted name for C types
    (``numpy.int64``); reftorch's stand-ins for torch's C types print as torch's (``torch.dtype``,
    ``torch._C.Generator``)."""
    cls = type(obj)
    name = _MIRRORED_TYPE_NAMES.get(cls)
    if name is not None:
        return name
    if isinstance(obj, _random.Generator) and cls.__module__.startswith("reftorch."):
        return "torch._C.Generator"
    return class_tp_name(cls)


def class_tp_name(cls: type) -> str:
    """A class's own ``tp_name``: bare for classes written in Python and builtins, dotted for C types."""
    if cls.__flags__ & _HEAPTYPE or cls.__module__ == "builtins":
        return cls.__name__
    return f"{cls.__module__}.{cls.__name__}"


# ----------------------------------------------------------------------------- checks
# python_numbers.h: is_numpy_int / is_numpy_scalar, THPUtils_checkLong / checkDouble / checkScalar.
# NumPy's scalar classes, reached through the host backend (whose array module is NumPy).
_NP = backend_of(CPU).xp
_NUMPY_INTEGER = _NP.integer
_NUMPY_SCALARS = (_NP.integer, _NP.bool_, _NP.floating, _NP.complexfloating)
_DOUBLE_TYPES = (float, int, *_NUMPY_SCALARS)
_SCALAR_TYPES = (float, int, complex, *_NUMPY_SCALARS)
_COMPLEX_TYPES = (complex, *_DOUBLE_TYPES)
_TENSOR_OR_SCALAR_TYPES = (Tensor, *_SCALAR_TYPES)
_PY_SCALAR_TYPES = {float: D.float64, int: D.int64, bool: D.bool, complex: D.complex128}


def _is_long(obj: object) -> bool:
    """THPUtils_checkLong: ints and NumPy integers, not bools."""
    return isinstance(obj, (int, _NUMPY_INTEGER)) and not isinstance(obj, bool)


def _is_index(obj: object) -> bool:
    """THPUtils_checkIndex: not a bool, and ``__index__`` works."""
    if isinstance(obj, bool):
        return False
    if _is_long(obj):
        return True
    try:
        operator.index(obj)
    except Exception:  # noqa: BLE001 - torch clears any error of __index__
        return False
    return True


def _is_int(obj: object) -> bool:
    """is_int_or_symint: an int, a one-element integer (or bool) tensor, or an ``__index__`` object."""
    if type(obj) is int or _is_long(obj):
        return True
    if isinstance(obj, Tensor):
        return obj.numel() == 1 and obj._dtype.category <= D.INTEGER
    return _is_index(obj)


def _is_int_list(obj: object, size: int) -> bool:
    """is_int_or_symint_list: a tuple or list whose first element is an int (only the first is
    checked), or, for a sized list (``IntArrayRef[2]``), a single int."""
    if isinstance(obj, (tuple, list)):
        return not obj or _is_int(obj[0])
    return size > 0 and _is_int(obj)


def _is_zero_dim_value(obj: object) -> bool:
    """Scalar, complex and double parameters take zero-dim tensors that do not require grad."""
    return isinstance(obj, Tensor) and not obj._shape and not obj._requires_grad


def _check_tensor(obj: object) -> bool:
    return isinstance(obj, Tensor)


def _check_tensor_or_number(obj: object) -> bool:
    return isinstance(obj, _TENSOR_OR_SCALAR_TYPES)


def _check_scalar(obj: object) -> bool:
    return isinstance(obj, _SCALAR_TYPES) or _is_zero_dim_value(obj)


def _check_complex(obj: object) -> bool:
    return isinstance(obj, _COMPLEX_TYPES) or _is_zero_dim_value(obj)


def _check_double(obj: object) -> bool:
    return isinstance(obj, _DOUBLE_TYPES) or _is_zero_dim_value(obj)


def _check_int64(obj: object) -> bool:
    if _is_long(obj):
        return True
    return (isinstance(obj, Tensor) and obj._dtype.category == D.INTEGER and not obj._shape
            and not obj._requires_grad)


def _check_float_list(obj: object) -> bool:
    """is_float_or_complex_list: only the first element is checked."""
    return isinstance(obj, (tuple, list)) and (not obj or isinstance(obj[0], _COMPLEX_TYPES))


def _check_scalar_list(obj: object) -> bool:
    return isinstance(obj, (tuple, list)) and all(isinstance(item, _SCALAR_TYPES) for item in obj)


def _check_bool(obj: object) -> bool:
    return obj is True or obj is False


def _check_string(obj: object) -> bool:
    return isinstance(obj, (str, bytes))


def _check_dtype(obj: object) -> bool:
    return isinstance(obj, D.dtype) or obj is float or obj is int or obj is bool or obj is complex


def _check_device(obj: object) -> bool:
    return isinstance(obj, (device, str, bytes)) or _is_long(obj)


def _check_any(obj: object) -> bool:
    return True


def _isinstance_check(cls: type | tuple[type, ...]) -> Callable[[object], bool]:
    def check(obj: object) -> bool:
        return isinstance(obj, cls)
    return check


_CHECKS: dict[ParameterType, Callable[[object], bool]] = {
    T.TENSOR: _check_tensor, T.SCALAR: _check_scalar, T.INT64: _check_int64, T.SYM_INT: _is_int,
    T.DOUBLE: _check_double, T.COMPLEX: _check_complex, T.FLOAT_LIST: _check_float_list,
    T.SCALAR_LIST: _check_scalar_list, T.GENERATOR: _isinstance_check(_random.Generator), T.BOOL: _check_bool,
    T.STORAGE: _isinstance_check((UntypedStorage, TypedStorage)), T.PYOBJECT: _check_any,
    T.SCALARTYPE: _check_dtype, T.LAYOUT: _isinstance_check(_layout.layout),
    T.MEMORY_FORMAT: _isinstance_check(_layout.memory_format), T.DEVICE: _check_device, T.STRING: _check_string,
}

# Exact types whose objects pass a kind's check and are their own value (the fast path's test);
# ints are plain where they fit the kind's range (_INT_RANGES).
_PLAIN: dict[ParameterType, frozenset[type]] = {
    T.TENSOR: frozenset({Tensor}), T.SCALAR: frozenset({bool, float, complex}), T.DOUBLE: frozenset({float}),
    T.COMPLEX: frozenset({complex}), T.BOOL: frozenset({bool}), T.STRING: frozenset({str}),
    T.SCALARTYPE: frozenset({D.dtype}), T.DEVICE: frozenset({device}), T.LAYOUT: frozenset({_layout.layout}),
    T.MEMORY_FORMAT: frozenset({_layout.memory_format}), T.STORAGE: frozenset({UntypedStorage, TypedStorage}),
}
_TENSOR_OR_NUMBER_PLAIN = frozenset({Tensor, bool, float, complex})
_I64 = 1 << 63
_INT_RANGES: dict[ParameterType, tuple[int, int]] = {
    T.INT64: (-_I64, _I64), T.SYM_INT: (-_I64, _I64), T.SCALAR: (-_I64, 1 << 64)}


# ----------------------------------------------------------------------------- conversions
def _unpack_long(value: int) -> int:
    """THPUtils_unpackLong's range check."""
    if -_I64 <= value < _I64:
        return value
    raise ValueError("Overflow when unpacking long long")


def is_long(obj: object) -> bool:
    """``THPUtils_checkLong``, for the bindings that read their arguments without the parser (indexing)."""
    return _is_long(obj)


def unpack_long(obj: Any) -> int:
    """``THPUtils_unpackLong`` of an int or ``__index__`` object: ValueError beyond int64."""
    return _unpack_long(operator.index(obj))


def _unpack_integer(obj: Any) -> int:
    """An integer Scalar (THPUtils_unpackInteger): int64, else uint64, else Python's overflow."""
    value = operator.index(obj)
    if -_I64 <= value < _I64:
        return value
    if not isinstance(obj, int):  # PyLong_AsUnsignedLongLong takes only real ints
        raise TypeError("an integer is required")
    if value < 0:
        raise OverflowError("can't convert negative int to unsigned")
    if value >= 1 << 64:
        raise OverflowError("int too big to convert")
    return value


def _unpack_double(obj: Any) -> float:
    """THPUtils_unpackDouble: ``PyFloat_AsDouble`` (``__float__`` or ``__index__``, never a string)."""
    if isinstance(obj, float):
        return float(obj)
    cls = type(obj)
    if hasattr(cls, "__float__") or hasattr(cls, "__index__"):
        return float(obj)
    raise TypeError(f"must be real number, not {cls.__name__}")


def _to_int64(obj: Any) -> int:
    """PythonArgs::toInt64."""
    if type(obj) is int:
        return _unpack_long(obj)
    if isinstance(obj, Tensor):
        return obj.item()
    return _unpack_long(operator.index(obj))


def _to_symint(obj: Any) -> int:
    """PythonArgs::toSymInt (pybind's SymInt caster): a bool tensor trips torch's internal assert."""
    if type(obj) is int:
        return _unpack_long(obj)
    if isinstance(obj, Tensor):
        value = obj.item()
        if isinstance(value, bool):
            raise RuntimeError('scalar.isIntegral( false) INTERNAL ASSERT FAILED at '
                               '"/__w/pytorch/pytorch/torch/csrc/utils/pybind.cpp":27, please report a bug to '
                               'PyTorch. ')
        return value
    return _unpack_long(operator.index(obj))


def _to_scalar(obj: Any) -> bool | int | float | complex:
    """PythonArgs::scalar_slow: a Python number (a tensor's ``item()``)."""
    if isinstance(obj, Tensor):
        return obj.item()
    if _is_long(obj):
        return _unpack_integer(obj)
    if obj is True or obj is False:
        return obj
    if isinstance(obj, complex):
        return complex(obj)
    return _unpack_double(obj)


def _to_tensor_or_number(obj: Any) -> Any:
    """PythonArgs::tensor for ops that take numbers: the tensor, or the number as a Python number
    (torch wraps it in a zero-dim tensor; reftorch's ops take the number)."""
    if isinstance(obj, Tensor) or obj is True or obj is False:
        return obj
    if _is_long(obj):
        return _unpack_integer(obj)
    if isinstance(obj, complex):
        return complex(obj)
    return _unpack_double(obj)


def _to_double(obj: Any) -> float:
    """PythonArgs::toDouble (a complex tensor converts only without an imaginary part)."""
    if isinstance(obj, Tensor):
        value = obj.item()
        if isinstance(value, complex):
            if value.imag:
                raise RuntimeError("value cannot be converted to type double without overflow")
            value = value.real
        return float(value)
    return _unpack_double(obj)


def _to_complex(obj: Any) -> complex:
    """PythonArgs::toComplex."""
    return complex(obj.item() if isinstance(obj, Tensor) else obj)


def _to_string(obj: str | bytes) -> str:
    """THPUtils_unpackString: bytes are decoded as UTF-8."""
    return obj.decode() if isinstance(obj, bytes) else obj


def _to_dtype(obj: Any) -> D.dtype:
    """toScalarType: Python's float/int/bool/complex stand for float64/int64/bool/complex128."""
    return obj if isinstance(obj, D.dtype) else _PY_SCALAR_TYPES[obj]


def _to_device(obj: Any) -> device:
    """toDevice: a device as is, an int as the accelerator of that index, a string parsed."""
    if isinstance(obj, device):
        return obj
    if _is_long(obj):
        index = _unpack_long(operator.index(obj))
        if index < 0:
            raise RuntimeError("Device index must not be negative")
        return device(_accelerator(), index)
    return device(_to_string(obj))


def _accelerator() -> str:
    """The device type an integer device means (at::getAccelerator): CUDA when reftorch has a
    working CUDA backend; torch's error otherwise."""
    try:
        available = _backends.get("cuda").is_available()
    except (RuntimeError, ImportError):  # no CUDA backend registered, or CuPy missing
        available = False
    if not available:
        raise RuntimeError("Cannot access accelerator device when none is available.")
    return "cuda"


_CONVERTERS: dict[ParameterType, Callable[[Any], Any]] = {
    T.SCALAR: _to_scalar, T.INT64: _to_int64, T.SYM_INT: _to_symint, T.DOUBLE: _to_double,
    T.COMPLEX: _to_complex, T.STRING: _to_string, T.SCALARTYPE: _to_dtype,
    T.DEVICE: _to_device,
}


# ----------------------------------------------------------------------------- defaults
_ATOL = re.compile(r"\s*[+-]?\d+")
_ATOF = re.compile(r"\s*[+-]?(?:inf(?:inity)?|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)", re.IGNORECASE)
_STRTOL0 = re.compile(r"\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)")
_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "a": "\a", "b": "\b", "f": "\f", "n": "\n", "v": "\v", "t": "\t"}
_MEMORY_FORMAT_DEFAULTS = {
    "contiguous_format": _layout.contiguous_format, "torch.contiguous_format": _layout.contiguous_format,
    "c10::MemoryFormat::Contiguous": _layout.contiguous_format, "preserve_format": _layout.preserve_format,
    "torch.preserve_format": _layout.preserve_format, "c10::MemoryFormat::Preserve": _layout.preserve_format,
}


def _atol(text: str) -> int:
    """C's atol: the leading integer, 0 when there is none (so ``at::Reduction::Mean`` gives 0, as
    in torch)."""
    match = _ATOL.match(text)
    return int(match.group()) if match else 0


def _atof(text: str) -> float:
    match = _ATOF.match(text)
    return float(match.group()) if match else 0.0


def _scalar_default(text: str) -> int | float:
    """parse_as_integer (strtol, base 0, whole string), else atof: ``1`` is an int, ``1.0`` a float."""
    match = _STRTOL0.fullmatch(text)
    if match is None:
        return _atof(text)
    sign, digits = match.groups()
    value = int(digits, 16) if digits[:2] in ("0x", "0X") else int(digits, 8 if digits.startswith("0") else 10)
    return -value if sign == "-" else value


def _int_list_default(text: str, size: int) -> tuple[int, ...]:
    """parse_intlist_args: ``1`` (with a size: that many copies) or ``{0,1}``."""
    if not text:
        return ()
    if not text.startswith("{"):
        if size <= 0:
            raise ValueError(f"Incorrect size of IntArrayRef: {size}")
        return (int(text),) * size
    if not text.endswith("}"):
        raise ValueError(f"Default value of IntArrayRef is missing right brace '}}', found {text[-1]}")
    return tuple(int(token) for token in text[1:-1].split(",") if token)


def _string_default(text: str) -> str:
    """parse_string_literal: a quoted C string with simple escapes."""
    if len(text) < 2 or text[0] not in "'\"" or text[-1] != text[0]:
        raise ValueError(f"Invalid quotes in string default: {text}")
    body, out, i = text[1:-1], [], 0
    while i < len(body):
        if body[i] != "\\":
            out.append(body[i])
            i += 1
            continue
        if i + 1 >= len(body) or body[i + 1] not in _ESCAPES:
            raise ValueError(f"Unsupported escape sequence in string default: {text}")
        out.append(_ESCAPES[body[i + 1]])
        i += 2
    return "".join(out)


def _default_value(kind: ParameterType, text: str, size: int) -> Any:
    """The converted default (FunctionParameter::set_default_str). ``None`` stays None; a default
    torch would refuse, or ignore, raises ValueError."""
    if text == "None":
        return None
    if kind in (T.INT64, T.SYM_INT):
        return _atol(text)
    if kind is T.BOOL:
        return text in ("True", "true")
    if kind is T.DOUBLE:
        return _atof(text)
    if kind is T.COMPLEX:
        return complex(_atof(text), 0.0)
    if kind is T.SCALAR:
        return _scalar_default(text)
    if kind in (T.INT_LIST, T.SYM_INT_LIST):
        return _int_list_default(text, size)
    if kind is T.STRING:
        return _string_default(text)
    if kind is T.SCALARTYPE and text in ("torch.int64", "at::kLong"):
        return D.int64
    if kind is T.LAYOUT and text in ("torch.strided", "torch.sparse_coo"):
        return _layout.LAYOUTS[text[len("torch."):]]
    if kind is T.MEMORY_FORMAT and text in _MEMORY_FORMAT_DEFAULTS:
        return _MEMORY_FORMAT_DEFAULTS[text]
    raise ValueError(f"invalid default value for {_TYPE_NAMES[kind]}: {text}")


# ----------------------------------------------------------------------------- signatures
_ABSENT = object()  # an argument the call did not give (torch's nullptr)
_SLOW = object()  # a fast conversion's answer for arguments it leaves to the full check


class Parameter:
    """One formal parameter of a signature (torch's ``FunctionParameter``).

    ``name``; ``type`` (a :class:`ParameterType`); ``type_name``, torch's rendering ("tuple of
    ints"); ``python_type``, an annotation for stubs; ``size``, the N of ``IntArrayRef[N]`` (0 if
    none); ``allow_none`` (``?`` or a ``None`` default); ``optional`` (has a default);
    ``default_str``, the default as written; ``default``, the value it converts to;
    ``keyword_only``; ``index``, the position in the signature; ``function``, the signature's name;
    ``aliases``, the NumPy keyword spellings also accepted (``axis`` for ``dim``);
    ``numbers_as_tensors``, whether this Tensor parameter also takes Python numbers.
    """

    __slots__ = ("name", "type", "size", "allow_none", "optional", "default_str", "default", "keyword_only",
                 "index", "function", "aliases", "numbers_as_tensors", "_check", "_convert", "_fast", "_plain",
                 "_int_low", "_int_high")

    def __init__(self, spec: str, keyword_only: bool, index: int, function: str) -> None:
        type_str, space, name_str = spec.partition(" ")
        if not space:
            raise ValueError(f"FunctionParameter(): missing type: {spec}")
        self.allow_none = "?" in type_str
        type_str = type_str.split("?", 1)[0]
        self.size = 0
        if "[" in type_str:
            type_str, _, size_str = type_str.partition("[")
            self.size = _atol(size_str)
        kind = _TYPE_MAP.get(type_str)
        if kind is None:
            raise ValueError(f"FunctionParameter(): invalid type string: {type_str}")
        self.type = kind
        self.name, eq, default_str = name_str.partition("=")
        self.optional = bool(eq)
        self.default_str = default_str if eq else None
        self.default = _default_value(kind, default_str, self.size) if eq else None
        if default_str == "None":
            self.allow_none = True
        self.keyword_only = keyword_only
        self.index = index
        self.function = function
        self.aliases = _NUMPY_ALIASES.get(self.name, ())
        self.numbers_as_tensors = kind is T.TENSOR and function in NUMBERS_AS_TENSORS
        self._check = self._make_check()
        self._convert = self._make_converter()
        self._fast = {T.INT_LIST: self._fast_int_list, T.SYM_INT_LIST: self._fast_int_list,
                     T.TENSOR_LIST: self._fast_tensor_list}.get(kind)
        self._plain = _TENSOR_OR_NUMBER_PLAIN if self.numbers_as_tensors else _PLAIN.get(kind, frozenset())
        # Plain ints (no conversion needed) are those in this range; an empty one for other kinds.
        self._int_low, self._int_high = _INT_RANGES.get(T.SCALAR if self.numbers_as_tensors else kind, (0, 0))

    @property
    def type_name(self) -> str:
        return _TYPE_NAMES[self.type]

    @property
    def python_type(self) -> str:
        """The annotation a stub gives this parameter (reftorch's names: Tensor, dtype, device...)."""
        annotation = _PYTHON_TYPES[self.type]
        if self.numbers_as_tensors:
            annotation = f"Tensor | {_NUMBER}"
        elif self.size and self.type in (T.INT_LIST, T.SYM_INT_LIST):
            annotation = f"int | {annotation}"
        return f"{annotation} | None" if self.allow_none else annotation

    def __str__(self) -> str:
        """As torch lists it: ``tuple of ints dim``, ``torch.dtype dtype = None``."""
        text = f"{self.type_name} {self.name}"
        return f"{text} = {self.default_str}" if self.optional else text

    def __repr__(self) -> str:
        return f"Parameter({self})"

    def _make_check(self) -> Callable[[object], bool]:
        if self.type is T.TENSOR_LIST:
            return self._check_tensor_list
        if self.type in (T.INT_LIST, T.SYM_INT_LIST):
            return self._check_int_list
        return _check_tensor_or_number if self.numbers_as_tensors else _CHECKS[self.type]

    def _make_converter(self) -> Callable[[Any], Any] | None:
        """The conversion a checked argument gets; None where the object is the value."""
        if self.type in (T.INT_LIST, T.SYM_INT_LIST):
            return self._to_int_list
        if self.type is T.FLOAT_LIST:
            return self._to_float_list
        if self.type is T.SCALAR_LIST:
            return self._to_scalar_list
        if self.type is T.TENSOR_LIST:
            return self._to_tensor_list
        if self.numbers_as_tensors:
            return _to_tensor_or_number
        return _CONVERTERS.get(self.type)

    def _check_int_list(self, obj: object) -> bool:
        return _is_int_list(obj, self.size)

    def _fast_int_list(self, obj: object) -> Any:
        """The common int lists (a tuple or list of plain ints, one plain int for a sized list) as
        their value; _SLOW for the rest."""
        cls = type(obj)
        if cls is tuple or cls is list:
            for item in obj:
                if type(item) is not int or not -_I64 <= item < _I64:
                    return _SLOW
            return tuple(obj)
        if cls is int and self.size and -_I64 <= obj < _I64:
            return (obj,) * self.size
        return _SLOW

    def _check_tensor_list(self, obj: object) -> bool:
        """is_tensor_list_and_append_overloaded: a non-tensor element raises at once, even while
        other signatures are still to be tried."""
        if not isinstance(obj, (tuple, list)):
            return False
        for idx, item in enumerate(obj):
            if not isinstance(item, Tensor):
                raise TypeError(f"expected Tensor as element {idx} in argument {self.index}, but got {tp_name(item)}")
        return True

    def _fast_tensor_list(self, obj: object) -> Any:
        """A tuple or list of plain tensors (of the declared length, if any) as its value; _SLOW
        for the rest."""
        cls = type(obj)
        if cls is not tuple and cls is not list or (self.size and len(obj) != self.size):
            return _SLOW
        for item in obj:
            if type(item) is not Tensor:
                return _SLOW
        return tuple(obj)

    def _to_tensor_list(self, obj: Sequence[Tensor]) -> tuple[Tensor, ...]:
        """PythonArgs::tensorlist, or tensorlist_n for a declared length (``TensorList[2] out``)."""
        if self.size and len(obj) != self.size:
            raise TypeError(f"expected tuple of {self.size} elements but got {len(obj)}")
        return tuple(obj)

    def _to_int_list(self, obj: Any) -> tuple[int, ...]:
        """PythonArgs::intlist / symintlist: one int (sized lists) repeated, or each element of a
        tuple or list unpacked; a bad element raises "failed to unpack the object at pos N"."""
        if self.size > 0 and _is_long(obj):
            return (_unpack_long(operator.index(obj)),) * self.size
        if self.size > 0 and isinstance(obj, Tensor):
            return (int(obj.item()),) * self.size
        if not isinstance(obj, (tuple, list)):
            raise RuntimeError('PyList_Check(arg) INTERNAL ASSERT FAILED at '
                               '"/__w/pytorch/pytorch/torch/csrc/utils/python_arg_parser.h":658, please report a '
                               'bug to PyTorch. expected tuple or list')
        symbolic = self.type is T.SYM_INT_LIST
        values = []
        for idx, item in enumerate(obj):
            if type(item) is int:
                try:
                    values.append(_unpack_long(item))
                except ValueError as exc:
                    raise self._unpack_error(idx, item, str(exc)) from None
            elif isinstance(item, Tensor):
                if item.numel() != 1 or item._dtype.category > D.INTEGER:
                    raise self._unpack_error(idx, item)
                value = item.item()
                if symbolic and isinstance(value, bool):
                    raise RuntimeError("Expected scalar.isIntegral( false) to be true, but got false.  (Could this "
                                       "error message be improved?  If so, please report an enhancement request to "
                                       "PyTorch.)")
                values.append(int(value))
            else:
                try:
                    values.append(_unpack_long(operator.index(item)))
                except ValueError as exc:
                    raise self._unpack_error(idx, item, str(exc)) from None
                except Exception:  # noqa: BLE001 - torch reports any failure of __index__ the same way
                    raise self._unpack_error(idx, item) from None
        return tuple(values)

    def _unpack_error(self, idx: int, item: object, reason: str = "") -> TypeError:
        """throw_intlist_exception (positions count from 1 here, unlike the type check's)."""
        reason = reason or f"type must be {self.type_name},but got {tp_name(item)}"
        return TypeError(
            f"{self.function}(): argument '{self.name}' failed to unpack the object at pos {idx + 1} with error "
            f"\"{reason}\"")

    def _to_float_list(self, obj: Sequence[Any]) -> tuple[float, ...]:
        """PythonArgs::getDoublelist: every element must convert to float."""
        values = []
        for idx, item in enumerate(obj):
            try:
                values.append(_unpack_double(item))
            except Exception:  # noqa: BLE001 - torch reports any failure the same way
                raise TypeError(
                    f"{self.function}(): argument '{self.name}' must be {self.type_name}, but found element of type "
                    f"{tp_name(item)} at pos {idx + 1}") from None
        return tuple(values)

    def _to_scalar_list(self, obj: Sequence[Any]) -> tuple[bool | int | float | complex, ...]:
        return tuple(_to_scalar(item) for item in obj)


class Signature:
    """One signature of an op (torch's ``FunctionSignature``): ``name``, ``params``, ``index`` in
    the parser's list, ``hidden`` (``|hidden`` or ``|deprecated``), ``deprecated``, and torch's
    argument counts ``min_args`` (parameters without a default, keyword-only ones included),
    ``max_args`` and ``max_pos_args``. ``str()`` is torch's rendering, ``(Tensor input, *,
    torch.dtype dtype = None)``."""

    __slots__ = ("name", "params", "index", "hidden", "deprecated", "min_args", "max_args", "max_pos_args",
                 "_varargs", "_required_end", "_fast_min", "_tail", "_keywords")

    def __init__(self, fmt: str, index: int) -> None:
        open_paren = fmt.find("(")
        close_paren = fmt.find(")", open_paren + 1)
        if open_paren < 0 or close_paren < 0:
            raise ValueError(f"malformed signature: {fmt}")
        self.name = fmt[:open_paren]
        self.index = index
        params: list[Parameter] = []
        body = fmt[open_paren + 1:close_paren]
        keyword_only = False
        for spec in body.split(", ") if body else ():
            if spec == "*":
                keyword_only = True
            elif not spec:
                raise ValueError(f"malformed signature: {fmt}")
            else:
                params.append(Parameter(spec, keyword_only, len(params), self.name))
        self.params: tuple[Parameter, ...] = tuple(params)
        suffix = fmt[close_paren + 1:]
        self.deprecated = suffix == "|deprecated"
        self.hidden = self.deprecated or suffix == "|hidden"
        self.max_args = len(params)
        self.min_args = sum(not p.optional for p in params)
        self.max_pos_args = sum(not p.keyword_only for p in params)
        # expand(5, 3) means expand((5, 3)) when an int list is the only positional parameter.
        self._varargs = self.max_pos_args == 1 and params[0].type in (T.INT_LIST, T.SYM_INT_LIST)
        # The fast path binds calls with positional arguments only, covering every required one.
        required = [p for p in params if not p.optional]
        self._required_end = required[-1].index + 1 if required else 0
        self._fast_min = self.max_pos_args + 1 if any(p.keyword_only for p in required) else self._required_end
        self._tail = tuple(tuple(p.default for p in params[n:]) for n in range(len(params) + 1))
        self._keywords = frozenset(name for p in params for name in (p.name, *p.aliases))

    def __str__(self) -> str:
        """FunctionSignature::toString."""
        return f"({', '.join(self.rendered_params(str))})"

    def rendered_params(self, render: Callable[[Parameter], str]) -> list[str]:
        """Each parameter as ``render`` writes it, with a ``*`` before the first keyword-only one."""
        parts = []
        keyword_seen = False
        for p in self.params:
            if p.keyword_only and not keyword_seen:
                parts.append("*")
                keyword_seen = True
            parts.append(render(p))
        return parts

    def __repr__(self) -> str:
        return f"Signature({self.name}{self})"

    def bind(self, args: tuple, kwargs: dict | None, raise_errors: bool) -> tuple | None:
        """Match a call against this signature alone: the converted values, or None when it does
        not match (with ``raise_errors``, torch's TypeError instead)."""
        nargs = len(args)
        if nargs > self.max_pos_args:
            if not self._varargs:
                if raise_errors:
                    raise self._extra_args(nargs)
                return None
            if not kwargs:  # view(4, 2): plain ints as the one int list (the slow path checks the rest)
                for arg in args:
                    if type(arg) is not int or not -_I64 <= arg < _I64:
                        break
                else:
                    return (args, *self._tail[1])
        if not kwargs and self._fast_min <= nargs <= self.max_pos_args:
            # Fast path: positional arguments only, each its own value (a tensor, a fitting int...).
            for arg, param in zip(args, self.params):
                cls = type(arg)
                if cls in param._plain or (cls is int and param._int_low <= arg < param._int_high):
                    continue
                values = self._bind_positional(args, nargs)
                if values is not None:
                    return values
                break
            else:
                return args + self._tail[nargs]
        return self._bind(args, kwargs, raise_errors)

    def _bind_positional(self, args: tuple, nargs: int) -> tuple | None:
        """A call of positional arguments covering every required parameter (and no varargs): the
        values, or None to let :meth:`_bind` decide (a mismatch, None, varargs)."""
        params = self.params
        values = list(args)
        todo = []
        for i in range(nargs):
            arg = args[i]
            param = params[i]
            cls = type(arg)
            if cls in param._plain or (cls is int and param._int_low <= arg < param._int_high):
                continue
            if param._fast is not None:
                value = param._fast(arg)
                if value is not _SLOW:
                    values[i] = value
                    continue
            if arg is None or not param._check(arg):
                return None
            if param._convert is not None:
                todo.append(i)
        for i in reversed(todo):  # last to first, see _bind
            values[i] = params[i]._convert(values[i])
        return (*values, *self._tail[nargs])

    def _bind(self, args: tuple, kwargs: dict | None, raise_errors: bool) -> tuple | None:
        """FunctionSignature::parse, step by step (checks first; conversions once all passed)."""
        if kwargs and not raise_errors and not kwargs.keys() <= self._keywords:
            return None  # a keyword this signature lacks: it cannot match (the parser tries the next)
        params = self.params
        nargs = len(args)
        remaining_kwargs = len(kwargs) if kwargs else 0
        allow_varargs = self._varargs and _is_int_list(args, params[0].size)
        if nargs > self.max_pos_args and not allow_varargs:
            if raise_errors:
                raise self._extra_args(nargs)
            return None
        values: list[Any] = []
        given: list[int] = []  # indices of values still to convert
        arg_pos = 0
        for i, param in enumerate(params):
            obj = _ABSENT
            is_kwd = False
            if arg_pos < nargs:
                if param.keyword_only:
                    if raise_errors:
                        raise self._extra_args(nargs)
                    return None
                obj = args[arg_pos]
            elif kwargs:
                obj = kwargs.get(param.name, _ABSENT)
                for alias in param.aliases:
                    if obj is not _ABSENT:
                        break
                    obj = kwargs.get(alias, _ABSENT)
                is_kwd = True
            elif i >= self._required_end:  # nothing left to give, nothing left required
                values.extend(self._tail[i])
                break
            if (obj is _ABSENT and param.optional) or (obj is None and param.allow_none):
                values.append(param.default)
            elif obj is _ABSENT:
                if raise_errors:
                    raise self._missing_args(i)
                return None
            elif type(obj) in param._plain or (type(obj) is int and param._int_low <= obj < param._int_high):
                values.append(obj)
            elif param._fast is not None and (value := param._fast(obj)) is not _SLOW:
                values.append(value)
            elif param._check(obj):
                values.append(obj)
                given.append(i)
            elif allow_varargs and arg_pos == 0 and not is_kwd and _is_int_list(args, param.size):
                # permute(1, 2, 3) means permute((1, 2, 3))
                value = param._fast(args)
                if value is _SLOW:
                    value = args
                    given.append(i)
                values.append(value)
                arg_pos = nargs
                continue
            elif raise_errors:
                raise self._type_error(param, obj, is_kwd, arg_pos)
            else:
                return None
            if not is_kwd:
                arg_pos += 1
            elif obj is not _ABSENT:
                remaining_kwargs -= 1
        if remaining_kwargs > 0:
            if raise_errors:
                raise self._extra_kwargs(kwargs, nargs)
            return None
        # torch converts in its generated dispatch call, whose arguments GCC evaluates last to first:
        # of two bad arguments, the later one's error is the one raised.
        for i in reversed(given):
            convert = params[i]._convert
            if convert is not None:
                values[i] = convert(values[i])
        return tuple(values)

    def _extra_args(self, nargs: int) -> TypeError:
        if self.min_args != self.max_pos_args:
            return TypeError(f"{self.name}() takes from {self.min_args} to {self.max_pos_args} positional arguments "
                             f"but {nargs} were given")
        plural = "" if self.max_pos_args == 1 else "s"
        verb = "was" if nargs == 1 else "were"
        return TypeError(
            f"{self.name}() takes {self.max_pos_args} positional argument{plural} but {nargs} {verb} given")

    def _missing_args(self, first: int) -> TypeError:
        missing = [f'"{p.name}"' for p in self.params[first:] if not p.optional]
        plural = "s" if len(missing) == 1 else ""  # sic: torch's plural is the wrong way round
        return TypeError(f"{self.name}() missing {len(missing)} required positional argument{plural}: "
                         f"{', '.join(missing)}")

    def _extra_kwargs(self, kwargs: dict, nargs: int) -> TypeError:
        names = [p.name for p in self.params]
        for key in kwargs:
            if not isinstance(key, (str, bytes)):
                return TypeError("keywords must be strings")
            if key not in names:
                return TypeError(f"{self.name}() got an unexpected keyword argument '{_to_string(key)}'")
            if names.index(key) < nargs:
                return TypeError(f"{self.name}() got multiple values for argument '{key}'")
        return TypeError("invalid keyword arguments")

    def _type_error(self, param: Parameter, obj: object, is_kwd: bool, arg_pos: int) -> TypeError:
        if is_kwd:
            return TypeError(f"{self.name}(): argument '{param.name}' must be {param.type_name}, not {tp_name(obj)}")
        where = f"{self.name}(): argument '{param.name}' (position {arg_pos + 1}) must be {param.type_name}"
        if param.type in (T.INT_LIST, T.SYM_INT_LIST) and isinstance(obj, (tuple, list)):
            return TypeError(f"{where}, but found element of type {tp_name(obj[0])} at pos 0")
        return TypeError(f"{where}, not {tp_name(obj)}")


# ----------------------------------------------------------------------------- the parser
_deprecation_warned = False  # torch warns about deprecated overloads once per process (TORCH_WARN_ONCE)


class Parser:
    """An op's signatures, tried in order (torch's ``PythonArgParser``).

    Deprecated signatures are tried last; hidden ones match but are never listed. With one
    signature its own error is raised; with several, the first that matches wins, and when none
    does torch's "received an invalid combination of arguments" error is raised, unless exactly one
    listed signature takes that many arguments, whose own error is raised instead.
    """

    __slots__ = ("signatures", "name", "_order", "_single", "_visible")

    def __init__(self, signatures: Sequence[str]) -> None:
        self.signatures: tuple[Signature, ...] = tuple(Signature(fmt, i) for i, fmt in enumerate(signatures))
        if not self.signatures:
            raise ValueError("a Parser needs at least one signature")
        self.name = self.signatures[0].name
        self._order = (tuple(s for s in self.signatures if not s.deprecated)
                       + tuple(s for s in self.signatures if s.deprecated))
        self._single = self.signatures[0] if len(self.signatures) == 1 else None
        self._visible = [str(s) for s in self._order if not s.hidden]

    def parse(self, args: tuple, kwargs: dict | None = None) -> tuple[int, tuple]:
        """Bind a call: ``(index of the matching signature, one value per parameter)``."""
        single = self._single
        if single is not None:
            values = single.bind(args, kwargs, True)
            if single.deprecated:
                self._warn_deprecated(single)
            return single.index, values
        for signature in self._order:
            values = signature.bind(args, kwargs, False)
            if values is not None:
                if signature.deprecated:
                    self._warn_deprecated(signature)
                return signature.index, values
        raise self._invalid_arguments(args, kwargs)

    def _warn_deprecated(self, signature: Signature) -> None:
        """PythonArgParser::check_deprecated."""
        global _deprecation_warned
        if _deprecation_warned:
            return
        _deprecation_warned = True
        message = f"This overload of {signature.name} is deprecated:\n\t{signature.name}{signature}"
        if self._visible:
            message += "\nConsider using one of the following signatures instead:"
            message += "".join(f"\n\t{signature.name}{option}" for option in self._visible)
        warnings.warn(message, UserWarning, stacklevel=4)

    def _invalid_arguments(self, args: tuple, kwargs: dict | None) -> TypeError:
        """PythonArgParser::print_error."""
        num_args = len(args) + (len(kwargs) if kwargs else 0)
        plausible = [s for s in self._order if s.min_args <= num_args <= s.max_args and not s.hidden]
        if len(plausible) == 1:
            plausible[0].bind(args, kwargs, True)
        return TypeError(_format_invalid_args(args, kwargs or {}, f"{self.name}()", self._visible))


# ----------------------------------------------------------------------------- invalid_arguments.cpp
def _format_invalid_args(args: tuple, kwargs: dict, function_name: str, options: list[str]) -> str:
    """torch::format_invalid_args: the call's argument types, then each listed signature with, where
    the argument count fits, why it did not match (``!type!`` marks a mismatch)."""
    given = _cxx_kwargs(kwargs)
    message = f"{function_name} received an invalid combination of arguments - "
    if len(options) == 1:
        option = _parse_option(options[0])
        unmatched = _unmatched_kwargs(option, given)
        if unmatched:
            return message + "got unrecognized keyword arguments: " + ", ".join(unmatched)
        if _argcount_match(option, args, given):
            return message + f"got {_formatted_arg_desc(option, args, given)}, but expected {options[0]}"
        return message + f"got {_arg_desc(args, given)}, but expected {options[0]}"
    message += f"got {_arg_desc(args, given)}, but expected one of:\n"
    for option_str in options:
        message += f" * {option_str}\n"
        option = _parse_option(option_str)
        if _argcount_match(option, args, given):
            unmatched = _unmatched_kwargs(option, given)
            if unmatched:
                message += f"      didn't match because some of the keywords were incorrect: {', '.join(unmatched)}\n"
            else:
                message += ("      didn't match because some of the arguments have invalid types: "
                            f"{_formatted_arg_desc(option, args, given)}\n")
    return message


def _parse_option(option: str) -> list[tuple[str, str]]:
    """_parseOption: a listed signature as (name, type) pairs, split the way torch splits it, so
    ``Tensor out = None`` is an argument named ``None`` of type ``Tensor out =``, and ``*`` is one
    too (which is why keywords rarely match and counts include the star)."""
    pairs = []
    for piece in option[1:-1].split(", "):
        space = piece.rfind(" ")
        pairs.append((piece, piece) if space < 0 else (piece[space + 1:], piece[:space]))
    return pairs


def _type_matches(type_name: str, obj: object) -> bool:
    """_buildType's matching: ``float`` accepts int too; every other type compares the name."""
    name = tp_name(obj)
    if type_name == "float":
        return name in ("float", "int", "long")
    if type_name == "int":
        return name in ("int", "long")
    return name == type_name


def _argcount_match(option: list[tuple[str, str]], args: tuple, given: dict[str, Any]) -> bool:
    return len(args) + len(given) == len(option)


def _unmatched_kwargs(option: list[tuple[str, str]], given: dict[str, Any]) -> list[str]:
    """_tryMatchKwargs: keywords not named among the option's last len(kwargs) arguments."""
    names = [name for name, _ in option[max(len(option) - len(given), 0):]]
    return [key for key in given if key not in names]


def _describe(obj: object) -> str:
    if isinstance(obj, tuple):
        inner = ", ".join(tp_name(item) for item in obj)
        return f"{tp_name(obj)} of ({inner}{',' if len(obj) == 1 else ''})"
    if isinstance(obj, list):
        return f"{tp_name(obj)} of [{', '.join(tp_name(item) for item in obj)}]"
    return tp_name(obj)


def _formatted_arg_desc(option: list[tuple[str, str]], args: tuple, given: dict[str, Any]) -> str:
    """_formattedArgDesc: each argument's type, ``!``-marked (red on a terminal) where it does not
    match; keyword arguments are shown under the option's names, in the option's order."""
    if os.isatty(1) and os.isatty(2):
        red, reset_red, green, reset_green = "\33[31;1m", "\33[0m", "\33[32;1m", "\33[0m"
    else:
        red, reset_red, green, reset_green = "!", "!", "", ""
    result = "("
    for i in range(len(args) + len(given)):
        if i < len(args):
            obj, label = args[i], ""
        else:
            name = option[i][0]
            obj, label = given[name], f"{name}="
        if i < len(option) and _type_matches(option[i][1], obj):
            result += f"{green}{label}{_describe(obj)}{reset_green}, "
        else:
            result += f"{red}{label}{_describe(obj)}{reset_red}, "
    if args:
        result = result[:-2]
    return result + ")"


def _arg_desc(args: tuple, given: dict[str, Any]) -> str:
    """_argDesc (a call with keywords only keeps the trailing ", ", as torch's does)."""
    result = "(" + "".join(f"{tp_name(arg)}, " for arg in args)
    result += "".join(f"{key}={tp_name(value)}, " for key, value in given.items())
    if args:
        result = result[:-2]
    return result + ")"


def _cxx_kwargs(kwargs: dict) -> dict[str, Any]:
    """The keyword arguments as torch's ``std::unordered_map<std::string, PyObject*>`` holds them,
    in the order it iterates them (libstdc++): messages list keywords in that order."""
    keys: list[str] = []
    values: dict[str, Any] = {}
    for key, value in kwargs.items():
        if not isinstance(key, (str, bytes)):
            raise RuntimeError("unpackString: expected bytes or unicode object")
        name = _to_string(key)
        if name not in values:  # emplace keeps the first of equal keys
            keys.append(name)
            values[name] = value
    return {keys[i]: values[keys[i]] for i in _unordered_map_order([k.encode() for k in keys])}


_MUL = 0xC6A4A7935BD1E995
_M64 = (1 << 64) - 1
_FAST_BUCKETS = (2, 2, 2, 3, 5, 5, 7, 7, 11, 11, 11, 11, 13, 13)
_PRIMES = (17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 103, 109, 113, 127, 137, 139,
           149, 157, 167, 179, 193, 199, 211, 227, 241, 257, 277, 293, 313, 337, 359, 383, 409, 439, 467, 503, 541,
           577, 619, 661, 709, 761, 823, 887, 953, 1031, 1109)


def _hash_bytes(data: bytes, seed: int = 0xC70F6907) -> int:
    """libstdc++'s ``std::_Hash_bytes`` (64-bit), the hash of ``std::hash<std::string>``."""
    def shift_mix(v: int) -> int:
        return v ^ (v >> 47)

    n = len(data)
    h = (seed ^ (n * _MUL)) & _M64
    aligned = n & ~7
    for i in range(0, aligned, 8):
        block = (shift_mix((int.from_bytes(data[i:i + 8], "little") * _MUL) & _M64) * _MUL) & _M64
        h = ((h ^ block) * _MUL) & _M64
    if n & 7:
        h = ((h ^ int.from_bytes(data[aligned:], "little")) * _MUL) & _M64
    return shift_mix((shift_mix(h) * _MUL) & _M64)


def _next_bucket_count(n: int) -> int:
    """_Prime_rehash_policy::_M_next_bkt: its table (checked against torch up to 1109 buckets, i.e.
    1109 keywords); past it, the next prime, which libstdc++'s sparser table need not be."""
    if n < len(_FAST_BUCKETS):
        return _FAST_BUCKETS[n] if n else 1
    if n <= _PRIMES[-1]:
        return next(p for p in _PRIMES if p >= n)
    while any(n % d == 0 for d in range(2, int(n**0.5) + 1)):
        n += 1
    return n


def _unordered_map_order(keys: list[bytes]) -> list[int]:
    """Indices of distinct ``keys``, inserted in turn into a libstdc++ unordered_map, in its
    iteration order: a key whose bucket is empty goes to the front, otherwise to the front of its
    bucket's run; growing (to 13 buckets at the first insert, then by the prime policy) re-inserts
    the nodes in their current order."""
    codes = [_hash_bytes(key) for key in keys]

    def insert(order: list[int], node: int, buckets: int) -> None:
        bucket = codes[node] % buckets
        for j, other in enumerate(order):
            if codes[other] % buckets == bucket:
                order.insert(j, node)
                return
        order.insert(0, node)

    buckets, next_resize, order = 1, 0, []
    for node in range(len(keys)):
        wanted = len(order) + 1
        if wanted > next_resize:
            minimum = max(wanted, 0 if next_resize else 11)
            if minimum >= buckets:
                buckets = next_resize = _next_bucket_count(max(minimum + 1, buckets * 2))
                previous, order = order, []
                for other in previous:
                    insert(order, other, buckets)
            else:
                next_resize = buckets
        insert(order, node, buckets)
    return order
