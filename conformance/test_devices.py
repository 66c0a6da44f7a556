"""Conformance tests for spec/devices.toml: device objects, moving tensors and modules, autocast, GradScaler.

Programs get the harness's ``device`` ("cpu" for the numpy backend, "cuda" for the cuda backend). Claims
that only a GPU can show take their CUDA branch there and check the CPU counterpart otherwise (the claim's
notes say which). With ``--backend cuda`` and a CPU-only oracle, the oracle's cpu stands for the
implementation's cuda; programs return host values (NumPy arrays, str) for anything deliberately moved to the
CPU, and the few programs whose outcome must differ between a CPU and a CUDA run are skipped there.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import claims
from conformance import strategies as cst

SHAPES = cst.nonempty_shapes(min_dims=1, max_dims=3, max_side=4)


def bounded_floats(shape: tuple[int, ...], lo: float = -4.0, hi: float = 4.0) -> st.SearchStrategy:
    """Nested lists of float32-representable values in [lo, hi]."""
    n = cst.numel(shape)
    values = st.floats(lo, hi, width=32, allow_subnormal=False, allow_nan=False)
    return st.lists(values, min_size=n, max_size=n).map(
        lambda flat: np.array(flat, dtype=np.float32).reshape(shape).tolist()
    )


VALUES = SHAPES.flatmap(bounded_floats)  # nested lists of a drawn shape


def needs_same_device(differential) -> None:
    """Skips a program whose outcome depends on the device when the oracle cannot run on the impl's device."""
    if differential.oracle_device != differential.impl_device:
        pytest.skip(
            f"the oracle runs on {differential.oracle_device}, the implementation on "
            f"{differential.impl_device}: this outcome differs between the two devices"
        )


@claims("devices.cuda-is-available")
def test_cuda_is_available(differential):
    def program(T, device):
        available = T.cuda.is_available()
        try:
            T.zeros(1, device="cuda")
            works = True
        except Exception:  # noqa: BLE001 - any failure means no CUDA tensor can be made
            works = False
        return {"type": type(available).__name__, "agrees": available == works}

    differential(program, predicate=lambda r, T: r == {"type": "bool", "agrees": True})


@claims("devices.availability-guarded-to")
@given(shape=SHAPES, dtype=cst.dtypes(kinds=("int", "float")), data=st.data())
def test_availability_guarded_to(differential, shape, dtype, data):
    vals = data.draw(cst.arrays(shape, dtype)).tolist()

    def program(T, device):
        t = T.tensor(vals, dtype=getattr(T, dtype))
        moved = t.to("cuda" if T.cuda.is_available() else "cpu")
        return {
            "moved": moved,
            "where": moved.device.type == ("cuda" if T.cuda.is_available() else "cpu"),
            "same_values": T.equal(moved.cpu(), t),
        }

    differential(
        program,
        predicate=lambda r, T: r["where"] and r["same_values"] and str(r["moved"].dtype) == f"torch.{dtype}",
    )


@claims("devices.same-device-returns-self")
@given(vals=VALUES)
def test_same_device_returns_self(differential, vals):
    def program(T, device):
        t = T.tensor(vals)
        d = T.tensor(vals, device=device)
        return {
            "cpu": t.cpu() is t,
            "to_str": t.to("cpu") is t,
            "to_device": t.to(T.device("cpu")) is t,
            "own_device": d.to(d.device) is d,
            "own_name": d.to(device) is d,
        }

    differential(program, predicate=lambda r, T: all(r.values()))


@claims("devices.cpu-copies-from-cuda")
@given(vals=VALUES)
def test_cpu_copies_from_cuda(differential, vals):
    def program(T, device):
        x = T.tensor(vals, device=device)
        y = x.cpu()
        return {
            "x": x,
            "host_values": y.numpy(),
            "host_device": y.device.type,
            "copy_only_from_gpu": (y is x) == (x.device.type == "cpu"),
        }

    differential(
        program,
        predicate=lambda r, T: (
            r["host_device"] == "cpu"
            and r["copy_only_from_gpu"]
            and np.array_equal(r["host_values"], np.array(vals, dtype=np.float32))
        ),
    )


@claims("devices.device-objects")
def test_device_objects(differential):
    def program(T, device):
        cuda0 = T.device("cuda:0")
        cpu = T.device("cpu")
        return {
            "type": cuda0.type,
            "index": cuda0.index,
            "str": str(cuda0),
            "repr": repr(cuda0),
            "eq_pair": cuda0 == T.device("cuda", 0),
            "eq_no_index": cuda0 == T.device("cuda"),
            "cpu_index": cpu.index,
            "cpu_str": str(cpu),
            "cpu_type": cpu.type,
        }

    differential(
        program,
        predicate=lambda r, T: (
            r
            == {
                "type": "cuda",
                "index": 0,
                "str": "cuda:0",
                "repr": "device(type='cuda', index=0)",
                "eq_pair": True,
                "eq_no_index": False,
                "cpu_index": None,
                "cpu_str": "cpu",
                "cpu_type": "cpu",
            }
        ),
    )


