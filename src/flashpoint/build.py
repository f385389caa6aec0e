"""``flashpoint build``: kb/ → the store, doing only the work that changed.

1. Read and validate every changed document's claims (or extract them when a
   document has no claims file) — all errors surface before the store is touched.
2. Reason over the changed documents' modules with HermiT.
3. Write a staged copy of the store and swap it in (see store.py).

The manifest records a hash of each document's inputs (text and claims file)
and of what every document depends on (flashpoint's version, the ontology, the
gazetteer); an unchanged hash means no work.
"""

from __future__ import annotations

import hashlib
import itertools
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable

from pyoxigraph import Quad, RdfFormat, Store, Triple, parse, serialize

import flashpoint
from flashpoint.errors import InputError
from flashpoint.loaders.claims_file import ClaimsFile, check_against_document, dump_claims_file, load_claims_file
from flashpoint.loaders.text import read_document
from flashpoint.loaders.to_rdf import DocumentRDF, document_rdf
from flashpoint.model import Model, load_model
from flashpoint.project import Project
from flashpoint.reasoner import reason
from flashpoint.store import Manifest, StoreFolder, open_for_writing, staged_replacement
from flashpoint.vocab import GAZETTEER_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, doc_graph

GAZETTEER_MODULE = "_gazetteer"  # the inferences about gazetteer actors no document names


@dataclass
class BuildReport:
    up_to_date: bool = False
    full: bool = False
    built: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    extracted: list[str] = field(default_factory=list)
    claims: int = 0
    quads: int = 0
    inferred: int = 0
    total_quads: int = 0

    def lines(self) -> list[str]:
        if self.up_to_date:
            return [f"up to date: nothing changed since the last build ({self.total_quads} quads in the store)"]
        kind = "full build" if self.full else "incremental build"
        out = [f"{kind}: {len(self.built)} document(s) loaded, {len(self.removed)} removed"]
        if self.extracted:
            out.append(f"extracted on the fly (no claims file): {', '.join(self.extracted)}")
        out.append(f"{self.claims} claims, {self.quads} quads from documents, {self.inferred} inferred triples")
        out.append(f"store: {self.total_quads} quads")
        return out


Progress = Callable[[str, int, int], None]  # (stage, done, total) → shows progress; a no-op by default


def _document_inputs_hash(doc: Path, claims: Path | None) -> str:
    digest = hashlib.sha256(doc.read_bytes())
    digest.update(claims.read_bytes() if claims and claims.exists() else b"extracted:" + _extractor_fingerprint().encode())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _extractor_fingerprint() -> str:
    """A document without a claims file depends on the extractor's code and data:
    a new rule or lexicon entry must re-extract it, even within one version."""
    folder = Path(str(resources.files("flashpoint.loaders.extract")))
    digest = hashlib.sha256(flashpoint.__version__.encode())
    for path in sorted(p for p in folder.rglob("*") if p.suffix in (".py", ".yaml")):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_document(project: Project, slug: str, doc: Path, model: Model) -> tuple[DocumentRDF, bool]:
    """The RDF of one document (validated); True when its claims were extracted."""
    text = read_document(doc)
    claims_path = project.claims_file_for(slug)
    extracted = not claims_path.exists()
    if extracted:
        claims_file = _extract(doc, claims_path, model)
    else:
        claims_file = load_claims_file(claims_path)
        if claims_file.document != doc.name:
            raise InputError(claims_path, claims_file.lines.get("document"), f"this file is for {claims_file.document!r}, but it sits next to {doc.name!r}")
    check_against_document(claims_file, doc, text)
    return document_rdf(claims_file, slug, model.gazetteer, model.terms, model.policies), extracted


def _extract(doc: Path, claims_path: Path, model: Model) -> ClaimsFile:
    from flashpoint.loaders.extract import extract_document

    text = dump_claims_file(extract_document(doc, gazetteer=model.gazetteer))  # the project's actors too
    return load_claims_file(Path(f"{claims_path} (extracted from {doc.name})"), raw=text)


