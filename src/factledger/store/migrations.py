"""Schema migrations of the SQLite ledger, applied in order and recorded in the database.

Each migration is (version, name, statements). Versions only grow; a released
migration is never edited: add a new one. ``Ledger.open`` applies the pending ones,
each in its own transaction, and records it in ``schema_migrations``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


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
        "cross-article resolution: stories, event mentions and links, figure keys, contradictions",
        (
            # Revision detection: MinHash bands of each article's text (blocking index) and
            # the pairs found to be versions of one story (article_a < article_b).
            """
            CREATE TABLE story_bands (
                band TEXT NOT NULL,
                article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                PRIMARY KEY (band, article_id)
            )
            """,
            """
            CREATE TABLE story_signatures (
                article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
                shingles INTEGER NOT NULL,
                signature TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE story_links (
                article_a TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                article_b TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                similarity REAL NOT NULL,
                PRIMARY KEY (article_a, article_b)
            )
            """,
            "CREATE INDEX story_links_b ON story_links(article_b)",
            # One row per event record: what resolution compares, indexed by type family and date.
            """
            CREATE TABLE event_mentions (
                article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                record_id TEXT NOT NULL,
                family TEXT NOT NULL,
                date_lo TEXT,
                date_hi TEXT,
                place_key TEXT,
                country TEXT,
                lat REAL,
                lon REAL,
                geo_precision INTEGER,
                fatalities_low REAL,
                fatalities_best REAL,
                fatalities_high REAL,
                actor_keys TEXT NOT NULL,
                victim_keys TEXT NOT NULL,
                name_keys TEXT NOT NULL,
                PRIMARY KEY (article_id, record_id)
            )
            """,
            "CREATE INDEX event_mentions_block ON event_mentions(family, date_lo)",
            # Pairs of event mentions judged to describe one happening (a < b by (article, record)).
            """
            CREATE TABLE event_links (
                a_article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                a_record TEXT NOT NULL,
                b_article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                b_record TEXT NOT NULL,
                score REAL NOT NULL,
                reasons TEXT NOT NULL,
                PRIMARY KEY (a_article, a_record, b_article, b_record)
            )
            """,
            "CREATE INDEX event_links_b ON event_links(b_article, b_record)",
            # One row per claim: the key of its figure series and its value bounds.
            """
            CREATE TABLE claim_keys (
                article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                record_id TEXT NOT NULL,
                metric TEXT NOT NULL,
                population TEXT NOT NULL,
                area TEXT NOT NULL,
                source_key TEXT NOT NULL,
                scope TEXT NOT NULL,
                as_of TEXT,
                low REAL,
                high REAL,
                PRIMARY KEY (article_id, record_id)
            )
            """,
            "CREATE INDEX claim_keys_series ON claim_keys(metric, population, area, as_of)",
            """
            CREATE TABLE contradictions (
                a_article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                a_claim TEXT NOT NULL,
                b_article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                b_claim TEXT NOT NULL,
                metric TEXT NOT NULL,
                kind TEXT NOT NULL,
                detail TEXT NOT NULL,
                PRIMARY KEY (a_article, a_claim, b_article, b_claim)
            )
            """,
            "CREATE INDEX contradictions_b ON contradictions(b_article, b_claim)",
            # A denial (or confirmation) in one article linked to what it is about in another.
            """
            CREATE TABLE statement_links (
                article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                statement_id TEXT NOT NULL,
                target_article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                target_type TEXT NOT NULL,
                target_id TEXT NOT NULL,
                relation TEXT NOT NULL,
                PRIMARY KEY (article_id, statement_id, target_article, target_id)
            )
            """,
            "CREATE INDEX statement_links_target ON statement_links(target_article, target_id)",
            # Statements and events about negotiations: one row per proposal or response.
            """
            CREATE TABLE negotiation_mentions (
                article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                record_id TEXT NOT NULL,
                thread_key TEXT NOT NULL,
                kind TEXT NOT NULL,
                action TEXT NOT NULL,
                actor TEXT,
                date TEXT,
                terms TEXT NOT NULL,
                PRIMARY KEY (article_id, record_id)
            )
            """,
            "CREATE INDEX negotiation_mentions_thread ON negotiation_mentions(thread_key, date)",
        ),
    ),
)

MIGRATIONS += (
    Migration(
        4,
        "event mention text keys and country blocking",
        (
            # Content words of the mention's evidence sentence (JSON list): near-identical
            # sentences (versions of one story, syndicated copy) anchor a link.
            "ALTER TABLE event_mentions ADD COLUMN text_keys TEXT",
            # Blocking by country within a type family and date window.
            "CREATE INDEX event_mentions_country ON event_mentions(family, country, date_lo)",
        ),
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version
