"""The model card: JSON for machines, Markdown for people, written beside the artifact."""
from __future__ import annotations

import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from classifier.artifact import PROJECT_ROOT, card_path

LIBRARIES = ("scikit-learn", "numpy", "scipy", "underthesea", "joblib", "pandas")


def library_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def code_version() -> str:
    """The git commit the model was trained from (with '+dirty' for uncommitted changes)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                                text=True, timeout=5).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_ROOT,
                               capture_output=True, text=True, timeout=5).stdout.strip()
        return (commit or "unknown") + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _row(name: str, m: dict, labels=("vague", "position", "proposal")) -> str:
    cells = []
    for l in labels:
        if l in m:
            x = m[l]
            extra = f" / {x['roc_auc']:.3f} / {x['calibration_error']:.3f}" if "roc_auc" in x else ""
            cells.append(f"{x['macro_f1']:.3f}{extra}")
        else:
            cells.append("–")
    verdict = f"{m['verdict_accuracy']:.3f}" if "verdict_accuracy" in m else "–"
    return f"| {name} | " + " | ".join(cells) + f" | {verdict} |"


def _feedback_line(fb: dict) -> str:
    return (f"- reviewer feedback (`--with-feedback {fb['source']}`): {fb['rows']} rows, {fb['used']} used as training "
            f"documents with the corrected labels, {fb['skipped_no_text']} without text skipped, "
            f"{fb['superseded']} superseded by a later correction, {fb['skipped_dev_overlap']} left out as dev texts")


def render_markdown(card: dict) -> str:
    lines = [f"# Model card: baocao {card['model_version']}", "",
             "Scores Vietnamese administrative documents for `vague`, `position`, `proposal` "
             "(definitions: the labeling guide). Trained by `baocao train` from `data/samples/train/`; "
             "evaluated on the fixed dev split `data/samples/dev/` (never used for fitting or thresholds) and on "
             "the 80 labeled real lines of `../shared/corpus/real-dev.jsonl` (never trained or tuned on) and, as "
             "`corpus_check`, 240 other corpus lines drawn at random, and as `corpus_check_plans`, 240 lines drawn from "
             "those that read like plans and requests, each labeled blind by two annotators "
             "(`data/audit/corpus_check.jsonl`; the lines both agree on).", "",
             f"- artifact SHA-256: `{card['artifact_sha256']}` (checked on every load)",
             f"- data hash: `{card['data']['hash']}`; train {card['data']['train_docs']} documents, "
             f"dev {card['data']['dev_docs']} ({card['data']['dev_cue_inverted_docs']} cue-inverted)",
             f"- code version: `{card['code_version']}`; seed {card['seed']}",
             *([_feedback_line(card["data"]["feedback"])] if "feedback" in card["data"] else []),
             f"- libraries: " + ", ".join(f"{k} {v}" for k, v in card["libraries"].items()),
             f"- thresholds (chosen on out-of-fold training predictions): "
             + ", ".join(f"{k} {v:.2f}" for k, v in card["thresholds"].items()), "",
             "## Metrics", "",
             "Cells: macro-F1 / ROC-AUC / expected calibration error (10 bins).", ""]
    for part in ("dev", "dev_general", "dev_cue_inverted", "real_dev", "corpus_check", "corpus_check_plans"):
        lines += [f"### {part}", "", "| model | vague | position | proposal | verdict acc. |", "|---|---|---|---|---|"]
        for key, name in (("model", "baocao"), ("keyword_baseline", "keyword rules"),
                          ("tfidf_logreg_baseline", "word TF-IDF + LR")):
            m = card["metrics"].get(key, {}).get(part)
            if m:
                lines.append(_row(name, m))
        lines.append("")
    lines += ["## Training (out-of-fold, train split only)", "", "| | vague | position | proposal | verdict |",
              "|---|---|---|---|---|", _row("baocao OOF", card["train_oof"]), "",
              "## Model", "", "```", card["estimator"], "```", ""]
    return "\n".join(lines)


def write_card(card: dict, model_path: Path) -> tuple[Path, Path]:
    jpath = card_path(model_path)
    jpath.write_text(json.dumps(card, ensure_ascii=False, indent=2), encoding="utf-8")
    mpath = model_path.with_suffix(".card.md")
    mpath.write_text(render_markdown(card), encoding="utf-8")
    return jpath, mpath
