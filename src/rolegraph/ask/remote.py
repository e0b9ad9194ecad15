"""Remote SPARQL 1.1 stores: query with SPARQLWrapper, load with the Graph Store HTTP Protocol.

A push never leaves the live graph half-replaced: the file goes into a *staging* named graph
(one ``PUT``; on Virtuoso, N-Triples pieces of 150,000 triples), its triple count is checked against the
file's, and one SPARQL Update (``MOVE <staging> TO <live>``) swaps it in. Stores run each update request as
one transaction (Oxigraph, Fuseki/TDB2, GraphDB, Neptune), so readers see the old graph or the new one. On
Oxigraph there is no staging graph: push reads the live graph and one request (one transaction) writes only
the difference. If anything fails before the swap, the live graph is untouched and the command says how to
retry.

A *store profile* (:data:`PROFILES`: ``--store``) knows a product's endpoint layout, its
authentication and how its swap is made whole; ``generic`` asks the store which product it is
(the ``Server`` header of one small query) when it needs to. Virtuoso's swap is sent with
``DEFINE sql:log-enable 0`` (one transaction, kept out of its log, whose replay after a crash was partial)
and bracketed by checkpoints (what it holds is durable only at a checkpoint); the staged
xsd:duration literals are read back before any swap (Virtuoso keeps them as numbers), and an answer
Virtuoso cut at its ``ResultSetMaxRows`` is refused; its staging graph goes up in pieces (its loader
deadlocks on a large upload of new IRIs and drops part of it). See docs/remote-stores.md for what each store
does differently.

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
import dataclasses
import functools
import hashlib
import http.client
import io
import itertools
import json
import logging
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any, Final, TypeVar
from urllib.parse import urlencode, urlsplit

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from rolegraph import formats
from rolegraph.ask.store import Table, Term, bind_values
from rolegraph.errors import RemoteError, StoreUnreachable
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
    profile: formats.StoreProfile = "generic"  # `--store`: the product, its layout, authentication and swap

    def __post_init__(self) -> None:
        for url in (self.query, self.update, self.store):
            if url is not None and urlsplit(url).scheme not in ("http", "https"):
                raise RemoteError(f"expected an http(s) endpoint URL, found {url!r}")
        if self.profile not in PROFILES:
            raise RemoteError(f"expected a store profile ({', '.join(PROFILES)}), found {self.profile!r}")

    @property
    def store_profile(self) -> Profile:
        return PROFILES[self.profile]

    @property
    def update_url(self) -> str:
        return self.update or self.store_profile.update_url(self.query, self.user is not None)

    @property
    def store_url(self) -> str:
        return self.store or self.store_profile.store_url(self.query, self.user is not None)

    def auth_header(self) -> dict[str, str]:
        """Basic auth, sent with every request (a store that asks for digest instead gets it: :func:`request`)."""
        if self.user is None or self.store_profile.auth == "digest":
            return {}
        token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode("ascii")
        return {"Authorization": f"Basic {token}"}


def _with_path(url: str, path: str) -> str:
    return urlsplit(url)._replace(path=path, query="", fragment="").geturl()


def _sibling(url: str, leaf: str) -> str:
    """Oxigraph's layout: ``.../query`` -> ``.../update`` and ``.../store``."""
    path = urlsplit(url).path
    base = path[: -len("/query")] if path.endswith("/query") else path.rstrip("/")
    return _with_path(url, f"{base}/{leaf}")


def _fuseki(url: str, leaf: str) -> str:
    """Fuseki's layout: ``/DS/query`` (or ``/DS/sparql``, or ``/DS``) -> ``/DS/update`` and ``/DS/data``."""
    path = urlsplit(url).path.rstrip("/")
    for end in ("/query", "/sparql"):
        if path.endswith(end):
            path = path[: -len(end)]
            break
    return _with_path(url, f"{path}/{leaf}")


def _graphdb(url: str, leaf: str) -> str:
    """GraphDB's layout: ``/repositories/REPO`` -> ``.../statements`` and ``.../rdf-graphs/service``."""
    path = urlsplit(url).path.rstrip("/")
    match = re.match(r"(.*?/repositories/[^/]+)", path)
    return _with_path(url, f"{match.group(1) if match else path}/{leaf}")


