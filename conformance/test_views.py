"""Conformance tests for spec/views.toml: view, reshape, transpose, permute, squeeze and friends."""

import warnings

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from conformance import claims
from conformance import strategies as cst


def _base(T, shape, device):
    """A contiguous int64 tensor 0, 1, 2, ... of ``shape``."""
    return T.arange(cst.numel(shape), device=device).view(shape)


def _shares(a, b):
    return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()


@st.composite
def _transposable(draw):
    """A shape and two dims, both of size >= 2, whose transpose is non-contiguous."""
    shape = draw(cst.nonempty_shapes(min_dims=2, max_dims=4, max_side=4))
    big = [i for i, s in enumerate(shape) if s >= 2]
    assume(len(big) >= 2)
    d0, d1 = draw(st.lists(st.sampled_from(big), min_size=2, max_size=2, unique=True))
    return shape, d0, d1


# --- view ---------------------------------------------------------------------------------------------------

def _view_and_write(a, target):
    b = a.view(target)
    b.mul_(2)          # write through the view
    return a, b


def _reshape(a, target):
    return a, a.reshape(target)


@pytest.mark.parametrize("reshape, holds", [
    pytest.param(_view_and_write, lambda r, T, shape: _shares(r[0], r[1])
                 and r[0].flatten().tolist() == [2 * i for i in range(cst.numel(shape))],
                 marks=claims("views.view-shares-storage"), id="view"),
    pytest.param(_reshape, lambda r, T, shape: _shares(r[0], r[1]),
                 marks=claims("views.reshape-views-when-possible"), id="reshape"),
])
@given(shape=cst.nonempty_shapes(max_dims=4), data=st.data())
def test_contiguous_reshape_shares_storage(differential, reshape, holds, shape, data):
    """``reshape(a, target)`` of a contiguous tensor to a compatible shape returns a view of it."""
    target = data.draw(cst.view_shapes(shape))

    def program(T, device):
        return reshape(_base(T, shape, device), target)
    differential(program, layout=True, predicate=lambda r, T: holds(r, T, shape))


@claims("views.view-shares-storage")
def test_view_shares_storage_document_example(differential):
    def program(T, device):
        T.manual_seed(0)
        a = T.rand(4, 4)
        b = a.view(2, 8)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # TypedStorage's deprecation warning is emitted once per process
            same = a.storage().data_ptr() == b.storage().data_ptr()
        b[0][0] = 3.14
        return same, a, b
    differential(program, layout=True,
                 predicate=lambda r, T: r[0] is True and abs(r[1][0, 0].item() - 3.14) < 1e-6)


@claims("views.view-examples")
def test_view_document_examples(differential):
    def program(T, device):
        a = T.arange(4).view(2, 2)
        print(a.view(4, 1))
        print(a.view(1, 4))
        print(a.view(-1))
        return a.view(4, 1), a.view(1, 4), a.view(-1)
    differential(program, layout=True, predicate=lambda r, T: [t.tolist() for t in r] == [
        [[0], [1], [2], [3]], [[0, 1, 2, 3]], [0, 1, 2, 3]])


