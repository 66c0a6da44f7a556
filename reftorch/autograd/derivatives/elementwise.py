"""Derivatives of the elementwise ops (torch's derivatives.yaml and FunctionsManual.cpp).

Complex inputs use conjugate Wirtinger derivatives (``grad * conj(df/dz)``), as torch does.
Gradients of broadcast operands come back in the broadcast shape; the engine sums them down.
"""

from __future__ import annotations

import cmath
import math
from typing import Any

from ..._tensor import Tensor
from ...ops.registry import aten
from . import define, not_implemented
from .helpers import conj, zero_where, zeros_like


def threshold_backward(grad: Any, self: Any, threshold: Any = 0) -> Any:
    """relu's gradient, torch's ``threshold_backward(grad, self, threshold)``: zero where ``self`` is
    not above the threshold. On tensors it is the registered op, differentiable again
    (ThresholdBackwardBackward0), so a create_graph gradient of relu has history."""
    if isinstance(grad, Tensor):
        return aten.threshold_backward(grad, self, threshold)
    return zero_where(grad, self <= threshold)


# ----------------------------------------------------------------------------- unary
_ZERO = {"self": lambda grad: zeros_like(grad)}
for _node in ("SignBackward0", "SgnBackward0", "FloorBackward0", "CeilBackward0", "TruncBackward0",
              "RoundBackward0", "RoundBackward1"):
    define(_node, _ZERO, arrays=True)

define("NegBackward0", {"self": lambda grad: -grad}, arrays=True)
define("FracBackward0", {"self": lambda grad: grad}, arrays=True)
define("ConjPhysicalBackward0", {"self": lambda grad: conj(grad)}, arrays=True)
define("ExpBackward0", {"self": lambda grad, result: grad * conj(result)}, arrays=True)
define("Exp2Backward0", {"self": lambda grad, result: grad * conj(result) * math.log(2.0)}, arrays=True)
define("Expm1Backward0", {"self": lambda grad, result: grad * (conj(result) + 1)}, arrays=True)
define("LogBackward0", {"self": lambda grad, self: grad / conj(self)}, arrays=True)
define("Log2Backward0", {"self": lambda grad, self: grad / (conj(self) * math.log(2.0))}, arrays=True)
define("Log10Backward0", {"self": lambda grad, self: grad / (conj(self) * math.log(10.0))}, arrays=True)
define("Log1PBackward0", {"self": lambda grad, self: grad / (conj(self) + 1)}, arrays=True)
define("SqrtBackward0", {"self": lambda grad, result: grad / (2 * conj(result))}, arrays=True)
define("RsqrtBackward0", {"self": lambda grad, result: -0.5 * grad * conj(result) ** 3}, arrays=True)
define("TanBackward0", {"self": lambda grad, result: grad * (1 + conj(result) ** 2)}, arrays=True)
define("AtanBackward0", {"self": lambda grad, self: grad / (1 + conj(self) ** 2)}, arrays=True)
define("TanhBackward0", {"self": lambda grad, result: grad * (1 - conj(result) ** 2)}, arrays=True)
define("AtanhBackward0", {"self": lambda grad, self: grad / (1 - conj(self) ** 2)}, arrays=True)
define("SigmoidBackward0", {"self": lambda grad, result: grad * conj(result * (1 - result))}, arrays=True)
define("ReciprocalBackward0", {"self": lambda grad, result: -grad * conj(result * result)}, arrays=True)
define("ReluBackward0", {"self": lambda grad, result: threshold_backward(grad, result)}, arrays=True)
define("AbsBackward0", {"self": lambda grad, self: grad * self.sgn()})
define("SinBackward0", {"self": lambda grad, self: grad * conj(self.cos())})
define("CosBackward0", {"self": lambda grad, self: -grad * conj(self.sin())})
define("AsinBackward0", {"self": lambda grad, self: grad / (1 - conj(self) ** 2).sqrt()})
define("AcosBackward0", {"self": lambda grad, self: -grad / (1 - conj(self) ** 2).sqrt()})
define("SinhBackward0", {"self": lambda grad, self: grad * conj(self.cosh())})
define("CoshBackward0", {"self": lambda grad, self: grad * conj(self.sinh())})
define("AsinhBackward0", {"self": lambda grad, self: grad / (conj(self) ** 2 + 1).sqrt()})
define("AcoshBackward0", {"self": lambda grad, self: grad / (conj(self) ** 2 - 1).sqrt()})
define("ErfBackward0", {"self": lambda grad, self: 2.0 / math.sqrt(math.pi) * (-(self * self)).exp() * grad})
define("ErfcBackward0", {"self": lambda grad, self: -2.0 / math.sqrt(math.pi) * (-(self * self)).exp() * grad})
define("ErfinvBackward0", {"self": lambda grad, self: 0.5 * math.sqrt(math.pi) * (self.erfinv() ** 2).exp() * grad})
define("LerpBackward0", {"self": lambda grad, weight: grad * (1 - conj(weight)),
                        "end": lambda grad, weight: grad * conj(weight)}, arrays=True)
