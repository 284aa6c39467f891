"""The report card: one table of every suite and figure, as text or as JSON-ready data."""

from __future__ import annotations

import textwrap
from typing import Any

from .gate import GateReport
from .result import Card, Miss, SuiteResult

HASH_CHARS = 12


def card_dict(card: Card, gate: GateReport | None = None, *, errors: int = 0) -> dict[str, Any]:
    """The card as plain data (what ``--json`` prints)."""
    floors = {(x.suite, x.figure): x for x in gate.lines} if gate else {}
    suites = []
    for r in card.suites:
        item: dict[str, Any] = {
            "suite": r.name, "status": r.status, "reason": r.reason or None,
            "seconds": round(r.seconds, 1), "limit": r.limit, "extraction_errors": r.extraction_errors,
            "data": [{"path": d.path, "sha256": d.sha256, "rows": d.rows} for d in r.data],
            "figures": [{"name": f.name, "value": round(f.value, 4), "n": f.n, "help": f.help,
                         **({"floor": floors[(r.name, f.name)].floor, "gate": floors[(r.name, f.name)].status}
                            if (r.name, f.name) in floors else {})} for f in r.figures],
            "tables": [{"title": t, "rows": [list(row) for row in rows]} for t, rows in r.tables],
        }
        if errors:
            item["errors"] = [miss_dict(m) for m in r.misses[:errors]]
        suites.append(item)
    out: dict[str, Any] = {"versions": card.versions, "limit": card.limit, "suites": suites}
    if gate is not None:
        out["gate"] = {"passed": gate.passed,
                       "failures": [{"suite": x.suite, "figure": x.figure, "status": x.status, "value": x.value,
                                     "floor": x.floor, "note": x.note} for x in gate.failed]}
    return out


def miss_dict(m: Miss) -> dict[str, Any]:
    return {"item": m.item, "weight": round(m.weight, 2), "text": m.text, "ours": m.ours, "gold": m.gold}


def _data_line(r: SuiteResult) -> str:
    files = "; ".join(f"{d.path} sha256:{d.sha256[:HASH_CHARS]} rows={d.rows}" for d in r.data)
    sample = f" (sample of {r.limit})" if r.limit is not None else ""
    errs = f", {r.extraction_errors} extraction errors" if r.extraction_errors else ""
    return f"{r.name}: {files}{sample}, {r.seconds:.0f} s{errs}"


def format_card(card: Card, gate: GateReport | None = None) -> str:
    """One table: suite, figure, value, n, floor, gate status; then data files and tables."""
    floors = {(x.suite, x.figure): x for x in gate.lines} if gate else {}
    header = ("suite", "figure", "value", "n", "floor", "gate")
    rows: list[tuple[str, ...]] = []
    for r in card.suites:
        if r.status != "ok":
            g = floors.get((r.name, "*"))
            rows.append((r.name, "-", r.status, "", "", g.status if g else ""))
            continue
        suite_line = floors.get((r.name, "*"))
        for f in r.figures:
            g = floors.get((r.name, f.name))
            floor = "" if g is None or g.floor is None else f"{g.floor:.4f}"
            status = g.status if g else (suite_line.status if suite_line else "")
            rows.append((r.name, f.name, f"{f.value:.4f}", str(f.n), floor, status))
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(header)]
    fmt = "  ".join(f"{{:<{w}}}" if i < 2 or i == 5 else f"{{:>{w}}}" for i, w in enumerate(widths))
    lines = [fmt.format(*header), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*row) for row in rows]
    lines.append("")
    lines.append("data:")
    for r in card.suites:
        lines.append("  " + (_data_line(r) if r.status == "ok" else f"{r.name}: {r.status}: {r.reason}"))
    for r in card.suites:
        for title, table in r.tables:
            if table:
                lines.append(f"{r.name}: {title}")
                lines.extend("  " + " | ".join(row) for row in table)
    if card.versions:
        lines.append("versions: " + ", ".join(f"{k} {v}" for k, v in card.versions.items()))
    if gate is not None:
        lines.append("")
        if gate.passed:
            lines.append("gate: passed")
        else:
            lines.append(f"gate: FAILED ({len(gate.failed)})")
            for x in gate.failed:
                value = "" if x.value is None else f" {x.value:.4f} < floor {x.floor:.4f}" if x.floor else ""
                lines.append(f"  {x.suite}.{x.figure}: {x.status}{value} {x.note}".rstrip())
    return "\n".join(lines)


def format_misses(card: Card, n: int, *, width: int = 110) -> str:
    """The ``n`` worst misses of each suite: text, ours, gold."""
    out: list[str] = []
    for r in card.suites:
        if r.status != "ok" or not r.misses:
            continue
        out.append(f"== {r.name}: {min(n, len(r.misses))} worst of {len(r.misses)} misses")
        for m in r.misses[:n]:
            out.append(f"-- {m.item} (weight {m.weight:.1f})")
            out.extend(textwrap.wrap("text: " + " ".join(m.text.split()), width, subsequent_indent="      "))
            out.extend(textwrap.wrap("ours: " + m.ours, width, subsequent_indent="      "))
            out.extend(textwrap.wrap("gold: " + m.gold, width, subsequent_indent="      "))
    return "\n".join(out)
