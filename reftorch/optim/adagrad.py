"""``torch.optim.Adagrad``, ported from torch/optim/adagrad.py (2.13), single-tensor path (dense gradients).

State is created in the constructor for every parameter: ``step`` (float32 zero-dim tensor) and
``sum`` (``full_like(p, initial_accumulator_value)``). Each step: ``step += 1``;
``clr = lr / (1 + (step - 1) * lr_decay)``; ``sum.addcmul_(grad, grad, value=1)``;
``std = sum.sqrt().add_(eps)``; ``param.addcdiv_(grad, std, value=-clr)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import _dtype as D
from .._tensor import Tensor
from ..ops.registry import functions
from .optimizer import Optimizer, _closure_loss, _get_value, _use_grad_for_differentiable

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad (Duchi et al.) with learning-rate decay."""

    def __init__(self, params: Any, lr: float | Tensor = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, fused: bool | None = None) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
            self._need_device_dtype_check_for_fused = True
            self._step_supports_amp_scaling = True
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = (functions.zeros((), dtype=D.float32, device=p.device) if group["fused"]
                                 else functions.tensor(0.0, dtype=D.float32))
                init_value = (complex(initial_accumulator_value, initial_accumulator_value) if p.is_complex()
                              else initial_accumulator_value)
                state["sum"] = functions.full_like(p, init_value)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("fused", None)
        for s in self.state.values():
            if isinstance(s, dict) and "step" in s and not isinstance(s["step"], Tensor):
                s["step"] = functions.tensor(float(s["step"]), dtype=D.float32)

    def share_memory(self) -> None:
        """Move each ``sum`` into shared memory (a no-op for reftorch's process-local storage)."""

    @_use_grad_for_differentiable
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Adagrad step over every group; ``closure`` runs with grad enabled."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            lr = group["lr"].item() if isinstance(group["lr"], Tensor) else group["lr"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                state_sum, step_t = state["sum"], state["step"]
                step_t += 1
                step = _get_value(step_t)
                grad = p.grad if not group["maximize"] else -p.grad
                if group["weight_decay"] != 0:
                    grad = grad.add(p, alpha=group["weight_decay"])
                clr = lr / (1 + (step - 1) * group["lr_decay"])
                state_sum.addcmul_(grad, grad, value=1)
                eps = group["eps"]
                std = state_sum.sqrt() + eps if group["differentiable"] else state_sum.sqrt().add_(eps)
                p.addcdiv_(grad, std, value=-clr)
        return loss
