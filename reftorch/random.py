"""``torch.random``: the public face of the CPU generator in :mod:`reftorch._random`.

``torch.Generator.get_state()`` and ``torch.get_rng_state()`` return uint8 tensors, and
``set_state`` takes one; the engine underneath speaks NumPy arrays, so this subclass converts.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

from . import _random
from ._device import device
from ._tensor import Tensor
from .ops.creation import from_numpy


class Generator(_random.Generator):
    """``torch.Generator`` (CPU): MT19937 seeded like torch, states as 5056-byte uint8 tensors."""

    def get_state(self) -> Tensor:
        return from_numpy(super().get_state())

    def set_state(self, new_state: Any) -> Generator:
        if isinstance(new_state, Tensor):
            if str(new_state.dtype) != "torch.uint8":
                raise TypeError("expected a torch.ByteTensor, but got " + new_state.type())
            new_state = new_state.numpy()
        return super().set_state(new_state)


default_generator = Generator()
_random.install_default_generator(default_generator)


def manual_seed(seed: int) -> Generator:
    """``torch.manual_seed``: seeds the default CPU generator and returns it."""
    return _random.manual_seed(seed)


def seed() -> int:
    return _random.seed()


def initial_seed() -> int:
    return _random.initial_seed()


def get_rng_state() -> Tensor:
    """The default generator's state as a uint8 tensor."""
    return default_generator.get_state()


def set_rng_state(new_state: Tensor) -> None:
    """Restores the default generator from ``get_rng_state()``."""
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices: Iterable[int] | None = None, enabled: bool = True, _caller: str = "fork_rng",
             _devices_kw: str = "devices", device_type: str | None = None) -> Iterator[None]:
    """``torch.random.fork_rng``: the block runs on the generators as they are, and on leaving
    (normally or by an exception) the CPU generator's state is put back; ``enabled=False`` forks
    nothing. torch/random.py also forks every device generator of ``device_type`` (default: the
    current accelerator, else ``"cuda"``): reftorch has no device generators yet (no CUDA backend), so
    the device count is 0, ``devices=[0]`` fails as on a CPU-only torch, ``"meta"`` forks nothing,
    and a type that is not a device type raises torch's device-string error."""
    if device_type == "meta":
        yield
        return
    device_type = device_type or "cuda"
    device(device_type)  # an unknown type raises torch's device-string error
    if not enabled:
        yield
        return
    if device_type == "cpu":  # torch.cpu counts one device but has no get_rng_state
        raise AttributeError("module 'torch.cpu' has no attribute 'get_rng_state'")
    if devices is not None and list(devices):
        raise AssertionError("Torch not compiled with CUDA enabled")
    cpu_rng_state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(cpu_rng_state)
