"""Alignment with other job taxonomies and role similarity (reserved: no modules yet).

On the same floor as ``publish``: may import ``roles``, ``ask``, ``graph``, ``pages`` and the base
modules; ``publish`` may import it, it never imports ``publish`` (docs/architecture.md).
"""
