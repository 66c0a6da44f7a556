"""Convolutions and the sliding-block ops: ``convolution`` (aten/src/ATen/native/Convolution.cpp), its
front ends ``conv1d``/``conv2d``/``conv_transpose1d``/``conv_transpose2d``, and ``im2col``/``col2im``
(``F.unfold``/``F.fold``, aten/src/ATen/native/Im2Col.cpp, Col2Im.cpp).

Every kernel is vectorised the same way: the (zero-padded) input is viewed as its sliding windows with
one ``as_strided`` view of layout ``(N, C, *kernel, *out)`` (torch's im2col layout), and a layer is one
batched matrix product per group. The adjoint, ``col2im``, accumulates the columns back with one
strided slice-add per kernel offset (no loop over pixels or batch items).

``convolution`` records torch's ``ConvolutionBackward0`` (formulas in
autograd/derivatives/convolution.py), whose gradients come from the internal
``convolution_backward`` (torch's ``aten::convolution_backward``); ``conv1d``/``conv2d``... are
composites (torch's CompositeImplicitAutograd) that batchify an unbatched input and call
``convolution``. ``im2col`` and ``col2im`` are each other's derivative (``Im2ColBackward0``,
``Col2ImBackward0``), as in torch.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

from .. import _dtype as D
from .._tensor import Tensor
from .._warnings import warn_once
from ._util import result_tensor, shape_str, unsupported_dtype
from .registry import aten, register

# ----------------------------------------------------------------------------- array helpers


def windows(xp: Any, arr: Any, out: Sequence[int], kernel: Sequence[int], stride: Sequence[int],
            dilation: Sequence[int]) -> Any:
    """The sliding windows of ``arr`` (``(..., *spatial)``) as a read-only strided view of shape
    ``(..., *kernel, *out)``: element ``[..., k, o]`` is ``arr[..., o * stride + k * dilation]``."""
    nsp = len(kernel)
    lead, lead_strides, sp_strides = arr.shape[:-nsp], arr.strides[:-nsp], arr.strides[-nsp:]
    shape = tuple(lead) + tuple(kernel) + tuple(out)
    strides = (tuple(lead_strides) + tuple(s * d for s, d in zip(sp_strides, dilation))
               + tuple(s * st for s, st in zip(sp_strides, stride)))
    return xp.lib.stride_tricks.as_strided(arr, shape, strides, writeable=False)


def col2im_array(xp: Any, cols: Any, size: Sequence[int], kernel: Sequence[int], stride: Sequence[int],
                 dilation: Sequence[int]) -> Any:
    """The adjoint of :func:`windows`: columns ``(..., *kernel, *out)`` summed into a zero array of
    spatial ``size`` (one strided slice-add per kernel offset)."""
    nsp = len(kernel)
    out = cols.shape[-nsp:]
    res = xp.zeros(tuple(cols.shape[:-2 * nsp]) + tuple(size), dtype=cols.dtype)
    if 0 in out or res.size == 0:
        return res
    rest = (slice(None),) * nsp
    for pos in itertools.product(*(range(k) for k in kernel)):
        target = (Ellipsis,) + tuple(slice(p * d, p * d + s * (o - 1) + 1, s)
                                     for p, d, s, o in zip(pos, dilation, stride, out))
        res[target] += cols[(Ellipsis,) + pos + rest]
    return res


def pad_array(xp: Any, arr: Any, padding: Sequence[int], value: Any = 0) -> Any:
    """``arr`` with ``padding[i]`` elements of ``value`` on both sides of its i-th trailing spatial dim."""
    if not any(padding):
        return arr
    widths = [(0, 0)] * (arr.ndim - len(padding)) + [(p, p) for p in padding]
    return xp.pad(arr, widths, constant_values=value)


def _compute(arr: Any, dtype: D.dtype) -> Any:
    """Products run in float32 for float16/bfloat16 and in int64 for integers (torch's accumulation)."""
    if dtype.category == D.INTEGER or dtype is D.bool:
        return arr.astype("int64")
    if dtype.itemsize == 2 and dtype.category != D.COMPLEX:
        return arr.astype("float32")
    return arr


def _out_sizes(size: Sequence[int], kernel: Sequence[int], stride: Sequence[int], padding: Sequence[int],
               dilation: Sequence[int]) -> tuple[int, ...]:
    return tuple((i + 2 * p - d * (k - 1) - 1) // s + 1
                 for i, k, s, p, d in zip(size, kernel, stride, padding, dilation))


# ----------------------------------------------------------------------------- convolution


def _expand(values: Sequence[int], name: str, dim: int) -> tuple[int, ...]:
    """ATen's ``expand_param_if_needed``."""
    values = tuple(values)
    if len(values) == 1:
        return values * dim
    if len(values) != dim:
        raise RuntimeError(f"expected {name} to be a single integer value or a list of {dim} values to match "
                           f"the convolution dimensions, but got {name}={shape_str(values)}")
    return values


def _check_forward(input: Tensor, weight: Tensor, bias: Tensor | None, stride: tuple, padding: tuple,
                   dilation: tuple, transposed: bool, output_padding: tuple, groups: int) -> None:
    """ATen's ``check_shape_forward`` (and the parameter checks before it), in its order."""
    if any(p < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    if any(p < 0 for p in output_padding):
        raise RuntimeError("negative output_padding is not supported")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError("non-positive dilation is not supported")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    k, ws = input.dim(), weight._shape
    if len(ws) != k:
        raise RuntimeError(f"Expected {len(ws)}-dimensional input for {len(ws)}-dimensional weight {shape_str(ws)}, "
                           f"but got {k}-dimensional input of size {shape_str(input._shape)} instead")
    if ws[0] < groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be at least {groups} at dimension 0, but got "
                           f"weight of size {shape_str(ws)} instead")
    if ws[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but "
                           f"got weight of size [{shape_str(ws)}] instead")
    if not transposed:
        if input._shape[1] != ws[1] * groups:
            raise RuntimeError(f"Given groups={groups}, weight of size {shape_str(ws)}, expected input"
                               f"{shape_str(input._shape)} to have {ws[1] * groups} channels, but got "
                               f"{input._shape[1]} channels instead")
        if bias is not None and (bias.dim() != 1 or bias._shape[0] != ws[0]):
            raise RuntimeError(f"Given weight of size {shape_str(ws)}, expected bias to be 1-dimensional with "
                               f"{ws[0]} elements, but got bias of size {shape_str(bias._shape)} instead")
        padded = [input._shape[i] + 2 * padding[i - 2] for i in range(2, k)]
        kernel = [dilation[i - 2] * (ws[i] - 1) + 1 for i in range(2, k)]
        if any(p < q for p, q in zip(padded, kernel)):
            raise RuntimeError(
                f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). Kernel size: "
                f"({' x '.join(map(str, kernel))}). Kernel size can't be greater than actual input size")
    else:
        if input._shape[1] != ws[0]:
            raise RuntimeError(f"Given transposed=1, weight of size {shape_str(ws)}, expected input"
                               f"{shape_str(input._shape)} to have {ws[0]} channels, but got {input._shape[1]} "
                               "channels instead")
        if bias is not None and (bias.dim() != 1 or bias._shape[0] != ws[1] * groups):
            raise RuntimeError(f"Given transposed=1, weight of size {shape_str(ws)}, expected bias to be "
                               f"1-dimensional with {ws[1] * groups} elements, but got bias of size "
                               f"{shape_str(bias._shape)} instead")
        if any(op >= s and op >= d for op, s, d in zip(output_padding, stride, dilation)):
            names = ("height", "width") if len(stride) == 2 else ("depth", "height", "width")[-len(stride):]
            parts = ([f"output_padding_{n}: {v}" for n, v in zip(names, output_padding)]
                     + [f"stride_{n}: {v}" for n, v in zip(names, stride)]
                     + [f"dilation_{n}: {v}" for n, v in zip(names, dilation)])
            raise RuntimeError("output padding must be smaller than either stride or dilation, but got "
                               + " ".join(parts))


