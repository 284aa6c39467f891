"""Distributed extraction on Dask: partitions of articles -> workers -> Parquet -> results.

``extract_dask`` is ``batch.extract_items`` on a Dask cluster (the ``[dask]`` extra):

1. The client reads the inputs (``readers``) and cuts them into partitions of
   ``partition_size`` items, in input order. Read errors and articles to skip stay on the
   client; the other articles of a partition go to one task.
2. A task runs the same pipeline as one process does (``nlp.pipeline``), with one
   ``Extractor`` per worker thread, loaded on its first task and kept (``_extractor``):
   the spaCy model is loaded once per worker, not per task.
3. The task returns its results as a Parquet file (one row per record: its JSON form,
   or one row with the error of an item that failed), which the client writes to
   ``PARQUET_DIR/part-NNNNN.parquet`` and loads back into records (``records.from_dict``).
   The data goes through the scheduler, so workers need no shared file system.
4. Results come out in input order, so the output equals the single-process run's.

A task that fails (a worker dies, a bug) is retried ``retries`` times by Dask; a partition
that still fails becomes one error per item, naming the partition and the cause: never
silently lost (an ``ingest`` re-run picks those articles up, as they are not stored).
At most ``IN_FLIGHT_PER_THREAD`` partitions per worker thread are submitted at once, so a
corpus of any size streams through with bounded memory on the client.

``--time-limit`` holds on Dask too: tasks run in worker threads, where the per-article
timer signal cannot be used, so ``pipeline.time_limit`` checks the budget as each sentence
leaves spaCy and between stages (an article may overrun it by one batch or one stage).
"""

from __future__ import annotations

import io
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import FactledgerError
from ..records import Article, from_dict, to_dict
from .readers import ReadItem

if TYPE_CHECKING:
    from ..nlp.pipeline import Extractor, ItemResult

# Articles per task: big enough that scheduling (~1 ms a task) and Parquet framing are
# negligible next to extraction (~0.2-0.5 s an article), small enough to spread a few
# hundred articles over several workers. Measured with benchmarks/bench_extract.py.
PARTITION_SIZE = 8
# Times Dask re-runs a failed task before its partition is reported as failed.
RETRIES = 2
# Partitions submitted and not yet collected, per worker thread: keeps every worker busy
# while the client writes and loads finished ones, and bounds the client's memory.
IN_FLIGHT_PER_THREAD = 3

PARQUET_COLUMNS = ("seq", "name", "error", "type", "json")

Task = Callable[[int, list[tuple[int, str, Article]], "float | None"], bytes]


class DaskUnavailable(FactledgerError):
    """Dask or pyarrow is not installed, or the cluster cannot be reached."""


@dataclass
class _Partition:
    """Input items ``index``-th partition: the results known on the client (read errors,
    skipped articles) and the articles a task must extract, by position."""

    index: int
    slots: list[ItemResult | None] = field(default_factory=list)
    work: list[tuple[int, str, Article]] = field(default_factory=list)


# -- on the workers ----------------------------------------------------------------------

_LOCAL = threading.local()


def _extractor(time_limit: float | None) -> Extractor:
    """This worker thread's Extractor, built on first use (the model loads once per worker)."""
    from ..nlp.pipeline import Extractor

    cached = getattr(_LOCAL, "extractor", None)
    if cached is None or getattr(_LOCAL, "time_limit", None) != time_limit:
        cached = Extractor(time_limit=time_limit)
        _LOCAL.extractor, _LOCAL.time_limit = cached, time_limit
    return cached


def warm_up(time_limit: float | None = None) -> str:
    """Load the model on a worker (``client.run(warm_up)``): keeps loading out of timings."""
    _extractor(time_limit)
    return "ready"


def run_partition(index: int, work: list[tuple[int, str, Article]], time_limit: float | None) -> bytes:
    """The task: extract a partition's articles; its results as Parquet bytes."""
    from ..nlp.pipeline import _safe_extract

    extractor = _extractor(time_limit)
    return results_to_parquet([(seq, _safe_extract(extractor, name, article)) for seq, name, article in work])


def results_to_parquet(results: list[tuple[int, ItemResult]]) -> bytes:
    """(position, result) pairs as a Parquet file: a row per record, or one per error."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows: dict[str, list[Any]] = {c: [] for c in PARQUET_COLUMNS}
    for seq, result in results:
        records = [] if result.error is not None else list(result.records or ())
        for record in records or [None]:
            data = to_dict(record) if record is not None else None
            rows["seq"].append(seq)
            rows["name"].append(result.name)
            rows["error"].append(result.error if record is None else None)
            rows["type"].append(data["type"] if data else None)
            rows["json"].append(json.dumps(data, ensure_ascii=False) if data else None)
    schema = pa.schema([("seq", pa.int32()), ("name", pa.string()), ("error", pa.string()),
                        ("type", pa.string()), ("json", pa.string())])
    buffer = io.BytesIO()
    pq.write_table(pa.table(rows, schema=schema), buffer, compression="zstd")
    return buffer.getvalue()


# -- on the client -----------------------------------------------------------------------


def parquet_to_results(path: Path) -> dict[int, ItemResult]:
    """Load a partition's Parquet file: its results by position."""
    import pyarrow.parquet as pq

    from ..nlp.pipeline import ItemResult

    table = pq.read_table(path, columns=list(PARQUET_COLUMNS)).to_pydict()
    names: dict[int, str] = {}
    errors: dict[int, str] = {}
    records: dict[int, list[Any]] = {}
    for seq, name, error, blob in zip(table["seq"], table["name"], table["error"], table["json"], strict=True):
        names[seq] = name
        if error is not None:
            errors[seq] = error
        elif blob is not None:
            records.setdefault(seq, []).append(from_dict(json.loads(blob)))
    return {
        seq: ItemResult(name, error=errors[seq]) if seq in errors else ItemResult(name, records=records.get(seq, []))
        for seq, name in names.items()
    }


