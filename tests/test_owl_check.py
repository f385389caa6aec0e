"""check's OWL step asks HermiT only what it needs (``reasoner.hermit_ask``): the verdicts are
HermiT's full run's (owlready2's classification), an unsatisfiable class of a project's ontology
is reported, and when HermiT cannot run Pellet answers instead."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli
from pyoxigraph import NamedNode, Triple

from flashpoint import reasoner
from flashpoint.checks import owl
from flashpoint.model import load_model
from flashpoint.vocab import FP, FPID

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _typed(name: str, *classes: str) -> list[Triple]:
    return [Triple(NamedNode(FPID + name), RDF_TYPE, NamedNode(FP + cls)) for cls in classes]


@pytest.fixture(scope="module")
def ontology_nt() -> str:
    return load_model(None).reasoner_ntriples


def _owlready2_consistent(ontology_nt: str, modules: list[list[Triple]]) -> bool:
    """The verdict of HermiT's full run through owlready2 (classification, realisation, all)."""
    import owlready2

    world = reasoner.load_world(ontology_nt, modules)
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True)
        return True
    except owlready2.OwlReadyInconsistentOntologyError:
        return False
    finally:
        world.close()


@pytest.mark.parametrize("modules", [
    [_typed("actor/a", "State")],
    [_typed("actor/a", "State", "Event")],  # disjoint classes
    [_typed("actor/a", "State"), _typed("actor/a", "MissileLaunch")],  # disjoint union: each module on its own
    [_typed("event/e", "MissileLaunch") + [Triple(NamedNode(FPID + "event/e"), NamedNode(FP + "hasAgent"), NamedNode(FPID + "event/f"))]
     + _typed("event/f", "Event")],  # an agent that is an event: the range makes it an Actor too
], ids=["consistent", "disjoint-types", "two-modules", "range-clash"])
def test_the_question_only_run_gives_the_full_runs_verdict(ontology_nt: str, modules):
    consistent, unsatisfiable = reasoner.hermit_ask(ontology_nt, modules)
    assert consistent == _owlready2_consistent(ontology_nt, modules)
    assert unsatisfiable == []


def test_the_bundled_ontology_has_no_unsatisfiable_class(ontology_nt: str):
    assert reasoner.hermit_ask(ontology_nt, [], unsatisfiable=True) == (True, [])


UNSATISFIABLE = """@prefix fp: <https://w3id.org/flashpoint/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
fp:StateEvent a owl:Class ; rdfs:subClassOf fp:State , fp:Event .
fp:SmallStateEvent a owl:Class ; rdfs:subClassOf fp:StateEvent .
"""


