"""The commands on a PostgreSQL ledger give what they give on SQLite (demo, report, alias,
and the ledger's query commands)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from factledger import cli


class _Memo:
    """The session extractor, each article extracted once: the second back-end reuses it."""

    def __init__(self, extractor) -> None:
        self._extractor, self._done = extractor, {}
        self.time_limit = extractor.time_limit

    def extract(self, article):
        if article.id not in self._done:
            self._done[article.id] = self._extractor.extract(article)
        return self._done[article.id]


@pytest.fixture
def shared_extractor(extractor, monkeypatch):
    import factledger.nlp.pipeline as pipeline

    memo = _Memo(extractor)
    monkeypatch.setattr(pipeline, "Extractor", lambda **_: memo)
    return memo


def test_demo_report_and_aliases_match_sqlite(pg_url, tmp_path, shared_extractor):
    runner = CliRunner()
    sqlite_db = str(tmp_path / "demo.db")
    outputs = {}
    for db in (sqlite_db, pg_url):
        demo = runner.invoke(cli.cli, ["demo", "--db", db])
        assert demo.exit_code == 0, demo.stderr
        assert "demo: added 15, duplicate 0, revision 1, failed 0" in demo.stderr
        again = runner.invoke(cli.cli, ["ingest", *_demo_files(), "--db", db, "--json"])
        assert '"added": 0, "duplicate": 16' in again.stdout
        commands = [["report", "--min-confidence", "0"], ["alias", "list", "--json"],
                    ["events", "--format", "json"], ["figures", "--format", "json"],
                    ["contradictions", "--format", "json"], ["negotiations", "--format", "json"]]
        outputs[db] = []
        for command in commands:
            result = runner.invoke(cli.cli, [*command, "--db", db])
            assert result.exit_code == 0, (command, result.output)
            outputs[db].append(result.stdout)
    assert outputs[pg_url] == outputs[sqlite_db]


def _demo_files() -> list[str]:
    from factledger.demo import demo_paths

    return [str(p) for p in demo_paths()]
