"""Real servers the tests start on 127.0.0.1: an Oxigraph SPARQL server and a small fault injector."""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the `oxigraph` server is not installed: pip install -e '.[test]'")
    return found


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """Start `oxigraph serve` on a free port; yield its query URL; stop it."""
    with oxigraph_process(location) as (url, _):
        yield url


@contextmanager
def oxigraph_process(location: Path, port: int | None = None) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Like :func:`oxigraph_server`, also yielding the process (to kill it mid-request); ``port`` to restart."""
    port = port or free_port()
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    err = process.stderr.read().decode() if process.stderr else ""
                    raise RuntimeError(f"oxigraph did not start: {err}") from None
                time.sleep(0.1)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


class FaultHandler(BaseHTTPRequestHandler):
    """Answers by path: /429-then-ok, /503, /slow, /html, /401, /403, /400, /500, /ok, and (issue #12)
    /trickle (one byte every 0.5 s), /huge (64 MiB streamed), /huge-declared (announces 3 GB),
    /lots and /float (a count the client cannot read), /ok-then-503 (answers once, then 503), /capped
    (an answer cut at Virtuoso's ResultSetMaxRows, said only in its X-SPARQL-MaxRows header)."""

    calls: dict[str, int] = {}
    headers_seen: list[dict[str, str]] = []
    bodies: list[str] = []
    lock = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:
        return

    def _answer(self) -> None:
        path = self.path.split("?")[0]
        with self.lock:
            FaultHandler.calls[path] = FaultHandler.calls.get(path, 0) + 1
            FaultHandler.headers_seen.append(dict(self.headers.items()))
            count = FaultHandler.calls[path]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        with self.lock:
            FaultHandler.bodies.append(body + "&" + (self.path.split("?", 1)[1] if "?" in self.path else ""))
        ok = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]}})
        if path == "/429-then-ok" and count <= 2:
            self._send(429, "text/plain", "slow down", {"Retry-After": "0"})
        elif path in ("/429-then-ok", "/ok"):
            self._send(200, "application/sparql-results+json", ok)
        elif path in ("/lots", "/float"):
            value = "lots" if path == "/lots" else "1398.0"
            self._send(200, "application/sparql-results+json", ok.replace('"value": "1"', f'"value": "{value}"'))
        elif path == "/capped":  # Virtuoso's answer cut at its ResultSetMaxRows (here 1 row)
            self._send(200, "application/sparql-results+json", ok, {"X-SPARQL-MaxRows": "1"})
        elif path == "/ok-then-503":
            self._send(*((200, "application/sparql-results+json", ok) if count == 1 else (503, "text/plain", "down")))
        elif path == "/trickle":
            self._stream(b" " * 240, chunk=1, pause=0.5, length=240)  # 2 minutes, unless the client hangs up
        elif path in ("/huge", "/huge-declared"):
            declared = 3 * 1024**3 if path == "/huge-declared" else None
            self._stream(b" " * (64 * 1024**2), chunk=1024**2, pause=0.0, length=declared)
        elif path == "/503":
            self._send(503, "text/plain", "maintenance")
        elif path == "/slow":
            time.sleep(3)
            self._send(200, "application/sparql-results+json", ok)
        elif path == "/html":
            self._send(200, "text/html", "<html><body><h1>Login</h1><p>Please sign in</p></body></html>")
        elif path in ("/400", "/401", "/403", "/500"):
            self._send(int(path[1:]), "text/plain", f"status {path[1:]}: Parse error at line 1")
        else:
            self._send(404, "text/plain", "not found")

    def _send(self, status: int, content_type: str, body: str, headers: dict[str, str] | None = None) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, data: bytes, *, chunk: int, pause: float, length: int | None) -> None:
        """``data`` in pieces (bounded); stops when the client hangs up. Without ``length`` the body ends at close."""
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            for start in range(0, len(data), chunk):
                self.wfile.write(data[start : start + chunk])
                self.wfile.flush()
                time.sleep(pause)
        except OSError:
            return

    do_GET = _answer  # noqa: N815 - http.server dispatches on these names
    do_POST = _answer  # noqa: N815
    do_PUT = _answer  # noqa: N815


