"""Conformance tests for spec/autograd.toml: requires_grad, backward, accumulation, grad modes, detach."""

from __future__ import annotations

import copy
import io
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import claims
from conformance import strategies as cst


def bounded_floats(shape: tuple[int, ...], lo: float = -4.0, hi: float = 4.0) -> st.SearchStrategy:
    """Nested lists of float32-representable values in [lo, hi] (moderate, so sums stay within tolerance)."""
    n = cst.numel(shape)
    values = st.floats(lo, hi, width=32, allow_subnormal=False, allow_nan=False)
    return st.lists(values, min_size=n, max_size=n).map(
        lambda flat: np.array(flat, dtype=np.float32).reshape(shape).tolist()
    )


def grad_close(r, name: str, expected: np.ndarray, rtol: float = 1e-5) -> bool:
    grad = r[name].grad
    return grad is not None and np.allclose(grad.numpy(), expected, rtol=rtol, atol=1e-5)


SHAPES = cst.nonempty_shapes(max_dims=3, max_side=4)
VALUES = SHAPES.flatmap(bounded_floats)  # nested lists of a drawn shape
SMALL_VALUES = SHAPES.flatmap(lambda shape: bounded_floats(shape, -2.0, 2.0))  # exp stays moderate


# --- Variable, backward ---


@claims("autograd.variable-returns-tensor")
@given(vals=VALUES)
def test_variable_returns_tensor(differential, vals):
    def program(T, device):
        a = T.autograd.Variable(T.tensor(vals, device=device), requires_grad=True)
        return {"a": a, "is_plain_tensor": type(a) is T.Tensor}

    differential(
        program, predicate=lambda r, T: r["is_plain_tensor"] and r["a"].requires_grad and r["a"].is_leaf
    )


@claims("autograd.variable-returns-tensor")
def test_variable_document_example(differential):
    def program(T, device):
        a = T.autograd.Variable(T.Tensor([[1, 2], [3, 4]]), requires_grad=True)
        print(a)
        return {"text": str(a), "leaf": a.is_leaf, "requires_grad": a.requires_grad}

    expected = "tensor([[1., 2.],\n        [3., 4.]], requires_grad=True)"
    differential(program, predicate=lambda r, T: r["text"] == expected)


@claims("autograd.sum-of-squares-gradient")
@given(vals=VALUES)
def test_sum_of_squares_gradient(differential, vals):
    def program(T, device):
        a = T.tensor(vals, device=device, requires_grad=True)
        b = T.sum(a**2)
        b.backward()
        return {"a": a, "b": b}

    differential(
        program,
        rtol=1e-5,
        predicate=lambda r, T: (
            r["b"].grad_fn is not None
            and type(r["b"].grad_fn).__name__ == "SumBackward0"
            and grad_close(r, "a", 2 * np.array(vals, dtype=np.float32))
        ),
    )


@claims("autograd.sum-of-squares-gradient")
def test_sum_of_squares_document_example(differential):
    def program(T, device):
        a = T.autograd.Variable(T.Tensor([[1, 2], [3, 4]]), requires_grad=True)
        b = T.sum(a**2)
        print(b)
        printed_b = str(b)
        b.backward()
        print(a.grad)
        return {"printed": [printed_b, str(a.grad)], "grad": a.grad.tolist()}

    differential(
        program,
        predicate=lambda r, T: (
            r["printed"] == ["tensor(30., grad_fn=<SumBackward0>)", "tensor([[2., 4.],\n        [6., 8.]])"]
        ),
    )


@claims("autograd.power-gradient")
@given(value=st.floats(0.25, 4.0, width=32))
def test_power_gradient(differential, value):
    def program(T, device):
        a = T.tensor(value, device=device, requires_grad=True)
        x = a**3
        x.backward()
        return {"a": a, "x": x, "grad_fn": type(x.grad_fn).__name__}

    differential(
        program,
        rtol=1e-5,
        predicate=lambda r, T: (
            r["grad_fn"] == "PowBackward0" and math.isclose(r["a"].grad.item(), 3 * value**2, rel_tol=1e-5)
        ),
    )


