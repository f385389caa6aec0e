"""SHACL validation against ``ontology/shapes.ttl`` (plus a project's ``*.shapes.ttl``).

The data is the union of every graph check loads (documents, gazetteer,
ontology and its extensions), so that ``sh:class`` sees the class hierarchy.
Each result becomes a Finding under the rule id its node shape carries
(``fpc:rule``), pointed at the claims file line behind its focus node.

The engine (chosen by measurement, bench/results/check.md): the shapes are
compiled to SPARQL (``shacl_sparql.py``) and run on the pyoxigraph store that
check already has; a shape the compiler refuses is validated by pyshacl
(``validate``), alone, over the same union. The result set is pyshacl's, term
for term (tests/test_shacl_sparql.py).

Incremental (``run_results``): the results for a focus node X depend only on
R(X): the triples whose subject is X, the triples (·, p, X) for a
``sh:targetObjectsOf`` p, the rdf:type triples of X's values along the
predicates a ``sh:class`` looks at, and the rdfs:subClassOf triples (that is
all the compiled queries read). So after a change, only the focus nodes whose
R(X) may have changed are validated again:

- every named graph is a *unit* with a hash of its (sorted) triples;
  ``.flashpoint/check-cache/shacl-sparql/`` keeps the hashes, the last result
  set, and for each unit the nodes it names (documents) or its triples (the
  small shared graphs that change with documents, e.g. hypothetical-things);
- the nodes N touched by a change are those of a changed document unit (old and
  new) and those of the triples that differ in a changed shared unit; the dirty
  focus nodes are N and every X with (X, p, v), p class-checked, v in N;
- old results of the dirty nodes are dropped and the dirty nodes validated
  again (the queries restricted by ``VALUES ?f``); a change of the shapes, the
  code, the model (ontology, gazetteer), of an rdfs:subClassOf triple, of a
  graph with blank nodes, or a missing cache entry means a full run.
"""

from __future__ import annotations

import hashlib
from dataclasses import astuple, dataclass
from pathlib import Path

import rdflib
import rdflib.collection
from pyoxigraph import NamedNode, Store
from rdflib.namespace import RDF, RDFS, SH

from flashpoint.checks.findings import Finding
from flashpoint.checks.kb import KB, term_key
from flashpoint.checks import shacl_sparql
from flashpoint.vocab import GRAPH_BASE, package_folder

FPC = rdflib.Namespace("https://w3id.org/flashpoint/checks#")
SEVERITIES = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}
DOC_GRAPH_PREFIX = GRAPH_BASE + "doc/"
HYPOTHETICAL_GRAPH_PREFIX = GRAPH_BASE + "hypothetical/"
SUBCLASS = str(RDFS.subClassOf)
FOCUS_BATCH = 2000  # focus nodes per VALUES clause


def shapes_files(project_root: Path | None = None) -> list[Path]:
    files = [package_folder("ontology") / "shapes.ttl"]
    if project_root is not None and (project_root / "ontology").is_dir():
        files += sorted((project_root / "ontology").glob("*.shapes.ttl"))
    return files


def shapes_graph(project_root: Path | None = None) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in shapes_files(project_root):
        graph.parse(path, format="turtle")
    return graph


@dataclass(frozen=True)
class Result:
    """One SHACL validation result: everything that identifies it (for comparisons)."""

    focus: str
    path: str
    value: str
    component: str
    shape_rule: str
    severity: str
    message: str
    source: str  # the source shape (``shacl_sparql.shape_id``: the same in every parse)


def _sort_key(r: Result):
    return (r.focus, r.path, r.value, r.component, r.source)


def validate(data: rdflib.Graph, shapes: rdflib.Graph) -> list[Result]:
    """Plain pyshacl: no inference, core constraints only."""
    import pyshacl

    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False, abort_on_first=False, allow_warnings=True)
    return results_of(report, shapes)


