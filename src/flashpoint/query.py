"""``flashpoint query``: find a query, check it, run it over the union of all graphs in a
child process with a deadline, format it.

A query is checked first (``flashpoint.sparql_guard``: size, nesting, updates, SERVICE),
then evaluated in a child process that opens the store read-only itself and writes the
formatted answer to a temporary file: pyoxigraph cannot cancel a query, so the parent kills
the child at the deadline, and a crash of the engine (a signal) becomes a message, not a
crash of the command. A query that names its own dataset (``FROM`` / ``FROM NAMED``) is
evaluated over that dataset; any other over the union of all graphs.

Parameterised queries (the bundled templates) bind a parameter with a line
``VALUES ?actor { UNDEF }``: left as it is, the query answers for every actor; ``--param
actor=iran`` replaces ``UNDEF`` with the actor's IRI.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import re
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions, Store

from flashpoint.errors import InputError, UsageError
from flashpoint.project import Project
from flashpoint.sparql_guard import QueryInfo, check_query
from flashpoint.vocab import PREFIXES, compact, package_folder

FORMATS = {"csv": QueryResultsFormat.CSV, "tsv": QueryResultsFormat.TSV, "json": QueryResultsFormat.JSON}
DEFAULT_TIMEOUT = 60.0  # seconds; FLASHPOINT_QUERY_TIMEOUT overrides it, --timeout overrides both
DEFAULT_MAX_BYTES = 256 * 1024 * 1024  # of formatted output; FLASHPOINT_QUERY_MAX_BYTES overrides it
DEFAULT_MAX_MEMORY = 4 * 1024 * 1024 * 1024  # resident memory of the query's process; FLASHPOINT_QUERY_MAX_MEMORY
MEMORY_POLL_SECONDS = 0.05  # how often the parent reads the child's resident memory
TEMPLATES = "queries.templates"  # the package folder of the parameterised competency questions
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
MAX_LABELLED = 10_000  # IRIs looked up for labels in one table


@dataclass
class NamedQuery:
    text: str
    path: Path | None  # None for SPARQL given on the command line

    @property
    def title(self) -> str:
        """The first comment line of the header, without the '#'."""
        for line in self.text.splitlines():
            if line.startswith("#"):
                return line.lstrip("# ").strip()
        return self.path.stem if self.path else "query"

    @property
    def where(self) -> Path:
        return self.path if self.path else Path("<query text>")

    @property
    def parameters(self) -> list[str]:
        """The parameters this query declares (``VALUES ?name { UNDEF }`` outside comments)."""
        names: list[str] = []
        for line in _code_lines(self.text):
            for match in _PARAMETER.finditer(line):
                if match.group(1) not in names:
                    names.append(match.group(1))
        return names


_PARAMETER = re.compile(r"\bVALUES\s+\?(\w+)\s*\{\s*UNDEF\s*\}", re.IGNORECASE)


def _code_lines(text: str) -> list[str]:
    return [line for line in text.splitlines(keepends=True) if not line.lstrip().startswith("#")]


# ------------------------------------------------------------------ finding queries


def resolve(q: str, project: Project | None) -> NamedQuery:
    """Q is a .rq file, the name (or prefix, 'cq01') of a query under queries/, or SPARQL text."""
    path = Path(q)
    if q.endswith(".rq"):
        if not path.is_file():
            raise UsageError(f"{q}: no such query file")
        return NamedQuery(_read(path), path)
    if re.fullmatch(r"[\w.-]+", q):
        folders = ([project.queries_dir] if project else []) + [package_folder("queries")]
        for folder in folders:
            matches = sorted(folder.glob(f"{q}*.rq")) if folder.is_dir() else []
            if len(matches) == 1 or (matches and matches[0].stem == q):
                return NamedQuery(_read(matches[0]), matches[0])
            if len(matches) > 1:
                raise UsageError(f"{q!r} names several queries: {', '.join(m.name for m in matches)}")
        raise UsageError(f"no query named {q!r} under queries/ (try `flashpoint query --list`)")
    return NamedQuery(q, None)


def competency_queries(project: Project | None) -> list[NamedQuery]:
    """The project's cqNN-*.rq queries (the bundled ones when it has none)."""
    folder = project.queries_dir if project and project.queries_dir.is_dir() else package_folder("queries")
    paths = sorted(folder.glob("cq[0-9][0-9]-*.rq")) or sorted(package_folder("queries").glob("cq[0-9][0-9]-*.rq"))
    return [NamedQuery(_read(p), p) for p in paths]


