"""Limits on hostile input: size, sentences, time, and memory while streaming JSONL.
Each limit gives a clear error for that item only; the other items go on."""

from __future__ import annotations

import json
import threading
import time
import tracemalloc
from datetime import date

from factledger.ingest import readers
from factledger.ingest.readers import read_path
from factledger.nlp import pipeline
from factledger.records import Article


def _jsonl(path, objs, **dump):
    path.write_text("".join(json.dumps(o, **dump) + "\n" for o in objs), encoding="utf-8")
    return path


def test_jsonl_lines_end_at_newline_only(tmp_path):
    # json.dumps(ensure_ascii=False) writes U+2028/U+0085 raw inside strings: still one line.
    path = _jsonl(tmp_path / "a.jsonl", [{"text": "one\u2028two\x85three\x1cfour"}, {"text": "next"}],
                  ensure_ascii=False)
    items = list(read_path(path))
    assert [i.article.text for i in items] == ["one\u2028two\x85three\x1cfour", "next"]
    assert [i.name for i in items] == [f"{path}:1", f"{path}:2"]


def test_jsonl_over_the_file_limit_is_streamed(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1000)
    path = _jsonl(tmp_path / "big.jsonl", [{"text": f"Article number {i} " * 5} for i in range(200)])
    assert path.stat().st_size > 1000
    items = list(read_path(path))
    assert len(items) == 200 and all(i.ok for i in items)


def test_jsonl_line_over_the_line_limit_is_an_error_for_that_line(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_LINE_BYTES", 500)
    path = _jsonl(tmp_path / "a.jsonl", [{"text": "short one"}, {"text": "x" * 5000}, {"text": "short two"}])
    first, second, third = read_path(path)
    assert first.article.text == "short one" and third.article.text == "short two"
    assert second.name == f"{path}:2" and "over the limit of 500 bytes" in second.error
    assert third.name == f"{path}:3"


def test_jsonl_in_a_legacy_encoding_or_utf16_is_still_read(tmp_path):
    lines = [json.dumps({"text": "Caf\u00e9 au march\u00e9 de Dravna: trois morts, selon les autorit\u00e9s."},
                        ensure_ascii=False)] * 3
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes("\n".join(lines).encode("latin-1"))
    utf16 = tmp_path / "utf16.jsonl"
    utf16.write_bytes("\n".join(lines).encode("utf-16"))
    for path in (latin, utf16):
        items = list(read_path(path))
        assert len(items) == 3 and all(i.ok and "Caf\u00e9" in i.article.text for i in items), path


def test_one_bad_utf8_line_in_a_stream_is_decoded_or_refused_alone(tmp_path):
    good = json.dumps({"text": "good"}).encode()
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join([good] * 400 + [b'{"text": "caf\xe9 \xff\xfe"}', good]) + b"\n")
    items = list(read_path(path))
    assert len(items) == 402
    assert all(i.ok for i in items[:400]) and items[401].ok
    assert items[400].ok or items[400].error.startswith(f"{path}:401:")


def test_streaming_a_large_jsonl_takes_bounded_memory(tmp_path):
    """Reading 5,000 lines or 50,000 lines peaks at about the same Python memory."""
    def peak(n: int) -> int:
        path = _jsonl(tmp_path / f"{n}.jsonl", [{"text": f"Article {i}: " + "at least 14 were killed. " * 8,
                                                  "url": f"https://x.example/{i}"} for i in range(n)])
        tracemalloc.start()
        count = sum(1 for item in read_path(path) if item.ok)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert count == n
        return top

    small, large = peak(5_000), peak(50_000)
    assert large < 2 * small + 256 * 1024, (small, large)


