"""The in-process engine of ``flashpoint serve``: N forked workers, each answering with pyoxigraph.

A master process binds the listening socket, takes the hard-linked snapshot of
the store (``.flashpoint/serve/<pid>/<generation>/``) and forks N workers (N =
the number of CPUs, at least 2). Every worker is a uvicorn server (httptools,
uvloop) accepting on the shared socket, with the same application as the proxy
engine (the guard, the pages of ``flashpoint.web``), but it answers a query
itself: ``Store.read_only`` on the snapshot, the evaluation and the
serialisation (pyoxigraph's own serialisers) in a small thread pool — pyoxigraph
releases the GIL while it evaluates, so the event loop keeps serving.

The master and the workers share one page of memory (``Shared``): the current
generation (the snapshot to use), and per worker its pid, state, heartbeat and
the oldest generation it still uses. The master

* restarts a worker that dies (a crash in the engine: only its in-flight
  requests fail; the listening socket stays open in the master, so new
  connections wait in the backlog);
* kills a worker whose heartbeat stops (its event loop is stuck, e.g. something
  holding the GIL) and one that takes too long to drain, and starts another;
* starts a replacement at once for a worker that drains (below);
* looks at the store's manifest every 50 ms (one stat); on a new build it takes a
  snapshot (only a folder with a manifest is linked, never a half-built store)
  and bumps the generation. Each worker compares the generation at every
  request and every heartbeat, opens the new snapshot read-only in a thread
  (~30 ms) and switches to it (a request keeps the store it started with), so a
  build is answered from well under a second after it is swapped in. A worker
  still behind 2 s later (it could not open the snapshot) gets a fresh one; a
  snapshot no worker uses any more is removed.

Connections: the workers accept on the shared socket themselves (``Acceptor``),
leaving a new connection to a worker with fewer open ones, so keep-alive clients
are spread evenly instead of at random.

Timeouts: a running evaluation cannot be cancelled. A query that streams is
stopped at its next write after ``--timeout`` (the connection is cut, as
the status line is already sent). A query still evaluating at ``--timeout``
gets a 504; its worker then stops accepting, lets its other in-flight requests
finish (at most ``GRACE`` seconds: longer ones are cut) and exits, so the
thread's CPU is freed; the master has started a replacement meanwhile.
"""

from __future__ import annotations

import asyncio
import ctypes
import functools
import mmap
import os
import shutil
import signal
import socket
import struct
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flashpoint.errors import UsageError
from flashpoint.serve import (
    BUFFERED,
    MAX_RESPONSE,
    POLL_SECONDS,
    KeepAlive10,
    Refusal,
    SparqlEndpoint,
    _pid_alive,
    assemble,
    manifest_key,
    prepare,
    ready_line,
    take_snapshot,
    uvicorn_config,
)

GRACE = 3.0  # seconds a draining worker gives its other in-flight requests
HEARTBEAT = 0.1  # seconds between a worker's heartbeats (and its look at the generation when it gets no requests)
THREADS = 4  # queries a worker evaluates at once
FAST = 0.001  # CPU seconds: a query that took less on a snapshot runs on the event loop's thread next time
MANIFEST_POLL = 0.05  # seconds between the master's looks at the store's manifest (one stat)
RETAKE = 2.0  # seconds a serving worker may stay behind the generation before the master takes the snapshot again

STARTING, SERVING, DRAINING = 1, 2, 3
_HEADER = struct.Struct("q")  # generation
# pid, state, heartbeat (monotonic clock, shared by all processes), oldest generation in use, generation it answers
# from, open connections
_SLOT = struct.Struct("qqdqqq")
DEFER = 0.003  # seconds a worker leaves a new connection to a worker with fewer connections, at most


