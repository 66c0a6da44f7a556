"""Derivatives of the loss ops (torch's derivatives.yaml and FunctionsManual.cpp: ``mse_loss_backward``,
``binary_cross_entropy_backward``, ``nll_loss_backward``, ``smooth_l1_loss_backward``...), written with
reftorch ops. ``reduction`` 1 ('mean') divides by the numel of the input the formula is for, as torch's
backward kernels do. The class-margin losses' local derivatives are computed on arrays and multiplied
by the incoming gradient (differentiable again in ``grad``, not in the input)."""

from __future__ import annotations

from typing import Any

from ..._arrays import from_array
from ..._tensor import Tensor
from ...ops.loss import nll_total_weight
from ...ops.registry import aten, call, functions
from . import define
from .helpers import zeros_like

MEAN = 1


def _scaled(g: Tensor, reduction: int, like: Tensor) -> Tensor:
    return g / like.numel() if reduction == MEAN else g


def _mse(grad: Tensor, self: Tensor, target: Tensor, reduction: int) -> Tensor:
    return _scaled(2 * (self - target) * grad, reduction, self)


def _mse_target(grad: Tensor, self: Tensor, target: Tensor, reduction: int) -> Tensor:
    return _scaled(2 * (target - self) * grad, reduction, target)


def _smooth_l1(grad: Tensor, self: Tensor, target: Tensor, reduction: int, beta: float, sign: int) -> Tensor:
    d = (self - target) * sign
    local = d.sign() if beta == 0 else functions.where(d.abs() < beta, d / beta, d.sign())
    return _scaled(local * grad, reduction, self if sign == 1 else target)


def _huber(grad: Tensor, self: Tensor, target: Tensor, reduction: int, delta: float, sign: int) -> Tensor:
    d = (self - target) * sign
    return _scaled(d.clamp(-delta, delta) * grad, reduction, self if sign == 1 else target)


def _soft_margin(grad: Tensor, self: Tensor, target: Tensor, reduction: int) -> Tensor:
    return _scaled(target * grad * ((target * self).sigmoid() - 1), reduction, self)


def _bce(grad: Tensor, self: Tensor, target: Tensor, weight: Tensor | None, reduction: int) -> Tensor:
    g = grad * (self - target) / (self * (1 - self)).clamp(min=1e-12)
    return _scaled(g if weight is None else g * weight, reduction, self)


def _bce_target(grad: Tensor, self: Tensor, target: Tensor, weight: Tensor | None, reduction: int) -> Tensor:
    g = ((-self).log1p() - self.log()) * grad
    return _scaled(g if weight is None else g * weight, reduction, target)


def _bce_logits(grad: Tensor, self: Tensor, target: Tensor, weight: Tensor | None, pos_weight: Tensor | None,
                reduction: int) -> Tensor:
    if pos_weight is None:
        g = (self.sigmoid() - target) * grad
    else:
        t = pos_weight * target
        g = ((t + 1 - target) * self.sigmoid() - t) * grad
    return _scaled(g if weight is None else g * weight, reduction, self)


def _bce_logits_target(grad: Tensor, self: Tensor, target: Tensor, weight: Tensor | None,
                       pos_weight: Tensor | None, reduction: int) -> Tensor:
    if pos_weight is None:
        g = -self * grad
    else:
        g = (aten.log_sigmoid(-self) - aten.log_sigmoid(self) * pos_weight) * grad
    return _scaled(g if weight is None else g * weight, reduction, target)


def _nll(grad: Tensor, self: Tensor, target: Tensor, weight: Tensor | None, reduction: int,
         ignore_index: int) -> Tensor:
    """torch's ``nll_loss_backward``: ``-w[t] * grad`` at each target class (0 where ignored), divided
    by the total weight for 'mean'."""
    cdim = 0 if self.dim() < 2 else 1
    tgt = target.reshape(-1)[0] if self.dim() == 1 and target.dim() > 0 else target
    keep = tgt != ignore_index
    safe = functions.where(keep, tgt, 0).unsqueeze(cdim)
    shape = [1] * self.dim()
    if self.dim():
        shape[cdim] = self.shape[cdim]
    w = self.new_ones(self.shape[cdim]) if weight is None else weight.to(self.dtype)
    tw = keep.to(self.dtype) * w.gather(0, safe.reshape(-1)).reshape(keep.shape)
    if reduction == MEAN:
        grad = grad / tw.sum()
    g = tw * grad
    return self.new_zeros(self.shape).scatter(cdim, safe, -g.unsqueeze(cdim))


