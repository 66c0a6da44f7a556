"""Conformance tests for spec/init.toml: torch.nn.init fills, gains, fans and the Xavier / Kaiming draws.

Random initialisers are checked three ways: with the same seed the oracle's values equal a plain uniform_ /
normal_ draw with the documented bound or std (the predicate, computed on the oracle), every value lies
within the documented bound, and the implementation's values equal the oracle's.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import claims
from conformance import strategies as cst

SEEDS = st.integers(0, 2**16)
WEIGHT_SHAPES = st.lists(st.integers(1, 5), min_size=2, max_size=4).map(tuple)
NONLINEARITIES = st.sampled_from(["relu", "leaky_relu", "linear", "tanh", "sigmoid", "conv2d", "selu"])
GAIN_TABLE = {
    "linear": 1.0,
    "conv1d": 1.0,
    "conv2d": 1.0,
    "conv3d": 1.0,
    "conv_transpose1d": 1.0,
    "conv_transpose2d": 1.0,
    "conv_transpose3d": 1.0,
    "sigmoid": 1.0,
    "tanh": 5.0 / 3,
    "relu": math.sqrt(2.0),
    "selu": 3.0 / 4,
    "leaky_relu": math.sqrt(2.0 / (1 + 0.01**2)),
}


def fans(shape: tuple[int, ...]) -> tuple[int, int]:
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def gain(nonlinearity: str, a: float) -> float:
    if nonlinearity == "leaky_relu":
        return math.sqrt(2.0 / (1 + a**2))
    return GAIN_TABLE[nonlinearity]


def same_draw(r, T) -> bool:
    return T.equal(r["init"], r["manual"])


def within(r, bound: float) -> bool:
    return bool((r["init"].abs() <= bound * (1 + 1e-6)).all().item())


@claims("init.static-fills")
@given(shape=cst.shapes(max_dims=3, max_side=4), value=st.sampled_from([0.3, -2.0, 7.0, 0.0]))
def test_static_fills(differential, shape, value):
    def program(T, device):
        nn = T.nn
        a = T.empty(shape, device=device)
        out = {}
        for name, fill in (("zeros", nn.init.zeros_), ("ones", nn.init.ones_)):
            returned = fill(a)
            out[name] = (returned is a, a.clone())
        returned = nn.init.constant_(a, value)
        out["constant"] = (returned is a, a.clone())
        return out

    def holds(r, T):
        return (
            all(same for same, _ in r.values())
            and not r["zeros"][1].any().item()
            and bool((r["ones"][1] == 1).all().item())
            and bool((r["constant"][1] == T.tensor(value)).all().item())
        )

    differential(program, predicate=holds)


@claims("init.static-fills")
def test_static_fills_document_example(differential):
    def program(T, device):
        nn = T.nn
        a = T.empty(3, 5, device=device)
        seen = [nn.init.zeros_(a).clone(), nn.init.ones_(a).clone(), nn.init.constant_(a, 0.3).clone()]
        return seen

    differential(
        program,
        predicate=lambda r, T: (
            r[0].sum().item() == 0 and r[1].sum().item() == 15 and bool((r[2] == T.tensor(0.3)).all().item())
        ),
    )


@claims("init.inplace-on-leaf-parameter")
@given(
    shape=WEIGHT_SHAPES,
    which=st.sampled_from(["constant_", "zeros_", "xavier_uniform_", "kaiming_normal_"]),
    seed=SEEDS,
)
def test_inplace_on_leaf_parameter(differential, shape, which, seed):
    def program(T, device):
        T.manual_seed(seed)
        p = T.nn.Parameter(T.ones(shape, device=device))
        fn = getattr(T.nn.init, which)
        returned = fn(p, 0.5) if which == "constant_" else fn(p)
        return {"p": p, "same": returned is p}

    differential(
        program,
        predicate=lambda r, T: (
            r["same"] and r["p"].is_leaf and r["p"].grad_fn is None and r["p"].requires_grad
        ),
    )


@claims("init.calculate-gain")
@given(slope=st.sampled_from([None, 0.0, 0.2, 1.0, 3.0]))
def test_calculate_gain(differential, slope):
    def program(T, device):
        table = {name: T.nn.init.calculate_gain(name) for name in GAIN_TABLE}
        leaky = (
            T.nn.init.calculate_gain("leaky_relu")
            if slope is None
            else T.nn.init.calculate_gain("leaky_relu", slope)
        )
        return {"table": table, "leaky": leaky}

    expected_leaky = math.sqrt(2.0 / (1 + (0.01 if slope is None else slope) ** 2))
    differential(
        program,
        predicate=lambda r, T: (
            all(math.isclose(r["table"][k], v) for k, v in GAIN_TABLE.items())
            and math.isclose(r["leaky"], expected_leaky)
        ),
    )


@claims("init.calculate-gain-unsupported")
@given(name=st.sampled_from(["foo", "softmax", "gelu", "Relu"]))
def test_calculate_gain_unsupported(differential, name):
    def program(T, device):
        return T.nn.init.calculate_gain(name)

    differential(program)


@claims("init.fan-needs-two-dims")
@given(
    shape=cst.nonempty_shapes(max_dims=1, max_side=5),
    which=st.sampled_from(["xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_"]),
)
def test_fan_needs_two_dims(differential, shape, which):
    def program(T, device):
        return getattr(T.nn.init, which)(T.empty(shape, device=device))

    differential(program)


def _gain_only(gains: list[float | None]) -> st.SearchStrategy:
    """Xavier keyword arguments: no gain (the default 1) or one of ``gains``."""
    return st.sampled_from(gains).map(lambda g: {} if g is None else {"gain": g})


def _kaiming(slopes: list[float]) -> st.SearchStrategy:
    return st.fixed_dictionaries({"a": st.sampled_from(slopes), "mode": st.sampled_from(["fan_in", "fan_out"]),
                                  "nonlinearity": NONLINEARITIES})


def _xavier_bound(shape: tuple[int, ...], gain: float = 1.0) -> float:
    return gain * math.sqrt(6.0 / sum(fans(shape)))


def _xavier_std(shape: tuple[int, ...], gain: float = 1.0) -> float:
    return gain * math.sqrt(2.0 / sum(fans(shape)))


def _fan(shape: tuple[int, ...], mode: str) -> int:
    return fans(shape)[0 if mode == "fan_in" else 1]


def _kaiming_bound(shape: tuple[int, ...], a: float, mode: str, nonlinearity: str) -> float:
    return gain(nonlinearity, a) * math.sqrt(3.0 / _fan(shape, mode))


def _kaiming_std(shape: tuple[int, ...], a: float, mode: str, nonlinearity: str) -> float:
    return gain(nonlinearity, a) / math.sqrt(_fan(shape, mode))


RANDOM_INITIALIZERS = [
    pytest.param("xavier_uniform_", _gain_only([None, 1.0, 2.0, math.sqrt(2.0)]), _xavier_bound, "uniform",
                 marks=claims("init.xavier-uniform"), id="xavier-uniform"),
    pytest.param("xavier_normal_", _gain_only([None, 1.0, 0.5]), _xavier_std, "normal",
                 marks=claims("init.xavier-normal"), id="xavier-normal"),
    pytest.param("kaiming_uniform_", _kaiming([0.0, 0.1, math.sqrt(5)]), _kaiming_bound, "uniform",
                 marks=claims("init.kaiming-uniform"), id="kaiming-uniform"),
    pytest.param("kaiming_normal_", _kaiming([0.0, 0.1]), _kaiming_std, "normal",
                 marks=claims("init.kaiming-normal"), id="kaiming-normal"),
]


@pytest.mark.parametrize("name, options, scale, draw", RANDOM_INITIALIZERS)
@given(shape=WEIGHT_SHAPES, seed=SEEDS, data=st.data())
def test_random_initializer(differential, name, options, scale, draw, shape, seed, data):
    """``nn.init.<name>(t, **options)`` equals a plain ``uniform_(-s, s)`` / ``normal_(0, s)`` draw with the
    same seed, ``s`` the documented bound / std; uniform values also lie within the bound."""
    kwargs = data.draw(options)
    s = scale(shape, **kwargs)

    def program(T, device):
        T.manual_seed(seed)
        init = getattr(T.nn.init, name)(T.empty(shape, device=device), **kwargs)
        T.manual_seed(seed)
        manual = T.empty(shape, device=device)
        return {"init": init, "manual": manual.uniform_(-s, s) if draw == "uniform" else manual.normal_(0, s)}

    differential(program, predicate=lambda r, T: same_draw(r, T) and (draw == "normal" or within(r, s)))


@claims(
    "init.xavier-uniform",
    "init.xavier-normal",
    "init.kaiming-uniform",
    "init.kaiming-normal",
    "init.calculate-gain",
)
@given(seed=SEEDS)
def test_initializers_document_examples(differential, seed):
    def program(T, device):
        nn = T.nn
        T.manual_seed(seed)
        a = T.empty(3, 5, device=device)
        return [
            nn.init.xavier_uniform_(a, gain=nn.init.calculate_gain("relu")).clone(),
            nn.init.xavier_normal_(a).clone(),
            nn.init.kaiming_uniform_(a, mode="fan_in", nonlinearity="relu").clone(),
            nn.init.kaiming_normal_(a, mode="fan_out", nonlinearity="relu").clone(),
        ]

    def holds(r, T):
        return (
            r[0].abs().max().item() <= math.sqrt(2) * math.sqrt(6 / 8) + 1e-6
            and r[2].abs().max().item() <= math.sqrt(2) * math.sqrt(3 / 5) + 1e-6
        )

    differential(program, predicate=holds)


@claims("init.kaiming-invalid-mode")
@given(mode=st.sampled_from(["fan_avg", "in", "fan"]), normal=st.booleans())
def test_kaiming_invalid_mode(differential, mode, normal):
    def program(T, device):
        fn = T.nn.init.kaiming_normal_ if normal else T.nn.init.kaiming_uniform_
        return fn(T.empty(3, 5, device=device), mode=mode)

    differential(program)


@claims("init.kaiming-fills-uninitialized")
@given(sizes=st.lists(st.integers(1, 4), min_size=2, max_size=5).map(tuple), seed=SEEDS)
def test_kaiming_fills_uninitialized(differential, sizes, seed):
    bound = math.sqrt(2.0) * math.sqrt(3.0 / fans(sizes)[0])

    def program(T, device):
        a = T.Tensor(*sizes).to(device)
        T.manual_seed(seed)
        init = T.nn.init.kaiming_uniform_(a, nonlinearity="relu")
        return {"init": init, "same": init is a, "shape": a.shape, "dtype": a.dtype}

    differential(
        program,
        predicate=lambda r, T: (
            r["same"]
            and r["dtype"] == T.float32
            and tuple(r["shape"]) == sizes
            and within(r, bound)
            and bool(r["init"].isfinite().all().item())
        ),
    )


@claims("init.linear-default-init")
@given(sizes=st.tuples(st.integers(1, 6), st.integers(1, 6)), seed=SEEDS)
def test_linear_default_init(differential, sizes, seed):
    fan_in, out_features = sizes
    bound = 1 / math.sqrt(fan_in)

    def program(T, device):
        T.manual_seed(seed)
        layer = T.nn.Linear(fan_in, out_features)
        T.manual_seed(seed)
        weight = T.nn.init.kaiming_uniform_(T.empty(out_features, fan_in), a=math.sqrt(5))
        bias = T.empty(out_features).uniform_(-bound, bound)
        return {
            "weight": layer.weight.to(device),
            "bias": layer.bias.to(device),
            "manual_weight": weight.to(device),
            "manual_bias": bias.to(device),
        }

    def holds(r, T):
        return (
            T.equal(r["weight"].detach(), r["manual_weight"])
            and T.equal(r["bias"].detach(), r["manual_bias"])
            and r["weight"].abs().max().item() <= bound * (1 + 1e-6)
            and r["bias"].abs().max().item() <= bound * (1 + 1e-6)
        )

    differential(program, predicate=holds)


@claims("init.linear-default-init")
def test_linear_default_init_document_sizes(differential):
    def program(T, device):
        T.manual_seed(0)
        layer = T.nn.Linear(100, 50).to(device)
        return {"weight": layer.weight, "bias": layer.bias}

    differential(
        program,
        predicate=lambda r, T: (
            np.abs(r["weight"].detach().numpy()).max() <= 0.1
            and np.abs(r["bias"].detach().numpy()).max() <= 0.1
        ),
    )
