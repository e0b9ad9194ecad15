"""The vendored reference vocabularies: counts, IRIs as the graph mints them, hierarchy links, crosswalks."""

from __future__ import annotations

from rolegraph.align.candidates import ESCO_OCCUPATION, ESCO_SKILL
from rolegraph.align.vocab import concepts, isco_to_soc2018, soc2018_to_isco
from rolegraph.graph.soc import soc_groups
from rolegraph.graph.vocab import DEFAULT_BASE


def test_counts_match_the_sources() -> None:
    assert len(concepts("onet")) == 1016
    assert len(concepts("esco")) == 1701
    assert len(concepts("esco-skills")) == 13939
    assert len(concepts("isco")) == 619


def test_onet_occupation_sits_under_its_soc_2018_detailed_group() -> None:
    c = concepts("onet")[DEFAULT_BASE + "onet/2019/15-2051.01"]
    assert c.notation == "15-2051.01"
    assert c.label == "Business Intelligence Analysts"
    assert c.broader == (DEFAULT_BASE + "soc/2018/15-2051",)
    assert c.scheme == DEFAULT_BASE + "onet/2019"
    # every O*NET-SOC occupation's group is a real SOC 2018 detailed group
    details = {code for code, g in soc_groups().items() if g.level == "detailed"}
    assert all(x.broader[0].rsplit("/", 1)[1] in details for x in concepts("onet").values())


def test_esco_occupation_sits_under_its_isco_unit_group() -> None:
    c = concepts("esco")[ESCO_OCCUPATION + "006cc1f9-2841-41c3-991a-dc3f2f3bd533"]
    assert c.label == "physiotherapist"
    assert "physical therapist" in c.alt_labels
    assert c.broader == (DEFAULT_BASE + "isco/08/2264",)
    isco = concepts("isco")
    assert all(x.broader[0] in isco for x in concepts("esco").values())


def test_isco_groups_as_the_graph_has_them() -> None:
    isco = concepts("isco")
    unit = isco[DEFAULT_BASE + "isco/08/2511"]
    assert unit.label == "Systems analysts"
    assert unit.broader == (DEFAULT_BASE + "isco/08/251",)
    assert isco[DEFAULT_BASE + "isco/08/2"].broader == ()


def test_esco_skills_have_labels_and_descriptions() -> None:
    skills = concepts("esco-skills")
    python = skills[ESCO_SKILL + "ccd0a1d9-afda-43d9-b901-96344886e14d"]
    assert python.label == "Python (computer programming)"
    assert python.description.startswith("The techniques and principles of software development")
    assert python.broader == ()
    assert sum(1 for s in skills.values() if s.description) > 13800


def test_base_is_respected() -> None:
    other = concepts("onet", "https://example.org/x/")
    assert "https://example.org/x/onet/2019/15-2051.01" in other


def test_crosswalk_runs_isco_through_soc_2010_to_soc_2018() -> None:
    assert isco_to_soc2018()["2511"] == ("15-1211", "15-1221")
    assert "2511" in soc2018_to_isco()["15-1211"]