define("LerpBackward1", {
    "self": lambda grad, weight: grad * conj(1 - weight),
    "end": lambda grad, weight: grad * conj(weight),
    "weight": lambda grad, self, end: grad * conj(end - self),
}, arrays=True)
define("ThresholdBackwardBackward0", {
    "grad_output": lambda grad, self, threshold: threshold_backward(grad, self, threshold),
    "self": lambda grad: zeros_like(grad),
})


# ----------------------------------------------------------------------------- arithmetic
def _times(grad: Any, alpha: Any) -> Any:
    """torch's ``maybe_multiply``: skip the multiplication by exactly 1."""
    return grad if alpha == 1 else grad * conj(alpha)


define("AddBackward0", {"self": lambda grad: grad, "other": lambda grad, alpha: _times(grad, alpha)}, arrays=True)
define("SubBackward0", {"self": lambda grad: grad, "other": lambda grad, alpha: -_times(grad, alpha)}, arrays=True)
define("SubBackward1", {"self": lambda grad: grad}, arrays=True)
define("RsubBackward0", {"self": lambda grad, alpha: -_times(grad, alpha), "other": lambda grad: grad},
       arrays=True)
define("RsubBackward1", {"self": lambda grad, alpha: -_times(grad, alpha)}, arrays=True)
define("MulBackward0", {"self": lambda grad, other: grad * conj(other), "other": lambda grad, self: grad * conj(self)},
       arrays=True)
define("MulBackward1", {"self": lambda grad, other: grad * conj(other)}, arrays=True)
define("DivBackward1", {"self": lambda grad, other: grad / conj(other)}, arrays=True)
define("DivBackward0", {"self": lambda grad, other: grad / conj(other),
                        "other": lambda grad, self, other: -grad * conj(self / (other * other))}, arrays=True)


define("DivBackward2", {
    "self": lambda grad, rounding_mode, other: (
        zeros_like(grad) if rounding_mode is not None else grad / conj(other)),
    "other": lambda grad, rounding_mode, self, other: (
        zeros_like(grad) if rounding_mode is not None else -grad * conj(self / (other * other))),
}, arrays=True)
define("DivBackward3", {
    "self": lambda grad, rounding_mode, other: zeros_like(grad) if rounding_mode is not None else grad / conj(other),
}, arrays=True)
define("RemainderBackward0", {"self": lambda grad: grad}, arrays=True)
define("RemainderBackward1", {"self": lambda grad: grad,
                              "other": lambda grad, self, other: -grad * self.div(other, rounding_mode="floor")})
define("FmodBackward0", {"self": lambda grad: grad}, arrays=True)
define("FmodBackward1", {"self": lambda grad: grad,
                         "other": lambda grad, self, other: -grad * self.div(other, rounding_mode="trunc")})
define("Atan2Backward0", {
    "self": lambda grad, self, other: grad * conj(other / (self * self + other * other)),
    "other": lambda grad, self, other: grad * conj(-self / (self * self + other * other)),
}, arrays=True)
not_implemented("floor_divide", ("self", "other"))
not_implemented("floor_divide", name="NotImplemented:floor_divide_scalar")
not_implemented("remainder", ("other",), name="NotImplemented:remainder_scalar_self")


def _max_min(larger: bool) -> Any:
    """maximum/minimum: the larger (smaller) operand takes the gradient, ties split it in half
    (``where(self == other, grad / 2, grad)`` masked where the operand lost, as derivatives.yaml)."""
    def formula(grad: Tensor, self: Tensor, other: Tensor) -> tuple[Tensor, Tensor]:
        shared = (grad / 2).where(self == other, grad)
        self_lost, other_lost = (self < other, self > other) if larger else (self > other, self < other)
        return shared.masked_fill(self_lost, 0), shared.masked_fill(other_lost, 0)

    return formula


define("MaximumBackward0", {("self", "other"): _max_min(True)})
define("MinimumBackward0", {("self", "other"): _max_min(False)})


# ----------------------------------------------------------------------------- pow
def _pow_scalar_exponent(grad: Tensor, self: Tensor, exponent: Any) -> Tensor:
    """torch's ``pow_backward``: zeros for exponent 0, else ``grad * conj(exponent * self ** (exponent - 1))``
    (a bool exponent never takes the shortcut: c10's ``Scalar::equal`` is False for bools)."""
    if exponent == 0 and not isinstance(exponent, bool):
        return zeros_like(self)
    exponent = complex(exponent) if isinstance(exponent, complex) else float(exponent)  # Scalar::toDouble
    return grad * conj(exponent * self ** (exponent - 1))


def _pow_tensor_base(grad: Tensor, self: Tensor, exponent: Tensor) -> Tensor:
    """torch's ``pow_backward_self``: zero where the exponent is 0 (so 0 ** 0 has gradient 0, not NaN)."""
    return (grad * conj(exponent * self ** (exponent - 1))).where(exponent != 0, 0.0)


