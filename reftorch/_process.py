"""The process-wide switches unmodified scripts set: threads, determinism, float32 matmul precision.

Mirrors torch/__init__.py (``use_deterministic_algorithms``, ``set_float32_matmul_precision``) and the C
bindings ``torch.set_num_threads``/``get_num_threads`` (torch/csrc/Module.cpp), with their argument checks.
reftorch computes through NumPy, so the thread count is the BLAS/OpenMP pools' size, set with threadpoolctl.
Every reftorch kernel is already deterministic and computes float32 matmuls in float32, so the other two
switches are recorded and answered back but change no result (an honest no-op).
"""

from __future__ import annotations

import warnings

_STATE = {"deterministic": False, "warn_only": False, "matmul_precision": "highest"}
_PRECISIONS = ("highest", "high", "medium")


def _check_int(name: str, value: object) -> int:
    if type(value) is not int:  # noqa: E721 - bool is refused too, as THPUtils_checkLong refuses it
        raise RuntimeError(f"{name} expects an int, but got {type(value).__name__}")
    return value


def set_num_threads(num: int) -> None:
    """``torch.set_num_threads``: the size of the BLAS and OpenMP thread pools NumPy computes with."""
    from threadpoolctl import threadpool_limits

    if _check_int("set_num_threads", num) <= 0:
        raise RuntimeError("set_num_threads expects a positive integer")
    threadpool_limits(limits=num)


def get_num_threads() -> int:
    """``torch.get_num_threads``: the largest of the loaded BLAS/OpenMP pools (1 when none is loaded)."""
    from threadpoolctl import threadpool_info

    return max((pool["num_threads"] for pool in threadpool_info()), default=1)


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """``torch.use_deterministic_algorithms``: recorded; every reftorch kernel is deterministic already."""
    for name, value in (("mode", mode), ("warn_only", warn_only)):
        if not isinstance(value, bool):
            position = " (position 1)" if name == "mode" else ""
            raise TypeError(f"_set_deterministic_algorithms(): argument '{name}'{position} must be bool, "
                            f"not {type(value).__name__}")
    _STATE["deterministic"], _STATE["warn_only"] = mode, warn_only


def are_deterministic_algorithms_enabled() -> bool:
    """``torch.are_deterministic_algorithms_enabled``: the flag ``use_deterministic_algorithms`` set."""
    return _STATE["deterministic"]


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    """``torch.is_deterministic_algorithms_warn_only_enabled``: the ``warn_only`` flag."""
    return _STATE["warn_only"]


def set_float32_matmul_precision(precision: str) -> None:
    """``torch.set_float32_matmul_precision``: recorded; reftorch's float32 matmuls are always in float32
    (torch's "highest"). An unknown name warns and changes nothing, as ATen's Context does."""
    if not isinstance(precision, str):
        raise RuntimeError(f"set_float32_matmul_precision expects a str, but got {type(precision).__name__}")
    if precision not in _PRECISIONS:
        warnings.warn(f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
                      "setFloat32MatmulPrecision call has no effect.", UserWarning, stacklevel=2)
        return
    _STATE["matmul_precision"] = precision


def get_float32_matmul_precision() -> str:
    """``torch.get_float32_matmul_precision``: the name last set (``'highest'`` at start)."""
    return _STATE["matmul_precision"]


__all__ = [
    "are_deterministic_algorithms_enabled", "get_float32_matmul_precision", "get_num_threads",
    "is_deterministic_algorithms_warn_only_enabled", "set_float32_matmul_precision", "set_num_threads",
    "use_deterministic_algorithms",
]
