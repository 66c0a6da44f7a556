"""nn.TransformerEncoderLayer / TransformerEncoder / TransformerDecoderLayer / TransformerDecoder /
nn.Transformer against torch: weights from the same seed bit for bit, reprs, values and gradients of whole
stacks (rtol 1e-4, atol 1e-5), dropout drawing torch's stream, errors and warnings.

torch's fast paths are off whenever grad is enabled; the eval-mode tests under ``no_grad`` compare against
torch's fused ``_transformer_encoder_layer_fwd`` (same values within tolerance) without a padding mask, as
torch's nested-tensor path (taken with a padding mask) zeroes padded outputs and reftorch has no nested path.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch

import reftorch
from tests.test_attention import randn, same

TOL = {"rtol": 1e-4, "atol": 1e-5}


def grads_of(T: Any, model: Any, inputs: list, out: Any) -> Any:
    (out * randn(T, *out.shape, seed=99)).sum().backward()
    return out, [x.grad for x in inputs], {n: p.grad for n, p in model.named_parameters()}


def build(T: Any, factory: str, seed: int = 0, **kwargs: Any) -> Any:
    T.manual_seed(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return eval(f"T.nn.{factory}")(**kwargs)  # noqa: S307 - a fixed class name


@pytest.mark.parametrize("factory,kwargs", [
    ("TransformerEncoderLayer", {"d_model": 8, "nhead": 2, "dim_feedforward": 16}),
    ("TransformerDecoderLayer", {"d_model": 8, "nhead": 2, "dim_feedforward": 16, "bias": False}),
    ("Transformer", {"d_model": 8, "nhead": 2, "num_encoder_layers": 2, "num_decoder_layers": 3,
                     "dim_feedforward": 16}),
    ("Transformer", {"d_model": 8, "nhead": 2, "num_encoder_layers": 1, "num_decoder_layers": 1,
                     "dim_feedforward": 16, "activation": "gelu", "norm_first": True, "layer_norm_eps": 1e-3}),
])
def test_init_stream_and_repr(factory: str, kwargs: dict) -> None:
    def program(T: Any) -> Any:
        m = build(T, factory, seed=3, **kwargs)
        return dict(m.named_parameters()), repr(m), T.rand(2)
    same(program, grad_fns=True, rtol=0, atol=0)


def test_encoder_deepcopies_layers() -> None:
    def program(T: Any) -> Any:
        T.manual_seed(1)
        layer = T.nn.TransformerEncoderLayer(8, 2, 16, activation=T.nn.GELU())
        enc = T.nn.TransformerEncoder(layer, 3, norm=T.nn.LayerNorm(8), enable_nested_tensor=False)
        return (dict(enc.named_parameters()), repr(enc), T.rand(2), enc.layers[0].self_attn is not layer.self_attn,
                enc.layers[0].linear1.weight is not enc.layers[1].linear1.weight, enc.use_nested_tensor)
    same(program, grad_fns=True, rtol=0, atol=0)


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("activation", ["relu", "gelu", "callable"])
def test_encoder_layer_values_and_grads(norm_first: bool, batch_first: bool, activation: str) -> None:
    def program(T: Any) -> Any:
        act = T.nn.functional.silu if activation == "callable" else activation
        m = build(T, "TransformerEncoderLayer", d_model=8, nhead=2, dim_feedforward=16, dropout=0.0,
                  norm_first=norm_first, batch_first=batch_first, activation=act, layer_norm_eps=1e-4)
        src = randn(T, 5, 3, 8, seed=1, grad=True)
        return grads_of(T, m, [src], m(src)), m.activation_relu_or_gelu
    same(program, **TOL)


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
def test_decoder_layer_values_and_grads(norm_first: bool, batch_first: bool) -> None:
    def program(T: Any) -> Any:
        m = build(T, "TransformerDecoderLayer", d_model=8, nhead=2, dim_feedforward=16, dropout=0.0,
                  norm_first=norm_first, batch_first=batch_first, activation="gelu")
        tgt, mem = randn(T, 4, 3, 8, seed=1, grad=True), randn(T, 6, 3, 8, seed=2, grad=True)
        mask = T.nn.Transformer.generate_square_subsequent_mask(4)
        return grads_of(T, m, [tgt, mem], m(tgt, mem, tgt_mask=mask, tgt_is_causal=True))
    same(program, **TOL)


def test_encoder_stack_with_masks() -> None:
    padding = np.zeros((3, 5), dtype=bool)
    padding[0, 3:] = True
    padding[2, 4] = True

    def program(T: Any) -> Any:
        T.manual_seed(2)
        layer = T.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True)
        enc = T.nn.TransformerEncoder(layer, 2, norm=T.nn.LayerNorm(8))
        src = randn(T, 3, 5, 8, seed=1, grad=True)
        mask = T.nn.Transformer.generate_square_subsequent_mask(5)
        out = enc(src, mask=mask, src_key_padding_mask=T.from_numpy(padding.copy()))
        return grads_of(T, enc, [src], out)
    same(program, **TOL)


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
def test_transformer_end_to_end(norm_first: bool, batch_first: bool) -> None:
    tgt_padding = np.zeros((2, 4), dtype=bool)
    tgt_padding[1, 3] = True

    def program(T: Any) -> Any:
        m = build(T, "Transformer", d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=2,
                  dim_feedforward=16, dropout=0.0, norm_first=norm_first, batch_first=batch_first)
        src = randn(T, *((2, 6, 8) if batch_first else (6, 2, 8)), seed=1, grad=True)
        tgt = randn(T, *((2, 4, 8) if batch_first else (4, 2, 8)), seed=2, grad=True)
        out = m(src, tgt, tgt_mask=m.generate_square_subsequent_mask(4),
                tgt_key_padding_mask=T.from_numpy(tgt_padding.copy()))
        return grads_of(T, m, [src, tgt], out)
    same(program, **TOL)


def test_transformer_unbatched() -> None:
    def program(T: Any) -> Any:
        m = build(T, "Transformer", d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1,
                  dim_feedforward=16, dropout=0.0)
        src, tgt = randn(T, 6, 8, seed=1, grad=True), randn(T, 4, 8, seed=2, grad=True)
        return grads_of(T, m, [src, tgt], m(src, tgt))
    same(program, **TOL)


def test_transformer_dropout_stream() -> None:
    def program(T: Any) -> Any:
        m = build(T, "Transformer", d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=1,
                  dim_feedforward=16, dropout=0.25)
        src, tgt = randn(T, 6, 2, 8, seed=1, grad=True), randn(T, 4, 2, 8, seed=2, grad=True)
        return grads_of(T, m, [src, tgt], m(src, tgt)), T.rand(2)
    same(program, **TOL)


def test_eval_no_grad_matches_torch_fast_path() -> None:
    def program(T: Any) -> Any:
        m = build(T, "TransformerEncoderLayer", d_model=8, nhead=2, dim_feedforward=16, batch_first=True).eval()
        with T.no_grad():
            return m(randn(T, 3, 5, 8, seed=1)), m(randn(T, 3, 5, 8, seed=1), src_mask=T.zeros(5, 5))
    same(program, **TOL)


def test_generate_square_subsequent_mask() -> None:
    same(lambda T: T.nn.Transformer.generate_square_subsequent_mask(4), rtol=0, atol=0)
    same(lambda T: T.nn.Transformer.generate_square_subsequent_mask(3, dtype=T.float64), rtol=0, atol=0)


def test_errors_and_warnings() -> None:
    same(lambda T: build(T, "TransformerEncoderLayer", d_model=8, nhead=2, activation="tanh"))
    same(lambda T: build(T, "TransformerDecoderLayer", d_model=8, nhead=2, activation="tanh"))

    def mismatch(T: Any, src: tuple, tgt: tuple, batch_first: bool = False) -> Any:
        m = build(T, "Transformer", d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1,
                  dim_feedforward=16, batch_first=batch_first)
        return m(randn(T, *src), randn(T, *tgt))
    same(lambda T: mismatch(T, (6, 2, 8), (4, 3, 8)))
    same(lambda T: mismatch(T, (2, 6, 8), (3, 4, 8), batch_first=True))
    same(lambda T: mismatch(T, (6, 2, 8), (4, 2, 6)))

    for lib in (torch, reftorch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(8, 2, 16, norm_first=True), 1)
        messages = [str(w.message) for w in caught]
        assert messages == ["enable_nested_tensor is True, but self.use_nested_tensor is False because "
                            "encoder_layer.norm_first was True"], messages


def test_import_paths() -> None:
    from reftorch.nn.modules import transformer
    for name in transformer.__all__:
        assert getattr(reftorch.nn, name) is getattr(transformer, name)


@pytest.mark.parametrize("padding_rows", [((0, 3), (2, 4)), ((1, 1),), ((0, 2), (1, 4), (2, 3))])
@pytest.mark.parametrize("with_norm", [False, True])
def test_encoder_nested_path_observable(padding_rows: tuple, with_norm: bool) -> None:
    """Eval, no grad, a left-aligned padding mask: torch's nested path zeroes the padded outputs."""
    padding = np.zeros((3, 5), dtype=bool)
    for row, start in padding_rows:
        padding[row, start:] = True

    def program(T: Any) -> Any:
        T.manual_seed(4)
        layer = T.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True)
        enc = T.nn.TransformerEncoder(layer, 2, norm=T.nn.LayerNorm(8) if with_norm else None).eval()
        src = randn(T, 3, 5, 8, seed=1)
        with T.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nested = enc(src, src_key_padding_mask=T.from_numpy(padding.copy()))
        dense = enc(src, src_key_padding_mask=T.from_numpy(padding.copy()))  # grad enabled: no nested path
        return nested, dense.detach()
    same(program, **TOL)


