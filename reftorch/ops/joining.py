"""Joining, reordering and index-driven copies, as ATen computes them
(aten/src/ATen/native/TensorShape.cpp, TensorTransformations.cpp, TensorAdvancedIndexing.cpp,
ScatterGatherChecks.h, torch/functional.py):

- ``cat``/``stack`` and the ``hstack``/``vstack``/``dstack``/``column_stack`` family (dtype promotion
  across inputs; 1-D empty tensors are skipped by ``cat``);
- ``flip``/``roll``/``repeat``/``tile``: always copies (``flip`` keeps its input's memory layout);
- ``gather``/``scatter``/``scatter_add``/``index_select``/``masked_select``/``take``;
- ``tril``/``triu``/``diag``/``diag_embed``;
- ``broadcast_to``/``broadcast_tensors``/``meshgrid``/``atleast_*d``: views (stride 0 where expanded);
- ``nonzero``/``argwhere``: an (n, ndim) int64 tensor with strides (1, n), as torch allocates it.

Results that torch allocates fresh are contiguous unless stated otherwise. Under autograd each op
records torch's node (``CatBackward0``, ``StackBackward0``, ``FlipBackward0``, ...; formulas in
autograd/joining_grads.py); the stacking helpers, ``broadcast_*`` and ``meshgrid`` record the views
and ``cat`` they are made of; in-place ops rebase history through ``apply_inplace``.
"""

from __future__ import annotations

import numbers
import operator
import warnings
from collections.abc import Sequence
from typing import Any

from .. import _dtype as D
from .._promotion import promote_types
from .._storage import UntypedStorage
from .._strides import infer_dense_strides, is_non_overlapping_and_dense
from .._tensor import Tensor
from ..autograd.grad_mode import no_grad
from ..autograd.graph import needs_grad
from ..autograd.joining_grads import track
from ..autograd.views import apply_inplace, check_inplace
from ._inplace import check_writable
from ._scalars import scalar_array
from ._util import (
    array_dtype,
    broadcast_shapes,
    cast_array,
    check_int,
    check_sizes_nonnegative,
    empty_tensor,
    from_array,
    parse_shape,
    same_device,
    shape_str,
    wrap_dim,
    wrap_dims,
)
from .registry import aten, call, functions
from .views import diagonal, unsqueeze


def fresh_tensor(values: Any, dtype: D.dtype, like: Tensor) -> Tensor:
    """A new contiguous tensor owning a copy of ``values`` cast to ``dtype`` (integers wrap, as C casts
    do), on ``like``'s device."""
    backend = like._backend
    with backend.xp.errstate(all="ignore"):
        arr = backend.xp.array(values, dtype=array_dtype(backend, dtype), order="C", copy=True)
    return from_array(arr, dtype, like.device, backend)


def _tensor_list(tensors: Any, fn: str) -> list[Tensor]:
    """torch's parsing of a ``TensorList`` argument (a tuple or list of tensors)."""
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(
            f"{fn}(): argument 'tensors' (position 1) must be tuple of Tensors, not {type(tensors).__name__}")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    return list(tensors)


def _dim_arg(dim: Any, fn: str) -> int:
    """The ``dim`` of ops with a Dimname overload (torch's message names no position)."""
    if isinstance(dim, (bool, float)) or not hasattr(dim, "__index__"):
        raise TypeError(f"{fn}(): argument 'dim' must be int, not {type(dim).__name__}")
    return operator.index(dim)


def _int_list(value: Any, fn: str, arg: str, position: int) -> tuple[int, ...]:
    """torch's parsing of an ``int[]`` argument that must be a sequence (``flip(x, 0)`` is an error)."""
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{fn}(): argument '{arg}' (position {position}) must be tuple of ints, not "
                        f"{type(value).__name__}")
    return tuple(check_int(v, fn, arg, position) for v in value)


def _int_or_list(value: Any, fn: str, arg: str, position: int) -> tuple[int, ...]:
    """An ``int[1]`` argument: one int or a sequence of ints."""
    if isinstance(value, (bool, float)) or not hasattr(value, "__index__"):
        return _int_list(value, fn, arg, position)
    return (operator.index(value),)


