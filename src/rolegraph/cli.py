"""The ``rolegraph`` command line: parses arguments, calls :mod:`rolegraph.api`, prints.

Heavy modules are imported inside the commands so that ``rolegraph --help`` stays instant.

Exit codes: 0 success; 1 the graph does not conform to the shapes; 2 bad input (a page, a file,
a parameter or an option); 3 a remote store failed; 4 an internal error (a bug: please report it
with the output of ``--debug``); 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import textwrap
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from rolegraph import __version__, formats
from rolegraph.errors import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, RolegraphError
from rolegraph.text import plural

EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what shells report for `yes | head`
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Group(click.Group):
    """Maps every RolegraphError to one line on stderr and its exit code; --debug shows tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            # the reader went away (`rolegraph query ... | head`): stop quietly, as `cat` does
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(EXIT_BROKEN_PIPE)
        except RolegraphError as exc:
            if _debug(ctx):
                raise
            _print_error(exc)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            # Ctrl-C: not "does not conform" (1, click's default); a build leaves the old outputs in place
            click.echo("interrupted (Ctrl-C)", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except OSError as exc:  # a full disk, a read-only folder, a file-size limit: the user's environment
            if _debug(ctx):
                raise
            click.echo(f"error: {_os_error_text(exc)}", err=True)
            _drain_stdout()
            ctx.exit(EXIT_BAD_INPUT)
        except MemoryError:
            if _debug(ctx):
                raise
            click.echo("error: out of memory (a bigger graph than this machine or its ulimit -v allows)", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except Exception as exc:
            if _debug(ctx):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug and report it)", err=True)
            ctx.exit(EXIT_INTERNAL)


def _os_error_text(exc: OSError) -> str:
    from rolegraph.errors import os_reason  # noqa: PLC0415

    where = exc.filename if exc.filename is not None else "the output"
    return f"{where}: {os_reason(exc)}"


def _drain_stdout() -> OSError | None:
    """Flush stdout; when that fails (``> /dev/full``), point it at /dev/null so exit is quiet."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as exc:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return exc
    return None


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
@click.option(
    "--no-cache",
    is_flag=True,
    help="Neither read nor write the on-disk cache: load graphs in memory, build every page afresh "
    "(also ROLEGRAPH_NO_CACHE=1).",
)
@click.pass_context
def cli(ctx: click.Context, verbose: int, debug: bool, no_cache: bool) -> None:
    """rolegraph: a knowledge graph of job roles, skills and levels.

    Build the graph from canon profile pages (build), check RDF files against the shapes
    (validate), ask it questions with SPARQL (queries, query), load it into a SPARQL store
    (push), navigate roles by structure, skills and text (distance, nearest, path, compare, move),
    align them with ESCO, ISCO-08 and O*NET (align), export it for other tools (export), see what
    changed between builds (diff), picture it (draw), and browse it all in a web browser (serve).
    Roles are named by code, title or alias. A graph file is loaded once into an on-disk cache
    that later commands open in milliseconds (cache).

    Exit codes: 0 ok; 1 graph does not conform; 2 bad input; 3 remote store failed; 4 internal error;
    130 interrupted (Ctrl-C).
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    ctx.obj["cache"] = False if no_cache else None  # None: unless ROLEGRAPH_NO_CACHE is set
    logging.basicConfig(level=logging.WARNING - 10 * min(verbose, 2), format="%(levelname)s %(name)s: %(message)s")


def shacl_engine_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--shacl-engine",
        type=click.Choice(formats.SHACL_ENGINES),
        default=formats.DEFAULT_SHACL_ENGINE,
        show_default=True,
        help="SHACL validator: pyshacl-turbo (fast) or pySHACL (the reference); both report the same results.",
    )(f)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("seeds", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=formats.DEFAULT_OUT,
    show_default=True,
    help="Folder for " + ", ".join(formats.published_files()[:-1]) + f" and {formats.published_files()[-1]}.",
)
@click.option("--keep-going", is_flag=True, help="Build the good pages when some fail; list the bad ones, exit 2.")
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation (not recommended for publishing).")
@click.option(
    "--base", default=None, metavar="IRI", help="Base IRI for minted instances [https://w3id.org/rolegraph/id/]."
)
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr [on when stderr is a terminal].")
@shacl_engine_option
def build(
    seeds: tuple[Path, ...],
    out_dir: Path,
    keep_going: bool,
    no_validate: bool,
    base: str | None,
    progress: bool | None,
    shacl_engine: str,
) -> None:
    """Build the graph from canon profile pages (files or folders of *.txt; default: seeds/).

    Parses every page, merges them into one RDF graph, validates it with SHACL and writes
    OUT/rolegraph.ttl and OUT/rolegraph.jsonld (deterministic, written atomically), and the
    dataset description OUT/void.ttl (VoID/DCAT; dcterms:created only from $SOURCE_DATE_EPOCH).

    \b
    Exit codes:
      0  built, and the graph conforms
      1  the graph does not conform (report printed, nothing written)
      2  a page is bad (each error printed as path:line; nothing written unless --keep-going,
         which writes the good pages and still exits 2)
      130  interrupted (Ctrl-C; the outputs of the previous build stay as they were)
    """
    from rolegraph import api  # noqa: PLC0415

    inputs = list(seeds) or [api.DEFAULT_SEEDS]
    files = api.page_files(inputs)
    show = sys.stderr.isatty() if progress is None else progress
    with click.progressbar(length=len(files), label="parsing pages", file=sys.stderr, hidden=not show) as bar:
        summary = api.build(
            inputs,
            out_dir,
            keep_going=keep_going,
            validate=not no_validate,
            base=base or api.DEFAULT_BASE,
            on_page=lambda _path: bar.update(1),
            shacl_engine="pyshacl" if shacl_engine == "pyshacl" else "turbo",
            files=files,
            cache=_cache_choice(),
        )
    for warning in summary.warnings:
        click.echo(f"warning: {warning}", err=True)
    for error in summary.bad_pages:
        click.echo(f"skipped: {error}", err=True)
    written = ", ".join(str(p) for p in summary.outputs)
    click.echo(f"wrote {written}")
    click.echo(summary.text())
    if summary.bad_pages:
        skipped = len(summary.bad_pages)
        click.echo(
            f"error: {plural(skipped, 'page')} {'was' if skipped == 1 else 'were'} skipped (see above)", err=True
        )
        sys.exit(EXIT_BAD_INPUT)


