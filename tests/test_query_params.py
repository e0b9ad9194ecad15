"""Parameter values are bounded before they are bound: no NUL byte, at most MAX_PARAM_LENGTH characters."""

from __future__ import annotations

import pytest
from rdflib import Literal

from rolegraph.errors import QueryError
from rolegraph.query import MAX_PARAM_LENGTH, get_spec


@pytest.mark.parametrize("value", ["py\x00thon", "\x00", "x" * (MAX_PARAM_LENGTH + 1)])
def test_a_value_with_a_nul_or_over_the_length_bound_is_refused(value: str) -> None:
    with pytest.raises(QueryError) as info:
        get_spec("roles-with-skill").bind({"skill": value})
    assert str(info.value) == (
        f"roles-with-skill: parameter 'skill': expected at most {MAX_PARAM_LENGTH} characters, no NUL"
    )


def test_a_value_at_the_length_bound_is_bound() -> None:
    value = "x" * MAX_PARAM_LENGTH
    assert get_spec("roles-with-skill").bind({"skill": value}) == {"skill": Literal(value)}
