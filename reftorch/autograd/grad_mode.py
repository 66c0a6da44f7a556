"""Grad modes: ``no_grad``, ``enable_grad``, ``set_grad_enabled``, ``inference_mode``.

Mirrors torch/autograd/grad_mode.py: each is a context manager and a decorator;
``set_grad_enabled(mode)`` also takes effect when called as a plain function, because the mode is
switched in the constructor. The modes are thread-local, as torch's (see
:mod:`reftorch._autograd_state`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .._autograd_state import STATE


def is_grad_enabled() -> bool:
    """``torch.is_grad_enabled()``."""
    return STATE.enabled


def is_inference_mode_enabled() -> bool:
    return STATE.inference


class _DecoratorContextManager:
    """A context manager that can also decorate functions (each call runs inside the context)."""

    def __call__(self, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.clone():
                return fn(*args, **kwargs)

        return wrapper

    def clone(self) -> _DecoratorContextManager:
        return type(self)()


class no_grad(_DecoratorContextManager):  # noqa: N801 - torch's name
    """Disable gradient recording: results of ops do not require grad and have no grad_fn."""

    def __enter__(self) -> None:
        self.prev = STATE.enabled
        STATE.enabled = False

    def __exit__(self, *exc: object) -> None:
        STATE.enabled = self.prev


class enable_grad(_DecoratorContextManager):  # noqa: N801
    """Enable gradient recording inside a ``no_grad`` block."""

    def __enter__(self) -> None:
        self.prev = STATE.enabled
        STATE.enabled = True

    def __exit__(self, *exc: object) -> None:
        STATE.enabled = self.prev


class set_grad_enabled(_DecoratorContextManager):  # noqa: N801
    """``set_grad_enabled(mode)``: switches the mode at construction (so a plain call works) and
    restores the previous mode when used as a context manager exits."""

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled(): argument 'mode' must be bool, not {type(mode).__name__}")
        self.prev = STATE.enabled
        self.mode = mode
        STATE.enabled = mode

    def __call__(self, fn: Callable) -> Callable:
        STATE.enabled = self.prev  # as a decorator it only applies inside calls
        return super().__call__(fn)

    def __enter__(self) -> None:
        STATE.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        STATE.enabled = self.prev

    def clone(self) -> set_grad_enabled:
        prev = STATE.enabled
        clone = set_grad_enabled(self.mode)
        STATE.enabled = prev
        clone.prev = prev
        return clone


class inference_mode(_DecoratorContextManager):  # noqa: N801
    """Like ``no_grad``; tensors created inside report ``is_inference()``."""

    def __init__(self, mode: bool = True) -> None:
        self.mode = mode

    def __enter__(self) -> None:
        self.prev = (STATE.enabled, STATE.inference)
        if self.mode:
            STATE.enabled, STATE.inference = False, True

    def __exit__(self, *exc: object) -> None:
        STATE.enabled, STATE.inference = self.prev

    def clone(self) -> inference_mode:
        return inference_mode(self.mode)
