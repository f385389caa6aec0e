"""`flashpoint reanchor`: after a document was edited, each claim's sentence,
start and end are found again from its quote and the sha256 is updated —
nothing else in the file changes, and no claim is ever lost silently."""

from __future__ import annotations

import re

import yaml

from conftest import run_cli
from flashpoint.loaders.claims_file import dump_claims_file
from flashpoint.loaders.reanchor import plan_reanchor

SLUG = "nk-missile-launches"
INSERTED = "A new first sentence about North Korea and its adversaries. "  # holds a quote of sentence 17 too
# The only lines reanchor may change.
NUMBERS = re.compile(r"^\s*(- )?(sentence|start|end): \d+$|^sha256: [0-9a-f]{64}$")


def _paths(project):
    return project / "kb/documents" / f"{SLUG}.txt", project / "kb/claims" / f"{SLUG}.yaml"


def _insert_first_sentence(doc):
    doc.write_text(INSERTED + doc.read_text(encoding="utf-8"), encoding="utf-8")


def _quote_line(text, quote):
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.strip() == f"quote: {quote}" or line.strip() == f'quote: "{quote}"')


def test_reanchor_after_inserting_a_sentence_makes_the_build_pass_and_keeps_the_file(seed_project):
    doc, claims = _paths(seed_project)
    before = claims.read_text(encoding="utf-8")
    count = len(yaml.safe_load(before)["claims"])
    _insert_first_sentence(doc)
    refused = run_cli("build", "--project", seed_project)
    assert refused.exit_code == 2 and "changed after" in refused.stderr

    result = run_cli("reanchor", "--project", seed_project)
    assert result.exit_code == 0, result.stderr
    assert f"kb/claims/{SLUG}.yaml: {count} claims re-anchored, 0 unchanged, 0 missing; sha256 updated" in result.stdout
    assert run_cli("build", "--project", seed_project).exit_code == 0

    after = claims.read_text(encoding="utf-8")
    old_lines, new_lines = before.splitlines(), after.splitlines()
    assert len(old_lines) == len(new_lines)
    changed = [(a, b) for a, b in zip(old_lines, new_lines) if a != b]
    assert changed and all(NUMBERS.match(a) and NUMBERS.match(b) for a, b in changed), changed[:3]
    # comments, notes and untouched keys are byte-for-byte the same
    assert [l for l in old_lines if l.lstrip().startswith("#")] == [l for l in new_lines if l.lstrip().startswith("#")]
    assert [l for l in old_lines if "note:" in l] == [l for l in new_lines if "note:" in l]
    # every claim moved by the length of the new sentence, one sentence down
    old, new = yaml.safe_load(before), yaml.safe_load(after)
    for a, b in zip(old["claims"], new["claims"]):
        assert (b["start"], b["end"], b["sentence"]) == (a["start"] + len(INSERTED), a["end"] + len(INSERTED), a["sentence"] + 1)
        assert {k: v for k, v in a.items() if k not in ("start", "end", "sentence")} == {k: v for k, v in b.items() if k not in ("start", "end", "sentence")}


def test_a_repeated_quote_takes_the_occurrence_nearest_its_old_place_and_is_reported(seed_project):
    doc, claims = _paths(seed_project)
    text = claims.read_text(encoding="utf-8")
    _insert_first_sentence(doc)
    result = run_cli("reanchor", "--project", seed_project)
    assert result.exit_code == 0, result.stderr
    line = _quote_line(text, "North Korea and its adversaries")
    assert f"kb/claims/{SLUG}.yaml:{line}: the quote occurs 2 times" in result.stdout
    new_text = doc.read_text(encoding="utf-8")
    for claim in yaml.safe_load(claims.read_text(encoding="utf-8"))["claims"]:
        if claim["quote"] == "North Korea and its adversaries":
            assert claim["start"] > len(INSERTED) and claim["sentence"] == 18  # not the copy in the new sentence 0
            assert new_text[claim["start"] : claim["end"]] == claim["quote"]


def test_reviewed_stays_as_it_was_and_moved_claims_are_listed(seed_project):
    doc, claims = _paths(seed_project)
    _insert_first_sentence(doc)
    result = run_cli("reanchor", "--project", seed_project)
    assert result.exit_code == 0, result.stderr
    assert yaml.safe_load(claims.read_text(encoding="utf-8"))["reviewed"] is True
    assert "reviewed: true is kept" in result.stdout
    assert "now in another sentence" in result.stdout and "sentences 0–24 → 1–25 (+1 each)" in result.stdout
    assert "notes that cite sentence numbers" in result.stdout

    unreviewed = claims.read_text(encoding="utf-8").replace("\nreviewed: true\n", "\nreviewed: false\n")
    claims.write_text(unreviewed, encoding="utf-8")
    _insert_first_sentence(doc)
    assert run_cli("reanchor", "--project", seed_project).exit_code == 0
    assert yaml.safe_load(claims.read_text(encoding="utf-8"))["reviewed"] is False


