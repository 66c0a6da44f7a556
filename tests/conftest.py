"""Unit-test configuration: hypothesis profiles (derandomised by default) and default-state hygiene.

The profile names are the conformance suite's (``ci``, ``dev``, ``thorough``); ``ci`` is loaded
unless ``--hypothesis-profile`` chooses another.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

import reftorch

settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("thorough", max_examples=400, deadline=None)
settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _restore_defaults():
    """Tests may change the default dtype or print options; put them back."""
    yield
    reftorch.set_default_dtype(reftorch.float32)
    reftorch.set_printoptions(profile="default")
