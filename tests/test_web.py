"""The pages of flashpoint serve, loaded as a person would: in a real headless Chromium.

The seed project is served — by ``flashpoint serve`` itself when it mounts the pages (a
subprocess), otherwise by a small Starlette app with the same routes and a minimal
``/sparql`` over the built store — and Chromium (Debian's ``chromium``) loads ``/?query=…``,
``/graph`` and the exported HTML picture; the assertions read the DOM *after* the scripts ran
(``--dump-dom``): the rendered results table, the rendered graph's node labels, edge styles
and positions, never the HTML source alone. Every browser run maps every host name but
127.0.0.1 to "not found", so what renders needed nothing from the network.

Set FLASHPOINT_SCREENSHOTS=docs/screenshots to write the README's screenshots.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from conftest import REPO, run_cli

CHROMIUM = shutil.which("chromium")
needs_browser = pytest.mark.skipif(
    CHROMIUM is None, reason="needs Debian's chromium to load the pages (apt-get install -y chromium; .ci/run installs it)"
)
NK = "https://w3id.org/flashpoint/id/actor/north-korea"
TALKS = "defense talks of South Korea and United States"
EXERCISES = "joint military exercise of South Korea and United States"
LAUNCHES = "missile launch by North Korea"
TESTS = "missile test by North Korea"
SANCTIONS = "international sanctions on North Korea"
WHO_IS_NORTH_KOREA = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX fp: <https://w3id.org/flashpoint/ontology#>
# Which actors does North Korea perceive as a threat?
SELECT DISTINCT ?perceiver ?threat WHERE {
  ?perceiver skos:exactMatch wd:Q423 ; fp:perceivesAsThreat ?threat .
  ?threat a fp:Actor .
}"""


# ------------------------------------------------------------------ serving the seed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def _wait_for(base: str, seconds: float, proc: subprocess.Popen | None = None) -> bool:
    """True once the pages and the SPARQL endpoint answer under ``base``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            status, _, body = fetch(base + "/api/queries")
            if status == 200 and isinstance(json.loads(body), list):
                status, _, body = fetch(base + "/sparql?query=" + quote("ASK { ?s ?p ?o }"), headers={"Accept": "application/sparql-results+json"})
                return status == 200 and json.loads(body).get("boolean") is True
            if status == 404:  # a server without the pages
                return False
        except (OSError, ValueError):
            pass
        time.sleep(0.2)
    return False


def stand_in_app(project_root: Path):
    """The pages' routes and a minimal SPARQL endpoint (GET, POST form, POST query) over the store."""
    from pyoxigraph import QueryResultsFormat
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse, Response
    from starlette.routing import Route

    from flashpoint.project import Project
    from flashpoint.store import open_read_only
    from flashpoint.web import routes

    project = Project(project_root)
    store = open_read_only(project.store_dir)

    async def sparql(request):
        query = request.query_params.get("query")
        if request.method == "POST":
            body = (await request.body()).decode("utf-8")
            if request.headers.get("content-type", "").startswith("application/sparql-query"):
                query = body
            else:
                query = parse_qs(body).get("query", [query])[0]
        if not query:
            return PlainTextResponse("missing the 'query' parameter", status_code=400)
        try:
            results = store.query(query, use_default_graph_as_union=True)
        except SyntaxError as err:
            return PlainTextResponse(str(err), status_code=400)
        buffer = io.BytesIO()
        results.serialize(buffer, format=QueryResultsFormat.JSON)
        return Response(buffer.getvalue(), media_type="application/sparql-results+json")

    return Starlette(routes=[Route("/sparql", sparql, methods=["GET", "POST"]), *routes(project)])