def _nll_backward(grad: Tensor, self: Tensor, target: Tensor, weight: Tensor | None, reduction: int,
                  ignore_index: int) -> Tensor:
    """derivatives.yaml's ``nll_loss``: ``nll_loss_backward(grad, self, target, weight, reduction,
    ignore_index, total_weight)`` (one kernel; its node differentiates it again)."""
    return call("nll_loss_backward", grad, self, target, weight, reduction, ignore_index,
                nll_total_weight(self, target, weight, ignore_index))


def _constant(like: Tensor, array: Any) -> Tensor:
    return from_array(array.astype(like._array.dtype), like._dtype, like.device, like._backend)


def _multi_margin(grad: Tensor, self: Tensor, target: Tensor, p: Any, margin: Any, weight: Tensor | None,
                  reduction: int) -> Tensor:
    """d/dx of ``sum_{i != y} w[y] max(0, margin - x[y] + x[i]) ** p / C``, times the gradient."""
    xp = self._backend.xp
    c = self.shape[-1] if self.dim() else 1
    x = self._array.reshape(-1, c)
    n = x.shape[0]
    t = target._array.astype("int64").reshape(-1)
    rows = xp.arange(n)
    z = margin - x[rows, t][:, None] + x
    local = (z > 0) * (1.0 if p == 1 else 2 * z)
    if weight is not None:
        local = local * weight._array[t][:, None]
    local[rows, t] = 0
    local[rows, t] = -local.sum(axis=1)
    g = grad.reshape(-1, 1) if reduction == 0 and self.dim() == 2 else grad
    out = _constant(self, local / c) * g
    return (out / n if reduction == MEAN else out).reshape(self.shape)  # 'mean' averages over samples


def _multilabel_margin(grad: Tensor, self: Tensor, target: Tensor, reduction: int) -> Tensor:
    """d/dx of ``sum_{j in T, i not in T} max(0, 1 - x[j] + x[i]) / C``, times the gradient."""
    from ...ops.loss import _label_members

    xp = self._backend.xp
    c = self.shape[-1] if self.dim() else 1
    x = self._array.reshape(-1, c)
    t = target._array.astype("int64").reshape(x.shape)
    member = _label_members(xp, t, c)
    active = ((1 - (x[:, :, None] - x[:, None, :])) > 0) & member[:, :, None] & ~member[:, None, :]
    local = (active.sum(axis=1) - active.sum(axis=2)).astype(x.dtype) / c
    g = grad.reshape(-1, 1) if reduction == 0 and self.dim() == 2 else grad
    out = _constant(self, local) * g
    return (out / x.shape[0] if reduction == MEAN else out).reshape(self.shape)  # over samples


define("MseLossBackward0", {"self": _mse, "target": _mse_target})
define("SmoothL1LossBackward0", {
    "self": lambda grad, self, target, reduction, beta: _smooth_l1(grad, self, target, reduction, beta, 1),
    "target": lambda grad, self, target, reduction, beta: _smooth_l1(grad, self, target, reduction, beta, -1),
})
define("HuberLossBackward0", {
    "self": lambda grad, self, target, reduction, delta: _huber(grad, self, target, reduction, delta, 1),
    "target": lambda grad, self, target, reduction, delta: _huber(grad, self, target, reduction, delta, -1),
})
define("SoftMarginLossBackward0", {"self": _soft_margin})
define("BinaryCrossEntropyBackward0", {"self": _bce, "target": _bce_target})
define("BinaryCrossEntropyWithLogitsBackward0", {"self": _bce_logits, "target": _bce_logits_target})
define("NllLossBackward0", {"self": _nll_backward})
define("NllLossBackwardBackward0", {
    "grad_output": lambda grad, target, weight, reduction, ignore_index: aten.nll_loss(grad, target, weight, reduction,
                                                                                       ignore_index),
    "self": lambda grad: zeros_like(grad),
})
define("NllLoss2DBackward0", {"self": _nll})
define("MultiMarginLossBackward0", {"self": _multi_margin})
define("MultilabelMarginLossBackward0", {"self": _multilabel_margin})