@claims("autograd.backward-without-graph-raises")
@given(vals=VALUES)
def test_backward_without_graph_raises(differential, vals):
    def program(T, device):
        b = T.tensor(vals, device=device, requires_grad=False)
        y = (b**3).sum()
        y.backward()
        return {"b": b, "grad": b.grad}

    differential(program)


@claims("autograd.backward-without-graph-raises")
def test_backward_without_graph_document_example(differential):
    def program(T, device):
        a = T.tensor(1.0, device=device, requires_grad=False)
        x = a**3
        x.backward()
        return a.grad

    differential(program)


@claims("autograd.non-requiring-input-grad-is-none")
@given(a=st.floats(0.25, 2.0, width=32), c=st.floats(0.5, 3.0, width=32))
def test_non_requiring_input_grad_is_none(differential, a, c):
    def program(T, device):
        ta = T.tensor(a, device=device, requires_grad=True)
        tc = T.tensor(c, device=device, requires_grad=False)
        z = tc**ta
        z.backward()
        return {
            "a": ta,
            "c": tc,
            "c_grad_is_none": tc.grad is None,
            "z": z,
            "grad_fn": type(z.grad_fn).__name__,
        }

    differential(
        program,
        rtol=1e-5,
        predicate=lambda r, T: (
            r["c_grad_is_none"]
            and r["grad_fn"] == "PowBackward1"
            and math.isclose(r["a"].grad.item(), c**a * math.log(c), rel_tol=1e-4, abs_tol=1e-6)
        ),
    )


@claims("autograd.non-requiring-input-grad-is-none", "autograd.power-gradient")
def test_document_example_without_failing_call(differential):
    def program(T, device):
        a = T.tensor(1.0, requires_grad=True)
        x = a**3
        c = T.tensor(1.0, requires_grad=False)
        z = c**a
        x.backward()
        z.backward()
        print(a.grad)
        print(c.grad)
        return {"printed": str(a.grad), "c_grad_is_none": c.grad is None}

    differential(program, predicate=lambda r, T: r == {"printed": "tensor(3.)", "c_grad_is_none": True})


# --- requires_grad ---


@claims("autograd.requires-grad-defaults-false")
@given(shape=SHAPES, seed=st.integers(0, 2**16), data=st.data())
def test_requires_grad_defaults_false(differential, shape, seed, data):
    vals = data.draw(bounded_floats(shape))

    def program(T, device):
        T.manual_seed(seed)
        made = [
            T.tensor(vals, device=device),
            T.randn(shape, device=device),
            T.ones(shape, device=device),
            T.zeros(shape, device=device),
            T.Tensor([vals]).to(device),
        ]
        return {
            "made": made,
            "flags": [t.requires_grad for t in made],
            "param": T.nn.Parameter(T.ones(shape, device=device)).requires_grad,
        }

    differential(program, predicate=lambda r, T: not any(r["flags"]) and r["param"])


@claims("autograd.integer-tensor-cannot-require-grad")
@given(dtype=cst.dtypes(kinds=("bool", "int")), shape=SHAPES, data=st.data())
def test_integer_tensor_cannot_require_grad(differential, dtype, shape, data):
    vals = data.draw(cst.arrays(shape, dtype)).tolist()

    def program(T, device):
        return T.tensor(vals, dtype=getattr(T, dtype), device=device, requires_grad=True)

    differential(program)


@claims("autograd.integer-tensor-cannot-require-grad")
def test_integer_tensor_document_example(differential):
    def program(T, device):
        t = T.tensor([1, 2, 3], device=device, requires_grad=True)
        return t.detach().numpy()

    differential(program)


@claims("autograd.integer-tensor-cannot-require-grad")
@given(dtype=cst.dtypes(kinds=("float", "complex")), shape=SHAPES)
def test_floating_tensor_can_require_grad(differential, dtype, shape):
    def program(T, device):
        return T.ones(shape, dtype=getattr(T, dtype), device=device, requires_grad=True)

    differential(program, predicate=lambda r, T: r.requires_grad and r.is_leaf)


