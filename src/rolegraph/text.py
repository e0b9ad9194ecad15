"""Small text helpers shared by the CLI, the query tables and the remote store's messages."""

from __future__ import annotations


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``1 page``, ``2 pages``, ``0 pages``; ``plural_form`` for nouns that do not take an ``s``."""
    return f"{count} {noun}" if count == 1 else f"{count} {plural_form or noun + 's'}"
