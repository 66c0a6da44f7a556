"""Embedding against torch: torch's initial weights after the same seed, lookups, gradients
(padding_idx rows get none, repeated indices add up, scale_grad_by_freq), max_norm renormalisation in
place, from_pretrained and freeze, reprs and torch's errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from helpers import check
from hypothesis import given, settings
from hypothesis import strategies as st

import reftorch

SEEDS = st.integers(0, 2**16)


@settings(max_examples=20, deadline=None)
@given(seed=SEEDS, rows=st.integers(1, 12), dim=st.integers(1, 6), padding=st.sampled_from([None, 0, -1]))
def test_embedding_init_matches_torch_bit_for_bit(seed, rows, dim, padding):
    made = []
    for T in (reftorch, torch):
        T.manual_seed(seed)
        made.append((T.nn.Embedding(rows, dim, padding_idx=padding).weight.detach().numpy(), T.rand(2).numpy()))
    assert np.array_equal(made[0][0], made[1][0])
    assert np.array_equal(made[0][1], made[1][1])


@settings(max_examples=25, deadline=None)
@given(seed=SEEDS, index_shape=st.sampled_from([(), (3,), (2, 4), (2, 2, 3)]), padding=st.sampled_from([None, 1, -2]),
       scale=st.booleans(), int32=st.booleans())
def test_embedding_forward_backward(seed, index_shape, padding, scale, int32):
    def program(T):
        T.manual_seed(seed)
        emb = T.nn.Embedding(6, 3, padding_idx=padding, scale_grad_by_freq=scale)
        idx = T.randint(0, 6, index_shape, dtype=T.int32 if int32 else T.int64)
        y = emb(idx)
        (y * T.arange(3.0)).sum().backward()
        return {"y": y, "weight": emb.weight, "repr": repr(emb)}

    check(program)


@pytest.mark.parametrize("norm_type", [2.0, 1.0, float("inf"), 3.0])
def test_embedding_max_norm_renormalises_in_place(norm_type):
    def program(T):
        T.manual_seed(3)
        emb = T.nn.Embedding(5, 4, max_norm=1.5, norm_type=norm_type)
        idx = T.tensor([[0, 2, 2], [4, 0, 1]])
        before = emb.weight._version
        y = emb(idx)
        y.sum().backward()
        return {"y": y, "weight": emb.weight, "versions": (before, emb.weight._version), "repr": repr(emb)}

    check(program)


def test_embedding_renorm_op():
    def program(T):
        w = T.arange(15.0).reshape(5, 3)
        out = T.embedding_renorm_(w, T.tensor([-1, 1, 1]), 2.0, 2.0)
        T.embedding_renorm_(w, T.tensor([0]), 100.0, 2.0)  # no row changes: still one version
        T.embedding_renorm_(w, T.tensor([], dtype=T.int64), 1.0, float("inf"))
        return {"w": w, "same": out is w, "version": w._version}

    check(program)


def test_from_pretrained_freeze_and_alias():
    def program(T):
        base = T.arange(6.0).reshape(3, 2)
        frozen = T.nn.Embedding.from_pretrained(base)
        free = T.nn.Embedding.from_pretrained(base, freeze=False, padding_idx=0)
        y = free(T.tensor([0, 2, 0]))
        y.sum().backward()
        return {"frozen_requires": frozen.weight.requires_grad, "free": free.weight, "y": y,
                "frozen_y": frozen(T.tensor([1])), "shares": frozen.weight.data_ptr() == base.data_ptr(),
                "repr": repr(free)}

    check(program)


def test_functional_embedding_padding_idx_keeps_row():
    def program(T):
        w = T.arange(12.0).reshape(4, 3).requires_grad_()
        y = T.nn.functional.embedding(T.tensor([[0, 3], [3, 1]]), w, padding_idx=3)
        y.sum().backward()
        return {"y": y, "w": w, "torch": T.embedding(w.detach(), T.tensor([2]))}

    check(program)


@pytest.mark.parametrize("case", range(9))
def test_embedding_errors(case):
    programs = [
        lambda T: T.nn.functional.embedding(T.tensor([5]), T.randn(5, 3)),
        lambda T: T.nn.functional.embedding(T.tensor([-1]), T.randn(5, 3)),
        lambda T: T.nn.functional.embedding(T.tensor([1.0]), T.randn(5, 3)),
        lambda T: T.nn.functional.embedding(T.tensor([1]), T.randn(5)),
        lambda T: T.nn.functional.embedding(T.tensor([1]), T.randn(5, 3), padding_idx=5),
        lambda T: T.nn.Embedding(4, 2, padding_idx=-5),
        lambda T: T.nn.Embedding.from_pretrained(T.ones(3)),
        lambda T: T.embedding_renorm_(T.randn(5, 3), T.tensor([0, 9]), 1.0, 2.0),
        lambda T: T.nn.functional.embedding(T.tensor([1], dtype=T.int16), T.randn(5, 3)),
    ]
    check(programs[case])


def test_embedding_renorm_backward_is_not_implemented():
    def program(T):
        w = T.randn(4, 2, requires_grad=True)
        y = w * 1
        T.embedding_renorm_(y, T.tensor([0]), 0.1, 2.0)
        name = type(y.grad_fn).__name__
        y.sum().backward()
        return name

    check(program)
