"""The validate command: the real package passes, and every broken contribution is reported exactly.

Each directory of ``tests/fixtures/broken/`` is one kind of mistake. Its
``case.json`` says how to make the scratch repository (the small regulation in
``broken/base`` built into a package, optionally released as 1.0.0, then the
mistake: files copied from ``files/``, files deleted, the build run again as a
contributor would, generated files edited by hand) and the exact errors the
validation (or the release command) reports.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from scripts import vocab
from scripts.build import BuildError, build, publish
from scripts.checks.debris import GLUED_DIGIT_RE, find_debris
from scripts.checks.labels import expected_segment, parse_label
from scripts.errata import ErrataError, Erratum, apply_errata, load_errata
from scripts.package import current_version
from scripts.release import ReleaseError, release
from scripts.sources import SourceError, load_meta
from scripts.validate import CHECKS, main, validate

FIXTURES = Path(__file__).parent / "fixtures" / "broken"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "case.json").is_file())
SOURCES = Path("datapackage/sources")
RELEASE_DATE = "2024-06-01"

#: A small deterministic tagger, so the scratch packages do not depend on the tagging rules and curation.
WORDS = (("消费者", "consumer-protection"), ("监管", "regulation"), ("风险", "risk-management"))


def fake_tags(clauses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    order = {slug: i for i, slug in enumerate(vocab.topic_slugs())}
    rows: list[dict[str, Any]] = []
    for clause in clauses:
        text = clause["heading"] + clause["text"]
        tags = sorted({slug for word, slug in WORDS if word in text}, key=order.__getitem__)
        clause["topics"] = tags
        rows += [
            {
                "clause_id": clause["id"],
                "topic": t,
                "source": f"rule:{t}",
                "matched": "|".join(w for w, s in WORDS if s == t),
            }
            for t in tags
        ]
    return rows


@pytest.fixture
def fake_tagger(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tag scratch packages with ``fake_tags`` (the real package keeps the real tagger)."""
    monkeypatch.setattr("scripts.build.tag_clauses", fake_tags)


def rebuild(root: Path) -> None:
    publish(build(root, root / SOURCES, version=current_version(root)), root)


def scratch(tmp_path: Path, name: str) -> tuple[Path, dict[str, Any]]:
    """The scratch repository of one broken-contribution case."""
    case = json.loads((FIXTURES / name / "case.json").read_text(encoding="utf-8"))
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "base", root)
    rebuild(root)
    if "release" in case:
        release(case["release"], root, date=RELEASE_DATE)
    for rel in case.get("delete", []):
        (root / rel).unlink()
    files = FIXTURES / name / "files"
    if files.is_dir():
        for src in sorted(files.rglob("*")):
            if src.is_file():
                target = root / src.relative_to(files)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, target)
    if case.get("build"):
        with contextlib.suppress(BuildError):  # as for a contributor: a failed build leaves the package as it was
            rebuild(root)
    for edit in case.get("edit", []):
        path = root / edit["file"]
        text = path.read_text(encoding="utf-8")
        assert text.count(edit["old"]) == 1, edit
        path.write_text(text.replace(edit["old"], edit["new"]), encoding="utf-8", newline="\n")
    for drop in case.get("delete_rows", []):
        path = root / drop["file"]
        lines = path.read_text(encoding="utf-8").split("\n")
        kept = [line for line in lines if not line.startswith(drop["id"] + ",")]
        assert len(kept) == len(lines) - 1, drop
        path.write_text("\n".join(kept), encoding="utf-8", newline="\n")
    return root, case


def test_there_are_at_least_15_kinds_of_mistake() -> None:
    assert len(CASES) >= 15
    for name in CASES:
        case = json.loads((FIXTURES / name / "case.json").read_text(encoding="utf-8"))
        assert case["mistake"] and case["expected"], name


@pytest.mark.usefixtures("fake_tagger")
def test_the_base_fixture_is_valid(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "base", root)
    rebuild(root)
    report = validate(root)
    assert [p.text() for p in report.problems] == []
    assert report.counts == {"documents": 1, "clauses": 15, "tags": 5}


@pytest.mark.parametrize("name", CASES)
@pytest.mark.usefixtures("fake_tagger")
def test_broken_contribution_is_reported_exactly(name: str, tmp_path: Path) -> None:
    root, case = scratch(tmp_path, name)
    command = case.get("command", ["validate"])
    if command[0] == "release":
        with pytest.raises(ReleaseError) as err:
            release(command[1], root, date=RELEASE_DATE)
        assert [str(err.value)] == case["expected"]
        assert not (root / "releases" / command[1]).exists()
        return
    report = validate(root)
    assert [p.text() for p in report.problems] == case["expected"]
    for problem in report.problems:
        assert problem.file and problem.fix, problem
    # the same errors as JSON, for CI annotations; a non-zero exit status
    assert main([str(root), "--json"]) == 1


