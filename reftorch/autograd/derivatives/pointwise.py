"""Derivatives of ``addcmul`` and ``addcdiv`` (torch's derivatives.yaml entries of the same names).

``value`` is a Python number saved with the node; complex operands use the conjugate, as torch's
``.conj()`` in those formulas. The engine casts a complex gradient of a real input back to real
(torch's ``handle_r_to_c``) and sums broadcast gradients down.
"""

from __future__ import annotations

from . import define
from .helpers import conj

define("AddcmulBackward0", {
    "self": lambda grad: grad,
    "tensor1": lambda grad, tensor2, value: grad * conj(tensor2 * value),
    "tensor2": lambda grad, tensor1, value: grad * conj(tensor1 * value),
}, arrays=True)
define("AddcdivBackward0", {
    "self": lambda grad: grad,
    "tensor1": lambda grad, tensor2, value: grad * conj(value / tensor2),
    "tensor2": lambda grad, tensor1, tensor2, value: -grad * conj(value * tensor1 / (tensor2 * tensor2)),
}, arrays=True)
