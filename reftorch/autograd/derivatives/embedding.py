"""Derivatives of the embedding ops (torch's derivatives.yaml: ``embedding`` and ``embedding_renorm_``).

``embedding``'s weight gradient is torch's ``embedding_dense_backward``: a zero ``(num_weights,
embedding_dim)`` tensor into which each output gradient row is summed at the row its index picked
(``_index_put_impl_`` with ``accumulate``, so repeated indices add up), leaving out the rows whose index
is ``padding_idx`` and, with ``scale_grad_by_freq``, dividing each row by the number of times its index
occurs in ``indices``. ``embedding_renorm_`` records a node whose backward raises torch's
NotImplementedError. ``_embedding_bag``'s weight and per-sample-weight gradients (EmbeddingBagBackward0)
are torch's ``_embedding_bag_dense_backward`` and ``_embedding_bag_per_sample_weights_backward``.
"""

from __future__ import annotations

from typing import Any

from ... import _dtype as D
from ..._arrays import from_array
from ..._tensor import Tensor
from ...ops.embedding_bag import bag_of, fast_path
from ...ops.registry import aten, functions
from . import define, not_implemented


def _embedding_backward(grad: Tensor, indices: Tensor, weight_shape: tuple[int, ...], padding_idx: int,
                        scale_grad_by_freq: bool) -> Tensor:
    flat = indices.reshape(-1)
    rows = grad.reshape(-1, weight_shape[1])
    rows = rows.masked_fill((flat == padding_idx).unsqueeze(1), 0)
    if scale_grad_by_freq:
        counts = aten._index_put_impl_(rows.new_zeros(weight_shape[0]), (flat,), rows.new_ones(flat.shape),
                                       True, True)
        rows = rows / counts[flat].unsqueeze(1)
    return aten._index_put_impl_(rows.new_zeros(weight_shape), (flat,), rows, True, True)


define("EmbeddingBackward0", {"weight": _embedding_backward})
not_implemented("embedding_renorm", name="EmbeddingRenormBackward0", error=NotImplementedError,
                message="the derivative for 'embedding_renorm' is not implemented.")


def _bags(indices: Tensor, offsets: Tensor, include_last_offset: bool) -> Tensor:
    """Each index's bag, as a tensor (the kernel's ``bag_of``)."""
    ids, _ = bag_of(indices._backend.xp, offsets._array.reshape(-1).astype("int64"), indices.numel(),
                    include_last_offset)
    return from_array(ids, D.int64, indices.device, indices._backend)


def _embedding_bag_weight(grad: Tensor, indices: Tensor, offsets: Tensor, weight_shape: tuple[int, ...],
                          weight_dtype: D.dtype, weight_stride: tuple[int, ...], scale_grad_by_freq: bool,
                          mode: int, per_sample_weights: Tensor | None, include_last_offset: bool, padding_idx: int,
                          result2: Tensor, result3: Tensor) -> Tensor:
    """torch's ``_embedding_bag_dense_backward``: max mode sends each bag's gradient to the rows its
    maxima came from; sum and mean send it to every (non-padding) row of the bag, times the row's
    per-sample weight or divided by the bag's size, then ``scale_grad_by_freq`` divides by how often
    each index occurs. (A fast-path ``include_last_offset`` sum gives the indices past the last offset
    no gradient: see :func:`_skipped`.)"""
    zeros = grad.new_zeros(weight_shape)
    if mode == 2:
        return zeros.scatter_add(0, result3, grad * (result2 > 0).unsqueeze(1).to(grad.dtype))
    flat = indices.reshape(-1).to(D.int64)
    bags = _bags(indices, offsets, include_last_offset)
    rows = grad.index_select(0, bags)
    if per_sample_weights is not None:
        rows = rows * per_sample_weights.unsqueeze(1)
    if mode == 1:
        rows = rows / result2.index_select(0, bags).clamp_min(1).unsqueeze(1).to(grad.dtype)
    rows = rows.masked_fill(_skipped(flat, offsets, mode, include_last_offset, padding_idx, weight_dtype,
                                     weight_stride).unsqueeze(1), 0)
    if scale_grad_by_freq:
        divisor = _bag_frequencies(flat._backend.xp, flat._array, weight_shape[0])
        rows = rows / from_array(divisor, grad.dtype, grad.device, grad._backend).unsqueeze(1)
    return aten._index_put_impl_(zeros, (flat,), rows, True, True)


def _bag_frequencies(xp: Any, idx: Any, num_weights: int) -> Any:
    """The divisor ``scale_grad_by_freq`` gives each index in torch's CPU kernel
    (``_embedding_bag_dense_backward_cpu_sum_mean``): it reads ``counts[sorted_indices[u]]`` for the
    ``u``-th distinct index, not the count of that index itself, and this mirrors it."""
    counts = xp.bincount(idx, minlength=num_weights)
    ordered = xp.sort(idx)
    rank = xp.searchsorted(xp.unique(ordered), idx)
    return counts[ordered[rank]].astype("float64")


def _skipped(flat: Tensor, offsets: Tensor, mode: int, include_last_offset: bool, padding_idx: int,
             weight_dtype: D.dtype, weight_stride: tuple[int, ...]) -> Tensor:
    """The positions that get no gradient: ``padding_idx`` and, for a fast-path ``include_last_offset``
    sum, those past the last offset (torch reads or leaves undefined memory there)."""
    skip = flat == padding_idx
    if mode == 0 and include_last_offset and offsets.numel() and fast_path(weight_dtype, weight_stride, padding_idx):
        skip = skip | (functions.arange(flat.numel(), device=flat.device) >= offsets.reshape(-1)[-1])
    return skip


def _embedding_bag_per_sample_weights(grad: Tensor, weight: Tensor, indices: Tensor, offsets: Tensor, mode: int,
                                      include_last_offset: bool, padding_idx: int) -> Tensor:
    """torch's ``_embedding_bag_per_sample_weights_backward``: each index's gradient is the dot product
    of its bag's output gradient with its weight row (0 for skipped positions)."""
    flat = indices.reshape(-1).to(D.int64)
    dots = (grad.index_select(0, _bags(indices, offsets, include_last_offset)) * weight.index_select(0, flat)).sum(1)
    return dots.masked_fill(_skipped(flat, offsets, mode, include_last_offset, padding_idx, weight.dtype,
                                     weight.stride()), 0)


define("EmbeddingBagBackward0", {"weight": _embedding_bag_weight,
                                 "per_sample_weights": _embedding_bag_per_sample_weights},
       output_differentiability=(True, False, False, False))
