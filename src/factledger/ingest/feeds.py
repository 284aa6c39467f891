"""RSS and Atom feeds -> ``FeedItem``s (the link, title and date of each entry).

Reads RSS 2.0 (``channel/item``), RSS 1.0/RDF (``rss:item``) and Atom (``entry``). An item's
``key`` is what identifies it across polls: RSS ``guid``, Atom ``id``, else its link. A feed
that is not well-formed XML, declares entities (refused: entity expansion is an attack
vector and no feed needs it) or is neither RSS nor Atom raises ``FeedError``; an entry
without a usable link is skipped by the reader and reported in ``Feed.problems``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from ..errors import InputError

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"


class FeedError(InputError):
    """A feed document that cannot be read."""


@dataclass(frozen=True)
class FeedItem:
    key: str
    url: str
    title: str | None = None
    published: date | None = None


@dataclass(frozen=True)
class Feed:
    title: str | None
    items: tuple[FeedItem, ...]
    problems: tuple[str, ...] = field(default=())


def parse_feed(data: bytes, *, base_url: str = "") -> Feed:
    """Parse an RSS or Atom document; relative links are resolved against ``base_url``."""
    # The whole document: a declaration after 64 kB of comments is still a declaration.
    if b"<!ENTITY" in data:
        raise FeedError("the feed declares XML entities; refused (no feed needs them)")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise FeedError(f"not well-formed XML ({exc}); is the URL a feed?") from exc
    if root.tag == f"{ATOM}feed":
        return _atom(root, base_url)
    if root.tag == "rss":
        channel = root.find("channel")
        if channel is None:
            raise FeedError("an RSS document without a <channel>")
        return _rss(channel.findtext("title"), channel.findall("item"), "", base_url)
    if root.tag.endswith("RDF"):
        channel = root.find(f"{RSS1}channel")
        title = channel.findtext(f"{RSS1}title") if channel is not None else None
        return _rss(title, root.findall(f"{RSS1}item"), RSS1, base_url)
    raise FeedError(f"neither RSS nor Atom (root element <{root.tag}>); is the URL a feed?")


def _text(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None


def _rss(title: str | None, entries: list[ET.Element], ns: str, base_url: str) -> Feed:
    items, problems = [], []
    for n, entry in enumerate(entries, 1):
        link = _text(entry.findtext(f"{ns}link"))
        guid_element = entry.find("guid")
        guid = _text(guid_element.text) if guid_element is not None else None
        permalink = guid_element is not None and guid_element.get("isPermaLink", "true") == "true"
        if not link and guid and permalink and guid.startswith(("http://", "https://")):
            link = guid
        url = _resolve(base_url, link)
        if not url:
            problems.append(f"item {n} has no link; skipped" if not link else f"item {n} has an invalid link {link!r}; skipped")
            continue
        when = _text(entry.findtext("pubDate")) or _text(entry.findtext(f"{DC}date"))
        items.append(FeedItem(guid or url, url, _text(entry.findtext(f"{ns}title")), _date(when)))
    return Feed(_text(title), tuple(items), tuple(problems))


def _atom(root: ET.Element, base_url: str) -> Feed:
    items, problems = [], []
    for n, entry in enumerate(root.findall(f"{ATOM}entry"), 1):
        links = entry.findall(f"{ATOM}link")
        chosen = [x for x in links if x.get("rel", "alternate") == "alternate" and x.get("href")]
        url = _resolve(base_url, chosen[0].get("href")) if chosen else None
        if not url:
            problems.append(f"entry {n} has an invalid link; skipped" if chosen else f"entry {n} has no link; skipped")
            continue
        when = _text(entry.findtext(f"{ATOM}published")) or _text(entry.findtext(f"{ATOM}updated"))
        key = _text(entry.findtext(f"{ATOM}id")) or url
        items.append(FeedItem(key, url, _text(entry.findtext(f"{ATOM}title")), _date(when)))
    return Feed(_text(root.findtext(f"{ATOM}title")), tuple(items), tuple(problems))


def _resolve(base_url: str, link: str | None) -> str | None:
    """``link`` made absolute against ``base_url``; None when missing or not a URL
    (``urljoin`` raises ValueError on e.g. "https://]x/", found by fuzzing)."""
    if not link:
        return None
    try:
        return urljoin(base_url, link)
    except ValueError:
        return None


def _date(value: str | None) -> date | None:
    """An RFC 822 (RSS) or ISO 8601 (Atom, Dublin Core) date; None when unreadable."""
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError, OverflowError):  # OverflowError: "10:00:6666666666666600", found by fuzzing
        pass
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None
