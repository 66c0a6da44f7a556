"""Planted-bug implementations: reftorch with one deliberate bug each, to prove the suite catches bugs.

``import conformance.mutants.<name>`` (e.g. ``pytest conformance --impl conformance.mutants.view_copies``)
builds the mutant: a new module whose namespace is a copy of reftorch's, with the bug planted. Bugs in
namespace functions (``torch.tensor``) are patched in the copy only, but bugs in methods (``Tensor.view``)
and in submodules (``nn.functional``) are patched on reftorch's own objects, because reftorch's internals
create and use those objects directly. So importing a mutant changes reftorch *in that process*: mutants are
only ever imported by a process that tests that one mutant (the meta-tests run each in a subprocess), never
next to a run of the real reftorch.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass

__path__: list[str] = []  # submodules are made by the finder below


@dataclass(frozen=True)
class Mutant:
    """A planted bug, the conformance file that must catch it and a ``-k`` expression for its tests."""

    bug: str
    chapter: str
    keywords: str
    plant: Callable[[types.ModuleType], None]


def _patch(owner: object, name: str, make: Callable[[Callable], Callable]) -> None:
    original = getattr(owner, name)
    setattr(owner, name, functools.wraps(original)(make(original)))


def _view_copies(m: types.ModuleType) -> None:
    _patch(m.Tensor, "view", lambda view: lambda self, *shape: view(self, *shape).clone())


def _has_float(data: object) -> bool:
    if isinstance(data, float):
        return True
    return isinstance(data, list | tuple) and any(_has_float(x) for x in data)


def _float_tensor_float64(m: types.ModuleType) -> None:
    def make(tensor):
        def mutant(data, *args, dtype=None, **kwargs):
            if dtype is None and _has_float(data):
                dtype = m.float64
            return tensor(data, *args, dtype=dtype, **kwargs)
        return mutant
    _patch(m, "tensor", make)


def _squeeze_ignores_dim(m: types.ModuleType) -> None:
    _patch(m.Tensor, "squeeze", lambda squeeze: lambda self, *dim, **kwargs: squeeze(self))
    _patch(m, "squeeze", lambda squeeze: lambda input, *dim, **kwargs: squeeze(input))


def _transpose_copies(m: types.ModuleType) -> None:
    _patch(m.Tensor, "transpose", lambda transpose: lambda self, *dims: transpose(self, *dims).contiguous())
    _patch(m, "transpose", lambda transpose: lambda input, *dims: transpose(input, *dims).contiguous())


def _bmm_float64(m: types.ModuleType) -> None:
    """Only ``bmm`` (not mm or matmul): a bug that one case of a parametrized test must catch alone."""
    _patch(m, "bmm", lambda bmm: lambda *args, **kwargs: bmm(*args, **kwargs).double())


def _drop_keepdim(total: Callable) -> Callable:
    return lambda input, *args, keepdim=False, **kwargs: total(input, *args[:1], **kwargs)


def _sum_ignores_keepdim(m: types.ModuleType) -> None:
    _patch(m.Tensor, "sum", _drop_keepdim)
    _patch(m, "sum", _drop_keepdim)


def _grad_overwrites(m: types.ModuleType) -> None:
    """Leaves' ``.grad`` is replaced by each backward instead of accumulating (the bug the documents warn
    about when they say gradients must be zeroed between iterations)."""
    from reftorch.autograd import engine

    def make(sink):
        def mutant(node, *args, **kwargs):
            if node.variable is not None:
                node.variable._grad = None
            return sink(node, *args, **kwargs)
        return mutant
    _patch(engine, "_sink", make)


def _poisson_shifts_stream(m: types.ModuleType) -> None:
    """poisson draws one extra word first: still reproducible after a seed, but not torch's stream (only
    one case of the seeded-draws test can catch it)."""
    _patch(m, "poisson", lambda poisson: lambda *args, **kwargs: (m.rand(1), poisson(*args, **kwargs))[1])


def _nadam_ignores_momentum_decay(m: types.ModuleType) -> None:
    """NAdam drops its ``momentum_decay`` (the schedule of its Nesterov momentum): one optimizer of the
    built-in table steps wrongly, the others are right (one case of the 100-step test must catch it)."""
    _patch(m.optim.NAdam, "__init__",
           lambda init: lambda self, params, *args, momentum_decay=4e-3, **kwargs: init(self, params, *args, **kwargs))


def _adafactor_ignores_beta2_decay(m: types.ModuleType) -> None:
    """Adafactor drops its ``beta2_decay`` (the schedule of its second-moment average) for the default
    -0.8: only the table's Adafactor configuration (-0.6) steps wrongly."""
    _patch(m.optim.Adafactor, "__init__",
           lambda init: lambda self, params, *args, beta2_decay=-0.8, **kwargs: init(self, params, *args, **kwargs))


def _save_unshares_storages(m: types.ModuleType) -> None:
    """torch.save writes a storage record per tensor instead of one per storage: views saved together
    come back as copies, no longer sharing one storage."""
    from reftorch._storage import UntypedStorage
    from reftorch.serialization import _pickler

    def make(persistent_id):
        def mutant(self, obj):
            if isinstance(obj, _pickler.StorageRecord):
                storage = obj.storage
                obj = _pickler.StorageRecord(UntypedStorage(storage.array, storage.device, storage.backend), obj.dtype)
            return persistent_id(self, obj)
        return mutant
    _patch(_pickler.TorchPickler, "persistent_id", make)


