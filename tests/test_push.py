"""flashpoint push mirrors the KB into a real `oxigraph serve` (from PyPI, started here):
every KB graph arrives whole, the graphs of a deleted document are pruned, foreign graphs
stay, and the competency queries give the remote the same answers as the local store.
Credentials, redirects and failures are checked against a tiny recording server."""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pyoxigraph as ox
import pytest

from conftest import REPO, copy_repo_kb, run_cli
from flashpoint.errors import UsageError
from flashpoint.push import guess_query_endpoint, push
from flashpoint.store import open_read_only
from flashpoint.vocab import DOC_GRAPH_PREFIX, GAZETTEER_GRAPH, GRAPH_BASE, HYPOTHETICAL_GRAPH_PREFIX, INFERRED_GRAPH, ONTOLOGY_GRAPH

EXTRA_DOCUMENT = REPO / "bench" / "heldout" / "israel-iran.txt"  # short: a second document to delete later
FOREIGN = "http://example.org/other"
FOREIGN_TRIPLE = b'<http://example.org/x> <http://example.org/says> "not flashpoint\'s" .\n'
NT = {"Content-Type": "application/n-triples"}


@pytest.fixture(autouse=True)
def no_ambient_credentials(monkeypatch, tmp_path):
    """No credentials from the person running the tests (no variables, a netrc that does not exist), no proxy."""
    monkeypatch.delenv("FLASHPOINT_PUSH_PASSWORD", raising=False)
    monkeypatch.delenv("FLASHPOINT_PUSH_TOKEN", raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(variable, raising=False)  # the servers are on 127.0.0.1


# ------------------------------------------------------------------ a real oxigraph server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Oxigraph:
    def __init__(self, location: Path):
        binary = Path(sys.executable).with_name("oxigraph")
        binary = binary if binary.exists() else Path(shutil.which("oxigraph") or "oxigraph")
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.store_url, self.query_url = self.base + "/store", self.base + "/query"
        self.process = subprocess.Popen(
            [str(binary), "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}", "--union-default-graph"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(self.query_url, params={"query": "ASK {}"}, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"oxigraph serve did not start: {self.process.stderr.read().decode(errors='replace')}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stderr.close()

    def select(self, query: str) -> list[dict]:
        response = httpx.post(self.query_url, content=query.encode(), timeout=30,
                              headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
        assert response.status_code == 200, response.text
        return response.json()["results"]["bindings"]

    def counts(self) -> dict[str, int]:
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}

    def graphs(self) -> set[str]:
        return {row["g"]["value"] for row in self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g {} }")}

    def put(self, graph: str, body: bytes) -> None:
        response = httpx.put(self.store_url, params={"graph": graph}, content=body, headers=NT)
        assert response.status_code in (201, 204), response.text

    def triples(self, graph: str) -> list[ox.Triple]:
        response = httpx.get(self.store_url, params={"graph": graph}, headers={"Accept": "application/n-triples"})
        assert response.status_code == 200, response.text
        return list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))


@pytest.fixture
def oxigraph(tmp_path):
    """Start a fresh `oxigraph serve` (empty store, free port) per call; all are stopped at the end."""
    servers: list[Oxigraph] = []

    def start() -> Oxigraph:
        server = Oxigraph(tmp_path / f"oxigraph-{len(servers)}")
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


# ------------------------------------------------------------------ the KB


@pytest.fixture(scope="module")
def two_documents(tmp_path_factory) -> Path:
    """The seed KB plus a second document (added with its claims file), built. Tests copy it to change it."""
    project = copy_repo_kb(tmp_path_factory.mktemp("push") / "kb-project")
    result = run_cli("add", EXTRA_DOCUMENT, "--project", project)
    assert result.exit_code == 0, result.stderr
    assert (project / "kb" / "claims" / "israel-iran.yaml").exists()
    return project


def local_counts(project: Path) -> dict[str, int]:
    store = open_read_only(project / ".flashpoint" / "store")
    return {g.value: sum(1 for _ in store.quads_for_pattern(None, None, None, g)) for g in store.named_graphs()}


def assert_mirror(remote: "Oxigraph", local: dict[str, int]) -> None:
    """The remote holds exactly the KB's graphs (an empty one too), each with as many triples, and the foreign graph."""
    assert remote.graphs() == set(local) | {FOREIGN}
    assert remote.counts() == {**{g: n for g, n in local.items() if n}, FOREIGN: 1}


def _canonical(triples) -> set[str]:
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def _rows(bindings: list[dict]) -> set[frozenset]:
    """SPARQL JSON result rows as a set, literal forms normalised (xsd:string is a plain literal)."""
    def term(value: dict) -> tuple:
        kind = "literal" if value["type"] == "typed-literal" else value["type"]
        datatype = value.get("datatype")
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            datatype = None
        return (kind, value["value"], datatype, value.get("xml:lang"))
    return {frozenset((var, term(v)) for var, v in row.items()) for row in bindings}


# ------------------------------------------------------------------ mirror into oxigraph


def test_mirror_counts_answers_and_foreign_graph(two_documents, oxigraph):
    """Per-graph counts and contents equal, foreign graph kept, all 13 competency queries answer the same."""
    remote = oxigraph()
    remote.put(FOREIGN, FOREIGN_TRIPLE)
    result = run_cli("push", remote.store_url, "--project", two_documents)
    assert result.exit_code == 0, result.stderr
    local = local_counts(two_documents)
    assert all(g.startswith(GRAPH_BASE) for g in local) and len(local) >= 8
    summary = result.stdout.strip().splitlines()[-1]
    assert summary == f"pushed {len(local)} graphs ({sum(local.values()):,} triples) to {remote.store_url}, deleted 0, kept 1 foreign graph"

    assert_mirror(remote, local)
    store = open_read_only(two_documents / ".flashpoint" / "store")
    for graph in local:  # not only as many triples: the same ones (blank nodes up to renaming)
        sent = [q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))]
        assert _canonical(remote.triples(graph)) == _canonical(sent), f"{graph} differs on the remote"

    queries = sorted((two_documents / "queries").glob("cq*.rq"))
    assert len(queries) == 13
    answered = 0
    for path in queries:
        mine = run_cli("query", path, "--format", "json", "--project", two_documents)
        assert mine.exit_code == 0, mine.stderr
        expected = _rows(json.loads(mine.stdout)["results"]["bindings"])
        assert _rows(remote.select(path.read_text(encoding="utf-8"))) == expected, f"{path.name}: remote answers differ"
        answered += bool(expected)
    assert answered == 13

    # a second push replaces (PUT), it does not add: the remote is as after one push
    again = run_cli("push", remote.store_url, "--project", two_documents)
    assert again.exit_code == 0, again.stderr
    assert_mirror(remote, local)


