"""torch.optim.swa_utils against the installed torch: AveragedModel's averages (default, EMA and SWA
functions, per-tensor and per-group, with and without buffers), SWALR's lr sequences and errors, update_bn's
running statistics."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

from tests.helpers import check

_RNG = np.random.default_rng(0)
_WEIGHTS = [[_RNG.standard_normal(s).astype(np.float32) for s in ((3, 4), (3,), (3,), (3,))] for _ in range(5)]
_INPUTS = [_RNG.standard_normal((6, 4)).astype(np.float32) for _ in range(5)]


def _model(T: Any) -> Any:
    """Linear(4, 3) then BatchNorm1d(3): parameters, float buffers and the long ``num_batches_tracked``."""
    return T.nn.Sequential(T.nn.Linear(4, 3), T.nn.BatchNorm1d(3))


def _set_weights(T: Any, model: Any, step: int) -> None:
    """New parameter values (as training would make) and one forward pass in training mode (new buffers)."""
    with T.no_grad():
        for p, w in zip(model.parameters(), _WEIGHTS[step], strict=True):
            p.copy_(T.from_numpy(w))
    model(T.from_numpy(_INPUTS[step]))


AVERAGING = {
    "default": lambda su: {},
    "ema-avg-fn": lambda su: {"avg_fn": su.get_ema_avg_fn(0.9)},
    "swa-avg-fn": lambda su: {"avg_fn": su.get_swa_avg_fn()},
    "ema-multi": lambda su: {"multi_avg_fn": su.get_ema_multi_avg_fn(0.8)},
    "swa-multi": lambda su: {"multi_avg_fn": su.get_swa_multi_avg_fn()},
    "custom": lambda su: {"avg_fn": lambda avg, cur, n: avg * 0.5 + cur * 0.25 + n},
}


@pytest.mark.parametrize("use_buffers", [False, True])
@pytest.mark.parametrize("averaging", list(AVERAGING))
def test_averaged_model(averaging: str, use_buffers: bool) -> None:
    """Five ``update_parameters`` calls: the first copies, later ones average (buffers too with
    ``use_buffers``, else copied); the averaged tensors, ``n_averaged``, the forward pass and the state dict
    (torch's SWA multi-average raises on the long buffer with ``use_buffers``: so must reftorch)."""

    def program(T: Any) -> Any:
        model = _model(T)
        swa = T.optim.swa_utils.AveragedModel(model, use_buffers=use_buffers, **AVERAGING[averaging](T.optim.swa_utils))
        seen = []
        for step in range(5):
            _set_weights(T, model, step)
            swa.update_parameters(model)
            seen.append([t.detach().clone() for t in swa.module.state_dict().values()])
        swa.eval()
        return seen, swa.n_averaged, swa(T.from_numpy(_INPUTS[0])), swa.state_dict(), swa.module is model

    check(program)


def test_multi_avg_fn_groups_by_dtype() -> None:
    """A ``multi_avg_fn`` gets the tensors grouped by (device, dtype), each group in the models' order, with
    the count as a long tensor; on the first call nothing is averaged (the model is copied). The order of
    the groups is the iteration order of torch's C++ hash map (unspecified): compared sorted."""

    def program(T: Any) -> Any:
        model = T.nn.Sequential(T.nn.Linear(2, 2), T.nn.Linear(2, 1).double(), T.nn.Linear(1, 1))
        with T.no_grad():
            for i, p in enumerate(model.parameters()):
                p.copy_(T.linspace(-1.0, 2.0 + i, p.numel()).reshape(p.shape))
        calls = []

        def record(averaged: list, current: list, n: Any) -> None:
            calls.append(([(tuple(a.shape), a.dtype) for a in averaged], len(current), n.clone()))
            for a, c in zip(averaged, current, strict=True):
                a.add_(c)

        swa = T.optim.swa_utils.AveragedModel(model, multi_avg_fn=record)
        for _ in range(3):
            swa.update_parameters(model)
        return sorted(calls, key=lambda c: (int(c[2]), str(c[0][0][1]))), [p.detach() for p in swa.parameters()]

    check(program)


ERRORS = {
    "both-fns": lambda T: T.optim.swa_utils.AveragedModel(
        _model(T), avg_fn=T.optim.swa_utils.get_swa_avg_fn(), multi_avg_fn=T.optim.swa_utils.get_swa_multi_avg_fn()),
    "ema-decay-high": lambda T: T.optim.swa_utils.get_ema_avg_fn(1.5),
    "ema-multi-decay-negative": lambda T: T.optim.swa_utils.get_ema_multi_avg_fn(-0.1),
    "swalr-strategy": lambda T: T.optim.swa_utils.SWALR(_sgd(T), swa_lr=0.1, anneal_strategy="exp"),
    "swalr-epochs-negative": lambda T: T.optim.swa_utils.SWALR(_sgd(T), swa_lr=0.1, anneal_epochs=-1),
    "swalr-epochs-float": lambda T: T.optim.swa_utils.SWALR(_sgd(T), swa_lr=0.1, anneal_epochs=2.0),
    "swalr-lr-list": lambda T: T.optim.swa_utils.SWALR(_sgd(T), swa_lr=[0.1, 0.2, 0.3]),
    "swalr-resume-without-initial-lr": lambda T: T.optim.swa_utils.SWALR(_sgd(T), swa_lr=0.1, last_epoch=3),
}


def _sgd(T: Any) -> Any:
    """SGD over two groups (lr 1.0 and 0.5)."""
    a, b = T.nn.Parameter(T.ones(2)), T.nn.Parameter(T.ones(1))
    return T.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=1.0)


