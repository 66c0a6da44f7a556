"""Dtype and device conversion (``to``, ``type``, ``float()``...), and the copying in-place ops
``copy_``, ``fill_`` and ``zero_``.

``to`` returns ``self`` when nothing changes (unless ``copy=True``), as torch does.
"""

from __future__ import annotations

from typing import Any

from .. import _dtype as D
from .._device import as_device, device
from .._tensor import Tensor
from ._util import backend_of, cast_array, from_array
from .elementwise import broadcast_shapes, check_writable

_TYPE_STRINGS = {d.tensor_type: d for d in D.ALL_DTYPES}


def _convert(self: Tensor, dtype: D.dtype, dev: device, copy: bool) -> Tensor:
    if dtype is self._dtype and dev == self.device and not copy:
        return self
    src_backend = self._backend
    values = cast_array(src_backend, self._array, dtype)
    if dev != self.device:
        target = backend_of(dev)
        return from_array(target.from_host(src_backend.to_host(values).copy()), dtype, dev, target)
    if values is self._array:
        values = values.copy()
    return from_array(values, dtype, dev, src_backend)


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
    shape = broadcast_shapes(self._shape, src._shape)
    if shape != self._shape:
        raise RuntimeError(
            f"output with shape [{', '.join(map(str, self._shape))}] doesn't match the broadcast shape "
            f"[{', '.join(map(str, shape))}]")
    check_writable(self)
    values = src._array
    if src.device != self.device:
        values = self._backend.from_host(src._backend.to_host(values).copy())
    values = cast_array(self._backend, values, self._dtype)
    self._backend.xp.copyto(self._array, values)
    self._version_counter.bump()
    return self


def fill_(self: Tensor, value: Any) -> Tensor:
    """Sets every element to ``value`` (a number or a zero-dim tensor), cast to this dtype."""
    if isinstance(value, Tensor):
        if value.dim() != 0:
            raise RuntimeError(
                f"fill_ only supports 0-dimension value tensor but got tensor with {value.dim()} dimensions.")
        value = value.item()
    backend = self._backend
    scalar = cast_array(backend, backend.xp.asarray(value), self._dtype)
    self._array[...] = scalar
    self._version_counter.bump()
    return self


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
