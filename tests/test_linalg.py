"""Matrix products (reftorch.ops.linalg) against torch: matmul's cases and their errors, mm, bmm, mv,
dot, outer, addmm, trace and einsum (values, dtypes, shapes, strides, views, error types/messages)."""

from __future__ import annotations

import pytest
from helpers import arange_shaped, check, from_small_values, shares_storage, small_values
from hypothesis import given
from hypothesis import strategies as st

import reftorch

PRODUCT_DTYPES = ("uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64", "complex64",
                  "complex128")


_values = small_values
_t = from_small_values
_ar = arange_shaped


def _f(T, *shape, dtype=None):
    return T.ones(*shape, dtype=dtype)


# ----------------------------------------------------------------------------- matmul
batch_shapes = st.lists(st.integers(1, 3), max_size=3).map(tuple)


@given(data=st.data(), name=st.sampled_from(PRODUCT_DTYPES), n=st.integers(0, 3), k=st.integers(0, 3),
       p=st.integers(0, 3))
def test_matmul_all_rank_combinations(data, name, n, k, p):
    left_rank = data.draw(st.integers(1, 4))
    right_rank = data.draw(st.integers(1, 4))
    left_batch = data.draw(batch_shapes)[:max(left_rank - 2, 0)]
    right_batch = data.draw(batch_shapes)[:max(right_rank - 2, 0)]
    left = (k,) if left_rank == 1 else left_batch + (n, k)
    right = (k,) if right_rank == 1 else right_batch + (k, p)
    transpose_left = data.draw(st.booleans()) and len(left) >= 2
    def make_left(T):
        return _t(T, left[:-2] + left[:-3:-1], name).mT if transpose_left else _t(T, left, name)

    check(lambda T: T.matmul(make_left(T), _t(T, right, name, 1)), layout=True)


@given(name=st.sampled_from(("float32", "float64", "int64")), data=st.data())
def test_matmul_broadcasts_batch_dims(name, data):
    left_batch = data.draw(st.lists(st.integers(1, 3), min_size=1, max_size=3).map(tuple))
    tail = left_batch[-data.draw(st.integers(1, 3)):]
    right_batch = tuple(data.draw(st.sampled_from([1, s])) for s in tail)
    check(lambda T: T.matmul(_t(T, left_batch + (2, 3), name), _t(T, right_batch + (3, 2), name, 1)),
          layout=True)
    check(lambda T: _t(T, right_batch + (2, 3), name) @ _t(T, left_batch + (3, 2), name, 1), layout=True)


@pytest.mark.parametrize("call", [
    lambda T: T.matmul(_f(T, 2, 3), _f(T, 4, 5)),
    lambda T: T.matmul(T.tensor(1.0), _f(T, 2, 2)),
    lambda T: T.matmul(_f(T, 2, 2), T.tensor(1.0)),
    lambda T: T.matmul(T.tensor(1.0), T.tensor(1.0)),
    lambda T: T.matmul(_f(T, 3), _f(T, 4)),
    lambda T: T.matmul(_f(T, 3), _f(T, 4, 2)),
    lambda T: T.matmul(_f(T, 2, 3), _f(T, 4)),
    lambda T: T.matmul(_f(T, 5, 2, 3), _f(T, 4)),
    lambda T: T.matmul(_f(T, 4), _f(T, 5, 3, 2)),
    lambda T: T.matmul(_f(T, 5, 2, 3), _f(T, 4, 4)),
    lambda T: T.matmul(_f(T, 2, 3), _f(T, 5, 4, 4)),
    lambda T: T.matmul(_f(T, 5, 2, 3), _f(T, 4, 3, 4)),
    lambda T: T.matmul(_f(T, 5, 2, 2, 3), _f(T, 4, 3, 4)),
    lambda T: T.matmul(_f(T, 5, 2, 3), _f(T, 5, 4, 4)),
    lambda T: T.matmul(_f(T, 2, 3), _f(T, 3, 4, dtype=T.float64)),
    lambda T: T.matmul(_f(T, 3), _f(T, 3, dtype=T.float64)),
    lambda T: T.matmul(_f(T, 2, 3), _f(T, 3, dtype=T.float64)),
    lambda T: T.matmul(_f(T, 3), _f(T, 3, 2, dtype=T.float64)),
    lambda T: T.matmul(_f(T, 5, 2, 3), _f(T, 5, 3, 4, dtype=T.float64)),
    lambda T: T.matmul(_f(T, 5, 2, 3), _f(T, 3, 4, dtype=T.float64)),
    lambda T: T.matmul(_f(T, 2, 3, dtype=T.int64), _f(T, 3, 4)),
    lambda T: T.matmul(_f(T, 2, 3, dtype=T.bool), _f(T, 3, 4, dtype=T.bool)),
    lambda T: T.matmul(_f(T, 3, dtype=T.bool), _f(T, 3, dtype=T.bool)),
    lambda T: T.matmul(_f(T, 2, 3, 3, dtype=T.bool), _f(T, 2, 3, 3, dtype=T.bool)),
    lambda T: T.matmul(_f(T, 3), [1.0, 2.0, 3.0]),
])
def test_matmul_errors(call):
    check(call)


