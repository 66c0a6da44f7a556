"""The autograd switches (grad mode, inference mode), kept free of imports so that the Tensor core
can read them.

Thread-local, as torch's ``GradMode`` and ``InferenceMode`` (c10/core/GradMode.h, thread_local
``AutogradState``): a thread entering ``no_grad()`` changes nothing for other threads, and every new
thread starts with grad mode on and inference mode off. Process-wide settings (the default dtype,
the default generator) stay global, as in torch.
"""

from __future__ import annotations

import threading


class GradModeState(threading.local):
    """``enabled``: ops record graphs; ``inference``: new tensors are inference tensors. Each thread
    sees its own values, initialised on first use in that thread."""

    def __init__(self) -> None:
        self.enabled = True
        self.inference = False


STATE = GradModeState()
