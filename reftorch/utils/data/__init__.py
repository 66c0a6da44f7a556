"""``torch.utils.data``: datasets, samplers and the DataLoader.

Mirrors torch/utils/data/__init__.py's names, less what reftorch does not build: the DataPipes
(``IterDataPipe``, ``MapDataPipe``, ``functional_datapipe``...) and ``DistributedSampler`` (torch.distributed).
"""

from . import _utils, dataloader, dataset, sampler
from .dataloader import DataLoader, _DatasetKind, default_collate, default_convert, get_worker_info
from .dataset import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    StackDataset,
    Subset,
    TensorDataset,
    random_split,
)
from .sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)

__all__ = ["BatchSampler", "ChainDataset", "ConcatDataset", "DataLoader", "Dataset", "IterableDataset",
           "RandomSampler", "Sampler", "SequentialSampler", "StackDataset", "Subset", "SubsetRandomSampler",
           "TensorDataset", "WeightedRandomSampler", "_DatasetKind", "_utils", "dataloader", "dataset",
           "default_collate", "default_convert", "get_worker_info", "random_split", "sampler"]