def test_matmul_fold_and_requires_grad_paths():
    # a left operand that requires grad makes torch fold the batched right operand into one mm
    check(lambda T: T.matmul(_f(T, 2, 3).requires_grad_(), _f(T, 5, 4, 4)))
    check(lambda T: T.matmul(_f(T, 2, 3).requires_grad_(), _ar(T, 5, 3, 4, dtype=T.float32)).detach(),
          layout=True)
    check(lambda T: T.matmul(_f(T, 5, 2, 3), _f(T, 4).requires_grad_()))
    check(lambda T: T.matmul(_f(T, 1, 2, 3).requires_grad_(), _f(T, 4, 3, 4)).detach(), layout=True)
    # non-contiguous batch dims are not folded: the batched path raises bmm's error
    check(lambda T: T.matmul(_f(T, 2, 5, 3).transpose(0, 1), _f(T, 4)))


def test_matmul_operator_protocol():
    check(lambda T: _ar(T, 2, 3, dtype=T.float32) @ _ar(T, 3, dtype=T.float32), layout=True)
    check(lambda T: _ar(T, 3, dtype=T.float32).__rmatmul__(_ar(T, 2, 3, dtype=T.float32)), layout=True)
    check(lambda T: _f(T, 2, 3) @ 2)
    check(lambda T: 2 @ _f(T, 2, 3))
    check(lambda T: [1.0, 2.0] @ T.tensor([1.0, 2.0]))
    check(lambda T: T.tensor([1.0, 2.0]).__matmul__([1.0, 2.0]))
    check(lambda T: _ar(T, 2, 3).matmul(_ar(T, 3)), layout=True)


@pytest.mark.parametrize("name", ["uint8", "int8", "int32", "int64"])
def test_integer_products_wrap_like_torch(name):
    big = {"uint8": 200, "int8": 100, "int32": 2 ** 30, "int64": 2 ** 62}[name]
    def full(T, shape, value):
        return T.full(shape, value, dtype=getattr(T, name))

    check(lambda T: T.matmul(full(T, (2, 3), big), full(T, (3, 2), 3)))
    check(lambda T: T.dot(full(T, (3,), big), full(T, (3,), big)))


# ----------------------------------------------------------------------------- mm, bmm, mv, dot
@pytest.mark.parametrize("call", [
    lambda T: T.mm(_ar(T, 2, 3, dtype=T.float32), _ar(T, 3, 4, dtype=T.float32)),
    lambda T: T.mm(_ar(T, 3, 2, dtype=T.float64).t(), _ar(T, 4, 3, dtype=T.float64).t()),
    lambda T: T.mm(_f(T, 0, 3), _f(T, 3, 2)),
    lambda T: T.mm(_f(T, 2, 0, dtype=T.int32), _f(T, 0, 2, dtype=T.int32)),
    lambda T: T.mm(_f(T, 2, 3, dtype=T.float16), _f(T, 3, 2, dtype=T.float16)),
    lambda T: _f(T, 2, 3).mm(_f(T, 3, 1)),
    lambda T: T.mm(_f(T, 2, 3), _f(T, 4, 5, dtype=T.float64)),
    lambda T: T.mm(_f(T, 2, 3, dtype=T.float64), _f(T, 3, 5)),
    lambda T: T.mm(_f(T, 2, 3), _f(T, 3)),
    lambda T: T.mm(_f(T, 3), _f(T, 3, 2)),
    lambda T: T.mm(_f(T, 2, 2, 3), _f(T, 3, 2)),
    lambda T: T.mm(_f(T, 2, 3, dtype=T.bool), _f(T, 3, 2, dtype=T.bool)),
    lambda T: T.mm(_f(T, 2, 3), [[1.0]]),
    lambda T: T.mm(_f(T, 2, 0, dtype=T.bool), _f(T, 0, 3, dtype=T.bool)),
    lambda T: T.mm(_f(T, 0, 2, dtype=T.bool), _f(T, 2, 3, dtype=T.bool)),
    lambda T: T.mm(_f(T, 2, 0), _f(T, 0, 3, dtype=T.float64)),
])
def test_mm(call):
    check(call, layout=True)


