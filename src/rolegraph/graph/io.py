"""Reading and writing RDF files: one format registry, deterministic writers, atomic output.

Writers take the builder's sorted triples and stream them through Oxigraph's serialisers (about
50x faster than rdflib's Turtle writer on large graphs), so the same triples give the same
bytes. JSON-LD is written compact, with ``ontology/context.jsonld`` embedded: no remote context.
Readers parse with Oxigraph (which never fetches a remote JSON-LD context) and hand back an
rdflib Graph, with ``xsd:string`` literals turned into plain ones as rdflib expects.
"""

from __future__ import annotations

import io
import json
import os
import re
import resource
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, Final, cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from rolegraph.errors import FileAccessError, GraphFileError, os_failure, os_reason
from rolegraph.formats import PUBLISHED as _PUBLISHED
from rolegraph.formats import RDF_SYNTAXES
from rolegraph.graph.vocab import PREFIXES, RDF, XSD, compact
from rolegraph.resources import jsonld_context

Triple = tuple[Node, Node, Node]
Key = tuple[str, str, str, str]  # rolegraph.graph.rdf.Key: (subject, predicate key, object key, datatype)

XSD_STRING: Final = str(XSD.string)
NATIVE_JSON: Final = {str(XSD.integer), str(XSD.boolean)}
# Peak growth of the address space while Oxigraph loads a file, per byte of the file, with a margin
# (measured on a 23.5 MB Turtle file, pyoxigraph 0.5.13: Store.load 6.6x, parsing into quads 8.4x).
LOAD_FACTOR: Final = 8
PARSE_FACTOR: Final = 10
MEMORY_MARGIN: Final = 32 * 1024 * 1024
MIB: Final = 1024 * 1024


# ---------------------------------------------------------------------------------------------
# writing


def nt_term(term: Node) -> str:
    """One term in N-Triples syntax (IRIs are minted from checked codes; literals are escaped)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        text = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return f'"{text}"^^<{term.datatype}>'
        return f'"{text}"'
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


def to_ntriples(triples: Iterable[Triple]) -> bytes:
    return "".join(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in triples).encode("utf-8")


def to_turtle(triples: Sequence[Triple], prefixes: Mapping[str, str] = PREFIXES) -> bytes:
    """Turtle in the given triple order, with the project's prefixes (or the ones given)."""
    return turtle_of_ntriples(to_ntriples(triples), prefixes)


_SUBJECT_LINE: Final = re.compile(rb"\n(?=[^\t\n])")


def turtle_of_ntriples(nt: bytes, prefixes: Mapping[str, str] = PREFIXES) -> bytes:
    """Turtle of N-Triples text, in its triple order, with ``prefixes`` in their order."""
    # the parser's quads go straight to the writer: no Python code runs per triple
    parsed = ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)
    body = ox.serialize(parsed, format=ox.RdfFormat.TURTLE, prefixes=dict(prefixes)) or b""
    # Oxigraph writes the @prefix lines in its own order: write ours, in PREFIXES order, and put a
    # blank line before each subject block so that diffs between releases read well.
    while body.startswith(b"@prefix "):
        body = body[body.find(b"\n") + 1 :]
    header = b"\n".join(f"@prefix {prefix}: <{ns}> .".encode() for prefix, ns in prefixes.items())
    body = _SUBJECT_LINE.sub(b"\n\n", b"\n" + body)
    if not header:  # the blank line before the first subject is then the file's first line
        body = body[1:]
    return (header + body).rstrip(b"\n") + b"\n"


