"""Derivatives of the matrix products (torch's derivatives.yaml and FunctionsManual.cpp): ``mm``,
``bmm``, ``mv``, ``dot``, ``addmm`` and ``trace``.

The product formulas are products again (``grad @ other^H``...), written with reftorch ops so that
``create_graph=True`` gives higher-order gradients. Each operand is saved only when the other
operand's gradient needs it, as torch does; complex operands are conjugated (Wirtinger calculus).
As torch's ``mm_mat1_backward``/``mm_mat2_backward``, the gradient of a column-major ``mm`` operand
is computed transposed, so it comes out column-major too. The ``mm``/``addmm`` formulas also run on
backend arrays (the engine's array lane: one BLAS call each, no tensor dispatch).
"""

from __future__ import annotations

from typing import Any

from ..._tensor import Tensor
from ...ops.registry import call
from . import define
from .helpers import conj, t
from .views import embed


def _column_major(shape: tuple[int, ...], stride: tuple[int, ...]) -> bool:
    """The layout test of torch's mm backward: a matrix with strides (1, rows)."""
    return stride[0] == 1 and stride[1] == shape[0]


def _times(grad: Any, scale: Any) -> Any:
    """torch's ``maybe_multiply``: skip the multiplication by exactly 1, else ``mul.Scalar``
    (MulBackward1 under create_graph, as in torch)."""
    if scale == 1:
        return grad
    return call("multiply.Scalar", grad, conj(scale)) if isinstance(grad, Tensor) else grad * conj(scale)


def _mm(a: Any, b: Any) -> Any:
    """``a.mm(b)``; on backend arrays the product in torch's accumulation dtype (float16 in float32,
    as ``reftorch.ops.linalg`` computes ``mm``)."""
    if isinstance(a, Tensor):
        return a.mm(b)
    if a.dtype.kind == "f" and a.dtype.itemsize == 2:
        return (a.astype("float32") @ b.astype("float32")).astype(a.dtype)
    return a @ b


def mm_mat1_backward(grad: Any, mat2: Any, mat1_shape: tuple, mat1_stride: tuple, alpha: Any = 1) -> Any:
    """``mm_mat1_backward``: ``grad @ mat2^H`` (computed transposed for a column-major ``mat1``)."""
    if _column_major(mat1_shape, mat1_stride):
        return _times(t(_mm(conj(mat2), t(grad))), alpha)
    return _times(_mm(grad, t(conj(mat2))), alpha)


def mm_mat2_backward(grad: Any, mat1: Any, mat2_shape: tuple, mat2_stride: tuple, alpha: Any = 1) -> Any:
    """``mm_mat2_backward``: ``mat1^H @ grad`` (computed transposed for a column-major ``mat2``)."""
    if _column_major(mat2_shape, mat2_stride):
        return _times(t(_mm(t(grad), conj(mat1))), alpha)
    return _times(_mm(t(conj(mat1)), grad), alpha)


define("MmBackward0", {
    "self": lambda grad, mat2, self_shape, self_stride: mm_mat1_backward(grad, mat2, self_shape, self_stride),
    "mat2": lambda grad, self, mat2_shape, mat2_stride: mm_mat2_backward(grad, self, mat2_shape, mat2_stride),
}, arrays=True)
define("AddmmBackward0", {
    "self": lambda grad, beta: _times(grad, beta),
    "mat1": lambda grad, mat2, mat1_shape, mat1_stride, alpha: mm_mat1_backward(
        grad, mat2, mat1_shape, mat1_stride, alpha),
    "mat2": lambda grad, mat1, mat2_shape, mat2_stride, alpha: mm_mat2_backward(
        grad, mat1, mat2_shape, mat2_stride, alpha),
}, arrays=True)
define("BmmBackward0", {"self": lambda grad, mat2: grad.bmm(conj(mat2).transpose(1, 2)),
                        "mat2": lambda grad, self: conj(self).transpose(1, 2).bmm(grad)})
define("MvBackward0", {"self": lambda grad, vec: grad.outer(conj(vec)),
                       "vec": lambda grad, self: conj(self).t().mv(grad)})
define("DotBackward0", {"self": lambda grad, tensor: grad * conj(tensor),
                        "tensor": lambda grad, self: grad * conj(self)}, arrays=True)
define("TraceBackward0", {"self": lambda grad, self_shape: embed(
    grad.expand(min(self_shape)), self_shape, lambda z: z.diagonal(0, 0, 1))})