@pytest.mark.parametrize("name", PRODUCT_DTYPES + ("bool",))
def test_mm_dtype_names_in_mismatch_message(name):
    check(lambda T: T.mm(_f(T, 2, 3, dtype=getattr(T, name)), _f(T, 3, 5)))
    check(lambda T: T.mm(_t(T, (2, 3), name), _t(T, (3, 2), name, 1)), layout=True)


@pytest.mark.parametrize("call", [
    lambda T: T.bmm(_t(T, (2, 3, 4)), _t(T, (2, 4, 5), seed=1)),
    lambda T: T.bmm(_t(T, (2, 4, 3)).transpose(1, 2), _t(T, (2, 4, 5), seed=1)),
    lambda T: T.bmm(_f(T, 0, 3, 4), _f(T, 0, 4, 5)),
    lambda T: T.bmm(_t(T, (2, 3, 4), "int32"), _t(T, (2, 4, 5), "int32", 1)),
    lambda T: T.bmm(_f(T, 2, 3, 4), _f(T, 3, 4, 5)),
    lambda T: T.bmm(_f(T, 2, 3, 4), _f(T, 2, 5, 5)),
    lambda T: T.bmm(_f(T, 3, 4), _f(T, 2, 4, 5)),
    lambda T: T.bmm(_f(T, 2, 3, 4), _f(T, 4, 5)),
    lambda T: T.bmm(_f(T, 2, 3, 4), _f(T, 2, 4, 5, dtype=T.float64)),
    lambda T: T.bmm(_f(T, 2, 3, 4, dtype=T.int32), _f(T, 2, 5, 5, dtype=T.int64)),
    lambda T: T.bmm(_f(T, 2, 3, 4, dtype=T.bool), _f(T, 2, 4, 5, dtype=T.bool)),
    lambda T: T.bmm(_f(T, 1, 2, 0), _f(T, 1, 0, 3, dtype=T.float64)),
    lambda T: T.bmm(_f(T, 1, 2, 0, dtype=T.float64), _f(T, 1, 0, 3)),
    lambda T: T.bmm(_f(T, 0, 2, 3), _f(T, 0, 3, 3, dtype=T.float64)),
    lambda T: T.bmm(_f(T, 1, 0, 3, dtype=T.bool), _f(T, 1, 3, 3, dtype=T.bool)),
    lambda T: T.matmul(_f(T, 2, 2, 0), _f(T, 2, 0, 3, dtype=T.float64)),
])
def test_bmm(call):
    check(call, layout=True)


@pytest.mark.parametrize("call", [
    lambda T: T.mv(_t(T, (2, 3)), _t(T, (3,), seed=1)),
    lambda T: T.mv(_t(T, (3, 2), "int64").t(), _t(T, (3,), "int64", 1)),
    lambda T: T.mv(_f(T, 2, 3), _f(T, 4)),
    lambda T: T.mv(_f(T, 2, 3), _f(T, 3, 1)),
    lambda T: T.mv(_f(T, 3), _f(T, 3)),
    lambda T: T.mv(T.tensor(1.0), _f(T, 3)),
    lambda T: T.mv(_f(T, 2, 3), T.tensor(1.0)),
    lambda T: T.mv(_f(T, 2, 3), _f(T, 3, dtype=T.float64)),
    lambda T: T.mv(_f(T, 2, 3, dtype=T.float64), _f(T, 3)),
    lambda T: T.mv(_f(T, 2, 3, dtype=T.float64), _f(T, 4)),
    lambda T: T.mv(_f(T, 2, 3, dtype=T.bool), _f(T, 3, dtype=T.bool)),
    lambda T: T.mv(_f(T, 2, 3, dtype=T.bool), _f(T, 4, dtype=T.bool)),
    lambda T: T.mv(_f(T, 2, 0, dtype=T.bool), _f(T, 0, dtype=T.bool)),
    lambda T: T.mv(_f(T, 0, 2, dtype=T.bool), _f(T, 2, dtype=T.bool)),
    lambda T: T.mv(_f(T, 2, 0), _f(T, 0, dtype=T.float64)),
])
def test_mv(call):
    check(call, layout=True)


