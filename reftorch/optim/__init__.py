"""``torch.optim``: the optimizers (SGD, Adam, AdamW, RMSprop, Adagrad), their base class and
``lr_scheduler``, ported from torch/optim (2.13). Only the single-tensor code paths exist: ``foreach``
and ``fused`` are accepted, stored in the parameter groups as torch stores them, and ignored (they
change speed, not results, on the CPU)."""

from __future__ import annotations

from . import lr_scheduler
from .adagrad import Adagrad
from .adam import Adam
from .adamw import AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["SGD", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop", "lr_scheduler"]
