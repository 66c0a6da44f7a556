"""``torch.return_types``: the named tuples (structseqs) returned by ops with several results,
e.g. ``torch.return_types.max(values=..., indices=...)``. Classes are made on first use by
:func:`return_type` and live in this module, so they pickle by name."""

from __future__ import annotations

import operator
from typing import Any


class _StructSeq(tuple):
    """A ``torch.return_types`` structseq: a tuple with named fields, built from one sequence."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    n_unnamed_fields = 0

    def __new__(cls, sequence: Any, dict: Any = None) -> _StructSeq:  # noqa: A002 - structseq's name
        items = tuple(sequence)
        if len(items) != len(cls._fields):
            raise TypeError(f"torch.return_types.{cls.__name__}() takes a {len(cls._fields)}-sequence "
                            f"({len(items)}-sequence given)")
        return super().__new__(cls, items)

    def __repr__(self) -> str:
        body = ",\n".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
        return f"torch.return_types.{type(self).__name__}(\n{body})"

    def __reduce__(self):
        return (type(self), (tuple(self),))


def return_type(name: str, fields: tuple[str, ...] = ("values", "indices")) -> type:
    """The named-tuple class ``reftorch.return_types.<name>`` (created once, then reused)."""
    existing = globals().get(name)
    if existing is not None:
        return existing
    namespace: dict[str, Any] = {
        "__slots__": (), "_fields": fields, "n_fields": len(fields), "n_sequence_fields": len(fields),
        "__module__": "reftorch.return_types", "__qualname__": name,
        "__doc__": f"``torch.return_types.{name}``: a tuple ({', '.join(fields)}).",
    }
    for index, field in enumerate(fields):
        namespace[field] = property(operator.itemgetter(index), doc=f"Field {index} ({field}).")
    cls = type(name, (_StructSeq,), namespace)
    globals()[name] = cls
    return cls
