"""Conformance tests for spec/data.toml: TensorDataset and DataLoader batching, collation and shuffling,
and a loader wrapped in tqdm."""

from __future__ import annotations

import io
import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from tqdm import tqdm

from conformance import claims

SIZES = st.integers(1, 9)
BATCH_SIZES = st.integers(1, 4)


def _array_dataset(T, n: int, width: int):
    """A map-style dataset of (float64 NumPy array, Python int) samples."""

    class ArrayDataset(T.utils.data.Dataset):
        def __len__(self):
            return n

        def __getitem__(self, i):
            return np.arange(width, dtype=np.float64) + i, i

    return ArrayDataset()


@claims("data.loader-yields-tensors")
@given(n=SIZES, width=st.integers(1, 3), batch_size=BATCH_SIZES)
def test_loader_yields_tensors(differential, n, width, batch_size):
    def program(T, device):
        loader = T.utils.data.DataLoader(_array_dataset(T, n, width), batch_size=batch_size)
        return [
            {
                "types": [type(field) is T.Tensor for field in batch],
                "inputs": batch[0].to(device),
                "labels": batch[1].to(device),
            }
            for batch in loader
        ]

    differential(
        program,
        predicate=lambda r, T: all(
            all(b["types"]) and b["inputs"].dtype == T.float64 and b["labels"].dtype == T.int64 for b in r
        ),
    )


@claims("data.tuple-samples-collate-to-list")
@given(n=SIZES, batch_size=BATCH_SIZES)
def test_tuple_samples_collate_to_list(differential, n, batch_size):
    def program(T, device):
        dataset = T.utils.data.TensorDataset(
            T.arange(2 * n, device=device).reshape(n, 2), T.arange(n, device=device)
        )
        batches = list(T.utils.data.DataLoader(dataset, batch_size=batch_size))
        inputs, labels = batches[0]
        return {"types": [type(b).__name__ for b in batches], "inputs": inputs, "labels": labels}

    differential(program, predicate=lambda r, T: set(r["types"]) == {"list"})


@claims("data.batch-dimension-first")
@given(n=SIZES, batch_size=BATCH_SIZES, drop_last=st.booleans(), feature=st.sampled_from([(), (2,), (2, 3)]))
def test_batch_dimension_first(differential, n, batch_size, drop_last, feature):
    def program(T, device):
        x = T.arange(n * math.prod(feature), dtype=T.float32, device=device).reshape(n, *feature)
        dataset = T.utils.data.TensorDataset(x, T.arange(n, device=device))
        loader = T.utils.data.DataLoader(dataset, batch_size=batch_size, drop_last=drop_last)
        return [(tuple(inputs.shape), labels) for inputs, labels in loader]

    sizes = [batch_size] * (n // batch_size) + ([] if drop_last or n % batch_size == 0 else [n % batch_size])
    differential(program, predicate=lambda r, T: [s for s, _ in r] == [(k, *feature) for k in sizes])


@claims("data.loader-len")
@given(n=SIZES, batch_size=BATCH_SIZES, drop_last=st.booleans())
def test_loader_len(differential, n, batch_size, drop_last):
    def program(T, device):
        dataset = T.utils.data.TensorDataset(T.zeros(n, 2), T.zeros(n))
        loader = T.utils.data.DataLoader(dataset, batch_size=batch_size, drop_last=drop_last)
        return {"dataset": len(dataset), "loader": len(loader), "batches": sum(1 for _ in loader)}

    expected = n // batch_size if drop_last else math.ceil(n / batch_size)
    differential(program, predicate=lambda r, T: r == {"dataset": n, "loader": expected, "batches": expected})


@claims("data.seeded-shuffle")
@given(n=SIZES, batch_size=BATCH_SIZES, seed=st.integers(0, 2**32 - 1), shuffle=st.booleans())
def test_seeded_shuffle(differential, n, batch_size, seed, shuffle):
    def program(T, device):
        dataset = T.utils.data.TensorDataset(T.arange(n))
        orders = []
        for _ in range(2):
            generator = T.Generator()
            generator.manual_seed(seed)
            loader = T.utils.data.DataLoader(
                dataset, batch_size=batch_size, shuffle=shuffle, generator=generator
            )
            orders.append([int(v) for (batch,) in loader for v in batch])
        return orders

    differential(
        program,
        predicate=lambda r, T: (
            r[0] == r[1] and sorted(r[0]) == list(range(n)) and (shuffle or r[0] == list(range(n)))
        ),
    )


@claims("data.enumerate-unpacks-batches")
@given(n=SIZES, batch_size=BATCH_SIZES)
def test_enumerate_unpacks_batches(differential, n, batch_size):
    def program(T, device):
        dataset = T.utils.data.TensorDataset(T.arange(3 * n, dtype=T.float32).reshape(n, 3), T.arange(n) % 2)
        seen = []
        for batch_idx, (data, targets) in enumerate(T.utils.data.DataLoader(dataset, batch_size=batch_size)):
            data = data.to(device=device)
            seen.append((batch_idx, data, targets.to(device)))
        return seen

    differential(
        program,
        predicate=lambda r, T: (
            [i for i, _, _ in r] == list(range(len(r))) and sum(len(t) for _, _, t in r) == n
        ),
    )


@claims("data.tensor-dataset-indexing")
@given(n=SIZES, data=st.data())
def test_tensor_dataset_indexing(differential, n, data):
    index = data.draw(st.integers(-n, n - 1))

    def program(T, device):
        x = T.arange(2 * n, device=device).reshape(n, 2)
        y = T.arange(n, device=device) * 10
        sample = T.utils.data.TensorDataset(x, y)[index]
        return {"type": type(sample).__name__, "sample": sample, "x": x[index], "y": y[index]}

    differential(
        program,
        predicate=lambda r, T: (
            r["type"] == "tuple" and T.equal(r["sample"][0], r["x"]) and T.equal(r["sample"][1], r["y"])
        ),
    )


@claims("data.tqdm-wraps-loader")
@given(n=SIZES, batch_size=BATCH_SIZES, drop_last=st.booleans())
def test_tqdm_wraps_loader(differential, n, batch_size, drop_last):
    def program(T, device):
        dataset = T.utils.data.TensorDataset(T.arange(2 * n, dtype=T.float32).reshape(n, 2), T.arange(n))
        loop = tqdm(T.utils.data.DataLoader(dataset, batch_size=batch_size, drop_last=drop_last), file=io.StringIO())
        batches = [(batch_idx, data.to(device=device), targets) for batch_idx, (data, targets) in enumerate(loop)]
        return {"total": loop.total, "batches": batches}

    expected = n // batch_size if drop_last else math.ceil(n / batch_size)
    differential(program, predicate=lambda r, T: r["total"] == expected == len(r["batches"]))
