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


# Properties of the claim layer and of structure that no claim states.
CLAIM_LAYER_PROPERTIES = {
    "claimSubject", "claimPredicate", "claimObject", "modality", "habitual", "quote",
    "startChar", "endChar", "sentenceIndex", "extractedBy", "confidence", "sha256",
    "timePrecision", "stanceHolder", "stanceOn", "stanceValue", "capabilityOf",
    "preferredOver", "perceivedAsThreatBy", "perceivedAsProvocationBy", "affects",
}


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
    for cls in list(parents):
        terms.superclasses[cls] = _ancestors(cls, parents)
    for kind, bucket in (
        (OWL.ObjectProperty, terms.object_properties),
        (OWL.DatatypeProperty, terms.datatype_properties),
        (OWL.AnnotationProperty, terms.annotation_properties),
    ):
        bucket.update(n for p in graph.subjects(RDF.type, kind) if (n := _local(p)) is not None)
    terms.deprecated = {n for s in graph.subjects(OWL.deprecated, None) if (n := _local(s)) is not None}
    return terms


def _ancestors(cls: str, parents: dict[str, set[str]]) -> set[str]:
    seen, todo = {cls}, [cls]
    while todo:
        for parent in parents.get(todo.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen
