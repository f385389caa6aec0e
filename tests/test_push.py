"""flashpoint push: every named graph reaches a (small, real) Graph Store Protocol receiver."""

from __future__ import annotations

import base64
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest

from conftest import run_cli
from flashpoint.errors import UsageError
from flashpoint.push import push
from flashpoint.store import open_read_only
from flashpoint.vocab import DOC_GRAPH_PREFIX, GAZETTEER_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH


class Receiver(ThreadingHTTPServer):
    """SPARQL 1.1 Graph Store HTTP Protocol, PUT with indirect graph identification only."""

    daemon_threads = True

    def __init__(self, fail_with: int | None = None):
        self.store = ox.Store()
        self.puts: list[str] = []
        self.authorization: list[str | None] = []
        self.fail_with = fail_with
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), ReceiverHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/store"


class ReceiverHandler(BaseHTTPRequestHandler):
    def do_PUT(self):
        server: Receiver = self.server  # type: ignore[assignment]
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if server.fail_with:
            self._answer(server.fail_with, b"the disk is full\n")
            return
        url = urlsplit(self.path)
        graphs = parse_qs(url.query).get("graph", [])
        if url.path != "/store" or len(graphs) != 1:
            self._answer(400, b"expected ?graph=IRI\n")
            return
        if self.headers.get("Content-Type", "").split(";")[0] != "application/n-triples":
            self._answer(415, b"N-Triples only\n")
            return
        graph = ox.NamedNode(graphs[0])
        try:
            triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        except SyntaxError as err:
            self._answer(400, str(err).encode())
            return
        with server.lock:
            existed = graph in set(server.store.named_graphs())
            server.store.remove_graph(graph) if existed else None
            server.store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
            server.puts.append(graph.value)
            server.authorization.append(self.headers.get("Authorization"))
        self._answer(204 if existed else 201, b"")

    def _answer(self, status: int, body: bytes):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    servers = []

    def start(fail_with: int | None = None) -> Receiver:
        server = Receiver(fail_with)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def store(built_project):
    return open_read_only(built_project / ".flashpoint" / "store")


def _canonical(quads) -> set[str]:
    dataset = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def test_every_graph_arrives_isomorphic(store, receiver):
    server = receiver()
    lines = list(push(store, server.url))
    graphs = [g for g in store.named_graphs()]
    assert sorted(server.puts) == sorted(g.value for g in graphs)
    assert server.puts[:2] == [ONTOLOGY_GRAPH.value, GAZETTEER_GRAPH.value] and server.puts[-1] == INFERRED_GRAPH.value
    assert any(p.startswith(DOC_GRAPH_PREFIX) for p in server.puts)
    for graph in graphs:
        sent = list(store.quads_for_pattern(None, None, None, graph))
        got = list(server.store.quads_for_pattern(None, None, None, graph))
        assert _canonical(got) == _canonical(sent), f"{graph} differs at the receiver"
    assert len(lines) == len(graphs) + 1 and lines[-1].startswith(f"pushed {len(graphs)} graphs")
    assert server.authorization == [None] * len(graphs)
    # a second push replaces the graphs (PUT), it does not add to them
    list(push(store, server.url))
    assert len(server.store) == len(store)


def test_basic_auth_and_endpoint_with_query(store, receiver):
    server = receiver()
    list(push(store, server.url + "?x=1", user="alice:s3cret"))  # an endpoint URL with a query of its own
    expected = "Basic " + base64.b64encode(b"alice:s3cret").decode()
    assert set(server.authorization) == {expected}
    with pytest.raises(UsageError, match="user:password"):
        list(push(store, server.url, user="alice"))


def test_cli_push(built_project, receiver):
    server = receiver()
    result = run_cli("push", server.url, "--project", built_project)
    assert result.exit_code == 0, result.stderr
    assert "pushed" in result.stdout and len(server.puts) >= 4


def test_server_error_exit_2(built_project, receiver):
    server = receiver(fail_with=500)
    result = run_cli("push", server.url, "--project", built_project)
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert server.url in message and ONTOLOGY_GRAPH.value in message and "500" in message and "Traceback" not in message


def test_connection_refused_exit_2(built_project):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    endpoint = f"http://127.0.0.1:{port}/store"
    result = run_cli("push", endpoint, "--project", built_project)
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert endpoint in message and ONTOLOGY_GRAPH.value in message and "refused" in message.lower()


def test_not_a_url_exit_2(built_project):
    result = run_cli("push", "ftp://example.org/store", "--project", built_project)
    assert result.exit_code == 2 and "http" in result.stderr
