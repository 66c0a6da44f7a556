"""Sorting and selection: sort, argsort, msort, topk, kthvalue, unique, unique_consecutive.

Mirrors torch 2.13 on the CPU (aten/src/ATen/native/Sorting.cpp, TensorCompare.cpp, Unique.cpp):

- NaN sorts as the largest value; ``-0.0`` and ``0.0`` are equal;
- ``sort`` returns ``torch.return_types.sort(values, indices)`` laid out like the input (torch's
  ``infer_dense_strides``); ``topk``/``kthvalue`` results are contiguous;
- equal elements keep their input order (a stable sort). torch's CPU ``sort(stable=False)`` and
  ``topk`` use ``std::sort``/``std::nth_element``, whose order among *equal* elements is
  unspecified; reftorch returns the stable order there (values always agree);
- ``kthvalue`` ports ATen's quickselect, so even the index picked among equal values is torch's;
- ``unique`` always sorts on the CPU (``sorted=False`` too), as torch does;
- under autograd ``sort``/``msort``/``topk``/``kthvalue`` send the values' gradient back to the
  positions their indices name (``SortBackward0``...); ``unique`` records torch's node, whose
  backward raises torch's NotImplementedError.
"""

from __future__ import annotations

import math
import operator
from typing import Any

from .. import _dtype as D
from .._strides import contiguous_strides, infer_dense_strides, is_non_overlapping_and_dense
from .._tensor import Tensor
from ..autograd import reduction_grads as G
from ..autograd.grad_mode import STATE
from ._util import check_int, wrap_dim
from .reduction import (
    UNSET,
    check_bool,
    invalid_arguments,
    numpy_names,
    return_type,
    shape_with,
    tensor_with_strides,
    unsupported_dtype,
    wrap_result,
)

_SORT, _TOPK, _KTHVALUE = return_type("sort"), return_type("topk"), return_type("kthvalue")


# ----------------------------------------------------------------------------- layout helpers
def _strides_like(t: Tensor) -> tuple[int, ...]:
    """The strides torch's sort gives its outputs: the input's own when it is non-overlapping and
    dense, else dense strides in the input's dim order."""
    if is_non_overlapping_and_dense(t._shape, t._stride):
        return t._stride
    return infer_dense_strides(t._shape, t._stride)


# ----------------------------------------------------------------------------- sort
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


def _sort_options(fn: str, input: Tensor, args: tuple, dim: Any, descending: Any, stable: Any,
                  none_is_stable: bool) -> tuple[int, bool]:
    """torch's two overloads: ``(input, dim=-1, descending=False)`` positionally, or everything by
    keyword once ``stable`` is given; returns (dim, descending)."""
    named = (("dim", dim), ("descending", descending), ("stable", stable))
    given = {k: v for k, v in named if v is not UNSET}
    stable_ok = isinstance(stable, bool) or stable is UNSET or (none_is_stable and stable is None)
    if len(args) > 2 or (args and stable is not UNSET) or not stable_ok:
        raise invalid_arguments(fn, input, *args, **given)
    positional = dict(zip(("dim", "descending"), args))
    for name in positional:
        if name in given:
            raise TypeError(f"{fn}() got multiple values for argument '{name}'")
    options = {"dim": -1, "descending": False} | given | positional
    if not isinstance(options["descending"], bool) or isinstance(options["dim"], (bool, float)):
        raise invalid_arguments(fn, input, *args, **given)
    return wrap_dim(check_int(options["dim"], fn, "dim", 2), input.dim()), options["descending"]


def _sort_arrays(input: Tensor, d: int, descending: bool) -> tuple[Any, Any]:
    _check_sortable(input)
    xp = input._backend.xp
    if not input._shape:
        return input._array.copy(), xp.zeros((), dtype="int64")
    order = stable_order(xp, input._array, d, descending)
    return xp.take_along_axis(input._array, order, axis=d), order


@numpy_names
def sort(input: Tensor, *args: Any, dim: Any = UNSET, descending: Any = UNSET, stable: Any = UNSET) -> Any:
    """``torch.sort(input, dim=-1, descending=False)`` or ``torch.sort(input, *, stable, dim=-1,
    descending=False)`` -> ``torch.return_types.sort(values, indices)`` (see the module notes on ties).
    Records SortBackward0 (SortBackward1 when ``stable`` is given): the values' gradient goes back to
    the positions the indices name."""
    d, descending = _sort_options("sort", input, args, dim, descending, stable, True)
    node = "SortBackward0" if stable is UNSET else "SortBackward1"  # torch's sort / sort.stable overloads
    return _sorted(input, d, descending, node)


def _sorted(input: Tensor, d: int, descending: bool, node: str) -> Any:
    values, order = _sort_arrays(input, d, descending)
    strides = _strides_like(input)
    outputs = _SORT((tensor_with_strides(values, input._shape, strides, input._dtype, input),
                     tensor_with_strides(order, input._shape, strides, D.int64, input)))
    if STATE.enabled and input._requires_grad:
        G.record_selecting(node, outputs, input, d, True)
    return outputs