def test_prunes_a_deleted_document_and_keeps_the_rest(two_documents, oxigraph, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(two_documents, project)
    remote = oxigraph()
    remote.put(FOREIGN, FOREIGN_TRIPLE)
    assert run_cli("push", remote.store_url, "--project", project).exit_code == 0
    gone = [DOC_GRAPH_PREFIX + "israel-iran", HYPOTHETICAL_GRAPH_PREFIX + "israel-iran"]
    assert set(gone) <= remote.graphs()
    seed_graph = DOC_GRAPH_PREFIX + "nk-missile-launches"
    seed_before = _canonical(remote.triples(seed_graph))

    (project / "kb" / "documents" / "israel-iran.txt").unlink()
    (project / "kb" / "claims" / "israel-iran.yaml").unlink()
    rebuilt = run_cli("build", "--project", project)
    assert rebuilt.exit_code == 0, rebuilt.stderr
    local = local_counts(project)
    assert not set(gone) & set(local)

    before = remote.counts()
    dry = run_cli("push", remote.store_url, "--dry-run", "--project", project)
    assert dry.exit_code == 0, dry.stderr
    assert remote.counts() == before  # nothing written
    lines = dry.stdout.strip().splitlines()
    assert {line for line in lines if line.startswith("would DELETE")} == {f"would DELETE <{g}> (no longer in the KB)" for g in gone}
    assert f"would keep <{FOREIGN}> (not a flashpoint graph)" in lines
    assert sum(line.startswith("would PUT") for line in lines) == len(local)
    assert lines[-1].startswith(f"dry run: would push {len(local)} graphs") and "would delete 2, would keep 1 foreign graph" in lines[-1]

    result = run_cli("push", remote.store_url, "--project", project)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].endswith(", deleted 2, kept 1 foreign graph")
    assert_mirror(remote, local)  # exactly the KB's graphs, and the foreign one
    assert _canonical(remote.triples(seed_graph)) == seed_before  # the other document's graph as it was
    assert remote.triples(FOREIGN) == list(ox.parse(FOREIGN_TRIPLE, format=ox.RdfFormat.N_TRIPLES))


