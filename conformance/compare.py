"""Observing program results and comparing the oracle's observables with the implementation's.

Both sides are observed by the same duck-typed code (torch tensors and implementation tensors alike expose
``shape``, ``dtype``, ``detach`` ...), producing a tree of plain nodes; the trees are then compared and every
difference is reported as one path-qualified line, e.g. ``result['b'].stride: oracle (1, 3) vs impl (3, 1)``.

This is the one comparer of both suites: the conformance harness (``conformance/harness.py``) and the unit
tests' helpers (``tests/helpers.py``, which ask for :data:`Options` ``exact``, ``messages`` and
``tensor_type``: the strength their own comparer had).
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

# torch.testing.assert_close's default (rtol, atol) per dtype; other dtypes compare exactly.
DEFAULT_TOLERANCES: dict[str, tuple[float, float]] = {
    "torch.float16": (1e-3, 1e-5), "torch.bfloat16": (1.6e-2, 1e-5), "torch.float32": (1.3e-6, 1e-5),
    "torch.float64": (1e-7, 1e-7), "torch.complex32": (1e-3, 1e-5), "torch.complex64": (1.3e-6, 1e-5),
    "torch.complex128": (1e-7, 1e-7),
}
# Python floats have no dtype of their own: they are compared with float32's tolerance.
SCALAR_TOLERANCE = DEFAULT_TOLERANCES["torch.float32"]
_MAX_LINES = 25


@dataclass(frozen=True)
class Raised:
    """Stands for an attribute read that raised; equal to another Raised of the same exception type."""

    type_name: str
    message: str

    def __repr__(self) -> str:
        return f"<raised {self.type_name}: {self.message}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Raised) and other.type_name == self.type_name

    def __hash__(self) -> int:
        return hash(self.type_name)


def _read(fn, *args):
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - any failure to read an attribute is itself an observable
        return Raised(type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")


@dataclass(frozen=True)
class Tolerance:
    rtol: float | None = None
    atol: float | None = None

    def for_dtype(self, dtype: str | None) -> tuple[float, float]:
        rtol, atol = DEFAULT_TOLERANCES.get(dtype, (0.0, 0.0)) if dtype else SCALAR_TOLERANCE
        return (rtol if self.rtol is None else self.rtol, atol if self.atol is None else self.atol)


@dataclass(frozen=True)
class DeviceMap:
    """How the oracle's device names read on the implementation side.

    With ``--backend cuda`` and no CUDA in the oracle's torch, the oracle runs on cpu: its "cpu" then stands
    for the implementation's cuda device, and ``device='cuda:0'`` suffixes are dropped from impl text.
    """

    oracle_cpu_is_cuda: bool = False

    def same(self, oracle: Any, impl: Any) -> bool:
        if self.oracle_cpu_is_cuda and oracle == "cpu":
            return impl in ("cuda", "cuda:0")
        return oracle == impl

    def impl_text(self, text: str) -> str:
        if not self.oracle_cpu_is_cuda:
            return text
        return re.sub(r",? ?device='cuda(?::0)?'", "", text)


@dataclass
class Options:
    """What to compare beyond types, shapes, dtypes, values, autograd flags and exceptions.

    ``layout``: strides, storage offsets, contiguity and which result tensors share storage. ``grads``: the
    ``.grad`` of result leaves that require grad. ``exact``: values that are not tensors (Python numbers,
    NumPy scalars and arrays) without tolerance, any other object by class identity and ``==``, and
    exceptions by class identity rather than the oracle's class name among the impl's bases. ``messages``:
    the impl's exception message contains the first line of the oracle's (:func:`key_words` of both).
    ``tensor_type``: every impl tensor is an instance of this class. ``grad_fns``: the names of tensors'
    ``grad_fn`` nodes (off only where a test documents that reftorch builds that graph from other nodes).
    """

    layout: bool = False
    grads: bool = True
    tolerance: Tolerance = field(default_factory=Tolerance)
    devices: DeviceMap = field(default_factory=DeviceMap)
    exact: bool = False
    messages: bool = False
    tensor_type: type | None = None
    grad_fns: bool = True


# --- observation --------------------------------------------------------------------------------------------

@dataclass
class TensorNode:
    cls: type
    kind: str
    shape: Any
    dtype: Any
    device: Any
    requires_grad: Any
    is_leaf: Any
    grad_fn: Any
    values: Any
    layout: dict[str, Any] | None = None  # stride, storage_offset, is_contiguous
    pointers: tuple[Any, Any] | None = None  # (storage ptr, data ptr); None when not tracked
    grad: Any = None  # a node, or None when .grad is not read


@dataclass
class Node:
    """Any non-tensor value: ``kind`` is one of none, scalar, text, ndarray, seq, dict, other."""

    kind: str
    type_name: str
    value: Any = None
    children: list[tuple[str, Any]] = field(default_factory=list)  # (path suffix, node)


def is_tensor_like(x: Any) -> bool:
    return not isinstance(x, np.ndarray | np.generic) and all(
        hasattr(type(x), a) for a in ("detach", "shape", "dtype"))


def _host_values(t: Any) -> np.ndarray:
    """A NumPy copy of a tensor's values (bfloat16 widened to float32, conj/neg bits resolved)."""
    y = t.detach()
    if str(y.dtype) == "torch.bfloat16":
        y = y.float()
    for name in ("resolve_conj", "resolve_neg"):
        if hasattr(y, name):
            y = getattr(y, name)()
    return np.array(y.cpu().numpy(), copy=True)


