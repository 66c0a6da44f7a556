"""Derivatives of the elementwise ops (the part of torch's tools/autograd/derivatives.yaml they use).

Each entry: op name -> (node name, what to save, formula). A formula gets the incoming gradient
and the saved values (``a``/``b`` operands, ``r`` result) and returns the gradients in the
broadcast shape; :func:`binary_backward` reduces them to the operands' shapes. Formulas are
written with reftorch ops, so they are themselves differentiable (``create_graph=True``).
Complex inputs use conjugate Wirtinger derivatives (``grad * conj(df/dz)``), as torch does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .._tensor import Tensor
from .grad_mode import no_grad
from .graph import NODE_CLASSES, Saved, array_twin, gradient_edge, needs_grad, record, saved_arrays


def conj(t: Any) -> Any:
    """Complex conjugate for formulas (tensors, backend arrays or Python scalars); real values pass
    through."""
    if isinstance(t, Tensor):
        return t.conj_physical() if t._dtype.is_complex else t
    dtype = getattr(t, "dtype", None)
    if dtype is None:  # a Python number
        return t.conjugate() if isinstance(t, complex) else t
    return t.conj() if dtype.kind == "c" else t


def sum_to(grad: Tensor, shape: tuple[int, ...]) -> Tensor:
    """Reduce a broadcast gradient back to ``shape`` (torch's ``sum_to_size``)."""
    if grad._shape == shape:
        return grad
    lead = len(grad._shape) - len(shape)
    dims = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape) if s == 1 and grad._shape[i + lead] != 1)
    reduced = grad.sum(dims, keepdim=True) if dims else grad
    return reduced.view(shape) if lead else reduced


def _zeros(g: Tensor, *_: Any) -> Tensor:
    return g.new_zeros(g._shape)


UNARY_GRADS: dict[str, tuple[str, str, Callable]] = {
    # name: (node name, saved: "a" input / "r" result, formula(g, saved))
    "neg": ("NegBackward0", "", lambda g, s: -g),
    "abs": ("AbsBackward0", "a", lambda g, a: g * a.sgn()),
    "exp": ("ExpBackward0", "r", lambda g, r: g * conj(r)),
    "exp2": ("Exp2Backward0", "r", lambda g, r: g * conj(r) * math.log(2.0)),
    "expm1": ("Expm1Backward0", "r", lambda g, r: g * (conj(r) + 1)),
    "log": ("LogBackward0", "a", lambda g, a: g / conj(a)),
    "log2": ("Log2Backward0", "a", lambda g, a: g / (conj(a) * math.log(2.0))),
    "log10": ("Log10Backward0", "a", lambda g, a: g / (conj(a) * math.log(10.0))),
    "log1p": ("Log1PBackward0", "a", lambda g, a: g / (conj(a) + 1)),
    "sqrt": ("SqrtBackward0", "r", lambda g, r: g / (2 * conj(r))),
    "rsqrt": ("RsqrtBackward0", "r", lambda g, r: -0.5 * g * conj(r) ** 3),
    "sin": ("SinBackward0", "a", lambda g, a: g * conj(a.cos())),
    "cos": ("CosBackward0", "a", lambda g, a: -g * conj(a.sin())),
    "tan": ("TanBackward0", "r", lambda g, r: g * (1 + conj(r) ** 2)),
    "asin": ("AsinBackward0", "a", lambda g, a: g / (1 - conj(a) ** 2).sqrt()),
    "acos": ("AcosBackward0", "a", lambda g, a: -g / (1 - conj(a) ** 2).sqrt()),
    "atan": ("AtanBackward0", "a", lambda g, a: g / (1 + conj(a) ** 2)),
    "sinh": ("SinhBackward0", "a", lambda g, a: g * conj(a.cosh())),
    "cosh": ("CoshBackward0", "a", lambda g, a: g * conj(a.sinh())),
    "tanh": ("TanhBackward0", "r", lambda g, r: g * (1 - conj(r) ** 2)),
    "asinh": ("AsinhBackward0", "a", lambda g, a: g / (conj(a) ** 2 + 1).sqrt()),
    "acosh": ("AcoshBackward0", "a", lambda g, a: g / (conj(a) ** 2 - 1).sqrt()),
    "atanh": ("AtanhBackward0", "a", lambda g, a: g / (1 - conj(a) ** 2)),
    "sigmoid": ("SigmoidBackward0", "r", lambda g, r: g * conj(r * (1 - r))),
    "reciprocal": ("ReciprocalBackward0", "r", lambda g, r: -g * conj(r * r)),
    "relu": ("ReluBackward0", "r", lambda g, r: _threshold_backward(g, r)),
    "sign": ("SignBackward0", "", _zeros),
    "sgn": ("SgnBackward0", "", _zeros),
    "floor": ("FloorBackward0", "", _zeros),
    "ceil": ("CeilBackward0", "", _zeros),
    "trunc": ("TruncBackward0", "", _zeros),
    "round": ("RoundBackward0", "", _zeros),
    "frac": ("FracBackward0", "", lambda g, s: g),
    "conj_physical": ("ConjPhysicalBackward0", "", lambda g, s: conj(g)),
    "square": ("PowBackward0", "a", lambda g, a: g * 2 * conj(a)),
}


