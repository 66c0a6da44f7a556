"""Tensor printing: ``repr(tensor)`` and the print options, mirroring ``torch/_tensor_str.py``.

Covers dense (strided) tensors: the int / fixed / scientific element formats chosen from the
nonzero finite values, complex numbers (separate real and imaginary formatters), summarisation
with ``...`` past ``threshold`` elements, line wrapping at ``linewidth``, and the ``device=``,
``size=``, ``dtype=``, ``grad_fn=`` and ``requires_grad=`` suffixes.

Values come from ``Tensor._host_values()`` (a NumPy array of the tensor's dtype). Elements are
formatted as the Python scalars ``tolist()`` yields, exactly as torch formats ``item()`` values.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from reftorch import _dtype


@dataclasses.dataclass
class _PrinterOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = _PrinterOptions()

_PROFILES: dict[str, tuple[int, float, int, int]] = {
    # name: (precision, threshold, edgeitems, linewidth)
    "default": (4, 1000, 3, 80),
    "short": (2, 1000, 2, 80),
    "full": (4, math.inf, 3, 80),
}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """``torch.set_printoptions``: a known ``profile`` (default/short/full) is applied first, then the
    explicitly given options override it. Unknown profile names are ignored, as in torch.
    ``sci_mode`` is always set to its argument, so any call without it restores automatic choice.
    """
    if profile in _PROFILES:
        (PRINT_OPTS.precision, PRINT_OPTS.threshold,
         PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth) = _PROFILES[profile]
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """``torch._tensor_str.get_printoptions``: the current options as ``set_printoptions`` kwargs."""
    return dataclasses.asdict(PRINT_OPTS)


@contextlib.contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    """``torch._tensor_str.printoptions``: set options for the ``with`` block, then restore them."""
    old_kwargs = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old_kwargs)


class _Formatter:
    """torch's ``_Formatter``: one element width and mode for a whole (summarised) real array.

    Floating arrays use only their nonzero finite values: int mode when all are integral, scientific
    when max/min > 1000, max > 1e8 or min < 1e-4 (unless ``sci_mode`` is forced), fixed otherwise.
    """

    def __init__(self, values: np.ndarray):
        self.floating_dtype = values.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        flat = values.reshape(-1)
        if not self.floating_dtype:
            self.max_width = max([self.max_width] + [len(f"{v}") for v in flat.tolist()])
            return
        nonzero_finite = flat[np.isfinite(flat) & (flat != 0)]
        if nonzero_finite.size == 0:
            return
        # Statistics in double (Python floats), as torch converts before dividing.
        nonzero_abs = np.abs(nonzero_finite)
        finite_min, finite_max = float(nonzero_abs.min()), float(nonzero_abs.max())
        self.int_mode = bool(np.all(nonzero_finite == np.ceil(nonzero_finite)))
        if PRINT_OPTS.sci_mode is None:
            self.sci_mode = finite_max / finite_min > 1000.0 or finite_max > 1.0e8 or finite_min < 1.0e-4
        else:
            self.sci_mode = PRINT_OPTS.sci_mode
        precision = PRINT_OPTS.precision
        if self.sci_mode:
            spec, extra = f".{precision}e", 0
        elif self.int_mode:
            spec, extra = ".0f", 1  # room for the "." appended to integral floats
        else:
            spec, extra = f".{precision}f", 0
        widths = [len(format(v, spec)) + extra for v in nonzero_finite.tolist()]
        self.max_width = max(self.max_width, *widths)

    def width(self) -> int:
        return self.max_width

    def format(self, value: Any) -> str:
        if self.floating_dtype:
            if self.sci_mode:
                ret = f"{{:{self.max_width}.{PRINT_OPTS.precision}e}}".format(value)
            elif self.int_mode:
                ret = f"{value:.0f}"
                if not (math.isinf(value) or math.isnan(value)):
                    ret += "."
            else:
                ret = f"{{:.{PRINT_OPTS.precision}f}}".format(value)
        else:
            ret = f"{value}"
        return (self.max_width - len(ret)) * " " + ret


def _format_value(value: Any, formatter1: _Formatter, formatter2: _Formatter | None) -> str:
    """One element; complex values join the real and imaginary parts with their sign (``1.+2.j``)."""
    if formatter2 is None:
        return formatter1.format(value)
    real_str = formatter1.format(value.real)
    imag_str = (formatter2.format(value.imag) + "j").lstrip()
    if imag_str.startswith("-"):  # negative parts, -0.0 and -inf carry their own sign
        return real_str + imag_str
    return real_str + "+" + imag_str


def _vector_str(values: np.ndarray, indent: int, summarize: bool,
                formatter1: _Formatter, formatter2: _Formatter | None) -> str:
    element_length = formatter1.width() + 2  # ", " between elements
    if formatter2 is not None:
        element_length += formatter2.width() + 1  # imaginary part and its "j"
    elements_per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / element_length))
    edge = PRINT_OPTS.edgeitems

    def fmt(part: np.ndarray) -> list[str]:
        return [_format_value(v, formatter1, formatter2) for v in part.tolist()]

    if summarize and not edge:
        data = ["..."]
    elif summarize and values.shape[0] > 2 * edge:
        data = fmt(values[:edge]) + [" ..."] + fmt(values[-edge:])
    else:
        data = fmt(values)
    lines = [", ".join(data[i:i + elements_per_line]) for i in range(0, len(data), elements_per_line)]
    return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"


def _tensor_str_with_formatter(values: np.ndarray, indent: int, summarize: bool,
                               formatter1: _Formatter, formatter2: _Formatter | None) -> str:
    dim = values.ndim
    if dim == 0:
        return _format_value(values.item(), formatter1, formatter2)
    if dim == 1:
        return _vector_str(values, indent, summarize, formatter1, formatter2)
    edge = PRINT_OPTS.edgeitems
    size = values.shape[0]

    def sub(indices: range) -> list[str]:
        return [_tensor_str_with_formatter(values[i], indent + 1, summarize, formatter1, formatter2)
                for i in indices]

    if summarize and size > 2 * edge:
        slices = sub(range(edge)) + ["..."] + sub(range(size - edge, size))
    else:
        slices = sub(range(size))
    return "[" + ("," + "\n" * (dim - 1) + " " * (indent + 1)).join(slices) + "]"


def _summarized_data(values: np.ndarray) -> np.ndarray:
    """torch's ``get_summarized_data``: the elements that summarised printing shows."""
    dim = values.ndim
    edge = PRINT_OPTS.edgeitems
    if dim == 0:
        return values
    if dim == 1:
        if values.shape[0] > 2 * edge:
            return np.concatenate((values[:edge], values[-edge:]))
        return values
    if not edge:
        return np.empty((0,) * dim, dtype=values.dtype)
    size = values.shape[0]
    if size > 2 * edge:
        rows = [values[i] for i in range(edge)] + [values[i] for i in range(size - edge, size)]
    else:
        rows = list(values)
    if not rows:
        raise RuntimeError("stack expects a non-empty TensorList")  # torch, for edgeitems < 0
    return np.stack([_summarized_data(r) for r in rows])


