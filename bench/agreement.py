"""How far two annotators agree: one annotator's gold scored against another's, on the same texts.

    python bench/agreement.py FIRST_DIR SECOND_DIR

Both folders hold ``<doc>.gold.json`` files in the schema of ``../shared/corpus/dev/README.md``
for the same ``<doc>.txt``. Every claim of the second annotator is matched against the first's
with the rules ``bench/extraction.py`` uses to score the extractor (sentence, predicate or an
accepted alternative, subject and object), made symmetric for two gold files: classes must
meet up the hierarchy, and each side's required participants must lie among the other's
participants and optional actors. The F1 of one annotator against another is the ceiling an
extractor can expect when it is scored against a single annotator's gold.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import extraction as ex   # noqa: E402


def _things_meet(a, b) -> bool:
    """Two gold things (``("gthing", classes, participants, optional)``) that may be the same."""
    if not any(c in ex.ancestors(x) or x in ex.ancestors(c) for c in a[1] for x in b[1]):
        return False
    return a[2] <= (b[2] | b[3]) and b[2] <= (a[2] | a[3])


def entities_meet(a, b) -> bool:
    if a[0] == "gthing" and b[0] == "gthing":
        return _things_meet(a, b)
    return a == b


def claims_meet(p, g) -> bool:
    if p["sentence"] != g["sentence"]:
        return False
    options = [(g["predicate"], False)] + g["alts"]
    mine = [(p["predicate"], False)] + p["alts"]
    for gp, swap in options:
        for pp, pswap in mine:
            if pp != gp and not ex.predicate_ok(pp, gp) and not ex.predicate_ok(gp, pp):
                continue
            gs, go = (g["object"], g["subject"]) if swap else (g["subject"], g["object"])
            ps, po = (p["object"], p["subject"]) if pswap else (p["subject"], p["object"])
            if entities_meet(ps, gs) and entities_meet(po, go):
                return True
            if gp in ex.SYMMETRIC and entities_meet(ps, go) and entities_meet(po, gs):
                return True
    return False


def gold_claims(folder: Path, norm) -> dict:
    """doc stem -> its claims normalised as bench/extraction.py does."""
    out = {}
    for path, gold in ex.dev_references(norm, folder):
        out[path.stem] = gold
    return out


def agreement(first: Path, second: Path) -> list[tuple]:
    norm = ex.Norm(ex.heldout_gazetteer())
    a_docs = gold_claims(first, norm)
    b_docs = gold_claims(second, norm)
    rows = []
    for doc in sorted(set(a_docs) & set(b_docs)):
        a, b = a_docs[doc], b_docs[doc]
        used = set()
        tp = 0
        for q in b:
            hit = next((i for i, g in enumerate(a) if i not in used and claims_meet(q, g)), None)
            if hit is not None:
                used.add(hit)
                tp += 1
        rows.append((doc, len(a), len(b), tp))
    return rows


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print(__doc__.splitlines()[2].strip(), file=sys.stderr)
        return 2
    rows = agreement(Path(argv[0]), Path(argv[1]))
    print("| text | first annotator | second annotator | agreed | precision | recall | F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    ta = tb = tt = 0
    for doc, na, nb, tp in rows:
        p, r, f = ex.prf(tp, nb - tp, na - tp)
        print(f"| {doc} | {na} | {nb} | {tp} | {p:.2f} | {r:.2f} | {f:.2f} |")
        ta, tb, tt = ta + na, tb + nb, tt + tp
    p, r, f = ex.prf(tt, tb - tt, ta - tt)
    print(f"| **all** | {ta} | {tb} | {tt} | {p:.2f} | {r:.2f} | **{f:.2f}** |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
