"""Autograd methods of Tensor: ``backward``, ``retain_grad``, ``detach_``, ``.data``,
``register_hook``-free grad bookkeeping, ``is_inference``."""

from __future__ import annotations

import weakref
from typing import Any

from .._tensor import Tensor
from .engine import run_backward
from .views import current_grad_fn


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


def retain_grad(self: Tensor) -> None:
    """Ask a non-leaf to keep its gradient in ``.grad`` (a no-op on leaves)."""
    if not self._requires_grad:
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    node = current_grad_fn(self)
    if node is None or self._retains_grad:
        return
    if node._retained is None:
        node._retained = {}
    node._retained[self._output_nr] = weakref.ref(self)
    self._retains_grad = True


def retains_grad(self: Tensor) -> bool:
    return self._retains_grad


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


def _get_data(self: Tensor) -> Tensor:
    """``.data``: shares storage, is not tracked, and has its own version counter."""
    from .._storage import VersionCounter

    return Tensor._make(self._storage, self._shape, self._stride, self._offset, self._dtype, VersionCounter(),
                        self._base)


def _set_data(self: Tensor, value: Tensor) -> None:
    """Assigning ``.data`` swaps this tensor's storage and metadata for ``value``'s (dtype may change)."""
    if not isinstance(value, Tensor):
        raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
    self._storage, self._dtype = value._storage, value._dtype
    self._set_metadata(value._shape, value._stride, value._offset)


def is_inference(self: Tensor) -> bool:
    return self._is_inference


METHODS = {"backward": backward, "retain_grad": retain_grad, "detach_": detach_, "is_inference": is_inference}
def grad_fn(self: Tensor) -> Any:
    """The node that produced this tensor (None for leaves); a view modified in place through its
    base is given its regenerated ``AsStridedBackward0`` history, as in torch."""
    return current_grad_fn(self)


def is_leaf(self: Tensor) -> bool:
    """True for tensors that no recorded op produced (everything that does not require grad, and
    tensors the user created with ``requires_grad=True``); reads ``grad_fn`` as torch does."""
    return current_grad_fn(self) is None


PROPERTIES = {"retains_grad": retains_grad, "grad_fn": grad_fn, "is_leaf": is_leaf}
DATA = property(_get_data, _set_data, doc=_get_data.__doc__)
