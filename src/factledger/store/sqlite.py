"""The ledger: articles, their revisions, and the records extracted from them.

Stored in SQLite by default or in PostgreSQL (``Ledger.open("postgresql://...")``): the
SQL here is the portable subset that ``store.db`` runs on both.

- One transaction per article: an article and all its records are stored together or
  not at all, so an error never leaves half an article and never loses what was stored.
- Re-adding an article with the same content hash adds nothing (``"duplicate"``).
- An article with the same ``story_key`` (URL, else path, else title) as a stored one,
  or a near-duplicate text (``resolve.stories``), is a new revision (``"revision"``): all
  versions are kept in one chain ordered by publication date, then text length, then id
  (never by ingest order); ``revision_of``/``superseded_by`` point along it and the last
  version is the current one.
- Cross-article resolution (``resolve.ingest``) runs in the same transaction.
- Each record is stored as its output-contract JSON plus indexed columns for queries.
- WAL mode, so readers (the report, the web app) do not block an ingest; writers take
  the write lock at the start of each transaction (``store.db``), so several ingesters
  may write to one ledger at once, and an article ingested by two of them is stored once.
- The schema is created and upgraded by ``store.migrations``, recorded in the database.

Query methods return the current records (of articles not superseded) by default, in
their JSON form (``records.to_dict``): the output contract is the interface to outputs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from ..errors import StoreError
from ..records import Article, Claim, Entity, Event, Record, Statement, to_dict
from ..resolve.ingest import forget_article, prefers_copy, resolve_article, stories
from . import aliases as alias_mod
from .db import BUSY_TIMEOUT_MS, Database, connect, is_postgres, translate_ddl
from .migrations import LATEST_VERSION, MIGRATIONS, Dialects

__all__ = ["BUSY_TIMEOUT_MS", "DEFAULT_PATH", "Ledger", "StoredArticle"]

DEFAULT_PATH = "factledger.db"

AddOutcome = Literal["added", "duplicate", "revision"]
RECORD_TABLES = ("claims", "events", "statements", "entities")


@dataclass(frozen=True)
class StoredArticle:
    """An article as stored in the ledger (its text is loaded only when asked for)."""

    id: str
    story_key: str
    content_hash: str
    title: str | None
    published: str | None
    source: str | None
    url: str | None
    path: str | None
    ingested_at: str
    revision_of: str | None
    superseded_by: str | None

    @property
    def current(self) -> bool:
        return self.superseded_by is None


_ARTICLE_COLUMNS = (
    "id, story_key, content_hash, title, published, source, url, path, ingested_at, "
    "revision_of, superseded_by"
)


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _place_name(place: Any) -> str | None:
    if place is None:
        return None
    return place.name or place.text


class Ledger:
    """A factledger database. Open with ``Ledger.open(path_or_url)``; close, or use ``with``.

    ``conn`` runs SQL with ``?`` placeholders on either database (``store.db.Database``).
    """

    def __init__(self, conn: Database, path: str) -> None:
        self.conn = conn
        self.path = path

    @property
    def dialect(self) -> str:
        return self.conn.dialect

    # -- opening -----------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str] = DEFAULT_PATH, *, create: bool = True) -> Ledger:
        """Open (and create or upgrade) the ledger at ``path``: a SQLite file, ``":memory:"``,
        or a ``postgresql://user:password@host:port/dbname`` URL (an existing database).

        With ``create=False`` a missing SQLite file is an error instead of a new empty ledger.
        """
        name = str(path)
        if name != ":memory:" and not is_postgres(name) and not create and not Path(name).exists():
            raise StoreError(f"no ledger at {name}; create one with `factledger ingest PATH --db {name}`")
        conn = connect(name)
        ledger = cls(conn, conn.name)
        try:
            ledger._migrate()
        except conn.Error as exc:
            conn.close()
            raise StoreError(
                f"{conn.name} is not a factledger database ({exc}); give another --db"
            ) from exc
        except StoreError:
            conn.close()
            raise
        return ledger

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[Database]:
        with self.conn.transaction() as conn:
            yield conn

    # -- migrations --------------------------------------------------------------------

    def _migrate(self) -> None:
        # Under the write lock, and the version read again in each migration's transaction,
        # so two processes opening a new ledger at once apply each migration once.
        with self._transaction() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
        current = self.schema_version
        if current > LATEST_VERSION:
            raise StoreError(
                f"{self.path} has ledger schema version {current}, newer than this factledger "
                f"understands ({LATEST_VERSION}); upgrade factledger"
            )
        for migration in MIGRATIONS:
            if migration.version <= current:
                continue
            with self._transaction() as conn:
                if self.schema_version >= migration.version:
                    continue
                for statement in migration.statements:
                    conn.execute(self._ddl(statement))
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, _now()),
                )

    def _ddl(self, statement: str | Dialects) -> str:
        if isinstance(statement, Dialects):
            return getattr(statement, self.dialect)
        return translate_ddl(statement, self.conn.dialect)

    @property
    def schema_version(self) -> int:
        row = self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    # -- writing -----------------------------------------------------------------------

    def add(self, article: Article, records: Iterable[Record] = ()) -> AddOutcome:
        """Store one article and its records in one transaction.

        Returns ``"duplicate"`` (same text already stored: nothing added), ``"revision"``
        (a new version of a stored story) or ``"added"``. ``records`` may include the
        article itself (as ``Extractor.extract`` returns it). On any error nothing of
        this article is stored and ``StoreError`` is raised.
        """
        try:
            with self._transaction() as conn:
                if self._has_hash(article.content_hash):
                    if prefers_copy(conn, article):
                        self._replace_copy(article, records)
                    return "duplicate"
                if not self._insert_article(article, None):
                    return "duplicate"
                resolution = resolve_article(conn, article, self._store_records(article, records))
        except self.conn.Error as exc:
            raise StoreError(
                f"could not store article {article.path or article.id}: {exc}; nothing of it was stored"
            ) from exc
        return "revision" if resolution.story_size > 1 else "added"

    def _replace_copy(self, article: Article, records: Iterable[Record]) -> None:
        """An exact copy with the metadata the ledger keeps (the earliest date...): its
        metadata and records replace the stored ones, and it is resolved again, so the
        ledger is the same whichever copy came first."""
        new_records = [r for r in records if not isinstance(r, Article)]
        if not new_records:  # a copy that was not extracted again (`ingest` skips known texts)
            from ..ingest.records_in import record_from_dict

            new_records = [record_from_dict(json.loads(row[0])) for table in RECORD_TABLES
                           for row in self.conn.execute(f"SELECT json FROM {table} WHERE article_id = ? "
                                                        "ORDER BY rowid", (article.id,))]
        records = new_records
        old_story = forget_article(self.conn, article)
        for table in RECORD_TABLES:
            self.conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article.id,))
        self.conn.execute("DELETE FROM entity_links WHERE article_id = ?", (article.id,))
        resolve_article(self.conn, article, self._store_records(article, records))
        for member in old_story:
            stories.rechain(self.conn, member)

    def _store_records(self, article: Article, records: Iterable[Record]) -> list[Record]:
        """Insert an article's records (entities bound to the alias table); the stored ones."""
        stored = []
        for record in records:
            self._insert_record(article, record)
            if isinstance(record, Entity):
                self._bind_entity(article, record)
            if not isinstance(record, Article):
                stored.append(record)
        return stored

    def _has_hash(self, digest: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM articles WHERE content_hash = ?", (digest,)).fetchone()
        return row is not None

    def _insert_article(self, article: Article, revision_of: str | None) -> bool:
        """Insert the article row; False when it is already there (another writer's)."""
        cursor = self.conn.execute(
            "INSERT INTO articles (id, story_key, content_hash, title, published, source, url, path, "
            "text, ingested_at, revision_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (
                article.id,
                article.story_key,
                article.content_hash,
                article.title,
                article.published.isoformat() if article.published else None,
                article.source,
                article.url,
                article.path,
                article.text,
                _now(),
                revision_of,
            ),
        )
        return cursor.rowcount == 1

    def _insert_record(self, article: Article, record: Record) -> None:
        if isinstance(record, Article):
            if record.id != article.id:
                raise StoreError(
                    f"records of article {article.id} include another article {record.id}; "
                    "add each article with its own records"
                )
            return
        if not isinstance(record, (Claim, Event, Statement, Entity)):
            raise StoreError(f"cannot store a {type(record).__name__}; expected a factledger record")
        if record.article_id != article.id:
            raise StoreError(
                f"record {record.id} belongs to article {record.article_id}, not {article.id}; "
                "nothing of it was stored"
            )
        data = to_dict(record)
        common = (record.id, article.id, float(record.confidence), _dumps(data))
        # "ON CONFLICT DO NOTHING": record ids are deterministic, so the same id twice in
        # one article is the same fact found twice.
        if isinstance(record, Claim):
            self.conn.execute(
                "INSERT INTO claims (id, article_id, confidence, json, metric, subject, qualifier, "
                "best, low, high, as_of, source, modality, event_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (
                    *common,
                    record.metric,
                    record.subject,
                    record.value.qualifier,
                    record.value.best,
                    record.value.low,
                    record.value.high,
                    record.as_of.date if record.as_of else None,
                    (record.source.entity or record.source.text) if record.source else None,
                    record.modality,
                    record.event_id,
                ),
            )
        elif isinstance(record, Event):
            self.conn.execute(
                "INSERT INTO events (id, article_id, confidence, json, event_type, sub_event_type, "
                "date, country, location, fatalities, primary_event) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (
                    *common,
                    record.event_type,
                    record.sub_event_type,
                    record.date.date if record.date else None,
                    record.location.country if record.location else None,
                    _place_name(record.location),
                    record.fatalities.best if record.fatalities else None,
                    int(bool(record.primary)),
                ),
            )
        elif isinstance(record, Statement):
            self.conn.execute(
                "INSERT INTO statements (id, article_id, confidence, json, stance, speaker, "
                "target_id) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (
                    *common,
                    record.stance,
                    (record.speaker.entity or record.speaker.text) if record.speaker else None,
                    record.target_id,
                ),
            )
        else:
            self.conn.execute(
                "INSERT INTO entities (id, article_id, confidence, json, name, kind) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (*common, record.name, record.kind),
            )

    # -- the alias table (store.aliases) -------------------------------------------------

    def _bind_entity(self, article: Article, record: Entity) -> str:
        """Bind an article's entity to a ledger entity, growing the alias table."""
        kind = record.kind
        names = [record.name, *record.aliases]
        keyed = [(alias_mod.alias_key(n), n) for n in names]
        keyed = [(k, n) for k, n in keyed if k]
        entity_id = None
        for key, _ in keyed:
            if not alias_mod.matchable(key, kind):
                continue
            row = self.conn.execute(
                "SELECT entity_id FROM aliases WHERE alias_key = ? AND kind = ?", (key, kind)
            ).fetchone()
            if row:
                entity_id = row[0]
                break
        if entity_id is None:
            main = alias_mod.alias_key(record.name) or record.name
            # A bare surname is not shared across articles: its new entity is this article's.
            scope = main if alias_mod.matchable(main, kind) else f"{main}\x1f{article.id}"
            entity_id = alias_mod.ledger_entity_id(kind, scope)
            self.conn.execute(
                "INSERT INTO ledger_entities (id, name, kind, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                (entity_id, record.name, kind, _now()),
            )
        for key, name in keyed:
            if alias_mod.matchable(key, kind):
                self.conn.execute(
                    "INSERT INTO aliases (alias_key, kind, alias, entity_id, origin, added_at) "
                    "VALUES (?, ?, ?, ?, 'extracted', ?) ON CONFLICT DO NOTHING",
                    (key, kind, name, entity_id, _now()),
                )
        self.conn.execute(
            "INSERT INTO entity_links (article_id, record_id, entity_id) VALUES (?, ?, ?) "
            "ON CONFLICT (article_id, record_id) DO UPDATE SET entity_id = excluded.entity_id",
            (article.id, record.id, entity_id),
        )
        return entity_id

    def _find_ledger_entity(self, name: str, kind: str | None) -> tuple[str, str]:
        """(entity id, kind) of the ledger entity ``name`` names; StoreError when none or several."""
        key = alias_mod.alias_key(name)
        sql = "SELECT DISTINCT a.entity_id, a.kind FROM aliases a WHERE a.alias_key = ?"
        params: tuple[str, ...] = (key,)
        if kind:
            sql += " AND a.kind = ?"
            params += (kind,)
        rows = self.conn.execute(sql, params).fetchall()
        if not rows:
            rows = self.conn.execute(
                "SELECT id, kind FROM ledger_entities WHERE name = ?" + (" AND kind = ?" if kind else ""),
                (name, kind) if kind else (name,),
            ).fetchall()
        if not rows:
            raise StoreError(f"no entity named {name!r} in the ledger; see `factledger alias list`")
        if len(rows) > 1:
            kinds = ", ".join(sorted(r[1] for r in rows))
            raise StoreError(f"{name!r} names several entities ({kinds}); pass --kind")
        return rows[0][0], rows[0][1]

    def add_alias(self, alias: str, name: str, *, kind: str | None = None) -> str:
        """Make ``alias`` name the ledger entity called ``name`` (a user edit, kept over
        anything extraction finds later). Returns the entity id."""
        key = alias_mod.alias_key(alias)
        if not key:
            raise StoreError(f"alias {alias!r} has no letters to match on")
        with self._transaction() as conn:
            entity_id, entity_kind = self._find_ledger_entity(name, kind)
            conn.execute(
                "INSERT INTO aliases (alias_key, kind, alias, entity_id, origin, added_at) "
                "VALUES (?, ?, ?, ?, 'user', ?) ON CONFLICT (alias_key, kind) DO UPDATE SET "
                "alias = excluded.alias, entity_id = excluded.entity_id, origin = excluded.origin, "
                "added_at = excluded.added_at",
                (key, entity_kind, alias, entity_id, _now()),
            )
        return entity_id

    def merge_entities(self, keep: str, other: str, *, kind: str | None = None) -> str:
        """Fold the ledger entity ``other`` into ``keep``: its aliases and mentions move."""
        with self._transaction() as conn:
            keep_id, keep_kind = self._find_ledger_entity(keep, kind)
            other_id, other_kind = self._find_ledger_entity(other, kind)
            if keep_id == other_id:
                return keep_id
            if keep_kind != other_kind:
                raise StoreError(f"cannot merge a {other_kind} into a {keep_kind}")
            conn.execute("UPDATE aliases SET entity_id = ? WHERE entity_id = ?", (keep_id, other_id))
            conn.execute("UPDATE entity_links SET entity_id = ? WHERE entity_id = ?", (keep_id, other_id))
            conn.execute("DELETE FROM ledger_entities WHERE id = ?", (other_id,))
        return keep_id

    def ledger_entities(self, *, name: str | None = None) -> list[dict[str, Any]]:
        """Ledger entities with their aliases and how many current articles mention them."""
        sql = (
            "SELECT e.id, e.name, e.kind, COUNT(DISTINCT a.id) "
            "FROM ledger_entities e "
            "LEFT JOIN entity_links l ON l.entity_id = e.id "
            "LEFT JOIN articles a ON a.id = l.article_id AND a.superseded_by IS NULL "
        )
        params: tuple[str, ...] = ()
        if name:
            sql += "WHERE e.id IN (SELECT entity_id FROM aliases WHERE alias_key = ?) OR e.name = ? "
            params = (alias_mod.alias_key(name), name)
        sql += "GROUP BY e.id ORDER BY COUNT(DISTINCT a.id) DESC, e.name, e.kind, e.id"
        out = []
        for entity_id, ename, kind, n in self.conn.execute(sql, params).fetchall():
            aliases = [
                {"alias": a, "origin": o}
                for a, o in self.conn.execute(
                    "SELECT alias, origin FROM aliases WHERE entity_id = ? ORDER BY origin DESC, alias",
                    (entity_id,),
                )
            ]
            out.append({"id": entity_id, "name": ename, "kind": kind, "articles": n, "aliases": aliases})
        return out

    # -- reading -----------------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    def article_ids(self) -> set[str]:
        """Ids of every stored article (to skip known articles before extraction)."""
        return {row[0] for row in self.conn.execute("SELECT id FROM articles")}

    def articles(self, *, include_superseded: bool = True) -> list[StoredArticle]:
        """Stored articles, oldest publication first (undated last), then in ingest order."""
        where = "" if include_superseded else "WHERE superseded_by IS NULL"
        rows = self.conn.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles {where} "
            "ORDER BY published IS NULL, published, rowid"
        )
        return [StoredArticle(*row) for row in rows]

    def article_text(self, article_id: str) -> str | None:
        row = self.conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def _records(self, table: str, *, min_confidence: float, include_superseded: bool) -> list[dict[str, Any]]:
        if table not in RECORD_TABLES:  # table names cannot be SQL parameters
            raise ValueError(f"unknown record table {table!r}")
        rows = self.conn.execute(
            f"SELECT r.json FROM {table} r JOIN articles a ON a.id = r.article_id "
            "WHERE r.confidence >= ? AND (? OR a.superseded_by IS NULL) "
            "ORDER BY a.published IS NULL, a.published, a.rowid, r.rowid",
            (min_confidence, bool(include_superseded)),
        )
        return [json.loads(row[0]) for row in rows]

    def claims(self, *, min_confidence: float = 0.0, include_superseded: bool = False) -> list[dict[str, Any]]:
        """Claims in their JSON form, of current articles unless ``include_superseded``."""
        return self._records("claims", min_confidence=min_confidence, include_superseded=include_superseded)

    def events(self, *, min_confidence: float = 0.0, include_superseded: bool = False) -> list[dict[str, Any]]:
        return self._records("events", min_confidence=min_confidence, include_superseded=include_superseded)

    def statements(
        self, *, min_confidence: float = 0.0, include_superseded: bool = False
    ) -> list[dict[str, Any]]:
        return self._records("statements", min_confidence=min_confidence, include_superseded=include_superseded)

    def entities(
        self, *, min_confidence: float = 0.0, include_superseded: bool = False
    ) -> list[dict[str, Any]]:
        return self._records("entities", min_confidence=min_confidence, include_superseded=include_superseded)

    def counts(self) -> dict[str, int]:
        """How many rows each table holds (articles counts every revision)."""
        out = {"articles": self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]}
        for table in RECORD_TABLES:
            out[table] = self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        return out


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
