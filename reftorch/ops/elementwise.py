"""Elementwise ops: unary and binary tables, the ops with extra arguments (add/sub with ``alpha``, div
with ``rounding_mode``, pow, clamp, where, masked_fill, round) and the Python operators, all as
registry records.

Each table entry names the op, how it computes on the array module, its :class:`Promotion` kind and
its dtype checks; the records (function, method, in-place, aliases) are generated from it. Result
dtypes follow PrimTorch's promotion kinds; in-place forms compute in the promoted dtype and may not
change the dtype category of ``self`` ("result type Float can't be cast to the desired output type
Long"), checked in torch's order (memory, shape, dtype, then the kernel's dtype support).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import _backends
from .. import _dtype as D
from .._promotion import can_cast, operands_result_type
from .._tensor import Tensor
from ._inplace import check_memory, check_output, store, write_result
from ._scalars import scalar_array
from ._util import array_dtype, broadcast_shapes, fresh_result, from_array, same_device, unsupported_dtype, zeros_where
from .registry import Promotion, functions, register

P = Promotion


def _result_dtype(kind: Promotion, promoted: D.dtype) -> D.dtype:
    if kind is P.DEFAULT:
        return promoted
    if kind is P.INT_TO_FLOAT:
        return promoted if promoted.category >= D.FLOATING else D.get_default_dtype()
    if kind is P.COMPLEX_TO_FLOAT:
        return promoted.to_real()
    if kind is P.ALWAYS_BOOL:
        return D.bool
    return D.int64 if promoted is D.bool else promoted


class _KindDtypes(dict):
    """One promotion kind's promoted dtype -> (result dtype, compute dtype: the dtype operands are cast
    to before computing; int->float ops compute in float), computed on first use and forgotten when the
    default dtype changes (INT_TO_FLOAT results depend on it)."""

    def __init__(self, kind: Promotion) -> None:
        super().__init__()
        self.kind = kind
        D.on_default_dtype_change(self.clear)

    def __missing__(self, promoted: D.dtype) -> tuple[D.dtype, D.dtype]:
        result = _result_dtype(self.kind, promoted)
        value = self[promoted] = (result, result if self.kind in (P.INT_TO_FLOAT, P.BOOL_TO_LONG) else promoted)
        return value


_KIND_DTYPES = {kind: _KindDtypes(kind) for kind in Promotion}


# ----------------------------------------------------------------------------- dtype checks
def _reject(categories: set[int], kernel: str | None = None, message: str | None = None,
            exc: type[Exception] = NotImplementedError) -> Callable[[D.dtype], None]:
    """A check raising torch's dispatch error (``"abs_cpu" not implemented for 'Bool'``) or ``message``
    for dtypes of the given categories."""
    def check(dtype: D.dtype) -> None:
        if dtype.category in categories:
            if message is not None:
                raise exc(message)
            raise unsupported_dtype(kernel, dtype)

    return check


def _on_promoted(check: Callable[[D.dtype], None]) -> Callable[[D.dtype, D.dtype, D.dtype], None]:
    """A binary-op check of the promoted dtype (the dtype torch dispatches the kernel on)."""
    def binary_check(a: D.dtype, b: D.dtype, promoted: D.dtype) -> None:
        check(promoted)

    return binary_check


def _both(*checks: Callable[[D.dtype], None]) -> Callable[[D.dtype], None]:
    def check(dtype: D.dtype) -> None:
        for c in checks:
            c(dtype)

    return check


def _rounding(name: str) -> Callable[[D.dtype], None]:
    """floor/ceil/trunc: bool has no kernel, complex is rejected by name."""
    return _both(_reject({D.BOOL}, f"{name}_vml_cpu"),
                 _reject({D.COMPLEX}, message=f"{name} is not supported for complex inputs"))


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


def _relu_check(dtype: D.dtype) -> None:
    if dtype is D.bool:
        raise RuntimeError("Boolean inputs not supported for relu")
    if dtype.is_complex:
        raise NotImplementedError("clamp is not supported for complex types")


# ----------------------------------------------------------------------------- computations
def _ufunc(fn_name: str) -> Callable[..., Any]:
    """The array module's function ``fn_name`` (named on the computation as ``ufunc``, so the short
    path of :func:`binary` can call it directly)."""
    def compute(xp: Any, *arrays: Any) -> Any:
        return getattr(xp, fn_name)(*arrays)

    compute.__name__ = compute.ufunc = fn_name
    return compute


def _same_for_ints(fn_name: str) -> Callable[[Any, Any], Any]:
    """floor/ceil/trunc/round keep integer inputs as they are (torch returns a copy)."""
    def compute(xp: Any, x: Any) -> Any:
        return x.copy() if x.dtype.kind in "biu" else getattr(xp, fn_name)(x)

    return compute


def _sigmoid(xp: Any, x: Any) -> Any:
    return 1 / (1 + xp.exp(-x))


def _special(fn_name: str) -> Callable[[Any, Any], Any]:
    """A function of the backend's special-function module (SciPy's for NumPy: NumPy has no erf)."""
    def compute(xp: Any, x: Any) -> Any:
        return getattr(_backends.special(xp), fn_name)(x)

    compute.__name__ = fn_name
    return compute


def _relu(xp: Any, x: Any) -> Any:
    return xp.maximum(x, xp.zeros((), dtype=x.dtype))


def _signbit(xp: Any, x: Any) -> Any:
    return xp.signbit(x) if x.dtype.kind == "f" else x < 0


def _sign(xp: Any, x: Any) -> Any:
    return x.copy() if x.dtype.kind == "b" else xp.sign(x)


def _sgn(xp: Any, x: Any) -> Any:
    if x.dtype.kind != "c":
        return _sign(xp, x)
    magnitude = xp.abs(x)
    return xp.where(magnitude == 0, xp.zeros((), x.dtype), x / xp.where(magnitude == 0, 1, magnitude))


def _frac(xp: Any, x: Any) -> Any:
    return x - xp.trunc(x)


def _rsqrt(xp: Any, x: Any) -> Any:
    return 1 / xp.sqrt(x)


def _integer_division(fn_name: str) -> Callable[[Any, Any, Any], Any]:
    """floor_divide/remainder/fmod: integer division by zero raises, as torch's CPU kernels."""
    def compute(xp: Any, x: Any, y: Any) -> Any:
        if x.dtype.kind in "iu" and (y == 0).any():
            raise RuntimeError("ZeroDivisionError")
        return getattr(xp, fn_name)(x, y)

    return compute


def _trunc_divide(xp: Any, x: Any, y: Any) -> Any:
    if x.dtype.kind in "fc":
        return xp.trunc(xp.true_divide(x, y))
    if (y == 0).any():
        raise RuntimeError("ZeroDivisionError")
    quotient = xp.floor_divide(x, y)
    return quotient + ((xp.remainder(x, y) != 0) & ((x < 0) != (y < 0)))


def _pow(xp: Any, x: Any, y: Any) -> Any:
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


