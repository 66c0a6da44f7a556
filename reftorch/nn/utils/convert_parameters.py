"""``torch.nn.utils.parameters_to_vector`` / ``vector_to_parameters``, mirroring
torch/nn/utils/convert_parameters.py."""

from __future__ import annotations

from collections.abc import Iterable

from ..._tensor import Tensor

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """``cat`` of every parameter's ``view(-1)`` (so it records ViewBackward0/CatBackward0); a TypeError
    for parameters on different devices."""
    import reftorch

    param_device = None
    vec = []
    for param in parameters:
        param_device = _check_param_device(param, param_device)
        vec.append(param.view(-1))
    return reftorch.cat(vec)


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Set each parameter's ``.data`` to the next ``numel()`` entries of ``vec`` viewed as the parameter
    (views of ``vec``'s storage, as in torch); a TypeError when ``vec`` is not a tensor."""
    if not isinstance(vec, Tensor):
        from ...optim.optimizer import typename  # torch.typename

        raise TypeError(f"expected torch.Tensor, but got: {typename(vec)}")
    param_device = None
    pointer = 0
    for param in parameters:
        param_device = _check_param_device(param, param_device)
        num_param = param.numel()
        param.data = vec[pointer:pointer + num_param].view_as(param).data
        pointer += num_param


def _check_param_device(param: Tensor, old_param_device: int | None) -> int:
    """The first parameter's device index (-1 for the CPU); a TypeError when a later one differs."""
    support_device_types = ["cuda"]
    if old_param_device is None:
        return param.get_device() if param.device.type in support_device_types else -1
    if param.device.type in support_device_types:
        warn = param.get_device() != old_param_device
    else:
        warn = old_param_device != -1
    if warn:
        raise TypeError("Found two parameters on different devices, this is currently not supported.")
    return old_param_device
