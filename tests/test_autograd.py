"""Autograd against torch: grad_fn names and edges, accumulation, graph freeing, errors, grad
modes, detach/.data, in-place rebasing and CopySlices, autograd.grad, higher order, Function,
gradcheck, and an iterative engine that survives very deep graphs."""

from __future__ import annotations

import gc
import warnings
import weakref

import numpy as np
import pytest
import torch
from helpers import assert_same, check
from hypothesis import given
from hypothesis import strategies as st

import reftorch

BOTH = (torch, reftorch)


def _leaf(T, values, dtype="float64"):
    return T.tensor(values, dtype=getattr(T, dtype), requires_grad=True)


def _node_names(fn):
    names = []
    for T in BOTH:
        out = fn(T)
        names.append(type(out.grad_fn).__name__ if out.grad_fn is not None else None)
    return names


UNARY_PROGRAMS = {
    "exp": lambda x: x.exp(), "log": lambda x: x.log(), "sqrt": lambda x: x.sqrt(), "sin": lambda x: x.sin(),
    "cos": lambda x: x.cos(), "tanh": lambda x: x.tanh(), "sigmoid": lambda x: x.sigmoid(),
    "relu": lambda x: (x - 1).relu(), "abs": lambda x: (x - 1).abs(), "neg": lambda x: -x,
    "reciprocal": lambda x: x.reciprocal(), "rsqrt": lambda x: x.rsqrt(), "log1p": lambda x: x.log1p(),
    "expm1": lambda x: x.expm1(), "square": lambda x: x.square(), "pow_scalar": lambda x: x ** 3,
    "pow_half": lambda x: x ** 0.5, "rpow": lambda x: 2 ** x, "pow_tensor": lambda x: x ** x,
    "rsub": lambda x: 1 - x, "rdiv": lambda x: 2 / x, "clamp": lambda x: x.clamp(0.7, 1.3),
    "atan": lambda x: x.atan(), "asin": lambda x: (x / 4).asin(), "floor": lambda x: x.floor(),
    "maximum": lambda x: torch_like_max(x), "where": lambda x: where_program(x),
    "mf": lambda x: x.masked_fill(x > 1, 0),
    "clone": lambda x: x.clone(), "double": lambda x: x.float(), "view": lambda x: x.view(2, 2),
    "t": lambda x: x.view(2, 2).t(), "transpose": lambda x: x.view(2, 2).transpose(0, 1),
    "permute": lambda x: x.view(1, 2, 2).permute(2, 0, 1), "expand": lambda x: x.view(4, 1).expand(4, 3),
    "select": lambda x: x[1], "slice": lambda x: x[1::2], "index": lambda x: x[[0, 0, 3]],
    "mask": lambda x: x[x > 1], "unsqueeze": lambda x: x.unsqueeze(0), "squeeze": lambda x: x.view(1, 4).squeeze(),
    "reshape_copy": lambda x: x.view(2, 2).t().reshape(4), "unfold": lambda x: x.unfold(0, 2, 1),
    "diagonal": lambda x: x.view(2, 2).diagonal(), "contiguous": lambda x: x.view(2, 2).t().contiguous(),
}


def torch_like_max(x):
    T = torch if isinstance(x, torch.Tensor) else reftorch
    return T.maximum(x, x.detach() * 0 + 1.2)


def where_program(x):
    T = torch if isinstance(x, torch.Tensor) else reftorch
    return T.where(x > 1, x, x * 2)


@pytest.mark.parametrize("name", list(UNARY_PROGRAMS))
@given(values=st.lists(st.floats(0.6, 1.9), min_size=4, max_size=4), seed=st.integers(0, 1000))
def test_grad_fn_names_and_gradients(name, values, seed):
    program = UNARY_PROGRAMS[name]
    grad_values = np.random.default_rng(seed).uniform(-1, 1, 64)

    def run(T):
        x = _leaf(T, values)
        out = program(x)
        g = T.tensor(grad_values[:out.numel()].reshape(tuple(out.shape)).tolist(), dtype=out.dtype)
        out.backward(g)
        return type(out.grad_fn).__name__, out, x.grad, out.requires_grad, out.is_leaf

    check(run)


