"""``flashpoint export``: deterministic serialisations of the store (or one layer of it).

The same KB gives byte-identical files, across processes and across rebuilds:

1. The selected quads are read from the store and deduplicated — merged into
   one default graph for the triple formats (so a triple in two graphs appears
   once), with their named graphs for the quad formats.
2. Blank nodes (OWL restrictions, ``owl:unionOf`` lists of the ontology get a
   fresh id at every load) are relabelled by W3C RDF Dataset Canonicalization
   (RDFC-1.0, ``pyoxigraph.Dataset.canonicalize``): their labels (``c14n0``,
   ``c14n1`` …) depend on the content only.
3. Every writer sorts: subjects (IRIs, then blank nodes), predicates
   (``rdf:type`` first), objects, graphs; lines of N-Triples / N-Quads.
   pyoxigraph's own Turtle / JSON-LD / RDF-XML writers are not used because
   their prefix declarations come out in hash order; the small writers below
   print the fixed prefixes of :data:`flashpoint.vocab.PREFIXES` in their order.

Graph selections: ``ontology`` and ``inferred`` are those named graphs;
``claims`` is, in the document graphs, the triples whose subject is an
fp:Claim or fp:Document; ``hypothetical`` is the descriptions of what only
hedged claims mention, with the fp:hypothetical markers; ``world`` is the rest of the document graphs plus the
gazetteer graph; ``all`` is every quad of the store.
"""

from __future__ import annotations

import gc
import json
import re
from contextlib import contextmanager
from functools import lru_cache
from collections import defaultdict
from typing import Iterable

from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    Store,
)

from flashpoint.errors import UsageError
from flashpoint.vocab import (
    GRAPH_BASE,
    DOC_GRAPH_PREFIX,
    GAZETTEER_GRAPH,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    PREFIXES,
    UNREVIEWED_INFERRED_GRAPH,
    RDF,
    OWL,
    XSD,
    fp,
)

FORMATS = ("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml")
QUAD_FORMATS = ("nquads", "trig")
HYPOTHETICAL_GRAPH_BASE = GRAPH_BASE + "hypothetical"  # the per-document graphs and the marker graph
GRAPHS = ("all", "world", "claims", "hypothetical", "ontology", "inferred")

RDF_TYPE = NamedNode(RDF + "type")
RDF_FIRST = NamedNode(RDF + "first")
RDF_REST = NamedNode(RDF + "rest")
RDF_NIL = NamedNode(RDF + "nil")
XSD_STRING = XSD + "string"
RDF_LANG_STRING = RDF + "langString"
CLAIM_LAYER_CLASSES = (fp("Claim"), fp("Document"))


def export(store: Store, fmt: str, graph: str) -> bytes:
    """The selected layer of the store in format ``fmt``, byte-identical for the same KB."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    if graph not in GRAPHS:
        raise UsageError(f"unknown graph selection {graph!r} (one of {', '.join(GRAPHS)})")
    with _gc_paused():
        dataset = canonical_dataset(select(store, graph), keep_graphs=fmt in QUAD_FORMATS)
        return _WRITERS[fmt](dataset).encode("utf-8")


@contextmanager
def _gc_paused():
    """The cyclic garbage collector off while indexing: the writers make no cycles, and the
    collector's passes over hundreds of thousands of fresh dicts would triple the run time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def serialize_triples(triples: Iterable, fmt: str) -> bytes:
    """Triples (e.g. a CONSTRUCT result) in a triple format, with the writers of ``export``."""
    if fmt not in FORMATS or fmt in QUAD_FORMATS:
        raise UsageError(f"not a triple format: {fmt!r}")
    with _gc_paused():
        dataset = canonical_dataset((Quad(t.subject, t.predicate, t.object) for t in triples), keep_graphs=False)
        return _WRITERS[fmt](dataset).encode("utf-8")


def ntriples(quads: Iterable[Quad]) -> bytes:
    """Sorted N-Triples of the triples of ``quads`` (graph names dropped), blank nodes canonical."""
    with _gc_paused():
        return _ntriples(canonical_dataset(quads, keep_graphs=False)).encode("utf-8")


