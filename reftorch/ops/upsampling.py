"""``upsample_nearest{1,2,3}d``, ``_upsample_nearest_exact{1,2,3}d`` and ``upsample_linear1d`` /
``upsample_bilinear2d`` / ``upsample_trilinear3d`` (the ``torch._C._nn`` bindings ``F.interpolate``
calls) and their backward ops, ported from ATen's CPU kernels (aten/src/ATen/native/UpSample.h,
cpu/UpSampleKernel.cpp).

Both are separable, one spatial dim at a time, last dim first, which is the order of the CPU kernel's
nested ``Interpolate<n>`` sums, so float32 results are torch's bit for bit:

- nearest: source index ``min(floor(dst * scale), in - 1)`` in float32 (nearest-exact:
  ``floor((dst + 0.5) * scale)``), ``scale`` being
  ``1 / scale_factor`` when one is given (> 0), else ``in / out`` (the identity when ``out == in``, a
  shift when ``out == 2 in``);
- linear: source coordinate ``scale * dst`` with ``align_corners`` (``scale = (in - 1) / (out - 1)``),
  else ``max(scale * (dst + 0.5) - 0.5, 0)``; its floor (at most ``in - 1``) and the next index
  (clamped), weighted ``1 - l`` and ``l``, computed in the op-math type (float for float32, double
  for float64).

The ``.vec`` overloads take ``output_size`` or ``scale_factors`` (exactly one), the output size being
``int(in * scale)``, and call the base overload, which records ``Upsample*Backward0``; the backward
ops scatter-add the gradient through the same indices and weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import _dtype as D
from .._tensor import Tensor
from ._util import result_tensor, shape_str
from .registry import aten, register

_DIM_LETTERS = {1: ("W",), 2: ("H", "W"), 3: ("D", "H", "W")}
_LINEAR_NAMES = {1: "upsample_linear1d", 2: "upsample_bilinear2d", 3: "upsample_trilinear3d"}
_SCALE_NAMES = {1: ("scales",), 2: ("scales_h", "scales_w"), 3: ("scales_d", "scales_h", "scales_w")}


def _opmath(xp: Any, dtype: D.dtype) -> Any:
    return xp.float64 if dtype is D.float64 else xp.float32


def _nearest_indices(xp: Any, in_size: int, out_size: int, scale: float | None, exact: bool = False) -> Any:
    """ATen's ``nearest_idx`` for every output index, or ``nearest_exact_idx``: ``floorf((dst + 0.5) *
    scale)`` (the product in double, narrowed to float by ``floorf``), without nearest's shortcuts."""
    dst = xp.arange(out_size)
    if exact:
        f32 = xp.float32
        s = f32(1.0 / scale) if scale is not None and scale > 0 else f32(in_size) / f32(out_size)
        src = ((dst + 0.5) * xp.float64(s)).astype(f32)
        return xp.minimum(xp.floor(src).astype(xp.int64), in_size - 1)
    if out_size == in_size:
        return dst
    if out_size == 2 * in_size:
        return dst >> 1
    f32 = xp.float32
    s = f32(1.0 / scale) if scale is not None and scale > 0 else f32(in_size) / f32(out_size)
    return xp.minimum(xp.floor(dst.astype(f32) * s).astype(xp.int64), in_size - 1)


