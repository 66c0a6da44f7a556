"""Reductions: sum, mean, prod, var/std, max/min, amax/amin, argmax/argmin, all/any, cumsum/cumprod,
logsumexp, norm, count_nonzero, aminmax, median, and the comparisons equal/allclose/isclose, as
registry records.

Mirrors torch 2.13 on the CPU (aten/src/ATen/native/ReduceOps.cpp, TensorCompare.cpp,
LinearAlgebra.cpp, torch/functional.py):

- each overload is its own record with torch's Python signature (``sum`` and ``sum.dim_IntList``,
  the three of ``var``...), so the parser picks the overload and raises torch's TypeErrors; ``dim``
  arrives as None, an int or a tuple of ints; None and ``()`` reduce every dim (except for
  ``all``/``any``, where ``()`` reduces nothing); ``keepdim`` keeps reduced dims as size 1;
- results are fresh contiguous tensors; integer and bool sums/products/cumulative ops give int64;
  float16 sums, means and cumulative ops accumulate in float32, as torch's accumulate type;
- ops with indices (``max(dim)``, ``aminmax``, ``median(dim)``) return named tuples of
  :mod:`reftorch.return_types`, whose repr matches torch's ``torch.return_types.max(\\nvalues=...)``;
- the autograd layer records torch's nodes (``SumBackward0``/``SumBackward1``, ``VarBackward0``,
  ``MaxBackward0``/``MaxBackward1``, ``LinalgVectorNormBackward0``...; formulas in
  autograd/derivatives/reductions.py); torch's composites (``nanmean``, ``var(dim, unbiased)``,
  ``max(input, other)``, ``norm``, the nuclear norm) call the ops they are made of, which record
  themselves.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import _dtype as D
from .._promotion import promote_types
from .._tensor import Tensor
from ..return_types import return_type
from ._inplace import check_memory, write_result
from ._util import (
    broadcast_shapes,
    cast_array,
    from_array,
    result_tensor,
    same_device,
    unsupported_dtype,
    wrap_dim,
    wrap_dims,
)
from .registry import call, functions, register, vf

_MAX, _MIN = return_type("max"), return_type("min")
_AMINMAX = return_type("aminmax", ("min", "max"))
_MEDIAN, _NANMEDIAN = return_type("median"), return_type("nanmedian")


# ----------------------------------------------------------------------------- shared helpers
def reduce_dims(dim: int | tuple[int, ...] | None, ndim: int) -> tuple[int, ...]:
    """The wrapped dims a reduction over ``dim`` reduces: every dim for None or ``()`` (torch's
    ``IntArrayRef?`` convention); a repeated dim raises torch's error."""
    if dim is None or dim == ():
        return tuple(range(ndim))
    return wrap_dims(dim, ndim)


def reduced_shape(shape: tuple[int, ...], dims: tuple[int, ...], keepdim: bool) -> tuple[int, ...]:
    """The result shape of reducing ``dims`` (kept as size 1 with ``keepdim``)."""
    if keepdim:
        return tuple(1 if d in dims else s for d, s in enumerate(shape))
    return tuple(s for d, s in enumerate(shape) if d not in dims)


def shape_with(shape: tuple[int, ...], axis: int, size: int) -> tuple[int, ...]:
    """``shape`` with dim ``axis`` replaced by ``size``."""
    return shape[:axis] + (size,) + shape[axis + 1:]


def _axes(input: Tensor, dims: tuple[int, ...]) -> tuple[int, ...]:
    """Array axes for ``dims`` (a zero-dim tensor accepts dim 0/-1 but has no axis)."""
    return dims if input._shape else ()


def _accumulate_dtype(dtype: D.dtype) -> D.dtype:
    """torch's CPU accumulate type: float16 sums accumulate in float32."""
    return D.float32 if dtype is D.float16 else dtype


def _compute_array(input: Tensor, dtype: D.dtype, widen_half: bool = True) -> Any:
    """``input``'s elements cast to ``dtype`` (torch's copy rules), widened to the accumulate type."""
    arr = cast_array(input._backend, input._array, dtype)
    acc = _accumulate_dtype(dtype) if widen_half else dtype
    return arr.astype(acc.array_name) if acc is not dtype else arr


def _count(arr: Any, axes: tuple[int, ...]) -> int:
    return math.prod(arr.shape[a] for a in axes)


def _floating(dtype: D.dtype) -> bool:
    return dtype.category in (D.FLOATING, D.COMPLEX)


# ----------------------------------------------------------------------------- sum / prod / mean
@dataclass(frozen=True)
class _Accumulation:
    """A sum-like reduction. ``compute(xp, arr, axes)`` reduces with keepdims."""

    name: str
    compute: Callable[[Any, Any, tuple[int, ...]], Any]
    widen_half: bool = True


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


_SUM, _NANSUM = _Accumulation("sum", _sum), _Accumulation("nansum", _nansum)
_PROD, _MEAN = _Accumulation("prod", _prod, widen_half=False), _Accumulation("mean", _mean)


