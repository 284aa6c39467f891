"""The ledger's alias table: entities bound across articles, user edits (hand-built records),
on SQLite and PostgreSQL (``db_target``)."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from factledger import cli
from factledger.errors import StoreError
from factledger.records import Article, Entity, Evidence
from factledger.store.aliases import alias_key, matchable
from factledger.store.sqlite import Ledger


def _article(text: str) -> Article:
    return Article.create(text, title=text.split("\n")[0], published=date(2024, 1, 3))


def _entity(article: Article, name: str, kind: str = "PERSON", aliases: tuple[str, ...] = ()) -> Entity:
    ev = Evidence(article.id, 0, 0, 5, article.text[:5])
    return Entity(f"ent_{alias_key(name).replace(' ', '_')}", article.id, name, kind, aliases=aliases, evidence=ev, confidence=0.9)


def test_alias_key_normalises_case_accents_particles():
    assert alias_key("Saleh al-Arouri") == alias_key("Saleh Al Arouri") == "saleh arouri"
    assert alias_key("Türkiye") == "turkiye"
    assert alias_key("the IDF") == "idf"
    assert not matchable(alias_key("Arouri"), "PERSON") and matchable(alias_key("IDF"), "ORG")


def test_the_same_person_in_two_articles_is_one_ledger_entity(db_target):
    a = _article("Strike in Beirut\nSaleh al-Arouri was killed.")
    b = _article("Hamas freezes talks\nSaleh Al Arouri, deputy head, was killed.")
    with Ledger.open(db_target) as led:
        led.add(a, [_entity(a, "Saleh al-Arouri", aliases=("Arouri", "al-Arouri"))])
        led.add(b, [_entity(b, "Saleh Al Arouri")])
        [row] = led.ledger_entities(name="Saleh al-Arouri")
        assert row["articles"] == 2
        assert {x["alias"] for x in row["aliases"]} >= {"Saleh al-Arouri"}


def test_a_bare_surname_never_binds_people_across_articles(db_target):
    a = _article("One\nIsmail Haniyeh spoke.")
    b = _article("Two\nHaniyeh, a shopkeeper, spoke.")
    with Ledger.open(db_target) as led:
        led.add(a, [_entity(a, "Ismail Haniyeh")])
        led.add(b, [_entity(b, "Haniyeh")])
        assert len(led.ledger_entities()) == 2


def test_organisations_bind_by_acronym_and_user_edits_win(db_target):
    a = _article("One\nThe IDF said.")
    b = _article("Two\nThe Israeli army said.")
    c = _article("Three\nThe Israeli army said again.")
    with Ledger.open(db_target) as led:
        led.add(a, [_entity(a, "Israel Defense Forces", "ORG", aliases=("IDF",))])
        led.add(b, [_entity(b, "Israeli army", "ORG")])
        assert len(led.ledger_entities()) == 2
        led.merge_entities("IDF", "Israeli army")
        [row] = led.ledger_entities()
        assert row["name"] == "Israel Defense Forces" and row["articles"] == 2
        led.add(c, [_entity(c, "Israeli army", "ORG")])  # now bound by the merged alias
        [row] = led.ledger_entities()
        assert row["articles"] == 3
        led.add_alias("Tsahal", "IDF")
        [row] = led.ledger_entities(name="Tsahal")
        assert {"alias": "Tsahal", "origin": "user"} in row["aliases"]
        with pytest.raises(StoreError, match="no entity named"):
            led.add_alias("X", "Nobody Known")


def test_alias_cli(db_target):
    db = db_target
    a = _article("One\nThe IDF said.")
    with Ledger.open(db) as led:
        led.add(a, [_entity(a, "Israel Defense Forces", "ORG", aliases=("IDF",))])
    runner = CliRunner()
    out = runner.invoke(cli.cli, ["alias", "add", "Tsahal", "IDF", "--db", db])
    assert out.exit_code == 0, out.output
    out = runner.invoke(cli.cli, ["alias", "list", "Tsahal", "--db", db])
    assert out.exit_code == 0 and "Israel Defense Forces [ORG] 1 article(s)" in out.output and "Tsahal (user)" in out.output
    out = runner.invoke(cli.cli, ["alias", "list", "Nobody", "--db", db])
    assert out.exit_code == 1 and "no entity named" in out.output
