"""SHACL Core shapes compiled to SPARQL, run on the pyoxigraph store check already has.

What Jena and TopBraid do inside: every constraint of every shape becomes one
SELECT query that returns the focus nodes (and value nodes) that violate it,
evaluated over the union of the store's graphs (the data pyshacl validates).
The results are those of pyshacl (``inference="none"``, SHACL Core) term for
term: focus node, path, value, source shape, constraint component, severity
and message. tests/test_shacl_sparql.py compares the complete result sets on
the broken fixtures, on mutated shapes and data, and on 100,000 generated quads.

``compile_shapes`` *refuses* what it does not implement exactly
(``Unsupported``, with the reason): a top-level shape that uses a feature
outside the list below (property paths other than one predicate, sh:node,
sh:not, sh:and, sh:xone, sh:closed, qualified shapes, sh:hasValue, sh:equals,
sh:disjoint, sh:targetNode, implicit class targets, SHACL-SPARQL, a shape
without exactly one sh:message, …) is left to pyshacl, which validates those
shapes alone (``CompiledShapes.fallback``).

Supported: targets sh:targetClass (with rdfs:subClassOf*), sh:targetSubjectsOf,
sh:targetObjectsOf; node-level and property-level (one predicate) sh:class,
sh:datatype, sh:nodeKind, sh:in, sh:minLength, sh:maxLength, sh:pattern
(sh:flags), sh:minInclusive, sh:maxInclusive, sh:minExclusive, sh:maxExclusive,
sh:languageIn; property-level sh:minCount, sh:maxCount, sh:uniqueLang,
sh:lessThan; sh:or whose members are shapes of sh:class / sh:nodeKind / sh:in
only; sh:severity, sh:deactivated.

Each query can be restricted to a set of focus nodes (``focus``): the
incremental check re-validates only the nodes whose triples changed
(``shacl.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

RULE = rdflib.URIRef("https://w3id.org/flashpoint/checks#rule")
SEVERITIES = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}

_ANNOTATIONS = {SH.message, SH.name, SH.description, SH.order, SH.group, SH.defaultValue, SH.severity, SH.deactivated}
_TARGETS = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf}
_VALUE = {SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.minLength, SH.maxLength, SH.pattern, SH.flags,
          SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.languageIn, SH["or"]}
_PROPERTY_ONLY = {SH.minCount, SH.maxCount, SH.uniqueLang, SH.lessThan}
_COMPONENT = {
    SH["class"]: "ClassConstraintComponent", SH.datatype: "DatatypeConstraintComponent", SH.nodeKind: "NodeKindConstraintComponent",
    SH["in"]: "InConstraintComponent", SH.minLength: "MinLengthConstraintComponent", SH.maxLength: "MaxLengthConstraintComponent",
    SH.pattern: "PatternConstraintComponent", SH.minInclusive: "MinInclusiveConstraintComponent",
    SH.maxInclusive: "MaxInclusiveConstraintComponent", SH.minExclusive: "MinExclusiveConstraintComponent",
    SH.maxExclusive: "MaxExclusiveConstraintComponent", SH.languageIn: "LanguageInConstraintComponent", SH["or"]: "OrConstraintComponent",
    SH.minCount: "MinCountConstraintComponent", SH.maxCount: "MaxCountConstraintComponent",
    SH.uniqueLang: "UniqueLangConstraintComponent", SH.lessThan: "LessThanConstraintComponent",
}
_NODE_KINDS = {  # the SPARQL test a value node *fails*
    SH.IRI: "!isIRI(?v)", SH.BlankNode: "!isBlank(?v)", SH.Literal: "!isLiteral(?v)",
    SH.BlankNodeOrIRI: "isLiteral(?v)", SH.BlankNodeOrLiteral: "isIRI(?v)", SH.IRIOrLiteral: "isBlank(?v)",
}
# lexical forms that rdflib (and so pyshacl) surely accepts for a datatype; a literal of the datatype
# whose lexical form does not match is decided in Python by pyshacl's own test (``datatype_ok``)
_WELL_FORMED = {
    XSD.integer: "^[+-]?[0-9]+$", XSD.decimal: "^[+-]?[0-9]+[.][0-9]+$|^[+-]?[0-9]+$", XSD.boolean: "^(true|false)$",
    XSD.gYear: "^[0-9]{4}$", XSD.date: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
}


class Unsupported(Exception):
    """A shape feature the compiler does not implement (the shape goes to pyshacl)."""


@dataclass
class Query:
    shape: str  # the source shape's id (``shape_id``)
    path: str  # IRI or ""
    component: str  # sh:…ConstraintComponent IRI
    severity: str
    message: str
    rule: str
    template: str  # SPARQL with {focus} where a VALUES clause for the focus nodes may go
    datatype: str | None = None  # rows with ?check true are decided in Python (sh:datatype)
    has_value: bool = True

    def text(self, focus: str = "") -> str:
        return self.template.replace("{focus}", focus)


@dataclass
class CompiledShapes:
    queries: list[Query]
    fallback: rdflib.Graph | None  # the shapes pyshacl runs (with what they refer to), or None
    refused: dict[str, str] = field(default_factory=dict)  # shape id → why
    class_checked: set[str] = field(default_factory=set)  # predicates whose values' rdf:type a query reads
    objects_of: set[str] = field(default_factory=set)  # sh:targetObjectsOf predicates


def _iri(term) -> str:
    return f"<{term}>"


def _n3(term) -> str:
    if isinstance(term, rdflib.URIRef):
        return f"<{term}>"
    if isinstance(term, rdflib.Literal):
        return term.n3()
    raise Unsupported(f"a blank node as a constraint parameter ({term})")


def shape_id(shapes: rdflib.Graph, shape, _seen: frozenset = frozenset()) -> str:
    """A name for a shape that is the same in every parse of the shapes files: its IRI, or for a
    blank node its parent's id and a canonical description of its triples."""
    if isinstance(shape, rdflib.URIRef):
        return str(shape)
    if shape in _seen:
        return "[…]"
    seen = _seen | {shape}
    parent = shapes.value(None, SH.property, shape)
    prefix = shape_id(shapes, parent, seen) + " " if parent is not None else ""
    return prefix + "[" + _describe(shapes, shape, seen) + "]"


