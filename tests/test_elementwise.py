"""Elementwise ops against torch: promotion kinds, broadcasting, in-place dtype rules, errors."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import DTYPE_NAMES, check
from hypothesis import given
from hypothesis import strategies as st

from reftorch.ops.elementwise import BINARY, UNARY

REAL = tuple(d for d in DTYPE_NAMES if not d.startswith("complex"))
small_shapes = st.lists(st.integers(1, 3), max_size=3).map(tuple)


def _values(shape, dtype, seed):
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return np.asarray(rng.integers(0, 2, shape).astype(bool))
    if dtype.startswith("uint"):
        return np.asarray(rng.integers(0, 6, shape).astype(dtype))
    if dtype.startswith("int"):
        return np.asarray(rng.integers(-5, 6, shape).astype(dtype))
    values = rng.uniform(-3, 3, shape)
    if dtype.startswith("complex"):
        values = values + 1j * rng.uniform(-3, 3, shape)
    return np.asarray(values.astype(dtype))


def _tensor(T, array):
    return T.from_numpy(array.copy())


@pytest.mark.parametrize("spec", UNARY, ids=[s.name for s in UNARY])
@given(dtype=st.sampled_from(DTYPE_NAMES), shape=small_shapes, seed=st.integers(0, 2**16))
def test_unary_matches_torch(spec, dtype, shape, seed):
    array = _values(shape, dtype, seed)
    check(lambda T: getattr(T, spec.name)(_tensor(T, array)))
    if spec.inplace != "none":
        def inplace(T):
            x = _tensor(T, array)
            getattr(x, spec.name + "_")()
            return x

        check(inplace)


@pytest.mark.parametrize("spec", BINARY, ids=[s.name for s in BINARY])
@given(a=st.sampled_from(REAL), b=st.sampled_from(REAL), shapes=st.tuples(small_shapes, small_shapes),
       seed=st.integers(0, 2**16), scalar=st.sampled_from([2, -1, 1.5, True, 0]))
def test_binary_matches_torch(spec, a, b, shapes, seed, scalar):
    x, y = _values(shapes[0], a, seed), _values(shapes[1], b, seed + 1)
    check(lambda T: getattr(T, spec.name)(_tensor(T, x), _tensor(T, y)))
    check(lambda T: getattr(T, spec.name)(_tensor(T, x), scalar))
    if spec.inplace:
        def inplace(T):
            t = _tensor(T, x)
            getattr(t, spec.name + "_")(_tensor(T, y))
            return t

        check(inplace)


@pytest.mark.parametrize("spec", BINARY, ids=[s.name for s in BINARY])
@pytest.mark.parametrize("dtype", DTYPE_NAMES)
def test_binary_short_path_decides_once_per_dtype_and_stays_right(spec, dtype):
    """Two tensors of one dtype and shape take the short path, whose (ufunc, result dtype) decision is
    cached per dtype after the first call: the second and third calls (cached, or refused again when
    the dtype check failed) give torch's results and errors."""
    x, y = _values((2, 3), dtype, 7), _values((2, 3), dtype, 8)

    def program(T):
        a, b = _tensor(T, x), _tensor(T, y)
        return [getattr(T, spec.name)(a, b) for _ in range(3)]

    check(program)


@given(a=st.sampled_from(DTYPE_NAMES), b=st.sampled_from(DTYPE_NAMES), seed=st.integers(0, 2**16),
       alpha=st.sampled_from([1, 2, 0.5]), rounding=st.sampled_from([None, "floor", "trunc"]))
def test_add_sub_div_with_options(a, b, seed, alpha, rounding):
    x, y = _values((2, 3), a, seed), _values((3,), b, seed + 1)
    check(lambda T: T.add(_tensor(T, x), _tensor(T, y), alpha=alpha))
    check(lambda T: T.sub(_tensor(T, x), _tensor(T, y), alpha=alpha))
    if not a.startswith("complex") and not b.startswith("complex"):
        check(lambda T: T.div(_tensor(T, x), _tensor(T, y) + (T.ones(3, dtype=getattr(T, b)) if b != "bool" else 0),
                              rounding_mode=rounding))


OPERATOR_PROGRAMS = {
    "add": lambda x, y: x + y, "radd": lambda x, y: 2 + x, "sub": lambda x, y: x - y, "rsub": lambda x, y: 2 - x,
    "mul": lambda x, y: x * y, "rmul": lambda x, y: 2.5 * x, "truediv": lambda x, y: x / y,
    "rtruediv": lambda x, y: 2 / x, "floordiv": lambda x, y: x // y, "mod": lambda x, y: x % y,
    "pow": lambda x, y: x ** 2, "rpow": lambda x, y: 2 ** x, "neg": lambda x, y: -x, "abs": lambda x, y: abs(x),
    "and": lambda x, y: x & y, "or": lambda x, y: x | y, "xor": lambda x, y: x ^ y, "invert": lambda x, y: ~x,
    "eq": lambda x, y: x == y, "ne": lambda x, y: x != y, "lt": lambda x, y: x < y, "ge": lambda x, y: x >= 1,
    "lshift": lambda x, y: x << 1,
}


