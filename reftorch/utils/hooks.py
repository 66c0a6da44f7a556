"""``torch.utils.hooks``: ``RemovableHandle`` (what registering a hook returns) and ``BackwardHook``
(what runs a module's full backward hooks).

Mirrors torch/utils/hooks.py: each handle has a process-wide increasing ``id``, the key of its hook
in the owner's ordered dict of hooks (held weakly, so a handle does not keep its owner alive);
``remove()`` drops the hook (a second call does nothing); as a context manager it removes the hook
on exit. ``BackwardHook`` routes a module call's input and output tensors through
``BackwardHookFunction`` and hooks the two nodes: the output node's post-hook runs the backward
pre-hooks on ``grad_output`` (which may replace it), the input node's post-hook runs the backward
hooks on ``(grad_input, grad_output)`` (which may replace ``grad_input``); non-tensor positions are
None in both tuples.
"""

from __future__ import annotations

import warnings
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any


class RemovableHandle:
    """A handle that removes one hook from ``hooks_dict`` (and from each of ``extra_dict``)."""

    id: int
    next_id: int = 0

    def __init__(self, hooks_dict: OrderedDict, *, extra_dict: Any = None) -> None:
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = RemovableHandle.next_id
        RemovableHandle.next_id += 1
        extras = () if extra_dict is None else extra_dict if isinstance(extra_dict, list) else [extra_dict]
        self.extra_dict_ref = tuple(weakref.ref(d) for d in extras)

    def remove(self) -> None:
        for ref in (self.hooks_dict_ref, *self.extra_dict_ref):
            hooks = ref()
            if hooks is not None and self.id in hooks:
                del hooks[self.id]

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def add_hook(hooks: OrderedDict, hook: Callable, *, prepend: bool = False,
             flags: tuple[tuple[dict, bool], ...] = ()) -> RemovableHandle:
    """Register ``hook`` in ``hooks`` under a new handle (first of all when ``prepend``), marked ``True`` in
    each dict of ``flags`` whose switch is on (``with_kwargs``, ``always_call``); removing the handle
    removes it everywhere."""
    handle = RemovableHandle(hooks, extra_dict=[flag_dict for flag_dict, _ in flags])
    hooks[handle.id] = hook
    for flag_dict, on in flags:
        if on:
            flag_dict[handle.id] = True
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    return handle