def _describe(shapes: rdflib.Graph, node, seen: frozenset) -> str:
    parts = []
    for p, o in shapes.predicate_objects(node):
        if isinstance(o, rdflib.BNode):
            if (o, RDF.first, None) in shapes or o == RDF.nil:
                value = "(" + " ".join(_describe_term(shapes, x, seen) for x in Collection(shapes, o)) + ")"
            else:
                value = _describe_term(shapes, o, seen)
        else:
            value = o.n3()
        parts.append(f"{p.n3()} {value}")
    return " ; ".join(sorted(parts))


def _describe_term(shapes, term, seen) -> str:
    if isinstance(term, rdflib.BNode):
        return "[" + _describe(shapes, term, seen | {term}) + "]" if term not in seen else "[…]"
    return term.n3()


# ---------------------------------------------------------------- the compiler


def compile_shapes(shapes: rdflib.Graph) -> CompiledShapes:
    out = CompiledShapes([], None)
    refused: list = []
    top = {s for p in _TARGETS | {SH.targetNode} for s in shapes.subjects(p, None)}
    # implicit class targets: a shape that is also an rdfs:Class
    top |= {s for s in shapes.subjects(RDF.type, SH.NodeShape) if (s, RDF.type, RDFS.Class) in shapes}
    for shape in sorted(top, key=str):
        try:
            queries, class_checked = _compile_top(shapes, shape)
        except Unsupported as err:
            refused.append(shape)
            out.refused[shape_id(shapes, shape)] = str(err)
            continue
        out.queries += queries
        out.class_checked |= class_checked
        out.objects_of |= {str(o) for o in shapes.objects(shape, SH.targetObjectsOf)}
    if refused:
        out.fallback = _closure(shapes, refused)
    return out


def _closure(shapes: rdflib.Graph, roots: list) -> rdflib.Graph:
    """The refused shapes with every triple reachable from them (their property shapes, lists, …)."""
    graph = rdflib.Graph()
    for prefix, ns in shapes.namespaces():
        graph.bind(prefix, ns)
    todo, seen = list(roots), set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):
            graph.add((node, p, o))
            if isinstance(o, (rdflib.BNode, rdflib.URIRef)) and o not in seen and (o, None, None) in shapes and p != RDF.type:
                todo.append(o)
    return graph


def _check_keys(shapes: rdflib.Graph, shape, allowed: set) -> None:
    for p in set(shapes.predicates(shape)):
        if str(p).startswith(str(SH)) and p not in allowed and p not in _ANNOTATIONS:
            raise Unsupported(f"{p.n3(shapes.namespace_manager)} on {shape_id(shapes, shape)}")


def _one(shapes: rdflib.Graph, shape, p):
    values = list(shapes.objects(shape, p))
    if len(values) > 1:
        raise Unsupported(f"more than one {p}")
    return values[0] if values else None


