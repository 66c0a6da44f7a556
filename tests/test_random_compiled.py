"""The numba-compiled Box-Muller kernels (reftorch._random.compiled) against the NumPy ones, bit for bit,
on inputs far beyond what the streams draw: every float32 exponent, subnormals, zeros, the polynomials'
range boundaries. Both paths are checked against torch itself in tests/test_random.py and
tests/test_random_paths.py (the ``path`` parameter); here they are checked against each other, and the
lazy import and the fallback are checked."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import numpy as np
import pytest

from reftorch import _random as R
from reftorch._random import exact

compiled = pytest.importorskip("reftorch._random.compiled", reason="numba is not installed")

RNG = np.random.default_rng(20240613)
F32 = np.float32


def bits(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x).view(np.int32 if x.dtype == np.float32 else np.int64)


def assert_same(ours: np.ndarray, theirs: np.ndarray) -> None:
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    differ = np.flatnonzero(bits(ours).reshape(-1) != bits(theirs).reshape(-1))
    assert differ.size == 0, f"{differ.size} differ, e.g. at {differ[:5]}"


def neighbours(points: np.ndarray, ulps: int = 3) -> np.ndarray:
    """Each float32 point and the ``ulps`` floats on either side of it."""
    base = np.asarray(points, F32).view(np.int32)
    steps = np.arange(-ulps, ulps + 1, dtype=np.int32)
    return (base[:, None] + steps).reshape(-1).view(F32)


def log_inputs() -> np.ndarray:
    """Uniforms as the kernel sees them (1 - u), random bit patterns of every positive exponent,
    subnormals, zeros, negatives, infinity and NaN, and both sides of the sqrt(1/2) switch and of
    each power of two (where the exponent changes)."""
    uniforms = 1 - (RNG.integers(0, 1 << 24, 300_000) * 2.0**-24).astype(F32)
    patterns = RNG.integers(0, 0x7F800000, 300_000).astype(np.int32).view(F32)
    subnormals = RNG.integers(1, 0x00800000, 20_000).astype(np.int32).view(F32)
    specials = np.array([0.0, -0.0, -1.0, -1e-40, np.inf, np.nan, 1.0, 1 - 2**-24, 2**-24,
                         np.finfo(F32).tiny, np.finfo(F32).max], F32)
    exponents = np.exp2(np.arange(-126, 128)).astype(F32)
    edges = neighbours(np.concatenate([R._SQRTHF * exponents, exponents]), 4)
    return np.concatenate([uniforms, patterns, subnormals, specials, edges])


def sincos_inputs() -> np.ndarray:
    """The kernel's angles 2*pi*u (u a 24-bit uniform), both signs up to 1e9 (where 4/pi * |x| still fits
    the int32 quadrant), subnormals and zeros, and the floats around multiples of pi/4 (quadrant and
    polynomial switches)."""
    angles = F32(2 * math.pi) * (RNG.integers(0, 1 << 24, 300_000) * 2.0**-24).astype(F32)
    magnitudes = RNG.integers(0, 0x4E6E6B28, 300_000).astype(np.int32).view(F32)  # below 1e9
    signed = magnitudes * RNG.choice(np.array([-1, 1], F32), magnitudes.size)
    subnormals = RNG.integers(1, 0x00800000, 20_000).astype(np.int32).view(F32)
    multiples = np.concatenate([np.arange(-4000, 0), np.arange(1, 4001)])
    eighths = neighbours((multiples * (math.pi / 4)).astype(F32), 4)
    specials = np.array([0.0, -0.0, F32(2 * math.pi) * F32(1 - 2**-24), np.finfo(F32).tiny, 1e9, -1e9], F32)
    return np.concatenate([angles, signed, subnormals, -subnormals, eighths, specials])


def test_log256_paths_agree():
    x = log_inputs()
    assert_same(compiled.log256(x), R._log256(x))
    assert_same(compiled.log256(x[:350].reshape(50, 7)), R._log256(x[:350].reshape(50, 7)))  # any shape


def test_sincos256_paths_agree():
    x = sincos_inputs()
    (sin_c, cos_c), (sin_n, cos_n) = compiled.sincos256(x), R._sincos256(x)
    assert_same(sin_c, sin_n)
    assert_same(cos_c, cos_n)


def test_fma32_paths_agree_on_double_rounding_cases():
    """Products whose double sum with the addend lands halfway between two floats: the cases where the
    NumPy emulation corrects a double rounding, many of them, against the CPU's fused multiply-add."""
    n = 200_000
    a = (RNG.integers(1 << 23, 1 << 24, n) * 2.0**-23).astype(F32)  # 24-bit significands in [1, 2)
    b = (RNG.integers(1 << 23, 1 << 24, n) * 2.0**-23).astype(F32)
    product = a.astype(np.float64) * b
    nearest = product.astype(F32).astype(np.float64)
    ulp = np.spacing(product.astype(F32)).astype(np.float64)
    c = np.concatenate([RNG.standard_normal(n) * 2.0 ** RNG.integers(-60, 10, n),  # random addends
                        (nearest + ulp / 2 - product)]).astype(F32)  # sums near float midpoints
    tiny = (RNG.standard_normal(n) * 2.0 ** RNG.integers(-90, -40, n)).astype(F32)  # lost to a double
    a, b, c = np.concatenate([a, a, a]), np.concatenate([b, b, b]), np.concatenate([c, tiny])
    halfway = (np.add(np.multiply(a, b, dtype=np.float64), c).view(np.uint64) & np.uint64((1 << 29) - 1)) \
        == np.uint64(1 << 28)
    assert halfway.sum() > 1000  # the correction is really exercised
    assert_same(compiled.fma(a, b, c), R._fma32(a, b, c))


