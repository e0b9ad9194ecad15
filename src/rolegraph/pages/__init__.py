"""Pages: the canon profile page records (:mod:`.model`) and the parser that reads them (:mod:`.parse`).

The first floor: imports only ``errors``, ``formats``, ``text`` and ``resources`` (docs/architecture.md).
"""
