"""nn.init's structured and truncated initialisers, nn.utils' gradient clipping and parameter vectors,
normalize / cosine similarity / pairwise distance, ParameterList / ParameterDict, feature dropout:
differential against the installed torch."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from helpers import assert_same, check

import reftorch

LIBS = (reftorch, torch)


def _np(t):
    return t.detach().numpy()


# ---- nn.init
@pytest.mark.parametrize("shape", [(3, 3), (2, 5), (5, 2), (3,), (2, 2, 2)])
def test_eye_(shape):
    check(lambda T: T.nn.init.eye_(T.full(shape, 7.0, requires_grad=True)))


@pytest.mark.parametrize("shape,groups", [((4, 2, 3), 1), ((4, 2, 3, 3), 2), ((6, 3, 2, 3, 4), 3), ((2, 5, 3), 1),
                                          ((3, 2, 3), 2), ((2, 2), 1)])
def test_dirac_(shape, groups):
    check(lambda T: T.nn.init.dirac_(T.full(shape, 7.0), groups))


@pytest.mark.parametrize("seed", [0, 1, 5])
@pytest.mark.parametrize("args", [(0.0, 1.0, -2.0, 2.0), (0.5, 2.0, -0.5, 0.3), (0.0, 1.0, 1.5, 4.0),
                                  (1.0, 0.1, -1.0, 3.0), (0.0, 1.0, 5.0, 6.0)])
@pytest.mark.parametrize("shape", [(40,), (7, 9)])
def test_trunc_normal_same_seed_same_values(seed, args, shape):
    def program(T):
        T.manual_seed(seed)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            t = T.nn.init.trunc_normal_(T.empty(shape), *args)
        return t, T.rand(3), [str(w.message) for w in caught]

    check(program)


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 4), (2, 3, 4), (6, 2, 2), (1, 7)])
@pytest.mark.parametrize("gain", [1, 2.5])
def test_orthogonal_(shape, gain):
    got = []
    for T in LIBS:
        T.manual_seed(11)
        t = T.nn.init.orthogonal_(T.empty(shape), gain)
        got.append((_np(t), _np(T.rand(2))))
    # Q comes from NumPy's LAPACK QR, not torch's: equal to float32 rounding, not bit for bit
    np.testing.assert_allclose(got[0][0], got[1][0], rtol=1e-4, atol=1e-5)
    assert np.array_equal(got[0][1], got[1][1])  # the same draws consumed


def test_orthogonal_errors_and_empty():
    check(lambda T: T.nn.init.orthogonal_(T.empty(3)))
    check(lambda T: T.nn.init.orthogonal_(T.empty(0, 3)))


@pytest.mark.parametrize("shape,sparsity", [((10, 4), 0.3), ((5, 5), 0.9), ((4, 3), 0.0), ((3, 6), 1.0)])
def test_sparse_bit_exact(shape, sparsity):
    def program(T):
        T.manual_seed(4)
        return T.nn.init.sparse_(T.empty(shape), sparsity, std=0.5), T.rand(2)

    check(program)
    check(lambda T: T.nn.init.sparse_(T.empty(3), 0.1))


@pytest.mark.parametrize("name", ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                                  "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu", "gelu",
                                  "identity", "softmax"])
@pytest.mark.parametrize("param", [None, 0.2, 3, True, "x"])
def test_calculate_gain(name, param):
    check(lambda T: T.nn.init.calculate_gain(name, param))


@pytest.mark.parametrize("fn", ["kaiming_uniform_", "kaiming_normal_", "xavier_uniform_", "xavier_normal_"])
@pytest.mark.parametrize("shape", [(0, 3), (3,), ()])
def test_fan_errors_and_zero_element_warning(fn, shape):
    def program(T):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                t = getattr(T.nn.init, fn)(T.ones(shape))
            except Exception as exc:  # noqa: BLE001 - compared below
                t = (type(exc).__name__, str(exc))
        return t, [str(w.message) for w in caught]

    check(program)


# ---- nn.utils: clip_grad, convert_parameters
def _params_with_grads(T, seed=2, nonfinite=None):
    T.manual_seed(seed)
    ps = [T.nn.Parameter(T.randn(3, 4)), T.nn.Parameter(T.randn(5)), T.nn.Parameter(T.randn(2, 2)),
          T.nn.Parameter(T.randn(2, dtype=T.float64))]
    for i, p in enumerate(ps[:-1] if seed % 2 else ps):
        p.grad = T.randn(p.shape, dtype=p.dtype) * (i + 1)
    if nonfinite is not None:
        ps[1].grad[2] = nonfinite
    return ps


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, float("inf"), "inf", 0.5])
@pytest.mark.parametrize("max_norm", [0.5, 100.0])
@pytest.mark.parametrize("seed", [2, 3])
@pytest.mark.parametrize("foreach", [None, True, False])
def test_clip_grad_norm_(norm_type, max_norm, seed, foreach):
    def program(T):
        ps = _params_with_grads(T, seed)
        total = T.nn.utils.clip_grad_norm_(ps, max_norm, norm_type, foreach=foreach)
        return total, [p.grad for p in ps]

    check(program)


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
@pytest.mark.parametrize("error", [True, False])
def test_clip_grad_norm_nonfinite(value, error):
    def program(T):
        ps = _params_with_grads(T, 2, nonfinite=value)
        return T.nn.utils.clip_grad_norm_(ps, 1.0, error_if_nonfinite=error), [p.grad for p in ps]

    check(program)


def test_clip_grad_norm_single_tensor_empty_and_generator_warning():
    def program(T):
        p = T.nn.Parameter(T.arange(4.0))
        p.grad = T.tensor([3.0, 4.0, 0.0, 0.0])
        no_grad = T.nn.Parameter(T.ones(2))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            empty = T.nn.utils.clip_grad_norm_((q for q in []), 1.0)
            old = T.nn.utils.clip_grad_norm([no_grad], 1.0)
        return (T.nn.utils.clip_grad_norm_(p, 1.0), p.grad, empty, old, T.nn.utils.get_total_norm([p.grad], 1),
                [(w.category.__name__, str(w.message)) for w in caught])

    check(program)


@pytest.mark.parametrize("clip", [0.5, 2, 0.0])
def test_clip_grad_value_(clip):
    def program(T):
        ps = _params_with_grads(T, 3)
        return T.nn.utils.clip_grad_value_(ps, clip), [p.grad for p in ps]

    check(program)
    check(lambda T: T.nn.utils.clip_grad_value_(T.ones(2), 1.0))


def test_parameters_to_vector_and_back():
    def program(T):
        T.manual_seed(0)
        model = T.nn.Sequential(T.nn.Linear(3, 2), T.nn.Linear(2, 1))
        vec = T.nn.utils.parameters_to_vector(model.parameters())
        new = T.arange(float(vec.numel()))
        T.nn.utils.vector_to_parameters(new, model.parameters())
        new[0] = 100.0  # the parameters view the vector's storage
        return vec, [p for p in model.parameters()], [p.requires_grad for p in model.parameters()]

    check(program)


@pytest.mark.parametrize("bad", [[1.0, 2.0], np.zeros(2), None, 3])
def test_vector_to_parameters_type_error(bad):
    check(lambda T: T.nn.utils.vector_to_parameters(bad, [T.nn.Parameter(T.ones(2))]))


# ---- normalize, cosine similarity, distance modules
def _grad_program(fn, *shapes, dtype="float32"):
    def program(T):
        T.manual_seed(7)
        xs = [T.randn(s, dtype=getattr(T, dtype), requires_grad=True) for s in shapes]
        y = fn(T, *xs)
        (y * T.arange(1.0, y.numel() + 1, dtype=y.dtype).reshape(y.shape)).sum().backward()
        return y, [x.grad for x in xs]

    return program


@pytest.mark.parametrize("p", [2.0, 1, 3, float("inf")])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_normalize(p, dim):
    check(_grad_program(lambda T, x: T.nn.functional.normalize(x, p, dim), (3, 4)))


def test_normalize_zero_rows_eps_and_out():
    check(lambda T: T.nn.functional.normalize(T.tensor([[0.0, 0.0], [3.0, 4.0]]), eps=0.5))
    check(lambda T: T.nn.functional.normalize(T.ones(2, 3), dim=2))

    def with_out(T):
        out = T.empty(2, 2)
        r = T.nn.functional.normalize(T.tensor([[1.0, 1.0], [3.0, 4.0]]), out=out)
        return r, out

    check(with_out)


@pytest.mark.parametrize("shapes,dim", [(((4, 3), (4, 3)), 1), (((2, 3, 4), (3, 1)), 1), (((5,), (5,)), 0),
                                        (((2, 3), (1, 3)), -1), (((4, 3), (4, 3)), 0)])
def test_cosine_similarity(shapes, dim):
    check(_grad_program(lambda T, a, b: T.nn.functional.cosine_similarity(a, b, dim), *shapes))
    check(_grad_program(lambda T, a, b: T.nn.CosineSimilarity(dim)(a, b), *shapes, dtype="float64"))


def test_cosine_similarity_eps_dtypes_and_errors():
    check(lambda T: T.nn.functional.cosine_similarity(T.zeros(2, 3), T.ones(2, 3)))
    check(lambda T: T.nn.functional.cosine_similarity(T.tensor([[1e-5, 0.0]]), T.tensor([[1.0, 1.0]]), eps=0.1))
    check(lambda T: T.nn.functional.cosine_similarity(T.ones(3, dtype=T.long), T.ones(3), dim=0))
    check(lambda T: T.nn.functional.cosine_similarity(T.ones(3, dtype=T.long), T.ones(3, dtype=T.long), dim=0))
    check(lambda T: T.nn.functional.cosine_similarity(T.ones(2, 3), T.ones(2, 4)))
    check(lambda T: T.nn.functional.cosine_similarity(T.ones(2, 3), T.ones(2, 3), dim=2))


@pytest.mark.parametrize("p,keepdim", [(2.0, False), (1.0, True), (3, False), (float("inf"), False), (-1.0, True)])
def test_pairwise_distance_module(p, keepdim):
    program = _grad_program(lambda T, a, b: T.nn.PairwiseDistance(p, 1e-6, keepdim)(a, b), (4, 3), (4, 3))
    # grad_fns left out: torch's ATen pairwise_distance calls at::norm (NormBackward1); reftorch's existing
    # F.pairwise_distance goes through linalg_vector_norm (LinalgVectorNormBackward0), the same values
    assert_same(program(reftorch), program(torch), grad_fns=False)
    check(lambda T: (repr(T.nn.PairwiseDistance(p, keepdim=keepdim)), repr(T.nn.CosineSimilarity(0, 1e-3)),
                     T.nn.PairwiseDistance(p).norm))


# ---- ParameterList / ParameterDict
def _named(module):
    return [(n, p) for n, p in module.named_parameters()]


def test_parameter_list():
    def program(T):
        T.manual_seed(0)
        pl = T.nn.ParameterList([T.randn(2, 3), T.nn.Parameter(T.randn(2), requires_grad=False), 3])
        pl.append(T.ones(1, dtype=T.float64))
        pl.extend([T.zeros(2, 2)])
        pl += [T.ones(3)]
        pl[0] = T.full((1,), 2.0)
        errors = []
        for bad in (lambda: pl[10], lambda: pl.extend(T.ones(2)), lambda: pl.extend(3), lambda: pl(1),
                    lambda: pl["a"]):
            try:
                bad()
            except Exception as exc:  # noqa: BLE001 - compared
                errors.append((type(exc).__name__, str(exc)))
        sliced = pl[1::2]
        return (repr(pl), len(pl), _named(pl), [type(p).__name__ for p in pl], pl[-1], repr(sliced), len(sliced),
                _named(sliced), errors, [k for k in dir(pl) if k.isdigit()], repr(T.nn.ParameterList()))

    check(program)


def test_parameter_list_in_a_module_trains():
    def program(T):
        T.manual_seed(1)
        m = T.nn.Module()
        m.ps = T.nn.ParameterList([T.randn(3) for _ in range(2)])
        (m.ps[0] * m.ps[1]).sum().backward()
        return repr(m), _named(m), [p.grad for p in m.parameters()], list(m.state_dict())

    check(program)


def test_parameter_dict():
    def program(T):
        T.manual_seed(0)
        pd = T.nn.ParameterDict({"b": T.randn(2, 3), "a": T.nn.Parameter(T.randn(2)), "c": "text"})
        pd.update([("z", T.ones(1, dtype=T.float64)), ("y", T.zeros(2))])
        pd.update(pd.fromkeys(["k"], T.ones(4)))
        pd["a"] = T.full((1,), 2.0)
        out = [repr(pd), len(pd), list(pd), list(reversed(pd)), _named(pd), "a" in pd, pd.get("nope", 5),
               pd.setdefault("s", T.ones(1)), pd.pop("b"), pd.popitem(), list(pd.keys()), list(pd.values()),
               type(pd["y"]).__name__]
        other = T.nn.ParameterDict({"q": T.ones(1)})
        out += [list(pd | other), list(other | pd)]
        pd |= other
        out += [list(pd), repr(pd.copy())]
        errors = []
        for bad in (lambda: pd[3], lambda: pd.update(3), lambda: pd.update([3]), lambda: pd.update([(1, 2, 3)]),
                    lambda: pd(1), lambda: pd["missing"]):
            try:
                bad()
            except Exception as exc:  # noqa: BLE001 - compared
                errors.append((type(exc).__name__, str(exc)))
        pd.clear()
        return out, errors, len(pd), repr(pd)

    check(program)


# ---- feature and alpha dropout
def _dropout_program(fn, shape, seed=3, inplace=False):
    def program(T):
        T.manual_seed(seed)
        leaf = T.randn(shape, requires_grad=True)
        x = leaf * 1 if inplace else leaf
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            y = fn(T, x)
        if y.requires_grad:
            (y * T.arange(1.0, y.numel() + 1).reshape(y.shape)).sum().backward()
        return y, leaf.grad, T.rand(2), [str(w.message) for w in caught]

    return program


@pytest.mark.parametrize("p", [0.0, 0.3, 0.5, 1.0])
@pytest.mark.parametrize("name,shape", [("dropout1d", (4, 5, 3)), ("dropout1d", (5, 3)), ("dropout2d", (3, 4, 2, 2)),
                                        ("dropout2d", (3, 4, 2)), ("dropout2d", (6, 2)), ("dropout3d", (2, 3, 2, 2, 2)),
                                        ("dropout3d", (3, 2, 2, 2)), ("alpha_dropout", (4, 6)),
                                        ("feature_alpha_dropout", (4, 5, 3)), ("alpha_dropout", (7,))])
@pytest.mark.parametrize("inplace", [False, True])
def test_functional_feature_and_alpha_dropout(p, name, shape, inplace):
    check(_dropout_program(lambda T, x: getattr(T.nn.functional, name)(x, p, True, inplace), shape, inplace=inplace))


@pytest.mark.parametrize("name", ["feature_dropout", "alpha_dropout", "feature_alpha_dropout"])
@pytest.mark.parametrize("args", [(0.4, True), (0.4, False), (1.5, True), (0.0, True), (1.0, True)])
@pytest.mark.parametrize("shape", [(3, 4), (5,), (0, 3)])
def test_aten_dropout_variants(name, args, shape):
    check(_dropout_program(lambda T, x: getattr(T, name)(x, *args), shape))
    check(_dropout_program(lambda T, x: getattr(T, name + "_")(x, *args), shape, inplace=True))


@pytest.mark.parametrize("cls,shape", [("Dropout1d", (3, 4, 5)), ("Dropout2d", (2, 3, 2, 2)),
                                       ("Dropout3d", (2, 2, 2, 2, 2)), ("AlphaDropout", (5, 4)),
                                       ("FeatureAlphaDropout", (3, 4, 2))])
def test_dropout_modules(cls, shape):
    def program(T):
        m = getattr(T.nn, cls)(0.25)
        out = _dropout_program(lambda T, x: m(x), shape)(T)
        m.eval()
        x = T.ones(shape)
        return out, repr(m), m(x) is x

    check(program)
    check(lambda T: getattr(T.nn, cls)(1.5))


def test_dropout_errors():
    check(lambda T: T.nn.functional.dropout1d(T.ones(2, 3, 4, 5)))
    check(lambda T: T.nn.functional.alpha_dropout(T.ones(2), -0.1))
    check(lambda T: T.nn.functional.feature_alpha_dropout(T.ones(2), 0.5, True))
    check(lambda T: T.feature_dropout(T.ones(2), 1.0, True))


# ---- interpolate / Upsample
INTERP_CASES = [
    ((1, 2, 5), {"size": 9, "mode": "nearest"}), ((1, 2, 5), {"scale_factor": 2.5, "mode": "nearest"}),
    ((1, 2, 6), {"size": 4, "mode": "nearest"}), ((2, 1, 5), {"scale_factor": 1.7, "mode": "linear"}),
    ((2, 1, 5), {"size": 8, "mode": "linear", "align_corners": True}), ((1, 1, 3), {"size": 1, "mode": "linear",
                                                                                     "align_corners": True}),
    ((1, 2, 3, 4), {"size": (5, 7), "mode": "nearest"}), ((1, 2, 3, 4), {"scale_factor": 2}),
    ((1, 2, 3, 4), {"scale_factor": (1.5, 0.6)}), ((2, 1, 4, 5), {"size": (7, 3), "mode": "bilinear"}),
    ((2, 1, 4, 5), {"size": (7, 3), "mode": "bilinear", "align_corners": True}),
    ((1, 1, 4, 5), {"scale_factor": 1.3, "mode": "bilinear"}),
    ((1, 1, 4, 5), {"scale_factor": 1.3, "mode": "bilinear", "recompute_scale_factor": True}),
    ((1, 1, 4, 4), {"size": 4, "mode": "bilinear"}), ((1, 1, 6, 6), {"size": (3, 2), "mode": "bilinear"}),
    ((1, 2, 2, 3, 2), {"scale_factor": 2, "mode": "trilinear"}), ((1, 1, 2, 3, 2), {"size": (3, 4, 5)}),
    ((1, 2, 6, 6), {"size": (4, 3), "mode": "area"}), ((1, 2, 6), {"scale_factor": 0.5, "mode": "area"}),
    ((1, 2, 5), {"size": 9, "mode": "nearest-exact"}),
    ((1, 2, 3, 4), {"scale_factor": (2.5, 0.7), "mode": "nearest-exact"}),
    ((1, 2, 4, 4), {"size": (8, 2), "mode": "nearest-exact"}),
    ((1, 1, 2, 3, 2), {"size": (3, 4, 5), "mode": "nearest-exact"}),
]


@pytest.mark.parametrize("shape,kwargs", INTERP_CASES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_interpolate(shape, kwargs, dtype):
    check(_grad_program(lambda T, x: T.nn.functional.interpolate(x, **kwargs), shape, dtype=dtype))


@pytest.mark.parametrize("shape,kwargs", [case for case in INTERP_CASES if case[1].get("mode") != "area"])
def test_upsample_module_and_second_derivative(shape, kwargs):

    def program(T):
        T.manual_seed(0)
        x = T.randn(shape, requires_grad=True)
        m = T.nn.Upsample(**{k: v for k, v in kwargs.items()})
        y = m(x)
        w = T.randn(y.shape, requires_grad=True)
        (g,) = T.autograd.grad((y * w).sum(), x, create_graph=True)  # Upsample*BackwardBackward0
        (gg,) = T.autograd.grad((g * g).sum(), w)  # through the backward op's derivative: the forward op
        return y, g, repr(m), gg

    check(program)


def test_interpolate_errors():
    bad = [
        lambda T: T.nn.functional.interpolate(T.ones(1, 1, 3, 3), size=(0, 2)),
        lambda T: T.nn.functional.interpolate(T.ones(1, 0, 3, 3), size=(2, 2)),
        lambda T: T.nn.functional.interpolate(T.ones(1, 1, 3, 3), size=2, scale_factor=2),
        lambda T: T.nn.functional.interpolate(T.ones(1, 1, 3, 3)),
        lambda T: T.nn.functional.interpolate(T.ones(1, 1, 3, 3), size=(2, 2, 2)),
        lambda T: T.nn.functional.interpolate(T.ones(1, 1, 3, 3), size=(2.0, 2)),
        lambda T: T.nn.functional.interpolate(T.ones(1, 1, 3, 3), scale_factor=(2.0,)),
        lambda T: T.nn.functional.interpolate(T.ones(1, 1, 3, 3), size=2, align_corners=True),
        lambda T: T.nn.functional.interpolate(T.ones(1, 1, 3, 3), size=2, recompute_scale_factor=True),
        lambda T: T.nn.functional.interpolate(T.ones(1, 1, 3), size=2, mode="bilinear"),
        lambda T: T.nn.functional.interpolate(T.ones(1, 1, 3, 3), size=2, mode="linear"),
        lambda T: T.nn.functional.interpolate(T.ones(3, 3), size=2),
        lambda T: T.nn.functional.interpolate(T.ones(1, 1, 3, 3), scale_factor=0.1),
        lambda T: T.nn.functional.interpolate(T.ones(1, 1, 3, 3, dtype=T.long), size=2),
        lambda T: T.nn.functional.interpolate(T.ones(1, 1, 3), size=2, antialias=True, mode="linear"),
    ]
    for program in bad:
        check(program)
    check(lambda T: (repr(T.nn.UpsamplingNearest2d(scale_factor=2)), repr(T.nn.UpsamplingBilinear2d(size=3)),
                     T.nn.UpsamplingBilinear2d(size=(3, 2))(T.arange(6.0).reshape(1, 1, 2, 3)),
                     repr(T.nn.Upsample(size=(3, 2), mode="bilinear")), T.nn.Upsample(scale_factor=0).scale_factor))


@pytest.mark.parametrize("fn,args", [("trunc_normal_", (0.0, 1.0, -2.0, 2.0)), ("trunc_normal_", (0.0, 1.0, 1.0, 3.0)),
                                     ("sparse_", (0.5,)), ("orthogonal_", (1.5,))])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_random_inits_with_a_generator_and_dtypes(fn, args, dtype):
    def program(T):
        T.manual_seed(123)
        g = T.Generator().manual_seed(9)
        t = getattr(T.nn.init, fn)(T.empty(6, 4, dtype=getattr(T, dtype)), *args, generator=g)
        return t, T.rand(2), T.rand(2, generator=g)

    if fn == "orthogonal_":
        (ours, theirs) = [program(T) for T in LIBS]
        np.testing.assert_allclose(_np(ours[0]), _np(theirs[0]), rtol=1e-4, atol=1e-6)
        assert all(np.array_equal(_np(a), _np(b)) for a, b in zip(ours[1:], theirs[1:], strict=True))
    else:
        check(program)


def test_torch_cosine_similarity_binding():
    check(lambda T: T.cosine_similarity(T.ones(2, 3), T.arange(6.0).reshape(2, 3), 1, 1e-8))
    check(lambda T: T.cosine_similarity(T.ones(2, 3), T.ones(2, 3), dim="x"))
    check(lambda T: T.cosine_similarity(T.ones(3), [1.0, 2.0, 3.0], 0))
    check(lambda T: T.nn.functional.cosine_similarity(T.ones(3, dtype=T.bool), T.ones(3, dtype=T.float64), 0))


# ----------------------------------------------------------------------------- Bilinear
def _bilinear_module(T, batch_shape, bias, dtype="float64"):
    T.manual_seed(7)
    m = T.nn.Bilinear(3, 4, 5, bias=bias, dtype=getattr(T, dtype))
    x1 = T.linspace(-1, 1, int(np.prod(batch_shape + (3,))), dtype=getattr(T, dtype)).reshape(batch_shape + (3,))
    x2 = T.linspace(2, -1, int(np.prod(batch_shape + (4,))), dtype=getattr(T, dtype)).reshape(batch_shape + (4,))
    x1.requires_grad_()
    x2.requires_grad_()
    out = m(x1, x2)
    out.pow(2).sum().backward()
    return {"out": out, "w": m.weight, "b": m.bias, "gw": m.weight.grad, "gb": None if m.bias is None else m.bias.grad,
            "g1": x1.grad, "g2": x2.grad, "repr": repr(m), "node": type(out.grad_fn).__name__}


@pytest.mark.parametrize("batch_shape", [(2,), (), (2, 3)])
@pytest.mark.parametrize("bias", [True, False])
def test_bilinear_module(batch_shape, bias):
    check(lambda T: _bilinear_module(T, batch_shape, bias))


def test_bilinear_float32_init_same_seed():
    check(lambda T: _bilinear_module(T, (2,), True, "float32"))


def test_bilinear_double_backward():
    def program(T):
        x1 = T.tensor([[0.5, -1.0], [1.5, 0.2]], dtype=T.float64, requires_grad=True)
        x2 = T.tensor([[1.0, 2.0, -0.5], [0.3, 0.1, 0.4]], dtype=T.float64, requires_grad=True)
        w = T.linspace(-1, 1, 12, dtype=T.float64).reshape(2, 2, 3).requires_grad_()
        (g1,) = T.autograd.grad(T.nn.functional.bilinear(x1, x2, w).pow(2).sum(), x1, create_graph=True)
        g1.sum().backward()
        return {"g1": g1, "x2": x2.grad, "w": w.grad, "node": type(g1.grad_fn).__name__}
    check(program)


@pytest.mark.parametrize("program", [
    lambda T: T.nn.functional.bilinear(T.ones(2, 3), T.ones(4), T.ones(5, 3, 4)),
    lambda T: T.nn.functional.bilinear(T.ones(2, 3), T.ones(1, 4), T.ones(5, 3, 4)),
    lambda T: T.nn.functional.bilinear(T.ones(2, 3), T.ones(2, 3), T.ones(5, 3, 4)),
    lambda T: T.nn.functional.bilinear(T.ones(2, 2), T.ones(2, 4), T.ones(5, 3, 4)),
    lambda T: T.nn.functional.bilinear(T.ones(2, 3), T.ones(2, 4), T.ones(5, 3, 4), T.ones(3)),
    lambda T: T.nn.functional.bilinear(T.ones(2, 3), T.ones(2, 4, dtype=T.float64), T.ones(5, 3, 4)),
    lambda T: T.nn.functional.bilinear(T.ones(2, 3, dtype=T.half), T.ones(2, 4, dtype=T.long), T.ones(5, 3, 4),
                                       T.ones(5, dtype=T.bool)),
    lambda T: T.bilinear(T.ones(2, 3, dtype=T.long), T.ones(2, 4, dtype=T.long), T.ones(5, 3, 4, dtype=T.long)),
    lambda T: T._trilinear(T.ones(2, 3), T.ones(5, 3, 4), T.ones(2, 4), [1, 3], [0], [1, 2], [2, 3]),
])
def test_bilinear_values_and_errors(program):
    check(program)
