"""Input that used to crash flashpoint (exit 3) or that it accepted although it
should not: each is refused by `flashpoint build` with exit status 2 and
`file:line: what is wrong` (a bounded message), leaving a built store as it
was, and reported by `flashpoint check` as an error finding at the same file
and line. See flashpoint.safe_yaml, Project.layout_problems and
tests/fixtures/broken/ (yaml-alias, deep-nesting, float-sentence,
duplicate-slug, empty-slug, gazetteer-alias) for the check side alone."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Callable

import pytest
from pyoxigraph import Triple

from conftest import REPO, run_cli

CLEAN = REPO / "tests" / "fixtures" / "broken" / "clean"
WEATHER = "The weather was mild."
MAX_MESSAGE = 600  # no error line may be longer than this (a value is quoted by its start)


def _claims(project: Path) -> Path:
    return project / "kb" / "claims" / "x.yaml"


def _edit(project: Path, old: str, new: str, occurrence: int = 1) -> int:
    """Replace the ``occurrence``-th ``old`` in x.yaml; returns the line it was on."""
    path = _claims(project)
    text = path.read_text(encoding="utf-8")
    index = -1
    for _ in range(occurrence):
        index = text.index(old, index + 1)
    path.write_text(text[:index] + new + text[index + len(old):], encoding="utf-8")
    return text.count("\n", 0, index) + 1


def _append(project: Path, text: str) -> int:
    """Append lines to x.yaml; returns the line number of the first one."""
    path = _claims(project)
    body = path.read_text(encoding="utf-8")
    path.write_text(body + text, encoding="utf-8")
    return body.count("\n") + 1


# ---------------------------------------------------------------- the cases
# Each makes one defect in a copy of a built project and returns
# (rule, file relative to the project, line or None, a fragment of the message).


def alias_bomb(project: Path):
    # a small "billion laughs": 9**6 = 531,441 strings from 10 lines. Before the fix,
    # build quoted the whole expansion in its error message (megabytes); a deeper
    # one took build and check past 2.5 GB.
    lines = ["    note: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"]
    lines += [f"    x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 6)]
    line = _append(project, "".join(lines).replace("    note:", "  - note:", 1))
    return "FP-P16", "kb/claims/x.yaml", line, "YAML anchor &a0 is not allowed in a claims file"


def alias_in_subject(project: Path):
    line = _edit(project, "subject: south-korea", "subject: &sk south-korea")
    _edit(project, "subject: japan", "subject: *sk")
    return "FP-P16", "kb/claims/x.yaml", line, "YAML anchor &sk is not allowed"


def deep_nesting(project: Path):
    line = _edit(project, "object: north-korea", "object: {group: g, members: " + "[" * 200 + "]" * 200 + "}")
    return "FP-P16", "kb/claims/x.yaml", line, "nested more than 20 levels deep"


def float_sentence(project: Path):
    line = _edit(project, "- sentence: 1\n", "- sentence: 1.0\n")
    return "FP-P03", "kb/claims/x.yaml", line, "claims.1.sentence must be an integer (not 1.0)"


def float_start(project: Path):
    line = _edit(project, "start: 46\n", "start: 46.0\n")
    return "FP-P03", "kb/claims/x.yaml", line, "claims.1.start must be an integer (not 46.0)"


def bool_end(project: Path):
    line = _edit(project, "end: 29\n", "end: true\n")
    return "FP-P03", "kb/claims/x.yaml", line, "claims.0.end must be an integer (not True)"


def float_year(project: Path):
    line = _append(project, "  - sentence: 3\n    quote: Japan supports sanctions\n    start: 125\n    end: 149\n    subject: japan\n"
                            "    predicate: beginning\n    object: {year: 1990.0}\n    modality: asserted\n") + 6
    return "FP-P03", "kb/claims/x.yaml", line, "claims.4.object.year must be an integer"


def long_value(project: Path):
    line = _edit(project, "modality: possible", "modality: " + "x" * 200_000)
    return "FP-P03", "kb/claims/x.yaml", line, "is not one of"


def long_predicate(project: Path):
    # a name the schema's pattern accepts, but 200,000 characters long: it was quoted whole ("unknown predicate …")
    line = _edit(project, "predicate: perceivesAsThreat", "predicate: " + "p" * 200_000)
    return "FP-P03", "kb/claims/x.yaml", line, "is too long"


def oversized_claims_file(project: Path):
    with _claims(project).open("r+b") as f:  # sparse: nothing is written, nothing read
        f.truncate(50 * 1024 * 1024 + 1)
    return "FP-P16", "kb/claims/x.yaml", None, "over the limit of 52,428,800 bytes"


def _outside_file(project: Path, name: str, content: str) -> Path:
    outside = project.parent / f"{project.name}-outside"
    outside.mkdir(exist_ok=True)
    (outside / name).write_text(content, encoding="utf-8")
    return outside / name


def document_link_outside(project: Path):
    (project / "kb" / "documents" / "leak.txt").symlink_to(_outside_file(project, "secret.txt", "Russia supports dialogue."))
    return "FP-P13", "kb/documents/leak.txt", None, "symbolic link to"


def claims_link_outside(project: Path):
    target = _outside_file(project, "x.yaml", _claims(project).read_text(encoding="utf-8"))
    _claims(project).unlink()
    _claims(project).symlink_to(target)
    return "FP-P13", "kb/claims/x.yaml", None, "outside the project"


def same_slug(project: Path):
    shutil.copy(project / "kb" / "documents" / "x.txt", project / "kb" / "documents" / "X.md")
    return "FP-P14", "kb/documents/X.md", None, "'X.md' and kb/documents/x.txt have the same slug 'x'"


def same_slug_spaces(project: Path):
    docs = project / "kb" / "documents"
    (docs / "nk-missile-launches.txt").write_text(WEATHER, encoding="utf-8")
    (docs / "NK Missile Launches.md").write_text(WEATHER, encoding="utf-8")
    return "FP-P14", "kb/documents/NK Missile Launches.md", None, "kb/documents/nk-missile-launches.txt"


def empty_slug(project: Path, name: str = "..txt"):
    (project / "kb" / "documents" / name).write_text(WEATHER, encoding="utf-8")
    return "FP-P15", f"kb/documents/{name}", None, "gives an empty slug"


def gazetteer_alias(project: Path):
    (project / "kb" / "gazetteer.yaml").write_text(
        "actors:\n- id: ruritania\n  class: State\n  label: &r Ruritania\n  wikidata: Q1\n- id: ruritania-2\n  label: *r\n", encoding="utf-8")
    return "FP-P12", "kb/gazetteer.yaml", 4, "YAML anchor &r is not allowed in a gazetteer"


def oversized_gazetteer(project: Path):
    with (project / "kb" / "gazetteer.yaml").open("wb") as f:
        f.truncate(10 * 1024 * 1024 + 1)
    return "FP-P12", "kb/gazetteer.yaml", None, "over the limit of 10,485,760 bytes"


CASES: dict[str, Callable] = {f.__name__: f for f in (
    alias_bomb, alias_in_subject, deep_nesting, float_sentence, float_start, bool_end, float_year, long_value, long_predicate,
    oversized_claims_file, document_link_outside, claims_link_outside, same_slug, same_slug_spaces, gazetteer_alias,
    oversized_gazetteer)}
CASES.update({f"empty_slug[{n}]": (lambda p, n=n: empty_slug(p, n)) for n in ("..txt", ".txt", "---.md")})


# ---------------------------------------------------------------- a built project


def _copy_clean(target: Path) -> Path:
    shutil.copytree(CLEAN, target, ignore=shutil.ignore_patterns("expected.yaml", ".flashpoint"))
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = _copy_clean(tmp_path_factory.mktemp("limits") / "built")
    result = run_cli("build", "--project", project)
    assert result.exit_code == 0, result.stderr
    return project


def _store_state(project: Path) -> tuple[str, bytes]:
    """What a query sees in the store (every quad, sorted), and the manifest's bytes."""
    result = run_cli("query", "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o",
                     "--project", project, "--format", "tsv")
    assert result.exit_code == 0, result.stderr
    return result.stdout, (project / ".flashpoint" / "store" / "manifest.json").read_bytes()


