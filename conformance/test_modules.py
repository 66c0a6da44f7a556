"""Conformance tests for spec/modules.toml: Module, Parameter, buffers, train/eval, Sequential, printing."""

from __future__ import annotations

import copy
import io
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance import claims
from conformance import strategies as cst


def bounded_floats(shape: tuple[int, ...], lo: float = -4.0, hi: float = 4.0) -> st.SearchStrategy:
    """Nested lists of float32-representable values in [lo, hi]."""
    n = cst.numel(shape)
    values = st.floats(lo, hi, width=32, allow_subnormal=False, allow_nan=False)
    return st.lists(values, min_size=n, max_size=n).map(
        lambda flat: np.array(flat, dtype=np.float32).reshape(shape).tolist()
    )


SEEDS = st.integers(0, 2**16)
SHAPES = cst.nonempty_shapes(min_dims=1, max_dims=3, max_side=4)


def printed(*values) -> str:
    """What print(*values) writes, also printed for real so stdout is compared too."""
    buf = io.StringIO()
    print(*values, file=buf)
    print(*values)
    return buf.getvalue()


# --- Parameter ---


@claims("modules.parameter-attribute-registers")
@given(
    names=st.lists(
        st.sampled_from(["w", "bias", "scale", "my_param", "alpha"]), min_size=1, max_size=4, unique=True
    ),
    shape=SHAPES,
    data=st.data(),
)
def test_parameter_attribute_registers(differential, names, shape, data):
    vals = data.draw(bounded_floats(shape))

    def program(T, device):
        class Holder(T.nn.Module):
            def __init__(self):
                super().__init__()
                for i, name in enumerate(names):
                    setattr(self, name, T.nn.Parameter(T.tensor(vals, device=device) * (i + 1)))

        m = Holder()
        return {
            "named": dict(m.named_parameters()),
            "count": len(list(m.parameters())),
            "state_keys": list(m.state_dict().keys()),
        }

    differential(
        program,
        predicate=lambda r, T: (
            list(r["named"]) == names and r["count"] == len(names) and r["state_keys"] == names
        ),
    )


