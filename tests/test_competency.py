"""The competency questions of shared/spec/competency-questions.md, answered by the
queries under queries/ over the repository's own KB (built once per session).

Answers are compared by what things are (Wikidata item, class, participants),
never by IRI spelling: every entity a query returns is described through the
store (its class as the document states it, and the actors it involves, with
groups expanded to their members and a government or public named after its
state), and the expected answers are written in those terms.

Plus two invariants of the claim layer: a claim that is not asserted never has
its triple in a document's world layer (unless another, asserted claim states
the same triple), and every claim's quote is the document text at its offsets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import run_cli
from flashpoint.store import open_read_only

FP = "https://w3id.org/flashpoint/ontology#"
WD = "http://www.wikidata.org/entity/"
DOC_GRAPH = "https://w3id.org/flashpoint/id/graph/doc/"
HYPOTHETICAL_GRAPH = "https://w3id.org/flashpoint/id/graph/hypothetical/"  # what only hedged claims describe

NK, SK, US, JAPAN, RUSSIA = "Q423", "Q884", "Q30", "Q17", "Q159"

PREFIXES = f"""
PREFIX fp: <{FP}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX wd: <{WD}>
"""


# ---------------------------------------------------------------- helpers


def fp(local: str) -> str:
    return FP + local


def local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1] if iri.startswith(FP) else iri


def run_query(project: Path, name: str) -> list[dict[str, str]]:
    """`flashpoint query NAME --format json` → rows of {variable: value} (unbound ones left out)."""
    result = run_cli("query", name, "--project", project, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]


@dataclass(frozen=True)
class Thing:
    """What an entity is: its class (local name, as the document states it) and
    the actors it involves, not its targets (Wikidata items; 'Government:Q884', 'Public:Q884' for a
    state's government or public; a group counts as its members)."""

    cls: str | None
    actors: frozenset[str]


class KB:
    """The built seed KB, opened read-only, with entity descriptions cached."""

    def __init__(self, project: Path):
        self.project = project
        self.store = open_read_only(project / ".flashpoint" / "store")
        self._actor_keys = self._load_actor_keys()
        self._things = self._load_things()

    def query(self, sparql: str) -> list[dict[str, str]]:
        solutions = self.store.query(PREFIXES + sparql, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]
        rows = []
        for solution in solutions:
            rows.append({n: solution[n].value for n in names if solution[n] is not None})
        return rows

    def _load_actor_keys(self) -> dict[str, frozenset[str]]:
        keys: dict[str, set[str]] = {}
        for row in self.query("SELECT DISTINCT ?a ?item WHERE { ?a skos:exactMatch ?item }"):
            if row["item"].startswith(WD):
                keys.setdefault(row["a"], set()).add(row["item"][len(WD):])
        for row in self.query(
            """SELECT DISTINCT ?a ?kind ?item WHERE {
                 VALUES ?kind { fp:Government fp:Public } ?a a ?kind ; fp:partOf/skos:exactMatch ?item }"""
        ):
            keys.setdefault(row["a"], set()).add(f"{local(row['kind'])}:{row['item'][len(WD):]}")
        for row in self.query("SELECT DISTINCT ?g ?m WHERE { ?g a fp:ActorGroup ; fp:hasMember ?m }"):
            keys.setdefault(row["g"], set()).add(row["m"])
        # expand group members to their own keys
        resolved: dict[str, frozenset[str]] = {}
        for actor, values in keys.items():
            out = set()
            for v in values:
                out |= keys.get(v, {v}) if v.startswith("http") else {v}
            resolved[actor] = frozenset(out)
        return resolved

    def actor(self, iri: str) -> frozenset[str]:
        """The keys of an actor (its Wikidata item; a group: its members' items)."""
        return self._actor_keys.get(iri, frozenset({iri}))

    def _load_things(self) -> dict[str, Thing]:
        classes: dict[str, str] = {}
        for row in self.query(
            f"""SELECT DISTINCT ?e ?cls WHERE {{ GRAPH ?g {{ ?e a ?cls }}
                FILTER (STRSTARTS(STR(?g), "{DOC_GRAPH}") || STRSTARTS(STR(?g), "{HYPOTHETICAL_GRAPH}")) }}"""
        ):
            classes[row["e"]] = local(row["cls"])
        actors: dict[str, set[str]] = {}
        for row in self.query(
            """SELECT DISTINCT ?e ?a WHERE {
                 VALUES ?p { fp:hasAgent fp:hasParticipant fp:involves fp:capabilityOf }
                 ?e ?p ?a }"""
        ):
            actors.setdefault(row["e"], set()).update(self.actor(row["a"]))
        return {e: Thing(classes.get(e), frozenset(actors.get(e, ()))) for e in set(classes) | set(actors)}

    def thing(self, iri: str) -> Thing:
        if iri in self._actor_keys or iri not in self._things:
            return Thing(None, self.actor(iri))
        return self._things[iri]

    def is_subclass(self, cls: str | None, ancestor: str) -> bool:
        if cls is None:
            return False
        return bool(self.store.query(
            PREFIXES + f"ASK {{ <{fp(cls)}> rdfs:subClassOf* <{fp(ancestor)}> }}", use_default_graph_as_union=True
        ))


@pytest.fixture(scope="module")
def kb(built_project) -> KB:
    return KB(built_project)


def is_(kb: KB, iri: str, cls: str, *actors: str, exact: bool = False) -> bool:
    """IRI denotes a CLS (or a subclass) involving at least ACTORS (exactly, if exact)."""
    thing = kb.thing(iri)
    wanted = frozenset(actors)
    return kb.is_subclass(thing.cls, cls) and (thing.actors == wanted if exact else wanted <= thing.actors)


def actor_is(kb: KB, iri: str, key: str) -> bool:
    return kb.actor(iri) == frozenset({key})


def only(rows, what: str):
    assert rows, f"no row for {what}"
    return rows


# ---------------------------------------------------------------- CQ1


def test_cq01_triggers_of_north_korean_missile_launches(built_project, kb):
    rows = run_query(built_project, "cq01")
    for row in rows:  # every answer is about a North Korean missile launch series
        assert is_(kb, row["launch"], "MissileLaunch", NK), row
        assert row["relation"] in {fp("triggers"), fp("causes"), fp("respondsTo")}
    asserted = [r for r in rows if r["modality"] == fp("Asserted")]
    only([r for r in asserted if is_(kb, r["cause"], "Tension", NK, US, SK)], "Tension NK/US/SK")
    only([r for r in asserted if is_(kb, r["cause"], "DefenseTalks", US, SK, exact=True)], "DefenseTalks US+SK")
    only([r for r in asserted if is_(kb, r["cause"], "MilitaryExercise", US, SK, exact=True)], "exercises US+SK")
    # sentence 3: the talks "can" prompt launches: hedged, but still listed, as Possible
    only([r for r in rows if r["sentence"] == "3" and r["modality"] == fp("Possible")
          and is_(kb, r["cause"], "DefenseTalks", US, SK)], "sentence 3 (possible trigger)")
    assert {r["sentence"] for r in rows} >= {"0", "3"}
    assert all(r.get("quote") and r.get("causeLabel") for r in rows)


# ---------------------------------------------------------------- CQ2


def test_cq02_threat_and_provocation_perceptions(built_project, kb):
    rows = run_query(built_project, "cq02")

    def has(perceiver, perception, check, habitual=None):
        hits = [r for r in rows if actor_is(kb, r["perceiver"], perceiver) and r["perception"] == perception
                and check(r["object"]) and r["modality"] == fp("Asserted")
                and (habitual is None or r["habitual"] == habitual)]
        return bool(hits)

    assert has(NK, "threat", lambda o: is_(kb, o, "MilitaryExercise", US, SK))
    assert has(NK, "threat", lambda o: is_(kb, o, "DefenseTalks", US, SK))
    assert has(NK, "provocation", lambda o: is_(kb, o, "DefenseTalks", US, SK))
    assert has(NK, "threat", lambda o: actor_is(kb, o, US), habitual="true")
    assert has(NK, "threat", lambda o: actor_is(kb, o, SK), habitual="true")
    assert has(SK, "threat", lambda o: is_(kb, o, "MissileLaunch", NK))
    assert {r["sentence"] for r in rows} >= {"1", "2", "5", "22"}
    for row in rows:
        assert row["perception"] in {"threat", "provocation"}
        assert row.get("perceiverLabel") and row.get("quote")


# ---------------------------------------------------------------- CQ3


def test_cq03_provocations_come_from_the_reasoner(built_project, kb):
    # fp:Provocation is never asserted by a loader: only the inferred graph has it
    graphs = {r["g"] for r in kb.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?e a fp:Provocation } }")}
    assert graphs == {"https://w3id.org/flashpoint/id/graph/inferred"}
    assert "fp:Provocation" in (built_project / "queries" / "cq03-provocations.rq").read_text().split("WHERE", 1)[1]

    rows = run_query(built_project, "cq03")
    pairs = {(kb.thing(r["event"]), kb.actor(r["perceiver"])) for r in rows}

    def seen(cls, actors, perceiver):
        return any(kb.is_subclass(t.cls, cls) and frozenset(actors) <= t.actors and p == frozenset({perceiver})
                   for t, p in pairs)

    assert seen("DefenseTalks", {US, SK}, NK)
    assert seen("MilitaryExercise", {US, SK}, NK)
    assert seen("MissileLaunch", {NK}, SK)
    for row in rows:  # a provocation is an event, never an actor
        assert kb.is_subclass(kb.thing(row["event"]).cls, "Event")