def test_next_functions_structure():
    def structure(T):
        x = T.ones(3, requires_grad=True)
        y = x * 2
        z = y + T.ones(3)
        return [(type(n).__name__ if n is not None else None, i) for n, i in z.grad_fn.next_functions], \
            [(type(n).__name__ if n is not None else None, i) for n, i in y.grad_fn.next_functions]

    check(structure)
    x = reftorch.ones(3, requires_grad=True)
    assert (x * 2).grad_fn.next_functions[0][0].variable is x


def test_gradients_accumulate_until_zeroed():
    def program(T):
        x = T.tensor([1.0, 2.0], requires_grad=True)
        (x * x).backward(T.ones(2))
        first = x.grad.clone()
        (x * x).backward(T.ones(2))
        accumulated = x.grad.clone()
        grad_object = x.grad
        (x * 3).backward(T.ones(2))
        same_object = x.grad is grad_object
        x.grad.zero_()
        (x * x).backward(T.ones(2))
        zeroed = x.grad.clone()
        x.grad = None
        (x * 5).backward(T.ones(2))
        return first, accumulated, same_object, zeroed, x.grad

    check(program)


def test_second_backward_needs_retain_graph():
    def freed(T):
        x = T.tensor([1.0, 2.0], requires_grad=True)
        y = x.exp()
        y.backward(T.ones(2))
        y.backward(T.ones(2))

    check(freed)

    def retained(T):
        x = T.tensor([1.0, 2.0], requires_grad=True)
        y = x.exp()
        y.backward(T.ones(2), retain_graph=True)
        y.backward(T.ones(2))
        return x.grad

    check(retained)

    def nothing_saved(T):
        x = T.tensor([1.0, 2.0], requires_grad=True)
        y = x + 1
        y.backward(T.ones(2))
        y.backward(T.ones(2))
        return x.grad

    check(nothing_saved)


def test_backward_errors():
    check(lambda T: (T.ones(2, requires_grad=True) * 2).backward())
    check(lambda T: T.ones(2).exp().backward(T.ones(2)))
    check(lambda T: T.ones(2, requires_grad=True).add_(1))
    check(lambda T: T.ones(2, requires_grad=True)[0].mul_(2))
    check(lambda T: T.ones(2, dtype=T.int64, requires_grad=True))
    check(lambda T: T.ones(2, dtype=T.int64).requires_grad_())
    check(lambda T: (T.ones(2, requires_grad=True) * 2).requires_grad_(False))
    check(lambda T: (T.ones(2, requires_grad=True) * 2).backward(T.ones(3)))
    check(lambda T: T.ones(2, requires_grad=True).view(2).detach_())

    def modified(T):
        x = T.ones(2, requires_grad=True)
        y = x.exp()
        z = y * 2
        y.add_(1)
        z.backward(T.ones(2))

    check(modified)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        modified(reftorch)


def test_non_leaf_grad_warns_and_retain_grad_keeps_it():
    for T in BOTH:
        x = T.ones(2, requires_grad=True)
        y = x * 2
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert y.grad is None
        assert [w.category for w in caught] == [UserWarning]
        z = x * 3
        z.retain_grad()
        (z * z).backward(T.ones(2))
        assert z.retains_grad and z.grad.tolist() == [6.0, 6.0]


def test_grad_modes():
    def program(T):
        x = T.ones(2, requires_grad=True)
        with T.no_grad():
            a = x * 2
            with T.enable_grad():
                b = x * 2
        T.set_grad_enabled(False)
        c = x * 2
        enabled_after_call = T.is_grad_enabled()
        T.set_grad_enabled(True)
        with T.set_grad_enabled(False):
            d = x * 2
        inside = T.is_grad_enabled()

        @T.no_grad()
        def decorated(t):
            return t * 2

        e = decorated(x)
        with T.inference_mode():
            f = x * 2
        return (a.requires_grad, b.requires_grad, c.requires_grad, enabled_after_call, d.requires_grad, inside,
                e.requires_grad, f.requires_grad, f.is_inference() if hasattr(f, "is_inference") else None,
                T.is_grad_enabled())

    check(program)


