"""Padding: ``constant_pad_nd``, ``reflection_pad1d/2d``, ``replication_pad1d/2d``, ``_pad_circular``
and ``pad`` (``F.pad``'s ``torch._C._nn.pad``), as aten/src/ATen/native/PadNd.cpp, ReflectionPad.cpp and
ReplicationPadding.cpp compute them.

``constant_pad_nd`` (ConstantPadNdBackward0) crops for negative pads; its gradient is
``constant_pad_nd`` with the pads negated. Reflection and replication map every output position of
a padded dim to an input position (an index array per dim), so the forward pass is one gather and
the backward pass one product with the 0/1 matrix of that map per dim (the adjoint gather).
``_pad_circular`` is torch's composite: a new tensor filled by ``copy_`` into slices (CopySlices).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._tensor import Tensor
from ._util import result_tensor, shape_str
from .registry import aten, register


@register("constant_pad_nd", "constant_pad_nd(Tensor input, SymIntArrayRef pad, Scalar value=0)",
          node="ConstantPadNdBackward0", method=False)
def constant_pad_nd(self: Tensor, pad: Sequence[int], value: Any) -> Tensor:
    """``torch.constant_pad_nd``: ``pad`` lists (left, right) pairs from the last dim backwards;
    negative entries crop."""
    if len(pad) % 2:
        raise RuntimeError(f"Length of pad must be even but instead it equals {len(pad)}")
    ndim, npad = self.dim(), len(pad) // 2
    if ndim < npad:
        raise RuntimeError("Length of pad should be no more than twice the number of dimensions of the input. Pad "
                           f"length is {len(pad)}while the input has {ndim}dimensions.")
    lead = ndim - npad
    shape = list(self._shape)
    for i in range(lead, ndim):  # torch narrows by the negative pads first
        left, right = pad[2 * (ndim - i - 1)], pad[2 * (ndim - i - 1) + 1]
        if shape[i] + min(left, 0) + min(right, 0) < 0:
            raise RuntimeError("narrow(): length must be non-negative.")
        shape[i] += left + right
    xp = self._backend.xp
    src = [slice(None)] * ndim
    dst = [slice(None)] * ndim
    for i in range(lead, ndim):
        left, right = pad[2 * (ndim - i - 1)], pad[2 * (ndim - i - 1) + 1]
        n = self._shape[i]
        src[i] = slice(max(-left, 0), n - max(-right, 0))
        dst[i] = slice(max(left, 0), max(left, 0) + max(n - max(-left, 0) - max(-right, 0), 0))
    out = xp.full(tuple(shape), value, dtype=self._array.dtype) if shape else self._array.copy()
    if out.size:
        out[tuple(dst)] = self._array[tuple(src)]
    return result_tensor(out, self._dtype, self)


# ----------------------------------------------------------------------------- reflection, replication


def _index_map(xp: Any, n: int, left: int, right: int, mode: str) -> Any:
    """The input position of each output position of one padded dim."""
    src = xp.arange(-left, n + right)
    if mode == "reflect":
        src = xp.abs(src)
        return xp.where(src >= n, 2 * (n - 1) - src, src)
    return xp.clip(src, 0, n - 1)


def _check_valid_input(self: Tensor, dims: int) -> None:
    """ATen's ``padding::check_valid_input<dims>``."""
    ndim = self.dim()
    valid = False
    if ndim == dims + 2:
        valid = all(s != 0 for s in self._shape[1:])
    elif ndim == dims + 1:
        valid = all(s != 0 for s in self._shape)
    if not valid:
        raise RuntimeError(f"Expected {dims + 1}D or {dims + 2}D (batch mode) tensor with possibly 0 batch size and "
                           f"other non-zero dimensions for input, but got: {shape_str(self._shape)}")


def _pad_by_map(self: Tensor, padding: Sequence[int], dims: int, mode: str) -> Tensor:
    _check_valid_input(self, dims)
    ndim = self.dim()
    sizes = self._shape[-dims:]
    outs = []
    for k in range(dims):  # k counts from the last dim
        left, right = padding[2 * k], padding[2 * k + 1]
        n = sizes[dims - 1 - k]
        dim = ndim - 1 - k
        if mode == "reflect" and not (left < n and right < n):
            raise RuntimeError(f"Argument #{4 + 2 * k}: Padding size should be less than the corresponding input "
                               f"dimension, but got: padding ({left}, {right}) at dimension {dim} of input "
                               f"{shape_str(self._shape)}")
        outs.append(n + left + right)
    outs.reverse()
    if any(o < 1 for o in outs) if (mode != "reflect" or dims == 1) else all(o < 1 for o in outs):
        names = ("H", "W")[-dims:]
        given = ", ".join(f"{n}: {s}" for n, s in zip(names, sizes))
        calc = " ".join(f"{n}: {o}" for n, o in zip(names, outs))
        raise RuntimeError(f"input ({given}) is too small. Calculated output {calc}")
    xp = self._backend.xp
    index = tuple(_index_map(xp, sizes[d], padding[2 * (dims - 1 - d)], padding[2 * (dims - 1 - d) + 1], mode)
                  for d in range(dims))
    grid = xp.ix_(*index)
    return result_tensor(self._array[(Ellipsis,) + grid], self._dtype, self)


def _pad_backward(grad_output: Tensor, self: Tensor, padding: Sequence[int], dims: int, mode: str) -> Tensor:
    """The adjoint gather: per padded dim, the product with the 0/1 matrix of the index map."""
    xp = self._backend.xp
    g = grad_output._array
    ndim = g.ndim
    for d in range(dims):
        n = self._shape[ndim - dims + d]
        idx = _index_map(xp, n, padding[2 * (dims - 1 - d)], padding[2 * (dims - 1 - d) + 1], mode)
        onehot = (xp.arange(n)[:, None] == idx[None, :]).astype(g.dtype)  # (n, out)
        g = xp.moveaxis(xp.matmul(xp.moveaxis(g, ndim - dims + d, -1), onehot.T), -1, ndim - dims + d)
    return result_tensor(g, self._dtype, self)


