"""Explorer pages on versions: a work with the changes of each revision; an article's two versions side by side."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Request, Response, get

from api import vocab
from api.explorer import labels as lb
from api.explorer.pages import HTML_PAGE
from api.explorer.render import render
from api.explorer.textdiff import side_by_side
from api.lookups import clause_or_404
from api.params import ClauseId, Release_, WorkId, resolve_release
from api.problems import not_found
from api.routes.common import StoreDep
from api.work_records import assembled_text, change_counts, changes, work


def work_path(work_id: str) -> str:
    return "/work/" + quote(work_id, safe="")


def compare_path(old_id: str, new_id: str) -> str:
    return f"/compare/{quote(old_id, safe='')}/{quote(new_id, safe='')}"


@get("/work/{work_id:str}", name="explorer-work", **HTML_PAGE)
def work_page(
    request: Request[Any, Any, Any], store: StoreDep, work_id: WorkId, release: Release_ = None
) -> Response[str]:
    rel = resolve_release(store, release)
    found = work(rel, work_id) if vocab.DOC_ID_RE.match(work_id) else None
    if found is None:
        raise not_found(f"No work {work_id!r} in release {rel.version}.")
    revisions = []
    for old, new in zip(found.versions, found.versions[1:], strict=False):
        rows = changes(rel, old.document_id, new.document_id, ("article",))
        revisions.append({"old": old, "new": new, "changes": rows, "counts": change_counts(rows).get("article", {})})
    return render(
        request,
        "work.html",
        rel,
        release,
        {
            "work": found,
            "revisions": revisions,
            "json_url": f"/works/{quote(work_id, safe='')}",
            "labels": lb.release_labels(rel),
        },
    )


@get("/compare/{old_id:str}/{new_id:str}", name="explorer-compare", **HTML_PAGE)
def compare_page(
    request: Request[Any, Any, Any], store: StoreDep, old_id: ClauseId, new_id: ClauseId, release: Release_ = None
) -> Response[str]:
    rel = resolve_release(store, release)
    old, new = clause_or_404(rel, old_id), clause_or_404(rel, new_id)
    left, right = side_by_side(assembled_text(rel, old.id), assembled_text(rel, new.id))
    work_id = rel.document_by_id[new.document_id].work_id
    return render(
        request,
        "compare.html",
        rel,
        release,
        {
            "old": old,
            "new": new,
            "left": left,
            "right": right,
            "work_id": work_id,
            "work_url": work_path(work_id),
            "labels": lb.release_labels(rel),
        },
    )