# ---------------------------------------------------------------- CQ4


def test_cq04_missile_capabilities_and_since_when(built_project, kb):
    rows = run_query(built_project, "cq04")
    classes = set()
    for row in rows:
        thing = kb.thing(row["capability"])
        assert kb.is_subclass(thing.cls, "MissileCapability") and thing.actors == {NK}, row
        classes.add(thing.cls)
    assert {"SRBMCapability", "ICBMCapability"} <= classes
    dated = [r for r in rows if "beginning" in r]
    assert dated, "no beginning of the missile program"
    for row in dated:
        assert is_(kb, row["program"], "MissileLaunch", NK)
        assert (row["beginning"], row["beginningPrecision"]) == ("1990", "decade")
        assert (row["accelerated"], row["acceleratedPrecision"]) == ("2000", "decade")
    # the gYear is typed as such in the world layer
    assert kb.query(
        """SELECT ?y WHERE { ?p fp:beginning ?y FILTER (datatype(?y) = <http://www.w3.org/2001/XMLSchema#gYear>
           && STR(?y) = "1990") }"""
    )


# ---------------------------------------------------------------- CQ5


def test_cq05_evolution_of_the_international_response(built_project, kb):
    rows = run_query(built_project, "cq05")
    responses = [r for r in rows if r["kind"] == "response"]
    stances = [r for r in rows if r["kind"] == "stance"]
    # a SanctionsImposition caused by (or responding to) North Korea's missile tests
    only([r for r in responses if is_(kb, r["item"], "SanctionsImposition")
          and r["relation"] in {fp("causes"), fp("triggers"), fp("respondsTo")}], "sanctions")
    # the Six-Party Talks, a MultilateralTalks, in the earlier (dialogue) stage
    six = only([r for r in responses if is_(kb, r["item"], "MultilateralTalks")
                and "Six-Party" in r.get("itemLabel", "")], "Six-Party Talks")
    assert all(r["stanceValue"] == fp("Support") for r in stances)
    by_label = {r["policyLabel"]: [] for r in stances}
    for r in stances:
        by_label[r["policyLabel"]].append(int(r["sentence"]))
    assert {"dialogue", "sanctions", "military deterrence"} <= set(by_label)
    # earlier: dialogue ("Initially ..."); later: sanctions and military deterrence ("evolved ... to")
    dialogue = [r for r in stances if r["policyLabel"] == "dialogue"]
    assert any("Initially" in r["quote"] for r in dialogue)
    assert any("evolved" in r["quote"] for r in stances if r["policyLabel"] in {"sanctions", "military deterrence"})
    assert min(int(r["sentence"]) for r in six) == min(by_label["dialogue"])


