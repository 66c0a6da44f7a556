"""DataLoader with real worker processes (num_workers > 0) against torch: the same batches in the same
order, the global stream in step, each worker seeded as torch seeds it (reftorch, Python's random and
NumPy's global generator), get_worker_info, worker_init_fn, persistent_workers across epochs,
iterable-style datasets split per worker, and errors raised inside a worker."""

from __future__ import annotations

import os
import random
import re

import numpy as np
import pytest

from tests.data_helpers import check, random_stream_after

WORKERS = 2


def _Probe(T, n):  # noqa: N802 - builds an instance of a per-library class
    """Samples that report what their worker saw: its info, its seeds' first draws, its init calls and
    how many samples this copy of the dataset has served."""

    class Probe(T.utils.data.Dataset):
        def __init__(self):
            self.inits = []
            self.served = 0

        def __len__(self):
            return n

        def __getitem__(self, i):
            self.served += 1
            info = T.utils.data.get_worker_info()
            if info is None:
                return {"index": i, "served": self.served}
            return {"index": i, "worker": info.id, "workers": info.num_workers, "seed": info.seed,
                    "initial_seed": T.initial_seed(), "draw": T.rand(1), "random": random.random(),
                    "numpy": float(np.random.rand()), "inits": list(self.inits), "served": self.served,
                    "own_copy": info.dataset is self}

    return Probe()


def _record_init(T):
    def worker_init_fn(worker_id):
        T.utils.data.get_worker_info().dataset.inits.append(worker_id)
    return worker_init_fn


@pytest.mark.parametrize("seed", [0, 17, 2**40 + 3])
@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("batch_size, drop_last", [(1, False), (3, False), (3, True)])
def test_workers_give_torchs_batches(seed, shuffle, batch_size, drop_last):
    def program(T):
        data = T.utils.data.TensorDataset(T.arange(11), T.arange(11) * 0.5)
        loader = T.utils.data.DataLoader(data, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last,
                                         num_workers=WORKERS)
        return len(loader), list(loader)

    check(random_stream_after(program, seed))


@pytest.mark.parametrize("seed", [1, 5])
@pytest.mark.parametrize("persistent", [False, True])
def test_worker_seeds_info_and_init(seed, persistent):
    def program(T):
        loader = T.utils.data.DataLoader(_Probe(T, 7), batch_size=2, shuffle=True, num_workers=WORKERS,
                                         worker_init_fn=_record_init(T), persistent_workers=persistent)
        return [list(loader) for _ in range(2)], T.utils.data.get_worker_info()

    check(random_stream_after(program, seed))


def test_spawned_workers():
    """Workers started by ``spawn``: the dataset, the collate function and the batches all travel pickled."""
    def program(T):
        data = T.utils.data.TensorDataset(T.arange(7.0), T.arange(7))
        loader = T.utils.data.DataLoader(data, batch_size=3, shuffle=True, num_workers=WORKERS,
                                         multiprocessing_context="spawn")
        return list(loader)

    check(random_stream_after(program, 3))


def test_worker_info_fields():
    def program(T):
        loader = T.utils.data.DataLoader(range(2), num_workers=1, collate_fn=lambda batch: repr(
            T.utils.data.get_worker_info()).split("dataset=")[0])
        return list(loader)

    check(random_stream_after(program, 6))


def test_worker_generator_and_prefetch():
    def program(T):
        g = T.Generator()
        g.manual_seed(8)
        loader = T.utils.data.DataLoader(_Probe(T, 9), batch_size=2, shuffle=True, num_workers=WORKERS,
                                         generator=g, prefetch_factor=1)
        return list(loader), T.rand(1, generator=g)

    check(random_stream_after(program, 2))


def test_out_of_order_delivery_has_every_batch():
    def program(T):
        loader = T.utils.data.DataLoader(range(10), batch_size=3, num_workers=WORKERS, in_order=False)
        return sorted(batch.tolist() for batch in loader)

    check(random_stream_after(program, 0))


def _Range(T, start, end, split):  # noqa: N802 - builds an instance of a per-library class
    class Range(T.utils.data.IterableDataset):
        def __iter__(self):
            info = T.utils.data.get_worker_info()
            lo, hi = start, end
            if split and info is not None:
                per_worker = -(-(end - start) // info.num_workers)
                lo = start + info.id * per_worker
                hi = min(lo + per_worker, end)
            return iter(range(lo, hi))

    return Range()


@pytest.mark.parametrize("split", [False, True])
@pytest.mark.parametrize("batch_size", [None, 1, 2])
@pytest.mark.parametrize("persistent", [False, True])
def test_iterable_dataset_per_worker(split, batch_size, persistent):
    def program(T):
        loader = T.utils.data.DataLoader(_Range(T, 3, 10, split), batch_size=batch_size, num_workers=WORKERS,
                                         persistent_workers=persistent)
        return [list(loader) for _ in range(2)]

    check(random_stream_after(program, 4))


def _Failing(T, exc):  # noqa: N802 - builds an instance of a per-library class
    class Failing(T.utils.data.Dataset):
        def __len__(self):
            return 6

        def __getitem__(self, i):
            if i == 3:
                raise exc
            return i

    return Failing()


@pytest.mark.parametrize("exc", [ValueError("bad sample"), KeyError("missing"), IndexError(3)],
                         ids=["value", "key", "index"])
def test_worker_errors_reraised(exc):
    check(lambda T: list(T.utils.data.DataLoader(_Failing(T, exc), batch_size=2, num_workers=WORKERS)))


def test_worker_init_fn_error_and_timeout():
    def failing_init(worker_id):
        raise RuntimeError(f"init of worker {worker_id} failed")

    check(lambda T: list(T.utils.data.DataLoader(range(4), num_workers=WORKERS, worker_init_fn=failing_init)))

    def slow(T):
        class Slow(T.utils.data.Dataset):
            def __len__(self):
                return 2

            def __getitem__(self, i):
                __import__("time").sleep(3)
                return i

        return list(T.utils.data.DataLoader(Slow(), num_workers=1, timeout=0.3))

    check(slow)


def test_a_worker_that_dies_is_reported():
    """A worker that exits mid-epoch: torch's RuntimeError naming its pid (which differs, so the message is
    compared by its words)."""
    def program(T):
        class Dying(T.utils.data.Dataset):
            def __len__(self):
                return 4

            def __getitem__(self, i):
                if i == 1:
                    os._exit(1)
                return i

        try:
            list(T.utils.data.DataLoader(Dying(), num_workers=WORKERS))
        except RuntimeError as e:
            return re.sub(r"\d+", "<pid>", str(e))
        return None

    assert check(program)[1] == "DataLoader worker (pid(s) <pid>) exited unexpectedly"


def test_abandoned_epoch_keeps_the_stream_in_step():
    """Leaving an epoch early: the sampler has drawn what the prefetching drew, in torch and here alike."""
    def program(T):
        loader = T.utils.data.DataLoader(range(20), batch_size=2, shuffle=True, num_workers=WORKERS)
        firsts = []
        for _ in range(2):
            for batch in loader:
                firsts.append(batch)
                break
        return firsts, T.rand(2)

    check(random_stream_after(program, 12))