def _logical(fn_name: str) -> Callable[[Any, Any, Any], Any]:
    def compute(xp: Any, x: Any, y: Any) -> Any:
        return getattr(xp, fn_name)(x != 0, y != 0)

    return compute


def _with_alpha(fn_name: str) -> Callable[..., Any]:
    """``x op alpha * y`` computed in the promoted dtype (alpha takes no part in promotion); it can
    write into ``out`` (``writes_out``: the in-place forms store without a temporary and a copy)."""
    def compute(xp: Any, x: Any, y: Any, alpha: Any = 1, out: Any = None) -> Any:
        if alpha != 1:
            y = y * xp.asarray(alpha).astype(y.dtype)
        return getattr(xp, fn_name)(x, y, out=out)

    compute.writes_out = True  # type: ignore[attr-defined]
    return compute


# ----------------------------------------------------------------------------- tables
@dataclass(frozen=True)
class Unary:
    """A unary op. ``check(dtype)`` raises torch's error for unsupported input dtypes;
    ``inplace`` says which in-place variants torch has (function and method, method only, none)."""

    name: str
    compute: Callable[[Any, Any], Any]
    kind: Promotion = P.DEFAULT
    check: Callable[[D.dtype], None] | None = None
    node: str | None = None
    inplace: str = "function"  # "function" (torch.exp_ and Tensor.exp_), "method", or "none"
    inplace_check: Callable[[D.dtype], None] | None = None
    aliases: tuple[str, ...] = ()
    out: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "dtypes", _KIND_DTYPES[self.kind])  # looked up on every call: no enum hash
        object.__setattr__(self, "ufunc", getattr(self.compute, "ufunc", None))


@dataclass(frozen=True)
class Binary:
    """A binary op; ``check(a_dtype, b_dtype, promoted)`` raises torch's errors; ``forms`` are its
    overloads as (node, operand kinds): "TT" (tensor, tensor), "TS" (tensor, number), "ST" (number,
    tensor; function only), "TS-" (tensor, number, without ``out``)."""

    name: str
    compute: Callable[..., Any]
    kind: Promotion = P.DEFAULT
    check: Callable[[D.dtype, D.dtype, D.dtype], None] | None = None
    forms: tuple[tuple[str, str | None], ...] = (("TT", None),)
    inplace: bool = True
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "dtypes", _KIND_DTYPES[self.kind])  # looked up on every call: no enum hash
        object.__setattr__(self, "ufunc", getattr(self.compute, "ufunc", None))
        # The short path's cached decisions: (operands' dtype, backend) -> (the array module's ufunc,
        # result dtype), stored once the dtype check passed for that dtype (torch's per-dtype dispatch).
        object.__setattr__(self, "short", {})


UNARY: tuple[Unary, ...] = (
    Unary("neg", _ufunc("negative"), check=_reject(
        {D.BOOL}, message="Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
        "invert a mask, use the `~` or `logical_not()` operator instead.", exc=RuntimeError), node="NegBackward0",
        aliases=("negative",)),
    Unary("abs", _ufunc("abs"), P.COMPLEX_TO_FLOAT, _reject({D.BOOL}, "abs_cpu"), "AbsBackward0",
          inplace_check=_reject({D.COMPLEX}, message="In-place abs is not supported for complex tensors.",
                                exc=RuntimeError), aliases=("absolute",)),
    Unary("exp", _ufunc("exp"), P.INT_TO_FLOAT, node="ExpBackward0"),
    Unary("exp2", _ufunc("exp2"), P.INT_TO_FLOAT, node="Exp2Backward0"),
    Unary("expm1", _ufunc("expm1"), P.INT_TO_FLOAT, node="Expm1Backward0"),
    Unary("log", _ufunc("log"), P.INT_TO_FLOAT, node="LogBackward0"),
    Unary("log2", _ufunc("log2"), P.INT_TO_FLOAT, node="Log2Backward0"),
    Unary("log10", _ufunc("log10"), P.INT_TO_FLOAT, node="Log10Backward0"),
    Unary("log1p", _ufunc("log1p"), P.INT_TO_FLOAT, node="Log1PBackward0"),
    Unary("sqrt", _ufunc("sqrt"), P.INT_TO_FLOAT, node="SqrtBackward0"),
    Unary("rsqrt", _rsqrt, P.INT_TO_FLOAT, node="RsqrtBackward0"),
    Unary("sin", _ufunc("sin"), P.INT_TO_FLOAT, node="SinBackward0"),
    Unary("cos", _ufunc("cos"), P.INT_TO_FLOAT, node="CosBackward0"),
    Unary("tan", _ufunc("tan"), P.INT_TO_FLOAT, node="TanBackward0"),
    Unary("asin", _ufunc("arcsin"), P.INT_TO_FLOAT, node="AsinBackward0", aliases=("arcsin",)),
    Unary("acos", _ufunc("arccos"), P.INT_TO_FLOAT, node="AcosBackward0", aliases=("arccos",)),
    Unary("atan", _ufunc("arctan"), P.INT_TO_FLOAT, node="AtanBackward0", aliases=("arctan",)),
    Unary("sinh", _ufunc("sinh"), P.INT_TO_FLOAT, node="SinhBackward0"),
    Unary("cosh", _ufunc("cosh"), P.INT_TO_FLOAT, node="CoshBackward0"),
    Unary("tanh", _ufunc("tanh"), P.INT_TO_FLOAT, node="TanhBackward0"),
    Unary("asinh", _ufunc("arcsinh"), P.INT_TO_FLOAT, node="AsinhBackward0"),
    Unary("acosh", _ufunc("arccosh"), P.INT_TO_FLOAT, node="AcoshBackward0"),
    Unary("atanh", _ufunc("arctanh"), P.INT_TO_FLOAT, node="AtanhBackward0"),
    Unary("sigmoid", _sigmoid, P.INT_TO_FLOAT, node="SigmoidBackward0"),
    Unary("erf", _special("erf"), P.INT_TO_FLOAT, _reject({D.COMPLEX}, "erf_vml_cpu"), "ErfBackward0"),
    Unary("erfc", _special("erfc"), P.INT_TO_FLOAT, _reject({D.COMPLEX}, "erfc_vml_cpu"), "ErfcBackward0"),
    Unary("erfinv", _special("erfinv"), P.INT_TO_FLOAT, _reject({D.COMPLEX}, "erfinv_vml_cpu"), "ErfinvBackward0",
          inplace="method"),
    Unary("reciprocal", _ufunc("reciprocal"), P.INT_TO_FLOAT, node="ReciprocalBackward0"),
    Unary("relu", _relu, check=_relu_check, node="ReluBackward0"),
    Unary("sign", _sign, check=_reject(
        {D.COMPLEX}, message="Unlike NumPy, torch.sign is not intended to support complex numbers. Please use "
        "torch.sgn instead."), node="SignBackward0", inplace="method"),
    Unary("sgn", _sgn, node="SgnBackward0", inplace="method"),
    Unary("floor", _same_for_ints("floor"), check=_rounding("floor"), node="FloorBackward0"),
    Unary("ceil", _same_for_ints("ceil"), check=_rounding("ceil"), node="CeilBackward0"),
    Unary("trunc", _same_for_ints("trunc"), check=_rounding("trunc"), node="TruncBackward0", aliases=("fix",)),
    Unary("conj_physical", _ufunc("conjugate"), node="ConjPhysicalBackward0"),
    Unary("frac", _frac, check=_reject({D.BOOL, D.INTEGER, D.COMPLEX}, "frac_cpu"), node="FracBackward0"),
    Unary("bitwise_not", _ufunc("invert"), check=_reject({D.FLOATING, D.COMPLEX}, "bitwise_not_cpu"),
          inplace="method"),
    Unary("logical_not", _ufunc("logical_not"), P.ALWAYS_BOOL, inplace="method"),
    Unary("isnan", _ufunc("isnan"), P.ALWAYS_BOOL, inplace="none"),
    Unary("isinf", _ufunc("isinf"), P.ALWAYS_BOOL, inplace="none"),
    Unary("isfinite", _ufunc("isfinite"), P.ALWAYS_BOOL, inplace="none", out=False),
    Unary("signbit", _signbit, P.ALWAYS_BOOL, _reject(
        {D.COMPLEX}, message="signbit is not implemented for complex tensors."), inplace="none"),
)

