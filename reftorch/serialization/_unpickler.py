"""The load side's unpickler: torch's global names mapped to reftorch, restricted by default.

Mirrors torch/_weights_only_unpickler.py: with ``weights_only=True`` only the allow-listed globals
(:data:`~._rebuild.TORCH_NAMES`, what torch allows by default) and those the user added with
``add_safe_globals``/``safe_globals`` may be named (a torch name, like ``torch.nn.modules.linear.Linear``,
when its reftorch twin was allowed); the modules ``sys``, ``os``, ``posix`` and ``nt``
are blocked outright. Restricting ``find_class`` is Python's own way of restricting a pickle (the
pickle module's "Restricting Globals"): every callable a pickle can call (REDUCE, NEWOBJ, BUILD's
``__setstate__`` of what it built) comes through it. With ``weights_only=False`` torch's names still
map to reftorch (``torch.nn.modules.linear.Linear`` -> ``reftorch.nn.modules.linear.Linear``) and any
other global is imported, as Python's unpickler imports it.
"""

from __future__ import annotations

import _compat_pickle
import contextlib
import importlib
import pickle
import re
from collections.abc import Callable, Iterator
from typing import Any

from ._rebuild import TORCH_NAMES

BLOCKED_MODULES = ("sys", "os", "posix", "nt")

UNSAFE_MESSAGE = (
    "In PyTorch 2.6, we changed the default value of the `weights_only` argument in `torch.load` "
    "from `False` to `True`. Re-running `torch.load` with `weights_only` set to `False` will likely succeed, "
    "but it can result in arbitrary code execution. Do it only if you got the file from a "
    "trusted source."
)
DOCS_MESSAGE = (
    "\n\nCheck the documentation of torch.load to learn more about types accepted by default with "
    "weights_only https://pytorch.org/docs/stable/generated/torch.load.html."
)

_user_globals: dict[str, Any] = {}


def _name_of(entry: Any) -> tuple[str, Any]:
    """``(module.qualname, object)`` of an allow-list entry: an object, or ``(object, name)``."""
    if isinstance(entry, tuple):
        if len(entry) != 2 or not isinstance(entry[1], str):
            raise ValueError(f"Expected tuple of length 2 (global, str of callable full path), but got {entry}")
        return entry[1], entry[0]
    return f"{entry.__module__}.{entry.__qualname__}", entry


def add_safe_globals(safe_globals: list[Any]) -> None:
    """``torch.serialization.add_safe_globals``: allow these classes/functions in weights-only loads."""
    for entry in safe_globals:
        name, obj = _name_of(entry)
        _user_globals[name] = obj


def get_safe_globals() -> list[Any]:
    """``torch.serialization.get_safe_globals``: the user's allow-list (objects, or (object, name))."""
    return [obj if name == _qualified(obj) else (obj, name) for name, obj in _user_globals.items()]


def clear_safe_globals() -> None:
    """``torch.serialization.clear_safe_globals``."""
    _user_globals.clear()


@contextlib.contextmanager
def safe_globals(safe_globals: list[Any]) -> Iterator[None]:
    """``torch.serialization.safe_globals``: these entries allowed in the ``with`` block; on leaving it
    they are removed from the allow-list, even those added before it (as torch's ``_remove_safe_globals``)."""
    add_safe_globals(safe_globals)
    try:
        yield
    finally:
        for entry in safe_globals:
            _user_globals.pop(_name_of(entry)[0], None)


def _qualified(obj: Any) -> str | None:
    return f"{getattr(obj, '__module__', None)}.{getattr(obj, '__qualname__', None)}"


def _display_name(full_path: str) -> str:
    """torch prints builtins by their bare name (``builtins.print`` -> ``print``)."""
    return full_path[len("builtins."):] if full_path.startswith("builtins.") else full_path


def _reftorch_twin(module: str, name: str) -> Any:
    """``reftorch.<rest>.<name>`` for a torch global ``torch.<rest>.<name>``, or None."""
    if module != "torch" and not module.startswith("torch."):
        return None
    try:
        target = importlib.import_module("ref" + module)
    except ImportError:
        return None
    for part in name.split("."):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target


def _python3_name(module: str, name: str) -> tuple[str, str]:
    """Python 2 names that protocol-2 pickles carry (``__builtin__.set``), as Python 3 names them
    (what ``fix_imports`` does in Python's own ``find_class``, and torch's ``_read_global_instruction``)."""
    if (module, name) in _compat_pickle.NAME_MAPPING:
        return _compat_pickle.NAME_MAPPING[(module, name)]
    return _compat_pickle.IMPORT_MAPPING.get(module, module), name


class Unpickler(pickle.Unpickler):
    """Resolves globals as torch's ``load`` does; storages come from ``persistent_load``."""

    def __init__(self, file: Any, persistent_load: Callable[[Any], Any], weights_only: bool, **kwargs: Any):
        super().__init__(file, **kwargs)
        self._persistent_load = persistent_load
        self._weights_only = weights_only

    def persistent_load(self, pid: Any) -> Any:
        return self._persistent_load(pid)

    def find_class(self, module: str, name: str) -> Any:
        module, name = _python3_name(module, name)
        full_path = f"{module}.{name}"
        if full_path in TORCH_NAMES:
            return TORCH_NAMES[full_path]
        if self._weights_only:
            if module in BLOCKED_MODULES:
                raise pickle.UnpicklingError(
                    f"Trying to load unsupported GLOBAL {full_path} whose module {module} is blocked.")
            if full_path in _user_globals:
                return _user_globals[full_path]
            twin = _reftorch_twin(module, name)
            if twin is not None and any(twin is allowed for allowed in _user_globals.values()):
                return twin  # a torch class whose reftorch twin the user allowed
            shown = _display_name(full_path)
            raise pickle.UnpicklingError(
                f"Unsupported global: GLOBAL {shown} was not an allowed global by default. "
                f"Please use `torch.serialization.add_safe_globals([{shown}])` or the "
                f"`torch.serialization.safe_globals([{shown}])` context manager to allowlist this global "
                "if you trust this class/function.")
        twin = _reftorch_twin(module, name)
        return twin if twin is not None else super().find_class(module, name)


def weights_only_message(message: str) -> str:
    """torch.serialization ``load``'s ``_get_wo_message``: the UnpicklingError a weights-only load
    raises, explaining both ways out."""
    if re.search(r"GLOBAL (\S+) was not an allowed global by default.", message):
        return ("Weights only load failed. This file can still be loaded, to do so you have two options, "
                "\033[1mdo those steps only if you trust the source of the checkpoint\033[0m. "
                f"\n\t(1) {UNSAFE_MESSAGE}\n\t(2) Alternatively, to load with `weights_only=True` please check "
                "the recommended steps in the following error message.\n\tWeightsUnpickler error: "
                + message + DOCS_MESSAGE)
    updated = f"Weights only load failed. {UNSAFE_MESSAGE}\n"
    if not re.search(r"whose module (\S+) is blocked", message):
        updated += ("Please file an issue with the following so that we can make "
                    "`weights_only=True` compatible with your use case: WeightsUnpickler error: ")
    return updated + "\n\n" + message + DOCS_MESSAGE
