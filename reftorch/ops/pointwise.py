"""``torch.addcmul`` / ``torch.addcdiv`` and their in-place forms: ATen's pointwise ternary ops
(aten/src/ATen/native/PointwiseOps.cpp, kernels in native/cpu/PointwiseOpsKernel.cpp).

The CPU kernels compute in the result dtype (float32 for float32, the op-math type float32 for float16
and bfloat16), with ``value`` cast to it first:

- addcmul: ``self + value * tensor1 * tensor2`` as one fused multiply-add for floating types,
  ``fma(value * tensor1, tensor2, self)`` (checked bit for bit against torch 2.13 for float32);
- addcdiv: ``self + (value * tensor1) / tensor2`` (no fusion); integer ``tensor1`` and ``tensor2``
  together are refused (torch's "Integer division with addcdiv is no longer supported" error).

The result dtype is the type promotion of the three tensors; broadcasting as TensorIterator's.
"""

from __future__ import annotations

from typing import Any

from .. import _dtype as D
from .._promotion import operands_result_type
from .._tensor import Tensor
from ._inplace import check_memory, write_result
from ._scalars import scalar_array
from ._util import array_dtype, broadcast_shapes, from_array, same_device, unsupported_dtype
from .registry import register

_ADDCDIV_INTEGER = (
    "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a "
    "true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value "
    "* torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / "
    "tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: (input + value "
    "* tensor1 / tensor2), for all dtypes.")


def _operand(x: Tensor, compute: D.dtype, backend: Any) -> Any:
    if x._dtype is compute:
        return x._array
    return x._array.astype(array_dtype(backend, compute))


def _fma(a: Any, b: Any, c: Any, compute: D.dtype, backend: Any) -> Any:
    """``a * b + c`` rounded once, as the CPU kernel's ``fmadd`` (exact for float32 on NumPy; other
    floating types and backends round the product first)."""
    xp = backend.xp
    if compute is D.float32 and getattr(xp, "__name__", "") == "numpy":
        from .._random.exact import fma32  # NumPy only: the exact float32 fused multiply-add

        return fma32(a, b, c)
    return a * b + c


def _values(kind: str, self: Tensor, tensor1: Tensor, tensor2: Tensor,
            value: Any) -> tuple[Any, D.dtype, tuple[int, ...]]:
    if kind == "addcdiv" and tensor1._dtype.category <= D.INTEGER and tensor2._dtype.category <= D.INTEGER:
        raise RuntimeError(_ADDCDIV_INTEGER)
    same_device([self, tensor1, tensor2])
    shape = broadcast_shapes(self._shape, tensor1._shape, tensor2._shape)
    result = operands_result_type(self, tensor1, tensor2)
    if result is D.bool:
        raise unsupported_dtype(f"{kind}_cpu_out", result)
    backend = self._backend
    compute = D.float32 if result in (D.float16, D.bfloat16) else result
    a, b, c = (_operand(t, compute, backend) for t in (self, tensor1, tensor2))
    v = scalar_array(backend, value, compute)
    if kind == "addcdiv":
        values = backend.quietly(lambda: a + (v * b) / c)
    elif compute.category == D.FLOATING:
        values = backend.quietly(_fma, v * b, c, a, compute, backend)
    else:
        values = backend.quietly(lambda: a + v * b * c)
    return backend.xp.broadcast_to(values, shape), result, shape


def _functional(kind: str) -> Any:
    def kernel(self: Tensor, tensor1: Tensor, tensor2: Tensor, value: Any) -> Tensor:
        values, result, _ = _values(kind, self, tensor1, tensor2, value)
        return from_array(backend_copy(values, self), result, self.device, self._backend)

    kernel.__name__ = kind
    kernel.__doc__ = f"``torch.{kind}(input, tensor1, tensor2, *, value=1)`` (see the module docstring)."
    return kernel


def backend_copy(values: Any, like: Tensor) -> Any:
    """A fresh, writable row-major array of ``values`` (a broadcast view is read-only)."""
    return like._backend.xp.array(values, copy=True)


def _inplace(kind: str) -> Any:
    def kernel(self: Tensor, tensor1: Tensor, tensor2: Tensor, value: Any) -> Tensor:
        check_memory(self, tensor1, tensor2)
        values, result, shape = _values(kind, self, tensor1, tensor2, value)
        return write_result(self, values, result, shape)

    kernel.__name__ = kind + "_"
    kernel.__doc__ = f"``Tensor.{kind}_(tensor1, tensor2, *, value=1)``: in place; the broadcast shape must be self's."
    return kernel


register("addcmul", "addcmul(Tensor input, Tensor tensor1, Tensor tensor2, *, Scalar value=1, Tensor out=None)",
         node="AddcmulBackward0")(_functional("addcmul"))
register("addcmul_", "addcmul_(Tensor self, Tensor tensor1, Tensor tensor2, *, Scalar value=1)",
         node="AddcmulBackward0", inplace=True, function=False)(_inplace("addcmul"))
register("addcdiv", "addcdiv(Tensor input, Tensor tensor1, Tensor tensor2, *, Scalar value=1, Tensor out=None)",
         node="AddcdivBackward0")(_functional("addcdiv"))
register("addcdiv_", "addcdiv_(Tensor self, Tensor tensor1, Tensor tensor2, *, Scalar value=1)",
         node="AddcdivBackward0", inplace=True, function=False)(_inplace("addcdiv"))