def results_of(report: rdflib.Graph, shapes: rdflib.Graph) -> list[Result]:
    parents = {ps: ns for ns, ps in shapes.subject_objects(SH.property)}
    out = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(r, SH.sourceShape)
        rule = shapes.value(shape, FPC.rule) or shapes.value(parents.get(shape), FPC.rule) if shape is not None else None
        value = report.value(r, SH.value)
        path = report.value(r, SH.resultPath)
        out.append(Result(
            focus=term_key(report.value(r, SH.focusNode)),
            path=path_key(report, path) if path is not None else "",
            value=term_key(value) if value is not None else "",
            component=str(report.value(r, SH.sourceConstraintComponent)),
            shape_rule=str(rule or "FP-S00"),
            severity=SEVERITIES.get(report.value(r, SH.resultSeverity), "error"),
            message=str(report.value(r, SH.resultMessage) or "SHACL constraint violated"),
            source=shacl_sparql.shape_id(shapes, shape) if shape is not None else "",
        ))
    return sorted(set(out), key=_sort_key)


def path_key(graph: rdflib.Graph, path) -> str:
    """A result path as a string that is the same in every parse: the IRI, or a sequence path's
    list (other paths by their description)."""
    if not isinstance(path, rdflib.BNode):
        return term_key(path)
    if (path, RDF.first, None) in graph:
        return "(" + " ".join(path_key(graph, p) for p in rdflib.collection.Collection(graph, path)) + ")"
    return "[" + " ; ".join(sorted(f"{p.n3()} {path_key(graph, o)}" for p, o in graph.predicate_objects(path))) + "]"


def data_graph(kb: KB) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=kb.union_ntriples(), format="nt")
    return graph


def run(kb: KB, use_cache: bool = True, jobs: int | None = None) -> list[Finding]:
    return [finding(kb, r) for r in run_results(kb, use_cache=use_cache, jobs=jobs)]


def finding(kb: KB, r: Result) -> Finding:
    from flashpoint.vocab import compact

    what = compact(r.path) if r.path else ""
    value = f" (value: {compact(r.value) if not r.value.startswith(chr(34)) else r.value})" if r.value else ""
    f = Finding(r.shape_rule, r.severity, f"{r.message}{value}", check="shacl", details=[f"SHACL: {compact(r.focus)} {what} fails {r.component.rsplit('#', 1)[-1]}"])
    return kb.locate(f, r.focus, r.path or None, r.value or None)


# ---------------------------------------------------------------- the compiled engine


def oxi_key(term) -> str:
    """``term_key`` of a pyoxigraph term, as pyshacl's rdflib term would give it (literals through
    rdflib, so that lexical forms are normalised alike)."""
    from pyoxigraph import BlankNode, Literal, NamedNode

    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language).n3()
        if term.datatype.value == str(rdflib.XSD.string):
            return rdflib.Literal(term.value).n3()
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value)).n3()
    if isinstance(term, BlankNode):
        return "_:" + term.value
    return str(term)


def sparql_results(store, compiled: shacl_sparql.CompiledShapes, focus=None) -> list[Result]:
    """The compiled queries' results (all focus nodes, or only ``focus``: pyoxigraph terms)."""
    out: set[Result] = set()
    batches = [None] if focus is None else [focus[i : i + FOCUS_BATCH] for i in range(0, len(focus), FOCUS_BATCH)]
    for batch in batches:
        for q, f, v in shacl_sparql.run_queries(store, compiled, batch):
            out.add(Result(oxi_key(f), q.path, oxi_key(v) if v is not None else "", q.component, q.rule, q.severity, q.message, q.shape))
    return sorted(out, key=_sort_key)


def compiled_results(kb: KB, shapes: rdflib.Graph | None = None) -> list[Result]:
    """Compiled SPARQL over the whole store, pyshacl for the refused shapes: no cache."""
    shapes = shapes if shapes is not None else shapes_graph(kb.project.root)
    compiled = shacl_sparql.compile_shapes(shapes)
    out = sparql_results(kb.store, compiled)
    if compiled.fallback is not None:
        out += validate(data_graph(kb), compiled.fallback)
    return sorted(set(out), key=_sort_key)


def run_results(kb: KB, use_cache: bool = True, jobs: int | None = None, engine: str = "sparql") -> list[Result]:
    """The SHACL results over the union of ``kb``'s graphs. ``engine="pyshacl"``: the plain run."""
    shapes = shapes_graph(kb.project.root)
    if engine == "pyshacl":
        return validate(data_graph(kb), shapes)
    compiled = shacl_sparql.compile_shapes(shapes)
    out = _incremental(kb, shapes, compiled, use_cache)
    if compiled.fallback is not None:
        out += validate(data_graph(kb), compiled.fallback)
    return sorted(set(out), key=_sort_key)


