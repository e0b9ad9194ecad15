"""Remote SPARQL 1.1 stores: query with SPARQLWrapper, load with the Graph Store HTTP Protocol.

A push never leaves the live graph half-replaced: the file goes into a *staging* named graph
(one ``PUT``), its triple count is checked against the file's, and one SPARQL Update
``MOVE <staging> TO <live>`` swaps it in. Stores run each update request as one transaction
(Oxigraph, Fuseki/TDB2, GraphDB, Neptune), so readers see the old graph or the new one. If
anything fails before the ``MOVE``, the live graph is untouched and the command says how to retry.

Every request has a total deadline (``timeout``, from connecting to the last byte of the answer:
a store that trickles bytes is cut off) and a cap on the answer's size (``max_bytes``).
Every failure is a :class:`RemoteError` (exit code 3) that names the URL and what to do;
429 and 503 are retried with exponential backoff (``Retry-After`` honoured, capped), a bounded
number of times. Credentials come from options or ``ROLEGRAPH_USER`` / ``ROLEGRAPH_PASSWORD``
and are never printed.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import http.client
import io
import json
import logging
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any, Final, TypeVar
from urllib.parse import urlencode, urlsplit

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from rolegraph import formats
from rolegraph.ask.store import Table, Term, bind_values
from rolegraph.errors import RemoteError
from rolegraph.text import plural

log = logging.getLogger("rolegraph.remote")  # the name users filter and see in -v output, kept from before the move

DEFAULT_GRAPH_IRI: Final = formats.DEFAULT_GRAPH_IRI
RETRY_STATUSES: Final = frozenset({429, 503})
DEFAULT_MAX_BYTES: Final = 256 * 1024 * 1024  # the largest answer read from a store (`--max-response`)
ERROR_BODY_BYTES: Final = 64 * 1024  # of an error answer, only the start is read (for the message)
CHUNK: Final = 64 * 1024
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where a store answers. ``query`` is required; ``update`` and ``store`` default to Oxigraph's layout."""

    query: str
    update: str | None = None
    store: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0  # seconds for each request, whole answer included
    max_bytes: int = DEFAULT_MAX_BYTES
    server_timeout: float | None = None  # sent as the `timeout` parameter (Fuseki, GraphDB: seconds)
    retries: int = 3
    backoff: float = 0.5
    max_wait: float = 10.0

    def __post_init__(self) -> None:
        for url in (self.query, self.update, self.store):
            if url is not None and urlsplit(url).scheme not in ("http", "https"):
                raise RemoteError(f"expected an http(s) endpoint URL, found {url!r}")

    @property
    def update_url(self) -> str:
        return self.update or _sibling(self.query, "update")

    @property
    def store_url(self) -> str:
        return self.store or _sibling(self.query, "store")

    def auth_header(self) -> dict[str, str]:
        if self.user is None:
            return {}
        token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode("ascii")
        return {"Authorization": f"Basic {token}"}


def _sibling(url: str, leaf: str) -> str:
    """Oxigraph's layout: ``.../query`` -> ``.../update`` and ``.../store``."""
    parts = urlsplit(url)
    path = parts.path
    base = path[: -len("/query")] if path.endswith("/query") else path.rstrip("/")
    return parts._replace(path=f"{base}/{leaf}", query="", fragment="").geturl()


# -- HTTP with typed failures and bounded retries -----------------------------------------------------


def _failure(status: int, url: str, body: str, attempts: int) -> RemoteError:
    detail = _first_text(body)
    if status == 400:
        return RemoteError(f"{url}: the store rejected the request as malformed (400): {detail}")
    if status in (401, 403):
        return RemoteError(
            f"{url}: not authorised ({status})",
            hint="check --user and ROLEGRAPH_PASSWORD (or --password); the password is never printed",
        )
    if status == 404:
        return RemoteError(
            f"{url}: no such endpoint (404)", hint="check the URL; see the README for each store's paths"
        )
    if status in RETRY_STATUSES:
        tries = plural(attempts, "attempt")
        return RemoteError(f"{url}: the store is busy ({status}) after {tries}", hint="retry later")
    return RemoteError(f"{url}: the store failed ({status}): {detail}")


