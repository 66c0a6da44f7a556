"""torch.optim against the installed torch: the pointwise ops the optimizers use (addcmul, addcdiv),
100-step trajectories of every optimizer configuration, state dicts both ways, hooks and errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import reftorch
from tests.helpers import check

# ----------------------------------------------------------------------------- addcmul / addcdiv


def _data(seed: int, shapes: tuple[tuple[int, ...], ...], dtype: str = "float32") -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal(s) + (2.5 if i == 2 else 0)).astype(dtype) for i, s in enumerate(shapes)]


@pytest.mark.parametrize("op", ["addcmul", "addcdiv"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("value", [1, 0.1, -0.0123456789, 3.3])
@pytest.mark.parametrize("shapes", [((1000,), (1000,), (1000,)), ((3, 4), (4,), (3, 1)), ((5,), (5,), (5,))])
def test_pointwise_values(op: str, dtype: str, value: float, shapes: tuple) -> None:
    a, b, c = _data(7, shapes, dtype)
    check(lambda T: getattr(T, op)(T.from_numpy(a), T.from_numpy(b), T.from_numpy(c), value=value))
    check(lambda T: getattr(T.from_numpy(a.copy()).expand(3, 4) if a.ndim == 2 else T.from_numpy(a.copy()),
                            op + "_")(T.from_numpy(b), T.from_numpy(c), value=value))
    check(lambda T: getattr(T.from_numpy(a), op)(T.from_numpy(b), T.from_numpy(c), value=value))


@pytest.mark.parametrize("op", ["addcmul", "addcdiv"])
@pytest.mark.parametrize("dtypes", [("int64", "int64", "int64"), ("float32", "int64", "int64"),
                                    ("int64", "float32", "float32"), ("bool", "bool", "bool"),
                                    ("float16", "float16", "float16"), ("int64", "int64", "float32")])
def test_pointwise_dtypes(op: str, dtypes: tuple[str, str, str]) -> None:
    arrays = [np.array([1, 2, 3]).astype(d) for d in dtypes]
    check(lambda T: getattr(T, op)(*(T.from_numpy(x) for x in arrays), value=2))
    check(lambda T: getattr(T, op)(*(T.from_numpy(x) for x in arrays), value=0.5))
    check(lambda T: getattr(T.from_numpy(arrays[0].copy()), op + "_")(*(T.from_numpy(x) for x in arrays[1:])))


@pytest.mark.parametrize("op", ["addcmul", "addcdiv"])
def test_pointwise_errors(op: str) -> None:
    check(lambda T: getattr(T, op)(T.ones(3), T.ones(3), T.ones(2)))
    check(lambda T: getattr(T.ones(()), op + "_")(T.ones(3), T.ones(3)))
    check(lambda T: getattr(T, op)(T.ones(3), T.ones(3), 2.0))
    check(lambda T: getattr(T, op)(T.ones(3), T.ones(3), T.ones(3), value="x"))
    check(lambda T: getattr(T, op)(T.ones(3), T.ones(3), T.ones(3), 2.0))


@pytest.mark.parametrize("op", ["addcmul", "addcdiv"])
def test_pointwise_grad(op: str) -> None:
    a, b, c = _data(3, ((2, 3), (3,), (2, 1)), "float64")

    def program(T: Any) -> Any:
        x, y, z = (T.from_numpy(v).requires_grad_() for v in (a, b, c))
        out = getattr(T, op)(x, y, z, value=0.7)
        out.backward(T.ones_like(out) * 1.5)
        return out, x.grad, y.grad, z.grad, out.grad_fn.name()

    check(program)
    xs = [reftorch.from_numpy(v).requires_grad_() for v in (a, b, c)]
    assert reftorch.autograd.gradcheck(lambda *t: getattr(reftorch, op)(*t, value=0.7), tuple(xs))
