"""Derivatives of the conversion and copying ops (torch's derivatives.yaml; ``copy_``'s node is the
hand-written CopyBackwards of torch/csrc/autograd/functions/tensor.cpp).

A conversion sends the gradient back to the input's device and dtype; an op that overwrites its
target (``copy_``, ``fill_``, ``zero_``) gives the old values a zero gradient, and the source its
share (``copy_``: the gradient, summed back to the source's shape by the engine; ``fill_`` with a
zero-dim tensor: the gradient's sum).
"""

from __future__ import annotations

from . import define
from .helpers import zeros_like

define("ToCopyBackward0", {"self": lambda grad, self_device, self_dtype: grad.to(device=self_device, dtype=self_dtype)})
define("CopyBackwards", {
    "self": lambda grad: zeros_like(grad),
    "other": lambda grad, other_device, other_dtype: grad.to(device=other_device, dtype=other_dtype),
})
define("FillBackward2", {"self": lambda grad: zeros_like(grad)}, arrays=True)
define("FillBackward3", {"self": lambda grad: zeros_like(grad), "value": lambda grad: grad.sum()})
define("ZeroBackward0", {"self": lambda grad: zeros_like(grad)}, arrays=True)
