"""Tensor creation: ``tensor``/``as_tensor``/``from_numpy``, the legacy ``Tensor(...)`` constructor,
filled factories and their ``_like``/``new_*`` forms, ranges, ``eye`` and random factories.

Signatures are torch's Python bindings (torch/csrc/autograd/generated/python_torch_functions.cpp,
python_variable_methods.cpp and the hand-written ones of python_torch_functions_manual.cpp), so the
parser accepts their positional and keyword forms and raises their TypeErrors. Every factory works
as ATen's does (aten/src/ATen/native/TensorFactories.cpp): a new tensor from ``at::empty`` (the
backend's allocation, with torch's size checks and allocation errors) that a fill writes into
(``fill_``, ``uniform_``, ``normal_``, ``random_``...; the backend's storage is zeroed already, so
``zero_`` is not needed). ``requires_grad=True`` is applied last, as the bindings'
``set_requires_grad`` does.

Data is read as torch/csrc/utils/tensor_new.cpp's ``internal_new_from_data`` reads it: a tensor is
converted (and copied when the caller copies), a NumPy array is borrowed and converted (copied when
the caller copies), nested sequences are stored number by number. Dtype inference: Python bool ->
bool, int -> int64, float -> default dtype, complex -> default complex; sequences fold
``promote_types``; NumPy arrays and scalars keep their dtype; an empty sequence is the default dtype.
"""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any

from .. import _dtype as D
from .. import _random
from .._device import CPU, device
from .._layout import contiguous_format, preserve_format, strided
from .._promotion import promote_types, scalar_dtype
from .._size import Size
from .._storage import TypedStorage, UntypedStorage
from .._tensor import Tensor
from .._warnings import warn_once
from ._args import Parser, tp_name
from ._python_numbers import read_numbers
from ._scalars import scalar_array
from ._util import array_dtype, backend_of, cast_array, check_sizes_nonnegative, empty_like, empty_tensor
from .conversion import to_impl
from .random_fill import draw_integers, normal_, uniform_
from .registry import aten, register

_FACTORY = ("*, Tensor out=None, ScalarType? dtype=None, Layout? layout=None, Device? device=None, "
            "bool? pin_memory=False, bool? requires_grad=False")
_LIKE = ("*, MemoryFormat? memory_format=None, ScalarType? dtype=None, Layout? layout=None, Device? device=None, "
         "bool? pin_memory=False, bool? requires_grad=False")
_NEW = "*, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=False, " \
       "bool? requires_grad=False"


def _finish(t: Tensor, requires_grad: bool) -> Tensor:
    """A factory's result: at version 0 (torch's factories fill their new tensor below the
    ADInplaceOrView key, so the fill is no modification), with ``requires_grad=`` applied (the
    bindings' ``set_requires_grad``, whose dtype error is worded differently from ``requires_grad_``'s)."""
    t._version_counter.value = 0
    if requires_grad:
        if not (t._dtype.is_floating_point or t._dtype.is_complex):
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        t.requires_grad_(True)
    return t


def _check_options(layout: Any, pin_memory: bool) -> None:
    """The TensorOptions a factory cannot honour: only the strided layout (torch makes sparse
    tensors), and no pinned memory (torch has no pinned memory allocator without an accelerator)."""
    if layout is not None and layout is not strided:
        raise NotImplementedError(f"reftorch has no sparse tensors: layout={layout} is not supported")
    if pin_memory:
        raise RuntimeError("pin_memory=True requires a CUDA or other accelerator backend; no pinned memory "
                           "allocator is available on this system.")


def _filled(t: Tensor, value: Any) -> Tensor:
    """``fill_`` of a factory's new dense tensor (its storage holds exactly its elements): ``value``
    converted as ``fill_`` converts a number (range-checked), written over the whole storage."""
    t._storage.array.fill(scalar_array(t._backend, value, t._dtype))
    return t


def _ones(t: Tensor) -> Tensor:
    return _filled(t, 1)


def _empty(size: tuple[int, ...], dtype: D.dtype, dev: device) -> Tensor:
    """``at::empty``: sizes checked non-negative, then a new contiguous tensor from the backend."""
    check_sizes_nonnegative(size)
    return empty_tensor(size, dtype, dev)


# ----------------------------------------------------------------------------- reading data
def _is_host_array(value: Any) -> bool:
    return type(value).__module__ == "numpy" and hasattr(value, "dtype")


