"""``torch.optim.Adadelta``, ported from torch/optim/adadelta.py (2.13), single-tensor path.

State per parameter: ``step`` (float32 zero-dim tensor), ``square_avg`` and ``acc_delta``. Each step, in
torch's order: ``step += 1``; ``grad = -grad`` if maximize; ``grad = grad.add(param, alpha=wd)``;
``square_avg.mul_(rho).addcmul_(grad, grad, value=1 - rho)``; ``std = square_avg.add(eps).sqrt_()``;
``delta = acc_delta.add(eps).sqrt_().div_(std).mul_(grad)``;
``acc_delta.mul_(rho).addcmul_(delta, delta, value=1 - rho)``; ``param.add_(delta, alpha=-lr)``.
"""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ._common import PerParameterOptimizer, check_lr
from .optimizer import _group_defaults

__all__ = ["Adadelta"]


class Adadelta(PerParameterOptimizer):
    """Adadelta (Zeiler): per-coordinate steps from running averages of squared gradients and updates."""

    _buffers = ("square_avg", "acc_delta")
    _capturable_xla = False

    def __init__(self, params: Any, lr: float | Tensor = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0, foreach: bool | None = None, *, capturable: bool = False,
                 maximize: bool = False, differentiable: bool = False) -> None:
        check_lr(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "capturable": capturable, "foreach": foreach, "differentiable": differentiable}
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        _group_defaults(self, {"foreach": None, "maximize": False, "differentiable": False, "capturable": False})

    def _update(self, group: dict[str, Any], lr: float, param: Tensor, grad: Tensor, state: dict[str, Any]) -> None:
        rho, eps = group["rho"], group["eps"]
        if group["weight_decay"] != 0:
            grad = grad.add(param, alpha=group["weight_decay"])
        square_avg, acc_delta = state["square_avg"], state["acc_delta"]
        square_avg.mul_(rho).addcmul_(grad, grad, value=1 - rho)
        std = square_avg.add(eps).sqrt_()
        delta = acc_delta.add(eps).sqrt_()
        if group["differentiable"]:
            delta = delta.clone()
        delta.div_(std).mul_(grad)
        acc_delta.mul_(rho).addcmul_(delta, delta, value=1 - rho)
        param.add_(delta, alpha=-lr)