def _virtuoso(url: str, leaf: str, user: bool) -> str:
    """Virtuoso's layout: ``/sparql`` for queries; with a user, ``/sparql-auth`` and
    ``/sparql-graph-crud-auth`` (HTTP digest), else ``/sparql`` and ``/sparql-graph-crud``."""
    path = urlsplit(url).path
    base = re.sub(r"/sparql(-auth)?/?$", "", path)
    return _with_path(url, f"{base}/{leaf}{'-auth' if user else ''}")


@dataclass(frozen=True, slots=True)
class Profile:
    """What a product needs from a push: where updates and the Graph Store go, how to authenticate,
    and the swap's text (one update request, run as one transaction)."""

    name: str
    tested: bool  # exercised by the test suite against the real product
    update_url: Callable[[str, bool], str]  # (query URL, a user is given) -> URL
    store_url: Callable[[str, bool], str]
    auth: str = "basic"  # "basic" (sent with every request) or "digest" (answered to the store's challenge)
    swap_prologue: str = ""  # put before MOVE: what makes the store run it as one transaction
    #: a query, sent to the update URL before and after the swap, that makes what the store holds durable
    #: (None: every acknowledged update already is)
    checkpoint: str | None = None
    #: a flag added to the staging upload's URL: Oxigraph's `no_transaction` loads it with its bulk loader
    #: (3x faster than its transactional load; the staging graph needs no atomicity: its count is checked)
    bulk_upload: str | None = None
    #: the swap writes only the difference (one update: delete what the live graph has and the staging graph
    #: has not, insert the rest), and the staging graph is dropped after it, outside the swap; else one MOVE
    diff_swap: bool = False
    #: triples in each request of the staging upload, sent as N-Triples (the first a PUT, the rest POSTs), a blank
    #: node's triples never split; None: the file as it is, in one PUT
    upload_piece: int | None = None
    #: no staging graph: push reads the live graph, and one request (one transaction) writes only the difference,
    #: a POST to the Graph Store when it only adds, else one update of DELETE DATA and INSERT DATA of at most
    #: ``max_update_bytes`` (over it: the staging graph and ``swap``)
    difference: bool = False
    max_update_bytes: int = 0

    def swap(self, staging: str, live: str) -> str:
        if self.diff_swap:
            return (
                f"DELETE {{ GRAPH {live} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {live} {{ ?s ?p ?o }} "
                f"FILTER NOT EXISTS {{ GRAPH {staging} {{ ?s ?p ?o }} }} }} ;\n"
                f"INSERT {{ GRAPH {live} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {staging} {{ ?s ?p ?o }} "
                f"FILTER NOT EXISTS {{ GRAPH {live} {{ ?s ?p ?o }} }} }}"
            )
        return f"{self.swap_prologue}MOVE SILENT GRAPH {staging} TO GRAPH {live}"


PROFILES: Final[dict[formats.StoreProfile, Profile]] = {
    "generic": Profile("generic", True, lambda q, _: _sibling(q, "update"), lambda q, _: _sibling(q, "store")),
    "oxigraph": Profile(
        "oxigraph",
        True,
        lambda q, _: _sibling(q, "update"),
        lambda q, _: _sibling(q, "store"),
        # Oxigraph's writes in a transaction are its slow path: a transactional load of 144,089 triples took
        # 10 s where its bulk loader took 3 s, and deleting them (dropping a staging graph) 10 s more. So no
        # staging graph: push sends only the difference with the live graph, in one transaction; an unchanged
        # graph writes nothing (docs/remote-stores.md). A difference over the server's cap on a SPARQL body
        # (128 MiB in Oxigraph 0.5) goes the staging way: bulk-loaded, then one update of the difference.
        bulk_upload="no_transaction",
        diff_swap=True,
        difference=True,
        max_update_bytes=128 * 1024 * 1024,
    ),
    "virtuoso": Profile(
        "virtuoso",
        True,
        lambda q, user: _virtuoso(q, "sparql", user),
        lambda q, user: _virtuoso(q, "sparql-graph-crud", user),
        auth="digest",
        # The MOVE as one transaction that is not written to the transaction log: a Virtuoso killed after
        # a logged MOVE was acknowledged replayed it in part (6,590 of 6,641 triples, in the tests). Unlogged,
        # a crash before the next checkpoint loses the whole MOVE (the old graph), never part of it.
        swap_prologue="DEFINE sql:log-enable 0 ",
        # So a checkpoint before the MOVE makes the staged upload durable, and one after it makes the swap
        # durable before push says "pushed" (docs/remote-stores.md).
        checkpoint="SELECT (bif:exec('checkpoint') AS ?done) WHERE {}",
        # Its loader deadlocks on a large upload of IRIs new to it and may then drop part of the file silently
        # (1,027,269 of 1,425,507 triples kept, answered 201): the staging graph goes up in pieces it loads
        # whole (the 10,000-page graph as ten requests of 150,000: exact, 27 s; docs/remote-stores.md).
        upload_piece=150_000,
    ),
    "fuseki": Profile("fuseki", False, lambda q, _: _fuseki(q, "update"), lambda q, _: _fuseki(q, "data")),
    "graphdb": Profile(
        "graphdb", False, lambda q, _: _graphdb(q, "statements"), lambda q, _: _graphdb(q, "rdf-graphs/service")
    ),
}
#: the product a store names in its `Server` header -> its profile (`generic` asks: :func:`resolve`)
SERVER_PRODUCTS: Final[tuple[tuple[str, formats.StoreProfile], ...]] = (
    ("virtuoso", "virtuoso"),
    ("oxigraph", "oxigraph"),
    ("fuseki", "fuseki"),
    ("graphdb", "graphdb"),
)


