"""What an alignment is: one ranked, scored candidate from our role or skill to a reference concept.

The contract between the aligner (which makes candidates) and everything that shows, writes or checks
them (the CLI's ``align``, SSSOM and RDF output, the curated file, ``align --check``, the web). Field
names are SSSOM slots where SSSOM has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

# Which reference vocabulary a candidate points into.
Target = Literal["onet", "esco", "isco", "esco-skills"]
TARGETS: Final[tuple[Target, ...]] = ("onet", "esco", "isco", "esco-skills")

# Where the reference concepts live: ESCO's own URIs; O*NET-SOC and ISCO-08 under rolegraph's base.
ESCO_OCCUPATION: Final = "http://data.europa.eu/esco/occupation/"
ESCO_SKILL: Final = "http://data.europa.eu/esco/skill/"
ONET_PATH: Final = "onet/2019/"  # + O*NET-SOC code, e.g. 15-2051.01 (under the graph's base IRI)
ISCO_PATH: Final = "isco/08/"  # + ISCO-08 code, as graph/isco.py mints it


@dataclass(frozen=True, slots=True)
class Candidate:
    """One reference concept proposed for one subject, with the aligner's confidence and reasons."""

    subject_id: str  # the full IRI of our role or skill
    subject_label: str
    target: Target
    object_id: str  # the full IRI of the reference concept
    object_label: str
    confidence: float  # in [0, 1]; comparable across subjects of the same target
    rank: int  # 1 = best, within (subject_id, target)
    why: str  # the evidence in words: the matching text, the prior that applied
