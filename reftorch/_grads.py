"""The gradient reset that ``Module.zero_grad`` and ``Optimizer.zero_grad`` share (torch writes the loop
in both torch/nn/modules/module.py and torch/optim/optimizer.py)."""

from __future__ import annotations

from collections.abc import Iterable

from ._tensor import Tensor


def reset_grads(params: Iterable[Tensor], set_to_none: bool) -> None:
    """Each gradient to None, or (``set_to_none=False``) detached from its graph and zeroed in place."""
    for p in params:
        if p.grad is None:
            continue
        if set_to_none:
            p.grad = None
        else:
            if p.grad.grad_fn is not None:
                p.grad.detach_()
            else:
                p.grad.requires_grad_(False)
            p.grad.zero_()
