"""Dtype and device conversion (``to``, ``type``, ``float()``...), and the copying in-place ops
``copy_``, ``fill_`` and ``zero_``.

``to`` returns ``self`` when nothing changes (unless ``copy=True``), as torch does.
"""

from __future__ import annotations

from typing import Any

from .. import _dtype as D
from .._device import as_device, device
from .._tensor import Tensor
from ..autograd.copy_grads import record_copy, record_fill, record_zero
from ..autograd.grad_mode import STATE
from ..autograd.view_grads import record_view
from ..autograd.views import apply_inplace, check_inplace
from ._inplace import check_memory
from ._scalars import scalar_array
from ._util import backend_of, broadcast_shapes, cast_array, from_array

_TYPE_STRINGS = {d.tensor_type: d for d in D.ALL_DTYPES}


def _convert(self: Tensor, dtype: D.dtype, dev: device, copy: bool) -> Tensor:
    if dtype is self._dtype and dev == self.device and not copy:
        return self
    src_backend = self._backend
    values = cast_array(src_backend, self._array, dtype)
    if dev != self.device:
        target = backend_of(dev)
        out = from_array(target.from_host(src_backend.to_host(values).copy()), dtype, dev, target)
    else:
        out = from_array(values.copy() if values is self._array else values, dtype, dev, src_backend)
    if STATE.enabled and self._requires_grad and (dtype.is_floating_point or dtype.is_complex):
        record_view("ToCopyBackward0", out, self, (self.device, self._dtype))
    return out


def _same_device_kind(a: device, b: device) -> bool:
    return a.type == b.type and (a.index or 0) == (b.index or 0)


def to(self: Tensor, *args: Any, dtype: D.dtype | None = None, device: Any = None, non_blocking: bool = False,
       copy: bool = False, memory_format: Any = None) -> Tensor:
    """``Tensor.to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other)``; returns ``self`` when
    dtype and device already match and ``copy`` is False."""
    for arg in args:
        if isinstance(arg, D.dtype):
            dtype = arg
        elif isinstance(arg, Tensor):
            dtype, device = arg._dtype, arg.device
        elif isinstance(arg, (str, type(self.device))):
            device = arg
        elif isinstance(arg, bool):
            continue  # positional non_blocking: copies are synchronous here
        else:
            raise TypeError(f"to() received an invalid combination of arguments - got ({type(arg).__name__})")
    target_dev = as_device(device) or self.device
    if target_dev.type == self.device.type and target_dev.index is None:
        target_dev = self.device
    if _same_device_kind(target_dev, self.device):
        target_dev = self.device
    return _convert(self, dtype or self._dtype, target_dev, copy)


def cpu(self: Tensor) -> Tensor:
    """A CPU copy (``self`` when already on the CPU)."""
    return to(self, "cpu")


def cuda(self: Tensor, device: Any = None, non_blocking: bool = False) -> Tensor:
    """A copy on the CUDA device (``self`` when already there)."""
    dev = as_device(device if device is not None else "cuda")
    if isinstance(device, int):
        dev = as_device(f"cuda:{device}")
    return to(self, dev)


def type_(self: Tensor, dtype: Any = None, non_blocking: bool = False) -> Any:
    """``Tensor.type()`` with no argument is the legacy type string (``'torch.FloatTensor'``); with a
    dtype or such a string it converts."""
    if dtype is None:
        prefix = "torch." if self.device.type == "cpu" else f"torch.{self.device.type}."
        return prefix + self._dtype.tensor_type[len("torch."):]
    if isinstance(dtype, str):
        name = dtype
        dev = "cpu"
        if name.startswith("torch.cuda."):
            name, dev = "torch." + name[len("torch.cuda."):], "cuda"
        if name not in _TYPE_STRINGS:
            raise ValueError(f"invalid type: '{dtype}'")
        return to(self, dev, _TYPE_STRINGS[name])
    return to(self, dtype)


