"""The embedding ops ``embedding`` and ``embedding_renorm_``, ported from aten/src/ATen/native/Embedding.cpp.

- ``embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False)`` picks the rows
  of the 2-D ``weight`` that ``indices`` (int64 or int32) name: the result has shape
  ``indices.shape + (embedding_dim,)``. An index outside ``[0, num_embeddings)`` is torch's
  ``IndexError: index out of range in self`` (no wrapping of negative indices). Its gradient
  (EmbeddingBackward0) sums the output gradient rows into the rows they were picked from, skipping
  ``padding_idx`` and, with ``scale_grad_by_freq``, dividing by how often each index occurs. reftorch
  has no sparse tensors: ``sparse=True`` is refused.
- ``embedding_renorm_(weight, indices, max_norm, norm_type)`` rescales in place each distinct row named
  by ``indices`` whose ``norm_type``-norm exceeds ``max_norm`` by ``max_norm / (norm + 1e-7)``. Rows
  are visited in sorted index order as torch's loop does, so the first out-of-bounds index (negative
  ones wrap, as ``self[i]`` does in C++) raises torch's ``select()`` IndexError.
"""

from __future__ import annotations

import math
from typing import Any

from .. import _dtype as D
from .._tensor import Tensor
from ._inplace import store
from ._util import result_tensor, shape_str
from .registry import register

_INDEX_DTYPES = (D.int64, D.int32)


def _check_indices(fn: str, indices: Tensor, position: int) -> None:
    """ATen's ``checkScalarTypes(fn, indices_arg, {kLong, kInt})``."""
    if indices._dtype not in _INDEX_DTYPES:
        raise RuntimeError(f"Expected tensor for argument #{position} 'indices' to have one of the following scalar "
                           f"types: Long, Int; but got {indices.type()} instead (while checking arguments for {fn})")


@register("embedding", "embedding(Tensor weight, Tensor indices, SymInt padding_idx=-1, bool scale_grad_by_freq=False, "
          "bool sparse=False)", node="EmbeddingBackward0", method=False)
def embedding(weight: Tensor, indices: Tensor, padding_idx: int, scale_grad_by_freq: bool, sparse: bool) -> Tensor:
    """``torch.embedding``: ``weight.index_select(0, indices.flatten())`` viewed as
    ``indices.shape + (weight.size(1),)``."""
    if weight.dim() != 2:
        raise RuntimeError("'weight' must be 2-D")
    _check_indices("embedding", indices, 1)
    if sparse:
        raise NotImplementedError("reftorch has no sparse tensors: embedding(sparse=True) is not supported")
    idx = indices._array.astype("int64")
    rows = weight._shape[0]
    if idx.size and (int(idx.min()) < 0 or int(idx.max()) >= rows):
        raise IndexError("index out of range in self")
    values = weight._array[idx.reshape(-1)]
    return result_tensor(values, weight._dtype, weight, indices._shape + (weight._shape[1],))


def _row_norms(xp: Any, rows: Any, norm_type: float) -> Any:
    """Each row's ``norm_type``-norm (``Tensor.norm(p)``: inf/-inf the largest/smallest magnitude, 0 the
    count of non-zeros)."""
    magnitude = xp.abs(rows)
    if norm_type == math.inf:
        return magnitude.max(axis=1)
    if norm_type == -math.inf:
        return magnitude.min(axis=1)
    if norm_type == 0:
        return (magnitude != 0).sum(axis=1).astype("float64")
    return (magnitude ** norm_type).sum(axis=1) ** (1.0 / norm_type)


@register("embedding_renorm_", "embedding_renorm_(Tensor input, Tensor indices, double max_norm, double norm_type)",
          node="EmbeddingRenormBackward0", inplace=True, method=False)
def embedding_renorm_(self: Tensor, indices: Tensor, max_norm: float, norm_type: float) -> Tensor:
    """``torch.embedding_renorm_``: rows of ``self`` named by ``indices`` with a norm above ``max_norm``
    scaled (in place) by ``max_norm / (norm + 1e-7)``."""
    if self.dim() != 2:
        raise RuntimeError(f"Expected 2-dimensional tensor, but got {self.dim()}-dimensional tensor for argument #1 "
                           "'self' (while checking arguments for embedding_renorm_)")
    _check_indices("embedding_renorm_", indices, 2)
    xp = self._backend.xp
    rows = self._shape[0]
    unique = xp.unique(indices._array.astype("int64").reshape(-1))
    bad = unique[(unique < -rows) | (unique >= rows)]
    if bad.size:
        raise IndexError(f"select(): index {int(bad[0])} out of range for tensor of size "
                         f"{shape_str(self._shape)} at dimension 0")
    unique = xp.unique(unique % rows) if rows else unique
    arr = self._array
    with self._backend.quiet():
        picked = arr[unique]
        norms = _row_norms(xp, picked.astype("float64"), norm_type) if unique.size else unique
        over = norms > max_norm
        if not over.size or not bool(over.any()):
            self._version_counter.bump()  # (torch's in-place op counts as a write even when no row changes)
            return self
        scale = (max_norm / (norms[over] + 1e-7)).astype(picked.dtype)
        updated = arr.copy()
        updated[unique[over]] = picked[over] * scale[:, None]
    return store(self, updated)


__all__ = ["embedding", "embedding_renorm_"]
