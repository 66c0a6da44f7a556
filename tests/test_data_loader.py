"""DataLoader (single process) against torch: batch orders and the global random stream from many seeds
(each new iterator draws a base seed even without shuffling), generators, user samplers and batch samplers,
batch_size=None, collate_fn, len(loader), iterable-style datasets, the option errors and warnings."""

from __future__ import annotations

import pytest

from tests.data_helpers import check, check_warned, random_stream_after

SEEDS = [0, 3, 99, 2024, 2**32 - 1, 2**62 + 11]


def _dataset(T, n=7):
    return T.utils.data.TensorDataset(T.arange(n), T.arange(n, dtype=T.float64) / 2)


def _epochs(loader, count=2):
    return [[batch for batch in loader] for _ in range(count)]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("batch_size, drop_last", [(1, False), (3, False), (3, True), (7, False), (10, True)])
def test_batches_and_global_stream(seed, shuffle, batch_size, drop_last):
    check(random_stream_after(lambda T: _epochs(T.utils.data.DataLoader(
        _dataset(T), batch_size=batch_size, shuffle=shuffle, drop_last=drop_last)), seed))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shuffle", [False, True])
def test_generator(seed, shuffle):
    def program(T):
        g = T.Generator()
        g.manual_seed(seed)
        loader = T.utils.data.DataLoader(_dataset(T, 9), batch_size=2, shuffle=shuffle, generator=g)
        return _epochs(loader, 3), T.rand(2, generator=g)

    check(random_stream_after(program, seed + 1))


def test_partial_epochs_draw_per_iterator():
    def program(T):
        loader = T.utils.data.DataLoader(_dataset(T, 12), batch_size=4, shuffle=True)
        first = [next(iter(loader)) for _ in range(3)]
        return first, len(iter(loader)), T.rand(1)

    check(random_stream_after(program, 5))


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_user_samplers(seed):
    def program(T):
        data = _dataset(T, 10)
        sampler = T.utils.data.DataLoader(data, batch_size=3, sampler=T.utils.data.SubsetRandomSampler([1, 4, 8, 9]))
        batches = T.utils.data.DataLoader(data, batch_sampler=[[3, 1], [0], [9, 8, 7]])
        weighted = T.utils.data.DataLoader(
            data, batch_size=4, sampler=T.utils.data.WeightedRandomSampler([1.0] * 10, 6))
        replaced = T.utils.data.DataLoader(
            data, batch_size=5, sampler=T.utils.data.RandomSampler(data, replacement=True, num_samples=12))
        return [(len(loader), _epochs(loader)) for loader in (sampler, batches, weighted, replaced)]

    check(random_stream_after(program, seed))


def test_no_auto_batching_and_collate_fn():
    def program(T):
        data = _dataset(T, 4)
        unbatched = T.utils.data.DataLoader(data, batch_size=None)
        custom = T.utils.data.DataLoader(data, batch_size=3, collate_fn=lambda batch: [len(batch), batch])
        arrays = T.utils.data.DataLoader(range(5), batch_size=None, shuffle=True)
        return [(len(loader), list(loader)) for loader in (unbatched, custom, arrays)]

    check(random_stream_after(program, 0))


def _Numbers(T, n, length=None):  # noqa: N802 - builds an instance of a per-library class
    class Numbers(T.utils.data.IterableDataset):
        def __iter__(self):
            return iter(range(n))

    if length is not None:
        Numbers.__len__ = lambda self: length
    return Numbers()


@pytest.mark.parametrize("n", [0, 1, 5, 6])
@pytest.mark.parametrize("batch_size, drop_last", [(None, False), (1, False), (4, False), (4, True)])
def test_iterable_dataset(n, batch_size, drop_last):
    check(random_stream_after(lambda T: (lambda loader: (len(loader), _epochs(loader)))(
        T.utils.data.DataLoader(_Numbers(T, n, n), batch_size=batch_size, drop_last=drop_last)), 1))


def test_iterable_dataset_longer_than_its_len_warns():
    check_warned(lambda T: (lambda loader: (len(loader), list(loader)))(
        T.utils.data.DataLoader(_Numbers(T, 5, 3), batch_size=2)))
    check(lambda T: len(T.utils.data.DataLoader(_Numbers(T, 5))))


@pytest.mark.parametrize("n, batch_size, drop_last", [(0, 1, False), (10, 3, False), (10, 3, True), (9, 3, True)])
def test_len(n, batch_size, drop_last):
    check(lambda T: (lambda loader: (len(loader), sum(1 for _ in loader)))(
        T.utils.data.DataLoader(range(n), batch_size=batch_size, drop_last=drop_last)))


@pytest.mark.parametrize("make", [
    lambda T: T.utils.data.DataLoader(range(3), num_workers=-1),
    lambda T: T.utils.data.DataLoader(range(3), timeout=-1),
    lambda T: T.utils.data.DataLoader(range(3), prefetch_factor=2),
    lambda T: T.utils.data.DataLoader(range(3), num_workers=1, prefetch_factor=-1),
    lambda T: T.utils.data.DataLoader(range(3), persistent_workers=True),
    lambda T: T.utils.data.DataLoader(range(3), multiprocessing_context="fork"),
    lambda T: T.utils.data.DataLoader(range(3), num_workers=1, multiprocessing_context="nope"),
    lambda T: T.utils.data.DataLoader(range(3), num_workers=1, multiprocessing_context=3),
    lambda T: T.utils.data.DataLoader(_Numbers(T, 3), shuffle=True),
    lambda T: T.utils.data.DataLoader(_Numbers(T, 3), sampler=[0]),
    lambda T: T.utils.data.DataLoader(_Numbers(T, 3), batch_sampler=[[0]]),
    lambda T: T.utils.data.DataLoader(range(3), sampler=[0], shuffle=True),
    lambda T: T.utils.data.DataLoader(range(3), batch_sampler=[[0]], batch_size=2),
    lambda T: T.utils.data.DataLoader(range(3), batch_sampler=[[0]], drop_last=True),
    lambda T: T.utils.data.DataLoader(range(3), batch_size=None, drop_last=True),
    lambda T: T.utils.data.DataLoader(range(3), batch_size=0),
    lambda T: setattr(T.utils.data.DataLoader(range(3)), "batch_size", 2),
    lambda T: setattr(T.utils.data.DataLoader(range(3)), "dataset", range(4)),
    lambda T: __import__("pickle").dumps(iter(T.utils.data.DataLoader(range(3)))),
    lambda T: list(T.utils.data.DataLoader(T.utils.data.Dataset())),
], ids=["workers", "timeout", "prefetch", "prefetch-negative", "persistent", "context-without-workers",
        "context-name", "context-type", "iterable-shuffle", "iterable-sampler", "iterable-batch-sampler",
        "sampler-shuffle", "batch-sampler-size", "batch-sampler-drop-last", "none-drop-last", "batch-size-0",
        "set-batch-size", "set-dataset", "pickle-iterator", "no-len"])
def test_option_errors(make):
    check(make)


def test_settable_attributes_and_pin_memory():
    def program(T):
        loader = T.utils.data.DataLoader(range(3), pin_memory=True)
        loader.collate_fn = lambda batch: batch
        return list(loader), loader.pin_memory

    check_warned(program)
    check_warned(lambda T: list(T.utils.data.DataLoader(range(2), pin_memory=True, pin_memory_device="cpu")))
