"""Pooling: ``max_pool2d_with_indices``, ``avg_pool2d``, ``_adaptive_avg_pool2d``,
``adaptive_max_pool2d`` and their 1-d and composite front ends, as aten/src/ATen/native/Pooling.cpp,
MaxPooling.cpp, DilatedMaxPool2d.cpp, AveragePool2d.cpp and AdaptiveAveragePooling.cpp compute them.

Vectorised like the convolutions: the padded input is viewed as its windows with one strided view
(``reftorch.ops.convolution.windows``), reduced in one call (``argmax``/``sum``); gradients scatter
back with one ``bincount`` (max pooling, indices into each plane) or the windows' adjoint
(average pooling). Adaptive pooling windows vary in size: the average is a product with a 0/1
matrix per dim, the maximum a gather of the widest window (its last element repeated).

The 1-d ops are torch's composites: ``unsqueeze(-2)``, the 2-d op, ``squeeze(-2)`` (SqueezeBackward1).
``adaptive_avg_pool2d`` to (1, 1) is ``mean((-1, -2), keepdim=True)`` (MeanBackward1), as in torch.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .. import _dtype as D
from .._tensor import Tensor
from ._util import result_tensor, shape_str, unsupported_dtype
from .convolution import col2im_array, windows
from .registry import aten, register

# ----------------------------------------------------------------------------- shapes and checks


def pooling_output_shape(size: int, kernel: int, pad: int, stride: int, dilation: int, ceil_mode: bool) -> int:
    """ATen's ``pooling_output_shape``, with its checks."""
    if stride == 0:
        raise RuntimeError("stride should not be zero")
    if pad < 0:
        raise RuntimeError(f"pad must be non-negative, but got pad: {pad}")
    if pad > int(((kernel - 1) * dilation + 1) / 2):
        raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={pad}, "
                           f"kernel_size={kernel} and dilation={dilation}")
    out = (size + 2 * pad - dilation * (kernel - 1) - 1 + (stride - 1 if ceil_mode else 0)) // stride + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1
    return out


def _pair(values: Sequence[int], name: str, what: str, allow_empty: bool = False) -> tuple[int, int] | None:
    if allow_empty and not values:
        return None
    if len(values) not in (1, 2):
        raise RuntimeError(f"{name}: {what}")
    return (values[0], values[0]) if len(values) == 1 else (values[0], values[1])


def _pool2d_params(self: Tensor, name: str, kernel_size: Sequence[int], stride: Sequence[int],
                   padding: Sequence[int], dilation: Sequence[int], ceil_mode: bool) -> tuple:
    k = _pair(kernel_size, name, "kernel_size must either be a single int, or a tuple of two ints")
    s = _pair(stride, name, "stride must either be omitted, a single int, or a tuple of two ints", True) or k
    p = _pair(padding, name, "padding must either be a single int, or a tuple of two ints")
    d = _pair(dilation, name, "dilation must be either a single int, or a tuple of two ints")
    if self.dim() not in (3, 4):
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    h, w = self._shape[-2:]
    oh = pooling_output_shape(h, k[0], p[0], s[0], d[0], ceil_mode)
    ow = pooling_output_shape(w, k[1], p[1], s[1], d[1], ceil_mode)
    if k[0] <= 0 or k[1] <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kH: {k[0]} kW: {k[1]}")
    if s[0] <= 0 or s[1] <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got dH: {s[0]} dW: {s[1]}")
    if d[0] <= 0 or d[1] <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got dilationH: {d[0]} dilationW: {d[1]}")
    shape = self._shape
    valid = shape[-3] != 0 and shape[-2] != 0 and (self.dim() == 3 or shape[-1] != 0)
    if not valid:
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but "
                           f"got:{shape_str(shape)}")
    if k[1] // 2 < p[1] or k[0] // 2 < p[0]:
        raise RuntimeError(f"pad should be smaller than or equal to half of kernel size, but got padW = {p[1]}, "
                           f"padH = {p[0]}, kW = {k[1]}, kH = {k[0]}")
    if oh < 1 or ow < 1:
        c = shape[-3]
        raise RuntimeError(f"Given input size: ({c}x{h}x{w}). Calculated output size: ({c}x{oh}x{ow}). Output size "
                           "is too small")
    return k, s, p, d, (oh, ow)


