"""Apache Jena 4.5 (Debian's ``libapache-jena-java``) as an independent parser and SHACL validator.

Jena runs as ``java -cp <the package's jars> riotcmd.riot ...`` or ``shacl.shacl ...``. Two faults of the
Debian package are worked around here, both outside Jena's own code:

- its jena-core relocates the bundled Xerces classes to ``xerces.*`` but leaves their message files under
  ``org/apache/jena/ext/xerces/``, so Jena's first use of an XSD datatype fails ("internal error"): the files
  are copied, once, to the names the classes look for, into a folder put on the class path;
- it packages no JSON-P implementation (Eclipse Parsson is not in Debian 12), so the JSON-LD 1.1 reader
  (Titanium) fails on every document ("LOADING_DOCUMENT_FAILED"): JSON-LD is read by Jena's JSON-LD 1.0
  reader (jsonld-java) instead, with the ``@version: 1.1`` entry of the context taken out (see
  :func:`as_jsonld10`), and its triples compared with the Turtle's.

SHACL runs through ``tests/data/jena/ShaclBatch.java`` (a single-file program, so the JDK is needed), which
validates every fixture in one JVM rather than starting Java 135 times.

``ROLEGRAPH_REQUIRE_JENA=1`` (set by ``.ci/run``) makes a missing Java or Jena a failure rather than a skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from functools import cache
from pathlib import Path

import pytest

JAVA_DIR = Path(os.environ.get("ROLEGRAPH_JAVA_DIR", "/usr/share/java"))
#: the jars of libapache-jena-java and of the Debian packages it depends on (its Depends line)
JARS = [
    "jena-arq",
    "jena-base",
    "jena-cmds",
    "jena-core",
    "jena-dboe-base",
    "jena-dboe-index",
    "jena-dboe-storage",
    "jena-dboe-trans-data",
    "jena-dboe-transaction",
    "jena-iri",
    "jena-rdfconnection",
    "jena-shacl",
    "jena-shex",
    "jena-tdb",
    "jena-tdb2",
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "dexx.collection",
    "gson",
    "guava",
    "httpclient",
    "httpclient-cache",
    "httpcore",
    "jackson-annotations",
    "jackson-core",
    "jackson-databind",
    "jsonld-java",
    "jakarta.json-api",
    "protobuf",
    "thrift",
    "titanium-json-ld",
    "slf4j-api",
    "slf4j-simple",
]
TIMEOUT = 300  # seconds for one Java run: a hang, not a speed claim


def missing() -> str | None:
    """Why Jena cannot run here (None: it can)."""
    if shutil.which("java") is None or shutil.which("javac") is None:
        return "no `java` and `javac` on this machine (apt-get install default-jdk-headless)"
    absent = [name for name in JARS if not (JAVA_DIR / f"{name}.jar").exists()]
    if absent:
        return f"Jena's jars are not in {JAVA_DIR} ({', '.join(absent[:3])}...): apt-get install libapache-jena-java"
    return None


def require() -> None:
    """Skip the test when Jena is absent, or fail when ``ROLEGRAPH_REQUIRE_JENA=1``."""
    why = missing()
    if why is None:
        return
    if os.environ.get("ROLEGRAPH_REQUIRE_JENA") == "1":
        pytest.fail(f"ROLEGRAPH_REQUIRE_JENA=1, but {why}")
    pytest.skip(why)


@cache
def _messages(folder: Path) -> Path:
    """The Xerces message files of jena-core, copied to where its relocated classes look (see above)."""
    target = folder / "jena-xerces-messages"
    prefix = "org/apache/jena/ext/xerces/"
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(prefix) and name.endswith(".properties"):
                out = target / "xerces" / name.removeprefix(prefix)
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(jar.read(name))
    return target


def classpath(folder: Path) -> str:
    return os.pathsep.join([*(str(JAVA_DIR / f"{name}.jar") for name in JARS), str(_messages(folder))])


def run(folder: Path, main: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``java -cp ... MAIN ARGS``: Jena's command ``main`` (``riotcmd.riot``, ``shacl.shacl``)."""
    return subprocess.run(
        ["java", "-Xss4m", "-cp", classpath(folder), main, *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def as_jsonld10(source: Path, target: Path) -> Path:
    """``source`` without its context's ``@version`` (the only JSON-LD 1.1 term it uses), for Jena's 1.0 reader."""
    document = json.loads(source.read_text(encoding="utf-8"))
    contexts = document.get("@context") if isinstance(document, dict) else None
    for context in contexts if isinstance(contexts, list) else [contexts]:
        if isinstance(context, dict):
            context.pop("@version", None)
    target.write_text(json.dumps(document), encoding="utf-8")
    return target


SHACL_BATCH = Path(__file__).parent / "data" / "jena" / "ShaclBatch.java"


def shacl_batch(folder: Path, shapes: Path, data: list[Path]) -> dict[Path, tuple[bool, int, frozenset[str]]]:
    """Jena SHACL on each data file, in one JVM: path -> (conforms, results, the results' source shapes)."""
    done = run(folder, str(SHACL_BATCH), str(shapes), *map(str, data))
    assert done.returncode == 0, done.stderr[-3000:]
    answers: dict[Path, tuple[bool, int, frozenset[str]]] = {}
    for line in done.stdout.splitlines():
        path, conforms, results, sources = line.split("\t")
        answers[Path(path)] = (conforms == "true", int(results), frozenset(sources.split()))
    assert set(answers) == set(data), done.stderr[-3000:]
    return answers
