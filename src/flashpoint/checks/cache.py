"""The check cache (``.flashpoint/check-cache/``) and the process pool of a cold run.

Check is incremental per document: what it computes for one document is a pure
function of that document's inputs, so it is kept under a key made of those
inputs and reused while the key is the same:

- ``load/<slug>.json``: the loaded document (provenance findings, quads, claim
  index; ``kb.load_document``), keyed by the claims file's and the document's
  bytes, the model fingerprint (ontology + gazetteer files, flashpoint version)
  and the code that loads it;
- ``shacl/<slug>.json``: the SHACL results of the document's graph
  (``shacl.py``), keyed by that graph's triples, the shapes and the code;
- ``owl.json``: the documents whose OWL module was consistent (``owl.py``).

The cache is JSON (no pickle: a cache directory that came with a pull request
cannot run code). A missing, unreadable or stale entry is recomputed; a
read-only checkout just has no cache. Findings are the same with or without it
(tests/test_check.py proves it).

Work that is not cached is spread over ``jobs`` processes (fork, POSIX only;
``FLASHPOINT_CHECK_JOBS``, default: the CPUs this process may use).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Iterable

import flashpoint

FORMAT = "flashpoint-check-cache/2"
MIN_PARALLEL = 4  # fewer items than this: not worth starting processes


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


def code_fingerprint(*modules: str) -> str:
    """The version and the source of the modules whose output is cached: a change of code is a miss."""
    import importlib

    digest = hashlib.sha256((FORMAT + flashpoint.__version__).encode())
    for name in modules:
        path = getattr(importlib.import_module(name), "__file__", None)
        if path:
            digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def digest(*parts: bytes | str) -> str:
    d = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        d.update(len(data).to_bytes(8, "little"))
        d.update(data)
    return d.hexdigest()


def read(path: Path, key: str) -> Any | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    return data.get("value")


def write(path: Path, key: str, value: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"key": key, "value": value}, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only checkout: no cache, same findings


# ---------------------------------------------------------------- the pool

_TASK: Callable[[Any], Any] | None = None


def _call(item: Any) -> Any:
    assert _TASK is not None
    return _TASK(item)


def parallel_map(task: Callable[[Any], Any], items: list[Any], n_jobs: int) -> list[Any]:
    """``[task(x) for x in items]``, in ``n_jobs`` forked processes when that is worth it.

    ``task`` may be a closure: the workers are forked after it is set, so they
    inherit it (and everything it refers to, such as the model) without pickling.
    Items and results must pickle.
    """
    global _TASK
    if n_jobs <= 1 or len(items) < MIN_PARALLEL or sys.platform == "win32":
        return [task(x) for x in items]
    import multiprocessing

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        return [task(x) for x in items]
    _TASK = task
    try:
        with context.Pool(min(n_jobs, len(items))) as pool:
            return pool.map(_call, items, chunksize=max(1, len(items) // (n_jobs * 8)))
    finally:
        _TASK = None


# ---------------------------------------------------------------- loading documents


def load_documents(project, model, documents: dict[str, Path], use_cache: bool = True, jobs: int | None = None) -> dict[str, dict]:
    """``kb.load_document`` for every document: from the cache where its inputs are unchanged."""
    from flashpoint.build import extractor_fingerprint
    from flashpoint.checks import kb as kb_module

    base = digest(code_fingerprint("flashpoint.checks.kb", "flashpoint.checks.provenance", "flashpoint.loaders.claims_file",
                                   "flashpoint.loaders.to_rdf", "flashpoint.loaders.text"), model.fingerprint())
    folder = cache_dir(project.root, "load")
    keys: dict[str, str] = {}
    out: dict[str, dict] = {}
    for slug, doc_path in documents.items():
        claims_path = project.claims_file_for(slug)
        # a document without a claims file is extracted on the fly: the extractor's rules are an input
        extractor = "" if claims_path.exists() else extractor_fingerprint()
        keys[slug] = digest(base, slug, str(doc_path), str(claims_path), _bytes(doc_path), _bytes(claims_path), extractor)
        cached = read(folder / f"{slug}.json", keys[slug]) if use_cache else None
        if cached is not None:
            out[slug] = cached
    todo = [slug for slug in documents if slug not in out]

    def task(slug: str) -> dict:
        return kb_module.load_document(project, model, slug, documents[slug])

    for slug, data in zip(todo, parallel_map(task, todo, job_count(jobs))):
        out[slug] = data
        write(folder / f"{slug}.json", keys[slug], data)
    return out


def _bytes(path: Path) -> bytes:
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
