"""View ops: each returns a tensor sharing storage (and version counter) with its input, with the
shape/strides/offset torch computes (aten/src/ATen/native/TensorShape.cpp). ``reshape`` is a view
when ``view`` would succeed and a copy otherwise; ``contiguous`` returns ``self`` when already
contiguous; ``clone`` and ``flip`` always copy.
"""

from __future__ import annotations

import operator
from typing import Any

from .. import _dtype as D
from .._strides import compute_view_strides, contiguous_strides, infer_size, is_contiguous, numel
from .._tensor import Tensor
from .._warnings import warn_once
from ..autograd.grad_mode import STATE, no_grad
from ..autograd.graph import NO_GRAD_VIEW
from ..autograd.inplace import check_inplace
from ..autograd.view_grads import record_split, record_view
from ._util import check_int, from_array, parse_shape, shape_str, wrap_dim, wrap_dims


def _track(name: str, out: Tensor, source: Tensor, ctx: Any) -> Tensor:
    """Record ``out = view(source)`` for autograd when ``source`` requires grad. A view made under
    no_grad still requires grad, as in torch, but has no history and is marked (torch forbids
    modifying it in place once grad mode is back on); a view of a marked view inherits the mark
    (``propagate_creation_meta``)."""
    if source._requires_grad:
        if STATE.enabled:
            record_view(name, out, source, ctx)
            if source._creation_meta is not None and out._base is not None:
                out._creation_meta = source._creation_meta
        elif out._base is not None:
            out._requires_grad = True
            out._creation_meta = NO_GRAD_VIEW
            out._view_version = out._version_counter.value
    return out


def view(self: Tensor, *shape: Any) -> Tensor:
    """``Tensor.view``: same storage, new shape; fails with torch's message when the strides cannot
    express the new shape (use ``reshape``)."""
    if not shape:
        raise TypeError("view() received an invalid combination of arguments - got (), but expected one of:\n"
                        " * (torch.dtype dtype)\n * (tuple of ints size)")
    if len(shape) == 1 and isinstance(shape[0], D.dtype):
        raise TypeError("reftorch does not implement view(dtype): reinterpreting bytes as another dtype")
    new_shape = infer_size(parse_shape(shape, "view"), self.numel())
    strides = compute_view_strides(self._shape, self._stride, new_shape)
    if strides is None:
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one dimension spans "
            "across two contiguous subspaces). Use .reshape(...) instead.")
    return _track("ViewBackward0", self._view_of(new_shape, strides, self._offset), self, self._shape)


def view_as(self: Tensor, other: Tensor) -> Tensor:
    return view(self, other._shape)


def reshape(self: Tensor, *shape: Any) -> Tensor:
    """``Tensor.reshape``: a view when the strides allow it, else a contiguous copy."""
    new_shape = infer_size(parse_shape(shape, "reshape"), self.numel())
    strides = compute_view_strides(self._shape, self._stride, new_shape)
    if strides is not None:
        # torch views contiguous inputs and takes a ``_reshape_alias`` of strided ones
        name = "ViewBackward0" if is_contiguous(self._shape, self._stride) else "ReshapeAliasBackward0"
        return _track(name, self._view_of(new_shape, strides, self._offset), self, self._shape)
    copied = contiguous(self)  # torch's _unsafe_view of the copy: not a view (no _base)
    out = Tensor._make(copied._storage, new_shape, contiguous_strides(new_shape), 0, copied._dtype)
    return _track("UnsafeViewBackward0", out, copied, copied._shape)


def reshape_as(self: Tensor, other: Tensor) -> Tensor:
    return reshape(self, other._shape)


def contiguous(self: Tensor, memory_format: Any = None) -> Tensor:
    """Returns ``self`` when already contiguous, else a row-major copy."""
    if is_contiguous(self._shape, self._stride):
        return self
    copied = self._backend.xp.ascontiguousarray(self._array)
    return _track("CloneBackward0", from_array(copied, self._dtype, self.device, self._backend), self, None)


def clone(self: Tensor, *, memory_format: Any = None) -> Tensor:
    """A copy with new storage; keeps the layout of dense inputs (torch's preserve_format)."""
    copied = self._backend.xp.array(self._array, copy=True, order="K")
    return _track("CloneBackward0", from_array(copied, self._dtype, self.device, self._backend), self, None)


def alias(self: Tensor) -> Tensor:
    """A new tensor object viewing exactly the same elements (AliasBackward0 under autograd)."""
    return _track("AliasBackward0", self._view_of(self._shape, self._stride, self._offset), self, None)


