"""The old home of :mod:`rolegraph.graph.io`, kept because the README imports ``load_graph`` from it.

A package, not a module, so that git still sees ``graphio.py`` renamed to ``graph/io.py``.
"""

from rolegraph.graph.io import load_graph as load_graph

__all__ = ["load_graph"]
