"""The activation functions of ``torch.nn.functional`` as registry records, mirroring ATen's kernels
(aten/src/ATen/native/Activation.cpp and cpu/Activation.cpp) and their records in derivatives.yaml.

Most live in torch's ``torch._C._nn`` namespace (``gelu``, ``silu``, ``elu``, ``leaky_relu``,
``hardtanh``, ``relu6``, ``softplus``, ``mish``, ``hardswish``, ``hardsigmoid`` and their in-place
``_`` forms): they are internal records here (neither ``reftorch.*`` functions nor Tensor methods),
reached parsed through :data:`reftorch.ops.registry.vf` by ``reftorch.nn.functional``. ``selu``,
``celu`` (and their in-place forms) and ``prelu`` are ``torch.*`` functions, as in torch.

Kernels compute as torch's CPU kernels: floating inputs only (each kernel's dispatch error
otherwise), half-precision inputs computed in float32 (torch's ``opmath``) and rounded back.
Composites record what torch records: ``relu6`` is ``hardtanh(x, 0, 6)`` (HardtanhBackward0), ``selu``
is ``elu(x, alpha, scale)`` (EluBackward0), ``prelu`` reshapes ``weight`` to broadcast (ViewBackward0)
and calls ``_prelu_kernel`` (PreluKernelBackward0).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .. import _backends
from .. import _dtype as D
from .._random import cpu
from .._tensor import Tensor
from ._inplace import check_memory, store
from ._util import result_tensor, same_device, unsupported_dtype
from .registry import aten, register

# torch's SELU constants (aten/src/ATen/native/Activation.cpp)
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
# the tanh approximation of gelu: sqrt(2 / pi) and the cubic coefficient
GELU_BETA = math.sqrt(2.0) * (2.0 / math.sqrt(math.pi)) * 0.5
GELU_KAPPA = 0.044715


def _floating(self: Tensor, kernel: str, complex_too: bool = False) -> None:
    """The CPU kernels dispatch on floating types only (``"elu_cpu" not implemented for 'Long'``);
    silu's on complex types too."""
    if self._dtype.category != D.FLOATING and not (complex_too and self._dtype.is_complex):
        raise unsupported_dtype(kernel, self._dtype)


def _opmath(self: Tensor) -> Any:
    """The input's values in the dtype the kernel computes in: float32 for half precision."""
    x = self._array
    if x.dtype.kind == "f" and x.dtype.itemsize < 4:
        x = x.astype(self._backend.xp.float32)
    return x


def _apply(self: Tensor, compute: Callable[..., Any], *args: Any, inplace: bool = False) -> Tensor:
    """``compute(xp, x, *args)`` on the input's values: a new result of the input's dtype, or written
    into the input (after TensorIterator's memory check)."""
    if inplace:
        check_memory(self)
    backend = self._backend
    values = backend.quietly(compute, backend.xp, _opmath(self), *args)
    if inplace:
        return store(self, values)
    return result_tensor(values, self._dtype, self)


# ----------------------------------------------------------------------------- computations
def _gelu(xp: Any, x: Any, approximate: str, onednn_avx512: bool = False) -> Any:
    if approximate == "tanh":
        inner = GELU_BETA * (x + GELU_KAPPA * x * x * x)
        return 0.5 * x * (1 + xp.tanh(inner))
    values = x * 0.5 * (1 + _backends.special(xp).erf(x * math.sqrt(0.5)))
    if onednn_avx512:  # oneDNN's gelu_erf: NaN at +-inf, and x * (1 + erf) overflows past FLT_MAX / 2
        values = xp.where(xp.isinf(x), xp.nan, xp.where(x > xp.finfo(x.dtype).max / 2, xp.inf, values))
    return values


def _silu(xp: Any, x: Any) -> Any:
    return x / (1 + xp.exp(-x))


def _elu(xp: Any, x: Any, alpha: Any, scale: Any, input_scale: Any) -> Any:
    negcoef = alpha * scale
    return xp.where(x <= 0, xp.expm1(x * input_scale) * negcoef, x * scale)


def _leaky_relu(xp: Any, x: Any, negative_slope: Any) -> Any:
    return xp.where(x > 0, x, x * negative_slope)


def _softplus(xp: Any, x: Any, beta: Any, threshold: Any) -> Any:
    scaled = x * beta
    return xp.where(scaled > threshold, x, xp.log1p(xp.exp(scaled)) / beta)