def _linear_indices(xp: Any, in_size: int, out_size: int, align_corners: bool, scale: float | None,
                    op: Any) -> tuple[Any, Any, Any, Any]:
    """ATen's ``compute_source_index_and_lambda`` for every output index: (index0, index1, lambda0,
    lambda1)."""
    dst = xp.arange(out_size)
    if out_size == in_size:
        ones = xp.ones(out_size, dtype=op)
        return dst, dst, ones, xp.zeros(out_size, dtype=op)
    if align_corners:
        s = op(in_size - 1) / op(out_size - 1) if out_size > 1 else op(0)
        real = s * dst.astype(op)
    else:
        s = op(1.0 / scale) if scale is not None and scale > 0 else op(in_size) / op(out_size)
        real = s * (dst.astype(op) + op(0.5)) - op(0.5)
        real = xp.where(real < 0, op(0), real)
    index0 = xp.minimum(xp.floor(real).astype(xp.int64), in_size - 1)
    lambda1 = xp.minimum(xp.maximum(real - index0.astype(op), op(0)), op(1)).astype(op)
    index1 = index0 + (index0 < in_size - 1)
    return index0, index1, (op(1) - lambda1).astype(op), lambda1


def _check(name: str, input_size: Sequence[int], output_size: Sequence[int], nd: int) -> None:
    """upsample_*_common_check: every spatial size of input and output positive."""
    if len(output_size) != nd:
        raise RuntimeError(f"It is expected output_size equals to {nd}, but got size {len(output_size)}")
    if len(input_size) != nd + 2:
        raise RuntimeError(f"It is expected input_size equals to {nd + 2}, but got size {len(input_size)}")
    if any(s <= 0 for s in input_size[2:]) or any(s <= 0 for s in output_size):
        letters = _DIM_LETTERS[nd]
        got_in = ", ".join(f"{c}: {s}" for c, s in zip(letters, input_size[2:], strict=True))
        got_out = ", ".join(f"{c}: {s}" for c, s in zip(letters, output_size, strict=True))
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input ({got_in}) "
                           f"output ({got_out})")


def _check_input(self: Tensor, name: str, nd: int) -> None:
    if self.dim() != nd + 2 or any(s == 0 for s in self._shape[1:]):
        raise RuntimeError(f"Non-empty {nd + 2}D data tensor expected but got a tensor with sizes "
                           f"{shape_str(self._shape)}")
    if self._dtype.category < D.FLOATING or self._dtype.is_complex:
        raise NotImplementedError(f"\"{name}_channels_last\" not implemented for '{self._dtype.scalar_name}'")


def _forward(self: Tensor, output_size: Sequence[int], scales: Sequence[float | None], nd: int,
             align_corners: bool | None, exact: bool = False) -> Tensor:
    name = (f"_upsample_nearest_exact{nd}d" if exact else f"upsample_nearest{nd}d") if align_corners is None \
        else _LINEAR_NAMES[nd]
    _check(name, self._shape, output_size, nd)
    _check_input(self, name, nd)
    xp = self._backend.xp
    arr = self._array
    op = _opmath(xp, self._dtype)
    for k in reversed(range(nd)):  # the innermost dim first, as the kernel's nested sums
        axis = 2 + k
        if align_corners is None:
            arr = xp.take(arr, _nearest_indices(xp, self._shape[axis], output_size[k], scales[k], exact), axis=axis)
            continue
        i0, i1, l0, l1 = _linear_indices(xp, self._shape[axis], output_size[k], align_corners, scales[k], op)
        shape = [1] * arr.ndim
        shape[axis] = -1
        a = arr.astype(op)
        arr = xp.take(a, i0, axis=axis) * l0.reshape(shape) + xp.take(a, i1, axis=axis) * l1.reshape(shape)
    return result_tensor(arr, self._dtype, self)


def _backward(grad_output: Tensor, output_size: Sequence[int], input_size: Sequence[int],
              scales: Sequence[float | None], nd: int, align_corners: bool | None, exact: bool = False) -> Tensor:
    xp = grad_output._backend.xp
    op = _opmath(xp, grad_output._dtype)
    g = grad_output._array.astype(op)
    for k in range(nd):  # the transpose of the forward: outermost dim first
        axis = 2 + k
        moved = xp.moveaxis(g, axis, 0)
        out = xp.zeros((input_size[axis], *moved.shape[1:]), dtype=op)
        if align_corners is None:
            xp.add.at(out, _nearest_indices(xp, input_size[axis], output_size[k], scales[k], exact), moved)
        else:
            i0, i1, l0, l1 = _linear_indices(xp, input_size[axis], output_size[k], align_corners, scales[k], op)
            w = (-1,) + (1,) * (moved.ndim - 1)
            xp.add.at(out, i0, moved * l0.reshape(w))
            xp.add.at(out, i1, moved * l1.reshape(w))
        g = xp.moveaxis(out, 0, axis)
    return result_tensor(g, grad_output._dtype, grad_output)