@pytest.mark.parametrize("name", list(OPERATOR_PROGRAMS))
@given(a=st.sampled_from(REAL), b=st.sampled_from(REAL), seed=st.integers(0, 2**16))
def test_python_operators(name, a, b, seed):
    x, y = _values((2, 2), a, seed), _values((2,), b, seed + 1) + (1 if b not in ("bool",) else True)
    check(lambda T: OPERATOR_PROGRAMS[name](_tensor(T, x), _tensor(T, y)))


def test_inplace_operators_keep_identity_and_dtype_rules():
    def program(T):
        x = T.ones(3)
        y = x
        x += 1
        x *= T.tensor([1.0, 2.0, 3.0])
        x /= 2
        return x, y is x, x._version

    check(program)
    check(lambda T: T.tensor([1, 2]).add_(1.5))
    check(lambda T: T.tensor([1, 2]).div_(2))
    check(lambda T: T.zeros(3).add_(T.zeros(2, 3)))


def test_failed_inplace_leaves_tensor_unchanged():
    def program(T):
        x = T.tensor([1, 2])
        try:
            x.add_(1.5)
        except RuntimeError:
            pass
        y = T.zeros(3)
        try:
            y.add_(T.ones(2, 3))
        except RuntimeError:
            pass
        z = T.zeros(3).expand(2, 3)
        try:
            z.mul_(2)
        except RuntimeError:
            pass
        return x, y, x._version, y._version

    check(program)


