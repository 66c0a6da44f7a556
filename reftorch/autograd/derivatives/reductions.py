"""Derivatives of the reductions, scans and selections (torch's tools/autograd/derivatives.yaml and
FunctionsManual.cpp): ``sum``/``mean``/``nansum``/``prod``, ``var``/``std`` (and ``*_mean``),
``amax``/``amin``/``aminmax``, ``max``/``min``/``median``/``nanmedian`` (with and without ``dim``),
``kthvalue``/``sort``/``topk``, ``logsumexp``, ``cumsum``/``cumprod``, ``linalg_vector_norm`` and
``_linalg_svd`` (the singular values behind the nuclear norm); the ``unique`` family records nodes
whose backward raises, as torch's.

Formulas read the ops' arguments as the parser gives them: a ``dim`` is an int or a tuple of ints that
may be negative, or None; an empty tuple reduces every dim for the sums and norms (torch's
``IntArrayRef?`` convention), but counts one element per reduction in ``var``'s formula, as torch's
``_safe_size``. Gradients come back in any dtype: the engine casts them to the input's (and refuses a
complex gradient for a real input), as torch's ``validate_outputs``.

The whole-tensor and dim sums and means are on every training step (``loss.sum().backward()``), so
their entries compute on backend arrays too (:func:`sum_backward`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ..._arrays import from_array
from ..._tensor import Tensor
from ...ops.registry import call, functions
from ..grad_mode import STATE
from . import define, not_implemented
from .helpers import conj


# ----------------------------------------------------------------------------- dims
def _wrap(dim: int, ndim: int) -> int:
    """A dim of a tensor of ``ndim`` dims, wrapped (a zero-dim tensor's dims 0 and -1 are 0)."""
    return dim % max(ndim, 1)


def reduced_dims(dim: int | Sequence[int] | None, ndim: int) -> tuple[int, ...]:
    """The wrapped dims a reduction over ``dim`` reduced: every dim when ``dim`` is None or empty."""
    if dim is None or (not isinstance(dim, int) and not dim):
        return tuple(range(ndim))
    return (_wrap(dim, ndim),) if isinstance(dim, int) else tuple(_wrap(d, ndim) for d in dim)


def _named_dims(dim: Sequence[int] | None, ndim: int) -> tuple[int, ...]:
    """The wrapped dims ``dim`` names (none when it is None or empty)."""
    return () if not dim else tuple(_wrap(d, ndim) for d in dim)


def _kept_shape(shape: tuple[int, ...], dims: Sequence[int]) -> tuple[int, ...]:
    return tuple(1 if d in dims else s for d, s in enumerate(shape))


def unsqueeze_multiple(t: Tensor, dims: Sequence[int], ndim: int, keepdim: bool = False) -> Tensor:
    """torch's ``unsqueeze_multiple``: give back the reduced dims (size 1) unless they were kept."""
    if keepdim or ndim == 0:
        return t
    for d in sorted(dims):
        t = t.unsqueeze(d)
    return t


# ----------------------------------------------------------------------------- sum / mean / nansum
def sum_backward(grad: Any, shape: tuple[int, ...], dims: tuple[int, ...], keepdim: bool, count: int = 1) -> Any:
    """torch's ``sum_backward`` (divided by ``count`` for ``mean_backward``): the gradient with the
    reduced ``dims`` given back (unless kept) expanded over ``shape``. On tensors torch's ops (expand,
    then a division by the number, DivBackward1); on backend arrays the engine's lane: a fresh array
    filled with the gradient, divided once before filling (torch expands without copying, but every
    consumer of the lane copies or computes anew, and filling is cheaper than a broadcast view)."""
    restore = bool(dims) and not keepdim and bool(shape)
    if isinstance(grad, Tensor):
        if restore:
            grad = unsqueeze_multiple(grad, dims, len(shape))
        grad = grad.expand(shape)
        return grad if count == 1 else call("divide.Scalar", grad, count)
    if restore:
        grad = grad.reshape(_kept_shape(shape, dims))
    expanded = grad.__array_namespace__().empty(shape, grad.dtype)
    expanded[...] = grad if count == 1 else grad / count
    return expanded


def _mean_count(shape: tuple[int, ...], dims: tuple[int, ...]) -> int:
    """torch's ``mean_backward`` divisor: the reduced elements (all of them when no dim is named)."""
    return math.prod(shape[d] for d in dims) if dims and shape else math.prod(shape)


define("SumBackward0", {"self": lambda grad, self_shape: sum_backward(grad, self_shape, (), False)},
       arrays=True, dtype_check=True)
define("SumBackward1", {"self": lambda grad, self_shape, dim, keepdim: sum_backward(
    grad, self_shape, _named_dims(dim, len(self_shape)), keepdim)}, arrays=True, dtype_check=True)
define("MeanBackward0", {"self": lambda grad, self_shape: sum_backward(
    grad, self_shape, (), False, math.prod(self_shape))}, arrays=True, dtype_check=True)


def _mean_dim(grad: Any, self_shape: tuple[int, ...], dim: Sequence[int] | None, keepdim: bool) -> Any:
    dims = _named_dims(dim, len(self_shape))
    return sum_backward(grad, self_shape, dims, keepdim, _mean_count(self_shape, dims))


define("MeanBackward1", {"self": _mean_dim}, arrays=True, dtype_check=True)
define("NansumBackward0", {"self": lambda grad, self, dim, keepdim: sum_backward(
    grad, self._shape, _named_dims(dim, self.dim()), keepdim) * self.isnan().logical_not()}, dtype_check=True)


# ----------------------------------------------------------------------------- prod
def _any_zero(t: Tensor) -> bool:
    return bool((t._array == 0).any())


def _prod_safe_zeros(grad: Tensor, self: Tensor, dim: int) -> Tensor:
    """torch's ``prod_safe_zeros_backward``: products of all other elements along ``dim`` as exclusive
    cumulative products from both ends (exact with zeros in the input)."""
    if self.numel() == 0:
        return grad.expand_as(self)
    n = self._shape[dim]
    if n == 1:
        return grad
    ones = grad.new_ones(_kept_shape(self._shape, (dim,)))
    before = functions.cat([ones, self.narrow(dim, 0, n - 1)], dim).cumprod(dim)
    after = functions.cat([ones, self.narrow(dim, 1, n - 1).flip(dim)], dim).cumprod(dim).flip(dim)
    return grad * conj(before * after)


def _prod(grad: Tensor, self: Tensor, result: Tensor) -> Tensor:
    """torch's ``prod_backward`` of all elements: ``grad * result / input`` without zeros; zeros for
    two zeros or more outside grad mode; else the products of the other elements."""
    self = self.to(grad._dtype)
    if self.dim() == 0:
        return grad
    zeros = int((self._array == 0).sum())
    if zeros == 0:
        return grad * conj(result / self)
    if zeros > 1 and not STATE.enabled:
        return self.new_zeros(self._shape)
    return _prod_safe_zeros(grad, self.contiguous().view(-1), 0).view(self._shape)


def _prod_dim(grad: Tensor, self: Tensor, result: Tensor, dim: int, keepdim: bool) -> Tensor:
    """torch's ``prod_backward`` along ``dim``."""
    self = self.to(grad._dtype)
    if self.dim() == 0:
        return grad
    dim = _wrap(dim, self.dim())
    if not keepdim:
        grad, result = grad.unsqueeze(dim), result.unsqueeze(dim)
    return _prod_safe_zeros(grad, self, dim) if _any_zero(self) else grad * conj(result / self)


define("ProdBackward0", {"self": _prod}, dtype_check=True)
define("ProdBackward1", {"self": _prod_dim}, dtype_check=True)


# ----------------------------------------------------------------------------- var / std
def _reciprocal_scale(numerator: float, denominator: float) -> float:
    """C++ double division (``2 / 0`` is ``inf``) for the scale factors of the formulas."""
    if denominator == 0:
        return math.copysign(math.inf, numerator) if numerator else math.nan
    return numerator / denominator


def _var(grad: Tensor, self: Tensor, dim: Sequence[int] | None, correction: Any, keepdim: bool) -> Tensor:
    """torch's ``var_backward``: ``2 / (N - correction) * grad * (x - mean)``; with ``dim`` given, N
    counts its elements (1 for an empty dim list, as torch)."""
    correction = 1 if correction is None else correction
    if self.dim() == 0 or dim is None:
        dof = self.numel() - correction
        mean = self.mean()
        if dof <= 0:
            xp = self._backend.xp
            factor = xp.where(self._array == mean._array, math.nan, math.inf).astype(grad._array.dtype)
            return grad * from_array(factor, grad._dtype, grad.device, grad._backend)
        return _reciprocal_scale(2.0, dof) * grad * (self - mean)
    dims = tuple(_wrap(d, self.dim()) for d in dim)
    if not keepdim and self.dim() > 1:
        grad = unsqueeze_multiple(grad, dims, self.dim())
    count = math.prod(self._shape[d] for d in dims)
    return _reciprocal_scale(2.0, count - correction) * grad * (self - self.mean(dims, keepdim=True))


def _std_to_var_grad(grad: Tensor, std: Tensor) -> Tensor:
    """torch's ``std_backward``: the gradient of the variance (zero where the deviation is zero)."""
    return (grad / (std * 2)).masked_fill(std == 0, 0)


def _moment_mean(grad: Tensor, self: Tensor, dim: Sequence[int] | None, keepdim: bool) -> Tensor:
    """The mean output's part of ``var_mean``/``std_mean``: torch's ``mean_backward``."""
    dims = _named_dims(dim, self.dim())
    if dims:
        grad = unsqueeze_multiple(grad, dims, self.dim(), keepdim)
    count = math.prod(self._shape[d] for d in dims) if dims and self._shape else self.numel()
    return grad.expand(self._shape) / count


def _moments(grads: tuple, self: Tensor, spread_grad: Tensor | None, dim: Sequence[int] | None, correction: Any,
             keepdim: bool) -> Tensor | None:
    """``var_mean_backward`` / ``std_mean_backward``: the spread's part plus the mean's."""
    grad = None if spread_grad is None else _var(spread_grad, self, dim, correction, keepdim)
    if grads[1] is not None:
        part = _moment_mean(grads[1], self, dim, keepdim)
        grad = part if grad is None else grad + part
    return grad


define("VarBackward0", {"self": _var})
define("StdBackward0", {"self": lambda grad, result, self, dim, correction, keepdim: _var(
    _std_to_var_grad(grad, result), self, dim, correction, keepdim)})
define("VarMeanBackward0", {"self": lambda grads, self, dim, correction, keepdim: _moments(
    grads, self, grads[0], dim, correction, keepdim)})
define("StdMeanBackward0", {"self": lambda grads, self, result, dim, correction, keepdim: _moments(
    grads, self, None if grads[0] is None else _std_to_var_grad(grads[0], result), dim, correction, keepdim)})


# ----------------------------------------------------------------------------- max / min family
def _scaled_by_count(grad: Tensor, result: Tensor, self: Tensor, dims: tuple[int, ...], keepdim: bool) -> Tensor:
    """torch's ``scale_grad_by_count``: the gradient shared equally by the elements equal to the result."""
    if not keepdim:
        kept = _kept_shape(self._shape, dims)
        grad, result = grad.reshape(kept), result.reshape(kept)
    mask = result == self
    return (grad / mask.sum(dims, True)) * mask


def _aminmax(grads: tuple, self: Tensor, result: Tensor, result1: Tensor, dim: int | None, keepdim: bool) -> Tensor:
    """torch's ``aminmax_backward``: each extreme's gradient shared by its ties."""
    dims = reduced_dims(dim, self.dim())
    grad = None
    for g, extreme in zip(grads, (result, result1)):
        if g is not None:
            part = _scaled_by_count(g, extreme, self, dims, keepdim)
            grad = part if grad is None else grad + part
    return grad


def _evenly(grad: Tensor, self: Tensor, result: Tensor) -> Tensor:
    """torch's ``evenly_distribute_backward``: the gradient shared among the elements equal to the
    result (among the NaNs when the result is NaN)."""
    mask = self.isnan() if bool(result._array != result._array) else self == result
    return grad.new_zeros(self._shape).masked_fill(mask, grad / mask.sum())


def _selecting(grad: Tensor, self_shape: tuple[int, ...], dim: int, result1: Tensor, keepdim: bool) -> Tensor:
    """torch's ``value_selecting_reduction_backward``: the values' gradient scattered back to the
    positions their indices (output 1) name."""
    indices = result1
    dim = _wrap(dim, len(self_shape))
    if not keepdim and self_shape:
        grad, indices = grad.unsqueeze(dim), indices.unsqueeze(dim)
    return grad.new_zeros(self_shape).scatter(dim, indices, grad)


_VALUES_ONLY = (True, False)  # (values, indices): the indices never get history
for _node in ("MaxBackward0", "MinBackward0", "MedianBackward1", "NanmedianBackward1", "KthvalueBackward0"):
    define(_node, {"self": _selecting}, output_differentiability=_VALUES_ONLY)
for _node in ("SortBackward0", "SortBackward1", "TopkBackward0"):
    define(_node, {"self": lambda grad, self_shape, dim, result1: _selecting(grad, self_shape, dim, result1, True)},
           output_differentiability=_VALUES_ONLY)
for _node in ("MaxBackward1", "MinBackward1", "MedianBackward0", "NanmedianBackward0"):
    define(_node, {"self": _evenly})
for _node in ("AmaxBackward0", "AminBackward0"):
    define(_node, {"self": lambda grad, result, self, dim, keepdim: _scaled_by_count(
        grad, result, self, reduced_dims(dim, self.dim()), keepdim)})
define("AminmaxBackward0", {"self": _aminmax})


# ----------------------------------------------------------------------------- logsumexp / scans
def _logsumexp(grad: Tensor, self: Tensor, result: Tensor, dim: Sequence[int], keepdim: bool) -> Tensor:
    """torch's ``logsumexp_backward``: ``grad * exp(input - result)`` (each element's softmax weight)."""
    if not keepdim and self.dim() != 0:
        dims = reduced_dims(dim, self.dim())
        grad, result = unsqueeze_multiple(grad, dims, self.dim()), unsqueeze_multiple(result, dims, self.dim())
    return grad * conj((self - result).exp())


def _cumsum(grad: Tensor, self_dtype: Any, dim: int) -> Tensor:
    """torch's ``cumsum_backward(grad.to(self.scalar_type()), dim)``: the reversed cumulative sum."""
    grad = grad.to(self_dtype)
    if grad.numel() <= 1 or grad._shape[_wrap(dim, grad.dim())] == 1:
        return grad
    return grad.flip(dim).cumsum(dim).flip(dim)


def _cumprod_all_products(grad: Tensor, self: Tensor, dim: int) -> Tensor:
    """torch's composite cumprod gradient (valid with zeros, differentiable again): for each k, the
    products of the elements other than ``input[k]`` that each later output multiplies."""
    n = self._shape[dim]
    ones = grad.new_ones(_kept_shape(self._shape, (dim,)))
    pieces = []
    for k in range(n):
        if k == 0:
            omitted = functions.cat([ones, self.narrow(dim, 1, n - 1).cumprod(dim)], dim)
        else:
            until = self.narrow(dim, 0, k).prod(dim, keepdim=True)
            if k == n - 1:
                omitted = until
            else:
                after = self.narrow(dim, k + 1, n - k - 1).cumprod(dim)
                omitted = functions.cat([until, until.expand_as(after) * after], dim)
        pieces.append((grad.narrow(dim, k, n - k) * conj(omitted)).sum(dim).unsqueeze(dim))
    return functions.cat(pieces, dim)


def _cumprod(grad: Tensor, self: Tensor, dim: int, result: Tensor) -> Tensor:
    """torch's ``cumprod_backward(grad.to(self.scalar_type()), self, dim, result)``."""
    grad = grad.to(self._dtype)
    dim = _wrap(dim, self.dim())
    if self.numel() <= 1 or self._shape[dim] == 1:
        return grad
    if not _any_zero(self):
        return (conj(result) * grad).flip(dim).cumsum(dim).flip(dim) / conj(self)
    return _cumprod_all_products(grad, self, dim)


define("LogsumexpBackward0", {"self": _logsumexp})
define("CumsumBackward0", {"self": _cumsum}, dtype_check=True)
define("CumprodBackward0", {"self": _cumprod}, dtype_check=True)


# ----------------------------------------------------------------------------- norms
def _vector_norm(grad: Tensor, self: Tensor, ord: Any, result: Tensor, dim: Sequence[int] | None,
                 keepdim: bool) -> Tensor | None:
    """torch's ``linalg_vector_norm_backward`` (``norm_backward``); order 0 gives no gradient at all."""
    p = float(ord)
    norm = result
    dims = _named_dims(dim, self.dim())
    if p == 0:
        return None
    if not keepdim and self.dim() != 0:
        grad, norm = unsqueeze_multiple(grad, dims, self.dim()), unsqueeze_multiple(norm, dims, self.dim())
    if p == 1:
        return self.sgn() * grad
    if p == 2:
        return grad * (self / norm).masked_fill(norm == 0, 0)
    if math.isinf(p):
        magnitude = self.abs()
        mask = (magnitude == norm).logical_or(magnitude.isnan())
        return self.sgn() * ((grad / mask.sum(dims, True)) * mask)
    if p < 1:
        scaled = self.sgn() * self.abs().pow(p - 1).masked_fill(self == 0, 0)
        return scaled * grad * norm.pow(1 - p)
    scaled = self.sgn() * self.abs().pow(p - 1) if p < 2 else self * self.abs().pow(p - 2)
    return scaled * (grad / norm.pow(p - 1)).masked_fill(norm == 0, 0)


def _mh(a: Tensor) -> Tensor:
    return conj(a).mT


def _skew(a: Tensor) -> Tensor:
    return a - _mh(a)


def _svd(grads: tuple, result: Tensor, result1: Tensor, result2: Tensor) -> Tensor | None:
    """torch's ``svd_backward`` for the reduced SVD ``A = U diag(S) Vh`` (outputs U, S, Vh)."""
    g_u, g_s, g_vh = grads
    u, s, vh = result, result1, result2
    m, n = u._shape[-2], vh._shape[-1]
    if g_u is None and g_vh is None:
        if m >= n:
            return u.matmul(g_s.unsqueeze(-1) * vh)
        return (u * g_s.unsqueeze(-2)).matmul(vh)
    return _svd_with_vectors(g_u, g_s, g_vh, u, s, vh)


def _svd_with_vectors(g_u: Any, g_s: Any, g_vh: Any, u: Tensor, s: Tensor, vh: Tensor) -> Tensor:
    """The general case (gradients of the singular vectors too): torch's formula
    ``U [(skew(U^H gU) / E) S + S (skew(V^H gV) / E) + diag(gS)] V^H`` plus the projections onto
    the complements of the column spaces."""
    m, n = u._shape[-2], vh._shape[-1]
    uh_gu = _skew(_mh(u).matmul(g_u)) if g_u is not None else None
    vh_gv = _skew(vh.matmul(_mh(g_vh))) if g_vh is not None else None
    s2 = s * s
    e = s2.unsqueeze(-2) - s2.unsqueeze(-1)
    k = s._shape[-1]
    eye = from_array(s._backend.xp.eye(k, dtype=bool), s._dtype, s.device, s._backend)
    e = e.masked_fill(eye.bool(), 1)
    if uh_gu is not None and vh_gv is not None:
        inner = (uh_gu * s.unsqueeze(-2) + s.unsqueeze(-1) * vh_gv) / e
    elif uh_gu is not None:
        inner = (uh_gu / e) * s.unsqueeze(-2)
    else:
        inner = s.unsqueeze(-1) * (vh_gv / e)
    if g_s is not None:
        inner = inner + g_s.diag_embed()
    if u._dtype.is_complex and uh_gu is not None:
        # the diagonal of a skew-Hermitian matrix is purely imaginary: i * Im(d) / (2 S) = d / (2 S)
        inner = inner + (uh_gu.diagonal(0, -2, -1) / (2 * s)).diag_embed()
    if m > n and g_u is not None:
        grad = u.matmul(inner)
        gu_sinv = g_u / s.unsqueeze(-2)
        grad = grad + gu_sinv - u.matmul(_mh(u).matmul(gu_sinv))
        return grad.matmul(vh)
    if m < n and g_vh is not None:
        grad = inner.matmul(vh)
        sinv_gvh = g_vh / s.unsqueeze(-1)
        grad = grad + sinv_gvh - sinv_gvh.matmul(_mh(vh)).matmul(vh)
        return u.matmul(grad)
    return u.matmul(inner.matmul(vh)) if m >= n else u.matmul(inner).matmul(vh)


define("LinalgVectorNormBackward0", {"self": _vector_norm})
define("LinalgSvdBackward0", {"A": _svd})


# ----------------------------------------------------------------------------- not differentiable
for _aten, _node in (("_unique2", "Unique2Backward0"), ("unique_dim", "UniqueDimBackward0"),
                     ("unique_consecutive", "UniqueConsecutiveBackward0")):
    not_implemented(_aten, name=_node, error=NotImplementedError,
                    message=f"the derivative for '{_aten}' is not implemented.")
