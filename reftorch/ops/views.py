"""View ops: each returns a tensor sharing storage (and version counter) with its input, with the
shape/strides/offset torch computes (aten/src/ATen/native/TensorShape.cpp). ``reshape`` is a view
when ``view`` would succeed and a copy otherwise; ``contiguous`` returns ``self`` when already
contiguous; ``clone`` always copies. In-place metadata ops (``t_``, ``squeeze_``...) change the
tensor's own geometry and count as modifications (the version moves), as in torch; each records its
own node (``TBackward1``, ``SqueezeBackward3``...).

Ops that torch implements in Python (``torch.split``, ``Tensor.split``, ``Tensor.unflatten``) are
``python=True`` records: Python's own argument handling, torch's messages.
"""

from __future__ import annotations

import operator
from typing import Any

from .. import _dtype as D
from .._layout import contiguous_format
from .._strides import compute_view_strides, contiguous_strides, infer_size, is_contiguous, numel
from .._tensor import Tensor
from .._warnings import warn_once
from ._util import from_array, shape_str, storage_nbytes, wrap_dim, wrap_dims
from .registry import View, aten, call, functions, register

ONE, MULTI = View.ONE, View.MULTI


# ----------------------------------------------------------------------------- reshaping
@register("view.dtype", "view(Tensor self, ScalarType dtype)", function=False)
def view_dtype(self: Tensor, dtype: D.dtype) -> Tensor:
    """``Tensor.view(dtype)`` reinterprets the bytes as another dtype; reftorch does not implement it."""
    raise NotImplementedError("reftorch does not implement view(dtype): reinterpreting bytes as another dtype")


@register("view", "view(Tensor self, SymIntArrayRef size)", node="ViewBackward0", view=ONE, function=False)
def view(self: Tensor, size: tuple[int, ...]) -> Tensor:
    """``Tensor.view``: same storage, new shape; fails with torch's message when the strides cannot
    express the new shape (use ``reshape``)."""
    shape = infer_size(size, self.numel())
    strides = compute_view_strides(self._shape, self._stride, shape)
    if strides is None:
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one dimension spans "
            "across two contiguous subspaces). Use .reshape(...) instead.")
    return self._view_of(shape, strides, self._offset)


@register("view_as", "view_as(Tensor self, Tensor other)", composite=True, function=False)
def view_as(self: Tensor, other: Tensor) -> Tensor:
    """``Tensor.view_as``: ``view(other.shape)``."""
    return aten.view(self, other._shape)


@register("_reshape_alias", "_reshape_alias(Tensor self, SymIntArrayRef size, SymIntArrayRef stride)",
          node="ReshapeAliasBackward0", view=ONE, function=False, method=False)
def reshape_alias(self: Tensor, size: tuple[int, ...], stride: tuple[int, ...]) -> Tensor:
    """ATen's ``_reshape_alias``: the view ``reshape`` takes of a strided (non-contiguous) input."""
    return self._view_of(size, stride, self._offset)


@register("_unsafe_view", "_unsafe_view(Tensor self, SymIntArrayRef size)", node="UnsafeViewBackward0",
          function=False, method=False)
def unsafe_view(self: Tensor, size: tuple[int, ...]) -> Tensor:
    """ATen's ``_unsafe_view`` of a fresh contiguous result: a reshaped alias that autograd does not
    treat as a view (no ``_base``)."""
    return Tensor._make(self._storage, size, contiguous_strides(size), self._offset, self._dtype)


@register("reshape", "reshape(Tensor input, SymIntArrayRef shape)", composite=True)
def reshape(self: Tensor, shape: tuple[int, ...]) -> Tensor:
    """``reshape``: a view when the strides allow it (``view`` of a contiguous input, ``_reshape_alias``
    of a strided one), else ``_unsafe_view`` of a contiguous clone (not a view)."""
    new_shape = infer_size(shape, self.numel())
    strides = compute_view_strides(self._shape, self._stride, new_shape)
    if strides is None:
        return aten._unsafe_view(aten.clone(self, contiguous_format), new_shape)
    if is_contiguous(self._shape, self._stride):
        return aten.view(self, new_shape)
    return aten._reshape_alias(self, new_shape, strides)


