"""Elementwise ops, generated from two tables (unary and binary).

Each entry names the op, how it computes on the array module, and its *promotion kind*, as
PrimTorch's ``ELEMENTWISE_TYPE_PROMOTION_KIND`` (torch/_prims_common/__init__.py):

- ``default``: the result has the promoted dtype of the operands;
- ``int_to_float``: integer/bool results become the default float dtype (sqrt, exp, true division);
- ``complex_to_float``: complex inputs give real results (abs);
- ``bool``: the result is bool (comparisons, logical ops), computed in the promoted dtype;
- ``bool_to_long``: bool results become int64 (pow).

In-place forms (``add_``...) compute in the promoted dtype and may not change the dtype category
of ``self`` (torch: "result type Float can't be cast to the desired output type Long").
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import _dtype as D
from .._promotion import can_cast, operands_result_type
from .._strides import has_internal_overlap, is_non_overlapping_and_dense
from .._tensor import Tensor
from ..autograd.elementwise_grads import BINARY_GRADS, NOT_IMPLEMENTED, UNARY_GRADS, record_binary, record_unary
from ..autograd.grad_mode import STATE
from ..autograd.inplace import apply_inplace, check_inplace
from ._util import array_dtype, from_array, same_device, unsupported_dtype

DEFAULT, INT_TO_FLOAT, COMPLEX_TO_FLOAT, ALWAYS_BOOL, BOOL_TO_LONG = (
    "default", "int_to_float", "complex_to_float", "bool", "bool_to_long")


def _infer_size(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """ATen's ``infer_size``: align from the right; report the last mismatching output dim."""
    ndim = max(len(a), len(b))
    out = [0] * ndim
    for i in range(ndim - 1, -1, -1):
        offset = ndim - 1 - i
        size_a = a[len(a) - 1 - offset] if len(a) - 1 - offset >= 0 else 1
        size_b = b[len(b) - 1 - offset] if len(b) - 1 - offset >= 0 else 1
        if size_a != size_b and size_a != 1 and size_b != 1:
            raise RuntimeError(
                f"The size of tensor a ({size_a}) must match the size of tensor b ({size_b}) at non-singleton "
                f"dimension {i}")
        out[i] = size_b if size_a == 1 else size_a
    return tuple(out)