def test_dry_run_on_a_fresh_remote_writes_nothing(built_project, oxigraph):
    remote = oxigraph()
    remote.put(FOREIGN, FOREIGN_TRIPLE)
    remote.put(GRAPH_BASE + "doc/stale", b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n")
    before = remote.counts()
    result = run_cli("push", remote.store_url, "--dry-run", "--project", built_project)
    assert result.exit_code == 0, result.stderr
    assert remote.counts() == before
    assert f"would DELETE <{GRAPH_BASE}doc/stale> (no longer in the KB)" in result.stdout
    assert f"would PUT <{ONTOLOGY_GRAPH.value}> (" in result.stdout and ", new)" in result.stdout
    assert "nothing sent to" in result.stdout


# ------------------------------------------------------------------ a recording server: credentials, failures


class Recorder(ThreadingHTTPServer):
    """Graph Store Protocol at /store (PUT, DELETE) and a graph listing at /query (GET), recording every request."""

    daemon_threads = True

    def __init__(self, graphs=(), fail: dict | None = None, redirect_to: str | None = None):
        self.graphs = set(graphs)
        self.requests: list[dict] = []
        self.fail = fail or {}  # {"PUT": (status, after n successful PUTs)} or {"GET": (status, 0)}
        self.redirect_to = redirect_to
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), RecorderHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/store"

    def methods(self) -> list[str]:
        return [r["method"] for r in self.requests]


