"""Publishing: exports (SSSOM, GraphML, CSV, ...), graph diffs and drawings.

The top stage floor: may import any stage below it, never ``api``, ``cli`` or ``web`` (docs/architecture.md).
"""
