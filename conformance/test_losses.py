"""Conformance tests for spec/losses.toml: every loss of the documents' table on drawn inputs and reductions.

Each predicate recomputes the documented formula in float64 NumPy on the oracle's result.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conformance import claims
from conformance import strategies as cst


def bounded_floats(shape: tuple[int, ...], lo: float = -4.0, hi: float = 4.0) -> st.SearchStrategy:
    """Nested lists of float32-representable values in [lo, hi]."""
    n = cst.numel(shape)
    values = st.floats(lo, hi, width=32, allow_subnormal=False, allow_nan=False)
    return st.lists(values, min_size=n, max_size=n).map(
        lambda flat: np.array(flat, dtype=np.float32).reshape(shape).tolist()
    )


def signs(shape: tuple[int, ...]) -> st.SearchStrategy:
    """Nested lists of labels in {1, -1}."""
    n = cst.numel(shape)
    return st.lists(st.sampled_from([1.0, -1.0]), min_size=n, max_size=n).map(
        lambda flat: np.array(flat).reshape(shape).tolist()
    )


def reduce(values: np.ndarray, reduction: str) -> np.ndarray:
    return {"none": values, "mean": values.mean(), "sum": values.sum()}[reduction]


def close(result, expected, rtol: float = 1e-4, atol: float = 1e-5) -> bool:
    return np.allclose(result.detach().numpy(), expected, rtol=rtol, atol=atol, equal_nan=True)


def f64(values) -> np.ndarray:
    return np.array(values, dtype=np.float32).astype(np.float64)


def log_softmax(x: np.ndarray, axis: int = 1) -> np.ndarray:
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


SHAPES = cst.nonempty_shapes(min_dims=1, max_dims=3, max_side=4)
REDUCTIONS = st.sampled_from(["none", "mean", "sum"])
BATCH = st.tuples(st.integers(1, 5), st.integers(2, 5))  # (N, C)


@st.composite
def class_targets(draw, n: int, c: int, ignore: bool = False) -> list[int]:
    choices = st.integers(0, c - 1) | st.just(-100) if ignore else st.integers(0, c - 1)
    return draw(st.lists(choices, min_size=n, max_size=n))


# (N, C) scores and N class indices
SCORES_AND_CLASSES = BATCH.flatmap(lambda nc: st.tuples(bounded_floats(nc), class_targets(*nc)))


# --- elementwise regression losses ---


REGRESSION_LOSSES = [
    pytest.param("L1Loss", (-4.0, 4.0), (-4.0, 4.0), lambda x, y: np.abs(x - y),
                 marks=claims("losses.l1-loss"), id="l1"),
    pytest.param("MSELoss", (-4.0, 4.0), (-4.0, 4.0), lambda x, y: (x - y) ** 2,
                 marks=claims("losses.mse-loss"), id="mse"),
    pytest.param("PoissonNLLLoss", (-3.0, 3.0), (0.0, 5.0), lambda x, y: np.exp(x) - y * x,
                 marks=claims("losses.poisson-nll-loss"), id="poisson-nll"),
]


@pytest.mark.parametrize("loss_name, x_range, y_range, elementwise", REGRESSION_LOSSES)
@given(shape=SHAPES, reduction=REDUCTIONS, data=st.data())
def test_regression_loss(differential, loss_name, x_range, y_range, elementwise, shape, reduction, data):
    """``loss_name(reduction)(x, y)`` and its gradient; the predicate reduces ``elementwise`` in float64."""
    x, y = data.draw(bounded_floats(shape, *x_range)), data.draw(bounded_floats(shape, *y_range))

    def program(T, device):
        a = T.tensor(x, device=device, requires_grad=True)
        loss = getattr(T.nn, loss_name)(reduction=reduction)(a, T.tensor(y, device=device))
        loss.sum().backward()
        return {"loss": loss, "a": a}

    differential(
        program,
        rtol=1e-5,
        predicate=lambda r, T: close(r["loss"], reduce(elementwise(f64(x), f64(y)), reduction)),
    )


# --- binary cross entropy ---


@claims("losses.bce-loss")
@given(shape=SHAPES, reduction=REDUCTIONS, weighted=st.booleans(), data=st.data())
def test_bce_loss(differential, shape, reduction, weighted, data):
    x = data.draw(bounded_floats(shape, 0.0078125, 0.9921875))
    y = data.draw(bounded_floats(shape, 0.0, 1.0))
    w = data.draw(bounded_floats(shape, 0.0, 2.0)) if weighted else None

    def program(T, device):
        a = T.tensor(x, device=device, requires_grad=True)
        weight = None if w is None else T.tensor(w, device=device)
        loss = T.nn.BCELoss(weight=weight, reduction=reduction)(a, T.tensor(y, device=device))
        loss.sum().backward()
        return {"loss": loss, "a": a}

    px, py = f64(x), f64(y)
    elementwise = -(py * np.log(px) + (1 - py) * np.log(1 - px)) * (1.0 if w is None else f64(w))
    differential(program, rtol=1e-5, predicate=lambda r, T: close(r["loss"], reduce(elementwise, reduction)))


@claims("losses.bce-input-out-of-range")
@given(shape=SHAPES, bad=st.sampled_from([1.5, -0.5, 3.0]), data=st.data())
def test_bce_input_out_of_range(differential, shape, bad, data):
    x = np.array(data.draw(bounded_floats(shape, 0.0078125, 0.9921875)), dtype=np.float32).reshape(-1)
    x[data.draw(st.integers(0, x.size - 1))] = bad
    x = x.reshape(shape).tolist()
    y = data.draw(bounded_floats(shape, 0.0, 1.0))

    def program(T, device):
        return T.nn.BCELoss()(T.tensor(x, device=device), T.tensor(y, device=device))

    differential(program)


@claims("losses.bce-with-logits-combines-sigmoid")
@given(shape=SHAPES, reduction=REDUCTIONS, use_pos_weight=st.booleans(), data=st.data())
def test_bce_with_logits(differential, shape, reduction, use_pos_weight, data):
    x = data.draw(bounded_floats(shape))
    y = data.draw(bounded_floats(shape, 0.0, 1.0))
    pw = data.draw(bounded_floats(shape[-1:], 0.5, 3.0)) if use_pos_weight else None

    def program(T, device):
        a = T.tensor(x, device=device, requires_grad=True)
        pos_weight = None if pw is None else T.tensor(pw, device=device)
        loss = T.nn.BCEWithLogitsLoss(reduction=reduction, pos_weight=pos_weight)(
            a, T.tensor(y, device=device)
        )
        loss.sum().backward()
        return {"loss": loss, "a": a}

    s, py = sigmoid(f64(x)), f64(y)
    weight = 1.0 if pw is None else f64(pw)
    elementwise = -(weight * py * np.log(s) + (1 - py) * np.log(1 - s))
    differential(program, rtol=1e-5, predicate=lambda r, T: close(r["loss"], reduce(elementwise, reduction)))


@claims("losses.bce-with-logits-on-probabilities")
@given(shape=SHAPES, data=st.data())
def test_bce_with_logits_on_probabilities(differential, shape, data):
    x = data.draw(bounded_floats(shape))
    y = data.draw(bounded_floats(shape, 0.0, 1.0))

    def program(T, device):
        probs = T.sigmoid(T.tensor(x, device=device))
        target = T.tensor(y, device=device)
        return {
            "with_logits": T.nn.BCEWithLogitsLoss()(probs, target),
            "double_sigmoid": T.nn.BCELoss()(T.sigmoid(probs), target),
        }

    differential(
        program,
        rtol=1e-5,
        predicate=lambda r, T: T.allclose(r["with_logits"], r["double_sigmoid"], rtol=1e-5, atol=1e-6),
    )


# --- cross entropy and NLL ---


@claims("losses.cross-entropy-is-log-softmax-nll")
@given(
    nc=BATCH,
    extra=st.sampled_from([(), (3,)]),
    reduction=REDUCTIONS,
    weighted=st.booleans(),
    ignore=st.booleans(),
    data=st.data(),
)
def test_cross_entropy_is_log_softmax_nll(differential, nc, extra, reduction, weighted, ignore, data):
    n, c = nc
    x = data.draw(bounded_floats((n, c, *extra)))
    t = np.array(data.draw(class_targets(n * cst.numel(extra), c, ignore))).reshape((n, *extra)).tolist()
    w = data.draw(bounded_floats((c,), 0.25, 2.0)) if weighted else None

    def program(T, device):
        a = T.tensor(x, device=device, requires_grad=True)
        target = T.tensor(t, device=device)
        weight = None if w is None else T.tensor(w, device=device)
        ce = T.nn.CrossEntropyLoss(weight=weight, reduction=reduction)(a, target)
        nll = T.nn.NLLLoss(weight=weight, reduction=reduction)(T.nn.functional.log_softmax(a, dim=1), target)
        ce.sum().backward()
        return {"ce": ce, "nll": nll.detach(), "a": a}

    differential(program, rtol=1e-5, predicate=lambda r, T: close(r["ce"], r["nll"].numpy(), 1e-5, 1e-6))


@claims("losses.cross-entropy-probability-targets")
@given(nc=BATCH, one_hot=st.booleans(), data=st.data())
def test_cross_entropy_probability_targets(differential, nc, one_hot, data):
    n, c = nc
    x = data.draw(bounded_floats((n, c)))
    indices = data.draw(class_targets(n, c))
    probs = np.eye(c)[indices] if one_hot else np.exp(log_softmax(f64(data.draw(bounded_floats((n, c))))))
    probs = probs.astype(np.float32).tolist()

    def program(T, device):
        logits = T.tensor(x, device=device)
        soft = T.nn.CrossEntropyLoss()(logits, T.tensor(probs, device=device))
        return {"soft": soft, "indexed": T.nn.CrossEntropyLoss()(logits, T.tensor(indices, device=device))}

    expected = -(f64(probs) * log_softmax(f64(x))).sum(axis=1).mean()
    differential(
        program,
        rtol=1e-5,
        predicate=lambda r, T: (
            close(r["soft"], expected)
            and (not one_hot or T.allclose(r["soft"], r["indexed"], rtol=1e-5, atol=1e-6))
        ),
    )


@claims("losses.cross-entropy-float-index-target")
@pytest.mark.parametrize(
    "label_dtype, sizes, predicate",
    [
        pytest.param("float", st.integers(1, 8), None, id="float-label"),
        pytest.param("long", st.sampled_from([1, 7, 5000]),
                     lambda r, T: math.isclose(r.item(), math.log(2), rel_tol=1e-6), id="long-label"),
    ],
)
@given(data=st.data())
def test_cross_entropy_label_dtype(differential, label_dtype, sizes, predicate, data):
    """Class-index labels must be long: float ones of the inputs' batch shape are refused."""
    n = data.draw(sizes)

    def program(T, device):
        inputs = T.ones((n, 2), dtype=T.float, device=device)
        label = T.ones(n, dtype=getattr(T, label_dtype), device=device)
        return T.nn.CrossEntropyLoss()(inputs, label)

    differential(program, predicate=predicate)


