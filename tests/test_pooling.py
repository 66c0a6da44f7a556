"""Pooling against torch (the oracle): values (float32 tolerance), indices (exact), gradients, grad_fn
names, module reprs and errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from helpers import check
from test_conv import _run

import reftorch

F_CASES = [
    ("max_pool2d", (2, 3, 7, 6), dict(kernel_size=2)),
    ("max_pool2d", (2, 3, 7, 6), dict(kernel_size=3, stride=2, padding=1)),
    ("max_pool2d", (2, 3, 7, 6), dict(kernel_size=(2, 3), stride=(2, 1), dilation=2)),
    ("max_pool2d", (2, 3, 7, 6), dict(kernel_size=2, ceil_mode=True)),
    ("max_pool2d", (3, 7, 6), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    ("max_pool1d", (2, 3, 9), dict(kernel_size=2)),
    ("max_pool1d", (3, 9), dict(kernel_size=3, stride=2, padding=1, dilation=2, ceil_mode=True)),
    ("avg_pool2d", (2, 3, 7, 6), dict(kernel_size=2)),
    ("avg_pool2d", (2, 3, 7, 6), dict(kernel_size=3, stride=2, padding=1)),
    ("avg_pool2d", (2, 3, 7, 6), dict(kernel_size=3, stride=2, padding=1, count_include_pad=False)),
    ("avg_pool2d", (2, 3, 7, 6), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    ("avg_pool2d", (2, 3, 7, 6), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)),
    ("avg_pool2d", (3, 7, 6), dict(kernel_size=2, divisor_override=3)),
    ("avg_pool1d", (2, 3, 9), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    ("avg_pool1d", (3, 9), dict(kernel_size=2, count_include_pad=False, padding=1)),
    ("adaptive_avg_pool2d", (2, 3, 7, 6), dict(output_size=(3, 4))),
    ("adaptive_avg_pool2d", (2, 3, 7, 6), dict(output_size=1)),
    ("adaptive_avg_pool2d", (3, 7, 6), dict(output_size=(None, 5))),
    ("adaptive_avg_pool1d", (2, 3, 10), dict(output_size=4)),
    ("adaptive_avg_pool1d", (2, 3, 10), dict(output_size=1)),
    ("adaptive_max_pool2d", (2, 3, 7, 6), dict(output_size=(3, 4))),
    ("adaptive_max_pool2d", (3, 5, 6), dict(output_size=(7, 2))),
    ("adaptive_max_pool1d", (2, 3, 10), dict(output_size=4)),
]


@pytest.mark.parametrize("name, shape, kwargs", F_CASES)
def test_pool_values_gradients_grad_fn(name, shape, kwargs):
    _run(lambda T, x: getattr(T.nn.functional, name)(x, **kwargs), shapes=[shape])


@pytest.mark.parametrize("name, shape, kwargs", [c for c in F_CASES if "max" in c[0]])
def test_pool_indices_exact(name, shape, kwargs):
    x = np.random.default_rng(3).standard_normal(shape).astype("float32")
    check(lambda T: getattr(T.nn.functional, name)(T.tensor(x), return_indices=True, **kwargs))


def test_max_pool_ties_pick_the_first():
    check(lambda T: T.nn.functional.max_pool2d(T.ones(1, 1, 4, 4), 2, return_indices=True))


def _nan_and_inf_plane(T):
    x = T.tensor([[-3.0, float("nan"), 1.0, float("-inf"), -2.0, 0.0],
                  [float("nan"), -4.0, float("-inf"), float("-inf"), 5.0, float("nan")],
                  [float("-inf"), float("-inf"), float("-inf"), 2.0, float("nan"), float("nan")],
                  [float("-inf"), float("-inf"), float("-inf"), 1.0, 3.0, -1.0]])
    return x.reshape(1, 1, 4, 6).requires_grad_()


@pytest.mark.parametrize("kwargs", [dict(kernel_size=2), dict(kernel_size=3, stride=1, padding=1),
                                    dict(kernel_size=2, stride=1, dilation=2, ceil_mode=True)],
                         ids=["disjoint", "padded-overlapping", "dilated"])
def test_max_pool_nan_and_all_inf_windows_pick_torchs_index(kwargs):
    """MaxPoolKernel.cpp scans each window from -inf at its first input element: the last NaN wins,
    and a window of -inf (padding included) keeps its first input element, never a padding one."""
    def program(T):
        x = _nan_and_inf_plane(T)
        out, idx = T.nn.functional.max_pool2d(x, return_indices=True, **kwargs)
        out.backward(T.arange(out.numel(), dtype=T.float32).reshape(out.shape))
        return out, idx, x.grad

    check(program)


MODULES = [
    lambda T: T.nn.MaxPool2d(kernel_size=2, stride=2),
    lambda T: T.nn.MaxPool2d(3, 1, 1, dilation=2, return_indices=True, ceil_mode=True),
    lambda T: T.nn.MaxPool1d(3),
    lambda T: T.nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False),
    lambda T: T.nn.AvgPool1d(3, 2),
    lambda T: T.nn.AdaptiveAvgPool2d((2, None)),
    lambda T: T.nn.AdaptiveAvgPool1d(3),
    lambda T: T.nn.AdaptiveMaxPool2d(2, return_indices=True),
    lambda T: T.nn.AdaptiveMaxPool1d(3),
]


@pytest.mark.parametrize("make", MODULES)
def test_pool_modules_repr_and_forward(make):
    x = np.random.default_rng(4).standard_normal((2, 3, 6, 7)).astype("float32")
    one_d = x[:, :, 0]
    results = []
    for T in (reftorch, torch):
        m = make(T)
        inp = T.tensor(one_d if "1d" in type(m).__name__ else x)
        out = m(inp)
        results.append((repr(m), out))
    assert results[0][0] == results[1][0]
    ours, theirs = results[0][1], results[1][1]
    if isinstance(theirs, tuple):
        assert np.array_equal(ours[1].numpy(), theirs[1].numpy())
        ours, theirs = ours[0], theirs[0]
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1.3e-6, atol=1e-5)


POOL_ERRORS = [
    lambda T: T.nn.functional.max_pool2d(T.zeros(2, 3, 6, 6), 0),
    lambda T: T.nn.functional.max_pool2d(T.zeros(2, 3, 6, 6), 2, dilation=0),
    lambda T: T.nn.functional.max_pool2d(T.zeros(2, 3, 6, 6), 2, padding=2),
    lambda T: T.nn.functional.max_pool2d(T.zeros(2, 3), 2),
    lambda T: T.nn.functional.max_pool2d(T.zeros(1, 1, 1, 1), 2),
    lambda T: T.nn.functional.max_pool2d(T.zeros(2, 0, 4, 4), 2),
    lambda T: T.nn.functional.max_pool1d(T.zeros(2, 3, 6, 6), 2),
    lambda T: T.nn.functional.max_pool1d(T.zeros(2, 3), 5),
    lambda T: T.nn.functional.max_pool1d(T.zeros(2, 3, 4), 2, padding=2),
    lambda T: T.nn.functional.max_pool1d(T.zeros(2, 3, 4), 0),
    lambda T: T.nn.functional.avg_pool2d(T.zeros(2, 3, 6, 6), 2, padding=2),
    lambda T: T.nn.functional.avg_pool2d(T.zeros(1, 1, 1, 1), 2),
    lambda T: T.nn.functional.avg_pool2d(T.zeros(2, 3, 6, 6), 2, divisor_override=0),
    lambda T: T.nn.functional.avg_pool1d(T.zeros(2, 3, 6, 6), 2),
    lambda T: T.nn.functional.avg_pool1d(T.zeros(2, 3, 1), 2),
    lambda T: T.nn.functional.adaptive_avg_pool2d(T.zeros(2, 3), 2),
    lambda T: T.nn.functional.adaptive_avg_pool2d(T.zeros(2, 3, 6, 6), -1),
    lambda T: T.nn.functional.adaptive_max_pool2d(T.zeros(2, 3), 2),
    lambda T: T.nn.functional.adaptive_avg_pool1d(T.zeros(2, 3, 6, 6), 2),
    lambda T: T.nn.functional.adaptive_max_pool1d(T.zeros(2, 3, 6, 6), 2),
    lambda T: T.nn.functional.max_pool2d(T.arange(36).reshape(1, 1, 6, 6), 2, return_indices=True),
    lambda T: T.nn.functional.avg_pool2d(T.arange(36).reshape(1, 1, 6, 6), 2),
]


@pytest.mark.parametrize("program", POOL_ERRORS)
def test_pool_errors_and_integer_inputs(program):
    check(program)