_ANSWER_HELP = "Output: text, or json (one document, for jq and pandas; its shape is in docs/json.md)."


def output_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``-f/--format text|json`` (``formats.ANSWER_OUTPUTS``), spelled as on ``query`` and ``diff``."""
    return click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(list(formats.ANSWER_OUTPUTS)),
        default="text",
        show_default=True,
        help=_ANSWER_HELP,
    )(f)


def _print_json(value: object) -> None:
    from rolegraph.api import to_json  # noqa: PLC0415

    click.echo(to_json(value), nl=False)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-f",
    "--format",
    "fmt",
    # an RDF syntax here is the old spelling of --syntax: still read, with a warning
    type=click.Choice([*formats.ANSWER_OUTPUTS, *formats.RDF_SYNTAXES]),
    metavar="[" + "|".join(formats.ANSWER_OUTPUTS) + "]",
    default="text",
    show_default=True,
    help=_ANSWER_HELP,
)
@click.option(
    "--syntax",
    type=click.Choice(list(formats.RDF_SYNTAXES)),
    default=None,
    help="Input syntax [from the file extension].",
)
@shacl_engine_option
def validate(file: Path, fmt: str, syntax: str | None, shacl_engine: str) -> None:
    """Validate a Turtle, N-Triples or JSON-LD FILE against the rolegraph shapes.

    Remote JSON-LD contexts are never fetched. Exit codes: 0 conforms, 1 does not conform
    (with -f json too, after the document), 2 the file cannot be read.
    """
    from rolegraph import api  # noqa: PLC0415
    from rolegraph.errors import EXIT_NONCONFORMING  # noqa: PLC0415

    if fmt in formats.RDF_SYNTAXES:
        click.echo(
            f"warning: validate -f {fmt} is deprecated and goes in the next release; use --syntax {fmt}", err=True
        )
        syntax, fmt = syntax or fmt, "text"
    report = api.validate_file(file, syntax, "pyshacl" if shacl_engine == "pyshacl" else "turbo")
    if fmt == "json":
        _print_json({"file": str(file), **report.record()})
    elif report.conforms:
        click.echo(f"{file}: conforms")
    else:
        click.echo(report.text())
    if report.conforms:
        return
    count = len(report.findings)
    click.echo(f"{file}: does not conform ({plural(count, 'result')})", err=True)
    sys.exit(EXIT_NONCONFORMING)


# -- asking the graph ---------------------------------------------------------------------------


_GRAPH_HELP = f"Graph to read (Turtle or JSON-LD) [{formats.DEFAULT_GRAPH.as_posix()}]."


def graph_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--graph", "graph", type=click.Path(path_type=Path, dir_okay=False), default=None, help=_GRAPH_HELP
    )(f)


def distance_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option(
        "--set",
        "settings",
        multiple=True,
        metavar="NAME=VALUE",
        help="Change a distance weight or band threshold (level_step, focus_step, function_step, track_switch, "
        "m_offset, scale, strong, partial; the blend's w_structure, w_skills, w_text, w_level, blend_strong, "
        "blend_partial, level_span, jump_penalty); repeatable.",
    )(f)
    return graph_option(f)


_BYS = ("structure", "skills", "text", "blend")  # api.BYS, spelled here so `--help` imports nothing


def by_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--by structure|skills|text|blend`` (docs/distance.md): what the distance measures."""
    return click.option(
        "--by",
        "by",
        type=click.Choice(list(_BYS)),
        default=None,
        help="What the distance measures [blend: structure, skills and level, and text when the align extra is "
        "installed]; structure = where the roles sit alone.",
    )(f)


def _parts(components: Sequence[Any]) -> str:
    """A distance's components in one line: ``structure 0.20, skills 0.88, level 0.25``."""
    return ", ".join(f"{c.name} {c.value:.2f}" for c in components)


def _session(graph: Path | None, settings: Sequence[str] = ()) -> Any:
    from rolegraph.api import DistanceConfig, Session  # noqa: PLC0415

    return Session.open(graph, DistanceConfig().with_settings(settings), cache=_cache_choice())


def _cache_choice() -> bool | None:
    """False under ``--no-cache``; None (the cache unless ROLEGRAPH_NO_CACHE is set) otherwise."""
    obj = click.get_current_context().find_root().obj
    return obj.get("cache") if isinstance(obj, dict) else None


@cli.command(context_settings=CONTEXT_SETTINGS)
@output_option
def queries(fmt: str) -> None:
    """List the shipped SPARQL queries (queries/*.rq) with their parameters."""
    import textwrap  # noqa: PLC0415

    from rolegraph.api import library  # noqa: PLC0415

    if fmt == "json":
        _print_json([spec.record() for spec in library().values()])
        return
    for spec in library().values():
        click.echo(textwrap.fill(f"{spec.name}: {spec.description}", width=100, subsequent_indent="    "))
        for param in spec.params:
            click.echo(
                f"    --param {param.name}=...  {param.type}{' (optional)' if param.optional else ''}: {param.doc}"
            )
        if spec.example:
            click.echo(f"    e.g. {spec.example}")