@pytest.mark.parametrize("case", sorted(CASES))
def test_build_refuses_and_leaves_the_store(case: str, built: Path, tmp_path: Path):
    project = tmp_path / "p"
    shutil.copytree(built, project, symlinks=True)
    before = _store_state(project)
    assert "north-korea" in before[0]
    rule, file, line, fragment = CASES[case](project)

    result = run_cli("build", "--project", project)
    assert result.exit_code == 2, (result.exit_code, result.stderr[:2000])
    where = f"{project / file}:{line}: " if line else f"{project / file}: "
    assert where in result.stderr, result.stderr[:2000]
    assert fragment in result.stderr, result.stderr[:2000]
    assert "Traceback" not in result.stderr
    assert all(len(row) <= MAX_MESSAGE for row in result.stderr.splitlines()), result.stderr[:2000]
    assert len(result.stderr.splitlines()) <= 2
    assert _store_state(project) == before


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_reports_the_same_file_and_line(case: str, tmp_path: Path):
    project = _copy_clean(tmp_path / "p")
    rule, file, line, fragment = CASES[case](project)
    result = run_cli("check", "--project", project, "--format", "json")
    assert result.exit_code == 1, (result.exit_code, result.stderr[:2000])
    findings = json.loads(result.stdout)["findings"]
    hits = [f for f in findings if (f["rule"], f["file"], f["line"]) == (rule, file, line)]
    assert hits, [(f["rule"], f["file"], f["line"], f["message"][:200]) for f in findings]
    assert fragment in hits[0]["message"] and hits[0]["severity"] == "error"
    assert all(len(f["message"]) <= MAX_MESSAGE for f in findings)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs resource limits (POSIX)")
