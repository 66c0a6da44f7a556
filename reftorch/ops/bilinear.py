"""``_trilinear`` and ``bilinear``, ported from aten/src/ATen/native/Linear.cpp.

- ``_trilinear(i1, i2, i3, expand1, expand2, expand3, sumdim, unroll_dim)`` (TrilinearBackward0): each
  input gets size-1 dims inserted at its ``expand`` positions so all three have the same rank; the
  broadcast product is summed over ``sumdim`` (those dims are dropped). Computed as one ``einsum`` on
  the backend's arrays (``unroll_dim`` only picks torch's loop order, not the result).
- ``bilinear(input1, input2, weight, bias)`` (composite): ``y[..., o] = sum_ij x1[..., i] W[o, i, j]
  x2[..., j] + b[o]``, the inputs flattened to 2-D for ``_trilinear`` and the result viewed back, with
  torch's dtype and size checks in its order.
"""

from __future__ import annotations

from collections.abc import Sequence

from .._tensor import Tensor
from ._util import result_tensor
from .registry import call, register

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@register("_trilinear", "_trilinear(Tensor i1, Tensor i2, Tensor i3, IntArrayRef expand1, IntArrayRef expand2, "
          "IntArrayRef expand3, IntArrayRef sumdim, int64_t unroll_dim=1)", node="TrilinearBackward0", method=False)
def _trilinear(i1: Tensor, i2: Tensor, i3: Tensor, expand1: Sequence[int], expand2: Sequence[int],
               expand3: Sequence[int], sumdim: Sequence[int], unroll_dim: int) -> Tensor:
    """``torch._trilinear``: ``sum over sumdim of unsqueeze(i1, expand1) * unsqueeze(i2, expand2) *
    unsqueeze(i3, expand3)``."""
    rank = i1.dim() + len(expand1)
    operands, subscripts, sizes = [], [], [1] * rank
    for t, expand in ((i1, expand1), (i2, expand2), (i3, expand3)):
        if t.dim() + len(expand) != rank:
            raise RuntimeError(f"number of dimensions in the tensors must match: got {rank} and "
                               f"{t.dim() + len(expand)}")
        kept = [d for d in range(rank) if d not in set(expand)]
        for d, size in zip(kept, t._shape, strict=True):
            if sizes[d] != 1 and size != 1 and size != sizes[d]:
                raise RuntimeError(f"The size of tensor a ({sizes[d]}) must match the size of tensor b ({size}) at "
                                   f"non-singleton dimension {d}")
            sizes[d] = max(sizes[d], size) if size else 0
        operands.append(t._array)
        subscripts.append("".join(_LETTERS[d] for d in kept))
    out_dims = [d for d in range(rank) if d not in set(sumdim)]
    spec = ",".join(subscripts) + "->" + "".join(_LETTERS[d] for d in out_dims if any(
        _LETTERS[d] in s for s in subscripts))
    xp = i1._backend.xp
    values = xp.einsum(spec, *operands)
    return result_tensor(values, i1._dtype, i1, tuple(sizes[d] for d in out_dims))


def _check(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None) -> None:
    """Linear.cpp's ``bilinear`` checks, in its order."""
    tensors = [("input1", input1), ("input2", input2), ("weight", weight)] + ([("bias", bias)] if bias is not None
                                                                              else [])
    if len({t._dtype for _, t in tensors}) > 1:
        listed = ", ".join(f"{name}: {t._dtype.demangled_name}" for name, t in tensors)
        raise RuntimeError(f"All tensors must have the same dtype, got {listed}")
    if input1.dim() != input2.dim():
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.dim()} and {input2.dim()}")
    for i in range(input1.dim() - 1):
        if input1._shape[i] != input2._shape[i]:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {i}: got "
                               f"{input1._shape[i]} and {input2._shape[i]}")
    for name, t, dim in (("input1", input1, 1), ("input2", input2, 2)):
        if t._shape[-1] != weight._shape[dim]:
            raise RuntimeError(f"bilinear(): {name} size does not match weight size: got {t._shape[-1]} but "
                               f"expected {weight._shape[dim]}")
    if bias is not None and bias._shape[0] != weight._shape[0]:
        raise RuntimeError(f"bilinear(): bias size does not match weight size: got {bias._shape[0]} but expected "
                           f"{weight._shape[0]}")


@register("bilinear", "bilinear(Tensor input1, Tensor input2, Tensor weight, Tensor? bias=None)", composite=True,
          method=False)
def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
    """``torch.bilinear``: ``x1^T W[o] x2 + b[o]`` over the last dims, batch dims kept."""
    _check(input1, input2, weight, bias)
    out_shape = input1._shape[:-1] + (weight._shape[0],)
    flat1 = input1.reshape(-1, input1._shape[-1])
    flat2 = input2.reshape(-1, input2._shape[-1])
    output = call("_trilinear", flat1, weight, flat2, (1, 3), (0,), (1, 2), (2, 3), 1).reshape(out_shape)
    return output if bias is None else output + bias


__all__ = ["_trilinear", "bilinear"]