def test_a_deleted_quote_is_reported_with_its_line_and_nothing_is_written(seed_project):
    doc, claims = _paths(seed_project)
    before = claims.read_bytes()
    gone = "North Korea's missile testing program dates back to the 1990s"
    text = doc.read_text(encoding="utf-8")
    doc.write_text(INSERTED + text.replace(gone, "Its history is long"), encoding="utf-8")
    result = run_cli("reanchor", "--project", seed_project)
    assert result.exit_code == 2
    line = _quote_line(before.decode("utf-8"), gone)
    assert f"kb/claims/{SLUG}.yaml:{line}: quote no longer in the document" in result.stderr
    assert "nothing written" in result.stderr
    assert claims.read_bytes() == before
    assert sorted(p.name for p in claims.parent.iterdir()) == [claims.name]  # no temporary file left behind


def test_keep_missing_writes_the_others_and_the_build_still_points_at_the_missing_claim(seed_project):
    doc, claims = _paths(seed_project)
    gone = "North Korea's missile testing program dates back to the 1990s"
    before = claims.read_text(encoding="utf-8")
    doc.write_text(INSERTED + doc.read_text(encoding="utf-8").replace(gone, "Its history is long"), encoding="utf-8")
    result = run_cli("reanchor", "--project", seed_project, "--keep-missing")
    assert result.exit_code == 0, result.stderr
    assert "1 missing" in result.stdout and "quote no longer in the document" in result.stderr
    old, new = yaml.safe_load(before), yaml.safe_load(claims.read_text(encoding="utf-8"))
    assert len(new["claims"]) == len(old["claims"])  # the claim is still there, untouched
    kept = [c for c in new["claims"] if c["quote"] == gone]
    assert kept == [c for c in old["claims"] if c["quote"] == gone]
    build = run_cli("build", "--project", seed_project)
    assert build.exit_code == 2 and f"{SLUG}.yaml:{_quote_line(before, gone)}:" in build.stderr


def test_dry_run_writes_nothing(seed_project):
    doc, claims = _paths(seed_project)
    before = claims.read_bytes()
    _insert_first_sentence(doc)
    result = run_cli("reanchor", "--project", seed_project, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "re-anchored" in result.stdout and "dry run" in result.stdout
    assert claims.read_bytes() == before
    assert sorted(p.name for p in claims.parent.iterdir()) == [claims.name]


def test_an_up_to_date_file_is_left_alone(seed_project):
    doc, claims = _paths(seed_project)
    before, mtime = claims.read_bytes(), claims.stat().st_mtime_ns
    result = run_cli("reanchor", "--project", seed_project)
    assert result.exit_code == 0, result.stderr
    assert "0 claims re-anchored" in result.stdout and "sha256 unchanged" in result.stdout
    assert claims.read_bytes() == before and claims.stat().st_mtime_ns == mtime


def test_a_claims_file_given_by_path_finds_its_document_and_keeps_an_extractor_layout(seed_project, monkeypatch):
    """Files the extractor wrote wrap long quotes; the rewrite is a splice, so the
    wrapping (and everything else) is kept byte for byte whatever the style."""
    doc, claims = _paths(seed_project)
    data = yaml.safe_load(claims.read_text(encoding="utf-8"))
    before = dump_claims_file(data)  # PyYAML layout: '- sentence:' at column 0, quotes wrapped at 100 columns
    assert any(line.startswith("    ") and not line.lstrip().startswith(("-", "#")) and ":" not in line for line in before.splitlines())
    claims.write_text(before, encoding="utf-8")
    _insert_first_sentence(doc)
    monkeypatch.chdir(seed_project / "kb")
    result = run_cli("reanchor", f"claims/{SLUG}.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"kb/claims/{SLUG}.yaml: ")  # the project (found from the folder) names it
    after = claims.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(before.splitlines()) == len(after.splitlines())
    assert changed and all(NUMBERS.match(a) and NUMBERS.match(b) for a, b in changed)
    assert run_cli("build", "--project", seed_project).exit_code == 0


def test_plan_is_importable_and_counts(seed_project):
    doc, claims = _paths(seed_project)
    _insert_first_sentence(doc)
    plan = plan_reanchor(claims)
    assert plan.document == doc and plan.changed and plan.sha256_changed
    assert len(plan.reanchored) == len(plan.anchors) and not plan.missing
    assert {a.claim.quote for a in plan.ambiguous} == {"North Korea and its adversaries"}
