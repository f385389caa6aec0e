"""Provenance: the claims files, the documents they describe, and the quotes.

Every problem that ``flashpoint build`` refuses with exit status 2 (a
malformed claims file, a changed document, a quote that is not the text at its
offsets, …) is a *finding* here, with a rule id, the file and the line: check's
job is to report all of them at once, build's is to refuse to load them. Both
find them with the same loader (``loaders/document.py``); this module turns the
errors it collects into findings, under the rule each error carries.

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
FP-P17  warning  a claims file says reviewed: false (its machine claims are in the KB all the same)
FP-R03  error    a claim's predicate is not a world-layer property (the claim is left out; also a SPARQL rule and a shape)

FP-P13 to FP-P15 are ``Project.layout_problems()``, the problems that stop
``flashpoint build`` before it reads anything; the files they concern are left
out of the other checks.
"""

from __future__ import annotations

from pathlib import Path

from flashpoint.checks.findings import Finding
from flashpoint.errors import CollectAll, InputError, Problem
from flashpoint.loaders.document import LoadedDocument, check_layout
from flashpoint.project import Project

NO_CLAIMS_FILE_RULE = "FP-P08"
UNREVIEWED_RULE = "FP-P17"


def project_findings(project: Project, documents: dict[str, Path]) -> list[Finding]:
    """The problems of kb/ as a whole (FP-P13 to FP-P15, FP-P07), at the file itself:
    a link is reported where it is, not where it points."""
    collector = CollectAll()
    check_layout(project, documents, collector)
    return [_finding(problem.error, _unresolved_relative(project.root, problem.error.path)) for problem in collector.problems]


def document_findings(project: Project, slug: str, doc_path: Path, loaded: LoadedDocument | None, problems: list[Problem]) -> list[Finding]:
    """What loading one document found (``problems``, in the order found), and the warnings
    about claims no person reviewed (FP-P08: no claims file; FP-P17: reviewed: false)."""
    findings = []
    for problem in problems:
        finding = _finding(problem.error, relative(project.root, problem.error.path))
        if problem.claim is not None:
            finding.line = finding.line or problem.claim.line
            finding.quote = problem.claim.quote
            finding.sentence = loaded.sentence_of(problem.claim) if loaded else None
        findings.append(finding)
    if not project.claims_file_for(slug).exists():
        findings.append(Finding(NO_CLAIMS_FILE_RULE, "warning", f"no claims file kb/claims/{slug}.yaml: `flashpoint build` extracts the claims on the fly, "
                                "unreviewed (run `flashpoint extract` and review them)", relative(project.root, doc_path), None, check="provenance"))
    elif loaded is not None and not loaded.claims_file.reviewed:
        claims_file = loaded.claims_file
        findings.append(Finding(UNREVIEWED_RULE, "warning", f"not reviewed (reviewed: false): its {len(claims_file.claims)} machine-proposed claims are in the KB "
                                "with fp:reviewed false; review them, then set reviewed: true",
                                relative(project.root, claims_file.path), claims_file.lines.get("reviewed", 1), check="provenance"))
    return findings


def _finding(error: InputError, file: str | None) -> Finding:
    assert error.rule, f"an input error without a check rule: {error}"
    message = error.message + (f" ({error.hint})" if error.hint else "")
    return Finding(error.rule, "error", message, file, error.line, check="provenance")


def relative(root: Path, path: Path | str | None) -> str | None:
    """``path`` relative to the project (POSIX), links resolved; absolute when outside it."""
    if path is None:
        return None
    path = Path(path)
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _unresolved_relative(root: Path, path: Path | None) -> str | None:
    """``path`` relative to the project *without* following a link (the link is the file to fix)."""
    if path is None:
        return None
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
