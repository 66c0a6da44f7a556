"""Reductions: sum, mean, prod, var/std, max/min, amax/amin, argmax/argmin, all/any, cumsum/cumprod,
logsumexp, norm, count_nonzero, aminmax, median, and the comparisons equal/allclose/isclose.

Mirrors torch 2.13 on the CPU (aten/src/ATen/native/ReduceOps.cpp, TensorCompare.cpp):

- ``dim`` may be an int, a tuple/list of ints or None; None and ``()`` reduce every dim (except
  for ``all``/``any``, where ``()`` reduces nothing); ``keepdim`` keeps reduced dims as size 1;
  ``axis``/``keepdims`` are accepted as NumPy-style aliases, as torch's argument parser does;
- results are fresh contiguous tensors; integer and bool sums/products/cumulative ops give int64;
  float16 sums, means and cumulative ops accumulate in float32, as torch's accumulate type;
- ops with indices (``max(dim)``, ``aminmax``, ``median(dim)``) return named tuples of
  :data:`return_types`, whose repr matches torch's ``torch.return_types.max(\\nvalues=...)``;
- under autograd each differentiable op records torch's node (``SumBackward0``/``SumBackward1``,
  ``VarBackward0``, ``MaxBackward0``/``MaxBackward1``, ``LinalgVectorNormBackward0``...; formulas in
  autograd/reduction_grads.py); an integer ``dtype=`` result of an input that requires grad raises
  torch's "Autograd not support dtype"; index outputs never require grad.
"""

from __future__ import annotations

import functools
import math
import operator
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import _dtype as D
from .. import return_types
from .._promotion import promote_types
from .._storage import UntypedStorage
from .._strides import contiguous_strides
from .._tensor import Tensor
from ..autograd import reduction_grads as G
from ..autograd.grad_mode import STATE
from ..autograd.views import apply_inplace, check_inplace
from ..return_types import return_type
from ._inplace import check_memory, write_result
from ._util import (
    array_dtype,
    broadcast_shapes,
    cast_array,
    check_int,
    from_array,
    same_device,
    unsupported_dtype,
    wrap_dim,
    wrap_dims,
)
from .registry import functions

_MAX, _MIN = return_type("max"), return_type("min")
_AMINMAX = return_type("aminmax", ("min", "max"))
_MEDIAN, _NANMEDIAN = return_type("median"), return_type("nanmedian")

# ----------------------------------------------------------------------------- argument parsing
UNSET: Any = object()  # "argument not given" where None is itself a meaningful (or invalid) value


def _type_name(value: Any) -> str:
    return "Tensor" if value is Tensor or isinstance(value, Tensor) else type(value).__name__


def invalid_arguments(fn: str, *args: Any, **kwargs: Any) -> TypeError:
    """torch's overload-resolution error: ``sum() received an invalid combination of arguments - got
    (Tensor, float), but expected one of: ...`` (reftorch names the arguments it got)."""
    got = [_type_name(a) for a in args] + [f"{k}={_type_name(v)}" for k, v in kwargs.items()]
    return TypeError(f"{fn}() received an invalid combination of arguments - got ({', '.join(got)}), "
                     "but expected one of the documented signatures")


def check_bool(value: Any, fn: str, name: str, position: int) -> bool:
    """Flags such as ``keepdim`` must be real bools, as torch's argument parser demands."""
    if not isinstance(value, bool):
        raise TypeError(
            f"{fn}(): argument '{name}' (position {position}) must be bool, not {_type_name(value)}")
    return value


def check_dtype(value: Any, fn: str) -> D.dtype | None:
    """``dtype=`` accepts a dtype, None, or the Python types float/int/bool/complex (torch maps them)."""
    if value is None or isinstance(value, D.dtype):
        return value
    mapped = {float: D.float64, int: D.int64, bool: D.bool, complex: D.complex128}.get(value)
    if mapped is None:
        raise invalid_arguments(fn, dtype=value)
    return mapped


def numpy_names(fn: Callable) -> Callable:
    """Accept ``axis=`` for ``dim=`` and ``keepdims=`` for ``keepdim=`` (torch's NumPy aliases)."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if kwargs and ("axis" in kwargs or "keepdims" in kwargs):
            for alias, name in (("axis", "dim"), ("keepdims", "keepdim")):
                if alias in kwargs:
                    if name in kwargs:
                        raise TypeError(f"{fn.__name__}() got multiple values for argument '{name}'")
                    kwargs[name] = kwargs.pop(alias)
        return fn(*args, **kwargs)

    return wrapper


def reduce_dims(dim: Any, ndim: int, fn: str, empty_reduces_all: bool = True) -> tuple[int, ...]:
    """The wrapped dims named by ``dim`` (int, tuple/list of ints, or None = all dims)."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (bool, float)):
        raise invalid_arguments(fn, Tensor, dim)
    if hasattr(dim, "__index__"):
        return (wrap_dim(operator.index(dim), ndim),)
    if not isinstance(dim, (tuple, list)):
        raise invalid_arguments(fn, Tensor, dim)
    for position, d in enumerate(dim, start=1):
        if isinstance(d, (bool, float)) or not hasattr(d, "__index__"):
            raise TypeError(f"{fn}(): argument 'dim' failed to unpack the object at pos {position} with "
                            f"error \"type must be tuple of ints,but got {type(d).__name__}\"")
    if not dim:
        return tuple(range(ndim)) if empty_reduces_all else ()
    return wrap_dims(dim, ndim)


def reduced_shape(shape: tuple[int, ...], dims: tuple[int, ...], keepdim: bool) -> tuple[int, ...]:
    """The result shape of reducing ``dims`` (kept as size 1 with ``keepdim``)."""
    if keepdim:
        return tuple(1 if d in dims else s for d, s in enumerate(shape))
    return tuple(s for d, s in enumerate(shape) if d not in dims)


def _axes(input: Tensor, dims: tuple[int, ...]) -> tuple[int, ...]:
    """Array axes for ``dims`` (a zero-dim tensor accepts dim 0/-1 but has no axis)."""
    return dims if input._shape else ()


def wrap_result(arr: Any, dtype: D.dtype, like: Tensor, shape: tuple[int, ...] | None = None) -> Tensor:
    """A fresh contiguous tensor of ``dtype`` on ``like``'s device holding ``arr`` (reshaped to ``shape``).
    ``arr`` must be a freshly computed array (it is wrapped, not copied, when it already fits)."""
    backend = like._backend
    xp = backend.xp
    arr = xp.asarray(arr)
    if shape is not None:
        arr = arr.reshape(shape)
    want = array_dtype(backend, dtype)
    if arr.dtype != want:
        with backend.quiet():  # narrowing (e.g. to float16) overflows to inf silently, as in torch
            arr = arr.astype(want)
    if not arr.flags.c_contiguous:
        arr = xp.ascontiguousarray(arr)
    return from_array(arr, dtype, like.device, backend)