def product(headers: Message | None) -> formats.StoreProfile | None:
    """The profile of the store that sent ``headers``, from its ``Server`` header (None: not known)."""
    server = (headers.get("Server", "") if headers is not None else "").lower()
    return next((name for word, name in SERVER_PRODUCTS if word in server), None)


def resolve(endpoint: Endpoint) -> Endpoint:
    """``generic`` made concrete: when an update or Graph Store URL must be derived, one small query
    asks the store which product it is (its ``Server`` header); a store that does not say keeps the
    generic layout (``.../update``, ``.../store``). Any other profile is returned as it is."""
    if endpoint.profile != "generic" or (endpoint.update and endpoint.store):
        return endpoint
    body = urlencode({"query": "ASK {}"}).encode("ascii")
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}
    _, answer, _ = request(endpoint, "POST", endpoint.query, body, headers)
    found = product(answer)
    if found is None and "/repositories/" in urlsplit(endpoint.query).path:
        found = "graphdb"
    if found is None:
        return endpoint
    log.info("%s says it is %s: using that store profile", endpoint.query, found)
    return dataclasses.replace(endpoint, profile=found)


# -- HTTP with typed failures and bounded retries -----------------------------------------------------


def _failure(status: int, url: str, body: str, attempts: int) -> RemoteError:
    detail = _first_text(body)
    if status == 400:
        return RemoteError(f"{url}: the store rejected the request as malformed (400): {detail}")
    if status in (401, 403) or "SR186:SECURITY" in body:  # Virtuoso refuses an update with a 500
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
            failure = StoreUnreachable if isinstance(reason, ConnectionRefusedError) else RemoteError  # never sent
            raise failure(f"{url}: cannot reach the store: {text}", hint="is the server running?") from None
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
    return send_authorised(endpoint, req)


def send_authorised(endpoint: Endpoint, req: urllib.request.Request) -> tuple[int, Message, bytes]:
    """:func:`send` with retries, answering an HTTP digest challenge (RFC 7616, MD5, ``qop=auth``) when
    the store asks for one and a user is given. With a digest profile, a request that carries a body
    is preceded by a bodiless one that fetches the challenge, so a large upload is sent once."""
    url = req.full_url
    if endpoint.user is None:
        return with_retries(endpoint, url, lambda: send(endpoint, req))
    digest = _DIGESTS.get(_digest_key(endpoint, url))
    if digest is None and endpoint.store_profile.auth == "digest" and req.data:
        probe = urllib.request.Request(url, method="GET")  # noqa: S310 - http(s) only
        digest = _challenge(endpoint, probe)
    if digest is not None:
        req.add_header("Authorization", digest.answer(endpoint, req))
    answer = with_retries(endpoint, url, lambda: _send_or_challenge(endpoint, req))
    if isinstance(answer, _Digest):  # the store asked for digest: answer its challenge, once
        req.add_header("Authorization", answer.answer(endpoint, req))
        return with_retries(endpoint, url, lambda: send(endpoint, req))
    return answer


