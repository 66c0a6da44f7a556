"""``torch.optim.Adam``, ported from torch/optim/adam.py (2.13), single-tensor path (torch's CPU default).

State per parameter: ``step`` (a float32 zero-dim CPU tensor), ``exp_avg``, ``exp_avg_sq`` and, with
``amsgrad``, ``max_exp_avg_sq``. Each step, in torch's order: ``step += 1``; weight decay (decoupled:
``param.mul_(1 - lr * wd)``; else ``grad = grad.add(param, alpha=wd)``); ``exp_avg.lerp_(grad, 1 - beta1)``;
``exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)``; with Python floats
``step_size = lr / (1 - beta1 ** step)`` and ``bias_correction2_sqrt = (1 - beta2 ** step) ** 0.5``;
``denom = (v.sqrt() / bias_correction2_sqrt).add_(eps)`` (``v`` the running max with amsgrad);
``param.addcdiv_(exp_avg, denom, value=-step_size)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import _dtype as D
from .._tensor import Tensor
from ..ops.registry import functions
from ._common import check_adam_args, check_capturable
from .optimizer import (
    Optimizer,
    _closure_loss,
    _get_value,
    _group_defaults,
    _to_scalar,
    _use_grad_for_differentiable,
)

__all__ = ["Adam"]


class Adam(Optimizer):
    """Adam (Kingma & Ba), with ``amsgrad``, ``maximize`` and L2 or decoupled (AdamW) weight decay."""

    def __init__(self, params: Any, lr: float | Tensor = 1e-3, betas: tuple[Any, Any] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, amsgrad: bool = False, *, foreach: bool | None = None,
                 maximize: bool = False, capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None, decoupled_weight_decay: bool = False) -> None:
        if isinstance(lr, Tensor):
            if foreach and not capturable:
                raise ValueError("lr as a Tensor is not supported for capturable=False and foreach=True")
            if lr.numel() != 1:
                raise ValueError("Tensor lr must be 1-element")
        check_adam_args(lr, eps, betas, weight_decay)
        if not ((isinstance(betas[0], float) and isinstance(betas[1], float))
                or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor))):
            raise ValueError("betas must be either both floats or both Tensors")
        for i in (0, 1):
            if isinstance(betas[i], Tensor):
                if not capturable and foreach:
                    raise ValueError(f"betas[{i}] as a Tensor is not supported for capturable=False and foreach=True")
                if betas[i].numel() != 1:
                    raise ValueError(f"Tensor betas[{i}] must be 1-element")
        betas = tuple(map(_to_scalar, betas))
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "amsgrad": amsgrad,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable, "fused": fused, "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            self._step_supports_amp_scaling = True
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        _group_defaults(self, {"amsgrad": False, "maximize": False, "foreach": None, "capturable": False,
                              "differentiable": False, "decoupled_weight_decay": False, "fused": None})

    def _init_group(self, group: dict[str, Any], params_with_grad: list[Tensor], grads: list[Tensor],
                    exp_avgs: list[Tensor], exp_avg_sqs: list[Tensor], max_exp_avg_sqs: list[Tensor],
                    state_steps: list[Tensor]) -> None:
        for p in group["params"]:
            if p.grad is None:
                continue
            params_with_grad.append(p)
            grads.append(p.grad)
            state = self.state[p]
            if len(state) == 0:
                state["step"] = (functions.zeros((), dtype=D.float32, device=p.device)
                                 if group["capturable"] or group["fused"]
                                 else functions.tensor(0.0, dtype=D.float32, device="cpu"))
                state["exp_avg"] = functions.zeros_like(p)
                state["exp_avg_sq"] = functions.zeros_like(p)
                if group["amsgrad"]:
                    state["max_exp_avg_sq"] = functions.zeros_like(p)
            exp_avgs.append(state["exp_avg"])
            exp_avg_sqs.append(state["exp_avg_sq"])
            if group["amsgrad"]:
                max_exp_avg_sqs.append(state["max_exp_avg_sq"])
            if group["differentiable"] and state["step"].requires_grad:
                raise RuntimeError("`requires_grad` is not supported for `step` in differentiable mode")
            state_steps.append(state["step"])

    @_use_grad_for_differentiable
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Adam step over every group; ``closure`` (re-evaluating the loss) runs with grad enabled."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            params_with_grad: list[Tensor] = []
            grads: list[Tensor] = []
            exp_avgs: list[Tensor] = []
            exp_avg_sqs: list[Tensor] = []
            max_exp_avg_sqs: list[Tensor] = []
            state_steps: list[Tensor] = []
            beta1, beta2 = group["betas"]
            self._init_group(group, params_with_grad, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, state_steps)
            _single_tensor_adam(params_with_grad, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, state_steps,
                                amsgrad=group["amsgrad"], beta1=beta1, beta2=beta2, lr=group["lr"],
                                weight_decay=group["weight_decay"], eps=group["eps"], maximize=group["maximize"],
                                decoupled_weight_decay=group["decoupled_weight_decay"], capturable=group["capturable"])
        return loss


def _single_tensor_adam(params: list[Tensor], grads: list[Tensor], exp_avgs: list[Tensor],
                        exp_avg_sqs: list[Tensor], max_exp_avg_sqs: list[Tensor], state_steps: list[Tensor], *,
                        amsgrad: bool, beta1: Any, beta2: Any, lr: Any, weight_decay: float, eps: float,
                        maximize: bool, decoupled_weight_decay: bool, capturable: bool = False) -> None:
    lr, beta1, beta2 = (v.item() if isinstance(v, Tensor) else v for v in (lr, beta1, beta2))
    for i, param in enumerate(params):
        grad = grads[i] if not maximize else -grads[i]
        exp_avg = exp_avgs[i]
        exp_avg_sq = exp_avg_sqs[i]
        step_t = state_steps[i]
        if capturable:
            check_capturable(param, [step_t])
        step_t += 1
        if weight_decay != 0:
            if decoupled_weight_decay:
                param.mul_(1 - lr * weight_decay)
            else:
                grad = grad.add(param, alpha=weight_decay)
        exp_avg.lerp_(grad, 1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        step = _get_value(step_t)
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        step_size = lr / bias_correction1
        bias_correction2_sqrt = bias_correction2**0.5
        if amsgrad:
            max_exp_avg_sqs[i].copy_(functions.maximum(max_exp_avg_sqs[i], exp_avg_sq))
            denom = (max_exp_avg_sqs[i].sqrt() / bias_correction2_sqrt).add_(eps)
        else:
            denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
        param.addcdiv_(exp_avg, denom, value=-step_size)
