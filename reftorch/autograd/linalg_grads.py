"""Derivatives of the matrix products (torch's tools/autograd/derivatives.yaml and
FunctionsManual.cpp): ``mm``, ``bmm``, ``mv``, ``dot``, ``addmm``, ``trace``, and the
``squeeze_``/``_unsafe_view`` steps ``matmul`` records after its primitive.

The product formulas are products again (``grad @ other^H``...), written with reftorch ops so
that ``create_graph=True`` gives higher-order gradients. Each operand is saved only when the other
operand's gradient needs it, as torch does; complex operands are conjugated (Wirtinger calculus).
As torch's ``mm_mat1_backward``/``mm_mat2_backward``, the gradient of a column-major ``mm`` operand
is computed transposed, so it comes out column-major too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._tensor import Tensor
from .derivatives.views import embed
from .elementwise_grads import conj, sum_to
from .graph import needs_grad, record


def _mm_first(g: Tensor, b: Tensor, column_major: bool) -> Tensor:
    return conj(b).mm(g.t()).t() if column_major else g.mm(conj(b).t())


def _mm_second(g: Tensor, a: Tensor, column_major: bool) -> Tensor:
    return g.t().mm(conj(a)).t() if column_major else conj(a).t().mm(g)


# node name -> (gradient of the first operand given (grad, second, first is column-major),
#               gradient of the second operand given (grad, first, second is column-major))
PRODUCTS: dict[str, tuple[Callable, Callable]] = {
    "MmBackward0": (_mm_first, _mm_second),
    "BmmBackward0": (lambda g, b, _: g.bmm(conj(b).transpose(1, 2)),
                     lambda g, a, _: conj(a).transpose(1, 2).bmm(g)),
    "MvBackward0": (lambda g, b, _: g.outer(conj(b)), lambda g, a, _: conj(a).t().mv(g)),
    "DotBackward0": (lambda g, b, _: g * conj(b), lambda g, a, _: g * conj(a)),
}


def _column_major(t: Tensor) -> bool:
    """The layout test of torch's mm backward: a matrix with strides (1, rows)."""
    return len(t._shape) == 2 and t._stride[0] == 1 and t._stride[1] == t._shape[0]


def _scaled(t: Tensor, scale: Any) -> Tensor:
    """torch's ``maybe_multiply``: skip the multiplication by exactly 1."""
    return t if scale == 1 else t * conj(scale)


def _product_backward(node: Any, g: Tensor) -> tuple:
    grad_a, grad_b = PRODUCTS[node.name()]
    need_a, need_b, column_a, column_b = node._ctx
    a, b = node.saved_tensors
    return (grad_a(g, b, column_a) if need_a else None, grad_b(g, a, column_b) if need_b else None)


def _requires(t: Any) -> bool:
    return isinstance(t, Tensor) and t._requires_grad


def track_product(name: str, out: Tensor, a: Tensor, b: Tensor) -> Tensor:
    """Record ``out = a @ b`` (``name`` in :data:`PRODUCTS`) when an operand requires grad."""
    if needs_grad(a, b):
        need_a, need_b = _requires(a), _requires(b)
        record(name, out, (a, b), _product_backward, (a if need_b else None, b if need_a else None),
               (need_a, need_b, _column_major(a), _column_major(b)))
    return out


def _addmm_backward(node: Any, g: Tensor) -> tuple:
    shape, beta, alpha, need_self, need_1, need_2, column_1, column_2 = node._ctx
    mat1, mat2 = node.saved_tensors
    return (sum_to(_scaled(g, beta), shape) if need_self else None,
            _scaled(_mm_first(g, mat2, column_1), alpha) if need_1 else None,
            _scaled(_mm_second(g, mat1, column_2), alpha) if need_2 else None)


def track_addmm(out: Tensor, input: Tensor, mat1: Tensor, mat2: Tensor, beta: Any, alpha: Any) -> Tensor:
    """AddmmBackward0: ``beta * grad`` (summed to input's broadcast shape), ``alpha * grad @ mat2^H``,
    ``alpha * mat1^H @ grad``."""
    if needs_grad(input, mat1, mat2):
        need_1, need_2 = _requires(mat1), _requires(mat2)
        record("AddmmBackward0", out, (input, mat1, mat2), _addmm_backward,
               (mat1 if need_2 else None, mat2 if need_1 else None),
               (input._shape, beta, alpha, _requires(input), need_1, need_2, _column_major(mat1),
                _column_major(mat2)))
    return out


def _trace_backward(node: Any, g: Tensor) -> tuple:
    shape = node._ctx
    return (embed(g.expand(min(shape)), shape, lambda z: z.diagonal(0, 0, 1)),)


def track_trace(out: Tensor, input: Tensor) -> Tensor:
    """TraceBackward0: the gradient on the main diagonal of zeros."""
    if needs_grad(input):
        record("TraceBackward0", out, (input,), _trace_backward, (), input._shape)
    return out


def _unsqueeze_backward(node: Any, g: Tensor) -> tuple:
    return (g.unsqueeze(node._ctx),)


def track_squeeze_(out: Tensor, source: Tensor, dim: int) -> Tensor:
    """SqueezeBackward4: ``source.squeeze_(dim)`` (``out`` is ``source`` with ``dim`` removed)."""
    if needs_grad(source):
        record("SqueezeBackward4", out, (source,), _unsqueeze_backward, (), dim)
    return out
