"""Readers: files, directories and stdin -> ``ReadItem`` (an ``Article`` or an error).

One bad input never stops the others: every problem becomes a ``ReadItem`` with an
``error`` that names the input and says what to do. Nothing here raises for bad input.

Formats, chosen by file extension (``docs/cli.md`` documents them for users):

- ``.txt`` ``.text`` ``.md`` ``.markdown``: one article per file. The first non-empty
  line is the headline (``title``; a Markdown ``#`` is dropped from it) and
  ``Article.text`` is the whole file text, so evidence offsets are offsets into the file.
- ``.html`` ``.htm``: the main text is extracted with trafilatura; title, publication
  date (from the page metadata only, never guessed from the body), canonical URL and
  site name come from the page metadata when present. Offsets refer to the extracted text.
- ``.jsonl`` ``.ndjson``: one article per line, a JSON object with ``text`` (required),
  ``title``, ``published`` (ISO date or datetime; the date part is kept), ``url`` and
  ``source``. A bad line is an error item named ``file.jsonl:LINE``; the other lines go on.
  UTF-8 files are streamed line by line (no file size limit, memory bounded by the line).
- ``-``: one text article read from stdin (same rules as ``.txt``).

Policies (documented in docs/cli.md, "Inputs"):

- Directories are read recursively, in sorted order, skipping hidden files and
  directories and files with an unknown extension (a file named explicitly with an
  unknown extension is an error).
- A ``published`` value that is not an ISO date is an error for that article (a wrong
  date would silently shift every relative date in it): fix or drop the field, or
  pass ``--published``, which overrides per-article values.
- Encodings: UTF-8 (with or without BOM) and UTF-16/32 with a BOM are read directly;
  anything else is detected with charset-normalizer. NUL bytes without a BOM, or
  bytes no encoding explains, mean a binary file and are refused.
"""

from __future__ import annotations

import codecs
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from ..records import Article

# Largest input file read whole, in bytes. Protects memory. UTF-8 JSONL files are
# streamed line by line instead and have no size limit (see MAX_LINE_BYTES).
MAX_FILE_BYTES = 20 * 1024 * 1024
# Longest JSONL line, in bytes: JSONL files are streamed line by line (any file size),
# so this bounds the memory a JSONL file can take.
MAX_LINE_BYTES = MAX_FILE_BYTES
# Largest article, in characters: the same limit as nlp.pipeline.MAX_ARTICLE_CHARS
# (checked by tests/test_readers.py), so an article the reader accepts is never refused
# by the extractor for its size. A news article is 3-10 k characters.
MAX_ARTICLE_CHARS = 2_000_000
# How many bytes are sniffed for NUL bytes to call a file binary.
_SNIFF_BYTES = 8192

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

STDIN_NAME = "<stdin>"

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class ReadItem:
    """One input item: an article, or an error message naming the input."""

    name: str
    article: Article | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.article is not None


@dataclass(frozen=True)
class _Decoded:
    text: str | None = None
    error: str | None = None


def read_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    published: date | None = None,
    source: str | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[ReadItem]:
    """``read_path`` over several inputs, in order."""
    for path in paths:
        yield from read_path(path, published=published, source=source, stdin=stdin)


