"""Shared pytest configuration: hypothesis profiles chosen by ``HYPOTHESIS_PROFILE``.

* ``ci`` (what ``make test`` uses): more examples, no deadline (CI machines are shared and
  noisy; speed is measured by the benchmarks, never by tests), derandomised so a failure
  reproduces.
* ``dev`` (default): fewer examples for a quick local loop.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