class Shared:
    """One anonymous shared mapping (created before the forks): the generation and the workers' slots."""

    def __init__(self, slots: int):
        self.slots = slots
        self.mem = mmap.mmap(-1, _HEADER.size + slots * _SLOT.size)

    @property
    def generation(self) -> int:
        return _HEADER.unpack_from(self.mem, 0)[0]

    @generation.setter
    def generation(self, value: int) -> None:
        _HEADER.pack_into(self.mem, 0, value)

    def slot(self, i: int) -> tuple[int, int, float, int, int, int]:
        return _SLOT.unpack_from(self.mem, _HEADER.size + i * _SLOT.size)

    def set_slot(self, i: int, pid: int, state: int, beat: float, oldest: int, current: int = 0, conns: int = 0) -> None:
        _SLOT.pack_into(self.mem, _HEADER.size + i * _SLOT.size, pid, state, beat, oldest, current, conns)

    def set_connections(self, i: int, conns: int) -> None:
        struct.pack_into("q", self.mem, _HEADER.size + i * _SLOT.size + _SLOT.size - 8, conns)

    def fewest_connections(self, mine: int) -> int | None:
        """The fewest open connections of another serving worker (heartbeat under a second old), or None."""
        now, least = time.monotonic(), None
        for i in range(self.slots):
            pid, state, beat, _, _, conns = self.slot(i)
            if i != mine and pid > 0 and state == SERVING and now - beat < 1.0 and (least is None or conns < least):
                least = conns
        return least


def _die_with_master() -> None:
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass


# ---------------------------------------------------------------------------- the worker


class Cut(Exception):
    """A streamed answer stopped (past the timeout, too large, the client gone)."""


class Sink:
    """The file pyoxigraph serialises into (in a pool thread).

    Up to ``BUFFERED`` bytes are kept, so a small answer goes out in one piece
    with a Content-Length; beyond, the status line and each 64 KB are sent from
    the event loop while the thread waits (back-pressure). Past the deadline, or
    past ``MAX_RESPONSE``, or when the answer is no longer wanted, the next write
    raises: the evaluation stops there."""

    def __init__(self, loop, send, status_headers, deadline: float, head: bool, http10: bool):
        self.loop, self.send, self.headers = loop, send, status_headers
        self.deadline, self.head, self.http10 = deadline, head, http10
        self.parts: list[bytes] = []
        self.pending = 0
        self.size = 0
        self.started = False  # the status line is sent
        self.cancelled = False
        self.finished = False  # the evaluation is over (in the pool)
        self.cpu = 0.0  # CPU seconds the evaluation took (set by _evaluate)

    def write(self, data) -> int:
        n = len(data)
        if self.cancelled:
            raise Cut("cancelled")
        if time.monotonic() > self.deadline:
            raise Cut("timeout")
        self.size += n
        if self.size > MAX_RESPONSE:
            raise Cut("too large")
        self.parts.append(bytes(data))
        self.pending += n
        if self.http10:  # no chunks in HTTP/1.0: all of it, with a Content-Length
            return n
        if (not self.started and self.pending > BUFFERED) or (self.started and self.pending >= 1 << 16):
            self._push()
        return n

    def flush(self) -> None:
        pass

    def _push(self) -> None:
        chunk = b"".join(self.parts)
        self.parts, self.pending = [], 0
        first = not self.started
        self.started = True
        if self.head:
            if first:
                asyncio.run_coroutine_threadsafe(self._send_start(), self.loop).result()
            raise Cut("HEAD")  # the headers are all a HEAD gets: stop evaluating
        future = asyncio.run_coroutine_threadsafe(self._send_chunk(chunk, first), self.loop)
        try:
            future.result()
        except Exception as err:
            raise Cut(str(err) or type(err).__name__) from None

    async def _send_start(self) -> None:
        await self.send({"type": "http.response.start", "status": 200, "headers": self.headers})

    async def _send_chunk(self, chunk: bytes, first: bool) -> None:
        if self.cancelled:
            raise Cut("cancelled")
        if first:
            await self._send_start()
        await self.send({"type": "http.response.body", "body": chunk, "more_body": True})

    def rest(self) -> bytes:
        data = b"".join(self.parts)
        self.parts, self.pending = [], 0
        return data


