"""Generate a synthetic flashpoint KG project of a given size (in quads after a build).

    python bench/generate.py --triples 100000 --out DIR [--seed 1]

writes ``DIR/kb/documents/doc-NNNN.txt`` and ``DIR/kb/claims/doc-NNNN.yaml`` in the
real claims format (``flashpoint-claims/1``, docs/claims-format.md): every claim
has its sentence index, quote and offsets recorded exactly as the text was
generated, and the file carries the document's sha256, so ``flashpoint build``
accepts the project as it is.

Shape (what a corpus of crisis analyses looks like): about one document per
thousand quads (1,000 documents at 1 million), each about a crisis among a few
states drawn from the gazetteer with a skew towards the usual suspects; the
document names events of various classes (with agents, participants, targets
and sometimes a year key), situations, capabilities, governments and publics;
its sentences each carry one claim (perceivesAsThreat, perceivesAsProvocation,
triggers, causes, respondsTo, increases, decreases, hasCapability, allyOf,
cooperatesWith, adversaryOf, targets, holdsStance) with a modality
(≈70 % asserted, the rest probable, possible or negated) and sometimes habitual.
Every claim respects the ontology's domains and ranges, so the knowledge base is
consistent for HermiT.

The quad count of the built store lands within about ±15 % of ``--triples``
(the per-claim yield is calibrated; see ``QUADS_PER_CLAIM``). The output is a
pure function of (--triples, --seed).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

# Quads the ontology, alignment and policy options put in every store, what each
# gazetteer actor adds (type, labels, aliases, Wikidata link), and what one claim adds
# on average (its 13 claim-layer triples, the share of descriptions, the world triple
# when asserted, the inferred graph), measured on builds of generated projects
# (165 actors: 2,400 base quads; 233 actors: 3,150).
ONTOLOGY_QUADS = 585
QUADS_PER_ACTOR = 11
QUADS_PER_CLAIM = 17.2
MAX_SENTENCES_PER_PARAGRAPH = 6

EVENT_CLASSES = [
    "MissileLaunch", "MissileTest", "NuclearTest", "JointMilitaryExercise", "MilitaryExercise",
    "DefenseTalks", "DiplomaticTalks", "MultilateralTalks", "SanctionsImposition", "MilitaryDeployment",
    "MilitaryCooperation", "MilitaryConfrontation", "ArmedConflict", "Attack", "MilitaryStrike",
]
SITUATION_CLASSES = ["Tension", "ArmsRace", "DefenseSpending", "DiplomaticProspects", "Insecurity", "MilitaryReadiness", "Mistrust", "RegionalStability"]
CAPABILITY_CLASSES = [
    "ICBMCapability", "SRBMCapability", "MRBMCapability", "IRBMCapability", "SLBMCapability",
    "CruiseMissileCapability", "HypersonicCapability", "NuclearWeaponsCapability", "MilitaryCapability", "MissileCapability",
]
POLICIES = ["sanctions", "dialogue", "military-deterrence", "strong-defense-posture", "international-cooperation", "military-response", "economic-development"]
# States at the centre of most crisis analyses: drawn far more often than the rest.
HOT_STATES = {
    "north-korea": 12, "south-korea": 10, "united-states": 14, "japan": 8, "china": 10, "russia": 10, "iran": 8,
    "israel": 6, "ukraine": 6, "india": 4, "pakistan": 4, "taiwan": 4, "saudi-arabia": 3, "yemen": 3, "syria": 3,
    "turkey": 3, "united-kingdom": 3, "france": 3, "germany": 2,
}
MODALITIES = [("asserted", 70), ("probable", 10), ("possible", 15), ("negated", 5)]
PREDICATES = [  # (predicate, weight)
    ("perceivesAsThreat", 12), ("perceivesAsProvocation", 7), ("triggers", 10), ("causes", 6), ("respondsTo", 8),
    ("increases", 9), ("decreases", 7), ("hasCapability", 8), ("allyOf", 4), ("cooperatesWith", 5),
    ("adversaryOf", 4), ("targets", 6), ("holdsStance", 10), ("beginning", 2), ("acceleratedFrom", 1),
]
LEADS = ["", "", "", "", "Analysts note that ", "In recent years, ", "According to officials, ", "At the same time, ", "Meanwhile, "]
TAILS = ["", "", "", " in the region", ", officials said", ", according to analysts", " over the past decade", " despite repeated warnings"]
FILLER = [
    "The situation remains fluid.",
    "Observers disagree about the long-term consequences.",
    "Details remain scarce.",
    "Both sides have issued statements.",
    "Much depends on the coming months.",
]


def _class_words(cls: str) -> str:
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z]|\b)|[A-Z]?[a-z]+", cls)
    return " ".join(w if w.isupper() else w.lower() for w in words)


def _join(names: list[str]) -> str:
    names = list(dict.fromkeys(names))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@dataclass
class Thing:
    """An entity of a document: its YAML form, its noun phrase and its family."""

    yaml: object
    phrase: str
    family: str  # actor | event | situation | capability


class DocumentGenerator:
    def __init__(self, rng: random.Random, states: dict[str, str], slug: str, claims: int):
        self.rng, self.states, self.slug, self.n_claims = rng, states, slug, claims
        ids = sorted(states)
        weights = [HOT_STATES.get(i, 1) for i in ids]
        self.focus = []
        while len(self.focus) < rng.randint(2, 5):
            pick = rng.choices(ids, weights)[0]
            if pick not in self.focus:
                self.focus.append(pick)
        # Entity pools: a document keeps returning to the same few things.
        scale = max(1, claims // 12)
        self.actors = [Thing(a, states[a], "actor") for a in self.focus]
        for a in self.focus[:2]:
            kind = rng.choice(["government", "public"])
            self.actors.append(Thing({kind: a}, f"the {kind} of {states[a]}", "actor"))
        self.events = [self._event() for _ in range(3 * scale + 2)]
        self.situations = [self._situation() for _ in range(scale + 1)]
        self.capabilities = [self._capability() for _ in range(scale + 1)]

    # -- entities

    def _some_focus(self, lo: int, hi: int) -> list[str]:
        return sorted(self.rng.sample(self.focus, min(len(self.focus), self.rng.randint(lo, hi))))

    def _event(self) -> Thing:
        cls = self.rng.choice(EVENT_CLASSES)
        agents = self._some_focus(1, 2)
        data: dict = {"event": cls, "agents": agents}
        rest = [a for a in self.focus if a not in agents]
        if rest and cls in ("MissileLaunch", "MissileTest", "Attack", "MilitaryStrike", "SanctionsImposition", "MilitaryDeployment") and self.rng.random() < 0.5:
            data["targets"] = [self.rng.choice(rest)]
        elif rest and self.rng.random() < 0.2:
            data["participants"] = [self.rng.choice(rest)]
        phrase = f"the {_class_words(cls)} by {_join([self.states[a] for a in agents])}"
        if self.rng.random() < 0.4:
            year = str(self.rng.randint(1990, 2024))
            data["key"] = year
            phrase = f"the {year} {_class_words(cls)} by {_join([self.states[a] for a in agents])}"
        if "targets" in data:
            phrase += f" against {self.states[data['targets'][0]]}"
        return Thing(data, phrase, "event")

    def _situation(self) -> Thing:
        cls = self.rng.choice(SITUATION_CLASSES)
        involves = self._some_focus(1, 3)
        return Thing({"situation": cls, "involves": involves}, f"the {_class_words(cls)} involving {_join([self.states[a] for a in involves])}", "situation")

    def _capability(self) -> Thing:
        cls = self.rng.choice(CAPABILITY_CLASSES)
        holder = self.rng.choice(self.focus)
        return Thing({"capability": cls, "holder": holder}, f"the {_class_words(cls)} of {self.states[holder]}", "capability")

    # -- claims

    def _pick(self, *families: str) -> Thing:
        pool = [t for f in families for t in getattr(self, {"actor": "actors", "event": "events", "situation": "situations", "capability": "capabilities"}[f])]
        return self.rng.choice(pool)

    def _state_pair(self) -> tuple[Thing, Thing]:
        a, b = self.rng.sample(self.focus, 2)
        return Thing(a, self.states[a], "actor"), Thing(b, self.states[b], "actor")

    def claim(self) -> tuple[Thing, str, object, str]:
        """(subject, predicate, object YAML, object phrase) of one claim."""
        rng = self.rng
        predicate = rng.choices([p for p, _ in PREDICATES], [w for _, w in PREDICATES])[0]
        if predicate in ("perceivesAsThreat", "perceivesAsProvocation"):
            subject = self._pick("actor")
            obj = self._pick("event") if predicate == "perceivesAsProvocation" or rng.random() < 0.7 else self._pick("capability", "actor")
            if obj.yaml == subject.yaml:
                obj = self._pick("event")
            return subject, predicate, obj.yaml, obj.phrase
        if predicate in ("triggers", "causes"):
            return self._pick("event", "situation"), predicate, *self._yp(self._pick("event", "situation"))
        if predicate == "respondsTo":
            return self._pick("event"), predicate, *self._yp(self._pick("event"))
        if predicate in ("increases", "decreases"):
            return self._pick("event", "situation"), predicate, *self._yp(self._pick("situation", "capability", "event"))
        if predicate == "hasCapability":
            cap = self._pick("capability")
            holder = cap.yaml["holder"]
            return Thing(holder, self.states[holder], "actor"), predicate, cap.yaml, _class_words(cap.yaml["capability"])
        if predicate in ("allyOf", "cooperatesWith", "adversaryOf"):
            a, b = self._state_pair()
            return a, predicate, b.yaml, b.phrase
        if predicate == "targets":
            event = self._pick("event")
            target = rng.choice(self.focus)
            return event, predicate, target, self.states[target]
        if predicate in ("beginning", "acceleratedFrom"):
            programmes = [t for t in self.events if t.yaml["event"] in ("MissileLaunch", "MissileTest", "NuclearTest") and "key" not in t.yaml] or self.events
            event = rng.choice(programmes)
            year = rng.randint(1950, 2020)
            if rng.random() < 0.5:
                year -= year % 10
                return event, predicate, {"year": year, "precision": "decade"}, f"the {year}s"
            return event, predicate, {"year": year, "precision": "year"}, str(year)
        # holdsStance
        subject = self._pick("actor")
        value = "support" if rng.random() < 0.75 else "opposition"
        policy = rng.choice(POLICIES)
        stance: dict = {"stance": value, "policy": policy}
        phrase = policy.replace("-", " ")
        if rng.random() < 0.15:
            over = rng.choice([p for p in POLICIES if p != policy])
            stance["over"] = over
            phrase += f" over {over.replace('-', ' ')}"
        return subject, predicate, stance, phrase

    @staticmethod
    def _yp(thing: Thing) -> tuple[object, str]:
        return thing.yaml, thing.phrase


# Verb forms: (third person, base form) with {o} for the object phrase.
VERBS = {
    "perceivesAsThreat": ("perceives {o} as a threat", "perceive {o} as a threat"),
    "perceivesAsProvocation": ("views {o} as provocative", "view {o} as provocative"),
    "triggers": ("triggers {o}", "trigger {o}"),
    "causes": ("causes {o}", "cause {o}"),
    "respondsTo": ("responds to {o}", "respond to {o}"),
    "increases": ("increases {o}", "increase {o}"),
    "decreases": ("reduces {o}", "reduce {o}"),
    "hasCapability": ("has {o}", "have {o}"),
    "allyOf": ("is an ally of {o}", "be an ally of {o}"),
    "cooperatesWith": ("cooperates with {o}", "cooperate with {o}"),
    "adversaryOf": ("is an adversary of {o}", "be an adversary of {o}"),
    "targets": ("targets {o}", "target {o}"),
    "beginning": ("dates back to {o}", "date back to {o}"),
    "acceleratedFrom": ("accelerated in {o}", "accelerate in {o}"),
}


def _verb_phrase(predicate: str, obj: object, phrase: str, modality: str, habitual: bool) -> str:
    if predicate == "holdsStance":
        third, base = ("supports {o}", "support {o}") if obj["stance"] == "support" else ("opposes {o}", "oppose {o}")
    else:
        third, base = VERBS[predicate]
    third, base = third.format(o=phrase), base.format(o=phrase)
    often = "often " if habitual else ""
    if modality == "asserted":
        if predicate == "acceleratedFrom":
            return third  # a past event: never habitual
        return f"{often}{third}" if not third.startswith("is ") else f"is {often}{third[3:]}"
    if modality == "probable":
        return f"will likely {base}"
    if modality == "possible":
        return f"may {often}{base}"
    return f"is not {base[3:]}" if base.startswith("be ") else f"does not {base}"


def generate_document(rng: random.Random, states: dict[str, str], slug: str, n_claims: int) -> tuple[str, dict]:
    gen = DocumentGenerator(rng, states, slug, n_claims)
    text_parts: list[str] = []
    offset = 0
    sentence_index = 0
    in_paragraph = 0
    claims = []

    def add_sentence(sentence: str) -> int:
        nonlocal offset, sentence_index, in_paragraph
        if text_parts:
            sep = "\n" if in_paragraph >= MAX_SENTENCES_PER_PARAGRAPH or (in_paragraph >= 3 and rng.random() < 0.3) else " "
            in_paragraph = 0 if sep == "\n" else in_paragraph
            text_parts.append(sep)
            offset += 1
        start = offset
        text_parts.append(sentence)
        offset += len(sentence)
        in_paragraph += 1
        sentence_index += 1
        return start

    for _ in range(n_claims):
        if rng.random() < 0.05:
            add_sentence(rng.choice(FILLER))
        subject, predicate, obj, obj_phrase = gen.claim()
        modality = rng.choices([m for m, _ in MODALITIES], [w for _, w in MODALITIES])[0]
        habitual = rng.random() < 0.1 and modality in ("asserted", "possible") and predicate != "acceleratedFrom"
        lead = rng.choice(LEADS)
        quote = f"{subject.phrase} {_verb_phrase(predicate, obj, obj_phrase, modality, habitual)}"
        if not lead:
            quote = quote[0].upper() + quote[1:]
        sentence = f"{lead}{quote}{rng.choice(TAILS)}."
        start = add_sentence(sentence) + len(lead)
        claim = {
            "sentence": sentence_index - 1,
            "quote": quote,
            "start": start,
            "end": start + len(quote),
            "subject": subject.yaml,
            "predicate": predicate,
            "object": obj,
            "modality": modality,
        }
        if habitual:
            claim["habitual"] = True
        if rng.random() < 0.3:
            claim["extracted_by"] = rng.choice(["rule:perceive-threat", "rule:trigger", "rule:stance", "rule:capability"])
            claim["confidence"] = round(rng.uniform(0.6, 0.95), 2)
        claims.append(claim)
    text = "".join(text_parts) + "\n"
    title = f"Synthetic analysis {slug}: {_join([states[a] for a in gen.focus])}"
    return text, {"title": title, "claims": claims}


def _yaml_value(value: object) -> str:
    """JSON is YAML: flow mappings and double-quoted strings, fast and exact."""
    return json.dumps(value, ensure_ascii=False)


def claims_yaml(document: str, sha256: str, title: str, claims: list[dict]) -> str:
    lines = [
        "# synthetic claims file (bench/generate.py)",
        "format: flashpoint-claims/1",
        f"document: {document}",
        f"sha256: {sha256}",
        f"title: {_yaml_value(title)}",
        "source: bench/generate.py",
        "reviewed: true",
        "claims:",
    ]
    for claim in claims:
        first = True
        for key, value in claim.items():
            lines.append(f"{'  - ' if first else '    '}{key}: {_yaml_value(value)}")
            first = False
    return "\n".join(lines) + "\n"


def plan(triples: int) -> tuple[int, int]:
    """(documents, claims per document) for a target quad count."""
    documents = max(3, round(triples / 1000))
    claims = max(1, round((triples - base_quads()) / documents / QUADS_PER_CLAIM))
    return documents, claims


def base_quads() -> int:
    """Quads every store holds before any claim: the ontology's and the gazetteer's."""
    from flashpoint.gazetteer import load_gazetteer

    return ONTOLOGY_QUADS + QUADS_PER_ACTOR * len(load_gazetteer().actors)


def states_from_gazetteer() -> dict[str, str]:
    from flashpoint.gazetteer import load_gazetteer

    states = {}
    for actor in load_gazetteer().actors.values():
        if actor.cls == "State":
            the = actor.label.startswith(("United ", "Netherlands", "Philippines", "Central African", "Democratic Republic"))
            states[actor.id] = f"the {actor.label}" if the else actor.label
    return states


def generate(triples: int, out: Path, seed: int = 1) -> dict:
    """Write the project into ``out`` (replacing its kb/); returns a summary."""
    states = states_from_gazetteer()
    documents, per_doc = plan(triples)
    kb = out / "kb"
    shutil.rmtree(kb, ignore_errors=True)
    (kb / "documents").mkdir(parents=True)
    (kb / "claims").mkdir(parents=True)
    total_claims = 0
    for index in range(documents):
        slug = f"doc-{index:04d}"
        rng = random.Random(f"{seed}:{triples}:{slug}")
        n_claims = max(1, round(per_doc * rng.uniform(0.6, 1.4)))
        text, data = generate_document(rng, states, slug, n_claims)
        raw = text.encode("utf-8")
        (kb / "documents" / f"{slug}.txt").write_bytes(raw)
        yaml_text = claims_yaml(f"{slug}.txt", hashlib.sha256(raw).hexdigest(), data["title"], data["claims"])
        (kb / "claims" / f"{slug}.yaml").write_text(yaml_text, encoding="utf-8")
        total_claims += len(data["claims"])
    summary = {"triples_target": triples, "seed": seed, "documents": documents, "claims": total_claims}
    (out / "bench-project.json").write_text(json.dumps(summary, indent=1) + "\n")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, required=True, help="target number of quads in the built store")
    parser.add_argument("--out", type=Path, required=True, help="project folder to write (its kb/ is replaced)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    summary = generate(args.triples, args.out, args.seed)
    print(f"wrote {summary['documents']} documents, {summary['claims']} claims into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
