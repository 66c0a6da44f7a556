"""The public surface, built in one place from the op registry: ``torch.<name>`` functions, ``Tensor``
methods and Python operators.

For every torch name, one Python callable over that name's overloads (in registration order), as
torch's generated bindings are: it parses the call with :class:`reftorch.ops._args.Parser` against
the overloads' signatures (torch's TypeErrors included), then calls the chosen overload's kernel
under the autograd layer (:func:`reftorch.autograd.layer.autograd_kernel`). Methods parse the
signatures without their first parameter; binary Python operators turn a TypeError into
``NotImplemented``, as torch's ``TypeError_to_NotImplemented_`` wrappers do.

:func:`install` runs once, when ``reftorch`` is imported: it wraps every record, sets the ``Tensor``
methods and fills :data:`reftorch.ops.registry.functions` (and :data:`reftorch.ops.registry.vf` with the
parsed calls of the records that are neither functions nor methods, for ops written in Python). The
``reftorch.*`` names are listed in the generated module :mod:`reftorch._namespace`; ``python -m
reftorch._stubgen`` regenerates it and the stubs ``reftorch/__init__.pyi`` and ``reftorch/_tensor.pyi``
(a test fails when they are stale).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._tensor import Tensor

# Modules not yet moved onto the registry: their FUNCTIONS / METHODS / PROPERTIES tables.
from .autograd import tensor_methods  # noqa: E402
from .autograd.layer import autograd_kernel

# Op modules whose records make up the surface (importing one registers its records).
from .ops import (  # noqa: E402
    conversion,
    creation,
    elementwise,  # noqa: E402,I001 - registration order is the modules' order
    indexing,
    joining,
    linalg,
    queries,
    random_fill,
    reduction,  # noqa: F401 - imported for its records
    registry,
    sorting,  # noqa: F401 - imported for its records
    views,
)
from .ops._args import Parser
from .ops.registry import OPS, Op

LEGACY_MODULES = (creation, views, conversion, queries, joining, indexing, linalg,
                  random_fill, tensor_methods)


def _split(signature: str) -> tuple[str, list[str]]:
    """A signature's name and parameter strings (``*`` included), split as torch's parser splits them
    (on ``", "``: a default may hold commas, ``IntArrayRef dim={-2,-1}``)."""
    name, _, rest = signature.partition("(")
    params = [p.strip() for p in rest[:rest.rindex(")")].split(", ")]
    return name, [p for p in params if p]


def _join(name: str, params: list[str]) -> str:
    if params and params[-1] == "*":
        params = params[:-1]
    return f"{name}({', '.join(params)})"


def _is_out(param: str) -> bool:
    return param.split("=")[0].split()[-1] == "out"


def function_signature(op: Op) -> str:
    """The signature ``torch.<name>`` parses (as declared)."""
    return op.signature


def method_signature(op: Op) -> str:
    """The signature ``Tensor.<name>`` parses: without the first parameter and without ``out``."""
    name, params = _split(op.signature)
    return _join(name, [p for p in params[1:] if not _is_out(p)])


def _out_positions(signatures: list[str]) -> list[int | None]:
    """Per signature, the index of its ``out`` value among the parsed values (None: no ``out``)."""
    positions: list[int | None] = []
    for signature in signatures:
        params = [p for p in _split(signature)[1] if p != "*"]
        positions.append(next((i for i, p in enumerate(params) if _is_out(p)), None))
    return positions


def _out_unsupported(name: str) -> NotImplementedError:
    return NotImplementedError(f"{name}(): reftorch does not support out= (assign the result instead)")


def _python(name: str, overloads: list[Op], qualname: str) -> Callable[..., Any]:
    """An op torch implements in Python: the kernel itself, named as torch names it."""
    if len(overloads) != 1:
        raise ValueError(f"{name}: a Python op has one record, not {len(overloads)}")
    kernel = overloads[0].kernel
    kernel.__name__, kernel.__qualname__ = name, qualname
    return kernel


def _function(name: str, overloads: list[Op]) -> Callable[..., Any]:
    if overloads[0].python:
        return _python(name, overloads, name)
    signatures = [function_signature(op) for op in overloads]
    parser = Parser(signatures)
    calls = [op.call for op in overloads]
    outs = _out_positions(signatures)

    def function(*args: Any, **kwargs: Any) -> Any:
        index, values = parser.parse(args, kwargs)
        out = outs[index]
        if out is not None:
            if values[out] is not None:
                raise _out_unsupported(name)
            values = values[:out]
        return calls[index](*values)

    return _describe(function, name, overloads)


def _method(name: str, overloads: list[Op]) -> Callable[..., Any]:
    if overloads[0].python:
        return _python(name, overloads, f"Tensor.{name}")
    signatures = [method_signature(op) for op in overloads]
    calls = [op.call for op in overloads]
    if signatures == [f"{name}()"]:
        call = calls[0]

        def method(self: Tensor, *args: Any, **kwargs: Any) -> Any:
            if kwargs:
                raise TypeError(f"TensorBase.{name}() takes no keyword arguments")
            if args:
                raise TypeError(f"Tensor.{name}() takes no arguments ({len(args)} given)")
            return call(self)

        return _describe(method, name, overloads)
    parser = Parser(signatures)
    bare_call, bare_values = _bare(parser, calls)

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        if bare_call is not None and not args and not kwargs:  # loss.sum(), x.max(): parsed once
            return bare_call(self, *bare_values)
        index, values = parser.parse(args, kwargs)
        return calls[index](self, *values)

    return _describe(method, name, overloads)


def _bare(parser: Parser, calls: list[Callable[..., Any]]) -> tuple[Callable[..., Any] | None, tuple]:
    """What a method call without arguments runs: (the overload's call, its values), parsed once
    since such a call binds the same every time; (None, ()) when it is an error or would warn (a
    deprecated overload)."""
    if any(s.deprecated for s in parser.signatures):
        return None, ()
    try:
        index, values = parser.parse((), None)
    except TypeError:
        return None, ()
    return calls[index], values


def _operator(dunder: str, overloads: list[Op]) -> Callable[..., Any]:
    """A Python operator over the function-form signatures, called with ``(self, *args)``; binary
    operators answer NotImplemented for operands they do not take."""
    parser = Parser([_join(*_without_out(op.signature)) for op in overloads])
    calls = [op.call for op in overloads]
    if len(_split(overloads[0].signature)[1]) == 1:  # unary: -t, abs(t), +t, ~t

        def unary(self: Tensor) -> Any:
            _, values = parser.parse((self,), None)
            return calls[0](*values)

        return _describe(unary, dunder, overloads)

    def binary(self: Tensor, *args: Any) -> Any:
        try:
            index, values = parser.parse((self, *args), None)
            return calls[index](*values)
        except TypeError:
            return NotImplemented

    return _describe(binary, dunder, overloads)


def _without_out(signature: str) -> tuple[str, list[str]]:
    name, params = _split(signature)
    return name, [p for p in params if not _is_out(p)]


def _describe(fn: Callable, name: str, overloads: list[Op]) -> Callable:
    fn.__name__ = fn.__qualname__ = name
    docs = [op.kernel.__doc__ for op in overloads if op.kernel.__doc__]
    signatures = "\n".join(f"    {op.signature}" for op in overloads)
    fn.__doc__ = (docs[0] + "\n\n" if docs else "") + "Signatures:\n" + signatures
    return fn


def _grouped(ops: list[Op]) -> dict[str, list[Op]]:
    groups: dict[str, list[Op]] = {}
    for op in ops:
        groups.setdefault(op.python_name, []).append(op)
    return groups


FUNCTIONS: dict[str, Callable[..., Any]] = {}
METHODS: dict[str, Callable[..., Any]] = {}


def install() -> None:
    """Wrap every record in the autograd layer and install the surface (once, at import)."""
    for op in OPS.values():
        op.call = autograd_kernel(op)
    ops = list(OPS.values())
    for name, overloads in _grouped([op for op in ops if op.function]).items():
        FUNCTIONS[name] = _function(name, overloads)
    for name, overloads in _grouped([op for op in ops if op.method]).items():
        METHODS[name] = _method(name, overloads)
    by_name = _grouped(ops)
    for op in ops:
        if op.attribute:
            setattr(Tensor, op.python_name, property(op.call, doc=op.kernel.__doc__))
    for dunder, name in elementwise.OPERATORS.items():
        METHODS[dunder] = _operator(dunder, by_name[name])
    for module in LEGACY_MODULES:
        FUNCTIONS.update(getattr(module, "FUNCTIONS", {}))
        METHODS.update(getattr(module, "METHODS", {}))
    for name, method in METHODS.items():
        setattr(Tensor, name, method)
    for module in LEGACY_MODULES:
        for name, getter in getattr(module, "PROPERTIES", {}).items():
            setattr(Tensor, name, property(getter, doc=getter.__doc__))
    Tensor.data = tensor_methods.DATA
    for name, function in FUNCTIONS.items():
        setattr(registry.functions, name, function)
    internal = [op for op in ops if not (op.function or op.method or op.python or op.attribute)]
    for name, overloads in _grouped(internal).items():
        setattr(registry.vf, name, _function(name, overloads))


install()
