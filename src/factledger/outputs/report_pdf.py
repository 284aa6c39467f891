"""The situation report as PDF, drawn with fpdf2 (pure Python: no browser, no system tools).

Fonts: DejaVu Sans from the system when found (every character of the articles shows);
otherwise fpdf2's built-in Helvetica, with text reduced to Latin-1 ("?" for the rest).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .charts import ChartLayout
from .report import format_number

Row = dict[str, Any]
PAGE_WIDTH_MM = 180  # A4 minus margins
GREY = (107, 114, 128)
INK = (29, 35, 39)
ACCENT = (165, 15, 21)


def _hex(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def build_pdf(data: Row, *, font_dirs: Iterable[Path]) -> bytes:
    try:
        from fpdf import FPDF
    except ImportError as exc:
        from .export import ExportError

        raise ExportError("PDF reports need fpdf2: pip install 'factledger[pdf]'") from exc

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(data["title"])
    pdf.set_creator(f"factledger {data['version']}")
    family, unicode_ok = _fonts(pdf, font_dirs)

    def text(value: object) -> str:
        s = " ".join(str(value).split())
        return s if unicode_ok else s.encode("latin-1", "replace").decode("latin-1")

    def para(value: object, *, size: float = 9.5, style: str = "", color: tuple[int, int, int] = INK,
             link: str | None = None, indent: float = 0) -> None:
        pdf.set_font(family, style, size)
        pdf.set_text_color(*color)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(PAGE_WIDTH_MM - indent, size * 0.5, text(value), link=link or "", align="L",
                       new_x="LMARGIN", new_y="NEXT")

    def heading(value: str) -> None:
        pdf.ln(2)
        para(value, size=13, style="B")
        pdf.set_draw_color(220, 220, 220)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + PAGE_WIDTH_MM, pdf.get_y())
        pdf.ln(1.5)

    def cite(row: Row) -> tuple[str, str | None]:
        url = row.get("url")
        url = url if isinstance(url, str) and url.startswith(("http://", "https://")) else None
        return f"{row.get('outlet') or 'unknown outlet'}, {row.get('published') or 'undated'}", url

    pdf.add_page()
    para(data["title"], size=18, style="B")
    span = f", published {data['published'][0]} to {data['published'][1]}" if data["published"] else ""
    para(f"Built {data['generated']} by factledger {data['version']} from {data['articles']} article(s){span}; "
         f"scope: {data['scope']}. Figures are given as each source states them and are not reconciled; "
         f"claims with confidence below {data['min_confidence']:g} are left out.", size=8.5, color=GREY)

    heading("Key figures")
    if not data["key_figures"]:
        para("No figures found.", color=GREY)
    for kf in data["key_figures"]:
        rng = format_number(kf["low"]) if kf["low"] == kf["high"] else f"{format_number(kf['low'])}–{format_number(kf['high'])}"
        para(f"{kf['metric'].replace('_', ' ').capitalize()}: {rng}  "
             f"({'running totals' if kf['scope'] == 'cumulative' else 'as reported'})", size=11, style="B",
             color=ACCENT)
        for f in kf["figures"]:
            hedges = f" [{', '.join(h.replace('_', ' ') for h in f['hedges'])}]" if f["hedges"] else ""
            as_of = f", as of {f['as_of']}" if f["as_of"] else ""
            label, url = cite(f)
            para(f"• {f['value_text'] or format_number(f['best'])} {f['subject'] or ''} — {f['source']}{as_of}{hedges}",
                 indent=3)
            para(f"“{f['evidence']}” — {label}", size=8, color=GREY, link=url, indent=7)
    for chart in data["charts"]:
        _draw_chart(pdf, chart, family, text)

    heading(f"New events ({data['events_total']})")
    if data["events_total"] > len(data["events"]):
        para(f"The newest {len(data['events'])} are listed.", size=8, color=GREY)
    if not data["events"]:
        para("No events found.", color=GREY)
    for e in data["events"]:
        actors = " → ".join(a for a in (e["actor1"], e["actor2"]) if a)
        bits = [e["date"] or "undated", e["sub_event_type"], e["place"] or "not located", actors,
                f"killed: {e['fatalities_text']}" if e["fatalities_text"] else "",
                e["modality"] if e["modality"] not in (None, "asserted") else ""]
        para(" — ".join(b for b in bits if b), style="B", size=9)
        label, url = cite(e)
        para(f"“{e['evidence']}” — {label}", size=8, color=GREY, link=url, indent=4)

    for group, title in (("killed", "People killed"), ("detained", "People detained")):
        heading(title)
        if not data[group]:
            para("None named.", color=GREY)
        for p in data[group]:
            roles = f", {'; '.join(p['roles'])}" if p["roles"] else ""
            entries = "; ".join(f"{x['status']}{' ' + x['date'] if x['date'] else ''} ({cite(x)[0]})" for x in p["entries"])
            para(f"• {p['name']}{roles} — {entries}")

    heading(f"Contradictions and denials ({data['contradictions_total']})")
    if not data["contradictions"]:
        para("None found.", color=GREY)
    for s in data["contradictions"]:
        label, url = cite(s)
        para(f"• {s['speaker']} {s['stance']}: “{s['proposition']}”")
        para(f"“{s['evidence']}” — {label}", size=8, color=GREY, link=url, indent=4)
    return bytes(pdf.output())


def _fonts(pdf: Any, font_dirs: Iterable[Path]) -> tuple[str, bool]:
    """Register DejaVu Sans when the system has it: (family, whether any Unicode shows)."""
    for folder in font_dirs:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            pdf.add_font("DejaVu", "", str(regular))
            pdf.add_font("DejaVu", "B", str(bold))
            return "DejaVu", True
    return "Helvetica", False


def _draw_chart(pdf: Any, chart: ChartLayout, family: str, text: Any) -> None:
    """Draw a chart layout (pixels) scaled to the page width (mm)."""
    scale = PAGE_WIDTH_MM / chart.width
    height = chart.height * scale
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()
    ox, oy = pdf.l_margin, pdf.get_y() + 2

    def pt(x: float, y: float) -> tuple[float, float]:
        return ox + x * scale, oy + y * scale

    x0, y0, x1, y1 = chart.plot
    pdf.set_font(family, "B", 9)
    pdf.set_text_color(*INK)
    pdf.text(*pt(x0, 14), text(chart.title))
    pdf.set_font(family, "", 7)
    pdf.set_draw_color(229, 231, 235)
    pdf.set_line_width(0.2)
    for y, label in chart.y_ticks:
        pdf.line(*pt(x0, y), *pt(x1, y))
        pdf.text(ox + 2, pt(0, y + 3)[1], text(label))
    for x, label in chart.x_ticks:
        pdf.text(pt(x, 0)[0] - 8, pt(0, y1 + 14)[1], text(label))
    pdf.set_draw_color(85, 85, 85)
    pdf.line(*pt(x0, y1), *pt(x1, y1))
    pdf.line(*pt(x0, y0), *pt(x0, y1))
    for i, line in enumerate(chart.lines):
        color = _hex(line.color)
        pdf.set_draw_color(*color)
        pdf.set_fill_color(*color)
        pdf.set_line_width(0.6)
        for a, b in zip(line.points, line.points[1:], strict=False):
            pdf.line(*pt(*a), *pt(*b))
        for (x, y), hedged in zip(line.points, line.hedged, strict=True):
            cx, cy = pt(x, y)
            if hedged:
                pdf.polygon([(cx, cy - 1.4), (cx + 1.4, cy + 1.1), (cx - 1.4, cy + 1.1)], style="F")
            else:
                pdf.circle(x=cx, y=cy, radius=1.0, style="F")
        lx, ly = pt(x1 - 150, y0 + 12 * i)
        pdf.rect(lx, ly - 2, 2, 2, style="F")
        pdf.set_text_color(*INK)
        pdf.text(lx + 3, ly, text(line.label[:28]))
    pdf.set_line_width(0.2)
    pdf.set_y(oy + height + 2)
