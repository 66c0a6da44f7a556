"""Autograd of the matrix products against torch: grad_fn trees for every ``matmul`` dispatch case
and the common ``einsum`` equations, gradients, gradcheck, and double backward (create_graph)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from helpers import assert_same
from hypothesis import given
from hypothesis import strategies as st
from test_joining_grad import LEAF_ERROR, LIBS, _random, check_grad, check_gradcheck

import reftorch

CASES = {
    "mm": (lambda L, a, b: L.mm(a, b), [(3, 4), (4, 5)]),
    "mm_method": (lambda L, a, b: a.mm(b.t()), [(3, 4), (5, 4)]),
    "bmm": (lambda L, a, b: L.bmm(a, b), [(2, 3, 4), (2, 4, 5)]),
    "mv": (lambda L, a, b: L.mv(a, b), [(3, 4), (4,)]),
    "dot": (lambda L, a, b: L.dot(a, b), [(4,), (4,)]),
    "outer": (lambda L, a, b: L.outer(a, b), [(3,), (4,)]),
    "ger": (lambda L, a, b: a.ger(b), [(3,), (4,)]),
    "addmm": (lambda L, c, a, b: L.addmm(c, a, b), [(3, 5), (3, 4), (4, 5)]),
    "addmm_scaled": (lambda L, c, a, b: L.addmm(c, a, b, beta=0.5, alpha=-2), [(3, 5), (3, 4), (4, 5)]),
    "addmm_beta0": (lambda L, c, a, b: L.addmm(c, a, b, beta=0), [(3, 5), (3, 4), (4, 5)]),
    "addmm_broadcast_row": (lambda L, c, a, b: L.addmm(c, a, b), [(5,), (3, 4), (4, 5)]),
    "addmm_broadcast_column": (lambda L, c, a, b: c.addmm(a, b, alpha=3), [(3, 1), (3, 4), (4, 5)]),
    "addmm_inplace": (lambda L, c, a, b: c.clone().addmm_(a, b, beta=2), [(3, 5), (3, 4), (4, 5)]),
    "trace": (lambda L, a: L.trace(a), [(3, 3)]),
    "trace_wide": (lambda L, a: a.trace(), [(2, 4)]),
    "trace_tall": (lambda L, a: a.trace(), [(4, 2)]),
    "matmul_1d_1d": (lambda L, a, b: L.matmul(a, b), [(4,), (4,)]),
    "matmul_2d_1d": (lambda L, a, b: L.matmul(a, b), [(3, 4), (4,)]),
    "matmul_1d_2d": (lambda L, a, b: L.matmul(a, b), [(4,), (4, 5)]),
    "matmul_2d_2d": (lambda L, a, b: a @ b, [(3, 4), (4, 5)]),
    "matmul_3d_2d_folds": (lambda L, a, b: L.matmul(a, b), [(2, 3, 4), (4, 5)]),
    "matmul_3d_1d_folds": (lambda L, a, b: L.matmul(a, b), [(2, 3, 4), (4,)]),
    "matmul_2d_3d_transposed_fold": (lambda L, a, b: L.matmul(a, b), [(3, 4), (2, 4, 5)]),
    "matmul_1d_3d": (lambda L, a, b: L.matmul(a, b), [(4,), (2, 4, 5)]),
    "matmul_1d_4d": (lambda L, a, b: L.matmul(a, b), [(4,), (2, 2, 4, 5)]),
    "matmul_4d_1d": (lambda L, a, b: L.matmul(a, b), [(2, 2, 3, 4), (4,)]),
    "matmul_3d_3d_bmm": (lambda L, a, b: L.matmul(a, b), [(2, 3, 4), (2, 4, 5)]),
    "matmul_batch1_left_squeezes": (lambda L, a, b: L.matmul(a, b), [(1, 3, 4), (2, 4, 5)]),
    "matmul_batch1_right_squeezes": (lambda L, a, b: L.matmul(a, b), [(2, 3, 4), (1, 4, 5)]),
    "matmul_4d_3d_broadcast": (lambda L, a, b: L.matmul(a, b), [(2, 2, 3, 4), (2, 4, 5)]),
    "matmul_broadcast_batch": (lambda L, a, b: L.matmul(a, b), [(2, 1, 3, 4), (3, 4, 5)]),
    "einsum_mm": (lambda L, a, b: L.einsum("ij,jk->ik", a, b), [(3, 4), (4, 5)]),
    "einsum_bmm": (lambda L, a, b: L.einsum("bij,bjk->bik", a, b), [(2, 3, 4), (2, 4, 5)]),
    "einsum_diagonal": (lambda L, a: L.einsum("ii->i", a), [(3, 3)]),
    "einsum_transpose": (lambda L, a: L.einsum("ij->ji", a), [(3, 4)]),
    "einsum_dot": (lambda L, a, b: L.einsum("i,i->", a, b), [(4,), (4,)]),
    "einsum_sum": (lambda L, a: L.einsum("ij->", a), [(3, 4)]),
    "einsum_mv": (lambda L, a, b: L.einsum("ij,j->i", a, b), [(3, 4), (4,)]),
    "einsum_outer": (lambda L, a, b: L.einsum("i,j->ij", a, b), [(3,), (4,)]),
    "einsum_batch_matrix": (lambda L, a, b: L.einsum("bij,jk->bik", a, b), [(2, 3, 4), (4, 5)]),
    "einsum_rowwise_dot": (lambda L, a, b: L.einsum("ij,ij->i", a, b), [(3, 4), (3, 4)]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_grad_fn_and_gradients_match_torch(name):
    fn, shapes = CASES[name]
    check_grad(fn, shapes)


@pytest.mark.parametrize("name", ["mm", "bmm", "mv", "dot", "addmm_scaled", "addmm_broadcast_row",
                                  "trace_wide", "matmul_1d_2d", "matmul_3d_2d_folds",
                                  "matmul_2d_3d_transposed_fold", "matmul_4d_3d_broadcast", "einsum_mm",
                                  "einsum_diagonal", "addmm_inplace"])
def test_gradcheck(name):
    fn, shapes = CASES[name]
    check_gradcheck(fn, shapes)


@pytest.mark.parametrize("name", ["mm", "bmm", "mv", "dot", "addmm_scaled", "trace", "matmul_1d_2d",
                                  "matmul_3d_3d_bmm", "einsum_mm"])
def test_complex_gradients(name):
    fn, shapes = CASES[name]
    check_grad(fn, shapes, dtype="complex128")


@pytest.mark.parametrize("name", ["mm", "matmul_3d_2d_folds", "addmm"])
def test_float32_gradients(name):
    fn, shapes = CASES[name]
    check_grad(fn, shapes, dtype="float32")


def test_column_major_operands_get_column_major_gradients():
    """torch's mm backward computes the gradient of a column-major operand transposed."""
    rng = np.random.default_rng(5)
    arrays = [_random(s, "float64", rng) for s in [(4, 3), (5, 4), (3, 5), (3, 5)]]
    results = []
    for lib in LIBS:
        a, b, c = (lib.from_numpy(x.copy()).requires_grad_() for x in arrays[:3])
        for product in (lib.mm, lambda x, y, lib=lib, c=c: lib.addmm(c, x, y, alpha=2), lib.matmul):
            x, y = a.t(), b.t()
            results.append(lib.autograd.grad(product(x, y), (x, y), lib.from_numpy(arrays[3].copy())))
    half = len(results) // 2
    for ours, theirs in zip(results[half:], results[:half]):
        assert_same(list(ours), list(theirs), layout=True)


