"""Every loss of spec/losses.toml against torch: values for each reduction, gradients, node names,
warnings and errors (expected values come from the oracle through ``check``)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import check

X = [[0.2, -1.3, 0.7, 2.1], [1.5, 0.1, -0.4, -2.0], [0.0, 0.9, -0.8, 0.3]]
P = [[0.2, 0.7, 0.5, 0.9], [0.95, 0.1, 0.4, 0.05], [0.5, 0.3, 0.8, 0.6]]
SIGNS = [[1.0, -1.0, 1.0, 1.0], [-1.0, -1.0, 1.0, -1.0], [1.0, 1.0, -1.0, 1.0]]


def _run(T, make, reduction):
    x = T.tensor(X, requires_grad=True)
    loss = make(T, x, reduction)
    loss.sum().backward()
    return {"loss": loss, "grad": x.grad, "node": type(loss.grad_fn).__name__}


LOSSES = {
    "l1": lambda T, x, r: T.nn.L1Loss(reduction=r)(x, T.tensor(P)),
    "mse": lambda T, x, r: T.nn.MSELoss(reduction=r)(x, T.tensor(P)),
    "bce": lambda T, x, r: T.nn.BCELoss(weight=T.tensor([1.0, 2.0, 0.5, 1.0]), reduction=r)(x.sigmoid(), T.tensor(P)),
    "bce-logits": lambda T, x, r: T.nn.BCEWithLogitsLoss(pos_weight=T.tensor([1.0, 2.0, 3.0, 0.5]),
                                                         reduction=r)(x * 30, T.tensor(P)),
    "ce": lambda T, x, r: T.nn.CrossEntropyLoss(reduction=r)(x, T.tensor([3, 0, 1])),
    "ce-weight-ignore": lambda T, x, r: T.nn.CrossEntropyLoss(weight=T.tensor([1.0, 2.0, 0.5, 1.0]), ignore_index=0,
                                                              reduction=r)(x, T.tensor([3, 0, 1])),
    "ce-smoothing": lambda T, x, r: T.nn.CrossEntropyLoss(label_smoothing=0.2, reduction=r)(x, T.tensor([3, 0, 1])),
    "ce-probabilities": lambda T, x, r: T.nn.CrossEntropyLoss(reduction=r)(x, T.tensor(P).softmax(1)),
    "ce-3d": lambda T, x, r: T.nn.CrossEntropyLoss(reduction=r)(x.reshape(1, 3, 4), T.tensor([[0, 2, 1, 1]])),
    "ce-4d": lambda T, x, r: T.nn.CrossEntropyLoss(reduction=r)(x.reshape(1, 3, 2, 2), T.tensor([[[0, 2], [1, 1]]])),
    "nll": lambda T, x, r: T.nn.NLLLoss(reduction=r)(x, T.tensor([1, 2, 3])),
    "kl": lambda T, x, r: T.nn.KLDivLoss(reduction=r)(x.log_softmax(1), T.tensor(P).softmax(1)),
    "kl-log-target": lambda T, x, r: T.nn.KLDivLoss(reduction=r, log_target=True)(x, T.tensor(P).log()),
    "poisson": lambda T, x, r: T.nn.PoissonNLLLoss(reduction=r)(x, T.tensor(P) * 3),
    "poisson-full": lambda T, x, r: T.nn.PoissonNLLLoss(log_input=False, full=True, reduction=r)(
        x.exp(), T.tensor(P) * 3),
    "gaussian": lambda T, x, r: T.nn.GaussianNLLLoss(reduction=r)(x, T.tensor(P), T.tensor(P)),
    "smooth-l1": lambda T, x, r: T.nn.SmoothL1Loss(reduction=r, beta=0.5)(x, T.tensor(P)),
    "huber": lambda T, x, r: T.nn.HuberLoss(reduction=r, delta=0.7)(x, T.tensor(P)),
    "soft-margin": lambda T, x, r: T.nn.SoftMarginLoss(reduction=r)(x, T.tensor(SIGNS)),
    "multilabel-soft-margin": lambda T, x, r: T.nn.MultiLabelSoftMarginLoss(reduction=r)(x, T.tensor(P).round()),
    "margin-ranking": lambda T, x, r: T.nn.MarginRankingLoss(0.3, reduction=r)(x[0], x[1], T.tensor(SIGNS[0])),
    "hinge": lambda T, x, r: T.nn.HingeEmbeddingLoss(0.5, reduction=r)(x, T.tensor(SIGNS)),
    "multilabel-margin": lambda T, x, r: T.nn.MultiLabelMarginLoss(reduction=r)(
        x, T.tensor([[3, 0, -1, 1], [1, 2, 3, 0], [-1, 0, 0, 0]])),
    "cosine": lambda T, x, r: T.nn.CosineEmbeddingLoss(0.1, reduction=r)(x, T.tensor(P), T.tensor([1.0, -1.0, -1.0])),
    "multi-margin": lambda T, x, r: T.nn.MultiMarginLoss(p=2, margin=0.8, weight=T.tensor([1.0, 2.0, 0.5, 1.0]),
                                                         reduction=r)(x, T.tensor([3, 0, 1])),
    "triplet": lambda T, x, r: T.nn.TripletMarginLoss(margin=2.0, reduction=r)(x, T.tensor(P), T.tensor(SIGNS)),
    "triplet-distance": lambda T, x, r: T.nn.TripletMarginWithDistanceLoss(margin=2.0, reduction=r)(
        x, T.tensor(P), T.tensor(SIGNS)),
}


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("name", LOSSES)
def test_loss(name, reduction):
    check(lambda T: _run(T, LOSSES[name], reduction))


def test_kl_batchmean():
    check(lambda T: _run(T, lambda T, x, r: T.nn.KLDivLoss(reduction="batchmean")(x.log_softmax(1), T.tensor(P)),
                         None))


@pytest.mark.parametrize("program", [
    lambda T: T.nn.functional.cross_entropy(T.tensor(X), T.tensor([0.0, 1.0, 2.0])),
    lambda T: T.nn.functional.cross_entropy(T.tensor(X), T.tensor([0, 1, 4])),
    lambda T: T.nn.functional.cross_entropy(T.tensor(X), T.tensor([0, 1, 2], dtype=T.int32)),
    lambda T: T.nn.functional.cross_entropy(T.tensor(X), T.tensor(P), ignore_index=1),
    lambda T: T.nn.functional.cross_entropy(T.tensor(X), T.tensor([0, 1, 2]), label_smoothing=1.5),
    lambda T: T.nn.functional.nll_loss(T.tensor(X), T.tensor([0, 1])),
    lambda T: T.nn.functional.nll_loss(T.tensor(1.0), T.tensor(0)),
    lambda T: T.nn.functional.nll_loss(T.tensor(X), T.tensor([0, 1, 2]), weight=T.ones(3)),
    lambda T: T.nn.functional.nll_loss(T.ones(2, 3, 4), T.tensor([0, 1])),
    lambda T: T.nn.functional.binary_cross_entropy(T.tensor([1.5]), T.tensor([1.0])),
    lambda T: T.nn.functional.binary_cross_entropy(T.rand(3), T.rand(3, 1)),
    lambda T: T.nn.functional.binary_cross_entropy_with_logits(T.rand(3), T.rand(3, 1)),
    lambda T: T.nn.functional.mse_loss(T.ones(3), T.ones(2)),
    lambda T: T.nn.functional.mse_loss(T.ones(3, dtype=T.long), T.ones(3, dtype=T.long)),
    lambda T: T.nn.functional.mse_loss(T.ones(3), T.ones(3), reduction="foo"),
    lambda T: T.nn.functional.multi_margin_loss(T.tensor(X), T.tensor([0, 1, 7])),
    lambda T: T.nn.functional.multi_margin_loss(T.ones(2, 2, 2), T.zeros(2, dtype=T.long)),
    lambda T: T.nn.functional.gaussian_nll_loss(T.ones(3, 4), T.ones(3, 4), -T.ones(3, 4)),
    lambda T: T.nn.functional.gaussian_nll_loss(T.ones(3, 4), T.ones(3, 4), T.ones(3, 2)),
    lambda T: T.nn.functional.smooth_l1_loss(T.ones(3), T.ones(3), beta=-1.0),
    lambda T: T.nn.functional.huber_loss(T.ones(3), T.ones(3), delta=0.0),
    lambda T: T.nn.functional.cosine_embedding_loss(T.ones(2, 3, 4), T.ones(2, 3, 4), T.ones(2)),
    lambda T: T.nn.functional.triplet_margin_loss(T.ones(3), T.ones(3, 2), T.ones(3, 2)),
])
def test_errors(program):
    check(program)


def test_size_warning_and_legacy_reduction():
    import warnings
    for T in (__import__("torch"), __import__("reftorch")):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            T.nn.functional.mse_loss(T.ones(3), T.ones(3, 1))
            assert T.nn.MSELoss(size_average=False).reduction == "sum"
        assert "Using a target size (torch.Size([3, 1])) that is different to the input size" in str(caught[0].message)
        assert "size_average and reduce args will be deprecated" in str(caught[1].message)


def test_reprs_and_paths():
    check(lambda T: [repr(T.nn.CrossEntropyLoss()), repr(T.nn.modules.loss.MSELoss()),
                     sorted(T.nn.CrossEntropyLoss(weight=T.ones(2)).state_dict())])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore_index", [-100, 0])
@pytest.mark.parametrize("shape, target", [((4, 5), [1, 0, 4, 2]), ((5,), 3)])
def test_nll_loss_backward_is_one_node_differentiable_again(reduction, weighted, ignore_index, shape, target):
    """nll_loss's gradient is ``nll_loss_backward`` (NllLossBackwardBackward0, with an edge to its
    grad_output and one to its input); differentiating it again gives torch's values."""
    def program(T):
        rows = shape[0] if len(shape) == 2 else 1
        x = T.linspace(-2.0, 3.0, rows * shape[-1]).reshape(shape).requires_grad_()
        logp = x.log_softmax(-1)
        weight = T.tensor([1.0, 2.0, 0.5, 3.0, 1.5]) if weighted else None
        loss = T.nn.functional.nll_loss(logp, T.tensor(target), weight=weight, reduction=reduction,
                                        ignore_index=ignore_index)
        seed = T.full(loss.shape, 0.75, requires_grad=True)
        grad, = T.autograd.grad(loss, logp, seed, create_graph=True)
        again = T.autograd.grad((grad * grad * 1.5).sum(), (x, seed))
        edges = [None if node is None else node.name() for node, _ in grad.grad_fn.next_functions]
        return loss, grad, again, grad.grad_fn.name(), edges
    check(program)