def _pow_tensor_exponent(grad: Tensor, self: Tensor, exponent: Tensor, result: Tensor) -> Tensor:
    """torch's ``pow_backward_exponent``: ``grad * conj(result * log(self))``, zero where the base is 0
    and the exponent is real and non-negative."""
    if exponent._dtype.is_complex:
        zero_at = (self == 0) & (exponent.imag == 0) & (exponent.real >= 0)
    else:
        zero_at = (self == 0) & (exponent >= 0)
    base = self.to(result._dtype) if self._dtype is not result._dtype else self
    return grad * conj(result * base.log()).where(zero_at.logical_not(), 0.0)


def _pow_scalar_base(grad: Tensor, self: Any, exponent: Tensor, result: Tensor) -> Tensor:
    """torch's ``pow_backward_exponent`` for a number base: ``grad * conj(result * log(base))``, where
    ``log`` of a negative base is NaN (a complex base for complex exponents) and a base of 0 gives 0
    where the exponent is real and non-negative (-inf elsewhere, from ``inf * -inf``). A bool base fails
    as torch 2.13's ``Scalar::log`` fails on a bool Scalar (an internal assert)."""
    if isinstance(self, bool):
        raise RuntimeError('false INTERNAL ASSERT FAILED at "/__w/pytorch/pytorch/c10/core/Scalar.cpp":42, please '
                           "report a bug to PyTorch. unknown ivalue tag 4")
    if exponent._dtype.is_complex or isinstance(self, complex):
        log_base = cmath.log(self) if self != 0 else -math.inf
    else:
        log_base = math.log(self) if self > 0 else (-math.inf if self == 0 else math.nan)
    out = grad * conj(result * log_base)
    if self == 0:
        real_nonnegative = (exponent.imag == 0) & (exponent.real >= 0) if exponent._dtype.is_complex else exponent >= 0
        out = out.where(real_nonnegative.logical_not(), 0.0)
    return out


define("PowBackward0", {"self": _pow_scalar_exponent})
define("PowBackward1", {"self": _pow_tensor_base, "exponent": _pow_tensor_exponent})
define("PowBackward2", {"exponent": _pow_scalar_base})


# ----------------------------------------------------------------------------- clamp / where / masked_fill
def _inside(self: Tensor, min: Any, max: Any) -> Tensor:
    """Where ``self`` lies within the bounds (torch's clamp_backward mask; False at NaN)."""
    inside = None if min is None else self >= min
    if max is not None:
        inside = self <= max if inside is None else inside & (self <= max)
    return inside


def _clamp_self(grad: Tensor, self: Tensor, min: Any, max: Any) -> Tensor:
    """torch's ``clamp_backward``: the gradient where ``self`` lies within the bounds, zero outside
    (NaN inputs included)."""
    return grad.masked_fill(_inside(self, min, max).logical_not(), 0)


def _clamp_bound(lower: bool) -> Any:
    """torch's ``clamp_backward_min_max`` for a tensor bound: the gradient where that bound was applied
    (when min > max, max wins)."""
    def formula(grad: Tensor, self: Tensor, min: Any, max: Any) -> Tensor:
        if lower:
            took = (self < min) & (min < max) if max is not None else self < min
        else:
            took = (self > max) | (max < min) if min is not None else self > max
        return grad.masked_fill(took.logical_not(), 0)

    return formula


define("ClampBackward1", {"self": _clamp_self})
# clamp_min / clamp_max (derivatives.yaml: where(self >= min, grad, 0), and where(self < min, grad, 0) for a
# tensor bound; NaN gives zero to both)
define("ClampMinBackward0", {"self": lambda grad, self, min: _clamp_self(grad, self, min, None)})
define("ClampMaxBackward0", {"self": lambda grad, self, max: _clamp_self(grad, self, None, max)})
define("ClampMinBackward1", {"self": lambda grad, self, min: _clamp_self(grad, self, min, None),
                             "min": lambda grad, self, min: grad.masked_fill((self < min).logical_not(), 0)})
define("ClampMaxBackward1", {"self": lambda grad, self, max: _clamp_self(grad, self, None, max),
                             "max": lambda grad, self, max: grad.masked_fill((self > max).logical_not(), 0)})
define("ClampBackward0", {"self": _clamp_self, "min": _clamp_bound(True), "max": _clamp_bound(False)})
define("WhereBackward0", {
    "self": lambda grad, condition: grad.where(condition, 0.0),
    "other": lambda grad, condition: grad.new_zeros(()).where(condition, grad),
})
define("MaskedFillBackward0", {"self": lambda grad, mask: grad.masked_fill(mask, 0)})
define("MaskedFillBackward1", {
    "self": lambda grad, mask: grad.masked_fill(mask, 0),
    "value": lambda grad, mask: grad.masked_fill(mask.logical_not(), 0).sum(),
})
