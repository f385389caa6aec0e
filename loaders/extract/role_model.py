"""A learned reading of who takes part in an event the rules found but left without actors.

The rules name an event's actors from frames they know ("X's strikes on Y",
"exercises between X and Y", "X held drills"); many event nouns stand in
sentences whose actors are said some other way ("talks between Port Moresby
and Buka resumed", "troops from Nigeria, Ghana and Côte d'Ivoire are expected
to arrive", "Japan and the United States have meanwhile expanded joint
exercises"). For every event mention the rules leave with no agent,
participant or target, this model scores each actor mentioned near it as the
event's agent, participant, target or none of these, from the words between
and around the two, the event's class and head, and the side the actor stands
on; the actors it is confident about give the event its description and one
role claim each.

Like the pair model (``pair_model.py``), the weights are a multinomial logistic
regression trained offline by ``bench/train_role_model.py`` on every
development reference, and scored at run time as a sparse dot product in pure
Python: no download, no randomness, the same output for the same input.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .pair_model import PairModel, _bucket, sentence_words

PATH = Path(__file__).resolve().parent / "models" / "roles.json"
RULE_ID = "role-model"
NONE = "none"
# the role labels and the claim each makes
ROLE_PREDICATES = {"agent": "hasAgent", "participant": "hasParticipant", "target": "targets"}
# actors further from the event than this many tokens are not scored
MAX_GAP = 25


@lru_cache(maxsize=1)
def load_model() -> PairModel | None:
    """The bundled model, or None when it has not been trained (the rules work alone)."""
    if not PATH.exists():
        return None
    return PairModel(json.loads(PATH.read_text(encoding="utf-8")))


def open_events(sd) -> list:
    """The sentence's event mentions that the rules left without any actor: named in the
    sentence itself (an anaphor such as "these moves" takes its antecedent's actors instead)."""
    return [m for m in sd.mentions if "event" in m.readings and not m.actor_kind() and not m.antecedent
            and not (m.agents or m.participants or m.targets)]


def features(sd, event, occ, others: list, event_class: str) -> list[str]:
    """The features of actor occurrence ``occ`` ((first token, end token, YAML actor)) as a
    possible actor of ``event`` (a Mention); ``others``: the sentence's other occurrences."""
    words = sentence_words(sd)
    o0, o1, y = occ
    e0, e1 = event.start, event.end
    head = words[event.head_end - 1] if 0 < event.head_end <= len(words) else event.head
    if o0 >= e0 and o1 <= e1:
        side, lo, hi = "inside", o1, o1
    elif o1 <= e0:
        side, lo, hi = "before", o1, e0
    else:
        side, lo, hi = "after", e1, o0
    between = words[lo:hi]
    pre = words[o0 - 1] if o0 > 0 else "^"
    pre2 = words[o0 - 2] if o0 > 1 else "^"
    post = words[o1] if o1 < len(words) else "$"
    feats = ["bias", "side:" + side, "cls:" + event_class, "head:" + head, "gap:" + side + _bucket(hi - lo),
             "pre:" + pre, "pre2:" + pre2 + "_" + pre, "post:" + post,
             "side-pre:" + side + "_" + pre, "cls-side:" + event_class + "_" + side,
             "head-side-pre:" + head + "_" + side + "_" + pre,
             "epre:" + (words[e0 - 1] if e0 > 0 else "^"), "epost:" + (words[e1] if e1 < len(words) else "$"),
             "kind:" + _kind(y)]
    if getattr(event, "verbal", False):
        feats.append("verbal")
    if hi - lo <= 10:
        feats += ["b:" + side + "_" + w for w in between]
        feats += ["bb:" + side + "_" + a + "_" + b for a, b in zip(between, between[1:])]
    inside = sum(1 for o in others if lo <= o[0] < hi)
    feats.append("others-between:" + _bucket(inside))
    events_between = sum(1 for m in sd.mentions if "event" in m.readings and m is not event and lo <= m.start < hi)
    feats.append("events-between:" + _bucket(events_between))
    clause = getattr(sd, "tok_clause", None)
    if clause is not None and o0 < len(clause) and e0 < len(clause):
        feats.append("same-clause" if clause[o0] == clause[e0] else "other-clause")
    feats.append("first-actor" if not any(o[0] < o0 for o in others) else "later-actor")
    return feats


def _kind(y) -> str:
    if isinstance(y, str):
        return "known"
    if "group" in y:
        return "group"
    return "new"


def candidates(sd, occurrences, event_class_of):
    """(event mention, its class, actor occurrence, features) of every open event and every actor
    occurrence close enough to it; ``event_class_of(mention)`` gives a mention's class."""
    for m in open_events(sd):
        cls = event_class_of(m)
        for occ in occurrences:
            gap = m.start - occ[1] if occ[1] <= m.start else occ[0] - m.end
            if gap > MAX_GAP:
                continue
            others = [o for o in occurrences if o is not occ]
            yield m, cls, occ, features(sd, m, occ, others, cls)