def to_jsonld(triples: Sequence[Triple]) -> bytes:
    """Compact JSON-LD: one node object per subject, CURIEs from the embedded context."""
    context = jsonld_context()
    # the longest namespace first: the most specific CURIE
    prefixes = dict(
        sorted(
            ((k, v) for k, v in context.items() if isinstance(v, str) and not v.startswith("@")),
            key=lambda kv: -len(kv[1]),
        )
    )

    def curie(iri: str) -> str:
        return compact(iri, prefixes) or iri

    def value(term: Node) -> Any:
        if isinstance(term, URIRef):
            return {"id": curie(str(term))}
        if isinstance(term, BNode):
            return {"id": f"_:{term}"}
        assert isinstance(term, Literal)  # noqa: S101 - the builder makes only these three kinds
        if term.language:
            return {"@value": str(term), "@language": term.language}
        datatype = str(term.datatype) if term.datatype is not None else XSD_STRING
        if datatype == XSD_STRING:
            return str(term)
        if datatype in NATIVE_JSON:
            return term.toPython()
        return {"@value": str(term), "type": curie(datatype)}

    nodes: list[dict[str, Any]] = []
    for subject, group in _by_subject(triples):
        node: dict[str, Any] = {"id": curie(str(subject)) if isinstance(subject, URIRef) else f"_:{subject}"}
        properties: dict[str, list[Any]] = {}
        for _, p, o in group:
            if p == RDF.type and isinstance(o, URIRef):
                properties.setdefault("type", []).append(curie(str(o)))
            else:
                properties.setdefault(curie(str(p)), []).append(value(o))
        for key, values in properties.items():
            node[key] = values[0] if len(values) == 1 else values
        nodes.append(node)
    document = {"@context": context, "@graph": nodes}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# -- the builder's keys (rolegraph.graph.rdf.Key): the same bytes as the writers above, without rdflib terms


def _escape(lexical: str) -> str:
    return lexical.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def keys_ntriples(keys: Iterable[Key]) -> bytes:
    """:func:`to_ntriples` of the builder's keys."""
    return b"".join(keys_ntriples_chunks(keys))


#: literals longer than this are not remembered by the writers (descriptions: many, each written once or twice)
_MEMO_MAX: Final = 64


def keys_ntriples_chunks(keys: Iterable[Key], lines_per_chunk: int = 20_000) -> Iterator[bytes]:
    """:func:`keys_ntriples` in pieces, so that the whole text never has to be in memory at once."""
    plain: dict[str, str] = {}  # IRIs and plain literals, by object key
    typed: dict[tuple[str, str], str] = {}
    predicates: dict[str, str] = {}
    lines: list[str] = []
    append = lines.append
    for s, pk, ok, dt in keys:
        if dt:
            o = typed.get((ok, dt))
            if o is None:
                lexical = _escape(ok[1:])
                o = typed[(ok, dt)] = f'"{lexical}"^^<{dt}>' if dt != XSD_STRING else f'"{lexical}"'
        elif ok[0] == "1" and len(ok) > _MEMO_MAX:  # a long text, seldom repeated: not kept
            o = f'"{_escape(ok[1:])}"'
        else:
            o = plain.get(ok)
            if o is None:
                o = plain[ok] = f"<{ok[1:]}>" if ok[0] == "0" else f'"{_escape(ok[1:])}"'
        p = predicates.get(pk)
        if p is None:
            p = predicates[pk] = f"<{pk[1:]}>"
        append(f"<{s}> {p} {o} .\n")
        if len(lines) >= lines_per_chunk:
            yield "".join(lines).encode("utf-8")
            lines.clear()
    if lines:
        yield "".join(lines).encode("utf-8")


def write_keys_ntriples(keys: Iterable[Key], out: BinaryIO) -> None:
    out.writelines(keys_ntriples_chunks(keys))


