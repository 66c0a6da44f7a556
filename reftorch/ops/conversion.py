"""Dtype and device conversion (``to``, ``cpu``, ``cuda``, ``type``, ``float()``...) and the copying
in-place ops ``copy_``, ``fill_`` and ``zero_``.

Conversions are composites over ATen's ``_to_copy`` (which records ToCopyBackward0), as
aten/src/ATen/native/TensorConversions.cpp's ``to`` is: nothing changes -> ``self`` itself (unless
``copy=True``), anything else -> a copy that keeps a dense tensor's strides (``preserve_format``).
The method bindings are torch/csrc/autograd/python_variable_methods.cpp's (``THPVariable_to``,
``THPVariable_cuda``, ``THPVariable_type``...), whose signatures the records repeat.
"""

from __future__ import annotations

from typing import Any

from .. import _dtype as D
from .._device import CPU, device
from .._layout import contiguous_format, preserve_format
from .._legacy_types import tensortype
from .._tensor import Tensor
from ._args import class_tp_name
from ._inplace import check_memory, check_writable, store
from ._scalars import scalar_array
from ._util import broadcast_shapes, cast_array, empty_like, shape_str
from .registry import aten, register

_TYPE_STRINGS = {d.tensor_type: d for d in D.ALL_DTYPES}
_NUMBER_DTYPES = {bool: D.bool, int: D.int64, float: D.float64, complex: D.complex128}


# ----------------------------------------------------------------------------- _to_copy and to
@register("_to_copy", "_to_copy(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, "
          "bool? pin_memory=None, bool non_blocking=False, MemoryFormat? memory_format=None)", node="ToCopyBackward0",
          function=False, method=False)
def to_copy(self: Tensor, dtype: D.dtype | None, layout: Any, device_: device | None, pin_memory: bool | None,
            non_blocking: bool, memory_format: Any) -> Tensor:
    """ATen's ``_to_copy``: a new tensor of ``dtype`` on ``device`` (``self``'s unless given) holding
    ``self``'s values cast as torch's copy kernel casts them; laid out as ``empty_like`` lays out
    (a dense tensor's strides kept unless ``memory_format`` says otherwise)."""
    dtype = dtype or self._dtype
    result = empty_like(self, memory_format, dtype, device_ or self.device)
    values = cast_array(self._backend, self._array, dtype)
    if result.device != self.device:
        values = result._backend.from_host(self._backend.to_host(values))
    result._backend.xp.copyto(result._array, values)
    return result


def _with_index(dev: device) -> device:
    """c10's ``ensure_has_index``: a device other than the CPU without an index means the current
    one (index 0); ``cpu`` stays as it is (so ``cpu:0`` is not the CPU tensors' ``cpu``)."""
    return dev if dev.type == "cpu" or dev.index is not None else device(dev.type, 0)


def to_impl(self: Tensor, device_: device | None, dtype: D.dtype | None, non_blocking: bool, copy: bool,
        memory_format: Any) -> Tensor:
    """``at::to`` (``to_impl``): ``self`` itself when dtype, device and memory format already hold and
    no copy is asked for (``to_will_alias``); else ``_to_copy``."""
    if memory_format not in (None, preserve_format, contiguous_format):
        raise NotImplementedError(f"reftorch does not implement memory_format={memory_format}")
    dev = None if device_ is None else _with_index(device_)
    if (not copy and (dtype is None or dtype is self._dtype) and (dev is None or dev == self.device)):
        return self
    return aten._to_copy(self, dtype, None, dev, None, non_blocking, memory_format)


_TO_TAIL = "bool non_blocking=False, bool copy=False, *, MemoryFormat? memory_format=None"


@register("to.device", f"to(Tensor self, Device device=None, ScalarType dtype=None, {_TO_TAIL})", composite=True,
          function=False)
def to(self: Tensor, device_: device | None, dtype: D.dtype | None, non_blocking: bool, copy: bool,
       memory_format: Any) -> Tensor:
    """``Tensor.to(device, dtype)``, ``to(dtype)``, ``to(other)``: ``self`` when nothing changes and
    ``copy`` is False, else a converted copy."""
    return to_impl(self, device_, dtype, non_blocking, copy, memory_format)


register("to.dtype", f"to(Tensor self, ScalarType dtype, {_TO_TAIL})", composite=True, function=False)(
    lambda self, dtype, *rest: to_impl(self, None, dtype, *rest))


@register("to.other", f"to(Tensor self, Tensor tensor, {_TO_TAIL})", composite=True, function=False)
def to_other(self: Tensor, tensor: Any, non_blocking: bool, copy: bool, memory_format: Any) -> Tensor:
    """``to(other)``: ``other``'s dtype and device (a Python number stands for the CPU tensor torch
    wraps it in: int64, float64, bool or complex128)."""
    if isinstance(tensor, Tensor):
        return to_impl(self, tensor.device, tensor._dtype, non_blocking, copy, memory_format)
    return to_impl(self, CPU, _NUMBER_DTYPES[type(tensor)], non_blocking, copy, memory_format)


@register("cpu", "cpu(Tensor self, *, MemoryFormat? memory_format=None)", composite=True, function=False)
def cpu(self: Tensor, memory_format: Any) -> Tensor:
    """A CPU copy (``self`` when already on the CPU)."""
    return to_impl(self, CPU, None, False, False, memory_format)


def _cuda(self: Tensor, device_: device | None, non_blocking: bool, memory_format: Any) -> Tensor:
    """A copy on the CUDA device (``self`` when already there)."""
    dev = device("cuda") if device_ is None else device_
    if dev.type != "cuda":
        raise RuntimeError("Invalid device, must be cuda device")
    return to_impl(self, dev, None, non_blocking, False, memory_format)


