"""Re-anchoring a claims file after its document was edited.

A claim records its quote *and* where the quote is (``sentence``, ``start``,
``end``), and the file records the ``sha256`` of the document it was reviewed
against. When the document is edited — a sentence inserted, a typo fixed —
the quotes usually still occur verbatim, only elsewhere. ``plan_reanchor``
finds each quote in the new text and ``Plan.write`` puts the new numbers and
the new sha256 into the file, changing nothing else.

Rules:

* a quote that occurs once (inside one sentence) gets that occurrence;
* a quote that occurs several times gets the occurrence nearest to where the
  claim would be if it had moved like its neighbours: the shift of the nearest
  claim (by old offset) whose quote is unique, else no shift; ties go to the
  occurrence nearest the old sentence index (shifted likewise), then the
  earlier one. These claims are reported as ambiguous (resolved);
* a quote that no longer occurs (or only across a sentence boundary) is
  *missing*: its claim is left exactly as it was and reported. The command
  line writes nothing then unless asked to (``--keep-missing``), and the build
  keeps refusing the claim until a person fixes or deletes it. A claim is never
  dropped or guessed.

``reviewed`` is kept as it is: every re-anchored quote is verbatim in the new
text, so the evidence of a reviewed claim is unchanged. What may deserve a look
is reported: claims whose sentence index changed, and notes that cite sentence
numbers (which are not rewritten, nor are comments).

The rewrite is a splice, not a re-serialisation: the exact character spans of
the changed scalars (from PyYAML's node marks) are replaced, so comments, blank
lines, key order, quoting, line wrapping and every untouched claim stay
byte-for-byte as they were. The result is parsed again and compared with the
expected data before it is written (atomically: a temporary file beside it,
then a rename).
"""

from __future__ import annotations

import bisect
import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from flashpoint.errors import InputError
from flashpoint.loaders.claims_file import Claim, ClaimsFile, load_claims_file
from flashpoint.loaders.text import Sentence, read_document, split_sentences

_CITES_SENTENCE = re.compile(r"\bsentences?\s+\d+", re.IGNORECASE)


@dataclass
class Anchor:
    """Where one claim's quote is in the new text (``start`` is None when it is missing)."""

    index: int  # position in the file's claims list
    claim: Claim
    sentence: int | None = None
    start: int | None = None
    end: int | None = None
    occurrences: int = 0  # occurrences of the quote inside one sentence of the new text
    problem: str | None = None  # why the quote could not be anchored

    @property
    def missing(self) -> bool:
        return self.start is None

    @property
    def ambiguous(self) -> bool:
        return self.occurrences > 1

    @property
    def changed(self) -> bool:
        c = self.claim
        return not self.missing and (self.sentence, self.start, self.end) != (c.sentence, c.start, c.end)

    @property
    def sentence_changed(self) -> bool:
        return not self.missing and self.sentence != self.claim.sentence


