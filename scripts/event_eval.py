"""Quick dev-set figures for the event coder (not the evaluation harness).

    /work/venv/bin/python scripts/event_eval.py [--limit N] [--show-errors K]

Reads ../shared/data (acled-gaza/dev.csv, case2021/dev.tsv, plover/gsr_dev.json) and codes
each text with ``classify_text`` in text-only mode (no spaCy), printing accuracies.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import sys
from datetime import datetime
from pathlib import Path

from factledger.nlp.events import acled_to_case, classify_text

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def f1s(gold: list[str], pred: list[str]) -> tuple[float, float]:
    labels = sorted(set(gold))
    weighted = macro = 0.0
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p == lab)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != lab and p == lab)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p != lab)
        f = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        weighted += f * gold.count(lab) / len(gold)
        macro += f / len(labels)
    return weighted, macro


def acled(limit: int, show: int) -> None:
    rows = list(csv.DictReader(open(DATA / "acled-gaza" / "dev.csv", encoding="utf-8")))[:limit]
    n = len(rows)
    hits = collections.Counter()
    errors = collections.Counter()
    shown = collections.Counter()
    for r in rows:
        published = datetime.strptime(r["event_date"], "%d-%b-%y").date()
        ev = classify_text(r["notes"], published=published)
        et = ev.event_type if ev else None
        st = ev.sub_event_type if ev else None
        a1 = ev.actor1.entity if ev and ev.actor1 else None
        fat = int(ev.fatalities.best) if ev and ev.fatalities and ev.fatalities.best is not None else 0
        hits["event_type"] += et == r["event_type"]
        hits["sub_event_type"] += st == r["sub_event_type"]
        hits["actor1"] += a1 == r["actor1"]
        hits["fatalities"] += fat == int(r["fatalities"])
        for key, ok, got, want in (
            ("sub", st == r["sub_event_type"], st, r["sub_event_type"]),
            ("actor1", a1 == r["actor1"], a1, r["actor1"]),
            ("fat", fat == int(r["fatalities"]), fat, r["fatalities"]),
        ):
            if not ok:
                errors[(key, want, got)] += 1
                if shown[key] < show:
                    shown[key] += 1
                    print(f"  [{key}] want={want} got={got} :: {r['notes'][:220]}")
    print(
        f"acled-gaza dev n={n}: "
        + ", ".join(
            f"{k}={hits[k] / n:.3f}" for k in ("event_type", "sub_event_type", "actor1", "fatalities")
        )
    )
    for (key, want, got), c in errors.most_common(12):
        print(f"    {c:4d} {key}: {want} -> {got}")


def case(limit: int, show: int) -> None:
    rows = list(
        csv.DictReader(
            open(DATA / "case2021" / "dev.tsv", encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE
        )
    )[:limit]
    gold, pred = [], []
    for r in rows:
        ev = classify_text(r["EventSnippet"])
        p = acled_to_case(ev.sub_event_type) if ev else "OTHER"
        gold.append(r["SubType"])
        pred.append(p)
        if p != r["SubType"] and show > 0:
            show -= 1
            print(f"  [case] want={r['SubType']} got={p} :: {r['EventSnippet'][:200]}")
    w, m = f1s(gold, pred)
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)
    print(f"case2021 dev n={len(gold)}: weighted_f1={w:.3f} macro_f1={m:.3f} accuracy={acc:.3f}")
    print(
        "    top confusions:",
        collections.Counter((g, p) for g, p in zip(gold, pred, strict=True) if g != p).most_common(12),
    )


def plover(show: int) -> None:
    recs = [x for x in json.load(open(DATA / "plover" / "gsr_dev.json", encoding="utf-8")) if x.get("text")]
    ok = 0
    conf = collections.Counter()
    for x in recs:
        ev = classify_text(x["text"])
        got = ev.plover.get("event") if ev else None
        ok += got == x["event"]
        if got != x["event"]:
            conf[(x["event"], got)] += 1
            if show > 0:
                show -= 1
                print(f"  [plover] want={x['event']} got={got} :: {x['text'][:160]}")
    print(f"plover gsr_dev n={len(recs)}: event_accuracy={ok / len(recs):.3f}")
    print("    top confusions:", conf.most_common(10))


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=100000)
    ap.add_argument("--show-errors", type=int, default=0)
    ap.add_argument("--only", choices=["acled", "case", "plover"])
    args = ap.parse_args(argv)
    if args.only in (None, "acled"):
        acled(args.limit, args.show_errors)
    if args.only in (None, "case"):
        case(args.limit, args.show_errors)
    if args.only in (None, "plover"):
        plover(args.show_errors)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