@pytest.mark.usefixtures("fake_tagger")
def test_json_report_names_file_row_field_and_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = scratch(tmp_path, "missing-parent")
    assert main([str(root), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    first = data["errors"][0]
    assert {k: first[k] for k in ("check", "file", "row", "line", "field")} == {
        "check": "rebuild",
        "file": "datapackage/data/clauses.csv",
        "row": 12,
        "line": 12,
        "field": "id",
    }
    assert first["fix"].startswith("run `python -m scripts.build`")
    assert {c["name"] for c in data["checks"]} == {c.name for c in CHECKS}


@pytest.mark.usefixtures("fake_tagger")
def test_github_annotations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = scratch(tmp_path, "unknown-city")
    assert main([str(root), "--github"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("::error file=datapackage/sources/demo-2024.json,line=1,title=validate metadata::")


@pytest.mark.usefixtures("fake_tagger")
def test_validation_never_writes(tmp_path: Path) -> None:
    root, _ = scratch(tmp_path, "missing-parent")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    validate(root)
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert before == after


@pytest.mark.usefixtures("fake_tagger")
def test_a_release_directory_validates_on_its_own(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "base", root)
    rebuild(root)
    release("1.0.0", root, date=RELEASE_DATE)
    report = validate(root / "releases" / "1.0.0")
    assert report.ok, [p.text() for p in report.problems]
    assert report.checks["rebuild"].status == "skipped"
    assert validate(root).ok


@pytest.mark.usefixtures("fake_tagger")
def test_retired_id_is_accepted_but_never_reused(tmp_path: Path) -> None:
    root, _ = scratch(tmp_path, "released-id-removed")
    (root / "datapackage/retired.csv").write_text(
        "clause_id,reason,replaced_by\ndemo-2024.art6.2,the definition moved to the annex,\n", encoding="utf-8"
    )
    assert validate(root).ok
    meta = root / "datapackage/sources/demo-2024.json"
    record = json.loads(meta.read_text(encoding="utf-8"))
    record["body"]["end"] += 1
    meta.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    rebuild(root)
    assert [p.text() for p in validate(root).problems] == [
        "datapackage/retired.csv:2: field `clause_id`: demo-2024.art6.2 is retired but the package has a clause "
        "with this ID again (clauses.csv row 16) [releases/reused, row 2]\n"
        "  how to fix: a retired ID is never reused: give the document a new document ID (e.g. with a -v2 suffix) "
        "if its structure changed, or remove the line if the clause is back unchanged"
    ]


# -- the real package ---------------------------------------------------------------------------------


def test_the_committed_package_validates() -> None:
    report = validate(vocab.ROOT)
    assert [p.text() for p in report.problems] == []
    assert report.checks["rebuild"].status == "ok" and report.checks["frictionless"].status == "ok"


def test_hand_edited_text_in_the_real_package_is_debris_and_stale(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    for rel in ("datapackage", "schemas", "datapackage.json"):
        src = vocab.ROOT / rel
        if src.is_dir():
            shutil.copytree(src, root / rel)
        else:
            shutil.copyfile(src, root / rel)
    shutil.rmtree(root / "datapackage" / "sources")  # a package without sources: data checks only
    path = root / "datapackage/data/clauses.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    i = next(k for k, r in enumerate(rows) if r[0] == "qingdao-2021.2.4")
    rows[i][8] = rows[i][8].replace("金融", "**金融**", 1)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    problems = validate(root, skip={"releases"}).problems
    assert [(p.check, p.row, p.field) for p in problems] == [("debris", i + 1, "text")]
    assert problems[0].message == "markdown mark in qingdao-2021.2.4: '**金融**'"


# -- helpers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "parsed"),
    [
        ("第三章", ("第N章", 3)),
        ("（四）", ("（N）", 4)),
        ("二十七", ("N", 27)),
        ("12", ("D", 12)),
        ("（3）", ("（D）", 3)),
        ("②", ("R", 2)),
        ("第十二条", ("第N条", 12)),
        ("¶1", None),
        ("（四", None),
        ("第三", None),
    ],
)
def test_parse_label(label: str, parsed: tuple[str, int] | None) -> None:
    assert parse_label(label) == parsed


def test_expected_segment() -> None:
    assert expected_segment("item", "（四）") == "4"
    assert expected_segment("paragraph", "¶2") == "p2"
    assert expected_segment("bullet", "•3") == "b3"
    assert expected_segment("box", "专栏1") == "box1"
    assert expected_segment("footnote", "注1") == "fn1"
    assert expected_segment("preamble", "前言") == "preamble"
    assert expected_segment("paragraph", "•2") is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("金融科技是技术驱动的金融创新1，旨在", ("digit glued after a word", "'动的金融创新1，'")),
        ("详见专栏1：湾区国际金融科技城。", None),
        ("第1、2项所列机构。", None),
        ("打造市南5G数字街区。", None),
        ("中共中央 国务院关于支持深圳建设。", None),
        ("Hong Kong-Shenzhen-Macau FinTech", None),
        ("金融 FinTech 发展", ("whitespace inside Chinese text", "'金融 FinTech'")),
        ("推进[bookmark: _Toc1]数字化", ("Word bookmark mark", "'[bookmark: _Toc1]'")),
        ("## 总体要求", ("markdown mark", "'## '")),
        ("第一段。\n\n第二段。", ("empty paragraph", "'第一段。\\n\\n第二段。'")),
    ],
)
def test_find_debris(text: str, found: tuple[str, str] | None) -> None:
    assert find_debris(text) == found


def test_glued_digit_regex_matches_the_footnote_reference_of_the_pboc_plan() -> None:
    assert GLUED_DIGIT_RE.search("技术驱动的金融创新1，旨在")


def test_pipeline_errors_are_typed(tmp_path: Path) -> None:
    """A metadata record without a field: the error names file and field, what is wrong and the fix."""
    path = tmp_path / "x.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(SourceError) as err:
        load_meta(path)
    e = err.value
    assert (e.field, e.message) == ("id", "the record has no `id`")
    assert e.fix.startswith("add `id` to the record")
    assert str(err.value) == f"{e.file}: field `id`: the record has no `id`\n  how to fix: {e.fix}"


def test_frictionless_on_a_sample_maps_rows_back(tmp_path: Path) -> None:
    """Above the size limit Frictionless sees a sample; its rows are mapped back to the package's rows."""
    from scripts.checks.frictionless import sample
    from scripts.checks.package import Package

    report = validate(vocab.ROOT, frictionless="sample")
    assert report.ok and re.match(r"\d+ MB of CSV: Frictionless checked the first", report.checks["frictionless"].note)
    pkg = Package(vocab.ROOT)
    pkg.descriptor = json.loads(pkg.descriptor_path.read_text(encoding="utf-8"))
    rowmap = sample(pkg, tmp_path, 20_000)
    for table in ("clause_topics", "measures", "documents"):
        copied = list(csv.reader((tmp_path / f"datapackage/data/{table}.csv").open(encoding="utf-8")))
        full = list(csv.reader((vocab.ROOT / f"datapackage/data/{table}.csv").open(encoding="utf-8")))
        assert len(rowmap[table]) == len(copied)
        assert all(full[row - 1] == copied[i] for i, row in enumerate(rowmap[table]))


# -- errata -------------------------------------------------------------------------------------------


def errata_error(tmp_path: Path, lines: str, clauses: list[dict[str, Any]] | None = None) -> str:
    path = tmp_path / "errata.csv"
    path.write_text("clause_id,original,corrected,reason\n" + lines, encoding="utf-8")
    with pytest.raises(ErrataError) as err:
        apply_errata(clauses or [], load_errata(path))
    return str(err.value)


CLAUSE = {"id": "demo-2024.1.2", "heading": "基本原则", "text": "基本原则。坚持创新，坚持创新驱动。"}


def test_erratum_is_applied_to_text_and_heading() -> None:
    clause = dict(CLAUSE)
    rows = apply_errata([clause], [Erratum("demo-2024.1.2", "基本原则", "基本原理", "test", 2)])
    assert (clause["heading"], clause["text"]) == ("基本原理", "基本原理。坚持创新，坚持创新驱动。")
    assert rows == [
        {
            "clause_id": "demo-2024.1.2",
            "original": "基本原则",
            "corrected": "基本原理",
            "reason": "test",
            "kind": "erratum",
            "source_line": None,
        }
    ]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            "demo-2024.1.2,坚持创新,坚持改革,typo in the source\n",
            "datapackage/errata.csv:2: field `original`: '坚持创新' occurs 2 times in the text of demo-2024.1.2\n"
            "  how to fix: include a few characters around the typo so that `original` occurs once",
        ),
        (
            "demo-2024.9,坚持,坚决,typo\n",
            "datapackage/errata.csv:2: field `clause_id`: there is no clause demo-2024.9\n"
            "  how to fix: copy the `id` of the clause from datapackage/data/clauses.csv",
        ),
        (
            "demo-2024.1.2,坚持,坚持,typo\n",
            "datapackage/errata.csv:2: field `corrected`: the same as `original`\n"
            "  how to fix: write the corrected characters",
        ),
        (
            "demo-2024.1.2,坚持创新，,坚持改革，,\n",
            "datapackage/errata.csv:2: field `reason`: empty\n"
            "  how to fix: say why the official source is wrong and give the evidence (e.g. the issuer's printed or web "
            "edition)",
        ),
        (
            "Qingdao 2.4,坚持,坚决,typo\n",
            "datapackage/errata.csv:2: field `clause_id`: 'Qingdao 2.4' is not a clause ID\n"
            "  how to fix: copy the `id` of the clause from datapackage/data/clauses.csv, e.g. qingdao-2021.2.4",
        ),
    ],
)
def test_erratum_errors(tmp_path: Path, lines: str, message: str) -> None:
    assert errata_error(tmp_path, lines, [dict(CLAUSE)]) == message