@claims("views.view-infers-one-dimension")
@given(shape=cst.nonempty_shapes(max_dims=4), data=st.data())
def test_view_infers_one_dimension(differential, shape, data):
    target = data.draw(cst.view_shapes(shape))
    resolved = [s if s != -1 else cst.numel(shape) // -cst.numel(target) for s in target]

    def program(T, device):
        a = _base(T, shape, device)
        forms = [a.view(tuple(target))] + ([a.view(*target)] if target else [])
        return forms + [a.view(-1)]
    differential(program, layout=True, predicate=lambda r, T: all(list(t.shape) == resolved for t in r[:-1])
                 and tuple(r[-1].shape) == (cst.numel(shape),))


@claims("views.view-infers-one-dimension")
def test_view_infers_document_examples(differential):
    def program(T, device):
        x = T.arange(16.).view(4, 4)
        return x.view(16), x.view(-1, 8), x.view((-1, 8))
    differential(program, layout=True,
                 predicate=lambda r, T: [tuple(t.shape) for t in r] == [(16,), (2, 8), (2, 8)])


@claims("views.view-on-non-contiguous")
@given(rows=st.integers(2, 4), cols=st.integers(2, 5), data=st.data())
def test_view_on_non_contiguous(differential, rows, cols, data):
    keep = data.draw(st.integers(1, cols - 1))

    def program(T, device):
        a = _base(T, (rows, cols), device)
        part = a[:, :keep]                        # non-contiguous column slice
        return a, part, part.view(rows, keep, 1), a.t().view(cols, rows, 1)
    differential(program, layout=True, predicate=lambda r, T: not r[1].is_contiguous()
                 and _shares(r[0], r[2]) and _shares(r[0], r[3]) and not r[2].is_contiguous())


@claims("views.view-on-non-contiguous")
def test_view_on_non_contiguous_document_counterexample(differential):
    def program(T, device):
        a = T.arange(12).view(3, 4)[:, :2]
        return a.is_contiguous(), a.view(3, 2, 1)
    differential(program, layout=True,
                 predicate=lambda r, T: r[0] is False and tuple(r[1].shape) == (3, 2, 1))


@claims("views.view-incompatible-strides-raises")
@given(case=_transposable())
def test_view_incompatible_strides_raises(differential, case):
    shape, d0, d1 = case

    def program(T, device):
        return _base(T, shape, device).transpose(d0, d1).view(-1)
    oracle, _ = differential(program)
    assert isinstance(oracle, RuntimeError)


# --- reshape ------------------------------------------------------------------------------------------------

@claims("views.reshape-copies-when-needed", "views.view-incompatible-strides-raises")
def test_reshape_document_example(differential):
    def program(T, device):
        a = T.arange(4 * 10 * 2).view(4, 10, 2)
        b = a.permute(2, 0, 1)
        print(b.is_contiguous())
        try:
            print(b.view(-1))
        except RuntimeError as e:
            print(e)
        print(b.reshape(-1))
        print(b.contiguous().view(-1))
        return a, b.reshape(-1), b.contiguous().view(-1)
    differential(program, layout=True, predicate=lambda r, T: not _shares(r[0], r[1]) and T.equal(r[1], r[2]))


@claims("views.reshape-size-forms")
@given(shape=cst.shapes(max_dims=4), data=st.data())
def test_reshape_size_forms(differential, shape, data):
    target = data.draw(cst.view_shapes(shape))
    n = cst.numel(shape)
    resolved = tuple(s if s != -1 else n // -cst.numel(target) for s in target)

    def program(T, device):
        a = _base(T, shape, device)
        forms = [a.reshape(tuple(target)), a.reshape(list(target)), a.reshape(T.zeros(resolved).shape)]
        return forms + ([a.reshape(*target)] if target else [])
    differential(program, layout=True, predicate=lambda r, T: all(tuple(t.shape) == resolved for t in r))


@claims("views.reshape-size-forms")
def test_reshape_size_forms_document_examples(differential):
    def program(T, device):
        a = T.arange(24.).view(2, 3, 4)
        tensor_b = T.arange(24.).view(6, 4)
        output = T.arange(30.).view(3, 5, 2)
        return (a.reshape(3, -1), a.reshape((3, -1)), tensor_b.reshape(a.shape),
                output.reshape(3 * 5, 2))
    differential(program, layout=True, predicate=lambda r, T: [tuple(t.shape) for t in r] == [
        (3, 8), (3, 8), (2, 3, 4), (15, 2)])


@claims("views.reshape-note-example-raises")
def test_reshape_note_example_raises(differential):
    def program(T, device):
        a = T.tensor([1, 2, 3, 3, 4, 5, 6, 7, 8])
        return a.reshape([8, 1])
    oracle, _ = differential(program)
    assert isinstance(oracle, RuntimeError)


# --- transpose, swapdims, t, T ------------------------------------------------------------------------------

def _transpose_and_write(a, d0, d1):
    b = a.transpose(d0, d1)
    b.neg_()            # write through the transposed view
    return a, b


def _transpose(a, d0, d1):
    return a.transpose(d0, d1)


def _transpose_and_aliases(a, d0, d1):
    return a, a.transpose(d0, d1), a.swapdims(d0, d1), a.swapaxes(d0, d1)


def _transpose_inplace(a, d0, d1):
    out = a.transpose_(d0, d1)
    return a, out is a


TRANSPOSES = [
    pytest.param(_transpose_and_write, lambda r, T, shape, swapped: cst.numel(shape) == 0 or (
        _shares(r[0], r[1]) and r[0].data_ptr() == r[1].data_ptr()
        and r[0].flatten().tolist() == [-i for i in range(cst.numel(shape))]),
        marks=claims("views.transpose-shares-storage"), id="shares-storage"),
    pytest.param(_transpose, lambda r, T, shape, swapped: list(r.shape) == swapped,
                 marks=claims("views.transpose-swaps-two-dims"), id="swaps-two-dims"),
    pytest.param(_transpose_and_aliases, lambda r, T, shape, swapped: all(
        t.shape == r[1].shape and t.stride() == r[1].stride() for t in r[2:]),
        marks=claims("views.swapdims-swapaxes-alias-transpose"), id="swapdims-swapaxes"),
    pytest.param(_transpose_inplace, lambda r, T, shape, swapped: r[1] is True,
                 marks=claims("views.transpose-inplace"), id="inplace"),
]


@pytest.mark.parametrize("transpose, holds", TRANSPOSES)
@given(shape=cst.shapes(min_dims=1, max_dims=4), data=st.data())
def test_transpose_two_dims(differential, transpose, holds, shape, data):
    """``transpose(a, d0, d1)`` on a tensor of a drawn shape and dims; ``holds`` checks the claim on the
    oracle given the shape and the shape with d0 and d1 swapped."""
    d0, d1 = data.draw(cst.dim_pairs(len(shape)))
    swapped = list(shape)
    swapped[d0], swapped[d1] = swapped[d1], swapped[d0]

    def program(T, device):
        return transpose(_base(T, shape, device), d0, d1)
    differential(program, layout=True, predicate=lambda r, T: holds(r, T, shape, swapped))


@claims("views.transpose-shares-storage")
def test_transpose_shares_storage_document_example(differential):
    def program(T, device):
        x = T.tensor([[1, 2, 3], [4, 5, 6]])
        y = x.transpose(0, 1)
        return x.data_ptr() == y.data_ptr(), x.is_contiguous(), y.is_contiguous(), x, y
    differential(program, layout=True, predicate=lambda r, T: r[:3] == (True, True, False))


@claims("views.transpose-swaps-two-dims")
def test_transpose_document_examples(differential):
    def program(T, device):
        a = T.zeros(2, 3, 5)
        m = T.arange(6).view(2, 3)
        return (a.size(), a.transpose(0, -1).shape, T.zeros(1, 2, 3, 4).transpose(1, 2).shape,
                m.transpose(-2, -1))
    differential(program, layout=True,
                 predicate=lambda r, T: (tuple(r[1]), tuple(r[2])) == ((5, 3, 2), (1, 3, 2, 4))
                 and r[3].tolist() == [[0, 3], [1, 4], [2, 5]])


@claims("views.swapdims-swapaxes-alias-transpose")
def test_swapaxes_document_example(differential):
    def program(T, device):
        a = T.zeros(2, 3, 5)
        return a.swapdims(0, -1).shape, a.swapaxes(0, -1).shape
    differential(program, predicate=lambda r, T: tuple(r[0]) == tuple(r[1]) == (5, 3, 2))


@claims("views.t-attribute-reverses-dims")
@given(shape=cst.shapes(max_dims=4))
def test_t_attribute_reverses_dims(differential, shape):
    def program(T, device):
        a = _base(T, shape, device)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # the non-2-D deprecation warning is emitted once per process
            t = a.T
        return a, t, a.permute(tuple(reversed(range(len(shape)))))
    differential(program, layout=True, predicate=lambda r, T: r[1].shape == r[2].shape
                 and r[1].stride() == r[2].stride() and T.equal(r[1], r[2]))


@claims("views.t-transposes-up-to-2d")
@given(shape=cst.shapes(max_dims=2))
def test_t_transposes_up_to_2d(differential, shape):
    def program(T, device):
        a = _base(T, shape, device)
        return a, a.t(), T.t(a)
    differential(program, layout=True, predicate=lambda r, T: tuple(r[1].shape) == tuple(reversed(shape))
                 and (cst.numel(shape) == 0 or _shares(r[0], r[1])))


@claims("views.t-transposes-up-to-2d")
def test_t_document_examples(differential):
    def program(T, device):
        x = T.tensor(0.1995)
        x2 = T.tensor([2.4320, -0.4608, 0.7702])
        x3 = T.tensor([[0.4875, 0.9158, -0.5872], [0.3938, -0.6929, 0.6932]])
        for t in (x, x.t(), x2, T.t(x2), x3, T.t(x3)):
            print(t)
        return x.t(), T.t(x2), T.t(x3)
    differential(program, layout=True,
                 predicate=lambda r, T: [tuple(t.shape) for t in r] == [(), (3,), (3, 2)])


# --- permute ------------------------------------------------------------------------------------------------

@claims("views.permute-reorders-dims")
@given(shape=cst.shapes(max_dims=4), data=st.data())
def test_permute_reorders_dims(differential, shape, data):
    perm = data.draw(cst.permutations(len(shape)))

    def program(T, device):
        a = _base(T, shape, device)
        b = a.permute(perm)
        b.add_(1)          # write through the permuted view
        return [a, b] + ([a.permute(*perm)] if perm else [])
    differential(program, layout=True,
                 predicate=lambda r, T: tuple(r[1].shape) == tuple(shape[p] for p in perm)
                 and (cst.numel(shape) == 0 or _shares(r[0], r[1])))


@claims("views.permute-reorders-dims")
def test_permute_document_examples(differential):
    def program(T, device):
        a = T.zeros(2, 3, 5)
        x = T.zeros(16, 32, 3)
        nhwc = T.zeros(2, 8, 6, 3)
        return (a.permute(2, 0, 1).size(), x.permute(2, 1, 0).shape, x.permute(1, 2, 0).shape,
                nhwc.permute(0, 3, 1, 2).shape, nhwc.permute(0, 1, 3, 2).shape)
    differential(program, predicate=lambda r, T: [tuple(s) for s in r] == [
        (5, 2, 3), (3, 32, 16), (32, 3, 16), (2, 3, 8, 6), (2, 8, 3, 6)])


@claims("views.view-differs-from-permute")
def test_view_differs_from_permute(differential):
    def program(T, device):
        a = T.tensor([[1, 2, 3], [4, 5, 6]])
        viewed = a.view(3, 2)
        perm = a.permute(1, 0)
        print(viewed.shape, perm.shape)
        print(viewed == perm)
        print(viewed)
        print(perm)
        return viewed, perm, viewed == perm
    differential(program, layout=True, predicate=lambda r, T: r[0].tolist() == [[1, 2], [3, 4], [5, 6]]
                 and r[1].tolist() == [[1, 4], [2, 5], [3, 6]]
                 and r[2].tolist() == [[True, False], [False, False], [False, True]])


@claims("views.transpose-vs-permute-same-result")
@given(shape=cst.shapes(min_dims=3, max_dims=3))
def test_transpose_vs_permute_same_result(differential, shape):
    def program(T, device):
        x = _base(T, shape, device)
        return x.transpose(0, 2), x.permute(2, 1, 0), x.permute(1, 2, 0)
    differential(program, layout=True, predicate=lambda r, T: T.equal(r[0], r[1])
                 and r[0].stride() == r[1].stride() and tuple(r[2].shape) == (shape[1], shape[2], shape[0]))


# --- contiguity ---------------------------------------------------------------------------------------------

def _reshape_flat(b):
    return b.reshape(-1), b.contiguous().view(-1)


def _contiguous(b):
    return b.contiguous(), b


@pytest.mark.parametrize("copy", [
    pytest.param(_reshape_flat, marks=claims("views.reshape-copies-when-needed"), id="reshape"),
    pytest.param(_contiguous, marks=claims("views.contiguous-copies-non-contiguous"), id="contiguous"),
])
@given(case=_transposable())
def test_non_contiguous_is_copied(differential, copy, case):
    """``copy(b)`` of a non-contiguous transpose ``b`` gives a contiguous copy and what it must equal."""
    shape, d0, d1 = case

    def program(T, device):
        a = _base(T, shape, device)
        b = a.transpose(d0, d1)
        return (a, b, *copy(b))
    differential(program, layout=True, predicate=lambda r, T: not r[1].is_contiguous()
                 and r[2].is_contiguous() and not _shares(r[0], r[2]) and T.equal(r[2], r[3]))


@claims("views.contiguous-returns-self")
@given(shape=cst.shapes(max_dims=4))
def test_contiguous_returns_self(differential, shape):
    def program(T, device):
        a = _base(T, shape, device)
        return a.contiguous() is a, a
    differential(program, layout=True, predicate=lambda r, T: r[0] is True)


@claims("views.narrow-and-expand-share-storage")
@given(shape=cst.nonempty_shapes(min_dims=1, max_dims=4), data=st.data())
def test_narrow_shares_storage(differential, shape, data):
    d = data.draw(st.integers(0, len(shape) - 1))
    start = data.draw(st.integers(0, shape[d]))
    length = data.draw(st.integers(0, shape[d] - start))

    def program(T, device):
        a = _base(T, shape, device)
        return a, a.narrow(d, start, length)
    stride = cst.numel(shape[d + 1:])
    differential(program, layout=True, predicate=lambda r, T: r[1].storage_offset() == start * stride
                 and (r[1].numel() == 0 or _shares(r[0], r[1])))


@claims("views.narrow-and-expand-share-storage")
@given(shape=cst.nonempty_shapes(min_dims=1, max_dims=3, max_side=3), data=st.data())
def test_expand_shares_storage(differential, shape, data):
    ones = data.draw(st.lists(st.booleans(), min_size=len(shape), max_size=len(shape)))
    base = tuple(1 if one else s for one, s in zip(ones, shape))
    lead = data.draw(st.lists(st.integers(1, 3), max_size=2))
    target = (*lead, *(data.draw(st.integers(1, 4)) if b == 1 else b for b in base))

    def program(T, device):
        a = _base(T, base, device)
        return a, a.expand(*target)
    broadcast = [i for i, (t, b) in enumerate(zip(target, (1,) * len(lead) + base)) if b == 1 and t != 1]
    differential(program, layout=True, predicate=lambda r, T: _shares(r[0], r[1])
                 and all(r[1].stride(i) == 0 for i in broadcast))


@claims("views.narrow-and-expand-share-storage")
def test_expand_document_example(differential):
    def program(T, device):
        a = T.tensor([[1, 2]])
        return a, a.expand(3, -1)
    differential(program, layout=True, predicate=lambda r, T: r[1].stride() == (0, 1)
                 and r[1].tolist() == [[1, 2]] * 3)


@claims("views.inplace-on-expanded-raises")
def test_inplace_on_expanded_document_example(differential):
    def program(T, device):
        a = T.tensor([[1, 2]]).expand(3, -1)
        b = T.tensor([[10], [20], [30]])
        return a.sub_(b)
    oracle, _ = differential(program)
    assert isinstance(oracle, RuntimeError)


@claims("views.inplace-on-expanded-raises")
@given(rows=st.integers(2, 4), cols=st.integers(1, 4), op=st.sampled_from(["sub_", "add_", "mul_"]))
def test_inplace_on_expanded_raises(differential, rows, cols, op):
    def program(T, device):
        a = T.arange(cols, device=device).view(1, cols).expand(rows, cols)
        other = T.arange(rows, device=device).view(rows, 1)
        return getattr(a, op)(other)
    oracle, _ = differential(program)
    assert isinstance(oracle, RuntimeError)


@claims("views.clone-copies-storage")
@given(shape=cst.nonempty_shapes(max_dims=4), dtype=cst.dtypes(kinds=("int", "float")))
def test_clone_copies_storage(differential, shape, dtype):
    def program(T, device):
        a = _base(T, shape, device).to(getattr(T, dtype))
        c = a.clone()
        c.add_(1)          # must not reach a
        return a, c
    differential(program, layout=True, predicate=lambda r, T: not _shares(r[0], r[1])
                 and r[0].dtype == r[1].dtype and T.equal(r[0] + 1, r[1]))


# --- squeeze / unsqueeze ------------------------------------------------------------------------------------

@claims("views.squeeze-removes-all-unit-dims")
@given(shape=cst.shapes(max_dims=5, max_side=3))
def test_squeeze_removes_all_unit_dims(differential, shape):
    def program(T, device):
        a = _base(T, shape, device)
        return a, a.squeeze(), T.squeeze(a)
    differential(program, layout=True,
                 predicate=lambda r, T: tuple(r[1].shape) == tuple(s for s in shape if s != 1)
                 and (cst.numel(shape) == 0 or _shares(r[0], r[1])))


@claims("views.squeeze-removes-all-unit-dims", "views.squeeze-single-dim")
def test_squeeze_document_examples(differential):
    def program(T, device):
        a = T.zeros(2, 1, 2, 1, 2)
        batch = T.zeros(1, 3, 4)      # a batch of one sample loses its batch dim too
        for s in (a.size(), T.squeeze(a).size(), T.squeeze(a, 0).size(), T.squeeze(a, 1).size()):
            print(s)
        return a.squeeze().size(), T.squeeze(a, 0).size(), T.squeeze(a, 1).size(), batch.squeeze().shape
    differential(program, predicate=lambda r, T: [tuple(s) for s in r] == [
        (2, 2, 2), (2, 1, 2, 1, 2), (2, 2, 1, 2), (3, 4)])


@claims("views.squeeze-single-dim")
@given(shape=cst.shapes(max_dims=5, max_side=3), data=st.data())
def test_squeeze_single_dim(differential, shape, data):
    d = data.draw(cst.dims(len(shape)))
    expected = list(shape)
    if shape and shape[d] == 1:
        del expected[d]

    def program(T, device):
        a = _base(T, shape, device)
        return a, a.squeeze(d), T.squeeze(a, d)
    differential(program, layout=True, predicate=lambda r, T: list(r[1].shape) == expected)


@claims("views.unsqueeze-inserts-unit-dim")
@given(shape=cst.shapes(max_dims=4), data=st.data())
def test_unsqueeze_inserts_unit_dim(differential, shape, data):
    d = data.draw(st.integers(-len(shape) - 1, len(shape)))
    expected = list(shape)
    expected.insert(d if d >= 0 else d + len(shape) + 1, 1)

    def program(T, device):
        a = _base(T, shape, device)
        return a, a.unsqueeze(d), T.unsqueeze(a, d)
    differential(program, layout=True, predicate=lambda r, T: list(r[1].shape) == expected
                 and (cst.numel(shape) == 0 or _shares(r[0], r[1])))


@claims("views.unsqueeze-inserts-unit-dim")
def test_unsqueeze_document_examples(differential):
    def program(T, device):
        a = T.tensor([1, 2, 3, 4])
        print(a.size())
        b = T.unsqueeze(a, 0)
        print(b)
        print(b.size())
        c = T.unsqueeze(a, 1)
        print(c)
        print(c.size())
        return b, c, a.unsqueeze(0), T.zeros(3, 32, 32).unsqueeze(dim=0).shape
    differential(program, layout=True, predicate=lambda r, T: r[0].tolist() == [[1, 2, 3, 4]]
                 and r[1].tolist() == [[1], [2], [3], [4]] and tuple(r[3]) == (1, 3, 32, 32))


@claims("views.unsqueeze-dim-required")
@given(method=st.booleans())
def test_unsqueeze_dim_required(differential, method):
    def program(T, device):
        a = T.Tensor([[1, 2], [3, 4]])
        return a.unsqueeze() if method else T.unsqueeze(a)
    oracle, _ = differential(program)
    assert isinstance(oracle, TypeError)


@claims("views.unsqueeze-note-shapes")
def test_unsqueeze_note_shapes(differential):
    def program(T, device):
        a = T.Tensor([[1, 2], [3, 4]])
        return a.unsqueeze(0).shape, a.unsqueeze(1).shape
    differential(program, predicate=lambda r, T: (tuple(r[0]), tuple(r[1])) == ((1, 2, 2), (2, 1, 2)))


@claims("views.unsqueeze-matches-view")
@given(n=st.integers(1, 8))
def test_unsqueeze_matches_view(differential, n):
    def program(T, device):
        x = T.arange(n, device=device)
        return x.view(-1, n), x.unsqueeze(0), x.view(n, -1), x.unsqueeze(1)
    differential(program, layout=True, predicate=lambda r, T: T.equal(r[0], r[1]) and T.equal(r[2], r[3])
                 and r[0].shape == r[1].shape and r[2].shape == r[3].shape)


# --- refused arguments -------------------------------------------------------------------------------------

REFUSED_CALLS = [
    pytest.param("view", cst.nonempty_shapes(max_dims=3),
                 lambda s: cst.shapes(min_dims=1, max_dims=3).filter(lambda t: cst.numel(t) != cst.numel(s))
                 .map(lambda t: (t,)),
                 RuntimeError, marks=claims("views.view-numel-mismatch-raises"), id="view-numel-mismatch"),
    pytest.param("view", cst.nonempty_shapes(max_dims=3), lambda s: st.just((-1, -1)), RuntimeError,
                 marks=claims("views.view-two-inferred-dims-raises"), id="view-two-inferred-dims"),
    pytest.param("transpose", cst.shapes(min_dims=1, max_dims=4),
                 lambda s: cst.invalid_dims(len(s)).map(lambda bad: (0, bad)), IndexError,
                 marks=claims("views.transpose-dim-out-of-range-raises"), id="transpose-dim-out-of-range"),
    pytest.param("t", cst.shapes(min_dims=3, max_dims=5, max_side=3), lambda s: st.just(()), RuntimeError,
                 marks=claims("views.t-rejects-more-than-2d"), id="t-more-than-2d"),
    pytest.param("permute", cst.shapes(min_dims=1, max_dims=4),
                 lambda s: st.integers(0, len(s) + 1).filter(lambda k: k != len(s)).map(lambda k: (tuple(range(k)),)),
                 RuntimeError, marks=claims("views.permute-needs-every-dim"), id="permute-not-every-dim"),
    pytest.param("unsqueeze", cst.shapes(max_dims=4), lambda s: cst.invalid_dims(len(s) + 1).map(lambda bad: (bad,)),
                 IndexError, marks=claims("views.unsqueeze-dim-out-of-range-raises"), id="unsqueeze-dim-out-of-range"),
]


@pytest.mark.parametrize("method, shapes, arguments, error", REFUSED_CALLS)
@given(data=st.data())
def test_refused_arguments_raise(differential, method, shapes, arguments, error, data):
    """``method(*args)`` on a tensor of a drawn shape, with arguments ``arguments(shape)`` draws that the
    claim says are refused: both sides raise the same ``error``."""
    shape = data.draw(shapes)
    args = data.draw(arguments(shape))

    def program(T, device):
        return getattr(_base(T, shape, device), method)(*args)
    oracle, _ = differential(program)
    assert isinstance(oracle, error)
