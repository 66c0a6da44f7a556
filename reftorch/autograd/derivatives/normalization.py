"""Derivatives of the normalization ops (torch's derivatives.yaml entries of ``native_batch_norm``,
``native_layer_norm`` and ``native_group_norm``, whose formulas are FunctionsManual.cpp's and
native/cpu's ``*_backward`` kernels).

With ``xhat = (x - mean) * invstd`` over the normalised elements of a group (a channel across the
batch, a row of the trailing dims, a group of channels of one sample) and ``gy`` the output gradient
times the per-element weight:

- ``input``: ``invstd * (gy - mean(gy) - xhat * mean(gy * xhat))`` when the statistics are the
  batch's (they depend on the input); ``gy * invstd`` in batch norm's evaluation mode, whose
  statistics are the running ones;
- ``weight``: ``sum(grad * xhat)`` and ``bias``: ``sum(grad)`` over everything but the parameter's dims.

Only the first output (the normalised tensor) carries gradient, as torch's formulas read only
``grad``. The formulas recompute the statistics from the saved input with reftorch ops (in double
precision for narrower floats; the engine casts the gradients back), so ``create_graph=True``
differentiates them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ... import _dtype as D
from ..._tensor import Tensor
from . import define


def _wide(t: Tensor) -> Tensor:
    """``t`` in float64 when it is a narrower float (the gradients are computed in double precision)."""
    return t if t._dtype is D.float64 else t.to(D.float64)


def _normalized(x: Tensor, axes: list[int], eps: float) -> tuple[Tensor, Tensor]:
    """(xhat, invstd) of ``x`` normalised over ``axes`` with the biased variance."""
    centred = x - x.mean(axes, keepdim=True)
    invstd = ((centred * centred).mean(axes, keepdim=True) + eps).rsqrt()
    return centred * invstd, invstd


def _input_grad(gy: Tensor, xhat: Tensor, invstd: Tensor, axes: list[int]) -> Tensor:
    return (gy - gy.mean(axes, keepdim=True) - xhat * (gy * xhat).mean(axes, keepdim=True)) * invstd


def _sum_over(t: Tensor, axes: list[int]) -> Tensor:
    """``t`` summed over ``axes`` (none: ``t`` itself; an empty dim list would sum everything)."""
    return t.sum(axes) if axes else t


def _batch_norm(grad: Tensor | None, self: Tensor, weight: Tensor | None, running_mean: Tensor | None,
                running_var: Tensor | None, training: bool, eps: float, needs: Sequence[bool]) -> tuple[Any, ...]:
    """torch's ``native_batch_norm_backward`` (``batchnorm_backward`` on the CPU)."""
    if grad is None:
        return None, None, None
    ndim = self.dim()
    axes = [0] + list(range(2, ndim))
    shape = (1, self.size(1)) + (1,) * (ndim - 2)
    x, g = _wide(self), _wide(grad)
    if training:
        xhat, invstd = _normalized(x, axes, eps)
    else:
        invstd = (_wide(running_var).view(shape) + eps).rsqrt()
        xhat = (x - _wide(running_mean).view(shape)) * invstd
    grad_input = None
    if needs[0]:
        scale = invstd if weight is None else invstd * _wide(weight).view(shape)
        grad_input = _input_grad(g, xhat, scale, axes) if training else g * scale
    return (grad_input, (g * xhat).sum(axes) if needs[1] else None, g.sum(axes) if needs[2] else None)


define("NativeBatchNormBackward0", {("self", "weight", "bias"): _batch_norm},
       output_differentiability=(True, False, False))


def _layer_norm(grad: Tensor | None, self: Tensor, normalized_shape: Sequence[int], weight: Tensor | None,
                eps: float, needs: Sequence[bool]) -> tuple[Any, ...]:
    """torch's ``native_layer_norm_backward``: statistics over the trailing ``normalized_shape`` dims."""
    if grad is None:
        return None, None, None
    ndim = self.dim()
    first = ndim - len(normalized_shape)
    axes, batch = list(range(first, ndim)), list(range(first))
    x, g = _wide(self), _wide(grad)
    xhat, rstd = _normalized(x, axes, eps)
    grad_input = None
    if needs[0]:
        gy = g if weight is None else g * _wide(weight)
        grad_input = _input_grad(gy, xhat, rstd, axes)
    return (grad_input, _sum_over(g * xhat, batch) if needs[1] else None,
            _sum_over(g, batch) if needs[2] else None)


define("NativeLayerNormBackward0", {("self", "weight", "bias"): _layer_norm},
       output_differentiability=(True, False, False))


def _group_norm(grad: Tensor | None, self: Tensor, weight: Tensor | None, N: int, C: int, group: int, eps: float,
                needs: Sequence[bool]) -> tuple[Any, ...]:
    """torch's ``native_group_norm_backward``: statistics per (sample, group of channels)."""
    if grad is None:
        return None, None, None
    x = _wide(self).reshape(N, group, -1)
    g = _wide(grad).reshape(N, C, -1)
    xhat, rstd = _normalized(x, [2], eps)
    grad_input = None
    if needs[0]:
        gy = g if weight is None else g * _wide(weight).view(1, C, 1)
        grad_input = _input_grad(gy.reshape(N, group, -1), xhat, rstd, [2]).reshape(self._shape)
    per_channel = xhat.reshape(N, C, -1)
    return (grad_input, (g * per_channel).sum([0, 2]) if needs[1] else None,
            g.sum([0, 2]) if needs[2] else None)


define("NativeGroupNormBackward0", {("self", "weight", "bias"): _group_norm})
