"""Tiny ops, reftorch vs torch side by side in one process: per-call overhead, where a Python
library pays most against torch's C++ dispatcher (the runner: benchmarks/_harness.py).

    python benchmarks/tiny_ops.py [--repeat 7] [--number 2000] [--case NAME ...]
"""

from __future__ import annotations

import sys

from _harness import Case, run


def _add(T):
    a, b = T.ones(8), T.ones(8)
    return lambda: a + b


def _method_with_keywords(T):
    a = T.ones(2, 4)
    return lambda: a.sum(dim=1, keepdim=True)


def _view(T):
    a = T.ones(2, 4)
    return lambda: a.view(4, 2)


def _forward_backward(T):
    a = T.ones(8, requires_grad=True)

    def step() -> None:
        (a * a).sum().backward()

    return step


CASES = (
    Case("a + b (8 elements)", _add, 1.0),
    Case("a.sum(dim=1, keepdim=True)", _method_with_keywords, 1.0),
    Case("a.view(4, 2)", _view, 1.0),
    Case("(a * a).sum().backward()", _forward_backward, 0.5),
)


if __name__ == "__main__":
    sys.exit(run(CASES, __doc__.splitlines()[0]))
