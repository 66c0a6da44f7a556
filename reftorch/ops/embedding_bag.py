"""``_embedding_bag`` and ``embedding_bag``, ported from aten/src/ATen/native/EmbeddingBag.cpp (CPU).

- ``_embedding_bag(weight, indices, offsets, scale_grad_by_freq, mode, sparse, per_sample_weights,
  include_last_offset, padding_idx)`` (EmbeddingBagBackward0) reduces the rows of ``weight`` that
  ``indices`` names, bag by bag: bag ``b`` holds the indices from ``offsets[b]`` up to the next offset
  and the last bag runs to the end (``include_last_offset`` drops the last offset as a bag start).
  ``mode`` 0 sums (each row times its ``per_sample_weights`` entry), 1 averages, 2 takes the
  elementwise maximum; indices equal to ``padding_idx`` are left out (and not counted), empty bags are
  zero. On torch's fast path (:func:`fast_path`) an ``include_last_offset`` sum or mean leaves out the
  indices past the last offset, still dividing by the whole last bag's size. It returns torch's four
  outputs: the result, ``offset2bag`` (each index's bag; empty on the fast sum path), ``bag_size``
  (non-padding indices per bag; zeros for sum) and ``max_indices`` (per bag and column the weight row
  of the first maximum for max, ``bag_size`` for mean, zeros for sum). Computed with scatter-adds /
  scatter-maxima over all indices at once.
- ``embedding_bag`` / ``embedding_bag.padding_idx`` (composites): ``padding_idx`` checked against
  ``num_embeddings`` and wrapped, then ``_embedding_bag``.

reftorch has no sparse tensors: ``sparse=True`` is refused, as for ``embedding``.
"""

from __future__ import annotations

from typing import Any

from .. import _dtype as D
from .._promotion import promote_types
from .._tensor import Tensor
from ._util import cast_array, result_tensor
from .registry import call, register

SUM, MEAN, MAX = 0, 1, 2
_INDEX_TYPES = (D.int64, D.int32)
_WEIGHT_TYPES = (D.float16, D.bfloat16, D.float32, D.float64)


def _check_types(name: str, t: Tensor, allowed: tuple[D.dtype, ...]) -> None:
    """ATen's ``checkScalarTypes("embedding_bag", arg, allowed)`` (every argument is #1 there)."""
    if t._dtype not in allowed:
        names = ", ".join(d.scalar_name for d in allowed)
        raise RuntimeError(f"Expected tensor for argument #1 '{name}' to have one of the following scalar types: "
                           f"{names}; but got {t.type()} instead (while checking arguments for embedding_bag)")


def bag_of(xp: Any, offsets: Any, count: int, include_last_offset: bool) -> tuple[Any, int]:
    """Each index's bag (int64, ``count`` long) and the number of bags, from the offsets array."""
    starts = offsets[:-1] if include_last_offset else offsets
    bags = int(starts.shape[0])
    if not count:
        return xp.zeros(0, dtype="int64"), bags
    return xp.searchsorted(starts, xp.arange(count), side="right").astype("int64") - 1, bags


def fast_path(dtype: D.dtype, stride: tuple[int, ...], padding_idx: int) -> bool:
    """torch's ``is_fast_path_index_select`` for this weight: float32/float16/bfloat16, rows
    contiguous, no padding_idx. On it, sum and mean bags with ``include_last_offset`` stop at the
    last offset (off it, and in every backward, the last bag runs to the end of ``indices``), and sum
    records no ``offset2bag``."""
    return dtype in (D.float32, D.float16, D.bfloat16) and stride[1] == 1 and padding_idx < 0


