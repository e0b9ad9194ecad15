"""Benchmarks and the test-only tools they share: the page renderer and the synthetic corpus.

Not shipped in the wheel. Tests import them as ``bench.synth`` and ``bench.render`` (the repository
root is on ``sys.path`` under pytest); ``bench/run`` puts the root there itself.
"""
