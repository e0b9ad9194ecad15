"""Regression: the blend's text component embedded every role's text again whenever any one changed.

The role vectors were cached as one file keyed by all the texts together, so a graph rebuilt after editing one
page of 10,000 embedded all 10,000 role texts again on its first ``nearest`` (tens of CPU minutes on 2 cores).
Now each text has its own cache file, and only changed texts are embedded.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime")

from rolegraph.align import embed, vectors
from rolegraph.align.similarity import _vectors


def test_one_changed_role_text_is_the_only_one_embedded_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROLEGRAPH_CACHE_DIR", str(tmp_path))
    docs = ["Builds data pipelines and warehouses.", "Trains and deploys models.", "Leads a team of engineers."]
    loads: list[int] = []

    def model() -> embed.Encoder:
        loads.append(1)
        return embed.encoder()

    before = vectors.texts_computed
    first = _vectors(model, docs)
    assert vectors.texts_computed == before + 3
    assert np.allclose(first, embed.encoder().encode(docs), atol=1e-6)

    again = _vectors(model, docs)  # every text cached: read back without loading the model
    assert np.array_equal(again, first)
    assert len(loads) == 1

    edited = [docs[0], "Trains, evaluates and deploys models.", docs[2]]
    second = _vectors(model, edited)
    assert vectors.texts_computed == before + 4  # the edited text only
    assert np.array_equal(second[[0, 2]], first[[0, 2]])
    assert not np.allclose(second[1], first[1])
