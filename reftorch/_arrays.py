"""Wrapping backend arrays as tensors: the backend of a device, the backend dtype of a reftorch
dtype, and fresh tensors around computed arrays. Core-level (no op or autograd imports), so the
autograd engine can import it at module level without an import cycle through ``reftorch.ops``.
"""

from __future__ import annotations

from typing import Any

from . import _backends
from . import _dtype as D
from ._device import CPU, device
from ._storage import UntypedStorage
from ._strides import contiguous_strides
from ._tensor import Tensor


def backend_of(dev: device) -> Any:
    """The backend that serves ``dev``."""
    return _backends.get(dev.type)


def array_dtype(backend: Any, dtype: D.dtype) -> Any:
    """The backend dtype storing ``dtype``; a clear NotImplementedError for dtypes reftorch cannot store
    (bfloat16: NumPy has none)."""
    found = backend.dtype_map.get(dtype)
    if found is None:
        if dtype.array_name is None:
            raise NotImplementedError(f"reftorch cannot store {dtype}: its array backends have no such dtype")
        found = backend.dtype_map[dtype] = backend.array_dtype(dtype.array_name)
    return found


def from_array(arr: Any, dtype: D.dtype, dev: device = CPU, backend: Any = None) -> Tensor:
    """Wrap a freshly computed backend array (owned by nobody else) as a new tensor.

    A dense array keeps its memory layout (torch's elementwise ops preserve their inputs' layout);
    anything else is copied to row-major order, and so is a read-only array (a NumPy broadcast
    view), since the tensor must own writable memory.
    """
    backend = backend or backend_of(dev)
    xp = backend.xp
    want = backend.dtype_map.get(dtype) or array_dtype(backend, dtype)
    if type(arr) is xp.ndarray:
        if arr.dtype is not want and arr.dtype != want:
            arr = arr.astype(want)
        flags = arr.flags
        if not backend.always_writable and not flags.writeable:  # a NumPy broadcast view
            arr = arr.copy()
            flags = arr.flags
        if flags.c_contiguous:  # the common case: ``arr`` itself views the tensor's elements
            shape = arr.shape
            flat = arr if len(shape) == 1 else arr.reshape(-1)
            t = Tensor._make(UntypedStorage(flat, dev, backend), shape, contiguous_strides(shape), 0, dtype)
            t._cached_array = (flat, arr)
            return t
    else:  # a NumPy scalar or Python number
        arr = xp.asarray(arr, dtype=want)
        if arr.flags.c_contiguous:
            return Tensor._make(UntypedStorage(arr.reshape(-1), dev, backend), arr.shape,
                                contiguous_strides(arr.shape), 0, dtype)
    shape = arr.shape
    perm = _dense_permutation(arr)
    if perm is None:
        arr = xp.ascontiguousarray(arr)
        flat = arr.reshape(-1)
        strides = contiguous_strides(shape)
    else:
        flat = arr.transpose(perm).reshape(-1)
        strides = tuple(s // arr.itemsize for s in arr.strides)
    return Tensor._make(UntypedStorage(flat, dev, backend), shape, strides, 0, dtype)


def fresh_result(values: Any, dtype: D.dtype, shape: tuple[int, ...], dev: device, backend: Any) -> Tensor:
    """An elementwise kernel's output (a fresh writable array of ``shape``, already of ``dtype``'s
    backend type) as a new tensor: a row-major one is wrapped without :func:`from_array`'s checks
    (the hot path of every model); others (zero-dim results, which NumPy returns as scalars; dense
    layouts of permuted inputs) go through it."""
    if shape and values.flags.c_contiguous:
        flat = values if len(shape) == 1 else values.reshape(-1)
        t = Tensor._make(UntypedStorage(flat, dev, backend), shape, contiguous_strides(shape), 0, dtype)
        t._cached_array = (flat, values)
        return t
    return from_array(values, dtype, dev, backend)


def _dense_permutation(arr: Any) -> tuple[int, ...] | None:
    """The dim order in which ``arr`` is row-major dense (e.g. a transposed result), or None."""
    if arr.size == 0 or any(s < 0 for s in arr.strides):
        return None
    perm = sorted(range(arr.ndim), key=lambda d: (-arr.strides[d], d))
    expected = arr.itemsize
    for d in reversed(perm):
        if arr.shape[d] != 1 and arr.strides[d] != expected:
            return None
        expected *= arr.shape[d]
    return tuple(perm) if arr.transpose(perm).flags.c_contiguous else None


def empty_strided(shape: tuple[int, ...], stride: tuple[int, ...], dtype: D.dtype, dev: device = CPU) -> Tensor:
    """``torch.empty_strided``: a new storage just large enough for the given geometry (zeroed), sized
    and allocated by the device's backend (torch's checks and allocation errors)."""
    dev = storage_device(dev)
    backend = backend_of(dev)
    flat = backend.allocate(shape, array_dtype(backend, dtype), stride)
    return Tensor._make(UntypedStorage(flat, dev, backend), tuple(shape), tuple(stride), 0, dtype)


def empty_tensor(shape: tuple[int, ...], dtype: D.dtype, dev: device = CPU) -> Tensor:
    """``at::empty``: a new contiguous tensor with uninitialised (here: zeroed) contents. The storage
    comes from the backend (torch's size checks and allocation errors); then the strides are checked
    as ``TensorImpl::empty_tensor_restride`` does ("Stride calculation overflowed" for sizes whose
    storage is empty but whose strides exceed int64, like ``[0, 2**62, 4]``)."""
    dev = storage_device(dev)
    backend = backend_of(dev)
    flat = backend.allocate(shape, array_dtype(backend, dtype))
    strides = contiguous_strides(shape)
    if strides and strides[0] > _INT64_MAX:
        raise RuntimeError("Stride calculation overflowed")
    return Tensor._make(UntypedStorage(flat, dev, backend), shape, strides, 0, dtype)


_INT64_MAX = (1 << 63) - 1


def storage_device(dev: device) -> device:
    """The device a new storage reports: CPU memory is always ``cpu`` (``cpu:0`` included), another
    device without an index is the current one (index 0), as torch's allocators place it."""
    if dev.type == "cpu":
        return CPU
    return dev if dev.index is not None else device(dev.type, 0)