def _infer(data: Any, target: D.dtype | None = None) -> tuple[tuple[int, ...], D.dtype | None]:
    """Shape and inferred dtype of nested data (dtype None for an empty sequence). With a ``target``
    dtype torch infers nothing: a leaf that is not a number fails as storing it into ``target`` fails
    (``store_scalar`` in torch/csrc/utils/tensor_new.cpp)."""
    if isinstance(data, Tensor):
        return data._shape, data._dtype
    if _is_host_array(data):
        return tuple(data.shape), D.from_array_dtype(data.dtype)
    if isinstance(data, bool):
        return (), D.bool
    if isinstance(data, numbers.Integral):
        return (), D.int64
    if isinstance(data, numbers.Real):
        return (), D.get_default_dtype()
    if isinstance(data, numbers.Complex):
        return (), D.default_complex_dtype()
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    if not isinstance(data, (list, tuple)) and not hasattr(data, "__len__"):
        if target is not None:
            raise _unstorable(data, target)
        raise RuntimeError(f"Could not infer dtype of {type(data).__name__}")
    items = list(data)
    if not items:
        return (0,), None
    first_shape, dtype = _infer_item(items[0], target)
    for item in items[1:]:
        shape, item_dtype = _infer_item(item, target)
        if shape != first_shape:
            _raise_ragged(first_shape, shape)
        if item_dtype is not None:
            dtype = item_dtype if dtype is None else promote_types(dtype, item_dtype)
    return (len(items),) + first_shape, dtype


def infer_dtype(data: Any) -> D.dtype | None:
    """The dtype torch infers for data (``infer_scalar_type``; None for an empty sequence)."""
    return _infer(data)[1]


def _infer_item(item: Any, target: D.dtype | None) -> tuple[tuple[int, ...], D.dtype | None]:
    if isinstance(item, str):
        if target is not None:
            raise _unstorable(item, target)
        raise ValueError("too many dimensions 'str'")
    if isinstance(item, Tensor) and item.numel() == 1 and item.dim() <= 1:
        return (), item._dtype
    return _infer(item, target)


def _unstorable(value: Any, target: D.dtype) -> TypeError:
    """Python's unpacking error for a non-number stored into ``target`` (``THPUtils_unpackLong`` for
    integral and bool targets, ``THPUtils_unpackDouble`` for floating and complex ones)."""
    if target.category <= D.INTEGER:
        return TypeError(f"'{type(value).__name__}' object cannot be interpreted as an integer")
    return TypeError(f"must be real number, not {type(value).__name__}")


def _raise_ragged(expected: tuple[int, ...], got: tuple[int, ...]) -> None:
    if not got or not expected:
        raise TypeError("not a sequence")
    for dim, (e, g) in enumerate(zip(expected, got), start=1):
        if e != g:
            raise ValueError(f"expected sequence of length {e} at dim {dim} (got {g})")
    raise ValueError(f"expected sequence of length {expected[0]} at dim 1 (got {got[0]})")


def _to_nested_host(data: Any) -> Any:
    """Replace tensors inside nested data by host values so the array module can read it."""
    if isinstance(data, Tensor):
        values = data.detach().cpu()._host_values()
        return values.reshape(()) if data.numel() == 1 and data.dim() <= 1 else values
    if isinstance(data, (list, tuple)) and any(isinstance(x, (Tensor, list, tuple)) for x in data):
        return [_to_nested_host(x) for x in data]
    return data


def from_data(data: Any, dtype: D.dtype | None, dev: device | None, *, copy: bool) -> Tensor:
    """torch's ``internal_new_from_data``: ``data`` read into ``dtype`` (None: inferred) on ``dev``
    (None: the data's device, else the CPU). A tensor is converted with ``to`` (detached and copied
    when ``copy``); a NumPy array is borrowed as ``from_numpy`` borrows it and converted (copied when
    ``copy``); nested numbers are stored one by one into a new tensor."""
    if isinstance(data, Tensor):
        source = data.detach() if copy else data
        return to_impl(source, dev, dtype, False, copy, None)
    if _is_host_array(data):  # a NumPy scalar is read as the zero-dim array it makes
        host = backend_of(CPU).xp
        scalar = not isinstance(data, host.ndarray)
        borrowed = _from_numpy(host.asarray(data) if scalar else data, warn_if_not_writeable=not copy)
        return to_impl(borrowed, dev, dtype, False, copy or scalar, None)
    shape, inferred = _infer(data, dtype)
    target = dtype or inferred or D.get_default_dtype()
    nested = _to_nested_host(data)
    if inferred is None:
        host_backend = backend_of(CPU)
        host = host_backend.xp.array(nested, dtype=array_dtype(host_backend, target)).reshape(shape)
    else:
        host = read_numbers(nested, shape, inferred, target)
    result = _empty(shape, target, dev or CPU)
    result._backend.xp.copyto(result._array, result._backend.from_host(host))
    return result


def _warn_copy_construct(data: Any, call: str) -> None:
    """torch's UserWarning for copy-constructing from a tensor (``PyErr_WarnEx``, at the caller)."""
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
            f"sourceTensor.detach().clone().requires_grad_(True), rather than {call}(sourceTensor).",
            UserWarning, stacklevel=4)


@register("tensor", "tensor(PyObject* data, *, ScalarType dtype=None, Device? device=None, bool pin_memory=False, "
          "bool requires_grad=False)", method=False)
