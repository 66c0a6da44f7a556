"""The op registry: every op overload declared once, as one record.

Mirrors torch's ``native_functions.yaml`` + ``derivatives.yaml`` + generated bindings: an :class:`Op`
is one ATen overload (``add.Tensor``, ``sum.dim_IntList``...) with

- its Python signature in torch's argument-parser format (``"add(Tensor input, Tensor other, *,
  Scalar alpha=1, Tensor out=None)"``), from which :mod:`reftorch.ops._args` parses calls, raises
  torch's TypeErrors and picks the overload, exactly as torch's ``PythonArgParser`` does;
- its kernel, which computes on the parsed arguments through the backend's array module and never
  records autograd history (a kernel may call other ops' kernels, or the public surface when it is
  a *composite*: built from other differentiable ops, which record themselves);
- the name of the autograd node it records (a key of :data:`reftorch.autograd.derivatives.TABLE`;
  an in-place overload names the node of its functional twin, as torch's ``add_`` records
  AddBackward0), whether it returns views of its input, and whether it modifies its first argument
  in place (torch's ``Tensor(a!) self``);
- its variants: ``torch.<name>`` function, ``Tensor.<name>`` method (in-place ops are methods).

Declaring an op is decorating its kernel::

    @register("mul.Tensor", "mul(Tensor input, Tensor other, *, Tensor out=None)", node="MulBackward0")
    def mul(self, other): ...

The ops layer never imports autograd. :mod:`reftorch._surface` joins the two at import: it wraps each
record's kernel in the autograd layer (:func:`reftorch.autograd.layer.autograd_kernel`, torch's
``VariableType``), builds one Python callable per torch name over that name's overloads, and installs
them as ``torch.<name>`` and ``Tensor.<name>``. Kernels reach other public ops through
:data:`functions` (``functions.cat(...)``) or Tensor methods.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class Promotion(enum.Enum):
    """How an elementwise op's result dtype follows its operands' promoted dtype (PrimTorch's
    ``ELEMENTWISE_TYPE_PROMOTION_KIND``, torch/_prims_common/__init__.py)."""

    DEFAULT = "default"  # the promoted dtype
    INT_TO_FLOAT = "int_to_float"  # bool/integer results become the default float (sqrt, true division)
    COMPLEX_TO_FLOAT = "complex_to_float"  # complex inputs give real results (abs)
    ALWAYS_BOOL = "always_bool"  # comparisons and logical ops, computed in the promoted dtype
    BOOL_TO_LONG = "bool_to_long"  # bool results become int64 (pow, square)


class View(enum.Enum):
    """How an op's outputs alias its first input (torch's ``Tensor(a)`` return annotations)."""

    ONE = "one"  # one output viewing the input (view, transpose, select...)
    MULTI = "multi"  # a tuple of views that torch forbids modifying in place (split, chunk, unbind)


@dataclass(eq=False)
class Op:
    """One op overload. ``signature`` is the function form; the method form drops the first
    parameter (``self``/``input``). ``python`` marks ops torch implements in Python (torch/functional.py,
    torch/_tensor.py): no argument parser, Python's own argument errors, as torch's; ``attribute`` makes
    the method a property (``Tensor.T``). ``call`` is the kernel under the autograd layer, set by
    :mod:`reftorch._surface` when the surface is installed."""

    name: str
    signature: str
    kernel: Callable[..., Any]
    node: str | None = None
    composite: bool = False
    view: View | None = None
    inplace: bool = False
    function: bool = True
    method: bool = True
    promotion: Promotion | None = None
    python: bool = False
    attribute: bool = False
    call: Callable[..., Any] | None = field(default=None, repr=False)

    @property
    def python_name(self) -> str:
        """The torch name the overload is reached by (``sum`` for ``sum.dim_IntList``)."""
        return self.signature.split("(", 1)[0]

    @property
    def parameter_names(self) -> tuple[str, ...]:
        """Parameter names of the signature in order, as kernels receive them: without ``out`` (the
        surface takes it, and factories list it before ``dtype=``...); the tensor torch's Python
        signatures call ``input`` is ``self``, as in the ATen schema."""
        return self._names

    def __post_init__(self) -> None:
        text = self.signature[self.signature.index("(") + 1:self.signature.rindex(")")]
        names = []
        for part in text.split(", "):  # as torch's parser splits (a default may hold commas: {-2,-1})
            part = part.strip()
            if not part or part == "*":
                continue
            names.append(part.split("=", 1)[0].split()[-1])
        self._names = tuple("self" if n == "input" else n for n in names if n != "out")


# Records by overload name, in registration order (which is the order torch tries signatures in).
OPS: dict[str, Op] = {}


def register(name: str, signature: str, *, node: str | None = None, composite: bool = False,
             view: View | None = None, inplace: bool = False, function: bool = True, method: bool = True,
             promotion: Promotion | None = None, python: bool = False,
             attribute: bool = False) -> Callable[[Callable], Callable]:
    """Declare the decorated kernel as op overload ``name`` (see :class:`Op`); returns the kernel
    unchanged, so module-internal calls stay plain kernel calls."""
    def declare(kernel: Callable) -> Callable:
        add(Op(name, signature, kernel, node, composite, view, inplace, function, method, promotion, python,
               attribute))
        return kernel

    return declare


def add(op: Op) -> Op:
    """Add one record (the overload name must be new)."""
    if op.name in OPS:
        raise ValueError(f"op overload {op.name!r} is registered twice")
    OPS[op.name] = op
    return op


def call(name: str, *args: Any) -> Any:
    """Run op overload ``name`` (``"slice.Tensor"``) under the autograd layer on parsed arguments."""
    return OPS[name].call(*args)


class _Aten:
    """Op overloads by name under the autograd layer, for calls that must record (derivative formulas
    calling ``threshold_backward``, ops calling internal overloads): ``aten.threshold_backward(...)``.
    A name without a dot is the overload of that name itself."""

    def __getattr__(self, name: str) -> Callable[..., Any]:
        op = OPS.get(name)
        if op is None or op.call is None:
            raise AttributeError(f"no installed op overload {name!r}")
        return op.call


aten: Any = _Aten()


class _Functions:
    """The public ``reftorch.<name>`` callables, for kernels of composite ops (filled in by
    :mod:`reftorch._surface`; reading one before the surface is installed is a bug)."""

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"reftorch has no public op {name!r} (or the surface is not installed yet)")


functions: Any = _Functions()


class _Bindings:
    """torch's ``_VF``: the parsed bindings of the internal records (neither function nor method),
    reached by the ops torch writes in Python (torch/functional.py's ``meshgrid`` calls
    ``_VF.meshgrid(tensors, indexing=...)``): ``vf.meshgrid(...)`` parses its arguments against the
    overloads of that name, torch's TypeErrors included (filled in by :mod:`reftorch._surface`)."""

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"reftorch has no internal binding {name!r} (or the surface is not installed yet)")


vf: Any = _Bindings()

__all__ = ["OPS", "Op", "Promotion", "View", "add", "aten", "call", "functions", "register", "vf"]
