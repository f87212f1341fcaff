"""CLI behaviour: summaries, JSON, exit codes, batch order and error rows."""
import json
import subprocess
import sys

from fixtures import make_docx

GOOD = ("Sở Tài chính thống nhất với đề xuất của UBND huyện Thủy Nguyên về việc bố trí 12,5 tỷ đồng từ nguồn dự phòng "
        "ngân sách để hoàn thành GPMB tuyến đường 359 trước ngày 30/9/2023.")


def run(args, env, stdin=None):
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, env=env,
                          input=stdin, timeout=120)


def test_score_files_and_stdin(tmp_path, model_env):
    txt = tmp_path / "a.txt"
    txt.write_text(GOOD, encoding="utf-16")
    docx = tmp_path / "b.docx"
    docx.write_bytes(make_docx(["Kính gửi: UBND thành phố", GOOD]))
    out = run(["score", str(txt), str(docx)], model_env)
    assert out.returncode == 0, out.stderr
    assert "Kết luận:" in out.stdout and out.stdout.count("== ") == 2
    out = run(["score", "--json", "-"], model_env, stdin=GOOD)
    assert out.returncode == 0
    assert json.loads(out.stdout)["verdict"] in {"dat", "can_bo_sung", "danh_trong_ghi_ten"}


def test_unreadable_input_exits_nonzero_but_scores_the_rest(tmp_path, model_env):
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = run(["score", "--json", str(bad), str(good), str(empty), str(tmp_path / "missing.txt")], model_env)
    assert out.returncode == 1
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [("error" in r) for r in rows] == [True, False, True, True]
    assert rows[1]["id"] == str(good)
    assert "docx" in out.stderr and "trống" in out.stderr


def test_batch_keeps_ids_order_and_marks_bad_rows(tmp_path, model_env):
    src = tmp_path / "in.jsonl"
    rows = [{"id": "a", "text": GOOD}, {"id": "b", "text": ""}, "not json", {"id": "c", "text": GOOD + " Thêm."},
            {"id": "d"}]
    src.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                   encoding="utf-8")
    dst = tmp_path / "out.jsonl"
    out = run(["batch", str(src), "--out", str(dst)], model_env)
    assert out.returncode == 0, out.stderr
    got = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert [g["id"] for g in got] == ["a", "b", "line-3", "c", "d"]
    assert [g["error_code"] for g in got] == [None, "empty_text", "invalid_json", None, "empty_text"]
    assert "trống" in got[1]["error"] and "'text'" in got[4]["error"]


def test_missing_model_is_a_clear_error(tmp_path, model_env):
    env = dict(model_env, BAOCAO_MODEL=str(tmp_path / "none.joblib"))
    out = run(["score", "-"], env, stdin=GOOD)
    assert out.returncode == 3 and "baocao train" in out.stderr


def test_tampered_model_is_refused(tmp_path, trained, model_env):
    import shutil

    card, path = trained
    copy = tmp_path / "m.joblib"
    shutil.copy(path, copy)
    shutil.copy(path.with_suffix(".card.json"), copy.with_suffix(".card.json"))
    with open(copy, "ab") as fh:
        fh.write(b"x")
    out = run(["score", "-"], dict(model_env, BAOCAO_MODEL=str(copy)), stdin=GOOD)
    assert out.returncode == 3 and "SHA-256" in out.stderr
