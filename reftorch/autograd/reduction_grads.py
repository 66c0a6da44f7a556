"""Derivatives of the reductions, scans and selections (torch's tools/autograd/derivatives.yaml and
FunctionsManual.cpp): ``sum``/``mean``/``nansum``/``prod``, ``var``/``std`` (and ``*_mean``),
``amax``/``amin``/``aminmax``, ``max``/``min``/``median``/``nanmedian`` (with and without ``dim``),
``kthvalue``/``sort``/``topk``, ``logsumexp``, ``cumsum``/``cumprod``, ``linalg.vector_norm`` and the
singular values behind the nuclear norm; ``unique`` records a node whose backward raises.

Each ``record_*`` function attaches torch's node (named as torch's grad_fn class) to an op's
result; the formulas are written with reftorch ops, so ``create_graph=True`` differentiates them
again. As torch's engine does, each input gradient is cast to the input's dtype (a complex
gradient for a real input is refused with the engine's error).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .. import _dtype as D
from .._tensor import Tensor
from .elementwise_grads import conj
from .grad_mode import STATE
from .graph import NODE_CLASSES, array_twin, gradient_edge, record


# ----------------------------------------------------------------------------- helpers
def check_differentiable(dtype: D.dtype) -> None:
    """torch refuses to record a differentiable op whose result cannot carry gradients (e.g.
    ``x.sum(dtype=torch.int64)`` on an ``x`` that requires grad)."""
    if not (dtype.is_floating_point or dtype.is_complex):
        raise RuntimeError(f"Autograd not support dtype: {dtype.scalar_name}")


def _to_input(g: Tensor | None, dtype: D.dtype) -> Tensor | None:
    """The engine's cast of an input gradient to the input's dtype."""
    if g is None or g._dtype is dtype:
        return g
    if g._dtype.is_complex and not dtype.is_complex:
        raise RuntimeError("Expected isFloatingType(grad.scalar_type()) || "
                           "(input_is_complex == grad_is_complex) to be true, but got false.")
    return g.to(dtype)


def _from_array(values: Any, like: Tensor) -> Tensor:
    from ..ops._util import from_array

    return from_array(values, like._dtype, like.device, like._backend)


def _unsqueeze_dims(t: Tensor, dims: Sequence[int], ndim: int, keepdim: bool) -> Tensor:
    """torch's ``unsqueeze_multiple``: give back the reduced dims (size 1) unless they were kept."""
    if keepdim or ndim == 0:
        return t
    for d in sorted(dims):
        t = t.unsqueeze(d)
    return t


def _kept_shape(shape: tuple[int, ...], dims: Sequence[int]) -> tuple[int, ...]:
    return tuple(1 if d in dims else s for d, s in enumerate(shape))


def _reciprocal_scale(numerator: float, denominator: float) -> float:
    """C++ double division (``2 / 0`` is ``inf``) for the scale factors of the formulas."""
    if denominator == 0:
        return math.copysign(math.inf, numerator) if numerator else math.nan
    return numerator / denominator


def _any_zero(t: Tensor) -> bool:
    return bool((t._array == 0).any())


def _cat(tensors: list[Tensor], dim: int) -> Tensor:
    from ..ops.registry import call

    return call("cat", tensors, dim)


# ----------------------------------------------------------------------------- sum / mean / nansum
def _sum_backward(node: Any, g: Tensor) -> tuple:
    shape, dims, keepdim, dtype = node._ctx[:4]
    if dims:
        g = _unsqueeze_dims(g, dims, len(shape), keepdim)
    return (_to_input(g, dtype).expand(shape),)


def _mean_backward(node: Any, g: Tensor) -> tuple:
    shape, dims, keepdim, dtype = node._ctx[:4]
    if dims:
        g = _unsqueeze_dims(g, dims, len(shape), keepdim)
    return (_to_input(g.expand(shape) / node._ctx[6], dtype),)


