"""``torch.device``: a device type plus an optional index, parsed from strings like ``"cuda:0"``."""

from __future__ import annotations

import re

DEVICE_TYPES = (
    "cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "maia",
    "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone",
)
_DEVICE_RE = re.compile(r"^([a-z]+)(?::(\d+))?$")


class device:  # noqa: N801 - torch's spelling
    """Mirrors ``torch.device``: ``device('cuda:1')``, ``device('cuda', 1)``, ``device(other)``.

    Equality compares type and index (``device('cuda') != device('cuda:0')``, as in torch).
    """

    __slots__ = ("type", "index")

    def __init__(self, type: str | device, index: int | None = None):  # noqa: A002 - torch's name
        if isinstance(type, device):
            self.type, self.index = type.type, type.index
            return
        if not isinstance(type, str):
            raise TypeError(
                f"device() received an invalid combination of arguments - got ({_type_name(type)}), "
                "but expected one of:\n * (torch.device device)\n * (str type, int index = -1)"
            )
        match = _DEVICE_RE.match(type)
        if match is None or match.group(1) not in DEVICE_TYPES:
            head = re.match(r"^[a-z]*", type).group(0)
            if head in DEVICE_TYPES:
                raise RuntimeError(f"Invalid device string: '{type}'")
            raise RuntimeError(
                f"Expected one of {', '.join(DEVICE_TYPES)} device type at start of device string: {type}"
            )
        self.type = match.group(1)
        parsed = None if match.group(2) is None else int(match.group(2))
        if parsed is not None and index is not None:
            raise RuntimeError("type (string) must not include an index because index was passed explicitly: "
                               + type)
        self.index = parsed if index is None else int(index)
        if self.index is not None and self.index < 0:
            raise RuntimeError(f"Device index must not be negative, got {self.index}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, device) and self.type == other.type and self.index == other.index

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __reduce__(self):
        return (device, (self.type, self.index))


def _type_name(value: object) -> str:
    return type(value).__name__


CPU = device("cpu")


def as_device(value: str | device | None) -> device | None:
    """Normalise a ``device=`` argument (str, device or None)."""
    if value is None or isinstance(value, device):
        return value
    return device(value)