# ----------------------------------------------------------------------------- CTC
LOGITS = [[[0.3, -1.2, 0.8, 0.1, -0.5], [1.1, 0.4, -0.7, 0.2, 0.9], [-0.3, 0.6, 0.5, -1.4, 0.0]],
          [[0.9, 0.2, -0.1, 1.3, -0.8], [0.0, -0.6, 1.2, 0.7, 0.3], [0.4, 1.0, -0.9, 0.2, 0.6]],
          [[-1.0, 0.5, 0.3, 0.8, 0.2], [0.6, 0.1, 0.9, -0.3, -1.1], [1.4, -0.2, 0.0, 0.5, 0.7]],
          [[0.2, 0.8, -0.6, 0.0, 1.0], [-0.4, 1.3, 0.2, 0.6, 0.1], [0.3, -0.7, 1.1, 0.9, -0.2]],
          [[0.7, -0.3, 0.4, 1.2, 0.5], [0.8, 0.0, -0.5, 0.3, 1.5], [-0.6, 0.9, 0.7, 0.1, 0.4]],
          [[0.1, 0.6, 1.0, -0.9, 0.3], [1.2, -0.8, 0.5, 0.4, 0.0], [0.5, 0.3, -0.4, 1.1, 0.8]]]
PADDED, CONCAT = [[1, 2, 2], [3, 3, 0], [4, 1, 2]], [1, 2, 2, 3, 3, 4]


