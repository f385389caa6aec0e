"""flashpoint serve: the SPARQL 1.1 Protocol over HTTP, against the real server in a subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest

from conftest import run_cli
from flashpoint.store import open_read_only
from flashpoint.vocab import FP, INFERRED_GRAPH

COUNT_CLAIMS = f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{FP}Claim> }}"
TITLE = "SELECT ?t WHERE { <https://w3id.org/flashpoint/id/doc/nk-missile-launches> <http://purl.org/dc/terms/title> ?t }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ENGINE = os.environ.get("FLASHPOINT_TEST_ENGINE", "proxy")  # tests run on one engine use this one (the shared tests run on both)
INPROCESS = ("--engine", "inprocess")  # the tests of the in-process engine's workers
RELOAD_BOUND = 2.0  # seconds after `flashpoint build` returns by which every query is answered from the new build


class Server:
    """`flashpoint serve --port 0 …` in a subprocess."""

    def __init__(self, project: Path, *args: str):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flashpoint.cli", "serve", "--port", "0", "--project", str(project),
             *(() if "--engine" in args else ("--engine", ENGINE)), *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.line = self.process.stdout.readline().strip()
        assert self.line.startswith("flashpoint serve: http://127.0.0.1:"), self.line + self.process.stderr.read()
        self.url = self.line.split()[2]
        self.port = int(self.url.split(":")[2].split("/")[0])

    def engine_pids(self) -> list[int]:
        """The engine processes: the oxigraph child (--engine proxy) or the workers (the default)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(c) for c in children]

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server and its engine processes."""
        total = 0.0
        for pid in [self.process.pid] + self.engine_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def wait_for_engines(self, count: int, seconds: float = 10) -> list[int]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            pids = self.engine_pids()
            if len(pids) == count:
                return pids
            time.sleep(0.05)
        return self.engine_pids()

    def stop(self) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=15)
        self.process.stdout.close()
        self.process.stderr.close()

    def stop_and_stderr(self) -> str:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=15)
        return self.process.stderr.read()


@pytest.fixture(scope="module", params=["inprocess", "proxy"])
def server(built_project, request):
    """The shared server, once per engine: both give the same answers and the same refusals."""
    s = Server(built_project, "--timeout", "2", "--engine", request.param)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def endpoint(server):
    return server.url


def request(url, data=None, headers=None, method=None, timeout=30):
    """(status, content type, body) — also for 4xx/5xx answers."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read()


def head_of(url, headers=None, method="GET"):
    req = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as err:
        return err.code, err.headers


def get(endpoint, query, accept=None, **params):
    headers = {"Accept": accept} if accept else {}
    return request(endpoint + "?" + urlencode({"query": query, **params}, doseq=True), headers=headers)


def claim_count(built_project) -> int:
    store = open_read_only(built_project / ".flashpoint" / "store")
    return int(next(iter(store.query(COUNT_CLAIMS, use_default_graph_as_union=True)))["n"].value)


def alive(endpoint) -> bool:
    status, _, body = get(endpoint, "ASK { ?s ?p ?o }")
    return status == 200 and json.loads(body)["boolean"] is True


# ------------------------------------------------------------------ answers


def test_start_line(server, built_project):
    assert server.line.endswith(" quads)") and str(built_project / ".flashpoint" / "store") in server.line


def test_select_json_default(endpoint, built_project):
    status, ctype, body = get(endpoint, COUNT_CLAIMS)
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    results = json.loads(body)
    assert results["head"]["vars"] == ["n"]
    assert int(results["results"]["bindings"][0]["n"]["value"]) == claim_count(built_project) > 0


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


def test_accept_negotiation(endpoint):
    status, ctype, _ = get(endpoint, COUNT_CLAIMS, accept="text/csv;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1")
    assert status == 200 and ctype.startswith("application/sparql-results+xml")
    status, _, _ = get(endpoint, COUNT_CLAIMS, accept="image/png")
    assert status == 406
    status, ctype, _ = get(endpoint, COUNT_CLAIMS, format="text/csv")  # the HTML form's choice
    assert status == 200 and ctype.startswith("text/csv")