def _padded(xp: Any, arr: Any, pad: tuple, out: tuple, kernel: tuple, stride: tuple, dilation: tuple,
            value: Any) -> Any:
    """``arr`` padded by ``pad`` on the left and far enough on the right for every (ceil-mode) window."""
    widths = [(0, 0)] * (arr.ndim - 2)
    for size, p, o, k, s, d in zip(arr.shape[-2:], pad, out, kernel, stride, dilation):
        need = (o - 1) * s + d * (k - 1) + 1
        widths.append((p, max(need - size - p, 0)))
    if not any(w for pair in widths for w in pair):
        return arr
    return xp.pad(arr, widths, constant_values=value)


def _lowest(xp: Any, dtype: Any) -> Any:
    return -xp.inf if dtype.kind in "fc" else xp.iinfo(dtype).min


def _scatter_planes(xp: Any, grad: Any, indices: Any, plane_shape: tuple, lead: tuple, disjoint: bool) -> Any:
    """``grad`` added at ``indices`` (flat positions within each plane of ``plane_shape``): one bincount
    (summed in float64), or one indexed store when no two indices of a plane coincide (``disjoint``)."""
    planes = math.prod(lead)
    size = math.prod(plane_shape)
    if planes * size == 0:
        return xp.zeros(lead + plane_shape, dtype=grad.dtype)
    offsets = (xp.arange(planes) * size).reshape((planes,) + (1,) * (grad.ndim - len(lead)))
    flat = (indices.reshape((planes,) + indices.shape[len(lead):]) + offsets).ravel()
    if disjoint:
        summed = xp.zeros(planes * size, dtype=grad.dtype)
        summed[flat] = grad.ravel()
        return summed.reshape(lead + plane_shape)
    summed = xp.bincount(flat, weights=grad.reshape(-1).astype("float64") if grad.dtype.kind == "f" else grad.ravel(),
                         minlength=planes * size)
    return summed.astype(grad.dtype).reshape(lead + plane_shape)


# ----------------------------------------------------------------------------- max pooling


@register("max_pool2d_with_indices", "max_pool2d_with_indices(Tensor input, IntArrayRef[2] kernel_size, "
          "IntArrayRef[2] stride=None, IntArrayRef[2] padding=0, IntArrayRef[2] dilation=1, bool ceil_mode=False)",
          node="MaxPool2DWithIndicesBackward0", function=False, method=False)