def _ctc(T, targets, input_lengths, target_lengths, dtype="float64", tensors=False, unbatched=False, **kw):
    lp = T.tensor(LOGITS, dtype=getattr(T, dtype)).log_softmax(2)
    lp = (lp[:, 0] if unbatched else lp).detach().requires_grad_()
    if tensors:
        input_lengths, target_lengths = T.tensor(input_lengths), T.tensor(target_lengths)
    loss = T.nn.CTCLoss(**kw)(lp, T.tensor(targets), input_lengths, target_lengths)
    loss.sum().backward()
    return {"loss": loss, "grad": lp.grad, "node": type(loss.grad_fn).__name__}


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("case", [
    pytest.param((PADDED, (6, 5, 4), (3, 2, 1)), id="padded"),
    pytest.param((CONCAT, (6, 5, 4), (3, 2, 1)), id="concatenated"),
    pytest.param((PADDED, (2, 0, 6), (2, 0, 0)), id="impossible-and-empty"),
    pytest.param((PADDED, [6, 6, 6], [0, 3, 2]), id="list-lengths"),
])
@pytest.mark.parametrize("tensors", [False, True])
@pytest.mark.parametrize("zero_infinity", [False, True])
def test_ctc_loss(case, reduction, tensors, zero_infinity):
    targets, il, tl = case
    check(lambda T: _ctc(T, targets, il, tl, tensors=tensors, reduction=reduction, zero_infinity=zero_infinity))


