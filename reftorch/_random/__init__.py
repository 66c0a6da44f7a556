"""CPU random streams that reproduce torch's ``CPUGeneratorImpl`` bit for bit.

torch's CPU generator (aten/src/ATen/CPUGeneratorImpl.cpp, core/MT19937RNGEngine.h) is a standard
MT19937 seeded with ``init_genrand(seed & 0xffffffff)`` -- the seeding of NumPy's legacy
``RandomState`` -- so the raw 32-bit words come from ``np.random.MT19937`` with that state.
``random()`` is one word; ``random64()`` is ``(first << 32) | second``.

The words are the same on every CPU, but some kernels that turn them into values are compiled once
per ATen CPU capability and differ in their arithmetic; :mod:`reftorch._random.cpu` decides, as
torch's ``DispatchStub`` does, which one runs here (``ATEN_CPU_CAPABILITY`` included), and every
kernel below is implemented, so each can be checked on any machine. "AVX2" stands for AVX2 and
AVX512 (torch 2.13 has no AVX512 copy of these kernels and runs the AVX2 one); "DEFAULT" is the
capability of CPUs without AVX2+FMA or of ``ATEN_CPU_CAPABILITY=default``.

Consumption rules (what keeps successive draws in sync with torch):

* ``uniform`` (``rand``/``uniform_``): float32 and float16 take one word per element
  (``(w & 0xffffff) * 2**-24``, computed in float, float16 rounds the float); float64 takes two
  (``random64() & (2**53 - 1)) * 2**-53``). The value is ``x * (to - from) + from`` -- one fused
  rounding (``fma``) in the AVX2 kernel, where GCC contracts it, two roundings in the DEFAULT
  kernel -- and a result that rounds to ``to`` becomes ``from``. Complex dtypes fill the real view
  (two reals per element).
* ``normal`` (``randn``/``normal_``), contiguous with numel >= 16: float32/float64 fill all ``n``
  uniforms, Box-Muller each block of 16 (``data[j]`` pairs with ``data[j + 8]``), and when
  ``n % 16`` draw 16 *more* uniforms for the last 16 slots; float16 draws 16 float uniforms per
  block plus 16 for the tail (so one block fewer than float32 when ``n % 16``). float32 and
  float16 compute in float: the AVX2 kernel uses avx_mathfun.h ``log256_ps``/``sincos256_ps``
  (with GCC's FMA contraction), the DEFAULT kernel a scalar loop over libm ``logf``/``sincosf`` and
  ``fmaf`` (called through ctypes: NumPy's float32 math is not libm's). float64 uses libm
  ``log``/``sincos`` and ``std::fma`` in both.
  Otherwise (numel < 16 or not contiguous): per element, double Box-Muller from two double
  uniforms (four words) that returns ``r cos`` and caches ``r sin`` in the generator for the next
  element (also across calls); the result is ``value * std + mean`` (fused in the AVX2 kernel, two
  roundings in DEFAULT) cast to the dtype. Complex dtypes draw the real view with ``std / sqrt(2)``.
* ``randint``: ``random() % range + low`` per element, ``random64()`` when ``range >= 2**28`` (for
  floating dtypes after torch narrows ``low``/``high`` to representable values).
* ``randperm``: for ``n < 2**32 // 20`` one word per swap, ``perm[i] <-> perm[i + w % (n - i)]`` for
  ``i < n - 1``; larger ``n`` use the inside-out shuffle with ``random64() % (i + 1)``.
* ``bernoulli``: a scalar ``p`` or a float64 ``p`` array compares a double uniform (two words);
  float32/float16 ``p`` arrays compare a float uniform (one word). The same on every CPU in torch
  2.13. Older MKL builds of torch sent scalar ``p`` on Intel CPUs to MKL's ``viRngBernoulli`` seeded
  with one word (:mod:`reftorch._random.mkl`); that path is implemented and selected exactly when
  :func:`reftorch._random.cpu.bernoulli_uses_mkl` says so, which for torch 2.13 is never.

The float kernels (unit uniforms, the contiguous normal blocks, the fused multiply-adds and the C
library's double functions of the per-element streams) also exist compiled with numba
(:mod:`reftorch._random.compiled`, the same bits at torch's speed): :func:`compiled_kernels` imports
them at the first float draw and falls back to the NumPy kernels below when numba is missing or
``REFTORCH_NO_NUMBA`` is set.

The generator state round-trips through torch's 5056-byte ``CPUGeneratorImplState`` layout, so
``get_state()`` bytes equal ``torch.Generator.get_state()`` and a state from torch can be set here.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Callable, Sequence
from types import ModuleType

import numpy as np

from . import cpu, exact, mkl
from .exact import c_float_function as _libm_float
from .exact import cos as _cos
from .exact import fma32 as _fma32
from .exact import fma64 as _fma64
from .exact import log as _log
from .exact import log1p as _log1p
from .exact import sin as _sin

__all__ = [
    "Generator", "bernoulli", "default_generator", "get_rng_state", "initial_seed", "manual_seed", "normal",
    "randint", "random32", "random64", "randperm", "seed", "set_rng_state", "uniform",
]

DEFAULT_RNG_SEED = 67280421310721  # c10::detail::default_rng_seed_val: seed of a new Generator()
_N = 624  # MERSENNE_STATE_N
_RANDPERM_SMALL_LIMIT = 0xFFFFFFFF // 20  # randperm_cpu keeps the 32-bit swap loop below this

# torch's CPUGeneratorImplState (legacy POD + float normal cache), little-endian, 5056 bytes.
_STATE_DTYPE = np.dtype({
    "names": ["seed", "left", "seeded", "next", "state", "normal_x", "normal_y", "normal_rho",
              "normal_is_valid", "next_float", "next_float_valid"],
    "formats": ["<u8", "<i4", "<i4", "<u8", ("<u8", _N), "<f8", "<f8", "<f8", "<i4", "<f4", "u1"],
    "offsets": [0, 8, 12, 16, 24, 5016, 5024, 5032, 5040, 5048, 5052],
    "itemsize": 5056,
})
STATE_SIZE = _STATE_DTYPE.itemsize

# ScalarType names (NotImplementedError texts) and caffe2::TypeMeta names (bounds messages).
_SCALAR_NAMES = {
    "bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int", "int64": "Long",
    "uint16": "UInt16", "uint32": "UInt32", "uint64": "UInt64", "float16": "Half", "float32": "Float",
    "float64": "Double", "complex64": "ComplexFloat", "complex128": "ComplexDouble",
}
_META_NAMES = {
    "bool": "bool", "uint8": "unsigned char", "int8": "signed char", "int16": "short int", "int32": "int",
    "int64": "long int", "uint16": "short unsigned int", "uint32": "unsigned int",
    "uint64": "long unsigned int", "float16": "c10::Half", "float32": "float", "float64": "double",
}
_FLOATS = ("float16", "float32", "float64")
_COMPLEX_PARTS = {"complex64": np.dtype(np.float32), "complex128": np.dtype(np.float64)}
_INTEGRAL = ("bool", "uint8", "int8", "int16", "int32", "int64", "uint16", "uint32", "uint64")
_RANDPERM_TYPES = ("uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64")
_MASK32 = np.uint64(0xFFFFFFFF)


class Generator:
    """``torch.Generator`` for the CPU: an MT19937 engine plus torch's cached normal samples.

    A new generator is seeded with ``67280421310721`` like torch's. ``get_state()`` returns a
    NumPy ``uint8`` array of torch's 5056-byte state layout; ``set_state`` accepts one.
    """

    def __init__(self, device: object = "cpu") -> None:
        kind = str(device).split(":", 1)[0]
        if kind != "cpu":
            raise RuntimeError(f"reftorch Generator supports only the CPU device, got '{device}'")
        self.device: object = "cpu"
        self._bitgen = np.random.MT19937(0)  # state replaced by manual_seed below
        self.manual_seed(DEFAULT_RNG_SEED)

    # -- torch.Generator API -------------------------------------------------------------------
    def manual_seed(self, seed: int) -> Generator:
        """Seed the engine (``Generator.manual_seed``): ints in [-2**63, 2**64), negatives wrap."""
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")  # noqa: TRY004
        if isinstance(seed, np.integer):
            raise TypeError("an integer is required")
        if not -(1 << 63) <= seed < (1 << 64):
            raise ValueError("Overflow when unpacking long long")
        self._reseed(seed % (1 << 64))
        return self

    def initial_seed(self) -> int:
        """The 64-bit seed last given to ``manual_seed``/``seed`` (or carried by ``set_state``)."""
        return self._seed

    def seed(self) -> int:
        """Reseed from a non-deterministic 64-bit source and return the seed (``Generator.seed``)."""
        value = int.from_bytes(os.urandom(8), "little")
        self._reseed(value)
        return value

    def get_state(self) -> np.ndarray:
        """The state as a fresh ``uint8`` array of torch's 5056-byte ``CPUGeneratorImplState``."""
        st = self._bitgen.state["state"]
        rec = np.zeros((), _STATE_DTYPE)
        rec["seed"] = self._seed
        rec["left"] = _N + 1 - st["pos"]
        rec["seeded"] = 1
        rec["next"] = st["pos"] if self._next_hint is None else self._next_hint
        rec["state"] = st["key"]
        if self._next_double is not None:
            rec["normal_is_valid"] = 1
            rec["normal_y"] = self._next_double
        if self._next_float is not None:
            rec["next_float_valid"] = 1
            rec["next_float"] = self._next_float
        return rec.reshape(1).view(np.uint8).copy()

    def set_state(self, new_state: np.ndarray) -> Generator:
        """Restore a state from ``get_state`` (here or torch's bytes); returns ``self``.

        Errors follow torch: TypeError for a non-uint8 array, RuntimeError for a wrong size or an
        invalid engine (not seeded, ``left`` outside [1, 624], ``next`` > 624). A state whose
        ``next`` disagrees with ``left`` (never produced by torch) is rejected as invalid too.
        """
        if not isinstance(new_state, np.ndarray) or new_state.dtype != np.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        if new_state.size != STATE_SIZE:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {STATE_SIZE} but found the "
                               f"input RNG state size to be {new_state.size}")
        rec = np.ascontiguousarray(new_state).reshape(-1).view(_STATE_DTYPE)[0]
        left, nxt = int(rec["left"]), int(rec["next"]) & 0xFFFFFFFF
        valid = rec["seeded"] != 0 and 0 < left <= _N and nxt <= _N
        if not valid or (left != 1 and left + nxt != _N + 1):
            raise RuntimeError("Invalid mt19937 state")
        key = (rec["state"] & np.uint64(0xFFFFFFFF)).astype(np.uint32)
        self._bitgen.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": _N + 1 - left}}
        self._seed = int(rec["seed"])
        self._next_hint = nxt if left == 1 else None
        self._next_double = float(rec["normal_y"]) if rec["normal_is_valid"] else None
        self._next_float = np.float32(rec["next_float"]) if rec["next_float_valid"] else None
        return self

    def clone_state(self) -> Generator:
        """A new generator with a copy of this one's engine and cached normals."""
        twin = Generator(self.device)
        twin.set_state(self.get_state())
        return twin

    def get_offset(self) -> int:
        """CPU generators have no Philox offset: raises like torch."""
        raise RuntimeError("CPU Generator does not use offset")

    def set_offset(self, offset: int) -> Generator:
        """CPU generators have no Philox offset: raises like torch."""
        raise RuntimeError("CPU Generator does not use offset")

    def __reduce__(self):
        """Pickle like ``torch.Generator``: (device,) plus (initial seed, offset None, state)."""
        return (type(self), (self.device,), (self._seed, None, self.get_state()))

    def __setstate__(self, state: tuple) -> None:
        seed_value, _offset, rng_state = state
        self.manual_seed(seed_value)
        self.set_state(rng_state)

    # -- engine ------------------------------------------------------------------------------------
    def _reseed(self, seed_value: int) -> None:
        key = np.random.RandomState(seed_value & 0xFFFFFFFF).get_state(legacy=False)["state"]["key"]
        self._bitgen.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": _N}}
        self._seed = seed_value
        self._next_hint: int | None = 0  # torch reports next=0 until the first draw
        self._next_double: float | None = None
        self._next_float: np.float32 | None = None  # kept for state round-trips; no CPU kernel uses it

    def _words(self, count: int) -> np.ndarray:
        """``count`` successive ``random()`` words as uint64 values below 2**32."""
        if count <= 0:
            return np.zeros(0, np.uint64)
        self._next_hint = None
        return self._bitgen.random_raw(count)


