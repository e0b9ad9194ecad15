"""Asking the graph: the local Oxigraph store, the shipped SPARQL query library, remote SPARQL stores.

Imports only ``graph``, ``pages`` and the base modules (docs/architecture.md).
"""
