"""The process-wide autograd switches (grad mode, inference mode), kept free of imports so that the
Tensor core can read them."""

from __future__ import annotations


class GradModeState:
    __slots__ = ("enabled", "inference")

    def __init__(self) -> None:
        self.enabled = True
        self.inference = False


STATE = GradModeState()
