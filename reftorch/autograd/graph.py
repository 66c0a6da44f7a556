"""The recorded graph: backward nodes, the AccumulateGrad sink of each leaf, saved tensors.

A node's class is named after torch's (``MulBackward0``...), so ``type(t.grad_fn).__name__`` and
``t.grad_fn.name()`` read as in torch. ``next_functions`` holds one ``(node, output_nr)`` edge per
differentiable input, ``(None, 0)`` where an input needs no gradient. Saved tensors remember the
version they were saved at; backward refuses them after an in-place change or after the graph
was freed, with torch's messages (torch/csrc/autograd/saved_variable.cpp).
"""

from __future__ import annotations

import itertools
import re
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from .._dtype import FLOATING
from .._tensor import Tensor
from ..utils.hooks import RemovableHandle

_SEQUENCE = itertools.count()

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after they have "
    "already been freed). Saved intermediate values of the graph are freed when you call .backward() or "
    "autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or "
    "if you need to access saved tensors after calling backward.")


# Nodes torch writes by hand in C++ (not generated from derivatives.yaml); ``name()`` qualifies them.
_CPP_NODES = frozenset({"AccumulateGrad", "CopyBackwards", "CopySlices", "NotImplemented"})


class Node:
    """A backward function. ``backward(node, *grads)`` returns one gradient (or None) per input.

    Nodes built by the autograd layer from the derivative table also carry the names of their saved
    tensors (``_saved_names``; other saved values are in ``_ctx``), which inputs need a gradient
    (``_needs``), the inputs' (shape, dtype, device) for checking the returned gradients
    (``_input_meta``) and, when an input is a tensor list, how many edges each input spans
    (``_spans``). ``_hooks`` holds its :class:`Hooks` once one is registered.
    """

    __slots__ = ("next_functions", "_backward", "_saved", "_had_saved", "_ctx", "_sequence_nr", "_num_outputs",
                 "_retained", "_saved_names", "_needs", "_input_meta", "_spans", "_hooks", "__weakref__")

    def __init__(self, backward: Callable, next_functions: tuple, saved: tuple, ctx: Any, num_outputs: int = 1,
                 had_saved: bool | None = None):
        self.next_functions = next_functions
        self._backward = backward
        self._saved = saved
        self._had_saved = any(isinstance(s, Saved) for s in saved) if had_saved is None else had_saved
        self._ctx = ctx
        self._sequence_nr = next(_SEQUENCE)
        self._num_outputs = num_outputs
        self._retained: dict[int, Any] | None = None
        self._input_meta: tuple | None = None
        self._spans: tuple | None = None
        self._hooks: Hooks | None = None

    def name(self) -> str:
        """The class name; torch's hand-written C++ nodes report their qualified name
        (``torch::autograd::CopySlices``)."""
        name = type(self).__name__
        return f"torch::autograd::{name}" if name in _CPP_NODES else name

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {hex(id(self))}>"

    @property
    def saved_tensors(self) -> tuple:
        """The saved values, checked for in-place modification since they were saved."""
        if self._saved is None:
            raise RuntimeError(FREED_MESSAGE)
        return tuple(unpack(s, self) for s in self._saved)

    def unpacked(self) -> dict[str, Any]:
        """The saved values by name (tensors version-checked), for a derivative-table formula."""
        if self._saved is None and self._had_saved:
            raise RuntimeError(FREED_MESSAGE)
        env = dict(self._ctx)
        for name, s in zip(self._saved_names, self._saved):
            env[name] = unpack(s, self)
        return env

    def apply(self, grads: Sequence[Any]) -> tuple:
        if self._saved is None and self._had_saved:
            raise RuntimeError(FREED_MESSAGE)
        results = self._backward(self, *grads)
        if self._input_meta is not None:
            results = validate_outputs(self, results)
        return results

    def __call__(self, *grads: Any) -> Any:
        result = self.apply(grads)
        return result[0] if len(result) == 1 else result

    def _hook_store(self) -> Hooks:
        if self._hooks is None:
            self._hooks = Hooks()
        return self._hooks

    def register_prehook(self, fn: Callable[[tuple], Any]) -> RemovableHandle:
        """``fn(grad_outputs)`` runs before the node; a tuple it returns replaces the gradients."""
        return _add_hook(self._hook_store().pre, fn)

    def register_hook(self, fn: Callable[[tuple, tuple], Any]) -> RemovableHandle:
        """``fn(grad_inputs, grad_outputs)`` runs after the node; a tuple it returns replaces the
        gradients it computed (torch's post hooks)."""
        return _add_hook(self._hook_store().post, fn)

    def register_tensor_hook(self, output_nr: int, fn: Callable[[Tensor], Any]) -> RemovableHandle:
        """A hook of the tensor this node gave output ``output_nr`` (``Tensor.register_hook``)."""
        return _add_hook(self._hook_store().tensor.setdefault(output_nr, OrderedDict()), fn)


