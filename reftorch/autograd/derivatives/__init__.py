"""The derivative table: one entry per autograd node, keyed by torch's node name.

Mirrors torch's tools/autograd/derivatives.yaml. An entry lists the node's differentiable inputs (its
edges, in order) and one formula per input, written like the yaml's ``self: grad * other.conj()``::

    define("MulBackward0", {
        "self": lambda grad, other: grad * conj(other),
        "other": lambda grad, self: grad * conj(self),
    }, arrays=True)

A formula's parameter names say what it reads, and so what the node saves (torch's codegen saves a
value when a formula of an input that needs a gradient uses it):

- ``grad`` (the gradient of the only or first output), ``grads`` (all output gradients, None where
  an output got none), ``needs`` (which inputs need a gradient: torch's ``grad_input_mask``);
- the op's arguments by name (``self`` for the first one, whatever the Python signature calls it):
  tensors are saved version-checked, other values as they are;
- ``result`` / ``result1``... the op's outputs (saved version-checked, as torch's SavedVariable of an
  output);
- ``<argument>_shape``, ``_dtype``, ``_device``, ``_stride``, ``_storage_offset``: a tensor argument's metadata, without
  keeping the tensor (torch's ``self_sym_sizes``).

A key ``"Node:variant"`` names an entry whose node class is ``Node``, for torch nodes that serve
several ops with different formulas or messages (``NotImplemented:floor_divide``).

A tuple key ``("self", "other")`` gives one formula computing several inputs' gradients together (it
returns one gradient per name, None for those not needed). A gradient may have a broadcast shape or
another dtype: the engine sums it back to the input's shape and casts it, as torch's
``validate_outputs`` does. ``arrays=True`` declares that every formula of the entry computes the same
on backend arrays (operators and the array-aware helpers of :mod:`.helpers` only), so the engine's
array lane can run it without building tensors; the create_graph path runs the same formulas on
tensors, so they are differentiable again.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

_SPECIAL = frozenset({"grad", "grads", "needs"})
METADATA = {"shape": "_shape", "dtype": "_dtype", "device": "device", "stride": "_stride",
            "storage_offset": "_offset"}


@dataclass(frozen=True, eq=False)
class Formula:
    """One formula: the inputs it computes (indices into the entry's inputs) and what it reads."""

    fn: Callable[..., Any]
    targets: tuple[int, ...]
    reads: tuple[str, ...]
    joint: bool


class Derivative:
    """A node's entry of the table (see the module docstring). Instances are the nodes' backward
    functions: ``entry(node, *grads)`` returns one gradient (or None) per input."""

    __slots__ = ("name", "node_name", "inputs", "formulas", "arrays", "output_differentiability", "dtype_check",
                 "reads_by_input", "reads_result", "edges_of_required_only")

    def __init__(self, name: str, formulas: Mapping[str | tuple[str, ...], Callable], arrays: bool = False,
                 output_differentiability: tuple[bool, ...] | None = None, dtype_check: bool = False):
        self.name = name
        self.node_name = name.split(":", 1)[0]
        inputs: list[str] = []
        parsed = []
        for key, fn in formulas.items():
            names = (key,) if isinstance(key, str) else tuple(key)
            for n in names:
                if n in inputs:
                    raise ValueError(f"{name}: input {n!r} has two formulas")
                inputs.append(n)
            reads = tuple(inspect.signature(fn).parameters)
            parsed.append((names, fn, reads, not isinstance(key, str)))
        self.inputs = tuple(inputs)
        self.formulas = tuple(Formula(fn, tuple(inputs.index(n) for n in names), reads, joint)
                              for names, fn, reads, joint in parsed)
        self.arrays = arrays
        self.output_differentiability = output_differentiability
        self.dtype_check = dtype_check
        # per input: the saved names its formula reads (what must be kept when that input needs a gradient)
        reads_by_input: list[tuple[str, ...]] = [()] * len(self.inputs)
        for f in self.formulas:
            for i in f.targets:
                reads_by_input[i] = tuple(r for r in f.reads if r not in _SPECIAL)
        self.reads_by_input = tuple(reads_by_input)
        self.reads_result = any(r.startswith("result") for reads in reads_by_input for r in reads)
        # torch's NotImplemented nodes get edges only for the inputs that require grad
        self.edges_of_required_only = False

    def __repr__(self) -> str:
        return f"<derivative {self.name} of {', '.join(self.inputs)}>"

    def __call__(self, node: Any, *grads: Any) -> tuple:
        """The tensor path (and create_graph): every saved value unpacked with its version check."""
        return self.run(node, grads, node.unpacked())

    def run(self, node: Any, grads: tuple, env: dict[str, Any]) -> tuple:
        """Apply the formulas of the inputs that need a gradient; ``env`` holds the saved values
        (tensors, or backend arrays on the engine's array lane)."""
        needs = node._needs
        out: list[Any] = [None] * len(self.inputs)
        for g in grads:  # (plain loops, not all()/any() over generators: this runs for every node)
            if g is not None:
                break
        else:  # torch's any_grad_defined: no gradient arrived, none leaves
            return tuple(out)
        env["grad"] = grads[0]
        env["grads"] = grads
        env["needs"] = needs
        for f in self.formulas:
            for i in f.targets:
                if needs[i]:
                    break
            else:
                continue
            value = f.fn(*map(env.__getitem__, f.reads))  # (map: no comprehension frame per node)
            if f.joint:
                for i, g in zip(f.targets, value):
                    out[i] = g if needs[i] else None
            else:
                out[f.targets[0]] = value
        return tuple(out)


TABLE: dict[str, Derivative] = {}


def define(name: str, formulas: Mapping[str | tuple[str, ...], Callable], *, arrays: bool = False,
           output_differentiability: tuple[bool, ...] | None = None, dtype_check: bool = False) -> Derivative:
    """Add the entry of node ``name`` to :data:`TABLE` (see the module docstring).
    ``output_differentiability`` marks outputs that never get history (the indices of ``max(dim)``);
    ``dtype_check`` makes a non-differentiable result dtype an error ("Autograd not support dtype",
    torch's check for ops with a ``dtype=`` argument)."""
    if name in TABLE:
        raise ValueError(f"derivative {name!r} is defined twice")
    entry = TABLE[name] = Derivative(name, formulas, arrays, output_differentiability, dtype_check)
    return entry


def not_implemented(aten_name: str, inputs: tuple[str, ...] = ("self",), *, name: str | None = None,
                    error: type[Exception] = RuntimeError, message: str | None = None) -> Derivative:
    """An entry whose backward raises torch's error for an op without a derivative (the node is
    recorded, so the forward result has history, as in torch). Its key is ``NotImplemented:<aten
    name>`` unless ``name`` says otherwise (torch names some such nodes after the op)."""
    text = message or f"derivative for aten::{aten_name} is not implemented"
    name = name or f"NotImplemented:{aten_name}"

    def raises(grad: Any) -> Any:
        raise error(text)

    entry = define(name, {inputs: raises} if len(inputs) > 1 else {inputs[0]: raises})
    entry.edges_of_required_only = True
    return entry


from . import (  # noqa: E402,F401 - fill TABLE
    activation,
    bilinear,
    conversion,
    convolution,
    ctc,
    elementwise,
    embedding,
    indexing,
    joining,
    linalg,
    loss,
    normalization,
    padding,
    pointwise,
    pooling,
    random_fill,
    reductions,
    softmax,
    upsampling,
    views,
)

__all__ = ["METADATA", "TABLE", "Derivative", "define", "not_implemented"]
