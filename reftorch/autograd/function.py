"""``torch.autograd.Function``: user-defined ops with a ``forward`` and a ``backward``.

Mirrors torch/autograd/function.py: ``apply`` runs ``forward(ctx, *args)`` without recording,
then records one node (named ``<ClassName>Backward``) whose backward calls the user's
``backward(ctx, *grad_outputs)``. ``ctx.save_for_backward`` keeps version-checked tensors,
``ctx.needs_input_grad`` says which inputs need gradients, ``ctx.mark_non_differentiable``
excludes outputs, ``ctx.mark_dirty`` declares inputs modified in place and
``ctx.set_materialize_grads(False)`` passes None instead of zeros for outputs without a gradient.
"""

from __future__ import annotations

from typing import Any

from .._autograd_state import STATE
from .._tensor import Tensor
from ..ops.registry import functions
from .grad_mode import no_grad
from .graph import record, summed_to_input
from .views import CUSTOM_FUNCTION_VIEW, rebase_history


class FunctionCtx:
    """The ``ctx`` object handed to ``forward`` and ``backward``."""

    def __init__(self) -> None:
        self.to_save: tuple = ()
        self.needs_input_grad: tuple[bool, ...] = ()
        self.non_differentiable: set[int] = set()
        self.dirty_tensors: tuple = ()
        self.materialize_grads = True
        self._node: Any = None

    def save_for_backward(self, *tensors: Tensor | None) -> None:
        self.to_save = tensors

    @property
    def saved_tensors(self) -> tuple:
        if self._node is None:
            return tuple(self.to_save)
        return self._node.saved_tensors

    def mark_non_differentiable(self, *tensors: Tensor) -> None:
        """These outputs will not require grad; backward still receives a (zero) gradient for them."""
        self.non_differentiable.update(id(t) for t in tensors)

    def mark_dirty(self, *tensors: Tensor) -> None:
        """These inputs were modified in place by ``forward`` (and are returned): their version is
        bumped and their history rebased onto this function's node."""
        self.dirty_tensors = tensors

    def set_materialize_grads(self, value: bool) -> None:
        """With False, backward receives None (not zeros) for outputs that got no gradient."""
        self.materialize_grads = value


class Function:
    """Subclass with static ``forward(ctx, ...)`` and ``backward(ctx, ...)``; call ``apply``."""

    @staticmethod
    def forward(ctx: FunctionCtx, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx: FunctionCtx, *grad_outputs: Any) -> Any:
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    @classmethod
    def apply(cls, *args: Any) -> Any:
        ctx = FunctionCtx()
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a._requires_grad for a in args)
        with no_grad():
            outputs = cls.forward(ctx, *args)
        single = not isinstance(outputs, tuple)
        outs = (outputs,) if single else outputs
        for t in ctx.dirty_tensors:
            t._version_counter.bump()
        if STATE.enabled and any(isinstance(a, Tensor) and a._requires_grad for a in args):
            outs = _record(cls, ctx, args, outs)
        return outs[0] if single else outs


def _record(cls: type, ctx: FunctionCtx, args: tuple, outs: tuple) -> tuple:
    """Record the node, as torch's ``_wrap_outputs``: one node output per returned value (None for
    non-tensors and non-differentiable tensors, which get no history); a returned input that was
    not marked dirty becomes a view of it; a dirty input has its history rebased onto the node."""
    dirty = {id(t) for t in ctx.dirty_tensors}
    for t in ctx.dirty_tensors:
        if t._requires_grad and t._grad_fn is None and t._base is None:
            raise RuntimeError("a leaf Variable that requires grad has been used in an in-place operation.")
    wrapped = tuple(o._view_of(o._shape, o._stride, o._offset)
                    if isinstance(o, Tensor) and id(o) not in dirty and any(o is a for a in args) else o
                    for o in outs)
    recorded = [w if isinstance(o, Tensor) and id(o) not in ctx.non_differentiable else None
                for o, w in zip(outs, wrapped)]
    inputs = tuple((a._shape, a._dtype, a.device) if isinstance(a, Tensor) else None for a in args)
    outputs = tuple((o._shape, o._dtype, o.device) if isinstance(o, Tensor) else None for o in outs)
    record(f"{cls.__name__}Backward", recorded, args, _make_backward(cls, inputs, outputs), ctx.to_save, ctx)
    ctx._node = next((o._grad_fn for o in recorded if o is not None and o._grad_fn is not None), None)
    for o in recorded:
        if o is None or o._base is None or o._grad_fn is None:
            continue
        if id(o) in dirty:
            rebase_history(o, o._grad_fn)  # an input view modified in place: CopySlices on its base
        else:
            o._creation_meta = CUSTOM_FUNCTION_VIEW  # torch forbids modifying it in place
    return wrapped


def _make_backward(cls: type, inputs: tuple, outputs: tuple) -> Any:
    """The node's backward: the user's ``backward`` (None gradients of tensor outputs materialised
    as zeros unless the ctx says otherwise) with torch's checks of what it returns. ``inputs`` and
    ``outputs`` hold each value's (shape, dtype, device), or None for non-tensors."""
    name = f"{cls.__name__}Backward"

    def backward(node: Any, *grads: Any) -> tuple:
        if node._ctx.materialize_grads:
            grads = tuple(_zeros(meta) if g is None and meta is not None else g for g, meta in zip(grads, outputs))
        result = cls.backward(node._ctx, *grads)
        if not isinstance(result, tuple):
            result = (result,)
        if len(result) > len(inputs) and all(g is None for g in result[len(inputs):]):
            result = result[:len(inputs)]  # trailing Nones are allowed
        if len(result) != len(inputs):
            raise RuntimeError(f"function {name} returned an incorrect number of gradients "
                               f"(expected {len(inputs)}, got {len(result)})")
        return tuple(_validated(name, i, grad, meta) for i, (grad, meta) in enumerate(zip(result, inputs)))

    return backward


def _zeros(meta: tuple) -> Tensor:
    shape, dtype, device = meta
    return functions.zeros(shape, dtype=dtype, device=device)


def _validated(name: str, index: int, grad: Any, meta: tuple | None) -> Any:
    """One returned gradient checked against its input as torch's engine does (validate_outputs in
    torch/csrc/autograd/engine.cpp): a gradient broadcast beyond the input's shape is summed back to
    it, any other shape is an error, and the gradient is cast to the input's dtype."""
    if grad is None:
        return None
    if not isinstance(grad, Tensor):
        raise RuntimeError(f"expected Variable or None (got {type(grad).__name__})")
    if meta is None:
        raise RuntimeError(f"function {name} returned a gradient different than None at position {index + 1}, but "
                           "the corresponding forward input was not a Variable")
    shape, dtype, device = meta
    if grad._shape != shape:
        grad = summed_to_input(name, index, grad, shape)
    if not grad._dtype.is_floating_point and grad._dtype.is_complex != dtype.is_complex:
        raise RuntimeError("Expected isFloatingType(grad.scalar_type()) || (input_is_complex == grad_is_complex) to "
                           "be true, but got false.  (Could this error message be improved?  If so, please report an "
                           "enhancement request to PyTorch.)")
    if grad.device != device:
        raise RuntimeError(f"Function {name} returned an invalid gradient at index {index} - expected device "
                           f"{device} but got {grad.device}")
    return grad if grad._dtype is dtype else grad.to(dtype)
