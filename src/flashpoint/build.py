"""``flashpoint build``: kb/ → the store, doing only the work that changed.

1. Read and validate every changed document's claims (or extract them when a
   document has no claims file) with the loader that check uses too
   (``loaders/document.py``); the first error stops the build before the store
   is touched.
2. Reason over the changed documents' modules with HermiT.
3. Write a staged copy of the store and swap it in (see store.py).

The manifest records a hash of each document's inputs (text and claims file)
and of what every document depends on (flashpoint's version, the ontology, the
gazetteer); an unchanged hash means no work.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable

from pyoxigraph import NamedNode, Quad, RdfFormat, Store, Triple, parse

import flashpoint
from flashpoint import hypothetical
from flashpoint.errors import InconsistentError
from flashpoint.loaders import document as document_loader
from flashpoint.loaders.to_rdf import DocumentRDF
from flashpoint.lock import project_lock
from flashpoint.model import Model, load_model
from flashpoint.project import Project
from flashpoint.reasoner import Memo, ntriples, reason
from flashpoint.store import Manifest, StoreFolder, open_for_writing, recover, staged_replacement
from flashpoint.vocab import GAZETTEER_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, UNREVIEWED_INFERRED_GRAPH, doc_graph, hypothetical_graph

GAZETTEER_MODULE = "_gazetteer"  # the inferences about gazetteer actors no document names


@dataclass
class BuildReport:
    up_to_date: bool = False
    full: bool = False
    built: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    extracted: list[str] = field(default_factory=list)
    unreviewed: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    claims: int = 0
    quads: int = 0
    inferred: int = 0
    hypothetical: int = 0  # things only hedged claims mention (fp:hypothetical)
    total_quads: int = 0

    def lines(self) -> list[str]:
        if self.up_to_date:
            return [f"up to date: nothing changed since the last build ({self.total_quads} quads in the store)"] + self._set_aside_lines()
        kind = "full build" if self.full else "incremental build"
        out = [f"{kind}: {len(self.built)} document(s) loaded, {len(self.removed)} removed"]
        if self.extracted:
            out.append(f"extracted on the fly (no claims file): {', '.join(self.extracted)}")
        if self.unreviewed:
            out.append(f"unreviewed (machine claims, in the KB with fp:reviewed false): {', '.join(self.unreviewed)}")
        out += self._set_aside_lines()
        out.append(f"{self.claims} claims, {self.quads} quads from documents, {self.inferred} inferred triples, "
                   f"{self.hypothetical} hypothetical things (mentioned only in hedged claims)")
        out.append(f"store: {self.total_quads} quads")
        return out

    def _set_aside_lines(self) -> list[str]:
        return [f"warning: {slug}: its unreviewed machine claims contradict the ontology (HermiT) and were set aside; "
                "`flashpoint check` explains why — review them before they enter the KB" for slug in self.set_aside]


Progress = Callable[[str, int, int], None]  # (stage, done, total) → shows progress; a no-op by default


def _document_inputs_hash(doc: Path, claims: Path | None) -> str:
    digest = hashlib.sha256(doc.read_bytes())
    digest.update(claims.read_bytes() if claims and claims.exists() else b"extracted:" + extractor_fingerprint().encode())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """A document without a claims file depends on the extractor's code and data:
    a new rule or lexicon entry must re-extract it, even within one version."""
    folder = Path(str(resources.files("flashpoint.loaders.extract")))
    digest = hashlib.sha256(flashpoint.__version__.encode())
    for path in sorted(p for p in folder.rglob("*") if p.suffix in (".py", ".yaml")):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_document(project: Project, slug: str, doc: Path, model: Model) -> tuple[DocumentRDF, bool]:
    """The RDF of one document (validated: the first error raises InputError); True when its claims were extracted."""
    loaded = document_loader.load_document(project, model, slug, doc)
    assert loaded is not None  # raise_first raised why
    return loaded.rdf, loaded.extracted


def build(project: Project, progress: Progress | None = None, force: bool = False, wait: bool = True) -> BuildReport:
    """Build under the project lock (``wait=False``: fail at once if another writer holds it)."""
    with project_lock(project.root, "build", wait=wait):
        try:
            return _build(project, progress or (lambda stage, done, total: None), force)
        finally:
            gc.unfreeze()  # see _build: what was read may be collected again


def _build(project: Project, progress: Progress, force: bool) -> BuildReport:
    model = load_model(project)
    recover(project.store_dir)  # what a crashed build left behind (we hold the lock)
    live = StoreFolder(project.store_dir)
    old = live.manifest() if live.exists() else Manifest()
    base = model.fingerprint()
    full = force or old.base != base or not live.exists()
    documents = project.documents()
    document_loader.check_layout(project, documents)

    inputs = {slug: _document_inputs_hash(path, project.claims_file_for(slug)) for slug, path in documents.items()}
    changed = sorted(s for s in documents if full or old.documents.get(s, {}).get("inputs") != inputs[s])
    removed = sorted(set(old.documents) - set(documents)) if not full else []
    report = BuildReport(full=full)
    if not full and not changed and not removed:
        report.up_to_date = True
        report.total_quads = old.total_quads
        report.set_aside = sorted(slug for slug, entry in old.documents.items() if entry.get("set_aside"))
        return report

    loaded: dict[str, DocumentRDF] = {}
    for done, slug in enumerate(changed):
        progress("reading claims", done, len(changed))
        loaded[slug], extracted = load_document(project, slug, documents[slug], model)
        # Every document read is kept until the store is written (millions of
        # objects at 1,000 documents), and Python's cyclic collector scanned
        # them again and again: freezing them (out of the collector's reach
        # until build() returns) took reading the 1M benchmark's 1,000
        # documents from 26.4 s to 15.8 s.
        gc.freeze()
        if extracted:
            report.extracted.append(slug)
        elif not loaded[slug].reviewed:
            report.unreviewed.append(slug)

    while True:
        manifest = Manifest(base=base, documents={} if full else dict(old.documents))
        report.claims = report.quads = 0
        try:
            _reason_and_write(live, model, loaded, removed, full, inputs, manifest, report, progress, _memo(project, model))
            break
        except InconsistentError as err:
            # Unreviewed machine claims never break a build: such a document's
            # claims are set aside (and the build runs again without them).
            # A reviewed document's contradiction is the analyst's to fix.
            if not _set_aside(err, loaded, report):
                raise _at_files(err, project, documents) from None
    report.built, report.removed = changed, removed
    _prune_memo(_reason_memo(project), keep=2 * len(documents) + 100)
    return report


def _reason_memo(project: Project) -> Path:
    """The reasoner's memo (``reasoner.reason``): outside the store, so that it
    outlives a store that is deleted or rebuilt with ``--force``."""
    return project.root / ".flashpoint" / "reason-cache"


def _memo(project: Project, model: Model) -> Memo:
    from flashpoint.checks.cache import digest

    return Memo(_reason_memo(project), digest(*(part for path in model.ontology_paths for part in (path.name, path.read_bytes()))))


def _prune_memo(folder: Path, keep: int) -> None:
    """Keep the ``keep`` newest entries (a hit refreshes its entry's time). An
    entry dropped too early only costs a HermiT run: entries are found by key."""
    try:
        entries = sorted(folder.glob("*.json"), key=lambda path: path.stat().st_mtime_ns, reverse=True)
        for path in entries[keep:]:
            path.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only checkout, or an entry gone meanwhile: nothing to prune


def _reason_and_write(live: StoreFolder, model: Model, loaded: dict[str, DocumentRDF], removed: list[str], full: bool,
                      inputs: dict[str, str], manifest: Manifest, report: BuildReport, progress: Progress, memo: Memo) -> None:
    modules = {slug: rdf.world + _gazetteer_triples(model, rdf.gazetteer_ids) for slug, rdf in loaded.items()}
    if full:
        modules[GAZETTEER_MODULE] = _gazetteer_triples(model, set(model.gazetteer.actors))
    progress("reasoning (HermiT) and writing the store", 0, 1)
    # HermiT runs in a Java process: the documents are written into the staged
    # store while it works. An inconsistency raises from result() below, and the
    # staged store is then thrown away like any failed build.
    with ThreadPoolExecutor(max_workers=1) as pool:
        reasoning = pool.submit(reason, model.reasoner_ntriples, model.axioms, modules, memo)
        with staged_replacement(live.path, incremental=not full) as new:
            _write_store(new, reasoning, model, loaded, removed, full, inputs, manifest, report)
            manifest.write(new.manifest_path)  # last: a folder with a manifest is a complete store


def _at_files(err: InconsistentError, project: Project, documents: dict[str, Path]) -> InconsistentError:
    """The reasoner names modules; a person fixes files: name the claims file (or document) of each."""
    def where(slug: str) -> str:
        path = project.claims_file_for(slug)
        path = path if path.exists() else documents.get(slug, path)
        return path.relative_to(project.root).as_posix() if path.is_relative_to(project.root) else str(path)

    files = [where(slug) for slug in err.modules if slug in documents]
    if not files:
        return err
    return InconsistentError(f"{files[0]}: its claims contradict the ontology: the OWL reasoner (HermiT) finds the knowledge base inconsistent",
                             [f"{file}: its claims contradict the ontology too" for file in files[1:]]
                             + ["run `flashpoint check` for the claims and axioms that clash"], modules=err.modules)


def _set_aside(err: InconsistentError, loaded: dict[str, DocumentRDF], report: BuildReport) -> bool:
    """Set aside the claims of the inconsistent documents if all are unreviewed; False otherwise."""
    if not err.modules or any(m not in loaded or loaded[m].reviewed for m in err.modules):
        return False
    for slug in err.modules:
        loaded[slug] = loaded[slug].set_aside()
        report.set_aside.append(slug)
    return True


def _write_store(new: StoreFolder, reasoning: Future, model: Model, loaded: dict[str, DocumentRDF], removed: list[str],
                 full: bool, inputs: dict[str, str], manifest: Manifest, report: BuildReport) -> None:
    """Everything the build writes; the database handle is released on return,
    before the staged folder is renamed into place — and when it raises, since a
    traceback would otherwise keep the handle (and RocksDB's lock) alive."""
    store = open_for_writing(new)
    try:
        graphs_before = _inferred_graphs(manifest)  # which graph each module's inferences are in now
        _write_documents(store, model, loaded, removed, full, inputs, manifest, report)
        _write_inferred(store, new.inferred_dir, reasoning.result(), removed, graphs_before, _inferred_graphs(manifest), report)
        report.hypothetical = hypothetical.mark(store)
        total = len(store)
        if full or total < COMPACT_INCREMENTAL_BELOW:
            # Compacting after the bulk load makes later queries markedly faster
            # (measured: the 13 competency queries 1.8 times faster at 100k quads).
            # An incremental build leaves a few small files per index, which
            # made the queries 1.1-1.4 times slower at 100k; compacting then
            # costs 0.16 s at 100k but 1.5 s at 1M quads, as much as the rest
            # of a one-document rebuild. Above the threshold RocksDB's own
            # compaction bounds the number of such files (it merges them at 4).
            store.optimize()
        report.total_quads = manifest.total_quads = total
        store.flush()
    finally:
        del store


def _write_documents(store: Store, model: Model, loaded: dict[str, DocumentRDF], removed: list[str],
                     full: bool, inputs: dict[str, str], manifest: Manifest, report: BuildReport) -> None:
    for slug in removed + ([] if full else list(loaded)):
        store.remove_graph(doc_graph(slug))
        store.remove_graph(hypothetical_graph(slug))
    for slug in removed:
        manifest.documents.pop(slug, None)
    new_quads = [model.ontology_quads(), model.gazetteer_quads()] if full else []
    for slug, rdf in loaded.items():
        new_quads.append(rdf.quads)
        manifest.documents[slug] = {"inputs": inputs[slug], "claims": rdf.claim_count, "quads": len(rdf.quads), "reviewed": rdf.reviewed}
        if slug in report.set_aside:
            manifest.documents[slug]["set_aside"] = True
        report.claims += rdf.claim_count
        report.quads += len(rdf.quads)
    _insert(store, list(itertools.chain.from_iterable(new_quads)))


COMPACT_INCREMENTAL_BELOW = 500_000  # quads: see _write_store

# Below this many quads a transaction (Store.extend) is faster than the bulk
# loader, which writes files of its own on every call (measured on the 1M
# store: 550 quads 0.004 s against 0.12 s). Above it, one bulk load for everything.
SMALL_WRITE = 20_000


def _insert(store: Store, quads: list[Quad]) -> None:
    if len(quads) < SMALL_WRITE:
        store.extend(quads)
    else:
        store.bulk_extend(quads)


def _inferred_graphs(manifest: Manifest) -> Callable[[str], NamedNode]:
    """Module → the graph of its inferences. Inferences from unreviewed documents
    have a graph of their own, so that a query can leave them out with their
    documents; the gazetteer's module is not a document and counts as reviewed."""
    unreviewed = {slug for slug, entry in manifest.documents.items() if not entry.get("reviewed", True)}
    return lambda module: UNREVIEWED_INFERRED_GRAPH if module in unreviewed else INFERRED_GRAPH


def _write_inferred(store: Store, inferred_dir: Path, inferences: dict[str, set[Triple]], removed: list[str],
                    graph_before: Callable[[str], NamedNode], graph_now: Callable[[str], NamedNode], report: BuildReport) -> None:
    """Write the changed modules' inference files (``inferred/<module>.nt``) and
    apply the difference to the two inferred graphs, which hold the union of
    those files by graph. Invariant (kept by every build, since files and
    database are swapped in together): graph G = the union of the files of the
    modules whose graph is G. So only the changed modules' triples are touched:
    a triple a changed module no longer infers is removed unless another
    module of the same graph still infers it. No scan of the store's graphs:
    the files are compared as text (each written by ``ntriples``, one triple a line)."""
    stale: set[tuple[str, NamedNode]] = set()  # (line, graph): what changed modules inferred before
    for module in list(inferences) + removed:
        path = inferred_dir / f"{module}.nt"
        if path.exists():
            stale.update((line, graph_before(module)) for line in path.read_text(encoding="utf-8").splitlines())
    for module, triples in inferences.items():
        _write_ntriples(inferred_dir / f"{module}.nt", triples)
    added = {Quad(t.subject, t.predicate, t.object, graph_now(module)) for module, triples in inferences.items() for t in triples}
    for module in removed:
        (inferred_dir / f"{module}.nt").unlink(missing_ok=True)
    wanted: dict[NamedNode, set[str]] = {INFERRED_GRAPH: set(), UNREVIEWED_INFERRED_GRAPH: set()}
    for path in sorted(inferred_dir.glob("*.nt")):
        wanted[graph_now(path.stem)].update(path.read_text(encoding="utf-8").splitlines())
    for quad in _quads([(line, graph) for line, graph in stale if line not in wanted[graph]]):
        store.remove(quad)
    _insert(store, list(added))  # a quad the store has already stays once
    report.inferred = sum(map(len, wanted.values()))


def _quads(lines: list[tuple[str, NamedNode]]) -> list[Quad]:
    """(N-Triples line, graph) pairs as quads."""
    by_graph: dict[NamedNode, list[str]] = {}
    for line, graph in lines:
        by_graph.setdefault(graph, []).append(line)
    return [Quad(q.subject, q.predicate, q.object, graph) for graph, group in sorted(by_graph.items(), key=lambda item: item[0].value)
            for q in parse("\n".join(group).encode("utf-8"), format=RdfFormat.N_TRIPLES)]


def _gazetteer_triples(model: Model, actor_ids: set[str]):
    return [Triple(*t) for actor_id in sorted(actor_ids) for t in model.actor_triples(actor_id)]


def _write_ntriples(path: Path, triples) -> None:
    """A new file, never written in place: the staged store's ``inferred/`` files
    are hard links to the live store's (store.py)."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(ntriples(triples), encoding="utf-8")
    os.replace(temporary, path)


__all__ = ["build", "BuildReport", "load_document", "GAZETTEER_GRAPH", "ONTOLOGY_GRAPH"]
