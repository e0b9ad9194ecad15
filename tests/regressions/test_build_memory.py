"""Issue #15 (peak memory of a build): the builder's triples are let go of once SHACL has read them.

At 10,000 pages `rolegraph build` peaked at 1,218 MB against a 1.2 GB target: the builder's keys,
pyshacl-turbo's copy of them and its engine were alive at once (bench/RESULTS.md). Now the keys are
handed to the validator through a :class:`~rolegraph.graph.validate.Handover`, which lets go of them
once read, and keeps the page lines the report needs aside; the keys are moved into fresh memory
after the merge. These tests hold what must not change: the same findings, with their page lines;
a handover read twice is an error (never an empty, conforming graph); the keys are the same keys.
"""

from __future__ import annotations

import _thread
import gc
import threading
import weakref

import pytest

from rolegraph import api
from rolegraph.errors import RolegraphError
from rolegraph.graph.rdf import BuiltGraph, RdfTriples, Triple
from rolegraph.graph.validate import Handover, validate_graph


class _Triples(list[Triple]):
    """A list that can be watched with a weak reference."""


def _broken(built: BuiltGraph) -> BuiltGraph:
    """The real page's graph without the roles' titles: a graph that does not conform."""
    keys = [k for k in built.keys if not k[1].endswith("prefLabel")]
    return BuiltGraph(keys, built.pages, built.roles, built.skills)


def test_a_handover_reports_the_same_findings_with_their_page_lines(real_built: BuiltGraph) -> None:
    broken = _broken(real_built)
    expected = validate_graph(broken.rdf_triples())
    assert not expected.conforms
    assert any(f.source for f in expected.findings), "the fixture must have findings with page lines"
    got = validate_graph(Handover(broken.rdf_triples(), broken.source_locations()))
    assert got == expected


def test_a_handover_lets_go_of_the_triples_once_read(real_built: BuiltGraph) -> None:
    triples = _Triples(real_built.rdf_triples())
    watched = weakref.ref(triples)
    handover = Handover(triples, real_built.source_locations())
    del triples
    assert validate_graph(handover).conforms
    gc.collect()
    assert watched() is None, "the validator still holds the builder's triples"
    assert handover.read.is_set()


def test_a_handover_read_twice_is_an_error_not_an_empty_graph(real_built: BuiltGraph) -> None:
    handover = Handover(real_built.rdf_triples(), real_built.source_locations())
    assert len(list(handover)) == len(real_built)
    with pytest.raises(RolegraphError, match="once already"):
        list(handover)


def test_compacted_keys_are_the_same_keys_with_their_strings_shared(real_built: BuiltGraph) -> None:
    keys = list(real_built.keys)
    copied = api._compacted(list(keys))
    assert copied == keys
    subjects = {id(k[0]) for k in copied}
    assert len(subjects) == len({k[0] for k in copied}), "one string object per subject, as the builder made them"


def test_rdf_triples_share_one_term_per_iri(real_built: BuiltGraph) -> None:
    triples = list(RdfTriples(real_built.keys))
    assert [tuple(map(str, t)) for t in triples] == [tuple(map(str, t)) for t in real_built.triples]
    by_text: dict[str, object] = {}
    for s, _, _ in triples:
        assert by_text.setdefault(str(s), s) is s


def test_the_build_goes_on_when_the_validator_fails_before_reading() -> None:
    """The build waits for the validator to read the graph first; a validator that fails before
    reading must not leave it waiting."""
    assert threading.current_thread() is threading.main_thread()
    never = threading.Event()

    def fail() -> None:
        raise RolegraphError("shapes: broken")

    watchdog = threading.Timer(60, _thread.interrupt_main)  # a hang becomes a KeyboardInterrupt: red
    watchdog.start()
    try:
        with api._in_background(fail, first=never) as result, pytest.raises(RolegraphError, match="broken"):
            result()
    finally:
        watchdog.cancel()