@array_twin(_mean_backward)
@array_twin(_sum_backward)
def _expanded_array(node: Any, g: Any) -> tuple | None:
    """Array twin of sum/mean backward: ``g`` (divided by the element count for mean) broadcast
    back over the reduced dims, written into a fresh array (torch expands without copying; every
    consumer of the array lane copies or computes a new array from it anyway, and filling is far
    cheaper than ``broadcast_to``)."""
    shape, dims, keepdim, dtype, xp, array_dtype, count = node._ctx
    if g.dtype != array_dtype:
        return None
    if dims and not keepdim:
        g = g.reshape(tuple(1 if i in dims else size for i, size in enumerate(shape)))
    expanded = xp.empty(shape, array_dtype)
    expanded[...] = g / count if count != 1 else g
    return (expanded,)


def record_sum(name: str, out: Tensor, input: Tensor, dims: tuple[int, ...], keepdim: bool) -> None:
    """SumBackward0 (no ``dim`` argument) / SumBackward1 and MeanBackward0/1: the gradient expanded
    over the reduced dims (divided by their element count for mean). ``dims`` is empty when the
    call reduced everything without naming dims."""
    shape = input._shape
    if name.startswith("Mean"):
        backward = _mean_backward
        count = math.prod(shape[d] for d in dims) if dims and shape else math.prod(shape)
    else:
        backward, count = _sum_backward, 1
    ctx = (shape, dims, keepdim, input._dtype, input._storage.backend.xp, input._array.dtype, count)
    # What record() does for one input, one differentiable output and nothing saved, without its
    # generic bookkeeping (sum and mean are on every loss).
    out._grad_fn = NODE_CLASSES[name](backward, (gradient_edge(input),), (), ctx, 1, False)
    out._requires_grad = True


def _nansum_backward(node: Any, g: Tensor) -> tuple:
    dims, keepdim = node._ctx
    (input,) = node.saved_tensors
    if dims:
        g = _unsqueeze_dims(g, dims, input.dim(), keepdim)
    return (_to_input(g.expand(input._shape) * input.isnan().logical_not(), input._dtype),)


def record_nansum(out: Tensor, input: Tensor, dims: tuple[int, ...], keepdim: bool) -> None:
    """NansumBackward0: the sum's gradient, zero where the input is NaN."""
    record("NansumBackward0", out, (input,), _nansum_backward, (input,), (dims, keepdim))


# ----------------------------------------------------------------------------- prod
def _prod_safe_zeros(g: Tensor, inp: Tensor, dim: int) -> Tensor:
    """Products of all other elements along ``dim`` as exclusive cumulative products from both
    ends (exact with zeros in the input)."""
    if inp.numel() == 0:
        return g.expand_as(inp)
    n = inp._shape[dim]
    if n == 1:
        return g
    ones = g.new_ones(_kept_shape(inp._shape, (dim,)))
    before = _cat([ones, inp.narrow(dim, 0, n - 1)], dim).cumprod(dim)
    after = _cat([ones, inp.narrow(dim, 1, n - 1).flip(dim)], dim).cumprod(dim).flip(dim)
    return g * conj(before * after)


def _prod_backward(node: Any, g: Tensor) -> tuple:
    dim, keepdim, dtype = node._ctx
    input, result = node.saved_tensors
    input = input.to(g._dtype)
    if input.dim() == 0:
        return (_to_input(g, dtype),)
    if dim is None:
        zeros = int((input._array == 0).sum())
        if zeros == 0:
            grad = g * conj(result / input)
        elif zeros > 1 and not STATE.enabled:
            grad = input.new_zeros(input._shape)
        else:
            grad = _prod_safe_zeros(g, input.contiguous().view(-1), 0).view(input._shape)
    else:
        if not keepdim:
            g, result = g.unsqueeze(dim), result.unsqueeze(dim)
        grad = _prod_safe_zeros(g, input, dim) if _any_zero(input) else g * conj(result / input)
    return (_to_input(grad, dtype),)


def record_prod(out: Tensor, input: Tensor, dim: int | None, keepdim: bool) -> None:
    """ProdBackward0 (all elements) / ProdBackward1 (one dim): ``grad * result / input`` without
    zeros, products of the other elements otherwise."""
    record("ProdBackward0" if dim is None else "ProdBackward1", out, (input,), _prod_backward, (input, out),
           (dim, keepdim, input._dtype))