def test_billion_laughs_is_refused_in_bounded_memory_and_time(tmp_path: Path):
    """The 478-byte classic (9**9 strings once expanded) took build and check past 2.5 GB in 13 s.
    Run in a process limited to 1 GB of address space, so that a regression fails instead of swapping."""
    import resource
    import subprocess
    import sys

    project = _copy_clean(tmp_path / "p")
    bomb = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    bomb += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    line = _edit(project, "claims:\n", "\n".join(bomb) + "\nclaims:\n")
    flashpoint = Path(sys.executable).parent / "flashpoint"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(flashpoint), *args, "--project", str(project)], preexec_fn=limit,
                              capture_output=True, text=True, timeout=120)

    build = run("build")
    assert build.returncode == 2, build.stderr[:1000]
    assert f"{project}/kb/claims/x.yaml:{line}: YAML anchor &a0 is not allowed" in build.stderr and len(build.stderr) < 1000, build.stderr[:1000]
    check = run("check", "--format", "json")
    assert check.returncode == 1, check.stderr[:1000]
    findings = json.loads(check.stdout)["findings"]
    # (1 GB is too little for Java: OWL may say, as a warning, that it could not run)
    assert [(f["rule"], f["file"], f["line"]) for f in findings if f["severity"] == "error"] == [("FP-P16", "kb/claims/x.yaml", line)]
    assert len(check.stdout) < 5000


