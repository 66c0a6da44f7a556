"""``torch.optim.Rprop``, ported from torch/optim/rprop.py (2.13), single-tensor path.

State per parameter: ``step`` (float32 zero-dim tensor), ``prev`` (the previous step's gradient, zeros at
first) and ``step_size`` (every element ``lr`` at first: the only use of ``lr``). Each step: ``grad = -grad``
if maximize; ``step += 1``; ``sign = grad.mul(prev).sign()`` with its positive elements set to ``etaplus``,
negative ones to ``etaminus`` and zeros to 1; ``step_size.mul_(sign).clamp_(*step_sizes)``; the gradient
is zeroed where the sign changed (``sign == etaminus``); ``param.addcmul_(grad.sign(), step_size,
value=-1)``; ``prev.copy_(grad)``.
"""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ..ops.registry import functions
from ._common import PerParameterOptimizer, check_lr
from .optimizer import _group_defaults, _to_scalar

__all__ = ["Rprop"]


class Rprop(PerParameterOptimizer):
    """Resilient backpropagation: per-element step sizes grown or shrunk by the sign of successive gradients."""

    def __init__(self, params: Any, lr: float | Tensor = 1e-2, etas: tuple[float, float] = (0.5, 1.2),
                 step_sizes: tuple[float, float] = (1e-6, 50), *, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        check_lr(lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = {"lr": lr, "etas": etas, "step_sizes": step_sizes, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        _group_defaults(self, {"foreach": None, "maximize": False, "differentiable": False, "capturable": False})

    def _initial_state(self, group: dict[str, Any], param: Tensor) -> dict[str, Tensor]:
        state = super()._initial_state(group, param)
        state["prev"] = functions.zeros_like(param)
        state["step_size"] = functions.full_like(param.grad, _to_scalar(group["lr"]))
        return state

    def _update(self, group: dict[str, Any], lr: float, param: Tensor, grad: Tensor, state: dict[str, Any]) -> None:
        etaminus, etaplus = group["etas"]
        step_size_min, step_size_max = group["step_sizes"]
        prev, step_size = state["prev"], state["step_size"]
        sign = grad.mul(prev).sign()
        sign[sign.gt(0)] = etaplus
        sign[sign.lt(0)] = etaminus
        sign[sign.eq(0)] = 1
        step_size.mul_(sign).clamp_(step_size_min, step_size_max)
        grad = grad.clone()
        grad[sign.eq(etaminus)] = 0
        param.addcmul_(grad.sign(), step_size, value=-1)
        prev.copy_(grad)