def _first_text(body: str) -> str:
    text = re.sub(r"<[^>]*>", " ", body)  # an HTML error page: keep its words
    text = " ".join(text.split())
    return (text[:200] + "…") if len(text) > 200 else (text or "no message")


def _retry_after(headers: Message | None, attempt: int, endpoint: Endpoint) -> float:
    wait = float(endpoint.backoff * (2**attempt))
    value = headers.get("Retry-After") if headers is not None else None
    if value is not None and value.strip().isdigit():
        wait = float(value.strip())
    return min(wait, endpoint.max_wait)


def with_retries(endpoint: Endpoint, url: str, call: Callable[[], T]) -> T:
    """Run ``call``; retry 429/503 with backoff; map every failure to one RemoteError."""
    attempt = 0
    while True:
        try:
            return call()
        except urllib.error.HTTPError as exc:
            body = _read_body(exc) or str(exc.msg)
            if exc.code in RETRY_STATUSES and attempt < endpoint.retries:
                wait = _retry_after(exc.headers, attempt, endpoint)
                log.info("%s answered %s; retrying in %.1f s", url, exc.code, wait)
                time.sleep(wait)
                attempt += 1
                continue
            raise _failure(exc.code, url, body, attempt + 1) from None
        except TimeoutError:
            raise RemoteError(
                f"{url}: no answer within {endpoint.timeout:g} s (client timeout)", hint="raise --timeout"
            ) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise RemoteError(
                    f"{url}: no answer within {endpoint.timeout:g} s (client timeout)", hint="raise --timeout"
                ) from None
            text = reason.strerror if isinstance(reason, OSError) and reason.strerror else str(reason)
            raise RemoteError(f"{url}: cannot reach the store: {text}", hint="is the server running?") from None
        except (ConnectionError, http.client.HTTPException) as exc:
            raise RemoteError(f"{url}: the connection broke: {type(exc).__name__}: {exc}", hint="retry") from None


def _read_body(exc: urllib.error.HTTPError) -> str:
    try:
        return exc.read().decode("utf-8", "replace")
    except Exception:  # the body is only for the message
        return ""


def request(
    endpoint: Endpoint, method: str, url: str, data: bytes | None = None, headers: Mapping[str, str] | None = None
) -> tuple[int, Message, bytes]:
    """One HTTP request (stdlib urllib), with auth, a total deadline, a size cap, retries and typed failures."""
    all_headers = {**endpoint.auth_header(), **(headers or {})}
    req = urllib.request.Request(url, data=data, method=method, headers=all_headers)  # noqa: S310 - http(s) only
    return with_retries(endpoint, url, lambda: send(endpoint, req))