@claims("devices.creation-device-argument")
@given(shape=SHAPES, as_object=st.booleans())
def test_creation_device_argument(differential, shape, as_object):
    def program(T, device):
        where = T.device(device) if as_object else device
        return [
            T.ones(list(shape), dtype=T.float64, device=where),
            T.zeros(shape, device=where),
            T.tensor([1, 2], device=where),
        ]

    differential(program, predicate=lambda r, T: r[0].dtype == T.float64 and bool((r[0] == 1).all().item()))


@claims("devices.cuda-tensor-printout")
def test_cuda_tensor_printout(differential):
    def program(T, device):
        t = T.ones([2, 4], dtype=T.float64, device=T.device(device))
        print(t)
        return str(t)

    suffix = (
        ", device='cuda:0', dtype=torch.float64)"
        if differential.oracle_device == "cuda"
        else ", dtype=torch.float64)"
    )
    expected = "tensor([[1., 1., 1., 1.],\n        [1., 1., 1., 1.]]" + suffix
    differential(program, predicate=lambda r, T: r == expected)


@claims("devices.str-device-for-autocast")
def test_autocast_rejects_device_object(differential):
    def program(T, device):
        with T.autocast(device_type=T.device(device), dtype=T.float16):
            return T.ones(2, device=device)

    differential(program)


@claims("devices.str-device-for-autocast", "devices.autocast-lower-precision-matmul")
@given(n=st.integers(1, 4), data=st.data())
def test_autocast_with_str_device(differential, n, data):
    a, b = data.draw(bounded_floats((n, 3))), data.draw(bounded_floats((3, n)))

    def program(T, device):
        device_type = str(T.device(device))
        x, y = T.tensor(a, device=device), T.tensor(b, device=device)
        with T.autocast(device_type=device_type, dtype=T.float16):
            product = x @ y
            total = x + x
        return {"device_type": device_type, "product": product, "total": total}

    differential(
        program,
        predicate=lambda r, T: (
            r["device_type"] in ("cpu", "cuda")
            and r["product"].dtype == T.float16
            and r["total"].dtype == T.float32
        ),
    )


@claims("devices.module-to-in-place")
@given(seed=st.integers(0, 2**16))
def test_module_to_in_place(differential, seed):
    def program(T, device):
        T.manual_seed(seed)
        model = T.nn.Linear(3, 2)
        weight = model.weight
        to_self = model.to(device) is model
        moved_self = (model.cuda() if device == "cuda" else model.cpu()) is model
        x = T.randn(4, 3).to(device)
        model.to(x.device)
        return {
            "to_self": to_self,
            "moved_self": moved_self,
            "identity": model.weight is weight,
            "out": model(x),
            "weight": model.weight,
        }

    differential(
        program, rtol=1e-5, predicate=lambda r, T: r["to_self"] and r["moved_self"] and r["identity"]
    )


def _add_host_copy(tensor_on_device):
    tensor_in_cpu = tensor_on_device.cpu()
    return tensor_on_device + tensor_in_cpu


def _numpy(tensor_on_device):
    return tensor_on_device.numpy()


@pytest.mark.parametrize("use", [
    pytest.param(_add_host_copy, marks=claims("devices.mixed-device-error"), id="mixed-devices"),
    pytest.param(_numpy, marks=claims("devices.numpy-needs-cpu"), id="numpy-on-device"),
])
@given(vals=VALUES)
def test_device_bound_use(differential, use, vals):
    """``use`` of a tensor on the run's device: refused on cuda (a host copy or NumPy needs the cpu)."""
    needs_same_device(differential)

    def program(T, device):
        return use(T.tensor(vals, device=device))

    differential(program)


@claims("devices.numpy-needs-cpu")
@given(shape=SHAPES, dtype=cst.dtypes(kinds=("int", "float")), data=st.data())
def test_cpu_then_numpy(differential, shape, dtype, data):
    vals = data.draw(cst.arrays(shape, dtype))

    def program(T, device):
        b = T.tensor(vals.tolist(), dtype=getattr(T, dtype), device=device).cpu().numpy()
        return {"type": type(b).__name__, "b": b}

    differential(program, predicate=lambda r, T: r["type"] == "ndarray" and np.array_equal(r["b"], vals))


@claims("devices.moved-tensor-is-tensor")
def test_moved_tensor_is_tensor(differential):
    def program(T, device):
        t = T.tensor([1, 2, 3])
        a = t.cuda() if device == "cuda" else t.to(device)
        return {"is_tensor": type(a) is T.Tensor, "is_ndarray": isinstance(a, np.ndarray), "a": a}

    differential(program, predicate=lambda r, T: r["is_tensor"] and not r["is_ndarray"])


