"""The autograd part of the Tensor surface, as registry records: ``backward``, ``register_hook``,
``retain_grad``/``retains_grad``, ``detach_``, ``grad_fn``, ``is_leaf``, ``is_inference``.

``backward``, ``register_hook`` and ``retain_grad`` are Python methods in torch (torch/_tensor.py),
so they are ``python=True`` records (Python's own argument errors); ``grad_fn``, ``is_leaf`` and
``retains_grad`` are properties (``attribute=True``).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from .._tensor import Tensor
from ..ops.registry import register
from ..utils.hooks import RemovableHandle
from .engine import run_backward
from .graph import gradient_edge
from .views import current_grad_fn


@register("Tensor.backward", "backward(Tensor self, Tensor? gradient=None, bool? retain_graph=None, "
          "bool create_graph=False, TensorList? inputs=None)", composite=True, function=False, python=True)
def backward(self: Tensor, gradient: Tensor | None = None, retain_graph: bool | None = None,
             create_graph: bool = False, inputs: Any = None) -> None:
    """``Tensor.backward``: accumulate d(self)/d(leaf) into every leaf's ``.grad`` (or only into
    ``inputs``); the graph is freed unless ``retain_graph`` (default: ``create_graph``)."""
    if retain_graph is None:
        retain_graph = create_graph
    if inputs is not None:
        inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
        if not inputs:
            raise RuntimeError("'inputs' argument to backward() cannot be empty.")
    run_backward([self], [gradient], retain_graph, create_graph, inputs=inputs)


@register("Tensor.register_hook", "register_hook(Tensor self, PyObject* hook)", composite=True, function=False,
          python=True)
def register_hook(self: Tensor, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
    """``Tensor.register_hook``: ``hook(grad)`` runs each time a gradient for this tensor is computed
    and may return a replacement (same size and type). A leaf's hooks run before its gradient is
    accumulated; a non-leaf's belong to the node that produced it. Returns a handle whose
    ``remove()`` unregisters the hook."""
    if not self._requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    node = current_grad_fn(self)
    if node is None:
        node, nr = gradient_edge(self)  # the leaf's AccumulateGrad (kept alive by the leaf)
    else:
        nr = self._output_nr
    return node.register_tensor_hook(nr, hook)


@register("Tensor.retain_grad", "retain_grad(Tensor self)", composite=True, function=False, python=True)
def retain_grad(self: Tensor) -> None:
    """Ask a non-leaf to keep its gradient in ``.grad`` (a no-op on leaves); its hooks run first."""
    if not self._requires_grad:
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    node = current_grad_fn(self)
    if node is None or self._retains_grad:
        return
    if node._retained is None:
        node._retained = {}
    node._retained[self._output_nr] = weakref.ref(self)
    self._retains_grad = True


@register("detach_", "detach_(Tensor input)", composite=True)
def detach_(self: Tensor) -> Tensor:
    """Make this tensor a leaf that does not require grad; views cannot be detached in place."""
    if self._base is not None:
        raise RuntimeError(
            "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) "
            "for training, and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and "
            "hence detach_() cannot be called on these gradients. To fix this error, please refer to the "
            "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.")
    self._grad_fn = None
    self._requires_grad = False
    return self


@register("is_inference", "is_inference(Tensor input)", composite=True)
def is_inference(self: Tensor) -> bool:
    """Whether the tensor was made in inference mode."""
    return self._is_inference


@register("retains_grad", "retains_grad(Tensor self)", composite=True, function=False, method=False,
          attribute=True)
def retains_grad(self: Tensor) -> bool:
    return self._retains_grad


@register("grad_fn", "grad_fn(Tensor self)", composite=True, function=False, method=False, attribute=True)
def grad_fn(self: Tensor) -> Any:
    """The node that produced this tensor (None for leaves); a view modified in place through its
    base is given its regenerated ``AsStridedBackward0`` history, as in torch."""
    return current_grad_fn(self)


@register("is_leaf", "is_leaf(Tensor self)", composite=True, function=False, method=False, attribute=True)
def is_leaf(self: Tensor) -> bool:
    """True for tensors that no recorded op produced (everything that does not require grad, and
    tensors the user created with ``requires_grad=True``); reads ``grad_fn`` as torch does."""
    return current_grad_fn(self) is None