def remote_options(f: Callable[..., Any], *, writes: bool = True) -> Callable[..., Any]:
    """Options shared by every command that talks to a remote SPARQL store (``writes``: it loads graphs too)."""
    options = [
        click.option(
            "--update-endpoint", metavar="URL", help="SPARQL Update URL [from --store: Oxigraph's .../update]."
        ),
        click.option(
            "--store-endpoint", metavar="URL", help="Graph Store Protocol URL [from --store: Oxigraph's .../store]."
        ),
        click.option(
            "--store",
            "store_profile",
            type=click.Choice(formats.STORE_PROFILES),
            default="generic",
            show_default=True,
            help="The store's product: its endpoint paths, authentication and swap (docs/remote-stores.md);"
            " generic asks the store.",
        ),
        click.option("--user", envvar="ROLEGRAPH_USER", help="User, for basic or digest auth [$ROLEGRAPH_USER]."),
        click.option(
            "--password",
            envvar="ROLEGRAPH_PASSWORD",
            help="Password [$ROLEGRAPH_PASSWORD; never printed].",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0.1),
            default=None,
            help="Seconds for each request to the store, from connecting to the last byte of its answer [30];"
            " `query` on the local graph: its time limit [none].",
        ),
        click.option(
            "--max-response",
            type=click.IntRange(min=1),
            default=256,
            show_default=True,
            metavar="MB",
            help="Largest answer to read from the store, in MiB; a bigger one stops with exit code 3.",
        ),
        click.option(
            "--server-timeout",
            type=click.FloatRange(min=0.1),
            default=None,
            help="Ask the store to stop a query after this many seconds (its `timeout` parameter: Fuseki, GraphDB).",
        ),
        click.option(
            "--retries",
            type=click.IntRange(min=0, max=10),
            default=3,
            show_default=True,
            help="Retries on 429 and 503, with exponential backoff.",
        ),
    ]
    if not writes:
        options = options[2:]  # --update-endpoint, --store-endpoint: only for commands that load graphs
    for option in reversed(options):
        f = option(f)
    return f


_DEPRECATED_GRAPH_IRI = "rolegraph.push.graph"


def _deprecated_graph_iri(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """``push --graph IRI``, the old name of --named-graph: works for one more release, with a warning."""
    if value is not None:
        click.echo(
            "warning: push --graph IRI is deprecated and goes in the next release; use --named-graph IRI", err=True
        )
        ctx.meta[_DEPRECATED_GRAPH_IRI] = value


def _named_graph(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """--named-graph, else the deprecated --graph (read first: it is eager), else None (the default graph)."""
    return value if value is not None else ctx.meta.get(_DEPRECATED_GRAPH_IRI)


def _endpoint(url: str, kw: dict[str, Any]) -> Any:
    from rolegraph.api import Endpoint  # noqa: PLC0415

    return Endpoint(
        query=url,
        update=kw.get("update_endpoint"),
        store=kw.get("store_endpoint"),
        user=kw.get("user"),
        password=kw.get("password"),
        timeout=kw.get("timeout") or 30.0,
        max_bytes=kw.get("max_response", 256) * 1024 * 1024,
        server_timeout=kw.get("server_timeout"),
        retries=kw.get("retries", 3),
        profile=kw.get("store_profile", "generic"),
    )


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False), default=formats.DEFAULT_GRAPH)
@click.option(
    "--endpoint", required=True, metavar="URL", help="The store's SPARQL query URL (Oxigraph: http://host:7878/query)."
)
@click.option(
    "--named-graph",
    "graph_iri",
    metavar="IRI",
    default=None,
    callback=_named_graph,
    help=f"Named graph to replace [{formats.DEFAULT_GRAPH_IRI}].",
)
@click.option(
    "--graph",
    "deprecated_graph_iri",
    metavar="IRI",
    hidden=True,
    expose_value=False,
    is_eager=True,  # read before --named-graph, which takes it when not given itself
    callback=_deprecated_graph_iri,
)
@click.option(
    "--lossy-durations",
    is_flag=True,
    help="Push even when the store changes xsd:duration literals (Virtuoso 7.2 keeps them as numbers).",
)
@remote_options
def push(file: Path, endpoint: str, graph_iri: str | None, lossy_durations: bool, **kw: Any) -> None:
    """Load FILE (default graph/rolegraph.ttl) into a named graph of a SPARQL 1.1 store.

    The graph's alignments (alignments.ttl beside FILE, from `rolegraph align --write`) go with
    it when they exist, as local commands load them: the store answers queries as they do.
    The file goes into a staging graph (Graph Store Protocol PUT; on Virtuoso in pieces), its
    triple count and its xsd:duration literals are checked, then one update swaps it in; on
    Oxigraph, push reads the live graph and one request writes only the difference. Either way a
    failed push never leaves the live graph half-replaced. --store names the product (endpoint
    paths, auth, swap). Exit code 3 when the store fails; the message says whether the live graph
    was replaced.
    """
    from rolegraph import api  # noqa: PLC0415

    result = api.push(file, _endpoint(endpoint, kw), graph_iri, lossy_durations=lossy_durations)
    triples = plural(result.triples, "triple")
    sent = f" (with {', '.join(map(str, result.files[1:]))})" if result.files[1:] else ""
    click.echo(f"pushed {triples} into <{result.graph_iri}> at {endpoint} in {result.seconds:.2f} s{sent}")


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("name", required=False)
@click.option("--file", "file", type=click.Path(path_type=Path, dir_okay=False), help="Run your own .rq file instead.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter; repeatable.")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(list(formats.QUERY_OUTPUTS)),
    default=None,
    help="Output format [table on a terminal, json when piped].",
)
@click.option("--allow-network", is_flag=True, help="Allow SERVICE and FROM <url> in local evaluation.")
@click.option(
    "--engine",
    type=click.Choice(formats.QUERY_ENGINES),
    default=formats.DEFAULT_QUERY_ENGINE,
    show_default=True,
    help="Local SPARQL engine.",
)
@graph_option
@click.option("--endpoint", metavar="URL", default=None, help="Query a remote SPARQL store instead (its query URL).")
@click.option(
    "--named-graph",
    metavar="IRI",
    default=None,
    help=f"With --endpoint: the graph to query [{formats.DEFAULT_GRAPH_IRI}, where push loads].",
)
@functools.partial(remote_options, writes=False)  # a query never writes: no update or Graph Store URL
def query(
    name: str | None,
    file: Path | None,
    params: tuple[str, ...],
    fmt: str | None,
    allow_network: bool,
    engine: str,
    graph: Path | None,
    endpoint: str | None,
    named_graph: str | None,
    **kw: Any,
) -> None:
    """Run a shipped query by NAME (see `rolegraph queries`) or your own with --file.

    Parameters are bound to the query, never pasted into it. Local evaluation makes no network
    request: SERVICE, FROM <url> and LOAD are refused unless you pass --allow-network. With
    --endpoint the same query and parameters run on a remote SPARQL 1.1 store (exit code 3 when
    the store fails). A local query has no time limit unless --timeout gives one: past it the
    command prints one line and exits with 2 at once (Oxigraph cannot stop a query midway).

    \b
    Example:
      rolegraph query role-skills --param code=DATASC.AIMACHIN97C0.P7
    """
    from rolegraph import api  # noqa: PLC0415
    from rolegraph.api import Session  # noqa: PLC0415
    from rolegraph.errors import QueryError  # noqa: PLC0415

    if (name is None) == (file is None):
        raise QueryError("expected a query NAME or --file FILE (one of the two)", hint="see `rolegraph queries`")
    # every check of the arguments before the graph is read (a 10,000-page graph takes seconds to load)
    spec, raw = api.prepare_query(name, file, params, local=endpoint is None, allow_network=allow_network)
    if endpoint is not None:
        session = Session.remote(_endpoint(endpoint, kw), named_graph)
    else:
        session = Session.open(graph, engine="rdflib" if engine == "rdflib" else "oxigraph", cache=_cache_choice())

    def run() -> Any:
        return session.query(spec, raw, allow_network=allow_network)

    table = run() if endpoint is not None or kw.get("timeout") is None else _within(kw["timeout"], run)
    chosen = fmt or ("table" if sys.stdout.isatty() else "json")
    click.echo(api.render_table(table, chosen), nl=False)


