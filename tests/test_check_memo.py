"""The whole-run memo of `flashpoint check` (checks/memo_store.py): nothing changed, nothing runs;
any change of an input (content, not mtime) runs check again."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from conftest import REPO

from flashpoint.checks import collect, memo_store
from flashpoint.project import Project

CLEAN = REPO / "tests" / "fixtures" / "broken" / "stance-without-holder"


def _counting(project: Path):
    calls = []

    def compute():
        calls.append(1)
        return collect(Project(project), owl=False)

    return calls, lambda: memo_store.whole_run(Project(project), compute, owl=False)


def _age(path: Path, seconds: float = 10) -> None:
    """Back-date a file, as if it had been written a while before the memo."""
    t = time.time() - seconds
    os.utime(path, (t, t))


def test_whole_run_memo(tmp_path: Path):
    project = tmp_path / "p"
    shutil.copytree(CLEAN, project, ignore=shutil.ignore_patterns(".flashpoint", "expected.yaml"))
    for f in project.rglob("*"):
        _age(f, 60)
    calls, run = _counting(project)
    first = run()
    assert calls == [1] and first[0], first
    again = run()
    assert calls == [1]  # nothing changed: the memo
    assert [f.to_json() for f in again[0]] == [f.to_json() for f in first[0]] and again[1] == first[1]

    claims = project / "kb" / "claims" / "x.yaml"
    text = claims.read_text()
    claims.write_text(text)  # touched, same content
    assert run()[1] == first[1] and calls == [1]

    claims.write_text(text.replace("reviewed: true", "reviewed: false"))  # changed
    changed = run()
    assert calls == [1, 1]
    assert any(f.rule == "FP-P17" for f in changed[0])

    # a change that keeps the size and the mtime of a file written just before the memo is seen too
    claims.write_text(text)
    run()
    stat = claims.stat()
    claims.write_text(text.replace("Japan supports", "Japan supporTs"))
    os.utime(claims, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert claims.stat().st_size == stat.st_size
    run()
    assert len(calls) == 4

    # a new file in the project's ontology/ is an input
    extra = project / "ontology"
    extra.mkdir(exist_ok=True)
    (extra / "notes.ttl").write_text("# nothing\n")
    run()
    assert len(calls) == 5


def test_memoized_check_decorator(tmp_path: Path):
    project = tmp_path / "p"
    shutil.copytree(CLEAN, project, ignore=shutil.ignore_patterns(".flashpoint", "expected.yaml"))
    wrapped = memo_store.memoized_check(collect)
    first = wrapped(Project(project), owl=False)
    assert (project / ".flashpoint" / "check-cache" / "whole-run.json").exists()
    assert [f.to_json() for f in wrapped(Project(project), owl=False)[0]] == [f.to_json() for f in first[0]]
    assert [f.to_json() for f in wrapped(Project(project), owl=False, use_cache=False)[0]] == [f.to_json() for f in first[0]]
