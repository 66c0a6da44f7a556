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

from collections.abc import Callable
from typing import Any

from .._tensor import Tensor
from ._common import check_adam_args, check_capturable, init_group, real_only
from .optimizer import (
    Optimizer,
    _closure_loss,
    _get_value,
    _step_tensors_from_numbers,
    _use_grad_for_differentiable,
)

__all__ = ["NAdam"]


class NAdam(Optimizer):
    """NAdam (Dozat): Adam with Nesterov momentum and a momentum-decay schedule."""

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
        for group in self.param_groups:
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("capturable", False)
            group.setdefault("differentiable", False)
            group.setdefault("decoupled_weight_decay", False)
        _step_tensors_from_numbers(self, ("step", "mu_product"))


    @_use_grad_for_differentiable
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One NAdam step over every group; ``closure`` runs with grad enabled."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            found = init_group(self, group, {"step": 0.0, "mu_product": 1.0}, ("exp_avg", "exp_avg_sq"))
            lr = group["lr"].item() if isinstance(group["lr"], Tensor) else group["lr"]
            beta1, beta2 = group["betas"]
            weight_decay, momentum_decay = group["weight_decay"], group["momentum_decay"]
            for param, grad, state in found:
                grad = grad if not group["maximize"] else -grad
                exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
                mu_product, step_t = state["mu_product"], state["step"]
                real_only("NAdam", param)
                if group["capturable"]:
                    check_capturable(param, [mu_product, step_t], "params, mu_products and state_steps")
                step_t += 1
                step = _get_value(step_t)
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
        return loss