def _formats():
    import pyoxigraph as ox

    R, G = ox.QueryResultsFormat, ox.RdfFormat
    results = {"application/sparql-results+json": R.JSON, "application/json": R.JSON,
               "application/sparql-results+xml": R.XML, "application/xml": R.XML, "text/xml": R.XML,
               "text/csv": R.CSV, "text/tab-separated-values": R.TSV,
               "json": R.JSON, "xml": R.XML, "csv": R.CSV, "tsv": R.TSV, "srj": R.JSON, "srx": R.XML}
    graphs = {"text/turtle": G.TURTLE, "application/x-turtle": G.TURTLE, "application/n-triples": G.N_TRIPLES,
              "text/plain": G.N_TRIPLES, "application/rdf+xml": G.RDF_XML, "application/ld+json": G.JSON_LD,
              "turtle": G.TURTLE, "ttl": G.TURTLE, "nt": G.N_TRIPLES, "ntriples": G.N_TRIPLES, "n-triples": G.N_TRIPLES,
              "rdf": G.RDF_XML, "xml": G.RDF_XML, "rdfxml": G.RDF_XML, "jsonld": G.JSON_LD, "json-ld": G.JSON_LD}
    return results, graphs, R.JSON, G.TURTLE


_FORMATS = None


def negotiate(accept: str, graph: bool):
    """The pyoxigraph format for an Accept header (or the form's ``format=``), or None (406)."""
    if len(accept) <= 512:  # clients send the same few headers again and again
        return _negotiate_cached(accept, graph)
    return _negotiate(accept, graph)


def _negotiate(accept: str, graph: bool):
    global _FORMATS
    if _FORMATS is None:
        _FORMATS = _formats()
    results, graphs, default_results, default_graph = _FORMATS
    table, default = (graphs, default_graph) if graph else (results, default_results)
    ranges = []
    for position, part in enumerate(accept.split(",")):
        media, *options = part.split(";")
        media = media.strip().lower()
        q = 1.0
        for option in options:
            key, _, value = option.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranges.append((-q, position, media))
    for _, _, media in sorted(ranges):
        if media in ("*/*", "*"):
            return default
        if media.endswith("/*"):
            prefix = media[:-1]
            if default.media_type.startswith(prefix):
                return default
            for name, fmt in table.items():
                if name.startswith(prefix):
                    return fmt
            continue
        if media in table:
            return table[media]
    return None


_negotiate_cached = functools.lru_cache(maxsize=256)(_negotiate)


def _evaluate(store, query: str, options: dict, fmt, sink: Sink) -> None:
    """In a pool thread: evaluate and serialise into ``sink`` (the GIL is released while pyoxigraph works);
    ``sink.cpu`` is the thread's CPU time it took (wall time would count the waits of a loaded machine)."""
    started = time.thread_time()
    try:
        store.query(query, **options).serialize(sink, format=fmt)
    finally:
        sink.cpu = time.thread_time() - started


