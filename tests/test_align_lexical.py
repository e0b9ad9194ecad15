"""The aligner's word overlap (TF-IDF): word forms meet at a stem, so "assembling" finds the assemblers."""

from __future__ import annotations

from rolegraph.align.lexical import TfIdf, stem, words


def test_word_forms_meet_at_their_stem() -> None:
    assert words("operators operating assembler assembly", stemmed=True) == ["operat", "operat", "assembl", "assembl"]
    assert words("operators operating") == ["operator", "operating"]  # the plain form (ESCO skills) is unchanged
    assert stem("nurse") == "nurse"  # too short to lose a suffix
    assert stem("bakery") == "baker"


def test_stemmed_index_scores_other_forms_of_a_word() -> None:
    docs = ["Team Assemblers. Work as part of a team to assemble products.", "Painters. Paint walls."]
    plain, stemmed = TfIdf(docs), TfIdf(docs, stemmed=True)
    assert plain.scores("assembling work")[0] < stemmed.scores("assembling work")[0]
    assert stemmed.scores("painting")[1] > 0 == plain.scores("painting")[1]
    assert stemmed.scores("painting")[0] == 0
