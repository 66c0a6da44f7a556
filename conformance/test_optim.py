"""Conformance tests for spec/optim.toml: SGD, momentum, Adam, every built-in optimizer's steps, zero_grad,
param groups, state dicts."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance import claims
from conformance import strategies as cst

SEEDS = st.integers(0, 2**16)
LRS = st.sampled_from([0.01, 0.1, 0.5])

# One configuration of each built-in optimizer (with some of its options), for the claims that hold for all.
OPTIMIZERS = [
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("Adam", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1}),
    ("AdamW", {"lr": 0.01, "maximize": True}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.5, "centered": True}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.01}),
    ("Adadelta", {"lr": 1.0, "rho": 0.8, "weight_decay": 0.1}),
    ("Adamax", {"lr": 0.01, "betas": (0.8, 0.99)}),
    ("NAdam", {"lr": 0.01, "momentum_decay": 0.01, "decoupled_weight_decay": True, "weight_decay": 0.1}),
    ("RAdam", {"lr": 0.01, "weight_decay": 0.1}),
    ("Rprop", {"lr": 0.01, "etas": (0.4, 1.3)}),
    ("ASGD", {"lr": 0.05, "t0": 3, "weight_decay": 0.1}),
    ("Adafactor", {"lr": 0.05, "beta2_decay": -0.6, "weight_decay": 0.1}),
]


def bounded_floats(shape: tuple[int, ...], lo: float = -4.0, hi: float = 4.0) -> st.SearchStrategy:
    """Nested lists of float32-representable values in [lo, hi]."""
    n = cst.numel(shape)
    values = st.floats(lo, hi, width=32, allow_subnormal=False, allow_nan=False)
    return st.lists(values, min_size=n, max_size=n).map(
        lambda flat: np.array(flat, dtype=np.float32).reshape(shape).tolist()
    )


def arrays_close(a, b, rtol: float = 1e-5, atol: float = 1e-6) -> bool:
    return all(
        np.allclose(x.detach().numpy(), y.detach().numpy(), rtol=rtol, atol=atol)
        for x, y in zip(a, b, strict=True)
    )


def _model_and_loss(T, device, seed, sizes):
    T.manual_seed(seed)
    model = T.nn.Linear(*sizes).to(device)
    x = T.randn(4, sizes[0], device=device)
    target = T.randn(4, sizes[1], device=device)
    return model, lambda: T.nn.MSELoss()(model(x), target)


@claims("optim.sgd-step")
@given(seed=SEEDS, lr=LRS, sizes=st.tuples(st.integers(1, 4), st.integers(1, 4)))
def test_sgd_step(differential, seed, lr, sizes):
    def program(T, device):
        model, loss_fn = _model_and_loss(T, device, seed, sizes)
        optimizer = T.optim.SGD(model.parameters(), lr=lr)
        optimizer.zero_grad()
        loss_fn().backward()
        before = [p.detach().clone() for p in model.parameters()]
        grads = [p.grad.clone() for p in model.parameters()]
        optimizer.step()
        return {"before": before, "grads": grads, "after": [p.detach().clone() for p in model.parameters()]}

    differential(
        program,
        rtol=1e-5,
        predicate=lambda r, T: arrays_close(
            r["after"], [b - lr * g for b, g in zip(r["before"], r["grads"], strict=True)]
        ),
    )


@claims("optim.sgd-step")
@given(seed=SEEDS, epochs=st.integers(1, 4))
def test_training_loop(differential, seed, epochs):
    def program(T, device):
        T.manual_seed(seed)
        net = T.nn.Linear(100, 10).to(device)
        inputs = T.randn(10, 100, device=device)
        target = T.randn(10, 10, device=device)
        optimizer = T.optim.SGD(net.parameters(), lr=0.01)
        criterion = T.nn.MSELoss()
        losses = []
        for _ in range(epochs):
            optimizer.zero_grad()
            output = net(inputs)
            loss = criterion(target, output)
            losses.append(loss.item())
            loss.backward()
            optimizer.step()
        return {"losses": losses, "weight": net.weight.detach(), "bias": net.bias.detach()}

    differential(program, rtol=1e-4, atol=1e-5, predicate=lambda r, T: len(r["losses"]) == epochs)


@claims("optim.manual-update-equals-sgd")
@given(seed=SEEDS, lr=LRS)
def test_manual_update_equals_sgd(differential, seed, lr):
    def program(T, device):
        model, loss_fn = _model_and_loss(T, device, seed, (3, 2))
        manual = copy.deepcopy(model)
        loss_fn().backward()
        for param, source in zip(manual.parameters(), model.parameters(), strict=True):
            param.grad = source.grad.clone()
        for param in manual.parameters():
            param.data.sub_(param.grad.data * lr)
        T.optim.SGD(model.parameters(), lr=lr).step()
        return {
            "optim": [p.detach() for p in model.parameters()],
            "manual": [p.detach() for p in manual.parameters()],
        }

    differential(program, rtol=1e-5, predicate=lambda r, T: arrays_close(r["optim"], r["manual"]))


@claims("optim.sgd-momentum")
@given(seed=SEEDS, lr=LRS, momentum=st.sampled_from([0.5, 0.9]), steps=st.integers(1, 3), data=st.data())
def test_sgd_momentum(differential, seed, lr, momentum, steps, data):
    start = data.draw(bounded_floats((3,)))
    coefs = [data.draw(bounded_floats((3,))) for _ in range(steps)]

    def program(T, device):
        p = T.nn.Parameter(T.tensor(start, device=device))
        optimizer = T.optim.SGD([p], lr=lr, momentum=momentum)
        for coef in coefs:
            optimizer.zero_grad()
            (p * p * T.tensor(coef, device=device)).sum().backward()
            optimizer.step()
        return {"p": p.detach(), "buffer": optimizer.state[p]["momentum_buffer"]}

    def holds(r, T):
        p, buf = np.array(start, dtype=np.float64), None
        for coef in coefs:
            grad = 2 * p * np.array(coef, dtype=np.float64)
            buf = grad if buf is None else momentum * buf + grad
            p = p - lr * buf
        return np.allclose(r["p"].numpy(), p, rtol=1e-4, atol=1e-4) and np.allclose(
            r["buffer"].numpy(), buf, rtol=1e-4, atol=1e-4
        )

    differential(program, rtol=1e-5, atol=1e-5, predicate=holds)


@claims("optim.adam-step")
@given(lr=st.sampled_from([0.0001, 0.01, 0.1]), steps=st.integers(1, 4), data=st.data())
def test_adam_step(differential, lr, steps, data):
    start = data.draw(bounded_floats((4,)))

    def program(T, device):
        p = T.nn.Parameter(T.tensor(start, device=device))
        optimizer = T.optim.Adam([p], lr=lr)
        for _ in range(steps):
            optimizer.zero_grad()
            (p**2).sum().backward()
            optimizer.step()
        return p.detach()

    def holds(r, T):
        p = np.array(start, dtype=np.float64)
        m = v = np.zeros_like(p)
        for t in range(1, steps + 1):
            g = 2 * p
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            p = p - lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        return np.allclose(r.numpy(), p, rtol=1e-5, atol=1e-6)

    differential(program, predicate=holds)


@claims("optim.adam-step")
@given(seed=SEEDS)
def test_adam_document_construction(differential, seed):
    def program(T, device):
        model, loss_fn = _model_and_loss(T, device, seed, (3, 2))
        optimizer = T.optim.Adam(model.parameters(), lr=0.0001)
        loss_fn().backward()
        optimizer.step()
        group = optimizer.param_groups[0]
        return {
            "lr": group["lr"],
            "betas": group["betas"],
            "eps": group["eps"],
            "params": [p.detach() for p in model.parameters()],
        }

    differential(
        program,
        rtol=1e-5,
        predicate=lambda r, T: r["lr"] == 0.0001 and r["betas"] == (0.9, 0.999) and r["eps"] == 1e-8,
    )


@claims("optim.zero-grad-sets-none")
@given(seed=SEEDS, set_to_none=st.sampled_from([None, True, False]))
def test_zero_grad(differential, seed, set_to_none):
    def program(T, device):
        model, loss_fn = _model_and_loss(T, device, seed, (3, 2))
        optimizer = T.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        loss_fn().backward()
        if set_to_none is None:
            optimizer.zero_grad()
        else:
            optimizer.zero_grad(set_to_none=set_to_none)
        return [p.grad for p in model.parameters()]

    def holds(r, T):
        if set_to_none is False:
            return all(g is not None and not g.any().item() for g in r)
        return all(g is None for g in r)

    differential(program, predicate=holds)


@claims("optim.missing-zero-grad-accumulates")
@given(lr=LRS, zero=st.booleans(), optimizer=st.sampled_from([None, *OPTIMIZERS]), data=st.data())
def test_missing_zero_grad_accumulates(differential, lr, zero, optimizer, data):
    """Plain SGD(lr) (``optimizer`` None, its parameters checked in closed form) or any built-in optimizer:
    the gradient the second step sees is the sum of both iterations' without zero_grad."""
    start = data.draw(bounded_floats((3,)))
    c1, c2 = data.draw(bounded_floats((3,))), data.draw(bounded_floats((3,)))
    name, kwargs = optimizer or ("SGD", {"lr": lr})

    def program(T, device):
        p = T.nn.Parameter(T.tensor(start, device=device))
        opt = getattr(T.optim, name)([p], **kwargs)
        seen = []
        for coef in (c1, c2):
            if zero:
                opt.zero_grad()
            (p * T.tensor(coef, device=device)).sum().backward()
            seen.append(p.grad.clone())
            opt.step()
        return {"p": p.detach(), "grads": seen}

    a, b = np.array(c1, dtype=np.float64), np.array(c2, dtype=np.float64)
    expected = np.array(start, dtype=np.float64) - lr * a - lr * (b if zero else a + b)

    def holds(r, T):
        ok = np.allclose(r["grads"][1].cpu().numpy(), b if zero else a + b, rtol=1e-6, atol=1e-6)
        return ok and (optimizer is not None or np.allclose(r["p"].cpu().numpy(), expected, rtol=1e-5, atol=1e-5))

    differential(program, rtol=1e-5, predicate=holds)