def tensor(data: Any, dtype: D.dtype | None, device_: device | None, pin_memory: bool,
           requires_grad: bool) -> Tensor:
    """``torch.tensor``: always copies ``data``; infers the dtype unless given."""
    _warn_copy_construct(data, "torch.tensor")
    _check_options(None, pin_memory)
    return _finish(from_data(data, dtype, device_, copy=True), requires_grad)


@register("as_tensor", "as_tensor(PyObject* data, *, ScalarType dtype=None, Device? device=None)", composite=True,
          method=False)
def as_tensor(data: Any, dtype: D.dtype | None, device_: device | None) -> Tensor:
    """``torch.as_tensor``: reuses a tensor or a NumPy array's memory when dtype and device allow."""
    return from_data(data, dtype, device_, copy=False)


@register("new_tensor", "new_tensor(Tensor self, PyObject* data, *, ScalarType dtype=None, Device? device=None, "
          "bool requires_grad=False)", function=False)
def new_tensor(self: Tensor, data: Any, dtype: D.dtype | None, device_: device | None,
               requires_grad: bool) -> Tensor:
    """``Tensor.new_tensor``: copies ``data`` into this tensor's dtype and device unless given."""
    _warn_copy_construct(data, "tensor.new_tensor")
    return _finish(from_data(data, dtype or self._dtype, device_ or self.device, copy=True), requires_grad)


@register("from_numpy", "from_numpy(PyObject* ndarray)", method=False, python=True)
def from_numpy(*args: Any, **kwargs: Any) -> Tensor:
    """``torch.from_numpy``: a CPU tensor sharing memory with the array (both ways). torch binds it
    without its argument parser (``METH_O``): exactly one positional argument."""
    if kwargs:
        raise TypeError("torch._VariableFunctionsClass.from_numpy() takes no keyword arguments")
    if len(args) != 1:
        raise TypeError(f"torch._VariableFunctionsClass.from_numpy() takes exactly one argument ({len(args)} given)")
    return _from_numpy(args[0], warn_if_not_writeable=True)


