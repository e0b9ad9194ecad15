"""``rolegraph serve``: a read-only web server over one built graph (Starlette + Jinja2, served by uvicorn).

Routes: ``/`` search and the function > focus tree; ``/role/{code}``; ``/compare?a=&b=``; ``/sparql``
(the SPARQL 1.1 Protocol, GET and POST, and a page to type queries and run the named ones). Every
page is also JSON (``Accept: application/json`` or ``?format=json``) and a role is also JSON-LD
(``Accept: application/ld+json`` or ``?format=jsonld``). Pages are rendered on the server; there
is no JavaScript, and nothing is loaded from another host, so it works offline.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import signal
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from rolegraph.api import DEFAULT_GRAPH_IRI, Session, UnknownRole, bind_query, get_spec, library, resource
from rolegraph.errors import PageError as PageError  # noqa: PLC0414 - re-exported: app.PageError is public
from rolegraph.errors import QueryError, RolegraphError
from rolegraph.web import charts, sparql
from rolegraph.web.limits import DEFAULT_MAX_QUERIES, DEFAULT_TIMEOUT, QueryRefused, QuerySlots
from rolegraph.web.views import Views, cited, in_words

if TYPE_CHECKING:
    from rolegraph.api import By

log = logging.getLogger("rolegraph.web")

HERE: Final = Path(str(resource("web")))
HTML_TYPES: Final = {"text/html": "html", "application/xhtml+xml": "html"}
PAGE_TYPES: Final = {**HTML_TYPES, "application/json": "json", "application/ld+json": "jsonld"}
ERROR_TYPES: Final = {"application/sparql-results+json": "json"}
PAGE_FORMATS: Final = ("html", "json")
ROLE_FORMATS: Final = ("html", "json", "jsonld")
FORMAT_PARAMS: Final = ("format", "output", "results")  # SPARQLWrapper sends all three, Virtuoso reads format
MAX_NEAREST: Final = 50
MAX_BODY: Final = 4 * sparql.MAX_QUERY_LENGTH  # bytes of a POST: the longest query, in UTF-8 at worst
GRACE_SECONDS: Final = 5  # on Ctrl-C, how long requests in flight may finish before the server stops
SECURITY_HEADERS: Final = [
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        b"base-uri 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def json_response(data: Any, status: int = 200) -> Response:
    body = json.dumps(_jsonable(data), ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    return Response(body.encode("utf-8"), status_code=status, media_type="application/json")


def wanted_format(request: Request, offered: tuple[str, ...]) -> str:
    """``?format=`` when given (a bad one is a 400), else the first offered type the Accept header prefers."""
    explicit = request.query_params.get("format")
    if explicit is not None:
        if explicit not in offered:
            raise PageError(400, f"expected format one of {', '.join(offered)}, found {explicit!r}")
        return explicit
    types = {media: name for media, name in PAGE_TYPES.items() if name in offered}
    return sparql.negotiate(request.headers.get("accept", ""), types, "html")


class SecurityHeaders:
    """Adds a strict Content-Security-Policy and friends to every response (pure ASGI middleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, add_headers)


