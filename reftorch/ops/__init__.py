"""The op layer. Each op module exports three tables that are installed here:

- ``FUNCTIONS``: names exported as ``reftorch.<name>``;
- ``METHODS``: names installed as ``Tensor.<name>``;
- ``PROPERTIES``: names installed as read-only ``Tensor`` properties (``T``, ``mT``).
"""

from __future__ import annotations

from .._tensor import Tensor
from ..autograd import tensor_methods
from . import (
    conversion,
    creation,
    elementwise_api,
    indexing,
    joining,
    linalg,
    queries,
    random_fill,
    reduction,
    sorting,
    views,
)

MODULES = (creation, views, elementwise_api, conversion, queries, reduction, sorting, joining, indexing, linalg,
           random_fill)

FUNCTIONS: dict[str, object] = {}
for _module in MODULES:
    FUNCTIONS.update(getattr(_module, "FUNCTIONS", {}))
    for _name, _method in getattr(_module, "METHODS", {}).items():
        setattr(Tensor, _name, _method)
    for _name, _getter in getattr(_module, "PROPERTIES", {}).items():
        setattr(Tensor, _name, property(_getter, doc=_getter.__doc__))
for _name, _method in tensor_methods.METHODS.items():
    setattr(Tensor, _name, _method)
for _name, _getter in tensor_methods.PROPERTIES.items():
    setattr(Tensor, _name, property(_getter, doc=_getter.__doc__))
Tensor.data = tensor_methods.DATA