def _loader_skips_base_seed(m: types.ModuleType) -> None:
    """A new DataLoader iterator skips its base-seed draw (the generator's state is put back after it): the
    shuffle that follows reads other words of the same stream."""
    from reftorch.utils.data import dataloader

    def make(init):
        def mutant(self, loader):
            generator = loader.generator or m.default_generator
            state = generator.get_state()
            init(self, loader)
            generator.set_state(state)
        return mutant
    _patch(dataloader._BaseDataLoaderIter, "__init__", make)


def _legacy_type_any_dtype(m: types.ModuleType) -> None:
    """isinstance(x, torch.FloatTensor) holds for a tensor of any dtype (the metaclass is reftorch's own)."""
    _patch(m.tensortype, "__instancecheck__", lambda check: lambda cls, obj: isinstance(obj, m.Tensor))


# ``keywords`` select tests by the claim ids they check (the plugin adds claim ids to pytest's -k keywords).
def _ctc_merges_repeats(m: types.ModuleType) -> None:
    """The CTC lattice lets a label follow an equal label without a blank between them."""
    from reftorch.ops import ctc

    def make(init):
        def mutant(self, *args, **kwargs):
            init(self, *args, **kwargs)
            self.skip[:, 3::2] = True
        return mutant
    _patch(ctc._Lattice, "__init__", make)


MUTANTS: dict[str, Mutant] = {
    "view_copies": Mutant("Tensor.view returns a copy instead of a view", "views", "views.view-",
                          _view_copies),
    "float_tensor_float64": Mutant("torch.tensor infers float64 for Python floats", "tensors",
                                   "tensors.tensor-infers-default-float or tensors.default-float-dtype",
                                   _float_tensor_float64),
    "squeeze_ignores_dim": Mutant("squeeze(dim) squeezes every size-1 dim", "views", "views.squeeze-",
                                  _squeeze_ignores_dim),
    "transpose_copies": Mutant("transpose returns a contiguous copy", "views", "views.transpose-",
                               _transpose_copies),
    "sum_ignores_keepdim": Mutant("sum drops keepdim=True", "math", "math.sum-", _sum_ignores_keepdim),
    "bmm_float64": Mutant("torch.bmm returns float64 for float32 operands", "math",
                          "math.bmm- or math.mm-matrix or math.matmul-broadcasts", _bmm_float64),
    "grad_overwrites": Mutant("backward overwrites .grad instead of accumulating", "autograd",
                              "autograd.gradients-accumulate", _grad_overwrites),
    "nadam_ignores_momentum_decay": Mutant("NAdam ignores momentum_decay", "optim", "optim.builtin-optimizers-step",
                                           _nadam_ignores_momentum_decay),
    "adafactor_ignores_beta2_decay": Mutant("Adafactor ignores beta2_decay", "optim",
                                            "optim.builtin-optimizers-step", _adafactor_ignores_beta2_decay),
    "ctc_merges_repeats": Mutant("CTC lets repeated labels follow each other without a blank", "losses",
                                 "losses.ctc-loss", _ctc_merges_repeats),
    "poisson_shifts_stream": Mutant("torch.poisson draws from a shifted stream", "random",
                                    "random.manual-seed-reproducible", _poisson_shifts_stream),
    "save_unshares_storages": Mutant("torch.save writes one storage record per tensor, not per storage",
                                     "serialization", "serialization.tensor-round-trip", _save_unshares_storages),
    "loader_skips_base_seed": Mutant("a new DataLoader iterator skips torch's base-seed draw", "data",
                                     "data.seeded-shuffle", _loader_skips_base_seed),
    "legacy_type_any_dtype": Mutant("isinstance(x, torch.FloatTensor) ignores the dtype", "tensors",
                                    "tensors.legacy-type-objects", _legacy_type_any_dtype),
}
_SKIP = {"__name__", "__spec__", "__loader__", "__path__", "__file__", "__package__", "__doc__", "__cached__"}


def build(name: str) -> types.ModuleType:
    """reftorch's namespace copied into a new module, with the bug ``MUTANTS[name]`` planted."""
    import reftorch

    module = types.ModuleType(f"{__name__}.{name}", MUTANTS[name].bug)
    module.__dict__.update({k: v for k, v in vars(reftorch).items() if k not in _SKIP})
    module.__version__ = f"{getattr(reftorch, '__version__', 'unknown')}+mutant.{name}"
    MUTANTS[name].plant(module)
    return module


class _MutantFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname: str, path, target=None) -> importlib.machinery.ModuleSpec | None:
        package, _, name = fullname.rpartition(".")
        if package == __name__ and name in MUTANTS:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return build(spec.name.rpartition(".")[2])

    def exec_module(self, module: types.ModuleType) -> None:
        """Everything happened in create_module."""


if not any(isinstance(f, _MutantFinder) for f in sys.meta_path):
    sys.meta_path.append(_MutantFinder())
