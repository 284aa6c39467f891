"""Extraction on Dask: the same results as the single-process run, in the same order;
failed partitions retried, then reported per item, never lost."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="Dask not installed: pip install 'factledger[dask]'")
pytest.importorskip("pyarrow", reason="pyarrow not installed: pip install 'factledger[dask]'")

from factledger.demo import demo_paths  # noqa: E402
from factledger.ingest.batch import extract_items, ingest_paths, summarise  # noqa: E402
from factledger.ingest.distributed import (  # noqa: E402
    DaskSettings,
    extract_dask,
    open_client,
    results_to_parquet,
)
from factledger.ingest.readers import ReadItem, read_paths  # noqa: E402
from factledger.nlp.pipeline import ItemResult  # noqa: E402
from factledger.outputs.jsonl import record_lines  # noqa: E402
from factledger.outputs.report import build_report  # noqa: E402
from factledger.records import Article, from_dict, to_dict  # noqa: E402
from factledger.store.sqlite import Ledger  # noqa: E402


def _inputs(tmp_path: Path) -> list[str]:
    """The demo corpus plus a bad line and a binary file: errors keep their place too."""
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "no text"}\nnot json\n', encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02")
    paths = [str(p) for p in demo_paths()]
    return [paths[0], str(bad), *paths[1:], str(binary)]


def _lines(results) -> list[str]:
    out = []
    for r in results:
        out += [f"error: {r.error}"] if r.error else list(record_lines(r.records or ()))
    return out


@pytest.fixture(scope="module")
def cluster_client():
    """A local cluster of 2 worker processes (each loads the model once)."""
    client = open_client(DaskSettings(workers=2))
    yield client
    cluster = client.cluster
    client.close()
    cluster.close()


def test_dask_results_equal_the_single_process_run(cluster_client, extractor, tmp_path):
    paths = _inputs(tmp_path)
    single = list(extract_items(read_paths(paths), extractor=extractor))
    settings = DaskSettings(partition_size=3, parquet_dir=str(tmp_path / "parts"))
    dask = list(extract_dask(read_paths(paths), settings=settings, client=cluster_client))
    demo = sum(1 for p in demo_paths() for line in p.read_text(encoding="utf-8").splitlines() if line.strip())
    assert len(single) == len(dask) == demo + 3
    assert _lines(dask) == _lines(single)
    assert sum(r.error is not None for r in dask) == 3
    # Partitioned Parquet, partitions of 3 items: the demo articles come first; the partitions
    # past them hold only read errors, which never leave the client, so they have no file.
    import pyarrow.parquet as pq

    parts = sorted((tmp_path / "parts").glob("part-*.parquet"))
    assert [p.name for p in parts] == [f"part-{i:05d}.parquet" for i in range(-(-demo // 3))]
    rows = sum(pq.read_table(p).num_rows for p in parts)
    assert rows == sum(len(r.records or ()) for r in single if r.error is None)
    # Records rebuilt from their JSON are the records.
    for result in single:
        for record in result.records or ():
            assert from_dict(to_dict(record)) == record


def test_dask_ingest_equals_single_process_ingest(cluster_client, extractor, tmp_path):
    reports, summaries = [], []
    for engine in (None, "dask"):
        with Ledger.open(tmp_path / f"{engine}.db") as ledger:
            run = None
            if engine:
                def run(items, skip):
                    return extract_dask(items, settings=DaskSettings(partition_size=4), client=cluster_client,
                                        skip=skip)
            summary = summarise(ingest_paths(ledger, demo_paths(), extractor=extractor, engine=run))
            assert summary.failed == 0 and summary.added > 0 and summary.revision > 0
            summaries.append((summary.added, summary.revision))
            again = summarise(ingest_paths(ledger, demo_paths(), extractor=extractor, engine=run))
            assert again.duplicate == summary.total
            reports.append((ledger.counts(), build_report(ledger, min_confidence=0)))
    assert reports[0] == reports[1] and summaries[0] == summaries[1]


def _article(i: int) -> Article:
    return Article.create(f"Story {i}\n\nText of story {i}.", title=f"Story {i}")


def _items(n: int) -> list[ReadItem]:
    return [ReadItem(f"item{i}", article=_article(i)) for i in range(n)]


def _echo(work):
    return results_to_parquet([(seq, ItemResult(name, records=[article])) for seq, name, article in work])


@pytest.fixture(scope="module")
def thread_client():
    """An in-process cluster (threads): cheap, for tasks that load no model."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None,
                           silence_logs=logging.ERROR)
    client = Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_a_failing_partition_is_retried(thread_client, tmp_path):
    marker = tmp_path / "failed-once"

    def flaky(index, work, time_limit):
        if index == 1 and not marker.exists():
            marker.write_text("x")
            raise RuntimeError("worker lost")
        return _echo(work)

    results = list(extract_dask(_items(6), settings=DaskSettings(partition_size=2), client=thread_client,
                                task=flaky))
    assert marker.exists()
    assert [r.name for r in results] == [f"item{i}" for i in range(6)]
    assert all(r.error is None and r.records[0] == _article(i) for i, r in enumerate(results))