@dataclass
class Plan:
    """What re-anchoring one claims file against its document would change."""

    path: Path
    document: Path
    claims_file: ClaimsFile
    raw: str  # the claims file's text as read
    new_sha256: str
    sentences: list[Sentence]
    anchors: list[Anchor] = field(default_factory=list)

    # ---------------------------------------------------------------- counts

    @property
    def reanchored(self) -> list[Anchor]:
        return [a for a in self.anchors if a.changed]

    @property
    def unchanged(self) -> list[Anchor]:
        return [a for a in self.anchors if not a.missing and not a.changed]

    @property
    def missing(self) -> list[Anchor]:
        return [a for a in self.anchors if a.missing]

    @property
    def ambiguous(self) -> list[Anchor]:
        return [a for a in self.anchors if a.ambiguous and not a.missing]

    @property
    def sha256_changed(self) -> bool:
        return self.new_sha256 != self.claims_file.sha256

    @property
    def changed(self) -> bool:
        """Whether writing would change the file."""
        return self.sha256_changed or bool(self.reanchored)

    # ---------------------------------------------------------------- report

    def summary(self, name: str) -> str:
        """``kb/claims/x.yaml: 14 claims re-anchored, 2 unchanged, 0 missing; sha256 updated``."""
        n = len(self.reanchored)
        sha = "sha256 updated" if self.sha256_changed else "sha256 unchanged"
        return f"{name}: {n} claim{'' if n == 1 else 's'} re-anchored, {len(self.unchanged)} unchanged, {len(self.missing)} missing; {sha}"

    def problems(self, name: str) -> list[str]:
        """One ``file:line: …`` line per claim that could not be anchored."""
        return [f"{name}:{a.claim.line_of('quote')}: {a.problem}: {_short(a.claim.quote)}" for a in self.missing]

    def details(self, name: str) -> list[str]:
        """What a reviewer may want to look at: ambiguous quotes, claims now in another sentence, notes citing sentence numbers."""
        lines = []
        for a in self.ambiguous:
            lines.append(
                f"{name}:{a.claim.line_of('quote')}: the quote occurs {a.occurrences} times; chose {a.start}:{a.end} "
                f"(sentence {a.sentence}), nearest its old place {a.claim.start}:{a.claim.end} (sentence {a.claim.sentence}): {_short(a.claim.quote)}"
            )
        moved: dict[tuple[int, int], list[int]] = {}
        for a in self.anchors:
            if a.sentence_changed:
                moved.setdefault((a.claim.sentence, a.sentence), []).append(a.claim.line)
        if moved:
            count = sum(len(v) for v in moved.values())
            lines.append(f"{name}: {count} claim{'' if count == 1 else 's'} now in another sentence (check them; comments are not changed):")
            runs: list[list[tuple[int, int, list[int]]]] = []  # neighbouring sentences that moved alike
            for (old, new), at in sorted(moved.items()):
                if runs and runs[-1][-1][1] - runs[-1][-1][0] == new - old:
                    runs[-1].append((old, new, at))
                else:
                    runs.append([(old, new, at)])
            for run in runs:
                at = [line for _, _, group in run for line in group]
                claims = f"{len(at)} claim{'' if len(at) == 1 else 's'}"
                if len(run) == 1:
                    lines.append(f"  sentence {run[0][0]} → {run[0][1]}: {claims}, line{'' if len(at) == 1 else 's'} {', '.join(map(str, at))}")
                else:
                    shift = run[0][1] - run[0][0]
                    lines.append(f"  sentences {run[0][0]}–{run[-1][0]} → {run[0][1]}–{run[-1][1]} ({shift:+d} each): {claims}, lines {at[0]}–{at[-1]}")
            citing = [a.claim.line_of("note") for a in self.anchors if a.claim.note and _CITES_SENTENCE.search(a.claim.note)]
            if citing:
                lines.append(f"  notes that cite sentence numbers (not changed), lines {', '.join(map(str, citing))}")
        if self.claims_file.reviewed and self.changed:
            lines.append(f"{name}: reviewed: true is kept (every re-anchored quote is verbatim in the new text)")
        return lines

    # ---------------------------------------------------------------- writing

    def render(self) -> str:
        """The claims file's new text: only the changed numbers and the sha256 differ."""
        root = yaml.compose(self.raw, Loader=yaml.SafeLoader)
        top = _mapping(root)
        edits: list[tuple[int, int, str]] = []
        if self.sha256_changed:
            edits.append(_replace(top["sha256"], self.new_sha256))
        items = top["claims"].value
        for anchor in self.anchors:
            if not anchor.changed:
                continue
            item = _mapping(items[anchor.index])
            for key, value in (("sentence", anchor.sentence), ("start", anchor.start), ("end", anchor.end)):
                if getattr(anchor.claim, key) != value:
                    edits.append(_replace(item[key], str(value)))
        text = self.raw
        for start, end, replacement in sorted(edits, reverse=True):
            text = text[:start] + replacement + text[end:]
        self._verify(text)
        return text

    def _verify(self, text: str) -> None:
        expected = yaml.safe_load(self.raw)
        as_loaded = [(c.quote, c.sentence, c.start, c.end) for c in self.claims_file.claims]
        if [(c.get("quote"), c.get("sentence"), c.get("start"), c.get("end")) for c in expected.get("claims") or []] != as_loaded:
            raise InputError(self.path, None, "the file changed while it was being re-anchored; nothing written", hint="run reanchor again")
        if self.sha256_changed:
            expected["sha256"] = self.new_sha256
        for anchor in self.anchors:
            if anchor.changed:
                expected["claims"][anchor.index].update(sentence=anchor.sentence, start=anchor.start, end=anchor.end)
        if yaml.safe_load(text) != expected:  # a bug, never a file to write
            raise RuntimeError(f"re-anchoring {self.path} would change more than the offsets and the sha256; nothing written")

    def write(self) -> None:
        """Write the new text atomically (a temporary file beside the file, then a rename)."""
        write_atomically(self.path, self.render())