def _scalar_result(value: Any, dtype: D.dtype, like: Tensor) -> Tensor:
    """A zero-dim tensor holding ``value`` (a backend scalar or 0-d array already of ``dtype``)."""
    storage = like._storage
    return Tensor._make(UntypedStorage(value.reshape(1), storage.device, storage.backend), (), (), 0, dtype)


def tensor_with_strides(values: Any, shape: tuple[int, ...], strides: tuple[int, ...], dtype: D.dtype,
                        like: Tensor) -> Tensor:
    """A new tensor with exactly ``strides`` (which must be dense) holding ``values`` (of ``shape``)."""
    backend = like._backend
    flat = backend.xp.empty(math.prod(shape), dtype=array_dtype(backend, dtype))
    if flat.size:
        with backend.quiet():
            backend.strided_view(flat, 0, shape, strides)[...] = values
    return Tensor._make(UntypedStorage(flat, like.device, backend), shape, strides, 0, dtype)


def _check_input(input: Any, fn: str) -> None:
    if not isinstance(input, Tensor):
        raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not {_type_name(input)}")


def _accumulate_dtype(dtype: D.dtype) -> D.dtype:
    """torch's CPU accumulate type: float16 sums accumulate in float32."""
    return D.float32 if dtype is D.float16 else dtype


def _compute_array(input: Tensor, dtype: D.dtype, widen_half: bool = True) -> Any:
    """``input``'s elements cast to ``dtype`` (torch's copy rules), widened to the accumulate type."""
    arr = cast_array(input._backend, input._array, dtype)
    acc = _accumulate_dtype(dtype) if widen_half else dtype
    return arr.astype(acc.array_name) if acc is not dtype else arr


# ----------------------------------------------------------------------------- sum / prod / mean
@dataclass(frozen=True)
class _Accumulation:
    """A sum-like reduction. ``compute(xp, arr, axes)`` reduces with keepdims; ``floating`` ops (mean)
    need a floating/complex dtype; ``int_dim`` ops (prod) take a single int dim."""

    name: str
    compute: Callable[[Any, Any, tuple[int, ...]], Any]
    floating: bool = False
    int_dim: bool = False
    nan_aware: bool = False
    widen_half: bool = True
    nodes: tuple[str, str] = ("", "")  # autograd node names without / with a ``dim`` argument


def _count(arr: Any, axes: tuple[int, ...]) -> int:
    return math.prod(arr.shape[a] for a in axes)


def _sum(xp, arr, axes):
    if arr.dtype.kind == "b":
        return arr.any(axis=axes, keepdims=True)
    return arr.sum(axis=axes, keepdims=True)


def _prod(xp, arr, axes):
    if arr.dtype.kind == "b":
        return xp.all(arr, axis=axes, keepdims=True)
    if arr.dtype.itemsize == 2 and arr.dtype.kind == "f":
        # torch multiplies float16 in float16 (overflow to inf happens mid-way); NumPy would keep a
        # float32 accumulator, so multiply the reduced elements one by one.
        kept = tuple(a for a in range(arr.ndim) if a not in axes)
        rows = arr.transpose(kept + tuple(axes))
        rows = rows.reshape(tuple(arr.shape[a] for a in kept) + (_count(arr, axes),))
        result = xp.ones(rows.shape[:-1], dtype=arr.dtype)
        for i in range(rows.shape[-1]):
            result = result * rows[..., i]
        return result.reshape(tuple(1 if a in axes else arr.shape[a] for a in range(arr.ndim)))
    return xp.prod(arr, axis=axes, keepdims=True)


def _nansum(xp, arr, axes):
    return xp.nansum(arr, axis=axes, keepdims=True) if arr.dtype.kind in "fc" else _sum(xp, arr, axes)


def _mean(xp, arr, axes):
    return arr.sum(axis=axes, keepdims=True) / arr.dtype.type(_count(arr, axes))


def _nanmean(xp, arr, axes):
    return xp.nansum(arr, axis=axes, keepdims=True) / xp.sum(~xp.isnan(arr), axis=axes, keepdims=True)


_ACCUMULATIONS = {
    spec.name: spec for spec in (
        _Accumulation("sum", _sum, nodes=("SumBackward0", "SumBackward1")),
        _Accumulation("nansum", _nansum, nan_aware=True),
        _Accumulation("prod", _prod, int_dim=True, widen_half=False),
        _Accumulation("mean", _mean, floating=True, nodes=("MeanBackward0", "MeanBackward1")),
        _Accumulation("nanmean", _nanmean, floating=True, nan_aware=True),
    )
}


def _accumulation_dtype(spec: _Accumulation, input: Tensor, dtype: D.dtype | None) -> D.dtype:
    """torch's result dtype: ``dtype`` if given; int/bool sums and products give int64; mean needs
    a floating or complex dtype."""
    if spec.nan_aware and input._dtype.is_complex:
        raise RuntimeError("nansum on CPU does not support complex inputs")
    if spec.floating:
        floating = (D.FLOATING, D.COMPLEX)
        if spec.nan_aware and input._dtype.category not in floating:
            raise RuntimeError(f"nanmean(): expected input to have floating point or complex dtype but got "
                               f"{input._dtype.scalar_name}")
        if dtype is not None and dtype.category not in floating:
            raise RuntimeError(f"{spec.name}(): could not infer output dtype. Optional dtype must be either "
                               f"a floating point or complex dtype. Got: {dtype.scalar_name}")
        if dtype is None and input._dtype.category not in floating:
            raise RuntimeError(f"{spec.name}(): could not infer output dtype. Input dtype must be either a "
                               f"floating point or complex dtype. Got: {input._dtype.scalar_name}")
    if dtype is not None:
        return dtype
    return D.int64 if input._dtype.category <= D.INTEGER else input._dtype


def _accumulate(spec: _Accumulation, input: Tensor, dim: Any, keepdim: Any, dtype: Any) -> Tensor:
    _check_input(input, spec.name)
    dtype = check_dtype(dtype, spec.name)
    given = dim is not UNSET
    if not given:
        if keepdim is not UNSET and not spec.nan_aware:  # sum(input, *, dtype) takes no keepdim
            raise invalid_arguments(spec.name, input, keepdim=keepdim)
        dim = None
    elif spec.int_dim and (isinstance(dim, bool) or not hasattr(dim, "__index__")):
        raise invalid_arguments(spec.name, input, dim)
    keepdim = False if keepdim is UNSET else check_bool(keepdim, spec.name, "keepdim", 3)
    dims = reduce_dims(dim, input.dim(), spec.name)
    result_dtype = _accumulation_dtype(spec, input, dtype)
    grad = STATE.enabled and input._requires_grad
    if grad:
        G.check_differentiable(result_dtype)
        if spec.name == "nanmean":
            return _nanmean_graph(input, dim, keepdim, dtype)
    arr = _compute_array(input, result_dtype, spec.widen_half)
    backend = input._backend
    with backend.quiet():
        values = spec.compute(backend.xp, arr, _axes(input, dims))
    out = wrap_result(values, result_dtype, input, reduced_shape(input._shape, dims, keepdim))
    if grad:
        named = dims if dim is not None and not (isinstance(dim, (tuple, list)) and not dim) else ()
        if spec.name == "nansum":
            G.record_nansum(out, input, named, keepdim)
        elif spec.name == "prod":
            G.record_prod(out, input, dims[0] if given else None, keepdim)
        else:
            G.record_sum(spec.nodes[given], out, input, named, keepdim)
    return out


