"""Embeddings of the reference vocabularies, computed once and kept in the user cache folder.

``<cache root>/embeddings/<name>-<model>-<data version>-<digest>.npy``: the cache root is the one
``rolegraph cache path`` prints (``ROLEGRAPH_CACHE_DIR`` moves it); the digest is of the model id and
the texts embedded, so a change of model, of vendored data or of how a concept's text is made never
reads an old matrix. A file is written whole or not at all (a temporary file renamed into place); one
that cannot be read, or has the wrong shape, is recomputed. With ``ROLEGRAPH_NO_CACHE`` set nothing is
read or written. The first computation shows its progress on stderr (a terminal only).

A subject's own query text (a role's "title. focus definition") is kept too, one small file per text:
``<cache root>/embeddings/texts-<model>-<data version>/<digest>.npy``, the digest of the text alone
(:func:`embed_texts`). A warm ``rolegraph align ROLE`` then reads its query vector instead of running the
model, which is most of the time of aligning one role.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from rolegraph.align.embed import DIM, Encoder
from rolegraph.align.vocab import DATA_VERSION
from rolegraph.ask.cache import cache_root, disabled_by_env
from rolegraph.errors import FileAccessError
from rolegraph.graph.io import write_atomic
from rolegraph.graph.pagecache import write_entry

if TYPE_CHECKING:
    from pathlib import Path

    from numpy.typing import NDArray

log = logging.getLogger(__name__)

#: how many matrices this process computed (not read from the cache); tests observe the cache through it
computed = 0
#: how many single texts :func:`embed_texts` ran through the model (not read from the cache)
texts_computed = 0


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


def text_path(model_id: str, text: str) -> Path:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    return cache_root() / "embeddings" / f"texts-{model_id}-{DATA_VERSION}" / f"{digest}.npy"


def _loaded(encoder: Encoder | Callable[[], Encoder]) -> Encoder:
    return encoder if isinstance(encoder, Encoder) else encoder()


def _read_vector(path: Path) -> NDArray[np.float32] | None:
    try:
        found: NDArray[np.float32] = np.load(path, allow_pickle=False)
    except (OSError, ValueError):
        return None  # absent, or damaged: recomputed, never trusted
    return found if found.shape == (DIM,) and found.dtype == np.float32 else None


def embed_texts(
    encoder: Encoder | Callable[[], Encoder], texts: Sequence[str], progress: str | None = None
) -> NDArray[np.float32]:
    """The vectors of ``texts`` (subjects' query texts, roles' texts), each read from its own cache file when
    present; the rest are embedded in one batch (with ``progress``, a count on a terminal) and saved, one file
    each: after one text changes, only that one is embedded again. ``encoder`` may be a function that loads
    the model: it is called only when some text is not cached."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if disabled_by_env():
        return _loaded(encoder).encode(texts, progress=progress) if texts else out
    missing: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        found = _read_vector(text_path(Encoder.model_id, text))
        if found is None:
            missing.setdefault(text, []).append(i)
        else:
            out[i] = found
    if missing:
        pending = list(missing)
        saving = True  # after one failed save (a read-only cache) the rest are not tried

        def keep(done: list[int], vectors: NDArray[np.float32]) -> None:
            """Save each batch as it finishes: an interrupted first embedding of 10,000 texts keeps its work."""
            nonlocal saving
            global texts_computed  # noqa: PLW0603
            texts_computed += len(done)
            for j, vector in zip(done, vectors, strict=True):
                if saving:
                    saving = _save_vector(text_path(Encoder.model_id, pending[j]), vector)

        fresh = _loaded(encoder).encode(pending, progress=progress, each=keep)
        for text, vector in zip(pending, fresh, strict=True):
            out[missing[text]] = vector
    return out


def _save_vector(path: Path, vector: NDArray[np.float32]) -> bool:
    """Write one text's vector (``pagecache.write_entry``: temporary file, then rename, no fsync; a torn
    file fails :func:`_read_vector`'s check and is recomputed). False when the cache cannot be written."""
    buffer = io.BytesIO()
    np.save(buffer, vector, allow_pickle=False)
    return write_entry(path, buffer.getvalue())
