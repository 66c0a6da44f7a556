"""torch.optim.lr_scheduler against the installed torch: learning rates over 40 epochs, state dicts,
the closed form of ``step(epoch)``, warnings and errors."""

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
}


def _optimizer(T: Any) -> Any:
    a, b = T.nn.Parameter(T.ones(2)), T.nn.Parameter(T.zeros(1))
    return T.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.2}], lr=0.1, momentum=0.9), (a, b)


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_schedule_40_epochs(name: str) -> None:
    def program(T: Any) -> Any:
        opt, (a, b) = _optimizer(T)
        sched = SCHEDULERS[name](T.optim.lr_scheduler, opt)
        lrs = [sched.get_last_lr()]
        for _ in range(40):
            a.grad, b.grad = T.ones(2), T.ones(1)
            opt.step()
            sched.step()
            lrs.append(sched.get_last_lr())
        sd = sched.state_dict()
        return lrs, [g["lr"] for g in opt.param_groups], [g["initial_lr"] for g in opt.param_groups], \
            {k: v for k, v in sd.items() if k != "lr_lambdas"}, sd.get("lr_lambdas"), a.detach()

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


def test_warning_scheduler_before_optimizer() -> None:
    def program(T: Any) -> Any:
        opt, _ = _optimizer(T)
        sched = T.optim.lr_scheduler.StepLR(opt, step_size=1)
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


ERRORS = {
    "not-optimizer": lambda T, opt: T.optim.lr_scheduler.StepLR(object(), 3),
    "resume-without-initial-lr": lambda T, opt: T.optim.lr_scheduler.StepLR(opt, 3, last_epoch=4),
    "lambda-count": lambda T, opt: T.optim.lr_scheduler.LambdaLR(opt, [lambda e: 1.0]),
    "linear-start": lambda T, opt: T.optim.lr_scheduler.LinearLR(opt, start_factor=0),
    "linear-end": lambda T, opt: T.optim.lr_scheduler.LinearLR(opt, end_factor=1.5),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_errors(name: str) -> None:
    check(lambda T: ERRORS[name](T, _optimizer(T)[0]))
