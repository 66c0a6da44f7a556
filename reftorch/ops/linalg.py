"""Matrix products: ``matmul`` (and the ``@`` operator), ``mm``, ``bmm``, ``mv``, ``dot``, ``outer``,
``addmm``, ``trace`` and ``einsum``, as ATen computes them (aten/src/ATen/native/LinearAlgebra.cpp,
Linear.cpp, torch/functional.py).

``matmul`` follows ATen's ``_matmul_impl`` case by case (dot, mv, mm, folding a batched operand
into a matrix, or broadcast ``bmm``), so its results, dtypes and error messages are those of the
primitive torch reaches. The primitives require equal dtypes (no promotion) and refuse bool.
Integer products wrap like torch's (computed in int64, then cast); float16 accumulates in float32.
Results are fresh contiguous tensors, except ``einsum`` results that torch returns as views.

Each primitive is a registry record with torch's node (``MmBackward0``, ``BmmBackward0``,
``MvBackward0``, ``DotBackward0``, ``AddmmBackward0``, ``TraceBackward0``; formulas in
autograd/derivatives/linalg.py); ``matmul``, ``outer`` and ``einsum`` are composites (torch's
CompositeImplicitAutograd) that record the graph of the ops their dispatch reaches (a 1-D left operand
ends in ``SqueezeBackward4``, folded and broadcast products in ``UnsafeViewBackward0``). ``torch.einsum``
is torch/functional.py's Python wrapper over ``_VF.einsum`` (:data:`vf`).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

from .. import _dtype as D
from .._tensor import Tensor
from ._inplace import store
from ._scalars import checked_scalar
from ._util import broadcast_shapes, result_tensor, same_device
from .registry import aten, call, functions, register, vf
from .views import diagonal


def _no_bool(dtype: D.dtype, kernel: str) -> None:
    if dtype is D.bool:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _is_trivial(result_numel: int, inner: int) -> bool:
    """torch's kernels return zeros (or nothing) without dispatching on the dtype when the result is
    empty or the contracted size is 0, so bool inputs pass there."""
    return result_numel == 0 or inner == 0


def _compute_dtype(dtype: D.dtype) -> str | None:
    """The NumPy dtype products are computed in: int64 for integers (wrapping like torch's integer
    kernels), float32 for float16 (torch's CPU accumulation type); None keeps the input dtype."""
    if dtype.category == D.INTEGER:
        return "int64"
    return "float32" if dtype is D.float16 else None


def _product(a: Tensor, b: Tensor) -> Any:
    """``a @ b`` on the backend arrays (same dtype), in torch's accumulation dtype."""
    xp = a._backend.xp
    compute = _compute_dtype(a._dtype)
    x, y = (a._array, b._array) if compute is None else (a._array.astype(compute), b._array.astype(compute))
    with xp.errstate(all="ignore"):
        return xp.matmul(x, y)


def _fresh_product(a: Tensor, b: Tensor) -> Tensor:
    """The fresh product ``a @ b`` in ``a``'s dtype."""
    return result_tensor(_product(a, b), a._dtype, a)


def _matrix_str(m: Tensor) -> str:
    return f"{m._shape[0]}x{m._shape[1]}"


def _no_out_dtype(name: str) -> Any:
    """The ``out_dtype`` overload of ``mm``/``bmm``/``addmm``: torch's CPU build has no kernel for it."""
    def kernel(*args: Any) -> Tensor:
        raise NotImplementedError(
            f"Could not run 'aten::{name}.dtype' with arguments from the 'CPU' backend. This could be because the "
            "operator doesn't exist for this backend, or was omitted during the selective/custom build process "
            "(if using custom build).")

    kernel.__doc__ = f"``torch.{name}(..., out_dtype)``: CUDA only in torch (NotImplementedError on CPU)."
    return kernel


@register("mm", "mm(Tensor input, Tensor mat2, *, Tensor out=None)", node="MmBackward0")
def mm(self: Tensor, mat2: Tensor) -> Tensor:
    """``torch.mm``: the product of two matrices of the same dtype."""
    same_device([self, mat2])
    if self.dim() != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.dim() != 2:
        raise RuntimeError("mat2 must be a matrix")
    if self._shape[1] != mat2._shape[0]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({_matrix_str(self)} and {_matrix_str(mat2)})")
    if self._dtype is not mat2._dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {self._dtype.demangled_name} != "
            f"{mat2._dtype.demangled_name}")
    if not _is_trivial(self._shape[0] * mat2._shape[1], self._shape[1]):
        _no_bool(self._dtype, "addmm_impl_cpu_")
    return _fresh_product(self, mat2)


