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


def _pack(input: Tensor, lengths: list[int], batch_first: bool) -> tuple[Tensor, Tensor]:
    """ATen's ``_pack_padded_sequence``: its checks, then step ``t``'s first ``batch_sizes[t]`` rows."""
    if batch_first:
        input = input.transpose(0, 1)
    if input.numel() <= 0:
        raise RuntimeError("Cannot pack empty tensors.")
    batch_size = input.size(1)
    if len(lengths) != batch_size:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got {len(lengths)} "
                           f"(batch_size={batch_size})")
    if lengths[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' "
                           "that is <= 0")
    for i in range(1, batch_size):
        if lengths[batch_size - i] > lengths[batch_size - 1 - i]:
            raise RuntimeError("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. "
                               "You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence "
                               "to sidestep this requirement if you do not need ONNX exportability.")
    batch_sizes = [sum(1 for length in lengths if length > t) for t in range(lengths[0])]
    steps = [input[t].narrow(0, 0, size) for t, size in enumerate(batch_sizes)]
    return functions.cat(steps, 0), functions.tensor(batch_sizes, dtype=D.int64)


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
    data, batch_sizes = _pack(input, lengths.tolist(), batch_first)
    return PackedSequence(data, batch_sizes, sorted_indices, None)


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0,
                        total_length: int | None = None) -> tuple[Tensor, Tensor]:
    """The inverse of ``pack_padded_sequence``: the padded batch (``padding_value`` after each sequence's
    end, ``total_length`` steps if given) and the int64 lengths, both in the original batch order."""
    batch_sizes = sequence.batch_sizes.tolist()
    max_seq_length = len(batch_sizes)
    if total_length is not None:
        if total_length < max_seq_length:
            raise ValueError("Expected total_length to be at least the length of the longest sequence in input, "
                             f"but got total_length={total_length} and max sequence length being {max_seq_length}")
        max_seq_length = total_length
    data = sequence.data
    batch = batch_sizes[0]
    feature = tuple(data.shape[1:])
    steps, offset = [], 0
    for size in batch_sizes:
        part = data.narrow(0, offset, size)
        offset += size
        if size < batch:
            part = functions.cat([part, functions.full((batch - size, *feature), padding_value, dtype=data.dtype,
                                                       device=data.device)], 0)
        steps.append(part)
    for _ in range(max_seq_length - len(batch_sizes)):
        steps.append(functions.full((batch, *feature), padding_value, dtype=data.dtype, device=data.device))
    padded_output = functions.stack(steps, 1 if batch_first else 0)
    lengths = functions.tensor([sum(1 for size in batch_sizes if size > b) for b in range(batch)], dtype=D.int64)
    unsorted_indices = sequence.unsorted_indices
    if unsorted_indices is not None:
        batch_dim = 0 if batch_first else 1
        return padded_output.index_select(batch_dim, unsorted_indices), lengths[unsorted_indices.cpu()]
    return padded_output, lengths


def pad_sequence(sequences: Any, batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Stack variable-length (L_i, *) sequences into (T, B, *) (B, T, * with ``batch_first``), padding
    with ``padding_value`` on ``padding_side`` (ATen's ``pad_sequence`` checks and messages)."""
    if not isinstance(sequences, Iterable):
        raise RuntimeError(f"pad_sequence: Expected iterable for input sequences, but got arg of type: "
                           f"{type(sequences)}")
    sequences = tuple(sequences)
    if len(sequences) == 0:
        raise RuntimeError("received an empty list of sequences")
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    max_len = max(seq.size(0) for seq in sequences)
    padded = []
    for seq in sequences:
        missing = max_len - seq.size(0)
        if missing:
            fill = functions.full((missing, *seq.shape[1:]), padding_value, dtype=seq.dtype, device=seq.device)
            seq = functions.cat([seq, fill] if padding_side == "right" else [fill, seq], 0)
        padded.append(seq)
    return functions.stack(padded, 0 if batch_first else 1)


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
