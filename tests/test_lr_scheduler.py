"""torch.optim.lr_scheduler against the installed torch: learning rates (and cycled momentums) over 100
epochs, state dicts, the closed form of ``step(epoch)``, ReduceLROnPlateau's metric-driven schedule,
warnings and errors."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from tests.helpers import check


class Scale:
    """A callable object whose ``__dict__`` LambdaLR's state dict saves."""

    def __init__(self, factor: float) -> None:
        self.factor = factor

    def __call__(self, epoch: int) -> float:
        return self.factor ** epoch


SCHEDULERS = {
    "step": lambda S, o: S.StepLR(o, step_size=3, gamma=0.5),
    "multistep": lambda S, o: S.MultiStepLR(o, milestones=[2, 5, 5, 9], gamma=0.3),
    "exponential": lambda S, o: S.ExponentialLR(o, gamma=0.9),
    "cosine": lambda S, o: S.CosineAnnealingLR(o, T_max=7, eta_min=0.001),
    "lambda": lambda S, o: S.LambdaLR(o, lr_lambda=lambda e: 1 / (e + 1)),
    "lambda-list": lambda S, o: S.LambdaLR(o, lr_lambda=[Scale(0.9), lambda e: 0.5 ** (e % 4)]),
    "linear": lambda S, o: S.LinearLR(o, start_factor=0.25, end_factor=0.9, total_iters=6),
    "linear-default": lambda S, o: S.LinearLR(o),
    "multiplicative": lambda S, o: S.MultiplicativeLR(o, lr_lambda=lambda e: 0.95 if e % 3 else 1.01),
    "multiplicative-list": lambda S, o: S.MultiplicativeLR(o, lr_lambda=[Scale(0.99), lambda e: 0.97]),
    "constant": lambda S, o: S.ConstantLR(o, factor=0.5, total_iters=4),
    "polynomial": lambda S, o: S.PolynomialLR(o, total_iters=30, power=2.0),
    "warm-restarts": lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=7, eta_min=0.001),
    "warm-restarts-mult": lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2),
    "one-cycle": lambda S, o: S.OneCycleLR(o, max_lr=1.0, total_steps=100),
    "one-cycle-linear-3": lambda S, o: S.OneCycleLR(o, max_lr=[0.5, 2.0], epochs=10, steps_per_epoch=10,
                                                    anneal_strategy="linear", three_phase=True, pct_start=0.2),
    "one-cycle-no-momentum": lambda S, o: S.OneCycleLR(o, max_lr=0.3, total_steps=120, cycle_momentum=False,
                                                       div_factor=10.0, final_div_factor=100.0),
    "cyclic": lambda S, o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=7),
    "cyclic-2": lambda S, o: S.CyclicLR(o, base_lr=[0.01, 0.02], max_lr=0.1, step_size_up=5, step_size_down=3,
                                        mode="triangular2"),
    "cyclic-exp": lambda S, o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=4, mode="exp_range",
                                          gamma=0.98, base_momentum=0.7, max_momentum=0.95),
    "cyclic-scale-fn": lambda S, o: S.CyclicLR(o, 0.01, 0.1, step_size_up=3, scale_fn=Scale(0.9),
                                               scale_mode="iterations", cycle_momentum=False),
    "sequential": lambda S, o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=5),
                                                  S.ExponentialLR(o, gamma=0.95)], milestones=[5]),
    "sequential-3": lambda S, o: S.SequentialLR(o, [S.ConstantLR(o, factor=0.5, total_iters=3),
                                                    S.CosineAnnealingLR(o, T_max=20),
                                                    S.StepLR(o, step_size=10, gamma=0.5)], milestones=[4, 30]),
    "chained": lambda S, o: S.ChainedScheduler([S.ConstantLR(o, factor=0.1, total_iters=2),
                                                S.ExponentialLR(o, gamma=0.9)]),
    "chained-optimizer": lambda S, o: S.ChainedScheduler([S.StepLR(o, 4, 0.5), S.LinearLR(o, 0.2, total_iters=6)],
                                                         optimizer=o),
}


def _optimizer(T: Any) -> Any:
    a, b = T.nn.Parameter(T.ones(2)), T.nn.Parameter(T.zeros(1))
    return T.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.2}], lr=0.1, momentum=0.9), (a, b)