class _ChunkReader(io.RawIOBase):
    """A readable file over an iterator of byte strings (Oxigraph's parser reads it as it goes)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        super().__init__()
        self._chunks = iter(chunks)
        self._buffer = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._buffer = memoryview(chunk)
        n = min(len(target), len(self._buffer))
        target[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n


class _TurtleLayout:
    """Oxigraph's Turtle as it is written, laid out as :func:`turtle_of_ntriples` lays it out.

    Its own ``@prefix`` lines are dropped (``prefixes`` are written first, in their order), a blank
    line goes before each subject block, and the file ends with exactly one newline.
    """

    def __init__(self, out: BinaryIO, prefixes: Mapping[str, str], block: int = 1 << 22) -> None:
        self._out = out
        self._block = block
        header = b"\n".join(f"@prefix {prefix}: <{ns}> .".encode() for prefix, ns in prefixes.items())
        self._skip_first = not header  # no header: the blank line before the first subject is not written
        out.write(header)
        self._buffer = bytearray(b"\n")  # always starts with the newline before its first line
        self._in_prefixes = True
        self._newlines = 0  # newlines held back: the last ones of the file are not written

    def write(self, data: bytes) -> int:
        self._buffer += data
        if self._in_prefixes:
            self._drop_prefixes()
        if not self._in_prefixes and len(self._buffer) > self._block:
            cut = self._buffer.rfind(b"\n")
            if cut > 0:
                self._emit(bytes(self._buffer[:cut]))
                del self._buffer[:cut]
        return len(data)

    def flush(self) -> None:
        pass

    def _drop_prefixes(self, *, final: bool = False) -> None:
        while True:
            line_end = self._buffer.find(b"\n", 1)
            first = self._buffer[1 : line_end if line_end > 0 else len(self._buffer)]
            if first.startswith(b"@prefix "):
                if line_end < 0:
                    return
                del self._buffer[:line_end]
            elif (line_end < 0 and b"@prefix ".startswith(first)) and not final:
                return  # too little of the line yet to say
            else:
                self._in_prefixes = False
                return

    def _emit(self, segment: bytes) -> None:
        text = _SUBJECT_LINE.sub(b"\n\n", segment)
        if self._skip_first:
            text = text[1:]
            self._skip_first = False
        body = text.rstrip(b"\n")
        if body:
            self._out.write(b"\n" * self._newlines + body)
            self._newlines = 0
        self._newlines += len(text) - len(body)

    def close(self) -> None:
        if self._in_prefixes:
            self._drop_prefixes(final=True)
        self._emit(bytes(self._buffer))
        self._buffer.clear()
        self._out.write(b"\n")


def write_keys_turtle(keys: Iterable[Key], out: BinaryIO, prefixes: Mapping[str, str] = PREFIXES) -> None:
    """:func:`keys_turtle` written to ``out`` as it is made: neither the N-Triples nor the Turtle is held whole."""
    layout = _TurtleLayout(out, prefixes)
    parsed = ox.parse(io.BufferedReader(_ChunkReader(keys_ntriples_chunks(keys))), format=ox.RdfFormat.N_TRIPLES)
    ox.serialize(parsed, cast("IO[bytes]", layout), format=ox.RdfFormat.TURTLE, prefixes=dict(prefixes))
    layout.close()


def keys_turtle(keys: Iterable[Key], prefixes: Mapping[str, str] = PREFIXES) -> bytes:
    """:func:`to_turtle` of the builder's keys."""
    out = io.BytesIO()
    write_keys_turtle(keys, out, prefixes)
    return out.getvalue()


_encode_string: Callable[[str], str] = json.encoder.encode_basestring


def keys_jsonld(keys: Sequence[Key]) -> bytes:
    """:func:`to_jsonld` of the builder's keys."""
    out = io.BytesIO()
    write_keys_jsonld(keys, out)
    return out.getvalue()


def write_keys_jsonld(keys: Sequence[Key], out: BinaryIO, nodes_per_chunk: int = 5_000) -> None:
    """:func:`keys_jsonld` written to ``out`` as it is made, as ``json.dumps(..., indent=1)`` writes it.

    ``json.dumps`` with an indent runs the pure-Python encoder (1.8 s of a 1,000-page build); the node
    objects here have one fixed shape, so their text is made directly, each term's text once.
    """
    context = jsonld_context()
    if not keys:
        out.write((json.dumps({"@context": context, "@graph": []}, ensure_ascii=False, indent=1) + "\n").encode())
        return
    head = json.dumps({"@context": context, "@graph": [0]}, ensure_ascii=False, indent=1)
    before, _, after = head.rpartition("\n  0\n")
    out.write(before.encode("utf-8"))
    text = _JsonLdNodes(_jsonld_prefixes(context))
    separator = "\n"
    nodes: list[str] = []
    i, n = 0, len(keys)
    while i < n:
        s = keys[i][0]
        start = i
        while i < n and keys[i][0] == s:
            i += 1
        nodes.append(text.node(s, keys[start:i]))
        if len(nodes) >= nodes_per_chunk:
            out.write((separator + ",\n".join(nodes)).encode("utf-8"))
            nodes.clear()
            separator = ",\n"
    if nodes:
        out.write((separator + ",\n".join(nodes)).encode("utf-8"))
    out.write(("\n" + after + "\n").encode("utf-8"))


