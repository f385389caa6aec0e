"""Actors outside the gazetteer.

A capitalised name of two words or more whose last word is an actor-forming
head noun ("the Rapid Support Forces", "the Sudanese Armed Forces", "the
Economic Community of West African States" is not one: its head is not last)
is proposed as a label-only actor of the document,
``{actor: <slug>, class: <from the head noun>, label: <name>}``; the claims
that name it carry ``note: actor outside the gazetteer`` so that a reviewer
checks it (or adds it to the project gazetteer). Once seen, the name, its
acronym ("RSF", from the initials or from "(RSF)" right after the name) and,
for an army, the definite description "the army" name the same actor in the
rest of the document. Names that overlap a gazetteer actor ("Israel Defense
Forces", "U.S. Southern Command") stay with that actor.
"""

from __future__ import annotations

import re

# head noun -> class (the head decides: forces, militia, army, movement, group -> an armed group;
# council, alliance, organisation, league -> an international organisation)
HEADS = {
    "forces": "NonStateArmedGroup", "force": "NonStateArmedGroup", "militia": "NonStateArmedGroup",
    "militias": "NonStateArmedGroup", "army": "NonStateArmedGroup", "movement": "NonStateArmedGroup",
    "group": "NonStateArmedGroup", "front": "NonStateArmedGroup", "brigades": "NonStateArmedGroup",
    "brigade": "NonStateArmedGroup", "guards": "NonStateArmedGroup", "guard": "NonStateArmedGroup",
    "rebels": "NonStateArmedGroup", "units": "NonStateArmedGroup",
    "council": "InternationalOrganization", "alliance": "InternationalOrganization",
    "organization": "InternationalOrganization", "organisation": "InternationalOrganization",
    "league": "InternationalOrganization", "community": "InternationalOrganization",
    "coalition": "InternationalOrganization", "agency": "InternationalOrganization",
    "party": "Actor", "committee": "Actor",
}
INNER = frozenset(["of", "for", "'s", "’s", "-"])
LEADING = frozenset(["the", "a", "an"])
ARMY_WORDS = frozenset(["army", "armed"])
NOTE = "actor outside the gazetteer"


def _slug(words) -> str:
    return re.sub(r"[^a-z0-9]+", "-", " ".join(words).lower().replace("'s", "s").replace("’s", "s")).strip("-")


def _cap(t) -> bool:
    c = t.text[:1]
    return c.isupper() and t.text.lower() not in LEADING


class NewActors:
    """The document's actors outside the gazetteer (one per Extractor)."""

    def __init__(self, res):
        self.res = res
        self.by_slug: dict[str, dict] = {}      # slug -> {actor, class, label}
        self.surfaces: dict[tuple, str] = {}    # token texts -> slug
        self.army: str | None = None            # the named army, for "the army"

    def entity(self, slug: str):
        return self.by_slug.get(slug)

    def actor_class(self, slug: str):
        e = self.by_slug.get(slug)
        return e["class"] if e else None

    def scan(self, sd) -> None:
        """Find new names in the sentence, then add an actor hit for every
        known name, acronym or "the army" (before build_mentions)."""
        toks = sd.toks
        n = len(toks)
        if not n:
            return
        taken = set()
        for s, e, kind, value in sd.entity_hits:
            if kind == "actor":
                taken.update(range(s, e))
        for k, t in enumerate(toks):
            cls = HEADS.get(t.lower)
            if cls is None or not t.text[:1].isupper() or k in taken:
                continue
            j = k - 1
            while j >= 0 and (_cap(toks[j]) or (toks[j].lower in INNER and j > 0 and _cap(toks[j - 1]))):
                j -= 1
            start = j + 1
            if start >= k or start == 0 and k - start < 2:
                continue   # a head alone ("Group") or a sentence-initial "Army ..."
            if any(x in taken for x in range(start, k + 1)):
                continue
            words = [x.text for x in toks[start:k + 1]]
            if words[0].lower() in INNER:
                continue
            slug = _slug(words)
            if not slug or slug in self.res.actors:
                continue
            label = " ".join(x.text for x in toks[start:k + 1]).replace(" 's", "'s").replace(" ’s", "’s").replace(" - ", "-")
            if slug not in self.by_slug:
                self.by_slug[slug] = {"actor": slug, "class": cls, "label": label}
                self.surfaces[tuple(words)] = slug
                initials = "".join(w[0] for w in words if w[:1].isupper())
                if len(initials) >= 2:
                    self.surfaces.setdefault((initials,), slug)
                if k + 3 < n and toks[k + 1].text == "(" and toks[k + 3].text == ")" and toks[k + 2].text.isupper():
                    self.surfaces.setdefault((toks[k + 2].text,), slug)
                if any(w.lower() in ARMY_WORDS for w in words):
                    self.army = slug if self.army is None else ""
        if not self.surfaces:
            return
        hits = []
        for k, t in enumerate(toks):
            if k in taken:
                continue
            for surf, slug in self.surfaces.items():
                m = len(surf)
                if k + m <= n and all(toks[k + i].text == surf[i] for i in range(m)) and not any(
                        (k + i) in taken for i in range(m)):
                    hits.append((k, k + m, "actor", slug))
            if self.army and t.lower == "army" and k > 0 and toks[k - 1].lower == "the":
                hits.append((k, k + 1, "actor", self.army))
        sd.entity_hits.extend(hits)
