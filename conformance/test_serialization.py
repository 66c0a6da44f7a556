"""Conformance tests for spec/serialization.toml: torch.save / torch.load round trips and load_state_dict.

Every program writes into its own temporary directory, so the oracle and the implementation never share files.
"""

from __future__ import annotations

import os
import tempfile

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance import claims
from conformance import strategies as cst

SEEDS = st.integers(0, 2**16)


def _model(T, device, seed):
    T.manual_seed(seed)
    model = T.nn.Sequential(T.nn.Linear(3, 4), T.nn.BatchNorm1d(4), T.nn.Dropout(0.5), T.nn.Linear(4, 2)).to(
        device
    )
    with T.no_grad():  # buffers that differ from their defaults
        model[1].running_mean.copy_(T.arange(4.0, device=device) * (seed % 7 - 3))
        model[1].running_var.fill_(1 + seed % 5)
        model[1].num_batches_tracked.fill_(seed % 11)
    return model


def _round_trip(T, obj, **load_kwargs):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "checkpoint.pt")
        T.save(obj, path)
        return T.load(path, **load_kwargs)


@claims("serialization.state-dict-round-trip")
@given(seeds=st.tuples(SEEDS, SEEDS))
def test_state_dict_round_trip(differential, seeds):
    def program(T, device):
        model = _model(T, device, seeds[0])
        model2 = _model(T, device, seeds[1])
        model2.load_state_dict(_round_trip(T, model.state_dict()))
        return {"saved": dict(model.state_dict()), "loaded": dict(model2.state_dict())}

    differential(
        program,
        predicate=lambda r, T: (
            all(T.equal(r["saved"][k], v) for k, v in r["loaded"].items())
            and list(r["saved"]) == list(r["loaded"])
        ),
    )


@claims("serialization.load-returns-ordered-dict")
@given(seed=SEEDS)
def test_load_returns_ordered_dict(differential, seed):
    def program(T, device):
        model = _model(T, device, seed)
        loaded = _round_trip(T, model.state_dict())
        return {
            "type": type(loaded).__name__,
            "loaded": loaded,
            "keys": list(loaded),
            "original_keys": list(model.state_dict()),
        }

    differential(
        program, predicate=lambda r, T: r["type"] == "OrderedDict" and r["keys"] == r["original_keys"]
    )


@claims("serialization.load-state-dict-rejects-path")
@given(seed=SEEDS)
def test_load_state_dict_rejects_path(differential, seed):
    def program(T, device):
        model = _model(T, device, seed)
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "model.pth")
            T.save(model.state_dict(), path)
            return model.load_state_dict(path)

    differential(program)


@claims("serialization.map-location-cpu")
@given(seed=SEEDS, as_string=st.booleans())
def test_map_location_cpu(differential, seed, as_string):
    def program(T, device):
        model = _model(T, device, seed)
        location = "cpu" if as_string else T.device("cpu")
        loaded = _round_trip(T, model.state_dict(), map_location=location)
        fresh = _model(T, "cpu", seed + 1)
        fresh.load_state_dict(loaded)
        return {
            "devices": sorted({v.device.type for v in loaded.values()}),
            "loaded": {k: v.numpy() for k, v in loaded.items()},
        }

    differential(program, predicate=lambda r, T: r["devices"] == ["cpu"])


@claims("serialization.whole-model-weights-only")
@given(sizes=st.tuples(st.integers(1, 4), st.integers(1, 4)))
def test_whole_model_default_load_refuses(differential, sizes):
    def program(T, device):
        return _round_trip(T, T.nn.Linear(*sizes))

    differential(program)


@claims("serialization.whole-model-weights-only")
@given(sizes=st.tuples(st.integers(1, 4), st.integers(1, 4)), seed=SEEDS)
def test_whole_model_weights_only_false(differential, sizes, seed):
    def program(T, device):
        T.manual_seed(seed)
        model = T.nn.Linear(*sizes).to(device)
        loaded = _round_trip(T, model, weights_only=False)
        return {
            "type": type(loaded).__name__,
            "is_module": isinstance(loaded, T.nn.Module),
            "weight": loaded.weight,
            "bias": loaded.bias,
            "original": model.weight,
        }

    differential(
        program,
        predicate=lambda r, T: (
            r["type"] == "Linear" and r["is_module"] and T.equal(r["weight"], r["original"])
        ),
    )


