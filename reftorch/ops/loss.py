"""The ATen loss ops as registry records (aten/src/ATen/native/Loss.cpp, LossNLL.cpp, LossNLL2d.cpp,
LossMultiMargin.cpp, LossMultiLabelMargin.cpp), reached as ``torch._C._nn.<name>`` (internal records,
called through :data:`reftorch.ops.registry.vf` by ``reftorch.nn.functional``).

``reduction`` is ATen's enum: 0 none, 1 mean, 2 sum. The reduced losses are 0-dim; ``mean`` of an empty
loss is NaN, as torch's. Values compute in the result dtype (float16 in float32, rounded at the end).
Each record names torch's node (MseLossBackward0, BinaryCrossEntropyBackward0, NllLossBackward0...,
formulas in reftorch/autograd/derivatives/loss.py). The losses torch composes from other ops (l1,
cross entropy, kl_div, the embedding losses...) live in ``reftorch.nn.functional``.

``clamp_min`` (ClampMinBackward0) is here because torch's composite losses call it
(``margin_ranking_loss``, ``triplet_margin_loss``).
"""

from __future__ import annotations

from typing import Any

from .. import _dtype as D
from .._promotion import promote_types
from .._tensor import Tensor
from ._util import broadcast_shapes, cast_array, result_tensor, shape_str, unsupported_dtype
from .registry import register

NONE, MEAN, SUM = 0, 1, 2


def _compute(t: Tensor, dtype: D.dtype) -> Any:
    """``t``'s elements in ``dtype``'s compute type (float16 widened to float32)."""
    acc = D.float32 if dtype is D.float16 else dtype
    return cast_array(t._backend, t._array, acc)


def _reduced(t: Tensor, values: Any, reduction: int, dtype: D.dtype, shape: tuple[int, ...]) -> Tensor:
    """ATen's ``apply_loss_reduction``: the elementwise loss, its mean or its sum."""
    xp = t._backend.xp
    with t._backend.quiet():
        if reduction == MEAN:
            return result_tensor(xp.mean(values) if values.size else xp.asarray(float("nan")), dtype, t, ())
        if reduction == SUM:
            return result_tensor(xp.sum(values), dtype, t, ())
    return result_tensor(xp.broadcast_to(values, shape), dtype, t, shape, copy=True)


def _pointwise(kernel: str, self: Tensor, target: Tensor, reduction: int, fn: Any) -> Tensor:
    """A binary TensorIterator loss: broadcast, promote, floating dtypes only, ``fn(xp, x, y)``."""
    dtype = promote_types(self._dtype, target._dtype)
    shape = broadcast_shapes(self._shape, target._shape)
    if dtype.category != D.FLOATING:
        raise unsupported_dtype(kernel, dtype)
    xp = self._backend.xp
    with self._backend.quiet():
        values = fn(xp, _compute(self, dtype), _compute(target, dtype))
    return _reduced(self, xp.asarray(values), reduction, dtype, shape)


@register("mse_loss", "mse_loss(Tensor input, Tensor target, int64_t reduction=1)", node="MseLossBackward0",
          function=False, method=False)
def mse_loss(self: Tensor, target: Tensor, reduction: int) -> Tensor:
    """``(x - y) ** 2`` elementwise (broadcast), reduced."""
    return _pointwise("mse_cpu", self, target, reduction, lambda xp, x, y: (x - y) ** 2)


@register("smooth_l1_loss", "smooth_l1_loss(Tensor input, Tensor target, int64_t reduction=1, double beta=1.0)",
          node="SmoothL1LossBackward0", function=False, method=False)
def smooth_l1_loss(self: Tensor, target: Tensor, reduction: int, beta: float) -> Tensor:
    """``0.5 * d ** 2 / beta`` where ``|d| < beta``, else ``|d| - 0.5 * beta`` (beta >= 0)."""
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")

    def fn(xp: Any, x: Any, y: Any) -> Any:
        d = xp.abs(x - y)
        return xp.where(d < beta, 0.5 * d * d / (beta or 1.0), d - 0.5 * beta)
    return _pointwise("smooth_l1_cpu", self, target, reduction, fn)


@register("huber_loss", "huber_loss(Tensor input, Tensor target, int64_t reduction=1, double delta=1.0)",
          node="HuberLossBackward0", function=False, method=False)
def huber_loss(self: Tensor, target: Tensor, reduction: int, delta: float) -> Tensor:
    """``0.5 * d ** 2`` where ``|d| < delta``, else ``delta * (|d| - 0.5 * delta)`` (delta > 0)."""
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")

    def fn(xp: Any, x: Any, y: Any) -> Any:
        d = xp.abs(x - y)
        return xp.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta))
    return _pointwise("huber_cpu", self, target, reduction, fn)