def _tensor_str(values: np.ndarray, indent: int) -> str:
    """The bracketed body of a non-empty tensor's repr; ``indent`` is the column after ``tensor(``."""
    summarize = values.size > PRINT_OPTS.threshold

    def formatter(part: np.ndarray) -> _Formatter:
        return _Formatter(_summarized_data(part) if summarize else part)

    if values.dtype.kind == "c":
        return _tensor_str_with_formatter(values, indent, summarize,
                                          formatter(values.real), formatter(values.imag))
    return _tensor_str_with_formatter(values, indent, summarize, formatter(values), None)


def _add_suffixes(tensor_str: str, suffixes: list[str], indent: int) -> str:
    """Append ``, suffix`` items, wrapping to a new line indented by ``indent`` past ``linewidth``."""
    parts = [tensor_str]
    # torch's arithmetic, off-by-one included.
    last_line_len = len(tensor_str) - tensor_str.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def tensor_repr(t: Any, *, tensor_contents: str | None = None) -> str:
    """``repr(tensor)`` for a dense tensor, as torch's ``_str``.

    Suffixes, in order: ``device='...'`` off the CPU; for empty tensors ``size=`` (unless 1-D) and
    ``dtype=`` (unless the default float dtype); otherwise ``size=`` when ``edgeitems`` is 0 and
    ``dtype=`` unless it is the default float, default complex, int64 or bool; then
    ``grad_fn=<Name>`` or ``requires_grad=True``. ``tensor_contents`` replaces the bracketed body.
    """
    prefix = "tensor("
    indent = len(prefix)
    suffixes: list[str] = []
    if t.device.type != "cpu":
        suffixes.append(f"device='{t.device}'")
    dtype = t.dtype
    shape = tuple(t.shape)
    default_dtype = _dtype.get_default_dtype()
    empty = math.prod(shape) == 0
    if empty:
        if len(shape) != 1:
            suffixes.append(f"size={shape}")
        if dtype is not default_dtype:
            suffixes.append(f"dtype={dtype}")
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append(f"size={shape}")
        if dtype not in (default_dtype, _dtype.default_complex_dtype(), _dtype.int64, _dtype.bool):
            suffixes.append(f"dtype={dtype}")
    if tensor_contents is None:
        tensor_contents = "[]" if empty else _tensor_str(t._host_values(), indent)
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + tensor_contents, suffixes, indent)