class _JsonLdNodes:
    """The text of one node object of the ``@graph`` list, each term's text made once."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = prefixes
        self.curies: dict[str, str] = {}
        # a value as the only value of a property (indent 3) and as an item of a list (indent 4)
        self.single: dict[tuple[str, str], str] = {}
        self.listed: dict[tuple[str, str], str] = {}

    def curie(self, iri: str) -> str:
        found = self.curies.get(iri)
        if found is None:
            found = self.curies[iri] = _encode_string(compact(iri, self.prefixes) or iri)
        return found

    def value(self, ok: str, dt: str, depth: int) -> str:
        pad, close = " " * (depth + 1), " " * depth
        if ok[0] == "0":
            return f'{{\n{pad}"id": {self.curie(ok[1:])}\n{close}}}'
        lexical = ok[1:]
        if not dt or dt == XSD_STRING:
            return _encode_string(lexical)
        if dt in NATIVE_JSON:
            return json.dumps(Literal(lexical, datatype=URIRef(dt)).toPython())
        return f'{{\n{pad}"@value": {_encode_string(lexical)},\n{pad}"type": {self.curie(dt)}\n{close}}}'

    def node(self, subject: str, keys: Sequence[Key]) -> str:
        curie, single, listed = self.curie, self.single, self.listed
        properties: dict[str, list[tuple[str, str]]] = {}
        types: list[str] = []
        for _, pk, ok, dt in keys:
            if pk[0] == "0" and ok[0] == "0":
                types.append(curie(ok[1:]))
            else:
                properties.setdefault(pk[1:], []).append((ok, dt))
        parts = [f'   "id": {curie(subject)}']
        if len(types) == 1:
            parts.append(f'   "type": {types[0]}')
        elif types:
            parts.append('   "type": [\n    ' + ",\n    ".join(types) + "\n   ]")
        for p, values in properties.items():
            if len(values) == 1:
                key = values[0]
                text = single.get(key)
                if text is None:
                    text = self.value(*key, 3)
                    if len(key[0]) <= _MEMO_MAX:
                        single[key] = text
                parts.append(f"   {curie(p)}: {text}")
                continue
            items = []
            for key in values:
                text = listed.get(key)
                if text is None:
                    text = self.value(*key, 4)
                    if len(key[0]) <= _MEMO_MAX:
                        listed[key] = text
                items.append(text)
            parts.append(f"   {curie(p)}: [\n    " + ",\n    ".join(items) + "\n   ]")
        return "  {\n" + ",\n".join(parts) + "\n  }"


def _jsonld_prefixes(context: Mapping[str, Any]) -> dict[str, str]:
    """The context's prefixes, the longest namespace first: the most specific CURIE."""
    return dict(
        sorted(
            ((k, v) for k, v in context.items() if isinstance(v, str) and not v.startswith("@")),
            key=lambda kv: -len(kv[1]),
        )
    )


def _by_subject(triples: Sequence[Triple]) -> Iterator[tuple[Node, list[Triple]]]:
    group: list[Triple] = []
    for triple in triples:
        if group and triple[0] != group[0][0]:
            yield group[0][0], group
            group = []
        group.append(triple)
    if group:
        yield group[0][0], group


def _oxigraph_format(media_type: str) -> ox.RdfFormat:
    found = ox.RdfFormat.from_media_type(media_type)
    if found is None:  # pragma: no cover - a registry entry Oxigraph cannot parse: caught at import
        raise ValueError(f"Oxigraph has no RDF format for {media_type!r}")
    return found


