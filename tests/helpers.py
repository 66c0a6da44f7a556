"""Differential helpers for the unit tests: build the same input on reftorch and torch, compare
results observable by observable (dtype, shape, strides, values, storage sharing, errors)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

import reftorch

DTYPE_NAMES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64",
               "complex64", "complex128")


def pair(array: np.ndarray) -> tuple[reftorch.Tensor, torch.Tensor]:
    """The same values as a reftorch tensor and a torch tensor (independent copies)."""
    return reftorch.from_numpy(array.copy()), torch.from_numpy(array.copy())


def assert_same(ours: Any, theirs: Any, *, layout: bool = False, path: str = "result") -> None:
    """Assert that a reftorch result equals a torch result (recursing into tuples and lists)."""
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, reftorch.Tensor), f"{path}: expected a tensor, got {type(ours).__name__}"
        assert str(ours.dtype) == str(theirs.dtype), f"{path}.dtype: {ours.dtype} vs {theirs.dtype}"
        assert tuple(ours.shape) == tuple(theirs.shape), f"{path}.shape: {ours.shape} vs {theirs.shape}"
        if layout:
            assert ours.stride() == theirs.stride(), f"{path}.stride: {ours.stride()} vs {theirs.stride()}"
            assert ours.storage_offset() == theirs.storage_offset(), f"{path}.storage_offset"
            assert ours.is_contiguous() == theirs.is_contiguous(), f"{path}.is_contiguous"
        expected = theirs.detach().resolve_conj().numpy()
        actual = ours.detach().numpy()
        torch.testing.assert_close(torch.from_numpy(np.array(actual)), torch.from_numpy(np.array(expected)),
                                   equal_nan=True, msg=lambda m: f"{path}: {m}")
    elif isinstance(theirs, (tuple, list)):
        assert len(ours) == len(theirs), f"{path}: length {len(ours)} vs {len(theirs)}"
        for i, (o, t) in enumerate(zip(ours, theirs)):
            assert_same(o, t, layout=layout, path=f"{path}[{i}]")
    elif isinstance(theirs, (torch.dtype, torch.Size, torch.device)):
        assert str(ours) == str(theirs), f"{path}: {ours} vs {theirs}"
    elif isinstance(theirs, float) and theirs != theirs:
        assert ours != ours, f"{path}: {ours} vs nan"
    else:
        assert type(ours) is type(theirs) and ours == theirs, f"{path}: {ours!r} vs {theirs!r}"


def outcome(fn: Callable[[Any], Any], namespace: Any) -> tuple[str, Any]:
    """('ok', result) or ('error', exception) of ``fn(namespace)``, warnings recorded as errors-free."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return "ok", fn(namespace)
        except Exception as exc:  # noqa: BLE001 - the exception is the observable
            return "error", exc


def key_words(message: str) -> str:
    """The message with addresses and the C++ 'Triggered internally' tail removed."""
    message = message.split("(Triggered internally")[0]
    return re.sub(r"0x[0-9a-f]+", "0x?", message).strip()


def check(fn: Callable[[Any], Any], *, layout: bool = False, message: bool = True) -> Any:
    """Run ``fn(torch)`` and ``fn(reftorch)``; results must match, or both must raise the same type
    (and, with ``message``, reftorch's message must contain the first line of torch's)."""
    kind_t, theirs = outcome(fn, torch)
    kind_o, ours = outcome(fn, reftorch)
    if kind_t == "error":
        assert kind_o == "error", f"torch raised {type(theirs).__name__}: {theirs}; reftorch returned {ours!r}"
        assert type(ours) is type(theirs), f"exception type: {type(ours).__name__} vs {type(theirs).__name__}: {ours}"
        if message:
            expected = key_words(str(theirs)).splitlines()[0] if str(theirs) else ""
            assert expected in key_words(str(ours)), f"message: {ours!r} vs {theirs!r}"
        return None
    if kind_o == "error":
        raise AssertionError(f"reftorch raised {type(ours).__name__}: {ours}; torch returned {theirs!r}") from ours
    assert_same(ours, theirs, layout=layout)
    return ours, theirs


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
