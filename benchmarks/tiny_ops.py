"""Tiny ops, reftorch vs torch side by side in one process: per-call overhead, where a Python
library pays most against torch's C++ dispatcher. Each case runs on both libraries; the table gives
the median time of one call and the ratio reftorch/torch with the case's target. Exits non-zero when
a ratio misses its target. Not a test: timings depend on the machine.

    python benchmarks/tiny_ops.py [--repeat 7] [--number 2000] [--case NAME ...]
"""

from __future__ import annotations

import argparse
import gc
import pathlib
import statistics
import sys
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Case:
    """One workload: ``setup(T)`` builds its inputs with library ``T`` and returns the step to time."""

    name: str
    setup: Callable[[Any], Callable[[], object]]
    target: float  # the ratio reftorch/torch the case should reach


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


def measure(T, case: Case, repeat: int, number: int) -> float:
    """Median over ``repeat`` runs of the mean time of one step, in microseconds."""
    step = case.setup(T)
    step()  # warm-up (first-call caches, lazy imports)
    runs = timeit.repeat(step, repeat=repeat, number=number)
    return statistics.median(runs) / number * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--number", type=int, default=2000)
    parser.add_argument("--case", action="append", choices=[c.name for c in CASES], help="run only these")
    args = parser.parse_args(argv)

    import torch

    # The checkout this script lives in, not whichever reftorch the environment has installed (an
    # editable install points at another worktree; sys.path[0] is benchmarks/ when run as a script).
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
    import reftorch

    torch.set_num_threads(1)
    gc.collect()
    gc.freeze()  # both libraries' import-time objects leave the collector's working set
    print(f"reftorch {reftorch.__version__}, torch {torch.__version__}; median of {args.repeat} x {args.number}")
    print(f"{'case':<30} {'reftorch us':>12} {'torch us':>10} {'ratio':>7} {'target':>7}")
    missed = 0
    for case in CASES:
        if args.case and case.name not in args.case:
            continue
        ours = measure(reftorch, case, args.repeat, args.number)
        theirs = measure(torch, case, args.repeat, args.number)
        ratio = ours / theirs
        missed += ratio > case.target
        mark = "" if ratio <= case.target else "  missed"
        print(f"{case.name:<30} {ours:12.2f} {theirs:10.2f} {ratio:7.2f} {case.target:7.2f}{mark}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