def _state(sd: dict[str, Any]) -> dict[str, Any]:
    """A scheduler state dict without what holds functions (compared by their saved dicts elsewhere)."""
    return {k: [_state(s) for s in v] if k == "_schedulers" else v for k, v in sd.items()
            if k != "lr_lambdas"}


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_schedule_100_epochs(name: str) -> None:
    """Each epoch's lrs (and momentums, which the cyclic schedulers write) equal torch's, exactly."""

    def program(T: Any) -> Any:
        opt, (a, b) = _optimizer(T)
        sched = SCHEDULERS[name](T.optim.lr_scheduler, opt)
        lrs, momentums = [sched.get_last_lr()], [[g["momentum"] for g in opt.param_groups]]
        for _ in range(100):
            a.grad, b.grad = T.ones(2), T.ones(1)
            opt.step()
            sched.step()
            lrs.append(sched.get_last_lr())
            momentums.append([g["momentum"] for g in opt.param_groups])
        sd = sched.state_dict()
        return lrs, momentums, [g["lr"] for g in opt.param_groups], [g["initial_lr"] for g in opt.param_groups], \
            _state(sd), sd.get("lr_lambdas"), a.detach()

    check(program)


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_step_with_epoch_and_resume(name: str) -> None:
    def program(T: Any) -> Any:
        opt, _ = _optimizer(T)
        sched = SCHEDULERS[name](T.optim.lr_scheduler, opt)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            opt.step()
            sched.step(7)
            sched.get_lr()
        first = sched.get_last_lr()
        resumed = SCHEDULERS[name](T.optim.lr_scheduler, opt) if name != "lambda-list" else None
        sd = sched.state_dict()
        sched.step()
        return first, [str(w.message) for w in caught], sd["last_epoch"], sched.get_last_lr(), resumed is None

    check(program)


@pytest.mark.parametrize("name", ["step", "one-cycle", "cyclic", "warm-restarts", "sequential", "chained"])
def test_warning_scheduler_before_optimizer(name: str) -> None:
    """torch's UserWarning when ``scheduler.step()`` comes first (where torch warns: not from the schedulers
    that override ``step`` without calling the base, e.g. CosineAnnealingWarmRestarts)."""

    def program(T: Any) -> Any:
        opt, _ = _optimizer(T)
        sched = SCHEDULERS[name](T.optim.lr_scheduler, opt)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sched.step()
            sched.step()
        return [(w.category.__name__, str(w.message)) for w in caught], sched.get_last_lr()

    check(program)


def test_state_dict_round_trip() -> None:
    def program(T: Any) -> Any:
        opt, _ = _optimizer(T)
        sched = T.optim.lr_scheduler.LambdaLR(opt, [Scale(0.9), Scale(0.5)])
        for _ in range(3):
            opt.step()
            sched.step()
        sd = sched.state_dict()
        opt2, _ = _optimizer(T)
        opt2.load_state_dict(opt.state_dict())
        sched2 = T.optim.lr_scheduler.LambdaLR(opt2, [Scale(0.1), Scale(0.2)], last_epoch=sched.last_epoch)
        sched2.load_state_dict(sd)
        opt2.step()
        sched2.step()
        return sd, sched2.get_last_lr(), sched2.lr_lambdas[0].factor, sched2.last_epoch

    check(program)


PLATEAUS = {
    "default": {},
    "patience-factor": {"patience": 2, "factor": 0.5},
    "max-abs-cooldown": {"mode": "max", "threshold_mode": "abs", "threshold": 0.05, "patience": 1, "cooldown": 3},
    "min-lr-list-eps": {"patience": 0, "factor": 0.3, "min_lr": [0.01, 0.05], "eps": 1e-3},
    "max-rel": {"mode": "max", "patience": 3, "threshold": 0.1, "min_lr": 0.02},
}


