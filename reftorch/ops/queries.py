"""Functions that ask about tensors and dtypes rather than compute: ``is_tensor``,
``is_floating_point``, ``numel``, ``result_type``."""

from __future__ import annotations

from typing import Any

from .. import _dtype as D
from .._promotion import operands_result_type
from .._tensor import Tensor


def is_tensor(obj: Any) -> bool:
    """True for reftorch tensors (and Parameters)."""
    return isinstance(obj, Tensor)


def is_floating_point(input: Tensor) -> bool:
    return input._dtype.is_floating_point


def is_complex(input: Tensor) -> bool:
    return input._dtype.is_complex


def numel(input: Tensor) -> int:
    return input.numel()


def result_type(tensor: Any, other: Any) -> D.dtype:
    """``torch.result_type``: the dtype an arithmetic op on the two operands would produce
    (dim > 0 tensors, zero-dim tensors and Python scalars in decreasing priority)."""
    return operands_result_type(tensor, other)


FUNCTIONS = {"is_tensor": is_tensor, "is_floating_point": is_floating_point, "is_complex": is_complex,
             "numel": numel, "result_type": result_type}
