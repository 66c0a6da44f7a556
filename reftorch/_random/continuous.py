"""Per-element CPU distributions and ``torch.multinomial``, bit for bit with torch's CPU generator.

Sources mirrored (torch 2.13, x86-64 AVX2 build, GCC 13 with FMA contraction):

* aten/src/ATen/native/DistributionTemplates.h -- argument checks (``exponential_impl_``,
  ``cauchy_impl_``, ``log_normal_impl_``, ``geometric_impl_``): parameter check, then
  ``CHECK_EMPTY_AND_RETURN``, then the TensorIterator (the ``checked`` callback here), then the kernel.
* aten/src/ATen/native/cpu/DistributionTemplates.h -- the kernels: one ``cpu_serial_kernel`` pass
  in iteration order drawing ``at::<name>_distribution<double>`` per element, the double result cast
  with ``static_cast<scalar_t>`` (``c10::Half`` from a double goes through float). The installed
  build runs this default code for ``exponential_`` (the MKL ``vdRngExponential`` route of some
  versions is compiled only under ``FBCODE_CAFFE2``): one double uniform per element, checked by
  counting the words consumed.
* aten/src/ATen/core/DistributionsHelper.h and TransformationHelper.h -- the formulas, in double:
  ``exponential = -1.0 / lambda * log1p(-u)``, ``cauchy = fma(sigma, tan(pi * (u - 0.5)), median)``
  (GCC contracts ``median + sigma * tan(...)``), ``geometric = ceil(log(u) / log1p(-p))``,
  ``log_normal = exp(fma(z, std, mean))`` with ``z`` from ``normal_distribution<double>`` (the
  cached Box-Muller pair shared with ``randn``). ``u`` is ``uniform_real_distribution<double>(0, 1)``
  (53 bits of ``random64()``: two words).
* aten/src/ATen/native/Distributions.cpp ``multinomial_out`` and cpu/MultinomialKernel.cpp.

Words consumed: ``exponential``/``cauchy``/``geometric``: 2 per element. ``log_normal``: 4 per
Box-Muller pair, a pending cached sample used first and an odd leftover cached (like ``randn`` on
fewer than 16 elements). ``multinomial``: without replacement or with ``num_samples == 1``, 2 per
element of ``probs``; with replacement and ``num_samples >= 2``, 2 per sample, row by row.

libm calls go to the C library torch calls (glibc): through Python's ``math`` functions where they
cannot raise (``log1p`` on (-1, 0], ``log`` on (0, 1), ``exp`` short of overflow), through ctypes
otherwise; ``std::fma`` is emulated exactly (see ``_fma``). Every value, the words consumed and the
errors were checked equal to the installed torch (tests/test_random_continuous.py); nothing here is
approximate. What ties this to that build: glibc's libm, x86-64's ``cvttsd2si`` for out-of-range
integer results of ``geometric_``, and libstdc++'s sorting algorithms, which order equal values in
``multinomial``'s ``topk``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from . import (
    _FLOATS,
    _META_NAMES,
    _SCALAR_NAMES,
    Generator,
    _fma,
    _fmt,
    _libm,
    _normal_scalar,
    _numel,
    _resolve,
    _unit_double,
    _unsupported,
)

__all__ = ["cauchy", "exponential", "geometric", "log_normal", "multinomial"]

# caffe2::TypeMeta names that reftorch._random's table leaves out (cauchy_ prints self.dtype()).
_TYPE_META = {**_META_NAMES, "complex64": "c10::complex<float>", "complex128": "c10::complex<double>"}
_GEOMETRIC_TYPES = ("uint8", "int8", "int16", "int32", "int64") + _FLOATS


def _scalar_name(dt: np.dtype) -> str:
    return _SCALAR_NAMES.get(dt.name, dt.name)


def _log_with_zero(x: np.ndarray) -> np.ndarray:
    """glibc ``log`` on [0, 1): ``log(0) = -inf`` (Python's ``math.log`` raises there)."""
    zero = x == 0
    out = _libm("log", np.where(zero, 1.0, x))
    out[zero] = -np.inf
    return out


# -- helpers ---------------------------------------------------------------------------------------------------
def _cast(values: np.ndarray, dt: np.dtype) -> np.ndarray:
    """``static_cast<scalar_t>(double)`` on x86-64 as GCC compiles it.

    ``c10::Half`` converts through float. Integers truncate with ``cvttsd2si``: int64 takes the 64-bit
    form (NaN or out of range -> INT64_MIN); int32, int16, int8 and uint8 take the 32-bit form
    (NaN or out of range -> INT32_MIN) and keep the low bits.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        if dt == np.float16:
            return values.astype(np.float32).astype(np.float16)
        if dt.kind == "f":
            return values.astype(dt)
        bits = 64 if dt == np.int64 else 32
        limit = 2.0 ** (bits - 1)
        fits = (values >= -limit) & (values < limit)  # False for NaN
        whole = np.where(fits, values, 0.0).astype(np.int64)
        whole[~fits] = -(1 << (bits - 1))
        return whole.astype(dt)


def _empty_result(shape: tuple[int, ...], dt: np.dtype) -> np.ndarray:
    return np.zeros(shape, dt)


# -- the per-element distributions -----------------------------------------------------------------------------
def exponential(shape: Sequence[int], array_dtype: np.dtype | type | str, generator: Generator | None = None,
                lambd: float = 1.0, checked: Callable[[], None] | None = None) -> np.ndarray:
    """``Tensor.exponential_(lambd)`` values in C order: ``-1.0 / lambd * log1p(-u)`` in double.

    Checks as ``exponential_impl_`` (DistributionTemplates.h): ``lambd > 0`` (``inf`` is allowed and
    gives zeros), an empty shape returns before anything else (any dtype), then ``checked``, then the
    kernel's floating-point check (cpu/DistributionTemplates.h ``exponential_kernel``).
    Two words per element.
    """
    dt = np.dtype(array_dtype)
    shape = tuple(shape)
    count = _numel(shape)
    lambd = float(lambd)
    if not lambd > 0.0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={_fmt(lambd)}")
    if count == 0:
        return _empty_result(shape, dt)
    if checked is not None:
        checked()
    if dt.name not in _FLOATS:
        raise RuntimeError("Exponential distribution is a continuous probability distribution. dtype must be a "
                           f"floating point but you specified {_scalar_name(dt)}")
    u = _unit_double(_resolve(generator), count)
    return _cast((-1.0 / lambd) * _libm("log1p", -u), dt).reshape(shape)


def cauchy(shape: Sequence[int], array_dtype: np.dtype | type | str, generator: Generator | None = None,
           median: float = 0.0, sigma: float = 1.0, checked: Callable[[], None] | None = None) -> np.ndarray:
    """``Tensor.cauchy_(median, sigma)`` values in C order: ``fma(sigma, tan(pi * (u - 0.5)), median)``.

    ``cauchy_distribution<double>`` uses TransformationHelper.h's double specialisation (no clipping of
    ``u``); the sum is contracted into an FMA in the AVX2 kernel. Checks as ``cauchy_impl_``:
    ``sigma > 0``, then the floating-point check (before the empty return, so an empty integer
    tensor raises too; the message names the caffe2 type, e.g. ``long int``), then ``checked``.
    Two words per element.
    """
    dt = np.dtype(array_dtype)
    shape = tuple(shape)
    count = _numel(shape)
    median, sigma = float(median), float(sigma)
    if not sigma > 0.0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={_fmt(sigma)}")
    if dt.name not in _FLOATS:
        raise RuntimeError("Cauchy distribution is a continuous probability distribution. dtype must be a floating "
                           f"point but you specified {_TYPE_META.get(dt.name, dt.name)}")
    if count == 0:
        return _empty_result(shape, dt)
    if checked is not None:
        checked()
    u = _unit_double(_resolve(generator), count)
    return _cast(_fma(_libm("tan", math.pi * (u - 0.5)), sigma, median), dt).reshape(shape)


def log_normal(shape: Sequence[int], array_dtype: np.dtype | type | str, generator: Generator | None = None,
               mean: float = 1.0, std: float = 2.0, checked: Callable[[], None] | None = None) -> np.ndarray:
    """``Tensor.log_normal_(mean, std)`` values in C order: ``exp(fma(z, std, mean))``.

    ``z`` is ``normal_distribution<double>``'s standard sample: a pending cached sample of the generator
    first, then pairs ``r cos``/``r sin`` from two double uniforms (four words), an odd last ``r sin``
    left cached for the next normal draw. Checks as ``log_normal_impl_``: ``std > 0``, empty return,
    ``checked``, then the dtype dispatch (``"log_normal_cpu" not implemented for 'Long'``).
    """
    dt = np.dtype(array_dtype)
    shape = tuple(shape)
    count = _numel(shape)
    mean, std = float(mean), float(std)
    if not std > 0.0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={_fmt(std)}")
    if count == 0:
        return _empty_result(shape, dt)
    if checked is not None:
        checked()
    if dt.name not in _FLOATS:
        raise _unsupported("log_normal_cpu", dt)
    z = _normal_scalar(_resolve(generator), count, 0.0, 1.0)  # fma(z, 1, 0) is returned as z itself
    return _cast(_libm("exp", _fma(z, std, mean)), dt).reshape(shape)


def geometric(shape: Sequence[int], array_dtype: np.dtype | type | str, generator: Generator | None = None,
              p: float = 0.5, checked: Callable[[], None] | None = None) -> np.ndarray:
    """``Tensor.geometric_(p)`` values in C order: ``ceil(log(u) / log1p(-p))`` in double, then cast.

    Floating dtypes and uint8/int8/int16/int32/int64 (``AT_DISPATCH_ALL_TYPES_AND2(Half, BFloat16)``);
    bool and uint16/32/64 raise ``"geometric_cpu" not implemented``. Integer results that do not fit
    convert as x86 does (see ``_cast``): int64 -> INT64_MIN, narrower types -> the low bits of
    INT32_MIN. Checks as ``geometric_impl_``: ``0 < p < 1``, empty return, ``checked``, dispatch.
    Two words per element.
    """
    dt = np.dtype(array_dtype)
    shape = tuple(shape)
    count = _numel(shape)
    p = float(p)
    if not 0.0 < p < 1.0:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={_fmt(p)}")
    if count == 0:
        return _empty_result(shape, dt)
    if checked is not None:
        checked()
    if dt.name not in _GEOMETRIC_TYPES:
        raise _unsupported("geometric_cpu", dt)
    u = _unit_double(_resolve(generator), count)
    with np.errstate(divide="ignore"):
        values = np.ceil(_log_with_zero(u) / math.log1p(-p))
    return _cast(values, dt).reshape(shape)


# -- multinomial -------------------------------------------------------------------------------------------------
_FLOAT32_MAX_CONSECUTIVE_INT = 1 << 24
_NEG_MESSAGE = "invalid multinomial distribution (encountering probability entry < 0)"
_INF_MESSAGE = "invalid multinomial distribution (encountering probability entry = infinity or NaN)"
_SUM_MESSAGE = "invalid multinomial distribution (sum of probabilities <= 0)"


def multinomial(probs: np.ndarray, num_samples: int, replacement: bool = False,
                generator: Generator | None = None) -> np.ndarray:
    """``torch.multinomial(probs, num_samples, replacement)`` as an int64 array.

    Checks in ``multinomial_out``'s order (Distributions.cpp): 1-D or 2-D, a floating dtype,
    ``num_samples > 0``, ``num_samples <= categories`` without replacement, at most 2**24 categories;
    an empty result returns here.

    Without replacement, or with ``num_samples == 1``: ``aminmax`` (an error for zero categories),
    every entry finite and ``>= 0`` and no all-zero row, then ``q = empty_like(probs).exponential_(1)``
    (drawn in the memory order of ``probs``: a dense Fortran-ordered 2-D array keeps its strides, like
    ``empty_like``), ``probs / q`` in the input dtype (float16 divides in float and rounds), then
    ``argmax`` (first maximum) for one sample, else ``topk`` -- reproduced with libstdc++'s
    ``partial_sort``/``nth_element``/``sort`` (aten/src/ATen/native/TopKImpl.h), which decide the
    order of equal values.

    With replacement and ``num_samples >= 2`` (cpu/MultinomialKernel.cpp), row by row: each entry
    checked (``>= 0``, then finite), the cumulative sum in the accumulate type (float for float16),
    divided by the sum, last bucket 1, then per sample a double uniform and the first bucket
    ``>= u``. A bad row raises after the rows before it drew their samples.

    ``num_samples`` is taken with ``int()``; the binding's TypeError for a float or bool is the
    caller's to raise.
    """
    probs = np.asarray(probs)
    dt = probs.dtype
    n_sample = int(num_samples)
    if not 0 < probs.ndim <= 2:
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if dt.name not in _FLOATS:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: {_scalar_name(dt)}")
    if not n_sample > 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    n_categories = probs.shape[-1]
    if not (replacement or n_sample <= n_categories):
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    if n_categories > _FLOAT32_MAX_CONSECUTIVE_INT:
        raise RuntimeError("number of categories cannot exceed 2^24")
    rows = probs.reshape(probs.shape if probs.ndim == 2 else (1, n_categories))
    result_shape = (n_sample,) if probs.ndim == 1 else (probs.shape[0], n_sample)
    if math.prod(result_shape) == 0:
        return np.zeros(result_shape, np.int64)
    gen = _resolve(generator)
    if not replacement or n_sample == 1:
        picks = _multinomial_by_exponentials(probs, rows, n_sample, gen)
    else:
        picks = _multinomial_with_replacement(rows, n_sample, gen)
    return picks.reshape(result_shape)


def _multinomial_by_exponentials(probs: np.ndarray, rows: np.ndarray, n_sample: int,
                                 gen: Generator) -> np.ndarray:
    """The ``!with_replacement || n_sample == 1`` branch of ``multinomial_out``."""
    if probs.size == 0:
        raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
                           "identity.")
    with np.errstate(invalid="ignore"):
        valid = bool(np.max(probs) < np.inf) and bool(np.min(probs) >= 0)  # NaN propagates -> invalid
    if not valid:
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if (rows == 0).all(axis=1).any():
        raise RuntimeError(_SUM_MESSAGE)
    dt = probs.dtype
    if probs.ndim == 2 and probs.flags.f_contiguous and not probs.flags.c_contiguous:
        q = exponential(probs.shape[::-1], dt, gen).T  # empty_like keeps the column-major strides
    else:
        q = exponential(probs.shape, dt, gen)
    q = q.reshape(rows.shape)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if dt == np.float16:
            ratio = (rows.astype(np.float32) / q.astype(np.float32)).astype(np.float16)
        else:
            ratio = rows / q
    ratio = ratio.astype(np.float64)  # exact; orders like the dtype
    if n_sample == 1:
        return np.argmax(ratio, axis=1)[:, None]  # the first maximum, a NaN before anything else
    return np.stack([_topk_largest(row, n_sample) for row in ratio])


def _multinomial_with_replacement(rows: np.ndarray, n_sample: int, gen: Generator) -> np.ndarray:
    """``multinomial_with_replacement_apply`` (cpu/MultinomialKernel.cpp) for ``n_sample >= 2``."""
    acc = np.dtype(np.float32) if rows.dtype == np.float16 else rows.dtype
    out = np.empty((rows.shape[0], n_sample), np.int64)
    for i, row in enumerate(rows):
        values = row.astype(acc)
        with np.errstate(invalid="ignore"):
            bad = ~(values >= 0) | ~np.isfinite(values)
        if bad.any():
            first = values[np.argmax(bad)]
            raise RuntimeError(_NEG_MESSAGE if not first >= 0 else _INF_MESSAGE)
        with np.errstate(over="ignore"):
            cum = np.cumsum(values, dtype=acc)  # sequential float additions, like the kernel's loop
        total = cum[-1] if cum.size else 0.0
        if not total > 0:
            raise RuntimeError(_SUM_MESSAGE)
        with np.errstate(invalid="ignore"):
            cum = (cum / total).astype(np.float64)
        # The kernel binary-searches the first bucket with !(cum < u), the last bucket being 1 > u. After
        # an overflowing sum the buckets read 0 then NaN (inf / inf); NaN and the last bucket compare
        # like +inf, which leaves a sorted array for searchsorted.
        cum[np.isnan(cum)] = np.inf
        cum[-1] = np.inf
        out[i] = np.searchsorted(cum, _unit_double(gen, n_sample), side="left")
    return out


# -- topk: libstdc++ (GCC 13) partial_sort / nth_element / sort with TopKImpl.h's comparator -----------------
def _topk_largest(values: np.ndarray, k: int) -> np.ndarray:
    """Indices of ``topk(values, k, largest=True, sorted=True)`` as ``topk_impl_loop`` returns them.

    When the k largest values are distinct from each other and from the rest, every correct algorithm
    agrees and NumPy's order is used; otherwise the libstdc++ algorithms run on (value, index) pairs,
    since how they move equal values decides which indices come out and in which order.
    """
    n = values.size
    nan = np.isnan(values)
    order = np.lexsort((-np.where(nan, 0.0, values), ~nan))  # NaN first, then descending
    ranked = values[order]
    same = (ranked[1:] == ranked[:-1]) | (np.isnan(ranked[1:]) & np.isnan(ranked[:-1]))
    if not same[:min(k, n - 1)].any():
        return order[:k]
    queue = list(zip(values.tolist(), range(n), strict=True))
    _StlSort(queue).topk(k)
    return np.array([index for _, index in queue[:k]], np.int64)


class _StlSort:
    """libstdc++'s sorting internals (bits/stl_algo.h, bits/stl_heap.h) on a list of (value, index),
    with ``comp(x, y) = (isnan(x) && !isnan(y)) || x > y`` (TopKImpl.h, ``largest``)."""

    def __init__(self, queue: list[tuple[float, int]]) -> None:
        self.q = queue

    @staticmethod
    def comp(x: float, y: float) -> bool:
        return (x != x and y == y) or x > y  # noqa: PLR0124 - x != x is the NaN test

    def topk(self, k: int) -> None:
        """The ``largest`` branch of ``topk_impl_loop`` with ``sorted=True``."""
        n = len(self.q)
        if k * 64 <= n:
            self.partial_sort(0, k, n)
        else:
            self.nth_element(0, k - 1, n)
            self.sort(0, k - 1)

    # stl_heap.h
    def adjust_heap(self, first: int, hole: int, length: int, value: tuple[float, int]) -> None:
        q, comp = self.q, self.comp
        top = hole
        child = hole
        while child < (length - 1) // 2:
            child = 2 * (child + 1)
            if comp(q[first + child][0], q[first + child - 1][0]):
                child -= 1
            q[first + hole] = q[first + child]
            hole = child
        if length % 2 == 0 and child == (length - 2) // 2:
            child = 2 * (child + 1)
            q[first + hole] = q[first + child - 1]
            hole = child - 1
        parent = (hole - 1) // 2  # __push_heap
        while hole > top and comp(q[first + parent][0], value[0]):
            q[first + hole] = q[first + parent]
            hole = parent
            parent = (hole - 1) // 2
        q[first + hole] = value

    def make_heap(self, first: int, last: int) -> None:
        length = last - first
        if length < 2:
            return
        parent = (length - 2) // 2
        while True:
            self.adjust_heap(first, parent, length, self.q[first + parent])
            if parent == 0:
                return
            parent -= 1

    def pop_heap(self, first: int, last: int, result: int) -> None:
        value = self.q[result]
        self.q[result] = self.q[first]
        self.adjust_heap(first, 0, last - first, value)

    def heap_select(self, first: int, middle: int, last: int) -> None:
        self.make_heap(first, middle)
        for i in range(middle, last):
            if self.comp(self.q[i][0], self.q[first][0]):
                self.pop_heap(first, middle, i)

    def sort_heap(self, first: int, last: int) -> None:
        while last - first > 1:
            last -= 1
            self.pop_heap(first, last, last)

    def partial_sort(self, first: int, middle: int, last: int) -> None:
        self.heap_select(first, middle, last)
        self.sort_heap(first, middle)

    # stl_algo.h
    def move_median_to_first(self, result: int, a: int, b: int, c: int) -> None:
        q, comp = self.q, self.comp
        if comp(q[a][0], q[b][0]):
            if comp(q[b][0], q[c][0]):
                pick = b
            elif comp(q[a][0], q[c][0]):
                pick = c
            else:
                pick = a
        elif comp(q[a][0], q[c][0]):
            pick = a
        elif comp(q[b][0], q[c][0]):
            pick = c
        else:
            pick = b
        q[result], q[pick] = q[pick], q[result]

    def unguarded_partition(self, first: int, last: int, pivot: int) -> int:
        q, comp = self.q, self.comp
        while True:
            while comp(q[first][0], q[pivot][0]):
                first += 1
            last -= 1
            while comp(q[pivot][0], q[last][0]):
                last -= 1
            if not first < last:
                return first
            q[first], q[last] = q[last], q[first]
            first += 1

    def unguarded_partition_pivot(self, first: int, last: int) -> int:
        mid = first + (last - first) // 2
        self.move_median_to_first(first, first + 1, mid, last - 1)
        return self.unguarded_partition(first + 1, last, first)

    def unguarded_linear_insert(self, last: int) -> None:
        q, comp = self.q, self.comp
        value = q[last]
        prev = last - 1
        while comp(value[0], q[prev][0]):
            q[last] = q[prev]
            last = prev
            prev -= 1
        q[last] = value

    def insertion_sort(self, first: int, last: int) -> None:
        if first == last:
            return
        q = self.q
        for i in range(first + 1, last):
            if self.comp(q[i][0], q[first][0]):
                value = q[i]
                q[first + 1:i + 1] = q[first:i]
                q[first] = value
            else:
                self.unguarded_linear_insert(i)

    def final_insertion_sort(self, first: int, last: int) -> None:
        if last - first > 16:
            self.insertion_sort(first, first + 16)
            for i in range(first + 16, last):
                self.unguarded_linear_insert(i)
        else:
            self.insertion_sort(first, last)

    def introsort_loop(self, first: int, last: int, depth: int) -> None:
        while last - first > 16:
            if depth == 0:
                self.partial_sort(first, last, last)
                return
            depth -= 1
            cut = self.unguarded_partition_pivot(first, last)
            self.introsort_loop(cut, last, depth)
            last = cut

    def sort(self, first: int, last: int) -> None:
        if first != last:
            self.introsort_loop(first, last, 2 * ((last - first).bit_length() - 1))
            self.final_insertion_sort(first, last)

    def nth_element(self, first: int, nth: int, last: int) -> None:
        if first == last or nth == last:
            return
        depth = 2 * ((last - first).bit_length() - 1)
        while last - first > 3:
            if depth == 0:
                self.heap_select(first, nth + 1, last)
                self.q[first], self.q[nth] = self.q[nth], self.q[first]
                return
            depth -= 1
            cut = self.unguarded_partition_pivot(first, last)
            if cut <= nth:
                first = cut
            else:
                last = cut
        self.insertion_sort(first, last)