def test_a_partition_that_keeps_failing_is_reported_per_item(thread_client):
    def broken(index, work, time_limit):
        if index == 1:
            raise RuntimeError("out of memory")
        return _echo(work)

    results = list(extract_dask(_items(6), settings=DaskSettings(partition_size=2, retries=1),
                                client=thread_client, task=broken))
    assert [r.name for r in results] == [f"item{i}" for i in range(6)]
    errors = {r.name: r.error for r in results if r.error}
    assert set(errors) == {"item2", "item3"}
    assert "partition 1 failed on the Dask cluster after 2 attempts (RuntimeError: out of memory)" in errors["item2"]


def test_skipped_articles_are_not_sent_to_workers(thread_client, tmp_path):
    log = tmp_path / "sent.txt"  # a file: the task runs on a copy of this closure

    def recording(index, work, time_limit):
        with open(log, "a", encoding="utf-8") as fh:
            fh.writelines(f"{name}\n" for _, name, _ in work)
        return _echo(work)

    results = list(extract_dask(_items(5), settings=DaskSettings(partition_size=2), client=thread_client,
                                skip=lambda a: a.title in ("Story 1", "Story 2", "Story 3"), task=recording))
    assert sorted(log.read_text(encoding="utf-8").split()) == ["item0", "item4"]
    assert [r.records[0].title for r in results] == [f"Story {i}" for i in range(5)]


def test_cli_engine_options_need_dask_engine():
    from click.testing import CliRunner

    from factledger import cli

    result = CliRunner().invoke(cli.cli, ["extract", "x.txt", "--workers", "2"])
    assert result.exit_code == 2 and "--workers need --engine dask" in result.output
    result = CliRunner().invoke(cli.cli, ["extract", "x.txt", "--engine", "dask", "--workers", "2",
                                          "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2 and "not both" in result.output


def test_unreachable_scheduler_is_a_clear_error():
    from factledger.ingest.distributed import DaskUnavailable

    with pytest.raises(DaskUnavailable, match="cannot reach the Dask scheduler at tcp://127.0.0.1:1"):
        open_client(DaskSettings(scheduler="tcp://127.0.0.1:1", connect_timeout=2))


def test_the_time_budget_holds_in_dask_worker_threads(thread_client, extractor, monkeypatch):
    """Worker threads cannot use the timer signal; the budget's checks between stages stop
    the slow article there, and the next one goes on."""
    import time

    from factledger.ingest import distributed
    from factledger.nlp import entities

    real = entities.find_entities
    monkeypatch.setattr(entities, "find_entities",
                        lambda ctx: (time.sleep(3 if "STALL" in ctx.article.text else 0), real(ctx))[1])
    monkeypatch.setattr(extractor, "time_limit", 1)

    def task(index, work, time_limit):  # the real task, with the session's model in this thread
        distributed._LOCAL.extractor, distributed._LOCAL.time_limit = extractor, time_limit
        return distributed.run_partition(index, work, time_limit)

    items = [ReadItem("stall", article=Article.create("STALL. Two people were killed.", title="s")),
             ReadItem("fine", article=_article(1))]
    results = list(extract_dask(items, settings=DaskSettings(partition_size=2), client=thread_client,
                                time_limit=1, task=task))
    assert results[0].error == "stall: over the time budget of 1 s per article"
    assert results[1].error is None and results[1].records[0] == _article(1)
