"""In-place ops under autograd: leaf checks, history rebasing, and CopySlices for views.

An in-place op on a tensor that takes part in a graph is run as its out-of-place twin on a
snapshot of the tensor (same autograd identity, copied values, so the op's saved inputs are not
clobbered), the values are written back, and the tensor's history is rebased onto the new node.
For a view, the *base* gets a ``CopySlices`` node (gradient of the base with the view's region
replaced by the op's input gradient) and the view gets ``AsStridedBackward0`` onto it, as in
torch/csrc/autograd/variable.cpp (``rebase_history``).
"""

from __future__ import annotations

from collections.abc import Callable

from .._tensor import Tensor
from .grad_mode import STATE
from .graph import CUSTOM_FUNCTION_VIEW, MULTI_OUTPUT_VIEW, NODE_CLASSES, Node, Saved, gradient_edge, op_name
from .view_grads import record_view


def check_inplace(self: Tensor) -> None:
    """torch refuses in-place changes of leaves (and views of leaves) that require grad while
    grad mode is on, and of views made by split/chunk/unbind or made under no_grad from a tensor
    that requires grad (check_inplace / handle_view_on_rebase in torch/csrc/autograd); nothing is
    modified when this raises."""
    if not STATE.enabled:
        return
    base = self._base
    if self._creation_meta is not None and base is not None and (self._requires_grad or base._requires_grad):
        raise view_rebase_error(self, indirect=False)
    if base is not None and base._requires_grad and base._grad_fn is None:
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
    if self._requires_grad and self._grad_fn is None and base is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")


def view_rebase_error(view: Tensor, indirect: bool) -> RuntimeError:
    """torch's error for a restricted view modified in place (``indirect``: through its base or
    another view, noticed when its history is read)."""
    modified = "its base or another view of its base has been modified inplace" if indirect \
        else "is being modified inplace"
    if view._creation_meta is MULTI_OUTPUT_VIEW:
        return RuntimeError(
            f"Output {view._output_nr} of {op_name(view._grad_fn)} is a view and {modified}. This view is the output "
            "of a function that returns multiple views. Such functions do not allow the output views to be modified "
            "inplace. You should replace the inplace operation by an out-of-place one.")
    if view._creation_meta is CUSTOM_FUNCTION_VIEW:
        return RuntimeError(
            f"Output {view._output_nr} of {op_name(view._grad_fn)} is a view and {modified}. This view was created "
            "inside a custom Function (or because an input was returned as-is) and the autograd logic to handle "
            "view+inplace would override the custom backward associated with the custom Function, leading to "
            "incorrect gradients. This behavior is forbidden. You can fix this by cloning the output of the custom "
            "Function.")
    return RuntimeError(
        f"A view was created in no_grad mode and {modified} with grad mode enabled. Given that this use "
        "case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and "
        "the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both "
        "outside (if you want the inplace to be tracked).")


def snapshot(self: Tensor) -> Tensor:
    """A copy of ``self``'s values that stands for ``self`` in the graph (same grad_fn and edge)."""
    from ..ops.views import clone

    previous = STATE.enabled
    STATE.enabled = False
    try:
        copy = clone(self)
    finally:
        STATE.enabled = previous
    copy._requires_grad = self._requires_grad
    copy._grad_fn = self._grad_fn
    copy._output_nr = self._output_nr
    copy._accumulator = self._accumulator
    return copy


def apply_inplace(self: Tensor, compute: Callable[[Tensor], Tensor]) -> Tensor:
    """Run ``compute(snapshot_of_self)`` (an out-of-place op that records its node), write the result
    into ``self`` and rebase ``self``'s history onto that node."""
    check_inplace(self)
    result = compute(snapshot(self))
    write_values(self, result)
    node = result._grad_fn
    if node is not None:
        for saved in node._saved or ():
            if isinstance(saved, Saved) and saved.original is not None and saved.original() is result:
                saved.bind_output(self)  # the op's saved result is ``self`` now (exp_, sigmoid_...)
        rebase_history(self, node)
    return self


def write_values(self: Tensor, result: Tensor) -> None:
    from ..ops._util import cast_array

    backend = self._backend
    backend.xp.copyto(self._array, cast_array(backend, result._array, self._dtype))
    self._version_counter.bump()


def rebase_history(self: Tensor, node: Node) -> None:
    if self._base is None:
        self._grad_fn, self._output_nr, self._requires_grad = node, 0, True
        return
    base = self._base
    copy_slices = NODE_CLASSES["CopySlices"](
        _copy_slices_backward, (gradient_edge(base),) + node.next_functions[1:], (),
        (node, base._stride, self._shape, self._stride, self._offset - base._offset), 1)
    base._grad_fn, base._output_nr, base._requires_grad = copy_slices, 0, True
    as_strided_onto_base(self)


def as_strided_onto_base(view: Tensor) -> None:
    """Give ``view`` the history ``AsStridedBackward0(base's current history)`` (after an in-place
    op on it, or when its base was modified since its history was recorded)."""
    base = view._base
    record_view("AsStridedBackward0", view, base,
                (base._shape, base._stride, base._offset, view._shape, view._stride, view._offset))


def _with_base_layout(grad: Tensor, shape: tuple, stride: tuple) -> Tensor:
    """A copy of ``grad`` laid out with the base's strides (so the view geometry applies to it)."""
    from ..ops._util import empty_strided

    result = empty_strided(shape, stride, grad._dtype, grad.device)
    result.copy_(grad)
    return result


def _copy_slices_backward(node: Node, grad: Tensor) -> tuple:
    inner, base_stride, shape, stride, offset = node._ctx
    result = _with_base_layout(grad, grad._shape, base_stride)
    grad_slice = result.as_strided(shape, stride, offset)
    inner_grads = inner.apply([grad_slice.clone()])
    if inner_grads and inner_grads[0] is not None:
        grad_slice.copy_(inner_grads[0])
    else:
        grad_slice.zero_()
    return (result,) + tuple(inner_grads[1:])
