"""Per-agency report speed and size on a large synthetic batch output, in one run.

Usage: .venv/bin/python benchmarks/bench_report.py [--rows 1000000] [--agencies 200] [--format parquet]
       [--keep OUT] [--html report.html] [--input OUT]

The rows are real: the labeled sample documents (data/samples) are scored once by the default model and
flattened by the batch engine's row code (archive.rows); the synthetic archive draws --rows of them with
replacement, gives each a new id, one of --agencies agency names (a few large agencies, many small ones),
a date over 36 months (6% without a date) and makes 0.5% of rows error rows. Prints seconds to write, load,
aggregate and render, the peak memory of the report's own process, and the HTML size next to the size for a
tenth of the rows (the page must not grow with rows). ``--input OUT`` measures an existing output only.
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.report import build_report, load_output  # noqa: E402
from archive.report_html import render_html  # noqa: E402


def scored_templates() -> pd.DataFrame:
    """The sample documents scored and flattened into batch output rows (one per document)."""
    from archive.rows import COLUMNS, result_row
    from archive.sources import Item
    from classifier import load_scorer
    from classifier.document import parse
    from training.data import load_corpus

    records = load_corpus()
    scorer = load_scorer()
    docs = [parse(r.text) for r in records]
    results = scorer.score_parsed(docs, [r.id for r in records])
    rows = [result_row(Item(seq=k, id=r.id, source=f"samples#row={k + 1}", agency=r.agency), res, doc, None,
                       len(r.text.split()))
            for k, (r, res, doc) in enumerate(zip(records, results, docs))]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def synthetic_output(templates: pd.DataFrame, rows: int, agencies: int, seed: int = 0) -> pd.DataFrame:
    """``rows`` batch output rows drawn from ``templates`` and spread over agencies and months."""
    rng = np.random.default_rng(seed)
    out = templates.iloc[rng.integers(0, len(templates), rows)].reset_index(drop=True)
    out["id"] = [f"VB-{k:07d}" for k in range(rows)]
    out["source"] = [f"archive.csv#row={k + 1}" for k in range(rows)]
    names = [f"Sở số {k + 1}" if k < 20 else f"UBND phường {k + 1 - 20}" for k in range(agencies)]
    weights = 1 / np.arange(1, agencies + 1) ** 0.9
    pick = rng.choice(agencies, size=rows, p=weights / weights.sum())
    out["agency"] = out["agency_raw"] = np.array(names, dtype=object)[pick]
    days = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 36 * 30.4, rows), unit="D")
    dates = days.strftime("%Y-%m-%d").to_numpy(dtype=object)
    dates[rng.random(rows) < 0.06] = None
    out["date"] = dates
    failed = rng.random(rows) < 0.005
    score_cols = [c for c in out.columns if c.startswith(("score_", "label_"))] + ["verdict", "words"]
    for column in score_cols:
        out[column] = out[column].astype(object).where(~failed, None)
    for column in ("reasons", "evidence"):
        out[column] = [[] if bad else value for bad, value in zip(failed, out[column])]
    out.loc[failed, "error_code"] = "empty_text"
    out.loc[failed, "error"] = "Văn bản rỗng. (empty text)"
    return out


def write(frame: pd.DataFrame, path: Path) -> None:
    """Write the way the batch engine's sinks store each format (lists JSON-encoded in .csv/.parquet)."""
    import json

    if path.suffix == ".jsonl":
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
        return
    flat = frame.copy()
    for column in ("reasons", "evidence"):
        flat[column] = [v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in flat[column]]
    if path.suffix == ".csv":
        flat.to_csv(path, index=False)
    else:
        flat.to_parquet(path, index=False)


def timed(label: str, fn):
    start = time.perf_counter()
    value = fn()
    print(f"{label}: {time.perf_counter() - start:.1f} s")
    return value


def peak_rss_mb() -> float:
    """This process's peak RSS: VmHWM belongs to the address space made at exec (ru_maxrss would carry the
    generating parent's peak across fork and exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(path: Path, html_out: str | None) -> None:
    """Load, aggregate and render one existing output; peak memory is this process's alone."""
    loaded = timed("load_output", lambda: load_output(path))
    report = timed("build_report", lambda: build_report(loaded, path.name))
    html = timed("render_html", lambda: render_html(report))
    print(f"peak memory of load + aggregate + render (RSS): {peak_rss_mb():.0f} MB")
    small = render_html(build_report(loaded.iloc[: max(1, len(loaded) // 10)], path.name))
    print(f"HTML: {len(html.encode()) / 1e6:.2f} MB for {len(loaded):,} rows, "
          f"{len(small.encode()) / 1e6:.2f} MB for the first tenth of them; {len(report.summary)} agencies")
    if html_out:
        Path(html_out).write_text(html, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--format", choices=("parquet", "csv", "jsonl"), default="parquet")
    parser.add_argument("--keep", help="write the synthetic output here and keep it")
    parser.add_argument("--html", help="also write the report page here")
    parser.add_argument("--input", help="measure this existing batch output instead of making one")
    args = parser.parse_args()
    if args.input:
        measure(Path(args.input), args.html)
        return

    templates = timed("score the sample documents", scored_templates)
    frame = synthetic_output(templates, args.rows, args.agencies)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / f"out.{args.format}"
        timed(f"write {args.rows:,} rows as {path.suffix}", lambda data=frame: write(data, path))
        print(f"file size: {path.stat().st_size / 1e6:.0f} MB", flush=True)
        del frame, templates
        # a fresh process, so the peak memory printed is the report's, not the generator's
        command = [sys.executable, __file__, "--input", str(path)] + (["--html", args.html] if args.html else [])
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
