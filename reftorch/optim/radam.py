"""``torch.optim.RAdam``, ported from torch/optim/radam.py (2.13), single-tensor path.

State per parameter: ``step`` (float32 zero-dim tensor), ``exp_avg`` and ``exp_avg_sq``. Each step, in
torch's order: ``step += 1``; weight decay (decoupled: ``param.mul_(1 - lr * wd)``, else
``grad = grad.add(param, alpha=wd)``); ``exp_avg.lerp_(grad, 1 - beta1)``;
``exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)``; with Python floats
``rho_inf = 2 / (1 - beta2) - 1`` and ``rho_t = rho_inf - 2 * step * beta2 ** step / (1 - beta2 ** step)``;
when ``rho_t > 5`` the rectified adaptive step ``param.add_(exp_avg / bc1 * lr * (bc2 ** 0.5 /
exp_avg_sq.sqrt().add_(eps)) * rect, alpha=-1)``, else the un-adapted ``param.add_(exp_avg / bc1 * lr,
alpha=-1)``.
"""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ._common import PerParameterOptimizer, check_adam_args
from .optimizer import _get_value, _group_defaults

__all__ = ["RAdam"]


class RAdam(PerParameterOptimizer):
    """RAdam (Liu et al.): Adam with the variance of its adaptive learning rate rectified."""

    _buffers = ("exp_avg", "exp_avg_sq")

    def __init__(self, params: Any, lr: float | Tensor = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, decoupled_weight_decay: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        check_adam_args(lr, eps, betas, weight_decay)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "foreach": foreach, "capturable": capturable, "decoupled_weight_decay": decoupled_weight_decay,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        _group_defaults(self, {"foreach": None, "maximize": False, "differentiable": False,
                              "decoupled_weight_decay": False, "capturable": False})

    def _update(self, group: dict[str, Any], lr: float, param: Tensor, grad: Tensor, state: dict[str, Any]) -> None:
        beta1, beta2 = group["betas"]
        eps, weight_decay = group["eps"], group["weight_decay"]
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        step = _get_value(state["step"])
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                param.mul_(1 - lr * weight_decay)
            else:
                grad = grad.add(param, alpha=weight_decay)
        exp_avg.lerp_(grad, 1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        bias_corrected_exp_avg = exp_avg / bias_correction1
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * (beta2**step) / bias_correction2
        if rho_t > 5.0:
            rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
            exp_avg_sq_sqrt = exp_avg_sq.sqrt()
            exp_avg_sq_sqrt = exp_avg_sq_sqrt.add(eps) if group["differentiable"] else exp_avg_sq_sqrt.add_(eps)
            adaptive_lr = (bias_correction2**0.5) / exp_avg_sq_sqrt
            param.add_(bias_corrected_exp_avg * lr * adaptive_lr * rect, alpha=-1.0)
        else:
            param.add_(bias_corrected_exp_avg * lr, alpha=-1.0)