# ---------------------------------------------------------------- CQ6


def test_cq06_what_north_korea_russia_cooperation_could_lead_to(built_project, kb):
    rows = run_query(built_project, "cq06")
    coop = [r for r in rows if r["relation"] == fp("cooperatesWith")]
    assert coop and all(r["modality"] == fp("Asserted") for r in coop)
    assert {frozenset(kb.actor(r["subject"]) | kb.actor(r["object"])) for r in coop} == {frozenset({NK, RUSSIA})}
    effects = [r for r in rows if r["relation"] != fp("cooperatesWith")]
    for r in effects:
        assert is_(kb, r["subject"], "MilitaryCooperation", NK, RUSSIA)

    def possible(relation, cls, *actors):
        return any(r["relation"] == fp(relation) and r["modality"] == fp("Possible") and is_(kb, r["object"], cls, *actors)
                   for r in effects)

    assert possible("increases", "MilitaryCapability", NK)
    assert possible("decreases", "RegionalStability")
    assert possible("decreases", "DiplomaticProspects", US)
    # hedged effects stay out of the world layer
    assert not kb.query(
        """SELECT ?c WHERE { ?c a fp:MilitaryCooperation ; fp:increases ?x . ?x a fp:MilitaryCapability }"""
    )


# ---------------------------------------------------------------- CQ7


