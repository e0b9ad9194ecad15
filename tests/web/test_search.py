"""The role search: typo tolerance, initials, and that every role is found by its own names."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolegraph.api import Session
from rolegraph.web.search import SearchIndex, edits, initials, typo_limit, words


def levenshtein(a: str, b: str) -> int:
    """The textbook full-table distance, as the reference for the bounded one."""
    table = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
    return table[-1][-1]


@given(st.text("abcde", max_size=9), st.text("abcde", max_size=9), st.integers(0, 3))
def test_bounded_edits_agree_with_levenshtein_up_to_the_limit(a: str, b: str, limit: int) -> None:
    exact = levenshtein(a, b)
    assert edits(a, b, limit) == (exact if exact <= limit else limit + 1)


def test_words_and_initials() -> None:
    assert words("AI / Machine Learning Engineering — P7") == ["ai", "machine", "learning", "engineering", "p7"]
    assert words("Données & IA") == ["donnees", "ia"]
    assert "ml" in initials("AI / Machine Learning Engineering")
    assert "rwc" in initials("Real-world coverage")
    assert "fs" not in initials("Focus and")  # stop words are skipped, one word has no initials
    assert [typo_limit(t) for t in ("abc", "abcd", "abcdefgh")] == [0, 1, 2]


@pytest.fixture(scope="module")
def index(synth_graph: Path) -> SearchIndex:
    return SearchIndex(Session.open(synth_graph).catalogue)


def test_every_role_is_found_first_by_its_code(index: SearchIndex) -> None:
    for code in index.catalogue.roles:
        assert index.search(code)[0].code == code
        assert index.exact(code) == {code}


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_role_is_found_by_its_title_with_one_typo(index: SearchIndex, data: st.DataObject) -> None:
    role = data.draw(st.sampled_from(sorted(index.catalogue.roles.values(), key=lambda r: r.code)))
    tokens = [w for w in words(role.title) if len(w) >= 5]  # the typo keeps the four letters a typo needs
    if not tokens:
        return
    token = data.draw(st.sampled_from(tokens))
    at = data.draw(st.integers(1, len(token) - 1))
    typo = token[:at] + token[at + 1 :]  # one letter dropped
    query = " ".join(typo if w == token else w for w in words(role.title))
    assert role.code in {h.code for h in index.search(query, limit=10_000)}


def test_suggestions_fall_back_to_close_names(index: SearchIndex) -> None:
    code = sorted(index.catalogue.roles)[0]
    wrong = code[:-1] + "9"
    assert index.search(wrong) == []
    assert code.rsplit(".", 1)[0] in index.suggest(wrong)[0].code
