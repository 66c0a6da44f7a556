"""Differential tests of reftorch._tensor_str against torch's repr (the oracle).

A small wrapper exposes a torch tensor through the interface ``tensor_repr`` reads (dtype, shape,
device, requires_grad, grad_fn, _host_values), so the printer is tested independently of
reftorch's Tensor class. Every expected string is ``repr`` of the real torch tensor.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from reftorch import _dtype
from reftorch import _tensor_str as rts

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64",
          "float16", "float32", "float64", "complex64", "complex128"]
FLOATING = ("float16", "float32", "float64", "complex64", "complex128")


class _Device:
    def __init__(self, type_: str, text: str):
        self.type = type_
        self._text = text

    def __str__(self) -> str:
        return self._text


class _GradFn:
    def __init__(self, name: str):
        self._name = name

    def name(self) -> str:
        return self._name


class FakeTensor:
    """The attributes of a reftorch Tensor that the printer uses, read from a torch tensor."""

    def __init__(self, t: torch.Tensor, device: _Device | None = None):
        self._t = t
        self.dtype = getattr(_dtype, str(t.dtype).split(".")[1])
        self.shape = tuple(t.shape)
        self.device = device or _Device(t.device.type, str(t.device))
        self.requires_grad = t.requires_grad
        self.grad_fn = None if t.grad_fn is None else _GradFn(type(t.grad_fn).__name__)
        self.is_leaf = t.is_leaf

    def _host_values(self) -> np.ndarray:
        return self._t.detach().numpy()


@contextlib.contextmanager
def both_printoptions(**opts: Any) -> Iterator[None]:
    """Apply the same options to torch and reftorch for the block (each restores its own)."""
    with torch._tensor_str.printoptions(**opts), rts.printoptions(**opts):
        yield


@contextlib.contextmanager
def both_default_dtype(name: str) -> Iterator[None]:
    old_torch, old_ref = torch.get_default_dtype(), _dtype.get_default_dtype()
    torch.set_default_dtype(getattr(torch, name))
    _dtype.set_default_dtype(getattr(_dtype, name))
    try:
        yield
    finally:
        torch.set_default_dtype(old_torch)
        _dtype.set_default_dtype(old_ref)


@pytest.fixture(autouse=True)
def _restore_print_state() -> Iterator[None]:
    torch_opts, ref_opts = torch._tensor_str.get_printoptions(), rts.get_printoptions()
    torch_default, ref_default = torch.get_default_dtype(), _dtype.get_default_dtype()
    yield
    torch.set_printoptions(**torch_opts)
    rts.set_printoptions(**ref_opts)
    torch.set_default_dtype(torch_default)
    _dtype.set_default_dtype(ref_default)


def assert_same_repr(t: torch.Tensor, **fake_kwargs: Any) -> None:
    expected = repr(t)
    assert rts.tensor_repr(FakeTensor(t, **fake_kwargs)) == expected


def make_tensor(values: np.ndarray, dtype: str, shape: tuple[int, ...]) -> torch.Tensor:
    """A torch tensor holding ``values`` cast to ``dtype`` (float16 rounding done once, by NumPy)."""
    with np.errstate(over="ignore", invalid="ignore"):
        arr = np.asarray(values).astype(dtype).reshape(shape)
    return torch.from_numpy(arr.copy())


# --- strategies -------------------------------------------------------------------------------

SPECIAL_FLOATS = [0.0, -0.0, math.nan, math.inf, -math.inf, 0.5, 1e-5, 1e-4, 1e8, 1.5e8, 123456.789,
                  1e-30, 1e30, 65504.0, 6e-8]
float_values = st.one_of(
    st.integers(-1000, 1000).map(float),
    st.sampled_from(SPECIAL_FLOATS),
    st.floats(-10, 10),
    st.floats(allow_nan=True, allow_infinity=True),
    st.builds(lambda m, e: m * 10.0 ** e, st.floats(-10, 10), st.integers(-12, 12)),
)
small_shapes = st.lists(st.integers(0, 5), min_size=0, max_size=4).map(tuple)
large_shapes = st.sampled_from([(1001,), (1200,), (2, 600), (40, 30), (11, 11, 11), (3, 4, 100),
                                (2, 2, 2, 200), (1, 1100), (1100, 1), (7, 200)])
print_opts = st.fixed_dictionaries({}, optional={
    "precision": st.integers(0, 10),
    "threshold": st.one_of(st.integers(0, 1500), st.just(math.inf)),
    "edgeitems": st.integers(0, 5),
    "linewidth": st.integers(5, 200),
    "profile": st.sampled_from(["default", "short", "full"]),
    "sci_mode": st.booleans(),
})


def pool_values(draw: st.DrawFn, dtype: str) -> list[Any]:
    """A short list of element values suited to ``dtype``."""
    if dtype == "bool":
        return draw(st.lists(st.booleans(), min_size=1, max_size=8))
    if dtype in ("uint8", "int8", "int16", "int32", "int64"):
        info = np.iinfo(dtype)
        ints = st.one_of(st.integers(int(info.min), int(info.max)), st.integers(-5, 100).filter(
            lambda v: info.min <= v <= info.max))
        return draw(st.lists(ints, min_size=1, max_size=8))
    if dtype.startswith("complex"):
        return draw(st.lists(st.builds(complex, float_values, float_values), min_size=1, max_size=8))
    return draw(st.lists(float_values, min_size=1, max_size=8))


@st.composite
def tensors(draw: st.DrawFn, shapes: st.SearchStrategy = small_shapes) -> torch.Tensor:
    dtype = draw(st.sampled_from(DTYPES))
    shape = draw(shapes)
    pool = pool_values(draw, dtype)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    values = np.array(pool, dtype=object)[rng.integers(0, len(pool), size=math.prod(shape))]
    if dtype in FLOATING and draw(st.booleans()):
        # Continuous values of one drawn magnitude on top of the pool (fixed-point tensors).
        noise = rng.standard_normal(values.size) * 10.0 ** draw(st.integers(-6, 9))
        values = np.where(rng.random(values.size) < 0.5, noise, values)
    if dtype in FLOATING:
        values = values.astype(np.complex128 if dtype.startswith("complex") else np.float64)
    t = make_tensor(values, dtype, shape)
    grad = draw(st.sampled_from(["none", "leaf", "nonleaf"])) if dtype in FLOATING else "none"
    if grad != "none":
        t = t.requires_grad_()
        if grad == "nonleaf":
            t = t.clone()
    return t


# --- differential property tests --------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(t=tensors(), opts=print_opts)
def test_repr_matches_torch_small(t: torch.Tensor, opts: dict[str, Any]) -> None:
    with both_printoptions(**opts):
        assert_same_repr(t)


@settings(max_examples=40, deadline=None)
@given(t=tensors(large_shapes), opts=print_opts)
def test_repr_matches_torch_large(t: torch.Tensor, opts: dict[str, Any]) -> None:
    """More than 1000 elements: summarised with ``...`` unless threshold/profile say otherwise."""
    with both_printoptions(**opts):
        assert_same_repr(t)


@settings(max_examples=60, deadline=None)
@given(t=tensors(), opts=print_opts)
def test_repr_matches_torch_with_double_default(t: torch.Tensor, opts: dict[str, Any]) -> None:
    """With float64 default, float32/complex64 print their dtype and float64/complex128 do not."""
    with both_default_dtype("float64"), both_printoptions(**opts):
        assert_same_repr(t)


# --- targeted cases ---------------------------------------------------------------------------

@pytest.mark.parametrize("values, dtype", [
    ([-0.0], "float32"),
    ([-0.0, 0.0, 1.0], "float32"),
    ([0.0, math.nan, math.inf, -math.inf], "float64"),
    ([1.0, 2.5, math.nan], "float16"),
    ([1e-5, 1.0], "float32"),
    ([1e10, 2.0], "float64"),
    ([1.0, 1001.0], "float32"),
    ([1.0, 1000.0], "float32"),
    ([1.0, 1000.5], "float32"),
    ([0.25, 250.0], "float64"),
    ([1e8, 1.0], "float64"),
    ([100000000.5], "float64"),
    ([1e-4, 0.5], "float64"),
    ([1e8], "float64"),
    ([1e8, -5e7], "float32"),
    ([1e-4], "float64"),
    ([123456789.0], "float64"),
    ([65504.0, 6e-8], "float16"),
    ([1 + 2j, -0.0 - 0.0j, complex(math.nan, 1), complex(0, -math.inf)], "complex64"),
    ([complex(1e-9, 3), complex(-2, 1e9)], "complex128"),
    ([True, False], "bool"),
    ([0, 255], "uint8"),
    ([-(2**63), 2**63 - 1], "int64"),
])
def test_repr_targeted_vectors(values: list[Any], dtype: str) -> None:
    assert_same_repr(make_tensor(np.array(values), dtype, (len(values),)))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(), (0,), (0, 3), (2, 0, 1), (1,), (3, 1, 2)])
def test_repr_shapes_and_dtypes(dtype: str, shape: tuple[int, ...]) -> None:
    """0-dim, zero-size (size= and dtype= suffixes) and small n-d tensors of every dtype."""
    values = (np.arange(math.prod(shape)) % 3 - 1) * 1.5 if dtype in FLOATING else np.arange(math.prod(shape)) % 2
    assert_same_repr(make_tensor(values, dtype, shape))


@pytest.mark.parametrize("opts", [
    {"edgeitems": 0, "threshold": 3},
    {"edgeitems": 1, "threshold": 0},
    {"threshold": 0},
    {"precision": 0},
    {"precision": 8, "linewidth": 20},
    {"sci_mode": True},
    {"sci_mode": False},
    {"profile": "short"},
    {"profile": "full"},
])
@pytest.mark.parametrize("shape", [(), (10,), (3, 4), (2, 3, 4), (1001,)])
def test_repr_printoption_edges(opts: dict[str, Any], shape: tuple[int, ...]) -> None:
    values = np.linspace(-3.14159, 1234.5, math.prod(shape))
    with both_printoptions(**opts):
        assert_same_repr(make_tensor(values, "float32", shape))
        assert_same_repr(make_tensor(values + 1j * values[::-1], "complex64", shape))


@pytest.mark.parametrize("shape", [(10,), (3, 4), (2, 3, 4), (1000,), (4, 1, 3)])
@pytest.mark.parametrize("extra", [-1, 0])
def test_repr_threshold_boundary(shape: tuple[int, ...], extra: int) -> None:
    """Summarisation starts only when numel exceeds the threshold."""
    t = torch.arange(math.prod(shape), dtype=torch.float32).reshape(shape)
    with both_printoptions(threshold=math.prod(shape) + extra, edgeitems=1):
        assert_same_repr(t)


def test_repr_negative_edgeitems_errors_like_torch() -> None:
    """A summarised n-d tensor with negative edgeitems makes torch's stack fail with RuntimeError."""
    with both_printoptions(edgeitems=-1, threshold=3):
        assert_same_repr(torch.arange(10.0))  # 1-D: slicing semantics only
        with pytest.raises(RuntimeError, match="stack expects a non-empty TensorList"):
            repr(torch.ones(3, 4))
        with pytest.raises(RuntimeError, match="stack expects a non-empty TensorList"):
            rts.tensor_repr(FakeTensor(torch.ones(3, 4)))


