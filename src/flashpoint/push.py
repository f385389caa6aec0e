"""``flashpoint push``: mirror the KB into a remote store over the SPARQL 1.1 Graph Store HTTP Protocol.

https://www.w3.org/TR/sparql11-http-rdf-update/ — the remote ends up holding
exactly the KB's graphs, the named graphs under ``fpid:graph/`` (ontology,
gazetteer, one per document, the hypothetical graphs, the inferences):

* every one of them is sent with ``PUT ENDPOINT?graph=<graph IRI>`` (indirect
  graph identification), its body the graph's N-Triples, streamed, so that the
  remote graph is replaced by ours and memory stays bounded for large graphs;
* the remote's graphs under ``fpid:graph/`` that the KB no longer has (those of
  a deleted document) are removed with ``DELETE ENDPOINT?graph=<graph IRI>``;
* every other graph of the remote ("foreign" graphs) is left alone.

To know which graphs the remote holds, push asks its SPARQL query endpoint
(``SELECT DISTINCT ?g WHERE { GRAPH ?g {} }``), given with ``--query-endpoint``
or guessed from ENDPOINT for the servers we know. It asks before it writes
anything, so ``--dry-run`` can say what would change and send no write.

Credentials (in this order): ``--user USER`` with the password from
``FLASHPOINT_PUSH_PASSWORD`` or the ``~/.netrc`` entry of the endpoint's host
(``--user user:password`` still works, with a warning: it is visible in ``ps``);
a bearer token from ``FLASHPOINT_PUSH_TOKEN``; the netrc entry of the host
(the file named by ``NETRC``, else ``~/.netrc``). Credentials are only sent to
the endpoint's host: a redirect elsewhere is refused, not followed.

A push of the same KB twice leaves the remote store as after one push.
"""

from __future__ import annotations

import base64
import json
import netrc
import os
import sys
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Mapping
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

import httpx
from pyoxigraph import NamedNode, RdfFormat, Store, serialize

from flashpoint import __version__
from flashpoint.errors import FlashpointError, UsageError
from flashpoint.vocab import DOC_GRAPH_PREFIX, GAZETTEER_GRAPH, GRAPH_BASE, INFERRED_GRAPH, ONTOLOGY_GRAPH, UNREVIEWED_INFERRED_GRAPH

CONTENT_TYPE = "application/n-triples"
TIMEOUT = 300.0  # seconds without progress on one request (a large graph may take the server a while)
CONNECT_TIMEOUT = 15.0
BATCH = 5000  # triples serialized at a time: what is in memory of a graph being sent
MAX_REDIRECTS = 5
PASSWORD_VARIABLE = "FLASHPOINT_PUSH_PASSWORD"
TOKEN_VARIABLE = "FLASHPOINT_PUSH_TOKEN"
LIST_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"
# The same question for servers that refuse an empty group pattern (it reads every quad: slower).
LIST_GRAPHS_SCAN = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"

Progress = Callable[[str, int, int], None]


class PushError(FlashpointError):
    """The remote refused or could not be reached (exit status 2)."""


# ------------------------------------------------------------------ what to send


def graphs_to_push(store: Store) -> list[NamedNode]:
    """The KB's named graphs (those under fpid:graph/): ontology, gazetteer, the documents
    (sorted), any other (the hypothetical graphs among them), and what is derived last: inferred."""
    names = {g for g in store.named_graphs() if isinstance(g, NamedNode) and g.value.startswith(GRAPH_BASE)}
    ordered = [g for g in (ONTOLOGY_GRAPH, GAZETTEER_GRAPH) if g in names]
    ordered += sorted((g for g in names if g.value.startswith(DOC_GRAPH_PREFIX)), key=lambda g: g.value)
    derived = [g for g in (UNREVIEWED_INFERRED_GRAPH, INFERRED_GRAPH) if g in names]
    ordered += sorted(names - set(ordered) - set(derived), key=lambda g: g.value)
    return ordered + derived


