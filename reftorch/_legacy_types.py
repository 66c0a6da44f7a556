"""torch's legacy tensor type objects: ``torch.FloatTensor``, ``torch.cuda.LongTensor``...

Each is a class whose metaclass is ``tensortype`` (torch/csrc/tensor/python_tensor.cpp): calling it is the
legacy constructor in its dtype (``torch.FloatTensor(2, 3)``, ``torch.LongTensor([1, 2])``), ``isinstance``
asks whether a tensor has its dtype and device type, and ``Tensor.type(torch.DoubleTensor)`` converts to it.
Tensors themselves are never of these classes (``type(x)`` stays ``Tensor``), as in torch. The CUDA ones exist
but cannot construct: reftorch has no CUDA backend, and torch's CPU build says so with the same TypeError.
"""

from __future__ import annotations

from typing import Any

from . import _dtype as D
from ._layout import strided
from ._tensor import Tensor

# torch's legacy types, in python_tensor.cpp's order of scalar types (no complex ones).
LEGACY_DTYPES = (D.uint8, D.int8, D.float64, D.float32, D.int32, D.int64, D.int16, D.float16, D.bool, D.bfloat16)


class tensortype(type):  # noqa: N801 - torch.tensortype's name
    """``torch.tensortype``: the metaclass of the legacy type objects (``dtype``, ``is_cuda``, ``layout``)."""

    dtype: D.dtype
    is_cuda: bool
    type_string: str  # what Tensor.type() answers for a tensor of this type ("torch.cuda.FloatTensor")

    def __instancecheck__(cls, obj: Any) -> bool:
        return (isinstance(obj, Tensor) and obj.dtype == cls.dtype
                and obj.device.type == ("cuda" if cls.is_cuda else "cpu"))

    def __call__(cls, *args: Any, **kwargs: Any) -> Tensor:
        if cls.is_cuda:
            raise TypeError(f"type {cls.type_string} not available. Torch not compiled with CUDA enabled.")
        from .ops.creation import legacy_construct

        return legacy_construct(Tensor, args, kwargs, cls.dtype)


def make_legacy_type(dtype: D.dtype, cuda: bool) -> tensortype:
    """The legacy type of ``dtype`` (``FloatTensor``), on CUDA (``torch.cuda.FloatTensor``) or the CPU."""
    name = f"{dtype.scalar_name}Tensor"
    module = "reftorch.cuda" if cuda else "reftorch"
    prefix = "torch.cuda." if cuda else "torch."
    return tensortype(name, (), {"__module__": module, "__qualname__": name, "dtype": dtype, "is_cuda": cuda,
                                 "is_sparse": False, "layout": strided, "type_string": prefix + name})


(ByteTensor, CharTensor, DoubleTensor, FloatTensor, IntTensor, LongTensor, ShortTensor, HalfTensor, BoolTensor,
 BFloat16Tensor) = (make_legacy_type(dtype, False) for dtype in LEGACY_DTYPES)

__all__ = ["BFloat16Tensor", "BoolTensor", "ByteTensor", "CharTensor", "DoubleTensor", "FloatTensor", "HalfTensor",
           "IntTensor", "LEGACY_DTYPES", "LongTensor", "ShortTensor", "make_legacy_type", "tensortype"]
