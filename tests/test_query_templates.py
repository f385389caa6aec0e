"""The competency questions as parameterised templates (queries/templates/, copied by
`flashpoint init`): they name no actor, answer on a project about another crisis, and
`--param actor=…` (a gazetteer id, a Wikidata item or an IRI) focuses them on one actor."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, SHARED, run_cli
from flashpoint.vocab import package_folder

DEV = SHARED / "corpus" / "dev"
KOREAN = ("Q423", "Q884", "Q159", "north-korea", "south-korea", "Korea", "russia")
IRAN = "https://w3id.org/flashpoint/id/actor/iran"


def rows(project: Path, name: str, *extra: str) -> list[tuple[str, ...]]:
    result = run_cli("query", name, "--project", project, "--format", "csv", *extra)
    assert result.exit_code == 0, result.stderr
    return [tuple(r) for r in csv.reader(io.StringIO(result.stdout))][1:]


@pytest.fixture(scope="module")
def houthi_project(tmp_path_factory) -> Path:
    """A new project (flashpoint init) about the Red Sea crisis, built; the build extracts the claims."""
    document = DEV / "houthi-red-sea.txt"
    if not document.exists():
        pytest.skip(f"{document} is not here")
    project = tmp_path_factory.mktemp("houthi") / "p"
    assert run_cli("init", project).exit_code == 0
    shutil.copyfile(document, project / "kb" / "documents" / document.name)
    result = run_cli("build", "--project", project)
    assert result.exit_code == 0, result.stderr
    return project


def test_the_templates_ship_in_the_package_and_name_no_actor():
    templates = sorted(package_folder("queries.templates").glob("cq[0-9][0-9]-*.rq"))
    assert [p.name[:4] for p in templates] == [f"cq{n:02d}" for n in range(1, 14)]
    for path in templates:
        text = path.read_text(encoding="utf-8")
        code = "".join(line for line in text.splitlines(keepends=True) if not line.lstrip().startswith("#"))
        assert not [word for word in KOREAN if word in code], path.name
        header = text.split("PREFIX", 1)[0]
        assert re.match(rf"# CQ{int(path.name[2:4])}: .+\?\n# Columns:\n", header), path.name
        assert "# Parameters:\n# ?actor" in header, path.name
        assert re.search(r"^\s*VALUES \?actor \{ UNDEF \}", code, re.MULTILINE), path.name
    assert "flashpoint.queries.templates" in (REPO / "pyproject.toml").read_text()


def test_init_copies_the_templates_not_the_seed_questions(tmp_path):
    assert run_cli("init", tmp_path / "p").exit_code == 0
    copied = sorted((tmp_path / "p" / "queries").glob("*.rq"))
    templates = sorted(package_folder("queries.templates").glob("cq*.rq"))
    assert [p.name for p in copied] == [p.name for p in templates]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(copied, templates))
    # the repository's own seed project keeps its Korean questions
    assert "wd:Q423" in next((REPO / "queries").glob("cq01-*.rq")).read_text()


def test_most_questions_answer_on_another_crisis(houthi_project):
    answered = [n for n in range(1, 14) if rows(houthi_project, f"cq{n:02d}")]
    assert len(answered) >= 9, answered


def test_the_seed_questions_answer_little_on_another_crisis(houthi_project):
    """The reason for the templates: the Korean questions, run on the same store."""
    answered = [n for n in range(1, 14) if rows(houthi_project, str(next((REPO / "queries").glob(f"cq{n:02d}-*.rq"))))]
    generic = [n for n in range(1, 14) if rows(houthi_project, f"cq{n:02d}")]
    assert len(answered) < len(generic)


def test_param_actor_focuses_the_answer(houthi_project):
    everyone = set(rows(houthi_project, "cq12"))
    iran = set(rows(houthi_project, "cq12", "--param", "actor=iran"))
    houthis = set(rows(houthi_project, "cq12", "--param", "actor=houthis"))
    assert iran and houthis and iran < everyone and houthis < everyone and iran != houthis
    # the same actor named by its Wikidata item, its IRI, its label
    assert set(rows(houthi_project, "cq12", "--param", "actor=Q794")) == iran
    assert set(rows(houthi_project, "cq12", "--param", f"actor=<{IRAN}>")) == iran
    assert set(rows(houthi_project, "cq12", "--param", "actor=Iran")) == iran
    # several actors: the union
    assert set(rows(houthi_project, "cq12", "--param", "actor=iran,houthis")) == iran | houthis


def test_param_actor_changes_a_question_about_actions(houthi_project):
    # what triggers the Houthis' actions: their attacks respond to the war in Gaza
    houthis = rows(houthi_project, "cq01", "--param", "actor=houthis")
    assert any("attack" in r[0] + r[5] and "houthis" in ",".join(r) for r in houthis), houthis
    # Iran carries out no action in this document that something triggers
    assert rows(houthi_project, "cq01", "--param", "actor=iran") == []
    # Iran's cooperation: with the Houthis, Hezbollah, Iraqi militias, all involving Iran
    cooperation = rows(houthi_project, "cq06", "--param", "actor=iran")
    assert cooperation and all(IRAN in (r[0], r[3]) or "iran" in r[0] for r in cooperation)


def test_project_params_file_sets_a_default(houthi_project):
    params = houthi_project / "queries" / "params.yaml"
    params.write_text("actor: iran\n")
    try:
        assert set(rows(houthi_project, "cq12")) == set(rows(houthi_project, "cq12", "--param", "actor=iran"))
        # --param wins over the file
        assert set(rows(houthi_project, "cq12", "--param", "actor=houthis")) != set(rows(houthi_project, "cq12"))
    finally:
        params.unlink()


def test_bad_params_are_usage_errors(houthi_project):
    unknown = run_cli("query", "cq12", "--project", houthi_project, "--param", "actor=irann")
    assert unknown.exit_code == 2 and "not an actor of the gazetteer" in unknown.stderr and "iran" in unknown.stderr
    missing = run_cli("query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--project", houthi_project, "--param", "actor=iran")
    assert missing.exit_code == 2 and "no parameter 'actor'" in missing.stderr
    malformed = run_cli("query", "cq12", "--project", houthi_project, "--param", "actor")
    assert malformed.exit_code == 2 and "NAME=VALUE" in malformed.stderr
    item = run_cli("query", "cq12", "--project", houthi_project, "--param", "actor=Q999999999")
    assert item.exit_code == 2 and "Q999999999" in item.stderr


def test_all_with_a_param_runs_every_template(houthi_project):
    result = run_cli("query", "--all", "--project", houthi_project, "--format", "csv", "--param", "actor=iran")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\n== CQ") == 13
