#!/usr/bin/env python
"""Annotation helper for the claims gold (see gold/claims/README.md, docs/annotation-guide.md).

Commands:
  check                      validate every gold line against the corpus; exit 1 on any error
  list [--conflict|--all] [--grep WORD]   list CNN articles (path, chars, title)
  candidates PATH            print the sentences of a document that contain a figure,
                             with their index and offsets (PATH = CNN article path or seed file name)
  sentences PATH             print all sentences with index and offsets
  build SPEC.py              turn an annotation spec (kept outside the repo) into gold lines

The corpus text is licensed: this tool reads it, it never writes it into the repo.
"""
from __future__ import annotations

import json
import os
import re
import sys
from functools import lru_cache

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CNN = os.environ.get("FACTLEDGER_CNN", "/work/shared/data/cnn-2024/articles.jsonl")
SEEDS = os.environ.get("FACTLEDGER_SEEDS", "/work/shared/data/seeds")
GOLD_FILES = [os.path.join(ROOT, "gold/claims/cnn-2024.jsonl"), os.path.join(ROOT, "gold/claims/seeds.jsonl")]
ARTICLES = os.path.join(ROOT, "gold/claims/articles.json")

METRICS = {
    "killed", "injured", "missing", "dead_or_missing", "killed_or_injured", "hostages_taken",
    "hostages_held", "hostages_released", "hostages_rescued", "hostages_dead", "bodies_recovered",
    "prisoners_released", "detained", "displaced", "evacuated", "rescued", "combatants", "affected", "other_people",
    "killed_or_detained",
}
QUALIFIERS = {"exact", "at_least", "more_than", "about", "nearly", "up_to", "fewer_than", "range"}
MODALITIES = {"asserted", "reported", "proposed", "hypothetical", "future", "negated", "denied"}
HEDGES = {"unverified", "no_civilian_combatant_distinction", "believed", "presumed_dead", "reportedly",
          "estimated", "preliminary", "disputed", "claimed"}
PRECISIONS = {"day", "week", "month", "year"}
REQUIRED = ["corpus", "path", "start", "end", "metric", "low", "high", "qualifier", "subject", "source",
            "as_of", "hedges", "modality", "id", "part_of"]
OPTIONAL = {"number_text", "note", "as_of_text"}
VAGUE = {"dozens", "hundreds", "thousands", "several", "a few", "a handful", "millions", "no one", "none",
         "a couple", "scores"}