# ----------------------------------------------------------------------------- var / std
def _var_backward(g: Tensor, input: Tensor, dims: tuple[int, ...] | None, correction: float,
                  keepdim: bool) -> Tensor:
    """torch's ``var_backward``: ``2 / (N - correction) * grad * (x - mean)``; with ``dims`` given,
    N counts their elements (1 for an empty dim list, as torch)."""
    if input.dim() == 0 or dims is None:
        dof = input.numel() - correction
        mean = input.mean()
        if dof <= 0:
            xp = input._backend.xp
            factor = xp.where(input._array == mean._array, math.nan, math.inf).astype(g._array.dtype)
            return g * _from_array(factor, g)
        return _reciprocal_scale(2.0, dof) * g * (input - mean)
    if not keepdim and input.dim() > 1:
        g = _unsqueeze_dims(g, dims, input.dim(), False)
    count = math.prod(input._shape[d] for d in dims)
    return _reciprocal_scale(2.0, count - correction) * g * (input - input.mean(dims, keepdim=True))


def _std_to_var_grad(g: Tensor, std: Tensor) -> Tensor:
    return (g / (std * 2)).masked_fill(std == 0, 0)


def _moment_backward(node: Any, *grads: Any) -> tuple:
    dims, correction, keepdim, is_std = node._ctx
    saved = node.saved_tensors
    input = saved[0]
    g_spread = grads[0]
    grad = None
    if g_spread is not None:
        if is_std:
            g_spread = _std_to_var_grad(g_spread, saved[1])
        grad = _var_backward(g_spread, input, dims, correction, keepdim)
    if len(grads) > 1 and grads[1] is not None:
        mean_dims = dims or ()
        g_mean = _unsqueeze_dims(grads[1], mean_dims, input.dim(), keepdim) if mean_dims else grads[1]
        count = math.prod(input._shape[d] for d in mean_dims) if mean_dims and input._shape else input.numel()
        part = g_mean.expand(input._shape) / count
        grad = part if grad is None else grad + part
    return (_to_input(grad, input._dtype),)


def record_moment(name: str, outputs: Tensor | tuple[Tensor, Tensor], input: Tensor,
                  dims: tuple[int, ...] | None, correction: float, keepdim: bool) -> None:
    """VarBackward0 / StdBackward0 / VarMeanBackward0 / StdMeanBackward0. ``dims`` is None when no
    dim was given (the whole-tensor formula)."""
    is_std = name.startswith("Std")
    spread = outputs[0] if isinstance(outputs, tuple) else outputs
    saved = (input, spread) if is_std else (input,)
    record(name, outputs, (input,), _moment_backward, saved, (dims, correction, keepdim, is_std))


# ----------------------------------------------------------------------------- max / min family
def _scaled_by_count(g: Tensor, result: Tensor, input: Tensor, dims: tuple[int, ...],
                     keepdim: bool) -> Tensor:
    """torch's ``scale_grad_by_count``: the gradient shared equally by the elements equal to the result."""
    if not keepdim:
        kept = _kept_shape(input._shape, dims)
        g, result = g.reshape(kept), result.reshape(kept)
    mask = result == input
    return (g / mask.sum(dims, True)) * mask


def _amax_backward(node: Any, g: Tensor) -> tuple:
    dims, keepdim = node._ctx
    input, result = node.saved_tensors
    return (_scaled_by_count(g, result, input, dims, keepdim),)


def record_amax(name: str, out: Tensor, input: Tensor, dims: tuple[int, ...], keepdim: bool) -> None:
    """AmaxBackward0 / AminBackward0: ties share the gradient equally."""
    record(name, out, (input,), _amax_backward, (input, out), (dims, keepdim))


def _aminmax_backward(node: Any, g_min: Any, g_max: Any) -> tuple:
    dims, keepdim = node._ctx
    input, low, high = node.saved_tensors
    grad = None
    for g, result in ((g_min, low), (g_max, high)):
        if g is not None:
            part = _scaled_by_count(g, result, input, dims, keepdim)
            grad = part if grad is None else grad + part
    return (grad,)


def record_aminmax(outputs: tuple[Tensor, Tensor], input: Tensor, dims: tuple[int, ...],
                   keepdim: bool) -> None:
    """AminmaxBackward0 (two outputs): each extreme's gradient shared by its ties."""
    record("AminmaxBackward0", outputs, (input,), _aminmax_backward, (input, *outputs), (dims, keepdim))


