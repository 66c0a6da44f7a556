"""Generated files of the public surface, rendered from the installed registry:

- ``reftorch/_namespace.py``: the ``reftorch.*`` functions, one assignment each (``reftorch/__init__``
  star-imports it);
- ``reftorch/__init__.pyi`` and ``reftorch/_tensor.pyi``: type stubs, so that IDEs, ``help()`` and type
  checkers see every function and method with torch's signatures (one ``@overload`` per signature,
  types from the argument parser's parameter kinds, as torch's ``_VariableFunctions.pyi``).

``python -m reftorch._stubgen`` rewrites them; ``tests/test_surface.py`` fails when a checked-in file
differs from what this module renders.
"""

from __future__ import annotations
import __future__

import functools
import inspect
import keyword
import pathlib
import re
import subprocess
import sys
import types
from collections.abc import Callable
from typing import Any

from . import _surface
from ._tensor import Tensor
from .ops._args import Signature
from .ops.registry import OPS, Op

PACKAGE = pathlib.Path(__file__).resolve().parent
HEADER = "Generated from the op registry by ``python -m reftorch._stubgen``;\ndo not edit (tests/test_surface.py " \
         "fails when this file is stale)."

# The types the stubs' annotations name, imported under private aliases (a method named ``device`` must
# not shadow the type ``device``, as in torch's own stubs).
STUB_TYPES = {
    "._device": ("device",), "._dtype": ("dtype",), "._layout": ("layout", "memory_format"),
    "._random": ("Generator",), "._size": ("Size",), "._storage": ("TypedStorage", "UntypedStorage"),
    ".utils.hooks": ("RemovableHandle",),
}
_TYPE_NAMES = re.compile(r"\b(?:D\.|_random\.|_dtype\.)?(" + "|".join(
    name for names in STUB_TYPES.values() for name in names) + r")\b")


def _imports(exported: dict[str, set[str]]) -> list[str]:
    """Import lines: typing helpers, the annotation types under their aliases, then re-exported names."""
    triples = {(module, n, "_" + n) for module, names in STUB_TYPES.items() for n in names}
    triples |= {(module, n, n) for module, names in exported.items() for n in names}
    lines = ["from collections.abc import Callable, Iterator, Sequence", "from typing import Any, overload", ""]
    return lines + [f"from {module} import {name} as {alias}" for module, name, alias in sorted(triples)]


def _annotation(text: str) -> str:
    """An annotation as the stub writes it: the module aliases of the source (``D.dtype``) dropped and
    the types renamed to their stub aliases."""
    return _TYPE_NAMES.sub(lambda m: "_" + m.group(1), text)


# ----------------------------------------------------------------------------- namespace
def render_namespace() -> str:
    """The text of :mod:`reftorch._namespace`: one assignment per public function."""
    names = sorted(_surface.FUNCTIONS)
    lines = [f"{name} = _functions.{name}" for name in names]
    exported = "".join(f'    "{name}",\n' for name in names)
    return (f'"""The ``reftorch.*`` functions. {HEADER}"""\n\nfrom .ops.registry import functions as _functions\n\n'
            + "\n".join(lines) + f"\n\n__all__ = [\n{exported}]\n")


# ----------------------------------------------------------------------------- stubs
def _parameter(p: Any) -> str:
    annotation = _annotation(p.python_type + (" | None" if p.allow_none and "None" not in p.python_type else ""))
    default = " = ..." if p.optional else ""
    name = p.name + "_" if keyword.iskeyword(p.name) else p.name  # ``from``: torch's own stubs write ``from_``
    return f"{name}: {annotation}{default}"


def _signature_stub(name: str, signature: Signature, returns: str, method: bool) -> str:
    parts = (["self"] if method else []) + signature.rendered_params(_parameter)
    return f"def {name}({', '.join(parts)}) -> {returns}: ..."


def _returns(op: Op) -> str:
    annotation = getattr(op.kernel, "__annotations__", {}).get("return")
    return _annotation(annotation) if isinstance(annotation, str) else "Any"