def _accumulation_dtype(spec: _Accumulation, input: Tensor, dtype: D.dtype | None) -> D.dtype:
    """torch's result dtype: ``dtype`` if given; int/bool sums and products give int64; mean needs
    a floating or complex dtype; nansum refuses complex inputs."""
    if spec is _NANSUM and input._dtype.is_complex:
        raise RuntimeError("nansum on CPU does not support complex inputs")
    if spec is _MEAN:
        if dtype is not None and not _floating(dtype):
            raise RuntimeError("mean(): could not infer output dtype. Optional dtype must be either a floating "
                               f"point or complex dtype. Got: {dtype.scalar_name}")
        if dtype is None and not _floating(input._dtype):
            raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point "
                               f"or complex dtype. Got: {input._dtype.scalar_name}")
    if dtype is not None:
        return dtype
    return D.int64 if input._dtype.category <= D.INTEGER else input._dtype


def _accumulate(spec: _Accumulation, input: Tensor, dim: tuple[int, ...] | None, keepdim: bool,
                dtype: D.dtype | None) -> Tensor:
    dims = reduce_dims(dim, input.dim())
    result_dtype = _accumulation_dtype(spec, input, dtype)
    arr = _compute_array(input, result_dtype, spec.widen_half)
    backend = input._backend
    values = backend.quietly(spec.compute, backend.xp, arr, _axes(input, dims))
    return result_tensor(values, result_dtype, input, reduced_shape(input._shape, dims, keepdim))


# float sums of every element are the hot path of ``loss.sum().backward()``: one NumPy call, no checks
_OWN_ACCUMULATOR = frozenset((D.float32, D.float64, D.complex64, D.complex128))


@register("sum", "sum(Tensor input, *, ScalarType? dtype=None)", node="SumBackward0")
def sum_all(self: Tensor, dtype: D.dtype | None = None) -> Tensor:
    """``torch.sum(input, *, dtype=None)``: the input is cast to ``dtype`` first; integer and bool
    inputs give int64 unless ``dtype`` says otherwise; float16 accumulates in float32."""
    if dtype is None and self._dtype in _OWN_ACCUMULATOR:
        storage = self._storage  # (the sum is a fresh scalar of the input's dtype: wrapped as it is)
        return from_array(storage.backend.quietly(self._array.sum), self._dtype, storage.device, storage.backend)
    return _accumulate(_SUM, self, None, False, dtype)


def _over_dims(spec: _Accumulation, doc: str) -> Callable[..., Tensor]:
    """The kernel of a sum-like op's ``dim`` overload (None and ``()`` reduce every dim)."""
    def kernel(self: Tensor, dim: tuple[int, ...] | None, keepdim: bool, dtype: D.dtype | None) -> Tensor:
        return _accumulate(spec, self, dim, keepdim, dtype)

    kernel.__name__ = kernel.__qualname__ = spec.name
    kernel.__doc__ = doc
    return kernel


register("sum.dim_IntList", "sum(Tensor input, IntArrayRef[1]? dim, bool keepdim=False, *, ScalarType? dtype=None, "
         "Tensor out=None)", node="SumBackward1")(_over_dims(
             _SUM, "``torch.sum(input, dim, keepdim=False, *, dtype=None)``: None and ``()`` reduce every dim."))
register("nansum", "nansum(Tensor input, IntArrayRef[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None, "
         "Tensor out=None)", node="NansumBackward0")(_over_dims(
             _NANSUM, "``torch.nansum``: ``sum`` counting NaN as zero; complex inputs are refused on the CPU."))


@register("prod", "prod(Tensor input, *, ScalarType? dtype=None)", node="ProdBackward0")
def prod_all(self: Tensor, dtype: D.dtype | None = None) -> Tensor:
    """``torch.prod(input, *, dtype=None)``: integer and bool inputs give int64; float16 multiplies in
    float16, as torch's CPU kernel."""
    return _accumulate(_PROD, self, None, False, dtype)


@register("prod.dim_int", "prod(Tensor input, int64_t dim, bool keepdim=False, *, ScalarType? dtype=None, "
          "Tensor out=None)", node="ProdBackward1")
def prod_dim(self: Tensor, dim: int, keepdim: bool, dtype: D.dtype | None) -> Tensor:
    """``torch.prod(input, dim, keepdim=False, *, dtype=None)``: one dim."""
    return _accumulate(_PROD, self, (dim,), keepdim, dtype)


@register("mean", "mean(Tensor input, *, ScalarType? dtype=None, Tensor out=None)", node="MeanBackward0")
def mean_all(self: Tensor, dtype: D.dtype | None = None) -> Tensor:
    """``torch.mean(input, *, dtype=None)``: needs a floating or complex input or ``dtype``; the mean
    of no elements is NaN."""
    if dtype is None and self._dtype in _OWN_ACCUMULATOR:
        arr = self._array
        with self._backend.quiet():
            return from_array(arr.sum() / arr.size, self._dtype, self.device, self._backend)  # NEP 50: arr's dtype
    return _accumulate(_MEAN, self, None, False, dtype)


register("mean.dim", "mean(Tensor input, IntArrayRef[1]? dim, bool keepdim=False, *, ScalarType? dtype=None, "
         "Tensor out=None)", node="MeanBackward1")(_over_dims(
             _MEAN, "``torch.mean(input, dim, keepdim=False, *, dtype=None)``: the mean over no elements is NaN."))


@register("nanmean", "nanmean(Tensor input, IntArrayRef[1]? dim=None, bool keepdim=False, *, "
          "ScalarType? dtype=None, Tensor out=None)", composite=True)