def graph_url(endpoint: str, graph: NamedNode | str) -> str:
    iri = graph.value if isinstance(graph, NamedNode) else graph
    separator = "&" if urlsplit(endpoint).query else ("" if endpoint.endswith("?") else "?")
    return endpoint + separator + urlencode({"graph": iri})


def _short(iri: str) -> str:
    return iri[len(GRAPH_BASE):] if iri.startswith(GRAPH_BASE) else iri


def _ntriples_chunks(store: Store, graph: NamedNode, counter: list[int], progress: Progress | None, label: str) -> Iterator[bytes]:
    """The graph's N-Triples, BATCH triples at a time; counts them in ``counter[0]``."""
    counter[0] = 0
    batch = []
    for quad in store.quads_for_pattern(None, None, None, graph):
        batch.append(quad.triple)
        if len(batch) >= BATCH:
            yield serialize(batch, format=RdfFormat.N_TRIPLES)
            counter[0] += len(batch)
            batch.clear()
            if progress and counter[0] % (BATCH * 10) == 0:
                progress(f"{label}: {counter[0]:,} triples", 0, 1)
    if batch:
        yield serialize(batch, format=RdfFormat.N_TRIPLES)
        counter[0] += len(batch)


def _count(store: Store, graph: NamedNode) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, graph))


# ------------------------------------------------------------------ where to ask


def guess_query_endpoint(endpoint: str) -> str:
    """The SPARQL query endpoint beside a Graph Store Protocol endpoint, for the servers we know:
    oxigraph ``…/store`` → ``…/query``; Fuseki ``…/data`` → ``…/sparql``; GraphDB / RDF4J
    ``…/rdf-graphs/service`` → the repository ``…``; anything else (QLever, a Fuseki dataset URL)
    answers queries at the endpoint itself."""
    parts = urlsplit(endpoint)
    path = parts.path.rstrip("/")
    for suffix, replacement in (("/rdf-graphs/service", ""), ("/store", "/query"), ("/data", "/sparql")):
        if path.endswith(suffix):
            return urlunsplit(parts._replace(path=path[: -len(suffix)] + replacement))
    return endpoint


# ------------------------------------------------------------------ credentials


@dataclass
class Credentials:
    header: str | None  # the Authorization header, or None
    source: str  # where it came from, for messages ("--user", "FLASHPOINT_PUSH_TOKEN", "~/.netrc")
    host: str | None = None  # sent only to this host


def _netrc_file(environ: Mapping[str, str]) -> str | None:
    """The netrc file to read: $NETRC, else ~/.netrc; None when there is none."""
    path = environ.get("NETRC") or os.path.join(os.path.expanduser("~"), ".netrc")
    return path if os.path.isfile(path) else None