# ------------------------------------------------------------------ selection


def doc_graphs(store: Store) -> list[NamedNode]:
    return sorted(
        (g for g in store.named_graphs() if isinstance(g, NamedNode) and g.value.startswith(DOC_GRAPH_PREFIX)),
        key=lambda g: g.value,
    )


def select(store: Store, graph: str) -> list[Quad]:
    """The quads of a graph selection (with their graph names)."""
    if graph == "all":
        return list(store)
    if graph == "ontology":
        return list(store.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH))
    if graph == "inferred":  # from reviewed documents, then from unreviewed ones (their own graph)
        return [q for g in (INFERRED_GRAPH, UNREVIEWED_INFERRED_GRAPH) for q in store.quads_for_pattern(None, None, None, g)]
    if graph == "hypothetical":
        return [q for g in sorted(store.named_graphs(), key=str) if isinstance(g, NamedNode) and g.value.startswith(HYPOTHETICAL_GRAPH_BASE)
                for q in store.quads_for_pattern(None, None, None, g)]
    docs = doc_graphs(store)
    claim_layer = set()
    for g in docs:
        for cls in CLAIM_LAYER_CLASSES:
            claim_layer.update(q.subject for q in store.quads_for_pattern(None, RDF_TYPE, cls, g))
    doc_quads = [q for g in docs for q in store.quads_for_pattern(None, None, None, g)]
    if graph == "claims":
        return [q for q in doc_quads if q.subject in claim_layer]
    # world
    world = [q for q in doc_quads if q.subject not in claim_layer]
    return world + list(store.quads_for_pattern(None, None, None, GAZETTEER_GRAPH))


def canonical_dataset(quads: Iterable[Quad], keep_graphs: bool) -> list[Quad]:
    """The distinct quads, blank nodes relabelled by RDFC-1.0; merged into the default graph unless ``keep_graphs``.

    Only the quads that hold a blank node take part in RDFC-1.0 (the others cannot change a
    canonical label), so they alone go through the (costlier) canonicalisation."""
    ground: set = set()
    with_blank_nodes = Dataset()
    for q in quads:
        if not keep_graphs:
            q = Quad(q.subject, q.predicate, q.object, DefaultGraph())
        if isinstance(q.subject, BlankNode) or isinstance(q.object, BlankNode) or isinstance(q.graph_name, BlankNode):
            with_blank_nodes.add(q)
        else:
            ground.add(q)
    if len(with_blank_nodes):
        with_blank_nodes.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return list(ground) + list(with_blank_nodes)


# ------------------------------------------------------------------ terms


def _key(term) -> tuple[int, str]:
    """Sort key: IRIs, then blank nodes, then literals; each by its N-Triples form."""
    if isinstance(term, NamedNode):
        return (0, term.value)
    if isinstance(term, BlankNode):
        return (1, _bnode_sort_label(term.value))
    return (2, str(term))


def _bnode_sort_label(label: str) -> str:
    # c14n2 before c14n10: pad the number so the order reads naturally.
    match = re.fullmatch(r"c14n(\d+)", label)
    return f"c14n{int(match.group(1)):09d}" if match else label


OWL_ONTOLOGY = NamedNode(OWL + "Ontology")
OWL_IMPORTS = NamedNode(OWL + "imports")


def _subjects(index: dict) -> list:
    """Subjects in output order: the owl:Ontology headers first (an imported one before its
    importers, so that OWL tools such as owlready2, which take the first header as the
    file's ontology, do not go and fetch it), then every other subject sorted."""
    headers = {s for s, props in index.items() if OWL_ONTOLOGY in props.get(RDF_TYPE, ())}
    imported = {o for s in headers for o in index[s].get(OWL_IMPORTS, ())}

    def key(subject):
        if subject in headers:
            return (0, 0 if subject in imported else 1, _key(subject))
        return (1, 0, _key(subject))

    return sorted(index, key=key)