@pytest.mark.parametrize("name", list(PLATEAUS))
def test_reduce_on_plateau(name: str) -> None:
    """100 epochs of a noisy metric that plateaus: each epoch's lrs, the best, the counters, the state dict
    (and a scheduler loaded from it continues identically)."""
    metrics = [1.0 / (1 + e) + 0.05 * ((e * 7919) % 13 - 6) / 6 if e < 40 else 0.02 + 0.01 * ((e * 31) % 5)
               for e in range(100)]

    def program(T: Any) -> Any:
        opt, _ = _optimizer(T)
        sched = T.optim.lr_scheduler.ReduceLROnPlateau(opt, **PLATEAUS[name])
        trace = [sched.get_last_lr()]
        for e, m in enumerate(metrics):
            opt.step()
            sched.step(T.tensor(m) if e % 2 else m)
            trace.append((sched.get_last_lr(), sched.best, sched.num_bad_epochs, sched.cooldown_counter,
                          sched.in_cooldown))
        sd = sched.state_dict()
        twin = T.optim.lr_scheduler.ReduceLROnPlateau(opt)
        twin.load_state_dict(sd)
        twin.step(10.0)
        return trace, sd, twin.get_last_lr(), twin.num_bad_epochs

    check(program)


@pytest.mark.parametrize("name", ["one-cycle", "cyclic"])
def test_cycle_momentum_adam_betas(name: str) -> None:
    """With Adam, ``cycle_momentum`` cycles ``betas[0]`` (beta2 kept) and the parameters follow."""
    make = {"one-cycle": lambda S, o: S.OneCycleLR(o, max_lr=0.1, total_steps=50, three_phase=True),
            "cyclic": lambda S, o: S.CyclicLR(o, base_lr=0.001, max_lr=0.01, step_size_up=5)}[name]

    def program(T: Any) -> Any:
        p = T.nn.Parameter(T.tensor([1.0, -2.0, 3.0]))
        opt = T.optim.Adam([p], lr=0.01, betas=(0.9, 0.99))
        sched = make(T.optim.lr_scheduler, opt)
        trace = []
        for _ in range(50):
            p.grad = p.detach() * 2
            opt.step()
            sched.step()
            trace.append((sched.get_last_lr(), opt.param_groups[0]["betas"]))
        return trace, sorted(opt.param_groups[0]), p.detach()

    check(program)


def test_sequential_chained_state_dicts() -> None:
    """SequentialLR/ChainedScheduler nest their schedulers' state dicts; loading one into fresh schedulers
    restores the position in the sequence."""

    def program(T: Any) -> Any:
        S = T.optim.lr_scheduler
        out = []
        for make in (SCHEDULERS["sequential-3"], SCHEDULERS["chained"]):
            opt, _ = _optimizer(T)
            sched = make(S, opt)
            for _ in range(6):
                opt.step()
                sched.step()
            sd = sched.state_dict()
            opt2, _ = _optimizer(T)
            opt2.load_state_dict(opt.state_dict())
            twin = make(S, opt2)
            twin.load_state_dict(sd)
            opt2.step()
            twin.step()
            out.append((_state(sd), twin.get_last_lr(), [g["lr"] for g in opt2.param_groups]))
        return out

    check(program)


def test_warm_restarts_fractional_epochs() -> None:
    """``step(epoch)`` with float epochs (per batch), back and forth across restarts, and ``step()``."""

    def program(T: Any) -> Any:
        opt, _ = _optimizer(T)
        sched = T.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=4, T_mult=2, eta_min=0.01)
        out = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for epoch in (0.5, 1.25, 3.9, 4.0, 4.5, 11.99, 12.0, 30.3, 2.0):
                opt.step()
                sched.step(epoch)
                out.append((sched.get_last_lr(), sched.T_cur, sched.T_i, sched.last_epoch))
            sched.step()
            out.append((sched.get_last_lr(), sched.T_cur, sched.T_i, sched.last_epoch))
        return out, [str(w.message) for w in caught]

    check(program)


