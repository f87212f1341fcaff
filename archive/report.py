"""Per-agency aggregates of a batch output (see the batch row schema).

Pure functions over pandas DataFrames, so the HTML report, the CSV summary and the notebook all read the same
numbers. Loading keeps only the columns a report needs: a million-row output with evidence lists stays cheap.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from classifier.errors import BaocaoError, UnreadableInputError, UnsupportedFormatError

UNKNOWN_AGENCY = "Không xác định"
VERDICTS = ("dat", "can_bo_sung", "danh_trong_ghi_ten")
VERDICT_LABELS = {"dat": "Đạt", "can_bo_sung": "Cần bổ sung", "danh_trong_ghi_ten": "Đánh trống ghi tên"}
SCORES = ("score_vague", "score_position", "score_proposal")
# columns a report cannot do without; the others are filled with nulls when a table lacks them
REQUIRED = ("id", "agency", "date", "verdict", *SCORES, "error_code")
OPTIONAL = ("number", "reasons", "model_version", "error")
TEXT_COLUMNS = ("id", "agency", "date", "verdict", "error_code", "number", "model_version", "error")
DEFAULT_MIN_DOCS = 20
WEAKEST_N = 10
# what "weakest" means, said the same way in the report, the CSV-reading notebook and the README
WEAKEST_RULE = ("Xếp trước các văn bản bị đánh giá “Đánh trống ghi tên”, rồi “Cần bổ sung”, "
                "rồi “Đạt”; trong cùng mức, văn bản có điểm yếu cao hơn đứng trước, với điểm yếu = "
                "điểm chung chung + (1 − điểm quan điểm) + (1 − điểm đề xuất), từ 0 đến 3; bằng điểm thì giữ "
                "thứ tự trong tệp kết quả.")


# ---------------------------------------------------------------- loading

def load_output(path: str | Path) -> pd.DataFrame:
    """A batch output (.jsonl, .csv or .parquet) as a DataFrame of the report's columns.

    Raises BaocaoError subclasses with a Vietnamese message: missing or unreadable file, unknown format,
    required columns missing. (``archive.sinks.read_output`` gives whole rows as dicts, for round trips; this
    reads only the columns a report aggregates, with Arrow's readers, so a million rows load in seconds.)
    """
    path = Path(path)
    if not path.is_file():
        raise UnreadableInputError(f"Không tìm thấy tệp kết quả {path}.", f"batch output not found: {path}")
    suffix = path.suffix.lower()
    readers = {".jsonl": _read_jsonl, ".csv": _read_csv, ".parquet": _read_parquet}
    if suffix not in readers:
        raise UnsupportedFormatError(
            f"Không hỗ trợ định dạng “{suffix or path.name}”: cần tệp .jsonl, .csv hoặc .parquet do lệnh batch tạo ra.",
            f"unsupported batch output format {suffix or path.name!r} (expected .jsonl, .csv or .parquet)")
    try:
        frame = readers[suffix](path)
    except BaocaoError:
        raise
    except Exception as err:  # parser errors of three libraries: all mean "not a readable table"
        raise UnreadableInputError(f"Không đọc được tệp {path.name} thành bảng kết quả: {err}",
                                   f"cannot read {path.name} as a batch output table: {err}") from None
    return normalise(frame, source=path.name)


def _wanted(columns) -> list[str]:
    return [c for c in (*REQUIRED, *OPTIONAL) if c in set(columns)]


def _read_csv(path: Path) -> pd.DataFrame:
    """Arrow's multi-threaded CSV reader on the report's columns only; empty cells are nulls (as the batch
    writer stores them), and only empty cells: an agency called "NA" stays a name. Quoted cells may hold
    line breaks (an error message, a reason)."""
    import pyarrow as pa
    import pyarrow.csv as pc

    header = pd.read_csv(path, nrows=0, encoding="utf-8-sig")
    cols = _wanted(header.columns)
    _check_columns(cols, path)
    types = {c: pa.float64() if c in SCORES else pa.string() for c in cols}
    convert = pc.ConvertOptions(include_columns=cols, column_types=types, strings_can_be_null=True,
                                null_values=[""])
    table = pc.read_csv(path, parse_options=pc.ParseOptions(newlines_in_values=True), convert_options=convert)
    return table.to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)


def _read_parquet(path: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    cols = _wanted(pq.read_schema(path).names)
    _check_columns(cols, path)
    return pd.read_parquet(path, columns=cols)


def _read_jsonl(path: Path) -> pd.DataFrame:
    """Arrow's multi-threaded JSON reader on the report's fields; the line-by-line reader when Arrow refuses the
    file (a field whose type changes between lines, a line longer than a block), which also names the bad line."""
    _check_columns(_first_keys(path), path)
    import pyarrow as pa
    import pyarrow.json as pj

    schema = pa.schema([(c, pa.float64() if c in SCORES else pa.list_(pa.string()) if c == "reasons"
                         else pa.string()) for c in (*REQUIRED, *OPTIONAL)])
    options = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
    try:
        table = pj.read_json(path, read_options=pj.ReadOptions(block_size=16 << 20), parse_options=options)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return _read_jsonl_lines(path)
    frame = table.drop_columns(["reasons"]).to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)
    # reasons stay in Arrow (no million Python lists): only the weakest rows' reasons are ever taken out
    frame["reasons"] = pd.arrays.ArrowExtensionArray(table.column("reasons"))
    return frame


def _first_keys(path: Path) -> list[str]:
    """Fields of the first non-empty line (every row of a batch output has all columns)."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, 1):
            if line.strip():
                try:
                    obj = json.loads(line)
                except ValueError as err:
                    raise UnreadableInputError(f"Dòng {number} của {path.name} không phải JSON hợp lệ.",
                                               f"{path.name} line {number}: invalid JSON ({err})") from None
                return _wanted(obj) if isinstance(obj, dict) else []
    return []


def _read_jsonl_lines(path: Path) -> pd.DataFrame:
    """Line by line, keeping only the report's fields (evidence lists are dropped as soon as parsed)."""
    keep = (*REQUIRED, *OPTIONAL)
    rows, seen = [], set()
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError as err:
                raise UnreadableInputError(f"Dòng {number} của {path.name} không phải JSON hợp lệ.",
                                           f"{path.name} line {number}: invalid JSON ({err})") from None
            if not isinstance(obj, dict):
                raise UnreadableInputError(f"Dòng {number} của {path.name} không phải một đối tượng JSON.",
                                           f"{path.name} line {number}: not a JSON object")
            seen.update(obj)
            rows.append(tuple(obj.get(c) for c in keep))
    cols = _wanted(seen)
    _check_columns(cols, path)
    frame = pd.DataFrame.from_records(rows, columns=list(keep))
    return frame[cols]


def _check_columns(present: list[str], path: Path) -> None:
    missing = [c for c in REQUIRED if c not in present]
    if missing:
        raise UnreadableInputError(
            f"Tệp {path.name} không phải kết quả của lệnh batch: thiếu cột {', '.join(missing)}.",
            f"{path.name} is not a batch output: missing column(s) {', '.join(missing)}")


def normalise(frame: pd.DataFrame, source: str = "bảng") -> pd.DataFrame:
    """Typed columns plus the derived ones every aggregate uses: group, month, failed, weakness.

    Text columns stay Arrow-backed strings (no round trip through Python objects: a million rows in seconds).
    """
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise UnreadableInputError(f"Bảng {source} thiếu cột {', '.join(missing)}.",
                                   f"table {source} lacks column(s) {', '.join(missing)}")
    frame = frame.reset_index(drop=True)
    cols: dict[str, pd.Series] = {}
    for c in TEXT_COLUMNS:
        cols[c] = (frame[c].astype("string") if c in frame.columns
                   else pd.Series(pd.NA, index=frame.index, dtype="string"))
    for c in SCORES:
        cols[c] = pd.to_numeric(frame[c], errors="coerce").astype("float64")
    cols["reasons"] = frame["reasons"] if "reasons" in frame.columns else pd.Series(None, index=frame.index)
    out = pd.DataFrame(cols)
    agency = out["agency"].str.strip()
    out["agency"] = agency.where(agency != "", pd.NA).fillna(UNKNOWN_AGENCY).astype("category")
    known = out["verdict"].where(out["verdict"].isin(VERDICTS))  # an unknown verdict becomes <NA>
    verdict = pd.Categorical(known, categories=list(VERDICTS))
    failed = out["error_code"].notna().to_numpy() | pd.isna(verdict)
    verdict[failed] = np.nan
    out["verdict"], out["failed"] = verdict, failed
    dates = pd.to_datetime(out["date"], format="%Y-%m-%d", errors="coerce")
    out["month"] = (dates.dt.year * 100 + dates.dt.month).astype("Int64")  # 202407; <NA> without a valid date
    out["weakness"] = out["score_vague"] + (1 - out["score_position"]) + (1 - out["score_proposal"])
    return out


def _core(frame: pd.DataFrame, scored_only: bool = False) -> pd.DataFrame:
    """The numeric and categorical columns aggregates read: filtering these never copies text columns."""
    core = frame[["agency", "verdict", "failed", "month", *SCORES]]
    return core[~core["failed"].to_numpy()] if scored_only else core


# ---------------------------------------------------------------- aggregates

def _counts(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Verdict counts per group, one column per verdict (zeros where none)."""
    table = frame.groupby([*by, "verdict"], observed=False).size().unstack("verdict", fill_value=0)
    return table.reindex(columns=list(VERDICTS), fill_value=0)


def agency_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per agency: documents, scored, failed, verdict counts and shares (of scored), mean scores,
    first/last month (any row) and scored documents without a date. Sorted by documents, largest first."""
    core = _core(frame)
    g = core.groupby("agency", observed=True)
    out = pd.DataFrame({"documents": g.size(), "failed": g["failed"].sum()})
    out["scored"] = out["documents"] - out["failed"]
    scored = _core(frame, scored_only=True)
    counts = _counts(scored, ["agency"]).reindex(out.index, fill_value=0)
    for v in VERDICTS:
        out[f"n_{v}"] = counts[v]
    has_scored = out["scored"].to_numpy() > 0
    for v in VERDICTS:  # NaN, not 0, for an agency none of whose documents could be scored
        share = out[f"n_{v}"].to_numpy(dtype="float64") / np.maximum(out["scored"].to_numpy(), 1)
        out[f"share_{v}"] = np.where(has_scored, share, np.nan)
    means = scored.groupby("agency", observed=True)[list(SCORES)].mean()
    for c in SCORES:
        out[f"mean_{c[6:]}"] = means[c].reindex(out.index).astype("float64")
    months = g["month"].agg(["min", "max"])
    out["first_month"], out["last_month"] = months["min"], months["max"]
    dated = scored[scored["month"].notna()].groupby("agency", observed=True).size()
    out["undated"] = out["scored"] - dated.reindex(out.index, fill_value=0)
    out.index = out.index.astype(str)
    out.index.name = "agency"
    return out.sort_values(["documents"], ascending=False, kind="stable")


def empty_ranking(summary: pd.DataFrame, min_docs: int = DEFAULT_MIN_DOCS) -> pd.DataFrame:
    """Agencies ranked by share of "đánh trống ghi tên" (of scored documents), highest first.

    ``enough`` is False for agencies with fewer than ``min_docs`` scored documents: too few to judge, and
    ranked after all the others (by scored documents) rather than among them.
    """
    out = summary[["scored", "n_danh_trong_ghi_ten", "share_danh_trong_ghi_ten"]].copy()
    out["enough"] = out["scored"] >= min_docs
    out = out.sort_values(["enough", "share_danh_trong_ghi_ten", "scored"], ascending=[False, False, False],
                          kind="stable", na_position="last")
    out["rank"] = np.where(out["enough"], np.arange(1, len(out) + 1), 0)
    return out


def verdict_shares(frame: pd.DataFrame) -> pd.Series:
    """Share of each verdict among scored documents (all three keys, zeros included)."""
    counts = frame["verdict"].value_counts().reindex(list(VERDICTS), fill_value=0)
    total = counts.sum()
    return counts / total if total else counts.astype(float)


def errors_by_code(frame: pd.DataFrame) -> pd.DataFrame:
    """Failed rows per error code with one example message; rows without a verdict and no code are
    counted as ``no_verdict``."""
    failed = frame[frame["failed"]]
    codes = failed["error_code"].fillna("no_verdict")
    out = pd.DataFrame({"count": codes.value_counts()})
    examples = failed.assign(code=codes).groupby("code")["error"].first()
    out["example"] = examples.reindex(out.index)
    out.index.name = "error_code"
    return out.sort_values("count", ascending=False, kind="stable")


def model_versions(frame: pd.DataFrame) -> pd.Series:
    """Documents per model version (scored rows only)."""
    return frame.loc[~frame["failed"], "model_version"].fillna("không rõ").value_counts()


def monthly_trend(frame: pd.DataFrame, by_agency: bool = False) -> pd.DataFrame:
    """Scored documents per month and verdict (index month as 202407, or (agency, month)).

    Undated documents are not in it: count them with ``undated``.
    """
    scored = _core(frame, scored_only=True)
    dated = scored[scored["month"].notna()]
    by = ["agency", "month"] if by_agency else ["month"]
    if dated.empty:
        return pd.DataFrame(columns=[*VERDICTS, "total"], dtype="int64")
    counts = dated.groupby([*by, "verdict"], observed=True).size().unstack("verdict", fill_value=0)
    counts = counts.reindex(columns=list(VERDICTS), fill_value=0)
    counts["total"] = counts.sum(axis=1)
    counts.columns.name = None
    return counts


def undated(frame: pd.DataFrame) -> int:
    """Scored documents without a valid ISO date: left out of the monthly trend."""
    return int((~frame["failed"] & frame["month"].isna()).sum())


def weakest(frame: pd.DataFrame, n: int = WEAKEST_N) -> pd.DataFrame:
    """The ``n`` weakest scored documents per agency, ordered as WEAKEST_RULE says (ties in output order).

    The order is found on numeric keys alone; only the selected rows' text columns are ever touched.
    """
    positions = np.flatnonzero(~frame["failed"].to_numpy())
    agency = frame["agency"].cat.codes.to_numpy()[positions]
    # VERDICTS is ordered best first, so 2 - code puts danh_trong_ghi_ten (0) before can_bo_sung and dat
    rank = 2 - frame["verdict"].cat.codes.to_numpy()[positions]
    weakness = frame["weakness"].to_numpy()[positions]
    order = np.lexsort((positions, -weakness, rank, agency))  # last key sorts first; NaN weakness goes last
    grouped = agency[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    within = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    chosen = positions[order[within < n]]
    top = frame.iloc[chosen][["agency", "id", "date", "number", "verdict", *SCORES, "weakness", "reasons"]]
    top = top.assign(reasons=[reason_list(r) for r in top["reasons"]])
    return top.reset_index(drop=True)


def reason_list(value) -> list[str]:
    """Reasons as a list whatever the format stored them as (JSON string in .csv/.parquet, list in .jsonl)."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    if isinstance(value, (list, tuple, np.ndarray)):
        return [str(v) for v in value]
    return [str(value)]


def month_label(month) -> str:
    """202407 -> '07/2024'."""
    if month is None or pd.isna(month):
        return ""
    month = int(month)
    return f"{month % 100:02d}/{month // 100}"


# ---------------------------------------------------------------- one object for renderers

@dataclass
class Report:
    """Everything the HTML and CSV renderers show, computed once."""

    source: str
    total: int
    failed: int
    shares: pd.Series
    errors: pd.DataFrame
    versions: pd.Series
    summary: pd.DataFrame
    ranking: pd.DataFrame
    trend: pd.DataFrame
    agency_trend: pd.DataFrame
    undated: int
    weakest: pd.DataFrame
    score_histograms: dict[str, np.ndarray] = field(default_factory=dict)
    min_docs: int = DEFAULT_MIN_DOCS


def build_report(frame: pd.DataFrame, source: str = "", min_docs: int = DEFAULT_MIN_DOCS) -> Report:
    """All aggregates for one normalised frame (see ``normalise``)."""
    summary = agency_summary(frame)
    scored = _core(frame, scored_only=True)
    bins = np.linspace(0, 1, 11)
    return Report(source=source, total=len(frame), failed=int(frame["failed"].sum()),
                  shares=verdict_shares(frame), errors=errors_by_code(frame), versions=model_versions(frame),
                  summary=summary, ranking=empty_ranking(summary, min_docs), trend=monthly_trend(frame),
                  agency_trend=monthly_trend(frame, by_agency=True), undated=undated(frame),
                  weakest=weakest(frame),
                  score_histograms={c[6:]: np.histogram(scored[c].dropna().to_numpy(), bins=bins)[0]
                                    for c in SCORES},
                  min_docs=min_docs)


SUMMARY_CSV_COLUMNS = {
    "agency": "Cơ quan", "documents": "Số văn bản", "scored": "Đã chấm", "failed": "Lỗi không chấm được",
    "share_dat": "Tỷ lệ Đạt (%)", "share_can_bo_sung": "Tỷ lệ Cần bổ sung (%)",
    "share_danh_trong_ghi_ten": "Tỷ lệ Đánh trống ghi tên (%)", "mean_vague": "Điểm chung chung TB",
    "mean_position": "Điểm quan điểm TB", "mean_proposal": "Điểm đề xuất TB", "first_month": "Tháng đầu",
    "last_month": "Tháng cuối", "undated": "Không có ngày",
}


def summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """The per-agency summary with Vietnamese headers, shares in percent, months as MM/YYYY (for --csv)."""
    out = summary.reset_index()[list(SUMMARY_CSV_COLUMNS)].copy()
    for v in VERDICTS:
        out[f"share_{v}"] = (out[f"share_{v}"] * 100).round(1)
    for c in ("mean_vague", "mean_position", "mean_proposal"):
        out[c] = out[c].round(3)
    for c in ("first_month", "last_month"):
        out[c] = [month_label(m) for m in out[c]]
    return out.rename(columns=SUMMARY_CSV_COLUMNS)
