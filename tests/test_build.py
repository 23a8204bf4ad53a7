"""The build command: deterministic output, validation, clear errors, and no half-written package."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from scripts import vocab
from scripts.build import BuildError, build, frictionless_errors, main, publish

ROOT = vocab.ROOT


def copy_sources(tmp_path: Path) -> Path:
    """A scratch repository root with a copy of the sources."""
    shutil.copytree(ROOT / "datapackage" / "sources", tmp_path / "datapackage" / "sources")
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "sources" not in p.parts
    }


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for root in (a, b):
        copy_sources(root)
        publish(build(root, root / "datapackage" / "sources"), root)
    assert snapshot(a) == snapshot(b)
    tables = (
        "documents",
        "clauses",
        "topics",
        "clause_topics",
        "errata",
        "clause_similar",
        "citations",
        "unresolved_citations",
        "measures",
        "works",
        "versions",
        "clause_changes",
    )
    assert set(snapshot(a)) == {
        "datapackage.json",
        "datapackage/data/clauses.json",
        "datapackage/data/topics-codebook.md",
        *(f"datapackage/data/{t}.{ext}" for t in tables for ext in ("csv", "parquet")),
        *(f"schemas/{t}.json" for t in tables),
    }


def test_committed_package_equals_a_rebuild() -> None:
    for rel, data in build().files.items():
        assert (ROOT / rel).read_bytes() == data, f"{rel} is stale: run python -m scripts.build"
    assert main(["--check"]) == 0


def test_committed_package_passes_frictionless() -> None:
    assert frictionless_errors(ROOT / "datapackage.json") == []


def test_files_are_lf_utf8_with_header() -> None:
    data = (ROOT / "datapackage/data/clauses.csv").read_bytes()
    assert b"\r" not in data and not data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8").splitlines()[0] == (
        "id,document_id,seq,kind,depth,numbering,parent_id,heading,text,topics,city,level,source_file,line_start,"
        "line_end"
    )


def broken_build(root: Path) -> str:
    with pytest.raises(BuildError) as err:
        build(root, root / "datapackage" / "sources")
    return str(err.value)


def record(root: Path, doc: str) -> Path:
    return root / "datapackage" / "sources" / f"{doc}.json"


def rewrite_source(root: Path, doc: str, new_bytes: bytes) -> None:
    """Replace a source and record its new checksum, as a contributor adding a document would."""
    import hashlib

    meta_path = record(root, doc)
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    (root / meta["source_file"]).write_bytes(new_bytes)
    meta["source_sha256"] = hashlib.sha256(new_bytes).hexdigest()
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def source_bytes(root: Path, doc: str) -> bytes:
    meta = json.loads(record(root, doc).read_text(encoding="utf-8"))
    return (root / meta["source_file"]).read_bytes()


def test_skipped_item_number_names_file_and_line(tmp_path: Path) -> None:
    root = copy_sources(tmp_path)
    text = source_bytes(root, "qingdao-2021").decode("utf-8").replace("(五) 打造标准示范区", "(六) 打造标准示范区")
    rewrite_source(root, "qingdao-2021", text.encode("utf-8"))
    assert broken_build(root).splitlines()[0] == (
        "datapackage/sources/000_40216f993f91079b.txt:35: numbering: expected （五） under 二, found （六）"
    )


def test_heading_with_no_body_names_file_and_line(tmp_path: Path) -> None:
    root = copy_sources(tmp_path)
    lines = source_bytes(root, "chongqing-2020").decode("utf-8").split("\n")
    lines[54] = lines[56] = ""  # blank out both items of part 五, keeping line numbers
    rewrite_source(root, "chongqing-2020", "\n".join(lines).encode("utf-8"))
    assert broken_build(root).splitlines()[0] == (
        "datapackage/sources/002_e0530be26870ce95.txt:53: heading 五 建设基础数据和认证中心，夯实金融科技发展支撑体系 "
        "has no body"
    )


def test_source_not_in_utf8_is_rejected(tmp_path: Path) -> None:
    root = copy_sources(tmp_path)
    rewrite_source(root, "qingdao-2021", source_bytes(root, "qingdao-2021").decode("utf-8").encode("gbk"))
    assert broken_build(root) == (
        "datapackage/sources/000_40216f993f91079b.txt:3: not valid UTF-8 (byte 0xc7 at offset 2)\n"
        "  how to fix: convert the file to UTF-8, e.g. `iconv -f GBK -t UTF-8`"
    )


def test_failed_build_leaves_previous_package_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_sources(tmp_path)
    publish(build(root, root / "datapackage" / "sources"), root)
    before = snapshot(root)
    # a build whose output does not validate is refused after it was written to the staging directory
    result = build(root, root / "datapackage" / "sources")
    result.files["datapackage/data/clauses.csv"] = result.files["datapackage/data/clauses.csv"].replace(
        b",qingdao,municipal,", b",atlantis,municipal,", 1
    )
    with pytest.raises(BuildError, match="does not validate"):
        publish(result, root)
    assert snapshot(root) == before
    assert not [p for p in root.iterdir() if p.name.startswith(".build-")]


def test_readme_data_dictionary_is_generated_from_the_schemas() -> None:
    from scripts import datadict

    text = datadict.README.read_text(encoding="utf-8")
    assert datadict.updated(text) == text, "run python -m scripts.datadict"


def test_committed_schemas_and_descriptor_are_generated_from_the_registry() -> None:
    from schemas import registry
    from scripts.package import descriptor, json_bytes

    generated = registry.schema_files()
    on_disk = {p.relative_to(ROOT).as_posix() for p in (ROOT / "schemas").glob("*.json")}
    assert on_disk == set(generated), "a file under schemas/ that the registry does not declare, or one missing"
    for rel, data in generated.items():
        assert (ROOT / rel).read_bytes() == data, f"{rel} differs from the registry: run python -m schemas"
    committed = (ROOT / "datapackage.json").read_bytes()
    with (ROOT / "datapackage/data/documents.csv").open(encoding="utf-8", newline="") as f:
        documents = list(csv.DictReader(f))
    generated_descriptor = json_bytes(descriptor(documents, json.loads(committed)["version"]))
    assert committed == generated_descriptor, "datapackage.json differs from the registry: run ./run build"
