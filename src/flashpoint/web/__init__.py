"""The pages of ``flashpoint serve``: the SPARQL editor at ``/`` and the graph picture at ``/graph``.

``routes(project)`` gives the Starlette routes that ``flashpoint serve`` mounts beside its
SPARQL endpoint (``/sparql``, same origin):

* ``GET /`` — YASGUI (vendored, ``static/vendor/yasgui``) on ``/sparql``, with one button per
  query of the project (``queries/*.rq``). ``/?query=<url-encoded SPARQL>`` opens the page with
  that query in a tab and runs it (YASGUI's share-link convention); IRIs in the results are
  shown by their ``rdfs:label``, linked to the IRI.
* ``GET /graph`` — the claims around an actor as a graph (Cytoscape.js, vendored), drawn by
  predicate, solid for asserted and dashed for hedged claims; ``?actor=`` (a gazetteer id such
  as ``north-korea``, a label, a Wikidata item or an IRI), ``?predicate=``, ``?modality=``.
* ``GET /api/queries`` — the project's queries: ``[{name, title, text}]``.
* ``GET /api/graph`` — the picture's data (``flashpoint.web.graphdata``), same parameters as
  ``/graph``; the store is opened read-only for each request and the work is bounded (claims,
  nodes, seconds).
* ``/static/…`` — the pages' own JS/CSS and the vendored libraries.

The pages load nothing from another origin (a Content-Security-Policy says so to the browser
too) and never put the request's text into HTML: the page is static, and the query of a share
link reaches the editor as text through YASGUI.
"""

from __future__ import annotations

import html
import os
from importlib import resources
from pathlib import Path

PACKAGE = "flashpoint.web"
GRAPH_TIMEOUT = float(os.environ.get("FLASHPOINT_GRAPH_TIMEOUT", "20"))  # seconds for one /api/graph answer
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def static_dir() -> Path:
    return Path(str(resources.files(PACKAGE))) / "static"


def template(name: str) -> str:
    return (Path(str(resources.files(PACKAGE))) / "templates" / name).read_text(encoding="utf-8")


def page(name: str, project) -> str:
    """A page of templates/ with the project's name filled in (escaped); nothing of the request."""
    title = project.root.resolve().name if project is not None else "flashpoint"
    return template(name).replace("{{project}}", html.escape(title, quote=True))


def queries_json(project) -> list[dict]:
    from flashpoint.query import list_queries

    return [
        {"name": q.path.stem if q.path else "query", "title": q.title, "text": q.text}
        for q in list_queries(project)
    ]


def routes(project) -> list:
    """The Starlette routes of the pages (mounted by ``flashpoint serve``)."""
    import anyio
    from starlette.responses import HTMLResponse, JSONResponse
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    from flashpoint.errors import FlashpointError, UsageError

    limiter = anyio.CapacityLimiter(2)  # graph answers computed at once (2 cores)

    async def index(request):
        return HTMLResponse(page("index.html", project), headers=SECURITY_HEADERS)

    async def graph(request):
        return HTMLResponse(page("graph.html", project), headers=SECURITY_HEADERS)

    async def api_queries(request):
        try:
            body = await anyio.to_thread.run_sync(queries_json, project)
        except FlashpointError as err:
            return JSONResponse({"error": str(err)}, status_code=500, headers=SECURITY_HEADERS)
        return JSONResponse(body, headers=SECURITY_HEADERS)

    async def api_graph(request):
        from flashpoint.store import open_read_only
        from flashpoint.web.graphdata import graph_data, parse_filters

        p = request.query_params

        def work():
            filters = parse_filters(p.get("actor"), p.get("predicate"), p.get("modality"), p.get("depth"), project)
            return graph_data(open_read_only(project.store_dir), filters)

        try:
            with anyio.fail_after(GRAPH_TIMEOUT):
                body = await anyio.to_thread.run_sync(work, abandon_on_cancel=True, limiter=limiter)
        except TimeoutError:
            return JSONResponse({"error": f"the graph took longer than {GRAPH_TIMEOUT:g} s: choose an actor, predicates or modalities"},
                                status_code=503, headers=SECURITY_HEADERS)
        except FlashpointError as err:
            status = 400 if isinstance(err, UsageError) and "no store" not in str(err) else 503
            return JSONResponse({"error": str(err)}, status_code=status, headers=SECURITY_HEADERS)
        return JSONResponse(body, headers=SECURITY_HEADERS)

    return [
        Route("/", index, methods=["GET", "HEAD"]),
        Route("/graph", graph, methods=["GET", "HEAD"]),
        Route("/api/queries", api_queries, methods=["GET", "HEAD"]),
        Route("/api/graph", api_graph, methods=["GET", "HEAD"]),
        Mount("/static", app=StaticFiles(directory=static_dir()), name="static"),
    ]