ERRORS = {
    "not-optimizer": lambda T, opt: T.optim.lr_scheduler.StepLR(object(), 3),
    "constant-factor": lambda T, opt: T.optim.lr_scheduler.ConstantLR(opt, factor=1.5),
    "multiplicative-not-callable": lambda T, opt: T.optim.lr_scheduler.MultiplicativeLR(opt, [0.9, 0.8]),
    "multiplicative-count": lambda T, opt: T.optim.lr_scheduler.MultiplicativeLR(opt, [lambda e: 0.9]),
    "warm-restarts-t0": lambda T, opt: T.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=0),
    "warm-restarts-t0-float": lambda T, opt: T.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=2.0),
    "warm-restarts-tmult": lambda T, opt: T.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, 2, T_mult=0),
    "warm-restarts-eta": lambda T, opt: T.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, 2, eta_min="0"),
    "warm-restarts-negative-epoch": lambda T, opt: T.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, 2).step(-1),
    "one-cycle-no-steps": lambda T, opt: T.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1),
    "one-cycle-total": lambda T, opt: T.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=0),
    "one-cycle-epochs": lambda T, opt: T.optim.lr_scheduler.OneCycleLR(opt, 0.1, epochs=-1, steps_per_epoch=2),
    "one-cycle-steps-per-epoch": lambda T, opt: T.optim.lr_scheduler.OneCycleLR(opt, 0.1, epochs=2,
                                                                                 steps_per_epoch=0),
    "one-cycle-pct": lambda T, opt: T.optim.lr_scheduler.OneCycleLR(opt, 0.1, total_steps=9, pct_start=1),
    "one-cycle-anneal": lambda T, opt: T.optim.lr_scheduler.OneCycleLR(opt, 0.1, total_steps=9, anneal_strategy="x"),
    "one-cycle-max-lr-count": lambda T, opt: T.optim.lr_scheduler.OneCycleLR(opt, [0.1], total_steps=9),
    "one-cycle-no-momentum": lambda T, opt: T.optim.lr_scheduler.OneCycleLR(
        T.optim.Adagrad([T.nn.Parameter(T.ones(1))]), 0.1, total_steps=9),
    "one-cycle-past-end": lambda T, opt: (lambda s: [(opt.step(), s.step()) for _ in range(4)])(
        T.optim.lr_scheduler.OneCycleLR(opt, 0.1, total_steps=2)),
    "cyclic-mode": lambda T, opt: T.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, mode="sine"),
    "cyclic-not-optimizer": lambda T, opt: T.optim.lr_scheduler.CyclicLR(None, 0.01, 0.1),
    "plateau-factor": lambda T, opt: T.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=1.0),
    "plateau-mode": lambda T, opt: T.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="low"),
    "plateau-threshold-mode": lambda T, opt: T.optim.lr_scheduler.ReduceLROnPlateau(opt, threshold_mode="pct"),
    "plateau-min-lrs": lambda T, opt: T.optim.lr_scheduler.ReduceLROnPlateau(opt, min_lr=[0.1]),
    "plateau-not-optimizer": lambda T, opt: T.optim.lr_scheduler.ReduceLROnPlateau([1]),
    "plateau-bad-metric": lambda T, opt: T.optim.lr_scheduler.ReduceLROnPlateau(opt).step("x"),
    "plateau-new-group": lambda T, opt: (lambda s: (opt.add_param_group({"params": [T.nn.Parameter(T.ones(1))]}),
                                                    s.step(1.0), s.step(2.0)))(
        T.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0, min_lr=[0.0, 0.0])),
    "sequential-empty": lambda T, opt: T.optim.lr_scheduler.SequentialLR(opt, [], []),
    "sequential-milestones": lambda T, opt: T.optim.lr_scheduler.SequentialLR(
        opt, [T.optim.lr_scheduler.StepLR(opt, 2)], [3]),
    "sequential-plateau": lambda T, opt: T.optim.lr_scheduler.SequentialLR(
        opt, [T.optim.lr_scheduler.ReduceLROnPlateau(opt)], []),
    "sequential-not-scheduler": lambda T, opt: T.optim.lr_scheduler.SequentialLR(opt, [object()], []),
    "chained-empty": lambda T, opt: T.optim.lr_scheduler.ChainedScheduler([]),
    "chained-other-optimizer": lambda T, opt: T.optim.lr_scheduler.ChainedScheduler(
        [T.optim.lr_scheduler.StepLR(opt, 2), T.optim.lr_scheduler.StepLR(_optimizer(T)[0], 2)]),
    "resume-without-initial-lr": lambda T, opt: T.optim.lr_scheduler.StepLR(opt, 3, last_epoch=4),
    "lambda-count": lambda T, opt: T.optim.lr_scheduler.LambdaLR(opt, [lambda e: 1.0]),
    "linear-start": lambda T, opt: T.optim.lr_scheduler.LinearLR(opt, start_factor=0),
    "linear-end": lambda T, opt: T.optim.lr_scheduler.LinearLR(opt, end_factor=1.5),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_errors(name: str) -> None:
    check(lambda T: ERRORS[name](T, _optimizer(T)[0]))
