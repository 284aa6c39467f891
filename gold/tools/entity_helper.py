#!/usr/bin/env python
"""Annotation helper + checker for the entity gold (see gold/entities/README.md,
docs/entity-annotation-guide.md).

Commands:
  check                 validate gold/entities/*.jsonl against the corpus; exit 1 on any error
  show PATH             print a document with line numbers and character offsets (for reading)
  build SPEC.py         turn an annotation spec (kept outside the repo) into gold lines
  render PATH           print a gold-annotated document with [[surface|KIND:name]] markup and
                        the capitalised tokens not covered by any mention (review aid)
  stats                 counts by kind / subkind / document

PATH = a CNN article path (as in articles.jsonl) or a seed file name.
The corpus text is licensed: this tool reads it, it never writes it into the repo
(the gold keeps offsets, labels and the short surface string of each mention only).
"""
from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from annotate_helper import cnn_articles, doc_text, guess_corpus, resolve_path  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
EDIR = os.path.join(ROOT, "gold/entities")
ARTICLES = os.path.join(EDIR, "articles.json")
MENTIONS = os.path.join(EDIR, "mentions.jsonl")
ENTITIES = os.path.join(EDIR, "entities.jsonl")

KINDS = {"PERSON", "ORG", "PLACE"}
SUBKINDS = {
    "PERSON": {None},
    "ORG": {"armed_group", "military", "government", "agency", "media", "party", "company", "ngo", "other"},
    "PLACE": {"country", "admin", "city", "neighbourhood", "camp", "facility", "region", "other"},
}
STATUSES = {"killed", "injured", "arrested", "detained", "released", "rescued", "missing", "held_hostage",
            "charged", "convicted", "sentenced", "wanted", "dead", "sanctioned", "expelled", "resigned"}
MENTION_FIELDS = ["corpus", "path", "start", "end", "surface", "kind", "subkind", "entity"]
ENTITY_FIELDS = ["id", "corpus", "path", "name", "kind", "subkind", "aliases", "roles", "status"]
ENTITY_OPTIONAL = {"note"}
MENTION_OPTIONAL = {"note"}
MAX_SURFACE_WORDS = 12


