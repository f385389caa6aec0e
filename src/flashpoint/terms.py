"""What the ontology defines: classes by family, world-layer properties.

Claims files and the extractor name classes and properties by local name
(``MissileLaunch``, ``perceivesAsThreat``); this module checks those names
against the ontology actually shipped (plus a project's extension files), so a
typo is an error with a line number instead of a silent new term.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from flashpoint import claim_layer
from flashpoint.graphs import transitive_closure
from flashpoint.vocab import FP

# The roots of the class families an entity can belong to, by the key a
# claims file uses for it.
FAMILY_ROOTS = {
    "event": "Event",
    "situation": "Situation",
    "capability": "Capability",
    "actor": "Actor",
}


@dataclass
class Terms:
    """Local names of the fp: classes and properties, with the class hierarchy."""

    superclasses: dict[str, set[str]] = field(default_factory=dict)  # class → all named ancestors (itself included)
    object_properties: set[str] = field(default_factory=set)
    datatype_properties: set[str] = field(default_factory=set)
    annotation_properties: set[str] = field(default_factory=set)
    deprecated: set[str] = field(default_factory=set)

    def is_a(self, cls: str, root: str) -> bool:
        return root in self.superclasses.get(cls, ())

    def classes_of(self, family: str) -> list[str]:
        root = FAMILY_ROOTS[family]
        return sorted(c for c in self.superclasses if self.is_a(c, root))

    def world_properties(self) -> set[str]:
        """Properties a claim may have as its predicate."""
        return (self.object_properties | self.datatype_properties) - CLAIM_LAYER_PROPERTIES


# What a claim's predicate may not be: the claim layer's own properties and
# the world-layer properties of structure that no claim states (both from
# ontology/claim-layer.yaml).
CLAIM_LAYER_PROPERTIES = claim_layer.PROPERTIES | claim_layer.NOT_CLAIMED


def _local(iri: rdflib.term.Node) -> str | None:
    text = str(iri)
    return text[len(FP):] if text.startswith(FP) else None


def terms_from_graph(graph: rdflib.Graph) -> Terms:
    terms = Terms()
    parents: dict[str, set[str]] = {}
    for cls in graph.subjects(RDF.type, OWL.Class):
        if (name := _local(cls)) is not None:
            parents.setdefault(name, set())
            for parent in graph.objects(cls, RDFS.subClassOf):
                if (parent_name := _local(parent)) is not None:
                    parents[name].add(parent_name)
    terms.superclasses = transitive_closure(parents)
    for kind, bucket in (
        (OWL.ObjectProperty, terms.object_properties),
        (OWL.DatatypeProperty, terms.datatype_properties),
        (OWL.AnnotationProperty, terms.annotation_properties),
    ):
        bucket.update(n for p in graph.subjects(RDF.type, kind) if (n := _local(p)) is not None)
    terms.deprecated = {n for s in graph.subjects(OWL.deprecated, None) if (n := _local(s)) is not None}
    return terms


# --------------------------------------------------------------- what fits where
# The extractor checks its proposals against these before writing them
# (loaders/extract/wellformed.py): a claim whose subject or object cannot have
# the type a property's domain or range gives it makes HermiT's module
# inconsistent, and then the whole build fails.

# A requirement on a claim's subject or object is a pair: the role ("subject"
# or "object") and the named classes of which the entity must be one (one
# class, or the members of an owl:unionOf).


def class_alternatives(graph: rdflib.Graph, node: rdflib.term.Node) -> frozenset[str] | None:
    """The named fp: classes a class expression allows: {C} for a named class,
    the members for an owl:unionOf (nested unions flattened); None for anything
    else (an intersection, a restriction, a datatype), which the caller then
    does not check rather than guess."""
    if isinstance(node, rdflib.URIRef):
        name = _local(node)
        return frozenset({name}) if name is not None else None
    members = graph.value(node, OWL.unionOf)
    if members is None:
        return None
    out: set[str] = set()
    for member in rdflib.collection.Collection(graph, members):
        alternatives = class_alternatives(graph, member)
        if alternatives is None:
            return None
        out |= alternatives
    return frozenset(out)


def property_requirements(graph: rdflib.Graph) -> dict[str, set[tuple[str, frozenset[str]]]]:
    """What each fp: property's subject and object must be, as its
    rdfs:domain / rdfs:range say and as OWL passes them on: a sub-property's
    triples are its super-property's (rdfs:subPropertyOf, owl:equivalentProperty),
    an inverse's domain is the property's range (owl:inverseOf), and a
    symmetric property's subject is also an object (owl:SymmetricProperty)."""
    own: dict[str, set[tuple[str, frozenset[str]]]] = {}
    for axiom, role in ((RDFS.domain, "subject"), (RDFS.range, "object")):
        for prop, expression in graph.subject_objects(axiom):
            name, alternatives = _local(prop), class_alternatives(graph, expression)
            if name is not None and alternatives is not None:
                own.setdefault(name, set()).add((role, alternatives))
    supers = _property_links(graph, RDFS.subPropertyOf) | _property_links(graph, OWL.equivalentProperty, both=True)
    inverses = _property_links(graph, OWL.inverseOf, both=True)
    symmetric = {n for p in graph.subjects(RDF.type, OWL.SymmetricProperty) if (n := _local(p)) is not None}
    needs = {name: set(reqs) for name, reqs in own.items()}
    changed = True
    while changed:  # to a fixed point: chains of sub-properties and inverses
        changed = False
        for prop, inherited in _inherited(needs, supers, inverses, symmetric):
            if not inherited <= needs.setdefault(prop, set()):
                needs[prop] |= inherited
                changed = True
    return needs


def _property_links(graph: rdflib.Graph, axiom: rdflib.URIRef, both: bool = False) -> set[tuple[str, str]]:
    pairs = {(a, b) for s, o in graph.subject_objects(axiom) if (a := _local(s)) is not None and (b := _local(o)) is not None}
    return pairs | {(b, a) for a, b in pairs} if both else pairs


def _swap(requirements: set[tuple[str, frozenset[str]]]) -> set[tuple[str, frozenset[str]]]:
    return {("object" if role == "subject" else "subject", alternatives) for role, alternatives in requirements}


def _inherited(needs, supers, inverses, symmetric):
    """(property, requirements it inherits) for one round of propagation."""
    for sub, sup in supers:
        yield sub, set(needs.get(sup, ()))
    for prop, inverse in inverses:
        yield prop, _swap(needs.get(inverse, set()))
    for prop in symmetric:
        yield prop, _swap(needs.get(prop, set()))


def disjoint_classes(graph: rdflib.Graph) -> dict[str, set[str]]:
    """Named fp: class → the named classes declared disjoint with it
    (owl:disjointWith, owl:AllDisjointClasses, owl:disjointUnionOf). Only what
    is declared: subclasses inherit it through ``Terms.superclasses``."""
    groups: list[list[str]] = [[a, b] for a, b in _property_links(graph, OWL.disjointWith)]
    for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        groups.append(_named_members(graph, graph.value(node, OWL.members)))
    for _, members in graph.subject_objects(OWL.disjointUnionOf):
        groups.append(_named_members(graph, members))
    out: dict[str, set[str]] = {}
    for group in groups:
        for a in group:
            out.setdefault(a, set()).update(b for b in group if b != a)
    return out


def _named_members(graph: rdflib.Graph, members: rdflib.term.Node | None) -> list[str]:
    if members is None:
        return []
    return [n for m in rdflib.collection.Collection(graph, members) if (n := _local(m)) is not None]