def _my_module(T, values):
    class MyModule(T.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.my_param = T.nn.Parameter(T.Tensor(values))

        def forward(self, x):
            return x * self.my_param

    return MyModule()


@claims("modules.parameter-print-example")
def test_parameter_print_example(differential):
    def program(T, device):
        m = _my_module(T, [1, 2, 3])
        return printed(m.my_param, m.my_param.requires_grad, m.my_param.data)

    expected = "Parameter containing:\ntensor([1., 2., 3.], requires_grad=True) True tensor([1., 2., 3.])\n"
    differential(program, predicate=lambda r, T: r == expected)


@claims("modules.parameter-forward-example")
def test_parameter_forward_document_example(differential):
    def program(T, device):
        m = _my_module(T, [1, 2, 3]).to(device)
        return m(T.Tensor([1, 2, 3]).to(device))

    differential(
        program,
        predicate=lambda r, T: r.tolist() == [1.0, 4.0, 9.0] and type(r.grad_fn).__name__ == "MulBackward0",
    )


@claims("modules.parameter-forward-example")
@given(n=st.integers(1, 5), data=st.data())
def test_parameter_forward(differential, n, data):
    params = data.draw(bounded_floats((n,)))
    xs = data.draw(bounded_floats((n,)))

    def program(T, device):
        m = _my_module(T, params).to(device)
        y = m(T.tensor(xs, device=device))
        y.sum().backward()
        return {"y": y, "param": m.my_param}

    differential(
        program,
        predicate=lambda r, T: (
            r["y"].requires_grad and np.allclose(r["param"].grad.numpy(), np.array(xs, dtype=np.float32))
        ),
    )


@claims("modules.parameter-requires-grad-default")
@given(shape=SHAPES, seed=SEEDS, data=st.data())
def test_parameter_requires_grad_default(differential, shape, seed, data):
    vals = data.draw(bounded_floats(shape))

    def program(T, device):
        T.manual_seed(seed)
        base = T.tensor(vals, device=device)
        return {
            "default": T.nn.Parameter(base),
            "off": T.nn.Parameter(base.clone(), requires_grad=False),
            "randn": T.nn.Parameter(T.randn(2, 3, device=device)),
            "base": base,
        }

    differential(
        program,
        predicate=lambda r, T: (
            r["default"].requires_grad
            and r["default"].is_leaf
            and not r["off"].requires_grad
            and r["randn"].requires_grad
            and not r["base"].requires_grad
            and T.equal(r["default"].detach(), r["base"])
        ),
    )


@claims("modules.parameter-is-tensor-subclass")
@given(shape=SHAPES, data=st.data())
def test_parameter_is_tensor_subclass(differential, shape, data):
    vals = data.draw(bounded_floats(shape))

    def program(T, device):
        p = T.nn.Parameter(T.tensor(vals, device=device))
        prod = p * 2
        return {
            "is_tensor": isinstance(p, T.Tensor),
            "subclass": issubclass(T.nn.Parameter, T.Tensor),
            "prod": prod,
            "prod_is_plain": type(prod) is T.Tensor,
        }

    differential(program, predicate=lambda r, T: r["is_tensor"] and r["subclass"] and r["prod_is_plain"])


def _m_class(T, with_plain_tensor):
    class M(T.nn.Module):
        def __init__(self):
            super().__init__()
            self.weights = T.nn.Parameter(T.randn(2, 2))
            self.bias = T.nn.Parameter(T.zeros(2))
            if with_plain_tensor:
                self.t = T.tensor(1)

        def forward(self, x):
            return x @ self.weights + self.bias

    return M()


@claims("modules.plain-tensor-attribute-not-registered")
@given(seed=SEEDS)
def test_plain_tensor_attribute_not_registered(differential, seed):
    def program(T, device):
        T.manual_seed(seed)
        m = _m_class(T, with_plain_tensor=True)
        return {
            "params": [n for n, _ in m.named_parameters()],
            "buffers": [n for n, _ in m.named_buffers()],
            "state_keys": list(m.state_dict().keys()),
            "t": m.t.item(),
        }

    differential(
        program,
        predicate=lambda r, T: (
            r["params"] == ["weights", "bias"]
            and r["buffers"] == []
            and r["state_keys"] == ["weights", "bias"]
        ),
    )


@claims("modules.parameters-is-generator")
@given(seed=SEEDS)
def test_parameters_is_generator(differential, seed):
    def program(T, device):
        T.manual_seed(seed)
        m = _m_class(T, with_plain_tensor=False).to(device)
        gen = m.parameters()
        return {"type": type(gen).__name__, "list": list(gen), "out": m(T.ones(3, 2, device=device))}

    differential(program, predicate=lambda r, T: r["type"] == "generator" and len(r["list"]) == 2)


@claims("modules.parameters-list-printout")
@given(seed=SEEDS)
def test_parameters_list_printout(differential, seed):
    def program(T, device):
        T.manual_seed(seed)
        return printed(list(_m_class(T, with_plain_tensor=False).parameters()))

    differential(
        program,
        predicate=lambda r, T: (
            r.startswith("[Parameter containing:\ntensor([[")
            and r.endswith(
                "], requires_grad=True), Parameter containing:\ntensor([0., 0.], requires_grad=True)]\n"
            )
        ),
    )


@claims("modules.parameters-list-printout")
def test_parameters_list_printout_seed_zero(differential):
    def program(T, device):
        T.manual_seed(0)
        return printed(list(_m_class(T, with_plain_tensor=False).parameters()))

    expected = (
        "[Parameter containing:\ntensor([[ 1.5410, -0.2934],\n"
        "        [-2.1788,  0.5684]], requires_grad=True),"
        " Parameter containing:\ntensor([0., 0.], requires_grad=True)]\n"
    )
    differential(program, predicate=lambda r, T: r == expected)


# --- buffers ---


def _buffered(T, num_features):
    class WithBuffer(T.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("running_mean", T.zeros(num_features))
            self.lin = T.nn.Linear(num_features, 2)

        def forward(self, x):
            return self.lin(x - self.running_mean)

    return WithBuffer()


@claims("modules.buffer-is-not-parameter")
@given(n=st.integers(1, 5), seed=SEEDS)
def test_buffer_is_not_parameter(differential, n, seed):
    def program(T, device):
        T.manual_seed(seed)
        m = _buffered(T, n).to(device)
        m.running_mean.fill_(0.5)
        m(T.randn(3, n, device=device)).sum().backward()
        return {
            "buffers": dict(m.named_buffers()),
            "params": [k for k, _ in m.named_parameters()],
            "state_keys": list(m.state_dict().keys()),
            "buffer_grad": m.running_mean.grad,
            "weight": m.lin.weight,
        }

    differential(
        program,
        rtol=1e-5,
        predicate=lambda r, T: (
            list(r["buffers"]) == ["running_mean"]
            and r["params"] == ["lin.weight", "lin.bias"]
            and r["state_keys"] == ["running_mean", "lin.weight", "lin.bias"]
            and not r["buffers"]["running_mean"].requires_grad
            and r["buffer_grad"] is None
        ),
    )


@claims("modules.buffer-restored-by-load-state-dict")
@given(n=st.integers(1, 5), seed=SEEDS, data=st.data())
def test_buffer_restored_by_load_state_dict(differential, n, seed, data):
    vals = data.draw(bounded_floats((n,)))

    def program(T, device):
        T.manual_seed(seed)
        source, target = _buffered(T, n).to(device), _buffered(T, n).to(device)
        source.running_mean.copy_(T.tensor(vals))
        target.load_state_dict(source.state_dict())
        return {"buffer": target.running_mean, "weight": target.lin.weight.detach()}

    differential(program, predicate=lambda r, T: r["buffer"].tolist() == vals)


# --- train / eval ---


@claims("modules.training-flag-train-eval")
@given(ops=st.lists(st.sampled_from(["train", "eval", "train_false"]), max_size=4))
def test_training_flag_train_eval(differential, ops):
    def program(T, device):
        model = T.nn.Sequential(T.nn.Linear(2, 2), T.nn.Sequential(T.nn.Dropout(0.5), T.nn.BatchNorm1d(2)))
        trace = [model.training]
        for op in ops:
            returned = model.train(False) if op == "train_false" else getattr(model, op)()
            trace.append((returned is model, [m.training for m in model.modules()]))
        return trace

    def holds(r, T):
        expected = True
        for op, (same, flags) in zip(ops, r[1:], strict=True):
            expected = op == "train"
            if not same or flags != [expected] * len(flags):
                return False
        return r[0] is True

    differential(program, predicate=holds)


@claims("modules.forward-branches-on-training")
@given(n=st.integers(1, 5), data=st.data())
def test_forward_branches_on_training(differential, n, data):
    vals = data.draw(bounded_floats((n,)))

    def program(T, device):
        class MyDummy(T.nn.Module):
            def forward(self, x):
                if self.training:
                    return x * 2
                return x + 1

        m = MyDummy()
        x = T.tensor(vals, device=device)
        train_out = m(x)
        m.eval()
        eval_out = m(x)
        m.train()
        return {"train": train_out, "eval": eval_out, "again": m(x)}

    differential(
        program,
        predicate=lambda r, T: (
            T.equal(r["train"], r["again"])
            and np.allclose(r["eval"].numpy(), np.array(vals, dtype=np.float32) + 1)
        ),
    )


@claims("modules.dropout-train-eval")
@given(p=st.sampled_from([0.2, 0.5, 0.75]), shape=SHAPES, seed=SEEDS, data=st.data())
def test_dropout_train_eval(differential, p, shape, seed, data):
    vals = data.draw(bounded_floats(shape, 0.5, 4.0))

    def program(T, device):
        T.manual_seed(seed)
        drop = T.nn.Dropout(p)
        x = T.tensor(vals, device=device)
        y = drop(x)
        kept = y != 0
        scaled_ok = bool(T.allclose(y[kept], x[kept] / (1 - p)))
        drop.eval()
        return {"train_zero_or_scaled": scaled_ok, "eval": drop(x), "x": x}

    differential(program, predicate=lambda r, T: r["train_zero_or_scaled"] and T.equal(r["eval"], r["x"]))


@claims("modules.batchnorm-train-eval")
@given(n=st.integers(2, 6), c=st.integers(1, 4), data=st.data())
def test_batchnorm_train_eval(differential, n, c, data):
    vals = data.draw(bounded_floats((n, c)))

    def program(T, device):
        bn = T.nn.BatchNorm1d(c).to(device)
        x = T.tensor(vals, device=device)
        train_out = bn(x)
        stats = (bn.running_mean.clone(), bn.running_var.clone())
        bn.eval()
        eval_out = bn(x)
        return {
            "train": train_out,
            "eval": eval_out,
            "mean": stats[0],
            "var": stats[1],
            "mean_after_eval": bn.running_mean,
            "tracked": bn.num_batches_tracked,
        }

    def holds(r, T):
        x = np.array(vals, dtype=np.float64)
        mean, var = x.mean(0), x.var(0, ddof=1)
        return (
            np.allclose(r["mean"].numpy(), 0.1 * mean, atol=1e-5)
            and np.allclose(r["var"].numpy(), 0.9 + 0.1 * var, rtol=1e-4, atol=1e-5)
            and T.equal(r["mean"], r["mean_after_eval"])
            and np.allclose(
                r["eval"].detach().numpy(),
                (x - 0.1 * mean) / np.sqrt(0.9 + 0.1 * var + 1e-5),
                rtol=1e-4,
                atol=1e-4,
            )
        )

    differential(program, rtol=1e-4, atol=1e-5, predicate=holds)


# --- Sequential, layers ---


@claims("modules.sequential-chains-modules")
@given(
    seed=SEEDS,
    widths=st.lists(st.integers(1, 4), min_size=2, max_size=4),
    acts=st.lists(st.sampled_from(["ReLU", "Tanh", "Sigmoid"]), min_size=3, max_size=3),
)
def test_sequential_chains_modules(differential, seed, widths, acts):
    def program(T, device):
        T.manual_seed(seed)
        layers = []
        for i, (w_in, w_out) in enumerate(zip(widths, widths[1:])):
            layers.append(T.nn.Linear(w_in, w_out))
            layers.append(getattr(T.nn, acts[i])())
        model = T.nn.Sequential(*layers).to(device)
        x = T.randn(3, widths[0], device=device)
        manual = x
        for layer in layers:
            manual = layer(manual)
        return {"seq": model(x), "manual": manual, "len": len(model)}

    differential(
        program,
        rtol=1e-5,
        predicate=lambda r, T: T.equal(r["seq"], r["manual"]) and r["len"] == 2 * (len(widths) - 1),
    )


@claims("modules.sequential-chains-modules")
@given(seed=SEEDS, with_bn=st.booleans())
def test_conv_batch_relu_block(differential, seed, with_bn):
    def program(T, device):
        T.manual_seed(seed)
        layers = [T.nn.Conv2d(2, 3, kernel_size=3, padding=1)]
        if with_bn:
            layers.append(T.nn.BatchNorm2d(3))
        layers.append(T.nn.ReLU())
        block = T.nn.Sequential(*layers).to(device)
        x = T.randn(2, 2, 4, 4, device=device)
        manual = x
        for layer in layers:
            manual = layer(manual)
        return {"block": block(x), "manual": manual}

    differential(
        program,
        rtol=1e-5,
        atol=1e-5,
        predicate=lambda r, T: T.allclose(r["block"], r["manual"]) and r["block"].shape == (2, 3, 4, 4),
    )


@claims("modules.sequential-chains-modules")
@settings(max_examples=5)
@given(seed=SEEDS)
def test_lenet_forward_backward(differential, seed):
    """End to end: a LeNet-style CNN chained by nn.Sequential(*layers) (Conv2d, BatchNorm2d, ReLU,
    MaxPool2d, Dropout, Flatten, Linear), trained one step and then in eval mode, gives torch's outputs,
    loss and parameter gradients after the same seed (weights, data and dropout masks from one stream;
    end-to-end tolerance rtol 1e-4, atol 1e-5)."""
    def program(T, device):
        T.manual_seed(seed)
        nn = T.nn
        layers = [nn.Conv2d(1, 6, 5, padding=2), nn.BatchNorm2d(6), nn.ReLU(), nn.MaxPool2d(2),
                  nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.25),
                  nn.Linear(16 * 5 * 5, 84), nn.ReLU(), nn.Linear(84, 10)]
        model = nn.Sequential(*layers).to(device)
        x = T.randn(4, 1, 28, 28, device=device)
        target = T.randint(0, 10, (4,), device=device)
        loss = nn.functional.cross_entropy(model(x), target)
        loss.backward()
        model.eval()
        with T.no_grad():
            evaluated = model(x)
        return {"loss": loss.detach(), "grads": [p.grad for p in model.parameters()], "eval": evaluated,
                "running_mean": model[1].running_mean}

    differential(program, rtol=1e-4, atol=1e-5,
                 predicate=lambda r, T: r["eval"].shape == (4, 10) and len(r["grads"]) == 10)


def _gpt(T, vocab: int, block: int, width: int, heads: int, layers: int):
    """A GPT-style character model written as torch users write it: token and position embeddings,
    causal self-attention masked with a registered tril buffer, LayerNorm, a GELU MLP, residuals,
    ModuleDict/ModuleList, and a head tied to the token embedding."""
    nn, F = T.nn, T.nn.functional

    class SelfAttention(nn.Module):
        def __init__(self):
            super().__init__()
            self.c_attn = nn.Linear(width, 3 * width)
            self.c_proj = nn.Linear(width, width)
            self.register_buffer("bias", T.tril(T.ones(block, block)).view(1, 1, block, block))

        def forward(self, x):
            b, t, c = x.size()
            q, k, v = self.c_attn(x).split(width, dim=2)
            q, k, v = (z.view(b, t, heads, c // heads).transpose(1, 2) for z in (q, k, v))
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
            att = att.masked_fill(self.bias[:, :, :t, :t] == 0, float("-inf"))
            y = F.softmax(att, dim=-1) @ v
            return self.c_proj(y.transpose(1, 2).contiguous().view(b, t, c))

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln_1, self.attn, self.ln_2 = nn.LayerNorm(width), SelfAttention(), nn.LayerNorm(width)
            self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))

        def forward(self, x):
            x = x + self.attn(self.ln_1(x))
            return x + self.mlp(self.ln_2(x))

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.transformer = nn.ModuleDict({"wte": nn.Embedding(vocab, width), "wpe": nn.Embedding(block, width),
                                              "h": nn.ModuleList([Block() for _ in range(layers)]),
                                              "ln_f": nn.LayerNorm(width)})
            self.lm_head = nn.Linear(width, vocab, bias=False)
            self.transformer.wte.weight = self.lm_head.weight

        def forward(self, idx, targets):
            pos = T.arange(idx.size(1))
            x = self.transformer.wte(idx) + self.transformer.wpe(pos)
            for layer in self.transformer.h:
                x = layer(x)
            logits = self.lm_head(self.transformer.ln_f(x))
            return logits, F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)

    return GPT()