def broadcast_shapes(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    """``torch.broadcast_shapes``: pairwise ``infer_size`` with torch's error text."""
    result: tuple[int, ...] = ()
    for shape in shapes:
        result = _infer_size(result, tuple(shape))
    return result


def _result_dtype(kind: str, promoted: D.dtype) -> D.dtype:
    if kind == DEFAULT:
        return promoted
    if kind == INT_TO_FLOAT:
        return promoted if promoted.category >= D.FLOATING else D.get_default_dtype()
    if kind == COMPLEX_TO_FLOAT:
        return promoted.to_real()
    if kind == ALWAYS_BOOL:
        return D.bool
    return D.int64 if promoted is D.bool else promoted


def _compute_dtype(kind: str, promoted: D.dtype) -> D.dtype:
    """The dtype operands are cast to before computing (int->float ops compute in float)."""
    return _result_dtype(kind, promoted) if kind in (INT_TO_FLOAT, BOOL_TO_LONG) else promoted


class _KindDtypes(dict):
    """(kind, promoted dtype) -> (result dtype, compute dtype), computed on first use and
    forgotten when the default dtype changes (INT_TO_FLOAT results depend on it)."""

    def __missing__(self, key: tuple[str, D.dtype]) -> tuple[D.dtype, D.dtype]:
        kind, promoted = key
        value = self[key] = (_result_dtype(kind, promoted), _compute_dtype(kind, promoted))
        return value


_KIND_DTYPES = _KindDtypes()
D.on_default_dtype_change(_KIND_DTYPES.clear)


@dataclass(frozen=True)
class Unary:
    """One unary op. ``check(dtype)`` raises torch's error for unsupported input dtypes."""

    name: str
    compute: Callable[[Any, Any], Any]
    kind: str = DEFAULT
    check: Callable[[D.dtype], None] | None = None
    inplace: bool = True
    inplace_check: Callable[[D.dtype], None] | None = None


@dataclass(frozen=True)
class Binary:
    """One binary op; ``check(a_dtype, b_dtype, promoted)`` raises torch's errors."""

    name: str
    compute: Callable[..., Any]
    kind: str = DEFAULT
    check: Callable[[D.dtype, D.dtype, D.dtype], None] | None = None
    inplace: bool = True
    aliases: tuple[str, ...] = field(default=())
    tensor_only: bool = False  # torch's signature takes no Python scalar for ``other``
    grad_key: str | None = "same"  # entry of BINARY_GRADS ("same": the op's name; None: not differentiable)

    def __post_init__(self) -> None:
        if self.grad_key == "same":
            object.__setattr__(self, "grad_key", self.name if self.name in BINARY_GRADS or
                               self.name in NOT_IMPLEMENTED else None)


# ----------------------------------------------------------------------------- dtype checks
def _reject(categories: set[int], op: str | None = None, message: str | None = None,
            exc: type[Exception] = NotImplementedError):
    def check(dtype: D.dtype) -> None:
        if dtype.category in categories:
            if message is not None:
                raise exc(message)
            raise unsupported_dtype(op, dtype)

    return check


def _reject_promoted(categories: set[int], kernel: str | None = None, message: str | None = None,
                     exc: type[Exception] = NotImplementedError):
    """A binary-op check on the promoted dtype (the dtype torch dispatches the kernel on)."""
    unary = _reject(categories, kernel, message, exc)

    def check(a: D.dtype, b: D.dtype, promoted: D.dtype) -> None:
        unary(promoted)

    return check


def _check_sub(a: D.dtype, b: D.dtype, promoted: D.dtype) -> None:
    """ATen's ``sub_check``: no bool operand at all (two bools get their own message)."""
    if a is D.bool and b is D.bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
            "`logical_xor()` operator instead.")
    if a is D.bool or b is D.bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a "
            "mask, use the `~` or `logical_not()` operator instead.")


def _rounding(name: str):
    """floor/ceil/trunc: bool has no kernel, complex is rejected by name."""
    no_bool = _reject({D.BOOL}, f"{name}_vml_cpu")
    no_complex = _reject({D.COMPLEX}, message=f"{name} is not supported for complex inputs")

    def check(dtype: D.dtype) -> None:
        no_bool(dtype)
        no_complex(dtype)

    return check


# ----------------------------------------------------------------------------- computations
def _same_for_ints(fn_name: str):
    """floor/ceil/trunc/round keep integer inputs as they are (torch returns a copy)."""
    def compute(xp, x):
        return x.copy() if x.dtype.kind in "biu" else getattr(xp, fn_name)(x)

    return compute


def _sigmoid(xp, x):
    return 1 / (1 + xp.exp(-x))


def _relu(xp, x):
    return xp.maximum(x, xp.zeros((), dtype=x.dtype))


def _signbit(xp, x):
    return xp.signbit(x) if x.dtype.kind == "f" else x < 0


def _relu_check(dtype: D.dtype) -> None:
    if dtype is D.bool:
        raise RuntimeError("Boolean inputs not supported for relu")
    if dtype.is_complex:
        raise NotImplementedError("clamp is not supported for complex types")


def _sign(xp, x):
    return x.copy() if x.dtype.kind == "b" else xp.sign(x)


def _sgn(xp, x):
    if x.dtype.kind != "c":
        return _sign(xp, x)
    magnitude = xp.abs(x)
    return xp.where(magnitude == 0, xp.zeros((), x.dtype), x / xp.where(magnitude == 0, 1, magnitude))


def _frac(xp, x):
    return x - xp.trunc(x)


def _rsqrt(xp, x):
    return 1 / xp.sqrt(x)


def _floor_divide(xp, x, y):
    if x.dtype.kind in "iu" and (y == 0).any():
        raise RuntimeError("ZeroDivisionError")
    return xp.floor_divide(x, y)