def max_pool2d_with_indices(self: Tensor, kernel_size: Sequence[int], stride: Sequence[int] | None,
                            padding: Sequence[int], dilation: Sequence[int], ceil_mode: bool) -> tuple:
    """``torch._C._nn.max_pool2d_with_indices``: each window's maximum (the first one scanning rows,
    the last NaN) and its flat index ``h * W + w`` within the input plane."""
    k, s, p, d, out = _pool2d_params(self, "max_pool2d", kernel_size, stride or (), padding, dilation, ceil_mode)
    if self._dtype is D.bool or self._dtype.category == D.COMPLEX:
        raise unsupported_dtype("max_pool2d", self._dtype)
    xp = self._backend.xp
    arr = self._array
    lowest = _lowest(xp, arr.dtype)
    win = windows(xp, _padded(xp, arr, p, out, k, s, d, lowest), out, k, s, d)  # (..., kh, kw, oh, ow)
    width = arr.shape[-1]
    rows, cols = (xp.arange(o) * st - pd for o, st, pd in zip(out, s, p))  # each window's first tap
    first_row, first_col = (xp.where(r < 0, r + (-r + dd - 1) // dd * dd, r) for r, dd in zip((rows, cols), d))
    base = rows.reshape(-1, 1) * width + cols
    first = first_row.reshape(-1, 1) * width + first_col
    values, tap = _window_max(xp, [win[..., i, j, :, :] for i in range(k[0]) for j in range(k[1])], lowest)
    offsets = xp.asarray([i * d[0] * width + j * d[1] for i in range(k[0]) for j in range(k[1])] + [0])
    indices = xp.where(tap == k[0] * k[1], first, xp.take(offsets, tap) + base)
    return (result_tensor(values, self._dtype, self), result_tensor(indices, D.int64, self))


def _window_max(xp: Any, taps: list[Any], lowest: Any) -> tuple[Any, Any]:
    """The maximum over the windows' taps (equally shaped views, ``lowest`` in the padding) and the
    number of the tap holding it, as MaxPoolKernel.cpp's ``cpu_max_pool`` scans each window: from
    ``lowest``, a tap wins when it is greater or NaN (the last NaN wins); ``len(taps)`` where none
    won (torch keeps the window's first input element). One pass of branch-free elementwise ops per
    tap (no copy of the windows, no loop over elements); the tap numbers are bytes, updated as
    ``tap -= wins * (tap - k)`` (exact modulo 256)."""
    best = xp.full(taps[0].shape, lowest, dtype=taps[0].dtype)
    tap = xp.full(best.shape, len(taps), dtype="uint8" if len(taps) < 256 else "int64")
    floating = best.dtype.kind == "f"
    for k, view in enumerate(taps):
        wins = view > best
        if floating:
            wins |= xp.isnan(view)
        xp.maximum(best, view, out=best)  # NaN-propagating: a NaN stays the maximum
        tap -= wins * (tap - xp.asarray(k, dtype=tap.dtype))
    return best, tap


@register("max_pool2d_with_indices_backward", "max_pool2d_with_indices_backward(Tensor grad_output, Tensor input, "
          "IntArrayRef[2] kernel_size, IntArrayRef[2] stride, IntArrayRef[2] padding, IntArrayRef[2] dilation, "
          "bool ceil_mode, Tensor indices)", node="NotImplemented:max_pool2d_with_indices_backward", function=False,
          method=False)
def max_pool2d_with_indices_backward(grad_output: Tensor, self: Tensor, kernel_size: Sequence[int],
                                     stride: Sequence[int], padding: Sequence[int], dilation: Sequence[int],
                                     ceil_mode: bool, indices: Tensor) -> Tensor:
    """``torch._C._nn.max_pool2d_with_indices_backward``: each output gradient added at its index
    (stored, not added, when the windows cannot overlap: each input element is then some window's
    maximum at most once)."""
    k, s, _, d, _ = _pool2d_params(self, "max_pool2d", kernel_size, stride, padding, dilation, ceil_mode)
    disjoint = all(st >= dd * (kk - 1) + 1 for kk, st, dd in zip(k, s, d))
    return _index_backward(grad_output, self, indices, disjoint)


def _index_backward(grad_output: Tensor, self: Tensor, indices: Tensor, disjoint: bool = False) -> Tensor:
    xp = self._backend.xp
    lead = self._shape[:-2]
    g = _scatter_planes(xp, grad_output._array, indices._array, self._shape[-2:], lead, disjoint)
    return result_tensor(g, self._dtype, self)


@register("max_pool2d", "max_pool2d(Tensor input, IntArrayRef[2] kernel_size, IntArrayRef[2] stride=None, "
          "IntArrayRef[2] padding=0, IntArrayRef[2] dilation=1, bool ceil_mode=False)", composite=True, method=False)
def max_pool2d(self: Tensor, kernel_size: Sequence[int], stride: Sequence[int] | None, padding: Sequence[int],
               dilation: Sequence[int], ceil_mode: bool) -> Tensor:
    """``torch.max_pool2d``: the values of ``max_pool2d_with_indices`` (its node, as torch's CPU path)."""
    return aten.max_pool2d_with_indices(self, kernel_size, stride or (), padding, dilation, ceil_mode)[0]


def _check_dim_range(self: Tensor, name: str) -> None:
    if self.dim() not in (2, 3):
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {self.dim()}-dimensional tensor for argument #1 "
                           f"'self' (while checking arguments for {name})")


def _one(values: Sequence[int], name: str, arg: str) -> int:
    if len(values) != 1:
        raise RuntimeError(f"{name}() argument '{arg}' should contain one int (got {len(values)})")
    return values[0]


@register("max_pool1d_with_indices", "max_pool1d_with_indices(Tensor input, IntArrayRef[1] kernel_size, "
          "IntArrayRef[1] stride=None, IntArrayRef[1] padding=0, IntArrayRef[1] dilation=1, bool ceil_mode=False)",
          composite=True, method=False)
def max_pool1d_with_indices(self: Tensor, kernel_size: Sequence[int], stride: Sequence[int] | None,
                            padding: Sequence[int], dilation: Sequence[int], ceil_mode: bool) -> tuple:
    """``torch.max_pool1d_with_indices``: ``max_pool2d_with_indices`` of ``input.unsqueeze(-2)``, squeezed."""
    stride = stride or kernel_size
    _check_dim_range(self, "max_pool1d")
    k, s = _one(kernel_size, "max_pool1d", "kernel_size"), _one(stride, "max_pool1d", "stride")
    p, d = _one(padding, "max_pool1d", "padding"), _one(dilation, "max_pool1d", "dilation")
    out, idx = aten.max_pool2d_with_indices(self.unsqueeze(-2), (1, k), (1, s), (0, p), (1, d), ceil_mode)
    return out.squeeze(-2), idx.squeeze(-2)


@register("max_pool1d", "max_pool1d(Tensor input, IntArrayRef[1] kernel_size, IntArrayRef[1] stride=None, "
          "IntArrayRef[1] padding=0, IntArrayRef[1] dilation=1, bool ceil_mode=False)", composite=True, method=False)
def max_pool1d(self: Tensor, kernel_size: Sequence[int], stride: Sequence[int] | None, padding: Sequence[int],
               dilation: Sequence[int], ceil_mode: bool) -> Tensor:
    """``torch.max_pool1d``: MaxPooling.cpp's ``check_max_pool1d``, then ``max_pool1d_with_indices``."""
    if self.dim() not in (2, 3):
        raise RuntimeError("max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for "
                           f"input, but got:{shape_str(self._shape)}")
    if len(kernel_size) != 1:
        raise RuntimeError("max_pool1d() kernel_size must be an int, list of ints or tuple of ints of size 1 but "
                           f"got size {len(kernel_size)}")
    stride = stride or kernel_size
    k, s, p, d = kernel_size[0], stride[0], padding[0], dilation[0]
    if k <= 0:
        raise RuntimeError(f"max_pool1d() kernel_size must be greater than zero, but got {k}")
    if s <= 0:
        raise RuntimeError(f"max_pool1d() stride must be greater than zero, but got {s}")
    if p < 0:
        raise RuntimeError(f"max_pool1d() padding must be non-negative, but got {p}")
    if p > k // 2:
        raise RuntimeError(f"max_pool1d() padding should be at most half of kernel size, but got padding={p} and "
                           f"kernel_size={k}")
    if d <= 0:
        raise RuntimeError(f"max_pool1d() dilation must be greater than zero, but got {d}")
    ow = pooling_output_shape(self._shape[-1], k, p, s, d, ceil_mode)
    if ow <= 0:
        raise RuntimeError(f"max_pool1d() Invalid computed output size: {ow}")
    return max_pool1d_with_indices(self, kernel_size, stride, padding, dilation, ceil_mode)[0]


# ----------------------------------------------------------------------------- average pooling


def _avg_divisor(xp: Any, size: int, out: int, k: int, s: int, p: int, include_pad: bool) -> Any:
    """Per output position of one dim: the window length counted (clipped to the padded input, or to
    the input without ``count_include_pad``), as AveragePool2d.cpp's kernel."""
    start = xp.arange(out) * s - p
    end = xp.minimum(start + k, size + p)
    pool = end - start
    valid = xp.minimum(end, size) - xp.maximum(start, 0)
    return pool if include_pad else valid, valid


@register("avg_pool2d", "avg_pool2d(Tensor input, IntArrayRef[2] kernel_size, IntArrayRef[2] stride=None, "
          "IntArrayRef[2] padding=0, bool ceil_mode=False, bool count_include_pad=True, "
          "int64_t? divisor_override=None)",
          node="AvgPool2DBackward0", function=False, method=False)
def avg_pool2d(self: Tensor, kernel_size: Sequence[int], stride: Sequence[int] | None, padding: Sequence[int],
               ceil_mode: bool, count_include_pad: bool, divisor_override: int | None) -> Tensor:
    """``torch._C._nn.avg_pool2d``: each window's sum over its divisor (the window clipped to the
    padded input, or only its input elements without ``count_include_pad``, or ``divisor_override``)."""
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    k, s, p, _, out = _pool2d_params(self, "avg_pool2d", kernel_size, stride or (), padding, (1,), ceil_mode)
    if self._dtype is D.bool or self._dtype.category == D.COMPLEX:
        raise unsupported_dtype("avg_pool2d", self._dtype)
    xp = self._backend.xp
    arr = self._array
    div, empty = _divisors(xp, arr.shape[-2:], out, k, s, p, count_include_pad, divisor_override)
    padded = _padded(xp, arr, p, out, k, s, (1, 1), 0)
    total = windows(xp, padded, out, k, s, (1, 1)).sum(axis=(-4, -3))
    with self._backend.quiet():
        if arr.dtype.kind == "f":
            res = total / div
        else:
            res = xp.trunc(total / div).astype(arr.dtype)
        res = xp.where(empty, 0, res)
    return result_tensor(res, self._dtype, self)


def _divisors(xp: Any, sizes: Sequence[int], out: tuple, k: tuple, s: tuple, p: tuple, include_pad: bool,
              override: int | None) -> tuple[Any, Any]:
    dh, vh = _avg_divisor(xp, sizes[0], out[0], k[0], s[0], p[0], include_pad)
    dw, vw = _avg_divisor(xp, sizes[1], out[1], k[1], s[1], p[1], include_pad)
    empty = (vh[:, None] <= 0) | (vw[None, :] <= 0)
    div = dh[:, None] * dw[None, :] if override is None else xp.full(out, override)
    return xp.where(empty, 1, div), empty


@register("avg_pool2d_backward", "avg_pool2d_backward(Tensor grad_output, Tensor input, IntArrayRef[2] kernel_size, "
          "IntArrayRef[2] stride, IntArrayRef[2] padding, bool ceil_mode, bool count_include_pad, "
          "int64_t? divisor_override)", node="NotImplemented:avg_pool2d_backward", function=False, method=False)
def avg_pool2d_backward(grad_output: Tensor, self: Tensor, kernel_size: Sequence[int], stride: Sequence[int],
                        padding: Sequence[int], ceil_mode: bool, count_include_pad: bool,
                        divisor_override: int | None) -> Tensor:
    """``torch._C._nn.avg_pool2d_backward``: each output gradient over its divisor, spread over its window."""
    k, s, p, _, out = _pool2d_params(self, "avg_pool2d", kernel_size, stride or (), padding, (1,), ceil_mode)
    xp = self._backend.xp
    div, empty = _divisors(xp, self._shape[-2:], out, k, s, p, count_include_pad, divisor_override)
    g = xp.where(empty, 0, grad_output._array / div).astype(grad_output._array.dtype)
    cols = xp.broadcast_to(g[..., None, None, :, :], g.shape[:-2] + tuple(k) + tuple(out))
    padded = tuple((o - 1) * st + kk + pp for o, st, kk, pp in zip(out, s, k, p))
    padded = tuple(max(a, size + pp) for a, size, pp in zip(padded, self._shape[-2:], p))
    full = col2im_array(xp, cols, padded, k, s, (1, 1))
    h, w = self._shape[-2:]
    return result_tensor(full[..., p[0]:p[0] + h, p[1]:p[1] + w], self._dtype, self)


@register("avg_pool1d", "avg_pool1d(Tensor input, IntArrayRef[1] kernel_size, IntArrayRef[1] stride=None, "
          "IntArrayRef[1] padding=0, bool ceil_mode=False, bool count_include_pad=True)", composite=True, method=False)
def avg_pool1d(self: Tensor, kernel_size: Sequence[int], stride: Sequence[int] | None, padding: Sequence[int],
               ceil_mode: bool, count_include_pad: bool) -> Tensor:
    """``torch.avg_pool1d``: ``avg_pool2d`` of ``input.unsqueeze(-2)``, squeezed (SqueezeBackward1)."""
    stride = stride or kernel_size
    _check_dim_range(self, "avg_pool1d")
    k, s = _one(kernel_size, "avg_pool1d", "kernel_size"), _one(stride, "avg_pool1d", "stride")
    p = _one(padding, "avg_pool1d", "padding")
    return aten.avg_pool2d(self.unsqueeze(-2), (1, k), (1, s), (0, p), ceil_mode, count_include_pad,
                           None).squeeze(-2)


# ----------------------------------------------------------------------------- adaptive pooling


def _adaptive_bounds(xp: Any, size: int, out: int) -> tuple[Any, Any]:
    """Window ``o`` of an adaptive pool covers ``[floor(o * I / O), ceil((o + 1) * I / O))``."""
    o = xp.arange(out)
    return (o * size) // out, -((-(o + 1) * size) // out)


def _adaptive_matrix(xp: Any, size: int, out: int, dtype: Any) -> tuple[Any, Any]:
    """The 0/1 matrix ``(out, size)`` of the windows and their lengths."""
    start, end = _adaptive_bounds(xp, size, out)
    i = xp.arange(size)
    return ((i[None, :] >= start[:, None]) & (i[None, :] < end[:, None])).astype(dtype), (end - start)


def _check_adaptive(self: Tensor, name: str, sep: str) -> None:
    ndim = self.dim()
    if ndim not in (3, 4):
        raise RuntimeError(f"{name}(): Expected 3D or 4D tensor, but got{sep}{shape_str(self._shape)}")


@register("_adaptive_avg_pool2d", "_adaptive_avg_pool2d(Tensor input, SymIntArrayRef[2] output_size)",
          node="AdaptiveAvgPool2DBackward0", function=False, method=False)
def _adaptive_avg_pool2d(self: Tensor, output_size: Sequence[int]) -> Tensor:
    """``torch._C._nn._adaptive_avg_pool2d``: the mean of each adaptive window (a product with the
    windows' 0/1 matrix per dim, over the windows' sizes)."""
    if len(output_size) != 2:
        raise RuntimeError("adaptive_avg_pool2d: output_size must be 2")
    _check_adaptive(self, "adaptive_avg_pool2d", " ")
    ndim = self.dim()
    for i in (-2, -1):
        if self._shape[i] <= 0:
            raise RuntimeError("adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, "
                               f"but input has sizes {shape_str(self._shape)} with dimension {i + ndim} being empty")
    xp = self._backend.xp
    arr = self._array
    dtype = arr.dtype if arr.dtype.kind == "f" else "float64"
    mh, lh = _adaptive_matrix(xp, arr.shape[-2], output_size[0], dtype)
    mw, lw = _adaptive_matrix(xp, arr.shape[-1], output_size[1], dtype)
    with self._backend.quiet():
        res = xp.matmul(xp.matmul(mh, arr.astype(dtype)), mw.T) / (lh[:, None] * lw[None, :])
    return result_tensor(res, self._dtype, self)


@register("_adaptive_avg_pool2d_backward", "_adaptive_avg_pool2d_backward(Tensor grad_output, Tensor input)",
          node="NotImplemented:_adaptive_avg_pool2d_backward", function=False, method=False)
def _adaptive_avg_pool2d_backward(grad_output: Tensor, self: Tensor) -> Tensor:
    """``torch._C._nn._adaptive_avg_pool2d_backward``: each output gradient spread evenly over its window."""
    xp = self._backend.xp
    g = grad_output._array
    oh, ow = g.shape[-2:]
    mh, lh = _adaptive_matrix(xp, self._shape[-2], oh, g.dtype)
    mw, lw = _adaptive_matrix(xp, self._shape[-1], ow, g.dtype)
    res = xp.matmul(xp.matmul(mh.T, g / (lh[:, None] * lw[None, :])), mw)
    return result_tensor(res, self._dtype, self)


@register("adaptive_avg_pool2d", "adaptive_avg_pool2d(Tensor input, SymIntArrayRef[2] output_size)",
          composite=True, function=False, method=False)
def adaptive_avg_pool2d(self: Tensor, output_size: Sequence[int]) -> Tensor:
    """``torch._C._nn.adaptive_avg_pool2d``: ``mean`` over the last two dims for (1, 1), else
    ``_adaptive_avg_pool2d``."""
    if len(output_size) != 2:
        raise RuntimeError("adaptive_avg_pool2d: output_size must be 2")
    if output_size[0] < 0 or output_size[1] < 0:
        raise RuntimeError("adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but "
                           f"received {{{output_size[0]}, {output_size[1]}}}")
    if tuple(output_size) == (1, 1):
        return self.mean((-1, -2), keepdim=True)
    return aten._adaptive_avg_pool2d(self, output_size)


@register("adaptive_avg_pool1d", "adaptive_avg_pool1d(Tensor input, IntArrayRef[1] output_size)", composite=True,
          method=False)
def adaptive_avg_pool1d(self: Tensor, output_size: Sequence[int]) -> Tensor:
    """``torch.adaptive_avg_pool1d``: ``adaptive_avg_pool2d`` of ``input.unsqueeze(-2)`` to (1, L), squeezed."""
    _check_dim_range(self, "adaptive_avg_pool1d")
    size = _one(output_size, "adaptive_avg_pool1d", "output_size")
    return adaptive_avg_pool2d(self.unsqueeze(-2), (1, size)).squeeze(-2)


@register("adaptive_max_pool2d", "adaptive_max_pool2d(Tensor input, IntArrayRef[2] output_size)",
          node="AdaptiveMaxPool2DBackward0", function=False, method=False)
def adaptive_max_pool2d(self: Tensor, output_size: Sequence[int]) -> tuple:
    """``torch._C._nn.adaptive_max_pool2d``: each adaptive window's maximum and its flat index in the plane."""
    _check_adaptive(self, "adaptive_max_pool2d", ": ")
    for i in range(1, self.dim()):
        if self._shape[i] <= 0:
            raise RuntimeError("adaptive_max_pool2d(): Expected input to have non-zero size for non-batch dimensions, "
                               f"but input has sizes {shape_str(self._shape)} with dimension {i} being empty")
    if len(output_size) != 2:
        raise RuntimeError("adaptive_max_pool2d(): internal error: output_size.size() must be 2")
    xp = self._backend.xp
    arr = self._array
    h, w = arr.shape[-2:]
    idx = []
    for size, out in ((h, output_size[0]), (w, output_size[1])):
        start, end = _adaptive_bounds(xp, size, out)
        width = int((end - start).max()) if out else 1
        idx.append(xp.minimum(start[:, None] + xp.arange(width)[None, :], end[:, None] - 1))  # (out, width)
    ih, iw = idx
    gathered = arr[..., ih[:, :, None, None], iw[None, None, :, :]]  # (..., oh, kh, ow, kw)
    gathered = xp.moveaxis(gathered, -3, -2)  # (..., oh, ow, kh, kw)
    flat = gathered.reshape(gathered.shape[:-2] + (-1,))
    pos = flat.argmax(axis=-1) if flat.shape[-1] else xp.zeros(flat.shape[:-1], dtype="int64")
    values = xp.take_along_axis(flat, pos[..., None], axis=-1)[..., 0]
    kw = iw.shape[1]
    rows = ih[xp.arange(ih.shape[0])[:, None], pos // kw]
    cols = iw[xp.arange(iw.shape[0])[None, :], pos % kw]
    return (result_tensor(values, self._dtype, self), result_tensor(rows * w + cols, D.int64, self))


@register("adaptive_max_pool2d_backward", "adaptive_max_pool2d_backward(Tensor grad_output, Tensor input, "
          "Tensor indices)", node="NotImplemented:adaptive_max_pool2d_backward", function=False, method=False)
def adaptive_max_pool2d_backward(grad_output: Tensor, self: Tensor, indices: Tensor) -> Tensor:
    """``torch._C._nn.adaptive_max_pool2d_backward``: each output gradient added at its index."""
    return _index_backward(grad_output, self, indices)


@register("adaptive_max_pool1d", "adaptive_max_pool1d(Tensor input, IntArrayRef[1] output_size)", composite=True,
          method=False)
def adaptive_max_pool1d(self: Tensor, output_size: Sequence[int]) -> tuple:
    """``torch.adaptive_max_pool1d``: ``adaptive_max_pool2d`` of ``input.unsqueeze(-2)`` to (1, L), squeezed."""
    _check_dim_range(self, "adaptive_max_pool1d")
    size = _one(output_size, "adaptive_max_pool1d", "output_size")
    out, idx = aten.adaptive_max_pool2d(self.unsqueeze(-2), (1, size))
    return out.squeeze(-2), idx.squeeze(-2)


__all__ = ["adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_max_pool1d", "adaptive_max_pool2d", "avg_pool1d",
           "avg_pool2d", "max_pool1d", "max_pool1d_with_indices", "max_pool2d", "max_pool2d_with_indices",
           "pooling_output_shape"]