@pytest.mark.parametrize("call", [
    lambda T: T.dot(_t(T, (3,)), _t(T, (3,), seed=1)),
    lambda T: T.dot(T.tensor([1 + 2j]), T.tensor([1 + 2j])),
    lambda T: T.dot(_f(T, 0), _f(T, 0)),
    lambda T: T.dot(_f(T, 0, dtype=T.int64), _f(T, 0, dtype=T.int64)),
    lambda T: T.dot(_f(T, 3, dtype=T.float16), _f(T, 3, dtype=T.float16)),
    lambda T: T.dot(_f(T, 3), _f(T, 4)),
    lambda T: T.dot(_f(T, 3), _f(T, 4, dtype=T.float64)),
    lambda T: T.dot(_f(T, 3, dtype=T.int32), _f(T, 3, dtype=T.float64)),
    lambda T: T.dot(_f(T, 2, 2), _f(T, 2, 2)),
    lambda T: T.dot(T.tensor(1.0), _f(T, 3)),
    lambda T: T.dot(_f(T, 3, dtype=T.bool), _f(T, 3, dtype=T.bool)),
    lambda T: T.dot(_f(T, 3, dtype=T.bool), _f(T, 4, dtype=T.bool)),
    lambda T: _f(T, 3).dot(_f(T, 3)),
    lambda T: T.dot(_f(T, 0, dtype=T.bool), _f(T, 0, dtype=T.bool)),
])
def test_dot(call):
    check(call, layout=True)


@pytest.mark.parametrize("call", [
    lambda T: T.outer(T.tensor([1, 2]), T.tensor([1.0, 2.0, 3.0])),
    lambda T: T.outer(T.tensor([1, 2]), T.tensor([True])),
    lambda T: T.outer(T.tensor([True]), T.tensor([True])),
    lambda T: T.outer(_f(T, 0), _f(T, 3)),
    lambda T: T.ger(_f(T, 2), _f(T, 2)),
    lambda T: _f(T, 2).outer(_f(T, 3)),
    lambda T: T.outer(_f(T, 2, 2), _f(T, 2)),
    lambda T: T.outer(_f(T, 2), _f(T, 2, 2)),
    lambda T: T.outer(T.tensor(1.0), _f(T, 2)),
    lambda T: T.outer(_f(T, 2), T.tensor(1.0, dtype=T.float64)),
])
def test_outer(call):
    check(call, layout=True)