def _mish(xp: Any, x: Any) -> Any:
    return x * xp.tanh(xp.log1p(xp.exp(x)))


def _hardswish(xp: Any, x: Any) -> Any:
    return x * xp.minimum(xp.maximum(x + 3, 0), 6) / 6


def _hardsigmoid(xp: Any, x: Any) -> Any:
    return xp.minimum(xp.maximum(x + 3, 0), 6) / 6


def _clamp(xp: Any, x: Any, low: Any, high: Any) -> Any:
    return xp.minimum(xp.maximum(x, xp.asarray(low, dtype=x.dtype)), xp.asarray(high, dtype=x.dtype))


# ----------------------------------------------------------------------------- gelu
def _gelu_check(self: Tensor, approximate: str) -> bool:
    """torch's argument checks; then whether torch would run oneDNN's AVX-512 kernel.

    ``gelu_out_cpu`` (aten/src/ATen/native/Activation.cpp) hands a contiguous float32 CPU input of more
    than one element (``use_mkldnn``) with ``approximate='none'`` to oneDNN, whose AVX-512 ``gelu_erf``
    differs from ATen's formula at the edges (NaN for +-inf, inf above FLT_MAX / 2; observed on torch
    2.13 on an AVX-512 AMD EPYC, the values between agree to float32 tolerance). On the earlier machines
    without AVX-512 torch's edges were ATen's (the non-finite activation tests passed there).
    """
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    _floating(self, "GeluKernelImpl")
    return (approximate == "none" and self._dtype is D.float32 and self.device.type == "cpu"
            and self.numel() > 1 and self.is_contiguous() and "avx512f" in cpu.cpu_flags())


@register("gelu", 'gelu(Tensor input, *, c10::string_view approximate="none", Tensor out=None)',
          node="GeluBackward0", function=False, method=False)
def gelu(self: Tensor, approximate: str = "none") -> Tensor:
    """``gelu(x) = x * Phi(x)`` (``approximate='none'``, with erf) or its tanh approximation."""
    return _apply(self, _gelu, approximate, _gelu_check(self, approximate))


@register("gelu_", 'gelu_(Tensor input, *, c10::string_view approximate="none")', node="GeluBackward0",
          inplace=True, function=False, method=False)
def gelu_(self: Tensor, approximate: str = "none") -> Tensor:
    return _apply(self, _gelu, approximate, _gelu_check(self, approximate), inplace=True)


# ----------------------------------------------------------------------------- silu, mish, hardswish, hardsigmoid
def _simple(name: str, compute: Callable[..., Any], kernel: str, node: str, doc: str,
            complex_too: bool = False) -> None:
    """A one-argument activation and its in-place form (same node: the formula reads the original)."""
    def functional(self: Tensor) -> Tensor:
        _floating(self, kernel, complex_too)
        return _apply(self, compute)

    def inplace(self: Tensor) -> Tensor:
        _floating(self, kernel, complex_too)
        return _apply(self, compute, inplace=True)

    functional.__name__, functional.__doc__ = name, doc
    inplace.__name__, inplace.__doc__ = name + "_", f"In-place ``{name}``."
    register(name, f"{name}(Tensor input, *, Tensor out=None)", node=node, function=False,
             method=False)(functional)
    register(name + "_", f"{name}_(Tensor input)", node=node, inplace=True, function=False,
             method=False)(inplace)


_simple("silu", _silu, "silu_cpu", "SiluBackward0", "``silu(x) = x * sigmoid(x)`` (complex inputs too).", True)
_simple("mish", _mish, "mish_cpu", "MishBackward0", "``mish(x) = x * tanh(softplus(x))``.")
_simple("hardswish", _hardswish, "hardswish_cpu", "HardswishBackward0",
        "``hardswish(x) = x * relu6(x + 3) / 6``.")
_simple("hardsigmoid", _hardsigmoid, "hardsigmoid_cpu", "HardsigmoidBackward0",
        "``hardsigmoid(x) = relu6(x + 3) / 6``.")


# ----------------------------------------------------------------------------- elu, celu, selu
@register("elu", "elu(Tensor input, Scalar alpha=1, Scalar scale=1, Scalar input_scale=1, *, Tensor out=None)",
          node="EluBackward0", function=False, method=False)