def _nanmean_graph(input: Tensor, dim: Any, keepdim: bool, dtype: D.dtype | None) -> Tensor:
    """``nanmean`` under autograd, as torch composes it: ``nansum`` divided by the number of non-NaN
    elements (NansumBackward0 under a DivBackward0)."""
    count = input.isnan().logical_not().sum(dim, keepdim)
    return nansum(input, dim, keepdim, dtype=dtype) / count


def _make_accumulation(spec: _Accumulation):
    @numpy_names
    def op(input: Tensor, dim: Any = UNSET, keepdim: Any = UNSET, *, dtype: D.dtype | None = None) -> Tensor:
        return _accumulate(spec, input, dim, keepdim, dtype)

    op.__name__ = op.__qualname__ = spec.name
    op.__doc__ = (f"``torch.{spec.name}(input, dim=None, keepdim=False, *, dtype=None)``: the input is cast "
                  "to ``dtype`` first; integer and bool inputs give int64 unless ``dtype`` says otherwise.")
    return op


nansum, prod, nanmean = (_make_accumulation(_ACCUMULATIONS[name]) for name in ("nansum", "prod", "nanmean"))

# float sums of every element are the hot path of ``loss.sum().backward()``: one NumPy call, no checks
_OWN_ACCUMULATOR = frozenset((D.float32, D.float64, D.complex64, D.complex128))


def _whole(input: Any, dim: Any, keepdim: Any, dtype: Any) -> bool:
    return (dim is UNSET and keepdim is UNSET and dtype is None and isinstance(input, Tensor)
            and input._dtype in _OWN_ACCUMULATOR)


# Builtin-shadowing torch names (sum, max, min, all, any) are bound as ``<name>_op`` in this module.
@numpy_names
def sum_op(input: Tensor, dim: Any = UNSET, keepdim: Any = UNSET, *, dtype: D.dtype | None = None) -> Tensor:
    """``torch.sum(input, *, dtype=None)`` / ``torch.sum(input, dim, keepdim=False, *, dtype=None)``: the
    input is cast to ``dtype`` first; integer and bool inputs give int64 unless ``dtype`` says
    otherwise; float16 accumulates in float32. Records SumBackward0 (no dim) / SumBackward1."""
    if not _whole(input, dim, keepdim, dtype):
        return _accumulate(_ACCUMULATIONS["sum"], input, dim, keepdim, dtype)
    out = _scalar_result(input._storage.backend.quietly(input._array.sum), input._dtype, input)
    if input._requires_grad and STATE.enabled:
        G.record_sum("SumBackward0", out, input, (), False)
    return out


@numpy_names
def mean(input: Tensor, dim: Any = UNSET, keepdim: Any = UNSET, *, dtype: D.dtype | None = None) -> Tensor:
    """``torch.mean`` (same overloads as ``sum``): needs a floating or complex input or ``dtype``; the
    mean of no elements is NaN. Records MeanBackward0 (no dim) / MeanBackward1."""
    if not _whole(input, dim, keepdim, dtype):
        return _accumulate(_ACCUMULATIONS["mean"], input, dim, keepdim, dtype)
    arr = input._array
    with input._backend.quiet():
        out = _scalar_result(arr.sum() / arr.size, input._dtype, input)  # NEP 50: stays in arr's dtype
    if input._requires_grad and STATE.enabled:
        G.record_sum("MeanBackward0", out, input, (), False)
    return out


# ----------------------------------------------------------------------------- var / std
def _correction(fn: str, input: Tensor, dim: Any, unbiased: Any, keepdim: Any, correction: Any,
                ) -> tuple[Any, bool, float]:
    """Resolve torch's overloads ``(dim, unbiased, keepdim)``, ``(unbiased)`` and
    ``(dim, *, correction, keepdim)`` to (dim, keepdim, correction)."""
    if isinstance(dim, bool):  # var(input, unbiased)
        if unbiased is not UNSET or keepdim is not UNSET:
            raise invalid_arguments(fn, input, dim, unbiased)
        dim, unbiased = None, dim
    if unbiased is not UNSET and correction is not UNSET:
        raise invalid_arguments(fn, input, dim, unbiased=unbiased, correction=correction)
    keepdim = False if keepdim is UNSET else keepdim
    if not isinstance(keepdim, bool):
        raise invalid_arguments(fn, input, dim, keepdim=keepdim)
    if unbiased is not UNSET:
        if not isinstance(unbiased, bool):
            raise invalid_arguments(fn, input, dim, unbiased=unbiased)
        return dim, keepdim, 1.0 if unbiased else 0.0
    if correction is UNSET or correction is None:
        return dim, keepdim, 1.0
    if isinstance(correction, Tensor) or not isinstance(correction, (int, float)):
        raise invalid_arguments(fn, input, dim, correction=correction)
    return dim, keepdim, float(correction)


def _moments(fn: str, input: Tensor, dims: tuple[int, ...], corr: float, shape: tuple[int, ...],
             ) -> tuple[Any, Any]:
    """(variance array, mean array), computed in double precision as torch's CPU kernels accumulate;
    warns as torch when the degrees of freedom are <= 0."""
    if input._dtype.category not in (D.FLOATING, D.COMPLEX):
        what = fn if fn.endswith("_mean") else "std and var"
        raise RuntimeError(f"{what} only support floating point and complex dtypes")
    out_numel = math.prod(shape)
    if input.numel() // max(out_numel, 1) - corr <= 0:
        # complex inputs reduce the real and imaginary parts separately, so torch warns twice
        for _ in range(2 if input._dtype.is_complex else 1):
            warnings.warn(f"{fn}(): degrees of freedom is <= 0. Correction should be strictly less than "
                          "the reduction factor (input numel divided by output numel).", UserWarning,
                          stacklevel=4)
    xp = input._backend.xp
    wide = "complex128" if input._dtype.is_complex else "float64"
    arr = input._array.astype(wide)
    axes = _axes(input, dims)
    with input._backend.quiet():
        n = _count(arr, axes)
        mean_arr = xp.sum(arr, axis=axes, keepdims=True) / n
        deviation = arr - mean_arr
        squares = (deviation.real ** 2 + deviation.imag ** 2) if input._dtype.is_complex else deviation ** 2
        var_arr = xp.sum(squares, axis=axes, keepdims=True) / max(0.0, n - corr)
    return var_arr, mean_arr


