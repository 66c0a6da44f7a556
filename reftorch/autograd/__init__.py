"""``torch.autograd``: graph recording, the backward engine, grad modes, custom Functions,
``grad``/``backward`` functions and ``gradcheck``."""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from .engine import run_backward
from .function import Function, FunctionCtx
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck


def _tensors(value: Any) -> list:
    return [value] if isinstance(value, Tensor) else list(value)


def backward(tensors: Any, grad_tensors: Any = None, retain_graph: bool | None = None, create_graph: bool = False,
             inputs: Any = None) -> None:
    """``torch.autograd.backward``: ``sum(t.backward(g))`` over several roots at once."""
    roots = _tensors(tensors)
    grads = [None] * len(roots) if grad_tensors is None else _tensors(grad_tensors)
    run_backward(roots, grads, create_graph if retain_graph is None else retain_graph, create_graph,
                 inputs=None if inputs is None else _tensors(inputs))


def grad(outputs: Any, inputs: Any, grad_outputs: Any = None, retain_graph: bool | None = None,
         create_graph: bool = False, allow_unused: bool | None = None, is_grads_batched: bool = False,
         materialize_grads: bool = False) -> tuple:
    """``torch.autograd.grad``: the gradients of ``outputs`` w.r.t. ``inputs`` (nothing accumulates
    into ``.grad``). An input the outputs do not depend on raises unless ``allow_unused``."""
    roots = _tensors(outputs)
    targets = _tensors(inputs)
    if not targets:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    grads = [None] * len(roots) if grad_outputs is None else _tensors(grad_outputs)
    result = run_backward(roots, grads, create_graph if retain_graph is None else retain_graph, create_graph,
                          inputs=targets, capture=True)
    for i, g in enumerate(result):
        if g is None:
            if materialize_grads:
                result[i] = targets[i].new_zeros(targets[i].shape)
            elif not allow_unused:
                raise RuntimeError(f"The differentiated Tensor at index {i} appears to not have been used in the "
                                   "graph. Set allow_unused=True if this is the desired behavior.")
    return tuple(result)


def Variable(data: Tensor, requires_grad: bool = False, volatile: bool = False) -> Tensor:  # noqa: N802
    """``torch.autograd.Variable``: a legacy wrapper that now just returns a Tensor (sharing data)."""
    result = data.detach()
    if requires_grad:
        result.requires_grad_(True)
    return result


__all__ = [
    "Function", "FunctionCtx", "GradcheckError", "Variable", "backward", "enable_grad", "grad", "gradcheck",
    "inference_mode", "is_grad_enabled", "no_grad", "set_grad_enabled",
]
