"""The module system against torch: attribute rules, registration, traversal, state_dict and
load_state_dict (results and errors), hooks, containers and reprs."""

from __future__ import annotations

import copy
import importlib
import pickle
import types
from collections import OrderedDict

import pytest
import torch
from helpers import check

import reftorch


def _net(T):
    T.manual_seed(0)

    class Net(T.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = T.nn.Linear(2, 3)
            self.register_buffer("running", T.zeros(3))
            self.register_buffer("scratch", T.ones(3), persistent=False)
            self.scale = T.nn.Parameter(T.ones(1))
            self.body = T.nn.Sequential(T.nn.Linear(3, 3), T.nn.ReLU())
            self.shared = self.lin

        def forward(self, x):
            return self.body(self.lin(x) + self.running) * self.scale

    return Net()


def test_traversal_and_state_dict():
    def program(T):
        m = _net(T)
        sd = m.state_dict(prefix="p.")
        return ([n for n, _ in m.named_parameters()], [n for n, _ in m.named_parameters(remove_duplicate=False)],
                [n for n, _ in m.named_buffers()], [n for n, _ in m.named_children()],
                [n for n, _ in m.named_modules(prefix="root")], list(sd), type(sd).__name__,
                [v.requires_grad for v in m.state_dict(keep_vars=True).values()], repr(m))

    check(program)


@pytest.mark.parametrize("edit", ["same", "missing", "unexpected", "size", "nontensor", "nonstrict", "assign",
                                  "notmapping", "scalar1d"])
def test_load_state_dict(edit):
    def program(T):
        m = _net(T)
        sd = OrderedDict((k, v.clone() + 1) for k, v in m.state_dict().items())
        strict, assign = True, False
        if edit == "missing":
            del sd["lin.bias"]
        elif edit == "unexpected":
            sd["lin.extra"] = T.ones(1)
            sd["nowhere.weight"] = T.ones(1)
        elif edit == "size":
            sd["lin.weight"] = T.ones(4, 4)
        elif edit == "nontensor":
            sd["scale"] = 3
        elif edit == "nonstrict":
            del sd["running"]
            sd["junk"] = T.ones(2)
            strict = False
        elif edit == "assign":
            assign = True
        elif edit == "notmapping":
            sd = list(sd.items())
        try:
            result = m.load_state_dict(sd, strict=strict, assign=assign)
        except (RuntimeError, TypeError) as exc:  # the whole message (check compares first lines only)
            return type(exc).__name__, str(exc).replace("reftorch", "torch")
        return (repr(result), tuple(result), result.missing_keys, m.lin.weight, m.running, type(m.scale).__name__,
                m.scale.requires_grad)

    check(program)


def test_attribute_rules():
    def program(T, case):
        m = T.nn.Linear(2, 2)
        if case == "tensor_over_parameter":
            m.weight = T.ones(2, 2)
        elif case == "int_over_module":
            s = T.nn.Sequential(T.nn.ReLU())
            s._modules  # noqa: B018
            setattr(s, "0", 1)
        elif case == "buffer_wrong":
            m.register_buffer("b", 3)
        elif case == "buffer_dotted":
            m.register_buffer("a.b", T.ones(1))
        elif case == "buffer_existing":
            m.register_buffer("weight", T.ones(1))
        elif case == "param_nonleaf":
            m.register_parameter("p", T.nn.Parameter(T.ones(1)) * 2)
        elif case == "add_module_wrong":
            m.add_module("x", 3)
        elif case == "getattr_missing":
            return m.missing
        elif case == "delete":
            del m.bias
            m.register_buffer("b", T.ones(1))
            del m.b
            return [n for n, _ in m.named_parameters()], hasattr(m, "b")
        elif case == "module_attr":
            m.child = T.nn.ReLU()
            m.child = None
            return list(m._modules), m.child
        return None

    for case in ("tensor_over_parameter", "int_over_module", "buffer_wrong", "buffer_dotted", "buffer_existing",
                 "param_nonleaf", "add_module_wrong", "getattr_missing", "delete", "module_attr"):
        check(lambda T, case=case: program(T, case))


def test_get_submodule_and_parameter():
    def program(T, target, kind):
        m = _net(T)
        found = getattr(m, kind)(target)
        return found if kind != "get_submodule" else repr(found)

    for target, kind in (("body.0", "get_submodule"), ("", "get_submodule"), ("body.9", "get_submodule"),
                         ("lin.weight", "get_submodule"), ("body.0.weight", "get_parameter"),
                         ("scale", "get_parameter"), ("running", "get_parameter"), ("running", "get_buffer"),
                         ("lin.nope", "get_parameter")):
        check(lambda T, target=target, kind=kind: program(T, target, kind))


def test_hooks():
    def program(T):
        m = T.nn.Sequential(T.nn.Identity(), T.nn.ReLU())
        log = []
        h1 = m.register_forward_pre_hook(lambda mod, args: (args[0] * 2,))
        h2 = m.register_forward_hook(lambda mod, args, out: out + 1)
        h3 = m.register_forward_hook(lambda mod, args, out: log.append("first"), prepend=True)
        h4 = m.register_forward_pre_hook(lambda mod, args, kwargs: (args, kwargs), with_kwargs=True)
        x = T.tensor([-1.0, 2.0])
        first = m(x)
        h1.remove()
        h2.remove()
        h2.remove()
        second = m(x)
        h3.remove()
        h4.remove()
        return first, second, log, h1.id < h2.id

    check(program)


def test_train_eval_zero_grad_requires_grad_apply():
    def program(T):
        m = _net(T)
        m.eval()
        flags = [mod.training for mod in m.modules()]
        m.train()
        m(T.ones(1, 2)).sum().backward()
        m.zero_grad(set_to_none=False)
        zeroed = [p.grad for p in m.parameters()]
        m.zero_grad()
        m.requires_grad_(False)
        names = []
        m.apply(lambda mod: names.append(type(mod).__name__))
        return flags, zeroed, [p.grad for p in m.parameters()], [p.requires_grad for p in m.parameters()], names

    check(program)
    check(lambda T: T.nn.Linear(1, 1).train("yes"))


def test_sequential_and_lists():
    def program(T):
        T.manual_seed(0)
        s = T.nn.Sequential(OrderedDict([("a", T.nn.ReLU()), ("b", T.nn.Tanh())]))
        s.append(T.nn.Sigmoid())
        s.insert(0, T.nn.Identity())
        s.extend([T.nn.ReLU6()])
        sliced = s[1:3]
        del s[0]
        popped = s.pop(-1)
        doubled = s * 2
        ml = T.nn.ModuleList([T.nn.ReLU(), T.nn.ReLU(), T.nn.Tanh()])
        ml.append(T.nn.ReLU())
        ml.insert(1, T.nn.Sigmoid())
        del ml[0]
        md = T.nn.ModuleDict({"x": T.nn.ReLU()})
        md.update([("y", T.nn.Tanh())])
        md["z"] = T.nn.Identity()
        return (repr(s), repr(sliced), repr(popped), repr(doubled), len(doubled), repr(ml), len(ml), repr(md),
                list(md.keys()), "y" in md, repr(md.pop("x")), s(T.tensor([-1.0, 1.0])))

    check(program)
    check(lambda T: T.nn.Sequential(T.nn.ReLU())[3])
    check(lambda T: T.nn.ModuleList([T.nn.ReLU()])[-2])
    check(lambda T: T.nn.Sequential(T.nn.ReLU()).insert(5, T.nn.ReLU()))
    check(lambda T: T.nn.ModuleDict().update(3))
    check(lambda T: T.nn.ModuleDict().update([("a", T.nn.ReLU(), 1)]))


def test_copy_and_pickle():
    def program(T):
        m = _net(T)
        twin = copy.deepcopy(m)
        twin.lin.weight.data.add_(1)
        back = pickle.loads(pickle.dumps(m))
        return (twin.lin.weight is not m.lin.weight, twin.shared is twin.lin, repr(twin), back.lin.weight,
                back.running, list(back.state_dict()), m.lin.weight)

    check(program)


def test_dir_lists_registered_names():
    def program(T):
        m = _net(T)
        names = dir(m)
        return all(n in names for n in ("lin", "running", "scratch", "scale", "body", "forward", "training"))

    check(program)


def _torch_module_homes() -> list[tuple[str, str]]:
    """(file, class) for every Module class torch defines in a torch.nn.modules.<file> that reftorch.nn has."""
    homes = []
    for file in sorted(vars(torch.nn.modules)):
        module = getattr(torch.nn.modules, file)
        if not isinstance(module, types.ModuleType):
            continue
        for name, obj in vars(module).items():
            if (isinstance(obj, type) and issubclass(obj, torch.nn.Module) and obj.__module__ == module.__name__
                    and hasattr(reftorch.nn, name)):
                homes.append((file, name))
    return homes


@pytest.mark.parametrize("file, name", _torch_module_homes())
def test_module_classes_live_at_torchs_import_paths(file, name):
    """Scripts name classes by their file (isinstance checks, safe_globals lists): reftorch.nn.modules.<file>
    holds the very class reftorch.nn exports, as torch.nn.modules.<file> does."""
    home = importlib.import_module(f"reftorch.nn.modules.{file}")
    assert getattr(home, name, None) is getattr(reftorch.nn, name)
