"""Running one program on the oracle (torch) and on the implementation under test, and reporting mismatches.

``Differential`` is what the ``differential`` fixture hands to tests. Each call runs ``program(T, device)``
twice, capturing stdout and warnings, then compares the two outcomes (see ``conformance.compare``). A
mismatch raises ``ConformanceMismatch`` whose message lists every difference followed by a copy-paste
reproduction: the pytest command, and a standalone script with the program source and its inputs.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import shlex
import textwrap
import traceback
import types
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from conformance.compare import DeviceMap, Options, Outcome, Tolerance, compare_outcomes
from conformance.spec import Claim

ORACLE = "torch"


class ConformanceMismatch(AssertionError):
    """The implementation's observables differ from the oracle's (or a claim does not hold on the oracle)."""

    def __init__(self, lines: list[str], details: Callable[[], str]):
        super().__init__(lines)
        self.lines = lines
        self._details = details

    def __str__(self) -> str:  # built lazily: hypothesis raises many of these while shrinking
        return "\n".join(["Conformance mismatch:", *(f"  {line}" for line in self.lines), self._details()])


def module_version(module: types.ModuleType) -> str:
    return str(getattr(module, "__version__", "unknown"))


def backend_problem(module: types.ModuleType, device: str) -> str | None:
    """Why ``module`` cannot create a tensor on ``device`` (None when it can)."""
    try:
        t = module.zeros(2, device=device)
        if t.device.type != device:
            return f"zeros(2, device={device!r}) gave a tensor on {t.device}"
    except Exception as exc:  # noqa: BLE001 - any failure means the backend does not work
        return f"zeros(2, device={device!r}) raised {type(exc).__name__}: {exc}"
    return None


@contextlib.contextmanager
def _restored_globals(module: types.ModuleType):
    """Restores the default dtype, grad mode and print options a program may change."""
    saved = {}
    pairs = (("get_default_dtype", "set_default_dtype"), ("is_grad_enabled", "set_grad_enabled"))
    for getter, setter in pairs:
        if hasattr(module, getter) and hasattr(module, setter):
            saved[setter] = getattr(module, getter)()
    try:
        yield
    finally:
        for setter, value in saved.items():
            getattr(module, setter)(value)
        if hasattr(module, "set_printoptions"):
            with contextlib.suppress(Exception):  # a broken set_printoptions shows up in the printing tests
                module.set_printoptions(profile="default")


def run_program(program: Callable, module: types.ModuleType, device: str) -> Outcome:
    """Runs ``program(module, device)``, capturing its stdout, warnings and any exception it raises."""
    out = io.StringIO()
    outcome = Outcome()
    with warnings.catch_warnings(record=True) as caught, _restored_globals(module):
        warnings.simplefilter("always")
        with contextlib.redirect_stdout(out):
            try:
                outcome.result = program(module, device)
            except Exception as exc:  # noqa: BLE001 - the exception is an observable of the program
                outcome.error = exc
    outcome.stdout = out.getvalue()
    outcome.warnings = [(w.category.__name__, str(w.message)) for w in caught]
    return outcome


@dataclass
class RunContext:
    """What the running test contributes: its node id, its claims and the command-line to rerun it."""

    nodeid: str = "<unknown test>"
    claims: list[Claim] = field(default_factory=list)
    rerun_args: list[str] = field(default_factory=list)

    def tolerance(self, rtol: float | None, atol: float | None) -> Tolerance:
        """The call's rtol/atol, else the loosest the claims declare, else None (per-dtype defaults)."""
        def pick(call: float | None, key: str) -> float | None:
            if call is not None:
                return call
            declared = [getattr(c, key) for c in self.claims if getattr(c, key) is not None]
            return max(declared) if declared else None
        return Tolerance(pick(rtol, "rtol"), pick(atol, "atol"))

    def errors(self) -> list[tuple[str, str | None]]:
        return [(c.error_type, c.error_match) for c in self.claims if c.error_type]