def test_ask(endpoint):
    status, _, body = get(endpoint, f"ASK {{ ?c a <{FP}Claim> }}")
    assert status == 200 and json.loads(body)["boolean"] is True
    assert json.loads(get(endpoint, "ASK { <urn:x:nothing> ?p ?o }")[2])["boolean"] is False


def test_construct_turtle_and_ntriples(endpoint):
    query = f"CONSTRUCT {{ ?c a <{FP}Claim> }} WHERE {{ ?c a <{FP}Claim> }}"
    status, ctype, body = get(endpoint, query)
    assert status == 200 and ctype.startswith("text/turtle")
    turtle = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
    status, ctype, body = get(endpoint, query, accept="application/n-triples")
    assert status == 200 and ctype.startswith("application/n-triples")
    assert set(turtle) == set(ox.parse(body, format=ox.RdfFormat.N_TRIPLES)) and turtle


def test_post_form_and_direct(endpoint, built_project):
    form = urlencode({"query": COUNT_CLAIMS}).encode()
    status, _, body = request(endpoint, form, {"Content-Type": "application/x-www-form-urlencoded"})
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
    assert status == 200 and [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]] == [INFERRED_GRAPH.value]
    status, _, body = get(endpoint, query)  # without parameters: the union of all graphs, as the CLI
    assert len(json.loads(body)["results"]["bindings"]) >= 4
    assert get(endpoint, query, **{"default-graph-uri": "not an iri"})[0] == 400


def test_syntax_error_and_bad_requests(endpoint):
    status, ctype, body = get(endpoint, "SELEKT ?x WHERE { ?x ?y ?z }")
    assert status == 400 and ctype.startswith("text/plain") and b"SPARQL syntax error" in body and b"1:" in body
    assert request(endpoint, b"SELECT ?x WHERE {", {"Content-Type": "application/sparql-query"})[0] == 400
    assert request(endpoint + "?foo=bar")[0] == 400  # no query
    assert request(endpoint.replace("/sparql", "/nowhere"))[0] == 404
    assert request(endpoint, b"query=ASK{}", {"Content-Type": "text/plain"})[0] == 415


def test_home_page(endpoint):
    status, ctype, body = request(endpoint.replace("/sparql", "/"))
    assert status == 200 and ctype.startswith("text/html")


# ------------------------------------------------------------------ security


