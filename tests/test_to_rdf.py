"""Claims → RDF: the IRIs vocabulary.md promises, descriptions vs. world layer, stability."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashpoint.loaders.claims_file import dump_claims_file, load_claims_file
from flashpoint.loaders.to_rdf import Resolver, document_rdf
from flashpoint.model import load_model

FPID = "https://w3id.org/flashpoint/id/"
FP = "https://w3id.org/flashpoint/ontology#"


@pytest.fixture(scope="module")
def model():
    return load_model(None)


@pytest.fixture
def resolver(model):
    return Resolver(Path("x.yaml"), model.gazetteer, model.terms, model.policies)


@pytest.mark.parametrize("value, iri", [
    ("north-korea", "actor/north-korea"),
    ({"government": "south-korea"}, "actor/south-korea/government"),
    ({"public": "south-korea"}, "actor/south-korea/public"),
    ({"event": "MissileLaunch", "agents": ["north-korea"]}, "event/missile-launch--north-korea"),
    ({"event": "JointMilitaryExercise", "agents": ["united-states", "south-korea"]}, "event/joint-military-exercise--south-korea--united-states"),
    ({"capability": "ICBMCapability", "holder": "north-korea"}, "capability/icbm--north-korea"),
    ({"capability": "MissileCapability"}, "capability/missile"),
    ({"situation": "Tension", "involves": ["united-states", "north-korea"]}, "situation/tension--north-korea--united-states"),
    ({"policy": "sanctions"}, "policy/sanctions"),
    ({"event": "MultilateralTalks", "key": "Six-Party Talks"}, "event/multilateral-talks--six-party-talks"),
])
def test_entity_iris_follow_the_vocabulary(resolver, value, iri):
    assert resolver.entity(value, 1).term.value == FPID + iri


def test_descriptions_say_what_a_node_is(resolver):
    entity = resolver.entity({"event": "DefenseTalks", "agents": ["united-states", "south-korea"]}, 1)
    predicates = {(t.predicate.value.split("#")[-1]) for t in entity.description}
    assert {"type", "label", "hasAgent"} <= predicates
    labels = [t.object.value for t in entity.description if t.predicate.value.endswith("label")]
    assert labels == ["defense talks of South Korea and United States"]


def _claims_file(tmp_path: Path, claims: list[dict]) -> Path:
    path = tmp_path / "doc.yaml"
    path.write_text(dump_claims_file({"format": "flashpoint-claims/1", "document": "doc.txt", "sha256": "0" * 64, "claims": claims}))
    return path


CLAIM = {"sentence": 0, "quote": "x", "start": 0, "end": 1, "subject": "north-korea", "predicate": "hasCapability",
         "object": {"capability": "ICBMCapability", "holder": "north-korea"}, "modality": "possible"}


def test_a_hedged_claim_adds_no_world_triple(tmp_path, model):
    rdf = document_rdf(load_claims_file(_claims_file(tmp_path, [CLAIM])), "doc", model.gazetteer, model.terms, model.policies)
    assert not any(t.predicate.value == FP + "hasCapability" for t in rdf.world)
    # a capability only a hedged claim mentions is hypothetical: its description is not in the
    # world layer either (it was, before: "could acquire ICBMs" made the ICBMs a fact) …
    assert not any(t.predicate.value == FP + "capabilityOf" for t in rdf.world)
    # … but in the document's hypothetical graph, where the claim's readers find it
    hypothetical = [q for q in rdf.quads if q.graph_name.value == FPID + "graph/hypothetical/doc"]
    assert any(q.predicate.value == FP + "capabilityOf" for q in hypothetical)
    asserted = dict(CLAIM, modality="asserted")
    rdf = document_rdf(load_claims_file(_claims_file(tmp_path, [asserted])), "doc", model.gazetteer, model.terms, model.policies)
    assert any(t.predicate.value == FP + "hasCapability" for t in rdf.world)


def test_claim_iris_do_not_depend_on_order(tmp_path, model):
    other = dict(CLAIM, sentence=0, quote="y", start=2, end=3, modality="asserted")
    one = document_rdf(load_claims_file(_claims_file(tmp_path, [CLAIM, other])), "doc", model.gazetteer, model.terms, model.policies)
    two = document_rdf(load_claims_file(_claims_file(tmp_path, [other, CLAIM])), "doc", model.gazetteer, model.terms, model.policies)
    assert one.quads == two.quads


def test_stance_and_year_objects(tmp_path, model):
    claims = [
        dict(CLAIM, predicate="holdsStance", object={"stance": "support", "policy": "military-deterrence", "over": "economic-development"}, modality="asserted"),
        dict(CLAIM, subject={"event": "MissileTest", "agents": ["north-korea"]}, predicate="beginning", object={"year": 1990, "precision": "decade"}, modality="asserted"),
    ]
    rdf = document_rdf(load_claims_file(_claims_file(tmp_path, claims)), "doc", model.gazetteer, model.terms, model.policies)
    world = {(t.subject.value, t.predicate.value.split("#")[-1], getattr(t.object, "value", None)) for t in rdf.world}
    stance = FPID + "stance/north-korea--support--military-deterrence--over-economic-development"
    assert (FPID + "actor/north-korea", "holdsStance", stance) in world
    assert (stance, "stanceHolder", FPID + "actor/north-korea") in world
    assert (stance, "preferredOver", FPID + "policy/economic-development") in world
    assert (FPID + "event/missile-test--north-korea", "beginning", "1990") in world
    assert (FPID + "event/missile-test--north-korea", "timePrecision", "decade") in world
