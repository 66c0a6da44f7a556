"""The normalization ops: ``native_batch_norm``/``batch_norm``, ``native_layer_norm``/``layer_norm`` and
``native_group_norm``/``group_norm``, ported from aten/src/ATen/native/Normalization.cpp, layer_norm.cpp
and group_norm.cpp (their CPU kernels in native/cpu/).

- ``batch_norm`` (torch's composite ``_batch_norm_impl_index``) checks the sizes of the running
  statistics and the affine parameters against the channel dim 1 (running_mean, running_var, weight,
  bias, in that order; a missing running statistic is an error in evaluation mode), then calls
  ``native_batch_norm``. In training the statistics are the batch's over every dim but 1: the biased
  variance normalises, and the running statistics (when given) become
  ``momentum * batch + (1 - momentum) * running`` with the *unbiased* variance, written straight into
  their memory without a version bump (torch's kernel writes them below autograd). The second and
  third results are the batch mean and ``1 / sqrt(var + eps)``; in evaluation mode they are empty and
  the running statistics normalise.
- ``layer_norm`` normalises over the trailing ``normalized_shape`` dims; ``native_layer_norm`` also
  returns the mean and ``rstd`` with those dims kept as size 1.
- ``group_norm`` splits the channels of an ``(N, C, *)`` input into ``num_groups`` groups normalised
  separately; ``native_group_norm`` also returns the ``(N, group)`` mean and ``rstd``.

The statistics accumulate in double precision (torch's CPU ``acc_type`` of float is double for the
batch statistics) and every result is rounded once to the input's dtype. Kernels compute on
``self._backend.xp`` arrays.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .. import _dtype as D
from .._tensor import Tensor
from ._util import result_tensor, shape_str, unsupported_dtype
from .registry import call, register

_FLOATS = (D.float16, D.bfloat16, D.float32, D.float64)


def _wide(t: Tensor) -> Any:
    """``t``'s values as a float64 backend array."""
    return t._array.astype("float64")


def _check_mixed(input: Tensor, *others: Tensor | None) -> None:
    """torch's CPU ``check_mixed_data_type``: the parameters share the input's dtype, or the input is a
    reduced float (half, bfloat16) and they are all float32."""
    defined = [t for t in others if t is not None]
    if all(t._dtype is input._dtype for t in defined):
        return
    if input._dtype in (D.float16, D.bfloat16) and all(t._dtype is D.float32 for t in defined):
        return
    raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")


def _channel_view(arr: Any, ndim: int) -> Any:
    """A per-channel vector shaped to broadcast over dim 1 of an ``ndim``-dim input."""
    return arr.reshape((1, -1) + (1,) * (ndim - 2))


# ----------------------------------------------------------------------------- batch norm
@register("native_batch_norm", "native_batch_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, "
          "Tensor? running_var, bool training, double momentum, double eps)", node="NativeBatchNormBackward0",
          method=False)
def native_batch_norm(self: Tensor, weight: Tensor | None, bias: Tensor | None, running_mean: Tensor | None,
                      running_var: Tensor | None, training: bool, momentum: float, eps: float,
                      ) -> tuple[Tensor, Tensor, Tensor]:
    """``torch.native_batch_norm``: (output, save_mean, save_invstd). In training the batch statistics
    over every dim but 1 normalise (biased variance) and update the given running statistics in
    place (unbiased variance, no version bump); otherwise the running statistics normalise and the
    saved statistics are empty."""
    if self._dtype not in _FLOATS:
        raise unsupported_dtype("batch_norm", self._dtype)
    _check_mixed(self, weight, bias, running_mean, running_var)
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError(f"running_{'mean' if running_mean is None else 'var'} must be defined in evaluation mode")
    xp = self._backend.xp
    ndim = self.dim()
    x = _wide(self)
    axes = tuple(d for d in range(ndim) if d != 1)
    channels = self._shape[1]
    stat_dtype = running_mean._dtype if running_mean is not None else self._dtype
    with self._backend.quiet():
        if training:
            count = self.numel() // max(channels, 1)
            mean = x.mean(axis=axes) if count else xp.zeros(channels)
            var_sum = ((x - _channel_view(mean, ndim)) ** 2).sum(axis=axes)
            invstd = 1.0 / xp.sqrt(var_sum / count + eps) if count else xp.zeros(channels)
            for running, batch in ((running_mean, mean), (running_var, var_sum / (count - 1) if count > 1
                                                          else xp.full(channels, math.inf))):
                if running is not None and count:
                    updated = momentum * batch + (1 - momentum) * _wide(running)
                    xp.copyto(running._array, updated, casting="unsafe")  # (torch writes below autograd)
            shift, scale = mean, invstd
            save_mean = result_tensor(mean, stat_dtype, self)
            save_invstd = result_tensor(invstd, stat_dtype, self)
        else:
            shift = _wide(running_mean)
            scale = 1.0 / xp.sqrt(_wide(running_var) + eps)
            save_mean = result_tensor(xp.zeros(0), stat_dtype, self)
            save_invstd = result_tensor(xp.zeros(0), stat_dtype, self)
        alpha = scale if weight is None else scale * _wide(weight)
        out = (x - _channel_view(shift, ndim)) * _channel_view(alpha, ndim)
        if bias is not None:
            out = out + _channel_view(_wide(bias), ndim)
    return result_tensor(out, self._dtype, self), save_mean, save_invstd