def test_fma64_paths_agree():
    """Doubles of every magnitude (``exact.fma64`` hands the extremes to glibc) with scalar factors."""
    n = 100_000
    a = RNG.standard_normal(n) * 10.0 ** RNG.integers(-300, 300, n)
    a[::5] = np.round(a[::5] * 2**20) / 2**20
    a = np.concatenate([a, [0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, 1e308]])
    for b, c in [(3002399751580331 * 2.0**-52, 2.0**-200), (0.3, 1.7), (1 + 2**-52, -1.0), (1e300, -1e300),
                 (-2.5e-310, 1e-320), (7.0, -0.0), (0.0, 3.0)]:
        with np.errstate(all="ignore"):
            assert_same(compiled.fma(a, b, c), exact.fma64(a, b, c))


@pytest.mark.parametrize("name", sorted(exact.LIBM))
def test_libm_paths_agree(name):
    """The compiled calls into the C library against Python's math / ctypes calls, on the inputs where
    Python's math does not raise (``log`` of positives, ``log1p`` above -1)."""
    x = RNG.standard_normal(50_000) * 10.0 ** RNG.integers(-20, 20, 50_000)
    x = np.concatenate([x, np.nextafter(1.0, 0.0) - RNG.random(1000), [0.0, -0.0, 5e-324, 1e-310, 709.78, 710.0,
                                                                       -745.2, 1e22, -(2.0**-53)]])
    if name == "log":
        x = np.abs(x[x != 0])
    elif name == "log1p":
        x = x[x > -1]
    with np.errstate(all="ignore"):  # exp overflows to inf, as glibc's does
        assert_same(compiled.libm(name, x), exact.LIBM[name](x))
        assert_same(compiled.libm(name, x[:60].reshape(3, 20)), exact.LIBM[name](x[:60].reshape(3, 20)))


def box_inputs(dtype: type, rows: int) -> np.ndarray:
    """Uniforms as drawn (24-bit floats or 53-bit doubles) plus rows of 0 (u1 = 1: radius 0), of the
    largest uniform (u1 the smallest) and of random uniforms."""
    if dtype == np.float32:
        u = (RNG.integers(0, 1 << 24, (rows, 16)) * 2.0**-24).astype(F32)
        top = F32(1 - 2**-24)
    else:
        u = RNG.integers(0, 1 << 53, (rows, 16)) * 2.0**-53
        top = 1 - 2.0**-53
    u[:3] = 0
    u[3:6] = top
    u[6:9, :8], u[6:9, 8:] = top, 0
    u[9:12, :8], u[9:12, 8:] = 0, top
    return u


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("avx2", [True, False])
@pytest.mark.parametrize(("mean", "std"), [(0.0, 1.0), (0.3, 1.7), (-2.5, 0.01), (1e3, 1e-3), (5.0, 0.0),
                                           (-0.0, 1e30), (1e-40, 3.0)])