register("mm.dtype", "mm(Tensor input, Tensor mat2, ScalarType out_dtype, *, Tensor out=None)", method=False)(
    _no_out_dtype("mm"))


@register("bmm", "bmm(Tensor input, Tensor mat2, *, Tensor out=None)", node="BmmBackward0")
def bmm(self: Tensor, mat2: Tensor) -> Tensor:
    """``torch.bmm``: batched products of (b, n, m) and (b, m, p) tensors of the same dtype."""
    same_device([self, mat2])
    if self.dim() != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.dim() != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    batch, _, inner = self._shape
    if mat2._shape[:2] != (batch, inner):
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{batch}, {inner}] but got: "
            f"[{mat2._shape[0]}, {mat2._shape[1]}].")
    if _is_trivial(batch * self._shape[1] * mat2._shape[2], inner):
        # no kernel runs: zeros of batch2's dtype, whatever batch1's
        shape = (batch, self._shape[1], mat2._shape[2])
        return result_tensor(self._backend.xp.zeros(shape), mat2._dtype, mat2)
    if self._dtype is not mat2._dtype:
        raise RuntimeError(
            f"expected scalar type {self._dtype.scalar_name} but found {mat2._dtype.scalar_name}")
    _no_bool(self._dtype, "bmm")
    return _fresh_product(self, mat2)


register("bmm.dtype", "bmm(Tensor input, Tensor mat2, ScalarType out_dtype, *, Tensor out=None)", method=False)(
    _no_out_dtype("bmm"))


@register("mv", "mv(Tensor input, Tensor vec, *, Tensor out=None)", node="MvBackward0")
def mv(self: Tensor, vec: Tensor) -> Tensor:
    """``torch.mv``: matrix @ vector (same dtype)."""
    same_device([self, vec])
    if self.dim() == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    if self.dim() != 2 or vec.dim() != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {self.dim()}, {vec.dim()}")
    rows, cols = self._shape
    if cols != vec._shape[0]:
        raise RuntimeError(f"size mismatch, got input ({rows}), mat ({rows}x{cols}), vec ({vec._shape[0]})")
    if self._dtype is not vec._dtype:
        # torch allocates the result with vec's dtype and names (result, mat, vec)
        raise RuntimeError(
            f"addmv input tensors must have the same dtype, but got {vec._dtype.scalar_name}, "
            f"{self._dtype.scalar_name}, and {vec._dtype.scalar_name}")
    if not _is_trivial(rows, cols):
        _no_bool(self._dtype, "addmv_impl_cpu")
    return _fresh_product(self, vec)


@register("dot", "dot(Tensor input, Tensor tensor, *, Tensor out=None)", node="DotBackward0")
def dot(self: Tensor, tensor: Tensor) -> Tensor:
    """``torch.dot``: the inner product of two 1-D tensors of the same dtype and size (no conjugation)."""
    same_device([self, tensor])
    if self.dim() != 1 or tensor.dim() != 1:
        raise RuntimeError(f"1D tensors expected, but got {self.dim()}D and {tensor.dim()}D tensors")
    if self._dtype is not tensor._dtype:
        raise RuntimeError(
            f"dot : expected both vectors to have same dtype, but found {self._dtype.scalar_name} and "
            f"{tensor._dtype.scalar_name}")
    n, m = self._shape[0], tensor._shape[0]
    if n != m:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the same number of "
            f"elements, but got {n} and {m} elements respectively")
    _no_bool(self._dtype, "dot")
    return _fresh_product(self, tensor)


