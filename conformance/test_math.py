"""Conformance tests for spec/math.toml: elementwise ops, broadcasting, matrix products and reductions."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import claims
from conformance import strategies as cst

ARGMAX_EXAMPLE = [[1.3398, 0.2663, -0.2686, 0.2450],
                  [-0.7401, -0.8805, -0.3402, -1.1936],
                  [0.4907, -1.3948, -1.0691, -0.3132],
                  [-1.6092, 0.5419, -0.2993, 0.3195]]


def _small_ints(shape):
    """Small integer-valued float32 arrays: products and sums of them are exact."""
    return cst.arrays(shape, "int8").map(lambda a: np.asarray(a % 7 - 3, dtype=np.float32))


# --- elementwise --------------------------------------------------------------------------------------------

@claims("math.pow-elementwise")
@given(shape=cst.shapes(max_dims=3), dtype=st.sampled_from(["float32", "float64", "int64"]), data=st.data())
def test_pow_elementwise(differential, shape, dtype, data):
    arr = data.draw(cst.arrays(shape, "int16").map(lambda a: np.asarray(a % 50, dtype=dtype)))

    def program(T, device):
        return T.from_numpy(arr.copy()) ** 2
    differential(program, predicate=lambda r, T: r.dtype == getattr(T, dtype)
                 and np.array_equal(r.numpy(), arr * arr))


@claims("math.pow-elementwise")
def test_pow_document_example(differential):
    def program(T, device):
        a = T.Tensor([[1, 2], [3, 4]])
        print(a ** 2)
        return a ** 2
    differential(program, predicate=lambda r, T: r.tolist() == [[1., 4.], [9., 16.]])


@claims("math.mul-is-elementwise")
@given(shape=cst.shapes(max_dims=3), data=st.data())
def test_mul_is_elementwise(differential, shape, data):
    a = data.draw(_small_ints(shape))
    b = data.draw(_small_ints(shape))

    def program(T, device):
        return T.from_numpy(a.copy()) * T.from_numpy(b.copy())
    differential(program, predicate=lambda r, T: np.array_equal(r.numpy(), a * b))


@claims("math.mul-is-elementwise")
def test_mul_document_example(differential):
    def program(T, device):
        tensor_a = T.tensor([[2, 3], [5, 6]])
        tensor_b = T.tensor([[1, 2], [3, 4]])
        overlapped = tensor_a * tensor_b
        print(overlapped)
        return overlapped, tensor_a @ tensor_b
    differential(program, predicate=lambda r, T: r[0].tolist() == [[2, 6], [15, 24]]
                 and r[0].tolist() != r[1].tolist())


@claims("math.broadcast-binary-ops")
@given(shapes=cst.broadcastable_shapes(max_dims=4), data=st.data())
def test_broadcast_binary_ops(differential, shapes, data):
    a = data.draw(_small_ints(shapes[0]))
    b = data.draw(_small_ints(shapes[1]))

    def program(T, device):
        return T.from_numpy(a.copy()) + T.from_numpy(b.copy())
    differential(program, predicate=lambda r, T: np.array_equal(r.numpy(), a + b))


@claims("math.broadcast-binary-ops")
def test_broadcast_document_example(differential):
    def program(T, device):
        a = T.arange(12.).view(3, 1, 4)
        b = T.arange(8.).view(1, 2, 4) * 100
        return a + b
    differential(program, predicate=lambda r, T: tuple(r.shape) == (3, 2, 4)
                 and r[2, 1].tolist() == [8 + 400, 9 + 500, 10 + 600, 11 + 700])


@claims("math.broadcast-mismatch-raises")
@given(shapes=cst.non_broadcastable_shapes())
def test_broadcast_mismatch_raises(differential, shapes):
    def program(T, device):
        return T.zeros(shapes[0], device=device) + T.zeros(shapes[1], device=device)
    oracle, _ = differential(program)
    assert isinstance(oracle, RuntimeError)


@claims("math.sub-broadcasts")
def test_sub_document_example(differential):
    def program(T, device):
        a = T.tensor([[1, 2]]).expand(3, -1)
        b = T.tensor([[10], [20], [30]])
        print(a.sub(b))
        return a.sub(b), a
    differential(program, predicate=lambda r, T: r[0].tolist() == [[-9, -8], [-19, -18], [-29, -28]]
                 and r[0].dtype == T.int64 and r[1].tolist() == [[1, 2]] * 3)


@claims("math.exp-promotes-integers")
@given(values=st.lists(st.integers(-10, 10), max_size=6))
def test_exp_promotes_integers(differential, values):
    def program(T, device):
        return T.exp(T.tensor(values, dtype=T.int64, device=device))
    differential(program, predicate=lambda r, T: r.dtype == T.float32
                 and np.allclose(r.numpy(), np.exp(np.array(values, dtype=np.float64)), rtol=1e-6))


@claims("math.exp-promotes-integers")
def test_exp_document_example(differential):
    def program(T, device):
        tensor1 = T.exp(T.tensor([0, math.log(2.)]))
        output = T.exp(T.tensor(1))
        print(output)
        return tensor1, output
    differential(program,
                 predicate=lambda r, T: np.allclose(r[0].numpy(), [1., 2.]) and r[1].dtype == T.float32
                 and abs(r[1].item() - math.e) < 1e-6)


@claims("math.comparison-gives-bool")
@given(shape=cst.shapes(max_dims=3), data=st.data())
def test_comparison_gives_bool(differential, shape, data):
    x = data.draw(cst.arrays(shape, "float32"))

    def program(T, device):
        mask = T.sigmoid(T.from_numpy(x.copy())) > 0.5
        return mask, mask.float()
    differential(program, predicate=lambda r, T: r[0].dtype == T.bool and r[1].dtype == T.float32
                 and np.array_equal(r[1].numpy(), (x > 0).astype(np.float32)))


@claims("math.comparison-gives-bool")
def test_sigmoid_threshold_document_example(differential):
    def program(T, device):
        outputs = T.full((4, 4), 2.0)
        sigmoid_output = (T.sigmoid(outputs) > 0.5).float()
        print(sigmoid_output)
        return sigmoid_output
    differential(program, predicate=lambda r, T: r.tolist() == [[1.0] * 4] * 4)


@claims("math.bool-true-division-gives-float")
@given(pairs=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=8))
def test_bool_true_division_gives_float(differential, pairs):
    real, pred = [p[0] for p in pairs], [p[1] for p in pairs]

    def program(T, device):
        real_labels, pred_labels = T.tensor(real, device=device), T.tensor(pred, device=device)
        return ((real_labels == pred_labels) / len(real_labels)) * 100, pred_labels / 2
    differential(program, predicate=lambda r, T: r[0].dtype == T.float32 and r[1].dtype == T.float32
                 and np.allclose(r[0].numpy(), [100 * (a == b) / len(pairs) for a, b in pairs]))


@claims("math.bitwise-and-on-bool")
@given(data=st.data(), n=st.integers(0, 8))
def test_bitwise_and_on_bool(differential, data, n):
    a = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    b = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))

    def program(T, device):
        both = T.tensor(a, dtype=T.bool, device=device) & T.tensor(b, dtype=T.bool, device=device)
        count = both.sum()
        return both, count, count.item()
    differential(program, predicate=lambda r, T: r[0].dtype == T.bool and r[1].dtype == T.int64
                 and type(r[2]) is int and r[2] == sum(x and y for x, y in zip(a, b)))


@claims("math.bitwise-and-on-bool")
def test_bitwise_and_document_example(differential):
    def program(T, device):
        outputs_test = T.tensor([0.1, 0.5, 0.9, 0.7])
        labels_test = T.tensor([True, False, True, True])
        predicted_test = T.where(outputs_test > 0.4, 1, 0).bool()
        local_correct = (predicted_test & labels_test).sum().item()
        return predicted_test, local_correct
    differential(program, predicate=lambda r, T: r[1] == 2)


@claims("math.bitwise-and-on-float-raises")
@given(dtype=st.sampled_from(["float16", "float32", "float64"]), n=st.integers(1, 4))
def test_bitwise_and_on_float_raises(differential, dtype, n):
    def program(T, device):
        x = T.ones(n, dtype=getattr(T, dtype), device=device)
        return x & x
    oracle, _ = differential(program)
    assert isinstance(oracle, NotImplementedError)


@claims("math.bitwise-and-on-float-raises")
def test_bitwise_and_on_float32_raises(differential):
    def program(T, device):
        matrix = T.ones(2, 2)
        return matrix & matrix
    oracle, _ = differential(program)
    assert isinstance(oracle, NotImplementedError)


# --- matrix products ----------------------------------------------------------------------------------------

PRODUCTS = [
    pytest.param("bmm", st.tuples(*[st.integers(0, 4)] * 4).map(
        lambda d: ((d[0], d[1], d[2]), (d[0], d[2], d[3]), (d[0], d[1], d[3]))),
        marks=claims("math.bmm-batched-product"), id="bmm"),
    pytest.param("mm", st.tuples(*[st.integers(0, 5)] * 3).map(
        lambda d: ((d[0], d[1]), (d[1], d[2]), (d[0], d[2]))),
        marks=claims("math.mm-matrix-product"), id="mm"),
    pytest.param("matmul", st.tuples(st.lists(st.integers(1, 3), max_size=2), *[st.integers(1, 4)] * 3).map(
        lambda d: ((*d[0], d[1], d[2]), (d[2], d[3]), (*d[0], d[1], d[3]))),
        marks=claims("math.matmul-broadcasts-batch"), id="matmul-batch-broadcast"),
]


@pytest.mark.parametrize("op, shapes", PRODUCTS)
@given(data=st.data())
def test_matrix_product(differential, op, shapes, data):
    """``T.<op>(x, y)`` of small-integer float32 operands of drawn ``(x shape, y shape, result shape)``
    equals NumPy's ``x @ y`` exactly."""
    x_shape, y_shape, out_shape = data.draw(shapes)
    x = data.draw(_small_ints(x_shape))
    y = data.draw(_small_ints(y_shape))

    def program(T, device):
        return getattr(T, op)(T.from_numpy(x.copy()), T.from_numpy(y.copy()))
    differential(program,
                 predicate=lambda r, T: tuple(r.shape) == out_shape and np.array_equal(r.numpy(), x @ y))


