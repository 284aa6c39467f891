"""Storage of the ledger: SQLite by default (``store.sqlite``), schema migrations in ``store.migrations``."""

from .sqlite import DEFAULT_PATH, Ledger, StoredArticle

__all__ = ["DEFAULT_PATH", "Ledger", "StoredArticle"]
