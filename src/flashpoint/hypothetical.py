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

from flashpoint.vocab import DOC_GRAPH_PREFIX, FP, GRAPH_BASE, HYPOTHETICAL_GRAPH_PREFIX, XSD

MARKER_GRAPH = NamedNode(GRAPH_BASE + "hypothetical-things")
HYPOTHETICAL = NamedNode(FP + "hypothetical")
TRUE = Literal("true", datatype=NamedNode(XSD + "boolean"))

_QUERY = f"""
SELECT DISTINCT ?x WHERE {{
  GRAPH ?h {{ ?x a ?class }}
  FILTER (STRSTARTS(STR(?h), "{HYPOTHETICAL_GRAPH_PREFIX}"))
  FILTER NOT EXISTS {{
    GRAPH ?w {{ ?x a ?other }}
    FILTER (STRSTARTS(STR(?w), "{DOC_GRAPH_PREFIX}"))
  }}
}}"""


def mark(store: Store) -> int:
    """Rewrite the marker graph from the store's document graphs; the number of hypothetical things."""
    things = sorted((solution["x"] for solution in store.query(_QUERY)), key=str)
    store.remove_graph(MARKER_GRAPH)
    store.bulk_extend(Quad(x, HYPOTHETICAL, TRUE, MARKER_GRAPH) for x in things)
    return len(things)
