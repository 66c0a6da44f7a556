"""torch's legacy type objects (``torch.FloatTensor``, ``torch.cuda.LongTensor``...) and ``torch.cuda`` on a
build without CUDA, differential against the installed (CPU) torch."""

from __future__ import annotations

import sys
from typing import Any

import pytest
import torch

import reftorch
from tests.helpers import check

NAMES = ["FloatTensor", "DoubleTensor", "HalfTensor", "BFloat16Tensor", "ByteTensor", "CharTensor", "ShortTensor",
         "IntTensor", "LongTensor", "BoolTensor"]
STORABLE = [n for n in NAMES if n != "BFloat16Tensor"]  # reftorch's array backends have no bfloat16


@pytest.mark.parametrize("name", NAMES)
def test_legacy_type_attributes(name: str) -> None:
    check(lambda T: (getattr(T, name).dtype, getattr(T, name).is_cuda, getattr(T, name).is_sparse,
                     str(getattr(T, name).layout), getattr(T.cuda, name).dtype, getattr(T.cuda, name).is_cuda,
                     getattr(T, name).__name__))


@pytest.mark.parametrize("name", STORABLE)
@pytest.mark.parametrize("make", [
    pytest.param(lambda cls, T: cls(2, 3).shape, id="sizes"),
    pytest.param(lambda cls, T: cls([1, 0, 2]), id="data"),
    pytest.param(lambda cls, T: cls(), id="empty"),
    pytest.param(lambda cls, T: cls(T.Size([2])).shape, id="size"),
])
def test_legacy_constructors(name: str, make: Any) -> None:
    check(lambda T: make(getattr(T, name), T))


@pytest.mark.parametrize("fn", [
    pytest.param(lambda T: T.FloatTensor(T.zeros(2)), id="alias-same-dtype"),
    pytest.param(lambda T: T.FloatTensor(T.zeros(2, dtype=T.float64)), id="alias-other-dtype"),
    pytest.param(lambda T: T.FloatTensor([1, 2], dtype=T.float64), id="dtype-keyword"),
    pytest.param(lambda T: T.LongTensor(2, device="cuda"), id="cuda-device"),
    pytest.param(lambda T: T.cuda.FloatTensor(2), id="cuda-type"),
    pytest.param(lambda T: T.IntTensor("ab"), id="string-data"),
])
def test_legacy_constructor_errors(fn: Any) -> None:
    check(fn)


def test_bfloat16_legacy_type_exists_but_cannot_store() -> None:
    assert isinstance(reftorch.BFloat16Tensor, reftorch.tensortype)
    with pytest.raises(NotImplementedError, match="bfloat16"):
        reftorch.BFloat16Tensor(2)


@pytest.mark.parametrize("name", STORABLE)
def test_isinstance_and_type_conversions(name: str) -> None:
    def program(T: Any) -> Any:
        cls = getattr(T, name)
        x = T.tensor([1.5, -2.0])
        y = x.type(cls)
        return (isinstance(x, cls), isinstance(y, cls), isinstance(y, getattr(T.cuda, name)), y, y.type(),
                x.type(f"torch.{name}").dtype, type(y) is T.Tensor,
                issubclass(cls, T.Tensor))

    check(program)


def test_type_to_the_same_legacy_type_returns_self() -> None:
    check(lambda T: (lambda x: x.type(T.FloatTensor) is x)(T.zeros(2)))


def test_type_to_a_cuda_legacy_type_raises() -> None:
    check(lambda T: T.zeros(2).type(T.cuda.FloatTensor), message=False)  # both RuntimeError; torch's is longer


# ------------------------------------------------------------------------------------------------ torch.cuda

@pytest.mark.parametrize("fn", [
    pytest.param(lambda T: T.cuda.is_available(), id="is_available"),
    pytest.param(lambda T: T.cuda.device_count(), id="device_count"),
    pytest.param(lambda T: T.cuda.is_initialized(), id="is_initialized"),
    pytest.param(lambda T: T.cuda.manual_seed(3), id="manual_seed"),
    pytest.param(lambda T: T.cuda.manual_seed_all(3), id="manual_seed_all"),
    pytest.param(lambda T: T.cuda.seed(), id="seed"),
    pytest.param(lambda T: T.cuda.seed_all(), id="seed_all"),
    pytest.param(lambda T: T.cuda.empty_cache(), id="empty_cache"),
    pytest.param(lambda T: T.cuda.memory_allocated(), id="memory_allocated"),
    pytest.param(lambda T: T.cuda.max_memory_allocated(), id="max_memory_allocated"),
    pytest.param(lambda T: T.cuda.memory_reserved(), id="memory_reserved"),
    pytest.param(lambda T: T.cuda.is_bf16_supported(), id="is_bf16_supported"),
    pytest.param(lambda T: T.cuda.synchronize(), id="synchronize"),
    pytest.param(lambda T: T.cuda.init(), id="init"),
    pytest.param(lambda T: T.cuda.current_device(), id="current_device"),
    pytest.param(lambda T: T.cuda.get_device_name(), id="get_device_name"),
    pytest.param(lambda T: T.cuda.get_device_capability(), id="get_device_capability"),
    pytest.param(lambda T: T.cuda.get_device_properties(0), id="get_device_properties"),
    pytest.param(lambda T: T.cuda.initial_seed(), id="initial_seed"),
    pytest.param(lambda T: T.cuda.get_rng_state(), id="get_rng_state"),
])
def test_cuda_namespace_as_a_cpu_build(fn: Any) -> None:
    check(fn)


def test_cuda_seeding_leaves_the_cpu_stream_alone() -> None:
    def program(T: Any) -> Any:
        T.manual_seed(5)
        T.cuda.manual_seed_all(123)
        return T.rand(3)

    check(program)


def test_storage_getsizeof_counts_its_bytes() -> None:
    """torchinfo's "Input size (MB)" is ``sys.getsizeof(tensor.untyped_storage())``."""
    def grows(T: Any) -> int:
        return sys.getsizeof(T.zeros(1000).untyped_storage()) - sys.getsizeof(T.zeros(0).untyped_storage())

    assert grows(reftorch) == grows(torch) == 4000