def test_cq07_us_role_in_korean_security(built_project, kb):
    rows = run_query(built_project, "cq07")
    aspects = {r["aspect"] for r in rows}
    assert {"alliance", "military presence", "deterrence"} <= aspects
    alliance = [r for r in rows if r["aspect"] == "alliance"]
    assert any({*kb.actor(r["subject"]), *kb.actor(r["object"])} == {US, SK} and r["modality"] == fp("Asserted")
               for r in alliance)
    presence = [r for r in rows if r["aspect"] == "military presence"]
    assert any(is_(kb, r["subject"], "MilitaryDeployment", US, SK) for r in presence)
    # the deployment is the U.S.'s (agent), South Korea is where it is
    assert kb.query(
        f"""SELECT ?d WHERE {{ ?d a fp:MilitaryDeployment ; fp:hasAgent/skos:exactMatch wd:{US} ;
                   fp:hasParticipant/skos:exactMatch wd:{SK} }}"""
    )
    deterrence = [r for r in rows if r["aspect"] == "deterrence"]
    assert any(is_(kb, r["subject"], "MilitaryExercise", US, SK) and actor_is(kb, r["object"], NK)
               for r in deterrence)


# ---------------------------------------------------------------- CQ8


def test_cq08_what_rising_tensions_could_lead_to(built_project, kb):
    rows = run_query(built_project, "cq08")
    for r in rows:
        assert kb.is_subclass(kb.thing(r["tension"]).cls, "Tension")
    possible = [r for r in rows if r["modality"] == fp("Possible")]

    def outcome(cls, relations=("causes", "triggers", "increases"), *actors):
        return any(is_(kb, r["outcome"], cls, *actors) and r["relation"] in {fp(x) for x in relations}
                   for r in possible)

    assert outcome("MilitaryConfrontation")
    assert outcome("MissileTest", ("causes", "triggers", "increases"), NK)
    assert outcome("ArmedConflict")
    assert outcome("ArmsRace", ("increases",))
    assert outcome("DiplomaticProspects", ("decreases",))  # strained diplomacy
    # the tensions in question involve North Korea (and its adversaries: the U.S. and South Korea)
    assert all(NK in kb.thing(r["tension"]).actors for r in possible)


# ---------------------------------------------------------------- CQ9


def test_cq09_effects_of_launches_on_the_region(built_project, kb):
    rows = run_query(built_project, "cq09")
    for r in rows:
        assert is_(kb, r["launch"], "MissileLaunch", NK)

    def effect(relation, modality, cls, *actors):
        return any(r["relation"] == fp(relation) and r["modality"] == fp(modality) and is_(kb, r["effect"], cls, *actors)
                   for r in rows)

    assert effect("decreases", "Asserted", "RegionalStability")
    assert effect("increases", "Asserted", "Insecurity", SK, JAPAN)
    assert effect("increases", "Possible", "MilitaryReadiness", SK, JAPAN)
    assert effect("increases", "Possible", "DefenseSpending", SK, JAPAN)
    assert effect("increases", "Possible", "Mistrust")


# ---------------------------------------------------------------- CQ10


def test_cq10_south_korean_stances(built_project, kb):
    rows = run_query(built_project, "cq10")
    got = {(next(iter(kb.actor(r["holder"]))), r["policyLabel"], r["stanceValue"], r["habitual"]) for r in rows}
    assert (f"Government:{SK}", "strong defense posture", fp("Support"), "true") in got
    assert (f"Government:{SK}", "international cooperation", fp("Support"), "true") in got
    assert (f"Public:{SK}", "dialogue", fp("Support"), "false") in got
    assert (f"Public:{SK}", "military response", fp("Support"), "false") in got
    assert {r["holderClass"] for r in rows} >= {fp("Government"), fp("Public")}
    for r in rows:
        assert r["policy"].startswith("https://w3id.org/flashpoint/id/policy/")


# ---------------------------------------------------------------- CQ11


def test_cq11_hedged_claims(built_project, kb):
    rows = run_query(built_project, "cq11")
    expected = {r["c"] for r in kb.query("SELECT DISTINCT ?c WHERE { ?c a fp:Claim ; fp:modality fp:Possible }")}
    assert expected and {r["claim"] for r in rows} == expected
    for r in rows:
        assert r["quote"] and r["document"]
        if r["inWorldLayer"] == "true":  # allowed only when an asserted claim says the same
            assert kb.query(
                f"""SELECT ?a WHERE {{ <{r['claim']}> fp:claimSubject ?s ; fp:claimPredicate ?p ; fp:claimObject ?o .
                     ?a fp:claimSubject ?s ; fp:claimPredicate ?p ; fp:claimObject ?o ; fp:modality fp:Asserted }}"""
            ), r
    hedged = {r["quote"] for r in rows}
    assert any("could lead to" in q for q in hedged) and any(" may " in q for q in hedged)
    assert any(" can lead to" in q for q in hedged)


