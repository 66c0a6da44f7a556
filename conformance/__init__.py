"""Differential conformance suite: each test runs a program on torch (the oracle) and on the implementation.

Test files use ``@claims(...)`` from here, the ``differential`` fixture (conformance/conftest.py) and the
strategies in ``conformance.strategies``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest

F = TypeVar("F", bound=Callable)


def claims(*ids: str) -> Callable[[F], F]:
    """Links a test to the spec claim ids it checks (``<chapter>.<slug>``); the plugin checks they exist."""
    if not ids or not all(isinstance(i, str) for i in ids):
        raise TypeError("claims(...) takes one or more claim id strings")
    return pytest.mark.claims(*ids)


__all__ = ["claims"]
