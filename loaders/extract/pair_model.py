"""A learned reading of how two actors of a sentence stand to each other
(cooperation, alliance, adversity), for the sentences the rules leave silent.

The rules read a relation from a trigger they know ("signed … with", "supplies
… to"); an analyst's prose has many more ways to say that two states work
together or against each other ("Moscow's other close partner", "turns to
American suppliers", "handed the port to a Chinese company on a lease"). This
model scores every pair of actors mentioned in a sentence from the words
around and between them, and proposes the most likely relation when the rules
made none between the two.

The weights are a multinomial logistic regression trained offline by
``bench/train_pair_model.py`` on every development reference (scikit-learn is
needed only there); at run time scoring is a sparse dot product over the
features below, in pure Python: no download, no randomness, the same output
for the same input.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

from .actor import GOVERNMENT, PUBLIC
from .entities import Mention, Ref

PATH = Path(__file__).resolve().parent / "models" / "pairs.json"
RULE_ID = "pair-model"
PAIR_PREDICATES = ("cooperatesWith", "allyOf", "adversaryOf")
NONE = "none"
# pairs further apart than this many tokens are not scored (a long sentence's far ends rarely relate)
MAX_GAP = 40
_NUMBER = re.compile(r"^[\d.,]+$")


def stem(word: str) -> str:
    """A crude, deterministic stem: enough to make "supplies", "supplied" and "supplying" one feature."""
    w = word.lower().replace("’", "'")
    if _NUMBER.match(w):
        return "#"
    for suffix, keep in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if len(w) > len(suffix) + 3 and w.endswith(suffix) and not w.endswith("ss"):
            return w[: -len(suffix)] + keep
    return w


def occurrences(sd, discourse, actor_yaml) -> list[tuple[int, int, object]]:
    """(first token, end token, YAML actor) of every actor the sentence mentions, by name,
    description or pronoun, including possessors inside noun phrases ("Iran's support");
    a government stands for its state, a public is left out (it holds stances, it does not ally)."""
    seen = set()
    out = []

    def add(start, end, actor):
        y = actor_yaml(actor, discourse)
        if isinstance(y, dict) and actor.kind == GOVERNMENT:
            y = y["government"]
        if y is None or actor.kind == PUBLIC:
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


def entity_key(y) -> str:
    """A hashable key of a YAML actor (most are slugs: the JSON dump only for the rest)."""
    return y if isinstance(y, str) else json.dumps(y, sort_keys=True)


def _bucket(n: int) -> str:
    return "0" if n <= 0 else "1" if n == 1 else "2-3" if n <= 3 else "4-6" if n <= 6 else "7-12" if n <= 12 else "13+"


def sentence_words(sd) -> list[str]:
    """The stems of the sentence's tokens (computed once per sentence)."""
    words = getattr(sd, "pair_words", None)
    if words is None:
        words = sd.pair_words = [_stem_cached(t.norm or t.lower) for t in sd.toks]
    return words


@lru_cache(maxsize=65536)
def _stem_cached(word: str) -> str:
    return stem(word)


def sentence_features(sd) -> list[str]:
    """The features every pair of the sentence shares: its bag of stems."""
    return sorted({"s:" + w for w in sentence_words(sd)})


def own_features(sd, first, second, others: list) -> list[str]:
    """The features of the actors ``first`` and ``second`` (occurrences, ``first`` earlier) themselves:
    the words between, around and inside the two mentions (a pair's full feature set adds the
    sentence's, ``sentence_features``)."""
    a0, a1, _ = first
    b0, b1, _ = second
    words = sentence_words(sd)
    feats = ["bias"]
    between = words[a1:b0]
    gap = b0 - a1
    feats.append("gap:" + _bucket(gap))
    inside = sum(1 for o in others if a1 <= o[0] < b0)
    feats.append("others-between:" + _bucket(inside))
    if not between:
        feats.append("adjacent")
    if between == ["and"] or between == [","]:
        feats.append("coordinated")
    if gap <= 12:
        feats += ["b:" + w for w in between]
        feats += ["bb:" + x + "_" + y for x, y in zip(between, between[1:])]
    else:
        feats += ["far:" + w for w in between]
    feats += ["l:" + w for w in words[max(0, a0 - 3):a0]]
    feats += ["r:" + w for w in words[b1:b1 + 3]]
    feats += ["in1:" + w for w in words[a0:a1]] + ["in2:" + w for w in words[b0:b1]]
    if hasattr(sd, "tok_clause") and a0 < len(sd.tok_clause) and b0 < len(sd.tok_clause):
        feats.append("same-clause" if sd.tok_clause[a0] == sd.tok_clause[b0] else "other-clause")
    feats.append("kinds:" + _kind(first[2]) + "-" + _kind(second[2]))
    return feats


def _kind(y) -> str:
    if isinstance(y, str):
        return "known"
    if "group" in y:
        return "group"
    return "new"


class PairModel:
    """Multinomial logistic regression weights: ``labels`` and, per feature, one weight per label."""

    def __init__(self, data: dict):
        self.labels: list[str] = data["labels"]
        self.intercept: list[float] = data["intercept"]
        self.weights: dict[str, list[float]] = data["weights"]
        self.threshold: float = data["threshold"]

    def scores(self, feats, start: list[float] | None = None) -> list[float]:
        """``start`` (default: the intercept) plus the weights of the distinct ``feats``."""
        scores = list(self.intercept if start is None else start)
        weights = self.weights
        for f in set(feats):
            w = weights.get(f)
            if w is not None:
                scores = [a + b for a, b in zip(scores, w)]
        return scores

    def probabilities(self, feats, start: list[float] | None = None) -> dict[str, float]:
        scores = self.scores(feats, start)
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {label: e / total for label, e in zip(self.labels, exps)}

    def best(self, feats, start: list[float] | None = None) -> tuple[str, float]:
        """The most probable relation (not ``none``) and its probability: a pair is proposed when
        that probability passes ``threshold``, even if ``none`` is likelier (most pairs are
        unrelated, so a relation at 0.3 is already a strong signal; the threshold is tuned on
        references the model was not trained on)."""
        probs = self.probabilities(feats, start)
        label = max((k for k in self.labels if k != NONE), key=lambda k: (probs[k], k))
        return label, probs[label]


_ENABLED = True


def use_model(enabled: bool) -> None:
    """Switch the learned model on or off for this process (``bench/extraction.py --rules-only``
    measures the rules alone)."""
    global _ENABLED
    _ENABLED = enabled


def load_model() -> PairModel | None:
    """The bundled model, or None when it has not been trained or is switched off (the rules
    work alone)."""
    return _bundled_model() if _ENABLED else None


def forget_model() -> None:
    """Read the weights file again on next use (after it was rewritten or moved)."""
    _bundled_model.cache_clear()


@lru_cache(maxsize=1)
def _bundled_model() -> PairModel | None:
    if not PATH.exists():
        return None
    return PairModel(json.loads(PATH.read_text(encoding="utf-8")))


def candidate_pairs(sd, discourse, actor_yaml, occ=None):
    """(first, second, own features) for every pair of different actors of the sentence close
    enough (the sentence's shared features are ``sentence_features``)."""
    occ = occurrences(sd, discourse, actor_yaml) if occ is None else occ
    keys = [entity_key(o[2]) for o in occ]
    for i, first in enumerate(occ):
        for j in range(i + 1, len(occ)):
            second = occ[j]
            if second[0] < first[1] or second[0] - first[1] > MAX_GAP or keys[i] == keys[j]:
                continue
            others = [o for o in occ if o is not first and o is not second]
            yield first, second, own_features(sd, first, second, others)
