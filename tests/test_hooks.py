"""Tensor and node hooks (``Tensor.register_hook``, ``grad_fn.register_prehook``/``register_hook``)
against torch: what each hook sees and returns, order, removal, and torch's errors."""

from __future__ import annotations

import pytest
from helpers import check


def _leaf(T):
    return T.tensor([1.0, 2.0, 3.0], requires_grad=True)


def test_leaf_hooks_run_in_order_before_accumulation_and_can_be_removed():
    def program(T):
        x = _leaf(T)
        seen = []
        first = x.register_hook(lambda g: seen.append(g.clone()) or g * 2)
        x.register_hook(lambda g: seen.append(g.clone()) or None)
        (x * 3).sum().backward()
        after_two = x.grad.clone()
        first.remove()
        first.remove()  # a second removal does nothing
        (x * 3).sum().backward()
        return seen, after_two, x.grad, first.id - x.register_hook(lambda g: g).id

    check(program)


def test_non_leaf_hooks_and_retain_grad_see_the_hooked_gradient():
    def program(T):
        x = _leaf(T)
        y = x * 2
        y.register_hook(lambda g: g + 1)
        y.retain_grad()
        z = y[1:]
        z.register_hook(lambda g: g * 10)
        (y * y).sum().backward(retain_graph=True)
        first = (y.grad.clone(), x.grad.clone())
        z.sum().backward()
        return first, y.grad, x.grad

    check(program)


def test_hooks_apply_to_autograd_grad():
    def program(T):
        x = _leaf(T)
        x.register_hook(lambda g: g * 5)
        y = x.exp()
        y.register_hook(lambda g: g - 1)
        return T.autograd.grad((y * 2).sum(), x)

    check(program)


def test_handle_as_context_manager():
    def program(T):
        x = _leaf(T)
        with x.register_hook(lambda g: g * 0):
            (x * 1).sum().backward()
        inside = x.grad.clone()
        (x * 1).sum().backward()
        return inside, x.grad

    check(program)


@pytest.mark.parametrize("program", [
    lambda T: T.ones(2).register_hook(lambda g: g),
    lambda T: _register_and_run(T, lambda g: g[:1]),
    lambda T: _register_and_run(T, lambda g: g.double()),
    lambda T: _register_and_run(T, lambda g: 3),
])
def test_hook_errors(program):
    check(program)


def _register_and_run(T, hook):
    x = _leaf(T)
    y = x * 1
    y.register_hook(hook)
    y.sum().backward()
    return x.grad


def test_node_pre_and_post_hooks():
    def program(T):
        x = _leaf(T)
        y = x * x
        log = []
        y.grad_fn.register_prehook(lambda grad_outputs: log.append(("pre", grad_outputs)) or (grad_outputs[0] * 2,))
        y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: log.append(("post", grad_inputs, grad_outputs))
                                or (grad_inputs[0] + 1, grad_inputs[1]))
        y.sum().backward()
        return log, x.grad

    check(program)
