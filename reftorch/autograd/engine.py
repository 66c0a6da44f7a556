"""The backward engine: an iterative walk of the recorded graph (no recursion, so chains of any
length work), in torch's order (dependencies first, newest node first among the ready ones).

``run_backward`` serves both ``Tensor.backward`` (gradients accumulate into leaves' ``.grad``)
and ``autograd.grad`` (gradients are captured at the requested inputs; nothing accumulates).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from typing import Any

from .._arrays import array_dtype, empty_strided, from_array
from .._dtype import FLOATING, from_array_dtype
from .._strides import contiguous_strides, is_non_overlapping_and_dense
from .._tensor import Tensor
from .derivatives import Derivative
from .derivatives.helpers import reduced_axes
from .grad_mode import STATE
from .graph import (
    FREED_MESSAGE,
    AccumulateGrad,
    Hooks,
    Node,
    expandable,
    flatten_lists,
    gradient_edge,
    unpack,
)


def _ones_like(t: Tensor, as_array: bool) -> Any:
    """The implicit gradient of a scalar root: ones, as a backend array or a tensor."""
    backend = t._storage.backend
    ones = backend.xp.empty(t._shape, dtype=array_dtype(backend, t._dtype))
    ones.fill(1)  # cheaper than xp.ones for the one-element arrays this is called for
    return ones if as_array else from_array(ones, t._dtype, t._storage.device, backend)


def _root_gradients(roots: Sequence[Tensor], grads: Sequence[Any], as_arrays: bool) -> list[Any]:
    """Checked root gradients (``ones`` for scalar roots), as arrays on the fast lane."""
    result = []
    for i, (root, grad) in enumerate(zip(roots, grads)):
        if not root._requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        if grad is None:
            if root._shape and root.numel() != 1:  # (a zero-dim root, the usual loss, has one element)
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if root._dtype.category != FLOATING:
                raise RuntimeError(
                    f"grad can be implicitly created only for real scalar outputs but got {root._dtype}")
            result.append(_ones_like(root, as_arrays))
            continue
        elif not isinstance(grad, Tensor):
            raise TypeError(f"gradient must be a Tensor or None, not {type(grad).__name__}")
        elif grad._shape != root._shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{i}] has a shape of {grad.shape} and output[{i}] has a shape "
                f"of {root.shape}.")
        result.append(grad._array if as_arrays else grad)
    return result


def _reachable(start: Iterable[Node]) -> dict[Node, int]:
    """Every node reachable from ``start`` with its number of incoming edges (iteratively)."""
    deps: dict[Node, int] = dict.fromkeys(start, 0)
    stack = list(deps)
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


class _Lane:
    """How gradients travel: as backend arrays (no graph being built: the fast lane) or as tensors.
    Array values are turned into tensors wherever a tensor is needed (a node without an array twin,
    capture, retain_grad)."""

    __slots__ = ("arrays", "device", "backend")

    def __init__(self, arrays: bool, root: Tensor):
        self.arrays = arrays
        self.device = root._storage.device
        self.backend = root._storage.backend

    def tensor(self, value: Any) -> Any:
        if value is None or isinstance(value, Tensor):
            return value
        return from_array(value, from_array_dtype(value.dtype), self.device, self.backend)

    def add(self, existing: Any, grad: Any) -> Any:
        """Sum two gradients for one slot."""
        if existing is None:
            return grad
        if self.arrays:
            if not isinstance(existing, Tensor) and not isinstance(grad, Tensor) and \
                    existing.shape == grad.shape and existing.dtype == grad.dtype:
                return self.backend.xp.add(existing, grad)
            return self.tensor(existing) + self.tensor(grad)
        return existing + grad


def accumulate_into(variable: Tensor, grad: Tensor, create_graph: bool) -> None:
    """AccumulateGrad: the first gradient is stored with the variable's layout; later ones are
    added in place (or out of place when building a graph for higher-order gradients)."""
    if variable._grad is None:
        if create_graph:
            variable._grad = grad
            return
        stored = grad.detach()
        if stored._stride != variable._stride or stored._base is not None or stored._offset:
            stored = _like_layout(variable, stored._array, stored._dtype, stored.device)
        variable._grad = stored
    elif create_graph:
        variable._grad = variable._grad + grad
    else:
        _add_in_place(variable._grad, grad._array, grad.device, grad.detach)


def _add_in_place(target: Tensor, values: Any, device: Any, as_tensor: Any) -> None:
    """``target += values`` for accumulation (grad mode is off here): a plain array add when shape,
    dtype and device agree, else the tensor op on ``as_tensor()``."""
    storage = target._storage
    array = target._array
    same_device = storage.device is device or storage.device == device
    if target._shape == values.shape and array.dtype == values.dtype and same_device:
        storage.backend.xp.add(array, values, out=array)
        target._version_counter.value += 1  # what VersionCounter.bump does, without the call
    else:
        target.add_(as_tensor())


def _like_layout(variable: Tensor, values: Any, dtype: Any, device: Any) -> Tensor:
    """A fresh ``dtype`` tensor holding ``values`` that obeys torch's gradient layout contract: the
    variable's strides when the variable is dense and non-overlapping, row-major otherwise."""
    shape, stride = variable._shape, variable._stride
    if not is_non_overlapping_and_dense(shape, stride):
        stride = contiguous_strides(shape)
    result = empty_strided(shape, stride, dtype, device)
    result._backend.xp.copyto(result._array, values)
    return result


