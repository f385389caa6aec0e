"""Claims → RDF: the claim layer, the descriptions of what claims name, and the
world layer (only for asserted claims). docs/claims-format.md is the mapping.

Hedging covers existence too: an event, situation, capability or stance that a
document mentions only in hedged or negated claims ("tensions could lead to a
conflict") is *hypothetical*. Its description (class, label, participants) goes
to the document's hypothetical graph, marked ``fp:hypothetical true``, not to
the world layer, so neither the reasoner nor a world-layer query takes it for
something that happened; the claims about it can still be read.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad, Triple

from flashpoint import claim_layer, identity
from flashpoint.errors import Collector, InputError, raise_first
from flashpoint.gazetteer import Gazetteer
from flashpoint.loaders.claims_file import Claim, ClaimsFile
from flashpoint.terms import FAMILY_ROOTS, Terms
from flashpoint.vocab import DCTERMS, FP, FPID, PROV, RDF, RDFS, XSD, doc_graph, hypothetical_graph

RDF_TYPE = NamedNode(RDF + "type")
RDFS_LABEL = NamedNode(RDFS + "label")
XSD_INTEGER = NamedNode(XSD + "integer")
XSD_DECIMAL = NamedNode(XSD + "decimal")
XSD_BOOLEAN = NamedNode(XSD + "boolean")
XSD_GYEAR = NamedNode(XSD + "gYear")

MODALITY_IRIS = {m: NamedNode(iri) for m, iri in claim_layer.MODALITY_IRIS.items()}
STANCE_VALUES = {"support": NamedNode(FP + "Support"), "opposition": NamedNode(FP + "Opposition")}
YEAR_PREDICATES = {"beginning", "acceleratedFrom"}


def fp(local: str) -> NamedNode:
    return NamedNode(FP + local)


def label(text: str) -> Literal:
    return Literal(text, language="en")


@dataclass
class Entity:
    """A resolved subject or object: its RDF term and the triples that say what it is."""

    term: NamedNode | Literal
    description: list[Triple] = field(default_factory=list)
    gazetteer_ids: set[str] = field(default_factory=set)
    precision: str | None = None  # for gYear literals


@dataclass
class ClaimRDF:
    """One claim as resolved: its IRI, what it relates, and its world-layer triples (the
    descriptions of what it names + its triple when asserted; hypothetical things left out)."""

    claim: Claim
    iri: NamedNode
    subject: NamedNode | Literal
    predicate: NamedNode
    object: NamedNode | Literal
    world: list[Triple]
    gazetteer_ids: set[str]


@dataclass
class DocumentRDF:
    """Everything one document contributes to the store."""

    slug: str
    quads: list[Quad]  # the document's named graph (doc node, claims, world layer) and its hypothetical graph
    world: list[Triple]  # descriptions + asserted triples: what the reasoner sees
    gazetteer_ids: set[str]  # gazetteer actors it names (their triples join the reasoner's module)
    claim_count: int
    reviewed: bool = True  # the claims file says a person reviewed it
    claims: list[ClaimRDF] = field(default_factory=list)  # in file order: what check traces findings back to

    def set_aside(self) -> "DocumentRDF":
        """The document without its claims: what the build keeps of an unreviewed
        document whose machine claims contradict the ontology (the document node only)."""
        doc = NamedNode(identity.document_iri(self.slug))
        return DocumentRDF(self.slug, [q for q in self.quads if q.subject == doc], [], set(), 0, self.reviewed)


class Resolver:
    """Turns the YAML forms of entities into IRIs and description triples."""

    def __init__(self, path, gazetteer: Gazetteer, terms: Terms, policies: set[str]):
        self.path, self.gazetteer, self.terms, self.policies = path, gazetteer, terms, policies

    def error(self, line: int, message: str, hint: str | None = None) -> InputError:
        return InputError(self.path, line, message, hint, rule="FP-P10")  # something unknown, or the wrong kind of object

    # -- actors

    def actor(self, value: Any, line: int) -> Entity:
        if isinstance(value, str):
            return self._gazetteer_actor(value, line)
        if "government" in value or "public" in value:
            kind = "government" if "government" in value else "public"
            state = self._gazetteer_actor(value[kind], line)
            state_label = self.gazetteer.actors[value[kind]].label
            iri = NamedNode(identity.actor_iri(f"{value[kind]}/{kind}"))
            text = value.get("label") or f"{kind} of {state_label}"
            return Entity(iri, [Triple(iri, RDF_TYPE, fp(kind.capitalize())), Triple(iri, RDFS_LABEL, label(text)), Triple(iri, fp("partOf"), state.term)], state.gazetteer_ids)
        if "group" in value:
            iri = NamedNode(identity.actor_iri(f"group/{value['group']}"))
            entity = Entity(iri, [Triple(iri, RDF_TYPE, fp("ActorGroup")), Triple(iri, RDFS_LABEL, label(value.get("label") or value["group"].replace("-", " ")))])
            for member in value.get("members", []):
                self._attach(entity, "hasMember", self.actor(member, line))
            return entity
        if value["actor"] in self.gazetteer:
            return self._gazetteer_actor(value["actor"], line)
        cls = value.get("class", "Actor")
        self._check_class(cls, "actor", line)
        iri = NamedNode(identity.actor_iri(value["actor"]))
        text = value.get("label") or value["actor"].replace("-", " ")
        return Entity(iri, [Triple(iri, RDF_TYPE, fp(cls)), Triple(iri, RDFS_LABEL, label(text))])

    def _gazetteer_actor(self, actor_id: str, line: int) -> Entity:
        if actor_id not in self.gazetteer:
            close = difflib.get_close_matches(actor_id, list(self.gazetteer.actors), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"for an actor outside the gazetteer write {{actor: {actor_id}, label: ...}}"
            raise self.error(line, f"unknown actor {actor_id!r} (not in the gazetteer)", hint)
        return Entity(NamedNode(self.gazetteer.actors[actor_id].iri), gazetteer_ids={actor_id})

    def _attach(self, entity: Entity, prop: str, other: Entity) -> None:
        entity.description.append(Triple(entity.term, fp(prop), other.term))
        entity.description.extend(other.description)
        entity.gazetteer_ids |= other.gazetteer_ids

    def _label_of(self, entity: Entity) -> str:
        for triple in entity.description:
            if triple.subject == entity.term and triple.predicate == RDFS_LABEL:
                return triple.object.value
        actor_id = identity.actor_slug(entity.term.value)
        actor = self.gazetteer.get(actor_id)
        return actor.label if actor else actor_id

    def _check_class(self, cls: str, family: str, line: int) -> None:
        if not self.terms.is_a(cls, FAMILY_ROOTS[family]):
            known = self.terms.classes_of(family)
            close = difflib.get_close_matches(cls, known, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known)}"
            raise self.error(line, f"unknown {family} class {cls!r} (not a subclass of fp:{FAMILY_ROOTS[family]} in the ontology)", hint)

    # -- events, situations, capabilities, policies

    def entity(self, value: Any, line: int) -> Entity:
        if isinstance(value, str) or not ({"event", "situation", "capability", "policy"} & value.keys()):
            return self.actor(value, line)
        if "policy" in value:
            return self.policy(value["policy"], line)
        family = next(k for k in ("event", "situation", "capability") if k in value)
        cls = value[family]
        self._check_class(cls, family, line)
        roles = {"event": ("agents", "participants", "targets"), "situation": ("involves",), "capability": ("holder",)}[family]
        links = {"agents": "hasAgent", "participants": "hasParticipant", "targets": "targets", "involves": "involves", "holder": "capabilityOf"}
        actors: list[tuple[str, Entity]] = []
        for role in roles:
            members = value.get(role)
            if members is None:  # e.g. a capability whose holder the text does not name
                continue
            for member in [members] if role == "holder" else members:
                actors.append((role, self.actor(member, line)))
        iri = NamedNode(identity.entity_iri(family, cls, [a.term.value for _, a in actors], value.get("key")))
        entity = Entity(iri, [Triple(iri, RDF_TYPE, fp(cls))])
        for role, actor in actors:
            self._attach(entity, links[role], actor)
        names = [self._label_of(a) for _, a in actors]
        text = value.get("label") or _auto_label(cls, family, names)
        entity.description.insert(1, Triple(iri, RDFS_LABEL, label(text)))
        return entity

    def policy(self, slug: str, line: int) -> Entity:
        if slug not in self.policies:
            raise self.error(line, f"unknown policy option {slug!r}", f"the controlled list: {', '.join(sorted(self.policies))}")
        return Entity(NamedNode(identity.policy_iri(slug)))

    def stance(self, holder: Entity, value: dict, line: int) -> Entity:
        policy = self.policy(value["policy"], line)
        iri = NamedNode(identity.stance_iri(holder.term.value, value["stance"], value["policy"], value.get("over")))
        verb = "supports" if value["stance"] == "support" else "opposes"
        text = f"{self._label_of(holder)} {verb} {value['policy'].replace('-', ' ')}"
        entity = Entity(iri, [
            Triple(iri, RDF_TYPE, fp("PolicyStance")),
            Triple(iri, RDFS_LABEL, label(text + (f" over {value['over'].replace('-', ' ')}" if value.get("over") else ""))),
            Triple(iri, fp("stanceOn"), policy.term),
            Triple(iri, fp("stanceValue"), STANCE_VALUES[value["stance"]]),
        ])
        if value.get("over"):
            entity.description.append(Triple(iri, fp("preferredOver"), self.policy(value["over"], line).term))
        return entity


def _class_words(cls: str) -> str:
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z]|\b)|[A-Z]?[a-z]+", cls)
    return " ".join(w if w.isupper() else w.lower() for w in words)


def _auto_label(cls: str, family: str, actor_names: list[str]) -> str:
    words = _class_words(cls)
    names = sorted(set(actor_names))
    if not names:
        return words
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    preposition = {"event": "by" if len(names) == 1 else "of", "situation": "involving", "capability": "of"}[family]
    return f"{words} {preposition} {joined}"


# ---------------------------------------------------------------- claims → quads


def _document_triples(claims_file: ClaimsFile, doc_slug: str) -> list[Triple]:
    """The fp:Document node: title, sha256, source and whether a person reviewed its claims."""
    doc = NamedNode(identity.document_iri(doc_slug))
    triples = [
        Triple(doc, RDF_TYPE, fp("Document")),
        Triple(doc, RDFS_LABEL, label(claims_file.title or claims_file.document)),
        Triple(doc, NamedNode(DCTERMS + "title"), Literal(claims_file.title or claims_file.document)),
        Triple(doc, fp("sha256"), Literal(claims_file.sha256)),
        Triple(doc, fp("reviewed"), boolean(claims_file.reviewed)),
    ]
    if claims_file.source:
        triples.append(Triple(doc, NamedNode(DCTERMS + "source"), Literal(claims_file.source)))
    return triples


def boolean(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=XSD_BOOLEAN)


# What can be hypothetical: things that happen or hold. Actors exist whatever is hedged about them.
_HYPOTHETICAL_KINDS = tuple(FPID + kind for kind in ("event/", "situation/", "capability/", "stance/"))


def _hypothetical_terms(mentions: list[tuple[str, Any, Any, bool]]) -> set[NamedNode]:
    """Of the mentions (modality, subject, object, self_described) of a document's
    claims: the events, situations, capabilities and stances it does not state exist.

    The hedge of "X could lead to Y" scopes over the consequence: Y is
    hypothetical, X is presupposed — unless what is hedged is X's own
    description ("the launch against Israel may target Israel": the hedged
    triple is part of X's description, so X itself is not established).
    """
    real = set()
    for modality, s, o, self_described in mentions:
        if modality == "asserted":
            real |= {s, o}
        elif not self_described:
            real.add(s)
    return {term for modality, s, o, _ in mentions if modality != "asserted" for term in (s, o)
            if isinstance(term, NamedNode) and term.value.startswith(_HYPOTHETICAL_KINDS) and term not in real}


def _split_hypothetical(world: list[Triple], hypothetical: set[NamedNode]) -> tuple[list[Triple], list[Triple]]:
    """(world layer, hypothetical graph): a hypothetical thing's description leaves the world layer.
    (Whether it is hypothetical for the whole KB — no other document states it — is
    marked with fp:hypothetical by ``flashpoint.hypothetical`` once all documents are in.)"""
    return [t for t in world if t.subject not in hypothetical], [t for t in world if t.subject in hypothetical]


def document_rdf(claims_file: ClaimsFile, doc_slug: str, gazetteer: Gazetteer, terms: Terms, policies: set[str],
                 report: Collector = raise_first) -> DocumentRDF:
    """The document's quads. A claim that cannot be resolved (unknown predicate, class,
    actor, policy option) is reported to ``report`` and left out."""
    resolver = Resolver(claims_file.path, gazetteer, terms, policies)
    doc = NamedNode(identity.document_iri(doc_slug))
    allowed = terms.world_properties()
    claims: list[ClaimRDF] = []
    triples = _document_triples(claims_file, doc_slug)
    for claim in claims_file.claims:
        try:
            resolved, claim_triples = _claim_rdf(claim, doc_slug, doc, resolver, allowed)
        except InputError as err:
            report(err, claim)
            continue
        claims.append(resolved)
        triples += claim_triples
    hypothetical = _hypothetical_terms([_mention(c) for c in claims])
    world, hypothetical_triples = _split_hypothetical(sorted({t for c in claims for t in c.world}, key=str), hypothetical)
    for c in claims:
        c.world = _split_hypothetical(c.world, hypothetical)[0]
    graph, hypothetical_g = doc_graph(doc_slug), hypothetical_graph(doc_slug)
    quads = {Quad(t.subject, t.predicate, t.object, graph) for t in triples + world}
    quads |= {Quad(t.subject, t.predicate, t.object, hypothetical_g) for t in hypothetical_triples}
    gazetteer_ids = {actor_id for c in claims for actor_id in c.gazetteer_ids}
    return DocumentRDF(doc_slug, sorted(quads, key=str), world, gazetteer_ids, len(claims), claims_file.reviewed, claims)


def _mention(claim: ClaimRDF) -> tuple[str, Any, Any, bool]:
    """(modality, subject, object, whether the claimed triple is part of the
    entities' own descriptions) of a claim, for ``_hypothetical_terms``."""
    modality = claim.claim.modality
    return modality, claim.subject, claim.object, modality != "asserted" and Triple(claim.subject, claim.predicate, claim.object) in claim.world


def _claim_rdf(claim: Claim, doc_slug: str, doc: NamedNode, resolver: Resolver, allowed: set[str]) -> tuple[ClaimRDF, list[Triple]]:
    """The claim resolved, and its claim-layer triples."""
    line = claim.line_of("predicate")
    if claim.predicate not in allowed:
        close = difflib.get_close_matches(claim.predicate, sorted(allowed), n=1)
        raise InputError(resolver.path, line, f"unknown predicate {claim.predicate!r} (not a world-layer property of the ontology)",
                         f"did you mean {close[0]!r}?" if close else None, rule="FP-R03")
    subject = resolver.entity(claim.subject, claim.line_of("subject"))
    obj = _object(claim, subject, resolver)
    predicate = fp(claim.predicate)
    iri = NamedNode(identity.claim_iri(doc_slug, claim.sentence, claim.start, claim.end, subject.term.value, claim.predicate, str(obj.term), claim.modality))
    triples = [
        Triple(iri, RDF_TYPE, fp("Claim")),
        Triple(iri, fp("claimSubject"), subject.term),
        Triple(iri, fp("claimPredicate"), predicate),
        Triple(iri, fp("claimObject"), obj.term),
        Triple(iri, fp("modality"), MODALITY_IRIS[claim.modality]),
        Triple(iri, fp("habitual"), Literal("true" if claim.habitual else "false", datatype=XSD_BOOLEAN)),
        Triple(iri, NamedNode(PROV + "wasDerivedFrom"), doc),
        Triple(iri, fp("quote"), Literal(claim.quote)),
        Triple(iri, fp("startChar"), Literal(str(claim.start), datatype=XSD_INTEGER)),
        Triple(iri, fp("endChar"), Literal(str(claim.end), datatype=XSD_INTEGER)),
        Triple(iri, fp("sentenceIndex"), Literal(str(claim.sentence), datatype=XSD_INTEGER)),
        Triple(iri, fp("extractedBy"), Literal(claim.extracted_by)),
        Triple(iri, fp("confidence"), Literal(str(Decimal(str(claim.confidence)).normalize()), datatype=XSD_DECIMAL)),
    ]
    if obj.precision:
        triples.append(Triple(iri, fp("timePrecision"), Literal(obj.precision)))
    world = subject.description + obj.description
    if claim.modality == "asserted":
        world.append(Triple(subject.term, predicate, obj.term))
        if claim.predicate == "holdsStance":
            world.append(Triple(obj.term, fp("stanceHolder"), subject.term))
        if obj.precision:
            world.append(Triple(subject.term, fp("timePrecision"), Literal(obj.precision)))
    return ClaimRDF(claim, iri, subject.term, predicate, obj.term, world, subject.gazetteer_ids | obj.gazetteer_ids), triples


def _object(claim: Claim, subject: Entity, resolver: Resolver) -> Entity:
    value, line = claim.object, claim.line_of("object")
    is_stance = isinstance(value, dict) and "stance" in value
    is_year = isinstance(value, dict) and "year" in value
    if claim.predicate == "holdsStance" or is_stance:
        if not (claim.predicate == "holdsStance" and is_stance):
            raise resolver.error(line, "holdsStance takes a stance object ({stance: support|opposition, policy: ...}) and a stance object needs holdsStance")
        return resolver.stance(subject, value, line)
    if claim.predicate in YEAR_PREDICATES or is_year:
        if not (claim.predicate in YEAR_PREDICATES and is_year):
            raise resolver.error(line, f"{claim.predicate} takes a year object ({{year: 1990, precision: decade}}) and a year object needs beginning or acceleratedFrom")
        year = value["year"]
        text = f"-{abs(year):04d}" if year < 0 else f"{year:04d}"
        return Entity(Literal(text, datatype=XSD_GYEAR), precision=value.get("precision"))
    return resolver.entity(value, line)