def norm_ws(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def load_jsonl(path: str) -> list[tuple[str, dict]]:
    out = []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            if raw.strip():
                out.append((f"{os.path.relpath(path, ROOT)}:{n}", raw))
    return out


# ---------------------------------------------------------------- check
def check() -> int:
    errors: list[str] = []
    try:
        arts = json.load(open(ARTICLES, encoding="utf-8"))
    except Exception as ex:  # noqa: BLE001
        print(f"ERROR cannot read {ARTICLES}: {ex}")
        return 1
    art_keys = set()
    texts = {}
    for a in arts:
        k = (a.get("corpus"), a.get("path"))
        if k in art_keys:
            errors.append(f"articles.json: duplicate {k}")
        art_keys.add(k)
        try:
            texts[k] = doc_text(*k)
        except Exception as ex:  # noqa: BLE001
            errors.append(f"articles.json: {k} not in corpus ({ex!r})")

    ents: dict[tuple, dict] = {}
    ent_ids: dict[str, str] = {}
    for where, raw in load_jsonl(ENTITIES) if os.path.exists(ENTITIES) else []:
        try:
            e = json.loads(raw)
        except json.JSONDecodeError as ex:
            errors.append(f"{where}: bad json {ex}")
            continue
        miss = [f for f in ENTITY_FIELDS if f not in e]
        if miss:
            errors.append(f"{where}: missing fields {miss}")
            continue
        extra = set(e) - set(ENTITY_FIELDS) - ENTITY_OPTIONAL
        if extra:
            errors.append(f"{where}: unknown fields {sorted(extra)}")
        key = (e["corpus"], e["path"])
        if key not in art_keys:
            errors.append(f"{where}: document {key} not listed in articles.json")
        if e["id"] in ent_ids:
            errors.append(f"{where}: duplicate entity id {e['id']} (also {ent_ids[e['id']]})")
        ent_ids[e["id"]] = where
        if not re.fullmatch(r"e\d{4,}", str(e["id"])):
            errors.append(f"{where}: bad id {e['id']!r}")
        if e["kind"] not in KINDS:
            errors.append(f"{where}: bad kind {e['kind']!r}")
        elif e["subkind"] not in SUBKINDS[e["kind"]]:
            errors.append(f"{where}: bad subkind {e['subkind']!r} for {e['kind']}")
        if not isinstance(e["name"], str) or not e["name"].strip() or len(e["name"].split()) > MAX_SURFACE_WORDS:
            errors.append(f"{where}: bad name {e['name']!r}")
        if not isinstance(e["aliases"], list) or not all(isinstance(a, str) for a in e["aliases"]):
            errors.append(f"{where}: aliases must be a list of str")
        if not isinstance(e["roles"], list) or not all(isinstance(r, str) and len(r.split()) <= 12
                                                         for r in e["roles"]):
            errors.append(f"{where}: roles must be a list of short str")
        if not isinstance(e["status"], list):
            errors.append(f"{where}: status must be a list")
        else:
            if e["status"] and e["kind"] != "PERSON":
                errors.append(f"{where}: status only for PERSON")
            for st in e["status"]:
                if not (isinstance(st, dict) and set(st) == {"status", "date", "source"}):
                    errors.append(f"{where}: bad status item {st}")
                    continue
                if st["status"] not in STATUSES:
                    errors.append(f"{where}: unknown status {st['status']!r}")
                if st["date"] is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", str(st["date"])):
                    errors.append(f"{where}: bad status date {st['date']!r}")
                if st["source"] is not None and (not isinstance(st["source"], str) or len(st["source"].split()) > 10):
                    errors.append(f"{where}: bad status source {st['source']!r}")
        ents[(e["corpus"], e["path"], e["id"])] = e

    used = Counter()
    surfaces = defaultdict(set)
    spans: dict[tuple, list] = defaultdict(list)
    n_m = 0
    for where, raw in load_jsonl(MENTIONS) if os.path.exists(MENTIONS) else []:
        try:
            m = json.loads(raw)
        except json.JSONDecodeError as ex:
            errors.append(f"{where}: bad json {ex}")
            continue
        n_m += 1
        miss = [f for f in MENTION_FIELDS if f not in m]
        if miss:
            errors.append(f"{where}: missing fields {miss}")
            continue
        extra = set(m) - set(MENTION_FIELDS) - MENTION_OPTIONAL
        if extra:
            errors.append(f"{where}: unknown fields {sorted(extra)}")
        key = (m["corpus"], m["path"])
        if key not in art_keys:
            errors.append(f"{where}: document {key} not listed in articles.json")
            continue
        text = texts.get(key)
        if text is None:
            continue
        s, e = m["start"], m["end"]
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
            errors.append(f"{where}: bad offsets {s}-{e}")
            continue
        if text[s:e] != m["surface"]:
            errors.append(f"{where}: text[{s}:{e}]={text[s:e]!r} != surface {m['surface']!r}")
        if len(m["surface"].split()) > MAX_SURFACE_WORDS or "\n" in m["surface"]:
            errors.append(f"{where}: surface too long / multi-line")
        if text[s:e] != text[s:e].strip():
            errors.append(f"{where}: surface has leading/trailing whitespace")
        if (s > 0 and text[s - 1].isalnum()) or (e < len(text) and text[e].isalnum()):
            errors.append(f"{where}: span {s}-{e} cuts a word ({text[max(0, s - 5):e + 5]!r})")
        if m["kind"] not in KINDS:
            errors.append(f"{where}: bad kind {m['kind']!r}")
        elif m["subkind"] not in SUBKINDS[m["kind"]]:
            errors.append(f"{where}: bad subkind {m['subkind']!r}")
        ek = (m["corpus"], m["path"], m["entity"])
        if ek not in ents:
            errors.append(f"{where}: entity {m['entity']!r} not in entities.jsonl for this document")
        else:
            ent = ents[ek]
            if (ent["kind"], ent["subkind"]) != (m["kind"], m["subkind"]):
                errors.append(f"{where}: kind/subkind differ from entity {m['entity']}")
            used[ek] += 1
            surfaces[ek].add(norm_ws(m["surface"]))
        spans[key].append((s, e, where))
    for key, lst in spans.items():
        lst.sort()
        for (s1, e1, w1), (s2, e2, w2) in zip(lst, lst[1:]):
            if s2 < e1:
                errors.append(f"{w2}: overlaps {w1} ({s1}-{e1} / {s2}-{e2}); nested mentions are not annotated")
    for ek, ent in ents.items():
        if not used[ek]:
            errors.append(f"entity {ek[2]} ({ent['name']}) has no mention")
            continue
        al = {norm_ws(a) for a in ent["aliases"]}
        if al != surfaces[ek]:
            errors.append(f"entity {ek[2]} ({ent['name']}): aliases {sorted(al)} != mention surfaces "
                          f"{sorted(surfaces[ek])}")
    for e in errors:
        print("ERROR", e)
    print(f"checked {n_m} mentions, {len(ents)} entities in {len(art_keys)} documents: {len(errors)} error(s)")
    return 1 if errors else 0


# ---------------------------------------------------------------- build from spec
def _alias_re(alias: str) -> re.Pattern:
    parts = [re.escape(p) for p in alias.split()]
    return re.compile(r"(?<![\w])" + r"[\s\u00a0]+".join(parts) + r"(?![\w])")


def match_doc(text: str, ents: list[dict]) -> list[tuple[int, int, int]]:
    """Return accepted (start, end, entity_index) spans: all alias occurrences, longest first,
    non-overlapping; entity index -1 = BLOCK (consumes the span, produces no mention);
    per-entity 'skip' = {alias: [k, ...]} drops the k-th accepted occurrence of that alias;
    'at' = [(alias, k)] keeps only those occurrences for that alias when given as 'only'."""
    cands = []
    for i, ent in enumerate(ents):
        for al in ent["aliases"] + ent.get("block", []):
            for m in _alias_re(al).finditer(text):
                cands.append((m.start(), m.end(), -1 if (ent.get("BLOCK") or al in ent.get("block", [])) else i, al))
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken: list[tuple[int, int]] = []
    acc = []
    for s, e, i, al in cands:
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        acc.append((s, e, i, al))
    acc.sort()
    out = []
    seen = Counter()
    for s, e, i, al in acc:
        if i < 0:
            continue
        k = seen[(i, al)]
        seen[(i, al)] += 1
        ent = ents[i]
        if k in ent.get("skip", {}).get(al, []):
            continue
        only = ent.get("only", {}).get(al)
        if only is not None and k not in only:
            continue
        out.append((s, e, i))
    return out


def cmd_build(spec_path: str) -> None:
    """SPEC defines DOCS = [(corpus, path, [entity dicts])]. An entity dict:
    {"k": KIND, "s": subkind|None, "name": str, "aliases": [surface strings to find],
     "roles": [...], "status": [(status, date|None, source|None)], "skip": {alias: [k]},
     "only": {alias: [k]}, "block": [strings consumed without mention], "note": str}
    {"BLOCK": True, "aliases": [...]} entities only consume text (non-mentions)."""
    ns: dict = {}
    exec(open(spec_path, encoding="utf-8").read(), ns)  # noqa: S102 - local annotation spec
    n = ns.get("START", 1)
    m_lines, e_lines, arts = [], [], []
    for corpus, path, ents in ns["DOCS"]:
        if corpus == "cnn-2024":
            path = resolve_cnn(path)
        arts.append({"corpus": corpus, "path": path})
        text = doc_text(corpus, path)
        spans = match_doc(text, ents)
        ids = {}
        for i, ent in enumerate(ents):
            if ent.get("BLOCK"):
                continue
            ids[i] = f"e{n:04d}"
            n += 1
        surf = defaultdict(list)
        for s, e, i in spans:
            ent = ents[i]
            sf = text[s:e]
            if norm_ws(sf) not in surf[i]:
                surf[i].append(norm_ws(sf))
            m_lines.append({"corpus": corpus, "path": path, "start": s, "end": e, "surface": sf,
                            "kind": ent["k"], "subkind": ent.get("s"), "entity": ids[i]})
        for i, ent in enumerate(ents):
            if ent.get("BLOCK"):
                continue
            if not surf[i]:
                print(f"WARNING {path}: entity {ent['name']!r} has no match", file=sys.stderr)
                continue
            rec = {"id": ids[i], "corpus": corpus, "path": path, "name": ent["name"], "kind": ent["k"],
                   "subkind": ent.get("s"), "aliases": surf[i], "roles": ent.get("roles", []),
                   "status": [{"status": st[0], "date": st[1], "source": st[2]} for st in ent.get("status", [])]}
            if ent.get("note"):
                rec["note"] = ent["note"]
            e_lines.append(rec)
    with open(MENTIONS, "w", encoding="utf-8") as f:
        for r in m_lines:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(ENTITIES, "w", encoding="utf-8") as f:
        for r in e_lines:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(ARTICLES, "w", encoding="utf-8") as f:
        json.dump(arts, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {len(m_lines)} mentions, {len(e_lines)} entities, {len(arts)} documents")


# ---------------------------------------------------------------- reading / review
def resolve_cnn(path: str) -> str:
    """Exact path (modulo whitespace), else a unique path prefix (convenience for specs)."""
    try:
        return resolve_path(path)
    except KeyError:
        hits = [p for p in cnn_articles() if p.startswith(path)]
        if len(hits) == 1:
            return hits[0]
        raise


def _resolve(path: str) -> tuple[str, str]:
    corpus = guess_corpus(path)
    if corpus == "cnn-2024":
        path = resolve_cnn(path)
    return corpus, path


def cmd_show(path: str) -> None:
    corpus, path = _resolve(path)
    text = doc_text(corpus, path)
    if corpus == "cnn-2024":
        a = cnn_articles()[path]
        print(f"# {a['title']} | {a['published']} | conflict={a['conflict_related']} | {len(text)} chars")
    for m in re.finditer(r"[^\n]+", text):
        print(f"{m.start():>6}: {m.group(0)}")


COMMON_CAPS = {"The", "A", "An", "In", "On", "At", "He", "She", "It", "They", "We", "I", "But", "And", "This",
               "That", "His", "Her", "Their", "Its", "As", "After", "For", "Of", "To", "By", "With", "If", "When",
               "While", "There", "These", "Those", "Some", "One", "Two", "Monday", "Tuesday", "Wednesday",
               "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May", "June",
               "July", "August", "September", "October", "November", "December"}


def cmd_render(path: str) -> None:
    corpus, path = _resolve(path)
    text = doc_text(corpus, path)
    ents = {e["id"]: e for _, raw in load_jsonl(ENTITIES) for e in [json.loads(raw)]
            if (e["corpus"], e["path"]) == (corpus, path)}
    ms = sorted((m for _, raw in load_jsonl(MENTIONS) for m in [json.loads(raw)]
                 if (m["corpus"], m["path"]) == (corpus, path)), key=lambda m: m["start"])
    out, pos, covered = [], 0, []
    for m in ms:
        out.append(text[pos:m["start"]])
        e = ents[m["entity"]]
        out.append(f"[[{m['surface']}|{m['kind'][:3]}:{e['name']}]]")
        pos = m["end"]
        covered.append((m["start"], m["end"]))
    out.append(text[pos:])
    print("".join(out))
    print("\n# uncovered capitalised tokens:")
    unc = Counter()
    for t in re.finditer(r"\b[A-Z][\w'’.-]*", text):
        if any(s <= t.start() < e for s, e in covered) or t.group(0) in COMMON_CAPS:
            continue
        unc[t.group(0)] += 1
    print(", ".join(f"{w}({c})" for w, c in sorted(unc.items())))


def cmd_stats() -> None:
    ms = [json.loads(raw) for _, raw in load_jsonl(MENTIONS)]
    es = [json.loads(raw) for _, raw in load_jsonl(ENTITIES)]
    print("mentions by kind:", dict(Counter(m["kind"] for m in ms)))
    print("mentions by kind/subkind:", dict(sorted(Counter(f"{m['kind']}/{m['subkind']}" for m in ms).items())))
    print("entities by kind:", dict(Counter(e["kind"] for e in es)))
    print("documents:", len({(m["corpus"], m["path"]) for m in ms}), "| mentions:", len(ms), "| entities:", len(es))
    print("people with status:", sum(1 for e in es if e["status"]))


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    cmd = argv[0]
    if cmd == "check":
        return check()
    if cmd == "show":
        cmd_show(argv[1])
        return 0
    if cmd == "build":
        cmd_build(argv[1])
        return 0
    if cmd == "render":
        cmd_render(argv[1])
        return 0
    if cmd == "stats":
        cmd_stats()
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
