"""Role names (roles.Catalogue.resolve): by code, title or alias, ignoring case; ambiguous or unknown names refused.
And the catalogue as a cache entry keeps it: the same roles read back, each made when it is asked for."""

from __future__ import annotations

import json

import pytest

from rolegraph.roles.catalogue import (
    Catalogue,
    RoleInfo,
    RoleTable,
    UnknownRole,
    catalogue_from_json,
    catalogue_to_json,
)


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


# -- the cached form: columns read back into the same catalogue, each role made when asked for ---------


def test_the_cached_columns_read_back_into_the_same_catalogue(catalogue: Catalogue) -> None:
    odd = RoleInfo("G.X.M2", "Manager", "G", "Other function", "F.DATA", "Focus in two functions", "M2", "M", 2)
    source = Catalogue({**catalogue.roles, odd.code: odd}, {"F.DATA": ("SQL", "Python"), "F.WEB": ("CSS", "SQL")})
    text = json.dumps(catalogue_to_json(source))
    back = catalogue_from_json(json.loads(text))
    assert isinstance(back.roles, RoleTable)
    assert list(back.roles) == list(source.roles)  # the graph's order
    assert back.roles == source.roles
    assert dict(back.skills) == dict(source.skills)
    columns = [list(column) for column in back.coordinates()]
    assert columns == [list(column) for column in Catalogue(dict(source.roles), {}).coordinates()]
    assert back.resolve("ml engineer").code == "F.DATA.P3"


def test_a_cached_role_is_made_only_when_asked_for(catalogue: Catalogue) -> None:
    back = catalogue_from_json(json.loads(json.dumps(catalogue_to_json(catalogue))))
    table = back.roles
    assert isinstance(table, RoleTable)
    assert "F.WEB.P3" in table and "F.NOPE.P3" not in table
    assert table._made == {}
    assert back.resolve("F.WEB.P3").title == "Web Developer"
    assert set(table._made) == {"F.WEB.P3"}
    with pytest.raises(KeyError):
        table["F.NOPE.P3"]
