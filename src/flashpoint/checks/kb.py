"""The knowledge base as `flashpoint check` sees it: built in memory from kb/.

Check must run on a fresh clone (no store), and it must report *every*
defect with its file and line rather than stop at the first. It loads each
document with the loader the build uses (``loaders/document.py``), collecting
every error instead of stopping at the first, and puts exactly the quads the
build would store into an in-memory store (a scratch build, so build and check
cannot disagree), with an index from every claim IRI, term and world-layer
triple back to the claims-file line that produced it.

A claim that cannot be resolved (unknown predicate, class, actor or policy
option) is a finding and is left out, as the build would refuse it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
import queue
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import rdflib
from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, Store, Triple, parse, serialize

from flashpoint import hypothetical
from flashpoint.checks import cache, provenance
from flashpoint.checks.findings import Finding
from flashpoint.claim_layer import CLAIM_KEY_OF as CLAIM_KEYS  # claim-layer property → claims-file key
from flashpoint.errors import CollectAll, InputError
from flashpoint.loaders import document as document_loader
from flashpoint.model import Model, load_model
from flashpoint.project import Project
from flashpoint.vocab import DCTERMS, FP, FPID, GAZETTEER_GRAPH, GRAPH_BASE, ONTOLOGY_GRAPH, doc_graph, ontology_files

EXTENSION_GRAPH_PREFIX = GRAPH_BASE + "ontology/"  # one graph per project extension file (check only)
PROJECT_GAZETTEER_GRAPH = NamedNode(GRAPH_BASE + "gazetteer/project")  # the project's kb/gazetteer.yaml (check only)


@dataclass
class ClaimInfo:
    iri: str
    doc: str  # document slug
    file: str  # claims file, relative to the project
    line: int
    lines: dict[str, int]
    quote: str
    sentence: str | None
    predicate: str
    world_nt: str  # the world-layer triples this claim puts in (descriptions + asserted), as N-Triples

    def line_of(self, key: str | None) -> int:
        return self.lines.get(key, self.line) if key else self.line

    @cached_property
    def world(self) -> list[Triple]:
        # parsed when asked (OWL explanations): most checks never need it, and parsing every
        # claim's triples was a third of loading a 100k-quad KB from the cache
        return _triples(self.world_nt)


@dataclass
class KB:
    project: Project
    model: Model | None
    store: Store = field(default_factory=Store)
    findings: list[Finding] = field(default_factory=list)
    claims: dict[str, ClaimInfo] = field(default_factory=dict)
    term_claims: dict[str, dict[str, None]] = field(default_factory=dict)  # IRI → claims that name it (an ordered set)
    triple_claims: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    doc_world_nt: dict[str, str] = field(default_factory=dict)  # slug → world triples (OWL module), N-Triples
    doc_gazetteer: dict[str, set[str]] = field(default_factory=dict)  # slug → gazetteer actor ids
    doc_claims: dict[str, list[str]] = field(default_factory=dict)  # slug → claim IRIs in file order
    doc_files: dict[str, str] = field(default_factory=dict)  # slug → claims file
    graph_files: dict[str, str] = field(default_factory=dict)  # graph IRI → file
    # a document's graph → the hash of its content, computed when the document was loaded (and
    # cached with it), so that finding what changed reads no graph; and those with blank nodes.
    # For the store as loaded: code that changes a document graph in place drops its hash.
    graph_hashes: dict[str, str] = field(default_factory=dict)
    blank_graphs: set[str] = field(default_factory=set)
    extension_graphs: dict[str, rdflib.Graph] = field(default_factory=dict)
    _file_text: dict[str, list[str]] = field(default_factory=dict)

    # ------------------------------------------------------------ paths

    def rel(self, path: Path | str) -> str:
        return provenance.relative(self.project.root, path)  # type: ignore[return-value]

    def _lines(self, file: str) -> list[str]:
        if file not in self._file_text:
            path = Path(file) if Path(file).is_absolute() else self.project.root / file
            try:
                self._file_text[file] = path.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                self._file_text[file] = []
        return self._file_text[file]

    def find_line(self, file: str, patterns: list[str]) -> int | None:
        """The first line containing one of ``patterns`` (tried in order; a pattern ending in $ is a
        whole line, one starting with ^ begins the line)."""
        for pattern in patterns:
            for number, text in enumerate(self._lines(file), 1):
                if text.lstrip().startswith("#"):
                    continue
                if pattern.endswith("$"):
                    hit = text.strip() == pattern[:-1]
                elif pattern.startswith("^"):
                    hit = text.lstrip().startswith(pattern[1:])
                else:
                    hit = pattern in text
                if hit:
                    return number
        return None

    # ------------------------------------------------------------ locating findings

    def claim_finding(self, finding: Finding, claim_iri: str, key: str | None = None) -> Finding:
        info = self.claims[claim_iri]
        finding.file, finding.line = info.file, info.line_of(key)
        finding.claim, finding.quote, finding.sentence = info.iri, info.quote, info.sentence
        return finding

    def locate(self, finding: Finding, subject: str | None, predicate: str | None = None, obj: str | None = None,
               graph: str | None = None, key: str | None = None) -> Finding:
        """Point ``finding`` at the claims file line (or ontology / gazetteer line) behind a node or triple.

        ``subject``, ``predicate`` and ``obj`` are IRIs (no angle brackets) or
        N-Triples literals; ``key`` is the claims-file key to point at when
        ``subject`` is a claim.
        """
        finding.subject = finding.subject or subject
        if subject in self.claims:
            return self.claim_finding(finding, subject, key or CLAIM_KEYS.get(predicate or ""))
        if subject and predicate and obj is not None:
            claims = self.triple_claims.get((subject, predicate, obj))
            if claims:
                return self.claim_finding(finding, self._first(claims), "object")
        if graph and graph.startswith(EXTENSION_GRAPH_PREFIX):
            return self._in_turtle(finding, self.graph_files[graph], subject)
        if graph in (GAZETTEER_GRAPH.value, PROJECT_GAZETTEER_GRAPH.value) and subject and subject.startswith(FPID + "actor/"):
            file = self.graph_files[graph]
            line = self.find_line(file, [f"- id: {subject[len(FPID + 'actor/'):]}$"])
            if line:
                finding.file, finding.line = file, line
                return finding
        if subject in self.term_claims:
            return self.claim_finding(finding, self._first(self.term_claims[subject]), "subject")
        if subject and subject.startswith(FPID + "doc/"):
            slug = subject[len(FPID + "doc/"):]
            if slug in self.doc_files:
                finding.file = self.doc_files[slug]
                finding.line = self.find_line(finding.file, [f"{_claim_file_key(predicate)}:"]) or 1
                return finding
        if subject and subject.startswith(FPID + "actor/") and self.model is not None:
            actor_id = subject[len(FPID + "actor/"):]
            for source in reversed(self.model.gazetteer.sources):
                file = self.rel(source)
                line = self.find_line(file, [f"- id: {actor_id}$"])
                if line:
                    finding.file, finding.line = file, line
                    return finding
        for graph_iri, file in self.graph_files.items():
            if graph_iri.startswith(EXTENSION_GRAPH_PREFIX) and subject and (rdflib.URIRef(subject), None, None) in self.extension_graphs[graph_iri]:
                return self._in_turtle(finding, file, subject)
        if subject and subject.startswith(FP) and self.model is not None:
            for path in self.model.ontology_paths:
                file = self.rel(path)
                line = self.find_line(file, [f"fp:{subject[len(FP):]}\n", f"fp:{subject[len(FP):]} "])
                if line:
                    finding.file, finding.line = file, line
                    return finding
        return finding

    def _in_turtle(self, finding: Finding, file: str, subject: str | None) -> Finding:
        finding.file = file
        patterns = []
        if subject:
            patterns.append(f"<{subject}>")
            for prefix, ns in (("fpid:", FPID), ("fp:", FP)):
                if subject.startswith(ns):
                    local = subject[len(ns):]
                    patterns += [prefix + local, prefix + local.replace("/", "\\/")]
        finding.line = self.find_line(file, ["^" + p for p in patterns] + patterns) or 1
        return finding

    def _first(self, claims: Iterable[str]) -> str:
        return min(claims, key=lambda c: (self.claims[c].file, self.claims[c].line))

    # ------------------------------------------------------------ data for the checks

    def union_ntriples(self) -> bytes:
        """All triples of all graphs (documents, gazetteer, ontology), as N-Triples, for SHACL."""
        triples = {Triple(q.subject, q.predicate, q.object) for q in self.store}
        return serialize(triples, format=RdfFormat.N_TRIPLES) or b""

    def world_triples(self, slug: str) -> list[Triple]:
        """The world-layer triples of a document (parsed on demand)."""
        return _triples(self.doc_world_nt.get(slug, ""))

    def module(self, slug: str, claims: list[str] | None = None) -> list[Triple]:
        """A document's OWL module: its world triples (or only those of ``claims``) + its gazetteer actors."""
        if claims is None:
            world = self.world_triples(slug)
        else:
            world = sorted({t for c in claims for t in self.claims[c].world}, key=str)
        ids = self.doc_gazetteer.get(slug, set())
        assert self.model is not None
        return world + [Triple(*t) for actor_id in sorted(ids) for t in self.model.actor_triples(actor_id)]