def test_encoder_nested_path_not_left_aligned() -> None:
    padding = np.zeros((2, 4), dtype=bool)
    padding[0, 1] = True

    def program(T: Any) -> Any:
        T.manual_seed(4)
        enc = T.nn.TransformerEncoder(T.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True), 1).eval()
        with T.no_grad():
            return enc(randn(T, 2, 4, 8, seed=1), src_key_padding_mask=T.from_numpy(padding.copy()))
    same(program, **TOL)


def test_mha_eval_no_grad_matches_torch_fast_path() -> None:
    padding = np.zeros((3, 5), dtype=bool)
    padding[0, 3:] = True
    causal = np.triu(np.ones((5, 5), dtype=bool), 1)
    for call in ({}, {"key_padding_mask": padding}, {"attn_mask": causal}):
        for need_weights in (True, False):
            def program(T: Any, call: dict = call, need_weights: bool = need_weights) -> Any:
                T.manual_seed(0)
                m = T.nn.MultiheadAttention(8, 2, batch_first=True).eval()
                x = randn(T, 3, 5, 8, seed=1)
                with T.no_grad():
                    return m(x, x, x, need_weights=need_weights, **{k: T.from_numpy(v.copy()) for k, v in call.items()})
            same(program)


def test_custom_encoder_decoder() -> None:
    def program(T: Any) -> Any:
        T.manual_seed(6)
        enc = T.nn.TransformerEncoder(T.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0), 1,
                                      enable_nested_tensor=False)
        dec = T.nn.TransformerDecoder(T.nn.TransformerDecoderLayer(8, 2, 16, dropout=0.0), 2)
        m = T.nn.Transformer(8, 2, custom_encoder=enc, custom_decoder=dec)
        src, tgt = randn(T, 6, 2, 8, seed=1, grad=True), randn(T, 4, 2, 8, seed=2, grad=True)
        return grads_of(T, m, [src, tgt], m(src, tgt, src_is_causal=False)), repr(m), list(m.state_dict())
    same(program, **TOL)
