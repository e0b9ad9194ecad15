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
4     an internal error: a bug (``--debug`` shows the traceback)
130   interrupted (Ctrl-C, SIGINT: 128 + 2, as shells report it)
====  ==========================================================

Every error class lives here (a test walks ``src/`` to keep it so); the modules that raise them
re-export their own (``rolegraph.api.PagesFailed``, ``rolegraph.roles.catalogue.UnknownRole``, ...). Each
class states its ``exit_code``; each instance may carry a ``hint``, how to fix it, shown after the
message. The web server's answers (:class:`PageError`) are errors of the same family: they carry
an HTTP status besides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rolegraph.text import plural

if TYPE_CHECKING:
    from rolegraph.graph.validate import Report

EXIT_OK = 0
EXIT_NONCONFORMING = 1
EXIT_BAD_INPUT = 2
EXIT_REMOTE = 3
EXIT_INTERNAL = 4  # a bug: any exception that is not a RolegraphError (`cli.main`)
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

    exit_code = EXIT_BAD_INPUT

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

    exit_code = EXIT_BAD_INPUT


class PagesFailed(RolegraphError):
    """Some pages did not parse; each error names its file and line."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, errors: Sequence[SeedError], total: int) -> None:
        self.errors = tuple(errors)
        super().__init__(
            f"{len(errors)} of {plural(total, 'page')} failed to parse; nothing was written",
            hint="fix them, or pass --keep-going to build the good pages",
        )


class MappingsFailed(PagesFailed):
    """Rows of the curated mappings file beside the pages are bad; each error names its file and line."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, errors: Sequence[SeedError]) -> None:
        super().__init__(errors, len(errors))
        rows = plural(len(errors), "bad row")
        RolegraphError.__init__(
            self,
            f"the curated mappings have {rows}; nothing was written",
            hint="fix them, or pass --keep-going to build without them",
        )


class MergeConflictError(RolegraphError):
    """Two pages state different values for the same fact."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, what: str, first: str, first_at: str, second: str, second_at: str) -> None:
        self.first_at = first_at
        self.second_at = second_at
        super().__init__(
            f"{second_at}: {what} is {_short(second)!r} here but {_short(first)!r} at {first_at}",
            hint="make the pages agree",
        )


class GraphFileError(LocatedError):
    """An RDF file (Turtle, JSON-LD) that cannot be read."""

    exit_code = EXIT_BAD_INPUT


class FileAccessError(LocatedError):
    """A file or folder the operating system would not let rolegraph read or write.

    Permissions, a read-only or full disk (``ENOSPC``), a file-size limit (``EFBIG``), a path
    through a file (``ENOTDIR``): the user's environment, not a bug, so exit code 2 and one line.
    """

    exit_code = EXIT_BAD_INPUT


def os_reason(exc: OSError) -> str:
    """What the operating system said, in its words (``No space left on device``)."""
    return exc.strerror or str(exc) or type(exc).__name__


def os_failure(path: object, exc: OSError, expected: str) -> FileAccessError:
    """``path: expected a writable file, found No space left on device``."""
    return FileAccessError(str(path), 0, expected, os_reason(exc))


class QueryError(RolegraphError):
    """A query or its parameters cannot be run as asked."""

    exit_code = EXIT_BAD_INPUT


class UnknownRole(RolegraphError):
    """A role name that matches no role, or more than one."""

    exit_code = EXIT_BAD_INPUT


class ExportError(RolegraphError):
    """An export that cannot be written as asked."""

    exit_code = EXIT_BAD_INPUT


class DrawError(RolegraphError):
    """A picture that cannot be drawn as asked."""

    exit_code = EXIT_BAD_INPUT


class MissingExtra(RolegraphError, ImportError):
    """An optional part that needs a package not installed; the hint names the extra that brings it."""

    exit_code = EXIT_BAD_INPUT


class AlignUnavailable(RolegraphError):
    """``align`` without its optional extra (the embedding model and runtime): says what to install."""

    exit_code = EXIT_BAD_INPUT


class AlignError(LocatedError):
    """An alignment input (a gold-standard file, a subject) that cannot be used as asked."""

    exit_code = EXIT_BAD_INPUT


class RemoteError(RolegraphError):
    """A remote SPARQL store failed or refused."""

    exit_code = EXIT_REMOTE


class StoreUnreachable(RemoteError):
    """The store refused the connection: the request was never sent (so a push's swap did not happen)."""

    exit_code = EXIT_REMOTE


class ValidationFailed(RolegraphError):
    """The graph does not conform to the shapes; carries the readable report."""

    exit_code = EXIT_NONCONFORMING

    def __init__(self, message: str, report: Report) -> None:
        self.report = report
        super().__init__(message)


class PageError(RolegraphError):
    """A web answer other than 200, rendered as a page (or JSON) that says what to do next.

    ``status`` is the HTTP status; ``exit_code`` is 4 for a 500 (a bug), else 2.
    """

    exit_code = EXIT_BAD_INPUT

    def __init__(
        self,
        status: int,
        message: str,
        suggestions: tuple[tuple[str, str], ...] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.suggestions = suggestions  # (href, label)
        self.headers = dict(headers or {})
        if status == 500:
            self.exit_code = EXIT_INTERNAL


class QueryRefused(PageError):
    """A query ``rolegraph serve`` will not run now (429) or stopped waiting for (503)."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, message, headers=headers)


def _short(value: str, limit: int = 80) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
