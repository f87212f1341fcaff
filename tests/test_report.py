"""Per-agency report: aggregates with known answers, the three output formats, the CLI and the HTML page."""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from archive.charts import fmt_dec, fmt_int, fmt_pct
from archive.report import (UNKNOWN_AGENCY, agency_summary, build_report, empty_ranking, errors_by_code,
                            load_output, model_versions, monthly_trend, normalise, summary_table, undated,
                            verdict_shares, weakest)
from archive.report_html import render_html
from cli.main import main

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ("id", "source", "agency", "agency_raw", "number", "date", "doc_type", "score_vague", "score_position",
           "score_proposal", "label_vague", "label_position", "label_proposal", "verdict", "reasons", "evidence",
           "conversion", "words", "model_version", "error_code", "error")


def row(id, agency, date, verdict, vague=None, position=None, proposal=None, reasons=(), error_code=None,
        number=None, model_version="0.1.0+test"):
    """One batch output row per the schema (lists for reasons/evidence, as in .jsonl)."""
    failed = error_code is not None
    return {"id": id, "source": f"in.csv#row={id}", "agency": agency, "agency_raw": agency, "number": number,
            "date": date, "doc_type": "bao_cao", "score_vague": vague, "score_position": position,
            "score_proposal": proposal,
            "label_vague": None if failed else vague >= 0.5, "label_position": None if failed else position >= 0.5,
            "label_proposal": None if failed else proposal >= 0.5, "verdict": verdict, "reasons": list(reasons),
            "evidence": [], "conversion": None, "words": None if failed else 120,
            "model_version": None if failed else model_version, "error_code": error_code,
            "error": "Văn bản rỗng. (empty text)" if failed else None}


def small_rows() -> list[dict]:
    return [
        row("a1", "Sở Xây dựng", "2024-01-15", "dat", 0.1, 0.9, 0.9, number="1/BC-SXD"),
        row("a2", "Sở Xây dựng", "2024-01-20", "can_bo_sung", 0.6, 0.2, 0.8, ["Chưa nêu rõ quan điểm của cơ quan"]),
        row("a3", "Sở Xây dựng", "2024-03-02", "danh_trong_ghi_ten", 0.9, 0.1, 0.1,
            ["Nội dung chung chung: thiếu số liệu", "Chưa có đề xuất cụ thể"]),
        row("a4", "Sở Xây dựng", "2024-02-01", None, error_code="empty_text"),
        row("b1", "Sở Y tế", None, "dat", 0.2, 0.8, 0.7, model_version="0.0.9+old"),
        row("b2", "Sở Y tế", "2023-12-31", "danh_trong_ghi_ten", 0.8, 0.3, 0.2),
        row("c1", None, "2024-02-10", "can_bo_sung", 0.5, 0.5, 0.5),
    ]


@pytest.fixture()
def frame() -> pd.DataFrame:
    return normalise(pd.DataFrame(small_rows(), columns=list(COLUMNS)))


def test_agency_summary_counts_shares_means_and_months(frame):
    s = agency_summary(frame)
    assert list(s.index) == ["Sở Xây dựng", "Sở Y tế", UNKNOWN_AGENCY]  # most documents first
    a = s.loc["Sở Xây dựng"]
    assert (a["documents"], a["failed"], a["scored"]) == (4, 1, 3)
    assert (a["n_dat"], a["n_can_bo_sung"], a["n_danh_trong_ghi_ten"]) == (1, 1, 1)
    assert a["share_dat"] == pytest.approx(1 / 3) and a["share_danh_trong_ghi_ten"] == pytest.approx(1 / 3)
    assert a["mean_vague"] == pytest.approx((0.1 + 0.6 + 0.9) / 3)  # the failed row is not averaged in
    assert a["mean_position"] == pytest.approx((0.9 + 0.2 + 0.1) / 3)
    assert (a["first_month"], a["last_month"], a["undated"]) == (202401, 202403, 0)
    b = s.loc["Sở Y tế"]
    assert (b["documents"], b["scored"], b["share_dat"], b["share_danh_trong_ghi_ten"]) == (2, 2, 0.5, 0.5)
    assert (b["first_month"], b["last_month"], b["undated"]) == (202312, 202312, 1)
    assert s.loc[UNKNOWN_AGENCY, "documents"] == 1