def _remainder(xp, x, y):
    if x.dtype.kind in "iu" and (y == 0).any():
        raise RuntimeError("ZeroDivisionError")
    return xp.remainder(x, y)


def _fmod(xp, x, y):
    if x.dtype.kind in "iu" and (y == 0).any():
        raise RuntimeError("ZeroDivisionError")
    return xp.fmod(x, y)


def _pow(xp, x, y):
    """Integer powers with negative exponents give 1 for base 1, +-1 for base -1, else 0 (ATen's
    integral ``powi``); NumPy would raise."""
    if x.dtype.kind not in "iu" or not (y < 0).any():
        return xp.power(x, y)
    negative = y < 0
    result = xp.power(x, xp.where(negative, 0, y))
    one = xp.ones((), x.dtype)
    minus_one_power = xp.where(y % 2 == 0, one, -one)
    inverse = xp.where(x == 1, one, xp.where(x == -1, minus_one_power, xp.zeros((), x.dtype)))
    return xp.where(negative, inverse, result)


def _logical(fn_name: str):
    def compute(xp, x, y):
        return getattr(xp, fn_name)(x != 0, y != 0)

    return compute


def _ufunc(fn_name: str):
    def compute(xp, *arrays):
        return getattr(xp, fn_name)(*arrays)

    compute.__name__ = fn_name
    return compute


UNARY: tuple[Unary, ...] = (
    Unary("neg", _ufunc("negative"), check=_reject(
        {D.BOOL}, message="Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
        "invert a mask, use the `~` or `logical_not()` operator instead.", exc=RuntimeError)),
    Unary("abs", _ufunc("abs"), COMPLEX_TO_FLOAT, _reject({D.BOOL}, "abs_cpu"), inplace_check=_reject(
        {D.COMPLEX}, message="In-place abs is not supported for complex tensors.", exc=RuntimeError)),
    Unary("exp", _ufunc("exp"), INT_TO_FLOAT),
    Unary("exp2", _ufunc("exp2"), INT_TO_FLOAT),
    Unary("expm1", _ufunc("expm1"), INT_TO_FLOAT),
    Unary("log", _ufunc("log"), INT_TO_FLOAT),
    Unary("log2", _ufunc("log2"), INT_TO_FLOAT),
    Unary("log10", _ufunc("log10"), INT_TO_FLOAT),
    Unary("log1p", _ufunc("log1p"), INT_TO_FLOAT),
    Unary("sqrt", _ufunc("sqrt"), INT_TO_FLOAT),
    Unary("rsqrt", _rsqrt, INT_TO_FLOAT),
    Unary("sin", _ufunc("sin"), INT_TO_FLOAT),
    Unary("cos", _ufunc("cos"), INT_TO_FLOAT),
    Unary("tan", _ufunc("tan"), INT_TO_FLOAT),
    Unary("asin", _ufunc("arcsin"), INT_TO_FLOAT),
    Unary("acos", _ufunc("arccos"), INT_TO_FLOAT),
    Unary("atan", _ufunc("arctan"), INT_TO_FLOAT),
    Unary("sinh", _ufunc("sinh"), INT_TO_FLOAT),
    Unary("cosh", _ufunc("cosh"), INT_TO_FLOAT),
    Unary("tanh", _ufunc("tanh"), INT_TO_FLOAT),
    Unary("asinh", _ufunc("arcsinh"), INT_TO_FLOAT),
    Unary("acosh", _ufunc("arccosh"), INT_TO_FLOAT),
    Unary("atanh", _ufunc("arctanh"), INT_TO_FLOAT),
    Unary("sigmoid", _sigmoid, INT_TO_FLOAT),
    Unary("reciprocal", _ufunc("reciprocal"), INT_TO_FLOAT),
    Unary("relu", _relu, check=_relu_check),
    Unary("sign", _sign, check=_reject(
        {D.COMPLEX}, message="Unlike NumPy, torch.sign is not intended to support complex numbers. Please use "
        "torch.sgn instead.")),
    Unary("sgn", _sgn),
    Unary("floor", _same_for_ints("floor"), check=_rounding("floor")),
    Unary("ceil", _same_for_ints("ceil"), check=_rounding("ceil")),
    Unary("trunc", _same_for_ints("trunc"), check=_rounding("trunc")),
    Unary("conj_physical", _ufunc("conjugate")),
    Unary("frac", _frac, check=_reject({D.BOOL, D.INTEGER, D.COMPLEX}, "frac_cpu")),
    Unary("square", _ufunc("square"), BOOL_TO_LONG),
    Unary("bitwise_not", _ufunc("invert"), check=_reject({D.FLOATING, D.COMPLEX}, "bitwise_not_cpu")),
    Unary("logical_not", _ufunc("logical_not"), ALWAYS_BOOL),
    Unary("isnan", _ufunc("isnan"), ALWAYS_BOOL, inplace=False),
    Unary("isinf", _ufunc("isinf"), ALWAYS_BOOL, inplace=False),
    Unary("isfinite", _ufunc("isfinite"), ALWAYS_BOOL, inplace=False),
    Unary("signbit", _signbit, ALWAYS_BOOL, _reject(
        {D.COMPLEX}, message="signbit is not implemented for complex tensors."), inplace=False),
)