@claims("autograd.numpy-needs-detach")
@pytest.mark.parametrize("detach, holds", [
    pytest.param(False, None, id="requires-grad"),
    pytest.param(True, lambda r, vals: isinstance(r, np.ndarray)
                 and np.array_equal(r, np.array(vals, dtype=np.float32)), id="detached"),
])
@given(vals=VALUES)
def test_numpy_needs_detach(differential, detach, holds, vals):
    def program(T, device):
        t = T.tensor(vals, requires_grad=True)
        return (t.detach() if detach else t).numpy()

    differential(program, predicate=None if holds is None else lambda r, T: holds(r, vals))


def _required_later(T, shape, device):
    x = T.ones(shape, device=device)
    return x, x.requires_grad_() is x


def _required_at_creation(T, shape, device):
    return T.ones(shape, device=device, requires_grad=True), True


@pytest.mark.parametrize("make", [
    pytest.param(_required_later, marks=claims("autograd.requires-grad-inplace-method"), id="requires-grad-method"),
    pytest.param(_required_at_creation, marks=claims("autograd.requires-grad-at-creation"), id="at-creation"),
])
@given(shape=SHAPES)
def test_made_to_require_grad(differential, make, shape):
    """``make`` gives (a tensor made to require grad, whether the call returned that tensor itself)."""
    def program(T, device):
        return make(T, shape, device)

    differential(
        program, predicate=lambda r, T: r[1] and r[0].requires_grad and r[0].is_leaf and r[0].grad_fn is None
    )


def _printed_then_required(T):
    x = T.ones(2, 3)
    print(x)
    x.requires_grad_()
    return x


def _ones_requiring_grad(T):
    return T.ones((2, 3), requires_grad=True)


@pytest.mark.parametrize("example", [
    pytest.param(_printed_then_required, marks=claims("autograd.requires-grad-inplace-method"),
                 id="requires-grad-method"),
    pytest.param(_ones_requiring_grad, marks=claims("autograd.requires-grad-at-creation"), id="at-creation"),
])
def test_made_to_require_grad_document_examples(differential, example):
    def program(T, device):
        t = example(T)
        print(t)
        return str(t)

    differential(
        program,
        predicate=lambda r, T: r == "tensor([[1., 1., 1.],\n        [1., 1., 1.]], requires_grad=True)",
    )


# --- updates that must not be tracked ---


def _data_sub(T, p, lr):
    (p * p).sum().backward()
    p.data.sub_(p.grad.data * lr)


def _data_isub(T, p, lr):
    (p * p).sum().backward()
    p.data -= p.grad * lr


def _no_grad_isub(T, p, lr):
    (p * 3).sum().backward()
    with T.no_grad():
        p -= p.grad * lr


@pytest.mark.parametrize("updates, expected", [
    pytest.param(st.sampled_from([_data_sub, _data_isub]), lambda start, lr: start - lr * 2 * start,
                 marks=claims("autograd.data-update-untracked"), id="data"),
    pytest.param(st.just(_no_grad_isub), lambda start, lr: start - 3 * lr,
                 marks=claims("autograd.no-grad-inplace-leaf-update"), id="no-grad"),
])
@given(vals=VALUES, lr=st.sampled_from([0.5, 0.25, 0.125]), data=st.data())
def test_untracked_leaf_update(differential, updates, expected, vals, lr, data):
    """A drawn ``update(T, p, lr)`` (a backward, then a step outside autograd) leaves ``p`` a leaf that
    requires grad and holds ``expected(start, lr)``."""
    update = data.draw(updates)

    def program(T, device):
        p = T.tensor(vals, device=device, requires_grad=True)
        update(T, p, lr)
        return p

    start = np.array(vals, dtype=np.float32)
    differential(
        program,
        predicate=lambda r, T: (
            r.is_leaf
            and r.grad_fn is None
            and r.requires_grad
            and np.allclose(r.detach().numpy(), expected(start, lr), rtol=1e-6)
        ),
    )


def _isub_leaf(p):
    p -= 1.0
    return p


def _add_leaf(p):
    p.add_(2.0)
    return p


def _mul_leaf(p):
    p.mul_(2.0)
    return p


def _zero_leaf(p):
    p.zero_()
    return p