@pytest.mark.parametrize("kw", [
    pytest.param({"blank": 2}, id="blank"),
    pytest.param({"dtype": "float32"}, id="float32"),
    pytest.param({"unbatched": True, "targets": [1, 3], "input_lengths": (6,), "target_lengths": (2,)}, id="unbatched"),
    pytest.param({"unbatched": True, "targets": [[1, 3]], "input_lengths": (6,), "target_lengths": (2,),
                  "reduction": "none"}, id="unbatched-2d-target"),
])
def test_ctc_loss_variants(kw):
    args = {"targets": PADDED, "input_lengths": (6, 5, 4), "target_lengths": (3, 2, 1), **kw}
    check(lambda T: _ctc(T, **args))


def test_ctc_loss_internals():
    def program(T):
        lp = T.tensor(LOGITS, dtype=T.float64).log_softmax(2).detach().requires_grad_()
        nll, alpha = T._ctc_loss(lp, T.tensor(PADDED), T.tensor([6, 5, 4]), T.tensor([3, 2, 1]))
        finite = alpha.detach().clone()
        finite[finite == float("-inf")] = 0  # torch leaves these uninitialised: only the reachable ones count
        mask = (T.arange(6).reshape(1, 6, 1) < T.tensor([6, 5, 4]).reshape(3, 1, 1)) & (
            T.arange(7).reshape(1, 1, 7) < T.tensor([7, 5, 3]).reshape(3, 1, 1))
        (grad,) = T.autograd.grad(nll.sum(), lp, create_graph=True)
        return {"nll": nll, "node": type(nll.grad_fn).__name__, "alpha": finite * mask,
                "alpha_grad": alpha.requires_grad, "grad": grad, "grad_node": type(grad.grad_fn).__name__}
    check(program)
    check(lambda T: program(T)["grad"].sum().backward())  # _ctc_loss_backward has no derivative


CTC_ERRORS = [
    ((PADDED, (7, 5, 4), (3, 2, 1)), {}),
    ((PADDED, (6, 5, 4), (4, 2, 1)), {}),
    ((PADDED, (-1, 5, 4), (3, 2, 1)), {}),
    ((PADDED, (6, 5, 4), (3, -2, 1)), {}),
    ((PADDED, (6, 5), (3, 2, 1)), {}),
    ((PADDED, (6, 5, 4), (3, 2)), {}),
    ((PADDED, (6, 5, 4), (3, 2, 1)), {"blank": 5}),
    ((PADDED, (6, 5, 4), (3, 2, 1)), {"blank": -1}),
    ((CONCAT, (6, 5, 4), (3, 2, 2)), {}),
    (([PADDED], (6, 5, 4), (3, 2, 1)), {}),
    ((PADDED, (6, 5, 4), (3, 2, 1)), {"reduction": "foo"}),
    ((PADDED, 6, 3), {}),
]


