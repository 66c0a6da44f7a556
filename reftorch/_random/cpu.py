"""The CPU facts torch's random kernels branch on, computed as torch computes them.

torch's CPU random streams are the same MT19937 words on every machine, but two things decide which
*kernel* turns them into values, and so which bits come out:

* **The ATen CPU capability** (aten/src/ATen/native/DispatchStub.cpp, ``compute_cpu_capability``).
  Every file under aten/src/ATen/native/cpu/ is compiled once per capability (DEFAULT, AVX2 with
  ``-mavx2 -mfma``, ...) and ``DispatchStub`` picks one copy at the first call. The environment
  variable ``ATEN_CPU_CAPABILITY`` overrides the detection: on x86 builds ``avx512``, ``avx2`` and
  ``default`` are honoured (compared case-sensitively, and ``avx512`` is believed without asking the
  CPU); any other value, the empty string included, warns ``ignoring invalid value for
  ATEN_CPU_CAPABILITY: <value>`` and falls back to detection: AVX512 when the CPU has AVX512-VL,
  -BW, -DQ and FMA3, else AVX2 when it has AVX2 and FMA3, else DEFAULT. A stub without an AVX512
  kernel (``normal_stub`` is ``REGISTER_NO_AVX512_DISPATCH``; the torch 2.13 wheel has no AVX512
  copy of DistributionKernels.cpp at all) runs its AVX2 kernel under AVX512. Two things follow:

  - float32/float16 ``normal_`` on contiguous tensors of >= 16 elements runs the AVX2 SIMD
    Box-Muller (avx_mathfun.h) under AVX2/AVX512 and a scalar loop over libm ``logf``/``sincosf``
    under DEFAULT (``NormalFill16`` in native/cpu/DistributionTemplates.h);
  - the AVX2 copies are compiled with FMA available, so GCC contracts ``x * (to - from) + from``
    (``uniform_``) and ``value * std + mean`` (per-element ``normal_``) into fused multiply-adds;
    the DEFAULT copy rounds the product and the sum separately (:func:`fused_multiply_add`).

* **The CPU vendor and MKL**, for scalar-p ``bernoulli_``. torch 1.x-2.x builds with MKL
  (``AT_MKL_ENABLED()``) sent ``bernoulli_(float p)`` to MKL's ``viRngBernoulli`` on an MCG31
  stream when ``cpuinfo_vendor_intel == cpuinfo_get_processor(0)->core->vendor`` (see
  :mod:`reftorch._random.mkl`). The torch 2.13 CPU wheel that reftorch mirrors has no such path:
  its ``bernoulli_scalar_kernel`` (both the DEFAULT and the AVX2 copy) calls the MT19937 kernel
  directly, libtorch_cpu.so contains no VSL random-number code and does not reference
  ``cpuinfo_get_processor``, and under valgrind (whose emulated CPUID reports ``GenuineIntel``)
  ``bernoulli_`` still consumes two MT words per element. :data:`TORCH_HAS_MKL_BERNOULLI` records
  that; :func:`bernoulli_uses_mkl` is the vendor-gated rule of the builds that had the path.

Every fact is computed once and cached; :func:`overridden` replaces any of them for a block of code
(tests use it to force each kernel on any machine).
"""

from __future__ import annotations

import contextlib
import functools
import os
import platform
import re
import sys
import warnings
from collections.abc import Iterator

__all__ = [
    "TORCH_HAS_MKL_BERNOULLI", "avx2_normal_kernel", "bernoulli_uses_mkl", "capability", "cpu_flags",
    "fused_multiply_add", "is_x86_64", "mkl_enabled", "mkl_uniform_kernel", "overridden", "vendor",
]

# Whether the mirrored torch (2.13) has the Intel-only MKL path of bernoulli_(float p): it has not.
TORCH_HAS_MKL_BERNOULLI = False