def _predicate_key(term: NamedNode) -> tuple[int, str]:
    return (0, "") if term == RDF_TYPE else (1, term.value)


_PN_LOCAL = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


@lru_cache(maxsize=65536)
def _prefixed(iri: str, pattern: re.Pattern = _PN_LOCAL) -> str | None:
    """``fp:Tension`` when the IRI is in a known namespace and the rest is a safe local name."""
    best = None
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and (best is None or len(namespace) > len(PREFIXES[best])):
            local = iri[len(namespace) :]
            if local == "" or pattern.fullmatch(local):
                best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best is not None else None


def _iri_turtle(iri: str) -> str:
    return _prefixed(iri) or str(NamedNode(iri))


_SHORT_LITERALS = {
    XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD + "boolean": re.compile(r"true|false"),
}


def _turtle_term(term) -> str:
    if isinstance(term, NamedNode):
        return _iri_turtle(term.value)
    if isinstance(term, Literal):
        datatype = term.datatype.value
        if term.language or datatype == XSD_STRING:
            return str(term)
        pattern = _SHORT_LITERALS.get(datatype)
        if pattern and pattern.fullmatch(term.value):
            return term.value
        return f"{str(Literal(term.value))}^^{_iri_turtle(datatype)}"
    return str(term)  # blank node: _:c14nN


# ------------------------------------------------------------------ N-Triples / N-Quads


def _ntriples(dataset: list[Quad]) -> str:
    return "".join(sorted({f"{q.subject} {q.predicate} {q.object} .\n" for q in dataset}))


def _nquads(dataset: list[Quad]) -> str:
    lines = set()
    for q in dataset:
        if isinstance(q.graph_name, DefaultGraph):
            lines.add(f"{q.subject} {q.predicate} {q.object} .\n")
        else:
            lines.add(f"{q.subject} {q.predicate} {q.object} {q.graph_name} .\n")
    return "".join(sorted(lines))


# ------------------------------------------------------------------ Turtle / TriG


def _prefix_lines() -> list[str]:
    return [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in PREFIXES.items()]


def _index(triples) -> dict:
    """subject → predicate → [objects]."""
    index: dict = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        index[s][p].append(o)
    return index


class _TurtleBody:
    """The statements of one graph, grouped by subject, blank nodes nested where referenced once."""

    def __init__(self, triples: list[tuple], not_inline: set = frozenset()):
        self.index = _index(triples)
        references: dict = defaultdict(int)
        for _, _, o in triples:
            if isinstance(o, BlankNode):
                references[o] += 1
        self.not_inline = not_inline
        self.unreferenced = {s for s in self.index if isinstance(s, BlankNode) and s not in references and s not in not_inline}
        self.inline = {b for b, n in references.items() if n == 1 and b not in not_inline}
        self._break_cycles()
        self._lists: dict = {}

    def _break_cycles(self) -> None:
        """Blank nodes referenced once but only from inside a cycle of such nodes get a label of their own."""
        reached: set = set()

        def visit(node) -> None:
            stack = [node]
            while stack:
                for objects in self.index.get(stack.pop(), {}).values():
                    for o in objects:
                        if o in self.inline and o not in reached:
                            reached.add(o)
                            stack.append(o)

        for subject in self.index:
            if subject not in self.inline:
                visit(subject)
        while True:
            orphans = sorted((b for b in self.inline if b in self.index and b not in reached), key=_key)
            if not orphans:
                return
            self.inline.discard(orphans[0])
            visit(orphans[0])

    def _list_items(self, node) -> list | None:
        """The items of a well-formed RDF list starting at an inlined blank node, or None."""
        if node in self._lists:
            return self._lists[node]
        items: list = []
        seen = set()
        current = node
        result = None
        while True:
            if current == RDF_NIL:
                result = items
                break
            if current not in self.inline or current in seen:
                break
            seen.add(current)
            props = self.index.get(current, {})
            if set(props) != {RDF_FIRST, RDF_REST} or len(props[RDF_FIRST]) != 1 or len(props[RDF_REST]) != 1:
                break
            items.append(props[RDF_FIRST][0])
            current = props[RDF_REST][0]
        self._lists[node] = result if result else None  # an empty list is rdf:nil itself
        return self._lists[node]

    def _object(self, o, depth: int) -> str:
        if isinstance(o, BlankNode) and o in self.inline:
            items = self._list_items(o)
            if items is not None:
                return "( " + " ".join(self._object(item, depth + 1) for item in items) + " )"
            props = self.index.get(o)
            if not props:
                return "[]"
            pad = "    " * depth
            return "[\n" + self._predicates(props, depth + 1) + "\n" + pad + "]"
        return _turtle_term(o)

    def _predicates(self, props: dict, depth: int) -> str:
        pad = "    " * depth
        parts = []
        for p in sorted(props, key=_predicate_key):
            verb = "a" if p == RDF_TYPE else _turtle_term(p)
            objects = sorted(set(props[p]), key=_key)
            parts.append(f"{pad}{verb} " + " , ".join(self._object(o, depth) for o in objects))
        return " ;\n".join(parts)

    def statements(self) -> list[str]:
        out = []
        for subject in _subjects(self.index):
            if subject in self.inline:
                continue
            if subject in self.unreferenced:  # [ … ] . : no label needed
                out.append(f"[\n{self._predicates(self.index[subject], 1)}\n] .")
                continue
            out.append(f"{_turtle_term(subject)}\n{self._predicates(self.index[subject], 1)} .")
        return out