def _check_types(input: Tensor, weight: Tensor, bias: Tensor | None) -> None:
    if input._dtype is not weight._dtype:
        if input._dtype is D.float32:
            raise RuntimeError(f"Input type ({input._dtype.tensor_type}) and weight type ({weight._dtype.tensor_type}) "
                               "should be the same or input should be a MKLDNN tensor and weight is a dense tensor")
        raise RuntimeError(f"expected scalar type {input._dtype.scalar_name} but found {weight._dtype.scalar_name}")
    if bias is not None and bias._dtype is not input._dtype:
        raise RuntimeError(f"expected scalar type {input._dtype.scalar_name} but found {bias._dtype.scalar_name}")
    if input._dtype is D.bool:
        raise unsupported_dtype("slow_conv2d_cpu", input._dtype)


def _params(input: Tensor, weight: Tensor, stride: Sequence[int], padding: Sequence[int], dilation: Sequence[int],
            output_padding: Sequence[int]) -> tuple[tuple[int, ...], ...]:
    dim = weight.dim() - 2
    if dim <= 0:
        raise RuntimeError("weight should have at least three dimensions")
    return (_expand(stride, "stride", dim), _expand(padding, "padding", dim), _expand(dilation, "dilation", dim),
            _expand(output_padding, "output_padding", dim))


