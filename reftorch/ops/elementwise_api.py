"""Public elementwise API: functions, in-place methods and Python operators generated from the
tables in :mod:`reftorch.ops.elementwise`, plus the elementwise ops with extra arguments
(``clamp``, ``where``, ``masked_fill``).
"""

from __future__ import annotations

import functools
import numbers
from typing import Any

from .. import _dtype as D
from .._promotion import can_cast, operands_result_type
from .._tensor import Tensor
from ..autograd.copy_grads import record_zero
from ..autograd.elementwise_grads import record_clamp, record_masked_fill, record_where
from ..autograd.grad_mode import STATE, no_grad
from ..autograd.inplace import apply_inplace
from . import elementwise as E
from ._util import same_device, unsupported_dtype

FUNCTIONS: dict[str, Any] = {}
METHODS: dict[str, Any] = {}

for _spec in E.UNARY:
    _op, _op_ = E._make_unary(_spec)
    FUNCTIONS[_spec.name] = METHODS[_spec.name] = _op
    if _spec.inplace:
        FUNCTIONS[_spec.name + "_"] = METHODS[_spec.name + "_"] = _op_

for _spec in E.BINARY:
    _op, _op_ = E._make_binary(_spec)
    for _name in (_spec.name, *_spec.aliases):
        FUNCTIONS[_name] = METHODS[_name] = _op
        if _spec.inplace:
            METHODS[_name + "_"] = _op_

for _name, _fn in {"add": E.add, "add_": E.add_, "sub": E.sub, "sub_": E.sub_, "subtract": E.sub,
                   "div": E.div, "div_": E.div_, "divide": E.div, "rsub": E.rsub, "pow": E.pow,
                   "pow_": E.pow_}.items():
    FUNCTIONS[_name] = METHODS[_name] = _fn
FUNCTIONS.update({"negative": FUNCTIONS["neg"], "absolute": FUNCTIONS["abs"], "arcsin": FUNCTIONS["asin"],
                  "arccos": FUNCTIONS["acos"], "arctan": FUNCTIONS["atan"], "fix": FUNCTIONS["trunc"]})
METHODS.update({"negative": METHODS["neg"], "absolute": METHODS["abs"], "arcsin": METHODS["asin"],
                "arccos": METHODS["acos"], "arctan": METHODS["atan"], "fix": METHODS["trunc"]})


def round(input: Tensor, *, decimals: int | None = None) -> Tensor:  # noqa: A001 - torch.round
    """Rounds half to even. Passing ``decimals`` (even 0) selects torch's ``round.decimals``
    overload: floating inputs only, rounded to that many decimal places, one op under autograd
    (RoundBackward1, a zero gradient)."""
    if input._dtype.is_complex:
        raise NotImplementedError("round is not supported for complex inputs")
    if decimals is None:
        return E.apply_unary(_ROUND, input)
    if not input._dtype.is_floating_point:
        raise unsupported_dtype("round_vml_cpu" if decimals == 0 else "round_cpu", input._dtype)
    scale = 10.0 ** decimals
    with no_grad():
        out = E.apply_binary(E.BINARY_BY_NAME["true_divide"],
                             E.apply_unary(_ROUND, E.apply_binary(E.BINARY_BY_NAME["mul"], input, scale)), scale)
    if STATE.enabled and input._requires_grad:
        record_zero(out, input, "RoundBackward1")
    return out


_ROUND = E.Unary("round", E._same_for_ints("rint"), check=E._reject({D.BOOL}, "round_vml_cpu"))


def round_(self: Tensor, *, decimals: int | None = None) -> Tensor:
    """In-place ``round`` (recorded as RoundBackward0/1 under autograd, leaves refused)."""
    E.check_inplace_target(self)
    if STATE.enabled and self._requires_grad:
        return apply_inplace(self, lambda snap: round(snap, decimals=decimals))
    return E.write_result(self, round(self, decimals=decimals)._array, self._dtype, self._shape)


# ----------------------------------------------------------------------------- clamp
def _bound(value: Any) -> Any:
    if value is None or isinstance(value, (Tensor, numbers.Number)):
        return value
    raise TypeError(f"clamp(): argument 'min' must be Number or Tensor, not {type(value).__name__}")


def _clamp_values(input: Tensor, min: Any, max: Any) -> tuple[Any, D.dtype, tuple[int, ...]]:
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    min, max = _bound(min), _bound(max)
    if isinstance(min, Tensor) != isinstance(max, Tensor) and min is not None and max is not None:
        raise TypeError("clamp() received an invalid combination of arguments - got (Tensor, Number) or "
                        "(Number, Tensor); min and max must both be Tensors or both Numbers")
    bounds = [b for b in (min, max) if b is not None]
    promoted = operands_result_type(input, *bounds)
    tensors = [x for x in (input, *bounds) if isinstance(x, Tensor)]
    same_device(tensors)
    shape = E.broadcast_shapes(*(t._shape for t in tensors))
    backend = input._backend
    xp = backend.xp
    values = E._as_operand(input, promoted, backend)
    # torch: max wins when min > max (the result is min(max(x, lo), hi)).
    if min is not None:
        values = xp.maximum(values, E._as_operand(min, promoted, backend))
    if max is not None:
        values = xp.minimum(values, E._as_operand(max, promoted, backend))
    return values, promoted, shape