@claims("math.mm-matrix-product")
def test_mm_document_example(differential):
    def program(T, device):
        T.manual_seed(0)
        mat1 = T.randn(2, 3)
        mat2 = T.randn(3, 3)
        return T.mm(mat1, mat2), mat1, mat2
    differential(program, predicate=lambda r, T: tuple(r[0].shape) == (2, 3)
                 and T.allclose(r[0], r[1] @ r[2]))


@claims("math.mm-mixed-dtypes-raise")
@given(n=st.integers(1, 4), op=st.sampled_from(["mm", "matmul"]), double_first=st.booleans())
def test_mm_mixed_dtypes_raise(differential, n, op, double_first):
    def program(T, device):
        a, b = T.ones(n, n, dtype=T.float64), T.ones(n, n, dtype=T.float32)
        return getattr(T, op)(a, b) if double_first else getattr(T, op)(b, a)
    oracle, _ = differential(program)
    assert isinstance(oracle, RuntimeError)


@claims("math.matmul-broadcasts-batch")
def test_matmul_document_example(differential):
    def program(T, device):
        tensor1 = T.ones(10, 3, 4)
        tensor2 = T.ones(4, 5)
        return T.matmul(tensor1, tensor2).size()
    differential(program, predicate=lambda r, T: tuple(r) == (10, 3, 5))