NOTE_OUTPUTS = (
    [0.8982, 0.805, 0.6393, 0.9983, 0.5731, 0.0469, 0.556, 0.1476, 0.8404, 0.5544],
    [0.9457, 0.0195, 0.9846, 0.3231, 0.1605, 0.3143, 0.9508, 0.2762, 0.7276, 0.4332],
)


@claims("losses.cross-entropy-formula-example", "losses.cross-entropy-description")
def test_cross_entropy_formula_document_example(differential):
    def program(T, device):
        logits = T.tensor(NOTE_OUTPUTS, device=device)
        ce = T.nn.CrossEntropyLoss()(logits, T.tensor([1, 5], device=device))
        probs = T.softmax(logits, dim=1)
        one_hot = T.nn.functional.one_hot(T.tensor([1, 5], device=device), 10).float()
        return {"ce": ce, "label_minus_prediction": (one_hot - probs).abs().mean()}

    differential(
        program,
        predicate=lambda r, T: (
            math.isclose(r["ce"].item(), 2.351937720511233, rel_tol=1e-6)
            and not math.isclose(r["ce"].item(), r["label_minus_prediction"].item(), rel_tol=1e-2)
        ),
    )


def _mean_picked_log_softmax(x: np.ndarray, target: list[int]) -> float:
    return -log_softmax(x)[np.arange(len(target)), target].mean()


