"""Convolutions, padding and folding against torch (the oracle): forward values to float32 tolerance,
gradients of every input, grad_fn names, module parameters (same seed, same bits), reprs and errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from helpers import check

import reftorch

pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same'")
LIBS = (reftorch, torch)
TOL = {"rtol": 1.3e-6, "atol": 1e-5}


def _np(t):
    return t.detach().numpy()


def _run(program, seed=0, shapes=(), dtype="float32"):
    """``program(T, *tensors)`` on both libraries with the same leaf values (requiring grad); the
    output summed with fixed weights is backpropagated. Compares values, grad_fn names and gradients."""
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s).astype(dtype) for s in shapes]
    results = []
    for T in LIBS:
        leaves = [T.tensor(a.copy(), requires_grad=True) for a in arrays]
        out = program(T, *leaves)
        weights = T.tensor(np.random.default_rng(seed + 1).standard_normal(tuple(out.shape)).astype(dtype))
        (out * weights).sum().backward()
        results.append((out, [leaf.grad for leaf in leaves]))
    (ours, our_grads), (theirs, their_grads) = results
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert type(ours.grad_fn).__name__ == type(theirs.grad_fn).__name__
    np.testing.assert_allclose(_np(ours), _np(theirs), **TOL)
    for g_ours, g_theirs in zip(our_grads, their_grads):
        assert (g_ours is None) == (g_theirs is None)
        if g_theirs is not None:
            np.testing.assert_allclose(_np(g_ours), _np(g_theirs), **TOL)


CONV2D = [
    dict(),
    dict(stride=2),
    dict(padding=1),
    dict(padding=(2, 0), stride=(1, 2)),
    dict(dilation=2, padding=2),
    dict(groups=2),
    dict(groups=4, padding=1),
    dict(padding="same"),
    dict(padding="same", dilation=(1, 2)),
    dict(padding="valid"),
]


@pytest.mark.parametrize("kwargs", CONV2D)
@pytest.mark.parametrize("bias", [True, False])
def test_conv2d_forward_and_gradients(kwargs, bias):
    groups = kwargs.get("groups", 1)
    shapes = [(2, 4, 7, 6), (8, 4 // groups, 3, 2)] + ([(8,)] if bias else [])
    _run(lambda T, x, w, *b: T.nn.functional.conv2d(x, w, b[0] if b else None, **kwargs), shapes=shapes)


def test_conv2d_even_kernel_same_padding_pads_right():
    _run(lambda T, x, w: T.nn.functional.conv2d(x, w, padding="same"), shapes=[(1, 2, 5, 5), (3, 2, 4, 2)])


def test_conv2d_unbatched_and_float64():
    _run(lambda T, x, w: T.nn.functional.conv2d(x, w, padding=1), shapes=[(3, 5, 5), (2, 3, 3, 3)])
    _run(lambda T, x, w: T.conv2d(x, w, None, 2, 1), shapes=[(2, 3, 6, 6), (2, 3, 3, 3)], dtype="float64")


@pytest.mark.parametrize("kwargs", [dict(), dict(stride=2, padding=1), dict(dilation=3), dict(groups=3)])
def test_conv1d(kwargs):
    shapes = [(2, 3, 11), (6, 3 // kwargs.get("groups", 1), 3), (6,)]
    _run(lambda T, x, w, b: T.nn.functional.conv1d(x, w, b, **kwargs), shapes=shapes)


@pytest.mark.parametrize("kwargs", [dict(), dict(stride=2), dict(stride=2, output_padding=1), dict(padding=1),
                                    dict(stride=3, padding=1, output_padding=2, dilation=2), dict(groups=2)])
def test_conv_transpose2d(kwargs):
    groups = kwargs.get("groups", 1)
    shapes = [(2, 4, 5, 4), (4, 6 // groups, 3, 2), (6,)]
    _run(lambda T, x, w, b: T.nn.functional.conv_transpose2d(x, w, b, **kwargs), shapes=shapes)


def test_conv_transpose1d():
    _run(lambda T, x, w, b: T.nn.functional.conv_transpose1d(x, w, b, stride=2, padding=1, output_padding=1),
         shapes=[(2, 3, 6), (3, 5, 4), (5,)])


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
def test_conv2d_module_padding_modes(mode):
    results = []
    for T in LIBS:
        T.manual_seed(5)
        conv = T.nn.Conv2d(3, 4, 3, padding=(1, 2), padding_mode=mode)
        x = T.randn(2, 3, 6, 5, requires_grad=True)
        y = conv(x)
        y.pow(2).sum().backward()
        results.append((y, x.grad, conv.weight.grad, repr(conv)))
    (y0, xg0, wg0, r0), (y1, xg1, wg1, r1) = results
    assert r0 == r1
    assert type(y0.grad_fn).__name__ == type(y1.grad_fn).__name__
    for a, b in ((y0, y1), (xg0, xg1), (wg0, wg1)):
        np.testing.assert_allclose(_np(a), _np(b), rtol=1e-5, atol=1e-4)


MODULES = [
    ("Conv1d", (3, 5, 3), {}),
    ("Conv1d", (4, 6, 2), dict(groups=2, bias=False, stride=2, padding="valid")),
    ("Conv2d", (3, 16, 3), dict(padding=1)),
    ("Conv2d", (4, 8, (3, 2)), dict(stride=(2, 1), dilation=2, groups=4, padding_mode="reflect")),
    ("Conv2d", (2, 3, 3), dict(padding="same")),
    ("ConvTranspose1d", (3, 4, 3), dict(stride=2, output_padding=1)),
    ("ConvTranspose2d", (4, 6, 3), dict(groups=2, bias=False, dilation=2)),
]


@pytest.mark.parametrize("name, args, kwargs", MODULES)
def test_module_init_bit_for_bit_and_repr(name, args, kwargs):
    made = []
    for T in LIBS:
        T.manual_seed(11)
        m = getattr(T.nn, name)(*args, **kwargs)
        made.append((m, T.rand(3)))
    (ours, our_next), (theirs, their_next) = made
    assert repr(ours) == repr(theirs)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    for p, q in zip(ours.parameters(), theirs.parameters()):
        assert tuple(p.shape) == tuple(q.shape)
        assert np.array_equal(_np(p), _np(q))
    assert np.array_equal(_np(our_next), _np(their_next))


def test_conv_transpose_module_output_size():
    results = []
    for T in LIBS:
        T.manual_seed(2)
        m = T.nn.ConvTranspose2d(3, 2, 3, stride=2)
        results.append(m(T.randn(1, 3, 4, 4), output_size=(10, 9)))
    np.testing.assert_allclose(_np(results[0]), _np(results[1]), **TOL)
    check(lambda T: T.nn.ConvTranspose2d(3, 2, 3, stride=2)(T.zeros(1, 3, 4, 4), output_size=(12, 9)))


CONV_ERRORS = [
    lambda T: T.nn.Conv2d(),
    lambda T: T.nn.Conv2d(3, 4, 3, groups=2),
    lambda T: T.nn.Conv2d(4, 3, 3, groups=2),
    lambda T: T.nn.Conv2d(3, 4, 3, groups=0),
    lambda T: T.nn.Conv2d(3, 3, 3, padding="same", stride=2),
    lambda T: T.nn.ConvTranspose2d(3, 3, 3, padding_mode="reflect"),
    lambda T: T.nn.functional.conv2d(T.zeros(1, 2, 3, 4, 5), T.zeros(4, 2, 3, 3)),
    lambda T: T.nn.functional.conv2d(T.zeros(2, 3, 6, 6), T.zeros(4, 3, 3)),
    lambda T: T.nn.functional.conv2d(T.zeros(2, 5, 6, 6), T.zeros(4, 3, 3, 3)),
    lambda T: T.nn.functional.conv2d(T.zeros(2, 3, 2, 2), T.zeros(4, 3, 3, 3)),
    lambda T: T.nn.functional.conv2d(T.zeros(2, 3, 6, 6), T.zeros(4, 3, 3, 3), padding=-1),
    lambda T: T.nn.functional.conv2d(T.zeros(2, 3, 6, 6), T.zeros(4, 3, 3, 3), stride=0),
    lambda T: T.nn.functional.conv2d(T.zeros(2, 3, 6, 6), T.zeros(4, 3, 3, 3), dilation=0),
    lambda T: T.nn.functional.conv2d(T.zeros(2, 3, 6, 6), T.zeros(4, 3, 3, 3), T.zeros(5)),
    lambda T: T.nn.functional.conv2d(T.zeros(2, 3, 6, 6), T.zeros(4, 3, 3, 3), T.zeros(4).double()),
    lambda T: T.nn.functional.conv2d(T.zeros(2, 3, 6, 6).double(), T.zeros(4, 3, 3, 3)),
    lambda T: T.nn.functional.conv2d(T.zeros(2, 3, 6, 6), T.zeros(4, 3, 3, 3).double()),
    lambda T: T.nn.functional.conv2d(T.zeros(2, 3, 6, 6), T.zeros(4, 3, 3, 3), groups=2),
    lambda T: T.nn.functional.conv2d(T.zeros(2, 3, 6, 6), T.zeros(4, 3, 3, 3), padding="foo"),
    lambda T: T.nn.functional.conv2d(T.zeros(2, 3, 6, 6), T.zeros(4, 3, 3, 3), padding="same", stride=2),
    lambda T: T.nn.functional.conv2d(T.zeros(2, 3, 6, 6), T.zeros(0, 3, 3, 3)),
    lambda T: T.nn.functional.conv_transpose2d(T.zeros(2, 5, 6, 6), T.zeros(4, 3, 3, 3)),
    lambda T: T.nn.functional.conv_transpose2d(T.zeros(2, 3, 6, 6), T.zeros(3, 4, 3, 3), output_padding=1),
    lambda T: T.nn.functional.conv1d(T.zeros(2, 3, 6, 6), T.zeros(4, 3, 3)),
    lambda T: T.nn.functional.conv2d(T.zeros(0, 3, 6, 6), T.zeros(4, 3, 3, 3)),
    lambda T: T.nn.functional.conv2d(T.arange(48).reshape(1, 3, 4, 4), T.ones(2, 3, 3, 3, dtype=T.int64)),
]


@pytest.mark.parametrize("program", CONV_ERRORS)
def test_conv_errors_and_edge_cases(program):
    check(program)


# --- F.pad --------------------------------------------------------------------------------------------------

PADS = [
    ((2, 3, 4), (1, 2), "constant"),
    ((2, 3, 4), (1, 2, 0, 3), "constant"),
    ((2, 3, 4), (-1, 2, 1, -2), "constant"),
    ((2, 3, 4), (-1, -2), "constant"),
    ((2, 3, 4), (1, 2, 3, 0, 1, 1), "constant"),
    ((2, 3, 5), (2, 3), "reflect"),
    ((2, 3, 5), (-1, 2), "reflect"),
    ((2, 4, 5), (1, 3, 2, 0), "reflect"),
    ((1, 2, 4, 5), (2, 1, 3, 3), "reflect"),
    ((3, 4), (3, 1), "replicate"),
    ((2, 3, 4), (2, 5), "replicate"),
    ((2, 3, 4, 5), (2, 1, 0, 4), "replicate"),
    ((2, 3, 4, 5), (-1, 2, 1, -2), "replicate"),
    ((2, 3, 5), (2, 3), "circular"),
    ((3, 5), (1, 4), "circular"),
    ((2, 3, 4, 5), (2, 1, 3, 4), "circular"),
    ((2, 3, 4, 5), (-1, 2, 1, -2), "circular"),
]


@pytest.mark.parametrize("shape, pad, mode", PADS)
def test_pad_values_and_gradients(shape, pad, mode):
    _run(lambda T, x: T.nn.functional.pad(x, pad, mode=mode), shapes=[shape])


def test_pad_value():
    check(lambda T: T.nn.functional.pad(T.arange(6).reshape(2, 3), (1, 1, 2, 0), value=7))
    check(lambda T: T.nn.functional.pad(T.ones(4, 4), (2, 2, 2, 5)).shape)


PAD_ERRORS = [
    lambda T: T.nn.functional.pad(T.zeros(2, 3, 4), (1,)),
    lambda T: T.nn.functional.pad(T.zeros(2, 3, 4), (1, 1) * 4),
    lambda T: T.nn.functional.pad(T.zeros(2, 3, 4), (1, 1), mode="foo"),
    lambda T: T.nn.functional.pad(T.zeros(2, 3, 4), (1, 1), mode="reflect", value=1),
    lambda T: T.nn.functional.pad(T.zeros(2, 3, 4), (4, 4), mode="reflect"),
    lambda T: T.nn.functional.pad(T.zeros(2, 3, 4), (-5, 1)),
    lambda T: T.nn.functional.pad(T.zeros(2, 3, 4), (-5, -1)),
    lambda T: T.nn.functional.pad(T.zeros(2, 3, 4), (5, 1), mode="circular"),
    lambda T: T.nn.functional.pad(T.zeros(2, 0, 3), (1, 1), mode="reflect"),
    lambda T: T.nn.functional.pad(T.zeros(3, 1), (1, 1), mode="reflect"),
    lambda T: T.nn.functional.pad(T.zeros(2, 3, 4), (-3, -2), mode="replicate"),
    lambda T: T.nn.functional.pad(T.zeros(2, 3, 4), (-3, -2), mode="circular"),
    lambda T: T.nn.functional.pad(T.zeros(2, 3, 4, 4), (1, 1), mode="reflect"),
]


@pytest.mark.parametrize("program", PAD_ERRORS)
def test_pad_errors(program):
    check(program)


# --- unfold / fold ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [dict(kernel_size=2), dict(kernel_size=(2, 3), stride=2, padding=1),
                                    dict(kernel_size=3, dilation=2, padding=(0, 2))])
def test_unfold_fold_roundtrip_and_gradients(kwargs):
    _run(lambda T, x: T.nn.functional.unfold(x, **kwargs), shapes=[(2, 3, 7, 8)])
    _run(lambda T, x: T.nn.Unfold(**kwargs)(x), shapes=[(3, 7, 8)])
    results = []
    for T in LIBS:
        cols = T.nn.functional.unfold(T.ones(2, 3, 7, 8), **kwargs)
        results.append(cols.shape)
    shape = tuple(results[0])
    _run(lambda T, c: T.nn.functional.fold(c, (7, 8), **kwargs), shapes=[shape])
    _run(lambda T, c: T.nn.Fold((7, 8), **kwargs)(c), shapes=[shape[1:]])


def test_fold_unfold_reprs_and_errors():
    check(lambda T: [repr(T.nn.Fold((4, 5), 2)), repr(T.nn.Unfold((2, 3), stride=2)),
                     repr(T.nn.Flatten()), repr(T.nn.Unflatten(1, (2, 3)))])
    check(lambda T: T.nn.functional.unfold(T.zeros(2, 3, 6, 6), 7))
    check(lambda T: T.nn.functional.fold(T.zeros(2, 12, 9), (4, 4), 2))
    check(lambda T: T.nn.functional.fold(T.zeros(2, 10, 9), (4, 4), 2))
    check(lambda T: T.nn.functional.unfold(T.zeros(2, 3, 6, 6), 0))


def test_flatten_unflatten():
    _run(lambda T, x: T.nn.Flatten()(x), shapes=[(2, 3, 4, 5)])
    _run(lambda T, x: T.nn.Flatten(0, 2)(x), shapes=[(2, 3, 4, 5)])
    _run(lambda T, x: T.nn.Unflatten(1, (3, 4))(x), shapes=[(2, 12, 5)])
    check(lambda T: T.nn.Unflatten(1, 3))
    check(lambda T: T.nn.Unflatten(1, (3, 2.0)))
