"""`baocao batch` at archive scale: folder and table inputs, output formats and schema, bad rows, exit codes,
SIGKILL-and-resume, and a Dask LocalCluster run equal to the local one."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from archive.job import JobOptions, ResumeConflictError, run_job
from archive.rows import COLUMNS
from archive.sinks import read_output
from archive.store import MANIFEST, PartStore
from fixtures import make_docx, make_encrypted_docx, make_encrypted_pdf, make_pdf

ROOT = Path(__file__).resolve().parent.parent
GOOD = ("Sở Tài chính thống nhất với đề xuất của UBND huyện Thủy Nguyên về việc bố trí 12,5 tỷ đồng từ nguồn dự phòng "
        "ngân sách để hoàn thành GPMB tuyến đường 359 trước ngày 30/9/2023.")
VAGUE = ("Trong thời gian qua, được sự quan tâm chỉ đạo của các cấp, công tác quản lý đã đạt được những kết quả "
         "bước đầu. Tuy nhiên vẫn còn một số tồn tại, hạn chế. Thời gian tới sẽ tiếp tục tăng cường phối hợp.")


def job(trained, src, out, **kw) -> tuple:
    """Run a job in this process; (summary, rows read back from the output, log text)."""
    log = io.StringIO()
    options = JobOptions(input=Path(src), output=Path(out), model=trained[1], workers=kw.pop("workers", 1),
                         progress=False, **kw)
    summary = run_job(options, log=log)
    return summary, list(read_output(Path(out))), log.getvalue()


def cli(args, env, timeout=300):
    return subprocess.run([sys.executable, "-m", "cli.main", "batch", *args, "--no-progress"], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=timeout)


def corpus_texts(n: int) -> list[str]:
    from training.data import load_corpus

    texts = [r.text for r in load_corpus()]
    return [texts[k % len(texts)] + ("" if k < len(texts) else f"\nBản sao {k}.") for k in range(n)]


def assert_same_rows(got: list[dict], expected: list[dict]) -> None:
    """Equal row lists; on failure name the first differing row and columns, not a truncated dump."""
    assert len(got) == len(expected)
    for a, b in zip(got, expected):
        diff = {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)}
        assert not diff, f"row {a.get('id')}: {diff}"


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_folder_mixed_good_and_bad_files(tmp_path, trained):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a-good.txt").write_text(GOOD, encoding="utf-8")
    (src / "sub" / "b.docx").write_bytes(make_docx(["Kính gửi: UBND thành phố", GOOD]))
    (src / "sub" / "c.pdf").write_bytes(make_pdf(["Bao cao ket qua thuc hien nhiem vu nam 2023 cua So Y te."]))
    (src / "d-utf16.txt").write_text(VAGUE, encoding="utf-16")
    (src / "e-nfd.txt").write_text(unicodedata.normalize("NFD", VAGUE), encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "corrupt.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (src / "locked.docx").write_bytes(make_encrypted_docx())
    (src / "locked.pdf").write_bytes(make_encrypted_pdf(["secret"]))
    (src / "blob.txt").write_bytes(bytes(range(256)) * 8)
    (src / "big.txt").write_text(GOOD * 400, encoding="utf-8")
    (src / "sheet.xlsx").write_bytes(b"PK\x03\x04")
    (src / "README").write_text("no extension", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summary, rows, _ = job(trained, src, out, max_file_bytes=60_000)
    by_id = {r["id"]: r for r in rows}
    assert [r["id"] for r in rows] == sorted(by_id) == sorted(
        p.relative_to(src).as_posix() for p in src.rglob("*") if p.is_file())
    expected = {"a-good.txt": None, "sub/b.docx": None, "sub/c.pdf": None, "d-utf16.txt": None, "e-nfd.txt": None,
                "empty.txt": "empty_text", "corrupt.docx": "unreadable", "locked.docx": "unreadable",
                "locked.pdf": "unreadable", "blob.txt": "unreadable", "big.txt": "too_large",
                "sheet.xlsx": "unsupported_format", "README": "unsupported_format"}
    assert {k: r["error_code"] for k, r in by_id.items()} == expected
    for locked in ("locked.pdf", "locked.docx"):
        assert "mật khẩu" in by_id[locked]["error"] and "password" in by_id[locked]["error"]
    assert "60,000" in by_id["big.txt"]["error"]
    for r in rows:
        assert r["source"] == str(src / r["id"])
        if r["error_code"]:
            assert r["error"] and r["verdict"] is None and r["score_vague"] is None and r["words"] is None
        else:
            assert 0 <= r["score_position"] <= 1 and r["verdict"] in {"dat", "can_bo_sung", "danh_trong_ghi_ten"}
            assert r["words"] > 0 and r["model_version"] == trained[0]["model_version"]
    assert by_id["d-utf16.txt"]["conversion"] == "utf-16"
    assert by_id["e-nfd.txt"]["conversion"] == "nfd"
    assert by_id["a-good.txt"]["conversion"] is None
    assert by_id["e-nfd.txt"]["score_vague"] == pytest.approx(by_id["d-utf16.txt"]["score_vague"], abs=1e-4)
    assert (summary.total, summary.scored, summary.failed) == (13, 5, 8)
    assert summary.failed_by_code == {"unreadable": 4, "unsupported_format": 2, "empty_text": 1, "too_large": 1}


def table_records() -> list[dict]:
    return [
        {"id": "bc-1", "text": GOOD, "agency": "SỞ TN&MT", "date": "05/03/2023"},
        {"id": "bc-2", "text": VAGUE, "agency": "", "date": "không rõ"},
        {"id": "bc-3", "text": ""},
        {"id": "bc-1", "text": VAGUE},  # duplicate id: the first occurrence keeps it
        {"id": "bc-4", "text": unicodedata.normalize("NFD", GOOD), "date": "2023-7-9"},
        {"id": "bc-5", "text": None},
        {"id": 6, "text": "SỞ Y TẾ\nSố: 12/BC-SYT\nHà Nội, ngày 2 tháng 8 năm 2022\nBÁO CÁO\n" + VAGUE},
    ]


def write_table(path: Path, records: list[dict]) -> Path:
    import pandas as pd

    if path.suffix == ".jsonl":
        return write_jsonl(path, records)
    frame = pd.DataFrame([{k: (str(v) if k == "id" else v) for k, v in r.items()} for r in records],
                         columns=["id", "text", "agency", "date"])
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    return path


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_table_inputs_give_the_same_rows_in_every_output_format(tmp_path, trained, fmt):
    src = write_table(tmp_path / f"in.{fmt}", table_records())
    results = {}
    for out_fmt in ("jsonl", "csv", "parquet"):
        out = tmp_path / f"out.{out_fmt}"
        _, rows, _ = job(trained, src, out)
        assert all(list(r) == list(COLUMNS) for r in rows)
        results[out_fmt] = rows
    if fmt != "jsonl":  # the exact column order on disk, not only after reading back
        assert (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()[0] == ",".join(COLUMNS)
        import pyarrow.parquet as pq

        assert pq.ParquetFile(tmp_path / "out.parquet").schema_arrow.names == list(COLUMNS)
    assert results["jsonl"] == results["csv"] == results["parquet"]
    rows = results["jsonl"]
    assert [r["id"] for r in rows] == ["bc-1", "bc-2", "bc-3", "bc-1", "bc-4", "bc-5", "6"]
    unit = "line" if fmt == "jsonl" else "row"
    assert [r["source"] for r in rows] == [f"{src}#{unit}={k}" for k in range(1, 8)]
    codes = [r["error_code"] for r in rows]
    assert codes == [None, None, "empty_text", "duplicate_id", None, "empty_text", None]
    assert "bc-1" in rows[3]["error"] and "duplicate id" in rows[3]["error"]
    assert rows[0]["agency"] == "Sở Tài nguyên và Môi trường" and rows[0]["agency_raw"] == "SỞ TN&MT"
    assert rows[0]["date"] == "2023-03-05" and rows[1]["date"] is None and rows[4]["date"] == "2023-07-09"
    assert rows[1]["agency"] is None
    assert rows[6]["agency"] == "Sở Y tế" and rows[6]["number"] == "12/BC-SYT" and rows[6]["date"] == "2022-08-02"
    assert rows[6]["doc_type"] == "bao_cao"
    assert rows[4]["conversion"] == "nfd" and rows[0]["conversion"] is None
    assert rows[4]["score_proposal"] == pytest.approx(rows[0]["score_proposal"], abs=1e-4)
    assert isinstance(rows[1]["reasons"], list) and rows[1]["reasons"] and rows[0]["evidence"]
    assert rows[2]["reasons"] == [] and rows[2]["evidence"] == []


def test_jsonl_bad_lines_become_rows(tmp_path, trained):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": GOOD}) + "\n\n[1, 2]\n{broken\n"
                   + json.dumps({"id": "b", "text": 42}) + "\n" + json.dumps({"text": VAGUE}) + "\n", encoding="utf-8")
    summary, rows, _ = job(trained, src, tmp_path / "out.jsonl")
    assert [(r["id"], r["error_code"]) for r in rows] == [
        ("a", None), ("line-3", "invalid_json"), ("line-4", "invalid_json"), ("b", "invalid_json"), ("line-6", None)]
    assert summary.failed_by_code == {"invalid_json": 3}


def test_summary_and_exit_codes(tmp_path, model_env, trained, capsys):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": GOOD}, {"id": "b", "text": " "}])
    out = cli([str(src), "--out", str(tmp_path / "out.csv"), "--workers", "1"], model_env)  # the real entry point
    assert out.returncode == 0, out.stderr
    assert "Xong: 2 văn bản — chấm được 1, lỗi 1." in out.stderr and "empty_text 1" in out.stderr
    assert "văn bản/giây" in out.stderr

    from cli.main import main

    def run(args) -> tuple[int, str]:
        code = main(["batch", *args, "--workers", "1", "--no-progress"])
        return code, capsys.readouterr().err

    # a rerun of a finished job scores nothing and writes the same output again
    (tmp_path / "out.csv").unlink()
    code, err = run([str(src), "--out", str(tmp_path / "out.csv"), "--model", str(trained[1])])
    assert code == 0 and "không phải chấm thêm" in err and "2 văn bản đã chấm" in err
    assert (tmp_path / "out.csv").exists()

    not_utf8 = tmp_path / "cp.csv"
    not_utf8.write_bytes("id,text\n1,Báo cáo\n".encode("cp1258"))
    missing_column = tmp_path / "nocol.csv"
    missing_column.write_text("id,body\n1,x\n", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    model = ["--model", str(trained[1])]
    cases = [
        ([str(not_utf8), "--out", str(tmp_path / "o1.jsonl"), *model], 1, "UTF-8"),
        ([str(missing_column), "--out", str(tmp_path / "o2.jsonl"), *model], 1, "'text'"),
        ([str(tmp_path / "absent.jsonl"), "--out", str(tmp_path / "o3.jsonl"), *model], 1, "Không tìm thấy"),
        ([str(src), "--out", str(tmp_path / "o4.xlsx"), *model], 1, ".parquet"),
        ([str(src), "--out", str(blocker / "o5.jsonl"), *model], 1, "Không ghi được"),
        ([str(src), "--out", str(tmp_path / "o6.jsonl"), "--model", str(tmp_path / "none.joblib")], 3, "baocao train"),
    ]
    for args, expected_code, message in cases:
        code, err = run(args)
        assert code == expected_code and message in err, (args, code, err)


def test_changed_input_or_model_is_refused_until_restart(tmp_path, trained):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": GOOD}])
    out = tmp_path / "out.parquet"
    job(trained, src, out)
    write_jsonl(src, [{"id": "a", "text": GOOD}, {"id": "b", "text": VAGUE}])
    with pytest.raises(ResumeConflictError, match="--restart"):
        job(trained, src, out)
    summary, rows, _ = job(trained, src, out, restart=True)
    assert [r["id"] for r in rows] == ["a", "b"] and summary.resumed == 0
    state = json.loads((tmp_path / "out.parquet.parts" / "job.json").read_text())
    state["model_sha256"] = "0" * 64
    (tmp_path / "out.parquet.parts" / "job.json").write_text(json.dumps(state))
    with pytest.raises(ResumeConflictError, match="mô hình"):
        job(trained, src, out)


def test_awkward_inputs_keep_one_row_per_input(tmp_path, trained):
    # .jsonl with a byte-order mark, CRLF, a stray CR inside a line and a line of non-breaking spaces
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "a", "text": GOOD}).encode() + b"\r\n"
                    + '{"id": "b", "text": "x"}\r{"id": "c"}\n\u00a0\u00a0\n'.encode()
                    + json.dumps({"id": "d", "text": VAGUE}).encode() + b"\n")
    _, rows, _ = job(trained, src, tmp_path / "o1.jsonl")
    assert [(r["id"], r["error_code"]) for r in rows] == [("a", None), ("line-2", "invalid_json"), ("d", None)]
    # .csv with blank lines and a text cell holding newlines
    src = tmp_path / "in.csv"
    src.write_text('id,text\n\n1,"' + GOOD + '\nDòng hai."\n\n2,' + VAGUE.replace(",", "") + "\n", encoding="utf-8")
    _, rows, _ = job(trained, src, tmp_path / "o2.csv")
    assert [(r["id"], r["source"].rsplit("#", 1)[1], r["error_code"]) for r in rows] == [("1", "row=1", None),
                                                                                         ("2", "row=2", None)]
    # a folder with a file name that is not UTF-8, and an empty folder
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "empty").mkdir()
    with open(os.fsencode(folder) + b"/b\xe1o-c\xe1o.txt", "w", encoding="utf-8") as fh:  # cp1258 bytes in the name
        fh.write(GOOD)
    _, rows, _ = job(trained, folder, tmp_path / "o3.parquet")
    assert [(r["id"], r["error_code"]) for r in rows] == [("b\ufffdo-c\ufffdo.txt", None)]
    summary, rows, _ = job(trained, folder / "empty", tmp_path / "o4.csv")
    assert rows == [] and summary.total == 0


def test_second_job_on_the_same_output_is_refused(tmp_path, trained):
    from archive.job import JobError

    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": GOOD}])
    out = tmp_path / "out.jsonl"
    holder = PartStore(tmp_path / "out.jsonl.parts")
    assert holder.lock()
    with pytest.raises(JobError, match="khác đang ghi"):
        job(trained, src, out)
    holder.unlock()
    _, rows, _ = job(trained, src, out)
    assert [r["id"] for r in rows] == ["a"]


def test_store_ignores_uncommitted_chunks(tmp_path):
    store = PartStore(tmp_path / "parts")
    store.reset({"format": 1})
    row = lambda k: {"_seq": k, "id": f"d{k}", "error_code": None}  # noqa: E731
    store.commit([row(1), row(0)])
    store.commit([row(2)])
    (store.folder / "chunk-000003.jsonl").write_text(json.dumps(row(3)) + "\n")  # died before its manifest line
    with open(store.folder / MANIFEST, "a") as fh:
        fh.write('{"chunk": "chunk-0000')  # died while appending
    (store.folder / "chunk-000004.jsonl.tmp").write_text("partial")
    again = PartStore(store.folder)
    again.load()
    assert again.done == {0, 1, 2}
    assert sorted(p.name for p in store.folder.iterdir()) == ["chunk-000001.jsonl", "chunk-000002.jsonl",
                                                              "done.jsonl", "job.json"]
    again.commit([row(3)])
    assert [r["id"] for r in again.rows_in_order(4)] == ["d0", "d1", "d2", "d3"]
    with pytest.raises(RuntimeError):
        list(again.rows_in_order(5))


def test_sigkill_mid_run_then_resume_equals_an_uninterrupted_run(tmp_path, trained, model_env):
    texts = corpus_texts(300)
    records = [{"id": f"doc-{k:04d}", "text": t} for k, t in enumerate(texts)]
    records[17]["text"] = ""
    src = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "killed.jsonl"
    manifest = tmp_path / "killed.jsonl.parts" / MANIFEST
    args = [sys.executable, "-m", "cli.main", "batch", str(src), "--out", str(out), "--chunk-size", "5", "--no-progress"]
    proc = subprocess.Popen(args + ["--workers", "2"], env=model_env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        if manifest.exists() and len(manifest.read_text().splitlines()) >= 4:
            break
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
    committed = sum(len(json.loads(line)["seqs"]) for line in manifest.read_text().splitlines())
    assert 20 <= committed < len(records) and not out.exists()

    resumed = subprocess.run(args + ["--workers", "1"], env=model_env, cwd=ROOT, capture_output=True,
                             text=True, timeout=300)  # resuming with another worker count is the same job
    assert resumed.returncode == 0, resumed.stderr
    assert f"{committed} văn bản đã chấm ở lần chạy trước" in resumed.stderr
    rows = list(read_output(out))
    assert [r["id"] for r in rows] == [r["id"] for r in records]  # every id once, in input order
    _, whole, _ = job(trained, src, tmp_path / "whole.jsonl")
    assert_same_rows(rows, whole)
    assert rows[17]["error_code"] == "empty_text"


def test_dask_local_cluster_equals_local_run_and_resumes(tmp_path, trained):
    distributed = pytest.importorskip("distributed")
    src = tmp_path / "in"
    src.mkdir()
    for k, text in enumerate(corpus_texts(24)):
        (src / f"doc-{k:02d}.txt").write_text(text, encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "x.docx").write_bytes(b"PK broken")
    _, local, _ = job(trained, src, tmp_path / "local.parquet", chunk_size=4)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        out = tmp_path / "dask.parquet"
        summary, rows, _ = job(trained, src, out, chunk_size=4, dask_scheduler=cluster.scheduler_address)
        assert_same_rows(rows, local)
        assert len(summary.workers) == 2  # both workers scored chunks, each with its own loaded model
        # lose the last committed chunk as if the client died before its manifest line: only it is scored again
        manifest = tmp_path / "dask.parquet.parts" / MANIFEST
        lines = manifest.read_text().splitlines()
        manifest.write_text("\n".join(lines[:-1]) + "\n")
        lost = len(json.loads(lines[-1])["seqs"])
        summary, again, _ = job(trained, src, out, chunk_size=4, dask_scheduler=cluster.scheduler_address)
        assert_same_rows(again, local)
        assert summary.processed == lost and summary.resumed == len(local) - lost
