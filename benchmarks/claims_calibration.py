"""Is a claim's ``confidence`` calibrated? Precision of our claims by confidence band on the
claims gold (not a unit test).

    python benchmarks/claims_calibration.py [--data ../shared/data]

A claim is correct when it matches a gold claim as the ``claims`` suite matches them (same
sentence, metric, numbers in the gold's convention and qualifier; one to one). Only the
exhaustively annotated documents (``gold/claims/articles.json``) are read, so every claim of
them is judged. Skips, with the reason, when the shared data is absent.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from factledger.evaluate import claims as suite
from factledger.evaluate.data import (
    default_data_dir,
    gold_dir,
    load_annotated_docs,
    load_cnn,
    load_gold_claims,
    load_seed,
)
from factledger.nlp.pipeline import Extractor
from factledger.records import Article, Claim

BANDS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 1.01))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="shared data folder (default ../shared/data)")
    args = parser.parse_args()
    data = args.data or default_data_dir()
    cnn_path = data / "cnn-2024" / "articles.jsonl"
    if not cnn_path.exists():
        print(f"skipped: {cnn_path} not found (../shared data is only on developer and CI machines)")
        return 0
    folder = gold_dir() / "claims"
    gold = load_gold_claims(folder)
    docs = load_annotated_docs(folder) or sorted({(g.corpus, g.path) for g in gold})
    cnn = load_cnn(cnn_path, {p for c, p in docs if c == "cnn-2024"})
    extractor = Extractor()
    judged: dict[tuple[float, float], list[bool]] = defaultdict(list)
    for corpus, path in docs:
        doc = cnn[path] if corpus == "cnn-2024" else load_seed(data / "seeds" / path)
        records = extractor.extract(Article.create(doc.text, title=doc.title, published=doc.published, path=path))
        claims = [r for r in records if isinstance(r, Claim)]
        golds = [g for g in gold if (g.corpus, g.path) == (corpus, path)]
        right = {id(c) for _, c in suite._match(claims, golds, suite.strict_match)}
        for c in claims:
            band = next(b for b in BANDS if b[0] <= c.confidence < b[1])
            judged[band].append(id(c) in right)
    print(f"{'confidence':>12}  {'claims':>6}  {'precision':>9}")
    for low, high in BANDS:
        flags = judged[(low, high)]
        share = sum(flags) / len(flags) if flags else float("nan")
        print(f"{low:.1f}-{min(high, 1.0):.1f}".rjust(12) + f"  {len(flags):6d}  {share:9.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
