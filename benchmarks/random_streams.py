"""Random streams at scale, reftorch vs torch side by side in one process: 1,000,000 float32 draws
of each distribution (and float64 normals) from torch's CPU generator (bit-exact in reftorch), target at
most 2x torch's time (the runner: benchmarks/_harness.py). reftorch's normal kernels are compiled with
numba when it is installed; REFTORCH_NO_NUMBA=1 times the NumPy kernels.

    python benchmarks/random_streams.py [--repeat 5] [--number 5] [--case NAME ...]
"""

from __future__ import annotations

import sys

from _harness import Case, run

N = 1_000_000


def _filled(method: str, *arguments: float, dtype: str = "float32"):
    def setup(T):
        t = T.empty(N, dtype=getattr(T, dtype))
        return lambda: getattr(t, method)(*arguments)

    return setup


CASES = (
    Case("uniform_ (rand), 1e6 float32", _filled("uniform_"), 2.0),
    Case("normal_ (randn), 1e6 float32", _filled("normal_"), 2.0),
    Case("bernoulli_(0.5), 1e6 float32", _filled("bernoulli_", 0.5), 2.0),
    Case("normal_ (randn), 1e6 float64", _filled("normal_", dtype="float64"), 2.0),
    Case("exponential_, 1e6 float32", _filled("exponential_"), 2.0),
    Case("cauchy_, 1e6 float32", _filled("cauchy_"), 2.0),
    Case("log_normal_, 1e6 float32", _filled("log_normal_"), 2.0),
    Case("geometric_(0.3), 1e6 float32", _filled("geometric_", 0.3), 2.0),
)


if __name__ == "__main__":
    sys.exit(run(CASES, __doc__.splitlines()[0], repeat=5, number=5))