@pytest.fixture(scope="module")
def site(built_project):
    """The base URL of the served seed project: ``flashpoint serve`` if it has the pages, else the stand-in."""
    port = free_port()
    flashpoint = Path(sys.executable).with_name("flashpoint")
    command = [str(flashpoint), "serve", "--project", str(built_project), "--port", str(port)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if flashpoint.exists() else None
    base = f"http://127.0.0.1:{port}"
    if proc is not None and _wait_for(base, 30, proc):
        try:
            yield base
        finally:
            proc.terminate()
            proc.wait(10)
        return
    if proc is not None:
        proc.terminate()
        proc.wait(10)

    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(stand_in_app(built_project), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    assert _wait_for(base, 20), "the stand-in server did not start"
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(10)


# ------------------------------------------------------------------ the browser


def browse(url: str, screenshot: Path | None = None, size: tuple[int, int] = (1400, 900)) -> str:
    """The DOM of URL after its scripts ran in headless Chromium (and a screenshot, if asked)."""
    with tempfile.TemporaryDirectory(prefix="fp-chromium-", ignore_cleanup_errors=True) as profile:
        common = [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
            f"--user-data-dir={profile}", "--virtual-time-budget=10000", f"--window-size={size[0]},{size[1]}",
            # nothing but this machine: a page that needs the network renders nothing
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        ]
        dom = subprocess.run(common + ["--dump-dom", url], capture_output=True, text=True, timeout=120)
        assert dom.returncode == 0, dom.stderr[-2000:]
        if screenshot is not None:
            shot = subprocess.run(common + [f"--screenshot={screenshot}", url], capture_output=True, text=True, timeout=120)
            assert shot.returncode == 0 and screenshot.stat().st_size > 20_000, shot.stderr[-2000:]
            keep = os.environ.get("FLASHPOINT_SCREENSHOTS")
            if keep:
                target = Path(keep) if Path(keep).is_absolute() else REPO / keep
                target.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(screenshot, target / screenshot.name)
        return dom.stdout


class Dom(HTMLParser):
    """The elements of a dumped DOM: (tag, attributes, text inside)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self._open: list[dict] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i]["tag"] == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data

    def find(self, tag: str | None = None, **attrs) -> list[dict]:
        return [e for e in self.elements if (tag is None or e["tag"] == tag)
                and all(e["attrs"].get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())]

    def by_class(self, name: str) -> list[dict]:
        return [e for e in self.elements if name in (e["attrs"].get("class") or "").split()]


def same_origin_only(dom: Dom, base: str | None) -> list[str]:
    """The sources of scripts, styles, images and frames that are not this server's."""
    foreign = []
    for e in dom.elements:
        for attr in ("src", "href") if e["tag"] in ("script", "link", "img", "iframe", "embed", "object", "source") else ():
            value = e["attrs"].get(attr)
            if not value or value.startswith("data:"):
                continue
            url = urlsplit(value)
            if url.scheme or value.startswith("//"):
                if base is None or not value.startswith(base + "/"):
                    foreign.append(value)
    return foreign


# ------------------------------------------------------------------ the JSON routes (no browser)


def test_api_queries_lists_the_projects_queries(site):
    status, _, body = fetch(site + "/api/queries")
    queries = json.loads(body)
    assert status == 200
    names = [q["name"] for q in queries]
    assert names[:13] == sorted(p.stem for p in (REPO / "queries").glob("cq[0-9][0-9]-*.rq"))
    assert queries[0]["title"] == "CQ1: What triggers North Korea's missile launches?"
    assert queries[0]["text"] == (REPO / "queries" / f"{names[0]}.rq").read_text(encoding="utf-8")


def test_api_graph_holds_the_causal_chain(site):
    status, _, body = fetch(site + "/api/graph?actor=north-korea")
    data = json.loads(body)
    assert status == 200 and data["actor"] == [{"iri": NK, "label": "North Korea"}]
    label = {n["id"]: n["label"] for n in data["nodes"]}
    links = {(label[e["source"]], e["name"], label[e["target"]]): e for e in data["edges"]}
    for cause in (TALKS, EXERCISES):
        assert links[(cause, "triggers", LAUNCHES)]["modality"] == "asserted"
        assert links[(cause, "triggers", TESTS)]["modality"] == "asserted"
    chain = links[(TESTS, "causes", SANCTIONS)]
    assert chain["modality"] == "asserted" and chain["group"] == "causal"
    assert chain["claims"][0]["quote"] == "These tests have led to international sanctions"
    assert chain["claims"][0]["title"]  # the document, for the hover
    assert links[("North Korea", "perceivesAsThreat", EXERCISES)]["group"] == "perception"
    assert any(e["modality"] == "possible" for e in data["edges"])
    assert {"iri": NK, "label": "North Korea"} in [{k: a[k] for k in ("iri", "label")} for a in data["actors"]]

    # filtered on the server: only asserted "triggers" (and its super-property "causes" brings "triggers" too)
    _, _, body = fetch(site + "/api/graph?actor=Q423&predicate=causes&modality=asserted")
    data = json.loads(body)
    assert data["edges"] and {e["name"] for e in data["edges"]} == {"causes", "triggers"}
    assert {e["modality"] for e in data["edges"]} == {"asserted"}

    for bad in ("actor=atlantis", "modality=certain", "predicate=%3Cjavascript:x%3E", "depth=99"):
        status, _, body = fetch(site + "/api/graph?" + bad)
        assert status == 400 and json.loads(body)["error"], bad


def test_graph_data_is_bounded(built_project, monkeypatch):
    from flashpoint.project import Project
    from flashpoint.store import open_read_only
    from flashpoint.web import graphdata

    monkeypatch.setattr(graphdata, "MAX_NODES", 6)
    filters = graphdata.parse_filters("north-korea", None, None, None, Project(built_project))
    data = graphdata.graph_data(open_read_only(built_project / ".flashpoint" / "store"), filters)
    assert data["truncated"] and len(data["nodes"]) <= 6
    assert NK in {n["id"] for n in data["nodes"]}  # the chosen actor stays
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in data["edges"])


def test_pages_load_nothing_from_elsewhere(site):
    vendor = REPO / "src" / "flashpoint" / "web" / "static" / "vendor"
    files = [p for p in vendor.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 5 * 1024 * 1024
    for library in ("yasgui", "cytoscape", "cytoscape-dagre"):
        assert (vendor / library / "LICENSE").is_file(), library
    for path in ("/", "/graph", "/?query=" + quote("<script>alert(1)</script>")):
        status, headers, body = fetch(site + path)
        assert status == 200
        page = body.decode("utf-8")
        dom = Dom(page)
        assert dom.find("script") and not same_origin_only(dom, None), path
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), path
        assert all(not s["text"].strip() for s in dom.find("script")), "no inline scripts"
        csp = {k.lower(): v for k, v in headers.items()}["content-security-policy"]
        assert "script-src 'self'" in csp and "connect-src 'self'" in csp and "default-src 'none'" in csp
        assert "<script>alert" not in page  # the URL's query is never put into the HTML
    for asset in ("/static/query.js", "/static/graph.js", "/static/flashpoint.css", "/static/vendor/yasgui/yasgui.min.js",
                  "/static/vendor/cytoscape/cytoscape.min.js", "/static/vendor/cytoscape-dagre/cytoscape-dagre.min.js"):
        status, _, _ = fetch(site + asset)
        assert status == 200, asset


# ------------------------------------------------------------------ in the browser


@needs_browser
def test_query_in_the_url_shows_its_answer(site, tmp_path):
    """A share link /?query=… opens the editor with the query and renders its results table."""
    query = (REPO / "queries" / "cq02-threat-perceptions.rq").read_text(encoding="utf-8")
    dom = Dom(browse(site + "/?query=" + quote(query), screenshot=tmp_path / "query.png", size=(1400, 1000)))
    cells = dom.find("td")
    assert any(c["text"].strip() == "North Korea" for c in cells), "no 'North Korea' cell in the results table"
    # IRIs are shown by their labels, linked to the IRI
    links = [e for e in dom.by_class("fp-labelled") if e["tag"] == "a"]
    assert any(a["text"] == "North Korea" and a["attrs"]["href"] == NK for a in links)
    assert any(a["text"] == EXERCISES for a in links)
    assert any("North Korea perceives these actions as threats" in c["text"] for c in cells)
    # the query is in the editor, and the page offers its share link
    editor_text = "".join(e["text"] for e in dom.by_class("CodeMirror-code"))
    assert "CQ2: Who perceives what as a threat or a provocation?" in editor_text
    share = dom.find("input", id="share-link")[0]["attrs"].get("value", "")
    assert share.startswith(site + "/?query=") and quote("# CQ2") in share
    # the project's queries as buttons
    buttons = [b["text"] for b in dom.by_class("fp-query-button")]
    assert len(buttons) >= 13 and buttons[0] == "CQ1: What triggers North Korea's missile launches?"
    assert not same_origin_only(dom, site)


@needs_browser
def test_a_small_query_in_the_url(site):
    dom = Dom(browse(site + "/?query=" + quote(WHO_IS_NORTH_KOREA)))
    rows = [r for r in dom.find("tr") if r["text"].strip()]
    texts = {r["text"].strip() for r in rows}
    assert any("North Korea" in t and "United States" in t for t in texts)
    assert any("North Korea" in t and "South Korea" in t for t in texts)


@needs_browser
def test_query_in_the_url_is_text_not_html(site):
    """XSS: markup in ?query= reaches the editor as text; nothing of it runs or becomes an element."""
    payload = ('<script>document.body.setAttribute("data-pwned","script")</script>'
               '<img id="pwned" src="x" onerror="document.body.setAttribute(\'data-pwned\',\'img\')">'
               '"><svg onload="document.body.setAttribute(\'data-pwned\',\'svg\')">')
    dom = Dom(browse(site + "/?query=" + quote(payload) + "&tabTitle=" + quote('<img id="pwned2" src=x>')))
    body = dom.find("body")[0]
    assert "data-pwned" not in body["attrs"]
    assert not dom.find("img", id="pwned") and not dom.find("img", id="pwned2")
    assert not [e for e in dom.elements if any(a.startswith("on") for a in e["attrs"])]  # no event handler attributes at all
    assert all("data-pwned" not in s["text"] for s in dom.find("script"))
    editor_text = "".join(e["text"] for e in dom.by_class("CodeMirror-code"))
    assert 'onerror="document.body.setAttribute' in editor_text  # shown, as text
    assert '<img id="pwned2" src=x>' in "".join(t["text"] for t in dom.find("span"))  # the tab's title, as text


@needs_browser
def test_graph_draws_the_causal_chain(site, tmp_path):
    """/graph around North Korea: talks and exercises → launches → sanctions, solid when asserted, dashed when hedged."""
    dom = Dom(browse(site + "/graph?actor=north-korea", screenshot=tmp_path / "graph.png", size=(1400, 900)))
    body = dom.find("body")[0]["attrs"]
    assert body["data-state"] == "ready", body
    nodes = {e["text"]: e["attrs"] for e in dom.by_class("fp-node")}
    for label in ("North Korea", TALKS, EXERCISES, LAUNCHES, TESTS, SANCTIONS):
        assert label in nodes, label
    edges = [e["attrs"] for e in dom.by_class("fp-edge")]

    def edge(source, predicate, target):
        found = [e for e in edges if e["data-source"] == source and e["data-predicate"] == predicate and e["data-target"] == target]
        assert found, (source, predicate, target)
        return found[0]

    for cause in (TALKS, EXERCISES):
        assert edge(cause, "triggers", LAUNCHES)["data-line-style"] == "solid"
    assert edge(TESTS, "causes", SANCTIONS)["data-line-style"] == "solid"
    assert edge(SANCTIONS, "respondsTo", TESTS)["data-line-style"] == "solid"
    hedged = [e for e in edges if e["data-modality"] == "possible"]
    assert hedged and all(e["data-line-style"] == "dashed" for e in hedged)
    assert all(e["data-line-style"] == "solid" for e in edges if e["data-modality"] == "asserted")
    # drawn by predicate: causal and perception links in their own colours
    assert edge("North Korea", "perceivesAsThreat", EXERCISES)["data-line-color"] != edge(TALKS, "triggers", LAUNCHES)["data-line-color"]

    # the chain reads left to right, and every node is inside the drawing
    x = {label: int(attrs["data-x"]) for label, attrs in nodes.items()}
    assert x[TALKS] < x[LAUNCHES] < x[SANCTIONS] and x[EXERCISES] < x[TESTS] < x[SANCTIONS]
    width, height = int(body["data-width"]), int(body["data-height"])
    for label, attrs in nodes.items():
        assert 0 <= int(attrs["data-x"]) <= width and 0 <= int(attrs["data-y"]) <= height, label
    # readable: no two node centres on top of each other
    points = sorted((int(a["data-x"]), int(a["data-y"])) for a in nodes.values())
    assert len(set(points)) == len(points)
    assert not same_origin_only(dom, site)


@needs_browser
def test_graph_filters_by_predicate_and_modality(site):
    dom = Dom(browse(site + "/graph?actor=north-korea&predicate=triggers,causes,respondsTo&modality=asserted"))
    assert dom.find("body")[0]["attrs"]["data-state"] == "ready"
    edges = [e["attrs"] for e in dom.by_class("fp-edge")]
    assert edges and {e["data-predicate"] for e in edges} == {"triggers", "causes", "respondsTo"}
    assert {e["data-line-style"] for e in edges} == {"solid"}
    nodes = {e["text"] for e in dom.by_class("fp-node")}
    assert {TALKS, EXERCISES, LAUNCHES, TESTS, SANCTIONS} <= nodes
    assert "arms race in the region" not in nodes  # only reached by hedged claims
    checked = {e["attrs"]["value"] for e in dom.find("input", name="predicate") if "checked" in e["attrs"]}
    assert checked == {"triggers", "causes", "respondsTo"}  # the boxes show the URL's choice
    checked = {e["attrs"]["value"] for e in dom.find("input", name="modality") if "checked" in e["attrs"]}
    assert checked == {"asserted"}


def test_export_html_is_self_contained_and_stable(built_project, tmp_path):
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    for out in (first, second):
        result = run_cli("export", "--project", built_project, "--format", "html", "--actor", "north-korea", "-o", out)
        assert result.exit_code == 0, result.stderr
    assert first.read_bytes() == second.read_bytes()
    page = first.read_text(encoding="utf-8")
    dom = Dom(page)
    assert not same_origin_only(dom, None)
    assert not [s for s in dom.find("script") if s["attrs"].get("src")] and not dom.find("link", rel="stylesheet")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    data = json.loads(dom.find("script", id="graph-data")[0]["text"])
    assert {n["label"] for n in data["nodes"]} >= {TALKS, LAUNCHES, SANCTIONS}
    result = run_cli("export", "--project", built_project, "--format", "turtle", "--actor", "north-korea")
    assert result.exit_code == 2 and "--format html" in result.stderr


@needs_browser
def test_exported_picture_renders_offline(built_project, tmp_path):
    out = tmp_path / "picture.html"
    assert run_cli("export", "--project", built_project, "--format", "html", "--actor", "north-korea", "-o", out).exit_code == 0
    dom = Dom(browse(out.as_uri(), screenshot=tmp_path / "export.png"))
    assert dom.find("body")[0]["attrs"]["data-state"] == "ready"
    nodes = {e["text"] for e in dom.by_class("fp-node")}
    assert {"North Korea", TALKS, EXERCISES, LAUNCHES, TESTS, SANCTIONS} <= nodes
    tooltips = {e["attrs"].get("title") for e in dom.by_class("fp-edge")}
    assert "These tests have led to international sanctions" in tooltips


@needs_browser
def test_hover_shows_quote_and_source(site, tmp_path):
    """Moving the mouse onto a link of /graph shows its quote and source; a click keeps them beside the graph.
    Driven through the DevTools protocol (real mouse events), with uvicorn's websockets client."""
    ws_client = pytest.importorskip("websockets.sync.client")
    import base64

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="fp-chromium-", ignore_cleanup_errors=True) as profile:
        browser = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             f"--user-data-dir={profile}", f"--remote-debugging-port={port}", "--window-size=1400,900",
             "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=5) as response:
                        targets = json.load(response)
                    break
                except OSError:
                    assert time.monotonic() < deadline, "chromium's DevTools did not answer"
                    time.sleep(0.2)
            page = next(t for t in targets if t["type"] == "page")
            with ws_client.connect(page["webSocketDebuggerUrl"], max_size=None) as ws:
                ids = iter(range(1, 10_000))

                def call(method, **params):
                    n = next(ids)
                    ws.send(json.dumps({"id": n, "method": method, "params": params}))
                    while True:
                        message = json.loads(ws.recv(timeout=30))
                        if message.get("id") == n:
                            return message.get("result", {})

                def js(expression):
                    return call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

                def mouse(kind, x, y, **extra):
                    call("Input.dispatchMouseEvent", type=kind, x=x, y=y, **extra)

                call("Page.navigate", url=site + "/graph?actor=north-korea")
                deadline = time.monotonic() + 30
                while js("document.body && document.body.dataset.state") != "ready":
                    assert time.monotonic() < deadline, "the graph was not drawn"
                    time.sleep(0.1)
                where = js("""(() => {
                  const node = label => [...document.querySelectorAll('.fp-node')].find(li => li.textContent === label);
                  const a = node(%s), b = node(%s), box = document.getElementById('graph').getBoundingClientRect();
                  return [box.left + (+a.dataset.x + +b.dataset.x) / 2, box.top + (+a.dataset.y + +b.dataset.y) / 2];
                })()""" % (json.dumps(TESTS), json.dumps(SANCTIONS)))
                mouse("mouseMoved", *where)
                time.sleep(0.3)
                assert js("document.getElementById('tooltip').hidden") is False
                tip = js("document.getElementById('tooltip').textContent")
                assert f"{TESTS} causes {SANCTIONS}" in tip and "These tests have led to international sanctions" in tip
                assert "asserted" in tip and "sentence" in tip
                mouse("mousePressed", *where, button="left", clickCount=1)
                mouse("mouseReleased", *where, button="left", clickCount=1)
                time.sleep(0.3)
                assert "These tests have led to international sanctions" in js("document.getElementById('details').textContent")
                shot = tmp_path / "graph-hover.png"
                shot.write_bytes(base64.b64decode(call("Page.captureScreenshot", format="png")["data"]))
                keep = os.environ.get("FLASHPOINT_SCREENSHOTS")
                if keep:
                    shutil.copyfile(shot, (Path(keep) if Path(keep).is_absolute() else REPO / keep) / shot.name)
        finally:
            browser.terminate()
            browser.wait(10)
