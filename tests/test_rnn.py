"""reftorch.nn's recurrent modules against torch's: same seed gives the same weights bit for bit, in
torch's names and order; outputs, final states and gradients agree (float32 tolerance, 1e-5 relative for
stacked or long runs: reftorch composes the recurrence from its ops where torch runs fused ATen
kernels, so the rounding differs and grad_fn names are not compared); reprs and errors are torch's."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import warnings

import numpy as np
import pytest
import torch
from helpers import UNIT, check
from hypothesis import given, settings
from hypothesis import strategies as st

import reftorch
from conformance.compare import Tolerance, compare_results

LIBS = (reftorch, torch)
LOOSE = Tolerance(rtol=1e-5, atol=1e-5)


def same(fn, tolerance: Tolerance | None = None):
    """``fn(T)`` on both libraries; every tensor (values, shapes, dtypes, autograd flags, ``.grad``)
    compared, ``grad_fn`` names left out (the recurrence is a composite here, fused kernels in torch)."""
    results = []
    for T in (torch, reftorch):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            results.append(fn(T))
    options = dataclasses.replace(UNIT, grad_fns=False, tolerance=tolerance or Tolerance())
    lines = compare_results(results[0], results[1], options)
    assert not lines, "torch (oracle) vs reftorch (impl):\n  " + "\n  ".join(lines)
    return results


def _train(T, make, shape, hx_shapes=None, seed=0, loss_weights=True):
    """Build a module with a seed, run it on a random input (and random initial states), back-propagate
    a weighted sum of every output; return outputs, input/state gradients and parameter gradients."""
    T.manual_seed(seed)
    module = make(T)
    x = T.randn(*shape, requires_grad=True)
    hx = None
    if hx_shapes is not None:
        hx = tuple(T.randn(*s, requires_grad=True) for s in hx_shapes)
    out = module(x, None if hx is None else (hx if len(hx) == 2 else hx[0]))
    output, hidden = out if isinstance(out, tuple) and not isinstance(module, T.nn.LSTMCell) else (out, ())
    flat = [output, *(hidden if isinstance(hidden, tuple) else (hidden,))]
    if isinstance(module, T.nn.LSTMCell):
        flat = list(out)
    loss = sum((t * T.linspace(-1, 1, t.numel()).reshape(t.shape)).sum() for t in flat)
    loss.backward()
    grads = {name: p.grad for name, p in module.named_parameters()}
    return flat, x.grad, None if hx is None else [h.grad for h in hx], grads


MODULES = {
    "rnn_tanh": lambda T, **kw: T.nn.RNN(3, 5, **kw),
    "rnn_relu": lambda T, **kw: T.nn.RNN(3, 5, nonlinearity="relu", **kw),
    "lstm": lambda T, **kw: T.nn.LSTM(3, 5, **kw),
    "gru": lambda T, **kw: T.nn.GRU(3, 5, **kw),
}


@pytest.mark.parametrize("kind", list(MODULES))
@pytest.mark.parametrize("config", [
    {}, {"bias": False}, {"batch_first": True}, {"num_layers": 2}, {"bidirectional": True},
    {"num_layers": 3, "bidirectional": True, "batch_first": True},
])
@pytest.mark.parametrize("with_hx", [False, True])
def test_forward_backward_match_torch(kind, config, with_hx):
    layers = config.get("num_layers", 1) * (2 if config.get("bidirectional") else 1)
    batch_first = config.get("batch_first", False)
    shape = (2, 6, 3) if batch_first else (6, 2, 3)
    hx_shapes = None
    if with_hx:
        hx_shapes = [(layers, 2, 5)] * (2 if kind == "lstm" else 1)
    loose = layers > 1
    same(lambda T: _train(T, lambda T: MODULES[kind](T, **config), shape, hx_shapes),
         LOOSE if loose else None)


@pytest.mark.parametrize("kind", list(MODULES))
@pytest.mark.parametrize("batch_first", [False, True])
def test_unbatched_input_matches_torch(kind, batch_first):
    hx_shapes = [(2, 5)] * (2 if kind == "lstm" else 1)
    same(lambda T: _train(T, lambda T: MODULES[kind](T, num_layers=2, batch_first=batch_first), (4, 3), hx_shapes),
         LOOSE)
    same(lambda T: _train(T, lambda T: MODULES[kind](T, bidirectional=True), (4, 3)), LOOSE)


@pytest.mark.parametrize("config", [{"proj_size": 2}, {"proj_size": 3, "num_layers": 2, "bidirectional": True},
                                    {"proj_size": 2, "bias": False, "batch_first": True}])
def test_lstm_projection_matches_torch(config):
    layers = config.get("num_layers", 1) * (2 if config.get("bidirectional") else 1)
    shape = (2, 4, 3) if config.get("batch_first") else (4, 2, 3)
    same(lambda T: _train(T, lambda T: T.nn.LSTM(3, 5, **config), shape), LOOSE)
    same(lambda T: _train(T, lambda T: T.nn.LSTM(3, 5, **config), shape,
                          [(layers, 2, config["proj_size"]), (layers, 2, 5)]), LOOSE)


def test_long_sequence_matches_torch():
    same(lambda T: _train(T, lambda T: T.nn.LSTM(4, 8, num_layers=2), (40, 3, 4)), LOOSE)
    same(lambda T: _train(T, lambda T: T.nn.GRU(4, 8, bidirectional=True), (40, 3, 4)), LOOSE)


@pytest.mark.parametrize("kind", list(MODULES))
def test_dropout_between_layers_follows_torch_stream(kind):
    def program(T):
        T.manual_seed(5)
        module = MODULES[kind](T, num_layers=3, dropout=0.5)
        x = T.randn(4, 2, 3)
        train = module(x)
        after = T.rand(3)  # the generator advanced identically
        module.eval()
        return train, module(x), after
    same(program, LOOSE)


@pytest.mark.parametrize("cls,kwargs", [
    ("RNN", {}), ("RNN", {"nonlinearity": "relu", "bias": False}), ("LSTM", {"num_layers": 2, "proj_size": 3}),
    ("GRU", {"num_layers": 3, "bidirectional": True}), ("LSTM", {"bidirectional": True, "bias": False}),
    ("RNNCell", {}), ("RNNCell", {"nonlinearity": "relu"}), ("LSTMCell", {"bias": False}), ("GRUCell", {}),
])
def test_parameters_names_order_and_init_bit_for_bit(cls, kwargs):
    made = []
    for T in LIBS:
        T.manual_seed(7)
        module = getattr(T.nn, cls)(6, 5, **kwargs)
        made.append((module, T.rand(2)))
    (ours, our_next), (theirs, their_next) = made
    ours_named, theirs_named = list(ours.named_parameters()), list(theirs.named_parameters())
    assert [n for n, _ in ours_named] == [n for n, _ in theirs_named]
    for (_, a), (_, b) in zip(ours_named, theirs_named, strict=True):
        assert tuple(a.shape) == tuple(b.shape)
        assert np.array_equal(a.detach().numpy(), b.detach().numpy())
    assert np.array_equal(our_next.numpy(), their_next.numpy())
    assert repr(ours) == repr(theirs)
    if not cls.endswith("Cell"):
        assert ours._flat_weights_names == theirs._flat_weights_names
        assert ours._all_weights == theirs._all_weights
        shapes = [[[tuple(p.shape) for p in ws] for ws in m.all_weights] for m in (ours, theirs)]
        assert shapes[0] == shapes[1]
        assert ours.flatten_parameters() is None


def test_reprs():
    for build in [
        lambda T: T.nn.LSTM(10, 20, num_layers=2, batch_first=True),
        lambda T: T.nn.RNN(3, 4, 2, "relu", False, True, 0.5, True),
        lambda T: T.nn.GRU(3, 4, dropout=0.25, num_layers=2, bidirectional=True),
        lambda T: T.nn.LSTM(3, 4, proj_size=2, bias=False),
        lambda T: T.nn.RNNCell(3, 4, bias=False, nonlinearity="relu"),
        lambda T: T.nn.Sequential(T.nn.GRUCell(3, 4), T.nn.LSTMCell(4, 2)),
    ]:
        assert repr(build(reftorch)) == repr(build(torch))


@pytest.mark.parametrize("cell", ["RNNCell", "LSTMCell", "GRUCell"])
@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("with_hx", [True, False])
def test_cells_match_torch(cell, batched, with_hx):
    shape = (3, 4) if batched else (4,)
    hshape = (3, 6) if batched else (6,)
    hx_shapes = ([hshape] * (2 if cell == "LSTMCell" else 1)) if with_hx else None
    same(lambda T: _train(T, lambda T: getattr(T.nn, cell)(4, 6), shape, hx_shapes))


def test_relu_cell_and_cell_without_bias():
    same(lambda T: _train(T, lambda T: T.nn.RNNCell(4, 6, nonlinearity="relu", bias=False), (3, 4), [(3, 6)]))
    same(lambda T: _train(T, lambda T: T.nn.GRUCell(4, 6, bias=False), (3, 4), [(3, 6)]))


def _call(T, make, x_shape, hx=None, dtype=None):
    T.manual_seed(0)
    module = make(T)
    x = T.randn(*x_shape) if dtype is None else T.randn(*x_shape, dtype=dtype)
    return module(x, hx(T) if hx else None)


@pytest.mark.parametrize("program", [
    lambda T: _call(T, lambda T: T.nn.RNN(3, 4), (5, 2, 4)),
    lambda T: _call(T, lambda T: T.nn.LSTM(3, 4), (5, 2, 2)),
    lambda T: _call(T, lambda T: T.nn.GRU(3, 4), (5, 2, 3, 1)),
    lambda T: _call(T, lambda T: T.nn.RNN(3, 4), (3,)),
    lambda T: _call(T, lambda T: T.nn.LSTM(3, 4), (5, 2, 3, 1)),
    lambda T: _call(T, lambda T: T.nn.RNN(3, 4), (5, 2, 3), lambda T: T.zeros(1, 3, 4)),
    lambda T: _call(T, lambda T: T.nn.RNN(3, 4, bidirectional=True), (5, 2, 3), lambda T: T.zeros(1, 2, 4)),
    lambda T: _call(T, lambda T: T.nn.GRU(3, 4), (5, 2, 3), lambda T: T.zeros(2, 4)),
    lambda T: _call(T, lambda T: T.nn.GRU(3, 4), (5, 3), lambda T: T.zeros(1, 1, 4)),
    lambda T: _call(T, lambda T: T.nn.LSTM(3, 4), (5, 2, 3), lambda T: (T.zeros(1, 2, 4), T.zeros(1, 3, 4))),
    lambda T: _call(T, lambda T: T.nn.LSTM(3, 4), (5, 2, 3), lambda T: (T.zeros(1, 3, 4), T.zeros(1, 2, 4))),
    lambda T: _call(T, lambda T: T.nn.LSTM(3, 4), (5, 2, 3), lambda T: (T.zeros(2, 4), T.zeros(1, 2, 4))),
    lambda T: _call(T, lambda T: T.nn.LSTM(3, 4), (5, 3), lambda T: (T.zeros(1, 4), T.zeros(1, 1, 4))),
    lambda T: _call(T, lambda T: T.nn.LSTM(3, 4, proj_size=2), (5, 2, 3), lambda T: (T.zeros(1, 2, 4),
                                                                                     T.zeros(1, 2, 4))),
    lambda T: _call(T, lambda T: T.nn.LSTM(3, 4), (5, 2, 3), dtype=T.float64),
    lambda T: _call(T, lambda T: T.nn.RNNCell(3, 4), (2, 5)),
    lambda T: _call(T, lambda T: T.nn.RNNCell(3, 4), (2, 3), lambda T: T.zeros(3, 4)),
    lambda T: _call(T, lambda T: T.nn.GRUCell(3, 4), (2, 3), lambda T: T.zeros(2, 5)),
    lambda T: _call(T, lambda T: T.nn.GRUCell(3, 4), (2, 3, 1)),
    lambda T: _call(T, lambda T: T.nn.GRUCell(3, 4), (2, 3), lambda T: T.zeros(1, 2, 4)),
    lambda T: _call(T, lambda T: T.nn.LSTMCell(3, 4), (2, 3), lambda T: (T.zeros(2, 4), T.zeros(2, 5))),
    lambda T: _call(T, lambda T: T.nn.LSTMCell(3, 4), (2, 3), lambda T: (T.zeros(2, 4), T.zeros(1, 2, 4))),
    lambda T: _call(T, lambda T: T.nn.LSTMCell(3, 4), (3, 3), lambda T: (T.zeros(2, 4), T.zeros(2, 4))),
    lambda T: _call(T, lambda T: T.nn.RNNCell(3, 4, nonlinearity="gelu"), (2, 3)),
    lambda T: _call(T, lambda T: T.nn.LSTMCell(3, 4), (2, 3), lambda T: (T.zeros(2, 4),) * 3),
    lambda T: _call(T, lambda T: T.nn.LSTMCell(3, 4), (2, 3), lambda T: (T.zeros(2, 4),)),
    lambda T: _call(T, lambda T: T.nn.LSTM(3, 4), (2, 1, 3), lambda T: (T.zeros(1, 1, 4),) * 3),
    lambda T: _call(T, lambda T: T.nn.LSTM(3, 4), (2, 1, 3), lambda T: (T.zeros(1, 1, 4),)),
])
def test_forward_errors_like_torch(program):
    assert check(program) is None  # both raise: same type, torch's message


@pytest.mark.parametrize("build", [
    lambda T: T.nn.RNN(3, 4, nonlinearity="gelu"),
    lambda T: T.nn.RNN(3, 4, proj_size=2),
    lambda T: T.nn.GRU(3, 4, proj_size=2),
    lambda T: T.nn.LSTM(3, 4, proj_size=4),
    lambda T: T.nn.LSTM(3, 4, proj_size=-1),
    lambda T: T.nn.LSTM(3, 4, dropout=1.5),
    lambda T: T.nn.LSTM(3, 4, dropout=True),
    lambda T: T.nn.LSTM(3, 4, bias=1),
    lambda T: T.nn.LSTM(3, 4, batch_first=None),
    lambda T: T.nn.LSTM(3.0, 4),
    lambda T: T.nn.LSTM(0, 4),
    lambda T: T.nn.LSTM(3, 0),
    lambda T: T.nn.LSTM(3, 4, num_layers=0),
])
def test_construction_errors_like_torch(build):
    assert check(lambda T: repr(build(T))) is None


def test_dropout_with_one_layer_warns_like_torch():
    for T in LIBS:
        with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
            T.nn.GRU(3, 4, dropout=0.2)


def test_to_double_and_weight_reassignment_keep_flat_weights_in_sync():
    def program(T):
        T.manual_seed(1)
        module = T.nn.GRU(3, 4).double()
        module.weight_hh_l0 = T.nn.Parameter(T.ones(12, 4, dtype=T.float64) * 0.1)
        assert module._flat_weights[1] is module.weight_hh_l0
        return module(T.randn(5, 2, 3, dtype=T.float64))
    same(program)


# ---------------------------------------------------------------------------- nn.utils.rnn
def _sequences(T, lengths, feature=3, requires_grad=True):
    T.manual_seed(2)
    return [T.randn(n, feature, requires_grad=requires_grad) for n in lengths]


def _packed(p):
    assert type(p).__name__ == "PackedSequence"
    return tuple(p), (p.data, p.batch_sizes, p.sorted_indices, p.unsorted_indices)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("padding_side", ["right", "left"])
def test_pad_sequence_values_and_gradients(batch_first, padding_side):
    def program(T):
        seqs = _sequences(T, [4, 1, 3])
        out = T.nn.utils.rnn.pad_sequence(seqs, batch_first=batch_first, padding_value=-2.5,
                                          padding_side=padding_side)
        (out * T.arange(out.numel()).reshape(out.shape)).sum().backward()
        return out, [s.grad for s in seqs]
    check(program)  # grad_fn names too: ATen's full + copy_ into slices (CopySlices)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("enforce_sorted,lengths", [(True, [5, 3, 3, 1]), (False, [2, 5, 1, 3]),
                                                    (False, [5, 3, 3, 1])])
def test_pack_and_pad_round_trip_with_gradients(batch_first, enforce_sorted, lengths):
    def program(T):
        T.manual_seed(4)
        shape = (4, 5, 3) if batch_first else (5, 4, 3)
        x = T.randn(*shape, requires_grad=True)
        packed = T.nn.utils.rnn.pack_padded_sequence(x, T.tensor(lengths), batch_first=batch_first,
                                                     enforce_sorted=enforce_sorted)
        padded, out_lengths = T.nn.utils.rnn.pad_packed_sequence(packed, batch_first=batch_first,
                                                                 padding_value=1.5, total_length=7)
        (padded * T.arange(padded.numel()).reshape(padded.shape)).sum().backward()
        return _packed(packed), padded, out_lengths, x.grad
    same(program)


def test_pack_sequence_unpack_sequence_and_list_lengths():
    def program(T):
        seqs = _sequences(T, [2, 4, 1])
        packed = T.nn.utils.rnn.pack_sequence(seqs, enforce_sorted=False)
        unpacked = T.nn.utils.rnn.unpack_sequence(packed)
        sorted_pack = T.nn.utils.rnn.pack_padded_sequence(T.nn.utils.rnn.pad_sequence(seqs[1:]), [4, 1])
        return _packed(packed), unpacked, _packed(sorted_pack), T.nn.utils.rnn.invert_permutation(T.tensor([2, 0, 1]))
    same(program)


@pytest.mark.parametrize("program", [
    lambda T: T.nn.utils.rnn.pack_padded_sequence(T.randn(4, 3, 2), [4, 2]),
    lambda T: T.nn.utils.rnn.pack_padded_sequence(T.randn(4, 3, 2), [2, 4, 1]),
    lambda T: T.nn.utils.rnn.pack_padded_sequence(T.randn(4, 3, 2), [4, 2, 0]),
    lambda T: T.nn.utils.rnn.pack_padded_sequence(T.zeros(0, 3, 2), [1, 1, 1]),
    lambda T: T.nn.utils.rnn.pad_sequence([]),
    lambda T: T.nn.utils.rnn.pad_sequence(5),
    lambda T: T.nn.utils.rnn.pad_sequence([T.ones(3, 2), T.ones(2, 3)]),
    lambda T: T.nn.utils.rnn.pad_sequence([T.tensor(1.0), T.tensor(2.0)]),
    lambda T: T.nn.utils.rnn.pack_padded_sequence(T.randn(4, 3, 2), T.tensor([[4, 2, 1]])),
    lambda T: T.nn.utils.rnn.pad_sequence([T.ones(2)], padding_side="middle"),
    lambda T: T.nn.utils.rnn.pad_packed_sequence(T.nn.utils.rnn.pack_sequence([T.ones(3, 1)]), total_length=2),
])
def test_packing_errors_like_torch(program):
    assert check(program) is None


@pytest.mark.parametrize("kind", list(MODULES))
@pytest.mark.parametrize("config", [{}, {"bidirectional": True}, {"num_layers": 2, "bidirectional": True}])
@pytest.mark.parametrize("with_hx", [False, True])
def test_modules_take_packed_sequences(kind, config, with_hx):
    layers = config.get("num_layers", 1) * (2 if config.get("bidirectional") else 1)

    def program(T):
        seqs = _sequences(T, [3, 5, 1, 3])
        T.manual_seed(9)
        module = MODULES[kind](T, **config)
        hx = None
        if with_hx:
            hx = tuple(T.randn(layers, 4, 5, requires_grad=True) for _ in range(2 if kind == "lstm" else 1))
        packed = T.nn.utils.rnn.pack_sequence(seqs, enforce_sorted=False)
        out, hidden = module(packed, None if hx is None else (hx if kind == "lstm" else hx[0]))
        padded, _ = T.nn.utils.rnn.pad_packed_sequence(out, batch_first=True)
        hiddens = list(hidden) if kind == "lstm" else [hidden]
        loss = sum((t * T.linspace(-1, 1, t.numel()).reshape(t.shape)).sum() for t in [padded, *hiddens])
        loss.backward()
        return (_packed(out), padded, hiddens, [s.grad for s in seqs], None if hx is None else [h.grad for h in hx],
                {name: p.grad for name, p in module.named_parameters()})
    same(program, LOOSE)


@pytest.mark.parametrize("program", [
    lambda T: T.nn.utils.rnn.pad_sequence([T.ones(3, 2), T.arange(4.0, dtype=T.float64).reshape(2, 2)]),
    lambda T: T.nn.utils.rnn.pad_sequence([T.ones(3, 2), T.arange(2.0).reshape(1, 2), T.zeros(0, 2)],
                                          batch_first=True, padding_value=7),
    lambda T: T.nn.utils.rnn.pad_sequence([T.ones(3, 2), T.arange(2.0)]),  # broadcast by copy_
    lambda T: T.nn.utils.rnn.pad_sequence(T.ones(3, 2, 2)),
    lambda T: _packed(T.nn.utils.rnn.pack_padded_sequence(T.arange(6.0).reshape(3, 2, 1), [5, 2])),
    lambda T: _packed(T.nn.utils.rnn.pack_sequence([T.arange(3), T.arange(2)])),
    lambda T: repr(T.nn.utils.rnn.pack_sequence([T.arange(3), T.arange(2)])),
    lambda T: T.nn.utils.rnn.PackedSequence._fields,
    lambda T: _packed(T.nn.utils.rnn.pack_sequence([T.arange(2.0), T.arange(3.0)], enforce_sorted=False).double()),
    lambda T: _packed(T.nn.utils.rnn.pack_sequence([T.arange(3.0), T.arange(2.0)]).long().cpu()),
    lambda T: _packed(T.nn.utils.rnn.PackedSequence((T.ones(3), T.tensor([2, 1])))),
    lambda T: T.nn.utils.rnn.pad_packed_sequence(T.nn.utils.rnn.pack_sequence([T.arange(3.0), T.arange(2.0)])),
])
def test_packing_values_dtypes_and_structure_like_torch(program):
    check(program)


def test_apply_permutation_is_deprecated_like_torch():
    for T in LIBS:
        with pytest.warns(FutureWarning, match="apply_permutation"):
            out = T.nn.modules.rnn.apply_permutation(T.arange(6).reshape(2, 3), T.tensor([2, 0, 1]))
        assert out.tolist() == [[2, 0, 1], [5, 3, 4]]


@pytest.mark.parametrize("program", [
    lambda T: _call(T, lambda T: T.nn.GRU(3, 4), (0, 2, 3)),
    lambda T: _call(T, lambda T: T.nn.LSTM(3, 4, batch_first=True), (2, 0, 3)),
])
def test_empty_sequence_errors_like_torch(program):
    assert check(program) is None


@pytest.mark.parametrize("program", [
    lambda T: _call(T, lambda T: T.nn.LSTM(3, 4, dtype=T.float64, num_layers=2), (5, 2, 3), dtype=T.float64),
    lambda T: _call(T, lambda T: T.nn.LSTM(3, 4), (5, 0, 3)),
    lambda T: _call(T, lambda T: T.nn.GRUCell(3, 4, dtype=T.float64, device="cpu"), (2, 3), dtype=T.float64),
    lambda T: _call(T, lambda T: T.nn.RNN(3, 4, device="cpu", dtype=T.float64, bidirectional=True), (5, 2, 3),
                    dtype=T.float64),
    lambda T: _call(T, lambda T: copy.deepcopy(T.nn.GRU(3, 4)), (5, 2, 3)),
    lambda T: _call(T, lambda T: pickle.loads(pickle.dumps(T.nn.LSTM(3, 4, proj_size=2))), (5, 2, 3)),
    lambda T: _call(T, lambda T: T.nn.RNN(3, 4, 2, "relu", dropout=0.3).eval(), (5, 2, 3)),
])
def test_dtypes_empty_batches_copies_and_eval_like_torch(program):
    same(program, LOOSE)


def test_state_dict_round_trip():
    def program(T):
        T.manual_seed(3)
        source = T.nn.LSTM(3, 4, num_layers=2, bidirectional=True, proj_size=2)
        target = T.nn.LSTM(3, 4, num_layers=2, bidirectional=True, proj_size=2)
        result = target.load_state_dict(source.state_dict())
        return list(target.state_dict()), tuple(result), target(T.randn(5, 2, 3))
    same(program, LOOSE)


def test_unpad_sequence_like_torch():
    def program(T):
        seqs = _sequences(T, [3, 1, 2], requires_grad=False)
        padded = T.nn.utils.rnn.pad_sequence(seqs)
        pieces = T.nn.utils.rnn.unpad_sequence(padded, T.tensor([3, 1, 2]))
        return pieces, padded  # the time-major input is transposed in place, as torch does
    check(program)


def test_packed_projection_and_dropout_like_torch():
    def program(T):
        seqs = _sequences(T, [4, 2, 3])
        T.manual_seed(1)
        module = T.nn.LSTM(3, 5, num_layers=2, proj_size=2, bidirectional=True, dropout=0.4)
        hx = (T.randn(4, 3, 2, requires_grad=True), T.randn(4, 3, 5, requires_grad=True))
        out, (h, c) = module(T.nn.utils.rnn.pack_sequence(seqs, enforce_sorted=False), hx)
        (out.data.sum() + (h * h).sum() + c.sum()).backward()
        return _packed(out), h, c, T.rand(2), [s.grad for s in seqs], [t.grad for t in hx]
    same(program, LOOSE)


def test_unknown_mode_errors_like_torch():
    assert check(lambda T: T.nn.RNNBase("LSTMX", 3, 4)) is None


@settings(max_examples=30, deadline=None)
@given(kind=st.sampled_from(list(MODULES)), layers=st.integers(1, 3), bidirectional=st.booleans(),
       batch_first=st.booleans(), bias=st.booleans(), steps=st.integers(1, 7), batch=st.integers(1, 4),
       with_hx=st.booleans(), seed=st.integers(0, 2**16))
def test_random_configurations_match_torch(kind, layers, bidirectional, batch_first, bias, steps, batch, with_hx,
                                            seed):
    config = {"num_layers": layers, "bidirectional": bidirectional, "batch_first": batch_first, "bias": bias}
    shape = (batch, steps, 3) if batch_first else (steps, batch, 3)
    hx_shapes = [(layers * (2 if bidirectional else 1), batch, 5)] * (2 if kind == "lstm" else 1) if with_hx else None
    same(lambda T: _train(T, lambda T: MODULES[kind](T, **config), shape, hx_shapes, seed=seed), LOOSE)


@pytest.mark.parametrize("make,shape", [
    (lambda T: T.nn.GRU(3, 4, num_layers=2), (5, 2, 3)),
    (lambda T: T.nn.LSTM(3, 4), (5, 2, 3)),
    (lambda T: T.nn.RNN(3, 4, bidirectional=True), (5, 2, 3)),
    (lambda T: T.nn.LSTMCell(3, 4), (2, 3)),
    (lambda T: T.nn.GRUCell(3, 4), (2, 3)),
])
def test_second_derivatives_match_torch(make, shape):
    def program(T):
        T.manual_seed(0)
        module = make(T)
        x = T.randn(*shape, requires_grad=True)
        out = module(x)
        y = out[0] if isinstance(out, tuple) else out
        (g,) = T.autograd.grad((y * y).sum(), x, create_graph=True)
        g.pow(2).sum().backward()
        return g, x.grad, [p.grad for p in module.parameters()]
    same(program, LOOSE)
