"""`flashpoint query` is safe to point at any text: the guard (flashpoint.sparql_guard) refuses
deep nesting, long chains, updates, SERVICE and oversized queries before the engine sees them;
a query runs in a child process with a deadline; a crash of the engine is a message; FROM works;
tables show labels and fit the terminal, while csv/tsv/json stay the W3C bytes."""

from __future__ import annotations

import http.server
import io
import json
import threading
import time
from pathlib import Path

import pytest
from pyoxigraph import QueryResultsFormat

from conftest import run_cli
from flashpoint import sparql_guard
from flashpoint.errors import InputError
from flashpoint.sparql_guard import check_query
from flashpoint.store import open_read_only

FPID = "https://w3id.org/flashpoint/id/"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def nested(depth: int) -> str:
    return "SELECT * WHERE { FILTER(" + "(" * depth + "1" + ")" * depth + ") }"


# ------------------------------------------------------------------ the guard, on its own


@pytest.mark.parametrize("text", [
    'SELECT ?x WHERE { BIND("INSERT DATA { <a> <b> <c> }" AS ?x) }',            # in a string
    'SELECT ?x WHERE { BIND("""a\nSERVICE <http://x/> { }\nDROP ALL""" AS ?x) }',  # in a long string
    "SELECT ?insert WHERE { ?insert <http://ex/DELETE> ?drop }",                  # variables, IRIs
    "PREFIX load: <http://ex/> SELECT ?s WHERE { ?s load:clear load:service }",   # prefixed names
    "# INSERT DATA, SERVICE\nSELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",  # comments, < and >
])
def test_keywords_only_count_as_keywords(text):
    info = check_query(text, source=None)
    assert info.form == "SELECT" and not info.uses_service


@pytest.mark.parametrize("text, line, words", [
    ("PREFIX ex: <http://ex/>\n\nINSERT DATA { ex:a ex:b ex:c }", 3, "updates are not allowed"),
    ("DELETE WHERE { ?s ?p ?o }", 1, "updates are not allowed"),
    ("drop all", 1, "updates are not allowed"),
    ("SELECT * WHERE {\n  ?s ?p ?o .\n  service <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", 3, "--allow-service"),
    ("SELECT * WHERE {\n" + "(" * 0 + "FILTER(" + "(" * 80 + "1" + ")" * 80 + ") }", 2, "nested more than 64"),
    ("SELECT * WHERE { BIND(" + "+".join(["1"] * 3000) + " AS ?x) }", 1, "split the query"),
])
def test_the_guard_refuses_with_the_line(text, line, words):
    with pytest.raises(InputError) as caught:
        check_query(text, source=Path("q.rq"))
    assert caught.value.line == line and words in str(caught.value)


def test_the_guard_reports_the_dataset():
    info = check_query("SELECT * FROM <http://g1> FROM NAMED <http://g2> WHERE { ?s ?p ?o }", source=None)
    assert info.has_dataset and info.from_graphs == ["<http://g1>", "<http://g2>"]
    assert not check_query("SELECT * WHERE { ?s ?p ?o }", source=None).has_dataset
    assert check_query("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", source=None, allow_service=True).uses_service


# ------------------------------------------------------------------ through the command line


def test_a_deeply_nested_query_is_refused_before_the_engine(built_project):
    # 5,000 parentheses crash oxigraph's parser (a segfault, exit 139) if they reach it; this runs in-process
    result = run_cli("query", nested(5000), "--project", built_project)
    assert result.exit_code == 2
    assert "<query text>:1:" in result.stderr and "nested more than 64" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_crash_of_the_engine_is_an_exit_2_message(built_project, monkeypatch):
    # lift the guard's limits: the query now reaches the engine (in the child process) and crashes it
    monkeypatch.setattr(sparql_guard, "MAX_DEPTH", 10**6)
    monkeypatch.setattr(sparql_guard, "MAX_CHAIN", 10**7)
    result = run_cli("query", nested(100_000), "--project", built_project)
    assert result.exit_code == 2, result.stderr
    assert "crashed (SIGSEGV)" in result.stderr or "crashed (SIGBUS)" in result.stderr or "crashed (SIGABRT)" in result.stderr
    # and this process is alive to run the next query
    assert run_cli("query", "cq13", "--project", built_project, "--format", "csv").exit_code == 0