@register("reshape_as", "reshape_as(Tensor self, Tensor other)", composite=True, function=False)
def reshape_as(self: Tensor, other: Tensor) -> Tensor:
    """``Tensor.reshape_as``: ``reshape(other.shape)``."""
    return reshape(self, other._shape)


@register("flatten", "flatten(Tensor input, int64_t start_dim=0, int64_t end_dim=-1)", composite=True)
def flatten(self: Tensor, start_dim: int, end_dim: int) -> Tensor:
    """Merges dims ``start_dim..end_dim`` (like ``reshape``, a view when possible); a zero-dim tensor
    gives shape (1,); merging one dim returns ``self``, as torch does."""
    ndim = len(self._shape)
    s, e = wrap_dim(start_dim, ndim), wrap_dim(end_dim, ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if ndim == 0:
        return reshape(self, (1,))
    if s == e:
        return self
    return reshape(self, self._shape[:s] + (numel(self._shape[s:e + 1]),) + self._shape[e + 1:])


@register("unflatten", "unflatten(Tensor input, int64_t dim, SymIntArrayRef sizes)", composite=True, method=False)
def unflatten(self: Tensor, dim: int, sizes: tuple[int, ...]) -> Tensor:
    """Splits ``dim`` into ``sizes`` (one -1 allowed): a view."""
    ndim = len(self._shape)
    d = wrap_dim(dim, ndim)
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    try:
        inferred = infer_size(sizes, self._shape[d])
    except RuntimeError:
        raise RuntimeError(
            f"unflatten: Provided sizes {shape_str(sizes)} don't multiply up to the size of dim {dim} "
            f"({self._shape[d]}) in the input tensor") from None
    return aten.view(self, self._shape[:d] + inferred + self._shape[d + 1:])


@register("Tensor.unflatten", "unflatten(Tensor self, int64_t dim, SymIntArrayRef sizes)", composite=True,
          function=False, python=True)
def unflatten_method(self: Tensor, dim: Any, sizes: Any) -> Tensor:
    """``Tensor.unflatten`` (a Python method in torch/_tensor.py): ``torch.unflatten(self, dim, sizes)``."""
    return functions.unflatten(self, dim, sizes)


# ----------------------------------------------------------------------------- reordering
def _permuted(self: Tensor, order: tuple[int, ...]) -> Tensor:
    return self._view_of(tuple(self._shape[d] for d in order), tuple(self._stride[d] for d in order), self._offset)


def _transposed(self: Tensor, dim0: int, dim1: int) -> Tensor:
    ndim = len(self._shape)
    d0, d1 = wrap_dim(dim0, ndim), wrap_dim(dim1, ndim)
    order = list(range(ndim))
    if ndim:
        order[d0], order[d1] = order[d1], order[d0]
    return _permuted(self, tuple(order))


def _t(self: Tensor) -> Tensor:
    if len(self._shape) > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {len(self._shape)}D")
    return _permuted(self, (1, 0) if len(self._shape) == 2 else tuple(range(len(self._shape))))


@register("transpose.int", "transpose(Tensor input, int64_t dim0, int64_t dim1)", node="TransposeBackward0",
          view=ONE)
def transpose(self: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swaps two dims (a view)."""
    return _transposed(self, dim0, dim1)


@register("t", "t(Tensor input)", node="TBackward0", view=ONE)
def t(self: Tensor) -> Tensor:
    """Transpose of a tensor with <= 2 dims (0-D and 1-D are returned as views of themselves)."""
    return _t(self)


for _name, _dims in (("swapaxes", "axis0, int64_t axis1"), ("swapdims", "dim0, int64_t dim1")):
    register(_name, f"{_name}(Tensor input, int64_t {_dims})", composite=True)(
        lambda self, dim0, dim1: call("transpose.int", self, dim0, dim1))
    register(f"{_name}_", f"{_name}_(Tensor self, int64_t {_dims})", composite=True, function=False)(
        lambda self, dim0, dim1: aten.transpose_(self, dim0, dim1))


@register("permute", "permute(Tensor input, IntArrayRef dims)", node="PermuteBackward0", view=ONE)
def permute(self: Tensor, dims: tuple[int, ...]) -> Tensor:
    """Reorders all dims; the order must name each dim exactly once."""
    ndim = len(self._shape)
    if len(dims) != ndim:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the "
            f"desired ordering of dimensions i.e. input.dim() = {ndim} is not equal to len(dims) = {len(dims)}")
    wrapped = tuple(wrap_dim(d, ndim) for d in dims)
    if len(set(wrapped)) != ndim:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return _permuted(self, wrapped)


def movedim(self: Tensor, source: Any, destination: Any) -> Tensor:
    """Moves dims ``source`` to positions ``destination`` (ints or sequences), keeping the others'
    order: a ``permute``."""
    src = (source,) if isinstance(source, int) else tuple(source)
    dst = (destination,) if isinstance(destination, int) else tuple(destination)
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({list(src)} dims) should contain the same "
            f"number of dims as destination ({list(dst)} dims)")
    ndim = len(self._shape)
    src_w, dst_w = wrap_dims(src, ndim), wrap_dims(dst, ndim)
    order = [-1] * ndim
    for s, d in zip(src_w, dst_w):
        order[d] = s
    rest = iter(d for d in range(ndim) if d not in src_w)
    return functions.permute(self, tuple(next(rest) if o == -1 else o for o in order))


for _name in ("movedim", "moveaxis"):
    register(f"{_name}.int", f"{_name}(Tensor input, int64_t source, int64_t destination)", composite=True)(movedim)
    register(f"{_name}.intlist", f"{_name}(Tensor input, IntArrayRef source, IntArrayRef destination)",
             composite=True)(movedim)


@register("T", "T(Tensor self)", composite=True, function=False, method=False, attribute=True)
def T(self: Tensor) -> Tensor:  # noqa: N802 - torch's name
    """Reverses all dims; warns once (UserWarning) for tensors that are not 2-D, as torch deprecates it."""
    if len(self._shape) not in (0, 2):
        warn_once(
            "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated and it "
            "will throw an error in a future release. Consider `x.mT` to transpose batches of matrices or "
            "`x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor.")
    return functions.permute(self, tuple(range(len(self._shape) - 1, -1, -1)))


@register("mT", "mT(Tensor self)", composite=True, function=False, method=False, attribute=True)
def mT(self: Tensor) -> Tensor:  # noqa: N802 - torch's name
    """Transposes the last two dims (batches of matrices)."""
    if len(self._shape) < 2:
        raise RuntimeError(
            f"tensor.mT is only supported on matrices or batches of matrices. Got {len(self._shape)}-D tensor.")
    return functions.transpose(self, -2, -1)


# ----------------------------------------------------------------------------- adding and removing dims
def _squeezed(self: Tensor, dims: Any) -> Tensor:
    ndim = len(self._shape)
    targets = range(ndim) if dims is None else wrap_dims(dims, ndim)
    keep = [d for d in range(ndim) if not (d in targets and self._shape[d] == 1)]
    return self._view_of(tuple(self._shape[d] for d in keep), tuple(self._stride[d] for d in keep), self._offset)


def _unsqueezed(self: Tensor, dim: int) -> Tensor:
    ndim = len(self._shape)
    d = wrap_dim(dim, ndim + 1)
    stride = self._shape[d] * self._stride[d] if d < ndim else 1
    return self._view_of(self._shape[:d] + (1,) + self._shape[d:], self._stride[:d] + (stride,) + self._stride[d:],
                         self._offset)


@register("squeeze", "squeeze(Tensor input)", node="SqueezeBackward0", view=ONE)
def squeeze(self: Tensor) -> Tensor:
    """Removes every size-1 dim."""
    return _squeezed(self, None)


@register("squeeze.dim", "squeeze(Tensor input, int64_t dim)", node="SqueezeBackward1", view=ONE)
def squeeze_dim(self: Tensor, dim: Any) -> Tensor:
    """Removes ``dim`` if its size is 1 (a named dim that is not 1 stays)."""
    return _squeezed(self, dim)


register("squeeze.dims", "squeeze(Tensor input, IntArrayRef dim)", node="SqueezeBackward2", view=ONE)(squeeze_dim)


@register("unsqueeze", "unsqueeze(Tensor input, int64_t dim)", node="UnsqueezeBackward0", view=ONE)
def unsqueeze(self: Tensor, dim: int) -> Tensor:
    """Inserts a size-1 dim at ``dim`` in ``[-ndim-1, ndim]``."""
    return _unsqueezed(self, dim)


@register("expand", "expand(Tensor self, SymIntArrayRef size, *, bool implicit=False)", node="ExpandBackward0",
          view=ONE, function=False)
def expand(self: Tensor, size: tuple[int, ...], implicit: bool = False) -> Tensor:
    """Broadcasts size-1 dims (stride 0) and prepends new dims; -1 keeps a size. ATen's
    ``inferExpandGeometry``: from the last dim, a new leading dim takes the stride the next dim spans
    (so size-1 leading dims are not stride 0), and any size change gets stride 0."""
    ndim = len(self._shape)
    if len(size) < ndim:
        raise RuntimeError(
            f"expand({self._dtype.tensor_type}{{{shape_str(self._shape)}}}, size={shape_str(size)}): the "
            f"number of sizes provided ({len(size)}) must be greater or equal to the number of dimensions in "
            f"the tensor ({ndim})")
    lead = len(size) - ndim
    shape, strides = [0] * len(size), [0] * len(size)
    for i in range(len(size) - 1, -1, -1):
        dim = i - lead
        if dim >= 0:
            current, stride = self._shape[dim], self._stride[dim]
        else:
            current = 1
            stride = shape[i + 1] * strides[i + 1] if i + 1 < len(size) else 1
        wanted = size[i]
        if wanted == -1:
            if dim < 0:
                raise RuntimeError(
                    f"The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension {i}")
            wanted = current
        if current != wanted:
            if current != 1:
                raise RuntimeError(
                    f"The expanded size of the tensor ({wanted}) must match the existing size ({current}) at "
                    f"non-singleton dimension {i}.  Target sizes: {shape_str(size)}.  Tensor sizes: "
                    f"{shape_str(self._shape)}")
            stride = 0
        shape[i], strides[i] = wanted, stride
    return self._view_of(tuple(shape), tuple(strides), self._offset)


@register("expand_as", "expand_as(Tensor self, Tensor other)", composite=True, function=False)
def expand_as(self: Tensor, other: Tensor) -> Tensor:
    """``Tensor.expand_as``: ``expand(other.shape)``."""
    return aten.expand(self, other._shape, False)


# ----------------------------------------------------------------------------- regions
@register("slice.Tensor", "slice(Tensor self, int64_t dim=0, SymInt? start=None, SymInt? end=None, SymInt step=1)",
          node="SliceBackward0", view=ONE, function=False, method=False)
def slice_(self: Tensor, dim: int, start: int | None, end: int | None, step: int) -> Tensor:
    """ATen's ``slice``: elements ``start, start+step, ...`` before ``end`` of ``dim``, bounds clamped
    as Python slices clamp them."""
    if not self._shape:
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    d = wrap_dim(dim, len(self._shape))
    size = self._shape[d]
    first = 0 if start is None else start + size if start < 0 else start
    last = size if end is None else end + size if end < 0 else end
    first = min(max(first, 0), size)
    last = min(max(last, first), size)
    shape, strides = list(self._shape), list(self._stride)
    shape[d] = (last - first + step - 1) // step
    strides[d] = self._stride[d] * step
    return self._view_of(tuple(shape), tuple(strides), self._offset + first * self._stride[d])


@register("narrow", "narrow(Tensor input, int64_t dim, SymInt start, SymInt length)", composite=True)
def narrow(self: Tensor, dim: int, start: Any, length: int) -> Tensor:
    """Elements ``start .. start+length`` of ``dim`` (negative start counts from the end): a slice."""
    ndim = len(self._shape)
    if ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, ndim)
    size = self._shape[d]
    start = operator.index(start)
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], but got {start})")
    if start < 0:
        start += size
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return call("slice.Tensor", self, d, start, start + length, 1)


register("narrow.Tensor", "narrow(Tensor input, int64_t dim, Tensor start, SymInt length)",
         composite=True)(lambda self, dim, start, length: narrow(self, dim, start.item(), length))


@register("select.int", "select(Tensor input, int64_t dim, SymInt index)", node="SelectBackward0", view=ONE)
def select(self: Tensor, dim: int, index: int) -> Tensor:
    """Removes ``dim`` by taking element ``index`` of it (a view)."""
    ndim = len(self._shape)
    if ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, ndim)
    size = self._shape[d]
    if not -size <= index < size:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size {shape_str(self._shape)} at dimension {d}")
    if index < 0:
        index += size
    return self._view_of(self._shape[:d] + self._shape[d + 1:], self._stride[:d] + self._stride[d + 1:],
                         self._offset + index * self._stride[d])


@register("diagonal", "diagonal(Tensor input, int64_t offset=0, int64_t dim1=0, int64_t dim2=1)",
          node="DiagonalBackward0", view=ONE)
def diagonal(self: Tensor, offset: int, dim1: int, dim2: int) -> Tensor:
    """The diagonal of the (dim1, dim2) planes as a new last dim (a view)."""
    ndim = len(self._shape)
    d1, d2 = wrap_dim(dim1, ndim), wrap_dim(dim2, ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    if offset >= 0:
        length = max(min(self._shape[d1], self._shape[d2] - offset), 0)
        start = self._offset + offset * self._stride[d2] if length else self._offset
    else:
        length = max(min(self._shape[d1] + offset, self._shape[d2]), 0)
        start = self._offset - offset * self._stride[d1] if length else self._offset
    keep = [d for d in range(ndim) if d not in (d1, d2)]
    shape = tuple(self._shape[d] for d in keep) + (length,)
    strides = tuple(self._stride[d] for d in keep) + (self._stride[d1] + self._stride[d2],)
    return self._view_of(shape, strides, start)


def unfolded_geometry(shape: tuple[int, ...], stride: tuple[int, ...], d: int, size: int,
                      step: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Shape and strides of ``unfold(d, size, step)`` of a tensor with ``shape`` and ``stride``."""
    if not shape:
        return (size,), (1,)
    new_shape, new_stride = list(shape), list(stride)
    new_shape[d] = (shape[d] - size) // step + 1
    new_stride[d] = stride[d] * step
    return tuple(new_shape) + (size,), tuple(new_stride) + (stride[d],)


@register("unfold", "unfold(Tensor self, int64_t dimension, int64_t size, int64_t step)", node="UnfoldBackward0",
          view=ONE, function=False)
def unfold(self: Tensor, dimension: int, size: int, step: int) -> Tensor:
    """Sliding windows of ``size`` every ``step`` along ``dimension``, as a new last dim (a view)."""
    ndim = len(self._shape)
    d = wrap_dim(dimension, ndim)
    length = self._shape[d] if ndim else 1
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {length} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    return self._view_of(*unfolded_geometry(self._shape, self._stride, d, size, step), self._offset)


def _as_strided(self: Tensor, size: tuple[int, ...], stride: tuple[int, ...], storage_offset: int | None) -> Tensor:
    """An arbitrary strided view of the storage; bounds-checked like ATen's ``setStorage``."""
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    offset = self._offset if storage_offset is None else storage_offset
    if any(s < 0 for s in stride):
        raise RuntimeError(f"as_strided: Negative strides are not supported at the moment, got strides: "
                           f"{shape_str(stride)}")
    itemsize = self._dtype.itemsize
    needed = 0 if any(s == 0 for s in size) else offset + 1 + sum((n - 1) * st for n, st in zip(size, stride))
    available = self._storage.nbytes()
    if needed * itemsize > available:
        raise RuntimeError(
            f"setStorage: sizes {shape_str(size)}, strides {shape_str(stride)}, storage offset {offset}, and "
            f"itemsize {itemsize} requiring a storage size of {needed * itemsize} are out of bounds for storage "
            f"of size {available}")
    return self._view_of(size, stride, offset)


register("as_strided", "as_strided(Tensor input, SymIntArrayRef size, SymIntArrayRef stride, "
         "SymInt? storage_offset=None)", node="AsStridedBackward0", view=ONE)(_as_strided)


# ----------------------------------------------------------------------------- pieces
def _pieces(self: Tensor, dim: int, sections: list[int]) -> tuple[Tensor, ...]:
    d = wrap_dim(dim, len(self._shape))
    starts = [sum(sections[:i]) for i in range(len(sections))]
    return tuple(slice_(self, d, s, s + n, 1) for s, n in zip(starts, sections))


def split_sections(size: int, split_size: int) -> list[int]:
    """The section sizes of ``split(split_size)`` of a dim of ``size`` (the last may be smaller)."""
    if split_size < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={split_size}")
    if split_size == 0 and size != 0:
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}")
    if not split_size:
        return [0]
    return [split_size] * (size // split_size) + ([size % split_size] if size % split_size else [])


@register("split.Tensor", "split(Tensor self, SymInt split_size, int64_t dim=0)", node="SplitBackward0",
          view=MULTI, function=False, method=False)
def split_tensor(self: Tensor, split_size: int, dim: int) -> tuple[Tensor, ...]:
    """Views of consecutive ``split_size`` pieces of ``dim`` (the last may be smaller)."""
    d = wrap_dim(dim, len(self._shape))
    return _pieces(self, d, split_sections(self._shape[d], split_size))


@register("split_with_sizes", "split_with_sizes(Tensor input, SymIntArrayRef split_sizes, int64_t dim=0)",
          node="SplitWithSizesBackward0", view=MULTI)
def split_with_sizes(self: Tensor, split_sizes: tuple[int, ...], dim: int) -> tuple[Tensor, ...]:
    """Views of consecutive pieces of the given sizes (which must sum to the dim's size)."""
    d = wrap_dim(dim, len(self._shape))
    if sum(split_sizes) != self._shape[d]:
        raise RuntimeError(
            f"split_with_sizes expects split_sizes to sum exactly to {self._shape[d]} (input tensor's size at "
            f"dimension {d}), but got split_sizes={shape_str(split_sizes)}")
    return _pieces(self, d, list(split_sizes))


def _split(self: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """torch/_tensor.py's ``Tensor.split``: an int gives equal pieces (``split.Tensor``), anything else
    is a list of section sizes (``split_with_sizes``, which parses it)."""
    if isinstance(split_size_or_sections, int) and not isinstance(split_size_or_sections, bool):
        return call("split.Tensor", self, split_size_or_sections, dim)
    return functions.split_with_sizes(self, split_size_or_sections, dim)


@register("split", "split(Tensor tensor, SymInt split_size_or_sections, int64_t dim=0)", composite=True,
          method=False, python=True)
def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """``torch.split`` (torch/functional.py): ``tensor.split(split_size_or_sections, dim)``."""
    return _split(tensor, split_size_or_sections, dim)


@register("Tensor.split", "split(Tensor self, SymInt split_size, int64_t dim=0)", composite=True, function=False,
          python=True)
def split_method(self: Tensor, split_size: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """``Tensor.split`` (a Python method in torch/_tensor.py)."""
    return _split(self, split_size, dim)


@register("chunk", "chunk(Tensor input, int64_t chunks, int64_t dim=0)", composite=True)
def chunk(self: Tensor, chunks: int, dim: int) -> tuple[Tensor, ...]:
    """``split`` into pieces of ``ceil(size / chunks)``; may return fewer than ``chunks`` pieces."""
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = wrap_dim(dim, len(self._shape))
    size = self._shape[d]
    if size == 0:
        return functions.split_with_sizes(self, (0,) * chunks, d)
    return call("split.Tensor", self, -(-size // chunks), d)


@register("unbind.int", "unbind(Tensor input, int64_t dim=0)", node="UnbindBackward0", view=MULTI)
def unbind(self: Tensor, dim: int) -> tuple[Tensor, ...]:
    """Views of each slice along ``dim``, with ``dim`` removed."""
    d = wrap_dim(dim, len(self._shape))
    return tuple(select(self, d, i) for i in range(self._shape[d]))


# ----------------------------------------------------------------------------- copies and aliases
@register("clone", "clone(Tensor input, *, MemoryFormat? memory_format=None)", node="CloneBackward0")
def clone(self: Tensor, memory_format: Any = None) -> Tensor:
    """A copy with new storage: the layout of dense inputs is kept (torch's preserve_format), or
    row-major with ``memory_format=torch.contiguous_format``."""
    order = "C" if memory_format is contiguous_format else "K"
    copied = self._backend.xp.array(self._array, copy=True, order=order)
    return from_array(copied, self._dtype, self.device, self._backend)


@register("contiguous", "contiguous(Tensor self, *, MemoryFormat memory_format=contiguous_format)", composite=True,
          function=False)
def contiguous(self: Tensor, memory_format: Any = contiguous_format) -> Tensor:
    """Returns ``self`` when already contiguous, else a row-major clone."""
    if is_contiguous(self._shape, self._stride):
        return self
    return aten.clone(self, contiguous_format)


@register("alias", "alias(Tensor self)", node="AliasBackward0", view=ONE, function=False, method=False)
def alias(self: Tensor) -> Tensor:
    """A new tensor object viewing exactly the same elements (``t[...]``)."""
    return self._view_of(self._shape, self._stride, self._offset)


@register("detach", "detach(Tensor input)")
def detach(self: Tensor) -> Tensor:
    """Shares storage and version counter, never requires grad, has no history, and is not a view
    (``_base`` is None, as in torch)."""
    return Tensor._make(self._storage, self._shape, self._stride, self._offset, self._dtype, self._version_counter)


# ----------------------------------------------------------------------------- in-place metadata ops
def _set_geometry(self: Tensor, result: Tensor) -> Tensor:
    """Give ``self`` the geometry of a view of itself; counts as a modification (the version moves)."""
    self._set_metadata(result._shape, result._stride, result._offset)
    self._version_counter.bump()
    return self


register("t_", "t_(Tensor self)", node="TBackward1", view=ONE, inplace=True, function=False)(
    lambda self: _set_geometry(self, _t(self)))
register("transpose_", "transpose_(Tensor self, int64_t dim0, int64_t dim1)", node="TransposeBackward1", view=ONE,
         inplace=True, function=False)(lambda self, dim0, dim1: _set_geometry(self, _transposed(self, dim0, dim1)))
register("squeeze_", "squeeze_(Tensor self)", node="SqueezeBackward3", view=ONE, inplace=True, function=False)(
    lambda self: _set_geometry(self, _squeezed(self, None)))
register("squeeze_.dim", "squeeze_(Tensor self, int64_t dim)", node="SqueezeBackward4", view=ONE, inplace=True,
         function=False)(lambda self, dim: _set_geometry(self, _squeezed(self, dim)))
register("squeeze_.dims", "squeeze_(Tensor self, IntArrayRef dim)", node="SqueezeBackward5", view=ONE,
         inplace=True, function=False)(lambda self, dim: _set_geometry(self, _squeezed(self, dim)))
register("unsqueeze_", "unsqueeze_(Tensor self, int64_t dim)", node="UnsqueezeBackward1", view=ONE, inplace=True,
         function=False)(lambda self, dim: _set_geometry(self, _unsqueezed(self, dim)))
register("as_strided_", "as_strided_(Tensor input, SymIntArrayRef size, SymIntArrayRef stride, "
         "SymInt? storage_offset=None)", node="AsStridedBackward1", view=ONE, inplace=True)(
    lambda self, size, stride, storage_offset: _set_geometry(self, _as_strided(self, size, stride, storage_offset)))


@register("resize_", "resize_(Tensor self, SymIntArrayRef size, *, MemoryFormat? memory_format=None)",
          inplace=True, function=False)
def resize_(self: Tensor, size: tuple[int, ...], memory_format: Any = None) -> Tensor:
    """``Tensor.resize_``: becomes contiguous with the new shape at the same offset; the storage grows
    (keeping its data) when it is too small, unless it is borrowed memory (``from_numpy``). A tensor
    that requires grad cannot be resized (in any grad mode). Resizing to the current shape changes
    nothing, strides included (torch returns early); any other resize counts as an in-place
    modification (the version moves)."""
    if self._requires_grad:  # (VariableTypeManual.cpp checks this before the kernel's checks)
        raise RuntimeError("cannot resize variables that require grad")
    if any(s < 0 for s in size):
        raise RuntimeError("numel: integer multiplication overflow")
    if size == self._shape:
        return self
    storage = self._storage
    itemsize = self._dtype.itemsize
    if storage_nbytes(size, itemsize, offset=self._offset) > storage.nbytes():  # (resize_impl_cpu_)
        if not storage.resizable:
            raise RuntimeError("Trying to resize storage that is not resizable")
        grown = self._backend.allocate(size, storage.array.dtype, offset=self._offset)
        grown[:storage.array.size] = storage.array
        storage.array = grown
    self._set_metadata(size, contiguous_strides(size), self._offset)
    self._version_counter.bump()
    return self