@dataclass(slots=True)
class _Digest:
    """A store's digest challenge, reused (with a growing nonce count) until it stops answering to it."""

    realm: str
    nonce: str
    opaque: str | None
    qop: bool
    count: int = 0

    def answer(self, endpoint: Endpoint, req: urllib.request.Request) -> str:
        self.count += 1
        parts = urlsplit(req.full_url)
        uri = parts.path + (f"?{parts.query}" if parts.query else "")
        ha1 = _md5(f"{endpoint.user}:{self.realm}:{endpoint.password or ''}")
        ha2 = _md5(f"{req.get_method()}:{uri}")
        fields = {"username": endpoint.user, "realm": self.realm, "nonce": self.nonce, "uri": uri}
        if self.qop:
            cnonce, nc = os.urandom(8).hex(), f"{self.count:08x}"
            fields |= {"response": _md5(f"{ha1}:{self.nonce}:{nc}:{cnonce}:auth:{ha2}"), "cnonce": cnonce}
            text = ", ".join(f'{k}="{v}"' for k, v in fields.items()) + f", qop=auth, nc={nc}, algorithm=MD5"
        else:
            fields["response"] = _md5(f"{ha1}:{self.nonce}:{ha2}")
            text = ", ".join(f'{k}="{v}"' for k, v in fields.items()) + ", algorithm=MD5"
        return f"Digest {text}" + (f', opaque="{self.opaque}"' if self.opaque is not None else "")


_DIGESTS: dict[tuple[str, str], _Digest] = {}


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _digest_key(endpoint: Endpoint, url: str) -> tuple[str, str]:
    return urlsplit(url).netloc, str(endpoint.user)


def _parse_challenge(header: str) -> _Digest | None:
    if not header.lstrip().lower().startswith("digest "):
        return None
    fields = {k.lower(): v1 or v2 for k, v1, v2 in re.findall(r'(\w+)=(?:"([^"]*)"|([^\s,]*))', header)}
    algorithm = fields.get("algorithm", "MD5").upper()
    if "nonce" not in fields or algorithm != "MD5":
        return None
    qops = [q.strip() for q in fields.get("qop", "").split(",")]
    return _Digest(fields.get("realm", ""), fields["nonce"], fields.get("opaque"), "auth" in qops)


def _send_or_challenge(endpoint: Endpoint, req: urllib.request.Request) -> tuple[int, Message, bytes] | _Digest:
    """:func:`send`, or the store's new digest challenge when it answers 401 with one."""
    try:
        return send(endpoint, req)
    except urllib.error.HTTPError as exc:
        digest = _parse_challenge(exc.headers.get("WWW-Authenticate", "")) if exc.code == 401 else None
        if digest is None or ((req.get_header("Authorization") or "").startswith("Digest") and not _stale(exc)):
            raise
        _DIGESTS[_digest_key(endpoint, req.full_url)] = digest
        return digest


def _stale(exc: urllib.error.HTTPError) -> bool:
    return 'stale="true"' in (exc.headers.get("WWW-Authenticate", "") or "").lower().replace(" ", "")


def _challenge(endpoint: Endpoint, probe: urllib.request.Request) -> _Digest | None:
    """Fetch the store's digest challenge with a bodiless request (None: it asked for none)."""
    try:
        answer = with_retries(endpoint, probe.full_url, lambda: _send_or_challenge(endpoint, probe))
    except RemoteError:
        return None  # the real request reports whatever is wrong
    return answer if isinstance(answer, _Digest) else None


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
        # SPARQLWrapper builds the request (method, parameters, Accept); it is sent here, with our
        # authentication (basic, or digest when the store asks), so that the deadline and the size
        # cap hold while the answer is read.
        req = wrapper._createRequest()
        for name, value in self.endpoint.auth_header().items():
            req.add_header(name, value)
        _, headers, body = send_authorised(self.endpoint, req)
        table = _table((headers.get("Content-Type", ""), body), self.endpoint.query)
        _refuse_capped(headers, len(table.rows), self.endpoint.query)
        return table


def _refuse_capped(headers: Message, rows: int, url: str) -> None:
    """Virtuoso cuts every answer at its ``ResultSetMaxRows`` (10,000 in Debian's ini) and says so only in an
    ``X-SPARQL-MaxRows`` header: a cut answer is refused rather than passed on as if it were whole."""
    cap = headers.get("X-SPARQL-MaxRows", "").strip()
    if cap.isdigit() and rows >= int(cap):
        raise RemoteError(
            f"{url}: the store cut the answer at {plural(int(cap), 'row')} (X-SPARQL-MaxRows: its "
            "ResultSetMaxRows setting); the rows past it are missing",
            hint="raise [SPARQL] ResultSetMaxRows in virtuoso.ini, or ask for less (LIMIT)",
        )