_NOT_INTEGRAL = {D.FLOATING, D.COMPLEX}
_NOT_SHIFTABLE = {D.BOOL, D.FLOATING, D.COMPLEX}
_COMPARISON = (("TT", None), ("TS", None))
_BITWISE = (("TT", None), ("ST", None), ("TS", None))

BINARY: tuple[Binary, ...] = (
    Binary("mul", _ufunc("multiply"), forms=(("TT", "MulBackward0"),)),
    Binary("multiply", _ufunc("multiply"), forms=(("TT", "MulBackward0"), ("TS-", "MulBackward1"))),
    Binary("true_divide", _ufunc("true_divide"), P.INT_TO_FLOAT, forms=(("TT", "DivBackward0"),
                                                                       ("TS-", "DivBackward1"))),
    Binary("floor_divide", _integer_division("floor_divide"), check=_on_promoted(
        _reject({D.BOOL, D.COMPLEX}, "div_floor_cpu")), forms=(("TT", "NotImplemented:floor_divide"),
                                                                ("TS-", "NotImplemented:floor_divide_scalar"))),
    Binary("remainder", _integer_division("remainder"), check=_on_promoted(
        _reject({D.BOOL, D.COMPLEX}, "remainder_cpu")), forms=(("TT", "RemainderBackward1"),
                                                                ("ST", "NotImplemented:remainder_scalar_self"),
                                                                ("TS", "RemainderBackward0"))),
    Binary("fmod", _integer_division("fmod"), check=_on_promoted(_reject({D.BOOL, D.COMPLEX}, "fmod_cpu")),
           forms=(("TT", "FmodBackward1"), ("TS", "FmodBackward0"))),
    Binary("atan2", _ufunc("arctan2"), P.INT_TO_FLOAT, _on_promoted(_reject({D.COMPLEX}, "atan2_cpu")),
           forms=(("TT", "Atan2Backward0"),), aliases=("arctan2",)),
    Binary("maximum", _ufunc("maximum"), check=_on_promoted(_reject(
        {D.COMPLEX}, message="maximum not implemented for complex tensors.", exc=RuntimeError)),
           forms=(("TT", "MaximumBackward0"),), inplace=False),
    Binary("minimum", _ufunc("minimum"), check=_on_promoted(_reject(
        {D.COMPLEX}, message="minimum not implemented for complex tensors.", exc=RuntimeError)),
           forms=(("TT", "MinimumBackward0"),), inplace=False),
    Binary("eq", _ufunc("equal"), P.ALWAYS_BOOL, forms=_COMPARISON),
    Binary("ne", _ufunc("not_equal"), P.ALWAYS_BOOL, forms=_COMPARISON, aliases=("not_equal",)),
    Binary("lt", _ufunc("less"), P.ALWAYS_BOOL, _on_promoted(_reject({D.COMPLEX}, "lt_cpu")), forms=_COMPARISON,
           aliases=("less",)),
    Binary("le", _ufunc("less_equal"), P.ALWAYS_BOOL, _on_promoted(_reject({D.COMPLEX}, "le_cpu")),
           forms=_COMPARISON, aliases=("less_equal",)),
    Binary("gt", _ufunc("greater"), P.ALWAYS_BOOL, _on_promoted(_reject({D.COMPLEX}, "gt_cpu")),
           forms=_COMPARISON, aliases=("greater",)),
    Binary("ge", _ufunc("greater_equal"), P.ALWAYS_BOOL, _on_promoted(_reject({D.COMPLEX}, "ge_cpu")),
           forms=_COMPARISON, aliases=("greater_equal",)),
    Binary("logical_and", _logical("logical_and"), P.ALWAYS_BOOL),
    Binary("logical_or", _logical("logical_or"), P.ALWAYS_BOOL),
    Binary("logical_xor", _logical("logical_xor"), P.ALWAYS_BOOL),
    Binary("bitwise_and", _ufunc("bitwise_and"), check=_on_promoted(_reject(_NOT_INTEGRAL, "bitwise_and_cpu")),
           forms=_BITWISE),
    Binary("bitwise_or", _ufunc("bitwise_or"), check=_on_promoted(_reject(_NOT_INTEGRAL, "bitwise_or_cpu")),
           forms=_BITWISE),
    Binary("bitwise_xor", _ufunc("bitwise_xor"), check=_on_promoted(_reject(_NOT_INTEGRAL, "bitwise_xor_cpu")),
           forms=_BITWISE),
    Binary("bitwise_left_shift", _ufunc("left_shift"), check=_on_promoted(_reject(_NOT_SHIFTABLE, "lshift_cpu")),
           forms=_BITWISE),
    Binary("bitwise_right_shift", _ufunc("right_shift"), check=_on_promoted(_reject(_NOT_SHIFTABLE, "rshift_cpu")),
           forms=_BITWISE),
)


# ----------------------------------------------------------------------------- kernels
def _operand_dtype(x: Any, promoted: D.dtype) -> D.dtype:
    """An operand's own dtype for dtype checks (a Python bool is bool; other scalars the promoted)."""
    if isinstance(x, Tensor):
        return x._dtype
    return D.bool if isinstance(x, bool) else promoted


def as_operand(x: Any, compute: D.dtype, backend: Any) -> Any:
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


def unary(spec: Unary, self: Tensor) -> Tensor:
    """``spec``'s op on ``self``: its promotion kind and dtype checks, a fresh result."""
    result_dtype, compute = spec.dtypes[self._dtype]
    if spec.check is not None:
        spec.check(self._dtype)
    backend = self._storage.backend
    values = backend.quietly(spec.compute, backend.xp, as_operand(self, compute, backend))
    return from_array(values, result_dtype, self._storage.device, backend)


