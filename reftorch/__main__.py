"""``python -m reftorch SCRIPT.py [args]``: run an unmodified torch script on reftorch.

The script runs as ``__main__`` with ``sys.argv`` = ``[SCRIPT.py, *args]`` and its own directory first on
``sys.path``, as ``python SCRIPT.py`` would, after ``reftorch.compat.install()`` made ``import torch`` give reftorch.
"""

from __future__ import annotations

import os
import runpy
import sys

from . import compat

_USAGE = "usage: python -m reftorch SCRIPT.py [args...]  (runs a torch script with `import torch` giving reftorch)"


def main(argv: list[str]) -> None:
    """Run ``argv[0]`` as a torch script on reftorch."""
    if not argv or argv[0] in ("-h", "--help"):
        print(_USAGE, file=sys.stderr if not argv else sys.stdout)
        raise SystemExit(2 if not argv else 0)
    script = argv[0]
    if not os.path.isfile(script):
        print(f"python -m reftorch: can't open file {script!r}: no such file", file=sys.stderr)
        raise SystemExit(2)
    compat.install()
    sys.argv = list(argv)
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main(sys.argv[1:])
