"""Differential conformance suite: each test runs a program on torch (the oracle) and on the implementation.

Test files use ``@claims(...)`` from here (on a test, or as ``pytest.param`` marks of its parametrized cases),
the ``differential`` fixture (conformance/conftest.py) and the strategies in ``conformance.strategies``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest

F = TypeVar("F", bound=Callable)


def claims(*ids: str) -> Callable[[F], F]:
    """Links a test to the spec claim ids it checks (``<chapter>.<slug>``); the plugin checks they exist.

    A decorator on a test function, or a mark on the cases of a parametrized one::

        @pytest.mark.parametrize("loss", [pytest.param("L1Loss", marks=claims("losses.l1-loss"), id="l1"), ...])

    A case checks its own claims and the function's (they add up). Claim ids must be string literals, and
    cases that carry claims need ids the static scan can tell (see ``conformance.spec``).
    """
    if not ids or not all(isinstance(i, str) for i in ids):
        raise TypeError("claims(...) takes one or more claim id strings")
    return pytest.mark.claims(*ids)


__all__ = ["claims"]
