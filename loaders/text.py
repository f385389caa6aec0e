"""Reading documents and splitting them into sentences.

Offsets are always into the original text as decoded from UTF-8 (Unicode code
points, end exclusive), so that ``text[start:end] == quote`` holds for every
claim. Both loaders (the reviewed claims files and the extractor) use this one
splitter, so a sentence index means the same thing everywhere.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from flashpoint.errors import InputError

# Abbreviations after which a full stop does not end a sentence. Country
# abbreviations are the usual trap in this domain ("the U.S. and South Korea").
ABBREVIATIONS = frozenset(
    """U.S. U.N. U.K. U.A.E. E.U. D.C. U.S.S.R. P.R.C. R.O.K.
    Mr. Mrs. Ms. Dr. Prof. Gen. Lt. Col. Maj. Capt. Adm. Sgt. Gov. Sen. Rep. Amb.
    St. No. Nos. Vol. Art. Fig. vs. etc. e.g. i.e. cf. approx. Jan. Feb. Mar. Apr.
    Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec. Inc. Ltd. Co. Corp.""".split()
)
# Abbreviations that may well end a sentence when followed by a capitalised
# word that is not a name ("... talks with the U.S. The next day ...") are
# still treated as non-final: a missed split costs less than a wrong one.

_BOUNDARY = re.compile(r"""[.!?]['"’”)\]]*(?=\s+['"‘“(\[]?[A-Z0-9])""")
_LAST_TOKEN = re.compile(r"(\S+)$")


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


def read_document(path: Path) -> str:
    """The document's text, or an InputError (check rule FP-P11) for empty, binary or non-UTF-8 files."""
    data = path.read_bytes()
    if not data.strip():
        raise InputError(path, None, "the document is empty", rule="FP-P11")
    if b"\x00" in data[:8192]:
        raise InputError(path, None, "the document looks binary (it contains NUL bytes); expected UTF-8 text", rule="FP-P11")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(path, line, f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})", rule="FP-P11") from None


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _is_abbreviation(text: str, dot_end: int) -> bool:
    # Only the last word matters: look at a short window, not the whole prefix.
    token = _LAST_TOKEN.search(text, max(0, dot_end - 40), dot_end)
    if token is None:
        return False
    word = token.group(1).lstrip("(\"'‘“")
    if word in ABBREVIATIONS:
        return True
    # Initials such as "J." or "H.R." are not sentence ends either.
    return bool(re.fullmatch(r"(?:[A-Z]\.)+", word)) and len(word) <= 4


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text``: a sentence ends at . ! or ? (with closing quotes or
    brackets) followed by white space and a capital letter or digit, unless the
    full stop belongs to an abbreviation. Paragraph breaks (blank lines) always
    end a sentence. Leading and trailing white space is not part of a sentence."""
    cuts: list[int] = []
    for match in _BOUNDARY.finditer(text):
        if text[match.start()] == "." and _is_abbreviation(text, match.start() + 1):
            continue
        cuts.append(match.end())
    cuts.extend(m.start() for m in re.finditer(r"\n\s*\n", text))
    sentences: list[Sentence] = []
    start = 0
    for cut in sorted(set(cuts)) + [len(text)]:
        span = _trim(text, start, cut)
        if span is not None:
            sentences.append(Sentence(len(sentences), span[0], span[1], text[span[0] : span[1]]))
        start = cut
    return sentences


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def sentence_at(sentences: list[Sentence], offset: int) -> Sentence | None:
    """The sentence that contains character ``offset``."""
    for sentence in sentences:
        if sentence.start <= offset < sentence.end:
            return sentence
    return None


def document_title(first_text: str, file_name: str) -> str:
    """A document's title: its first line when that is a Markdown heading,
    otherwise its file name in words ('nk-missile-launches.txt' → 'nk missile launches')."""
    for line in first_text.splitlines():
        line = line.strip()
        if line:
            if line.startswith("#"):
                return line.lstrip("#").strip()
            break
    return Path(file_name).stem.replace("-", " ").replace("_", " ")
