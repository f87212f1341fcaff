"""Compile hand-written labeled documents into the labeling guide's JSONL format.

Writers (people or helpers) author documents in a plain-text form that is easy
to write and review by eye; evidence is given as exact quotes of sentences,
and this module turns each quote into character offsets, so nobody counts
characters by hand. It never generates text: it only parses and checks.

Source format (one block per document)::

    ### id: xd-0001
    agency: Sở Xây dựng
    doc_type: bao_cao            # bao_cao | to_trinh | cong_van
    domain: xay_dung
    labels: vague=0 position=1 proposal=1
    hard: relayed_opinion        # optional, free text: which hard case it is
    P: <exact quote from the text>
    R: <exact quote from the text>
    V: <exact quote from the text>
    ---
    <the document text, any number of lines>

Usage: python -m training.authoring SRC.txt [SRC2.txt ...] --out OUT.jsonl
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

DOC_TYPES = {"bao_cao", "to_trinh", "cong_van"}
TAGS = {"P", "R", "V"}
_HEADER = re.compile(r"^###\s*id:\s*(\S+)\s*$")
_FIELD = re.compile(r"^(agency|doc_type|domain|labels|hard|P|R|V)\s*:\s*(.*)$")
_LABEL = re.compile(r"(vague|position|proposal)\s*=\s*([01])")


class AuthoringError(ValueError):
    """A source block that cannot become a valid record; the message names file and line."""


def _locate(text: str, quote: str, where: str) -> tuple[int, int]:
    quote = quote.strip()
    start = text.find(quote)
    if start < 0:
        raise AuthoringError(f"{where}: evidence quote not found in text: {quote[:80]!r}")
    if text.find(quote, start + 1) >= 0:
        raise AuthoringError(f"{where}: evidence quote occurs more than once, quote more of it: {quote[:80]!r}")
    return start, start + len(quote)


def _finish(block: dict, path: str) -> dict:
    where = f"{path}:{block['line']} (id {block['id']})"
    text = unicodedata.normalize("NFC", "\n".join(block["body"]).strip("\n").rstrip())
    if not text:
        raise AuthoringError(f"{where}: empty text")
    fields = block["fields"]
    for key in ("agency", "doc_type", "domain", "labels"):
        if key not in fields:
            raise AuthoringError(f"{where}: missing field '{key}'")
    if fields["doc_type"] not in DOC_TYPES:
        raise AuthoringError(f"{where}: doc_type must be one of {sorted(DOC_TYPES)}")
    labels = {k: int(v) for k, v in _LABEL.findall(fields["labels"])}
    if set(labels) != {"vague", "position", "proposal"}:
        raise AuthoringError(f"{where}: labels must give vague, position and proposal as 0/1")
    evidence = []
    for tag, quote in block["quotes"]:
        start, end = _locate(text, unicodedata.normalize("NFC", quote), where)
        evidence.append({"start": start, "end": end, "tags": [tag]})
    for tag, name in (("P", "position"), ("R", "proposal")):
        has = any(tag in e["tags"] for e in evidence)
        if has and not labels[name]:
            raise AuthoringError(f"{where}: {tag} evidence on a document with {name}=0")
    evidence.sort(key=lambda e: (e["start"], e["end"]))
    record = {"id": block["id"], "agency": fields["agency"], "doc_type": fields["doc_type"],
              "domain": fields["domain"], "text": text, "labels": labels, "evidence": evidence}
    if fields.get("hard"):
        record["hard_case"] = fields["hard"]
    return record


def parse_source(path: str | Path) -> list[dict]:
    """Parse one authoring source file into guide-format records."""
    records, block, in_body = [], None, False
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        header = _HEADER.match(raw.strip())
        if header:
            if block:
                records.append(_finish(block, str(path)))
            block = {"id": header.group(1), "line": number, "fields": {}, "quotes": [], "body": []}
            in_body = False
            continue
        if block is None:
            continue
        if in_body:
            block["body"].append(raw.rstrip())
        elif raw.strip() == "---":
            in_body = True
        elif raw.strip():
            field = _FIELD.match(raw.strip())
            if not field:
                raise AuthoringError(f"{path}:{number}: unrecognised header line: {raw[:80]!r}")
            key, value = field.groups()
            if key in TAGS:
                block["quotes"].append((key, value))
            else:
                block["fields"][key] = value.strip()
    if block:
        records.append(_finish(block, str(path)))
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="+")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    records, seen = [], set()
    try:
        for src in args.sources:
            for rec in parse_source(src):
                if rec["id"] in seen:
                    raise AuthoringError(f"{src}: duplicate id {rec['id']}")
                seen.add(rec["id"])
                records.append(rec)
    except AuthoringError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    with open(args.out, "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for rec in records:
        key = "".join(str(rec["labels"][k]) for k in ("vague", "position", "proposal"))
        counts[key] = counts.get(key, 0) + 1
    print(f"wrote {len(records)} records to {args.out}; label combos (vague,position,proposal): "
          + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