CAPABILITIES = ("DEFAULT", "AVX2", "AVX512")
# DispatchStub.cpp accepts these spellings of ATEN_CPU_CAPABILITY on x86 builds (case-sensitive).
_ENV_CAPABILITIES = {"default": "DEFAULT", "avx2": "AVX2", "avx512": "AVX512"}
# cpuinfo's vendor enum for the CPUID vendor strings (cpuinfo/src/x86/vendor.c), lower-cased.
_VENDOR_STRINGS = {
    "GenuineIntel": "intel", "AuthenticAMD": "amd", "HygonGenuine": "hygon", "CentaurHauls": "via",
    "  Shanghai  ": "zhaoxin", "CyrixInstead": "cyrix", "NexGenDriven": "nexgen", "RiseRiseRise": "rise",
    "SiS SiS SiS ": "sis", "UMC UMC UMC ": "umc", "Geode by NSC": "nsc", "Vortex86 SoC": "dmp",
    "GenuineTMx86": "transmeta", "TransmetaCPU": "transmeta",
}

_overrides: dict[str, object] = {}


def _machine() -> str:
    return platform.machine().lower()


def is_x86_64() -> bool:
    """Whether this is an x86-64 machine (the only one with AVX2/AVX512 capabilities and MKL wheels)."""
    if "machine" in _overrides:
        return str(_overrides["machine"]).lower() in ("x86_64", "amd64")
    return _machine() in ("x86_64", "amd64")


@functools.lru_cache(maxsize=1)
def _proc_cpuinfo() -> dict[str, str]:
    """The fields of the first processor in /proc/cpuinfo (Linux), empty elsewhere."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return {}
    fields: dict[str, str] = {}
    for line in text.split("\n\n", 1)[0].splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields.setdefault(key.strip(), value.strip())
    return fields


def parse_vendor(vendor_string: str) -> str:
    """cpuinfo's vendor for a CPUID vendor string: ``intel``, ``amd``, ..., or ``unknown``."""
    exact = _VENDOR_STRINGS.get(vendor_string)
    if exact is not None:
        return exact
    return _VENDOR_STRINGS.get(vendor_string.strip(), "unknown")


@functools.lru_cache(maxsize=1)
def _detected_vendor() -> str:
    if not is_x86_64():
        # cpuinfo reads MIDR on Arm; none of these vendors is Intel, which is all that torch asks.
        return "arm" if _machine() in ("arm64", "aarch64") else "unknown"
    info = _proc_cpuinfo()
    if "vendor_id" in info:  # Linux: the kernel's copy of CPUID leaf 0
        return parse_vendor(info["vendor_id"])
    text = platform.processor()
    if sys.platform == "darwin":
        with contextlib.suppress(OSError, ValueError):
            import subprocess  # noqa: PLC0415 - only on macOS
            text = subprocess.run(["sysctl", "-n", "machdep.cpu.vendor"], capture_output=True, text=True,
                                  check=False, timeout=5).stdout.strip() or text
    for key, name in _VENDOR_STRINGS.items():
        if key.strip() and key.strip() in text:
            return name
    lowered = text.lower()
    return "intel" if "intel" in lowered else "amd" if "amd" in lowered else "unknown"


def vendor() -> str:
    """The vendor of processor 0 as cpuinfo names it (``cpuinfo_get_processor(0)->core->vendor``).

    Linux reads ``vendor_id`` from /proc/cpuinfo (the kernel's record of CPUID leaf 0); macOS asks
    ``sysctl machdep.cpu.vendor``; other systems parse ``platform.processor()``. Values:
    ``intel``, ``amd``, ``hygon``, ``via``, ``zhaoxin``, ..., ``arm`` or ``unknown``.
    """
    if "vendor" in _overrides:
        return str(_overrides["vendor"])
    return _detected_vendor()


@functools.lru_cache(maxsize=1)
def _detected_flags() -> frozenset[str]:
    info = _proc_cpuinfo()
    if "flags" in info:
        return frozenset(info["flags"].split())
    return frozenset()


