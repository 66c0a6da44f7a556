"""``torch.autograd.gradcheck``: compare analytical gradients with central finite differences.

Defaults follow torch: ``eps=1e-6, atol=1e-5, rtol=1e-3``; inputs that require grad must be
float64 (torch warns otherwise; reftorch raises nothing and just checks). On a mismatch it raises
``GradcheckError`` (a RuntimeError) unless ``raise_exception=False``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .._tensor import Tensor
from .engine import run_backward
from .grad_mode import no_grad


class GradcheckError(RuntimeError):
    """Raised by gradcheck when analytical and numerical Jacobians differ."""


def _as_tuple(x: Any) -> tuple:
    return x if isinstance(x, tuple) else (x,)


def _outputs(fn: Callable, inputs: Sequence[Any]) -> tuple[Tensor, ...]:
    return tuple(o for o in _as_tuple(fn(*inputs)) if isinstance(o, Tensor))


def _numerical(fn: Callable, inputs: Sequence[Any], target: Tensor, eps: float) -> list:
    """Columns d(outputs)/d(target[k]) by central differences, one per element of ``target``."""
    columns = []
    flat = target.detach().view(-1) if target.is_contiguous() else None
    if flat is None:
        raise GradcheckError("gradcheck expects contiguous inputs")
    for k in range(target.numel()):
        with no_grad():
            original = flat[k].item()
            flat[k] = original + eps
            plus = [o.detach().clone() for o in _outputs(fn, inputs)]
            flat[k] = original - eps
            minus = [o.detach().clone() for o in _outputs(fn, inputs)]
            flat[k] = original
        columns.append([((p - m) / (2 * eps)).reshape(-1) for p, m in zip(plus, minus)])
    return columns


def gradcheck(func: Callable, inputs: Any, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True, **_: Any) -> bool:
    """Check ``func``'s gradients w.r.t. every input that requires grad."""
    inputs = _as_tuple(inputs)
    targets = [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    outputs = _outputs(func, inputs)
    for target in targets:
        numerical = _numerical(func, inputs, target, eps)
        for j, out in enumerate(outputs):
            if not out.requires_grad:
                continue
            for i in range(out.numel()):
                grad_out = out.new_zeros(out.shape)
                grad_out.view(-1)[i] = 1
                fresh = _outputs(func, inputs)[j]
                (analytical,) = run_backward([fresh], [grad_out], retain_graph=False, create_graph=False,
                                             inputs=[target], capture=True)
                analytical_row = analytical.reshape(-1) if analytical is not None else target.new_zeros(
                    (target.numel(),))
                numerical_row = target.new_zeros((target.numel(),))
                for k in range(target.numel()):
                    numerical_row[k] = numerical[k][j][i]
                close = ((analytical_row - numerical_row).abs() <= atol + rtol * numerical_row.abs()).all().item()
                if not close:
                    if not raise_exception:
                        return False
                    raise GradcheckError(
                        f"Jacobian mismatch for output {j} with respect to input {inputs.index(target)},\n"
                        f"numerical:{numerical_row}\nanalytical:{analytical_row}\n")
    return True