def _documented_formula(x: np.ndarray, target: list[int]) -> float:
    """The documents' formula: mean over samples of log(sum(exp(x))) - x[target]."""
    return np.mean([np.log(np.exp(row).sum()) - row[t] for row, t in zip(x, target, strict=True)])


@pytest.mark.parametrize(
    "expected_loss, rtol, float32_scalar",
    [
        pytest.param(_mean_picked_log_softmax, 1e-5, True, marks=claims("losses.cross-entropy-usage"), id="usage"),
        pytest.param(
            _documented_formula,
            None,
            False,
            marks=claims("losses.cross-entropy-formula-example", "losses.cross-entropy-description"),
            id="formula",
        ),
    ],
)
@given(batch=SCORES_AND_CLASSES)
def test_cross_entropy_class_targets(differential, expected_loss, rtol, float32_scalar, batch):
    """CrossEntropyLoss()(scores, class indices) against ``expected_loss`` in float64 (and, for the usage
    claim, a 0-dim float32 result)."""
    x, target = batch

    def program(T, device):
        loss_fn = T.nn.CrossEntropyLoss()
        return loss_fn(T.tensor(x, device=device), T.tensor(target, device=device))

    expected = expected_loss(f64(x), target)
    differential(
        program,
        rtol=rtol,
        predicate=lambda r, T: (not float32_scalar or (r.dim() == 0 and r.dtype == T.float32)) and close(r, expected),
    )


