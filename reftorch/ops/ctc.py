"""The connectionist temporal classification loss, ported from aten/src/ATen/native/LossCTC.cpp.

- ``_ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, zero_infinity)`` returns
  ``(neg_log_likelihood, log_alpha)``: ``log_probs`` is ``(T, N, C)``, ``targets`` either padded
  ``(N, S)`` or the concatenation of every sample's target (1-D), the lengths are int lists (the
  ``.Tensor`` overload takes integral tensors). ``log_alpha`` is ``(N, T, 2 * max_target_length + 1)``:
  the forward variables of Graves et al. (2006) over the *extended* target (a blank before, between and
  after the labels), computed in log space. The recursion is vectorised over the batch and the
  extended positions; only time is a Python loop (torch's loop order over ``s`` is immaterial). Entries
  torch leaves uninitialised (past a sample's length) are ``-inf`` here.
- ``_ctc_loss_backward`` (internal, CtcLossBackward0/1's formula) is torch's
  ``ctc_loss_backward_cpu_template``: the backward variables ``log_beta``, then per time step and class
  ``exp(lp) - exp(logsumexp_s(alpha + beta) + nll - lp)`` times the output gradient; zero past a
  sample's input length, and zero for the whole sample when ``zero_infinity`` and its loss is inf.
- ``ctc_loss`` (composite, LossCTC.cpp's ``ctc_loss_impl``): accepts an unbatched ``(T, C)`` input,
  casts the targets to int64, zeroes infinite losses with ``zero_infinity``, and reduces: ``mean``
  divides each loss by its target length (clamped to 1) and averages, ``sum`` adds them up.

Only float32 and float64 are covered (``AT_DISPATCH_FLOATING_TYPES``), as in torch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import _dtype as D
from .._tensor import Tensor
from ._util import result_tensor, unsupported_dtype
from .registry import call, functions, register

_CHECKED = "(while checking arguments for ctc_loss_allocate_outputs)"
_NEGINF = float("-inf")


def _lengths(t: Tensor, name: str) -> tuple[int, ...]:
    """``ctc_loss_tensor``'s conversion of a lengths tensor to an int list (integral dtypes only)."""
    if t._dtype.category != D.INTEGER:
        raise RuntimeError(f"{name} must be integral")
    return tuple(int(v) for v in t._array.reshape(-1).tolist())


def _check(log_probs: Tensor, targets: Tensor, input_lengths: Sequence[int], target_lengths: Sequence[int],
           blank: int) -> tuple[int, ...]:
    """``ctc_loss_allocate_outputs``'s checks, in torch's order; returns each sample's offset into
    ``targets`` (in elements along its target dimension)."""
    if log_probs.numel() == 0:
        raise RuntimeError("log_probs tensor must not be empty")
    if log_probs._dtype not in (D.float32, D.float64):
        raise unsupported_dtype("ctc_loss_cpu", log_probs._dtype)
    want = D.int64 if targets._dtype is D.int64 else D.int32
    if targets._dtype is not want:
        raise RuntimeError(f"Expected tensor for argument #2 'targets' to have scalar type {want.scalar_name}; but "
                           f"got {targets.type()} instead {_CHECKED}")
    if log_probs.dim() != 3:
        raise RuntimeError(f"Expected 3-dimensional tensor, but got {log_probs.dim()}-dimensional tensor for "
                           f"argument #1 'log_probs' {_CHECKED}")
    if not 1 <= targets.dim() < 3:
        raise RuntimeError(f"Expected 1 to 2 dimensions, but got {targets.dim()}-dimensional tensor for argument "
                           f"#2 'targets' {_CHECKED}")
    max_input, batch, labels = log_probs._shape
    if not 0 <= blank < labels:
        raise RuntimeError("blank must be in label range")
    if len(input_lengths) != batch:
        raise RuntimeError("input_lengths must be of size batch_size")
    if len(target_lengths) != batch:
        raise RuntimeError("target_lengths must be of size batch_size")
    for length in target_lengths:
        if length < 0:
            raise RuntimeError(f"Expected target_lengths to have value at least 0, but got value {length} {_CHECKED}")
    if targets.dim() == 1:
        offsets = tuple(sum(target_lengths[:i]) for i in range(batch))
        _check_size(targets, 0, sum(target_lengths))
    else:
        offsets = tuple(i * targets._shape[1] for i in range(batch))
        _check_size(targets, 0, batch)
        longest = max(target_lengths, default=0)
        if targets._shape[1] < longest:
            raise RuntimeError(f"Expected tensor to have size at least {longest} at dimension 1, but got size "
                               f"{targets._shape[1]} for argument #2 'targets' {_CHECKED}")
    for length in input_lengths:
        if length < 0:
            raise RuntimeError(f"Expected input_lengths to have value at least 0, but got value {length} {_CHECKED}")
        if length > max_input:
            raise RuntimeError(f"Expected input_lengths to have value at most {max_input}, but got value {length} "
                               f"{_CHECKED}")
    return offsets