def _declare_map_pad(mode: str, dims: int) -> None:
    base = "reflection" if mode == "reflect" else "replication"
    name = f"{base}_pad{dims}d"
    node = f"{base.capitalize()}Pad{dims}DBackward0"

    def kernel(self: Tensor, padding: Sequence[int]) -> Tensor:
        return _pad_by_map(self, padding, dims, mode)

    kernel.__doc__ = (f"``torch._C._nn.{name}``: the last {dims} dim(s) padded by "
                      f"{'reflection (the edge not repeated)' if mode == 'reflect' else 'repeating the edge'}.")
    register(name, f"{name}(Tensor input, SymIntArrayRef[{2 * dims}] padding)", node=node, function=False,
             method=False)(kernel)

    def backward(grad_output: Tensor, self: Tensor, padding: Sequence[int]) -> Tensor:
        return _pad_backward(grad_output, self, padding, dims, mode)

    backward.__doc__ = f"``torch._C._nn.{name}_backward``: the gradient of ``{name}``."
    register(f"{name}_backward", f"{name}_backward(Tensor grad_output, Tensor input, "
             f"SymIntArrayRef[{2 * dims}] padding)", node=f"NotImplemented:{name}_backward", function=False,
             method=False)(backward)


for _mode in ("reflect", "replicate"):
    for _dims in (1, 2):
        _declare_map_pad(_mode, _dims)


@register("_pad_circular", "_pad_circular(Tensor input, SymIntArrayRef pad)", composite=True, function=False,
          method=False)
def _pad_circular(self: Tensor, pad: Sequence[int]) -> Tensor:
    """``torch._C._nn._pad_circular`` (PadNd.cpp's ``_pad_circular_symint``) of the last
    ``len(pad) // 2`` dims: a new tensor, the input copied into its middle, then the wrapped-around
    borders copied from it, dim by dim (CopySlices)."""
    in_shape = self._shape
    ndim = len(pad) // 2
    lead = len(in_shape) - ndim
    out_shape = list(in_shape)
    for i in range(ndim):
        left, right = pad[2 * (ndim - i - 1)], pad[2 * (ndim - i - 1) + 1]
        size = in_shape[lead + i]
        out_shape[lead + i] = size + left + right
        if not (left <= size and right <= size):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        if out_shape[lead + i] < 0:
            raise RuntimeError("Negative padding value is resulting in an empty dimension")
    out = self.new_empty(tuple(out_shape))

    def sliced(t: Tensor, dim: int, start: int, stop: int) -> Tensor:
        return t[(slice(None),) * dim + (slice(start, stop),)]

    out_slice, in_slice = out, self
    for i in range(ndim):
        dim = len(in_shape) - 1 - i
        left, right = pad[2 * i], pad[2 * i + 1]
        out_slice = sliced(out_slice, dim, max(left, 0), out_shape[dim] - max(right, 0))
        in_slice = sliced(in_slice, dim, max(-left, 0), in_shape[dim] - max(-right, 0))
    out_slice.copy_(in_slice)
    for i in range(ndim):
        dim = len(in_shape) - 1 - i
        left, right = pad[2 * i], pad[2 * i + 1]
        if left > 0:
            sliced(out, dim, 0, left).copy_(
                sliced(out, dim, out_shape[dim] - left - max(right, 0), out_shape[dim] - max(right, 0)))
        if right > 0:
            sliced(out, dim, out_shape[dim] - right, out_shape[dim]).copy_(
                sliced(out, dim, max(left, 0), max(left, 0) + right))
    return out


_SUPPORTED = ("Supported combinations for non-constant padding:\n"
              "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
              "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
              "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")


@register("pad", "pad(Tensor input, SymIntArrayRef pad, c10::string_view mode=\"constant\", double? value=None)",
          composite=True, function=False, method=False)
def pad(self: Tensor, pad: Sequence[int], mode: str, value: float | None) -> Tensor:
    """``torch._C._nn.pad`` (PadNd.cpp's ``pad_symint``), behind ``F.pad``: checks the pad length, then
    ``constant_pad_nd``, or the reflection/replication/circular op of the padded dims (a 2-D/3-D
    input with 2 pads, a 3-D/4-D input with 4)."""
    ndim = self.dim()
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) > ndim * 2:
        raise RuntimeError("Padding length should be less than or equal to two times the input dimension but got "
                           f"padding length {len(pad)} and input of dimension {ndim}")
    if mode not in ("constant", "reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if mode == "constant":
        return aten.constant_pad_nd(self, pad, 0 if value is None else value)
    if value is not None and value != 0:
        raise RuntimeError(f"Padding mode \"{mode}\" doesn't take in value argument")
    dims = len(pad) // 2
    if dims in (1, 2) and ndim in (dims + 1, dims + 2):
        if mode == "circular":
            return aten._pad_circular(self, pad)
        base = "reflection" if mode == "reflect" else "replication"
        return getattr(aten, f"{base}_pad{dims}d")(self, pad)
    if dims == 3 and ndim in (4, 5):
        raise NotImplementedError(f"reftorch does not implement 3-D {mode} padding")
    raise NotImplementedError(f"Padding size {len(pad)} is not supported for {ndim}D input tensor.\n{_SUPPORTED}")


__all__ = ["constant_pad_nd", "pad"]
