"""The CPU-dependent kernels of reftorch._random: which one torch runs where, and each one's bits.

Oracles: torch itself, in-process and in subprocesses run with ``ATEN_CPU_CAPABILITY`` set (the
DEFAULT kernels are provable on any x86 machine that way), and tests/fixtures/mkl_bernoulli.npz,
made by tests/fixtures/make_mkl_bernoulli.py from MKL 2024.2 run under valgrind's Intel CPUID and
from the installed torch run there too. No expected value comes from reftorch.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch
from random_oracle import PATHS, kernel_path

from reftorch import _random as R
from reftorch._random import cpu, mkl

FIXTURE = Path(__file__).parent / "fixtures" / "mkl_bernoulli.npz"
X86 = cpu.is_x86_64()

# --------------------------------------------------------------------------- torch in a subprocess
ORACLE = r"""
import json, sys, warnings
import numpy as np, torch
cases = json.loads(sys.argv[1])
out = {"capability": np.array(torch.backends.cpu.get_cpu_capability())}
dtypes = {"float32": torch.float32, "float64": torch.float64, "float16": torch.float16,
          "complex64": torch.complex64, "complex128": torch.complex128}
for i, (op, dtype, n, seed, a, b) in enumerate(cases):
    dt = dtypes[dtype]
    g = torch.Generator().manual_seed(seed)
    if op == "randn":
        t = torch.randn(n, dtype=dt, generator=g)
    elif op == "rand":
        t = torch.rand(n, dtype=dt, generator=g)
    elif op == "normal":
        t = torch.empty(n, dtype=dt).normal_(a, b, generator=g)
    elif op == "normal_nc":
        t = torch.empty(2 * n, dtype=dt)[::2].normal_(a, b, generator=g).contiguous()
    elif op == "uniform":
        t = torch.empty(n, dtype=dt).uniform_(a, b, generator=g)
    elif op == "bernoulli":
        t = torch.empty(n, dtype=dt).bernoulli_(a, generator=g)
    elif op == "program":  # interleaved calls: the cached normal and the state must stay in step
        parts = [torch.randn(n, generator=g), torch.randn(3, dtype=torch.float64, generator=g),
                 torch.empty(17).uniform_(a, b, generator=g), torch.randn(n + 1, dtype=torch.float16, generator=g),
                 torch.empty(5, dtype=torch.float64).normal_(a, b, generator=g)]
        t = torch.cat([p.double() for p in parts])
    out[f"v{i}"] = torch.view_as_real(t).numpy() if t.is_complex() else t.numpy()
    out[f"follow{i}"] = torch.randn(3, dtype=torch.float64, generator=g).numpy()
    out[f"state{i}"] = g.get_state().numpy()
np.savez(sys.argv[2], **out)
"""

SEEDS = [0, 1, 42, 2**32 + 7, 2**63 + 5, 2**64 - 1]
SIZES = [1, 2, 5, 15, 16, 17, 31, 48, 100, 1000]
CASES: list[tuple[str, str, int, int, float, float]] = []
for _seed in SEEDS:
    for _dtype in ("float32", "float16", "float64", "complex64", "complex128"):
        for _n in SIZES:
            CASES.append(("randn", _dtype, _n, _seed, 0.0, 1.0))
            CASES.append(("normal", _dtype, _n, _seed, 0.3, 1.7))
            if _dtype[0] == "f":
                CASES.append(("normal_nc", _dtype, _n, _seed, -2.5, 0.01))
                CASES.append(("uniform", _dtype, _n, _seed, -3.7, 2.1))
                CASES.append(("uniform", _dtype, _n, _seed, 0.3, 0.9))
    CASES.append(("program", "float32", 16 + _seed % 7, _seed, 0.5, 2.0))
    CASES.append(("bernoulli", "float32", 801, _seed, 0.3, 0.0))
for _dtype in ("float32", "float16", "float64"):
    CASES.append(("randn", _dtype, 20003, 2024, 0.0, 1.0))
    CASES.append(("normal", _dtype, 4099, 7, 1e3, 1e-3))
    CASES.append(("uniform", _dtype, 4099, 7, -1000.0, 0.001))


def run_torch(env_capability: str | None, code: str = ORACLE, cases: list | None = None,
              tmp_path: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "ATEN_CPU_CAPABILITY"}
    if env_capability is not None:
        env["ATEN_CPU_CAPABILITY"] = env_capability
    args = [sys.executable, "-c", code]
    if cases is not None and tmp_path is not None:
        args += [json.dumps(cases), str(tmp_path)]
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module", params=["default", "avx2", "avx512"])
def oracle(request, tmp_path_factory):
    """torch's values for CASES with ATEN_CPU_CAPABILITY set, and the capability torch reported."""
    if not X86:
        pytest.skip("ATEN_CPU_CAPABILITY values avx2/avx512 exist on x86 builds only")
    if request.param == "avx2" and not {"avx2", "fma"} <= cpu.cpu_flags():
        pytest.skip("this CPU cannot run torch's AVX2 kernels")
    path = tmp_path_factory.mktemp("oracle") / f"{request.param}.npz"
    done = run_torch(request.param, cases=CASES, tmp_path=path)
    if done.returncode < 0 and request.param == "avx512":
        pytest.skip(f"torch's AVX512 kernels do not run on this CPU (signal {-done.returncode})")
    assert done.returncode == 0, done.stderr[-3000:]
    with np.load(path) as data:
        return {key: data[key] for key in data.files}