class Hooks:
    """A node's hooks, as torch's Node keeps them: hooks of the tensors it produced (by output
    number; for an AccumulateGrad, of its leaf), pre-hooks and post-hooks, in registration order."""

    __slots__ = ("tensor", "pre", "post")

    def __init__(self) -> None:
        self.tensor: dict[int, OrderedDict] = {}
        self.pre: OrderedDict = OrderedDict()
        self.post: OrderedDict = OrderedDict()


def _add_hook(hooks: OrderedDict, fn: Callable) -> RemovableHandle:
    handle = RemovableHandle(hooks)
    hooks[handle.id] = fn
    return handle


class AccumulateGrad(Node):
    """The sink of a leaf: adds incoming gradients into ``variable.grad``."""

    __slots__ = ("_variable",)

    def __init__(self, variable: Tensor):
        super().__init__(_no_backward, (), (), None)
        self._variable = weakref.ref(variable)

    @property
    def variable(self) -> Tensor:
        return self._variable()


def _no_backward(node: Node, *grads: Any) -> tuple:
    return ()


# ----------------------------------------------------------------------------- returned gradients
def flatten_lists(node: Node, grads: Sequence[Any]) -> list[Any]:
    """One gradient per edge: a tensor-list input's gradients (a sequence, or None) spread over its
    edges."""
    if node._spans is None:
        return list(grads)
    flat: list[Any] = []
    for grad, span in zip(grads, node._spans):
        if span == 1 and (grad is None or not isinstance(grad, (list, tuple))):
            flat.append(grad)
        else:
            flat.extend([None] * span if grad is None else grad)
    return flat


def validate_outputs(node: Node, grads: Sequence[Any]) -> tuple:
    """torch's ``validate_outputs`` (torch/csrc/autograd/engine.cpp) for tensor gradients: a gradient
    whose shape broadcasts to its input's is summed back to that shape, any other shape is an error;
    a complex gradient for a real input is an error (formulas take the real part themselves); the
    gradient is cast to the input's dtype."""
    grads = flatten_lists(node, grads)
    for i, (grad, meta) in enumerate(zip(grads, node._input_meta)):
        if grad is None:
            continue
        if meta is None:  # a Python number stood for this tensor: it gets no gradient
            grads[i] = None
            continue
        shape, dtype, _ = meta
        if grad._shape != shape:
            grad = summed_to_input(node.name(), i, grad, shape)
        if grad._dtype is not dtype:
            if grad._dtype.is_complex and not dtype.is_complex:
                raise RuntimeError("Expected isFloatingType(grad.scalar_type()) || (input_is_complex == "
                                   "grad_is_complex) to be true, but got false.")
            grad = grad.to(dtype)
        grads[i] = grad
    return tuple(grads)


def summed_to_input(name: str, index: int, grad: Tensor, shape: tuple[int, ...]) -> Tensor:
    """A returned gradient of another shape than its input's: summed back to it when the input's
    shape broadcasts to it, else torch's "invalid gradient" error."""
    if not expandable(shape, grad._shape):
        raise RuntimeError(
            f"Function {name} returned an invalid gradient at index {index} - got "
            f"[{', '.join(map(str, grad._shape))}] but expected shape compatible with "
            f"[{', '.join(map(str, shape))}]")
    return sum_to(grad, shape)


def expandable(shape: tuple[int, ...], target: tuple[int, ...]) -> bool:
    """Whether ``shape`` broadcasts to ``target`` (``is_expandable_to``)."""
    if len(shape) > len(target):
        return False
    return all(s == t or s == 1 for s, t in zip(reversed(shape), reversed(target)))


class _NodeClasses(dict):
    """name -> the Node subclass of that name, created on first use (a plain subscript on the
    recording paths, no function call)."""

    def __missing__(self, name: str) -> type[Node]:
        cls = self[name] = type(name, (Node,), {"__slots__": ()})
        return cls


NODE_CLASSES: dict[str, type[Node]] = _NodeClasses()


# ----------------------------------------------------------------------------- saved tensors
class Saved:
    """A tensor saved for backward with the version it had then. An op's own output (``output_nr``
    given) is kept as a detached alias plus a weak reference, so the graph does not reference
    itself; unpacking gives the output back while it is alive, else an alias whose grad_fn is the
    saving node, as torch's SavedVariable does (so double backward still reaches through it)."""

    __slots__ = ("tensor", "version", "original", "output_nr")

    def __init__(self, tensor: Tensor, output_nr: int | None = None):
        self.output_nr = output_nr
        if output_nr is not None:
            self.bind_output(tensor)
        else:
            self.version = tensor._version_counter.value
            self.tensor = tensor
            self.original = None

    def bind_output(self, tensor: Tensor) -> None:
        """Save ``tensor`` as the node's output at its current version (also used when an in-place op
        makes the modified tensor the saved result)."""
        self.version = tensor._version_counter.value
        self.tensor = _alias(tensor)
        self.original = weakref.ref(tensor)