def _pow_tensor_grad_base(g: Tensor, a: Tensor, b: Tensor) -> Tensor:
    return g * conj(b * a ** (b - 1))


def _pow_tensor_grad_exponent(g: Tensor, a: Tensor, b: Tensor, r: Tensor) -> Tensor:
    # d/db a**b = a**b * log(a); torch masks a == 0 with b >= 0 to zero.
    grad = g * conj(r * a.log())
    return grad.masked_fill((a == 0) & (b >= 0), 0) if not grad._dtype.is_complex else grad


def _zero_where(g: Any, mask: Any) -> Any:
    """``g`` with exact zeros where ``mask`` holds (torch's where/masked_fill formulas, so a NaN or
    infinite gradient does not leak into positions that get none); tensors or backend arrays."""
    if isinstance(g, Tensor):
        return g.masked_fill(mask, 0)
    out = g[...].copy()  # ``[...]`` makes a NumPy scalar (a 0-d result) an array that can be assigned to
    out[mask] = 0
    return out


def _threshold_backward(g: Any, r: Any) -> Any:
    """relu's gradient, torch's ``threshold_backward(g, r, 0)``: zero where the result is not
    positive. Differentiable in both arguments, as torch's ThresholdBackwardBackward0 (the result's
    derivative is zero), so a create_graph gradient of relu has history even for a constant ``g``."""
    mask = r <= 0
    if not isinstance(g, Tensor) or not needs_grad(g, r):
        return _zero_where(g, mask)
    with no_grad():
        out = g.masked_fill(mask, 0)
    record("ThresholdBackwardBackward0", out, (g, r), _threshold_backward_backward, (), mask)
    return out


def _threshold_backward_backward(node: Any, gg: Tensor) -> tuple:
    return gg.masked_fill(node._ctx, 0), gg.new_zeros(gg._shape)


def _max_min_grads(g: Tensor, a: Tensor, b: Tensor, larger: bool) -> tuple[Tensor, Tensor]:
    """maximum/minimum: the larger (smaller) operand takes the gradient, ties split it in half
    (``where(a == b, g / 2, g)`` masked where the operand lost, as derivatives.yaml)."""
    shared = (g / 2).where(a == b, g)
    a_lost, b_lost = (a < b, a > b) if larger else (a > b, a < b)
    return shared.masked_fill(a_lost, 0), shared.masked_fill(b_lost, 0)


