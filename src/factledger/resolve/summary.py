"""A Markdown summary of the cross-article ledger (what ``factledger demo`` prints after its
report): clustered events, contradictions and denials, figure series, negotiation threads."""

from __future__ import annotations

import json
from typing import Any

from . import api
from .cli import render


def _value(v: dict[str, Any] | None) -> str | None:
    if not v:
        return None
    return v.get("text") or (f"{v['best']:g}" if v.get("best") is not None else None)


def ledger_summary(store: Any) -> str:
    """Markdown sections over the ledger's current articles."""
    events = api.clustered_events(store, min_mentions=2)
    rows = [{"date": c["date"], "type": c["sub_event_type"], "mentions": len(c["mentions"]),
             "sources": ", ".join(c["sources"]), "killed (low/best/high)": "/".join(
                 "" if c["fatalities"][k] is None else f"{c['fatalities'][k]:g}" for k in ("low", "best", "high")),
             "ACLED rule": c["fatalities"]["acled"], "first report": c["mentions"][0]["evidence"]} for c in events]
    parts = ["## Across articles", "",
             "### Events reported by several articles (`factledger events`)", "", "```",
             render(rows, list(rows[0]) if rows else ["date"], "table", None), "```", ""]
    contra = api.contradictions(store)
    rows = [{"kind": c["kind"], "metric": c["metric"] or "", "a": f"{c['a'].get('source')}: "
             f"{_value(c['a'].get('value')) or c['a'].get('evidence')}",
             "b": f"{c['b'].get('source')}: {_value(c['b'].get('value')) or c['b'].get('evidence')}"} for c in contra]
    parts += ["### Contradictions and denials (`factledger contradictions`)", "", "```",
              render(rows, ["kind", "metric", "a", "b"], "table", None), "```", ""]
    series = api.figure_series(store, "killed")
    rows = [{"source": s["source"], "population": s["population"], "scope": s["scope"], "as_of": p["as_of"],
             "value": _value(p["value"]), "outlet": p["outlet"]} for s in series for p in s["points"]]
    parts += ["### Figure series: killed (`factledger figures killed`)", "", "```",
              render(rows, ["source", "population", "scope", "as_of", "value", "outlet"], "table", None), "```", ""]
    threads = api.negotiations(store)
    rows = [{"thread": t["thread"], "status": t["status"], "statements": len(t["statements"]),
             "terms": json.dumps(t["terms"], sort_keys=True)} for t in threads]
    parts += ["### Negotiations (`factledger negotiations`)", "", "```",
              render(rows, ["thread", "status", "statements", "terms"], "table", None), "```", ""]
    return "\n".join(parts)
