"""Every field of the real page, checked against the page itself."""

from __future__ import annotations

from decimal import Decimal

from rolegraph.pages.model import Page
from tests.helpers import REAL_ROLE


def test_header_and_status(real_page: Page) -> None:
    assert real_page.role_code == REAL_ROLE
    assert real_page.path == "000_cf26a15490124fcc.txt"
    assert real_page.source.line == 3
    assert real_page.title == "AI / Machine Learning Engineering — P7"
    assert (real_page.function.code, real_page.function.name) == ("DATASC", "Data Science & Analytics")
    status = real_page.status
    assert (status.confidence_band, status.confidence_score) == ("high", Decimal("0.80"))
    assert (status.status, status.region, status.version) == ("approved", "global", "v1")
    assert status.source.line == 11


def test_focus_and_siblings(real_page: Page) -> None:
    focus = real_page.focus
    assert (focus.code, focus.function_code, focus.name) == (
        "DATASC.AIMACHIN97C0",
        "DATASC",
        "AI / Machine Learning Engineering",
    )
    assert focus.definition.startswith("AI / Machine Learning Engineering — builds, trains, deploys")
    assert focus.definition.endswith("aligns ML capability with business objectives.")
    assert [(s.name, s.gloss) for s in focus.distinct_from] == [
        ("Data Science", "hypothesis-driven statistical analysis and experimentation"),
        ("Data Engineering", "data platform/pipeline plumbing"),
    ]


def test_level_and_pay(real_page: Page) -> None:
    level = real_page.level
    assert (level.code, level.track, level.rank) == ("P7", "P", 7)
    assert level.title == "Staff / Distinguished Professional"
    assert (level.experience_min, level.experience_max) == (15, 22)
    assert level.source.line == 16
    pay = real_page.pay
    assert pay is not None
    assert (pay.median, pay.low, pay.high, pay.currency, pay.period) == (231000, 182000, 294000, "USD", "P1Y")
    assert pay.source.line == 20
    assert real_page.differentials == ("PAY", "SKILL")


def test_responsibilities(real_page: Page) -> None:
    blocks = real_page.responsibilities
    assert [b.level_code for b in blocks] == ["P2", "P3", "P4", "P5", "P6", "P7"]
    assert [b.is_own for b in blocks] == [False] * 5 + [True]
    assert all(len(b.items) == 5 for b in blocks)
    assert blocks[0].items[0].text.startswith("Performs data preprocessing — cleans and transforms raw data")
    assert blocks[0].items[0].source.line == 35
    assert (
        blocks[-1]
        .items[-1]
        .text.endswith("persuading and educating senior decision-makers on strategic ML priorities.")
    )


def test_guidelines(real_page: Page) -> None:
    rows = real_page.guidelines
    assert [r.level_code for r in rows] == ["P2", "P3", "P4", "P5", "P6", "P7"]
    p2 = rows[0]
    assert p2.knowledge.startswith("Applies foundational ML algorithms") and p2.knowledge.endswith(
        "under detailed guidance."
    )
    assert p2.complexity.startswith("Solves technical problems of moderate scope")
    assert p2.collaboration.startswith("Builds productive working relationships")
    assert p2.degree_years == "2+ years with a BA/BS, or an MS/PhD with no prior experience."
    assert rows[-1].degree_years.startswith("20+ years, or equivalent recognition")


def test_skills(real_page: Page) -> None:
    skills = real_page.skills
    assert len(skills) == 13
    assert (skills[0].name, skills[0].source.line) == ("Data preprocessing & feature engineering", 87)
    assert skills[6].name == "Programming (Python, SQL, Java)"
    assert skills[-1].name == "Mentoring & technical leadership"
    assert skills[-1].description == "Guides and mentors junior engineers and leads teams on advanced techniques."


def test_provenance(real_page: Page) -> None:
    prov = real_page.provenance
    assert [(s.dimension, s.score) for s in prov.scores] == [
        ("Level differentiation", Decimal("4.5")),
        ("Focus specificity", Decimal("5.0")),
        ("Concreteness", Decimal("4.5")),
        ("Factual accuracy", Decimal("4.0")),
        ("Real-world coverage", Decimal("4.5")),
    ]
    assert prov.source_count == 15
    assert prov.pass_threshold == Decimal(4)
    assert prov.min_score == Decimal("4.0")
    assert prov.passes


def test_descriptor_aliases_mappings(real_page: Page) -> None:
    d = real_page.descriptor
    assert (d.level_code, d.title) == ("P7", "Staff / Distinguished Professional")
    assert d.summary.startswith("Staff-level individual contributor: owns architecture across systems")
    assert dict(d.attributes) == {
        "Scope": "Cross-organization / enterprise technical strategy",
        "Autonomy": "Operates autonomously at the enterprise level",
        "Complexity": "Industry-level, highly ambiguous problems",
        "Impact": "Enterprise-wide",
        "Decision rights": "Final technical authority across multiple domains",
        "Leadership": "Sets technical direction org-wide; develops principals",
        "Typical experience": "15–22 yrs",
    }
    assert real_page.aliases == ()
    assert [(m.scheme, m.code, m.tool) for m in real_page.mappings] == [
        ("O*NET / SOC", "15-2051", "jfm-factory.resolve")
    ]
    assert real_page.mappings[0].source.line == 152
