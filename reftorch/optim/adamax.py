"""``torch.optim.Adamax``, ported from torch/optim/adamax.py (2.13), single-tensor path.

State per parameter: ``step`` (float32 zero-dim tensor), ``exp_avg`` and ``exp_inf`` (the infinity norm).
Each step, in torch's order: ``grad = -grad`` if maximize; ``step += 1``; ``grad = grad.add(param,
alpha=wd)``; ``exp_avg.lerp_(grad, 1 - beta1)``; ``exp_inf = maximum(exp_inf.mul_(beta2),
grad.abs().add_(eps))`` written into ``exp_inf``; ``clr = lr / (1 - beta1 ** step)`` with Python floats;
``param.addcdiv_(exp_avg, exp_inf, value=-clr)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._tensor import Tensor
from ..ops.registry import functions
from ._common import check_adam_args, check_capturable, init_group, real_only
from .optimizer import (
    Optimizer,
    _closure_loss,
    _get_value,
    _step_tensors_from_numbers,
    _use_grad_for_differentiable,
)

__all__ = ["Adamax"]


class Adamax(Optimizer):
    """Adamax: the Adam variant based on the infinity norm (Kingma & Ba, section 7)."""

    def __init__(self, params: Any, lr: float | Tensor = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, capturable: bool = False) -> None:
        check_adam_args(lr, eps, betas, weight_decay)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("capturable", False)
        _step_tensors_from_numbers(self)


    @_use_grad_for_differentiable
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Adamax step over every group; ``closure`` runs with grad enabled."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            found = init_group(self, group, {"step": 0.0}, ("exp_avg", "exp_inf"))
            lr = group["lr"].item() if isinstance(group["lr"], Tensor) else group["lr"]
            beta1, beta2 = group["betas"]
            eps, weight_decay = group["eps"], group["weight_decay"]
            for param, grad, state in found:
                grad = grad if not group["maximize"] else -grad
                exp_avg, exp_inf, step_t = state["exp_avg"], state["exp_inf"], state["step"]
                if group["capturable"]:
                    check_capturable(param, [step_t])
                real_only("Adamax", param)
                step_t += 1
                if weight_decay != 0:
                    grad = grad.add(param, alpha=weight_decay)
                exp_avg.lerp_(grad, 1 - beta1)
                exp_inf.copy_(functions.maximum(exp_inf.mul_(beta2), grad.abs().add_(eps)))
                clr = lr / (1 - beta1 ** _get_value(step_t))
                param.addcdiv_(exp_avg, exp_inf, value=-clr)
        return loss