_NOT_INTEGRAL = {D.FLOATING, D.COMPLEX}
_NOT_SHIFTABLE = {D.BOOL, D.FLOATING, D.COMPLEX}

BINARY: tuple[Binary, ...] = (
    Binary("mul", _ufunc("multiply"), aliases=("multiply",)),
    Binary("true_divide", _ufunc("true_divide"), INT_TO_FLOAT),
    Binary("floor_divide", _floor_divide, check=_reject_promoted({D.BOOL, D.COMPLEX}, "div_floor_cpu")),
    Binary("remainder", _remainder, check=_reject_promoted({D.BOOL, D.COMPLEX}, "remainder_cpu")),
    Binary("fmod", _fmod, check=_reject_promoted({D.BOOL, D.COMPLEX}, "fmod_cpu")),
    Binary("atan2", _ufunc("arctan2"), INT_TO_FLOAT, _reject_promoted({D.COMPLEX}, "atan2_cpu"), aliases=("arctan2",),
           tensor_only=True),
    Binary("maximum", _ufunc("maximum"), check=_reject_promoted(
        {D.COMPLEX}, message="maximum not implemented for complex tensors.", exc=RuntimeError), inplace=False,
           tensor_only=True),
    Binary("minimum", _ufunc("minimum"), check=_reject_promoted(
        {D.COMPLEX}, message="minimum not implemented for complex tensors.", exc=RuntimeError), inplace=False,
           tensor_only=True),
    Binary("eq", _ufunc("equal"), ALWAYS_BOOL),
    Binary("ne", _ufunc("not_equal"), ALWAYS_BOOL, aliases=("not_equal",)),
    Binary("lt", _ufunc("less"), ALWAYS_BOOL, _reject_promoted({D.COMPLEX}, "lt_cpu"), aliases=("less",)),
    Binary("le", _ufunc("less_equal"), ALWAYS_BOOL, _reject_promoted({D.COMPLEX}, "le_cpu"),
           aliases=("less_equal",)),
    Binary("gt", _ufunc("greater"), ALWAYS_BOOL, _reject_promoted({D.COMPLEX}, "gt_cpu"), aliases=("greater",)),
    Binary("ge", _ufunc("greater_equal"), ALWAYS_BOOL, _reject_promoted({D.COMPLEX}, "ge_cpu"),
           aliases=("greater_equal",)),
    Binary("logical_and", _logical("logical_and"), ALWAYS_BOOL, tensor_only=True),
    Binary("logical_or", _logical("logical_or"), ALWAYS_BOOL, tensor_only=True),
    Binary("logical_xor", _logical("logical_xor"), ALWAYS_BOOL, tensor_only=True),
    Binary("bitwise_and", _ufunc("bitwise_and"), check=_reject_promoted(_NOT_INTEGRAL, "bitwise_and_cpu")),
    Binary("bitwise_or", _ufunc("bitwise_or"), check=_reject_promoted(_NOT_INTEGRAL, "bitwise_or_cpu")),
    Binary("bitwise_xor", _ufunc("bitwise_xor"), check=_reject_promoted(_NOT_INTEGRAL, "bitwise_xor_cpu")),
    Binary("bitwise_left_shift", _ufunc("left_shift"), check=_reject_promoted(_NOT_SHIFTABLE, "lshift_cpu")),
    Binary("bitwise_right_shift", _ufunc("right_shift"), check=_reject_promoted(_NOT_SHIFTABLE, "rshift_cpu")),
)


