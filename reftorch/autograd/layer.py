"""The autograd layer over the op registry: torch's generated ``VariableType``.

:func:`autograd_kernel` wraps one registered op overload. The wrapper makes one check (grad mode on
and a differentiable input requires grad); when it fails, the kernel runs alone. Otherwise, in
torch's order (tools/autograd/gen_variable_type.py):

1. in-place ops: autograd's in-place check (leaves, restricted views; :func:`views.check_inplace`);
2. the node is created with its edges and the input values its needed formulas read (an in-place
   op's ``self`` is cloned first when read, so the formula sees the values before the write);
3. the kernel runs below autograd (grad mode off, so ops it calls record nothing);
4. the outputs get the node as history (saving those the formulas read); an in-place op rebases
   its target's history, a view op tracks its views (:mod:`reftorch.autograd.views`).

Composite ops (built from other public ops) are not wrapped: the ops they call record themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .._autograd_state import STATE
from .._dtype import FLOATING
from .._tensor import Tensor
from ..ops.registry import OPS, Op, View
from . import views
from .derivatives import METADATA, TABLE, Derivative
from .graph import NODE_CLASSES, Node, Saved, gradient_edge, set_history


def autograd_kernel(op: Op) -> Callable[..., Any]:
    """``op``'s kernel under autograd (the kernel itself for composite and non-differentiable ops)."""
    if op.composite or op.node is None:
        return op.kernel
    derivative = TABLE[op.node]
    plan = _Plan(op, derivative)
    if op.view is not None and op.inplace:
        return _inplace_view_kernel(op, plan)
    if op.view is not None:
        return _view_kernel(op, plan)
    if op.inplace:
        return _inplace_kernel(op, plan)
    return _functional_kernel(op, plan)


class _Plan:
    """Where the derivative's inputs and saved values sit among an op's arguments."""

    __slots__ = ("derivative", "positions", "lists", "sources", "reads", "all_reads", "single")

    def __init__(self, op: Op, derivative: Derivative):
        names = op.parameter_names
        for n in derivative.inputs:
            if n not in names:
                raise ValueError(f"{derivative.name} differentiates {n!r}, which {op.name} does not take")
        self.derivative = derivative
        self.positions = tuple(names.index(n) for n in derivative.inputs)
        self.lists = frozenset(i for i, p in enumerate(self.positions) if "[]" in _type_of(op.signature, p)
                               or "TensorList" in _type_of(op.signature, p))
        # saved name -> ("arg", position) | ("meta", position, attribute) | ("result", output index)
        sources: dict[str, tuple] = {}
        for reads in derivative.reads_by_input:
            for r in reads:
                sources[r] = _source(r, names, derivative.name)
        self.sources = sources
        # per input: (name, source) of each argument value its formula reads (results are saved later)
        self.reads = tuple(tuple((r, sources[r]) for r in reads if sources[r][0] != "result")
                           for reads in derivative.reads_by_input)
        # what is read when every input needs a gradient (the common case), each name once
        self.all_reads = tuple(dict.fromkeys(pair for reads in self.reads for pair in reads))
        # the position of the only input when there is one and it is no list (most ops): built without loops
        self.single = self.positions[0] if len(self.positions) == 1 and not self.lists else None


def _type_of(signature: str, position: int) -> str:
    """The declared type of the ``position``-th parameter of a signature string (counted as
    :attr:`Op.parameter_names` counts, without ``out``)."""
    params = [p.strip() for p in signature[signature.index("(") + 1:signature.rindex(")")].split(", ")]
    params = [p for p in params if p and p != "*" and p.split("=")[0].split()[-1] != "out"]
    return params[position].split()[0]


def _source(name: str, params: Sequence[str], node: str) -> tuple:
    if name in params:
        return ("arg", params.index(name))
    if name == "result":
        return ("result", 0)
    if name.startswith("result") and name[6:].isdigit():
        return ("result", int(name[6:]))
    for suffix, attribute in METADATA.items():
        base = name[:-len(suffix) - 1]
        if name.endswith("_" + suffix) and base in params:
            return ("meta", params.index(base), attribute)
    raise ValueError(f"{node}: a formula reads {name!r}, which is neither an argument, a result nor metadata")


