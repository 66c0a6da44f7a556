"""reftorch.save / reftorch.load against the installed torch: files cross both ways (torch loads what
reftorch writes with ``weights_only=True``, reftorch loads what torch writes, zip and legacy), bit-exact
across dtypes, shapes and layouts; shared storages; module and optimizer state dicts; the weights-only
allow-list; map_location; damaged files; atomic saves."""

from __future__ import annotations

import collections
import io
import os
import pickle
import zipfile

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import reftorch
from conformance import strategies as cst
from reftorch.serialization import _archive
from tests.helpers import DTYPE_NAMES, assert_same, check, key_words, shares_storage

LAYOUTS = ("contiguous", "transposed", "strided", "offset")


def _shaped(T, array: np.ndarray, layout: str):
    """The same tensor laid out one way on either library (a view of a bigger buffer, except contiguous)."""
    t = T.from_numpy(array.copy())
    if layout == "transposed" and t.dim() >= 2:
        return t.transpose(0, t.dim() - 1).contiguous().transpose(0, t.dim() - 1)
    if layout == "strided":
        return T.from_numpy(np.repeat(array, 2, axis=0) if array.ndim else array.copy())[::2] if array.ndim else t
    if layout == "offset":
        return T.cat([T.zeros(3, dtype=t.dtype), t.reshape(-1)])[3:].view(t.shape)
    return t


def _bits(t) -> bytes:
    """The tensor's element bytes in logical order (NaN payloads and signed zeros included)."""
    return np.ascontiguousarray(t.detach().numpy()).tobytes()


def _to_buffer(T, obj, **kwargs) -> io.BytesIO:
    buffer = io.BytesIO()
    T.save(obj, buffer, **kwargs)
    buffer.seek(0)
    return buffer


tensors = st.tuples(st.sampled_from(DTYPE_NAMES), cst.shapes(max_dims=3, max_side=4), st.sampled_from(LAYOUTS)) \
    .flatmap(lambda t: st.tuples(st.just(t[0]), st.just(t[2]), cst.arrays(t[1], t[0])))


# ----------------------------------------------------------------------------- both directions, bit-exact
@given(case=tensors, requires_grad=st.booleans())
def test_reftorch_file_loads_in_torch(case, requires_grad) -> None:
    dtype, layout, array = case
    grad = requires_grad and dtype.startswith(("float", "complex"))
    ours = _shaped(reftorch, array, layout).requires_grad_(grad)
    expected = _shaped(torch, array, layout).requires_grad_(grad)
    loaded = torch.load(_to_buffer(reftorch, {"t": ours}), weights_only=True)["t"]
    assert type(loaded) is torch.Tensor
    assert (loaded.stride(), loaded.storage_offset(), loaded.requires_grad) == \
        (expected.stride(), expected.storage_offset(), expected.requires_grad)
    assert loaded.dtype == expected.dtype and loaded.shape == expected.shape
    assert _bits(loaded) == _bits(expected)


@given(case=tensors, requires_grad=st.booleans())
def test_torch_file_loads_in_reftorch(case, requires_grad) -> None:
    dtype, layout, array = case
    grad = requires_grad and dtype.startswith(("float", "complex"))
    theirs = _shaped(torch, array, layout).requires_grad_(grad)
    loaded = reftorch.load(_to_buffer(torch, {"t": theirs}))["t"]
    assert_same(loaded, theirs.detach().requires_grad_(grad), layout=True)
    assert _bits(loaded) == _bits(theirs)


@given(case=tensors)
def test_reftorch_round_trip_is_bit_exact(case) -> None:
    dtype, layout, array = case
    original = _shaped(reftorch, array, layout)
    loaded = reftorch.load(_to_buffer(reftorch, original))
    assert_same(loaded, _shaped(torch, array, layout), layout=True)
    assert _bits(loaded) == _bits(original)


def test_every_dtype_in_one_file_both_ways() -> None:
    arrays = {name: cst_array(name) for name in DTYPE_NAMES}
    from_torch = reftorch.load(_to_buffer(torch, {n: torch.from_numpy(a) for n, a in arrays.items()}))
    from_ours = torch.load(_to_buffer(reftorch, {n: reftorch.from_numpy(a) for n, a in arrays.items()}))
    for name, array in arrays.items():
        assert_same(from_torch[name], torch.from_numpy(array))
        assert from_ours[name].dtype == getattr(torch, name) and _bits(from_ours[name]) == array.tobytes()