@claims("modules.buffer-is-not-parameter")
@settings(max_examples=5)
@given(seed=SEEDS)
def test_gpt_block_forward_backward(differential, seed):
    """End to end: the tril mask is a buffer (in buffers and state_dict, not in parameters, no gradient)
    while the whole GPT-style model gives torch's logits, loss and gradients after the same seed
    (end-to-end tolerance rtol 1e-4, atol 1e-5; the tied weight is one parameter)."""
    def program(T, device):
        T.manual_seed(seed)
        model = _gpt(T, vocab=11, block=8, width=16, heads=2, layers=2)
        idx = T.randint(0, 11, (3, 8))
        targets = T.randint(0, 11, (3, 8))
        targets[0, :2] = -1
        logits, loss = model(idx, targets)
        loss.backward()
        names = [n for n, _ in model.named_parameters()]
        buffers = [n for n, _ in model.named_buffers()]
        return {"logits": logits.detach(), "loss": loss.detach(), "grads": [p.grad for p in model.parameters()],
                "names": names, "buffers": buffers}

    differential(program, rtol=1e-4, atol=1e-5, predicate=lambda r, T: "transformer.h.0.attn.bias" in r["buffers"]
                 and "transformer.h.0.attn.bias" not in r["names"] and "lm_head.weight" not in r["names"])