def run_backward(roots: Sequence[Tensor], grad_outputs: Sequence[Any], retain_graph: bool, create_graph: bool,
                 inputs: Sequence[Tensor] | None = None, capture: bool = False) -> list[Any] | None:
    """Propagate ``grad_outputs`` from ``roots``. With ``capture``, return the gradients reaching
    ``inputs`` (``autograd.grad``); otherwise accumulate into leaves (only ``inputs`` if given)."""
    if not roots:
        return [None] * len(inputs or ()) if capture else None
    lane = _Lane(not create_graph, roots[0])
    grads = _root_gradients(roots, grad_outputs, lane.arrays)
    buffers: dict[Node, list[Any]] = {}
    for root, grad in zip(roots, grads):
        node, nr = gradient_edge(root)
        slot = buffers.get(node)
        if slot is None:
            slot = buffers[node] = [None] * node._num_outputs
        slot[nr] = grad if slot[nr] is None else lane.add(slot[nr], grad)
    deps = _reachable(buffers)
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
    try:
        lane.backend.quietly(_propagate, buffers, deps, targets, needed, captured, inputs, capture, retain_graph,
                             create_graph, lane)
    finally:
        STATE.enabled = previous
    return [lane.tensor(g) for g in captured] if capture else None


def _propagate(buffers: dict[Node, list[Any]], deps: dict[Node, int], targets: dict, needed: set[Node] | None,
               captured: list[Any], inputs: Sequence[Tensor] | None, capture: bool, retain_graph: bool,
               create_graph: bool, lane: _Lane) -> None:
    """The walk (inside the backend's quiet context): run ready nodes newest first and hand their
    gradients on; a node becomes ready once every gradient it waits for has arrived."""
    heappush, heappop = heapq.heappush, heapq.heappop
    ready = []
    for node in buffers:
        if not deps[node]:
            ready.append((-node._sequence_nr, id(node), node))
    heapq.heapify(ready)
    while ready:
        node = heappop(ready)[2]
        node_grads = buffers.pop(node, None) or [None] * node._num_outputs
        hooks = node._hooks
        if hooks is not None:
            node_grads = _run_pre_hooks(hooks, node_grads, lane)
        if targets:
            _capture(node, node_grads, targets, captured, inputs, capture, create_graph, lane)
        if node._retained is not None:
            _store_retained(node, node_grads, create_graph, lane)
        if type(node) is AccumulateGrad:
            grad = node_grads[0]
            if grad is not None and not capture and (needed is None or (node, 0) in targets):
                _sink(node, grad, create_graph, lane)
            continue
        if needed is not None and node not in needed:
            results = (None,) * len(node.next_functions)  # nothing to compute; still release counts
        else:
            results = _apply(node, node_grads, lane)
            if hooks is not None and hooks.post:
                results = _run_post_hooks(hooks, results, node_grads, lane)
            if not retain_graph and node._had_saved:
                node._saved = None  # free the saved tensors (torch's release_variables)
        for (nxt, nr), grad in zip(node.next_functions, results):
            if nxt is None:
                continue
            slot = buffers.get(nxt)
            if slot is None:
                slot = buffers[nxt] = [None] * nxt._num_outputs
            if grad is not None:
                slot[nr] = grad if slot[nr] is None else lane.add(slot[nr], grad)
            remaining = deps[nxt] - 1
            deps[nxt] = remaining
            if not remaining:
                heappush(ready, (-nxt._sequence_nr, id(nxt), nxt))