BINARY_GRADS: dict[str, tuple[str, str, Callable]] = {
    # name: (node name, saved: "a"/"b"/"r", formula(g, a, b, r, alpha) -> (grad_a, grad_b))
    "add": ("AddBackward0", "", lambda g, a, b, r, alpha: (g, g * alpha if alpha != 1 else g)),
    "sub": ("SubBackward0", "", lambda g, a, b, r, alpha: (g, -g * alpha if alpha != 1 else -g)),
    "rsub": ("RsubBackward0", "", lambda g, a, b, r, alpha: (g, -g * alpha if alpha != 1 else -g)),
    "rsub_scalar": ("RsubBackward1", "", lambda g, a, b, r, alpha: (g, -g * alpha if alpha != 1 else -g)),
    "pow_scalar_exponent": ("PowBackward0", "a", lambda g, a, b, r, alpha: (
        g * 0 if b == 0 else g * conj(b * a ** (b - 1)), None)),
    "pow_scalar_base": ("PowBackward2", "r", lambda g, a, b, r, alpha: (None, g * conj(r * math.log(a)))),
    "mul": ("MulBackward0", "ab", lambda g, a, b, r, alpha: (
        None if b is None else g * conj(b), None if a is None else g * conj(a))),
    "true_divide": ("DivBackward0", "ab", lambda g, a, b, r, alpha: (
        None if b is None else g / conj(b), None if a is None else -g * conj(a / (b * b)))),
    "pow": ("PowBackward1", "abr", lambda g, a, b, r, alpha: (
        _pow_tensor_grad_base(g, a, b), _pow_tensor_grad_exponent(g, a, b, r))),
    "atan2": ("Atan2Backward0", "ab", lambda g, a, b, r, alpha: (
        g * b / (a * a + b * b), g * -a / (a * a + b * b))),
    "maximum": ("MaximumBackward0", "ab", lambda g, a, b, r, alpha: _max_min_grads(g, a, b, True)),
    "minimum": ("MinimumBackward0", "ab", lambda g, a, b, r, alpha: _max_min_grads(g, a, b, False)),
    "remainder": ("RemainderBackward1", "ab", lambda g, a, b, r, alpha: (
        g, -g * a.div(b, rounding_mode="floor"))),
    "fmod": ("FmodBackward1", "ab", lambda g, a, b, r, alpha: (g, -g * a.div(b, rounding_mode="trunc"))),
    "div_floor": ("DivBackward2", "", lambda g, a, b, r, alpha: (g.new_zeros(g._shape), g.new_zeros(g._shape))),
    "div_trunc": ("DivBackward2", "", lambda g, a, b, r, alpha: (g.new_zeros(g._shape), g.new_zeros(g._shape))),
}

# Ops whose derivative torch does not implement: a node that raises when backward reaches it.
NOT_IMPLEMENTED = {"floor_divide"}


def not_implemented_backward(name: str) -> Callable:
    def backward(node: Any, *grads: Any) -> tuple:
        raise RuntimeError(f"derivative for aten::{name} is not implemented")

    return backward


# ----------------------------------------------------------------------------- recording
def _unary_backward(node: Any, g: Tensor) -> tuple:
    formula = node._ctx
    saved = node.saved_tensors
    return (formula(g, saved[0] if saved else None),)


# Formulas made only of arithmetic operators and comparisons, which NumPy/CuPy arrays also support
# with the same dtype results (Python numbers are weakly typed), so they run on arrays unchanged.
_ARRAY_SAFE_UNARY = {UNARY_GRADS[name][2] for name in (
    "neg", "exp", "expm1", "log", "log1p", "sqrt", "rsqrt", "tanh", "sigmoid", "reciprocal", "relu", "frac",
    "square", "atan", "tan")}
_ARRAY_SAFE_BINARY = {BINARY_GRADS[name][2] for name in ("add", "sub", "rsub", "rsub_scalar", "mul", "true_divide")}


@array_twin(_unary_backward)
def _unary_array_backward(node: Any, g: Any) -> tuple | None:
    formula = node._ctx
    if formula not in _ARRAY_SAFE_UNARY:
        return None
    saved = saved_arrays(node)
    value = saved[0] if saved else None
    if value is not None and value.dtype != g.dtype:
        return None
    return (formula(g, value),)