def _modify_saved_output(a):
    b = a.exp()  # exp saves its output for backward
    b.detach().add_(1)
    b.sum().backward()
    return a


def _detach_inplace_view(a):
    v = (a * 2).view(-1)
    v.detach_()
    return v


MISUSES = [
    pytest.param(VALUES, st.sampled_from([_isub_leaf, _add_leaf, _mul_leaf, _zero_leaf]),
                 marks=claims("autograd.inplace-on-leaf-raises"), id="inplace-on-leaf"),
    pytest.param(SMALL_VALUES, st.just(_modify_saved_output), marks=claims("autograd.detach-inplace-breaks-backward"),
                 id="modified-saved-output"),
    pytest.param(VALUES, st.just(_detach_inplace_view), marks=claims("autograd.detach-inplace-view-raises"),
                 id="detach-inplace-view"),
]


@pytest.mark.parametrize("values, misuses", MISUSES)
@given(data=st.data())
def test_misuse_raises(differential, values, misuses, data):
    """A drawn ``misuse`` of a leaf that requires grad raises the oracle's exception on both sides."""
    vals = data.draw(values)
    misuse = data.draw(misuses)

    def program(T, device):
        return misuse(T.tensor(vals, device=device, requires_grad=True))

    differential(program)


# --- grad modes ---


@claims("autograd.no-grad-results-do-not-require-grad")
@given(vals=VALUES)
def test_no_grad_results(differential, vals):
    def program(T, device):
        x = T.tensor(vals, device=device, requires_grad=True)
        with T.no_grad():
            y = x * 2 + 1
            z = y.sum()
            w = x.exp()
            inside = T.is_grad_enabled()
        after = x * 2
        return {"y": y, "z": z, "w": w, "inside": inside, "after": after}

    differential(
        program,
        rtol=1e-5,
        predicate=lambda r, T: (
            not (r["y"].requires_grad or r["z"].requires_grad or r["w"].requires_grad or r["inside"])
            and r["after"].requires_grad
        ),
    )


def _three_linears(T, device, seed):
    T.manual_seed(seed)
    x = T.randn(2, 2, device=device)
    x.requires_grad = True
    lin0, lin1, lin2 = (T.nn.Linear(2, 2).to(device) for _ in range(3))
    x1 = lin0(x)
    with T.no_grad():
        x2 = lin1(x1)
    x3 = lin2(x2)
    x3.sum().backward()
    return x, lin0, lin1, lin2


@claims("autograd.no-grad-cuts-upstream-gradients")
@given(seed=st.integers(0, 2**16))
def test_no_grad_cuts_upstream_gradients(differential, seed):
    def program(T, device):
        x, lin0, lin1, lin2 = _three_linears(T, device, seed)
        return {
            "x": x,
            "lin0": lin0.weight.grad,
            "lin1": lin1.weight.grad,
            "lin2": lin2.weight,
            "lin1_requires_grad": lin1.weight.requires_grad,
        }

    def holds(r, T):
        g = r["lin2"].grad
        return (
            r["lin0"] is None
            and r["lin1"] is None
            and r["x"].grad is None
            and r["lin1_requires_grad"]
            and g is not None
            and T.equal(g[0], g[1])
        )

    differential(program, rtol=1e-5, predicate=holds)


@claims("autograd.no-grad-example-printout")
@given(seed=st.integers(0, 2**16))
def test_no_grad_example_printout(differential, seed):
    def program(T, device):
        _, lin0, lin1, lin2 = _three_linears(T, device, seed)
        buf = io.StringIO()
        print(lin0.weight.grad, lin1.weight.grad, lin2.weight.grad, file=buf)
        print(lin0.weight.grad, lin1.weight.grad, lin2.weight.grad)
        return buf.getvalue()

    differential(program, predicate=lambda r, T: r.startswith("None None tensor([[") and "(None" not in r)


@claims("autograd.set-grad-enabled-context")
@given(shape=SHAPES, flag=st.booleans(), data=st.data())
def test_set_grad_enabled_context(differential, shape, flag, data):
    vals = data.draw(bounded_floats(shape))

    def program(T, device):
        x = T.tensor(vals, device=device, requires_grad=True)
        with T.set_grad_enabled(flag):
            y = x * 2
            inside = T.is_grad_enabled()
        return {"y": y, "inside": inside, "after": T.is_grad_enabled()}

    differential(
        program, predicate=lambda r, T: r["y"].requires_grad == flag and r["inside"] == flag and r["after"]
    )


