"""Does a learned ranker over the extractor's proposals raise F1 on text it was not trained on?

    python bench/ranker_experiment.py

Trains a logistic regression (scikit-learn) on every proposal the extractor makes on the
development documents the rules were written on, labelled by whether the proposal matches a
reference claim, and applies it to the newest development set, which no rule has been tuned on
yet (``TEST_GROUP``: dev-9, batches 10 and 11, since 2026-12-07 04:32 UTC; the first run, on
2026-12-07 before the round on batches 6 and 7, tested on those, then dev-7).
Features are what the issue names: the rule that fired, the predicate, the cue (first word of
the quote), modality, the quote's length, the argument kinds and how many actors an event
argument names, and the rule's measured precision. Prints dev-7 precision / recall / F1 at
several score thresholds against the extractor as it is. Not used by the extractor unless it
helps on unseen text; see bench/results/extraction.md for the outcome.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import extraction as ex   # noqa: E402


# the sets the rules were written on, and the newest one, not yet used for any rule
TRAIN_GROUPS = {"seed", "dev", "dev-2", "dev-3", "dev-4", "dev-5", "dev-6", "dev-7", "dev-8"}
TEST_GROUP = "dev-9"


def features(p) -> dict:
    subj, obj = p["subject"], p["object"]

    def kind(e):
        return e[0] if e[0] != "thing" else "thing:" + ex._kind_of(e[2])

    def n_actors(e):
        return len(e[3]) if e[0] == "thing" else 0

    words = p["quote"].split()
    return {
        "rule=" + p["rule"]: 1.0, "pred=" + p["predicate"]: 1.0, "mod=" + p["modality"]: 1.0,
        "cue=" + (words[0].lower() if words else ""): 1.0,
        "subj=" + kind(subj): 1.0, "obj=" + kind(obj): 1.0,
        "subj_actors": n_actors(subj), "obj_actors": n_actors(obj),
        "no_actor_event": float(subj[0] == "thing" and not subj[3]),
        "quote_words": min(len(words), 30) / 30, "conf": p["conf"],
    }


def labelled(results, groups):
    rows = []
    for name, gold, preds, matches, misses, fas in results:
        if ex._group(name) not in groups:
            continue
        hit = {id(pc) for pc, _ in matches}
        for p in preds:
            rows.append((name, p, id(p) in hit))
    return rows


def main() -> int:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    results = ex.run_quality(ex.Norm(), heldout=False)
    train = labelled(results, TRAIN_GROUPS)
    vec = DictVectorizer()
    x = vec.fit_transform([features(p) for _, p, _ in train])
    model = LogisticRegression(C=1.0, max_iter=2000, random_state=0).fit(x, [y for *_, y in train])
    test_docs = [r for r in results if ex._group(r[0]) == TEST_GROUP]
    print("| threshold | proposals kept | precision | recall | F1 |\n|---:|---:|---:|---:|---:|")
    for threshold in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7):
        tp = fp = fn = 0
        for name, gold, preds, *_ in test_docs:
            scores = model.predict_proba(vec.transform([features(p) for p in preds]))[:, 1] if preds else []
            kept = [p for p, s in zip(preds, scores) if s >= threshold]
            m, mi, fa = ex.score(kept, gold, ex.DEV_PREDICATES | {g["predicate"] for g in gold})
            tp, fp, fn = tp + len(m), fp + len(fa), fn + len(mi)
        p, r, f = ex.prf(tp, fp, fn)
        print(f"| {threshold:.1f} | {tp + fp} | {p:.2f} | {r:.2f} | {f:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
