"""``torch.utils.tensorboard``: reftorch does not write TensorBoard event files.

Importable so that ``from torch.utils.tensorboard import SummaryWriter`` at a script's top runs; creating a
``SummaryWriter`` raises RuntimeError naming what reftorch lacks (``reftorch/_unsupported.py``).
"""

from __future__ import annotations

from ..._unsupported import unsupported

SummaryWriter = unsupported(__name__, "SummaryWriter", "reftorch does not write TensorBoard event files")

__all__ = ["SummaryWriter"]