def _within(seconds: float, run: Callable[[], Any]) -> Any:
    """``run()`` on a worker thread; past ``seconds``, one line and exit 2 without waiting for it."""
    import threading  # noqa: PLC0415

    outcome: list[Any] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            outcome.append(run())
        except BaseException as exc:  # raised again on the main thread
            failure.append(exc)

    worker = threading.Thread(target=work, name="rolegraph-query", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        click.echo(f"error: the query ran longer than --timeout {seconds:g} s; stopped", err=True)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(EXIT_BAD_INPUT)  # the worker cannot be stopped; the store is read-only, nothing is lost
    if failure:
        raise failure[0]
    return outcome[0]


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("a")
@click.argument("b")
@click.option("--explain", is_flag=True, help="Show the components of the distance.")
@by_option
@output_option
@distance_options
def distance(
    a: str, b: str, explain: bool, by: str | None, fmt: str, settings: tuple[str, ...], graph: Path | None
) -> None:
    """The distance (0 -> 1) and match band between roles A and B (code, title or alias)."""
    session = _session(graph, settings)
    d = session.distance(a, b, by=by)
    if fmt == "json":  # the components are always in it: --explain changes nothing
        _print_json(d.record())
        return
    click.echo(f"{d.a} -> {d.b}: d = {d.d:.3f} ({d.band})")
    if not explain and len(d.components) > 1:
        click.echo(
            "  " + "; ".join(f"{c.name} {c.value:.3f} x {c.weight:.2f} = {c.contribution:.3f}" for c in d.components)
        )
    if explain:
        for line in d.explain(session.config):
            click.echo(f"  {line}")


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("a")
@click.option("-k", "k", type=click.IntRange(min=1), default=10, show_default=True, help="How many roles.")
@click.option(
    "--band",
    type=click.Choice(["strong", "partial", "weak"]),
    default=None,
    help="Only roles in this band or a closer one.",
)
@click.option(
    "--within", type=click.Choice(["function", "focus"]), default=None, help="Only roles in A's function or focus."
)
@by_option
@output_option
@distance_options
def nearest(
    a: str,
    k: int,
    band: str | None,
    within: str | None,
    by: str | None,
    fmt: str,
    settings: tuple[str, ...],
    graph: Path | None,
) -> None:
    """The K roles nearest to A (--by: structure, skills, text or their blend), each with its components."""
    session = _session(graph, settings)
    role = session.role(a)
    if fmt == "json":
        _print_json(session.nearest_records(role.code, k=k, band=band, within=within, by=by))
        return
    found = session.nearest(role.code, k=k, band=band, within=within, by=by)
    click.echo(f"nearest to {role.code} ({role.title}):")
    if not found:
        click.echo("  (none)")
    for d in found:
        other = session.catalogue.roles[d.b]
        parts = ""
        if len(d.components) > 1:
            parts = "  (" + _parts(d.components) + ")"
        click.echo(f"  {d.d:.3f}  {d.band:<7}  {d.b}  {other.title}  [{d.taxonomy_relation}]{parts}")


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("a")
@click.argument("b")
@by_option
@output_option
@distance_options
def path(a: str, b: str, by: str | None, fmt: str, settings: tuple[str, ...], graph: Path | None) -> None:
    """The cheapest career path from A to B, each step with the skills gained and lost.

    Moves go between existing roles: a level up or down in a focus, a sibling focus or another
    function at the same level, and a track switch at the equivalent rank (M1 = P4), also into
    another focus or function. Each move costs the --by distance of its two roles (structure: the
    moves' own weights, a level 1, a sibling focus 2). When no chain of such moves joins A and B,
    it prints `no career path from A to B` and exits 0: that is an answer, not bad input.
    """
    session = _session(graph, settings)
    found = session.path(a, b, by=by)
    if fmt == "json":
        _print_json(found.record())
        return
    if not found.found:
        click.echo(f"no career path from {found.source} to {found.target} (no chain of moves between existing roles)")
        return
    steps = plural(len(found.steps), "step")
    total = f"{found.cost:g}" if found.by == "structure" else f"{found.cost:.3f} (by {found.by})"
    click.echo(f"{found.source} -> {found.target}: {steps}, cost {total}")
    for number, step in enumerate(found.steps, start=1):
        cost = f"{step.cost:g}" if not step.components else f"{step.cost:.3f}: " + _parts(step.components)
        click.echo(f"  {number}. {step.move}: {step.source} -> {step.target} (cost {cost})")
        if step.gained:
            click.echo(f"       gains: {', '.join(step.gained)}")
        if step.lost:
            click.echo(f"       loses: {', '.join(step.lost)}")


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("a")
@click.argument("b")
@by_option
@output_option
@distance_options
def move(a: str, b: str, by: str | None, fmt: str, settings: tuple[str, ...], graph: Path | None) -> None:
    """How ready someone in A is for B (0 -> 1), and the skills to gain, heaviest first.

    The score is the share of B's skills, weighted by how specific each is (IDF), that A already
    has, less jump_penalty for each equivalent rank above the next one up. It is directional:
    `move A B` and `move B A` differ when one role's skills hold the other's. Beside it: the
    (symmetric) --by distance of A and B, with its components.
    """
    session = _session(graph, settings)
    m = session.move(a, b, by=by)
    if fmt == "json":
        _print_json(m.record())
        return
    click.echo(f"{m.a} -> {m.b}: readiness {m.score:.3f}")
    for line in m.explain():
        click.echo(f"  {line}")
    if m.gain:
        click.echo("  skills to gain: " + ", ".join(f"{skill} ({weight:.2f})" for skill, weight in m.gain))
    if m.distance is not None:
        d = m.distance
        click.echo(f"  distance {d.d:.3f} ({d.band}, by {d.by}): {_parts(d.components)}")


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("a")
@click.argument("b")
@by_option
@output_option
@distance_options
def compare(a: str, b: str, by: str | None, fmt: str, settings: tuple[str, ...], graph: Path | None) -> None:
    """Roles A and B side by side: level, pay, experience, skills, responsibilities, distance, path."""
    session = _session(graph, settings)
    c = session.compare(a, b, by=by)
    if fmt == "json":
        _print_json(c.record(session.path(c.a.role.code, c.b.role.code, by=by)))
        return

    def pay(d: Any) -> str:
        return "-" if d.pay is None else f"{d.pay[0]:,} {d.pay[3]} ({d.pay[1]:,}-{d.pay[2]:,})"

    def years(d: Any) -> str:
        low, high = d.experience
        if low is None:
            return "-"
        return f"{low}+ yrs" if high is None else f"{low}-{high} yrs"

    rows = [
        ("role", c.a.role.code, c.b.role.code),
        ("title", c.a.role.title, c.b.role.title),
        ("function", c.a.role.function_name, c.b.role.function_name),
        (
            "level",
            f"{c.a.role.level} {c.a.level_title or ''}".strip(),
            f"{c.b.role.level} {c.b.level_title or ''}".strip(),
        ),
        ("pay (median)", pay(c.a), pay(c.b)),
        ("experience", years(c.a), years(c.b)),
    ]
    width = max(len(r[1]) for r in rows)
    for label, left, right in rows:
        click.echo(f"{label:<14}{left:<{width}}  {right}")
    d = c.distance
    switch = ", track switch" if d.track_switch else ""
    click.echo(f"distance      {d.d:.3f} ({d.band}; {d.taxonomy_relation}, rank gap {d.rank_gap}{switch})")
    for part in d.components if len(d.components) > 1 else ():
        why = f"  {part.why}" if part.why else ""
        click.echo(f"  {part.name:<12}{part.value:.3f} x {part.weight:.2f} = {part.contribution:.3f}{why}")
    route = session.path(c.a.role.code, c.b.role.code, by=by)
    steps = plural(len(route.steps), "step")
    cost = f"{route.cost:g}" if route.by == "structure" else f"{route.cost:.3f}"
    click.echo(f"career path   {f'{steps}, cost {cost}' if route.found else 'no path'}")
    click.echo(f"shared skills ({len(c.shared_skills)}): {', '.join(c.shared_skills) or '-'}")
    click.echo(f"only in {c.a.role.code} ({len(c.only_a)}): {', '.join(c.only_a) or '-'}")
    click.echo(f"only in {c.b.role.code} ({len(c.only_b)}): {', '.join(c.only_b) or '-'}")
    for d in (c.a, c.b):
        click.echo(f"responsibilities of {d.role.code}:")
        for item in d.responsibilities or ("-",):
            click.echo(f"  - {item}")


# -- the wider ecosystem: export, diff, draw --------------------------------------------------------


def _export_formats() -> list[str]:
    return list(formats.EXPORTS)


def _write_output(data: bytes, out: str | None) -> None:
    """Bytes to stdout (no ``-o`` or ``-o -``) or atomically to a file."""
    if out is None or out == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from rolegraph.api import write_atomic  # noqa: PLC0415

    write_atomic(Path(out), data)  # a FileAccessError (exit 2) when the OS refuses


def _export_help() -> str:
    """``export --help``: each export of the registry (those that share a description on one line)."""
    lines: list[str] = []
    for description in dict.fromkeys(f.description for f in formats.EXPORTS.values()):
        names = ", ".join(f.name for f in formats.EXPORTS.values() if f.description == description)
        lines.append(f"{names:<10}  {description}")
    takes = [f.name for f in formats.EXPORTS.values() if f.takes_role]
    whole = " or ".join(f.name for f in formats.EXPORTS.values() if not f.takes_role)
    narrows = f"ROLE (code, title or alias) narrows every format but {whole} to one role: "
    lines += textwrap.wrap(narrows + ", ".join(takes[:-1]) + f" and {takes[-1]}.", width=92)
    return (
        "Export the graph for other tools: SSSOM, schema.org JSON-LD, GraphML, CSV, or another RDF syntax.\n\n"
        "\b\n" + "\n".join(lines) + "\n\n\b\nExample:\n  rolegraph export --format schema-org DATASC.AIMACHIN97C0.P7"
    )


@cli.command(context_settings=CONTEXT_SETTINGS, help=_export_help())
@click.argument("role", required=False)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(_export_formats()),
    default=None,
    help=f"What to write [from the -o file name: {', '.join(formats.implying_extensions())}].",
)
@click.option("-o", "--out", "out", metavar="FILE", default=None, help="Write to FILE (atomically) [- : stdout].")
@graph_option
def export(role: str | None, fmt: str | None, out: str | None, graph: Path | None) -> None:
    """Export the graph for other tools (its --help, from the format registry, is :func:`_export_help`)."""
    from rolegraph import api  # noqa: PLC0415

    chosen = api.export_format(fmt, out)
    _write_output(_session(graph).export(chosen, role), out)
    if out is not None and out != "-":
        click.echo(f"wrote {out} ({chosen})", err=True)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("old")