@register("outer", "outer(Tensor input, Tensor vec2, *, Tensor out=None)", composite=True)
def outer(self: Tensor, vec2: Tensor) -> Tensor:
    """``torch.outer``: ``input.reshape(-1, 1) * vec2`` with type promotion."""
    for name, v in (("self", self), ("vec2", vec2)):
        if v.dim() != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {v.dim()}-D")
    return functions.mul(aten.reshape(self, (-1, 1)), vec2)


register("ger", "ger(Tensor input, Tensor vec2, *, Tensor out=None)", composite=True)(
    lambda self, vec2: outer(self, vec2))


def _should_fold(tensor1: Tensor, tensor2: Tensor) -> bool:
    """ATen's ``should_fold``: multiply a >= 3-D operand as one matrix when its batch dims are
    contiguous (or the other operand requires grad)."""
    larger = tensor1.dim() >= tensor2.dim()
    t1 = tensor1 if larger else tensor2.mT
    dim_t2 = tensor2.dim() if larger else tensor1.dim()
    if not (t1.dim() >= 3 and dim_t2 <= 2):
        return False
    if (tensor2 if larger else tensor1).requires_grad:
        return True
    if tensor1.dim() == 2:
        return False
    if t1.numel() == 0:
        return True
    return all(t1._stride[i] == t1._stride[i + 1] * t1._shape[i + 1] for i in range(t1.dim() - 2))


def _folded_matmul(tensor1: Tensor, tensor2: Tensor) -> Tensor:
    transpose = tensor2.dim() > tensor1.dim()
    t1 = tensor2.mT if transpose else tensor1
    t2 = (tensor1.t() if tensor1.dim() == 2 else tensor1) if transpose else tensor2
    output_shape = t1._shape[:-1]
    folded = aten.reshape(t1, (math.prod(output_shape), t1._shape[-1]))
    if t2.dim() != 2:
        return aten._unsafe_view(aten.mv(folded, t2), output_shape)
    output = aten._unsafe_view(aten.mm(folded, t2), output_shape + (t2._shape[1],))
    return output.mT.contiguous() if transpose else output


def _batched_matmul(tensor1: Tensor, tensor2: Tensor) -> Tensor:
    d1, d2 = tensor1.dim(), tensor2.dim()
    n = tensor1._shape[-2] if d1 > 1 else 1
    m1 = tensor1._shape[-1]
    batch1 = tensor1._shape[:max(d1 - 2, 0)]
    m2 = tensor2._shape[-2] if d2 > 1 else tensor2._shape[0]
    p = tensor2._shape[-1] if d2 > 1 else 1
    batch2 = tensor2._shape[:max(d2 - 2, 0)]
    if d1 == 3 and d2 == 3 and batch1[0] != batch2[0]:
        if batch1[0] == 1 and tensor1.requires_grad:
            return matmul(call("squeeze.dim", tensor1, 0), tensor2)
        if batch2[0] == 1 and tensor2.requires_grad:
            return matmul(tensor1, call("squeeze.dim", tensor2, 0))
    batch = broadcast_shapes(batch1, batch2)
    count = math.prod(batch)
    left = aten.reshape(aten.expand(tensor1, batch + (n, m1), False), (count, n, m1))
    if d2 == 1:
        right = aten.unsqueeze(aten.reshape(aten.expand(tensor2, batch + (m2,), False), (count, m2)), 2)
    else:
        right = aten.reshape(aten.expand(tensor2, batch + (m2, p), False), (count, m2, p))
    output_shape = batch + ((n,) if d1 > 1 else ()) + ((p,) if d2 > 1 else ())
    result = aten.bmm(left, right)
    return aten._unsafe_view(call("squeeze.dim", result, -1) if d2 == 1 else result, output_shape)


