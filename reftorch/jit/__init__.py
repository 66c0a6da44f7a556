"""``torch.jit``: reftorch has no TorchScript compiler; it runs Python eagerly.

Nothing here pretends to compile. ``is_scripting()``/``is_tracing()`` answer honestly (never), so the code paths
libraries guard with them take the eager branch. ``ScriptModule`` exists only so that ``isinstance(m,
torch.jit.ScriptModule)`` (torchinfo's check) answers False, which is true of every reftorch module; creating
one, scripting, tracing, saving or loading raises RuntimeError naming what reftorch lacks.
"""

from __future__ import annotations

from typing import Any, NoReturn

from .._unsupported import unsupported

_REASON = "reftorch has no TorchScript compiler (no scripting, tracing or serialized script modules)"


def is_scripting() -> bool:
    """``torch.jit.is_scripting``: False, reftorch code never runs under the script compiler."""
    return False


def is_tracing() -> bool:
    """``torch.jit.is_tracing``: False, reftorch never traces."""
    return False


class ScriptModule:
    """``torch.jit.ScriptModule``: never instantiated in reftorch (no TorchScript); constructing one raises."""

    _reftorch_unsupported = _REASON

    def __new__(cls, *args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError(f"torch.jit.ScriptModule is not supported by reftorch: {_REASON}")


script = unsupported(__name__, "script", _REASON)
trace = unsupported(__name__, "trace", _REASON)
load = unsupported(__name__, "load", _REASON)
save = unsupported(__name__, "save", _REASON)

__all__ = ["ScriptModule", "is_scripting", "is_tracing", "load", "save", "script", "trace"]
