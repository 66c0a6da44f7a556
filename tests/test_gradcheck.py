"""gradcheck (float64, torch's default tolerances) for every differentiable op family: reftorch's
analytical gradients must match finite differences, and torch's gradcheck must accept the same
program (so the table itself is sound)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import reftorch

# name -> (program(T, *inputs), input shapes); inputs are drawn in [0.5, 1.5] to stay inside domains
PROGRAMS = {
    "add": (lambda T, a, b: a + b * 2, [(3,), (2, 3)]),
    "sub_alpha": (lambda T, a, b: T.sub(a, b, alpha=3), [(3,), (3,)]),
    "mul": (lambda T, a, b: a * b, [(2, 3), (3,)]),
    "div": (lambda T, a, b: a / b, [(2, 3), (2, 1)]),
    "rdiv": (lambda T, a: 2 / a, [(4,)]),
    "pow": (lambda T, a, b: a ** b, [(3,), (3,)]),
    "pow_scalar": (lambda T, a: a ** 2.5, [(3,)]),
    "rpow": (lambda T, a: 1.5 ** a, [(3,)]),
    "unary_chain": (lambda T, a: (a.exp() + a.log() + a.sqrt() + a.sin() + a.cos() + a.tanh() + a.sigmoid()
                                  + a.rsqrt() + a.reciprocal() + a.log1p() + a.expm1() + a.atan()), [(5,)]),
    "abs_relu": (lambda T, a: (a - 1).abs() + (a - 1).relu(), [(5,)]),
    "atan2": (lambda T, a, b: T.atan2(a, b), [(3,), (3,)]),
    "maximum": (lambda T, a, b: T.maximum(a, b) + T.minimum(a, b) * 2, [(4,), (4,)]),
    "clamp": (lambda T, a: a.clamp(0.8, 1.2), [(6,)]),
    "where": (lambda T, a, b: T.where(a > 1, a, b), [(5,), (5,)]),
    "views": (lambda T, a: a.view(2, 3).t().reshape(6).unsqueeze(0).expand(2, 6).permute(1, 0), [(6,)]),
    "indexing": (lambda T, a: a[1:, ::2] * 2 + a[0, 0] + a[[0, 1, 1]].sum(), [(2, 4)]),
    "unfold_diag": (lambda T, a: a.unfold(1, 2, 1).sum(-1).diagonal(), [(3, 4)]),
    "split": (lambda T, a: a.split(2, 1)[1] * a.chunk(2, 1)[0], [(3, 4)]),
    "sum_mean": (lambda T, a: a.sum(0) + a.mean(1, keepdim=True) + a.sum(), [(3, 4)]),
    "prod_var_std": (lambda T, a: a.prod(1) + a.var(1) + a.std(0).sum(), [(4, 4)]),
    "max_min": (lambda T, a: a.max(1).values + a.min() + a.amax(0).sum(), [(3, 4)]),
    "logsumexp_norm": (lambda T, a: a.logsumexp(1) + a.norm() + a.norm(dim=0).sum(), [(3, 4)]),
    "cumsum_cumprod": (lambda T, a: a.cumsum(1) + a.cumprod(0), [(3, 4)]),
    "sort_topk": (lambda T, a: a.sort(1).values + a.topk(2, dim=1).values.sum(1, keepdim=True), [(3, 4)]),
    "cat_stack": (lambda T, a, b: T.cat([a, b], 0).sum(0) + T.stack([a, b]).prod(0).sum(0), [(2, 3), (2, 3)]),
    "gather_scatter": (lambda T, a: a.gather(1, T.tensor([[0, 2], [1, 1]])) + a[:, :2].flip(1), [(2, 3)]),
    "index_select": (lambda T, a: a.index_select(1, T.tensor([2, 0, 2])) + a.roll(1, 1)[:, :3], [(2, 3)]),
    "tril_triu": (lambda T, a: a.tril() + a.triu(1) * 2, [(3, 3)]),
    "mm": (lambda T, a, b: a @ b, [(2, 3), (3, 4)]),
    "bmm_matmul": (lambda T, a, b: T.matmul(a, b), [(2, 2, 3), (3, 4)]),
    "dot_mv": (lambda T, a, b: T.dot(a, b) + T.mv(b.expand(2, 3), a).sum(), [(3,), (3,)]),
    "einsum": (lambda T, a, b: T.einsum("ij,jk->ik", a, b), [(2, 3), (3, 2)]),
    "inplace": (lambda T, a: _inplace_program(a), [(2, 3)]),
}


def _inplace_program(a):
    b = a * 1
    b[0] = b[0] * 3
    b.mul_(2)
    b[:, 1].add_(1)
    return b.exp()


def _inputs(T, shapes, seed):
    rng = np.random.default_rng(seed)
    return [T.tensor(rng.uniform(0.5, 1.5, s).tolist(), dtype=T.float64, requires_grad=True) for s in shapes]


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_gradcheck(name):
    program, shapes = PROGRAMS[name]
    for T in (torch, reftorch):
        inputs = _inputs(T, shapes, seed=len(name))
        assert T.autograd.gradcheck(lambda *xs, T=T: program(T, *xs), tuple(inputs)), T.__name__
