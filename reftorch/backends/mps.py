"""``torch.backends.mps``: Apple's Metal backend, which reftorch does not have."""

from __future__ import annotations


def is_available() -> bool:
    """``torch.backends.mps.is_available``: False."""
    return False


def is_built() -> bool:
    """``torch.backends.mps.is_built``: False."""
    return False


__all__ = ["is_available", "is_built"]