def _check_size(t: Tensor, dim: int, size: int) -> None:
    if t._shape[dim] != size:
        raise RuntimeError(f"Expected tensor to have size {size} at dimension {dim}, but got size {t._shape[dim]} "
                           f"for argument #2 'targets' {_CHECKED}")


class _Lattice:
    """The extended targets of a batch and what the recursions read of them: ``prime`` (N, S') the
    label at each extended position (blank at even ones and past a sample's end), ``valid`` (N, S') the
    positions within ``2 * target_length + 1``, ``skip`` (N, S') whether position ``s`` may be reached
    from ``s - 2`` (different labels there), and ``lp`` (T, N, S') the log-probabilities of ``prime``."""

    def __init__(self, log_probs: Tensor, targets: Tensor, target_lengths: Sequence[int], offsets: Sequence[int],
                 blank: int) -> None:
        xp = log_probs._backend.xp
        self.xp = xp
        n = log_probs._shape[1]
        tl = xp.asarray(list(target_lengths), dtype="int64").reshape(n)
        width = 2 * (int(tl.max()) if n else 0) + 1
        s = xp.arange(width)
        label = s // 2  # which target symbol an odd position holds
        self.valid = s[None, :] < (2 * tl[:, None] + 1)
        symbol = (s[None, :] % 2 == 1) & self.valid
        flat = targets._array.reshape(-1).astype("int64")
        start = xp.asarray(list(offsets), dtype="int64").reshape(n)[:, None]
        index = start + xp.minimum(label[None, :], tl[:, None] - 1)
        picked = flat[xp.clip(index, 0, max(flat.size - 1, 0))] if flat.size else xp.zeros(index.shape, dtype="int64")
        self.prime = xp.where(symbol, picked, blank)
        self.skip = xp.zeros(self.prime.shape, dtype=bool)
        self.skip[:, 2:] = self.prime[:, 2:] != self.prime[:, :-2]
        arr = log_probs._array
        self.lp = xp.take_along_axis(arr, xp.broadcast_to(self.prime[None], (arr.shape[0],) + self.prime.shape), 2)
        self.tl = tl

    def step(self, a1: Any, a2: Any, a3: Any) -> Any:
        """torch's three-term log-sum-exp (max subtracted, a max of -inf taken as 0)."""
        xp = self.xp
        m = xp.maximum(xp.maximum(a1, a2), a3)
        m = xp.where(m == _NEGINF, 0, m)
        return xp.log(xp.exp(a1 - m) + xp.exp(a2 - m) + xp.exp(a3 - m)) + m


def _forward(log_probs: Tensor, targets: Tensor, input_lengths: Sequence[int], target_lengths: Sequence[int],
             blank: int) -> tuple[Tensor, Tensor]:
    offsets = _check(log_probs, targets, input_lengths, target_lengths, blank)
    lat = _Lattice(log_probs, targets, target_lengths, offsets, blank)
    xp = lat.xp
    steps, n, _ = log_probs._shape
    il = xp.asarray(list(input_lengths), dtype="int64").reshape(n)
    dtype = log_probs._array.dtype
    with log_probs._backend.quiet():
        alpha = xp.full((steps,) + lat.prime.shape, _NEGINF, dtype=dtype)
        alpha[0, :, :2] = lat.lp[0, :, :2]
        alpha[0] = xp.where(lat.valid & (il[:, None] > 0), alpha[0], _NEGINF)
        ninf = xp.full((n, 1), _NEGINF, dtype=dtype)
        for t in range(1, steps):
            prev = alpha[t - 1]
            a2 = xp.concatenate([ninf, prev[:, :-1]], axis=1)
            a3 = xp.where(lat.skip, xp.concatenate([ninf, ninf, prev[:, :-2]], axis=1)[:, :prev.shape[1]], _NEGINF)
            value = lat.step(prev, a2, a3) + lat.lp[t]
            alpha[t] = xp.where(lat.valid & (t < il[:, None]), value, _NEGINF)
        rows = xp.arange(n)
        last = alpha[xp.maximum(il - 1, 0), rows]  # (N, S')
        l1 = last[rows, 2 * lat.tl]
        l2 = xp.where(lat.tl > 0, last[rows, xp.maximum(2 * lat.tl - 1, 0)], _NEGINF)
        m = xp.maximum(l1, l2)
        m = xp.where(m == _NEGINF, 0, m)
        nll = -(xp.log(xp.exp(l1 - m) + xp.exp(l2 - m)) + m)
        nll = xp.where(il == 0, xp.where(lat.tl == 0, -0.0, float("inf")), nll).astype(dtype)
    return (result_tensor(nll, log_probs._dtype, log_probs),
            result_tensor(xp.ascontiguousarray(xp.moveaxis(alpha, 0, 1)), log_probs._dtype, log_probs))