@click.argument("new")
@click.option(
    "-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output."
)
def diff(old: str, new: str, fmt: str) -> None:
    """What changed from build OLD to build NEW: roles, skills, levels, pay and mappings.

    OLD and NEW are graph files (Turtle, N-Triples, JSON-LD) or git revisions and paths, REV:path,
    read with `git show` in the current folder.

    \b
    Exit codes (as diff(1)): 0 no differences, 1 differences, 2 bad input.
    Example:
      rolegraph diff HEAD~1:graph/rolegraph.ttl graph/rolegraph.ttl
    """
    from rolegraph import api  # noqa: PLC0415

    changes = api.diff(old, new)
    click.echo(changes.render("json" if fmt == "json" else "text"), nl=False)
    if changes.changes:
        sys.exit(1)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("name", metavar="ROLE|FOCUS")
@click.option(
    "-o", "--out", "out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="A .png, .svg or .pdf."
)
@click.option("-k", "k", type=click.IntRange(min=0), default=8, show_default=True, help="How many nearest roles.")
@click.option("--from", "reference", metavar="ROLE", default=None, help="For a focus: colour by band from this role.")
@distance_options
def draw(name: str, out: Path, k: int, reference: str | None, settings: tuple[str, ...], graph: Path | None) -> None:
    """Draw a focus's ladder or the taxonomy around a role, roles coloured by match band.

    A focus (code or name): its levels on the P and M ladders, coloured by band from its top
    role (or --from ROLE), and that role's nearest roles outside the focus. A role (code, title
    or alias): root -> function -> focus -> role for it and its K nearest roles. Needs matplotlib
    (pip install 'rolegraph[draw]').
    """
    from rolegraph import api  # noqa: PLC0415

    api.picture_format(out)  # before the graph is read
    target = api.draw(_session(graph, settings), name, out, k=k, reference=reference)
    click.echo(f"wrote {out} ({'ladder of ' + target.focus if target.kind == 'focus' else 'around a role'})")


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="TCP port; 0 for any free one."
)
@click.option(
    "--bind",
    "host",
    default="127.0.0.1",
    show_default=True,
    metavar="ADDRESS",
    help="Address to listen on. The default keeps the server on this machine; 0.0.0.0 opens it to the network.",
)
@click.option(
    "--query-timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="Answer a /sparql query still running after this long with 503 (see Browsing in the README).",
)
@click.option(
    "--max-queries",
    type=click.IntRange(1, 64),
    default=4,
    show_default=True,
    help="Queries /sparql runs at a time; one more gets 429 with Retry-After.",
)
@distance_options
def serve(
    graph: Path | None,
    port: int,
    host: str,
    query_timeout: float,
    max_queries: int,
    settings: tuple[str, ...],
) -> None:
    """Browse the graph in a web browser (read-only).

    Role pages with the ladder of their focus and their nearest roles, search by code, title, alias
    or skill, side-by-side comparison with the career path, and a SPARQL 1.1 endpoint at /sparql
    (with the same no-network rules as `rolegraph query`). Every page is also JSON (?format=json).
    Logs one line per request on stdout; Ctrl-C stops it.
    """
    from rolegraph.api import serve as run_server  # noqa: PLC0415

    session = _session(graph, settings)
    shown = graph or formats.DEFAULT_GRAPH

    def announce(url: str) -> None:
        roles = len(session.catalogue.roles)
        count = plural(roles, "role")
        click.echo(f"rolegraph: serving {shown} ({count}) at {url} (read-only; Ctrl-C to stop)")
        if host not in {"127.0.0.1", "localhost", "::1"}:
            click.echo(f"rolegraph: listening on {host}: other machines can reach this server", err=True)
        sys.stdout.flush()

    running = run_server(session, shown, host, port, announce, query_timeout=query_timeout, max_queries=max_queries)
    if running:
        click.echo("rolegraph: stopped, without waiting for the queries still running")
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)  # Python would wait for them at exit; the store is read-only, nothing is lost
    click.echo("rolegraph: stopped")


