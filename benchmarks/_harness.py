"""The benchmarks' shared runner: each case runs on reftorch and torch side by side in one process;
the table gives the median time of one step and the median ratio reftorch/torch of runs taken in
turns, against the case's target.
Both libraries run at one thread count (``--threads``, default 1): torch's intra-op pool by
``torch.set_num_threads``, NumPy's BLAS (and any other native pool) by threadpoolctl's
``threadpool_limits``; the count is printed with the table. ``--clock cpu`` (the default) times the
process's CPU time, which other jobs on a shared machine disturb less than the wall clock
(``--clock wall``). Exits non-zero when a ratio misses its target. Not a test: timings depend on the
machine."""

from __future__ import annotations

import argparse
import gc
import pathlib
import statistics
import sys
import time
import timeit
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Case:
    """One workload: ``setup(T)`` builds its inputs with library ``T`` and returns the step to time."""

    name: str
    setup: Callable[[Any], Callable[[], object]]
    target: float  # the ratio reftorch/torch the case should reach


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


def measure(libraries: Sequence[Any], case: Case, repeat: int, number: int, clock: str = "cpu") -> list[list[float]]:
    """The time of one step (mean over ``number`` steps), in microseconds, ``repeat`` times per
    library; the libraries take turns run by run, so a machine that slows down for a while (other
    jobs) slows both alike."""
    steps = [case.setup(T) for T in libraries]
    for step in steps:
        step()  # warm-up (first-call caches, lazy imports)
    timer = CLOCKS[clock]
    runs: list[list[float]] = [[] for _ in steps]
    for _ in range(repeat):
        for step, times in zip(steps, runs):
            times.append(timeit.timeit(step, number=number, timer=timer) / number * 1e6)
    return runs


def run(cases: Sequence[Case], description: str, argv: list[str] | None = None, *, repeat: int = 7,
        number: int = 2000) -> int:
    """Parse ``--repeat/--number/--case``, time every case on both libraries, print the table."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--number", type=int, default=number)
    parser.add_argument("--case", action="append", choices=[c.name for c in cases], help="run only these")
    parser.add_argument("--threads", type=int, default=1, help="torch's and NumPy's BLAS thread count")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu", help="process CPU time or wall time")
    args = parser.parse_args(argv)

    import torch
    from threadpoolctl import threadpool_info, threadpool_limits

    # The checkout this script lives in, not whichever reftorch the environment has installed (an
    # editable install points at another worktree; sys.path[0] is benchmarks/ when run as a script).
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
    import reftorch

    torch.set_num_threads(args.threads)
    threadpool_limits(limits=args.threads)  # NumPy's BLAS; kept for the whole process
    blas = ", ".join(f"{p['internal_api']} {p['num_threads']}" for p in threadpool_info())
    gc.collect()
    gc.freeze()  # both libraries' import-time objects leave the collector's working set
    print(f"reftorch {reftorch.__version__}, torch {torch.__version__}; median of {args.repeat} x {args.number} "
          f"({args.clock} time); threads: torch {torch.get_num_threads()}, {blas}")
    width = max(30, *(len(c.name) for c in cases))
    print(f"{'case':<{width}} {'reftorch us':>12} {'torch us':>10} {'ratio':>7} {'target':>7}")
    missed = 0
    for case in cases:
        if args.case and case.name not in args.case:
            continue
        ours, theirs = measure((reftorch, torch), case, args.repeat, args.number, args.clock)
        ratio = statistics.median(a / b for a, b in zip(ours, theirs))  # of the runs side by side
        ours, theirs = statistics.median(ours), statistics.median(theirs)
        missed += ratio > case.target
        mark = "" if ratio <= case.target else "  missed"
        print(f"{case.name:<{width}} {ours:12.2f} {theirs:10.2f} {ratio:7.2f} {case.target:7.2f}{mark}")
    return 1 if missed else 0
