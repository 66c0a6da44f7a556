"""``torch.backends.cudnn``: cuDNN is never available; its flags keep torch's defaults and change nothing."""

from __future__ import annotations

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True


def is_available() -> bool:
    """``torch.backends.cudnn.is_available``: False, reftorch has no cuDNN."""
    return False


def version() -> None:
    """``torch.backends.cudnn.version``: None when cuDNN is not available."""
    return None


__all__ = ["allow_tf32", "benchmark", "deterministic", "enabled", "is_available", "version"]
