"""The one family of errors rolegraph raises, and the exit code each maps to.

Every error a user can cause is a :class:`RolegraphError`. Its message is one line that names
where the problem is (``path:line``), what was expected and what was found, and, where it helps,
how to fix it. The CLI maps the class to an exit code in one place (``cli.main``):

====  ==========================================================
code  meaning
====  ==========================================================
0     success (and, for ``validate``, the graph conforms)
1     the graph does not conform to the shapes
2     bad input: a page, a file, a parameter or an option
3     a remote store failed (unreachable, refused, timed out)
4     an internal error: a bug (``cli.EXIT_INTERNAL``; ``--debug``)
130   interrupted (Ctrl-C, SIGINT: 128 + 2, as shells report it)
====  ==========================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rolegraph.validate import Report

EXIT_OK = 0
EXIT_NONCONFORMING = 1
EXIT_BAD_INPUT = 2
EXIT_REMOTE = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT; `rolegraph build` stops within a second or two, writing nothing


class RolegraphError(Exception):
    """Base class: a problem the user can fix, reported as one line."""

    exit_code: int = EXIT_BAD_INPUT

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message)

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class LocatedError(RolegraphError):
    """An error at a place in a file: rendered as ``path:line: expected ..., found ...``."""

    def __init__(
        self,
        path: str,
        line: int,
        expected: str,
        found: str | None = None,
        *,
        hint: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.expected = expected
        self.found = found
        where = f"{path}:{line}" if line > 0 else path
        message = f"{where}: expected {expected}"
        if found is not None:
            message += f", found {found}"
        super().__init__(message, hint=hint)


class SeedError(LocatedError):
    """A canon profile page that does not follow the source format."""


class MergeConflictError(RolegraphError):
    """Two pages state different values for the same fact."""

    def __init__(self, what: str, first: str, first_at: str, second: str, second_at: str) -> None:
        self.first_at = first_at
        self.second_at = second_at
        super().__init__(
            f"{second_at}: {what} is {_short(second)!r} here but {_short(first)!r} at {first_at}",
            hint="make the pages agree",
        )


class GraphFileError(LocatedError):
    """An RDF file (Turtle, JSON-LD) that cannot be read."""


class FileAccessError(LocatedError):
    """A file or folder the operating system would not let rolegraph read or write.

    Permissions, a read-only or full disk (``ENOSPC``), a file-size limit (``EFBIG``), a path
    through a file (``ENOTDIR``): the user's environment, not a bug, so exit code 2 and one line.
    """


def os_reason(exc: OSError) -> str:
    """What the operating system said, in its words (``No space left on device``)."""
    return exc.strerror or str(exc) or type(exc).__name__


def os_failure(path: object, exc: OSError, expected: str) -> FileAccessError:
    """``path: expected a writable file, found No space left on device``."""
    return FileAccessError(str(path), 0, expected, os_reason(exc))


class QueryError(RolegraphError):
    """A query or its parameters cannot be run as asked."""


class RemoteError(RolegraphError):
    """A remote SPARQL store failed or refused."""

    exit_code = EXIT_REMOTE


class ValidationFailed(RolegraphError):
    """The graph does not conform to the shapes; carries the readable report."""

    exit_code = EXIT_NONCONFORMING

    def __init__(self, message: str, report: Report) -> None:
        self.report = report
        super().__init__(message)


def _short(value: str, limit: int = 80) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
