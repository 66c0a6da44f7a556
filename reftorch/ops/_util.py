"""Helpers every op module uses: dim wrapping, argument checks, and wrapping backend arrays.

No op module imports NumPy or CuPy; they reach the array module through ``tensor._backend.xp``
or :func:`backend_of`.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

from .. import _dtype as D
from .._arrays import array_dtype, backend_of, empty_strided, empty_tensor, fresh_result, from_array
from .._backends.base import storage_nbytes
from .._device import CPU, device
from .._layout import contiguous_format, preserve_format
from .._storage import UntypedStorage
from .._strides import infer_dense_strides, is_non_overlapping_and_dense
from .._tensor import Tensor
from .._warnings import warn_once

# Re-exported for the op modules (they live in the core modules :mod:`reftorch._arrays` and
# :mod:`reftorch._backends.base`).
__all__ = ["array_dtype", "backend_of", "empty_strided", "empty_tensor", "fresh_result", "from_array",
           "storage_nbytes"]


def empty_like(self: Tensor, memory_format: Any, dtype: D.dtype, dev: device) -> Tensor:
    """``at::empty_like`` with ``dtype`` on ``dev``: with ``preserve_format`` (None, the default) a
    dense non-overlapping ``self``'s strides, else dense strides in ``self``'s dim order
    (``infer_dense_strides``); with ``contiguous_format`` row-major (reftorch has no channels-last
    layouts)."""
    if memory_format is None or memory_format is preserve_format:
        dense = is_non_overlapping_and_dense(self._shape, self._stride)
        strides = self._stride if dense else infer_dense_strides(self._shape, self._stride)
        return empty_strided(self._shape, strides, dtype, dev)
    if memory_format is not contiguous_format:
        raise NotImplementedError(f"reftorch does not implement memory_format={memory_format}")
    return empty_tensor(self._shape, dtype, dev)


def result_tensor(values: Any, dtype: D.dtype, like: Tensor, shape: tuple[int, ...] | None = None, *,
                  strides: tuple[int, ...] | None = None, copy: bool = False) -> Tensor:
    """The one way an op turns computed values into its new result tensor: ``values`` (a backend
    array, NumPy scalar or Python number, reshaped to ``shape`` if given) cast to ``dtype`` as C casts
    do (integers wrap, narrowing floats overflow to inf, silently as in torch), on ``like``'s device.

    The result is row-major, or has exactly ``strides`` (dense ones: torch's layout for ``sort`` or
    ``nonzero``), in storage from the backend's allocator. A fresh row-major array of the right dtype
    is wrapped without a copy; pass ``copy=True`` when ``values`` may alias an input's memory."""
    backend = like._backend
    xp = backend.xp
    want = array_dtype(backend, dtype)
    arr = xp.asarray(values)
    if shape is not None:
        arr = arr.reshape(shape)
    if strides is not None:
        flat = backend.allocate(arr.shape, want, strides)
        if flat.size:
            with backend.quiet():
                backend.strided_view(flat, 0, arr.shape, strides)[...] = arr
        return Tensor._make(UntypedStorage(flat, like.device, backend), arr.shape, tuple(strides), 0, dtype)
    if copy or arr.dtype != want or not arr.flags.c_contiguous:
        with backend.quiet():
            arr = arr.astype(want, order="C")
    return from_array(arr, dtype, like.device, backend)


_BITS = {1: "int8", 2: "int16", 4: "int32", 8: "int64"}


def zeros_where(xp: Any, mask: Any, values: Any) -> Any:
    """``values`` (an array of floats or complex numbers) with +0 where ``mask`` holds, as torch's
    ``where(mask, 0, values)`` (NaN and inf included). The bits of ``values`` are and-ed with
    all-ones or zero words: ``xp.where`` branches per element in NumPy, which costs more than ten
    times as much on a random mask such as relu's."""
    bits = _BITS.get(values.dtype.itemsize)
    if bits is None:
        return xp.where(mask, xp.zeros((), values.dtype), values)
    keep = xp.negative(xp.logical_not(mask), dtype=bits)  # 0 -> 0, 1 -> all ones
    return xp.bitwise_and(values.view(bits), keep).view(values.dtype)


def shape_str(shape: Any) -> str:
    """A shape as torch prints it in messages: ``[2, 3]``."""
    return f"[{', '.join(str(s) for s in shape)}]"


def wrap_dim(dim: int, ndim: int) -> int:
    """Normalise a possibly negative dim; zero-dim tensors accept -1 and 0 (ATen ``maybe_wrap_dim``)."""
    span = max(ndim, 1)
    if not -span <= dim < span:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-span}, {span - 1}], but got {dim})")
    return dim + span if dim < 0 else dim


def unsupported_dtype(kernel: str, dtype: D.dtype) -> NotImplementedError:
    """torch's dispatch error for a dtype a kernel does not cover. torch raises NotImplementedError
    here (it is bad input, not a missing feature), so reftorch does too."""
    return NotImplementedError(f"\"{kernel}\" not implemented for '{dtype.scalar_name}'")


