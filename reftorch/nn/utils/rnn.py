"""``torch.nn.utils.rnn``: PackedSequence and the packing helpers, mirroring torch/nn/utils/rnn.py.

torch's ATen parts (``_pack_padded_sequence``, ``_pad_packed_sequence``, ``pad_sequence``) are written
here as composites of reftorch ops (narrow, cat, stack, full), with ATen's checks and messages, so the
packed data and the padded outputs carry gradients back to the inputs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from ... import _dtype as D
from ..._tensor import Tensor
from ...ops.registry import functions

__all__ = ["PackedSequence", "invert_permutation", "pack_padded_sequence", "pack_sequence", "pad_packed_sequence",
           "pad_sequence", "unpack_sequence", "unpad_sequence"]


class PackedSequence_(NamedTuple):
    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None


class PackedSequence(PackedSequence_):
    """The packed batch of variable-length sequences: ``data`` holds the time steps' rows one step after
    another, ``batch_sizes`` (int64, cpu) how many sequences each step has; ``sorted_indices`` and
    ``unsorted_indices`` the permutation of the batch by decreasing length (None when sorted).
    ``unsorted_indices`` defaults to the inverse of ``sorted_indices``; a ``(data, batch_sizes)`` pair as
    ``data`` (with ``batch_sizes`` None) is unpacked, as torch does."""

    def __new__(cls, data: Any, batch_sizes: Tensor | None = None, sorted_indices: Tensor | None = None,
                unsorted_indices: Tensor | None = None) -> PackedSequence:
        return super().__new__(cls, *_packed_sequence_init_args(data, batch_sizes, sorted_indices,
                                                                 unsorted_indices))

    def to(self, *args: Any, **kwargs: Any) -> PackedSequence:
        """``data.to(...)``; the index tensors follow data's device; ``self`` when data is unchanged."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        sorted_indices = None if self.sorted_indices is None else self.sorted_indices.to(data.device)
        unsorted_indices = None if self.unsorted_indices is None else self.unsorted_indices.to(data.device)
        return type(self)(data, self.batch_sizes, sorted_indices, unsorted_indices)

    def cpu(self, *args: Any, **kwargs: Any) -> PackedSequence:
        """``to(..., device='cpu')`` unless the arguments already lead to the cpu."""
        ex = functions.tensor((), dtype=self.data.dtype, device=self.data.device).to(*args, **kwargs)
        if ex.device.type == "cpu":
            return self.to(*args, **kwargs)
        kwargs["device"] = "cpu"
        return self.to(*args, **kwargs)

    def double(self) -> PackedSequence:
        return self.to(dtype=D.float64)

    def float(self) -> PackedSequence:
        return self.to(dtype=D.float32)

    def half(self) -> PackedSequence:
        return self.to(dtype=D.float16)

    def long(self) -> PackedSequence:
        return self.to(dtype=D.int64)

    def int(self) -> PackedSequence:
        return self.to(dtype=D.int32)

    def short(self) -> PackedSequence:
        return self.to(dtype=D.int16)

    def char(self) -> PackedSequence:
        return self.to(dtype=D.int8)

    def byte(self) -> PackedSequence:
        return self.to(dtype=D.uint8)

    @property
    def is_cuda(self) -> bool:
        return self.data.is_cuda


def _packed_sequence_init_args(data: Any, batch_sizes: Tensor | None = None, sorted_indices: Tensor | None = None,
                               unsorted_indices: Tensor | None = None) -> tuple:
    if unsorted_indices is None:
        unsorted_indices = invert_permutation(sorted_indices)
    if batch_sizes is not None:
        if batch_sizes.device.type != "cpu":
            raise ValueError(
                "batch_sizes should always be on CPU. Instances of PackedSequence should never be created manually. "
                "They should be instantiated by functions like pack_sequence and pack_padded_sequences in "
                "nn.utils.rnn. https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn.pack_sequence")
        return data, batch_sizes, sorted_indices, unsorted_indices
    if not (isinstance(data, (list, tuple)) and len(data) == 2):
        raise AssertionError("Expected data to be a list or tuple of length 2")
    return data[0], data[1], sorted_indices, unsorted_indices


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """The inverse permutation (``output[permutation[i]] = i``), None for None."""
    if permutation is None:
        return None
    output = functions.empty_like(permutation)
    output.scatter_(0, permutation, functions.arange(0, permutation.numel(), device=permutation.device))
    return output


