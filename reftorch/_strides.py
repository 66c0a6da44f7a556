"""Stride arithmetic shared by the view ops (element strides, as torch reports them)."""

from __future__ import annotations


def contiguous_strides(shape: tuple[int, ...]) -> tuple[int, ...]:
    """Row-major strides; size-0/1 dims get the stride the next dim would have, as torch does
    (remembered per shape: every fresh result asks)."""
    strides = _CONTIGUOUS.get(shape)
    if strides is None:
        if len(shape) < 2:
            strides = (1,) if shape else ()
        else:
            acc, reverse = 1, []
            for size in reversed(shape):
                reverse.append(acc)
                acc *= max(size, 1)
            strides = tuple(reversed(reverse))
        if len(_CONTIGUOUS) < 4096:
            _CONTIGUOUS[shape] = strides
    return strides


_CONTIGUOUS: dict[tuple[int, ...], tuple[int, ...]] = {}


def is_contiguous(shape: tuple[int, ...], strides: tuple[int, ...]) -> bool:
    """torch's rule (c10 TensorImpl::compute_contiguous): an empty tensor is contiguous; otherwise,
    skipping size-1 dims, each stride equals the product of the sizes to its right."""
    if 0 in shape:
        return True
    expected = 1
    for size, stride in zip(reversed(shape), reversed(strides)):
        if size != 1:
            if stride != expected:
                return False
            expected *= size
    return True


def numel(shape: tuple[int, ...]) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


def compute_view_strides(
    old_shape: tuple[int, ...], old_strides: tuple[int, ...], new_shape: tuple[int, ...]
) -> tuple[int, ...] | None:
    """Strides for viewing (old_shape, old_strides) as new_shape, or None when impossible.

    A port of ATen's ``computeStride`` (aten/src/ATen/TensorUtils.cpp): old dims are grouped, from
    the last, into chunks that are contiguous with each other; each chunk must be covered exactly
    by a run of new dims.
    """
    if not old_shape:
        return tuple(1 for _ in new_shape)
    total = numel(old_shape)
    if total == 0:
        if old_shape == new_shape:
            return old_strides
        return contiguous_strides(new_shape)
    new_strides = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    chunk_base_stride = old_strides[-1]
    tensor_numel = 1
    view_numel = 1
    for tensor_d in range(len(old_shape) - 1, -1, -1):
        tensor_numel *= old_shape[tensor_d]
        if tensor_d == 0 or (
            old_shape[tensor_d - 1] != 1 and old_strides[tensor_d - 1] != tensor_numel * chunk_base_stride
        ):
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                new_strides[view_d] = view_numel * chunk_base_stride
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if tensor_d > 0:
                chunk_base_stride = old_strides[tensor_d - 1]
                tensor_numel = 1
                view_numel = 1
    if view_d != -1:
        return None
    return tuple(new_strides)


def has_internal_overlap(shape: tuple[int, ...], strides: tuple[int, ...]) -> bool:
    """True when two elements share a memory location (a stride-0 dim of size > 1), which is what
    ATen's ``has_internal_overlap`` reports as MemOverlap::Yes for writes."""
    return any(stride == 0 and size > 1 for size, stride in zip(shape, strides))


def infer_size(shape: tuple[int, ...], total: int) -> tuple[int, ...]:
    """Resolve one ``-1`` in a requested shape (ATen ``infer_size``), with torch's errors."""
    infer_at = None
    known = 1
    for i, size in enumerate(shape):
        if size == -1:
            if infer_at is not None:
                raise RuntimeError("only one dimension can be inferred")
            infer_at = i
        elif size < 0:
            raise RuntimeError(f"invalid shape dimension {size} at index {i} of shape {list(shape)}")
        else:
            known *= size
    if infer_at is not None:
        if known == 0:
            raise RuntimeError(
                f"cannot reshape tensor of 0 elements into shape {list(shape)} because the unspecified "
                "dimension size -1 can be any value and is ambiguous"
            )
        if total % known == 0:
            return shape[:infer_at] + (total // known,) + shape[infer_at + 1:]
    elif known == total:
        return shape
    raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {total}")


def is_non_overlapping_and_dense(shape: tuple[int, ...], strides: tuple[int, ...]) -> bool:
    """c10's ``is_non_overlapping_and_dense`` (contiguous, which includes empty, or densely permuted)."""
    if 0 in shape:
        return True
    if len(shape) == 1:
        return shape[0] < 2 or strides[0] == 1
    order = sorted(range(len(shape)), key=lambda d: (shape[d] < 2, strides[d] if shape[d] >= 2 else 0))
    required = 1
    for d in order:
        if shape[d] < 2:
            return True
        if strides[d] != required:
            return False
        required *= shape[d]
    return True


def infer_dense_strides(shape: tuple[int, ...], strides: tuple[int, ...]) -> tuple[int, ...]:
    """ATen's ``infer_dense_strides``: dense strides keeping the input's dim order (TensorIterator's
    insertion sort; stride-0 dims are ambiguous and do not move)."""
    ndim = len(shape)
    perm = list(range(ndim - 1, -1, -1))

    def should_swap(d0: int, d1: int) -> int:
        s0, s1 = strides[d0], strides[d1]
        if s0 == 0 or s1 == 0:
            return 0
        if s0 != s1:
            return -1 if s0 < s1 else 1
        return 1 if shape[d0] > shape[d1] else 0

    for i in range(1, ndim):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            comparison = should_swap(perm[d0], perm[d1])
            if comparison > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif comparison < 0:
                break
    result = [0] * ndim
    current = 1
    for d in perm:
        result[d] = current
        if shape[d] > 1:
            current *= shape[d]
    return tuple(result)