def _resolve(generator: Generator | None) -> Generator:
    return default_generator if generator is None else generator


def random32(count: int, generator: Generator | None = None) -> np.ndarray:
    """``count`` draws of ``CPUGeneratorImpl::random()`` (uint64 array of 32-bit values)."""
    return _resolve(generator)._words(count)


def random64(count: int, generator: Generator | None = None) -> np.ndarray:
    """``count`` draws of ``CPUGeneratorImpl::random64()``: ``(first << 32) | second``."""
    w = _resolve(generator)._words(2 * count)
    return (w[0::2] << np.uint64(32)) | w[1::2]


# -- module functions on the default generator (torch.manual_seed & co.) ----------------------------
def manual_seed(seed: int) -> Generator:
    """``torch.manual_seed``: ``int(seed)`` then seeds and returns the default generator."""
    return default_generator.manual_seed(int(seed))


def seed() -> int:
    """``torch.seed``: reseed the default generator non-deterministically; returns the seed."""
    return default_generator.seed()


def initial_seed() -> int:
    """``torch.initial_seed``: the default generator's initial seed."""
    return default_generator.initial_seed()


def get_rng_state() -> np.ndarray:
    """``torch.get_rng_state`` as a uint8 array (the engine's state, whatever the generator's class)."""
    return Generator.get_state(default_generator)


