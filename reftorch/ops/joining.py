"""Joining, reordering and index-driven copies, as ATen computes them
(aten/src/ATen/native/TensorShape.cpp, TensorTransformations.cpp, TensorAdvancedIndexing.cpp,
ScatterGatherChecks.h, torch/functional.py), all as registry records:

- ``cat``/``stack`` and the ``hstack``/``vstack``/``dstack``/``column_stack`` family (dtype promotion
  across inputs; 1-D empty tensors are skipped by ``cat``);
- ``flip``/``roll``/``repeat``/``tile``: always copies (``flip`` keeps its input's memory layout);
- ``gather``/``scatter``/``scatter_add``/``index_select``/``masked_select``/``take``, and the internal
  ``index_add``/``masked_scatter``/``put`` their gradients are made of;
- ``tril``/``triu``/``diag``/``diag_embed``;
- ``broadcast_to``/``broadcast_tensors``/``meshgrid``/``atleast_*d``: views (stride 0 where expanded);
- ``nonzero``/``argwhere``: an (n, ndim) int64 tensor with strides (1, n), as torch allocates it.

Results that torch allocates fresh are contiguous unless stated otherwise. Each kernel records
torch's node through the autograd layer (``CatBackward0``, ``StackBackward0``, ``FlipBackward0``...;
formulas in autograd/derivatives/joining.py); the composites (torch's CompositeImplicitAutograd:
the stacking helpers, ``tile``, ``broadcast_*``, ``meshgrid``, ``atleast_*d``) record the ops they
are made of. Ops torch writes in Python (torch/functional.py: ``atleast_*d``, ``broadcast_tensors``,
``meshgrid``) are ``python=True`` records over the parsed bindings of :data:`vf` (torch's ``_VF``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from .. import _dtype as D
from .._layout import contiguous_format
from .._promotion import promote_types
from .._tensor import Tensor
from ._inplace import check_writable
from ._scalars import scalar_array
from ._util import (
    broadcast_shapes,
    cast_array,
    check_sizes_nonnegative,
    empty_like,
    empty_tensor,
    from_array,
    result_tensor,
    same_device,
    shape_str,
    unsupported_dtype,
    wrap_dim,
    wrap_dims,
)
from .registry import aten, call, functions, register, vf
from .views import diagonal, unsqueeze


def _promote_all(tensors: Sequence[Tensor]) -> D.dtype:
    result = tensors[0]._dtype
    for t in tensors[1:]:
        result = promote_types(result, t._dtype)
    return result


# ----------------------------------------------------------------------------- cat / stack
@register("cat", "cat(TensorList tensors, int64_t dim=0, *, Tensor out=None)", node="CatBackward0", method=False)
def cat(tensors: Sequence[Tensor], dim: int) -> Tensor:
    """``torch.cat``: joins tensors along ``dim``; the result dtype promotes over all inputs. 1-D
    tensors of shape (0,) are skipped (their dtype still counts), zero-dim tensors are refused."""
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if not t._shape:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    same_device(tensors)
    dtype = _promote_all(tensors)
    kept = [(i, t) for i, t in enumerate(tensors) if t._shape != (0,)]
    backend = tensors[0]._backend
    xp = backend.xp
    if not kept:
        return result_tensor(xp.zeros(0), dtype, tensors[0])
    ref = kept[0][1]
    d = wrap_dim(dim, len(ref._shape))
    for i, t in kept:
        if len(t._shape) != len(ref._shape):
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {len(ref._shape)} and {len(t._shape)}")
        for k, (want, got) in enumerate(zip(ref._shape, t._shape)):
            if k != d and want != got:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size {want} but got size "
                    f"{got} for tensor number {i} in the list.")
    arrays = [cast_array(backend, t._array, dtype) for _, t in kept]
    return result_tensor(xp.concatenate(arrays, axis=d), dtype, ref)


for _name in ("concat", "concatenate"):
    register(_name, f"{_name}(TensorList tensors, int64_t dim=0, *, Tensor out=None)", composite=True,
             method=False)(lambda tensors, dim: call("cat", tensors, dim))


@register("stack", "stack(TensorList tensors, int64_t dim=0, *, Tensor out=None)", node="StackBackward0",
          method=False)
def stack(tensors: Sequence[Tensor], dim: int) -> Tensor:
    """``torch.stack``: joins equally shaped tensors along a new dim ``dim`` (in ``[-ndim-1, ndim]``)."""
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    first = tensors[0]._shape
    d = wrap_dim(dim, len(first) + 1)
    for i, t in enumerate(tensors[1:], start=1):
        if t._shape != first:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {shape_str(first)} at entry 0 and "
                f"{shape_str(t._shape)} at entry {i}")
    return cat([unsqueeze(t, d) for t in tensors], d)


# ----------------------------------------------------------------------------- atleast_*d
def _atleast_1d(t: Tensor) -> Tensor:
    return aten.reshape(t, (1,)) if not t._shape else t


def _atleast_2d(t: Tensor) -> Tensor:
    if len(t._shape) >= 2:
        return t
    return aten.reshape(t, (1, 1)) if not t._shape else aten.unsqueeze(t, 0)


def _atleast_3d(t: Tensor) -> Tensor:
    ndim = len(t._shape)
    if ndim == 0:
        return aten.reshape(t, (1, 1, 1))
    if ndim == 1:
        return aten.unsqueeze(aten.unsqueeze(t, 0), -1)
    return aten.unsqueeze(t, -1) if ndim == 2 else t


def _register_atleast(name: str, lift: Any) -> None:
    """ATen's two overloads (a tensor, a tensor list; reached through ``_VF``) and torch/functional.py's
    varargs wrapper: one argument is passed on as it is, several as a tuple."""
    register(name, f"{name}(Tensor input)", composite=True, function=False, method=False)(lift)
    register(f"{name}.Sequence", f"{name}(TensorList tensors)", composite=True, function=False, method=False)(
        lambda tensors: tuple(lift(t) for t in tensors))

    def wrapper(*tensors: Any) -> Any:
        return getattr(vf, name)(tensors[0] if len(tensors) == 1 else tensors)

    wrapper.__doc__ = (f"``torch.{name}``: views with at least {name[-2]} dims (inputs with enough are returned "
                       "themselves); one tensor gives a tensor, several (or a sequence) a tuple.")
    register(f"functional.{name}", f"{name}(TensorList tensors)", composite=True, method=False,
             python=True)(wrapper)


_register_atleast("atleast_1d", _atleast_1d)
_register_atleast("atleast_2d", _atleast_2d)
_register_atleast("atleast_3d", _atleast_3d)


# ----------------------------------------------------------------------------- hstack / vstack / dstack / column_stack
def _nonempty(tensors: Sequence[Tensor], fn: str) -> Sequence[Tensor]:
    if not tensors:
        raise RuntimeError(f"{fn} expects a non-empty TensorList")
    return tensors


@register("hstack", "hstack(TensorList tensors, *, Tensor out=None)", composite=True, method=False)
def hstack(tensors: Sequence[Tensor]) -> Tensor:
    """``torch.hstack``: ``cat`` along dim 0 for 1-D inputs, else dim 1 (after ``atleast_1d``)."""
    lifted = call("atleast_1d.Sequence", _nonempty(tensors, "hstack"))
    return call("cat", lifted, 0 if len(lifted[0]._shape) == 1 else 1)


@register("vstack", "vstack(TensorList tensors, *, Tensor out=None)", composite=True, method=False)
def vstack(tensors: Sequence[Tensor]) -> Tensor:
    """``torch.vstack``: ``cat`` along dim 0 after ``atleast_2d``."""
    return call("cat", call("atleast_2d.Sequence", _nonempty(tensors, "vstack")), 0)


register("row_stack", "row_stack(TensorList tensors, *, Tensor out=None)", composite=True, method=False)(
    lambda tensors: call("vstack", tensors))


@register("dstack", "dstack(TensorList tensors, *, Tensor out=None)", composite=True, method=False)
def dstack(tensors: Sequence[Tensor]) -> Tensor:
    """``torch.dstack``: ``cat`` along dim 2 after ``atleast_3d``."""
    return call("cat", call("atleast_3d.Sequence", _nonempty(tensors, "dstack")), 2)


@register("column_stack", "column_stack(TensorList tensors, *, Tensor out=None)", composite=True, method=False)
def column_stack(tensors: Sequence[Tensor]) -> Tensor:
    """``torch.column_stack``: 0-D and 1-D inputs become columns, then ``cat`` along dim 1."""
    columns = [aten.reshape(t, (t.numel(), 1)) if len(t._shape) <= 1 else t
               for t in _nonempty(tensors, "column_stack")]
    return call("cat", columns, 1)


# ----------------------------------------------------------------------------- flip / roll / repeat / tile
def _like_preserving(t: Tensor, values: Any) -> Tensor:
    """``empty_like(t)`` (memory_format=preserve: dense inputs keep their strides, others get dense
    strides in the same dim order) filled with ``values``."""
    out = empty_like(t, None, t._dtype, t.device)
    t._backend.xp.copyto(out._array, values)
    return out


@register("flip", "flip(Tensor input, IntArrayRef dims)", node="FlipBackward0")
def flip(self: Tensor, dims: tuple[int, ...]) -> Tensor:
    """``torch.flip``: reverses the order along ``dims`` (a list; repeated dims raise). Always a copy,
    with the input's memory layout (``empty_like`` with preserve_format)."""
    wrapped = wrap_dims(dims, len(self._shape))
    values = self._backend.xp.flip(self._array, axis=wrapped) if self._shape else self._array
    return _like_preserving(self, values)