def list_queries(project: Project | None) -> list[NamedQuery]:
    folder = project.queries_dir if project and project.queries_dir.is_dir() else package_folder("queries")
    return [NamedQuery(_read(p), p) for p in sorted(folder.glob("*.rq"))]


def template_files() -> list[Path]:
    """The parameterised competency questions that ``flashpoint init`` copies into a project."""
    return sorted(package_folder(TEMPLATES).glob("cq[0-9][0-9]-*.rq"))


def _read(path: Path) -> str:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(path, None, f"not valid UTF-8 (byte offset {err.start})") from None
    if not text.strip():
        raise InputError(path, None, "the query file is empty")
    return text


# ------------------------------------------------------------------ parameters


def parse_params(items: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``--param name=value`` options → {name: value}."""
    params: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.fullmatch(r"\w+", name) or not value.strip():
            raise UsageError(f"--param {item!r}: expected NAME=VALUE, e.g. --param actor=iran")
        params[name] = value.strip()
    return params


def project_params(project: Project | None) -> dict[str, str]:
    """Default parameter values of a project: ``queries/params.yaml`` (``actor: iran``), if any."""
    if project is None:
        return {}
    path = project.queries_dir / "params.yaml"
    if not path.is_file():
        return {}
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise InputError(path, mark.line + 1 if mark else None, f"malformed YAML: {getattr(err, 'problem', err)}") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, (str, list)) for k, v in data.items()):
        raise InputError(path, None, "expected a mapping of parameter names to values (e.g. `actor: iran`)")
    return {k: ",".join(v) if isinstance(v, list) else v for k, v in data.items()}


def actor_terms(value: str, project: Project | None, option: str = "--param actor=") -> list[str]:
    """A comma-separated list of actors → SPARQL terms (``<iri>``): each is whatever
    ``Gazetteer.actor_iri`` accepts. Errors name ``option`` as the user typed it."""
    from flashpoint.gazetteer import load_gazetteer

    gazetteer = load_gazetteer(project.gazetteer_file if project else None)
    terms = []
    for raw in (v.strip() for v in value.split(",")):
        if not raw:
            continue
        try:
            terms.append(f"<{gazetteer.actor_iri(raw)}>")
        except LookupError as err:
            raise UsageError(f"{option}{raw}: {err}") from None
    if not terms:
        raise UsageError(f"{option}: no actor given")
    return terms


def bind_params(query: NamedQuery, params: dict[str, str], project: Project | None, *, strict: bool = True) -> NamedQuery:
    """The query with each given parameter's ``VALUES ?name { UNDEF }`` replaced by its value(s).

    ``strict``: a parameter the query does not declare is an error (otherwise it is skipped)."""
    if not params:
        return query
    declared = query.parameters
    unknown = [name for name in params if name not in declared]
    if unknown and strict:
        name = query.path.name if query.path else "the query"
        has = f"it has: {', '.join(declared)}" if declared else "it has none"
        raise UsageError(f"{name} has no parameter {unknown[0]!r} ({has}; a parameter is declared by a "
                         f"`VALUES ?{unknown[0]} {{ UNDEF }}` line)")
    text = query.text
    for name, value in params.items():
        if name not in declared:
            continue
        terms = actor_terms(value, project) if name == "actor" else [_term(value)]
        pattern = re.compile(r"(\bVALUES\s+\?" + re.escape(name) + r"\s*\{)\s*UNDEF\s*(\})", re.IGNORECASE)
        text = "".join(line if line.lstrip().startswith("#") else pattern.sub(lambda m: f"{m.group(1)} {' '.join(terms)} {m.group(2)}", line)
                       for line in text.splitlines(keepends=True))
    return NamedQuery(text, query.path)


def _term(value: str) -> str:
    """A parameter value other than an actor: an IRI, a prefixed name, a number or a string."""
    if value.startswith("<") and value.endswith(">"):
        return value
    if re.match(r"https?://", value):
        return f"<{value}>"
    if re.fullmatch(r"-?\d+(\.\d+)?", value):
        return value
    prefix = value.split(":", 1)[0]
    if ":" in value and prefix in PREFIXES:
        return f"<{PREFIXES[prefix]}{value.split(':', 1)[1]}>"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ------------------------------------------------------------------ running


def check(query: NamedQuery, *, allow_service: bool = False) -> QueryInfo:
    from flashpoint import sparql_guard as guard  # the limits are read when called (tests lower or raise them)

    return check_query(query.text, source=query.path, allow_service=allow_service, max_depth=guard.MAX_DEPTH,
                       max_bytes=guard.MAX_BYTES, max_chain=guard.MAX_CHAIN)


def run(store: Store, query: NamedQuery, *, allow_service: bool = False):
    """Check and evaluate QUERY in this process (no deadline): over the union of all
    graphs, or over the dataset the query names with FROM / FROM NAMED."""
    info = check(query, allow_service=allow_service)
    try:
        return store.query(query.text, use_default_graph_as_union=not info.has_dataset)
    except SyntaxError as err:
        raise _syntax_error(query, str(err)) from None


def _syntax_error(query: NamedQuery, message: str) -> InputError:
    match = re.search(r"error at (\d+):(\d+)", message)
    line = int(match.group(1)) if match else None
    return InputError(query.where, line, f"SPARQL syntax error: {message}")


def default_timeout() -> float:
    value = os.environ.get("FLASHPOINT_QUERY_TIMEOUT")
    if value is None:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        raise UsageError(f"FLASHPOINT_QUERY_TIMEOUT={value!r}: expected a number of seconds") from None
    if seconds < 0:
        raise UsageError(f"FLASHPOINT_QUERY_TIMEOUT={value!r}: expected a number of seconds (0 = no limit)")
    return seconds


def default_max_bytes() -> int:
    return _bytes_from_environment("FLASHPOINT_QUERY_MAX_BYTES", DEFAULT_MAX_BYTES)


def default_max_memory() -> int:
    return _bytes_from_environment("FLASHPOINT_QUERY_MAX_MEMORY", DEFAULT_MAX_MEMORY)


def _bytes_from_environment(name: str, default: int) -> int:
    value = os.environ.get(name)
    try:
        return int(value) if value else default
    except ValueError:
        raise UsageError(f"{name}={value!r}: expected a number of bytes") from None


@dataclass
class Limits:
    timeout: float = DEFAULT_TIMEOUT  # seconds; 0 or less: none
    max_bytes: int = DEFAULT_MAX_BYTES  # of formatted output
    max_memory: int = DEFAULT_MAX_MEMORY  # resident bytes of the query's process; 0 or less: none
    width: int = 100  # of a table, in characters


class _StoreSwapped(Exception):
    """The store's files went away under the query: a build swapped in a new store."""


def execute(store_dir: Path, query: NamedQuery, fmt: str, limits: Limits, *, allow_service: bool = False,
            reviewed_only: bool = False) -> str:
    """Check QUERY, evaluate it in a child process over the store in STORE_DIR and return
    its answer formatted as FMT. Exit-2 errors (``InputError``) for a refused query, a
    syntax error, a timeout, an answer over the size limit or a crash of the engine.

    A build that swaps the store while the query reads it deletes the old store's
    files (RocksDB opens them lazily): the query then runs again on the new store."""
    for attempt in range(3):
        try:
            return _execute_once(store_dir, query, fmt, limits, allow_service=allow_service, reviewed_only=reviewed_only)
        except _StoreSwapped as err:
            if attempt == 2:
                raise InputError(query.where, None, f"query failed: the store kept changing under it (builds running?): {err}") from None
            time.sleep(0.2)
    raise AssertionError("unreachable")


def _execute_once(store_dir: Path, query: NamedQuery, fmt: str, limits: Limits, *, allow_service: bool,
                  reviewed_only: bool) -> str:
    info = check(query, allow_service=allow_service)
    from flashpoint.store import StoreFolder, retired_store

    if not StoreFolder(store_dir).exists() and not StoreFolder(retired_store(store_dir)).exists():
        raise UsageError(f"no store at {store_dir}: run `flashpoint build` first")
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    handle, out_path = tempfile.mkstemp(prefix="flashpoint-query-", suffix=".out")
    os.close(handle)
    receiver, sender = context.Pipe(duplex=False)
    if reviewed_only and info.has_dataset:
        raise UsageError(f"{query.where}: --reviewed-only chooses the query's dataset, and so does its FROM / FROM NAMED: use one of them")
    job = _Job(str(store_dir), query.text, not info.has_dataset, fmt, limits.max_bytes, limits.width, out_path, reviewed_only)
    child = context.Process(target=_child, args=(job, sender), daemon=True)
    started = time.monotonic()
    try:
        child.start()
        sender.close()
        stopped = _watch(child, limits)
        if stopped == "timeout":
            raise InputError(query.where, None, f"query timed out after {_seconds(limits.timeout)} s (stopped; raise "
                             "--timeout or FLASHPOINT_QUERY_TIMEOUT, or make the query more selective)")
        if stopped == "memory":
            raise InputError(query.where, None, f"the query needed more than {limits.max_memory // 2**20:,} MB of memory "
                             "(stopped; make it more selective, or raise FLASHPOINT_QUERY_MAX_MEMORY)")
        status = _receive(receiver)
        if child.exitcode and child.exitcode < 0:
            name = signal.Signals(-child.exitcode).name if -child.exitcode in signal.valid_signals() else str(-child.exitcode)
            raise InputError(query.where, None, f"the query engine crashed ({name}) after "
                             f"{time.monotonic() - started:.1f} s; the query is probably too large or too deep for it")
        if status is None:
            raise InputError(query.where, None, f"the query process ended without an answer (exit status {child.exitcode})")
        kind, message = status
        if kind == "syntax":
            raise _syntax_error(query, message)
        if kind == "too-large":
            raise InputError(query.where, None, f"the answer is larger than {limits.max_bytes:,} bytes (stopped; "
                             "add a LIMIT or set FLASHPOINT_QUERY_MAX_BYTES)")
        if kind == "usage":
            raise UsageError(message)
        if kind == "io":
            raise _StoreSwapped(message)
        if kind == "error":
            raise InputError(query.where, None, f"query failed: {message}")
        with open(out_path, encoding="utf-8", newline="") as answer:  # as written: CSV lines end in CRLF
            return answer.read()
    finally:
        if child.is_alive():  # Ctrl-C or an unexpected error in the parent
            child.kill()
            child.join()
        receiver.close()
        os.unlink(out_path)


def _watch(child, limits: Limits) -> str | None:
    """Wait for the child; kill it at the deadline or when its resident memory passes the
    limit ("timeout" / "memory"), None when it ended by itself. Resident memory rather than
    RLIMIT_AS: the store maps large files, so address space says little about real use, and
    an engine that cannot allocate aborts without a message."""
    deadline = time.monotonic() + limits.timeout if limits.timeout and limits.timeout > 0 else None
    while True:
        wait = MEMORY_POLL_SECONDS if limits.max_memory > 0 else None
        if deadline is not None:
            left = deadline - time.monotonic()
            wait = max(0.0, left) if wait is None else max(0.0, min(wait, left))
        child.join(wait)
        if not child.is_alive():
            return None
        if limits.max_memory > 0 and _resident_bytes(child.pid) > limits.max_memory:
            verdict = "memory"
        elif deadline is not None and time.monotonic() >= deadline:
            verdict = "timeout"
        else:
            continue
        child.kill()
        child.join()
        return verdict


def _resident_bytes(pid: int | None) -> int:
    """The memory a query process holds for itself: its private resident pages (USS, from
    /proc/PID/smaps_rollup). Not its whole resident set: the child is forked, and until it
    writes to them it shares every page of its parent -- a parent that has grown large (a
    long test run, an application embedding flashpoint) would otherwise have its first
    query stopped before it starts. The resident set where smaps_rollup is missing (Linux
    before 4.14); 0 where /proc is (the limit is then not enforced)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            return sum(int(line.split()[1]) * 1024 for line in rollup
                       if line.startswith(("Private_Clean:", "Private_Dirty:")))
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _receive(receiver):
    """The child's status message, or None if it ended without sending one (a crash)."""
    try:
        return receiver.recv() if receiver.poll() else None
    except (EOFError, OSError):
        return None


def _seconds(value: float) -> str:
    return f"{value:g}"


@dataclass
class _Job:
    store_dir: str
    text: str
    union: bool
    fmt: str
    max_bytes: int
    width: int
    out_path: str
    reviewed_only: bool = False  # leave out the graphs of unreviewed documents


class _TooLarge(Exception):
    pass


class _BoundedFile(io.RawIOBase):
    """A binary file that refuses to grow beyond a number of bytes."""

    def __init__(self, path: str, limit: int):
        self._file = open(path, "wb")
        self._limit = limit
        self._written = 0
        self.overflowed = False

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._written += len(data)
        if self._written > self._limit:
            self.overflowed = True
            raise _TooLarge()
        return self._file.write(data)

    def close(self) -> None:
        self._file.close()
        super().close()


def _child(job: _Job, sender) -> None:
    """In the child process: open the store, evaluate, write the formatted answer, report."""
    import faulthandler

    signal.signal(signal.SIGINT, signal.SIG_DFL)
    faulthandler.disable()  # a crash of the engine is reported by the parent, without a Python traceback
    status: tuple[str, str]
    out = _BoundedFile(job.out_path, job.max_bytes)
    try:
        from flashpoint.store import open_read_only

        store = open_read_only(Path(job.store_dir))
        if job.reviewed_only:
            from flashpoint.store import reviewed_graphs

            results = store.query(job.text, default_graph=reviewed_graphs(store))
        else:
            results = store.query(job.text, use_default_graph_as_union=job.union)
        write_results(results, job.fmt, out, store=store, width=job.width)
        status = ("ok", "")
    except SyntaxError as err:
        status = ("syntax", str(err))
    except _TooLarge:
        status = ("too-large", "")
    except UsageError as err:
        status = ("usage", str(err))
    except OSError as err:  # the store's files vanished under us: a build swapped it (see execute)
        status = ("too-large", "") if out.overflowed else ("io", f"{type(err).__name__}: {str(err)[:500]}")
    except Exception as err:  # evaluation errors: a failing SERVICE, an I/O error of the store, …
        if out.overflowed:
            status = ("too-large", "")
        else:
            status = ("error", f"{type(err).__name__}: {str(err)[:2000]}")
    finally:
        out.close()
    sender.send(status)
    sender.close()


# ------------------------------------------------------------------ formatting


def format_results(results, fmt: str, *, store: Store | None = None, width: int | None = None) -> str:
    buffer = io.BytesIO()
    write_results(results, fmt, buffer, store=store, width=width)
    return buffer.getvalue().decode("utf-8")


def write_results(results, fmt: str, out, *, store: Store | None = None, width: int | None = None) -> None:
    """Write RESULTS as FMT to the binary file OUT. A table shows labels (from STORE) instead of
    IRIs and fits WIDTH characters; csv, tsv and json are the W3C formats, unchanged."""
    if isinstance(results, QueryBoolean):
        value = str(bool(results)).lower()
        out.write(('{"head":{},"boolean":%s}\n' % value if fmt == "json" else f"{value}\n").encode())
        return
    if not isinstance(results, QuerySolutions):  # CONSTRUCT / DESCRIBE
        from pyoxigraph import RdfFormat, serialize

        out.write(serialize(results, format=RdfFormat.TURTLE, prefixes=PREFIXES) or b"")
        return
    if fmt == "table":
        variables = [v.value for v in results.variables]
        limit = getattr(out, "_limit", None)
        rows, size = [], 0
        for solution in results:
            rows.append([solution[v] for v in variables])
            if limit is not None:  # a table is built in memory: stop at the size limit
                size += sum(len(t.value) + 2 for t in rows[-1] if t is not None) + 1
                if size > limit:
                    out.overflowed = True
                    raise _TooLarge()
        labels = _labels(store, rows) if store is not None else {}
        cells = [[_cell(term, labels) for term in row] for row in rows]
        out.write(table(variables, cells, width or 100).encode("utf-8"))
        return
    results.serialize(out, format=FORMATS[fmt])


def _labels(store: Store, rows: list[list]) -> dict[str, str]:
    """rdfs:label of the IRIs in ROWS (English or untagged; the smallest if several), in one query."""
    iris = sorted({t.value for row in rows for t in row if isinstance(t, NamedNode)})[:MAX_LABELLED]
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in iris if not re.search(r'[<>"{}|^`\\\s]', i))
    text = (f"SELECT ?s (MIN(STR(?l)) AS ?label) WHERE {{ VALUES ?s {{ {values} }} ?s <{RDFS_LABEL}> ?l "
            'FILTER (LANG(?l) = "" || LANGMATCHES(LANG(?l), "en")) } GROUP BY ?s')
    return {s["s"].value: s["label"].value for s in store.query(text, use_default_graph_as_union=True)
            if s["label"] is not None}