def _check(weight: Tensor, indices: Tensor, offsets: Tensor, per_sample_weights: Tensor | None) -> tuple[Any, Any]:
    """``_embedding_bag_cpu_impl``'s checks in its order; returns the (promoted) index and offset arrays."""
    if indices._dtype is not offsets._dtype:  # promoteIndicesAndOffsets
        common = promote_types(indices._dtype, offsets._dtype)
        indices, offsets = indices.to(common), offsets.to(common)
    _check_types("indices", indices, _INDEX_TYPES)
    _check_types("offsets", offsets, _INDEX_TYPES)
    _check_types("weight", weight, _WEIGHT_TYPES)
    idx = indices._array.reshape(-1).astype("int64")
    off = offsets._array.reshape(-1).astype("int64")
    if off.size:
        if int(off[0]) != 0:
            raise RuntimeError("offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from "
                               f"position 0. However, got {int(off[0])}")
        if int(off[-1]) > idx.size:
            raise RuntimeError(f"offsets[-1] can not be greater than input's length {idx.size} but got offsets[-1] "
                               f"of {int(off[-1])}")
    if per_sample_weights is not None:
        if per_sample_weights.dim() != 1:
            raise RuntimeError(f"Expected per_sample_weights to be 1D tensor, got {per_sample_weights.dim()}D")
        if per_sample_weights._dtype is not weight._dtype:
            raise RuntimeError(f"Expected tensor for argument #1 'weight' to have the same type as tensor for "
                               f"argument #1 'per_sample_weights'; but type {weight.type()} does not equal "
                               f"{per_sample_weights.type()} (while checking arguments for embedding_bag)")
        if per_sample_weights.numel() != idx.size:
            raise RuntimeError(f"Expected per_sample_weights.numel() ({per_sample_weights.numel()}) to be the same "
                               f"as indices.numel() ({idx.size})")
    rows = weight._shape[0]
    bad = (idx < 0) | (idx >= rows)
    if bool(bad.any()):
        at = int(bad.argmax())
        raise RuntimeError(f"Index {at} of input takes value {int(idx[at])} which is not in the valid range "
                           f"[0, {rows})")
    return idx, off


@register("_embedding_bag", "_embedding_bag(Tensor weight, Tensor indices, Tensor offsets, "
          "bool scale_grad_by_freq=False, int64_t mode=0, bool sparse=False, Tensor? per_sample_weights=None, "
          "bool include_last_offset=False, int64_t padding_idx=-1)", node="EmbeddingBagBackward0", method=False)
def _embedding_bag(weight: Tensor, indices: Tensor, offsets: Tensor, scale_grad_by_freq: bool, mode: int,
                   sparse: bool, per_sample_weights: Tensor | None, include_last_offset: bool,
                   padding_idx: int) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """``torch._embedding_bag``: ``(output, offset2bag, bag_size, max_indices)``."""
    idx, off = _check(weight, indices, offsets, per_sample_weights)
    if sparse:
        raise NotImplementedError("reftorch has no sparse tensors: embedding_bag(sparse=True) is not supported")
    xp = weight._backend.xp
    bags_of, bags = bag_of(xp, off, idx.size, include_last_offset)
    keep = idx != padding_idx
    count = xp.zeros(bags, dtype="int64")
    xp.add.at(count, bags_of[keep], 1)
    fast = fast_path(weight._dtype, weight._stride, padding_idx) and mode != MAX
    if fast and include_last_offset and off.size:
        keep = keep & (xp.arange(idx.size) < int(off[-1]))
    acc = D.float32 if weight._dtype in (D.float16, D.bfloat16) else weight._dtype
    w = cast_array(weight._backend, weight._array, acc)
    dim = weight._shape[1]
    rows = w[idx[keep]]
    out = xp.zeros((bags, dim), dtype=w.dtype)
    max_indices = xp.zeros(bags, dtype="int64")
    with weight._backend.quiet():
        if mode == MAX:
            out[:] = -xp.inf
            xp.maximum.at(out, bags_of[keep], rows)
            out = xp.where(count[:, None] > 0, out, 0)
            max_indices = _first_max(xp, rows, out, bags_of[keep], idx[keep])
        else:
            if per_sample_weights is not None:
                rows = rows * cast_array(weight._backend, per_sample_weights._array, acc)[keep][:, None]
            xp.add.at(out, bags_of[keep], rows)
            if mode == MEAN:
                out = xp.where(count[:, None] > 0, out / xp.maximum(count, 1)[:, None], 0)
                max_indices = count
    offset2bag = xp.zeros(0, dtype="int64") if fast and mode == SUM else bags_of
    bag_size = count if mode != SUM else xp.zeros(bags, dtype="int64")
    index_dtype = D.int64 if indices._dtype is D.int64 or offsets._dtype is D.int64 else D.int32
    return (result_tensor(out, weight._dtype, weight), result_tensor(offset2bag, index_dtype, weight),
            result_tensor(bag_size, index_dtype, weight), result_tensor(max_indices, index_dtype, weight))