def _table(result: tuple[str, bytes], url: str) -> Table:
    content_type, body = result
    text = body.decode("utf-8", "replace")
    if "json" not in content_type.lower():
        found = content_type.split(";")[0] or "no content type"
        raise RemoteError(f"{url}: expected SPARQL JSON results, found {found}: {_first_text(text)}")
    try:
        data = json.loads(text)
        columns = tuple(data["head"]["vars"])
        with _ill_typed_quietly():
            rows = tuple(
                tuple(_term(b[name]) if name in b else None for name in columns) for b in data["results"]["bindings"]
            )
    except (ValueError, KeyError, TypeError) as exc:
        raise RemoteError(f"{url}: expected SPARQL JSON results, found malformed JSON ({type(exc).__name__})") from None
    return Table(columns, rows)


class _IllTyped(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to convert Literal lexical form")


@contextlib.contextmanager
def _ill_typed_quietly() -> Iterator[None]:
    """A store's literal that is not valid for its datatype (Virtuoso's ``"12"^^xsd:duration``) is kept as
    it came; rdflib would log a warning with a traceback for each one, on the user's terminal."""
    rdflib_log = logging.getLogger("rdflib.term")
    quiet = _IllTyped()
    rdflib_log.addFilter(quiet)
    try:
        yield
    finally:
        rdflib_log.removeFilter(quiet)


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
    files: tuple[Path, ...] = ()  # what was sent: the graph file, then the files sent with it (its alignments)


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


XSD_DURATION: Final = "http://www.w3.org/2001/XMLSchema#duration"


def _durations(endpoint: Endpoint, graph_iri: str) -> list[str]:
    """The xsd:duration literals of a named graph as the store gives them back (sorted lexical forms)."""
    query = f"SELECT ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o FILTER(datatype(?o) = <{XSD_DURATION}>) }} }}"
    table = RemoteStore(endpoint, graph_iri=None).select(query, {"g": URIRef(graph_iri)})
    return sorted(str(row[0]) for row in table.rows)


def _checkpoint(endpoint: Endpoint) -> None:
    """The profile's checkpoint query, if it has one, on the update URL (it needs the updating user)."""
    text = endpoint.store_profile.checkpoint
    if text is not None:
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}
        request(endpoint, "POST", endpoint.update_url, urlencode({"query": text}).encode("ascii"), headers)


def _drop(endpoint: Endpoint, graph: URIRef) -> None:
    try:
        update(endpoint, f"DROP SILENT GRAPH {graph.n3()}")
    except RemoteError:
        log.info("could not drop the staging graph %s", graph)  # the next push replaces it anyway


def _durations_changed(
    endpoint: Endpoint, staging: URIRef, durations: list[str], kept: list[str], *, lossy: bool
) -> None:
    """The store gave back other xsd:duration literals than the file's: refuse (dropping the staging graph),
    or with ``lossy`` say so and go on."""
    changed = [value for value in durations if value not in kept]
    example = next((value for value in kept if value not in durations), "something else")
    first = changed[0] if changed else durations[0]
    if not lossy:
        _drop(endpoint, staging)
        raise RemoteError(
            f"{endpoint.store_url}: the store does not keep xsd:duration literals as sent ("
            f"{plural(len(changed), 'literal')} changed, {first!r} read back as {example!r}; "
            "Virtuoso 7.2 stores durations as numbers); live graph unchanged",
            hint="push to another store, or pass --lossy-durations to accept the change",
        )
    log.warning(
        "the store changed %s (%r read back as %r): pushed anyway (--lossy-durations)",
        plural(len(changed), "xsd:duration literal"),
        first,
        example,
    )


@dataclass(frozen=True, slots=True)
class Triples:
    """A graph file's distinct triples as push sends and compares them: one N-Triples line each (without the
    final ``" ."``), in the file's order. Triples with a blank node are kept apart, in groups that share blank
    nodes (a group is always sent in one request: a blank node's label means nothing outside its request)."""

    ground: dict[str, None]  # an ordered set
    blank: list[list[str]]
    durations: list[str]  # the xsd:duration literals' lexical forms, sorted

    @property
    def count(self) -> int:
        return len(self.ground) + sum(len(group) for group in self.blank)


def _blank_ids(triple: Any, blank: Any) -> list[str]:
    """The labels of the triple's blank nodes (``blank`` is pyoxigraph's BlankNode, imported by the caller)."""
    return [term.value for term in (triple.subject, triple.object) if type(term) is blank]