@pytest.mark.parametrize("requires", [(True, False), (False, True)])
@pytest.mark.parametrize("name", ["mm", "bmm", "mv", "dot", "matmul_1d_2d", "matmul_3d_2d_folds",
                                  "matmul_2d_3d_transposed_fold", "matmul_3d_3d_bmm"])
def test_one_operand_without_grad(name, requires):
    fn, shapes = CASES[name]
    check_grad(fn, shapes, requires=requires)


def test_addmm_partial_requires_grad():
    fn, shapes = CASES["addmm_scaled"]
    for requires in [(True, False, False), (False, True, False), (False, False, True), (True, True, False)]:
        check_grad(fn, shapes, requires=requires)


def test_folding_follows_requires_grad_and_contiguity():
    """A non-contiguous batched operand is folded only when the other operand requires grad."""
    def fn(L, a, b):
        return L.matmul(a.transpose(0, 2), b)

    check_grad(fn, [(4, 3, 2), (4, 5)], requires=[True, True])
    check_grad(lambda L, a, b: L.matmul(a.transpose(0, 2), b.t()), [(4, 3, 2), (5, 4)],
               requires=[False, True])


@given(data=st.data())
def test_matmul_of_random_shapes(data):
    n, m, p = (data.draw(st.integers(1, 3)) for _ in range(3))
    batch = data.draw(st.lists(st.integers(1, 2), max_size=2).map(tuple))
    left = data.draw(st.sampled_from([(m,), (n, m), batch + (n, m)]))
    right = data.draw(st.sampled_from([(m,), (m, p), batch + (m, p)]))
    # torch records a viewable reshape of a non-contiguous tensor as ReshapeAliasBackward0, reftorch's
    # reshape as ViewBackward0 (a gap of views.reshape, not of matmul)
    check_grad(lambda L, a, b: L.matmul(a, b), [left, right],
               rename={"ReshapeAliasBackward0": "ViewBackward0"})


