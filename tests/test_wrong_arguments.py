"""Arguments of the wrong Python type, generated from the registry's signatures: for every op (function
and method forms), every parameter of a kind the parser checks (ints, int lists, dtypes, bools, numbers,
strings, tensors...) receives a float, a string, None and a tensor in turn, the other parameters a
plausible value; torch and reftorch must then both raise the parser's TypeError with the same message,
or both accept the arguments (whatever the op does with them afterwards)."""

from __future__ import annotations

from typing import Any

import pytest
import torch

import reftorch
from reftorch import _surface
from reftorch.ops._args import ParameterType, Signature
from reftorch.ops.registry import OPS

T = ParameterType
WRONG = {"float": 1.5, "str": "x", "None": None, "tensor": "<tensor>"}
CHECKED = {T.INT64, T.SYM_INT, T.INT_LIST, T.SYM_INT_LIST, T.SCALARTYPE, T.BOOL, T.DOUBLE, T.SCALAR, T.STRING,
           T.TENSOR, T.TENSOR_LIST, T.DEVICE, T.LAYOUT, T.MEMORY_FORMAT}


def _plausible(param: Any, lib: Any) -> Any:
    """A value of the parameter's kind that torch's parser accepts."""
    kind = param.type
    if kind in (T.TENSOR,):
        return lib.ones(2, 3)
    if kind is T.TENSOR_LIST:
        return [lib.ones(2, 3), lib.ones(2, 3)]
    if kind in (T.INT64, T.SYM_INT):
        return 0
    if kind in (T.INT_LIST, T.SYM_INT_LIST):
        return (1,) if param.size == 1 else (2, 3)
    if kind is T.SCALARTYPE:
        return lib.float32
    if kind is T.BOOL:
        return False
    if kind in (T.DOUBLE, T.SCALAR):
        return 0.5
    if kind is T.STRING:
        return "floor"
    if kind is T.DEVICE:
        return "cpu"
    if kind is T.LAYOUT:
        return lib.strided
    if kind is T.MEMORY_FORMAT:
        return lib.contiguous_format
    return None


def _cases() -> list[Any]:
    cases = []
    seen = set()
    for op in OPS.values():
        if op.python or op.attribute:
            continue
        for form, enabled, render in (("function", op.function, _surface.function_signature),
                                      ("method", op.method, _surface.method_signature)):
            if not enabled:
                continue
            signature = Signature(render(op), 0)
            for position, param in enumerate(signature.params):
                if param.type not in CHECKED or param.name == "out":
                    continue
                for label in WRONG:
                    key = (form, op.python_name, param.name, label)
                    if key not in seen:
                        seen.add(key)
                        cases.append(pytest.param(form, op.python_name, render(op), position, label,
                                                  id="-".join(key)))
    return cases


def _call(lib: Any, form: str, name: str, signature: str, position: int, label: str) -> Any:
    params = Signature(signature, 0).params
    args, kwargs = [], {}
    for i, param in enumerate(params):
        if i != position and param.optional:
            continue
        value = _plausible(param, lib) if i != position else WRONG[label]
        if value == "<tensor>":
            value = lib.ones(2)
        if param.keyword_only:
            kwargs[param.name] = value
        else:
            args.append(value)
    target = getattr(lib.ones(2, 3), name) if form == "method" else getattr(lib, name)
    return target(*args, **kwargs)


def _parse_error(lib: Any, *call: Any) -> str | None:
    """The TypeError's message when the call fails in argument parsing, else None."""
    try:
        _call(lib, *call)
    except TypeError as exc:
        return str(exc)
    except Exception:  # noqa: BLE001 - the op itself refused the plausible values: parsing passed
        return None
    return None


@pytest.mark.parametrize(("form", "name", "signature", "position", "label"), _cases())
def test_wrong_argument_types_get_torchs_type_error(form: str, name: str, signature: str, position: int,
                                                    label: str) -> None:
    theirs = _parse_error(torch, form, name, signature, position, label)
    ours = _parse_error(reftorch, form, name, signature, position, label)
    if theirs is None:
        assert ours is None, f"reftorch raised TypeError {ours!r}; torch parsed the call"
    else:
        assert ours is not None, f"torch raised TypeError {theirs!r}; reftorch parsed the call"
        assert ours.splitlines()[0] == theirs.splitlines()[0]
