"""Activation functions, functional forms and modules against torch: values, dtypes, grad_fn names,
gradients (also at extreme inputs), in-place forms, argument errors and module reprs."""

from __future__ import annotations

import pytest
from helpers import check

VALUES = [-1e30, -1e4, -100.0, -20.0, -3.0, -2.5, -1.0, -0.5, -1e-3, 0.0, 1e-3, 0.5, 1.0, 2.5, 3.0, 20.0, 21.0,
          100.0, 1e4, 1e30]
NONFINITE = [float("-inf"), float("inf"), float("nan")]

# name -> call on (F, T, x)
ACTIVATIONS = {
    "gelu": lambda F, T, x: F.gelu(x),
    "gelu_tanh": lambda F, T, x: F.gelu(x, approximate="tanh"),
    "silu": lambda F, T, x: F.silu(x),
    "mish": lambda F, T, x: F.mish(x),
    "elu": lambda F, T, x: F.elu(x),
    "elu_alpha": lambda F, T, x: F.elu(x, alpha=0.3),
    "selu": lambda F, T, x: F.selu(x),
    "celu": lambda F, T, x: F.celu(x, alpha=2.0),
    "leaky_relu": lambda F, T, x: F.leaky_relu(x),
    "leaky_relu_slope": lambda F, T, x: F.leaky_relu(x, 0.2),
    "hardtanh": lambda F, T, x: F.hardtanh(x),
    "hardtanh_bounds": lambda F, T, x: F.hardtanh(x, -2.0, 0.5),
    "relu6": lambda F, T, x: F.relu6(x),
    "softplus": lambda F, T, x: F.softplus(x),
    "softplus_beta": lambda F, T, x: F.softplus(x, beta=2.0, threshold=5.0),
    "hardswish": lambda F, T, x: F.hardswish(x),
    "hardsigmoid": lambda F, T, x: F.hardsigmoid(x),
    "prelu": lambda F, T, x: F.prelu(x, T.tensor([0.25], requires_grad=True)),
    "sigmoid": lambda F, T, x: F.sigmoid(x),
    "tanh": lambda F, T, x: F.tanh(x),
    "relu": lambda F, T, x: F.relu(x),
}
INPLACE = {
    "silu": lambda F, T, x: F.silu(x, inplace=True),
    "mish": lambda F, T, x: F.mish(x, inplace=True),
    "elu": lambda F, T, x: F.elu(x, 0.5, inplace=True),
    "selu": lambda F, T, x: F.selu(x, inplace=True),
    "celu": lambda F, T, x: F.celu(x, 1.5, inplace=True),
    "leaky_relu": lambda F, T, x: F.leaky_relu(x, 0.1, inplace=True),
    "hardtanh": lambda F, T, x: F.hardtanh(x, -0.5, 2.0, inplace=True),
    "relu6": lambda F, T, x: F.relu6(x, inplace=True),
    "hardswish": lambda F, T, x: F.hardswish(x, inplace=True),
    "hardsigmoid": lambda F, T, x: F.hardsigmoid(x, inplace=True),
    "relu": lambda F, T, x: F.relu(x, inplace=True),
    "elu_": lambda F, T, x: F.elu_(x),
    "leaky_relu_": lambda F, T, x: F.leaky_relu_(x, 0.3),
    "hardtanh_": lambda F, T, x: F.hardtanh_(x),
    "selu_": lambda F, T, x: T.selu_(x),
    "celu_": lambda F, T, x: T.celu_(x),
}


def _forward_backward(fn, values, dtype="float32"):
    def program(T):
        x = T.tensor(values, dtype=getattr(T, dtype), requires_grad=True)
        y = fn(T.nn.functional, T, x)
        y.backward(T.ones_like(y))
        return y, x.grad

    return program


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_values_grad_fn_and_gradients(name, dtype):
    check(_forward_backward(ACTIVATIONS[name], VALUES, dtype))


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_non_finite_inputs(name):
    check(_forward_backward(ACTIVATIONS[name], NONFINITE))


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_half_precision_forward(name):
    check(lambda T: ACTIVATIONS[name](T.nn.functional, T, T.tensor(VALUES[4:-4], dtype=T.float16)))


@pytest.mark.parametrize("name", sorted(INPLACE))
def test_inplace_forms(name):
    def program(T):
        leaf = T.tensor(VALUES[2:-2], requires_grad=True)
        x = leaf * 1
        y = INPLACE[name](T.nn.functional, T, x)
        y.backward(T.ones_like(y))
        return y is x, y, x._version, leaf.grad

    check(program)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@pytest.mark.parametrize("dtype", ["int64", "bool", "complex64"])
def test_dtype_errors(name, dtype):
    check(lambda T: ACTIVATIONS[name](T.nn.functional, T, T.ones(3, dtype=getattr(T, dtype))))


def test_hardtanh_on_integers():
    check(lambda T: T.nn.functional.hardtanh(T.tensor([-5, 0, 5]), -2.7, 3.9))
    check(lambda T: T.nn.functional.relu6(T.tensor([-5, 0, 7], dtype=T.int32)))
    check(lambda T: T.nn.functional.hardtanh(T.tensor([1, 2], dtype=T.uint8)))