def _partitions(
    items: Iterable[ReadItem], size: int, skip: Callable[[Article], bool] | None
) -> Iterator[_Partition]:
    from ..nlp.pipeline import ItemResult

    part = _Partition(0)
    for item in items:
        seq = len(part.slots)
        if item.article is None:
            part.slots.append(ItemResult(item.name, error=item.error))
        elif skip is not None and skip(item.article):
            part.slots.append(ItemResult(item.name, records=[item.article]))
        else:
            part.slots.append(None)
            part.work.append((seq, item.name, item.article))
        if len(part.slots) >= size:
            yield part
            part = _Partition(part.index + 1)
    if part.slots:
        yield part


def _failed(part: _Partition, exc: BaseException, retries: int) -> dict[int, ItemResult]:
    from ..nlp.pipeline import ItemResult

    cause = f"{type(exc).__name__}: {exc}".strip()
    return {
        seq: ItemResult(name, error=f"{name}: partition {part.index} failed on the Dask cluster after "
                        f"{retries + 1} attempts ({cause}); not stored, run again to retry")
        for seq, name, _ in part.work
    }


def _merge(part: _Partition, done: dict[int, ItemResult]) -> list[ItemResult]:
    out = []
    for seq, slot in enumerate(part.slots):
        result = slot if slot is not None else done.get(seq)
        if result is None:  # a task that returned fewer results than it was given
            from ..nlp.pipeline import ItemResult

            name = next(n for s, n, _ in part.work if s == seq)
            result = ItemResult(name, error=f"{name}: partition {part.index} returned no result for it")
        out.append(result)
    return out


@dataclass(frozen=True)
class DaskSettings:
    """Where and how to run: a scheduler address, else a local cluster of ``workers`` processes."""

    scheduler: str | None = None
    workers: int = 2
    partition_size: int = PARTITION_SIZE
    parquet_dir: str | None = None
    retries: int = RETRIES
    connect_timeout: float = 30.0  # seconds to wait for the scheduler


def open_client(settings: DaskSettings) -> Any:
    """A ``distributed.Client``: of the scheduler, else of a new local cluster (processes,
    one thread each, on 127.0.0.1, no dashboard). Close it (and its cluster) when done."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise DaskUnavailable("--engine dask needs Dask: pip install 'factledger[dask]'") from exc
    try:
        if settings.scheduler:
            return Client(settings.scheduler, timeout=f"{settings.connect_timeout:g}s")
        cluster = LocalCluster(n_workers=settings.workers, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    except OSError as exc:  # includes TimeoutError: no scheduler at the address
        where = settings.scheduler or "a local cluster"
        raise DaskUnavailable(f"cannot reach the Dask scheduler at {where}: {exc}") from exc
    return client


def extract_dask(
    items: Iterable[ReadItem],
    *,
    settings: DaskSettings,
    client: Any = None,
    skip: Callable[[Article], bool] | None = None,
    time_limit: float | None = None,
    task: Task = run_partition,
) -> Iterator[ItemResult]:
    """``batch.extract_items`` on Dask: one ``ItemResult`` per item, in input order.

    ``client``: a ``distributed.Client`` to use (default: ``open_client(settings)``, closed
    at the end). Partition files are kept in ``settings.parquet_dir`` when given.
    """
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise DaskUnavailable("--engine dask needs pyarrow: pip install 'factledger[dask]'") from exc
    own = client is None
    if own:
        client = open_client(settings)
    try:
        with tempfile.TemporaryDirectory(prefix="factledger-parts-") as tmp:
            out_dir = Path(settings.parquet_dir or tmp)
            out_dir.mkdir(parents=True, exist_ok=True)
            yield from _run(client, items, settings, out_dir, skip, time_limit, task)
    finally:
        if own:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()


def _run(
    client: Any,
    items: Iterable[ReadItem],
    settings: DaskSettings,
    out_dir: Path,
    skip: Callable[[Article], bool] | None,
    time_limit: float | None,
    task: Task,
) -> Iterator[ItemResult]:
    from distributed import as_completed

    threads = max(1, sum(client.nthreads().values()))
    limit = IN_FLIGHT_PER_THREAD * threads
    finished = as_completed()
    submitted: dict[Any, _Partition] = {}
    ready: dict[int, list[ItemResult]] = {}
    next_index = 0

    def collect_one() -> None:
        future = next(finished)
        part = submitted.pop(future)
        try:
            data = future.result()
            path = out_dir / f"part-{part.index:05d}.parquet"
            path.write_bytes(data)
            done = parquet_to_results(path)
        except Exception as exc:  # noqa: BLE001 - a failed partition is reported per item
            done = _failed(part, exc, settings.retries)
        ready[part.index] = _merge(part, done)
        future.release()

    def flush() -> Iterator[ItemResult]:
        nonlocal next_index
        while next_index in ready:
            yield from ready.pop(next_index)
            next_index += 1

    for part in _partitions(items, settings.partition_size, skip):
        if part.work:
            future = client.submit(task, part.index, part.work, time_limit, retries=settings.retries,
                                   pure=False, key=f"factledger-part-{os.getpid()}-{id(part)}-{part.index}")
            submitted[future] = part
            finished.add(future)
        else:
            ready[part.index] = _merge(part, {})
        while len(submitted) >= limit:
            collect_one()
        yield from flush()
    while submitted:
        collect_one()
        yield from flush()