@claims("math.matmul-vectors")
@given(n=st.integers(0, 6), data=st.data())
def test_matmul_vectors(differential, n, data):
    u = data.draw(st.lists(st.integers(-9, 9), min_size=n, max_size=n))
    v = data.draw(st.lists(st.integers(-9, 9), min_size=n, max_size=n))

    def program(T, device):
        a, b = T.tensor(u, dtype=T.int64), T.tensor(v, dtype=T.int64)
        row = T.matmul(a.view(1, -1), b)
        return T.matmul(a, b), row, row[0]
    dot = sum(x * y for x, y in zip(u, v))
    differential(program, predicate=lambda r, T: r[0].dim() == 0 and r[0].item() == dot
                 and tuple(r[1].shape) == (1,) and r[2].dim() == 0 and r[2].item() == dot)


@claims("math.matmul-vectors")
def test_matmul_vectors_document_example(differential):
    def program(T, device):
        tensor1 = T.tensor([1, 2])
        tensor2 = T.tensor([3, 4])
        print(T.matmul(tensor1, tensor2))
        print(T.matmul(tensor1.view(1, -1), tensor2)[0])
        return T.matmul(tensor1, tensor2), T.matmul(tensor1.view(1, -1), tensor2)
    differential(program, predicate=lambda r, T: r[0].item() == 11 and r[1].tolist() == [11])