def _check_features(name: str, features: int, tensor: Tensor) -> None:
    if tensor.numel() != features:
        raise RuntimeError(f"{name} should contain {features} elements not {tensor.numel()}")


@register("batch_norm", "batch_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, "
          "Tensor? running_var, bool training, double momentum, double eps, bool cudnn_enabled)", composite=True,
          method=False)
def batch_norm(self: Tensor, weight: Tensor | None, bias: Tensor | None, running_mean: Tensor | None,
               running_var: Tensor | None, training: bool, momentum: float, eps: float, cudnn_enabled: bool,
               ) -> Tensor:
    """``torch.batch_norm``: torch's ``_batch_norm_impl_index`` on the CPU: the running statistics and
    affine parameters must have one element per channel (dim 1), then ``native_batch_norm``."""
    features = self.size(1)
    for name, tensor in (("running_mean", running_mean), ("running_var", running_var)):
        if tensor is not None:
            _check_features(name, features, tensor)
        elif not training:
            raise RuntimeError(f"{name} must be defined in evaluation mode")
    for name, tensor in (("weight", weight), ("bias", bias)):
        if tensor is not None:
            _check_features(name, features, tensor)
    return call("native_batch_norm", self, weight, bias, running_mean, running_var, training, momentum, eps)[0]


# ----------------------------------------------------------------------------- layer norm
def _check_layer_norm(input: Tensor, normalized_shape: tuple[int, ...], weight: Tensor | None,
                      bias: Tensor | None) -> int:
    """torch's ``_check_layer_norm_inputs``; returns the first normalised dim."""
    shape = tuple(normalized_shape)
    if not shape:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one "
                           f"element, but got normalized_shape = {shape_str(shape)}")
    for name, tensor in (("weight", weight), ("bias", bias)):
        if tensor is not None and tensor._shape != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got {name} of shape "
                               f"{shape_str(tensor._shape)} and normalized_shape = {shape_str(shape)}")
    axis = input.dim() - len(shape)
    if axis < 0 or input._shape[axis:] != shape:
        raise RuntimeError(f"Given normalized_shape={shape_str(shape)}, expected input with shape "
                           f"[*, {', '.join(str(s) for s in shape)}], but got input of size{shape_str(input._shape)}")
    return axis


@register("native_layer_norm", "native_layer_norm(Tensor input, SymIntArrayRef normalized_shape, Tensor? weight, "
          "Tensor? bias, double eps)", node="NativeLayerNormBackward0", method=False)
def native_layer_norm(self: Tensor, normalized_shape: Sequence[int], weight: Tensor | None, bias: Tensor | None,
                      eps: float) -> tuple[Tensor, Tensor, Tensor]:
    """``torch.native_layer_norm``: (output, mean, rstd) normalising over the trailing
    ``normalized_shape`` dims (biased variance); mean and rstd keep those dims as size 1."""
    axis = _check_layer_norm(self, tuple(normalized_shape), weight, bias)
    if self._dtype not in _FLOATS:
        raise unsupported_dtype("LayerNormKernelImpl", self._dtype)
    _check_mixed(self, weight, bias)
    xp = self._backend.xp
    axes = tuple(range(axis, self.dim()))
    x = _wide(self)
    with self._backend.quiet():
        mean = x.mean(axis=axes, keepdims=True) if x.size else xp.zeros(self._shape[:axis] + (1,) * len(axes))
        var = ((x - mean) ** 2).mean(axis=axes, keepdims=True) if x.size else mean
        rstd = 1.0 / xp.sqrt(var + eps)
        out = (x - mean) * rstd
        if weight is not None:
            out = out * _wide(weight)
        if bias is not None:
            out = out + _wide(bias)
    stat_dtype = self._dtype
    return (result_tensor(out, self._dtype, self), result_tensor(mean, stat_dtype, self),
            result_tensor(rstd, stat_dtype, self))


