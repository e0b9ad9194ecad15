"""A code that cannot become an IRI is reported at the record it came from (path:line), never as a bare line."""

from __future__ import annotations

import dataclasses

import pytest

from rolegraph.errors import RolegraphError, SeedError
from rolegraph.graph.rdf import Ids, build_graph
from rolegraph.pages.model import Page, Source


def test_a_bad_function_code_names_the_function_line(real_page: Page) -> None:
    where = Source("pages/x.txt", 5)
    page = dataclasses.replace(
        real_page, function=dataclasses.replace(real_page.function, code="bad code", source=where)
    )
    with pytest.raises(SeedError) as caught:
        build_graph([page])
    assert (caught.value.path, caught.value.line) == ("pages/x.txt", 5)
    assert str(caught.value).startswith("pages/x.txt:5: expected a function code matching ")
    assert str(caught.value).endswith(", found 'bad code'")


def test_a_bad_level_code_is_a_located_error_not_a_crash(real_page: Page) -> None:
    """It was a ValueError from parse_level_code (exit 4, "internal error") before the code was checked."""
    where = Source("pages/x.txt", 9)
    page = dataclasses.replace(real_page, level=dataclasses.replace(real_page.level, code="Q7", source=where))
    with pytest.raises(SeedError) as caught:
        build_graph([page])
    assert (caught.value.path, caught.value.line) == ("pages/x.txt", 9)
    assert "expected a level code matching" in str(caught.value)


def test_a_bad_role_code_names_the_page(real_page: Page) -> None:
    page = dataclasses.replace(real_page, role_code="not a role", source=Source("pages/x.txt", 3))
    with pytest.raises(SeedError, match=r"^pages/x.txt:3: expected a role code matching .*, found 'not a role'$"):
        build_graph([page])


def test_without_a_location_the_message_is_unchanged() -> None:
    """Codes minted for no record (a caller's own) keep the plain message, and it is still a RolegraphError."""
    with pytest.raises(RolegraphError, match=r"^expected a role code matching .*, found 'x'$") as caught:
        Ids().role("x")
    assert not isinstance(caught.value, SeedError)