def nanmean(self: Tensor, dim: tuple[int, ...] | None, keepdim: bool, dtype: D.dtype | None) -> Tensor:
    """``torch.nanmean``, torch's composite: ``nansum`` divided by the number of non-NaN elements (so
    its graph is NansumBackward0 under DivBackward0); floating and complex inputs only."""
    if not _floating(self._dtype):
        raise RuntimeError("nanmean(): expected input to have floating point or complex dtype but got "
                           f"{self._dtype.scalar_name}")
    if dtype is not None and not _floating(dtype):
        raise RuntimeError("nanmean(): could not infer output dtype. Optional dtype must be either a floating "
                           f"point or complex dtype. Got: {dtype.scalar_name}")
    count = self.isnan().logical_not().sum(dim, keepdim)
    return functions.nansum(self, dim, keepdim, dtype=dtype) / count


# ----------------------------------------------------------------------------- var / std
def _moments(fn: str, input: Tensor, dims: tuple[int, ...], corr: float, shape: tuple[int, ...],
             ) -> tuple[Any, Any]:
    """(variance array, mean array), computed in double precision as torch's CPU kernels accumulate;
    warns as torch when the degrees of freedom are <= 0."""
    if not _floating(input._dtype):
        what = fn if fn.endswith("_mean") else "std and var"
        raise RuntimeError(f"{what} only support floating point and complex dtypes")
    out_numel = math.prod(shape)
    if input.numel() // max(out_numel, 1) - corr <= 0:
        # complex inputs reduce the real and imaginary parts separately, so torch warns twice
        for _ in range(2 if input._dtype.is_complex else 1):
            warnings.warn(f"{fn}(): degrees of freedom is <= 0. Correction should be strictly less than "
                          "the reduction factor (input numel divided by output numel).", UserWarning,
                          stacklevel=5)
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


def _moment_kernel(name: str, root: bool, with_mean: bool) -> Callable[..., Any]:
    """The ``.correction`` overload of var/std/var_mean/std_mean: divides by ``max(0, N - correction)``
    (inf or nan, with torch's UserWarning, when that is <= 0); complex inputs give real results."""
    def kernel(self: Tensor, dim: tuple[int, ...] | None, correction: Any, keepdim: bool) -> Any:
        corr = 1.0 if correction is None else float(correction)
        dims = reduce_dims(dim, self.dim())
        shape = reduced_shape(self._shape, dims, keepdim)
        var_arr, mean_arr = _moments(name, self, dims, corr, shape)
        if root:
            with self._backend.quiet():
                var_arr = self._backend.xp.sqrt(var_arr)
        spread = result_tensor(var_arr, self._dtype.to_real(), self, shape)
        return (spread, result_tensor(mean_arr, self._dtype, self, shape)) if with_mean else spread

    kernel.__name__ = kernel.__qualname__ = name
    kernel.__doc__ = (f"``torch.{name}(input, dim=None, *, correction=1, keepdim=False)``: divides by "
                      "``max(0, N - correction)`` (inf or nan, with torch's UserWarning, when that is <= 0); "
                      "complex inputs give a real spread.")
    return kernel


for _name, _root, _with_mean, _node in (("var", False, False, "VarBackward0"), ("std", True, False, "StdBackward0"),
                                        ("var_mean", False, True, "VarMeanBackward0"),
                                        ("std_mean", True, True, "StdMeanBackward0")):
    _correction = f"{_name}.correction"
    # torch's overloads, in the order its parser tries them; (dim, unbiased) and (unbiased) are
    # composites of the .correction overload (unbiased means correction 1)
    register(f"{_name}.dim", f"{_name}(Tensor input, IntArrayRef[1]? dim, bool unbiased=True, bool keepdim=False"
             f"{'' if _with_mean else ', *, Tensor out=None'})", composite=True, method=not _with_mean)(
        lambda self, dim, unbiased, keepdim, _correction=_correction: call(
            _correction, self, dim, 1 if unbiased else 0, keepdim))
    register(_correction, f"{_name}(Tensor input, IntArrayRef[1]? dim=None, *, Scalar? correction=None, "
             f"bool keepdim=False{'' if _with_mean else ', Tensor out=None'})", node=_node,
             method=not _with_mean)(_moment_kernel(_name, _root, _with_mean))
    register(_name, f"{_name}(Tensor input, bool unbiased=True)", composite=True, method=not _with_mean)(
        lambda self, unbiased, _correction=_correction: call(_correction, self, None, 1 if unbiased else 0, False))


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


def _extreme(xp: Any, arr: Any, axes: tuple[int, ...] | None, largest: bool) -> Any:
    return (xp.max if largest else xp.min)(arr, axis=axes, keepdims=True)


def _amax_kernel(name: str, largest: bool) -> Callable[..., Tensor]:
    def kernel(self: Tensor, dim: tuple[int, ...] | None, keepdim: bool) -> Tensor:
        dims = reduce_dims(dim, self.dim())
        if self._dtype.is_complex:
            raise unsupported_dtype(f"{name[1:]}_values_cpu", self._dtype)
        if self.numel() == 0 and self._shape:
            if not dim:
                raise _empty_all_error(name)
            _check_nonempty_dims(name, self, dims, dim)
        values = _extreme(self._backend.xp, self._array, _axes(self, dims), largest)
        return result_tensor(values, self._dtype, self, reduced_shape(self._shape, dims, keepdim))

    kernel.__name__ = kernel.__qualname__ = name
    kernel.__doc__ = (f"``torch.{name}(input, dim=(), keepdim=False)``: NaN propagates; an empty reduction "
                      "raises (the op has no identity); complex inputs are not supported.")
    return kernel


