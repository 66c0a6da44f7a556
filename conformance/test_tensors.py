"""Conformance tests for spec/tensors.toml: creation, dtype inference, casts, conversions, NumPy bridge."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import claims
from conformance import strategies as cst

REAL_KINDS = ("bool", "int", "float")


def _dtype_is(name):
    return lambda r, T: r.dtype == getattr(T, name)


# --- dtype inference ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("lists, dtype", [
    pytest.param(cst.int_lists, "int64", marks=claims("tensors.tensor-infers-int64-from-ints"), id="ints"),
    pytest.param(cst.float_lists, "float32", marks=claims("tensors.tensor-infers-default-float-from-floats"),
                 id="floats"),
])
@given(shape=cst.nonempty_shapes(max_dims=3), data=st.data())
def test_tensor_infers_dtype(differential, lists, dtype, shape, data):
    """torch.tensor of nested Python numbers drawn by ``lists`` infers ``dtype`` and keeps the values."""
    values = data.draw(lists(shape))

    def program(T, device):
        return T.tensor(values, device=device)
    differential(program, predicate=lambda r, T: r.dtype == getattr(T, dtype) and r.tolist() == values)


@pytest.mark.parametrize("example, dtype", [
    pytest.param([[1, 2], [3, 4]], "int64", marks=claims("tensors.tensor-infers-int64-from-ints"), id="ints"),
    pytest.param([[1., 2.], [3., 4.]], "float32", marks=claims("tensors.tensor-infers-default-float-from-floats"),
                 id="floats"),
    pytest.param([[1, 2], [3, 4]], "int64", marks=claims("tensors.changing-datatypes-int-example-dtype"),
                 id="changing-datatypes-example"),
])
def test_tensor_infers_dtype_document_examples(differential, example, dtype):
    def program(T, device):
        a = T.tensor(example)
        return a, a.dtype
    differential(program, predicate=lambda r, T: r[1] == getattr(T, dtype) and r[0].tolist() == example)


@claims("tensors.legacy-constructor-uses-default-dtype")
@given(shape=cst.nonempty_shapes(min_dims=1, max_dims=3), data=st.data())
def test_legacy_constructor_uses_default_dtype(differential, shape, data):
    values = data.draw(cst.int_lists(shape))

    def program(T, device):
        return T.Tensor(values)
    differential(program, predicate=lambda r, T: r.dtype == T.float32 and r.tolist() == values)


@claims("tensors.legacy-constructor-uses-default-dtype")
def test_legacy_constructor_document_examples(differential):
    def program(T, device):
        a = T.Tensor([[1, 2], [3, 4]])
        b = T.Tensor([1, 2, 3, 4])
        return a, a.dtype, b
    differential(program, predicate=lambda r, T: r[1] == T.float32 and r[2].dtype == T.float32)


@claims("tensors.creation-dtype-argument")
@given(shape=cst.shapes(max_dims=3), dtype=cst.dtypes())
def test_creation_dtype_argument(differential, shape, dtype):
    def program(T, device):
        dt = getattr(T, dtype)
        return T.zeros(shape, dtype=dt, device=device), T.ones(list(shape), dtype=dt, device=device)
    differential(program, predicate=lambda r, T: all(t.dtype == getattr(T, dtype) for t in r))


@claims("tensors.creation-dtype-argument")
def test_creation_dtype_argument_document_examples(differential):
    def program(T, device):
        return T.zeros([2, 4], dtype=T.int32), T.ones([2, 3], dtype=T.int32), T.ones([2, 4], dtype=T.float64)
    differential(program, predicate=lambda r, T: [t.dtype for t in r] == [T.int32, T.int32, T.float64])


@claims("tensors.default-float-dtype-is-float32")
@given(shape=cst.shapes(max_dims=3))
def test_default_float_dtype_is_float32(differential, shape):
    def program(T, device):
        T.manual_seed(0)
        made = [T.rand(shape), T.randn(shape), T.zeros(shape), T.ones(shape), T.rand(2, 1, 16, 16)]
        return T.get_default_dtype(), [t.dtype for t in made]
    differential(program, predicate=lambda r, T: r[0] == T.float32 and all(d == T.float32 for d in r[1]))


@claims("tensors.set-default-dtype-float64")
@given(shape=cst.nonempty_shapes(min_dims=1, max_dims=3), data=st.data())
def test_set_default_dtype_float64(differential, shape, data):
    floats = data.draw(cst.float_lists(shape))
    ints = data.draw(cst.int_lists(shape))

    def program(T, device):
        T.set_default_dtype(T.float64)
        try:
            return T.Tensor(ints), T.tensor(floats), T.tensor(ints)
        finally:
            T.set_default_dtype(T.float32)
    differential(program, predicate=lambda r, T: [t.dtype for t in r] == [T.float64, T.float64, T.int64])


@claims("tensors.set-default-dtype-float64")
def test_set_default_dtype_float64_document_example(differential):
    def program(T, device):
        T.set_default_dtype(T.float64)
        try:
            a = T.Tensor([[1, 2], [3, 4]])
            b = T.tensor([[1., 2.], [3., 4.]])
            return a, a.dtype, b, b.dtype
        finally:
            T.set_default_dtype(T.float32)
    differential(program, predicate=lambda r, T: r[1] == T.float64 and r[3] == T.float64)


# --- casts --------------------------------------------------------------------------------------------------

CASTS = {"double": "float64", "float": "float32", "long": "int64", "int": "int32", "half": "float16",
         "bool": "bool"}


@claims("tensors.cast-methods")
@given(shape=cst.shapes(max_dims=3), dtype=cst.dtypes(kinds=REAL_KINDS), data=st.data())
def test_cast_methods(differential, shape, dtype, data):
    arr = data.draw(cst.arrays(shape, dtype))

    def program(T, device):
        t = T.from_numpy(arr.copy())
        return {name: getattr(t, name)() for name in CASTS}
    differential(program, predicate=lambda r, T: all(r[m].dtype == getattr(T, d) for m, d in CASTS.items()))


@claims("tensors.cast-methods")
def test_cast_methods_document_examples(differential):
    def program(T, device):
        a = T.tensor([[1, 2], [3, 4]])
        b = a.double()
        d = b.long()
        x = T.ones([2, 3], dtype=T.int32)
        y = x.float()
        return b, b.dtype, d, d.dtype, y, y.dtype
    differential(program, predicate=lambda r, T: (r[1], r[3], r[5]) == (T.float64, T.int64, T.float32))


@claims("tensors.bool-cast-is-nonzero-test")
@given(values=st.lists(st.one_of(st.just(0.0), st.just(-0.0), cst.float_values()), max_size=12))
def test_bool_cast_is_nonzero_test(differential, values):

    def program(T, device):
        return T.tensor(values, dtype=T.float32).bool()
    expected = np.array(values, dtype=np.float32) != 0
    differential(program, predicate=lambda r, T: r.dtype == T.bool and np.array_equal(r.numpy(), expected))


@claims("tensors.bool-cast-is-nonzero-test")
def test_bool_cast_document_example(differential):
    outputs = [[0.1, 0.5], [0.9, 0.4]]

    def program(T, device):
        return T.where(T.tensor(outputs) > 0.4, 1, 0).bool()
    differential(program, predicate=lambda r, T: r.tolist() == [[False, True], [True, False]])


@claims("tensors.type-string-cast")
@given(shape=cst.shapes(max_dims=3), dtype=cst.dtypes(kinds=("int", "float")), data=st.data())
def test_type_string_cast(differential, shape, dtype, data):
    arr = data.draw(cst.arrays(shape, dtype))

    def program(T, device):
        t = T.from_numpy(arr.copy())
        return t.type("torch.DoubleTensor"), t.double(), t.type("torch.LongTensor"), t.long()
    differential(program, predicate=lambda r, T: r[0].dtype == T.float64 and r[2].dtype == T.int64
                 and T.equal(r[0], r[1]) and T.equal(r[2], r[3]))


@claims("tensors.dtype-aliases")
def test_dtype_aliases(differential):
    def program(T, device):
        return (T.float is T.float32, T.double is T.float64, T.long is T.int64, T.int is T.int32,
                T.float, T.double, T.long, T.int)
    differential(program, predicate=lambda r, T: r[:4] == (True, True, True, True))


# --- the NumPy bridge ---------------------------------------------------------------------------------------

@claims("tensors.from-numpy-keeps-dtype")
@given(shape=cst.shapes(max_dims=3), dtype=cst.dtypes(), data=st.data())
def test_from_numpy_keeps_dtype(differential, shape, dtype, data):
    arr = data.draw(cst.arrays(shape, dtype))

    def program(T, device):
        return T.from_numpy(arr.copy())
    differential(program, predicate=lambda r, T: r.dtype == getattr(T, dtype))


@claims("tensors.from-numpy-keeps-dtype")
@given(shape=cst.shapes(max_dims=3), data=st.data())
def test_from_numpy_float64_then_float(differential, shape, data):
    arr = data.draw(cst.arrays(shape, "float64"))

    def program(T, device):
        t = T.from_numpy(arr.copy())
        return t, t.float()
    differential(program, predicate=lambda r, T: r[0].dtype == T.float64 and r[1].dtype == T.float32)


@claims("tensors.from-numpy-shares-memory")
@given(shape=cst.nonempty_shapes(min_dims=1, max_dims=3), dtype=cst.dtypes(kinds=("int", "float")),
       data=st.data())
def test_from_numpy_shares_memory(differential, shape, dtype, data):
    arr = data.draw(cst.arrays(shape, dtype))
    first, last = (0,) * len(shape), tuple(s - 1 for s in shape)

    def program(T, device):
        a = arr.copy()
        t = T.from_numpy(a)
        a[first] = 7      # write through the array ...
        t[last] = 9       # ... and through the tensor
        return t, a
    differential(program, predicate=lambda r, T: np.array_equal(r[0].numpy(), r[1])
                 and r[1][last] == 9 and (first == last or r[1][first] == 7))


@claims("tensors.from-numpy-shares-memory")
def test_from_numpy_document_example(differential):
    def program(T, device):
        a = np.array([1, 2, 3])
        t = T.from_numpy(a)
        a[0] = 10
        return t
    differential(program, predicate=lambda r, T: r.tolist() == [10, 2, 3])


@claims("tensors.from-numpy-not-resizable")
@given(shape=cst.nonempty_shapes(min_dims=1, max_dims=3), extra=st.integers(1, 10))
def test_from_numpy_not_resizable(differential, shape, extra):
    def program(T, device):
        t = T.from_numpy(np.zeros(shape, dtype=np.int64))
        t.resize_(cst.numel(shape) + extra)
        return t
    oracle, _ = differential(program)
    assert isinstance(oracle, RuntimeError)


@claims("tensors.numpy-returns-shared-ndarray")
@given(shape=cst.nonempty_shapes(max_dims=3), dtype=cst.dtypes(kinds=("int", "float")), data=st.data())
def test_numpy_returns_shared_ndarray(differential, shape, dtype, data):
    arr = data.draw(cst.arrays(shape, dtype))
    first = (0,) * len(shape)

    def program(T, device):
        t = T.tensor(arr.tolist(), dtype=getattr(T, dtype))
        a = t.numpy()
        a[first] = 5      # seen by the tensor
        t.add_(1)         # seen by the array
        return {"t": t, "a": a.copy(), "type": type(a).__name__}
    differential(program, predicate=lambda r, T: r["type"] == "ndarray" and r["a"].dtype == np.dtype(dtype)
                 and np.array_equal(r["a"], r["t"].numpy()) and r["a"][first] == 6)


@claims("tensors.numpy-returns-shared-ndarray")
def test_numpy_document_examples(differential):
    def program(T, device):
        return T.ones(5).numpy(), T.tensor([1, 2, 3]).numpy()
    differential(program, predicate=lambda r, T: r[0].dtype == np.float32 and r[1].tolist() == [1, 2, 3]
                 and r[1].dtype == np.int64)


@claims("tensors.numpy-requires-grad-raises")
@given(shape=cst.nonempty_shapes(max_dims=3), data=st.data())
def test_numpy_requires_grad_raises(differential, shape, data):
    values = data.draw(cst.float_lists(shape))

    def program(T, device):
        return T.tensor(values, requires_grad=True).numpy()
    oracle, _ = differential(program)
    assert isinstance(oracle, RuntimeError)


@claims("tensors.detach-numpy-of-requires-grad")
@given(shape=cst.nonempty_shapes(max_dims=3), data=st.data())
def test_detach_numpy_of_requires_grad(differential, shape, data):
    values = data.draw(cst.float_lists(shape))

    def program(T, device):
        t = T.tensor(values, requires_grad=True)
        a = t.detach().numpy()
        return a, type(a).__name__
    differential(program, predicate=lambda r, T: r[1] == "ndarray" and r[0].tolist() == values)


@claims("tensors.int-tensor-cannot-require-grad")
@given(dtype=cst.dtypes(kinds=("int",)))
def test_int_tensor_cannot_require_grad(differential, dtype):
    def program(T, device):
        return T.tensor([1, 2, 3], dtype=getattr(T, dtype), requires_grad=True)
    oracle, _ = differential(program)
    assert isinstance(oracle, RuntimeError)


@claims("tensors.int-tensor-cannot-require-grad")
def test_int_tensor_cannot_require_grad_document_example(differential):
    def program(T, device):
        t = T.tensor([1, 2, 3], requires_grad=True)
        return t.detach().numpy()
    oracle, _ = differential(program)
    assert isinstance(oracle, RuntimeError)


# --- Python scalars and lists -------------------------------------------------------------------------------

ITEM_TYPES = {"bool": "bool", "int": "int", "float": "float"}


@claims("tensors.item-returns-python-scalar")
@given(kind=st.sampled_from(REAL_KINDS), ndim=st.integers(0, 3), data=st.data())
def test_item_returns_python_scalar(differential, kind, ndim, data):
    dtype = data.draw(cst.dtypes(kinds=(kind,)))
    arr = data.draw(cst.arrays((1,) * ndim, dtype))

    def program(T, device):
        v = T.from_numpy(arr.copy()).item()
        return v, type(v).__name__
    differential(program, predicate=lambda r, T: r[1] == ITEM_TYPES[kind] and r[0] == arr.item())


@claims("tensors.item-returns-python-scalar")
def test_item_document_examples(differential):
    data = [[1, 2], [3, 4]]

    def program(T, device):
        a = T.tensor([1.0])
        s = T.sum(T.tensor(data))
        return a.item(), a.tolist(), s.item()
    differential(program, predicate=lambda r, T: r == (1.0, [1.0], 10) and type(r[2]) is int)


@claims("tensors.item-needs-one-element")
@given(shape=cst.shapes(max_dims=3).filter(lambda s: cst.numel(s) != 1))
def test_item_needs_one_element(differential, shape):
    def program(T, device):
        return T.zeros(shape).item()
    oracle, _ = differential(program)
    assert isinstance(oracle, RuntimeError)


@claims("tensors.tolist-nested-python-numbers")
@given(shape=cst.shapes(max_dims=3), dtype=cst.dtypes(kinds=REAL_KINDS), data=st.data())
def test_tolist_nested_python_numbers(differential, shape, dtype, data):
    arr = data.draw(cst.arrays(shape, dtype))

    def program(T, device):
        return T.from_numpy(arr.copy()).tolist()
    differential(program, predicate=lambda r, T: r == arr.tolist())


@claims("tensors.tolist-nested-python-numbers")
def test_tolist_document_example(differential):
    def program(T, device):
        T.manual_seed(0)
        a = T.randn(2, 2)
        return a.tolist(), a[0, 0].tolist()
    differential(program, predicate=lambda r, T: isinstance(r[1], float) and r[1] == r[0][0][0])


@claims("tensors.len-is-first-dim")
@given(shape=cst.shapes(min_dims=1, max_dims=4))
def test_len_is_first_dim(differential, shape):
    def program(T, device):
        return len(T.zeros(shape))
    differential(program, predicate=lambda r, T: r == shape[0])


@claims("tensors.len-is-first-dim")
def test_len_document_examples(differential):
    def program(T, device):
        return len(T.Tensor([[1, 2], [3, 4]])), len(T.Tensor([1, 2, 3, 4]))
    differential(program, predicate=lambda r, T: r == (2, 4))


@claims("tensors.len-of-zero-dim-raises")
@given(value=cst.float_values())
def test_len_of_zero_dim_raises(differential, value):
    def program(T, device):
        return len(T.tensor(value))
    oracle, _ = differential(program)
    assert isinstance(oracle, TypeError)


@claims("tensors.size-is-shape")
@given(shape=cst.shapes(min_dims=1, max_dims=4), data=st.data())
def test_size_is_shape(differential, shape, data):
    d = data.draw(cst.dims(len(shape)))

    def program(T, device):
        t = T.zeros(shape)
        return t.size(), t.shape, t.size() == t.shape, t.size(d), t.shape[d], type(t.size(d)).__name__
    differential(program, predicate=lambda r, T: r[2] is True and r[3] == r[4] == shape[d] and r[5] == "int")


@claims("tensors.size-is-shape")
def test_size_document_example(differential):
    def program(T, device):
        a = T.randn(2, 3, 5)
        return a.size(), a.shape, a.size(2), a.shape[2], T.Tensor(1, 2, 3, 4, 5).size()
    differential(program, predicate=lambda r, T: tuple(r[0]) == (2, 3, 5) and r[2] == r[3] == 5)


@claims("tensors.no-torch-size-function")
def test_no_torch_size_function(differential):
    def program(T, device):
        return hasattr(T, "size"), T.rand(4, 6).size()
    differential(program, predicate=lambda r, T: r[0] is False and tuple(r[1]) == (4, 6))


@claims("tensors.numel-is-product-of-sizes")
@given(shape=cst.shapes(max_dims=5))
def test_numel_is_product_of_sizes(differential, shape):
    def program(T, device):
        return T.zeros(shape).numel()
    differential(program, predicate=lambda r, T: r == math.prod(shape))


# --- ranges -------------------------------------------------------------------------------------------------

@st.composite
def _int_ranges(draw):
    start, stop = draw(st.integers(-20, 20)), draw(st.integers(-20, 20))
    step = draw(st.integers(1, 5)) * (1 if stop >= start else -1)
    return start, stop, step


@claims("tensors.arange-half-open-like-range")
@given(args=_int_ranges())
def test_arange_integer_like_range(differential, args):
    def program(T, device):
        return T.arange(*args)
    differential(program, predicate=lambda r, T: r.dtype == T.int64 and r.tolist() == list(range(*args)))


@claims("tensors.arange-half-open-like-range")
@given(args=_int_ranges())
def test_arange_float_half_open(differential, args):
    start, stop, step = (v / 4 for v in args)  # quarters: exactly representable, exact length

    def program(T, device):
        return T.arange(start, stop, step)
    expected = [start + i * step for i in range(len(range(*args)))]
    differential(program, predicate=lambda r, T: r.dtype == T.float32 and r.tolist() == expected)


@claims("tensors.arange-half-open-like-range")
def test_arange_document_examples(differential):
    def program(T, device):
        return T.arange(8), T.arange(3, 8), T.arange(3, 8, 2)
    differential(program, predicate=lambda r, T: [t.tolist() for t in r] == [
        list(range(8)), list(range(3, 8)), list(range(3, 8, 2))])


@claims("tensors.arange-float-step-example")
def test_arange_float_step_example(differential):
    def program(T, device):
        t = T.arange(0.1, 0.5, 0.1)
        return t, len(t)
    differential(program, predicate=lambda r, T: r[1] == 4
                 and np.allclose(r[0].numpy(), [0.1, 0.2, 0.3, 0.4]))


@claims("tensors.range-deprecated-inclusive")
@given(start=st.integers(-10, 10), length=st.integers(0, 10))
def test_range_deprecated_inclusive(differential, start, length):
    def program(T, device):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            t = T.range(start, start + length)
        return t, [w.category.__name__ for w in caught]
    differential(program, predicate=lambda r, T: r[0].dtype == T.float32 and "UserWarning" in r[1]
                 and r[0].tolist() == [float(v) for v in range(start, start + length + 1)])


@claims("tensors.linspace-includes-both-ends")
@given(start=st.integers(-40, 40), end=st.integers(-40, 40), steps=st.integers(2, 20))
def test_linspace_includes_both_ends(differential, start, end, steps):
    lo, hi = start / 4, end / 4

    def program(T, device):
        return T.linspace(lo, hi, steps=steps)
    differential(program, predicate=lambda r, T: r.dtype == T.float32 and len(r) == steps
                 and r[0].item() == lo and r[-1].item() == hi)


@claims("tensors.linspace-includes-both-ends")
def test_linspace_document_example(differential):
    def program(T, device):
        return T.linspace(1.0, 2.0, steps=5)
    differential(program, predicate=lambda r, T: r.tolist() == [1.0, 1.25, 1.5, 1.75, 2.0])


@claims("tensors.linspace-steps-required")
def test_linspace_steps_required(differential):
    def program(T, device):
        return T.linspace(1.0, 2.0)
    oracle, _ = differential(program)
    assert isinstance(oracle, TypeError)


# --- Python numbers into tensors ----------------------------------------------------------------------------

@claims("tensors.sqrt-rejects-python-number")
@given(n=st.integers(0, 10_000))
def test_sqrt_rejects_python_number(differential, n):
    def program(T, device):
        return T.sqrt(n)
    oracle, _ = differential(program)
    assert isinstance(oracle, TypeError)


@claims("tensors.tensor-scalar-with-dtype")
@given(n=st.integers(0, 10_000))
def test_tensor_scalar_with_dtype(differential, n):
    def program(T, device):
        t = T.tensor(n, dtype=T.float32)
        return t, T.sqrt(t)
    differential(program, predicate=lambda r, T: r[0].dim() == 0 and r[0].dtype == T.float32
                 and r[0].item() == n and math.isclose(r[1].item(), math.sqrt(n), rel_tol=1e-6))


@claims("tensors.legacy-constructor-sizes")
@given(shape=cst.shapes(min_dims=1, max_dims=5, max_side=4))
def test_legacy_constructor_sizes(differential, shape):
    def program(T, device):
        t = T.Tensor(*shape)   # uninitialised: only the metadata is comparable
        return tuple(t.shape), t.dtype, t.size()
    differential(program, predicate=lambda r, T: r[0] == shape and r[1] == T.float32)


@claims("tensors.legacy-constructor-sizes")
def test_legacy_constructor_sizes_document_example(differential):
    def program(T, device):
        a = T.Tensor(1, 2, 3, 4, 5)
        return a.shape, a.size(), a.dtype
    differential(program, predicate=lambda r, T: tuple(r[0]) == (1, 2, 3, 4, 5) and r[2] == T.float32)


@claims("tensors.legacy-type-objects")
@given(values=st.lists(st.integers(-100, 100), min_size=1, max_size=5))
def test_legacy_type_objects(differential, values):
    def program(T, device):
        a = T.Tensor(values)
        b = T.FloatTensor(values)
        d = a.type(T.DoubleTensor)
        return (a.type(), isinstance(a, T.FloatTensor), isinstance(a, T.DoubleTensor), b, b.type(), d, d.type(),
                isinstance(d, T.DoubleTensor))
    differential(program, predicate=lambda r, T: r[0] == r[4] == "torch.FloatTensor" and r[1] and not r[2]
                 and r[3].dtype == T.float32 and r[5].dtype == T.float64 and r[6] == "torch.DoubleTensor" and r[7])


@claims("tensors.tensor-class-vs-function")
def test_tensor_class_vs_function(differential):
    def program(T, device):
        t = T.tensor([1])
        return (isinstance(T.Tensor, type), isinstance(T.tensor, type), isinstance(t, T.Tensor),
                type(t) is T.Tensor)
    differential(program, predicate=lambda r, T: r == (True, False, True, True))


@claims("tensors.like-and-new-creation")
@given(shape=cst.shapes(max_dims=3), new_shape=cst.shapes(max_dims=3), dtype=cst.dtypes(kinds=REAL_KINDS))
def test_like_and_new_creation(differential, shape, new_shape, dtype):
    def program(T, device):
        base = T.ones(shape, dtype=getattr(T, dtype), device=device)
        return T.zeros_like(base), T.ones_like(base), base.new_zeros(new_shape), base.new_ones(new_shape)
    differential(program, predicate=lambda r, T: all(t.dtype == getattr(T, dtype) for t in r)
                 and tuple(r[0].shape) == tuple(r[1].shape) == shape
                 and tuple(r[2].shape) == tuple(r[3].shape) == new_shape)


@claims("tensors.legacy-constructor-from-float64-array")
@given(shape=cst.shapes(min_dims=1, max_dims=3), data=st.data())
def test_legacy_constructor_from_float64_array(differential, shape, data):
    arr = data.draw(cst.arrays(shape, "float64"))

    def program(T, device):
        return T.Tensor(arr.copy())
    differential(program, predicate=lambda r, T: r.dtype == T.float32 and tuple(r.shape) == shape)


@claims("tensors.legacy-constructor-from-float64-array")
def test_legacy_constructor_document_example(differential):
    X = np.arange(1000, dtype=np.float64).reshape(500, 2) / 7   # stands for make_circles' float64 output
    y = np.arange(500, dtype=np.float64) % 2

    def program(T, device):
        x_data, y_data = T.Tensor(X), T.Tensor(y.reshape(500, 1))
        return x_data, y_data, x_data.shape, y_data.shape
    differential(program, predicate=lambda r, T: (tuple(r[2]), tuple(r[3]), r[0].dtype, r[1].dtype)
                 == ((500, 2), (500, 1), T.float32, T.float32))
