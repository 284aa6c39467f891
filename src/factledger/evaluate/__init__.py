"""Scorers against gold data, the report card and the evaluation gate.

``evaluate(["acled", "plover"], limit=50)`` returns a ``Card``; ``gate.check(card, baseline)``
compares it with the floors in ``eval/baseline.json``. The CLI is ``factledger evaluate``
(``factledger.evaluate.cli.evaluate_command``). See docs/evaluation.md.
"""

from .result import Card, DataFile, Figure, Miss, SuiteResult
from .run import SUITE_NAMES, evaluate

__all__ = ["Card", "DataFile", "Figure", "Miss", "SUITE_NAMES", "SuiteResult", "evaluate"]