def detach(self: Tensor) -> Tensor:
    """Shares storage and version counter, never requires grad, has no history, and is not a view
    (``_base`` is None, as in torch)."""
    return Tensor._make(self._storage, self._shape, self._stride, self._offset, self._dtype, self._version_counter)


def _permuted(self: Tensor, order: tuple[int, ...], name: str, ctx: Any) -> Tensor:
    out = self._view_of(tuple(self._shape[d] for d in order), tuple(self._stride[d] for d in order), self._offset)
    return _track(name, out, self, ctx)


def transpose(self: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swaps two dims (a view)."""
    check_int(dim0, "transpose", "dim0", 1)
    check_int(dim1, "transpose", "dim1", 2)
    ndim = len(self._shape)
    d0, d1 = wrap_dim(dim0, ndim), wrap_dim(dim1, ndim)
    order = list(range(ndim))
    if ndim:
        order[d0], order[d1] = order[d1], order[d0]
    return _permuted(self, tuple(order), "TransposeBackward0", (d0, d1) if ndim else (0, 0))


def t(self: Tensor) -> Tensor:
    """Transpose of a tensor with <= 2 dims (0-D and 1-D are returned as views of themselves)."""
    if len(self._shape) > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {len(self._shape)}D")
    order = (1, 0) if len(self._shape) == 2 else tuple(range(len(self._shape)))
    return _permuted(self, order, "TBackward0", None)


def T(self: Tensor) -> Tensor:  # noqa: N802 - torch's name
    """Reverses all dims; warns once (UserWarning) for tensors that are not 2-D, as torch deprecates it."""
    if len(self._shape) not in (0, 2):
        warn_once(
            "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated and it "
            "will throw an error in a future release. Consider `x.mT` to transpose batches of matrices or "
            "`x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor.")
    order = tuple(range(len(self._shape) - 1, -1, -1))
    return _permuted(self, order, "PermuteBackward0", order)


def mT(self: Tensor) -> Tensor:  # noqa: N802 - torch's name
    """Transposes the last two dims (batches of matrices)."""
    if len(self._shape) < 2:
        raise RuntimeError(
            f"tensor.mT is only supported on matrices or batches of matrices. Got {len(self._shape)}-D tensor.")
    return transpose(self, -2, -1)


def permute(self: Tensor, *dims: Any) -> Tensor:
    """Reorders all dims; the order must name each dim exactly once."""
    order = parse_shape(dims, "permute")
    ndim = len(self._shape)
    if len(order) != ndim:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the "
            f"desired ordering of dimensions i.e. input.dim() = {ndim} is not equal to len(dims) = {len(order)}")
    wrapped = tuple(wrap_dim(d, ndim) for d in order)
    if len(set(wrapped)) != ndim:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return _permuted(self, wrapped, "PermuteBackward0", wrapped)


def movedim(self: Tensor, source: Any, destination: Any) -> Tensor:
    """Moves dims ``source`` to positions ``destination`` (ints or sequences), keeping the others'
    order; ``moveaxis`` is an alias."""
    src = (source,) if isinstance(source, int) else tuple(source)
    dst = (destination,) if isinstance(destination, int) else tuple(destination)
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({list(src)} dims) should contain the same "
            f"number of dims as destination ({list(dst)} dims)")
    ndim = len(self._shape)
    src_w = wrap_dims(src, ndim)
    dst_w = wrap_dims(dst, ndim)
    order = [-1] * ndim
    for s, d in zip(src_w, dst_w):
        order[d] = s
    rest = iter(d for d in range(ndim) if d not in src_w)
    order = tuple(next(rest) if o == -1 else o for o in order)
    return _permuted(self, order, "PermuteBackward0", order)


def squeeze(self: Tensor, dim: Any = None) -> Tensor:
    """Removes size-1 dims: all of them, or only those named (a named dim that is not 1 stays)."""
    ndim = len(self._shape)
    targets = range(ndim) if dim is None else wrap_dims(dim, ndim)
    keep = [d for d in range(ndim) if not (d in targets and self._shape[d] == 1)]
    out = self._view_of(tuple(self._shape[d] for d in keep), tuple(self._stride[d] for d in keep), self._offset)
    name = "SqueezeBackward0" if dim is None else "SqueezeBackward1" if isinstance(dim, int) else "SqueezeBackward2"
    return _track(name, out, self, self._shape)


def unsqueeze(self: Tensor, dim: int) -> Tensor:
    """Inserts a size-1 dim at ``dim`` in ``[-ndim-1, ndim]``."""
    check_int(dim, "unsqueeze", "dim", 1)
    ndim = len(self._shape)
    d = wrap_dim(dim, ndim + 1)
    stride = self._shape[d] * self._stride[d] if d < ndim else 1
    out = self._view_of(self._shape[:d] + (1,) + self._shape[d:], self._stride[:d] + (stride,) + self._stride[d:],
                        self._offset)
    return _track("UnsqueezeBackward0", out, self, d)


def expand(self: Tensor, *sizes: Any) -> Tensor:
    """Broadcasts size-1 dims (stride 0) and prepends new dims; -1 keeps a size."""
    target = parse_shape(sizes, "expand")
    ndim = len(self._shape)
    if len(target) < ndim:
        raise RuntimeError(
            f"expand({self._dtype.tensor_type}{{{shape_str(self._shape)}}}, size={shape_str(target)}): the "
            f"number of sizes provided ({len(target)}) must be greater or equal to the number of dimensions in "
            f"the tensor ({ndim})")
    lead = len(target) - ndim
    shape, strides = [0] * len(target), [0] * len(target)
    # ATen's inferExpandGeometry: walk from the last dim; a new leading dim takes the stride the
    # next dim spans (so size-1 leading dims are not stride 0), and any size change gets stride 0.
    for i in range(len(target) - 1, -1, -1):
        dim = i - lead
        if dim >= 0:
            size, stride = self._shape[dim], self._stride[dim]
        else:
            size = 1
            stride = shape[i + 1] * strides[i + 1] if i + 1 < len(target) else 1
        wanted = target[i]
        if wanted == -1:
            if dim < 0:
                raise RuntimeError(
                    f"The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension {i}")
            wanted = size
        if size != wanted:
            if size != 1:
                raise RuntimeError(
                    f"The expanded size of the tensor ({wanted}) must match the existing size ({size}) at "
                    f"non-singleton dimension {i}.  Target sizes: {shape_str(target)}.  Tensor sizes: "
                    f"{shape_str(self._shape)}")
            stride = 0
        shape[i], strides[i] = wanted, stride
    return _track("ExpandBackward0", self._view_of(tuple(shape), tuple(strides), self._offset), self, self._shape)


def expand_as(self: Tensor, other: Tensor) -> Tensor:
    return expand(self, other._shape)


def narrow(self: Tensor, dim: int, start: int, length: int) -> Tensor:
    """Elements ``start .. start+length`` of ``dim`` (negative start counts from the end)."""
    ndim = len(self._shape)
    if ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, ndim)
    size = self._shape[d]
    start = operator.index(start)
    if not -size <= start <= size:
        raise IndexError(
            f"start out of range (expected to be in range of [{-size}, {size}], but got {start})")
    if start < 0:
        start += size
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return slice_dim(self, d, start, length, 1)


def slice_dim(self: Tensor, dim: int, start: int, length: int, step: int) -> Tensor:
    """Elements ``start, start+step, ...`` (``length`` of them) of ``dim``: torch's ``slice`` view."""
    shape = list(self._shape)
    strides = list(self._stride)
    shape[dim] = length
    strides[dim] = self._stride[dim] * step
    out = self._view_of(tuple(shape), tuple(strides), self._offset + start * self._stride[dim])
    index = (slice(None),) * dim + (slice(start, start + length * step, step),)
    return _track("SliceBackward0", out, self, (self._shape, index))


def select(self: Tensor, dim: int, index: int) -> Tensor:
    """Removes ``dim`` by taking element ``index`` of it (a view)."""
    ndim = len(self._shape)
    if ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, ndim)
    size = self._shape[d]
    index = operator.index(index)
    if not -size <= index < size:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size {shape_str(self._shape)} at dimension {d}")
    if index < 0:
        index += size
    out = self._view_of(self._shape[:d] + self._shape[d + 1:], self._stride[:d] + self._stride[d + 1:],
                        self._offset + index * self._stride[d])
    return _track("SelectBackward0", out, self, (self._shape, d, index))