# ----------------------------------------------------------------------------- addmm
@pytest.mark.parametrize("call", [
    lambda T: T.addmm(_t(T, (2, 4)), _t(T, (2, 3), seed=1), _t(T, (3, 4), seed=2)),
    lambda T: T.addmm(_t(T, (4,)), _t(T, (2, 3), seed=1), _t(T, (3, 4), seed=2)),
    lambda T: T.addmm(T.tensor(1.0), _f(T, 2, 3), _f(T, 3, 4)),
    lambda T: T.addmm(_f(T, 1, 1), _f(T, 2, 3), _f(T, 3, 4)),
    lambda T: T.addmm(_f(T, 2, 4), _f(T, 2, 3), _f(T, 3, 4), beta=2, alpha=3),
    lambda T: T.addmm(_f(T, 2, 4), _f(T, 2, 3), _f(T, 3, 4), beta=0.5, alpha=0.5),
    lambda T: T.addmm(T.full((2, 4), float("nan")), _f(T, 2, 3), _f(T, 3, 4), beta=0),
    lambda T: T.addmm(_f(T, 2, 4), _f(T, 2, 3), _f(T, 3, 4), beta=T.tensor(2.0)),
    lambda T: T.addmm(_f(T, 2, 4), _f(T, 2, 0), _f(T, 0, 4), beta=2),
    lambda T: T.addmm(_f(T, 4, 2).t(), _f(T, 4, 3), _f(T, 3, 2)),
    lambda T: T.addmm(_t(T, (2, 4), "int64"), _t(T, (2, 3), "int64", 1), _t(T, (3, 4), "int64", 2), beta=0.5),
    lambda T: T.addmm(_t(T, (2, 4), "int64"), _t(T, (2, 3), "int64", 1), _t(T, (3, 4), "int64", 2), alpha=2,
                      beta=3),
    lambda T: T.addmm(_f(T, 2, 4, dtype=T.uint8), _f(T, 2, 3, dtype=T.uint8), _f(T, 3, 4, dtype=T.uint8),
                      beta=-1),
    lambda T: T.addmm(_t(T, (2, 4), "complex64"), _t(T, (2, 3), "complex64", 1),
                      _t(T, (3, 4), "complex64", 2), alpha=1j),
    lambda T: T.addmm(_t(T, (2, 4), "float16"), _t(T, (2, 3), "float16", 1), _t(T, (3, 4), "float16", 2)),
    lambda T: _f(T, 2, 4).addmm(_f(T, 2, 3), _f(T, 3, 4), beta=2),
])
def test_addmm(call):
    check(call, layout=True)


@pytest.mark.parametrize("call", [
    lambda T: T.addmm(_f(T, 3), _f(T, 2, 3), _f(T, 3, 4)),
    lambda T: T.addmm(_f(T, 2, 4, 1), _f(T, 2, 3), _f(T, 3, 4)),
    lambda T: T.addmm(_f(T, 2, 4, dtype=T.float64), _f(T, 2, 3), _f(T, 3, 4)),
    lambda T: T.addmm(_f(T, 2, 4), _f(T, 2, 3, dtype=T.float64), _f(T, 3, 4)),
    lambda T: T.addmm(_f(T, 2, 4), _f(T, 2, 3), _f(T, 3, 4, dtype=T.float64)),
    lambda T: T.addmm(_f(T, 2, 4, dtype=T.float64), _f(T, 3), _f(T, 3, 4)),
    lambda T: T.addmm(_f(T, 2, 4), _f(T, 2, 3), _f(T, 4, 4)),
    lambda T: T.addmm(_f(T, 2, 4), _f(T, 3), _f(T, 3, 4)),
    lambda T: T.addmm(_f(T, 2, 4), _f(T, 2, 3), _f(T, 3)),
    lambda T: T.addmm(_f(T, 2, 4, dtype=T.bool), _f(T, 2, 3, dtype=T.bool), _f(T, 3, 4, dtype=T.bool)),
    lambda T: T.addmm(_f(T, 2, 3, dtype=T.bool), _f(T, 2, 0, dtype=T.bool), _f(T, 0, 3, dtype=T.bool)),
    lambda T: T.addmm(_f(T, 0, 3, dtype=T.bool), _f(T, 0, 2, dtype=T.bool), _f(T, 2, 3, dtype=T.bool)),
    lambda T: T.addmm(_f(T, 2, 4), _f(T, 2, 3), _f(T, 3, 4), beta=1 + 1j),
    lambda T: T.addmm(_f(T, 2, 4, dtype=T.uint8), _f(T, 2, 3, dtype=T.uint8), _f(T, 3, 4, dtype=T.uint8),
                      beta=-1.5),
    lambda T: T.addmm(_f(T, 2, 4, dtype=T.uint8), _f(T, 2, 3, dtype=T.uint8), _f(T, 3, 4, dtype=T.uint8),
                      alpha=256),
])
def test_addmm_errors(call):
    check(call)


def test_addmm_inplace():
    def inplace(T, base, *args, **kwargs):
        assert base.addmm_(*args, **kwargs) is base
        return base

    check(lambda T: inplace(T, _t(T, (2, 4)), _t(T, (2, 3), seed=1), _t(T, (3, 4), seed=2), alpha=2),
          layout=True)
    check(lambda T: inplace(T, _t(T, (4, 2)).t(), _t(T, (2, 3), seed=1), _t(T, (3, 4), seed=2)), layout=True)
    check(lambda T: _f(T, 4).addmm_(_f(T, 2, 3), _f(T, 3, 4)))


