"""Files shipped inside the package (ontology, shapes, JSON-LD context, queries).

In the repository ``src/rolegraph/ontology`` and ``src/rolegraph/queries`` are links to the
top-level ``ontology/`` and ``queries/`` folders, and the wheel carries their contents, so an
installed rolegraph needs nothing outside the package.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any


def resource(*parts: str) -> Traversable:
    node: Traversable = files("rolegraph")
    for part in parts:
        node = node / part
    return node


def ontology_text() -> str:
    return resource("ontology", "rolegraph.ttl").read_text(encoding="utf-8")


def shapes_text() -> str:
    return resource("ontology", "shapes.ttl").read_text(encoding="utf-8")


@cache
def jsonld_context() -> dict[str, Any]:
    """The ``@context`` object of ``ontology/context.jsonld``."""
    data = json.loads(resource("ontology", "context.jsonld").read_text(encoding="utf-8"))
    context: dict[str, Any] = data["@context"]
    return context