def _message(shapes: rdflib.Graph, shape) -> str:
    messages = list(shapes.objects(shape, SH.message))
    if len(messages) != 1:
        raise Unsupported(f"{shape_id(shapes, shape)} has {len(messages)} sh:message (pyshacl's generic messages are not reproduced)")
    return str(messages[0])


def _severity(shapes: rdflib.Graph, shape) -> str:
    severity = _one(shapes, shape, SH.severity)
    if severity is None:
        return "error"
    if severity not in SEVERITIES:
        raise Unsupported(f"severity {severity}")
    return SEVERITIES[severity]


def _deactivated(shapes: rdflib.Graph, shape) -> bool:
    value = _one(shapes, shape, SH.deactivated)
    return isinstance(value, rdflib.Literal) and value.value is True


def _targets(shapes: rdflib.Graph, shape) -> str:
    if (shape, SH.targetNode, None) in shapes:
        raise Unsupported("sh:targetNode")
    if (shape, RDF.type, RDFS.Class) in shapes:
        raise Unsupported("an implicit class target")
    parts = []
    for c in sorted(shapes.objects(shape, SH.targetClass), key=str):
        parts.append(f"{{ ?f rdf:type/rdfs:subClassOf* {_n3(c)} }}")
    for p in sorted(shapes.objects(shape, SH.targetSubjectsOf), key=str):
        parts.append(f"{{ ?f {_n3(p)} ?_t }}")
    for p in sorted(shapes.objects(shape, SH.targetObjectsOf), key=str):
        parts.append(f"{{ ?_t {_n3(p)} ?f }}")
    return "{ SELECT DISTINCT ?f WHERE { {focus} " + " UNION ".join(parts) + " } }"


def _compile_top(shapes: rdflib.Graph, shape) -> tuple[list[Query], set[str]]:
    if _deactivated(shapes, shape):
        return [], set()
    rule_term = shapes.value(shape, RULE)
    rule = str(rule_term) if rule_term is not None else "FP-S00"
    targets = _targets(shapes, shape)
    queries: list[Query] = []
    class_checked: set[str] = set()
    if (shape, SH.path, None) in shapes:
        property_shapes = [shape]
        node_constraints = False
    else:
        _check_keys(shapes, shape, _TARGETS | _VALUE | {SH.property})
        property_shapes = sorted(shapes.objects(shape, SH.property), key=lambda s: shape_id(shapes, s))
        node_constraints = any((shape, p, None) in shapes for p in _VALUE)
    if node_constraints:
        queries += _value_queries(shapes, shape, rule, targets, None, class_checked)
    for ps in property_shapes:
        if _deactivated(shapes, ps):
            continue
        allowed = _VALUE | _PROPERTY_ONLY | {SH.path} | (_TARGETS if ps == shape else set())
        _check_keys(shapes, ps, allowed)
        path = shapes.value(ps, SH.path)
        if not isinstance(path, rdflib.URIRef):
            raise Unsupported("a property path that is not one predicate")
        queries += _value_queries(shapes, ps, rule, targets, path, class_checked)
        queries += _property_queries(shapes, ps, rule, targets, path)
    return queries, class_checked


def _query(shapes, shape, rule, path, constraint, template, **kw) -> Query:
    return Query(shape_id(shapes, shape), str(path) if path is not None else "", str(SH) + _COMPONENT[constraint],
                 _severity(shapes, shape), _message(shapes, shape), rule, template, **kw)


