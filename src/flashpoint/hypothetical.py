"""Which things in the KB are hypothetical: mentioned only in hedged claims.

Each document keeps the descriptions of what it mentions only hedged ("could
lead to a conflict") in its own graph, ``fpid:graph/hypothetical/<slug>``
(``loaders/to_rdf.py``). Whether such a thing is hypothetical for the whole KB
depends on every other document too: another document may state that it
happened. So the marker ``?x fp:hypothetical true`` is computed over the whole
store, after each build (and by ``check`` over its in-memory KB), into one
graph of its own, ``fpid:graph/hypothetical-things``:

    hypothetical = described in some hypothetical graph, typed in no document graph

A world-layer query stays honest with ``FILTER NOT EXISTS { ?x fp:hypothetical true }``.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Quad, Store

from flashpoint.vocab import DOC_GRAPH_PREFIX, FP, GRAPH_BASE, HYPOTHETICAL_GRAPH_PREFIX, RDF, XSD

MARKER_GRAPH = NamedNode(GRAPH_BASE + "hypothetical-things")
HYPOTHETICAL = NamedNode(FP + "hypothetical")
TRUE = Literal("true", datatype=NamedNode(XSD + "boolean"))

RDF_TYPE = NamedNode(RDF + "type")


def mark(store: Store) -> int:
    """Rewrite the marker graph from the store's document graphs; the number of hypothetical things.

    Index lookups rather than one SPARQL query: the candidates are the few
    things of the hypothetical graphs, and each is looked up by subject (a
    query joined over every rdf:type of the store took 0.5-0.9 s at 100k quads;
    this takes about 0.05 s, measured on bench/generate.py's 100k project)."""
    graphs = [g for g in store.named_graphs() if isinstance(g, NamedNode) and g.value.startswith(HYPOTHETICAL_GRAPH_PREFIX)]
    candidates = {q.subject for g in graphs for q in store.quads_for_pattern(None, RDF_TYPE, None, g)}
    things = sorted((x for x in candidates if not _in_world(store, x)), key=str)
    store.remove_graph(MARKER_GRAPH)
    store.extend(Quad(x, HYPOTHETICAL, TRUE, MARKER_GRAPH) for x in things)  # a few hundred: no bulk loader
    return len(things)


def _in_world(store: Store, thing) -> bool:
    """Typed in some document graph: some document states that it exists."""
    return any(isinstance(q.graph_name, NamedNode) and q.graph_name.value.startswith(DOC_GRAPH_PREFIX)
               for q in store.quads_for_pattern(thing, RDF_TYPE, None, None))