def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002 - torch's names
    """``torch.clamp``: ``min(max(x, min), max)``; the result dtype promotes with the bounds."""
    values, dtype, _ = _clamp_values(input, min, max)
    result = E.from_array(values, dtype, input.device, input._backend)
    if STATE.enabled and any(isinstance(t, Tensor) and t._requires_grad for t in (input, min, max)):
        record_clamp(result, input, min, max)
    return result


def clamp_(self: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
    """In-place clamp; torch words its cast error with C type names here ("long int")."""
    E.check_inplace_target(self, min, max)
    values, dtype, shape = _clamp_values(self, min, max)
    if not can_cast(dtype, self._dtype):
        raise RuntimeError(f"result type {dtype.scalar_name} can't be cast to the desired output type "
                           f"{self._dtype.demangled_name}")
    if STATE.enabled and any(isinstance(t, Tensor) and t._requires_grad for t in (self, min, max)):
        E.check_output(self, dtype, shape)
        return apply_inplace(self, lambda snap: clamp(snap, min, max))
    return E.write_result(self, values, dtype, shape)


# ----------------------------------------------------------------------------- where / masked_fill
def where(condition: Tensor, input: Any = None, other: Any = None) -> Any:
    """``torch.where(cond, x, y)`` picks from x where cond is True (cond must be bool);
    ``torch.where(cond)`` is ``nonzero(as_tuple=True)``."""
    if input is None and other is None:
        from .joining import nonzero

        return nonzero(condition, as_tuple=True)
    if input is None or other is None:
        given = ", ".join(type(a).__name__ for a in (condition, input, other) if a is not None)
        raise TypeError(f"where() received an invalid combination of arguments - got ({given}), but expected one of:"
                        "\n * (Tensor condition)\n * (Tensor condition, Tensor input, Tensor other)")
    if condition._dtype is not D.bool:
        raise RuntimeError(
            f"where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{condition._dtype.scalar_name}")
    promoted = operands_result_type(input, other)
    tensors = [x for x in (condition, input, other) if isinstance(x, Tensor)]
    dev = same_device(tensors)
    E.broadcast_shapes(*(t._shape for t in tensors))
    backend = condition._backend
    values = backend.xp.where(condition._array, E._as_operand(input, promoted, backend),
                              E._as_operand(other, promoted, backend))
    result = E.from_array(values, promoted, dev, backend)
    if STATE.enabled and any(isinstance(t, Tensor) and t._requires_grad for t in (input, other)):
        record_where(result, condition, input, other)
    return result


def _masked_fill_values(self: Tensor, mask: Tensor, value: Any) -> Any:
    if mask._dtype is not D.bool:
        raise RuntimeError(
            f"masked_fill_ only supports boolean masks, but got mask with dtype {mask._dtype.demangled_name}")
    if isinstance(value, Tensor):
        if value.dim() != 0:
            raise RuntimeError(
                "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                f"{value.dim()} dimension(s).")
        value = value.item()
    shape = E.broadcast_shapes(self._shape, mask._shape)
    backend = self._backend
    fill = E._as_operand(value, self._dtype, backend) if not (
        self._dtype.category < D.FLOATING and isinstance(value, float)) else \
        E._as_operand(value, D.float64, backend).astype(self._array.dtype)
    return backend.xp.where(mask._array, fill, self._array), shape


def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:
    """A copy of ``input`` with ``value`` where the bool ``mask`` (broadcast) is True; keeps input's dtype."""
    values, _ = _masked_fill_values(input, mask, value)
    result = E.from_array(values, input._dtype, input.device, input._backend)
    if STATE.enabled and any(isinstance(t, Tensor) and t._requires_grad for t in (input, value)):
        record_masked_fill(result, input, mask, value)
    return result


def masked_fill_(self: Tensor, mask: Tensor, value: Any) -> Tensor:
    """In-place ``masked_fill``; the mask may not broadcast this tensor to a larger shape."""
    if STATE.enabled and any(isinstance(t, Tensor) and t._requires_grad for t in (self, value)):
        return apply_inplace(self, lambda snap: masked_fill(snap, mask, value))
    values, shape = _masked_fill_values(self, mask, value)
    if shape != self._shape:
        raise RuntimeError(
            f"output with shape [{', '.join(map(str, self._shape))}] doesn't match the broadcast shape "
            f"[{', '.join(map(str, shape))}]")
    self._backend.xp.copyto(self._array, values)
    self._version_counter.bump()
    return self


def conj(input: Tensor) -> Tensor:
    """``torch.conj``: ``self`` for real tensors. For complex tensors torch returns a lazy view with the
    conjugate bit set; reftorch has no conjugate bit and returns a conjugated copy."""
    if not input._dtype.is_complex:
        return input
    return E.apply_unary(E.UNARY_BY_NAME["conj_physical"], input)


FUNCTIONS.update({"conj": conj, "round": round, "round_": round_, "clamp": clamp, "clamp_": clamp_, "clip": clamp,
                  "clip_": clamp_, "where": where, "masked_fill": masked_fill})
METHODS.update({"conj": conj, "round": round, "round_": round_, "clamp": clamp, "clamp_": clamp_, "clip": clamp,
                "clip_": clamp_, "where": lambda self, condition, other: where(condition, self, other),
                "masked_fill": masked_fill, "masked_fill_": masked_fill_})


# ----------------------------------------------------------------------------- Python operators
def _binary_operator(name: str):
    spec = E.BINARY_BY_NAME.get(name)  # the table's ops: straight to the dispatcher (one call less)
    fn = FUNCTIONS[name] if spec is None else functools.partial(E.apply_binary, spec)

    def operator(self: Tensor, other: Any) -> Any:
        if not isinstance(other, (Tensor, numbers.Number)):
            return NotImplemented
        return fn(self, other)

    return operator


def _inplace_operator(name: str):
    fn = METHODS[name + "_"]

    def operator(self: Tensor, other: Any) -> Any:
        if not isinstance(other, (Tensor, numbers.Number)):
            return NotImplemented
        return fn(self, other)

    return operator


def _scalar_only(fn):
    """A reflected operator: Python numbers only (tensor operands dispatch to the forward operator)."""
    def operator(self: Tensor, other: Any) -> Any:
        if not isinstance(other, numbers.Number):
            return NotImplemented
        return fn(self, other)

    return operator


def _rtruediv(self: Tensor, other: Any) -> Tensor:
    """``other / self`` is ``self.reciprocal() * other`` in torch (so its grad_fn is MulBackward0)."""
    return FUNCTIONS["mul"](FUNCTIONS["reciprocal"](self), other)


_REFLECTED = {
    "__radd__": lambda self, other: FUNCTIONS["add"](self, other),
    "__rmul__": lambda self, other: FUNCTIONS["mul"](self, other),
    "__rand__": lambda self, other: FUNCTIONS["bitwise_and"](self, other),
    "__ror__": lambda self, other: FUNCTIONS["bitwise_or"](self, other),
    "__rxor__": lambda self, other: FUNCTIONS["bitwise_xor"](self, other),
    "__rsub__": lambda self, other: E.rsub(self, other),
    "__rtruediv__": _rtruediv,
    "__rfloordiv__": lambda self, other: E.apply_binary(E.BINARY_BY_NAME["floor_divide"], other, self),
    "__rmod__": lambda self, other: E.apply_binary(E.BINARY_BY_NAME["remainder"], other, self),
    "__rpow__": lambda self, other: E.pow(other, self),
}


def _eq_operator(op_name: str):
    fn = FUNCTIONS[op_name]

    def operator(self: Tensor, other: Any) -> Any:
        if not isinstance(other, (Tensor, numbers.Number)):
            return op_name == "ne"
        return fn(self, other)

    return operator


def _invert(self: Tensor) -> Tensor:
    if self._dtype.category >= D.FLOATING:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return E.apply_unary(E.UNARY_BY_NAME["bitwise_not"], self)


OPERATORS = {
    "__add__": _binary_operator("add"), "__sub__": _binary_operator("sub"), "__mul__": _binary_operator("mul"),
    "__truediv__": _binary_operator("true_divide"), "__floordiv__": _binary_operator("floor_divide"),
    "__mod__": _binary_operator("remainder"), "__pow__": _binary_operator("pow"),
    "__and__": _binary_operator("bitwise_and"), "__or__": _binary_operator("bitwise_or"),
    "__xor__": _binary_operator("bitwise_xor"), "__lshift__": _binary_operator("bitwise_left_shift"),
    "__rshift__": _binary_operator("bitwise_right_shift"),
    "__iadd__": _inplace_operator("add"), "__isub__": _inplace_operator("sub"),
    "__imul__": _inplace_operator("mul"), "__itruediv__": _inplace_operator("div"),
    "__ifloordiv__": _inplace_operator("floor_divide"), "__imod__": _inplace_operator("remainder"),
    "__ipow__": _inplace_operator("pow"), "__iand__": _inplace_operator("bitwise_and"),
    "__ior__": _inplace_operator("bitwise_or"), "__ixor__": _inplace_operator("bitwise_xor"),
    "__eq__": _eq_operator("eq"), "__ne__": _eq_operator("ne"), "__lt__": _binary_operator("lt"),
    "__le__": _binary_operator("le"), "__gt__": _binary_operator("gt"), "__ge__": _binary_operator("ge"),
    "__neg__": FUNCTIONS["neg"], "__abs__": FUNCTIONS["abs"], "__invert__": _invert,
    "__pos__": lambda self: self,
}
OPERATORS.update({name: _scalar_only(fn) for name, fn in _REFLECTED.items()})
METHODS.update(OPERATORS)
