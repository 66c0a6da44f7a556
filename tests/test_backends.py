"""The array-backend interface: ``quietly`` runs a computation with floating-point exceptions silent
(torch never warns on overflow or 0/0) and leaves NumPy's error state as it found it; ``allocate``
sizes a new storage as c10 does and reports a failed allocation as torch's allocator does."""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pytest
import torch

import reftorch
from reftorch._arrays import empty_strided
from reftorch._backends import Backend, get


@pytest.fixture(params=["numpy", "generic"])
def quietly(request):
    """The NumPy backend's own ``quietly`` and the interface's default (built on ``quiet()``)."""
    backend = get("cpu")
    if request.param == "numpy":
        return backend.quietly
    return functools.partial(Backend.quietly, backend)


def test_quietly_silences_floating_point_warnings_and_restores_the_error_state(quietly):
    before = np.geterr()
    out = np.empty(2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = quietly(np.divide, np.array([1.0, 0.0]), 0.0, out=out)
    assert result is out
    assert np.isinf(out[0]) and np.isnan(out[1])
    assert np.geterr() == before
    with pytest.warns(RuntimeWarning):  # outside the call NumPy warns again (default error state)
        np.divide(np.array([1.0]), 0.0)


def test_quietly_restores_the_error_state_when_the_computation_raises(quietly):
    before = np.geterr()

    def failing(x):
        np.divide(x, 0.0)
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        quietly(failing, np.array([1.0]))
    assert np.geterr() == before


def test_quietly_passes_a_keyword_named_like_its_own_parameter(quietly):
    assert quietly(lambda **kwargs: kwargs, fn=1, self=2) == {"fn": 1, "self": 2}


@pytest.mark.parametrize(("sizes", "strides"), [
    ((2**62, 2), (2, 1)),  # the last element's offset times the item size overflows
    ((2, 2), (2**62, 1)),  # one stride alone
    ((10**12,), (1,)),  # sized fine, but no allocator serves it (fails at once)
    ((3, 0), (2**62, 1)),  # a zero size needs no storage, whatever the strides
    ((2, 3), (1, 2)),
])
def test_empty_strided_sizes_and_allocates_its_storage_as_torch(sizes, strides):
    outcomes = []
    for make in (lambda: torch.empty_strided(sizes, strides),
                 lambda: empty_strided(sizes, strides, reftorch.float32)):
        try:
            t = make()
        except RuntimeError as exc:
            outcomes.append(str(exc))
        else:
            outcomes.append((tuple(t.shape), t.stride(), t.untyped_storage().nbytes()))
    assert outcomes[1] == outcomes[0]