# ---------------------------------------------------------------- incremental


def _code_fingerprint() -> str:
    from importlib.metadata import version

    import pyoxigraph

    import flashpoint

    from flashpoint.checks import cache

    # all of flashpoint's code (the shapes' compiler, the loader that made the graphs, …) and the engines
    versions = f"{flashpoint.__version__} {pyoxigraph.__version__} {version('pyshacl')} {rdflib.__version__}"
    return cache.digest(cache.code_fingerprint(), versions)


def _unit_kind(graph: str) -> str:
    if graph.startswith(DOC_GRAPH_PREFIX) or graph.startswith(HYPOTHETICAL_GRAPH_PREFIX):
        return "nodes"
    return "lines"


@dataclass
class _Unit:
    graph: str
    hash: str
    blank: bool
    store: Store | None = None  # where to read the lines from, when they were not read to hash them
    _lines: list[bytes] | None = None

    @property
    def lines(self) -> list[bytes]:
        """The graph's triples as sorted N-Triples lines."""
        if self._lines is None:
            assert self.store is not None
            self._lines = _graph_lines(self.store, NamedNode(self.graph))
        return self._lines


def _graph_lines(store: Store, graph: NamedNode) -> list[bytes]:
    from pyoxigraph import RdfFormat

    return sorted((store.dump(format=RdfFormat.N_TRIPLES, from_graph=graph) or b"").splitlines())


_LAST_UNITS: tuple = (None, -1, {})  # (store id, its size, units): shared by the rules' memo


def unit_hashes(kb: KB) -> dict[str, str]:
    """The hash of every named graph of ``kb.store`` (the last ``_units`` of this store when its
    size did not change since, as within one check: SHACL, then the rules)."""
    return {g: u.hash for g, u in _current_units(kb).items()}


def _current_units(kb: KB) -> dict[str, _Unit]:
    store_id, size, units = _LAST_UNITS
    return units if store_id == id(kb.store) and size == len(kb.store) else _units(kb)


def _units(kb: KB) -> dict[str, _Unit]:
    global _LAST_UNITS
    from pyoxigraph import RdfFormat

    units = {}
    for g in kb.store.named_graphs():
        if g.value in kb.graph_hashes:  # a document's graph: hashed when it was loaded
            units[g.value] = _Unit(g.value, kb.graph_hashes[g.value], g.value in kb.blank_graphs, kb.store)
            continue
        data = kb.store.dump(format=RdfFormat.N_TRIPLES, from_graph=g) or b""
        lines = sorted(data.splitlines())
        blank = b"_:" in data
        if blank and _unit_kind(g.value) == "lines":
            # the ontology's restrictions and lists: their blank nodes are labelled anew at every
            # parse; the files they come from are in the key (the model fingerprint)
            lines = [line for line in lines if b"_:" not in line]
            blank = False
        units[g.value] = _Unit(g.value, hashlib.sha256(b"\n".join(lines)).hexdigest(), blank, _lines=lines)
    _LAST_UNITS = (id(kb.store), len(kb.store), units)
    return units


RDF_TYPE = str(RDF.type)


def _summary(lines, objects_of: set[str]) -> dict:
    """What a unit's triples can change of the results: their subjects, the objects of
    targetObjectsOf predicates, their rdf:type triples, and whether any is rdfs:subClassOf."""
    from pyoxigraph import RdfFormat, parse

    subjects: set[str] = set()
    objects: set[str] = set()
    types: set[str] = set()
    hierarchy = False
    lines = sorted(lines)
    if lines:
        for t in parse(b"\n".join(lines) + b"\n", format=RdfFormat.N_TRIPLES):
            subjects.add(str(t.subject))
            p = t.predicate.value
            if p in objects_of:
                objects.add(str(t.object))
            if p == RDF_TYPE:
                types.add(f"{t.subject} {t.object}")
            hierarchy = hierarchy or p == SUBCLASS
    return {"subjects": sorted(subjects), "objects": sorted(objects), "types": sorted(types), "hierarchy": hierarchy}