def _values_indices(name: str, input: Tensor, dim: int, keepdim: bool, largest: bool, result: type) -> Any:
    """``max(input, dim)``-style results: (values, first index of the extreme; NaN wins)."""
    d = wrap_dim(dim, input.dim())
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
    return result((result_tensor(values, input._dtype, input, shape), result_tensor(indices, D.int64, input, shape)))


def _register_extremes(name: str, largest: bool, result: type) -> None:
    """``max``/``min``: of all elements, elementwise with ``other`` (``maximum``/``minimum``, torch's
    composite), and along ``dim`` with indices; ``amax``/``amin`` along dims."""
    binary = "maximum" if largest else "minimum"
    node = name.capitalize()

    def all_elements(self: Tensor) -> Tensor:
        if self._dtype.is_complex:
            raise unsupported_dtype(f"{name}_all", self._dtype)
        if self.numel() == 0:
            raise _empty_all_error(name)
        return result_tensor(_extreme(self._backend.xp, self._array, None, largest), self._dtype, self, ())

    def along(self: Tensor, dim: int, keepdim: bool) -> Any:
        return _values_indices(name, self, dim, keepdim, largest, result)

    all_elements.__doc__ = f"``torch.{name}(input)``: a zero-dim tensor (NaN propagates)."
    along.__doc__ = (f"``torch.{name}(input, dim, keepdim=False)``: ``torch.return_types.{name}(values, indices)`` "
                     "with the first index of the extreme (NaN counts as the extreme).")
    register(name, f"{name}(Tensor input, *, Tensor out=None)", node=f"{node}Backward1")(all_elements)
    register(f"{name}.other", f"{name}(Tensor input, Tensor other, *, Tensor out=None)", composite=True)(
        lambda self, other: getattr(functions, binary)(self, other))
    register(f"{name}.dim", f"{name}(Tensor input, int64_t dim, bool keepdim=False, *, TensorList[2] out=None)",
             node=f"{node}Backward0")(along)
    register(f"a{name}", f"a{name}(Tensor input, IntArrayRef[1] dim=None, bool keepdim=False, *, Tensor out=None)",
             node=f"A{name}Backward0")(_amax_kernel(f"a{name}", largest))


_register_extremes("max", True, _MAX)
_register_extremes("min", False, _MIN)


def _argmax_kernel(name: str, largest: bool) -> Callable[..., Tensor]:
    def kernel(self: Tensor, dim: int | None, keepdim: bool) -> Tensor:
        if self._dtype is D.bool:
            raise RuntimeError(f"{name}(): does not support bool input")
        if self._dtype.is_complex:
            raise RuntimeError(f"{name}(): does not support complex input")
        xp = self._backend.xp
        find = xp.argmax if largest else xp.argmin
        if dim is None:
            if self.numel() == 0:
                raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
            shape = (1,) * self.dim() if keepdim else ()
            return result_tensor(find(self._array.reshape(-1)), D.int64, self, shape)
        d = wrap_dim(dim, self.dim())
        _check_nonempty_dims(name, self, (d,))
        shape = reduced_shape(self._shape, (d,), keepdim)
        if not self._shape:
            return result_tensor(0, D.int64, self, shape)
        if self.numel() == 0:
            return result_tensor(xp.zeros(shape, dtype="int64"), D.int64, self)
        return result_tensor(find(self._array, axis=d, keepdims=True), D.int64, self, shape)

    kernel.__name__ = kernel.__qualname__ = name
    kernel.__doc__ = (f"``torch.{name}(input, dim=None, keepdim=False)``: int64 index of the first extreme (NaN "
                      "counts as the extreme); ``dim=None`` indexes the flattened input.")
    return kernel


for _name, _largest in (("argmax", True), ("argmin", False)):
    register(_name, f"{_name}(Tensor input, int64_t? dim=None, bool keepdim=False, *, Tensor out=None)")(
        _argmax_kernel(_name, _largest))


@register("aminmax", "aminmax(Tensor input, *, int64_t? dim=None, bool keepdim=False, TensorList[2] out=None)",
          node="AminmaxBackward0")
def aminmax(self: Tensor, dim: int | None, keepdim: bool) -> Any:
    """``torch.aminmax(input, *, dim=None, keepdim=False)`` -> ``torch.return_types.aminmax(min, max)``."""
    if self._dtype.is_complex:
        raise unsupported_dtype("aminmax_cpu", self._dtype)
    xp = self._backend.xp
    if dim is None:
        if self.numel() == 0:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the operation "
                               "has no identity.")
        dims: tuple[int, ...] = tuple(range(self.dim()))
    else:
        dims = (wrap_dim(dim, self.dim()),)
        _check_nonempty_dims("aminmax", self, dims, sep=":")
    shape = reduced_shape(self._shape, dims, keepdim)
    axes = _axes(self, dims)
    return _AMINMAX((result_tensor(_extreme(xp, self._array, axes, False), self._dtype, self, shape),
                     result_tensor(_extreme(xp, self._array, axes, True), self._dtype, self, shape)))


