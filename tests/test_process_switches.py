"""The process-wide switches scripts set, differential against torch: threads, determinism, float32 matmul
precision and the CPU build's backend flags (cudnn, cuda.matmul, mps)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest
import torch

import reftorch
from tests.helpers import check


@pytest.fixture
def restored() -> Iterator[None]:
    """Each library's switches put back as they were (they are process-wide)."""
    threads = {T: T.get_num_threads() for T in (torch, reftorch)}
    precision = {T: T.get_float32_matmul_precision() for T in (torch, reftorch)}
    yield
    for T in (torch, reftorch):
        T.set_num_threads(threads[T])
        T.set_float32_matmul_precision(precision[T])
        T.use_deterministic_algorithms(False)


@pytest.mark.parametrize("n", [1, 2])
def test_set_num_threads_is_read_back(restored: None, n: int) -> None:
    check(lambda T: (T.set_num_threads(n), T.get_num_threads()))


def test_set_num_threads_limits_numpys_blas_pool(restored: None) -> None:
    from threadpoolctl import threadpool_info

    reftorch.set_num_threads(1)
    assert {pool["num_threads"] for pool in threadpool_info()} == {1}


@pytest.mark.parametrize("value", [0, -1, 1.5, "2", True, None])
def test_set_num_threads_errors(restored: None, value: Any) -> None:
    check(lambda T: T.set_num_threads(value))


@pytest.mark.parametrize(("mode", "warn_only"), [(True, False), (True, True), (False, False)])
def test_use_deterministic_algorithms(restored: None, mode: bool, warn_only: bool) -> None:
    check(lambda T: (T.use_deterministic_algorithms(mode, warn_only=warn_only),
                     T.are_deterministic_algorithms_enabled(), T.is_deterministic_algorithms_warn_only_enabled()))


@pytest.mark.parametrize("call", [
    pytest.param(lambda T: T.use_deterministic_algorithms("yes"), id="mode-str"),
    pytest.param(lambda T: T.use_deterministic_algorithms(1), id="mode-int"),
    pytest.param(lambda T: T.use_deterministic_algorithms(True, warn_only=1), id="warn_only-int"),
])
def test_use_deterministic_algorithms_errors(restored: None, call: Any) -> None:
    check(call)


def test_deterministic_defaults() -> None:
    check(lambda T: (T.are_deterministic_algorithms_enabled(), T.is_deterministic_algorithms_warn_only_enabled(),
                     T.get_float32_matmul_precision()))


@pytest.mark.parametrize("precision", ["highest", "high", "medium"])
def test_float32_matmul_precision_is_read_back(restored: None, precision: str) -> None:
    check(lambda T: (T.set_float32_matmul_precision(precision), T.get_float32_matmul_precision()))


def test_float32_matmul_precision_unknown_name_warns_and_keeps(restored: None) -> None:
    def program(T: Any) -> Any:
        T.set_float32_matmul_precision("high")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            T.set_float32_matmul_precision("bogus")
        return [(w.category, str(w.message).split(" (Triggered")[0]) for w in caught], \
            T.get_float32_matmul_precision()

    check(program)


def test_float32_matmul_precision_wrong_type(restored: None) -> None:
    check(lambda T: T.set_float32_matmul_precision(3))


def test_backend_flag_defaults() -> None:
    check(lambda T: (T.backends.cudnn.is_available(), T.backends.cudnn.version(), T.backends.cudnn.enabled,
                     T.backends.cudnn.benchmark, T.backends.cudnn.deterministic, T.backends.cudnn.allow_tf32,
                     T.backends.cuda.is_built(), T.backends.cuda.matmul.allow_tf32, T.backends.mps.is_available(),
                     T.backends.mps.is_built()))


@pytest.mark.parametrize("flag", ["benchmark", "deterministic"])
def test_cudnn_flags_are_stored(flag: str) -> None:
    def program(T: Any) -> Any:
        before = getattr(T.backends.cudnn, flag)
        setattr(T.backends.cudnn, flag, True)
        try:
            return getattr(T.backends.cudnn, flag), T.are_deterministic_algorithms_enabled()
        finally:
            setattr(T.backends.cudnn, flag, before)

    check(program)
