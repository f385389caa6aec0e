"""``flashpoint serve``: a SPARQL 1.1 Protocol endpoint over the project's store (read-only).

https://www.w3.org/TR/sparql11-protocol/ — ``GET /sparql?query=…``, ``POST`` of
a form (``application/x-www-form-urlencoded``) or of the query itself
(``application/sparql-query``), with ``default-graph-uri`` / ``named-graph-uri``.

The queries are answered by a real engine: a supervised child process
``oxigraph serve-read-only`` (the same Rust engine as pyoxigraph) listening on a
private loopback port. In front of it, a small ASGI application (Starlette on
uvicorn with httptools and uvloop) is the only thing a client talks to:

* every query first goes through ``sparql_guard.check_query``: more than 1 MB,
  nesting deeper than 64, very long chains (which crash the parser), updates
  (403) and ``SERVICE`` (which would make the engine fetch any URL) are refused
  with a one-line 400 before the engine sees them;
* the request body is capped (1 MB, 413 beyond) and so is the response
  (``MAX_RESPONSE``: the connection is cut beyond it);
* ``--timeout``: a query that runs longer is stopped — oxigraph's own
  ``--timeout-s`` does not interrupt a running evaluation (and costs a thread
  per query), so the child is replaced by a fresh one and killed (504 for
  that query); a child that dies
  (a crash the guard missed) is restarted (502 for that query);
* CORS is off unless ``--cors ORIGIN`` names the origins allowed (preflight
  included), and the server listens on 127.0.0.1;
* a new ``flashpoint build`` is served without a restart: the store's
  ``manifest.json`` (written last by a build) is polled; on a change a
  hard-linked snapshot of the new database is taken (only a folder with a
  manifest is ever opened), a new child is started on it, and once it answers
  the upstream is switched; the old child stops after its in-flight queries.

The engine works on snapshots in ``.flashpoint/serve/`` (hard links: no data is
copied), so a build may rename and delete the store folder at any time.
"""

from __future__ import annotations

import asyncio
import functools
import html
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from flashpoint.errors import InputError, UsageError
from flashpoint.sparql_guard import check_query_memo
from flashpoint.vocab import PREFIXES

PATH = "/sparql"
MAX_BODY = 1_000_000  # bytes of a request body (the guard's query limit)
MAX_RESPONSE = 256 * 1024 * 1024  # bytes of a response: the connection is cut beyond
DEFAULT_TIMEOUT = 30.0
BUFFERED = 256 * 1024  # a response up to this size is sent with a Content-Length (HTTP/1.0 keep-alive works)
POLL_SECONDS = 0.1  # seconds between looks at the store's manifest (one stat)
READ_ONLY = "updates are not allowed: this SPARQL endpoint is read-only (change kb/ and run `flashpoint build`)"
LOOPBACK = ("127.0.0.1", "localhost", "::1")

