"""Write the output table (.jsonl, .csv, .parquet by extension) atomically: temp file, fsync, rename; read it back."""
from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from classifier.errors import UnsupportedFormatError

from .rows import BOOL_COLUMNS, COLUMNS, FLOAT_COLUMNS, INT_COLUMNS, JSON_COLUMNS, arrow_schema, flat

FORMATS = {".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet"}
PARQUET_BATCH = 2048


def output_format(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise UnsupportedFormatError(
            f"Tệp kết quả phải có đuôi .jsonl, .csv hoặc .parquet (nhận '{path.suffix}').",
            f"output must end in .jsonl, .csv or .parquet (got '{path.suffix}')") from None


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _write_jsonl(fh, rows: Iterable[dict]) -> int:
    n = 0
    for row in rows:
        fh.write(json.dumps({c: row[c] for c in COLUMNS}, ensure_ascii=False) + "\n")
        n += 1
    return n


def _write_csv(fh, rows: Iterable[dict]) -> int:
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(COLUMNS)
    n = 0
    for row in rows:
        row = flat(row)
        writer.writerow([_csv_cell(row[c]) for c in COLUMNS])
        n += 1
    return n


def _write_parquet(path: Path, rows: Iterable[dict]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema()
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict] = []
        for row in rows:
            batch.append(flat(row))
            if len(batch) >= PARQUET_BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def write_output(path: Path, rows: Iterable[dict]) -> int:
    """Write every row to ``path`` in its format and return the count; the old file stays until the new one is whole."""
    fmt = output_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    try:
        if fmt == "parquet":
            n = _write_parquet(tmp, rows)
        else:
            # CSV gets a byte-order mark so spreadsheet programs read the Vietnamese as UTF-8
            with open(tmp, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as fh:
                n = (_write_csv if fmt == "csv" else _write_jsonl)(fh, rows)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return n


def _typed(column: str, text: str):
    """A CSV cell back to its schema type."""
    if text == "":
        return [] if column in JSON_COLUMNS else None
    if column in JSON_COLUMNS:
        return json.loads(text)
    if column in FLOAT_COLUMNS:
        return float(text)
    if column in BOOL_COLUMNS:
        return text == "true"
    if column in INT_COLUMNS:
        return int(text)
    return text


def read_output(path: Path) -> Iterator[dict]:
    """Rows of an output table as :func:`write_output` got them (``reasons``/``evidence`` as lists)."""
    path = Path(path)
    fmt = output_format(path)
    if fmt == "jsonl":
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)
    elif fmt == "csv":
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                yield {c: _typed(c, row[c]) for c in COLUMNS}
    else:
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=PARQUET_BATCH):
            for row in batch.to_pylist():
                for column in JSON_COLUMNS:
                    row[column] = json.loads(row[column]) if row[column] else []
                yield row