@claims("math.einsum-matrix-product")
@given(dims=st.tuples(*[st.integers(0, 4)] * 3), data=st.data())
def test_einsum_matrix_product(differential, dims, data):
    n, m, p = dims
    a = data.draw(_small_ints((n, m)))
    b = data.draw(_small_ints((m, p)))

    def program(T, device):
        A, B = T.from_numpy(a.copy()), T.from_numpy(b.copy())
        return T.einsum("ij,jk->ik", A, B), A @ B
    differential(program, predicate=lambda r, T: T.equal(r[0], r[1]) and np.array_equal(r[0].numpy(), a @ b))


# --- reductions ---------------------------------------------------------------------------------------------

@claims("math.sum-over-dims")
@given(shape=cst.shapes(min_dims=1, max_dims=4), keepdim=st.booleans(), data=st.data())
def test_sum_over_dims(differential, shape, keepdim, data):
    dims = data.draw(st.lists(st.integers(0, len(shape) - 1), min_size=1, max_size=len(shape), unique=True))
    x = data.draw(_small_ints(shape))

    def program(T, device):
        t = T.from_numpy(x.copy())
        return t.sum(dims, keepdim=keepdim), t.sum(tuple(dims), keepdim=keepdim), t.sum(dims[0], keepdim=keepdim)
    expected = x.sum(axis=tuple(dims), keepdims=keepdim)
    single = x.sum(axis=dims[0], keepdims=keepdim)
    differential(program, predicate=lambda r, T: np.array_equal(r[0].numpy(), expected)
                 and np.array_equal(r[2].numpy(), single) and T.equal(r[0], r[1]))


@claims("math.sum-all-and-integer-accumulation")
@given(shape=cst.shapes(max_dims=3), dtype=cst.dtypes(kinds=("bool", "int")), data=st.data())
def test_sum_all_and_integer_accumulation(differential, shape, dtype, data):
    x = data.draw(cst.arrays(shape, dtype))

    def program(T, device):
        return T.from_numpy(x.copy()).sum()
    differential(program, predicate=lambda r, T: r.dim() == 0 and r.dtype == T.int64
                 and r.item() == int(x.astype(np.int64).sum()))


@claims("math.sum-all-and-integer-accumulation")
@given(shape=cst.shapes(max_dims=3), data=st.data())
def test_sum_all_floats(differential, shape, data):
    x = data.draw(_small_ints(shape))

    def program(T, device):
        return T.sum(T.from_numpy(x.copy()))
    differential(program,
                 predicate=lambda r, T: r.dim() == 0 and r.dtype == T.float32 and r.item() == x.sum())


@claims("math.var-unbiased-flag")
@given(values=st.lists(st.integers(-20, 20), min_size=2, max_size=12))
def test_var_unbiased_flag(differential, values):
    def program(T, device):
        x = T.tensor(values, dtype=T.float64, device=device)
        return x.var(), T.var(x, unbiased=False), x.var(unbiased=True)
    arr = np.array(values, dtype=np.float64)
    differential(program, predicate=lambda r, T: np.isclose(r[0].item(), arr.var(ddof=1))
                 and np.isclose(r[1].item(), arr.var(ddof=0)) and r[2].item() == r[0].item())


@claims("math.unique-sorted-values")
@given(shape=cst.shapes(max_dims=3), dtype=st.sampled_from(["int64", "int32", "float32"]), data=st.data())
def test_unique_sorted_values(differential, shape, dtype, data):
    x = data.draw(cst.arrays(shape, "int8").map(lambda a: np.asarray(a % 6, dtype=dtype)))

    def program(T, device):
        return T.unique(T.from_numpy(x.copy()))
    differential(program, predicate=lambda r, T: r.dtype == getattr(T, dtype)
                 and np.array_equal(r.numpy(), np.unique(x)))


