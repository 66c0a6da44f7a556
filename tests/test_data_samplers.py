"""torch.utils.data samplers, datasets and random_split against torch: the same seeds give the same
indices and leave the global random stream (and a given generator) where torch leaves it."""

from __future__ import annotations

import pytest

from tests.data_helpers import check, check_warned, random_stream_after

SEEDS = [0, 1, 7, 42, 1234, 2**31 - 1, 2**32 + 5, 2**63 - 1]


def _seeded(T, seed):
    g = T.Generator()
    g.manual_seed(seed)
    return g


def _drawn(T, sampler, generator=None):
    """Two passes of a sampler, then the next draw of ``generator`` (when given)."""
    passes = [list(sampler), list(sampler)]
    return passes if generator is None else (passes, generator.initial_seed(), T.rand(2, generator=generator))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n, num_samples", [(1, None), (5, None), (7, 3), (4, 9), (6, 70)])
@pytest.mark.parametrize("replacement", [False, True])
def test_random_sampler_global_stream(seed, n, num_samples, replacement):
    check(random_stream_after(
        lambda T: _drawn(T, T.utils.data.RandomSampler(range(n), replacement, num_samples)), seed))


@pytest.mark.parametrize("seed", SEEDS[:4])
@pytest.mark.parametrize("n, num_samples, replacement", [(5, None, False), (4, 9, False), (6, 70, True)])
def test_random_sampler_generator(seed, n, num_samples, replacement):
    def program(T):
        g = _seeded(T, seed)
        return _drawn(T, T.utils.data.RandomSampler(range(n), replacement, num_samples, generator=g), g)

    check(random_stream_after(program, 3))


@pytest.mark.parametrize("seed", SEEDS[:4])
@pytest.mark.parametrize("use_generator", [False, True])
def test_subset_random_sampler(seed, use_generator):
    def program(T):
        g = _seeded(T, seed) if use_generator else None
        sampler = T.utils.data.SubsetRandomSampler([10, 3, 7, 22, 5], generator=g)
        return len(sampler), _drawn(T, sampler, g)

    check(random_stream_after(program, seed + 1))


@pytest.mark.parametrize("seed", SEEDS[:4])
@pytest.mark.parametrize("num_samples, replacement", [(5, True), (40, True), (4, False), (6, False)])
def test_weighted_random_sampler(seed, num_samples, replacement):
    def program(T):
        sampler = T.utils.data.WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], num_samples, replacement)
        g = _seeded(T, seed)
        seeded = T.utils.data.WeightedRandomSampler((1, 2, 3, 4, 5, 6), num_samples, replacement, generator=g)
        return len(sampler), sampler.weights, _drawn(T, sampler), _drawn(T, seeded, g)

    check(random_stream_after(program, seed))


def test_sequential_sampler():
    check(lambda T: (len(T.utils.data.SequentialSampler(range(4))), list(T.utils.data.SequentialSampler("abc"))))


@pytest.mark.parametrize("n", [0, 1, 6, 7, 9])
@pytest.mark.parametrize("batch_size", [1, 3, 10])
@pytest.mark.parametrize("drop_last", [False, True])
def test_batch_sampler(n, batch_size, drop_last):
    check(lambda T: (lambda s: (len(s), list(s)))(
        T.utils.data.BatchSampler(T.utils.data.SequentialSampler(range(n)), batch_size, drop_last)))


@pytest.mark.parametrize("make", [
    lambda T: T.utils.data.RandomSampler(range(3), replacement=1),
    lambda T: T.utils.data.RandomSampler(range(3), num_samples=0),
    lambda T: T.utils.data.RandomSampler(range(3), num_samples=2.0),
    lambda T: T.utils.data.RandomSampler([]),
    lambda T: T.utils.data.WeightedRandomSampler([1.0, 2.0], True),
    lambda T: T.utils.data.WeightedRandomSampler([1.0, 2.0], 0),
    lambda T: T.utils.data.WeightedRandomSampler([1.0, 2.0], 2, replacement=None),
    lambda T: T.utils.data.WeightedRandomSampler([[1.0, 2.0]], 2),
    lambda T: T.utils.data.BatchSampler(range(3), 0, False),
    lambda T: T.utils.data.BatchSampler(range(3), True, False),
    lambda T: T.utils.data.BatchSampler(range(3), 2, 1),
    lambda T: list(T.utils.data.WeightedRandomSampler([1.0, 2.0], 3, replacement=False)),
    lambda T: list(T.utils.data.Sampler()),
], ids=["replacement-int", "num-samples-0", "num-samples-float", "empty-source", "weighted-bool-count",
        "weighted-0", "weighted-replacement-none", "weighted-2d", "batch-0", "batch-bool", "drop-last-int",
        "weighted-too-many", "base-sampler"])