def netrc_entry(host: str, environ: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """(login, password) of the netrc entry for ``host`` (or its ``default`` entry), if any."""
    environ = os.environ if environ is None else environ
    path = _netrc_file(environ)
    if path is None or not host:
        return None
    try:
        # No explicit file when it is ~/.netrc itself: then Python refuses one that others can read.
        entries = netrc.netrc(path if environ.get("NETRC") else None)
    except netrc.NetrcParseError as err:
        raise UsageError(f"{err.filename}:{err.lineno}: {err.msg}") from None
    except OSError as err:
        raise UsageError(f"{path}: {err.strerror or err}") from None
    found = entries.authenticators(host)
    if not found:
        return None
    login, _account, password = found
    return (login or "", password or "") if password else None


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")


def resolve_credentials(endpoint: str, user: str | None = None, environ: Mapping[str, str] | None = None,
                        warn: Callable[[str], None] | None = None) -> Credentials:
    """The Authorization header for ``endpoint`` (see the module's docstring for the order)."""
    environ = os.environ if environ is None else environ
    host = (urlsplit(endpoint).hostname or "").lower()
    netrc_name = environ.get("NETRC") or "~/.netrc"
    if user is not None:
        if not user or user.startswith(":"):
            raise UsageError("--user: give a user name")
        if ":" in user:
            name, password = user.split(":", 1)
            if warn:
                warn(f"--user {name}:… puts the password on the command line, where `ps` shows it to others; "
                     f"use --user {name} with {PASSWORD_VARIABLE}, or put the password in {netrc_name}")
            return Credentials(_basic(name, password), "--user", host)
        password = environ.get(PASSWORD_VARIABLE)
        if password:
            return Credentials(_basic(user, password), f"--user {user} and {PASSWORD_VARIABLE}", host)
        entry = netrc_entry(host, environ)
        if entry and entry[0] in ("", user):
            return Credentials(_basic(user, entry[1]), f"--user {user} and {netrc_name}", host)
        raise UsageError(f"--user {user}: no password: set {PASSWORD_VARIABLE}, or add "
                         f"`machine {host} login {user} password …` to {netrc_name}")
    if environ.get(PASSWORD_VARIABLE):
        raise UsageError(f"{PASSWORD_VARIABLE} is set but no user is given: add --user USER")
    token = environ.get(TOKEN_VARIABLE)
    if token:
        return Credentials(f"Bearer {token}", TOKEN_VARIABLE, host)
    entry = netrc_entry(host, environ)
    if entry and entry[0]:
        return Credentials(_basic(*entry), f"{netrc_name} (machine {host})", host)
    return Credentials(None, "none", host)


# ------------------------------------------------------------------ the remote


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


class _Failure(Exception):
    """One request failed; ``reason`` says how, in a few words."""

    def __init__(self, reason: str, status: int | None = None, network: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.network = network  # the server was not reached (or did not answer)


class Remote:
    """One httpx client (one connection, reused) to the remote, with our redirect policy:
    method-preserving redirects (307, 308) are followed, with credentials only to the same
    host (or its https); any other redirect is reported, never followed."""

    def __init__(self, credentials: Credentials):
        self.credentials = credentials
        self.client = httpx.Client(
            timeout=httpx.Timeout(TIMEOUT, connect=CONNECT_TIMEOUT),
            follow_redirects=False,
            headers={"User-Agent": f"flashpoint/{__version__}"},
        )

    def __enter__(self) -> "Remote":
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()

    def _authorization(self, url: str) -> str | None:
        if self.credentials.header and (urlsplit(url).hostname or "").lower() == self.credentials.host:
            return self.credentials.header
        return None

    def request(self, method: str, url: str, *, headers: dict[str, str] | None = None,
                body: Callable[[], Iterable[bytes]] | None = None, params: dict[str, str] | None = None) -> httpx.Response:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            request_headers = dict(headers or {})
            authorization = self._authorization(current)
            if authorization:
                request_headers["Authorization"] = authorization
            try:
                response = self.client.request(method, current, headers=request_headers, params=params,
                                               content=body() if body is not None else None)
                response.read()
            except httpx.ConnectError as err:
                raise _Failure(f"cannot connect to {urlsplit(current).netloc}: {_os_reason(err)}", network=True) from None
            except httpx.TimeoutException:
                raise _Failure(f"no answer from {urlsplit(current).netloc} within {TIMEOUT:.0f} s", network=True) from None
            except (httpx.HTTPError, OSError) as err:
                raise _Failure(f"{type(err).__name__}: {_os_reason(err)}", network=True) from None
            if not response.is_redirect:
                return response
            location = urljoin(current, response.headers.get("Location", ""))
            if response.status_code not in (307, 308):
                raise _Failure(f"HTTP {response.status_code} redirect to {location}: not followed; give that URL instead",
                               response.status_code)
            if authorization and not _same_host_or_upgrade(current, location):
                raise _Failure(f"HTTP {response.status_code} redirect to another host ({location}): "
                               f"not followed with credentials; give the URL you mean", response.status_code)
            current, params = location, None  # the Location is the whole URL
        raise _Failure(f"more than {MAX_REDIRECTS} redirects")


def _same_host_or_upgrade(old: str, new: str) -> bool:
    (s1, h1, p1), (s2, h2, p2) = _origin(old), _origin(new)
    return h1 == h2 and ((s1, p1) == (s2, p2) or (s1 == "http" and s2 == "https" and p2 == 443))


def _os_reason(err: Exception) -> str:
    """'connection refused' rather than '[Errno 111] Connection refused'."""
    text = str(err) or type(err).__name__
    if text.startswith("[Errno") and "] " in text:
        text = text.split("] ", 1)[1]
    return text[:1].lower() + text[1:]


def _status_reason(response: httpx.Response, credentials: Credentials) -> str:
    text = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
    detail = _first_line(response)
    if detail:
        text += f": {detail}"
    if response.status_code in (401, 403):
        if credentials.header:
            text += f" (credentials from {credentials.source} were refused)"
        else:
            text += (f" (no credentials were sent: use --user USER with {PASSWORD_VARIABLE}, "
                     f"{TOKEN_VARIABLE}, or a ~/.netrc entry for {credentials.host})")
    return text


def _first_line(response: httpx.Response) -> str:
    """The first line of the error body when the server said something short and textual."""
    try:
        text = response.content[:500].decode("utf-8", "replace").strip()
    except Exception:
        return ""
    line = text.splitlines()[0].strip() if text else ""
    return line[:200] if line and not line.startswith(("<", "{")) else ""


def list_graphs(remote: Remote, query_endpoint: str) -> list[str]:
    """The IRIs of the named graphs the remote holds, asked with a SPARQL query (GET: no write)."""
    headers = {"Accept": "application/sparql-results+json"}
    response = None
    for query in (LIST_GRAPHS, LIST_GRAPHS_SCAN):
        response = remote.request("GET", query_endpoint, headers=headers, params={"query": query})
        if response.status_code != 400:
            break
    assert response is not None
    if not response.is_success:
        raise _Failure(_status_reason(response, remote.credentials), response.status_code)
    try:
        bindings = json.loads(response.content)["results"]["bindings"]
        return sorted({b["g"]["value"] for b in bindings if b.get("g", {}).get("type") == "uri"})
    except (ValueError, KeyError, TypeError):
        kind = response.headers.get("Content-Type", "?").split(";")[0]
        raise _Failure(f"the answer is not SPARQL JSON results ({kind}): is it a SPARQL query endpoint?") from None


# ------------------------------------------------------------------ push


def push(store: Store, endpoint: str, user: str | None = None, *, query_endpoint: str | None = None,
         dry_run: bool = False, prune: bool = True, progress: Progress | None = None,
         warn: Callable[[str], None] | None = None, environ: Mapping[str, str] | None = None) -> Iterator[str]:
    """Make the remote hold exactly the KB's graphs; yields one line per action and a summary."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{endpoint}: not an http(s) URL of a Graph Store Protocol endpoint")
    if query_endpoint is not None and urlsplit(query_endpoint).scheme not in ("http", "https"):
        raise UsageError(f"--query-endpoint {query_endpoint}: not an http(s) URL")
    warn = warn or (lambda message: print(f"flashpoint: warning: {message}", file=sys.stderr))
    credentials = resolve_credentials(endpoint, user, environ, warn)
    if credentials.header and parts.scheme == "http" and credentials.host not in ("localhost", "127.0.0.1", "::1"):
        warn(f"credentials from {credentials.source} go unencrypted over http:// to {credentials.host}")
    graphs = graphs_to_push(store)
    if not graphs:
        raise UsageError("the store has no named graphs to push: run `flashpoint build` first")
    local = {g.value for g in graphs}

    with Remote(credentials) as remote:
        stale: list[str] = []
        foreign: list[str] = []
        remote_graphs: set[str] | None = None
        if prune:
            where = query_endpoint or guess_query_endpoint(endpoint)
            try:
                listed = list_graphs(remote, where)
            except _Failure as failure:
                hint = ("" if failure.network or failure.status in (401, 403)
                        else "; give the remote's SPARQL query endpoint with --query-endpoint URL (or push without pruning: --no-prune)")
                raise PushError(f"push to {endpoint} failed: listing its graphs at {where}: {failure.reason}{hint}; "
                                f"nothing was sent") from None
            remote_graphs = set(listed)
            stale = [g for g in listed if g.startswith(GRAPH_BASE) and g not in local]
            foreign = [g for g in listed if not g.startswith(GRAPH_BASE)]

        if dry_run:
            total = 0
            for graph in graphs:
                count = _count(store, graph)
                total += count
                state = "" if remote_graphs is None else (", replaces the remote's" if graph.value in remote_graphs else ", new")
                yield f"would PUT <{graph.value}> ({count:,} triples{state})"
            for iri in stale:
                yield f"would DELETE <{iri}> (no longer in the KB)"
            for iri in foreign:
                yield f"would keep <{iri}> (not a flashpoint graph)"
            yield f"dry run: would push {_graphs(len(graphs))} ({total:,} triples){_tail(prune, len(stale), len(foreign), dry_run=True)}; nothing sent to {endpoint}"
            return

        sent: list[str] = []
        total = 0
        put_headers = {"Content-Type": CONTENT_TYPE}
        for number, graph in enumerate(graphs, 1):
            label = f"pushing {_short(graph.value)}"
            if progress:
                progress(label, number, len(graphs))
            counter = [0]
            try:
                response = remote.request("PUT", graph_url(endpoint, graph), headers=put_headers,
                                          body=lambda g=graph, l=label: _ntriples_chunks(store, g, counter, progress, l))
                if not response.is_success:
                    raise _Failure(_status_reason(response, credentials), response.status_code)
            except _Failure as failure:
                raise PushError(f"push to {endpoint} failed: PUT <{graph.value}>: {failure.reason}; "
                                f"{_already_sent(sent, len(graphs))}, nothing deleted: push again") from None
            sent.append(graph.value)
            total += counter[0]
            yield f"PUT <{graph.value}>: {counter[0]:,} triples (HTTP {response.status_code})"

        deleted = 0
        for number, iri in enumerate(stale, 1):
            if progress:
                progress(f"deleting {_short(iri)}", number, len(stale))
            try:
                response = remote.request("DELETE", graph_url(endpoint, iri))
                if response.status_code == 404:  # gone already: what we wanted
                    yield f"DELETE <{iri}>: already gone (HTTP 404)"
                    deleted += 1
                    continue
                if not response.is_success:
                    raise _Failure(_status_reason(response, credentials), response.status_code)
            except _Failure as failure:
                raise PushError(f"push to {endpoint} failed: DELETE <{iri}>: {failure.reason}; all {_graphs(len(graphs))} "
                                f"were sent, {deleted} of {len(stale)} stale graphs deleted: push again") from None
            deleted += 1
            yield f"DELETE <{iri}>: no longer in the KB (HTTP {response.status_code})"
        yield f"pushed {_graphs(len(graphs))} ({total:,} triples) to {endpoint}{_tail(prune, deleted, len(foreign))}"


def _graphs(n: int) -> str:
    return f"{n:,} graph" + ("" if n == 1 else "s")


def _tail(prune: bool, deleted: int, foreign: int, dry_run: bool = False) -> str:
    if not prune:
        return " (not pruned: --no-prune)"
    kept = f"{foreign:,} foreign graph" + ("" if foreign == 1 else "s")
    return f", would delete {deleted:,}, would keep {kept}" if dry_run else f", deleted {deleted:,}, kept {kept}"


def _already_sent(sent: list[str], total: int) -> str:
    if not sent:
        return f"none of the {_graphs(total)} was sent"
    names = ", ".join(_short(g) for g in sent[:3]) + (f" and {len(sent) - 3:,} more" if len(sent) > 3 else "")
    return f"already sent {len(sent):,} of {_graphs(total)} ({names})"