# ---------------------------------------------------------------- CQ12


def test_cq12_provenance_of_every_claim(built_project, kb):
    rows = run_query(built_project, "cq12")
    claims = {r["c"] for r in kb.query("SELECT DISTINCT ?c WHERE { ?c a fp:Claim }")}
    assert claims and {r["claim"] for r in rows} == claims
    texts = _document_texts(built_project, kb)
    from flashpoint.loaders.text import split_sentences

    for r in rows:
        text = texts[r["document"]]
        start, end = int(r["start"]), int(r["end"])
        assert text[start:end] == r["quote"], r
        sentence = split_sentences(text)[int(r["sentence"])]
        assert sentence.start <= start and end <= sentence.end, r


def _document_texts(project: Path, kb: KB) -> dict[str, str]:
    """Document IRI → its text, found through the documents folder and fp:sha256."""
    import hashlib

    by_hash = {}
    for path in (project / "kb" / "documents").iterdir():
        by_hash[hashlib.sha256(path.read_bytes()).hexdigest()] = path.read_bytes().decode("utf-8")
    out = {}
    for row in kb.query("SELECT DISTINCT ?d ?h WHERE { ?d a fp:Document ; fp:sha256 ?h }"):
        out[row["d"]] = by_hash[row["h"]]
    return out


# ---------------------------------------------------------------- CQ13


def test_cq13_north_korean_priorities(built_project, kb):
    rows = run_query(built_project, "cq13")
    got = {(r["policyLabel"], r["overLabel"], r["stanceValue"], r["modality"]) for r in rows}
    assert ("military deterrence", "economic development", fp("Support"), fp("Asserted")) in got
    assert all(r["holderLabel"] for r in rows)


# ---------------------------------------------------------------- invariants


def test_hedged_claims_never_state_their_triple_in_the_world_layer(kb):
    leaks = kb.query(
        f"""SELECT DISTINCT ?c ?s ?p ?o WHERE {{
              ?c a fp:Claim ; fp:modality ?m ; fp:claimSubject ?s ; fp:claimPredicate ?p ; fp:claimObject ?o .
              FILTER (?m != fp:Asserted)
              GRAPH ?g {{ ?s ?p ?o }}
              FILTER (STRSTARTS(STR(?g), "{DOC_GRAPH}"))
              FILTER NOT EXISTS {{
                ?a fp:modality fp:Asserted ; fp:claimSubject ?s ; fp:claimPredicate ?p ; fp:claimObject ?o }}
            }}"""
    )
    assert not leaks, leaks
    # and there are hedged claims to check at all
    assert kb.query("SELECT ?c WHERE { ?c fp:modality fp:Possible } LIMIT 1")


def test_every_quote_is_the_document_text_at_its_offsets(built_project, kb):
    texts = _document_texts(built_project, kb)
    rows = kb.query(
        """SELECT DISTINCT ?c ?d ?q ?s ?e WHERE { ?c a fp:Claim ; prov:wasDerivedFrom ?d ; fp:quote ?q ;
             fp:startChar ?s ; fp:endChar ?e }"""
    )
    assert rows
    for r in rows:
        assert texts[r["d"]][int(r["s"]):int(r["e"])] == r["q"], r


def test_reviewed_claims_file_matches_its_document():
    """The repository's claims file: reviewed, tied to the document's bytes, offsets exact."""
    import hashlib

    import yaml

    from flashpoint.loaders.text import split_sentences

    repo = Path(__file__).resolve().parents[1]
    doc = repo / "kb" / "documents" / "nk-missile-launches.txt"
    data = yaml.safe_load((repo / "kb" / "claims" / "nk-missile-launches.yaml").read_text(encoding="utf-8"))
    assert data["reviewed"] is True and data["format"] == "flashpoint-claims/1"
    assert data["sha256"] == hashlib.sha256(doc.read_bytes()).hexdigest()
    text = doc.read_text(encoding="utf-8")
    sentences = split_sentences(text)
    assert len(sentences) == 25
    for claim in data["claims"]:
        assert text[claim["start"]:claim["end"]] == claim["quote"], claim
        sentence = sentences[claim["sentence"]]
        assert sentence.start <= claim["start"] and claim["end"] <= sentence.end, claim
        assert claim.get("extracted_by") == "curated"