def unary_(spec: Unary, self: Tensor) -> Tensor:
    """In-place ``spec``: memory, in-place-specific and output checks before the kernel's dtype check."""
    result_dtype, compute = spec.dtypes[self._dtype]
    check_memory(self)
    if spec.inplace_check is not None:
        spec.inplace_check(self._dtype)
    check_output(self, result_dtype, self._shape)
    if spec.check is not None:
        spec.check(self._dtype)
    backend = self._storage.backend
    return store(self, backend.quietly(spec.compute, backend.xp, as_operand(self, compute, backend)))


def _prepare(spec: Binary, a: Any, b: Any) -> tuple[D.dtype, D.dtype, D.dtype, tuple[int, ...], Any, Any]:
    """(promoted, result and compute dtypes, broadcast shape, device, backend) of ``a op b``."""
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        promoted = a._dtype if a._dtype is b._dtype else operands_result_type(a, b)
        dev = a._storage.device
        if b._storage.device is not dev and b._storage.device != dev:
            dev = same_device((a, b))
        shape = a._shape if a._shape == b._shape else broadcast_shapes(a._shape, b._shape)
        backend = a._storage.backend
    else:
        promoted = operands_result_type(a, b)
        tensor = a if isinstance(a, Tensor) else b
        dev, shape, backend = tensor._storage.device, tensor._shape, tensor._storage.backend
    result_dtype, compute = spec.dtypes[promoted]
    return promoted, result_dtype, compute, shape, dev, backend


def _compute(spec: Binary, a: Any, b: Any, compute: D.dtype, backend: Any, options: dict) -> Any:
    x = a._array if isinstance(a, Tensor) and a._dtype is compute else as_operand(a, compute, backend)
    y = b._array if isinstance(b, Tensor) and b._dtype is compute else as_operand(b, compute, backend)
    return backend.quietly(spec.compute, backend.xp, x, y, **options)


def binary(spec: Binary, a: Any, b: Any, before: Callable[[], None] | None = None, **options: Any) -> Tensor:
    """``a op b`` with torch's promotion and broadcasting (either operand may be a Python number);
    ``before`` runs after the dtype checks (argument checks torch makes in the kernel); ``options``
    go to the computation (``alpha``). Two tensors of one dtype, shape and device take a short path
    (no promotion, no broadcasting, no casts): the hot path of every model."""
    if isinstance(a, Tensor) and isinstance(b, Tensor) and a._dtype is b._dtype and a._shape == b._shape \
            and before is None:
        storage = a._storage
        if b._storage.device is storage.device:
            backend = storage.backend
            if not options:
                short = spec.short.get((a._dtype, backend))
                if short is not None:  # (ufunc, result dtype): decided on an earlier call
                    return fresh_result(backend.quietly(short[0], a._array, b._array), short[1], a._shape,
                                        storage.device, backend)
            dtype = a._dtype
            result_dtype, compute = spec.dtypes[dtype]
            if compute is dtype:
                if spec.check is not None:
                    spec.check(dtype, dtype, dtype)
                if spec.ufunc is not None and not options:
                    ufunc = getattr(backend.xp, spec.ufunc)
                    values = backend.quietly(ufunc, a._array, b._array)
                    if values.dtype == array_dtype(backend, result_dtype):  # (the check depends on dtypes alone)
                        spec.short[(dtype, backend)] = (ufunc, result_dtype)
                else:
                    values = backend.quietly(spec.compute, backend.xp, a._array, b._array, **options)
                return from_array(values, result_dtype, storage.device, backend)
    promoted, result_dtype, compute, shape, dev, backend = _prepare(spec, a, b)
    if spec.check is not None:
        spec.check(_operand_dtype(a, promoted), _operand_dtype(b, promoted), promoted)
    if before is not None:
        before()
    return from_array(_compute(spec, a, b, compute, backend, options), result_dtype, dev, backend)


def binary_(spec: Binary, self: Tensor, b: Any, before: Callable[[], None] | None = None, **options: Any) -> Tensor:
    """In-place ``self op b``: memory checks, then the output's shape and dtype, then the kernel's
    dtype check, as TensorIterator orders them."""
    check_memory(self, b)
    promoted, result_dtype, compute, shape, _, backend = _prepare(spec, self, b)
    check_output(self, result_dtype, shape)
    if spec.check is not None:
        spec.check(self._dtype, _operand_dtype(b, promoted), promoted)
    if before is not None:
        before()
    if (getattr(spec.compute, "writes_out", False) and isinstance(b, Tensor) and self._dtype is compute
            and b._dtype is compute and result_dtype is compute):  # (the optimizers' p.add_(g, alpha=-lr))
        backend.quietly(spec.compute, backend.xp, self._array, b._array, out=self._array, **options)
        self._version_counter.bump()
        return self
    return store(self, _compute(spec, self, b, compute, backend, options))


# ----------------------------------------------------------------------------- records from the tables
def _describe(kernel: Callable, name: str, doc: str) -> Callable:
    kernel.__name__ = kernel.__qualname__ = name
    kernel.__doc__ = doc
    kernel.__annotations__ = {"return": "Tensor"}
    return kernel


def _register_unary(spec: Unary) -> None:
    out = ", *, Tensor out=None" if spec.out else ""
    functional = _describe(lambda self: unary(spec, self), spec.name,
                           f"``torch.{spec.name}`` (promotion kind: {spec.kind.value}).")
    inplace = _describe(lambda self: unary_(spec, self), spec.name + "_",
                        f"In-place ``{spec.name}``; the result must be castable to this tensor's dtype.")
    for name in (spec.name, *spec.aliases):
        register(name, f"{name}(Tensor input{out})", node=spec.node, promotion=spec.kind)(functional)
        if spec.inplace != "none":
            function = spec.inplace == "function" and name != "absolute"
            register(f"{name}_", f"{name}_(Tensor input)", node=spec.node, inplace=True,
                     function=function)(inplace)


_OPERAND = {"TT": ("Tensor input", "Tensor other"), "TS": ("Tensor input", "Scalar other"),
            "TS-": ("Tensor input", "Scalar other"), "ST": ("Scalar self", "Tensor other")}
_OVERLOAD = {"TT": "Tensor", "TS": "Scalar", "TS-": "Scalar", "ST": "Scalar_Tensor"}


def _register_binary(spec: Binary) -> None:
    functional = _describe(lambda self, other: binary(spec, self, other), spec.name,
                           f"``torch.{spec.name}`` with broadcasting (promotion kind: {spec.kind.value}).")
    inplace = _describe(lambda self, other: binary_(spec, self, other), spec.name + "_",
                        f"In-place ``{spec.name}``; the result must be castable to this tensor's dtype.")
    single = len(spec.forms) == 1
    for name in (spec.name, *spec.aliases):
        for form, node in spec.forms:
            first, second = _OPERAND[form]
            out = ", *, Tensor out=None" if form in ("TT", "TS") else ""
            overload = name if single else f"{name}.{_OVERLOAD[form]}"
            register(overload, f"{name}({first}, {second}{out})", node=node, promotion=spec.kind,
                     method=form != "ST")(functional)
            if spec.inplace and form != "ST":
                register(f"{name}_" if single else f"{name}_.{_OVERLOAD[form]}", f"{name}_(Tensor self, {second})",
                         node=node, inplace=True, function=False)(inplace)