class Differential:
    """Runs programs on the oracle and on the implementation; see the module docstring."""

    def __init__(self, impl_name: str, impl: types.ModuleType, backend: str, oracle_device: str,
                 impl_device: str):
        self.impl_name, self.impl, self.backend = impl_name, impl, backend
        self.oracle_device, self.impl_device = oracle_device, impl_device
        self.devices = DeviceMap(oracle_cpu_is_cuda=oracle_device == "cpu" and impl_device == "cuda")
        self.context = RunContext()

    def __call__(self, program: Callable, *, layout: bool = False, predicate: Callable | None = None,
                 rtol: float | None = None, atol: float | None = None, grads: bool = True) -> tuple[Any, Any]:
        __tracebackhide__ = True
        oracle = run_program(program, torch, self.oracle_device)
        impl = run_program(program, self.impl, self.impl_device)
        options = Options(layout=layout, grads=grads, tolerance=self.context.tolerance(rtol, atol),
                          devices=self.devices)
        lines = self._predicate_problems(oracle, predicate)
        lines += compare_outcomes(oracle, impl, options, self.context.errors())
        if lines:
            context = self.context
            raise ConformanceMismatch(lines, lambda: self.details(program, oracle, impl, context))
        return (oracle.error or oracle.result, impl.error or impl.result)

    @staticmethod
    def _predicate_problems(oracle: Outcome, predicate: Callable | None) -> list[str]:
        if predicate is None:
            return []
        if oracle.error is not None:
            return [(f"claim predicate: cannot be checked, the oracle raised {type(oracle.error).__name__}: "
                    f"{oracle.error}")]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                holds = predicate(oracle.result, torch)
        except Exception as exc:  # noqa: BLE001 - a predicate that crashes does not hold
            return [f"claim predicate raised {type(exc).__name__}: {exc}"]
        if holds:
            return []
        return ["claim predicate is False on the oracle's result: the claim does not hold in torch"]

    def details(self, program: Callable, oracle: Outcome, impl: Outcome, context: RunContext) -> str:
        parts = [(f"  backend: {self.backend} (oracle torch {torch.__version__} on {self.oracle_device}, "
                 f"impl {self.impl_name} {module_version(self.impl)} on {self.impl_device})"),
                 f"  claims: {', '.join(c.id for c in context.claims) or '(none)'}"]
        # The impl's traceback whenever it raised; the oracle's only when that was the surprise.
        shown = [("impl", impl.error)] if impl.error is not None else [("oracle", oracle.error)]
        for side, error in shown:
            if error is not None:
                parts.append(f"--- {side} traceback ---\n{_traceback(error)}")
        parts.append("--- reproduce ---")
        parts.append("pytest " + " ".join(shlex.quote(a) for a in [context.nodeid, *context.rerun_args]))
        parts.append("(hypothesis prints the falsifying example and any @reproduce_failure blob below)")
        parts.append("--- standalone script ---")
        parts.append(reproduction_script(program, self.impl_name, self.oracle_device, self.impl_device))
        return "\n".join(parts)


def _traceback(error: BaseException) -> str:
    """The traceback from the program's frame on (the harness frame dropped), at most 12 entries."""
    tb = error.__traceback__.tb_next if error.__traceback__ is not None else None
    lines = traceback.format_exception(type(error), error, tb)
    return "".join(lines[-12:]).rstrip()


def _literal(value: Any) -> str:
    """Source text that rebuilds ``value`` (NumPy arrays as np.array(..., dtype=...))."""
    if isinstance(value, np.ndarray):
        return f"np.array({value.tolist()!r}, dtype=np.{value.dtype.name})"
    if isinstance(value, np.generic):
        return f"np.{type(value).__name__}({value.item()!r})"
    if isinstance(value, tuple | list) and any(isinstance(v, np.ndarray | np.generic) for v in value):
        inner = ", ".join(_literal(v) for v in value)
        return f"({inner},)" if isinstance(value, tuple) else f"[{inner}]"
    return repr(value)


def _source(obj: Any) -> str | None:
    try:
        return textwrap.dedent(inspect.getsource(obj))
    except (OSError, TypeError):
        return None


def reproduction_script(program: Callable, impl_name: str, oracle_device: str, impl_device: str) -> str:
    """A script that reruns ``program`` on both sides with the inputs it closed over."""
    lines = ["import numpy as np", "import torch", f"import {impl_name} as impl"]
    try:
        refs = inspect.getclosurevars(program)
        names = {**refs.globals, **refs.nonlocals}
    except (TypeError, ValueError):
        names = {}
    for name, value in sorted(names.items()):
        if isinstance(value, types.ModuleType):
            lines.append(f"import {value.__name__} as {name}" if value.__name__ != name else f"import {name}")
        elif callable(value) and getattr(value, "__module__", None) not in (None, program.__module__):
            lines.append(f"from {value.__module__} import {value.__qualname__} as {name}")
        elif callable(value) and (src := _source(value)) is not None:
            lines.append(src.rstrip())
        else:
            lines.append(f"{name} = {_literal(value)}")
    name = program.__name__ if program.__name__.isidentifier() else "program"
    lines.append(_source(program) or f"# (source of {program!r} unavailable)")
    lines += [f"print('oracle:', {name}(torch, {oracle_device!r}))",
              f"print('impl:  ', {name}(impl, {impl_device!r}))"]
    return "\n".join(lines)
