"""The check cache (``.flashpoint/check-cache/``): a memo on disk, and the process pool of a cold run.

What check computes for one document is a pure function of its inputs, so it is
kept under a key made of those inputs and of flashpoint's own code, and reused
while the key is the same:

- ``load/<slug>.json``: the loaded document (``kb.load_document``: provenance
  findings, quads, claim index), keyed by the bytes of the document and its
  claims file and by the model (the ontology with the project's extensions, the
  gazetteer with the project's actors);
- ``shacl-sparql/``: the hash of every graph and the SHACL results per graph (``shacl.py``);
- ``rules.json``: the integrity rules' rows while no graph changed (``rules.py``);
- ``owl.json``: the documents whose OWL module was consistent, and the union's verdict (``owl.py``);
- ``whole-run.json``: the last findings and a fingerprint of every input (``memo_store.py``).

Every key includes ``code_fingerprint()``: the source of *every* module and
data file of the installed flashpoint package. Listing the modules a result
depends on proved unsound (a change of ``identity.py``, which decides IRIs,
went unnoticed), and hashing all of them takes milliseconds.

The cache is JSON (no pickle: a cache directory that came with a pull request
cannot run code), written atomically (a temporary file renamed into place). A
missing, unreadable or stale entry is recomputed; a read-only checkout just has
no cache. Findings are the same with or without it (tests/test_check.py proves it).

Work that is not cached is spread over ``jobs`` processes (fork, POSIX only;
``FLASHPOINT_CHECK_JOBS``, default: the CPUs this process may use).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import flashpoint

FORMAT = "flashpoint-check-cache/3"
MIN_PARALLEL = 4  # fewer items than this: not worth starting processes
# The packages whose files make up flashpoint: its code, and the data it reads (ontology,
# shapes, gazetteer, lexicons, extraction patterns, queries). With an editable install they
# are separate folders; installed, they nest (a file found twice is hashed once).
CODE_PACKAGES = ("flashpoint", "flashpoint.loaders", "flashpoint.ontology", "flashpoint.queries")
CODE_SUFFIXES = (".py", ".ttl", ".yaml", ".json", ".rq")


def cache_dir(project_root: Path, *parts: str) -> Path:
    return project_root.joinpath(".flashpoint", "check-cache", *parts)


def job_count(requested: int | None = None) -> int:
    if requested:
        return max(1, requested)
    env = os.environ.get("FLASHPOINT_CHECK_JOBS")
    if env and env.isdigit():
        return max(1, int(env))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


# ---------------------------------------------------------------- keys


def code_fingerprint() -> str:
    """The version and the source of every flashpoint module and data file: any change of code is a miss."""
    return tree_fingerprint(tuple(_package_folders()))


def _package_folders() -> list[Path]:
    return [Path(str(resources.files(package))) for package in CODE_PACKAGES]


@lru_cache(maxsize=4)
def tree_fingerprint(folders: tuple[Path, ...]) -> str:
    """A hash of the source files (``CODE_SUFFIXES``) under ``folders``, names and bytes."""
    files: dict[Path, str] = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if path.suffix in CODE_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
                files.setdefault(path.resolve(), f"{folder.name}/{path.relative_to(folder).as_posix()}")
    d = hashlib.sha256((FORMAT + flashpoint.__version__).encode())
    for path, name in sorted(files.items(), key=lambda item: item[1]):
        d.update(name.encode())
        d.update(path.read_bytes())
    return d.hexdigest()


def digest(*parts: bytes | str) -> str:
    d = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        d.update(len(data).to_bytes(8, "little"))
        d.update(data)
    return d.hexdigest()


def memo_key(*inputs: bytes | str) -> str:
    """The key of a result computed from ``inputs`` by flashpoint's code as it is now."""
    return digest(code_fingerprint(), *inputs)


def file_bytes(path: Path) -> bytes:
    """A file's bytes as a key input (a missing file is an input too)."""
    try:
        return path.read_bytes()
    except OSError:
        return b"\0missing"


def hash_lines(lines: Iterable[str]) -> str:
    d = hashlib.sha256()
    for line in sorted(lines):
        d.update(line.encode("utf-8"))
        d.update(b"\n")
    return d.hexdigest()


# ---------------------------------------------------------------- entries


def read(path: Path, key: str) -> Any | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    return data.get("value")


def holds(path: Path, key: str) -> bool:
    """Whether the entry at ``path`` was written under ``key``, from its first bytes only (``write``
    puts the key first): to tell what is cached before reading any entry whole."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(key) + 16)
    except OSError:
        return False
    return head.startswith(b'{"key": "' + key.encode("ascii") + b'"')


def write(path: Path, key: str, value: Any) -> None:
    write_json(path, {"key": key, "value": value})


def write_json(path: Path, data: Any) -> None:
    """``data`` as JSON at ``path``, atomically (a temporary file renamed into place)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only checkout: no cache, same findings


# ---------------------------------------------------------------- the pool

_TASK: Callable[[Any], Any] | None = None  # what the forked workers run (inherited, never pickled)


def _call(item: Any) -> Any:
    assert _TASK is not None
    return _TASK(item)


@contextmanager
def worker_pool(task: Callable[[Any], Any], n_items: int, n_jobs: int) -> Iterator[Callable[[list], Iterator[Any]]]:
    """A function mapping ``task`` over items lazily and in order: in ``n_jobs`` processes forked
    *now*, when that is worth it. The caller may start threads inside the block (a fork while
    another thread holds a lock of the store would inherit that lock held forever)."""
    global _TASK
    if n_jobs <= 1 or n_items < MIN_PARALLEL or sys.platform == "win32":
        yield lambda items: map(task, items)
        return
    import multiprocessing

    _TASK = task
    try:
        with multiprocessing.get_context("fork").Pool(min(n_jobs, n_items)) as pool:
            yield lambda items: pool.imap(_call, items, chunksize=max(1, min(16, len(items) // (n_jobs * 8))))
    finally:
        _TASK = None