@register("matmul", "matmul(Tensor input, Tensor other, *, Tensor out=None)", composite=True)
def matmul(self: Tensor, other: Tensor) -> Tensor:
    """``torch.matmul`` / ``@``: dot (1-D @ 1-D), mv, mm (a 1-D left operand is a row), and batched
    products with broadcast batch dims (a 1-D right operand is a column), as ATen's ``_matmul_impl``."""
    same_device([self, other])
    d1, d2 = self.dim(), other.dim()
    if d1 == 0 or d2 == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {d1}D and {d2}D")
    if d1 == 1 and d2 == 1:
        return aten.dot(self, other)
    if d1 == 2 and d2 == 1:
        return aten.mv(self, other)
    if d1 == 1 and d2 == 2:
        return call("squeeze_.dim", aten.mm(aten.unsqueeze(self, 0), other), 0)
    if d1 == 2 and d2 == 2:
        return aten.mm(self, other)
    if _should_fold(self, other):
        return _folded_matmul(self, other)
    return _batched_matmul(self, other)


@register("__rmatmul__", "__rmatmul__(Tensor self, Tensor other)", composite=True, function=False)
def rmatmul(self: Tensor, other: Tensor) -> Tensor:
    """``other @ self`` (torch/_tensor.py): ``torch.matmul(other, self)``."""
    return matmul(other, self)


def _addmm_values(self: Tensor, mat1: Tensor, mat2: Tensor, beta: Any, alpha: Any) -> Any:
    """``beta * input + alpha * (mat1 @ mat2)`` with ATen's checks (input broadcast to the product)."""
    same_device([self, mat1, mat2])
    if self._dtype is not mat2._dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got {self._dtype.scalar_name} and "
                           f"{mat2._dtype.scalar_name}")
    if mat1._dtype is not mat2._dtype:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {mat1._dtype.scalar_name} and "
                           f"{mat2._dtype.scalar_name}")
    for name, m in (("mat1", mat1), ("mat2", mat2)):
        if m.dim() != 2:
            raise RuntimeError(f"{name} must be a matrix, got {m.dim()}-D tensor")
    if mat1._shape[1] != mat2._shape[0]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({_matrix_str(mat1)} and {_matrix_str(mat2)})")
    shape = (mat1._shape[0], mat2._shape[1])
    xp = self._backend.xp
    if len(self._shape) <= 2 and all(a in (1, b) for a, b in zip(reversed(self._shape), reversed(shape))):
        addend = xp.broadcast_to(self._array, shape)
    else:  # expand's error
        addend = aten.expand(self, shape, False)._array
    if self._dtype is D.bool and addend.size:
        if not mat1._shape[1]:
            # torch scales input by beta out of the kernel: an int64 result for a bool output
            raise RuntimeError("result type Long can't be cast to the desired output type Bool")
        _no_bool(self._dtype, "addmm_impl_cpu_")
    dtype = self._dtype
    scale_in, scale_prod = checked_scalar(beta, dtype), checked_scalar(alpha, dtype)
    compute = _compute_dtype(dtype) or addend.dtype
    result = _product(mat1, mat2)  # a fresh array: scaled and added to in place
    with xp.errstate(all="ignore"):
        if scale_prod != 1:  # (a product by exactly 1 changes nothing, NaN and -0 included)
            xp.multiply(result, xp.asarray(scale_prod, dtype=compute), out=result)
        if scale_in != 0:  # beta == 0 ignores input (NaN included)
            addend = addend.astype(compute, copy=False)
            xp.add(result, addend if scale_in == 1 else xp.asarray(scale_in, dtype=compute) * addend, out=result)
    return result


