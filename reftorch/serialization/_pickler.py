"""The save side: pickles reftorch objects under torch's own global names.

Mirrors torch/serialization.py ``_save``: protocol 2; a tensor is reduced as torch's
``Tensor._reduce_ex_internal`` reduces it (``torch._utils._rebuild_tensor_v2`` over its storage,
offset, size, stride and ``requires_grad``), a Parameter as ``torch._utils._rebuild_parameter``,
dtypes, ``Size`` and devices as ``torch.<dtype>``, ``torch.Size``, ``torch.device``; every storage
is a persistent id ``('storage', torch.<Type>Storage, key, location, numel)`` written once, however
many tensors view it. Anything else pickles as Python pickles it (a whole module by its class).
"""

from __future__ import annotations

import collections
import pickle
from typing import Any

from .. import _dtype as D
from .._device import device
from .._size import Size
from .._storage import UntypedStorage
from .._tensor import Tensor
from ..nn.parameter import Parameter
from ._rebuild import storage_type_name

PROTOCOL = 2  # torch.serialization.DEFAULT_PROTOCOL: torch's weights-only unpickler reads protocol 2


class TorchGlobal:
    """A global written by name (``GLOBAL module name``) without importing it: torch need not be
    installed to write the names it will read."""

    __slots__ = ("module", "name")

    def __init__(self, module: str, name: str):
        self.module, self.name = module, name

    def __call__(self, *args: Any) -> Any:
        """Never called: being callable lets pickle's ``save_reduce`` write it as a reduce function."""
        raise TypeError(f"{self.module}.{self.name} is a name for torch to resolve, not a reftorch function")


_REBUILD_TENSOR = TorchGlobal("torch._utils", "_rebuild_tensor_v2")
_REBUILD_PARAMETER = TorchGlobal("torch._utils", "_rebuild_parameter")
_REBUILD_PARAMETER_STATE = TorchGlobal("torch._utils", "_rebuild_parameter_with_state")
_REBUILD_FROM_TYPE = TorchGlobal("torch._tensor", "_rebuild_from_type_v2")
_SIZE = TorchGlobal("torch", "Size")
_DEVICE = TorchGlobal("torch", "device")
_UNTYPED_STORAGE = TorchGlobal("torch.storage", "UntypedStorage")


class StorageRecord:
    """A tensor's storage as the pickle names it; the persistent id makes it a record of the archive."""

    __slots__ = ("storage", "dtype")

    def __init__(self, storage: UntypedStorage, dtype_: D.dtype):
        self.storage, self.dtype = storage, dtype_


class TorchPickler(pickle._Pickler):
    """A pure-Python pickler (only it lets a global be written by name) collecting storages in
    ``storages`` (key -> (storage, dtype)), in the order torch numbers them."""

    dispatch = dict(pickle._Pickler.dispatch)

    def __init__(self, file: Any, protocol: int = PROTOCOL):
        super().__init__(file, protocol=protocol)
        self.storages: dict[str, tuple[UntypedStorage, D.dtype]] = {}
        self._keys: dict[int, str] = {}

    def _write_global(self, obj: Any, module: str, name: str) -> None:
        self.write(pickle.GLOBAL + f"{module}\n{name}\n".encode())
        self.memoize(obj)

    def save_torch_global(self, obj: TorchGlobal) -> None:
        self._write_global(obj, obj.module, obj.name)

    def save_dtype(self, obj: D.dtype) -> None:
        """A dtype is the global ``torch.<name>``."""
        self._write_global(obj, "torch", obj.name)

    dispatch[TorchGlobal] = save_torch_global
    dispatch[D.dtype] = save_dtype

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, Tensor):
            return _reduce_tensor(obj)
        if type(obj) is Size:
            return (_SIZE, (tuple(obj),))
        if type(obj) is device:
            return (_DEVICE, (obj.type,) if obj.index is None else (obj.type, obj.index))
        return NotImplemented

    def persistent_id(self, obj: Any) -> Any:
        """torch's ``persistent_id``: one key per storage; one dtype per storage (torch refuses two)."""
        if isinstance(obj, UntypedStorage):  # a storage saved by itself holds bytes
            storage, dtype_, storage_type = obj, D.uint8, _UNTYPED_STORAGE
        elif isinstance(obj, StorageRecord):
            storage, dtype_ = obj.storage, obj.dtype
            storage_type = TorchGlobal("torch", storage_type_name(dtype_))
        else:
            return None
        key = self._keys.get(id(storage))
        if key is None:
            key = self._keys[id(storage)] = str(len(self._keys))
            self.storages[key] = (storage, dtype_)
        elif self.storages[key][1] is not dtype_:
            raise RuntimeError(
                "Cannot save multiple tensors or storages that view the same data as different types")
        return ("storage", storage_type, key, str(storage.device), storage.nbytes() // dtype_.itemsize)


def _reduce_tensor(t: Tensor) -> tuple:
    """``Tensor.__reduce_ex__`` / ``Parameter.__reduce_ex__`` of torch, for a strided tensor."""
    if t._dtype.array_name is None:
        raise NotImplementedError(f"reftorch cannot save tensors of dtype {t._dtype}")
    # the user's attributes; reftorch's autograd fields live in __dict__ too, under names Tensor declares
    state = {key: value for key, value in t.__dict__.items() if not hasattr(Tensor, key)}
    if isinstance(t, Parameter):
        data = Tensor._make(t._storage, t._shape, t._stride, t._offset, t._dtype)
        args = (data, t.requires_grad, collections.OrderedDict())
        if type(t) is Parameter:
            return (_REBUILD_PARAMETER_STATE, (*args, state)) if state else (_REBUILD_PARAMETER, args)
        return (_REBUILD_FROM_TYPE, (_REBUILD_PARAMETER, type(t), args, state))
    args = (StorageRecord(t._storage, t._dtype), t._offset, tuple(t._shape), tuple(t._stride), t.requires_grad,
            collections.OrderedDict())
    if type(t) is Tensor and not state:
        return (_REBUILD_TENSOR, args)
    return (_REBUILD_FROM_TYPE, (_REBUILD_TENSOR, type(t), args, state))
