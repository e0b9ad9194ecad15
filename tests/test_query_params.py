"""Parameter values are bounded before they are bound: no NUL byte, at most MAX_PARAM_LENGTH characters."""

from __future__ import annotations

import pytest
from rdflib import Literal

from rolegraph.ask.query import MAX_PARAM_LENGTH, parse_spec
from rolegraph.errors import QueryError

SPEC = parse_spec(
    "by-name",
    "# Nodes by name.\n# param name: string  a name\nSELECT ?s WHERE { ?s <https://schema.org/name> ?name }",
    "by-name.rq",
)


@pytest.mark.parametrize("value", ["py\x00thon", "\x00", "x" * (MAX_PARAM_LENGTH + 1)])
def test_a_value_with_a_nul_or_over_the_length_bound_is_refused(value: str) -> None:
    with pytest.raises(QueryError) as info:
        SPEC.bind({"name": value})
    assert str(info.value) == f"by-name: parameter 'name': expected at most {MAX_PARAM_LENGTH} characters, no NUL"


def test_a_value_at_the_length_bound_is_bound() -> None:
    value = "x" * MAX_PARAM_LENGTH
    assert SPEC.bind({"name": value}) == {"name": Literal(value)}