def test_errors():
    check(lambda T: T.tensor([True]) - T.tensor([True]))
    check(lambda T: -T.tensor([True]))
    check(lambda T: T.tensor([1.0]) & T.tensor([1.0]))
    check(lambda T: T.tensor([1]) // 0)
    check(lambda T: T.tensor([1]) % 0)
    check(lambda T: T.tensor([2]) ** -1)
    check(lambda T: T.zeros(3) + T.zeros(2))
    check(lambda T: T.zeros(3).expand(2, 3).add_(1))
    check(lambda T: T.tensor([1, 2]).add(T.tensor([1, 2]), alpha=1.5))
    check(lambda T: T.div(T.ones(2), 2, rounding_mode="x"))
    check(lambda T: ~T.tensor([1.0]))
    check(lambda T: T.relu(T.tensor([True])))
    check(lambda T: T.abs(T.tensor([True])))
    check(lambda T: T.sign(T.tensor([1 + 1j])))
    check(lambda T: T.floor(T.tensor([1 + 1j])))
    check(lambda T: T.frac(T.tensor([1])))
    check(lambda T: T.tensor([1]) + "a")
    check(lambda T: T.tensor([1]) == "a")


@given(seed=st.integers(0, 2**16), lo=st.sampled_from([None, -1, 0.5, -2]), hi=st.sampled_from([None, 1, 2.5]),
       dtype=st.sampled_from(("int64", "float32", "float64", "int32")))
def test_clamp(seed, lo, hi, dtype):
    x = _values((4,), dtype, seed)
    check(lambda T: T.clamp(_tensor(T, x), lo, hi))
    check(lambda T: _tensor(T, x).clamp(min=lo))
    check(lambda T: _tensor(T, x).clamp_(lo, hi))
    check(lambda T: _tensor(T, x).clamp(T.zeros(4, dtype=getattr(T, dtype)), T.ones(4, dtype=getattr(T, dtype))))


def test_where_and_masked_fill():
    check(lambda T: T.where(T.tensor([1, 5, 9]) > 2, T.tensor([1, 5, 9]), 0.5))
    check(lambda T: T.where(T.tensor([1, 5, 9]) > 2, 1, 0))
    check(lambda T: T.where(T.tensor([1, 5, 9]) > 2, 1.0, 0))
    check(lambda T: T.where(T.tensor([1, 5, 9]), 1, 0))
    check(lambda T: T.where(T.tensor([[1, 0], [0, 3]]) > 0))
    check(lambda T: T.where(T.ones(3) > 0, T.ones(3), T.ones(2)))
    check(lambda T: T.tensor([1, 5, 9]).masked_fill(T.tensor([1, 5, 9]) > 2, 0.5))
    check(lambda T: T.tensor([1, 5, 9]).masked_fill(T.tensor([1, 5, 9]), 0))
    check(lambda T: T.tensor([1, 5, 9]).masked_fill(T.tensor([True, False, True]), T.tensor([1, 2])))
    check(lambda T: T.ones(2, 3).masked_fill_(T.tensor([True, False, True]), 7.0))
    check(lambda T: T.where(T.tensor([True, False]), 1, 0).bool() & T.tensor([True, True]))


def test_round_with_decimals():
    check(lambda T: T.round(T.tensor([2.5, 0.5, 1.5, -0.5])))
    check(lambda T: T.round(T.tensor([1.2345, -2.5678]), decimals=2))
    check(lambda T: T.round(T.tensor([1, 2])))


@pytest.mark.parametrize("program", [
    lambda T, x: x.clamp(0, 1).add_(1),
    lambda T, x: x.clamp(min=0).mul_(2),
    lambda T, x: x.clamp(T.zeros(2, 1), T.ones(2, 1)).sub_(1),
    lambda T, x: T.isclose(x, T.tensor([-1.0])).logical_not_(),
])
def test_results_own_writable_memory(program):
    """Results built from NumPy broadcast views (read-only) are copied, so in-place ops on them work."""
    check(lambda T: program(T, T.tensor([-1.0, 2.0, 3.0])))


# torch's order for in-place ops: autograd's leaf checks, then memory overlap (internal, then partial
# with an operand), then broadcast shape, then dtype.
INPLACE_CHECK_ORDER = {
    "leaf_before_shape": lambda T: T.ones(2, requires_grad=True).add_(T.ones(3)),
    "leaf_before_dtype": lambda T: T.ones(2, requires_grad=True).add_(T.ones(2, dtype=T.complex64)),
    "view_of_leaf": lambda T: T.ones(2, requires_grad=True).expand(2, 2).add_(1),
    "internal_overlap_before_shape": lambda T: T.ones(2).expand(3, 2).add_(T.ones(4)),
    "internal_overlap_before_dtype": lambda T: T.ones(2).expand(2, 2).add_(T.ones(2, dtype=T.complex64)),
    "transposed_operand": lambda T: _with(T.ones(2, 2), lambda x: x.add_(x.t())),
    "row_operand_before_shape": lambda T: _with(T.ones(2, 2), lambda x: x[0].add_(x.t())),
    "shifted_slice": lambda T: _with(T.ones(4), lambda x: x[:2].add_(x[1:3])),
    "disjoint_slices": lambda T: _with(T.ones(4), lambda x: x[:2].add_(x[2:])),
    "strided_slices_are_too_hard": lambda T: _with(T.ones(4), lambda x: x[::2].add_(x[1::2])),
    "shifted_mul": lambda T: _with(T.ones(3), lambda x: x[:2].mul_(x[1:])),
    "copy_transposed": lambda T: _with(T.ones(2, 2), lambda x: x.copy_(x.t())),
    "copy_shifted": lambda T: _with(T.ones(4), lambda x: x[:2].copy_(x[1:3])),
    "clamp_bounds": lambda T: _with(T.ones(2, 2), lambda x: x.clamp_(x.t(), x.t() + 1)),
    "same_tensor": lambda T: _with(T.ones(2, 2), lambda x: x.add_(x)),
    "same_geometry": lambda T: _with(T.ones(2, 2), lambda x: x.add_(x.view(2, 2))),
    "alpha": lambda T: _with(T.ones(3), lambda x: x[1:].sub_(x[:2], alpha=2)),
    "clone_operand": lambda T: _with(T.ones(4), lambda x: x[:2].div_(x[1:3].clone())),
}


def _with(x, modify):
    modify(x)
    return x


@pytest.mark.parametrize("program", INPLACE_CHECK_ORDER.values(), ids=INPLACE_CHECK_ORDER.keys())
def test_inplace_checks_in_torchs_order(program):
    check(program)


@pytest.mark.parametrize("decimals", [0, 1])
@pytest.mark.parametrize("target", ["leaf", "non_leaf", "expanded"])
def test_round_in_place_under_autograd(decimals, target):
    """round_ refuses leaves that require grad, records RoundBackward0/1 (a zero gradient) on
    non-leaves and refuses expanded targets, as torch does."""
    def program(T):
        x = T.tensor([1.26, 2.5], requires_grad=True)
        y = {"leaf": lambda: x, "non_leaf": lambda: x * 2, "expanded": lambda: T.tensor([1.26]).expand(2)}[target]()
        y.round_(decimals=decimals)
        if y.requires_grad:
            y.sum().backward()
        return y.detach(), y.grad_fn.name() if y.grad_fn is not None else None, x.grad

    check(program)


@pytest.mark.parametrize("decimals", [{}, {"decimals": 0}, {"decimals": 1}])
@pytest.mark.parametrize("dtype", ["int64", "float32", "bool"])
def test_round_decimals_overload(decimals, dtype):
    """``decimals`` (even 0) selects round.decimals: floating only, RoundBackward1."""
    check(lambda T: T.round(T.tensor([1, 2]).to(getattr(T, dtype)), **decimals))
    if dtype == "float32":
        check(lambda T: T.round(T.tensor([1.26, 2.5], requires_grad=True), **decimals).grad_fn.name())


@given(dtype=st.sampled_from(["float16", "float32", "float64", "complex64"]),
       shapes=st.tuples(small_shapes, small_shapes), seed=st.integers(0, 2**16),
       weight=st.sampled_from([0.0, 0.25, 0.5, 0.9, -1.5, 2.0, True]),
       tensor_weight=st.booleans())
def test_lerp(dtype, shapes, seed, weight, tensor_weight):
    """``lerp`` with a number or a tensor weight, broadcasting, and in place."""
    x, y = _values(shapes[0], dtype, seed), _values(shapes[1], dtype, seed + 1)
    w = _values(shapes[1], dtype, seed + 2) if tensor_weight else weight

    def weight_of(T):
        return _tensor(T, w) if tensor_weight else w

    check(lambda T: T.lerp(_tensor(T, x), _tensor(T, y), weight_of(T)))

    def inplace(T):
        t = _tensor(T, x)
        t.lerp_(_tensor(T, y), weight_of(T))
        return t

    check(inplace)


@pytest.mark.parametrize("program", [
    lambda T: T.lerp(T.ones(3), T.ones(3, dtype=T.float64), 0.5),
    lambda T: T.lerp(T.ones(3, dtype=T.int64), T.ones(3, dtype=T.int64), 0.5),
    lambda T: T.lerp(T.ones(3, dtype=T.int64), T.ones(3, dtype=T.int64), T.ones(3, dtype=T.int64)),
    lambda T: T.lerp(T.ones(3), T.ones(3), T.ones(3, dtype=T.float64)),
    lambda T: T.lerp(T.ones(3), T.ones(3), T.tensor(0.25, dtype=T.float64)),
    lambda T: T.lerp(T.ones(3), T.ones(3), 1 + 2j),
    lambda T: T.ones(3).lerp_(T.ones(2, 3), 0.5),
    lambda T: T.lerp(T.ones(3), T.ones(3), "0.5"),
    lambda T: T.erf(T.ones(2, dtype=T.complex64)),
    lambda T: T.erfinv(T.tensor([2.0, -1.0, 1.0, 0.5, 0.0])),
])
def test_lerp_and_erf_edges(program):
    check(program)


@pytest.mark.parametrize("name", ["erf", "erfc", "erfinv"])
def test_erf_family_gradients(name):
    def program(T):
        x = T.tensor([-0.75, -0.1, 0.0, 0.3, 0.9], dtype=T.float64, requires_grad=True)
        y = getattr(x, name)()
        (g,) = T.autograd.grad(y.sum(), x, create_graph=True)
        (gg,) = T.autograd.grad(g.sum(), x)
        return y, g, gg

    check(program)


@pytest.mark.parametrize("tensor_weight", [False, True])
def test_lerp_gradients(tensor_weight):
    def program(T):
        a = T.tensor([[0.0, 1.0, -2.0]], requires_grad=True)
        b = T.tensor([[4.0], [5.0]], requires_grad=True)
        w = T.tensor([0.1, 0.5, 0.9], requires_grad=True) if tensor_weight else 0.3
        out = T.lerp(a, b, w)
        out.backward(T.ones(2, 3))
        return out, a.grad, b.grad, (w.grad if tensor_weight else None)

    check(program)


@pytest.mark.parametrize("name", ["clamp_min", "clamp_max"])
@pytest.mark.parametrize("bound", ["scalar", "tensor", "float over ints"])
def test_clamp_min_max_values_grads_and_nodes(name, bound):
    """clamp with one bound: the Tensor overload (ClampMin/MaxBackward1, a gradient for the bound where
    it was taken) and the Scalar one (Backward0); NaN passes through with zero gradients."""
    def program(T):
        x = T.tensor([1.0, -2.0, float("nan"), 3.0, 0.5], requires_grad=True)
        b = T.tensor([0.0, 0.0, 0.0, 4.0, 0.5], requires_grad=True)
        if bound == "float over ints":
            return getattr(T, name)(T.tensor([1, 2, 3]), 1.5), getattr(T.tensor([1, 2, 3]), name)(2)
        y = getattr(T, name)(x * 1, b if bound == "tensor" else 0.25)
        z = getattr((x * 1), name + "_")(b if bound == "tensor" else 0.25)
        (y.sum() + z.sum()).backward()
        return y, z, x.grad, b.grad, y.grad_fn.name(), z.grad_fn.name()

    check(program)