# ----------------------------------------------------------------------------- dispatch
def _is_scalar(value: Any) -> bool:
    return isinstance(value, numbers.Number)


def _promote(a: Any, b: Any) -> D.dtype:
    return operands_result_type(a, b)


def _operand_dtype(x: Any, promoted: D.dtype) -> D.dtype:
    """An operand's own dtype for dtype checks (a Python bool is bool; other scalars the promoted)."""
    if isinstance(x, Tensor):
        return x._dtype
    return D.bool if isinstance(x, bool) else promoted


def _as_operand(x: Any, compute: D.dtype, backend: Any) -> Any:
    """An array of dtype ``compute`` for a tensor or Python scalar (scalars wrap like C casts)."""
    if isinstance(x, Tensor):
        if x._dtype is compute:
            return x._array
        return x._array.astype(array_dtype(backend, compute))
    want = array_dtype(backend, compute)
    xp = backend.xp
    if compute.category == D.INTEGER and not isinstance(x, bool):
        return xp.asarray(x).astype(want)
    return xp.asarray(x, dtype=want)


def _check_operand(x: Any, spec: Binary) -> None:
    if isinstance(x, Tensor) or (_is_scalar(x) and not spec.tensor_only):
        return
    raise TypeError(f"{spec.name}(): argument 'other' (position 2) must be Tensor, not {type(x).__name__}")


def apply_binary(spec: Binary, a: Any, b: Any, out: Tensor | None = None, before: Callable[[], None] | None = None,
                 **options: Any) -> Tensor:
    """Run a binary op with torch's promotion, broadcasting and in-place rules. In-place ops check
    the output shape and dtype before the kernel's own dtype support, as TensorIterator does;
    ``before`` runs after the dtype check (argument checks torch makes in the kernel) and ``options``
    are passed to the computation. The op is recorded for autograd when an operand requires grad."""
    a_tensor, b_tensor = isinstance(a, Tensor), isinstance(b, Tensor)
    if not b_tensor:
        _check_operand(b, spec)
    if out is not None:
        check_inplace_target(out, b)
    if a_tensor and b_tensor:
        promoted = a._dtype if a._dtype is b._dtype else _promote(a, b)
        dev = a._storage.device
        if b._storage.device is not dev and b._storage.device != dev:
            dev = same_device((a, b))
        shape = a._shape if a._shape == b._shape else broadcast_shapes(a._shape, b._shape)
        backend = a._storage.backend
    else:
        promoted = _promote(a, b)
        tensor = a if a_tensor else b
        dev, shape, backend = tensor._storage.device, tensor._shape, tensor._storage.backend
    result_dtype, compute = _KIND_DTYPES[spec.kind, promoted]
    grad = STATE.enabled and ((a_tensor and a._requires_grad) or (b_tensor and b._requires_grad))
    if out is not None:
        check_output(out, result_dtype, shape)
    if spec.check is not None:
        spec.check(_operand_dtype(a, promoted), _operand_dtype(b, promoted), promoted)
    if before is not None:
        before()
    if out is not None and grad:
        return apply_inplace(out, lambda snap: apply_binary(spec, snap, b, **options))
    x = a._array if a_tensor and a._dtype is compute else _as_operand(a, compute, backend)
    y = b._array if b_tensor and b._dtype is compute else _as_operand(b, compute, backend)
    values = backend.quietly(spec.compute, backend.xp, x, y, **options)
    if out is not None:
        return _store(out, values)
    result = from_array(values, result_dtype, dev, backend)
    if grad and spec.grad_key is not None:
        record_binary(spec.grad_key, result, a, b, options.get("alpha", 1))
    return result