def _value_queries(shapes: rdflib.Graph, shape, rule: str, targets: str, path, class_checked: set[str]) -> list[Query]:
    """One query per value-node constraint: SELECT the (focus, value) pairs that fail it."""
    if path is None:
        values = f"{targets} BIND (?f AS ?v)"
    else:
        values = f"{targets} ?f {_n3(path)} ?v ."
    queries = []

    def add(constraint, fail: str, **kw):
        template = f"SELECT DISTINCT ?f ?v {'?check ' if 'datatype' in kw else ''}WHERE {{ {values} {fail} }}"
        queries.append(_query(shapes, shape, rule, path, constraint, template, **kw))

    for c in sorted(shapes.objects(shape, SH["class"]), key=str):
        add(SH["class"], f"FILTER NOT EXISTS {{ ?v rdf:type/rdfs:subClassOf* {_n3(c)} }}")
        if path is not None:
            class_checked.add(str(path))
    dt = _one(shapes, shape, SH.datatype)
    if dt is not None:
        if not isinstance(dt, rdflib.URIRef):
            raise Unsupported("sh:datatype that is not an IRI")
        well_formed = _WELL_FORMED.get(dt)
        if dt == XSD.string:
            decide = "false"
        elif well_formed:
            decide = f"!REGEX(STR(?v), {rdflib.Literal(well_formed).n3()})"
        else:
            decide = "true"
        add(SH.datatype, f"FILTER (!isLiteral(?v) || DATATYPE(?v) != {_n3(dt)} || {decide}) "
            f"BIND (isLiteral(?v) && DATATYPE(?v) = {_n3(dt)} AS ?check)", datatype=str(dt))
    kind = _one(shapes, shape, SH.nodeKind)
    if kind is not None:
        if kind not in _NODE_KINDS:
            raise Unsupported(f"sh:nodeKind {kind}")
        add(SH.nodeKind, f"FILTER ({_NODE_KINDS[kind]})")
    for members in shapes.objects(shape, SH["in"]):
        add(SH["in"], f"FILTER (!({_in_test(shapes, members)}))")
    for p, op in ((SH.minLength, "<"), (SH.maxLength, ">")):
        for n in shapes.objects(shape, p):
            if not isinstance(n, rdflib.Literal) or not isinstance(n.value, int) or n.value < 0:
                raise Unsupported(f"{p} {n}")
            if p == SH.minLength and n.value == 0:
                continue  # pyshacl: min length zero always passes
            add(p, f"FILTER (isBlank(?v) || STRLEN(STR(?v)) {op} {n.value})")
    patterns = list(shapes.objects(shape, SH.pattern))
    flags = _one(shapes, shape, SH.flags)
    for pattern in patterns:
        if not isinstance(pattern, rdflib.Literal):
            raise Unsupported("sh:pattern that is not a literal")
        if re.search(r"\(\?[=!<]|\\[0-9]", str(pattern)):
            raise Unsupported(f"sh:pattern {pattern} (lookaround or back-reference)")
        regex = f"REGEX(STR(?v), {rdflib.Literal(str(pattern)).n3()}" + (f", {rdflib.Literal(str(flags)).n3()})" if flags is not None else ")")
        add(SH.pattern, f"FILTER (isBlank(?v) || !COALESCE({regex}, false))")
    for p, op in ((SH.minInclusive, ">="), (SH.maxInclusive, "<="), (SH.minExclusive, ">"), (SH.maxExclusive, "<")):
        for m in shapes.objects(shape, p):
            if not isinstance(m, rdflib.Literal) or isinstance(m.value, (bool, str)) or m.value is None:
                raise Unsupported(f"{p} {m} (only numbers are compared as pyshacl does)")
            # pyshacl: blank nodes, IRIs, strings and incomparable literals fail
            add(p, f"FILTER (!isLiteral(?v) || DATATYPE(?v) = xsd:boolean || !COALESCE(?v {op} {m.n3()}, false))")
    languages = _one(shapes, shape, SH.languageIn)
    if languages is not None:
        need = [str(x).lower() for x in Collection(shapes, languages)]
        if "*" in need:
            test = "LANG(?v) != \"\""
        else:
            listed = ", ".join(rdflib.Literal(x).n3() for x in need)
            test = f"LANG(?v) != \"\" && (LCASE(LANG(?v)) IN ({listed}) || LCASE(STRBEFORE(CONCAT(LANG(?v), \"-\"), \"-\")) IN ({listed}))"
        add(SH.languageIn, f"FILTER (!isLiteral(?v) || !({test}))")
    for members in shapes.objects(shape, SH["or"]):
        tests = [_member_test(shapes, m, class_checked, path) for m in Collection(shapes, members)]
        add(SH["or"], f"FILTER (!({' || '.join(tests) or 'false'}))")
    return queries


def _in_test(shapes: rdflib.Graph, members) -> str:
    items = list(Collection(shapes, members))
    return " || ".join(f"sameTerm(?v, {_n3(x)})" for x in items) or "false"


def _member_test(shapes: rdflib.Graph, member, class_checked: set[str], path) -> str:
    """A SPARQL expression true when ?v conforms to an sh:or member shape."""
    _check_keys(shapes, member, {SH["class"], SH.nodeKind, SH["in"]})
    tests = []
    for c in shapes.objects(member, SH["class"]):
        tests.append(f"EXISTS {{ ?v rdf:type/rdfs:subClassOf* {_n3(c)} }}")
        if path is not None:
            class_checked.add(str(path))
    kind = _one(shapes, member, SH.nodeKind)
    if kind is not None:
        if kind not in _NODE_KINDS:
            raise Unsupported(f"sh:nodeKind {kind}")
        tests.append(f"!({_NODE_KINDS[kind]})")
    for members in shapes.objects(member, SH["in"]):
        tests.append(f"({_in_test(shapes, members)})")
    return "(" + (" && ".join(tests) or "true") + ")"