# ----------------------------------------------------------------------------- double backward
DOUBLE = ["mm", "bmm", "mv", "dot", "matmul_1d_1d", "matmul_2d_1d", "matmul_1d_2d", "matmul_2d_2d",
          "matmul_3d_2d_folds", "matmul_3d_1d_folds", "matmul_2d_3d_transposed_fold", "matmul_1d_3d",
          "matmul_3d_3d_bmm", "matmul_batch1_left_squeezes", "matmul_4d_3d_broadcast", "addmm_scaled",
          "trace"]


# known difference: torch's backward formulas for these use Scalar multiplications (MulBackward1) and
# unsqueeze (UnsqueezeBackward0) where reftorch records MulBackward0 and ViewBackward0
GRAPH_DIFFERS = {"matmul_batch1_left_squeezes", "addmm_scaled"}


@pytest.mark.parametrize("dtype", ["float64", "complex128"])
@pytest.mark.parametrize("name", DOUBLE)
def test_double_backward(name, dtype):
    """First gradients (values, strides and grad_fn names) built with create_graph=True, then
    differentiated again w.r.t. every input. (The grad_fn names of the first gradients are not compared
    for GRAPH_DIFFERS, whose backward formulas reftorch records with other nodes.)"""
    fn, shapes = CASES[name]
    rng = np.random.default_rng(3)
    arrays = [_random(s, dtype, rng) for s in shapes]
    results = []
    for lib in LIBS:
        inputs = [lib.from_numpy(a.copy()).requires_grad_() for a in arrays]
        out = fn(lib, *inputs)
        if not results:
            grad_out = _random(tuple(out.shape), dtype, rng)
            weights = [_random(s, dtype, rng) for s in shapes]
        first = lib.autograd.grad(out, inputs, lib.from_numpy(grad_out.copy()), create_graph=True)
        live = [(g, lib.from_numpy(w.copy())) for g, w in zip(first, weights) if g.requires_grad]
        second = lib.autograd.grad([g for g, _ in live], inputs, [w for _, w in live], allow_unused=True)
        results.append((first, second))
    (t_first, t_second), (o_first, o_second) = results
    assert_same(list(o_first), list(t_first), layout=True, grad_fns=name not in GRAPH_DIFFERS)
    for i, (o, t) in enumerate(zip(o_second, t_second)):
        assert (o is None) == (t is None), f"second-order gradient {i}"
        if t is not None:
            assert_same(o, t, path=f"second[{i}]")


# ----------------------------------------------------------------------------- errors
def test_addmm_inplace_checks_under_autograd():
    for lib in LIBS:
        leaf = lib.ones(2, 2, requires_grad=True)
        with pytest.raises(RuntimeError, match=LEAF_ERROR):
            leaf.addmm_(lib.ones(2, 3), lib.ones(3, 2))
        target = lib.ones(2, 1, requires_grad=True) * 1
        with pytest.raises(RuntimeError, match="Bad in-place call"):
            target.addmm_(lib.ones(2, 3, requires_grad=True), lib.ones(3, 2))


def test_saved_operand_modified_in_place_is_refused():
    errors = []
    for lib in LIBS:
        a = lib.ones(2, 3, requires_grad=True)
        b = lib.ones(3, 2) * 1
        b.requires_grad_()
        out = lib.mm(a, b)
        b.detach().mul_(2)
        with pytest.raises(RuntimeError) as info:
            out.backward(lib.ones(2, 2))
        errors.append(str(info.value))
    for message in errors:
        assert "modified by an inplace operation" in message


def test_products_record_nothing_without_grad_mode():
    for lib in LIBS:
        a = lib.ones(2, 3, requires_grad=True)
        with lib.no_grad():
            outs = [lib.mm(a, a.t()), lib.matmul(a, a[0]), lib.trace(a), lib.einsum("ij,kj->ik", a, a)]
        assert all(o.grad_fn is None and not o.requires_grad for o in outs)
    out = reftorch.matmul(reftorch.ones(2, 3, 4, requires_grad=True), reftorch.ones(4))
    assert out._base is None  # _unsafe_view results are not autograd views
    assert torch.matmul(torch.ones(2, 3, 4, requires_grad=True), torch.ones(4))._base is None