def cst_array(name: str) -> np.ndarray:
    values = np.array([0, 1, -2, 3, 127, -128, 5, 6], dtype=np.float64)
    if name == "bool":
        return values.astype(bool)
    if name.startswith("complex"):
        return (values + 1j * values[::-1]).astype(name)
    if name.startswith("float"):
        return np.concatenate([values[:5], [np.nan, -0.0, np.inf]]).astype(name)
    return values.astype(name)


# ----------------------------------------------------------------------------- storages, parameters, containers
def _shared(T):
    base = T.arange(12.0)
    return {"base": base, "tail": base[4:], "grid": base.view(3, 4).t(), "own": T.ones(2)}


@pytest.mark.parametrize("writer", ["reftorch", "torch"])
@pytest.mark.parametrize("reader", ["reftorch", "torch"])
def test_shared_storage_is_written_once_and_restored_as_views(writer, reader) -> None:
    W, R = (reftorch if writer == "reftorch" else torch), (reftorch if reader == "reftorch" else torch)
    buffer = _to_buffer(W, _shared(W))
    names = zipfile.ZipFile(buffer).namelist()
    assert sorted(n.split("/", 1)[1] for n in names if "/data/" in n) == ["data/0", "data/1"]
    buffer.seek(0)
    loaded = R.load(buffer)
    assert shares_storage(loaded["base"], loaded["tail"]) and shares_storage(loaded["base"], loaded["grid"])
    assert not shares_storage(loaded["base"], loaded["own"])

    def layout(tree):
        return {k: (v.tolist(), v.stride(), v.storage_offset()) for k, v in tree.items()}

    assert layout(loaded) == layout(_shared(torch))


def test_parameters_and_containers_cross_both_ways() -> None:
    def make(T):
        return {"p": T.nn.Parameter(T.arange(3.0)), "frozen": T.nn.Parameter(T.ones(2), requires_grad=False),
                "nested": [1, "a", (2, 3.5), None, {"k": T.float16}], "size": T.Size([2, 3]),
                "device": T.device("cpu"), "bytes": b"\x00\xff", "set": {1, 2}, "complex": 1 + 2j,
                "ordered": collections.OrderedDict([("b", T.zeros(1, dtype=T.int64)), ("a", T.tensor(True))])}

    ours = reftorch.load(_to_buffer(torch, make(torch)))
    theirs = torch.load(_to_buffer(reftorch, make(reftorch)), weights_only=True)
    assert_same(ours, make(torch))
    assert type(ours["p"]) is reftorch.nn.Parameter and type(theirs["p"]) is torch.nn.Parameter
    assert list(ours["ordered"]) == ["b", "a"] and type(ours["ordered"]) is collections.OrderedDict
    for key in ("nested", "size", "device", "bytes", "set", "complex"):
        assert repr(theirs[key]) == repr(make(torch)[key])
    assert theirs["frozen"].requires_grad is False and theirs["p"].requires_grad is True


def test_parameter_attributes_round_trip() -> None:
    def program(T):
        p = T.nn.Parameter(T.ones(2))
        p.tag = "embedding"
        loaded = T.load(_to_buffer(T, p))
        return type(loaded).__name__, loaded.tag, loaded

    check(program)
    p = reftorch.nn.Parameter(reftorch.ones(2))
    p.tag = "x"
    assert torch.load(_to_buffer(reftorch, p)).tag == "x"


# ----------------------------------------------------------------------------- state dicts
def _net(T, seed: int):
    T.manual_seed(seed)
    return T.nn.Sequential(T.nn.Linear(3, 4), T.nn.BatchNorm1d(4), T.nn.ReLU(), T.nn.Linear(4, 2))


def _trained(T, seed: int):
    model = _net(T, seed)
    optimizer = T.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(2):
        optimizer.zero_grad()
        model(T.arange(6.0).reshape(2, 3)).pow(2).sum().backward()
        optimizer.step()
    return model, optimizer


def _plain(tree):
    """A state dict as plain values: tensors as (dtype name, shape, element bytes)."""
    if isinstance(tree, dict):
        return {k: _plain(v) for k, v in tree.items()}
    if isinstance(tree, list | tuple):
        return [_plain(v) for v in tree]
    if hasattr(tree, "dtype") and hasattr(tree, "shape"):
        return (str(tree.dtype), tuple(tree.shape), _bits(tree))
    return tree


