"""``torch.backends.cuda``: ``matmul.allow_tf32`` and ``is_built()``; settings a CPU build stores and ignores."""

from __future__ import annotations

from types import SimpleNamespace

matmul = SimpleNamespace(allow_tf32=False, allow_fp16_reduced_precision_reduction=True,
                         allow_bf16_reduced_precision_reduction=True)


def is_built() -> bool:
    """``torch.backends.cuda.is_built``: False, reftorch has no CUDA backend."""
    return False


__all__ = ["is_built", "matmul"]