def _run_pre_hooks(hooks: Hooks, grads: list[Any], lane: _Lane) -> list[Any]:
    """Tensor hooks (each may replace the gradient of its tensor, keeping its size and type), then the
    node's pre-hooks (each may replace all gradients), as torch's ``call_tensor_pre_hooks`` and
    ``call_pre_hooks``."""
    grads = list(grads)
    for nr, tensor_hooks in hooks.tensor.items():
        grad = grads[nr]
        if grad is None or not tensor_hooks:
            continue
        grad = lane.tensor(grad)
        for hook in list(tensor_hooks.values()):
            result = hook(grad)
            if result is not None:
                grad = _checked_hook_result(hook, grad, result)
        grads[nr] = grad
    for hook in list(hooks.pre.values()):
        result = hook(tuple(lane.tensor(g) for g in grads))
        if result is not None:
            grads = list(result)
    return grads


def _checked_hook_result(hook: Any, grad: Tensor, result: Any) -> Tensor:
    """torch's ``check_single_result``: a hook may replace a gradient by one of the same size and type."""
    name = getattr(hook, "__name__", type(hook).__name__)
    if not isinstance(result, Tensor):
        raise TypeError(f"expected Variable, but hook returned '{type(result).__name__}'")
    if result._dtype is not grad._dtype or result.device != grad.device:
        raise RuntimeError(f"hook '{name}' has changed the type of value (was {grad.type()} got {result.type()})")
    if result._shape != grad._shape:
        raise RuntimeError(f"hook '{name}' has changed the size of value")
    return result


def _run_post_hooks(hooks: Hooks, results: Any, grads: list[Any], lane: _Lane) -> Any:
    """The node's post-hooks: ``hook(grad_inputs, grad_outputs)``; a tuple it returns replaces the
    gradients the node computed."""
    results = tuple(lane.tensor(g) for g in results)
    outputs = tuple(lane.tensor(g) for g in grads)
    for hook in list(hooks.post.values()):
        replaced = hook(results, outputs)
        if replaced is not None:
            results = tuple(replaced)
    return results


def _apply(node: Node, grads: list[Any], lane: _Lane) -> Any:
    """Run a node: on the array lane its derivative's formulas on arrays when they accept the case,
    else its tensor formula."""
    if lane.arrays:
        backward = node._backward
        if type(backward) is Derivative:
            if backward.arrays:
                results = _array_formulas(node, backward, grads, lane.backend)
                if results is not None:
                    return results
        grads = [lane.tensor(g) for g in grads]
    return node.apply(grads)