def test_optimizer_update_idioms_under_no_grad():
    def program(T):
        p = T.tensor([1.0, 2.0], requires_grad=True)
        (p * p).backward(T.ones(2))
        with T.no_grad():
            p -= 0.1 * p.grad
        p.data -= 0.1 * p.grad
        return p, p.is_leaf, p.requires_grad, p.grad

    check(program)


def test_detach_and_data_share_storage_but_not_history():
    def program(T):
        x = T.ones(3, requires_grad=True)
        y = x * 2
        d = y.detach()
        data = y.data
        version_before = y._version
        d.add_(1)
        after_detach = y._version
        data.add_(1)
        after_data = y._version
        return (d.requires_grad, d.is_leaf, data.requires_grad, d.data_ptr() == y.data_ptr(),
                data.data_ptr() == y.data_ptr(), version_before, after_detach, after_data, y)

    check(program)


def test_variable_returns_a_tensor():
    def program(T):
        v = T.autograd.Variable(T.ones(2), requires_grad=True)
        return type(v).__name__, v.requires_grad, v.is_leaf

    check(program)


def test_inplace_rebases_history_and_copyslices():
    def program(T):
        x = T.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
        b = x * 1
        v = b[0]
        v.mul_(2)
        names = (type(b.grad_fn).__name__, type(v.grad_fn).__name__)
        c = x * 1
        c.add_(1)
        c.exp_()
        d = x * 1
        d[1] = 7.0
        e = x * 1
        e[[0, 1], [1, 2]] = T.tensor([5.0, 6.0])
        (b * b + c + d + e).backward(T.ones(2, 3))
        return names, type(c.grad_fn).__name__, type(d.grad_fn).__name__, type(e.grad_fn).__name__, x.grad

    check(program)


def test_autograd_grad_and_higher_order():
    def program(T):
        x = T.tensor([0.5, 1.5], requires_grad=True)
        w = T.tensor([2.0, -1.0], requires_grad=True)
        y = (x * x * w).exp()
        (gx,) = T.autograd.grad(y, x, T.ones(2), create_graph=True)
        (ggx,) = T.autograd.grad(gx, x, T.ones(2), retain_graph=True)
        gw = T.autograd.grad(gx, w, T.ones(2))
        return gx, ggx, gw, x.grad, w.grad

    check(program)

    def unused(T):
        x = T.ones(2, requires_grad=True)
        z = T.ones(2, requires_grad=True)
        return T.autograd.grad(x * 2, [x, z], T.ones(2))

    check(unused)
    check(lambda T: T.autograd.grad(T.ones(2, requires_grad=True) * 2, [T.ones(2, requires_grad=True)],
                                    T.ones(2), allow_unused=True))


def test_custom_function():
    def program(T):
        class Cube(T.autograd.Function):
            @staticmethod
            def forward(ctx, x, k):
                ctx.save_for_backward(x)
                ctx.k = k
                return x ** 3 * k

            @staticmethod
            def backward(ctx, grad):
                (x,) = ctx.saved_tensors
                return grad * 3 * x ** 2 * ctx.k, None

        x = T.tensor([1.0, 2.0], requires_grad=True)
        y = Cube.apply(x, 2.0)
        y.backward(T.ones(2))
        return type(y.grad_fn).__name__, x.grad, y.requires_grad

    check(program)


# A Python number operand: add/sub/mul/div wrap it as a tensor (two edges, one of them (None, 0));
# rsub/pow/remainder/fmod/floor_divide run their Scalar overloads (one edge, some renamed).
SCALAR_OPERANDS = {
    "add": lambda T, x: x + 1.5, "radd": lambda T, x: 1.5 + x, "sub": lambda T, x: x - 1, "mul": lambda T, x: 3 * x,
    "div": lambda T, x: x / 4, "rdiv": lambda T, x: 2.0 / x, "rsub": lambda T, x: 2.0 - x,
    "rsub_function": lambda T, x: T.rsub(x, 2), "pow": lambda T, x: x ** 2, "pow_zero": lambda T, x: x.pow(0),
    "rpow": lambda T, x: 2 ** x, "remainder": lambda T, x: x % 2, "rremainder": lambda T, x: T.remainder(2.0, x),
    "remainder_tensors": lambda T, x: x % (x + 1), "fmod": lambda T, x: x.fmod(2),
    "fmod_tensors": lambda T, x: x.fmod(x + 1), "floor_divide": lambda T, x: x // 2,
    "rfloor_divide": lambda T, x: 2 // x, "zero_dim_tensor": lambda T, x: x * T.tensor(2.0),
}


