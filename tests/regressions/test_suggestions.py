"""Issue #12, item 5: "did you mean" lists each role once.

A role is close to an unknown name by its code, its title and each alias, and one alias can name
several roles; the suggestions used to list a role once per close name.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rolegraph.api import Session
from rolegraph.cli import cli
from rolegraph.roles.catalogue import Catalogue, UnknownRole
from rolegraph.web.search import SearchIndex


@pytest.fixture(scope="module")
def graph(synth_and_real_graph: Path) -> Path:
    return synth_and_real_graph


@pytest.fixture(scope="module")
def catalogue(graph: Path) -> Catalogue:
    return Session.open(graph).catalogue


def _near_names(catalogue: Catalogue) -> list[str]:
    """Unknown names one letter away from each alias: close to the alias and to the role's title."""
    aliases = sorted({a for r in catalogue.roles.values() for a in r.aliases})
    return [a[:-1] + ("X" if a[-1] != "X" else "Y") for a in aliases]


def test_the_corpus_has_aliases_shared_by_several_roles(catalogue: Catalogue) -> None:
    owners: dict[str, set[str]] = {}
    for role in catalogue.roles.values():
        for alias in role.aliases:
            owners.setdefault(alias, set()).add(role.code)
    assert any(len(codes) > 1 for codes in owners.values())


def test_resolve_suggests_each_role_once(catalogue: Catalogue) -> None:
    checked = 0
    for name in _near_names(catalogue):
        with pytest.raises(UnknownRole) as caught:
            catalogue.resolve(name)
        hint = caught.value.hint or ""
        if not hint.startswith("did you mean"):
            continue
        codes = [code for code in catalogue.roles if f"{code} (" in hint]
        mentioned = [hint.count(f"{code} (") for code in codes]
        assert mentioned and max(mentioned) == 1, (name, hint)
        checked += 1
    assert checked > 5


def test_sales_engineer_ii_lists_distinct_roles(catalogue: Catalogue) -> None:
    # "Sales Engineer II" is no alias; "Sales Engineer III" (an alias) and the title are both close
    assert len(catalogue.suggest("Sales Engineer II")) == len(set(catalogue.suggest("Sales Engineer II")))
    with pytest.raises(UnknownRole) as caught:
        catalogue.resolve("Sales Engineer II")
    hint = caught.value.hint or ""
    named = [part.split(" (")[0] for part in hint.removeprefix("did you mean ").split("; ")]
    assert len(named) == len(set(named)) > 1, hint


def test_the_cli_hint_names_each_role_once(graph: Path, catalogue: Catalogue) -> None:
    result = CliRunner().invoke(cli, ["nearest", "Sales Engineer II", "--graph", str(graph)])
    assert result.exit_code == 2
    named = [code for code in catalogue.roles if f"{code} (" in result.output]
    assert named and all(result.output.count(f"{code} (") == 1 for code in named), result.output


def test_the_web_suggestions_name_each_role_once(catalogue: Catalogue) -> None:
    index = SearchIndex(catalogue)
    for name in [*_near_names(catalogue), "datasc.aimachin97c0.p9"]:
        codes = [h.code for h in index.suggest(name)]
        assert len(codes) == len(set(codes)), (name, codes)
