"""Derivatives of the embedding ops (torch's derivatives.yaml: ``embedding`` and ``embedding_renorm_``).

``embedding``'s weight gradient is torch's ``embedding_dense_backward``: a zero ``(num_weights,
embedding_dim)`` tensor into which each output gradient row is summed at the row its index picked
(``_index_put_impl_`` with ``accumulate``, so repeated indices add up), leaving out the rows whose index
is ``padding_idx`` and, with ``scale_grad_by_freq``, dividing each row by the number of times its index
occurs in ``indices``. ``embedding_renorm_`` records a node whose backward raises torch's
NotImplementedError.
"""

from __future__ import annotations

from ..._tensor import Tensor
from ...ops.registry import aten
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
