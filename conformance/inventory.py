"""``python -m conformance inventory``: how much of the installed torch's public API an implementation has.

The inventory walks torch's public namespaces (``SECTIONS``), decides which names each one counts, and looks
every ``torch.<path>`` up on the implementation (reftorch) as ``reftorch.<path>``. Each name is then one of:

- **has**: the same dotted path resolves on the implementation;
- **deliberately absent (raises)**: it resolves, but the object carries the attribute ``_reftorch_unsupported``
  (a string: why reftorch leaves it out; for a property, its getter carries it). reftorch marks importable names
  it will never implement this way, e.g. a ``torch.onnx.export`` that raises a clear error; such a name never
  counts as present;
- **deliberately absent (listed)**: it does not resolve and ``conformance/absent.toml`` lists it with a reason;
- **missing**: anything else.

A path resolves when each component is an attribute of the previous object, submodules being imported on the
way (``reftorch.utils.data`` need not be imported by ``reftorch``). A special method (``__add__``) on a class
resolves only when a class of its MRO other than ``object`` defines it and not as ``None`` (Python's marker for
"not supported", e.g. ``__hash__ = None``): every class inherits ``object.__eq__``, which says nothing.

Which torch names a section counts
----------------------------------
A module section (``torch``, ``torch.nn``, ``torch.nn.functional``...) counts a name of the module when

1. it does not start with ``_`` (so ``torch.utils.data._DatasetKind`` does not count although its ``__all__``
   lists it) and its object is callable (a function or a class) and not a module: dtypes, constants such as
   ``torch.pi`` and submodules are not API to call;
2. the object belongs to the module by PyTorch's own public-API rule: its ``__module__`` is the module or lies
   below it, or, for a C function (whose ``__module__`` names only the binding module), is ``torch`` or
   ``torch._C._<namespace>``. This keeps re-exported helpers out: ``torch.nn.functional.Tensor``, ``Optional``,
   ``handle_torch_function``, and the ``torch.Tensor`` that ``torch.fft.__all__`` lists;
3. the module's ``__all__`` lists it, or it has its own non-empty docstring. PyTorch's reference pages are
   generated from docstrings, so this is the mechanical form of "torch documents it": it adds the names that
   ``torch.__all__`` omits but torch documents at top level (``broadcast_shapes``, ``unique``,
   ``set_default_dtype``, ``set_grad_enabled``, ``pca_lowrank``...), ``torch.fft.hfft2`` and its kin, and gives
   the modules without ``__all__`` (``torch.nn``, ``torch.nn.functional``, ``torch.linalg``, ``torch.testing``)
   their documented names, leaving out undocumented leftovers (``nn.Container``, ``F.assert_int_or_pair``).

``torch.Tensor`` counts every public name of ``dir(torch.Tensor)`` (methods and properties) plus the special
methods that ``torch.Tensor`` or its base ``torch._C.TensorBase`` define themselves (operators such as
``__add__``/``__radd__``/``__iadd__``, ``__getitem__``, ``__len__``, ``__bool__``, ``__repr__``, ``__hash__``,
``__deepcopy__``/``__reduce_ex__``, ``__array__``, ``__dlpack__``, ``__torch_function__``...), except the class
bookkeeping in ``_CLASS_BOOKKEEPING``; names inherited from ``object`` are not torch's API.

Figures per section: ``torch`` (names counted), ``has``, ``deliberately_absent`` (raises + listed), ``missing``,
``coverage`` = has / (torch - deliberately absent) and ``coverage_of_all`` = has / torch.

``conformance/absent.toml`` holds one ``[[absent]]`` table per deliberately absent name: ``name`` (the full
dotted torch name, ``torch.Tensor.to_mkldnn``) and a non-empty ``reason``. ``absent_problems`` checks that every
entry names a real torch name and is really absent from the implementation. Every listed name lies in a section.
"""

from __future__ import annotations

import functools
import importlib
import re
import tomllib
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import BuiltinFunctionType, ModuleType

import torch

SECTIONS: tuple[str, ...] = (
    "torch", "torch.Tensor", "torch.nn", "torch.nn.functional", "torch.nn.init", "torch.optim",
    "torch.optim.lr_scheduler", "torch.utils.data", "torch.linalg", "torch.autograd", "torch.random",
    "torch.special", "torch.fft", "torch.testing", "torch.onnx", "torch.distributed",
)
UNSUPPORTED = "_reftorch_unsupported"
# Attributes every class has that describe the class object, not tensors (the constructor is torch.Tensor itself).
_CLASS_BOOKKEEPING = frozenset({"__annotations__", "__dict__", "__doc__", "__module__", "__weakref__", "__new__"})
_C_BINDING_MODULE = re.compile(r"torch(\._C\._[a-z]+)?")
_ABSENT_KEYS = ("name", "reason")
ABSENT_FILE = Path(__file__).with_name("absent.toml")