@claims("optim.step-skips-params-without-grad")
@given(seed=SEEDS, optimizer=st.sampled_from(OPTIMIZERS))
def test_step_skips_params_without_grad(differential, seed, optimizer):
    name, kwargs = optimizer

    def program(T, device):
        T.manual_seed(seed)
        model = T.nn.Sequential(T.nn.Linear(3, 3), T.nn.Linear(3, 1)).to(device)
        model[0].weight.requires_grad = False
        unused = T.nn.Parameter(T.ones(2, device=device))
        params = list(model.parameters()) + [unused]
        before = [p.detach().clone() for p in params]
        opt = getattr(T.optim, name)(params, **kwargs)
        model(T.randn(2, 3, device=device)).sum().backward()
        opt.step()
        return {"before": before, "after": [p.detach().clone() for p in params]}

    def holds(r, T):
        same = [T.equal(b, a) for b, a in zip(r["before"], r["after"], strict=True)]
        return same[0] and same[-1] and not all(same[1:-1])

    differential(program, rtol=1e-5, predicate=holds)


@claims("optim.builtin-optimizers-step")
@settings(max_examples=4)
@given(seed=SEEDS)
@pytest.mark.parametrize(("name", "kwargs"), [pytest.param(n, k, id=n) for n, k in OPTIMIZERS])
def test_optimizer_100_steps(differential, name, kwargs, seed):
    """The documents' loop (zero_grad, backward, step) 100 times, the loss's coefficients drawn from the
    seed each step. The losses are elementwise (their gradients are exact), so both libraries step from
    the same gradients; torch fuses ``add(alpha=)`` where reftorch rounds twice, a drift of a few ulps
    over 100 steps: compared to rtol 1e-5, atol 1e-6 (float32)."""
    rng = np.random.default_rng(seed)
    start = [rng.standard_normal(s).astype(np.float32) for s in ((3, 2), (4,), (2,))]
    coefs = [[rng.standard_normal(s).astype(np.float32).tolist() for s in ((3, 2), (4,))] for _ in range(100)]

    def program(T, device):
        w, q, frozen = (T.nn.Parameter(T.tensor(a.tolist(), device=device)) for a in start)
        opt = getattr(T.optim, name)([w, q, frozen], **kwargs)
        for c1, c2 in coefs:
            opt.zero_grad()
            loss = (w * T.tensor(c1, device=device)).sum() + (q * q * T.tensor(c2, device=device)).sum()
            loss.backward()
            opt.step()
        return {"params": [p.detach() for p in (w, q, frozen)]}

    def holds(r, T):
        moved = [not np.allclose(p.cpu().numpy(), a) for p, a in zip(r["params"], start, strict=True)]
        return moved[0] and moved[1] and np.array_equal(r["params"][2].cpu().numpy(), start[2])

    differential(program, rtol=1e-5, atol=1e-6, predicate=holds)


