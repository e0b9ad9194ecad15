"""Bad pages give one SeedError that reads ``path:line: expected ..., found ...``; tolerable form is accepted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rolegraph.errors import SeedError
from rolegraph.pages.parse import parse_page, parse_page_bytes, parse_page_text
from tests.helpers import lines_of, with_line

NAME = "page.txt"


def error_of(text: str) -> SeedError:
    with pytest.raises(SeedError) as info:
        parse_page_text(text, NAME)
    message = str(info.value)
    assert "\n" not in message
    assert re.match(rf"{re.escape(NAME)}(:\d+)?: expected ", message), message
    return info.value


BAD_EDITS = [
    # (id, line, replacement or None to delete, expected error line, words in the message)
    ("role-codes-disagree", 9, "DATASC.AIMACHIN97C0.P6", 9, "role code DATASC.AIMACHIN97C0.P7"),
    ("bad-role-code", 3, "DATASC.AI MACHIN.P7", 3, "role code"),
    ("role-code-with-angle", 3, "DATASC.<AIMACHIN>.P7", 3, "role code"),
    ("unknown-status-word", 11, "P7P7 — Staff / Distinguished Professionalhigh0.80pendingglobalv1", 11, "status word"),
    ("unknown-band", 11, "P7P7 — Staff / Distinguished Professionalsuper0.80approvedglobalv1", 11, "confidence band"),
    (
        "confidence-above-one",
        11,
        "P7P7 — Staff / Distinguished Professionalhigh1.80approvedglobalv1",
        11,
        "between 0 and 1",
    ),
    ("level-disagrees", 16, "P6 · P6 — Staff / Distinguished Professional · 15–22 yrs", 16, "level P7"),
    ("experience-reversed", 16, "P7 · P7 — Staff / Distinguished Professional · 22–15 yrs", 16, "min <= max"),
    ("function-disagrees", 18, "Data Sciences · AI / Machine Learning Engineering", 18, "function"),
    ("pay-unordered", 20, "$331k ($182k$294k)", 20, "low <= median <= high"),
    ("pay-not-available", 20, "N/A", 20, "market pay"),
    ("pay-negative", 20, "-1", 20, "market pay"),
    ("pay-mixed-currency", 20, "£30k (£20k–$40k)", 20, "one currency symbol"),
    ("definition-differs", 26, "Something else entirely.", 26, "focus definition as on line 13"),
    (
        "unknown-differential",
        28,
        "Material PAY and TITLE differential vs the function baseline.",
        28,
        "differential flags",
    ),
    (
        "guideline-three-cells",
        76,
        "P2Applies foundational ML algorithms. Solves problems; builds relationships.2+ years.",
        76,
        "4 cells",
    ),
    ("guideline-header", 75, "LevelKnowledgeComplexity", 75, "guideline table header"),
    ("skill-without-description", 112, None, 111, "description line"),
    ("review-score-seven", 118, "Level differentiation7.0Focus specificity5.0", 118, "between 1 and 5"),
    ("sources-not-a-number", 119, "many sources", 119, "'N sources'"),
    ("descriptor-unknown-key", 125, "Scopes", 125, "level descriptor key 'Scope'"),
    ("mapping-bad-code", 152, "  • code=15_2051source=jfm-factory.resolve", 152, "O*NET / SOC code"),
    ("mapping-garbled", 152, "  • 15-2051 from jfm", 152, "code=<code>source=<tool>"),
    ("own-level-not-marked", 64, "P7", 30, "marked 'this profile'"),
    ("bullet-before-level", 34, "  • orphan", 34, "level code before the first bullet"),
    ("missing-section", 114, None, 120, "section 'Provenance'"),
    ("section-twice", 140, "Skills", 140, "section 'Skills' once"),
    ("sections-out-of-order", 71, "Skills", 71, "section 'Level guidelines', found section 'Skills'"),
    ("header-short", 1, None, 1, "back link"),
]


@pytest.mark.parametrize(
    ("line", "new", "error_line", "words"), [c[1:] for c in BAD_EDITS], ids=[c[0] for c in BAD_EDITS]
)
def test_bad_page(real_text: str, line: int, new: str | None, error_line: int, words: str) -> None:
    error = error_of(with_line(real_text, line, new))
    assert error.line == error_line, str(error)
    assert words in str(error), str(error)


def test_own_level_line_is_p7(real_text: str) -> None:
    # guard for the fixture above: line 64 is the own level's marker
    assert lines_of(real_text)[63] == "P7this profile"


@pytest.mark.parametrize("cut", [5, 12, 20, 40, 72, 90, 115, 124])
def test_truncated_page(real_text: str, cut: int) -> None:
    error = error_of("\n".join(lines_of(real_text)[:cut]))
    assert 0 < error.line <= cut
    assert "expected" in str(error)


def test_empty_and_header_only(real_text: str) -> None:
    assert "empty file" in str(error_of(""))
    assert "empty file" in str(error_of("\n \n\t\n"))
    error = error_of("\n".join(lines_of(real_text)[:11]))
    assert "section 'Level'" in str(error)


def test_non_utf8(real_text: str) -> None:
    data = bytearray(real_text.encode("utf-8"))
    offset = data.index(b"Skills")
    data[offset] = 0xFF
    with pytest.raises(SeedError) as info:
        parse_page_bytes(bytes(data), NAME)
    assert info.value.line == 83
    assert "UTF-8" in str(info.value)


def test_nul_byte(real_text: str) -> None:
    error = error_of(with_line(real_text, 87, "Data\x00 preprocessing"))
    assert error.line == 87


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SeedError, match="readable file"):
        parse_page(tmp_path / "nope.txt")


# -- tolerated form ------------------------------------------------------------------------------


def test_crlf_bom_nbsp_trailing_blanks(real_text: str) -> None:
    expected = parse_page_text(real_text, NAME)
    messy = "\ufeff" + "\r\n".join(line + "  \t" for line in lines_of(real_text)) + "\r\n\r\n"
    messy = messy.replace("Level differentiation", "Level\u00a0differentiation")
    page = parse_page_text(messy, NAME)
    assert page == expected
    assert page.skills[0].source.line == 87


def test_pay_with_dash_and_as_dash(real_text: str) -> None:
    assert (
        parse_page_text(with_line(real_text, 20, "$231k ($182k–$294k)"), NAME).pay
        == parse_page_text(real_text, NAME).pay
    )
    assert parse_page_text(with_line(real_text, 20, "—"), NAME).pay is None
    pounds = parse_page_text(with_line(real_text, 20, "£35k (£30k–£40k)"), NAME).pay
    assert pounds is not None
    assert (pounds.median, pounds.low, pounds.high, pounds.currency) == (35000, 30000, 40000, "GBP")


def test_optional_sections_absent(real_text: str) -> None:
    lines = lines_of(real_text)
    text = "\n".join(lines[:27] + lines[29:139])  # no differential line, no adjacent, aliases or mappings
    page = parse_page_text(text, NAME)
    assert page.differentials == ()
    assert page.aliases == ()
    assert page.mappings == ()


def test_aliases_and_two_schemes(real_text: str) -> None:
    text = (
        real_text.replace(
            "No title aliases recorded for this profile yet.", "  • Staff ML Engineer\n  • Principal AI Engineer"
        )
        + "\n\nISCO-08\n\n  • code=2512source=manual"
    )
    page = parse_page_text(text, NAME)
    assert [a.title for a in page.aliases] == ["Staff ML Engineer", "Principal AI Engineer"]
    assert [(m.scheme, m.code) for m in page.mappings] == [("O*NET / SOC", "15-2051"), ("ISCO-08", "2512")]


def test_management_track(real_text: str) -> None:
    text = (
        real_text.replace("DATASC.AIMACHIN97C0.P7", "DATASC.AIMACHIN97C0.M3")
        .replace("Engineering — P7", "Engineering — M3")
        .replace("P7P7 — Staff / Distinguished Professional", "M3M3 — Senior Manager")
        .replace("P7 · P7 — Staff / Distinguished Professional · 15–22 yrs", "M3 · M3 — Senior Manager · 10+ yrs")
        .replace("P7this profile", "M3this profile")
        .replace("Level — P7 — Staff / Distinguished Professional", "Level — M3 — Senior Manager")
        .replace("\nP7Advances", "\nM3Advances")
        .replace("\nP7\n", "\nM3\n")
    )
    page = parse_page_text(text, NAME)
    assert (page.level.code, page.level.track, page.level.rank) == ("M3", "M", 3)
    assert (page.level.experience_min, page.level.experience_max) == (10, None)