@claims("modules.conv2d-requires-arguments")
def test_conv2d_requires_arguments(differential):
    def program(T, device):
        return [T.nn.Conv2d(), T.nn.Conv2d()]

    differential(program)


@claims("modules.softmax-layer-example")
def test_softmax_layer_document_example(differential):
    def program(T, device):
        softmax_layer = T.nn.Softmax(dim=1)
        logits = T.tensor([[2.0, 1.0, 0.1], [1.0, 3.0, 0.1]])
        return printed(softmax_layer(logits))

    expected = "tensor([[0.6590, 0.2424, 0.0986],\n        [0.1137, 0.8401, 0.0462]])\n"
    differential(program, predicate=lambda r, T: r == expected)


@claims("modules.softmax-layer-example")
@given(shape=cst.nonempty_shapes(min_dims=1, max_dims=3, max_side=4), data=st.data())
def test_softmax_layer(differential, shape, data):
    vals = data.draw(bounded_floats(shape))
    dim = data.draw(cst.dims(len(shape)))

    def program(T, device):
        return T.nn.Softmax(dim=dim)(T.tensor(vals, device=device))

    def holds(r, T):
        x = np.array(vals, dtype=np.float64)
        e = np.exp(x - x.max(axis=dim, keepdims=True))
        return np.allclose(r.numpy(), e / e.sum(axis=dim, keepdims=True), rtol=1e-5, atol=1e-6)

    differential(program, predicate=holds)