# --- resolving dotted names ---------------------------------------------------------------------------------

class _Missing:
    """The result of looking up a path that does not resolve."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


def _is_dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def _class_defines(cls: type, name: str) -> object:
    """The value a class of ``cls``'s MRO other than ``object`` defines for ``name``, or MISSING."""
    for klass in cls.__mro__:
        if klass is not object and name in vars(klass):
            value = vars(klass)[name]
            return MISSING if value is None else value
    return MISSING


def resolve(root: ModuleType, dotted: str) -> object:
    """The object ``dotted`` (``torch.nn.Linear``) names under ``root`` (which stands for its first component).

    Submodules are imported when they are not attributes yet; a special method of a class must be defined below
    ``object`` (see the module docstring). Returns MISSING when the path does not resolve.
    """
    obj: object = root
    for part in dotted.split(".")[1:]:
        if isinstance(obj, type) and _is_dunder(part):
            obj = _class_defines(obj, part)
        elif hasattr(obj, part):
            obj = getattr(obj, part)
        elif isinstance(obj, ModuleType):
            obj = _import(f"{obj.__name__}.{part}")
        else:
            return MISSING
        if obj is MISSING:
            return MISSING
    return obj


def _import(name: str) -> object:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is None or not (name + ".").startswith(exc.name + "."):  # it exists but fails to import
            raise
        return MISSING


def unsupported_reason(obj: object) -> str | None:
    """The ``_reftorch_unsupported`` reason ``obj`` (or a property's getter) carries, or None."""
    target = obj.fget if isinstance(obj, property) else obj
    if not hasattr(target, UNSUPPORTED):
        return None
    return str(getattr(target, UNSUPPORTED))


# --- which torch names count ----------------------------------------------------------------------------------

def _belongs(obj: object, module: str) -> bool:
    owner = getattr(obj, "__module__", None)
    if not isinstance(owner, str):
        return False
    if owner == module or owner.startswith(module + "."):
        return True
    return isinstance(obj, BuiltinFunctionType) and _C_BINDING_MODULE.fullmatch(owner) is not None


def _documented(obj: object) -> bool:
    doc = getattr(obj, "__doc__", None)
    return isinstance(doc, str) and bool(doc.strip())


def module_names(module: ModuleType) -> list[str]:
    """The names a module section counts (rules 1-3 of the module docstring), sorted."""
    listed = set(getattr(module, "__all__", ()))
    names = []
    with warnings.catch_warnings():  # a deprecated alias (torch.distributed.reduce_op) warns when looked at
        warnings.simplefilter("ignore", FutureWarning)
        for name in sorted(set(vars(module)) | listed):  # vars, not dir: dir(torch) would import lazy submodules
            if name.startswith("_"):
                continue
            obj = getattr(module, name)
            if isinstance(obj, ModuleType) or not callable(obj) or not _belongs(obj, module.__name__):
                continue
            if name in listed or _documented(obj):
                names.append(name)
    return names


def tensor_names(cls: type) -> list[str]:
    """The names the ``torch.Tensor`` section counts: public names and the special methods torch defines."""
    public = {n for n in dir(cls) if not n.startswith("_")}
    special = {n for klass in cls.__mro__ if klass is not object for n in vars(klass) if _is_dunder(n)}
    return sorted(public | (special - _CLASS_BOOKKEEPING))


@functools.cache
def torch_names(section: str) -> tuple[str, ...]:
    """The names (relative to the section) that ``section`` counts on the installed torch."""
    if section == "torch.Tensor":
        return tuple(tensor_names(torch.Tensor))
    return tuple(module_names(importlib.import_module(section)))


# --- absent.toml ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AbsentList:
    """``absent.toml`` read: ``reasons`` maps each full dotted name to its reason; ``problems`` its format errors."""

    reasons: dict[str, str]
    problems: list[str]