@register("addmm", "addmm(Tensor input, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1, "
          "Tensor out=None)", node="AddmmBackward0")
def addmm(self: Tensor, mat1: Tensor, mat2: Tensor, beta: Any, alpha: Any) -> Tensor:
    """``torch.addmm``: ``beta * input + alpha * (mat1 @ mat2)``; all three share one dtype, ``input``
    broadcasts to the product's shape, ``beta`` and ``alpha`` convert to that dtype with overflow
    checks (floats truncate for integer tensors)."""
    return result_tensor(_addmm_values(self, mat1, mat2, beta, alpha), self._dtype, self)


register("addmm.dtype", "addmm(Tensor input, Tensor mat1, Tensor mat2, ScalarType out_dtype, *, Scalar beta=1, "
         "Scalar alpha=1, Tensor out=None)", method=False)(_no_out_dtype("addmm"))


@register("addmm_", "addmm_(Tensor self, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1)",
          node="AddmmBackward0", inplace=True, function=False)
def addmm_(self: Tensor, mat1: Tensor, mat2: Tensor, beta: Any, alpha: Any) -> Tensor:
    """In-place ``addmm``: ``self`` must already have the product's shape."""
    values = _addmm_values(self, mat1, mat2, beta, alpha)
    if tuple(values.shape) != self._shape:
        raise RuntimeError(f"Bad in-place call: input tensor size [{', '.join(map(str, self._shape))}] and "
                           f"output tensor size [{', '.join(map(str, values.shape))}] should match")
    return store(self, values)


@register("trace", "trace(Tensor input)", node="TraceBackward0")
def trace(self: Tensor) -> Tensor:
    """``torch.trace``: the sum of a matrix's main diagonal (integer inputs give int64)."""
    if self.dim() != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {self.dim()}")
    _no_bool(self._dtype, "trace")
    return diagonal(self, 0, 0, 1).sum(0)


# ----------------------------------------------------------------------------- einsum
def _sumproduct_pair(left: Tensor, right: Tensor, sum_dims: list[int]) -> Tensor:
    """ATen's ``sumproduct_pair`` (keepdim): ``(left * right).sum(sum_dims)`` by permuting both to
    (batch, rows, summed) x (batch, summed, cols) and one ``bmm``; without summed dims a plain
    (type-promoting) multiplication."""
    if not sum_dims:
        return functions.mul(left, right)
    lro, lo, ro = [], [], []
    lro_size = lo_size = ro_size = sum_size = 1
    for i in range(left.dim()):
        sl, sr = left._shape[i] != 1, right._shape[i] != 1
        if i in sum_dims:
            if sl and sr:
                if left._shape[i] != right._shape[i]:
                    raise RuntimeError("non-broadcast dimensions must match")
                sum_size *= left._shape[i]
            elif sl:
                left = left.sum(i, keepdim=True)
            elif sr:
                right = right.sum(i, keepdim=True)
        elif sl and sr:
            if left._shape[i] != right._shape[i]:
                raise RuntimeError("non-broadcast dimensions must match")
            lro.append(i)
            lro_size *= left._shape[i]
        elif sl:
            lo.append(i)
            lo_size *= left._shape[i]
        else:
            ro.append(i)
            ro_size *= right._shape[i]
    if lo and ro and ro[-1] < lo[0]:
        # torch swaps the operands so that bmm produces the output's memory order directly
        left, right, lo, ro, lo_size, ro_size = right, left, ro, lo, ro_size, lo_size
    out_size = tuple([left._shape[d] for d in lro + lo] + [1] * len(sum_dims) + [right._shape[d] for d in ro])
    order = lro + lo + sum_dims + ro
    inverse = [0] * len(order)
    for position, d in enumerate(order):
        inverse[d] = position
    left = functions.reshape(functions.permute(left, order), (lro_size, lo_size, sum_size))
    right = functions.reshape(functions.permute(right, lro + sum_dims + ro + lo), (lro_size, sum_size, ro_size))
    return functions.permute(aten.view(aten.bmm(left, right), out_size), inverse)