def _report(project: Path) -> dict:
    result = run_cli("check", "--project", project, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_an_unsatisfiable_class_of_a_project_ontology_is_reported(seed_project: Path):
    (seed_project / "ontology").mkdir(exist_ok=True)
    (seed_project / "ontology" / "mixed.ttl").write_text(UNSATISFIABLE)
    found = [f for f in _report(seed_project)["findings"] if f["rule"] == "FP-O02"]
    assert sorted(f["subject"] for f in found) == [FP + "SmallStateEvent", FP + "StateEvent"], found
    assert all(f["file"] == "ontology/mixed.ttl" and f["line"] for f in found), found


def test_pellet_answers_when_hermit_cannot_run(ontology_nt: str, monkeypatch):
    def broken(*args, **kwargs):
        raise reasoner.HermitFailed("no Java here")

    monkeypatch.setattr(owl, "hermit_ask", broken)
    assert owl.run_reasoner(ontology_nt, [_typed("actor/a", "State")]) == owl.Outcome(True, [], "pellet")
    assert owl.run_reasoner(ontology_nt, [_typed("actor/a", "State", "Event")]).consistent is False
    union = "".join(f"{t} .\n" for t in _typed("actor/a", "State", "Event"))  # one module as N-Triples text
    assert owl.run_reasoner(ontology_nt, union) == owl.Outcome(False, [], "pellet")


# ---------------------------------------------------------------- across documents

DISJOINT_RELATIONS = """@prefix fp: <https://w3id.org/flashpoint/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
fp:allyOf owl:propertyDisjointWith fp:adversaryOf .
"""


def _document(project: Path, slug: str, sentence: str, predicate: str) -> None:
    """A one-claim document, reviewed: Japan <predicate> China."""
    import hashlib

    text = sentence + "\n"
    (project / "kb" / "documents" / f"{slug}.txt").write_text(text)
    (project / "kb" / "claims" / f"{slug}.yaml").write_text(
        "format: flashpoint-claims/1\n"
        f"document: {slug}.txt\n"
        f"sha256: {hashlib.sha256(text.encode()).hexdigest()}\n"
        f"title: {slug}\n"
        "reviewed: true\n"
        "claims:\n"
        "  - sentence: 0\n"
        f"    quote: {sentence.rstrip('.')}\n"
        "    start: 0\n"
        f"    end: {len(sentence) - 1}\n"
        "    subject: japan\n"
        f"    predicate: {predicate}\n"
        "    object: china\n"
        "    modality: asserted\n")


def _two_documents(tmp_path: Path) -> Path:
    """Each document alone is consistent; together they say Japan is China's ally and
    adversary, which the project's extension declares disjoint relations."""
    project = tmp_path / "p"
    for folder in ("kb/documents", "kb/claims", "ontology"):
        (project / folder).mkdir(parents=True)
    (project / "ontology" / "relations.ttl").write_text(DISJOINT_RELATIONS)
    _document(project, "ally", "Japan is an ally of China.", "allyOf")
    _document(project, "adversary", "Japan is an adversary of China.", "adversaryOf")
    for slug in ("x1", "x2", "x3"):  # bystanders: not named in the finding
        _document(project, slug, "Japan cooperates with China.", "cooperatesWith")
    return project


def test_documents_inconsistent_only_together_are_reported_at_each_file(tmp_path: Path):
    project = _two_documents(tmp_path)
    findings = _report(project)["findings"]
    assert not [f for f in findings if f["rule"] == "FP-O01"], findings  # each alone is consistent
    across = [f for f in findings if f["rule"] == "FP-O04"]
    assert sorted(f["file"] for f in across) == ["kb/claims/adversary.yaml", "kb/claims/ally.yaml"], across
    assert all(f["line"] == 11 and f["severity"] == "error" for f in across), across  # the claim's subject line
    assert {f["quote"] for f in across} == {"Japan is an ally of China", "Japan is an adversary of China"}
    assert all("fp:adversaryOf and fp:allyOf are disjoint properties" in f["message"] for f in across), across
    for f in across:  # each names the claims of both documents
        assert any(d.startswith("kb/claims/ally.yaml:7:") for d in f["details"]), f
        assert any(d.startswith("kb/claims/adversary.yaml:7:") for d in f["details"]), f
    # plain HermiT over the whole KB agrees: inconsistent; and without the ally document, consistent
    assert _report(project)["findings"] == findings  # from the cache: the same
    (project / "kb" / "claims" / "ally.yaml").unlink()
    (project / "kb" / "documents" / "ally.txt").unlink()
    assert not [f for f in _report(project)["findings"] if f["rule"].startswith("FP-O0")]


def test_a_consistent_union_is_one_reasoner_run(tmp_path: Path, monkeypatch):
    """The union of the modules first: consistent, so every module is, and nothing else runs."""
    from flashpoint.checks.kb import load_kb
    from flashpoint.project import Project

    project = _two_documents(tmp_path)
    (project / "ontology" / "relations.ttl").unlink()
    runs: list = []
    original = owl.run_reasoner
    monkeypatch.setattr(owl, "run_reasoner", lambda o, modules, **k: runs.append("union" if isinstance(modules, str) else len(modules))
                        or original(o, modules, **k))
    assert owl.run(load_kb(Project(project)), use_cache=False) == []
    assert sorted(runs, key=str) == [0, "union"]  # the ontology alone, and the union as one module
