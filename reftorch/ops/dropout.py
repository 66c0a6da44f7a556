"""``torch.dropout`` / ``torch.dropout_``: torch's composite CPU dropout (aten/src/ATen/native/Dropout.cpp,
``_dropout_impl``), written with the public ops so that its graph is torch's (``MulBackward0``) and its
mask comes from the scalar Bernoulli stream, after the same seed bit for bit.

On the CPU torch takes no fused kernel (``is_fused_kernel_acceptable`` wants an accelerator): with
probability ``p`` outside [0, 1] it raises; with ``p == 0``, in eval mode or for an empty input it returns
the input itself; with ``p == 1`` it multiplies by a zero scalar; otherwise the noise is
``empty_like(input).bernoulli_(1 - p).div_(1 - p)`` and the result ``input * noise`` (or ``mul_``).

The feature variants draw one noise value per (sample, channel): ``input.new_empty((N, C, 1, ...))``
(at least two dims, a RuntimeError otherwise, checked only when noise is drawn), broadcast over the
rest. The alpha variants keep SELU's self-normalisation: with ``alpha = 1.7580993408473766`` and
``a = 1 / sqrt((alpha^2 p + 1)(1 - p))``, ``b = (noise - 1) * alpha * a + alpha * a * p``, the noise
becomes ``noise * a`` and the result ``input * noise + b`` (MulBackward0 then AddBackward0).
"""

from __future__ import annotations

import math

from .._tensor import Tensor
from .registry import functions, register

_ALPHA = 1.7580993408473766


def _make_feature_noise(input: Tensor) -> Tensor:
    """ATen's ``make_feature_noise``: an empty ``(N, C, 1, ...)`` tensor like ``input``."""
    if input.dim() < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    return input.new_empty((input.shape[0], input.shape[1], *([1] * (input.dim() - 2))))


def _dropout(input: Tensor, p: float, train: bool, inplace: bool, feature: bool = False,
             alpha: bool = False) -> Tensor:
    """ATen's ``_dropout_impl<feature_dropout, alpha_dropout, inplace>``."""
    if not 0 <= p <= 1:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p:g}")
    if p == 0 or not train or input.numel() == 0:
        return input
    if p == 1:
        zero = functions.zeros((), dtype=input.dtype, device=input.device)
        return input.mul_(zero) if inplace else input.mul(zero)
    noise = _make_feature_noise(input) if feature else functions.empty_like(input)
    noise.bernoulli_(1 - p)
    if alpha:
        a = 1.0 / math.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
        b = noise.add(-1).mul_(_ALPHA * a).add_(_ALPHA * a * p)
        noise.mul_(a)
        return (input.mul_(noise) if inplace else input.mul(noise)).add_(b)
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


def _variant(name: str, feature: bool, alpha: bool, what: str) -> None:
    """Register ``torch.<name>`` and ``torch.<name>_`` (ATen's ``feature_dropout``, ``alpha_dropout``,
    ``feature_alpha_dropout`` and their in-place twins)."""

    def functional(input: Tensor, p: float, train: bool) -> Tensor:
        return _dropout(input, p, train, inplace=False, feature=feature, alpha=alpha)

    def inplace(input: Tensor, p: float, train: bool) -> Tensor:
        return _dropout(input, p, train, inplace=True, feature=feature, alpha=alpha)

    functional.__name__, inplace.__name__ = name, name + "_"
    functional.__doc__ = f"``torch.{name}(input, p, train)``: {what}"
    inplace.__doc__ = f"``torch.{name}_``: :func:`{name}` written into ``input``."
    register(name, f"{name}(Tensor input, double p, bool train)", composite=True, method=False)(functional)
    register(name + "_", f"{name}_(Tensor input, double p, bool train)", composite=True, method=False)(inplace)


_variant("feature_dropout", True, False, "whole channels (dim 1 of each sample) zeroed with probability ``p``, "
         "the rest scaled by ``1 / (1 - p)``, when ``train``.")
_variant("alpha_dropout", False, True, "alpha dropout (dropped values set to SELU's negative saturation, then an "
         "affine map keeping mean and variance), when ``train``.")
_variant("feature_alpha_dropout", True, True, "alpha dropout of whole channels, when ``train``.")

__all__ = ["dropout", "dropout_"]
