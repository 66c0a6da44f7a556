"""F.scaled_dot_product_attention, F.multi_head_attention_forward and nn.MultiheadAttention against torch.

Values at float32 tolerance (rtol 1.3e-6, atol 1e-5). ``grad_fn`` names are left out where torch's CPU takes
its fused kernel (ScaledDotProductFlashAttentionForCpuBackward0) or ``baddbmm`` where reftorch composes the
math path from its own nodes; every other observable, gradients included, is compared.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import reftorch
from conformance.compare import Outcome, compare_outcomes
from tests.helpers import UNIT, outcome


def same(fn: Callable[[Any], Any], *, grad_fns: bool = False, rtol: float | None = None,
         atol: float | None = None) -> None:
    """``fn(torch)`` and ``fn(reftorch)`` agree (values at float32 tolerance, exceptions by type and message)."""
    kind_t, theirs = outcome(fn, torch)
    kind_o, ours = outcome(fn, reftorch)
    options = dataclasses.replace(UNIT, messages=True, grad_fns=grad_fns)
    if rtol is not None or atol is not None:
        options = dataclasses.replace(options, tolerance=dataclasses.replace(options.tolerance, rtol=rtol, atol=atol))
    lines = compare_outcomes(Outcome(error=theirs) if kind_t == "error" else Outcome(result=theirs),
                             Outcome(error=ours) if kind_o == "error" else Outcome(result=ours), options, [])
    assert not lines, "torch (oracle) vs reftorch (impl):\n  " + "\n  ".join(lines)


def randn(T: Any, *shape: int, seed: int = 0, grad: bool = False) -> Any:
    t = T.from_numpy(np.random.default_rng(seed).standard_normal(shape).astype(np.float32))
    return t.requires_grad_(grad)


def sdpa_grads(T: Any, shapes: tuple[tuple[int, ...], ...], **kwargs: Any) -> Any:
    q, k, v = (randn(T, *s, seed=i, grad=True) for i, s in enumerate(shapes))
    out = T.nn.functional.scaled_dot_product_attention(q, k, v, **kwargs)
    (out * randn(T, *out.shape, seed=9)).sum().backward()
    return out, q.grad, k.grad, v.grad


# ---- scaled_dot_product_attention
@pytest.mark.parametrize("shapes", [((2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 6)), ((4, 8), (5, 8), (5, 8)),
                                    ((3, 4, 8), (3, 6, 8), (3, 6, 8)), ((1, 2, 1, 4), (1, 2, 1, 4), (1, 2, 1, 4))])
def test_sdpa_values_and_grads(shapes: Any) -> None:
    same(lambda T: sdpa_grads(T, shapes))


@pytest.mark.parametrize("scale", [0.3, -0.5, 2.0])
def test_sdpa_scale(scale: float) -> None:
    same(lambda T: sdpa_grads(T, ((2, 2, 4, 8),) * 3, scale=scale))


@pytest.mark.parametrize("shapes", [((2, 2, 4, 8),) * 3, ((2, 2, 3, 8), (2, 2, 5, 8), (2, 2, 5, 8)),
                                    ((2, 2, 5, 8), (2, 2, 3, 8), (2, 2, 3, 8))])
def test_sdpa_causal(shapes: Any) -> None:
    same(lambda T: sdpa_grads(T, shapes, is_causal=True))


def test_sdpa_bool_and_float_masks() -> None:
    bool_mask = np.random.default_rng(3).random((4, 5)) > 0.4
    bool_mask[1] = False  # a fully masked row: torch's _safe_softmax gives 0 there
    same(lambda T: sdpa_grads(T, ((2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 8)), attn_mask=T.from_numpy(bool_mask)))
    same(lambda T: sdpa_grads(T, ((2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 8)), attn_mask=randn(T, 3, 1, 5, seed=7)))
    same(lambda T: sdpa_grads(T, ((4, 8), (5, 8), (5, 8)), attn_mask=T.from_numpy(bool_mask)))


def test_sdpa_float_mask_gradient() -> None:
    def program(T: Any) -> Any:
        mask = randn(T, 4, 5, seed=4, grad=True)
        q, k, v = (randn(T, 2, 4 if i == 0 else 5, 8, seed=i) for i in range(3))
        T.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask).sum().backward()
        return mask.grad
    same(program)


@pytest.mark.parametrize("shapes", [((2, 2, 4, 8),) * 3, ((3, 4, 8),) * 3])
def test_sdpa_dropout_stream(shapes: Any) -> None:
    def program(T: Any) -> Any:
        T.manual_seed(123)
        out = sdpa_grads(T, shapes, dropout_p=0.4)
        return out, T.rand(3)  # the generator is left where torch leaves it
    same(program, grad_fns=True)


def test_sdpa_gqa() -> None:
    same(lambda T: sdpa_grads(T, ((2, 4, 3, 8), (2, 2, 5, 8), (2, 2, 5, 8)), enable_gqa=True))


def test_sdpa_errors() -> None:
    F = "nn.functional.scaled_dot_product_attention"

    def call(T: Any, *args: Any, **kwargs: Any) -> Any:
        return eval(f"T.{F}")(*args, **kwargs)  # noqa: S307 - a fixed attribute path
    same(lambda T: call(T, randn(T, 2, 4, 8), randn(T, 2, 4, 8).double(), randn(T, 2, 4, 8)))
    same(lambda T: call(T, randn(T, 8), randn(T, 2, 8), randn(T, 2, 8)))
    same(lambda T: call(T, randn(T, 2, 4, 8), randn(T, 2, 4, 8), randn(T, 2, 4, 8),
                        attn_mask=T.zeros(4, 4, dtype=T.int64)))
    same(lambda T: call(T, randn(T, 2, 4, 8), randn(T, 2, 4, 8), randn(T, 2, 4, 8),
                        attn_mask=T.zeros(4, 4), is_causal=True))


# ---- MultiheadAttention
def mha_program(T: Any, *, kwargs: dict, call: dict, qkv: str = "self", shapes: tuple = ((5, 2, 8), (6, 2, 8)),
                train: bool = False, seed: int = 0) -> Any:
    T.manual_seed(seed)
    mha = T.nn.MultiheadAttention(**kwargs)
    if not train:
        mha.eval()
    q = randn(T, *shapes[0], seed=1, grad=True)
    if qkv == "self":
        k = v = q
    elif qkv == "kv":
        k = v = randn(T, *shapes[1], seed=2, grad=True)
    else:
        k = randn(T, *shapes[1], seed=2, grad=True)
        v = randn(T, *shapes[1][:-1], kwargs.get("vdim") or shapes[1][-1], seed=3, grad=True)
    out, weights = mha(q, k, v, **call)
    loss = (out * randn(T, *out.shape, seed=9)).sum()
    if weights is not None:
        loss = loss + (weights * randn(T, *weights.shape, seed=10)).sum()
    loss.backward()
    grads = {name: p.grad for name, p in mha.named_parameters()}
    return out, weights, q.grad, dict(mha.named_parameters()), grads


def test_mha_init_matches_torch_stream() -> None:
    def program(T: Any) -> Any:
        T.manual_seed(5)
        a = T.nn.MultiheadAttention(8, 2, add_bias_kv=True)
        b = T.nn.MultiheadAttention(8, 2, kdim=4, vdim=6, bias=False)
        return dict(a.named_parameters()), dict(b.named_parameters()), T.rand(2), repr(a), repr(b)
    same(program, grad_fns=True, rtol=0, atol=0)


@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("qkv", ["self", "kv", "separate"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_mha_values_and_grads(need_weights: bool, qkv: str, batch_first: bool) -> None:
    same(lambda T: mha_program(T, kwargs={"embed_dim": 8, "num_heads": 2, "batch_first": batch_first},
                               call={"need_weights": need_weights}, qkv=qkv))


@pytest.mark.parametrize("kwargs", [{"kdim": 4, "vdim": 6}, {"bias": False}, {"add_bias_kv": True},
                                    {"add_zero_attn": True}, {"add_bias_kv": True, "add_zero_attn": True}])
@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_options(kwargs: dict, need_weights: bool) -> None:
    qkv = "separate" if "kdim" in kwargs else "kv"
    shapes = ((5, 2, 8), (6, 2, kwargs.get("kdim", 8)))
    same(lambda T: mha_program(T, kwargs={"embed_dim": 8, "num_heads": 4, **kwargs},
                               call={"need_weights": need_weights}, qkv=qkv, shapes=shapes))


@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("average", [True, False])
def test_mha_masks(need_weights: bool, average: bool) -> None:
    rng = np.random.default_rng(11)
    padding = rng.random((2, 6)) > 0.7
    padding[:, 0] = False
    attn = rng.random((5, 6)) > 0.8
    attn[:, 1] = False
    for call in ({"key_padding_mask": padding}, {"attn_mask": attn}, {"attn_mask": attn, "key_padding_mask": padding},
                 {"attn_mask": rng.standard_normal((5, 6)).astype(np.float32)},
                 {"attn_mask": rng.standard_normal((4, 5, 6)).astype(np.float32)}):
        same(lambda T, call=call: mha_program(
            T, kwargs={"embed_dim": 8, "num_heads": 2}, qkv="kv",
            call={"need_weights": need_weights, "average_attn_weights": average,
                  **{k: T.from_numpy(v.copy()) for k, v in call.items()}}))


@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_causal(need_weights: bool) -> None:
    mask = np.triu(np.full((5, 5), -np.inf, dtype=np.float32), 1)
    same(lambda T: mha_program(T, kwargs={"embed_dim": 8, "num_heads": 2},
                               call={"need_weights": need_weights, "attn_mask": T.from_numpy(mask.copy()),
                                     "is_causal": True}))


def test_mha_unbatched() -> None:
    same(lambda T: mha_program(T, kwargs={"embed_dim": 8, "num_heads": 2}, call={}, qkv="kv",
                               shapes=((5, 8), (6, 8))))
    same(lambda T: mha_program(T, kwargs={"embed_dim": 8, "num_heads": 2}, call={"need_weights": False},
                               shapes=((5, 8), (6, 8))))


@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_dropout_stream(need_weights: bool) -> None:
    def program(T: Any) -> Any:
        out = mha_program(T, kwargs={"embed_dim": 8, "num_heads": 2, "dropout": 0.3}, train=True,
                          call={"need_weights": need_weights})
        return out, T.rand(2)
    same(program)


def test_mha_errors() -> None:
    same(lambda T: T.nn.MultiheadAttention(0, 2))
    same(lambda T: T.nn.MultiheadAttention(8, 3))
    same(lambda T: mha_program(T, kwargs={"embed_dim": 8, "num_heads": 2}, call={"is_causal": True}))
    same(lambda T: mha_program(T, kwargs={"embed_dim": 8, "num_heads": 2}, call={}, shapes=((5, 2, 8), (6, 8)),
                               qkv="kv"))
    same(lambda T: mha_program(T, kwargs={"embed_dim": 8, "num_heads": 2}, qkv="kv",
                               call={"attn_mask": T.zeros(5, 5)}))
    same(lambda T: mha_program(T, kwargs={"embed_dim": 8, "num_heads": 2}, qkv="kv",
                               call={"key_padding_mask": T.zeros(2, 6, dtype=T.int64)}))
    same(lambda T: mha_program(T, kwargs={"embed_dim": 8, "num_heads": 2}, qkv="kv",
                               call={"key_padding_mask": T.zeros(3, 6, dtype=T.bool)}))


def test_multi_head_attention_forward_functional() -> None:
    def program(T: Any) -> Any:
        q = randn(T, 4, 2, 6, seed=1, grad=True)
        w_in, b_in = randn(T, 18, 6, seed=2, grad=True), randn(T, 18, seed=3, grad=True)
        w_out, b_out = randn(T, 6, 6, seed=4, grad=True), randn(T, 6, seed=5, grad=True)
        out, weights = T.nn.functional.multi_head_attention_forward(q, q, q, 6, 3, w_in, b_in, None, None, False, 0.0,
                                                                   w_out, b_out, training=False)
        (out.sum() + weights.sum()).backward()
        return out, weights, q.grad, w_in.grad, b_in.grad, w_out.grad, b_out.grad
    same(program)


def test_mha_import_paths() -> None:
    assert reftorch.nn.modules.activation.MultiheadAttention is reftorch.nn.MultiheadAttention
    assert type(reftorch.nn.MultiheadAttention(4, 2).out_proj).__name__ == "NonDynamicallyQuantizableLinear"
    assert isinstance(reftorch.nn.MultiheadAttention(4, 2).out_proj, reftorch.nn.Linear)


@pytest.mark.parametrize("dtype", ["int64", "float16", "uint8", "float64", "complex64"])
def test_sdpa_mask_dtype_message(dtype: str) -> None:
    same(lambda T: T.nn.functional.scaled_dot_product_attention(
        randn(T, 2, 4, 8), randn(T, 2, 4, 8), randn(T, 2, 4, 8), attn_mask=T.zeros(4, 4, dtype=getattr(T, dtype))))


@pytest.mark.parametrize("args,kwargs", [
    ((None, 0.0, False, 1.0), {}), ((), {"is_causal": 1}), ((), {"scale": "a"}), (("m",), {}), ((), {"foo": 1}),
    ((), {"dropout_p": "x"}), ((), {"enable_gqa": None}),
])
def test_sdpa_argument_errors(args: tuple, kwargs: dict) -> None:
    same(lambda T: T.nn.functional.scaled_dot_product_attention(randn(T, 2, 4, 8), randn(T, 2, 4, 8),
                                                                randn(T, 2, 4, 8), *args, **kwargs))
    same(lambda T: T.nn.functional.scaled_dot_product_attention())


def test_sdpa_edge_values() -> None:
    F = "nn.functional.scaled_dot_product_attention"

    def call(T: Any, *args: Any, **kwargs: Any) -> Any:
        return eval(f"T.{F}")(*args, **kwargs)  # noqa: S307 - a fixed attribute path
    same(lambda T: call(T, randn(T, 2, 4, 8).double(), randn(T, 2, 5, 8).double(), randn(T, 2, 5, 8).double(),
                        attn_mask=randn(T, 4, 5)))
    same(lambda T: call(T, randn(T, 2, 4, 8), randn(T, 2, 5, 8), randn(T, 2, 5, 8), scale=0.0))
    same(lambda T: call(T, randn(T, 2, 4, 8), randn(T, 2, 5, 6), randn(T, 2, 5, 8)))
    same(lambda T: call(T, randn(T, 2, 4, 8), randn(T, 2, 5, 8), randn(T, 2, 5, 8), attn_mask=T.zeros(3, 5)))
    same(lambda T: call(T, randn(T, 2, 3, 4, 8), randn(T, 2, 2, 5, 8), randn(T, 2, 2, 5, 8), enable_gqa=True))
    same(lambda T: call(T, randn(T, 2, 4, 4, 8), randn(T, 2, 2, 5, 8), randn(T, 2, 2, 5, 8)))
    same(lambda T: (T.manual_seed(0), call(T, randn(T, 2, 4, 8), randn(T, 2, 5, 8), randn(T, 2, 5, 8),
                                           dropout_p=1.0))[1])


def test_mask_dtype_deprecation_warning() -> None:
    def program(T: Any) -> Any:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = mha_program(T, kwargs={"embed_dim": 8, "num_heads": 2}, qkv="kv",
                              call={"key_padding_mask": T.zeros(2, 6, dtype=T.bool), "attn_mask": T.zeros(5, 6)})
        return out, [str(w.message) for w in caught]
    same(program)


@pytest.mark.parametrize("need_weights", [True, False])
def test_multi_head_attention_forward_static_kv_and_separate_weights(need_weights: bool) -> None:
    def program(T: Any) -> Any:
        q = randn(T, 4, 2, 6, seed=1, grad=True)
        ws = [randn(T, 6, 6, seed=s, grad=True) for s in (2, 3, 4)]
        static_k, static_v = randn(T, 6, 5, 2, seed=5, grad=True), randn(T, 6, 5, 2, seed=6, grad=True)
        w_out = randn(T, 6, 6, seed=7, grad=True)
        out, weights = T.nn.functional.multi_head_attention_forward(
            q, q, q, 6, 3, None, None, None, None, False, 0.0, w_out, None, training=False,
            need_weights=need_weights, use_separate_proj_weight=True, q_proj_weight=ws[0], k_proj_weight=ws[1],
            v_proj_weight=ws[2], static_k=static_k, static_v=static_v)
        out.sum().backward()
        return out, weights, q.grad, [w.grad for w in ws], static_k.grad, static_v.grad
    same(program)


def test_multi_head_attention_forward_errors() -> None:
    def call(T: Any, **kwargs: Any) -> Any:
        q = randn(T, 4, 2, 6, seed=1)
        args = {"in_proj_weight": randn(T, 18, 6), "in_proj_bias": None, "bias_k": None, "bias_v": None, **kwargs}
        return T.nn.functional.multi_head_attention_forward(
            q, q, q, args.pop("embed", 6), args.pop("heads", 3), args.pop("in_proj_weight"), args.pop("in_proj_bias"),
            args.pop("bias_k"), args.pop("bias_v"), False, 0.0, randn(T, 6, 6), None, **args)
    same(lambda T: call(T, embed=8))
    same(lambda T: call(T, heads=4))
    same(lambda T: call(T, in_proj_weight=None))
    same(lambda T: call(T, bias_k=randn(T, 1, 1, 6)))
    same(lambda T: call(T, static_k=randn(T, 5, 5, 2)))
    same(lambda T: call(T, attn_mask=T.zeros(2, 4, 4)))
    same(lambda T: call(T, attn_mask=T.zeros(1, 1, 4, 4)))
    same(lambda T: call(T, use_separate_proj_weight=True, q_proj_weight=randn(T, 6, 5), k_proj_weight=randn(T, 6, 6),
                        v_proj_weight=randn(T, 6, 6)))


def test_mha_state_dict_keys_and_load() -> None:
    def program(T: Any) -> Any:
        T.manual_seed(0)
        m = T.nn.MultiheadAttention(8, 2, add_bias_kv=True, kdim=4)
        state = m.state_dict()
        T.manual_seed(1)
        other = T.nn.MultiheadAttention(8, 2, add_bias_kv=True, kdim=4)
        other.load_state_dict(state)
        return list(state), dict(other.named_parameters())
    same(program, grad_fns=True, rtol=0, atol=0)
