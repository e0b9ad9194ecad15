"""Issue #12, item 4: a title or focus match outranks a match on a fragment of the role code.

"data engineer" used to rank the AI / Machine Learning Engineering roles (their code starts with
DATASC, and "data" is a prefix of it) level with the Data Engineering roles, and ties go by code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rolegraph.api import Session
from rolegraph.web.search import SearchIndex


@pytest.fixture(scope="module")
def index(synth_and_real_graph: Path) -> SearchIndex:
    """The real page plus a generated corpus whose Data Science function has a Data Engineering focus."""
    return SearchIndex(Session.open(synth_and_real_graph).catalogue)


def _data_engineering(index: SearchIndex) -> set[str]:
    return {c for c, r in index.catalogue.roles.items() if r.focus_name == "Data Engineering"}


def test_the_corpus_has_data_engineering_next_to_ml_engineering_in_one_function(index: SearchIndex) -> None:
    functions = {r.function for r in index.catalogue.roles.values() if r.focus_name == "Data Engineering"}
    assert functions == {"DATASC"}
    assert len(_data_engineering(index)) >= 2
    assert "DATASC.AIMACHIN97C0.P7" in index.catalogue.roles


def test_data_engineer_ranks_every_data_engineering_role_first(index: SearchIndex) -> None:
    wanted = _data_engineering(index)
    hits = index.search("data engineer", limit=1000)
    first = [h.code for h in hits[: len(wanted)]]
    assert set(first) == wanted, hits[: len(wanted) + 3]
    ml = [h for h in hits if index.catalogue.roles[h.code].focus == "DATASC.AIMACHIN97C0"]
    assert len(ml) == 6  # still found (through "engineer" and the function name), only lower
    assert max(h.score for h in ml) < min(h.score for h in hits if h.code in wanted)


def test_a_code_fragment_weighs_less_than_a_focus_name(index: SearchIndex) -> None:
    # "datasc" is a whole part of the code; "data" is only a fragment of it
    whole = {h.code: h.score for h in index.search("datasc", limit=1000)}
    fragment = {h.code: h.score for h in index.search("data", limit=1000)}
    code = "DATASC.AIMACHIN97C0.P7"
    assert whole[code] > fragment[code]
    de = min(_data_engineering(index))
    assert fragment[de] > fragment[code]  # "Data" in the title and focus beats "data" in "DATASC"


def test_a_whole_code_is_still_found_first(index: SearchIndex) -> None:
    for code in sorted(index.catalogue.roles)[::7]:
        assert index.search(code)[0].code == code
        assert index.search(code.lower())[0].code == code