class RecorderHandler(BaseHTTPRequestHandler):
    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _handle(self):
        server: Recorder = self.server  # type: ignore[assignment]
        body = self._body()
        url = urlsplit(self.path)
        graph = parse_qs(url.query).get("graph", [None])[0]
        with server.lock:
            done = sum(1 for r in server.requests if r["method"] == self.command)
            server.requests.append({"method": self.command, "path": url.path, "graph": graph, "host": self.headers.get("Host"),
                                    "authorization": self.headers.get("Authorization"), "body": body})
            status, after = server.fail.get(self.command, (None, 0))
            if status and done >= after:
                return self._answer(status, b"the disk is full\n")
            if server.redirect_to and self.command == "PUT":
                return self._answer(307, b"", {"Location": server.redirect_to + self.path})
            if self.command == "GET" and url.path == "/query":
                bindings = [{"g": {"type": "uri", "value": g}} for g in sorted(server.graphs)]
                return self._answer(200, json.dumps({"head": {"vars": ["g"]}, "results": {"bindings": bindings}}).encode(),
                                    {"Content-Type": "application/sparql-results+json"})
            if url.path != "/store" or graph is None:
                return self._answer(404, b"not here\n")
            if self.command == "PUT":
                ox.parse(body, format=ox.RdfFormat.N_TRIPLES)  # well-formed N-Triples
                existed = graph in server.graphs
                server.graphs.add(graph)
                return self._answer(204 if existed else 201, b"")
            if self.command == "DELETE":
                if graph not in server.graphs:
                    return self._answer(404, b"no such graph\n")
                server.graphs.discard(graph)
                return self._answer(204, b"")
        self._answer(405, b"")

    do_GET = do_PUT = do_DELETE = _handle

    def _answer(self, status: int, body: bytes, headers: dict | None = None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    servers = []

    def start(**options) -> Recorder:
        server = Recorder(**options)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_netrc_entry_gives_basic_auth(built_project, recorder, tmp_path, monkeypatch):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine example.org login nobody password wrong\nmachine 127.0.0.1 login alice password s3cret\n")
    monkeypatch.setenv("NETRC", str(netrc))
    server = recorder()
    result = run_cli("push", server.url, "--project", built_project)
    assert result.exit_code == 0, result.stderr
    assert server.methods()[0] == "GET" and "PUT" in server.methods()
    assert {r["authorization"] for r in server.requests} == {_basic("alice", "s3cret")}
    assert "warning" not in result.stderr


def test_password_and_token_from_the_environment(built_project, recorder, monkeypatch):
    monkeypatch.setenv("FLASHPOINT_PUSH_PASSWORD", "pa ss:wd")
    server = recorder()
    result = run_cli("push", server.url, "--user", "bob", "--project", built_project)
    assert result.exit_code == 0, result.stderr
    assert {r["authorization"] for r in server.requests} == {_basic("bob", "pa ss:wd")} and "warning" not in result.stderr

    without_user = run_cli("push", server.url, "--project", built_project)
    assert without_user.exit_code == 2 and "--user" in without_user.stderr

    monkeypatch.delenv("FLASHPOINT_PUSH_PASSWORD")
    monkeypatch.setenv("FLASHPOINT_PUSH_TOKEN", "t0ken")
    server = recorder()
    assert run_cli("push", server.url, "--project", built_project).exit_code == 0
    assert {r["authorization"] for r in server.requests} == {"Bearer t0ken"}


def test_user_with_password_on_the_command_line_warns(built_project, recorder):
    server = recorder()
    result = run_cli("push", server.url, "--user", "alice:s3cret", "--project", built_project)
    assert result.exit_code == 0, result.stderr
    assert {r["authorization"] for r in server.requests} == {_basic("alice", "s3cret")}
    assert "warning" in result.stderr and "`ps`" in result.stderr and "s3cret" not in result.stderr


def test_user_without_a_password_is_a_usage_error(built_project, recorder):
    server = recorder()
    result = run_cli("push", server.url, "--user", "alice", "--project", built_project)
    assert result.exit_code == 2 and "FLASHPOINT_PUSH_PASSWORD" in result.stderr and "netrc" in result.stderr
    assert server.requests == []


def test_no_credentials_to_another_host_on_redirect(built_project, recorder):
    server = recorder()
    other_host = f"http://localhost:{server.server_address[1]}"  # same server, but another host name
    server.redirect_to = other_host
    result = run_cli("push", server.url, "--user", "alice:s3cret", "--project", built_project)
    assert result.exit_code == 2
    assert "redirect to another host" in result.stderr and "not followed" in result.stderr
    assert [r["host"].split(":")[0] for r in server.requests] == ["127.0.0.1", "127.0.0.1"]  # the listing, one PUT


def test_dry_run_and_no_prune_on_the_recorder(built_project, recorder):
    server = recorder(graphs=[FOREIGN, GRAPH_BASE + "doc/gone"])
    dry = run_cli("push", server.url, "--dry-run", "--project", built_project)
    assert dry.exit_code == 0, dry.stderr
    assert server.methods() == ["GET"]  # only the question which graphs the remote holds

    kept = run_cli("push", server.url, "--no-prune", "--project", built_project)
    assert kept.exit_code == 0, kept.stderr
    assert set(server.methods()[1:]) == {"PUT"} and GRAPH_BASE + "doc/gone" in server.graphs
    assert kept.stdout.strip().endswith("(not pruned: --no-prune)")

    pruned = run_cli("push", server.url, "--project", built_project)
    assert pruned.exit_code == 0, pruned.stderr
    assert [r["graph"] for r in server.requests if r["method"] == "DELETE"] == [GRAPH_BASE + "doc/gone"]
    assert FOREIGN in server.graphs and GRAPH_BASE + "doc/gone" not in server.graphs


def test_failure_midway_says_what_was_sent(built_project, recorder):
    server = recorder(fail={"PUT": (500, 2)})
    result = run_cli("push", server.url, "--project", built_project)
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    third = [r["graph"] for r in server.requests if r["method"] == "PUT"][2]
    assert server.url in message and f"PUT <{third}>" in message and "HTTP 500" in message and "the disk is full" in message
    assert "already sent 2 of" in message and "ontology, gazetteer" in message and "Traceback" not in message


@pytest.mark.parametrize("method,status", [("GET", 401), ("GET", 404), ("PUT", 401), ("PUT", 503)])
def test_http_errors_exit_2_naming_endpoint_and_status(built_project, recorder, method, status):
    server = recorder(fail={method: (status, 0)})
    result = run_cli("push", server.url, "--project", built_project)
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and message.startswith(f"flashpoint: push to {server.url} failed"), message
    assert f"HTTP {status}" in message
    if status == 401:
        assert "no credentials were sent" in message
    if method == "PUT":
        assert ONTOLOGY_GRAPH.value in message and "none of the" in message


def test_connection_refused_exit_2(built_project):
    endpoint = f"http://127.0.0.1:{_free_port()}/store"  # a port nobody listens on
    result = run_cli("push", endpoint, "--project", built_project)
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert endpoint in message and "refused" in message.lower() and "nothing was sent" in message


def test_not_a_url_exit_2(built_project):
    result = run_cli("push", "ftp://example.org/store", "--project", built_project)
    assert result.exit_code == 2 and "http" in result.stderr


def test_library_call_and_graph_order(built_project, recorder):
    store = open_read_only(built_project / ".flashpoint" / "store")
    server = recorder()
    lines = list(push(store, server.url + "?x=1", environ={}))  # an endpoint URL with a query of its own
    puts = [r["graph"] for r in server.requests if r["method"] == "PUT"]
    assert puts[:2] == [ONTOLOGY_GRAPH.value, GAZETTEER_GRAPH.value] and puts[-1] == INFERRED_GRAPH.value
    assert any(p.startswith(DOC_GRAPH_PREFIX) for p in puts) and lines[-1].startswith(f"pushed {len(puts)} graphs")
    with pytest.raises(UsageError, match="no password"):
        list(push(store, server.url, user="alice", environ={}))


def test_guess_query_endpoint():
    assert guess_query_endpoint("http://localhost:7878/store") == "http://localhost:7878/query"
    assert guess_query_endpoint("http://localhost:3030/kb/data") == "http://localhost:3030/kb/sparql"
    assert guess_query_endpoint("http://localhost:7200/repositories/kb/rdf-graphs/service") == "http://localhost:7200/repositories/kb"
    assert guess_query_endpoint("http://localhost:7001/") == "http://localhost:7001/"  # QLever: one endpoint for all
