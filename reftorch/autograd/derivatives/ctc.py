"""Derivatives of the CTC loss (torch's derivatives.yaml: ``_ctc_loss`` and ``_ctc_loss.Tensor``): the
``log_probs`` gradient is ``_ctc_loss_backward`` of the output gradient, the saved losses and the saved
``log_alpha`` (the second output, which never gets history). ``_ctc_loss_backward`` has no derivative:
differentiating it again raises torch's RuntimeError."""

from __future__ import annotations

from ..._tensor import Tensor
from ...ops.registry import call
from . import define, not_implemented


def _formula(overload: str):  # noqa: ANN202 - a formula factory
    def grad_log_probs(grad: Tensor, log_probs: Tensor, targets: Tensor, input_lengths, target_lengths,  # noqa: ANN001
                       blank: int, zero_infinity: bool, result: Tensor, result1: Tensor) -> Tensor:
        return call(overload, grad, log_probs, targets, input_lengths, target_lengths, result, result1, blank,
                    zero_infinity)
    return grad_log_probs


define("CtcLossBackward0", {"log_probs": _formula("_ctc_loss_backward")}, output_differentiability=(True, False))
define("CtcLossBackward1", {"log_probs": _formula("_ctc_loss_backward.Tensor")}, output_differentiability=(True, False))
not_implemented("_ctc_loss_backward", ("grad", "log_probs", "neg_log_likelihood", "log_alpha"))
