"""The ``rolegraph`` command line: parses arguments, calls :mod:`rolegraph.api`, prints.

Heavy modules are imported inside the commands so that ``rolegraph --help`` stays instant.

Exit codes: 0 success; 1 the graph does not conform to the shapes; 2 bad input (a page, a file,
a parameter or an option); 3 a remote store failed; 4 an internal error (a bug: please report it
with the output of ``--debug``).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from rolegraph import __version__
from rolegraph.errors import EXIT_BAD_INPUT, RolegraphError

EXIT_INTERNAL = 4
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Group(click.Group):
    """Maps every RolegraphError to one line on stderr and its exit code; --debug shows tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except RolegraphError as exc:
            if _debug(ctx):
                raise
            _print_error(exc)
            ctx.exit(exc.exit_code)
        except Exception as exc:
            if _debug(ctx):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug and report it)", err=True)
            ctx.exit(EXIT_INTERNAL)


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.obj and ctx.obj.get("debug"))


def _print_error(exc: RolegraphError) -> None:
    from rolegraph.api import PagesFailed  # noqa: PLC0415
    from rolegraph.errors import ValidationFailed  # noqa: PLC0415

    if isinstance(exc, PagesFailed):
        for error in exc.errors:
            click.echo(f"error: {error}", err=True)
    if isinstance(exc, ValidationFailed):
        click.echo(exc.report.text(), err=True)
    click.echo(f"error: {exc}", err=True)


@click.group(cls=_Group, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="rolegraph")
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, debug: bool) -> None:
    """rolegraph: a knowledge graph of job roles, skills and levels.

    Build the graph from canon profile pages (rolegraph build), validate RDF files against the
    shapes (rolegraph validate).

    Exit codes: 0 ok; 1 graph does not conform; 2 bad input; 3 remote store failed; 4 internal error.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    logging.basicConfig(level=logging.WARNING - 10 * min(verbose, 2), format="%(levelname)s %(name)s: %(message)s")


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("seeds", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o", "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("graph"),
    show_default=True, help="Folder for rolegraph.ttl and rolegraph.jsonld.",
)
@click.option("--keep-going", is_flag=True, help="Build the good pages when some fail; list the bad ones, exit 2.")
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation (not recommended for publishing).")
@click.option("--base", default=None, metavar="IRI", help="Base IRI for minted instances [https://w3id.org/rolegraph/id/].")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr [on when stderr is a terminal].")
def build(
    seeds: tuple[Path, ...],
    out_dir: Path,
    keep_going: bool,
    no_validate: bool,
    base: str | None,
    progress: bool | None,
) -> None:
    """Build the graph from canon profile pages (files or folders of *.txt; default: seeds/).

    Parses every page, merges them into one RDF graph, validates it with SHACL and writes
    OUT/rolegraph.ttl and OUT/rolegraph.jsonld (deterministic, written atomically).

    \b
    Exit codes:
      0  built, and the graph conforms
      1  the graph does not conform (report printed, nothing written)
      2  a page is bad (each error printed as path:line; nothing written unless --keep-going,
         which writes the good pages and still exits 2)
    """
    from rolegraph import api  # noqa: PLC0415
    from rolegraph.vocab import DEFAULT_BASE  # noqa: PLC0415

    inputs = list(seeds) or [api.DEFAULT_SEEDS]
    files = api.page_files(inputs)
    show = sys.stderr.isatty() if progress is None else progress
    with click.progressbar(length=len(files), label="parsing pages", file=sys.stderr, hidden=not show) as bar:
        summary = api.build(
            inputs,
            out_dir,
            keep_going=keep_going,
            validate=not no_validate,
            base=base or DEFAULT_BASE,
            on_page=lambda _path: bar.update(1),
        )
    for error in summary.bad_pages:
        click.echo(f"skipped: {error}", err=True)
    written = ", ".join(str(p) for p in summary.outputs)
    click.echo(f"wrote {written}")
    click.echo(summary.text())
    if summary.bad_pages:
        click.echo(f"error: {len(summary.bad_pages)} pages were skipped (see above)", err=True)
        sys.exit(EXIT_BAD_INPUT)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-f", "--format", "fmt", type=click.Choice(["turtle", "jsonld", "ntriples"]), default=None,
    help="Input format [from the file extension].",
)
def validate(file: Path, fmt: str | None) -> None:
    """Validate a Turtle, N-Triples or JSON-LD FILE against the rolegraph shapes.

    Remote JSON-LD contexts are never fetched. Exit codes: 0 conforms, 1 does not conform,
    2 the file cannot be read.
    """
    from rolegraph import api  # noqa: PLC0415
    from rolegraph.errors import EXIT_NONCONFORMING  # noqa: PLC0415

    report = api.validate_file(file, fmt)
    if report.conforms:
        click.echo(f"{file}: conforms")
        return
    click.echo(report.text())
    click.echo(f"{file}: does not conform ({len(report.findings)} results)", err=True)
    sys.exit(EXIT_NONCONFORMING)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="rolegraph")


if __name__ == "__main__":  # pragma: no cover
    main()