def elu(self: Tensor, alpha: Any = 1, scale: Any = 1, input_scale: Any = 1) -> Tensor:
    """``scale * x`` for ``x > 0``, else ``scale * alpha * (exp(x * input_scale) - 1)``."""
    _floating(self, "elu_cpu")
    return _apply(self, _elu, alpha, scale, input_scale)


@register("elu_", "elu_(Tensor input, Scalar alpha=1, Scalar scale=1, Scalar input_scale=1)",
          node="EluBackward1", inplace=True, function=False, method=False)
def elu_(self: Tensor, alpha: Any = 1, scale: Any = 1, input_scale: Any = 1) -> Tensor:
    """In-place ``elu``; its node (EluBackward1) differentiates through the result."""
    _floating(self, "elu_cpu")
    return _apply(self, _elu, alpha, scale, input_scale, inplace=True)


def _celu_inverse(alpha: Any) -> float:
    if float(alpha) == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return 1.0 / float(alpha)


@register("celu", "celu(Tensor input, Scalar alpha=1.)", node="CeluBackward0", method=False)
def celu(self: Tensor, alpha: Any = 1.0) -> Tensor:
    """``torch.celu``: ``elu(x, alpha, 1, 1 / alpha)`` computed as one op (CeluBackward0); alpha != 0."""
    inverse = _celu_inverse(alpha)
    _floating(self, "elu_cpu")
    return _apply(self, _elu, alpha, 1.0, inverse)


@register("celu_", "celu_(Tensor input, Scalar alpha=1.)", node="CeluBackward1", inplace=True, method=False)
def celu_(self: Tensor, alpha: Any = 1.0) -> Tensor:
    """``torch.celu_``: in-place ``celu`` (CeluBackward1, through the result)."""
    inverse = _celu_inverse(alpha)
    _floating(self, "elu_cpu")
    return _apply(self, _elu, alpha, 1.0, inverse, inplace=True)


@register("selu", "selu(Tensor input)", composite=True, method=False)
def selu(self: Tensor) -> Tensor:
    """``torch.selu``: torch's composite ``elu(x, SELU_ALPHA, SELU_SCALE)`` (EluBackward0)."""
    return aten.elu(self, SELU_ALPHA, SELU_SCALE, 1)


@register("selu_", "selu_(Tensor input)", composite=True, method=False)
def selu_(self: Tensor) -> Tensor:
    """``torch.selu_``: ``elu_(x, SELU_ALPHA, SELU_SCALE)`` (EluBackward1)."""
    return aten.elu_(self, SELU_ALPHA, SELU_SCALE, 1)


# ----------------------------------------------------------------------------- leaky_relu
@register("leaky_relu", "leaky_relu(Tensor input, Scalar negative_slope=0.01, *, Tensor out=None)",
          node="LeakyReluBackward0", function=False, method=False)
def leaky_relu(self: Tensor, negative_slope: Any = 0.01) -> Tensor:
    """``x`` for ``x > 0``, else ``negative_slope * x``."""
    _floating(self, "leaky_relu_cpu")
    return _apply(self, _leaky_relu, negative_slope)


@register("leaky_relu_", "leaky_relu_(Tensor input, Scalar negative_slope=0.01)", node="LeakyReluBackward1",
          inplace=True, function=False, method=False)
def leaky_relu_(self: Tensor, negative_slope: Any = 0.01) -> Tensor:
    """In-place ``leaky_relu`` (LeakyReluBackward1, through the result)."""
    _floating(self, "leaky_relu_cpu")
    return _apply(self, _leaky_relu, negative_slope, inplace=True)


# ----------------------------------------------------------------------------- hardtanh, relu6
def _hardtanh_bounds(self: Tensor, min_val: Any, max_val: Any) -> tuple[Any, Any]:
    """ATen's ``hardtanh_out``: no bool input; integral inputs take the bounds truncated to integers
    (non-negative ones for uint8); complex inputs get clamp's error."""
    if self._dtype is D.bool:
        raise RuntimeError("Bool inputs not supported for hardtanh")
    if self._dtype.category == D.INTEGER:
        min_val, max_val = int(min_val), int(max_val)
        if self._dtype is D.uint8 and (min_val < 0 or max_val < 0):
            raise RuntimeError("cannot do hardtanh on an unsigned type with negative limits")
    if self._dtype.is_complex:
        raise NotImplementedError("clamp is not supported for complex types")
    return min_val, max_val