_MOMENT_NODES = {"var": "VarBackward0", "std": "StdBackward0", "var_mean": "VarMeanBackward0",
                 "std_mean": "StdMeanBackward0"}


def _make_moment(name: str, root: bool, with_mean: bool):
    @numpy_names
    def op(input: Tensor, dim: Any = None, unbiased: Any = UNSET, keepdim: Any = UNSET, *extra: Any,
           correction: Any = UNSET) -> Any:
        if extra:
            raise invalid_arguments(name, input, dim, unbiased, keepdim, *extra)
        _check_input(input, name)
        dim, keepdim, corr = _correction(name, input, dim, unbiased, keepdim, correction)
        dims = reduce_dims(dim, input.dim(), name)
        shape = reduced_shape(input._shape, dims, keepdim)
        var_arr, mean_arr = _moments(name, input, dims, corr, shape)
        if root:
            with input._backend.quiet():
                var_arr = input._backend.xp.sqrt(var_arr)
        spread = wrap_result(var_arr, input._dtype.to_real(), input, shape)
        outputs = (spread, wrap_result(mean_arr, input._dtype, input, shape)) if with_mean else spread
        if STATE.enabled and input._requires_grad:
            named = None if dim is None else () if isinstance(dim, (tuple, list)) and not dim else dims
            G.record_moment(_MOMENT_NODES[name], outputs, input, named, corr, keepdim)
        return outputs

    op.__name__ = op.__qualname__ = name
    op.__doc__ = (f"``torch.{name}``: accepts ``(dim, unbiased, keepdim)``, ``(unbiased)`` and "
                  "``(dim, *, correction, keepdim)``; divides by ``max(0, N - correction)`` (inf or nan, "
                  "with torch's UserWarning, when that is <= 0); complex inputs give real results. Records "
                  f"{_MOMENT_NODES[name]} (a dim list that is empty counts one element per reduction in the "
                  "gradient, as torch's formula does).")
    return op


var, std = _make_moment("var", False, False), _make_moment("std", True, False)
var_mean, std_mean = _make_moment("var_mean", False, True), _make_moment("std_mean", True, True)


# ----------------------------------------------------------------------------- amax / amin / max / min
def _check_nonempty_dims(fn: str, input: Tensor, dims: tuple[int, ...], raw: tuple[int, ...] | None = None,
                         sep: str = "():") -> None:
    """Reductions without identity refuse to reduce a size-0 dim (IndexError)."""
    if not input._shape:
        return
    for wrapped, shown in zip(dims, raw or dims):
        if input._shape[wrapped] == 0:
            raise IndexError(f"{fn}{sep} Expected reduction dim {shown} to have non-zero size.")