class BackwardHook:
    """A module call's backward hooks (torch.utils.hooks.BackwardHook): ``setup_input_hook(args)``
    before ``forward``, ``setup_output_hook(result)`` after it."""

    def __init__(self, module: Any, user_hooks: list[Callable], user_pre_hooks: list[Callable]) -> None:
        self.user_hooks = user_hooks
        self.user_pre_hooks = user_pre_hooks
        self.module = module
        self.grad_outputs: tuple | None = None
        self.n_outputs = -1
        self.output_tensors_index: list[int] | None = None
        self.n_inputs = -1
        self.input_tensors_index: list[int] | None = None

    def _pack_with_none(self, indices: Sequence[int], values: Sequence[Any], size: int) -> tuple:
        res: list[Any] = [None] * size
        for idx, val in zip(indices, values, strict=True):
            res[idx] = val
        return tuple(res)

    def _unpack_none(self, indices: Sequence[int], values: Sequence[Any]) -> tuple:
        return tuple(values[idx] for idx in indices)

    def _set_user_hook(self, grad_fn: Any) -> None:
        def hook(grad_input: tuple, _: tuple) -> tuple | None:
            if self.grad_outputs is None:
                # the gradient reached the module's inputs without passing its outputs (double backward)
                return None
            assert self.input_tensors_index is not None
            res = self._pack_with_none(self.input_tensors_index, grad_input, self.n_inputs)
            for user_hook in self.user_hooks:
                out = user_hook(self.module, res, self.grad_outputs)
                if out is None:
                    continue
                if len(out) != len(res):
                    raise RuntimeError("Backward hook returned an invalid number of grad_input, "
                                       f"got {len(out)}, but expected {len(res)}")
                res = out
            self.grad_outputs = None
            return self._unpack_none(self.input_tensors_index, res)

        grad_fn.register_hook(hook)

    def _apply_on_tensors(self, fn: Callable[[Any], None], args: tuple) -> tuple[Any, list[int] | None]:
        """The tensors of ``args`` through ``BackwardHookFunction`` (when one requires grad and grad mode
        is on), ``fn`` given its node; returns the new args and the tensors' positions."""
        from .._tensor import Tensor
        from ..autograd import is_grad_enabled
        from ..nn.modules._functions import BackwardHookFunction

        tensors_idx = [i for i, arg in enumerate(args) if isinstance(arg, Tensor)]
        tensors = [args[i] for i in tensors_idx]
        if not (any(t.requires_grad for t in tensors) and is_grad_enabled()):
            return args, None
        new_tensors = BackwardHookFunction.apply(*tensors)
        if len(new_tensors) == 0:
            raise RuntimeError("Cannot set Module backward hook for a Module with no input Tensors.")
        grad_fns = [t.grad_fn for t in new_tensors
                    if t.grad_fn is not None and t.grad_fn.name() == "BackwardHookFunctionBackward"]
        if len(grad_fns) == 0:
            raise RuntimeError("Error while setting up backward hooks. Please open an issue with a code sample to "
                               "reproduce this.")
        fn(grad_fns[0])
        arg_list = list(args)
        for idx, val in zip(tensors_idx, new_tensors, strict=True):
            arg_list[idx] = val
        return (tuple(arg_list) if type(args) is tuple else type(args)(*arg_list)), tensors_idx

    def setup_input_hook(self, args: tuple) -> Any:
        res, input_idx = self._apply_on_tensors(self._set_user_hook, args)
        self.n_inputs = len(args)
        self.input_tensors_index = input_idx
        return res

    def _output_hook(self, _: tuple, grad_output: tuple) -> tuple | None:
        """The output node's post-hook: pack ``grad_output``, run the pre-hooks; when no input
        requires grad, run the backward hooks here (with torch's warning)."""
        assert self.output_tensors_index is not None
        self.grad_outputs = self._pack_with_none(self.output_tensors_index, grad_output, self.n_outputs)
        expected_len = len(self.grad_outputs)
        for user_pre_hook in self.user_pre_hooks:
            hook_grad_outputs = user_pre_hook(self.module, self.grad_outputs)
            if hook_grad_outputs is None:
                continue
            if len(hook_grad_outputs) != expected_len:
                raise RuntimeError("Backward pre hook returned an invalid number of grad_output, "
                                   f"got {len(hook_grad_outputs)}, but expected {expected_len}")
            self.grad_outputs = hook_grad_outputs
        local_grad_outputs = self.grad_outputs
        if self.input_tensors_index is None:
            warnings.warn("Full backward hook is firing when gradients are computed with respect to module outputs "
                          "since no inputs require gradients. See https://docs.pytorch.org/docs/main/generated/"
                          "torch.nn.Module.html#torch.nn.Module.register_full_backward_hook for more details.",
                          stacklevel=5)
            grad_inputs = self._pack_with_none([], [], self.n_inputs)
            for user_hook in self.user_hooks:
                res = user_hook(self.module, grad_inputs, self.grad_outputs)
                if res is not None and not (isinstance(res, tuple) and all(el is None for el in res)):
                    raise RuntimeError("Backward hook for Modules where no input requires gradient should always "
                                       "return None or None for all gradients.")
            self.grad_outputs = None
        return tuple(local_grad_outputs[i] for i in self.output_tensors_index)

    def setup_output_hook(self, args: Any) -> Any:
        is_tuple = isinstance(args, tuple)
        res, output_idx = self._apply_on_tensors(lambda grad_fn: grad_fn.register_hook(self._output_hook),
                                                 args if is_tuple else (args,))
        self.n_outputs = len(args) if is_tuple else 1
        self.output_tensors_index = output_idx
        return res if is_tuple else res[0]


__all__ = ["BackwardHook", "RemovableHandle"]