def _method_varargs(args: tuple, kwargs: dict, name: str, fn: str) -> Any:
    """A method's ``*sizes`` argument: ``x.flip(0, 1)``, ``x.flip([0, 1])`` or ``x.flip(dims=...)``."""
    if name in kwargs:
        return kwargs.pop(name)
    if kwargs:
        raise TypeError(f"{fn}() got an unexpected keyword argument '{next(iter(kwargs))}'")
    if not args:
        raise TypeError(f'{fn}() missing 1 required positional arguments: "{name}"')
    if len(args) == 1 and isinstance(args[0], (list, tuple)):
        return tuple(args[0])
    return tuple(args)


def _promote_all(tensors: Sequence[Tensor]) -> D.dtype:
    result = tensors[0]._dtype
    for t in tensors[1:]:
        result = promote_types(result, t._dtype)
    return result


def require_tensor(value: Any, fn: str, arg: str, position: int) -> Tensor:
    """torch's parsing of a ``Tensor`` argument (TypeError naming the argument and its position)."""
    if not isinstance(value, Tensor):
        raise TypeError(
            f"{fn}(): argument '{arg}' (position {position}) must be Tensor, not {type(value).__name__}")
    return value


# ----------------------------------------------------------------------------- cat / stack
def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """``torch.cat``: joins tensors along ``dim``; the result dtype promotes over all inputs. 1-D
    tensors of shape (0,) are skipped (their dtype still counts), zero-dim tensors are refused."""
    tensors = _tensor_list(tensors, "cat")
    dim = _dim_arg(dim, "cat")
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
        return _track_cat(fresh_tensor(xp.zeros(0), dtype, tensors[0]), tensors, 0)
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
    return _track_cat(fresh_tensor(xp.concatenate(arrays, axis=d), dtype, ref), tensors, d)


def _track_cat(out: Tensor, tensors: list[Tensor], d: int) -> Tensor:
    """CatBackward0: each input gets its slice of the gradient (skipped empty inputs get zeros)."""
    if not needs_grad(*tensors):
        return out
    pieces, start = [], 0
    for t in tensors:
        if t._shape == (0,):
            pieces.append((t._shape, t._dtype, None))
        else:
            pieces.append((t._shape, t._dtype, start))
            start += t._shape[d]
    return track("CatBackward0", out, tensors, (d, pieces))


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """``torch.stack``: joins equally shaped tensors along a new dim ``dim`` (in ``[-ndim-1, ndim]``)."""
    tensors = _tensor_list(tensors, "stack")
    dim = _dim_arg(dim, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    first = tensors[0]._shape
    d = wrap_dim(dim, len(first) + 1)
    for i, t in enumerate(tensors[1:], start=1):
        if t._shape != first:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {shape_str(first)} at entry 0 and "
                f"{shape_str(t._shape)} at entry {i}")
    with no_grad():
        out = cat([unsqueeze(t, d) for t in tensors], d)
    return track("StackBackward0", out, tensors, (d, [t._dtype for t in tensors]))


def _atleast_1d(t: Tensor) -> Tensor:
    return functions.reshape(t, (1,)) if not t._shape else t


def _atleast_2d(t: Tensor) -> Tensor:
    if len(t._shape) >= 2:
        return t
    return functions.reshape(t, (1, 1)) if not t._shape else aten.unsqueeze(t, 0)


def _atleast_3d(t: Tensor) -> Tensor:
    ndim = len(t._shape)
    if ndim == 0:
        return functions.reshape(t, (1, 1, 1))
    if ndim == 1:
        return aten.unsqueeze(aten.unsqueeze(t, 0), -1)
    return aten.unsqueeze(t, -1) if ndim == 2 else t


def _atleast(lift, name: str):
    def op(*tensors: Any) -> Any:
        if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
            return tuple(lift(t) for t in _tensor_list(tensors[0], name))
        checked = _tensor_list(tensors, name)
        lifted = tuple(lift(t) for t in checked)
        return lifted[0] if len(lifted) == 1 else lifted

    op.__name__ = name
    op.__doc__ = f"``torch.{name}``: views with at least {name[-2]} dims (inputs with enough are returned)."
    return op