def _grad_fn_name(t: Any) -> Any:
    fn = t.grad_fn
    return None if fn is None else type(fn).__name__


class Observer:
    """Turns a program result into a node tree; remembers tensors for the storage-sharing partitions."""

    def __init__(self, options: Options):
        self.options = options
        self.tracked: list[tuple[str, TensorNode]] = []

    def observe(self, x: Any, path: str) -> Any:
        if is_tensor_like(x):
            return self._tensor(x, path, top=True)
        if x is None:
            return Node("none", "NoneType")
        tname = type(x).__name__
        if type(x) in (bool, int, float, complex):
            return Node("scalar", tname, x)
        if isinstance(x, str | bytes) or tname in ("dtype", "device"):
            return Node("text", tname, x if isinstance(x, str | bytes) else str(x))
        if isinstance(x, np.ndarray | np.generic):
            arr = np.asarray(x)
            strides = tuple(s // arr.itemsize for s in arr.strides) if arr.itemsize else arr.strides
            return Node("ndarray", tname, (str(arr.dtype), arr.shape, np.array(arr, copy=True), strides))
        if isinstance(x, tuple | list):
            items = [(f"[{i}]", self.observe(v, f"{path}[{i}]")) for i, v in enumerate(x)]
            return Node("seq", tname, len(x), items)
        if isinstance(x, dict):
            return Node("dict", tname, [repr(k) for k in x],
                        [(f"[{k!r}]", self.observe(v, f"{path}[{k!r}]")) for k, v in x.items()])
        return Node("other", tname, x)

    def _tensor(self, t: Any, path: str, top: bool) -> TensorNode:
        names = {c.__name__ for c in type(t).__mro__}
        node = TensorNode(
            cls=type(t), kind="Parameter" if "Parameter" in names else "Tensor",
            shape=_read(lambda: tuple(t.shape)), dtype=_read(lambda: str(t.dtype)),
            device=_read(lambda: t.device.type), requires_grad=_read(lambda: t.requires_grad),
            is_leaf=_read(lambda: t.is_leaf), grad_fn=_read(_grad_fn_name, t), values=_read(_host_values, t),
        )
        if top and self.options.layout:
            node.layout = {
                "stride": _read(lambda: tuple(t.stride())), "storage_offset": _read(t.storage_offset),
                "is_contiguous": _read(t.is_contiguous),
            }
            if _read(t.numel) != 0:  # zero-size tensors hold no memory to share
                node.pointers = (_read(lambda: t.untyped_storage().data_ptr()), _read(t.data_ptr))
                self.tracked.append((path, node))
        if top and self.options.grads and node.is_leaf is True and node.requires_grad is True:
            grad = _read(lambda: t.grad)
            node.grad = grad if isinstance(grad, Raised) else (
                Node("none", "NoneType") if grad is None else self._tensor(grad, path + ".grad", top=False))
        return node

    def partitions(self) -> dict[str, frozenset[tuple[str, ...]]]:
        """For storage and data pointers: the groups (of 2 or more paths) of tensors sharing one pointer."""
        out = {}
        labels = ("storage sharing (untyped_storage().data_ptr())", "data_ptr() sharing")
        for index, label in enumerate(labels):
            groups: dict[Any, list[str]] = {}
            for path, node in self.tracked:
                groups.setdefault(node.pointers[index], []).append(path)
            out[label] = frozenset(tuple(g) for g in groups.values() if len(g) > 1)
        return out


# --- comparison ---------------------------------------------------------------------------------------------

def _fmt(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 300 else text[:300] + "..."


def _values_differ(o: np.ndarray, i: np.ndarray, tol: tuple[float, float]) -> str | None:
    if o.dtype == i.dtype and o.dtype.kind in "biufc":
        try:
            if np.array_equal(o, i, equal_nan=o.dtype.kind in "fc"):
                return None
        except TypeError:
            pass
    try:
        actual = torch.from_numpy(np.ascontiguousarray(i))
        expected = torch.from_numpy(np.ascontiguousarray(o))
        torch.testing.assert_close(actual, expected, rtol=tol[0], atol=tol[1], equal_nan=True,
                                   check_dtype=False)
    except (AssertionError, TypeError, RuntimeError) as exc:
        return str(exc).strip().replace("\n", "\n      ")
    return None


def _scalars_differ(o: Any, i: Any, tol: tuple[float, float]) -> bool:
    if isinstance(o, float | complex):
        if isinstance(o, float) and math.isnan(o):
            return not (isinstance(i, float) and math.isnan(i))
        if isinstance(o, complex) and (math.isnan(o.real) or math.isnan(o.imag)):
            return not (isinstance(i, complex) and math.isnan(i.real) == math.isnan(o.real)
                        and math.isnan(i.imag) == math.isnan(o.imag))
        if o == i:
            return False
        return not abs(i - o) <= tol[1] + tol[0] * abs(o)
    return o != i


def describe(node: Any) -> str:
    """A short description of a node, for lines saying two results are different kinds of thing."""
    if isinstance(node, TensorNode):
        return f"{node.kind}(shape={node.shape}, dtype={node.dtype})"
    if node.kind == "none":
        return "None"
    if node.kind in ("scalar", "text"):
        return f"{_fmt(node.value)} ({node.type_name})"
    if node.kind == "seq":
        return f"{node.type_name} of length {node.value}"
    if node.kind == "dict":
        return f"{node.type_name} with keys {_fmt(node.value)}"
    if node.kind == "ndarray":
        return f"numpy {node.type_name}(shape={node.value[1]}, dtype={node.value[0]})"
    return f"<{node.type_name} object>"


def _qualified(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _objects_differ(o: Any, i: Any) -> str | None:
    """Why two objects of the same class are not ``==`` (None when they are)."""
    try:
        return None if bool(o == i) else "not =="
    except Exception as exc:  # noqa: BLE001 - an == that raises is a difference too
        return f"== raised {type(exc).__name__}: {exc}"


class Comparer:
    def __init__(self, options: Options):
        self.options = options
        self.lines: list[str] = []

    def non_tensor_tolerance(self, dtype: str | None) -> tuple[float, float]:
        """Python numbers (``dtype`` None) and NumPy values: exact under ``Options.exact``."""
        return (0.0, 0.0) if self.options.exact else self.options.tolerance.for_dtype(dtype)

    def add(self, path: str, what: str, oracle: Any, impl: Any, raw: bool = False) -> None:
        show = str if raw else _fmt
        self.lines.append(f"{path}{what}: oracle {show(oracle)} vs impl {show(impl)}")

    def node(self, o: Any, i: Any, path: str) -> None:
        okind = "tensor" if isinstance(o, TensorNode) else o.kind
        ikind = "tensor" if isinstance(i, TensorNode) else i.kind
        if okind != ikind or (okind == "scalar" and o.type_name != i.type_name):
            self.add(path, "", describe(o), describe(i), raw=True)
            return
        if okind == "tensor":
            self.tensor(o, i, path)
            return
        if o.type_name != i.type_name:
            self.add(path, " type", o.type_name, i.type_name, raw=True)
        if okind == "scalar":
            if _scalars_differ(o.value, i.value, self.non_tensor_tolerance(None)):
                self.add(path, "", o.value, i.value)
        elif okind == "text":
            same = self.options.devices.same(o.value, i.value) if o.type_name == "device" else (
                o.value == (self.options.devices.impl_text(i.value) if isinstance(i.value, str) else i.value))
            if not same:
                self.add(path, "", o.value, i.value, raw=o.type_name in ("dtype", "device"))
        elif okind == "ndarray":
            self.ndarray(o.value, i.value, path)
        elif okind in ("seq", "dict"):
            if o.value != i.value:
                self.add(path, " len" if okind == "seq" else " keys", o.value, i.value)
            else:
                for (suffix, oc), (_, ic) in zip(o.children, i.children, strict=True):
                    self.node(oc, ic, path + suffix)
        elif okind == "other" and self.options.exact:
            if type(o.value) is not type(i.value):
                if o.type_name == i.type_name:  # else the type line above says it
                    self.add(path, " class", _qualified(type(o.value)), _qualified(type(i.value)), raw=True)
            elif (why := _objects_differ(o.value, i.value)) is not None:
                self.add(path, f" ({why})", o.value, i.value)

    def ndarray(self, o: tuple, i: tuple, path: str) -> None:
        (odt, oshape, ovals, ostrides), (idt, ishape, ivals, istrides) = o, i
        for what, a, b in ((".dtype", odt, idt), (".shape", oshape, ishape)):
            if a != b:
                self.add(path, what, a, b)
        if oshape == ishape:
            self._values(path, ovals, ivals, self.non_tensor_tolerance(f"torch.{odt}"))
        if self.options.layout and ostrides != istrides:
            self.add(path, ".strides (elements)", ostrides, istrides)

    def _values(self, path: str, o: Any, i: Any, tol: tuple[float, float]) -> None:
        if isinstance(o, Raised) or isinstance(i, Raised):
            if o != i:
                self.add(path, " values", o, i)
            return
        problem = _values_differ(o, i, tol)
        if problem:
            self.lines.append(f"{path} values: {problem}")

    def tensor(self, o: TensorNode, i: TensorNode, path: str) -> None:
        wanted = self.options.tensor_type
        if wanted is not None and not issubclass(i.cls, wanted):
            self.add(path, " class", f"(an instance of) {_qualified(wanted)}", _qualified(i.cls), raw=True)
        if o.kind != i.kind:
            self.add(path, " class", o.kind, i.kind)
        checked = ("shape", "dtype", "requires_grad", "is_leaf") + (("grad_fn",) if self.options.grad_fns else ())
        for what in checked:
            if getattr(o, what) != getattr(i, what):
                ov, iv = getattr(o, what), getattr(i, what)
                self.add(path, f".{what}", ov, iv, raw=what in ("dtype", "grad_fn"))
        if not self.options.devices.same(o.device, i.device):
            self.add(path, ".device.type", o.device, i.device, raw=True)
        if o.shape == i.shape:
            self._values(path, o.values, i.values,
                         self.options.tolerance.for_dtype(o.dtype if isinstance(o.dtype, str) else None))
        if o.layout is not None:
            for what, ov in o.layout.items():
                iv = i.layout[what]
                if ov != iv:
                    self.add(path, f".{what}" + ("()" if what == "is_contiguous" else ""), ov, iv)
        if o.grad is not None or i.grad is not None:
            if o.grad is None or i.grad is None:
                self.add(path, ".grad read", "read" if o.grad is not None else "not read",
                         "read" if i.grad is not None else "not read")
            elif isinstance(o.grad, Raised) or isinstance(i.grad, Raised):
                if o.grad != i.grad:
                    self.add(path, ".grad", o.grad, i.grad)
            else:
                self.node(o.grad, i.grad, path + ".grad")


def compare_results(oracle: Any, impl: Any, options: Options, path: str = "result") -> list[str]:
    """Every difference between two program results, one line each (at most ``_MAX_LINES`` of them), each
    starting with the path of the value within the result (``path`` for the result itself)."""
    observers = (Observer(options), Observer(options))
    onode = observers[0].observe(oracle, path)
    inode = observers[1].observe(impl, path)
    comparer = Comparer(options)
    comparer.node(onode, inode, path)
    if options.layout:
        oparts, iparts = observers[0].partitions(), observers[1].partitions()
        for label, groups in oparts.items():
            if groups != iparts[label]:
                comparer.lines.append(
                    f"{label}: oracle {sorted(map(list, groups))} vs impl {sorted(map(list, iparts[label]))}")
    return _cap(comparer.lines)


def _cap(lines: list[str]) -> list[str]:
    if len(lines) <= _MAX_LINES:
        return lines
    return lines[:_MAX_LINES] + [f"... and {len(lines) - _MAX_LINES} more"]


# --- whole outcomes -----------------------------------------------------------------------------------------

@dataclass
class Outcome:
    """What one run of a program showed: its result or exception, its stdout and its warnings."""

    result: Any = None
    error: BaseException | None = None
    stdout: str = ""
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (category name, message)


def mro_names(exc: BaseException) -> set[str]:
    return {c.__name__ for c in type(exc).__mro__}


def key_words(message: str) -> str:
    """The message without the C++ 'Triggered internally' tail, with addresses blanked (``0x?``)."""
    message = message.split("(Triggered internally")[0]
    return re.sub(r"0x[0-9a-f]+", "0x?", message).strip()


def message_problem(oracle: BaseException, impl: BaseException) -> str | None:
    """``Options.messages``: the impl's message must contain the first line of the oracle's (key words)."""
    expected = key_words(str(oracle)).splitlines()[0] if str(oracle) else ""
    if expected in key_words(str(impl)):
        return None
    return f"exception message: oracle {str(oracle)!r} vs impl {str(impl)!r}"


def message_contains(message: str, fragment: str) -> bool:
    """A claim's ``error.match``: a plain substring, or else a regular expression."""
    if fragment in message:
        return True
    try:
        return re.search(fragment, message) is not None
    except re.error:
        return False


def _exc(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text[:400]}" if text else type(exc).__name__


def declared_error_problems(exc: BaseException, errors: list[tuple[str, str | None]], side: str) -> list[str]:
    """Lines saying how ``exc`` fails every (type, match) a claim declares; empty when one is satisfied."""
    for etype, match in errors:
        if etype in mro_names(exc) and (match is None or message_contains(str(exc), match)):
            return []
    wanted = " or ".join(f"{t}" + (f" matching {m!r}" if m else "") for t, m in errors)
    return [f"exception: the claims declare {wanted}, but the {side} raised {_exc(exc)}"]


def compare_outcomes(oracle: Outcome, impl: Outcome, options: Options,
                     errors: list[tuple[str, str | None]]) -> list[str]:
    """Every difference between two outcomes: result or exception (and ``errors``, the (type, match) pairs
    the claims declare), stdout and warning categories."""
    lines: list[str] = []
    if oracle.error is not None and impl.error is None:
        lines.append(f"exception: oracle raised {_exc(oracle.error)} but impl returned {_fmt(impl.result)}")
    elif oracle.error is None and impl.error is not None:
        lines.append(f"exception: oracle returned normally but impl raised {_exc(impl.error)}")
    elif oracle.error is not None:
        same_type = (type(impl.error) is type(oracle.error) if options.exact
                     else type(oracle.error).__name__ in mro_names(impl.error))
        if not same_type:
            lines.append(f"exception type: oracle {_exc(oracle.error)} vs impl {_exc(impl.error)}")
        if options.messages and (problem := message_problem(oracle.error, impl.error)):
            lines.append(problem)
        if errors:
            lines += declared_error_problems(oracle.error, errors, "oracle")
            lines += declared_error_problems(impl.error, errors, "impl")
    else:
        lines += compare_results(oracle.result, impl.result, options)
    impl_stdout = options.devices.impl_text(impl.stdout)
    if oracle.stdout != impl_stdout:
        diff = difflib.unified_diff(oracle.stdout.splitlines(), impl_stdout.splitlines(), "oracle", "impl",
                                    lineterm="", n=1)
        lines.append("stdout differs:\n      " + "\n      ".join(list(diff)[:40]))
    ocats, icats = [c for c, _ in oracle.warnings], [c for c, _ in impl.warnings]
    if ocats != icats:
        lines.append(f"warnings: oracle {oracle.warnings} vs impl {impl.warnings}")
    return lines
