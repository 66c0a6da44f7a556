"""Derivatives of the random draws (torch's derivatives.yaml): the drawn values do not depend on
the inputs, so every input gets a zero gradient (``normal(mean, std)`` included: torch does not
reparametrise); ``bernoulli(input, p)`` has no derivative at all."""

from __future__ import annotations

from . import define, not_implemented
from .helpers import zeros_like

for _node in ("UniformBackward0", "NormalBackward0", "BernoulliBackward0", "BernoulliBackward2", "RandomBackward0",
              "RandomBackward1", "RandomBackward2", "ExponentialBackward0", "CauchyBackward0", "LogNormalBackward0",
              "GeometricBackward0"):
    define(_node, {"self": lambda grad: zeros_like(grad)}, arrays=True)
define("NormalBackward1", {"mean": lambda grad: zeros_like(grad)}, arrays=True)
define("NormalBackward2", {"std": lambda grad: zeros_like(grad)}, arrays=True)
define("NormalBackward3", {"mean": lambda grad: zeros_like(grad), "std": lambda grad: zeros_like(grad)}, arrays=True)
define("BernoulliBackward1", {"self": lambda grad: zeros_like(grad), "p": lambda p: zeros_like(p)}, arrays=True)
not_implemented("bernoulli")
define("PoissonBackward0", {"self": lambda self: zeros_like(self)}, arrays=True)
