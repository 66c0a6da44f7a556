"""Differential helpers for the unit tests: build the same input on reftorch and torch, compare
results observable by observable (dtype, shape, strides, values, storage sharing, errors).

The comparison is the conformance suite's (``conformance.compare``), at the strength these helpers always
had: values that are not tensors compared exactly, other objects by class and ``==``, exception classes
by identity and (with ``message``) reftorch's message containing the first line of torch's.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

import reftorch
from conformance.compare import Options, Outcome, compare_outcomes, compare_results, key_words

DTYPE_NAMES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64",
               "complex64", "complex128")

# The unit tests' strength (see conformance.compare.Options); ``layout`` and ``messages`` are per call.
UNIT = Options(exact=True, tensor_type=reftorch.Tensor)

__all__ = ["DTYPE_NAMES", "UNIT", "arange_shaped", "assert_same", "check", "from_small_values", "key_words",
           "outcome", "pair", "shares_storage", "small_values"]


def pair(array: np.ndarray) -> tuple[reftorch.Tensor, torch.Tensor]:
    """The same values as a reftorch tensor and a torch tensor (independent copies)."""
    return reftorch.from_numpy(array.copy()), torch.from_numpy(array.copy())


def assert_same(ours: Any, theirs: Any, *, layout: bool = False, path: str = "result",
                grad_fns: bool = True) -> None:
    """Assert that a reftorch result equals a torch result (recursing into tuples, lists and dicts).

    ``grad_fns=False`` leaves out the names of the tensors' ``grad_fn`` nodes: only for gradients whose
    graph reftorch is known to build from other nodes than torch (the caller says which and why)."""
    lines = compare_results(theirs, ours, dataclasses.replace(UNIT, layout=layout, grad_fns=grad_fns), path)
    assert not lines, "torch (oracle) vs reftorch (impl):\n  " + "\n  ".join(lines)


def outcome(fn: Callable[[Any], Any], namespace: Any) -> tuple[str, Any]:
    """('ok', result) or ('error', exception) of ``fn(namespace)``, warnings recorded as errors-free."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return "ok", fn(namespace)
        except Exception as exc:  # noqa: BLE001 - the exception is the observable
            return "error", exc


def _as_outcome(kind: str, value: Any) -> Outcome:
    return Outcome(error=value) if kind == "error" else Outcome(result=value)


def check(fn: Callable[[Any], Any], *, layout: bool = False, message: bool = True) -> Any:
    """Run ``fn(torch)`` and ``fn(reftorch)``; results must match, or both must raise the same type
    (and, with ``message``, reftorch's message must contain the first line of torch's).

    Returns ``(ours, theirs)``, or None when both raised."""
    kind_t, theirs = outcome(fn, torch)
    kind_o, ours = outcome(fn, reftorch)
    options = dataclasses.replace(UNIT, layout=layout, messages=message)
    lines = compare_outcomes(_as_outcome(kind_t, theirs), _as_outcome(kind_o, ours), options, [])
    if lines:
        raise AssertionError("torch (oracle) vs reftorch (impl):\n  " + "\n  ".join(lines)) from (
            ours if kind_o == "error" else None)
    return None if kind_t == "error" else (ours, theirs)


def small_values(shape: tuple[int, ...], dtype_name: str, seed: int = 0) -> np.ndarray:
    """Deterministic small integers (every dtype holds them exactly) as a NumPy array of ``dtype_name``."""
    rng = np.random.default_rng(seed)
    values = rng.integers(-3, 4, size=shape)
    if dtype_name == "bool":
        return values > 0
    if dtype_name.startswith("complex"):
        return (values + 1j * rng.integers(-3, 4, size=shape)).astype(dtype_name)
    if dtype_name == "uint8":
        values = np.abs(values)
    return values.astype(dtype_name)


def from_small_values(T: Any, shape: tuple[int, ...], dtype_name: str = "float32", seed: int = 0) -> Any:
    return T.from_numpy(small_values(shape, dtype_name, seed))


def arange_shaped(T: Any, *shape: int, dtype: Any = None) -> Any:
    return T.arange(int(np.prod(shape)), dtype=dtype).reshape(shape)


def shares_storage(a: Any, b: Any) -> bool:
    return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()