def op_name(node: Node) -> str:
    """torch names the producing op without the ``Backward<N>`` suffix in its messages ("Exp", and "F"
    for a custom Function's FBackward); C++ node names stay whole (torch::autograd::CopyBackwards)."""
    return re.sub(r"Backward\d*$", "", node.name())


def unpack(saved: Any, node: Node) -> Any:
    if not isinstance(saved, Saved):
        return saved
    tensor = saved.tensor
    if saved.original is not None:
        alive = saved.original()
        tensor = _output_of(node, saved) if alive is None else alive
    if tensor._version_counter.value != saved.version:
        # torch names the saving node for its own outputs, else the tensor's history as it is now
        producer = node if saved.original is not None else views.current_grad_fn(tensor)
        origin = f", which is output 0 of {op_name(producer)}," if producer is not None else ""
        raise RuntimeError(
            "one of the variables needed for gradient computation has been modified by an inplace operation: "
            f"[{tensor.type()} [{', '.join(map(str, tensor._shape))}]]{origin} is at version "
            f"{tensor._version_counter.value}; expected version {saved.version} instead. Hint: enable anomaly "
            "detection to find the operation that failed to compute its gradient, with "
            "torch.autograd.set_detect_anomaly(True, check_nan=False).")
    return tensor


def _alias(t: Tensor) -> Tensor:
    """A history-free tensor object over exactly ``t``'s elements (same storage, version counter and base)."""
    return Tensor._make(t._storage, t._shape, t._stride, t._offset, t._dtype, t._version_counter, t._base)


def _output_of(node: Node, saved: Saved) -> Tensor:
    """A fresh alias of a saved output whose history is ``node`` (the output object itself is gone)."""
    out = _alias(saved.tensor)
    out._grad_fn, out._output_nr, out._requires_grad = node, saved.output_nr, True
    return out


# ----------------------------------------------------------------------------- edges and recording
_NO_EDGE = (None, 0)


def gradient_edge(t: Any) -> tuple:
    """The ``(node, output_nr)`` edge gradients for ``t`` flow into, ``(None, 0)`` if none."""
    if not isinstance(t, Tensor) or not t._requires_grad:
        return _NO_EDGE
    node = t._grad_fn
    if node is not None:
        if t._view_version is not None and t._view_version != t._version_counter.value:
            node = views.current_grad_fn(t)
        return (node, t._output_nr)
    acc = t._accumulator  # the leaf keeps its sink (the sink only refers back weakly)
    if acc is None:
        if t._creation_meta is views.NO_GRAD_VIEW:  # torch gives such views no grad accumulator
            views.current_grad_fn(t)  # (and refuses them once modified in place)
            return _NO_EDGE
        acc = t._accumulator = AccumulateGrad(t)
    return (acc, 0)


def record(name: str, outputs: Tensor | Sequence[Tensor], inputs: Sequence[Any], backward: Callable,
           saved: Sequence[Any] = (), ctx: Any = None) -> None:
    """Attach a ``name`` node to ``outputs`` (custom :class:`Function` nodes; ops record through the
    autograd layer, :mod:`reftorch.autograd.layer`).

    ``saved`` entries that are tensors are wrapped as :class:`Saved` (version-checked); ``ctx`` is
    any extra data the backward function needs (shapes, dims, scalars).
    """
    if isinstance(outputs, Tensor):
        outs: tuple = (outputs,)
    else:
        outs = tuple(outputs)
    cls = NODE_CLASSES[name]
    edges = tuple(map(gradient_edge, inputs))
    had_saved = False
    if saved:
        wrapped = []
        for s in saved:
            if isinstance(s, Tensor):
                s = Saved(s, next((nr for nr, o in enumerate(outs) if s is o), None))
                had_saved = True
            wrapped.append(s)
        saved = tuple(wrapped)
    node = cls(backward, edges, saved, ctx, len(outs), had_saved)
    for nr, out in enumerate(outs):
        if out is not None and out._dtype.category >= FLOATING:  # floating or complex
            set_history(out, node, nr)


def set_history(out: Tensor, node: Node, nr: int) -> None:
    """Make ``out`` output ``nr`` of ``node`` (torch's set_history): it requires grad, and a
    differentiable view remembers the version its history is as of."""
    out._grad_fn = node
    if nr:
        out._output_nr = nr
    out._requires_grad = True
    if out._base is not None:
        out._view_version = out._version_counter.value


# Modules that build on the classes above (gradient_edge reads views' CreationMeta; validate_outputs
# sums gradients with the derivative helpers).
from . import views  # noqa: E402
from .derivatives.helpers import sum_to  # noqa: E402