def read_triples(path: Path, extra: Sequence[Path] = ()) -> Triples:
    """The file's triples (Turtle or N-Triples; its syntax checked) as :class:`Triples`, with those of ``extra``
    (Turtle files sent with it: its alignments). Each extra file's blank nodes are renamed apart from the
    others' (``_:b0`` of two files is two nodes), as a local store loads them."""
    import pyoxigraph as ox  # noqa: PLC0415

    from rolegraph.graph.io import format_for, read_quads  # noqa: PLC0415

    fmt = format_for(path)
    if fmt.name == "jsonld":
        raise RemoteError(f"{path}: expected a Turtle or N-Triples file to push (JSON-LD is not sent)")
    ground: dict[str, None] = {}
    linked: dict[str, list[str]] = {}  # a triple with blank nodes -> their labels
    parent: dict[str, str] = {}  # union-find over blank node labels: the groups that must travel together

    def root(label: str) -> str:
        while (up := parent.setdefault(label, label)) != label:
            parent[label] = parent.setdefault(up, up)
            label = up
        return label

    durations = []
    for number, file in enumerate((path, *extra)):
        quads = read_quads(file, fmt if number == 0 else None)
        for triple in _triples_apart(quads, number, ox) if extra else (quad.triple for quad in quads):
            line = str(triple)
            if line in ground or line in linked:
                continue
            if isinstance(triple.object, ox.Literal) and triple.object.datatype.value == XSD_DURATION:
                durations.append(triple.object.value)
            labels = _blank_ids(triple, ox.BlankNode)
            if not labels:
                ground[line] = None
            else:
                linked[line] = labels
                for label in labels[1:]:
                    parent[root(label)] = root(labels[0])
    groups: dict[str, list[str]] = {}
    for line, labels in linked.items():
        groups.setdefault(root(labels[0]), []).append(line)
    return Triples(ground, list(groups.values()), sorted(durations))


def _triples_apart(quads: Iterable[Any], number: int, ox: Any) -> Iterator[Any]:
    """The quads' triples, each blank node renamed with the number of its file (0, 1, ...), so that no two
    files share one."""
    blank = ox.BlankNode
    for quad in quads:
        s, o = quad.subject, quad.object
        if type(s) is blank or type(o) is blank:
            s = blank(f"f{number}x{s.value}") if type(s) is blank else s
            o = blank(f"f{number}x{o.value}") if type(o) is blank else o
            yield ox.Triple(s, quad.predicate, o)
        else:
            yield quad.triple


def _ntriples(lines: Iterable[str]) -> bytes:
    return "".join(f"{line} .\n" for line in lines).encode("utf-8")


def pieces(triples: Triples, size: int) -> Iterator[bytes]:
    """The triples as N-Triples documents of at most ``size`` triples each (a group of triples sharing blank
    nodes is never split, so it may make a piece larger); at least one, empty for an empty graph."""
    piece: list[str] = []
    sent = False
    for unit in itertools.chain(triples.blank, ([line] for line in triples.ground)):
        if piece and len(piece) + len(unit) > size:
            yield _ntriples(piece)
            piece, sent = [], True
        piece.extend(unit)
    if piece or not sent:
        yield _ntriples(piece)


@dataclass(frozen=True, slots=True)
class Difference:
    """What one request must write so that the live graph holds exactly the file's triples."""

    added: list[str]  # N-Triples lines; the file's triples with blank nodes always among them
    removed: list[str]  # the live graph's ground triples the file has not
    blank_live: bool  # the live graph holds triples with blank nodes: they are all deleted (never compared)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.blank_live)


def read_difference(endpoint: Endpoint, graph_iri: str, triples: Triples) -> Difference:
    """Read the live graph (a Graph Store ``GET`` as N-Triples; nothing when it is empty) and compare."""
    import pyoxigraph as ox  # noqa: PLC0415

    remote: set[str] = set()
    blank_live = False
    if count_triples(endpoint, graph_iri):
        url = f"{endpoint.store_url}?{urlencode({'graph': graph_iri})}"
        size = sum(len(line) + 3 for line in triples.ground)  # the file's own size as N-Triples, about
        reader = dataclasses.replace(endpoint, max_bytes=max(endpoint.max_bytes, 4 * size))
        _, headers, body = request(reader, "GET", url, None, {"Accept": "application/n-triples"})
        blank = ox.BlankNode
        try:
            for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
                triple = quad.triple
                if type(triple.subject) is blank or type(triple.object) is blank:
                    blank_live = True
                else:
                    remote.add(str(triple))
        except (SyntaxError, ValueError) as exc:
            found = headers.get("Content-Type", "") or "no content type"
            raise RemoteError(
                f"{url}: expected the graph as N-Triples, found {found}: {_first_text(str(exc))}"
            ) from None
        del body
    added = [line for line in triples.ground if line not in remote]
    added += [line for group in triples.blank for line in group]
    removed = sorted(remote.difference(triples.ground))
    return Difference(added, removed, blank_live)


