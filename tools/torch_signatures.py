"""Print what the installed torch says about an op's Python signatures (a development aid for writing
registry records; reftorch never imports torch).

For each name: the ATen schemas (``torch._C._jit_get_schemas_for_operator``) and the signatures
torch's argument parser lists when no signature matches (functions and methods), as torch renders
them in its "received an invalid combination of arguments" message.

    python tools/torch_signatures.py add sum select
"""

from __future__ import annotations

import sys

import torch


def listing(fn, *lead) -> str:
    """The options torch lists for ``fn`` (or the single-signature error when it has one signature)."""
    try:
        fn(*lead, *([object()] * 40))
    except TypeError as exc:
        return str(exc)
    return "(accepted 40 objects?)"


def main(names: list[str]) -> None:
    x = torch.ones(2)
    for name in names:
        print(f"=== {name}")
        for schema in torch._C._jit_get_schemas_for_operator(f"aten::{name}"):
            print("  schema:", schema)
        if hasattr(torch, name):
            print("  function:", listing(getattr(torch, name)).replace("\n", "\n    "))
        if hasattr(torch.Tensor, name):
            print("  method:", listing(getattr(x, name)).replace("\n", "\n    "))


if __name__ == "__main__":
    main(sys.argv[1:])