def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags in /proc/cpuinfo spelling (``avx2``, ``fma``, ``avx512vl``, ...)."""
    if "flags" in _overrides:
        return frozenset(_overrides["flags"])  # type: ignore[arg-type]
    return _detected_flags()


def detect_capability(flags: frozenset[str] | set[str], x86_64: bool = True) -> str:
    """DispatchStub's detection from CPU features: AVX512, AVX2 or DEFAULT."""
    if not x86_64:
        return "DEFAULT"
    if {"avx512vl", "avx512bw", "avx512dq", "fma"} <= flags:
        return "AVX512"
    if {"avx2", "fma"} <= flags:
        return "AVX2"
    return "DEFAULT"


def capability_from(env_value: str | None, flags: frozenset[str] | set[str], x86_64: bool = True,
                    warn: bool = True) -> str:
    """``compute_cpu_capability``: the ``ATEN_CPU_CAPABILITY`` value if valid, else detection.

    An invalid value (anything but ``default``/``avx2``/``avx512`` on x86, ``default`` elsewhere;
    the empty string too) warns like ``TORCH_WARN`` and is ignored.
    """
    if env_value is not None:
        valid = _ENV_CAPABILITIES if x86_64 else {"default": "DEFAULT"}
        if env_value in valid:
            return valid[env_value]
        if warn:
            warnings.warn(f"ignoring invalid value for ATEN_CPU_CAPABILITY: {env_value}", UserWarning,
                          stacklevel=3)
    return detect_capability(frozenset(flags), x86_64)


@functools.lru_cache(maxsize=1)
def _detected_capability() -> str:
    # The flags are read unconditionally so that a later override of "flags" alone is honoured.
    return capability_from(os.environ.get("ATEN_CPU_CAPABILITY"), _detected_flags(), is_x86_64())


def capability() -> str:
    """The ATen CPU capability torch would run with here: ``DEFAULT``, ``AVX2`` or ``AVX512``.

    Like ``at::native::get_cpu_capability()`` it is computed once (``ATEN_CPU_CAPABILITY`` is read
    at the first call); ``torch.backends.cpu.get_cpu_capability()`` returns the same string on
    x86-64. Non-x86 machines report DEFAULT here (torch may say VSX, ZVECTOR or SVE256 there; none of
    those runs the AVX2 random kernels, which is all this module decides).
    """
    if "capability" in _overrides:
        return str(_overrides["capability"])
    if "flags" in _overrides or "machine" in _overrides:
        return capability_from(os.environ.get("ATEN_CPU_CAPABILITY"), cpu_flags(), is_x86_64(), warn=False)
    return _detected_capability()


def avx2_normal_kernel() -> bool:
    """Whether float32/float16 ``normal_`` (contiguous, numel >= 16) runs the AVX2 SIMD kernel.

    ``normal_stub`` is registered for AVX2 and, with no AVX512 kernel, runs that one under AVX512 too;
    DEFAULT runs the scalar ``NormalFill16`` over libm ``logf``/``sincosf`` and ``fmaf``.
    """
    return capability() in ("AVX2", "AVX512")


def fused_multiply_add() -> bool:
    """Whether torch's CPU kernels fuse ``a * b + c`` into one rounding (GCC ``-ffp-contract=fast``).

    On x86-64 the AVX2 (and AVX512) copies are built with ``-mfma`` and fuse; the DEFAULT copy has no
    FMA instruction to contract to. Affected: ``uniform_(from, to)`` and per-element ``normal_``.
    On aarch64 FMA is part of the base ISA and GCC contracts by default, so this returns True there
    (an inference from the compiler's rules, not checked against an Arm torch).
    """
    if "fma" in _overrides:
        return bool(_overrides["fma"])
    if not is_x86_64():
        return str(_overrides.get("machine", _machine())).lower() in ("arm64", "aarch64")
    return capability() in ("AVX2", "AVX512")


