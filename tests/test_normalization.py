"""Batch, layer and group normalisation against torch: values, gradients, grad_fn names, running
statistics (momentum, cumulative average, unbiased variance, num_batches_tracked), eval mode, module
buffers, state_dict keys, reprs and torch's errors."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from helpers import check
from hypothesis import given, settings
from hypothesis import strategies as st

SEEDS = st.integers(0, 2**16)


def _run_bn(T, seed, shape, momentum, affine, track, steps, dtype_name="float32"):
    T.manual_seed(seed)
    dtype = getattr(T, dtype_name)
    cls = T.nn.BatchNorm1d if len(shape) in (2, 3) else T.nn.BatchNorm2d
    bn = cls(shape[1], momentum=momentum, affine=affine, track_running_stats=track, dtype=dtype)
    if affine:
        with T.no_grad():
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.uniform_(-1, 1)
    x = (T.randn(*shape, dtype=dtype) * 3 + 1).requires_grad_()
    outs = [bn(x * (i + 1)) for i in range(steps)]
    loss = sum((o * o.detach().cos()).sum() for o in outs)
    loss.backward()
    bn.eval()
    evaluated = bn(x)
    return {"outs": outs, "eval": evaluated, "x": x, "params": list(bn.parameters()),
            "buffers": dict(bn.named_buffers()), "state": list(bn.state_dict()), "repr": repr(bn),
            "grad_fn": type(outs[0].grad_fn).__name__}


@settings(max_examples=25, deadline=None)
@given(seed=SEEDS, shape=st.sampled_from([(4, 3), (2, 3, 5), (3, 2, 2, 3), (5, 1), (2, 4, 1, 1)]),
       momentum=st.sampled_from([0.1, 0.5, None]), affine=st.booleans(), track=st.booleans(),
       steps=st.integers(1, 3))
def test_batchnorm_module_train_eval_and_gradients(seed, shape, momentum, affine, track, steps):
    check(lambda T: _run_bn(T, seed, shape, momentum, affine, track, steps))


def test_batchnorm_float64():
    check(lambda T: _run_bn(T, 1, (4, 3, 2), 0.1, True, True, 2, "float64"))


def test_batchnorm_running_stats_unbiased_and_versions():
    def program(T):
        bn = T.nn.BatchNorm1d(3)
        versions = [bn.running_mean._version, bn.running_var._version, bn.num_batches_tracked._version]
        x = T.arange(12.0).reshape(4, 3) ** 1.5
        bn(x)
        bn(x + 1)
        versions += [bn.running_mean._version, bn.running_var._version, bn.num_batches_tracked._version]
        return {"mean": bn.running_mean, "var": bn.running_var, "n": bn.num_batches_tracked,
                "versions": versions, "dtype": bn.num_batches_tracked.dtype}

    check(program)


def test_batchnorm_reprs_and_state_dict():
    check(lambda T: [repr(T.nn.BatchNorm2d(16)), repr(T.nn.BatchNorm1d(3, eps=1e-3, momentum=None, affine=False)),
                     repr(T.nn.BatchNorm1d(3, track_running_stats=False, bias=False)),
                     list(T.nn.BatchNorm2d(2).state_dict()), list(T.nn.BatchNorm1d(2, affine=False).state_dict()),
                     list(T.nn.BatchNorm1d(2, track_running_stats=False).state_dict()),
                     T.nn.BatchNorm1d(2).state_dict()._metadata[""]["version"]])


def test_batchnorm_deepcopy_and_to():
    def program(T):
        bn = T.nn.BatchNorm1d(2)
        bn(T.tensor([[1.0, 2.0], [3.0, 5.0]]))
        twin = copy.deepcopy(bn)
        twin(T.tensor([[0.0, 0.0], [1.0, 1.0]]))
        bn.double()
        return {"original": dict(bn.named_buffers()), "twin": dict(twin.named_buffers()),
                "weight": bn.weight.dtype}

    check(program)


def test_batchnorm_eval_grads_use_running_stats():
    def program(T):
        bn = T.nn.BatchNorm2d(2)
        with T.no_grad():
            bn.running_mean.copy_(T.tensor([0.5, -1.0]))
            bn.running_var.copy_(T.tensor([2.0, 0.25]))
            bn.weight.copy_(T.tensor([1.5, -0.5]))
        bn.eval()
        x = T.linspace(-2, 2, 16).reshape(2, 2, 2, 2).requires_grad_()
        y = bn(x)
        (y ** 2).sum().backward()
        return {"y": y, "x": x, "params": list(bn.parameters())}

    check(program)


@pytest.mark.parametrize("case", range(9))
def test_batchnorm_errors(case):
    programs = [
        lambda T: T.nn.BatchNorm1d(3)(T.randn(1, 3)),
        lambda T: T.nn.BatchNorm1d(3)(T.randn(2, 3, 4, 5)),
        lambda T: T.nn.BatchNorm2d(3)(T.randn(2, 3)),
        lambda T: T.nn.functional.batch_norm(T.randn(4, 3), T.zeros(4), T.ones(3), training=True),
        lambda T: T.nn.functional.batch_norm(T.randn(4, 3), T.zeros(3), T.ones(3), T.ones(2), training=True),
        lambda T: T.nn.functional.batch_norm(T.randn(4, 3), None, None),
        lambda T: T.nn.functional.batch_norm(T.randn(4, 3), None, None, training=True, eps=0.0),
        lambda T: T.nn.functional.batch_norm(T.ones(4, 3, dtype=T.int64), None, None, training=True),
        lambda T: T.nn.functional.batch_norm(T.randn(4, 3, dtype=T.float64), T.zeros(3), T.ones(3), training=True),
    ]
    check(programs[case])


def test_native_batch_norm_outputs():
    def program(T):
        x = T.linspace(-1, 3, 12).reshape(4, 3).requires_grad_()
        rm, rv = T.zeros(3), T.ones(3)
        train = T.native_batch_norm(x, None, None, rm, rv, True, 0.3, 1e-5)
        evaluated = T.native_batch_norm(x, None, None, rm, rv, False, 0.3, 1e-5)
        return {"train": train, "eval": evaluated, "rm": rm, "rv": rv, "plain": T.batch_norm(
            x, None, None, None, None, True, 0.1, 1e-5, False)}

    check(program)


# ----------------------------------------------------------------------------- layer norm
@settings(max_examples=25, deadline=None)
@given(seed=SEEDS, shape=st.sampled_from([(4, 3), (2, 3, 5), (3, 2, 2, 3), (6,)]), k=st.integers(1, 3),
       affine=st.booleans(), bias=st.booleans())
def test_layer_norm_module(seed, shape, k, affine, bias):
    k = min(k, len(shape))

    def program(T):
        T.manual_seed(seed)
        ln = T.nn.LayerNorm(shape[-k:], elementwise_affine=affine, bias=bias, eps=1e-4)
        if affine:
            with T.no_grad():
                for p in ln.parameters():
                    p.uniform_(-1, 2)
        x = (T.randn(*shape) * 2).requires_grad_()
        y = ln(x)
        (y * y.detach().sin()).sum().backward()
        return {"y": y, "x": x, "params": list(ln.parameters()), "repr": repr(ln), "keys": list(ln.state_dict())}

    check(program)


def test_native_layer_norm_outputs_and_int_shape():
    def program(T):
        x = T.linspace(-1, 3, 24).reshape(2, 3, 4).requires_grad_()
        return {"native": T.native_layer_norm(x, [3, 4], None, None, 1e-5), "int": T.nn.LayerNorm(4)(x),
                "functional": T.nn.functional.layer_norm(x, (4,), T.ones(4) * 2, None)}

    check(program)


@pytest.mark.parametrize("case", range(5))
def test_layer_norm_errors(case):
    programs = [
        lambda T: T.nn.functional.layer_norm(T.randn(4, 3), (4,)),
        lambda T: T.nn.functional.layer_norm(T.randn(4, 3), (3,), weight=T.ones(4)),
        lambda T: T.nn.functional.layer_norm(T.randn(4, 3), (3,), bias=T.ones(2)),
        lambda T: T.nn.functional.layer_norm(T.randn(4, 3), ()),
        lambda T: T.nn.functional.layer_norm(T.ones(2, 3, dtype=T.int64), (3,)),
    ]
    check(programs[case])


# ----------------------------------------------------------------------------- group norm
@settings(max_examples=25, deadline=None)
@given(seed=SEEDS, shape=st.sampled_from([(4, 6), (2, 6, 5), (3, 4, 2, 3), (1, 6, 3)]),
       groups=st.sampled_from([1, 2]), affine=st.booleans())
def test_group_norm_module(seed, shape, groups, affine):
    def program(T):
        T.manual_seed(seed)
        gn = T.nn.GroupNorm(groups, shape[1], affine=affine)
        if affine:
            with T.no_grad():
                for p in gn.parameters():
                    p.uniform_(-1, 2)
        x = (T.randn(*shape) * 2 - 1).requires_grad_()
        y = gn(x)
        (y * y.detach().cos()).sum().backward()
        return {"y": y, "x": x, "params": list(gn.parameters()), "repr": repr(gn)}

    check(program)


def test_native_group_norm_outputs():
    check(lambda T: T.native_group_norm(T.linspace(-1, 3, 24).reshape(2, 4, 3).requires_grad_(), None, None, 2, 4,
                                        3, 2, 1e-5))


@pytest.mark.parametrize("case", range(6))
def test_group_norm_errors(case):
    programs = [
        lambda T: T.nn.GroupNorm(2, 3),
        lambda T: T.nn.functional.group_norm(T.randn(4, 3), 2),
        lambda T: T.nn.functional.group_norm(T.randn(4, 3), 3, weight=T.ones(4)),
        lambda T: T.nn.functional.group_norm(T.randn(3), 1),
        lambda T: T.nn.functional.group_norm(T.randn(1, 1), 1),
        lambda T: T.nn.functional.group_norm(T.ones(2, 4, dtype=T.int64), 2),
    ]
    check(programs[case])


def test_values_against_formula():
    """The oracle-independent formula, as a guard of the test itself: normalised batch columns."""
    import reftorch
    x = reftorch.tensor([[1.0, 2.0], [3.0, 6.0]])
    y = reftorch.nn.functional.batch_norm(x, None, None, training=True).numpy()
    np.testing.assert_allclose(y, [[-1, -1], [1, 1]], atol=1e-4)


@pytest.mark.parametrize("case", range(6))
def test_edge_inputs(case):
    """Empty batches, half precision, a non-contiguous input and second derivatives (create_graph)."""
    def twice(T, f):
        x = T.linspace(-1, 2, 6).reshape(2, 3).requires_grad_()
        (first,) = T.autograd.grad((f(T, x) ** 3).sum(), x, create_graph=True)
        return T.autograd.grad(first.sum(), x)

    programs = [
        lambda T: T.nn.functional.batch_norm(T.randn(0, 3), T.zeros(3), T.ones(3)),
        lambda T: T.nn.functional.layer_norm(T.randn(0, 3), (3,)),
        lambda T: T.nn.functional.layer_norm(T.linspace(-1, 2, 6).reshape(2, 3).half(), (3,)),
        lambda T: T.nn.BatchNorm1d(4)(T.arange(24.0).reshape(2, 3, 4).transpose(1, 2)),
        lambda T: twice(T, lambda T, x: T.nn.functional.layer_norm(x, (3,))),
        lambda T: twice(T, lambda T, x: T.nn.functional.batch_norm(x, None, None, training=True)),
    ]
    check(programs[case])
