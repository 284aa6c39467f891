"""The demo: ingest the bundled corpus into a ledger and build its situation report.

The corpus (``data/demo/``) is invented: see docs/ledger.md, "The demo corpus".
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .ingest.batch import IngestSummary, ingest_paths, summarise
from .outputs.report import build_report
from .resolve.summary import ledger_summary
from .store.sqlite import Ledger

if TYPE_CHECKING:
    from .nlp.pipeline import Extractor

DEMO_DIR = Path(__file__).parent / "data" / "demo"


@dataclass(frozen=True)
class DemoResult:
    summary: IngestSummary
    report: str
    ledger: str = ""


def demo_paths() -> list[Path]:
    """The files of the demo corpus, in ingest order."""
    return sorted(DEMO_DIR.glob("*.jsonl"))


def run_demo(
    *,
    db: str | os.PathLike[str] | None = None,
    processes: int = 1,
    extractor: Extractor | None = None,
) -> DemoResult:
    """Ingest the demo corpus into ``db`` (default: a temporary ledger) and report on it."""
    with tempfile.TemporaryDirectory(prefix="factledger-demo-") as tmp:
        path = db if db is not None else Path(tmp, "demo.db")
        with Ledger.open(path) as ledger:
            summary = summarise(
                ingest_paths(ledger, demo_paths(), processes=processes, extractor=extractor)
            )
            report = build_report(ledger)
            across = ledger_summary(ledger)
    return DemoResult(summary, report, across)