def ours(case: tuple[str, str, int, int, float, float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    op, dtype, n, seed, a, b = case
    g = R.Generator().manual_seed(seed)
    if op == "randn":
        v = R.normal((n,), dtype, g)
    elif op == "rand":
        v = R.uniform((n,), dtype, g)
    elif op == "normal":
        v = R.normal((n,), dtype, g, a, b)
    elif op == "normal_nc":
        v = R.normal((n,), dtype, g, a, b, contiguous=False)
    elif op == "uniform":
        v = R.uniform((n,), dtype, g, a, b)
    elif op == "bernoulli":
        v = R.bernoulli(a, (n,), dtype, g)
    else:
        parts = [R.normal((n,), np.float32, g), R.normal((3,), np.float64, g), R.uniform((17,), np.float32, g, a, b),
                 R.normal((n + 1,), np.float16, g), R.normal((5,), np.float64, g, a, b)]
        v = np.concatenate([p.astype(np.float64) for p in parts])
    if v.dtype.kind == "c":
        v = v.view(v.real.dtype).reshape(v.shape + (2,))
    return v, R.normal((3,), np.float64, g), g.get_state()


@pytest.mark.parametrize("path", PATHS)
def test_each_capability_kernel_matches_torch_bit_for_bit(oracle, path):
    """randn/normal_/uniform_ (every dtype, size, contiguity) under the capability torch ran with, on
    the compiled kernels and on the NumPy ones."""
    torch_capability = str(oracle["capability"])
    assert torch_capability in cpu.CAPABILITIES
    mismatched = []
    with cpu.overridden(capability=torch_capability), kernel_path(path):
        for i, case in enumerate(CASES):
            values, follow, state = ours(case)
            want = oracle[f"v{i}"]
            if (values.dtype, values.shape, values.tobytes()) != (want.dtype, want.shape, want.tobytes()):
                mismatched.append(("values", case))
            elif follow.tobytes() != oracle[f"follow{i}"].tobytes() or state.tobytes() != oracle[f"state{i}"].tobytes():
                mismatched.append(("cache/state", case))
    assert not mismatched, f"{len(mismatched)} of {len(CASES)} differ, e.g. {mismatched[:5]}"


def test_default_kernel_is_really_different(oracle):
    """The two kernels differ (so the test above tells them apart): AVX2 values fail under DEFAULT."""
    if str(oracle["capability"]) != "DEFAULT":
        pytest.skip("checked on the DEFAULT oracle")
    differing = set()
    with cpu.overridden(capability="AVX2"):
        for i, case in enumerate(CASES):
            if ours(case)[0].tobytes() != oracle[f"v{i}"].tobytes():
                differing.add((case[0], case[1]))
    # float32/float16 normal_fill, float64 per-element normal and every uniform_(from, to) change.
    assert {("randn", "float32"), ("normal", "float32"), ("randn", "float16"), ("uniform", "float32"),
            ("uniform", "float64"), ("normal_nc", "float64")} <= differing
    assert ("randn", "float64") not in differing  # normal_fill<double> is the same code everywhere


# ------------------------------------------------------------------------------ capability rules
def test_capability_agrees_with_torch_in_process():
    if X86:
        assert cpu.capability() == torch.backends.cpu.get_cpu_capability()
    assert cpu.avx2_normal_kernel() == (torch.backends.cpu.get_cpu_capability() in ("AVX2", "AVX512"))


@pytest.mark.skipif(not X86, reason="x86 capability names")
@pytest.mark.parametrize("value", ["AVX2", ""])
def test_invalid_env_value_warns_and_falls_back_like_torch(value):
    code = ("import warnings, torch\nwith warnings.catch_warnings(record=True) as w:\n"
            "    warnings.simplefilter('always')\n    cap = torch.backends.cpu.get_cpu_capability()\n"
            "print(cap)\nprint(any('ignoring invalid value for ATEN_CPU_CAPABILITY: ' in str(x.message) for x in w))")
    done = run_torch(value, code)
    assert done.returncode == 0, done.stderr
    torch_capability, torch_warned = done.stdout.split()
    with pytest.warns(UserWarning, match=f"ignoring invalid value for ATEN_CPU_CAPABILITY: {value}$"):
        assert cpu.capability_from(value, cpu.cpu_flags()) == torch_capability
    assert torch_warned == "True"


@pytest.mark.parametrize(("flags", "expected"), [
    (set(), "DEFAULT"), ({"avx", "sse4_2"}, "DEFAULT"), ({"avx2"}, "DEFAULT"), ({"avx2", "fma"}, "AVX2"),
    ({"avx2", "fma", "avx512f", "avx512vl", "avx512bw"}, "AVX2"),
    ({"avx2", "fma", "avx512f", "avx512vl", "avx512bw", "avx512dq"}, "AVX512"),
    ({"fma", "avx512vl", "avx512bw", "avx512dq"}, "AVX512"),
])
def test_detection_from_flags(flags, expected):
    assert cpu.detect_capability(set(flags)) == expected
    assert cpu.detect_capability(set(flags), x86_64=False) == "DEFAULT"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cpu.capability_from(None, set(flags)) == expected
        assert cpu.capability_from("default", set(flags)) == "DEFAULT"
        assert cpu.capability_from("avx512", set(flags)) == "AVX512"  # believed without asking the CPU
        assert cpu.capability_from("default", set(flags), x86_64=False) == "DEFAULT"
    with pytest.warns(UserWarning, match="ignoring invalid value for ATEN_CPU_CAPABILITY: avx2"):
        assert cpu.capability_from("avx2", set(flags), x86_64=False) == "DEFAULT"  # not an Arm value


@pytest.mark.skipif(not X86, reason="x86 capability names")
def test_env_variable_is_read_like_dispatchstub(monkeypatch):
    monkeypatch.setenv("ATEN_CPU_CAPABILITY", "default")
    cpu.clear_cache()
    try:
        assert cpu.capability() == "DEFAULT"
        assert not cpu.avx2_normal_kernel()
        assert not cpu.fused_multiply_add()
        monkeypatch.setenv("ATEN_CPU_CAPABILITY", "avx2")
        assert cpu.capability() == "DEFAULT"  # computed once, like get_cpu_capability()
    finally:
        monkeypatch.undo()
        cpu.clear_cache()
    assert cpu.capability() == torch.backends.cpu.get_cpu_capability()


def test_overrides_stack_and_restore():
    before = (cpu.capability(), cpu.vendor(), cpu.fused_multiply_add())
    with cpu.overridden(capability="DEFAULT", vendor="intel"):
        assert (cpu.capability(), cpu.vendor(), cpu.fused_multiply_add()) == ("DEFAULT", "intel", False)
        with cpu.overridden(capability="AVX512"):
            assert cpu.avx2_normal_kernel() and cpu.fused_multiply_add()  # normal_stub has no AVX512 kernel
        with cpu.overridden(flags={"avx2", "fma"}):
            assert cpu.capability() == "DEFAULT"  # the explicit capability still wins
        assert cpu.capability() == "DEFAULT"
    assert (cpu.capability(), cpu.vendor(), cpu.fused_multiply_add()) == before
    if "ATEN_CPU_CAPABILITY" not in os.environ:
        with cpu.overridden(flags={"sse4_2"}, machine="x86_64"):
            assert cpu.capability() == "DEFAULT" and not cpu.avx2_normal_kernel()
        with cpu.overridden(flags={"avx2", "fma"}, machine="x86_64"):
            assert cpu.capability() == "AVX2" and cpu.fused_multiply_add()
    with cpu.overridden(machine="aarch64"):
        assert not cpu.is_x86_64() and cpu.capability() == "DEFAULT" and not cpu.mkl_enabled()
        assert cpu.fused_multiply_add()
    with pytest.raises(TypeError), cpu.overridden(colour="blue"):
        pass
    with pytest.raises(ValueError, match="capability"), cpu.overridden(capability="avx2"):
        pass


@pytest.mark.parametrize(("text", "expected"), [
    ("GenuineIntel", "intel"), ("AuthenticAMD", "amd"), ("HygonGenuine", "hygon"), ("  Shanghai  ", "zhaoxin"),
    ("CentaurHauls", "via"), ("KVMKVMKVM", "unknown"),
])
def test_vendor_strings(text, expected):
    assert cpu.parse_vendor(text) == expected


def test_vendor_and_mkl_of_this_machine():
    assert cpu.mkl_enabled() == torch.backends.mkl.is_available()
    if Path("/proc/cpuinfo").exists() and X86:
        line = next(x for x in Path("/proc/cpuinfo").read_text().splitlines() if x.startswith("vendor_id"))
        assert cpu.vendor() == cpu.parse_vendor(line.split(":", 1)[1].strip())


# --------------------------------------------------------------------------------- MKL Bernoulli
@pytest.fixture(scope="module")
def fixture():
    with np.load(FIXTURE) as data:
        return {key: data[key] for key in data.files}


def fixture_cases(fx: dict, variant: str):
    bits = np.unpackbits(fx[f"bits_{variant}"])
    offset = 0
    for i, n in enumerate(fx["n"].tolist()):
        yield i, bits[offset:offset + n].astype(np.int32)
        offset += n


def test_fixture_came_from_intel_cpuid_and_mkl_2024_2(fixture):
    assert str(fixture["vendor_avx2"]) == str(fixture["vendor_sse"]) == "GenuineIntel"
    assert "2024.2" in str(fixture["mkl_version"])
    assert len(fixture["n"]) > 1000 and fixture["n"].sum() > 800_000


def test_mirrored_torch_has_no_mkl_bernoulli_path(fixture):
    """torch 2.13 under valgrind sees GenuineIntel yet bernoulli_ consumes 2 MT words per element."""
    assert str(fixture["torch_valgrind_vendor"]) == "GenuineIntel"
    g = torch.Generator().manual_seed(3)
    torch.randint(0, 10, (4000,), generator=g)  # 4000 single-word draws
    state = g.get_state().numpy()
    mt_path = (int(state[8:12].view(np.int32)[0]), int(state[16:24].view(np.uint64)[0]))
    assert (int(fixture["torch_valgrind_left"]), int(fixture["torch_valgrind_next"])) == mt_path
    expected = torch.empty(2000).bernoulli_(0.3, generator=torch.Generator().manual_seed(3))
    assert (fixture["torch_valgrind_values"] == expected.numpy().astype(np.uint8)).all()
    if str(fixture["torch_version"]) == torch.__version__:
        assert not cpu.TORCH_HAS_MKL_BERNOULLI
    assert not cpu.bernoulli_uses_mkl()
    with cpu.overridden(vendor="intel", mkl=True):
        assert not cpu.bernoulli_uses_mkl()  # the vendor alone changes nothing in torch 2.13


def test_mkl_path_selection_rule():
    for vendor, mkl_build, expected in (("intel", True, True), ("amd", True, False), ("intel", False, False),
                                        ("hygon", True, False)):
        with cpu.overridden(torch_has_mkl_bernoulli=True, vendor=vendor, mkl=mkl_build):
            assert cpu.bernoulli_uses_mkl() is expected


def test_mcg31_states_match_mkl(fixture):
    for variant in ("avx2", "sse"):
        states = fixture[f"states_{variant}"]
        for i, seed in enumerate(fixture["raw_seeds"].tolist()):
            for j, skip in enumerate(fixture["state_skips"].tolist()):
                x0 = mkl.mcg31_skip(mkl.mcg31_seed(seed), skip)
                assert mkl.mcg31_states(x0, states.shape[2]).tolist() == states[i, j].tolist(), (seed, skip)


@pytest.mark.parametrize("variant", ["avx2", "sse"])
def test_mkl_bernoulli_icdf_matches_mkl(fixture, variant):
    bad = [i for i, want in fixture_cases(fixture, variant)
           if not np.array_equal(mkl.bernoulli_icdf(int(fixture["mkl_seed"][i]), len(want), float(fixture["p"][i]),
                                                     variant), want)]
    examples = [(int(fixture["mkl_seed"][i]), float(fixture["p"][i])) for i in bad[:3]]
    assert not bad, f"{len(bad)} cases differ, e.g. {examples}"


def test_mkl_variants_really_differ(fixture):
    """MKL's AVX2 and SSE conversions disagree on the boundary cases, and each formula only fits its own."""
    differ = sum(not np.array_equal(a, b) for (_, a), (_, b) in
                 zip(fixture_cases(fixture, "avx2"), fixture_cases(fixture, "sse"), strict=True))
    assert differ > 10
    wrong = sum(not np.array_equal(mkl.bernoulli_icdf(int(fixture["mkl_seed"][i]), len(want),
                                                      float(fixture["p"][i]), "sse"), want)
                for i, want in fixture_cases(fixture, "avx2"))
    assert wrong > 10


@pytest.mark.parametrize("variant", ["avx2", "sse"])
@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.bool_, np.float64, np.uint8])
def test_mkl_path_through_bernoulli(fixture, variant, dtype):
    """R.bernoulli(float p) on the forced MKL path: torch's seed word, the values, one word consumed."""
    checked = 0
    with cpu.overridden(torch_has_mkl_bernoulli=True, vendor="intel", mkl=True, mkl_kernel=variant):
        for i, want in fixture_cases(fixture, variant):
            if not fixture["has_torch_seed"][i] or (i % 3 and dtype != np.float32):
                continue
            seed, n, p = int(fixture["torch_seed"][i]), len(want), float(fixture["p"][i])
            g = R.Generator().manual_seed(seed)
            shape = (n,) if n % 7 else (7, n // 7)
            got = R.bernoulli(p, shape, dtype, g)
            assert got.dtype == np.dtype(dtype) and got.shape == shape
            assert np.array_equal(got.reshape(-1), want.astype(dtype)), (seed, n, p)
            checked += 1
    assert checked > 100


def test_mkl_path_consumes_one_word_even_for_empty_tensors():
    with cpu.overridden(torch_has_mkl_bernoulli=True, vendor="intel", mkl=True):
        for n in (0, 1, 800, 5000):
            g = R.Generator().manual_seed(11)
            R.bernoulli(0.4, (n,), np.float32, g)
            tg = torch.Generator().manual_seed(11)
            torch.randint(0, 2, (1,), generator=tg)  # exactly one random() word
            assert g.get_state().tobytes() == tg.get_state().numpy().tobytes()
            assert_follow = torch.rand(3, generator=tg).numpy()
            assert R.uniform((3,), np.float32, g).tobytes() == assert_follow.tobytes()


def test_mkl_chunks_are_independent_of_the_thread_count(fixture):
    """parallel_for chunks (grain 800) with skip-ahead give one stream: rebuild it chunk by chunk."""
    seed, n = int(fixture["mkl_seed"][0]), 5000
    whole = mkl.bernoulli_icdf(seed, n, 0.37)
    for size in (800, 1667, 2500):
        parts = [mkl.bernoulli_icdf(seed, min(size, n - b), 0.37, skip=b) for b in range(0, n, size)]
        assert np.array_equal(np.concatenate(parts), whole)


def test_mcg31_seeding_rule():
    m = mkl.MCG31_M
    assert [mkl.mcg31_seed(s) for s in (0, 1, m, m + 1, 2 * m, 2**32 - 1, 2**32 + 5)] == [1, 1, 1, 1, 1, 1, 5]
    assert mkl.mcg31_states(1, 3).tolist() == [1, mkl.MCG31_A, mkl.MCG31_A**2 % m]
    with pytest.raises(ValueError, match="MCG31 state"):
        mkl.mcg31_states(0, 2)
    with pytest.raises(ValueError, match="kernel"):
        mkl.uniform_float(np.ones(2, np.uint64), "avx9")