def build(project: Project, progress: Progress | None = None, force: bool = False) -> BuildReport:
    progress = progress or (lambda stage, done, total: None)
    model = load_model(project)
    live = StoreFolder(project.store_dir)
    old = live.manifest() if live.exists() else Manifest()
    base = model.fingerprint()
    full = force or old.base != base or not live.exists()
    documents = project.documents()
    _check_orphan_claims(project, documents)

    inputs = {slug: _document_inputs_hash(path, project.claims_file_for(slug)) for slug, path in documents.items()}
    changed = sorted(s for s in documents if full or old.documents.get(s, {}).get("inputs") != inputs[s])
    removed = sorted(set(old.documents) - set(documents)) if not full else []
    report = BuildReport(full=full)
    if not full and not changed and not removed:
        report.up_to_date = True
        report.total_quads = old.total_quads
        return report

    loaded: dict[str, DocumentRDF] = {}
    for done, slug in enumerate(changed):
        progress("reading claims", done, len(changed))
        loaded[slug], extracted = load_document(project, slug, documents[slug], model)
        if extracted:
            report.extracted.append(slug)

    modules = {slug: rdf.world + _gazetteer_triples(model, rdf.gazetteer_ids) for slug, rdf in loaded.items()}
    if full:
        modules[GAZETTEER_MODULE] = _gazetteer_triples(model, set(model.gazetteer.actors))
    progress("reasoning (HermiT) and writing the store", 0, 1)
    manifest = Manifest(base=base, documents={} if full else dict(old.documents))
    # HermiT runs in a Java process: the documents are written into the staged
    # store while it works. An inconsistency raises from result() below, and the
    # staged store is then thrown away like any failed build.
    with ThreadPoolExecutor(max_workers=1) as pool:
        reasoning = pool.submit(reason, model.reasoner_ntriples, model.axioms, modules)
        with staged_replacement(live.path, incremental=not full) as new:
            _write_store(new, reasoning, model, loaded, removed, full, inputs, manifest, report)
    report.built, report.removed = changed, removed
    return report


def _write_store(new: StoreFolder, reasoning: Future, model: Model, loaded: dict[str, DocumentRDF], removed: list[str],
                 full: bool, inputs: dict[str, str], manifest: Manifest, report: BuildReport) -> None:
    """Everything the build writes; the database handle is released on return,
    before the staged folder is renamed into place."""
    store = open_for_writing(new)
    _write_documents(store, new, model, loaded, removed, full, inputs, manifest, report)
    _finish_store(store, new, reasoning.result(), manifest, report)
    store.flush()


def _write_documents(store: Store, new: StoreFolder, model: Model, loaded: dict[str, DocumentRDF], removed: list[str],
                     full: bool, inputs: dict[str, str], manifest: Manifest, report: BuildReport) -> None:
    for slug in removed + ([] if full else list(loaded)):
        store.remove_graph(doc_graph(slug))
    for slug in removed:
        (new.inferred_dir / f"{slug}.nt").unlink(missing_ok=True)
        manifest.documents.pop(slug, None)
    new_quads = [model.ontology_quads(), model.gazetteer_quads()] if full else []
    for slug, rdf in loaded.items():
        new_quads.append(rdf.quads)
        manifest.documents[slug] = {"inputs": inputs[slug], "claims": rdf.claim_count, "quads": len(rdf.quads)}
        report.claims += rdf.claim_count
        report.quads += len(rdf.quads)
    # One bulk load for everything: each bulk_extend call writes its own files.
    store.bulk_extend(itertools.chain.from_iterable(new_quads))


def _finish_store(store: Store, new: StoreFolder, inferences: dict, manifest: Manifest, report: BuildReport) -> None:
    for module, triples in inferences.items():
        _write_ntriples(new.inferred_dir / f"{module}.nt", triples)
    report.inferred = _update_inferred_graph(store, new.inferred_dir)
    # Compacting after the batch of writes makes later queries markedly
    # faster (measured: the 13 competency queries 1.8 times faster at 100k
    # quads) for a fraction of a second at build time.
    store.optimize()
    report.total_quads = manifest.total_quads = len(store)
    manifest.write(new.manifest_path)


def _check_orphan_claims(project: Project, documents: dict[str, Path]) -> None:
    for slug, path in project.claims_files().items():
        if slug not in documents:
            raise InputError(path, None, f"no document for this claims file (expected kb/documents/{slug}.txt or .md)")


def _gazetteer_triples(model: Model, actor_ids: set[str]):
    return [Triple(*t) for actor_id in sorted(actor_ids) for t in model.actor_triples(actor_id)]


def _write_ntriples(path: Path, triples) -> None:
    path.write_bytes(serialize(sorted(triples, key=str), format=RdfFormat.N_TRIPLES) or b"")


def _update_inferred_graph(store: Store, inferred_dir: Path) -> int:
    """Make the inferred graph the union of the per-module caches, touching only
    what changed (a rebuild of one document changes a handful of triples)."""
    wanted = set()
    for path in sorted(inferred_dir.glob("*.nt")):
        wanted.update(parse(path=str(path), format=RdfFormat.N_TRIPLES))
    present = {Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, INFERRED_GRAPH)}
    for t in present - wanted:
        store.remove(Quad(t.subject, t.predicate, t.object, INFERRED_GRAPH))
    store.bulk_extend(Quad(t.subject, t.predicate, t.object, INFERRED_GRAPH) for t in wanted - present)
    return len(wanted)


__all__ = ["build", "BuildReport", "load_document", "GAZETTEER_GRAPH", "ONTOLOGY_GRAPH"]