def _conv_forward(x: Any, w: Any, stride: tuple, padding: tuple, dilation: tuple, groups: int) -> Any:
    """The direct convolution on arrays: ``(N, C, *S)`` and ``(O, C/g, *K)`` -> ``(N, O, *out)``."""
    xp = x.__array_namespace__()
    n, kernel = x.shape[0], w.shape[2:]
    out = _out_sizes(x.shape[2:], kernel, stride, padding, dilation)
    cols = windows(xp, pad_array(xp, x, padding), out, kernel, stride, dilation)
    ck = x.shape[1] // groups * math.prod(kernel)
    cols = cols.reshape(n, groups, ck, math.prod(out))  # (N, g, C/g * K, L): the im2col copy
    res = xp.matmul(w.reshape(groups, w.shape[0] // groups, ck), cols)  # (N, g, O/g, L)
    return res.reshape((n, w.shape[0]) + out)


def _conv_transpose_forward(x: Any, w: Any, stride: tuple, padding: tuple, dilation: tuple,
                            output_padding: tuple, groups: int) -> Any:
    """The transposed convolution on arrays: ``(N, Cin, *S)`` and ``(Cin, Cout/g, *K)`` -> ``(N, Cout, *out)``:
    the columns ``w^T x`` summed back by :func:`col2im_array`, then cropped by ``padding``."""
    xp = x.__array_namespace__()
    n, cin, sizes, kernel = x.shape[0], w.shape[0], x.shape[2:], w.shape[2:]
    og = w.shape[1]
    ok = og * math.prod(kernel)
    wg = w.reshape(groups, cin // groups, ok).transpose(0, 2, 1)  # (g, Og * K, Cin/g)
    cols = xp.matmul(wg, x.reshape(n, groups, cin // groups, math.prod(sizes)))  # (N, g, Og * K, L)
    cols = cols.reshape((n, groups * og) + tuple(kernel) + tuple(sizes))
    full = tuple((s - 1) * st + d * (k - 1) + 1 + op
                 for s, st, d, k, op in zip(sizes, stride, dilation, kernel, output_padding))
    res = col2im_array(xp, cols, full, kernel, stride, dilation)
    crop = (Ellipsis,) + tuple(slice(p, f - p) for p, f in zip(padding, full))
    return res[crop]


def _embed(xp: Any, grad: Any, padding: tuple, size: tuple) -> Any:
    """``grad`` placed at offset ``padding`` in zeros of spatial ``size`` (the adjoint of the crop)."""
    if not any(padding) and tuple(grad.shape[2:]) == tuple(size):
        return grad
    res = xp.zeros(tuple(grad.shape[:2]) + tuple(size), dtype=grad.dtype)
    res[(Ellipsis,) + tuple(slice(p, p + s) for p, s in zip(padding, grad.shape[2:]))] = grad
    return res


@register("convolution", "convolution(Tensor input, Tensor weight, Tensor? bias, SymIntArrayRef stride, "
          "SymIntArrayRef padding, SymIntArrayRef dilation, bool transposed, SymIntArrayRef output_padding, "
          "SymInt groups)", node="ConvolutionBackward0", method=False)
def convolution(self: Tensor, weight: Tensor, bias: Tensor | None, stride: Sequence[int],
                padding: Sequence[int], dilation: Sequence[int], transposed: bool,
                output_padding: Sequence[int], groups: int) -> Tensor:
    """``torch.convolution``: the N-d (transposed) convolution of a batched ``(N, C, *spatial)`` input,
    with torch's shape checks (``check_shape_forward``) and messages."""
    st, pad, dil, opad = _params(self, weight, stride, padding, dilation, output_padding)
    _check_forward(self, weight, bias, st, pad, dil, transposed, opad, groups)
    _check_types(self, weight, bias)
    dtype = self._dtype
    x, w = _compute(self._array, dtype), _compute(weight._array, dtype)
    backend = self._backend
    with backend.quiet():
        if transposed:
            res = _conv_transpose_forward(x, w, st, pad, dil, opad, groups)
        else:
            res = _conv_forward(x, w, st, pad, dil, groups)
        if bias is not None:
            # in place: the product is a fresh array (one large temporary less)
            res += _compute(bias._array, dtype).reshape((-1,) + (1,) * (res.ndim - 2))
    return result_tensor(res, dtype, self)


@register("convolution_backward", "convolution_backward(Tensor grad_output, Tensor input, Tensor weight, "
          "SymIntArrayRef? bias_sizes, SymIntArrayRef stride, SymIntArrayRef padding, SymIntArrayRef dilation, "
          "bool transposed, SymIntArrayRef output_padding, SymInt groups, bool[3] output_mask)",
          node="NotImplemented:convolution_backward", function=False, method=False)
def convolution_backward(grad_output: Tensor, input: Tensor, weight: Tensor, bias_sizes: Sequence[int] | None,
                         stride: Sequence[int], padding: Sequence[int], dilation: Sequence[int], transposed: bool,
                         output_padding: Sequence[int], groups: int, output_mask: Sequence[bool]) -> tuple:
    """``aten::convolution_backward``: (grad_input, grad_weight, grad_bias), each None unless its
    ``output_mask`` entry is set. The input's gradient of a convolution is a transposed convolution
    of ``grad_output`` and vice versa; the weight's is the product of ``grad_output`` with the
    input's columns."""
    st, pad, dil, opad = _params(input, weight, stride, padding, dilation, output_padding)
    dtype = input._dtype
    xp = input._backend.xp
    g = _compute(grad_output._array, dtype)
    x, w = _compute(input._array, dtype), _compute(weight._array, dtype)
    n, kernel = x.shape[0], w.shape[2:]
    gi = gw = gb = None
    with input._backend.quiet():
        if transposed:
            # the output is col2im(w^T x) cropped: its adjoint takes the windows of the embedded grad
            full = tuple((s - 1) * s_ + d * (k - 1) + 1 + op
                         for s, s_, d, k, op in zip(x.shape[2:], st, dil, kernel, opad))
            cols = windows(xp, _embed(xp, g, pad, full), x.shape[2:], kernel, st, dil)
            ok, length = w.shape[1] * math.prod(kernel), math.prod(x.shape[2:])
            cols = cols.reshape(n, groups, ok, length)  # (N, g, Og * K, L)
            cg = x.shape[1] // groups
            if output_mask[0]:
                wg = w.reshape(groups, cg, ok)  # (g, Cin/g, Og * K)
                gi = xp.matmul(wg, cols).reshape(x.shape)
            if output_mask[1]:
                xg = x.reshape(n, groups, cg, length)  # (N, g, Cin/g, L)
                gw = xp.matmul(xg, cols.transpose(0, 1, 3, 2)).sum(axis=0)
                gw = gw.reshape(w.shape)
        else:
            # one product per group over the batch and the positions together: ``grad_output`` as
            # (g, O/g, N * L), the columns as (g, C/g * K, N * L)
            out = g.shape[2:]
            nsp = len(out)
            og, length, ck = w.shape[0] // groups, math.prod(out), w.shape[1] * math.prod(kernel)
            gg = g.reshape(n, groups, og, length).transpose(1, 2, 0, 3).reshape(groups, og, n * length)
            if output_mask[0]:
                wg = w.reshape(groups, og, ck).transpose(0, 2, 1)  # (g, C/g * K, O/g)
                cols = xp.matmul(wg, gg).reshape((x.shape[1],) + tuple(kernel) + (n,) + tuple(out))
                cols = xp.moveaxis(cols, 1 + nsp, 0)  # (N, C, *K, *out), a view
                padded = tuple(s + 2 * p for s, p in zip(x.shape[2:], pad))
                full = col2im_array(xp, cols, padded, kernel, st, dil)
                gi = full[(Ellipsis,) + tuple(slice(p, p + s) for p, s in zip(pad, x.shape[2:]))]
            if output_mask[1]:
                cols = xp.moveaxis(windows(xp, pad_array(xp, x, pad), out, kernel, st, dil), 0, 1 + nsp)
                cols = cols.reshape(groups, ck, n * length)  # the im2col copy
                gw = xp.matmul(gg, cols.transpose(0, 2, 1)).reshape(w.shape)
        if output_mask[2]:
            gb = g.sum(axis=(0,) + tuple(range(2, g.ndim)))
    return (None if gi is None else result_tensor(gi, dtype, input),
            None if gw is None else result_tensor(gw, dtype, weight),
            None if gb is None else result_tensor(gb, dtype, grad_output))


def _batchify(input: Tensor, spatial: int, name: str) -> tuple[Tensor, bool]:
    """ATen's ``batchify``: an unbatched input gets a batch dim of 1 (squeezed off the result)."""
    batched = input.dim() == spatial + 2
    if input.dim() != spatial + 1 and not batched:
        raise RuntimeError(f"Expected {spatial + 1}D (unbatched) or {spatial + 2}D (batched) input to {name}, but got "
                           f"input of size: {shape_str(input._shape)}")
    return (input if batched else input.unsqueeze(0)), batched


def _check_bias_type(input: Tensor, bias: Tensor | None) -> None:
    if bias is not None and bias._dtype is not input._dtype:
        raise RuntimeError(f"Input type ({input._dtype.demangled_name}) and bias type ({bias._dtype.demangled_name}) "
                           "should be the same")


def _conv(input: Tensor, weight: Tensor, bias: Tensor | None, stride: Sequence[int], padding: Sequence[int] | str,
          dilation: Sequence[int], groups: int, spatial: int, name: str) -> Tensor:
    _check_bias_type(input, bias)
    x, batched = _batchify(input, spatial, name)
    if isinstance(padding, str):
        out = _convolution_mode(x, weight, bias, tuple(stride), padding, tuple(dilation), groups)
    else:
        out = aten.convolution(x, weight, bias, stride, padding, dilation, False, (0,) * spatial, groups)
    return out if batched else out.squeeze(0)


def _convolution_mode(x: Tensor, weight: Tensor, bias: Tensor | None, stride: tuple, padding: str,
                      dilation: tuple, groups: int) -> Tensor:
    """ATen's ``_convolution_mode``: ``"valid"`` is no padding; ``"same"`` pads so the output keeps the
    input's size (stride 1 only), the odd extra element on the right by ``constant_pad_nd``."""
    spatial = weight.dim() - 2
    if padding == "valid":
        return aten.convolution(x, weight, bias, stride, (0,) * spatial, dilation, False, (0,) * spatial, groups)
    if padding != "same":
        raise RuntimeError(f"Invalid padding string: '{padding}'")
    dilation = _expand(dilation, "dilation", spatial)
    stride = _expand(stride, "stride", spatial)
    if any(s != 1 for s in stride):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    pads = []
    extra = [0] * (2 * spatial)
    symmetric = True
    for i in range(spatial):
        total = dilation[i] * (weight._shape[i + 2] - 1)
        left = total // 2
        pads.append(left)
        if total - 2 * left:
            symmetric = False
            extra[2 * (spatial - 1 - i) + 1] = total - 2 * left
    if not symmetric:
        warn_once("Using padding='same' with even kernel lengths and odd dilation may require a zero-padded copy of "
                  "the input be created", stacklevel=5)
        x = aten.constant_pad_nd(x, extra, 0)
    return aten.convolution(x, weight, bias, stride, pads, dilation, False, (0,) * spatial, groups)


def _declare_conv(spatial: int) -> None:
    name = f"conv{spatial}d"
    head = f"{name}(Tensor input, Tensor weight, Tensor? bias=None, SymIntArrayRef[{spatial}] stride=1, "

    def conv(input: Tensor, weight: Tensor, bias: Tensor | None, stride: Sequence[int], padding: Any,
             dilation: Sequence[int], groups: int) -> Tensor:
        return _conv(input, weight, bias, stride, padding, dilation, groups, spatial, name)

    conv.__doc__ = (f"``torch.{name}``: the {spatial}-d convolution of an unbatched or batched input (padding a tuple, "
                    "or ``'valid'``/``'same'``), through ``convolution``.")
    register(name, head + f"SymIntArrayRef[{spatial}] padding=0, SymIntArrayRef[{spatial}] dilation=1, "
             "SymInt groups=1)", composite=True, method=False)(conv)
    register(f"{name}.padding", head + f"c10::string_view padding=\"valid\", SymIntArrayRef[{spatial}] dilation=1, "
             "SymInt groups=1)", composite=True, method=False)(conv)

    tname = f"conv_transpose{spatial}d"

    def conv_transpose(input: Tensor, weight: Tensor, bias: Tensor | None, stride: Sequence[int],
                       padding: Sequence[int], output_padding: Sequence[int], groups: int,
                       dilation: Sequence[int]) -> Tensor:
        _check_bias_type(input, bias)
        x, batched = _batchify(input, spatial, tname)
        out = aten.convolution(x, weight, bias, stride, padding, dilation, True, output_padding, groups)
        return out if batched else out.squeeze(0)

    conv_transpose.__doc__ = (f"``torch.{tname}``: the {spatial}-d transposed convolution (the adjoint of "
                              f"``conv{spatial}d``), ``output_padding`` added on one side of the output.")
    register(f"{tname}.input", f"{tname}(Tensor input, Tensor weight, Tensor? bias=None, "
             f"SymIntArrayRef[{spatial}] stride=1, SymIntArrayRef[{spatial}] padding=0, "
             f"SymIntArrayRef[{spatial}] output_padding=0, SymInt groups=1, SymIntArrayRef[{spatial}] dilation=1)",
             composite=True, method=False)(conv_transpose)


_declare_conv(1)
_declare_conv(2)


# ----------------------------------------------------------------------------- im2col / col2im


def _check_fold_params(kernel_size: Sequence[int], dilation: Sequence[int], padding: Sequence[int],
                       stride: Sequence[int]) -> None:
    kh, kw = kernel_size
    if kh <= 0 or kw <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kernel_height: {kh} kernel_width: {kw}")
    if stride[0] <= 0 or stride[1] <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got stride_height: {stride[0]} stride_width: "
                           f"{stride[1]}")
    if dilation[0] <= 0 or dilation[1] <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got dilation_height: {dilation[0]} "
                           f"dilation_width: {dilation[1]}")
    if padding[0] < 0 or padding[1] < 0:
        raise RuntimeError(f"padding should be non-negative, but got pad_height: {padding[0]} pad_width: "
                           f"{padding[1]}")


@register("im2col", "im2col(Tensor input, IntArrayRef[2] kernel_size, IntArrayRef[2] dilation, "
          "IntArrayRef[2] padding, IntArrayRef[2] stride)", node="Im2ColBackward0", function=False, method=False)
def im2col(self: Tensor, kernel_size: Sequence[int], dilation: Sequence[int], padding: Sequence[int],
           stride: Sequence[int]) -> Tensor:
    """``torch._C._nn.im2col`` (``F.unfold``): the sliding blocks of a 3-D/4-D input as columns
    ``(N, C * kh * kw, L)``."""
    _check_fold_params(kernel_size, dilation, padding, stride)
    ndim = self.dim()
    if not (ndim in (3, 4) and all(s != 0 for s in self._shape[-3:])):
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor input with possible 0 batch size and non-zero "
                           f"dimensions, but got: {shape_str(self._shape)}")
    out = _out_sizes(self._shape[-2:], kernel_size, stride, padding, dilation)
    if out[0] < 1 or out[1] < 1:
        h, w = self._shape[-2:]
        raise RuntimeError(
            f"Given input with spatial size ({h}, {w}), kernel_size=({kernel_size[0]}, {kernel_size[1]}), "
            f"dilation=({dilation[0]}, {dilation[1]}), padding=({padding[0]}, {padding[1]}), calculated shape of the "
            f"array of sliding blocks as ({out[0]}, {out[1]}), but its components must be at least one.")
    xp = self._backend.xp
    cols = windows(xp, pad_array(xp, self._array, padding), out, kernel_size, stride, dilation)
    lead = self._shape[:-3]
    return result_tensor(cols.reshape(lead + (self._shape[-3] * kernel_size[0] * kernel_size[1], out[0] * out[1])),
                         self._dtype, self)


@register("col2im", "col2im(Tensor input, SymIntArrayRef[2] output_size, IntArrayRef[2] kernel_size, "
          "IntArrayRef[2] dilation, IntArrayRef[2] padding, IntArrayRef[2] stride)", node="Col2ImBackward0",
          function=False, method=False)
def col2im(self: Tensor, output_size: Sequence[int], kernel_size: Sequence[int], dilation: Sequence[int],
           padding: Sequence[int], stride: Sequence[int]) -> Tensor:
    """``torch._C._nn.col2im`` (``F.fold``): columns ``(N, C * kh * kw, L)`` summed into an image of
    ``output_size`` (overlapping blocks add up)."""
    oh, ow = output_size
    if oh <= 0 or ow <= 0:
        raise RuntimeError(f"Expected output spatial size to be positive, but got: output_size=({oh}, {ow}).")
    _check_fold_params(kernel_size, dilation, padding, stride)
    ndim = self.dim()
    if not (ndim in (2, 3) and all(s != 0 for s in self._shape[-2:])):
        raise RuntimeError("Expected 2D or 3D (batch mode) tensor for input with possible 0 batch size and non-zero "
                           f"dimensions, but got: {shape_str(self._shape)}")
    kh, kw = kernel_size
    rows = self._shape[-2]
    if rows % (kh * kw):
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product of kernel_size, but "
                           f"got input.size(1)={rows} and kernel_size=({kh}, {kw}).")
    blocks = _out_sizes((oh, ow), kernel_size, stride, padding, dilation)
    if blocks[0] * blocks[1] != self._shape[-1]:
        raise RuntimeError(
            f"Given output_size=({oh}, {ow}), kernel_size=({kh}, {kw}), dilation=({dilation[0]}, {dilation[1]}), "
            f"padding=({padding[0]}, {padding[1]}), stride=({stride[0]}, {stride[1]}), expected size of input's "
            f"dimension 2 to match the calculated number of sliding blocks {blocks[0]} * {blocks[1]} = "
            f"{blocks[0] * blocks[1]}, but got input.size(2)={self._shape[-1]}.")
    xp = self._backend.xp
    lead = self._shape[:-2]
    cols = self._array.reshape(lead + (rows // (kh * kw), kh, kw) + blocks)
    padded = (oh + 2 * padding[0], ow + 2 * padding[1])
    with self._backend.quiet():
        full = col2im_array(xp, cols, padded, kernel_size, stride, dilation)
    return result_tensor(full[..., padding[0]:padding[0] + oh, padding[1]:padding[1] + ow], self._dtype, self)


__all__ = ["col2im", "col2im_array", "convolution", "convolution_backward", "im2col", "pad_array", "windows"]