@pytest.mark.parametrize("writer", ["reftorch", "torch"])
def test_module_and_optimizer_state_dicts_cross_load(writer) -> None:
    W, R = (reftorch, torch) if writer == "reftorch" else (torch, reftorch)
    model, optimizer = _trained(W, 0)
    saved = {"model": model.state_dict(), "optim": optimizer.state_dict(), "epoch": 3}
    checkpoint = R.load(_to_buffer(W, saved))
    assert type(checkpoint["model"]) is collections.OrderedDict
    assert _plain(checkpoint) == _plain(saved)
    fresh = _net(R, 1)
    fresh.load_state_dict(checkpoint["model"])
    fresh_optimizer = R.optim.Adam(fresh.parameters(), lr=0.5)
    fresh_optimizer.load_state_dict(checkpoint["optim"])
    assert _plain(fresh.state_dict()) == _plain(model.state_dict())
    assert _plain(fresh_optimizer.state_dict()) == _plain(optimizer.state_dict())


# ----------------------------------------------------------------------------- whole models and the allow-list
def test_whole_model_needs_weights_only_false_or_an_allow_list() -> None:
    model = reftorch.nn.Linear(2, 3)
    buffer = _to_buffer(reftorch, model)
    with pytest.raises(pickle.UnpicklingError, match="reftorch.nn.modules.linear.Linear was not an allowed global"):
        reftorch.load(buffer)
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        torch.load(_to_buffer(reftorch, model))
    loaded = reftorch.load(_to_buffer(reftorch, model), weights_only=False)
    assert type(loaded) is reftorch.nn.Linear and reftorch.equal(loaded.weight, model.weight)
    with reftorch.serialization.safe_globals([reftorch.nn.Linear]):
        assert reftorch.serialization.get_safe_globals() == [reftorch.nn.Linear]
        assert reftorch.equal(reftorch.load(_to_buffer(reftorch, model)).bias, model.bias)
    assert reftorch.serialization.get_safe_globals() == []
    reftorch.serialization.add_safe_globals([reftorch.nn.Linear])
    try:
        assert type(reftorch.load(_to_buffer(reftorch, model))) is reftorch.nn.Linear
    finally:
        reftorch.serialization.clear_safe_globals()
    assert reftorch.serialization.get_safe_globals() == []


def test_torch_whole_model_loads_as_reftorch_module() -> None:
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU())
    raw = _to_buffer(torch, model).getvalue()
    with pytest.raises(pickle.UnpicklingError, match="torch.nn.modules.container.Sequential was not an allowed"):
        reftorch.load(io.BytesIO(raw))
    loaded = reftorch.load(io.BytesIO(raw), weights_only=False)
    assert type(loaded) is reftorch.nn.Sequential and type(loaded[0]) is reftorch.nn.Linear
    assert_same(loaded(reftorch.ones(1, 2)), model(torch.ones(1, 2)))
    with reftorch.serialization.safe_globals([reftorch.nn.Sequential, reftorch.nn.Linear, reftorch.nn.ReLU]):
        again = reftorch.load(io.BytesIO(raw))
    assert type(again[1]) is reftorch.nn.ReLU
    assert_same(again[0].weight, model[0].weight)


class _Payload:
    def __init__(self, command: str):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


class _Sneaky:
    def __reduce__(self):
        return (eval, ("1 + 1",))


@pytest.mark.parametrize("payload", ["system", "eval"])
def test_hostile_pickle_is_refused(tmp_path, payload) -> None:
    marker = tmp_path / "pwned"
    obj = {"x": _Payload(f"touch {marker}") if payload == "system" else _Sneaky()}
    buffer = _to_buffer(torch, obj)
    with pytest.raises(pickle.UnpicklingError) as theirs:
        torch.load(io.BytesIO(buffer.getvalue()))
    with pytest.raises(pickle.UnpicklingError) as ours:
        reftorch.load(buffer)
    assert not marker.exists()
    words = key_words(str(theirs.value).splitlines()[-3] if payload == "system" else str(theirs.value))
    assert all(w in str(ours.value) for w in words[:12])
    assert ("posix.system" if payload == "system" else "GLOBAL eval was not an allowed global") in str(ours.value)


# ----------------------------------------------------------------------------- map_location
def _cuda_file() -> bytes:
    """A checkpoint as torch writes one from CUDA tensors (this torch is CPU-only, so by hand): the
    storage's location is ``cuda:0``."""
    t = torch.arange(4.0)

    class CudaPickler(pickle.Pickler):
        def persistent_id(self, obj):
            if isinstance(obj, torch.storage.TypedStorage):
                return ("storage", torch.FloatStorage, "0", "cuda:0", obj._size())
            return None

    data = io.BytesIO()
    CudaPickler(data, protocol=2).dump({"t": t})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, record in (("data.pkl", data.getvalue()), ("byteorder", b"little"),
                             ("data/0", t.numpy().tobytes()), ("version", b"3\n")):
            archive.writestr(f"archive/{name}", record)
    return out.getvalue()


