"""Train the extractor's stance model (``loaders/extract/stance_model.py``) on the
development references, and measure what it adds on references it was not
trained on.

    python bench/train_stance_model.py                        # train on every development reference, write the model
    python bench/train_stance_model.py --test dev-48 dev-49   # train without them, score the extractor on them
                                                              # with and without the model, per threshold

One example per pair of an actor and a policy the sentence names; its label is
the value of the reference's stance of that actor on that policy in that
sentence (``support`` or ``opposition``) or ``none``. The blind batches are
never read (the references are ``extraction.references(heldout=False)``).
Needs scikit-learn (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import extraction  # noqa: E402
from train_pair_model import group_of, totals, write  # noqa: E402

from flashpoint.loaders.extract import stance_model  # noqa: E402
from flashpoint.loaders.extract.pipeline import extract_document  # noqa: E402
from flashpoint.loaders.extract.relations import Relations  # noqa: E402

C = 1.0   # inverse regularisation strength, chosen with --test (bench/results/stance-model.md)


def truth_of(gold) -> dict:
    """(sentence, holder key, policy) -> stance value, from a document's reference claims."""
    return {(g["sentence"], g["subject"][1], g["object"][2]): g["object"][1]
            for g in gold if g["predicate"] == "holdsStance" and g["subject"][0] == "actor"}


def examples(refs) -> list[tuple[str, list[str], str]]:
    """(group, features, label) of every (actor, policy) pair of every reference document."""
    out = []
    saved = stance_model.load_model
    stance_model.load_model = lambda: None   # the stances as the rules alone leave them
    try:
        for name, path, gold, gaz, norm in refs:
            if gold and "aliases" in gold[0]:
                norm.label_alias = gold[0]["aliases"]
            truth = truth_of(gold)
            Relations.stance_log = []
            try:
                extract_document(path, gazetteer=gaz)
                log = Relations.stance_log
            finally:
                Relations.stance_log = None
            for sentence, holder, policy, feats in log:
                key = norm.yaml_entity(holder)[1]
                out.append((group_of(name), feats, truth.get((sentence, key, policy), stance_model.NONE)))
    finally:
        stance_model.load_model = saved
    return out


def train(data, threshold: float, c: float = C) -> dict:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform([{f: 1 for f in feats} for _, feats, _ in data])
    y = [label for _, _, label in data]
    clf = LogisticRegression(C=c, max_iter=3000)   # lbfgs: deterministic
    clf.fit(x, y)
    labels = [str(k) for k in clf.classes_]
    weights = {}
    for j, name in enumerate(vec.get_feature_names_out()):
        w = [round(float(clf.coef_[i][j]), 4) for i in range(len(labels))]
        if any(abs(v) >= 0.02 for v in w):   # the rest change no decision
            weights[str(name)] = w
    return {
        "about": "flashpoint stance model: multinomial logistic regression over stance_model.features; "
                 "written by bench/train_stance_model.py",
        "trained_on": sorted({g for g, _, _ in data}),
        "examples": len(data),
        "positives": sum(1 for _, _, label in data if label != stance_model.NONE),
        "labels": labels,
        "intercept": [round(float(v), 4) for v in clf.intercept_],
        "threshold": threshold,
        "weights": dict(sorted(weights.items())),
    }


def measure(refs, test_groups, model: dict | None, path: Path) -> tuple[int, int, int]:
    if model is None:
        stance_model.PATH = path.with_name("absent.json")
    else:
        write(model, path)
        stance_model.PATH = path
    stance_model.load_model.cache_clear()
    results = [extraction.score_document(*r) for r in refs if group_of(r[0]) in test_groups]
    return totals(results, test_groups)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--test", nargs="*", default=None, metavar="GROUP",
                    help="development groups to hold out and score on (e.g. dev-48 dev-49)")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--c", type=float, default=C)
    args = ap.parse_args(argv)
    norm = extraction.Norm()
    refs = extraction.references(norm, heldout=False)
    data = examples(refs)
    if not args.test:
        model = train(data, args.threshold, args.c)
        write(model, stance_model.PATH)
        print(f"{stance_model.PATH}: {model['examples']} examples, {model['positives']} with a stance, "
              f"{len(model['weights'])} features")
        return 0
    test = set(args.test)
    model = train([d for d in data if d[0] not in test], args.threshold, args.c)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "stances.json"
        base = measure(refs, test, None, path)
        print("| threshold | tp | fp | fn | precision | recall | F1 |\n|---|---:|---:|---:|---:|---:|---:|")
        print("| rules only | %d | %d | %d | %.2f | %.2f | %.3f |" % (base + extraction.prf(*base)))
        for t in (0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7):
            model["threshold"] = t
            row = measure(refs, test, model, path)
            print("| %.2f | %d | %d | %d | %.2f | %.2f | %.3f |" % ((t,) + row + extraction.prf(*row)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
