"""Provenance: the claims files, the documents they describe, and the quotes.

Every problem that ``flashpoint build`` refuses with exit status 2 (a
malformed claims file, a changed document, a quote that is not the text at its
offsets, …) is a *finding* here, with a rule id, the file and the line: check's
job is to report all of them at once, build's is to refuse to load them.

Rules (docs/check-report.md):

FP-P01  error    the claims file is not valid YAML (or not UTF-8, or empty, or cannot be read)
FP-P02  error    a key appears twice in one mapping (e.g. a claim with two modalities)
FP-P03  error    the claims file does not follow the schema (loaders/claims_schema.json)
FP-P04  error    the document changed after the claims were reviewed (sha256)
FP-P05  error    a quote is not the document's text at its offsets
FP-P06  error    a claim's offsets or sentence index are wrong (end <= start, quote outside its sentence)
FP-P07  error    a claims file without a document
FP-P08  warning  a document without a claims file (build extracts its claims on the fly)
FP-P09  error    the claims file names another document than the one it sits next to
FP-P10  error    a claim names something unknown (class, actor, policy option) or the wrong kind of object
FP-P11  error    a document cannot be read (empty, binary, not UTF-8)
FP-P12  error    the ontology extensions or the gazetteer cannot be read (also: anchors, aliases, over 10 MB)
FP-P13  error    a document or claims file is a symbolic link out of the project (or not a regular file)
FP-P14  error    two documents have the same slug (``NK Missile Launches.md`` and ``nk-missile-launches.txt``)
FP-P15  error    a document's file name gives an empty slug (``..txt``, ``---.md``)
FP-P16  error    a claims file exceeds an input limit: over 50 MB, YAML anchors or aliases, nesting over 20 levels

FP-P13 to FP-P15 are ``Project.layout_problems()``, the problems that stop
``flashpoint build`` before it reads anything; the files they concern are left
out of the other checks.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from flashpoint.checks.findings import Finding
from flashpoint.errors import InputError
from flashpoint.loaders.claims_file import Claim, ClaimsFile, check_claim_offsets, load_claims_file
from flashpoint.loaders.text import Sentence, read_document, split_sentences

if TYPE_CHECKING:
    from flashpoint.checks.kb import KB


class ProvenanceChecker:
    def __init__(self, kb: "KB"):
        self.kb = kb

    def add(self, rule: str, severity: str, message: str, path: Path | str | None, line: int | None, **extra) -> None:
        file = self.kb.rel(path) if path is not None else None
        self.kb.findings.append(Finding(rule, severity, message, file, line, check="provenance", **extra))

    def orphan_claims_files(self, documents: dict[str, Path]) -> None:
        """The layout problems of kb/ (FP-P13 to FP-P15), then claims files without a document (FP-P07)."""
        project = self.kb.project
        for err in project.layout_problems():  # at the link itself, not where it points
            file = _project_relative(project.root, err.path)
            self.kb.findings.append(Finding(_rule_of_layout_error(err.message), "error", err.message, file, err.line, check="provenance"))
        for slug, path in project.claims_files_unvalidated().items():
            if slug not in documents:
                self.add("FP-P07", "error", f"no document for this claims file (expected kb/documents/{slug}.txt or .md)", path, 1)

    def claims_file(self, slug: str, doc: Path) -> tuple[ClaimsFile, str | None] | None:
        """The claims file of a document (None when it cannot be loaded; findings say why)."""
        text: str | None
        try:
            text = read_document(doc)
        except InputError as err:
            self.add("FP-P11", "error", err.message, doc, err.line)
            text = None
        claims_path = self.kb.project.claims_file_for(slug)
        if not claims_path.exists():
            self.add("FP-P08", "warning", f"no claims file kb/claims/{slug}.yaml: `flashpoint build` extracts the claims on the fly, unreviewed (run `flashpoint extract` and review them)", doc, None)
            return None
        try:
            claims_file = load_claims_file(claims_path)
        except InputError as err:
            self.add(_rule_of_load_error(err.message), "error", err.message + (f" ({err.hint})" if err.hint else ""), claims_path, err.line)
            return None
        if claims_file.document != doc.name:
            self.add("FP-P09", "error", f"this file is for {claims_file.document!r}, but it sits next to {doc.name!r}", claims_path, claims_file.lines.get("document"))
            return None
        if text is not None:
            actual = hashlib.sha256(doc.read_bytes()).hexdigest()
            if actual != claims_file.sha256:
                self.add("FP-P04", "error",
                         f"{doc.name} changed after this file was reviewed (sha256 is {actual[:12]}…, reviewed {claims_file.sha256[:12]}…): review the claims against the new text and update sha256",
                         claims_path, claims_file.lines.get("sha256"))
                text = None  # offsets into a changed text say nothing more
        return claims_file, text

    def sentences(self, text: str) -> list[Sentence]:
        return split_sentences(text)

    def claim_offsets(self, claims_file: ClaimsFile, claim: Claim, text: str, sentences: list[Sentence]) -> None:
        try:
            check_claim_offsets(claims_file.path, claim, text, sentences)
        except InputError as err:
            rule = "FP-P05" if err.message.startswith("quote does not match") else "FP-P06"
            sentence = sentences[claim.sentence].text if 0 <= claim.sentence < len(sentences) else None
            self.add(rule, "error", err.message + (f" ({err.hint})" if err.hint else ""), claims_file.path, err.line, quote=claim.quote, sentence=sentence)


def _project_relative(root: Path, path: Path | None) -> str | None:
    """``path`` relative to the project *without* following a link (the link is the file to fix)."""
    if path is None:
        return None
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _rule_of_layout_error(message: str) -> str:
    if "same slug" in message:
        return "FP-P14"
    if "empty slug" in message:
        return "FP-P15"
    return "FP-P13"


_LIMIT_MESSAGES = ("YAML alias", "YAML anchor", "nested more than")  # and "the claims file is … over the limit" (safe_yaml)


def _rule_of_load_error(message: str) -> str:
    if message.startswith(_LIMIT_MESSAGES) or (message.startswith("the claims file is ") and "over the limit" in message):
        return "FP-P16"
    if message.startswith("malformed YAML: duplicate key"):
        return "FP-P02"
    if message.startswith(("malformed YAML", "not valid UTF-8", "the claims file is empty", "cannot read the claims file")):
        return "FP-P01"
    return "FP-P03"
