"""In-place random fills: ``Tensor.uniform_`` and ``Tensor.normal_``.

torch fills the tensor's elements in TensorIterator order, which is memory order (dims by
decreasing stride), so a transposed tensor gets the same values at the same addresses as its
contiguous base would. ``normal_`` takes torch's vectorised 16-at-a-time path only for contiguous
tensors of at least 16 elements (aten/src/ATen/native/cpu/DistributionTemplates.h); the draws
themselves are :mod:`reftorch._random`'s bit-exact ports. Under autograd the fill records
``UniformBackward0`` / ``NormalBackward0`` (a zero gradient for the overwritten values).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import _random
from .._device import CPU
from .._tensor import Tensor
from ..autograd.copy_grads import record_zero
from ..autograd.grad_mode import STATE
from ..autograd.views import apply_inplace, check_inplace
from ._inplace import check_writable
from ._util import array_dtype, backend_of, from_array


def _iteration_order(t: Tensor) -> list[int]:
    """TensorIterator's visiting order of ``t``'s dims, outermost first: by decreasing stride."""
    return sorted(range(len(t._shape)), key=lambda d: -t._stride[d])


def _fill(self: Tensor, draw: Callable[..., Any], node_name: str, **arguments: Any) -> Tensor:
    """Draw ``self.numel()`` values in iteration order (``draw`` checks its arguments and then calls
    ``checked``, where the output checks go) and store them; recorded as ``node_name`` under autograd."""
    check_inplace(self)
    order = _iteration_order(self)
    host_dtype = array_dtype(backend_of(CPU), self._dtype)
    values = draw([self._shape[d] for d in order], host_dtype, checked=lambda: check_writable(self), **arguments)
    inverse = sorted(range(len(order)), key=order.__getitem__)
    backend = self._backend
    logical = backend.from_host(values.transpose(inverse))
    if STATE.enabled and self._requires_grad:
        return apply_inplace(self, lambda snap: _filled(snap, logical, node_name))
    self._array[...] = logical
    self._version_counter.bump()
    return self


def _filled(target: Tensor, logical: Any, node_name: str) -> Tensor:
    """Out-of-place twin of a random fill (for autograd): the drawn values, with a zero gradient."""
    out = from_array(target._backend.xp.array(logical, copy=True), target._dtype, target.device, target._backend)
    record_zero(out, target, node_name)
    return out


def uniform_(self: Tensor, *bounds: float, generator: _random.Generator | None = None, **named: float) -> Tensor:
    """``Tensor.uniform_(from=0, to=1, *, generator=None)``: U[from, to) samples from torch's CPU
    stream (``from``/``to`` may be passed by keyword, as in torch)."""
    low, high = _two_arguments("uniform_", ("from", "to"), (0.0, 1.0), bounds, named)
    return _fill(self, _random.uniform, "UniformBackward0", generator=generator, low=low, high=high)


def normal_(self: Tensor, *moments: float, generator: _random.Generator | None = None, **named: float) -> Tensor:
    """``Tensor.normal_(mean=0, std=1, *, generator=None)``: normal samples from torch's CPU stream."""
    mean, std = _two_arguments("normal_", ("mean", "std"), (0.0, 1.0), moments, named)
    return _fill(self, _random.normal, "NormalBackward0", generator=generator, mean=mean, std=std,
                 contiguous=self.is_contiguous())


def _two_arguments(op: str, names: tuple[str, str], defaults: tuple[float, float], positional: tuple,
                   named: dict) -> tuple[float, float]:
    """Bind up to two numbers given by position or keyword (``from`` is a Python keyword, so torch's
    signature can only be matched with ``**named``); torch's TypeError for anything else."""
    unknown = set(named) - set(names)
    if len(positional) > 2 or unknown:
        raise TypeError(f"{op}() received an invalid combination of arguments - got {len(positional)} "
                        f"positional and keywords {sorted(named)}")
    values = list(positional) + [None] * (2 - len(positional))
    for i, name in enumerate(names):
        if name in named:
            if values[i] is not None:
                raise TypeError(f"{op}() got multiple values for argument '{name}'")
            values[i] = named[name]
        if values[i] is None:
            values[i] = defaults[i]
        if isinstance(values[i], Tensor) or not isinstance(values[i], (int, float)):
            raise TypeError(f"{op}(): argument '{name}' must be float, not {type(values[i]).__name__}")
    return values[0], values[1]


METHODS = {"uniform_": uniform_, "normal_": normal_}