@pytest.mark.parametrize("name", list(ERRORS))
def test_errors(name: str) -> None:
    check(ERRORS[name])


@pytest.mark.parametrize("strategy", ["cos", "linear"])
@pytest.mark.parametrize("anneal_epochs", [0, 1, 4, 10])
@pytest.mark.parametrize("swa_lr", [0.05, [0.05, 2.0]])
def test_swalr_lr_sequence(strategy: str, anneal_epochs: int, swa_lr: Any) -> None:
    """Fifteen epochs of optimizer then SWALR steps: every group's lr (per-group ``swa_lr`` too), the last
    lr, the state dict, and a fresh scheduler resumed from it continuing the same sequence."""

    def program(T: Any) -> Any:
        opt = _sgd(T)
        sched = T.optim.swa_utils.SWALR(opt, swa_lr=swa_lr, anneal_epochs=anneal_epochs, anneal_strategy=strategy)
        lrs = [[g["lr"] for g in opt.param_groups]]
        for _ in range(8):
            opt.step()
            sched.step()
            lrs.append([g["lr"] for g in opt.param_groups])
        state = sched.state_dict()
        resumed = T.optim.swa_utils.SWALR(opt, swa_lr=9.0, anneal_strategy="linear" if strategy == "cos" else "cos",
                                          last_epoch=sched.last_epoch)
        resumed.load_state_dict(state)
        for _ in range(7):
            opt.step()
            resumed.step()
            lrs.append([g["lr"] for g in opt.param_groups])
        return lrs, sched.get_last_lr(), resumed.get_last_lr(), state, [g["swa_lr"] for g in opt.param_groups]

    check(program)


def test_swalr_get_lr_outside_step_warns() -> None:
    def program(T: Any) -> Any:
        sched = T.optim.swa_utils.SWALR(_sgd(T), swa_lr=0.1, anneal_epochs=3)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lrs = sched.get_lr()
        return lrs, [(w.category.__name__, str(w.message)) for w in caught]

    check(program)


def _bn_model(T: Any) -> Any:
    T.manual_seed(0)
    return T.nn.Sequential(T.nn.Linear(4, 5), T.nn.BatchNorm1d(5, momentum=0.3), T.nn.ReLU(), T.nn.Linear(5, 3),
                           T.nn.BatchNorm1d(3))


@pytest.mark.parametrize("batches", ["tensors", "tuples"])
@pytest.mark.parametrize("training", [True, False])
def test_update_bn(batches: str, training: bool) -> None:
    """One pass over a list of tensors (or of (input, target) tuples): the running statistics are the
    cumulative averages over the batches, ``num_batches_tracked`` counts them; momenta and the training
    flag are restored; nothing records a graph."""

    def program(T: Any) -> Any:
        model = _bn_model(T)
        model.train(training)
        for x in _INPUTS[:2]:  # stale statistics the reset must discard
            model.train()(T.from_numpy(x) * 3)
        model.train(training)
        data = [T.from_numpy(x) for x in _INPUTS]
        loader = data if batches == "tensors" else [(x, T.zeros(6)) for x in data]
        result = T.optim.swa_utils.update_bn(loader, model)
        return (result, model.state_dict(), model.training, [m.training for m in model],
                model[1].momentum, model[4].momentum)

    check(program)


def test_update_bn_without_batchnorm_and_averaged_model() -> None:
    """A model without BatchNorm is left as is (the loader is not consumed); the documented use: SWA
    averages then update_bn on the AveragedModel."""

    def program(T: Any) -> Any:
        consumed = []
        plain = T.nn.Linear(4, 2)
        T.optim.swa_utils.update_bn((consumed.append(x) or x for x in [T.ones(2, 4)]), plain)
        model = _bn_model(T)
        swa = T.optim.swa_utils.AveragedModel(model)
        for step in range(3):
            with T.no_grad():
                for p in model.parameters():
                    p.mul_(0.5 + step)
            swa.update_parameters(model)
        T.optim.swa_utils.update_bn([T.from_numpy(x) for x in _INPUTS], swa)
        return len(consumed), swa.state_dict()

    check(program)