atleast_1d = _atleast(_atleast_1d, "atleast_1d")
atleast_2d = _atleast(_atleast_2d, "atleast_2d")
atleast_3d = _atleast(_atleast_3d, "atleast_3d")


def _lifted(tensors: Any, fn: str, lift) -> list[Tensor]:
    tensors = _tensor_list(tensors, fn)
    if not tensors:
        raise RuntimeError(f"{fn} expects a non-empty TensorList")
    return [lift(t) for t in tensors]


def hstack(tensors: Sequence[Tensor]) -> Tensor:
    """``torch.hstack``: ``cat`` along dim 0 for 1-D inputs, else dim 1 (after ``atleast_1d``)."""
    lifted = _lifted(tensors, "hstack", _atleast_1d)
    return cat(lifted, 0 if len(lifted[0]._shape) == 1 else 1)


def vstack(tensors: Sequence[Tensor]) -> Tensor:
    """``torch.vstack`` (``row_stack``): ``cat`` along dim 0 after ``atleast_2d``."""
    return cat(_lifted(tensors, "vstack", _atleast_2d), 0)


def dstack(tensors: Sequence[Tensor]) -> Tensor:
    """``torch.dstack``: ``cat`` along dim 2 after ``atleast_3d``."""
    return cat(_lifted(tensors, "dstack", _atleast_3d), 2)


def column_stack(tensors: Sequence[Tensor]) -> Tensor:
    """``torch.column_stack``: 0-D and 1-D inputs become columns, then ``hstack``."""
    return cat(_lifted(tensors, "column_stack", _as_column), 1)


def _as_column(t: Tensor) -> Tensor:
    return functions.reshape(t, (t.numel(), 1)) if len(t._shape) <= 1 else t


# ----------------------------------------------------------------------------- flip / roll / repeat / tile
def _like_preserving(t: Tensor, values: Any) -> Tensor:
    """``empty_like(t, memory_format=preserve)`` filled with ``values``: dense inputs keep their strides,
    others get dense strides in the same dim order."""
    if is_non_overlapping_and_dense(t._shape, t._stride) or not t._shape:
        strides = t._stride
    else:
        strides = infer_dense_strides(t._shape, t._stride)
    backend = t._backend
    size = 1 + sum((n - 1) * s for n, s in zip(t._shape, strides)) if t.numel() else 0
    flat = backend.xp.zeros(size, dtype=array_dtype(backend, t._dtype))
    out = Tensor._make(UntypedStorage(flat, t.device, backend), t._shape, strides, 0, t._dtype)
    backend.xp.copyto(out._array, values)
    return out


def flip(input: Tensor, dims: Sequence[int]) -> Tensor:
    """``torch.flip``: reverses the order along ``dims`` (a list; repeated dims raise). Always a copy,
    with the input's memory layout (``empty_like`` with preserve_format)."""
    wrapped = wrap_dims(_int_list(dims, "flip", "dims", 2), len(input._shape))
    values = input._backend.xp.flip(input._array, axis=wrapped) if input._shape else input._array
    return track("FlipBackward0", _like_preserving(input, values), (input,), wrapped)


def _flip_method(self: Tensor, *dims: Any, **kwargs: Any) -> Tensor:
    return flip(self, _method_varargs(dims, kwargs, "dims", "flip"))


def fliplr(input: Tensor) -> Tensor:
    """``torch.fliplr``: ``flip`` of dim 1 (inputs need at least 2 dims)."""
    if len(input._shape) < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, [1])


def flipud(input: Tensor) -> Tensor:
    """``torch.flipud``: ``flip`` of dim 0 (inputs need at least 1 dim)."""
    if not input._shape:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, [0])


def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:
    """``torch.roll``: rotates elements along ``dims`` by ``shifts`` (ints or equal-length sequences);
    without ``dims`` the flattened tensor is rolled. The result is contiguous."""
    shift_list = _int_or_list(shifts, "roll", "shifts", 2)
    dim_list = () if dims is None else _int_or_list(dims, "roll", "dims", 3)
    return track("RollBackward0", _roll(input, shift_list, dim_list), (input,), (shift_list, dim_list))


