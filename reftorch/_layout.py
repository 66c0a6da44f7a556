"""``torch.layout`` and ``torch.memory_format``: the singleton values torch passes for ``layout=`` and
``memory_format=`` arguments.

Mirrors torch/csrc/Layout.cpp and torch/csrc/MemoryFormat.cpp: each value is a singleton of a type
named like torch's (``layout``, ``memory_format``) whose repr is the public torch name
(``torch.strided``, ``torch.contiguous_format``). reftorch stores every tensor strided; the other
layouts exist so that arguments naming them can be parsed and refused by the ops, as torch's dense
kernels refuse them.
"""

from __future__ import annotations


class _Singleton:
    """One of torch's named argument values: its repr is its public name, and it pickles by that
    name (as a global of this module, torch's ``__reduce__`` returning the name), so unpickling
    gives back the singleton itself."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    __str__ = __repr__

    def __reduce__(self) -> str:
        return self.name


class layout(_Singleton):  # noqa: N801 - torch's spelling
    """A tensor layout (``torch.strided``, ``torch.sparse_coo``, ...)."""

    __slots__ = ()


class memory_format(_Singleton):  # noqa: N801 - torch's spelling
    """A memory format (``torch.contiguous_format``, ``torch.channels_last``, ...)."""

    __slots__ = ()


strided = layout("strided")
sparse_coo = layout("sparse_coo")
sparse_csr = layout("sparse_csr")
sparse_csc = layout("sparse_csc")
sparse_bsr = layout("sparse_bsr")
sparse_bsc = layout("sparse_bsc")
jagged = layout("jagged")

contiguous_format = memory_format("contiguous_format")
preserve_format = memory_format("preserve_format")
channels_last = memory_format("channels_last")
channels_last_3d = memory_format("channels_last_3d")

LAYOUTS: dict[str, layout] = {
    v.name: v for v in (strided, sparse_coo, sparse_csr, sparse_csc, sparse_bsr, sparse_bsc, jagged)}