def _turtle(dataset: list[Quad]) -> str:
    triples = [(q.subject, q.predicate, q.object) for q in dataset]
    body = _TurtleBody(triples).statements()
    return "\n".join(_prefix_lines()) + "\n\n" + "".join(s + "\n\n" for s in body).rstrip("\n") + ("\n" if body else "")


def _trig(dataset: list[Quad]) -> str:
    by_graph: dict = defaultdict(list)
    where: dict = defaultdict(set)  # blank node → graphs it occurs in
    for q in dataset:
        by_graph[q.graph_name].append((q.subject, q.predicate, q.object))
        for term in (q.subject, q.object):
            if isinstance(term, BlankNode):
                where[term].add(q.graph_name)
    shared = {b for b, graphs in where.items() if len(graphs) > 1}  # labels, never nested: TriG labels span graphs
    out = ["\n".join(_prefix_lines()), ""]

    def graph_key(g):
        return (0, "") if isinstance(g, DefaultGraph) else _key(g)

    for g in sorted(by_graph, key=graph_key):
        statements = _TurtleBody(by_graph[g], not_inline=shared).statements()
        indented = "\n\n".join("\n".join("    " + line for line in s.split("\n")) for s in statements)
        name = "" if isinstance(g, DefaultGraph) else _turtle_term(g) + " "
        out.append(f"{name}{{\n{indented}\n}}\n")
    return "\n".join(out) + ("" if by_graph else "\n")


# ------------------------------------------------------------------ JSON-LD


_JSONLD_SUFFIX = re.compile(r"(?!//)[^\s]*")  # a compact IRI's suffix may hold '/', not start with '//'


def _jsonld_iri(iri: str) -> str:
    return _prefixed(iri, _JSONLD_SUFFIX) or iri


def _jsonld_value(o) -> dict:
    if isinstance(o, NamedNode):
        return {"@id": _jsonld_iri(o.value)}
    if isinstance(o, BlankNode):
        return {"@id": f"_:{o.value}"}
    if o.language:
        return {"@value": o.value, "@language": o.language}
    if o.datatype.value == XSD_STRING:
        return {"@value": o.value}
    return {"@value": o.value, "@type": _jsonld_iri(o.datatype.value)}


