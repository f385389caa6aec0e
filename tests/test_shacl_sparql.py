"""check's SHACL engine (shapes compiled to SPARQL over pyoxigraph, incremental) gives exactly
plain pyshacl's result set: every result's focus node, path, value, source shape, constraint
component, severity and message; compared as whole sets (neither a subset nor focus nodes only)."""

from __future__ import annotations

import dataclasses
import shutil
import sys
import time
from pathlib import Path

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Quad, Store

from conftest import REPO

from flashpoint.checks import shacl, shacl_sparql
from flashpoint.checks.kb import load_kb
from flashpoint.project import Project
from flashpoint.vocab import FP, FPID, RDF, RDFS, doc_graph

FIXTURES = REPO / "tests" / "fixtures"
BROKEN = sorted(p for p in (FIXTURES / "broken").iterdir() if (p / "expected.yaml").exists())
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def _copy(fixture: Path, tmp_path: Path) -> Path:
    target = tmp_path / fixture.name
    shutil.copytree(fixture, target, ignore=shutil.ignore_patterns(".flashpoint", "expected.yaml"))
    return target


def _plain(kb) -> set:
    """Plain pyshacl on the union, parsed by rdflib on its own, with the project's shapes."""
    return set(shacl.validate(shacl.data_graph(kb), shacl.shapes_graph(kb.project.root)))


def _assert_same(plain: set, ours: set) -> None:
    assert ours == plain, {"only pyshacl": sorted(plain - ours, key=str)[:10], "only compiled": sorted(ours - plain, key=str)[:10]}


def test_the_bundled_shapes_compile_entirely():
    compiled = shacl_sparql.compile_shapes(shacl.shapes_graph(None))
    assert compiled.refused == {} and compiled.fallback is None
    components = {q.component.rsplit("#", 1)[1] for q in compiled.queries}
    assert {"ClassConstraintComponent", "DatatypeConstraintComponent", "MinCountConstraintComponent", "MaxCountConstraintComponent",
            "InConstraintComponent", "NodeKindConstraintComponent", "PatternConstraintComponent", "LessThanConstraintComponent",
            "OrConstraintComponent", "LanguageInConstraintComponent", "UniqueLangConstraintComponent",
            "MinInclusiveConstraintComponent", "MaxInclusiveConstraintComponent", "MinLengthConstraintComponent"} <= components


@pytest.mark.parametrize("fixture", BROKEN, ids=[p.name for p in BROKEN])
def test_fixture_results_equal_pyshacl(fixture: Path, tmp_path: Path):
    kb = load_kb(Project(_copy(fixture, tmp_path)))
    if kb.model is None:
        pytest.skip("the fixture's ontology or gazetteer does not load: check runs no SHACL on it")
    plain = _plain(kb)
    _assert_same(plain, set(shacl.compiled_results(kb)))
    _assert_same(plain, set(shacl.run_results(kb, use_cache=True)))  # cold, fills the cache
    _assert_same(plain, set(shacl.run_results(kb, use_cache=True)))  # from the cache


def test_fixtures_with_shacl_findings_are_there(tmp_path: Path):
    """The fixture comparison above is not vacuous: these fixtures have SHACL results."""
    with_results = []
    for fixture in BROKEN:
        kb = load_kb(Project(_copy(fixture, tmp_path)))
        if kb.model is not None and shacl.compiled_results(kb):
            with_results.append(fixture.name)
    assert {"end-before-start", "stance-without-holder", "state-without-wikidata"} <= set(with_results), with_results


# ---------------------------------------------------------------- drawn defects (Hypothesis)

# terms a defect may use: every kind of node and literal the constraint components tell apart
_LITERALS = [
    Literal("x"), Literal(""), Literal("x", language="en"), Literal("y", language="EN"), Literal("z", language="en-GB"),
    Literal("w", language="de"), Literal("5", datatype=NamedNode(XSD + "integer")), Literal("-1", datatype=NamedNode(XSD + "integer")),
    Literal("0", datatype=NamedNode(XSD + "integer")), Literal("abc", datatype=NamedNode(XSD + "integer")),
    Literal("1.5", datatype=NamedNode(XSD + "decimal")), Literal("0.5", datatype=NamedNode(XSD + "decimal")),
    Literal("true", datatype=NamedNode(XSD + "boolean")), Literal("yes", datatype=NamedNode(XSD + "boolean")),
    Literal("2020", datatype=NamedNode(XSD + "gYear")), Literal("20x0", datatype=NamedNode(XSD + "gYear")),
    Literal("a" * 64), Literal("A" * 64), Literal("year"), Literal("week"), Literal("1999", datatype=NamedNode(XSD + "integer")),
    Literal("http://www.wikidata.org/entity/Q5"),
]
_IRIS = [NamedNode(FP + x) for x in ("Asserted", "Negated", "Support", "Opposition", "hasAgent", "attacks", "State", "Event")] + [
    NamedNode("http://www.wikidata.org/entity/Q12"), NamedNode("http://www.wikidata.org/entity/X1"), NamedNode(FPID + "new/thing"),
]
_CLASSES = [NamedNode(FP + c) for c in ("Claim", "Document", "Actor", "State", "Government", "Public", "Event", "MissileLaunch",
                                        "Situation", "Tension", "Capability", "PolicyOption", "PolicyStance", "ActorGroup")]


