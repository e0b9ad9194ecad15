"""Regression: an interrupted first embedding of many role texts lost all of its work.

``vectors.embed_texts`` embedded every missing text in one call and saved the vectors only at its end. The first
blended ``nearest`` on a 10,000-role graph runs the model for minutes; stopped with Ctrl-C near the end, it had
saved nothing, and the next run started again from zero. Each batch is now saved as it finishes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("onnxruntime")

from rolegraph.align import embed, vectors


class StopsAfterOneBatch(embed.Encoder):
    """The real model, with Ctrl-C arriving while its second batch runs."""

    def __init__(self, real: embed.Encoder) -> None:
        super().__init__(real._session, real._tokenizer)
        self.batches = 0

    def _batch(self, texts: list[str]) -> Any:
        self.batches += 1
        if self.batches == 2:
            raise KeyboardInterrupt
        return super()._batch(texts)


def test_batches_finished_before_an_interrupt_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROLEGRAPH_CACHE_DIR", str(tmp_path))
    docs = [f"Role {i} builds pipelines for team {i}." for i in range(embed.BATCH + 5)]
    with pytest.raises(KeyboardInterrupt):
        vectors.embed_texts(StopsAfterOneBatch(embed.encoder()), docs)

    kept = list((tmp_path / "embeddings").rglob("*.npy"))
    assert len(kept) == embed.BATCH  # the first batch, saved before the interrupt

    before = vectors.texts_computed
    again = vectors.embed_texts(embed.encoder(), docs)
    assert vectors.texts_computed == before + 5  # only the texts the interrupted run had not finished
    assert np.allclose(again, embed.encoder().encode(docs), atol=1e-6)