@register("_ctc_loss", "_ctc_loss(Tensor log_probs, Tensor targets, IntArrayRef input_lengths, "
          "IntArrayRef target_lengths, int64_t blank=0, bool zero_infinity=False)", node="CtcLossBackward0",
          method=False)
def _ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths: Sequence[int], target_lengths: Sequence[int],
              blank: int, zero_infinity: bool) -> tuple[Tensor, Tensor]:
    """``torch._ctc_loss``: ``(neg_log_likelihood (N,), log_alpha (N, T, 2 * max_target_length + 1))``."""
    return _forward(log_probs, targets, input_lengths, target_lengths, blank)


@register("_ctc_loss.Tensor", "_ctc_loss(Tensor log_probs, Tensor targets, Tensor input_lengths, "
          "Tensor target_lengths, int64_t blank=0, bool zero_infinity=False)", node="CtcLossBackward1",
          method=False)
def _ctc_loss_tensor(log_probs: Tensor, targets: Tensor, input_lengths: Tensor, target_lengths: Tensor,
                     blank: int, zero_infinity: bool) -> tuple[Tensor, Tensor]:
    """``torch._ctc_loss`` with lengths as integral tensors (LossCTC.cpp's ``ctc_loss_tensor``)."""
    il = _lengths(input_lengths, "input_lengths")
    return _forward(log_probs, targets, il, _lengths(target_lengths, "target_lengths"), blank)


def _backward(grad: Tensor, log_probs: Tensor, targets: Tensor, input_lengths: Sequence[int],
              target_lengths: Sequence[int], neg_log_likelihood: Tensor, log_alpha: Tensor, blank: int,
              zero_infinity: bool) -> Tensor:
    """``ctc_loss_backward_cpu_template``, vectorised over the batch and the extended positions."""
    offsets = _check(log_probs, targets, input_lengths, target_lengths, blank)
    lat = _Lattice(log_probs, targets, target_lengths, offsets, blank)
    xp = lat.xp
    steps, n, labels = log_probs._shape
    il = xp.asarray(list(input_lengths), dtype="int64").reshape(n)[:, None]
    dtype = log_probs._array.dtype
    alpha = xp.moveaxis(log_alpha._array, 1, 0)  # (T, N, S')
    width = lat.prime.shape[1]
    s = xp.arange(width)[None, :]
    end = 2 * lat.tl[:, None]
    with log_probs._backend.quiet():
        beta = xp.full(alpha.shape, _NEGINF, dtype=dtype)
        ninf = xp.full((n, 1), _NEGINF, dtype=dtype)
        for t in range(steps - 1, -1, -1):
            start = (s == end) | ((s == end - 1) & (end > 0))
            first = xp.where(start, lat.lp[t], _NEGINF)
            if t + 1 < steps:
                nxt = beta[t + 1]
                b2 = xp.where(s < end, xp.concatenate([nxt[:, 1:], ninf], axis=1), _NEGINF)
                ahead = xp.concatenate([lat.skip[:, 2:], xp.zeros((n, 2), dtype=bool)], axis=1)[:, :width]
                b3 = xp.where((s < end - 1) & ahead, xp.concatenate([nxt[:, 2:], ninf, ninf], axis=1)[:, :width],
                              _NEGINF)
                inner = lat.step(nxt, b2, b3) + lat.lp[t]
            else:
                inner = first
            beta[t] = xp.where(t == il - 1, first, xp.where((t < il - 1) & lat.valid, inner, _NEGINF))
        # at a sample's last step torch assigns (not log-adds) the last label's term after the final
        # blank's: a target ending in the blank symbol keeps only the label's term
        last = (xp.arange(steps)[:, None, None] == il[None] - 1) & (s == end)[None] & (end > 0)[None] & (
            lat.prime[xp.arange(n), xp.maximum(end[:, 0] - 1, 0)] == blank)[None, :, None]
        both = xp.where(lat.valid[None] & ~last, alpha + beta, _NEGINF)  # (T, N, S')
        onehot = lat.prime[:, :, None] == xp.arange(labels)[None, None, :]  # (N, S', C)
        gathered = xp.where(onehot[None], both[..., None], _NEGINF)  # (T, N, S', C)
        m = gathered.max(axis=2)
        m = xp.where(m == _NEGINF, 0, m)
        collected = xp.log(xp.exp(gathered - m[:, :, None, :]).sum(axis=2)) + m  # (T, N, C)
        lp = log_probs._array
        nll = neg_log_likelihood._array[None, :, None]
        gr = grad._array.astype(dtype, copy=False)[None, :, None]
        out = (xp.exp(lp) - xp.exp(collected + nll - lp)) * gr
        keep = xp.arange(steps)[:, None, None] < il[None]
        if zero_infinity:
            keep = keep & (neg_log_likelihood._array != float("inf"))[None, :, None]
        out = xp.where(keep, out, 0).astype(dtype)
    return result_tensor(out, log_probs._dtype, log_probs)