def set_rng_state(new_state: np.ndarray) -> None:
    """``torch.set_rng_state`` from a uint8 array."""
    Generator.set_state(default_generator, new_state)




def _f32(x: float) -> np.float32:
    return np.float32(x)


def _as_float(bits: np.ndarray) -> np.ndarray:
    return bits.astype(np.int32).view(np.float32)


def _bits(x: np.ndarray) -> np.ndarray:
    return x.view(np.int32)


# -- avx_mathfun.h (log256_ps, sincos256_ps) with GCC's FMA contraction, float32 lanes ---------------
_LOG_P = tuple(_f32(v) for v in (7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1,
                                 1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1,
                                 3.3333331174e-1))


_LOG_Q1, _LOG_Q2 = _f32(-2.12194440e-4), _f32(0.693359375)
_SQRTHF = _f32(0.707106781186547524)


def _log256(x: np.ndarray) -> np.ndarray:
    """log256_ps for positive float32 inputs (the kernel's only use; zero and subnormals clamp to FLT_MIN)."""
    x = np.maximum(x, _as_float(np.int32(0x00800000)))
    exponent = (_bits(x) >> 23) & 0xFF
    x = _as_float((_bits(x) & ~0x7F800000) | _bits(np.float32(0.5)))
    e = (exponent - 0x7F).astype(np.float32) + _f32(1.0)
    small = x < _SQRTHF
    tmp = np.where(small, x, _f32(0.0))
    x = x - _f32(1.0)
    e = e - np.where(small, _f32(1.0), _f32(0.0))
    x = x + tmp
    z = x * x
    y = np.full_like(x, _LOG_P[0])
    for coef in _LOG_P[1:]:
        y = _fma32(y, x, coef)
    y = y * x
    y = _fma32(y, z, e * _LOG_Q1)
    y = y - z * _f32(0.5)
    return _fma32(e, _LOG_Q2, x + y)