def _array_formulas(node: Node, backward: Derivative, grads: list[Any], backend: Any) -> tuple | None:
    """A derivative's formulas run on backend arrays, their results checked as torch's
    ``validate_outputs`` (summed back to broadcast inputs' shapes, cast to their dtypes). A gradient
    that arrives as a tensor (from a node without an array twin) goes on as its array (no graph is
    being built on this lane). None when the case needs the tensor path: a missing gradient, saved
    values of another dtype than the gradient (NumPy would promote where torch keeps zero-dim
    tensors weak), a shape that does not broadcast (the tensor path raises torch's error). Dtypes are
    compared as the backend's dtype objects (NumPy's ``dtype.name`` is a slow Python property)."""
    dtype = None
    for i, g in enumerate(grads):
        if g is None:
            return None
        if isinstance(g, Tensor):
            grads[i] = g = g._array
        dtype = g.dtype
    if node._saved is None and node._had_saved:
        raise RuntimeError(FREED_MESSAGE)
    env = dict(node._ctx)
    for name, s in zip(node._saved_names, node._saved):
        t = s.tensor
        if s.original is not None or t._version_counter.value != s.version:
            t = unpack(s, node)  # an output saved weakly, or a version to check (and report)
        value = t._array
        if value.dtype != dtype:
            return None
        env[name] = value
    results = backward.run(node, tuple(grads), env)
    results = list(results) if node._spans is None else flatten_lists(node, results)
    for i, (grad, meta) in enumerate(zip(results, node._input_meta)):
        if grad is None:
            continue
        if meta is None:
            results[i] = None
            continue
        shape, want, _ = meta
        if grad.shape != shape:
            if not expandable(shape, grad.shape):
                return None
            axes, _ = reduced_axes(grad.shape, shape)
            grad = grad.sum(axis=axes, keepdims=True).reshape(shape)
        target = backend.dtype_map.get(want) or array_dtype(backend, want)  # (the lookup inline: per gradient)
        if grad.dtype != target:
            if grad.dtype.kind == "c" and not want.is_complex:
                return None
            grad = grad.astype(target)
        results[i] = grad
    return tuple(results)


def _sink(node: AccumulateGrad, grad: Any, create_graph: bool, lane: _Lane) -> None:
    """Run a leaf's AccumulateGrad (a no-op once the leaf is gone)."""
    variable = node._variable()
    if variable is None:
        return
    if isinstance(grad, Tensor):
        accumulate_into(variable, grad, create_graph)
        return
    target = variable._grad  # an array gradient (the fast lane)
    if target is not None:
        _add_in_place(target, grad, lane.device, lambda: lane.tensor(grad))
    elif grad.shape == variable._shape and grad.dtype == (lane.backend.dtype_map.get(variable._dtype)
                                                          or array_dtype(lane.backend, variable._dtype)):
        variable._grad = _like_layout(variable, grad, variable._dtype, lane.device)
    else:
        accumulate_into(variable, lane.tensor(grad), False)


def _capture(node: Node, grads: list[Any], targets: dict, captured: list, inputs: Sequence[Tensor], capture: bool,
             create_graph: bool, lane: _Lane) -> None:
    """Record the gradients arriving at requested inputs (``autograd.grad`` / ``backward(inputs=)``)."""
    for nr, grad in enumerate(grads):
        index = targets.get((node, nr))
        if index is not None:
            captured[index] = grad
            if not capture and type(node) is not AccumulateGrad and grad is not None:
                _retain_into(inputs[index], lane.tensor(grad), create_graph)


def _store_retained(node: Node, grads: list[Any], create_graph: bool, lane: _Lane) -> None:
    """Non-leaf tensors that called ``retain_grad()`` get the gradient of their output slot."""
    for nr, ref in node._retained.items():
        tensor = ref()
        if tensor is not None and grads[nr] is not None:
            _retain_into(tensor, lane.tensor(grads[nr]), create_graph)


def _retain_into(tensor: Tensor, grad: Tensor, create_graph: bool) -> None:
    if tensor._grad is None:
        tensor._grad = grad if create_graph else grad.detach().clone()
    elif create_graph:
        tensor._grad = tensor._grad + grad
    else:
        tensor._grad = tensor._grad + grad.detach()