# ----------------------------------------------------------------------------- median
def _median_all(input: Tensor, skip_nan: bool) -> Tensor:
    xp = input._backend.xp
    flat = input._array.reshape(-1)
    if flat.size == 0:
        return result_tensor(_empty_median(input._dtype), input._dtype, input, ())
    if not skip_nan and input._dtype.is_floating_point and bool(xp.isnan(flat).any()):
        return result_tensor(xp.nan, input._dtype, input, ())
    ordered = xp.sort(flat)
    valid = int((~xp.isnan(ordered)).sum()) if skip_nan and input._dtype.is_floating_point else flat.size
    return result_tensor(ordered[max(valid - 1, 0) // 2], input._dtype, input, ())


def _empty_median(dtype: D.dtype) -> Any:
    """torch's median of no elements: NaN, converted as the CPU converts NaN (int32/int64: their minimum)."""
    if dtype.is_floating_point:
        return math.nan
    return {D.int64: -2 ** 63, D.int32: -2 ** 31}.get(dtype, 0)


def _median_dim(name: str, input: Tensor, dim: int, keepdim: bool, skip_nan: bool, result: type) -> Any:
    """torch orders equal values by position and takes rank ``(n - 1) // 2``; NaN sorts last: median
    returns the first NaN, nanmedian ranks only the non-NaN values."""
    d = wrap_dim(dim, input.dim())
    _check_nonempty_dims(name, input, (d,))
    xp = input._backend.xp
    shape = reduced_shape(input._shape, (d,), keepdim)
    if input.numel() == 0:
        return result((result_tensor(xp.zeros(shape, input._array.dtype), input._dtype, input),
                       result_tensor(xp.zeros(shape, "int64"), D.int64, input)))
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
    return result((result_tensor(values, input._dtype, input, shape), result_tensor(index, D.int64, input, shape)))


def _check_median_dtype(input: Tensor, kernel: str) -> None:
    if input._dtype.category in (D.BOOL, D.COMPLEX):
        raise unsupported_dtype(kernel, input._dtype)


def _register_median(name: str, skip_nan: bool, result: type) -> None:
    node = f"{name.capitalize()}Backward"
    what = "non-NaN values (NaN if all are NaN)" if skip_nan else "values (NaN if any is NaN)"

    def all_elements(self: Tensor) -> Tensor:
        _check_median_dtype(self, "median_cpu")
        return _median_all(self, skip_nan)

    def along(self: Tensor, dim: int, keepdim: bool) -> Any:
        _check_median_dtype(self, "median_out")
        return _median_dim(name, self, dim, keepdim, skip_nan, result)

    all_elements.__doc__ = f"``torch.{name}(input)``: the lower median of the {what}."
    along.__doc__ = (f"``torch.{name}(input, dim, keepdim=False)`` -> ``torch.return_types.{name}(values, indices)``: "
                     f"the lower median of the {what}, the index being the one at rank ``(n - 1) // 2`` when "
                     "equal values are ordered by position, as torch's CPU kernel.")
    register(name, f"{name}(Tensor input)", node=f"{node}0")(all_elements)
    register(f"{name}.dim", f"{name}(Tensor input, int64_t dim, bool keepdim=False, *, TensorList[2] out=None)",
             node=f"{node}1")(along)


_register_median("median", False, _MEDIAN)
_register_median("nanmedian", True, _NANMEDIAN)


# ----------------------------------------------------------------------------- all / any / count_nonzero
def _logical_kernel(name: str) -> Callable[..., Tensor]:
    def kernel(self: Tensor, dim: int | tuple[int, ...] | None = None, keepdim: bool = False) -> Tensor:
        dims = tuple(range(self.dim())) if dim is None else wrap_dims(dim, self.dim())
        result_dtype = D.uint8 if self._dtype is D.uint8 else D.bool
        xp = self._backend.xp
        values = getattr(xp, name)(self._array != 0, axis=_axes(self, dims), keepdims=True)
        return result_tensor(values, result_dtype, self, reduced_shape(self._shape, dims, keepdim))

    kernel.__name__ = kernel.__qualname__ = name
    kernel.__doc__ = (f"``torch.{name}(input, dim=None, keepdim=False)``: bool result (uint8 for uint8 input); "
                      "``dim=()`` reduces nothing.")
    return kernel


for _name in ("all", "any"):
    _kernel = _logical_kernel(_name)
    register(_name, f"{_name}(Tensor input, *, Tensor out=None)")(_kernel)
    register(f"{_name}.dims", f"{_name}(Tensor input, IntArrayRef? dim=None, bool keepdim=False, *, "
             "Tensor out=None)")(_kernel)
    register(f"{_name}.dim", f"{_name}(Tensor input, int64_t dim, bool keepdim=False, *, Tensor out=None)")(_kernel)


def count_nonzero(self: Tensor, dim: int | tuple[int, ...] | None) -> Tensor:
    """``torch.count_nonzero(input, dim=None)``: int64 count of non-zero elements (NaN counts); ``()``
    counts every element."""
    dims = reduce_dims(dim, self.dim())
    xp = self._backend.xp
    values = xp.sum(self._array != 0, axis=_axes(self, dims), dtype="int64", keepdims=True)
    return result_tensor(values, D.int64, self, reduced_shape(self._shape, dims, False))


register("count_nonzero", "count_nonzero(Tensor input, int64_t? dim=None)")(count_nonzero)
register("count_nonzero.dim_IntList", "count_nonzero(Tensor input, IntArrayRef dim)")(count_nonzero)


# ----------------------------------------------------------------------------- logsumexp
@register("logsumexp", "logsumexp(Tensor input, IntArrayRef[1] dim, bool keepdim=False, *, Tensor out=None)",
          node="LogsumexpBackward0")
def logsumexp(self: Tensor, dim: tuple[int, ...], keepdim: bool) -> Tensor:
    """``torch.logsumexp(input, dim, keepdim=False)``: ``log(sum(exp(x - m))) + m`` with ``m`` the max of
    the real part (infinite maxima shift by 0); integer inputs give the default float dtype."""
    dims = reduce_dims(dim, self.dim())
    if not dim and not keepdim and self._shape and self.numel():
        # torch reduces everything but then adds maxima of shape [1, ..., 1] into a [] result.
        raise RuntimeError(f"output with shape [] doesn't match the broadcast shape "
                           f"[{', '.join('1' for _ in self._shape)}]")
    result_dtype = self._dtype if self._dtype.category >= D.FLOATING else D.get_default_dtype()
    # elementwise steps round to the result dtype (float16 too); only the sum accumulates wider
    arr = cast_array(self._backend, self._array, result_dtype)
    acc = _accumulate_dtype(result_dtype).array_name
    xp = self._backend.xp
    axes = _axes(self, dims)
    with self._backend.quiet():
        if arr.size:
            shift = xp.max(arr.real, axis=axes, keepdims=True)
            shift = xp.where(xp.isinf(shift), 0, shift).astype(arr.real.dtype)
            terms = xp.exp(arr - shift)
        else:
            shift, terms = 0, xp.exp(arr)
        total = xp.sum(terms.astype(acc), axis=axes, keepdims=True).astype(arr.dtype)
        values = xp.log(total) + shift
    return result_tensor(values, result_dtype, self, reduced_shape(self._shape, dims, keepdim))


# ----------------------------------------------------------------------------- cumsum / cumprod
def _cumulative(name: str, input: Tensor, dim: int, dtype: D.dtype | None) -> tuple[Any, D.dtype]:
    d = wrap_dim(dim, input.dim())
    result_dtype = dtype or (D.int64 if input._dtype.category <= D.INTEGER else input._dtype)
    if result_dtype is D.bool:
        raise unsupported_dtype(f"{name}_out_cpu", D.bool)
    arr = _compute_array(input, result_dtype)
    with input._backend.quiet():
        values = getattr(input._backend.xp, name)(arr, axis=d) if input._shape else arr.copy()
    return values, result_dtype


def _register_cumulative(name: str) -> None:
    node = f"{name.capitalize()}Backward0"

    def functional(self: Tensor, dim: int, dtype: D.dtype | None) -> Tensor:
        values, result_dtype = _cumulative(name, self, dim, dtype)
        return result_tensor(values, result_dtype, self)

    def inplace(self: Tensor, dim: int, dtype: D.dtype | None) -> Tensor:
        check_memory(self)
        if dtype is not None and dtype is not self._dtype:
            raise RuntimeError(f"Bad in-place call: input tensor dtype {self._dtype.demangled_name} and output "
                               f"tensor dtype {dtype.demangled_name} should match")
        values, _ = _cumulative(name, self, dim, self._dtype)
        return write_result(self, values, self._dtype, self._shape)

    functional.__doc__ = (f"``torch.{name}(input, dim, *, dtype=None)``: integer and bool inputs give int64; "
                          "float16 accumulates in float32; the result is contiguous.")
    inplace.__doc__ = f"In-place ``{name}``: keeps this tensor's dtype (``dtype`` must equal it)."
    register(name, f"{name}(Tensor input, int64_t dim, *, ScalarType? dtype=None, Tensor out=None)",
             node=node)(functional)
    register(f"{name}_", f"{name}_(Tensor self, int64_t dim, *, ScalarType? dtype=None)", node=node, inplace=True,
             function=False)(inplace)


_register_cumulative("cumsum")
_register_cumulative("cumprod")


# ----------------------------------------------------------------------------- norm
def _format_order(p: float) -> str:
    """A norm order as torch prints a Scalar (``2``, ``-0.5``, ``inf``)."""
    if math.isinf(p):
        return "inf" if p > 0 else "-inf"
    return str(int(p)) if p == int(p) else repr(p)


def _check_norm_input(fn: str, input: Tensor, dtype: D.dtype | None) -> D.dtype:
    """torch's dtype checks for linalg.vector_norm/matrix_norm; returns the dtype to compute in."""
    if not _floating(input._dtype):
        raise RuntimeError(f"{fn}: Expected a floating point or complex tensor as input. Got "
                           f"{input._dtype.scalar_name}")
    if dtype is None:
        return input._dtype
    if not _floating(dtype):
        raise RuntimeError(f"{fn}: dtype should be floating point or complex, but got {dtype.scalar_name}")
    if dtype.is_complex != input._dtype.is_complex:
        kind = "complex" if input._dtype.is_complex else "real"
        raise RuntimeError(f"{fn}: dtype should be {kind} for {kind} inputs, but got {dtype.scalar_name}")
    if promote_types(input._dtype, dtype) is not dtype:
        raise RuntimeError(f"{fn}: the dtype of the input ({input._dtype.scalar_name}) should be convertible "
                           f"without narrowing to the specified dtype ({dtype.scalar_name})")
    return dtype


@register("linalg_vector_norm", "linalg_vector_norm(Tensor input, Scalar ord=2, IntArrayRef[1]? dim=None, "
          "bool keepdim=False, *, ScalarType? dtype=None, Tensor out=None)", node="LinalgVectorNormBackward0",
          function=False, method=False)
def vector_norm(self: Tensor, ord: Any, dim: tuple[int, ...] | None, keepdim: bool, dtype: D.dtype | None) -> Tensor:
    """``torch.linalg.vector_norm``: ``sum(|x|^p)^(1/p)``; ``p=0`` counts non-zeros, ``inf``/``-inf`` take
    the max/min of ``|x|``; empty reductions with ``p < 0`` or ``p = inf`` raise (no identity)."""
    fn = "linalg.vector_norm"
    compute = _check_norm_input(fn, self, dtype)
    dims = reduce_dims(dim, self.dim())
    p = float(ord)
    if self.numel() == 0 and (p < 0 or p == math.inf):
        if not dim:
            raise RuntimeError(f"{fn} cannot compute the {_format_order(p)} norm on an empty tensor because "
                               "the operation does not have an identity")
        for d, shown in zip(dims, dim):
            if self._shape[d] == 0:
                raise RuntimeError(f"{fn} cannot compute the {_format_order(p)} norm on the dimension "
                                   f"{shown}because this dimension is empty and the operation does not have "
                                   "an identity")
    real = compute.to_real()
    xp = self._backend.xp
    arr = xp.abs(_compute_array(self, compute)).astype(_accumulate_dtype(real).array_name)
    axes = _axes(self, dims)
    with self._backend.quiet():
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
    return result_tensor(values, real, self, reduced_shape(self._shape, dims, keepdim))


@register("linalg_matrix_norm.str_ord", "linalg_matrix_norm(Tensor input, c10::string_view ord=\"fro\", "
          "IntArrayRef dim={-2,-1}, bool keepdim=False, *, ScalarType? dtype=None, Tensor out=None)",
          composite=True, function=False, method=False)
def matrix_norm(self: Tensor, ord: str, dim: tuple[int, ...], keepdim: bool, dtype: D.dtype | None) -> Tensor:
    """``torch.linalg.matrix_norm`` with a string order, torch's composite: ``'fro'`` is the vector
    2-norm over the two dims, ``'nuc'`` the sum of the singular values of the matrices with those dims
    moved last (``svdvals(A.permute(...)).sum(-1)``, then ``unsqueeze(-1).permute(...)`` with keepdim)."""
    fn = "linalg.matrix_norm"
    if ord not in ("fro", "nuc"):
        raise RuntimeError(f"{fn}: Order {ord} not supported.")
    if self.dim() < 2:
        raise RuntimeError(f"{fn}: The input tensor A must have at least 2 dimensions.")
    if not _floating(self._dtype):
        raise RuntimeError(f"{fn}: Expected a floating point or complex tensor as input. Got "
                           f"{self._dtype.scalar_name}")
    if ord == "nuc" and self._dtype is D.float16:
        raise RuntimeError(f"{fn}: Low precision dtypes not supported. Got Half")
    if len(dim) != 2:
        raise RuntimeError(f"{fn}: dim must be a 2-tuple. Got {' '.join(str(d) for d in dim)}")
    d0, d1 = (wrap_dim(d, self.dim()) for d in dim)
    if d0 == d1:
        raise RuntimeError(f"{fn}: dims must be different. Got ({d0}, {d1})")
    _check_norm_input(fn, self, dtype)
    if ord == "fro":
        return call("linalg_vector_norm", self, 2, dim, keepdim, dtype)
    source = self if dtype is None else self.to(dtype)
    order = [d for d in range(self.dim()) if d not in (d0, d1)] + [d0, d1]
    result = call("linalg_svdvals", source.permute(order), None).sum(-1, keepdim)
    if keepdim:
        result = result.unsqueeze(-1).permute([order.index(d) for d in range(self.dim())])
    return result


@register("linalg_svdvals", "linalg_svdvals(Tensor A, *, c10::string_view? driver=None, Tensor out=None)",
          composite=True, function=False, method=False)
def svdvals(A: Tensor, driver: str | None) -> Tensor:  # noqa: N803 - torch's name
    """``torch.linalg.svdvals``: the singular values, from ``_linalg_svd``. torch computes U and Vh
    only when autograd may need them (grad mode on and ``A`` requiring grad); reftorch asks only
    whether ``A`` requires grad (the values are the same either way)."""
    return call("_linalg_svd", A, False, A._requires_grad, driver)[1]


@register("_linalg_svd", "_linalg_svd(Tensor A, bool full_matrices=False, bool compute_uv=True, *, "
          "c10::string_view? driver=None, TensorList[3] out=None)", node="LinalgSvdBackward0", function=False,
          method=False)
def linalg_svd(A: Tensor, full_matrices: bool, compute_uv: bool, driver: str | None) -> tuple[Tensor, ...]:  # noqa: N803
    """ATen's ``_linalg_svd``: (U, S, Vh) of the reduced SVD of a batch of matrices (U and Vh empty
    without ``compute_uv``); reftorch computes the reduced decomposition only."""
    if full_matrices:
        raise NotImplementedError("reftorch computes the reduced SVD only (full_matrices=False)")
    xp = A._backend.xp
    *batch, m, n = A._shape
    real = A._dtype.to_real()
    kind = A._dtype.array_name
    if A.numel():
        if compute_uv:
            u, s, vh = xp.linalg.svd(A._array, full_matrices=False)
        else:
            s = xp.linalg.svd(A._array, compute_uv=False)
    else:
        k = min(m, n)
        u, vh = xp.zeros((*batch, m, k), dtype=kind), xp.zeros((*batch, k, n), dtype=kind)
        s = xp.zeros((*batch, k), dtype=real.array_name)
    if not compute_uv:
        u = vh = xp.zeros(0, dtype=kind)
    return (result_tensor(u, A._dtype, A), result_tensor(s, real, A), result_tensor(vh, A._dtype, A))


def _norm(input: Any, p: Any, dim: Any, keepdim: Any, out: Any, dtype: Any) -> Tensor:
    """torch/functional.py's ``norm`` for strided CPU tensors: ``'fro'`` over at most two dims and
    numbers are ``linalg.vector_norm`` (all elements when ``dim`` is None), other strings
    ``linalg.matrix_norm``; the arguments are handed on, so those functions' parsers check them."""
    given = {} if out is None else {"out": out}
    _dim = [dim] if isinstance(dim, int) else dim
    if isinstance(p, str):
        if p == "fro" and (dim is None or isinstance(dim, int) or len(dim) <= 2):
            return vf.linalg_vector_norm(input, 2, _dim, keepdim, dtype=dtype, **given)
        if _dim is None:
            _dim = list(range(input.ndim))
        return vf.linalg_matrix_norm(input, p, _dim, keepdim, dtype=dtype, **given)
    return vf.linalg_vector_norm(input, 2.0 if p is None else p, _dim, keepdim, dtype=dtype, **given)


@register("norm", "norm(Tensor input, Scalar p=\"fro\", IntArrayRef? dim=None, bool keepdim=False, Tensor out=None, "
          "ScalarType? dtype=None)", composite=True, method=False, python=True)
def norm(input: Any, p: Any = "fro", dim: Any = None, keepdim: Any = False, out: Any = None,
         dtype: Any = None) -> Tensor:
    """``torch.norm`` (torch/functional.py): ``'fro'`` and numbers are vector norms over ``dim``,
    ``'nuc'`` is the nuclear matrix norm."""
    return _norm(input, p, dim, keepdim, out, dtype)


@register("Tensor.norm", "norm(Tensor self, Scalar p=\"fro\", IntArrayRef? dim=None, bool keepdim=False, "
          "ScalarType? dtype=None)", composite=True, function=False, python=True)
def norm_method(self: Any, p: Any = "fro", dim: Any = None, keepdim: Any = False, dtype: Any = None) -> Tensor:
    """``Tensor.norm`` (torch/_tensor.py): ``torch.norm(self, p, dim, keepdim, dtype=dtype)``."""
    return _norm(self, p, dim, keepdim, None, dtype)


# ----------------------------------------------------------------------------- comparisons
@register("equal", "equal(Tensor input, Tensor other)")
def equal(self: Tensor, other: Tensor) -> bool:
    """``torch.equal``: True when both have the same size and equal elements (compared after type
    promotion; NaN is never equal)."""
    same_device((self, other))
    if self._shape != other._shape:
        return False
    common = promote_types(self._dtype, other._dtype)
    xp = self._backend.xp
    a, b = cast_array(self._backend, self._array, common), cast_array(self._backend, other._array, common)
    return bool(xp.all(a == b))


@register("isclose", "isclose(Tensor input, Tensor other, double rtol=1e-05, double atol=1e-08, "
          "bool equal_nan=False)")
def isclose(self: Tensor, other: Tensor, rtol: float, atol: float, equal_nan: bool) -> Tensor:
    """``torch.isclose``: ``|input - other| <= atol + rtol * |other|`` or exactly equal, computed in the
    (shared) input dtype, integers as the default float; both tensors must have the same dtype."""
    if self._dtype is not other._dtype:
        raise RuntimeError(f"{self._dtype.scalar_name} did not match {other._dtype.scalar_name}")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {_format_order(rtol)}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {_format_order(atol)}")
    same_device((self, other))
    shape = broadcast_shapes(self._shape, other._shape)
    xp = self._backend.xp
    a, b = self._array, other._array
    with self._backend.quiet():
        close = a == b
        if equal_nan and self._dtype.category >= D.FLOATING:
            close = close | (xp.isnan(a) & xp.isnan(b))
        if rtol != 0 or atol != 0:
            compute = self._dtype if self._dtype.category >= D.FLOATING else D.get_default_dtype()
            a, b = a.astype(compute.array_name), b.astype(compute.array_name)
            real = compute.to_real().array_name
            allowed = xp.asarray(atol, dtype=real) + xp.abs(xp.asarray(rtol, dtype=real) * b)
            actual = xp.abs(a - b)
            close = close | (xp.isfinite(actual) & (actual <= allowed))
    return result_tensor(xp.broadcast_to(close, shape), D.bool, self)


@register("allclose", "allclose(Tensor input, Tensor other, double rtol=1e-05, double atol=1e-08, "
          "bool equal_nan=False)")
def allclose(self: Tensor, other: Tensor, rtol: float, atol: float, equal_nan: bool) -> bool:
    """``torch.allclose``: ``isclose(...).all()`` as a Python bool."""
    return bool(isclose(self, other, rtol, atol, equal_nan)._array.all())