def _first_max(xp: Any, rows: Any, out: Any, bags: Any, idx: Any) -> Any:
    """(bags, dim): the weight row of each bag's first maximum per column (0 for empty bags), as torch's
    loop keeps the first of equal maxima."""
    n = rows.shape[0]
    first = xp.full(out.shape, n, dtype="int64")
    if not n:
        return first * 0
    xp.minimum.at(first, bags, xp.where(rows == out[bags], xp.arange(n)[:, None], n))
    return xp.where(first < n, idx[xp.minimum(first, n - 1)], 0)


def _embedding_bag_impl(weight: Tensor, indices: Tensor, offsets: Tensor, scale_grad_by_freq: bool, mode: int,
                        sparse: bool, per_sample_weights: Tensor | None, include_last_offset: bool,
                        padding_idx: int | None) -> tuple[Tensor, ...]:
    """EmbeddingBag.cpp's ``embedding_bag``: ``padding_idx`` in ``[-num_embeddings, num_embeddings)``,
    wrapped (None is -1: no padding), then ``_embedding_bag``."""
    if padding_idx is not None:
        rows = weight._shape[0]
        if not -rows <= padding_idx < rows:
            raise RuntimeError(f"padding_idx must be within the number of embeddings, -{rows} through {rows - 1}, but "
                               f"got {padding_idx}")
        padding_idx %= rows
    return call("_embedding_bag", weight, indices, offsets, scale_grad_by_freq, mode, sparse, per_sample_weights,
                include_last_offset, -1 if padding_idx is None else padding_idx)


@register("embedding_bag.padding_idx", "embedding_bag(Tensor weight, Tensor indices, Tensor offsets, "
          "bool scale_grad_by_freq, int64_t mode, bool sparse, Tensor? per_sample_weights, bool include_last_offset, "
          "int64_t? padding_idx)", composite=True, method=False)
def embedding_bag_padding_idx(weight: Tensor, indices: Tensor, offsets: Tensor, scale_grad_by_freq: bool, mode: int,
                              sparse: bool, per_sample_weights: Tensor | None, include_last_offset: bool,
                              padding_idx: int | None) -> tuple[Tensor, ...]:
    """``torch.embedding_bag`` with every argument given (``padding_idx`` may be None)."""
    return _embedding_bag_impl(weight, indices, offsets, scale_grad_by_freq, mode, sparse, per_sample_weights,
                               include_last_offset, padding_idx)


@register("embedding_bag", "embedding_bag(Tensor weight, Tensor indices, Tensor offsets, "
          "bool scale_grad_by_freq=False, int64_t mode=0, bool sparse=False, Tensor? per_sample_weights=None, "
          "bool include_last_offset=False)", composite=True, method=False)
def embedding_bag(weight: Tensor, indices: Tensor, offsets: Tensor, scale_grad_by_freq: bool, mode: int,
                  sparse: bool, per_sample_weights: Tensor | None, include_last_offset: bool) -> tuple[Tensor, ...]:
    """``torch.embedding_bag`` without padding."""
    return _embedding_bag_impl(weight, indices, offsets, scale_grad_by_freq, mode, sparse, per_sample_weights,
                               include_last_offset, None)


__all__ = ["_embedding_bag", "embedding_bag", "embedding_bag_padding_idx"]