for _spec in UNARY:
    _register_unary(_spec)
for _spec in BINARY:
    _register_binary(_spec)


# ----------------------------------------------------------------------------- add / sub / rsub (alpha)
def _check_alpha(alpha: Any, *operands: Any) -> None:
    """ATen's ``alpha_check`` of the result dtype: a bool alpha only for bool results, an integral
    alpha for integral (and bool) results, no complex alpha for real results."""
    if type(alpha) is int:  # any int passes (the common alpha=1 costs no promotion)
        return
    dtype = operands_result_type(*operands)
    if isinstance(alpha, bool) and dtype is not D.bool:
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if dtype.category <= D.INTEGER and not isinstance(alpha, int):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    if not dtype.is_complex and isinstance(alpha, complex):
        raise RuntimeError("For non-complex input tensors, argument alpha must not be a complex number.")


_ADD = Binary("add", _with_alpha("add"))
_SUB = Binary("sub", _with_alpha("subtract"), check=_check_sub)
_ADD_PLAIN = Binary("add", _ufunc("add"))  # alpha = 1: the array module's add itself
_SUB_PLAIN = Binary("sub", _ufunc("subtract"), check=_check_sub)


@register("add.Tensor", "add(Tensor input, Tensor other, *, Scalar alpha=1, Tensor out=None)", node="AddBackward0")
def add(self: Tensor, other: Any, alpha: Any = 1) -> Tensor:
    """``torch.add(input, other, *, alpha=1)`` = input + alpha * other."""
    if type(alpha) is int and alpha == 1:
        return binary(_ADD_PLAIN, self, other)
    _check_alpha(alpha, self, other)
    return binary(_ADD, self, other, alpha=alpha)


@register("add_.Tensor", "add_(Tensor self, Tensor other, *, Scalar alpha=1)", node="AddBackward0", inplace=True,
          function=False)
def add_(self: Tensor, other: Any, alpha: Any = 1) -> Tensor:
    _check_alpha(alpha, self, other)
    return binary_(_ADD, self, other, alpha=alpha)


def _sub(self: Tensor, other: Any, alpha: Any = 1) -> Tensor:
    """``torch.sub(input, other, *, alpha=1)`` = input - alpha * other; no bool operands."""
    if type(alpha) is int and alpha == 1:
        return binary(_SUB_PLAIN, self, other)
    return binary(_SUB, self, other, before=lambda: _check_alpha(alpha, self, other), alpha=alpha)


def _sub_(self: Tensor, other: Any, alpha: Any = 1) -> Tensor:
    return binary_(_SUB, self, other, before=lambda: _check_alpha(alpha, self, other), alpha=alpha)


for _name in ("sub", "subtract"):
    register(f"{_name}.Tensor", f"{_name}(Tensor input, Tensor other, *, Scalar alpha=1, Tensor out=None)",
             node="SubBackward0")(_sub)
    register(f"{_name}_.Tensor", f"{_name}_(Tensor self, Tensor other, *, Scalar alpha=1)", node="SubBackward0",
             inplace=True, function=False)(_sub_)
register("subtract.Scalar", "subtract(Tensor input, Scalar other, Scalar alpha=1)", node="SubBackward1")(_sub)
register("subtract_.Scalar", "subtract_(Tensor self, Scalar other, Scalar alpha=1)", node="SubBackward1",
         inplace=True, function=False)(_sub_)


def _rsub(self: Tensor, other: Any, alpha: Any = 1) -> Tensor:
    """``torch.rsub(input, other, *, alpha=1)`` = other - alpha * input (the reflected ``-``)."""
    return binary(_SUB, other, self, before=lambda: _check_alpha(alpha, self, other), alpha=alpha)


register("rsub.Tensor", "rsub(Tensor input, Tensor other, *, Scalar alpha=1)", node="RsubBackward0",
         method=False)(_rsub)
register("rsub.Scalar", "rsub(Tensor input, Scalar other, Scalar alpha=1)", node="RsubBackward1",
         method=False)(_rsub)


# ----------------------------------------------------------------------------- div (rounding modes)
_DIV_TRUE = Binary("div", _ufunc("true_divide"), P.INT_TO_FLOAT)
_DIV_FLOOR = Binary("div", _integer_division("floor_divide"), check=_on_promoted(
    _reject({D.BOOL, D.COMPLEX}, "div_floor_cpu")))
_DIV_TRUNC = Binary("div", _trunc_divide, check=_on_promoted(_reject({D.BOOL, D.COMPLEX}, "div_trunc_cpu")))