def test_monthly_trend_and_undated(frame):
    trend = monthly_trend(frame)
    assert list(trend.index) == [202312, 202401, 202402, 202403]
    assert trend.loc[202401].to_dict() == {"dat": 1, "can_bo_sung": 1, "danh_trong_ghi_ten": 0, "total": 2}
    assert trend.loc[202402, "total"] == 1  # the failed row of February is not a scored document
    assert undated(frame) == 1
    by_agency = monthly_trend(frame, by_agency=True)
    assert by_agency.loc[("Sở Y tế", 202312), "danh_trong_ghi_ten"] == 1
    assert ("Sở Y tế", 202401) not in by_agency.index


def test_overall_shares_errors_and_versions(frame):
    shares = verdict_shares(frame)
    assert shares.to_dict() == pytest.approx({"dat": 2 / 6, "can_bo_sung": 2 / 6, "danh_trong_ghi_ten": 2 / 6})
    errors = errors_by_code(frame)
    assert errors.loc["empty_text", "count"] == 1 and "rỗng" in errors.loc["empty_text", "example"]
    assert model_versions(frame).to_dict() == {"0.1.0+test": 5, "0.0.9+old": 1}


def test_unknown_verdict_counts_as_a_failed_row():
    rows = small_rows() + [row("x", "Sở Y tế", "2024-01-01", "tot", 0.1, 0.9, 0.9)]
    f = normalise(pd.DataFrame(rows))
    assert errors_by_code(f).loc["no_verdict", "count"] == 1
    assert agency_summary(f).loc["Sở Y tế", "scored"] == 2


def test_weakest_order_is_verdict_then_weakness_then_output_order():
    rows = [row(f"d{k:02d}", "Sở Tư pháp", "2024-05-01", v, vague, pos, prop) for k, (v, vague, pos, prop) in
            enumerate([("dat", 0.0, 1.0, 1.0), ("dat", 0.3, 0.7, 0.6), ("can_bo_sung", 0.9, 0.9, 0.1),
                       ("can_bo_sung", 0.2, 0.1, 0.9), ("danh_trong_ghi_ten", 0.7, 0.2, 0.2),
                       ("danh_trong_ghi_ten", 0.99, 0.01, 0.0), ("can_bo_sung", 0.9, 0.9, 0.1),
                       ("dat", 0.1, 0.8, 0.8), ("dat", 0.1, 0.9, 0.9), ("dat", 0.2, 0.9, 0.9), ("dat", 0.1, 0.6, 0.9),
                       ("dat", 0.0, 0.99, 0.99)])]
    top = weakest(normalise(pd.DataFrame(rows)), n=10)
    # danh_trong_ghi_ten by weakness (d05 2.98 > d04 2.3), then can_bo_sung (d02 = d06 = 1.9 tie kept in output
    # order, d03 1.2),
    # then dat by weakness; the two strongest dat documents (d11, d00) are left out
    assert list(top["id"]) == ["d05", "d04", "d02", "d06", "d03", "d01", "d10", "d07", "d09", "d08"]
    assert top["weakness"].iloc[0] == pytest.approx(0.99 + 0.99 + 1.0)


def test_empty_ranking_flags_small_agencies(frame):
    ranking = empty_ranking(agency_summary(frame), min_docs=3)
    assert list(ranking.index[:1]) == ["Sở Xây dựng"] and ranking.loc["Sở Xây dựng", "rank"] == 1
    assert not ranking.loc["Sở Y tế", "enough"] and ranking.loc["Sở Y tế", "rank"] == 0
    # a small agency with a higher share still comes after every agency large enough to judge
    assert ranking.loc["Sở Y tế", "share_danh_trong_ghi_ten"] > ranking.loc["Sở Xây dựng", "share_danh_trong_ghi_ten"]
    assert list(ranking.index).index("Sở Y tế") > list(ranking.index).index("Sở Xây dựng")