@register("hardtanh", "hardtanh(Tensor input, Scalar min_val=-1, Scalar max_val=1, *, Tensor out=None)",
          node="HardtanhBackward0", function=False, method=False)
def hardtanh(self: Tensor, min_val: Any = -1, max_val: Any = 1) -> Tensor:
    """``clamp(x, min_val, max_val)`` in the input's dtype (HardtanhBackward0)."""
    return _apply(self, _clamp, *_hardtanh_bounds(self, min_val, max_val))


@register("hardtanh_", "hardtanh_(Tensor input, Scalar min_val=-1, Scalar max_val=1)",
          node="HardtanhBackward0", inplace=True, function=False, method=False)
def hardtanh_(self: Tensor, min_val: Any = -1, max_val: Any = 1) -> Tensor:
    """In-place ``hardtanh``."""
    bounds = _hardtanh_bounds(self, min_val, max_val)
    return _apply(self, _clamp, *bounds, inplace=True)


@register("relu6", "relu6(Tensor input)", composite=True, function=False, method=False)
def relu6(self: Tensor) -> Tensor:
    """``hardtanh(x, 0, 6)``, as ATen composes it."""
    return aten.hardtanh(self, 0, 6)


@register("relu6_", "relu6_(Tensor input)", composite=True, function=False, method=False)
def relu6_(self: Tensor) -> Tensor:
    """``hardtanh_(x, 0, 6)``."""
    return aten.hardtanh_(self, 0, 6)


# ----------------------------------------------------------------------------- softplus
@register("softplus", "softplus(Tensor input, Scalar beta=1, Scalar threshold=20, *, Tensor out=None)",
          node="SoftplusBackward0", function=False, method=False)
def softplus(self: Tensor, beta: Any = 1, threshold: Any = 20) -> Tensor:
    """``log(1 + exp(beta * x)) / beta``, or ``x`` itself where ``beta * x > threshold``."""
    _floating(self, "softplus_cpu")
    return _apply(self, _softplus, beta, threshold)


# ----------------------------------------------------------------------------- prelu
def _prelu_values(xp: Any, x: Any, w: Any) -> Any:
    return xp.where(x > 0, x, w * x)


@register("_prelu_kernel", "_prelu_kernel(Tensor input, Tensor weight)", node="PreluKernelBackward0",
          method=False)
def _prelu_kernel(self: Tensor, weight: Tensor) -> Tensor:
    """``x`` where positive, else ``weight * x`` (``weight`` broadcast against ``x``)."""
    same_device((self, weight))
    _floating(self, "prelu_cpu")
    backend = self._backend
    values = backend.quietly(_prelu_values, backend.xp, _opmath(self), weight._array.astype(_opmath(self).dtype))
    return result_tensor(values, self._dtype, self)


@register("prelu", "prelu(Tensor input, Tensor weight)", composite=True)
def prelu(self: Tensor, weight: Tensor) -> Tensor:
    """``torch.prelu``: ATen's composite: same dtypes, ``weight`` of one element or one per channel
    (dim 1), at most 1-D, reshaped to broadcast over the input, then ``_prelu_kernel``."""
    ndim = self.dim()
    if self._dtype is not weight._dtype:
        raise RuntimeError(f"prelu: Type promoting not supported. Got {self._dtype.scalar_name} and "
                           f"{weight._dtype.scalar_name}")
    if weight.numel() != 1:
        if ndim == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        channels = self._shape[1] if ndim > 1 else 1
        if channels != weight.numel():
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                               f"{weight.numel()} and channel size = {channels}.")
    if weight.dim() > 1:
        raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {weight.dim()}")
    if ndim != weight.dim():
        shape = [1] * ndim
        if ndim > 1:
            shape[1] = weight.numel()
        weight = weight.reshape(shape)
    return aten._prelu_kernel(self, weight)


__all__ = ["SELU_ALPHA", "SELU_SCALE", "celu", "celu_", "elu", "elu_", "gelu", "gelu_", "hardtanh", "hardtanh_",
           "leaky_relu", "leaky_relu_", "prelu", "relu6", "relu6_", "selu", "selu_", "softplus"]