register("cuda", "cuda(Tensor self, Device? device=None, bool non_blocking=False, *, "
         "MemoryFormat? memory_format=None)", composite=True, function=False)(_cuda)
register("cuda.deprecated", "cuda(Tensor self, Device? device=None, bool async=False, *, "
         "MemoryFormat? memory_format=None)|deprecated", composite=True, function=False)(_cuda)


def _type(self: Tensor, dtype: Any, non_blocking: bool, memory_format: Any) -> Any:
    """``Tensor.type()`` with no argument is the legacy type string (``'torch.FloatTensor'``); with a
    dtype, a type string or a tensor type it converts (``THPVariable_type``)."""
    if dtype is None:
        prefix = "torch." if self.device.type == "cpu" else f"torch.{self.device.type}."
        return prefix + self._dtype.tensor_type[len("torch."):]
    if isinstance(dtype, D.dtype):
        return to_impl(self, None, dtype, non_blocking, False, memory_format)
    if isinstance(dtype, tensortype):
        name = dtype.type_string
    elif isinstance(dtype, type):
        name = "torch.Tensor" if dtype is Tensor else class_tp_name(dtype)
    elif isinstance(dtype, (str, bytes)):
        name = dtype.decode() if isinstance(dtype, bytes) else dtype
    else:
        raise TypeError("dtype must be a type, str, or dtype object")
    if name == "torch.Tensor":  # the default tensor type
        name = D.get_default_dtype().tensor_type
    kind, key = "cpu", name
    if name.startswith("torch.cuda."):
        kind, key = "cuda", "torch." + name[len("torch.cuda."):]
    if key not in _TYPE_STRINGS:
        raise ValueError(f"invalid type: '{name}'")
    dev = self.device if kind == self.device.type else device(kind)
    return to_impl(self, dev, _TYPE_STRINGS[key], non_blocking, False, memory_format)


register("type", "type(Tensor self, PyObject* dtype=None, bool non_blocking=False, *, "
         "MemoryFormat? memory_format=None)", composite=True, function=False)(_type)
register("type.deprecated", "type(Tensor self, PyObject* dtype=None, bool async=False, *, "
         "MemoryFormat? memory_format=None)|deprecated", composite=True, function=False)(_type)

for _name, _dtype in (("float", D.float32), ("double", D.float64), ("half", D.float16), ("bfloat16", D.bfloat16),
                      ("long", D.int64), ("int", D.int32), ("short", D.int16), ("char", D.int8),
                      ("byte", D.uint8), ("bool", D.bool), ("cfloat", D.complex64), ("cdouble", D.complex128)):
    register(_name, f"{_name}(Tensor self, *, MemoryFormat? memory_format=None)", composite=True, function=False)(
        lambda self, memory_format, dtype=_dtype: to_impl(self, None, dtype, False, False, memory_format))


# ----------------------------------------------------------------------------- copy_, fill_, zero_
def _copy_(self: Tensor, src: Any, non_blocking: bool) -> Tensor:
    """Copies ``src`` (broadcast to this shape, cast to this dtype as the copy kernel casts, from any
    device; a Python number is the zero-dim tensor torch wraps it in) into ``self``."""
    check_memory(self, src)
    if isinstance(src, Tensor):
        shape = broadcast_shapes(self._shape, src._shape)
        values = src._array
        if src.device != self.device:
            values = self._backend.from_host(src._backend.to_host(values))
    else:
        shape, values = self._shape, self._backend.xp.asarray(src)
    if shape != self._shape:
        raise RuntimeError(f"output with shape {shape_str(self._shape)} doesn't match the broadcast shape "
                           f"{shape_str(shape)}")
    return store(self, cast_array(self._backend, values, self._dtype))


register("copy_", "copy_(Tensor self, Tensor other, bool non_blocking=False)", node="CopyBackwards", inplace=True,
         function=False)(_copy_)
register("copy_.deprecated", "copy_(Tensor self, Tensor other, bool async=False)|deprecated", node="CopyBackwards",
         inplace=True, function=False)(_copy_)


@register("fill_.Tensor", "fill_(Tensor input, Tensor value)", node="FillBackward3", inplace=True)
def fill_tensor_(self: Tensor, value: Tensor) -> Tensor:
    """``fill_`` with a zero-dim tensor: ATen's ``self.copy_(value)`` (so, unlike a number, it refuses
    an expanded target, and converts as the copy kernel does); one on another device gives its value."""
    if value.dim() != 0:
        raise RuntimeError(
            f"fill_ only supports 0-dimension value tensor but got tensor with {value.dim()} dimensions.")
    if value.device != self.device:
        return fill_(self, value.item())
    check_writable(self)
    return store(self, cast_array(self._backend, value._array, self._dtype))


@register("fill_.Scalar", "fill_(Tensor input, Scalar value)", node="FillBackward2", inplace=True)
def fill_(self: Tensor, value: Any) -> Tensor:
    """Sets every element to ``value``, range-checked as ATen's ``Scalar::to`` (checked_convert); torch
    lets a number fill an expanded tensor."""
    return store(self, scalar_array(self._backend, value, self._dtype))


@register("zero_", "zero_(Tensor input)", node="ZeroBackward0", inplace=True)
def zero_(self: Tensor) -> Tensor:
    """Sets every element to zero."""
    return store(self, self._backend.xp.zeros((), dtype=self._array.dtype))


__all__ = ["cpu", "fill_", "fill_tensor_", "to", "to_copy", "to_impl", "to_other", "zero_"]