def _cell(term, labels: dict[str, str] | None = None) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        if labels and term.value in labels:
            return labels[term.value]
        return compact(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        return term.value
    return str(term)


def table(headers: list[str], rows: list[list[str]], width: int, max_lines: int = 3) -> str:
    """A plain table that fits WIDTH characters: columns share the width, long cells wrap onto
    up to MAX_LINES lines and end in '…' beyond. A column ``xLabel`` that only repeats column
    ``x`` (whose IRIs are shown as their labels) is left out."""
    rows = [[" ".join(c.split()) for c in row] for row in rows]  # whitespace (newlines) → one space
    keep = [i for i, h in enumerate(headers)
            if not (h.endswith("Label") and h[:-5] in headers and rows
                    and all(r[i] == r[headers.index(h[:-5])] or not r[i] for r in rows))]
    headers = [headers[i] for i in keep]
    rows = [[r[i] for i in keep] for r in rows]
    natural = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    widths = fit_widths(natural, width - 2 * (len(headers) - 1)) if headers else []

    def lines(cells: list[str], limit: int) -> list[str]:
        wrapped = [_wrap(c, w, limit) for c, w in zip(cells, widths)]
        height = max((len(w) for w in wrapped), default=1)
        return ["  ".join((w[k] if k < len(w) else "").ljust(widths[j]) for j, w in enumerate(wrapped)).rstrip()
                for k in range(height)]

    out = (lines(headers, 1) + ["  ".join("-" * w for w in widths)]) if headers else []
    for row in rows:
        out += lines(row, max_lines)
    count = f"({len(rows)} rows)"
    return ("\n".join(out) + "\n" if out else "") + count + "\n"


def _wrap(text: str, width: int, max_lines: int) -> list[str]:
    if len(text) <= width:
        return [text]
    import textwrap

    parts = textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]
    if len(parts) > max_lines:
        parts = parts[:max_lines]
        parts[-1] = _clip(parts[-1] + " …", width) if len(parts[-1]) + 2 <= width else parts[-1][: width - 1] + "…"
    return parts


def fit_widths(natural: list[int], available: int, minimum: int = 4) -> list[int]:
    """Column widths summing to at most AVAILABLE (when possible): narrow columns keep their
    natural width, the others share what is left equally."""
    if sum(natural) <= available:
        return list(natural)
    widths = [0] * len(natural)
    pending = sorted(range(len(natural)), key=lambda i: natural[i])
    left = max(available, minimum * len(natural))
    while pending:
        share = left // len(pending)
        i = pending[0]
        if natural[i] <= share:
            widths[i] = natural[i]
        else:  # every remaining column is wider than the share: split what is left
            for k, j in enumerate(pending):
                widths[j] = max(minimum, share + (1 if k < left - share * len(pending) else 0))
            break
        left -= widths[i]
        pending.pop(0)
    return widths


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"
