"""In-place random fills: ``Tensor.uniform_`` and ``Tensor.normal_`` (and the integer draw the
``randint`` factory fills its result with).

torch fills the tensor's elements in TensorIterator order, which is memory order (dims by
decreasing stride), so a transposed tensor gets the same values at the same addresses as its
contiguous base would. ``normal_`` takes torch's vectorised 16-at-a-time path only for contiguous
tensors of at least 16 elements (aten/src/ATen/native/cpu/DistributionTemplates.h); the draws
themselves are :mod:`reftorch._random`'s bit-exact ports. Under autograd the fills record
``UniformBackward0`` / ``NormalBackward0`` (a zero gradient for the overwritten values).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import _random
from .._device import CPU
from .._tensor import Tensor
from ._inplace import check_writable, store
from ._util import array_dtype, backend_of
from .registry import register


def _iteration_order(t: Tensor) -> list[int]:
    """TensorIterator's visiting order of ``t``'s dims, outermost first: by decreasing stride."""
    return sorted(range(len(t._shape)), key=lambda d: -t._stride[d])


def _fill(self: Tensor, draw: Callable[..., Any], **arguments: Any) -> Tensor:
    """Draw ``self.numel()`` values in iteration order (``draw`` checks its arguments and then calls
    ``checked``, where the output checks go) and store them."""
    order = _iteration_order(self)
    host_dtype = array_dtype(backend_of(CPU), self._dtype)
    values = draw([self._shape[d] for d in order], host_dtype, checked=lambda: check_writable(self), **arguments)
    inverse = sorted(range(len(order)), key=order.__getitem__)
    return store(self, self._backend.from_host(values.transpose(inverse)))


@register("uniform_", "uniform_(Tensor self, double from=0, double to=1, *, Generator? generator=None)",
          node="UniformBackward0", inplace=True, function=False)
def uniform_(self: Tensor, low: float, high: float, generator: _random.Generator | None) -> Tensor:
    """``Tensor.uniform_(from=0, to=1, *, generator=None)``: U[from, to) samples from torch's CPU
    stream (``from`` can only be given by keyword through ``**``, as in torch)."""
    return _fill(self, _random.uniform, generator=generator, low=low, high=high)


@register("normal_", "normal_(Tensor self, double mean=0, double std=1, *, Generator? generator=None)",
          node="NormalBackward0", inplace=True, function=False)
def normal_(self: Tensor, mean: float, std: float, generator: _random.Generator | None) -> Tensor:
    """``Tensor.normal_(mean=0, std=1, *, generator=None)``: normal samples from torch's CPU stream."""
    return _fill(self, _random.normal, generator=generator, mean=mean, std=std, contiguous=self.is_contiguous())


def draw_integers(self: Tensor, low: int, high: int, generator: _random.Generator | None) -> Tensor:
    """``self.random_(low, high, generator=...)`` on a new contiguous tensor (the ``randint`` factory):
    integers in [low, high) in C order."""
    values = _random.randint(low, high, self._shape, array_dtype(backend_of(CPU), self._dtype), generator)
    return store(self, self._backend.from_host(values))


__all__ = ["draw_integers", "normal_", "uniform_"]
