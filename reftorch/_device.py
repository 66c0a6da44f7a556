"""``torch.device``: a device type plus an optional index, parsed from strings like ``"cuda:0"``."""

from __future__ import annotations

import re

DEVICE_TYPES = (
    "cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "maia",
    "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone",
)
# c10/core/Device.cpp parses device strings by hand as the regex ``([a-zA-Z_]+)(?::([1-9]\d*|0))?``
_DEVICE_RE = re.compile(r"([a-zA-Z_]+)(?::([1-9][0-9]*|0))?")
_INT32_MAX = 2**31 - 1


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
        match = _DEVICE_RE.fullmatch(type)
        if not type:
            raise RuntimeError("Device string must not be empty")
        if match is None:
            raise RuntimeError(f"Invalid device string: '{type}'")
        if match.group(2) is not None and int(match.group(2)) > _INT32_MAX:  # std::stoi's range
            raise RuntimeError(f"Could not parse device index '{match.group(2)}' in device string '{type}'")
        if match.group(1) not in DEVICE_TYPES:
            raise RuntimeError(
                f"Expected one of {', '.join(DEVICE_TYPES)} device type at start of device string: {match.group(1)}"
            )
        self.type = match.group(1)
        if match.group(2) is not None:
            if index is not None:
                raise RuntimeError("type (string) must not include an index because index was passed explicitly: "
                                   + type)
            index = int(match.group(2))
        elif index is not None and int(index) < 0:
            raise RuntimeError("Device index must not be negative")
        # c10::DeviceIndex is an int8_t: an index is narrowed as C++ narrows it (200 -> -56), unchecked;
        # -1 means no index
        narrowed = None if index is None else (int(index) + 128) % 256 - 128
        self.index = None if narrowed == -1 else narrowed

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