def _vec_sizes(self: Tensor, output_size: Sequence[int] | None, scale_factors: Sequence[float] | None,
               nd: int) -> tuple[list[int], list[float | None]]:
    """ATen's ``compute_output_size`` and ``get_scale_value`` for the ``.vec`` overloads."""
    spatial = self.dim() - 2
    if output_size is not None:
        if scale_factors is not None:
            raise RuntimeError("Must specify exactly one of output_size and scale_factors")
        if len(output_size) != spatial:
            raise RuntimeError("Expected static_cast<int64_t>(output_size->size()) == spatial_dimensions to be true, "
                               "but got false.  (Could this error message be improved?  If so, please report an "
                               "enhancement request to PyTorch.)")
        return list(output_size), [None] * nd
    if scale_factors is None:
        raise RuntimeError("Must specify exactly one of output_size and scale_factors")
    if len(scale_factors) != spatial:
        raise RuntimeError("Expected static_cast<int64_t>(scale_factors->size()) == spatial_dimensions to be true, "
                           "but got false.  (Could this error message be improved?  If so, please report an "
                           "enhancement request to PyTorch.)")
    return [int(self._shape[i + 2] * scale_factors[i]) for i in range(spatial)], list(scale_factors)


def _register_family(nd: int) -> None:
    """The nearest and linear records of one spatial rank: ``.vec`` (tried first, as torch's parser
    does), the base overload with its node, and the backward op."""
    near = f"upsample_nearest{nd}d"
    lin = _LINEAR_NAMES[nd]
    scale_params = ", ".join(f"double? {s}=None" for s in _SCALE_NAMES[nd])
    node_near = f"UpsampleNearest{nd}DBackward0"
    node_lin = {1: "UpsampleLinear1DBackward0", 2: "UpsampleBilinear2DBackward0", 3: "UpsampleTrilinear3DBackward0"}[nd]

    def near_vec(input: Tensor, output_size: Any, scale_factors: Any) -> Tensor:
        size, scales = _vec_sizes(input, output_size, scale_factors, nd)
        return getattr(aten, near)(input, size, *scales)

    def near_base(self: Tensor, output_size: Any, *scales: float | None) -> Tensor:
        return _forward(self, output_size, scales, nd, None)

    def near_backward(grad_output: Tensor, output_size: Any, input_size: Any, *scales: float | None) -> Tensor:
        return _backward(grad_output, output_size, input_size, scales, nd, None)

    def lin_vec(input: Tensor, output_size: Any, align_corners: bool, scale_factors: Any) -> Tensor:
        size, scales = _vec_sizes(input, output_size, scale_factors, nd)
        return getattr(aten, lin)(input, size, align_corners, *scales)

    def lin_base(self: Tensor, output_size: Any, align_corners: bool, *scales: float | None) -> Tensor:
        return _forward(self, output_size, scales, nd, bool(align_corners))

    def lin_backward(grad_output: Tensor, output_size: Any, input_size: Any, align_corners: bool,
                     *scales: float | None) -> Tensor:
        return _backward(grad_output, output_size, input_size, scales, nd, bool(align_corners))

    for fn, doc in ((near_vec, f"``torch._C._nn.{near}(input, output_size, scale_factors)``"),
                    (near_base, f"``torch._C._nn.{near}``: nearest-neighbour upsampling of the last {nd} dims"),
                    (near_backward, f"``{near}_backward``: the gradient summed back onto the source elements"),
                    (lin_vec, f"``torch._C._nn.{lin}(input, output_size, align_corners, scale_factors)``"),
                    (lin_base, f"``torch._C._nn.{lin}``: linear interpolation of the last {nd} dims"),
                    (lin_backward, f"``{lin}_backward``: the gradient spread back with the interpolation weights")):
        fn.__doc__ = doc
    internal = {"function": False, "method": False}
    register(f"{near}.vec", f"{near}(Tensor input, SymIntArrayRef? output_size, ArrayRef<double>? scale_factors)",
             composite=True, **internal)(near_vec)
    register(near, f"{near}(Tensor input, SymIntArrayRef[{nd}] output_size, {scale_params})", node=node_near,
             **internal)(near_base)
    register(f"{near}_backward", f"{near}_backward(Tensor grad_output, SymIntArrayRef[{nd}] output_size, "
             f"SymIntArrayRef[{nd + 2}] input_size, {scale_params})", node=f"UpsampleNearest{nd}DBackwardBackward0",
             **internal)(near_backward)
    register(f"{lin}.vec", f"{lin}(Tensor input, SymIntArrayRef? output_size, bool align_corners, "
             "ArrayRef<double>? scale_factors)", composite=True, **internal)(lin_vec)
    register(lin, f"{lin}(Tensor input, SymIntArrayRef[{nd}] output_size, bool align_corners, {scale_params})",
             node=node_lin, **internal)(lin_base)
    register(f"{lin}_backward", f"{lin}_backward(Tensor grad_output, SymIntArrayRef[{nd}] output_size, "
             f"SymIntArrayRef[{nd + 2}] input_size, bool align_corners, {scale_params})",
             node=node_lin.replace("Backward0", "BackwardBackward0"), **internal)(lin_backward)