@register("fliplr", "fliplr(Tensor input)", composite=True)
def fliplr(self: Tensor) -> Tensor:
    """``torch.fliplr``: ``flip`` of dim 1 (inputs need at least 2 dims)."""
    if len(self._shape) < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return call("flip", self, (1,))


@register("flipud", "flipud(Tensor input)", composite=True)
def flipud(self: Tensor) -> Tensor:
    """``torch.flipud``: ``flip`` of dim 0 (inputs need at least 1 dim)."""
    if not self._shape:
        raise RuntimeError("Input must be >= 1-d.")
    return call("flip", self, (0,))


@register("roll", "roll(Tensor input, SymIntArrayRef[1] shifts, IntArrayRef[1] dims=None)", node="RollBackward0")
def roll(self: Tensor, shifts: tuple[int, ...], dims: tuple[int, ...] | None) -> Tensor:
    """``torch.roll``: rotates elements along ``dims`` by ``shifts`` (ints or equal-length sequences);
    without ``dims`` the flattened tensor is rolled. The result is contiguous. ATen's ``roll_cpu`` /
    ``roll_common``: one dim at a time."""
    dims = dims or ()
    xp = self._backend.xp
    if len(shifts) != 1 or len(dims) != 1:
        if not shifts:
            raise RuntimeError("`shifts` required")
        if not dims and len(shifts) == 1:
            flat = self._array.reshape(-1)
            rolled = xp.roll(flat, shifts[0]) if flat.size else flat
            return result_tensor(rolled.reshape(self._shape), self._dtype, self, copy=True)
        if len(shifts) != len(dims):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
        return roll(roll(self, shifts[:1], dims[:1]), shifts[1:], dims[1:])
    if self.numel() == 0:
        return _like_preserving(self, self._array)
    if not self._shape:
        raise IndexError(f"Dimension specified as {dims[0]} but tensor has no dimensions")
    d = wrap_dim(dims[0], len(self._shape))
    return result_tensor(xp.roll(self._array, shifts[0], axis=d), self._dtype, self)