@register("_ctc_loss_backward", "_ctc_loss_backward(Tensor grad, Tensor log_probs, Tensor targets, "
          "IntArrayRef input_lengths, IntArrayRef target_lengths, Tensor neg_log_likelihood, Tensor log_alpha, "
          "int64_t blank, bool zero_infinity=False)", node="NotImplemented:_ctc_loss_backward", function=False,
          method=False)
def _ctc_loss_backward(grad: Tensor, log_probs: Tensor, targets: Tensor, input_lengths: Sequence[int],
                       target_lengths: Sequence[int], neg_log_likelihood: Tensor, log_alpha: Tensor, blank: int,
                       zero_infinity: bool) -> Tensor:
    """``aten::_ctc_loss_backward``: the gradient of ``_ctc_loss``'s loss w.r.t. ``log_probs``."""
    return _backward(grad, log_probs, targets, input_lengths, target_lengths, neg_log_likelihood, log_alpha, blank,
                     zero_infinity)


@register("_ctc_loss_backward.Tensor", "_ctc_loss_backward(Tensor grad, Tensor log_probs, Tensor targets, "
          "Tensor input_lengths, Tensor target_lengths, Tensor neg_log_likelihood, Tensor log_alpha, int64_t blank, "
          "bool zero_infinity=False)", node="NotImplemented:_ctc_loss_backward", function=False, method=False)
def _ctc_loss_backward_tensor(grad: Tensor, log_probs: Tensor, targets: Tensor, input_lengths: Tensor,
                              target_lengths: Tensor, neg_log_likelihood: Tensor, log_alpha: Tensor, blank: int,
                              zero_infinity: bool) -> Tensor:
    """``aten::_ctc_loss_backward.Tensor``: lengths as integral tensors."""
    return _backward(grad, log_probs, targets, _lengths(input_lengths, "input_lengths"),
                     _lengths(target_lengths, "target_lengths"), neg_log_likelihood, log_alpha, blank, zero_infinity)


def _ctc_loss_impl(log_probs: Tensor, targets: Tensor, input_lengths: Sequence[int], target_lengths: Sequence[int],
                   blank: int, reduction: int, zero_infinity: bool) -> Tensor:
    """LossCTC.cpp's ``ctc_loss_impl``."""
    batched = log_probs.dim() == 3
    lp = log_probs if batched else log_probs.unsqueeze(1)
    res = call("_ctc_loss", lp, targets.to(lp.device, D.int64), input_lengths, target_lengths, blank,
               zero_infinity)[0]
    if zero_infinity:
        res = functions.where(res == float("inf"), res.new_zeros(()), res)
    if reduction == 1:
        return (res / functions.tensor(list(target_lengths), dtype=res.dtype, device=res.device).clamp_min(1)).mean()
    if reduction == 2:
        return res.sum()
    return res if batched else res.squeeze(0)


@register("ctc_loss.IntList", "ctc_loss(Tensor log_probs, Tensor targets, IntArrayRef input_lengths, "
          "IntArrayRef target_lengths, int64_t blank=0, int64_t reduction=1, bool zero_infinity=False)",
          composite=True, method=False)
def ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths: Sequence[int], target_lengths: Sequence[int],
             blank: int, reduction: int, zero_infinity: bool) -> Tensor:
    """``torch.ctc_loss`` with int-list lengths."""
    return _ctc_loss_impl(log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity)


@register("ctc_loss.Tensor", "ctc_loss(Tensor log_probs, Tensor targets, Tensor input_lengths, "
          "Tensor target_lengths, int64_t blank=0, int64_t reduction=1, bool zero_infinity=False)",
          composite=True, method=False)
def ctc_loss_tensor(log_probs: Tensor, targets: Tensor, input_lengths: Tensor, target_lengths: Tensor, blank: int,
                    reduction: int, zero_infinity: bool) -> Tensor:
    """``torch.ctc_loss`` with integral tensor lengths, converted to int lists as torch's fast path."""
    il = _lengths(input_lengths, "input_lengths")
    return _ctc_loss_impl(log_probs, targets, il, _lengths(target_lengths, "target_lengths"), blank, reduction,
                          zero_infinity)


__all__ = ["_ctc_loss", "_ctc_loss_backward", "_ctc_loss_backward_tensor", "_ctc_loss_tensor", "ctc_loss",
           "ctc_loss_tensor"]
