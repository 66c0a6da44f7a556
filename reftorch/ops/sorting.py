"""Sorting and selection: sort, argsort, msort, topk, kthvalue, unique, unique_consecutive, as registry
records.

Mirrors torch 2.13 on the CPU (aten/src/ATen/native/Sorting.cpp, TensorCompare.cpp, Unique.cpp,
torch/functional.py):

- NaN sorts as the largest value; ``-0.0`` and ``0.0`` are equal;
- ``sort`` returns ``torch.return_types.sort(values, indices)`` laid out like the input (torch's
  ``infer_dense_strides``); ``topk``/``kthvalue`` results are contiguous;
- equal elements keep their input order (a stable sort). torch's CPU ``sort(stable=False)`` and
  ``topk`` use ``std::sort``/``std::nth_element``, whose order among *equal* elements is
  unspecified; reftorch returns the stable order there (values always agree);
- ``kthvalue`` ports ATen's quickselect, so even the index picked among equal values is torch's;
- ``unique`` always sorts on the CPU (``sorted=False`` too), as torch does; ``torch.unique`` and
  ``torch.unique_consecutive`` are torch's Python functions over ATen's ``_unique2``, ``unique_dim``
  and ``unique_consecutive``;
- the autograd layer records ``SortBackward0``/``SortBackward1``, ``TopkBackward0`` and
  ``KthvalueBackward0`` (the values' gradient goes back to the positions their indices name;
  ``msort`` is torch's composite over ``sort``), and for the unique family torch's nodes whose
  backward raises torch's NotImplementedError.
"""

from __future__ import annotations

import math
from typing import Any

from .. import _dtype as D
from .._strides import contiguous_strides, infer_dense_strides, is_non_overlapping_and_dense
from .._tensor import Tensor
from ._util import result_tensor, unsupported_dtype, wrap_dim
from .reduction import return_type, shape_with
from .registry import call, functions, register, vf

_SORT, _TOPK, _KTHVALUE = return_type("sort"), return_type("topk"), return_type("kthvalue")


# ----------------------------------------------------------------------------- sort
def _strides_like(t: Tensor) -> tuple[int, ...]:
    """The strides torch's sort gives its outputs: the input's own when it is non-overlapping and
    dense, else dense strides in the input's dim order."""
    if is_non_overlapping_and_dense(t._shape, t._stride):
        return t._stride
    return infer_dense_strides(t._shape, t._stride)


def _check_sortable(input: Tensor, what: str = "Sort") -> None:
    if input._dtype.is_complex:
        raise RuntimeError(f" {what} does not support complex dtypes on CPU")


def stable_order(xp: Any, arr: Any, axis: int, descending: bool) -> Any:
    """Indices sorting ``arr`` along ``axis``, equal elements in input order, NaN largest."""
    if not descending:
        return xp.argsort(arr, axis=axis, kind="stable")
    n = arr.shape[axis]
    reversed_order = xp.argsort(xp.flip(arr, axis=axis), axis=axis, kind="stable")
    return (n - 1) - xp.flip(reversed_order, axis=axis)


def _sort_arrays(input: Tensor, dim: int, descending: bool) -> tuple[Any, Any]:
    _check_sortable(input)
    d = wrap_dim(dim, input.dim())
    xp = input._backend.xp
    if not input._shape:
        return input._array.copy(), xp.zeros((), dtype="int64")
    order = stable_order(xp, input._array, d, descending)
    return xp.take_along_axis(input._array, order, axis=d), order


def _sorted(input: Tensor, dim: int, descending: bool) -> Any:
    values, order = _sort_arrays(input, dim, descending)
    strides = _strides_like(input)
    return _SORT((result_tensor(values, input._dtype, input, input._shape, strides=strides),
                  result_tensor(order, D.int64, input, input._shape, strides=strides)))


def _argsorted(input: Tensor, dim: int, descending: bool) -> Tensor:
    _, order = _sort_arrays(input, dim, descending)
    return result_tensor(order, D.int64, input, input._shape, strides=_strides_like(input))


