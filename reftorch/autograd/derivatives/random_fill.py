"""Derivatives of the in-place random fills (torch's derivatives.yaml): the overwritten values get a
zero gradient."""

from __future__ import annotations

from . import define
from .helpers import zeros_like

for _node in ("UniformBackward0", "NormalBackward0"):
    define(_node, {"self": lambda grad: zeros_like(grad)}, arrays=True)