def record_unary(name: str, result: Tensor, a: Tensor) -> None:
    """Record the node of unary op ``name`` (``result = op(a)``)."""
    if name in NOT_IMPLEMENTED:
        record("NotImplemented", result, (a,), not_implemented_backward(name))
        return
    node_name, saves, formula = UNARY_GRADS[name]
    saved = (a,) if saves == "a" else (result,) if saves == "r" else ()
    record(node_name, result, (a,), _unary_backward, saved, formula)


def _binary_backward(node: Any, g: Tensor) -> tuple:
    formula, alpha, shape_a, shape_b, scalar_a, scalar_b, need_a, need_b, only = node._ctx
    a, b, r = node.saved_tensors
    a = scalar_a if a is None and scalar_a is not None else a
    b = scalar_b if b is None and scalar_b is not None else b
    ga, gb = formula(g, a, b, r, alpha)
    grads = (sum_to(ga, shape_a) if need_a and ga is not None else None,
             sum_to(gb, shape_b) if need_b and gb is not None else None)
    return grads if only is None else (grads[only],)


@array_twin(_binary_backward)
def _binary_array_backward(node: Any, g: Any) -> tuple | None:
    formula, alpha, shape_a, shape_b, scalar_a, scalar_b, need_a, need_b, only = node._ctx
    if formula not in _ARRAY_SAFE_BINARY or (need_a and shape_a != g.shape) or (need_b and shape_b != g.shape):
        return None
    a, b, r = saved_arrays(node)
    dtype = g.dtype
    if (a is not None and a.dtype != dtype) or (b is not None and b.dtype != dtype) or \
            (r is not None and r.dtype != dtype):
        return None
    a = scalar_a if a is None else a
    b = scalar_b if b is None else b
    ga, gb = formula(g, a, b, r, alpha)
    grads = (ga if need_a else None, gb if need_b else None)
    return grads if only is None else (grads[only],)


# Ops torch runs as a separate Scalar overload when an operand is a Python number (rsub.Scalar,
# pow.Tensor_Scalar, remainder.Scalar...): their node has one edge, for the tensor, and some are
# named for the overload; remainder(number, tensor) has no derivative at all. add/sub/mul/div wrap
# the number as a tensor instead and keep two edges.
_SCALAR_OVERLOADS = {
    "rsub_scalar": "RsubBackward1", "pow_scalar_exponent": "PowBackward0", "pow_scalar_base": "PowBackward2",
    "remainder": "RemainderBackward0", "fmod": "FmodBackward0", "floor_divide": "NotImplemented",
}


def record_binary(name: str, result: Tensor, a: Any, b: Any, alpha: Any = 1) -> None:
    """Record the node of binary op ``name`` (``result = op(a, b)``; either may be a Python scalar).
    This is on every recorded arithmetic op, so it builds the node directly."""
    a_tensor, b_tensor = isinstance(a, Tensor), isinstance(b, Tensor)
    only = None if (a_tensor and b_tensor) or name not in _SCALAR_OVERLOADS else 0 if a_tensor else 1
    if name in NOT_IMPLEMENTED or (only == 1 and name == "remainder"):
        record("NotImplemented", result, (a, b) if only is None else ((a, b)[only],), not_implemented_backward(name))
        return
    node_name, saves, formula = BINARY_GRADS[name]
    if only is not None:
        node_name = _SCALAR_OVERLOADS[name]
    need_a = a_tensor and a._requires_grad
    need_b = b_tensor and b._requires_grad
    if name == "mul":  # torch saves each operand only when the other one's gradient needs it
        save_a, save_b = need_b, need_a
    elif name == "true_divide":
        save_a, save_b = need_b, need_a or need_b
    else:
        save_a, save_b = "a" in saves, "b" in saves
    saved = (Saved(a) if save_a and a_tensor else None, Saved(b) if save_b and b_tensor else None,
             Saved(result, 0) if "r" in saves else None)
    ctx = (formula, alpha, a._shape if a_tensor else (), b._shape if b_tensor else (),
           None if a_tensor else a, None if b_tensor else b, need_a, need_b, only)
    edges = (gradient_edge(a), gradient_edge(b))
    node = NODE_CLASSES[node_name](_binary_backward, edges if only is None else (edges[only],), saved, ctx, 1,
                                   saved != (None, None, None))
    result._grad_fn = node
    result._requires_grad = True


