"""``torch.utils.hooks.RemovableHandle``: what registering a hook returns.

Mirrors torch/utils/hooks.py: each handle has a process-wide increasing ``id``, the key of its hook
in the owner's ordered dict of hooks (held weakly, so a handle does not keep its owner alive);
``remove()`` drops the hook (a second call does nothing); as a context manager it removes the hook
on exit.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from typing import Any


class RemovableHandle:
    """A handle that removes one hook from ``hooks_dict`` (and from each of ``extra_dict``)."""

    id: int
    next_id: int = 0

    def __init__(self, hooks_dict: OrderedDict, *, extra_dict: Any = None) -> None:
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = RemovableHandle.next_id
        RemovableHandle.next_id += 1
        extras = () if extra_dict is None else extra_dict if isinstance(extra_dict, list) else [extra_dict]
        self.extra_dict_ref = tuple(weakref.ref(d) for d in extras)

    def remove(self) -> None:
        for ref in (self.hooks_dict_ref, *self.extra_dict_ref):
            hooks = ref()
            if hooks is not None and self.id in hooks:
                del hooks[self.id]

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


__all__ = ["RemovableHandle"]
