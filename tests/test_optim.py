"""torch.optim against the installed torch: the pointwise ops the optimizers use (addcmul, addcdiv),
100-step trajectories of every optimizer configuration, state dicts both ways, hooks and errors."""

from __future__ import annotations

import copy
import warnings
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

SHAPES = ((4, 3), (3,), (2, 3, 2), (2,))  # the last parameter never gets a gradient: it must stay untouched


def _grads(seed: int, steps: int) -> list[list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    return [[rng.standard_normal(s).astype(np.float32) for s in SHAPES[:-1]] for _ in range(steps)]


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
    ("Adadelta", {"lr": 1.0}),
    ("Adadelta", {"lr": 0.5, "rho": 0.8, "weight_decay": 0.1, "eps": 1e-5}),
    ("Adadelta", {"lr": 0.5, "maximize": True, "foreach": False}),
    ("Adamax", {"lr": 0.01}),
    ("Adamax", {"lr": 0.01, "betas": (0.8, 0.99), "weight_decay": 0.1, "eps": 1e-6}),
    ("Adamax", {"lr": 0.01, "maximize": True}),
    ("NAdam", {"lr": 0.01}),
    ("NAdam", {"lr": 0.01, "momentum_decay": 0.01, "weight_decay": 0.1}),
    ("NAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True, "betas": (0.8, 0.99)}),
    ("NAdam", {"lr": 0.01, "maximize": True, "eps": 1e-6}),
    ("RAdam", {"lr": 0.01}),
    ("RAdam", {"lr": 0.01, "weight_decay": 0.1}),
    ("RAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True, "betas": (0.8, 0.9)}),
    ("RAdam", {"lr": 0.01, "maximize": True, "eps": 1e-6}),
    ("Rprop", {"lr": 0.01}),
    ("Rprop", {"lr": 0.05, "etas": (0.3, 1.5), "step_sizes": (1e-4, 0.1)}),
    ("Rprop", {"lr": 0.01, "maximize": True}),
    ("ASGD", {"lr": 0.01}),
    ("ASGD", {"lr": 0.05, "lambd": 1e-3, "alpha": 0.5, "t0": 5, "weight_decay": 0.1}),
    ("ASGD", {"lr": 0.01, "maximize": True, "t0": 10}),
    ("Adafactor", {"lr": 0.01}),
    ("Adafactor", {"lr": 0.05, "beta2_decay": -0.5, "eps": (1e-6, 1e-2), "d": 2.0, "weight_decay": 0.1}),
    ("Adafactor", {"lr": 0.01, "maximize": True, "eps": (None, 0.1), "foreach": False}),
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
    assert np.array_equal(ours[-1][-1], _start(0)[-1])  # no gradient, no update
    assert_same(opt_o.state_dict(), opt_t.state_dict())


def _convert(value: Any, T: Any) -> Any:
    """A state dict with every tensor replaced by an equal tensor of library ``T`` (as if saved and loaded)."""
    if isinstance(value, (torch.Tensor, reftorch.Tensor)):
        return T.from_numpy(value.detach().numpy().copy())
    if isinstance(value, dict):
        return {k: _convert(v, T) for k, v in value.items()}
    if isinstance(value, list):
        return [_convert(v, T) for v in value]
    return value


@pytest.mark.parametrize(("name", "kwargs"), CONFIGS, ids=CONFIG_IDS)
@pytest.mark.parametrize("direction", ["torch-to-reftorch", "reftorch-to-torch"])
def test_state_dict_round_trip(name: str, kwargs: dict[str, Any], direction: str) -> None:
    """30 steps on one library, its state dict loaded into a fresh optimizer of the other library (with a
    different lr, overwritten by the load), then 20 more steps: the same as 50 steps on torch alone."""
    first, second = (torch, reftorch) if direction == "torch-to-reftorch" else (reftorch, torch)
    expected, opt_full = trajectory(torch, name, kwargs, steps=50, seed=3, groups=True)
    before, opt_first = trajectory(first, name, kwargs, steps=30, seed=3, groups=True)
    params = [second.nn.Parameter(second.from_numpy(a.copy())) for a in before[-1]]
    opt = getattr(second.optim, name)([{"params": params[:1], "lr": 0.5}, {"params": params[1:]}],
                                      **{**kwargs, "lr": 0.7})
    sd = _convert(copy.deepcopy(opt_first.state_dict()), second)
    opt.load_state_dict(sd)
    assert [g["lr"] for g in opt.param_groups] == [0.05, kwargs["lr"]]
    for grads in _grads(3, 50)[30:]:
        opt.zero_grad()
        for p, g in zip(params, grads, strict=False):
            p.grad = second.from_numpy(g.copy())
        opt.step()
    for o, t in zip(params, expected[-1], strict=True):
        np.testing.assert_allclose(o.detach().numpy(), t, rtol=1.3e-6, atol=1e-5)
    if second is reftorch:  # the loaded optimizer's state dict equals torch's after the same 50 steps
        sd_o, sd_t = opt.state_dict(), opt_full.state_dict()
        assert sd_o["param_groups"] == sd_t["param_groups"]
        assert sd_o["state"].keys() == sd_t["state"].keys()
        for k in sd_t["state"]:
            assert sd_o["state"][k].keys() == sd_t["state"][k].keys()
            for key, v in sd_t["state"][k].items():
                assert sd_o["state"][k][key].dtype == getattr(reftorch, str(v.dtype).split(".")[1])
                np.testing.assert_allclose(sd_o["state"][k][key].numpy(), v.numpy(), rtol=1e-5, atol=1e-6)


def test_state_dict_structure_and_load_casts() -> None:
    """The structure with two groups and a shared parameter count; a loaded float64 state tensor is cast
    to the parameter's dtype, ``step`` is kept as saved; the loaded groups are copies."""

    def program(T: Any) -> Any:
        a, b = T.nn.Parameter(T.ones(2)), T.nn.Parameter(T.zeros(3))
        opt = T.optim.Adam([{"params": [a]}, {"params": b, "lr": 0.5}], lr=0.1)
        a.grad, b.grad = T.ones(2), T.ones(3)
        opt.step()
        sd = opt.state_dict()
        sd["state"][0]["exp_avg"] = sd["state"][0]["exp_avg"].double()
        sd["state"][0]["step"] = sd["state"][0]["step"].double()
        opt2 = T.optim.Adam([{"params": [a]}, {"params": [b]}])
        opt2.load_state_dict(sd)
        sd["param_groups"][0]["lr"] = 99.0
        state = opt2.state[a]
        return (sd["param_groups"][1], state["exp_avg"], state["step"], opt2.param_groups[0]["lr"],
                opt2.param_groups[1]["params"][0] is b, sorted(opt2.state_dict()["state"]), repr(opt2))

    check(program)


LOAD_ERRORS = [
    lambda T, sd: T.optim.SGD([T.nn.Parameter(T.ones(1))]).load_state_dict(sd),
    lambda T, sd: T.optim.SGD([{"params": [T.nn.Parameter(T.ones(1))]},
                               {"params": [T.nn.Parameter(T.ones(1))]}]).load_state_dict(sd),
]


@pytest.mark.parametrize("index", range(len(LOAD_ERRORS)))
def test_load_state_dict_errors(index: int) -> None:
    def program(T: Any) -> Any:
        opt = T.optim.SGD([{"params": [T.nn.Parameter(T.ones(1)), T.nn.Parameter(T.ones(1))]}], lr=0.1)
        if index == 1:
            opt = T.optim.SGD([T.nn.Parameter(T.ones(1))], lr=0.1)
        return LOAD_ERRORS[index](T, opt.state_dict())

    check(program)


# ----------------------------------------------------------------------------- errors

def _p(T: Any) -> Any:
    return T.nn.Parameter(T.ones(2))


ERRORS = {
    "sgd-negative-lr": lambda T: T.optim.SGD([_p(T)], lr=-0.1),
    "sgd-negative-momentum": lambda T: T.optim.SGD([_p(T)], lr=0.1, momentum=-1),
    "sgd-negative-wd": lambda T: T.optim.SGD([_p(T)], lr=0.1, weight_decay=-1),
    "sgd-nesterov": lambda T: T.optim.SGD([_p(T)], lr=0.1, nesterov=True),
    "sgd-nesterov-dampening": lambda T: T.optim.SGD([_p(T)], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
    "sgd-fused-foreach": lambda T: T.optim.SGD([_p(T)], lr=0.1, fused=True, foreach=True),
    "adam-negative-lr": lambda T: T.optim.Adam([_p(T)], lr=-1e-3),
    "adam-eps": lambda T: T.optim.Adam([_p(T)], eps=-1.0),
    "adam-beta0": lambda T: T.optim.Adam([_p(T)], betas=(1.0, 0.999)),
    "adam-beta1": lambda T: T.optim.Adam([_p(T)], betas=(0.9, -0.1)),
    "adam-int-betas": lambda T: T.optim.Adam([_p(T)], betas=(0, 0.5)),
    "adam-wd": lambda T: T.optim.Adam([_p(T)], weight_decay=-0.1),
    "adamw-beta": lambda T: T.optim.AdamW([_p(T)], betas=(0.9, 1.5)),
    "adadelta-rho": lambda T: T.optim.Adadelta([_p(T)], rho=1.5),
    "adadelta-eps": lambda T: T.optim.Adadelta([_p(T)], eps=-1e-6),
    "adadelta-wd": lambda T: T.optim.Adadelta([_p(T)], weight_decay=-1),
    "adadelta-lr-tensor": lambda T: T.optim.Adadelta([_p(T)], lr=T.ones(2)),
    "adamax-beta0": lambda T: T.optim.Adamax([_p(T)], betas=(1.0, 0.999)),
    "adamax-negative-lr": lambda T: T.optim.Adamax([_p(T)], lr=-1.0),
    "nadam-beta1": lambda T: T.optim.NAdam([_p(T)], betas=(0.9, 1.0)),
    "nadam-momentum-decay": lambda T: T.optim.NAdam([_p(T)], momentum_decay=-0.1),
    "nadam-wd": lambda T: T.optim.NAdam([_p(T)], weight_decay=-0.1),
    "radam-eps": lambda T: T.optim.RAdam([_p(T)], eps=-1.0),
    "radam-beta0": lambda T: T.optim.RAdam([_p(T)], betas=(-0.1, 0.999)),
    "rprop-etas": lambda T: T.optim.Rprop([_p(T)], etas=(1.5, 1.2)),
    "rprop-lr": lambda T: T.optim.Rprop([_p(T)], lr=-0.1),
    "asgd-wd": lambda T: T.optim.ASGD([_p(T)], weight_decay=-1),
    "asgd-lr-tensor": lambda T: T.optim.ASGD([_p(T)], lr=T.ones(2)),
    "capturable-on-cpu-rprop": lambda T: (lambda p: (setattr(p, "grad", T.ones(2)),
                                                     T.optim.Rprop([p], capturable=True).step()))(_p(T)),
    "capturable-on-cpu-asgd": lambda T: (lambda p: (setattr(p, "grad", T.ones(2)),
                                                    T.optim.ASGD([p], capturable=True).step()))(_p(T)),
    "adafactor-lr": lambda T: T.optim.Adafactor([_p(T)], lr=-0.1),
    "adafactor-lr-tensor": lambda T: T.optim.Adafactor([_p(T)], lr=T.ones(2)),
    "adafactor-beta2-decay": lambda T: T.optim.Adafactor([_p(T)], beta2_decay=0.5),
    "adafactor-eps1": lambda T: T.optim.Adafactor([_p(T)], eps=(-1e-3, 1e-3)),
    "adafactor-eps2": lambda T: T.optim.Adafactor([_p(T)], eps=(None, -1e-3)),
    "adafactor-d": lambda T: T.optim.Adafactor([_p(T)], d=0.5),
    "adafactor-wd": lambda T: T.optim.Adafactor([_p(T)], weight_decay=-0.1),
    "adafactor-complex": lambda T: (lambda p: (setattr(p, "grad", T.ones(2, dtype=T.complex64)),
                                               T.optim.Adafactor([p]).step()))(
        T.nn.Parameter(T.ones(2, dtype=T.complex64))),
    "lbfgs-lr": lambda T: T.optim.LBFGS([_p(T)], lr=-1),
    "lbfgs-groups": lambda T: T.optim.LBFGS([{"params": [_p(T)]}, {"params": [_p(T)]}]),
    "lbfgs-no-closure": lambda T: T.optim.LBFGS([_p(T)]).step(),
    "lbfgs-line-search": lambda T: (lambda p: T.optim.LBFGS([p], line_search_fn="wolfe").step(
        lambda: (p * p).sum().backward() or (p * p).sum()))(_p(T)),
    "capturable-on-cpu": lambda T: (lambda p: (setattr(p, "grad", T.ones(2)),
                                               T.optim.NAdam([p], capturable=True).step()))(_p(T)),
    "capturable-on-cpu-adadelta": lambda T: (lambda p: (setattr(p, "grad", T.ones(2)),
                                                        T.optim.Adadelta([p], capturable=True).step()))(_p(T)),
    "capturable-on-cpu-adam": lambda T: (lambda p: (setattr(p, "grad", T.ones(2)),
                                                    T.optim.Adam([p], capturable=True).step()))(_p(T)),
    "capturable-on-cpu-rmsprop": lambda T: (lambda p: (setattr(p, "grad", T.ones(2)),
                                                       T.optim.RMSprop([p], capturable=True).step()))(_p(T)),
    "rmsprop-alpha": lambda T: T.optim.RMSprop([_p(T)], alpha=-0.5),
    "rmsprop-momentum": lambda T: T.optim.RMSprop([_p(T)], momentum=-0.5),
    "adagrad-lr-decay": lambda T: T.optim.Adagrad([_p(T)], lr_decay=-0.5),
    "adagrad-initial": lambda T: T.optim.Adagrad([_p(T)], initial_accumulator_value=-0.5),
    "tensor-not-iterable": lambda T: T.optim.SGD(_p(T), lr=0.1),
    "empty": lambda T: T.optim.SGD([], lr=0.1),
    "empty-generator": lambda T: T.optim.Adam(iter([])),
    "non-tensor": lambda T: T.optim.SGD([_p(T), 3], lr=0.1),
    "non-leaf": lambda T: T.optim.SGD([_p(T) * 2], lr=0.1),
    "set": lambda T: T.optim.SGD([{"params": {_p(T)}}], lr=0.1),
    "two-groups": lambda T: (lambda p: T.optim.SGD([{"params": [p]}, {"params": [p]}], lr=0.1))(_p(T)),
    "add-group-twice": lambda T: (lambda p: T.optim.SGD([p], lr=0.1).add_param_group({"params": p}))(_p(T)),
    "add-group-not-dict": lambda T: T.optim.SGD([_p(T)], lr=0.1).add_param_group([_p(T)]),
    "names-mixed": lambda T: T.optim.SGD([("a", _p(T)), _p(T)], lr=0.1),
    "no-sgc": lambda T: T.optim.SGC([_p(T)], lr=0.01),
    "pre-hook-bad-result": lambda T: (lambda o: (o.register_step_pre_hook(lambda *a: 5), o.step()))(
        T.optim.SGD([_p(T)], lr=0.1)),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_errors(name: str) -> None:
    fn = ERRORS[name]
    if name in ("pre-hook-bad-result", "no-sgc"):  # the message names the step function / the module
        check(fn, message=False)
        return
    check(fn)


def test_adafactor_eps1_from_first_parameter_and_closure() -> None:
    """Adafactor's ``eps1=None`` becomes the machine epsilon of the group's first stepped parameter and
    stays so for the rest of the group (torch's loop keeps it), here a float64 one before a float32 one
    whose gradient is tiny enough for ``eps1`` to matter; the closure's loss is returned; the factored
    state of a 3-D parameter and the 1-D ``variance`` of a vector."""

    def program(T: Any) -> Any:
        a = T.nn.Parameter(T.tensor([1.0, -2.0], dtype=T.float64))
        b = T.nn.Parameter(T.ones(2, 3, 2))
        opt = T.optim.Adafactor([a, b], lr=0.1)

        def closure() -> Any:
            a.grad, b.grad = T.tensor([0.5, 1e-9], dtype=T.float64), T.full((2, 3, 2), 1e-12)
            return T.is_grad_enabled()

        losses = [opt.step(closure) for _ in range(3)]
        return losses, a.detach(), b.detach(), opt.state_dict()["state"]

    check(program)


@pytest.mark.parametrize("lr", [[0.05], 0.05], ids=["1-d", "0-d"])
def test_adafactor_tensor_lr(lr: Any) -> None:
    """A one-element tensor lr: torch's ``_to_scalar`` squeezes it and the step computes rho, alpha and
    the weight decay factor with it as a tensor; the group keeps the tensor."""

    def program(T: Any) -> Any:
        a, b = T.nn.Parameter(T.tensor([1.0, -2.0])), T.nn.Parameter(T.ones(2, 3))
        opt = T.optim.Adafactor([a, b], lr=T.tensor(lr), weight_decay=0.1)
        for i in range(3):
            a.grad, b.grad = T.tensor([0.5, 1.5]), T.full((2, 3), 0.3 + i)
            opt.step()
        return a.detach(), b.detach(), opt.state_dict()

    check(program)


def test_retained_grad_non_leaf_accepted_and_duplicate_warning() -> None:
    def program(T: Any) -> Any:
        x = _p(T) * 2
        x.retain_grad()
        opt = T.optim.SGD([x], lr=0.1)
        p = _p(T)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            T.optim.SGD([p, p], lr=0.1)
        return len(opt.param_groups[0]["params"]), [str(w.message) for w in caught]

    check(program)


# ----------------------------------------------------------------------------- behaviour

def test_zero_grad_closure_hooks_and_groups() -> None:
    def program(T: Any) -> Any:
        p, q = T.nn.Parameter(T.tensor([1.0, -2.0])), T.nn.Parameter(T.tensor([0.5]))
        opt = T.optim.SGD([p], lr=0.1, momentum=0.9)
        calls = []
        h1 = opt.register_step_pre_hook(lambda o, args, kwargs: calls.append(("pre", len(args), dict(kwargs))))
        opt.register_step_post_hook(lambda o, args, kwargs: calls.append(("post", p.detach().clone())))

        def closure() -> Any:
            opt.zero_grad()
            loss = ((p - T.tensor([3.0, 1.0])) ** 2).mean()
            loss.backward()
            calls.append(("closure", T.is_grad_enabled()))
            return loss

        loss1 = opt.step(closure)
        h1.remove()
        loss2 = opt.step(closure=closure)
        opt.add_param_group({"params": q, "lr": 0.3})
        q.grad = T.tensor([2.0])
        opt.step()
        opt.zero_grad(set_to_none=False)
        zeroed = [x.grad for x in (p, q)]
        opt.zero_grad()
        return (loss1, loss2, calls, p.detach(), q.detach(), zeroed, p.grad, q.grad,
                [sorted(g) for g in opt.param_groups], opt.param_groups[1]["momentum"], T.is_grad_enabled())

    check(program)


def test_named_parameters_groups() -> None:
    def program(T: Any) -> Any:
        model = T.nn.Linear(3, 2)
        opt = T.optim.AdamW(model.named_parameters(), lr=0.01)
        for p in model.parameters():
            p.grad = T.ones_like(p)
        opt.step()
        sd = opt.state_dict()
        return sd["param_groups"], sorted(sd["state"]), repr(opt)

    check(program)


@pytest.mark.parametrize(("name", "kwargs"), [c for c in CONFIGS if c[0] in ("SGD", "Adam", "AdamW")][::2])
def test_autograd_training_loop(name: str, kwargs: dict[str, Any]) -> None:
    """Gradients from autograd (a hand-written mean squared error): 100 steps of a linear model."""
    rng = np.random.default_rng(5)
    w0, b0 = rng.standard_normal((3, 4)).astype(np.float32), rng.standard_normal(3).astype(np.float32)
    x, y = rng.standard_normal((8, 4)).astype(np.float32), rng.standard_normal((8, 3)).astype(np.float32)

    def program(T: Any) -> Any:
        w, b = T.nn.Parameter(T.from_numpy(w0.copy())), T.nn.Parameter(T.from_numpy(b0.copy()))
        opt = getattr(T.optim, name)([w, b], **kwargs)
        losses = []
        for _ in range(100):
            opt.zero_grad()
            loss = ((T.from_numpy(x) @ w.t() + b - T.from_numpy(y)) ** 2).mean()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return np.array(losses), w.detach().numpy(), b.detach().numpy()

    (lo, wo, bo), (lt, wt, bt) = program(reftorch), program(torch)
    # matmul and mean reduce in a different order than torch's kernels, so gradients differ in the last
    # bits and the difference compounds over 100 steps: a looser tolerance than the fed-gradient tests
    np.testing.assert_allclose(lo, lt, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(wo, wt, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(bo, bt, rtol=1e-4, atol=1e-5)


# ----------------------------------------------------------------------------- LBFGS

LBFGS_CONFIGS = [
    {},
    {"lr": 0.5, "history_size": 3, "max_iter": 7},
    {"line_search_fn": "strong_wolfe"},
    {"line_search_fn": "strong_wolfe", "history_size": 2, "max_iter": 10, "max_eval": 30, "lr": 0.8},
    {"tolerance_grad": 1e-3, "tolerance_change": 1e-5},
]


def _lbfgs_run(T: Any, kwargs: dict[str, Any], dtype: str, steps: int = 5) -> tuple[list[Any], list[Any], Any]:
    """``steps`` LBFGS steps on a small convex problem (least squares plus a quartic penalty); the losses
    the steps return, the parameters after each step and the optimizer."""
    rng = np.random.default_rng(11)
    x, y = rng.standard_normal((16, 5)).astype(dtype), rng.standard_normal((16, 2)).astype(dtype)
    w0, b0 = (0.5 * rng.standard_normal((5, 2))).astype(dtype), np.zeros(2, dtype)
    w, b = T.nn.Parameter(T.from_numpy(w0)), T.nn.Parameter(T.from_numpy(b0))
    unused = T.nn.Parameter(T.ones(3, dtype=getattr(T, dtype)))  # never gets a gradient: zeros in the flat one
    opt = T.optim.LBFGS([w, unused, b], **kwargs)

    def closure() -> Any:
        opt.zero_grad()
        loss = ((T.from_numpy(x) @ w + b - T.from_numpy(y)) ** 2).mean() + 0.1 * (w**4).sum()
        loss.backward()
        return loss

    losses, params = [], []
    for _ in range(steps):
        losses.append(opt.step(closure).item())
        params.append([p.detach().numpy().copy() for p in (w, unused, b)])
    return losses, params, opt


def _state_like(ours: Any, theirs: Any, rtol: float) -> None:
    """The same structure (types, keys, lengths) and values close to ``rtol``."""
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, reftorch.Tensor) and str(ours.dtype) == str(theirs.dtype)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=rtol, atol=rtol)
    elif isinstance(theirs, dict):
        assert list(ours) == list(theirs)
        for k in theirs:
            _state_like(ours[k], theirs[k], rtol)
    elif isinstance(theirs, list):
        assert len(ours) == len(theirs)
        for o, t in zip(ours, theirs, strict=True):
            _state_like(o, t, rtol)
    elif isinstance(theirs, float):
        assert type(ours) is float and ours == pytest.approx(theirs, rel=rtol, abs=rtol)
    else:
        assert type(ours) is type(theirs) and ours == theirs


@pytest.mark.parametrize("kwargs", LBFGS_CONFIGS, ids=[str(k) for k in LBFGS_CONFIGS])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_lbfgs_matches_torch(kwargs: dict[str, Any], dtype: str) -> None:
    """The losses ``step(closure)`` returns, the parameters after each step and the whole state
    (``func_evals``, ``n_iter``, the history lists, ``H_diag``...). The closure's matmul and mean reduce in
    another order than torch's kernels; near the minimum the curvature pairs (``ro = 1 / y.s`` ~ 1e7) and
    the termination tests amplify that last-bit noise, so float64 runs 5 steps compared to 1e-6 and
    float32 one step of at most 4 iterations, compared to 1e-4."""
    if dtype == "float64":
        rtol, steps = 1e-6, 5
    else:
        rtol, steps, kwargs = 1e-4, 1, {**kwargs, "max_iter": 4}
    lo, po, opt_o = _lbfgs_run(reftorch, kwargs, dtype, steps)
    lt, pt, opt_t = _lbfgs_run(torch, kwargs, dtype, steps)
    np.testing.assert_allclose(lo, lt, rtol=rtol)
    for o_step, t_step in zip(po, pt, strict=True):
        for o, t in zip(o_step, t_step, strict=True):
            assert o.dtype == t.dtype
            np.testing.assert_allclose(o, t, rtol=rtol, atol=rtol)
    _state_like(opt_o.state_dict(), opt_t.state_dict(), rtol)


@pytest.mark.parametrize("direction", ["torch-to-reftorch", "reftorch-to-torch"])
def test_lbfgs_state_dict_round_trip(direction: str) -> None:
    """Three steps on one library, the state loaded into the other's optimizer, two more steps: the same
    as five steps on torch."""
    first, second = (torch, reftorch) if direction == "torch-to-reftorch" else (reftorch, torch)
    kwargs = {"line_search_fn": "strong_wolfe", "history_size": 4}
    _, expected, _ = _lbfgs_run(torch, kwargs, "float64")
    _, _, opt_first = _lbfgs_run(first, kwargs, "float64", steps=3)
    _, _, opt_second = _lbfgs_run(second, kwargs, "float64", steps=0)
    for p, value in zip(opt_second.param_groups[0]["params"], opt_first.param_groups[0]["params"], strict=True):
        with second.no_grad():
            p.copy_(second.from_numpy(value.detach().numpy().copy()))
    opt_second.load_state_dict(_convert(copy.deepcopy(opt_first.state_dict()), second))
    closure_owner = opt_second.param_groups[0]["params"]
    rng = np.random.default_rng(11)
    x, y = rng.standard_normal((16, 5)), rng.standard_normal((16, 2))
    w, _, b = closure_owner

    def closure() -> Any:
        opt_second.zero_grad()
        loss = ((second.from_numpy(x) @ w + b - second.from_numpy(y)) ** 2).mean() + 0.1 * (w**4).sum()
        loss.backward()
        return loss

    for _ in range(2):
        opt_second.step(closure)
    for o, t in zip(closure_owner, expected[-1], strict=True):
        np.testing.assert_allclose(o.detach().numpy(), t, rtol=1e-7, atol=1e-9)
