"""The release command: immutable release directories, checksums, changes, the version-bump rule."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from schemas.registry import NAMES
from scripts.build import build, publish
from scripts.citation_file import cited_release
from scripts.package import current_version, released_versions
from scripts.release import (
    CHANGELOG,
    ReleaseError,
    bump_of,
    char_diff,
    main,
    release,
    schema_changes,
    split_changelog,
)
from scripts.validate import validate
from tests.test_validate import FIXTURES, fake_tags

RESOURCE_NAMES = NAMES

SOURCES = Path("datapackage/sources")
META = SOURCES / "demo-2024.json"
DATE = "2024-06-01"

pytestmark = pytest.mark.usefixtures("fake_tagger")


@pytest.fixture
def fake_tagger(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("scripts.build.tag_clauses", fake_tags)


def rebuild(root: Path) -> None:
    publish(build(root, root / SOURCES, version=current_version(root)), root)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A scratch repository: the fixture regulation, built, with a changelog."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "base", root)
    (root / CHANGELOG).write_text("# Changelog\n\n## Unreleased\n\nThe demo regulation.\n", encoding="utf-8")
    rebuild(root)
    return root


def edit_meta(root: Path, **changes: object) -> None:
    path = root / META
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.update(changes)
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")


def add_document(root: Path, doc_id: str = "demo-2025") -> None:
    text = (root / SOURCES / "demo-2024.txt").read_text(encoding="utf-8").replace("示例市", "另一示例市")
    data = text.encode("utf-8")
    (root / SOURCES / f"{doc_id}.txt").write_bytes(data)
    meta = json.loads((root / META).read_text(encoding="utf-8"))
    meta.update(
        id=doc_id,
        source_file=f"datapackage/sources/{doc_id}.txt",
        source_sha256=hashlib.sha256(data).hexdigest(),
        title="另一示例市金融科技创新监管办法（试行）",
    )
    (root / SOURCES / f"{doc_id}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def changes(root: Path, version: str) -> dict:
    return json.loads((root / "releases" / version / "changes.json").read_text(encoding="utf-8"))


# -- the first release --------------------------------------------------------------------------------


def test_first_release_writes_an_immutable_directory_with_checksums(repo: Path) -> None:
    target = release("1.0.0", repo, date=DATE)
    assert target == repo / "releases" / "1.0.0"
    info = json.loads((target / "release.json").read_text(encoding="utf-8"))
    assert (info["version"], info["previous"], info["date"], info["bump"]) == ("1.0.0", None, DATE, "initial")
    assert info["notes"] == "The demo regulation."
    paths = [f["path"] for f in info["files"]]
    assert paths == sorted(paths)
    assert set(paths) == {
        "changes.json",
        "datapackage.json",
        *(f"datapackage/data/{n}.{ext}" for n in RESOURCE_NAMES for ext in ("csv", "parquet")),
        "datapackage/data/clauses.json",
        "datapackage/data/topics-codebook.md",
        *(f"schemas/{n}.json" for n in RESOURCE_NAMES),
    }
    for entry in info["files"]:
        data = (target / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["bytes"] == len(data)
    rows = {f["path"]: f.get("rows") for f in info["files"]}
    assert rows["datapackage/data/clauses.csv"] == rows["datapackage/data/clauses.parquet"] == 15
    assert rows["datapackage/data/clauses.json"] == 15 and rows["datapackage/data/documents.csv"] == 1
    assert rows["datapackage/data/clause_topics.csv"] == 5 and rows["datapackage/data/errata.csv"] == 0
    assert json.loads((target / "datapackage.json").read_text(encoding="utf-8"))["version"] == "1.0.0"
    assert info["changes"]["summary"] == "First release: 1 document, 15 clauses, 5 topic tags, 0 errata."
    # the release is the package as built, and the working package now carries its version
    for rel in ("datapackage/data/clauses.csv", "datapackage.json", "schemas/clauses.json"):
        assert (target / rel).read_bytes() == (repo / rel).read_bytes()
    assert current_version(repo) == "1.0.0"
    # one zip of every listed file, recorded with its checksum
    archive = info["archive"]
    data = (target / archive["path"]).read_bytes()
    assert archive["sha256"] == hashlib.sha256(data).hexdigest() and archive["bytes"] == len(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert sorted(zf.namelist()) == sorted(f"{archive['path'][:-4]}/{p}" for p in paths)
    assert validate(repo).ok and validate(target).ok
    (target / archive["path"]).write_bytes(data + b"x")
    assert any("was changed after the release was cut" in p.message for p in validate(repo).problems)
    (target / archive["path"]).write_bytes(data)
    first = changes(repo, "1.0.0")
    assert first["previous"] is None and first["required_bump"] is None
    assert [c["id"] for c in first["added"]][:3] == ["demo-2024.ch1", "demo-2024.art1", "demo-2024.art2"]
    assert first["removed"] == first["changed"] == first["retired"] == first["tags_changed"] == []


def test_parquet_copies_are_typed_like_the_schemas(repo: Path) -> None:
    import pyarrow.parquet as pq

    target = release("1.0.0", repo, date=DATE)
    table = pq.read_table(target / "datapackage/data/clauses.parquet")
    assert str(table.schema.field("seq").type) == "int64"
    assert str(table.schema.field("topics").type) == "list<element: string>"
    row = table.slice(1, 1).to_pylist()[0]
    assert (row["id"], row["topics"], row["line_start"]) == ("demo-2024.art1", ["consumer-protection"], 5)
    docs = pq.read_table(target / "datapackage/data/documents.parquet").to_pylist()
    assert docs[0]["issuers"] == ["示例市地方金融监督管理局"]


def test_changelog_entry_and_fresh_unreleased_section(repo: Path) -> None:
    release("1.0.0", repo, notes="Cut for the demo.", date=DATE)
    text = (repo / CHANGELOG).read_text(encoding="utf-8")
    assert text.startswith(
        "# Changelog\n\n## Unreleased\n\n_Nothing yet._\n\n## 1.0.0 — 2024-06-01\n\n"
        "The demo regulation.\n\nCut for the demo.\n\nFirst release: 1 document, 15 clauses"
    )
    assert split_changelog(text)[1] == ""


def test_a_release_names_itself_in_the_citation_file_at_the_root_and_in_the_release(repo: Path) -> None:
    shutil.copy(Path(__file__).parent.parent / "CITATION.cff", repo / "CITATION.cff")
    release("1.0.0", repo, date=DATE)
    cff = (repo / "CITATION.cff").read_text(encoding="utf-8")
    assert cited_release(cff) == ("1.0.0", DATE)
    assert 'value: "release 1.0.0 (releases/1.0.0/release.json)"' in cff
    assert (repo / "releases/1.0.0/CITATION.cff").read_text(encoding="utf-8") == cff
    info = json.loads((repo / "releases/1.0.0/release.json").read_text(encoding="utf-8"))
    assert "CITATION.cff" in [f["path"] for f in info["files"]]
    edit_meta(repo, title="示例市金融科技创新监管办法（修订）")
    rebuild(repo)
    release("1.0.1", repo, date="2024-07-01")
    assert cited_release((repo / "CITATION.cff").read_text(encoding="utf-8")) == ("1.0.1", "2024-07-01")
    assert cited_release((repo / "releases/1.0.0/CITATION.cff").read_text(encoding="utf-8")) == ("1.0.0", DATE)


def test_a_citation_file_without_its_version_line_refuses_the_release_and_writes_nothing(repo: Path) -> None:
    (repo / "CITATION.cff").write_text('cff-version: 1.2.0\ntitle: "x"\n', encoding="utf-8")
    message = refused(repo, "1.0.0")
    assert message.startswith("CITATION.cff: no `version` line of the form")
    assert "restore it" in message
    assert not (repo / "releases/1.0.0").exists()
    assert (repo / "CITATION.cff").read_text(encoding="utf-8") == 'cff-version: 1.2.0\ntitle: "x"\n'


# -- refusals -----------------------------------------------------------------------------------------


def refused(repo: Path, version: str) -> str:
    before = (repo / CHANGELOG).read_text(encoding="utf-8")
    with pytest.raises(ReleaseError) as err:
        release(version, repo, date=DATE)
    assert (repo / CHANGELOG).read_text(encoding="utf-8") == before
    return str(err.value)


def test_refuses_to_overwrite_a_release(repo: Path) -> None:
    release("1.0.0", repo, date=DATE)
    before = (repo / "releases/1.0.0/release.json").read_bytes()
    assert refused(repo, "1.0.0") == (
        "release 1.0.0 already exists (releases/1.0.0): a release never changes; cut a new version"
    )
    assert (repo / "releases/1.0.0/release.json").read_bytes() == before


def test_refuses_versions_that_are_not_after_the_latest_or_not_semver(repo: Path) -> None:
    release("1.0.0", repo, date=DATE)
    assert refused(repo, "0.9.0") == "0.9.0 is not after the latest release 1.0.0: choose a higher version"
    assert refused(repo, "v1.1") == "'v1.1' is not a release version: write MAJOR.MINOR.PATCH, e.g. 1.0.0"
    assert refused(repo, "1.0.1") == "nothing changed since 1.0.0: there is nothing to release"


def test_refuses_a_package_that_does_not_validate(repo: Path) -> None:
    edit_meta(repo, city="wuhan")
    assert refused(repo, "1.0.0") == (
        "the package does not validate (1 error(s), first: datapackage/sources/demo-2024.json: field `city`: "
        "unknown city 'wuhan' [metadata/record]): run `python -m scripts.validate` and fix them first"
    )
    assert not (repo / "releases").exists() or released_versions(repo) == []


@pytest.mark.parametrize(
    ("change", "version", "message"),
    [
        (
            "document",
            "1.0.1",
            "version 1.0.1 understates the changes since 1.0.0, which need a minor release: "
            "1 document(s) added: demo-2025; 1 new version(s) of a work, the older version kept: demo-2025 after "
            "demo-2024; 15 clause(s) added; 5 topic tag(s) added; versions: 1 row(s) "
            "added; clause_changes: 13 row(s) added; release them as 1.1.0 (or higher)",
        ),
        (
            "retire",
            "1.1.0",
            "version 1.1.0 understates the changes since 1.0.0, which need a major release: "
            "1 clause ID(s) retired: demo-2024.art6.2; release them as 2.0.0 (or higher)",
        ),
    ],
)
def test_refuses_a_version_that_understates_the_change(repo: Path, change: str, version: str, message: str) -> None:
    release("1.0.0", repo, date=DATE)
    if change == "document":
        add_document(repo)
    else:
        edit_meta(repo, body={"start": 3, "end": 23})
        (repo / "datapackage/retired.csv").write_text(
            "clause_id,reason,replaced_by\ndemo-2024.art6.2,moved to the annex,\n", encoding="utf-8"
        )
    rebuild(repo)
    assert refused(repo, version) == message


def test_a_failed_write_leaves_nothing_behind(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("scripts.release.os.rename", boom)
    with pytest.raises(OSError):
        release("1.0.0", repo, date=DATE)
    assert list((repo / "releases").iterdir()) == []
    assert "## 1.0.0" not in (repo / CHANGELOG).read_text(encoding="utf-8")
    assert current_version(repo) == "0.1.0"


# -- changes between releases -------------------------------------------------------------------------


def test_minor_release_lists_added_document_and_clauses(repo: Path) -> None:
    release("1.0.0", repo, date=DATE)
    add_document(repo)
    rebuild(repo)
    release("1.1.0", repo, date=DATE)
    c = changes(repo, "1.1.0")
    assert (c["previous"], c["bump"], c["required_bump"]) == ("1.0.0", "minor", "minor")
    assert c["documents"]["added"] == ["demo-2025"] and len(c["added"]) == 15
    assert c["added"][0] == {
        "id": "demo-2025.ch1",
        "document_id": "demo-2025",
        "kind": "part",
        "numbering": "第一章",
        "heading": "总则",
    }
    assert c["removed"] == c["retired"] == [] and c["changed"] == []
    info = json.loads((repo / "releases/1.1.0/release.json").read_text(encoding="utf-8"))
    assert info["changes"]["summary"] == (
        "Against 1.0.0: 1 document added, 15 clauses added, 5 tags added, 1 new version of a work (older versions "
        "kept), 1 works row changed, 1 versions row added, 1 versions row changed, "
        "13 clause_changes rows added. Now 2 documents, 30 clauses, 10 topic tags."
    )
    assert validate(repo).ok


def test_a_new_version_of_a_work_is_an_addition_linked_to_the_older_one(repo: Path) -> None:
    release("1.0.0", repo, date=DATE)
    add_document(repo)  # demo-2025: by the ID convention, a new version of the work `demo`
    rebuild(repo)
    release("1.1.0", repo, date=DATE)
    c = changes(repo, "1.1.0")
    start = c["versions"][0]["in_force_from"]
    assert c["versions"] == [
        {"document_id": "demo-2025", "work_id": "demo", "previous_document_id": "demo-2024", "in_force_from": start}
    ]
    assert c["documents"]["removed"] == [] and c["removed"] == []
    assert {
        "level": "minor",
        "reason": "1 new version(s) of a work, the older version kept: demo-2025 after demo-2024",
    } in c["reasons"]


def test_patch_release_with_an_erratum_shows_the_text_diff(repo: Path) -> None:
    release("1.0.0", repo, date=DATE)
    (repo / "datapackage/errata.csv").write_text(
        "clause_id,original,corrected,reason\n"
        'demo-2024.art3,风险防控措施,风险防范措施,"the issuer\'s printed edition reads 防范"\n',
        encoding="utf-8",
    )
    rebuild(repo)
    release("1.0.1", repo, date=DATE)
    c = changes(repo, "1.0.1")
    assert c["required_bump"] == "patch" and c["bump"] == "patch"
    assert c["changed"] == [
        {
            "id": "demo-2024.art3",
            "fields": {
                "text": {
                    "old": "申请开展创新应用的机构，应当向监管部门提交应用方案和风险防控措施。",
                    "new": "申请开展创新应用的机构，应当向监管部门提交应用方案和风险防范措施。",
                    "diff": "…部门提交应用方案和风险防[-控-]{+范+}措施。",
                }
            },
            "errata": [
                {
                    "clause_id": "demo-2024.art3",
                    "original": "风险防控措施",
                    "corrected": "风险防范措施",
                    "reason": "the issuer's printed edition reads 防范",
                    "kind": "erratum",
                    "source_line": "",
                }
            ],
        }
    ]
    assert c["errata"]["added"] == c["changed"][0]["errata"]
    published = (repo / "releases/1.0.1/datapackage/data/errata.csv").read_text(encoding="utf-8")
    assert "demo-2024.art3,风险防控措施,风险防范措施" in published
    assert "- erratum in demo-2024.art3: 风险防控措施 → 风险防范措施" in (repo / CHANGELOG).read_text(encoding="utf-8")
    assert validate(repo).ok


def test_major_release_retires_ids_with_their_reason(repo: Path) -> None:
    release("1.0.0", repo, date=DATE)
    edit_meta(repo, body={"start": 3, "end": 23})
    rebuild(repo)
    problems = validate(repo).problems
    assert [p.message for p in problems] == ["clause demo-2024.art6.2 (第六条第二项) of release 1.0.0 no longer exists"]
    (repo / "datapackage/retired.csv").write_text(
        "clause_id,reason,replaced_by\ndemo-2024.art6.2,moved to the annex,\n", encoding="utf-8"
    )
    assert validate(repo).ok
    release("2.0.0", repo, date=DATE)
    c = changes(repo, "2.0.0")
    assert c["retired"] == [{"id": "demo-2024.art6.2", "reason": "moved to the annex", "replaced_by": ""}]
    assert c["removed"][0]["text"] == "创新应用，是指运用现代科技成果提供的金融产品和服务。"
    assert c["reasons"][0] == {"level": "major", "reason": "1 clause ID(s) retired: demo-2024.art6.2"}
    assert validate(repo).ok


def test_tags_changed_between_releases(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    release("1.0.0", repo, date=DATE)
    monkeypatch.setattr("tests.test_validate.WORDS", (("消费者", "consumer-protection"), ("创新", "sandbox")))
    rebuild(repo)
    with pytest.raises(ReleaseError, match="understates"):
        release("1.0.1", repo, date=DATE)
    release("1.1.0", repo, date=DATE)
    c = changes(repo, "1.1.0")
    first = c["tags_changed"][0]
    assert first == {"clause_id": "demo-2024.art1", "added": ["sandbox"], "removed": []}
    removed = next(t for t in c["tags_changed"] if t["clause_id"] == "demo-2024.art3")
    assert removed == {
        "clause_id": "demo-2024.art3",
        "added": ["sandbox"],
        "removed": ["regulation", "risk-management"],
    }
    assert {r["level"] for r in c["reasons"]} == {"minor", "patch"}


# -- helpers ------------------------------------------------------------------------------------------


def test_char_diff() -> None:
    assert char_diff("促进金融服务提值增效、规范运行。", "促进金融服务提质增效、规范运行。") == (
        "促进金融服务提[-值-]{+质+}增效、规范运行。"
    )
    long = "甲" * 30 + "乙" + "丙" * 30
    assert char_diff(long, long.replace("乙", "丁")) == "…" + "甲" * 12 + "[-乙-]{+丁+}" + "丙" * 12 + "…"


def test_bump_of() -> None:
    assert [bump_of("1.2.3", v) for v in ("2.0.0", "1.3.0", "1.2.4", "1.2.3", "1.1.9")] == [
        "major",
        "minor",
        "patch",
        None,
        None,
    ]


def test_schema_changes_follow_the_recipe() -> None:
    old = {
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "city", "type": "string", "constraints": {"enum": ["a", "b"]}},
        ],
        "primaryKey": ["id"],
    }
    more_cities = {**old, "fields": [old["fields"][0], {**old["fields"][1], "constraints": {"enum": ["a", "b", "c"]}}]}
    fewer_cities = {**old, "fields": [old["fields"][0], {**old["fields"][1], "constraints": {"enum": ["a"]}}]}
    new_field = {**old, "fields": [*old["fields"], {"name": "x", "type": "string"}]}
    assert schema_changes(old, more_cities, "documents") == [
        {"resource": "documents", "level": "minor", "change": "`city` now also allows c"}
    ]
    assert schema_changes(old, fewer_cities, "documents") == [
        {"resource": "documents", "level": "major", "change": "`city` no longer allows b"}
    ]
    assert schema_changes(old, new_field, "documents") == [
        {"resource": "documents", "level": "major", "change": "field `x` added"}
    ]


def test_cli_dry_run_writes_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["1.0.0", "--dry-run", "--date", DATE, "--root", str(repo)]) == 0
    assert capsys.readouterr().out.startswith("release 1.0.0 (initial) would be cut: First release: 1 document")
    assert not (repo / "releases").exists()


def test_cli_release_and_refusal(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["1.0.0", "--date", DATE, "--root", str(repo)]) == 0
    assert capsys.readouterr().out.startswith("released 1.0.0 (initial) in releases/1.0.0: 41 files")
    assert main(["1.0.0", "--root", str(repo)]) == 1
    assert capsys.readouterr().err == (
        "error: release 1.0.0 already exists (releases/1.0.0): a release never changes; cut a new version\n"
        "nothing was written\n"
    )


# -- derived tables -----------------------------------------------------------------------------------


def test_a_change_confined_to_clause_similar_needs_and_allows_a_release(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from scripts import similarity

    # Two works sharing all their wording have no rare wording: weigh every shared 4-gram as rare to get pairs.
    monkeypatch.setattr(
        similarity, "derive", lambda documents, clauses: similarity.similar_pairs(clauses, common_share=10.0)
    )
    add_document(repo, "another-demo-2025")  # another work: versions of one work are never paired
    rebuild(repo)
    release("1.0.0", repo, date=DATE)
    assert changes(repo, "1.0.0")["tables"]["clause_similar"]["added"]  # the two documents share clauses
    before = (repo / "datapackage/data/clause_similar.csv").read_bytes()
    # lighter weights drop the pairs of short clauses: nothing but clause_similar changes
    monkeypatch.setattr(
        similarity, "derive", lambda documents, clauses: similarity.similar_pairs(clauses, common_share=1.5)
    )
    rebuild(repo)
    assert (repo / "datapackage/data/clause_similar.csv").read_bytes() != before
    assert main(["1.0.1", "--dry-run", "--root", str(repo)]) == 0
    out = capsys.readouterr().out
    assert "clause_similar rows removed" in out and "patch: clause_similar:" in out
    release("1.0.1", repo, date=DATE)
    c = changes(repo, "1.0.1")
    removed = c["tables"]["clause_similar"]["removed"]
    assert removed and c["required_bump"] == "patch" and c["added"] == c["changed"] == []
    assert all(k.count("|") == 1 for k in removed)  # keyed by the primary key (clause_id, similar_id)