def _two_layer_net(T):
    class TwoLayerNet(T.nn.Module):
        def __init__(self, d_in, h, d_out):
            super().__init__()
            self.linear1 = T.nn.Linear(d_in, h)
            self.linear2 = T.nn.Linear(h, d_out)

        def forward(self, x):
            return self.linear2(T.nn.functional.relu(self.linear1(x)))

    return TwoLayerNet


@claims("modules.print-model-nested-repr")
@given(sizes=st.tuples(st.integers(1, 200), st.integers(1, 200), st.integers(1, 200)))
def test_print_model_nested_repr(differential, sizes):
    def program(T, device):
        model = _two_layer_net(T)(*sizes)
        buf = io.StringIO()
        returned = print(model, file=buf)
        print(model)
        return {"text": buf.getvalue(), "returned": returned}

    d_in, h, d_out = sizes
    expected = (
        f"TwoLayerNet(\n  (linear1): Linear(in_features={d_in}, out_features={h}, bias=True)\n"
        f"  (linear2): Linear(in_features={h}, out_features={d_out}, bias=True)\n)\n"
    )
    differential(program, predicate=lambda r, T: r["text"] == expected and r["returned"] is None)


@claims("modules.print-model-nested-repr", "modules.print-model-layer-format")
def test_print_vgg_like_model(differential):
    def program(T, device):
        nn = T.nn

        class VGG(nn.Module):
            def __init__(self):
                super().__init__()
                self.features = nn.Sequential(
                    nn.Conv2d(3, 64, kernel_size=3, padding=1),
                    nn.ReLU(inplace=True),
                    nn.Conv2d(64, 64, kernel_size=3, padding=1),
                    nn.ReLU(inplace=True),
                    nn.MaxPool2d(kernel_size=2, stride=2),
                )
                self.classifier = nn.Sequential(
                    nn.Dropout(p=0.5), nn.Linear(256, 128), nn.ReLU(inplace=True), nn.Linear(128, 10)
                )

        return printed(VGG())

    expected = """VGG(
  (features): Sequential(
    (0): Conv2d(3, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
    (1): ReLU(inplace=True)
    (2): Conv2d(64, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
    (3): ReLU(inplace=True)
    (4): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
  )
  (classifier): Sequential(
    (0): Dropout(p=0.5, inplace=False)
    (1): Linear(in_features=256, out_features=128, bias=True)
    (2): ReLU(inplace=True)
    (3): Linear(in_features=128, out_features=10, bias=True)
  )
)
"""
    differential(program, predicate=lambda r, T: r == expected)