def test_a_query_past_its_timeout_is_stopped(built_project):
    started = time.monotonic()
    result = run_cli("query", CARTESIAN, "--project", built_project, "--timeout", "1")
    elapsed = time.monotonic() - started
    assert result.exit_code == 2
    assert "query timed out after 1 s" in result.stderr
    assert elapsed < 15


def test_the_timeout_comes_from_the_environment(built_project, monkeypatch):
    monkeypatch.setenv("FLASHPOINT_QUERY_TIMEOUT", "0.5")
    result = run_cli("query", CARTESIAN, "--project", built_project)
    assert result.exit_code == 2 and "timed out after 0.5 s" in result.stderr
    # --timeout wins over the environment
    ok = run_cli("query", "ASK { ?s ?p ?o }", "--project", built_project, "--timeout", "30")
    assert ok.exit_code == 0 and ok.stdout == "true\n"


def test_a_query_past_its_memory_limit_is_stopped(built_project, monkeypatch):
    # sorting the cross product of the store with itself (~13 million rows) holds every row in memory
    monkeypatch.setenv("FLASHPOINT_QUERY_MAX_MEMORY", str(300 * 2**20))
    started = time.monotonic()
    result = run_cli("query", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f", "--project", built_project, "--timeout", "120")
    assert result.exit_code == 2, result.stderr
    assert "needed more than 300 MB of memory" in result.stderr
    assert time.monotonic() - started < 60
    # the next query runs
    assert run_cli("query", "cq13", "--project", built_project, "--format", "csv").exit_code == 0


def test_the_memory_limit_counts_the_querys_own_memory_not_its_parents(built_project, monkeypatch):
    # the query runs in a child forked from this process: pages it shares with a large parent
    # (here 320 MB, touched so that they are resident) are not the query's
    ballast = bytearray(320 * 2**20)
    ballast[::4096] = b"\x01" * len(range(0, len(ballast), 4096))
    monkeypatch.setenv("FLASHPOINT_QUERY_MAX_MEMORY", str(200 * 2**20))
    # counting the cross product streams (little memory) but runs long enough to be watched
    result = run_cli("query", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }", "--project", built_project,
                     "--format", "csv", "--timeout", "120")
    assert result.exit_code == 0, result.stderr
    del ballast


def test_updates_are_refused_as_updates(built_project):
    result = run_cli("query", "INSERT DATA { <http://ex/a> <http://ex/b> <http://ex/c> }", "--project", built_project)
    assert result.exit_code == 2
    assert "updates are not allowed" in result.stderr and "expected" not in result.stderr
    # nothing was written
    asked = run_cli("query", "ASK { <http://ex/a> ?p ?o }", "--project", built_project)
    assert asked.stdout == "false\n"


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def _answer(self):
        _Recorder.requests.append(self.path)
        body = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"remote"}}]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def test_service_is_refused_and_makes_no_request(built_project, endpoint):
    for keyword in ("SERVICE", "service silent"):
        text = f"SELECT ?x WHERE {{\n  {keyword} <{endpoint}> {{ ?s ?p ?x }}\n}}"
        result = run_cli("query", text, "--project", built_project, "--format", "csv")
        assert result.exit_code == 2, result.stdout
        assert "<query text>:2:" in result.stderr and "--allow-service" in result.stderr
    assert _Recorder.requests == []


def test_allow_service_reaches_the_endpoint(built_project, endpoint):
    text = f"SELECT ?x WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?x }} }}"
    result = run_cli("query", text, "--project", built_project, "--format", "csv", "--allow-service")
    assert result.exit_code == 0, result.stderr
    assert _Recorder.requests and "remote" in result.stdout


