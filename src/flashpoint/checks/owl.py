"""OWL reasoning for check: consistency, unsatisfiable classes, and explanations.

- FP-O02: the ontology (bundled + a project's extensions) alone has unsatisfiable
  classes, or is itself inconsistent (FP-O01, pointing at the ontology files).
- FP-O01: a document's module (the ontology, its world-layer triples, and the
  gazetteer actors it names: see flashpoint.reasoner) is inconsistent. Modules
  are reasoned in batches as one disjoint union (one Java start); an
  inconsistent batch is bisected to the documents at fault. For each such
  document a *minimal* set of claims whose world triples are inconsistent
  together is searched (delta debugging over the claims: drop halves, then
  single claims, while the rest stays inconsistent), and the finding names
  those claims (file, line, quote), the individuals involved and the axioms
  (class disjointness, domains and ranges) that clash.
- FP-O03 (warning): no reasoner could run (no Java); nothing was checked.
- FP-O04: documents each consistent alone are inconsistent together (``run``: the
  union of the modules is reasoned first); a minimal set of documents, then of
  their claims, reported at each document involved.

HermiT (the one bundled with owlready2) is asked only what check needs, on its
command line (``reasoner.hermit_ask``: ``-k`` for consistency, ``-U`` for the
unsatisfiable classes of the ontology alone), with unsupported datatypes
ignored (xsd:gYear is outside the OWL 2 datatype map); when HermiT fails (not
when it finds an inconsistency) Pellet, through owlready2, is tried. The runs go
in threads (each waits on its own Java), and ``start`` runs the whole step in the
background while SHACL and the rules run.

Nothing is reasoned again while the modules and the ontology are unchanged: an
inconsistent document keeps its explained finding under its module's hash, the
union its key and findings; cache in ``.flashpoint/check-cache/owl.json``. So
HermiT runs only when some document's world triples (or gazetteer actors) changed.
"""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from pyoxigraph import NamedNode, RdfFormat, Triple, parse
from rdflib.namespace import OWL, RDF, RDFS

from flashpoint.checks.findings import Finding
from flashpoint.checks.kb import KB
from flashpoint.graphs import iri_links, transitive_closure
from flashpoint.reasoner import HermitFailed, batches as make_batches, bisect_failing, hermit_ask, load_world
from flashpoint.vocab import compact

MAX_EXPLANATION_RUNS = 40
BATCH = 400  # documents per reasoner run


class ReasonerUnavailable(Exception):
    pass


@dataclass
class Outcome:
    consistent: bool
    unsatisfiable: list[str]
    engine: str