@claims("math.unique-sorted-values")
def test_unique_document_example(differential):
    def program(T, device):
        target = T.tensor([3, 1, 2, 3, 1, 0])
        print(T.unique(target))
        return T.unique(target)
    differential(program, predicate=lambda r, T: r.tolist() == [0, 1, 2, 3])


@claims("math.argmax-along-dim", "math.argmax-returns-indices-not-values")
@given(shape=cst.nonempty_shapes(min_dims=1, max_dims=3), data=st.data())
def test_argmax_along_dim(differential, shape, data):
    d = data.draw(cst.dims(len(shape)))
    x = data.draw(cst.arrays(shape, "float32").filter(lambda a: len(np.unique(a)) == a.size))

    def program(T, device):
        return T.from_numpy(x.copy()).argmax(dim=d)
    differential(program,
                 predicate=lambda r, T: r.dtype == T.int64 and np.array_equal(r.numpy(), x.argmax(d)))


@claims("math.argmax-along-dim")
def test_argmax_document_example(differential):
    def program(T, device):
        a = T.tensor(ARGMAX_EXAMPLE)
        print(a)
        print(T.argmax(a, dim=1))
        return T.argmax(a, dim=1)
    differential(program, predicate=lambda r, T: r.tolist() == [0, 2, 0, 1])


@claims("math.argmax-flat-index")
@given(shape=cst.nonempty_shapes(max_dims=3), data=st.data())
def test_argmax_flat_index(differential, shape, data):
    x = data.draw(cst.arrays(shape, "float32").filter(lambda a: len(np.unique(a)) == a.size))

    def program(T, device):
        return T.argmax(T.from_numpy(x.copy()))
    differential(program,
                 predicate=lambda r, T: r.dim() == 0 and r.dtype == T.int64 and r.item() == x.argmax())


@claims("math.argmax-axis-alias")
@given(shape=cst.nonempty_shapes(min_dims=1, max_dims=3), data=st.data())
def test_argmax_axis_alias(differential, shape, data):
    d = data.draw(cst.dims(len(shape)))
    x = data.draw(cst.arrays(shape, "float32"))

    def program(T, device):
        t = T.from_numpy(x.copy())
        return t.argmax(axis=d), t.argmax(dim=d)
    differential(program, predicate=lambda r, T: T.equal(r[0], r[1]))


@claims("math.argmax-returns-indices-not-values")
def test_argmax_returns_indices_not_values(differential):
    def program(T, device):
        pred_labels = T.tensor([[0.1, 0.7, 0.2], [0.8, 0.15, 0.05]])
        return pred_labels.argmax(axis=1), pred_labels.max(dim=1).values
    differential(program, predicate=lambda r, T: r[0].tolist() == [1, 0] and r[0].dtype == T.int64
                 and np.allclose(r[1].numpy(), [0.7, 0.8]))


@claims("math.equal-compares-size-and-values")
@given(shape=cst.shapes(max_dims=3), other=cst.shapes(max_dims=3), data=st.data())
def test_equal_compares_size_and_values(differential, shape, other, data):
    x = data.draw(cst.arrays(shape, "int64"))
    y = data.draw(cst.arrays(other, "int64"))

    def program(T, device):
        a, b = T.from_numpy(x.copy()), T.from_numpy(y.copy())
        return T.equal(a, a.clone()), T.equal(a, b)
    same = x.shape == y.shape and np.array_equal(x, y)
    differential(program, predicate=lambda r, T: r == (True, same))


@claims("math.equal-compares-size-and-values")
def test_equal_document_example(differential):
    def program(T, device):
        x, y = T.tensor([1, 2]), T.tensor([1, 2])
        a = T.arange(24.).view(1, 2, 3, 4)
        b = a.transpose(1, 2)
        c = a.view(1, 3, 2, 4)
        return (T.equal(x, y), x.data_ptr() == y.data_ptr(), T.equal(a, b), T.equal(a, c), T.equal(b, c),
                a.data_ptr() == b.data_ptr() == c.data_ptr())
    differential(program, predicate=lambda r, T: r == (True, False, False, False, False, True))