@numpy_names
def argsort(input: Tensor, *args: Any, dim: Any = UNSET, descending: Any = UNSET, stable: Any = UNSET,
            ) -> Tensor:
    """``torch.argsort``: the indices of ``sort`` (same two overloads; ``stable`` may not be None)."""
    d, descending = _sort_options("argsort", input, args, dim, descending, stable, False)
    _, order = _sort_arrays(input, d, descending)
    return tensor_with_strides(order, input._shape, _strides_like(input), D.int64, input)


def msort(input: Tensor) -> Tensor:
    """``torch.msort``: ``sort(input, dim=0).values`` (records SortBackward0)."""
    return _sorted(input, wrap_dim(0, input.dim()), False, "SortBackward0").values


# ----------------------------------------------------------------------------- topk
@numpy_names
def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:  # noqa: A002
    """``torch.topk`` -> ``torch.return_types.topk(values, indices)``: the ``k`` largest (or smallest)
    along ``dim``, NaN largest. reftorch always returns them sorted, equal values in input order.
    Records TopkBackward0."""
    k = check_int(k, "topk", "k", 2)
    d = wrap_dim(check_int(dim, "topk", "dim", 3), input.dim())
    check_bool(largest, "topk", "largest", 4)
    check_bool(sorted, "topk", "sorted", 5)
    size = input._shape[d] if input._shape else 1
    if not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")
    _check_sortable(input, "topk")
    if input._dtype is D.bool:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    xp = input._backend.xp
    if not input._shape:
        values, order = input._array.copy(), xp.zeros((), dtype="int64")
    else:
        order = xp.take(stable_order(xp, input._array, d, largest), xp.arange(k), axis=d)
        values = xp.take_along_axis(input._array, order, axis=d)
    outputs = _TOPK((wrap_result(values, input._dtype, input), wrap_result(order, D.int64, input)))
    if STATE.enabled and input._requires_grad:
        G.record_selecting("TopkBackward0", outputs, input, d, True)
    return outputs


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


@numpy_names
def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> Any:
    """``torch.kthvalue`` -> ``torch.return_types.kthvalue(values, indices)``: the ``k``-th smallest
    along ``dim`` (NaN largest), with the index ATen's quickselect picks among equal values. Records
    KthvalueBackward0."""
    k = check_int(k, "kthvalue", "k", 2)
    d = wrap_dim(check_int(dim, "kthvalue", "dim", 3), input.dim())
    check_bool(keepdim, "kthvalue", "keepdim", 4)
    if input._dtype.category in (D.BOOL, D.COMPLEX):
        raise unsupported_dtype("kthvalue_cpu", input._dtype)
    size = input._shape[d] if input._shape else 1
    if size == 0:
        raise IndexError(f"kthvalue(): Expected reduction dim {d} to have non-zero size.")
    if not 1 <= k <= size:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    xp = input._backend.xp
    arr = input._array.reshape(input._shape or (1,))
    axis = d if input._shape else 0
    rows = xp.moveaxis(arr, axis, -1).reshape(-1, size)
    host = input._backend.to_host(rows).tolist()
    picked_values, picked_indices = [], []
    for row in host:
        indices = list(range(size))
        _quickselect(row, indices, k - 1)
        picked_values.append(row[k - 1])
        picked_indices.append(indices[k - 1])
    rest = arr.shape[:axis] + arr.shape[axis + 1:]
    values = xp.asarray(picked_values, dtype=arr.dtype).reshape(rest)
    indices = xp.asarray(picked_indices, dtype="int64").reshape(rest)
    shape = _kept_shape(input._shape, d, keepdim)
    outputs = _KTHVALUE((wrap_result(values, input._dtype, input, shape),
                         wrap_result(indices, D.int64, input, shape)))
    if STATE.enabled and input._requires_grad:
        G.record_selecting("KthvalueBackward0", outputs, input, d, keepdim)
    return outputs


def _kept_shape(shape: tuple[int, ...], d: int, keepdim: bool) -> tuple[int, ...]:
    if not shape:
        return ()
    return shape_with(shape, d, 1) if keepdim else shape[:d] + shape[d + 1:]


# ----------------------------------------------------------------------------- unique
def _unique_results(input: Tensor, values: Any, inverse: Any, counts: Any, return_inverse: bool,
                    return_counts: bool) -> Any:
    """``unique``'s return: the values alone, or a tuple with the requested extras."""
    values_t = values if isinstance(values, Tensor) else wrap_result(values, input._dtype, input)
    extras = []
    if return_inverse:
        extras.append(wrap_result(inverse, D.int64, input))
    if return_counts:
        extras.append(wrap_result(counts, D.int64, input))
    return (values_t, *extras) if extras else values_t


def _group_starts(xp: Any, rows: Any) -> Any:
    """True where a row differs from the previous one (NaN never equals, as ``==`` in torch)."""
    n = rows.shape[0]
    if n == 0:
        return xp.zeros(0, dtype=bool)
    differs = (rows[1:] != rows[:-1]).reshape(n - 1, math.prod(rows.shape[1:])).any(axis=1)
    return xp.concatenate([xp.ones(1, dtype=bool), differs])


