"""``flashpoint serve``: a SPARQL 1.1 Protocol endpoint over the project's store (read-only).

https://www.w3.org/TR/sparql11-protocol/ — queries by ``GET /sparql?query=…``,
``POST`` of an HTML form (``application/x-www-form-urlencoded``, ``query=…``)
or ``POST`` of the query itself (``application/sparql-query``). Results are
negotiated with the ``Accept`` header: SPARQL Results JSON (the default), XML,
CSV or TSV for SELECT and ASK; Turtle (the default), N-Triples, RDF/XML or
JSON-LD for CONSTRUCT and DESCRIBE. The default graph is the union of all
graphs, as for ``flashpoint query``, unless the request names its dataset with
``default-graph-uri`` / ``named-graph-uri``. Updates are refused (403): the
store is opened read-only. The server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import html
import io
import re
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from pyoxigraph import NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions, Store

from flashpoint.errors import UsageError
from flashpoint.export import serialize_triples
from flashpoint.vocab import PREFIXES

PATH = "/sparql"
MAX_BODY = 10 * 1024 * 1024

RESULT_TYPES = {  # media type → pyoxigraph format, for SELECT and ASK
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "application/xml": QueryResultsFormat.XML,
    "text/xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
GRAPH_TYPES = {  # media type → export format, for CONSTRUCT and DESCRIBE (the sorted writers of flashpoint export)
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld",
}
RESULT_DEFAULT = "application/sparql-results+json"
GRAPH_DEFAULT = "text/turtle"
CONTENT_TYPE_OF = {  # the Content-Type sent back for a chosen media type
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "text/plain": "application/n-triples",
}
UPDATE_KEYWORDS = re.compile(
    r"^\s*((PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>|#[^\n]*)\s*)*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)
READ_ONLY = "this SPARQL endpoint is read-only (flashpoint serve opens the store read-only): updates are refused"


class ProtocolError(Exception):
    def __init__(self, status: HTTPStatus, message: str, allow: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.allow = allow


def negotiate(accept: str | None, offered: dict, default: str) -> str:
    """The media type of ``offered`` the Accept header prefers (``default`` for */* or none)."""
    if not accept:
        return default
    best, best_q = None, 0.0
    for order, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        if media in offered:
            candidate = media
        elif media in ("*/*", "application/*", "text/*"):
            candidate = default if media == "*/*" or default.startswith(media[:-1]) else next((m for m in offered if m.startswith(media[:-1])), None)
        else:
            continue
        if candidate and q > best_q:
            best, best_q = candidate, q
    if best is None:
        raise ProtocolError(HTTPStatus.NOT_ACCEPTABLE, f"none of the acceptable types ({accept}) is offered; try one of {', '.join(offered)}")
    return best


def run_query(
    store: Store, query: str, default_graphs: list[str], named_graphs: list[str], accept: str | None, chosen: str | None = None
) -> tuple[str, bytes]:
    """Evaluate a query; (content type, body). Raises ProtocolError for the client's mistakes.

    ``chosen`` is a media type picked in the HTML form; it wins over ``accept`` when it fits the query form."""
    options: dict = {}
    if default_graphs:
        options["default_graph"] = [NamedNode(_iri(g)) for g in default_graphs]
    else:
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = [NamedNode(_iri(g)) for g in named_graphs]
    try:
        results = store.query(query, **options)
    except SyntaxError as err:
        if UPDATE_KEYWORDS.match(query):
            raise ProtocolError(HTTPStatus.FORBIDDEN, READ_ONLY) from None
        raise ProtocolError(HTTPStatus.BAD_REQUEST, f"SPARQL syntax error: {err}") from None
    buffer = io.BytesIO()
    try:
        if isinstance(results, (QuerySolutions, QueryBoolean)):
            media = chosen if chosen in RESULT_TYPES else negotiate(accept, RESULT_TYPES, RESULT_DEFAULT)
            results.serialize(buffer, format=RESULT_TYPES[media])
        else:
            media = chosen if chosen in GRAPH_TYPES else negotiate(accept, GRAPH_TYPES, GRAPH_DEFAULT)
            buffer.write(serialize_triples(results, GRAPH_TYPES[media]))
    except UsageError as err:  # a result RDF/XML cannot hold
        raise ProtocolError(HTTPStatus.NOT_ACCEPTABLE, str(err)) from None
    except (OSError, ValueError, RuntimeError) as err:  # evaluation errors (e.g. a failing SERVICE)
        raise ProtocolError(HTTPStatus.INTERNAL_SERVER_ERROR, f"query evaluation failed: {err}") from None
    content_type = CONTENT_TYPE_OF.get(media, media)
    return f"{content_type}; charset=utf-8", buffer.getvalue()


def _iri(text: str) -> str:
    try:
        return NamedNode(text).value
    except ValueError:
        raise ProtocolError(HTTPStatus.BAD_REQUEST, f"not an IRI: {text!r}") from None


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


class SparqlHandler(BaseHTTPRequestHandler):
    server_version = "flashpoint-sparql"
    protocol_version = "HTTP/1.1"

    @property
    def store(self) -> Store:
        return self.server.store  # type: ignore[attr-defined]

    # -------------------------------------------------------------- methods

    def do_GET(self) -> None:
        self._handle("GET")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_POST(self) -> None:
        self._handle("POST")

    def _refuse_method(self) -> None:
        self._handle(self.command)

    do_PUT = do_DELETE = do_PATCH = _refuse_method

    def do_OPTIONS(self) -> None:
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Allow", "GET, HEAD, POST, OPTIONS")
        self.send_header("Content-Length", "0")
        self.end_headers()

    # -------------------------------------------------------------- dispatch

    def _handle(self, method: str) -> None:
        try:
            url = urlsplit(self.path)
            if url.path in ("/", "/index.html") and method in ("GET", "HEAD"):
                self._send(HTTPStatus.OK, "text/html; charset=utf-8", FORM.format(path=PATH, query=html.escape(EXAMPLE)).encode(), head=method == "HEAD")
                return
            if url.path != PATH:
                raise ProtocolError(HTTPStatus.NOT_FOUND, f"no such resource {url.path!r}: the SPARQL endpoint is {PATH}")
            if method not in ("GET", "HEAD", "POST"):
                raise ProtocolError(HTTPStatus.METHOD_NOT_ALLOWED, f"{method} is not allowed: {READ_ONLY}", allow="GET, HEAD, POST, OPTIONS")
            params = parse_qs(url.query, keep_blank_values=True)
            query = None
            if method == "POST":
                query = self._read_post(params)
            if "update" in params:
                raise ProtocolError(HTTPStatus.FORBIDDEN, READ_ONLY)
            if query is None:
                values = params.get("query", [])
                if not values:
                    if method in ("GET", "HEAD") and not params:  # a browser at /sparql: the form
                        self._send(HTTPStatus.OK, "text/html; charset=utf-8", FORM.format(path=PATH, query=html.escape(EXAMPLE)).encode(), head=method == "HEAD")
                        return
                    raise ProtocolError(HTTPStatus.BAD_REQUEST, "missing the 'query' parameter")
                if len(values) > 1:
                    raise ProtocolError(HTTPStatus.BAD_REQUEST, "more than one 'query' parameter")
                query = values[0]
            chosen = params.get("format", [None])[-1]
            graphs = params.get("default-graph-uri", []), params.get("named-graph-uri", [])
            content_type, body = run_query(self.store, query, *graphs, self.headers.get("Accept"), chosen)
            self._send(HTTPStatus.OK, content_type, body, head=method == "HEAD")
        except ProtocolError as err:
            self._send_error(err)
        except Exception as err:  # a bug: say it plainly, keep serving
            self._send_error(ProtocolError(HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error: {type(err).__name__}: {err}"))

    def _read_post(self, params: dict) -> str | None:
        """The query of a POST body (merging form fields into ``params``); None if it comes in the URL."""
        length = self.headers.get("Content-Length")
        if length is None:
            raise ProtocolError(HTTPStatus.LENGTH_REQUIRED, "a POST needs a Content-Length")
        try:
            size = int(length)
        except ValueError:
            raise ProtocolError(HTTPStatus.BAD_REQUEST, f"bad Content-Length {length!r}") from None
        if size > MAX_BODY:
            raise ProtocolError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the request body is larger than {MAX_BODY} bytes")
        body = self.rfile.read(size)
        media, _, rest = (self.headers.get("Content-Type") or "").partition(";")
        media = media.strip().lower()
        charset = "utf-8"
        match = re.search(r"charset=\"?([\w.-]+)", rest, re.IGNORECASE)
        if match:
            charset = match.group(1)
        try:
            text = body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            raise ProtocolError(HTTPStatus.BAD_REQUEST, f"the request body is not valid {charset}") from None
        if media == "application/x-www-form-urlencoded":
            for key, values in parse_qs(text, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
            return None
        if media == "application/sparql-query":
            if "query" in params:
                raise ProtocolError(HTTPStatus.BAD_REQUEST, "a query both in the body and in the URL")
            return text
        if media == "application/sparql-update":
            raise ProtocolError(HTTPStatus.FORBIDDEN, READ_ONLY)
        raise ProtocolError(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            f"unsupported Content-Type {media or '(none)'!r}: use application/x-www-form-urlencoded or application/sparql-query",
        )

    # -------------------------------------------------------------- responses

    def _send(self, status: HTTPStatus, content_type: str, body: bytes, head: bool = False, allow: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Vary", "Accept")
        if allow:
            self.send_header("Allow", allow)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _send_error(self, err: ProtocolError) -> None:
        self.close_connection = True  # an unread request body must not be taken for the next request
        self._send(err.status, "text/plain; charset=utf-8", (err.message + "\n").encode("utf-8"), head=self.command == "HEAD", allow=err.allow)

    def log_message(self, format: str, *args) -> None:  # one line per request on stderr
        sys.stderr.write(f"{self.address_string()} {format % args}\n")


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, store: Store, host: str = "127.0.0.1", port: int = 7878):
        self.store = store
        super().__init__((host, port), SparqlHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}{PATH}"


def make_server(store: Store, port: int = 7878, host: str = "127.0.0.1") -> SparqlServer:
    if host not in ("127.0.0.1", "localhost"):
        raise UsageError(f"flashpoint serve listens on 127.0.0.1 only, not {host}")
    try:
        return SparqlServer(store, "127.0.0.1", port)
    except OSError as err:
        raise UsageError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None


def serve(project, port: int = 7878, host: str = "127.0.0.1") -> None:
    """Serve the project's store until Ctrl-C."""
    from flashpoint.store import open_read_only

    store = open_read_only(project.store_dir)
    server = make_server(store, port=port, host=host)
    print(f"serving SPARQL on {server.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        print("stopped", file=sys.stderr, flush=True)
