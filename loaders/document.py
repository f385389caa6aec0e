"""One document → what it puts into the knowledge base: the one loader that
``flashpoint build`` and ``flashpoint check`` share, so that they cannot disagree.

``load_document`` reads a document and its claims file (or, when it has none,
the claims the extractor proposes), checks them against the text and turns them
into quads (``to_rdf``). Every problem goes to a *collector*
(``flashpoint.errors``): build passes ``raise_first`` and stops at the first
(exit 2); check passes a ``CollectAll`` and reports them all, each under the
rule the error carries. To report as much as it can, a collecting load goes on
past what stops a build:

* a document that cannot be read: its claims file is still read and resolved;
* a document changed since the review: the claims' offsets are not checked
  (offsets into another text say nothing);
* a claim whose quote or offsets are wrong: it is loaded all the same;
* a claim that names something unknown: it is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flashpoint.errors import Collector, InputError, raise_first
from flashpoint.loaders.claims_file import Claim, ClaimsFile, check_against_document, dump_claims_file, load_claims_file
from flashpoint.loaders.text import Sentence, read_document
from flashpoint.loaders.to_rdf import DocumentRDF, document_rdf
from flashpoint.model import Model
from flashpoint.project import Project


@dataclass
class LoadedDocument:
    slug: str
    claims_file: ClaimsFile  # its path is where a person fixes a claim: the document itself for extracted claims
    rdf: DocumentRDF
    extracted: bool  # no claims file: the extractor's claims (unreviewed)
    sentences: list[Sentence]  # of the text; empty when it could not be read or changed since the review

    def sentence_of(self, claim: Claim) -> str | None:
        return self.sentences[claim.sentence].text if 0 <= claim.sentence < len(self.sentences) else None


def load_document(project: Project, model: Model, slug: str, doc_path: Path, report: Collector = raise_first) -> LoadedDocument | None:
    """Document ``slug`` as the knowledge base holds it; None when nothing of it can be loaded
    (``report`` has been told why)."""
    text = _read(doc_path, report)
    claims_path = project.claims_file_for(slug)
    extracted = not claims_path.exists()
    if extracted:
        if text is None:
            return None
        claims_file = extract_claims(doc_path, model, text)
    else:
        claims_file = _claims_file_of(claims_path, doc_path, report)
        if claims_file is None:
            return None
    sentences = check_against_document(claims_file, doc_path, text, report) if text is not None else None
    rdf = document_rdf(claims_file, slug, model.gazetteer, model.terms, model.policies, report)
    return LoadedDocument(slug, claims_file, rdf, extracted, sentences or [])


def check_layout(project: Project, documents: dict[str, Path], report: Collector = raise_first) -> None:
    """What is wrong with ``kb/`` as a whole: its layout (FP-P13 to FP-P15: links out of the
    project, empty or shared slugs) and claims files without a document (FP-P07)."""
    for error in project.layout_problems():
        report(error)
    for slug, path in project.claims_files_unvalidated().items():
        if slug not in documents:
            report(InputError(path, 1, f"no document for this claims file (expected kb/documents/{slug}.txt or .md)", rule="FP-P07"))


def extract_claims(doc_path: Path, model: Model, text: str) -> ClaimsFile:
    """The claims file the extractor proposes for a document (unreviewed), with the
    project's actors and checked against the project's ontology. Its claims point at
    the document: the line of each quote (there is no claims file to point at)."""
    from flashpoint.loaders.extract import extract_document  # spaCy: only when a document needs it

    claims_file = load_claims_file(Path(f"{doc_path} (extracted on the fly)"),
                                   raw=dump_claims_file(extract_document(doc_path, gazetteer=model.gazetteer, ontology=model)))
    claims_file.path, claims_file.lines = doc_path, {}
    for claim in claims_file.claims:
        claim.line, claim.lines = text.count("\n", 0, claim.start) + 1, {}
    return claims_file


def _read(doc_path: Path, report: Collector) -> str | None:
    try:
        return read_document(doc_path)
    except InputError as err:
        report(err)
        return None


def _claims_file_of(claims_path: Path, doc_path: Path, report: Collector) -> ClaimsFile | None:
    try:
        claims_file = load_claims_file(claims_path)
    except InputError as err:
        report(err)
        return None
    if claims_file.document != doc_path.name:
        report(InputError(claims_path, claims_file.lines.get("document"),
                          f"this file is for {claims_file.document!r}, but it sits next to {doc_path.name!r}", rule="FP-P09"))
        return None
    return claims_file
