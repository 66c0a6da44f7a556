"""Tensor creation: ``tensor``/``as_tensor``/``from_numpy``, the legacy ``Tensor(...)`` constructor,
filled factories and their ``_like``/``new_*`` forms, ranges, ``eye`` and random factories.

Dtype inference mirrors torch/csrc/utils/tensor_new.cpp: Python bool -> bool, int -> int64,
float -> default dtype, complex -> default complex; sequences fold ``promote_types``; NumPy
arrays and scalars keep their dtype; an empty sequence is the default dtype.
"""

from __future__ import annotations

import math
import numbers
import operator
from typing import Any

from .. import _dtype as D
from .. import _random
from .._device import CPU, as_device, device
from .._promotion import promote_types
from .._storage import UntypedStorage
from .._tensor import Tensor
from .._warnings import warn_once
from ._python_numbers import read_numbers
from ._util import (
    array_dtype,
    backend_of,
    cast_array,
    check_sizes_nonnegative,
    empty_tensor,
    from_array,
    parse_shape,
)


def _finish(t: Tensor, requires_grad: bool) -> Tensor:
    """Apply a factory's ``requires_grad=`` (factories word the dtype error differently)."""
    if requires_grad:
        if not (t._dtype.is_floating_point or t._dtype.is_complex):
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        t.requires_grad_(True)
    return t


def _target_device(dev: Any) -> device:
    return as_device(dev) or CPU


# ----------------------------------------------------------------------------- inference
def _is_host_array(value: Any) -> bool:
    return type(value).__module__ == "numpy" and hasattr(value, "dtype")


def _infer(data: Any) -> tuple[tuple[int, ...], D.dtype | None]:
    """Shape and inferred dtype of nested data (dtype None for an empty sequence)."""
    if isinstance(data, Tensor):
        return data._shape, data._dtype
    if _is_host_array(data):
        return tuple(data.shape), D.from_array_dtype(data.dtype)
    if isinstance(data, bool):
        return (), D.bool
    if isinstance(data, numbers.Integral):
        return (), D.int64
    if isinstance(data, numbers.Real):
        return (), D.get_default_dtype()
    if isinstance(data, numbers.Complex):
        return (), D.default_complex_dtype()
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    if not isinstance(data, (list, tuple)) and not hasattr(data, "__len__"):
        raise RuntimeError(f"Could not infer dtype of {type(data).__name__}")
    items = list(data)
    if not items:
        return (0,), None
    first_shape, dtype = _infer_item(items[0], 1)
    for item in items[1:]:
        shape, item_dtype = _infer_item(item, 1)
        if shape != first_shape:
            _raise_ragged(first_shape, shape)
        if item_dtype is not None:
            dtype = item_dtype if dtype is None else promote_types(dtype, item_dtype)
    return (len(items),) + first_shape, dtype


def _infer_item(item: Any, depth: int) -> tuple[tuple[int, ...], D.dtype | None]:
    if isinstance(item, str):
        raise ValueError("too many dimensions 'str'")
    if isinstance(item, Tensor) and item.numel() == 1 and item.dim() <= 1:
        return (), item._dtype
    return _infer(item)


def _raise_ragged(expected: tuple[int, ...], got: tuple[int, ...]) -> None:
    if not got or not expected:
        raise TypeError("not a sequence")
    for dim, (e, g) in enumerate(zip(expected, got), start=1):
        if e != g:
            raise ValueError(f"expected sequence of length {e} at dim {dim} (got {g})")
    raise ValueError(f"expected sequence of length {expected[0]} at dim 1 (got {got[0]})")


def _to_nested_host(data: Any) -> Any:
    """Replace tensors inside nested data by host values so the array module can read it."""
    if isinstance(data, Tensor):
        values = data.detach().cpu()._host_values()
        return values.reshape(()) if data.numel() == 1 and data.dim() <= 1 else values
    if isinstance(data, (list, tuple)) and any(isinstance(x, (Tensor, list, tuple)) for x in data):
        return [_to_nested_host(x) for x in data]
    return data


