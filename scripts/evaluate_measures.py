"""Score the measure extractor against the gold list: ``python -m scripts.evaluate_measures [--errors]``.

The gold list (``tests/fixtures/measures_gold.csv``) holds every measure of the labelled documents,
written by reading them; the labelled documents are listed in ``LABELLED``. Precision and recall are
computed per kind on those documents only, on the clauses of ``datapackage/data/clauses.csv``: a row
matches when clause, kind, value, upper bound, unit and span are all equal.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path

from scripts import vocab
from scripts.measures import extract_measures

GOLD = vocab.ROOT / "tests" / "fixtures" / "measures_gold.csv"
CLAUSES = vocab.ROOT / "datapackage" / "data" / "clauses.csv"
#: Documents whose every measure is in the gold list; deposit-insurance-2015 and sme-payment-2025 were
#: labelled before the extractor was run on them (held out; 12 of 16 right before the rules were changed).
LABELLED = frozenset(
    {
        "chongqing-2020",
        "pboc-2019",
        "qingdao-2021",
        "shanghai-2019",
        "shenzhen-2023",
        "nonbank-payment-2023",
        "credit-reporting-2013",
        "aml-law-2024",
        "shanghai-local-finance-supervision-2020",
        "deposit-insurance-2015",
        "sme-payment-2025",
    }
)
Key = tuple[str, str, str, str, str, str]


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def key(row: dict) -> Key:
    return (row["clause_id"], row["kind"], str(row["value"]), str(row["value_max"]), row["unit"], row["text"])


def document_of(clause_id: str) -> str:
    return clause_id.split(".", 1)[0]


def scored(clauses: list[dict[str, str]], gold: list[dict[str, str]]) -> tuple[Counter[Key], Counter[Key]]:
    """Predicted and expected rows on the labelled documents the clauses hold."""
    present = {c["document_id"] for c in clauses} & LABELLED
    predicted = Counter(key(m) for m in extract_measures(clauses) if document_of(m["clause_id"]) in present)
    return predicted, Counter(key(g) for g in gold if document_of(g["clause_id"]) in present)


def per_kind(predicted: Counter[Key], expected: Counter[Key]) -> dict[str, tuple[int, int, int]]:
    """kind → (hits, predicted, expected)."""
    table: dict[str, tuple[int, int, int]] = {}
    for kind in vocab.MEASURE_KINDS:
        p = Counter({k: n for k, n in predicted.items() if k[1] == kind})
        e = Counter({k: n for k, n in expected.items() if k[1] == kind})
        table[kind] = (sum((p & e).values()), sum(p.values()), sum(e.values()))
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list the rows that do not match")
    args = parser.parse_args()
    predicted, expected = scored(read(CLAUSES), read(GOLD))
    print(f"{'kind':15} {'precision':>9} {'recall':>7}  hits/predicted/gold")
    for kind, (hits, p, e) in per_kind(predicted, expected).items():
        prec = f"{hits / p:.3f}" if p else "-"
        rec = f"{hits / e:.3f}" if e else "-"
        print(f"{kind:15} {prec:>9} {rec:>7}  {hits}/{p}/{e}")
    hits = sum((predicted & expected).values())
    print(
        f"{'all':15} {hits / max(1, sum(predicted.values())):>9.3f} {hits / max(1, sum(expected.values())):>7.3f}"
        f"  {hits}/{sum(predicted.values())}/{sum(expected.values())}"
    )
    if args.errors:
        for row in sorted((predicted - expected).elements()):
            print("spurious:", *row)
        for row in sorted((expected - predicted).elements()):
            print("missed:  ", *row)


if __name__ == "__main__":
    main()
