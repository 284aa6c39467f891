"""Queries over the cross-article ledger. Every function takes a ``Ledger`` or a DB-API
connection and returns plain dicts and lists (JSON-ready), in a deterministic order.

- ``clustered_events``: one ledger event per happening, every mention kept, fatalities
  as low/best/high across sources and by ACLED's conservative rule.
- ``figure_series``: claims grouped by (metric, population, area, source, scope), ordered
  by as-of date; each later figure is a new point.
- ``contradictions``: claims that cannot both be true, and denials linked to what they deny.
- ``negotiations``: one thread per negotiation, every statement with its source, status over time.
- ``entity_profile``: an entity's aliases, roles, status timeline, events and statements.
- ``revision_chains``: the versions of each story, oldest first.

By default only current articles count (a superseded version of a story is history);
``include_superseded=True`` shows everything.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from ..evaluate.normalise import fold
from ..store import aliases as alias_mod


def _conn(store: Any) -> Any:
    return getattr(store, "conn", store)


def _current_sql(alias: str, include_superseded: bool) -> str:
    return "" if include_superseded else f" AND {alias}.superseded_by IS NULL"


def _articles(conn: Any, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for article_id in sorted(set(ids)):
        row = conn.execute(
            "SELECT id, title, source, published, path, url, superseded_by FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row:
            out[row[0]] = {"article_id": row[0], "title": row[1], "source": row[2], "published": row[3],
                           "path": row[4], "url": row[5], "current": row[6] is None}
    return out


def _short_id(prefix: str, *parts: str) -> str:
    return f"{prefix}_" + hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:12]


class _Union:
    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}

    def find(self, x: Any) -> Any:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: Any, b: Any) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


# -- events -----------------------------------------------------------------------------------


def _dataset_articles(conn: Any) -> set[str]:
    """Articles that are rows of a coded event dataset (rules "event_datasets")."""
    from .events import from_event_dataset

    return {r[0] for r in conn.execute("SELECT id, source FROM articles WHERE source IS NOT NULL")
            if from_event_dataset(r[1])}


def event_clusters(store: Any, *, include_superseded: bool = False) -> list[list[tuple[str, str]]]:
    """The (article, record) mentions of each happening: connected components of the links."""
    conn = _conn(store)
    cur = _current_sql("a", include_superseded)
    mentions = [(r[0], r[1]) for r in conn.execute(
        "SELECT m.article_id, m.record_id FROM event_mentions m JOIN articles a ON a.id = m.article_id "
        f"WHERE 1 = 1{cur} ORDER BY m.article_id, m.record_id")]
    keep = set(mentions)
    uf = _Union()
    for m in mentions:
        uf.find(m)
    # Rows of an event dataset are each their own happening: a cluster holds at most one, so
    # two rows never join through a news report linked to both. Links are taken strongest
    # first (then by their ends), which depends on the links alone, not on ingestion order.
    datasets = _dataset_articles(conn)
    rows_in: dict[Any, set[str]] = {m: {m[0]} for m in mentions if m[0] in datasets}
    for _, a_art, a_rec, b_art, b_rec in conn.execute(
            "SELECT score, a_article, a_record, b_article, b_record FROM event_links "
            "ORDER BY score DESC, a_article, a_record, b_article, b_record"):
        a, b = (a_art, a_rec), (b_art, b_rec)
        if a not in keep or b not in keep:
            continue
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb or (rows_in.get(ra) and rows_in.get(rb)):
            continue
        uf.union(a, b)
        rows_in[uf.find(a)] = rows_in.get(ra, set()) | rows_in.get(rb, set())
    groups: dict[Any, list[tuple[str, str]]] = defaultdict(list)
    for m in mentions:
        groups[uf.find(m)].append(m)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


def _number(q: dict[str, Any] | None, key: str) -> float | None:
    if not q:
        return None
    value = q.get(key)
    return float(value) if value is not None else None


def fatalities_summary(values: list[dict[str, Any] | None]) -> dict[str, Any]:
    """low/best/high across sources, and ACLED's rule (the most conservative figure)."""
    bests = sorted(b for b in (_number(v, "best") for v in values) if b is not None)
    if not bests:
        return {"low": None, "best": None, "high": None, "acled": None, "reports": 0}
    lows = [_number(v, "low") if _number(v, "low") is not None else _number(v, "best") for v in values if v]
    highs = [_number(v, "high") if _number(v, "high") is not None else _number(v, "best") for v in values if v]
    return {
        "low": min(x for x in lows if x is not None),
        "best": bests[(len(bests) - 1) // 2],
        "high": max(x for x in highs if x is not None),
        "acled": bests[0],
        "reports": len(bests),
    }


def clustered_events(store: Any, *, min_mentions: int = 1, include_superseded: bool = False,
                     family: str | None = None) -> list[dict[str, Any]]:
    """One dict per ledger event (happening): its mentions, type, dates, places, fatalities."""
    conn = _conn(store)
    clusters = event_clusters(conn, include_superseded=include_superseded)
    out = []
    for members in clusters:
        if len(members) < min_mentions:
            continue
        rows = []
        for article_id, record_id in members:
            row = conn.execute(
                "SELECT e.json, m.family FROM events e JOIN event_mentions m "
                "ON m.article_id = e.article_id AND m.record_id = e.id WHERE e.article_id = ? AND e.id = ?",
                (article_id, record_id)).fetchone()
            rows.append((article_id, record_id, json.loads(row[0]), row[1]))
        if family and rows[0][3] != family:
            continue
        arts = _articles(conn, (r[0] for r in rows))
        mentions = []
        for article_id, record_id, ev, _ in rows:
            loc = ev.get("location") or {}
            mentions.append({
                **arts.get(article_id, {"article_id": article_id}),
                "record_id": record_id,
                "event_type": ev["event_type"], "sub_event_type": ev["sub_event_type"],
                "date": (ev.get("date") or {}).get("date"),
                "location": loc.get("name") or loc.get("text"), "country": loc.get("country"),
                "fatalities": ev.get("fatalities"),
                "actor1": (ev.get("actor1") or {}).get("entity") or (ev.get("actor1") or {}).get("text"),
                "actor2": (ev.get("actor2") or {}).get("entity") or (ev.get("actor2") or {}).get("text"),
                "victims": ev.get("victims") or [],
                "evidence": (ev.get("evidence") or {}).get("text"),
            })
        types = Counter((m["event_type"], m["sub_event_type"]) for m in mentions)
        (etype, sub), _ = sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        dates = sorted(d for d in (m["date"] for m in mentions) if d)
        places = Counter(m["location"] for m in mentions if m["location"])
        out.append({
            "id": _short_id("lev", *members[0]),
            "family": rows[0][3],
            "event_type": etype, "sub_event_type": sub,
            "date": Counter(dates).most_common(1)[0][0] if dates else None,
            "dates": sorted(set(dates)),
            "location": sorted(places.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if places else None,
            "sources": sorted({m.get("source") or "" for m in mentions} - {""}),
            "articles": len({m["article_id"] for m in mentions}),
            "fatalities": fatalities_summary([m["fatalities"] for m in mentions]),
            "mentions": mentions,
        })
    return sorted(out, key=lambda c: (-c["articles"], c["date"] or "", c["id"]))


# -- figures -----------------------------------------------------------------------------------


_SOURCE_STOP = frozenset({"the", "of", "a", "an", "and", "for", "in", "s"})


def _word_bag(source_key: str) -> str:
    """Order and function words aside: "ministry of health" and "health ministry" are one."""
    return " ".join(sorted({w for w in source_key.split() if w not in _SOURCE_STOP}))


def source_groups(conn: Any, source_keys: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Each source key -> (group, name shown). A source named by an alias of a ledger entity
    is that entity (so "NLF" and "Northern Liberation Front", bound in the alias table, give
    one series); any other is its words in any order. Read at query time, from the alias
    table as it stands, so the grouping does not depend on the order of ingestion."""
    out: dict[str, tuple[str, str]] = {}
    for key in sorted(set(source_keys)):
        akey = alias_mod.alias_key(key) if key else ""
        row = conn.execute(
            "SELECT e.id, e.name FROM aliases a JOIN ledger_entities e ON e.id = a.entity_id "
            "WHERE a.alias_key = ? AND a.kind <> 'PERSON' ORDER BY a.kind, e.id", (akey,)).fetchone() if akey else None
        out[key] = (row[0], fold(row[1])) if row else (_word_bag(key), key)
    return out


def figure_series(store: Any, metric: str | None = None, *, source: str | None = None,
                  population: str | None = None, area: str | None = None, scope: str | None = None,
                  include_event_scope: bool = False, min_points: int = 1,
                  include_superseded: bool = False) -> list[dict[str, Any]]:
    """Figure series: one per (metric, population, area, source, scope), points by as-of date."""
    conn = _conn(store)
    sql = ("SELECT k.metric, k.population, k.area, k.source_key, k.scope, k.as_of, c.json, a.id, a.published "
           "FROM claim_keys k JOIN claims c ON c.article_id = k.article_id AND c.id = k.record_id "
           "JOIN articles a ON a.id = k.article_id WHERE c.modality IN ('asserted', 'reported')"
           + _current_sql("a", include_superseded))
    params: list[Any] = []
    for column, value in (("k.metric", metric), ("k.population", fold(population) if population else None),
                          ("k.area", area), ("k.scope", scope)):
        if value is not None:
            sql += f" AND {column} = ?"
            params.append(value)
    if not include_event_scope and scope is None:
        sql += " AND k.scope <> 'event'"
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    wanted = fold(source) if source else None
    event_of: dict[tuple[str, str], str] = {}
    if include_event_scope or scope == "event":
        for members in event_clusters(conn, include_superseded=include_superseded):
            cluster = _short_id("lev", *members[0])
            event_of.update({m: cluster for m in members})
    rows = conn.execute(sql, params).fetchall()
    group_of = source_groups(conn, (r[3] for r in rows))
    names: dict[str, set[str]] = defaultdict(set)
    for m, pop, ar, src, sc, as_of, data, article_id, published in rows:
        if wanted and wanted not in src:
            continue
        claim = json.loads(data)
        # The toll of one happening is a series of its own: keyed by the ledger event.
        happening = event_of.get((article_id, claim.get("event_id") or ""), "") if sc == "event" else ""
        group, name = group_of[src]
        names[group].add(name)
        # A happening's place is its area: the countries its reports give it do not split it.
        groups[(m, pop, "" if happening else ar, group, sc, happening)].append({
            "area": ar, "as_of": as_of, "published": published, "article_id": article_id, "claim_id": claim["id"],
            "value": claim["value"], "source": (claim.get("source") or {}).get("text"),
            "evidence": claim["evidence"]["text"],
        })
    arts = _articles(conn, {p["article_id"] for pts in groups.values() for p in pts})
    out = []
    for key, points in groups.items():
        if len(points) < min_points:
            continue
        points.sort(key=lambda p: (p["as_of"] or "", p["published"] or "", p["article_id"], p["claim_id"]))
        for p in points:
            p["title"] = arts.get(p["article_id"], {}).get("title")
            p["outlet"] = arts.get(p["article_id"], {}).get("source")
        area_counts = Counter(p.pop("area") for p in points)
        shown_area = key[2] or min(area_counts, key=lambda a: (-area_counts[a], a))
        out.append({"id": _short_id("ser", *key), "metric": key[0], "population": key[1], "area": shown_area,
                    "source": min(names[key[3]]), "scope": key[4], "event": key[5] or None, "points": points})
    return sorted(out, key=lambda s: (-len(s["points"]), s["metric"], s["id"]))


# -- contradictions and denials ----------------------------------------------------------------------


def _claim(conn: Any, article_id: str, claim_id: str) -> dict[str, Any]:
    row = conn.execute("SELECT json FROM claims WHERE article_id = ? AND id = ?", (article_id, claim_id)).fetchone()
    return json.loads(row[0]) if row else {}


def _record_json(conn: Any, kind: str, article_id: str, record_id: str) -> dict[str, Any]:
    table = {"statement": "statements", "event": "events", "claim": "claims"}[kind]
    row = conn.execute(f"SELECT json FROM {table} WHERE article_id = ? AND id = ?", (article_id, record_id)).fetchone()
    return json.loads(row[0]) if row else {}


def _side(conn: Any, arts: dict[str, dict[str, Any]], article_id: str, data: dict[str, Any]) -> dict[str, Any]:
    return {**arts.get(article_id, {"article_id": article_id}), "record_id": data.get("id"),
            "value": data.get("value"), "source_of_figure": (data.get("source") or {}).get("text"),
            "evidence": (data.get("evidence") or {}).get("text")}


def _same_story(conn: Any, a: str, b: str) -> bool:
    from .stories import story_members

    return b in story_members(conn, a)


def contradictions(store: Any, *, metric: str | None = None, include_denials: bool = True,
                   include_superseded: bool = False) -> list[dict[str, Any]]:
    """Contradiction records (two claims that cannot both hold) and denials linked across articles."""
    conn = _conn(store)
    out: list[dict[str, Any]] = []
    sql = ("SELECT x.a_article, x.a_claim, x.b_article, x.b_claim, x.metric, x.kind, x.detail FROM contradictions x "
           "JOIN articles a ON a.id = x.a_article JOIN articles b ON b.id = x.b_article WHERE 1 = 1"
           + _current_sql("a", include_superseded) + _current_sql("b", include_superseded))
    params: list[Any] = []
    if metric:
        sql += " AND x.metric = ?"
        params.append(metric)
    rows = conn.execute(sql, params).fetchall()
    arts = _articles(conn, [r[0] for r in rows] + [r[2] for r in rows])
    for a_art, a_claim, b_art, b_claim, m, kind, detail in rows:
        if include_superseded and _same_story(conn, a_art, b_art):
            continue
        out.append({"id": _short_id("con", a_art, a_claim, b_art, b_claim), "kind": kind, "metric": m,
                    "detail": json.loads(detail),
                    "a": _side(conn, arts, a_art, _claim(conn, a_art, a_claim)),
                    "b": _side(conn, arts, b_art, _claim(conn, b_art, b_claim))})
    if include_denials and metric is None:
        out += denials(conn, include_superseded=include_superseded)
    return sorted(out, key=lambda c: (c["kind"], c["a"].get("published") or "", c["id"]))


def denials(store: Any, *, include_superseded: bool = False) -> list[dict[str, Any]]:
    """Denials (and disputes) of one article linked to the statement, event or claim they deny."""
    conn = _conn(store)
    rows = conn.execute(
        "SELECT l.article_id, l.statement_id, l.target_article, l.target_type, l.target_id, l.relation "
        "FROM statement_links l JOIN articles a ON a.id = l.article_id JOIN articles b ON b.id = l.target_article "
        "WHERE 1 = 1" + _current_sql("a", include_superseded) + _current_sql("b", include_superseded)
    ).fetchall()
    arts = _articles(conn, [r[0] for r in rows] + [r[2] for r in rows])
    out = []
    for art, st, t_art, t_type, t_id, relation in rows:
        if _same_story(conn, art, t_art):
            continue  # versions of one story repeat, they do not deny each other
        statement = _record_json(conn, "statement", art, st)
        target = _record_json(conn, t_type, t_art, t_id)
        out.append({"id": _short_id("den", art, st, t_art, t_id), "kind": "denial", "metric": None,
                    "detail": {"relation": relation, "target_type": t_type,
                               "speaker": (statement.get("speaker") or {}).get("text"),
                               "denied": statement.get("proposition")},
                    "a": {**_side(conn, arts, art, statement)},
                    "b": {**_side(conn, arts, t_art, target), "type": t_type}})
    return out


# -- negotiations ------------------------------------------------------------------------------------


def negotiations(store: Any, *, include_superseded: bool = False) -> list[dict[str, Any]]:
    """One thread per negotiation: its statements in time order, proposals' terms, status over time."""
    conn = _conn(store)
    rows = conn.execute(
        "SELECT n.thread_key, n.kind, n.action, n.actor, n.date, n.terms, n.article_id, n.record_id, s.json "
        "FROM negotiation_mentions n JOIN articles a ON a.id = n.article_id "
        "JOIN statements s ON s.article_id = n.article_id AND s.id = n.record_id WHERE 1 = 1"
        + _current_sql("a", include_superseded)
    ).fetchall()
    arts = _articles(conn, [r[6] for r in rows])
    items_all = []
    for thread, kind, action, actor, when, terms, art, rec, data in rows:
        st = json.loads(data)
        items_all.append({
            "date": when, "kind": kind, "action": action, "actor": actor, "terms": json.loads(terms),
            **arts.get(art, {"article_id": art}), "record_id": rec, "names": json.loads(thread),
            "proposition": st.get("proposition"), "evidence": (st.get("evidence") or {}).get("text"),
        })
    threads: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for group in _negotiation_threads(items_all):
        actors: Counter[str] = Counter(i["actor"] for i in group if i["actor"] and i["actor"][0].isupper())
        actors.update(i["terms"]["proposer"] for i in group if i["terms"].get("proposer"))
        label = ", ".join(n for n, _ in sorted(actors.items(), key=lambda kv: (-kv[1], kv[0]))[:3]) or "unnamed"
        first = min((i["article_id"], i["record_id"]) for i in group)
        threads[f"{label}\x1f{first[0]}\x1f{first[1]}"] += group
    out = []
    for thread, items in threads.items():
        items.sort(key=lambda i: (i["date"] or "", i["article_id"], i["record_id"]))
        terms: dict[str, Any] = {}
        for i in items:
            for k, v in i["terms"].items():
                if k == "mediators":
                    terms[k] = sorted(set(terms.get(k, [])) | set(v))
                else:
                    terms.setdefault(k, v)
        timeline = [{"date": i["date"], "action": i["action"], "actor": i["actor"], "source": i.get("source"),
                     "article_id": i["article_id"]} for i in items if i["kind"] in ("proposal", "response")]
        out.append({"id": _short_id("neg", thread), "thread": thread.split("\x1f")[0], "status": timeline[-1]["action"] if timeline
                    else "discussed", "terms": terms, "timeline": timeline, "statements": items})
    return sorted(out, key=lambda t: (-len(t["statements"]), t["thread"]))


def _negotiation_threads(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Mentions of one article, and mentions sharing a name within the window, are one thread."""
    from datetime import date

    from .statements import negotiation_rules

    cfg = negotiation_rules()
    window, stop = int(cfg["thread_window_days"]), set(cfg["thread_stop_names"])
    uf = _Union()
    keys = [(i["article_id"], i["record_id"]) for i in items]
    by_article: dict[str, list[tuple[str, str]]] = defaultdict(list)
    by_name: dict[str, list[tuple[str, tuple[str, str]]]] = defaultdict(list)
    for key, item in zip(keys, items, strict=True):
        uf.find(key)
        by_article[key[0]].append(key)
        for name in item["names"]:
            if name not in stop:
                by_name[name].append((item["date"] or "", key))
    for members in by_article.values():
        for m in members[1:]:
            uf.union(members[0], m)
    for dated in by_name.values():
        dated.sort()
        for (d1, k1), (d2, k2) in pairwise(dated):
            if not d1 or not d2 or (date.fromisoformat(d2[:10]) - date.fromisoformat(d1[:10])).days <= window:
                uf.union(k1, k2)
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for key, item in zip(keys, items, strict=True):
        groups[uf.find(key)].append(item)
    return list(groups.values())


# -- entities ------------------------------------------------------------------------------------------


def entity_profile(store: Any, name: str, *, include_superseded: bool = False) -> dict[str, Any] | None:
    """An entity across articles: aliases, roles (counted), status timeline, events, statements.
    None when no ledger entity answers to ``name``."""
    conn = _conn(store)
    key = alias_mod.alias_key(name)
    row = conn.execute("SELECT entity_id FROM aliases WHERE alias_key = ? ORDER BY kind", (key,)).fetchone()
    if row is None:
        row = conn.execute("SELECT id FROM ledger_entities WHERE name = ? ORDER BY id", (name,)).fetchone()
    if row is None:
        return None
    entity_id = row[0]
    ename, kind = conn.execute("SELECT name, kind FROM ledger_entities WHERE id = ?", (entity_id,)).fetchone()
    aliases = sorted(r[0] for r in conn.execute("SELECT alias FROM aliases WHERE entity_id = ?", (entity_id,)))
    roles: Counter[str] = Counter()
    timeline = []
    articles = set()
    for art, data, published, source in conn.execute(
            "SELECT e.article_id, e.json, a.published, a.source FROM entity_links l "
            "JOIN entities e ON e.article_id = l.article_id AND e.id = l.record_id "
            "JOIN articles a ON a.id = l.article_id WHERE l.entity_id = ?" + _current_sql("a", include_superseded),
            (entity_id,)):
        ent = json.loads(data)
        articles.add(art)
        roles.update(ent.get("roles") or [])
        for st in ent.get("status") or []:
            timeline.append({"status": st.get("status"), "date": st.get("date") or published,
                             "reported": published, "source": st.get("source") or source, "article_id": art})
    timeline.sort(key=lambda t: (t["date"] or "", t["article_id"], t["status"] or ""))
    keys = {fold(a) for a in [ename, *aliases] if fold(a)}
    events = [c for c in clustered_events(conn, include_superseded=include_superseded)
              if any(_mentions_entity(m, keys) for m in c["mentions"])]
    said = []
    for art, data in conn.execute(
            "SELECT s.article_id, s.json FROM statements s JOIN articles a ON a.id = s.article_id "
            "WHERE s.speaker IS NOT NULL" + _current_sql("a", include_superseded)):
        st = json.loads(data)
        speaker = st.get("speaker") or {}
        if fold(speaker.get("entity") or "") in keys or fold(speaker.get("text") or "") in keys:
            said.append({"article_id": art, "stance": st["stance"], "proposition": st["proposition"]})
    return {"id": entity_id, "name": ename, "kind": kind, "aliases": aliases, "articles": len(articles),
            "roles": [{"role": r, "count": n} for r, n in sorted(roles.items(), key=lambda kv: (-kv[1], kv[0]))],
            "status_timeline": timeline,
            "events": [{"id": c["id"], "date": c["date"], "event_type": c["event_type"],
                        "role": "victim" if any(fold(v) in keys for m in c["mentions"] for v in m["victims"])
                        else "actor",
                        "sub_event_type": c["sub_event_type"], "location": c["location"]} for c in events],
            "statements": said}


def _mentions_entity(mention: dict[str, Any], keys: set[str]) -> bool:
    """The entity is an actor or a victim of the mention."""
    for name in (mention.get("actor1"), mention.get("actor2"), *mention.get("victims", [])):
        if name and fold(name) in keys:
            return True
    return False


# -- stories ------------------------------------------------------------------------------------------


def revision_chains(store: Any) -> list[dict[str, Any]]:
    """Every story with more than one version: its versions oldest first, the last current."""
    conn = _conn(store)
    heads = [r[0] for r in conn.execute(
        "SELECT id FROM articles WHERE revision_of IS NULL AND superseded_by IS NOT NULL ORDER BY id")]
    out = []
    for head in heads:
        chain = [head]
        while True:
            nxt = conn.execute("SELECT superseded_by FROM articles WHERE id = ?", (chain[-1],)).fetchone()
            if not nxt or nxt[0] is None or nxt[0] in chain:
                break
            chain.append(nxt[0])
        arts = _articles(conn, chain)
        out.append({"id": _short_id("sty", head), "versions": [arts[a] for a in chain], "current": chain[-1]})
    return sorted(out, key=lambda s: (s["versions"][0].get("published") or "", s["id"]))