def _requires_grad(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return any(getattr(v, "_requires_grad", False) for v in value)
    return getattr(value, "_requires_grad", False)


def _any_requires_grad(plan: _Plan, args: tuple) -> bool:
    for p in plan.positions:
        value = args[p]
        if type(value) is Tensor:  # the common case, read without a call (this runs for every op call)
            if value._requires_grad:
                return True
        elif _requires_grad(value):
            return True
    return False


def _run_below(kernel: Callable, args: tuple) -> Any:
    """Run a kernel below autograd (torch's AutoDispatchBelowAutograd): the ops it calls record nothing."""
    previous = STATE.enabled
    STATE.enabled = False
    try:
        return kernel(*args)
    finally:
        STATE.enabled = previous


# ----------------------------------------------------------------------------- node building
def _create(plan: _Plan, args: tuple, inplace: bool = False) -> Node:
    """The node with its edges, the inputs' metadata (for the engine's checks of returned gradients)
    and the input values its needed formulas read, saved before the kernel runs (as torch does)."""
    d = plan.derivative
    if plan.single is not None:
        t = args[plan.single]
        edge = gradient_edge(t)
        edges: Any = (edge,)
        needs: Any = (edge[0] is not None,)
        meta: Any = ((t._shape, t._dtype, t._storage.device) if isinstance(t, Tensor) else None,)
        spans: Any = None
    else:
        edges, needs, meta, spans = [], [], [], []
        for i, p in enumerate(plan.positions):
            value = args[p]
            items = value if i in plan.lists else (value,)
            spans.append(len(items))
            needed = False
            for t in items:
                edge = gradient_edge(t)
                edges.append(edge)
                meta.append((t._shape, t._dtype, t._storage.device) if isinstance(t, Tensor) else None)
                needed = needed or edge[0] is not None
            needs.append(needed)
    if d.edges_of_required_only:  # a NotImplemented node: an edge per input that requires grad
        kept = [i for i, edge in enumerate(edges) if edge[0] is not None]
        edges, meta = [edges[i] for i in kept], [meta[i] for i in kept]
    if False in needs:
        reads = dict.fromkeys(pair for i, pairs in enumerate(plan.reads) if needs[i] for pair in pairs)
    else:
        reads = plan.all_reads
    names: list[str] = []
    saved: list[Any] = []
    ctx: dict[str, Any] = {}
    for r, source in reads:
        value = args[source[1]]
        if source[0] == "meta":
            ctx[r] = getattr(value, source[2]) if type(value) is Tensor else _metadata(value, source[2])
        elif isinstance(value, Tensor):
            names.append(r)
            saved.append(Saved(views.original_values(value) if inplace and source[1] == 0 else value))
        else:
            ctx[r] = value
    node = NODE_CLASSES[d.node_name](d, tuple(edges), tuple(saved), ctx, 1, bool(saved))
    node._saved_names = tuple(names)
    node._needs = tuple(needs)
    node._input_meta = tuple(meta)
    node._spans = tuple(spans) if plan.lists else None
    return node


def _metadata(value: Any, attribute: str) -> Any:
    """A tensor argument's metadata (``self_shape``); for a tensor list, one value per tensor, as
    torch's ``to_args_sizes``/``to_args_scalartypes`` save a ``cat``'s inputs' sizes and dtypes."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return tuple(getattr(t, attribute) for t in value)
    return getattr(value, attribute)


def _attach(node: Node, plan: _Plan, result: Any, with_history: bool = True) -> tuple:
    """Give the outputs their history and save the ones the formulas read; returns the outputs."""
    d = plan.derivative
    outs = (result,) if isinstance(result, Tensor) else tuple(result)
    node._num_outputs = len(outs)
    if d.reads_result:
        names, saved = list(node._saved_names), list(node._saved or ())
        for i, reads in enumerate(d.reads_by_input):
            if not node._needs[i]:
                continue
            for r in reads:
                source = plan.sources[r]
                if source[0] == "result" and r not in names:
                    names.append(r)
                    saved.append(Saved(outs[source[1]], source[1]))
        node._saved_names, node._saved, node._had_saved = tuple(names), tuple(saved), True
    if with_history:
        differentiable = d.output_differentiability
        for nr, out in enumerate(outs):
            if not isinstance(out, Tensor) or (differentiable is not None and not differentiable[nr]):
                continue
            if out._dtype.category < FLOATING:  # neither floating nor complex
                if d.dtype_check:
                    raise RuntimeError(f"Autograd not support dtype: {out._dtype.scalar_name}")
                continue
            set_history(out, node, nr)
    return outs


# ----------------------------------------------------------------------------- the three wrappers
def _recorded(kernel: Callable, plan: _Plan, args: tuple) -> Any:
    """A functional op's call that records its node: the kernel runs below autograd (grad mode was
    on: :func:`_run_below` inlined, this is the hot path of every recorded op)."""
    node = _create(plan, args)
    STATE.enabled = False
    try:
        result = kernel(*args)
    finally:
        STATE.enabled = True
    _attach(node, plan, result)
    return result


def _functional_kernel(op: Op, plan: _Plan) -> Callable[..., Any]:
    kernel = op.kernel
    if len(plan.positions) == 2 and not plan.lists:  # the binary ops: the check without a loop
        first, second = plan.positions

        def binary_call(*args: Any) -> Any:
            if STATE.enabled and (getattr(args[first], "_requires_grad", False)
                                  or getattr(args[second], "_requires_grad", False)):
                return _recorded(kernel, plan, args)
            return kernel(*args)

        return _named(binary_call, op)

    def call(*args: Any) -> Any:
        if STATE.enabled and _any_requires_grad(plan, args):
            return _recorded(kernel, plan, args)
        return kernel(*args)

    return _named(call, op)


def _inplace_kernel(op: Op, plan: _Plan) -> Callable[..., Any]:
    kernel = op.kernel

    def call(*args: Any) -> Any:
        self = args[0]
        if STATE.enabled and (self._requires_grad or _any_requires_grad(plan, args)):
            views.check_inplace(self)
            node = _create(plan, args, inplace=True)
            _run_below(kernel, args)
            _attach(node, plan, self, with_history=False)
            views.rebase_history(self, node)
            return self
        return kernel(*args)

    return _named(call, op)


def _view_kernel(op: Op, plan: _Plan) -> Callable[..., Any]:
    kernel = op.kernel
    multi = op.view is View.MULTI

    def call(*args: Any) -> Any:
        source = args[0]
        if not source._requires_grad:
            return kernel(*args)
        if not STATE.enabled:
            result = kernel(*args)
            views.mark_no_grad_views((result,) if isinstance(result, Tensor) else result)
            return result
        node = _create(plan, args)
        result = _run_below(kernel, args)
        views.track(source, _attach(node, plan, result), multi)
        return result

    return _named(call, op)


def _inplace_view_kernel(op: Op, plan: _Plan) -> Callable[..., Any]:
    """In-place metadata ops (``t_``, ``squeeze_``): the tensor's own geometry changes, and its history
    becomes the op's node (as the view the functional op would return, not through CopySlices)."""
    kernel = op.kernel

    def call(*args: Any) -> Any:
        self = args[0]
        if STATE.enabled and self._requires_grad:
            views.check_inplace(self)
            node = _create(plan, args)
            _run_below(kernel, args)
            _attach(node, plan, self)
            return self
        views.check_inplace(self)
        return kernel(*args)

    return _named(call, op)


def record_onto(name: str, args: tuple, outputs: Tensor | Sequence[Tensor]) -> Node:
    """Give existing ``outputs`` the history op ``name`` would record for ``args`` (a stale view's
    regenerated ``AsStridedBackward0``)."""
    op = OPS[name]
    plan = _Plan(op, TABLE[op.node])
    node = _create(plan, args)
    _attach(node, plan, outputs)
    return node


def _named(call: Callable, op: Op) -> Callable:
    call.__name__ = call.__qualname__ = op.python_name
    call.__doc__ = op.kernel.__doc__
    return call


__all__ = ["autograd_kernel", "record_onto"]