def _evenly_backward(node: Any, g: Tensor) -> tuple:
    input, result = node.saved_tensors
    mask = input.isnan() if bool(result._array != result._array) else input == result
    return (g.new_zeros(input._shape).masked_fill(mask, g / mask.sum()),)


def record_evenly(name: str, out: Tensor, input: Tensor) -> None:
    """MaxBackward1 / MinBackward1 / MedianBackward0 / NanmedianBackward0 (no ``dim``): torch's
    ``evenly_distribute_backward`` shares the gradient among the elements equal to the result
    (among the NaNs when the result is NaN)."""
    record(name, out, (input,), _evenly_backward, (input, out))


def _selecting_backward(node: Any, g: Tensor, *_: Any) -> tuple:
    dim, shape, keepdim = node._ctx
    (indices,) = node.saved_tensors
    if not keepdim and shape:
        g, indices = g.unsqueeze(dim), indices.unsqueeze(dim)
    return (g.new_zeros(shape).scatter(dim, indices, g),)


def record_selecting(name: str, outputs: tuple[Tensor, Tensor], input: Tensor, dim: int,
                     keepdim: bool) -> None:
    """Ops that pick elements and report their indices (``max(dim)``, ``median(dim)``, ``kthvalue``,
    ``sort``, ``topk``...): the values' gradient is scattered back to the picked positions; the
    indices output never requires grad."""
    record(name, outputs, (input,), _selecting_backward, (outputs[1],), (dim, input._shape, keepdim))


# ----------------------------------------------------------------------------- logsumexp / scans
def _logsumexp_backward(node: Any, g: Tensor) -> tuple:
    dims, keepdim = node._ctx
    input, result = node.saved_tensors
    if not keepdim and input.dim() != 0:
        g, result = (_unsqueeze_dims(t, dims, input.dim(), False) for t in (g, result))
    return (g * conj((input - result).exp()),)


def record_logsumexp(out: Tensor, input: Tensor, dims: tuple[int, ...], keepdim: bool) -> None:
    """LogsumexpBackward0: ``grad * exp(input - result)`` (each element's softmax weight)."""
    record("LogsumexpBackward0", out, (input,), _logsumexp_backward, (input, out), (dims, keepdim))


def _cumsum_backward(node: Any, g: Tensor) -> tuple:
    dim, dtype = node._ctx
    g = _to_input(g, dtype)
    if g.numel() <= 1 or g._shape[dim] == 1:
        return (g,)
    return (g.flip(dim).cumsum(dim).flip(dim),)


def _cumprod_all_products(g: Tensor, input: Tensor, dim: int) -> Tensor:
    """torch's composite cumprod gradient (valid with zeros, differentiable again): for each k, the
    products of the elements other than ``input[k]`` that each later output multiplies."""
    n = input._shape[dim]
    ones = g.new_ones(_kept_shape(input._shape, (dim,)))
    pieces = []
    for k in range(n):
        if k == 0:
            omitted = _cat([ones, input.narrow(dim, 1, n - 1).cumprod(dim)], dim)
        else:
            until = input.narrow(dim, 0, k).prod(dim, keepdim=True)
            if k == n - 1:
                omitted = until
            else:
                after = input.narrow(dim, k + 1, n - k - 1).cumprod(dim)
                omitted = _cat([until, until.expand_as(after) * after], dim)
        pieces.append((g.narrow(dim, k, n - k) * conj(omitted)).sum(dim).unsqueeze(dim))
    return _cat(pieces, dim)


def _cumprod_backward(node: Any, g: Tensor) -> tuple:
    dim, dtype = node._ctx
    input, result = node.saved_tensors
    g = _to_input(g, dtype)
    if input.numel() <= 1 or input._shape[dim] == 1:
        return (g,)
    if not _any_zero(input):
        weighted = conj(result) * g
        return (_to_input(weighted.flip(dim).cumsum(dim).flip(dim) / conj(input), dtype),)
    return (_to_input(_cumprod_all_products(g, input, dim), dtype),)


def record_cumulative(name: str, out: Tensor, input: Tensor, dim: int) -> None:
    """CumsumBackward0 (reversed cumulative sum of the gradient) / CumprodBackward0."""
    if name == "CumsumBackward0":
        record(name, out, (input,), _cumsum_backward, (), (dim, input._dtype))
    else:
        record(name, out, (input,), _cumprod_backward, (input, out), (dim, input._dtype))


