"""``torch.nn.Parameter``: a leaf tensor that modules register as a learnable parameter.

Mirrors torch/nn/parameter.py: ``Parameter(data=None, requires_grad=True)`` aliases ``data``'s storage
(an untracked, detached view of it), is always a leaf, and prints as ``Parameter containing:`` followed
by the tensor's repr.
"""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ..ops.registry import functions


class Parameter(Tensor):
    """A Tensor subclass that :class:`~reftorch.nn.Module` registers when assigned as an attribute."""

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True) -> Parameter:
        if data is None:
            data = functions.empty(0)
        if not isinstance(data, Tensor):
            raise AttributeError(f"'{type(data).__name__}' object has no attribute 'detach'")
        if requires_grad and not (data.dtype.is_floating_point or data.dtype.is_complex):
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        param = data.detach()
        param.__class__ = cls
        param.requires_grad_(requires_grad)
        return param

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        """All construction happens in ``__new__``."""

    def __repr__(self, *, tensor_contents: str | None = None) -> str:
        return "Parameter containing:\n" + super().__repr__(tensor_contents=tensor_contents)

    def __deepcopy__(self, memo: dict) -> Parameter:
        """A Parameter holding a copy of the data, with the same ``requires_grad`` (and a copied grad)."""
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.data.clone(), self.requires_grad)
        if self._grad is not None:
            result._grad = self._grad.clone().detach()
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, protocol: int) -> Any:
        return (type(self), (self.detach().clone(), self.requires_grad))
