"""``torch.Size``: a tuple subclass of ints printed as ``torch.Size([2, 3])``."""

from __future__ import annotations

import operator


class Size(tuple):
    """Mirrors ``torch.Size``: an immutable tuple of non-negative ints with ``numel()``.

    Slicing and concatenation keep the Size type, as in torch.
    """

    __slots__ = ()

    def __new__(cls, sizes=()):
        try:
            values = tuple(operator.index(s) for s in sizes)
        except TypeError:
            bad = next(s for s in sizes if not hasattr(s, "__index__"))
            raise TypeError(
                f"torch.Size() takes an iterable of 'int' (item 0 is '{type(bad).__name__}')"
            ) from None
        return super().__new__(cls, values)

    def numel(self) -> int:
        """Product of the sizes (1 for ``Size([])``)."""
        n = 1
        for s in self:
            n *= s
        return n

    def __repr__(self) -> str:
        return f"torch.Size([{', '.join(str(s) for s in self)}])"

    __str__ = __repr__

    def __getitem__(self, key):
        item = tuple.__getitem__(self, key)
        return Size(item) if isinstance(key, slice) else item

    def __add__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(self) + tuple(other))

    def __radd__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(other) + tuple(self))

    def __mul__(self, times):
        return Size(tuple(self) * times)

    __rmul__ = __mul__

    def __reduce__(self):
        return (Size, (tuple(self),))