def _check_long(tensor: Tensor) -> None:
    if tensor.dim() != 1 or tensor.device.type != "cpu" or tensor.dtype != D.int64:
        raise RuntimeError(f"'lengths' argument should be a 1D CPU int64 tensor, but got {tensor.dim()}D "
                           f"{tensor.device} {tensor.dtype.scalar_name} tensor")


def _pack(input: Tensor, lengths_t: Tensor, batch_first: bool) -> tuple[Tensor, Tensor]:
    """ATen's ``_pack_padded_sequence``: its checks in its order, then, scanning the lengths from the
    shortest, one block of time steps per length increase (slices clamp to the input as ATen's do)."""
    if batch_first:
        input = input.transpose(0, 1)
    _check_long(lengths_t)
    batch_size = input.size(1)
    lengths = lengths_t.tolist()
    if input.numel() <= 0:
        raise RuntimeError("Cannot pack empty tensors.")
    if len(lengths) != batch_size:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got {len(lengths)} "
                           f"(batch_size={batch_size})")
    if lengths[batch_size - 1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' "
                           "that is <= 0")
    for i in range(batch_size - 1):
        if lengths[batch_size - 1 - i] > lengths[batch_size - 2 - i]:
            raise RuntimeError("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. "
                               "You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence "
                               "to sidestep this requirement if you do not need ONNX exportability.")
    steps: list[Tensor] = []
    batch_sizes: list[int] = []
    prev_l = 0
    for i in range(batch_size):
        length = lengths[batch_size - 1 - i]
        if length > prev_l:
            current_batch_size = batch_size - i
            block = input[prev_l:length, :current_batch_size]
            steps.append(block.reshape(-1, *input.shape[2:]))
            batch_sizes.extend([current_batch_size] * (length - prev_l))
            prev_l = length
    return functions.cat(steps), functions.tensor(batch_sizes, dtype=D.int64)


def pack_padded_sequence(input: Tensor, lengths: Any, batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    """Pack a padded (T, B, *) batch (B, T, * with ``batch_first``) of sequences of ``lengths``; with
    ``enforce_sorted=False`` the batch is first sorted by decreasing length (``sorted_indices``)."""
    if not isinstance(lengths, Tensor):
        lengths = functions.as_tensor(lengths, dtype=D.int64, device="cpu")
    else:
        lengths = lengths.to(dtype=D.int64)
    if enforce_sorted:
        sorted_indices = None
    else:
        lengths, sorted_indices = functions.sort(lengths, descending=True)
        sorted_indices = sorted_indices.to(input.device)
        batch_dim = 0 if batch_first else 1
        input = input.index_select(batch_dim, sorted_indices)
    data, batch_sizes = _pack(input, lengths, batch_first)
    return PackedSequence(data, batch_sizes, sorted_indices, None)


def _pad_packed(data: Tensor, batch_sizes_t: Tensor, batch_first: bool, padding_value: float,
                total_length: int) -> tuple[Tensor, Tensor]:
    """ATen's ``_pad_packed_sequence``: a ``padding_value`` tensor (T, B, *) into which each run of equal
    batch sizes is copied as one block (autograd: CopySlices), and the lengths."""
    _check_long(batch_sizes_t)
    batch_sizes = batch_sizes_t.tolist()
    max_batch_size = batch_sizes[0]
    max_real_seq_length = len(batch_sizes)
    max_seq_length = max_real_seq_length
    if total_length > 0:
        if total_length < max_seq_length:
            raise RuntimeError("Expected total_length to be at least the length of the longest sequence in input, "
                               f"but got total_length={total_length} and max sequence length being {max_seq_length}")
        max_seq_length = total_length
    feature = tuple(data.shape[1:])
    output = functions.full((max_seq_length, max_batch_size, *feature), padding_value, dtype=data.dtype,
                            device=data.device)
    lengths = [0] * max_batch_size
    position = max_batch_size - 1
    data_offset, prev_batch_size, prev_i = 0, max_batch_size, 0
    for i in range(max_real_seq_length + 1):
        batch_size = batch_sizes[i] if i != max_real_seq_length else 0
        if batch_size != prev_batch_size:
            count = prev_batch_size * (i - prev_i)
            block = data[data_offset:data_offset + count].view(i - prev_i, prev_batch_size, *feature)
            output[prev_i:i, :prev_batch_size].copy_(block)
            data_offset += count
            prev_i = i
        for _ in range(prev_batch_size - batch_size):
            lengths[position] = i
            position -= 1
        prev_batch_size = batch_size
    if batch_first:
        output = output.transpose(0, 1)
    return output, functions.tensor(lengths, dtype=D.int64)


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0,
                        total_length: int | None = None) -> tuple[Tensor, Tensor]:
    """The inverse of ``pack_padded_sequence``: the padded batch (``padding_value`` after each sequence's
    end, ``total_length`` steps if given) and the int64 lengths, both in the original batch order."""
    max_seq_length = sequence.batch_sizes.size(0)
    if total_length is not None:
        if total_length < max_seq_length:
            raise ValueError("Expected total_length to be at least the length of the longest sequence in input, "
                             f"but got total_length={total_length} and max sequence length being {max_seq_length}")
        max_seq_length = total_length
    padded_output, lengths = _pad_packed(sequence.data, sequence.batch_sizes, batch_first, padding_value,
                                         max_seq_length)
    unsorted_indices = sequence.unsorted_indices
    if unsorted_indices is not None:
        batch_dim = 0 if batch_first else 1
        return padded_output.index_select(batch_dim, unsorted_indices), lengths[unsorted_indices.cpu()]
    return padded_output, lengths