def test_an_oversized_query_is_refused(built_project):
    text = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1_100_000
    result = run_cli("query", text, "--project", built_project)
    assert result.exit_code == 2 and "the limit is 1,000,000" in result.stderr


def test_an_oversized_answer_is_stopped(built_project, monkeypatch):
    monkeypatch.setenv("FLASHPOINT_QUERY_MAX_BYTES", "2000")
    for fmt in ("csv", "table"):
        result = run_cli("query", "SELECT * WHERE { ?s ?p ?o }", "--project", built_project, "--format", fmt)
        assert result.exit_code == 2 and "larger than 2,000 bytes" in result.stderr, (fmt, result.stderr)


def test_from_selects_the_dataset(built_project):
    ontology = f"<{FPID}graph/ontology>"
    store = open_read_only(built_project / ".flashpoint" / "store")
    in_ontology = int(next(iter(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ontology} {{ ?s ?p ?o }} }}")))["n"].value)
    everything = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", use_default_graph_as_union=True)))["n"].value)
    del store
    assert 0 < in_ontology < everything

    def count(text: str) -> int:
        result = run_cli("query", text, "--project", built_project, "--format", "csv")
        assert result.exit_code == 0, result.stderr
        return int(result.stdout.splitlines()[1])

    assert count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == everything
    assert count(f"SELECT (COUNT(*) AS ?n) FROM {ontology} WHERE {{ ?s ?p ?o }}") == in_ontology
    # FROM NAMED alone: the named graphs are that one graph, the default graph is empty
    assert count(f"SELECT (COUNT(*) AS ?n) FROM NAMED {ontology} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == in_ontology
    assert count(f"SELECT (COUNT(*) AS ?n) FROM NAMED {ontology} WHERE {{ ?s ?p ?o }}") == 0


# ------------------------------------------------------------------ output


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_machine_formats_are_the_engine_bytes(built_project, fmt):
    path = next((built_project / "queries").glob("cq10-*.rq"))
    store = open_read_only(built_project / ".flashpoint" / "store")
    buffer = io.BytesIO()
    store.query(path.read_text(), use_default_graph_as_union=True).serialize(
        buffer, format={"csv": QueryResultsFormat.CSV, "tsv": QueryResultsFormat.TSV, "json": QueryResultsFormat.JSON}[fmt])
    del store
    from click.testing import CliRunner

    from flashpoint.cli import main

    result = CliRunner().invoke(main, ["query", "cq10", "--project", str(built_project), "--format", fmt])
    assert result.exit_code == 0 and result.stdout_bytes == buffer.getvalue()  # byte for byte (CSV: CRLF)
    if fmt == "json":
        assert json.loads(result.stdout)["results"]["bindings"]


def test_table_shows_labels_and_fits_the_terminal(built_project, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = run_cli("query", "cq01", "--project", built_project)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "https://" not in result.stdout and "fpid:" not in result.stdout  # IRIs shown by their labels
    rows = int(lines[-1].strip("()").split()[0])
    csv_rows = len(run_cli("query", "cq01", "--project", built_project, "--format", "csv").stdout.strip().splitlines()) - 1
    assert lines[-1] == f"({rows} rows)" and rows == csv_rows
    monkeypatch.setenv("COLUMNS", "200")
    wide = run_cli("query", "cq01", "--project", built_project).stdout
    assert max(len(line) for line in wide.splitlines()) <= 200
    assert "missile launch by North Korea" in wide and "fpid:" not in wide  # the launch's label, not its IRI


def test_table_without_a_terminal_is_100_wide(built_project, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    result = run_cli("query", "--all", "--project", built_project)
    assert result.exit_code == 0 and result.stdout.count("\n== CQ") == 13
    assert max(len(line) for line in result.stdout.splitlines()) <= 100