@claims("autograd.set-grad-enabled-function")
@given(vals=VALUES)
def test_set_grad_enabled_function(differential, vals):
    def program(T, device):
        x = T.tensor(vals, device=device, requires_grad=True)
        try:
            T.set_grad_enabled(False)
            off = x * 2
            mode_off = T.is_grad_enabled()
        finally:
            T.set_grad_enabled(True)
        on = x * 2
        return {"off": off, "mode_off": mode_off, "on": on, "mode_on": T.is_grad_enabled()}

    differential(
        program,
        predicate=lambda r, T: (
            not r["off"].requires_grad and not r["mode_off"] and r["on"].requires_grad and r["mode_on"]
        ),
    )


@claims("autograd.misspelled-requires-grad-keyword")
def test_misspelled_requires_grad_keyword(differential):
    def program(T, device):
        return T.tensor([1.0], device=device, requres_grad=True)

    differential(program)


# --- accumulation and zeroing ---


@claims("autograd.gradients-accumulate")
@given(shape=SHAPES, passes=st.integers(1, 3), data=st.data())
def test_gradients_accumulate(differential, shape, passes, data):
    vals = data.draw(bounded_floats(shape))
    coef = data.draw(bounded_floats(shape))

    def program(T, device):
        x = T.tensor(vals, device=device, requires_grad=True)
        c = T.tensor(coef, device=device)
        for _ in range(passes):
            (x * c).sum().backward()
        return x

    differential(
        program,
        rtol=1e-5,
        predicate=lambda r, T: np.allclose(
            r.grad.numpy(), passes * np.array(coef, dtype=np.float32), rtol=1e-5
        ),
    )


def _zero_grad(p):
    p.grad.zero_()
    return p.grad.clone()


def _drop_grad(p):
    p.grad = None
    return p.grad


@pytest.mark.parametrize("clear, is_cleared", [
    pytest.param(_zero_grad, lambda g: not g.any().item(), marks=claims("autograd.grad-zero-inplace"), id="zero"),
    pytest.param(_drop_grad, lambda g: g is None, marks=claims("autograd.grad-set-to-none"), id="none"),
])
@given(vals=VALUES)
def test_cleared_grad_then_backward(differential, clear, is_cleared, vals):
    """``clear(p)`` empties the gradient of a backward and returns what is left; the next backward's gradient
    is then stored alone."""
    def program(T, device):
        p = T.tensor(vals, device=device, requires_grad=True)
        (p * 5).sum().backward()
        cleared = clear(p)
        (p * 3).sum().backward()
        return {"p": p, "cleared": cleared}

    differential(
        program, predicate=lambda r, T: is_cleared(r["cleared"]) and bool((r["p"].grad == 3).all().item())
    )


# --- clone, .data, detach ---


@claims("autograd.clone-is-differentiable")
@given(shape=SHAPES, data=st.data())
def test_clone_is_differentiable(differential, shape, data):
    vals = data.draw(bounded_floats(shape))
    coef = data.draw(bounded_floats(shape))

    def program(T, device):
        x = T.tensor(vals, device=device, requires_grad=True)
        c = x.clone()
        (c * T.tensor(coef, device=device)).sum().backward()
        return {"x": x, "c": c}

    differential(
        program,
        layout=True,
        predicate=lambda r, T: (
            type(r["c"].grad_fn).__name__ == "CloneBackward0"
            and r["c"].untyped_storage().data_ptr() != r["x"].untyped_storage().data_ptr()
            and np.allclose(r["x"].grad.numpy(), np.array(coef, dtype=np.float32))
        ),
    )