@claims("modules.print-model-layer-format")
@given(
    p=st.sampled_from([0.0, 0.1, 0.5]),
    inplace=st.booleans(),
    k=st.integers(1, 4),
    sizes=st.tuples(st.integers(1, 50), st.integers(1, 50)),
    bias=st.booleans(),
)
def test_layer_repr_format(differential, p, inplace, k, sizes, bias):
    def program(T, device):
        nn = T.nn
        return [
            repr(nn.ReLU(inplace=inplace)),
            repr(nn.Dropout(p=p, inplace=inplace)),
            repr(nn.MaxPool2d(kernel_size=k, stride=k)),
            repr(nn.Linear(*sizes, bias=bias)),
            repr(nn.Sequential(nn.ReLU())),
        ]

    differential(
        program,
        predicate=lambda r, T: (
            r[0] == ("ReLU(inplace=True)" if inplace else "ReLU()")
            and r[1] == f"Dropout(p={p}, inplace={inplace})"
            and r[3] == f"Linear(in_features={sizes[0]}, out_features={sizes[1]}, bias={bias})"
            and r[4].startswith("Sequential(\n")
        ),
    )


VGG_LAYER_COUNTS = [
    (("Conv2d", 3, 64), 1792),
    (("Conv2d", 64, 64), 36928),
    (("Conv2d", 64, 128), 73856),
    (("Conv2d", 128, 128), 147584),
    (("Conv2d", 128, 256), 295168),
    (("Conv2d", 256, 256), 590080),
    (("Conv2d", 256, 512), 1180160),
    (("Conv2d", 512, 512), 2359808),
    (("Linear", 4096, 1000), 4097000),
]


