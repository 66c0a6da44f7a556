"""``torch.cosine_similarity``: ATen's composite (aten/src/ATen/native/Distance.cpp), written with the
public ops so that its graph is torch's: each input divided by its 2-norm along ``dim`` (a clone of
``linalg_vector_norm``, clamped to ``eps`` in place without recording, as under ATen's NoGradGuard: here
through a detached alias sharing the version counter), then ``(x1n * x2n).sum(dim)``."""

from __future__ import annotations

from .._tensor import Tensor
from .registry import functions, register


@register("cosine_similarity", "cosine_similarity(Tensor x1, Tensor x2, int64_t dim=1, double eps=1e-08)",
          composite=True, method=False)
def cosine_similarity(x1: Tensor, x2: Tensor, dim: int, eps: float) -> Tensor:
    """``torch.cosine_similarity(x1, x2, dim=1, eps=1e-8)``: a RuntimeError unless the common dtype is
    floating; integral (and bool) inputs cast to it; both broadcast; SumBackward1 over MulBackward0 over
    DivBackward0 / CloneBackward0 / LinalgVectorNormBackward0."""
    common = functions.result_type(x1, x2)
    if not common.is_floating_point:
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is {common.scalar_name}")
    if not (x1.is_floating_point() or x1.is_complex()):
        x1 = x1.to(common)
    if not (x2.is_floating_point() or x2.is_complex()):
        x2 = x2.to(common)
    x1, x2 = functions.broadcast_tensors(x1, x2)
    x1_norm = x1.norm(2, dim, keepdim=True).clone()
    x2_norm = x2.norm(2, dim, keepdim=True).clone()
    x1_norm.detach().clamp_min_(eps)
    x2_norm.detach().clamp_min_(eps)
    return ((x1 / x1_norm) * (x2 / x2_norm)).sum(dim)


__all__ = ["cosine_similarity"]
