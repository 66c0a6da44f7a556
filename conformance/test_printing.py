"""Conformance tests for spec/printing.toml: the text of printed tensors, sizes and dtypes.

Every program prints what it formats, so the harness compares the printed text byte for byte; the
predicates state each claim on torch's own text (the documents' expected outputs where they give them).
"""

import re

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from conformance import claims
from conformance import strategies as cst

EXAMPLE_X = [[0.6580, -1.0969, -0.4614], [-0.1034, -0.5790, 0.1497]]
NO_SUFFIX = {"float32", "int64", "bool", "complex64"}


def _printed(make):
    """A program that prints the tensors ``make(T)`` returns and returns their texts."""
    def program(T, device):
        texts = [str(t) for t in make(T)]
        for text in texts:
            print(text)
        return texts
    return program


def _elements(text):
    """The element strings of a one-line, 1-D tensor text (suffixes dropped)."""
    body = text[len("tensor(["):text.index("]")]
    return body.split(", ")


# --- number formats -----------------------------------------------------------------------------------------

@claims("printing.integral-floats-trailing-point")
@given(values=st.lists(st.integers(-999, 999), min_size=1, max_size=6))
def test_integral_floats_trailing_point(differential, values):
    program = _printed(lambda T: [T.tensor(values, dtype=T.float32)])
    differential(program, predicate=lambda r, T: all(re.fullmatch(r" *-?\d+\.", e) for e in _elements(r[0])))


@claims("printing.integral-floats-trailing-point")
def test_integral_floats_document_examples(differential):
    program = _printed(lambda T: [T.Tensor([[1, 2], [3, 4]]), T.ones(5), T.ones([2, 3], dtype=T.int32).float(),
                                  (T.sigmoid(T.full((4, 4), 3.0)) > 0.5).float()])
    differential(program, predicate=lambda r, T: r[:3] == [
        "tensor([[1., 2.],\n        [3., 4.]])", "tensor([1., 1., 1., 1., 1.])",
        "tensor([[1., 1., 1.],\n        [1., 1., 1.]])"] and r[3].count("1.") == 16)


@claims("printing.elements-padded-to-common-width")
@given(values=st.lists(st.integers(-999, 999), min_size=1, max_size=6), floating=st.booleans())
def test_elements_padded_to_common_width(differential, values, floating):
    program = _printed(lambda T: [T.tensor(values, dtype=T.float32 if floating else T.int64)])
    differential(program, predicate=lambda r, T: len({len(e) for e in _elements(r[0])}) == 1)


@claims("printing.elements-padded-to-common-width")
def test_common_width_document_examples(differential):
    def make(T):
        a = T.Tensor([[1, 2], [3, 4]])
        return [a ** 2, T.tensor([2.4320, -0.4608, 0.7702]),
                T.tensor([[1, 2]]).expand(3, -1).sub(T.tensor([[10], [20], [30]])),
                T.tensor([[-0.4620, 0.3139], [0.3898, -0.7197], [0.0478, -0.1657]])]
    differential(_printed(make), predicate=lambda r, T: r == [
        "tensor([[ 1.,  4.],\n        [ 9., 16.]])",
        "tensor([ 2.4320, -0.4608,  0.7702])",
        "tensor([[ -9,  -8],\n        [-19, -18],\n        [-29, -28]])",
        "tensor([[-0.4620,  0.3139],\n        [ 0.3898, -0.7197],\n        [ 0.0478, -0.1657]])"])


@claims("printing.four-decimal-fixed-point")
@given(values=st.lists(st.integers(1, 400), min_size=1, max_size=6))
def test_four_decimal_fixed_point(differential, values):
    program = _printed(lambda T: [T.tensor(values, dtype=T.float32) / 4 + 0.125])
    differential(program,
                 predicate=lambda r, T: all(re.fullmatch(r" *\d+\.\d{4}", e) for e in _elements(r[0])))


@claims("printing.four-decimal-fixed-point")
def test_four_decimal_document_examples(differential):
    program = _printed(lambda T: [T.linspace(1.0, 2.0, steps=5), T.arange(0.1, 0.5, 0.1),
                                  T.exp(T.tensor(1)), T.tensor(0.1995)])
    differential(program, predicate=lambda r, T: r == [
        "tensor([1.0000, 1.2500, 1.5000, 1.7500, 2.0000])", "tensor([0.1000, 0.2000, 0.3000, 0.4000])",
        "tensor(2.7183)", "tensor(0.1995)"])