_FOUR_OVER_PI = _f32(1.27323954473516)
_DP = tuple(_f32(v) for v in (-0.78515625, -2.4187564849853515625e-4, -3.77489497744594108e-8))
_COS_P = tuple(_f32(v) for v in (2.443315711809948e-005, -1.388731625493765e-003, 4.166664568298827e-002))
_SIN_P = tuple(_f32(v) for v in (-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1))


def _sincos256(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sincos256_ps for float32 inputs (|x| < 2**31 / (4 / pi), where the quadrant fits an int32)."""
    sign_sin = _bits(x) & np.int32(-0x80000000)
    x = np.abs(x)
    quadrant = ((x * _FOUR_OVER_PI).astype(np.int32) + 1) & ~1
    y = quadrant.astype(np.float32)
    sign_sin = sign_sin ^ ((quadrant & 4) << 29)
    sign_cos = (~(quadrant - 2) & 4) << 29
    use_sin_poly = (quadrant & 2) == 0
    for dp in _DP:
        x = _fma32(y, dp, x)
    z = x * x
    c = np.full_like(x, _COS_P[0])
    c = _fma32(c, z, _COS_P[1])
    c = _fma32(c, z, _COS_P[2])
    c = _fma32(c * z, z, -(z * _f32(0.5))) + _f32(1.0)
    s = np.full_like(x, _SIN_P[0])
    s = _fma32(s, z, _SIN_P[1])
    s = _fma32(s, z, _SIN_P[2])
    s = _fma32(s * z, x, x)
    # the kernel blends the two polynomials with and/andnot masks and additions (signs of zero too)
    sin_from_s = np.where(use_sin_poly, s, _f32(0.0))
    sin_from_c = np.where(use_sin_poly, _f32(0.0), c)
    sin_part = sin_from_c + sin_from_s
    cos_part = (c - sin_from_c) + (s - sin_from_s)
    return _as_float(_bits(sin_part) ^ sign_sin), _as_float(_bits(cos_part) ^ sign_cos)


# -- uniform draws ---------------------------------------------------------------------------------------
def _unit_float(gen: Generator, count: int) -> np.ndarray:
    """uniform_real_distribution<float>(0, 1): 24 bits of one word."""
    kernels = compiled_kernels()
    if kernels is not None:
        return kernels.unit_float(gen._words(count))
    # the words are below 2**32: narrowing to uint32 is exact, and int32 -> float32 converts in SIMD
    low24 = (gen._words(count).astype(np.uint32) & np.uint32(0xFFFFFF)).view(np.int32)
    return low24.astype(np.float32) * _f32(2.0 ** -24)


def _unit_double(gen: Generator, count: int) -> np.ndarray:
    """uniform_real_distribution<double>(0, 1): 53 bits of random64()."""
    kernels = compiled_kernels()
    if kernels is not None:
        return kernels.unit_double(gen._words(2 * count))
    return (random64(count, gen) & np.uint64((1 << 53) - 1)).astype(np.float64) * 2.0 ** -53


# -- validation helpers ------------------------------------------------------------------------------------
def _fmt(value: float) -> str:
    """A double as C++ ``ostream << double`` prints it (``%g``)."""
    return f"{value:g}"


def _numel(shape: Sequence[int]) -> int:
    for size in shape:
        if size < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {size}: "
                               f"[{', '.join(str(s) for s in shape)}]")
    return math.prod(shape)


def _unsupported(kernel: str, dt: np.dtype) -> NotImplementedError:
    return NotImplementedError(f'"{kernel}" not implemented for \'{_SCALAR_NAMES.get(dt.name, dt.name)}\'')


def _float_limits(dt: np.dtype) -> tuple[float, float]:
    info = np.finfo(dt)
    return float(info.min), float(info.max)


def _check_in(value: float, name: str, low: float, high: float, dt: np.dtype) -> None:
    if not low <= value <= high:
        raise RuntimeError(f"{name} is out of bounds for {_META_NAMES[dt.name]}")


# -- public draw functions -----------------------------------------------------------------------------------
def uniform(shape: Sequence[int], array_dtype: np.dtype | type | str, generator: Generator | None = None,
            low: float = 0.0, high: float = 1.0, checked: Callable[[], None] | None = None) -> np.ndarray:
    """``torch.rand`` / ``Tensor.uniform_(low, high)`` values in C order for a float or complex dtype.

    Checks as ``uniform_impl_``: bounds of the dtype, ``low <= high``, ``high - low`` finite in it;
    ``checked`` runs after those checks and before anything is drawn (the output checks torch's
    TensorIterator makes next).
    """
    dt = np.dtype(array_dtype)
    shape = tuple(shape)
    if dt.name in _COMPLEX_PARTS:
        real = uniform(shape + (2,), _COMPLEX_PARTS[dt.name], generator, low, high, checked)
        return real.view(dt).reshape(shape)
    if dt.name not in _FLOATS:
        raise _unsupported("check_uniform_bounds", dt)
    low, high = float(low), float(high)
    lo_lim, hi_lim = _float_limits(dt)
    _check_in(low, "from", lo_lim, hi_lim, dt)
    _check_in(high, "to", lo_lim, hi_lim, dt)
    if not low <= high:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={_fmt(low)} "
                           f"> to={_fmt(high)}")
    if not high - low <= hi_lim:
        raise RuntimeError(f"uniform_ expects to-from <= std::numeric_limits<{_SCALAR_NAMES[dt.name]}>"
                           f"::max(), but found to={_fmt(high)} and from={_fmt(low)} which result in to-from "
                           "to exceed the limit")
    if checked is not None:
        checked()
    count = _numel(shape)
    gen = _resolve(generator)
    fused = cpu.fused_multiply_add()  # x * (to - from) + from: one rounding in the AVX2 kernel, two in DEFAULT
    if dt == np.float64:
        values = _unit_double(gen, count)
        if (low, high) != (0.0, 1.0):  # x * 1 + 0 == x
            values = _fma(values, high - low, low) if fused else values * (high - low) + low
        low_s, high_s = np.float64(low), np.float64(high)
    else:
        lo32, hi32 = _f32(low), _f32(high)
        values = _unit_float(gen, count)
        if (low, high) != (0.0, 1.0):  # x * 1 + 0 == x
            values = _fma(values, hi32 - lo32, lo32) if fused else values * (hi32 - lo32) + lo32
        values = values.astype(dt, copy=False)
        low_s, high_s = lo32.astype(dt), hi32.astype(dt)
    values[values == high_s] = low_s  # a fresh array of dtype dt
    return values.reshape(shape)


def normal(shape: Sequence[int], array_dtype: np.dtype | type | str, generator: Generator | None = None,
           mean: float = 0.0, std: float = 1.0, contiguous: bool = True,
           checked: Callable[[], None] | None = None) -> np.ndarray:
    """``torch.randn`` / ``Tensor.normal_(mean, std)`` values in C order (iteration order).

    ``contiguous=False`` mirrors filling a non-contiguous tensor, which always takes torch's
    per-element cached Box-Muller path (the values are then in the tensor's iteration order).
    ``checked`` runs after the argument and dtype checks, before anything is drawn.
    """
    dt = np.dtype(array_dtype)
    shape = tuple(shape)
    mean, std = float(mean), float(std)
    if not std >= 0.0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_fmt(std)}")
    if dt.name in _COMPLEX_PARTS:
        real = normal(shape + (2,), _COMPLEX_PARTS[dt.name], generator, mean, std / math.sqrt(2), contiguous,
                      checked)
        return real.view(dt).reshape(shape)
    count = _numel(shape)
    if count == 0:
        return np.zeros(shape, dt)
    if dt.name not in _FLOATS:
        raise _unsupported("normal_kernel_cpu", dt)
    if checked is not None:
        checked()
    gen = _resolve(generator)
    if count >= 16 and contiguous:
        flat = _normal_blocks(gen, count, dt, mean, std, cpu.avx2_normal_kernel())
    else:
        flat = _normal_scalar(gen, count, mean, std, cpu.fused_multiply_add())
        if dt == np.float16:
            flat = flat.astype(np.float32)  # static_cast<Half>(double) goes through float
    return flat.astype(dt, copy=False).reshape(shape)


def compiled_kernels() -> ModuleType | None:
    """:mod:`reftorch._random.compiled` (imported now, so numba loads at the first float draw),
    or ``None`` -- the NumPy kernels -- when numba cannot be imported or the environment variable
    ``REFTORCH_NO_NUMBA`` is set to anything but ``""``/``"0"`` (read at every call)."""
    if os.environ.get("REFTORCH_NO_NUMBA", "") not in ("", "0"):
        return None
    try:
        from . import compiled
    except ImportError:
        return None
    return compiled


def _libm(name: str, x: np.ndarray) -> np.ndarray:
    """The C library's ``double name(double)`` (``exact.LIBM``) on a float64 array, compiled or per element."""
    kernels = compiled_kernels()
    return exact.LIBM[name](x) if kernels is None else kernels.libm(name, x)


def _fma(a: np.ndarray, b: float | np.float32, c: float | np.float32) -> np.ndarray:
    """Correctly rounded ``fma(a, b, c)`` of a float32 (``fmaf``) or float64 (``std::fma``) array and two
    scalars, compiled or emulated (``exact.fma32``/``fma64``)."""
    kernels = compiled_kernels()
    if kernels is not None:
        return kernels.fma(a, b, c)
    return _fma64(a, b, c) if a.dtype == np.float64 else _fma32(a, b, c)


def _box_muller_16(blocks: np.ndarray, mean: float, std: float, avx2: bool = True) -> np.ndarray:
    """NormalFill16 on rows of 16 uniforms (``data[j]`` pairs with ``data[j + 8]``).

    float64 rows: libm ``log``, ``sincos`` and ``std::fma`` (the same in every capability's copy).
    float32 rows: with ``avx2`` the AVX2 kernel (avx_mathfun.h ``log256_ps``/``sincos256_ps``);
    otherwise the DEFAULT copy's scalar loop: ``radius = sqrtf(-2 * logf(1 - u1))``,
    ``theta = (float)(2.0 * pi * (double)u2)``, ``fmaf(radius * cosf(theta), std, mean)`` and the same
    with ``sinf`` (disassembly of torch 2.13's DEFAULT ``NormalFill16<float>``: logf, sqrtss,
    cvtss2sd/mulsd/cvtsd2ss, sincosf, fmaf).
    """
    kernels = compiled_kernels()
    if kernels is not None:
        return kernels.box_muller_16(blocks, mean, std, avx2)
    u1, u2 = 1 - blocks[:, :8], np.ascontiguousarray(blocks[:, 8:])
    if blocks.dtype == np.float64:
        radius = np.sqrt(-2 * _log(u1))
        theta = 2.0 * math.pi * u2
        cos_t, sin_t = _cos(theta), _sin(theta)
        return np.concatenate([_fma64(radius * cos_t, std, mean), _fma64(radius * sin_t, std, mean)], axis=1)
    mean32, std32 = _f32(mean), _f32(std)
    if not avx2:
        radius = np.sqrt(_f32(-2.0) * _libm_float("logf")(u1))
        theta = (u2.astype(np.float64) * (2.0 * math.pi)).astype(np.float32)
        sin_t, cos_t = _libm_float("sinf")(theta), _libm_float("cosf")(theta)
    else:
        radius = np.sqrt(_f32(-2.0) * _log256(u1))
        sin_t, cos_t = _sincos256(_f32(2.0 * math.pi) * u2)
    if std32 == 1 and mean32 == 0:  # fma(x, 1, 0) is x + 0 (-0 becomes +0): randn's default, one cheap pass
        return np.concatenate([radius * cos_t + _f32(0.0), radius * sin_t + _f32(0.0)], axis=1)
    return np.concatenate([_fma32(radius * cos_t, std32, mean32), _fma32(radius * sin_t, std32, mean32)],
                          axis=1)


def _normal_blocks(gen: Generator, count: int, dt: np.dtype, mean: float, std: float,
                   avx2: bool = True) -> np.ndarray:
    """normal_fill for contiguous tensors with numel >= 16 (see the module docstring)."""
    full = count // 16 * 16
    if dt == np.float64:
        draw = _unit_double
    else:
        draw = _unit_float
    head = draw(gen, count if dt != np.float16 else full)
    blocks = _box_muller_16(head[:full].reshape(-1, 16), mean, std, avx2).reshape(-1)
    if count == full:
        return blocks
    out = np.empty(count, blocks.dtype)
    out[:full] = blocks
    out[count - 16:] = _box_muller_16(draw(gen, 16).reshape(1, 16), mean, std, avx2).reshape(-1)
    return out


def _box_muller_pairs(u: np.ndarray) -> np.ndarray:
    """normal_distribution<double>'s samples from pairs of double uniforms ``(u0, u1)``: ``r cos(theta)``
    then ``r sin(theta)``, ``r = sqrt(-2 log1p(-u1))``, ``theta = 2 pi u0`` (libm's functions)."""
    kernels = compiled_kernels()
    if kernels is not None:
        return kernels.box_muller_pairs(u)
    radius = np.sqrt(-2.0 * _log1p(-u[1::2]))
    theta = 2.0 * math.pi * u[0::2]
    return np.stack([radius * _cos(theta), radius * _sin(theta)], axis=1).reshape(-1)


def _normal_scalar(gen: Generator, count: int, mean: float, std: float, fused: bool = True) -> np.ndarray:
    """normal_distribution<double> per element with the generator's cached second sample.

    The sample becomes ``sample * std + mean`` (transformation::normal), fused into one rounding by
    the AVX2 kernel's FMA contraction and rounded twice by the DEFAULT kernel (``fused``).
    """
    raw = np.empty(count, np.float64)
    start = 0
    if gen._next_double is not None:
        raw[0] = gen._next_double
        gen._next_double = None
        start = 1
    pairs = (count - start + 1) // 2
    if pairs:
        both = _box_muller_pairs(_unit_double(gen, 2 * pairs))
        raw[start:] = both[:count - start]
        if (count - start) % 2:
            gen._next_double = float(both[-1])
    return _fma(raw, std, mean) if fused else raw * std + mean


def _cast_from_int64(values: np.ndarray, dt: np.dtype) -> np.ndarray:
    """static_cast<scalar_t>(int64_t): float16 goes through float, narrow ints wrap."""
    if dt == np.float16:
        with np.errstate(over="ignore"):  # out-of-range values become inf, as in c10::Half
            return values.astype(np.float32).astype(np.float16)
    return values.astype(dt)


def _float_roundtrip(value: int, dt: np.dtype) -> int:
    """static_cast<int64_t>(static_cast<scalar_t>(value)) as on x86 (out of range -> INT64_MIN)."""
    as_float = float(_cast_from_int64(np.array([value], np.int64), dt)[0])
    return int(as_float) if -2.0 ** 63 <= as_float < 2.0 ** 63 else -(1 << 63)


def _update_from_to(low: int, high: int, dt: np.dtype) -> tuple[int, int]:
    """update_from / update_to of random_from_to_impl for floating dtypes."""
    digits = np.finfo(dt).nmant + 1
    from_plus_1 = _float_roundtrip(low + 1, dt)
    if from_plus_1 < low:
        low = from_plus_1 + (1 << (abs(low + 1).bit_length() - 1 - digits + 1))
    to_minus_1 = _float_roundtrip(high - 1, dt)
    if to_minus_1 >= high:
        high = to_minus_1 - (1 << (abs(high - 1).bit_length() - 1 - digits + 1))
    if not low < high:
        raise RuntimeError("random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, "
                           f"but got from={low} >= to={high}")
    return low, high


def _check_random_bounds(low: int, high_inc: int, dt: np.dtype) -> None:
    """check_from_to_in_range, including the precision warning for floating dtypes."""
    if dt.name in _FLOATS:
        lo_lim, hi_lim = _float_limits(dt)
        _check_in(low, "from", lo_lim, hi_lim, dt)
        _check_in(high_inc, "to - 1", lo_lim, hi_lim, dt)
        digits = np.finfo(dt).nmant + 1
        for value, name in ((low, "from"), (high_inc, "to - 1")):
            if not -(1 << digits) <= value <= (1 << digits):
                warnings.warn(f"{name} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision "
                              f"limitations {_META_NAMES[dt.name]} can support discrete uniform distribution "
                              "only within this range. This warning will become an error in version 1.7 "
                              "release, please fix the code in advance", UserWarning, stacklevel=3)
    elif dt.name in _INTEGRAL:
        if dt == np.uint64:
            lo_lim, hi_lim = 0, (1 << 63) - 1
        elif dt == np.bool_:
            lo_lim, hi_lim = 0, 1
        else:
            lo_lim, hi_lim = int(np.iinfo(dt).min), int(np.iinfo(dt).max)
        _check_in(low, "from", lo_lim, hi_lim, dt)
        _check_in(high_inc, "to - 1", lo_lim, hi_lim, dt)
    else:
        raise RuntimeError("check_random_bounds handles only integral, floating-point and boolean types")


def randint(low: int, high: int, shape: Sequence[int], array_dtype: np.dtype | type | str = np.int64,
            generator: Generator | None = None) -> np.ndarray:
    """``torch.randint(low, high, shape)`` (``Tensor.random_(low, high)``) values in C order."""
    dt = np.dtype(array_dtype)
    shape = tuple(shape)
    low, high = int(low), int(high)
    for value in (low, high):
        if not -(1 << 63) <= value < (1 << 63):
            raise ValueError("Overflow when unpacking long long")
    if not low < high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    if dt.name in _FLOATS:
        low, high = _update_from_to(low, high, dt)
    _check_random_bounds(low, high - 1, dt)
    count = _numel(shape)
    span = high - low
    gen = _resolve(generator)
    if span >= 1 << 28:  # "allow approx 5% skew" (the FBCODE build uses 2**32 for some dtypes)
        raw = random64(count, gen)
    else:
        raw = gen._words(count)
    values = (raw % np.uint64(span) + np.uint64(low % (1 << 64))).view(np.int64)
    return _cast_from_int64(values, dt).reshape(shape)


def randperm(n: int, array_dtype: np.dtype | type | str = np.int64,
             generator: Generator | None = None) -> np.ndarray:
    """``torch.randperm(n)``: swap shuffle for ``n < 2**32 // 20``, inside-out shuffle beyond (slow here)."""
    dt = np.dtype(array_dtype)
    n = int(n)
    _numel((n,))
    if dt.name not in _RANDPERM_TYPES:
        raise _unsupported("randperm", dt)
    if dt.kind in "iu" and dt != np.int64 and max(n - 1, 0) > np.iinfo(dt).max:
        raise RuntimeError(f"value cannot be converted to type {dt.name}_t without overflow")
    digits = {"float16": (2049, "2049 for Half"), "float32": ((1 << 24) + 1, "2^24+1 for Float"),
              "float64": ((1 << 53) + 1, "2^53+1 for Double")}.get(dt.name)
    if digits is not None and n > digits[0]:
        raise RuntimeError(f"n cannot be greater than {digits[1]} type.")
    gen = _resolve(generator)
    if n < _RANDPERM_SMALL_LIMIT:
        perm = list(range(n))
        offsets = (gen._words(n - 1) % np.arange(n, 1, -1, dtype=np.uint64)).tolist()
        for i, offset in enumerate(offsets):
            j = i + offset
            perm[i], perm[j] = perm[j], perm[i]
        result = np.array(perm, dtype=np.int64)
    else:
        picks = (random64(n, gen) % np.arange(1, n + 1, dtype=np.uint64)).tolist()
        result = np.empty(n, np.int64)
        for i, z in enumerate(picks):
            result[i] = result[z]
            result[z] = i
    return result.astype(dt)


def bernoulli(p: float | np.ndarray, shape: Sequence[int], array_dtype: np.dtype | type | str,
              generator: Generator | None = None) -> np.ndarray:
    """``Tensor.bernoulli_(p)`` / ``torch.bernoulli(p)`` values in C order: ``uniform < p``.

    A Python float ``p`` (``bernoulli_(float)``, dropout masks) draws double uniforms, or, where
    :func:`reftorch._random.cpu.bernoulli_uses_mkl` holds (never for torch 2.13), takes one word as
    the seed of MKL's MCG31 ``viRngBernoulli`` (:func:`reftorch._random.mkl.bernoulli_icdf`). An array
    ``p`` (``torch.bernoulli(p)``) is broadcast to ``shape``; float64 arrays draw double uniforms,
    float32/float16 arrays float uniforms. An element of ``p`` outside [0, 1] raises after the
    elements before it consumed their draws, like torch.
    """
    dt = np.dtype(array_dtype)
    shape = tuple(shape)
    if isinstance(p, np.ndarray):
        if dt.name not in _INTEGRAL[:6] + _FLOATS:
            raise _unsupported("bernoulli_tensor_cpu_self_", dt)
        if p.dtype.name not in _FLOATS:
            raise _unsupported("bernoulli_tensor_cpu_p_", p.dtype)
        count = _numel(shape)
        if count == 0:
            return np.zeros(shape, dt)
        try:
            probs = np.broadcast_to(p, shape).reshape(-1)
        except ValueError:
            raise RuntimeError(_expand_message(p.shape, shape)) from None
        gen = _resolve(generator)
        bad = np.flatnonzero(~((probs >= 0) & (probs <= 1)))
        if bad.size:
            if p.dtype == np.float64:
                _unit_double(gen, int(bad[0]))
            else:
                _unit_float(gen, int(bad[0]))
            raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this "
                               "error message be improved?  If so, please report an enhancement request to "
                               "PyTorch.)")
        if p.dtype == np.float64:
            hits = _unit_double(gen, count) < probs
        else:
            hits = _unit_float(gen, count) < probs.astype(np.float32)
        return hits.astype(dt).reshape(shape)
    p = float(p)
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={_fmt(p)}")
    if dt.name not in _INTEGRAL[:6] + _FLOATS:
        raise _unsupported("bernoulli_scalar_cpu_", dt)
    count = _numel(shape)
    gen = _resolve(generator)
    if cpu.bernoulli_uses_mkl():
        # seed = generator->random(); viRngBernoulli on VSL_BRNG_MCG31(seed), chunked with skip-ahead
        seed_word = int(gen._words(1)[0])
        hits = mkl.bernoulli_icdf(seed_word, count, p, cpu.mkl_uniform_kernel())
        return hits.astype(dt).reshape(shape)
    return (_unit_double(gen, count) < p).astype(dt).reshape(shape)


def _expand_message(have: tuple[int, ...], want: tuple[int, ...]) -> str:
    """The error of ``expand`` (inferExpandGeometry) when ``have`` cannot broadcast to ``want``."""
    if len(want) < len(have):
        return (f"expand: the number of sizes provided ({len(want)}) must be greater or equal to the number "
                f"of dimensions in the tensor ({len(have)})")
    for i in range(len(want) - 1, -1, -1):
        dim = i - (len(want) - len(have))
        size = have[dim] if dim >= 0 else 1
        if size not in (1, want[i]):
            return (f"The expanded size of the tensor ({want[i]}) must match the existing size ({size}) at "
                    f"non-singleton dimension {i}.  Target sizes: [{', '.join(map(str, want))}].  "
                    f"Tensor sizes: [{', '.join(map(str, have))}]")
    return f"cannot expand {list(have)} to {list(want)}"


default_generator: Generator = Generator()
default_generator.seed()  # torch seeds its default CPU generator from a non-deterministic source


def install_default_generator(gen: Generator) -> None:
    """Make ``gen`` the generator that draws with ``generator=None`` use (reftorch.random installs its
    tensor-speaking subclass here, carrying over this module's non-deterministic seed)."""
    global default_generator
    Generator.set_state(gen, Generator.get_state(default_generator))
    default_generator = gen
