"""flashpoint export: every format parses back (rdflib and pyoxigraph) to the selected graph,
the output is byte-identical across processes and rebuilds, the layers partition the KB."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import owlready2
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from conftest import copy_repo_kb, run_cli
from flashpoint.export import FORMATS, GRAPHS, export, select
from flashpoint.store import open_read_only
from flashpoint.vocab import DOC_GRAPH_PREFIX, FP, RDF, XSD

RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig", "jsonld": "json-ld", "rdfxml": "xml"}
OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
QUAD_FORMATS = {"nquads", "trig"}


@pytest.fixture(scope="module")
def store(built_project):
    return open_read_only(built_project / ".flashpoint" / "store")


def _nt_line(q: ox.Quad, with_graph: bool) -> str:
    graph = f" {q.graph_name}" if with_graph and not isinstance(q.graph_name, ox.DefaultGraph) else ""
    return f"{q.subject} {q.predicate} {q.object}{graph} .\n"


def _rdflib_graph(quads) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data="".join(_nt_line(q, False) for q in quads), format="nt")
    return graph


def _rdflib_graphs(dataset: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    """Non-empty named graphs by IRI (the default graph under '')."""
    out = {}
    for g in dataset.graphs():
        if len(g):
            name = "" if g.identifier == rdflib.Dataset().default_graph.identifier else str(g.identifier)
            out[name] = g
    return out


def _canonical(quads, keep_graphs: bool) -> set[str]:
    """A set of canonical N-Quads lines (RDFC-1.0): equal sets ⇔ isomorphic datasets."""
    dataset = ox.Dataset(q if keep_graphs else ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


# ------------------------------------------------------------------ round trips


@pytest.mark.parametrize("graph", GRAPHS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip(store, fmt, graph):
    selected = select(store, graph)
    assert selected, f"the {graph} selection is empty"
    data = export(store, fmt, graph)
    quads = fmt in QUAD_FORMATS

    # rdflib
    if quads:
        parsed = rdflib.Dataset()
        parsed.parse(data=data, format=RDFLIB_FORMATS[fmt])
        expected = rdflib.Dataset()
        expected.parse(data="".join(_nt_line(q, True) for q in selected), format="nquads")
        got, want = _rdflib_graphs(parsed), _rdflib_graphs(expected)
        assert sorted(got) == sorted(want)
        for name in want:
            assert isomorphic(got[name], want[name]), f"graph {name} differs after the rdflib round trip"
    else:
        parsed = rdflib.Graph()
        parsed.parse(data=data, format=RDFLIB_FORMATS[fmt])
        assert isomorphic(parsed, _rdflib_graph(selected))

    # pyoxigraph
    back = list(ox.parse(data, format=OX_FORMATS[fmt]))
    assert _canonical(back, quads) == _canonical(selected, quads)


def test_turtle_shape(store):
    text = export(store, "turtle", "ontology").decode()
    assert text.startswith("@prefix fp: <https://w3id.org/flashpoint/ontology#> .\n")
    # the ontology's restrictions and unionOf lists are nested, not labelled
    assert "owl:unionOf ( fp:Event fp:Situation )" in text
    assert "_:" not in text
    # rdf:type first
    block = text.split("\nfp:affects\n", 1)[1].split("\n\n", 1)[0]
    assert block.splitlines()[0].strip().startswith("a owl:ObjectProperty")


def test_trig_graphs_sorted(store):
    text = export(store, "trig", "all").decode()
    names = [line.split()[0] for line in text.splitlines() if line.endswith("{") and not line.startswith(" ")]
    assert names == sorted(names) and len(names) == len(set(names)) >= 4


def test_ntriples_sorted(store):
    lines = export(store, "ntriples", "all").decode().splitlines()
    assert lines == sorted(lines) and len(lines) == len(set(lines))


def test_ontology_rdfxml_opens_in_owlready2(store, tmp_path):
    path = tmp_path / "flashpoint.owl"
    path.write_bytes(export(store, "rdfxml", "ontology"))
    world = owlready2.World()
    try:
        onto = world.get_ontology(path.as_uri()).load()
        assert onto.base_iri == FP
        classes = {c.name for c in onto.classes()}
        assert {"Actor", "Event", "Claim", "Provocation"} <= classes
        assert onto.Provocation.equivalent_to, "the defined class lost its definition (blank nodes)"
    finally:
        world.close()


# ------------------------------------------------------------------ layers


def _triples(quads) -> set:
    return {(q.subject, q.predicate, q.object) for q in quads}


def test_layers_partition(store):
    everything = _triples(select(store, "all"))
    claims = _triples(select(store, "claims"))
    world = _triples(select(store, "world"))
    assert claims and world
    assert claims | world <= everything
    assert _triples(select(store, "ontology")) <= everything
    assert _triples(select(store, "inferred")) <= everything
    # the document graphs are exactly claims ∪ (world minus the gazetteer)
    docs = _triples(q for q in store if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(DOC_GRAPH_PREFIX))
    assert claims <= docs and docs <= claims | world


def test_no_claim_node_in_world(store):
    claim_class = ox.NamedNode(FP + "Claim")
    document_class = ox.NamedNode(FP + "Document")
    rdf_type = ox.NamedNode(RDF + "type")
    claim_layer = {s for s, p, o in _triples(select(store, "claims")) if p == rdf_type and o in (claim_class, document_class)}
    assert claim_layer
    world = _triples(select(store, "world"))
    assert not {s for s, _, _ in world} & claim_layer
    assert all(isinstance(s, ox.NamedNode) for s in claim_layer)
    claims = _triples(select(store, "claims"))
    assert {s for s, _, _ in claims} <= claim_layer


def test_hedged_triples_not_in_world(store):
    """A claim that is not asserted (probable, possible, negated) has its triple in no world graph."""
    rows = store.query(
        f"""
        PREFIX fp: <{FP}>
        SELECT DISTINCT ?s ?p ?o ?modality WHERE {{
          ?claim a fp:Claim ; fp:claimSubject ?s ; fp:claimPredicate ?p ; fp:claimObject ?o ; fp:modality ?modality .
        }}""",
        use_default_graph_as_union=True,
    )
    world = _triples(select(store, "world"))
    asserted_triples = set()
    hedged = []
    for row in rows:
        triple = (row["s"], row["p"], row["o"])
        if row["modality"].value.endswith("Asserted"):
            asserted_triples.add(triple)
        else:
            hedged.append(triple)
    assert hedged, "the seed KB should have hedged claims"
    hedged_only = [t for t in hedged if t not in asserted_triples]  # another claim may assert the same triple
    assert hedged_only
    for triple in hedged_only:
        assert triple not in world, f"hedged triple in the world layer: {triple}"


# ------------------------------------------------------------------ determinism


def _export_subprocess(project: Path, fmt: str, graph: str, seed: str) -> bytes:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    result = subprocess.run(
        [sys.executable, "-m", "flashpoint.cli", "export", "--project", str(project), "--format", fmt, "--graph", graph],
        env=env,
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


def test_byte_identical_across_processes_and_rebuilds(tmp_path):
    project = copy_repo_kb(tmp_path / "kb-project")
    assert run_cli("build", "--project", project).exit_code == 0
    first = {fmt: _export_subprocess(project, fmt, "all", "1") for fmt in FORMATS}
    second = {fmt: _export_subprocess(project, fmt, "all", "2") for fmt in FORMATS}
    ontology = {fmt: _export_subprocess(project, fmt, "ontology", "3") for fmt in ("turtle", "rdfxml")}
    for fmt in FORMATS:
        assert first[fmt] == second[fmt], f"{fmt}: differs between two processes"

    result = run_cli("build", "--force", "--project", project)
    assert result.exit_code == 0, result.stderr
    for fmt in FORMATS:
        assert _export_subprocess(project, fmt, "all", "4") == first[fmt], f"{fmt}: differs after a rebuild"
    for fmt in ("turtle", "rdfxml"):
        assert _export_subprocess(project, fmt, "ontology", "5") == ontology[fmt]


def test_cli_writes_file(built_project, tmp_path):
    out = tmp_path / "kb.ttl"
    result = run_cli("export", "--project", built_project, "--format", "turtle", "--graph", "claims", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes() == export(open_read_only(built_project / ".flashpoint" / "store"), "turtle", "claims")


def _fresh_store(reverse: bool) -> ox.Store:
    """An in-memory store of the ontology files, parsed anew: fresh blank node ids, another insertion order."""
    from flashpoint.vocab import ONTOLOGY_GRAPH, ontology_files

    quads = [
        ox.Quad(q.subject, q.predicate, q.object, ONTOLOGY_GRAPH)
        for path in ontology_files()
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, rename_blank_nodes=True)
    ]
    store = ox.Store()
    store.extend(reversed(quads) if reverse else quads)
    return store


@pytest.mark.parametrize("fmt", FORMATS)
def test_blank_nodes_canonicalised(fmt):
    a, b = _fresh_store(False), _fresh_store(True)
    ids = [{q.subject.value for q in s if isinstance(q.subject, ox.BlankNode)} for s in (a, b)]
    assert ids[0] and not ids[0] & ids[1], "each parse should give fresh blank node ids"
    assert export(a, fmt, "ontology") == export(b, fmt, "ontology")


def _tricky_store() -> ox.Store:
    """Blank node cycles, self-loops, shared and unreferenced blank nodes, lists, odd literals and IRIs."""
    from flashpoint.vocab import ONTOLOGY_GRAPH, doc_graph

    ex = "http://example.org/x#"
    n = lambda local: ox.NamedNode(ex + local)  # noqa: E731
    b = {name: ox.BlankNode() for name in "abcdefghijklm"}
    first, rest, nil = (ox.NamedNode(RDF + x) for x in ("first", "rest", "nil"))
    doc, onto = doc_graph("tricky"), ONTOLOGY_GRAPH
    quads = [
        (b["a"], n("p"), b["b"], doc), (b["b"], n("p"), b["a"], doc),  # a cycle, each referenced once
        (b["c"], n("p"), b["c"], doc),  # a self-loop
        (n("s"), n("p"), b["d"], doc), (n("t"), n("p"), b["d"], doc), (b["d"], n("q"), ox.Literal("shared"), doc),
        (n("s"), n("q"), b["e"], doc),  # a blank node with no properties
        (n("s"), n("list"), b["f"], doc), (b["f"], first, ox.Literal("1", datatype=ox.NamedNode(XSD + "integer")), doc),
        (b["f"], rest, b["g"], doc), (b["g"], first, b["h"], doc), (b["g"], rest, nil, doc), (b["h"], n("q"), ox.Literal("in a list"), doc),
        (n("s"), n("bad-list"), b["i"], doc), (b["i"], first, n("x"), doc), (b["i"], rest, b["j"], doc), (n("t"), n("p"), b["j"], doc),
        (b["j"], first, n("y"), doc), (b["j"], rest, nil, doc),
        (b["k"], n("q"), ox.Literal('quote " back\\slash\nnew line\ttab & <xml> é \U0001F600'), doc),
        (n("s"), n("q"), ox.Literal("hello", language="en-GB"), doc),
        (n("s"), n("q"), ox.Literal("-0.5", datatype=ox.NamedNode(XSD + "decimal")), doc),
        (n("s"), n("q"), ox.Literal("1e3", datatype=ox.NamedNode(XSD + "double")), doc),
        (n("s"), n("q"), ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")), doc),
        (n("s"), n("q"), ox.Literal("x", datatype=ox.NamedNode("http://example.org/dt")), doc),
        (ox.NamedNode(FP + "ends.with.dot."), ox.NamedNode(FP + "3digit"), ox.NamedNode(FP + ""), doc),
        (ox.NamedNode("http://example.org/a(b)?c=d&e#f"), ox.NamedNode("http://example.org/p/1-x"), n("o"), doc),
        (b["l"], n("p"), b["m"], onto), (n("s"), n("p"), b["l"], doc), (b["m"], n("q"), ox.Literal("in the ontology"), onto),
    ]
    store = ox.Store()
    store.extend(ox.Quad(*q) for q in quads)
    return store


@pytest.mark.parametrize("fmt", FORMATS)
def test_tricky_graph_round_trips(fmt):
    store = _tricky_store()
    data = export(store, fmt, "all")
    quads = fmt in QUAD_FORMATS
    assert _canonical(ox.parse(data, format=OX_FORMATS[fmt]), quads) == _canonical(store, quads)
    if quads:
        parsed = rdflib.Dataset()
        parsed.parse(data=data, format=RDFLIB_FORMATS[fmt])
        assert sum(len(g) for g in parsed.graphs()) == len(store)
    else:
        parsed = rdflib.Graph()
        parsed.parse(data=data, format=RDFLIB_FORMATS[fmt])
        assert isomorphic(parsed, _rdflib_graph(store))
    assert export(_tricky_store(), fmt, "all") == data