def check_int(value: Any, fn: str, arg: str, position: int) -> int:
    """Argument parsing as torch's: ints (and integer-like objects, not bools-as-floats) only."""
    if isinstance(value, (bool, float)) or not hasattr(value, "__index__"):
        raise TypeError(f"{fn}(): argument '{arg}' (position {position}) must be int, not {type(value).__name__}")
    return operator.index(value)


def wrap_dims(dims: int | Sequence[int], ndim: int) -> tuple[int, ...]:
    """Normalise one dim or a sequence of dims; a repeated dim raises torch's error."""
    if isinstance(dims, int) or hasattr(dims, "__index__"):
        return (wrap_dim(operator.index(dims), ndim),)
    result = tuple(wrap_dim(operator.index(d), ndim) for d in dims)
    if len(set(result)) != len(result):
        dup = next(d for d in result if result.count(d) > 1)
        raise RuntimeError(f"dim {dup} appears multiple times in the list of dims")
    return result


def parse_shape(args: tuple, fn: str = "view") -> tuple[int, ...]:
    """``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])`` and ``f(torch.Size(...))`` all mean shape (2, 3)."""
    if len(args) == 1 and not hasattr(args[0], "__index__"):
        if not isinstance(args[0], (tuple, list)):
            raise TypeError(
                f"{fn}(): argument 'size' (position 1) must be tuple of ints, not {type(args[0]).__name__}")
        args = tuple(args[0])
    shape = []
    for position, s in enumerate(args, start=1):
        if isinstance(s, (bool, float)) or not hasattr(s, "__index__"):
            raise TypeError(
                f"{fn}(): argument 'size' (position 1) must be tuple of ints, but found element of type "
                f"{type(s).__name__} at pos {position - 1}")
        shape.append(operator.index(s))
    return tuple(shape)


def _infer_size(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """ATen's ``infer_size``: align from the right; report the last mismatching output dim."""
    ndim = max(len(a), len(b))
    out = [0] * ndim
    for i in range(ndim - 1, -1, -1):
        offset = ndim - 1 - i
        size_a = a[len(a) - 1 - offset] if len(a) - 1 - offset >= 0 else 1
        size_b = b[len(b) - 1 - offset] if len(b) - 1 - offset >= 0 else 1
        if size_a != size_b and size_a != 1 and size_b != 1:
            raise RuntimeError(
                f"The size of tensor a ({size_a}) must match the size of tensor b ({size_b}) at non-singleton "
                f"dimension {i}")
        out[i] = size_b if size_a == 1 else size_a
    return tuple(out)


def broadcast_shapes(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    """``torch.broadcast_shapes``: pairwise ``infer_size`` with torch's error text."""
    result: tuple[int, ...] = ()
    for shape in shapes:
        result = _infer_size(result, tuple(shape))
    return result


def check_sizes_nonnegative(shape: tuple[int, ...]) -> None:
    negative = next((s for s in shape if s < 0), None)
    if negative is not None:
        raise RuntimeError(f"Trying to create tensor with negative dimension {negative}: {list(shape)}")


def same_device(tensors: Sequence[Tensor]) -> device:
    """The common device of ``tensors``; zero-dim CPU tensors may join any device, as in torch."""
    found = None
    for t in tensors:
        dev = t._storage.device
        if found is None or found == dev:
            found = dev
            continue
        if dev.type == "cpu" and not t._shape:
            continue
        if found.type == "cpu" and _only_zero_dim_on(tensors, found):
            found = dev
            continue
        raise RuntimeError(
            f"Expected all tensors to be on the same device, but found at least two devices, {_dev_name(found)} "
            f"and {_dev_name(dev)}!")
    return found if found is not None else CPU


def _only_zero_dim_on(tensors: Sequence[Tensor], dev: device) -> bool:
    return all(not t._shape for t in tensors if t._storage.device == dev)


def _dev_name(dev: device) -> str:
    return f"{dev.type}:{dev.index or 0}" if dev.type != "cpu" else "cpu"


def cast_array(backend: Any, arr: Any, dtype: D.dtype) -> Any:
    """``arr`` converted to ``dtype`` as torch's copy kernel does: floats truncate towards zero into
    int32/int64 directly (out-of-range and NaN give the minimum, like x86's cvtt) and into the narrow
    integer types through int32 (so they wrap), anything to bool is ``!= 0`` (complex too, silently),
    and complex to another real dtype keeps the real part with torch's UserWarning (once)."""
    want = array_dtype(backend, dtype)
    if arr.dtype == want:
        return arr
    if dtype is D.bool:  # complex included: nonzero in either part, without a warning
        return arr != 0
    kind = arr.dtype.kind
    if kind == "c" and dtype.category < D.COMPLEX:
        warn_once("Casting complex values to real discards the imaginary part", stacklevel=4)
        arr = arr.real
        kind = "f"
    with backend.quiet():
        if kind == "f" and dtype.category == D.INTEGER and dtype.itemsize < 4:
            return arr.astype("int32").astype(want)
        return arr.astype(want)