@register("soft_margin_loss", "soft_margin_loss(Tensor input, Tensor target, int64_t reduction=1)",
          node="SoftMarginLossBackward0", function=False, method=False)
def soft_margin_loss(self: Tensor, target: Tensor, reduction: int) -> Tensor:
    """``log1p(exp(-y * x))`` elementwise, reduced."""
    return _pointwise("soft_margin_loss", self, target, reduction, lambda xp, x, y: xp.log1p(xp.exp(-x * y)))


@register("binary_cross_entropy", "binary_cross_entropy(Tensor input, Tensor target, Tensor? weight=None, "
          "int64_t reduction=1)", node="BinaryCrossEntropyBackward0", function=False, method=False)
def binary_cross_entropy(self: Tensor, target: Tensor, weight: Tensor | None, reduction: int) -> Tensor:
    """``-w * (y * max(log x, -100) + (1 - y) * max(log(1 - x), -100))``; every ``x`` must lie in [0, 1]."""
    dtype = self._dtype
    if dtype.category != D.FLOATING:
        raise unsupported_dtype("binary_cross_entropy", dtype)
    if self._shape != target._shape:
        broadcast_shapes(self._shape, target._shape)
    xp = self._backend.xp
    x, y = _compute(self, dtype), _compute(target, dtype)
    if not bool(xp.all((x >= 0) & (x <= 1))):
        raise RuntimeError("all elements of input should be between 0 and 1")
    with self._backend.quiet():
        values = (y - 1) * xp.maximum(xp.log1p(-x), -100) - y * xp.maximum(xp.log(x), -100)
        if weight is not None:
            values = values * _compute(weight, dtype)
    return _reduced(self, xp.asarray(values), reduction, dtype, self._shape)


@register("binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits(Tensor input, Tensor target, "
          "Tensor? weight=None, Tensor? pos_weight=None, int64_t reduction=1)",
          node="BinaryCrossEntropyWithLogitsBackward0", method=False)
def binary_cross_entropy_with_logits(self: Tensor, target: Tensor, weight: Tensor | None,
                                     pos_weight: Tensor | None, reduction: int) -> Tensor:
    """``(1 - y) * x - (1 + (pw - 1) * y) * log_sigmoid(x)``, times ``weight``, reduced (stable for any x)."""
    dtype = promote_types(self._dtype, target._dtype)
    if dtype.category != D.FLOATING:
        raise unsupported_dtype("log_sigmoid_cpu", dtype)
    shape = broadcast_shapes(self._shape, target._shape)
    xp = self._backend.xp
    x, y = _compute(self, dtype), _compute(target, dtype)
    with self._backend.quiet():
        log_sig = xp.minimum(x, 0) - xp.log1p(xp.exp(-xp.abs(x)))
        if pos_weight is not None:
            pw = _compute(pos_weight, dtype)
            shape = broadcast_shapes(shape, pos_weight._shape)
            log_sig = log_sig * ((pw - 1) * y + 1)
        values = (1 - y) * x - log_sig
        if weight is not None:
            shape = broadcast_shapes(shape, weight._shape)
            values = values * _compute(weight, dtype)
    return _reduced(self, xp.asarray(values), reduction, dtype, shape)


# ----------------------------------------------------------------------------- nll_loss / nll_loss2d
def _nll_targets(self: Tensor, target: Tensor, weight: Tensor | None, ignore_index: int, compute: Any) -> tuple:
    """Per sample: its target class (0 where ignored) and its weight ``w[t]`` (0 where ignored), in
    ``compute``; a 1-D input takes the first target."""
    xp = self._backend.xp
    n_classes = self._shape[-1] if self.dim() == 1 else self._shape[1]
    t = target._array.astype("int64", copy=False).reshape(-1)
    if self.dim() == 1:
        t = t[:1]
    valid = t != ignore_index
    bad = valid & ((t < 0) | (t >= n_classes))
    if bad.any():
        raise IndexError(f"Target {int(t[bad][0])} is out of bounds.")
    safe = xp.where(valid, t, 0)
    if weight is None:
        return safe, valid.astype(compute)
    return safe, xp.where(valid, _compute(weight, self._dtype)[safe], 0).astype(compute)


