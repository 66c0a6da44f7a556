"""Shared pieces of the random-stream tests: NumPy dtypes paired with torch's, bit-for-bit
comparisons of a stream's values and errors with the oracle's, and the choice of kernel path."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest
import torch

from reftorch import _random as R

# reftorch._random runs its Box-Muller kernels compiled with numba when it can, in NumPy otherwise
# (or with REFTORCH_NO_NUMBA=1): tests of the normal streams run on both.
PATHS = ("compiled", "numpy")


@contextmanager
def kernel_path(path: str) -> Iterator[None]:
    """Draw on the numba-compiled kernels (skipping where numba is missing) or on the NumPy ones."""
    with pytest.MonkeyPatch.context() as patch:
        if path == "numpy":
            patch.setenv("REFTORCH_NO_NUMBA", "1")
            assert R.compiled_kernels() is None
        else:
            patch.delenv("REFTORCH_NO_NUMBA", raising=False)
            if R.compiled_kernels() is None:
                pytest.skip("numba is not installed")
        yield

TORCH_DTYPES = {
    np.dtype(np.bool_): torch.bool, np.dtype(np.uint8): torch.uint8, np.dtype(np.int8): torch.int8,
    np.dtype(np.int16): torch.int16, np.dtype(np.int32): torch.int32, np.dtype(np.int64): torch.int64,
    np.dtype(np.uint16): torch.uint16, np.dtype(np.uint32): torch.uint32, np.dtype(np.uint64): torch.uint64,
    np.dtype(np.float16): torch.float16, np.dtype(np.float32): torch.float32,
    np.dtype(np.float64): torch.float64, np.dtype(np.complex64): torch.complex64,
    np.dtype(np.complex128): torch.complex128,
}


def assert_same_bits(ours: np.ndarray, theirs: torch.Tensor | np.ndarray) -> None:
    """Same dtype, shape and bytes (``ours`` in C order)."""
    theirs_np = theirs.numpy() if isinstance(theirs, torch.Tensor) else theirs
    assert ours.dtype == theirs_np.dtype
    assert ours.shape == theirs_np.shape
    assert ours.flags.c_contiguous
    assert ours.tobytes() == np.ascontiguousarray(theirs_np).tobytes(), (ours, theirs_np)


def assert_same_error(torch_call, our_call) -> None:
    """Both raise: the oracle's exception class and exactly its message."""
    with pytest.raises(Exception) as expected:  # noqa: PT011 - the oracle decides the type
        torch_call()
    with pytest.raises(type(expected.value)) as got:
        our_call()
    assert str(got.value) == str(expected.value)
