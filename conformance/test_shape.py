"""Conformance tests for spec/shape.toml: cat, movedim, where, gather, pad."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from conformance import claims
from conformance import strategies as cst

EXAMPLE_X = [[0.6580, -1.0969, -0.4614], [-0.1034, -0.5790, 0.1497]]


def _base(T, shape, device, offset=0):
    return (T.arange(cst.numel(shape), device=device) + offset).view(shape)


# --- cat ----------------------------------------------------------------------------------------------------

@claims("shape.cat-joins-along-dim")
@given(shape=cst.shapes(min_dims=1, max_dims=4, max_side=4), data=st.data())
def test_cat_joins_along_dim(differential, shape, data):
    d = data.draw(cst.dims(len(shape)))
    sizes = data.draw(st.lists(st.integers(0, 4), min_size=1, max_size=3))
    shapes = [tuple(n if i == d % len(shape) else s for i, s in enumerate(shape)) for n in sizes]

    def program(T, device):
        parts = [_base(T, s, device, offset=100 * k) for k, s in enumerate(shapes)]
        return T.cat(parts, d), T.cat(tuple(parts), dim=d)
    expected = np.concatenate([np.arange(cst.numel(s)).reshape(s) + 100 * k for k, s in enumerate(shapes)], d)
    differential(program,
                 predicate=lambda r, T: np.array_equal(r[0].numpy(), expected) and T.equal(r[0], r[1]))


@claims("shape.cat-example")
def test_cat_document_example(differential):
    def program(T, device):
        x = T.tensor(EXAMPLE_X)
        original, concatenated = T.ones(4, 4), T.zeros(4, 4)
        merged_tensor = T.cat((original, concatenated), 1)
        print(merged_tensor.shape)
        return T.cat((x, x, x), 0), T.cat((x, x, x), 1), merged_tensor
    differential(program, predicate=lambda r, T: tuple(r[0].shape) == (6, 3) and tuple(r[1].shape) == (2, 9)
                 and r[0][4:].tolist() == r[0][:2].tolist() and r[1][:, 6:].tolist() == r[1][:, :3].tolist()
                 and tuple(r[2].shape) == (4, 8))


@claims("shape.cat-size-mismatch-raises")
@given(shape=cst.nonempty_shapes(min_dims=2, max_dims=4, max_side=4), data=st.data())
def test_cat_size_mismatch_raises(differential, shape, data):
    d = data.draw(st.integers(0, len(shape) - 1))
    other = data.draw(st.integers(0, len(shape) - 1).filter(lambda e: e != d))
    bad = list(shape)
    bad[other] += data.draw(st.integers(1, 3))

    def program(T, device):
        return T.cat((T.zeros(shape, device=device), T.zeros(bad, device=device)), d)
    oracle, _ = differential(program)
    assert isinstance(oracle, RuntimeError)


@claims("shape.cat-skips-empty-1d")
@given(shape=cst.nonempty_shapes(min_dims=1, max_dims=3), data=st.data())
def test_cat_skips_empty_1d(differential, shape, data):
    values = data.draw(cst.float_lists(shape))
    d = data.draw(cst.dims(len(shape)))

    def program(T, device):
        x = T.tensor(values, device=device)
        return T.cat((x, T.tensor([], device=device)), d), T.cat((T.zeros(0, device=device), x), d)
    differential(program,
                 predicate=lambda r, T: all(tuple(t.shape) == shape and t.tolist() == values for t in r))


# --- movedim ------------------------------------------------------------------------------------------------

@claims("shape.movedim-moves-one-axis")
@given(shape=cst.shapes(min_dims=1, max_dims=4), data=st.data())
def test_movedim_moves_one_axis(differential, shape, data):
    src, dst = data.draw(cst.dim_pairs(len(shape)))
    order = [i for i in range(len(shape)) if i != src % len(shape)]
    order.insert(dst % len(shape), src % len(shape))

    def program(T, device):
        a = _base(T, shape, device)
        return a, a.movedim(src, dst), a.moveaxis(src, dst), T.movedim(a, src, dst)
    differential(program, layout=True, predicate=lambda r, T: all(
        tuple(t.shape) == tuple(shape[i] for i in order) and T.equal(t, r[0].permute(order)) for t in r[1:]))


@claims("shape.movedim-moves-one-axis")
def test_movedim_document_example(differential):
    def program(T, device):
        a = T.zeros(2, 3, 5)
        return a.size(), a.movedim(0, -1).shape, a.moveaxis(0, -1).shape
    differential(program, predicate=lambda r, T: tuple(r[1]) == tuple(r[2]) == (3, 5, 2))


# --- where --------------------------------------------------------------------------------------------------

@claims("shape.where-selects-elementwise")
@given(shapes=cst.broadcastable_shapes(max_dims=3), data=st.data())
def test_where_selects_elementwise(differential, shapes, data):
    cond_shape, value_shape = shapes
    cond = data.draw(cst.arrays(cond_shape, "bool"))
    x = data.draw(cst.arrays(value_shape, "float32"))
    y = data.draw(cst.arrays(value_shape, "float32"))

    def program(T, device):
        return T.where(T.from_numpy(cond.copy()), T.from_numpy(x.copy()), T.from_numpy(y.copy()))
    expected = np.where(cond, x, y)
    differential(program, predicate=lambda r, T: np.array_equal(r.numpy(), expected))


@claims("shape.where-example")
def test_where_document_example(differential):
    a_values = [[-0.4620, 0.3139], [0.3898, -0.7197], [0.0478, -0.1657]]

    def program(T, device):
        a = T.tensor(a_values)
        b = T.ones(3, 2)
        print(a)
        print(T.where(a > 0, a, b))
        return T.where(a > 0, a, b)
    expected = [[1.0, 0.3139], [0.3898, 1.0], [0.0478, 1.0]]
    differential(program, predicate=lambda r, T: np.allclose(r.numpy(), expected))


@claims("shape.where-python-scalar-dtype")
@given(shape=cst.shapes(max_dims=3), dtype=st.sampled_from(["float32", "float64"]), data=st.data())
def test_where_python_scalar_dtype(differential, shape, dtype, data):
    a = data.draw(cst.arrays(shape, dtype))

    def program(T, device):
        t = T.from_numpy(a.copy())
        return T.where(t > 0, t, 0.), T.where(t > 0, 1, 0)
    differential(program, predicate=lambda r, T: r[0].dtype == getattr(T, dtype) and r[1].dtype == T.int64
                 and np.array_equal(r[0].numpy(), np.where(a > 0, a, 0)))


@claims("shape.where-python-scalar-dtype")
def test_where_python_scalar_document_example(differential):
    def program(T, device):
        a = T.tensor([[1.0779, 0.0383], [-0.8785, -1.1089]], dtype=T.double)
        print(a)
        print(T.where(a > 0, a, 0.))
        return T.where(a > 0, a, 0.)
    differential(program, predicate=lambda r, T: r.dtype == T.float64 and r[1].tolist() == [0.0, 0.0])


@claims("shape.where-two-arguments-raises")
@given(values=st.lists(st.booleans(), min_size=1, max_size=5))
def test_where_two_arguments_raises(differential, values):
    def program(T, device):
        data = T.tensor(values)
        return T.where(data, T.ones(len(values)))
    oracle, _ = differential(program)
    assert isinstance(oracle, TypeError)


@claims("shape.where-two-arguments-raises")
def test_where_document_call_raises(differential):
    def program(T, device):
        data = T.tensor([True, False])
        return T.where(data, T.ones())
    oracle, _ = differential(program)
    assert isinstance(oracle, TypeError)


# --- gather -------------------------------------------------------------------------------------------------

@claims("shape.gather-picks-along-dim")
@given(shape=cst.nonempty_shapes(min_dims=1, max_dims=4, max_side=4), data=st.data())
def test_gather_picks_along_dim(differential, shape, data):
    d = data.draw(st.integers(0, len(shape) - 1))
    index_shape = tuple(data.draw(st.integers(1, 4)) if i == d else data.draw(st.integers(1, s))
                        for i, s in enumerate(shape))
    index = data.draw(cst.arrays(index_shape, "int64").map(lambda a: np.abs(a) % shape[d]))
    source = np.arange(cst.numel(shape)).reshape(shape) * 10

    def program(T, device):
        return T.from_numpy(source.copy()).gather(d, T.from_numpy(index.copy()))
    coords = list(np.indices(index_shape))
    coords[d] = index
    expected = source[tuple(coords)]
    differential(program, predicate=lambda r, T: r.dtype == T.int64 and np.array_equal(r.numpy(), expected))


@claims("shape.gather-focal-loss-example")
def test_gather_focal_loss_document_example(differential):
    def program(T, device):
        model_preds = T.Tensor([[[[0.1, 0.4, 0.2]], [[0.3, 0.6, 0.7]]]])
        targets = T.Tensor([[[0, 1, 0]]]).long()
        e = model_preds.exp()
        probs = e / e.sum(dim=1, keepdim=True)       # softmax over the two channels
        print(probs)
        picked = probs.gather(1, targets.unsqueeze(1))
        print(picked)
        return probs, picked
    differential(program, predicate=lambda r, T: tuple(r[1].shape) == (1, 1, 1, 3)
                 and np.allclose(r[1].numpy(), [[[[0.4502, 0.5498, 0.3775]]]], atol=1e-4))


# --- pad ----------------------------------------------------------------------------------------------------

@claims("shape.pad-last-dims")
@given(shape=cst.nonempty_shapes(min_dims=2, max_dims=3, max_side=4),
       pads=st.lists(st.integers(0, 3), min_size=4, max_size=4))
def test_pad_last_dims(differential, shape, pads):
    left, right, top, bottom = pads

    def program(T, device):
        return T.nn.functional.pad(_base(T, shape, device) + 1, tuple(pads))
    *lead, h, w = shape
    expected = np.pad(np.arange(cst.numel(shape)).reshape(shape) + 1,
                      [(0, 0)] * len(lead) + [(top, bottom), (left, right)])
    differential(program, predicate=lambda r, T: np.array_equal(r.numpy(), expected))


@claims("shape.pad-last-dims")
def test_pad_document_example(differential):
    def program(T, device):
        tensor = T.ones(4, 4)
        padded_tensor = T.nn.functional.pad(tensor, (2, 2, 2, 5))
        print(padded_tensor.shape)
        return padded_tensor
    differential(program, predicate=lambda r, T: tuple(r.shape) == (11, 8) and r.sum().item() == 16)


# --- unfold -----------------------------------------------------------------------------------------------------

@st.composite
def _conv_inputs(draw):
    n, c, h, w = (draw(st.integers(1, 3)) for _ in range(4))
    kh, kw = draw(st.integers(1, h)), draw(st.integers(1, w))
    return n, c, h, w, kh, kw


@claims("shape.unfold-extracts-sliding-blocks")
@given(dims=_conv_inputs())
def test_unfold_extracts_sliding_blocks(differential, dims):
    n, c, h, w, kh, kw = dims

    def program(T, device):
        x = _base(T, (n, c, h, w), device).float()
        return T.nn.Unfold(kernel_size=(kh, kw))(x)
    x = np.arange(n * c * h * w).reshape(n, c, h, w)
    blocks = [x[:, :, i:i + kh, j:j + kw].reshape(n, -1) for i in range(h - kh + 1) for j in range(w - kw + 1)]
    expected = np.stack(blocks, axis=-1)
    differential(program, predicate=lambda r, T: np.array_equal(r.numpy(), expected))


@claims("shape.conv-equals-unfold-matmul")
@given(dims=_conv_inputs(), out_channels=st.integers(1, 3), data=st.data())
def test_conv_equals_unfold_matmul(differential, dims, out_channels, data):
    n, c, h, w, kh, kw = dims
    x = data.draw(cst.arrays((n, c, h, w), "int8").map(lambda a: np.asarray(a % 5, dtype=np.float32)))
    k = data.draw(cst.arrays((out_channels, c, kh, kw), "int8").map(lambda a: np.asarray(a % 3, dtype=np.float32)))

    def program(T, device):
        xt, kt = T.from_numpy(x.copy()), T.from_numpy(k.copy())
        via_unfold = (kt.view(out_channels, -1) @ T.nn.functional.unfold(xt, (kh, kw))).view(
            n, out_channels, h - kh + 1, w - kw + 1)
        return T.nn.functional.conv2d(xt, kt), via_unfold
    differential(program, predicate=lambda r, T: T.equal(r[0], r[1]))