def pad_sequence(sequences: Any, batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Stack variable-length (L_i, *) sequences into (T, B, *) (B, T, * with ``batch_first``), padding
    with ``padding_value`` on ``padding_side``: ATen's ``pad_sequence``, a ``padding_value`` tensor of the
    first sequence's dtype into which each sequence is copied (so other dtypes are cast and shapes
    broadcast as ``copy_`` does; autograd: CopySlices)."""
    if not isinstance(sequences, Iterable):
        raise RuntimeError(f"pad_sequence: Expected iterable for input sequences, but got arg of type: "
                           f"{type(sequences)}")
    sequences = tuple(sequences)
    if len(sequences) == 0:
        raise RuntimeError("received an empty list of sequences")
    first = sequences[0]
    if first.dim() == 0:
        raise RuntimeError("ArrayRef: invalid slice, N = 1; size = 0")
    max_len = max(seq.size(0) for seq in sequences)
    out_dims = (len(sequences), max_len) if batch_first else (max_len, len(sequences))
    out = functions.full((*out_dims, *first.shape[1:]), padding_value, dtype=first.dtype, device=first.device)
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    for i, seq in enumerate(sequences):
        length = seq.size(0)
        start = max_len - length if padding_side == "left" else 0
        if batch_first:
            out.select(0, i).narrow(0, start, length).copy_(seq)
        else:
            out.narrow(0, start, length).select(1, i).copy_(seq)
    return out


def unpad_sequence(padded_sequences: Tensor, lengths: Tensor, batch_first: bool = False) -> list[Tensor]:
    """The list of each sequence's first ``lengths[i]`` steps (torch transposes a time-major input in
    place, and so does this)."""
    unpadded_sequences = []
    if not batch_first:
        padded_sequences.transpose_(0, 1)
    max_length = padded_sequences.shape[1]
    idx = functions.arange(max_length, device=lengths.device)
    for seq, length in zip(padded_sequences, lengths, strict=True):
        unpadded_sequences.append(seq[idx < length])
    return unpadded_sequences


def pack_sequence(sequences: list[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """``pack_padded_sequence(pad_sequence(sequences), lengths)``."""
    lengths = functions.as_tensor([v.size(0) for v in sequences])
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """The list of sequences a PackedSequence holds, in their original order."""
    padded_sequences, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded_sequences, lengths, batch_first=True)