# torch's two overloads, the keyword-only ``stable`` one tried first (``stable=None`` is allowed by
# sort, not by argsort); the stable flag changes nothing here (every sort is stable)
register("sort.stable", "sort(Tensor input, *, bool? stable, int64_t dim=-1, bool descending=False, "
         "TensorList[2] out=None)", node="SortBackward1")(
    lambda self, stable, dim, descending: _sorted(self, dim, descending))


@register("sort", "sort(Tensor input, int64_t dim=-1, bool descending=False, *, TensorList[2] out=None)",
          node="SortBackward0")
def sort(self: Tensor, dim: int, descending: bool) -> Any:
    """``torch.sort`` -> ``torch.return_types.sort(values, indices)`` (see the module notes on ties)."""
    return _sorted(self, dim, descending)


register("argsort.stable", "argsort(Tensor input, *, bool stable, int64_t dim=-1, bool descending=False, "
         "Tensor out=None)")(lambda self, stable, dim, descending: _argsorted(self, dim, descending))


@register("argsort", "argsort(Tensor input, int64_t dim=-1, bool descending=False)")
def argsort(self: Tensor, dim: int, descending: bool) -> Tensor:
    """``torch.argsort``: the indices of ``sort``."""
    return _argsorted(self, dim, descending)


@register("msort", "msort(Tensor input, *, Tensor out=None)", composite=True)
def msort(self: Tensor) -> Tensor:
    """``torch.msort``, torch's composite: ``sort(input, 0).values`` (so it records SortBackward0)."""
    return call("sort", self, 0, False).values


# ----------------------------------------------------------------------------- topk
@register("topk", "topk(Tensor input, SymInt k, int64_t dim=-1, bool largest=True, bool sorted=True, *, "
          "TensorList[2] out=None)", node="TopkBackward0")
def topk(self: Tensor, k: int, dim: int, largest: bool, sorted: bool) -> Any:  # noqa: A002 - torch's name
    """``torch.topk`` -> ``torch.return_types.topk(values, indices)``: the ``k`` largest (or smallest)
    along ``dim``, NaN largest. reftorch always returns them sorted, equal values in input order."""
    d = wrap_dim(dim, self.dim())
    size = self._shape[d] if self._shape else 1
    if not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")
    _check_sortable(self, "topk")
    if self._dtype is D.bool:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    xp = self._backend.xp
    if not self._shape:
        values, order = self._array.copy(), xp.zeros((), dtype="int64")
    else:
        order = xp.take(stable_order(xp, self._array, d, largest), xp.arange(k), axis=d)
        values = xp.take_along_axis(self._array, order, axis=d)
    return _TOPK((result_tensor(values, self._dtype, self), result_tensor(order, D.int64, self)))


# ----------------------------------------------------------------------------- kthvalue
def _gt_or_nan(x: Any, y: Any) -> bool:
    return (x != x and y == y) or x > y


def _quickselect(values: list, indices: list, k: int) -> None:
    """ATen's ``quick_select_template`` (Sedgewick's partitioning, median of three), in place."""
    def swap(i: int, j: int) -> None:
        values[i], values[j] = values[j], values[i]
        indices[i], indices[j] = indices[j], indices[i]

    left, right = 0, len(values) - 1
    while True:
        if right <= left:
            return
        if right == left + 1:
            if _gt_or_nan(values[left], values[right]):
                swap(left, right)
            return
        swap((left + right) >> 1, left + 1)
        if _gt_or_nan(values[left + 1], values[right]):
            swap(left + 1, right)
        if _gt_or_nan(values[left], values[right]):
            swap(left, right)
        if _gt_or_nan(values[left + 1], values[left]):
            swap(left + 1, left)
        i, j = left + 1, right
        pivot = values[left]
        while True:
            i += 1
            while _gt_or_nan(pivot, values[i]):
                i += 1
            j -= 1
            while _gt_or_nan(values[j], pivot):
                j -= 1
            if j < i:
                break
            swap(i, j)
        swap(left, j)
        if j <= k:
            left = i
        if j >= k:
            right = j - 1


