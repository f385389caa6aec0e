"""Machine proposals are well-formed by construction (loaders/extract/wellformed.py),
and a very long paragraph is extracted in pieces (loaders/extract/pipeline.py)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from flashpoint.gazetteer import load_gazetteer
from flashpoint.identity import slugify
from flashpoint.loaders.extract import Dropped, extract_text, iter_claims
from flashpoint.loaders.extract.resources import get_resources
from flashpoint.loaders.extract.wellformed import checker_for
from flashpoint.loaders.text import split_sentences
from flashpoint.model import load_model
from flashpoint.project import Project

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus" / "dev"
SEED_CLAIMS = ROOT / "kb" / "claims" / "nk-missile-launches.yaml"

# The bad frame, in our own words: rule effect-raise reads "X increases Y" whatever X is.
SOUTH_ASIA = ("Pakistan's growing missile capability increases insecurity in India. "
              "India perceives Pakistan's missile tests as a threat.\n")


@pytest.fixture(scope="module")
def checker():
    return checker_for(get_resources())


def claim(subject, predicate, obj, **extra):
    return {"subject": subject, "predicate": predicate, "object": obj, "extracted_by": "test-rule", **extra}


# ----------------------------------------------------------------------------- the checker
def test_capability_as_subject_of_increases_is_rejected(checker):
    bad = claim({"capability": "MissileCapability", "holder": "pakistan"}, "increases",
                {"situation": "Insecurity", "involves": ["india"]})
    assert checker.why_not(bad) == "capability as subject of increases"


def test_event_as_subject_of_perceives_as_threat_is_rejected(checker):
    bad = claim({"event": "MissileTest", "agents": ["north-korea"]}, "perceivesAsThreat", "south-korea")
    assert checker.why_not(bad) == "event as subject of perceivesAsThreat"


@pytest.mark.parametrize("subject, predicate, obj, reason", [
    ("india", "increases", {"situation": "Tension"}, "state as subject of increases"),        # an actor where an Event is needed
    ("india", "respondsTo", {"capability": "ICBMCapability"}, "state as subject of respondsTo"),
    ({"event": "MissileLaunch"}, "respondsTo", "pakistan", "state as object of respondsTo"),
    ("india", "hasCapability", {"event": "MissileTest"}, "event as object of hasCapability"),
    ("india", "partOf", "pakistan", "state as subject of partOf"),                              # Government ⊔ Public
    ("india", "holdsStance", {"policy": "sanctions"}, "policy option as object of holdsStance"),
    ("india", "allyOf", {"stance": "support", "policy": "dialogue"}, "policy stance as object of allyOf"),
    ("india", "allyOf", {"year": 1998}, "year as object of allyOf"),
    ("india", "beginning", "pakistan", "state as object of beginning"),
    ("india", "perceivesAsThreat", {"event": "Tension"}, "Tension is not a known event class"),
    ("india", "threatens", "pakistan", "unknown predicate threatens"),
    ("india", "claimSubject", "pakistan", "unknown predicate claimSubject"),                   # claim layer
    ("atlantis", "allyOf", "pakistan", "unknown actor atlantis"),
    ("india", "holdsStance", {"stance": "support", "policy": "appeasement"}, "unknown policy appeasement"),
    ({"government": "united-nations"}, "allyOf", "india", "international organization as government of actor"),
    ({"event": "MissileTest", "agents": [{"event": "NuclearTest"}]}, "targets", "india", "event as agents of event"),
])
def test_ill_typed_claims_are_rejected(checker, subject, predicate, obj, reason):
    assert checker.why_not(claim(subject, predicate, obj)) == reason


@pytest.mark.parametrize("subject, predicate, obj", [
    ("india", "perceivesAsThreat", {"capability": "MissileCapability", "holder": "pakistan"}),   # a union range
    ("india", "perceivesAsThreat", "pakistan"),
    ({"event": "MissileTest", "agents": ["pakistan"]}, "increases", {"capability": "MissileCapability"}),
    ({"situation": "Tension"}, "triggers", {"event": "MissileLaunch"}),                        # via fp:causes
    ({"event": "MissileTest"}, "hasAgent", "pakistan"),
    ({"actor": "hypothetical-council"}, "partOf", "india"),      # a generic Actor may be inferred a Government
    ({"government": "india"}, "holdsStance", {"stance": "support", "policy": "dialogue", "over": "military-response"}),
    ({"event": "MissileTest"}, "beginning", {"year": 1998, "precision": "year"}),
])
def test_well_typed_claims_pass(checker, subject, predicate, obj):
    assert checker.why_not(claim(subject, predicate, obj)) is None


def test_every_seed_claim_passes(checker):
    claims = yaml.safe_load(SEED_CLAIMS.read_text(encoding="utf-8"))["claims"]
    assert len(claims) > 50
    assert [(c["sentence"], checker.why_not(c)) for c in claims if checker.why_not(c)] == []


def _gold_entity(value: dict, gazetteer) -> list:
    """A dev gold entity (shared/corpus/dev/README.md) as claims-file forms,
    one per acceptable class."""
    if "qid" in value:
        actor = gazetteer.by_wikidata(value["qid"])
        return [actor.id if actor else {"actor": slugify(value["label"])}]
    if "policy" in value:
        return [{"policy": value["policy"]}]
    if "class" not in value:
        known = [a.id for a in gazetteer.actors.values() if a.label == value["label"]]
        return known[:1] or [{"actor": slugify(value["label"])}]
    actors = [a for p in value.get("participants", []) for a in _gold_entity(p, gazetteer)]
    out = []
    for cls in value["class"] if isinstance(value["class"], list) else [value["class"]]:
        if cls in ("Government", "Public"):
            out.append({cls.lower(): actors[0]})
            continue
        family = next(f for f, root in (("event", "Event"), ("situation", "Situation"), ("capability", "Capability"))
                      if _bundled_terms().is_a(cls, root))
        slot = {"event": "participants", "situation": "involves"}.get(family)
        out.append({family: cls, **({slot: actors} if slot and actors else {}),
                    **({"holder": actors[0]} if family == "capability" and actors else {})})
    return out


@lru_cache(maxsize=1)
def _bundled_terms():
    return load_model(None).terms


def _gold_claims(path: Path, gazetteer):
    for gold in json.loads(path.read_text(encoding="utf-8"))["claims"]:
        predicates = [(gold["predicate"], False)] + [
            (a, False) if isinstance(a, str) else (a["predicate"], a.get("swap", False)) for a in gold.get("alt_predicates", [])]
        for subject in _gold_entity(gold["subject"], gazetteer):
            for obj in _gold_entity(gold["object"], gazetteer):
                for predicate, swap in predicates:
                    s, o = (obj, subject) if swap else (subject, obj)
                    if predicate == "stance":
                        predicate, o = "holdsStance", {"stance": gold["stance_value"].lower(), "policy": o["policy"]}
                    yield gold["id"], claim(s, predicate, o)


@pytest.mark.skipif(not DEV.exists(), reason="shared/corpus/dev is not beside the clone")
@pytest.mark.parametrize("path", sorted(DEV.glob("*.gold.json")), ids=lambda p: p.stem)
def test_every_dev_gold_claim_passes(checker, path):
    gazetteer = load_gazetteer()
    checked = list(_gold_claims(path, gazetteer))
    assert len(checked) >= 20
    assert [(gid, c, checker.why_not(c)) for gid, c in checked if checker.why_not(c)] == []


def test_a_project_extension_is_checked(tmp_path):
    """The checks come from the ontology graph: a project's new property gets
    its domain checked, and its new disjointness too."""
    (tmp_path / "kb" / "documents").mkdir(parents=True)
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "deterrence.ttl").write_text("""
@prefix fp: <https://w3id.org/flashpoint/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
fp:deters a owl:ObjectProperty ; rdfs:domain fp:Actor ; rdfs:range fp:Event .
fp:Drill a owl:Class ; rdfs:subClassOf fp:Event .
fp:NavalPatrol a owl:Class ; rdfs:subClassOf fp:Event ; owl:disjointWith fp:Drill .
fp:patrolOf a owl:ObjectProperty ; rdfs:domain fp:NavalPatrol ; rdfs:range fp:Actor .
fp:perceivesAsThreat rdfs:domain fp:Government .
""", encoding="utf-8")
    model = load_model(Project(tmp_path))
    checker = checker_for(get_resources(), model)
    assert checker.why_not(claim("india", "deters", {"event": "MissileTest"})) is None
    assert checker.why_not(claim({"capability": "MissileCapability"}, "deters", {"event": "Drill"})) == "capability as subject of deters"
    assert checker.why_not(claim({"event": "Drill"}, "patrolOf", "india")) == "event as subject of patrolOf"
    assert checker.why_not(claim({"event": "MilitaryExercise"}, "patrolOf", "india")) is None
    # the pipeline takes the project's model the same way: there only a government perceives threats
    dropped = Dropped()
    assert extract_text(SOUTH_ASIA, "south-asia.txt", ontology=model, dropped=dropped)["claims"]
    assert dropped.total == 1
    # the bundled ontology alone does not know the project's property
    assert checker_for(get_resources()).why_not(claim("india", "deters", {"event": "MissileTest"})) == "unknown predicate deters"


def test_dropped_summary():
    dropped = Dropped()
    assert not dropped and dropped.summary() == ""
    dropped.add({"extracted_by": "effect-raise"}, "capability as subject of increases")
    dropped.add({"extracted_by": "effect-raise"}, "capability as subject of increases")
    dropped.add({"extracted_by": "cause-lead-to"}, "capability as subject of causes")
    assert dropped.total == 3
    assert dropped.by_rule[("effect-raise", "capability as subject of increases")] == 2
    assert dropped.summary() == ("dropped 3 proposals that cannot hold "
                                 "(capability as subject of increases: 2, capability as subject of causes: 1)")


# ----------------------------------------------------------------------------- end to end
def test_the_bad_frame_gives_the_well_typed_reading_and_the_build_succeeds(tmp_path, checker):
    dropped = Dropped()
    claims = extract_text(SOUTH_ASIA, "south-asia.txt", dropped=dropped)["claims"]
    assert claims, "the good sentence still gives its claim"
    assert [checker.why_not(c) for c in claims] == [None] * len(claims)
    assert not [c for c in claims if c["predicate"] == "increases" and "capability" in c["subject"]]
    # issue 10: not dropped but read as what can hold -- the holder's having the capability raises insecurity
    (raised,) = [c for c in claims if c["predicate"] == "increases"]
    assert raised["subject"] == {"event": "Event", "agents": ["pakistan"]}
    assert not dropped

    project = tmp_path / "project"
    (project / "kb" / "documents").mkdir(parents=True)
    (project / "kb" / "documents" / "south-asia.txt").write_text(SOUTH_ASIA, encoding="utf-8")
    extracted = run_cli("extract", project / "kb" / "documents" / "south-asia.txt", "-o", tmp_path / "proposed")
    assert extracted.exit_code == 0, extracted.stderr
    written = yaml.safe_load((tmp_path / "proposed" / "south-asia.yaml").read_text(encoding="utf-8"))["claims"]
    assert written and [checker.why_not(c) for c in written] == [None] * len(written)

    built = run_cli("build", "--project", project)   # extracts on the fly (no claims file), then HermiT
    assert built.exit_code == 0, built.stderr
    assert "extracted on the fly" in built.stdout
    assert "contradict" not in built.stdout + built.stderr


# ----------------------------------------------------------------------------- a very long paragraph
def _long_paragraph() -> str:
    """One paragraph of about 1.2 million characters (over spaCy's 1,000,000),
    with a claim at its start, in its middle and past its millionth character."""
    said = "North Korea perceives the joint military exercises of South Korea and the United States as a threat. "
    filler = "The committee met again on Tuesday and the minutes were filed without comment. "
    half = [filler] * (600_000 // len(filler))
    return "".join([said] + half + [said] + half + [said])


def test_a_long_paragraph_is_extracted_with_exact_offsets(tmp_path):
    text = _long_paragraph()
    assert len(text) > 1_150_000 and "\n" not in text
    sentences = split_sentences(text)
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    for claims in (extract_text(text, "long.txt")["claims"], list(iter_claims(path))):  # whole, and streamed from disk
        assert len(claims) == 3
        assert claims[-1]["start"] > 1_000_000
        for c in claims:
            assert text[c["start"]:c["end"]] == c["quote"]
            sentence = sentences[c["sentence"]]
            assert sentence.start <= c["start"] and c["end"] <= sentence.end


def test_no_hedged_claim_that_an_asserted_description_states_as_fact():
    # "fear that X could launch an attack": the perception is asserted and its object, the attack
    # with X as its agent, is described in it; a hedged "X launches the attack" on that same
    # description would be held as fact by the build (check: FP-R01), so it is not proposed
    dropped = Dropped()
    # (an attack with no target: one with a target gives a targets claim, not a hasAgent one)
    out = extract_text("Many Armenians fear that Azerbaijan could launch another offensive.", "t", dropped=dropped)
    described = [json.dumps(c[slot], sort_keys=True) for c in out["claims"] if c["modality"] == "asserted"
                 for slot in ("subject", "object") if isinstance(c[slot], dict)]
    assert described, out["claims"]
    for claim in out["claims"]:
        if claim["modality"] != "asserted" and claim["predicate"] == "hasAgent":
            assert json.dumps(claim["subject"], sort_keys=True) not in described, claim
    assert dropped.by_reason["hedged, but an asserted claim's description states it"] == 1


@pytest.mark.parametrize("text", [
    "Paul Biya's government has rejected calls for international mediation.",   # a person's government
    "Colombia said the strikes had damaged decades of security cooperation between Bogotá and Washington.",
    "Pretoria regards instability in Maseru as a direct threat to its own security.",
])
def test_proposals_that_could_not_hold_are_not_made(text, checker):
    dropped = Dropped()
    claims = extract_text(text, "t.txt", dropped=dropped)["claims"]
    assert not dropped, dropped.summary()
    assert [checker.why_not(c) for c in claims] == [None] * len(claims)


def test_the_authorities_of_an_armed_group_are_the_group():
    (c,) = [c for c in extract_text("The Taliban authorities have called for dialogue.", "t.txt")["claims"]
            if c["predicate"] == "holdsStance"]
    assert c["subject"] == "taliban"