def apply_unary(spec: Unary, a: Tensor, out: Tensor | None = None) -> Tensor:
    """Run a unary op with its promotion kind and dtype checks (output checks first when in place)."""
    result_dtype, compute = _KIND_DTYPES[spec.kind, a._dtype]
    if out is not None:
        check_inplace_target(out)
        if spec.inplace_check is not None:
            spec.inplace_check(a._dtype)
        check_output(out, result_dtype, a._shape)
    if spec.check is not None:
        spec.check(a._dtype)
    grad = STATE.enabled and a._requires_grad
    if out is not None and grad:
        return apply_inplace(out, lambda snap: apply_unary(spec, snap))
    backend = a._storage.backend
    with backend.quiet():
        values = spec.compute(backend.xp, _as_operand(a, compute, backend))
    if out is not None:
        return _store(out, values)
    result = from_array(values, result_dtype, a._storage.device, backend)
    if grad and spec.name in UNARY_GRADS:
        record_unary(spec.name, result, a)
    return result


def check_writable(out: Tensor) -> None:
    """Writes into memory where elements alias (an expanded tensor) raise torch's error."""
    if has_internal_overlap(out._shape, out._stride):
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a single memory "
            "location. Please clone() the tensor before performing the operation.")


def check_inplace_target(out: Tensor, *operands: Any) -> None:
    """The checks torch makes before an in-place op looks at shapes or dtypes: autograd's (a leaf that
    requires grad, restricted views), then TensorIterator's memory checks: ``out`` may not alias
    itself, nor partly overlap an operand (sharing exactly the same memory, as ``x.add_(x)``, is fine;
    see ``get_overlap_status`` in aten/src/ATen/MemoryOverlap.cpp)."""
    check_inplace(out)
    check_writable(out)
    for t in operands:
        if isinstance(t, Tensor) and t._storage is out._storage and t is not out and _partial_overlap(out, t):
            raise RuntimeError(
                "unsupported operation: some elements of the input tensor and the written-to tensor refer to a "
                "single memory location. Please clone() the tensor before performing the operation.")


def _partial_overlap(a: Tensor, b: Tensor) -> bool:
    """Two dense tensors on one storage whose element ranges intersect without being the same tensor
    geometry (torch gives up, allowing the op, when either is not dense)."""
    if not (a.numel() and b.numel() and is_non_overlapping_and_dense(a._shape, a._stride)
            and is_non_overlapping_and_dense(b._shape, b._stride)):
        return False
    a_end, b_end = a._offset + a.numel(), b._offset + b.numel()
    if a._offset == b._offset and a_end == b_end:
        return a._stride != b._stride
    return a._offset < b_end and b._offset < a_end


def check_output(out: Tensor, result_dtype: D.dtype, shape: tuple[int, ...]) -> None:
    """An in-place result must have ``out``'s shape and a dtype castable to ``out``'s; these checks run
    after :func:`check_inplace_target` and before anything is written."""
    if shape != out._shape:
        raise RuntimeError(
            f"output with shape [{', '.join(map(str, out._shape))}] doesn't match the broadcast shape "
            f"[{', '.join(map(str, shape))}]")
    if not can_cast(result_dtype, out._dtype):
        raise RuntimeError(
            f"result type {result_dtype.scalar_name} can't be cast to the desired output type "
            f"{out._dtype.scalar_name}")


def write_result(out: Tensor, values: Any, result_dtype: D.dtype, shape: tuple[int, ...]) -> Tensor:
    """Store an op's result into ``out`` (in-place ops, after :func:`check_inplace_target`) once
    :func:`check_output` passes."""
    check_output(out, result_dtype, shape)
    return _store(out, values)