@claims("modules.layer-parameter-counts")
def test_vgg_layer_parameter_counts(differential):
    def program(T, device):
        counts = []
        for (kind, cin, cout), _ in VGG_LAYER_COUNTS:
            layer = T.nn.Conv2d(cin, cout, 3, padding=1) if kind == "Conv2d" else T.nn.Linear(cin, cout)
            counts.append(sum(p.numel() for p in layer.parameters()))
        return counts

    differential(program, predicate=lambda r, T: r == [n for _, n in VGG_LAYER_COUNTS])


@claims("modules.layer-parameter-counts")
@given(cin=st.integers(1, 6), cout=st.integers(1, 6), k=st.integers(1, 3), bias=st.booleans())
def test_layer_parameter_counts(differential, cin, cout, k, bias):
    def program(T, device):
        conv = T.nn.Conv2d(cin, cout, k, bias=bias)
        lin = T.nn.Linear(cin, cout, bias=bias)
        return [sum(p.numel() for p in conv.parameters()), sum(p.numel() for p in lin.parameters())]

    differential(
        program, predicate=lambda r, T: r == [cout * cin * k * k + cout * bias, cin * cout + cout * bias]
    )


@claims("modules.count-parameters")
@given(sizes=st.tuples(st.integers(1, 8), st.integers(1, 8), st.integers(1, 8)), freeze=st.booleans())
def test_count_parameters(differential, sizes, freeze):
    def program(T, device):
        model = _two_layer_net(T)(*sizes)
        if freeze:
            model.linear1.requires_grad_(False)
        total = sum(p.numel() for p in model.parameters())
        trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
        return {"total": total, "trainable": trainable}

    d_in, h, d_out = sizes
    first, second = d_in * h + h, h * d_out + d_out
    differential(
        program,
        predicate=lambda r, T: r == {"total": first + second, "trainable": second + (0 if freeze else first)},
    )


@claims("modules.parameters-default-float32", "modules.builtin-parameters-require-grad")
@given(cin=st.integers(1, 4), cout=st.integers(1, 4))
def test_builtin_parameter_defaults(differential, cin, cout):
    def program(T, device):
        layers = [T.nn.Linear(cin, cout), T.nn.Conv2d(cin, cout, 3), T.nn.BatchNorm2d(cout)]
        return [
            (name, str(p.dtype), p.requires_grad) for layer in layers for name, p in layer.named_parameters()
        ]

    differential(
        program, predicate=lambda r, T: all(d == "torch.float32" and g for _, d, g in r) and len(r) == 6
    )