class Deadline:
    """A total time limit for one request. A socket timeout bounds each read, not their sum: a store
    that sends one byte every half second never trips it. When the deadline passes, the request's
    sockets are shut down, so whatever read is blocked returns at once and the request fails."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


class _HTTPConnection(http.client.HTTPConnection):
    """A connection whose socket the deadline can shut (the HTTPS one inherits this)."""

    def __init__(self, *args: Any, deadline: Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def connect(self) -> None:
        super().connect()
        self.deadline.watch(self.sock)


class _HTTPSConnection(_HTTPConnection, http.client.HTTPSConnection):
    pass


class _DeadlineHandler(urllib.request.AbstractHTTPHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    # not named *_open: urllib's OpenerDirector would take it for a protocol's opener
    def open_watched(self, connection: type[_HTTPConnection], req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(connection, deadline=self.deadline), req)


class _HTTPHandler(_DeadlineHandler, urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.open_watched(_HTTPConnection, req)


class _HTTPSHandler(_DeadlineHandler, urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.open_watched(_HTTPSConnection, req)


def send(endpoint: Endpoint, req: urllib.request.Request) -> tuple[int, Message, bytes]:
    """Open ``req`` and read its whole answer within ``endpoint.timeout`` seconds and ``max_bytes``.

    Raises TimeoutError when the deadline passes (connecting, waiting or reading), an HTTPError
    (its body capped) for an error status, and a RemoteError for an answer over the size cap.
    """
    with Deadline(endpoint.timeout) as deadline:
        try:
            opener = urllib.request.build_opener(_HTTPHandler(deadline), _HTTPSHandler(deadline))
            try:
                resp = opener.open(req, timeout=endpoint.timeout)
            except urllib.error.HTTPError as exc:
                with exc:
                    body = exc.read(ERROR_BODY_BYTES)
                raise urllib.error.HTTPError(exc.url, exc.code, exc.msg, exc.headers, io.BytesIO(body)) from None
            with resp:
                body = _read_capped(resp, endpoint.max_bytes, req.full_url)
                status, headers = resp.status, resp.headers
        except (OSError, http.client.HTTPException):
            if deadline.expired:
                raise TimeoutError from None
            raise
        if deadline.expired:  # a body without a length ends at EOF: a cut-off one looks complete
            raise TimeoutError
    return status, headers, body


def _read_capped(resp: http.client.HTTPResponse, limit: int, url: str) -> bytes:
    declared = resp.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > limit:
        raise _too_big(url, limit, f"it announces {int(declared):,} bytes")
    chunks: list[bytes] = []
    total = 0
    while chunk := resp.read(CHUNK):
        total += len(chunk)
        if total > limit:
            raise _too_big(url, limit, "it kept coming")
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(url: str, limit: int, why: str) -> RemoteError:
    return RemoteError(
        f"{url}: the answer is larger than {limit:,} bytes ({why}); stopped reading",
        hint="raise --max-response, or ask for less (LIMIT)",
    )


# -- queries --------------------------------------------------------------------------------------------


class RemoteStore:
    """A remote SPARQL 1.1 query endpoint, through SPARQLWrapper."""

    local = False

    def __init__(self, endpoint: Endpoint, graph_iri: str | None = DEFAULT_GRAPH_IRI) -> None:
        self.endpoint = endpoint
        self.graph_iri = graph_iri

    def select(self, query: str, bindings: Mapping[str, Term]) -> Table:
        from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper  # noqa: PLC0415

        text = bind_values(query, bindings)
        wrapper = SPARQLWrapper(self.endpoint.query)
        wrapper.setQuery(text)
        wrapper.queryType = SELECT  # its own guess reads comments: "ladder" in a comment made it an ADD update
        wrapper.setMethod(POST)
        wrapper.setReturnFormat(JSON)
        wrapper.setTimeout(int(max(1, self.endpoint.timeout)))
        if self.graph_iri:
            wrapper.addDefaultGraph(self.graph_iri)
        if self.endpoint.server_timeout is not None:
            wrapper.addParameter("timeout", f"{self.endpoint.server_timeout:g}")
        if self.endpoint.user is not None:
            wrapper.setCredentials(self.endpoint.user, self.endpoint.password or "")
        # SPARQLWrapper builds the request (method, parameters, Accept, auth); it is sent here, so
        # that the deadline and the size cap hold while the answer is read.
        req = wrapper._createRequest()
        _, headers, body = with_retries(self.endpoint, self.endpoint.query, lambda: send(self.endpoint, req))
        return _table((headers.get("Content-Type", ""), body), self.endpoint.query)


def _table(result: tuple[str, bytes], url: str) -> Table:
    content_type, body = result
    text = body.decode("utf-8", "replace")
    if "json" not in content_type.lower():
        found = content_type.split(";")[0] or "no content type"
        raise RemoteError(f"{url}: expected SPARQL JSON results, found {found}: {_first_text(text)}")
    try:
        data = json.loads(text)
        columns = tuple(data["head"]["vars"])
        rows = tuple(
            tuple(_term(b[name]) if name in b else None for name in columns) for b in data["results"]["bindings"]
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise RemoteError(f"{url}: expected SPARQL JSON results, found malformed JSON ({type(exc).__name__})") from None
    return Table(columns, rows)


def _term(binding: Mapping[str, str]) -> Node:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
        return Literal(value, datatype=URIRef(datatype))
    return Literal(value)


# -- push -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PushResult:
    graph_iri: str
    triples: int
    seconds: float


def count_triples(endpoint: Endpoint, graph_iri: str) -> int:
    """Triples in a named graph of the remote store."""
    store = RemoteStore(endpoint, graph_iri=None)
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    table = store.select(query, {"g": URIRef(graph_iri)})
    value = table.rows[0][0] if table.rows and table.rows[0] else None
    if value is None:
        return 0
    if not re.fullmatch(r"[0-9]+", str(value)):
        raise RemoteError(
            f"{endpoint.query}: expected a triple count (a whole number), found {_first_text(str(value))!r}",
            hint="is it a SPARQL 1.1 store?",
        )
    return int(str(value))


def update(endpoint: Endpoint, text: str) -> None:
    request(
        endpoint, "POST", endpoint.update_url, urlencode({"update": text}).encode("utf-8"),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip


def _then(hint: str | None, retry: str) -> str:
    """The failed request's own hint (``raise --timeout``), then how to retry the push."""
    return retry if hint is None or hint.startswith("retry") else f"{hint}, then {retry}"


