"""``torch.nn.modules._functions.BackwardHookFunction``: the identity autograd Function that module
backward hooks put on a module's input and output tensors, so that one node
(BackwardHookFunctionBackward) sees all their gradients together (torch/nn/modules/_functions.py)."""

from __future__ import annotations

from typing import Any

from ...autograd.function import Function, FunctionCtx


class BackwardHookFunction(Function):
    """Returns its tensor arguments unchanged (as views); the ones that do not require grad are marked
    non-differentiable; backward passes the gradients through."""

    @staticmethod
    def forward(ctx: FunctionCtx, *args: Any) -> Any:
        ctx.mark_non_differentiable(*[arg for arg in args if not arg.requires_grad])
        return args

    @staticmethod
    def backward(ctx: FunctionCtx, *args: Any) -> Any:
        return args


__all__ = ["BackwardHookFunction"]