def _caster(dtype: D.dtype):
    def method(self: Tensor, memory_format: Any = None) -> Tensor:
        return to(self, dtype)

    method.__doc__ = f"``self.to({dtype})``."
    return method


def copy_(self: Tensor, src: Any, non_blocking: bool = False) -> Tensor:
    """Copies ``src`` (broadcast to this shape, cast to this dtype, from any device) into ``self``."""
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'other' (position 1) must be Tensor, not {type(src).__name__}")
    check_inplace(self)
    check_memory(self, src)
    shape = broadcast_shapes(self._shape, src._shape)
    if shape != self._shape:
        raise RuntimeError(
            f"output with shape [{', '.join(map(str, self._shape))}] doesn't match the broadcast shape "
            f"[{', '.join(map(str, shape))}]")
    if STATE.enabled and (self._requires_grad or src._requires_grad):
        return apply_inplace(self, lambda snap: _copied(snap, src))
    self._backend.xp.copyto(self._array, _source_values(self, src))
    self._version_counter.bump()
    return self


def _source_values(self: Tensor, src: Tensor) -> Any:
    values = src._array
    if src.device != self.device:
        values = self._backend.from_host(src._backend.to_host(values).copy())
    return cast_array(self._backend, values, self._dtype)


def _copied(target: Tensor, src: Tensor) -> Tensor:
    """Out-of-place twin of ``target.copy_(src)`` (for autograd)."""
    xp = target._backend.xp
    values = xp.array(xp.broadcast_to(_source_values(target, src), target._shape), copy=True)
    out = from_array(values, target._dtype, target.device, target._backend)
    record_copy(out, target, src)
    return out


def fill_(self: Tensor, value: Any) -> Tensor:
    """Sets every element to ``value`` (a number or a zero-dim tensor), cast to this dtype (torch lets
    fill_ write an expanded tensor)."""
    tensor_value = value if isinstance(value, Tensor) else None
    if tensor_value is not None:
        if value.dim() != 0:
            raise RuntimeError(
                f"fill_ only supports 0-dimension value tensor but got tensor with {value.dim()} dimensions.")
        value = value.item()
    backend = self._backend
    if tensor_value is None:  # a Python number: range-checked as ATen's Scalar::to (checked_convert)
        scalar = scalar_array(backend, value, self._dtype)
    else:
        scalar = cast_array(backend, backend.xp.asarray(value), self._dtype)
    if STATE.enabled and (self._requires_grad or (tensor_value is not None and tensor_value._requires_grad)):
        return apply_inplace(self, lambda snap: _filled(snap, scalar, tensor_value))
    self._array[...] = scalar
    self._version_counter.bump()
    return self


def _filled(target: Tensor, scalar: Any, tensor_value: Tensor | None) -> Tensor:
    """Out-of-place twin of ``fill_``/``zero_`` (for autograd)."""
    xp = target._backend.xp
    out = from_array(xp.full(target._shape, scalar, dtype=target._array.dtype), target._dtype, target.device,
                     target._backend)
    if tensor_value is None and not scalar:
        record_zero(out, target)
    else:
        record_fill(out, target, tensor_value if tensor_value is not None else scalar)
    return out


def zero_(self: Tensor) -> Tensor:
    """Sets every element to zero."""
    return fill_(self, 0)


METHODS = {
    "to": to, "cpu": cpu, "cuda": cuda, "type": type_, "copy_": copy_, "fill_": fill_, "zero_": zero_,
    "float": _caster(D.float32), "double": _caster(D.float64), "half": _caster(D.float16),
    "bfloat16": _caster(D.bfloat16), "long": _caster(D.int64), "int": _caster(D.int32),
    "short": _caster(D.int16), "char": _caster(D.int8), "byte": _caster(D.uint8), "bool": _caster(D.bool),
    "cfloat": _caster(D.complex64), "cdouble": _caster(D.complex128),
}