class Site:
    """The routes over one graph. Pages run in Starlette's thread pool, queries sent to ``/sparql``
    on threads of their own, a few at a time and with a time limit (:mod:`rolegraph.web.limits`), so
    slow queries never hold up pages; Oxigraph's store and the prebuilt indexes are safe to read
    from many threads."""

    def __init__(self, session: Session, graph: Path, slots: QuerySlots | None = None) -> None:
        self.session = session
        self.slots = slots or QuerySlots()
        self.views = Views.over(session)
        self.env = Environment(
            loader=FileSystemLoader(str(HERE / "templates")),
            autoescape=select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=StrictUndefined,  # a misspelt field is an error in the tests, not a silent blank
        )
        self.env.filters["money"] = charts.money
        self.env.filters["in_words"] = in_words  # differential flags: "Pay and skills"
        self.env.filters["cited"] = cited  # source lines, runs joined: "page.txt lines 65–69"
        self.env.globals["charts"] = charts
        self.env.globals["graph_name"] = graph.name

    # -- responses -------------------------------------------------------------------------------

    def page(self, request: Request, template: str, data: Any, status: int = 200, title: str = "") -> Response:
        html = self.env.get_template(template).render(data=data, request=request, title=title, path=request.url.path)
        return HTMLResponse(html, status_code=status)

    def render(
        self, request: Request, template: str, data: Any, title: str, offered: tuple[str, ...] = PAGE_FORMATS
    ) -> Response:
        if wanted_format(request, offered) == "json":
            return json_response(data)
        return self.page(request, template, data, title=title)

    def error(self, request: Request, exc: PageError) -> Response:
        kind = _error_format(request)
        if kind == "json":
            data = {"status": exc.status, "error": exc.message, "suggestions": [href for href, _ in exc.suggestions]}
            response = json_response(data, status=exc.status)
        elif kind == "text":
            response = Response(f"{exc.status}: {exc.message}\n", status_code=exc.status, media_type="text/plain")
        else:
            response = self.page(request, "error.html", exc, status=exc.status, title=f"{exc.status}: {exc.message}")
        response.headers.update(exc.headers)
        return response

    # -- routes ----------------------------------------------------------------------------------

    def home(self, request: Request) -> Response:
        query = request.query_params.get("q", "")
        if len(query) > 200:
            raise PageError(400, f"expected a search of at most 200 characters, found {len(query)}")
        function = request.query_params.get("function")
        if function is not None and function not in {r.function for r in self.session.catalogue.roles.values()}:
            raise PageError(404, f"expected a function code, found {function[:80]!r}", (("/", "All functions"),))
        if query.strip() and wanted_format(request, PAGE_FORMATS) == "html":
            exact = self.views.search_index.exact(query)
            if len(exact) == 1:  # a code, title or alias typed in full goes straight to its role
                return RedirectResponse(f"/role/{quote(next(iter(exact)))}", status_code=303)
        data = self.views.home(query, function)
        return self.render(request, "home.html", data, title=f"Search: {query}" if query.strip() else "Roles")

    def role(self, request: Request) -> Response:
        name = request.path_params["code"]
        code = self._code(name, "/role/{}")
        if code != name:  # named by title, alias or another case: one canonical address per role
            query = f"?{request.url.query}" if request.url.query else ""
            return RedirectResponse(f"/role/{quote(code)}{query}", status_code=308)
        nearest = _int_param(request.query_params, "k", 8, 0, MAX_NEAREST)
        fmt = wanted_format(request, ROLE_FORMATS)
        if fmt == "jsonld":
            return Response(self.views.jsonld(code), media_type="application/ld+json")
        data = self.views.role(code, nearest=nearest, by=_by_param(request.query_params))
        return self.render(request, "role.html", data, title=f"{data.title} ({data.code})", offered=ROLE_FORMATS)

    def compare(self, request: Request) -> Response:
        params = request.query_params
        a, b = params.get("a", "").strip(), params.get("b", "").strip()
        if not a or not b:
            missing = "a" if not a else "b"
            if (a or b) and wanted_format(request, PAGE_FORMATS) == "json":
                raise PageError(400, f"expected two roles, ?a=CODE&b=CODE; parameter {missing!r} is missing")
            # in a browser, the form: empty, or with the role a page's "compare with another role" sent
            return self.render(request, "compare_form.html", {"a": a, "b": b}, title="Compare two roles")
        code_a = self._code(a, f"/compare?a={{}}&b={quote(b)}")
        code_b = self._code(b, f"/compare?a={quote(code_a)}&b={{}}")
        data = self.views.compare(code_a, code_b, by=_by_param(params))
        return self.render(request, "compare.html", data, title=f"Compare {code_a} and {code_b}")

    async def sparql_endpoint(self, request: Request) -> Response:
        """Async to read a POST body; the page runs in the thread pool, a query in ``self.slots``."""
        query, name, params, wanted = await self._sparql_request(request)
        if query is None:
            return await run_in_threadpool(self._sparql_library, request)
        try:
            return await self.slots.run(
                lambda cancel: self._sparql_response(request, query, name, params, wanted, cancel)
            )
        except QueryRefused as exc:
            raise PageError(exc.status, exc.message, headers=exc.headers) from None

    def _sparql_library(self, request: Request) -> Response:
        if wanted_format(request, PAGE_FORMATS) == "json":
            return json_response(self._library())
        return self.page(request, "sparql.html", self._sparql_page("", None, None), title="SPARQL")

    def _sparql_response(
        self,
        request: Request,
        query: str,
        name: str | None,
        params: dict[str, str],
        wanted: list[str],
        cancel: threading.Event,
    ) -> Response:
        accept = request.headers.get("accept", "")
        if not wanted and _prefers_html(accept):
            rows = sparql.rows(self.session, query, shipped=name is not None, cancel=cancel)
            return self.page(request, "sparql.html", self._sparql_page(query, name, rows, params), title="SPARQL")
        result = sparql.answer(self.session, query, wanted, accept, shipped=name is not None, cancel=cancel)
        return Response(result.body, media_type=result.media_type)

    # -- helpers ---------------------------------------------------------------------------------

    def _code(self, name: str, again: str) -> str:
        """The role's code; an unknown name is a 404 that links the closest roles (``again`` % code)."""
        if name in self.session.catalogue.roles:
            return name
        try:
            return self.session.catalogue.resolve(name).code
        except UnknownRole as exc:
            hits = self.views.search_index.suggest(name)
            suggestions = tuple((again.format(quote(h.code)), f"{h.code} — {h.title}") for h in hits)
            raise PageError(404, exc.message, suggestions) from None

    async def _sparql_request(self, request: Request) -> tuple[str | None, str | None, dict[str, str], list[str]]:
        """The query text of a protocol request (GET ?query=, POST form, POST sparql-query) or a named query,
        and the formats asked for by name (``format=``, ``output=``, ``results=``: every value, in order)."""
        values: dict[str, str] = dict(request.query_params)
        wanted = [value for key in FORMAT_PARAMS for value in request.query_params.getlist(key) if value]
        if request.method == "POST":
            posted = await _post_values(request)
            values.update(posted)
            wanted += [posted[key] for key in FORMAT_PARAMS if posted.get(key)]
        if "update" in values:
            raise PageError(400, "expected a query: this endpoint is read-only and takes no updates")
        if "named-graph-uri" in values:
            raise PageError(400, "expected no named-graph-uri: the endpoint answers over its one graph only")
        if values.get("default-graph-uri", DEFAULT_GRAPH_IRI) != DEFAULT_GRAPH_IRI:
            # the graph has the name `rolegraph push` gives it, so `rolegraph query --endpoint` works here too
            raise PageError(
                400,
                f"expected default-graph-uri <{DEFAULT_GRAPH_IRI}> (the one graph served here) or none, "
                f"found <{values['default-graph-uri'][:200]}>",
            )
        if "query" in values:
            return values["query"], None, {}, wanted
        name = values.get("name")
        if not name:
            return None, None, {}, wanted
        spec = get_spec(name)
        params = {p.name: values[p.name] for p in spec.params if values.get(p.name, "") != ""}
        return bind_query(spec, params), name, params, wanted

    def _library(self) -> list[dict[str, Any]]:
        out = []
        for spec in library().values():
            example = spec.example_params
            out.append(
                {
                    "name": spec.name,
                    "description": spec.description,
                    "params": [
                        {
                            "name": p.name,
                            "type": p.type,
                            "optional": p.optional,
                            "doc": p.doc,
                            "example": example.get(p.name, ""),
                        }
                        for p in spec.params
                    ],
                    "text": spec.text,
                }
            )
        return out

    def _sparql_page(
        self, query: str, name: str | None, rows: sparql.Rows | None, params: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        return {"query": query, "name": name, "rows": rows, "params": dict(params or {}), "library": self._library()}


async def _post_values(request: Request) -> dict[str, str]:
    """The fields of a SPARQL POST (a form, or the query as the body), read within MAX_BODY bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise PageError(413, f"expected a request body of at most {MAX_BODY:,} bytes, found {int(declared):,}")
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/sparql-query":
        body = bytearray()
        async for chunk in request.stream():  # bounded even when no length is declared
            body += chunk
            if len(body) > MAX_BODY:
                raise PageError(413, f"expected a request body of at most {MAX_BODY:,} bytes")
        return {"query": body.decode("utf-8", errors="replace")}
    if media in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        async with request.form(max_files=0, max_fields=50) as form:
            return {k: v for k, v in form.items() if isinstance(v, str)}
    if media == "application/sparql-update":
        raise PageError(400, "expected a query: this endpoint is read-only and takes no updates")
    raise PageError(415, f"expected a form or application/sparql-query body, found {media or 'none'!r}")


def _error_format(request: Request) -> str:
    """JSON for a client that asked for JSON of any kind (a page, JSON-LD or SPARQL results), else HTML;
    on ``/sparql``, plain text for a client that did not ask for HTML first (a SPARQL client, curl)."""
    if request.query_params.get("format") in {"json", "jsonld"}:
        return "json"
    accept = request.headers.get("accept", "")
    types = {**{media: "html" if name == "html" else "json" for media, name in PAGE_TYPES.items()}, **ERROR_TYPES}
    chosen = sparql.negotiate(accept, types, "html")
    if chosen == "html" and request.url.path == "/sparql" and not _prefers_html(accept):
        return "text"
    return chosen


def _prefers_html(accept: str) -> bool:
    """A browser's Accept (HTML first) rather than a SPARQL client's (results first, or anything)."""
    data = dict.fromkeys((*sparql.RESULT_TYPES, *sparql.GRAPH_TYPES), "data")
    return sparql.negotiate(accept, {**data, **HTML_TYPES}, "data") == "html"


def _by_param(params: QueryParams) -> By | None:
    """``?by=structure|skills|text|blend`` (docs/distance.md); absent: the default (blend)."""
    from rolegraph.api import BYS  # noqa: PLC0415

    by = params.get("by")
    if by is None or by == "":
        return None
    if by not in BYS:
        raise PageError(400, f"expected ?by= one of {', '.join(BYS)}, found {by[:40]!r}")
    return cast("By", by)


def _int_param(params: QueryParams, name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise PageError(400, f"expected ?{name}= a whole number from {low} to {high}, found {raw[:40]!r}")
    return int(raw)


def create_app(
    session: Session, graph: Path, *, query_timeout: float = DEFAULT_TIMEOUT, max_queries: int = DEFAULT_MAX_QUERIES
) -> Starlette:
    """The ASGI application over one loaded session (what tests drive through Starlette's TestClient)."""
    site = Site(session, graph, QuerySlots(query_timeout, max_queries))

    async def page_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageError)  # noqa: S101 - registered for PageError only
        return site.error(request, exc)

    async def rolegraph_error(request: Request, exc: Exception) -> Response:
        status = 404 if isinstance(exc, UnknownRole) else 400
        return site.error(request, PageError(status, str(exc)))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)  # noqa: S101
        messages = {
            404: f"expected a page of this site, found nothing at {request.url.path!r}",
            405: "method not allowed",
        }
        response = site.error(request, PageError(exc.status_code, messages.get(exc.status_code, exc.detail)))
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    async def server_error(request: Request, exc: Exception) -> Response:
        log.error("internal error on %s: %s: %s", request.url.path, type(exc).__name__, exc, exc_info=exc)
        return site.error(request, PageError(500, "internal error: the server log has the details"))

    app = Starlette(
        routes=[
            Route("/", site.home, methods=["GET", "HEAD"]),
            Route("/role/{code:path}", site.role, methods=["GET", "HEAD"]),
            Route("/compare", site.compare, methods=["GET", "HEAD"]),
            Route("/sparql", site.sparql_endpoint, methods=["GET", "HEAD", "POST"]),
            Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
        ],
        exception_handlers={
            PageError: page_error,
            QueryError: rolegraph_error,
            RolegraphError: rolegraph_error,
            HTTPException: http_error,
            Exception: server_error,
        },
    )
    app.add_middleware(SecurityHeaders)
    app.state.site = site
    return app


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free port); a one-line error when it can't be had."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise RolegraphError(f"--bind: expected an address of this machine, found {host!r} ({exc.strerror})") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise RolegraphError(
            f"--bind {host} --port {port}: expected a free address, found {exc.strerror or exc}",
            hint="pick another --port, or --port 0 for any free one",
        ) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