_ELLIPSIS = 52


def _label_index(char: str) -> int:
    """Subscripts in [A-Za-z] map to 0..51 (upper case first), as in ATen."""
    return ord(char) - ord("A") if char.isupper() else ord(char) - ord("a") + 26


def _label_char(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else chr(ord("a") + index - 26)


def _is_letter(char: str) -> bool:
    return "a" <= char <= "z" or "A" <= char <= "Z"


def _parse_inputs(lhs: str, num_ops: int) -> list[list[int]]:
    op_labels: list[list[int]] = [[] for _ in range(num_ops)]
    current, ellipsis_seen, i = 0, False, 0
    while i < len(lhs):
        char = lhs[i]
        if char == ".":
            if ellipsis_seen:
                raise RuntimeError(
                    f"einsum(): found '.' for operand {current} for which an ellipsis was already found")
            if not (i + 2 < len(lhs) and lhs[i + 1] == "." and lhs[i + 2] == "."):
                raise RuntimeError(
                    f"einsum(): found '.' for operand {current} that is not part of any ellipsis")
            i += 2
            op_labels[current].append(_ELLIPSIS)
            ellipsis_seen = True
        elif char == ",":
            current += 1
            if current >= num_ops:
                raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
            ellipsis_seen = False
        elif char != " ":
            if not _is_letter(char):
                raise RuntimeError(
                    f"einsum(): invalid subscript given at index {i} in the equation string, subscripts must "
                    "be in [a-zA-Z]")
            op_labels[current].append(_label_index(char))
        i += 1
    if current != num_ops - 1:
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    return op_labels


def _einsum(equation: str, operands: list[Tensor]) -> Tensor:
    """A port of ATen's ``einsum`` (no contraction path: operands are contracted left to right)."""
    num_ops = len(operands)
    if not num_ops:
        raise RuntimeError("einsum(): must provide at least one operand")
    arrow = equation.find("->")
    lhs = equation if arrow < 0 else equation[:arrow]
    op_labels = _parse_inputs(lhs, num_ops)

    label_count = [0] * _ELLIPSIS
    ell_num_dim = 0
    for i, (op, labels) in enumerate(zip(operands, op_labels)):
        nlabels = len(labels)
        has_ellipsis = _ELLIPSIS in labels
        if has_ellipsis:
            nlabels -= 1
            ell_num_dim = max(ell_num_dim, op.dim() - nlabels)
        for label in labels:
            if label != _ELLIPSIS:
                label_count[label] += 1
        if (nlabels > op.dim()) if has_ellipsis else (nlabels != op.dim()):
            relation = "is more than" if has_ellipsis else "does not match"
            suffix = "" if has_ellipsis else " and no ellipsis was given"
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({nlabels}) {relation} the number of "
                f"dimensions ({op.dim()}) for operand {i}{suffix}")

    label_perm, ell_index, out_num_dim, perm_index = _parse_output(equation, arrow, label_count, ell_num_dim)
    tensors, dim_counts = _align_operands(operands, op_labels, label_perm, perm_index, ell_index, ell_num_dim)
    result = _contract(tensors, dim_counts, out_num_dim, perm_index)
    if perm_index > out_num_dim:
        if num_ops > 1:
            return aten.view(result, result._shape[:out_num_dim])
        return result.sum(tuple(range(out_num_dim, perm_index)))
    return result


