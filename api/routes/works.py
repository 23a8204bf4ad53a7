"""GET /works, GET /works/{work_id}, GET /works/{work_id}/as-of/{date} and GET /works/{work_id}/changes."""

from __future__ import annotations

from litestar import Controller, get

from api import vocab
from api.models import ChangeList, ChangesMeta, ItemMeta, ListMeta, Work, WorkAsOfResponse, WorkList, WorkResponse
from api.params import (
    DEFAULT_LIMIT,
    ChangeLevel,
    Checker,
    Day,
    FromDoc,
    Limit,
    Offset,
    Release_,
    ToDoc,
    Versioned,
    WorkId,
    resolve_release,
)
from api.problems import not_found
from api.routes.common import ERRORS, STRICT_QUERY, StoreDep
from api.store import Release
from api.work_records import change_counts, changes, versions_of, work, work_as_of, works

LEVELS = ("article", "paragraph")


def _work_or_404(rel: Release, work_id: str) -> Work:
    found = work(rel, work_id) if vocab.DOC_ID_RE.match(work_id) else None
    if found is None:
        raise not_found(
            f"No work {work_id!r} in release {rel.version}; a work ID is a document ID without its year "
            "(see GET /works)."
        )
    return found


class WorkController(Controller):
    path = "/works"
    tags = ("works",)

    @get(
        "/",
        opt=STRICT_QUERY,
        sync_to_thread=True,
        summary="List works",
        description="Every work (a law or document over time) of the release by ID, with how many versions it has; "
        "`versioned=true` keeps the works of two or more versions.",
        responses=ERRORS,
    )
    def list_works(
        self,
        store: StoreDep,
        versioned: Versioned = False,
        release: Release_ = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> WorkList:
        rel = resolve_release(store, release)
        total, data = works(rel, versioned, limit, offset)
        return WorkList(
            data=data, meta=ListMeta(total=total, limit=limit, offset=offset, next_cursor=None, release=rel.version)
        )

    @get(
        "/{work_id:str}",
        opt=STRICT_QUERY,
        sync_to_thread=True,
        summary="A work and its versions",
        description="A law (or any document) over time: each version is a document of the release, oldest first, "
        "in force from `in_force_from` (the effective date, else the text's commencement article, else promulgation "
        "or issue; `in_force_basis` says which) until `in_force_until` (exclusive; empty for the latest).",
        responses=ERRORS,
    )
    def get_work(self, store: StoreDep, work_id: WorkId, release: Release_ = None) -> WorkResponse:
        rel = resolve_release(store, release)
        return WorkResponse(data=_work_or_404(rel, work_id), meta=ItemMeta(release=rel.version))

    @get(
        "/{work_id:str}/as-of/{date:str}",
        opt=STRICT_QUERY,
        sync_to_thread=True,
        summary="The version of a work in force on a day, with its outline",
        description="The version in force on `date` and its outline. A day before the work's first version gives "
        "`in_force: false`, no version and a `note` that says so (200, not an error).",
        responses=ERRORS,
    )
    def get_as_of(self, store: StoreDep, work_id: WorkId, date: Day, release: Release_ = None) -> WorkAsOfResponse:
        rel = resolve_release(store, release)
        check = Checker()
        day = check.date("date", date)
        check.raise_if_any()
        _work_or_404(rel, work_id)
        found = work_as_of(rel, work_id, day)
        assert found is not None
        return WorkAsOfResponse(data=found, meta=ItemMeta(release=rel.version))

    @get(
        "/{work_id:str}/changes",
        opt=STRICT_QUERY,
        sync_to_thread=True,
        summary="Article- and 款-level changes between two consecutive versions",
        description="Each article (and 款) of the older version with its counterpart in the newer one and the kind of "
        "change (`unchanged`, `renumbered`, `amended`, `renumbered-and-amended`, `repealed`), then the `added` ones. "
        "`from` and `to` are consecutive versions (document IDs); without them, the latest revision. "
        "`meta.counts` counts the kinds per level.",
        responses=ERRORS,
    )
    def get_changes(
        self,
        store: StoreDep,
        work_id: WorkId,
        from_: FromDoc = None,
        to: ToDoc = None,
        level: ChangeLevel = None,
        release: Release_ = None,
    ) -> ChangeList:
        rel = resolve_release(store, release)
        check = Checker()
        levels = check.vocabulary("level", level, LEVELS) or LEVELS
        check.raise_if_any()
        versions = versions_of(rel, _work_or_404(rel, work_id).id)
        pair = _pair(check, [v.document_id for v in versions], from_, to)
        check.raise_if_any()
        if pair is None:
            raise not_found(f"{work_id} has one version in release {rel.version}: there are no changes to list.")
        found = changes(rel, pair[0], pair[1], levels)
        meta = ChangesMeta(
            work_id=work_id,
            from_document_id=pair[0],
            to_document_id=pair[1],
            counts=change_counts(found),
            total=len(found),
            release=rel.version,
        )
        return ChangeList(data=found, meta=meta)


def _pair(check: Checker, chain: list[str], old: str | None, new: str | None) -> tuple[str, str] | None:
    """The consecutive versions (older, newer) the request names; None when the work has only one version."""
    if len(chain) < 2:
        return None
    for name, value in (("from", old), ("to", new)):
        if value is not None and value not in chain:
            check.add(name, f"{value!r} is not a version of this work", chain)
    if check.errors:
        return None
    if old is None and new is None:
        return chain[-2], chain[-1]
    if old is None:
        j = chain.index(new or "")
        if j == 0:
            check.add("to", f"{new} is the first version", chain)
        return chain[j - 1], chain[j]
    i = chain.index(old)
    if new is None:
        if i + 1 == len(chain):
            check.add("from", f"{old} is the latest version", chain)
            return None
        return chain[i], chain[i + 1]
    if chain.index(new) != i + 1:
        check.add("to", f"{new} does not directly follow {old}: give consecutive versions", chain)
    return old, new
