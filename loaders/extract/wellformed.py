"""Machine proposals that are well-formed by construction.

The relation rules match words, not types: "Pakistan's missile capability
increases insecurity" fits the frame of "the launches increase tension", but
``fp:increases`` has the domain Event ⊔ Situation and a Capability is disjoint
with both. Written as an asserted claim, such a proposal makes HermiT's module
inconsistent and the whole build fails; even hedged, it names a term the
ontology cannot have. So before the extractor yields a claim it asks the
ontology whether the claim *can* hold:

* the predicate is a world-layer property, and every class, actor and policy
  the claim names exists;
* the subject's and the object's classes fit the property's ``rdfs:domain`` /
  ``rdfs:range`` (unions, super-properties, inverses and symmetry included,
  see ``flashpoint.terms.property_requirements``), and so do the actors inside
  an entity (an event's agents, a capability's holder, ...);
* no entity would get two disjoint types (``owl:disjointWith``,
  ``owl:AllDisjointClasses``, through the class hierarchy).

"Fit" means "not disjoint": a claim that only makes the reasoner infer a more
specific type (a generic ``{actor: x}`` where a State is expected) can hold
and is kept. Everything is read from the ontology graph (the bundled ontology,
or a project's ``flashpoint.model.Model`` with its extension files), so a
project that extends the ontology gets the matching checks. A claim that
cannot hold is dropped and counted in a ``Dropped``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from flashpoint.terms import FAMILY_ROOTS, Terms, disjoint_classes, property_requirements

# The property that links an entity to the actors of each of its slots, as
# loaders/to_rdf.py writes them; the actor is that property's object.
SLOT_LINKS = {
    "agents": "hasAgent",
    "participants": "hasParticipant",
    "targets": "targets",
    "involves": "involves",
    "holder": "capabilityOf",
    "members": "hasMember",
    "government": "partOf",
    "public": "partOf",
}
FAMILIES = ("event", "situation", "capability")


def _acts_on_itself(event, target) -> bool:
    """The target is one of the event's own agents (compared as written in the claim)."""
    return isinstance(event, dict) and target in event.get("agents", [])


def _state_of(actor):
    """The state an actor written in a claim is or belongs to ("china", {government: china},
    {public: china}); None for anything else."""
    if isinstance(actor, str):
        return actor
    if isinstance(actor, dict):
        inner = actor.get("government") or actor.get("public")
        return inner if isinstance(inner, str) else None
    return None


class Unfit(Exception):
    """A proposal that cannot hold; the message is the reason, short enough to
    count proposals by (e.g. "capability as subject of increases")."""


@dataclass(frozen=True)
class Ontology:
    """What the check needs from the ontology graph."""

    terms: Terms
    requirements: dict  # property → {(role, alternative classes)}
    disjoint: dict  # class → classes declared disjoint with it
    policies: frozenset

    @classmethod
    def from_model(cls, model) -> "Ontology":
        return cls(model.terms, property_requirements(model.graph), disjoint_classes(model.graph), frozenset(model.policies))


def ontology_of(source=None) -> Ontology:
    """``source``: None (the bundled ontology), a ``flashpoint.model.Model``
    (a project's ontology: bundled + extension files) or an rdflib Graph."""
    if source is None:
        return _bundled()
    if isinstance(source, Ontology):
        return source
    from flashpoint.model import Model

    model = source if isinstance(source, Model) else Model([], source, None)
    return Ontology.from_model(model)


@lru_cache(maxsize=1)
def _bundled() -> Ontology:
    from flashpoint.model import load_model

    return ontology_of(load_model(None))


