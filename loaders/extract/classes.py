"""The class hierarchy the extractor reasons with, read from the ontology.

Reference resolution and the relation rules ask whether one class is a kind
of another ("these tests" may point back at a missile launch; a rule that
wants an attack also takes a military strike). The answer comes from the
ontology the extraction runs under — the bundled one, or a project's
``flashpoint.model.Model`` with its extension files — so that a class a project
adds (a new kind of event in its own ontology file) is a kind of its parent
here too.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Mapping


class ClassHierarchy:
    """Named fp: classes by local name, each with its named ancestors."""

    def __init__(self, superclasses: Mapping[str, set[str]]):
        # Ancestors nearest first: a class has more ancestors than any of its
        # ancestors, so sorting by that count (most first) puts a chain in
        # order (MissileTest, MissileLaunch, Event); ties go by name.
        self._ancestors = {
            cls: sorted(supers, key=lambda c: (-len(superclasses.get(c, ())), c)) for cls, supers in superclasses.items()
        }

    def ancestors(self, cls: str) -> list[str]:
        """``cls`` and the classes above it, nearest first (just ``[cls]`` for a class the ontology lacks)."""
        return self._ancestors.get(cls, [cls])

    def is_a(self, cls: str, other: str) -> bool:
        return other in self.ancestors(cls)

    def compatible(self, a: str, b: str) -> bool:
        """Can an event of class ``a`` be the same as one of class ``b``? ("actions" is any Event)"""
        return a == "Event" or b == "Event" or self.is_a(a, b) or self.is_a(b, a)

    def depth(self, cls: str) -> int:
        return len(self.ancestors(cls))


def hierarchy_of(ontology=None) -> ClassHierarchy:
    """``ontology``: None (the bundled ontology), a ``flashpoint.model.Model``
    (a project's ontology, extension files included), a ``wellformed.Ontology``
    or an rdflib Graph."""
    if ontology is None:
        return _bundled()
    terms = getattr(ontology, "terms", None)  # a Model or a wellformed.Ontology have theirs
    if terms is None:
        from flashpoint.terms import terms_from_graph

        terms = terms_from_graph(ontology)
    return ClassHierarchy(terms.superclasses)


@lru_cache(maxsize=1)
def _bundled() -> ClassHierarchy:
    from .wellformed import ontology_of

    return ClassHierarchy(ontology_of(None).terms.superclasses)  # the same parse the extractor's checks use
