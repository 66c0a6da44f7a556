"""``torch.optim.RMSprop``, ported from torch/optim/rmsprop.py (2.13), single-tensor path.

State: ``step`` (float32 zero-dim tensor), ``square_avg``, ``momentum_buffer`` (momentum > 0) and
``grad_avg`` (centered). Each step: ``square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)``;
centered: ``grad_avg.lerp_(grad, 1 - alpha)`` and ``avg = square_avg.addcmul(grad_avg, grad_avg,
value=-1).sqrt_()``, else ``avg = square_avg.sqrt()``; ``avg.add_(eps)``; with momentum
``buf.mul_(m).addcdiv_(grad, avg)`` and ``param.add_(buf, alpha=-lr)``, else
``param.addcdiv_(grad, avg, value=-lr)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import _dtype as D
from .._tensor import Tensor
from ..ops.registry import functions
from ._common import check_capturable
from .optimizer import Optimizer, _closure_loss, _group_defaults, _use_grad_for_differentiable

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop (Hinton), optionally centered and with momentum."""

    def __init__(self, params: Any, lr: float | Tensor = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered,
                    "weight_decay": weight_decay, "capturable": capturable, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        _group_defaults(self, {"momentum": 0, "centered": False, "foreach": None, "maximize": False,
                              "differentiable": False, "capturable": False})

    @_use_grad_for_differentiable
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One RMSprop step over every group; ``closure`` runs with grad enabled."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            lr = group["lr"].item() if isinstance(group["lr"], Tensor) else group["lr"]
            alpha, eps, momentum = group["alpha"], group["eps"], group["momentum"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = (functions.zeros((), dtype=D.float32, device=p.device) if group["capturable"]
                                     else functions.zeros((), dtype=D.float32))
                    state["square_avg"] = functions.zeros_like(p)
                    if momentum > 0:
                        state["momentum_buffer"] = functions.zeros_like(p)
                    if group["centered"]:
                        state["grad_avg"] = functions.zeros_like(p)
                grad = p.grad if not group["maximize"] else -p.grad
                square_avg = state["square_avg"]
                step = state["step"]
                if group["capturable"]:
                    check_capturable(p, [step])
                step += 1
                if group["weight_decay"] != 0:
                    grad = grad.add(p, alpha=group["weight_decay"])
                square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
                if group["centered"]:
                    grad_avg = state["grad_avg"]
                    grad_avg.lerp_(grad, 1 - alpha)
                    avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
                else:
                    avg = square_avg.sqrt()
                avg = avg.add(eps) if group["differentiable"] else avg.add_(eps)
                if momentum > 0:
                    buf = state["momentum_buffer"]
                    buf.mul_(momentum).addcdiv_(grad, avg)
                    p.add_(buf, alpha=-lr)
                else:
                    p.addcdiv_(grad, avg, value=-lr)
        return loss
