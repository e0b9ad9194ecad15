"""Role names (roles.Catalogue.resolve): by code, title or alias, ignoring case; ambiguous or unknown names refused."""

from __future__ import annotations

import pytest

from rolegraph.roles.catalogue import Catalogue, RoleInfo, UnknownRole


def _role(code: str, title: str, *aliases: str) -> RoleInfo:
    focus = code.rsplit(".", 1)[0]
    return RoleInfo(code, title, "F", "Function", focus, "Focus", "P3", "P", 3, aliases)


@pytest.fixture
def catalogue() -> Catalogue:
    roles = [
        _role("F.DATA.P3", "Data Scientist", "ML Engineer", "Quant"),
        _role("F.STATS.P3", "Statistician", "Quant"),  # "Quant" names two roles
        _role("F.WEB.P3", "Web Developer"),
    ]
    return Catalogue({r.code: r for r in roles}, {})


@pytest.mark.parametrize(
    "name", ["F.DATA.P3", "Data Scientist", "data scientist", "  DATA SCIENTIST ", "ML Engineer", "ml engineer"]
)
def test_a_role_is_found_by_code_title_or_alias_ignoring_case(catalogue: Catalogue, name: str) -> None:
    assert catalogue.resolve(name).code == "F.DATA.P3"


def test_a_name_shared_by_two_roles_is_refused_naming_both(catalogue: Catalogue) -> None:
    with pytest.raises(UnknownRole) as info:
        catalogue.resolve("quant")
    assert str(info.value) == "expected one role, found 2 named 'quant': F.DATA.P3, F.STATS.P3"


def test_an_unknown_name_suggests_the_closest(catalogue: Catalogue) -> None:
    with pytest.raises(UnknownRole, match="expected a role code, title or alias, found 'Web Develper'") as info:
        catalogue.resolve("Web Develper")
    assert info.value.hint == "did you mean F.WEB.P3 (Web Developer)?"


def test_an_unknown_name_with_nothing_close_points_to_the_list(catalogue: Catalogue) -> None:
    with pytest.raises(UnknownRole) as info:
        catalogue.resolve("zzzz")
    assert info.value.hint == "see `rolegraph query roles`"