def write_output(rows: list[dict], path) -> None:
    """Store rows the way the batch engine does: real lists in .jsonl, JSON strings in .csv and .parquet."""
    if path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        return
    flat = pd.DataFrame([{**r, "reasons": json.dumps(r["reasons"], ensure_ascii=False),
                          "evidence": json.dumps(r["evidence"])} for r in rows], columns=list(COLUMNS))
    if path.suffix == ".csv":
        flat.to_csv(path, index=False)
    else:
        flat.to_parquet(path, index=False)


def test_the_three_formats_give_the_same_report(tmp_path):
    summaries, reasons = [], []
    for suffix in (".jsonl", ".csv", ".parquet"):
        path = tmp_path / f"out{suffix}"
        write_output(small_rows(), path)
        f = load_output(path)
        summaries.append(agency_summary(f))
        reasons.append(weakest(f).set_index("id")["reasons"].to_dict())
    for other in summaries[1:]:
        pd.testing.assert_frame_equal(summaries[0], other)
    assert reasons[0] == reasons[1] == reasons[2]
    assert reasons[0]["a3"] == ["Nội dung chung chung: thiếu số liệu", "Chưa có đề xuất cụ thể"]


def test_jsonl_with_a_field_changing_type_is_still_read(tmp_path):
    rows = small_rows()
    rows[1]["id"], rows[2]["reasons"] = 17, "Một lý do ghi thành chuỗi"  # Arrow refuses; the line reader copes
    path = tmp_path / "out.jsonl"
    write_output(rows, path)
    top = weakest(load_output(path)).set_index("id")["reasons"]
    assert top["17"] == ["Chưa nêu rõ quan điểm của cơ quan"] and top["a3"] == ["Một lý do ghi thành chuỗi"]