def run_reasoner(ontology_nt: str, modules: list[list[Triple]] | str, want_classes: bool = False) -> Outcome:
    """Is the disjoint union of ``modules`` (or the one module given as N-Triples text) consistent
    with the ontology? HermiT, Pellet as the fallback."""
    errors = []
    try:
        consistent, unsat = hermit_ask(ontology_nt, modules, unsatisfiable=want_classes)
        return Outcome(consistent, unsat, "hermit")
    except HermitFailed as err:
        errors.append(f"hermit: {err}")
    import owlready2

    world = None
    try:
        if isinstance(modules, str):
            modules = [[Triple(q.subject, q.predicate, q.object) for q in parse(modules.encode("utf-8"), format=RdfFormat.N_TRIPLES)]]
        world = load_world(ontology_nt, modules)
        try:
            owlready2.sync_reasoner_pellet(world, infer_property_values=False, infer_data_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return Outcome(False, [], "pellet")
        unsat = []
        if want_classes:
            unsat = sorted(c.iri for c in world.inconsistent_classes() if getattr(c, "iri", None) and c.iri != str(OWL.Nothing))
        return Outcome(True, unsat, "pellet")
    except Exception as err:  # a Java or parse failure
        errors.append(f"pellet: {type(err).__name__}: {str(err).strip().splitlines()[-1] if str(err).strip() else ''}"[:300])
    finally:
        if world is not None:
            world.close()
    raise ReasonerUnavailable("; ".join(errors))


class Cache:
    def __init__(self, kb: KB):
        self.path = kb.project.root / ".flashpoint" / "check-cache" / "owl.json"
        # not a hash of the ontology's N-Triples: its blank nodes are labelled anew at every parse, so that
        # hash changed at every run and the cache never hit; the files (and version) it comes from
        from flashpoint.checks.cache import code_fingerprint

        self.base = hashlib.sha256((kb.model.fingerprint() + code_fingerprint()).encode()).hexdigest()  # type: ignore[union-attr]
        self.ontology_inconsistent = False
        try:
            data = json.loads(self.path.read_text())
            self.entries = data["documents"] if data.get("base") == self.base else {}
            self.unsat = data.get("unsatisfiable") if data.get("base") == self.base else None
            self.ontology_inconsistent = data.get("base") == self.base and bool(data.get("ontology_inconsistent"))
            # inconsistent documents: their explained finding, under their module's hash
            self.explained = data.get("explained", {}) if data.get("base") == self.base else {}
            # the union of the other documents: its key and its findings across documents
            self.union = data.get("union", {}) if data.get("base") == self.base else {}
        except (OSError, ValueError, KeyError):
            self.entries, self.unsat, self.explained, self.union = {}, None, {}, {}

    @staticmethod
    def module_hash(kb: KB, slug: str) -> str:
        """What decides a document's module: its world triples (N-Triples lines, in any order) and
        the gazetteer actors it names (whose triples are in the base's model)."""
        digest = hashlib.sha256("\n".join(sorted(kb.doc_world_nt.get(slug, "").splitlines())).encode())
        for actor_id in sorted(kb.doc_gazetteer.get(slug, ())):
            digest.update(b"\0" + actor_id.encode())
        return digest.hexdigest()

    @staticmethod
    def union_key(slugs: list[str], hashes: dict[str, str]) -> str:
        return hashlib.sha256("\n".join(f"{slug} {hashes[slug]}" for slug in sorted(slugs)).encode()).hexdigest()

    def save(self, consistent: dict[str, str], unsat: list[str] | None, ontology_inconsistent: bool = False,
             explained: dict[str, dict] | None = None, union: dict | None = None) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps({"base": self.base, "documents": consistent, "unsatisfiable": unsat,
                                             "ontology_inconsistent": ontology_inconsistent, "explained": explained or {},
                                             "union": union or {}}, sort_keys=True))
        except OSError:
            pass  # a read-only checkout: no cache, same findings


