"""Reachability over the ontology's hierarchies: the one transitive closure.

rdfs:subClassOf and rdfs:subPropertyOf chains are followed in several places
(the names a claims file may use, the reasoner's closure step, the check's
explanations, the extractor's class hierarchy); they all use this.
"""

from __future__ import annotations

from typing import Hashable, Iterable, Mapping, TypeVar

import rdflib

T = TypeVar("T", bound=Hashable)


def transitive_closure(parents: Mapping[T, Iterable[T]], reflexive: bool = True, exclude: Iterable[T] = ()) -> dict[T, set[T]]:
    """Every key of ``parents`` → all it reaches by following ``parents``
    (cycles are fine). ``reflexive``: each key is in its own set. Terms in
    ``exclude`` (owl:Thing, say) are neither followed nor included."""
    excluded = set(exclude)
    out: dict[T, set[T]] = {}
    for start in parents:
        seen: set[T] = {start} if reflexive else set()
        todo = [start]
        while todo:
            for parent in parents.get(todo.pop(), ()):
                if parent not in seen and parent not in excluded:
                    seen.add(parent)
                    todo.append(parent)
        out[start] = seen
    return out


def iri_links(graph: rdflib.Graph, predicate: rdflib.URIRef) -> dict[str, set[str]]:
    """Subject IRI → the object IRIs it has ``predicate`` to (blank nodes left out)."""
    links: dict[str, set[str]] = {}
    for s, o in graph.subject_objects(predicate):
        if isinstance(s, rdflib.URIRef) and isinstance(o, rdflib.URIRef):
            links.setdefault(str(s), set()).add(str(o))
    return links