def test_an_article_with_too_many_sentences_is_refused_with_its_count(extractor, monkeypatch):
    monkeypatch.setattr(pipeline, "MAX_SENTENCES", 5)
    article = Article.create(" ".join(f"Sentence number {i} is here." for i in range(12)), title="many")
    ok = Article.create("Three people were killed in Dravna on Sunday, officials said.", title="ok")
    results = list(pipeline.extract_many([("many.txt", article), ("ok.txt", ok)], extractor=extractor))
    assert results[0].error.startswith("many.txt: article has 12 sentences, over the limit of 5")
    assert results[1].error is None and results[1].records[0] == ok


def test_the_time_budget_holds_in_worker_processes(monkeypatch):
    """With --processes 2 the budget is enforced inside each worker (forked with the patch)."""
    real = pipeline.Extractor.extract

    def stalling(self, article):
        if "STALL" in article.text:
            time.sleep(30)
        return real(self, article)

    monkeypatch.setattr(pipeline.Extractor, "extract", stalling)
    items = [("stall.txt", Article.create("STALL here.", title="s")),
             ("fine.txt", Article.create("Two people were killed on Sunday.", title="f", published=date(2031, 3, 2)))]
    started = time.monotonic()
    results = list(pipeline.extract_many(items, processes=2, time_limit=5))
    assert time.monotonic() - started < 120
    assert results[0].error == "stall.txt: over the time budget of 5 s per article"
    assert results[1].error is None


def _slow_stage(monkeypatch, seconds: float) -> None:
    """Make the entity stage of every extraction take ``seconds`` longer."""
    from factledger.nlp import entities

    real = entities.find_entities

    def slow(ctx):
        time.sleep(seconds)
        return real(ctx)

    monkeypatch.setattr(entities, "find_entities", slow)


def _in_a_thread(fn):
    """``fn()`` run in a thread that is not the main thread (where no interval timer works)."""
    out: list = []
    worker = threading.Thread(target=lambda: out.append(fn()))
    worker.start()
    worker.join(120)
    assert out, "the thread did not finish"
    return out[0]


def test_the_time_budget_holds_outside_the_main_thread(extractor, monkeypatch):
    """A web server thread gets the budget too: the extraction stops at the next stage."""
    _slow_stage(monkeypatch, 3)
    article = Article.create("Three people were killed in Dravna on Sunday, officials said.", title="slow")
    started = time.monotonic()
    result = _in_a_thread(lambda: pipeline._safe_extract(extractor, "slow.txt", article, budget=1))
    assert result.error == "slow.txt: over the time budget of 1 s per article" and result.over_limit
    assert time.monotonic() - started < 3 + 2  # stopped after the slow stage, not at the end
    monkeypatch.undo()
    fine = _in_a_thread(lambda: pipeline._safe_extract(extractor, "fine.txt", article, budget=30))
    assert fine.error is None and fine.records[0] == article


def test_a_long_article_stops_inside_nlp_pipe_and_leaves_the_pipeline_whole(extractor):
    """The budget is checked as each sentence leaves spaCy, so a long article stops within a
    batch of its budget; a stopped ``pipe(disable=...)`` re-enables its pipes."""
    text = " ".join(f"In Dravna {i} people were killed by shelling on Sunday, officials said." for i in range(3000))
    article = Article.create(text, title="long")
    disabled = list(extractor.nlp.disabled)  # the model's own (senter)
    started = time.monotonic()
    result, left = _in_a_thread(lambda: (pipeline._safe_extract(extractor, "long.txt", article, budget=0.5),
                                         getattr(pipeline._DEADLINE, "at", None)))
    assert result.error == "long.txt: over the time budget of 0.5 s per article"
    assert time.monotonic() - started < 15  # the whole article takes minutes
    assert extractor.nlp.disabled == disabled
    assert left is None  # no deadline is left for the thread's next article


def test_over_the_sentence_limit_is_flagged_as_a_limit_not_a_failure(extractor, monkeypatch):
    monkeypatch.setattr(pipeline, "MAX_SENTENCES", 2)
    article = Article.create("One. Two. Three. Four.", title=None)
    result = pipeline._safe_extract(extractor, "four.txt", article)
    assert result.over_limit and result.error.startswith("four.txt: article has 4 sentences")