FORM = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>flashpoint SPARQL</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}textarea{{width:100%;font-family:monospace}}</style>
</head><body>
<h1>flashpoint SPARQL endpoint</h1>
<p>SPARQL 1.1 Protocol at <code>{path}</code>, read-only; the default graph is the union of all graphs.</p>
<form method="post" action="{path}">
<textarea name="query" rows="14">{query}</textarea>
<p><label>Results as <select name="format">
<option value="application/sparql-results+json">JSON</option>
<option value="application/sparql-results+xml">XML</option>
<option value="text/csv">CSV</option>
<option value="text/tab-separated-values">TSV</option>
<option value="text/turtle">Turtle (CONSTRUCT/DESCRIBE)</option>
</select></label> <button type="submit">Run</button></p>
</form></body></html>
"""
EXAMPLE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p in ("fp", "rdfs")) + (
    "\nSELECT DISTINCT ?claim ?quote WHERE {\n  ?claim a fp:Claim ; fp:quote ?quote .\n}\nLIMIT 20\n"
)


def oxigraph_binary() -> str:
    """The ``oxigraph`` server next to this interpreter (the venv's), else on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    if here.exists():
        return str(here)
    found = shutil.which("oxigraph")
    if not found:
        raise UsageError("flashpoint serve needs the `oxigraph` server (pip install oxigraph)")
    return found


# ---------------------------------------------------------------------------- snapshots


def manifest_key(store_dir: Path) -> tuple | None:
    """Identifies the build a store folder holds (None: no complete store there)."""
    try:
        st = os.stat(store_dir / "manifest.json")
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def take_snapshot(store_dir: Path, target: Path, attempts: int = 50) -> tuple[tuple, int]:
    """Hard-link the database of the complete store in ``store_dir`` into ``target``.

    A build never writes into the live folder (it writes a new one and swaps
    with renames), so the files of a folder with a manifest are final; a swap
    during the linking is seen (a file gone, or another manifest) and retried.
    Returns (the manifest key, the number of quads the manifest gives)."""
    import json

    for _ in range(attempts):
        key = manifest_key(store_dir)
        if key is None:
            time.sleep(0.1)
            continue
        shutil.rmtree(target, ignore_errors=True)
        database = target / "oxigraph"
        try:
            quads = int(json.loads((store_dir / "manifest.json").read_text()).get("total_quads", 0))
            database.mkdir(parents=True)
            for entry in os.scandir(store_dir / "oxigraph"):
                if entry.name == "LOCK" or entry.name.startswith("LOG") or not entry.is_file(follow_symlinks=False):
                    continue
                try:
                    os.link(entry.path, database / entry.name)
                except OSError as err:
                    if isinstance(err, FileNotFoundError):
                        raise
                    shutil.copy2(entry.path, database / entry.name)  # another file system
        except (OSError, ValueError):
            time.sleep(0.1)
            continue
        if manifest_key(store_dir) == key:
            return key, quads
    shutil.rmtree(target, ignore_errors=True)
    raise UsageError(f"no complete store at {store_dir}: run `flashpoint build` first")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:  # in the child, before exec: SIGTERM when flashpoint serve dies
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


# ---------------------------------------------------------------------------- the upstream connections


class UpstreamError(Exception):
    """The engine did not answer (connection refused, reset, closed mid-answer)."""


class Pool:
    """Keep-alive HTTP/1.1 connections to one oxigraph child on loopback.

    A minimal client on asyncio streams: the engine is ours, its answers are
    HTTP/1.1 with a Content-Length or chunked. (httpx costs ~1.7 ms a request
    here, this ~0.15 ms: the difference decides the endpoint's throughput.)"""

    def __init__(self, port: int):
        self.port = port
        self.idle: list = []
        self.closed = False

    async def _connect(self):
        return await asyncio.open_connection("127.0.0.1", self.port, limit=1 << 20)

    def release(self, conn) -> None:
        if self.closed or len(self.idle) >= 512 or conn[1].is_closing():
            conn[1].close()
        else:
            self.idle.append(conn)

    def close(self) -> None:
        self.closed = True
        while self.idle:
            self.idle.pop()[1].close()

    async def request(self, target: str, body: bytes, accept: str):
        """Send a query; (status, content type, first bytes of the body, the rest or None, connection)."""
        head = (f"POST {target} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/sparql-query; charset=utf-8\r\n"
                f"accept: {accept}\r\ncontent-length: {len(body)}\r\n\r\n").encode("latin-1") + body
        for attempt in (0, 1):
            reused = bool(self.idle)
            conn = self.idle.pop() if reused else None
            try:
                if conn is None:
                    conn = await self._connect()
                reader, writer = conn
                writer.write(head)
                response_head = await reader.readuntil(b"\r\n\r\n")
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as err:
                if conn is not None:
                    conn[1].close()
                if reused and attempt == 0:  # a stale pooled connection: once more on a new one
                    continue
                raise UpstreamError(str(err) or type(err).__name__) from None
            except BaseException:
                if conn is not None:
                    conn[1].close()
                raise
            return self._parse(response_head, conn)
        raise UpstreamError("no connection")

    def _parse(self, response_head: bytes, conn):
        lines = response_head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        ctype, length, chunked, reusable = b"application/octet-stream", None, False, True
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            value = value.strip()
            if name == b"content-type":
                ctype = value
            elif name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and b"close" in value.lower():
                reusable = False
        return status, ctype, Body(self, conn, length, chunked, reusable)


class Body:
    """The body of an upstream answer, read in chunks; the connection goes back to the pool at its end."""

    def __init__(self, pool: Pool, conn, length: int | None, chunked: bool, reusable: bool):
        self.pool, self.conn, self.remaining, self.chunked = pool, conn, length, chunked
        self.reusable = reusable and (chunked or length is not None)
        self.done = False

    async def next(self) -> bytes:
        """The next piece (b"" at the end)."""
        if self.done:
            return b""
        reader = self.conn[0]
        try:
            if self.chunked:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers
                        pass
                    return self._finish()
                return (await reader.readexactly(size + 2))[:-2]
            if self.remaining is not None:
                if self.remaining == 0:
                    return self._finish()
                data = await reader.read(min(self.remaining, 1 << 16))
                if not data:
                    raise asyncio.IncompleteReadError(b"", self.remaining)
                self.remaining -= len(data)
                return data
            data = await reader.read(1 << 16)
            return data or self._finish()
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as err:
            self.abort()
            raise UpstreamError(str(err) or type(err).__name__) from None

    def _finish(self) -> bytes:
        self.done = True
        if self.reusable:
            self.pool.release(self.conn)
        else:
            self.conn[1].close()
        return b""

    def abort(self) -> None:
        if not self.done:
            self.done = True
            self.conn[1].close()


# ---------------------------------------------------------------------------- engines


@dataclass(eq=False)
class Engine:
    """One oxigraph child over one snapshot."""

    snapshot: Path
    key: tuple
    quads: int
    port: int = 0
    process: subprocess.Popen | None = None
    inflight: int = 0
    retired: bool = False
    users: list = field(default_factory=list)
    pool: Pool | None = None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        if self.pool is not None:
            self.pool.close()
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Supervisor:
    """Runs the current engine, replaces it on a new build, a timeout or a crash."""

    def __init__(self, store_dir: Path, timeout: float):
        self.store_dir = store_dir
        self.timeout = timeout
        self.root = store_dir.parent / "serve"
        self.current: Engine | None = None
        self._lock = asyncio.Lock()
        self._seq = 0
        self._tasks: set[asyncio.Task] = set()
        self._watcher: asyncio.Task | None = None
        self.reloads = 0

    # -- life cycle

    async def start(self) -> None:
        self._clean_stale()
        store = self.store_dir
        if manifest_key(store) is None:  # a build is between its two renames: the previous store
            from flashpoint.store import retired_store

            if manifest_key(retired_store(store)) is not None:
                store = retired_store(store)
            else:
                raise UsageError(f"no store at {self.store_dir}: run `flashpoint build` first")
        self.current = await self._new_engine(store)
        self._watcher = asyncio.create_task(self._watch())

    async def stop(self) -> None:
        if self._watcher:
            self._watcher.cancel()
        for task in list(self._tasks):
            task.cancel()
        engines = [e for e in [self.current] + [t.engine for t in self._tasks if hasattr(t, "engine")] if e]
        for engine in engines:
            self._dispose(engine)
        shutil.rmtree(self.root / str(os.getpid()), ignore_errors=True)
        try:
            self.root.rmdir()
        except OSError:
            pass

    def _clean_stale(self) -> None:
        """Remove the snapshots of servers that are gone."""
        if not self.root.is_dir():
            return
        for entry in self.root.iterdir():
            if entry.name.isdigit() and not _pid_alive(int(entry.name)):
                shutil.rmtree(entry, ignore_errors=True)

    async def _new_engine(self, store_dir: Path, snapshot: Engine | None = None) -> Engine:
        """A started, answering engine on a new snapshot of ``store_dir`` (or on the snapshot of ``snapshot``)."""
        if snapshot is None:
            self._seq += 1
            target = self.root / str(os.getpid()) / str(self._seq)
            key, quads = await asyncio.to_thread(take_snapshot, store_dir, target)
            engine = Engine(target, key, quads)
        else:
            engine = Engine(snapshot.snapshot, snapshot.key, snapshot.quads, users=snapshot.users)
        engine.users.append(engine)
        for _ in range(5):
            engine.port = _free_port()
            engine.pool = Pool(engine.port)
            # No --timeout-s: oxigraph 0.5 does not stop a running evaluation with it, and it starts a
            # thread per query that sleeps for the whole timeout (at 3,000 q/s and 30 s: 90,000 threads,
            # then the child aborts). The timeout is enforced here: the child is replaced and killed.
            log = self._engine_log()
            engine.process = subprocess.Popen(
                [oxigraph_binary(), "serve-read-only", "--location", str(engine.snapshot / "oxigraph"),
                 "--bind", f"127.0.0.1:{engine.port}",],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
            log.close()
            deadline = time.monotonic() + 30
            while engine.alive() and time.monotonic() < deadline:
                try:
                    async with asyncio.timeout(2):
                        status, _, body = await engine.pool.request("/query", b"ASK {}", "application/sparql-results+json")
                        while await body.next():
                            pass
                    if status == 200:
                        return engine
                except (UpstreamError, TimeoutError):
                    pass
                await asyncio.sleep(0.02)
            engine.kill()  # the port was taken, or it did not start: try again
        self._release_snapshot(engine)
        raise RuntimeError(f"the oxigraph server did not start on {engine.snapshot}")

    def _engine_log(self):
        """The engines' messages: ``.flashpoint/serve/<pid>/oxigraph.log`` (appended)."""
        path = self.root / str(os.getpid()) / "oxigraph.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        return open(path, "ab")

    # -- replacement

    async def replace(self, old: Engine, why: str) -> None:
        """Replace ``old`` (if it is still the current engine) by a fresh child on the same snapshot."""
        async with self._lock:
            if self.current is old:
                print(f"flashpoint serve: restarting the query engine ({why})", file=sys.stderr, flush=True)
                self.current = await self._new_engine(self.store_dir, snapshot=old)
        self._retire(old, grace=0.0 if why != "reload" else self.timeout + 2)

    async def reload(self) -> None:
        async with self._lock:
            key = manifest_key(self.store_dir)
            if key is None or (self.current and key == self.current.key):
                return
            new = await self._new_engine(self.store_dir)
            old, self.current = self.current, new
            self.reloads += 1
            print(f"flashpoint serve: serving the new build ({new.quads} quads)", file=sys.stderr, flush=True)
        if old:
            self._retire(old, grace=self.timeout + 2)

    def _retire(self, engine: Engine, grace: float) -> None:
        """Stop ``engine`` once its in-flight queries are done (at most ``grace`` seconds from now)."""
        if engine.retired:
            return
        engine.retired = True

        async def wait_and_stop():
            deadline = time.monotonic() + grace
            while engine.inflight and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            self._dispose(engine)

        task = asyncio.create_task(wait_and_stop())
        task.engine = engine  # type: ignore[attr-defined]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _dispose(self, engine: Engine) -> None:
        engine.kill()
        self._release_snapshot(engine)

    def _release_snapshot(self, engine: Engine) -> None:
        if engine in engine.users:
            engine.users.remove(engine)
        if not engine.users:
            shutil.rmtree(engine.snapshot, ignore_errors=True)

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            try:
                key = manifest_key(self.store_dir)
                if key is not None and self.current is not None and key != self.current.key:
                    await self.reload()
                elif self.current is not None and not self.current.alive():
                    await self.replace(self.current, "it stopped")
            except asyncio.CancelledError:
                raise
            except Exception as err:  # keep serving the previous build
                print(f"flashpoint serve: could not load the new build: {err}", file=sys.stderr, flush=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ---------------------------------------------------------------------------- the endpoint


class Refusal(Exception):
    def __init__(self, status: int, message: str, headers: list | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or []


async def send_text(send, status: int, text: str, head: bool = False, headers: list | None = None,
                    content_type: bytes = b"text/plain; charset=utf-8") -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", content_type), (b"content-length", str(len(body)).encode())] + (headers or [])})
    await send({"type": "http.response.body", "body": b"" if head else body})


def guard(query: str):
    """``sparql_guard.check_query`` (no SERVICE, no update, depth and size limits), remembered per query
    text (a page or a client asks the same queries again and again)."""
    return check_query_memo(query, service_hint="")


def _parse_params(query_string: bytes) -> dict:
    return parse_qs(query_string.decode("latin-1"), keep_blank_values=True)


_params_memo = functools.lru_cache(maxsize=1024)(_parse_params)


def _query_params(query_string: bytes) -> dict:
    """The parameters of a URL's query string, remembered up to 8 KB a URL (a page or a client asks the
    same URLs again and again; the bound keeps the memo under ~8 MB). Do not change the dict returned."""
    return _params_memo(query_string) if len(query_string) <= 8192 else _parse_params(query_string)


def prepare(scope, query: str, params: dict):
    """The guard's verdict on ``query`` (a ``Refusal`` if refused), the dataset the request names
    ([("default-graph-uri" | "named-graph-uri", iri)]) and the media types asked for."""
    try:
        info = guard(query)
    except InputError as err:
        if "updates are not allowed" in err.message:
            raise Refusal(403, READ_ONLY) from None
        raise Refusal(400, f"query refused (line {err.line}): {err.message}" if err.line else f"query refused: {err.message}") from None
    dataset = []
    for name in ("default-graph-uri", "named-graph-uri"):
        for iri in params.get(name, []):
            if not iri or any(c in iri for c in '<>"{}|^`\\ \t\n') or ":" not in iri:
                raise Refusal(400, f"{name}: not an IRI: {iri!r}")
            dataset.append((name, iri))
    accept = None
    chosen = params.get("format", [None])[-1]
    if chosen:
        accept = chosen
    else:
        for k, v in scope["headers"]:
            if k == b"accept":
                accept = v.decode("latin-1")
    if not accept or accept.strip() == "*/*":
        accept = "text/turtle" if info.form in ("CONSTRUCT", "DESCRIBE") else "application/sparql-results+json"
    return info, dataset, accept


class SparqlEndpoint:
    """The ASGI application of ``/sparql``: check, then forward to the engine."""

    def __init__(self, supervisor: Supervisor):
        self.supervisor = supervisor

    async def __call__(self, scope, receive, send) -> None:
        method = scope["method"]
        head = method == "HEAD"
        try:
            if method == "OPTIONS":  # without CORS (with it, the middleware answers preflights)
                await send({"type": "http.response.start", "status": 204, "headers": [
                    (b"allow", b"GET, HEAD, POST, OPTIONS"), (b"content-length", b"0")]})
                await send({"type": "http.response.body", "body": b""})
                return
            if method not in ("GET", "HEAD", "POST"):
                raise Refusal(405, f"{method} is not allowed: {READ_ONLY}", [(b"allow", b"GET, HEAD, POST, OPTIONS")])
            params = {k: list(v) for k, v in _query_params(scope.get("query_string", b"")).items()}
            query = None
            if method == "POST":
                query = await self._read_post(scope, receive, params)
            if "update" in params:
                raise Refusal(403, READ_ONLY)
            if query is None:
                values = params.get("query", [])
                if not values:
                    if not head and method == "GET" and not params:  # a browser at /sparql: the form
                        await send_text(send, 200, FORM.format(path=PATH, query=html.escape(EXAMPLE)),
                                        content_type=b"text/html; charset=utf-8")
                        return
                    raise Refusal(400, "missing the 'query' parameter")
                if len(values) > 1:
                    raise Refusal(400, "more than one 'query' parameter")
                query = values[0]
            await self._forward(scope, send, query, params, head)
        except Refusal as err:
            await send_text(send, err.status, err.message + "\n", head=head, headers=err.headers)

    async def _read_post(self, scope, receive, params: dict) -> str | None:
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is not None:
            try:
                if int(length) > MAX_BODY:
                    raise Refusal(413, f"the request body is larger than {MAX_BODY:,} bytes", [(b"connection", b"close")])
            except ValueError:
                raise Refusal(400, f"bad Content-Length {length!r}") from None
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise Refusal(400, "the client went away")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY:
                raise Refusal(413, f"the request body is larger than {MAX_BODY:,} bytes", [(b"connection", b"close")])
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        ctype = headers.get(b"content-type", b"").decode("latin-1")
        media, _, rest = ctype.partition(";")
        media = media.strip().lower()
        charset = "utf-8"
        if "charset=" in rest.lower():
            charset = rest.lower().split("charset=", 1)[1].split(";")[0].strip().strip('"') or "utf-8"
        try:
            text = body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            raise Refusal(400, f"the request body is not valid {charset}") from None
        if media == "application/x-www-form-urlencoded":
            for key, values in parse_qs(text, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
            return None
        if media == "application/sparql-query":
            if "query" in params:
                raise Refusal(400, "a query both in the body and in the URL")
            return text
        if media == "application/sparql-update":
            raise Refusal(403, READ_ONLY)
        raise Refusal(415, f"unsupported Content-Type {media or '(none)'!r}: use application/x-www-form-urlencoded or application/sparql-query")

    async def _forward(self, scope, send, query: str, params: dict, head: bool) -> None:
        info, dataset, accept = prepare(scope, query, params)
        sup = self.supervisor
        engine = sup.current
        engine.inflight += 1
        loop = asyncio.get_running_loop()
        deadline = loop.time() + sup.timeout + 0.5
        body = None
        try:
            # the default graph is the union of all graphs (as `flashpoint query`) unless the request
            # or the query (FROM) names the dataset: per request, not --union-default-graph (which ignores FROM)
            target = "/query?" + urlencode(dataset) if dataset else "/query" if info.has_dataset else "/query?union-default-graph"
            try:
                async with asyncio.timeout_at(deadline):
                    status, ctype, body = await engine.pool.request(target, query.encode("utf-8"), accept)
                    buffered, size = [], 0
                    http10 = scope.get("http_version") == "1.0"  # no chunks in HTTP/1.0: all of it
                    while size < BUFFERED or (http10 and size <= MAX_RESPONSE):
                        chunk = await body.next()
                        if not chunk:
                            break
                        buffered.append(chunk)
                        size += len(chunk)
            except TimeoutError:
                if body is not None:
                    body.abort()
                await sup.replace(engine, "a query ran past the timeout")
                raise Refusal(504, f"the query ran longer than the timeout ({sup.timeout:g} s) and was stopped") from None
            except UpstreamError:
                await asyncio.sleep(0.05)
                await sup.replace(engine, "it crashed" if not engine.alive() else "it failed")
                raise Refusal(502, "the query engine failed on this query and has been restarted") from None
            if status >= 400:
                text = b"".join(buffered).decode("utf-8", "replace").strip()
                if status == 400 and text.startswith("error at"):
                    text = f"SPARQL syntax error: {text}"
                body.abort()
                raise Refusal(status, text)
            headers = [(b"content-type", ctype), (b"vary", b"accept")]
            if body.done:  # small answers: one body with a Content-Length
                data = b"".join(buffered)
                headers.append((b"content-length", str(len(data)).encode()))
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": b"" if head else data})
                return
            await send({"type": "http.response.start", "status": status, "headers": headers})
            if head:
                body.abort()
                await send({"type": "http.response.body", "body": b""})
                return
            await send({"type": "http.response.body", "body": b"".join(buffered), "more_body": True})
            try:
                while True:
                    async with asyncio.timeout_at(deadline):
                        chunk = await body.next()
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > MAX_RESPONSE:
                        raise ConnectionAbortedError("too large")
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
            except (UpstreamError, TimeoutError, ConnectionAbortedError) as err:
                # the status line is sent: the only way to say it failed is to cut the connection
                # (returning with the body unfinished makes uvicorn close it)
                body.abort()
                why = "a query ran past the timeout" if isinstance(err, TimeoutError) else (
                    "a response too large" if isinstance(err, ConnectionAbortedError) else "it failed")
                await sup.replace(engine, why)
                print(f"flashpoint serve: a streamed response was cut ({why})", file=sys.stderr, flush=True)
                return
            await send({"type": "http.response.body", "body": b""})
        finally:
            engine.inflight -= 1
            if body is not None:
                body.abort()


_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


class OneWrite:
    """The transport as one uvicorn response cycle sees it: the status line and headers are held
    back and sent with the first piece of the body, so a small answer leaves in one ``send()``.

    uvicorn writes the head and the body separately: two syscalls and two TCP segments a
    response, and the first one woke the client for nothing (measured: the head's write was
    38 % of a worker's CPU time under keep-alive load). The head is always the cycle's first
    write apart from ``100 Continue``; it is flushed by the next write, at the end of the
    response (a HEAD answer writes no body) or when the connection is closed."""

    __slots__ = ("done", "held", "transport", "waiting")

    def __init__(self, transport, on_response):
        self.transport, self.held, self.waiting, self.done = transport, None, True, on_response

    def write(self, data: bytes) -> None:
        if self.held is not None:
            data, self.held = self.held + data, None
        elif self.waiting and data != _CONTINUE:
            self.waiting, self.held = False, data
            return
        self.transport.write(data)

    def flush(self) -> None:
        if self.held is not None:
            data, self.held = self.held, None
            self.transport.write(data)

    def response_complete(self) -> None:
        self.flush()
        self.done()

    def close(self) -> None:
        self.flush()
        self.transport.close()

    def is_closing(self) -> bool:
        return self.transport.is_closing()

    def __getattr__(self, name):
        return getattr(self.transport, name)


def http_protocol(on_close=None):
    """uvicorn's httptools protocol, writing each response's head with its body (``OneWrite``) and
    keeping an HTTP/1.0 ``Connection: keep-alive`` connection open (uvicorn closes every HTTP/1.0
    connection; ``ab -k`` and old clients ask for keep-alive). ``on_close()`` is called when a
    connection ends (the in-process workers count their connections)."""
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class Protocol(HttpToolsProtocol):
        def connection_lost(self, exc) -> None:
            super().connection_lost(exc)
            if on_close is not None:
                on_close()

        def on_headers_complete(self) -> None:
            super().on_headers_complete()
            cycle = self.cycle
            if cycle is None or cycle.scope is not self.scope:  # an upgrade: uvicorn answered it
                return
            # the ASGI task starts at the loop's next turn: the cycle writes through OneWrite from its first byte
            out = OneWrite(cycle.transport, cycle.on_response)
            cycle.transport, cycle.on_response = out, out.response_complete
            if self.parser.get_http_version() == "1.0" and self.parser.should_keep_alive():
                cycle.keep_alive = True
                self.scope["flashpoint.http10_keep_alive"] = True

    return Protocol


class KeepAlive10:
    """Says ``Connection: keep-alive`` to an HTTP/1.0 client that asked for it, when the length is known
    (else the connection is closed after the response, as HTTP/1.0 requires)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope.get("flashpoint.http10_keep_alive"):
            return await self.app(scope, receive, send)

        async def send_wrapped(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                known = any(k.lower() == b"content-length" for k, _ in headers)
                if not any(k.lower() == b"connection" for k, _ in headers):
                    headers.append((b"connection", b"keep-alive" if known else b"close"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_wrapped)


class Fallback:
    """``/`` when the pages (flashpoint.web) do not give one: the query form."""

    async def __call__(self, scope, receive, send) -> None:
        await send_text(send, 200, FORM.format(path=PATH, query=html.escape(EXAMPLE)),
                        head=scope["method"] == "HEAD", content_type=b"text/html; charset=utf-8")


def make_app(project, timeout: float = DEFAULT_TIMEOUT, cors: tuple[str, ...] = (), on_ready=None):
    """The Starlette application of the proxy engine: ``/sparql``, the pages of ``flashpoint.web`` and the supervisor's life cycle."""
    from contextlib import asynccontextmanager

    supervisor = Supervisor(Path(project.store_dir), timeout)

    @asynccontextmanager
    async def lifespan(app):
        await supervisor.start()
        if on_ready:
            on_ready(supervisor)
        try:
            yield
        finally:
            await supervisor.stop()

    front = assemble(project, SparqlEndpoint(supervisor), lifespan, cors)
    front.state.supervisor = supervisor
    return front


def assemble(project, endpoint, lifespan, cors: tuple[str, ...] = ()):
    """``endpoint`` at ``/sparql`` (CORS when asked), the pages of ``flashpoint.web`` beside it, ``lifespan``."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.routing import Route

    from flashpoint.web import routes as page_routes

    routes = [Route(PATH, endpoint, methods=None)]
    pages = list(page_routes(project))
    routes += pages
    if not any(getattr(r, "path", None) == "/" for r in pages):
        routes.append(Route("/", Fallback(), methods=["GET", "HEAD"]))
    cors_options = dict(allow_origins=list(cors), allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                        allow_headers=["Accept", "Content-Type"], max_age=600)
    middleware = [Middleware(CORSMiddleware, **cors_options)] if cors else []
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    # /sparql straight to the endpoint (Starlette's routing and middleware stack cost ~15% a query)
    fast = CORSMiddleware(endpoint, **cors_options) if cors else endpoint
    return Front(app, fast)


class Front:
    """``/sparql`` to the endpoint directly, the rest (pages, lifespan) to Starlette."""

    def __init__(self, app, sparql):
        self.app, self.sparql = app, sparql
        self.state = app.state

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"] == PATH:
            return await self.sparql(scope, receive, send)
        return await self.app(scope, receive, send)


ENGINES = ("proxy", "inprocess")


def listen(host: str, port: int, allow_remote: bool) -> socket.socket:
    """The listening socket (loopback unless ``allow_remote``), backlog 2048."""
    if host not in LOOPBACK and not allow_remote:
        raise UsageError(f"flashpoint serve listens on the loopback interface only; to listen on {host} add --allow-remote")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None
    sock.listen(2048)
    return sock


def ready_line(project, host: str, sock: socket.socket, quads: int) -> None:
    if host not in LOOPBACK:
        print(f"flashpoint serve: WARNING: listening on {host}: anyone who can reach this address can query the store",
              file=sys.stderr, flush=True)
    shown = f"[{host}]" if sock.family == socket.AF_INET6 else host
    print(f"flashpoint serve: http://{shown}:{sock.getsockname()[1]}{PATH} (store {project.store_dir}, {quads} quads)", flush=True)


def uvicorn_config(app, on_close=None, **extra):
    import uvicorn

    options = dict(http=http_protocol(on_close), loop="uvloop", backlog=2048, log_level="warning", access_log=False,
                   timeout_keep_alive=15, timeout_graceful_shutdown=3, lifespan="on", server_header=False,
                   proxy_headers=False)  # X-Forwarded-* are not trusted (and the middleware costs a layer a request)
    options.update(extra)
    return uvicorn.Config(app, **options)


def serve(project, port: int = 7878, host: str = "127.0.0.1", timeout: float = DEFAULT_TIMEOUT,
          cors: tuple[str, ...] = (), allow_remote: bool = False, engine: str = "inprocess", workers: int = 0) -> None:
    """Serve the project's store until Ctrl-C or SIGTERM.

    ``engine``: ``inprocess`` (N forked workers, each with pyoxigraph; ``flashpoint.serve.workers``)
    or ``proxy`` (one front process and a supervised ``oxigraph serve-read-only`` child)."""
    import uvicorn

    if timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    if engine not in ENGINES:
        raise UsageError(f"--engine must be one of {', '.join(ENGINES)}")
    sock = listen(host, port, allow_remote)
    if engine == "inprocess":
        from flashpoint.serve.workers import run_master

        return run_master(project, sock, host=host, timeout=timeout, cors=cors, workers=workers)

    def ready(supervisor: Supervisor) -> None:
        ready_line(project, host, sock, supervisor.current.quads)

    app = KeepAlive10(make_app(project, timeout=timeout, cors=cors, on_ready=ready))
    server = uvicorn.Server(uvicorn_config(app))
    server.run(sockets=[sock])
    if not getattr(server, "started", True):
        raise UsageError("flashpoint serve could not start (see the message above)")