def _nll(self: Tensor, target: Tensor, weight: Tensor | None, reduction: int, ignore_index: int) -> Tensor:
    """The shared kernel: ``-w[t] * x[..., t, ...]`` over the class dim (1, or 0 for a 1-D input)."""
    if target._dtype not in (D.int64, D.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {target._dtype.scalar_name}")
    dtype = self._dtype
    if dtype.category != D.FLOATING:
        raise unsupported_dtype("nll_loss_out_frame", dtype)
    xp = self._backend.xp
    n_classes = self._shape[-1] if self.dim() == 1 else self._shape[1]
    x = _compute(self, dtype)
    if self.dim() > 2:  # nll_loss2d: the class dim last
        x = xp.moveaxis(x, 1, -1)
    x = x.reshape(-1, n_classes)
    safe, tw = _nll_targets(self, target, weight, ignore_index, x.dtype)
    values = -x[xp.arange(x.shape[0]), safe] * tw
    if reduction == NONE:
        out_shape = () if self.dim() == 1 else tuple(target._shape)
        return result_tensor(values, dtype, self, out_shape)
    total = values.sum()
    with self._backend.quiet():
        value = total / tw.sum() if reduction == MEAN else total
    return result_tensor(value, dtype, self, ())


def nll_total_weight(self: Tensor, target: Tensor, weight: Tensor | None, ignore_index: int) -> Tensor:
    """The ``total_weight`` output of ATen's ``nll_loss_forward``: the sum of the targets' weights
    (the divisor of 'mean'), a 0-dim tensor of ``self``'s dtype."""
    compute = _compute(self, self._dtype).dtype
    return result_tensor(_nll_targets(self, target, weight, ignore_index, compute)[1].sum(), self._dtype, self, ())


@register("nll_loss_backward", "nll_loss_backward(Tensor grad_output, Tensor input, Tensor target, Tensor? weight, "
          "int64_t reduction, SymInt ignore_index, Tensor total_weight)", node="NllLossBackwardBackward0",
          function=False, method=False)
def nll_loss_backward(grad_output: Tensor, self: Tensor, target: Tensor, weight: Tensor | None, reduction: int,
                      ignore_index: int, total_weight: Tensor) -> Tensor:
    """``aten::nll_loss_backward`` (LossNLL.cpp's ``nll_loss_backward_out_frame``) for 1-D (C) or 2-D
    (N, C) inputs: zeros, with ``-w[t] * grad`` at each sample's target class (0 where ignored),
    ``grad`` divided by ``total_weight`` for 'mean'."""
    xp = self._backend.xp
    dtype = self._dtype
    compute = _compute(self, dtype).dtype
    safe, tw = _nll_targets(self, target, weight, ignore_index, compute)
    g = grad_output._array.astype(compute, copy=False).reshape(-1)
    with self._backend.quiet():
        if reduction == MEAN:
            g = g / total_weight._array.astype(compute)
        res = xp.zeros((safe.shape[0], self._shape[-1]), dtype=compute)
        res[xp.arange(safe.shape[0]), safe] = -(tw * g)
    return result_tensor(res, dtype, self, self._shape)


@register("nll_loss", "nll_loss(Tensor input, Tensor target, Tensor? weight=None, int64_t reduction=1, "
          "SymInt ignore_index=-100)", node="NllLossBackward0", function=False, method=False)
def nll_loss(self: Tensor, target: Tensor, weight: Tensor | None, reduction: int, ignore_index: int) -> Tensor:
    """ATen's ``nll_loss`` for 1-D (C) or 2-D (N, C) inputs; 'mean' divides by the total target weight."""
    if not 0 < self.dim() <= 2:
        raise RuntimeError("input tensor should be 1D or 2D")
    if target.dim() > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if not (self.dim() == 1 and target.dim() == 0) and self._shape[0] != target._shape[0]:
        raise RuntimeError(f"size mismatch (got input: {shape_str(self._shape)}, target: {shape_str(target._shape)})")
    n_classes = self._shape[-1]
    if weight is not None and (weight.dim() != 1 or weight.numel() != n_classes):
        raise RuntimeError(f"weight tensor should be defined either for all {n_classes} classes or no classes but "
                           f"got weight tensor of shape: {shape_str(weight._shape)}")
    return _nll(self, target, weight, reduction, ignore_index)


@register("nll_loss2d", "nll_loss2d(Tensor input, Tensor target, Tensor? weight=None, int64_t reduction=1, "
          "SymInt ignore_index=-100)", node="NllLoss2DBackward0", function=False, method=False)
def nll_loss2d(self: Tensor, target: Tensor, weight: Tensor | None, reduction: int, ignore_index: int) -> Tensor:
    """ATen's ``nll_loss2d`` for (N, C, H, W) inputs and (N, H, W) targets."""
    if target.dim() != 3:
        raise RuntimeError(f"only batches of spatial targets supported (3D tensors) but got targets of dimension: "
                           f"{target.dim()}")
    if self.dim() != 4:
        raise RuntimeError(f"only batches of spatial inputs supported (4D tensors), but got input of dimension: "
                           f"{self.dim()}")
    n_classes = self._shape[1]
    if weight is not None and weight.numel() != n_classes:
        raise RuntimeError(f"weight tensor should be defined either for all {n_classes} classes or no classes but "
                           f"got weight tensor of shape: {shape_str(weight._shape)}")
    s, t = self._shape, target._shape
    if (s[0], s[2], s[3]) != tuple(t):
        raise RuntimeError(f"size mismatch (got input: {shape_str(s)} , target: {shape_str(t)}")
    return _nll(self, target, weight, reduction, ignore_index)


# ----------------------------------------------------------------------------- margin losses over classes
def _margin_input(self: Tensor, target: Tensor, name: str) -> tuple[int, int]:
    """(N, C) of a vector or matrix input (torch's ``multi_margin_loss_shape_check``)."""
    nd = self.dim()
    if not ((nd == 2 and self._shape[1] != 0) or (nd == 1 and self._shape[0] != 0) or nd == 0):
        raise RuntimeError("Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
                           f"{shape_str(self._shape)}")
    return (1, self.numel()) if nd <= 1 else (self._shape[0], self._shape[1])


@register("multi_margin_loss", "multi_margin_loss(Tensor input, Tensor target, Scalar p=1, Scalar margin=1, "
          "Tensor? weight=None, int64_t reduction=1)", node="MultiMarginLossBackward0", function=False,
          method=False)
def multi_margin_loss(self: Tensor, target: Tensor, p: Any, margin: Any, weight: Tensor | None,
                      reduction: int) -> Tensor:
    """``sum_{i != y} w[y] * max(0, margin - x[y] + x[i]) ** p / C`` per sample (p in {1, 2})."""
    n, c = _margin_input(self, target, "multi_margin_loss")
    if p not in (1, 2):
        raise RuntimeError("only p == 1 and p == 2 supported")
    xp = self._backend.xp
    x = _compute(self, self._dtype).reshape(n, c)
    t = target._array.astype("int64").reshape(-1)
    if bool(xp.any((t < 0) | (t >= c))):
        raise RuntimeError("target out of range")
    z = xp.maximum(margin - x[xp.arange(n), t][:, None] + x, 0) ** p
    if weight is not None:
        z = z * _compute(weight, self._dtype)[t][:, None]
    z[xp.arange(n), t] = 0
    per = z.sum(axis=1) / c
    if reduction == NONE:
        return result_tensor(per, self._dtype, self, (n,) if self.dim() == 2 else ())
    return _reduced(self, per, reduction, self._dtype, ())


@register("multilabel_margin_loss", "multilabel_margin_loss(Tensor input, Tensor target, int64_t reduction=1)",
          node="MultilabelMarginLossBackward0", function=False, method=False)
def multilabel_margin_loss(self: Tensor, target: Tensor, reduction: int) -> Tensor:
    """``sum_{j in targets, i not in targets} max(0, 1 - (x[j] - x[i])) / C`` per sample; a target row
    lists class indices and ends at its first -1."""
    n, c = _margin_input(self, target, "multilabel_margin_loss")
    if target._shape != self._shape:
        raise RuntimeError(f"inconsistent target size: {shape_str(target._shape)} for input of size: "
                           f"{shape_str(self._shape)}")
    xp = self._backend.xp
    x = _compute(self, self._dtype).reshape(n, c)
    t = target._array.astype("int64").reshape(n, c)
    member = _label_members(xp, t, c)
    margins = xp.maximum(1 - (x[:, :, None] - x[:, None, :]), 0)  # [n, j, i]
    per = (margins * (member[:, :, None] & ~member[:, None, :])).sum(axis=(1, 2)) / c
    if reduction == NONE:
        return result_tensor(per, self._dtype, self, (n,) if self.dim() == 2 else ())
    return _reduced(self, per, reduction, self._dtype, ())


def _label_members(xp: Any, t: Any, c: int) -> Any:
    """Boolean (N, C): class k is a target of sample n (the indices before the row's first -1)."""
    member = xp.zeros(t.shape, dtype=bool)
    for row in range(t.shape[0]):
        for k in t[row]:
            if k < 0:
                break
            if k >= c:
                raise RuntimeError("argument #2 'target' is out of range")
            member[row, k] = True
    return member


__all__ = ["binary_cross_entropy", "binary_cross_entropy_with_logits", "huber_loss", "mse_loss",
           "multi_margin_loss", "multilabel_margin_loss", "nll_loss", "nll_loss2d", "smooth_l1_loss",
           "soft_margin_loss"]
