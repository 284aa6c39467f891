"""Shared fixtures. Tests that read ../shared skip with a reason when it is absent
(a user's clone has no ../shared: its data may not be redistributed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FACTLEDGER_SHARED", ROOT.parent / "shared")).resolve()
SHARED_DATA = SHARED / "data"


def shared_path(*parts: str) -> Path:
    """Path of a file under ../shared/data, or skip the test when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not found: ../shared data is only on developer and CI machines")
    return path


@pytest.fixture(scope="session")
def extractor():
    from factledger.nlp.pipeline import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def seed_records(extractor):
    """Records extracted from both seed articles (skips without ../shared)."""
    from factledger.ingest.readers import read_path

    out = {}
    for name in ("000_25c9c99f66e4d546.txt", "003_3e29466ed914d5cb.txt"):
        path = shared_path("seeds", name)
        (item,) = list(read_path(path))
        out[name] = extractor.extract(item.article)
    return out


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, extractor):
    """A ledger of the bundled demo corpus (ingested once per test session)."""
    from factledger.demo import run_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    result = run_demo(db=path, extractor=extractor)
    assert result.summary.failed == 0, result.summary.errors
    return path


# -- PostgreSQL: a throwaway server on loopback (skips with the reason when none can start) --

@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server for the tests: $FACTLEDGER_TEST_PG_URL (an existing server whose
    user may create databases), else a throwaway cluster started here on 127.0.0.1."""
    pytest.importorskip("psycopg", reason="psycopg not installed: pip install 'factledger[postgres]'")
    from factledger.errors import StoreError
    from factledger.store.pgtemp import TempPostgres, find_bindir

    url = os.environ.get("FACTLEDGER_TEST_PG_URL")
    if url:
        yield _ExistingPostgres(url)
        return
    if find_bindir() is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql")
    try:
        server = TempPostgres.start()
    except StoreError as exc:
        pytest.skip(f"cannot start a throwaway PostgreSQL server: {exc}")
    yield server
    server.stop()


class _ExistingPostgres:
    def __init__(self, url: str) -> None:
        self._url = url

    def create_database(self, prefix: str = "factledger") -> str:
        from factledger.store.pgtemp import create_database

        return create_database(self._url, prefix)


@pytest.fixture
def pg_url(pg_server):
    """The URL of a new, empty PostgreSQL database."""
    return pg_server.create_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request, tmp_path):
    """A new ledger location on each back-end: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "ledger.db")
    return request.getfixturevalue("pg_url")