@claims("optim.per-parameter-options")
@given(seed=SEEDS, lrs=st.tuples(LRS, LRS), default=LRS)
def test_per_parameter_options(differential, seed, lrs, default):
    def program(T, device):
        model, loss_fn = _model_and_loss(T, device, seed, (3, 2))
        optimizer = T.optim.SGD(
            [{"params": [model.weight], "lr": lrs[0]}, {"params": [model.bias]}], lr=default
        )
        loss_fn().backward()
        before = [p.detach().clone() for p in (model.weight, model.bias)]
        grads = [p.grad.clone() for p in (model.weight, model.bias)]
        optimizer.step()
        return {
            "lrs": [g["lr"] for g in optimizer.param_groups],
            "before": before,
            "grads": grads,
            "after": [p.detach().clone() for p in (model.weight, model.bias)],
        }

    def holds(r, T):
        expected = [r["before"][0] - lrs[0] * r["grads"][0], r["before"][1] - default * r["grads"][1]]
        return r["lrs"] == [lrs[0], default] and arrays_close(r["after"], expected)

    differential(program, rtol=1e-5, predicate=holds)


@claims("optim.state-dict-structure")
@given(seed=SEEDS, lr=LRS, momentum=st.sampled_from([0.0, 0.9]))
def test_state_dict_structure(differential, seed, lr, momentum):
    def program(T, device):
        model, loss_fn = _model_and_loss(T, device, seed, (3, 2))
        optimizer = T.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
        loss_fn().backward()
        optimizer.step()
        sd = optimizer.state_dict()
        return {
            "keys": sorted(sd),
            "state": {k: dict(v) for k, v in sd["state"].items()},
            "groups": [{k: g[k] for k in ("lr", "momentum", "params")} for g in sd["param_groups"]],
        }

    def holds(r, T):
        ok = r["keys"] == ["param_groups", "state"] and r["groups"] == [
            {"lr": lr, "momentum": momentum, "params": [0, 1]}
        ]
        if momentum:
            ok = (
                ok
                and sorted(r["state"]) == [0, 1]
                and all("momentum_buffer" in s for s in r["state"].values())
            )
        return ok

    differential(program, rtol=1e-5, predicate=holds)


