"""``torch.onnx``: reftorch has no ONNX exporter (it has no graph to trace or script).

Importable so that scripts which import it unconditionally run; each exporter function raises RuntimeError
naming what reftorch lacks (``reftorch/_unsupported.py``). ``is_in_onnx_export`` answers honestly: never.
"""

from __future__ import annotations

from .._unsupported import unsupported

_REASON = "reftorch has no ONNX exporter (no tracer, no graph IR)"


def is_in_onnx_export() -> bool:
    """``torch.onnx.is_in_onnx_export``: False, reftorch never exports."""
    return False


export = unsupported(__name__, "export", _REASON)
register_custom_op_symbolic = unsupported(__name__, "register_custom_op_symbolic", _REASON)
unregister_custom_op_symbolic = unsupported(__name__, "unregister_custom_op_symbolic", _REASON)
select_model_mode_for_export = unsupported(__name__, "select_model_mode_for_export", _REASON)

__all__ = ["export", "is_in_onnx_export", "register_custom_op_symbolic", "select_model_mode_for_export",
           "unregister_custom_op_symbolic"]