@claims("autograd.data-is-untracked-alias")
@given(seed=st.integers(0, 2**16), sizes=st.tuples(st.integers(1, 4), st.integers(1, 4)))
def test_data_is_untracked_alias(differential, seed, sizes):
    def program(T, device):
        T.manual_seed(seed)
        w = T.nn.Linear(*sizes).to(device).weight
        d = w.data
        return {"w": w, "data": d, "clone": w.data.clone(), "deepcopy": copy.deepcopy(w.data)}

    def holds(r, T):
        return (
            not (r["data"].requires_grad or r["clone"].requires_grad or r["deepcopy"].requires_grad)
            and r["data"].data_ptr() == r["w"].data_ptr()
            and T.equal(r["clone"], r["deepcopy"])
            and r["clone"].data_ptr() != r["w"].data_ptr()
        )

    differential(program, layout=True, predicate=holds)


@claims("autograd.detach-shares-storage")
@given(vals=VALUES)
def test_detach_shares_storage(differential, vals):
    def program(T, device):
        x = T.tensor(vals, device=device, requires_grad=True)
        y = x * 2
        d = y.detach()
        d.add_(1)  # seen through y
        e = x.detach()
        e.mul_(2)  # seen through x
        return {"x": x, "y": y, "d": d, "e": e}

    def holds(r, T):
        d, e = r["d"], r["e"]
        return (
            not d.requires_grad
            and d.is_leaf
            and d.grad_fn is None
            and not e.requires_grad
            and d.data_ptr() == r["y"].data_ptr()
            and e.data_ptr() == r["x"].data_ptr()
            and T.equal(r["y"], d)
            and T.equal(r["x"].detach(), e)
        )

    differential(program, layout=True, predicate=holds)


@claims("autograd.detach-inplace-makes-leaf")
@given(vals=VALUES)
def test_detach_inplace_makes_leaf(differential, vals):
    def program(T, device):
        a = T.tensor(vals, device=device, requires_grad=True)
        b = a * 2
        before = b.is_leaf
        r = b.detach_()
        return {"b": b, "returns_self": r is b, "before": before}

    differential(
        program,
        predicate=lambda r, T: (
            r["returns_self"]
            and not r["before"]
            and r["b"].is_leaf
            and not r["b"].requires_grad
            and r["b"].grad_fn is None
        ),
    )


@claims("autograd.detach-print")
@given(value=st.sampled_from([2.0, -1.5, 0.25, 3.0, 100.0]))
def test_detach_print(differential, value):
    def program(T, device):
        x = T.tensor(value, requires_grad=True)
        x_detach = x.detach()
        print("Tensor with detach:", x_detach)
        return str(x_detach)

    differential(
        program,
        predicate=lambda r, T: (
            r.startswith("tensor(") and "requires_grad" not in r and (value != 2.0 or r == "tensor(2.)")
        ),
    )


@claims("autograd.retain-grad")
@given(vals=VALUES)
def test_retain_grad(differential, vals):
    def program(T, device):
        a = T.tensor(vals, device=device, requires_grad=True)
        b = a * 3
        b.retain_grad()
        (b * b).sum().backward()
        return {"a": a, "b": b, "b_grad": b.grad}

    differential(
        program,
        rtol=1e-5,
        predicate=lambda r, T: (
            not r["b"].is_leaf
            and r["b_grad"] is not None
            and np.allclose(r["b_grad"].numpy(), 2 * r["b"].detach().numpy(), rtol=1e-5)
        ),
    )


@claims("autograd.non-leaf-grad-warns")
@given(shape=SHAPES)
def test_non_leaf_grad_warns(differential, shape):
    def program(T, device):
        a = T.ones(shape, device=device, requires_grad=True)
        b = a * 2
        b.sum().backward()
        return {"grad_is_none": b.grad is None}

    differential(program, predicate=lambda r, T: r["grad_is_none"])


@claims("autograd.retain-graph")
@pytest.mark.parametrize("first_backward, rtol, holds", [
    pytest.param({}, None, None, id="freed"),
    pytest.param({"retain_graph": True}, 1e-5, lambda r, vals: np.allclose(
        r.grad.numpy(), 2 * np.exp(np.array(vals, dtype=np.float32)), rtol=1e-5), id="retained"),
])
@given(vals=SMALL_VALUES)
def test_second_backward(differential, first_backward, rtol, holds, vals):
    """A second backward after ``backward(**first_backward)``: refused once the graph is freed."""
    def program(T, device):
        a = T.tensor(vals, device=device, requires_grad=True)
        y = a.exp().sum()
        y.backward(**first_backward)
        y.backward()
        return a

    differential(program, rtol=rtol, predicate=None if holds is None else lambda r, T: holds(r, vals))


