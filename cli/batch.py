"""`baocao batch INPUT --out OUTPUT`: arguments and exit codes over :func:`archive.job.run_job`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from classifier.errors import BaocaoError, ModelIntegrityError, ModelNotFoundError

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_MODEL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def add_arguments(p: argparse.ArgumentParser) -> None:
    from archive.job import CHUNK_SIZE
    from classifier.readers import MAX_FILE_BYTES

    p.add_argument("input", help="folder of .txt/.docx/.pdf (recursive) or a .jsonl/.csv/.parquet table "
                                 "with id, text and optional agency, date columns")
    p.add_argument("--out", required=True, help="output table: .jsonl, .csv or .parquet")
    p.add_argument("--model", help="model artifact (default: BAOCAO_MODEL or models/baocao.joblib)")
    p.add_argument("--workers", type=int, default=None, help="local worker processes (default: all cores)")
    p.add_argument("--chunk-size", type=int, default=CHUNK_SIZE,
                   help=f"documents per committed chunk (default {CHUNK_SIZE})")
    p.add_argument("--max-file-bytes", type=int, default=MAX_FILE_BYTES,
                   help=f"larger files get a too_large error row (default {MAX_FILE_BYTES})")
    p.add_argument("--restart", action="store_true",
                   help="discard the parts of an earlier run (needed when the input or model changed)")
    p.add_argument("--dask-scheduler", metavar="tcp://HOST:PORT", help="run on an existing Dask cluster")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")


def run(args) -> int:
    from archive.job import JobOptions, ResumeConflictError, run_job

    if args.workers is not None and args.workers < 1:
        print("lỗi: --workers phải ≥ 1 (--workers must be at least 1)", file=sys.stderr)
        return EXIT_USAGE
    options = JobOptions(input=Path(args.input), output=Path(args.out), model=args.model and Path(args.model),
                         workers=args.workers, chunk_size=args.chunk_size, max_file_bytes=args.max_file_bytes,
                         restart=args.restart, dask_scheduler=args.dask_scheduler, progress=not args.no_progress)
    try:
        summary = run_job(options)
    except (ModelNotFoundError, ModelIntegrityError) as err:
        print(f"lỗi: {err}", file=sys.stderr)
        return EXIT_MODEL
    except ResumeConflictError as err:
        print(f"lỗi: {err}", file=sys.stderr)
        return EXIT_USAGE
    except BaocaoError as err:
        print(f"lỗi: {err}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("\nĐã dừng. Các phần đã chấm được giữ lại; chạy lại cùng lệnh để tiếp tục. "
              "(stopped; committed chunks are kept, rerun the same command to resume)", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(summary.text_vi(), file=sys.stderr)
    return EXIT_OK