@register("repeat", "repeat(Tensor input, SymIntArrayRef repeats)", node="RepeatBackward0", function=False)
def repeat(self: Tensor, repeats: tuple[int, ...]) -> Tensor:
    """``Tensor.repeat``: tiles the tensor ``repeats[i]`` times along each dim; extra leading sizes add
    dims, fewer sizes than dims raise."""
    ndim = len(self._shape)
    if len(repeats) < ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    padded = (1,) * (len(repeats) - ndim) + self._shape
    check_sizes_nonnegative(tuple(p * r for p, r in zip(padded, repeats)))
    return result_tensor(self._backend.xp.tile(self._array.reshape(padded), repeats), self._dtype, self)


@register("tile", "tile(Tensor input, SymIntArrayRef dims)", composite=True)
def tile(self: Tensor, dims: tuple[int, ...]) -> Tensor:
    """``torch.tile``: ``repeat`` with ``dims`` padded by leading 1s to the tensor's rank."""
    return call("repeat", self, (1,) * (len(self._shape) - len(dims)) + dims)


# ----------------------------------------------------------------------------- gather / scatter
def _nonempty_dim(t: Tensor) -> int:
    return max(len(t._shape), 1)


def _nonempty_size(t: Tensor, d: int) -> int:
    """ATen's ``ensure_nonempty_size``: a zero-dim tensor has size 1 in dim 0; other tensors wrap ``d``."""
    return 1 if not t._shape else t._shape[wrap_dim(d, len(t._shape))]


def _nonempty_array(t: Tensor) -> Any:
    return t._array.reshape(1) if not t._shape else t._array


def _check_index_dtype(index: Tensor, fn: str) -> None:
    if index.numel() and index._dtype not in (D.int64, D.int32):
        raise RuntimeError(f"{fn}(): Expected dtype int32/int64 for index")


def _check_bounds(values: Any, size: int, dim: int) -> None:
    bad = (values < 0) | (values >= size)
    if bad.any():
        raise RuntimeError(
            f"index {int(values[bad].reshape(-1)[0])} is out of bounds for dimension {dim} with size {size}")


@register("gather", "gather(Tensor input, int64_t dim, Tensor index, *, bool sparse_grad=False, Tensor out=None)",
          node="GatherBackward0")
def gather(self: Tensor, dim: int, index: Tensor, sparse_grad: bool) -> Tensor:
    """``torch.gather``: ``out[i][j] = input[index[i][j]][j]`` (for dim 0); ``index`` (int64 or int32)
    has input's rank and is no larger than input outside ``dim``; the result has index's shape.
    ``sparse_grad=True`` still gives a dense gradient (reftorch has no sparse layout; torch's is COO)."""
    same_device([self, index])
    d = wrap_dim(dim, len(self._shape))
    _check_index_dtype(index, "gather")
    xp = self._backend.xp
    if index.numel() == 0:
        return result_tensor(xp.zeros(index._shape), self._dtype, self)
    ndim = _nonempty_dim(self)
    if _nonempty_dim(index) != ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for k in range(ndim):
        if k != d and _nonempty_size(index, k) > _nonempty_size(self, k):
            raise RuntimeError(
                f"Size does not match at dimension {k} expected index {shape_str(index._shape)} to be no "
                f"larger than self {shape_str(self._shape)} apart from dimension {d}")
    idx = _nonempty_array(index).astype("int64")
    _check_bounds(idx, _nonempty_size(self, d), d)
    src = _nonempty_array(self)
    window = tuple(slice(None) if k == d else slice(0, idx.shape[k]) for k in range(ndim))
    values = xp.take_along_axis(src[window], idx, axis=d)
    return result_tensor(values.reshape(index._shape), self._dtype, self)