class Worker:
    """The state of one worker process: its slot, its store(s), its uvicorn server."""

    def __init__(self, shared: Shared, slot: int, root: Path, timeout: float):
        self.shared, self.slot, self.root, self.timeout = shared, slot, root, timeout
        self.generation = 0
        self.store = None
        self.inflight: dict[int, int] = {}  # generation -> requests using its store
        self.server = None
        self.draining = False
        self.switching: asyncio.Task | None = None  # opening the snapshot of a newer generation
        self.accepting = 0  # connections accepted, not yet handed to uvicorn
        self.failed = (0, 0.0)  # (generation, when) the snapshot of a generation could not be opened
        self.pool = ThreadPoolExecutor(THREADS, thread_name_prefix="query")
        # (query, format, dataset, generation) of the small answers that took under FAST CPU seconds:
        # they run on the event loop's thread next time (no thread hop); emptied when the snapshot changes
        self.fast: dict = {}

    async def run(self, loop, sink: Sink, store, query: str, options: dict, fmt) -> tuple[bool, BaseException | None]:
        """Evaluate in a pool thread: (False, None) past the timeout, else (True, the error or None)."""
        waiter = loop.create_future()
        outcome: list = [None]

        def finish(error) -> None:
            sink.finished = True
            outcome[0] = error
            if not waiter.done():
                waiter.set_result(True)

        def job() -> None:
            try:
                _evaluate(store, query, options, fmt, sink)
                error = None
            except BaseException as err:  # noqa: BLE001 — handed to the event loop
                error = err
            loop.call_soon_threadsafe(finish, error)

        self.pool.submit(job)
        timer = loop.call_later(max(0.0, sink.deadline - time.monotonic()), lambda: waiter.done() or waiter.set_result(False))
        try:
            in_time = await waiter
        finally:
            timer.cancel()
        return (True, outcome[0]) if in_time else (False, None)

    def open(self, generation: int):
        import pyoxigraph as ox

        return ox.Store.read_only(str(self.root / str(generation) / "oxigraph"))

    def check_generation(self) -> None:
        """Start opening the master's newest snapshot if we answer from an older one. Called at every
        request (one read of shared memory) and every heartbeat, so a new build is answered from as
        soon as this worker has opened it (~30 ms), however busy or idle the worker is."""
        if self.switching is None and not self.draining and self.shared.generation != self.generation:
            failed, when = self.failed
            if failed == self.shared.generation and time.monotonic() - when < 0.5:
                return  # it failed a moment ago: retry at a later request or heartbeat, not at every one
            self.switching = asyncio.get_running_loop().create_task(self.switch())

    async def switch(self) -> None:
        generation = self.shared.generation
        try:
            # a complete snapshot: the master links one only from a store folder with a manifest
            store = await asyncio.to_thread(self.open, generation)
        except Exception as err:  # keep answering from the store we have; the master takes the snapshot again
            self.failed = (generation, time.monotonic())
            print(f"flashpoint serve: a worker could not open the new snapshot: {err}", file=sys.stderr, flush=True)
        else:
            # the requests in flight keep the store they started with; the next ones take this one
            self.store, self.generation = store, generation
            self.fast.clear()
            self.beat()
        finally:
            self.switching = None

    def oldest(self) -> int:
        used = [g for g, n in self.inflight.items() if n > 0]
        return min(used + [self.generation])

    def connections(self) -> int:
        """Open connections: uvicorn's, and the accepted ones it has not seen yet."""
        server = self.server
        return (len(server.server_state.connections) if server is not None else 0) + self.accepting

    def count_connections(self) -> None:
        self.shared.set_connections(self.slot, self.connections())

    def beat(self) -> None:
        self.shared.set_slot(self.slot, os.getpid(), DRAINING if self.draining else SERVING, time.monotonic(),
                             self.oldest(), self.generation, self.connections())

    async def heartbeat(self) -> None:
        while True:
            try:
                self.check_generation()
                for g in [g for g, n in self.inflight.items() if n <= 0]:
                    del self.inflight[g]
                self.beat()
            except Exception as err:  # the heartbeat must go on: a stopped one gets this worker killed
                print(f"flashpoint serve: worker heartbeat: {err!r}", file=sys.stderr, flush=True)
            await asyncio.sleep(HEARTBEAT)

    def drain(self, why: str) -> None:
        """Stop accepting, finish the other in-flight requests (at most GRACE s), exit; the master replaces us now."""
        if self.draining:
            return
        self.draining = True
        print(f"flashpoint serve: restarting a worker ({why})", file=sys.stderr, flush=True)
        self.beat()
        if self.server is not None:
            self.server.should_exit = True


_TIMED_OUT = "the query ran longer than the timeout ({:g} s) and was stopped"


