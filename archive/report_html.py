"""Render a Report as one self-contained HTML page (inline CSS and SVG, no script, nothing fetched).

Jinja2 autoescapes every value, so agency names, ids and reasons from the data are shown, never run.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from classifier.explain import VERDICT_TEXT

from . import charts
from .charts import VERDICT_COLORS, fmt_dec, fmt_int, fmt_pct
from .report import (UNKNOWN_AGENCY, VERDICT_LABELS, VERDICTS, WEAKEST_N, WEAKEST_RULE, Report, month_label)

TOP_RANKED = 20  # the ranking shows this many agencies; the rest are one click away
MAX_MONTHS = 60  # longer histories show their last five years; older documents are counted in a note
SCORE_NAMES = {"vague": "Chung chung", "position": "Quan điểm", "proposal": "Đề xuất"}
SCORE_HELP = {
    "vague": "cao = nội dung chung chung, thiếu số liệu, thời hạn, đơn vị chịu trách nhiệm",
    "position": "cao = cơ quan nêu rõ quan điểm của mình",
    "proposal": "cao = có đề xuất cụ thể (việc gì, ai làm, khi nào)",
}
ERROR_TEXT = {
    "empty_text": "Văn bản rỗng",
    "unreadable": "Không đọc được tệp",
    "invalid_json": "Dòng dữ liệu không hợp lệ",
    "unsupported_format": "Định dạng tệp không hỗ trợ",
    "too_large": "Văn bản quá lớn",
    "no_verdict": "Không có kết luận",
}


def _env() -> Environment:
    env = Environment(loader=PackageLoader("archive", "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(int=fmt_int, pct=fmt_pct, dec=fmt_dec, lower_first=lambda text: text[:1].lower() + text[1:])
    return env


def _date_vi(iso) -> str:
    """'2024-07-03' -> '03/07/2024'; anything else shown as given."""
    if iso is None or iso is pd.NA or iso != iso:
        return ""
    text = str(iso)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:]}/{text[5:7]}/{text[:4]}"
    return text


def _split_reason(reason: str) -> tuple[str, str]:
    """'Nội dung chung chung: 7/7 câu …' -> ('Nội dung chung chung', '7/7 câu …'), so the page can bold the
    failing dimension; a reason without such a head is kept whole."""
    head, sep, rest = reason.partition(": ")
    return (head, rest) if sep and len(head) <= 60 else ("", reason)


def _month_range(trend: pd.DataFrame) -> tuple[list[int], int]:
    """Contiguous months of the trend (at most MAX_MONTHS, the latest) and documents left out as older."""
    if trend.empty:
        return [], 0
    months = sorted(int(m) for m in trend.index.get_level_values("month").unique())
    first, last = months[0], months[-1]
    span = []
    y, m = divmod(first, 100)
    while y * 100 + m <= last:
        span.append(y * 100 + m)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    shown = span[-MAX_MONTHS:]
    older = trend[trend.index.get_level_values("month") < shown[0]]["total"].sum()
    return shown, int(older)


def _series(trend: pd.DataFrame, months: list[int]) -> dict[str, list[int]]:
    table = trend.reindex(months, fill_value=0)
    return {v: [int(n) for n in table[v]] for v in VERDICTS}


def _legend(counts: dict[str, int]) -> list[dict]:
    total = sum(counts.values())
    return [{"label": VERDICT_LABELS[v], "color": VERDICT_COLORS[v], "count": counts[v],
             "share": counts[v] / total if total else float("nan")} for v in VERDICTS]


def _row(name: str, s: pd.Series, anchor: str) -> dict:
    counts = {v: int(s[f"n_{v}"]) for v in VERDICTS}
    return {"name": name, "anchor": anchor, "documents": int(s["documents"]), "scored": int(s["scored"]),
            "failed": int(s["failed"]), "counts": counts,
            "shares": {v: s[f"share_{v}"] for v in VERDICTS},
            "means": {k: s[f"mean_{k}"] for k in SCORE_NAMES},
            "bar": charts.share_bar(counts, VERDICT_LABELS, width=220, height=18)}


def context(report: Report, generated: datetime | None = None) -> dict:
    """Everything the template prints, already formatted where formatting is a choice."""
    generated = generated or datetime.now()
    summary = report.summary
    anchors = {name: f"cq-{k + 1}" for k, name in enumerate(summary.index)}
    months, older = _month_range(report.trend)
    overall_counts = {v: int(summary[f"n_{v}"].sum()) for v in VERDICTS}

    ranked, small = [], []
    for name, r in report.ranking.iterrows():
        if name == UNKNOWN_AGENCY:
            continue
        row = _row(name, summary.loc[name], anchors[name]) | {"rank": int(r["rank"])}
        (ranked if r["enough"] else small).append(row)

    weakest = {name: group for name, group in report.weakest.groupby("agency", observed=True, sort=False)}
    agency_months = report.agency_trend
    agencies = []
    for name, s in summary.iterrows():
        row = _row(name, s, anchors[name])
        row["bar"] = charts.share_bar(row["counts"], VERDICT_LABELS, width=420, height=22)
        row["legend"] = _legend(row["counts"])
        row["first_month"], row["last_month"] = month_label(s["first_month"]), month_label(s["last_month"])
        row["undated"] = int(s["undated"])
        row["meters"] = {k: charts.score_meter(row["means"][k]) for k in SCORE_NAMES}
        if months and name in agency_months.index.get_level_values("agency"):
            own = agency_months.xs(name, level="agency")
            row["chart"] = charts.monthly_bars(months, _series(own, months), VERDICT_LABELS, width=420,
                                               height=110, axis=False)
        row["weakest"] = [
            {"id": w["id"], "date": _date_vi(w["date"]), "number": "" if pd.isna(w["number"]) else w["number"],
             "verdict": w["verdict"], "verdict_label": VERDICT_LABELS[w["verdict"]],
             "scores": {k: w[f"score_{k}"] for k in SCORE_NAMES}, "weakness": w["weakness"],
             "reasons": [_split_reason(r) for r in w["reasons"]]}
            for _, w in (weakest[name].iterrows() if name in weakest else [])]
        agencies.append(row)

    return {
        "source": report.source, "generated": generated.strftime("%d/%m/%Y %H:%M"),
        "total": report.total, "failed": report.failed, "scored": report.total - report.failed,
        "n_agencies": sum(1 for name in summary.index if name != UNKNOWN_AGENCY),
        "unknown": summary.loc[UNKNOWN_AGENCY] if UNKNOWN_AGENCY in summary.index else None,
        "unknown_name": UNKNOWN_AGENCY,
        "overall_bar": charts.share_bar(overall_counts, VERDICT_LABELS, width=640, height=30),
        "overall_legend": _legend(overall_counts),
        "verdict_text": [(VERDICT_LABELS[v], VERDICT_COLORS[v], VERDICT_TEXT[v]) for v in VERDICTS],
        "trend_chart": (charts.monthly_bars(months, _series(report.trend, months), VERDICT_LABELS, width=1120)
                        if months else None),
        "months": (month_label(months[0]), month_label(months[-1])) if months else None,
        "older": older, "undated": report.undated,
        "histograms": [(SCORE_NAMES[k], SCORE_HELP[k], charts.histogram([int(n) for n in h], SCORE_NAMES[k]))
                       for k, h in report.score_histograms.items()],
        "errors": [{"code": code, "label": ERROR_TEXT.get(code, code), "count": int(r["count"]),
                    "example": "" if pd.isna(r["example"]) else r["example"]} for code, r in report.errors.iterrows()],
        "versions": [(v, int(n)) for v, n in report.versions.items()],
        "ranked": ranked, "small": small, "top_ranked": TOP_RANKED, "min_docs": report.min_docs,
        "agencies": agencies, "weakest_n": WEAKEST_N, "weakest_rule": WEAKEST_RULE,
        "score_names": SCORE_NAMES, "score_help": SCORE_HELP,
        "verdict_colors": VERDICT_COLORS, "verdict_labels": VERDICT_LABELS,
    }


def render_html(report: Report, generated: datetime | None = None) -> str:
    """The report page as a string."""
    return _env().get_template("report.html").render(**context(report, generated))


def write_html(report: Report, path: str | Path) -> None:
    Path(path).write_text(render_html(report), encoding="utf-8")