# ----------------------------------------------------------------------------- trace
@pytest.mark.parametrize("name", PRODUCT_DTYPES + ("bool",))
def test_trace(name):
    check(lambda T: T.trace(_t(T, (3, 4), name)), layout=True)
    check(lambda T: _t(T, (4, 3), name).t().trace(), layout=True)
    check(lambda T: T.trace(T.zeros(0, 3, dtype=getattr(T, name))), layout=True)


def test_trace_errors():
    check(lambda T: T.trace(_f(T, 3)))
    check(lambda T: T.trace(_f(T, 2, 2, 2)))
    check(lambda T: T.trace(T.tensor(1.0)))


# ----------------------------------------------------------------------------- einsum
EQUATIONS = [
    ("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,jk", [(2, 3), (3, 4)]), ("ii", [(3, 3)]), ("ii->i", [(3, 3)]),
    ("ij->ji", [(2, 3)]), ("ij", [(2, 3)]), ("ji", [(2, 3)]), ("ij->", [(2, 3)]), ("i,i", [(3,), (3,)]),
    ("i,j", [(3,), (2,)]), ("...ij,...jk", [(5, 2, 3), (3, 4)]),
    ("...ij,...jk->...ik", [(5, 2, 3), (5, 3, 4)]), ("b...,b...->b", [(5, 2, 3), (5, 2, 3)]),
    ("i...->...", [(5, 2, 3)]), ("...", [(5, 2, 3)]), ("ba", [(2, 3)]),
    ("i j , j k -> i k", [(2, 3), (3, 4)]),
    ("Ij,jK->IK", [(2, 3), (3, 4)]), ("ij,jk->ki", [(2, 3), (3, 4)]), ("ij,kj->ik", [(2, 3), (2, 3)]),
    ("ij,ij->ji", [(2, 3), (2, 3)]), ("ij,j->", [(2, 3), (3,)]), ("ij,j->i", [(2, 3), (3,)]),
    ("ij,k->i", [(2, 3), (3,)]), ("ij,k->ik", [(2, 3), (3,)]), ("ij,j->ij", [(2, 3), (3,)]),
    ("...i,...i", [(2, 3), (4, 1, 3)]), ("i...->", [(2, 3)]), ("ij->...", [(2, 3)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]), ("i,i,i->", [(2,), (2,), (2,)]), ("iij->j", [(3, 3, 2)]),
    ("bij,bjk->bik", [(2, 2, 3), (1, 3, 4)]), ("bij,bjk->kbi", [(2, 2, 3), (2, 3, 4)]),
    ("ij,ij,ij->", [(2, 3), (1, 3), (2, 1)]), ("", [()]), ("->", [()]), (",->", [(), ()]),
    ("ij,jk->ik", [(2, 0), (0, 3)]), ("ij->i", [(2, 0)]), ("aab,bc->ac", [(2, 2, 3), (3, 1)]),
]


@pytest.mark.parametrize("equation,shapes_", EQUATIONS)
@pytest.mark.parametrize("names", [("float32", "float32", "float32"), ("int32", "int32", "int32"),
                                   ("float64", "float64", "float64"), ("bool", "bool", "bool"),
                                   ("int64", "int32", "int64"), ("float32", "float64", "float32"),
                                   ("float16", "float16", "float16"), ("complex64", "float32", "complex64")])
def test_einsum(equation, shapes_, names):
    check(lambda T: T.einsum(equation, *[_t(T, s, n, i) for i, (s, n) in enumerate(zip(shapes_, names))]),
          layout=True)


def test_einsum_operand_forms_and_views():
    check(lambda T: T.einsum("ij,jk", [_t(T, (2, 3)), _t(T, (3, 4), seed=1)]), layout=True)
    check(lambda T: T.einsum("ij,jk", (_t(T, (2, 3)), _t(T, (3, 4), seed=1))), layout=True)
    check(lambda T: T.einsum(_t(T, (2, 3)), [0, 1], [1, 0]), layout=True)
    check(lambda T: T.einsum(_t(T, (2, 3)), [0, 1], _t(T, (3, 4), seed=1), [1, 2], [0, 2]), layout=True)
    check(lambda T: T.einsum(_t(T, (2, 3)), [0, ...], [...]), layout=True)
    check(lambda T: T.einsum(_t(T, (2, 3)), [0, 1], _t(T, (3, 4), seed=1), [1, 2]), layout=True)
    x = reftorch.arange(9.0).reshape(3, 3)
    assert shares_storage(x, reftorch.einsum("ii->i", x)) and shares_storage(x, reftorch.einsum("ij->ji", x))
    assert not shares_storage(x, reftorch.einsum("ij->i", x))