def _from_numpy(array: Any, warn_if_not_writeable: bool) -> Tensor:
    """torch/csrc/utils/tensor_numpy.cpp's ``tensor_from_numpy``."""
    backend = backend_of(CPU)
    if not isinstance(array, backend.xp.ndarray):
        raise TypeError(f"expected np.ndarray (got {tp_name(array)})")
    dtype = D.from_array_dtype(array.dtype)
    itemsize = array.itemsize
    if any(s < 0 for s in array.strides):
        raise ValueError(
            "At least one stride in the given numpy array is negative, and tensors with negative strides are "
            "not currently supported. (You can probably work around this by making a copy of your array  "
            "with array.copy().) ")
    if any(s % itemsize for s in array.strides):
        raise ValueError("given numpy array strides not a multiple of the element byte size. Copy the numpy "
                         "array to reallocate the memory.")
    if not array.flags.writeable and warn_if_not_writeable:
        warn_once(
            "The given NumPy array is not writable, and PyTorch does not support non-writable tensors. This "
            "means writing to this tensor will result in undefined behavior. You may want to copy the array "
            "to protect its data or make it writable before converting it to a tensor. This type of warning "
            "will be suppressed for the rest of this program.", stacklevel=2)
    strides = tuple(s // itemsize for s in array.strides)
    span = 1 + sum((n - 1) * s for n, s in zip(array.shape, strides)) if array.size else 0
    flat = backend.xp.lib.stride_tricks.as_strided(array, shape=(span,), strides=(itemsize,))
    storage = UntypedStorage(flat, CPU, backend, resizable=False)
    return Tensor._make(storage, tuple(array.shape), strides, 0, dtype)


@register("frombuffer", "frombuffer(PyObject* buffer, *, ScalarType dtype, int64_t count=-1, int64_t offset=0, "
          "bool requires_grad=False)", method=False)
def frombuffer(buffer: Any, dtype: D.dtype, count: int = -1, offset: int = 0, requires_grad: bool = False) -> Tensor:
    """``torch.frombuffer``: a 1-D CPU tensor sharing memory with an object of the buffer protocol,
    ``count`` elements of ``dtype`` from byte ``offset`` (torch/csrc/utils/tensor_new.cpp's
    ``tensor_frombuffer``: its checks and messages, and its warning for a read-only buffer)."""
    try:
        view = memoryview(buffer)
    except TypeError:
        raise ValueError("object does not implement Python buffer protocol.") from None
    if not view.c_contiguous:  # (PyBUF_SIMPLE asks for one contiguous block)
        raise RuntimeError("could not retrieve buffer from object")
    if view.readonly:
        warn_once(
            "The given buffer is not writable, and PyTorch does not support non-writable tensors. This means you "
            "can write to the underlying (supposedly non-writable) buffer using the tensor. You may want to copy "
            "the buffer to protect its data or make it writable before converting it to a tensor. This type of "
            "warning will be suppressed for the rest of this program.", stacklevel=2)
    length, elsize = view.nbytes, dtype.itemsize
    if length <= 0 or count == 0:
        raise ValueError(f"both buffer length ({length}) and count ({count}) must not be 0")
    if not 0 <= offset < length:
        raise ValueError(f"offset ({offset} bytes) must be non-negative and no greater than buffer length "
                         f"({length} bytes) minus 1")
    if count < 0 and (length - offset) % elsize:
        raise ValueError(f"buffer length ({length - offset} bytes) after offset ({offset} bytes) must be a multiple "
                         f"of element size ({elsize})")
    actual = (length - offset) // elsize if count < 0 else count
    if offset + actual * elsize > length:
        raise ValueError(f"requested buffer length ({actual} * {elsize} bytes) after offset ({offset} bytes) must "
                         f"not be greater than actual buffer length ({length} bytes)")
    backend = backend_of(CPU)
    flat = backend.xp.frombuffer(view.cast("B"), dtype=array_dtype(backend, dtype), count=actual, offset=offset)
    return _finish(Tensor._make(UntypedStorage(flat, CPU, backend, resizable=False), (actual,), (1,), 0, dtype),
                   requires_grad)


def _rebuild_from_host(values: Any, requires_grad: bool) -> Tensor:
    """Unpickling helper: a CPU tensor from a NumPy array (used by ``Tensor.__reduce_ex__``)."""
    return _finish(from_data(values, None, CPU, copy=True), requires_grad)


# ----------------------------------------------------------------------------- legacy constructor
# torch/csrc/utils/tensor_new.cpp's legacy_tensor_generic_ctor_new, less the hidden ``cdata`` signature
# (a raw TensorImpl pointer).
_LEGACY = Parser([
    "new(*, Device? device=None)",
    "new(Storage storage)",
    "new(Tensor other)",
    "new(Tensor other, *, Device? device=None)|hidden",
    "new(SymIntArrayRef size, *, Device? device=None)",
    "new(PyObject* data, *, Device? device=None)",
])


def legacy_construct(cls: type, args: tuple, kwargs: dict, dtype: D.dtype | None = None) -> Tensor:
    """``torch.Tensor(...)`` (the base constructor): no argument gives an empty (0,) tensor, a storage
    is viewed, another tensor is aliased, sizes make an uninitialised tensor, a sequence is read;
    always the default dtype (except an aliased tensor) on the CPU. A legacy type object
    (``torch.FloatTensor(...)``) passes its own ``dtype``, which an aliased tensor must have."""
    index, values = _LEGACY.parse(args, kwargs)
    default = D.get_default_dtype() if dtype is None else dtype
    if index == 2:
        if dtype is not None and values[0]._dtype != dtype:
            raise TypeError(f"expected {_options(dtype)} (got {_options(values[0]._dtype)})")
        return _as_class(aten.alias(values[0]), cls)
    if index == 3:
        raise RuntimeError("Legacy tensor constructor of the form torch.Tensor(tensor, device=device) is not "
                           "supported.  Use torch.tensor(...) or torch.as_tensor(...) instead.")
    if index == 1:
        return _as_class(_on_storage(values[0], default), cls)
    dev = values[-1]
    if dev is not None and dev.type != "cpu":
        raise RuntimeError(f"legacy constructor expects device type: cpu but device type: {dev.type} was passed")
    if index == 0:
        return _as_class(_empty((0,), default, CPU), cls)
    if index == 4:  # sizes; but a sequence other than a Size given first by position is data (as torch reads it)
        data = args[0] if args else None
        if not isinstance(data, (list, tuple)) or isinstance(data, Size):
            return _as_class(_empty(values[0], default, CPU), cls)
    else:
        data = values[0]
        if not is_sequence(data):
            raise TypeError(f"new(): data must be a sequence (got {tp_name(data)})")
    return _as_class(from_data(data, default, CPU, copy=False), cls)


def _options(dtype: D.dtype) -> str:
    """c10's ``TensorOptions`` printout for a CPU strided tensor of ``dtype`` (legacy constructors' errors)."""
    return (f"TensorOptions(dtype={dtype.cpp_name}, device=cpu, layout=Strided, requires_grad=false (default), "
            "pinned_memory=false (default), memory_format=(nullopt))")


def is_sequence(obj: Any) -> bool:
    """CPython's ``PySequence_Check`` for the objects torch reads as data or indices: lists, tuples,
    strings, NumPy arrays (zero-dim ones too) and classes written in Python with ``__getitem__``;
    not dicts, not tensors (which torch checks first), not NumPy scalars."""
    if isinstance(obj, (dict, Tensor)):
        return False
    if isinstance(obj, (list, tuple, str, bytes, range)):
        return True
    cls = type(obj)
    if cls.__module__ == "numpy":
        return cls.__name__ == "ndarray"
    return hasattr(cls, "__getitem__") and cls.__module__ != "builtins"


def _on_storage(storage: UntypedStorage | TypedStorage, dtype: D.dtype) -> Tensor:
    """``torch.Tensor(storage)``: a 1-D tensor over the whole storage (a typed storage must be of the
    default dtype)."""
    if isinstance(storage, TypedStorage):
        if storage.dtype is not dtype:
            raise RuntimeError(f"Expected a Storage of type {dtype.scalar_name} or an UntypedStorage, but got type "
                               f"{storage.dtype.scalar_name} for argument 1 'storage'")
        storage = storage.untyped()
    if storage.array.dtype != array_dtype(storage.backend, dtype):
        raise NotImplementedError("reftorch does not reinterpret a storage's bytes as another dtype")
    return Tensor._make(storage, (storage.array.size,), (1,), 0, dtype)


def _as_class(t: Tensor, cls: type) -> Tensor:
    if cls is not Tensor:
        t.__class__ = cls
    return t


# ----------------------------------------------------------------------------- filled factories
@register("zeros", f"zeros(SymIntArrayRef size, {_FACTORY})", method=False)
def zeros(size: tuple[int, ...], dtype: D.dtype | None, layout: Any, device_: device | None, pin_memory: bool,
          requires_grad: bool) -> Tensor:
    """``torch.zeros``: a new tensor of the default dtype filled with zeros."""
    if any(s < 0 for s in size):
        raise RuntimeError("zeros: Dimension size must be non-negative.")
    _check_options(layout, pin_memory)
    return _finish(_empty(size, dtype or D.get_default_dtype(), device_ or CPU), requires_grad)


@register("ones", f"ones(SymIntArrayRef size, {_FACTORY})", method=False)
def ones(size: tuple[int, ...], dtype: D.dtype | None, layout: Any, device_: device | None, pin_memory: bool,
         requires_grad: bool) -> Tensor:
    """``torch.ones``: a new tensor of the default dtype filled with ones."""
    _check_options(layout, pin_memory)
    return _finish(_ones(_empty(size, dtype or D.get_default_dtype(), device_ or CPU)), requires_grad)


@register("empty.memory_format", f"empty(SymIntArrayRef size, *, MemoryFormat? memory_format=None, "
          f"{_FACTORY[3:]})", method=False)
def empty(size: tuple[int, ...], memory_format: Any, dtype: D.dtype | None, layout: Any, device_: device | None,
          pin_memory: bool, requires_grad: bool) -> Tensor:
    """``torch.empty``: uninitialised in torch; reftorch's storage is zeroed."""
    _check_options(layout, pin_memory)
    if memory_format is preserve_format:
        raise RuntimeError("unsupported memory format Preserve")
    if memory_format not in (None, contiguous_format):
        raise NotImplementedError(f"reftorch does not implement memory_format={memory_format}")
    return _finish(_empty(size, dtype or D.get_default_dtype(), device_ or CPU), requires_grad)


@register("full", f"full(SymIntArrayRef size, Scalar fill_value, {_FACTORY})", method=False)
def full(size: tuple[int, ...], fill_value: Any, dtype: D.dtype | None, layout: Any, device_: device | None,
         pin_memory: bool, requires_grad: bool) -> Tensor:
    """``torch.full``: the dtype is inferred from ``fill_value`` (ATen's ``infer_full_options``: bool,
    int64, the default complex or float dtype) unless given; the value is converted as ``fill_``
    converts it (overflow checked)."""
    _check_options(layout, pin_memory)
    return _finish(_filled(_empty(size, dtype or scalar_dtype(fill_value), device_ or CPU), fill_value),
                   requires_grad)


def _like(fill: Any, self: Tensor, memory_format: Any, dtype: D.dtype | None, layout: Any, device_: device | None,
          pin_memory: bool, requires_grad: bool) -> Tensor:
    """A ``_like`` factory: ``empty_like`` then ``fill`` (None: left as allocated, zeroed)."""
    _check_options(layout, pin_memory)
    result = empty_like(self, memory_format, dtype or self._dtype, device_ or self.device)
    return _finish(result if fill is None else fill(result), requires_grad)


register("full_like", f"full_like(Tensor input, Scalar fill_value, {_LIKE})", method=False)(
    lambda self, fill_value, *options: _like(lambda t: _filled(t, fill_value), self, *options))


def _new(fill: Any, self: Tensor, size: tuple[int, ...], dtype: D.dtype | None, layout: Any,
         device_: device | None, pin_memory: bool, requires_grad: bool) -> Tensor:
    """A ``new_*`` factory: ``self``'s dtype and device unless given, contiguous; then ``fill`` (None:
    left as allocated, zeroed)."""
    _check_options(layout, pin_memory)
    result = _empty(size, dtype or self._dtype, device_ or self.device)
    return _finish(result if fill is None else fill(result), requires_grad)


register("new_full", f"new_full(Tensor self, SymIntArrayRef size, Scalar fill_value, {_NEW})", function=False)(
    lambda self, size, fill_value, *options: _new(lambda t: _filled(t, fill_value), self, size, *options))


for _name, _fill in (("zeros", None), ("ones", _ones), ("empty", None)):  # (new storage is zeroed already)
    register(f"{_name}_like", f"{_name}_like(Tensor input, {_LIKE})", method=False)(
        lambda self, *options, fill=_fill: _like(fill, self, *options))
    register(f"new_{_name}", f"new_{_name}(Tensor self, SymIntArrayRef size, {_NEW})", function=False)(
        lambda self, *arguments, fill=_fill: _new(fill, self, *arguments))


# ----------------------------------------------------------------------------- ranges
def _double_str(value: float) -> str:
    """A double as C++'s ``operator<<`` prints it (``%g``, 6 significant digits)."""
    return f"{value:g}"


def _arange_size(start: Any, end: Any, step: Any, dtype: D.dtype) -> int:
    """aten/src/ATen/native/RangeUtils.h: ``arange_check_bounds`` in doubles, then the step in the
    result's accumulate type (an integer dtype truncates it: ValueError when that leaves 0), then the
    length (``ceil((end - start) / step)``, in int64 arithmetic for int64 results)."""
    dstart, dend, dstep = (float(v) for v in (start, end, step))
    if not (dstep > 0 or dstep < 0):
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(dstart) and math.isfinite(dend)):
        raise RuntimeError(f"unsupported range: {_double_str(dstart)} -> {_double_str(dend)}")
    if not ((dstep > 0 and dend >= dstart) or (dstep < 0 and dend <= dstart)):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if dtype.category <= D.INTEGER:
        xstart, xend, xstep = (int(v) for v in (start, end, step))
        if xstep == 0:
            raise ValueError("step must be nonzero")
        if dtype is D.int64:  # C++ integer division (truncating); the sign check keeps it non-negative
            numerator = xend - xstart + xstep - (1 if xstep > 0 else -1)
            size = abs(numerator) // abs(xstep)
            return size if (numerator < 0) == (xstep < 0) else -size
    size_d = math.ceil((dend - dstart) / dstep)
    if not 0 <= size_d <= (1 << 63) - 1:
        raise RuntimeError("invalid size, possible overflow?")
    return size_d


