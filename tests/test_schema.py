"""The output contract: record.schema.json agrees with records.py and validates what extract prints."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest

from factledger import records
from factledger.outputs.jsonl import record_line

ROOT = Path(__file__).resolve().parents[1]

SCHEMA_PATH = ROOT / "src" / "factledger" / "data" / "schema" / "record.schema.json"
TAXONOMY_PATH = ROOT / "src" / "factledger" / "rules" / "acled_taxonomy.json"
DOC_PATH = ROOT / "docs" / "output-contract.md"

TYPES = {
    "article": records.Article,
    "entity": records.Entity,
    "event": records.Event,
    "claim": records.Claim,
    "statement": records.Statement,
}
NESTED = {
    "evidence": records.Evidence,
    "when": records.When,
    "quantity": records.Quantity,
    "place": records.Place,
    "actor": records.ActorRef,
}


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema):
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _check_lines(validator, lines: list[str]) -> None:
    problems = []
    for line in lines:
        data = json.loads(line)
        for error in validator.iter_errors(data):
            path = "/".join(str(p) for p in error.absolute_path)
            problems.append(f"{data.get('type')} {data.get('id')}: {path}: {error.message}")
        evidence = data.get("evidence")
        if evidence:
            assert evidence["start"] <= evidence["end"], data
    assert not problems, "\n".join(problems[:20])


def test_schema_id_carries_the_schema_version(schema):
    assert schema["$id"].endswith(":" + records.SCHEMA_VERSION)
    assert records.SCHEMA_VERSION in schema["title"]


@pytest.mark.parametrize("type_name", sorted(TYPES))
def test_record_fields_match_the_dataclasses(schema, type_name):
    fields = {f.name for f in dataclasses.fields(TYPES[type_name])}
    props = set(schema["$defs"][type_name]["properties"])
    expected = fields | {"type", "article_id", "evidence", "confidence"}
    assert props == expected, f"schema and records.{TYPES[type_name].__name__} differ: {props ^ expected}"


@pytest.mark.parametrize("name", sorted(NESTED))
def test_nested_fields_match_the_dataclasses(schema, name):
    fields = {f.name for f in dataclasses.fields(NESTED[name])}
    assert set(schema["$defs"][name]["properties"]) == fields


def test_enums_match_records_and_taxonomy(schema):
    defs = schema["$defs"]
    assert defs["quantity"]["properties"]["qualifier"]["enum"] == list(records.QUALIFIERS)
    assert defs["when"]["properties"]["precision"]["enum"] == list(records.PRECISIONS)
    assert defs["claim"]["properties"]["modality"]["enum"] == list(records.MODALITIES)
    assert defs["statement"]["properties"]["stance"]["enum"] == list(records.STANCES)
    taxonomy = json.loads(TAXONOMY_PATH.read_text(encoding="utf-8"))
    sections = [taxonomy["event_types"], taxonomy.get("extra", {}).get("event_types", {})]
    types = [t for s in sections for t in s]
    subs = [sub for s in sections for t in s.values() for sub in t["sub_event_types"]]
    assert defs["event"]["properties"]["event_type"]["enum"] == types
    assert defs["event"]["properties"]["sub_event_type"]["enum"] == subs


def test_every_field_is_documented(schema):
    doc = DOC_PATH.read_text(encoding="utf-8")
    assert f"version {records.SCHEMA_VERSION}" in doc
    for name, definition in schema["$defs"].items():
        for field in definition["properties"]:
            assert f"`{field}`" in doc, f"{name}.{field} is not documented in docs/output-contract.md"


def test_a_hand_built_record_of_each_type_validates(validator):
    article = records.Article.create("Title\n\nAt least 5 people were killed.", title="Title")
    ev = records.Evidence(article.id, 1, 7, 37, article.text[7:37])
    q = records.Quantity(5, None, 5, "at_least", "At least 5")
    lines = [
        record_line(article),
        record_line(records.Entity("ent_1", article.id, "Kestria", "GPE", evidence=ev,
                                   place=records.Place("Kestria", precision=3))),
        record_line(records.Event("evt_1", article.id, "Battles", "Armed clash", ev, 0.7,
                                  plover={"event": "FIGHT", "mode": "firearms"}, fatalities=q,
                                  date=records.When("2031-03-02", "day"))),
        record_line(records.Claim("clm_1", article.id, "killed", q, "people", ev, 0.9,
                                  source=records.ActorRef("the army"), as_of=records.When(None, "unknown"))),
        record_line(records.Statement("stm_1", article.id, None, "denies", "x", ev, 0.6)),
    ]
    _check_lines(validator, lines)


def test_bad_records_are_rejected(validator):
    article = records.Article.create("Title\n\nBody.")
    ev = records.Evidence(article.id, 1, 7, 12, "Body.")
    bad_claim = json.loads(record_line(records.Claim(
        "clm_1", article.id, "killed", records.Quantity(5, 5, 5, "roughly"), None, ev, 1.5)))
    messages = " ".join(e.message for e in validator.iter_errors(bad_claim))
    assert "'roughly' is not one of" in messages and "1.5 is greater than the maximum" in messages
    assert list(validator.iter_errors({"type": "event", "id": "x"}))
    assert list(validator.iter_errors({"type": "rumour"}))


@pytest.fixture(scope="module")
def demo_lines(extractor) -> list[str]:
    from factledger.demo import demo_paths
    from factledger.ingest.readers import read_paths

    lines = []
    for item in read_paths(demo_paths()):
        assert item.article is not None, item.error
        lines.extend(record_line(r) for r in extractor.extract(item.article))
    return lines


def test_demo_corpus_output_validates(validator, demo_lines):
    assert sum('"type":"article"' in line for line in demo_lines) == 16
    _check_lines(validator, demo_lines)


def test_seed_output_validates(validator, seed_records):
    lines = [record_line(r) for recs in seed_records.values() for r in recs]
    _check_lines(validator, lines)


def test_schema_file_is_packaged():
    from factledger import demo

    assert (Path(demo.__file__).parent / "data" / "schema" / "record.schema.json").exists()
