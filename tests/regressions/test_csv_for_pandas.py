"""Issue #18, item 4: the CSV export reads into pandas with numeric columns, and the documented recipe works.

The recipe in docs/exports.md was ``pandas.read_csv("roles.csv", keep_default_na=False)``: an empty cell
then reads as the text ``""``, so a pay column with one role without pay became a column of strings and
``df.pay_median.mean()`` raised TypeError. The export writes plain numbers and empty cells for unknown
values, so ``pd.read_csv`` with its defaults reads each number column as numbers, with NaN where unknown;
the recipe now says so, and this test runs the recipe as the doc writes it.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from rolegraph.api import Session
from tests.helpers import REAL_PAGE, REAL_ROLE, ROOT
from tests.helpers import invoke as run

NUMBERS = ("rank", "min_years", "max_years", "pay_median", "pay_low", "pay_high", "skill_count")
RECIPE = re.compile(r"`(pd\.read_csv\(\"roles\.csv\"[^`]*\))`")


@pytest.fixture(scope="module")
def roles_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real page (one role with pay, five without) and a generated function, exported as roles.csv."""
    from bench.synth import write_corpus

    root = tmp_path_factory.mktemp("csv-for-pandas")
    write_corpus(root / "seeds", 30, seed=3)
    shutil.copy(REAL_PAGE, root / "seeds" / REAL_PAGE.name)
    code, _, err = run("build", str(root / "seeds"), "-o", str(root / "graph"), "--no-validate", "--no-progress")
    assert code == 0, err
    code, _, err = run("export", "-o", str(root / "roles.csv"), "--graph", str(root / "graph" / "rolegraph.ttl"))
    assert code == 0, err
    return root / "roles.csv"


def test_number_columns_read_as_numbers_by_default(roles_csv: Path) -> None:
    frame = pd.read_csv(roles_csv)
    for column in NUMBERS:
        assert pd.api.types.is_numeric_dtype(frame[column]), (column, frame[column].dtype)
    real = frame.set_index("code").loc[REAL_ROLE]
    assert (real["pay_median"], real["pay_low"], real["pay_high"], real["min_years"]) == (231000, 182000, 294000, 15)
    without = frame[frame["code"] == "DATASC.AIMACHIN97C0.P2"].iloc[0]
    assert pd.isna(without["pay_median"]) and pd.isna(without["pay_low"])  # an empty cell is NaN
    paid = frame["pay_median"].dropna()
    assert 0 < len(paid) < len(frame)  # both kinds of rows are in the file
    assert frame["pay_median"].mean() == pytest.approx(paid.sum() / len(paid))


def test_the_documented_recipe_gives_numbers(roles_csv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
    recipes = RECIPE.findall(docs)
    assert recipes, "docs/exports.md shows how pandas reads roles.csv"
    monkeypatch.chdir(roles_csv.parent)
    for recipe in recipes:
        df = eval(recipe, {"pd": pd})  # noqa: S307 - the doc's own line, on our file
        assert isinstance(df, pd.DataFrame)
        assert df.pay_median.mean() == pytest.approx(pd.read_csv(roles_csv).pay_median.mean()), recipe
        assert pd.api.types.is_numeric_dtype(df.skill_count)


def test_the_old_recipe_is_what_failed(roles_csv: Path) -> None:
    """The bug itself, so this file fails if the export or pandas ever make it pass again by accident."""
    df = pd.read_csv(roles_csv, keep_default_na=False)
    assert not pd.api.types.is_numeric_dtype(df.pay_median)  # text: object, or str from pandas 3
    with pytest.raises(TypeError):
        df.pay_median.mean()


def test_a_title_that_reads_as_na_keeps_its_text_with_the_careful_recipe(roles_csv: Path) -> None:
    text = roles_csv.read_text(encoding="utf-8").replace("AI / Machine Learning Engineering — P2", "NA", 1)
    df = pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])
    assert "NA" in set(df.title) and pd.api.types.is_numeric_dtype(df.pay_median)
    assert df.pay_median.mean() == pytest.approx(pd.read_csv(roles_csv).pay_median.mean())
    assert len(df) == len(Session.open(roles_csv.parent / "graph" / "rolegraph.ttl").catalogue.roles)