def _scatter_shape_check(self: Tensor, d: int, index: Tensor, src: Tensor | None) -> None:
    """ATen's ``scatter_shape_check`` (ScatterGatherChecks.h), including its check order."""
    if index.numel() == 0:
        return
    ndim = _nonempty_dim(self)
    if _nonempty_dim(index) != ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    wrong = any(k != d and _nonempty_size(index, k) > _nonempty_size(self, k) for k in range(ndim))
    if not wrong and src is not None:
        wrong = any(_nonempty_size(index, k) > _nonempty_size(src, k) for k in range(ndim))
    message = (f"Expected index {shape_str(index._shape)} to be no larger than self "
               f"{shape_str(self._shape)} apart from dimension {d}")
    if src is not None:
        if _nonempty_dim(src) != _nonempty_dim(index):
            raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
        if wrong:
            raise RuntimeError(f"{message} and to be no larger size than src {shape_str(src._shape)}")
    elif wrong:
        raise RuntimeError(message)


_SCATTER_REDUCE_WARNING = (
    "The reduce argument of torch.scatter with Tensor src is deprecated and will be removed in a future "
    "PyTorch release. Use torch.scatter_reduce instead for more reduction options.")


def _scatter(self: Tensor, dim: int, index: Tensor, src: Any, reduce: str | None, inplace: bool) -> Tensor:
    """The body of every ``scatter``/``scatter_add`` overload (``src`` a Tensor or a Number): checks in
    ATen's order, then writes into ``self`` (in place) or a contiguous copy of it."""
    same_device([self, index] + ([src] if isinstance(src, Tensor) else []))
    d = wrap_dim(dim, len(self._shape))
    _check_index_dtype(index, "scatter")
    if isinstance(src, Tensor) and src._dtype is not self._dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    _scatter_shape_check(self, d, index, src if isinstance(src, Tensor) else None)
    if inplace:
        check_writable(self)
    if reduce is not None and reduce not in ("add", "multiply"):
        raise RuntimeError("reduce argument must be either add or multiply.")
    backend = self._backend
    xp = backend.xp
    fill = None if isinstance(src, Tensor) else scalar_array(backend, src, self._dtype)
    out = self if inplace else result_tensor(self._array, self._dtype, self, copy=True)
    if index.numel() == 0:
        return out
    idx = _nonempty_array(index).astype("int64")
    _check_bounds(idx, _nonempty_size(self, d), d)
    coords = list(xp.indices(idx.shape, sparse=True))
    coords[d] = idx
    if fill is None:
        values = _nonempty_array(src)[tuple(slice(0, n) for n in idx.shape)]
    else:
        values = xp.broadcast_to(fill, idx.shape)
    target = _nonempty_array(out)
    if reduce is None:
        target[tuple(coords)] = values
    else:
        (xp.add if reduce == "add" else xp.multiply).at(target, tuple(coords), values)
    out._version_counter.bump()
    return out


def _warn_tensor_reduce(src: Any) -> None:
    if isinstance(src, Tensor):
        warnings.warn(_SCATTER_REDUCE_WARNING, UserWarning, stacklevel=5)


def scatter(self: Tensor, dim: int, index: Tensor, src: Any) -> Tensor:
    """``torch.scatter``: a copy of ``input`` with ``src`` values (or one ``value``) written at ``index``
    along ``dim``. ``src`` must have input's dtype; a scalar ``value`` is converted with overflow checks."""
    return _scatter(self, dim, index, src, None, False)


def scatter_(self: Tensor, dim: int, index: Tensor, src: Any) -> Tensor:
    """In-place ``scatter``; ``self`` may not be an expanded (self-overlapping) tensor."""
    return _scatter(self, dim, index, src, None, True)


def scatter_reduce(self: Tensor, dim: int, index: Tensor, src: Any, reduce: str) -> Tensor:
    """``scatter`` with ``reduce='add'|'multiply'``: combines instead of overwriting (deprecated with a
    Tensor ``src``: torch's UserWarning)."""
    _warn_tensor_reduce(src)
    return _scatter(self, dim, index, src, reduce, False)


def scatter_reduce_(self: Tensor, dim: int, index: Tensor, src: Any, reduce: str) -> Tensor:
    """In-place ``scatter`` with ``reduce=``."""
    _warn_tensor_reduce(src)
    return _scatter(self, dim, index, src, reduce, True)


# Overloads in the order torch's parser tries them: (overload, source parameter, reduce, functional
# node, in-place node). The ``reduce`` forms have no derivative in torch (a NotImplemented node).
for _overload, _source, _reduce, _node, _inplace_node in (
        ("src", "Tensor src", "", "ScatterBackward0", "ScatterBackward0"),
        ("reduce", "Tensor src", ", *, c10::string_view reduce", "NotImplemented:scatter",
         "NotImplemented:scatter_"),
        ("value", "Scalar value", "", "ScatterBackward1", "ScatterBackward1"),
        ("value_reduce", "Scalar value", ", *, c10::string_view reduce", "NotImplemented:scatter_value",
         "NotImplemented:scatter__value")):
    _out = ", Tensor out=None" if _reduce else ", *, Tensor out=None"
    register(f"scatter.{_overload}", f"scatter(Tensor input, int64_t dim, Tensor index, {_source}{_reduce}{_out})",
             node=_node)(scatter_reduce if _reduce else scatter)
    register(f"scatter_.{_overload}", f"scatter_(Tensor self, int64_t dim, Tensor index, {_source}{_reduce})",
             node=_inplace_node, inplace=True, function=False)(scatter_reduce_ if _reduce else scatter_)