def _claim_file_key(predicate: str | None) -> str:
    return {FP + "sha256": "sha256", DCTERMS + "title": "title", DCTERMS + "source": "source"}.get(predicate or "", "document")


# ---------------------------------------------------------------- loading


def load_kb(project: Project, use_cache: bool = True, jobs: int | None = None,
            on_indexed: Callable[[KB], None] | None = None) -> KB:
    """Read kb/ (and the project's ontology extensions and gazetteer) into memory, with provenance findings.

    Each document is loaded on its own (``load_document``), so that a document
    whose inputs are unchanged comes from ``.flashpoint/check-cache/load/`` and
    the others are loaded by a pool of ``jobs`` processes (see ``cache.py``);
    the KB is the same either way. ``on_indexed`` is called with the KB once every claim is in its
    indexes (and every document's world triples are known), before its store is complete.
    """
    try:
        model = load_model(project)
    except InputError as err:  # whatever broke, it is the ontology or the gazetteer
        kb = KB(project, None)
        kb.findings.append(Finding("FP-P12", "error", err.message, kb.rel(err.path) if err.path else None, err.line, check="provenance"))
        return kb
    kb = KB(project, model)
    quads = _ontology_quads(kb, model) + _gazetteer_quads(kb, model)
    documents = project.documents()
    kb.findings += provenance.project_findings(project, documents)
    _load_documents(kb, model, documents, use_cache, jobs, on_indexed)
    kb.store.bulk_extend(quads)
    hypothetical.mark(kb.store)  # fp:hypothetical over the whole KB, as the build marks it
    return kb