def _div_spec(rounding_mode: str | None) -> Binary:
    if rounding_mode is None:
        return _DIV_TRUE
    if rounding_mode == "floor":
        return _DIV_FLOOR
    if rounding_mode == "trunc":
        return _DIV_TRUNC
    raise RuntimeError(
        f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'")


def _div(self: Tensor, other: Any, rounding_mode: str | None = None) -> Tensor:
    """``torch.div``: true division (integers give the default float) unless ``rounding_mode``."""
    return binary(_div_spec(rounding_mode), self, other)


def _div_(self: Tensor, other: Any, rounding_mode: str | None = None) -> Tensor:
    return binary_(_div_spec(rounding_mode), self, other)


_DIV_FORMS = (  # (overload, operand kinds, node, out)
    ("Tensor", "Tensor other", "", "DivBackward0", True),
    ("Tensor_mode", "Tensor other", ", *, c10::string_view? rounding_mode", "DivBackward2", True),
    ("Scalar", "Scalar other", "", "DivBackward1", False),
    ("Scalar_mode", "Scalar other", ", *, c10::string_view? rounding_mode", "DivBackward3", False),
)
for _name in ("div", "divide"):
    for _overload, _other, _mode, _node, _out in _DIV_FORMS:
        if _name == "div" and _overload == "Scalar":
            continue  # torch's div has no plain (Tensor, Number) signature: numbers take the Tensor form
        _tail = (", Tensor out=None" if _mode else ", *, Tensor out=None") if _out else ""
        register(f"{_name}.{_overload}", f"{_name}(Tensor input, {_other}{_mode}{_tail})", node=_node)(_div)
        register(f"{_name}_.{_overload}", f"{_name}_(Tensor self, {_other}{_mode})", node=_node, inplace=True,
                 function=False)(_div_)


# ----------------------------------------------------------------------------- pow
_POW = Binary("pow", _pow, check=_on_promoted(_reject({D.BOOL}, "pow")))


def _pow_shortcut(self: Tensor, exponent: Any) -> Tensor | None:
    """ATen's pow(Tensor, Scalar): exponent 0 gives ones and 1 a copy (in the promoted dtype, even for
    bool); a negative integer exponent of an integer tensor raises."""
    promoted = operands_result_type(self, exponent)
    if exponent == 0 or exponent == 1:
        backend = self._backend
        base = self._array if exponent == 1 else backend.xp.ones(self._shape, dtype=self._array.dtype)
        return from_array(backend.xp.array(base, copy=True), promoted, self.device, backend)
    if promoted.category <= D.INTEGER and isinstance(exponent, int) and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    return None


@register("pow.Tensor_Tensor", "pow(Tensor input, Tensor exponent, *, Tensor out=None)", node="PowBackward1")
def pow_tensor(self: Tensor, exponent: Tensor) -> Tensor:
    """``torch.pow``: promoted dtype; bool ** bool has no kernel; integer tensors take ATen's integral
    powers for negative exponents."""
    return binary(_POW, self, exponent)


@register("pow.Scalar", "pow(Scalar self, Tensor exponent, *, Tensor out=None)", node="PowBackward2", method=False)
def pow_scalar_base(self: Any, exponent: Tensor) -> Tensor:
    """``torch.pow(number, tensor)``."""
    return binary(_POW, self, exponent)


@register("pow.Tensor_Scalar", "pow(Tensor input, Scalar exponent, *, Tensor out=None)", node="PowBackward0")
def pow_scalar_exponent(self: Tensor, exponent: Any) -> Tensor:
    """``torch.pow(tensor, number)``: integer tensors may not take a negative integer exponent."""
    shortcut = _pow_shortcut(self, exponent)
    return shortcut if shortcut is not None else binary(_POW, self, exponent)


@register("pow_.Tensor", "pow_(Tensor self, Tensor exponent)", node="PowBackward1", inplace=True, function=False)
def pow_(self: Tensor, exponent: Any) -> Tensor:
    return binary_(_POW, self, exponent)


@register("pow_.Scalar", "pow_(Tensor self, Scalar exponent)", node="PowBackward0", inplace=True, function=False)
def pow_scalar_(self: Tensor, exponent: Any) -> Tensor:
    """In-place ``pow`` with a number: exponent 0 fills ones and 1 keeps the values (bools too, as
    ATen's ``pow_Tensor_Scalar_out``), after the output checks."""
    if isinstance(exponent, int) and not isinstance(exponent, bool) and exponent < 0 and \
            self._dtype.category <= D.INTEGER:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    if exponent == 0 or exponent == 1:
        check_memory(self)
        check_output(self, operands_result_type(self, exponent), self._shape)
        return store(self, self._backend.xp.ones((), self._array.dtype) if exponent == 0 else self._array)
    return binary_(_POW, self, exponent)


@register("square", "square(Tensor input, *, Tensor out=None)", composite=True)
def square(self: Tensor) -> Tensor:
    """``torch.square``: ``pow(input, 2)`` (so bool gives int64 and the node is PowBackward0)."""
    return functions.pow(self, 2)


@register("square_", "square_(Tensor input)", composite=True)
def square_(self: Tensor) -> Tensor:
    return self.pow_(2)


# ----------------------------------------------------------------------------- round / conj / positive
_ROUND = Unary("round", _same_for_ints("rint"), check=_reject({D.BOOL}, "round_vml_cpu"))


def _round_check(self: Tensor) -> None:
    if self._dtype.is_complex:
        raise NotImplementedError("round is not supported for complex inputs")


def _round_decimals(self: Tensor, decimals: int) -> Tensor:
    """``round(input, *, decimals)``: floating inputs only; ``x * 10**d`` rounded, divided back."""
    _round_check(self)
    if not self._dtype.is_floating_point:
        raise unsupported_dtype("round_vml_cpu" if decimals == 0 else "round_cpu", self._dtype)
    scale = 10.0 ** decimals
    return binary(_DIV_TRUE, unary(_ROUND, binary(BINARY_BY_NAME["mul"], self, scale)), scale)


@register("round", "round(Tensor input, *, Tensor out=None)", node="RoundBackward0")
def round(self: Tensor) -> Tensor:  # noqa: A001 - torch.round
    """Rounds half to even (integers are returned as a copy)."""
    _round_check(self)
    return unary(_ROUND, self)


register("round.decimals", "round(Tensor input, *, int64_t decimals, Tensor out=None)",
         node="RoundBackward1")(_round_decimals)


@register("round_", "round_(Tensor input)", node="RoundBackward0", inplace=True)
def round_(self: Tensor) -> Tensor:
    _round_check(self)
    return unary_(_ROUND, self)


@register("round_.decimals", "round_(Tensor input, *, int64_t decimals)", node="RoundBackward1", inplace=True)
def round_decimals_(self: Tensor, decimals: int) -> Tensor:
    check_memory(self)
    return write_result(self, _round_decimals(self, decimals)._array, self._dtype, self._shape)


@register("conj", "conj(Tensor input)", composite=True)
def conj(self: Tensor) -> Tensor:
    """``torch.conj``: ``self`` for real tensors. For complex tensors torch returns a lazy view with the
    conjugate bit set; reftorch has no conjugate bit and returns a conjugated copy."""
    return self if not self._dtype.is_complex else functions.conj_physical(self)


@register("positive", "positive(Tensor input)", composite=True)
def positive(self: Tensor) -> Tensor:
    """``torch.positive`` / unary ``+``: ``self`` itself; bool tensors are refused."""
    if self._dtype is D.bool:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return self


# ----------------------------------------------------------------------------- lerp
def _lerp_values(self: Tensor, end: Tensor, weight: Any, kernel: str) -> tuple[Any, tuple[int, ...]]:
    """ATen's lerp kernel (aten/src/ATen/native/cpu/LerpKernel.cpp): ``self + weight * (end - self)`` for
    ``|weight| < 0.5``, else ``end - (end - self) * (1 - weight)``, in the op-math type (float32 for
    float16); ``end`` and a tensor ``weight`` must have ``self``'s dtype (a zero-dim weight is a number)."""
    if end._dtype is not self._dtype:
        raise RuntimeError(f"expected dtype {self._dtype.demangled_name} for `end` but got dtype "
                           f"{end._dtype.demangled_name}")
    if isinstance(weight, Tensor) and not weight._shape:
        weight = weight.item()
    if isinstance(weight, Tensor) and weight._dtype is not self._dtype:
        raise RuntimeError(f"expected dtype {self._dtype.demangled_name} for `weight` but got dtype "
                           f"{weight._dtype.demangled_name}")
    if self._dtype.category < D.FLOATING:
        raise unsupported_dtype(kernel, self._dtype)
    tensors = [self, end] + ([weight] if isinstance(weight, Tensor) else [])
    same_device(tensors)
    shape = broadcast_shapes(*(t._shape for t in tensors))
    backend = self._backend
    xp = backend.xp
    opmath = D.float32 if self._dtype is D.float16 else self._dtype
    a, b = as_operand(self, opmath, backend), as_operand(end, opmath, backend)
    if isinstance(weight, Tensor):
        w = as_operand(weight, opmath, backend)
    else:
        w = scalar_array(backend, weight, opmath)
    small = xp.abs(w) < 0.5
    values = backend.quietly(xp.where, small, a + w * (b - a), b - (b - a) * (1 - w))
    return values, shape


def _lerp(self: Tensor, end: Tensor, weight: Any) -> Tensor:
    """``torch.lerp(input, end, weight)``: linear interpolation with broadcasting."""
    kernel = "lerp_kernel_tensor" if isinstance(weight, Tensor) else "lerp_kernel_scalar"
    values, _ = _lerp_values(self, end, weight, kernel)
    return from_array(values, self._dtype, self.device, self._backend)


def _lerp_(self: Tensor, end: Tensor, weight: Any) -> Tensor:
    """In-place ``lerp``: the broadcast shape must be this tensor's."""
    check_memory(self, end, weight)
    kernel = "lerp_kernel_tensor" if isinstance(weight, Tensor) else "lerp_kernel_scalar"
    values, shape = _lerp_values(self, end, weight, kernel)
    return write_result(self, values, self._dtype, shape)


register("lerp.Tensor", "lerp(Tensor input, Tensor end, Tensor weight, *, Tensor out=None)",
         node="LerpBackward1")(_lerp)
register("lerp.Scalar", "lerp(Tensor input, Tensor end, Scalar weight, *, Tensor out=None)",
         node="LerpBackward0")(_lerp)
register("lerp_.Tensor", "lerp_(Tensor self, Tensor end, Tensor weight)", node="LerpBackward1", inplace=True,
         function=False)(_lerp_)
register("lerp_.Scalar", "lerp_(Tensor self, Tensor end, Scalar weight)", node="LerpBackward0", inplace=True,
         function=False)(_lerp_)


# ----------------------------------------------------------------------------- clamp
def _clamp_values(self: Tensor, min: Any, max: Any) -> tuple[Any, D.dtype, tuple[int, ...]]:
    """ATen's clamp (TensorCompare.cpp): no complex input, at least one bound, the result in the dtype
    promoted with the bounds; a bool result has no kernel for number bounds, nor for two tensor bounds."""
    if self._dtype.is_complex:
        raise NotImplementedError("clamp is not supported for complex types")
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    bounds = [b for b in (min, max) if b is not None]
    promoted = operands_result_type(self, *bounds)
    if promoted is D.bool:
        if not isinstance(bounds[0], Tensor):
            kernel = "clamp_scalar_cpu" if len(bounds) == 2 else "clamp_min_scalar_cpu" if min is not None \
                else "clamp_max_scalar_cpu"
            raise unsupported_dtype(kernel, D.bool)
        if len(bounds) == 2:
            raise unsupported_dtype("clamp_cpu", D.bool)
    tensors = [x for x in (self, *bounds) if isinstance(x, Tensor)]
    same_device(tensors)
    shape = broadcast_shapes(*(t._shape for t in tensors))
    backend = self._backend
    xp = backend.xp
    values = as_operand(self, promoted, backend)
    # torch: max wins when min > max (the result is min(max(x, lo), hi)).
    if min is not None:
        values = xp.maximum(values, as_operand(min, promoted, backend))
    if max is not None:
        values = xp.minimum(values, as_operand(max, promoted, backend))
    return values, promoted, shape


def _clamp(self: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """``torch.clamp``: ``min(max(x, min), max)``; the result dtype promotes with the bounds."""
    values, dtype, _ = _clamp_values(self, min, max)
    return from_array(values, dtype, self.device, self._backend)


def _clamp_(self: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """In-place clamp; torch words its cast error with the demangled C++ type name here ("long int")."""
    check_memory(self, min, max)
    values, dtype, shape = _clamp_values(self, min, max)
    if not can_cast(dtype, self._dtype):
        raise RuntimeError(f"result type {dtype.scalar_name} can't be cast to the desired output type "
                           f"{self._dtype.demangled_name}")
    return write_result(self, values, dtype, shape)


for _name in ("clamp", "clip"):
    register(f"{_name}.Tensor", f"{_name}(Tensor input, Tensor? min=None, Tensor? max=None, *, Tensor out=None)",
             node="ClampBackward0")(_clamp)
    register(_name, f"{_name}(Tensor input, Scalar? min=None, Scalar? max=None, *, Tensor out=None)",
             node="ClampBackward1")(_clamp)
    register(f"{_name}_.Tensor", f"{_name}_(Tensor input, Tensor? min=None, Tensor? max=None)", node="ClampBackward0",
             inplace=True)(_clamp_)
    register(f"{_name}_", f"{_name}_(Tensor input, Scalar? min=None, Scalar? max=None)", node="ClampBackward1",
             inplace=True)(_clamp_)


# clamp_min / clamp_max: clamp with one bound (Tensor overloads first, as torch's parser lists them)
for _name, _bound in (("clamp_min", "min"), ("clamp_max", "max")):
    _node = "ClampMinBackward" if _bound == "min" else "ClampMaxBackward"
    register(f"{_name}.Tensor", f"{_name}(Tensor input, Tensor {_bound}, *, Tensor out=None)", node=f"{_node}1")(
        lambda self, bound, key=_bound: _clamp(self, **{key: bound}))
    register(_name, f"{_name}(Tensor input, Scalar {_bound}, *, Tensor out=None)", node=f"{_node}0")(
        lambda self, bound, key=_bound: _clamp(self, **{key: bound}))
    register(f"{_name}_.Tensor", f"{_name}_(Tensor input, Tensor {_bound})", node=f"{_node}1", inplace=True)(
        lambda self, bound, key=_bound: _clamp_(self, **{key: bound}))
    register(f"{_name}_", f"{_name}_(Tensor input, Scalar {_bound})", node=f"{_node}0", inplace=True)(
        lambda self, bound, key=_bound: _clamp_(self, **{key: bound}))


# ----------------------------------------------------------------------------- where / masked_fill
def _where(condition: Tensor, self: Any, other: Any) -> Tensor:
    """``torch.where(cond, x, y)`` picks from x where cond is True (cond must be bool); x and y may be
    numbers (torch wraps them as tensors)."""
    if condition._dtype is not D.bool:
        raise RuntimeError(
            f"where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{condition._dtype.scalar_name}")
    promoted = operands_result_type(self, other)
    tensors = [x for x in (condition, self, other) if isinstance(x, Tensor)]
    dev = same_device(tensors)
    broadcast_shapes(*(t._shape for t in tensors))
    backend = condition._backend
    values = backend.xp.where(condition._array, as_operand(self, promoted, backend),
                              as_operand(other, promoted, backend))
    return from_array(values, promoted, dev, backend)


@register("where", "where(Tensor condition)", composite=True, method=False)
def where_nonzero(condition: Tensor) -> Any:
    """``torch.where(cond)``: ``nonzero(cond, as_tuple=True)``."""
    return functions.nonzero(condition, as_tuple=True)


_WHERE_FORMS = (("self", "Tensor input", "Tensor other", ", *, Tensor out=None"),
                ("ScalarSelf", "Scalar self", "Tensor other", ""),
                ("ScalarOther", "Tensor input", "Scalar other", ""),
                ("Scalar", "Scalar self", "Scalar other", ""))
for _overload, _self, _other, _out in _WHERE_FORMS:
    register(f"where.{_overload}", f"where(Tensor condition, {_self}, {_other}{_out})", node="WhereBackward0",
             method=False)(_where)


def _where_method(self: Tensor, condition: Tensor, other: Any) -> Tensor:
    """``self.where(condition, other)`` is ``torch.where(condition, self, other)``."""
    return _where(condition, self, other)


register("where.self_method", "where(Tensor self, Tensor condition, Tensor other)", node="WhereBackward0",
         function=False)(_where_method)
register("where.ScalarOther_method", "where(Tensor self, Tensor condition, Scalar other)", node="WhereBackward0",
         function=False)(_where_method)


def _masked_fill_values(self: Tensor, mask: Tensor, value: Any) -> tuple[Any, tuple[int, ...]]:
    if mask._dtype is not D.bool:
        raise RuntimeError(
            f"masked_fill_ only supports boolean masks, but got mask with dtype {mask._dtype.demangled_name}")
    if isinstance(value, Tensor):
        if value.dim() != 0:
            raise RuntimeError(
                "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                f"{value.dim()} dimension(s).")
        value = value.item()
    shape = broadcast_shapes(self._shape, mask._shape)
    backend = self._backend
    if self._dtype.category < D.FLOATING and isinstance(value, float):
        fill = as_operand(value, D.float64, backend).astype(self._array.dtype)
    else:
        fill = as_operand(value, self._dtype, backend)
    return backend.xp.where(mask._array, fill, self._array), shape


def _masked_fill(self: Tensor, mask: Tensor, value: Any) -> Tensor:
    """A copy of ``input`` with ``value`` where the bool ``mask`` (broadcast) is True; keeps input's dtype."""
    values, _ = _masked_fill_values(self, mask, value)
    return from_array(values, self._dtype, self.device, self._backend)


def _masked_fill_(self: Tensor, mask: Tensor, value: Any) -> Tensor:
    """In-place ``masked_fill``; the mask may not broadcast this tensor to a larger shape."""
    values, shape = _masked_fill_values(self, mask, value)
    return write_result(self, values, self._dtype, shape)


register("masked_fill.Tensor", "masked_fill(Tensor input, Tensor mask, Tensor value)",
         node="MaskedFillBackward1")(_masked_fill)
register("masked_fill.Scalar", "masked_fill(Tensor input, Tensor mask, Scalar value)",
         node="MaskedFillBackward0")(_masked_fill)
register("masked_fill_.Tensor", "masked_fill_(Tensor self, Tensor mask, Tensor value)", node="MaskedFillBackward1",
         inplace=True, function=False)(_masked_fill_)
register("masked_fill_.Scalar", "masked_fill_(Tensor self, Tensor mask, Scalar value)", node="MaskedFillBackward0",
         inplace=True, function=False)(_masked_fill_)


# ----------------------------------------------------------------------------- relu's backward as an op
@register("threshold_backward", "threshold_backward(Tensor grad_output, Tensor self, Scalar threshold)",
          node="ThresholdBackwardBackward0", function=False, method=False)
def threshold_backward(grad_output: Tensor, self: Tensor, threshold: Any) -> Tensor:
    """``aten::threshold_backward``: ``grad_output`` where ``self > threshold``, zero elsewhere (relu's
    gradient; an op of its own so that a create_graph gradient of relu is differentiable again)."""
    backend = grad_output._backend
    xp = backend.xp
    values = zeros_where(xp, self._array <= threshold, grad_output._array)
    return from_array(values, grad_output._dtype, grad_output.device, backend)


# ----------------------------------------------------------------------------- Python operators
@register("__rtruediv__", "__rtruediv__(Tensor self, Scalar other)", composite=True, function=False)
def rtruediv(self: Tensor, other: Any) -> Tensor:
    """``other / self`` is ``self.reciprocal() * other`` in torch (so its grad_fn is MulBackward0)."""
    return functions.mul(functions.reciprocal(self), other)


@register("__rpow__", "__rpow__(Tensor self, Scalar other)", composite=True, function=False)
def rpow(self: Tensor, other: Any) -> Tensor:
    """``other ** self`` is ``torch.pow(other, self)``."""
    return functions.pow(other, self)


@register("__rfloordiv__", "__rfloordiv__(Tensor self, Scalar other)", composite=True, function=False)
def rfloordiv(self: Tensor, other: Any) -> Tensor:
    """``other // self`` is ``torch.floor_divide(other, self)``: the number stands for a tensor."""
    return functions.floor_divide(other, self)


@register("__rmod__", "__rmod__(Tensor self, Scalar other)", composite=True, function=False)
def rmod(self: Tensor, other: Any) -> Tensor:
    """``other % self`` is ``torch.remainder(other, self)`` (its number-first overload)."""
    return functions.remainder(other, self)


@register("__invert__", "__invert__(Tensor self)", composite=True, function=False)
def invert(self: Tensor) -> Tensor:
    """``~t``: ``bitwise_not`` for integer and bool tensors only."""
    if self._dtype.category >= D.FLOATING:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return functions.bitwise_not(self)


BINARY_BY_NAME = {spec.name: spec for spec in BINARY}

# Python operators: the dunder, and the torch name whose function-form overloads it calls with
# ``(self, other)``; a TypeError from parsing becomes NotImplemented, as torch's
# TypeError_to_NotImplemented_ wrappers (torch/csrc/autograd/python_variable_methods.cpp, torch/_tensor.py).
OPERATORS: dict[str, str] = {
    "__add__": "add", "__radd__": "add", "__iadd__": "add_", "__sub__": "sub", "__isub__": "sub_",
    "__rsub__": "rsub", "__mul__": "mul", "__rmul__": "mul", "__imul__": "mul_", "__truediv__": "div",
    "__itruediv__": "div_", "__rtruediv__": "__rtruediv__", "__floordiv__": "floor_divide",
    "__ifloordiv__": "floor_divide_", "__rfloordiv__": "__rfloordiv__", "__mod__": "remainder",
    "__imod__": "remainder_", "__rmod__": "__rmod__", "__pow__": "pow", "__ipow__": "pow_",
    "__rpow__": "__rpow__", "__and__": "bitwise_and", "__rand__": "bitwise_and", "__iand__": "bitwise_and_",
    "__or__": "bitwise_or", "__ror__": "bitwise_or", "__ior__": "bitwise_or_", "__xor__": "bitwise_xor",
    "__rxor__": "bitwise_xor", "__ixor__": "bitwise_xor_", "__lshift__": "bitwise_left_shift",
    "__ilshift__": "bitwise_left_shift_", "__rshift__": "bitwise_right_shift",
    "__irshift__": "bitwise_right_shift_", "__eq__": "eq", "__ne__": "ne", "__lt__": "lt", "__le__": "le",
    "__gt__": "gt", "__ge__": "ge", "__neg__": "neg", "__abs__": "abs", "__pos__": "positive",
    "__invert__": "__invert__",
}

__all__ = ["BINARY", "BINARY_BY_NAME", "OPERATORS", "UNARY", "as_operand", "binary", "binary_", "unary", "unary_"]
