"""GET /releases, one release, its files and the changes between two releases."""

from __future__ import annotations

import base64
import logging
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from litestar import Controller, Request, Response, get
from litestar.response import File

from api.byte_ranges import ranged_file
from api.file_integrity import still_as_recorded
from api.models import (
    ItemMeta,
    ListMeta,
    ReleaseChangesResponse,
    ReleaseCounts,
    ReleaseDetail,
    ReleaseFile,
    ReleaseList,
    ReleaseResponse,
    ReleaseSummary,
)
from api.params import FileName, Version, resolve_release
from api.problems import ApiProblem, not_found
from api.release_archive import release_archive
from api.release_changes import changes
from api.routes.common import BAD_REQUEST, ERRORS, STRICT_QUERY, StoreDep
from api.store import Release

log = logging.getLogger("api.releases")

MEDIA_TYPES = {".csv": "text/csv", ".json": "application/json", ".parquet": "application/vnd.apache.parquet"}


def _summary_fields(store: StoreDep, release: Release) -> dict[str, Any]:
    info = release.release_info or {}
    date = info.get("date") or info.get("released") or info.get("created")
    return {
        "version": release.version,
        "status": release.status,
        "latest": store.latest is release,
        "date": date if isinstance(date, str) else None,
        "counts": ReleaseCounts(**release.counts),
        "url": f"/releases/{release.version}",
    }


def _files(release: Release) -> list[ReleaseFile]:
    files = release.meta.get("files") or []
    return [
        ReleaseFile(
            path=f["path"],
            url=f"/releases/{release.version}/files/{f['path']}",
            bytes=f["bytes"],
            sha256=f["sha256"],
            media_type=_media_type(f["path"]),
            rows=f.get("rows"),
        )
        for f in files
        if isinstance(f, dict)
    ]


def _media_type(path: str) -> str:
    return MEDIA_TYPES.get(PurePosixPath(path).suffix, "application/octet-stream")


def _locate(store: StoreDep, version: str, name: Path) -> tuple[str, Path, str | None]:
    """(path in the release, file, SHA-256 when release.json lists it) of a release file; 404 when none."""
    rel = resolve_release(store, version)
    wanted = name.as_posix().strip("/")
    found = rel.package.file_named(wanted)
    if found is None:
        raise not_found(f"No file {wanted!r} in release {rel.version}; see GET /releases/{rel.version}.")
    relative, path = found
    recorded = rel.recorded_sha256(relative)
    if rel.immutable and not still_as_recorded(path, recorded):
        log.error(
            "release %s: %s no longer has the SHA-256 its release.json records; not served", rel.version, relative
        )
        raise ApiProblem(
            503,
            f"The file {relative!r} of release {rel.version} no longer matches its recorded "
            "checksum and is not served; the service's operator has been told.",
        )
    return relative, path, recorded


def _file_response(
    request: Request[Any, Any, Any], store: StoreDep, version: str, name: Path
) -> Response[bytes] | File:
    relative, path, sha256 = _locate(store, version, name)
    disposition: Literal["inline", "attachment"] = "inline" if path.suffix == ".json" else "attachment"
    return ranged_file(request, path, sha256, PurePosixPath(relative).name, _media_type(relative), disposition)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


