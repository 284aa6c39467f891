"""The commands on a PostgreSQL ledger give what they give on SQLite (demo, report, alias)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from factledger import cli


@pytest.fixture
def shared_extractor(extractor, monkeypatch):
    import factledger.nlp.pipeline as pipeline

    monkeypatch.setattr(pipeline, "Extractor", lambda **_: extractor)
    return extractor


def test_demo_report_and_aliases_match_sqlite(pg_url, tmp_path, shared_extractor):
    runner = CliRunner()
    sqlite_db = str(tmp_path / "demo.db")
    outputs = {}
    for db in (sqlite_db, pg_url):
        demo = runner.invoke(cli.cli, ["demo", "--db", db])
        assert demo.exit_code == 0, demo.stderr
        assert "demo: added 11, duplicate 0, revision 1, failed 0" in demo.stderr
        again = runner.invoke(cli.cli, ["ingest", *_demo_files(), "--db", db, "--json"])
        assert '"added": 0, "duplicate": 12' in again.stdout
        report = runner.invoke(cli.cli, ["report", "--db", db, "--min-confidence", "0"])
        aliases = runner.invoke(cli.cli, ["alias", "list", "--db", db, "--json"])
        assert report.exit_code == 0 and aliases.exit_code == 0
        outputs[db] = (report.stdout, aliases.stdout)
    assert outputs[pg_url] == outputs[sqlite_db]


def _demo_files() -> list[str]:
    from factledger.demo import demo_paths

    return [str(p) for p in demo_paths()]
