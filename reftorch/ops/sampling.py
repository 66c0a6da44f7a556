"""Random sampling functions that return a new tensor: ``torch.bernoulli``, ``torch.normal``'s
overloads, ``torch.poisson`` and ``torch.multinomial``.

Each is written as ATen writes it (aten/src/ATen/native/Distributions.cpp and
native/DistributionTemplates.h): a new contiguous result, filled by an in-place draw of
:mod:`.random_fill`, then (for ``normal``) scaled and shifted by in-place arithmetic in the
result's dtype, so the values, the dtype rules and the number of draws are torch's.
"""

from __future__ import annotations

from .. import _dtype as D
from .. import _random
from .._layout import contiguous_format
from .._random import continuous, discrete
from .._tensor import Tensor
from ._util import broadcast_shapes, empty_like, empty_tensor, result_tensor
from .creation import random_factory
from .random_fill import bernoulli_scalar_, bernoulli_tensor_, normal_
from .registry import register


def _new_like(self: Tensor) -> Tensor:
    """``at::empty_like(self, MemoryFormat::Contiguous)``."""
    return empty_like(self, contiguous_format, self._dtype, self.device)


# ----------------------------------------------------------------------------- bernoulli
@register("bernoulli", "bernoulli(Tensor input, *, Generator? generator=None, Tensor out=None)",
          node="BernoulliBackward0")
def bernoulli(self: Tensor, generator: _random.Generator | None) -> Tensor:
    """``torch.bernoulli(input)``: 0/1 draws with the probabilities ``input`` holds, in ``input``'s
    dtype (``empty_like(input).bernoulli_(input)``)."""
    return bernoulli_tensor_(_new_like(self), self, generator)


@register("bernoulli.p", "bernoulli(Tensor input, double p, *, Generator? generator=None)",
          node="NotImplemented:bernoulli")
def bernoulli_p(self: Tensor, p: float, generator: _random.Generator | None) -> Tensor:
    """``torch.bernoulli(input, p)``: 0/1 draws with probability ``p``, shaped and typed like
    ``input`` (``empty_like(input).bernoulli_(p)``); torch has no derivative for it."""
    return bernoulli_scalar_(_new_like(self), p, generator)


@register("poisson", "poisson(Tensor input, Generator? generator=None)", node="PoissonBackward0")
def poisson(self: Tensor, generator: _random.Generator | None) -> Tensor:
    """``torch.poisson(rates)``: one Poisson count per rate, in the rates' floating dtype, drawn in
    the rates' logical (C) order into a new contiguous tensor (``_s_poisson_cpu``)."""
    rates = self._backend.to_host(self._array)
    return result_tensor(self._backend.from_host(discrete.poisson(rates, generator)), self._dtype, self)


@register("multinomial", "multinomial(Tensor input, int64_t num_samples, bool replacement=False, *, "
          "Generator? generator=None, Tensor out=None)")
def multinomial(self: Tensor, num_samples: int, replacement: bool, generator: _random.Generator | None) -> Tensor:
    """``torch.multinomial(input, num_samples, replacement=False)``: int64 category indices per row of
    the (unnormalised) probabilities; without replacement (or for one sample) torch's exponential-race
    top-k, with replacement a binary search of the cumulative distribution per sample."""
    probs = self._backend.to_host(self._array)
    picks = continuous.multinomial(probs, num_samples, replacement, generator)
    return result_tensor(self._backend.from_host(picks), D.int64, self)


# ----------------------------------------------------------------------------- normal
def _check_std(std: Tensor) -> None:
    """CHECK_NORMAL_TENSOR_STD: a real ``std`` whose elements are all >= 0."""
    if std._dtype.is_complex:
        raise RuntimeError("normal expects standard deviation to be non-complex")
    if std.numel() and not bool(std.min().ge(0)):
        raise RuntimeError("normal expects all elements of std >= 0.0")


def _check_std_value(std: float) -> None:
    """CHECK_NORMAL_STD."""
    if not std >= 0.0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")


def _standard(shape: tuple[int, ...], like: Tensor, std: float,
              generator: _random.Generator | None) -> Tensor:
    """A new contiguous tensor of ``shape`` in ``like``'s dtype and device, filled by ``normal_(0, std)``."""
    return normal_(empty_tensor(shape, like._dtype, like.device), 0.0, std, generator)


@register("normal.Tensor_Tensor", "normal(Tensor mean, Tensor std, *, Generator? generator=None, "
          "Tensor out=None)", node="NormalBackward3", method=False)
def normal_tensor_tensor(mean: Tensor, std: Tensor, generator: _random.Generator | None) -> Tensor:
    """``torch.normal(mean: Tensor, std: Tensor)``: standard draws of the broadcast shape in
    ``mean``'s dtype, then ``mul_(std).add_(mean)``."""
    _check_std(std)
    shape = broadcast_shapes(mean._shape, std._shape)
    return _standard(shape, mean, 1.0, generator).mul_(std).add_(mean)


@register("normal.Tensor_float", "normal(Tensor mean, double std=1, *, Generator? generator=None, "
          "Tensor out=None)", node="NormalBackward1", method=False)
def normal_tensor_float(mean: Tensor, std: float, generator: _random.Generator | None) -> Tensor:
    """``torch.normal(mean: Tensor, std=1.0)``: ``normal_(0, std)`` draws in ``mean``'s dtype, then
    ``add_(mean)``."""
    _check_std_value(std)
    return _standard(mean._shape, mean, std, generator).add_(mean)


@register("normal.float_Tensor", "normal(double mean, Tensor std, *, Generator? generator=None, "
          "Tensor out=None)", node="NormalBackward2", method=False)
def normal_float_tensor(mean: float, std: Tensor, generator: _random.Generator | None) -> Tensor:
    """``torch.normal(mean: float, std: Tensor)``: standard draws in ``std``'s dtype, then
    ``mul_(std).add_(mean)`` with ``mean`` first rounded to that dtype (a 0-dim ``full``)."""
    _check_std(std)
    out = _standard(std._shape, std, 1.0, generator)
    return out.mul_(std).add_(result_tensor(mean, out._dtype, out, ()))


# ``torch.normal(mean, std, size)``: ``empty(size).normal_(mean, std)``, the default dtype unless given.
register("normal.float_float", "normal(double mean, double std, SymIntArrayRef size, *, Generator? generator=None, "
         "Tensor out=None, ScalarType? dtype=None, Layout? layout=None, Device? device=None, "
         "bool? pin_memory=False, bool? requires_grad=False)", method=False)(
    lambda mean, std, size, generator, *options: random_factory(lambda t, g: normal_(t, mean, std, g), size,
                                                                generator, *options))


__all__ = ["bernoulli", "bernoulli_p", "multinomial", "normal_float_tensor", "normal_tensor_float",
           "normal_tensor_tensor", "poisson"]