class InProcessEndpoint(SparqlEndpoint):
    """``/sparql`` answered in this process: the guard, then pyoxigraph (in a pool thread, or on the
    event loop's thread for a small answer that was fast on this snapshot before)."""

    def __init__(self, worker: Worker):
        self.worker = worker

    async def _forward(self, scope, send, query: str, params: dict, head: bool) -> None:
        import pyoxigraph as ox

        info, dataset, accept = prepare(scope, query, params)
        fmt = negotiate(accept, info.form in ("CONSTRUCT", "DESCRIBE"))
        if fmt is None:
            raise Refusal(406, f"no supported format in {accept!r} for a {info.form or 'SPARQL'} query")
        if dataset:
            try:
                options = {"default_graph": [ox.NamedNode(i) for n, i in dataset if n == "default-graph-uri"],
                           "named_graphs": [ox.NamedNode(i) for n, i in dataset if n == "named-graph-uri"]}
            except ValueError as err:
                raise Refusal(400, f"not an IRI: {err}") from None
        elif info.has_dataset:
            options = {}  # the query's FROM / FROM NAMED
        else:
            options = _UNION  # the union of all graphs, as `flashpoint query`
        worker = self.worker
        worker.check_generation()
        if worker.store is None:
            raise Refusal(503, "the store is not open yet")
        store, generation = worker.store, worker.generation
        headers = _headers(fmt)
        key = (query, fmt, tuple(dataset) if dataset else info.has_dataset, generation)
        if key in worker.fast:
            # it was small and took under FAST CPU seconds on this very snapshot: evaluate it here,
            # into bytes, and write it once (no thread hop, no Sink)
            started = time.perf_counter()
            try:
                data = store.query(query, **options).serialize(format=fmt)
            except Exception:  # noqa: BLE001 — the pool path below answers it, with the errors' statuses
                data = None
            # wall time, with room for a preemption (the CPU clock costs a syscall: 1 µs a call here)
            if data is None or time.perf_counter() - started > 10 * FAST or len(data) > BUFFERED:
                worker.fast.pop(key, None)  # no longer small and fast: in the pool next time
            if data is not None:
                await send({"type": "http.response.start", "status": 200,
                            "headers": headers + [(b"content-length", b"%d" % len(data))]})
                await send({"type": "http.response.body", "body": b"" if head else data})
                return
        worker.inflight[generation] = worker.inflight.get(generation, 0) + 1
        try:
            await self._in_pool(scope, send, store, query, options, fmt, headers, key, head)
        finally:
            worker.inflight[generation] -= 1

    async def _in_pool(self, scope, send, store, query: str, options: dict, fmt, headers: list, key, head: bool) -> None:
        worker = self.worker
        loop = asyncio.get_running_loop()
        sink = Sink(loop, send, headers, time.monotonic() + worker.timeout, head, scope.get("http_version") == "1.0")
        done, error = await worker.run(loop, sink, store, query, options, fmt)
        if not done:
            sink.cancelled = True
            # a streaming query stops at its next write; one still evaluating cannot be stopped: this worker goes
            await asyncio.sleep(0.1)
            if not sink.finished:
                worker.drain("a query ran past the timeout")
            if sink.started:
                print("flashpoint serve: a streamed response was cut (a query ran past the timeout)", file=sys.stderr, flush=True)
                return  # the status line is sent: cutting the connection is the only way to say it failed
            raise Refusal(504, _TIMED_OUT.format(worker.timeout), [(b"connection", b"close")])
        try:
            if error is not None:
                raise error
        except SyntaxError as err:
            raise Refusal(400, f"SPARQL syntax error: {err}") from None
        except Cut as err:
            if sink.head and str(err) == "HEAD":
                await send({"type": "http.response.body", "body": b""})
                return
            why = "a query ran past the timeout" if str(err) == "timeout" else (
                "a response too large" if str(err) == "too large" else str(err))
            print(f"flashpoint serve: a streamed response was cut ({why})", file=sys.stderr, flush=True)
            if not sink.started:
                if str(err) == "timeout":
                    raise Refusal(504, _TIMED_OUT.format(worker.timeout), [(b"connection", b"close")]) from None
                raise Refusal(500, f"the answer was not sent: {why}", [(b"connection", b"close")]) from None
            return
        except Exception as err:  # an evaluation error (the engine's message)
            if sink.started:
                return
            raise Refusal(500, f"the query failed: {err}") from None
        data = sink.rest()
        if not sink.started:  # one body with a Content-Length
            if sink.cpu < FAST:  # small (not streamed) and fast: on the event loop's thread next time
                if len(worker.fast) >= 4096:
                    worker.fast.clear()
                worker.fast[key] = True
            await send({"type": "http.response.start", "status": 200,
                        "headers": headers + [(b"content-length", b"%d" % len(data))]})
            await send({"type": "http.response.body", "body": b"" if head else data})
            return
        if data:
            await send({"type": "http.response.body", "body": data, "more_body": True})
        await send({"type": "http.response.body", "body": b""})


_UNION = {"use_default_graph_as_union": True}


