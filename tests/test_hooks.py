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


# ----------------------------------------------------------------------------- module backward hooks
def _recorded(seen, tag):
    def hook(*args):
        seen.append((tag, *args[1:]))  # leave the module out: it is not comparable across libraries
    return hook


class _Scaled:
    """A module ``forward(x, k, y) -> (x * k + y, (y * 2).detach())``, built on either library."""

    @staticmethod
    def make(T):
        class Scaled(T.nn.Module):
            def forward(self, x, k, y):
                return x * k + y, (y * 2).detach()
        return Scaled()


def test_full_backward_hooks_see_grad_output_then_grad_input():
    def program(T):
        T.manual_seed(0)
        lin = T.nn.Linear(3, 2)
        seen = []
        lin.register_full_backward_pre_hook(_recorded(seen, "pre"))
        lin.register_full_backward_hook(_recorded(seen, "full"))
        x = T.linspace(-1, 1, 12).reshape(4, 3).requires_grad_()
        y = lin(x)
        (y * T.arange(8.0).reshape(4, 2)).sum().backward()
        return {"seen": seen, "x": x.grad, "w": lin.weight.grad, "node": y.grad_fn.name(),
                "next": [n.name() for n, _ in y.grad_fn.next_functions], "x_view": y._base is not None}
    check(program)


def test_backward_hooks_replace_gradients_in_order_and_prepend():
    def program(T):
        T.manual_seed(0)
        lin = T.nn.Linear(3, 2)
        seen = []
        lin.register_full_backward_pre_hook(lambda m, go: (go[0] * 2,))
        lin.register_full_backward_pre_hook(_recorded(seen, "pre-second"))
        lin.register_full_backward_pre_hook(_recorded(seen, "pre-first"), prepend=True)
        lin.register_full_backward_hook(lambda m, gi, go: (gi[0] + 1,))
        lin.register_full_backward_hook(_recorded(seen, "full"))
        x = T.ones(2, 3, requires_grad=True)
        lin(x).sum().backward()
        return {"seen": seen, "x": x.grad, "w": lin.weight.grad, "b": lin.bias.grad}
    check(program)


def test_backward_hooks_with_non_tensor_and_tuple_outputs():
    def program(T):
        seen = []
        mod = _Scaled.make(T)
        mod.register_full_backward_pre_hook(_recorded(seen, "pre"))
        mod.register_full_backward_hook(_recorded(seen, "full"))
        x = T.tensor([1.0, 2.0], requires_grad=True)
        y = T.tensor([3.0, -1.0], requires_grad=True)
        out, aux = mod(x, 3, y)
        (out * T.tensor([1.0, 10.0])).sum().backward()
        return {"seen": seen, "x": x.grad, "y": y.grad, "aux": aux, "aux_grad": aux.requires_grad}
    check(program)


def test_backward_hooks_removed_handle_and_no_grad_forward():
    def program(T):
        seen = []
        lin = T.nn.Linear(2, 2)
        handle = lin.register_full_backward_hook(_recorded(seen, "full"))
        with T.no_grad():
            quiet = lin(T.ones(1, 2, requires_grad=True))
        handle.remove()
        x = T.ones(1, 2, requires_grad=True)
        lin(x).sum().backward()
        return {"seen": seen, "quiet": quiet.requires_grad, "x": x.grad is not None}
    check(program)


def _with_warnings(fn):
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn()
    return result, [(w.category.__name__, str(w.message)) for w in caught]


def test_backward_hook_when_no_input_requires_grad_warns_and_fires_on_outputs():
    def program(T):
        seen = []
        T.manual_seed(0)
        lin = T.nn.Linear(3, 1)
        lin.register_full_backward_hook(_recorded(seen, "full"))
        return _with_warnings(lambda: lin(T.ones(2, 3)).sum().backward()), seen, lin.weight.grad
    check(program)


def test_backward_hook_errors():
    def bad_length(T):
        lin = T.nn.Linear(3, 1)
        lin.register_full_backward_hook(lambda m, gi, go: (gi[0], gi[0]))
        lin(T.ones(2, 3, requires_grad=True)).sum().backward()

    def bad_pre_length(T):
        lin = T.nn.Linear(3, 1)
        lin.register_full_backward_pre_hook(lambda m, go: ())
        lin(T.ones(2, 3, requires_grad=True)).sum().backward()

    def returns_for_inputs_without_grad(T):
        lin = T.nn.Linear(3, 1)
        lin.register_full_backward_hook(lambda m, gi, go: (T.ones(2, 3),))
        _with_warnings(lambda: lin(T.ones(2, 3)).sum().backward())

    for program in (bad_length, bad_pre_length, returns_for_inputs_without_grad):
        check(program)


