"""``torch.nn.utils.clip_grad_norm_``, ``clip_grad_value_``, ``get_total_norm``, ``clip_grads_with_norm_``,
mirroring torch/nn/utils/clip_grad.py.

torch groups the gradients by device and dtype and, on the CPU, always takes the foreach kernels
(``_foreach_norm``, ``_foreach_mul_``, ``_foreach_clamp_min_/max_``); reftorch computes the same per-tensor
norms and in-place updates one tensor at a time, so ``foreach`` changes nothing here (as on the CPU in
torch). Every function runs under ``no_grad``.
"""

from __future__ import annotations

import functools
import types
import warnings
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from ..._tensor import Tensor
from ...autograd import no_grad

_tensor_or_tensors = Tensor | Iterable[Tensor]
_R = TypeVar("_R")

__all__ = ["clip_grad_norm", "clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm"]


def _no_grad(func: Callable[..., _R]) -> Callable[..., _R]:
    """Run ``func`` under ``no_grad`` (torch's ``_no_grad`` wrapper)."""

    @functools.wraps(func)
    def _no_grad_wrapper(*args: Any, **kwargs: Any) -> _R:
        with no_grad():
            return func(*args, **kwargs)

    return _no_grad_wrapper


def _reftorch() -> Any:
    import reftorch

    return reftorch


@_no_grad
def get_total_norm(tensors: _tensor_or_tensors, norm_type: float = 2.0, error_if_nonfinite: bool = False,
                   foreach: bool | None = None) -> Tensor:
    """The ``norm_type``-norm of the tensors' norms (as if concatenated into one vector): ``tensor(0.)``
    for none; a RuntimeError with torch's message for a nan/inf total when ``error_if_nonfinite``."""
    T = _reftorch()
    tensors = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    norm_type = float(norm_type)
    if len(tensors) == 0:
        return T.tensor(0.0)
    first_device = tensors[0].device
    groups: dict[tuple[Any, Any], list[Tensor]] = {}
    for t in tensors:  # torch's _group_tensors_by_device_and_dtype: first-seen order of the groups
        groups.setdefault((t.device, t.dtype), []).append(t)
    norms = [g.norm(norm_type) for group in groups.values() for g in group]
    total_norm = T.stack([norm.to(first_device) for norm in norms]).norm(norm_type)
    if error_if_nonfinite and T.logical_or(total_norm.isnan(), total_norm.isinf()):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from "
            "`parameters` is non-finite, so it cannot be clipped. To disable "
            "this error and scale the gradients by the non-finite norm anyway, "
            "set `error_if_nonfinite=False`")
    return total_norm


@_no_grad
def clip_grads_with_norm_(parameters: _tensor_or_tensors, max_norm: float, total_norm: Tensor,
                          foreach: bool | None = None) -> None:
    """Multiply every gradient in place by ``clamp(max_norm / (total_norm + 1e-6), max=1)``."""
    T = _reftorch()
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    grads = [p.grad for p in parameters if p.grad is not None]
    max_norm = float(max_norm)
    if len(grads) == 0:
        return
    clip_coef = max_norm / (total_norm + 1e-6)
    clip_coef_clamped = T.clamp(clip_coef, max=1.0)
    for g in grads:
        g.mul_(clip_coef_clamped.to(g.device))


@_no_grad
def clip_grad_norm_(parameters: _tensor_or_tensors, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """Scale the gradients so that their total ``norm_type``-norm is at most ``max_norm`` and return
    that total norm (before clipping); a UserWarning for an empty generator."""
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    else:
        is_generator = isinstance(parameters, types.GeneratorType)
        parameters = list(parameters)
        if is_generator and len(parameters) == 0:
            warnings.warn("`parameters` is an empty generator, no gradient clipping will occur.", stacklevel=3)
    grads = [p.grad for p in parameters if p.grad is not None]
    total_norm = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total_norm, foreach)
    return total_norm


def clip_grad_norm(parameters: _tensor_or_tensors, max_norm: float, norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """Deprecated alias of :func:`clip_grad_norm_` (torch's FutureWarning first)."""
    warnings.warn("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of `torch.nn.utils.clip_grad_norm_`.",
                  FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


@_no_grad
def clip_grad_value_(parameters: _tensor_or_tensors, clip_value: float, foreach: bool | None = None) -> None:
    """Clamp every gradient in place to ``[-clip_value, clip_value]`` (``clamp_min_`` then ``clamp_max_``,
    torch's foreach order); a RuntimeError, as torch's grouping raises, when no gradient is set."""
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    clip_value = float(clip_value)
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:  # torch's _group_tensors_by_device_and_dtype rejects an empty list
        raise RuntimeError("Expected !nested_tensorlist[0].empty() to be true, but got false.  (Could this error "
                           "message be improved?  If so, please report an enhancement request to PyTorch.)")
    for grad in grads:
        grad.clamp_min_(-clip_value)
        grad.clamp_max_(clip_value)