@functools.lru_cache(maxsize=64)
def _headers_of(media_type: str) -> tuple:
    return ((b"content-type", media_type.encode()), (b"vary", b"accept"))


def _headers(fmt) -> list:
    return list(_headers_of(fmt.media_type))


class Acceptor:
    """Accepts the connections of the shared listening socket for this worker, leaving a new
    connection to another worker that has fewer open (for at most DEFER s, in case it is busy).

    Every worker's event loop is woken by a new connection and the first to call accept() gets
    it, so keep-alive connections split at random: 8 of 10 clients on one worker and 2 on the
    other leave a core idle half the time (measured: 5/5, 8/2, 1/9 in three runs). Here a worker
    defers when it has more than max(2, a quarter) connections over the least loaded one: with a
    tighter bound, short connections (one request each) paid for deferrals that changed nothing
    (measured: a third fewer q/s with new connections). It stands in uvicorn's list of servers:
    close() and wait_closed() are what uvicorn's shutdown calls."""

    def __init__(self, worker: Worker, sock, factory):
        self.worker, self.sock, self.factory = worker, sock, factory
        self.nodelay = sock.family in (socket.AF_INET, socket.AF_INET6)
        self.loop = asyncio.get_running_loop()
        self.fd = sock.fileno()
        self.listening = False
        self.closed = False
        self.deferred = 0.0  # since when we leave the pending connection to another worker (0: we do not)
        self.resume()

    def resume(self) -> None:
        if not self.closed and not self.listening:
            self.loop.add_reader(self.fd, self.ready)
            self.listening = True

    def pause(self, seconds: float) -> None:
        if self.listening:
            self.loop.remove_reader(self.fd)
            self.listening = False
        self.loop.call_later(seconds, self.resume)

    def ready(self) -> None:
        worker = self.worker
        for _ in range(32):
            least = worker.shared.fewest_connections(worker.slot)
            if least is not None and worker.connections() > least + max(2, least // 4):
                now = time.monotonic()
                if not self.deferred:
                    self.deferred = now
                if now - self.deferred < DEFER:
                    self.pause(0.0005)  # not woken again for this connection meanwhile
                    return
            self.deferred = 0.0
            try:
                conn, _ = self.sock.accept()
            except (BlockingIOError, InterruptedError):
                return  # another worker took it
            except OSError as err:  # out of file descriptors, …: the others accept meanwhile
                print(f"flashpoint serve: accept: {err}", file=sys.stderr, flush=True)
                self.pause(0.1)
                return
            conn.setblocking(False)
            if self.nodelay:
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            worker.accepting += 1
            task = self.loop.create_task(self.loop.connect_accepted_socket(self.factory, conn))
            task.add_done_callback(lambda t, conn=conn: self._handed(t, conn))
            worker.count_connections()  # the other workers see the new count at once

    def _handed(self, task, conn) -> None:
        self.worker.accepting -= 1
        if task.cancelled() or task.exception() is not None:
            conn.close()

    def close(self) -> None:
        self.closed = True
        if self.listening:
            self.loop.remove_reader(self.fd)
            self.listening = False

    async def wait_closed(self) -> None:
        return None


def balanced_server(config, worker: Worker, sock):
    """A uvicorn server whose connections come from an ``Acceptor`` on ``sock``."""
    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets=[])  # the lifespan; no listener of uvicorn's own
            if not self.started:
                return
            server_state, app_state, config = self.server_state, self.lifespan.state, self.config

            def protocol():  # as uvicorn's own create_protocol
                return config.http_protocol_class(config=config, server_state=server_state, app_state=app_state)

            self.servers.append(Acceptor(worker, sock, protocol))

    return Server(config)