def test_csv_with_byte_order_mark_line_breaks_and_a_literal_na_agency(tmp_path):
    rows = small_rows()
    rows[4]["agency"] = "NA"  # a name, not a null: only empty cells are nulls
    rows[3]["error"] = "Văn bản rỗng.\n(empty text)"  # a quoted cell with a line break
    path = tmp_path / "out.csv"
    write_output(rows, path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # as the batch writer stores CSV
    frame = load_output(path)
    summary = agency_summary(frame)
    assert summary.loc["NA", "documents"] == 1 and summary.loc[UNKNOWN_AGENCY, "documents"] == 1
    assert len(frame) == 7 and errors_by_code(frame).loc["empty_text", "example"] == "Văn bản rỗng.\n(empty text)"


def test_load_output_ignores_extra_columns_and_fills_optional_ones(tmp_path):
    path = tmp_path / "out.csv"
    frame = pd.DataFrame(small_rows())[["id", "agency", "date", "verdict", "score_vague", "score_position",
                                        "score_proposal", "error_code"]].assign(extra=1)
    frame.to_csv(path, index=False)
    f = load_output(path)
    assert f["number"].isna().all() and len(weakest(f)) == 6


def run_cli(args, capsys) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().err


def test_cli_writes_html_and_csv(tmp_path, capsys):
    path = tmp_path / "out.jsonl"
    write_output(small_rows(), path)
    code, err = run_cli(["report", str(path), "--html", str(tmp_path / "r.html"), "--csv", str(tmp_path / "s.csv"),
                         "--min-docs", "3"], capsys)
    assert code == 0, err
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Sở Xây dựng" in html and "Đánh trống ghi tên" in html
    summary = pd.read_csv(tmp_path / "s.csv", encoding="utf-8-sig")
    assert list(summary["Cơ quan"]) == ["Sở Xây dựng", "Sở Y tế", UNKNOWN_AGENCY]
    assert summary.loc[1, "Tỷ lệ Đạt (%)"] == 50.0 and summary.loc[0, "Tháng đầu"] == "01/2024"
    assert summary.loc[0, "Lỗi không chấm được"] == 1 and summary.loc[1, "Không có ngày"] == 1


@pytest.mark.parametrize("name, content, message", [
    ("missing.jsonl", None, "Không tìm thấy"),
    ("bad.parquet", b"PAR1 not really parquet", "Không đọc được"),
    ("bad.jsonl", (json.dumps(row("a", "Sở Y tế", None, "dat", 0.1, 0.9, 0.9)) + '\n{not json\n').encode(),
     "Dòng 2 của bad.jsonl không phải JSON"),
    ("short.jsonl", '{"id": 1, "text": "xin chào"}\n'.encode(), "thiếu cột agency, date, verdict"),
    ("bad.csv", "id,text\n1,xin chào\n".encode(), "thiếu cột agency, date, verdict"),
    ("out.xlsx", b"PK", "Không hỗ trợ định dạng"),
])
def test_cli_bad_input_exits_1_with_a_vietnamese_message(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, err = run_cli(["report", str(path), "--html", str(tmp_path / "r.html")], capsys)
    assert code == 1 and message in err and "lỗi:" in err
    assert not (tmp_path / "r.html").exists()


def test_cli_needs_an_output_file(tmp_path, capsys):
    path = tmp_path / "out.jsonl"
    write_output(small_rows(), path)
    code, err = run_cli(["report", str(path)], capsys)
    assert code == 2 and "--html" in err


def test_html_is_self_contained(frame):
    html = render_html(build_report(frame, "out.jsonl", min_docs=2))
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "<script" not in html.lower() and "<link" not in html.lower()
    assert "@import" not in html and "url(" not in html
    assert "<svg" in html  # the charts are inline


def test_data_text_is_escaped():
    evil = "<script>alert('x')</script>"
    rows = small_rows() + [row(f"<b>id{k}</b>", evil, "2024-01-01", "danh_trong_ghi_ten", 0.9, 0.1, 0.1,
                               reasons=[f"Nội dung chung chung: {evil}"], number='"><img src=x onerror=alert(1)>')
                           for k in range(3)]
    html = render_html(build_report(normalise(pd.DataFrame(rows)), evil, min_docs=1))
    assert "<script" not in html and "<img" not in html and "<b>id0" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;b&gt;id0&lt;/b&gt;" in html


def synthetic(rows: int, agencies: int = 30, seed: int = 0) -> pd.DataFrame:
    """``rows`` scored rows over fixed agencies and 24 months, reasons drawn from a fixed pool."""
    rng = np.random.default_rng(seed)
    verdicts = np.array(["dat", "can_bo_sung", "danh_trong_ghi_ten"], dtype=object)
    pool = [["Nội dung chung chung: thiếu số liệu, thời hạn và đơn vị chịu trách nhiệm (ví dụ: “…”)."],
            ["Chưa có đề xuất cụ thể: văn bản không nêu việc cần làm, đơn vị thực hiện, thời hạn hay kinh phí."]]
    months = rng.integers(0, 24, rows)
    return pd.DataFrame({
        "id": [f"VB-{k:07d}" for k in range(rows)],
        "agency": [f"Cơ quan {k:03d}" for k in rng.integers(0, agencies, rows)],
        "date": [f"{2023 + m // 12}-{m % 12 + 1:02d}-15" for m in months],
        "number": "12/BC-UBND", "verdict": verdicts[rng.integers(0, 3, rows)],
        "score_vague": rng.random(rows).round(4), "score_position": rng.random(rows).round(4),
        "score_proposal": rng.random(rows).round(4),
        "reasons": [pool[k] for k in rng.integers(0, 2, rows)], "model_version": "0.1.0+test",
        "error_code": None, "error": None})


def test_html_size_does_not_grow_with_rows():
    sizes = [len(render_html(build_report(normalise(synthetic(n)), "out.parquet")).encode()) for n in (3_000, 30_000)]
    # Same agencies and months, ten times the rows: counts get a digit longer and fewer chart segments are
    # empty (a segment is drawn only when its count is not zero), the lists stay at ten per agency. Anything
    # written per row would add at least 27,000 rows' worth of markup, several times the page.
    assert sizes[1] < sizes[0] * 1.15, sizes


def test_summary_table_has_one_row_per_agency_in_percent():
    table = summary_table(agency_summary(normalise(synthetic(2_000, agencies=7))))
    assert len(table) == 7 and table["Số văn bản"].sum() == 2_000
    shares = table[["Tỷ lệ Đạt (%)", "Tỷ lệ Cần bổ sung (%)", "Tỷ lệ Đánh trống ghi tên (%)"]].sum(axis=1)
    assert np.allclose(shares, 100, atol=0.15)


def test_unknown_agency_is_not_ranked_but_has_a_section(frame):
    report = build_report(frame, "out.jsonl", min_docs=1)
    html = render_html(report)
    ranking = html[html.index('id="xep-hang"'):html.index('id="co-quan"')]
    assert f">{UNKNOWN_AGENCY}</a></td>" not in ranking and "không xác định được cơ quan" in ranking
    assert html.count("<article") == 3


def test_vietnamese_number_formats():
    assert fmt_int(1234567) == "1.234.567"
    assert fmt_pct(0.125) == "12,5%" and fmt_pct(float("nan")) == "–"
    assert fmt_dec(0.4213) == "0,42" and fmt_dec(1234.5, 1) == "1.234,5"


def test_report_columns_are_batch_output_columns():
    from archive.report import OPTIONAL, REQUIRED
    from archive.rows import COLUMNS as BATCH_COLUMNS

    assert set(REQUIRED) | set(OPTIONAL) <= set(BATCH_COLUMNS)


def test_report_reads_what_the_batch_engine_writes(tmp_path, trained):
    """End to end: the real batch engine writes each format, the report reads the same numbers back."""
    from archive.job import JobOptions, run_job

    records = [json.loads(line) for line in (ROOT / "data/samples/dev/dev.jsonl").read_text("utf-8").splitlines()[:8]]
    table = [{"id": r["id"], "text": r["text"], "agency": r["agency"], "date": f"2024-0{k % 3 + 1}-10"}
             for k, r in enumerate(records)] + [{"id": "rong", "text": " ", "agency": "Sở Y tế", "date": None}]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in table), encoding="utf-8")
    summaries = []
    for suffix in (".jsonl", ".csv", ".parquet"):
        out = tmp_path / f"out{suffix}"
        run_job(JobOptions(input=source, output=out, model=trained[1], workers=1, progress=False))
        frame = load_output(out)
        assert len(frame) == 9 and int(frame["failed"].sum()) == 1
        assert all(isinstance(r, list) and r for r in weakest(frame)["reasons"] if r)
        summaries.append(agency_summary(frame))
    for other in summaries[1:]:
        pd.testing.assert_frame_equal(summaries[0], other)
    assert summaries[0]["documents"].sum() == 9 and summaries[0]["undated"].sum() == 0


@pytest.mark.parametrize("rows", [[], [row("e1", None, None, None, error_code="empty_text"),
                                       row("e2", "Sở Y tế", "2024-01-01", None, error_code="unreadable")]])
def test_outputs_with_nothing_scored_still_give_a_page_and_a_csv(tmp_path, capsys, rows):
    path = tmp_path / "out.csv"
    write_output(rows, path)
    code, err = run_cli(["report", str(path), "--html", str(tmp_path / "r.html"), "--csv", str(tmp_path / "s.csv")],
                        capsys)
    assert code == 0, err
    assert "Không có văn bản nào chấm được" in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert len(pd.read_csv(tmp_path / "s.csv", encoding="utf-8-sig")) == len({r["agency"] for r in rows})