@register("kthvalue", "kthvalue(Tensor input, SymInt k, int64_t dim=-1, bool keepdim=False, *, "
          "TensorList[2] out=None)", node="KthvalueBackward0")
def kthvalue(self: Tensor, k: int, dim: int, keepdim: bool) -> Any:
    """``torch.kthvalue`` -> ``torch.return_types.kthvalue(values, indices)``: the ``k``-th smallest
    along ``dim`` (NaN largest), with the index ATen's quickselect picks among equal values."""
    d = wrap_dim(dim, self.dim())
    if self._dtype.category in (D.BOOL, D.COMPLEX):
        raise unsupported_dtype("kthvalue_cpu", self._dtype)
    size = self._shape[d] if self._shape else 1
    if size == 0:
        raise IndexError(f"kthvalue(): Expected reduction dim {d} to have non-zero size.")
    if not 1 <= k <= size:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    xp = self._backend.xp
    arr = self._array.reshape(self._shape or (1,))
    axis = d if self._shape else 0
    rows = xp.moveaxis(arr, axis, -1).reshape(-1, size)
    host = self._backend.to_host(rows).tolist()
    picked_values, picked_indices = [], []
    for row in host:
        indices = list(range(size))
        _quickselect(row, indices, k - 1)
        picked_values.append(row[k - 1])
        picked_indices.append(indices[k - 1])
    rest = arr.shape[:axis] + arr.shape[axis + 1:]
    values = xp.asarray(picked_values, dtype=arr.dtype).reshape(rest)
    indices = xp.asarray(picked_indices, dtype="int64").reshape(rest)
    shape = _kept_shape(self._shape, d, keepdim)
    return _KTHVALUE((result_tensor(values, self._dtype, self, shape), result_tensor(indices, D.int64, self, shape)))


def _kept_shape(shape: tuple[int, ...], d: int, keepdim: bool) -> tuple[int, ...]:
    if not shape:
        return ()
    return shape_with(shape, d, 1) if keepdim else shape[:d] + shape[d + 1:]


# ----------------------------------------------------------------------------- unique
def _group_starts(xp: Any, rows: Any) -> Any:
    """True where a row differs from the previous one (NaN never equals, as ``==`` in torch)."""
    n = rows.shape[0]
    if n == 0:
        return xp.zeros(0, dtype=bool)
    differs = (rows[1:] != rows[:-1]).reshape(n - 1, math.prod(rows.shape[1:])).any(axis=1)
    return xp.concatenate([xp.ones(1, dtype=bool), differs])



def _flat_unique(input: Tensor, consecutive: bool, return_inverse: bool, return_counts: bool,
                 ) -> tuple[Tensor, Tensor, Tensor]:
    """(values, inverse with the input's shape, counts) over all elements; an extra that was not
    asked for is empty, as torch's kernels leave it."""
    if input._dtype.is_complex:
        raise unsupported_dtype("unique", input._dtype)
    xp = input._backend.xp
    flat = input._array.reshape(-1)
    order = xp.arange(flat.size) if consecutive else xp.argsort(flat, kind="stable")
    ordered = flat[order]
    starts = _group_starts(xp, ordered)
    group = xp.cumsum(starts) - 1
    inverse = xp.empty(flat.size, dtype="int64")
    inverse[order] = group
    counts = xp.bincount(group, minlength=int(starts.sum())) if flat.size else xp.zeros(0, dtype="int64")
    empty = xp.zeros(0, dtype="int64")
    return (result_tensor(ordered[starts], input._dtype, input),
            result_tensor(inverse.reshape(input._shape) if return_inverse else empty, D.int64, input),
            result_tensor(counts if return_counts else empty, D.int64, input))