class Checker:
    """Says why a proposed claim (a dict in the claims-file format) cannot hold,
    or None when it can."""

    def __init__(self, ontology: Ontology, actor_classes: dict[str, str]):
        self.onto = ontology
        self.actor_classes = actor_classes  # gazetteer id → its class
        self.world = ontology.terms.world_properties()
        # (class, requirements) -> whether it cannot meet them: a handful of classes and
        # predicates recur in every document, and the check runs once per proposal
        self._cannot_cache: dict = {}

    def why_not(self, claim: dict) -> str | None:
        try:
            self.check(claim)
        except Unfit as unfit:
            return str(unfit)
        return None

    def check(self, claim: dict) -> None:
        predicate = claim["predicate"]
        if predicate not in self.world:
            raise Unfit(f"unknown predicate {predicate}")
        self._format(predicate, claim["object"])
        for role in ("subject", "object"):
            noun, cls = self.entity(claim[role])
            if cls is not None and self._cannot_be(cls, self._needs(predicate, role)):
                raise Unfit(f"{noun} as {role} of {predicate}")
        if predicate == "targets" and _acts_on_itself(claim["subject"], claim["object"]):
            # "air strikes on what it describes as TTP hideouts": a pronoun resolved to the
            # striker; an event aimed at its own agent is a misreading, not a claim
            raise Unfit("event targeting its own agent")
        if predicate in ("perceivesAsThreat", "perceivesAsProvocation") and \
                _state_of(claim["subject"]) is not None and _state_of(claim["subject"]) == _state_of(claim["object"]):
            # "it now regards China as the most serious threat", "it" resolved to China's government:
            # a state (its government, its public) perceiving itself is a misreading, not a claim
            raise Unfit("actor perceiving itself")

    # -------------------------------------------------------------- the format
    def _format(self, predicate: str, obj) -> None:
        """Years and stances are literal / n-ary forms that only some properties
        take (docs/claims-format.md): a year only a datatype property, a stance
        only a property whose range is PolicyStance."""
        is_year = isinstance(obj, dict) and "year" in obj
        if (predicate in self.onto.terms.datatype_properties) != is_year:
            raise Unfit(f"{self.entity(obj)[0]} as object of {predicate}")
        if isinstance(obj, dict) and "stance" in obj and not self._must_be(predicate, "object", "PolicyStance"):
            raise Unfit(f"policy stance as object of {predicate}")

    def _must_be(self, predicate: str, role: str, cls: str) -> bool:
        needs = self._needs(predicate, role)
        return bool(needs) and all(self._subsumed(cls, alts) for alts in needs)

    # -------------------------------------------------------------- entities
    def entity(self, value) -> tuple[str, str | None]:
        """(a noun for reasons, the entity's class; None for a literal). Raises
        Unfit for a name the ontology or the gazetteer does not know, and for an
        actor in a slot that cannot take it."""
        if isinstance(value, str):
            return self._actor_id(value)
        if not isinstance(value, dict):
            raise Unfit(f"malformed entity {value!r}")
        if "year" in value:
            return "year", None
        if "stance" in value:
            for key in ("policy", "over"):
                if key in value:
                    self._policy(value[key])
            return "policy stance", "PolicyStance"
        if "policy" in value:
            self._policy(value["policy"])
            return "policy option", "PolicyOption"
        family = next((f for f in FAMILIES if f in value), None)
        cls = self._family_class(family, value[family]) if family else self._actor_class(value)
        self._slots(family or "actor", value)
        return family or _noun(cls), cls

    def _actor_id(self, actor_id: str) -> tuple[str, str]:
        if actor_id not in self.actor_classes:
            raise Unfit(f"unknown actor {actor_id}")
        cls = self.actor_classes[actor_id]
        return _noun(cls), cls

    def _actor_class(self, value: dict) -> str:
        if "government" in value:
            return "Government"
        if "public" in value:
            return "Public"
        if "group" in value:
            return "ActorGroup"
        if "actor" in value:
            if value["actor"] in self.actor_classes:
                return self.actor_classes[value["actor"]]
            return self._family_class("actor", value.get("class", "Actor"))
        raise Unfit(f"malformed entity {sorted(value)}")

    def _family_class(self, family: str, cls: str) -> str:
        if not self.onto.terms.is_a(cls, FAMILY_ROOTS[family]):
            raise Unfit(f"{cls} is not a known {family} class")
        return cls

    def _policy(self, slug: str) -> None:
        if slug not in self.onto.policies:
            raise Unfit(f"unknown policy {slug}")

    def _slots(self, family: str, value: dict) -> None:
        """The actors inside an entity get the range of the property that links
        them (an event's agents are Actors, a government is part of a State)."""
        for slot, link in SLOT_LINKS.items():
            members = value.get(slot)
            if members is None or slot in ("government", "public") and family != "actor":
                continue
            for member in members if isinstance(members, list) else [members]:
                noun, member_cls = self.entity(member)
                if member_cls is None or self._cannot_be(member_cls, self._needs(link, "object")):
                    raise Unfit(f"{noun} as {slot} of {family}")

    # -------------------------------------------------------------- classes
    def _needs(self, predicate: str, role: str) -> tuple[frozenset, ...]:
        return tuple(alts for r, alts in self.onto.requirements.get(predicate, ()) if r == role)

    def _ancestors(self, cls: str) -> set[str]:
        return self.onto.terms.superclasses.get(cls, {cls})

    def _disjoint(self, a: str, b: str) -> bool:
        declared = self.onto.disjoint
        ancestors_b = self._ancestors(b)
        return any(declared.get(x, set()) & ancestors_b for x in self._ancestors(a))

    def _subsumed(self, cls: str, alternatives: frozenset) -> bool:
        return bool(self._ancestors(cls) & alternatives)

    def _cannot_be(self, cls: str, needs: tuple[frozenset, ...]) -> bool:
        """True when an entity of class ``cls`` cannot meet every requirement:
        one requirement all of whose alternatives are disjoint with it, or two
        single-class requirements (types the entity would get) disjoint with
        each other or with ``cls``."""
        key = (cls, needs)
        if key not in self._cannot_cache:
            types = [cls] + [next(iter(alts)) for alts in needs if len(alts) == 1]
            self._cannot_cache[key] = any(all(self._disjoint(cls, alt) for alt in alts) for alts in needs) or any(
                self._disjoint(a, b) for i, a in enumerate(types) for b in types[i + 1:])
        return self._cannot_cache[key]