# ---------------------------------------------------------------- corpus access
@lru_cache(maxsize=1)
def cnn_articles() -> dict:
    out = {}
    with open(CNN, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            out[r["path"]] = r
    return out


def resolve_path(path: str) -> str:
    """Exact CNN path, or the unique path equal to it modulo whitespace/unicode spaces."""
    arts = cnn_articles()
    if path in arts:
        return path
    norm = lambda x: re.sub(r"\s+", " ", x)  # noqa: E731
    hits = [p for p in arts if norm(p) == norm(path)]
    if len(hits) == 1:
        return hits[0]
    raise KeyError(path)


def doc_text(corpus: str, path: str) -> str:
    if corpus == "cnn-2024":
        return cnn_articles()[path]["text"]
    if corpus == "seeds":
        with open(os.path.join(SEEDS, path), encoding="utf-8", newline="") as f:
            return f.read()
    raise KeyError(corpus)


def guess_corpus(path: str) -> str:
    return "seeds" if path.endswith(".txt") and "/" not in path else "cnn-2024"


# ---------------------------------------------------------------- sentence splitting
ABBREV = {"mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "maj", "capt", "rep", "sen", "gov",
          "jan", "feb", "aug", "sept", "sep", "oct", "nov", "dec", "no", "vs", "jr", "sr", "u.s", "u.n",
          "a.m", "p.m", "inc", "corp", "co", "ft", "mt", "e.g", "i.e", "prof", "rev", "adm", "u.k", "d.c",
          "cmdr", "brig", "pvt", "cpl", "approx", "est", "fig", "gens", "sgts", "reps", "sens"}
_END = re.compile(r"[.!?]+[\"'”’)\]]*")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans; end is exclusive and sits just after the final punctuation
    (closing quotes/brackets included). Lines are hard boundaries."""
    spans = []
    pos = 0
    for line in re.finditer(r"[^\n]+", text):
        ls, le = line.start(), line.end()
        s = ls
        for m in _END.finditer(text, ls, le):
            e = m.end()
            nxt = text[e:e + 2]
            if e < le:
                if not text[e].isspace():
                    continue  # e.g. "3.5", "U.S.-led"
                after = text[e:le].lstrip()
                if not after:
                    pass
                elif not (after[0].isupper() or after[0].isdigit() or after[0] in "\"'“‘(["):
                    continue
            # abbreviation check: word before the dot
            if m.group(0).startswith(".") and len(m.group(0).rstrip("\"'”’)]")) == 1:
                w = re.search(r"([A-Za-z.]+)$", text[s:m.start()])
                if w:
                    word = w.group(1).lower().strip(".")
                    if word in ABBREV or (len(word) == 1 and word.isalpha()):
                        continue
            st = s
            while st < e and text[st].isspace():
                st += 1
            if st < e:
                spans.append((st, e))
            s = e
        st = s
        while st < le and text[st].isspace():
            st += 1
        en = le
        while en > st and text[en - 1].isspace():
            en -= 1
        if st < en:
            spans.append((st, en))
        pos = le
    return spans


NUM_RE = re.compile(
    r"\b\d[\d,.]*\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"hundred|hundreds|thousand|thousands|million|millions|dozen|dozens|several|few|handful|scores|"
    r"no one|none|nobody|couple)\b", re.I)


def cmd_sentences(path: str, only_numbers: bool) -> None:
    corpus = guess_corpus(path)
    if corpus == "cnn-2024":
        path = resolve_path(path)
    text = doc_text(corpus, path)
    if corpus == "cnn-2024":
        a = cnn_articles()[path]
        print(f"# {a['title']} | published {a['published']} | conflict={a['conflict_related']} | {len(text)} chars")
    for i, (s, e) in enumerate(split_sentences(text)):
        sent = text[s:e]
        if only_numbers and not NUM_RE.search(sent):
            continue
        print(f"[{i}] {s}-{e}: {sent}")


def cmd_list(flag: str, grep: str | None) -> None:
    for p, a in sorted(cnn_articles().items()):
        if flag == "--conflict" and not a["conflict_related"]:
            continue
        if grep and grep.lower() not in (a["title"] + " " + a["text"]).lower():
            continue
        print(f"{p}\t{a['n_chars']}\t{a['conflict_related']}\t{a['title'][:90]}")


# ---------------------------------------------------------------- check
def _is_sentence_start(text: str, s: int) -> bool:
    if s == 0:
        return True
    if text[s].isspace():
        return False
    return text[s - 1].isspace()


def _is_sentence_end(text: str, e: int) -> bool:
    if e == len(text) or text[e] == "\n":
        return True
    last = text[e - 1]
    return last in ".!?\"'”’)]" and text[e].isspace()


def check() -> int:
    errors: list[str] = []
    ids: dict[str, str] = {}
    lines = []
    with open(ARTICLES, encoding="utf-8") as f:
        arts = json.load(f)
    art_keys = set()
    for a in arts:
        k = (a["corpus"], a["path"])
        if k in art_keys:
            errors.append(f"articles.json: duplicate {k}")
        art_keys.add(k)
        try:
            doc_text(*k)
        except Exception as ex:  # noqa: BLE001
            errors.append(f"articles.json: {k} not in corpus ({ex})")
    for gf in GOLD_FILES:
        if not os.path.exists(gf):
            errors.append(f"missing {gf}")
            continue
        with open(gf, encoding="utf-8") as f:
            for n, raw in enumerate(f, 1):
                where = f"{os.path.relpath(gf, ROOT)}:{n}"
                if not raw.strip():
                    continue
                try:
                    c = json.loads(raw)
                except json.JSONDecodeError as ex:
                    errors.append(f"{where}: bad json {ex}")
                    continue
                lines.append((where, c))
                for k in REQUIRED:
                    if k not in c:
                        errors.append(f"{where}: missing field {k}")
                extra = set(c) - set(REQUIRED) - OPTIONAL
                if extra:
                    errors.append(f"{where}: unknown fields {sorted(extra)}")
                if any(k not in c for k in REQUIRED):
                    continue
                if c["id"] in ids:
                    errors.append(f"{where}: duplicate id {c['id']} (also {ids[c['id']]})")
                ids[c["id"]] = where
                key = (c["corpus"], c["path"])
                if key not in art_keys:
                    errors.append(f"{where}: document {key} not listed in articles.json")
                try:
                    text = doc_text(*key)
                except Exception as ex:  # noqa: BLE001
                    errors.append(f"{where}: document not found {key} ({ex})")
                    continue
                s, e = c["start"], c["end"]
                if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
                    errors.append(f"{where}: bad offsets {s}-{e} (len {len(text)})")
                    continue
                sent = text[s:e]
                nsent = re.sub(r"\s+", " ", sent).lower()  # NBSP etc. normalised for label look-ups
                if not _is_sentence_start(text, s):
                    errors.append(f"{where}: start {s} is not at a sentence start")
                if not _is_sentence_end(text, e):
                    errors.append(f"{where}: end {e} is not at a sentence end")
                if "\n" in sent:
                    errors.append(f"{where}: span crosses a line break")
                if (s, e) not in set(split_sentences(text)):
                    # not fatal by itself if boundaries look right; splitter may differ
                    pass
                if c["metric"] not in METRICS:
                    errors.append(f"{where}: unknown metric {c['metric']}")
                if c["qualifier"] not in QUALIFIERS:
                    errors.append(f"{where}: unknown qualifier {c['qualifier']}")
                if c["modality"] not in MODALITIES:
                    errors.append(f"{where}: unknown modality {c['modality']}")
                if not isinstance(c["hedges"], list) or any(h not in HEDGES for h in c["hedges"]):
                    errors.append(f"{where}: bad hedges {c['hedges']}")
                elif c["hedges"] != sorted(set(c["hedges"])):
                    errors.append(f"{where}: hedges not sorted/unique")
                low, high = c["low"], c["high"]
                if not isinstance(low, int) or low < 0:
                    errors.append(f"{where}: bad low {low}")
                if high is not None and (not isinstance(high, int) or (isinstance(low, int) and high < low)):
                    errors.append(f"{where}: bad high {high}")
                q = c["qualifier"]
                if q == "range" and (high is None or high == low):
                    errors.append(f"{where}: range needs high > low")
                if q == "exact" and high != low:
                    errors.append(f"{where}: exact needs high == low")
                if not isinstance(c["subject"], str) or not c["subject"] or len(c["subject"].split()) > 5:
                    errors.append(f"{where}: subject should be a short label: {c['subject']!r}")
                if c["source"] is not None and (not isinstance(c["source"], str) or len(c["source"].split()) > 8):
                    errors.append(f"{where}: source should be null or a short label: {c['source']!r}")
                if c["source"] is not None and re.sub(r"\s+", " ", c["source"]).lower().split("'")[0] not in nsent \
                        and not c.get("note"):
                    # sources may sit in a neighbouring sentence; require a note then
                    errors.append(f"{where}: source {c['source']!r} not in sentence (add a note if intended)")
                ao = c["as_of"]
                if ao is not None:
                    if not (isinstance(ao, dict) and set(ao) == {"date", "precision"} and ao["precision"] in PRECISIONS
                            and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", str(ao["date"]))):
                        errors.append(f"{where}: bad as_of {ao}")
                    else:
                        want = {"day": 10, "week": 10, "month": 7, "year": 4}[ao["precision"]]
                        if len(ao["date"]) != want:
                            errors.append(f"{where}: as_of date/precision mismatch {ao}")
                nt = c.get("number_text")
                if nt is None:
                    errors.append(f"{where}: number_text missing")
                elif re.sub(r"\s+", " ", nt).lower() not in nsent:
                    errors.append(f"{where}: number_text {nt!r} not in sentence {s}-{e}")
                elif len(nt) > 40:
                    errors.append(f"{where}: number_text too long")
    for where, c in lines:
        po = c.get("part_of")
        if po is not None:
            if po not in ids:
                errors.append(f"{where}: part_of {po} unknown")
            elif po == c["id"]:
                errors.append(f"{where}: part_of itself")
    for e in errors:
        print("ERROR", e)
    n_docs = len(art_keys)
    print(f"checked {len(lines)} claims in {n_docs} documents: {len(errors)} error(s)")
    return 1 if errors else 0


# ---------------------------------------------------------------- build from spec
def cmd_build(spec_path: str) -> None:
    """SPEC is a python file defining DOCS = [(corpus, path, [claim tuples])] and PREFIX, OUT.
    A claim tuple: (sent_index, number_text, metric, low, high, qualifier, subject, source,
    as_of|None, hedges, modality, local_id|None, part_of_local|None, extra dict|None)."""
    ns: dict = {}
    exec(open(spec_path, encoding="utf-8").read(), ns)  # noqa: S102 - local annotation spec
    out_lines = []
    n = ns.get("START", 1)
    arts = []
    for corpus, path, claims in ns["DOCS"]:
        if corpus == "cnn-2024":
            path = resolve_path(path)
        arts.append({"corpus": corpus, "path": path})
        text = doc_text(corpus, path)
        spans = split_sentences(text)
        local = {}
        pending = []
        for cl in claims:
            (si, nt, metric, low, high, q, subj, src, asof, hedges, mod, lid, pof, extra) = (list(cl) + [None] * 14)[:14]
            if isinstance(si, tuple):
                s, e = si
            else:
                s, e = spans[si]
            cid = f"{ns['PREFIX']}{n:04d}"
            n += 1
            if lid:
                local[lid] = cid
            if isinstance(asof, str):
                prec = {10: "day", 7: "month", 4: "year"}[len(asof)]
                asof = {"date": asof, "precision": prec}
            rec = {"corpus": corpus, "path": path, "start": s, "end": e, "metric": metric, "low": low,
                   "high": low if (high == "=" ) else high, "qualifier": q, "subject": subj, "source": src,
                   "as_of": asof, "hedges": sorted(set(hedges or [])), "modality": mod or "asserted",
                   "id": cid, "part_of": pof, "number_text": nt}
            if extra:
                rec.update(extra)
            pending.append(rec)
        for rec in pending:
            if rec["part_of"] is not None:
                rec["part_of"] = local[rec["part_of"]]
            out_lines.append(rec)
    with open(os.path.join(ROOT, ns["OUT"]), "w", encoding="utf-8") as f:
        for rec in out_lines:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {len(out_lines)} claims to {ns['OUT']}")
    # merge the documents into articles.json (exhaustively annotated list)
    old = json.load(open(ARTICLES, encoding="utf-8")) if os.path.exists(ARTICLES) else []
    corpora = {a["corpus"] for a in arts}
    merged = [a for a in old if a["corpus"] not in corpora] + arts
    with open(ARTICLES, "w", encoding="utf-8") as f:
        json.dump(merged, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"articles.json: {len(merged)} documents")


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    cmd = argv[0]
    if cmd == "check":
        return check()
    if cmd == "candidates":
        cmd_sentences(argv[1], True)
        return 0
    if cmd == "sentences":
        cmd_sentences(argv[1], False)
        return 0
    if cmd == "list":
        flag = argv[1] if len(argv) > 1 and argv[1].startswith("--") and argv[1] != "--grep" else "--conflict"
        grep = argv[argv.index("--grep") + 1] if "--grep" in argv else None
        cmd_list(flag, grep)
        return 0
    if cmd == "build":
        cmd_build(argv[1])
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
