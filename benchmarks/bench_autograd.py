"""Tiny forward+backward, reftorch vs torch in one process: ``(a * a).sum().backward()`` on 8
elements. Prints both timings and the ratio; exits non-zero when reftorch takes more than the
target share of torch's time (the goal is at most half). Not a test: timings depend on the machine.

    python benchmarks/bench_autograd.py [--repeat 7] [--number 2000] [--target 0.5]
"""

from __future__ import annotations

import argparse
import gc
import pathlib
import statistics
import sys
import timeit


def _workload(T):
    a = T.ones(8, requires_grad=True)

    def step() -> None:
        (a * a).sum().backward()

    return step


def measure(T, repeat: int, number: int) -> float:
    """Median over ``repeat`` runs of the mean time of one step, in microseconds."""
    step = _workload(T)
    step()  # warm-up (first-call caches, lazy imports)
    runs = timeit.repeat(step, repeat=repeat, number=number)
    return statistics.median(runs) / number * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--number", type=int, default=2000)
    parser.add_argument("--target", type=float, default=0.5, help="required reftorch/torch time ratio")
    args = parser.parse_args(argv)

    import torch

    # The checkout this script lives in, not whichever reftorch the environment has installed (an
    # editable install points at another worktree; sys.path[0] is benchmarks/ when run as a script).
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
    import reftorch

    torch.set_num_threads(1)
    gc.collect()
    gc.freeze()  # both libraries' import-time objects leave the collector's working set
    ours = measure(reftorch, args.repeat, args.number)
    theirs = measure(torch, args.repeat, args.number)
    ratio = ours / theirs
    print(f"(a * a).sum().backward() on 8 elements, median of {args.repeat} x {args.number}")
    print(f"  reftorch {reftorch.__version__:>12}: {ours:8.2f} us")
    print(f"  torch    {torch.__version__:>12}: {theirs:8.2f} us")
    print(f"  ratio reftorch/torch: {ratio:.2f} (target <= {args.target})")
    return 0 if ratio <= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
