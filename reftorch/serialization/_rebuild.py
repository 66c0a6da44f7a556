"""The objects torch's pickles name, and reftorch's stand-ins for them.

torch pickles a tensor as ``torch._utils._rebuild_tensor_v2(storage, offset, size, stride,
requires_grad, backward_hooks)``, its storage as a persistent id naming a storage class
(``torch.FloatStorage``...), a Parameter through ``torch._utils._rebuild_parameter``, dtypes, sizes and
devices as ``torch.float32``, ``torch.Size``, ``torch.device`` (torch/_tensor.py ``_reduce_ex_internal``,
torch/nn/parameter.py, torch/serialization.py). :data:`TORCH_NAMES` maps each such global name to the
reftorch object that rebuilds it, so files torch writes load here and files written here load in torch.
"""

from __future__ import annotations

import codecs
import collections
from typing import Any

from .. import _dtype as D
from .._device import device
from .._layout import strided
from .._size import Size
from .._storage import UntypedStorage
from .._tensor import Tensor
from ..nn.parameter import Parameter


class StorageType:
    """A torch storage class named in a pickle (``torch.FloatStorage``): only its dtype matters here
    (torch/serialization.py ``StorageType``). ``torch.storage.UntypedStorage`` holds bytes (uint8)."""

    __slots__ = ("name", "dtype")

    def __init__(self, name: str, dtype_: D.dtype):
        self.name = name
        self.dtype = dtype_

    def __repr__(self) -> str:
        return f"StorageType(dtype={self.dtype})"


class LoadedStorage:
    """A storage read from a checkpoint: the untyped buffer and the dtype its record was written as
    (torch's ``TypedStorage`` wrapping the loaded ``UntypedStorage``)."""

    __slots__ = ("untyped", "dtype")

    def __init__(self, untyped: UntypedStorage, dtype_: D.dtype):
        self.untyped = untyped
        self.dtype = dtype_


UNTYPED = StorageType("UntypedStorage", D.uint8)
STORAGE_TYPES = {f"{dt.scalar_name}Storage": StorageType(f"{dt.scalar_name}Storage", dt) for dt in D.ALL_DTYPES}


def storage_type_name(dtype_: D.dtype) -> str:
    """The legacy storage class torch pickles for ``dtype_`` (``float32`` -> ``FloatStorage``)."""
    return f"{dtype_.scalar_name}Storage"


def _check_bounds(storage: LoadedStorage, offset: int, size: tuple[int, ...], stride: tuple[int, ...]) -> None:
    """``set_`` on a loaded storage: a view that does not fit would resize it, which a storage read from
    a file refuses (torch's message, then c10's ``checkInBoundsForStorage`` numbers)."""
    if any(n == 0 for n in size):
        return
    itemsize = storage.dtype.itemsize
    needed = (offset + 1 + sum((n - 1) * s for n, s in zip(size, stride))) * itemsize
    have = storage.untyped.nbytes()
    if needed > have:
        sizes, strides = ", ".join(map(str, size)), ", ".join(map(str, stride))
        raise RuntimeError(
            f"Trying to resize storage that is not resizable (setStorage: sizes [{sizes}], strides [{strides}], "
            f"storage offset {offset}, and itemsize {itemsize} requiring a storage size of {needed} are out of bounds "
            f"for storage of size {have})")


def rebuild_tensor(storage: LoadedStorage, storage_offset: int, size: tuple[int, ...],
                   stride: tuple[int, ...]) -> Tensor:
    """``torch._utils._rebuild_tensor``: a tensor viewing ``storage`` (shared by every tensor that names
    the same storage record), after torch's bounds check."""
    if not isinstance(storage, LoadedStorage):
        raise RuntimeError(f"_rebuild_tensor expected a storage, but got {type(storage).__name__}")
    size, stride = tuple(int(n) for n in size), tuple(int(s) for s in stride)
    _check_bounds(storage, int(storage_offset), size, stride)
    return Tensor._make(storage.untyped, size, stride, int(storage_offset), storage.dtype)


