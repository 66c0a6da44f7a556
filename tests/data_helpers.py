"""Shared pieces of the tests/test_data_*.py files: a run of ``fn(T)`` that also records its warnings, and
the comparison of both libraries' runs (results by ``check``'s rules, warnings by class and message)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import torch

import reftorch
from tests.helpers import check


def with_warnings(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``fn`` made to return ``(result, [(warning class name, message), ...])``."""
    def run(T: Any) -> Any:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = fn(T)
        return result, [(w.category.__name__, str(w.message)) for w in caught]
    return run


def check_warned(fn: Callable[[Any], Any]) -> Any:
    """``check`` of ``fn`` and of the warnings it raises; returns torch's ``(result, warnings)``."""
    outcome = check(with_warnings(fn))
    return None if outcome is None else outcome[1]


def random_stream_after(fn: Callable[[Any], Any], seed: int) -> Callable[[Any], Any]:
    """``fn`` run after ``manual_seed(seed)``, returning its result and the global stream's next draws."""
    def run(T: Any) -> Any:
        T.manual_seed(seed)
        result = fn(T)
        return result, T.rand(3)
    return run


__all__ = ["check", "check_warned", "random_stream_after", "reftorch", "torch", "with_warnings"]
