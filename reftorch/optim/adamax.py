"""``torch.optim.Adamax``, ported from torch/optim/adamax.py (2.13), single-tensor path.

State per parameter: ``step`` (float32 zero-dim tensor), ``exp_avg`` and ``exp_inf`` (the infinity norm).
Each step, in torch's order: ``grad = -grad`` if maximize; ``step += 1``; ``grad = grad.add(param,
alpha=wd)``; ``exp_avg.lerp_(grad, 1 - beta1)``; ``exp_inf = maximum(exp_inf.mul_(beta2),
grad.abs().add_(eps))`` written into ``exp_inf``; ``clr = lr / (1 - beta1 ** step)`` with Python floats;
``param.addcdiv_(exp_avg, exp_inf, value=-clr)``.
"""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ..ops.registry import functions
from ._common import PerParameterOptimizer, check_adam_args
from .optimizer import _get_value, _group_defaults

__all__ = ["Adamax"]


class Adamax(PerParameterOptimizer):
    """Adamax: the Adam variant based on the infinity norm (Kingma & Ba, section 7)."""

    _buffers = ("exp_avg", "exp_inf")

    def __init__(self, params: Any, lr: float | Tensor = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, capturable: bool = False) -> None:
        check_adam_args(lr, eps, betas, weight_decay)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        _group_defaults(self, {"foreach": None, "maximize": False, "differentiable": False, "capturable": False})

    def _update(self, group: dict[str, Any], lr: float, param: Tensor, grad: Tensor, state: dict[str, Any]) -> None:
        beta1, beta2 = group["betas"]
        exp_avg, exp_inf = state["exp_avg"], state["exp_inf"]
        if group["weight_decay"] != 0:
            grad = grad.add(param, alpha=group["weight_decay"])
        exp_avg.lerp_(grad, 1 - beta1)
        exp_inf.copy_(functions.maximum(exp_inf.mul_(beta2), grad.abs().add_(group["eps"])))
        clr = lr / (1 - beta1 ** _get_value(state["step"]))
        param.addcdiv_(exp_avg, exp_inf, value=-clr)
