"""The public surface, built in one place from the op registry: ``torch.<name>`` functions, ``Tensor``
methods and Python operators.

For every torch name, one Python callable over that name's overloads (in registration order), as
torch's generated bindings are: it parses the call with :class:`reftorch.ops._args.Parser` against
the overloads' signatures (torch's TypeErrors included), then calls the chosen overload's kernel
under the autograd layer (:func:`reftorch.autograd.layer.autograd_kernel`). Methods parse the
signatures without their first parameter; binary Python operators turn a TypeError into
``NotImplemented``, as torch's ``TypeError_to_NotImplemented_`` wrappers do.

:func:`install` runs once, when ``reftorch`` is imported: it wraps every record, sets the ``Tensor``
methods and operators (the ``OPERATORS`` tables of :data:`OPERATOR_MODULES`), and fills
:data:`reftorch.ops.registry.functions` and :data:`reftorch.ops.registry.vf` (torch's ``_VF``: one
parsed callable per name of internal records, for the ops torch writes in Python). The ``reftorch.*``
names are listed in the generated module :mod:`reftorch._namespace`; ``python -m reftorch._stubgen``
regenerates it and the stubs ``reftorch/__init__.pyi`` and ``reftorch/_tensor.pyi`` (a test fails
when they are stale).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._autograd_state import STATE
from ._tensor import Tensor
from .autograd import tensor_methods
from .autograd.layer import autograd_kernel
from .ops import (
    activation,
    bilinear,
    conversion,
    convolution,
    creation,
    ctc,
    distance,
    dropout,
    elementwise,
    embedding,
    embedding_bag,
    indexing,
    joining,
    linalg,
    loss,
    metadata,
    normalization,
    padding,
    pointwise,
    pooling,
    queries,
    random_fill,
    reduction,
    registry,
    sampling,
    softmax,
    sorting,
    upsampling,
    views,
)
from .ops._args import ParameterType, Parser, Signature
from .ops.registry import OPS, Op

# Modules whose records make up the surface: importing one registers its records (the overloads of one
# torch name live in one module, in the order torch tries them).
REGISTERED_MODULES = (elementwise, views, joining, linalg, creation, conversion, queries, random_fill, sampling,
                      dropout, indexing, metadata, reduction, sorting, tensor_methods, normalization, embedding,
                      convolution, pooling, padding, activation, pointwise, softmax, loss, upsampling, distance,
                      ctc, bilinear, embedding_bag)
# Op modules that declare Python operators (``OPERATORS``: dunder -> the torch name it calls).
OPERATOR_MODULES = (elementwise, linalg)


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
    """The signature ``Tensor.<name>`` parses: without the first parameter and without ``out``, still
    marked ``|deprecated``/``|hidden`` where the record's is (torch's ``copy_(Tensor other, bool
    async=False)|deprecated``)."""
    name, params = _split(op.signature)
    return _join(name, [p for p in params[1:] if not _is_out(p)]) + op.signature[op.signature.rindex(")") + 1:]


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
            values = values[:out] + values[out + 1:]  # factories list dtype= etc. after out=
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
                raise TypeError(f"TensorBase.{name}() takes no arguments ({len(args)} given)")  # METH_NOARGS
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

    first = Signature(_join(*_without_out(overloads[0].signature)), 0).params
    if len(first) < 2 or first[1].type is not ParameterType.TENSOR or not all(p.optional for p in first[2:]):
        first = ()

    def binary(self: Tensor, *args: Any) -> Any:
        try:
            index, values = parser.parse((self, *args), None)
            return calls[index](*values)
        except TypeError:
            return NotImplemented

    if not first:
        return _describe(binary, dunder, overloads)
    # The common case without the parser: one operand that the first signature takes as its tensor
    # (a tensor, or a Python number where torch lets numbers stand for tensors), the rest defaults; and
    # when nothing requires grad (the autograd layer's one check, answered here) the kernel itself.
    call, kernel, defaults = calls[0], overloads[0].kernel, tuple(p.default for p in first[2:])
    numbers = (int, float, bool, complex) if first[1].numbers_as_tensors else ()

    def fast_binary(self: Tensor, *args: Any) -> Any:
        if len(args) == 1:
            other = args[0]
            if isinstance(other, Tensor) or type(other) in numbers:
                if STATE.enabled and (self._requires_grad or getattr(other, "_requires_grad", False)):
                    return call(self, other, *defaults)
                return kernel(self, other, *defaults)
        return binary(self, *args)

    return _describe(fast_binary, dunder, overloads)


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
    for module in OPERATOR_MODULES:
        for dunder, name in module.OPERATORS.items():
            METHODS[dunder] = _operator(dunder, by_name[name])
    for name, method in METHODS.items():
        setattr(Tensor, name, method)
    for name, function in FUNCTIONS.items():
        setattr(registry.functions, name, function)
    internal = [op for op in ops if not (op.function or op.method or op.python or op.attribute)]
    for name, overloads in _grouped(internal).items():
        setattr(registry.vf, name, _function(name, overloads))


install()