def difference_request(endpoint: Endpoint, graph_iri: str, diff: Difference) -> tuple[str, bytes, str] | None:
    """The one request (URL, body, content type; always a POST) that writes ``diff`` in one transaction: a
    Graph Store POST of the added triples when nothing goes, else one update (``DELETE DATA``, ``INSERT
    DATA``). None when the update is larger than the profile's ``max_update_bytes``."""
    if not diff.removed and not diff.blank_live:
        url = f"{endpoint.store_url}?{urlencode({'graph': graph_iri})}"
        return url, _ntriples(diff.added), "application/n-triples"
    graph = URIRef(graph_iri).n3()
    parts = []
    if diff.blank_live:
        parts.append(
            f"DELETE {{ GRAPH {graph} {{ ?s ?p ?o }} }} "
            f"WHERE {{ GRAPH {graph} {{ ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }} }}"
        )
    if diff.removed:
        parts.append(f"DELETE DATA {{ GRAPH {graph} {{\n{_ntriples(diff.removed).decode('utf-8')}}} }}")
    if diff.added:
        parts.append(f"INSERT DATA {{ GRAPH {graph} {{\n{_ntriples(diff.added).decode('utf-8')}}} }}")
    body = " ;\n".join(parts).encode("utf-8")
    if len(body) > endpoint.store_profile.max_update_bytes:
        return None
    return endpoint.update_url, body, "application/sparql-update"


def _before_swap(graph_iri: str) -> contextlib.AbstractContextManager[None]:
    """A failure here left the live graph as it was: the message says so."""
    return _reworded(
        "; the push stopped before the swap: the live graph <{graph}> is unchanged",
        "rerun `rolegraph push` when the store answers again",
        graph_iri,
    )


@contextlib.contextmanager
def _reworded(suffix: str, retry: str, graph_iri: str) -> Iterator[None]:
    try:
        yield
    except RemoteError as exc:
        raise RemoteError(exc.message + suffix.format(graph=graph_iri), hint=_then(exc.hint, retry)) from None


@contextlib.contextmanager
def _swapping(graph_iri: str) -> Iterator[None]:
    """A failure here may have come after the store applied the swap, unless the swap was never sent."""
    try:
        yield
    except StoreUnreachable:
        with _before_swap(graph_iri):
            raise
    except RemoteError as exc:
        raise RemoteError(
            f"{exc.message}; the swap into <{graph_iri}> may or may not have happened (a store applies an update "
            "whole or not at all)",
            hint=_then(exc.hint, "rerun `rolegraph push`: it replaces the live graph either way"),
        ) from None


def push(
    path: Path,
    endpoint: Endpoint,
    graph_iri: str = DEFAULT_GRAPH_IRI,
    *,
    lossy_durations: bool = False,
    extra: Sequence[Path] = (),
) -> PushResult:
    """Load ``path`` (Turtle or N-Triples) into ``graph_iri``: through a staging graph, then one swap; or, with a
    profile that writes the ``difference`` (Oxigraph), one request that writes only what changed.

    ``extra`` are Turtle files sent with it (the graph's ``alignments.ttl``, as a local store loads them):
    their union with ``path`` is what is written, so one swap replaces both and the count check counts both.

    Before a swap, the staged xsd:duration literals are read back: a store that does not keep them
    as sent (Virtuoso 7.2 turns ``"P1Y"`` into the number 12) is refused, unless ``lossy_durations``.
    """
    start = time.perf_counter()
    triples = read_triples(path, extra)
    expected = triples.count
    files = (path, *extra)
    with _before_swap(graph_iri):
        endpoint = resolve(endpoint)
    if endpoint.store_profile.difference:
        with _before_swap(graph_iri):
            diff = read_difference(endpoint, graph_iri, triples)
            sent = None if diff.empty else difference_request(endpoint, graph_iri, diff)
        if diff.empty:
            log.info("<%s> already holds these %s: nothing to write", graph_iri, plural(expected, "triple"))
        elif sent is not None:
            log.info(
                "writing the difference in one request: %s added, %s removed%s",
                plural(len(diff.added), "triple"),
                plural(len(diff.removed), "triple"),
                ", every triple with a blank node replaced" if diff.blank_live else "",
            )
            url, body, media = sent
            with _swapping(graph_iri):
                request(endpoint, "POST", url, body, {"Content-Type": media})
        if diff.empty or sent is not None:
            return _checked(endpoint, graph_iri, expected, start, files=files)
        limit = endpoint.store_profile.max_update_bytes
        log.info("the difference is over %s bytes: through a staging graph", f"{limit:,}")
    return _push_staged(files, endpoint, graph_iri, triples, start, lossy_durations=lossy_durations)