# ----------------------------------------------------------------------------- ops with extra arguments
def _clamp_backward(node: Any, g: Tensor) -> tuple:
    """torch's clamp_backward / clamp_backward_min_max: the input keeps the gradient where it lies
    within the bounds; a tensor bound gets it where it was applied (when min > max, max wins)."""
    x, low, high = node.saved_tensors
    low = node._ctx[0] if low is None else low
    high = node._ctx[1] if high is None else high
    inside = g.new_ones(g._shape).bool()
    if low is not None:
        inside = inside & (x >= low)
    if high is not None:
        inside = inside & (x <= high)
    grad_x = g.masked_fill(~inside, 0)
    if not node._ctx[2]:
        return (grad_x,)
    grad_low = grad_high = None
    if isinstance(low, Tensor):
        took_low = (x < low) & (low < high) if high is not None else x < low
        grad_low = sum_to(g.masked_fill(~took_low, 0), low._shape)
    if isinstance(high, Tensor):
        took_high = (x > high) | (high < low) if low is not None else x > high
        grad_high = sum_to(g.masked_fill(~took_high, 0), high._shape)
    return grad_x, grad_low, grad_high


def record_clamp(result: Tensor, x: Tensor, low: Any, high: Any) -> None:
    """ClampBackward1 for number bounds, ClampBackward0 for tensor bounds (whose grads flow too)."""
    tensors = isinstance(low, Tensor) or isinstance(high, Tensor)
    saved = (x, low if isinstance(low, Tensor) else None, high if isinstance(high, Tensor) else None)
    ctx = (None if isinstance(low, Tensor) else low, None if isinstance(high, Tensor) else high, tensors)
    inputs = (x, low, high) if tensors else (x,)
    record("ClampBackward0" if tensors else "ClampBackward1", result, inputs, _clamp_backward, saved, ctx)


def _where_backward(node: Any, g: Tensor) -> tuple:
    (condition,) = node.saved_tensors
    shape_a, shape_b = node._ctx
    zero = g.new_zeros(())
    grad_a = None if shape_a is None else sum_to(g.where(condition, zero), shape_a)
    grad_b = None if shape_b is None else sum_to(zero.where(condition, g), shape_b)
    return grad_a, grad_b


def record_where(result: Tensor, condition: Tensor, a: Any, b: Any) -> None:
    """WhereBackward0: edges for the two value operands only (the condition is saved)."""
    record("WhereBackward0", result, (a, b), _where_backward, (condition,),
           (a._shape if isinstance(a, Tensor) else None, b._shape if isinstance(b, Tensor) else None))


def _masked_fill_backward(node: Any, g: Tensor) -> tuple:
    (mask,) = node.saved_tensors
    shape, value_is_tensor = node._ctx
    grad_input = sum_to(g.masked_fill(mask, 0), shape)
    if not value_is_tensor:
        return (grad_input,)
    return grad_input, g.masked_fill(~mask, 0).sum()


def record_masked_fill(result: Tensor, x: Tensor, mask: Tensor, value: Any) -> None:
    """MaskedFillBackward0 (number value, one edge) or MaskedFillBackward1 (tensor value, two edges)."""
    tensor_value = isinstance(value, Tensor)
    record("MaskedFillBackward1" if tensor_value else "MaskedFillBackward0", result,
           (x, value) if tensor_value else (x,), _masked_fill_backward, (mask,), (x._shape, tensor_value))
