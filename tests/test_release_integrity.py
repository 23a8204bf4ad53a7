"""A cut release is served only when it verifies: release.json against releases/SHA256SUMS, every file
against release.json, and the CSV, JSON and Parquet copies of each table against each other."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.store import Store
from scripts import vocab
from scripts.release_integrity import CHECKSUMS, read_checksums, record_checksum, verify_release
from scripts.validate import validate
from tests.helpers import API_FIXTURE

RELEASES = vocab.ROOT / "releases"


def fixture_copy(tmp_path: Path) -> Path:
    root = tmp_path / "package"
    shutil.copytree(API_FIXTURE, root, ignore=shutil.ignore_patterns("expected"))
    return root


def test_every_committed_release_verifies() -> None:
    recorded = read_checksums(RELEASES)
    versions = sorted(p.name for p in RELEASES.iterdir() if p.is_dir())
    assert versions and sorted(recorded) == versions
    for version in versions:
        assert verify_release(RELEASES / version, recorded) == []


def test_a_tampered_release_is_not_served_and_health_says_why(tmp_path: Path, caplog) -> None:
    root = fixture_copy(tmp_path)
    clauses = root / "releases" / "0.1.0" / "clauses.csv"
    clauses.write_text(clauses.read_text(encoding="utf-8").replace("金融", "金鱼", 1), encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="api.store"):
        store = Store.open(root, tmp_path / "store")
    assert "release 0.1.0 does not verify and is not served" in caplog.text
    assert store.versions == ["0.2.0"]
    with TestClient(create_app(store)) as client:
        health = client.get("/health").json()
        assert health["status"] == "degraded" and health["releases"] == ["0.2.0"]
        [problem] = health["failed_releases"]["0.1.0"]
        assert problem.startswith("releases/0.1.0/clauses.csv: SHA-256 is ")
        assert "but release.json records" in problem and "\n  how to fix: a release never changes" in problem
        assert client.get("/releases/0.1.0").status_code == 404
        assert client.get("/clauses", params={"release": "0.1.0"}).status_code in (400, 404)
    store.close()


def test_a_rewritten_release_json_is_caught_by_the_recorded_checksum(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path)
    base = root / "releases" / "0.1.0"
    clauses = base / "clauses.csv"
    clauses.write_text(clauses.read_text(encoding="utf-8").replace("金融", "金鱼", 1), encoding="utf-8")
    info = json.loads((base / "release.json").read_text(encoding="utf-8"))
    import hashlib

    for entry in info["files"]:  # the attacker updates release.json too
        if entry["path"] == "clauses.csv":
            entry["sha256"] = hashlib.sha256(clauses.read_bytes()).hexdigest()
            entry["bytes"] = clauses.stat().st_size
    (base / "release.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
    [problem] = verify_release(base, read_checksums(root / "releases"))
    assert problem.startswith("releases/0.1.0/release.json: SHA-256 is ")
    assert f"but releases/{CHECKSUMS} records " in problem
    store = Store.open(root, tmp_path / "store")
    assert "0.1.0" in store.failed and store.versions == ["0.2.0"]
    store.close()


def test_a_release_without_a_recorded_checksum_is_not_served(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path)
    (root / "releases" / CHECKSUMS).unlink()
    store = Store.open(root, tmp_path / "store")
    assert store.failed["0.1.0"][0].startswith(
        f"releases/0.1.0/release.json: no checksum of it is recorded in releases/{CHECKSUMS}"
    )
    store.close()


def test_a_recorded_checksum_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "1.0.0").mkdir()
    record_checksum(tmp_path, "1.0.0", b"{}")
    record_checksum(tmp_path, "1.0.0", b"{}")  # the same line again is fine
    with pytest.raises(ValueError, match="recorded with another checksum"):
        record_checksum(tmp_path, "1.0.0", b"{ }")


def copy_release(tmp_path: Path) -> Path:
    """A copy of release 1.0.0 (with its checksum manifest) in a scratch repository."""
    root = tmp_path / "repo"
    for rel in ("datapackage", "schemas", "datapackage.json", "README.md"):
        src = vocab.ROOT / rel
        (shutil.copytree if src.is_dir() else shutil.copyfile)(src, root / rel)
    shutil.copytree(RELEASES, root / "releases")
    return root


def reseal(base: Path, rel: str) -> None:
    """Record the changed file in release.json and release.json in SHA256SUMS: only the copies disagree."""
    import hashlib

    info = json.loads((base / "release.json").read_text(encoding="utf-8"))
    for entry in info["files"]:
        if entry["path"] == rel:
            entry["sha256"] = hashlib.sha256((base / rel).read_bytes()).hexdigest()
    data = json.dumps(info, indent=2).encode()
    (base / "release.json").write_bytes(data)
    record_checksum(base.parent, base.name, data, replace=True)


def test_the_copies_of_a_table_must_hold_the_same_rows(tmp_path: Path) -> None:
    root = copy_release(tmp_path)
    base = root / "releases" / "1.0.0"
    rel = "datapackage/data/measures.parquet"
    table = pq.read_table(base / rel)
    values = table.column("value").to_pylist()
    values[3] = "999"
    table = table.set_column(
        table.schema.get_field_index("value"), "value", pa.array(values, table.schema.field("value").type)
    )
    pq.write_table(table, base / rel)
    reseal(base, rel)
    [problem] = verify_release(base, read_checksums(root / "releases"))
    assert problem.startswith(f"releases/1.0.0/{rel}: row 4 differs from row 4 of the CSV copy")
    report = validate(root, skip={"frictionless", "rebuild"})
    assert [(p.check, p.file) for p in report.problems] == [("releases", f"releases/1.0.0/{rel}")]


def test_a_release_file_changed_after_start_up_is_not_served(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path)
    store = Store.open(root, tmp_path / "store")
    with TestClient(create_app(store, response_cache_bytes=0)) as client:
        url = "/releases/0.1.0/files/clauses.csv"
        assert client.get(url).status_code == 200
        path = root / "releases" / "0.1.0" / "clauses.csv"
        path.write_text(path.read_text(encoding="utf-8").replace("金融", "金鱼", 1), encoding="utf-8")
        refused = client.get(url)
        assert refused.status_code == 503 and "no longer matches its recorded checksum" in refused.json()["detail"]
    store.close()