@claims("losses.custom-cross-entropy")
@given(batch=SCORES_AND_CLASSES)
def test_custom_cross_entropy(differential, batch):
    out, labels = batch

    def program(T, device):
        def my_cross_entropy_loss(outputs, labels):
            batch_size = outputs.size()[0]
            outputs = T.nn.functional.log_softmax(outputs, dim=1)
            outputs = outputs[range(batch_size), labels]
            return -T.sum(outputs) / batch_size

        outputs, target = T.tensor(out, device=device), T.tensor(labels, device=device)
        return {
            "custom": my_cross_entropy_loss(outputs, target),
            "builtin": T.nn.CrossEntropyLoss()(outputs, target),
        }

    differential(
        program, rtol=1e-5, predicate=lambda r, T: T.allclose(r["custom"], r["builtin"], rtol=1e-5, atol=1e-6)
    )


@claims("losses.nll-loss")
@given(nc=BATCH, reduction=REDUCTIONS, weighted=st.booleans(), data=st.data())
def test_nll_loss(differential, nc, reduction, weighted, data):
    n, c = nc
    x = data.draw(bounded_floats((n, c)))
    t = data.draw(class_targets(n, c, ignore=True))
    w = data.draw(bounded_floats((c,), 0.25, 2.0)) if weighted else [1.0] * c

    def program(T, device):
        a = T.tensor(x, device=device, requires_grad=True)
        loss = T.nn.NLLLoss(weight=T.tensor(w, device=device) if weighted else None, reduction=reduction)(
            a, T.tensor(t, device=device)
        )
        loss.sum().backward()
        return {"loss": loss, "a": a}

    xs, ws = f64(x), f64(w)
    per = np.array([0.0 if ti == -100 else -ws[ti] * xs[i, ti] for i, ti in enumerate(t)])
    total_w = sum(ws[ti] for ti in t if ti != -100)
    expected = {"none": per, "sum": per.sum(), "mean": per.sum() / total_w if total_w else np.nan}[reduction]
    differential(program, rtol=1e-5, predicate=lambda r, T: close(r["loss"], expected))


