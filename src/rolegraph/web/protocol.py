"""uvicorn's h11 protocol, answering an overlong request line with 414 (and overlong headers with 431).

h11 stops reading a request whose line and headers pass its limit; uvicorn then answers 400 and
closes the socket at once, while the client is still sending: the unread bytes make the kernel
reset the connection, and the client sees "connection reset" instead of any answer. Here the
answer says what was too long, and the rest of what the client sends is read and dropped (a
"lingering close", as Apache and nginx do) before the socket closes, so the answer arrives.
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus
from typing import Any, Final

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

MAX_REQUEST_HEAD: Final = 256 * 1024  # bytes of request line and headers: a GET query of ~100,000 characters fits
DRAIN_IDLE_SECONDS: Final = 1.0  # after an overlong request: close once the client has been quiet this long
DRAIN_MAX_BYTES: Final = 64 * 1024 * 1024  # ... or once this much more has been dropped


class BoundedH11Protocol(H11Protocol):
    """Use with ``uvicorn.Config(http=BoundedH11Protocol, h11_max_incomplete_event_size=MAX_REQUEST_HEAD)``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._drained = -1  # bytes dropped after an overlong request; -1 while not draining
        self._drain_timer: asyncio.TimerHandle | None = None

    def send_400_response(self, msg: str) -> None:
        head = bytes(getattr(self.conn, "_receive_buffer", b""))
        if len(head) <= MAX_REQUEST_HEAD:  # malformed, not too long: uvicorn's own 400
            super().send_400_response(msg)
            return
        if b"\n" in head[:MAX_REQUEST_HEAD]:
            status, text = 431, f"expected request headers of at most {MAX_REQUEST_HEAD:,} bytes"
        else:
            status, text = 414, f"expected a URL of at most {MAX_REQUEST_HEAD:,} bytes; send long queries by POST"
        self.logger.warning("refused a request: %s (%d)", text, status)
        reason = HTTPStatus(status).phrase.encode("ascii")
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]
        for event in (
            h11.Response(status_code=status, headers=headers, reason=reason),
            h11.Data(data=(text + "\n").encode("ascii")),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event) or b"")
        self._drained = 0
        self._rearm()

    def data_received(self, data: bytes) -> None:
        if self._drained < 0:
            super().data_received(data)
            return
        self._drained += len(data)
        if self._drained > DRAIN_MAX_BYTES:
            self.transport.close()
        else:
            self._rearm()

    def eof_received(self) -> None:
        if self._drained >= 0:  # the client has sent everything: the answer is on its way
            self.transport.close()
            return
        super().eof_received()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._drain_timer is not None:
            self._drain_timer.cancel()
        super().connection_lost(exc)

    def _rearm(self) -> None:
        if self._drain_timer is not None:
            self._drain_timer.cancel()
        self._drain_timer = self.loop.call_later(DRAIN_IDLE_SECONDS, self.transport.close)