def _predicates() -> list[NamedNode]:
    shapes = shacl.shapes_graph(None)
    paths = {str(o) for o in shapes.objects(None, rdflib.SH.path)} | {str(o) for o in shapes.objects(None, rdflib.SH.targetSubjectsOf)}
    return [NamedNode(p) for p in sorted(paths)]


@pytest.fixture(scope="module")
def clean_kb(tmp_path_factory):
    project = _copy(FIXTURES / "broken" / "clean", tmp_path_factory.mktemp("clean"))
    kb = load_kb(Project(project))
    nodes = sorted({q.subject for q in kb.store if isinstance(q.subject, NamedNode) and q.subject.value.startswith(FPID)}, key=str)
    return kb, nodes


@st.composite
def _defects(draw, nodes: list) -> list[Quad]:
    """Quads that a claims file or an extension file could smuggle in: drawn, so that a failure
    shrinks to the few quads that tell the engines apart."""
    subjects = st.sampled_from(nodes + [NamedNode(FPID + "new/thing")])
    triples = st.one_of(
        st.tuples(subjects, st.just(NamedNode(RDF + "type")), st.sampled_from(_CLASSES)),
        st.tuples(subjects, st.sampled_from(_predicates() + [NamedNode(RDFS + "label"), NamedNode(SKOS + "exactMatch")]),
                  st.sampled_from(nodes + _IRIS + _LITERALS)),
    )
    graph = st.sampled_from([doc_graph("x"), NamedNode("https://w3id.org/flashpoint/id/graph/ontology/extra.ttl")])
    return [Quad(s, p, o, draw(graph)) for s, p, o in draw(st.lists(triples, min_size=1, max_size=6))]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_drawn_defects_give_pyshacl_results(clean_kb, data):
    kb, nodes = clean_kb
    quads = data.draw(_defects(nodes))
    store = Store()
    store.extend(list(kb.store) + quads)
    mutant = dataclasses.replace(kb, store=store)
    _assert_same(_plain(mutant), set(shacl.compiled_results(mutant)))


def test_unsupported_shapes_go_to_pyshacl(tmp_path: Path):
    project = _copy(FIXTURES / "broken" / "clean", tmp_path)
    (project / "ontology").mkdir(exist_ok=True)
    (project / "ontology" / "extra.shapes.ttl").write_text("""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix fp: <https://w3id.org/flashpoint/ontology#> .
        @prefix fpc: <https://w3id.org/flashpoint/checks#> .
        <urn:path> a sh:NodeShape ; fpc:rule "FP-S99" ; sh:targetClass fp:Event ;
            sh:property [ sh:path ( fp:hasAgent fp:partOf ) ; sh:minCount 1 ; sh:message "an agent that is part of something" ] .
        <urn:nomessage> a sh:NodeShape ; fpc:rule "FP-S98" ; sh:targetClass fp:Claim ;
            sh:property [ sh:path fp:quote ; sh:maxLength 3 ] .
        """)
    kb = load_kb(Project(project))
    compiled = shacl_sparql.compile_shapes(shacl.shapes_graph(project))
    assert set(compiled.refused) == {"urn:path", "urn:nomessage"}, compiled.refused
    assert "property path" in compiled.refused["urn:path"] and "sh:message" in compiled.refused["urn:nomessage"]
    plain = _plain(kb)
    assert {r.shape_rule for r in plain} >= {"FP-S99", "FP-S98"}
    _assert_same(plain, set(shacl.compiled_results(kb)))
    _assert_same(plain, set(shacl.run_results(kb)))


# ---------------------------------------------------------------- 100k quads, incremental


def _generate(triples: int, out: Path) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.pop(0)
    generate(triples, out, seed=7)
    (out / "ontology").mkdir(exist_ok=True)
    (out / "ontology" / "defects.ttl").write_text(
        "@prefix fp: <https://w3id.org/flashpoint/ontology#> .\n@prefix fpid: <https://w3id.org/flashpoint/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "fpid:actor\\/atlantis a fp:State ; rdfs:label \"Atlantis\"@en , \"Atlantis\"@de .\n"
        "fpid:stance\\/x a fp:PolicyStance ; rdfs:label \"x\"@en ; fp:stanceValue fp:Support , fp:Opposition .\n"
        "fpid:event\\/e a fp:MissileLaunch ; fp:hasParticipant fpid:stance\\/x .\n"
    )
    return out


def _edited(kb, *graphs) -> None:
    """These document graphs are about to be edited in place: their load-time hashes no longer hold."""
    for graph in graphs:
        kb.graph_hashes.pop(graph.value, None)


