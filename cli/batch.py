"""`baocao batch IN.jsonl --out OUT.jsonl`: one result per input line, same ids, input order."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from classifier.errors import BaocaoError, InvalidRecordError
from classifier.scorer import Scorer, check_text
from classifier.document import parse

CHUNK = 256


def _score_chunk(scorer: Scorer, rows: list[tuple[object, object, dict | None]]) -> list[dict]:
    out: list[dict | None] = [None] * len(rows)
    good, parsed, ids = [], [], []
    for k, (doc_id, text, error) in enumerate(rows):
        if error is not None:
            out[k] = error
            continue
        try:
            if not isinstance(text, str):
                raise BaocaoError("Thiếu trường 'text' dạng chuỗi.", "missing string field 'text'")
            check_text(text)
        except BaocaoError as err:
            out[k] = {"id": doc_id, "error": err.to_dict()}
            continue
        good.append(k)
        parsed.append(parse(text))
        ids.append(doc_id)
    if parsed:
        for k, result in zip(good, scorer.score_parsed(parsed, ids)):
            out[k] = result.to_dict()
    return out  # type: ignore[return-value]


def run_jsonl_batch(scorer: Scorer, src: Path, dst: Path) -> int:
    """Score every line; bad lines become error rows. Exit 0 unless the job itself failed."""
    try:
        fh_in = open(src, encoding="utf-8", errors="strict")
    except OSError as err:
        print(f"lỗi: không mở được {src}: {err}", file=sys.stderr)
        return 1
    done = failed = 0
    tmp = dst.with_suffix(dst.suffix + ".part")
    with fh_in, open(tmp, "w", encoding="utf-8") as fh_out:
        chunk: list[tuple[object, object, dict | None]] = []

        def flush():
            nonlocal done, failed
            for row in _score_chunk(scorer, chunk):
                failed += "error" in row
                done += 1
                fh_out.write(json.dumps(row, ensure_ascii=False) + "\n")
            chunk.clear()

        try:
            lines = enumerate(fh_in, 1)
            for number, line in lines:
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                    if not isinstance(obj, dict):
                        raise ValueError("not an object")
                    chunk.append((obj.get("id", f"line-{number}"), obj.get("text"), None))
                except ValueError as err:
                    error = InvalidRecordError(f"Dòng {number} không phải JSON hợp lệ.", f"line {number}: invalid JSON ({err})")
                    chunk.append((f"line-{number}", None, {"id": f"line-{number}", "error": error.to_dict()}))
                if len(chunk) >= CHUNK:
                    flush()
        except UnicodeDecodeError:
            print(f"lỗi: {src} không phải UTF-8", file=sys.stderr)
            return 1
        flush()
    tmp.replace(dst)
    print(f"đã chấm {done} văn bản, {failed} lỗi → {dst}", file=sys.stderr)
    return 0
