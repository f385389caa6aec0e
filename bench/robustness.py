"""How robust the extractor's reading is to rewrites that keep a sentence's meaning.

    python bench/robustness.py [--sentences 800] [--out bench/results/robustness.md]

A claim the extractor finds in a development sentence should still be found when the
sentence is put after a fronted phrase ("In recent months, …"), inside a reporting frame
("Analysts said that …"), after "But", or followed by an attribution ("…, according to the
report."). Each rewrite that loses a claim points at a structural weakness (a clause
boundary read wrong, a subject not found) rather than a missing word, which is why this
harness found bugs that per-document scores hid: "Beijing" read as a participle, a verb
after "…, however," read as a noun.

Only development texts are read -- the seed, ../shared/corpus/dev and the blind batches
already opened (extraction.DEV_FOLDERS) -- never a blind batch still waiting for its first
sight. No gold is needed: the extractor's own claims on the original sentence are the
reference, so the figure is a lower bound on the damage (a rewrite can also add claims).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import extraction  # noqa: E402  (the development folders, so that no blind batch is read)

from flashpoint.loaders.extract import iter_claims  # noqa: E402
from flashpoint.loaders.text import split_sentences  # noqa: E402

# words that open a sentence without being a name: lower-cased when a rewrite puts text before them
OPENERS = frozenset("""The A An This These That Those Its Their In On After Since While Although As With For
    Such Some Many Most Both Each Any""".split())


def _inner(sentence: str) -> str:
    first = sentence.split(" ", 1)[0]
    return sentence[0].lower() + sentence[1:] if first in OPENERS else sentence


REWRITES = {
    "fronted phrase": lambda s: "In recent months, " + _inner(s),
    "reporting frame": lambda s: "Analysts said that " + _inner(s),
    "sentence-initial But": lambda s: "But " + _inner(s),
    "trailing attribution": lambda s: s[:-1] + ", according to the report.",
}


def development_texts() -> list[Path]:
    """The seed, the shared dev texts, dev-2 … dev-5 and the blind batches already opened."""
    texts = [extraction.ROOT / "kb" / "documents" / "nk-missile-launches.txt"]
    texts += sorted((extraction.ROOT.parent / "shared" / "corpus" / "dev").glob("*.txt"))
    texts += sorted(extraction.HELDOUT.glob("*.txt"))   # dev-2 … dev-5
    for folders in extraction.DEV_FOLDERS.values():
        for folder in folders:
            texts += sorted((extraction.HELDOUT / folder).glob("*.txt"))
    return [path for path in texts if path.exists()]


def development_sentences(limit: int, seed: int = 3) -> list[str]:
    """Up to ``limit`` one-line declarative sentences of the development texts, in a fixed order."""
    out = []
    for path in development_texts():
        for sentence in split_sentences(path.read_text(encoding="utf-8")):
            s = sentence.text.strip()
            if 40 < len(s) < 300 and s[0].isupper() and s.endswith(".") and "\n" not in s:
                out.append(s)
    random.Random(seed).shuffle(out)
    return out[:limit]


def _claim_keys(sentence: str) -> set:
    return {(c["predicate"], json.dumps(c["subject"], sort_keys=True), json.dumps(c["object"], sort_keys=True),
             c["modality"]) for c in iter_claims(sentence)}


def measure(sentences: list[str]) -> tuple[Counter, Counter, dict]:
    """(claims kept, claims in the original, examples of lost claims) per rewrite."""
    kept, total, lost = Counter(), Counter(), {name: [] for name in REWRITES}
    for s in sentences:
        base = _claim_keys(s)
        if not base:
            continue
        for name, rewrite in REWRITES.items():
            rewritten = rewrite(s)
            missing = base - _claim_keys(rewritten)
            total[name] += len(base)
            kept[name] += len(base) - len(missing)
            lost[name] += [(m[0], rewritten) for m in sorted(missing)]
    return kept, total, lost


def report(kept, total, lost, n_sentences: int) -> str:
    lines = ["## Robustness to meaning-keeping rewrites", "",
             f"{n_sentences} development sentences (`python bench/robustness.py`); a claim is kept when the "
             "rewritten sentence gives the same predicate, subject, object and modality.", "",
             "| rewrite | claims in the original | kept | share kept |", "|---|---:|---:|---:|"]
    for name in REWRITES:
        share = kept[name] / total[name] if total[name] else 1.0
        lines.append(f"| {name} | {total[name]} | {kept[name]} | {share:.3f} |")
    lines += ["", "### Lost claims (first five per rewrite)", ""]
    for name in REWRITES:
        for predicate, sentence in lost[name][:5]:
            lines.append(f"- {name}: {predicate} — “{sentence[:140]}”")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=800)
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)
    sentences = development_sentences(args.sentences)
    text = report(*measure(sentences), len(sentences))
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
