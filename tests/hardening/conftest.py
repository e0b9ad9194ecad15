"""Hypothesis profiles for the fuzz tests in this folder.

``hardening`` (the default, what CI runs): ~200 examples per fuzz test, a few seconds in all.
``fuzz``: a long run, for before a release or after touching ``parse.py``::

    HYPOTHESIS_PROFILE=fuzz pytest tests/hardening -k fuzz

The profile is applied to the fuzz tests only (with ``settings(parent=...)``), never loaded
globally, so the rest of the suite keeps its own Hypothesis settings.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "hardening",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
settings.register_profile(
    "fuzz",
    max_examples=20_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
