"""flashpoint serve: the SPARQL 1.1 Protocol over HTTP, queried with urllib."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from urllib.parse import urlencode
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest

from flashpoint.serve import make_server
from flashpoint.store import open_read_only
from flashpoint.vocab import FP, INFERRED_GRAPH

COUNT_CLAIMS = f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{FP}Claim> }}"


@pytest.fixture(scope="module")
def endpoint(built_project):
    store = open_read_only(built_project / ".flashpoint" / "store")
    server = make_server(store, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.url
    server.shutdown()
    server.server_close()


def request(url, data=None, headers=None, method=None):
    """(status, content type, body) — also for 4xx/5xx answers."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read()


def get(endpoint, query, accept=None, **params):
    headers = {"Accept": accept} if accept else {}
    return request(endpoint + "?" + urlencode({"query": query, **params}, doseq=True), headers=headers)


def claim_count(built_project) -> int:
    store = open_read_only(built_project / ".flashpoint" / "store")
    return int(next(iter(store.query(COUNT_CLAIMS, use_default_graph_as_union=True)))["n"].value)


def test_select_json_default(endpoint, built_project):
    status, ctype, body = get(endpoint, COUNT_CLAIMS)
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    results = json.loads(body)
    assert results["head"]["vars"] == ["n"]
    n = int(results["results"]["bindings"][0]["n"]["value"])
    assert n == claim_count(built_project) > 0


def test_select_csv_tsv_xml(endpoint):
    query = f"SELECT DISTINCT ?c ?quote WHERE {{ ?c a <{FP}Claim> ; <{FP}quote> ?quote }} ORDER BY ?c LIMIT 5"
    status, ctype, body = get(endpoint, query, accept="text/csv")
    assert status == 200 and ctype.startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows[0] == ["c", "quote"] and len(rows) == 6
    status, ctype, body = get(endpoint, query, accept="text/tab-separated-values")
    assert status == 200 and ctype.startswith("text/tab-separated-values")
    assert body.decode().splitlines()[0] == "?c\t?quote"
    status, ctype, body = get(endpoint, query, accept="application/sparql-results+xml")
    assert status == 200 and ctype.startswith("application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert len(ElementTree.fromstring(body).findall("r:results/r:result", ns)) == 5


def test_accept_with_quality_values(endpoint):
    status, ctype, _ = get(endpoint, COUNT_CLAIMS, accept="text/csv;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1")
    assert status == 200 and ctype.startswith("application/sparql-results+xml")
    status, _, body = get(endpoint, COUNT_CLAIMS, accept="image/png")
    assert status == 406 and b"text/csv" in body


def test_ask(endpoint):
    status, ctype, body = get(endpoint, f"ASK {{ ?c a <{FP}Claim> }}")
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = get(endpoint, "ASK { <urn:x:nothing> ?p ?o }")
    assert json.loads(body)["boolean"] is False
    status, ctype, body = get(endpoint, "ASK { ?s ?p ?o }", accept="application/sparql-results+xml")
    assert status == 200 and b"<boolean>true</boolean>" in body


def test_construct_turtle_and_ntriples(endpoint):
    query = f"CONSTRUCT {{ ?c a <{FP}Claim> }} WHERE {{ ?c a <{FP}Claim> }}"
    status, ctype, body = get(endpoint, query)
    assert status == 200 and ctype.startswith("text/turtle")
    turtle = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
    status, ctype, body = get(endpoint, query, accept="application/n-triples")
    assert status == 200 and ctype.startswith("application/n-triples")
    ntriples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    assert set(turtle) == set(ntriples) and turtle


def test_describe(endpoint):
    status, ctype, body = get(endpoint, f"DESCRIBE <{FP}Claim>")
    assert status == 200 and ctype.startswith("text/turtle")
    assert any(t.subject == ox.NamedNode(FP + "Claim") for t in ox.parse(body, format=ox.RdfFormat.TURTLE))


def test_post_form_and_direct(endpoint, built_project):
    form = urlencode({"query": COUNT_CLAIMS}).encode()
    status, ctype, body = request(endpoint, form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == claim_count(built_project)
    status, ctype, body = request(endpoint, COUNT_CLAIMS.encode(), {"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert status == 200 and ctype.startswith("text/csv")
    assert body.decode().splitlines()[1] == str(claim_count(built_project))


def test_dataset_parameters(endpoint, built_project):
    store = open_read_only(built_project / ".flashpoint" / "store")
    inferred = len(list(store.quads_for_pattern(None, None, None, INFERRED_GRAPH)))
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    status, _, body = get(endpoint, query, **{"default-graph-uri": INFERRED_GRAPH.value})
    assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == inferred
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    status, _, body = get(endpoint, query, **{"named-graph-uri": INFERRED_GRAPH.value})
    graphs = [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert status == 200 and graphs == [INFERRED_GRAPH.value]
    # without parameters: the union of all graphs, as the CLI
    status, _, body = get(endpoint, query)
    assert len(json.loads(body)["results"]["bindings"]) >= 4


def test_syntax_error_is_400(endpoint):
    status, ctype, body = get(endpoint, "SELEKT ?x WHERE { ?x ?y ?z }")
    assert status == 400 and ctype.startswith("text/plain")
    assert b"SPARQL syntax error" in body and b"1:" in body
    status, _, body = request(endpoint, b"SELECT ?x WHERE {", {"Content-Type": "application/sparql-query"})
    assert status == 400


def test_bad_requests(endpoint):
    assert request(endpoint + "?foo=bar")[0] == 400  # no query
    assert request(endpoint.replace("/sparql", "/nowhere"))[0] == 404
    assert request(endpoint, b"query=ASK{}", {"Content-Type": "text/plain"})[0] == 415


def test_updates_refused(endpoint, built_project):
    update = "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
    form = urlencode({"update": update}).encode()
    status, _, body = request(endpoint, form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403 and b"read-only" in body
    status, _, body = request(endpoint, update.encode(), {"Content-Type": "application/sparql-update"})
    assert status == 403 and b"read-only" in body
    status, _, body = get(endpoint, "PREFIX x: <urn:x:> " + update)  # an update sent as a query
    assert status == 403
    for method in ("PUT", "DELETE"):
        status, _, _ = request(endpoint, b"", {"Content-Type": "application/n-triples"}, method=method)
        assert status == 405
    assert get(endpoint, "ASK { <urn:x:a> ?p ?o }")[2] and json.loads(get(endpoint, "ASK { <urn:x:a> ?p ?o }")[2])["boolean"] is False


def test_home_page(endpoint):
    status, ctype, body = request(endpoint.replace("/sparql", "/"))
    assert status == 200 and ctype.startswith("text/html") and b"<form" in body


def test_cli_serve_prints_url(built_project):
    """`flashpoint serve --port 0` picks a free port, says which, and answers there."""
    process = subprocess.Popen(
        [sys.executable, "-m", "flashpoint.cli", "serve", "--port", "0", "--project", str(built_project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline().strip()
        assert line.startswith("serving SPARQL on http://127.0.0.1:") and line.endswith("/sparql"), line
        url = line.split(" on ", 1)[1]
        status, _, body = get(url, "ASK { ?s ?p ?o }")
        assert status == 200 and json.loads(body)["boolean"] is True
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
