"""README and CONTRIBUTING stay true: their counts equal the package's, their example IDs resolve."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from scripts import vocab
from scripts.citation_file import cited_release
from scripts.package import released_versions
from tests.helpers import read_csv

ROOT = vocab.ROOT
README = (ROOT / "README.md").read_text(encoding="utf-8")
CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
CLAUSES = read_csv(ROOT / "datapackage/data/clauses.csv")
DOCUMENTS = read_csv(ROOT / "datapackage/data/documents.csv")
#: Plural of each kind as the README writes it.
PLURAL = {
    "preamble": "preambles",
    "part": "parts",
    "section": "sections",
    "item": "items",
    "article": "articles",
    "bullet": "bullets",
    "box": "boxes",
    "paragraph": "paragraphs",
    "footnote": "footnotes",
}
RANKS = {
    "law": "laws",
    "administrative-regulation": "administrative regulations",
    "departmental-rule": "departmental rules",
    "local-regulation": "local regulations",
    "normative-document": "normative documents",
    "plan": "plans",
}


def counted(text: str, plural: str) -> int:
    """The number the README writes before a noun (plural, or singular for 1), 0 when absent."""
    singular = plural[:-2] if plural.endswith("xes") else plural[:-1]
    m = re.search(rf"(\d[\d,]*)\s+(?:{plural}|{singular})\b", text)
    return int(m.group(1).replace(",", "")) if m else 0


def current_counts() -> str:
    start = README.index("Current counts:")
    return README[start : README.index("\n\n", start)].replace("\n", " ")


def test_readme_counts_equal_the_package() -> None:
    line = current_counts()
    assert counted(line, "documents") == len(DOCUMENTS)
    assert counted(line, "clauses") == len(CLAUSES)
    kinds = Counter(c["kind"] for c in CLAUSES)
    for kind, plural in PLURAL.items():
        assert counted(line, plural) == kinds[kind], kind
    ranks = Counter(d["legal_rank"] for d in DOCUMENTS)
    for rank, plural in RANKS.items():
        assert counted(line, plural) == ranks[rank], rank


ID_RE = re.compile(r"`?((?:[a-z][a-z0-9]*-)+[0-9]{4}(?:-[a-z0-9]+)*\.(?:art|ch|bk)[0-9][a-z0-9.\-]*)`?")


@pytest.mark.parametrize("name", ["README.md", "CONTRIBUTING.md"])
def test_legal_clause_ids_in_the_docs_exist_with_their_citation(name: str) -> None:
    """Every legal clause ID the page shows exists; where a table gives its citation, the citation is right."""
    text = (ROOT / name).read_text(encoding="utf-8")
    by_id = {c["id"]: c for c in CLAUSES}
    example = "illegal-fundraising-2021"  # CONTRIBUTING's worked example, not (yet) in the data
    ids = {i.rstrip(".") for i in ID_RE.findall(text) if not i.startswith(example)}
    assert ids, name
    for cid in ids:
        assert cid in by_id, f"{name} cites {cid}, which is not a clause"
    for cid, numbering in re.findall(r"\| `([^`]+)` \| `([^`]+)` \|", text):
        if cid in by_id:
            assert by_id[cid]["numbering"] == numbering, cid


def test_contributing_git_add_list_names_what_a_contribution_changes() -> None:
    block = CONTRIBUTING[CONTRIBUTING.index("git add ") :]
    block = block[: block.index("git commit")]
    for path in (
        "datapackage/data",
        "datapackage.json",
        "schemas",
        "datapackage/vocab/jurisdictions.csv",
        "datapackage/sources/repairs.csv",
        "tests/golden/",
    ):
        assert path in block, path
    assert "scripts/vocab.py" not in block
    for path in (
        "datapackage/data",
        "schemas",
        "datapackage/vocab/jurisdictions.csv",
        "datapackage/sources/repairs.csv",
        "tests/golden",
    ):
        assert (ROOT / path).exists(), path


def test_contributing_example_record_has_every_metadata_field() -> None:
    from scripts.sources import DocumentMeta

    start = CONTRIBUTING.index('```json\n{\n  "id": "illegal-fundraising-2021"')
    record = CONTRIBUTING[start + len("```json\n") : CONTRIBUTING.index("```", start + 8)]
    fields = set(re.findall(r'^  "([a-z_0-9]+)":', record, re.M))
    assert fields == set(DocumentMeta.__struct_fields__)
    assert Path(ROOT / "datapackage/sources").is_dir()


def test_citation_file_names_the_latest_release_and_its_date() -> None:
    latest = released_versions(ROOT)[-1]
    info = json.loads((ROOT / "releases" / latest / "release.json").read_text(encoding="utf-8"))
    assert cited_release((ROOT / "CITATION.cff").read_text(encoding="utf-8")) == (latest, info["date"])
