"""The review app: Starlette routes behind a token, on 127.0.0.1 only.

Like Jupyter, ``flashpoint review`` prints a URL with a random token
(``secrets.token_urlsafe(32)``). The first page load with ``?token=`` sets it as an
HttpOnly, SameSite=Strict cookie and redirects to the same page without it; scripts
may also send ``Authorization: token …``. Every request without the token is refused
(403). So is every request whose ``Host`` is not the app's own loopback address
(DNS rebinding), whose ``Origin`` is another origin, or that the browser marks as
cross-site (CSRF). No CORS headers are ever sent, and the pages carry a strict
Content-Security-Policy: scripts and styles from the app only, nothing from elsewhere.

Documents are addressed by slug, resolved through ``Project.documents()``; the
client never names a path.

Routes: ``/`` and ``/doc/<slug>`` (the page), ``/api/documents``, ``/api/vocabulary``,
``GET /api/doc/<slug>`` (text, sentences, claims), ``POST /api/doc/<slug>/validate``
(one claim, as the build checks it), ``POST /api/doc/<slug>/save``, ``/static/…``.
"""

from __future__ import annotations

import json
import secrets
import socket
from http.cookies import SimpleCookie
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from flashpoint.errors import InputError

PACKAGE = "flashpoint.review"
MAX_BODY = 20 * 1024 * 1024
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"x-frame-options", b"DENY"),
]


def package_dir() -> Path:
    return Path(str(resources.files(PACKAGE)))


class Guard:
    """ASGI middleware: loopback Host, same Origin, the token; security headers on every answer."""

    def __init__(self, app, token: str, port: int):
        self.app, self.token, self.port = app, token, port
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{h}" for h in self.hosts}
        self.cookie = f"flashpoint-review-{port}"

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                return await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}

        async def secured(message):
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = [h for h in message.get("headers", []) if not h[0].lower().startswith(b"access-control-")] + SECURITY_HEADERS
            await send(message)

        if headers.get("host") not in self.hosts:
            return await _refuse(secured, "this app answers only on its own loopback address")
        origin = headers.get("origin")
        if origin is not None and origin not in self.origins:
            return await _refuse(secured, "requests from another origin are refused")
        if headers.get("sec-fetch-site") not in (None, "same-origin", "none"):
            return await _refuse(secured, "cross-site requests are refused")
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if "token" in query and secrets.compare_digest(query["token"], self.token) and scope["method"] in ("GET", "HEAD"):
            rest = {k: v for k, v in query.items() if k != "token"}
            location = scope["path"] + (("?" + urlencode(rest)) if rest else "")
            cookie = f"{self.cookie}={self.token}; HttpOnly; SameSite=Strict; Path=/"
            await secured({"type": "http.response.start", "status": 303,
                           "headers": [(b"location", location.encode()), (b"set-cookie", cookie.encode()), (b"content-length", b"0")]})
            return await secured({"type": "http.response.body", "body": b""})
        if not self._authorised(headers):
            return await _refuse(secured, "a token is needed: open the URL that `flashpoint review` printed")
        return await self.app(scope, receive, secured)

    def _authorised(self, headers: dict) -> bool:
        auth = headers.get("authorization", "")
        if auth.lower().startswith("token ") and secrets.compare_digest(auth[6:].strip(), self.token):
            return True
        cookies = SimpleCookie()
        try:
            cookies.load(headers.get("cookie", ""))
        except Exception:  # a malformed Cookie header: no token
            return False
        value = cookies.get(self.cookie)
        return value is not None and secrets.compare_digest(value.value, self.token)


async def _refuse(send, message: str, status: int = 403):
    body = (message + "\n").encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def make_app(review, token: str, port: int):
    """The Starlette app over a ``session.Review``, wrapped in the ``Guard``."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import FileResponse, JSONResponse
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    from flashpoint.review.session import Conflict, Invalid, NotFound

    page_file = package_dir() / "templates" / "review.html"

    def failure(err: Exception) -> JSONResponse:
        if isinstance(err, NotFound):
            return JSONResponse({"error": str(err)}, status_code=404)
        if isinstance(err, Conflict):
            return JSONResponse({"error": str(err), "conflict": True}, status_code=409)
        if isinstance(err, Invalid):
            return JSONResponse({"error": str(err), "errors": err.errors}, status_code=422)
        if isinstance(err, InputError):
            return JSONResponse({"error": err.message, "hint": err.hint, "line": err.line}, status_code=422)
        raise err

    async def call(function, *args):
        try:
            return JSONResponse(await run_in_threadpool(function, *args))
        except (NotFound, Conflict, Invalid, InputError) as err:
            return failure(err)

    async def body(request) -> dict:
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            raise Invalid("send JSON (Content-Type: application/json)", [])
        data = await request.body()
        if len(data) > MAX_BODY:
            raise Invalid("the request is too large", [])
        try:
            value = json.loads(data)
        except ValueError:
            raise Invalid("the request is not JSON", []) from None
        if not isinstance(value, dict):
            raise Invalid("the request is not a JSON object", [])
        return value

    async def page(request):
        return FileResponse(page_file, media_type="text/html; charset=utf-8")

    async def documents(request):
        return await call(review.documents)

    async def vocabulary(request):
        return await call(lambda: review.vocabulary)

    async def document(request):
        return await call(review.open, request.path_params["slug"])

    async def validate(request):
        slug = request.path_params["slug"]
        try:
            data = await body(request)
        except Invalid as err:
            return failure(err)

        def run():
            claim = data.get("claim")
            return {"errors": review.validate(slug, claim), "labels": review.labels(claim) if isinstance(claim, dict) else {}}

        return await call(run)

    async def save(request):
        slug = request.path_params["slug"]
        try:
            data = await body(request)
        except Invalid as err:
            return failure(err)
        return await call(review.save, slug, data)

    routes = [
        Route("/", page), Route("/doc/{slug}", page),
        Route("/api/documents", documents), Route("/api/vocabulary", vocabulary),
        Route("/api/doc/{slug}", document), Route("/api/doc/{slug}/validate", validate, methods=["POST"]),
        Route("/api/doc/{slug}/save", save, methods=["POST"]),
        Mount("/static", StaticFiles(directory=package_dir() / "static"), name="static"),
    ]
    return Guard(Starlette(routes=routes), token, port)


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1 (port 0: a free one)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def run(project, slug: str | None = None, port: int = 0, open_browser: bool = True, echo=print) -> None:
    """Serve the review app until interrupted; the first line of output is the URL with the token."""
    import uvicorn

    from flashpoint.review.session import Review

    review = Review(project)
    if slug is not None:
        review.document(slug)  # NotFound before anything is served
    sock = bind(port)
    port = sock.getsockname()[1]
    token = secrets.token_urlsafe(32)
    url = f"http://127.0.0.1:{port}/" + (f"doc/{slug}" if slug else "") + f"?token={token}"
    echo(url)
    echo(f"flashpoint review: {project.root} on 127.0.0.1:{port} (Ctrl-C to stop)")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    config = uvicorn.Config(make_app(review, token, port), log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])
