"""The NumPy backend: serves the ``cpu`` device."""

from __future__ import annotations

from typing import Any

import numpy as np

from .base import Backend


class NumpyBackend(Backend):
    """Host arrays. ``strided_view`` builds an ndarray directly on the storage buffer, so every
    tensor view is a NumPy view of the one flat storage array."""

    name = "numpy"
    device_type = "cpu"
    xp = np

    def to_host(self, array: Any) -> np.ndarray:
        return array

    def from_host(self, host_array: np.ndarray) -> np.ndarray:
        return host_array

    def data_ptr(self, array: np.ndarray) -> int:
        return array.__array_interface__["data"][0]

    def strided_view(self, flat, offset, shape, strides):
        if 0 in shape:  # no element is addressed; NumPy would still bounds-check the offset
            return flat[:0].reshape(shape)
        itemsize = flat.itemsize
        return np.ndarray(shape, flat.dtype, flat, offset * itemsize, tuple(s * itemsize for s in strides))
