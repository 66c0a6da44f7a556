"""torch.optim against the installed torch: the pointwise ops the optimizers use (addcmul, addcdiv),
100-step trajectories of every optimizer configuration, state dicts both ways, hooks and errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import reftorch
from tests.helpers import assert_same, check

# ----------------------------------------------------------------------------- addcmul / addcdiv


def _data(seed: int, shapes: tuple[tuple[int, ...], ...], dtype: str = "float32") -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal(s) + (2.5 if i == 2 else 0)).astype(dtype) for i, s in enumerate(shapes)]


@pytest.mark.parametrize("op", ["addcmul", "addcdiv"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("value", [1, 0.1, -0.0123456789, 3.3])
@pytest.mark.parametrize("shapes", [((1000,), (1000,), (1000,)), ((3, 4), (4,), (3, 1)), ((5,), (5,), (5,))])
def test_pointwise_values(op: str, dtype: str, value: float, shapes: tuple) -> None:
    a, b, c = _data(7, shapes, dtype)
    check(lambda T: getattr(T, op)(T.from_numpy(a), T.from_numpy(b), T.from_numpy(c), value=value))
    check(lambda T: getattr(T.from_numpy(a.copy()).expand(3, 4) if a.ndim == 2 else T.from_numpy(a.copy()),
                            op + "_")(T.from_numpy(b), T.from_numpy(c), value=value))
    check(lambda T: getattr(T.from_numpy(a), op)(T.from_numpy(b), T.from_numpy(c), value=value))


@pytest.mark.parametrize("op", ["addcmul", "addcdiv"])
@pytest.mark.parametrize("dtypes", [("int64", "int64", "int64"), ("float32", "int64", "int64"),
                                    ("int64", "float32", "float32"), ("bool", "bool", "bool"),
                                    ("float16", "float16", "float16"), ("int64", "int64", "float32")])
def test_pointwise_dtypes(op: str, dtypes: tuple[str, str, str]) -> None:
    arrays = [np.array([1, 2, 3]).astype(d) for d in dtypes]
    check(lambda T: getattr(T, op)(*(T.from_numpy(x) for x in arrays), value=2))
    check(lambda T: getattr(T, op)(*(T.from_numpy(x) for x in arrays), value=0.5))
    check(lambda T: getattr(T.from_numpy(arrays[0].copy()), op + "_")(*(T.from_numpy(x) for x in arrays[1:])))


@pytest.mark.parametrize("op", ["addcmul", "addcdiv"])
def test_pointwise_errors(op: str) -> None:
    check(lambda T: getattr(T, op)(T.ones(3), T.ones(3), T.ones(2)))
    check(lambda T: getattr(T.ones(()), op + "_")(T.ones(3), T.ones(3)))
    check(lambda T: getattr(T, op)(T.ones(3), T.ones(3), 2.0))
    check(lambda T: getattr(T, op)(T.ones(3), T.ones(3), T.ones(3), value="x"))
    check(lambda T: getattr(T, op)(T.ones(3), T.ones(3), T.ones(3), 2.0))


@pytest.mark.parametrize("op", ["addcmul", "addcdiv"])
def test_pointwise_grad(op: str) -> None:
    a, b, c = _data(3, ((2, 3), (3,), (2, 1)), "float64")

    def program(T: Any) -> Any:
        x, y, z = (T.from_numpy(v).requires_grad_() for v in (a, b, c))
        out = getattr(T, op)(x, y, z, value=0.7)
        out.backward(T.ones_like(out) * 1.5)
        return out, x.grad, y.grad, z.grad, out.grad_fn.name()

    check(program)
    xs = [reftorch.from_numpy(v).requires_grad_() for v in (a, b, c)]
    assert reftorch.autograd.gradcheck(lambda *t: getattr(reftorch, op)(*t, value=0.7), tuple(xs))


# ----------------------------------------------------------------------------- 100-step trajectories

SHAPES = ((4, 3), (3,), (2,))  # the last parameter never gets a gradient: it must stay untouched


def _grads(seed: int, steps: int) -> list[list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    return [[rng.standard_normal(s).astype(np.float32) for s in SHAPES[:2]] for _ in range(steps)]


def _start(seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed + 1000)
    return [rng.standard_normal(s).astype(np.float32) for s in SHAPES]


def trajectory(T: Any, name: str, kwargs: dict[str, Any], steps: int = 100, seed: int = 0,
               groups: bool = False) -> tuple[list[list[np.ndarray]], Any]:
    """Parameters after each of ``steps`` steps of ``T.optim.<name>`` fed the same gradients; the optimizer."""
    params = [T.nn.Parameter(T.from_numpy(a.copy())) for a in _start(seed)]
    if groups:
        opt = getattr(T.optim, name)([{"params": params[:1], "lr": 0.05}, {"params": params[1:]}], **kwargs)
    else:
        opt = getattr(T.optim, name)(params, **kwargs)
    out = []
    for grads in _grads(seed, steps):
        opt.zero_grad()
        for p, g in zip(params, grads, strict=False):
            p.grad = T.from_numpy(g.copy())
        opt.step()
        out.append([p.detach().numpy().copy() for p in params])
    return out, opt


CONFIGS = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.1, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.5, "maximize": True, "foreach": False}),
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.01, "amsgrad": True}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.1, "betas": (0.8, 0.99)}),
    ("Adam", {"lr": 0.01, "maximize": True, "amsgrad": True, "eps": 1e-6}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}),
    ("AdamW", {"lr": 0.01}),
    ("AdamW", {"lr": 0.01, "weight_decay": 0.3, "amsgrad": True, "maximize": True}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "centered": True}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.9, "weight_decay": 0.1}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.5, "centered": True, "alpha": 0.9, "maximize": True}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.1, "initial_accumulator_value": 0.1}),
    ("Adagrad", {"lr": 0.1, "maximize": True, "eps": 1e-6}),
]
CONFIG_IDS = [f"{n}-{'-'.join(f'{k}={v}' for k, v in kw.items())}" for n, kw in CONFIGS]


@pytest.mark.parametrize(("name", "kwargs"), CONFIGS, ids=CONFIG_IDS)
def test_trajectory_100_steps(name: str, kwargs: dict[str, Any]) -> None:
    theirs, opt_t = trajectory(torch, name, kwargs)
    ours, opt_o = trajectory(reftorch, name, kwargs)
    for step, (o_step, t_step) in enumerate(zip(ours, theirs, strict=True)):
        for i, (o, t) in enumerate(zip(o_step, t_step, strict=True)):
            assert o.dtype == t.dtype
            np.testing.assert_allclose(o, t, rtol=1.3e-6, atol=1e-5, err_msg=f"step {step + 1}, parameter {i}")
    assert np.array_equal(ours[-1][2], _start(0)[2])  # no gradient, no update
    assert_same(opt_o.state_dict(), opt_t.state_dict())
