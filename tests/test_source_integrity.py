"""The source set as a whole: released sources never change, and no source or record is silently dropped."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from scripts import vocab
from scripts.build import BuildError, build, main
from scripts.validate import validate

SOURCES = Path("datapackage/sources")


def scratch_repo(tmp_path: Path) -> Path:
    """A copy of the repository's package, sources and releases."""
    root = tmp_path / "repo"
    for rel in ("datapackage", "schemas", "releases", "datapackage.json", "README.md"):
        src = vocab.ROOT / rel
        if src.is_dir():
            shutil.copytree(src, root / rel)
        else:
            shutil.copyfile(src, root / rel)
    return root


def committed(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def edit_and_record_checksum(root: Path, doc: str) -> str:
    """Cut the document's last line mid-sentence and record the new checksum, as the review did."""
    record = root / SOURCES / f"{doc}.json"
    meta = json.loads(record.read_text(encoding="utf-8"))
    path = root / meta["source_file"]
    lines = path.read_text(encoding="utf-8").split("\n")
    last = meta["body"]["end"] - 1
    lines[last] = lines[last][: max(1, len(lines[last]) // 2)]
    path.write_text("\n".join(lines), encoding="utf-8", newline="\n")
    meta["source_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    record.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return meta["source_file"]


def build_error(root: Path) -> str:
    with pytest.raises(BuildError) as err:
        build(root, root / SOURCES)
    return str(err.value)


def test_edited_released_source_is_refused_even_with_its_checksum_updated(tmp_path: Path) -> None:
    root = scratch_repo(tmp_path)
    source = edit_and_record_checksum(root, "shenzhen-2023")
    message = build_error(root)
    first, fix = message.split("\n")[:2]
    assert first.startswith(f"{source}: SHA-256 is ")
    assert "but release 1.0.0 recorded 0" not in first  # the recorded checksum is the released one …
    released = "releases/1.0.0/datapackage/data/documents.csv:"
    assert released in first and "the source of a released document never changes" in first
    assert fix.startswith("  how to fix: restore the released text")
    report = validate(root, skip={"frictionless"})
    assert [(p.check, p.file) for p in report.problems] == [("sources", source)]
    assert "release 1.0.0 recorded" in report.problems[0].message


def test_a_recorded_source_repair_lets_the_released_source_change(tmp_path: Path) -> None:
    root = scratch_repo(tmp_path)
    source = edit_and_record_checksum(root, "shenzhen-2023")
    fix = build_error(root).split("how to fix: ", 1)[1]
    line = fix.split("add the line ", 1)[1].split(" to datapackage/source_repairs.csv", 1)[0]
    new = hashlib.sha256((root / source).read_bytes()).hexdigest()
    assert line.startswith("shenzhen-2023,") and line.endswith(f",{new},<why>")
    (root / "datapackage/source_repairs.csv").write_text(
        "document_id,released_sha256,sha256,reason\n" + line.replace("<why>", "a damaged download") + "\n",
        encoding="utf-8",
    )
    build(root, root / SOURCES)  # no error


def test_source_without_record_is_a_build_error_and_nothing_is_written(tmp_path: Path) -> None:
    root = scratch_repo(tmp_path)
    record = root / SOURCES / "qingdao-2021.json"
    source = json.loads(record.read_text(encoding="utf-8"))["source_file"]
    record.unlink()
    before = committed(root)
    assert main([], root) == 1
    assert committed(root) == before
    message = build_error(root)
    assert message.startswith(f"{source}: no metadata record names this source file")
    assert "datapackage/sources/<document id>.json" in message and "\n  how to fix: add a record" in message


def test_record_without_source_is_a_build_error_naming_both(tmp_path: Path) -> None:
    root = scratch_repo(tmp_path)
    source = json.loads((root / SOURCES / "qingdao-2021.json").read_text(encoding="utf-8"))["source_file"]
    (root / source).unlink()
    message = build_error(root)
    assert message.splitlines()[:2] == [
        f"datapackage/sources/qingdao-2021.json: field `source_file`: {source} does not exist",
        f"  how to fix: restore {source} (e.g. `git checkout -- {source}`), or correct `source_file` to name the "
        "document's raw text",
    ]


def test_body_end_past_the_last_line_says_how_to_fix(tmp_path: Path) -> None:
    root = scratch_repo(tmp_path)
    shutil.rmtree(root / "releases")  # a new document: no release recorded its source
    record = root / SOURCES / "qingdao-2021.json"
    meta = json.loads(record.read_text(encoding="utf-8"))
    n = len((root / meta["source_file"]).read_text(encoding="utf-8").split("\n"))
    meta["body"]["end"] = n + 5
    record.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    assert build_error(root) == (
        f"datapackage/sources/qingdao-2021.json: field `body`: end {n + 5} is past the last line ({n}) of "
        f"{meta['source_file']}\n"
        f"  how to fix: set `body.end` to the line of the last sentence of the policy text (at most {n})"
    )


def test_build_errors_of_sources_put_the_fix_on_its_own_line(tmp_path: Path) -> None:
    root = scratch_repo(tmp_path)
    shutil.rmtree(root / "releases")
    record = root / SOURCES / "qingdao-2021.json"
    meta = json.loads(record.read_text(encoding="utf-8"))
    for field, value in (("city", "atlantis"), ("date_issued", "2021/01/01")):
        record.write_text(json.dumps({**meta, field: value}, ensure_ascii=False), encoding="utf-8")
        where, fix = build_error(root).split("\n")
        assert f"datapackage/sources/qingdao-2021.json: field `{field}`: " in where
        assert fix.startswith("  how to fix: ") and ";" not in where


def test_every_build_error_has_a_how_to_fix_line(tmp_path: Path) -> None:
    root = scratch_repo(tmp_path)
    shutil.rmtree(root / "releases")
    record = root / SOURCES / "qingdao-2021.json"
    meta = json.loads(record.read_text(encoding="utf-8"))
    path = root / meta["source_file"]
    path.write_text(
        path.read_text(encoding="utf-8").replace("(五) 打造标准示范区", "(六) 打造标准示范区"), encoding="utf-8"
    )
    meta["source_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    record.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    where, fix = build_error(root).split("\n")
    assert where.endswith("numbering: expected （五） under 二, found （六）")
    assert fix.startswith("  how to fix: ") and len(fix) > 40


def test_store_build_errors_have_a_how_to_fix_line(tmp_path: Path) -> None:
    from api.store import Store
    from api.store_builder import BuildError as StoreBuildError
    from tests.helpers import API_FIXTURE

    root = tmp_path / "package"
    shutil.copytree(API_FIXTURE, root, ignore=shutil.ignore_patterns("expected"))
    clauses = root / "data" / "clauses.csv"
    clauses.write_text(clauses.read_text(encoding="utf-8").replace(",box,", ",panel,"), encoding="utf-8")
    with pytest.raises(StoreBuildError) as err:
        Store.open(root, tmp_path / "store")
    where, fix = str(err.value).split("\n")
    assert "kind 'panel' is not one of" in where and fix.startswith("  how to fix: the package's files are generated")