def test_deep_query_refused_and_server_lives(endpoint):
    """FILTER( + 5,000 '(' crashed the parser (SIGSEGV): refused before it reaches the engine."""
    query = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    status, _, body = get(endpoint, query)
    assert status == 400 and b"nested" in body and body.count(b"\n") == 1
    status, _, _ = request(endpoint, query.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 400
    assert alive(endpoint)


@pytest.fixture
def recorder():
    """A local HTTP server that records every request it gets."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(b'{"head":{"vars":["secret"]},"results":{"bindings":[]}}')

        do_POST = do_GET

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()
    httpd.server_close()


def test_service_refused_and_nothing_reaches_out(endpoint, recorder):
    target, seen = recorder
    for query in (
        f"SELECT * WHERE {{ SERVICE <{target}/admin> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{target}/admin> {{ ?s ?p ?o }} }}",
        f"PREFIX x: <{target}/> SELECT * WHERE {{ SERVICE x:admin {{ ?s ?p ?o }} }}",
    ):
        status, _, body = get(endpoint, query)
        assert status == 400 and b"SERVICE" in body
        form = urlencode({"query": query}).encode()
        assert request(endpoint, form, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 400
    for query in (f"SELECT * FROM <{target}/data> WHERE {{ ?s ?p ?o }}", "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"):
        status, _, body = get(endpoint, query)  # FROM only names a graph of the store: empty, nothing fetched
        assert status == 200 and json.loads(body)["results"]["bindings"] == []
    status, _, _ = get(endpoint, f"LOAD <{target}/data.ttl>")
    assert status == 403
    time.sleep(0.2)
    assert seen == []


def test_updates_refused_store_unchanged(endpoint, built_project, recorder):
    target, seen = recorder
    before = claim_count(built_project)
    update = "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
    for data, ctype in (
        (urlencode({"update": update}).encode(), "application/x-www-form-urlencoded"),
        (update.encode(), "application/sparql-update"),
        (f"LOAD <{target}/x.ttl>".encode(), "application/sparql-update"),
    ):
        status, _, body = request(endpoint, data, {"Content-Type": ctype})
        assert status == 403 and b"updates are not allowed" in body
    assert get(endpoint, "PREFIX x: <urn:x:> " + update)[0] == 403  # an update sent as a query
    assert get(endpoint, "CLEAR ALL")[0] == 403
    for method in ("PUT", "DELETE", "PATCH"):
        assert request(endpoint, b"", {"Content-Type": "application/n-triples"}, method=method)[0] == 405
    assert json.loads(get(endpoint, "ASK { <urn:x:a> ?p ?o }")[2])["boolean"] is False
    assert claim_count(built_project) == before and seen == []


def test_runaway_query_stopped(server, endpoint):
    """--timeout 2: a cartesian product is stopped, its engine killed, the next query fast."""
    old = set(server.engine_pids())
    started = time.monotonic()
    status, _, body = get(endpoint, RUNAWAY)
    took = time.monotonic() - started
    assert status == 504 and b"timeout" in body and took < 6, (status, took)
    started = time.monotonic()
    assert alive(endpoint)
    assert time.monotonic() - started < 1.0
    deadline = time.monotonic() + 8
    while old <= set(server.engine_pids()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not old <= set(server.engine_pids())  # the busy engine (the worker or the oxigraph child) is gone
    before = server.cpu_seconds()
    time.sleep(1.0)
    assert server.cpu_seconds() - before < 0.5  # no core stays busy with the stopped query
    assert len(server.wait_for_engines(len(old))) == len(old)  # and it was replaced


def test_runaway_stream_cut(endpoint):
    """A query that streams forever is cut at the timeout (the status line was already sent)."""
    started = time.monotonic()
    with pytest.raises(Exception):
        request(endpoint + "?" + urlencode({"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"}), timeout=20)
    assert time.monotonic() - started < 8
    assert alive(endpoint)


def test_engine_crash_restarted(server, endpoint):
    for pid in server.engine_pids():
        os.kill(pid, signal.SIGKILL)
    status, _, _ = get(endpoint, "ASK { ?s ?p ?o }")
    assert status in (200, 502)
    assert alive(endpoint)


def hammer(url: str, stop: threading.Event, answers: list, failures: list, query: str = "ASK { ?s ?p ?o }") -> None:
    """Ask ``query`` again and again (a new connection each time) until ``stop``."""
    while not stop.is_set():
        try:
            status, _, body = get(url, query, accept="text/csv")
            (answers if status == 200 else failures).append(body if status == 200 else (status, body))
        except Exception as err:  # a refused connection, a cut answer
            failures.append(repr(err))


def test_worker_crash_under_load(built_project):
    """A worker that crashes (SIGSEGV, as a parser crash the guard missed would) is replaced; the server
    keeps answering all along: only a request in flight on that worker can fail."""
    s = Server(built_project, *INPROCESS, "--workers", "2")
    try:
        workers = s.wait_for_engines(2)
        assert len(workers) == 2
        stop, answers, failures = threading.Event(), [], []
        threads = [threading.Thread(target=hammer, args=(s.url, stop, answers, failures)) for _ in range(3)]
        for t in threads:
            t.start()
        try:
            time.sleep(0.5)
            os.kill(workers[0], signal.SIGSEGV)
            time.sleep(0.3)
            crashed_at = len(answers) + len(failures)
            new = s.wait_for_engines(2)
            time.sleep(1.0)
        finally:
            stop.set()
            for t in threads:
                t.join()
        assert workers[0] not in new and workers[1] in new and len(new) == 2
        assert len(failures) <= 3, failures  # at most the requests in flight on the crashed worker
        assert len(answers) + len(failures) > crashed_at + 10  # it kept answering after the crash
        assert s.process.poll() is None and alive(s.url)
        assert "a worker ended (signal 11)" in s.stop_and_stderr()
    finally:
        s.stop()


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _wait_until_idle(pids: list[int], seconds: float = 60) -> None:
    """Until the processes have stopped using CPU for half a second: done starting, waiting for requests."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        before = [_cpu_ticks(p) for p in pids]
        time.sleep(0.5)
        if [_cpu_ticks(p) for p in pids] == before:
            time.sleep(0.3)  # a heartbeat or two, so the master has seen them serving
            return
    raise AssertionError(f"workers {pids} never went idle")


def test_stuck_worker_replaced(built_project):
    """A worker whose event loop stops (here: SIGSTOP) misses its heartbeats: the master kills and replaces it,
    and the other worker answers meanwhile."""
    s = Server(built_project, *INPROCESS, "--workers", "2", "--timeout", "1")
    try:
        workers = s.wait_for_engines(2)
        _wait_until_idle(workers)  # started and serving: a worker stopped while still starting is killed later (60 s)
        os.kill(workers[0], signal.SIGSTOP)
        started = time.monotonic()
        for _ in range(5):
            assert alive(s.url)  # the other worker takes the new connections
        deadline = time.monotonic() + 10
        while workers[0] in s.engine_pids() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert workers[0] not in s.engine_pids() and time.monotonic() - started < 8
        assert len(s.wait_for_engines(2)) == 2 and alive(s.url)
    finally:
        s.stop()


def test_body_too_large(endpoint):
    """A 2 MB POST is refused from its Content-Length (413), before the body is read. The client
    sends only the headers: a server that refuses early may close while a body is still being
    written, which the client would see as a reset instead of the answer."""
    host, port = endpoint.split("/")[2].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: 2000006\r\n\r\nquery=")
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    assert answer.split(b"\r\n")[0].split()[1] == b"413", answer[:200]
    assert alive(endpoint)


def test_http10_keep_alive(server):
    """ab -k: an HTTP/1.0 keep-alive request is answered, and the connection stays open."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        for _ in range(3):
            sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            data = b""
            while b'"boolean":true}' not in data:
                chunk = sock.recv(4096)
                assert chunk, data
                data += chunk
            assert b" 200 " in data.split(b"\r\n")[0] and b"connection: keep-alive" in data.lower()


def test_no_cors_by_default(endpoint):
    status, headers = head_of(endpoint + "?" + urlencode({"query": "ASK {}"}), {"Origin": "http://evil.example"})
    assert status == 200 and not [h for h in headers if h.lower().startswith("access-control-")]
    status, headers = head_of(endpoint, {"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"}, method="OPTIONS")
    assert not [h for h in headers if h.lower().startswith("access-control-")]


def test_cors_when_asked(built_project):
    s = Server(built_project, "--cors", "http://example.org")
    try:
        url = s.url + "?" + urlencode({"query": "ASK {}"})
        status, headers = head_of(url, {"Origin": "http://example.org"})
        assert status == 200 and headers["Access-Control-Allow-Origin"] == "http://example.org"
        status, headers = head_of(url, {"Origin": "http://evil.example"})
        assert status == 200 and "Access-Control-Allow-Origin" not in headers
        status, headers = head_of(s.url, {"Origin": "http://example.org", "Access-Control-Request-Method": "POST",
                                          "Access-Control-Request-Headers": "content-type"}, method="OPTIONS")
        assert status == 200 and headers["Access-Control-Allow-Origin"] == "http://example.org"
        assert "POST" in headers["Access-Control-Allow-Methods"] and "content-type" in headers["Access-Control-Allow-Headers"].lower()
        status, _ = head_of(s.url, {"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"}, method="OPTIONS")
        assert status == 400
        status, _, body = request(s.url, b"ASK {}", {"Content-Type": "application/sparql-query", "Origin": "http://example.org"})
        assert status == 200 and json.loads(body)["boolean"] is True
    finally:
        s.stop()


def test_non_loopback_needs_a_flag(built_project):
    result = run_cli("serve", "--project", built_project, "--host", "0.0.0.0", "--port", "0")
    assert result.exit_code == 2 and "--allow-remote" in result.stderr


# ------------------------------------------------------------------ a new build, no restart


def title(csv_body: bytes) -> str:
    return list(csv.reader(io.StringIO(csv_body.decode())))[1][0]


def test_rebuild_served_without_restart(seed_project):
    assert run_cli("build", "--project", seed_project).exit_code == 0
    s = Server(seed_project, "--timeout", "10")
    try:
        status, _, body = get(s.url, TITLE, accept="text/csv")
        assert status == 200 and title(body) == "North Korea's missile launches"
        claims = seed_project / "kb" / "claims" / "nk-missile-launches.yaml"
        claims.write_text(claims.read_text().replace("title: North Korea's missile launches", "title: Launches, revised"))
        failures, answers, stop = [], [], threading.Event()

        def hammer():
            while not stop.is_set():
                try:
                    status, _, body = get(s.url, TITLE, accept="text/csv")
                    (answers if status == 200 else failures).append(title(body) if status == 200 else (status, body))
                except Exception as err:  # a refused connection, a cut answer
                    failures.append(repr(err))

        thread = threading.Thread(target=hammer)
        thread.start()
        try:
            result = run_cli("build", "--project", seed_project)
            assert result.exit_code == 0, result.stderr
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and (not answers or answers[-1] != "Launches, revised"):
                time.sleep(0.1)
        finally:
            stop.set()
            thread.join()
        assert failures == []
        assert answers[-1] == "Launches, revised" and "North Korea's missile launches" in answers
        assert set(answers) == {"North Korea's missile launches", "Launches, revised"}  # never a half-built store
        assert s.process.poll() is None
    finally:
        s.stop()
    assert not (seed_project / ".flashpoint" / "serve").exists()  # its snapshots are cleaned up


TITLE_AND_SIZE = ("SELECT ?t ?n WHERE { <https://w3id.org/flashpoint/id/doc/nk-missile-launches> <http://purl.org/dc/terms/title> ?t "
                  "{ SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } } }")


def title_and_size(csv_body: bytes) -> tuple[str, int]:
    row = list(csv.reader(io.StringIO(csv_body.decode())))[1]
    return row[0], int(row[1])


@pytest.mark.parametrize("engine", ["inprocess", "proxy"])
def test_reload_under_load_never_errors(seed_project, engine):
    """Several clients (keep-alive and new connections) query while two builds replace the store: every
    answer is a 200 from a complete build (its title and its size are those of one build), and every
    query sent RELOAD_BOUND s after `flashpoint build` returned is answered from the new build. The
    in-process engine: each worker switches to the new snapshot, the old ones are removed."""
    assert run_cli("build", "--project", seed_project).exit_code == 0
    s = Server(seed_project, "--engine", engine, "--timeout", "10", "--workers", "2")
    claims = seed_project / "kb" / "claims" / "nk-missile-launches.yaml"
    titles = ["North Korea's missile launches", "Launches, revised", "Launches, revised twice"]
    stop, answers, failures = threading.Event(), [], []  # answers: (when the request was sent, title, size)

    def record(sent: float, status: int, body: bytes) -> None:
        if status == 200:
            answers.append((sent, *title_and_size(body)))
        else:
            failures.append((status, body))

    def new_connection_client():
        while not stop.is_set():
            sent = time.monotonic()
            try:
                record(sent, *[get(s.url, TITLE_AND_SIZE, accept="text/csv")[i] for i in (0, 2)])
            except Exception as err:  # a refused connection, a cut answer
                failures.append(repr(err))

    def keep_alive_client():
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        while not stop.is_set():
            sent = time.monotonic()
            try:
                conn.request("GET", "/sparql?" + urlencode({"query": TITLE_AND_SIZE}), headers={"Accept": "text/csv"})
                response = conn.getresponse()
                record(sent, response.status, response.read())
            except Exception as err:  # a closed keep-alive connection is reopened, as clients do
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
                if not isinstance(err, (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)):
                    failures.append(repr(err))

    def size_of_build() -> int:
        store = open_read_only(seed_project / ".flashpoint" / "store")
        return int(next(iter(store.query(TITLE_AND_SIZE, use_default_graph_as_union=True)))["n"].value)

    sizes = {titles[0]: size_of_build()}
    built_at = []
    threads = [threading.Thread(target=new_connection_client) for _ in range(2)]
    threads += [threading.Thread(target=keep_alive_client) for _ in range(2)]
    try:
        for t in threads:
            t.start()
        time.sleep(0.5)
        for old, new in zip(titles, titles[1:]):
            claims.write_text(claims.read_text().replace(f"title: {old}", f"title: {new}"))
            result = run_cli("build", "--project", seed_project)
            assert result.exit_code == 0, result.stderr
            built_at.append(time.monotonic())
            sizes[new] = size_of_build()
            time.sleep(RELOAD_BOUND + 1.0)  # queries sent after the bound, on every worker
    finally:
        stop.set()
        for t in threads:
            t.join()
    try:
        assert failures == []
        assert {(title, size) for _, title, size in answers} == set(sizes.items())  # only complete builds
        for built, new in zip(built_at, titles[1:]):
            late = [title for sent, title, _ in answers if sent > built + RELOAD_BOUND]
            assert late and late[0] == new  # the first query sent after the bound is answered from the new build
            stale = [title for sent, title, _ in answers if built + RELOAD_BOUND < sent and title in titles[:titles.index(new)]]
            assert stale == [], f"answered from an older build {RELOAD_BOUND} s after the build returned"
        if engine == "inprocess":
            snapshots = [p.name for p in (seed_project / ".flashpoint" / "serve" / str(s.process.pid)).iterdir() if p.name.isdigit()]
            assert snapshots == ["3"]  # the older snapshots are removed once no worker uses them
    finally:
        s.stop()
    assert not (seed_project / ".flashpoint" / "serve").exists()


FLAKY_OPEN = """
import sys
from pathlib import Path
import flashpoint.serve.workers as W
from flashpoint.project import find_project
from flashpoint.serve import listen
real_open = W.Worker.open
def flaky_open(self, generation):  # the first snapshot of the new build cannot be opened
    if generation == 2:
        raise OSError("simulated: the snapshot cannot be opened")
    return real_open(self, generation)
W.Worker.open = flaky_open
sock = listen("127.0.0.1", 0, False)
W.run_master(find_project(Path(sys.argv[1])), sock, "127.0.0.1", 10.0, (), 2)
"""


def test_unopenable_snapshot_taken_again(seed_project):
    """A worker that cannot open the snapshot of a new build keeps answering from the previous one, and the
    master takes a fresh snapshot (RETAKE s later): the new build is served all the same."""
    assert run_cli("build", "--project", seed_project).exit_code == 0
    process = subprocess.Popen([sys.executable, "-c", FLAKY_OPEN, str(seed_project)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().split()[2]
        claims = seed_project / "kb" / "claims" / "nk-missile-launches.yaml"
        claims.write_text(claims.read_text().replace("title: North Korea's missile launches", "title: Launches, revised"))
        assert run_cli("build", "--project", seed_project).exit_code == 0
        built, seen = time.monotonic(), []
        while time.monotonic() - built < 8 and (not seen or seen[-1] != "Launches, revised"):
            status, _, body = get(url, TITLE, accept="text/csv")
            assert status == 200
            seen.append(title(body))
            time.sleep(0.05)
        assert seen[-1] == "Launches, revised" and "North Korea's missile launches" in seen
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
        stderr = process.stderr.read()
        process.stdout.close()
        process.stderr.close()
    assert "could not open the new snapshot" in stderr and "taking the snapshot again" in stderr
