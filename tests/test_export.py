"""Exports of the demo ledger, opened back with the tools teams use (DuckDB, pyarrow, GeoJSON)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from click.testing import CliRunner

from factledger import cli
from factledger.outputs import views
from factledger.outputs.export import ExportError, acled_rules, export, geojson_collection
from factledger.store.sqlite import Ledger

ACLED_DEV = ("acled-gaza", "dev.csv")


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli.cli, ["export", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_jsonl_holds_contract_records(demo_db):
    lines = _run("--db", str(demo_db), "--format", "jsonl").splitlines()
    records = [json.loads(line) for line in lines]
    assert records and all(r["type"] == "event" for r in records)
    claims = [json.loads(x) for x in _run("--db", str(demo_db), "--format", "jsonl", "--records", "claims",
                                          "--metric", "killed").splitlines()]
    assert claims and all(c["type"] == "claim" and c["metric"] == "killed" for c in claims)


def test_csv_opens_in_duckdb_with_filters(demo_db, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "events.csv"
    _run("--db", str(demo_db), "--format", "csv", "--since", "2031-03-10", "--type", "Air/drone strike", "-o", str(out))
    rows = duckdb.sql(f"SELECT sub_event_type, CAST(date AS VARCHAR) AS d FROM read_csv_auto('{out}')").fetchall()
    assert rows and all(t == "Air/drone strike" and d >= "2031-03-10" for t, d in rows)


def test_acled_csv_has_acleds_columns_in_order(demo_db, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "acled.csv"
    _run("--db", str(demo_db), "--format", "acled-csv", "-o", str(out))
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == acled_rules()["columns"]
    rel = duckdb.sql(f"SELECT * FROM read_csv_auto('{out}', all_varchar=true)")
    rows = rel.fetchall()
    assert len(rows) == len(views.events(Ledger.open(demo_db, create=False)))
    notes = [r[header.index("notes")] for r in rows]
    assert all("[factledger:" in n for n in notes)  # our evidence and citation


def test_acled_header_matches_acled_export(demo_db):
    from conftest import shared_path

    with open(shared_path(*ACLED_DEV), encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == acled_rules()["columns"]


def test_parquet_round_trip(demo_db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "claims.parquet"
    _run("--db", str(demo_db), "--format", "parquet", "--records", "claims", "-o", str(out))
    table = pq.read_table(out)
    assert table.num_rows > 0 and {"metric", "best", "source", "hedges"} <= set(table.column_names)
    duckdb = pytest.importorskip("duckdb")
    killed = duckdb.sql(f"SELECT max(best) FROM read_parquet('{out}') WHERE metric = 'killed'").fetchall()[0][0]
    assert killed >= 2410


def test_parquet_needs_a_file(demo_db):
    result = CliRunner().invoke(cli.cli, ["export", "--db", str(demo_db), "--format", "parquet"])
    assert result.exit_code != 0 and "--output" in result.output


def test_geojson_is_valid_rfc7946(demo_db):
    geojson = pytest.importorskip("geojson")
    text = _run("--db", str(demo_db), "--format", "geojson")
    collection = geojson.loads(text)
    assert collection.is_valid, collection.errors()
    data = json.loads(text)
    assert data["type"] == "FeatureCollection" and "crs" not in data
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert feature["properties"]["evidence"]


def test_geojson_leaves_out_events_without_coordinates():
    rows = [{"id": "a", "lat": 31.5, "lon": 34.4}, {"id": "b", "lat": None, "lon": None},
            {"id": "c", "lat": 95.0, "lon": 0.0}]
    collection, skipped = geojson_collection(rows)
    assert [f["id"] for f in collection["features"]] == ["a"] and skipped == 2
    assert collection["features"][0]["geometry"]["coordinates"] == [34.4, 31.5]


def test_event_formats_refuse_other_records(demo_db):
    with Ledger.open(demo_db, create=False) as ledger, pytest.raises(ExportError, match="events only"):
        export(ledger, "geojson", kind="claims", out=io.StringIO())


def test_filters_by_area_and_date(demo_db):
    with Ledger.open(demo_db, create=False) as ledger:
        everything = views.events(ledger)
        selvik = views.events(ledger, views.Filters(area="selvik"))
        assert selvik and len(selvik) < len(everything)
        assert all("Selvik" in (e["place"] or "") for e in selvik)
        none = views.events(ledger, views.Filters(until=date(2000, 1, 1)))
        assert none == []


def test_bad_date_is_a_usage_error(demo_db):
    result = CliRunner().invoke(cli.cli, ["export", "--db", str(demo_db), "--since", "soon"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