@claims("printing.int-example-shown-as-float")
def test_int_example_prints_without_points(differential):
    program = _printed(lambda T: [T.tensor([[1, 2], [3, 4]])])
    differential(program, predicate=lambda r, T: r[0] == "tensor([[1, 2],\n        [3, 4]])"
                 and r[0] != "tensor([[1., 2.],\n        [3., 4.]])")


@claims("printing.no-padding-without-wider-elements")
@given(digits=st.integers(1, 3), count=st.integers(1, 6), data=st.data())
def test_no_padding_without_wider_elements(differential, digits, count, data):
    values = data.draw(st.lists(st.integers(10 ** (digits - 1), 10 ** digits - 1), min_size=count, max_size=count))
    program = _printed(lambda T: [T.tensor(values)])
    differential(program, predicate=lambda r, T: " " not in r[0].replace(", ", ""))


@claims("printing.no-padding-without-wider-elements")
def test_no_padding_document_examples(differential):
    def make(T):
        a = T.tensor([[-0.4620, 0.3139], [0.3898, -0.7197], [0.0478, -0.1657]])
        return [T.zeros([2, 4], dtype=T.int32), T.tensor([[0.1, 1.2], [2.2, 3.1], [4.9, 5.2]]), T.zeros(2, 3),
                T.from_numpy(np.array([1, 2, 3])), T.tensor([0, 2, 0, 1]), T.where(a > 0, a, T.ones(3, 2))]
    differential(_printed(make), predicate=lambda r, T: r == [
        "tensor([[0, 0, 0, 0],\n        [0, 0, 0, 0]], dtype=torch.int32)",
        "tensor([[0.1000, 1.2000],\n        [2.2000, 3.1000],\n        [4.9000, 5.2000]])",
        "tensor([[0., 0., 0.],\n        [0., 0., 0.]])",
        "tensor([1, 2, 3])",
        "tensor([0, 2, 0, 1])",
        "tensor([[1.0000, 0.3139],\n        [0.3898, 1.0000],\n        [0.0478, 1.0000]])"])


@claims("printing.integral-float64-not-four-decimals")
def test_integral_float64_document_example(differential):
    program = _printed(lambda T: [T.ones([2, 4], dtype=T.float64)])
    differential(program, predicate=lambda r, T: r[0] == (
        "tensor([[1., 1., 1., 1.],\n        [1., 1., 1., 1.]], dtype=torch.float64)"))


# --- suffixes and names -------------------------------------------------------------------------------------

@claims("printing.dtype-suffix")
@given(dtype=cst.dtypes(), shape=cst.nonempty_shapes(max_dims=2, max_side=3))
def test_dtype_suffix(differential, dtype, shape):
    program = _printed(lambda T: [T.ones(shape, dtype=getattr(T, dtype))])
    differential(program,
                 predicate=lambda r, T: r[0].endswith(f", dtype=torch.{dtype})") != (dtype in NO_SUFFIX))


@claims("printing.dtype-suffix")
def test_dtype_suffix_document_examples(differential):
    def make(T):
        a = T.tensor([[1.0779, 0.0383], [-0.8785, -1.1089]], dtype=T.double)
        return [T.ones([2, 3], dtype=T.int32), a, T.where(a > 0, a, 0.)]
    differential(_printed(make), predicate=lambda r, T: r == [
        "tensor([[1, 1, 1],\n        [1, 1, 1]], dtype=torch.int32)",
        "tensor([[ 1.0779,  0.0383],\n        [-0.8785, -1.1089]], dtype=torch.float64)",
        "tensor([[1.0779, 0.0383],\n        [0.0000, 0.0000]], dtype=torch.float64)"])


@claims("printing.dtype-suffix-follows-default-dtype")
@given(values=st.lists(st.integers(-9, 9), min_size=1, max_size=4))
def test_dtype_suffix_follows_default_dtype(differential, values):
    def program(T, device):
        T.set_default_dtype(T.float64)
        try:
            texts = [str(T.tensor(values, dtype=T.float64)), str(T.tensor(values, dtype=T.float32))]
        finally:
            T.set_default_dtype(T.float32)
        print(*texts, sep="\n")
        return texts
    differential(program,
                 predicate=lambda r, T: "dtype" not in r[0] and r[1].endswith(", dtype=torch.float32)"))


@claims("printing.dtype-suffix-follows-default-dtype")
def test_default_float64_document_example(differential):
    def program(T, device):
        T.set_default_dtype(T.float64)
        try:
            a = T.Tensor([[1, 2], [3, 4]])
            b = T.tensor([[1, 2], [3, 4]]).double()
            texts = [str(a), str(b)]
        finally:
            T.set_default_dtype(T.float32)
        print(*texts, sep="\n")
        return texts
    differential(program, predicate=lambda r, T: r == ["tensor([[1., 2.],\n        [3., 4.]])"] * 2)


