"""Old encodings on real text: detection accuracy, false conversions and speed.

Usage: .venv/bin/python benchmarks/bench_legacy.py

Reads the real report corpus (``../shared/corpus``, at run time; nothing is copied), encodes it
to TCVN3, VNI-Windows and Windows-1258 with classifier.legacy's own tables, and prints:

* per line with at least 3 words beyond ASCII: how often the bytes are detected as the right
  encoding and decoded exactly (TCVN3: up to the case of toned capitals, which it cannot write);
* the same lines pasted as Windows-1252 mojibake: how often ``repair_mojibake`` repairs them;
* false conversions: original Unicode lines and data/samples texts that were changed;
* whole corpus as one file: decode time and MB/s through ``read_bytes``.
"""
from __future__ import annotations

import glob
import json
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from classifier.legacy import (MIN_REPAIR_WORDS, bytes_as_ansi, decode_legacy_bytes, encode_tcvn3,  # noqa: E402
                               encode_vni, repair_mojibake, syllable_counts)
from classifier.readers import read_bytes, read_str  # noqa: E402
from training.realdev import corpus_lines  # noqa: E402


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 keeps tone marks as combining characters after the (hatted) vowel."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out: list[list[str]] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out:
            if ch in tones:
                out[-1][1] += ch
            else:
                out[-1][0] = unicodedata.normalize("NFC", out[-1][0] + ch)
        else:
            out.append([ch, ""])
    return "".join(b + m for b, m in out).encode("cp1258", errors="replace")


ENCODERS = {"tcvn3": lambda t: encode_tcvn3(t, capitals_font=True), "vni": encode_vni, "cp1258": encode_cp1258}


def main() -> None:
    lines = [l for l in corpus_lines() if l.strip()]
    if not lines:
        print("corpus not found (../shared/corpus or BAOCAO_SHARED)")
        return
    usable = [l for l in lines if syllable_counts(l).valid >= MIN_REPAIR_WORDS]
    print(f"corpus: {len(lines)} lines, {len(usable)} with >= {MIN_REPAIR_WORDS} words beyond ASCII")
    print(f"{'encoding':8} {'lines':>6} {'bytes detected':>15} {'decoded exactly':>16} {'mojibake repaired':>18}")
    for name, encode in ENCODERS.items():
        n = detected = exact = repaired = 0
        for line in usable:
            try:
                data = encode(line)
            except ValueError:  # a character the encoding has no code for (≥, ¼ ...)
                continue
            n += 1
            text, kind = decode_legacy_bytes(data)
            detected += kind == name
            same = text.lower() == line.lower() if name == "tcvn3" else text == line
            exact += kind == name and same
            if name != "cp1258":
                fixed, how = repair_mojibake(bytes_as_ansi(data))
                repaired += how == name and (fixed.lower() == line.lower() if name == "tcvn3" else fixed == line)
        rep = f"{repaired / n:.4f}" if name != "cp1258" else "-"
        print(f"{name:8} {n:6d} {detected / n:15.4f} {exact / n:16.4f} {rep:>18}")
    changed = sum(read_str(l).text != l or read_str(l).conversion not in (None, "nfd") for l in lines)
    samples = [json.loads(x)["text"] for p in glob.glob(str(ROOT / "data/samples/**/*.jsonl"), recursive=True)
               for x in open(p, encoding="utf-8") if x.strip()]
    changed_samples = sum(read_str(t).conversion is not None for t in samples)
    print(f"false conversions: {changed}/{len(lines)} corpus lines, {changed_samples}/{len(samples)} sample texts")
    whole = "\n".join(lines).replace("≥", ">=").replace("¼", "1/4")
    for name, encode in ENCODERS.items():
        data = encode(whole)
        start = time.perf_counter()
        result = read_bytes("corpus.txt", data)
        elapsed = time.perf_counter() - start
        ok = result.text.lower() == whole.lower() if name == "tcvn3" else result.text == whole
        print(f"whole corpus as one {name} file: {len(data) / 1e6:.2f} MB, conversion={result.conversion}, "
              f"exact={ok}, {elapsed:.2f} s ({len(data) / 1e6 / elapsed:.2f} MB/s)")
    data = whole.encode("utf-8")
    start = time.perf_counter()
    result = read_bytes("corpus.txt", data)
    elapsed = time.perf_counter() - start
    print(f"whole corpus as UTF-8: conversion={result.conversion}, {elapsed:.3f} s")


if __name__ == "__main__":
    main()