def rebuild_tensor_v2(storage: LoadedStorage, storage_offset: int, size: tuple[int, ...], stride: tuple[int, ...],
                      requires_grad: bool, backward_hooks: Any, metadata: Any = None) -> Tensor:
    """``torch._utils._rebuild_tensor_v2``: the tensor, with ``requires_grad`` (hooks are not restored,
    as in torch, which warns only when some were saved)."""
    t = rebuild_tensor(storage, storage_offset, size, stride)
    if requires_grad:
        t.requires_grad_(True)
    return t


def rebuild_parameter(data: Tensor, requires_grad: bool, backward_hooks: Any) -> Parameter:
    """``torch._utils._rebuild_parameter``."""
    return Parameter(data, requires_grad)


def rebuild_parameter_with_state(data: Tensor, requires_grad: bool, backward_hooks: Any, state: Any) -> Parameter:
    """``torch._utils._rebuild_parameter_with_state``: a Parameter with its saved attributes."""
    param = Parameter(data, requires_grad)
    _set_state(param, state)
    return param


def rebuild_from_type_v2(func: Any, new_type: type, args: tuple, state: Any) -> Any:
    """``torch._tensor._rebuild_from_type_v2``: a tensor of a subclass, or with saved attributes (the
    rebuilt tensor takes the subclass as ``Tensor.as_subclass`` would: same storage, new class)."""
    result = func(*args)
    if type(result) is not new_type:
        if not (isinstance(new_type, type) and issubclass(new_type, Tensor)):
            raise RuntimeError(f"Cannot rebuild a tensor as {new_type!r}, which is not a Tensor subclass")
        result.__class__ = new_type
    _set_state(result, state)
    return result


def _set_state(obj: Any, state: Any) -> None:
    """``torch._utils._set_obj_state``: a dict state, or a (dict, slots) pair."""
    if not state:
        return
    if isinstance(state, tuple):
        if len(state) != 2 or not isinstance(state[0], dict) or not isinstance(state[1], dict):
            raise RuntimeError(f"Invalid serialized state: {state}")
        dict_state, slots_state = state
    else:
        dict_state, slots_state = state, None
    for key, value in dict_state.items():
        setattr(obj, key, value)
    for key, value in (slots_state or {}).items():
        setattr(obj, key, value)


def get_layout(name: str) -> Any:
    """``torch.serialization._get_layout``: only the strided layout exists in reftorch."""
    if name != "torch.strided":
        raise NotImplementedError(f"reftorch does not load tensors of layout {name}")
    return strided


# torch's global names (module.qualname) -> reftorch's objects: what torch's weights-only unpickler
# allows by default (torch/_weights_only_unpickler.py ``_get_allowed_globals``), for what reftorch has.
TORCH_NAMES: dict[str, Any] = {
    "collections.OrderedDict": collections.OrderedDict,
    "collections.Counter": collections.Counter,
    "torch.nn.parameter.Parameter": Parameter,
    "torch.serialization._get_layout": get_layout,
    "torch.Size": Size,
    "torch.Tensor": Tensor,
    "torch.device": device,
    "_codecs.encode": codecs.encode,
    "builtins.bytearray": bytearray,
    "builtins.set": set,
    "builtins.complex": complex,
    "torch._utils._rebuild_tensor": rebuild_tensor,
    "torch._utils._rebuild_tensor_v2": rebuild_tensor_v2,
    "torch._utils._rebuild_parameter": rebuild_parameter,
    "torch._utils._rebuild_parameter_with_state": rebuild_parameter_with_state,
    "torch._tensor._rebuild_from_type_v2": rebuild_from_type_v2,
    "torch.storage.UntypedStorage": UNTYPED,
    **{f"torch.{dt.name}": dt for dt in D.ALL_DTYPES},
    **{f"torch.{name}": st for name, st in STORAGE_TYPES.items()},
}