def worker_main(project, sock, shared: Shared, slot: int, root: Path, timeout: float, cors: tuple[str, ...]) -> None:
    """The body of a forked worker: serve on the shared socket until told to stop or drained; never returns."""
    from contextlib import asynccontextmanager

    code = 0
    try:
        _die_with_master()
        sys.setswitchinterval(0.001)  # the event loop and the pool threads hand the GIL over quickly
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the master stops us with SIGTERM
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        worker = Worker(shared, slot, root, timeout)
        worker.generation = shared.generation
        shared.set_slot(slot, os.getpid(), STARTING, time.monotonic(), worker.generation)
        worker.store = worker.open(worker.generation)

        @asynccontextmanager
        async def lifespan(app):
            worker.beat()
            task = asyncio.create_task(worker.heartbeat())
            try:
                yield
            finally:
                task.cancel()

        app = KeepAlive10(assemble(project, InProcessEndpoint(worker), lifespan, cors))
        config = uvicorn_config(app, on_close=worker.count_connections, timeout_graceful_shutdown=GRACE)
        server = balanced_server(config, worker, sock)
        worker.server = server
        server.run()
    except BaseException as err:  # noqa: BLE001 — a worker must not return into the master's code
        if not isinstance(err, (SystemExit, KeyboardInterrupt)):
            print(f"flashpoint serve: a worker failed: {err!r}", file=sys.stderr, flush=True)
            code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)  # not sys.exit: a pool thread may still be evaluating a runaway query


# ---------------------------------------------------------------------------- the master


def run_master(project, sock, host: str, timeout: float, cors: tuple[str, ...], workers: int = 0) -> None:
    """Fork and supervise the workers until SIGTERM / Ctrl-C; reload on a new build."""
    import pyoxigraph  # noqa: F401 — imported once here, before the forks
    import uvicorn  # noqa: F401

    import flashpoint.web  # noqa: F401

    n = workers or max(2, os.cpu_count() or 2)
    store_dir = Path(project.store_dir)
    root_all = store_dir.parent / "serve"
    root = root_all / str(os.getpid())
    _clean_stale(root_all)
    source = store_dir
    if manifest_key(source) is None:  # a build is between its two renames: the previous store
        from flashpoint.store import retired_store

        if manifest_key(retired_store(source)) is not None:
            source = retired_store(source)
        else:
            raise UsageError(f"no store at {store_dir}: run `flashpoint build` first")
    shared = Shared(2 * n + 2)
    generation = 1
    key, quads = take_snapshot(source, root / str(generation))
    shared.generation = generation
    started: dict[int, tuple[int, float]] = {}  # pid -> (slot, fork time)
    drain_seen: dict[int, float] = {}  # pid -> when it started draining
    stopping = False

    def on_signal(signum, frame):
        nonlocal stopping
        stopping = True

    def spawn() -> None:
        free = next(i for i in range(shared.slots) if shared.slot(i)[0] == 0)
        shared.set_slot(free, -1, STARTING, time.monotonic(), shared.generation)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            worker_main(project, sock, shared, free, root, timeout, cors)
        shared.set_slot(free, pid, STARTING, time.monotonic(), shared.generation)
        started[pid] = (free, time.monotonic())

    def active() -> int:
        return sum(1 for pid, (slot, _) in started.items() if shared.slot(slot)[1] != DRAINING)

    def kill(pid: int) -> None:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    old_term = signal.signal(signal.SIGTERM, on_signal)
    old_int = signal.signal(signal.SIGINT, on_signal)
    try:
        for _ in range(n):
            spawn()
        deadline = time.monotonic() + 60
        while not stopping and time.monotonic() < deadline:
            if any(shared.slot(slot)[1] == SERVING for slot, _ in started.values()):
                break
            _reap(started, shared, drain_seen, quiet=True)
            if not started:
                raise UsageError("flashpoint serve could not start its workers (see the message above)")
            time.sleep(0.02)
        else:
            if not stopping:
                raise UsageError("flashpoint serve: the workers did not start")
        if not stopping:
            ready_line(project, host, sock, quads)
        stale = max(3.0, timeout + 2.0)  # a heartbeat older than this: the worker's event loop is stuck
        next_cleanup = time.monotonic() + POLL_SECONDS
        bumped = time.monotonic()  # when the generation last changed
        retakes = 0  # snapshots taken again of the current build
        while not stopping:
            time.sleep(MANIFEST_POLL)
            _reap(started, shared, drain_seen)
            now = time.monotonic()
            behind = False  # a serving worker still answers from an older snapshot
            for pid, (slot, forked) in list(started.items()):
                _, state, beat, _, current, _ = shared.slot(slot)
                if state == DRAINING:
                    drain_seen.setdefault(pid, now)
                    if now - drain_seen[pid] > GRACE + 2.0:
                        kill(pid)
                elif state == STARTING and now - forked > 60:
                    print("flashpoint serve: a worker did not start; killed", file=sys.stderr, flush=True)
                    kill(pid)
                elif state == SERVING and now - beat > stale:
                    print(f"flashpoint serve: a worker stopped answering ({now - beat:.1f} s); killed and replaced",
                          file=sys.stderr, flush=True)
                    shared.set_slot(slot, pid, DRAINING, beat, shared.slot(slot)[3])
                    drain_seen[pid] = now - GRACE  # gone at the next check
                    kill(pid)
                elif state == SERVING and current != generation:
                    behind = True
            while active() < n and not stopping:
                spawn()
            # One stat a look: a build writes its manifest last, so a new key means a complete new store.
            # A worker that has not opened the new snapshot RETAKE s after it was made (it could not:
            # see its message) gets a fresh one, as the proxy engine retries with a fresh snapshot.
            new_key = manifest_key(store_dir)
            retake = behind and now - bumped > RETAKE and retakes < 3  # a few times a build: a stuck worker is not helped
            if new_key is not None and (new_key != key or retake):
                try:
                    if new_key == key:
                        retakes += 1
                        print("flashpoint serve: a worker is still on the previous build; taking the snapshot again",
                              file=sys.stderr, flush=True)
                    else:
                        retakes = 0
                    key, quads = take_snapshot(store_dir, root / str(generation + 1))
                    generation += 1
                    shared.generation = generation
                    bumped = time.monotonic()
                    print(f"flashpoint serve: serving the new build ({quads} quads)", file=sys.stderr, flush=True)
                except Exception as err:  # keep serving the previous build
                    bumped = time.monotonic()  # and try again in RETAKE s at the latest
                    print(f"flashpoint serve: could not load the new build: {err}", file=sys.stderr, flush=True)
            if now >= next_cleanup:
                next_cleanup = now + POLL_SECONDS
                _remove_unused(root, shared, started, generation)
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for pid in started:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + GRACE + 2
        while started and time.monotonic() < deadline:
            _reap(started, shared, drain_seen, quiet=True)
            time.sleep(0.02)
        for pid in list(started):
            kill(pid)
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        sock.close()
        shutil.rmtree(root, ignore_errors=True)
        try:
            root_all.rmdir()
        except OSError:
            pass
        signal.signal(signal.SIGTERM, old_term)
        signal.signal(signal.SIGINT, old_int)