@pytest.mark.parametrize("call", [
    lambda T: T.einsum("ij,jk->ik", _f(T, 2, 3), _f(T, 4, 4)),
    lambda T: T.einsum("ij,jk->ik", _f(T, 2, 3)),
    lambda T: T.einsum("ij->ik", _f(T, 2, 3)),
    lambda T: T.einsum("ij->ii", _f(T, 2, 3)),
    lambda T: T.einsum("ijk", _f(T, 2, 3)),
    lambda T: T.einsum("i", _f(T, 2, 3)),
    lambda T: T.einsum("i1", _f(T, 2, 3)),
    lambda T: T.einsum("ij->", _f(T, 2, 3), _f(T, 2, 3)),
    lambda T: T.einsum("ij", _f(T, 2, 3), _f(T, 2, 3)),
    lambda T: T.einsum("..i", _f(T, 2, 3)),
    lambda T: T.einsum("i...j...", _f(T, 2, 3)),
    lambda T: T.einsum("ij->j->i", _f(T, 2, 3)),
    lambda T: T.einsum("ii", _f(T, 2, 3)),
    lambda T: T.einsum("i,i", _f(T, 2), _f(T, 3)),
    lambda T: T.einsum("...i,...i", _f(T, 2, 3), _f(T, 4, 5, 3)),
    lambda T: T.einsum("ij->.", _f(T, 2, 3)),
    lambda T: T.einsum("ij->i...j...", _f(T, 2, 3)),
    lambda T: T.einsum("ij->i1", _f(T, 2, 3)),
    lambda T: T.einsum("i...j", _f(T, 2)),
    lambda T: T.einsum("ij"),
    lambda T: T.einsum("ij", []),
    lambda T: T.einsum(1, _f(T, 2, 3)),
    lambda T: T.einsum("ij", _f(T, 2, 3), 1),
    lambda T: T.einsum(_f(T, 2, 3), [0, 60]),
    lambda T: T.einsum("ij,jk->ik", _f(T, 2, 3), _f(T, 3, 4, dtype=T.float64)),
    lambda T: T.einsum("ij,jk->ik", _f(T, 2, 3, dtype=T.bool), _f(T, 3, 4, dtype=T.bool)),
    lambda T: T.einsum("ij,j->", _f(T, 2, 3, dtype=T.int32), _f(T, 3, dtype=T.int32)),
])
def test_einsum_errors(call):
    check(call)


@pytest.mark.parametrize("call", [
    lambda T: T.dot(_f(T, 2), other=_f(T, 2)),
    lambda T: T.dot(_f(T, 2), tensor=_f(T, 2)),
    lambda T: T.ger(_f(T, 2), 1),
    lambda T: T.mm(_f(T, 2, 2), "a"),
    lambda T: T.addmm(_f(T, 2, 2), _f(T, 2, 2), _f(T, 2, 2), beta="a"),
    lambda T: _f(T, 2, 2).addmm_(_f(T, 2, 2), "a"),
    lambda T: T.einsum(3, _f(T, 2)),
    lambda T: T.einsum("i,i", _f(T, 2), 3),
    lambda T: T.einsum("i,i", [_f(T, 2), 3]),
])
def test_argument_errors_are_torchs(call):
    """The TypeErrors of torch's bindings (and of torch/functional.py's ``einsum`` over ``_VF.einsum``)."""
    check(call)


@pytest.mark.parametrize("name", ["mm", "bmm", "addmm"])
def test_out_dtype_overloads_have_no_cpu_kernel(name):
    """``mm``/``bmm``/``addmm`` with an ``out_dtype`` parse, then fail as torch's CPU build does (its
    message lists the dispatch keys of that build)."""
    shape = (1, 2, 2) if name == "bmm" else (2, 2)
    operands = {"addmm": 3}.get(name, 2)
    check(lambda T: getattr(T, name)(*[_f(T, *shape)] * operands, T.float64), message=False)