@register("layer_norm", "layer_norm(Tensor input, SymIntArrayRef normalized_shape, Tensor? weight=None, "
          "Tensor? bias=None, double eps=1e-05, bool cudnn_enable=True)", composite=True, method=False)
def layer_norm(self: Tensor, normalized_shape: Sequence[int], weight: Tensor | None, bias: Tensor | None, eps: float,
               cudnn_enable: bool) -> Tensor:
    """``torch.layer_norm``: the output of ``native_layer_norm``."""
    return call("native_layer_norm", self, normalized_shape, weight, bias, eps)[0]


# ----------------------------------------------------------------------------- group norm
@register("native_group_norm", "native_group_norm(Tensor input, Tensor? weight, Tensor? bias, SymInt N, SymInt C, "
          "SymInt HxW, int64_t group, double eps)", node="NativeGroupNormBackward0", method=False)
def native_group_norm(self: Tensor, weight: Tensor | None, bias: Tensor | None, N: int, C: int, HxW: int,
                      group: int, eps: float) -> tuple[Tensor, Tensor, Tensor]:
    """``torch.native_group_norm``: (output, mean, rstd): the ``C`` channels of each of the ``N``
    samples split into ``group`` groups, each normalised over its channels and ``HxW`` positions
    (biased variance), then scaled and shifted per channel; mean and rstd are ``(N, group)``."""
    if self._dtype not in _FLOATS:
        raise unsupported_dtype("GroupNormKernelImpl", self._dtype)
    _check_mixed(self, weight, bias)
    xp = self._backend.xp
    x = _wide(self).reshape(N, group, -1)
    with self._backend.quiet():
        if x.shape[-1]:
            mean = x.mean(axis=2, keepdims=True)
            var = ((x - mean) ** 2).mean(axis=2, keepdims=True)
        else:
            mean = var = xp.zeros((N, group, 1))
        rstd = 1.0 / xp.sqrt(var + eps)
        out = ((x - mean) * rstd).reshape(N, C, -1)
        if weight is not None:
            out = out * _wide(weight).reshape(1, C, 1)
        if bias is not None:
            out = out + _wide(bias).reshape(1, C, 1)
    return (result_tensor(out, self._dtype, self, self._shape), result_tensor(mean, self._dtype, self, (N, group)),
            result_tensor(rstd, self._dtype, self, (N, group)))


@register("group_norm", "group_norm(Tensor input, int64_t num_groups, Tensor? weight=None, Tensor? bias=None, "
          "double eps=1e-05, bool cudnn_enabled=True)", composite=True, method=False)
def group_norm(self: Tensor, num_groups: int, weight: Tensor | None, bias: Tensor | None, eps: float,
               cudnn_enabled: bool) -> Tensor:
    """``torch.group_norm``: torch's checks (channels divisible by ``num_groups``; weight and bias
    vectors of one element per channel), then ``native_group_norm``."""
    N, C = self.size(0), self.size(1)
    if C % num_groups != 0:
        raise RuntimeError("Expected number of channels in input to be divisible by num_groups, but got input of "
                           f"shape {shape_str(self._shape)} and num_groups={num_groups}")
    for name, tensor in (("weight", weight), ("bias", bias)):
        if tensor is not None and (tensor.dim() != 1 or tensor.numel() != C):
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of channels in input, "
                               f"but got {name} of shape {shape_str(tensor._shape)} and input of shape "
                               f"{shape_str(self._shape)}")
    hxw = math.prod(self._shape[2:])
    return call("native_group_norm", self, weight, bias, N, C, hxw, num_groups, eps)[0]


__all__ = ["batch_norm", "group_norm", "layer_norm", "native_batch_norm", "native_group_norm", "native_layer_norm"]
