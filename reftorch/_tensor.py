"""The Tensor: a strided window (shape, strides, offset, dtype) onto a flat :class:`UntypedStorage`.

Mirrors ``torch.Tensor``'s storage model exactly: strides are in elements, views share the storage
object and its version counter, ``data_ptr()`` is the storage pointer plus ``itemsize * offset``.
Operators and most methods delegate to :mod:`reftorch.ops`, which installs them on this class.
"""

from __future__ import annotations

import operator
import warnings
from typing import Any

from . import _dtype as D
from ._autograd_state import STATE as GRAD_MODE
from ._device import device
from ._layout import layout, strided
from ._size import Size
from ._storage import TypedStorage, UntypedStorage, VersionCounter
from ._strides import is_contiguous
from ._warnings import warn_once


class Tensor:
    """A multi-dimensional array with torch's semantics.

    Calling ``Tensor(...)`` directly is torch's *legacy constructor*: ``Tensor(2, 3)`` makes an
    uninitialised 2x3 tensor of the default dtype, ``Tensor([1, 2])`` copies data into the default
    dtype, ``Tensor()`` is empty with shape (0,).
    """

    __slots__ = (
        "_storage", "_shape", "_stride", "_offset", "_dtype", "_cached_array", "_version_counter", "_base",
        "__weakref__", "__dict__",
    )
    # Autograd state: class-level defaults, set on an instance only when it differs (cheap creation).
    _requires_grad = False
    _grad = None
    _grad_fn = None
    _output_nr = 0
    _accumulator = None
    _retains_grad = False
    _is_inference = False
    _view_version = None  # a differentiable view: the version its grad_fn was recorded at
    _creation_meta = None  # a view that may not be modified in place under grad mode (autograd.graph)

    def __new__(cls, *args: Any, **kwargs: Any) -> Tensor:
        from .ops.creation import legacy_construct

        return legacy_construct(cls, args, kwargs)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """All construction happens in ``__new__``; subclasses may still define ``__init__``."""

    # ----------------------------------------------------------------- construction (internal)
    @classmethod
    def _make(cls, storage: UntypedStorage, shape: tuple[int, ...], stride: tuple[int, ...], offset: int,
              dtype: D.dtype, version: VersionCounter | None = None, base: Tensor | None = None) -> Tensor:
        """A tensor viewing ``storage``; views pass their base's version counter and base."""
        t = object.__new__(cls)
        t._storage = storage
        t._shape = shape
        t._stride = stride
        t._offset = offset
        t._dtype = dtype
        t._cached_array = None
        t._version_counter = version if version is not None else VersionCounter()
        t._base = base
        if GRAD_MODE.inference:
            t._is_inference = True
        return t

    def _view_of(self, shape: tuple[int, ...], stride: tuple[int, ...], offset: int) -> Tensor:
        """A view of this tensor's storage (shares storage and version counter; ``_base`` is the root)."""
        base = self._base if self._base is not None else self
        return Tensor._make(self._storage, shape, stride, offset, self._dtype, self._version_counter, base)

    @property
    def _array(self) -> Any:
        """The backend array viewing exactly this tensor's elements (writes go to the storage). The
        cached view is rebuilt when the storage's buffer was replaced (``resize_`` growing it)."""
        cached = self._cached_array
        flat = self._storage.array
        if cached is None or cached[0] is not flat:
            cached = self._cached_array = (flat, self._storage.backend.strided_view(
                flat, self._offset, self._shape, self._stride))
        return cached[1]

    def _set_metadata(self, shape: tuple[int, ...], stride: tuple[int, ...], offset: int) -> None:
        """In-place metadata change (``transpose_``, ``squeeze_``...): drops the cached array."""
        self._shape, self._stride, self._offset = shape, stride, offset
        self._cached_array = None

    @property
    def _backend(self) -> Any:
        return self._storage.backend

    def _host_values(self) -> Any:
        """NumPy array of this tensor's values (a view on the CPU backend)."""
        return self._storage.backend.to_host(self._array)

    # ----------------------------------------------------------------- metadata
    @property
    def shape(self) -> Size:
        """``torch.Size`` of the tensor (same as ``size()``)."""
        return Size(self._shape)

    def dim(self) -> int:
        return len(self._shape)

    ndim = property(dim, doc="Number of dimensions (alias of ``dim()``).")

    def ndimension(self) -> int:
        return len(self._shape)

    def numel(self) -> int:
        """Number of elements (1 for a zero-dim tensor)."""
        n = 1
        for s in self._shape:
            n *= s
        return n

    nelement = numel

    def __len__(self) -> int:
        if not self._shape:
            raise TypeError("len() of a 0-d tensor")
        return self._shape[0]

    @property
    def dtype(self) -> D.dtype:
        return self._dtype

    @property
    def device(self) -> device:
        return self._storage.device

    @property
    def layout(self) -> layout:
        """``torch.strided``: every reftorch tensor is a strided view of a flat storage."""
        return strided

    @property
    def is_cuda(self) -> bool:
        return self._storage.device.type == "cuda"

    @property
    def is_cpu(self) -> bool:
        return self._storage.device.type == "cpu"

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Only leaves may change the flag, and only floating/complex tensors may require grad."""
        if not self.is_leaf:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a computed "
                "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
            )
        if requires_grad and not (self._dtype.is_floating_point or self._dtype.is_complex):
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def grad(self) -> Tensor | None:
        """The accumulated gradient of a leaf; reading it on a non-leaf that did not ``retain_grad()``
        warns (UserWarning) and gives None, as in torch."""
        if self._grad_fn is not None and not self._retains_grad and self._requires_grad:
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute "
                "won't be populated during autograd.backward(). If you indeed want the .grad field to be populated "
                "for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf "
                "Tensor by mistake, make sure you access the leaf Tensor instead. See "
                "github.com/pytorch/pytorch/pull/30531 for more information.", UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type "
                                f"{type(value).__name__}")
            if value._dtype is not self._dtype:
                raise RuntimeError("assigned grad has data of a different type")
            if value._shape != self._shape:
                raise RuntimeError("assigned grad has data of a different size")
        self._grad = value

    @property
    def data(self) -> Tensor:
        """``.data``: shares storage, is not tracked (no history, no ``requires_grad``), and has its own
        version counter, so in-place changes through it go unnoticed by autograd, as in torch."""
        return Tensor._make(self._storage, self._shape, self._stride, self._offset, self._dtype, VersionCounter(),
                            self._base)

    @data.setter
    def data(self, value: Tensor) -> None:
        """Assigning ``.data`` swaps this tensor's storage and metadata for ``value``'s (dtype may change)."""
        if not isinstance(value, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
        self._storage, self._dtype = value._storage, value._dtype
        self._set_metadata(value._shape, value._stride, value._offset)

    @property
    def _version(self) -> int:
        """How many in-place modifications this tensor's storage family has seen (torch's ``_version``)."""
        return self._version_counter.value

    def storage_offset(self) -> int:
        return self._offset

    def is_contiguous(self, memory_format: Any = None) -> bool:
        """torch's contiguity rule (size-1 dims are ignored; fewer than 2 elements is contiguous)."""
        return is_contiguous(self._shape, self._stride)

    def element_size(self) -> int:
        return self._dtype.itemsize

    @property
    def itemsize(self) -> int:
        return self._dtype.itemsize

    @property
    def nbytes(self) -> int:
        return self.numel() * self._dtype.itemsize

    def data_ptr(self) -> int:
        """Address of the first element: storage pointer + itemsize * storage_offset."""
        return self._storage.data_ptr() + self._offset * self._dtype.itemsize

    def untyped_storage(self) -> UntypedStorage:
        return self._storage

    def storage(self) -> TypedStorage:
        """Deprecated in torch: warns (UserWarning) and returns a typed view of the storage."""
        return TypedStorage(self._storage, self._dtype)

    def get_device(self) -> int:
        """-1 on the CPU, else the device index."""
        return -1 if self._storage.device.type == "cpu" else (self._storage.device.index or 0)

    def is_floating_point(self) -> bool:
        return self._dtype.is_floating_point

    def is_complex(self) -> bool:
        return self._dtype.is_complex

    def is_signed(self) -> bool:
        return self._dtype.is_signed

    # ----------------------------------------------------------------- Python protocol
    def __repr__(self, *, tensor_contents: str | None = None) -> str:
        from ._tensor_str import tensor_repr

        return tensor_repr(self, tensor_contents=tensor_contents)

    def __str__(self) -> str:
        return self.__repr__()

    def __format__(self, spec: str) -> str:
        if self.dim() == 0 and spec:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __bool__(self) -> bool:
        if self.numel() != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.item())

    def __int__(self) -> int:
        return int(self._scalar_for_conversion())

    def __float__(self) -> float:
        self._warn_if_requires_grad()
        return float(self._scalar_for_conversion())

    def __complex__(self) -> complex:
        self._warn_if_requires_grad()
        return complex(self._scalar_for_conversion())

    def __index__(self) -> int:
        if self._dtype.is_floating_point or self._dtype.is_complex or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return operator.index(self.item())

    def _warn_if_requires_grad(self) -> None:
        """``float()``/``complex()`` of a tensor that requires grad, with grad mode on, warn once per process
        (torch/csrc/autograd/python_variable_methods.cpp, before the one-element check; ``int()`` does not)."""
        if self._requires_grad and GRAD_MODE.enabled:
            warn_once("Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
                      "Consider using tensor.detach() first.", stacklevel=3)

    def _scalar_for_conversion(self) -> Any:
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self.item()

    def __hash__(self) -> int:
        return id(self)

    def __iter__(self):
        if not self._shape:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._shape[0]))

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        """NumPy conversion (``np.asarray(t)``), refused for tensors off the host as in torch."""
        arr = self.numpy()
        return arr if dtype is None else arr.astype(dtype)

    def __reduce_ex__(self, protocol: int):
        from .ops.creation import _rebuild_from_host

        return (_rebuild_from_host, (self.detach().cpu().numpy().copy(), self._requires_grad))

    def __deepcopy__(self, memo: dict) -> Tensor:
        if id(self) in memo:
            return memo[id(self)]
        result = self.detach().clone()
        result._requires_grad = self._requires_grad
        if self._grad is not None:
            result._grad = self._grad.clone().detach()
        memo[id(self)] = result
        return result

    # ----------------------------------------------------------------- host conversion
    def numpy(self, *, force: bool = False) -> Any:
        """A NumPy array sharing memory with this CPU tensor; torch's errors for grad/device."""
        if self._requires_grad and not force:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        if self._storage.device.type != "cpu":
            if not force:
                raise TypeError(
                    f"can't convert {self.device} device type tensor to numpy. Use Tensor.cpu() to copy the "
                    "tensor to host memory first.")
            return self.cpu().numpy(force=True)
        return self._array

    def item(self) -> bool | int | float | complex:
        """The single element as a Python scalar; RuntimeError for more than one element."""
        if self.numel() != 1:
            raise RuntimeError(
                f"a Tensor with {self.numel()} elements cannot be converted to Scalar")
        return self._host_values().reshape(()).item()

    def tolist(self) -> Any:
        """Nested Python lists of Python scalars (a scalar for a zero-dim tensor)."""
        return self._host_values().tolist()