@pytest.mark.parametrize("linewidth", range(10, 50))
def test_line_wrapping_exact_fit(linewidth: int) -> None:
    """Elements per line is floor((linewidth - indent) / element width), including exact fits."""
    with both_printoptions(linewidth=linewidth):
        assert_same_repr(torch.arange(30.0))
        assert_same_repr(torch.arange(60).reshape(2, 30))
        assert_same_repr(torch.arange(20.0) * (1 - 1j))


@pytest.mark.parametrize("linewidth", [10, 40, 60, 80])
@pytest.mark.parametrize("n", [0, 1, 5, 14, 17])
def test_suffix_wrapping(linewidth: int, n: int) -> None:
    """dtype=, requires_grad= and grad_fn= suffixes wrap onto indented lines past linewidth."""
    base = torch.linspace(-1, 1, n, dtype=torch.float64)
    with both_printoptions(linewidth=linewidth):
        assert_same_repr(base)
        assert_same_repr(base.clone().requires_grad_())
        assert_same_repr(base.clone().requires_grad_() * 2)
        assert_same_repr(base.reshape(-1, 1).clone().requires_grad_().sum(1))


@pytest.mark.parametrize("linewidth", [30, 80])
def test_device_suffix_position_and_wrapping(monkeypatch: pytest.MonkeyPatch, linewidth: int) -> None:
    """A tensor off the default device gets ``device='...'`` as its first suffix.

    A CPU-only torch prints that suffix when its default device is patched to something else; the
    fake tensor reports a non-CPU device type with the same text, so the suffix order and wrapping
    are compared against torch.
    """
    monkeypatch.setattr(torch._C, "_get_default_device", lambda: "cuda")
    device = _Device("cuda", "cpu")
    with both_printoptions(linewidth=linewidth):
        for t in [torch.arange(12.0).reshape(3, 4).requires_grad_(), torch.ones(0, dtype=torch.int32),
                  torch.tensor([1, 2], dtype=torch.int16) , torch.ones(2, 2, dtype=torch.float64) * 3]:
            assert_same_repr(t, device=device)