LOG_CONFIG: Final[dict[str, Any]] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"cancelled": {"()": "rolegraph.web.app.OneLineCancelled"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(message)s", "datefmt": "%Y-%m-%dT%H:%M:%S"},
        "access": {
            "()": "uvicorn.logging.AccessFormatter",
            "fmt": '%(asctime)s %(client_addr)s "%(request_line)s" %(status_code)s',
            "datefmt": "%Y-%m-%dT%H:%M:%S",
            "use_colors": False,
        },
    },
    "handlers": {
        "plain": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "stream": "ext://sys.stderr",
            "filters": ["cancelled"],
        },
        "access": {"class": "logging.StreamHandler", "formatter": "access", "stream": "ext://sys.stdout"},
    },
    "loggers": {
        "uvicorn": {"handlers": ["plain"], "level": "WARNING", "propagate": False},
        "uvicorn.error": {"handlers": ["plain"], "level": "WARNING", "propagate": False},
        "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "rolegraph.web": {"handlers": ["plain"], "level": "INFO", "propagate": False},
    },
}


def serve(app: Starlette, host: str, port: int, announce: Callable[[str], None]) -> int:
    """Serve ``app`` (:func:`create_app`) until Ctrl-C (SIGINT) or SIGTERM; ``announce`` gets the URL once
    requests and signals are handled.

    Returns how many worker threads are still alive (a query that outlived the grace period keeps
    its thread: Oxigraph cannot stop a query midway), so the caller can end the process without
    waiting for them.
    """
    import uvicorn  # noqa: PLC0415

    from rolegraph.web.protocol import MAX_REQUEST_HEAD, BoundedH11Protocol  # noqa: PLC0415

    sock = bind_socket(host, port)
    bound_port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{bound_port}/"

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            announce(url)  # only now: uvicorn's signal handlers are in place, so a stop is never missed

    config = uvicorn.Config(
        app,
        log_config=LOG_CONFIG,
        access_log=True,
        lifespan="off",
        server_header=False,
        http=BoundedH11Protocol,  # an overlong URL gets 414, not a reset connection
        h11_max_incomplete_event_size=MAX_REQUEST_HEAD,
        timeout_graceful_shutdown=GRACE_SECONDS,  # Ctrl-C never waits on a runaway query for ever
    )
    # uvicorn shuts down gracefully on SIGINT or SIGTERM, then raises the signal again for the handler
    # that was there before: make both a normal return (exit 0), not KeyboardInterrupt or death by signal.
    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()
    # idle worker threads end as the event loop closes; give them a moment, so only busy ones count
    deadline = time.monotonic() + 2.0
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join(max(0.0, deadline - time.monotonic()))
    return sum(1 for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon and t.is_alive())


class OneLineCancelled(logging.Filter):
    """uvicorn logs a request cancelled at the end of the grace period with a traceback: make it one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], asyncio.CancelledError):
            record.msg, record.args, record.exc_info = (
                "stopped a request still running when the grace period ended",
                (),
                None,
            )
        return True