@claims("printing.dtype-repr")
@given(dtype=cst.dtypes(exclude=()))
def test_dtype_repr(differential, dtype):
    def program(T, device):
        d = getattr(T, dtype)
        print(d)
        return str(d), repr(d)
    differential(program, predicate=lambda r, T: r == (f"torch.{dtype}", f"torch.{dtype}"))


@claims("printing.dtype-repr")
def test_dtype_repr_document_examples(differential):
    def program(T, device):
        dtypes = [T.Tensor([[1, 2], [3, 4]]).dtype, T.tensor([[1, 2], [3, 4]]).dtype,
                  T.tensor([[1, 2], [3, 4]]).double().dtype, T.rand(5, 1, 8, 8).dtype]
        for d in dtypes:
            print(d)
        return [str(d) for d in dtypes]
    differential(program, predicate=lambda r, T: r == ["torch.float32", "torch.int64", "torch.float64",
                                                       "torch.float32"])


@claims("printing.zero-dim")
@given(value=cst.float_values(), integer=st.integers(-10**6, 10**6))
def test_zero_dim(differential, value, integer):
    program = _printed(lambda T: [T.tensor(value), T.tensor(integer)])
    differential(program, predicate=lambda r, T: all(t.startswith("tensor(") and "[" not in t for t in r)
                 and r[1] == f"tensor({integer})")


@claims("printing.zero-dim-float-has-four-decimals")
def test_zero_dim_document_example(differential):
    def program(T, device):
        T.manual_seed(0)
        a = T.rand(4, 4)
        b = a.view(2, 8)
        b[0][0] = 3.14
        print(a[0][0])
        return str(a[0][0])
    differential(program, predicate=lambda r, T: r == "tensor(3.1400)")


@claims("printing.arange-has-commas")
def test_arange_document_examples(differential):
    program = _printed(lambda T: [T.arange(8), T.arange(3, 8), T.arange(3, 8, 2)])
    differential(program, predicate=lambda r, T: r == [
        "tensor([0, 1, 2, 3, 4, 5, 6, 7])", "tensor([3, 4, 5, 6, 7])", "tensor([3, 5, 7])"])


@claims("printing.bool-elements")
@given(values=st.lists(st.booleans(), min_size=1, max_size=8))
def test_bool_elements(differential, values):
    program = _printed(lambda T: [T.tensor(values)])
    width = 5 if False in values else 4
    differential(program,
                 predicate=lambda r, T: [e.strip() for e in _elements(r[0])] == [str(v) for v in values]
                 and all(len(e) == width for e in _elements(r[0])))


@claims("printing.bool-elements")
def test_bool_document_example(differential):
    def make(T):
        a = T.tensor([[1, 2, 3], [4, 5, 6]])
        return [a.view(3, 2) == a.permute(1, 0)]
    differential(_printed(make), predicate=lambda r, T: r[0] == (
        "tensor([[ True, False],\n        [False, False],\n        [False,  True]])"))


# --- layout of the text -------------------------------------------------------------------------------------

@claims("printing.rows-on-separate-lines")
@given(rows=st.integers(1, 5), cols=st.integers(1, 5))
def test_rows_on_separate_lines(differential, rows, cols):
    program = _printed(lambda T: [T.arange(rows * cols).view(rows, cols)])
    differential(program, predicate=lambda r, T: r[0].count("\n") == rows - 1
                 and all(line.startswith("        [") for line in r[0].split("\n")[1:]))


@claims("printing.rows-on-separate-lines")
def test_rows_document_examples(differential):
    def make(T):
        a = T.tensor([1, 2, 3, 4])
        return [T.arange(4).view(2, 2).view(4, 1), T.unsqueeze(a, 0), T.unsqueeze(a, 1)]
    differential(_printed(make), predicate=lambda r, T: r == [
        "tensor([[0],\n        [1],\n        [2],\n        [3]])", "tensor([[1, 2, 3, 4]])",
        "tensor([[1],\n        [2],\n        [3],\n        [4]])"])


@claims("printing.blocks-separated-by-blank-lines")
@given(shape=cst.nonempty_shapes(min_dims=3, max_dims=4, max_side=3))
def test_blocks_separated_by_blank_lines(differential, shape):
    program = _printed(lambda T: [T.arange(cst.numel(shape)).view(shape)])
    differential(program, predicate=lambda r, T: r[0].count("\n\n") == shape[0] * cst.numel(shape[1:-2]) - 1)