def test_cuda_device_suffix_from_torch_docs() -> None:
    """torch.segment_reduce's documented CUDA output (torch/_torch_docs.py)."""
    t = torch.tensor([[5, 6, 7, 8], [9, 10, 11, 12]], dtype=torch.float32)
    expected = "tensor([[ 5.,  6.,  7.,  8.],\n        [ 9., 10., 11., 12.]], device='cuda:0')"
    assert rts.tensor_repr(FakeTensor(t, device=_Device("cuda", "cuda:0"))) == expected


def test_tensor_contents_replaces_body() -> None:
    t = torch.arange(6.0).reshape(2, 3).requires_grad_()
    assert rts.tensor_repr(FakeTensor(t), tensor_contents="[...]") == torch._tensor_str._str(
        t, tensor_contents="[...]")
    e = torch.ones(0, 2)
    assert rts.tensor_repr(FakeTensor(e), tensor_contents="X") == torch._tensor_str._str(e, tensor_contents="X")


# --- print options ----------------------------------------------------------------------------

@settings(max_examples=100, deadline=None)
@given(calls=st.lists(print_opts, min_size=1, max_size=4))
def test_set_printoptions_state_matches_torch(calls: list[dict[str, Any]]) -> None:
    """Profiles first, explicit options override, sci_mode always reset to its argument."""
    with both_printoptions():
        for opts in calls:
            torch.set_printoptions(**opts)
            rts.set_printoptions(**opts)
            assert rts.get_printoptions() == torch._tensor_str.get_printoptions()


def test_get_printoptions_defaults_and_unknown_profile() -> None:
    rts.set_printoptions(profile="default")
    torch.set_printoptions(profile="default")
    assert rts.get_printoptions() == torch._tensor_str.get_printoptions() == {
        "precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80, "sci_mode": None}
    rts.set_printoptions(profile="nonsense", precision=7, sci_mode=True)
    torch.set_printoptions(profile="nonsense", precision=7, sci_mode=True)
    assert rts.get_printoptions() == torch._tensor_str.get_printoptions()


def test_printoptions_context_restores_on_error() -> None:
    rts.set_printoptions(precision=6, sci_mode=False)
    torch.set_printoptions(precision=6, sci_mode=False)
    before = rts.get_printoptions()
    with (pytest.raises(ValueError), rts.printoptions(profile="full", linewidth=20),
          torch._tensor_str.printoptions(profile="full", linewidth=20)):
        assert rts.get_printoptions() == torch._tensor_str.get_printoptions()
        raise ValueError
    assert rts.get_printoptions() == torch._tensor_str.get_printoptions() == before