@claims("optim.load-state-dict-restores")
@given(seed=SEEDS, lr=LRS, optimizer=st.sampled_from([None, *OPTIMIZERS]))
def test_load_state_dict_restores(differential, seed, lr, optimizer):
    """SGD(lr, momentum=0.9) (``optimizer`` None) or any built-in optimizer: two steps, the state dict
    copied into a fresh optimizer built with another lr, one more step on each."""
    name, kwargs = optimizer or ("SGD", {"lr": lr, "momentum": 0.9})

    def program(T, device):
        model, loss_fn = _model_and_loss(T, device, seed, (3, 2))
        opt = getattr(T.optim, name)(model.parameters(), **kwargs)
        for _ in range(2):
            opt.zero_grad()
            loss_fn().backward()
            opt.step()
        twin = copy.deepcopy(model)
        restored = getattr(T.optim, name)(twin.parameters(), **{**kwargs, "lr": 0.5})
        restored.load_state_dict(copy.deepcopy(opt.state_dict()))  # as if saved to a file
        for m, o in ((model, opt), (twin, restored)):
            o.zero_grad()
            T.nn.MSELoss()(m(T.ones(2, 3, device=device)), T.zeros(2, 2, device=device)).backward()
            o.step()
        return {
            "lr": restored.param_groups[0]["lr"],
            "original": [p.detach() for p in model.parameters()],
            "restored": [p.detach() for p in twin.parameters()],
        }

    differential(
        program,
        rtol=1e-5,
        predicate=lambda r, T: r["lr"] == kwargs["lr"] and arrays_close(r["original"], r["restored"], 0, 0),
    )


@claims("optim.no-sgc")
def test_no_sgc(differential):
    def program(T, device):
        net = T.nn.Linear(2, 2)
        return T.optim.SGC(net.parameters(), lr=0.01)

    differential(program)