@claims("devices.cuda-and-to-equivalent")
@given(vals=VALUES)
def test_cuda_and_to_equivalent(differential, vals):
    def program(T, device):
        t = T.tensor(vals)
        if device == "cuda":
            forms = [t.cuda(), t.to("cuda"), t.to(T.device("cuda:0"))]
        else:
            forms = [t.cpu(), t.to("cpu"), t.to(T.device("cpu"))]
        return {
            "forms": forms,
            "equal": all(T.equal(f, forms[0]) for f in forms),
            "one_device": len({str(f.device) for f in forms}) == 1,
        }

    differential(program, predicate=lambda r, T: r["equal"] and r["one_device"])


@claims("devices.detach-cpu-order")
@given(vals=VALUES)
def test_detach_cpu_order(differential, vals):
    def program(T, device):
        b = T.tensor(vals, device=device, requires_grad=True) * 2
        return [b.cpu().detach().numpy(), b.detach().cpu().numpy()]

    differential(program, predicate=lambda r, T: np.array_equal(r[0], r[1]))


@claims("devices.cpu-without-detach")
@given(vals=VALUES)
def test_cpu_without_detach(differential, vals):
    def program(T, device):
        x = T.tensor(vals, device=device, requires_grad=True)
        y = x.cpu()
        (y * 3).sum().backward()
        return {"y_requires_grad": y.requires_grad, "x": x}

    differential(
        program, predicate=lambda r, T: r["y_requires_grad"] and bool((r["x"].grad == 3).all().item())
    )


@claims("devices.device-index")
@given(seed=st.integers(0, 2**16))
def test_device_index(differential, seed):
    def program(T, device):
        T.manual_seed(seed)
        model = T.nn.Linear(2, 2).to(device)
        index = next(model.parameters()).device.index
        return {
            "expected_index": index == (None if device == "cpu" else 0),
            "weights": next(model.parameters()).cpu().detach().numpy(),
        }

    differential(program, predicate=lambda r, T: r["expected_index"])


@claims("devices.out-of-memory-error-type")
def test_out_of_memory_error_type(differential):
    def program(T, device):
        error = T.cuda.OutOfMemoryError
        return {"runtime_error": issubclass(error, RuntimeError), "name": error.__name__}

    differential(program, predicate=lambda r, T: r == {"runtime_error": True, "name": "OutOfMemoryError"})


@claims("devices.cuda-amp-autocast-deprecated")
@given(n=st.integers(1, 3), data=st.data())
def test_cuda_amp_autocast_deprecated(differential, n, data):
    needs_same_device(differential)
    a = data.draw(bounded_floats((n, n)))

    def program(T, device):
        x = T.tensor(a, device=device)
        with T.cuda.amp.autocast(enabled=True):
            return x @ x

    differential(program)


@claims("devices.grad-scaler")
@given(vals=VALUES)
def test_grad_scaler(differential, vals):
    def program(T, device):
        scaler = T.amp.GradScaler(device)
        p = T.nn.Parameter(T.tensor(vals, device=device))
        optimizer = T.optim.SGD([p], lr=0.1)
        loss = (p**2).sum()
        scaled = scaler.scale(loss)
        scaled.backward()
        scaled_grad = p.grad.clone()
        scaler.step(optimizer)
        scaler.update()
        return {
            "loss": loss,
            "scaled": scaled,
            "scaled_grad": scaled_grad,
            "p": p.detach(),
            "scale": scaler.get_scale(),
        }

    start = np.array(vals, dtype=np.float32)

    def holds(r, T):
        return (
            r["scale"] == 2.0**16
            and np.allclose(r["scaled"].item(), r["loss"].item() * 2**16, rtol=1e-6)
            and np.allclose(r["p"].numpy(), start - 0.1 * 2 * start, rtol=1e-5, atol=1e-6)
            and np.allclose(r["scaled_grad"].numpy(), 2 * start * 2**16, rtol=1e-6)
        )

    differential(program, rtol=1e-5, predicate=holds)


@claims("devices.device-count-matches-availability")
def test_device_count_matches_availability(differential):
    def program(T, device):
        count = T.cuda.device_count()
        name_is_str = (
            isinstance(T.cuda.get_device_name(T.cuda.current_device()), str) if device == "cuda" else True
        )
        return {
            "agrees": (count > 0) == T.cuda.is_available(),
            "count_type": type(count).__name__,
            "name_is_str": name_is_str,
        }

    differential(
        program, predicate=lambda r, T: r == {"agrees": True, "count_type": "int", "name_is_str": True}
    )


@claims("devices.gpu-results-match-cpu")
@given(n=st.integers(1, 4), data=st.data())
def test_gpu_results_match_cpu(differential, n, data):
    vals = data.draw(bounded_floats((n, n)))

    def program(T, device):
        x = T.tensor(vals)
        on_device = x.to(device)
        back = (on_device @ on_device.T + on_device.sum()).cpu()
        reference = x @ x.T + x.sum()
        return {"close": bool(T.allclose(back, reference, rtol=1e-5, atol=1e-5)), "values": back.numpy()}

    differential(program, rtol=1e-5, predicate=lambda r, T: r["close"])