@pytest.mark.parametrize("program", SCALAR_OPERANDS.values(), ids=SCALAR_OPERANDS.keys())
def test_scalar_operand_nodes_and_edges(program):
    def graph(T):
        r = program(T, T.tensor([0.5, 1.5, 2.5], requires_grad=True))
        return r.grad_fn.name(), [(n.name() if n is not None else None, nr) for n, nr in r.grad_fn.next_functions]

    def gradient(T):
        x = T.tensor([0.5, 1.5, 2.5], requires_grad=True)
        program(T, x).sum().backward()
        return x.grad

    check(graph)
    check(gradient)


# An incoming NaN gradient must not leak into positions torch's formulas zero with where/masked_fill
# (relu, clamp, maximum/minimum, masked_fill's value), while formulas that multiply (abs, amax) do
# propagate it, as in torch.
NAN_GRADIENT_PROGRAMS = {
    "relu": lambda T, x, y: T.relu(x), "relu_": lambda T, x, y: (x * 1).relu_(),
    "clamp": lambda T, x, y: x.clamp(-0.5, 0.5), "clamp_min": lambda T, x, y: x.clamp(min=0),
    "clamp_tensor_bounds": lambda T, x, y: x.clamp(y - 1, y), "clamp_min_above_max": lambda T, x, y: x.clamp(y, y - 1),
    "maximum": lambda T, x, y: T.maximum(x, y), "minimum": lambda T, x, y: T.minimum(x, y),
    "where": lambda T, x, y: T.where(x > 0, x, y), "masked_fill_tensor": lambda T, x, y: x.masked_fill(x > 0, y[0]),
    "abs": lambda T, x, y: x.abs(), "amax": lambda T, x, y: x.amax().expand(4),
    "setitem": lambda T, x, y: _overwritten(x),
}


@pytest.mark.parametrize("program", NAN_GRADIENT_PROGRAMS.values(), ids=NAN_GRADIENT_PROGRAMS.keys())
def test_nan_gradients_stay_where_torch_puts_them(program):
    def run(T):
        x = T.tensor([-1.0, 2.0, 0.25, 0.25], dtype=T.float64, requires_grad=True)
        y = T.tensor([0.0, 1.0, 0.25, 3.0], dtype=T.float64, requires_grad=True)
        out = program(T, x, y)
        g = T.tensor([float("nan"), 1.0, float("nan"), 2.0], dtype=T.float64)[:out.numel()].reshape(out.shape)
        return T.autograd.grad(out, [x, y], g, allow_unused=True)

    check(run)


def _split_then(modify):
    def program(T):
        y = T.ones(4, requires_grad=True) * 1
        a, b = y.split(2)
        modify(T, a, b)
        return y.detach(), a.grad_fn.name()

    return program


def _no_grad_view_then(modify):
    def program(T):
        x = T.ones(4, requires_grad=True)
        y = x * 1
        with T.no_grad():
            v, w = x[:2], y.t()
        modify(T, v, w)
        return v.requires_grad, v.is_leaf, v.grad_fn, w.requires_grad, x.detach()

    return program


def _in_no_grad(T, fn):
    with T.no_grad():
        fn()