def _roll(t: Tensor, shifts: tuple[int, ...], dims: tuple[int, ...]) -> Tensor:
    """ATen's ``roll_cpu`` / ``roll_common``: one dim at a time."""
    xp = t._backend.xp
    if len(shifts) != 1 or len(dims) != 1:
        if not shifts:
            raise RuntimeError("`shifts` required")
        if not dims and len(shifts) == 1:
            flat = t._array.reshape(-1)
            rolled = xp.roll(flat, shifts[0]) if flat.size else flat
            return fresh_tensor(rolled.reshape(t._shape), t._dtype, t)
        if len(shifts) != len(dims):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
        return _roll(_roll(t, shifts[:1], dims[:1]), shifts[1:], dims[1:])
    if t.numel() == 0:
        return _like_preserving(t, t._array)
    if not t._shape:
        raise IndexError(f"Dimension specified as {dims[0]} but tensor has no dimensions")
    d = wrap_dim(dims[0], len(t._shape))
    return fresh_tensor(xp.roll(t._array, shifts[0], axis=d), t._dtype, t)


def repeat(self: Tensor, *sizes: Any) -> Tensor:
    """``Tensor.repeat``: tiles the tensor ``sizes[i]`` times along each dim; extra leading sizes add
    dims, fewer sizes than dims raise."""
    if not sizes:
        raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
    repeats = parse_shape(sizes, "repeat")
    ndim = len(self._shape)
    if len(repeats) < ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    padded = (1,) * (len(repeats) - ndim) + self._shape
    check_sizes_nonnegative(tuple(p * r for p, r in zip(padded, repeats)))
    values = self._backend.xp.tile(self._array.reshape(padded), repeats)
    return track("RepeatBackward0", fresh_tensor(values, self._dtype, self), (self,), (repeats, self._shape))


def tile(input: Tensor, dims: Sequence[int]) -> Tensor:
    """``torch.tile``: ``repeat`` with ``dims`` padded by leading 1s to the tensor's rank."""
    reps = _int_list(dims, "tile", "dims", 2)
    reps = (1,) * (len(input._shape) - len(reps)) + reps
    return repeat(input, reps)


def _tile_method(self: Tensor, *dims: Any, **kwargs: Any) -> Tensor:
    return tile(self, _method_varargs(dims, kwargs, "dims", "tile"))


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


def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    """``torch.gather``: ``out[i][j] = input[index[i][j]][j]`` (for dim 0); ``index`` (int64 or int32)
    has input's rank and is no larger than input outside ``dim``; the result has index's shape.
    ``sparse_grad=True`` still gives a dense gradient (reftorch has no sparse layout; torch's is COO)."""
    dim = check_int(dim, "gather", "dim", 2)
    index = require_tensor(index, "gather", "index", 3)
    same_device([input, index])
    d = wrap_dim(dim, len(input._shape))
    _check_index_dtype(index, "gather")
    xp = input._backend.xp
    if index.numel() == 0:
        out = fresh_tensor(xp.zeros(index._shape), input._dtype, input)
        return track("GatherBackward0", out, (input,), (input._shape, d), (input, index))
    ndim = _nonempty_dim(input)
    if _nonempty_dim(index) != ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for k in range(ndim):
        if k != d and _nonempty_size(index, k) > _nonempty_size(input, k):
            raise RuntimeError(
                f"Size does not match at dimension {k} expected index {shape_str(index._shape)} to be no "
                f"larger than self {shape_str(input._shape)} apart from dimension {d}")
    idx = _nonempty_array(index).astype("int64")
    _check_bounds(idx, _nonempty_size(input, d), d)
    src = _nonempty_array(input)
    window = tuple(slice(None) if k == d else slice(0, idx.shape[k]) for k in range(ndim))
    values = xp.take_along_axis(src[window], idx, axis=d)
    out = fresh_tensor(values.reshape(index._shape), input._dtype, input)
    return track("GatherBackward0", out, (input,), (input._shape, d), (input, index))


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