def _store(out: Tensor, values: Any) -> Tensor:
    """Write checked values into ``out`` (casting like a C assignment) and bump its version."""
    backend = out._backend
    with backend.quiet():
        backend.xp.copyto(out._array, values, casting="unsafe")
    out._version_counter.bump()
    return out


# ----------------------------------------------------------------------------- public functions
def require_tensor_input(value: Any, fn: str) -> None:
    """torch's argument parser: the ``input`` of a tensor op must be a Tensor."""
    if not isinstance(value, Tensor):
        raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not {type(value).__name__}")


def _make_unary(spec: Unary):
    def op(input: Tensor) -> Tensor:
        require_tensor_input(input, spec.name)
        return apply_unary(spec, input)

    def op_(self: Tensor) -> Tensor:
        return apply_unary(spec, self, out=self)

    op.__name__, op_.__name__ = spec.name, spec.name + "_"
    op.__doc__ = f"``torch.{spec.name}`` (promotion kind: {spec.kind})."
    op_.__doc__ = f"In-place ``{spec.name}``; the result must be castable to this tensor's dtype."
    return op, op_


def _make_binary(spec: Binary):
    def op(input: Tensor, other: Any) -> Tensor:
        return apply_binary(spec, input, other)

    def op_(self: Tensor, other: Any) -> Tensor:
        return apply_binary(spec, self, other, out=self)

    op.__name__, op_.__name__ = spec.name, spec.name + "_"
    op.__doc__ = f"``torch.{spec.name}`` with broadcasting (promotion kind: {spec.kind})."
    op_.__doc__ = f"In-place ``{spec.name}``; the result must be castable to this tensor's dtype."
    return op, op_


_DIV_FLOOR = Binary("div", _floor_divide, grad_key="div_floor")
_DIV_TRUNC = Binary("div", lambda xp, x, y: xp.trunc(xp.true_divide(x, y)) if x.dtype.kind in "fc" else
                    _trunc_int_divide(xp, x, y), grad_key="div_trunc")
_DIV_TRUE = Binary("div", _ufunc("true_divide"), INT_TO_FLOAT, grad_key="true_divide")


def _trunc_int_divide(xp, x, y):
    if (y == 0).any():
        raise RuntimeError("ZeroDivisionError")
    quotient = xp.floor_divide(x, y)
    return quotient + ((xp.remainder(x, y) != 0) & ((x < 0) != (y < 0)))


_POW = Binary("pow", _pow, check=_reject_promoted({D.BOOL}, "pow"))
_POW_SCALAR_EXPONENT = Binary("pow", _pow, check=_reject_promoted({D.BOOL}, "pow"), grad_key="pow_scalar_exponent")
_POW_SCALAR_BASE = Binary("pow", _pow, check=_reject_promoted({D.BOOL}, "pow"), grad_key="pow_scalar_base")


def _pow_scalar_shortcut(input: Tensor, exponent: Any) -> Tensor | None:
    """ATen's pow(Tensor, Scalar): exponent 0 gives ones and 1 a copy (in the promoted dtype, even for
    bool); a negative integer exponent of an integer tensor raises."""
    if isinstance(exponent, Tensor) or not _is_scalar(exponent):
        return None
    promoted = _promote(input, exponent)
    if exponent == 0 or exponent == 1:
        backend = input._backend
        base = input._array if exponent == 1 else backend.xp.ones(input._shape, dtype=input._array.dtype)
        result = from_array(backend.xp.array(base, copy=True), promoted, input.device, backend)
        if STATE.enabled and input._requires_grad:
            record_binary("pow_scalar_exponent", result, input, exponent)
        return result
    if promoted.category <= D.INTEGER and isinstance(exponent, int) and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    return None


