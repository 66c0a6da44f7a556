"""Peak memory of 100 MLP training steps (benchmarks/mlp_step.py), reftorch vs torch, each library in
a process of its own: the growth of the peak resident set (Linux's VmHWM) over the resident set after
the imports and the model build (and ``--warmup`` steps: the first step of either library also pages
in code and one-time caches). Python's tracemalloc does not see torch's allocator and NumPy's
buffers alike, so the operating system's count is the common measure. Target: at most 1.5x torch's.

    python benchmarks/memory.py [--steps 100] [--warmup 0] [--threads 1]
"""

from __future__ import annotations

import argparse
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent
TARGET = 1.5


def _status_kib(field: str) -> int:
    """A ``kB`` field of /proc/self/status (``VmRSS``, ``VmHWM``)."""
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


def child(library: str, steps: int, warmup: int, threads: int) -> None:
    """In the child process: build the MLP step with ``library``, run ``warmup`` steps, reset the peak
    to the current resident set (``/proc/self/clear_refs``), run ``steps`` steps and print the peak's
    growth in KiB."""
    import importlib

    import torch
    from threadpoolctl import threadpool_limits

    sys.path.insert(0, str(ROOT.parent))  # this checkout's reftorch
    T = importlib.import_module(library)
    torch.set_num_threads(threads)
    threadpool_limits(limits=threads)
    from mlp_step import mlp_step

    step = mlp_step(T)
    for _ in range(warmup):
        step()
    pathlib.Path("/proc/self/clear_refs").write_text("5")  # the peak restarts from the current RSS
    baseline = _status_kib("VmRSS")
    for _ in range(steps):
        step()
    print(_status_kib("VmHWM") - baseline)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=0, help="steps run before the baseline")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--child", choices=("reftorch", "torch"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.steps, args.warmup, args.threads)
        return 0
    growth = {}
    for library in ("reftorch", "torch"):
        command = [sys.executable, __file__, "--child", library, "--steps", str(args.steps), "--warmup",
                   str(args.warmup), "--threads", str(args.threads)]
        out = subprocess.run(command, check=True, capture_output=True, text=True)
        growth[library] = int(out.stdout.split()[-1])
    ratio = growth["reftorch"] / max(growth["torch"], 1)
    mark = "" if ratio <= TARGET else "  missed"
    print(f"peak RSS growth over {args.steps} MLP steps after {args.warmup} warm-up (threads {args.threads}, a "
          f"process each): reftorch {growth['reftorch']} KiB, torch {growth['torch']} KiB, ratio {ratio:.2f}, "
          f"target {TARGET:.2f}{mark}")
    return 1 if ratio > TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