# ----------------------------------------------------------------------------- norms
def _vector_norm_backward(node: Any, g: Tensor) -> tuple:
    p, dims, keepdim = node._ctx
    input, norm = node.saved_tensors
    if p == 0:
        return (None,)
    if not keepdim and input.dim() != 0:
        g, norm = (_unsqueeze_dims(t, dims, input.dim(), False) for t in (g, norm))
    if p == 1:
        grad = input.sgn() * g
    elif p == 2:
        grad = g * (input / norm).masked_fill(norm == 0, 0)
    elif math.isinf(p):
        magnitude = input.abs()
        mask = (magnitude == norm).logical_or(magnitude.isnan())
        grad = input.sgn() * ((g / mask.sum(dims, True)) * mask)
    elif p < 1:
        scaled = input.sgn() * input.abs().pow(p - 1).masked_fill(input == 0, 0)
        grad = scaled * g * norm.pow(1 - p)
    else:
        scaled = input.sgn() * input.abs().pow(p - 1) if p < 2 else input * input.abs().pow(p - 2)
        grad = scaled * (g / norm.pow(p - 1)).masked_fill(norm == 0, 0)
    return (_to_input(grad, input._dtype),)


def record_vector_norm(out: Tensor, input: Tensor, p: float, dims: tuple[int, ...], keepdim: bool) -> None:
    """LinalgVectorNormBackward0 (torch's ``norm_backward``); ``p = 0`` gives no gradient at all.
    ``dims`` is empty when no dim was given."""
    record("LinalgVectorNormBackward0", out, (input,), _vector_norm_backward, (input, out),
           (p, dims, keepdim))


def _svd_backward(node: Any, g_u: Any, g_s: Any, g_vh: Any) -> tuple:
    """torch's ``svd_backward`` for the reduced SVD ``A = U diag(S) Vh``."""
    u, s, vh = node._ctx
    if g_u is None and g_vh is None:
        if g_s is None:
            return (None,)
        m, n = u._shape[-2], vh._shape[-1]
        if m >= n:
            return (u.matmul(g_s.unsqueeze(-1) * vh),)
        return ((u * g_s.unsqueeze(-2)).matmul(vh),)
    return (_svd_backward_full(g_u, g_s, g_vh, u, s, vh),)


def _mh(a: Tensor) -> Tensor:
    return conj(a).mT


def _skew(a: Tensor) -> Tensor:
    return a - _mh(a)


def _svd_backward_full(g_u: Any, g_s: Any, g_vh: Any, u: Tensor, s: Tensor, vh: Tensor) -> Tensor:
    """The general case (gradients of the singular vectors too): torch's formula
    ``U [(skew(U^H gU) / E) S + S (skew(V^H gV) / E) + diag(gS)] V^H`` plus the projections onto
    the complements of the column spaces."""
    m, n = u._shape[-2], vh._shape[-1]
    uh_gu = _skew(_mh(u).matmul(g_u)) if g_u is not None else None
    vh_gv = _skew(vh.matmul(_mh(g_vh))) if g_vh is not None else None
    s2 = s * s
    e = s2.unsqueeze(-2) - s2.unsqueeze(-1)
    k = s._shape[-1]
    xp = s._backend.xp
    eye = _from_array(xp.eye(k, dtype=bool), s)
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


def record_svd(outputs: tuple[Tensor, Tensor, Tensor], input: Tensor) -> None:
    """LinalgSvdBackward0 on (U, S, Vh) of the reduced SVD. The formula reads the outputs from the
    node's context, where they keep their history (so a second derivative flows through U and Vh
    too); they are also saved, so a second backward without ``retain_graph`` raises as in torch."""
    record("LinalgSvdBackward0", outputs, (input,), _svd_backward, outputs, outputs)


# ----------------------------------------------------------------------------- not differentiable
def record_not_implemented(name: str, outputs: Tensor | tuple, input: Tensor, aten_name: str) -> None:
    """A node whose backward raises torch's NotImplementedError (``unique`` and friends)."""
    def backward(node: Any, *grads: Any) -> tuple:
        raise NotImplementedError(f"the derivative for '{aten_name}' is not implemented.")

    record(name, outputs, (input,), backward)
