"""A news article carrying script injection attempts in every field the dashboard shows."""

from __future__ import annotations

from datetime import date

PAYLOAD = '<script>window.__pwned=1;alert("xss")</script>'
IMG = '<img src=x onerror="window.__pwned=2">'


def malicious_article_fields() -> dict[str, object]:
    text = (
        f"Strike on Dravna {PAYLOAD}\n\n"
        f"An air strike killed at least 12 people in Dravna on Monday, the health ministry said. {IMG}\n\n"
        f"The army denied {PAYLOAD} that it had struck the market."
    )
    return {
        "text": text,
        "title": f"Strike {PAYLOAD}",
        "source": f"Evil Wire {IMG}",
        "url": "javascript:window.__pwned=3",
        "published": date(2031, 3, 20),
    }