def _jsonld(dataset: list[Quad]) -> str:
    index = _index((q.subject, q.predicate, q.object) for q in dataset)
    nodes = []
    for subject in _subjects(index):
        props = index[subject]
        node: dict = {"@id": _jsonld_iri(subject.value) if isinstance(subject, NamedNode) else f"_:{subject.value}"}
        types = sorted(set(props.get(RDF_TYPE, [])), key=_key)
        as_type = types and all(isinstance(t, (NamedNode, BlankNode)) for t in types)
        if as_type:
            node["@type"] = [_jsonld_value(t)["@id"] for t in types]
        for p in sorted(props, key=_predicate_key):
            if p == RDF_TYPE and as_type:
                continue
            node[_jsonld_iri(p.value)] = [_jsonld_value(o) for o in sorted(set(props[p]), key=_key)]
        nodes.append(node)
    document = {"@context": dict(PREFIXES), "@graph": nodes}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------ RDF/XML

_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: str) -> str:
    if _XML_INVALID.search(value):
        raise UsageError(f"cannot write RDF/XML: the literal {value[:40]!r} has a character XML 1.0 cannot hold (use --format turtle)")
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _xml_attr(value: str) -> str:
    return _xml_text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _split_for_xml(iri: str) -> tuple[str, str]:
    """(namespace, local name) with an XML NCName local part: the longest such suffix."""
    for i in range(len(iri)):
        if iri[i] in "#/:?=&" or i == 0:
            continue
        if _NCNAME.fullmatch(iri[i:]):
            return iri[:i], iri[i:]
    raise UsageError(f"cannot write RDF/XML: the predicate <{iri}> has no XML name (use --format turtle)")


def _rdfxml(dataset: list[Quad]) -> str:
    index = _index((q.subject, q.predicate, q.object) for q in dataset)
    namespaces = {namespace: prefix for prefix, namespace in PREFIXES.items()}
    element_names: dict = {}
    extra: list[str] = []
    for p in sorted({p for props in index.values() for p in props}, key=lambda t: t.value):
        qname = _prefixed(p.value, _NCNAME)
        if qname is None:
            namespace, local = _split_for_xml(p.value)
            if namespace not in namespaces:
                extra.append(namespace)
                namespaces[namespace] = f"ns{len(extra)}"
            qname = f"{namespaces[namespace]}:{local}"
        element_names[p] = qname
    declarations = [f'xmlns:{prefix}="{_xml_attr(namespace)}"' for prefix, namespace in PREFIXES.items()]
    declarations += [f'xmlns:{namespaces[namespace]}="{_xml_attr(namespace)}"' for namespace in extra]
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF\n    " + "\n    ".join(declarations) + ">"]
    for subject in _subjects(index):
        if isinstance(subject, NamedNode):
            out.append(f'  <rdf:Description rdf:about="{_xml_attr(subject.value)}">')
        else:
            out.append(f'  <rdf:Description rdf:nodeID="{_xml_attr(subject.value)}">')
        props = index[subject]
        for p in sorted(props, key=_predicate_key):
            name = element_names[p]
            for o in sorted(set(props[p]), key=_key):
                if isinstance(o, NamedNode):
                    out.append(f'    <{name} rdf:resource="{_xml_attr(o.value)}"/>')
                elif isinstance(o, BlankNode):
                    out.append(f'    <{name} rdf:nodeID="{_xml_attr(o.value)}"/>')
                elif o.language:
                    out.append(f'    <{name} xml:lang="{_xml_attr(o.language)}">{_xml_text(o.value)}</{name}>')
                elif o.datatype.value == XSD_STRING:
                    out.append(f"    <{name}>{_xml_text(o.value)}</{name}>")
                else:
                    out.append(f'    <{name} rdf:datatype="{_xml_attr(o.datatype.value)}">{_xml_text(o.value)}</{name}>')
        out.append("  </rdf:Description>")
    out.append("</rdf:RDF>")
    return "\n".join(out) + "\n"


_WRITERS = {"ntriples": _ntriples, "nquads": _nquads, "turtle": _turtle, "trig": _trig, "jsonld": _jsonld, "rdfxml": _rdfxml}