@register("scatter_add", "scatter_add(Tensor input, int64_t dim, Tensor index, Tensor src, *, Tensor out=None)",
          node="ScatterAddBackward0")
def scatter_add(self: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """``torch.scatter_add``: a copy of ``input`` with ``src`` values summed in at ``index``."""
    return _scatter(self, dim, index, src, "add", False)


@register("scatter_add_", "scatter_add_(Tensor self, int64_t dim, Tensor index, Tensor src)",
          node="ScatterAddBackward0", inplace=True, function=False)
def scatter_add_(self: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """In-place ``scatter_add``; ``self`` may not be an expanded (self-overlapping) tensor."""
    return _scatter(self, dim, index, src, "add", True)


# ------------------------------------------------------------------------ index_select, masked_select, take
def _check_indices_range(values: Any, size: int) -> None:
    """ATen's ``check_indexarray_range`` (the dim-1 and empty-input paths of ``index_select``)."""
    bad = (values < 0) | (values >= size)
    if bad.any():
        raise RuntimeError(
            f"INDICES element is out of DATA bounds, id={int(values[bad][0])} axis_dim={size}")


@register("index_select", "index_select(Tensor input, int64_t dim, Tensor index, *, Tensor out=None)",
          node="IndexSelectBackward0")
def index_select(self: Tensor, dim: int, index: Tensor) -> Tensor:
    """``torch.index_select``: the slices ``index`` (1-D or 0-D, int64/int32) of ``dim``, in order.

    Out-of-range indices raise as ATen's CPU kernel does: a RuntimeError "INDICES element is out of
    DATA bounds" for dim 1 of a tensor with 2+ dims, an IndexError "index out of range in self" otherwise.
    """
    same_device([self, index])
    d = wrap_dim(dim, len(self._shape))
    if len(index._shape) > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if index._dtype not in (D.int64, D.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    idx = index._array.reshape(-1).astype("int64")
    count = idx.size
    xp = self._backend.xp
    if not self._shape:
        if count != 1:
            raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got {count} value(s)")
        if idx[0] != 0:
            raise IndexError("index out of range in self")
        return result_tensor(self._array, self._dtype, self, copy=True)
    shape = list(self._shape)
    shape[d] = count
    if len(self._shape) > 1 and count and self.numel() == 0:
        if self._shape[d] <= 0:
            raise RuntimeError("index_select(): self indexing axis dim should be positive")
        _check_indices_range(idx, self._shape[d])
    elif len(self._shape) > 1 and count and d == 1:
        _check_indices_range(idx, self._shape[d])
    elif ((idx < 0) | (idx >= self._shape[d])).any():
        raise IndexError("index out of range in self")
    if self.numel() == 0 or count == 0:
        return result_tensor(xp.zeros(shape), self._dtype, self)
    return result_tensor(xp.take(self._array, idx, axis=d), self._dtype, self)


@register("masked_select", "masked_select(Tensor input, Tensor mask, *, Tensor out=None)",
          node="MaskedSelectBackward0")
def masked_select(self: Tensor, mask: Tensor) -> Tensor:
    """``torch.masked_select``: a 1-D tensor of the elements where the bool ``mask`` is True (mask and
    input broadcast together), in row-major order."""
    same_device([self, mask])
    if mask._dtype is not D.bool:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = broadcast_shapes(mask._shape, self._shape)
    xp = self._backend.xp
    values = xp.broadcast_to(self._array, shape)[xp.broadcast_to(mask._array, shape)]
    return result_tensor(values, self._dtype, self)


@register("take", "take(Tensor input, Tensor index, *, Tensor out=None)", node="TakeBackward0")
def take(self: Tensor, index: Tensor) -> Tensor:
    """``torch.take``: elements of the flattened input at the int64 ``index`` (negative counts from the
    end); the result has index's shape."""
    same_device([self, index])
    if index._dtype is not D.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {index._dtype.scalar_name}")
    numel = self.numel()
    idx = index._array
    if numel == 0 and idx.size:
        raise IndexError("take(): tried to take from an empty tensor")
    bad = (idx >= numel) | (idx < -numel)
    if bad.any():
        raise IndexError(f"out of range: tried to access index {int(idx[bad].reshape(-1)[0])} on a tensor of "
                         f"{numel} elements.")
    return result_tensor(self._array.reshape(-1)[idx], self._dtype, self)


# The scatter-like ops the gradients of index_select, masked_select and take are made of (torch's
# ``index_select_backward``, ``masked_select_backward``, ``take_backward`` in FunctionsManual.cpp): ops
# of their own, so a create_graph gradient has their history and is differentiable again. Internal:
# only the derivative formulas call them, with operands that are valid by construction.
@register("index_add", "index_add(Tensor input, int64_t dim, Tensor index, Tensor source, *, Scalar alpha=1, "
          "Tensor out=None)", node="IndexAddBackward0", function=False, method=False)
def index_add(self: Tensor, dim: int, index: Tensor, source: Tensor, alpha: Any = 1) -> Tensor:
    """ATen's ``index_add``: a copy of ``input`` with ``alpha * source`` slices added at ``index``
    along ``dim`` (repeated indices accumulate)."""
    xp = self._backend.xp
    values = xp.array(self._array, copy=True)
    addend = source._array if alpha == 1 else source._array * alpha
    xp.add.at(values, (slice(None),) * wrap_dim(dim, len(self._shape)) + (index._array.reshape(-1),), addend)
    return result_tensor(values, self._dtype, self)


@register("masked_scatter", "masked_scatter(Tensor input, Tensor mask, Tensor source)",
          node="MaskedScatterBackward0", function=False, method=False)
def masked_scatter(self: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    """ATen's ``masked_scatter``: ``input`` broadcast with ``mask``, the positions where the mask holds
    filled with ``source``'s first elements in row-major order."""
    xp = self._backend.xp
    shape = broadcast_shapes(self._shape, mask._shape)
    values = xp.array(xp.broadcast_to(self._array, shape), copy=True)
    where = xp.broadcast_to(mask._array, shape)
    values[where] = source._array.reshape(-1)[:int(where.sum())]
    return result_tensor(values, self._dtype, self)


@register("put", "put(Tensor input, Tensor index, Tensor source, bool accumulate=False)", node="PutBackward0",
          function=False, method=False)
def put(self: Tensor, index: Tensor, source: Tensor, accumulate: bool) -> Tensor:
    """ATen's ``put``: a copy of ``input`` with ``source`` written (or, with ``accumulate``, added) at
    the flat positions ``index``."""
    xp = self._backend.xp
    flat = xp.array(self._array, copy=True).reshape(-1)
    positions, values = index._array.reshape(-1), source._array.reshape(-1)
    if accumulate:
        xp.add.at(flat, positions, values)
    else:
        flat[positions] = values
    return result_tensor(flat.reshape(self._shape), self._dtype, self)


# ----------------------------------------------------------------------------- triangles and diagonals
def _triangle_keep(t: Tensor, diagonal: int, upper: bool, fn: str) -> Any:
    """The mask of elements ``tril``/``triu`` keep, broadcastable to ``t``'s shape."""
    if len(t._shape) < 2:
        raise RuntimeError(f"{fn}: input tensor must have at least 2 dimensions")
    xp = t._backend.xp
    rows, cols = t._shape[-2:]
    offset = xp.arange(cols)[None, :] - xp.arange(rows)[:, None]
    return offset >= diagonal if upper else offset <= diagonal


def _register_triangle(fn: str, upper: bool) -> None:
    side = "on and above" if upper else "on and below"
    node = "TriuBackward0" if upper else "TrilBackward0"

    def functional(self: Tensor, diagonal: int) -> Tensor:
        keep = _triangle_keep(self, diagonal, upper, fn)
        xp = self._backend.xp
        return result_tensor(xp.where(keep, self._array, xp.zeros((), self._array.dtype)), self._dtype, self)

    def inplace(self: Tensor, diagonal: int) -> Tensor:
        keep = _triangle_keep(self, diagonal, upper, fn)
        xp = self._backend.xp
        xp.copyto(self._array, xp.zeros((), self._array.dtype), where=xp.broadcast_to(~keep, self._shape))
        self._version_counter.bump()
        return self

    functional.__doc__ = (f"``torch.{fn}``: keeps the elements {side} the ``diagonal``-th diagonal of the last "
                          "two dims, zeroes the rest (a contiguous copy).")
    inplace.__doc__ = f"In-place ``{fn}``."
    register(fn, f"{fn}(Tensor input, SymInt diagonal=0, *, Tensor out=None)", node=node)(functional)
    register(f"{fn}_", f"{fn}_(Tensor self, SymInt diagonal=0)", node=node, inplace=True, function=False)(inplace)


_register_triangle("tril", upper=False)
_register_triangle("triu", upper=True)


@register("diag", "diag(Tensor input, int64_t diagonal=0, *, Tensor out=None)", composite=True)
def diag(self: Tensor, diagonal: int) -> Tensor:
    """``torch.diag``: a 1-D input becomes a square matrix with it on the ``diagonal``-th diagonal
    (``diag_embed``); a 2-D input gives a copy of that diagonal (``diagonal_copy``)."""
    ndim = len(self._shape)
    if ndim not in (1, 2):
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {ndim}D")
    if ndim == 1:
        return aten.diag_embed(self, diagonal, 0, 1)
    return aten.diagonal_copy(self, diagonal, 0, 1)


@register("diagonal_copy", "diagonal_copy(Tensor input, int64_t offset=0, int64_t dim1=0, int64_t dim2=1, *, "
          "Tensor out=None)", node="DiagonalBackward0_copy", function=False, method=False)
def diagonal_copy(self: Tensor, offset: int, dim1: int, dim2: int) -> Tensor:
    """ATen's ``diagonal_copy``: ``diagonal`` as a fresh contiguous tensor."""
    return result_tensor(diagonal(self, offset, dim1, dim2)._array, self._dtype, self, copy=True)


@register("diag_embed", "diag_embed(Tensor input, int64_t offset=0, int64_t dim1=-2, int64_t dim2=-1)",
          node="DiagEmbedBackward0")
def diag_embed(self: Tensor, offset: int, dim1: int, dim2: int) -> Tensor:
    """``torch.diag_embed``: puts the last dim of ``input`` on the ``offset`` diagonal of the planes
    (``dim1``, ``dim2``) of a new zero tensor with one more dim."""
    ndim = len(self._shape) + 1
    d1, d2 = wrap_dim(dim1, ndim), wrap_dim(dim2, ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    size = self._shape[-1] + abs(offset)
    shape = list(self._shape[:-1])
    for d in sorted((d1, d2)):
        shape.insert(d, size)
    out = empty_tensor(tuple(shape), self._dtype, self.device)
    self._backend.xp.copyto(diagonal(out, offset, d1, d2)._array, self._array)
    return out


# ----------------------------------------------------------------------------- broadcasting views, meshgrid
@register("broadcast_to", "broadcast_to(Tensor input, SymIntArrayRef size)", composite=True)
def broadcast_to(self: Tensor, size: tuple[int, ...]) -> Tensor:
    """``torch.broadcast_to``: ``expand`` to ``size`` (a view; -1 keeps a size)."""
    return aten.expand(self, size, False)


@register("broadcast_tensors", "broadcast_tensors(TensorList tensors)", composite=True, function=False,
          method=False)
def broadcast_tensors(tensors: Sequence[Tensor]) -> tuple[Tensor, ...]:
    """ATen's ``broadcast_tensors``: views of every input expanded to their common broadcast shape (an
    input that already has that shape is returned itself)."""
    shape = broadcast_shapes(*(t._shape for t in tensors))
    return tuple(t if t._shape == shape else aten.expand(t, shape, False) for t in tensors)


@register("functional.broadcast_tensors", "broadcast_tensors(TensorList tensors)", composite=True, method=False,
          python=True)
def broadcast_tensors_python(*tensors: Any) -> tuple[Tensor, ...]:
    """``torch.broadcast_tensors(*tensors)`` (torch/functional.py): ``_VF.broadcast_tensors(tensors)``."""
    return vf.broadcast_tensors(tensors)


_MESHGRID_WARNING = ("torch.meshgrid: in an upcoming release, it will be required to pass the indexing "
                     "argument.")


@register("meshgrid", "meshgrid(TensorList tensors)", composite=True, function=False, method=False)
def meshgrid_default(tensors: Sequence[Tensor]) -> tuple[Tensor, ...]:
    """ATen's ``meshgrid`` without ``indexing``: a UserWarning, then 'ij'."""
    warnings.warn(_MESHGRID_WARNING, UserWarning, stacklevel=4)
    return meshgrid(tensors, "ij")


@register("meshgrid.indexing", "meshgrid(TensorList tensors, *, c10::string_view indexing)", composite=True,
          function=False, method=False)
def meshgrid(tensors: Sequence[Tensor], indexing: str) -> tuple[Tensor, ...]:
    """ATen's ``meshgrid``: expanded views of 0-D/1-D inputs over the grid of their sizes; ``indexing``
    'ij' or 'xy' (first two grid dims swapped)."""
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for a, b in zip(tensors, tensors[1:]):
        if a._dtype is not b._dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
        if a.device != b.device:
            raise RuntimeError("meshgrid expects all tensors to have the same device")
    swap = indexing == "xy" and len(tensors) >= 2
    if indexing not in ("xy", "ij"):
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}')
    order = [tensors[1], tensors[0], *tensors[2:]] if swap else list(tensors)
    for t in order:
        if len(t._shape) > 1:
            raise RuntimeError(
                f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {t._shape}")
    shape = tuple(t.numel() for t in order)
    grids = []
    for i, t in enumerate(order):
        view_shape = [1] * len(order)
        view_shape[i] = -1
        grids.append(aten.expand(aten.view(t, tuple(view_shape)), shape, False))
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


@register("functional.meshgrid", "meshgrid(TensorList tensors, *, c10::string_view? indexing=None)",
          composite=True, method=False, python=True)
def meshgrid_python(*tensors: Any, indexing: str | None = None) -> tuple[Tensor, ...]:
    """``torch.meshgrid(*tensors, indexing=None)`` (torch/functional.py): the tensors may also come as one
    list; without ``indexing``, ATen warns and uses 'ij'."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tensors[0]
    kwargs = {} if indexing is None else {"indexing": indexing}
    return vf.meshgrid(tensors, **kwargs)


# ----------------------------------------------------------------------------- nonzero
def _nonzero_matrix(self: Tensor) -> Tensor:
    """The (n, ndim) int64 coordinates with torch's strides (1, n): stored dim by dim."""
    backend = self._backend
    xp = backend.xp
    coords = xp.nonzero(self._array) if self._shape else ()
    count = int(coords[0].size) if coords else int(bool(self._array))
    matrix = xp.stack(coords, axis=1) if coords else xp.zeros((count, 0), dtype="int64")
    return result_tensor(matrix, D.int64, self, strides=(1, count))


@register("nonzero", "nonzero(Tensor input, *, bool as_tuple=False, Tensor out=None)", method=False)
def nonzero(self: Tensor, as_tuple: bool = False) -> Any:
    """``torch.nonzero``: indices of the non-zero elements (NaN counts, -0.0 does not) as an (n, ndim)
    int64 tensor in row-major order; ``as_tuple=True`` gives one 1-D tensor per dim (ATen's
    ``nonzero_numpy``: a zero-dim input counts as 1-D)."""
    if not as_tuple:
        return _nonzero_matrix(self)
    target = self if self._shape else unsqueeze(self, 0)
    return call("unbind.int", _nonzero_matrix(target), 1)


# ``Tensor.nonzero``'s own binding (torch/csrc/autograd/python_variable_methods.cpp) has two signatures.
register("Tensor.nonzero", "nonzero(Tensor self)", function=False)(nonzero)
register("Tensor.nonzero.as_tuple", "nonzero(Tensor self, *, bool as_tuple)", function=False)(nonzero)


@register("argwhere", "argwhere(Tensor input)")
def argwhere(self: Tensor) -> Tensor:
    """``torch.argwhere``: ``nonzero(input)``."""
    return _nonzero_matrix(self)


# ----------------------------------------------------------------------------- repeat_interleave
@register("repeat_interleave.self_Tensor", "repeat_interleave(Tensor input, Tensor repeats, int64_t? dim=None, *, "
          "SymInt? output_size=None)", composite=True)
def repeat_interleave_tensor(self: Tensor, repeats: Tensor, dim: int | None, output_size: int | None) -> Tensor:
    """``repeat_interleave`` with a tensor of repeats (ATen's Repeat.cpp): ``index_select`` along ``dim``
    (the flattened input when ``dim`` is None) of ``repeat_interleave(repeats)``; a 0-dim or one-element
    ``repeats`` applies to every element (IndexSelectBackward0)."""
    source = self if dim is not None else functions.flatten(self)
    d = 0 if dim is None else dim
    if repeats.dim() == 0 or (repeats.dim() == 1 and repeats._shape[0] == 1):
        repeats = aten.expand(functions.reshape(repeats, (1,)), (source.size(d),), False)
    elif repeats.dim() == 1:
        if repeats._shape[0] != source.size(d):
            raise RuntimeError(
                f"repeats must have the same size as input along dim, but got repeats.size(0) = {repeats._shape[0]} "
                f"and input.size({d}) = {source.size(d)}")
    else:
        raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
    return functions.index_select(source, d, repeat_interleave_indices(repeats, output_size))


@register("repeat_interleave.Tensor", "repeat_interleave(Tensor repeats, *, SymInt? output_size=None)", method=False)
def repeat_interleave_indices(repeats: Tensor, output_size: int | None = None) -> Tensor:
    """``torch.repeat_interleave(repeats)``: index ``i`` repeated ``repeats[i]`` times (integer repeats
    only, 1-D, non-negative; ``output_size`` must be the total when given)."""
    if repeats.dim() != 1:
        raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
    if repeats._dtype.category != D.INTEGER:
        raise unsupported_dtype("repeat_interleave_cpu", repeats._dtype)
    xp = repeats._backend.xp
    counts = repeats._array.astype("int64")
    if bool((counts < 0).any()):
        raise RuntimeError("repeats can not be negative")
    total = int(counts.sum())
    if output_size is not None and output_size != total:
        raise RuntimeError("allocated size does not match required size")
    values = xp.repeat(xp.arange(counts.size, dtype=repeats._array.dtype), counts)
    return from_array(values, repeats._dtype, repeats.device, repeats._backend)


@register("repeat_interleave.self_int", "repeat_interleave(Tensor input, SymInt repeats, int64_t? dim=None, *, "
          "SymInt? output_size=None)", composite=True)
def repeat_interleave_int(self: Tensor, repeats: int, dim: int | None, output_size: int | None) -> Tensor:
    """``repeat_interleave`` with a number of repeats: each element (along ``dim``, of the flattened input
    when ``dim`` is None) repeated ``repeats`` times, as torch 2.13 builds it: ``unsqueeze``, ``expand``,
    a contiguous ``clone`` and a ``view``."""
    source = self if dim is not None else functions.flatten(self)
    d = wrap_dim(0 if dim is None else dim, source.dim())
    if repeats < 0:
        raise RuntimeError("Repeats must be non-negative")
    shape = source._shape or (1,)
    expected = shape[d] * repeats
    if output_size is not None and output_size != expected:
        raise RuntimeError(f"repeat_interleave: Invalid output_size, expected {expected} but got {output_size}")
    expanded = aten.expand(aten.unsqueeze(source, d + 1), shape[:d + 1] + (repeats,) + shape[d + 1:], False)
    copied = aten.clone(expanded, contiguous_format)
    return aten.view(copied, shape[:d] + (expected,) + shape[d + 1:])
