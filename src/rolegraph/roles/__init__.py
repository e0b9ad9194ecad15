"""Roles: the catalogue read from the graph, distances and career paths, the distance index.

``from rolegraph.roles import Catalogue`` keeps working: the catalogue's public names are re-exported
here (the catalogue is in :mod:`rolegraph.roles.catalogue`).
"""

from rolegraph.roles.catalogue import MAX_RANK, Catalogue, RoleInfo, UnknownRole, load_catalogue, skill_overlap

__all__ = ["MAX_RANK", "Catalogue", "RoleInfo", "UnknownRole", "load_catalogue", "skill_overlap"]
