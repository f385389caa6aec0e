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