def _register_exact(nd: int) -> None:
    """``_upsample_nearest_exact{nd}d`` (``.vec`` first), its backward op and nodes."""
    name = f"_upsample_nearest_exact{nd}d"
    scale_params = ", ".join(f"double? {s}=None" for s in _SCALE_NAMES[nd])
    node = f"UpsampleNearestExact{nd}DBackward0"

    def vec(input: Tensor, output_size: Any, scale_factors: Any) -> Tensor:
        size, scales = _vec_sizes(input, output_size, scale_factors, nd)
        return getattr(aten, name)(input, size, *scales)

    def base(self: Tensor, output_size: Any, *scales: float | None) -> Tensor:
        return _forward(self, output_size, scales, nd, None, exact=True)

    def backward(grad_output: Tensor, output_size: Any, input_size: Any, *scales: float | None) -> Tensor:
        return _backward(grad_output, output_size, input_size, scales, nd, None, exact=True)

    vec.__doc__ = f"``torch._C._nn.{name}(input, output_size, scale_factors)``"
    base.__doc__ = f"``torch._C._nn.{name}``: nearest-exact (pixel-centre) upsampling of the last {nd} dims"
    backward.__doc__ = f"``{name}_backward``: the gradient summed back onto the source elements"
    internal = {"function": False, "method": False}
    register(f"{name}.vec", f"{name}(Tensor input, SymIntArrayRef? output_size, ArrayRef<double>? scale_factors)",
             composite=True, **internal)(vec)
    register(name, f"{name}(Tensor input, SymIntArrayRef[{nd}] output_size, {scale_params})", node=node,
             **internal)(base)
    register(f"{name}_backward", f"{name}_backward(Tensor grad_output, SymIntArrayRef[{nd}] output_size, "
             f"SymIntArrayRef[{nd + 2}] input_size, {scale_params})",
             node=node.replace("Backward0", "BackwardBackward0"), **internal)(backward)


for _nd in (1, 2, 3):
    _register_family(_nd)
    _register_exact(_nd)

__all__: list[str] = []
