"""reftorch.nn against torch.nn: same seeds give the same parameters, and forward values, gradients,
grad_fn names, reprs, traversal order, ``to()``, modes and ``zero_grad`` agree."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
import torch
from helpers import check
from hypothesis import given
from hypothesis import strategies as st

import reftorch

LIBS = (reftorch, torch)


def _np(t):
    return t.detach().numpy()


def _mlp(T, seed, freeze_first=None):
    T.manual_seed(seed)
    return T.nn.Sequential(T.nn.Linear(3, 4), T.nn.ReLU(), T.nn.Linear(4, 2))


@given(seed=st.integers(0, 2**16), sizes=st.tuples(st.integers(1, 40), st.integers(1, 40)),
       bias=st.booleans())
def test_linear_init_matches_torch_bit_for_bit(seed, sizes, bias):
    made = []
    for T in LIBS:
        T.manual_seed(seed)
        made.append((T.nn.Linear(*sizes, bias=bias), T.rand(2)))  # the stream continues identically
    (ours, our_next), (theirs, their_next) = made
    assert np.array_equal(_np(ours.weight), _np(theirs.weight))
    assert (ours.bias is None) == (theirs.bias is None)
    if bias:
        assert np.array_equal(_np(ours.bias), _np(theirs.bias))
    assert np.array_equal(_np(our_next), _np(their_next))


@pytest.mark.parametrize("shape", [(3,), (5, 3), (2, 4, 3)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_forward_backward_and_grad_fn(shape, bias):
    results = []
    for T in LIBS:
        T.manual_seed(3)
        lin = T.nn.Linear(3, 2, bias=bias)
        x = T.randn(*shape, requires_grad=True)
        y = lin(x)
        (y * y).sum().backward()
        grads = [_np(p.grad) for p in lin.parameters()]
        results.append((_np(y), type(y.grad_fn).__name__, grads, _np(x.grad)))
    (y0, fn0, g0, xg0), (y1, fn1, g1, xg1) = results
    assert fn0 == fn1
    np.testing.assert_allclose(y0, y1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(xg0, xg1, rtol=1e-5, atol=1e-6)
    for a, b in zip(g0, g1, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_linear_zero_dim_input_errors_like_torch():
    messages = []
    for T in LIBS:
        with pytest.raises(RuntimeError) as err:
            T.nn.Linear(3, 2)(T.tensor(1.0))
        messages.append(str(err.value))
    assert messages[0] == messages[1]


@given(seed=st.integers(0, 2**16), freeze_first=st.booleans())
def test_sequential_mlp_gradients_and_frozen_parameters(seed, freeze_first):
    results = []
    for T in LIBS:
        model = _mlp(T, seed)
        for p in (model[0] if freeze_first else model[2]).parameters():
            p.requires_grad = False
        model(T.randn(5, 3)).sum().backward()
        results.append({n: (p.requires_grad, None if p.grad is None else _np(p.grad))
                        for n, p in model.named_parameters()})
    ours, theirs = results
    assert list(ours) == list(theirs) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    for name in theirs:
        assert ours[name][0] == theirs[name][0]
        assert (ours[name][1] is None) == (theirs[name][1] is None)
        if theirs[name][1] is not None:
            np.testing.assert_allclose(ours[name][1], theirs[name][1], rtol=1e-5, atol=1e-6)


def test_reprs_match_torch():
    texts = []
    for T in LIBS:
        T.manual_seed(0)
        outer = T.nn.Sequential(T.nn.Linear(3, 4), T.nn.ReLU(inplace=True),
                                T.nn.Sequential(T.nn.Linear(4, 2, bias=False), T.nn.ReLU()))
        texts.append([repr(outer), repr(outer[0].weight), repr(T.nn.Parameter(T.ones(2), requires_grad=False)),
                      repr(T.nn.Parameter()), repr(T.nn.Module()), str(T.nn.ReLU())])
    assert texts[0] == texts[1]


def test_parameter_is_a_leaf_alias_of_its_data():
    for T in LIBS:
        base = T.ones(3)
        p = T.nn.Parameter(base)
        assert isinstance(p, T.nn.Parameter) and isinstance(p, T.Tensor)
        assert p.is_leaf and p.requires_grad and p.grad_fn is None
        assert p.data_ptr() == base.data_ptr()
        base.add_(1)
        assert p._version == 1 and p.detach().tolist() == [2.0, 2.0, 2.0]
        clone = copy.deepcopy(p)
        assert type(clone) is T.nn.Parameter and clone.requires_grad and clone.data_ptr() != p.data_ptr()
        assert not p.data.requires_grad and p.data.data_ptr() == p.data_ptr()


@pytest.mark.parametrize("make", [lambda T: [1.0], lambda T: T.ones(2, dtype=T.int64)])
def test_parameter_bad_input_errors_like_torch(make):
    errors = []
    for T in LIBS:
        with pytest.raises((AttributeError, RuntimeError)) as err:
            T.nn.Parameter(make(T))
        errors.append((type(err.value), str(err.value)))
    assert errors[0] == errors[1]


def test_parameters_children_modules_and_state_dict_order():
    seen = []
    for T in LIBS:
        inner = T.nn.Sequential(T.nn.Linear(2, 2), T.nn.ReLU())
        model = T.nn.Sequential(T.nn.Linear(2, 2), inner, inner)  # shared child listed once
        model.register_buffer("steps", T.zeros(1))
        model.register_buffer("scratch", T.ones(1), persistent=False)
        sd = model.state_dict()
        seen.append((
            [n for n, _ in model.named_parameters()],
            len(list(model.parameters())),
            [type(m).__name__ for m in model.children()],
            [n for n, _ in model.named_modules()],
            list(sd.keys()),
            all(not v.requires_grad for v in sd.values()),
            sd["0.weight"].data_ptr() == model[0].weight.data_ptr(),
            [n for n, _ in model.named_buffers()],
        ))
    assert seen[0] == seen[1]


def test_to_dtype_keeps_parameter_objects_and_casts_grads():
    for T in LIBS:
        lin = T.nn.Linear(3, 2)
        lin(T.ones(1, 3)).sum().backward()
        weight = lin.weight
        assert lin.to(T.float64) is lin
        assert lin.weight is weight and isinstance(weight, T.nn.Parameter)
        assert weight.dtype == T.float64 and weight.grad.dtype == T.float64 and weight.requires_grad
        assert lin.to("cpu", T.float32).weight.dtype == T.float32
        with pytest.raises(TypeError, match="only accepts floating point or complex dtypes"):
            lin.to(T.int64)


def test_train_eval_and_requires_grad_():
    for T in LIBS:
        model = T.nn.Sequential(T.nn.Linear(2, 2), T.nn.Sequential(T.nn.ReLU()))
        assert all(m.training for m in model.modules())
        assert model.eval() is model and not any(m.training for m in model.modules())
        model.train()
        assert all(m.training for m in model.modules())
        with pytest.raises(ValueError, match="training mode is expected to be boolean"):
            model.train(1)
        model.requires_grad_(False)
        assert not any(p.requires_grad for p in model.parameters())


@pytest.mark.parametrize("set_to_none", [True, False])
def test_zero_grad(set_to_none):
    states = []
    for T in LIBS:
        lin = T.nn.Linear(2, 3)
        lin(T.ones(4, 2)).sum().backward()
        lin.zero_grad(set_to_none=set_to_none)
        states.append([None if p.grad is None else p.grad.tolist() for p in lin.parameters()])
    assert states[0] == states[1]


def _registration_errors(T) -> list:
    """The (type, message) of each misuse of a module's attribute registration."""
    m = T.nn.Module()
    m.w = T.nn.Parameter(T.ones(1))
    got = []
    for action in (lambda: setattr(m, "w", T.ones(1)),
                   lambda: m.register_parameter("a.b", None),
                   lambda: m.register_parameter("p", T.ones(1)),
                   lambda: m.register_parameter("q", T.nn.Parameter(T.ones(1)) * 2),
                   lambda: m.missing,
                   lambda: m(1)):
        try:
            action()
        except Exception as exc:  # noqa: BLE001 - the exception type itself is compared
            got.append((type(exc), str(exc)))
    return got