def _incremental(kb: KB, shapes: rdflib.Graph, compiled: shacl_sparql.CompiledShapes, use_cache: bool) -> list[Result]:
    from flashpoint.checks import cache

    base = cache.digest(_code_fingerprint(), *[p.read_bytes() for p in shapes_files(kb.project.root)],
                             kb.model.fingerprint() if kb.model is not None else "")
    folder = kb.project.root / ".flashpoint" / "check-cache" / "shacl-sparql"
    units = _current_units(kb)
    state = cache.read(folder / "state.json", base) if use_cache else None
    results: list[Result] | None = None
    changed: set[str] = set(units)
    if state is not None:
        old_hashes: dict[str, str] = state["units"]
        changed = {g for g in set(units) | set(old_hashes) if g not in units or units[g].blank or old_hashes.get(g) != units[g].hash}
        results = _update(kb, compiled, folder, state, changed, units)
    if results is None:  # a full run
        results = sparql_results(kb.store, compiled)
    if use_cache:
        for g in changed:
            if g in units:
                _save_unit(folder, units[g], compiled.objects_of)
        cache.write(folder / "state.json", base, {"units": {g: u.hash for g, u in units.items()},
                                                       "results": [list(astuple(r)) for r in results]})
    return results


def _unit_file(folder: Path, graph: str) -> Path:
    return folder / "units" / (hashlib.sha256(graph.encode()).hexdigest()[:32] + ".json")


def _save_unit(folder: Path, unit: _Unit, objects_of: set[str]) -> None:
    from flashpoint.checks import cache

    if unit.blank:
        return
    if _unit_kind(unit.graph) == "nodes":
        value = _summary(unit.lines, objects_of)
    else:
        value = {"lines": [line.decode("utf-8") for line in unit.lines]}
    cache.write(_unit_file(folder, unit.graph), unit.hash, value)


def _update(kb: KB, compiled: shacl_sparql.CompiledShapes, folder: Path, state: dict, changed: set[str], units: dict[str, _Unit]) -> list[Result] | None:
    """The new result set from the old one, validating only the dirty focus nodes; None when a full
    run is needed."""
    from pyoxigraph import NamedNode, RdfFormat, parse

    from flashpoint.checks import cache

    old = [Result(*r) for r in state["results"]]
    if not changed:
        return old
    touched: set[str] = set()  # subjects, and objects of targetObjectsOf predicates
    retyped: set[str] = set()  # nodes whose rdf:type triples changed
    for g in changed:
        unit = units.get(g)
        if unit is not None and unit.blank:
            return None
        old_hash = state["units"].get(g)
        saved = cache.read(_unit_file(folder, g), old_hash) if old_hash is not None else None
        if old_hash is not None and saved is None:
            return None
        if _unit_kind(g) == "nodes":
            before = saved or _summary([], compiled.objects_of)
            after = _summary(unit.lines, compiled.objects_of) if unit is not None else _summary([], compiled.objects_of)
        else:
            old_lines = {line.encode("utf-8") for line in saved["lines"]} if saved is not None else set()
            new_lines = set(unit.lines) if unit is not None else set()
            before = _summary(old_lines - new_lines, compiled.objects_of)
            after = _summary(new_lines - old_lines, compiled.objects_of)
        if before["hierarchy"] or after["hierarchy"]:
            return None
        for summary in (before, after):
            touched |= set(summary["subjects"]) | set(summary["objects"])
        retyped |= {t.split(" ", 1)[0] for t in set(before["types"]) ^ set(after["types"])}
    if any(n.startswith("_:") for n in touched | retyped):
        return None
    dirty = touched | retyped
    values = [t.object for t in parse("\n".join(f"<urn:x> <urn:x> {n} ." for n in sorted(retyped)) + "\n", format=RdfFormat.N_TRIPLES)]
    for p in sorted(compiled.class_checked):
        predicate = NamedNode(p)
        for v in values:
            for q in kb.store.quads_for_pattern(None, predicate, v):
                dirty.add(str(q.subject))
    if any(n.startswith("_:") for n in dirty):
        return None
    focus = list(parse("\n".join(f"<urn:x> <urn:x> {n} ." for n in sorted(dirty)) + "\n", format=RdfFormat.N_TRIPLES))
    focus_terms = [t.object for t in focus]
    dirty_keys = {oxi_key(t) for t in focus_terms}
    kept = [r for r in old if r.focus not in dirty_keys]
    return sorted(set(kept) | set(sparql_results(kb.store, compiled, focus_terms)), key=_sort_key)