def _python_stub(name: str, fn: Callable, method: bool) -> str:
    """A stub from a Python function's own signature (its annotations as written)."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return f"def {name}(*args: Any, **kwargs: Any) -> Any: ..."
    parts = []
    seen_keyword = False
    for i, p in enumerate(signature.parameters.values()):
        if method and i == 0:
            parts.append("self")
            continue
        text = p.name
        if p.kind is p.VAR_POSITIONAL:
            text, seen_keyword = "*" + text, True
        elif p.kind is p.VAR_KEYWORD:
            text = "**" + text
        elif p.kind is p.KEYWORD_ONLY and not seen_keyword:
            parts.append("*")
            seen_keyword = True
        if p.annotation is not p.empty:
            text += f": {_annotation(p.annotation) if isinstance(p.annotation, str) else 'Any'}"
        if p.default is not p.empty:
            text += " = ..."
        parts.append(text)
    returns = signature.return_annotation
    returns = _annotation(returns) if isinstance(returns, str) else "Any"
    if method and not parts:
        parts = ["self"]
    return f"def {name}({', '.join(parts)}) -> {returns}: ..."


def _op_stubs(name: str, overloads: list[Op], method: bool) -> list[str]:
    if overloads[0].python:
        return [_python_stub(name, overloads[0].kernel, method)]
    render = _surface.method_signature if method else _surface.function_signature
    signatures = [(Signature(render(op), i), op) for i, op in enumerate(overloads)]
    stubs = [_signature_stub(name, signature, _returns(op), method) for signature, op in signatures
             if not signature.hidden]  # hidden and deprecated signatures are not API (torch's stubs omit them)
    return stubs if len(stubs) == 1 else [f"@overload\n{s}" for s in stubs]


def _registry_groups(method: bool) -> dict[str, list[Op]]:
    groups: dict[str, list[Op]] = {}
    for op in OPS.values():
        if (op.method if method else op.function) and not op.attribute:
            groups.setdefault(op.python_name, []).append(op)
    return groups


def _indent(text: str) -> str:
    return "\n".join("    " + line if line else line for line in text.splitlines())


def render_tensor_stub() -> str:
    """``reftorch/_tensor.pyi``: the Tensor class body's own members, then the registry's methods and
    properties, then the legacy tables' methods."""
    lines = [f'"""Type stub of ``reftorch.Tensor``. {HEADER}"""', "", *_imports({}), "", "class Tensor:"]
    installed = set(_surface.METHODS) | {op.python_name for op in OPS.values() if op.attribute}
    for name, value in vars(Tensor).items():
        if name in installed or (name.startswith("__") and name.endswith("__") and not callable(value)):
            continue
        if name.startswith("_") and not name.startswith("__"):
            continue
        if isinstance(value, property):
            lines.append(_indent(f"@property\ndef {name}(self) -> Any: ..."))
        elif isinstance(value, (types.FunctionType, classmethod, staticmethod)):
            lines.append(_indent(_python_stub(name, value, method=True)))
    groups = _registry_groups(method=True)
    for name in sorted(_surface.METHODS):
        if name in groups:
            lines.extend(_indent(s) for s in _op_stubs(name, groups[name], method=True))
        else:
            lines.append(_indent(_python_stub(name, _surface.METHODS[name], method=True)))
    for op in sorted((op for op in OPS.values() if op.attribute), key=lambda op: op.python_name):
        lines.append(_indent(f"@property\ndef {op.python_name}(self) -> {_returns(op)}: ..."))
    return "\n".join(lines) + "\n"


@functools.cache
def _package_submodules() -> frozenset[str]:
    """The public submodules that ``import reftorch`` itself binds, asked of a fresh interpreter: in this
    process others (``reftorch.compat``, ``reftorch.onnx``) become attributes once anything imports them."""
    code = "import reftorch, types; print(*[n for n, v in vars(reftorch).items() if isinstance(v, types.ModuleType)])"
    root = pathlib.Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    return frozenset(done.stdout.split())


def render_namespace_stub() -> str:
    """``reftorch/__init__.pyi``: every public name of ``reftorch``: functions with their overloads,
    modules, classes and values."""
    import reftorch

    body: list[str] = []
    exported: dict[str, set[str]] = {"._tensor": {"Tensor"}}
    groups = _registry_groups(method=False)
    submodules = _package_submodules()
    for name in sorted(n for n in dir(reftorch) if not n.startswith("_")):
        value = getattr(reftorch, name)
        if isinstance(value, types.ModuleType) and name not in submodules:
            continue
        if isinstance(value, __future__._Feature):  # the package's own ``from __future__ import annotations``
            continue
        if name in _surface.FUNCTIONS:
            if name in groups:
                body.extend(_op_stubs(name, groups[name], method=False))
            else:
                body.append(_python_stub(name, value, method=False))
        elif isinstance(value, types.ModuleType):
            exported.setdefault(".", set()).add(name)
        elif isinstance(value, type) and value.__name__ == name and "." in value.__module__:
            exported.setdefault("." + value.__module__.split(".", 1)[1], set()).add(name)
        elif isinstance(value, type):  # made at run time (the legacy types): typed by their metaclass
            body.append(f"{name}: {type(value).__name__}")
        elif callable(value):
            body.append(_python_stub(name, value, method=False))
        else:
            body.append(f"{name}: {type(value).__name__}")
    lines = [f'"""Type stub of ``reftorch``. {HEADER}"""', "", *_imports(exported), "", *body]
    return "\n".join(lines) + "\n"


GENERATED: dict[str, Callable[[], str]] = {
    "_namespace.py": render_namespace,
    "__init__.pyi": render_namespace_stub,
    "_tensor.pyi": render_tensor_stub,
}


def main() -> None:
    """Rewrite every generated file."""
    for name, render in GENERATED.items():
        (PACKAGE / name).write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main()