def _ontology_quads(kb: KB, model: Model) -> list[Quad]:
    """The bundled ontology files in one graph, each project extension in its own (to find its lines)."""
    bundled = set(ontology_files())
    # the bundled files are known-good Turtle: pyoxigraph's parser (a hundredth of rdflib's time)
    quads = [Quad(q.subject, q.predicate, q.object, ONTOLOGY_GRAPH) for path in model.ontology_paths if path in bundled
             for q in parse(path=str(path), format=RdfFormat.TURTLE)]
    kb.graph_files[ONTOLOGY_GRAPH.value] = kb.rel(model.ontology_paths[0]) if model.ontology_paths else ""
    for path in model.ontology_paths:
        if path not in bundled:
            ext = rdflib.Graph().parse(path, format="turtle")
            iri = EXTENSION_GRAPH_PREFIX + path.name
            kb.extension_graphs[iri] = ext
            kb.graph_files[iri] = kb.rel(path)
            quads += _rdflib_quads(ext, NamedNode(iri))
    return quads


def _gazetteer_quads(kb: KB, model: Model) -> list[Quad]:
    """The gazetteer graph; the project's own actors in a graph of their own (to find their lines)."""
    project = kb.project
    project_ids = _project_gazetteer_ids(project)
    quads = []
    for q in model.gazetteer_quads():
        local = isinstance(q.subject, NamedNode) and q.subject.value.startswith(FPID + "actor/") and q.subject.value[len(FPID + "actor/"):] in project_ids
        quads.append(Quad(q.subject, q.predicate, q.object, PROJECT_GAZETTEER_GRAPH) if local else q)
    kb.graph_files[GAZETTEER_GRAPH.value] = kb.rel(model.gazetteer.sources[0]) if model.gazetteer.sources else ""
    if project_ids:
        kb.graph_files[PROJECT_GAZETTEER_GRAPH.value] = kb.rel(project.gazetteer_file)
    return quads