# -- `rolegraph align`: what the aligner's candidates become (issue 16: --write, --check, -f sssom) -------------
# Kept apart from the aligner's own command so the two branches merge cleanly: `align` calls these.

ALIGN_CHECK_HELP = """
\b
--check: every role whose page states a SOC code (Classification mappings, O*NET / SOC) that is
not among the SOC codes of the aligner's top 5 O*NET-SOC candidates is listed, with the rank
where the aligner puts it and the candidates it ranks higher.
\b
Exit codes:
  0  done (--check: every stated SOC code is confirmed)
  1  --check: some stated SOC codes are not confirmed (as diff(1) exits 1 on differences);
     --write: the graph with its alignments does not conform to the shapes (nothing written)
  2  bad input (a role, an option, a graph file); the align extra is missing
"""


ALIGN_CHECK_DEPTH = 50  # how far down the O*NET-SOC ranking --check looks for a page's stated code


def _align_undecided(session: Any, graph: Path, roles: list[str], target: str, k: int) -> list[Any]:
    """The aligner's top ``k`` per subject, less the pairs a taxonomist decided on (asking for enough more)."""
    from rolegraph import api  # noqa: PLC0415

    decided = api.decided(graph)
    per_subject: dict[str, int] = {}
    for subject, _ in decided:
        per_subject[subject] = per_subject.get(subject, 0) + 1
    extra = max(per_subject.values(), default=0)
    return api.without_decisions(session.align(roles, target, k + extra), graph, k)