def run(kb: KB, use_cache: bool = True, jobs: int | None = None) -> list[Finding]:
    """FP-O01/O02/O03/O04. The union of every document's module is reasoned first (facts about
    one individual from several documents combine there, as in one plain HermiT run over the
    KB); when it is consistent, so is each module in it, and that one run is all. When it is not,
    the changed documents are reasoned module by module (batches, bisected) to find those
    inconsistent on their own (FP-O01), and what remains inconsistent only together is narrowed
    to a minimal set of documents and claims (FP-O04, reported at each file involved)."""
    from flashpoint.checks import cache as cache_module

    assert kb.model is not None
    cache = Cache(kb)
    findings: list[Finding] = []
    n_jobs = cache_module.job_count(jobs)
    if use_cache and cache.ontology_inconsistent:
        return [_ontology_inconsistent(kb)]
    try:
        slugs = sorted(slug for slug in kb.doc_world_nt if kb.doc_world_nt[slug])
        hashes = {slug: Cache.module_hash(kb, slug) for slug in slugs}
        # a document inconsistent on its own and unchanged keeps its explained finding, no HermiT run
        known_bad = {s: cache.explained[s]["finding"] for s in slugs
                     if use_cache and cache.explained.get(s, {}).get("hash") == hashes[s]}
        candidates = [s for s in slugs if s not in known_bad]
        union_key = Cache.union_key(candidates, hashes)
        union_known = use_cache and cache.union.get("key") == union_key
        modules = _Modules(kb)

        # the ontology alone (its unsatisfiable classes) and the union, at the same time
        runs: list[list[str] | None] = [] if use_cache and cache.unsat is not None else [None]
        if candidates and not union_known:
            runs.append(candidates)
        # serialised only when something is reasoned: a check with nothing new to reason needs none
        ontology_nt = _ontology_nt(kb) if runs else ""
        outcomes = _reason_all(ontology_nt, runs, modules, n_jobs)
        if runs and runs[0] is None:
            if not outcomes[0].consistent:
                cache.save({}, None, ontology_inconsistent=True)
                return [_ontology_inconsistent(kb)]
            unsat = outcomes[0].unsatisfiable
        else:
            unsat = cache.unsat
        for iri in unsat:
            f = Finding("FP-O02", "error", f"The class {compact(iri)} is unsatisfiable: the ontology's axioms leave it no possible member.", check="owl")
            findings.append(kb.locate(f, iri))

        bad: list[str] = []
        across: list[dict] = cache.union.get("findings", []) if union_known else []
        if runs and runs[-1] is not None and not outcomes[-1].consistent:
            # which changed documents are inconsistent on their own (the others were consistent before)
            todo = [s for s in candidates if not (use_cache and cache.entries.get(s) == hashes[s])]
            batches = make_batches(todo, max(1, min(BATCH, -(-len(todo) // n_jobs))))
            for batch, outcome in zip(batches, _reason_all(ontology_nt, batches, modules, n_jobs, together=False)):
                if not outcome.consistent:
                    bad += _inconsistent(ontology_nt, batch, modules, known_inconsistent=True)
            rest = [s for s in candidates if s not in bad]
            if rest and (not bad or not run_reasoner(ontology_nt, modules.union(rest)).consistent):
                across = [f.to_json() for f in _explain_across(kb, ontology_nt, rest, modules)]
            union_key = Cache.union_key(rest, hashes)

        explained: dict[str, dict] = {}
        for slug in sorted(known_bad):
            findings.append(Finding(**known_bad[slug]))
            explained[slug] = {"hash": hashes[slug], "finding": known_bad[slug]}
        for slug in bad:
            finding = _explain(kb, ontology_nt, slug)
            findings.append(finding)
            explained[slug] = {"hash": hashes[slug], "finding": finding.to_json()}
        findings += [Finding(**f) for f in across]
        good = {s: hashes[s] for s in slugs if s not in bad and s not in known_bad}
        cache.save(good, unsat, explained=explained, union={"key": union_key, "findings": across})
    except ReasonerUnavailable as err:
        findings.append(Finding("FP-O03", "warning", f"No OWL reasoner could run, so consistency was not checked: {err}", check="owl"))
    return findings


class _Modules(dict):
    """Document modules, parsed once per check when first needed; and unions of them."""

    def __init__(self, kb: KB):
        super().__init__()
        self.kb = kb

    def __missing__(self, slug: str) -> list[Triple]:
        self[slug] = self.kb.module(slug)
        return self[slug]

    def union(self, slugs: list[str]) -> str:
        """One module of every triple of ``slugs``' modules, as N-Triples: an individual several
        documents name is one individual here, so their facts about it meet. Written from the
        documents' N-Triples as they are: one module needs no renaming, nor parsing."""
        kb = self.kb
        assert kb.model is not None
        actors = sorted({actor_id for slug in slugs for actor_id in kb.doc_gazetteer.get(slug, ())})
        actor_lines = [f"{Triple(*t)} .\n" for actor_id in actors for t in kb.model.actor_triples(actor_id)]
        return "".join(kb.doc_world_nt.get(slug, "") for slug in slugs) + "".join(actor_lines)


def _reason_all(ontology_nt: str, runs: list, modules: _Modules, n_jobs: int, together: bool = True) -> list[Outcome]:
    """One reasoner run per item of ``runs``, in parallel. An item is None (the ontology alone,
    with its unsatisfiable classes) or a list of documents: their union when ``together`` (their
    facts meet), else the disjoint union of their modules (is any inconsistent on its own?)."""
    def task(run):
        try:
            if run is None:
                return run_reasoner(ontology_nt, [], want_classes=True)
            return run_reasoner(ontology_nt, modules.union(run) if together else [modules[s] for s in run])
        except ReasonerUnavailable as err:
            return err

    outcomes = _thread_map(task, runs, n_jobs)
    for outcome in outcomes:
        if isinstance(outcome, ReasonerUnavailable):
            raise outcome
    return outcomes


def start(kb: KB, use_cache: bool = True, jobs: int | None = None) -> Future:
    """``run`` in a background thread: the work is in the Java processes, so check's SHACL and
    rules (Python and pyoxigraph) go on meanwhile; ``.result()`` gives the findings."""
    executor = ThreadPoolExecutor(1, thread_name_prefix="flashpoint-owl")
    future = executor.submit(run, kb, use_cache, jobs)
    executor.shutdown(wait=False)
    return future


def _thread_map(task, items: list, n_jobs: int) -> list:
    """``[task(x) for x in items]`` with up to ``n_jobs`` at once, in threads: each task waits on its
    own Java process, so threads use the cores without forking a process that holds the store."""
    if n_jobs <= 1 or len(items) <= 1:
        return [task(x) for x in items]
    with ThreadPoolExecutor(min(n_jobs, len(items)), thread_name_prefix="flashpoint-hermit") as pool:
        return list(pool.map(task, items))


def _ontology_nt(kb: KB) -> str:
    """The ontology as N-Triples, without owl:imports: every imported file is already in it, and
    owlready2 tries to download an import it has not parsed yet (which depends on triple order)."""
    nt = kb.model.ontology_ntriples  # type: ignore[union-attr]
    return "".join(line for line in nt.splitlines(keepends=True) if "<http://www.w3.org/2002/07/owl#imports>" not in line)


def _inconsistent(ontology_nt: str, slugs: list[str], modules: dict[str, list[Triple]], known_inconsistent: bool = False) -> list[str]:
    """The documents among ``slugs`` whose modules are inconsistent (bisection)."""
    return bisect_failing(slugs, lambda part: not run_reasoner(ontology_nt, [modules[s] for s in part]).consistent, known_inconsistent)


def _ontology_inconsistent(kb: KB) -> Finding:
    files = [kb.rel(p) for p in kb.model.ontology_paths]  # type: ignore[union-attr]
    f = Finding("FP-O01", "error", "The ontology itself (with the project's extension files) is inconsistent.", check="owl", details=[f"ontology file: {x}" for x in files])
    f.file, f.line = (files[-1], 1) if files else (None, None)
    return f


def _explain(kb: KB, ontology_nt: str, slug: str) -> Finding:
    claims = [c for c in kb.doc_claims.get(slug, []) if kb.claims[c].world]
    budget = [MAX_EXPLANATION_RUNS]

    def inconsistent(subset: list[str]) -> bool:
        if budget[0] <= 0:
            raise TimeoutError
        budget[0] -= 1
        return not run_reasoner(ontology_nt, [kb.module(slug, subset)]).consistent

    minimal, complete = claims, True
    try:
        minimal = _ddmin(claims, inconsistent)
    except TimeoutError:
        complete = False
    triples = sorted({t for c in minimal for t in kb.claims[c].world} | set(kb.module(slug, [])), key=str)
    axioms = _clashes(kb, triples)
    lines = sorted(minimal, key=lambda c: kb.claims[c].line)
    first = lines[0] if lines else None
    what = f"these {len(lines)} claims cannot all hold" if len(lines) != 1 else "this claim cannot hold"
    message = f"The document's claims contradict the ontology (OWL inconsistency): {what}."
    if axioms:
        message += " " + axioms[0]
    details = [f"claim at line {kb.claims[c].line}: {kb.claims[c].quote!r}" for c in lines]
    details += axioms[1:]
    individuals = sorted({t.subject.value for c in minimal for t in kb.claims[c].world})
    details.append("individuals involved: " + ", ".join(compact(i) for i in individuals))
    if not complete:
        details.append(f"(explanation search stopped after {MAX_EXPLANATION_RUNS} reasoner runs: the set may not be minimal)")
    f = Finding("FP-O01", "error", message, check="owl", details=details)
    if first:
        kb.claim_finding(f, first, "subject")
        info = kb.claims[first]
        f.subject = next((t.subject.value for t in info.world if t.predicate.value != str(RDF.type)), None)
    else:
        f.file, f.line = kb.doc_files.get(slug), 1
    return f


def _explain_across(kb: KB, ontology_nt: str, slugs: list[str], modules: _Modules) -> list[Finding]:
    """FP-O04: documents each consistent on their own, inconsistent together. A minimal set of
    documents, then a minimal set of their claims (delta debugging, as ``_explain``); one finding
    at each document involved, naming the claims of all of them."""
    complete = [True]

    def within_budget(test):
        budget = [MAX_EXPLANATION_RUNS]

        def inconsistent(items: list[str]) -> bool:
            if budget[0] <= 0:  # keep what was found so far: stop reducing
                complete[0] = False
                return False
            budget[0] -= 1
            return test(items)
        return inconsistent

    documents = _ddmin(slugs, within_budget(lambda docs: not run_reasoner(ontology_nt, modules.union(docs)).consistent))
    actors = [t for slug in documents for t in kb.module(slug, [])]
    claims = [c for slug in documents for c in kb.doc_claims.get(slug, []) if kb.claims[c].world]

    def claims_module(subset: list[str]) -> list[Triple]:
        return list(dict.fromkeys([t for c in subset for t in kb.claims[c].world] + actors))

    minimal = _ddmin(claims, within_budget(lambda subset: not run_reasoner(ontology_nt, [claims_module(subset)]).consistent))
    axioms = _clashes(kb, sorted(set(claims_module(minimal)), key=str))
    ordered = sorted(minimal, key=lambda c: (kb.claims[c].file, kb.claims[c].line))
    involved = [slug for slug in documents if any(kb.claims[c].doc == slug for c in minimal)]
    files = [kb.doc_files.get(slug, slug) for slug in involved]
    message = (f"Claims of {len(involved)} documents contradict the ontology together (OWL inconsistency across "
               f"documents; each document alone is consistent): {', '.join(files)}.")
    if axioms:
        message += " " + axioms[0]
    details = [f"{kb.claims[c].file}:{kb.claims[c].line}: {kb.claims[c].quote!r}" for c in ordered] + axioms[1:]
    individuals = sorted({t.subject.value for c in minimal for t in kb.claims[c].world})
    details.append("individuals involved: " + ", ".join(compact(i) for i in individuals))
    if not complete[0]:
        details.append(f"(explanation search stopped after {MAX_EXPLANATION_RUNS} reasoner runs per step: the sets may not be minimal)")
    found = []
    for slug in involved:
        first = next(c for c in ordered if kb.claims[c].doc == slug)
        f = Finding("FP-O04", "error", message, check="owl", details=list(details))
        kb.claim_finding(f, first, "subject")
        f.subject = next((t.subject.value for t in kb.claims[first].world if t.predicate.value != str(RDF.type)), None)
        found.append(f)
    return found


def _ddmin(items: list[str], inconsistent) -> list[str]:
    """A 1-minimal subset of ``items`` that is still inconsistent (Zeller's delta debugging)."""
    n = 2
    while len(items) >= 2:
        size = max(1, len(items) // n)
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        reduced = False
        for chunk in chunks:
            rest = [x for x in items if x not in chunk]
            if rest and inconsistent(rest):
                items, n, reduced = rest, max(n - 1, 2), True
                break
        if not reduced:
            if n >= len(items):
                break
            n = min(len(items), n * 2)
    return items


def _clashes(kb: KB, triples: list[Triple]) -> list[str]:
    """Plain-language axioms behind a clash: an individual whose types (asserted, or from a
    property's domain or range) include two disjoint classes; two individuals related by two
    disjoint properties."""
    import rdflib

    graph = kb.model.graph  # type: ignore[union-attr]
    class_supers = transitive_closure(iri_links(graph, RDFS.subClassOf))
    property_supers = transitive_closure(iri_links(graph, RDFS.subPropertyOf))

    def ancestors(cls: str) -> set[str]:
        return class_supers.get(cls, {cls})

    def named(node) -> list[str]:
        return [str(node)] if isinstance(node, rdflib.URIRef) else []

    def prop_supers(p: str) -> set[str]:
        return property_supers.get(p, {p})

    reasons: dict[str, dict[str, str]] = {}  # individual → class → why
    for t in triples:
        s, p = t.subject.value, t.predicate.value
        if p == str(RDF.type):
            reasons.setdefault(s, {}).setdefault(t.object.value, f"{compact(s)} is typed {compact(t.object.value)}")
            continue
        for q in prop_supers(p):
            for d in graph.objects(rdflib.URIRef(q), RDFS.domain):
                for c in named(d):
                    reasons.setdefault(s, {}).setdefault(c, f"{compact(s)} is the subject of {compact(p)}, whose domain is {compact(c)}")
            if isinstance(t.object, NamedNode):
                for r in graph.objects(rdflib.URIRef(q), RDFS.range):
                    for c in named(r):
                        reasons.setdefault(t.object.value, {}).setdefault(c, f"{compact(t.object.value)} is the object of {compact(p)}, whose range is {compact(c)}")
    disjoint: set[tuple[str, str]] = set()
    for d in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = [str(m) for m in rdflib.collection.Collection(graph, graph.value(d, OWL.members))]
        disjoint |= {(a, b) for a in members for b in members if a != b}
    for a, b in graph.subject_objects(OWL.disjointWith):
        disjoint |= {(str(a), str(b)), (str(b), str(a))}
    out = []
    for individual, why in reasons.items():
        expanded = [(anc, cls) for cls in why for anc in ancestors(cls)]
        for x, cx in expanded:
            for y, cy in expanded:
                if (x, y) in disjoint and x < y:
                    out.append(f"{why[cx]}; {why[cy]}; {compact(x)} and {compact(y)} are disjoint.")
    return sorted(set(out) | set(_property_clashes(graph, triples, prop_supers)))


def _property_clashes(graph, triples: list[Triple], prop_supers) -> list[str]:
    """Two individuals related by two properties the ontology declares disjoint
    (owl:propertyDisjointWith, owl:AllDisjointProperties), each possibly through a sub-property."""
    import rdflib

    disjoint: set[tuple[str, str]] = {(str(a), str(b)) for a, b in graph.subject_objects(OWL.propertyDisjointWith)}
    for d in graph.subjects(RDF.type, OWL.AllDisjointProperties):
        members = [str(m) for m in rdflib.collection.Collection(graph, graph.value(d, OWL.members))]
        disjoint |= {(a, b) for a in members for b in members if a != b}
    disjoint |= {(b, a) for a, b in disjoint}
    by_pair: dict[tuple[str, str], set[str]] = {}
    for t in triples:
        if isinstance(t.object, NamedNode) and t.predicate.value != str(RDF.type):
            by_pair.setdefault((t.subject.value, t.object.value), set()).add(t.predicate.value)
    out = []
    for (s, o), used in by_pair.items():
        for p in used:
            for q in used:
                for x in prop_supers(p):
                    for y in prop_supers(q):
                        if (x, y) in disjoint and x < y:
                            out.append(f"{compact(s)} {compact(p)} {compact(o)} and {compact(s)} {compact(q)} {compact(o)}; "
                                       f"{compact(x)} and {compact(y)} are disjoint properties.")
    return out