def flatten(self: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merges dims ``start_dim..end_dim`` (a view when possible, like reshape); 0-dim gives shape (1,)."""
    ndim = len(self._shape)
    s, e = wrap_dim(start_dim, ndim), wrap_dim(end_dim, ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if ndim == 0:
        return reshape(self, (1,))
    if s == e:
        return self._view_of(self._shape, self._stride, self._offset)
    merged = numel(self._shape[s:e + 1])
    return reshape(self, self._shape[:s] + (merged,) + self._shape[e + 1:])


def unflatten(self: Tensor, dim: int, sizes: Any) -> Tensor:
    """Splits ``dim`` into ``sizes`` (one -1 allowed)."""
    ndim = len(self._shape)
    d = wrap_dim(dim, ndim)
    sizes = tuple(sizes)
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    try:
        inferred = infer_size(sizes, self._shape[d])
    except RuntimeError:
        raise RuntimeError(
            f"unflatten: Provided sizes {shape_str(sizes)} don't multiply up to the size of dim {dim} "
            f"({self._shape[d]}) in the input tensor") from None
    return view(self, self._shape[:d] + inferred + self._shape[d + 1:])


def _unfolded(shape: tuple[int, ...], stride: tuple[int, ...], d: int, size: int, step: int) -> tuple[tuple, tuple]:
    """Shape and strides of ``unfold(d, size, step)`` of a tensor with ``shape`` and ``stride``."""
    if not shape:
        return (size,), (1,)
    new_shape, new_stride = list(shape), list(stride)
    new_shape[d] = (shape[d] - size) // step + 1
    new_stride[d] = stride[d] * step
    return tuple(new_shape) + (size,), tuple(new_stride) + (stride[d],)


def unfold(self: Tensor, dimension: int, size: int, step: int) -> Tensor:
    """Sliding windows of ``size`` every ``step`` along ``dimension``, as a new last dim (a view). Its
    gradient adds each window element into the input element it reads, by logical position (so an
    expanded input's aliased elements each get their own share, as torch's unfold_backward does)."""
    ndim = len(self._shape)
    d = wrap_dim(dimension, ndim)
    length = self._shape[d] if ndim else 1
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {length} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    out = self._view_of(*_unfolded(self._shape, self._stride, d, size, step), self._offset)
    logical = contiguous_strides(self._shape)
    windows = _unfolded(self._shape, logical, d, size, step)
    return _track("UnfoldBackward0", out, self, (self._shape, logical, 0, *windows, 0))


def _geometry(source: Tensor, out: Tensor) -> tuple:
    """Input and view geometry in storage coordinates, for gradients of overlapping views."""
    return source._shape, source._stride, source._offset, out._shape, out._stride, out._offset


def diagonal(self: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
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
    return _track("DiagonalBackward0", self._view_of(shape, strides, start), self, (self._shape, offset, d1, d2))


def as_strided(self: Tensor, size: Any, stride: Any, storage_offset: int | None = None) -> Tensor:
    """An arbitrary strided view of the storage; bounds-checked like ATen's ``setStorage``."""
    size, stride = tuple(size), tuple(stride)
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    offset = self._offset if storage_offset is None else storage_offset
    if any(s < 0 for s in stride):
        raise RuntimeError("as_strided: Negative strides are not supported at the moment, got strides: "
                           f"{shape_str(stride)}")
    itemsize = self._dtype.itemsize
    needed = 0 if any(s == 0 for s in size) else (offset + 1 + sum((n - 1) * st for n, st in zip(size, stride)))
    available = self._storage.nbytes()
    if needed * itemsize > available:
        raise RuntimeError(
            f"setStorage: sizes {shape_str(size)}, strides {shape_str(stride)}, storage offset {offset}, and "
            f"itemsize {itemsize} requiring a storage size of {needed * itemsize} are out of bounds for storage "
            f"of size {available}")
    out = self._view_of(size, stride, offset)
    return _track("AsStridedBackward0", out, self, _geometry(self, out))


def split(self: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Views of consecutive chunks of ``dim``: equal ``split_size`` pieces (last may be smaller), or the
    given list of section sizes (which must sum to the dim's size)."""
    d = wrap_dim(dim, len(self._shape))
    size = self._shape[d]
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        if step < 0:
            raise RuntimeError(f"split expects split_size be non-negative, but got split_size={step}")
        if step == 0 and size != 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}")
        sections = [step] * (size // step) + ([size % step] if size % step else []) if step else [0]
    else:
        sections = [operator.index(s) for s in split_size_or_sections]
        if sum(sections) != size:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's size at dimension "
                f"{d}), but got split_sizes={shape_str(tuple(sections))}")
    name = "SplitBackward0" if isinstance(split_size_or_sections, int) else "SplitWithSizesBackward0"
    return _split_pieces(self, d, sections, name)


def _split_pieces(self: Tensor, d: int, sections: list[int], name: str) -> tuple[Tensor, ...]:
    starts = [sum(sections[:i]) for i in range(len(sections))]
    with no_grad():
        pieces = tuple(narrow(self, d, start, length) for start, length in zip(starts, sections))
    if STATE.enabled and self._requires_grad:
        regions = [lambda z, s=start, n=length: z.narrow(d, s, n) for start, length in zip(starts, sections)]
        record_split(name, pieces, self, regions)
    return pieces


def chunk(self: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """``split`` into pieces of ``ceil(size / chunks)``; may return fewer than ``chunks`` pieces."""
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    d = wrap_dim(dim, len(self._shape))
    size = self._shape[d]
    piece = -(-size // chunks)
    if size == 0:
        return _split_pieces(self, d, [0] * chunks, "SplitWithSizesBackward0")
    return split(self, piece, d)


def unbind(self: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """Views of each slice along ``dim``, with ``dim`` removed."""
    d = wrap_dim(dim, len(self._shape))
    with no_grad():
        pieces = tuple(select(self, d, i) for i in range(self._shape[d]))
    if STATE.enabled and self._requires_grad:
        record_split("UnbindBackward0", pieces, self, [lambda z, i=i: z.select(d, i) for i in range(len(pieces))])
    return pieces


def resize_(self: Tensor, *sizes: Any, memory_format: Any = None) -> Tensor:
    """``Tensor.resize_``: becomes contiguous with the new shape at the same offset; the storage grows
    (keeping its data) when it is too small, unless it is borrowed memory (``from_numpy``). Resizing to
    the current shape changes nothing, strides included (torch returns early); any other resize
    counts as an in-place modification (the version moves)."""
    shape = parse_shape(sizes, "resize_")
    if any(s < 0 for s in shape):
        raise RuntimeError("numel: integer multiplication overflow")
    check_inplace(self)
    if shape == self._shape:
        return self
    needed = (self._offset + numel(shape)) * self._dtype.itemsize
    storage = self._storage
    if needed > storage.nbytes():
        if not storage.resizable:
            raise RuntimeError("Trying to resize storage that is not resizable")
        xp = self._backend.xp
        grown = xp.zeros(needed // self._dtype.itemsize, dtype=storage.array.dtype)
        grown[:storage.array.size] = storage.array
        storage.array = grown
    self._set_metadata(shape, contiguous_strides(shape), self._offset)
    self._version_counter.bump()
    return self


# In-place metadata variants ------------------------------------------------------------------
def _inplace_metadata(fn):
    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        check_inplace(self)
        result = fn(self, *args, **kwargs)
        self._set_metadata(result._shape, result._stride, result._offset)
        self._version_counter.bump()  # torch counts metadata changes as in-place modifications too
        if result._grad_fn is not None:
            self._grad_fn, self._output_nr = result._grad_fn, 0
        return self

    method.__name__ = fn.__name__ + "_"
    method.__doc__ = (f"In-place ``{fn.__name__}``: changes this tensor's shape/strides, not its data (the version "
                      "counter still moves, as in torch).")
    return method


transpose_ = _inplace_metadata(transpose)
t_ = _inplace_metadata(t)
squeeze_ = _inplace_metadata(squeeze)
unsqueeze_ = _inplace_metadata(unsqueeze)
as_strided_ = _inplace_metadata(as_strided)

FUNCTIONS = {
    "reshape": reshape, "transpose": transpose, "swapaxes": transpose, "swapdims": transpose, "t": t,
    "permute": permute, "movedim": movedim, "moveaxis": movedim, "squeeze": squeeze, "unsqueeze": unsqueeze,
    "narrow": narrow, "select": select, "flatten": flatten, "unflatten": unflatten, "diagonal": diagonal,
    "as_strided": as_strided, "split": split, "chunk": chunk, "unbind": unbind, "clone": clone, "detach": detach,
}
METHODS = FUNCTIONS | {
    "view": view, "view_as": view_as, "reshape_as": reshape_as, "contiguous": contiguous, "expand": expand,
    "expand_as": expand_as, "unfold": unfold, "transpose_": transpose_, "swapaxes_": transpose_,
    "swapdims_": transpose_, "t_": t_, "resize_": resize_, "squeeze_": squeeze_, "unsqueeze_": unsqueeze_,
    "as_strided_": as_strided_,
}
PROPERTIES = {"T": T, "mT": mT}
