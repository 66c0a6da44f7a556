"""Names of torch subsystems reftorch does not implement: importable, raising a clear error when used.

Scripts import ``torch.onnx``, ``torch.distributed`` or ``torch.utils.tensorboard`` unconditionally and use
them only on some paths; such a script should fail only where it really uses one. Each name made here raises
RuntimeError naming itself and what reftorch lacks, and carries ``_reftorch_unsupported`` (the reason), which
the conformance inventory counts as deliberately absent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn


def unsupported(module: str, name: str, reason: str) -> Callable[..., NoReturn]:
    """A function ``module.name`` that raises RuntimeError("torch.<...>.name is not supported by reftorch: ...")."""
    qualified = "torch" + module[len("reftorch"):] + "." + name

    def raiser(*args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError(f"{qualified} is not supported by reftorch: {reason}")

    raiser.__name__ = raiser.__qualname__ = name
    raiser.__module__ = module
    raiser.__doc__ = f"``{qualified}``: not supported by reftorch ({reason}); raises RuntimeError."
    raiser._reftorch_unsupported = reason  # type: ignore[attr-defined]
    return raiser


__all__ = ["unsupported"]