def _arange(start: Any, end: Any, step: Any, dtype: D.dtype | None, layout: Any, device_: device | None,
            pin_memory: bool, requires_grad: bool) -> Tensor:
    """ATen's ``arange``: int64 when start, end and step are all integers (bools count), else the
    default dtype; values are ``start + i * step``."""
    integral = all(isinstance(v, int) for v in (start, end, step))
    target = dtype or (D.int64 if integral else D.get_default_dtype())
    if target is D.bool:
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    _check_options(layout, pin_memory)
    dev = device_ or CPU
    size = _arange_size(start, end, step, target)
    result = _empty((size,), target, dev)
    xp = result._backend.xp
    if target.category == D.INTEGER:  # accumulated in int64, from the truncated bounds
        values = int(start) + int(step) * xp.arange(size, dtype="int64")
    else:
        values = start + step * xp.arange(size, dtype="float64")
    xp.copyto(result._array, cast_array(result._backend, values, target), casting="unsafe")
    return _finish(result, requires_grad)


_RANGE_OPTIONS = "ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=False, " \
                 "bool? requires_grad=False"
register("arange", f"arange(Scalar end, {_FACTORY})", method=False)(
    lambda end, *options: _arange(0, end, 1, *options))
register("arange.start", f"arange(Scalar start, Scalar end, *, {_RANGE_OPTIONS})", method=False)(
    lambda start, end, *options: _arange(start, end, 1, *options))
