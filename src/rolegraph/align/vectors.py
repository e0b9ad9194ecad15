"""Embeddings of the reference vocabularies, computed once and kept in the user cache folder.

``<cache root>/embeddings/<name>-<model>-<data version>-<digest>.npy``: the cache root is the one
``rolegraph cache path`` prints (``ROLEGRAPH_CACHE_DIR`` moves it); the digest is of the model id and
the texts embedded, so a change of model, of vendored data or of how a concept's text is made never
reads an old matrix. A file is written whole or not at all (a temporary file renamed into place); one
that cannot be read, or has the wrong shape, is recomputed. With ``ROLEGRAPH_NO_CACHE`` set nothing is
read or written. The first computation shows its progress on stderr (a terminal only).
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from rolegraph.align.embed import DIM, Encoder
from rolegraph.align.vocab import DATA_VERSION
from rolegraph.ask.cache import cache_root, disabled_by_env
from rolegraph.errors import FileAccessError
from rolegraph.graph.io import write_atomic

if TYPE_CHECKING:
    from pathlib import Path

    from numpy.typing import NDArray

log = logging.getLogger(__name__)

#: how many matrices this process computed (not read from the cache); tests observe the cache through it
computed = 0


def path_for(name: str, model_id: str, texts: Sequence[str]) -> Path:
    digest = hashlib.sha256(model_id.encode())
    for text in texts:
        digest.update(b"\0" + text.encode("utf-8"))
    return cache_root() / "embeddings" / f"{name}-{model_id}-{DATA_VERSION}-{digest.hexdigest()[:16]}.npy"


def embed_cached(encoder: Encoder, name: str, texts: Sequence[str]) -> NDArray[np.float32]:
    """The vectors of ``texts``, from the cache when present, else computed (with progress) and saved."""
    global computed  # noqa: PLW0603
    use_cache = not disabled_by_env()
    path = path_for(name, encoder.model_id, texts) if use_cache else None
    if path is not None and path.is_file():
        try:
            found: NDArray[np.float32] = np.load(path, allow_pickle=False)
            if found.shape == (len(texts), DIM) and found.dtype == np.float32:
                return found
            log.info("embeddings: %s has shape %s, recomputing", path, found.shape)
        except (OSError, ValueError) as exc:
            log.info("embeddings: cannot read %s (%s), recomputing", path, exc)
    matrix = encoder.encode(texts, progress=name)
    computed += 1
    if path is not None:
        buffer = io.BytesIO()
        np.save(buffer, matrix, allow_pickle=False)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, buffer.getvalue())
        except (OSError, FileAccessError) as exc:  # a read-only cache costs time, not the answer
            log.warning("embeddings: cannot save %s (%s)", path, exc)
    return matrix