def pow(input: Any, exponent: Any) -> Tensor:  # noqa: A001 - torch.pow
    """``torch.pow``: promoted dtype; bool ** bool has no kernel; integer tensors may not take a
    negative integer Python exponent (tensor exponents give ATen's integral results)."""
    if isinstance(input, Tensor):
        shortcut = _pow_scalar_shortcut(input, exponent)
        if shortcut is not None:
            return shortcut
    return apply_binary(_pow_spec(input, exponent), input, exponent)


def _pow_spec(base: Any, exponent: Any) -> Binary:
    """PowBackward0 for a scalar exponent, PowBackward2 for a scalar base, PowBackward1 otherwise."""
    if not isinstance(exponent, Tensor):
        return _POW_SCALAR_EXPONENT
    return _POW if isinstance(base, Tensor) else _POW_SCALAR_BASE


def pow_(self: Tensor, exponent: Any) -> Tensor:
    if _is_scalar(exponent) and isinstance(exponent, int) and exponent < 0 and self._dtype.category <= D.INTEGER:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    return apply_binary(_pow_spec(self, exponent), self, exponent, out=self)


def _check_alpha(alpha: Any, *operands: Any) -> None:
    """torch rejects a float alpha when every operand is integral or bool."""
    if isinstance(alpha, float) and all(
            (x._dtype.category if isinstance(x, Tensor) else (D.BOOL if isinstance(x, bool) else D.INTEGER))
            <= D.INTEGER for x in operands if isinstance(x, (Tensor, bool, int))):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")


def _with_alpha(fn_name: str):
    """``x op alpha * y`` computed in the promoted dtype (alpha takes no part in promotion)."""
    def compute(xp, x, y, alpha=1):
        if alpha != 1:
            y = y * xp.asarray(alpha).astype(y.dtype)
        return getattr(xp, fn_name)(x, y)

    return compute


_ADD = Binary("add", _with_alpha("add"))
_SUB = Binary("sub", _with_alpha("subtract"), check=_check_sub)
_RSUB = Binary("sub", _with_alpha("subtract"), check=_check_sub, grad_key="rsub")
_RSUB_SCALAR = Binary("sub", _with_alpha("subtract"), check=_check_sub, grad_key="rsub_scalar")


def add(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """``torch.add(input, other, alpha=1)`` = input + alpha * other."""
    _check_alpha(alpha, input, other)
    return apply_binary(_ADD, input, other, alpha=alpha)


def add_(self: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
    _check_alpha(alpha, self, other)
    return apply_binary(_ADD, self, other, out=self, alpha=alpha)


def sub(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """``torch.sub(input, other, alpha=1)`` = input - alpha * other; no bool operands."""
    return apply_binary(_SUB, input, other, alpha=alpha, before=lambda: _check_alpha(alpha, input, other))


def sub_(self: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
    return apply_binary(_SUB, self, other, out=self, alpha=alpha, before=lambda: _check_alpha(alpha, self, other))


def _div_spec(rounding_mode: str | None) -> Binary:
    if rounding_mode is None:
        return _DIV_TRUE
    if rounding_mode == "floor":
        return _DIV_FLOOR
    if rounding_mode == "trunc":
        return _DIV_TRUNC
    raise RuntimeError(
        f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'")


def div(input: Tensor, other: Any, *, rounding_mode: str | None = None) -> Tensor:
    """``torch.div``: true division (integers give the default float) unless ``rounding_mode``."""
    return apply_binary(_div_spec(rounding_mode), input, other)


def div_(self: Tensor, other: Any, *, rounding_mode: str | None = None) -> Tensor:
    return apply_binary(_div_spec(rounding_mode), self, other, out=self)


def rsub(input: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
    """``other - alpha * input`` (the reflected ``-`` operator; RsubBackward1 for a scalar ``other``)."""
    spec = _RSUB if isinstance(other, Tensor) else _RSUB_SCALAR
    return apply_binary(spec, other, input, alpha=alpha, before=lambda: _check_alpha(alpha, input, other))


UNARY_BY_NAME = {spec.name: spec for spec in UNARY}
BINARY_BY_NAME = {spec.name: spec for spec in BINARY}