def push(path: Path, endpoint: Endpoint, graph_iri: str = DEFAULT_GRAPH_IRI) -> PushResult:
    """Load ``path`` (Turtle or N-Triples) into ``graph_iri`` through a staging graph, then swap."""
    from rolegraph.graph.io import format_for, read_quads  # noqa: PLC0415

    start = time.perf_counter()
    fmt = format_for(path)
    if fmt.name == "jsonld":
        raise RemoteError(f"{path}: expected a Turtle or N-Triples file to push (JSON-LD is not sent)")
    expected = len({(q.subject, q.predicate, q.object) for q in read_quads(path, fmt)})  # checks the syntax too
    data = path.read_bytes()
    live = URIRef(graph_iri)
    staging = URIRef(f"{graph_iri}/staging")
    store_url = f"{endpoint.store_url}?{urlencode({'graph': str(staging)})}"
    try:
        request(endpoint, "PUT", store_url, data, {"Content-Type": fmt.media_type})
        loaded = count_triples(endpoint, str(staging))
    except RemoteError as exc:
        raise RemoteError(
            f"{exc.message}; the push stopped before the swap: the live graph <{graph_iri}> is unchanged",
            hint=_then(exc.hint, "rerun `rolegraph push` when the store answers again"),
        ) from None
    if loaded != expected:
        try:
            update(endpoint, f"DROP SILENT GRAPH {staging.n3()}")
        except RemoteError:
            log.info("could not drop the staging graph %s", staging)  # the next push replaces it anyway
        raise RemoteError(
            f"{endpoint.store_url}: staging graph holds {plural(loaded, 'triple')}, expected {expected}; "
            "live graph unchanged",
            hint="retry the push",
        )
    try:
        update(endpoint, f"MOVE SILENT GRAPH {staging.n3()} TO GRAPH {live.n3()}")
    except RemoteError as exc:
        raise RemoteError(
            f"{exc.message}; the swap into <{graph_iri}> may or may not have happened (a store applies an "
            "update whole or not at all)",
            hint=_then(exc.hint, "rerun `rolegraph push`: it replaces the live graph either way"),
        ) from None
    try:
        final = count_triples(endpoint, graph_iri)
    except RemoteError as exc:
        raise RemoteError(
            f"{exc.message}; the swap was done (the store accepted the MOVE): the live graph <{graph_iri}> "
            "was replaced, but its triple count could not be checked",
            hint=_then(exc.hint, "rerun `rolegraph push` to check it"),
        ) from None
    if final != expected:
        raise RemoteError(
            f"{endpoint.query}: the live graph <{graph_iri}> was replaced, but holds {plural(final, 'triple')} "
            f"after the swap, expected {expected}",
            hint="rerun `rolegraph push`",
        )
    return PushResult(graph_iri, expected, time.perf_counter() - start)