register("arange.start_step", f"arange(Scalar start, Scalar end, Scalar step=1, {_FACTORY})", method=False)(_arange)


@register("range.step", "range(Scalar start, Scalar end, Scalar step=1, *, Tensor out=None, ScalarType dtype=None, "
          "Layout layout=torch.strided, Device device=None, bool requires_grad=False)", method=False)
def range_(start: Any, end: Any, step: Any, dtype: D.dtype | None, layout: Any, device_: device | None,
           requires_grad: bool) -> Tensor:
    """Deprecated ``torch.range``: like ``arange`` but *including* ``end``, and of the default float
    dtype even for integer arguments; warns (UserWarning) on every call once its arguments parsed,
    as torch does."""
    warnings.warn(
        "torch.range is deprecated and will be removed in a future release because its behavior is inconsistent "
        "with Python's range builtin. Instead, use torch.arange, which produces values in [start, end).",
        UserWarning, stacklevel=3)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    target = dtype or D.get_default_dtype()
    _check_options(layout, False)
    dev = device_ or CPU
    count = int(math.floor((end - start) / step)) + 1
    result = _empty((count,), target, dev)
    values = start + step * result._backend.xp.arange(count, dtype="float64")
    result._backend.xp.copyto(result._array, cast_array(result._backend, values, target), casting="unsafe")
    return _finish(result, requires_grad)


