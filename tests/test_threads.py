"""Thread-local and process-wide state, differential against torch with real threads.

Grad mode and inference mode are thread-local in torch (a ``no_grad`` block in one thread changes
nothing elsewhere, new threads start with grad mode on); the default dtype and the default generator
are process-wide. Backward passes on independent graphs may run in several threads at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
import torch

import reftorch


def _in_thread(fn: Callable[[], Any]) -> Any:
    """``fn()`` run in a new thread; its result (or exception) handed back."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
            box["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def _modes_seen_by_new_thread(T: Any) -> tuple[bool, bool]:
    with T.no_grad(), T.inference_mode():
        inside = _in_thread(lambda: (T.is_grad_enabled(), T.is_inference_mode_enabled()))
    return inside


@pytest.mark.parametrize("T", [torch, reftorch], ids=["torch", "reftorch"])
def test_new_threads_start_with_grad_mode_on(T: Any) -> None:
    assert _modes_seen_by_new_thread(T) == (True, False)


def _interleaved(T: Any) -> dict[str, Any]:
    """One thread sits inside ``no_grad`` while another records a graph."""
    entered, recorded = threading.Event(), threading.Event()
    seen: dict[str, Any] = {}

    def evaluating() -> None:
        with T.no_grad():
            entered.set()
            recorded.wait(10)
            seen["eval_grad_enabled"] = T.is_grad_enabled()

    def training() -> None:
        entered.wait(10)
        x = T.ones(3, requires_grad=True)
        y = (x * 2).sum()
        seen["train_grad_enabled"] = T.is_grad_enabled()
        seen["train_requires_grad"] = y.requires_grad
        seen["train_grad_fn"] = type(y.grad_fn).__name__
        recorded.set()

    threads = [threading.Thread(target=evaluating), threading.Thread(target=training)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return seen


def test_no_grad_in_one_thread_does_not_stop_recording_in_another() -> None:
    ours, theirs = _interleaved(reftorch), _interleaved(torch)
    assert ours == theirs
    assert theirs == {"eval_grad_enabled": False, "train_grad_enabled": True, "train_requires_grad": True,
                      "train_grad_fn": "SumBackward0"}


@pytest.mark.parametrize("T", [torch, reftorch], ids=["torch", "reftorch"])
def test_default_dtype_and_generator_are_process_wide(T: Any) -> None:
    previous = T.get_default_dtype()
    try:
        _in_thread(lambda: T.set_default_dtype(T.float64))
        assert T.get_default_dtype() is T.float64
    finally:
        T.set_default_dtype(previous)
    _in_thread(lambda: T.manual_seed(7))
    after_thread = T.rand(3).tolist()
    T.manual_seed(7)
    assert T.rand(3).tolist() == after_thread


def _parallel_backward(T: Any, workers: int = 4, steps: int = 25) -> list[list[float]]:
    """Each thread builds and backpropagates its own graphs; the gradients it ends with."""
    barrier = threading.Barrier(workers)
    results: list[list[float]] = [[] for _ in range(workers)]

    def work(k: int) -> None:
        x = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
        barrier.wait(10)
        for step in range(steps):
            ((x * (k + 1)).exp().sum() * 0.001 + (x * x).sum() * step).backward()
        results[k] = x.grad.tolist()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_backward_in_several_threads_at_once() -> None:
    ours, theirs = _parallel_backward(reftorch), _parallel_backward(torch)
    assert len(ours) == len(theirs) == 4
    for o, t in zip(ours, theirs):
        assert o == pytest.approx(t, rel=1e-5)