def test_box_muller_paths_agree(dtype, avx2, mean, std, monkeypatch):
    blocks = box_inputs(dtype, 20_000 if dtype == np.float32 else 2_000)
    ours = compiled.box_muller_16(blocks, mean, std, avx2)
    monkeypatch.setenv("REFTORCH_NO_NUMBA", "1")
    assert_same(ours, R._box_muller_16(blocks, mean, std, avx2))


def test_box_muller_pairs_paths_agree(monkeypatch):
    """The per-element double Box-Muller (fewer than 16 elements, non-contiguous, log_normal_): uniforms
    of 53 bits, with pairs of 0 (radius 0) and of the largest uniform."""
    u = RNG.integers(0, 1 << 53, 200_000) * 2.0**-53
    u[:8] = [0.0, 0.0, 1 - 2.0**-53, 1 - 2.0**-53, 0.0, 1 - 2.0**-53, 1 - 2.0**-53, 0.0]
    ours = compiled.box_muller_pairs(u)
    monkeypatch.setenv("REFTORCH_NO_NUMBA", "1")
    assert_same(ours, R._box_muller_pairs(u))


def test_box_muller_accepts_views():
    view = np.concatenate([box_inputs(np.float32, 64)] * 2, axis=1)[:, 8:24]  # rows of 16 at a stride of 32
    assert_same(compiled.box_muller_16(view, 0.5, 2.0), compiled.box_muller_16(np.ascontiguousarray(view), 0.5, 2.0))


@pytest.mark.parametrize(("value", "enabled"), [("1", False), ("yes", False), ("0", True), ("", True)])
def test_environment_variable_selects_the_path(value, enabled, monkeypatch):
    monkeypatch.setenv("REFTORCH_NO_NUMBA", value)
    assert (R.compiled_kernels() is compiled) is enabled
    monkeypatch.delenv("REFTORCH_NO_NUMBA")
    assert R.compiled_kernels() is compiled


def run_python(code: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "REFTORCH_NO_NUMBA"} | env
    done = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True,
                          timeout=300, check=False, cwd=os.getcwd())
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


LAZY = ("import sys, reftorch\nbefore = 'numba' in sys.modules\nreftorch.randperm(5)\n"
        "words = 'numba' in sys.modules\nreftorch.rand(3)\nprint(before, words, 'numba' in sys.modules)")


def test_numba_is_imported_at_the_first_float_draw_only():
    """Not by ``import reftorch``, nor by draws of bare words (randperm), but by the first uniform."""
    assert run_python(LAZY) == "False False True"


def test_no_numba_environment_keeps_numba_out():
    assert run_python(LAZY, REFTORCH_NO_NUMBA="1") == "False False False"


def test_unit_uniforms_paths_agree(monkeypatch):
    edges = np.array([0, 1, 0xFFFFFF, 0x1000000, 0xFFFFFFFF, 0x1FFFFF, 0x200000, 0xFFFFFFFE], np.uint64)
    words = np.concatenate([RNG.integers(0, 1 << 32, 400_001, dtype=np.uint64), edges])
    twin = R.Generator()
    twin._words = lambda count: words[:count]  # the generator's words, given
    ours_float, ours_double = compiled.unit_float(words), compiled.unit_double(words)
    monkeypatch.setenv("REFTORCH_NO_NUMBA", "1")
    assert_same(ours_float, R._unit_float(twin, words.size))
    assert_same(ours_double, R._unit_double(twin, words.size // 2))


def test_fallback_when_numba_cannot_be_imported():
    """With numba unimportable the NumPy kernels run and give torch's values."""
    code = ("import sys; sys.modules['numba'] = None\nimport numpy as np, torch, reftorch._random as R\n"
            "assert R.compiled_kernels() is None\n"
            "g = torch.Generator().manual_seed(5)\n"
            "print(R.normal((1000,), np.float32, R.Generator().manual_seed(5)).tobytes() == "
            "torch.randn(1000, generator=g).numpy().tobytes())")
    assert run_python(code) == "True"


def test_default_and_avx2_kernels_differ():
    """The compiled DEFAULT kernel is not the AVX2 one (so the capability tests tell them apart)."""
    blocks = box_inputs(np.float32, 500)
    assert not np.array_equal(bits(compiled.box_muller_16(blocks, 0.0, 1.0, True)),
                              bits(compiled.box_muller_16(blocks, 0.0, 1.0, False)))
