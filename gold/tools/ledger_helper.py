"""Annotation helper for gold/ledger: prints candidate sentences of CNN articles with their
character offsets, so an annotator can read them and write cluster labels by hand.

    python gold/tools/ledger_helper.py show LINE [LINE ...]     # sentences with event cues
    python gold/tools/ledger_helper.py check                    # every gold row points at text

It proposes nothing by itself: the clusters, series and chains in gold/ledger are judged by
reading the articles (see gold/ledger/README.md).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CNN = ROOT.parent / "shared" / "data" / "cnn-2024" / "articles.jsonl"
STRONG = re.compile(r"\bkill|\bdead\b|\bdied\b|airstrike|air strike|\bstruck|\bstrikes? (?:on|hit)|rocket|\bshot\b|ambush|"
                    r"assassinat|explosion|\btoll\b|\bproposal", re.I)
CUES = re.compile(r"kill|dead|death|strike|attack|rocket|drone|missile|shell|bomb|injur|wound|toll|"
                  r"assassinat|explosion|blast|shot|ambush|clash|ceasefire|proposal|hostage", re.I)


def corpus() -> list[dict]:
    with open(CNN, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def sentences(text: str) -> list[tuple[int, int]]:
    from factledger.nlp.segment import split_sentences

    return [(s.start, s.end) for s in split_sentences(text)]


def show(lines: list[int]) -> None:
    rows = corpus()
    for line in lines:
        art = rows[line - 1]
        print(f"=== line {line} {art['published']} {art['path']}")
        for i, (s, e) in enumerate(sentences(art["text"])):
            sent = art["text"][s:e]
            if i < 3 or STRONG.search(sent):
                print(f"  [{s},{e}] {sent[:170]}")


def check() -> None:
    rows = {r["path"]: r for r in corpus()}
    bad = 0
    for name in ("events.jsonl", "series.jsonl"):
        for n, line in enumerate(open(ROOT / "gold" / "ledger" / name, encoding="utf-8"), 1):
            g = json.loads(line)
            art = rows.get(g["path"])
            if art is None or not all(0 <= s < e <= len(art["text"]) for s, e in g["spans"]):
                print(f"{name}:{n}: bad path or offsets")
                bad += 1
    print("ok" if not bad else f"{bad} bad rows")


if __name__ == "__main__":
    if sys.argv[1] == "show":
        show([int(x) for x in sys.argv[2:]])
    else:
        check()