def _parse_output(equation: str, arrow: int, label_count: list[int], ell_num_dim: int
                  ) -> tuple[list[int], int, int, int]:
    """The aligned position of every label: output labels (explicit after ``->``, else the ellipsis
    then the labels seen once) come first, then the ellipsis if it is summed, then the summed labels.
    Returns (label positions, ellipsis start, number of output dims, total dims)."""
    label_perm = [-1] * _ELLIPSIS
    perm_index = ell_index = 0
    ell_in_output = False
    if arrow < 0:
        perm_index = ell_num_dim
        ell_in_output = True
        for label in range(_ELLIPSIS):
            if label_count[label] == 1:
                label_perm[label] = perm_index
                perm_index += 1
    else:
        rhs = equation[arrow + 2:]
        i = 0
        while i < len(rhs):
            char = rhs[i]
            if char == ".":
                if ell_in_output:
                    raise RuntimeError(
                        "einsum(): found '.' for output but an ellipsis (...) was already found")
                if not (i + 2 < len(rhs) and rhs[i + 1] == "." and rhs[i + 2] == "."):
                    raise RuntimeError(
                        "einsum(): found '.' for output that is not part of any ellipsis (...)")
                i += 2
                ell_index = perm_index
                perm_index += ell_num_dim
                ell_in_output = True
            elif char != " ":
                if not _is_letter(char):
                    raise RuntimeError(
                        f"einsum(): invalid subscript given at index {arrow + 2 + i} in the equation "
                        "string, subscripts must be in [a-zA-Z]")
                label = _label_index(char)
                if label_count[label] == 0 or label_perm[label] != -1:
                    problem = "appears more than once in the output" if label_perm[label] > -1 else \
                        "does not appear in the equation for any input operand"
                    raise RuntimeError(f"einsum(): output subscript {char} {problem}")
                label_perm[label] = perm_index
                perm_index += 1
            i += 1
    out_num_dim = perm_index
    if not ell_in_output:
        ell_index = perm_index
        perm_index += ell_num_dim
    for label in range(_ELLIPSIS):
        if label_count[label] > 0 and label_perm[label] == -1:
            label_perm[label] = perm_index
            perm_index += 1

    return label_perm, ell_index, out_num_dim, perm_index


def _contract(tensors: list[Tensor], dim_counts: list[int], out_num_dim: int, perm_index: int) -> Tensor:
    """Multiply the aligned operands left to right, summing each contracted dim as soon as no later
    operand has it (ATen's loop without a contraction path)."""
    while len(tensors) > 1:
        a, b = tensors.pop(0), tensors.pop(0)
        sum_dims, a_dims, b_dims = [], [], []
        for d in range(out_num_dim, perm_index):
            if a._shape[d] != 1 and b._shape[d] != 1:
                dim_counts[d] -= 1
                if dim_counts[d] == 1:
                    sum_dims.append(d)
                    dim_counts[d] = 0
            elif dim_counts[d] == 1:
                if a._shape[d] != 1:
                    a_dims.append(d)
                    dim_counts[d] = 0
                elif b._shape[d] != 1:
                    b_dims.append(d)
                    dim_counts[d] = 0
        if a_dims:
            a = a.sum(tuple(a_dims), keepdim=True)
        if b_dims:
            b = b.sum(tuple(b_dims), keepdim=True)
        tensors.insert(0, _sumproduct_pair(a, b, sum_dims))
    return tensors[0]