def _linspace(start: Any, end: Any, steps: int, dtype: D.dtype | None, layout: Any, device_: device | None,
              pin_memory: bool, requires_grad: bool) -> Tensor:
    """``torch.linspace``: the CPU kernel fills the first half from ``start`` and the second half from
    ``end`` (symmetric rounding), in the output dtype."""
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    target = dtype or D.get_default_dtype()
    _check_options(layout, pin_memory)
    dev = device_ or CPU
    result = _empty((steps,), target, dev)
    xp = result._backend.xp
    compute = "float64" if not target.is_floating_point else target.array_name
    idx = xp.arange(steps, dtype=compute)
    if steps == 1:
        values = xp.full(1, start, dtype=compute)
    else:
        step = (xp.asarray(end, dtype=compute) - xp.asarray(start, dtype=compute)) / (steps - 1)
        halfway = steps // 2
        values = xp.where(idx < halfway, start + step * idx, end - step * (steps - 1 - idx)).astype(compute)
    if not target.is_floating_point:
        values = xp.trunc(values)
    xp.copyto(result._array, cast_array(result._backend, values, target), casting="unsafe")
    return _finish(result, requires_grad)


def _zero_dim(value: Any, name: str) -> Any:
    """A linspace bound given as a tensor: only zero-dim ones, as their value."""
    if isinstance(value, Tensor):
        if value.dim():
            raise RuntimeError(f"linspace only supports 0-dimensional start and end tensors, but got {name} with "
                               f"{value.dim()} dimension(s).")
        return value.item()
    return value


def _linspace_tensors(start: Any, end: Any, steps: int, *options: Any) -> Tensor:
    """The tensor overloads (aten/src/ATen/native/RangeFactories.cpp): zero-dim bounds, by value."""
    if isinstance(start, Tensor) and isinstance(end, Tensor) and (start.dim() or end.dim()):
        raise RuntimeError("linspace only supports 0-dimensional start and end tensors, but got start with "
                           f"{start.dim()} dimension(s) and end with {end.dim()} dimension(s).")
    return _linspace(_zero_dim(start, "start"), _zero_dim(end, "end"), steps, *options)


for _overload, _start, _end in (("Tensor_Tensor", "Tensor", "Tensor"), ("Scalar_Tensor", "Scalar", "Tensor"),
                                ("Tensor_Scalar", "Tensor", "Scalar")):
    register(f"linspace.{_overload}", f"linspace({_start} start, {_end} end, int64_t steps, {_FACTORY})",
             method=False)(_linspace_tensors)
register("linspace", f"linspace(Scalar start, Scalar end, int64_t steps, {_FACTORY})", method=False)(_linspace)


def _eye(n: int, m: int | None, dtype: D.dtype | None, layout: Any, device_: device | None, pin_memory: bool,
         requires_grad: bool) -> Tensor:
    """``torch.eye``: an n x m identity (m defaults to n): zeros with ones on the diagonal."""
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    m = n if m is None else m
    _check_options(layout, pin_memory)
    dev = device_ or CPU
    result = _empty((n, m), dtype or D.get_default_dtype(), dev)
    result._storage.array[:min(n, m) * (m + 1):m + 1] = 1  # (the diagonal only: no wrap when n > m)
    return _finish(result, requires_grad)


register("eye", f"eye(SymInt n, {_FACTORY})", method=False)(lambda n, *options: _eye(n, None, *options))
register("eye.m", f"eye(SymInt n, SymInt m, {_FACTORY})", method=False)(_eye)


# ----------------------------------------------------------------------------- random factories
def random_factory(fill: Any, size: tuple[int, ...], generator: _random.Generator | None, dtype: D.dtype | None,
            layout: Any, device_: device | None, pin_memory: bool, requires_grad: bool,
            default: D.dtype | None = None) -> Tensor:
    """A random factory: ``at::empty`` then the in-place draw ``fill(result, generator)``."""
    _check_options(layout, pin_memory)
    dev = device_ or CPU
    result = _empty(size, dtype or default or D.get_default_dtype(), dev)
    return _finish(fill(result, generator), requires_grad)


def _uniform(t: Tensor, generator: _random.Generator | None) -> Tensor:
    return uniform_(t, 0.0, 1.0, generator)


def _normal(t: Tensor, generator: _random.Generator | None) -> Tensor:
    return normal_(t, 0.0, 1.0, generator)


