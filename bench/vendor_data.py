"""Rebuild the reference vocabularies shipped in ``src/rolegraph/data/`` from the shared source files.

    python -m bench.vendor_data /path/to/shared/data

Writes gzip'd CSV (mtime 0, so the same sources give the same bytes). What each file holds, where it
comes from and the credits to keep are in ``src/rolegraph/data/README.md``.

ESCO skills: the full list (``esco_skills.csv``) runs each skill's labels and description together.
The description is split off at the first capitalised word that starts it (checked against the 871
skills that ``esco_skills_labelled.csv`` gives with separate fields: 93% found the same description;
the rest differ mostly by ESCO version). The preferred label comes from the labelled file or from the
ICT occupations' essential skills where they name it, else it is guessed from the run-together labels
(55% exact on the labelled ones); ``label_source`` says which (``esco`` or ``derived``). The other labels
stay run together in ``alt_labels``.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "rolegraph" / "data"

_CAPITAL = re.compile(r"(?<= )[A-Z][a-z]")
_ARTICLES = frozenset({"The", "A", "An"})


def write_gz_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(buffer.getvalue().encode("utf-8"))


def split_description(text: str) -> tuple[str, str]:
    """(labels run together, description) of one ``esco_skills.csv`` text."""
    for match in _CAPITAL.finditer(text):
        i = match.start()
        word = text[i:].split(" ", 1)[0]
        before = text[:i].split()
        if word not in _ARTICLES:
            if re.search(r"(?<![A-Za-z])" + re.escape(word) + r"(?![A-Za-z])", text[:i]):
                continue  # a capitalised label word seen before: still the labels
            previous = before[-1]
            if previous[:1].isupper() or previous[:1].isdigit():
                continue  # inside a proper name ("Apache Tomcat")
            if previous in {"and", "&", "of", "for"} and len(before) > 1 and before[-2][:1].isupper():
                continue  # "Cain and Abel"
        return text[:i].strip(), text[i:].strip()
    return text.strip(), ""


def guess_preferred(labels: str) -> str:
    """The first of several labels run together: up to the first word's return, else a repeated head."""
    words = labels.split()
    n = len(words)
    for k in range(2, n):
        if words[k] == words[0]:
            return " ".join(words[:k])

    def recurs(seq: list[str], start: int) -> bool:
        m = len(seq)
        return any(words[j : j + m] == seq for j in range(start, n - m + 1))

    first_return = next((k for k in range(1, n) if words[k] == words[0]), None)
    for k in range(1, n):
        if recurs([words[k - 1]], k):
            end = k
            while end < n and recurs([words[end - 1], words[end]], end + 1):
                end += 1
            if first_return is not None and first_return < end:
                end = first_return
            return " ".join(words[:end])
    return labels


def _read(source: Path, name: str) -> list[dict[str, str]]:
    with (source / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def skills(source: Path) -> list[list[str]]:
    known: dict[str, tuple[str, str]] = {}  # uri -> (preferred label, skill type)
    for row in _read(source, "esco_skills_labelled.csv"):
        known.setdefault(row["uri"], (row["preferred_label"].strip(), row["skill_type"].strip()))
    ict = json.loads((source / "esco_ict_occupations.json").read_text(encoding="utf-8"))
    for occupation in ict:
        for skill in occupation.get("essential_skills", []):
            if skill.get("label"):
                known.setdefault(skill["uri"], (skill["label"].strip(), ""))
    rows: list[list[str]] = []
    for row in _read(source, "esco_skills.csv"):
        labels, description = split_description(" ".join(row["text"].split()))
        if row["uri"] in known:
            preferred, kind = known[row["uri"]]
            origin = "esco"
            rest = labels[len(preferred) :].strip() if labels.lower().startswith(preferred.lower()) else labels
        else:
            preferred, kind, origin = guess_preferred(labels), "", "derived"
            rest = labels[len(preferred) :].strip()
        rows.append([row["uri"], preferred, rest, description, kind, origin])
    return sorted(rows)


def main(argv: Sequence[str]) -> None:
    source = Path(argv[0]) if argv else Path("/work/shared/data")
    onet = _read(source, "onet_occupations.csv")
    write_gz_csv(
        OUT / "onet_occupations.csv.gz",
        ["onet_soc_code", "title", "description"],
        sorted([r["onet_soc_code"], r["title"].strip(), " ".join(r["description"].split())] for r in onet),
    )
    esco = _read(source, "esco_occupations.csv")
    write_gz_csv(
        OUT / "esco_occupations.csv.gz",
        ["uri", "preferred_label", "alt_labels", "description", "isco08"],
        sorted(
            [
                r["uri"],
                r["preferred_label"].strip(),
                "|".join(" ".join(a.split()) for a in r["alt_labels"].split("|") if a.strip()),
                " ".join(r["description"].split()),
                r["isco08"].strip(),
            ]
            for r in esco
        ),
    )
    write_gz_csv(
        OUT / "esco_skills.csv.gz",
        ["uri", "preferred_label", "alt_labels", "description", "skill_type", "label_source"],
        skills(source),
    )
    crosswalk = _read(source, "isco08_soc2010_crosswalk.csv")
    write_gz_csv(
        OUT / "isco08_soc2010_crosswalk.csv.gz",
        ["isco08", "part", "soc2010"],
        sorted({(r["isco08"].strip(), r["part"].strip(), r["soc2010"].strip()) for r in crosswalk}),
    )
    soc = _read(source, "soc2010_soc2018_crosswalk.csv")
    write_gz_csv(
        OUT / "soc2010_soc2018_crosswalk.csv.gz",
        ["soc2010", "soc2018", "relation"],
        sorted({(r["soc2010"].strip(), r["soc2018"].strip(), r["relation"].strip()) for r in soc}),
    )


if __name__ == "__main__":
    main(sys.argv[1:])
