"""`baocao` console script: thin wrappers over the library; no scoring logic lives here."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from classifier.errors import BaocaoError

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_MODEL = 0, 1, 2, 3


def _load(model: str | None):
    """The scorer, or exit with EXIT_MODEL and the reason (missing model, SHA-256 mismatch)."""
    from classifier import load_scorer

    try:
        return load_scorer(model)
    except BaocaoError as err:
        print(f"lỗi: {err}", file=sys.stderr)
        raise SystemExit(EXIT_MODEL) from None


def cmd_score(args) -> int:
    from classifier.readers import decode_bytes, read_file

    from .render import summary

    scorer = _load(args.model)
    failed = 0
    for name in args.files:
        try:
            if name == "-":
                read = decode_bytes(sys.stdin.buffer.read())
            else:
                read = read_file(name)
            result = scorer.score(read.text, id=name, conversion=read.conversion)
        except BaocaoError as err:
            failed += 1
            print(f"lỗi: {name}: {err.message_vi} ({err.message_en})", file=sys.stderr)
            if args.json:
                print(json.dumps({"id": name, "error": err.to_dict()}, ensure_ascii=False))
            continue
        if args.json:
            print(json.dumps(result.to_dict(), ensure_ascii=False))
        else:
            print(summary(result, name) + "\n")
    return EXIT_INPUT if failed else EXIT_OK


def cmd_batch(args) -> int:
    from .batch import run

    return run(args)


def cmd_train(args) -> int:
    from training.data import DataError
    from training.train import train

    try:
        feedback = None
        if args.with_feedback is not None:
            from training.feedback import load_feedback

            feedback = load_feedback(args.with_feedback)
        card = train(args.data, args.out, seed=args.seed, with_baselines=not args.no_baselines, feedback=feedback)
    except DataError as err:
        print(f"lỗi dữ liệu: {err}", file=sys.stderr)
        return EXIT_INPUT
    dev = card["metrics"]["model"].get("dev", {})
    print("dev: " + ", ".join(f"{k} macro-F1 {dev[k]['macro_f1']:.3f}" for k in ("vague", "position", "proposal")
                              if k in dev) + (f", verdict accuracy {dev['verdict_accuracy']:.3f}" if dev else ""))
    for check, title in (("real_dev", "real-dev"), ("corpus_check", "corpus check"),
                         ("corpus_check_plans", "corpus check, plan-like lines")):
        real = card["metrics"]["model"].get(check)
        if real:
            print(f"{title}: " + ", ".join(f"{k} macro-F1 {v['macro_f1']:.3f}" for k, v in real.items()
                                            if isinstance(v, dict)))
    return EXIT_OK


def cmd_serve(args) -> int:
    """Run the HTTP API (settings from BAOCAO_* variables; these options override them)."""
    import uvicorn

    from api.logging import uvicorn_log_config
    from api.main import create_app
    from api.settings import Settings

    overrides = {k: v for k, v in (("host", args.host), ("port", args.port), ("model", args.model)) if v is not None}
    settings = Settings(**overrides)
    options = dict(host=settings.host, port=settings.port, access_log=False,
                   log_config=uvicorn_log_config(settings.log_level))
    if args.workers > 1:  # each worker process builds its own app (and loads the model) from BAOCAO_* variables
        os.environ.update({f"BAOCAO_{k.upper()}": str(v) for k, v in overrides.items()})
        # the workers already use the cores: scoring processes per worker would oversubscribe them
        os.environ.setdefault("BAOCAO_SCORING_PROCESSES", "0")
        uvicorn.run("api.main:create_app", factory=True, workers=args.workers, **options)
    else:
        uvicorn.run(create_app(settings), **options)
    return EXIT_OK


def cmd_report(args) -> int:
    from archive.report import DEFAULT_MIN_DOCS, build_report, load_output, summary_table
    from archive.charts import fmt_int
    from archive.report_html import write_html

    if not args.html and not args.csv:
        print("lỗi: cần --html và/hoặc --csv (give --html and/or --csv)", file=sys.stderr)
        return EXIT_USAGE
    try:
        frame = load_output(args.output)
    except BaocaoError as err:
        print(f"lỗi: {err}", file=sys.stderr)
        return EXIT_INPUT
    min_docs = DEFAULT_MIN_DOCS if args.min_docs is None else args.min_docs
    report = build_report(frame, Path(args.output).name, min_docs=min_docs)
    try:
        if args.html:
            write_html(report, args.html)
        if args.csv:
            summary_table(report.summary).to_csv(args.csv, index=False, encoding="utf-8-sig")
    except OSError as err:
        print(f"lỗi: không ghi được {err.filename}: {err.strerror} (cannot write {err.filename})", file=sys.stderr)
        return EXIT_INPUT
    written = " và ".join(p for p in (args.html, args.csv) if p)
    print(f"đã lập báo cáo {fmt_int(report.total)} văn bản, {fmt_int(len(report.summary))} cơ quan → {written}",
          file=sys.stderr)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="baocao", description="Chấm báo cáo, tờ trình, công văn: "
                                     "chung chung? có quan điểm? có đề xuất cụ thể?")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("score", help="score .txt/.docx/.pdf files or '-' for stdin")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true", help="print one JSON result object per line")
    p.add_argument("--model", help="model artifact (default: BAOCAO_MODEL or models/baocao.joblib)")
    p.set_defaults(func=cmd_score)
    p = sub.add_parser("batch", help="score a folder or a table (.jsonl/.csv/.parquet) into one row per document")
    from .batch import add_arguments

    add_arguments(p)
    p.set_defaults(func=cmd_batch)
    p = sub.add_parser("train", help="validate data/samples and train the default model")
    p.add_argument("--data", default=None, help="labeled data folder (default: data/samples)")
    p.add_argument("--out", default=None, help="artifact path (default: models/baocao.joblib)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-baselines", action="store_true", help="skip the baseline comparison (faster)")
    p.add_argument("--with-feedback", nargs="?", const="", default=None, metavar="DB_OR_JSONL",
                   help="add reviewers' corrections with full text as training documents (default source: "
                        "the service's feedback database, BAOCAO_DB_PATH or var/feedback.sqlite3)")
    p.set_defaults(func=cmd_train)
    p = sub.add_parser("serve", help="run the HTTP API and reviewer page (default http://127.0.0.1:8000)")
    p.add_argument("--host", help="address to listen on (default: BAOCAO_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default: BAOCAO_PORT or 8000)")
    p.add_argument("--model", help="model artifact (default: BAOCAO_MODEL or models/baocao.joblib)")
    p.add_argument("--workers", type=int, default=1,
                   help="worker processes, each with its own copy of the model (default 1)")
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("report", help="per-agency HTML report and/or CSV summary of a batch output")
    p.add_argument("output", help="batch output: .jsonl, .csv or .parquet")
    p.add_argument("--html", help="write the self-contained report page here")
    p.add_argument("--csv", help="write one row per agency here")
    p.add_argument("--min-docs", type=int, default=None,
                   help="agencies with fewer scored documents are listed apart, not ranked (default 20)")
    p.set_defaults(func=cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "data", "unset") is None:
        from training.data import DEFAULT_DATA_DIR

        args.data = DEFAULT_DATA_DIR
    if getattr(args, "with_feedback", None) == "":
        from api.settings import Settings

        args.with_feedback = Settings().db_path
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