def test_sampler_errors(make):
    check(make)


# --------------------------------------------------------------------------- datasets
def test_tensor_dataset():
    def program(T):
        ds = T.utils.data.TensorDataset(T.arange(6).reshape(3, 2), T.tensor([1.0, 2.0, 3.0]))
        return len(ds), ds[1], ds[-1], ds[0:2], ds.tensors[1]

    check(program)
    check(lambda T: T.utils.data.TensorDataset(T.zeros(3), T.zeros(2)))


def test_concat_and_chain_datasets():
    def program(T):
        a, b = T.utils.data.TensorDataset(T.arange(3)), T.utils.data.TensorDataset(T.arange(10, 12))
        both = a + b
        return (type(both).__name__, len(both), both.cumulative_sizes, [both[i] for i in range(-5, 5)],
                T.utils.data.ConcatDataset([range(2), range(3), range(0), range(4)])[5])

    check(program)
    check_warned(lambda T: T.utils.data.ConcatDataset([range(3), range(2)]).cummulative_sizes)
    check(lambda T: T.utils.data.ConcatDataset([range(3)])[-4])
    check(lambda T: T.utils.data.ConcatDataset([]))
    check(lambda T: T.utils.data.ConcatDataset([_Stream(T, 2)]))

    def chained(T):
        chain = _Stream(T, 2) + _Stream(T, 3)
        return type(chain).__name__, list(chain), len(chain)

    check(chained)
    check(lambda T: list(T.utils.data.ChainDataset([_Stream(T, 1), range(3)])))
    check(lambda T: len(T.utils.data.ChainDataset([range(3)])))


def _Stream(T, n):  # noqa: N802 - builds an instance of a per-library class
    class Stream(T.utils.data.IterableDataset):
        def __iter__(self):
            return iter(range(n))

        def __len__(self):
            return n

    return Stream()


def test_subset_and_stack_datasets():
    def program(T):
        base = T.utils.data.TensorDataset(T.arange(8) * 2)
        sub = T.utils.data.Subset(base, [5, 1, 6])
        stacked = T.utils.data.StackDataset(range(3), "abc")
        named = T.utils.data.StackDataset(x=range(3), y="abc")
        return len(sub), sub[0], sub[-1], sub.__getitems__([2, 0]), len(stacked), stacked[1], named[2]

    check(program)
    check(lambda T: T.utils.data.StackDataset(range(3), x=range(3)))
    check(lambda T: T.utils.data.StackDataset(range(3), range(2)))
    check(lambda T: T.utils.data.StackDataset())
    check(lambda T: T.utils.data.Dataset()[0])

    def overrides_getitem(T):
        class Shifted(T.utils.data.Subset):
            def __getitem__(self, idx):
                return 0

        return Shifted(range(3), [0])

    check(overrides_getitem)


@pytest.mark.parametrize("seed", SEEDS[:5])
@pytest.mark.parametrize("lengths", [[3, 7], [0.3, 0.3, 0.4], [0.5, 0.5], [1 / 3] * 3, [10], [0.25, 0.75]])
@pytest.mark.parametrize("use_generator", [False, True])
def test_random_split(seed, lengths, use_generator):
    def program(T):
        kwargs = {"generator": _seeded(T, seed)} if use_generator else {}
        parts = T.utils.data.random_split(range(10), lengths, **kwargs)
        return [type(p).__name__ for p in parts], [list(p) for p in parts]

    check(random_stream_after(program, seed))


def test_random_split_warnings_and_errors():
    check_warned(lambda T: [len(p) for p in T.utils.data.random_split(range(2), [0.1, 0.1, 0.8])])
    check(lambda T: T.utils.data.random_split(range(10), [3, 3]))
    check(lambda T: T.utils.data.random_split(range(10), [1.5, -0.5]))