@claims("modules.linear-dtype-mismatch")
@given(n=st.integers(1, 4), cin=st.integers(1, 4), cout=st.integers(1, 4))
def test_linear_dtype_mismatch(differential, n, cin, cout):
    def program(T, device):
        layer = T.nn.Linear(cin, cout).to(device)
        return layer(T.ones(n, cin, dtype=T.float64, device=device))

    differential(program)


@claims("modules.linear-dtype-mismatch")
@given(n=st.integers(1, 4), cin=st.integers(1, 4), cout=st.integers(1, 4), seed=SEEDS)
def test_linear_after_float_conversion(differential, n, cin, cout, seed):
    def program(T, device):
        T.manual_seed(seed)
        layer = T.nn.Linear(cin, cout).to(device)
        x = T.randn(n, cin, dtype=T.float64, device=device)
        return layer(x.float())

    differential(program, rtol=1e-5, predicate=lambda r, T: r.dtype == T.float32 and r.shape == (n, cout))


@claims("modules.two-layer-net")
@given(
    sizes=st.tuples(st.integers(1, 6), st.integers(1, 6), st.integers(1, 6), st.integers(1, 6)), seed=SEEDS
)
def test_two_layer_net(differential, sizes, seed):
    n, d_in, h, d_out = sizes

    def program(T, device):
        T.manual_seed(seed)
        x = T.randn(n, d_in, device=device)
        model = _two_layer_net(T)(d_in, h, d_out).to(device)
        manual = model.linear2(T.relu(model.linear1(x)))
        return {"y": model(x), "manual": manual, "names": [k for k, _ in model.named_parameters()]}

    differential(
        program,
        rtol=1e-5,
        predicate=lambda r, T: (
            r["y"].shape == (n, d_out)
            and T.equal(r["y"], r["manual"])
            and r["names"] == ["linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias"]
        ),
    )


@settings(max_examples=3)
@claims("modules.two-layer-net")
@given(seed=SEEDS)
def test_two_layer_net_document_sizes(differential, seed):
    def program(T, device):
        T.manual_seed(seed)
        N, D_in, H, D_out = 32, 100, 50, 10
        x = T.autograd.Variable(T.randn(N, D_in, device=device))
        model = _two_layer_net(T)(D_in, H, D_out).to(device)
        return model(x)

    differential(program, rtol=1e-5, predicate=lambda r, T: r.shape == (32, 10))


@claims("modules.module-has-no-clone")
def test_module_has_no_clone(differential):
    def program(T, device):
        return T.nn.Linear(2, 2).clone()

    differential(program)


@claims("modules.module-has-no-clone")
@given(seed=SEEDS)
def test_module_deepcopy(differential, seed):
    def program(T, device):
        T.manual_seed(seed)
        model = T.nn.Sequential(T.nn.Linear(3, 2), T.nn.BatchNorm1d(2)).to(device)
        twin = copy.deepcopy(model)
        separate = all(
            a is not b and a.data_ptr() != b.data_ptr()
            for a, b in zip(model.parameters(), twin.parameters(), strict=True)
        )
        with T.no_grad():
            twin[0].weight.add_(1)
        return {
            "separate": separate,
            "original": model[0].weight,
            "copy_bias": twin[0].bias,
            "type": type(twin).__name__,
        }

    differential(program, predicate=lambda r, T: r["separate"] and r["type"] == "Sequential")


@claims("modules.state-dict-keys")
@given(seed=SEEDS, cout=st.integers(1, 4))
def test_state_dict_keys(differential, seed, cout):
    def program(T, device):
        T.manual_seed(seed)
        model = T.nn.Sequential(T.nn.Conv2d(2, cout, 3), T.nn.BatchNorm2d(cout), T.nn.ReLU()).to(device)
        sd = model.state_dict()
        return {
            "type": type(sd).__name__,
            "keys": list(sd),
            "grad_flags": [v.requires_grad for v in sd.values()],
            "values": list(sd.values()),
        }

    keys = [
        "0.weight",
        "0.bias",
        "1.weight",
        "1.bias",
        "1.running_mean",
        "1.running_var",
        "1.num_batches_tracked",
    ]
    differential(
        program,
        predicate=lambda r, T: r["type"] == "OrderedDict" and r["keys"] == keys and not any(r["grad_flags"]),
    )
