"""The command line contract (cli.md): init, query formats and resolution, project discovery, exit statuses."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from conftest import REPO, run_cli


def test_init_creates_a_project_with_the_competency_queries(tmp_path):
    result = run_cli("init", tmp_path / "new")
    assert result.exit_code == 0, result.stderr
    for folder in ("kb/documents", "kb/claims", "queries"):
        assert (tmp_path / "new" / folder).is_dir()
    assert len(list((tmp_path / "new" / "queries").glob("cq[0-9][0-9]-*.rq"))) == 13
    # an empty project builds (nothing to load) and answers with no rows
    assert run_cli("build", "--project", tmp_path / "new").exit_code == 0
    answered = run_cli("query", "cq02", "--project", tmp_path / "new", "--format", "csv")
    assert answered.exit_code == 0 and len(answered.stdout.strip().splitlines()) == 1


def test_init_refuses_an_existing_project(tmp_path):
    assert run_cli("init", tmp_path / "p").exit_code == 0
    again = run_cli("init", tmp_path / "p")
    assert again.exit_code == 2 and "already" in again.stderr


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_query_formats(built_project, fmt):
    result = run_cli("query", "cq13", "--project", built_project, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    if fmt == "json":  # W3C SPARQL 1.1 Query Results JSON
        data = json.loads(result.stdout)
        assert set(data) == {"head", "results"} and data["head"]["vars"]
        assert data["results"]["bindings"]
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(result.stdout)))
        assert len(rows) >= 2 and len(rows[0]) == len(rows[1])
    elif fmt == "tsv":
        header = result.stdout.splitlines()[0].split("\t")
        assert all(h.startswith("?") for h in header)
    else:
        assert "(1 rows)" in result.stdout or "rows)" in result.stdout


def test_query_by_file_by_name_and_by_text(built_project):
    by_name = run_cli("query", "cq04", "--project", built_project, "--format", "csv").stdout
    path = next((built_project / "queries").glob("cq04-*.rq"))
    by_file = run_cli("query", path, "--project", built_project, "--format", "csv").stdout
    by_text = run_cli("query", path.read_text(), "--project", built_project, "--format", "csv").stdout
    assert by_name == by_file == by_text
    assert "ICBM" in by_name


def test_query_all_answers_every_competency_question(built_project):
    result = run_cli("query", "--all", "--project", built_project)
    assert result.exit_code == 0
    assert result.stdout.count("\n== CQ") == 13


def test_sparql_syntax_error_names_the_file_and_line(built_project, tmp_path):
    broken = tmp_path / "broken.rq"
    broken.write_text("# a comment\nSELECT ?x\nWHERE { ?x ?y . }\n")
    result = run_cli("query", broken, "--project", built_project)
    assert result.exit_code == 2
    assert f"{broken}:3:" in result.stderr and "SPARQL syntax error" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("content, message", [(b"", "empty"), (b"SELECT \xff", "not valid UTF-8")])
def test_bad_query_files(built_project, tmp_path, content, message):
    path = tmp_path / "q.rq"
    path.write_bytes(content)
    result = run_cli("query", path, "--project", built_project)
    assert result.exit_code == 2 and message in result.stderr


def test_unknown_query_name_is_a_usage_error(built_project):
    result = run_cli("query", "cq99", "--project", built_project)
    assert result.exit_code == 2 and "no query named 'cq99'" in result.stderr


def test_query_before_build_says_what_to_do(seed_project):
    result = run_cli("query", "cq01", "--project", seed_project)
    assert result.exit_code == 2 and "flashpoint build" in result.stderr


def test_project_is_found_from_a_subfolder(built_project):
    here = os.getcwd()
    try:
        os.chdir(built_project / "kb" / "claims")
        result = run_cli("query", "cq13", "--format", "csv")
    finally:
        os.chdir(here)
    assert result.exit_code == 0 and "deterrence" in result.stdout


def test_no_project_is_a_usage_error(tmp_path):
    result = run_cli("build", "--project", tmp_path)
    assert result.exit_code == 2 and "not a KG project" in result.stderr


def test_build_extracts_a_document_without_claims_file(tmp_path):
    assert run_cli("init", tmp_path / "p").exit_code == 0
    doc = tmp_path / "p" / "kb" / "documents" / "seed.txt"
    doc.write_bytes((REPO / "kb/documents/nk-missile-launches.txt").read_bytes())
    result = run_cli("build", "--project", tmp_path / "p")
    assert result.exit_code == 0, result.stderr
    assert "extracted on the fly" in result.stdout
    assert not (tmp_path / "p" / "kb" / "claims" / "seed.yaml").exists()  # build writes no claims file


def test_add_copies_extracts_and_builds(tmp_path):
    assert run_cli("init", tmp_path / "p").exit_code == 0
    source = tmp_path / "Report One.txt"
    source.write_bytes((REPO / "kb/documents/nk-missile-launches.txt").read_bytes())
    result = run_cli("add", source, "--project", tmp_path / "p")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "p/kb/documents/report-one.txt").exists()
    assert (tmp_path / "p/kb/claims/report-one.yaml").exists()
    answered = run_cli("query", "cq12", "--project", tmp_path / "p", "--format", "csv")
    assert len(answered.stdout.strip().splitlines()) > 5


def test_add_of_a_bad_document_changes_nothing(tmp_path):
    assert run_cli("init", tmp_path / "p").exit_code == 0
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa not text")
    result = run_cli("add", bad, "--project", tmp_path / "p")
    assert result.exit_code == 2 and "UTF-8" in result.stderr
    assert list((tmp_path / "p/kb/documents").iterdir()) == []
    assert list((tmp_path / "p/kb/claims").iterdir()) == []


@pytest.mark.parametrize("content, message", [(b"", "empty"), (b"\x00\x01binary", "binary"), (b"caf\xe9", "UTF-8")])
def test_extract_refuses_bad_documents_and_writes_nothing(tmp_path, content, message):
    doc = tmp_path / "doc.txt"
    doc.write_bytes(content)
    out = tmp_path / "out"
    result = run_cli("extract", doc, "-o", out)
    assert result.exit_code == 2 and message in result.stderr
    assert not out.exists()


def test_extract_writes_a_claims_file_the_build_accepts(tmp_path):
    assert run_cli("init", tmp_path / "p").exit_code == 0
    doc = tmp_path / "p/kb/documents/seed.txt"
    doc.write_bytes((REPO / "kb/documents/nk-missile-launches.txt").read_bytes())
    result = run_cli("extract", doc, "--project", tmp_path / "p")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "p/kb/claims/seed.yaml").exists()
    assert run_cli("build", "--project", tmp_path / "p").exit_code == 0


def test_version():
    result = run_cli("--version")
    assert result.exit_code == 0 and "flashpoint" in result.stdout