for _name, _fill in (("rand", _uniform), ("randn", _normal)):
    register(f"{_name}.generator", f"{_name}(SymIntArrayRef size, *, Generator? generator, {_FACTORY[3:]})",
             method=False)(lambda size, *options, fill=_fill: random_factory(fill, size, *options))
    register(_name, f"{_name}(SymIntArrayRef size, {_FACTORY})", method=False)(
        lambda size, *options, fill=_fill: random_factory(fill, size, None, *options))
    register(f"{_name}_like.generator", f"{_name}_like(Tensor input, *, Generator? generator, {_LIKE[3:]})",
             method=False)(lambda self, generator, *options, fill=_fill: _like(
                 lambda t: fill(t, generator), self, *options))
    register(f"{_name}_like", f"{_name}_like(Tensor input, {_LIKE})", method=False)(
        lambda self, *options, fill=_fill: _like(lambda t: fill(t, None), self, *options))


def _randint(low: int, high: int, size: tuple[int, ...], generator: _random.Generator | None, *options: Any) -> Tensor:
    """``torch.randint(low=0, high, size)``: int64 (unless given) samples in [low, high)."""
    return random_factory(lambda t, g: draw_integers(t, low, high, g), size, generator, *options, default=D.int64)


register("randint.generator", f"randint(SymInt high, SymIntArrayRef size, *, Generator? generator, {_FACTORY[3:]})",
         method=False)(lambda high, size, *options: _randint(0, high, size, *options))
register("randint", f"randint(SymInt high, SymIntArrayRef size, {_FACTORY})", method=False)(
    lambda high, size, *options: _randint(0, high, size, None, *options))
register("randint.low_generator", f"randint(SymInt low, SymInt high, SymIntArrayRef size, *, Generator? generator, "
         f"{_FACTORY[3:]})", method=False)(_randint)
register("randint.low", f"randint(SymInt low, SymInt high, SymIntArrayRef size, {_FACTORY})", method=False)(
    lambda low, high, size, *options: _randint(low, high, size, None, *options))


def _randint_like(self: Tensor, low: int, high: Any, generator: _random.Generator | None, *options: Any) -> Tensor:
    """``torch.randint_like(input, low=0, high)``: ``empty_like(input)`` (its layout preserved) filled
    by ``random_(low, high)``; a tensor ``high`` must be a 0-dim CPU tensor (its value is used)."""
    if isinstance(high, Tensor):
        if high.numel() != 1 or high.dim() != 0 or high.device.type != "cpu":
            raise RuntimeError("high must be a scalar tensor and on CPU")
        high = int(high.item())
    return _like(lambda t: draw_integers(t, low, high, generator), self, *options)


register("randint_like.low_generator_dtype", f"randint_like(Tensor input, SymInt low, SymInt high, *, "
         f"Generator? generator, {_LIKE[3:]})", method=False)(_randint_like)
register("randint_like.low_dtype", f"randint_like(Tensor input, SymInt low, SymInt high, {_LIKE})", method=False)(
    lambda self, low, high, *options: _randint_like(self, low, high, None, *options))
for _high, _overload in (("Tensor", "Tensor"), ("SymInt", "")):  # torch's order: low, Tensor high, int high
    register(f"randint_like.{_overload + '_' if _overload else ''}generator", f"randint_like(Tensor input, "
             f"{_high} high, *, Generator? generator, {_LIKE[3:]})", method=False)(
        lambda self, high, *options: _randint_like(self, 0, high, *options))
    register(f"randint_like{'.' + _overload if _overload else ''}", f"randint_like(Tensor input, {_high} high, "
             f"{_LIKE})", method=False)(lambda self, high, *options: _randint_like(self, 0, high, None, *options))

def _randperm(n: int, generator: _random.Generator | None, dtype: D.dtype | None, layout: Any,
              device_: device | None, pin_memory: bool, requires_grad: bool) -> Tensor:
    """``torch.randperm``: a random permutation of 0..n-1 (int64 unless given), matching torch's CPU
    shuffle."""
    _check_options(layout, pin_memory)
    dev = device_ or CPU
    result = _empty((n,), dtype or D.int64, dev)  # (a negative n fails here, before randperm's own check)
    values = _random.randperm(n, array_dtype(backend_of(CPU), result._dtype), generator)
    result._backend.xp.copyto(result._array, result._backend.from_host(values))
    return _finish(result, requires_grad)


register("randperm.generator", f"randperm(SymInt n, *, Generator? generator, {_FACTORY[3:]})", method=False)(
    _randperm)
register("randperm", f"randperm(SymInt n, {_FACTORY})", method=False)(
    lambda n, *options: _randperm(n, None, *options))


__all__ = ["as_tensor", "empty", "from_data", "from_numpy", "full", "infer_dtype", "is_sequence", "legacy_construct",
           "new_tensor", "ones", "tensor", "zeros"]
