"""Conformance tests for spec/indexing.toml: basic and advanced indexing, None, chained assignment."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from conformance import claims
from conformance import strategies as cst


def _base(T, shape, device):
    return T.arange(cst.numel(shape), device=device).view(shape)


def _shares(a, b):
    return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()


@claims("indexing.basic-index-is-view")
@given(shape=cst.nonempty_shapes(min_dims=1, max_dims=4), data=st.data())
def test_basic_index_is_view(differential, shape, data):
    index = data.draw(cst.index_expressions(shape))

    def program(T, device):
        a = _base(T, shape, device)
        b = a[index]
        b.fill_(-1)          # write through the indexed view
        return a, b
    expected = np.arange(cst.numel(shape)).reshape(shape)
    expected[index] = -1
    differential(program, layout=True, predicate=lambda r, T: r[1].numel() == 0
                 or (_shares(r[0], r[1]) and np.array_equal(r[0].numpy(), expected)))


@claims("indexing.chained-index-assignment-writes-base")
@given(shape=cst.nonempty_shapes(min_dims=2, max_dims=3), data=st.data())
def test_chained_index_assignment_writes_base(differential, shape, data):
    target = data.draw(cst.view_shapes(shape).filter(lambda t: len(t) >= 2))
    value = data.draw(cst.float_values())

    def program(T, device):
        a = T.zeros(shape, device=device)
        b = a.view(target)
        b[0][0] = value
        return a, b
    differential(program, layout=True, predicate=lambda r, T: r[0].flatten()[0].item() == value
                 and bool((r[1][0][0] == value).all()))


@claims("indexing.chained-index-assignment-writes-base")
def test_chained_assignment_document_example(differential):
    def program(T, device):
        T.manual_seed(0)
        a = T.rand(4, 4)
        b = a.view(2, 8)
        b[0][0] = 3.14
        return a[0][0], a, b
    differential(program, layout=True, predicate=lambda r, T: abs(r[0].item() - 3.14) < 1e-6)


@claims("indexing.integer-index-gives-zero-dim")
@given(shape=cst.nonempty_shapes(min_dims=1, max_dims=4), data=st.data())
def test_integer_index_gives_zero_dim(differential, shape, data):
    index = tuple(data.draw(st.integers(-s, s - 1)) for s in shape)

    def program(T, device):
        e = (_base(T, shape, device) * 0.5)[index]
        return e, e.tolist()
    expected = float((np.arange(cst.numel(shape)).reshape(shape) * 0.5)[index])
    differential(program, predicate=lambda r, T: r[0].dim() == 0 and type(r[1]) is float and r[1] == expected)


@claims("indexing.none-inserts-unit-dims")
@given(n=st.integers(0, 6))
def test_none_inserts_unit_dims(differential, n):
    def program(T, device):
        obj_ids = T.arange(1, n + 1, device=device)
        return obj_ids[:, None, None]
    differential(program, layout=True, predicate=lambda r, T: tuple(r.shape) == (n, 1, 1))


@claims("indexing.none-inserts-unit-dims")
@given(shape=cst.shapes(max_dims=3), data=st.data())
def test_none_positions(differential, shape, data):
    index = data.draw(cst.index_expressions(shape))

    def program(T, device):
        return _base(T, shape, device)[index]
    expected = np.arange(cst.numel(shape)).reshape(shape)[index]
    differential(program, layout=True, predicate=lambda r, T: tuple(r.shape) == expected.shape)


@claims("indexing.none-broadcast-mask-comparison")
@given(shape=cst.nonempty_shapes(min_dims=2, max_dims=2), data=st.data())
def test_none_broadcast_mask_comparison(differential, shape, data):
    mask = data.draw(cst.arrays(shape, "int64").map(lambda a: np.abs(a) % 4))
    ids = data.draw(st.lists(st.integers(0, 3), min_size=1, max_size=3, unique=True))

    def program(T, device):
        obj_ids = T.tensor(ids, device=device)
        return T.from_numpy(mask.copy()) == obj_ids[:, None, None]
    expected = mask[None] == np.array(ids)[:, None, None]
    differential(program, predicate=lambda r, T: r.dtype == T.bool and np.array_equal(r.numpy(), expected))


@claims("indexing.split-mask-example")
def test_split_mask_document_example(differential):
    def program(T, device):
        obj_ids = T.tensor([1, 2])
        temp = obj_ids[:, None, None]
        print(temp)
        return temp
    differential(program, layout=True, predicate=lambda r, T: tuple(r.shape) == (2, 1, 1)
                 and r.tolist() == [[[1]], [[2]]])


@claims("indexing.split-mask-example")
def test_split_mask_python_list_raises(differential):
    def program(T, device):
        obj_ids = [1, 2]
        index = (slice(None), None, None)
        return obj_ids[index]
    oracle, _ = differential(program)
    assert isinstance(oracle, TypeError)


@claims("indexing.permutation-index-shuffles-rows")
@given(shape=cst.nonempty_shapes(min_dims=1, max_dims=3), data=st.data())
def test_permutation_index_shuffles_rows(differential, shape, data):
    perm = data.draw(st.permutations(range(shape[0])))

    def program(T, device):
        data_t = _base(T, shape, device)
        return data_t, data_t[T.tensor(perm, device=device)]
    expected = np.arange(cst.numel(shape)).reshape(shape)[perm]
    differential(program, layout=True, predicate=lambda r, T: np.array_equal(r[1].numpy(), expected)
                 and not _shares(r[0], r[1]))


@claims("indexing.permutation-index-shuffles-rows")
@given(seed=st.integers(0, 2**31 - 1), rows=st.integers(1, 6))
def test_randperm_minibatch_document_example(differential, seed, rows):
    def program(T, device):
        T.manual_seed(seed)
        data_t = _base(T, (rows, 3), device)
        p = T.randperm(data_t.shape[0])
        return p, data_t[p]
    differential(program, predicate=lambda r, T: all(
        r[1][i].tolist() == [3 * int(r[0][i]) + k for k in range(3)] for i in range(rows)))


@claims("indexing.paired-index-picks-one-per-row")
@given(rows=st.integers(1, 5), cols=st.integers(1, 5), data=st.data())
def test_paired_index_picks_one_per_row(differential, rows, cols, data):
    labels = data.draw(st.lists(st.integers(0, cols - 1), min_size=rows, max_size=rows))
    outputs = data.draw(cst.float_lists((rows, cols)))

    def program(T, device):
        out = T.tensor(outputs, device=device)
        return out[range(rows), T.tensor(labels, device=device)]
    differential(program, predicate=lambda r, T: r.tolist() == [outputs[i][labels[i]] for i in range(rows)])