def plan_reanchor(path: Path, document: Path | None = None, documents_dir: Path | None = None) -> Plan:
    """Find every claim's quote of the claims file ``path`` in ``document``
    (default: the file's ``document``, looked up by ``find_document``)."""
    claims_file = load_claims_file(path)  # with the loader's limits (size, aliases, depth)
    raw = path.read_bytes().decode("utf-8")  # what is spliced; ``render`` checks it is the same file
    document = document or find_document(claims_file, documents_dir)
    text = read_document(document)
    plan = Plan(path, document, claims_file, raw, hashlib.sha256(document.read_bytes()).hexdigest(), split_sentences(text))
    starts = [s.start for s in plan.sentences]

    def sentence_of(start: int, end: int) -> int | None:
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and plan.sentences[i].start <= start and end <= plan.sentences[i].end:
            return i
        return None

    found: dict[str, tuple[list[int], list[tuple[int, int]]]] = {}  # quote → (all occurrences, those inside one sentence)
    ambiguous: list[tuple[Anchor, list[tuple[int, int]]]] = []
    for index, claim in enumerate(claims_file.claims):
        if claim.quote not in found:
            everywhere = _occurrences(text, claim.quote)
            inside = [(s, i) for s in everywhere if (i := sentence_of(s, s + len(claim.quote))) is not None]
            found[claim.quote] = (everywhere, inside)
        everywhere, inside = found[claim.quote]
        anchor = Anchor(index, claim, occurrences=len(inside))
        plan.anchors.append(anchor)
        if not inside:
            anchor.problem = "quote no longer in the document" if not everywhere else "the quote now runs across a sentence boundary"
        elif len(inside) == 1:
            _set(anchor, *inside[0])
        else:
            ambiguous.append((anchor, inside))

    # How the unique quotes moved tells where the repeated ones most likely went.
    shifts = sorted((a.claim.start, a.start - a.claim.start, a.sentence - a.claim.sentence) for a in plan.anchors if a.occurrences == 1)
    shift_starts = [s[0] for s in shifts]
    for anchor, inside in ambiguous:
        old = anchor.claim
        offset_shift, sentence_shift = _nearest_shift(shifts, shift_starts, old.start)
        where, sentence = old.start + offset_shift, old.sentence + sentence_shift
        _set(anchor, *min(inside, key=lambda c: (abs(c[0] - where), abs(c[1] - sentence), c[0])))
    return plan


def find_document(claims_file: ClaimsFile, documents_dir: Path | None = None) -> Path:
    """The document a claims file describes: its ``document`` under ``../documents/`` of
    the claims file (``kb/claims/`` → ``kb/documents/``), else beside it (where
    ``flashpoint extract`` writes without a project), else under ``documents_dir``."""
    claims_path = claims_file.path
    candidates = [claims_path.resolve().parent.parent / "documents" / claims_file.document, claims_path.parent / claims_file.document]
    if documents_dir is not None:
        candidates.append(documents_dir / claims_file.document)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise InputError(claims_path, claims_file.lines.get("document"), f"document {claims_file.document!r} not found (looked in {', '.join(str(c.parent) for c in candidates)})")


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` by ``text`` so that a reader sees the old file or the new one, never half of it."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            shutil.copymode(path, temporary)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------- helpers


def _occurrences(text: str, quote: str) -> list[int]:
    positions, at = [], text.find(quote)
    while at >= 0:
        positions.append(at)
        at = text.find(quote, at + 1)
    return positions


def _set(anchor: Anchor, start: int, sentence: int) -> None:
    anchor.start, anchor.end, anchor.sentence = start, start + len(anchor.claim.quote), sentence


def _nearest_shift(shifts: list[tuple[int, int, int]], starts: list[int], old_start: int) -> tuple[int, int]:
    """(offset shift, sentence shift) of the uniquely anchored claim whose old start is nearest ``old_start``."""
    if not shifts:
        return 0, 0
    i = bisect.bisect_left(starts, old_start)
    near = [shifts[j] for j in (i - 1, i) if 0 <= j < len(shifts)]
    best = min(near, key=lambda s: abs(s[0] - old_start))
    return best[1], best[2]


def _mapping(node: yaml.Node) -> dict[str, yaml.Node]:
    return {key.value: value for key, value in node.value}


def _replace(node: yaml.Node, value: str) -> tuple[int, int, str]:
    quote = node.style if node.style in ("'", '"') else ""
    return node.start_mark.index, node.end_mark.index, f"{quote}{value}{quote}"


def _short(quote: str, width: int = 60) -> str:
    return repr(quote if len(quote) <= width else quote[: width - 1] + "…")


__all__ = ["Anchor", "Plan", "plan_reanchor", "find_document", "write_atomically"]
