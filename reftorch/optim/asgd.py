"""``torch.optim.ASGD``, ported from torch/optim/asgd.py (2.13), single-tensor path.

State per parameter: ``step``, ``eta`` (the current learning rate, ``lr`` at first) and ``mu`` (the
averaging weight, 1 at first) as float32 zero-dim tensors, and ``ax`` (the averaged parameter). Each
step: ``grad = -grad`` if maximize; ``step += 1``; ``grad = grad.add(param, alpha=wd)``;
``param.mul_(1 - lambd * eta)`` and ``param.add_(grad, alpha=-eta)`` with ``eta`` read as a Python number;
``ax.copy_(param)`` while ``mu`` is 1, else ``ax.add_(param.sub(ax).mul_(mu))``; then
``eta = lr / (1 + lambd * lr * step) ** alpha`` and ``mu = 1 / max(1, step - t0)``, computed with Python
floats and stored (rounded) into the float32 state.
"""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ..ops.registry import functions
from ._common import PerParameterOptimizer, check_lr, scalar_state
from .optimizer import _get_value, _group_defaults, _to_scalar

__all__ = ["ASGD"]


class ASGD(PerParameterOptimizer):
    """Averaged stochastic gradient descent (Polyak & Juditsky): SGD whose iterates are also averaged."""

    _capturable_what = "params, mus, etas, and state_steps"

    def __init__(self, params: Any, lr: float | Tensor = 1e-2, lambd: float = 1e-4, alpha: float = 0.75,
                 t0: float = 1e6, weight_decay: float = 0, foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        check_lr(lr)
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0, "weight_decay": weight_decay,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                    "capturable": capturable}
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        _group_defaults(self, {"foreach": None, "maximize": False, "differentiable": False, "capturable": False},
                        ("step", "eta", "mu"))

    def _initial_state(self, group: dict[str, Any], param: Tensor) -> dict[str, Tensor]:
        # torch makes all three on the parameter's device, capturable or not
        return {"step": scalar_state(0.0, param, True), "eta": scalar_state(_to_scalar(group["lr"]), param, True),
                "mu": scalar_state(1.0, param, True), "ax": functions.zeros_like(param)}

    def _update(self, group: dict[str, Any], lr: float, param: Tensor, grad: Tensor, state: dict[str, Any]) -> None:
        lambd, alpha, t0 = group["lambd"], group["alpha"], group["t0"]
        eta, mu, ax = state["eta"], state["mu"], state["ax"]
        if group["weight_decay"] != 0:
            grad = grad.add(param, alpha=group["weight_decay"])
        eta_value = _get_value(eta)
        param.mul_(1 - lambd * eta_value)
        param.add_(grad, alpha=-eta_value)
        if mu.item() != 1:
            ax.add_(param.sub(ax).mul_(mu))
        else:
            ax.copy_(param)
        step = _get_value(state["step"])
        eta.copy_(functions.as_tensor(lr / ((1 + lambd * lr * step) ** alpha)))
        mu.copy_(functions.as_tensor(1 / max(1, step - t0)))