def _flat_unique(input: Tensor, consecutive: bool) -> tuple[Any, Any, Any]:
    """(values, inverse with the input's shape, counts) over all elements."""
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
    return ordered[starts], inverse.reshape(input._shape), counts


def _dim_unique(input: Tensor, dim: Any, consecutive: bool) -> tuple[Any, Any, Any]:
    """(values tensor, inverse, counts) of the slices along ``dim``; the values tensor is a
    contiguous buffer with ``dim`` first, seen with ``dim`` moved back, as torch builds it."""
    if not input._shape:
        raise IndexError(f"Dimension specified as {operator.index(dim)} but tensor has no dimensions")
    d = wrap_dim(check_int(dim, "unique", "dim", 5), input.dim())
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
        empty_index = xp.zeros(0, dtype="int64")
        return wrap_result(input._array.copy(), input._dtype, input), empty_index, empty_index
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
    values = tensor_with_strides(xp.moveaxis(front, 0, d), shape, strides, input._dtype, input)
    return values, inverse, counts


def _flat_path(input: Tensor, consecutive: bool, dim: Any) -> bool:
    """Whether torch uses its all-elements kernel: no ``dim``, or (unique_consecutive only) a literal
    ``dim=0`` on a 1-D input."""
    return dim is None or (consecutive and input.dim() == 1 and not isinstance(dim, bool) and dim == 0)


def _unique_parts(input: Tensor, consecutive: bool, dim: Any) -> tuple[Any, Any, Any]:
    """(values, inverse, counts). Under autograd the values get torch's node, whose backward raises
    (torch implements no derivative for unique)."""
    flat = _flat_path(input, consecutive, dim)
    if flat:
        values, inverse, counts = _flat_unique(input, consecutive)
    else:
        values, inverse, counts = _dim_unique(input, dim, consecutive)
    if STATE.enabled and input._requires_grad:
        values = values if isinstance(values, Tensor) else wrap_result(values, input._dtype, input)
        node, aten = (("UniqueConsecutiveBackward0", "unique_consecutive") if consecutive
                      else ("Unique2Backward0", "_unique2") if flat else ("UniqueDimBackward0", "unique_dim"))
        G.record_not_implemented(node, values, input, aten)
    return values, inverse, counts


def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False,  # noqa: A002
           dim: int | None = None) -> Any:
    """``torch.unique``: sorted unique elements (or slices along ``dim``), with optional inverse
    indices and counts. NaNs are each unique; the CPU sorts even with ``sorted=False``."""
    values, inverse, counts = _unique_parts(input, False, dim)
    return _unique_results(input, values, inverse, counts, return_inverse, return_counts)


def unique_consecutive(input: Tensor, return_inverse: bool = False, return_counts: bool = False,
                       dim: int | None = None) -> Any:
    """``Tensor.unique_consecutive``: collapses runs of equal consecutive elements (or slices)."""
    values, inverse, counts = _unique_parts(input, True, dim)
    return _unique_results(input, values, inverse, counts, return_inverse, return_counts)


def unique_consecutive_function(input: Tensor, *args: Any, **kwargs: Any) -> Any:
    """``torch.unique_consecutive`` as torch 2.13 exports it. Its Python dispatcher reads a positional
    ``return_counts`` from argument 1 and ``return_inverse`` from argument 2 (swapped); that choice
    fixes the *shape* of the returned tuple, the flags themselves decide what is computed: without
    the all-elements kernel a tensor that was not asked for is empty. Keyword calls (and the method)
    are unaffected."""
    names = ("return_inverse", "return_counts", "dim")
    if len(args) > len(names):
        raise TypeError(f"unique_consecutive() takes from 1 to 4 positional arguments but {len(args) + 1} "
                        "were given")
    flags = dict(zip(names, args))
    for name in kwargs:
        if name not in names:
            raise TypeError(f"unique_consecutive() got an unexpected keyword argument '{name}'")
        if name in flags:
            raise TypeError(f"unique_consecutive() got multiple values for argument '{name}'")
    flags |= kwargs
    dim = flags.get("dim")
    values, inverse, counts = _unique_parts(input, True, dim)
    if _flat_path(input, True, dim):
        empty = wrap_result(input._backend.xp.zeros(0, dtype="int64"), D.int64, input)
        inverse = inverse if flags.get("return_inverse") else empty
        counts = counts if flags.get("return_counts") else empty
    swapped = dict(zip(("return_counts", "return_inverse"), args)) | kwargs
    return _unique_results(input, values, inverse, counts, swapped.get("return_inverse", False),
                           swapped.get("return_counts", False))


FUNCTIONS: dict[str, Any] = {
    "sort": sort, "argsort": argsort, "msort": msort, "topk": topk, "kthvalue": kthvalue,
    "unique": unique, "unique_consecutive": unique_consecutive_function,
}
METHODS: dict[str, Any] = FUNCTIONS | {"unique_consecutive": unique_consecutive}
