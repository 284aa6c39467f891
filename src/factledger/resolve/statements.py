"""Statements across articles: denials linked to what they deny, and negotiation mentions.

**Denials.** A statement that denies or disputes ("reports that Hamas rejected the proposal
are incorrect") is linked to the statements, events and claims of *other* articles
published from ``window_days_before`` days before to ``window_days_after`` after it
whose text says what it denies: enough of the denied proposition's content words
(``rules/ledger.json`` "denial") appear in the target's proposition or evidence. The test
reads the two ends only, and both directions are checked at ingest (a new denial against
stored targets, a new target against stored denials), so arrival order does not matter.

**Negotiations.** A statement whose proposition is about a negotiation (a cue word:
ceasefire, truce, proposal, deal, talks...) is a negotiation mention: a proposal, a
response (accepted, rejected, frozen, a rejection denied) or a description of terms.
Its thread key is the list of names it mentions (parties, proposer, speaker): statements
of one article, and statements sharing a name within 30 days, form one thread
(``api.negotiations``), so one negotiation's statements from every article land in one
thread; its terms (duration,
hostages and prisoners to be released, phases, proposer, mediators) are read from the
evidence and from the article's release figures.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from ..evaluate.normalise import fold
from ..records import Article, Claim, Event, Record, Statement, to_dict
from ..rules import read_json

_STOP = frozenset(
    "the a an of and or in on at for to by with from that this these those it its is are was were be been "
    "has have had would will could should may might not no reports report said says say claims claim against "
    "allegedly reportedly he she they them their his her we our you your as into over under about than "
    "any all some there what which who whom whose also after before during while".split()
)
_PERIOD = re.compile(r"\s*\((?:19|20)\d\d-(?:(?:19|20)\d\d)?\)")
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_DURATION = re.compile(
    r"\b(\d+|" + "|".join(_NUMBER_WORDS) + r")[\s-](day|week|month|hour)s?(?:[\s-]long)?\b", re.IGNORECASE)
_PHASE = re.compile(r"\b(first|second|third|initial|final|\d+)[\s-](phase|stage)s?\b", re.IGNORECASE)
_N_PHASES = re.compile(r"\b(two|three|four|\d)[\s-](phase|stage)d?\b", re.IGNORECASE)


@lru_cache(maxsize=65536)
def content_words(text: str | None) -> frozenset[str]:
    """Folded words of a text without stop words and one-letter words (cached)."""
    return frozenset(w for w in fold(text or "").split() if len(w) > 1 and w not in _STOP)


@lru_cache(maxsize=1)
def _denial_rules() -> dict[str, Any]:
    return dict(read_json("ledger.json")["denial"])


@lru_cache(maxsize=1)
def negotiation_rules() -> dict[str, Any]:
    return dict(read_json("ledger.json")["negotiation"])


def blocking_words(proposition: str) -> list[str]:
    """The two longest content words of a denied proposition: a target must contain both."""
    return sorted(content_words(proposition), key=lambda w: (-len(w), w))[:2]


def denial_matches(denied: str, target_text: str, target_words: frozenset[str] | None = None) -> tuple[bool, float]:
    """Does ``target_text`` say what ``denied`` denies? (decision, overlap share)."""
    cfg = _denial_rules()
    words = content_words(denied)
    if not words:
        return False, 0.0
    shared = words & (target_words if target_words is not None else content_words(target_text))
    share = len(shared) / len(words)
    return share >= float(cfg["min_overlap"]) and len(shared) >= int(cfg["min_shared_words"]), share


def _record_text(kind: str, data: dict[str, Any]) -> str:
    evidence = (data.get("evidence") or {}).get("text") or ""
    if kind == "statement":
        return f"{data.get('proposition') or ''} {evidence}"
    return evidence


def _link(conn: sqlite3.Connection, denial: tuple[str, str], target: tuple[str, str, str], relation: str) -> None:
    conn.execute(
        "INSERT INTO statement_links (article_id, statement_id, target_article, target_type, target_id, relation) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (article_id, statement_id, target_article, target_id) DO NOTHING",
        (denial[0], denial[1], target[0], target[1], target[2], relation),
    )


def _window(published: str, before: int, after: int) -> tuple[str, str]:
    day = date.fromisoformat(published[:10])
    return (day - timedelta(days=before)).isoformat(), (day + timedelta(days=after)).isoformat()


_TARGET_TABLES = (("statement", "statements"), ("event", "events"), ("claim", "claims"))


def _denies(statement: Statement) -> bool:
    return statement.stance in _denial_rules()["stances"]


def add_statement(conn: sqlite3.Connection, statement: Statement, article: Article,
                  records: Sequence[Record]) -> int:
    """Link a new denial to stored targets; record a negotiation mention. Links made."""
    record_negotiation(conn, statement, article, records)
    if not _denies(statement) or article.published is None:
        return 0
    cfg = _denial_rules()
    lo, hi = _window(article.published.isoformat(), int(cfg["window_days_before"]), int(cfg["window_days_after"]))
    # Blocking: a target must contain the two longest content words of what is denied
    # (a LIKE filter the database runs), so only a few rows are compared in Python.
    keys = blocking_words(statement.proposition)
    if len(content_words(statement.proposition)) < int(cfg["min_shared_words"]):
        return 0
    like = " AND ".join("LOWER(r.json) LIKE ?" for _ in keys)
    n = 0
    for kind, table in _TARGET_TABLES:
        rows = conn.execute(
            f"SELECT r.article_id, r.id, r.json FROM {table} r JOIN articles a ON a.id = r.article_id "
            f"WHERE a.published >= ? AND a.published <= ? AND r.article_id <> ? AND {like}",
            (lo, hi, article.id, *(f"%{k}%" for k in keys)),
        ).fetchall()
        for target_article, target_id, data in rows:
            target = json.loads(data)
            if kind == "statement" and target.get("stance") in cfg["stances"]:
                continue  # a denial is not what another denial denies
            ok, _ = denial_matches(statement.proposition, _record_text(kind, target))
            if ok:
                _link(conn, (article.id, statement.id), (target_article, kind, target_id), statement.stance)
                n += 1
    return n


def link_new_targets(conn: sqlite3.Connection, article: Article, records: Sequence[Record]) -> int:
    """Link the stored denials of nearby days to the new article's statements, events and claims."""
    if article.published is None:
        return 0
    cfg = _denial_rules()
    # A denial published up to `after` days before the target, or `before` days after it.
    lo, hi = _window(article.published.isoformat(), int(cfg["window_days_after"]), int(cfg["window_days_before"]))
    stances = list(cfg["stances"])
    marks = ", ".join("?" * len(stances))
    denials = conn.execute(
        f"SELECT s.article_id, s.id, s.stance, s.json FROM statements s JOIN articles a ON a.id = s.article_id "
        f"WHERE a.published >= ? AND a.published <= ? AND s.article_id <> ? AND s.stance IN ({marks})",
        (lo, hi, article.id, *stances),
    ).fetchall()
    if not denials:
        return 0
    n = 0
    denied = []
    for a, i, stance, data in denials:
        proposition = json.loads(data).get("proposition") or ""
        denied.append((a, i, stance, proposition, blocking_words(proposition)))
    for record in records:
        kind = {Statement: "statement", Event: "event", Claim: "claim"}.get(type(record))  # type: ignore[call-overload]
        if kind is None or (isinstance(record, Statement) and record.stance in cfg["stances"]):
            continue
        evidence = record.evidence.text if record.evidence else ""  # type: ignore[union-attr]
        text = f"{record.proposition} {evidence}" if isinstance(record, Statement) else evidence
        words = content_words(text)
        stored: str | None = None
        for denial_article, denial_id, stance, proposition, keys in denied:
            if len(content_words(proposition)) < int(cfg["min_shared_words"]):
                continue
            ok, _ = denial_matches(proposition, text, words)
            if not ok:
                continue
            # The same blocking test as add_statement's LIKE filter, so both directions agree.
            if stored is None:
                stored = json.dumps(to_dict(record), ensure_ascii=False, separators=(",", ":")).lower()
            if all(k in stored for k in keys):
                _link(conn, (denial_article, denial_id), (article.id, kind, record.id), stance)  # type: ignore[union-attr]
                n += 1
    return n