@claims("printing.blocks-separated-by-blank-lines")
def test_blocks_document_examples(differential):
    def make(T):
        model_preds = T.Tensor([[[[0.1, 0.4, 0.2]], [[0.3, 0.6, 0.7]]]])
        e = model_preds.exp()
        return [e / e.sum(dim=1, keepdim=True), T.tensor([1, 2])[:, None, None]]
    differential(_printed(make), predicate=lambda r, T: r == [
        "tensor([[[[0.4502, 0.4502, 0.3775]],\n\n         [[0.5498, 0.5498, 0.6225]]]])",
        "tensor([[[1]],\n\n        [[2]]])"])


@claims("printing.tuple-display-indent")
def test_tuple_display_document_examples(differential):
    def program(T, device):
        x = T.tensor([1, 2, 3, 4])
        y = T.ones([2, 3], dtype=T.int32).float()
        pairs = [(T.unsqueeze(x, 0), T.unsqueeze(x, 0).shape), (T.unsqueeze(x, 1), T.unsqueeze(x, 1).shape),
                 (y, y.dtype)]
        for pair in pairs:
            print(pair)
        return [str(pair) for pair in pairs]
    differential(program, predicate=lambda r, T: r == [
        "(tensor([[1, 2, 3, 4]]), torch.Size([1, 4]))",
        "(tensor([[1],\n        [2],\n        [3],\n        [4]]), torch.Size([4, 1]))",
        "(tensor([[1., 1., 1.],\n        [1., 1., 1.]]), torch.float32)"])


@claims("printing.full-profile-prints-everything")
@given(n=st.integers(1001, 1400), boolean=st.booleans())
def test_full_profile_prints_everything(differential, n, boolean):
    def program(T, device):
        t = T.arange(n) % 3 == 0 if boolean else T.arange(n)
        summarised = str(t)
        T.set_printoptions(profile="full")
        try:
            full = str(t)
        finally:
            T.set_printoptions(profile="default")
        print(summarised)
        print(full)
        return summarised, full
    differential(program, predicate=lambda r, T: "..." in r[0] and "..." not in r[1]
                 and len(_elements(r[1].replace("\n", "").replace("        ", " "))) == n)


@claims("printing.wide-rows-wrap-at-linewidth")
def test_wide_rows_document_example(differential):
    def make(T):
        x = T.tensor(EXAMPLE_X)
        return [T.cat((x, x, x), 1)]
    differential(_printed(make), predicate=lambda r, T: r[0] == (
        "tensor([[ 0.6580, -1.0969, -0.4614,  0.6580, -1.0969, -0.4614,  0.6580, -1.0969,\n"
        "         -0.4614],\n"
        "        [-0.1034, -0.5790,  0.1497, -0.1034, -0.5790,  0.1497, -0.1034, -0.5790,\n"
        "          0.1497]])"))


@claims("printing.wide-rows-wrap-at-linewidth")
@given(values=st.lists(st.integers(-99999, 99999), min_size=8, max_size=40))
def test_wide_rows_wrap_at_linewidth(differential, values):
    program = _printed(lambda T: [T.tensor(values, dtype=T.float32) / 1000])
    differential(program, predicate=lambda r, T: all(len(line) <= 80 for line in r[0].split("\n")))


@claims("printing.size-repr")
@given(shape=cst.shapes(max_dims=5))
def test_size_repr(differential, shape):
    def program(T, device):
        s = T.zeros(shape).shape
        print(s)
        return str(s), repr(s)
    text = "torch.Size([" + ", ".join(map(str, shape)) + "])"
    differential(program, predicate=lambda r, T: r == (text, text))


@claims("printing.size-repr")
def test_size_repr_document_examples(differential):
    def program(T, device):
        a = T.zeros(2, 3, 5)
        sizes = [a.size(), a.transpose(0, -1).shape, T.zeros(2, 1, 2, 1, 2).squeeze().size()]
        for s in sizes:
            print(s)
        return [str(s) for s in sizes]
    differential(program, predicate=lambda r, T: r == [
        "torch.Size([2, 3, 5])", "torch.Size([5, 3, 2])", "torch.Size([2, 2, 2])"])


@claims("printing.size-repr-doc-spacing")
def test_size_repr_doc_spacing(differential):
    def program(T, device):
        sizes = [T.rand(4, 6).size(), T.cat((T.ones(4, 4), T.zeros(4, 4)), 1).shape, T.Size([11, 8]),
                 T.Tensor(np.zeros((500, 2))).shape]
        for s in sizes:
            print(s)
        return [str(s) for s in sizes]
    differential(program, predicate=lambda r, T: r == [
        "torch.Size([4, 6])", "torch.Size([4, 8])", "torch.Size([11, 8])", "torch.Size([500, 2])"])