@claims("autograd.non-scalar-backward-raises")
@pytest.mark.parametrize("shapes, with_gradient", [
    pytest.param(cst.nonempty_shapes(min_dims=1, max_dims=3, max_side=4).filter(lambda s: cst.numel(s) > 1), False,
                 id="implicit"),
    pytest.param(SHAPES, True, id="explicit-gradient"),
])
@given(data=st.data())
def test_non_scalar_backward(differential, shapes, with_gradient, data):
    """backward() of a non-scalar result: refused without a gradient, the chain rule with one."""
    shape = data.draw(shapes)
    vals = data.draw(bounded_floats(shape))
    upstream = data.draw(bounded_floats(shape)) if with_gradient else None

    def program(T, device):
        a = T.tensor(vals, device=device, requires_grad=True)
        if upstream is None:
            (a * 2).backward()
        else:
            (a * 2).backward(T.tensor(upstream, device=device))
        return a

    differential(program, predicate=None if upstream is None else lambda r, T: np.allclose(
        r.grad.numpy(), 2 * np.array(upstream, dtype=np.float32)))


@claims("autograd.frozen-parameter-gets-no-grad")
@given(seed=st.integers(0, 2**16), freeze_first=st.booleans())
def test_frozen_parameter_gets_no_grad(differential, seed, freeze_first):
    def program(T, device):
        T.manual_seed(seed)
        model = T.nn.Sequential(T.nn.Linear(3, 4), T.nn.ReLU(), T.nn.Linear(4, 2)).to(device)
        frozen = model[0] if freeze_first else model[2]
        for param in frozen.parameters():
            param.requires_grad = False
        model(T.randn(5, 3, device=device)).sum().backward()
        return {name: (p.requires_grad, p.grad) for name, p in model.named_parameters()}

    def holds(r, T):
        frozen = "0." if freeze_first else "2."
        return all(
            (grad is None) == name.startswith(frozen) and flag != name.startswith(frozen)
            for name, (flag, grad) in r.items()
        )

    differential(program, rtol=1e-5, predicate=holds)


@claims("autograd.no-graph-without-requiring-inputs")
@given(shape=SHAPES, flag=st.booleans(), data=st.data())
def test_no_graph_without_requiring_inputs(differential, shape, flag, data):
    vals = data.draw(bounded_floats(shape))

    def program(T, device):
        x = T.tensor(vals, device=device)
        w = T.ones(shape, device=device, requires_grad=flag)
        return x * w + x

    differential(program, predicate=lambda r, T: r.requires_grad == flag and (r.grad_fn is not None) == flag)


@claims("autograd.requires-grad-only-on-leaves")
@given(shape=SHAPES, use_method=st.booleans())
def test_requires_grad_only_on_leaves(differential, shape, use_method):
    def program(T, device):
        a = T.ones(shape, device=device, requires_grad=True)
        b = a * 2
        if use_method:
            b.requires_grad_(False)
        else:
            b.requires_grad = False
        return b

    differential(program)


@claims("autograd.item-tolist-leave-graph")
@given(vals=VALUES)
def test_item_tolist_leave_graph(differential, vals):
    def program(T, device):
        a = T.tensor(vals, device=device, requires_grad=True)
        first = a.reshape(-1)[0]
        return {"item": first.item(), "tolist": a.tolist(), "scalar_tolist": first.tolist()}

    differential(
        program,
        predicate=lambda r, T: (
            type(r["item"]) is float and r["tolist"] == vals and r["scalar_tolist"] == r["item"]
        ),
    )


@claims("autograd.item-tolist-leave-graph")
def test_item_document_example(differential):
    def program(T, device):
        a = T.tensor([1.0], device=device, requires_grad=True)
        return {"item": a.item(), "tolist": a.tolist()}

    differential(program, predicate=lambda r, T: r == {"item": 1.0, "tolist": [1.0]})
