"""``torch.distributed``: reftorch has no process groups or collective communication.

``is_available()`` is False (a build without distributed support; the CPU torch build has gloo and says True)
and ``is_initialized()`` False, so scripts that check first take their single-process path. Starting a group
or calling a collective raises RuntimeError naming what reftorch lacks (``reftorch/_unsupported.py``).
"""

from __future__ import annotations

from .._unsupported import unsupported

_REASON = "reftorch has no process groups or collective communication (torch.distributed)"


def is_available() -> bool:
    """``torch.distributed.is_available``: False, reftorch has no distributed package."""
    return False


def is_initialized() -> bool:
    """``torch.distributed.is_initialized``: False, no process group is ever initialised."""
    return False


_RAISING = (
    "all_gather", "all_gather_object", "all_reduce", "all_to_all", "barrier", "broadcast",
    "broadcast_object_list", "destroy_process_group", "gather", "get_backend", "get_rank", "get_world_size",
    "init_process_group", "irecv", "isend", "new_group", "recv", "reduce", "reduce_scatter", "scatter", "send",
)
globals().update({name: unsupported(__name__, name, _REASON) for name in _RAISING})

__all__ = ["is_available", "is_initialized", *_RAISING]
