"""``flashpoint export --format html``: the graph picture as one self-contained HTML file.

The page of ``/graph`` with everything inlined — Cytoscape.js and its dagre layout, the
page's CSS and script, and the graph's data (``flashpoint.web.graphdata``) as a JSON
island — so it opens from a disk or an e-mail attachment with no server and no network
(a Content-Security-Policy in the file forbids loading anything). Predicates and
modalities can still be switched on and off, the layout changed, and every link shows
its quotes and sources on hover; the actor is the one chosen at export time.

The same store and options give the same bytes.
"""

from __future__ import annotations

import html
import json

from pyoxigraph import Store

from flashpoint.web import static_dir, template
from flashpoint.web.graphdata import Filters, graph_data

CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
SCRIPTS = (
    "vendor/cytoscape/cytoscape.min.js",
    "vendor/cytoscape-dagre/cytoscape-dagre.min.js",
)


def _inline_script(text: str) -> str:
    if "</script" in text.lower():  # cannot be inlined as is (never the case for the vendored files)
        raise ValueError("a script to inline contains '</script'")
    return f"<script>\n{text}\n</script>"


def _json_island(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # '<' escaped: no '</script>' or '<!--' in a quote can end the island early
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="graph-data">{text}</script>'


def picture_html(store: Store, filters: Filters | None = None, title: str = "flashpoint") -> bytes:
    """The self-contained HTML page of the graph around ``filters.actors``."""
    data = graph_data(store, filters)
    static = static_dir()
    page = template("graph.html").replace("{{project}}", html.escape(title, quote=True))

    def swap(old: str, new: str) -> None:
        nonlocal page
        if old not in page:
            raise RuntimeError(f"templates/graph.html no longer contains {old!r}: update flashpoint.web.picture")
        page = page.replace(old, new)

    swap('<meta charset="utf-8">', f'<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="{CSP}">')
    swap('<link rel="stylesheet" href="static/flashpoint.css">',
         "<style>\n" + (static / "flashpoint.css").read_text(encoding="utf-8") + "\n</style>")
    start, end = page.index('  <nav aria-label="Pages">'), page.index("</nav>") + len("</nav>")
    actors = ", ".join(a["label"] for a in data["actor"]) or "every actor"
    page = page[:start] + f'  <span class="fp-status">exported: the claims around {html.escape(actors)}</span>' + page[end:]
    for path in SCRIPTS:
        swap(f'<script src="static/{path}"></script>', _inline_script((static / path).read_text(encoding="utf-8")))
    swap('<script src="static/graph.js"></script>',
         _json_island(data) + "\n" + _inline_script((static / "graph.js").read_text(encoding="utf-8")))
    return page.encode("utf-8")