def tensor(data: Any, *, dtype: D.dtype | None = None, device: Any = None, requires_grad: bool = False,
           pin_memory: bool = False) -> Tensor:
    """``torch.tensor``: always copies ``data``; infers the dtype unless given."""
    shape, inferred = _infer(data)
    target = dtype or inferred or D.get_default_dtype()
    dev = _target_device(device if device is not None else _device_of_data(data))
    backend = backend_of(dev)
    nested = _to_nested_host(data)
    if inferred is None or _is_host_array(data) or isinstance(data, Tensor):
        host_backend = backend_of(CPU)
        values = host_backend.xp.array(nested, dtype=array_dtype(host_backend, inferred or target)).reshape(shape)
        host = cast_array(host_backend, values, target)
    else:
        host = read_numbers(nested, shape, inferred, target)
    return _finish(from_array(backend.from_host(host.copy()), target, dev, backend), requires_grad)


def _device_of_data(data: Any) -> device | None:
    return data.device if isinstance(data, Tensor) else None


def as_tensor(data: Any, dtype: D.dtype | None = None, device: Any = None) -> Tensor:
    """``torch.as_tensor``: reuses a tensor or a NumPy array's memory when dtype and device allow."""
    if isinstance(data, Tensor):
        return data.to(dtype=dtype or data._dtype, device=device or data.device)
    if _is_host_array(data) and _target_device(device).type == "cpu":
        t = from_numpy(data)
        return t if dtype is None or dtype is t._dtype else t.to(dtype)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(array: Any) -> Tensor:
    """``torch.from_numpy``: a CPU tensor sharing memory with ``array`` (both ways)."""
    backend = backend_of(CPU)
    if not isinstance(array, backend.xp.ndarray):
        kind = type(array)
        name = f"{kind.__module__}.{kind.__name__}" if kind.__module__ == "numpy" else kind.__name__
        raise TypeError(f"expected np.ndarray (got {name})")
    dtype = D.from_array_dtype(array.dtype)
    itemsize = array.itemsize
    if any(s < 0 for s in array.strides):
        raise ValueError(
            "At least one stride in the given numpy array is negative, and tensors with negative strides are "
            "not currently supported. (You can probably work around this by making a copy of your array  "
            "with array.copy().) ")
    if any(s % itemsize for s in array.strides):
        raise ValueError("given numpy array strides not a multiple of the element byte size. Copy the numpy "
                         "array to reallocate the memory.")
    if not array.flags.writeable:
        warn_once(
            "The given NumPy array is not writable, and PyTorch does not support non-writable tensors. This "
            "means writing to this tensor will result in undefined behavior. You may want to copy the array "
            "to protect its data or make it writable before converting it to a tensor. This type of warning "
            "will be suppressed for the rest of this program.", stacklevel=2)
    strides = tuple(s // itemsize for s in array.strides)
    span = 1 + sum((n - 1) * s for n, s in zip(array.shape, strides)) if array.size else 0
    flat = backend.xp.lib.stride_tricks.as_strided(array, shape=(span,), strides=(itemsize,))
    storage = UntypedStorage(flat, CPU, backend, resizable=False)
    return Tensor._make(storage, tuple(array.shape), strides, 0, dtype)


def _rebuild_from_host(values: Any, requires_grad: bool) -> Tensor:
    """Unpickling helper: a CPU tensor from a NumPy array (used by ``Tensor.__reduce_ex__``)."""
    return _finish(from_array(values, D.from_array_dtype(values.dtype)), requires_grad)


def legacy_construct(cls: type, args: tuple, kwargs: dict) -> Tensor:
    """``torch.Tensor(...)``: sizes (ints) make an uninitialised tensor, a sequence is copied, another
    tensor is returned as is, no argument gives an empty (0,) tensor. Always the default dtype."""
    dev = _target_device(kwargs.pop("device", None))
    if kwargs:
        raise TypeError(f"new() received an invalid combination of arguments - got {sorted(kwargs)}")
    default = D.get_default_dtype()
    if not args:
        return _as_class(empty_tensor((0,), default, dev), cls)
    if len(args) == 1 and isinstance(args[0], Tensor):
        return args[0]
    if all(isinstance(a, int) and not isinstance(a, bool) for a in args):
        shape = tuple(operator.index(a) for a in args)
        check_sizes_nonnegative(shape)
        return _as_class(empty_tensor(shape, default, dev), cls)
    if len(args) == 1 and (isinstance(args[0], (list, tuple)) or _is_host_array(args[0])):
        return _as_class(tensor(args[0], dtype=default, device=dev), cls)
    raise TypeError(f"new(): data must be a sequence (got {type(args[0]).__name__})")


def _as_class(t: Tensor, cls: type) -> Tensor:
    if cls is not Tensor:
        t.__class__ = cls
    return t


# ----------------------------------------------------------------------------- filled factories
def _factory_shape(size: tuple, fn: str) -> tuple[int, ...]:
    if not size:
        if fn in ("rand", "randn"):
            raise TypeError(f"{fn}() received an invalid combination of arguments - got (), but expected one of:")
        raise TypeError(f'{fn}() missing 1 required positional arguments: "size"')
    shape = parse_shape(size, fn)
    if fn == "zeros" and any(s < 0 for s in shape):
        raise RuntimeError("zeros: Dimension size must be non-negative.")
    check_sizes_nonnegative(shape)
    return shape


def full(size: Any, fill_value: Any, *, dtype: D.dtype | None = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:
    """``torch.full``: the dtype is inferred from ``fill_value`` (bool, int64, default float...)."""
    shape = _factory_shape((size,), "full")
    target = dtype or _infer(fill_value)[1]
    dev = _target_device(device)
    backend = backend_of(dev)
    arr = backend.xp.full(shape, _host_scalar(fill_value), dtype=array_dtype(backend, target))
    return _finish(from_array(arr, target, dev, backend), requires_grad)


def _host_scalar(value: Any) -> Any:
    return value.item() if isinstance(value, Tensor) else value


def _filled(fn: str, value: int):
    def factory(*size: Any, dtype: D.dtype | None = None, device: Any = None, requires_grad: bool = False,
                out: Tensor | None = None, layout: Any = None, pin_memory: bool = False) -> Tensor:
        shape = _factory_shape(size, fn)
        target = dtype or D.get_default_dtype()
        dev = _target_device(device)
        backend = backend_of(dev)
        fill = backend.xp.zeros if value == 0 else backend.xp.ones
        return _finish(from_array(fill(shape, dtype=array_dtype(backend, target)), target, dev, backend),
                       requires_grad)

    factory.__name__ = fn
    factory.__doc__ = f"``torch.{fn}(*size)``: a new tensor of the default dtype filled with {value}s."
    return factory


zeros = _filled("zeros", 0)
ones = _filled("ones", 1)
empty = _filled("empty", 0)
empty.__doc__ = "``torch.empty(*size)``: uninitialised in torch; reftorch fills it with zeros."


def _like(factory):
    def like(input: Tensor, *, dtype: D.dtype | None = None, device: Any = None, requires_grad: bool = False,
             memory_format: Any = None, layout: Any = None) -> Tensor:
        return factory(input._shape, dtype=dtype or input._dtype, device=device or input.device,
                       requires_grad=requires_grad)

    like.__name__ = factory.__name__ + "_like"
    like.__doc__ = f"``torch.{like.__name__}``: same shape, dtype and device as ``input`` unless overridden."
    return like


zeros_like = _like(zeros)
ones_like = _like(ones)
empty_like = _like(empty)


def full_like(input: Tensor, fill_value: Any, *, dtype: D.dtype | None = None, device: Any = None,
              requires_grad: bool = False) -> Tensor:
    """``torch.full_like``: keeps ``input``'s dtype (not the fill value's) unless given."""
    return full(input._shape, fill_value, dtype=dtype or input._dtype, device=device or input.device,
                requires_grad=requires_grad)


def _new(factory):
    def new(self: Tensor, *size: Any, dtype: D.dtype | None = None, device: Any = None,
            requires_grad: bool = False) -> Tensor:
        return factory(*size, dtype=dtype or self._dtype, device=device or self.device,
                       requires_grad=requires_grad)

    new.__name__ = "new_" + factory.__name__
    new.__doc__ = f"``Tensor.{new.__name__}``: like ``torch.{factory.__name__}`` with this tensor's dtype/device."
    return new


new_zeros = _new(zeros)
new_ones = _new(ones)
new_empty = _new(empty)


def new_full(self: Tensor, size: Any, fill_value: Any, *, dtype: D.dtype | None = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """``Tensor.new_full``: this tensor's dtype, whatever the fill value."""
    return full(size, fill_value, dtype=dtype or self._dtype, device=device or self.device,
                requires_grad=requires_grad)


def new_tensor(self: Tensor, data: Any, *, dtype: D.dtype | None = None, device: Any = None,
               requires_grad: bool = False) -> Tensor:
    """``Tensor.new_tensor``: copies ``data`` into this tensor's dtype and device unless given."""
    return tensor(data, dtype=dtype or self._dtype, device=device or self.device, requires_grad=requires_grad)


# ----------------------------------------------------------------------------- ranges
def _number(value: Any, fn: str) -> Any:
    if isinstance(value, Tensor):
        return value.item()
    if not isinstance(value, numbers.Number):
        raise TypeError(f"{fn}(): argument 'end' must be Number, not {type(value).__name__}")
    return value


def arange(start: Any, end: Any = None, step: Any = 1, *, dtype: D.dtype | None = None, device: Any = None,
           requires_grad: bool = False) -> Tensor:
    """``torch.arange``: int64 when start, end and step are all integers, else the default dtype.
    The length is ``ceil((end - start) / step)``; values are ``start + i * step``."""
    if end is None:
        start, end = 0, start
    start, end, step = (_number(v, "arange") for v in (start, end, step))
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    all_int = all(isinstance(v, numbers.Integral) for v in (start, end, step))
    target = dtype or (D.int64 if all_int else D.get_default_dtype())
    n = max(math.ceil((end - start) / step), 0) if not all_int else max(-((start - end) // step), 0)
    dev = _target_device(device)
    backend = backend_of(dev)
    xp = backend.xp
    if all_int and not target.is_floating_point:
        values = start + step * xp.arange(n, dtype="int64")
    else:
        values = start + step * xp.arange(n, dtype="float64")
    return _finish(from_array(values, target, dev, backend), requires_grad)


def range_(start: Any, end: Any, step: Any = 1, *, dtype: D.dtype | None = None, device: Any = None,
           requires_grad: bool = False) -> Tensor:
    """Deprecated ``torch.range``: like ``arange`` but *including* ``end``, and of the default float
    dtype even for integer arguments; warns (UserWarning) on every call, as torch does."""
    import warnings

    warnings.warn(
        "torch.range is deprecated and will be removed in a future release because its behavior is inconsistent "
        "with Python's range builtin. Instead, use torch.arange, which produces values in [start, end).",
        UserWarning, stacklevel=2)
    start, end, step = (_number(v, "range") for v in (start, end, step))
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    target = dtype or D.get_default_dtype()
    count = int(math.floor((end - start) / step)) + 1
    dev = _target_device(device)
    backend = backend_of(dev)
    values = start + step * backend.xp.arange(count, dtype="float64")
    return _finish(from_array(values, target, dev, backend), requires_grad)


def linspace(start: Any, end: Any, steps: int, *, dtype: D.dtype | None = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """``torch.linspace``: ``steps`` is required; the CPU kernel fills the first half from ``start`` and
    the second half from ``end`` (symmetric rounding), in the output dtype."""
    if not isinstance(steps, int) or isinstance(steps, bool):
        raise TypeError("linspace() missing required argument 'steps' (pos 3)")
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    start, end = _number(start, "linspace"), _number(end, "linspace")
    target = dtype or D.get_default_dtype()
    dev = _target_device(device)
    backend = backend_of(dev)
    xp = backend.xp
    compute = "float64" if not target.is_floating_point else target.array_name
    idx = xp.arange(steps, dtype=compute)
    if steps == 1:
        values = xp.full(1, start, dtype=compute)
    else:
        step = (xp.asarray(end, dtype=compute) - xp.asarray(start, dtype=compute)) / (steps - 1)
        halfway = steps // 2
        values = xp.where(idx < halfway, start + step * idx, end - step * (steps - 1 - idx)).astype(compute)
    if not target.is_floating_point:
        values = xp.trunc(values)
    return _finish(from_array(values, target, dev, backend), requires_grad)


def eye(n: int, m: int | None = None, *, dtype: D.dtype | None = None, device: Any = None,
        requires_grad: bool = False) -> Tensor:
    """``torch.eye``: an n x m identity (m defaults to n)."""
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    target = dtype or D.get_default_dtype()
    dev = _target_device(device)
    backend = backend_of(dev)
    arr = backend.xp.eye(n, n if m is None else m, dtype=array_dtype(backend, target))
    return _finish(from_array(arr, target, dev, backend), requires_grad)


# ----------------------------------------------------------------------------- random factories
def _random_factory(fn: str, draw):
    def factory(*size: Any, generator: _random.Generator | None = None, dtype: D.dtype | None = None,
                device: Any = None, requires_grad: bool = False) -> Tensor:
        shape = _factory_shape(size, fn)
        target = dtype or D.get_default_dtype()
        if not target.is_floating_point and not target.is_complex:
            raise RuntimeError(f"\"{fn}\" not implemented for '{target.scalar_name}'")
        dev = _target_device(device)
        host = backend_of(CPU)
        values = draw(shape, array_dtype(host, target), generator)
        backend = backend_of(dev)
        return _finish(from_array(backend.from_host(values), target, dev, backend), requires_grad)

    factory.__name__ = fn
    return factory


rand = _random_factory("rand", _random.uniform)
rand.__doc__ = "``torch.rand``: uniform [0, 1) samples, reproducing torch's CPU stream after manual_seed."
randn = _random_factory("randn", _random.normal)
randn.__doc__ = "``torch.randn``: standard normal samples from torch's CPU algorithm after manual_seed."


def randint(low: int, high: int | None = None, size: Any = None, *, generator: _random.Generator | None = None,
            dtype: D.dtype | None = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """``torch.randint(low=0, high, size)``: int64 samples in [low, high)."""
    if size is None:
        low, high, size = 0, low, high
    elif high is None:
        raise TypeError("randint() missing required argument 'size'")
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    shape = _factory_shape((size,), "randint")
    target = dtype or D.int64
    dev = _target_device(device)
    values = _random.randint(low, high, shape, array_dtype(backend_of(CPU), target), generator)
    backend = backend_of(dev)
    return _finish(from_array(backend.from_host(values), target, dev, backend), requires_grad)


def randperm(n: int, *, generator: _random.Generator | None = None, dtype: D.dtype | None = None,
             device: Any = None, requires_grad: bool = False) -> Tensor:
    """``torch.randperm``: a random permutation of 0..n-1 (int64), matching torch's CPU shuffle."""
    if n < 0:
        raise RuntimeError(f"n must be non-negative, got{n}")
    target = dtype or D.int64
    dev = _target_device(device)
    values = _random.randperm(n, array_dtype(backend_of(CPU), target), generator)
    backend = backend_of(dev)
    return _finish(from_array(backend.from_host(values), target, dev, backend), requires_grad)


rand_like = _like(rand)
randn_like = _like(randn)

FUNCTIONS = {
    "tensor": tensor, "as_tensor": as_tensor, "from_numpy": from_numpy, "full": full, "zeros": zeros,
    "ones": ones, "empty": empty, "zeros_like": zeros_like, "ones_like": ones_like, "empty_like": empty_like,
    "full_like": full_like, "arange": arange, "range": range_, "linspace": linspace, "eye": eye, "rand": rand,
    "randn": randn,
    "randint": randint, "randperm": randperm, "rand_like": rand_like, "randn_like": randn_like,
}
METHODS = {
    "new_zeros": new_zeros, "new_ones": new_ones, "new_empty": new_empty, "new_full": new_full,
    "new_tensor": new_tensor,
}
