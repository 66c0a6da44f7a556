"""In-place random fills: ``Tensor.uniform_``, ``normal_``, ``bernoulli_``, ``random_``,
``exponential_``, ``cauchy_``, ``log_normal_``, ``geometric_`` (and the integer draw the ``randint``
factories fill their result with).

torch fills the tensor's elements in TensorIterator order, which is memory order (dims by
decreasing stride), so a transposed tensor gets the same values at the same addresses as its
contiguous base would. ``normal_`` takes torch's vectorised 16-at-a-time path only for contiguous
tensors of at least 16 elements (aten/src/ATen/native/cpu/DistributionTemplates.h); the draws
themselves are :mod:`reftorch._random`'s bit-exact ports. Under autograd the fills record
the fill's node (``UniformBackward0``, ``BernoulliBackward2``, ``RandomBackward0``...: a zero
gradient for the overwritten values).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import _random
from .._device import CPU
from .._random import continuous, discrete
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
    return store(self, self._backend.from_host(values.transpose(_inverse(order))))


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
    """``self.random_(low, high, generator=...)`` on a factory's new tensor (``randint``,
    ``randint_like``, whose result may be permuted like its input): integers in [low, high) in
    iteration order."""
    return _fill(self, lambda shape, dt, checked: _random.randint(low, high, shape, dt, generator))


@register("bernoulli_.Tensor", "bernoulli_(Tensor self, Tensor p, *, Generator? generator=None)",
          node="BernoulliBackward1", inplace=True, function=False)
def bernoulli_tensor_(self: Tensor, p: Tensor, generator: _random.Generator | None) -> Tensor:
    """``Tensor.bernoulli_(p)``: element i is 1 with probability ``p[i]`` (``p`` broadcast to this
    tensor's shape, on any device); a float64 ``p`` compares a double uniform, other floating ``p`` a
    float uniform (aten/src/ATen/native/cpu/DistributionTemplates.h ``bernoulli_kernel``). An
    empty tensor returns before any check (``CHECK_EMPTY_AND_RETURN``)."""
    if not self.numel():
        return _touched(self)
    check_writable(self)
    order = _iteration_order(self)
    host = array_dtype(backend_of(CPU), self._dtype)
    try:
        expanded = p.expand(self._shape)
    except RuntimeError:  # the draw raises torch's expand error, after its dtype checks
        values = _random.bernoulli(p._backend.to_host(p._array), self._shape, host, generator)
        return store(self, self._backend.from_host(values))
    shape = [self._shape[d] for d in order]
    values = _random.bernoulli(expanded._backend.to_host(expanded._array).transpose(order), shape, host, generator)
    return store(self, self._backend.from_host(values.transpose(_inverse(order))))


@register("bernoulli_.float", "bernoulli_(Tensor self, double p=0.5, *, Generator? generator=None)",
          node="BernoulliBackward2", inplace=True, function=False)
def bernoulli_scalar_(self: Tensor, p: float, generator: _random.Generator | None) -> Tensor:
    """``Tensor.bernoulli_(p=0.5)``: each element is 1 with probability ``p`` (checked in [0, 1]
    first), from torch's scalar Bernoulli stream (dropout masks come from here)."""
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")
    if not self.numel():
        return _touched(self)
    check_writable(self)  # (before the dtype check, as bernoulli_impl_ does)
    return _fill(self, lambda shape, dt, checked: _random.bernoulli(p, shape, dt, generator))


# random_'s overloads in the order torch's method parser tries them
@register("random_", "random_(Tensor self, *, Generator? generator=None)", node="RandomBackward2", inplace=True,
          function=False)
def random_(self: Tensor, generator: _random.Generator | None) -> Tensor:
    """``Tensor.random_()``: integers in [0, 2**digits] for floating dtypes (2**mantissa + 1 values),
    the full non-negative range of integer dtypes, 0/1 for bool."""
    return _fill(self, discrete.random, generator=generator)


@register("random_.from", "random_(Tensor self, int64_t from, int64_t? to, *, Generator? generator=None)",
          node="RandomBackward0", inplace=True, function=False)
def random_from_(self: Tensor, low: int, high: int | None, generator: _random.Generator | None) -> Tensor:
    """``Tensor.random_(from, to)``: integers in [from, to); ``to=None`` runs to the dtype's maximum
    (inclusive), and ``from=int64 min, to=None`` draws the full 64-bit range."""
    return _fill(self, lambda shape, dt, checked: discrete.random_from_to(low, high, shape, dt, generator, checked))


@register("random_.to", "random_(Tensor self, int64_t to, *, Generator? generator=None)", node="RandomBackward1",
          inplace=True, function=False)
def random_to_(self: Tensor, high: int, generator: _random.Generator | None) -> Tensor:
    """``Tensor.random_(to)``: ``random_(0, to)``."""
    return _fill(self, lambda shape, dt, checked: discrete.random_to(high, shape, dt, generator, checked))


@register("exponential_", "exponential_(Tensor self, double lambd=1, *, Generator? generator=None)",
          node="ExponentialBackward0", inplace=True, function=False)
def exponential_(self: Tensor, lambd: float, generator: _random.Generator | None) -> Tensor:
    """``Tensor.exponential_(lambd=1)``: ``-1/lambd * log1p(-u)`` per element (floating dtypes)."""
    return _fill(self, continuous.exponential, generator=generator, lambd=lambd)


@register("cauchy_", "cauchy_(Tensor self, double median=0, double sigma=1, *, Generator? generator=None)",
          node="CauchyBackward0", inplace=True, function=False)
def cauchy_(self: Tensor, median: float, sigma: float, generator: _random.Generator | None) -> Tensor:
    """``Tensor.cauchy_(median=0, sigma=1)``: ``median + sigma * tan(pi * (u - 1/2))`` per element."""
    return _fill(self, continuous.cauchy, generator=generator, median=median, sigma=sigma)


@register("log_normal_", "log_normal_(Tensor self, double mean=1, double std=2, *, Generator? generator=None)",
          node="LogNormalBackward0", inplace=True, function=False)
def log_normal_(self: Tensor, mean: float, std: float, generator: _random.Generator | None) -> Tensor:
    """``Tensor.log_normal_(mean=1, std=2)``: ``exp`` of the scalar normal stream's draws."""
    return _fill(self, continuous.log_normal, generator=generator, mean=mean, std=std)


@register("geometric_", "geometric_(Tensor self, double p, *, Generator? generator=None)",
          node="GeometricBackward0", inplace=True, function=False)
def geometric_(self: Tensor, p: float, generator: _random.Generator | None) -> Tensor:
    """``Tensor.geometric_(p)``: ``ceil(log(u) / log1p(-p))`` per element, integer dtypes too."""
    return _fill(self, continuous.geometric, generator=generator, p=p)


def _touched(self: Tensor) -> Tensor:
    """An in-place draw on an empty tensor: nothing to draw or check, but torch's in-place wrapper
    still bumps the version."""
    self._version_counter.bump()
    return self


def _inverse(order: list[int]) -> list[int]:
    return sorted(range(len(order)), key=order.__getitem__)


__all__ = ["bernoulli_scalar_", "bernoulli_tensor_", "cauchy_", "draw_integers", "exponential_", "geometric_",
           "log_normal_", "normal_", "random_", "random_from_", "random_to_", "uniform_"]
