"""``softmax``, ``log_softmax`` and ``log_sigmoid`` as registry records (aten/src/ATen/native/SoftMax.cpp,
Activation.cpp).

- ``_softmax``/``_log_softmax`` are the ATen kernels (nodes SoftmaxBackward0, LogSoftmaxBackward0): they
  subtract the maximum along ``dim`` before exponentiating, so logits of any size stay finite where
  torch's do (a row of all ``-inf`` gives NaN, as torch's kernel); float16 computes in float32 (torch's
  accumulate type) and rounds the result; other dtypes raise torch's dispatch error, named after the
  kernel torch's ``host_softmax`` picks (``softmax_lastdim_kernel_impl`` when ``dim`` is the last dim,
  ``softmax_kernel_impl`` otherwise).
- ``softmax.int``/``log_softmax.int`` are composites as in torch: with ``dtype=`` the input is converted
  first (``input.to(dtype)``: ToCopyBackward0 below the softmax node), then ``_softmax``.
- ``log_sigmoid`` (``torch._C._nn.log_sigmoid``, LogSigmoidBackward0): ``min(x, 0) - log1p(exp(-|x|))``.
"""

from __future__ import annotations

from typing import Any

from .. import _dtype as D
from .._tensor import Tensor
from ._util import result_tensor, unsupported_dtype, wrap_dim
from .registry import aten, register


def _normalized(self: Tensor, dim: int, half_to_float: bool, log: bool) -> Tensor:
    """The shared kernel of ``_softmax`` and ``_log_softmax``."""
    name = "log_softmax" if log else "softmax"
    d = wrap_dim(dim, self.dim())
    if half_to_float:
        raise RuntimeError(f"{name} with half to float conversion is not supported on CPU")
    if self._dtype.category != D.FLOATING:
        kernel = f"{name}_lastdim_kernel_impl" if d == max(self.dim(), 1) - 1 else f"{name}_kernel_impl"
        raise unsupported_dtype(kernel, self._dtype)
    xp = self._backend.xp
    acc = D.float32 if self._dtype is D.float16 else self._dtype
    arr = self._array.astype(acc.array_name, copy=False).reshape(self._shape or (1,))
    if arr.size == 0:
        return result_tensor(arr, self._dtype, self, self._shape)
    with self._backend.quiet():
        shifted = arr - xp.max(arr, axis=d, keepdims=True)
        if log:
            values = shifted - xp.log(xp.sum(xp.exp(shifted), axis=d, keepdims=True))
        else:
            exps = xp.exp(shifted)
            values = exps / xp.sum(exps, axis=d, keepdims=True)
    return result_tensor(values, self._dtype, self, self._shape)


@register("_softmax", "_softmax(Tensor input, int64_t dim, bool half_to_float)", node="SoftmaxBackward0",
          method=False)
def _softmax(self: Tensor, dim: int, half_to_float: bool) -> Tensor:
    """``torch._softmax``: ``exp(x - max) / sum(exp(x - max))`` along ``dim``."""
    return _normalized(self, dim, half_to_float, log=False)


@register("_log_softmax", "_log_softmax(Tensor input, int64_t dim, bool half_to_float)",
          node="LogSoftmaxBackward0", method=False)
def _log_softmax(self: Tensor, dim: int, half_to_float: bool) -> Tensor:
    """``torch._log_softmax``: ``x - max - log(sum(exp(x - max)))`` along ``dim``."""
    return _normalized(self, dim, half_to_float, log=True)


def _converted(self: Tensor, dtype: D.dtype | None) -> Tensor:
    """``input.to(dtype)``, which is ``input`` itself for its own dtype (no call, no node)."""
    return self if dtype is None or dtype is self._dtype else self.to(dtype)


@register("softmax.int", "softmax(Tensor input, int64_t dim, ScalarType? dtype=None)", composite=True)
def softmax(self: Tensor, dim: int, dtype: D.dtype | None) -> Tensor:
    """``torch.softmax(input, dim, dtype=None)``: ``input.to(dtype)`` when given, then ``_softmax``."""
    return aten._softmax(_converted(self, dtype), dim, False)


@register("log_softmax.int", "log_softmax(Tensor input, int64_t dim, ScalarType? dtype=None)", composite=True)
def log_softmax(self: Tensor, dim: int, dtype: D.dtype | None) -> Tensor:
    """``torch.log_softmax(input, dim, dtype=None)``: ``input.to(dtype)`` when given, then ``_log_softmax``."""
    return aten._log_softmax(_converted(self, dtype), dim, False)


@register("log_sigmoid", "log_sigmoid(Tensor input)", node="LogSigmoidBackward0", function=False, method=False)
def log_sigmoid(self: Tensor) -> Tensor:
    """``torch._C._nn.log_sigmoid``: ``min(x, 0) - log1p(exp(-|x|))`` (floating dtypes only)."""
    if self._dtype.category != D.FLOATING:
        raise unsupported_dtype("log_sigmoid_cpu", self._dtype)
    xp = self._backend.xp
    arr: Any = self._array
    with self._backend.quiet():
        values = xp.minimum(arr, 0) - xp.log1p(xp.exp(-xp.abs(arr)))
    return result_tensor(values, self._dtype, self)


__all__ = ["_log_softmax", "_softmax", "log_sigmoid", "log_softmax", "softmax"]