# -- negotiations --------------------------------------------------------------------------


def _has_any(text: str, words: Sequence[str]) -> bool:
    low = text.lower()
    return any(w in low for w in words)


def negotiation_action(statement: Statement) -> str | None:
    """The action a statement records in a negotiation thread, or None when it is not about one."""
    cfg = negotiation_rules()
    text = f"{statement.proposition} {statement.evidence.text}"
    if not _has_any(text, cfg["cues"]):
        return None
    if statement.stance in cfg["denial_stances"]:
        if _has_any(statement.proposition, cfg["rejection_words"]):
            return "rejection denied"
        if _has_any(statement.proposition, cfg["acceptance_words"]):
            return "acceptance denied"
        return None
    action = cfg["actions"].get(statement.stance)
    return str(action) if action else None


def _party(name: str | None) -> str | None:
    if not name:
        return None
    return _PERIOD.sub("", name).strip() or None


def thread_names(statement: Statement) -> list[str]:
    """The names a negotiation statement mentions (parties, proposer, speaker): what ties
    it to the other statements of its negotiation."""
    from .events import name_keys

    names = name_keys(f"{statement.evidence.text} . {statement.proposition}")
    if statement.speaker is not None:
        names |= name_keys(f"x {_party(statement.speaker.entity) or statement.speaker.text}")
    return sorted(names)


