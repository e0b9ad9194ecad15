"""Where user SPARQL runs on ``rolegraph serve``: a few threads of its own, with a time limit.

Pages run in Starlette's thread pool; a query typed into ``/sparql`` runs on a thread of its own
instead, at most ``max_queries`` at a time, so runaway queries can never take the threads pages
need. Oxigraph cannot stop a query midway (pyoxigraph 0.5 has no timeout or cancellation), so the
time limit is what the *client* sees: after ``timeout`` seconds it gets a 503, and the query's
thread is told to stop, which it does at its next row or chunk of output if it streams them.
A query that computes before it yields anything (``COUNT``, ``ORDER BY``, ``GROUP BY``) keeps
its thread and its slot until Oxigraph finishes; slots are released only then, so a full house
(429 with ``Retry-After``) is always the truth about the threads and cores in use.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import threading
from collections.abc import Callable
from typing import Final, TypeVar

from rolegraph.errors import QueryRefused as QueryRefused  # noqa: PLC0414 - re-exported: limits.QueryRefused is public

T = TypeVar("T")

DEFAULT_TIMEOUT: Final = 10.0
DEFAULT_MAX_QUERIES: Final = 4


class QuerySlots:
    """At most ``max_queries`` user queries running, each on its own thread, answered within ``timeout``."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, max_queries: int = DEFAULT_MAX_QUERIES) -> None:
        self.timeout = timeout
        self.max_queries = max_queries
        self._slots = threading.BoundedSemaphore(max_queries)

    async def run(self, job: Callable[[threading.Event], T]) -> T:
        """``job(cancel)`` on a new thread; ``cancel`` is set when the time limit has passed."""
        if not self._slots.acquire(blocking=False):
            raise QueryRefused(
                429,
                f"expected at most {self.max_queries} queries at a time, found that many running: try again later",
                {"Retry-After": str(math.ceil(self.timeout))},
            )
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        cancel = threading.Event()

        def work() -> None:
            # the slot is released once Oxigraph is done and before the answer is handed over: a client
            # that sends its next query as soon as it has read this answer must find the slot free
            try:
                result = job(cancel)
            except BaseException as exc:  # handed to the waiting request, raised there
                self._slots.release()
                _hand_over(loop, future, None, exc)
            else:
                self._slots.release()
                _hand_over(loop, future, result, None)

        try:
            threading.Thread(target=work, name="rolegraph-sparql").start()
        except BaseException:
            self._slots.release()
            raise
        try:
            return await asyncio.wait_for(future, self.timeout)  # on timeout, the future is cancelled
        except asyncio.CancelledError:  # the client left, or the server is stopping
            cancel.set()
            raise
        except TimeoutError:
            cancel.set()
            raise QueryRefused(
                503,
                f"expected a query that finishes within {self.timeout:g} s (the server's --query-timeout), "
                "found one still running: add a LIMIT, or narrow its patterns",
            ) from None


def _hand_over(
    loop: asyncio.AbstractEventLoop, future: asyncio.Future[T], result: T | None, exc: BaseException | None
) -> None:
    def settle() -> None:
        if future.done():  # cancelled: the request stopped waiting
            return
        if exc is not None:
            future.set_exception(exc)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    with contextlib.suppress(RuntimeError):  # the loop is closed: the server stopped, nobody is waiting
        loop.call_soon_threadsafe(settle)