def _ctc_brute_force(log_probs: np.ndarray, target: list[int], steps: int) -> float:
    """-log of the summed probability of every length-``steps`` path that collapses to ``target``."""
    total = 0.0
    for path in itertools.product(range(log_probs.shape[1]), repeat=steps):
        collapsed = [s for i, s in enumerate(path) if s != 0 and (i == 0 or s != path[i - 1])]
        if collapsed == target:
            total += math.exp(sum(log_probs[i, s] for i, s in enumerate(path)))
    return -math.log(total)


@settings(max_examples=10)
@claims("losses.ctc-loss")
@given(
    steps=st.integers(1, 4), n=st.integers(1, 3), c=st.integers(2, 3), reduction=REDUCTIONS, data=st.data()
)
def test_ctc_loss(differential, steps, n, c, reduction, data):
    logits = data.draw(bounded_floats((steps, n, c), -2.0, 2.0))
    max_len = max(1, (steps + 1) // 2)
    lengths = data.draw(st.lists(st.integers(1, max_len), min_size=n, max_size=n))
    targets = [
        data.draw(st.lists(st.integers(1, c - 1), min_size=max_len, max_size=max_len)) for _ in range(n)
    ]
    # with repeated symbols a blank must separate them: keep targets short enough to be reachable
    assume(
        all(
            length + sum(a == b for a, b in zip(tg[:length], tg[1:length])) <= steps
            for tg, length in zip(targets, lengths, strict=True)
        )
    )

    def program(T, device):
        log_probs = T.tensor(logits, device=device).log_softmax(2).detach().requires_grad_()
        loss = T.nn.CTCLoss(reduction=reduction)(
            log_probs,
            T.tensor(targets, device=device),
            T.tensor([steps] * n, device=device),
            T.tensor(lengths, device=device),
        )
        loss.sum().backward()
        return {"loss": loss, "log_probs": log_probs}

    lp = log_softmax(f64(logits), axis=2)
    per = np.array([_ctc_brute_force(lp[:, i, :], targets[i][: lengths[i]], steps) for i in range(n)])
    expected = {"none": per, "sum": per.sum(), "mean": (per / np.array(lengths)).mean()}[reduction]
    differential(program, predicate=lambda r, T: close(r["loss"], expected))


@claims("losses.kl-div-loss")
@given(
    nc=BATCH,
    reduction=st.sampled_from(["none", "sum", "batchmean", "mean"]),
    zero=st.booleans(),
    data=st.data(),
)
def test_kl_div_loss(differential, nc, reduction, zero, data):
    n, c = nc
    x = data.draw(bounded_floats((n, c)))
    p = np.exp(log_softmax(f64(data.draw(bounded_floats((n, c))))))
    if zero:
        p[0, 0] = 0.0
    y = p.astype(np.float32).tolist()

    def program(T, device):
        log_q = T.nn.functional.log_softmax(T.tensor(x, device=device), dim=1)
        return T.nn.KLDivLoss(reduction=reduction)(log_q, T.tensor(y, device=device))

    py, lq = f64(y), log_softmax(f64(x))
    pointwise = np.where(py > 0, py * (np.log(np.where(py > 0, py, 1.0)) - lq), 0.0)
    expected = {
        "none": pointwise,
        "sum": pointwise.sum(),
        "batchmean": pointwise.sum() / n,
        "mean": pointwise.mean(),
    }[reduction]
    differential(program, rtol=1e-4, atol=1e-5, predicate=lambda r, T: close(r, expected))


# --- margin and embedding losses ---


def _smooth_l1(x: np.ndarray, y: np.ndarray, beta: float = 1.0) -> np.ndarray:
    d = np.abs(x - y)
    return np.where(d < beta, 0.5 * d**2 / beta, d - 0.5 * beta)


POINTWISE_LOSSES = [
    pytest.param("HingeEmbeddingLoss", signs, st.sampled_from([0.5, 1.0, 2.0]).map(lambda m: {"margin": m}),
                 lambda x, y, margin: np.where(y == 1, x, np.maximum(0, margin - x)),
                 marks=claims("losses.hinge-embedding-loss"), id="hinge-embedding"),
    pytest.param("SmoothL1Loss", bounded_floats,
                 st.sampled_from([None, 0.5, 1.0, 2.0]).map(lambda b: {} if b is None else {"beta": b}),
                 _smooth_l1, marks=claims("losses.smooth-l1-loss"), id="smooth-l1"),
    pytest.param("SoftMarginLoss", signs, st.just({}), lambda x, y: np.log1p(np.exp(-y * x)),
                 marks=claims("losses.soft-margin-loss"), id="soft-margin"),
]


@pytest.mark.parametrize("loss_name, targets, options, elementwise", POINTWISE_LOSSES)
@given(shape=SHAPES, reduction=REDUCTIONS, data=st.data())
def test_pointwise_loss(differential, loss_name, targets, options, elementwise, shape, reduction, data):
    """``loss_name(reduction, **options)(x, y)`` with y drawn by ``targets``; ``elementwise`` in float64."""
    x, y, kwargs = data.draw(bounded_floats(shape)), data.draw(targets(shape)), data.draw(options)

    def program(T, device):
        loss = getattr(T.nn, loss_name)(reduction=reduction, **kwargs)
        return loss(T.tensor(x, device=device), T.tensor(y, device=device))

    per = elementwise(f64(x), f64(y), **kwargs)
    differential(program, predicate=lambda r, T: close(r, reduce(per, reduction)))


@st.composite
def label_rows(draw, n: int, c: int) -> list[list[int]]:
    """MultiLabelMarginLoss targets: per sample, distinct class indices padded with -1 to C entries."""
    rows = []
    for _ in range(n):
        labels = draw(st.lists(st.integers(0, c - 1), min_size=0, max_size=c, unique=True))
        rows.append(labels + [-1] * (c - len(labels)))
    return rows


def label_matrix(n: int, c: int) -> st.SearchStrategy:
    """(N, C) multi-hot targets of 0.0 / 1.0."""
    return st.lists(st.lists(st.sampled_from([0.0, 1.0]), min_size=c, max_size=c), min_size=n, max_size=n)


def _multilabel_margin(x: np.ndarray, rows: list[list[int]]) -> np.ndarray:
    c = x.shape[1]
    per = []
    for i, row in enumerate(rows):
        targets = row[: row.index(-1)] if -1 in row else row
        others = [k for k in range(c) if k not in targets]
        per.append(sum(max(0.0, 1 - (x[i, j] - x[i, k])) for j in targets for k in others) / c)
    return np.array(per)


def _multilabel_soft_margin(x: np.ndarray, y: list[list[float]]) -> np.ndarray:
    y = np.array(y)
    return -(y * np.log(sigmoid(x)) + (1 - y) * np.log(sigmoid(-x))).mean(axis=1)


def _multi_margin(x: np.ndarray, t: list[int], p: int, margin: float) -> np.ndarray:
    n, c = x.shape
    return np.array(
        [sum(max(0.0, margin - x[i, t[i]] + x[i, k]) ** p for k in range(c) if k != t[i]) / c for i in range(n)]
    )


CLASS_TARGET_LOSSES = [
    pytest.param("MultiLabelMarginLoss", label_rows, st.just({}), _multilabel_margin,
                 marks=claims("losses.multilabel-margin-loss"), id="multilabel-margin"),
    pytest.param("MultiLabelSoftMarginLoss", label_matrix, st.just({}), _multilabel_soft_margin,
                 marks=claims("losses.multilabel-soft-margin-loss"), id="multilabel-soft-margin"),
    pytest.param("MultiMarginLoss", class_targets,
                 st.fixed_dictionaries({"p": st.sampled_from([1, 2]), "margin": st.sampled_from([1.0, 0.5])}),
                 _multi_margin, marks=claims("losses.multi-margin-loss"), id="multi-margin"),
]


@pytest.mark.parametrize("loss_name, targets, options, per_sample", CLASS_TARGET_LOSSES)
@given(nc=BATCH, reduction=REDUCTIONS, data=st.data())
def test_class_target_loss(differential, loss_name, targets, options, per_sample, nc, reduction, data):
    """``loss_name(reduction, **options)(x, targets)`` for (N, C) scores; ``per_sample`` in float64."""
    n, c = nc
    x = data.draw(bounded_floats((n, c)))
    t = data.draw(targets(n, c))
    kwargs = data.draw(options)

    def program(T, device):
        loss = getattr(T.nn, loss_name)(reduction=reduction, **kwargs)
        return loss(T.tensor(x, device=device), T.tensor(t, device=device))

    per = per_sample(f64(x), t, **kwargs)
    differential(program, predicate=lambda r, T: close(r, reduce(per, reduction)))


def _rows(u: np.ndarray) -> np.ndarray:
    return np.linalg.norm(u, axis=1)


def _cosine_embedding(x1: np.ndarray, x2: np.ndarray, y: np.ndarray, margin: float) -> np.ndarray:
    cos = (x1 * x2).sum(1) / (_rows(x1) * _rows(x2))
    return np.where(y == 1, 1 - cos, np.maximum(0, cos - margin))


def _triplet(a: np.ndarray, p: np.ndarray, q: np.ndarray, margin: float) -> np.ndarray:
    return np.maximum(_rows(a - p + 1e-6) - _rows(a - q + 1e-6) + margin, 0)


def _vectors_and_signs(n: int) -> st.SearchStrategy:
    return st.tuples(bounded_floats((n,)), bounded_floats((n,)), signs((n,)))


def _row_pairs_and_signs(nd: tuple[int, int]) -> st.SearchStrategy:
    """Two (N, D) inputs whose rows are not too short for a stable cosine, and N labels."""
    pairs = st.tuples(bounded_floats(nd), bounded_floats(nd)).filter(
        lambda ab: bool(np.all(_rows(f64(ab[0])) > 0.5) and np.all(_rows(f64(ab[1])) > 0.5)))
    return st.tuples(pairs, signs(nd[:1])).map(lambda ab_y: (*ab_y[0], ab_y[1]))


def _row_triples(nd: tuple[int, int]) -> st.SearchStrategy:
    return st.tuples(*(bounded_floats(nd) for _ in range(3)))


ROWS = st.tuples(st.integers(1, 4), st.integers(1, 4))  # (N, D)
THREE_INPUT_LOSSES = [
    pytest.param("MarginRankingLoss", st.integers(1, 6).flatmap(_vectors_and_signs), [0.0, 0.5, 1.0],
                 lambda x1, x2, y, margin: np.maximum(0, -y * (x1 - x2) + margin),
                 marks=claims("losses.margin-ranking-loss"), id="margin-ranking"),
    pytest.param("CosineEmbeddingLoss", ROWS.flatmap(_row_pairs_and_signs), [0.0, 0.3, -0.2], _cosine_embedding,
                 marks=claims("losses.cosine-embedding-loss"), id="cosine-embedding"),
    pytest.param("TripletMarginLoss", ROWS.flatmap(_row_triples), [1.0, 0.5, 2.0], _triplet,
                 marks=claims("losses.triplet-margin-loss"), id="triplet-margin"),
]


@pytest.mark.parametrize("loss_name, inputs, margins, per_sample", THREE_INPUT_LOSSES)
@given(reduction=REDUCTIONS, data=st.data())
def test_three_input_loss(differential, loss_name, inputs, margins, per_sample, reduction, data):
    """``loss_name(margin, reduction)(i1, i2, i3)``; ``per_sample`` in float64."""
    drawn = data.draw(inputs)
    margin = data.draw(st.sampled_from(margins))

    def program(T, device):
        loss = getattr(T.nn, loss_name)(margin=margin, reduction=reduction)
        return loss(*(T.tensor(v, device=device) for v in drawn))

    per = per_sample(*(f64(v) for v in drawn), margin)
    differential(program, predicate=lambda r, T: close(r, reduce(per, reduction)))


# --- using losses ---


@claims("losses.mean-reduction-item")
@given(batch=SCORES_AND_CLASSES)
def test_mean_reduction_item(differential, batch):
    out, target = batch
    n = len(out)

    def program(T, device):
        outputs, labels = T.tensor(out, device=device), T.tensor(target, device=device)
        loss = T.nn.CrossEntropyLoss()(outputs, labels)
        running_loss = 0.0
        running_loss += loss.item() * n
        total = T.nn.CrossEntropyLoss(reduction="sum")(outputs, labels).item()
        return {"item": loss.item(), "running": running_loss, "sum": total}

    differential(
        program,
        predicate=lambda r, T: (
            type(r["item"]) is float and math.isclose(r["running"], r["sum"], rel_tol=1e-5, abs_tol=1e-5)
        ),
    )


@settings(max_examples=5)
@claims("losses.mse-batch-example")
@given(batch_size=st.sampled_from([1, 10, 3]), seed=st.integers(0, 2**16))
def test_mse_batch_example(differential, batch_size, seed):
    def program(T, device):
        T.manual_seed(seed)
        net = T.nn.Linear(100, 10).to(device)
        output = net(T.randn(batch_size, 100, device=device))
        target = T.randn(batch_size, 10, device=device)
        loss = T.nn.MSELoss()(output, target)
        print(loss)
        return {"loss": loss, "printed": str(loss)}

    differential(
        program,
        rtol=1e-5,
        predicate=lambda r, T: (
            r["loss"].dim() == 0
            and r["printed"].startswith("tensor(")
            and r["printed"].endswith(", grad_fn=<MseLossBackward0>)")
        ),
    )


@claims("losses.focal-softmax-gather")
def test_focal_softmax_gather_document_example(differential):
    def program(T, device):
        model_preds = T.Tensor([[[[0.1, 0.4, 0.2]], [[0.3, 0.6, 0.7]]]])
        targets = T.Tensor([[[0, 1, 0]]]).long()
        probs = T.nn.functional.softmax(model_preds, dim=1)
        print(probs)
        picked = probs.gather(1, targets.unsqueeze(1))
        print(picked)
        return {"probs": str(probs), "picked": str(picked)}

    differential(
        program,
        predicate=lambda r, T: (
            r
            == {
                "probs": "tensor([[[[0.4502, 0.4502, 0.3775]],\n\n         [[0.5498, 0.5498, 0.6225]]]])",
                "picked": "tensor([[[[0.4502, 0.5498, 0.3775]]]])",
            }
        ),
    )


@claims("losses.focal-softmax-gather")
@given(
    m=st.integers(1, 2),
    c=st.integers(2, 4),
    hw=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    data=st.data(),
)
def test_focal_softmax_gather(differential, m, c, hw, data):
    preds = data.draw(bounded_floats((m, c, *hw)))
    targets = np.array(
        data.draw(st.lists(st.integers(0, c - 1), min_size=m * hw[0] * hw[1], max_size=m * hw[0] * hw[1]))
    ).reshape(m, *hw)

    def program(T, device):
        probs = T.nn.functional.softmax(T.tensor(preds, device=device), dim=1)
        return {
            "probs": probs,
            "picked": probs.gather(1, T.tensor(targets.tolist(), device=device).unsqueeze(1)),
        }

    expected_probs = np.exp(log_softmax(f64(preds)))
    expected_picked = np.take_along_axis(expected_probs, targets[:, None], axis=1)
    differential(
        program,
        predicate=lambda r, T: close(r["probs"], expected_probs) and close(r["picked"], expected_picked),
    )