@claims("serialization.checkpoint-dict")
@given(seed=SEEDS, epoch=st.integers(0, 100))
def test_checkpoint_dict(differential, seed, epoch):
    def program(T, device):
        model = _model(T, device, seed)
        optimizer = T.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        sum((p**2).sum() for p in model.parameters()).backward()
        optimizer.step()
        state = {"epoch": epoch + 1, "state_dict": model.state_dict(), "optim_dict": optimizer.state_dict()}
        loaded = _round_trip(T, state)
        optim = loaded["optim_dict"]
        return {
            "epoch": loaded["epoch"],
            "state_dict": dict(loaded["state_dict"]),
            "keys": sorted(loaded),
            "optim_state": {k: dict(v) for k, v in optim["state"].items()},
            "groups": [{k: g[k] for k in ("lr", "momentum", "params")} for g in optim["param_groups"]],
        }

    differential(
        program,
        predicate=lambda r, T: (
            r["epoch"] == epoch + 1
            and r["keys"] == ["epoch", "optim_dict", "state_dict"]
            and r["groups"][0]["lr"] == 0.01
            and len(r["optim_state"]) == 6
        ),
    )


@claims("serialization.architecture-mismatch")
@given(kind=st.sampled_from(["missing", "shape", "unexpected"]))
def test_architecture_mismatch(differential, kind):
    def program(T, device):
        model = T.nn.Linear(3, 2)
        if kind == "missing":
            state = {"weight": T.ones(2, 3)}
        elif kind == "shape":
            state = {"weight": T.ones(3, 3), "bias": T.ones(2)}
        else:
            state = {"weight": T.ones(2, 3), "bias": T.ones(2), "extra": T.ones(1)}
        return model.load_state_dict(_round_trip(T, state))

    differential(program)


@claims("serialization.architecture-mismatch")
@given(seed=SEEDS)
def test_non_strict_load_reports_missing(differential, seed):
    def program(T, device):
        T.manual_seed(seed)
        model = T.nn.Linear(3, 2).to(device)
        result = model.load_state_dict(_round_trip(T, {"weight": T.ones(2, 3, device=device)}), strict=False)
        return {
            "missing": list(result.missing_keys),
            "unexpected": list(result.unexpected_keys),
            "weight": model.weight,
        }

    differential(
        program,
        predicate=lambda r, T: (
            r["missing"] == ["bias"] and r["unexpected"] == [] and bool((r["weight"] == 1).all().item())
        ),
    )


@claims("serialization.tensor-round-trip")
@given(
    dtype=cst.dtypes(), shape=cst.shapes(max_dims=3, max_side=4), requires_grad=st.booleans(), data=st.data()
)
def test_tensor_round_trip(differential, dtype, shape, requires_grad, data):
    vals = data.draw(cst.arrays(shape, dtype)).tolist()
    grad = requires_grad and dtype.startswith(("float", "complex"))

    def program(T, device):
        t = T.tensor(vals, dtype=getattr(T, dtype), device=device, requires_grad=grad)
        base = T.arange(6, device=device)
        view = base[2:5]
        loaded = _round_trip(
            T,
            {"t": t, "base": base, "view": view, "misc": [1, "a", (2, 3.5), None, T.float64, T.Size([2, 3])]},
        )
        return loaded

    def holds(r, T):
        return (
            r["view"].untyped_storage().data_ptr() == r["base"].untyped_storage().data_ptr()
            and r["view"].storage_offset() == 2
            and r["t"].requires_grad == grad
            and r["misc"] == [1, "a", (2, 3.5), None, T.float64, T.Size([2, 3])]
        )

    differential(program, layout=True, predicate=holds)


@claims("serialization.torch-file-loads")
@given(shape=cst.shapes(max_dims=3, max_side=4), dtype=cst.dtypes(kinds=("int", "float")), data=st.data())
def test_torch_file_loads(differential, shape, dtype, data):
    vals = data.draw(cst.arrays(shape, dtype)).tolist()

    def program(T, device):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "written_by_torch.pt")
            torch.manual_seed(0)
            layer = torch.nn.Linear(3, 2)
            state = layer.state_dict()
            state["extra"] = torch.tensor(vals, dtype=getattr(torch, dtype))
            torch.save(state, path)
            loaded = T.load(path)
        return {
            "type": type(loaded).__name__,
            "keys": list(loaded),
            "values": [v.numpy() for v in loaded.values()],
            "dtypes": [v.dtype for v in loaded.values()],
        }

    expected = np.array(vals, dtype=dtype)
    differential(
        program,
        predicate=lambda r, T: (
            r["keys"] == ["weight", "bias", "extra"]
            and np.array_equal(r["values"][2], expected)
            and r["type"] == "OrderedDict"
        ),
    )


@settings(max_examples=5)
@claims("serialization.load-then-eval")
@given(seed=SEEDS)
def test_load_then_eval(differential, seed):
    def program(T, device):
        source = _model(T, device, seed)
        model = _model(T, device, seed + 1)
        model.load_state_dict(_round_trip(T, source.state_dict()))
        after_load = model.training
        model.eval()
        x = T.randn(3, 3, device=device)
        return {
            "after_load": after_load,
            "flags": [m.training for m in model.modules()],
            "first": model(x),
            "second": model(x),
        }

    differential(
        program,
        rtol=1e-5,
        predicate=lambda r, T: r["after_load"] and not any(r["flags"]) and T.equal(r["first"], r["second"]),
    )