def _load_documents(kb: KB, model: Model, documents: dict[str, Path], use_cache: bool, jobs: int | None,
                    on_indexed: Callable[[KB], None] | None) -> None:
    """Every document into ``kb``: from ``.flashpoint/check-cache/load/`` when its inputs are
    unchanged (``load_document``'s result under a key of its inputs), else loaded again (by a pool
    of ``jobs`` processes when there are several) and cached.

    One document at a time: its claims go into the indexes and its N-Quads to a thread that fills
    the store (pyoxigraph parses without the GIL), and nothing else of it is kept. At a million
    quads, holding every document's data until the end took 0.5 GB more."""
    project = kb.project
    folder = cache.cache_dir(project.root, "load")
    model_inputs = model.fingerprint()  # the ontology with the project's extensions, the gazetteer with its actors
    keys = {}
    for slug, doc_path in documents.items():
        claims_path = project.claims_file_for(slug)
        keys[slug] = cache.memo_key("load_document", model_inputs, slug, str(doc_path), str(claims_path),
                                    cache.file_bytes(doc_path), cache.file_bytes(claims_path))
    cached = [slug for slug in documents if use_cache and cache.holds(folder / f"{slug}.json", keys[slug])]
    changed = sorted(set(documents) - set(cached))

    def load(slug: str) -> dict:
        return load_document(project, model, slug, documents[slug])

    # the workers are forked before the thread starts (see cache.worker_pool)
    with cache.worker_pool(load, len(changed), cache.job_count(jobs)) as load_all, _StoreFiller(kb.store) as filler:
        for slug in cached:
            data = cache.read(folder / f"{slug}.json", keys[slug])
            if data is None:  # unreadable after all: loaded here
                data = load(slug)
                cache.write(folder / f"{slug}.json", keys[slug], data)
            _take_document(kb, slug, data, filler)
        for slug, data in zip(changed, load_all(changed)):
            if use_cache:
                cache.write(folder / f"{slug}.json", keys[slug], data)
            _take_document(kb, slug, data, filler)
        if on_indexed is not None:  # while the thread still fills the store
            on_indexed(kb)


def _take_document(kb: KB, slug: str, data: dict, filler: _StoreFiller) -> None:
    _merge_document(kb, slug, data)
    for graph, about in data.get("graphs", {}).items():
        kb.graph_hashes[graph] = about["hash"]
        if about["blank"]:
            kb.blank_graphs.add(graph)
    filler.add(data.get("quads", ""))


class _StoreFiller:
    """Adds N-Quads texts to a store from a thread: one transaction for what is waiting, up to a
    few megabytes, so that the store keeps up with the reader without one huge joined copy of
    every text (0.5 GB at a million quads); ``with`` waits for it and raises what it raised."""

    CHUNK = 8 << 20  # characters

    def __init__(self, store: Store):
        self.store = store
        self.texts: queue.Queue[str | None] = queue.Queue()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._fill, name="flashpoint-store", daemon=True)

    def __enter__(self) -> _StoreFiller:
        self.thread.start()
        return self

    def add(self, text: str) -> None:
        if text:
            self.texts.put(text)

    def __exit__(self, *exc) -> None:
        self.texts.put(None)
        self.thread.join()
        if self.error is not None and exc[0] is None:
            raise self.error

    def _fill(self) -> None:
        chunk: list[str] = []
        size = 0
        while True:
            text = self.texts.get()
            if text is not None:
                chunk.append(text)
                size += len(text)
            if chunk and (text is None or size >= self.CHUNK or self.texts.empty()):
                try:
                    self.store.load("".join(chunk).encode("utf-8"), format=RdfFormat.N_QUADS)
                except BaseException as err:  # noqa: BLE001 - raised again by __exit__, in the caller's thread
                    self.error = self.error or err
                chunk, size = [], 0
            if text is None:
                return


def load_document(project: Project, model: Model, slug: str, doc_path: Path) -> dict:
    """One document's contribution to the KB, as plain JSON-able data (cached and sent between
    processes): provenance findings, its quads (N-Quads), and its claims with their
    world triples (N-Triples). ``_merge_document`` puts it into a KB."""
    collector = CollectAll()
    loaded = document_loader.load_document(project, model, slug, doc_path, collector)
    findings = provenance.document_findings(project, slug, doc_path, loaded, collector.problems)
    data = {"findings": [f.to_json() for f in findings], "loaded": loaded is not None}
    if loaded is not None:
        data.update(_claim_index(project, loaded))
    return data


