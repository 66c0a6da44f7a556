"""``torch.cuda`` as torch's CPU-only build answers it: reftorch has no CUDA backend yet.

Mirrors torch/cuda/__init__.py and torch/cuda/random.py on a build without CUDA: ``is_available()`` is False,
``device_count()`` 0, the seeding and cache functions do nothing, and what needs a device raises torch's
``AssertionError("Torch not compiled with CUDA enabled")`` (here naming reftorch). The legacy CUDA type
objects exist (``torch.cuda.FloatTensor``) for ``isinstance`` checks; constructing one raises torch's TypeError.
"""

from __future__ import annotations

from typing import Any, NoReturn

from .._errors import OutOfMemoryError
from .._legacy_types import LEGACY_DTYPES, make_legacy_type

_NOT_COMPILED = "Torch not compiled with CUDA enabled (reftorch has no CUDA backend)"


def is_available() -> bool:
    """``torch.cuda.is_available``: False, reftorch has no CUDA backend."""
    return False


def device_count() -> int:
    """``torch.cuda.device_count``: 0 devices."""
    return 0


def is_initialized() -> bool:
    """``torch.cuda.is_initialized``: never initialised."""
    return False


def _lazy_init() -> NoReturn:
    """torch/cuda/__init__.py's ``_lazy_init`` on a CPU build: the assertion every device query hits."""
    raise AssertionError(_NOT_COMPILED)


def init() -> None:
    """``torch.cuda.init``: raises, there is no CUDA to initialise."""
    _lazy_init()


def synchronize(device: Any = None) -> None:
    """``torch.cuda.synchronize``: raises, there is no device to wait for."""
    _lazy_init()


def current_device() -> int:
    """``torch.cuda.current_device``: raises, there is no device."""
    _lazy_init()


def get_device_name(device: Any = None) -> str:
    """``torch.cuda.get_device_name``: raises, there is no device."""
    _lazy_init()


def get_device_capability(device: Any = None) -> tuple[int, int]:
    """``torch.cuda.get_device_capability``: raises, there is no device."""
    _lazy_init()


def get_device_properties(device: Any = None) -> Any:
    """``torch.cuda.get_device_properties``: raises, there is no device."""
    _lazy_init()


def initial_seed() -> int:
    """``torch.cuda.initial_seed``: raises, there is no CUDA generator."""
    _lazy_init()


def get_rng_state(device: Any = "cuda") -> Any:
    """``torch.cuda.get_rng_state``: raises, there is no CUDA generator."""
    _lazy_init()


def manual_seed(seed: int) -> None:
    """``torch.cuda.manual_seed``: torch queues the call until CUDA initialises, which never happens: nothing."""


def manual_seed_all(seed: int) -> None:
    """``torch.cuda.manual_seed_all``: nothing to seed (see ``manual_seed``)."""


def seed() -> None:
    """``torch.cuda.seed``: nothing to seed (see ``manual_seed``)."""


def seed_all() -> None:
    """``torch.cuda.seed_all``: nothing to seed (see ``manual_seed``)."""


def empty_cache() -> None:
    """``torch.cuda.empty_cache``: no caching allocator was ever initialised; nothing to free."""


def memory_allocated(device: Any = None) -> int:
    """``torch.cuda.memory_allocated``: 0 bytes, as torch reports before CUDA initialises."""
    return 0


def max_memory_allocated(device: Any = None) -> int:
    """``torch.cuda.max_memory_allocated``: 0 bytes."""
    return 0


def memory_reserved(device: Any = None) -> int:
    """``torch.cuda.memory_reserved``: 0 bytes."""
    return 0


def is_bf16_supported(including_emulation: bool = True) -> bool:
    """``torch.cuda.is_bf16_supported``: False without CUDA."""
    return False


# the legacy CUDA types: isinstance checks work, constructing one raises torch's TypeError
(ByteTensor, CharTensor, DoubleTensor, FloatTensor, IntTensor, LongTensor, ShortTensor, HalfTensor, BoolTensor,
 BFloat16Tensor) = (make_legacy_type(dtype, True) for dtype in LEGACY_DTYPES)

__all__ = [
    "OutOfMemoryError", "current_device", "device_count", "empty_cache", "get_device_capability", "get_device_name",
    "get_device_properties", "get_rng_state", "init", "initial_seed", "is_available", "is_bf16_supported",
    "is_initialized", "manual_seed", "manual_seed_all", "max_memory_allocated", "memory_allocated",
    "memory_reserved", "seed", "seed_all", "synchronize",
    "BFloat16Tensor", "BoolTensor", "ByteTensor", "CharTensor", "DoubleTensor", "FloatTensor", "HalfTensor",
    "IntTensor", "LongTensor", "ShortTensor",
]