def _align_everything(session: Any, graph: Path, k: int) -> list[Any]:
    """Every role's candidates in the three occupation vocabularies, and every skill's ESCO skills."""
    return [c for target in formats.ALIGN_TARGETS for c in _align_undecided(session, graph, [], target, k)]


def align_publish_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--write``, ``--out`` and ``--check``, for ``rolegraph align``."""
    f = click.option(
        "--check",
        is_flag=True,
        help="Check each page's stated SOC code against the aligner's top 5 O*NET-SOC candidates; exit 1 when "
        "some are not confirmed.",
    )(f)
    f = click.option(
        "--out",
        "align_out",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Folder for --write [the graph's folder].",
    )(f)
    return click.option(
        "--write",
        is_flag=True,
        help="Publish the candidates of every role and skill as OUT/alignments.sssom.tsv (SSSOM) and "
        "OUT/alignments.ttl (RDF, SHACL-validated with the graph), atomically; a taxonomist's decisions win.",
    )(f)


def align_write(graph: Path, candidates: Sequence[Any], out_dir: Path | None, k: int) -> None:
    """``align --write``: publish the candidates (a pair a taxonomist decided on is never written)."""
    from rolegraph import api  # noqa: PLC0415

    written = api.write_alignments(graph, candidates, out_dir, k=k)
    click.echo(f"wrote {', '.join(str(p) for p in written.outputs)}")
    kept = plural(written.alignments, "alignment")
    click.echo(f"{kept}; {plural(written.decided, 'candidate')} left to a taxonomist's decision")


def align_check(session: Any, ranked: Callable[[str], Sequence[Any]]) -> None:
    """``align --check``: print the stated SOC codes the aligner does not confirm; exit 1 when there are some."""
    from rolegraph import api  # noqa: PLC0415

    claims = api.check_claims(session, ranked)
    for line in api.check_report(claims):
        click.echo(line)
    if not all(claim.confirmed for claim in claims):
        sys.exit(1)


def align_sssom(candidates: Sequence[Any], base: str | None = None) -> None:
    """``align -f sssom``: the candidates as SSSOM TSV on standard output."""
    from rolegraph import api  # noqa: PLC0415

    _write_output(api.alignments_sssom(candidates, base or api.DEFAULT_BASE), None)


# -- alignment with ESCO, ISCO-08 and O*NET-SOC ---------------------------------------------------------


class _AlignGroup(click.Group):
    """``align ROLE...`` runs ``align show ROLE...``; ``align evaluate ...`` (and later verbs) run themselves."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["show", *args]
        elif not args:
            args = ["show"]
        return super().parse_args(ctx, args)


@cli.group(cls=_AlignGroup, context_settings=CONTEXT_SETTINGS)
def align() -> None:
    """Align roles and skills to ESCO, ISCO-08 and O*NET-SOC (`rolegraph align [ROLE...] [OPTIONS]`).

    `align ROLE...` is `align show ROLE...`: ranked candidates with confidence and why. `align evaluate`
    measures the aligner on a gold standard. Needs the align extra (pip install 'rolegraph[align]');
    the reference vocabularies ship with rolegraph, and their embeddings are computed once into the
    cache folder (`rolegraph cache path`). Details: docs/alignment.md.
    """


