"""Derivatives of advanced indexing (torch's derivatives.yaml and FunctionsManual.cpp's
``index_backward``): ``index`` sends each picked element's gradient back to where it was picked
(``_index_put_impl_`` with ``accumulate`` into zeros, so an element picked twice gets both); ``index_put`` gives the
overwritten elements no gradient (all of them with ``accumulate``) and the values the gradient of
the elements they were written to. The index lists may hold None (a whole dim), so the formulas
call the ops below the argument parser (``aten``, ``call``); they record their own nodes, so the gradients are
differentiable again."""

from __future__ import annotations

from ...ops.registry import aten, call
from . import define

define("IndexBackward0", {"self": lambda grad, self_shape, indices: aten._index_put_impl_(
    grad.new_zeros(self_shape), indices, grad, True, True)})
for _node in ("IndexPutBackward0", "IndexPutImplBackward0"):
    define(_node, {
        "self": lambda grad, indices, accumulate: (
            grad if accumulate else aten.index_put(grad, indices, grad.new_zeros(()), False)),
        "values": lambda grad, indices: call("index.Tensor", grad, indices),
    })