def _dim_unique(input: Tensor, dim: int, consecutive: bool) -> tuple[Tensor, Tensor, Tensor]:
    """(values, inverse, counts) of the slices along ``dim``; the values tensor is a contiguous
    buffer with ``dim`` first, seen with ``dim`` moved back, as torch builds it."""
    if not input._shape:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    d = wrap_dim(dim, input.dim())
    if input._dtype.is_complex:
        raise unsupported_dtype("unique_dim", input._dtype)
    xp = input._backend.xp
    if input.numel() == 0:
        if input._shape[d] != 0:
            raise RuntimeError(
                "There are 0 sized dimensions, and they aren't selected, so unique cannot be applied")
        if input._shape.count(0) > 1:
            raise RuntimeError(
                "Number of zero sized dimensions is more than one, so unique cannot be applied ")
        empty_index = result_tensor(xp.zeros(0, dtype="int64"), D.int64, input)
        return result_tensor(input._array.copy(), input._dtype, input), empty_index, empty_index
    moved = xp.moveaxis(input._array, d, 0)
    rows = moved.reshape(moved.shape[0], -1)
    if consecutive:
        order = xp.arange(rows.shape[0])
    else:
        order = xp.lexsort(rows.T[::-1]) if rows.shape[1] else xp.arange(rows.shape[0])
    starts = _group_starts(xp, rows[order])
    group = xp.cumsum(starts) - 1
    inverse = xp.empty(rows.shape[0], dtype="int64")
    inverse[order] = group
    counts = xp.bincount(group, minlength=int(starts.sum()))
    front = moved[order[starts]]
    front_strides = contiguous_strides(front.shape)
    perm = list(range(1, d + 1)) + [0] + list(range(d + 1, input.dim()))  # moveaxis(0, d)
    shape = tuple(front.shape[p] for p in perm)
    strides = tuple(front_strides[p] for p in perm)
    values = result_tensor(xp.moveaxis(front, 0, d), input._dtype, input, shape, strides=strides)
    return values, result_tensor(inverse, D.int64, input), result_tensor(counts, D.int64, input)


@register("_unique2", "_unique2(Tensor input, bool sorted=True, bool return_inverse=False, "
          "bool return_counts=False)", node="Unique2Backward0", function=False, method=False)
def unique2(self: Tensor, sorted: bool, return_inverse: bool, return_counts: bool) -> tuple:  # noqa: A002
    """ATen's ``_unique2``: the sorted unique elements (the CPU sorts with ``sorted=False`` too), the
    inverse indices and the counts."""
    return _flat_unique(self, False, return_inverse, return_counts)


@register("unique_dim", "unique_dim(Tensor input, int64_t dim, bool sorted=True, bool return_inverse=False, "
          "bool return_counts=False)", node="UniqueDimBackward0", function=False, method=False)
def unique_dim(self: Tensor, dim: int, sorted: bool, return_inverse: bool, return_counts: bool) -> tuple:  # noqa: A002
    """ATen's ``unique_dim``: the sorted unique slices along ``dim``, inverse indices and counts."""
    return _dim_unique(self, dim, False)


@register("unique_consecutive", "unique_consecutive(Tensor input, bool return_inverse=False, "
          "bool return_counts=False, int64_t? dim=None)", node="UniqueConsecutiveBackward0", function=False,
          method=False)
def unique_consecutive_aten(self: Tensor, return_inverse: bool, return_counts: bool, dim: int | None) -> tuple:
    """ATen's ``unique_consecutive``: runs of equal consecutive elements (or slices along ``dim``)
    collapsed. torch takes its all-elements kernel without ``dim`` and for ``dim=0`` of a 1-D input;
    only that kernel leaves the extras that were not asked for empty."""
    if dim is None or (self.dim() == 1 and dim == 0):
        return _flat_unique(self, True, return_inverse, return_counts)
    return _dim_unique(self, dim, True)


def _selected(values: Tensor, inverse: Tensor, counts: Tensor, return_inverse: Any, return_counts: Any) -> Any:
    """The values alone, or a tuple with the requested extras (torch's ``boolean_dispatch``)."""
    extras = [t for t, wanted in ((inverse, return_inverse), (counts, return_counts)) if wanted]
    return (values, *extras) if extras else values