def _scatter(self: Tensor, dim: Any, index: Any, src: Any, value: Any, reduce: str | None, inplace: bool,
             fn: str = "scatter") -> Tensor:
    """Shared body of ``scatter``/``scatter_``/``scatter_add``: checks in ATen's order, then writes into
    ``self`` (in place) or a contiguous copy of it."""
    dim = check_int(dim, fn, "dim", 2)
    index = require_tensor(index, fn, "index", 3)
    if isinstance(src, Tensor) and reduce is not None and not fn.startswith("scatter_add"):
        warnings.warn(_SCATTER_REDUCE_WARNING, UserWarning, stacklevel=4)
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
    fill = None if isinstance(src, Tensor) else scalar_array(backend, value, self._dtype)
    out = self if inplace else fresh_tensor(self._array, self._dtype, self)
    if index.numel() == 0:
        return out
    idx = _nonempty_array(index).astype("int64")
    _check_bounds(idx, _nonempty_size(self, d), d)
    coords = list(xp.indices(idx.shape, sparse=True))
    coords[d] = idx
    if fill is None:
        source = _nonempty_array(src)
        values = source[tuple(slice(0, n) for n in idx.shape)]
    else:
        values = xp.broadcast_to(fill, idx.shape)
    target = _nonempty_array(out)
    if reduce is None:
        target[tuple(coords)] = values
    else:
        (xp.add if reduce == "add" else xp.multiply).at(target, tuple(coords), values)
    out._version_counter.bump()
    return out


def _src_or_value(args: tuple, src: Any, value: Any, fn: str) -> tuple[Any, Any]:
    """Which ``scatter`` overload the call matches: a Tensor ``src`` or a Number ``value``."""
    if isinstance(src, Tensor) and value is None:
        return src, None
    if src is not None and value is None and isinstance(src, numbers.Number):
        return None, src
    if src is None and isinstance(value, numbers.Number):
        return None, value
    got = ", ".join("Tensor" if isinstance(a, Tensor) else type(a).__name__ for a in (*args, src, value)
                    if a is not None)
    raise TypeError(
        f"{fn}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
        " * (Tensor input, int dim, Tensor index, Tensor src, *, str reduce)\n"
        " * (Tensor input, int dim, Tensor index, Number value, *, str reduce)")


def _scatter_recorded(input: Tensor, dim: Any, index: Any, src: Any, value: Any, reduce: str | None,
                      fn: str) -> Tensor:
    """Out-of-place ``scatter``/``scatter_add`` with its autograd node: ScatterAddBackward0,
    ScatterBackward0 (Tensor ``src``), ScatterBackward1 (Number ``value``), or a node whose backward
    raises for ``scatter`` with ``reduce`` (torch has no derivative for it)."""
    out = _scatter(input, dim, index, src, value, reduce, inplace=False, fn=fn)
    inputs = (input, src) if isinstance(src, Tensor) else (input,)
    if fn.startswith("scatter_add"):
        return track("ScatterAddBackward0", out, inputs, (dim, src._shape), (index,))
    if reduce is not None:
        return track("NotImplemented", out, inputs, fn)
    if isinstance(src, Tensor):
        return track("ScatterBackward0", out, inputs, (dim, src._shape), (index,))
    return track("ScatterBackward1", out, inputs, dim, (index,))


def _scatter_inplace(self: Tensor, dim: Any, index: Any, src: Any, value: Any, reduce: str | None,
                     fn: str) -> Tensor:
    """In-place scatter; under autograd the recorded out-of-place twin runs on a snapshot of ``self``."""
    if needs_grad(self, src):
        check_inplace(self)
        check_writable(self)
        return apply_inplace(self, lambda snap: _scatter_recorded(snap, dim, index, src, value, reduce, fn))
    return _scatter(self, dim, index, src, value, reduce, inplace=True, fn=fn)


def scatter(input: Tensor, dim: int, index: Tensor, src: Any = None, value: Any = None, *,
            reduce: str | None = None) -> Tensor:
    """``torch.scatter``: a copy of ``input`` with ``src`` values (or one ``value``) written at ``index``
    along ``dim``; ``reduce='add'|'multiply'`` combines instead of overwriting (deprecated with a Tensor
    src: UserWarning). ``src`` must have input's dtype; a scalar ``value`` is converted with overflow
    checks."""
    src, value = _src_or_value((input, dim, index), src, value, "scatter")
    return _scatter_recorded(input, dim, index, src, value, reduce, "scatter")