def _noun(cls: str) -> str:
    """'ActorGroup' → 'actor group', 'State' → 'state': a class as a word in a reason."""
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z]|\b)|[A-Z]?[a-z]+", cls)
    return " ".join(w if w.isupper() else w.lower() for w in words)


@dataclass
class Dropped:
    """The proposals the check dropped: by reason, and by (rule id, reason), so
    that a rule author sees which rule proposes what. Pass one to
    ``iter_claims`` / ``extract_text`` / ``extract_document`` as ``dropped=``."""

    by_reason: Counter = field(default_factory=Counter)
    by_rule: Counter = field(default_factory=Counter)

    def add(self, claim: dict, reason: str) -> None:
        self.by_reason[reason] += 1
        self.by_rule[(claim.get("extracted_by", "?"), reason)] += 1

    @property
    def total(self) -> int:
        return sum(self.by_reason.values())

    def __bool__(self) -> bool:
        return self.total > 0

    def summary(self) -> str:
        """One line for the command line ("" when nothing was dropped)."""
        if not self:
            return ""
        reasons = ", ".join(f"{reason}: {n}" for reason, n in sorted(self.by_reason.items(), key=lambda rn: (-rn[1], rn[0])))
        plural = "proposal" if self.total == 1 else "proposals"
        return f"dropped {self.total} {plural} that cannot hold ({reasons})"


def checker_for(res, ontology=None) -> Checker:
    """The checker for the extractor's resources ``res`` (their gazetteer gives
    the actors' classes) and ``ontology`` (see ``ontology_of``)."""
    return Checker(ontology_of(ontology), {actor_id: actor.cls for actor_id, actor in res.actors.items()})