def _property_queries(shapes: rdflib.Graph, shape, rule: str, targets: str, path) -> list[Query]:
    p = _n3(path)
    queries = []
    for n in shapes.objects(shape, SH.minCount):
        if not isinstance(n, rdflib.Literal) or not isinstance(n.value, int):
            raise Unsupported(f"sh:minCount {n}")
        if n.value > 0:
            queries.append(_query(shapes, shape, rule, path, SH.minCount,
                                  f"SELECT ?f WHERE {{ {targets} OPTIONAL {{ ?f {p} ?v }} }} GROUP BY ?f HAVING (COUNT(DISTINCT ?v) < {n.value})", has_value=False))
    for n in shapes.objects(shape, SH.maxCount):
        if not isinstance(n, rdflib.Literal) or not isinstance(n.value, int):
            raise Unsupported(f"sh:maxCount {n}")
        queries.append(_query(shapes, shape, rule, path, SH.maxCount,
                              f"SELECT ?f WHERE {{ {targets} ?f {p} ?v }} GROUP BY ?f HAVING (COUNT(DISTINCT ?v) > {n.value})", has_value=False))
    unique = _one(shapes, shape, SH.uniqueLang)
    if unique is not None:
        if not isinstance(unique, rdflib.Literal) or not isinstance(unique.value, bool):
            raise Unsupported("sh:uniqueLang that is not a boolean")
        if unique.value:
            queries.append(_query(shapes, shape, rule, path, SH.uniqueLang,
                                  f"SELECT DISTINCT ?f WHERE {{ {targets} ?f {p} ?v . ?f {p} ?w . "
                                  "FILTER (isLiteral(?v) && isLiteral(?w) && LANG(?v) != \"\" && !sameTerm(?v, ?w) && LCASE(LANG(?v)) = LCASE(LANG(?w))) }",
                                  has_value=False))
    for other in shapes.objects(shape, SH.lessThan):
        if not isinstance(other, rdflib.URIRef):
            raise Unsupported("sh:lessThan that is not an IRI")
        # pyshacl: IRIs and string literals compare as strings; a string against a non-string fails;
        # anything else compares as values, and what does not compare fails
        string = "(isIRI(?{0}) || (isLiteral(?{0}) && (DATATYPE(?{0}) = xsd:string || LANG(?{0}) != \"\")))"
        fail = (f"IF({string.format('v')} && {string.format('o')}, !(STR(?v) < STR(?o)), "
                f"IF({string.format('v')} || {string.format('o')}, true, !COALESCE(?v < ?o, false)))")
        queries.append(_query(shapes, shape, rule, path, SH.lessThan,
                              f"SELECT DISTINCT ?f ?v WHERE {{ {targets} ?f {p} ?v . ?f {_n3(other)} ?o . "
                              f"FILTER (isBlank(?v) || isBlank(?o) || {fail}) }}"))
    return queries


# ---------------------------------------------------------------- running


def datatype_ok(lexical: str, datatype: str) -> bool:
    """pyshacl's test of a literal whose datatype is the required one (well-formed, and of the
    Python type rdflib gives that datatype)."""
    from pyshacl.constraints.core.value_constraints import DatatypeConstraintComponent

    value = rdflib.Literal(lexical, datatype=rdflib.URIRef(datatype))
    if getattr(value, "ill_typed", None) is True:
        return False
    return DatatypeConstraintComponent._assert_actual_datatype(None, value, rdflib.URIRef(datatype))  # type: ignore[arg-type]


PROLOGUE = "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"


def focus_values(terms) -> str:
    """A VALUES clause restricting ?f to ``terms`` (pyoxigraph terms)."""
    return "VALUES ?f { " + " ".join(str(t) for t in terms) + " }"


def run_queries(store, compiled: CompiledShapes, focus=None) -> list[tuple]:
    """The violations: (Query, focus term, value term or None) for every failing pair.
    ``focus``: only these focus nodes (pyoxigraph terms), else all."""
    from pyoxigraph import Literal

    clause = focus_values(focus) if focus is not None else ""
    if focus is not None and not focus:
        return []
    out = []
    for q in compiled.queries:
        for row in store.query(PROLOGUE + q.text(clause), use_default_graph_as_union=True):
            f = row["f"]
            v = row["v"] if q.has_value else None
            if q.datatype is not None and row["check"] is not None and row["check"].value == "true":
                assert isinstance(v, Literal)
                if datatype_ok(v.value, q.datatype):
                    continue
            out.append((q, f, v))
    return out