def _custom_view(T, x):
    class FirstTwo(T.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            return t[:2]

        @staticmethod
        def backward(ctx, g):
            return T.cat([g, g.new_zeros(2)])

    return FirstTwo.apply(x)


def _custom_view_gradient(T):
    x = T.arange(4.0, requires_grad=True)
    (_custom_view(T, x * 1) * 3).sum().backward()
    return x.grad


# Views torch restricts (CreationMeta): outputs of split/chunk/unbind and their views, views made under
# no_grad from a tensor that requires grad (they require grad, with no history and no gradient edge),
# and views returned by a custom Function.
RESTRICTED_VIEWS = {
    "split_output": _split_then(lambda T, a, b: a.add_(1)),
    "split_view_of_output": _split_then(lambda T, a, b: a[0:1].mul_(2)),
    "split_setitem": _split_then(lambda T, a, b: a.__setitem__(0, 5.0)),
    "split_modified_under_no_grad": _split_then(lambda T, a, b: _in_no_grad(T, lambda: a.add_(1))),
    "split_sibling_modified_under_no_grad": _split_then(lambda T, a, b: _in_no_grad(T, lambda: b.add_(1))),
    "unbind_output": lambda T: (T.ones(2, 2, requires_grad=True) * 1).unbind()[1].mul_(2),
    "split_with_sizes_output": lambda T: (T.ones(4, requires_grad=True) * 1).split([1, 3])[1].zero_(),
    "split_of_a_leaf": lambda T: T.ones(4, requires_grad=True).split(2)[0].add_(1),
    "split_without_grad": lambda T: T.ones(4).split(2)[0].add_(1),
    "no_grad_view_modified_with_grad": _no_grad_view_then(lambda T, v, w: v.add_(1)),
    "no_grad_view_of_non_leaf_modified": _no_grad_view_then(lambda T, v, w: w.add_(1)),
    "no_grad_view_modified_under_no_grad": _no_grad_view_then(lambda T, v, w: _in_no_grad(T, lambda: v.add_(1))),
    "no_grad_view_used_in_graph": _no_grad_view_then(lambda T, v, w: (v * 2 + w[:2]).sum().backward()),
    "no_grad_view_stale_used_in_graph": _no_grad_view_then(
        lambda T, v, w: (_in_no_grad(T, lambda: v.add_(1)), v * 2)),
    "no_grad_view_stale_is_leaf": _no_grad_view_then(lambda T, v, w: (_in_no_grad(T, lambda: w.add_(1)), w.is_leaf)),
    "custom_function_view": lambda T: _custom_view(T, T.ones(4, requires_grad=True) * 1).add_(1),
    "custom_function_view_gradient": lambda T: _custom_view_gradient(T),
    "detach_is_not_a_view": lambda T: (T.ones(4, requires_grad=True)[:2].detach()._base is None),
}


@pytest.mark.parametrize("program", RESTRICTED_VIEWS.values(), ids=RESTRICTED_VIEWS.keys())
def test_restricted_views(program):
    check(program)


def _overwritten(x):
    y = x * 1
    y[1] = x[0] * 3
    y[[0, 0]] = x[1:] * 2
    return y


# Second derivatives through formulas that use a saved output whose tensor object is already gone
# (1/x is reciprocal(x) * 1, x ** x saves its result), and through the scatter-style backwards.
SECOND_ORDER = {
    "reciprocal_output_dropped": lambda T, x: 1 / x,
    "pow_tensor_output_dropped": lambda T, x: x ** x,
    "exp_output_dropped": lambda T, x: x.exp() * 2,
    "sqrt_tanh_sigmoid": lambda T, x: x.sqrt().tanh().sigmoid(),
    "advanced_index": lambda T, x: x[T.tensor([0, 2, 2])],
    "unfold": lambda T, x: x.unfold(0, 2, 1),
    "as_strided": lambda T, x: x.as_strided((2, 2), (1, 1)),
    "index_put": _overwritten,
    "slice": lambda T, x: x[1:],
}


@pytest.mark.parametrize("forward", SECOND_ORDER.values(), ids=SECOND_ORDER.keys())
def test_second_derivatives(forward):
    def program(T):
        x = T.tensor([1.0, 2.0, 3.0], dtype=T.float64, requires_grad=True)
        (g,) = T.autograd.grad((forward(T, x) ** 2).sum(), x, create_graph=True)
        (gg,) = T.autograd.grad(g.sum(), x)
        return g.detach(), gg

    check(program)


# What a custom Function's backward may return: torch's engine checks each gradient against its
# input (shape: summed back when broadcast beyond it, else an error; dtype: cast) and the count.
RETURNED_GRADS = {
    "wrong_shape": lambda T, g: T.ones(3),
    "smaller_than_input": lambda T, g: T.ones(1),
    "zero_dim": lambda T, g: T.ones(()),
    "broadcast_beyond_input": lambda T, g: g.expand(3, 2),
    "other_float_dtype": lambda T, g: g.double(),
    "integer_dtype": lambda T, g: g.long(),
    "complex_for_real_input": lambda T, g: g.to(T.complex64),
    "two_for_one_input": lambda T, g: (g, g),
    "trailing_nones": lambda T, g: (g, None, None),
    "none": lambda T, g: None,
    "not_a_tensor": lambda T, g: 3,
    "gradient_for_a_number_input": lambda T, g: (g, g, None),
}


@pytest.mark.parametrize("returned", RETURNED_GRADS.values(), ids=RETURNED_GRADS.keys())
def test_custom_function_gradients_are_validated(returned):
    def program(T):
        class Scale(T.autograd.Function):
            @staticmethod
            def forward(ctx, x, *numbers):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return returned(T, g)

        x = T.ones(2, requires_grad=True)
        numbers = (2.0, 3.0) if returned is RETURNED_GRADS["gradient_for_a_number_input"] else ()
        Scale.apply(x, *numbers).sum().backward()
        return x.grad

    check(program)


@pytest.mark.parametrize("materialize", [None, False, True])
def test_custom_function_two_outputs_one_used(materialize):
    def program(T):
        seen = []

        class Pair(T.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                if materialize is not None:
                    ctx.set_materialize_grads(materialize)
                return x * 2, x * 3

            @staticmethod
            def backward(ctx, g1, g2):
                seen.append(None if g2 is None else g2.clone())
                return g1 * 2 if g2 is None else g1 * 2 + g2 * 3

        x = T.ones(2, requires_grad=True)
        a, b = Pair.apply(x)
        a.sum().backward()
        return seen, x.grad, a.grad_fn is b.grad_fn, b._version

    check(program)


def test_custom_function_non_differentiable_output_still_gets_a_gradient_slot():
    def program(T):
        class ArgmaxAndDouble(T.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                index = x.argmax()
                doubled = x * 2
                mask = x > 1
                ctx.mark_non_differentiable(mask)
                return doubled, index, mask, 7

            @staticmethod
            def backward(ctx, g, g_index, g_mask, g_number):
                return g * 2 + (0 if g_number is None else 1)

        x = T.tensor([1.0, 3.0], requires_grad=True)
        doubled, index, mask, number = ArgmaxAndDouble.apply(x)
        doubled.sum().backward()
        return x.grad, index.requires_grad, mask.requires_grad, index.grad_fn, number

    check(program)


def _mark_dirty_function(T):
    class DoubleInPlace(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 2

    return DoubleInPlace


@pytest.mark.parametrize("target", ["non_leaf", "view", "leaf"])
def test_custom_function_mark_dirty(target):
    def program(T):
        x = T.ones(3, requires_grad=True)
        y = x * 1
        modified = {"non_leaf": y, "view": y[:2], "leaf": x}[target]
        z = _mark_dirty_function(T).apply(modified)
        y.sum().backward()
        return z is modified, z.grad_fn.name(), y.grad_fn.name(), modified._version, x.grad

    check(program)


def test_custom_function_returning_its_input_gives_a_view():
    def program(T):
        class Identity(T.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x

            @staticmethod
            def backward(ctx, g):
                return g * 2

        y = T.ones(2, requires_grad=True) * 1
        z = Identity.apply(y)
        z.sum().backward(inputs=[y])
        return z is y, z._base is y, y.grad_fn.name(), z._version, y.grad

    check(program)


def test_gradcheck_passes_and_fails_like_torch():
    for T in BOTH:
        x = T.tensor([0.3, 0.7, 1.1], dtype=T.float64, requires_grad=True)
        assert T.autograd.gradcheck(lambda t: (t.sin() * t.exp()) / (t + 2), (x,))

        class Wrong(T.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                return t * 2

            @staticmethod
            def backward(ctx, grad):
                return grad * 3

        assert not T.autograd.gradcheck(Wrong.apply, (x,), raise_exception=False)


def test_deep_chain_backpropagates_without_recursion():
    x = reftorch.tensor([1.0], requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.backward(reftorch.ones(1))
    assert x.grad.tolist() == [1.0]


def test_graph_memory_is_released():
    x = reftorch.ones(3, requires_grad=True)
    y = (x * 2).exp()
    node = weakref.ref(y.grad_fn)
    del y
    gc.collect()
    assert node() is None


def test_leaf_grad_layout_follows_the_leaf():
    def program(T):
        x = T.ones(3, 2).t().detach().requires_grad_()
        (x * 2).backward(T.ones(2, 3))
        return x.grad.stride(), x.grad

    check(program)
    assert_same(*[program(T)[1] for T in (reftorch, torch)])


def test_ops_without_a_derivative_fail_in_backward():
    check(lambda T: (T.tensor([1.5, 2.5], requires_grad=True) // 2).sum().backward())
    check(lambda T: T.unique(T.tensor([1.5, 2.5, 1.5], requires_grad=True)).sum().backward())


def test_inference_mode_flag():
    def program(T):
        with T.inference_mode():
            inside = T.is_inference_mode_enabled()
            t = T.ones(2)
        return inside, T.is_inference_mode_enabled(), t.is_inference(), T.ones(2).is_inference()

    check(program)


# Views whose storage is modified in place after they were made: torch regenerates their grad_fn as
# AsStridedBackward0 onto the base's current history, so their gradients see the in-place op.
VIEW_PROGRAMS = {
    "base_modified": lambda y, v: y.mul_(2),
    "sibling_view_modified": lambda y, v: y[1:].mul_(3),
    "the_view_modified": lambda y, v: v.mul_(3),
    "modified_twice": lambda y, v: (y.add_(1), y[::2].mul_(-2)),
    "nothing_modified": lambda y, v: None,
}


@pytest.mark.parametrize("modify", VIEW_PROGRAMS.values(), ids=VIEW_PROGRAMS.keys())
@pytest.mark.parametrize("make_view", [lambda y: y[:2], lambda y: y.view(3, 1)[1:], lambda y: y.unsqueeze(0)])
def test_stale_view_history_is_regenerated(modify, make_view):
    def program(T):
        x = T.arange(1.0, 4.0, requires_grad=True)
        y = x * 1
        v = make_view(y)
        inner = v[..., :1]  # a view of the view, made before the change
        modify(y, v)
        (v.sum() + 10 * inner.sum()).backward()
        return v.grad_fn.name(), inner.grad_fn.name(), y.grad_fn.name(), x.grad, v.detach()

    check(program)


def test_stale_view_regenerated_when_base_changes_under_no_grad():
    def program(T):
        x = T.arange(1.0, 4.0, requires_grad=True)
        y = x * 1
        v = y[1:]
        with T.no_grad():
            y.add_(1)
        w = v * v
        w.sum().backward()
        return v.grad_fn.name(), w.grad_fn.next_functions[0][0].name(), x.grad

    check(program)


def _clone_with_copy_slices(x):
    y = x.clone()
    y[0:1].mul_(2)
    return y


def _modify_leaf(T, x):
    with T.no_grad():
        x.add_(1)


SAVED_MODIFIED = {  # (make y from x, use y, modify y): torch names y by its history as it is now
    "own_output": (lambda x: x.exp(), lambda r: r, lambda T, r: r.add_(1)),
    "input_rebased": (lambda x: x * 1, lambda y: y * y, lambda T, y: y.add_(1)),
    "input_rebased_twice": (lambda x: x * 1, lambda y: y.sin(), lambda T, y: (y.add_(1), y.mul_(2))),
    "view_input": (lambda x: x * 1, lambda y: y[:2].sin(), lambda T, y: y.add_(1)),
    "copy_slices": (_clone_with_copy_slices, lambda y: y * y, lambda T, y: y[1:2].add_(1)),
    "leaf": (lambda x: x, lambda y: y.sin(), _modify_leaf),
}


@pytest.mark.parametrize("case", SAVED_MODIFIED.values(), ids=SAVED_MODIFIED.keys())
def test_modified_saved_tensor_message_names_current_history(case):
    make, use, modify = case

    def program(T):
        y = make(T.ones(3, requires_grad=True))
        out = use(y)
        modify(T, y)
        out.sum().backward()

    check(program)


def test_cpp_nodes_report_qualified_names():
    def program(T):
        x = T.ones(3, requires_grad=True)
        y = x.clone()
        y[:1].mul_(2)
        accumulate = (x * 1).grad_fn.next_functions[0][0]
        floor = (x * 2) // 2
        return y.grad_fn.name(), type(y.grad_fn).__name__, accumulate.name(), floor.grad_fn.name()

    check(program)


def test_relu_backward_of_a_zero_dim_tensor():
    """0-d gradients travel as NumPy scalars on the array lane; relu's masking must handle them."""
    def program(T):
        x = T.tensor(1.5, dtype=T.float64, requires_grad=True)
        y = T.tensor(-1.5, dtype=T.float64, requires_grad=True)
        (-T.relu(x * 1) + T.relu(y * 2)).backward()
        return x.grad, y.grad

    check(program)


def _modified_after(inplace):
    def program(T):
        x = T.full((3,), 0.5, requires_grad=True)
        y = x * 1
        inplace(T, y)
        y.sum().backward()
        return x.grad

    return program


# Found by the fuzzer: an in-place op that saves its own result must see later changes of the tensor;
# unfold's gradient goes to logical input elements (an expanded input's aliases each get theirs); a
# stale zero-stride view's regenerated AsStridedBackward0 sums overlapping elements; gather saves
# its input.
FUZZER_FINDINGS = {
    "exp_then_mul": _modified_after(lambda T, y: (y.exp_(), y.mul_(2))),
    "exp_then_use": _modified_after(lambda T, y: y.exp_()),
    "sigmoid_on_view_then_base_changed": _modified_after(lambda T, y: (y[:2].sigmoid_(), y.add_(1))),
    "tanh_twice": _modified_after(lambda T, y: (y.tanh_(), y.tanh_())),
    "unfold_of_expanded": lambda T: _grad_of(T, lambda x: x.expand(2).unfold(-1, 2, 1), T.tensor([[1.0, 2.0]])),
    "unfold_of_transposed": lambda T: _grad_of(T, lambda x: x.view(2, 3).t().unfold(0, 2, 1),
                                               T.arange(8.0).view(2, 2, 2), size=6),
    "stale_expanded_view": lambda T: _stale_expanded_view(T),
    "gather_input_modified": lambda T: _gather_input_modified(T),
    "copy_node_name_and_message": lambda T: _copy_modified(T),
    "copying_reshape_is_not_a_view": lambda T: [
        (t._base is None, t.grad_fn.name()) for t in (T.ones(2, 2, requires_grad=True).t().reshape(4),
                                                       T.ones(2, 2).t().reshape(4).mul(1))],
    "relu_gradient_has_history": lambda T: _relu_second_order(T),
}


def _copy_modified(T):
    x = T.ones(3, requires_grad=True)
    y = T.zeros(3)
    y.copy_(x * 2)
    s = y.sin()
    with T.no_grad():
        y.add_(1)
    assert y.grad_fn.name() == "torch::autograd::CopyBackwards"
    s.sum().backward()


def _relu_second_order(T):
    x = T.tensor([-1.0, 2.0, 3.0], dtype=T.float64, requires_grad=True)
    (g,) = T.autograd.grad(T.relu(x).sum(), x, create_graph=True)
    (gg,) = T.autograd.grad((g * x).sum(), x)
    return g.requires_grad, g.grad_fn.name(), gg


def _grad_of(T, forward, grad, size=1):
    x = T.arange(1.0, size + 1.0, requires_grad=True)
    forward(x).backward(grad)
    return x.grad


def _stale_expanded_view(T):
    x = T.ones(1, requires_grad=True)
    v = -x
    e = v.expand(3)
    v.select(0, 0).copy_(T.tensor(2.0))
    T.autograd.backward([e], [T.ones(3)])
    return x.grad, e.grad_fn.name()


def _gather_input_modified(T):
    x = T.ones(3, requires_grad=True) * 1
    g = T.gather(x, 0, T.tensor([0, 2]))
    x.zero_()
    g.sum().backward()


@pytest.mark.parametrize("program", FUZZER_FINDINGS.values(), ids=FUZZER_FINDINGS.keys())
def test_fuzzer_findings(program):
    check(program)


@pytest.mark.parametrize("inputs", ["list", "tuple", "none"])
def test_grad_needs_inputs(inputs):
    """``autograd.grad`` with an empty ``inputs`` raises torch's RuntimeError; ``None`` is not iterable."""
    def program(T):
        x = T.ones(2, requires_grad=True)
        return T.autograd.grad((x * 2).sum(), {"list": [], "tuple": (), "none": None}[inputs])

    check(program)
