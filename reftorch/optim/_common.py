"""Pieces the Adam-family optimizers share, ported from torch/optim/optimizer.py and the constructors,
``_init_group``s and ``_single_tensor_*`` loops of torch/optim/{adamax,nadam,radam,adadelta,rprop,asgd}.py (2.13):
their argument checks (in torch's order and words), their float32 zero-dim state scalars, the
``capturable`` device check, the refusal of complex parameters (torch steps them through
``torch.view_as_real``, which reftorch lacks) and the per-parameter step loop."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .. import _dtype as D
from .._tensor import Tensor
from ..ops.registry import functions
from .optimizer import Optimizer, _closure_loss, _use_grad_for_differentiable

__all__ = ["PerParameterOptimizer", "check_adam_args", "check_capturable", "check_lr", "init_group", "real_only",
           "scalar_state"]

_CAPTURABLE_DEVICES = ["cuda", "xpu", "hpu", "privateuseone", "xla"]


def check_lr(lr: Any) -> None:
    """``Tensor lr must be 1-element`` / ``Invalid learning rate`` (every optimizer's first checks)."""
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")


def check_adam_args(lr: Any, eps: float, betas: Sequence[Any], weight_decay: float) -> None:
    """The checks of Adamax, NAdam and RAdam: lr, eps, both betas in [0, 1), weight_decay."""
    check_lr(lr)
    if not 0.0 <= eps:
        raise ValueError(f"Invalid epsilon value: {eps}")
    if not 0.0 <= betas[0] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
    if not 0.0 <= betas[1] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
    if not 0.0 <= weight_decay:
        raise ValueError(f"Invalid weight_decay value: {weight_decay}")


def scalar_state(value: float, param: Tensor, capturable: bool) -> Tensor:
    """A float32 zero-dim state tensor (``step``, ``mu_product``): on the parameter's device when
    ``capturable``, else on the CPU, as torch's ``_init_group``s create them."""
    return functions.tensor(float(value), dtype=D.float32, device=param.device if capturable else "cpu")


def check_capturable(param: Tensor, steps: Sequence[Tensor], what: str = "params and state_steps",
                     xla: bool = True) -> None:
    """``capturable=True`` needs the parameter and its state scalars on a graph-capturable accelerator;
    anywhere else torch raises this AssertionError before the step."""
    devices = _CAPTURABLE_DEVICES if xla else _CAPTURABLE_DEVICES[:-1]
    if not all(param.device.type == s.device.type for s in steps) or param.device.type not in devices:
        raise AssertionError(f"If capturable=True, {what} must be on supported devices: {devices}.")


def real_only(name: str, param: Tensor) -> None:
    """Complex parameters: torch steps their real view (``torch.view_as_real``), which reftorch does not
    build, so the step refuses them by name rather than computing something else."""
    if param.is_complex():
        raise NotImplementedError(f"{name}: complex parameters are not supported by reftorch (torch steps them "
                                  "through torch.view_as_real, which reftorch does not implement)")


def init_group(optimizer: Any, group: dict[str, Any]) -> list[tuple[Tensor, Tensor, dict[str, Any]]]:
    """``_init_group``: (parameter, gradient, state) of each parameter of ``group`` with a gradient; an
    empty state gets the optimizer's ``_initial_state``."""
    found = []
    for p in group["params"]:
        if p.grad is None:
            continue
        state = optimizer.state[p]
        if len(state) == 0:
            state.update(optimizer._initial_state(group, p))
        found.append((p, p.grad, state))
    return found


class PerParameterOptimizer(Optimizer):
    """The step of Adadelta, Adamax, NAdam, RAdam, Rprop and ASGD (torch's single-tensor path): per group,
    the state of each parameter with a gradient (``_initial_state`` when empty), then per parameter the
    capturable check, ``step += 1``, ``grad = -grad`` if maximize and the optimizer's own ``_update``."""

    _scalars: dict[str, float] = {"step": 0.0}
    _buffers: tuple[str, ...] = ()
    _capturable_what = "params and state_steps"
    _capturable_xla = True

    def _initial_state(self, group: dict[str, Any], param: Tensor) -> dict[str, Tensor]:
        """A parameter's first state: the float32 ``_scalars`` then zero ``_buffers`` like it, in that
        order (the key order of torch's state dicts)."""
        state = {key: scalar_state(value, param, group["capturable"]) for key, value in self._scalars.items()}
        state.update({key: functions.zeros_like(param) for key in self._buffers})
        return state

    def _update(self, group: dict[str, Any], lr: float, param: Tensor, grad: Tensor, state: dict[str, Any]) -> None:
        raise NotImplementedError

    @_use_grad_for_differentiable
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One step over every group; ``closure`` (re-evaluating the loss) runs with grad enabled."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            found = init_group(self, group)
            lr = group["lr"].item() if isinstance(group["lr"], Tensor) else group["lr"]
            for param, grad, state in found:
                if group["capturable"]:
                    check_capturable(param, [state[k] for k in self._scalars], self._capturable_what,
                                     self._capturable_xla)
                real_only(type(self).__name__, param)
                state["step"] += 1
                self._update(group, lr, param, grad if not group["maximize"] else -grad, state)
        return loss
