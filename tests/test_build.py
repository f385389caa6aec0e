"""flashpoint build: what it loads, incremental rebuilds, atomicity, determinism, refusal of bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph
import pytest

from conftest import copy_repo_kb, run_cli
from flashpoint.build import build
from flashpoint.project import Project
from flashpoint.store import StoreFolder

SEED = "nk-missile-launches"


def store_quads(project: Path) -> set[str]:
    store = pyoxigraph.Store.read_only(str(StoreFolder(project / ".flashpoint" / "store").database))
    return {str(q) for q in store}


def store_graphs(project: Path) -> set[str]:
    store = pyoxigraph.Store.read_only(str(StoreFolder(project / ".flashpoint" / "store").database))
    return {g.value for g in store.named_graphs()}


def add_second_document(project: Path, name: str = "second-copy") -> Path:
    """The seed text under another name, with its claims file pointing at it."""
    docs, claims = project / "kb" / "documents", project / "kb" / "claims"
    shutil.copyfile(docs / f"{SEED}.txt", docs / f"{name}.txt")
    text = (claims / f"{SEED}.yaml").read_text().replace(f"document: {SEED}.txt", f"document: {name}.txt")
    (claims / f"{name}.yaml").write_text(text)
    return claims / f"{name}.yaml"


def test_build_reports_what_it_loaded(seed_project):
    result = run_cli("build", "--project", seed_project)
    assert result.exit_code == 0, result.stderr
    assert "full build: 1 document(s) loaded" in result.stdout
    assert "claims" in result.stdout and "inferred triples" in result.stdout


def test_rebuild_with_nothing_changed_does_no_work(seed_project):
    assert run_cli("build", "--project", seed_project).exit_code == 0
    database = seed_project / ".flashpoint" / "store"
    before = database.stat().st_mtime_ns, (database / "manifest.json").read_text()
    result = run_cli("build", "--project", seed_project)
    assert result.exit_code == 0
    assert result.stdout.startswith("up to date")
    assert (database.stat().st_mtime_ns, (database / "manifest.json").read_text()) == before


def test_changing_one_document_rebuilds_only_it(seed_project):
    add_second_document(seed_project)
    first = build(Project(seed_project))
    assert sorted(first.built) == ["nk-missile-launches", "second-copy"]
    claims = seed_project / "kb" / "claims" / "second-copy.yaml"
    claims.write_text(claims.read_text().replace("modality: asserted", "modality: possible", 1))
    second = build(Project(seed_project))
    assert second.built == ["second-copy"] and not second.full
    # the unchanged document's graph is still there, the changed one was replaced
    graphs = store_graphs(seed_project)
    assert any(g.endswith("graph/doc/nk-missile-launches") for g in graphs)
    assert any(g.endswith("graph/doc/second-copy") for g in graphs)


def test_removed_document_leaves_the_store(seed_project):
    claims = add_second_document(seed_project)
    build(Project(seed_project))
    claims.unlink()
    (seed_project / "kb" / "documents" / "second-copy.txt").unlink()
    report = build(Project(seed_project))
    assert report.removed == ["second-copy"]
    assert not any(g.endswith("graph/doc/second-copy") for g in store_graphs(seed_project))


def test_same_input_gives_the_same_store(tmp_path):
    one = copy_repo_kb(tmp_path / "one")
    two = copy_repo_kb(tmp_path / "two")
    assert run_cli("build", "--project", one).exit_code == 0
    assert run_cli("build", "--project", two).exit_code == 0
    assert store_quads(one) == store_quads(two)
    # and a forced rebuild gives the same quads again, blank nodes included
    before = store_quads(one)
    assert run_cli("build", "--force", "--project", one).exit_code == 0
    assert store_quads(one) == before


def test_hedged_claims_never_reach_the_world_layer(built_project):
    store = pyoxigraph.Store.read_only(str(built_project / ".flashpoint" / "store" / "oxigraph"))
    leaked = list(store.query("""
        PREFIX fp: <https://w3id.org/flashpoint/ontology#>
        SELECT ?c WHERE {
          GRAPH ?g { ?c a fp:Claim ; fp:modality ?m ; fp:claimSubject ?s ; fp:claimPredicate ?p ; fp:claimObject ?o .
                     FILTER (?m != fp:Asserted) ?s ?p ?o . }
          FILTER NOT EXISTS { GRAPH ?g2 { ?c2 fp:modality fp:Asserted ; fp:claimSubject ?s ; fp:claimPredicate ?p ; fp:claimObject ?o } }
        }"""))
    assert leaked == []


def test_reasoner_inferences_have_their_own_graph(built_project):
    store = pyoxigraph.Store.read_only(str(built_project / ".flashpoint" / "store" / "oxigraph"))
    provocations = list(store.query("""
        PREFIX fp: <https://w3id.org/flashpoint/ontology#>
        SELECT ?e WHERE { GRAPH <https://w3id.org/flashpoint/id/graph/inferred> { ?e a fp:Provocation } }"""))
    assert provocations, "HermiT should classify perceived events as fp:Provocation"
    # never asserted by a loader: only the reasoner puts an individual in fp:Provocation
    assert not bool(store.query("""
        PREFIX fp: <https://w3id.org/flashpoint/ontology#>
        ASK { GRAPH ?g { ?e a fp:Provocation } FILTER (?g != <https://w3id.org/flashpoint/id/graph/inferred>) }"""))


# ---------------------------------------------------------------- bad input: exit 2, store untouched


def _break_claims(project: Path, old: str, new: str, count: int = 1) -> Path:
    path = project / "kb" / "claims" / f"{SEED}.yaml"
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, count))
    return path