@dataclass(frozen=True, slots=True)
class RdfFormat:
    name: str
    extension: str
    media_type: str
    oxigraph: ox.RdfFormat
    write: Callable[[Sequence[Triple]], bytes]


_WRITERS: Final[Mapping[str, Callable[[Sequence[Triple]], bytes]]] = {
    "turtle": to_turtle,
    "jsonld": to_jsonld,
    "ntriples": to_ntriples,
}
#: the syntaxes of :data:`rolegraph.formats.RDF_SYNTAXES`, each with Oxigraph's parser and our writer
FORMATS: Final[dict[str, RdfFormat]] = {
    name: RdfFormat(name, f.extension, f.media_type, _oxigraph_format(f.media_type), _WRITERS[name])
    for name, f in RDF_SYNTAXES.items()
}
PUBLISHED: Final = _PUBLISHED  # what `rolegraph build` writes into graph/
#: the writers of the builder's keys into a file, by format name (the same bytes as :data:`FORMATS`' writers)
KEY_WRITERS: Final[Mapping[str, Callable[[Sequence[Key], BinaryIO], None]]] = {
    "turtle": write_keys_turtle,
    "jsonld": write_keys_jsonld,
    "ntriples": write_keys_ntriples,
}
XML_SUFFIXES: Final = frozenset({".rdf", ".xml", ".owl", ".rdfs"})


def format_for(path: Path, name: str | None = None) -> RdfFormat:
    if name is not None:
        return FORMATS[name]
    suffix = path.suffix.lower()
    for fmt in FORMATS.values():
        if suffix in RDF_SYNTAXES[fmt.name].extensions:
            return fmt
    known = ", ".join(sorted({f.extension for f in FORMATS.values()}))
    if suffix in XML_SUFFIXES:  # never parsed: XML entity expansion ("billion laughs") has no bound
        raise GraphFileError(
            str(path),
            0,
            f"an RDF file ending in one of {known}",
            f"RDF/XML ({path.suffix}), which rolegraph does not read",
            hint="convert it to Turtle or N-Triples first",
        )
    raise GraphFileError(str(path), 0, f"an RDF file ending in one of {known}", repr(path.suffix or "no suffix"))


def write_atomic(path: Path, data: bytes | BinaryIO) -> None:
    """Write ``data`` (bytes, or a whole file read from its start) to ``path``: never half a file,
    and never a rename over what is not a file.

    A regular file (or a new one) is written to a temporary file beside it, fsynced, then renamed
    over it. A symlink is followed and its target replaced that way (the link stays). A character
    device (``/dev/null``, ``/dev/stdout``) or a FIFO is written directly, not atomically (a FIFO
    waits for its reader). Anything else (a folder, a socket, a block device) is refused. Every OS
    failure (a read-only folder, a full disk, a file-size limit) becomes one FileAccessError.
    """
    target = Path(os.path.realpath(path))
    try:
        try:
            mode: int | None = target.stat().st_mode
        except FileNotFoundError:
            mode = None
        if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
            _write_stream(target, data)
        elif mode is None or stat.S_ISREG(mode):
            _replace_file(target, data)
        else:
            raise FileAccessError(
                str(path), 0, "a regular file, a character device or a FIFO to write", file_kind(mode)
            )
    except OSError as exc:
        raise os_failure(path, exc, "a writable file") from None


def _write_stream(target: Path, data: bytes | BinaryIO) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_NOCTTY)  # no O_CREAT: never makes a file in a device's place
    with os.fdopen(fd, "wb") as handle:
        _copy(data, handle)


def _copy(data: bytes | BinaryIO, handle: BinaryIO) -> None:
    if isinstance(data, bytes):
        handle.write(data)
    else:
        data.seek(0)
        shutil.copyfileobj(data, handle, 1 << 20)


