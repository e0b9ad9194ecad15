"""Benchmarks and the test-only tools they share: the page renderer and the synthetic corpus.

Not shipped in the wheel. Tests import them as ``bench.synth`` and ``bench.render`` (the repository
root is on ``sys.path`` under pytest); ``bench/run`` puts the root there itself.
"""

from pathlib import Path


def write_section(out: Path, heading: str, lines: list[str]) -> None:
    """Replace (or add) the section of ``out`` under ``heading`` (a ``## `` line), keeping every other section."""
    text = out.read_text(encoding="utf-8") if out.exists() else "# rolegraph benchmark results\n"
    before, found, after = text.partition("\n" + heading)
    rest = ""
    if found:
        _, sep, tail = after.partition("\n## ")
        rest = ("\n## " + tail) if sep else ""
    out.write_text(before.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n" + rest, encoding="utf-8")
