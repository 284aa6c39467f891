"""The JSON API and the HTML pages, driven in-process (FastAPI TestClient) on the demo ledger."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install 'factledger[web]'")

from fastapi.testclient import TestClient  # noqa: E402

from factledger.records import Article  # noqa: E402
from factledger.store.sqlite import Ledger  # noqa: E402
from factledger.web.app import create_app  # noqa: E402
from factledger.web.settings import WebSettings  # noqa: E402
from web_malicious import IMG, PAYLOAD, malicious_article_fields  # noqa: E402

PAGES = ("overview", "events", "figures", "entities", "sources", "articles")


@pytest.fixture(scope="module")
def client(demo_db):
    return TestClient(create_app(WebSettings(db=str(demo_db))))


@pytest.mark.parametrize("name", PAGES)
def test_every_page_has_a_json_twin(client, name):
    html = client.get(f"/{name}")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    data = client.get(f"/{name}.json")
    assert data.status_code == 200 and data.headers["content-type"] == "application/json"
    assert data.json()


def test_overview_has_sourced_key_figures_and_contradictions(client):
    data = client.get("/overview.json").json()
    assert data["counts"]["articles"] == 11  # 12 lines, one a revision of another
    killed = next(k for k in data["key_figures"] if k["metric"] == "killed")
    # The demo's running death toll: 2,300 then 2,410 (health ministry); the newest first.
    assert killed["scope"] == "cumulative"
    assert killed["figures"][0]["best"] == 2410 and killed["figures"][0]["source"]
    assert all(f["article_id"] and f["outlet"] for f in killed["figures"])
    stances = {c["stance"] for c in data["contradictions"]}
    assert stances <= {"denies", "disputes"} and "denies" in stances
    page = client.get("/").text
    assert "2,410" in page and "Open contradictions" in page


def test_events_filters(client):
    everything = client.get("/events.json").json()
    assert everything["total"] > 5
    strikes = client.get("/events.json", params={"type": "Air/drone strike"}).json()
    assert 0 < strikes["total"] < everything["total"]
    assert all(e["sub_event_type"] == "Air/drone strike" for e in strikes["items"])
    dated = client.get("/events.json", params={"since": "2031-03-10", "until": "2031-03-11"}).json()
    assert dated["total"] and all("2031-03-10" <= e["date"] <= "2031-03-11" for e in dated["items"])
    page = client.get("/events.json", params={"limit": 2, "offset": 1}).json()
    assert len(page["items"]) == 2 and page["items"][0] == everything["items"][1]
    assert client.get("/events.json", params={"place": "nowhere-at-all"}).json()["total"] == 0


@pytest.mark.parametrize(
    "query",
    [{"since": "not-a-date"}, {"until": "2031-13-45"}, {"limit": 0}, {"limit": "many"}, {"offset": -1},
     {"type": "x" * 500}],
)
def test_bad_query_parameters_are_422_not_500(client, query):
    assert client.get("/events.json", params=query).status_code == 422
    assert client.get("/events", params=query).status_code == 422


def test_event_detail_shows_every_mention_in_its_sentence(client):
    strike = client.get("/events.json", params={"type": "Air/drone strike"}).json()["items"]
    detail = client.get(f"/events/{strike[0]['id']}.json").json()
    assert detail["mentions"]
    for m in detail["mentions"]:
        assert 0 <= m["start"] < m["end"] <= len(m["sentence"])
    html = client.get(f"/events/{strike[0]['id']}").text
    assert '<mark class="hl-event">' in html
    assert client.get("/events/evt_nope.json").status_code == 404
    assert client.get("/events/evt_nope").status_code == 404


def test_figures_series_by_source(client):
    data = client.get("/figures.json", params={"metric": "killed"}).json()
    assert {s["metric"] for s in data["series"]} == {"killed"}
    sources = {s["source"] for s in data["series"]}
    assert len(sources) >= 2
    hedged = [p for s in data["series"] for p in s["points"] if p["hedges"]]
    assert hedged, "the NLF's 'cannot be verified' figure keeps its hedge"


def test_entities_have_status_timeline(client):
    people = client.get("/entities.json", params={"kind": "PERSON"}).json()["items"]
    vosk = next(p for p in people if p["name"] == "Tarin Vosk")
    assert vosk["status"][0]["status"] == "killed" and vosk["status"][0]["date"] == "2031-03-11"
    assert vosk["roles"]


def test_article_detail_spans_point_into_the_text(client):
    item = client.get("/articles.json").json()["items"][0]
    data = client.get(f"/articles/{item['article_id']}.json").json()
    assert data["spans"]
    for span in data["spans"]:
        assert 0 <= span["start"] < span["end"] <= len(data["text"])
    assert client.get("/articles/art_nope.json").status_code == 404


def test_openapi_documents_the_json_twins(client):
    spec = client.get("/openapi.json").json()
    for name in PAGES:
        ok = spec["paths"][f"/{name}.json"]["get"]["responses"]["200"]
        assert ok["content"]["application/json"]["schema"]["$ref"].startswith("#/components/schemas/")
    assert "post" in spec["paths"]["/api/articles"]


# -- writes and privacy --------------------------------------------------------------------------


def test_writes_need_the_token(demo_db, tmp_path):
    db = tmp_path / "w.db"
    db.write_bytes(demo_db.read_bytes())
    closed = TestClient(create_app(WebSettings(db=str(db))))
    body = {"alias": "Commander Vosk", "name": "Tarin Vosk"}
    assert closed.post("/api/aliases", json=body).status_code == 403  # no token configured
    app = TestClient(create_app(WebSettings(db=str(db), api_token="s3cret")))
    assert app.post("/api/aliases", json=body).status_code == 401
    assert app.post("/api/aliases", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    ok = app.post("/api/aliases", json=body, headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200, ok.text
    assert any(a["alias"] == "Commander Vosk" for p in app.get("/entities.json", params={"name": "Tarin Vosk"}).json()["items"]
               for a in p["aliases"])
    missing = app.post("/api/aliases", json={"alias": "X", "name": "Nobody Here"}, headers={"Authorization": "Bearer s3cret"})
    assert missing.status_code == 404
    extra = app.post("/api/aliases", json={**body, "evil": 1}, headers={"Authorization": "Bearer s3cret"})
    assert extra.status_code == 422


def test_post_article_ingests_it(demo_db, tmp_path):
    db = tmp_path / "p.db"
    db.write_bytes(demo_db.read_bytes())
    app = TestClient(create_app(WebSettings(db=str(db), api_token="t")))
    auth = {"Authorization": "Bearer t"}
    body = {"text": "Shelling kills 4 in Selvik\n\nShelling killed four people in Selvik on Monday, "
            "the Kestrian army said.", "published": "2031-03-21", "source": "Test Wire"}
    first = app.post("/api/articles", json=body, headers=auth)
    assert first.status_code == 200, first.text
    assert first.json()["outcome"] == "added" and first.json()["records"] > 0
    assert app.post("/api/articles", json=body, headers=auth).json()["outcome"] == "duplicate"
    bad = app.post("/api/articles", json={**body, "published": "yesterday-ish"}, headers=auth)
    assert bad.status_code == 400 and "published" in bad.json()["detail"]
    assert app.post("/api/articles", json={"text": "   "}, headers=auth).status_code == 400
    titles = [a["title"] for a in app.get("/articles.json").json()["items"]]
    assert "Shelling kills 4 in Selvik" in titles


def test_private_reads_need_the_token(demo_db):
    app = TestClient(create_app(WebSettings(db=str(demo_db), api_token="t", private=True)))
    assert app.get("/events.json").status_code == 401
    assert app.get("/events").status_code == 401
    assert app.get("/events.json", headers={"Authorization": "Bearer t"}).status_code == 200


def test_settings_from_env():
    s = WebSettings.from_env({"FACTLEDGER_API_TOKEN": "abc", "FACTLEDGER_PRIVATE": "1"}, db="x.db")
    assert s.api_token == "abc" and s.private and s.db == "x.db" and not s.tile_url


# -- script injection from news HTML -------------------------------------------------------------


def test_malicious_article_is_escaped_everywhere(tmp_path, extractor):
    fields = malicious_article_fields()
    article = Article.create(**fields)  # type: ignore[arg-type]
    db = tmp_path / "evil.db"
    with Ledger.open(db) as ledger:
        records = extractor.extract(article)
        ledger.add(article, records[1:])
    app = TestClient(create_app(WebSettings(db=str(db))))
    pages = ["/", "/events", "/figures", "/entities?kind=ORG", "/sources", "/articles", f"/articles/{article.id}"]
    pages += [f"/events/{e['id']}" for e in app.get("/events.json").json()["items"]]
    for path in pages:
        html = app.get(path).text
        assert PAYLOAD not in html and IMG not in html, path
        assert "javascript:" not in html, path
    article_html = app.get(f"/articles/{article.id}").text
    assert "&lt;script&gt;" in article_html  # shown as text, not run
    # JSON keeps the text as it is (JSON is data, not markup).
    assert PAYLOAD in app.get(f"/articles/{article.id}.json").json()["text"]
