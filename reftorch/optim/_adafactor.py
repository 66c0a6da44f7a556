"""``torch.optim.Adafactor``, ported from torch/optim/_adafactor.py (2.13), single-tensor path.

State per parameter, made from its gradient: ``step`` (float32 zero-dim tensor on the CPU), then for a
gradient of two or more dimensions the factored second moment ``row_var`` (the gradient's shape with the
last size 1) and ``col_var`` (with the second-to-last size 1), else ``variance`` (the gradient's shape).
Each step, in torch's order: ``grad = -grad`` if maximize; ``step += 1`` read back as a Python float
``t``; ``eps1`` (None: the machine epsilon of the first stepped parameter's dtype, kept for the rest of
the group, as torch's loop keeps it); ``one_minus_beta2 = t ** beta2_decay``; ``rho = min(lr, 1 / t **
0.5)``; ``alpha = max(eps2, ||param|| / sqrt(numel)) * rho``; ``param.mul_(1 - lr * wd)``; the factors
lerped towards the row/column means of ``grad ** 2`` (as squared norms over the size) and ``row_var @
col_var / max(mean of row_var over rows, eps1)`` as the variance estimate, or ``variance`` lerped towards
``grad * grad`` and cloned; ``update = rsqrt(max(estimate, eps1 ** 2)) * grad``; ``param.add_(update,
alpha=-alpha / max(1, rms(update) / d))``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import _dtype as D
from .._tensor import Tensor
from .._type_info import finfo
from ..autograd import grad_mode
from ..ops.registry import functions
from .optimizer import Optimizer, _closure_loss, _group_defaults, _to_scalar

__all__ = ["Adafactor"]


def _check_args(lr: Any, beta2_decay: float, eps: tuple[float | None, float], d: float, weight_decay: float) -> None:
    """Adafactor's own checks, in torch's order and words (not the other optimizers' ``Invalid ...``)."""
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    if not 0.0 <= lr:
        raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
    if not 0.0 >= beta2_decay:
        raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
    if eps[0] is not None and not 0.0 <= eps[0]:
        raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
    if not 0.0 <= eps[1]:
        raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
    if not 1.0 <= d:
        raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
    if not 0.0 <= weight_decay:
        raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")


def _initial_state(grad: Tensor) -> dict[str, Tensor]:
    """``_init_group``'s first state of a parameter, shaped from its gradient."""
    state = {"step": functions.tensor(0.0, dtype=D.float32)}
    if grad.dim() > 1:
        state["row_var"] = grad.new_zeros([*grad.shape[:-1], 1])
        state["col_var"] = grad.new_zeros([*grad.shape[:-2], 1, grad.shape[-1]])
    else:
        state["variance"] = functions.zeros_like(grad)
    return state


def _variance_estimate(grad: Tensor, state: dict[str, Tensor], one_minus_beta2: float, eps1: float) -> Tensor:
    """The second-moment estimate: factored over the last two dimensions, or the full ``variance``."""
    if grad.dim() > 1:
        row_var, col_var = state["row_var"], state["col_var"]
        row_var.lerp_(functions.norm(grad, dim=-1, keepdim=True).square_().div_(grad.size(-1)), one_minus_beta2)
        col_var.lerp_(functions.norm(grad, dim=-2, keepdim=True).square_().div_(grad.size(-2)), one_minus_beta2)
        estimate = row_var @ col_var
        return estimate.div_(row_var.mean(dim=-2, keepdim=True).clamp_(min=eps1))
    variance = state["variance"]
    variance.lerp_(grad * grad, one_minus_beta2)
    return variance.clone()


class Adafactor(Optimizer):
    """Adafactor (Shazeer & Stern): Adam-like steps from a factored second moment, scaled by the
    parameter's RMS, with torch's use of ``lr`` (weight decay, cap of the relative step) and ``eps1``."""

    def __init__(self, params: Any, lr: float | Tensor = 1e-2, beta2_decay: float = -0.8,
                 eps: tuple[float | None, float] = (None, 1e-3), d: float = 1.0, weight_decay: float = 0.0, *,
                 foreach: bool | None = None, maximize: bool = False) -> None:
        _check_args(lr, beta2_decay, eps, d, weight_decay)
        defaults = {"lr": lr, "beta2_decay": beta2_decay, "eps": eps, "d": d, "weight_decay": weight_decay,
                    "foreach": foreach, "maximize": maximize}
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        _group_defaults(self, {"foreach": None})

    def _init_group(self, group: dict[str, Any]) -> list[tuple[Tensor, Tensor, dict[str, Tensor]]]:
        """(parameter, gradient, state) of each parameter with a gradient; complex ones refused first."""
        found = []
        for p in group["params"]:
            if p.grad is None:
                continue
            if p.is_complex():
                raise RuntimeError("Adafactor does not support complex parameters")
            state = self.state[p]
            if len(state) == 0:
                state.update(_initial_state(p.grad))
            found.append((p, p.grad, state))
        return found

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One step over every group (under no_grad); ``closure`` runs with grad enabled."""
        with grad_mode.no_grad():
            loss = _closure_loss(closure)
            for group in self.param_groups:
                self._step_group(group)
        return loss

    def _step_group(self, group: dict[str, Any]) -> None:
        found = self._init_group(group)
        lr, weight_decay, d = _to_scalar(group["lr"]), group["weight_decay"], group["d"]
        eps1, eps2 = group["eps"]
        for param, grad, state in found:
            if group["maximize"]:
                grad = -grad
            if eps1 is None:
                eps1 = finfo(param.dtype).eps
            state["step"] += 1
            step = state["step"].item()
            one_minus_beta2 = step ** group["beta2_decay"]
            rho = min(lr, 1 / (step**0.5))
            alpha = max(eps2, param.norm(2).item() / (param.numel() ** 0.5)) * rho
            if weight_decay != 0:
                param.mul_(1 - lr * weight_decay)
            update = _variance_estimate(grad, state, one_minus_beta2, eps1).clamp_(min=eps1 * eps1).rsqrt_()
            update.mul_(grad)
            denom = max(1.0, update.norm(2).item() / ((update.numel() ** 0.5) * d))
            param.add_(update, alpha=-alpha / denom)
