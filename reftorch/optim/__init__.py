"""``torch.optim``: the optimizers (Adafactor, SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam,
Rprop, ASGD, LBFGS), their base class, ``lr_scheduler`` and ``swa_utils``, ported from torch/optim (2.13).
Only the single-tensor code paths exist: ``foreach`` and ``fused`` are accepted, stored in the parameter
groups as torch stores them, and ignored (they change speed, not results, on the CPU)."""

from __future__ import annotations

from . import lr_scheduler, swa_utils
from ._adafactor import Adafactor
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .asgd import ASGD
from .lbfgs import LBFGS
from .nadam import NAdam
from .optimizer import Optimizer
from .radam import RAdam
from .rmsprop import RMSprop
from .rprop import Rprop
from .sgd import SGD

__all__ = ["ASGD", "LBFGS", "SGD", "Adadelta", "Adafactor", "Adagrad", "Adam", "AdamW", "Adamax", "NAdam", "Optimizer",
           "RAdam", "RMSprop", "Rprop", "lr_scheduler", "swa_utils"]