@pytest.mark.parametrize("map_location", [None, "cpu", "device", {"cuda:0": "cpu"}, "callable", "cuda:0"])
def test_cuda_file_on_a_cpu_machine(map_location) -> None:
    raw = _cuda_file()

    def program(T):
        where = {"device": T.device("cpu"), "callable": lambda storage, location: storage}.get(
            map_location if isinstance(map_location, str) else "", map_location)
        return T.load(io.BytesIO(raw), map_location=where)

    check(program)


@pytest.mark.parametrize("map_location", [3, "cpu:0", "meta:0"])
def test_bad_map_location(map_location) -> None:
    check(lambda T: T.load(_to_buffer(T, T.ones(2)), map_location=map_location))


def test_cuda_available_check_is_what_restores_cuda_storages(monkeypatch) -> None:
    from reftorch.serialization import _location

    assert _location.cuda_available() is False
    monkeypatch.setattr(_location, "cuda_available", lambda: True)
    with pytest.raises(RuntimeError, match="no backend for it"):
        reftorch.load(io.BytesIO(_cuda_file()))


# ----------------------------------------------------------------------------- damaged files
def _records(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(records: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in records.items():
            archive.writestr(name, data)
    return out.getvalue()


def _damaged(kind: str, T) -> bytes:
    raw = _to_buffer(T, {"a": T.arange(6.0)}).getvalue()
    records = _records(raw)
    key = next(n for n in records if n.endswith("/data/0"))
    if kind == "truncated":
        return raw[: len(raw) // 2]
    if kind == "missing record":
        return _zip({n: d for n, d in records.items() if n != key})
    if kind == "short record":
        return _zip({**records, key: records[key][:8]})
    return b"this is not a checkpoint at all"


@pytest.mark.parametrize("writer", ["reftorch", "torch"])
@pytest.mark.parametrize("kind", ["truncated", "missing record", "short record"])
def test_damaged_archives_raise_torch_errors(writer, kind) -> None:
    raw = _damaged(kind, reftorch if writer == "reftorch" else torch)
    check(lambda T: T.load(io.BytesIO(raw)))


def test_storage_smaller_than_its_tensor() -> None:
    shrunk = torch.arange(6.0)
    shrunk.untyped_storage().resize_(8)
    raw = _to_buffer(torch, shrunk).getvalue()
    check(lambda T: T.load(io.BytesIO(raw)))


def test_corrupted_record_is_refused() -> None:
    """Stricter than torch, which does not check the records' CRC: a flipped byte is an error."""
    raw = bytearray(_to_buffer(reftorch, {"a": reftorch.arange(6.0)}).getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(raw))).getinfo("archive/data/0")
    start = info.header_offset + 30 + int.from_bytes(raw[info.header_offset + 26:info.header_offset + 28], "little") \
        + int.from_bytes(raw[info.header_offset + 28:info.header_offset + 30], "little")
    assert start % _archive.ALIGNMENT == 0  # torch's alignment of storage records
    raw[start] ^= 0xFF
    with pytest.raises(RuntimeError, match="PytorchStreamReader failed reading file data/0"):
        reftorch.load(io.BytesIO(bytes(raw)))


def test_not_a_checkpoint_and_directories(tmp_path) -> None:
    raw = _damaged("garbage", torch)
    check(lambda T: T.load(io.BytesIO(raw), weights_only=False))
    with pytest.raises(pickle.UnpicklingError):
        reftorch.load(io.BytesIO(raw))
    check(lambda T: T.load(str(tmp_path)))
    check(lambda T: T.load(str(tmp_path / "missing.pt")))
    check(lambda T: T.load(3))
    check(lambda T: T.save(T.ones(1), 3))
    check(lambda T: T.save(T.ones(1), str(tmp_path / "no" / "such.pt")))
    check(lambda T: T.load(_to_buffer(T, T.ones(1)), pickle_module=pickle))


# ----------------------------------------------------------------------------- saving
def test_failed_save_keeps_the_previous_checkpoint(tmp_path, monkeypatch) -> None:
    path = tmp_path / "model.pt"
    reftorch.save({"version": reftorch.ones(3)}, path)

    def crash(self, name, data):
        if name.startswith("data/"):
            raise OSError("disk full")
        return original(self, name, data)

    original = _archive.ArchiveWriter.write_record
    monkeypatch.setattr(_archive.ArchiveWriter, "write_record", crash)
    with pytest.raises(OSError, match="disk full"):
        reftorch.save({"version": reftorch.zeros(3)}, path)
    assert os.listdir(tmp_path) == ["model.pt"]
    assert_same(reftorch.load(path), {"version": torch.ones(3)})
    assert torch.load(path)["version"].tolist() == [1.0, 1.0, 1.0]


def test_saves_to_paths_and_file_objects_as_torch_names_them(tmp_path) -> None:
    path = tmp_path / "weights.pth"
    reftorch.save(reftorch.ones(2), path)
    torch.save(torch.ones(2), tmp_path / "theirs.pth")
    assert sorted(_records(path.read_bytes())) == \
        sorted(n.replace("theirs/", "weights/") for n in _records((tmp_path / "theirs.pth").read_bytes()))
    assert_same(reftorch.load(str(path)), torch.load(path))
    link = tmp_path / "latest.pth"
    link.symlink_to(path)
    reftorch.save({"via": reftorch.zeros(1)}, link)  # written through the link, as torch writes
    assert link.is_symlink() and list(torch.load(path)) == ["via"]
    with open(path, "wb") as f:
        reftorch.save({"x": reftorch.arange(3)}, f)
    assert_same(reftorch.load(path), {"x": torch.arange(3)})
    assert torch.load(path)["x"].tolist() == [0, 1, 2]


def test_legacy_format_loads() -> None:
    shared = _shared(torch)
    raw = io.BytesIO()
    torch.save(shared, raw, _use_new_zipfile_serialization=False)
    loaded = reftorch.load(io.BytesIO(raw.getvalue()))
    assert_same(loaded, shared, layout=True)
    assert shares_storage(loaded["base"], loaded["grid"])
    with pytest.raises(NotImplementedError, match="_use_new_zipfile_serialization"):
        reftorch.save(reftorch.ones(1), io.BytesIO(), _use_new_zipfile_serialization=False)


@pytest.mark.parametrize("kwargs", [{"encoding": "latin1"}, {"fix_imports": False}])
def test_pickle_load_args_with_weights_only(kwargs) -> None:
    check(lambda T: T.load(_to_buffer(T, T.ones(2)), **kwargs))


def test_safe_globals_block_removes_its_entries_as_torch() -> None:
    class Custom:
        pass

    for serialization in (torch.serialization, reftorch.serialization):
        serialization.add_safe_globals([Custom, (Custom, "elsewhere.Custom")])
        with serialization.safe_globals([Custom]):
            assert Custom in serialization.get_safe_globals()
        assert Custom not in serialization.get_safe_globals()
        assert (Custom, "elsewhere.Custom") in serialization.get_safe_globals()
        serialization.clear_safe_globals()
    assert reftorch.serialization.get_safe_globals() == []


def test_torch_loads_a_reftorch_whole_model_with_weights_only_false() -> None:
    model = reftorch.nn.Linear(2, 3)
    loaded = torch.load(_to_buffer(reftorch, model), weights_only=False)
    # the module class is reftorch's; its tensors are pickled under torch's names, so torch makes them its own
    assert type(loaded) is reftorch.nn.Linear and type(loaded.weight) is torch.nn.Parameter
    assert loaded.weight.tolist() == model.weight.tolist()


def test_bfloat16_files_are_refused_by_name() -> None:
    with pytest.raises(NotImplementedError, match="bfloat16"):
        reftorch.load(_to_buffer(torch, torch.ones(2, dtype=torch.bfloat16)))


def test_saving_to_a_stream_that_cannot_seek() -> None:
    class Stream:
        def __init__(self):
            self.chunks = []

        def write(self, data):
            self.chunks.append(bytes(data))
            return len(data)

        def flush(self):
            pass

    stream = Stream()
    reftorch.save({"x": reftorch.arange(5)}, stream)
    assert torch.load(io.BytesIO(b"".join(stream.chunks)))["x"].tolist() == [0, 1, 2, 3, 4]


def test_mmap_is_not_implemented() -> None:
    with pytest.raises(NotImplementedError, match="mmap"):
        reftorch.load(_to_buffer(reftorch, reftorch.ones(1)), mmap=True)


@pytest.mark.parametrize("existing_mode", [None, 0o600, 0o644])
def test_saved_file_mode_is_torchs(tmp_path, existing_mode):
    """A new checkpoint gets the mode ``open()`` gives a new file (0o666 less the umask) and an overwritten
    one keeps its mode, as torch.save's files do, although reftorch writes a temporary file and renames it."""
    modes = []
    for T in (torch, reftorch):
        path = tmp_path / f"{T.__name__}.pt"
        if existing_mode is not None:
            path.write_bytes(b"old")
            os.chmod(path, existing_mode)
        T.save({"w": T.ones(2)}, str(path))
        modes.append(os.stat(path).st_mode & 0o7777)
    assert modes[1] == modes[0]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
