"""The example programs run on torch and on reftorch and print the same numbers."""

from __future__ import annotations

import importlib.util
import pathlib

import numpy as np
import pytest
import torch

import reftorch

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed", [0, 7])
def test_two_layer_dropout_training_gives_torchs_losses(seed):
    """Data, initial weights and every step's dropout mask come from the seeded stream: 100 steps of
    optim.SGD give torch's losses (the issue asks for rtol 1e-4; they agree far closer)."""
    train = _load("two_layer_dropout").train
    ours, theirs = train(reftorch, 100, seed), train(torch, 100, seed)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5)
    assert theirs[-1] < theirs[0] * 0.9  # it trains (a run without the masks would not match anyway)