def read_path(
    path: str | os.PathLike[str],
    *,
    published: date | None = None,
    source: str | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[ReadItem]:
    """Read a file, a directory (recursively) or ``-`` (stdin) into ``ReadItem``s.

    ``published`` and ``source``, when given, override the values read from the
    input for every article. ``stdin`` is the binary stream read for ``-``
    (default ``sys.stdin.buffer``).
    """
    if str(path) == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(MAX_FILE_BYTES + 1)
        yield _from_text_bytes(STDIN_NAME, data, path=None, published=published, source=source)
        return
    p = Path(path)
    if p.is_dir():
        for file in iter_files(p):
            yield from _read_file(file, published=published, source=source)
        return
    yield from _read_file(p, published=published, source=source)


def iter_files(directory: Path) -> Iterator[Path]:
    """Files under ``directory`` that a reader handles: recursive, sorted, no hidden ones."""
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            file = Path(root, name)
            if file.suffix.lower() in SUFFIXES:
                yield file


def _read_file(path: Path, *, published: date | None, source: str | None) -> Iterator[ReadItem]:
    name = str(path)
    suffix = path.suffix.lower()
    if not path.exists():
        yield ReadItem(name, error=f"{name}: no such file or directory; check the path")
        return
    if not path.is_file():
        yield ReadItem(name, error=f"{name}: not a regular file; give a file, a directory or -")
        return
    if suffix not in SUFFIXES:
        known = " ".join(sorted(SUFFIXES))
        yield ReadItem(
            name,
            error=f"{name}: unknown file type {suffix or '(no extension)'!r}; "
            f"factledger reads {known} (rename the file if it is one of these)",
        )
        return
    size = path.stat().st_size
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl_file(path, size, published=published, source=source)
        return
    if size > MAX_FILE_BYTES:
        yield ReadItem(name, error=_too_big(name, size))
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield ReadItem(name, error=_cannot_read(name, exc))
        return
    if suffix in HTML_SUFFIXES:
        yield _from_html_bytes(name, data, published=published, source=source)
    else:
        yield _from_text_bytes(name, data, path=name, published=published, source=source)


def _cannot_read(name: str, exc: OSError) -> str:
    return f"{name}: cannot read: {exc.strerror or exc}; check permissions"


def _too_big(name: str, size: int) -> str:
    return (
        f"{name}: {size:,} bytes is over the limit of {MAX_FILE_BYTES:,} bytes per file; "
        "split it into smaller files"
    )


def decode_bytes(name: str, data: bytes) -> _Decoded:
    """Bytes -> text: BOMs first, then strict UTF-8, then charset-normalizer."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _Decoded(text=data.decode(encoding).lstrip("\ufeff"))
            except UnicodeDecodeError as exc:
                return _Decoded(error=f"{name}: starts with a {encoding} byte-order mark but is not "
                                f"valid {encoding} ({exc.reason} at byte {exc.start}); re-save it as UTF-8")
    if b"\x00" in data[:_SNIFF_BYTES]:
        return _Decoded(
            error=f"{name}: looks like a binary file (contains NUL bytes); give a text, HTML or "
            "JSONL file (UTF-16 text needs a byte-order mark, or re-save it as UTF-8)"
        )
    try:
        return _Decoded(text=data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return _Decoded(
            error=f"{name}: not text in any encoding factledger can detect (binary file?); "
            "re-save it as UTF-8"
        )
    return _Decoded(text=str(best))


def _check_text(name: str, text: str) -> str | None:
    """The error for an unusable article text, or None."""
    if not text.strip():
        return f"{name}: empty (no text); remove it or add the article text"
    if len(text) > MAX_ARTICLE_CHARS:
        return (
            f"{name}: {len(text):,} characters is over the limit of {MAX_ARTICLE_CHARS:,} per article; "
            "split it into articles"
        )
    if "\x00" in text:
        return f"{name}: contains NUL characters (binary data?); give plain text"
    return None


def _title_of(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line.lstrip("#").strip() or None
    return None


def _from_text_bytes(
    name: str, data: bytes, *, path: str | None, published: date | None, source: str | None
) -> ReadItem:
    if len(data) > MAX_FILE_BYTES:
        return ReadItem(name, error=_too_big(name, len(data)))
    decoded = decode_bytes(name, data)
    if decoded.text is None:
        return ReadItem(name, error=decoded.error)
    text = decoded.text
    problem = _check_text(name, text)
    if problem:
        return ReadItem(name, error=problem)
    article = Article.create(text, title=_title_of(text), published=published, source=source, path=path)
    return ReadItem(name, article=article)


def read_page(
    name: str, data: bytes, *, html: bool, published: date | None = None, source: str | None = None
) -> ReadItem:
    """A fetched page (``html``: main text by trafilatura, else plain text) as a ``ReadItem``."""
    if len(data) > MAX_FILE_BYTES:
        return ReadItem(name, error=_too_big(name, len(data)))
    if html:
        return _from_html_bytes(name, data, published=published, source=source)
    return _from_text_bytes(name, data, path=None, published=published, source=source)


def _from_html_bytes(name: str, data: bytes, *, published: date | None, source: str | None) -> ReadItem:
    decoded = decode_bytes(name, data)
    if decoded.text is None:
        return ReadItem(name, error=decoded.error)
    if not decoded.text.strip():
        return ReadItem(name, error=f"{name}: empty (no text); remove it or add the article text")
    import trafilatura

    doc = trafilatura.bare_extraction(
        decoded.text,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        return ReadItem(
            name,
            error=f"{name}: no main text found in the HTML page; save the article text as .txt instead",
        )
    problem = _check_text(name, text)
    if problem:
        return ReadItem(name, error=problem)
    page_date = _parse_date(getattr(doc, "date", None)) if published is None else None
    article = Article.create(
        text,
        title=getattr(doc, "title", None) or _title_of(text),
        published=published or (page_date if isinstance(page_date, date) else None),
        source=source or getattr(doc, "sitename", None),
        url=getattr(doc, "url", None),
        path=name,
    )
    return ReadItem(name, article=article)


def _parse_date(value: object) -> date | str | None:
    """An ISO date or datetime -> date; None for missing; an error message (str) otherwise."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return f"{value!r} is not a date string"
    raw = value.strip()
    try:
        if len(raw) == 10:
            return date.fromisoformat(raw)
        return datetime.fromisoformat(raw).date()
    except ValueError:
        return f"{value!r} is not an ISO date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)"


def parse_published(value: str) -> date:
    """Parse a ``--published`` value; raises ValueError with a message for a bad one."""
    parsed = _parse_date(value)
    if not isinstance(parsed, date):
        raise ValueError(parsed or "empty date")
    return parsed


_JSONL_STR_FIELDS = ("title", "url", "source")


def _from_jsonl_bytes(
    name: str, data: bytes, *, published: date | None, source: str | None
) -> Iterator[ReadItem]:
    decoded = decode_bytes(name, data)
    if decoded.text is None:
        yield ReadItem(name, error=decoded.error)
        return
    if not decoded.text.strip():
        yield ReadItem(name, error=f"{name}: empty (no lines); remove it or add one JSON object per line")
        return
    # Lines end at "\n" only: str.splitlines() would also cut at U+2028, U+0085, ...,
    # which JSON allows raw inside strings (json.dumps(..., ensure_ascii=False) writes them).
    for lineno, line in enumerate(decoded.text.split("\n"), start=1):
        if line.strip():
            yield _from_jsonl_line(f"{name}:{lineno}", line, published=published, source=source)


def _read_jsonl_file(path: Path, size: int, *, published: date | None, source: str | None) -> Iterator[ReadItem]:
    """A JSONL file, streamed line by line when it is UTF-8 (as JSON Lines are), so memory is
    bounded by the longest line (``MAX_LINE_BYTES``), not by the file, and a file has no size
    limit. A file in another encoding (a UTF-16/32 byte-order mark, or its first
    ``_SNIFF_BYTES`` not UTF-8) or with NUL bytes is read whole, up to ``MAX_FILE_BYTES``."""
    name = str(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
            if not _streamable(head):
                if size > MAX_FILE_BYTES:
                    yield ReadItem(name, error=_too_big(name, size))
                    return
                yield from _from_jsonl_bytes(name, head + fh.read(), published=published, source=source)
                return
            fh.seek(0)
            yield from _stream_jsonl(name, fh, published=published, source=source)
    except OSError as exc:
        yield ReadItem(name, error=_cannot_read(name, exc))


def _streamable(head: bytes) -> bool:
    """Whether a file starting with ``head`` can be decoded line by line as UTF-8."""
    if any(head.startswith(bom) for bom, _ in _BOMS if bom != codecs.BOM_UTF8) or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # only a character cut at the end of the sniffed bytes
    return True


def _stream_jsonl(name: str, fh: BinaryIO, *, published: date | None, source: str | None) -> Iterator[ReadItem]:
    seen_text = False
    lineno = 0
    while True:
        raw = fh.readline(MAX_LINE_BYTES + 1)
        if not raw:
            break
        lineno += 1
        item_name = f"{name}:{lineno}"
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := fh.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass  # skip the rest of the line without holding it
            yield ReadItem(item_name, error=f"{item_name}: line over the limit of {MAX_LINE_BYTES:,} bytes; "
                           "split the article or shorten the line")
            continue
        if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            decoded = decode_bytes(item_name, raw)
            if decoded.text is None:
                yield ReadItem(item_name, error=decoded.error)
                continue
            line = decoded.text
        if line.strip():
            seen_text = True
            yield _from_jsonl_line(item_name, line, published=published, source=source)
    if not seen_text:
        yield ReadItem(name, error=f"{name}: empty (no lines); remove it or add one JSON object per line")


def _from_jsonl_line(name: str, line: str, *, published: date | None, source: str | None) -> ReadItem:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return ReadItem(name, error=f"{name}: not valid JSON ({exc.msg} at column {exc.colno}); "
                        "each line must be one JSON object")
    if not isinstance(obj, dict):
        return ReadItem(name, error=f"{name}: a JSON {type(obj).__name__}, not an object; "
                        'each line must be an object like {"text": "..."}')
    text = obj.get("text")
    if not isinstance(text, str):
        return ReadItem(name, error=f"{name}: no \"text\" string; each line needs the article text "
                        'in "text"')
    for key in _JSONL_STR_FIELDS:
        if obj.get(key) is not None and not isinstance(obj[key], str):
            return ReadItem(name, error=f"{name}: \"{key}\" must be a string, not {obj[key]!r}")
    problem = _check_text(name, text)
    if problem:
        return ReadItem(name, error=problem)
    if published is None:
        when = _parse_date(obj.get("published"))
        if isinstance(when, str):
            return ReadItem(name, error=f"{name}: \"published\" {when}; fix or remove it, "
                            "or give --published")
        published = when
    article = Article.create(
        text,
        title=obj.get("title") or _title_of(text),
        published=published,
        source=source or obj.get("source"),
        url=obj.get("url"),
        path=name,
    )
    return ReadItem(name, article=article)
