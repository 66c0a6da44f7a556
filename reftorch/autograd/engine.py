"""The backward engine: an iterative walk of the recorded graph (no recursion, so chains of any
length work), in torch's order (dependencies first, newest node first among the ready ones).

``run_backward`` serves both ``Tensor.backward`` (gradients accumulate into leaves' ``.grad``)
and ``autograd.grad`` (gradients are captured at the requested inputs; nothing accumulates).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any

from .._tensor import Tensor
from .grad_mode import STATE
from .graph import AccumulateGrad, Node, gradient_edge


def _ones_like(t: Tensor) -> Tensor:
    from ..ops._util import array_dtype, from_array

    backend = t._storage.backend
    return from_array(backend.xp.ones(t._shape, dtype=array_dtype(backend, t._dtype)), t._dtype,
                      t._storage.device, backend)


def _root_gradients(roots: Sequence[Tensor], grads: Sequence[Any]) -> list[Tensor]:
    result = []
    for i, (root, grad) in enumerate(zip(roots, grads)):
        if not root._requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        if grad is None:
            if root.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if not root._dtype.is_floating_point:
                raise RuntimeError(
                    f"grad can be implicitly created only for real scalar outputs but got {root._dtype}")
            grad = _ones_like(root)
        elif not isinstance(grad, Tensor):
            raise TypeError(f"gradient must be a Tensor or None, not {type(grad).__name__}")
        elif grad._shape != root._shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{i}] has a shape of {grad.shape} and output[{i}] has a shape "
                f"of {root.shape}.")
        result.append(grad)
    return result


def _reachable(start: Sequence[Node]) -> dict[Node, int]:
    """Every node reachable from ``start`` with its number of incoming edges (iteratively)."""
    deps: dict[Node, int] = {node: 0 for node in start}
    stack = list(start)
    while stack:
        node = stack.pop()
        for nxt, _ in node.next_functions:
            if nxt is None:
                continue
            if nxt in deps:
                deps[nxt] += 1
            else:
                deps[nxt] = 1
                stack.append(nxt)
    return deps


def _needed(deps: dict[Node, int], targets: set[Node]) -> set[Node]:
    """Nodes from which some target is reachable (the only ones worth running)."""
    parents: dict[Node, list[Node]] = {}
    for node in deps:
        for nxt, _ in node.next_functions:
            if nxt is not None:
                parents.setdefault(nxt, []).append(node)
    needed = set(t for t in targets if t in deps)
    stack = list(needed)
    while stack:
        for parent in parents.get(stack.pop(), ()):
            if parent not in needed:
                needed.add(parent)
                stack.append(parent)
    return needed


def _add(existing: Any, grad: Any) -> Any:
    """Sum two gradients for one slot (a plain array add unless a graph is being built)."""
    if existing is None:
        return grad
    if STATE.enabled or existing._shape != grad._shape or existing._dtype is not grad._dtype:
        return existing + grad
    from ..ops._util import from_array

    backend = existing._storage.backend
    return from_array(backend.xp.add(existing._array, grad._array), existing._dtype, existing.device, backend)


def accumulate_into(variable: Tensor, grad: Tensor, create_graph: bool) -> None:
    """AccumulateGrad: the first gradient is stored with the variable's layout; later ones are
    added in place (or out of place when building a graph for higher-order gradients)."""
    if variable._grad is None:
        if create_graph:
            variable._grad = grad
            return
        stored = grad.detach()
        if stored._stride != variable._stride or stored._base is not None or stored._offset:
            stored = _like_layout(stored, variable)
        variable._grad = stored
    elif create_graph:
        variable._grad = variable._grad + grad
    else:
        _add_in_place(variable._grad, grad)


def _add_in_place(target: Tensor, grad: Tensor) -> None:
    """``target += grad`` for accumulation (no graph is recorded: grad mode is off here)."""
    if target._shape == grad._shape and target._dtype is grad._dtype and target._storage.device == grad.device:
        backend = target._storage.backend
        backend.xp.add(target._array, grad._array, out=target._array)
        target._version_counter.bump()
    else:
        target.add_(grad.detach())


def _like_layout(grad: Tensor, variable: Tensor) -> Tensor:
    """A fresh copy of ``grad`` obeying torch's gradient layout contract: the variable's strides when
    the variable is dense and non-overlapping, row-major otherwise."""
    from .._strides import contiguous_strides, is_non_overlapping_and_dense
    from ..ops._util import empty_strided

    shape, stride = variable._shape, variable._stride
    if not is_non_overlapping_and_dense(shape, stride):
        stride = contiguous_strides(shape)
    result = empty_strided(shape, stride, grad._dtype, grad.device)
    result._backend.xp.copyto(result._array, grad._array)
    return result


def run_backward(roots: Sequence[Tensor], grad_outputs: Sequence[Any], retain_graph: bool, create_graph: bool,
                 inputs: Sequence[Tensor] | None = None, capture: bool = False) -> list[Any] | None:
    """Propagate ``grad_outputs`` from ``roots``. With ``capture``, return the gradients reaching
    ``inputs`` (``autograd.grad``); otherwise accumulate into leaves (only ``inputs`` if given)."""
    grads = _root_gradients(roots, grad_outputs)
    edges = [gradient_edge(r) for r in roots]
    buffers: dict[Node, list[Any]] = {}
    for (node, nr), grad in zip(edges, grads):
        slot = buffers.setdefault(node, [None] * node._num_outputs)
        slot[nr] = _add(slot[nr], grad)
    deps = _reachable(list(buffers))
    targets: dict[tuple[Node, int], int] = {}
    if inputs is not None:
        for i, t in enumerate(inputs):
            if not t._requires_grad:
                raise RuntimeError("One of the differentiated Tensors does not require grad")
            targets.setdefault(gradient_edge(t), i)
        needed = _needed(deps, {node for node, _ in targets})
    else:
        needed = None
    captured: list[Any] = [None] * (len(inputs) if inputs is not None else 0)

    previous = STATE.enabled
    STATE.enabled = create_graph
    heappush, heappop = heapq.heappush, heapq.heappop
    try:
        ready = [(-node._sequence_nr, id(node), node) for node in buffers if deps[node] == 0]
        heapq.heapify(ready)
        while ready:
            node = heappop(ready)[2]
            node_grads = buffers.pop(node, None) or [None] * node._num_outputs
            if targets:
                _capture(node, node_grads, targets, captured, inputs, capture, create_graph)
            if node._retained is not None:
                _store_retained(node, node_grads, create_graph)
            if type(node) is AccumulateGrad:
                variable = node.variable
                if variable is not None and not capture and node_grads[0] is not None and (
                        needed is None or (node, 0) in targets):
                    accumulate_into(variable, node_grads[0], create_graph)
                continue
            if needed is not None and node not in needed:
                results = (None,) * len(node.next_functions)  # nothing to compute; still release counts
            else:
                results = node.apply(node_grads)
                if not retain_graph:
                    node.release()
            for (nxt, nr), grad in zip(node.next_functions, results):
                if nxt is None:
                    continue
                slot = buffers.get(nxt)
                if slot is None:
                    slot = buffers[nxt] = [None] * nxt._num_outputs
                if grad is not None:
                    slot[nr] = grad if slot[nr] is None else _add(slot[nr], grad)
                remaining = deps[nxt] - 1
                deps[nxt] = remaining
                if not remaining:
                    heappush(ready, (-nxt._sequence_nr, id(nxt), nxt))
    finally:
        STATE.enabled = previous
    return captured if capture else None


def _capture(node: Node, grads: list[Any], targets: dict, captured: list, inputs: Sequence[Tensor], capture: bool,
             create_graph: bool) -> None:
    """Record the gradients arriving at requested inputs (``autograd.grad`` / ``backward(inputs=)``)."""
    for nr, grad in enumerate(grads):
        index = targets.get((node, nr))
        if index is not None:
            captured[index] = grad
            if not capture and type(node) is not AccumulateGrad:
                _retain_into(inputs[index], grad, create_graph)


def _store_retained(node: Node, grads: list[Any], create_graph: bool) -> None:
    """Non-leaf tensors that called ``retain_grad()`` get the gradient of their output slot."""
    for nr, ref in node._retained.items():
        tensor = ref()
        if tensor is not None and grads[nr] is not None:
            _retain_into(tensor, grads[nr], create_graph)


def _retain_into(tensor: Tensor, grad: Tensor, create_graph: bool) -> None:
    if tensor._grad is None:
        tensor._grad = grad if create_graph else grad.detach().clone()
    elif create_graph:
        tensor._grad = tensor._grad + grad
    else:
        tensor._grad = tensor._grad + grad.detach()