def load_absent(path: Path | None = None) -> AbsentList:
    """Reads the deliberately absent names, collecting every format problem instead of stopping at the first."""
    path = path or ABSENT_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return AbsentList({}, [f"{path.name}: cannot be read: {exc}"])
    problems = [f"{path.name}: unknown top-level key(s) {', '.join(sorted(set(data) - {'absent'}))}"
                ] if set(data) - {"absent"} else []
    reasons: dict[str, str] = {}
    for i, table in enumerate(data.get("absent", [])):
        where = f"{path.name} [[absent]] #{i + 1}"
        if not isinstance(table, dict) or sorted(table) != sorted(_ABSENT_KEYS):
            problems.append(f"{where}: keys must be exactly name and reason, got {table!r}")
            continue
        name, reason = table["name"], table["reason"]
        if not isinstance(name, str) or not name.startswith("torch."):
            problems.append(f"{where}: name {name!r} must be a dotted torch name ('torch.<path>')")
        elif not isinstance(reason, str) or not reason.strip():
            problems.append(f"{where} ({name}): reason must be a non-empty string")
        elif name in reasons:
            problems.append(f"{where}: {name} is listed twice")
        else:
            reasons[name] = reason
    return AbsentList(reasons, problems)


def _section_of(name: str) -> str | None:
    """The section whose counted names include the full dotted ``name``, or None."""
    section, _, short = name.rpartition(".")
    return section if section in SECTIONS and short in torch_names(section) else None


def absent_problems(absent: AbsentList, impl: ModuleType) -> list[str]:
    """Every entry must name a counted torch name (so it enters the figures) that ``impl`` really lacks."""
    problems = list(absent.problems)
    for name in absent.reasons:
        if resolve(torch, name) is MISSING:
            problems.append(f"{name}: not a torch name (torch {torch.__version__})")
            continue
        if _section_of(name) is None:
            problems.append(f"{name}: counted by no section of the inventory ({', '.join(SECTIONS)})")
        obj = resolve(impl, name)
        if obj is not MISSING and unsupported_reason(obj) is None:
            problems.append(f"{name}: listed as absent but {impl.__name__} has it (mark it with {UNSUPPORTED} "
                            "if it only raises, or remove the entry)")
    return problems


# --- counting ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SectionCount:
    """One section's names, split by their state on the implementation."""

    section: str
    has: tuple[str, ...]
    raises: tuple[str, ...]  # resolve but carry _reftorch_unsupported
    listed: tuple[str, ...]  # do not resolve, listed in absent.toml
    missing: tuple[str, ...]

    @property
    def torch(self) -> int:
        return len(self.has) + len(self.raises) + len(self.listed) + len(self.missing)

    @property
    def deliberately_absent(self) -> int:
        return len(self.raises) + len(self.listed)

    @property
    def coverage(self) -> float:
        """has / (torch names - deliberately absent); 1.0 when nothing is left to implement."""
        wanted = self.torch - self.deliberately_absent
        return len(self.has) / wanted if wanted else 1.0

    @property
    def coverage_of_all(self) -> float:
        return len(self.has) / self.torch if self.torch else 1.0

    def as_dict(self, names: bool) -> dict:
        """The figures; with ``names`` also the missing and the deliberately absent names."""
        out: dict = {"section": self.section, "torch": self.torch, "has": len(self.has),
                     "deliberately_absent": self.deliberately_absent, "raises": len(self.raises),
                     "listed": len(self.listed), "missing": len(self.missing),
                     "coverage": round(self.coverage, 4), "coverage_of_all": round(self.coverage_of_all, 4)}
        if names:
            out |= {"missing_names": list(self.missing), "raises_names": list(self.raises),
                    "listed_names": list(self.listed)}
        return out


def count(section: str, names: Sequence[str], impl: ModuleType, absent: Mapping[str, str]) -> SectionCount:
    """Splits the section's torch ``names`` by what ``impl`` has; ``absent`` maps listed full names to reasons."""
    states: dict[str, list[str]] = {"has": [], "raises": [], "listed": [], "missing": []}
    for name in names:
        full = f"{section}.{name}"
        obj = resolve(impl, full)
        if obj is MISSING:
            states["listed" if full in absent else "missing"].append(name)
        else:
            states["has" if unsupported_reason(obj) is None else "raises"].append(name)
    return SectionCount(section, *(tuple(v) for v in states.values()))


def inventory(impl: ModuleType, absent: Mapping[str, str]) -> list[SectionCount]:
    """Every section of ``SECTIONS``, counted on ``impl``."""
    return [count(section, torch_names(section), impl, absent) for section in SECTIONS]


def total(counts: Sequence[SectionCount]) -> SectionCount:
    """All sections together, names made full."""
    def joined(field: str) -> tuple[str, ...]:
        return tuple(f"{c.section}.{n}" for c in counts for n in getattr(c, field))
    return SectionCount("total", joined("has"), joined("raises"), joined("listed"), joined("missing"))
