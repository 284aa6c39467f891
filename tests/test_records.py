from datetime import date

from factledger.records import Article, Claim, Evidence, Quantity, stable_id, to_dict


def test_article_id_is_a_content_hash_that_ignores_whitespace():
    a = Article.create("Two  people\nwere killed.")
    b = Article.create("Two people were killed.")
    assert a.id == b.id and a.content_hash == b.content_hash
    assert Article.create("Three people were killed.").id != a.id


def test_story_key_prefers_url_then_path_then_title():
    assert Article.create("x", url="https://e.org/a", path="p", title="T").story_key == "url:https://e.org/a"
    assert Article.create("x", path="p", title="T").story_key == "path:p"
    assert Article.create("x", title="Big  News").story_key == "title:big news"


def test_to_dict_has_the_contract_keys():
    art = Article.create("Two people were killed.", published=date(2024, 1, 2))
    ev = Evidence(art.id, 0, 0, 23, "Two people were killed.")
    claim = Claim(
        id=stable_id("clm", art.id, 0), article_id=art.id, metric="killed",
        value=Quantity(2, 2, 2, "exact", "Two"), subject="people", evidence=ev, confidence=0.9,
    )
    d = to_dict(claim)
    assert d["type"] == "claim" and d["evidence"]["end"] == 23
    assert d["value"] == {"low": 2, "high": 2, "best": 2, "qualifier": "exact", "text": "Two", "vague": None}
    a = to_dict(art)
    assert a["type"] == "article" and a["article_id"] == art.id and a["published"] == "2024-01-02"


def test_stable_id_is_deterministic():
    assert stable_id("x", 1, "a") == stable_id("x", 1, "a") != stable_id("x", 2, "a")
