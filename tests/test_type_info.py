"""``finfo`` / ``iinfo`` against torch: every attribute, the repr, equality, the default dtype and the
errors for the wrong kind of dtype or argument."""

from __future__ import annotations

import pytest
from helpers import check

FLOATING = ["float16", "bfloat16", "float32", "float64", "complex64", "complex128"]
INTEGER = ["uint8", "int8", "int16", "int32", "int64"]


def _finfo(T, name):
    info = T.finfo(getattr(T, name))
    return [info.bits, info.eps, info.max, info.min, info.tiny, info.smallest_normal, info.resolution, info.dtype,
            repr(info), str(info), info == T.finfo(getattr(T, name))]


def _iinfo(T, name):
    info = T.iinfo(getattr(T, name))
    return [info.bits, info.max, info.min, info.dtype, repr(info), info == T.iinfo(getattr(T, name))]


@pytest.mark.parametrize("name", FLOATING)
def test_finfo(name: str) -> None:
    check(lambda T: _finfo(T, name))


@pytest.mark.parametrize("name", INTEGER)
def test_iinfo(name: str) -> None:
    check(lambda T: _iinfo(T, name))


def test_finfo_of_the_default_dtype() -> None:
    check(lambda T: repr(T.finfo()))


@pytest.mark.parametrize("call", [
    lambda T: T.finfo(T.int32), lambda T: T.finfo(T.bool), lambda T: T.iinfo(T.float32), lambda T: T.iinfo(T.bool),
    lambda T: T.finfo("float32"), lambda T: T.iinfo(), lambda T: T.iinfo(T.complex64), lambda T: T.finfo(3),
])
def test_wrong_kinds_of_dtype(call) -> None:
    check(call)