def _align_operands(operands: list[Tensor], op_labels: list[list[int]], label_perm: list[int],
                    perm_index: int, ell_index: int, ell_num_dim: int) -> tuple[list[Tensor], list[int]]:
    """Check sizes, take diagonals of repeated labels and permute/unsqueeze every operand to the
    common label order; also count the operands with a non-1 size in each aligned dim."""
    label_size = [1] * _ELLIPSIS
    ell_sizes = [1] * ell_num_dim
    dim_counts = [0] * perm_index
    aligned = []
    for i, (operand, labels) in enumerate(zip(operands, op_labels)):
        op = operand
        permutation = [-1] * perm_index
        dim = 0
        for label in labels:
            if label == _ELLIPSIS:
                covered = operand.dim() - (len(labels) - 1)
                for j in range(ell_num_dim - covered, ell_num_dim):
                    if op._shape[dim] != 1:
                        if ell_sizes[j] not in (1, op._shape[dim]):
                            raise RuntimeError(
                                f"einsum(): dimension {dim} covered by ellipsis in operand {i}has size "
                                f"{op._shape[dim]} which does not broadcast with previously seen ellipsis "
                                f"with size {ell_sizes[j]} for the respective dimension")
                        ell_sizes[j] = op._shape[dim]
                        dim_counts[ell_index + j] += 1
                    permutation[ell_index + j] = dim
                    dim += 1
            elif permutation[label_perm[label]] == -1:
                if op._shape[dim] != 1:
                    if label_size[label] not in (1, op._shape[dim]):
                        raise RuntimeError(
                            f"einsum(): subscript {_label_char(label)} has size {op._shape[dim]} for operand "
                            f"{i} which does not broadcast with previously seen size {label_size[label]}")
                    label_size[label] = op._shape[dim]
                    dim_counts[label_perm[label]] += 1
                permutation[label_perm[label]] = dim
                dim += 1
            else:
                previous = permutation[label_perm[label]]
                if op._shape[dim] != op._shape[previous]:
                    raise RuntimeError(
                        f"einsum(): subscript {_label_char(label)} is repeated for operand {i} but the sizes "
                        f"don't match, {op._shape[dim]} != {op._shape[previous]}")
                op = functions.movedim(aten.diagonal(op, 0, previous, dim), -1, previous)
        for k, value in enumerate(permutation):
            if value == -1:
                op = aten.unsqueeze(op, dim)
                permutation[k] = dim
                dim += 1
        aligned.append(functions.permute(op, permutation))
    return aligned, dim_counts


def _sublist_label(value: Any) -> str:
    if value is Ellipsis:
        return "..."
    if isinstance(value, numbers.Integral) and 0 <= value < 52:
        return _label_char(int(value))
    raise ValueError("einsum(): subscript in subscript list is not within the valid range [0, 52)")


@register("einsum", "einsum(c10::string_view equation, TensorList tensors, *, IntArrayRef? path=None)",
          composite=True, function=False, method=False)
def einsum_binding(equation: str, tensors: Sequence[Tensor], path: tuple[int, ...] | None) -> Tensor:
    """ATen's ``einsum`` (``_VF.einsum``); a contraction ``path`` is accepted and not followed."""
    same_device(list(tensors))
    return _einsum(equation, list(tensors))


@register("functional.einsum", "einsum(c10::string_view equation, TensorList tensors)", composite=True,
          method=False, python=True)
def einsum(*args: Any) -> Tensor:
    """``torch.einsum(equation, *operands)`` (operands may also be one list), or the sublist form
    ``einsum(op1, [0, 1], op2, [1, 2], [0, 2])`` (torch/functional.py). Without ``->`` the output is the
    ellipsis dims then the labels seen once, in alphabetical order (upper case first). Summation
    without a second operand follows ``sum`` (integers give int64); pairs of operands multiply with
    promotion, or contract through ``bmm`` (equal dtypes required). A single operand without summation
    gives a view."""
    if len(args) < 2:
        raise ValueError("einsum(): must specify the equation string and at least one operand, or at least "
                         "one operand and its subscripts list")
    if isinstance(args[0], Tensor):
        equation = ",".join("".join(_sublist_label(s) for s in labels) for labels in args[1::2])
        if len(args) % 2 == 1:
            equation += "->" + "".join(_sublist_label(s) for s in args[-1])
            operands = args[:-1:2]
        else:
            operands = args[::2]
    else:
        equation, operands = args[0], args[1:]
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        return einsum(equation, *operands[0])
    return vf.einsum(equation, operands)


OPERATORS: dict[str, str] = {"__matmul__": "matmul", "__rmatmul__": "__rmatmul__"}