class QuietServer(ThreadingHTTPServer):
    """A client that gave up (a timeout test) makes the handler's write fail; say nothing, because
    socketserver would print a traceback into whatever stderr a later CliRunner is capturing."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        return


@contextmanager
def fault_server() -> Iterator[str]:
    """A local HTTP server that misbehaves on purpose; yields its base URL."""
    FaultHandler.calls = {}
    FaultHandler.headers_seen = []
    FaultHandler.bodies = []
    server = QuietServer(("127.0.0.1", 0), FaultHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def rolegraph_binary() -> str:
    found = shutil.which("rolegraph", path=str(Path(sys.executable).parent)) or shutil.which("rolegraph")
    if found is None:
        raise RuntimeError("the `rolegraph` console script is not installed: pip install -e '.[test]'")
    return found


@dataclass
class Served:
    """A running `rolegraph serve`: its URL, process, and the files its stdout and stderr go to."""

    url: str
    process: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path

    def output(self) -> tuple[str, str]:
        return self.stdout.read_text(encoding="utf-8"), self.stderr.read_text(encoding="utf-8")


@contextmanager
def rolegraph_serve(graph: Path, logs: Path, *extra: str) -> Iterator[Served]:
    """`rolegraph serve --port 0` (the installed console script) on ``graph``, logging into ``logs``.

    The URL is read from the line the server prints once its socket listens (output goes to files,
    so a chatty server never blocks on a full pipe). On exit the server gets SIGINT, as from Ctrl-C.
    """
    logs.mkdir(parents=True, exist_ok=True)
    out, err = logs / "stdout.txt", logs / "stderr.txt"
    with out.open("wb") as out_file, err.open("wb") as err_file:
        process = subprocess.Popen(
            [rolegraph_binary(), "serve", "--graph", str(graph), "--port", "0", *extra],
            stdout=out_file,
            stderr=err_file,
        )
    try:
        deadline = time.monotonic() + 60
        while (match := re.search(r"at (http://\S+/) ", out.read_text(encoding="utf-8"))) is None:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"rolegraph serve did not start: {out.read_text()} {err.read_text()}")
            time.sleep(0.05)
        yield Served(match.group(1), process, out, err)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# -- OpenLink Virtuoso (Debian's virtuoso-opensource): a second real store -------------------------------------


def virtuoso_binary() -> str | None:
    return shutil.which("virtuoso-t")


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 60

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
MaxClientConnections = 4

[SPARQL]
; Debian's ini caps every answer at 10,000 rows, silently (docs/remote-stores.md)
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 300
"""


class Virtuoso:
    """`virtuoso-t` in the foreground on two free ports (SQL and HTTP) with its database in ``folder``.

    The first start creates the database (half a minute) and sets the ``dba`` password, with Virtuoso's own
    `isql-vt`; :meth:`kill` and :meth:`start` restart it on the same ports and database, as after a crash.
    """

    user = "dba"

    def __init__(self, folder: Path, password: str) -> None:
        self.folder = folder
        self.password = password
        self.sql_port = free_port()
        self.http_port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        (folder / "virtuoso.ini").write_text(
            VIRTUOSO_INI.format(dir=folder, sql_port=self.sql_port, http_port=self.http_port), encoding="utf-8"
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def start(self) -> None:
        binary = virtuoso_binary()
        assert binary is not None
        fresh = not (self.folder / "virtuoso.db").exists()
        with (self.folder / "stdout.txt").open("ab") as out:
            self.process = subprocess.Popen(
                [binary, "-c", str(self.folder / "virtuoso.ini"), "+foreground"],
                cwd=self.folder,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}?query=ASK%7B%7D", timeout=2):
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    log = (self.folder / "stdout.txt").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"virtuoso did not start: {log}") from None
                time.sleep(0.2)
        if fresh:
            isql = shutil.which("isql-vt") or "isql-vt"
            sql = f"USER_SET_PASSWORD('dba', '{self.password}');"
            subprocess.run(
                [isql, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={sql}"],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=60,
            )

    def kill(self) -> None:
        """SIGKILL, as a crash: nothing is flushed or checkpointed."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def reset(self) -> None:
        """A new, empty database on the same ports (after Virtuoso failed to recover its own)."""
        self.kill()
        for path in self.folder.iterdir():
            if path.name not in {"virtuoso.ini", "stdout.txt"}:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        self.start()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def virtuoso_server(folder: Path, password: str) -> Iterator[Virtuoso]:
    server = Virtuoso(folder, password)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class Oxigraph:
    """`oxigraph serve` on a free port with its store in ``folder``; :meth:`kill` and :meth:`start` as for Virtuoso."""

    user = None
    password = None

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self._running: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    @property
    def process(self) -> subprocess.Popen[bytes]:
        process: subprocess.Popen[bytes] = self._running[1]
        return process

    def start(self) -> None:
        self._context = oxigraph_process(self.folder, self.port)
        self._running = self._context.__enter__()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self.stop()

    def stop(self) -> None:
        if self._running is not None:
            self._running = None
            self._context.__exit__(None, None, None)
