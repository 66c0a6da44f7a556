"""Views and in-place ops under autograd, in one place: view tracking and torch's CreationMeta, the
in-place checks and restricted-view errors, history rebasing with ``CopySlices``, and the lazy
regeneration of a stale view's history (torch/csrc/autograd/variable.cpp, VariableTypeUtils.h).

- A differentiable view records its view node and remembers the version it was recorded at; a view
  made under ``no_grad`` of a tensor that requires grad still requires grad but has no history.
- Some views may not be modified in place (torch's CreationMeta): outputs of split/chunk/unbind,
  views made under ``no_grad``, views returned by a custom Function; views of them inherit that.
- An in-place op on a tensor rebases its history onto the op's node. For a view, the *base* gets a
  ``CopySlices`` node (the base's gradient with the view's region replaced by the op's input
  gradient) and the view gets ``AsStridedBackward0`` onto it.
- A view whose storage was modified in place through its base or another view since its history was
  recorded gets a fresh ``AsStridedBackward0`` onto the base's current history when its ``grad_fn``
  is read (``VariableHooks::grad_fn``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .._autograd_state import STATE
from .._tensor import Tensor
from .graph import NODE_CLASSES, Node, Saved, gradient_edge, op_name

# How a view came to be, when that restricts in-place changes (torch's CreationMeta).
MULTI_OUTPUT_VIEW = "multi_output"
NO_GRAD_VIEW = "no_grad"
CUSTOM_FUNCTION_VIEW = "in_custom_function"


def track(source: Tensor, outputs: Iterable[Tensor], multi: bool) -> None:
    """After a view op recorded its node: a multi-output view op's pieces may not be modified in
    place, and views of restricted views inherit the restriction (``propagate_creation_meta``)."""
    meta = MULTI_OUTPUT_VIEW if multi else source._creation_meta
    if meta is None:
        return
    for out in outputs:
        if out._base is not None:
            out._creation_meta = meta


def mark_no_grad_views(outputs: Iterable[Tensor]) -> None:
    """Views made under no_grad of a tensor that requires grad: they require grad, have no history
    and no gradient edge, and torch forbids modifying them in place once grad mode is back on."""
    for out in outputs:
        if out._base is not None:
            out._requires_grad = True
            out._creation_meta = NO_GRAD_VIEW
            out._view_version = out._version_counter.value


def current_grad_fn(t: Tensor) -> Node | None:
    """``t.grad_fn`` as torch reports it: a differentiable view whose storage was modified in place
    since its history was recorded gets its regenerated ``AsStridedBackward0`` (restricted views
    raise torch's error instead)."""
    node = t._grad_fn
    if t._view_version is not None and t._view_version != t._version_counter.value:
        if t._creation_meta is not None:
            raise view_rebase_error(t, indirect=True)
        as_strided_onto_base(t)
        node = t._grad_fn
    return node


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


def original_values(self: Tensor) -> Tensor:
    """A copy of ``self``'s values that stands for ``self`` in the graph (same grad_fn and edge):
    what an in-place op's formula reads as ``self`` (torch's ``original_self = self.clone()``)."""
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
    result = compute(original_values(self))
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
    from .layer import record_onto  # the layer builds on this module

    record_onto("as_strided", (view._base, view._shape, view._stride, view._offset), view)


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
