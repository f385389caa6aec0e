"""``flashpoint push``: send the KB to a remote store over the SPARQL 1.1 Graph Store HTTP Protocol.

https://www.w3.org/TR/sparql11-http-rdf-update/ — every named graph of the
store (the ontology, the gazetteer, one per document, the inferences) is sent
with ``PUT ENDPOINT?graph=<graph IRI>`` (indirect graph identification), its
body the graph's N-Triples, so that the remote graph is replaced by ours: a
push of the same KB twice leaves the remote store as after one push.
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.request
from typing import Iterator
from urllib.parse import urlencode, urlsplit

from pyoxigraph import NamedNode, Store

from flashpoint.errors import UsageError
from flashpoint.export import ntriples
from flashpoint.vocab import DOC_GRAPH_PREFIX, GAZETTEER_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, UNREVIEWED_INFERRED_GRAPH

CONTENT_TYPE = "application/n-triples"
TIMEOUT = 120  # seconds per request


def graphs_to_push(store: Store) -> list[NamedNode]:
    """The store's named graphs: ontology, gazetteer, the documents (sorted), any other
    (the hypothetical graphs among them), and what is derived last: inferred."""
    names = {g for g in store.named_graphs() if isinstance(g, NamedNode)}
    ordered = [g for g in (ONTOLOGY_GRAPH, GAZETTEER_GRAPH) if g in names]
    ordered += sorted((g for g in names if g.value.startswith(DOC_GRAPH_PREFIX)), key=lambda g: g.value)
    derived = [g for g in (UNREVIEWED_INFERRED_GRAPH, INFERRED_GRAPH) if g in names]
    ordered += sorted(names - set(ordered) - set(derived), key=lambda g: g.value)
    return ordered + derived


def graph_url(endpoint: str, graph: NamedNode) -> str:
    separator = "&" if urlsplit(endpoint).query else ("" if endpoint.endswith("?") else "?")
    return endpoint + separator + urlencode({"graph": graph.value})


def _authorization(user: str) -> str:
    if ":" not in user:
        raise UsageError(f"--user {user.split(':')[0]!r}: give user:password")
    return "Basic " + base64.b64encode(user.encode("utf-8")).decode("ascii")


def push(store: Store, endpoint: str, user: str | None = None) -> Iterator[str]:
    """PUT every named graph to ``endpoint``; yields one progress line per graph."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{endpoint}: not an http(s) URL of a Graph Store Protocol endpoint")
    headers = {"Content-Type": CONTENT_TYPE}
    if user is not None:
        headers["Authorization"] = _authorization(user)
    graphs = graphs_to_push(store)
    if not graphs:
        raise UsageError("the store has no named graphs to push: run `flashpoint build` first")
    total = 0
    for graph in graphs:
        body = ntriples(store.quads_for_pattern(None, None, None, graph))
        count = body.count(b"\n")
        request = urllib.request.Request(graph_url(endpoint, graph), data=body, method="PUT", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                status = response.status
                response.read()
        except urllib.error.HTTPError as err:
            detail = _first_line(err)
            raise UsageError(f"push to {endpoint} failed: graph <{graph.value}>: HTTP {err.code} {err.reason}{detail}") from None
        except urllib.error.URLError as err:
            reason = getattr(err.reason, "strerror", None) or err.reason
            raise UsageError(f"push to {endpoint} failed: graph <{graph.value}>: {reason}") from None
        except (OSError, TimeoutError) as err:
            raise UsageError(f"push to {endpoint} failed: graph <{graph.value}>: {err}") from None
        total += count
        yield f"PUT <{graph.value}>: {count} triples (HTTP {status})"
    yield f"pushed {len(graphs)} graphs, {total} triples to {endpoint}"


def _first_line(err: urllib.error.HTTPError) -> str:
    """': <first line of the error body>' when the server said something short and textual."""
    try:
        text = err.read(500).decode("utf-8", "replace").strip()
    except Exception:
        return ""
    line = text.splitlines()[0].strip() if text else ""
    return f": {line[:200]}" if line and not line.startswith("<") else ""