@pytest.mark.parametrize("call", [
    lambda F, T, x: F.gelu(x, approximate="sigmoid"),
    lambda F, T, x: F.gelu(x, "tanh"),
    lambda F, T, x: F.gelu(1.0),
    lambda F, T, x: F.softplus(x, 1, 2, 3),
    lambda F, T, x: F.elu(x, "a"),
    lambda F, T, x: F.hardtanh(x, 2.0, 1.0),
    lambda F, T, x: F.celu(x, 0.0),
    lambda F, T, x: T.selu(x, 1),
    lambda F, T, x: F.prelu(x, T.ones(2)),
    lambda F, T, x: F.prelu(x.double(), T.ones(1)),
    lambda F, T, x: F.prelu(T.tensor(1.0), T.ones(2)),
    lambda F, T, x: F.prelu(x, T.ones(1, 1)),
    lambda F, T, x: F.elu_(x.expand(2, 3)),
])
def test_argument_errors(call):
    check(lambda T: call(T.nn.functional, T, T.ones(3)))


def test_inplace_backward_with_negative_slope_raises():
    def program(T, fn):
        x = T.ones(3, requires_grad=True) * -1
        fn(T.nn.functional, x).sum().backward()

    check(lambda T: program(T, lambda F, x: F.leaky_relu(x, -0.1, inplace=True)))
    check(lambda T: program(T, lambda F, x: F.elu(x, -0.5, inplace=True)))


@pytest.mark.parametrize("shape,num", [((2, 3), 3), ((2, 3, 4), 3), ((4,), 1), ((2, 3, 2, 2), 1), ((), 1)])
def test_prelu_channels_and_weight_gradient(shape, num):
    def program(T):
        T.manual_seed(0)
        x = T.randn(shape, requires_grad=True)
        w = T.linspace(-0.5, 0.5, num).requires_grad_()
        y = T.prelu(x, w)
        (y * y).sum().backward()
        return y, x.grad, w.grad, x.prelu(w)

    check(program)


def test_double_backward_values():
    """create_graph gradients are differentiable again (values; reftorch's second-order graph is built
    from other nodes than torch's *BackwardBackward0, and piecewise-linear ones such as leaky_relu's do
    not require grad through ``self`` as torch's do, so they are left out)."""
    def program(T):
        F = T.nn.functional
        out = []
        for fn in (F.gelu, lambda x: F.gelu(x, approximate="tanh"), F.silu, F.mish, F.elu, F.celu, F.selu,
                   F.softplus, F.hardswish):
            x = T.tensor([-2.0, -0.3, 0.0, 0.7, 4.0], requires_grad=True)
            (g,) = T.autograd.grad(fn(x).sum(), x, create_graph=True)
            (gg,) = T.autograd.grad(g.sum(), x)
            out.append((g.detach(), gg))
        return out

    check(program)


MODULES = [
    ("ReLU", (), {}), ("ReLU", (True,), {}), ("GELU", (), {}), ("GELU", ("tanh",), {}), ("SiLU", (), {}),
    ("SiLU", (True,), {}), ("Mish", (), {}), ("Mish", (), {"inplace": True}), ("ELU", (), {}), ("ELU", (0.5, True), {}),
    ("CELU", (), {}), ("CELU", (2.0,), {}), ("SELU", (), {}), ("SELU", (True,), {}), ("LeakyReLU", (), {}),
    ("LeakyReLU", (0.2, True), {}), ("Hardtanh", (), {}), ("Hardtanh", (-2, 3), {}),
    ("Hardtanh", (-2.0, 3.0, True), {}),
    ("ReLU6", (), {}), ("ReLU6", (True,), {}), ("Softplus", (), {}), ("Softplus", (2, 10), {}), ("Hardswish", (), {}),
    ("Hardswish", (True,), {}), ("Hardsigmoid", (), {}), ("Sigmoid", (), {}), ("Tanh", (), {}), ("PReLU", (), {}),
    ("PReLU", (3, 0.1), {}),
]


@pytest.mark.parametrize("name,args,kwargs", MODULES)
def test_modules(name, args, kwargs):
    def program(T):
        module = getattr(T.nn, name)(*args, **kwargs)
        leaf = T.linspace(-5, 5, 12, requires_grad=True)
        x = leaf.reshape(2, 3, 2) * 1
        y = module(x)
        y.sum().backward()
        params = {k: (v, v.grad) for k, v in module.named_parameters()}
        return repr(module), str(module), y, leaf.grad, params

    check(program)


def test_module_errors():
    check(lambda T: T.nn.Hardtanh(1.0, 1.0))
    check(lambda T: T.nn.Hardtanh(2.0, 1.0))
    check(lambda T: T.nn.PReLU(2)(T.ones(2, 3)))


def test_prelu_module_dtype_and_training():
    def program(T):
        m = T.nn.PReLU(2, init=0.5, dtype=T.float64)
        return m.weight, m.weight.dtype, list(m.state_dict()), m(T.ones(1, 2, dtype=T.float64) * -2)

    check(program)


@pytest.mark.parametrize("layout", ["contiguous", "transposed", "one element", "float64"])
def test_gelu_edges_follow_torchs_kernel_choice(layout):
    """torch hands contiguous float32 inputs of more than one element to oneDNN, whose AVX-512 kernel
    gives NaN at +-inf and overflows above FLT_MAX / 2; other layouts take ATen's formula (inf, 2e38)."""
    edges = [[float("inf"), 2e38], [float("-inf"), 1.0]]

    def program(T):
        x = {"contiguous": lambda: T.tensor(edges), "transposed": lambda: T.tensor(edges).t(),
             "one element": lambda: T.tensor([edges[0][0]]),
             "float64": lambda: T.tensor(edges, dtype=T.float64)}[layout]()
        return T.nn.functional.gelu(x)

    check(program)
