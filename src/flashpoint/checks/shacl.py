"""SHACL validation with pyshacl against ``ontology/shapes.ttl`` (plus a project's ``*.shapes.ttl``).

The plain run validates the union of every graph check loads (documents,
gazetteer, ontology and its extensions), so that ``sh:class`` sees the class
hierarchy. Each result becomes a Finding under the rule id its node shape
carries (``fpc:rule``), pointed at the claims file line behind its focus node.

``run`` gives the same results per document, so that an unchanged document is
not validated again and the others are validated in parallel:

- Every shape is checked to be *focus-local* (``ShapePlan``): its targets are
  classes (with the hierarchy), subjects-of or objects-of a property, and its
  constraints look only at the focus node's own triples along plain
  predicate paths, and (``sh:class``) at the rdf:type triples of its values.
  Then the results for a focus node X depend only on R(X): the triples whose
  subject is X, the triples (·, p, X) for a ``sh:targetObjectsOf`` p, the
  rdf:type triples of X's values along the ``sh:class``-checked predicates,
  and the rdfs:subClassOf triples; any graph between R(X) and the union gives
  X the same results. A shape file with anything else (SPARQL, paths, nested
  property shapes on values, qualified shapes, sh:targetNode, …) makes ``run``
  fall back to the plain run over the union.
- X is *local* to document d when R(X) lies in d's graph plus the shared
  graphs (ontology, extensions, gazetteer). Document d's graph G(d) is its own
  triples, the shared triples about its nodes (and the rdf:type triples of
  their values) and the class hierarchy; so G(d) ⊇ R(X) for every X local to d,
  and d's results are kept for those X only.
- Every other node (R(X) spread over two documents, e.g. an event that two
  documents label differently, or only in the shared graphs) is *global*: one
  more graph holds R(X) of every global X, and its results are kept for those.

So the union of the kept results is the plain run's result set. G(d)'s results
(all of them, local or not, since which nodes are local depends on the other
documents) are cached under the hash of G(d)'s triples, the shapes and the
code (``cache.py``); the graph of the global nodes likewise.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from pathlib import Path

import rdflib
from pyoxigraph import BlankNode, Literal
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

from flashpoint.checks.findings import Finding
from flashpoint.checks.kb import KB, term_key
from flashpoint.vocab import GRAPH_BASE, package_folder

FPC = rdflib.Namespace("https://w3id.org/flashpoint/checks#")
SEVERITIES = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}


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
    """One SHACL validation result, reduced to what identifies it (for comparisons)."""

    focus: str
    path: str
    value: str
    component: str
    shape_rule: str
    severity: str
    message: str


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
            path=term_key(path) if path is not None else "",
            value=term_key(value) if value is not None else "",
            component=str(report.value(r, SH.sourceConstraintComponent)),
            shape_rule=str(rule or "FP-S00"),
            severity=SEVERITIES.get(report.value(r, SH.resultSeverity), "error"),
            message=str(report.value(r, SH.resultMessage) or "SHACL constraint violated"),
        ))
    return sorted(set(out), key=lambda x: (x.focus, x.path, x.value, x.component))


def data_graph(kb: KB) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=kb.union_ntriples(), format="nt")
    return graph


def run(kb: KB, use_cache: bool = True, jobs: int | None = None) -> list[Finding]:
    return [finding(kb, r) for r in run_results(kb, use_cache=use_cache, jobs=jobs)]


def run_results(kb: KB, use_cache: bool = True, jobs: int | None = None, split: bool = True) -> list[Result]:
    """The SHACL results over the union of ``kb``'s graphs: per document (cached, parallel) where
    the shapes allow it, else (or with ``split=False``) the plain run."""
    shapes = shapes_graph(kb.project.root)
    plan = ShapePlan.of(shapes) if split else None
    if plan is None:
        return validate(data_graph(kb), shapes)
    return _split_results(kb, shapes, plan, use_cache, jobs)


def finding(kb: KB, r: Result) -> Finding:
    from flashpoint.vocab import compact

    what = compact(r.path) if r.path else ""
    value = f" (value: {compact(r.value) if not r.value.startswith(chr(34)) else r.value})" if r.value else ""
    f = Finding(r.shape_rule, r.severity, f"{r.message}{value}", check="shacl", details=[f"SHACL: {compact(r.focus)} {what} fails {r.component.rsplit('#', 1)[-1]}"])
    return kb.locate(f, r.focus, r.path or None, r.value or None)


# ---------------------------------------------------------------- per-document validation

_TERM_ONLY = {SH.datatype, SH.nodeKind, SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive,
              SH.minLength, SH.maxLength, SH.pattern, SH.flags, SH["in"], SH.hasValue, SH.languageIn}
_ANNOTATIONS = {SH.message, SH.name, SH.description, SH.severity, SH.deactivated, SH.order, SH.group, SH.defaultValue}
_FOCUS_PROPERTY = {SH.minCount, SH.maxCount, SH.uniqueLang, SH.lessThan, SH.lessThanOrEquals, SH.equals, SH.disjoint}
_LOGICAL = {SH["or"], SH["and"], SH.xone}
_TARGETS = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf}


class Unsupported(Exception):
    pass


@dataclass
class ShapePlan:
    """What the shapes look at beyond a focus node's own triples (see the module docstring)."""

    objects_of: set[str]  # sh:targetObjectsOf predicates
    class_checked: set[str]  # predicates whose values' types a constraint looks at

    @classmethod
    def of(cls, shapes: rdflib.Graph) -> "ShapePlan | None":
        plan = cls(set(), set())
        try:
            targeted = {s for p in _TARGETS | {SH.targetNode} for s in shapes.subjects(p, None)}
            for shape in targeted:
                if (shape, SH.targetNode, None) in shapes:
                    raise Unsupported("sh:targetNode")
                for kind in (RDFS.Class, OWL.Class):
                    if (shape, RDF.type, kind) in shapes:
                        raise Unsupported("implicit class target")
                plan.objects_of |= {str(o) for o in shapes.objects(shape, SH.targetObjectsOf)}
                if (shape, SH.path, None) in shapes:
                    plan._property(shapes, shape)
                else:
                    plan._node(shapes, shape, None, set())
            for shape in shapes.subjects(RDF.type, SH.NodeShape):
                if shape not in targeted and (shape, SH.targetNode, None) in shapes:
                    raise Unsupported("sh:targetNode")
        except Unsupported:
            return None
        return plan

    def _node(self, shapes: rdflib.Graph, shape, value_of: str | None, seen: set, own: bool = False) -> None:
        """A shape whose value node is the focus node (``value_of`` None) or a value of it along
        ``value_of`` (``own``: the property shape of that path itself, whose sh:path and
        focus-level constraints ``_property`` has seen)."""
        if shape in seen:
            return
        seen = seen | {shape}
        for p, o in shapes.predicate_objects(shape):
            if not str(p).startswith(str(SH)) or p in _ANNOTATIONS or p in _TERM_ONLY or p in _TARGETS:
                continue
            if own and (p == SH.path or p in _FOCUS_PROPERTY):
                continue
            if p == SH["class"]:
                if value_of is not None:
                    self.class_checked.add(value_of)
            elif p in _LOGICAL:
                for member in Collection(shapes, o):
                    self._node(shapes, member, value_of, seen)
            elif p in (SH["not"], SH.node):
                self._node(shapes, o, value_of, seen)
            elif p == SH.property and value_of is None:
                self._property(shapes, o)
            elif p in (SH.closed, SH.ignoredProperties) and value_of is None:
                continue
            else:
                raise Unsupported(str(p))

    def _property(self, shapes: rdflib.Graph, shape) -> None:
        path = shapes.value(shape, SH.path)
        if not isinstance(path, rdflib.URIRef):
            raise Unsupported("a property path")
        for p, o in shapes.predicate_objects(shape):
            if p == SH.path or p in _FOCUS_PROPERTY:
                continue
            if p in (SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint, SH.property):
                raise Unsupported(str(p))
        # the value nodes' own constraints (sh:class, sh:in, sh:or …) apply to the objects along ``path``
        self._node(shapes, shape, str(path), set(), own=True)