def _replace_file(target: Path, data: bytes | BinaryIO) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            _copy(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def file_kind(mode: int) -> str:
    """What a non-regular file is, for a message: ``a FIFO``, ``a folder``, ``a character device``."""
    kinds = [
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def sweep_temporaries(path: Path) -> None:
    """Remove what :func:`write_atomic` left beside ``path`` when its process was killed mid-write.

    Call it only while holding the folder's lock (``api.publish`` does), so no live writer owns them.
    """
    target = Path(os.path.realpath(path))
    for stale in target.parent.glob(f".{target.name}.*.tmp"):
        stale.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------
# reading


def require_regular_file(path: Path) -> None:
    """Refuse a FIFO, a device or a folder before opening it: reading one could wait forever."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise GraphFileError(str(path), 0, "a readable file", os_reason(exc)) from None
    if not stat.S_ISREG(mode):
        raise GraphFileError(str(path), 0, "a regular file", file_kind(mode))


def require_memory(path: Path, factor: int) -> None:
    """Refuse, with one line, a graph that cannot be loaded under this process's memory limits.

    When an allocation fails inside Oxigraph, Rust aborts the whole process (exit 134, a backtrace,
    no exception to catch). So the message has to come first: loading needs about ``factor`` times
    the file's size, which is compared with what ``ulimit -v`` (RLIMIT_AS) and RLIMIT_DATA leave.
    Memory the machine lacks without a limit is the kernel's to report; Python's MemoryError
    becomes one line in the CLI.
    """
    try:
        need = path.stat().st_size * factor + MEMORY_MARGIN
    except OSError:
        return  # the reader reports it
    for limit, field, name in (
        (resource.RLIMIT_AS, "VmSize", "ulimit -v"),
        (resource.RLIMIT_DATA, "VmData", "ulimit -d"),
    ):
        soft = resource.getrlimit(limit)[0]
        if soft == resource.RLIM_INFINITY:
            continue
        used = _vm_kib(field) * 1024
        if used + need > soft:
            raise GraphFileError(
                str(path),
                0,
                f"about {need // MIB:,} MiB of memory to load it",
                f"a limit of {soft // MIB:,} MiB ({name}), {used // MIB:,} MiB of it in use",
                hint=f"raise the limit ({name}) or load a smaller graph",
            )


def _vm_kib(field: str) -> int:
    """This process's ``VmSize`` or ``VmData`` in KiB (Linux); 0 where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def read_quads(path: Path, fmt: RdfFormat | None = None) -> list[ox.Quad]:
    """Parse a file with Oxigraph; syntax errors become one GraphFileError with the line."""
    fmt = fmt or format_for(path)
    require_regular_file(path)
    require_memory(path, PARSE_FACTOR)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GraphFileError(str(path), 0, "a readable file", exc.strerror or type(exc).__name__) from None
    return parse_quads(data, str(path), fmt)


def parse_quads(data: bytes, shown: str, fmt: RdfFormat) -> list[ox.Quad]:
    try:
        return list(ox.parse(data, format=fmt.oxigraph))
    except SyntaxError as exc:
        raise syntax_error(exc, shown, fmt) from None
    except (ValueError, OSError) as exc:
        raise GraphFileError(shown, 0, f"valid {fmt.name}", str(exc)) from None


def syntax_error(exc: SyntaxError, shown: str, fmt: RdfFormat) -> GraphFileError:
    """Oxigraph's parse error as one line with the file and line; every reader of graph files uses it."""
    message = str(exc.msg if hasattr(exc, "msg") else exc).split(" (line")[0]
    if "LoadDocumentCallback" in message or "remote context" in message.lower():
        message = "a remote or file JSON-LD @context, which rolegraph never fetches"
    return GraphFileError(shown, exc.lineno or 0, f"valid {fmt.name}", message)


def to_rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph | ox.Triple) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value) if datatype == XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported term {term!r}")


def load_graph(path: Path, fmt: RdfFormat | None = None) -> Graph:
    """An rdflib Graph of a Turtle, N-Triples or JSON-LD file (default graph and named graphs merged)."""
    graph = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    for q in read_quads(path, fmt):
        graph.add((to_rdflib_term(q.subject), to_rdflib_term(q.predicate), to_rdflib_term(q.object)))
    return graph