def test_backward_hooks_on_a_module_returning_a_dict_warn():
    def program(T):
        class Named(T.nn.Module):
            def forward(self, x):
                return {"y": x * 2}
        mod = Named()
        mod.register_full_backward_hook(lambda m, gi, go: None)
        out, caught = _with_warnings(lambda: mod(T.ones(2, requires_grad=True)))
        return out, caught
    check(program)


def test_global_module_hooks():
    def program(T):
        from importlib import import_module
        module = import_module(f"{T.__name__}.nn.modules.module")
        seen = []
        handles = [module.register_module_full_backward_hook(_recorded(seen, "global-full")),
                   module.register_module_full_backward_pre_hook(_recorded(seen, "global-pre")),
                   module.register_module_forward_hook(lambda m, args, out: seen.append(("forward", out)) or None),
                   module.register_module_forward_pre_hook(lambda m, args: seen.append(("pre-forward", args)) or None)]
        try:
            T.manual_seed(1)
            lin = T.nn.Linear(2, 1)
            lin.register_full_backward_hook(_recorded(seen, "own"))
            x = T.ones(1, 2, requires_grad=True)
            lin(x).sum().backward()
        finally:
            for handle in handles:
                handle.remove()
        lin(x)
        return seen
    check(program)


def test_legacy_backward_hooks_are_not_built():
    import reftorch
    with pytest.raises(NotImplementedError, match="register_backward_hook"):
        reftorch.nn.Linear(2, 2).register_backward_hook(lambda m, gi, go: None)
    with pytest.raises(NotImplementedError, match="register_module_backward_hook"):
        reftorch.nn.modules.module.register_module_backward_hook(lambda m, gi, go: None)


# ----------------------------------------------------------------------------- state-dict hooks
def _net(T):
    T.manual_seed(0)
    return T.nn.Sequential(T.nn.Linear(2, 2), T.nn.BatchNorm1d(2))


def test_state_dict_pre_and_post_hooks():
    def program(T):
        net = _net(T)
        seen = []
        net[0].register_state_dict_pre_hook(lambda m, prefix, keep_vars: seen.append(("pre", prefix, keep_vars)))

        def post(module, state, prefix, local_metadata):
            seen.append(("post", prefix, list(state), local_metadata))
            state[prefix + "extra"] = T.tensor(1.0)
        net[1].register_state_dict_post_hook(post)
        net._register_state_dict_hook(lambda m, state, prefix, meta: {"replaced": T.tensor(2.0)})
        inner = net[0]._register_state_dict_hook(lambda m, state, prefix, meta: {"ignored": T.tensor(3.0)})
        result = net.state_dict(prefix="top.", keep_vars=True)
        inner.remove()
        return {"seen": seen, "result": result, "again": list(net.state_dict())}
    check(program)


def test_state_dict_hook_errors():
    def returns_value(T):
        net = _net(T)
        net.register_state_dict_post_hook(lambda m, state, prefix, meta: state)
        net.state_dict()

    def registered_twice(T):
        net = _net(T)

        def hook(m, state, prefix, meta):
            return None
        net.register_state_dict_post_hook(hook)
        net._register_state_dict_hook(hook)

    for program in (returns_value, registered_twice):
        check(program)


def test_load_state_dict_pre_and_post_hooks():
    def program(T):
        net = _net(T)
        state = {k: v + 1 for k, v in net.state_dict().items()}
        state["0.stale"] = T.zeros(2)
        seen = []

        def pre(module, sd, prefix, local_metadata, strict, missing, unexpected, errors):
            seen.append(("pre", type(module).__name__, prefix, sorted(sd), strict))
            sd.pop(prefix + "stale", None)  # a pre-hook may rename or drop entries
        net[0].register_load_state_dict_pre_hook(pre)
        net[1]._register_load_state_dict_pre_hook(
            lambda sd, prefix, *rest: seen.append(("private-pre", prefix, len(rest))))

        def post(module, incompatible):
            seen.append(("post", type(module).__name__, list(incompatible.missing_keys)))
            incompatible.missing_keys.clear()
        net.register_load_state_dict_post_hook(post)
        del state["1.running_var"]
        result = net.load_state_dict(state)
        return {"seen": seen, "result": result, "weight": net[0].weight}
    check(program)


def test_load_state_dict_post_hook_must_not_return():
    def program(T):
        net = _net(T)
        net.register_load_state_dict_post_hook(lambda m, keys: keys)
        net.load_state_dict(net.state_dict())
    check(program)
