"""One writer at a time: concurrent builds, a held lock, a crashed build.

Before the project lock, two `flashpoint build --force` started 0.5–6 s apart
made one exit 3 (FileNotFoundError in the shared staging folder) and left the
live store corrupt ("Sst file size mismatch") while the next plain build said
"up to date".
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

from flashpoint.lock import project_lock
from flashpoint.store import Manifest

from conftest import copy_repo_kb, run_cli

FLASHPOINT = [sys.executable, "-m", "flashpoint.cli"]


def _start(project: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([*FLASHPOINT, *args, "--project", str(project)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _store_is_whole(project: Path, staging_gone: bool = True) -> None:
    """The live store opens, answers a query, and holds what its manifest says."""
    folder = project / ".flashpoint" / "store"
    manifest = Manifest.read(folder / "manifest.json")
    store = pyoxigraph.Store.read_only(str(folder / "oxigraph"))
    assert len(store) == manifest.total_quads > 0
    result = run_cli("query", "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/flashpoint/ontology#Claim> }", "--format", "csv", "--project", project)
    assert result.exit_code == 0, result.stderr
    assert int(result.stdout.split()[-1]) > 0
    if staging_gone:
        assert not (project / ".flashpoint" / "store.new").exists()


@pytest.fixture
def built(tmp_path: Path) -> Path:
    project = copy_repo_kb(tmp_path / "p")
    assert run_cli("build", "--project", project).exit_code == 0
    return project


@pytest.mark.parametrize("offset", [0.0, 0.7, 1.5])
def test_two_builds_at_once_both_succeed_and_the_store_is_whole(built: Path, offset: float):
    first = _start(built, "build", "--force")
    time.sleep(offset)
    second = _start(built, "build", "--force")
    outs = [p.communicate(timeout=300) for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outs
    _store_is_whole(built)
    again = run_cli("build", "--project", built)
    assert again.exit_code == 0 and "up to date" in again.stdout


def test_a_waiting_build_says_who_holds_the_lock(built: Path):
    with project_lock(built, "test holder"):
        waiting = _start(built, "build", "--force")
        time.sleep(3)
        assert waiting.poll() is None, "the second build must wait, not run"
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err
    assert f"pid {os.getpid()}: flashpoint test holder" in err and "waiting" in err
    _store_is_whole(built)


def test_no_wait_exits_2_and_changes_nothing(built: Path):
    manifest = (built / ".flashpoint" / "store" / "manifest.json").read_bytes()
    with project_lock(built, "test holder"):
        result = subprocess.run([*FLASHPOINT, "build", "--force", "--no-wait", "--project", str(built)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "locked by pid" in result.stderr and "Traceback" not in result.stderr
    assert (built / ".flashpoint" / "store" / "manifest.json").read_bytes() == manifest


def test_a_killed_build_leaves_the_store_usable_and_the_next_build_recovers(built: Path):
    victim = _start(built, "build", "--force")
    time.sleep(2.5)  # inside the build: reading, reasoning or writing the staged copy
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=60)
    _store_is_whole(built, staging_gone=False)  # the live store was never written to
    # the lock died with the process: a --no-wait build gets it at once and clears the leftovers
    result = run_cli("build", "--force", "--no-wait", "--project", built)
    assert result.exit_code == 0, result.stderr
    _store_is_whole(built)


def test_a_swap_interrupted_between_its_renames_is_undone(built: Path):
    live = built / ".flashpoint" / "store"
    live.rename(live.with_name("store.old"))  # as if the build died after retiring the old store
    (live.with_name("store.new")).mkdir()  # and left half a staged one
    # readers still get the previous store
    assert run_cli("query", "ASK { ?s ?p ?o }", "--project", built).stdout.strip() == "true"
    result = run_cli("build", "--project", built)
    assert result.exit_code == 0, result.stderr
    assert "up to date" in result.stdout  # the retired store was put back, not rebuilt
    assert not live.with_name("store.old").exists() and not live.with_name("store.new").exists()
    _store_is_whole(built)
    shutil.rmtree(live)


def test_queries_keep_answering_while_builds_swap_the_store(built: Path):
    """A reader never sees a missing or half-built store, even while a build swaps folders."""
    builds = [_start(built, "build", "--force") for _ in range(2)]
    answers = []
    while any(b.poll() is None for b in builds):
        answer = subprocess.run([*FLASHPOINT, "query", "ASK { ?c a <https://w3id.org/flashpoint/ontology#Claim> }", "--project", str(built)],
                                capture_output=True, text=True, timeout=120)
        answers.append((answer.returncode, answer.stdout.strip(), answer.stderr.strip()))
    assert [b.wait() for b in builds] == [0, 0]
    assert len(answers) >= 3, answers
    assert [a for a in answers if a[:2] != (0, "true")] == []