def _cross_document_defects(kb) -> None:
    """Defects that only the union of two document graphs has: a second English label for a node
    of another document, a participant typed an Actor only in another document (fine in the union),
    and a stance held in one document and described in another without a holder."""
    docs = sorted(kb.doc_world_nt)
    a, b = doc_graph(docs[0]), doc_graph(docs[1])
    event = next(t.subject for t in kb.world_triples(docs[0]) if t.subject.value.startswith(FPID + "event/"))
    rdf_type, label = NamedNode(RDF + "type"), NamedNode(RDFS + "label")
    z, stance, option = NamedNode(FPID + "actor/zed"), NamedNode(FPID + "stance/split-test"), NamedNode(FPID + "policy/split-test")
    actor = next(t.subject for t in kb.world_triples(docs[1]) if t.subject.value.startswith(FPID + "actor/"))
    _edited(kb, a, b)
    kb.store.extend([
        Quad(event, label, Literal("another label", language="en"), b),
        Quad(event, NamedNode(FP + "hasParticipant"), z, a),
        Quad(z, rdf_type, NamedNode(FP + "Actor"), b),
        Quad(z, label, Literal("Zed", language="en"), b),
        Quad(stance, rdf_type, NamedNode(FP + "PolicyStance"), a),
        Quad(stance, label, Literal("a stance", language="en"), a),
        Quad(stance, NamedNode(FP + "stanceOn"), option, a),
        Quad(stance, NamedNode(FP + "stanceValue"), NamedNode(FP + "Support"), a),
        Quad(option, rdf_type, NamedNode(FP + "PolicyOption"), a),
        Quad(option, label, Literal("an option", language="en"), a),
        Quad(actor, NamedNode(FP + "holdsStance"), stance, b),
    ])


def _change_one_document(kb) -> None:
    """A change in one document: a claim loses its modality, another gets a second one, a label goes."""
    doc = sorted(kb.doc_claims)[5]
    g = doc_graph(doc)
    _edited(kb, g)
    claims = [NamedNode(c) for c in kb.doc_claims[doc][:2]]
    modality = NamedNode(FP + "modality")
    kb.store.remove(next(iter(kb.store.quads_for_pattern(claims[0], modality, None, g))))
    kb.store.add(Quad(claims[1], modality, NamedNode(FP + "Possible"), g))
    labelled = next(q for q in kb.store.quads_for_pattern(None, NamedNode(RDFS + "label"), None, g))
    kb.store.remove(labelled)


def _spy_focus(monkeypatch) -> list:
    calls: list = []
    original = shacl.sparql_results

    def spy(store, compiled, focus=None):
        calls.append(None if focus is None else len(focus))
        return original(store, compiled, focus)

    monkeypatch.setattr(shacl, "sparql_results", spy)
    return calls


def test_100k_quads_equal_pyshacl(tmp_path: Path, monkeypatch):
    """At 100,000 quads (bench/generate.py) with defects, in the default test run: compiled cold
    and compiled from the cache each equal plain pyshacl on the same data, as whole result sets;
    after one document changed, the incremental run (its focus nodes only) equals a full
    compiled run on the changed data (test_10k_change_equals_pyshacl compares that with pyshacl)."""
    started = time.perf_counter()
    kb = load_kb(Project(_generate(100_000, tmp_path / "kb100k")))
    assert len(kb.store) > 80_000
    _cross_document_defects(kb)
    plain = _plain(kb)
    assert {"FP-S03", "FP-S06", "FP-S08"} <= {r.shape_rule for r in plain}, plain
    assert not [r for r in plain if r.value == FPID + "actor/zed"]  # typed in another document: fine in the union
    calls = _spy_focus(monkeypatch)
    _assert_same(plain, set(shacl.run_results(kb, use_cache=True)))  # cold
    _assert_same(plain, set(shacl.run_results(kb, use_cache=True)))  # nothing changed: from the cache
    assert calls == [None]
    _change_one_document(kb)
    after = set(shacl.run_results(kb, use_cache=True))
    assert calls[1] is not None and calls[1] < 200, calls  # only the changed document's nodes
    _assert_same(set(shacl.compiled_results(kb)), after)
    assert after != plain
    assert time.perf_counter() - started < 120


def test_10k_change_equals_pyshacl(tmp_path: Path, monkeypatch):
    kb = load_kb(Project(_generate(10_000, tmp_path / "kb10k")))
    _cross_document_defects(kb)
    calls = _spy_focus(monkeypatch)
    _assert_same(_plain(kb), set(shacl.run_results(kb, use_cache=True)))
    _change_one_document(kb)
    plain_after = _plain(kb)
    _assert_same(plain_after, set(shacl.run_results(kb, use_cache=True)))
    assert calls[0] is None and calls[1] is not None and calls[1] < 200, calls
    # a change of the class hierarchy: a full run, still equal
    _edited(kb, doc_graph(sorted(kb.doc_claims)[0]))
    kb.store.add(Quad(NamedNode(FP + "MissileLaunch"), NamedNode(RDFS + "subClassOf"), NamedNode(FP + "Actor"), doc_graph(sorted(kb.doc_claims)[0])))
    _assert_same(_plain(kb), set(shacl.run_results(kb, use_cache=True)))
    assert calls[2] is None
