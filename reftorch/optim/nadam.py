"""``torch.optim.NAdam``, ported from torch/optim/nadam.py (2.13), single-tensor path.

State per parameter: ``step`` and ``mu_product`` (float32 zero-dim tensors, 0 and 1), ``exp_avg`` and
``exp_avg_sq``. Each step, in torch's order: ``step += 1``; ``bias_correction2 = 1 - beta2 ** step``;
weight decay (decoupled: ``param.mul_(1 - lr * wd)``, else ``grad = grad.add(param, alpha=wd)``);
``mu = beta1 * (1 - 0.5 * 0.96 ** (step * momentum_decay))`` and ``mu_next`` the same at ``step + 1``;
``mu_product *= mu`` (in float32); ``exp_avg.lerp_(grad, 1 - beta1)``;
``exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)``;
``denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps)``; then
``param.addcdiv_(grad, denom, value=-lr * (1 - mu) / (1 - mu_product))`` and
``param.addcdiv_(exp_avg, denom, value=-lr * mu_next / (1 - mu_product * mu_next))``.
"""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ._common import PerParameterOptimizer, check_adam_args
from .optimizer import _get_value, _group_defaults

__all__ = ["NAdam"]


class NAdam(PerParameterOptimizer):
    """NAdam (Dozat): Adam with Nesterov momentum and a momentum-decay schedule."""

    _scalars = {"step": 0.0, "mu_product": 1.0}
    _buffers = ("exp_avg", "exp_avg_sq")
    _capturable_what = "params, mu_products and state_steps"

    def __init__(self, params: Any, lr: float | Tensor = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False) -> None:
        check_adam_args(lr, eps, betas, weight_decay)
        if not 0.0 <= momentum_decay:
            raise ValueError(f"Invalid momentum_decay value: {momentum_decay}")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "momentum_decay": momentum_decay, "decoupled_weight_decay": decoupled_weight_decay,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        _group_defaults(self, {"maximize": False, "foreach": None, "capturable": False, "differentiable": False,
                              "decoupled_weight_decay": False}, ("step", "mu_product"))

    def _update(self, group: dict[str, Any], lr: float, param: Tensor, grad: Tensor, state: dict[str, Any]) -> None:
        beta1, beta2 = group["betas"]
        weight_decay, momentum_decay = group["weight_decay"], group["momentum_decay"]
        exp_avg, exp_avg_sq, mu_product = state["exp_avg"], state["exp_avg_sq"], state["mu_product"]
        step = _get_value(state["step"])
        bias_correction2 = 1 - beta2**step
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                param.mul_(1 - lr * weight_decay)
            else:
                grad = grad.add(param, alpha=weight_decay)
        mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
        mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
        mu_product *= mu
        exp_avg.lerp_(grad, 1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        denom = exp_avg_sq.div(bias_correction2).sqrt().add_(group["eps"])
        product = _get_value(mu_product)
        param.addcdiv_(grad, denom, value=(-lr * (1.0 - mu) / (1.0 - product)))
        param.addcdiv_(exp_avg, denom, value=(-lr * mu_next) / (1.0 - product * mu_next))
