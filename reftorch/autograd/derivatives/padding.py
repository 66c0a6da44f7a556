"""Derivatives of the padding ops (torch's derivatives.yaml): ``constant_pad_nd``'s gradient is
``constant_pad_nd`` with the pads negated (a crop, differentiable again); the reflection and
replication pads' gradients are their ``*_backward`` ops."""

from __future__ import annotations

from ...ops.registry import call
from . import define, not_implemented

define("ConstantPadNdBackward0", {"self": lambda grad, pad: call("constant_pad_nd", grad, [-p for p in pad], 0)})

for _base, _node in (("reflection", "ReflectionPad"), ("replication", "ReplicationPad")):
    for _dims in (1, 2):
        def _formula(name: str = f"{_base}_pad{_dims}d_backward"):  # bind the loop values
            return lambda grad, self, padding: call(name, grad, self, padding)
        define(f"{_node}{_dims}DBackward0", {"self": _formula()})
        not_implemented(f"{_base}_pad{_dims}d_backward", ("grad_output", "self"))