BREAKAGES = {
    "malformed YAML": (lambda p: _break_claims(p, "claims:\n", "claims: [\n"), "malformed YAML"),
    "unknown property": (lambda p: _break_claims(p, "predicate: triggers", "predicate: trigers"), "unknown predicate 'trigers'"),
    "unknown class": (lambda p: _break_claims(p, "situation: Tension", "situation: Tensions"), "unknown situation class 'Tensions'"),
    "unknown actor": (lambda p: _break_claims(p, "    object: {event: MissileLaunch, agents: [north-korea]}", "    object: {event: MissileLaunch, agents: [north-corea]}"), "unknown actor 'north-corea'"),
    "quote mismatch": (lambda p: _break_claims(p, "start: 0\n", "start: 1\n"), "quote does not match the document"),
    "two modalities": (lambda p: _break_claims(p, "modality: asserted\n", "modality: asserted\n    modality: possible\n"), "duplicate key 'modality'"),
    "schema violation": (lambda p: _break_claims(p, "modality: asserted\n", "modality: certain\n"), "modality"),
    "empty claims file": (lambda p: (p / "kb/claims" / f"{SEED}.yaml").write_text(""), "empty"),
    "non-UTF-8 claims file": (lambda p: (p / "kb/claims" / f"{SEED}.yaml").write_bytes(b"format: \xff\xfe\n"), "not valid UTF-8"),
    "changed document": (lambda p: (p / "kb/documents" / f"{SEED}.txt").open("a").write(" More text."), "changed after this file was reviewed"),
    "empty document": (lambda p: (p / "kb/documents" / f"{SEED}.txt").write_text(""), "empty"),
    "binary document": (lambda p: (p / "kb/documents" / f"{SEED}.txt").write_bytes(b"\x00\x01\x02binary"), "binary"),
    "orphan claims file": (lambda p: (p / "kb/claims" / "ghost.yaml").write_text("format: flashpoint-claims/1\n"), "no document for this claims file"),
    "broken ontology extension": (lambda p: (p / "ontology").mkdir() or (p / "ontology" / "extra.ttl").write_text("@prefix : <x#> .\n:a :b \n"), "broken Turtle"),
}


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_bad_input_exits_2_and_keeps_the_store(seed_project, name):
    assert run_cli("build", "--project", seed_project).exit_code == 0
    before = store_quads(seed_project)
    breakage, expected = BREAKAGES[name]
    breakage(seed_project)
    result = run_cli("build", "--project", seed_project)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    first_line = result.stderr.splitlines()[0]
    assert ("kb/claims" in first_line or "kb/documents" in first_line or "ontology" in first_line), first_line
    assert len(result.stderr.strip().splitlines()) <= 2
    assert store_quads(seed_project) == before


def test_error_names_the_line(seed_project):
    path = _break_claims(seed_project, "predicate: triggers", "predicate: trigers")
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "trigers" in text)
    result = run_cli("build", "--project", seed_project)
    assert f"{SEED}.yaml:{line}:" in result.stderr


def test_inconsistent_kb_is_refused(seed_project):
    assert run_cli("build", "--project", seed_project).exit_code == 0
    before = store_quads(seed_project)
    # A missile launch that "perceives" something is typed an Actor; Actor and Event are disjoint.
    _break_claims(seed_project, "subject: north-korea\n    predicate: perceivesAsThreat", "subject: {event: MissileLaunch, agents: [north-korea]}\n    predicate: perceivesAsThreat")
    result = run_cli("build", "--project", seed_project)
    assert result.exit_code == 2
    assert "inconsistent" in result.stderr and SEED in result.stderr
    assert store_quads(seed_project) == before


def test_manifest_records_each_document(built_project):
    manifest = json.loads((built_project / ".flashpoint" / "store" / "manifest.json").read_text())
    assert set(manifest["documents"]) == {SEED}
    assert manifest["documents"][SEED]["claims"] > 40


def test_reasoning_in_batches_gives_the_same_inferences(seed_project, monkeypatch):
    """Batching modules (for speed) must not change what HermiT infers, and an
    inconsistent module is still found inside its batch."""
    from flashpoint import reasoner
    from flashpoint.build import _gazetteer_triples, load_document
    from flashpoint.model import load_model

    project = Project(seed_project)
    add_second_document(project.root)
    model = load_model(project)
    modules = {}
    for slug, doc in project.documents().items():
        rdf, _ = load_document(project, slug, doc, model)
        modules[slug] = rdf.world + _gazetteer_triples(model, rdf.gazetteer_ids)
    together = reasoner.reason(model.reasoner_ntriples, model.axioms, modules)
    monkeypatch.setattr(reasoner, "BATCH_TRIPLES", 1)  # one module per batch
    assert len(reasoner._batches(modules)) == 2
    assert reasoner.reason(model.reasoner_ntriples, model.axioms, modules) == together
