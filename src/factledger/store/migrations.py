"""Schema migrations of the ledger, applied in order and recorded in the database.

Each migration is (version, name, statements). Versions only grow; a released
migration is never edited: add a new one. ``Ledger.open`` applies the pending ones,
each in its own transaction, and records it in ``schema_migrations``.

One list serves SQLite and PostgreSQL: statements are written in SQLite's DDL and
``store.db.translate_ddl`` translates them (REAL -> DOUBLE PRECISION, a ``rowid`` column,
...); a statement no translation fits is a ``Dialects`` with one text per dialect.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialects:
    """One migration statement spelled for each database."""

    sqlite: str
    postgresql: str


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str | Dialects, ...]


_RECORD_COLUMNS = """
    id TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    confidence REAL NOT NULL,
    json TEXT NOT NULL,
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "articles and records",
        (
            """
            CREATE TABLE articles (
                id TEXT PRIMARY KEY,
                story_key TEXT NOT NULL,
                content_hash TEXT NOT NULL UNIQUE,
                title TEXT,
                published TEXT,
                source TEXT,
                url TEXT,
                path TEXT,
                text TEXT NOT NULL,
                ingested_at TEXT NOT NULL,
                revision_of TEXT REFERENCES articles(id),
                superseded_by TEXT REFERENCES articles(id)
            )
            """,
            "CREATE INDEX articles_story_key ON articles(story_key)",
            "CREATE INDEX articles_published ON articles(published)",
            f"""
            CREATE TABLE claims ({_RECORD_COLUMNS}
                metric TEXT NOT NULL,
                subject TEXT,
                qualifier TEXT,
                best REAL,
                low REAL,
                high REAL,
                as_of TEXT,
                source TEXT,
                modality TEXT,
                event_id TEXT,
                PRIMARY KEY (article_id, id)
            )
            """,
            "CREATE INDEX claims_metric ON claims(metric, as_of)",
            f"""
            CREATE TABLE events ({_RECORD_COLUMNS}
                event_type TEXT NOT NULL,
                sub_event_type TEXT NOT NULL,
                date TEXT,
                country TEXT,
                location TEXT,
                fatalities REAL,
                primary_event INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (article_id, id)
            )
            """,
            "CREATE INDEX events_type ON events(event_type, sub_event_type)",
            "CREATE INDEX events_date ON events(date)",
            f"""
            CREATE TABLE statements ({_RECORD_COLUMNS}
                stance TEXT NOT NULL,
                speaker TEXT,
                target_id TEXT,
                PRIMARY KEY (article_id, id)
            )
            """,
            "CREATE INDEX statements_stance ON statements(stance)",
            f"""
            CREATE TABLE entities ({_RECORD_COLUMNS}
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                PRIMARY KEY (article_id, id)
            )
            """,
            "CREATE INDEX entities_name ON entities(name)",
        ),
    ),
    Migration(
        2,
        "ledger entities and the alias table",
        (
            """
            CREATE TABLE ledger_entities (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE aliases (
                alias_key TEXT NOT NULL,
                kind TEXT NOT NULL,
                alias TEXT NOT NULL,
                entity_id TEXT NOT NULL REFERENCES ledger_entities(id),
                origin TEXT NOT NULL CHECK (origin IN ('extracted', 'user')),
                added_at TEXT NOT NULL,
                PRIMARY KEY (alias_key, kind)
            )
            """,
            "CREATE INDEX aliases_entity ON aliases(entity_id)",
            """
            CREATE TABLE entity_links (
                article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                record_id TEXT NOT NULL,
                entity_id TEXT NOT NULL REFERENCES ledger_entities(id),
                PRIMARY KEY (article_id, record_id)
            )
            """,
            "CREATE INDEX entity_links_entity ON entity_links(entity_id)",
        ),
    ),
    Migration(
        3,
        "live feeds: polling state and items seen",
        (
            """
            CREATE TABLE feeds (
                url TEXT PRIMARY KEY,
                etag TEXT,
                last_modified TEXT,
                checked_at TEXT,
                next_check_at TEXT,
                failures INTEGER NOT NULL DEFAULT 0,
                last_error TEXT
            )
            """,
            """
            CREATE TABLE feed_items (
                feed_url TEXT NOT NULL REFERENCES feeds(url) ON DELETE CASCADE,
                item_key TEXT NOT NULL,
                url TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('stored', 'failed')),
                article_id TEXT,
                attempts INTEGER NOT NULL DEFAULT 1,
                error TEXT,
                seen_at TEXT NOT NULL,
                PRIMARY KEY (feed_url, item_key)
            )
            """,
        ),
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version