def _unique(input: Any, sorted: Any, return_inverse: Any, return_counts: Any, dim: Any) -> Any:  # noqa: A002
    """torch/functional.py's ``_unique_impl``: ``unique_dim`` with a dim, else ``_unique2``."""
    if dim is not None:
        parts = vf.unique_dim(input, dim, sorted=sorted, return_inverse=return_inverse, return_counts=return_counts)
    else:
        parts = vf._unique2(input, sorted=sorted, return_inverse=return_inverse, return_counts=return_counts)
    return _selected(*parts, return_inverse, return_counts)


@register("unique", "unique(Tensor input, bool sorted=True, bool return_inverse=False, bool return_counts=False, "
          "int64_t? dim=None)", composite=True, method=False, python=True)
def unique(input: Any, sorted: Any = True, return_inverse: Any = False, return_counts: Any = False,  # noqa: A002
           dim: Any = None) -> Any:
    """``torch.unique``: sorted unique elements (or slices along ``dim``), with optional inverse
    indices and counts. NaNs are each unique; the CPU sorts even with ``sorted=False``."""
    return _unique(input, sorted, return_inverse, return_counts, dim)


@register("Tensor.unique", "unique(Tensor self, bool sorted=True, bool return_inverse=False, "
          "bool return_counts=False, int64_t? dim=None)", composite=True, function=False, python=True)
def unique_method(self: Any, sorted: Any = True, return_inverse: Any = False, return_counts: Any = False,  # noqa: A002
                  dim: Any = None) -> Any:
    """``Tensor.unique`` (torch/_tensor.py): ``torch.unique`` of this tensor."""
    return _unique(self, sorted, return_inverse, return_counts, dim)


_CONSECUTIVE_FLAGS = ("return_inverse", "return_counts", "dim")


@register("functional.unique_consecutive", "unique_consecutive(Tensor input, bool return_inverse=False, "
          "bool return_counts=False, int64_t? dim=None)", composite=True, method=False, python=True)
def unique_consecutive(input: Any, *args: Any, **kwargs: Any) -> Any:
    """``torch.unique_consecutive`` as torch 2.13 exports it (torch/functional.py's ``boolean_dispatch``):
    it reads a positional ``return_counts`` from argument 1 and ``return_inverse`` from argument 2
    (swapped); that choice fixes the *shape* of the returned tuple, the flags themselves decide what
    is computed: without the all-elements kernel a tensor that was not asked for is empty. Keyword
    calls (and the method) are unaffected."""
    if len(args) > len(_CONSECUTIVE_FLAGS):
        raise TypeError(f"unique_consecutive() takes from 1 to 4 positional arguments but {len(args) + 1} "
                        "were given")
    flags = dict(zip(_CONSECUTIVE_FLAGS, args))
    for name in kwargs:
        if name not in _CONSECUTIVE_FLAGS:
            raise TypeError(f"unique_consecutive() got an unexpected keyword argument '{name}'")
        if name in flags:
            raise TypeError(f"unique_consecutive() got multiple values for argument '{name}'")
    flags |= kwargs
    parts = vf.unique_consecutive(input, return_inverse=flags.get("return_inverse", False),
                                  return_counts=flags.get("return_counts", False), dim=flags.get("dim"))
    shape = dict(zip(("return_counts", "return_inverse"), args)) | kwargs
    return _selected(*parts, shape.get("return_inverse", False), shape.get("return_counts", False))


@register("Tensor.unique_consecutive", "unique_consecutive(Tensor self, bool return_inverse=False, "
          "bool return_counts=False, int64_t? dim=None)", composite=True, function=False, python=True)
def unique_consecutive_method(self: Any, return_inverse: Any = False, return_counts: Any = False,
                              dim: Any = None) -> Any:
    """``Tensor.unique_consecutive`` (torch/_tensor.py): ``torch.unique_consecutive`` with keywords."""
    return functions.unique_consecutive(self, return_inverse=return_inverse, return_counts=return_counts, dim=dim)