def _inside_denial(statement: Statement, records: Sequence[Record]) -> bool:
    """A response reported inside a denial ("denied that it had rejected ...") is what the
    denial denies, not a response of its own."""
    cfg = negotiation_rules()
    ev = statement.evidence
    for r in records:
        if (isinstance(r, Statement) and r.id != statement.id and r.stance in cfg["denial_stances"]
                and r.evidence.sentence == ev.sentence and r.evidence.start <= ev.start and ev.end <= r.evidence.end):
            return True
    return False


def terms_of(statement: Statement, records: Sequence[Record]) -> dict[str, Any]:
    """Terms read from a statement's evidence and its article's release figures."""
    cfg = negotiation_rules()
    text = f"{statement.evidence.text} {statement.proposition}"
    terms: dict[str, Any] = {}
    if m := _DURATION.search(text):
        n = m.group(1).lower()
        terms["duration"] = f"{_NUMBER_WORDS.get(n, n)}-{m.group(2).lower()}"
    phases = sorted({f"{m.group(1).lower()} {m.group(2).lower()}" for m in _PHASE.finditer(text)})
    if phases:
        terms["phases"] = phases
    folded = f" {fold(text)} "
    for word, country in cfg["demonyms"].items():
        if f" {word} proposal" in folded or f" {word} plan" in folded or f"proposed by {word} " in folded:
            terms["proposer"] = country
        if _has_any(folded, [f" {word} {m}" for m in cfg["mediator_words"]]):
            terms.setdefault("mediators", []).append(country)
    if statement.stance == "proposes" and statement.speaker is not None:
        terms.setdefault("proposer", _party(statement.speaker.entity or statement.speaker.text))
    sentence = statement.evidence.sentence
    for r in records:
        if (isinstance(r, Claim) and r.metric in cfg["term_metrics"] and r.modality in cfg["term_modalities"]
                and r.value.best is not None and abs(r.evidence.sentence - sentence) <= 1):
            terms.setdefault(cfg["term_metrics"][r.metric], r.value.best)
    return terms


def record_negotiation(conn: sqlite3.Connection, statement: Statement, article: Article,
                       records: Sequence[Record]) -> bool:
    """Store a statement about a negotiation as a mention of its thread; False when it is not."""
    action = negotiation_action(statement)
    if action is None:
        return False
    if statement.stance not in negotiation_rules()["denial_stances"] and _inside_denial(statement, records):
        return False
    thread = json.dumps(thread_names(statement))
    cfg = negotiation_rules()
    kind = "response" if action in cfg["response_actions"] else ("proposal" if action == "proposed" else "terms")
    actor = statement.speaker.entity or statement.speaker.text if statement.speaker else None
    when = article.published.isoformat() if article.published else None
    conn.execute(
        "INSERT INTO negotiation_mentions (article_id, record_id, thread_key, kind, action, actor, date, terms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (article_id, record_id) DO NOTHING",
        (article.id, statement.id, thread, kind, action, actor, when,
         json.dumps(terms_of(statement, records), sort_keys=True)),
    )
    return True