def test_attribute_registration_errors_like_torch():
    ours, theirs = (_registration_errors(T) for T in (reftorch, torch))
    assert len(theirs) == 6 and [(t.__name__, m) for t, m in ours] == [(t.__name__, m) for t, m in theirs]


def test_init_helpers_match_torch():
    for nonlinearity, param in [("linear", None), ("tanh", None), ("relu", None), ("leaky_relu", None),
                                ("leaky_relu", math.sqrt(5)), ("selu", None)]:
        assert reftorch.nn.init.calculate_gain(nonlinearity, param) == torch.nn.init.calculate_gain(
            nonlinearity, param)
    for T in LIBS:
        with pytest.raises(ValueError, match="Unsupported nonlinearity"):
            T.nn.init.calculate_gain("cube")
        with pytest.raises(ValueError, match="fewer than 2 dimensions"):
            T.nn.init.kaiming_uniform_(T.empty(3))
    assert reftorch.nn.init._calculate_fan_in_and_fan_out(reftorch.empty(4, 3, 5)) == \
        torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(4, 3, 5))
    drawn = []
    for T in LIBS:
        T.manual_seed(11)
        t = T.empty(6, 5)
        T.nn.init.uniform_(t, -2.0, 3.0)
        drawn.append(_np(t).copy())
        assert T.nn.init.zeros_(t) is t and not t.any()
        assert T.nn.init.ones_(t).sum().item() == 30
    assert np.array_equal(drawn[0], drawn[1])


