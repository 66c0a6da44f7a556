"""softmax / log_softmax / softmin / logsigmoid against torch: values, dtypes, nodes, gradients, errors."""

from __future__ import annotations

import pytest

from tests.helpers import check


def _grad(T, fn, values, dtype_name="float32"):
    x = T.tensor(values, dtype=getattr(T, dtype_name), requires_grad=True)
    y = fn(T, x)
    (y * T.arange(y.numel(), dtype=y.dtype).reshape(y.shape)).sum().backward()
    return {"y": y, "grad": x.grad, "node": type(y.grad_fn).__name__}


FORMS = {
    "softmax": lambda T, x: T.softmax(x, 1),
    "log_softmax": lambda T, x: x.log_softmax(-1),
    "F.softmax-dim0": lambda T, x: T.nn.functional.softmax(x, dim=0),
    "F.log_softmax-dtype": lambda T, x: T.nn.functional.log_softmax(x, 1, dtype=T.float64),
    "F.softmin": lambda T, x: T.nn.functional.softmin(x, 1),
    "logsigmoid": lambda T, x: T.nn.functional.logsigmoid(x),
    "module": lambda T, x: T.nn.LogSoftmax(dim=1)(x),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("values", [[[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]], [[1e4, 0.0, -1e4], [-1e4, -1e4, 5.0]]])
def test_values_and_gradients(form, values):
    check(lambda T: _grad(T, FORMS[form], values))


@pytest.mark.parametrize("dtype", ["float16", "float64"])
def test_dtypes(dtype):
    check(lambda T: T.softmax(T.tensor([[0.5, 1.5], [2.0, -3.0]], dtype=getattr(T, dtype)), 1))


@pytest.mark.parametrize("program", [
    lambda T: T.softmax(T.tensor([1, 2]), 0),
    lambda T: T.log_softmax(T.tensor([[1, 2]]), 0),
    lambda T: T.softmax(T.ones(2, 3), 2),
    lambda T: T.softmax(T.tensor(3.0), 0),
    lambda T: T.softmax(T.tensor([1, 2]), 0, dtype=T.float32),
    lambda T: T.softmax(T.tensor([float("-inf"), float("-inf")]), 0),
])
def test_edge_cases_and_errors(program):
    check(program)


def test_implicit_dim_warns():
    import warnings
    for T in (__import__("torch"), __import__("reftorch")):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            T.nn.functional.softmax(T.ones(2, 3, 4))
        assert "Implicit dimension choice for softmax" in str(caught[0].message)
    check(lambda T: T.nn.functional.softmax(T.arange(24.0).reshape(2, 3, 4)))


def test_reprs():
    check(lambda T: [repr(T.nn.Softmax(dim=1)), repr(T.nn.LogSoftmax()), repr(T.nn.Softmin(0))])
