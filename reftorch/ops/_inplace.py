"""What every in-place kernel checks and does before and when it writes (no autograd here: the
autograd layer makes its own in-place check first, then runs the kernel).

torch's order, after autograd's check: TensorIterator's memory checks (the written tensor may not
alias itself, nor partly overlap an operand: ``get_overlap_status`` in aten/src/ATen/MemoryOverlap.cpp),
then the output's shape and dtype, then the kernel's own dtype support; only then is anything written.
"""

from __future__ import annotations

from typing import Any

from .. import _dtype as D
from .._promotion import can_cast
from .._strides import has_internal_overlap, is_non_overlapping_and_dense
from .._tensor import Tensor
from ._util import shape_str


def check_writable(out: Tensor) -> None:
    """Writes into memory where elements alias (an expanded tensor) raise torch's error."""
    if has_internal_overlap(out._shape, out._stride):
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a single memory "
            "location. Please clone() the tensor before performing the operation.")


def check_memory(out: Tensor, *operands: Any) -> None:
    """TensorIterator's memory checks of an in-place op: ``out`` may not alias itself, nor partly overlap
    an operand (sharing exactly the same memory, as ``x.add_(x)``, is fine)."""
    check_writable(out)
    for t in operands:
        if isinstance(t, Tensor) and t._storage is out._storage and t is not out and _partial_overlap(out, t):
            raise RuntimeError(
                "unsupported operation: some elements of the input tensor and the written-to tensor refer to a "
                "single memory location. Please clone() the tensor before performing the operation.")


def _partial_overlap(a: Tensor, b: Tensor) -> bool:
    """Two dense tensors on one storage whose element ranges intersect without being the same tensor
    geometry (torch gives up, allowing the op, when either is not dense)."""
    if not (a.numel() and b.numel() and is_non_overlapping_and_dense(a._shape, a._stride)
            and is_non_overlapping_and_dense(b._shape, b._stride)):
        return False
    a_end, b_end = a._offset + a.numel(), b._offset + b.numel()
    if a._offset == b._offset and a_end == b_end:
        return a._stride != b._stride
    return a._offset < b_end and b._offset < a_end


def check_output(out: Tensor, result_dtype: D.dtype, shape: tuple[int, ...]) -> None:
    """An in-place result must have ``out``'s shape and a dtype castable to ``out``'s."""
    if shape != out._shape:
        raise RuntimeError(
            f"output with shape {shape_str(out._shape)} doesn't match the broadcast shape {shape_str(shape)}")
    if not can_cast(result_dtype, out._dtype):
        raise RuntimeError(
            f"result type {result_dtype.scalar_name} can't be cast to the desired output type "
            f"{out._dtype.scalar_name}")


def store(out: Tensor, values: Any) -> Tensor:
    """Write checked values into ``out`` (casting like a C assignment, silently) and bump its version."""
    backend = out._backend
    backend.quietly(backend.xp.copyto, out._array, values, casting="unsafe")
    out._version_counter.bump()
    return out


def write_result(out: Tensor, values: Any, result_dtype: D.dtype, shape: tuple[int, ...]) -> Tensor:
    """Store an op's result into ``out`` once :func:`check_output` passes."""
    check_output(out, result_dtype, shape)
    return store(out, values)


__all__ = ["check_memory", "check_output", "check_writable", "store", "write_result"]