def _upload(endpoint: Endpoint, files: Sequence[Path], url: str, triples: Triples) -> Message:
    """The staging upload: the file in one PUT (with files sent beside it, their union as one N-Triples
    document), or (``upload_piece``) N-Triples pieces, a PUT then POSTs. Returns the first answer's headers."""
    from rolegraph.graph.io import format_for  # noqa: PLC0415

    size = endpoint.store_profile.upload_piece
    if size is None and len(files) == 1:
        path = files[0]
        _, answer, _ = request(endpoint, "PUT", url, path.read_bytes(), {"Content-Type": format_for(path).media_type})
        return answer
    pieced = size is not None  # else one N-Triples document: the union of the files
    size = size or max(1, triples.count)
    answers: list[Message] = []
    for number, body in enumerate(pieces(triples, size), start=1):
        if pieced:
            log.info("staging upload, piece %d (at most %s)", number, plural(size, "triple"))
        _, answer, _ = request(endpoint, "POST" if answers else "PUT", url, body, {"Content-Type": NTRIPLES})
        answers.append(answer)
    return answers[0]  # pieces() yields at least one


NTRIPLES: Final = "application/n-triples"


def _push_staged(
    files: Sequence[Path], endpoint: Endpoint, graph_iri: str, triples: Triples, start: float, *, lossy_durations: bool
) -> PushResult:
    expected, durations = triples.count, triples.durations
    live = URIRef(graph_iri)
    staging = URIRef(f"{graph_iri}/staging")
    with _before_swap(graph_iri):
        bulk = endpoint.store_profile.bulk_upload
        store_url = f"{endpoint.store_url}?{urlencode({'graph': str(staging)})}{f'&{bulk}' if bulk else ''}"
        answer = _upload(endpoint, files, store_url, triples)
        if endpoint.profile == "generic" and (found := product(answer)) is not None:
            endpoint = dataclasses.replace(endpoint, profile=found)  # its swap, its auth from here on
        loaded = count_triples(endpoint, str(staging))
        kept = _durations(endpoint, str(staging)) if durations and loaded == expected else durations
    if kept != durations:
        _durations_changed(endpoint, staging, durations, kept, lossy=lossy_durations)
    if loaded == expected:
        with _before_swap(graph_iri):
            _checkpoint(endpoint)
    if loaded != expected:
        _drop(endpoint, staging)
        raise RemoteError(
            f"{endpoint.store_url}: staging graph holds {plural(loaded, 'triple')}, expected {expected}; "
            "live graph unchanged",
            hint="retry the push",
        )
    with _swapping(graph_iri):
        update(endpoint, endpoint.store_profile.swap(staging.n3(), live.n3()))
    return _checked(endpoint, graph_iri, expected, start, staging=staging, files=files)


def _checked(
    endpoint: Endpoint,
    graph_iri: str,
    expected: int,
    start: float,
    *,
    staging: URIRef | None = None,
    files: Sequence[Path] = (),
) -> PushResult:
    """After the swap: the profile's checkpoint, the live graph's count (and, after a difference swap of a staging
    graph, its drop)."""
    with _reworded(
        "; the swap was done (the store accepted it): the live graph <{graph}> was replaced, but its triple "
        "count could not be checked",
        "rerun `rolegraph push` to check it",
        graph_iri,
    ):
        _checkpoint(endpoint)
        final = count_triples(endpoint, graph_iri)
    if staging is not None and endpoint.store_profile.diff_swap:
        _drop(endpoint, staging)  # the swap copied it: the live graph is whole whether this succeeds or not
    if final != expected:
        raise RemoteError(
            f"{endpoint.query}: the live graph <{graph_iri}> was replaced, but holds {plural(final, 'triple')} "
            f"after the swap, expected {expected}",
            hint="rerun `rolegraph push`",
        )
    return PushResult(graph_iri, expected, time.perf_counter() - start, tuple(files))