RDF_TYPE = str(RDF.type)
SUBCLASS = str(RDFS.subClassOf)
DOC_GRAPH_PREFIX = GRAPH_BASE + "doc/"
SHARED = ""  # the ontology, its extensions and the gazetteer


def _line(s, p, o) -> str:
    return f"{s} {p} {o} ."


def _split_results(kb: KB, shapes: rdflib.Graph, plan: ShapePlan, use_cache: bool, jobs: int | None) -> list[Result]:
    from flashpoint.checks import cache

    # one pass over the store: each graph's triples, and where R(X) of every node lies
    docs: dict[str, list] = {}
    shared_by_subject: dict = {}
    shared_by_object: dict = {}  # (·, p, X) for the targetObjectsOf predicates
    hierarchy: list = []
    uncachable: set[str] = set()  # document graphs with blank nodes of their own (see _key_lines)
    deps: dict = {}  # node → graphs holding R(X) (documents by graph IRI; SHARED)
    types_in: dict = {}  # node → graphs holding its rdf:type triples
    class_values: dict = {}  # node → values along class-checked predicates
    triples_of: dict = {}  # node → its triples, all graphs (for the global graph)
    objects_of, class_checked = plan.objects_of, plan.class_checked
    for q in kb.store:
        g = q.graph_name.value if q.graph_name.value.startswith(DOC_GRAPH_PREFIX) else SHARED
        s, p, o = q.subject, q.predicate, q.object
        pv = p.value
        t = (s, p, o)
        if g is SHARED:
            shared_by_subject.setdefault(s, []).append(t)
            if pv in objects_of:
                shared_by_object.setdefault(o, []).append(t)
        else:
            docs.setdefault(g, []).append(t)
            if isinstance(s, BlankNode) or isinstance(o, BlankNode):
                uncachable.add(g)
        deps.setdefault(s, set()).add(g)
        if pv == RDF_TYPE:
            types_in.setdefault(s, set()).add(g)
        elif pv == SUBCLASS:
            hierarchy.append(t)
        if pv in objects_of:
            deps.setdefault(o, set()).add(g)
        if pv in class_checked:
            class_values.setdefault(s, set()).add(o)
    local: dict = {}  # node → the one document graph it is local to
    for x, own in deps.items():
        if isinstance(x, BlankNode):
            continue
        own = own - {SHARED}
        if len(own) != 1:
            continue
        graphs = set(own)
        for v in class_values.get(x, ()):
            graphs |= types_in.get(v, set())
        graphs.discard(SHARED)
        if graphs == own:
            local[x] = next(iter(own))
    hierarchy_lines = [_line(*t) for t in set(hierarchy)]

    graphs: dict[str, list[str]] = {}
    for g, triples in docs.items():
        extra: list = []
        # the nodes that may be local to d (their own triples are here): their shared triples;
        # the other nodes d names: their shared rdf:type triples (for sh:class)
        own = {t[0] for t in triples} | {t[2] for t in triples if t[1].value in objects_of}
        for n in own:
            extra += shared_by_subject.get(n, ())
            extra += shared_by_object.get(n, ())
        for n in {t[2] for t in triples if not isinstance(t[2], Literal)} - own:
            extra += [u for u in shared_by_subject.get(n, ()) if u[1].value == RDF_TYPE]
        for t in list(extra):
            if not isinstance(t[2], Literal):
                extra += [u for u in shared_by_subject.get(t[2], ()) if u[1].value == RDF_TYPE]
        graphs[g] = sorted({_line(*t) for t in triples} | {_line(*t) for t in extra} | set(hierarchy_lines))

    # the global graph: R(X) of every node that is not local
    glob = [x for x in deps if x not in local]
    glob_set = set(glob)
    wanted_types: set = set()
    lines: set[str] = set(hierarchy_lines)
    for q in kb.store:
        s, p, o = q.subject, q.predicate, q.object
        if s in glob_set:
            lines.add(_line(s, p, o))
            if not isinstance(o, Literal):
                wanted_types.add(o)
        elif p.value in objects_of and o in glob_set:
            lines.add(_line(s, p, o))
    for q in kb.store:
        if q.subject in wanted_types and q.predicate.value == RDF_TYPE:
            lines.add(_line(q.subject, q.predicate, q.object))
    GLOBAL = "global"
    graphs[GLOBAL] = sorted(lines)

    # validate what the cache does not have
    import pyshacl

    base = cache.digest(cache.code_fingerprint("flashpoint.checks.shacl"), pyshacl.__version__, rdflib.__version__,
                        *[path.read_bytes() for path in shapes_files(kb.project.root)])
    folder = cache.cache_dir(kb.project.root, "shacl")
    base = cache.digest(base, kb.model.fingerprint())  # type: ignore[union-attr]
    keys = {g: cache.digest(base, cache.hash_lines(_key_lines(lines))) for g, lines in graphs.items() if g not in uncachable}
    names = {g: (g[len(DOC_GRAPH_PREFIX):] if g.startswith(DOC_GRAPH_PREFIX) else "_" + g) for g in graphs}
    found: dict[str, list] = {}
    if use_cache:
        for g in keys:
            cached = cache.read(folder / f"{names[g]}.json", keys[g])
            if cached is not None:
                found[g] = cached
    todo = sorted((g for g in graphs if g not in found), key=lambda g: -len(graphs[g]))

    def task(g: str) -> list:
        return [list(astuple(r)) for r in validate(_rdflib_graph(graphs[g]), shapes)]

    for g, results in zip(todo, cache.parallel_map(task, todo, cache.job_count(jobs))):
        found[g] = results
        if g in keys:
            cache.write(folder / f"{names[g]}.json", keys[g], results)

    # keep each graph's results for the nodes it is authoritative for
    local_keys = {term_key(x): g for x, g in local.items()}
    out: set[Result] = set()
    for g, results in found.items():
        for r in results:
            result = Result(*r)
            # a document graph is authoritative for its local nodes, the global graph for all
            # others (blank nodes included, whose labels rdflib makes up when it parses)
            if local_keys.get(result.focus) == (g if g != GLOBAL else None):
                out.add(result)
    return sorted(out, key=lambda x: (x.focus, x.path, x.value, x.component))


def _key_lines(lines: list[str]):
    """The lines that identify a graph for the cache: all but those with a blank node. Blank nodes
    come only from the shared graphs (the ontology's restrictions and lists, labelled anew at every
    parse), which the model fingerprint in the key covers; a document graph with blank nodes of
    its own is not cached."""
    for line in lines:
        if line.startswith("_:"):
            continue
        last = line.rsplit(" ", 2)[-2]
        if last.startswith("_:") and '"' not in last:
            continue
        yield line


def _rdflib_graph(lines: list[str]) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data="\n".join(lines) + "\n", format="nt")
    return graph