class ReleaseController(Controller):
    path = "/releases"
    tags = ("releases",)

    @get(
        "/",
        opt=STRICT_QUERY,
        sync_to_thread=False,
        summary="List releases",
        responses=BAD_REQUEST,
        description="Every served version, newest first: cut releases (`status: release`, immutable) and the "
        "working package (`status: working`) when no release has its version yet. `latest` is the highest version.",
    )
    def list_releases(self, store: StoreDep) -> ReleaseList:
        data = [ReleaseSummary(**_summary_fields(store, r)) for r in reversed(store.releases)]
        latest = store.latest
        return ReleaseList(
            data=data,
            meta=ListMeta(
                total=len(data), limit=len(data), offset=0, next_cursor=None, release=latest.version if latest else ""
            ),
        )

    @get(
        "/{version:str}",
        opt=STRICT_QUERY,
        sync_to_thread=False,
        summary="One release",
        description="A release's metadata, row counts, downloadable files (with SHA-256 and row counts) and the "
        "summary of its changes. `latest` names the highest version.",
        responses=ERRORS,
    )
    def get_release(self, store: StoreDep, version: Version) -> ReleaseResponse:
        rel = resolve_release(store, version)
        info = rel.release_info or {}
        descriptor = rel.descriptor
        detail = ReleaseDetail(
            **_summary_fields(store, rel),
            name=_text(descriptor.get("name")),
            title=_text(descriptor.get("title")),
            description=_text(descriptor.get("description")),
            files=_files(rel),
            changes=info.get("changes"),
        )
        return ReleaseResponse(data=detail, meta=ItemMeta(release=rel.version))

    @get(
        "/{version:str}/files/{name:path}",
        opt=STRICT_QUERY,
        sync_to_thread=False,
        summary="Download a file of a release",
        description="One file of the release as published, by its path in the release's `files` (such as "
        "`datapackage/data/clauses.csv`) or by its bare name when no other file has it (`clauses.csv`, "
        "`datapackage.json`, `release.json`).",
        responses=ERRORS,
        response_description="The file's bytes: CSV as UTF-8 text, JSON, Parquet.",
    )
    def get_file(
        self, request: Request[Any, Any, Any], store: StoreDep, version: Version, name: FileName
    ) -> Response[bytes] | File:
        return _file_response(request, store, version, name)

    @get(
        "/{version:str}/archive",
        opt=STRICT_QUERY,
        sync_to_thread=True,
        summary="The whole release as one zip",
        description="Every file of the release (as listed in its `release.json`, under one folder) in one zip "
        "archive. Its SHA-256 is the strong `ETag` and the `Repr-Digest` header, and `release.json` records it "
        "(`archive`) for releases cut since archives exist; the zip is deterministic, so it is the same bytes "
        "wherever it is built. Range requests are answered with 206. 404 for the working package.",
        responses=ERRORS,
        media_type="application/zip",
    )
    def get_archive(self, request: Request[Any, Any, Any], store: StoreDep, version: Version) -> Response[bytes] | File:
        rel = resolve_release(store, version)
        archive = release_archive(rel)
        if archive is None:
            raise not_found(
                f"Release {rel.version} is the working package, not a cut release: it has no archive; "
                "download its files one by one, or a cut release's archive."
            )
        if archive.recorded and not still_as_recorded(archive.path, archive.sha256):
            log.error(
                "release %s: %s no longer has the SHA-256 its release.json records; not served",
                rel.version,
                archive.filename,
            )
            raise ApiProblem(
                503,
                f"The archive of release {rel.version} no longer matches its recorded checksum "
                "and is not served; the service's operator has been told.",
            )
        response = ranged_file(request, archive.path, archive.sha256, archive.filename, "application/zip", "attachment")
        digest = base64.b64encode(bytes.fromhex(archive.sha256)).decode()
        response.headers["Repr-Digest"] = f"sha-256=:{digest}:"
        return response

    @get(
        "/{from_version:str}/changes/{to_version:str}",
        opt=STRICT_QUERY,
        sync_to_thread=True,
        summary="Changes between two releases",
        description="Documents and clauses added, removed or changed (text, heading, numbering, kind, parent or "
        "topics) from `from_version` to `to_version`, by ID; lists hold at most 1000 IDs each, the counts are "
        "complete.",
        responses=ERRORS,
    )
    def get_changes(self, store: StoreDep, from_version: Version, to_version: Version) -> ReleaseChangesResponse:
        old = resolve_release(store, from_version)
        new = resolve_release(store, to_version)
        return ReleaseChangesResponse(data=changes(old, new), meta=ItemMeta(release=new.version))