def mkl_enabled() -> bool:
    """Whether torch's CPU build has MKL (``AT_MKL_ENABLED()``): the x86-64 Linux and Windows wheels."""
    if "mkl" in _overrides:
        return bool(_overrides["mkl"])
    return is_x86_64() and sys.platform in ("linux", "win32")


def bernoulli_uses_mkl() -> bool:
    """Whether ``bernoulli_(float p)`` runs MKL's ``viRngBernoulli`` rather than the MT19937 kernel.

    The rule of the torch builds that had the path (DistributionKernels.cpp ``bernoulli_scalar_kernel``
    under ``AT_MKL_ENABLED()``): MKL build and ``cpuinfo_vendor_intel`` for processor 0. The mirrored
    torch 2.13 has no such path (:data:`TORCH_HAS_MKL_BERNOULLI`), so this is False unless a test
    overrides ``torch_has_mkl_bernoulli``.
    """
    has_path = bool(_overrides.get("torch_has_mkl_bernoulli", TORCH_HAS_MKL_BERNOULLI))
    return has_path and mkl_enabled() and vendor() == "intel"


def mkl_uniform_kernel() -> str:
    """Which of MKL's single-precision MCG31 uniform conversions ``viRngBernoulli`` would use here.

    MKL dispatches on the CPU itself: its AVX2 code converts ``float(x) * 2**-31``, its SSE4.2 /
    generic code ``float(x * (1.0 / m))`` in double (both observed with MKL 2024.2, the version in
    torch's wheels, the AVX2 one under valgrind's Intel CPUID). ``MKL_ENABLE_INSTRUCTIONS=SSE4_2`` or
    ``AVX`` and ``MKL_CBWR=COMPATIBLE`` select the generic code. MKL takes its AVX2 code only on
    Intel CPUs; MKL's AVX-512 code is assumed to convert like its AVX2 code (not observed).
    """
    if "mkl_kernel" in _overrides:
        return str(_overrides["mkl_kernel"])
    limit = os.environ.get("MKL_ENABLE_INSTRUCTIONS", "").upper()
    cbwr = os.environ.get("MKL_CBWR", "").upper()
    if limit in ("SSE4_2", "AVX") or re.match(r"COMPATIBLE|SSE", cbwr):
        return "sse"
    return "avx2" if vendor() == "intel" and {"avx2", "fma"} <= cpu_flags() else "sse"


@contextlib.contextmanager
def overridden(**facts: object) -> Iterator[None]:
    """Replace CPU facts inside a ``with`` block (tests force each kernel path with it).

    Keys: ``vendor`` (``"intel"``, ``"amd"``, ...), ``capability`` (``"DEFAULT"``/``"AVX2"``/
    ``"AVX512"``), ``flags`` (a set of /proc/cpuinfo flags, re-running detection), ``machine``,
    ``fma`` (bool), ``mkl`` (bool), ``torch_has_mkl_bernoulli`` (bool), ``mkl_kernel``
    (``"avx2"``/``"sse"``). Nested blocks stack; the previous values come back on exit.
    """
    known = {"vendor", "capability", "flags", "machine", "fma", "mkl", "torch_has_mkl_bernoulli", "mkl_kernel"}
    unknown = set(facts) - known
    if unknown:
        raise TypeError(f"unknown CPU facts: {sorted(unknown)}")
    if "capability" in facts and facts["capability"] not in CAPABILITIES:
        raise ValueError(f"capability must be one of {CAPABILITIES}, got {facts['capability']!r}")
    saved = dict(_overrides)
    _overrides.update(facts)
    try:
        yield
    finally:
        _overrides.clear()
        _overrides.update(saved)


def clear_cache() -> None:
    """Forget the detected facts (the next call re-reads /proc/cpuinfo and ``ATEN_CPU_CAPABILITY``)."""
    for fn in (_proc_cpuinfo, _detected_vendor, _detected_flags, _detected_capability):
        fn.cache_clear()