def _empty_all_error(fn: str) -> RuntimeError:
    return RuntimeError(f"{fn}(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                        "reduction dim with the 'dim' argument.")


def _extreme(xp, arr, axes, largest: bool):
    return (xp.max if largest else xp.min)(arr, axis=axes, keepdims=True)


def _make_amax(name: str, largest: bool):
    @numpy_names
    def op(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
        _check_input(input, name)
        check_bool(keepdim, name, "keepdim", 3)
        dims = reduce_dims(dim, input.dim(), name)
        if input._dtype.is_complex:
            raise unsupported_dtype(f"{name[1:]}_values_cpu", input._dtype)
        if input.numel() == 0 and input._shape:
            if dim is None or (isinstance(dim, (tuple, list)) and not dim):
                raise _empty_all_error(name)
            raw = (dim,) if hasattr(dim, "__index__") else tuple(dim)
            _check_nonempty_dims(name, input, dims, raw)
        xp = input._backend.xp
        values = _extreme(xp, input._array, _axes(input, dims), largest)
        out = wrap_result(values, input._dtype, input, reduced_shape(input._shape, dims, keepdim))
        if STATE.enabled and input._requires_grad:
            G.record_amax(node, out, input, dims, keepdim)
        return out

    node = "AmaxBackward0" if largest else "AminBackward0"
    op.__name__ = op.__qualname__ = name
    op.__doc__ = (f"``torch.{name}(input, dim=(), keepdim=False)``: NaN propagates; an empty reduction "
                  f"raises (the op has no identity); complex inputs are not supported. Records {node} "
                  "(ties share the gradient equally).")
    return op


amax, amin = _make_amax("amax", True), _make_amax("amin", False)


def _values_indices(name: str, input: Tensor, dim: Any, keepdim: Any, largest: bool, result: type) -> Any:
    """``max(input, dim)``-style results: (values, first index of the extreme; NaN wins)."""
    if isinstance(dim, bool) or not hasattr(dim, "__index__"):
        raise invalid_arguments(name, input, dim)
    if not isinstance(keepdim, bool):
        raise invalid_arguments(name, input, dim, keepdim)
    d = wrap_dim(operator.index(dim), input.dim())
    if input._dtype.is_complex:
        raise RuntimeError(f"{name}(): does not support complex input")
    _check_nonempty_dims(name, input, (d,))
    xp = input._backend.xp
    shape = reduced_shape(input._shape, (d,), keepdim)
    arr = input._array
    if not input._shape:
        values, indices = arr.copy(), xp.zeros((), dtype="int64")
    else:
        values = _extreme(xp, arr, (d,), largest)
        if arr.size == 0:
            indices = xp.zeros(values.shape, dtype="int64")
        else:
            indices = (xp.argmax if largest else xp.argmin)(arr, axis=d, keepdims=True)
    outputs = result((wrap_result(values, input._dtype, input, shape),
                      wrap_result(indices, D.int64, input, shape)))
    if STATE.enabled and input._requires_grad:
        G.record_selecting(f"{name.capitalize()}Backward0", outputs, input, d, keepdim)
    return outputs


def _make_max(name: str, largest: bool, result: type):
    binary = "maximum" if largest else "minimum"

    @numpy_names
    def op(input: Tensor, dim: Any = UNSET, keepdim: Any = UNSET, *, other: Any = None) -> Any:
        _check_input(input, name)
        if other is not None or isinstance(dim, Tensor):
            other = dim if other is None else other
            mixed = keepdim is not UNSET or (dim is not UNSET and dim is not other)
            if not isinstance(other, Tensor) or mixed:
                raise invalid_arguments(name, input, other)
            return getattr(functions, binary)(input, other)
        if dim is UNSET:
            if keepdim is not UNSET:
                raise invalid_arguments(name, input, keepdim=keepdim)
            if input._dtype.is_complex:
                raise unsupported_dtype(f"{name}_all", input._dtype)
            if input.numel() == 0:
                raise _empty_all_error(name)
            values = _extreme(input._backend.xp, input._array, None, largest)
            out = wrap_result(values, input._dtype, input, ())
            if STATE.enabled and input._requires_grad:
                G.record_evenly(f"{name.capitalize()}Backward1", out, input)
            return out
        return _values_indices(name, input, dim, False if keepdim is UNSET else keepdim, largest, result)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = (f"``torch.{name}``: ``{name}(input)`` is a zero-dim tensor; ``{name}(input, dim, "
                  f"keepdim=False)`` returns ``torch.return_types.{name}(values, indices)`` with the first "
                  f"index of the extreme (NaN counts as the extreme); ``{name}(input, other)`` is "
                  f"``{binary}``. Records {name.capitalize()}Backward1 (ties share the gradient) / "
                  f"{name.capitalize()}Backward0 (the gradient goes to the index).")
    return op


max_op, min_op = _make_max("max", True, _MAX), _make_max("min", False, _MIN)


def _make_argmax(name: str, largest: bool):
    @numpy_names
    def op(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
        _check_input(input, name)
        if dim is not None:
            dim = check_int(dim, name, "dim", 2)
        check_bool(keepdim, name, "keepdim", 3)
        if input._dtype is D.bool:
            raise RuntimeError(f"{name}(): does not support bool input")
        if input._dtype.is_complex:
            raise RuntimeError(f"{name}(): does not support complex input")
        xp = input._backend.xp
        find = xp.argmax if largest else xp.argmin
        if dim is None:
            if input.numel() == 0:
                raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
            shape = (1,) * input.dim() if keepdim else ()
            return wrap_result(find(input._array.reshape(-1)), D.int64, input, shape)
        d = wrap_dim(dim, input.dim())
        _check_nonempty_dims(name, input, (d,))
        shape = reduced_shape(input._shape, (d,), keepdim)
        if not input._shape:
            return wrap_result(0, D.int64, input, shape)
        if input.numel() == 0:
            return wrap_result(xp.zeros(shape, dtype="int64"), D.int64, input)
        return wrap_result(find(input._array, axis=d, keepdims=True), D.int64, input, shape)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = (f"``torch.{name}(input, dim=None, keepdim=False)``: int64 index of the first extreme (NaN "
                  "counts as the extreme); ``dim=None`` indexes the flattened input.")
    return op


argmax, argmin = _make_argmax("argmax", True), _make_argmax("argmin", False)


def aminmax(input: Tensor, *, dim: int | None = None, keepdim: bool = False) -> Any:
    """``torch.aminmax(input, *, dim=None, keepdim=False)`` -> ``torch.return_types.aminmax(min, max)``.
    Records AminmaxBackward0 (each extreme's gradient shared by its ties)."""
    _check_input(input, "aminmax")
    check_bool(keepdim, "aminmax", "keepdim", 3)
    if input._dtype.is_complex:
        raise unsupported_dtype("aminmax_cpu", input._dtype)
    xp = input._backend.xp
    if dim is None:
        if input.numel() == 0:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the operation "
                               "has no identity.")
        dims: tuple[int, ...] = tuple(range(input.dim()))
    else:
        dims = (wrap_dim(check_int(dim, "aminmax", "dim", 2), input.dim()),)
        _check_nonempty_dims("aminmax", input, dims, sep=":")
    shape = reduced_shape(input._shape, dims, keepdim)
    axes = _axes(input, dims)
    outputs = _AMINMAX((wrap_result(_extreme(xp, input._array, axes, False), input._dtype, input, shape),
                        wrap_result(_extreme(xp, input._array, axes, True), input._dtype, input, shape)))
    if STATE.enabled and input._requires_grad:
        G.record_aminmax(outputs, input, dims, keepdim)
    return outputs


# ----------------------------------------------------------------------------- median
def _median_all(input: Tensor, skip_nan: bool) -> Tensor:
    xp = input._backend.xp
    flat = input._array.reshape(-1)
    if flat.size == 0:
        return wrap_result(_empty_median(input._dtype), input._dtype, input, ())
    if not skip_nan and input._dtype.is_floating_point and bool(xp.isnan(flat).any()):
        return wrap_result(xp.nan, input._dtype, input, ())
    ordered = xp.sort(flat)
    valid = int((~xp.isnan(ordered)).sum()) if skip_nan and input._dtype.is_floating_point else flat.size
    return wrap_result(ordered[max(valid - 1, 0) // 2], input._dtype, input, ())


def _empty_median(dtype: D.dtype) -> Any:
    """torch's median of no elements: NaN, converted as the CPU converts NaN (int32/int64: their minimum)."""
    if dtype.is_floating_point:
        return math.nan
    return {D.int64: -2 ** 63, D.int32: -2 ** 31}.get(dtype, 0)


def _median_dim(name: str, input: Tensor, dim: Any, keepdim: bool, skip_nan: bool, result: type) -> Any:
    """torch orders equal values by position and takes rank ``(n - 1) // 2``; NaN sorts last: median
    returns the first NaN, nanmedian ranks only the non-NaN values."""
    d = wrap_dim(check_int(dim, name, "dim", 2), input.dim())
    check_bool(keepdim, name, "keepdim", 3)
    _check_nonempty_dims(name, input, (d,))
    xp = input._backend.xp
    shape = reduced_shape(input._shape, (d,), keepdim)
    if input.numel() == 0:
        return result((wrap_result(xp.zeros(shape, input._array.dtype), input._dtype, input),
                       wrap_result(xp.zeros(shape, "int64"), D.int64, input)))
    arr = input._array.reshape(input._shape or (1,))
    axis = d if input._shape else 0
    n = arr.shape[axis]
    order = xp.argsort(arr, axis=axis, kind="stable")
    rank = xp.full(shape_with(arr.shape, axis, 1), (n - 1) // 2, dtype="int64")
    if arr.dtype.kind == "f":
        nans = xp.isnan(arr).sum(axis=axis, keepdims=True)
        rank = xp.maximum(n - nans - 1, 0) // 2 if skip_nan else xp.where(nans > 0, n - nans, rank)
    index = xp.take_along_axis(order, rank, axis=axis)
    values = xp.take_along_axis(arr, index, axis=axis)
    return result((wrap_result(values, input._dtype, input, shape),
                   wrap_result(index, D.int64, input, shape)))


def shape_with(shape: tuple[int, ...], axis: int, size: int) -> tuple[int, ...]:
    """``shape`` with dim ``axis`` replaced by ``size``."""
    return shape[:axis] + (size,) + shape[axis + 1:]


def _make_median(name: str, skip_nan: bool, result: type):
    def op(input: Tensor, dim: Any = UNSET, keepdim: bool = False) -> Any:
        _check_input(input, name)
        if input._dtype.category in (D.BOOL, D.COMPLEX):
            raise unsupported_dtype("median_cpu" if dim is UNSET else "median_out", input._dtype)
        grad = STATE.enabled and input._requires_grad
        if dim is UNSET:
            out = _median_all(input, skip_nan)
            if grad:
                G.record_evenly(f"{node}0", out, input)
            return out
        outputs = _median_dim(name, input, dim, keepdim, skip_nan, result)
        if grad:
            G.record_selecting(f"{node}1", outputs, input, wrap_dim(dim, input.dim()), keepdim)
        return outputs

    node = f"{name.capitalize()}Backward"
    op.__name__ = op.__qualname__ = name
    what = "non-NaN values (NaN if all are NaN)" if skip_nan else "values (NaN if any is NaN)"
    op.__doc__ = (f"``torch.{name}``: the lower median of the {what}; with ``dim`` returns "
                  f"``torch.return_types.{name}(values, indices)``, the index being the one at rank "
                  "``(n - 1) // 2`` when equal values are ordered by position, as torch's CPU kernel. "
                  f"Records {node}0 (the gradient shared by the elements equal to the median) / {node}1 (the "
                  "gradient goes to the index).")
    return numpy_names(op)


median, nanmedian = _make_median("median", False, _MEDIAN), _make_median("nanmedian", True, _NANMEDIAN)


# ----------------------------------------------------------------------------- all / any / count_nonzero
def _make_logical(name: str):
    @numpy_names
    def op(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
        _check_input(input, name)
        check_bool(keepdim, name, "keepdim", 3)
        dims = reduce_dims(dim, input.dim(), name, empty_reduces_all=False)
        result_dtype = D.uint8 if input._dtype is D.uint8 else D.bool
        xp = input._backend.xp
        values = getattr(xp, name)(input._array != 0, axis=_axes(input, dims), keepdims=True)
        return wrap_result(values, result_dtype, input, reduced_shape(input._shape, dims, keepdim))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = (f"``torch.{name}(input, dim=None, keepdim=False)``: bool result (uint8 for uint8 input); "
                  "``dim=()`` reduces nothing.")
    return op


all_op, any_op = _make_logical("all"), _make_logical("any")


@numpy_names
def count_nonzero(input: Tensor, dim: Any = None, *extra: Any) -> Tensor:
    """``torch.count_nonzero(input, dim=None)``: int64 count of non-zero elements (NaN counts)."""
    _check_input(input, "count_nonzero")
    if extra:
        raise invalid_arguments("count_nonzero", input, dim, *extra)
    dims = reduce_dims(dim, input.dim(), "count_nonzero")
    xp = input._backend.xp
    values = xp.sum(input._array != 0, axis=_axes(input, dims), dtype="int64", keepdims=True)
    return wrap_result(values, D.int64, input, reduced_shape(input._shape, dims, False))


# ----------------------------------------------------------------------------- logsumexp
@numpy_names
def logsumexp(input: Tensor, dim: Any = UNSET, keepdim: bool = False) -> Tensor:
    """``torch.logsumexp(input, dim, keepdim=False)``: ``log(sum(exp(x - m))) + m`` with ``m`` the max of
    the real part (infinite maxima shift by 0); integer inputs give the default float dtype. Records
    LogsumexpBackward0."""
    _check_input(input, "logsumexp")
    dim = _required_dim("logsumexp", dim)
    if dim is None:
        raise TypeError("logsumexp(): argument 'dim' (position 2) must be tuple of ints, not NoneType")
    check_bool(keepdim, "logsumexp", "keepdim", 3)
    dims = reduce_dims(dim, input.dim(), "logsumexp")
    if isinstance(dim, (tuple, list)) and not dim and not keepdim and input._shape and input.numel():
        # torch reduces everything but then adds maxima of shape [1, ..., 1] into a [] result.
        raise RuntimeError(f"output with shape [] doesn't match the broadcast shape "
                           f"[{', '.join('1' for _ in input._shape)}]")
    result_dtype = input._dtype if input._dtype.category >= D.FLOATING else D.get_default_dtype()
    # elementwise steps round to the result dtype (float16 too); only the sum accumulates wider
    arr = cast_array(input._backend, input._array, result_dtype)
    acc = _accumulate_dtype(result_dtype).array_name
    xp = input._backend.xp
    axes = _axes(input, dims)
    with input._backend.quiet():
        if arr.size:
            shift = xp.max(arr.real, axis=axes, keepdims=True)
            shift = xp.where(xp.isinf(shift), 0, shift).astype(arr.real.dtype)
            terms = xp.exp(arr - shift)
        else:
            shift, terms = 0, xp.exp(arr)
        total = xp.sum(terms.astype(acc), axis=axes, keepdims=True).astype(arr.dtype)
        values = xp.log(total) + shift
    out = wrap_result(values, result_dtype, input, reduced_shape(input._shape, dims, keepdim))
    if STATE.enabled and input._requires_grad:
        G.record_logsumexp(out, input, dims, keepdim)
    return out


# ----------------------------------------------------------------------------- cumsum / cumprod
def _cumulative(name: str, input: Tensor, dim: Any, dtype: Any) -> tuple[Any, D.dtype, int]:
    d = wrap_dim(check_int(dim, name, "dim", 2), input.dim())
    dtype = check_dtype(dtype, name)
    result_dtype = dtype or (D.int64 if input._dtype.category <= D.INTEGER else input._dtype)
    if result_dtype is D.bool:
        raise unsupported_dtype(f"{name}_out_cpu", D.bool)
    arr = _compute_array(input, result_dtype)
    with input._backend.quiet():
        values = getattr(input._backend.xp, name)(arr, axis=d) if input._shape else arr.copy()
    return values, result_dtype, d


def _make_cumulative(name: str):
    def op(input: Tensor, dim: Any = UNSET, *, dtype: D.dtype | None = None) -> Tensor:
        _check_input(input, name)
        values, result_dtype, d = _cumulative(name, input, _required_dim(name, dim), dtype)
        grad = STATE.enabled and input._requires_grad
        if grad:
            G.check_differentiable(result_dtype)
        out = wrap_result(values, result_dtype, input)
        if grad:
            G.record_cumulative(node, out, input, d)
        return out

    def op_(self: Tensor, dim: Any = UNSET, *, dtype: D.dtype | None = None) -> Tensor:
        check_inplace(self)
        check_memory(self)
        dtype = check_dtype(dtype, name)
        if dtype is not None and dtype is not self._dtype:
            raise RuntimeError(f"Bad in-place call: input tensor dtype {self._dtype.demangled_name} and output "
                               f"tensor dtype {dtype.demangled_name} should match")
        dim = _required_dim(name, dim)
        if STATE.enabled and self._requires_grad:
            return apply_inplace(self, lambda snapshot: op(snapshot, dim))
        values, _, _ = _cumulative(name, self, dim, self._dtype)
        return write_result(self, values, self._dtype, self._shape)

    node = f"{name.capitalize()}Backward0"
    op.__name__ = op.__qualname__ = name
    op_.__name__ = op_.__qualname__ = name + "_"
    op.__doc__ = (f"``torch.{name}(input, dim, *, dtype=None)``: integer and bool inputs give int64; float16 "
                  f"accumulates in float32; the result is contiguous. Records {node}.")
    op_.__doc__ = f"In-place ``{name}``: keeps this tensor's dtype (``dtype`` must equal it)."
    return numpy_names(op), numpy_names(op_)


def _required_dim(fn: str, dim: Any) -> Any:
    if dim is UNSET:
        raise TypeError(f'{fn}() missing 1 required positional arguments: "dim"')
    return dim


(cumsum, cumsum_), (cumprod, cumprod_) = _make_cumulative("cumsum"), _make_cumulative("cumprod")


# ----------------------------------------------------------------------------- norm
def _format_order(p: float) -> str:
    """A norm order as torch prints a Scalar (``2``, ``-0.5``, ``inf``)."""
    if math.isinf(p):
        return "inf" if p > 0 else "-inf"
    return str(int(p)) if p == int(p) else repr(p)


def _check_norm_input(fn: str, input: Tensor, dtype: D.dtype | None) -> D.dtype:
    """torch's dtype checks for linalg.vector_norm/matrix_norm; returns the dtype to compute in."""
    if input._dtype.category not in (D.FLOATING, D.COMPLEX):
        raise RuntimeError(f"{fn}: Expected a floating point or complex tensor as input. Got "
                           f"{input._dtype.scalar_name}")
    if dtype is None:
        return input._dtype
    if dtype.category not in (D.FLOATING, D.COMPLEX):
        raise RuntimeError(f"{fn}: dtype should be floating point or complex, but got {dtype.scalar_name}")
    if dtype.is_complex != input._dtype.is_complex:
        kind = "complex" if input._dtype.is_complex else "real"
        raise RuntimeError(f"{fn}: dtype should be {kind} for {kind} inputs, but got {dtype.scalar_name}")
    if promote_types(input._dtype, dtype) is not dtype:
        raise RuntimeError(f"{fn}: the dtype of the input ({input._dtype.scalar_name}) should be convertible "
                           f"without narrowing to the specified dtype ({dtype.scalar_name})")
    return dtype


def vector_norm(input: Tensor, ord: Any = 2, dim: Any = None, keepdim: bool = False, *,
                dtype: D.dtype | None = None) -> Tensor:
    """``torch.linalg.vector_norm``: ``sum(|x|^p)^(1/p)``; ``p=0`` counts non-zeros, ``inf``/``-inf`` take
    the max/min of ``|x|``; empty reductions with ``p < 0`` or ``p = inf`` raise (no identity).
    Records LinalgVectorNormBackward0 (``p = 0`` gives no gradient)."""
    fn = "linalg.vector_norm"
    dtype = check_dtype(dtype, "linalg_vector_norm")
    compute = _check_norm_input(fn, input, dtype)
    if isinstance(dim, float):
        raise TypeError("linalg_vector_norm(): argument 'dim' (position 3) must be tuple of ints, not float")
    dims = reduce_dims(dim, input.dim(), "linalg_vector_norm")
    p = float(ord)
    if input.numel() == 0 and (p < 0 or p == math.inf):
        if dim is None or (isinstance(dim, (tuple, list)) and not dim):
            raise RuntimeError(f"{fn} cannot compute the {_format_order(p)} norm on an empty tensor because "
                               "the operation does not have an identity")
        raw = (dim,) if hasattr(dim, "__index__") else tuple(dim)
        for d, shown in zip(dims, raw):
            if input._shape[d] == 0:
                raise RuntimeError(f"{fn} cannot compute the {_format_order(p)} norm on the dimension "
                                   f"{shown}because this dimension is empty and the operation does not have "
                                   "an identity")
    real = compute.to_real()
    xp = input._backend.xp
    arr = xp.abs(_compute_array(input, compute)).astype(_accumulate_dtype(real).array_name)
    axes = _axes(input, dims)
    with input._backend.quiet():
        if p == 0:
            values = xp.sum(arr != 0, axis=axes, keepdims=True).astype(arr.dtype)
        elif math.isinf(p):
            values = _extreme(xp, arr, axes, p > 0)
        elif p == 1:
            values = xp.sum(arr, axis=axes, keepdims=True)
        elif p == 2:
            values = xp.sqrt(xp.sum(arr * arr, axis=axes, keepdims=True))
        else:
            values = xp.sum(arr ** p, axis=axes, keepdims=True) ** (1.0 / p)
    out = wrap_result(values, real, input, reduced_shape(input._shape, dims, keepdim))
    if STATE.enabled and input._requires_grad:
        named = () if dim is None or (isinstance(dim, (tuple, list)) and not dim) else dims
        G.record_vector_norm(out, input, p, named, keepdim)
    return out


def _matrix_norm(input: Tensor, ord: str, dim: Any, keepdim: bool, dtype: D.dtype | None) -> Tensor:
    """``linalg.matrix_norm`` as ``torch.norm`` reaches it: only ``'nuc'`` (the sum of singular values)
    over exactly two dims; every other string order raises torch's error. Under autograd it records
    torch's composition (see :func:`_nuclear_norm_graph`)."""
    fn = "linalg.matrix_norm"
    if ord not in ("fro", "nuc"):
        raise RuntimeError(f"{fn}: Order {ord} not supported.")
    if input.dim() < 2:
        raise RuntimeError(f"{fn}: The input tensor A must have at least 2 dimensions.")
    if input._dtype.category not in (D.FLOATING, D.COMPLEX):
        raise RuntimeError(f"{fn}: Expected a floating point or complex tensor as input. Got "
                           f"{input._dtype.scalar_name}")
    if ord == "nuc" and input._dtype is D.float16:
        raise RuntimeError(f"{fn}: Low precision dtypes not supported. Got Half")
    dims = list(range(input.dim())) if dim is None else [dim] if hasattr(dim, "__index__") else list(dim)
    if len(dims) != 2:
        raise RuntimeError(f"{fn}: dim must be a 2-tuple. Got {' '.join(str(d) for d in dims)}")
    d0, d1 = (wrap_dim(operator.index(d), input.dim()) for d in dims)
    if d0 == d1:
        raise RuntimeError(f"{fn}: dims must be different. Got ({d0}, {d1})")
    compute = _check_norm_input(fn, input, check_dtype(dtype, "linalg_matrix_norm"))
    xp = input._backend.xp
    rest = [d for d in range(input.dim()) if d not in (d0, d1)]
    order = rest + [d0, d1]
    if STATE.enabled and input._requires_grad:
        return _nuclear_norm_graph(input, order, keepdim, compute)
    matrices = _compute_array(input, compute).transpose(order)
    if matrices.size:
        singular = xp.linalg.svd(matrices, compute_uv=False)
    else:
        singular = xp.zeros(matrices.shape[:-2] + (0,), dtype=compute.to_real().array_name)
    values = xp.sum(singular, axis=-1)
    if not keepdim:
        return wrap_result(values, compute.to_real(), input)
    # torch computes batch + (1, 1) contiguously, then permutes the two dims back into place
    buffer_shape = values.shape + (1, 1)
    buffer_strides = contiguous_strides(buffer_shape)
    shape = tuple(buffer_shape[order.index(d)] for d in range(input.dim()))
    strides = tuple(buffer_strides[order.index(d)] for d in range(input.dim()))
    return tensor_with_strides(values.reshape(buffer_shape).transpose(
        [order.index(d) for d in range(input.dim())]), shape, strides, compute.to_real(), input)


def _nuclear_norm_graph(input: Tensor, order: list[int], keepdim: bool, compute: D.dtype) -> Tensor:
    """The nuclear norm as torch composes it under autograd: ``svdvals(A.permute(order)).sum(-1)``
    (LinalgSvdBackward0 under SumBackward1), then ``unsqueeze(-1).permute(inverse)`` with keepdim."""
    source = input if compute is input._dtype else input.to(compute)
    result = sum_op(_svdvals(source.permute(order)), -1, keepdim)
    if keepdim:
        result = result.unsqueeze(-1).permute([order.index(d) for d in range(input.dim())])
    return result


def _svdvals(matrices: Tensor) -> Tensor:
    """Singular values of a batch of matrices from their reduced SVD, recording LinalgSvdBackward0
    (whose outputs U, S, Vh its gradient formula uses)."""
    xp = matrices._backend.xp
    *batch, m, n = matrices._shape
    real = matrices._dtype.to_real()
    if matrices.numel():
        u, s, vh = xp.linalg.svd(matrices._array, full_matrices=False)
    else:
        k, kind = min(m, n), matrices._dtype.array_name
        u, vh = xp.zeros((*batch, m, k), dtype=kind), xp.zeros((*batch, k, n), dtype=kind)
        s = xp.zeros((*batch, k), dtype=real.array_name)
    outputs = (wrap_result(u, matrices._dtype, matrices), wrap_result(s, real, matrices),
               wrap_result(vh, matrices._dtype, matrices))
    G.record_svd(outputs, matrices)
    return outputs[1]


def norm(input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: D.dtype | None = None,
         ) -> Tensor:
    """``torch.norm``: ``'fro'`` (with at most two dims) and numbers are vector norms over ``dim`` (all
    elements when None); ``'nuc'`` is the nuclear matrix norm; integer inputs raise torch's error."""
    _check_input(input, "norm")
    check_bool(keepdim, "norm", "keepdim", 4)
    if isinstance(p, str):
        if p == "fro" and (dim is None or hasattr(dim, "__index__") or len(dim) <= 2):
            return vector_norm(input, 2, dim, keepdim, dtype=dtype)
        return _matrix_norm(input, p, dim, keepdim, dtype)
    return vector_norm(input, 2.0 if p is None else p, dim, keepdim, dtype=dtype)


# ----------------------------------------------------------------------------- comparisons
def _check_other(fn: str, other: Any) -> None:
    if not isinstance(other, Tensor):
        raise TypeError(f"{fn}(): argument 'other' (position 2) must be Tensor, not {_type_name(other)}")


def equal(input: Tensor, other: Tensor) -> bool:
    """``torch.equal``: True when both have the same size and equal elements (compared after type
    promotion; NaN is never equal)."""
    _check_input(input, "equal")
    _check_other("equal", other)
    same_device((input, other))
    if input._shape != other._shape:
        return False
    common = promote_types(input._dtype, other._dtype)
    xp = input._backend.xp
    a, b = cast_array(input._backend, input._array, common), cast_array(input._backend, other._array, common)
    return bool(xp.all(a == b))


def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False,
            ) -> Tensor:
    """``torch.isclose``: ``|input - other| <= atol + rtol * |other|`` or exactly equal, computed in the
    (shared) input dtype, integers as the default float; both tensors must have the same dtype."""
    _check_input(input, "isclose")
    _check_other("isclose", other)
    if input._dtype is not other._dtype:
        raise RuntimeError(f"{input._dtype.scalar_name} did not match {other._dtype.scalar_name}")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {_format_order(rtol)}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {_format_order(atol)}")
    same_device((input, other))
    shape = broadcast_shapes(input._shape, other._shape)
    xp = input._backend.xp
    a, b = input._array, other._array
    with input._backend.quiet():
        close = a == b
        if equal_nan and input._dtype.category >= D.FLOATING:
            close = close | (xp.isnan(a) & xp.isnan(b))
        if rtol != 0 or atol != 0:
            compute = input._dtype if input._dtype.category >= D.FLOATING else D.get_default_dtype()
            a, b = a.astype(compute.array_name), b.astype(compute.array_name)
            real = compute.to_real().array_name
            allowed = xp.asarray(atol, dtype=real) + xp.abs(xp.asarray(rtol, dtype=real) * b)
            actual = xp.abs(a - b)
            close = close | (xp.isfinite(actual) & (actual <= allowed))
    return wrap_result(xp.broadcast_to(close, shape), D.bool, input)


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False,
             ) -> bool:
    """``torch.allclose``: ``isclose(...).all()`` as a Python bool."""
    _check_input(input, "allclose")
    _check_other("allclose", other)
    return bool(isclose(input, other, rtol, atol, equal_nan)._array.all())


# ----------------------------------------------------------------------------- tables
FUNCTIONS: dict[str, Any] = {
    "sum": sum_op, "nansum": nansum, "prod": prod, "mean": mean, "nanmean": nanmean,
    "var": var, "std": std, "var_mean": var_mean, "std_mean": std_mean,
    "max": max_op, "min": min_op, "amax": amax, "amin": amin, "argmax": argmax, "argmin": argmin,
    "aminmax": aminmax,
    "median": median, "nanmedian": nanmedian,
    "all": all_op, "any": any_op, "count_nonzero": count_nonzero, "logsumexp": logsumexp,
    "cumsum": cumsum, "cumprod": cumprod, "norm": norm,
    "equal": equal, "isclose": isclose, "allclose": allclose,
    "return_types": return_types,
}

METHODS: dict[str, Any] = {
    name: fn for name, fn in FUNCTIONS.items() if name not in ("var_mean", "std_mean", "return_types")
}
METHODS.update({"cumsum_": cumsum_, "cumprod_": cumprod_})