def test_a_link_inside_the_project_is_followed(tmp_path: Path):
    project = _copy_clean(tmp_path / "p")
    (project / "corpus").mkdir()
    (project / "corpus" / "weather.txt").write_text(WEATHER, encoding="utf-8")
    (project / "kb" / "documents" / "weather.txt").symlink_to(Path("..") / ".." / "corpus" / "weather.txt")
    result = run_cli("build", "--project", project)
    assert result.exit_code == 0, result.stderr
    graphs = run_cli("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "--project", project, "--format", "csv")
    assert "https://w3id.org/flashpoint/id/graph/doc/weather" in graphs.stdout


# ---------------------------------------------------------------- documents with no world-layer facts


def test_batches_keep_an_empty_module():
    from flashpoint.reasoner import BATCH_TRIPLES, _batches

    t = Triple  # only their number matters
    assert _batches({"0-weather": [], "_gazetteer": [t] * 5}) == [["0-weather", "_gazetteer"]]
    assert _batches({"a": []}) == [["a"]]
    assert _batches({}) == []
    big = {"a": [t] * BATCH_TRIPLES, "b": [t] * (BATCH_TRIPLES + 1), "c": [t], "d": []}
    assert _batches(big) == [["a"], ["b"], ["c", "d"]]


def test_full_build_with_a_document_without_facts_first(tmp_path: Path):
    """'0-weather' sorts before the '_gazetteer' module: its empty module came first (IndexError)."""
    project = _copy_clean(tmp_path / "p")
    (project / "kb" / "documents" / "0-weather.txt").write_text(WEATHER, encoding="utf-8")
    result = run_cli("build", "--project", project)
    assert result.exit_code == 0, result.stderr
    graphs = run_cli("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "--project", project, "--format", "csv")
    assert "graph/doc/0-weather" in graphs.stdout and "graph/doc/x" in graphs.stdout


def test_add_a_document_without_facts(built: Path, tmp_path: Path):
    project = tmp_path / "p"
    shutil.copytree(built, project, symlinks=True)
    doc = tmp_path / "weather.txt"
    doc.write_text(WEATHER, encoding="utf-8")
    result = run_cli("add", doc, "--project", project)
    assert result.exit_code == 0, result.stderr
    assert (project / "kb" / "claims" / "weather.yaml").exists()
    graphs = run_cli("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "--project", project, "--format", "csv")
    assert "graph/doc/weather" in graphs.stdout


def test_add_refuses_an_empty_slug(built: Path, tmp_path: Path):
    project = tmp_path / "p"
    shutil.copytree(built, project, symlinks=True)
    doc = tmp_path / "..txt"
    doc.write_text(WEATHER, encoding="utf-8")
    before = _store_state(project)
    result = run_cli("add", doc, "--project", project)
    assert result.exit_code == 2 and f"{doc}: the file name '..txt' gives an empty slug" in result.stderr, result.stderr
    assert sorted(os.listdir(project / "kb" / "documents")) == ["x.txt"]
    assert _store_state(project) == before


# ---------------------------------------------------------------- what the writer emits, the reader accepts


def test_ampersands_and_asterisks_in_text_are_not_anchors(tmp_path: Path):
    """Only a real anchor or alias is refused, not the characters in a quote or note."""
    from flashpoint.loaders.claims_file import parse_yaml

    data = parse_yaml(tmp_path / "x.yaml", 'quote: "U.S. & allies *said*"\nnote: a&b *c\nlist: [x, "*y", "&z"]\n')
    assert data == {"quote": "U.S. & allies *said*", "note": "a&b *c", "list": ["x", "*y", "&z"]}
    assert data.key_lines == {"quote": 1, "note": 2, "list": 3}


def test_a_gazetteer_that_is_a_folder_is_an_input_error(tmp_path: Path):
    project = _copy_clean(tmp_path / "p")
    (project / "kb" / "gazetteer.yaml").mkdir()
    result = run_cli("build", "--project", project)
    assert result.exit_code == 2 and f"{project}/kb/gazetteer.yaml: cannot read the gazetteer" in result.stderr, result.stderr


def test_the_writer_never_emits_aliases(tmp_path: Path):
    """The reader refuses aliases, so the extractor's writer must not emit them for a shared value."""
    from flashpoint.loaders.claims_file import dump_claims_file, load_claims_file

    agents = ["north-korea"]
    entity = {"event": "MissileLaunch", "agents": agents}
    claim = {"sentence": 0, "quote": "q", "start": 0, "end": 1, "subject": entity, "predicate": "hasAgent",
             "object": "north-korea", "modality": "asserted"}
    text = dump_claims_file({"format": "flashpoint-claims/1", "document": "d.txt", "sha256": "0" * 64,
                             "claims": [claim, dict(claim, object={"event": "MissileTest", "agents": agents})]})
    assert "&" not in text and "*" not in text
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_claims_file(path).claims[1].object == {"event": "MissileTest", "agents": ["north-korea"]}