def _reap(started: dict, shared: Shared, drain_seen: dict, quiet: bool = False) -> None:
    """Collect the workers that ended; say so when one did not end by choice."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        if pid not in started:
            continue
        slot, _ = started.pop(pid)
        state = shared.slot(slot)[1]
        shared.set_slot(slot, 0, 0, 0.0, 0)
        drain_seen.pop(pid, None)
        if not quiet and state != DRAINING:
            how = f"signal {-os.waitstatus_to_exitcode(status)}" if os.WIFSIGNALED(status) else f"exit {os.waitstatus_to_exitcode(status)}"
            print(f"flashpoint serve: a worker ended ({how}); restarting it", file=sys.stderr, flush=True)


def _remove_unused(root: Path, shared: Shared, started: dict, generation: int) -> None:
    """Remove the snapshots older than every worker's oldest generation in use."""
    oldest = generation
    for slot, _ in started.values():
        pid, state, _, used, _, _ = shared.slot(slot)
        if state == STARTING:
            return  # it may be opening any generation
        oldest = min(oldest, used)
    try:
        entries = list(root.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.isdigit() and int(entry.name) < oldest:
            shutil.rmtree(entry, ignore_errors=True)


def _clean_stale(root: Path) -> None:
    """Remove the snapshots of servers that are gone."""
    if not root.is_dir():
        return
    for entry in root.iterdir():
        if entry.name.isdigit() and not _pid_alive(int(entry.name)):
            shutil.rmtree(entry, ignore_errors=True)