def _claim_index(project: Project, loaded: document_loader.LoadedDocument) -> dict:
    """The loaded document as JSON: its quads, and per claim where it is written, what it puts in
    the world layer and the index keys for it (so that merging it is dictionary work, no parsing)."""
    rdf = loaded.rdf
    claims = [{"iri": c.iri.value, "line": c.claim.line, "lines": dict(c.claim.lines), "quote": c.claim.quote,
               "sentence": loaded.sentence_of(c.claim), "predicate": c.claim.predicate, "world": _nt(c.world),
               "triples": [[t.subject.value, t.predicate.value, _term_key(t.object)] for t in c.world],
               "names": sorted({term.value for t in c.world for term in (t.subject, t.object) if isinstance(term, NamedNode)}
                               | {term.value for term in (c.subject, c.object) if isinstance(term, NamedNode)})}
              for c in rdf.claims]
    by_graph: dict[str, list[Triple]] = {}
    for q in rdf.quads:
        by_graph.setdefault(q.graph_name.value, []).append(q.triple)
    graphs = {graph: {"hash": _content_hash(triples), "blank": any(isinstance(t, BlankNode) for q in triples for t in (q.subject, q.object))}
              for graph, triples in by_graph.items()}
    return {"file": provenance.relative(project.root, loaded.claims_file.path), "claims": claims, "ids": sorted(rdf.gazetteer_ids),
            "world": _nt(rdf.world), "graphs": graphs, "quads": (serialize(rdf.quads, format=RdfFormat.N_QUADS) or b"").decode("utf-8")}


def _content_hash(triples: list[Triple]) -> str:
    """A graph's content as SHACL's memo compares it: sorted N-Triples lines, hashed."""
    lines = sorted((serialize(triples, format=RdfFormat.N_TRIPLES) or b"").splitlines())
    return hashlib.sha256(b"\n".join(lines)).hexdigest()


def _nt(triples) -> str:
    return (serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode("utf-8")


def _triples(text: str) -> list[Triple]:
    return [Triple(q.subject, q.predicate, q.object) for q in parse(text, format=RdfFormat.N_TRIPLES)] if text else []


def _merge_document(kb: KB, slug: str, data: dict) -> None:
    """Put one document's data (``load_document``) into ``kb``, but for its quads (``_StoreFiller``)."""
    kb.findings += [Finding(**f) for f in data["findings"]]
    if not data["loaded"]:
        return
    file = data["file"]
    kb.doc_files[slug] = file
    kb.graph_files[doc_graph(slug).value] = file
    order: list[str] = []
    for c in data["claims"]:
        iri = c["iri"]
        kb.claims[iri] = ClaimInfo(iri, slug, file, c["line"], c["lines"], c["quote"], c["sentence"], c["predicate"], c["world"])
        order.append(iri)
        for key in c["triples"]:
            kb.triple_claims.setdefault(tuple(key), []).append(iri)
        for name in c["names"]:
            kb.term_claims.setdefault(name, {})[iri] = None
    kb.doc_world_nt[slug] = data["world"]
    kb.doc_gazetteer[slug] = set(data["ids"])
    kb.doc_claims[slug] = order


def _project_gazetteer_ids(project: Project) -> set[str]:
    import yaml

    if not project.gazetteer_file.exists():
        return set()
    data = yaml.safe_load(project.gazetteer_file.read_text(encoding="utf-8")) or {}
    return {str(e["id"]) for e in data.get("actors", []) if isinstance(e, dict) and "id" in e}


def _rdflib_quads(graph: rdflib.Graph, name: NamedNode) -> list[Quad]:
    data = graph.serialize(format="nt", encoding="utf-8")
    return [Quad(t.subject, t.predicate, t.object, name) for t in parse(data, format=RdfFormat.N_TRIPLES)]


def _term_key(term) -> str:
    return term.value if isinstance(term, NamedNode) else str(term)


def term_key(term) -> str:
    """The key of a pyoxigraph or rdflib term in KB's indexes: the IRI, or the N-Triples form of a literal."""
    if isinstance(term, (NamedNode, rdflib.URIRef)):
        return str(term.value if isinstance(term, NamedNode) else term)
    if isinstance(term, rdflib.Literal):
        return term.n3()
    return str(term)

