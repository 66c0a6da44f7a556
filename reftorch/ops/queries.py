"""Functions that ask about tensors and dtypes rather than compute: ``is_tensor``,
``is_floating_point``, ``is_complex``, ``numel``, ``result_type``.

The ``Tensor`` methods of the same names are the tensor's own metadata accessors
(:mod:`reftorch._tensor`); these records are the ``torch.*`` functions.
"""

from __future__ import annotations

from typing import Any

from .. import _dtype as D
from .._promotion import operands_result_type
from .._strides import numel as _numel
from .._tensor import Tensor
from .registry import register


@register("is_tensor", "is_tensor(PyObject* obj)", method=False, python=True)
def is_tensor(obj: Any, /) -> bool:
    """``torch.is_tensor`` (Python, torch/__init__.py): True for reftorch tensors (and Parameters)."""
    return isinstance(obj, Tensor)


@register("is_floating_point", "is_floating_point(Tensor input)", method=False)
def is_floating_point(self: Tensor) -> bool:
    """Whether the dtype is a floating-point one."""
    return self._dtype.is_floating_point


@register("is_complex", "is_complex(Tensor input)", method=False)
def is_complex(self: Tensor) -> bool:
    """Whether the dtype is a complex one."""
    return self._dtype.is_complex


@register("numel", "numel(Tensor input)", method=False)
def numel(self: Tensor) -> int:
    """The number of elements."""
    return _numel(self._shape)


def result_type(tensor: Any, other: Any) -> D.dtype:
    """``torch.result_type``: the dtype an arithmetic op on the two operands would produce
    (dim > 0 tensors, zero-dim tensors and Python scalars in decreasing priority)."""
    return operands_result_type(tensor, other)


for _overload, _signature in (("Tensor", "Tensor tensor, Tensor other"),
                              ("Scalar_Tensor", "Scalar scalar, Tensor tensor"),
                              ("Scalar", "Tensor tensor, Scalar other"),
                              ("Scalar_Scalar", "Scalar scalar1, Scalar scalar2")):
    register(f"result_type.{_overload}", f"result_type({_signature})", method=False)(result_type)

__all__ = ["is_complex", "is_floating_point", "is_tensor", "numel", "result_type"]