def scatter_(self: Tensor, dim: int, index: Tensor, src: Any = None, value: Any = None, *,
             reduce: str | None = None) -> Tensor:
    """In-place ``scatter``; ``self`` may not be an expanded (self-overlapping) tensor."""
    src, value = _src_or_value((dim, index), src, value, "scatter_")
    return _scatter_inplace(self, dim, index, src, value, reduce, "scatter_")


def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """``torch.scatter_add``: a copy of ``input`` with ``src`` values summed in at ``index``."""
    src = require_tensor(src, "scatter_add", "src", 4)
    return _scatter_recorded(input, dim, index, src, None, "add", "scatter_add")


def scatter_add_(self: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """In-place ``scatter_add``."""
    src = require_tensor(src, "scatter_add_", "src", 4)
    return _scatter_inplace(self, dim, index, src, None, "add", "scatter_add_")


# ------------------------------------------------------------------------ index_select, masked_select, take
def _check_indices_range(values: Any, size: int) -> None:
    """ATen's ``check_indexarray_range`` (the dim-1 and empty-input paths of ``index_select``)."""
    bad = (values < 0) | (values >= size)
    if bad.any():
        raise RuntimeError(
            f"INDICES element is out of DATA bounds, id={int(values[bad][0])} axis_dim={size}")


def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """``torch.index_select``: the slices ``index`` (1-D or 0-D, int64/int32) of ``dim``, in order.

    Out-of-range indices raise as ATen's CPU kernel does: a RuntimeError "INDICES element is out of
    DATA bounds" for dim 1 of a tensor with 2+ dims, an IndexError "index out of range in self" otherwise.
    """
    dim = check_int(dim, "index_select", "dim", 2)
    index = require_tensor(index, "index_select", "index", 3)
    same_device([input, index])
    d = wrap_dim(dim, len(input._shape))
    if len(index._shape) > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if index._dtype not in (D.int64, D.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    idx = index._array.reshape(-1).astype("int64")
    count = idx.size
    xp = input._backend.xp
    if not input._shape:
        if count != 1:
            raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got {count} value(s)")
        if idx[0] != 0:
            raise IndexError("index out of range in self")
        out = fresh_tensor(input._array, input._dtype, input)
        return track("IndexSelectBackward0", out, (input,), (input._shape, d), (index,))
    shape = list(input._shape)
    shape[d] = count
    if len(input._shape) > 1 and count and input.numel() == 0:
        if input._shape[d] <= 0:
            raise RuntimeError("index_select(): self indexing axis dim should be positive")
        _check_indices_range(idx, input._shape[d])
    elif len(input._shape) > 1 and count and d == 1:
        _check_indices_range(idx, input._shape[d])
    elif ((idx < 0) | (idx >= input._shape[d])).any():
        raise IndexError("index out of range in self")
    if input.numel() == 0 or count == 0:
        out = fresh_tensor(xp.zeros(shape), input._dtype, input)
    else:
        out = fresh_tensor(xp.take(input._array, idx, axis=d), input._dtype, input)
    return track("IndexSelectBackward0", out, (input,), (input._shape, d), (index,))


def masked_select(input: Tensor, mask: Tensor) -> Tensor:
    """``torch.masked_select``: a 1-D tensor of the elements where the bool ``mask`` is True (mask and
    input broadcast together), in row-major order."""
    mask = require_tensor(mask, "masked_select", "mask", 2)
    same_device([input, mask])
    if mask._dtype is not D.bool:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = broadcast_shapes(mask._shape, input._shape)
    xp = input._backend.xp
    values = xp.broadcast_to(input._array, shape)[xp.broadcast_to(mask._array, shape)]
    return track("MaskedSelectBackward0", fresh_tensor(values, input._dtype, input), (input,),
                 (input._shape, shape), (mask,))


def take(input: Tensor, index: Tensor) -> Tensor:
    """``torch.take``: elements of the flattened input at the int64 ``index`` (negative counts from the
    end); the result has index's shape."""
    index = require_tensor(index, "take", "index", 2)
    same_device([input, index])
    if index._dtype is not D.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {index._dtype.scalar_name}")
    numel = input.numel()
    idx = index._array
    if numel == 0 and idx.size:
        raise IndexError("take(): tried to take from an empty tensor")
    bad = (idx >= numel) | (idx < -numel)
    if bad.any():
        raise IndexError(f"out of range: tried to access index {int(idx[bad].reshape(-1)[0])} on a tensor of "
                         f"{numel} elements.")
    out = fresh_tensor(input._array.reshape(-1)[idx], input._dtype, input)
    return track("TakeBackward0", out, (input,), input._shape, (index,))


# ----------------------------------------------------------------------------- triangles and diagonals
def _triangle_keep(t: Tensor, diagonal: int, upper: bool, fn: str) -> Any:
    """The mask of elements ``tril``/``triu`` keep, broadcastable to ``t``'s shape."""
    diagonal = check_int(diagonal, fn, "diagonal", 2)
    if len(t._shape) < 2:
        raise RuntimeError(f"{fn}: input tensor must have at least 2 dimensions")
    xp = t._backend.xp
    rows, cols = t._shape[-2:]
    offset = xp.arange(cols)[None, :] - xp.arange(rows)[:, None]
    return offset >= diagonal if upper else offset <= diagonal


def _triangle(upper: bool):
    fn = "triu" if upper else "tril"
    node = "TriuBackward0" if upper else "TrilBackward0"

    def op(input: Tensor, diagonal: int = 0) -> Tensor:
        keep = _triangle_keep(input, diagonal, upper, fn)
        xp = input._backend.xp
        values = xp.where(keep, input._array, xp.zeros((), input._array.dtype))
        return track(node, fresh_tensor(values, input._dtype, input), (input,), diagonal)

    def op_(self: Tensor, diagonal: int = 0) -> Tensor:
        if needs_grad(self):
            return apply_inplace(self, lambda snap: op(snap, diagonal))
        keep = _triangle_keep(self, diagonal, upper, fn)
        xp = self._backend.xp
        xp.copyto(self._array, xp.zeros((), self._array.dtype), where=xp.broadcast_to(~keep, self._shape))
        self._version_counter.bump()
        return self

    side = "on and above" if upper else "on and below"
    op.__name__, op_.__name__ = fn, fn + "_"
    op.__doc__ = (f"``torch.{fn}``: keeps the elements {side} the ``diagonal``-th diagonal of the last two "
                  "dims, zeroes the rest (a contiguous copy).")
    op_.__doc__ = f"In-place ``{fn}``."
    return op, op_


tril, tril_ = _triangle(upper=False)
triu, triu_ = _triangle(upper=True)


def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """``torch.diag``: a 1-D input becomes a square matrix with it on the ``diagonal``-th diagonal; a
    2-D input gives a copy of that diagonal."""
    diagonal = check_int(diagonal, "diag", "diagonal", 2)
    ndim = len(input._shape)
    if ndim not in (1, 2):
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {ndim}D")
    xp = input._backend.xp
    if ndim == 1:
        out = fresh_tensor(xp.diag(input._array, diagonal), input._dtype, input)
        return track("DiagEmbedBackward0", out, (input,), (diagonal, 0, 1))
    out = fresh_tensor(xp.diagonal(input._array, diagonal), input._dtype, input)
    return track("DiagonalBackward0_copy", out, (input,), (input._shape, diagonal, 0, 1))


def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """``torch.diag_embed``: puts the last dim of ``input`` on the ``offset`` diagonal of the planes
    (``dim1``, ``dim2``) of a new zero tensor with one more dim."""
    ndim = len(input._shape) + 1
    d1, d2 = wrap_dim(dim1, ndim), wrap_dim(dim2, ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    size = input._shape[-1] + abs(offset)
    shape = list(input._shape[:-1])
    for d in sorted((d1, d2)):
        shape.insert(d, size)
    out = empty_tensor(tuple(shape), input._dtype, input.device)
    input._backend.xp.copyto(diagonal(out, offset, d1, d2)._array, input._array)
    return track("DiagEmbedBackward0", out, (input,), (offset, d1, d2))


# ----------------------------------------------------------------------------- broadcasting views, meshgrid
def broadcast_to(input: Tensor, size: Sequence[int]) -> Tensor:
    """``torch.broadcast_to``: ``expand`` to ``size`` (a view; -1 keeps a size)."""
    return aten.expand(input, _int_list(size, "broadcast_to", "size", 2), False)


def _broadcast_to_method(self: Tensor, *size: Any) -> Tensor:
    return self.expand(*size)


def broadcast_tensors(*tensors: Tensor) -> tuple[Tensor, ...]:
    """``torch.broadcast_tensors``: views of every input expanded to their common broadcast shape (an
    input that already has that shape is returned itself)."""
    tensors = _tensor_list(tensors, "broadcast_tensors")
    shape = broadcast_shapes(*(t._shape for t in tensors))
    return tuple(t if t._shape == shape else aten.expand(t, shape, False) for t in tensors)


_MESHGRID_WARNING = ("torch.meshgrid: in an upcoming release, it will be required to pass the indexing "
                     "argument.")


def meshgrid(*tensors: Any, indexing: str | None = None) -> tuple[Tensor, ...]:
    """``torch.meshgrid``: expanded views of 0-D/1-D inputs over the grid of their sizes; ``indexing``
    'ij' (the default, with a UserWarning when omitted) or 'xy' (first two grid dims swapped)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    tensors = _tensor_list(tensors, "meshgrid")
    if indexing is None:
        warnings.warn(_MESHGRID_WARNING, UserWarning, stacklevel=2)
        indexing = "ij"
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


# ----------------------------------------------------------------------------- nonzero
def _nonzero_matrix(input: Tensor) -> Tensor:
    """The (n, ndim) int64 coordinates with torch's strides (1, n): stored dim by dim."""
    backend = input._backend
    xp = backend.xp
    coords = xp.nonzero(input._array) if input._shape else ()
    count = int(coords[0].size) if coords else int(bool(input._array))
    flat = xp.stack(coords).reshape(-1).astype("int64") if coords else xp.zeros(0, dtype="int64")
    storage = UntypedStorage(flat, input.device, backend)
    return Tensor._make(storage, (count, len(input._shape)), (1, count), 0, D.int64)


def nonzero(input: Tensor, *, as_tuple: bool = False) -> Any:
    """``torch.nonzero``: indices of the non-zero elements (NaN counts, -0.0 does not) as an (n, ndim)
    int64 tensor in row-major order; ``as_tuple=True`` gives one 1-D tensor per dim (a zero-dim input
    counts as 1-D)."""
    if not as_tuple:
        return _nonzero_matrix(input)
    target = input if input._shape else unsqueeze(input, 0)
    return call("unbind.int", _nonzero_matrix(target), 1)


def argwhere(input: Tensor) -> Tensor:
    """``torch.argwhere``: ``nonzero(input)``."""
    return _nonzero_matrix(input)


FUNCTIONS: dict[str, Any] = {
    "cat": cat, "concat": cat, "concatenate": cat, "stack": stack, "hstack": hstack, "vstack": vstack,
    "row_stack": vstack, "dstack": dstack, "column_stack": column_stack, "atleast_1d": atleast_1d,
    "atleast_2d": atleast_2d, "atleast_3d": atleast_3d, "flip": flip, "fliplr": fliplr, "flipud": flipud,
    "roll": roll, "tile": tile, "gather": gather, "scatter": scatter, "scatter_add": scatter_add,
    "index_select": index_select, "masked_select": masked_select, "take": take, "tril": tril, "triu": triu,
    "diag": diag, "diag_embed": diag_embed, "broadcast_to": broadcast_to,
    "broadcast_tensors": broadcast_tensors, "meshgrid": meshgrid, "nonzero": nonzero, "argwhere": argwhere,
}
METHODS: dict[str, Any] = {
    "flip": _flip_method, "fliplr": fliplr, "flipud": flipud, "roll": roll, "repeat": repeat,
    "tile": _tile_method,
    "gather": gather, "scatter": scatter, "scatter_": scatter_, "scatter_add": scatter_add,
    "scatter_add_": scatter_add_, "index_select": index_select, "masked_select": masked_select, "take": take,
    "tril": tril, "tril_": tril_, "triu": triu, "triu_": triu_, "diag": diag, "diag_embed": diag_embed,
    "broadcast_to": _broadcast_to_method, "nonzero": nonzero, "argwhere": argwhere,
}
