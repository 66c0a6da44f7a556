"""``torch.random``: the public face of the CPU generator in :mod:`reftorch._random`.

``torch.Generator.get_state()`` and ``torch.get_rng_state()`` return uint8 tensors, and
``set_state`` takes one; the engine underneath speaks NumPy arrays, so this subclass converts.
"""

from __future__ import annotations

from typing import Any

from . import _random
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