@pytest.mark.parametrize("case", CTC_ERRORS)
def test_ctc_loss_errors(case):
    (targets, il, tl), kw = case
    check(lambda T: T.nn.functional.ctc_loss(T.tensor(LOGITS).log_softmax(2), T.tensor(targets), il, tl, **kw))


@pytest.mark.parametrize("program", [
    lambda T: T.nn.functional.ctc_loss(T.tensor(LOGITS), T.tensor(PADDED), T.tensor([6.0, 5, 4]), T.tensor([3, 2, 1])),
    lambda T: T.nn.functional.ctc_loss(T.tensor(LOGITS), T.tensor(PADDED), T.tensor([6, 5, 4]), T.tensor([3.0, 2, 1])),
    lambda T: T.nn.functional.ctc_loss(T.tensor(LOGITS).half(), T.tensor(PADDED), (6, 5, 4), (3, 2, 1)),
    lambda T: T.nn.functional.ctc_loss(T.tensor(LOGITS)[:, :, :0], T.tensor(PADDED), (6, 5, 4), (3, 2, 1)),
    lambda T: T.nn.functional.ctc_loss(T.tensor(LOGITS)[0, 0], T.tensor(PADDED), (6,), (3,)),
    lambda T: T._ctc_loss(T.tensor(LOGITS), T.tensor(PADDED).float(), (6, 5, 4), (3, 2, 1)),
    lambda T: T._ctc_loss(T.tensor(LOGITS), T.tensor(PADDED).int(), (6, 5, 4), (3, 2, 1))[0],
    lambda T: T._ctc_loss(T.tensor(LOGITS)[0], T.tensor(PADDED), (6, 5, 4), (3, 2, 1)),
    lambda T: T.nn.functional.ctc_loss(T.tensor(LOGITS), T.tensor(PADDED).float(), (6, 5, 4), (3, 2, 1)),
])
def test_ctc_loss_input_errors(program):
    check(program)


def test_ctc_loss_repr():
    check(lambda T: [repr(T.nn.CTCLoss(blank=3, zero_infinity=True)), T.nn.CTCLoss().blank,
                     T.nn.CTCLoss(reduction="sum").reduction])


@settings(max_examples=25, deadline=None)
@given(data=st.data(), steps=st.integers(1, 7), n=st.integers(1, 4), c=st.integers(2, 5),
       concatenated=st.booleans(), reduction=st.sampled_from(["none", "mean", "sum"]), zero_infinity=st.booleans())
def test_ctc_loss_random_cases(data, steps, n, c, concatenated, reduction, zero_infinity):
    """Random shapes, lengths and labels (blank included, impossible alignments too) against torch."""
    logits = np.asarray(data.draw(st.lists(st.floats(-3, 3), min_size=steps * n * c, max_size=steps * n * c)))
    input_lengths = data.draw(st.lists(st.integers(0, steps), min_size=n, max_size=n))
    target_lengths = data.draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
    labels = [data.draw(st.lists(st.integers(0, c - 1), min_size=4, max_size=4)) for _ in range(n)]
    targets = [x for row, k in zip(labels, target_lengths, strict=True) for x in row[:k]] if concatenated else labels
    blank = data.draw(st.integers(0, c - 1))

    def program(T):
        lp = T.tensor(logits.reshape(steps, n, c)).log_softmax(2).detach().requires_grad_()
        loss = T.nn.functional.ctc_loss(lp, T.tensor(targets, dtype=T.long), input_lengths, target_lengths, blank,
                                        reduction, zero_infinity)
        loss.sum().backward()
        return {"loss": loss, "grad": lp.grad}
    check(program)
