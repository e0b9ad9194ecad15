"""`Table.records()` and `Table.to_pandas()`: a query's rows as typed Python values and a typed DataFrame (issue #18)."""

from __future__ import annotations

import datetime
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from rdflib import Literal, URIRef

from rolegraph import api
from rolegraph.ask.store import Table
from rolegraph.errors import MissingExtra, RolegraphError
from tests.helpers import REAL_ROLE


def xsd(name: str) -> URIRef:
    """An XML Schema datatype (rdflib's XSD namespace object, imported here, makes pytest warn)."""
    return URIRef(f"http://www.w3.org/2001/XMLSchema#{name}")


IRI = URIRef("https://w3id.org/rolegraph/id/level/P7")
UTC = datetime.UTC

#: one column per kind of value, the second row unbound everywhere
TYPED = Table(
    ("iri", "text", "count", "pay", "ratio", "day", "when", "flag", "year", "odd"),
    (
        (
            IRI,
            Literal("Staff", lang="en"),
            Literal("7", datatype=xsd("integer")),
            Literal("231000.50", datatype=xsd("decimal")),
            Literal("0.25", datatype=xsd("double")),
            Literal("2026-12-01", datatype=xsd("date")),
            Literal("2026-12-01T10:30:00Z", datatype=xsd("dateTime")),
            Literal("true", datatype=xsd("boolean")),
            Literal("2026", datatype=xsd("gYear")),
            Literal("seven", datatype=xsd("integer")),  # ill-typed: kept as its text
        ),
        (None,) * 10,
        (
            IRI,
            Literal("Senior"),
            Literal("5", datatype=xsd("nonNegativeInteger")),
            Literal("182000", datatype=xsd("decimal")),
            Literal("1", datatype=xsd("double")),
            Literal("2025-01-31", datatype=xsd("date")),
            Literal("2025-01-31T00:00:00+01:00", datatype=xsd("dateTime")),
            Literal("false", datatype=xsd("boolean")),
            Literal("2025", datatype=xsd("gYear")),
            Literal("6", datatype=xsd("integer")),
        ),
    ),
)


def test_records_are_typed_values_with_none_for_missing() -> None:
    first, missing, last = TYPED.records()
    assert first == {
        "iri": str(IRI),
        "text": "Staff",
        "count": 7,
        "pay": Decimal("231000.50"),
        "ratio": 0.25,
        "day": datetime.date(2026, 12, 1),
        "when": datetime.datetime(2026, 12, 1, 10, 30, tzinfo=UTC),
        "flag": True,
        "year": "2026",
        "odd": "seven",
    }
    kinds = [str, str, int, Decimal, float, datetime.date, datetime.datetime, bool, str, str]
    assert [type(v) for v in first.values()] == kinds
    assert missing == dict.fromkeys(TYPED.columns)
    assert (last["count"], last["flag"], last["odd"]) == (5, False, 6)
    assert list(first) == list(TYPED.columns)


def test_to_pandas_gives_typed_columns() -> None:
    frame = TYPED.to_pandas()
    assert list(frame.columns) == list(TYPED.columns) and len(frame) == 3
    dtypes = {name: str(dtype) for name, dtype in frame.dtypes.items()}
    assert dtypes["count"] == "Int64"
    assert dtypes["pay"] == dtypes["ratio"] == "float64"
    assert dtypes["flag"] == "boolean"
    assert dtypes["day"].startswith("datetime64") and dtypes["when"].startswith("datetime64")
    assert "UTC" in dtypes["when"]  # a time zone in the data: one UTC column
    assert dtypes["iri"] == dtypes["text"] == dtypes["year"] == "object"
    assert dtypes["odd"] == "object"  # "seven" and 6: mixed, kept as Python values
    assert frame["pay"].mean() == pytest.approx((231000.50 + 182000) / 2)
    assert frame["count"].sum() == 12
    assert frame.loc[0, "day"] == pd.Timestamp("2026-12-01")
    assert frame.loc[2, "when"] == pd.Timestamp("2025-01-30T23:00:00Z")
    missing = frame.iloc[1]
    assert missing["count"] is pd.NA and missing["flag"] is pd.NA
    assert pd.isna(missing["pay"]) and missing["day"] is pd.NaT
    assert missing["iri"] is None and missing["text"] is None


def test_an_empty_table_is_an_empty_frame_with_its_columns() -> None:
    frame = Table(("a", "b"), ()).to_pandas()
    assert list(frame.columns) == ["a", "b"] and len(frame) == 0
    assert Table(("a", "b"), ()).records() == []


def test_a_shipped_query_through_the_session(real_graph_file: Path) -> None:
    session = api.Session.open(real_graph_file)
    table = session.query("pay-by-level", {"function": "DATASC"})
    assert isinstance(table, api.Table)
    (record,) = table.records()
    assert (record["level"], record["minMedian"], record["low"], record["high"]) == ("P7", 231000, 182000, 294000)
    frame = table.to_pandas()
    assert frame["minMedian"].mean() == 231000
    roles = session.query("role", {"code": REAL_ROLE}).to_pandas()
    assert roles.loc[0, "median"] == 231000 and str(roles["median"].dtype) in {"Int64", "float64"}
    assert [list(r.values()) for r in table.records()] == [list(row) for row in table.values()]


def test_to_pandas_without_pandas_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # what `import pandas` meets where it is not installed
    with pytest.raises(MissingExtra) as raised:
        TYPED.to_pandas()
    assert str(raised.value) == "Table.to_pandas needs pandas, which is not installed (pip install 'rolegraph[pandas]')"
    assert isinstance(raised.value, RolegraphError) and isinstance(raised.value, ImportError)
    assert TYPED.records()  # records need nothing