# ----------------------------------------------------------------------------- dropout
DROPOUT_CALLS = {
    "F.dropout": lambda T, x, p: T.nn.functional.dropout(x, p),
    "F.dropout eval": lambda T, x, p: T.nn.functional.dropout(x, p, training=False) is x,
    "F.dropout inplace": lambda T, x, p: T.nn.functional.dropout(x.clone(), p, inplace=True),
    "torch.dropout": lambda T, x, p: T.dropout(x, p, True),
    "torch.dropout_": lambda T, x, p: T.dropout_(x.clone(), p, True),
    "nn.Dropout": lambda T, x, p: T.nn.Dropout(p)(x),
    "nn.Dropout eval": lambda T, x, p: T.nn.Dropout(p).eval()(x) is x,
}


@pytest.mark.parametrize("call", sorted(DROPOUT_CALLS))
@pytest.mark.parametrize("p", [0.0, 0.2, 0.5, 1.0])
def test_dropout_masks_values_and_graph(call, p):
    """The mask is ``empty_like(x).bernoulli_(1 - p).div_(1 - p)``: after the same seed the values, the
    gradient and the graph (MulBackward0) are torch's; p == 0, eval mode and empty inputs return x."""
    def program(T):
        T.manual_seed(3)
        x = T.randn(4, 7).t().requires_grad_()  # a permuted input: the noise keeps its layout
        y = DROPOUT_CALLS[call](T, x * 1, p)
        if isinstance(y, bool):
            return y
        y.sum().backward()
        return y, x.grad, y.grad_fn.name() if y.grad_fn else None, T.rand(2)

    check(program, layout=True)


@pytest.mark.parametrize("program", [
    lambda T: T.nn.functional.dropout(T.ones(3), 1.5),
    lambda T: T.nn.functional.dropout(T.ones(3), -0.1),
    lambda T: T.dropout(T.ones(3), 1.5, True),
    lambda T: T.nn.Dropout(2),
    lambda T: T.dropout(T.ones(0), 0.5, True).shape,
    lambda T: T.dropout(T.ones(3, dtype=T.long), 0.5, True),
    lambda T: repr(T.nn.Dropout(0.25, inplace=True)),
])
def test_dropout_errors_and_repr(program):
    check(program)
