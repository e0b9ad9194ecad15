"""Alignment with other job taxonomies: roles and skills -> O*NET-SOC, ESCO, ISCO-08 (docs/alignment.md).

On the same floor as ``publish``: may import ``roles``, ``ask``, ``graph``, ``pages`` and the base
modules; ``publish`` may import it, it never imports ``publish`` (docs/architecture.md).
"""
