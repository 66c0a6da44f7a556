"""``torch.dropout`` / ``torch.dropout_``: torch's composite CPU dropout (aten/src/ATen/native/Dropout.cpp,
``_dropout_impl``), written with the public ops so that its graph is torch's (``MulBackward0``) and its
mask comes from the scalar Bernoulli stream, after the same seed bit for bit.

On the CPU torch takes no fused kernel (``is_fused_kernel_acceptable`` wants an accelerator): with
probability ``p`` outside [0, 1] it raises; with ``p == 0``, in eval mode or for an empty input it returns
the input itself; with ``p == 1`` it multiplies by a zero scalar; otherwise the noise is
``empty_like(input).bernoulli_(1 - p).div_(1 - p)`` and the result ``input * noise`` (or ``mul_``).
"""

from __future__ import annotations

from .._tensor import Tensor
from .registry import functions, register


def _dropout(input: Tensor, p: float, train: bool, inplace: bool) -> Tensor:
    if not 0 <= p <= 1:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p:g}")
    if p == 0 or not train or input.numel() == 0:
        return input
    if p == 1:
        zero = functions.zeros((), dtype=input.dtype, device=input.device)
        return input.mul_(zero) if inplace else input.mul(zero)
    noise = functions.empty_like(input)
    noise.bernoulli_(1 - p)
    noise.div_(1 - p)
    return input.mul_(noise) if inplace else input.mul(noise)


@register("dropout", "dropout(Tensor input, double p, bool train)", composite=True, method=False)
def dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """``torch.dropout(input, p, train)``: each element zeroed with probability ``p`` and the rest scaled
    by ``1 / (1 - p)`` when ``train``; the input itself otherwise."""
    return _dropout(input, p, train, inplace=False)


@register("dropout_", "dropout_(Tensor input, double p, bool train)", composite=True, method=False)
def dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """``torch.dropout_``: :func:`dropout` written into ``input``."""
    return _dropout(input, p, train, inplace=True)


__all__ = ["dropout", "dropout_"]