@align.command("show", context_settings=CONTEXT_SETTINGS)
@click.argument("roles", nargs=-1, metavar="[ROLE]...")
@click.option(
    "--target",
    type=click.Choice(formats.ALIGN_TARGETS),
    default="onet",
    show_default=True,
    help="onet: O*NET-SOC occupations; esco: ESCO occupations; isco: ISCO-08 unit groups; "
    "esco-skills: each skill of the roles to ESCO skills.",
)
@click.option("-k", "k", type=click.IntRange(min=1), default=5, show_default=True, help="Candidates per role or skill.")
@click.option("-f", "--format", "fmt", type=click.Choice(formats.ALIGN_OUTPUTS), default="table", show_default=True)
@align_publish_options
@graph_option
def align_show(
    roles: tuple[str, ...],
    target: str,
    k: int,
    fmt: str,
    graph: Path | None,
    write: bool,
    align_out: Path | None,
    check: bool,
) -> None:
    """Ranked candidates for each ROLE (code, title or alias; every role when none is given).

    A pair a taxonomist decided on (seeds/mappings.sssom.tsv, built into the graph) is never proposed.
    -f sssom prints SSSOM TSV. --write publishes every role's and skill's candidates (all four
    vocabularies) beside the graph; --check checks the pages' own SOC codes. Formats: docs/alignment.md.
    """
    session = _session(graph)
    path = graph or formats.DEFAULT_GRAPH
    if check or write:
        if roles:
            raise click.UsageError(f"--{'check' if check else 'write'} covers every role: expected no ROLE")
        if check:
            align_check(session, lambda code: session.align([code], "onet", ALIGN_CHECK_DEPTH, stated=False))
            return
        align_write(path, _align_everything(session, path, k), align_out, k)
        return
    found = _align_undecided(session, path, list(roles), target, k)
    if fmt == "sssom":
        align_sssom(found, session._base())
        return
    if fmt == "json":
        click.echo(_align_json(found))
        return
    subject = None
    for c in found:
        if c.subject_id != subject:
            subject = c.subject_id
            click.echo(f"{c.subject_label}  ->  {target}")
        click.echo(f"  {c.rank}. {c.confidence:.2f}  {c.object_label}  <{c.object_id}>")
        click.echo(f"       {c.why}")


# --check, --write: what each exit code means (indented as the docstring is: click dedents the whole text)
align_show.help = (align_show.help or "").rstrip() + "\n" + textwrap.indent(ALIGN_CHECK_HELP, "    ")


def _align_json(found: Sequence[Any]) -> str:
    import json  # noqa: PLC0415

    slots = ("subject_id", "subject_label", "object_id", "object_label", "confidence", "rank", "target", "why")
    return json.dumps([{slot: getattr(c, slot) for slot in slots} for c in found], indent=2, ensure_ascii=False)


@align.command("evaluate", context_settings=CONTEXT_SETTINGS)
@click.option(
    "--gold",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="CSV with the columns esco_uri and soc2018 (accepted SOC 2018 codes, |-separated).",
)
@click.option("-k", "k", type=click.IntRange(min=1), default=5, show_default=True, help="Depth of the MRR.")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def align_evaluate(gold: Path, k: int, fmt: str) -> None:
    """Align each gold ESCO occupation (from the shipped ESCO data only) to O*NET-SOC and score it.

    A candidate is right when its O*NET-SOC code's SOC 2018 detailed group (first 7 characters) is one
    of the row's soc2018 codes. Prints n, top1, top5, mrr, and the same per band of top-1 confidence.
    """
    from rolegraph import api  # noqa: PLC0415

    summary = api.align_evaluate(gold, k)
    if fmt == "json":
        import json  # noqa: PLC0415

        click.echo(json.dumps(summary, indent=2))
        return
    click.echo(f"n {summary['n']}  top1 {summary['top1']:.3f}  top5 {summary['top5']:.3f}  mrr {summary['mrr']:.3f}")
    bands: list[dict[str, Any]] = summary["by_confidence"]  # type: ignore[assignment]
    for band in bands:
        click.echo(
            f"  {band['band']:<6} (confidence >= {band['min_confidence']:.1f}): n {band['n']}  "
            f"top1 {band['top1']:.3f}  top5 {band['top5']:.3f}  mrr {band['mrr']:.3f}"
        )


@cli.group(context_settings=CONTEXT_SETTINGS)
def cache() -> None:
    """The on-disk cache of loaded graphs and built pages (ROLEGRAPH_CACHE_DIR, else the user cache folder).

    Each graph file, by content, is loaded once into an embedded store kept there with its role
    catalogue and distance index; later commands and `serve` open it read-only. `build` keeps what
    each page adds to the graph, by the page's content, and rebuilds only the pages that changed.
    A changed file gets a new entry; a damaged one is rebuilt. --no-cache (or ROLEGRAPH_NO_CACHE=1)
    bypasses it.
    """


@cache.command("path", context_settings=CONTEXT_SETTINGS)
def cache_path() -> None:
    """Print the cache folder."""
    from rolegraph import api  # noqa: PLC0415

    click.echo(str(api.cache_folder()))


@cache.command("clear", context_settings=CONTEXT_SETTINGS)
def cache_clear() -> None:
    """Remove every cached graph (they are rebuilt when next opened)."""
    from rolegraph import api  # noqa: PLC0415

    removed = api.clear_cache()
    click.echo(f"removed {plural(removed, 'cache entry', 'cache entries')} from {api.cache_folder()}")


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point; output that cannot be written (``> /dev/full``) exits 2 with one line."""
    # numpy's matrices here are small (skill profiles of a few thousand focuses): OpenBLAS's threads cost more
    # than they save, most of all on a busy machine (a warm blended `nearest` at 10,000 roles: 1.6x the
    # `import rdflib, networkx` floor in CPU time with them, 1.25x without; bench/RESULTS.md). Set before numpy
    # is imported; a user's own setting wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="rolegraph")
    except SystemExit as exc:
        if exc.code == EXIT_INTERRUPTED and threading.active_count() > 1:
            # a SHACL worker still runs in Rust and cannot be stopped: leave without waiting for it
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(EXIT_INTERRUPTED)
        failed = _drain_stdout()
        if isinstance(failed, BrokenPipeError):
            raise SystemExit(EXIT_BROKEN_PIPE) from None
        if failed is not None:
            from rolegraph.errors import os_reason  # noqa: PLC0415

            click.echo(f"error: standard output: {os_reason(failed)}", err=True)
            raise SystemExit(EXIT_BAD_INPUT) from None
        raise


if __name__ == "__main__":  # pragma: no cover
    main()
