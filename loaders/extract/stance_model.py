"""A learned reading of the stances a sentence states that no rule read.

A stance is an actor, a policy option and a value (support or opposition).
The rules read stances from verb frames they know ("X supports sanctions",
"rejected calls for talks"); an analyst's prose has many more ("Banjul has
asked that its mandate be extended", "Sanctions, in our view, would be
counterproductive"). This model scores every pair of an actor mentioned in a
sentence and a policy the sentence names (a policy phrase, or an event noun
that stands for one: "talks", "sanctions", "strikes") as the actor's support
for it, its opposition to it or neither, from the words between and around
them; it proposes the pair when the rules stated no stance of that actor on
that policy.

The holder keeps its kind (a state, its government, its public: the reference
annotations tell them apart), unlike the pair model's actors. Weights: a
multinomial logistic regression trained offline by
``bench/train_stance_model.py``; scoring is a sparse dot product in pure
Python, with no download and no randomness.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .entities import Mention, Ref
from .pair_model import PairModel, _bucket, entity_key, sentence_words

PATH = Path(__file__).resolve().parent / "models" / "stances.json"
RULE_ID = "stance-model"
NONE = "none"
# policies further than this many tokens from the actor are not scored
MAX_GAP = 30
NEGATIONS = frozenset(["not", "n't", "no", "never", "nor", "without", "neither"])


@lru_cache(maxsize=1)
def load_model() -> PairModel | None:
    """The bundled model, or None when it has not been trained (the rules work alone)."""
    if not PATH.exists():
        return None
    return PairModel(json.loads(PATH.read_text(encoding="utf-8")))


def holders(sd, discourse, actor_yaml) -> list[tuple[int, int, object]]:
    """(first token, end token, YAML actor) of every actor the sentence mentions, by name,
    description or pronoun, as the kind it is named (a government stays a government)."""
    seen = set()
    out = []

    def add(start, end, actor):
        y = actor_yaml(actor, discourse)
        if y is None:
            return
        key = (start, entity_key(y))
        if key not in seen:
            seen.add(key)
            out.append((start, end, y))

    for m in sd.mentions:
        if m.actor_kind():
            for a in discourse.actors_of(m):
                add(m.start, m.end, a)
        for slot in (m.agents, m.participants, m.targets, m.involves, m.holder):
            for x in slot:
                if isinstance(x, Ref):
                    for a in x.resolved:
                        add(x.tok, x.tok + 1, a)
                elif isinstance(x, Mention) and x.actor_kind() and x not in sd.mentions:
                    for a in discourse.actors_of(x):
                        add(x.start, x.end, a)
    out.sort(key=lambda o: (o[0], o[1], entity_key(o[2])))
    return out


def features(sd, holder, policy_m, policy: str, others: list) -> list[str]:
    """The features of ``holder`` ((first token, end token, YAML actor)) as holding a stance on
    ``policy``, named by the mention ``policy_m``; ``others``: the sentence's other holders."""
    words = sentence_words(sd)
    h0, h1, y = holder
    p0, p1 = policy_m.start, policy_m.end
    if h1 <= p0:
        side, lo, hi = "before", h1, p0
    elif h0 >= p1:
        side, lo, hi = "after", p1, h0
    else:
        side, lo, hi = "inside", h1, h1
    between = words[lo:hi]
    pre = words[p0 - 1] if p0 > 0 else "^"
    pre2 = words[p0 - 2] if p0 > 1 else "^"
    feats = ["bias", "side:" + side, "pol:" + policy, "gap:" + side + _bucket(hi - lo),
             "ppre:" + pre, "ppre2:" + pre2 + "_" + pre, "ppost:" + (words[p1] if p1 < len(words) else "$"),
             "hpre:" + (words[h0 - 1] if h0 > 0 else "^"), "hpost:" + (words[h1] if h1 < len(words) else "$"),
             "pol-ppre:" + policy + "_" + pre, "kind:" + _kind(y), "head:" + words[p1 - 1]]
    if "event" in policy_m.readings:
        feats.append("as-event")
    if hi - lo <= 12:
        feats += ["b:" + side + "_" + w for w in between]
        feats += ["bb:" + side + "_" + a + "_" + b for a, b in zip(between, between[1:])]
    else:
        feats += ["far:" + w for w in between]
    if NEGATIONS & set(between):
        feats.append("negated-between")
    if NEGATIONS & set(words[max(0, p0 - 3):p0]):
        feats.append("negated-before-policy")
    feats.append("others-between:" + _bucket(sum(1 for o in others if lo <= o[0] < hi)))
    clause = getattr(sd, "tok_clause", None)
    if clause is not None and h0 < len(clause) and p0 < len(clause):
        feats.append("same-clause" if clause[h0] == clause[p0] else "other-clause")
    feats.append("first-actor" if not any(o[0] < h0 for o in others) else "later-actor")
    return feats


def _kind(y) -> str:
    if isinstance(y, str):
        return "state"
    for k in ("government", "public", "group"):
        if k in y:
            return k
    return "new"


def candidates(sd, holder_list, policy_mentions):
    """(holder, policy, features) of every holder and every policy close enough to it;
    ``policy_mentions``: (mention, policy slug) pairs of the sentence."""
    for h in holder_list:
        others = [o for o in holder_list if o is not h]
        for m, policy in policy_mentions:
            gap = m.start - h[1] if h[1] <= m.start else h[0] - m.end
            if gap > MAX_GAP:
                continue
            yield h, m, policy, features(sd, h, m, policy, others)
