"""Cut a release: ``python -m scripts.release X.Y.Z [--notes TEXT] [--date YYYY-MM-DD] [--dry-run]``.

A release is an immutable directory ``releases/X.Y.Z/`` holding the package as
built from the sources (datapackage.json carrying version X.Y.Z, the CSV and
JSON files, the Table Schemas) plus a Parquet copy of every table,
``changes.json`` (what changed against the previous release: clauses added,
removed and changed with a text diff, tags changed, IDs retired, errata,
vocabulary, schema and metadata changes, and the version bump they need) and
``release.json`` (every file's SHA-256, size and row count, and a summary).

The command refuses to overwrite a release, to release a package that does not
validate, and to use a version number that understates the changes, following
the Frictionless data-package-version recipe:

* major: an ID retired (a clause, document or topic removed), a field added,
  removed, renamed or retyped, a constraint tightened, a resource removed;
* minor: data added (clauses, documents, topics, tags, a resource), a
  constraint loosened (e.g. a new city);
* patch: corrections (clause text, errata, metadata, removed tags) and
  descriptive metadata.

Everything is written to a temporary directory beside the release and moved
into place in one step; then the changelog gets the release's entry and the
working package takes the new version.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import difflib
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from schemas import registry
from scripts import citation_file, vocab
from scripts.archive import archive_bytes, archive_entry, archive_name
from scripts.package import DATA_DIR, RELEASE_VERSION_RE, RELEASES_DIR, released_versions, version_key
from scripts.release_integrity import record_checksum

LEVELS = ("patch", "minor", "major")
CHANGELOG = "CHANGELOG.md"
UNRELEASED = "## Unreleased"
NOTHING_YET = "_Nothing yet._"
RETIRED_FILE = "datapackage/retired.csv"
#: Descriptor properties that only describe the package (a change is a patch).
DESCRIPTIVE = ("title", "description", "homepage", "keywords", "contributors", "$schema", "name")
DIFF_CONTEXT = 12


class ReleaseError(Exception):
    """The release is refused; the message says why and what to do."""


# -- reading packages ---------------------------------------------------------------------------------


def read_csv_bytes(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def package_from_dir(base: Path) -> dict[str, bytes]:
    """The files of a cut release, by path relative to the release directory."""
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


def tables(files: dict[str, bytes]) -> dict[str, list[dict[str, str]]]:
    out = {}
    for name in (t.name for t in registry.TABLES):
        data = files.get(f"{DATA_DIR}/{name}.csv")
        out[name] = read_csv_bytes(data) if data is not None else []
    return out


def schema_of(files: dict[str, bytes], name: str) -> dict[str, Any] | None:
    data = files.get(f"schemas/{name}.json")
    return json.loads(data) if data is not None else None


# -- changes ------------------------------------------------------------------------------------------


def char_diff(old: str, new: str, context: int = DIFF_CONTEXT) -> str:
    """A compact character-level diff: unchanged runs shortened to their ends, ``[-old-]{+new+}`` marks."""
    out: list[str] = []
    ops = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    for k, (op, a1, a2, b1, b2) in enumerate(ops):
        if op == "equal":
            run = old[a1:a2]
            head = run[:context] if k > 0 else ""
            tail = run[-context:] if k < len(ops) - 1 else ""
            if len(run) <= 2 * context and k > 0 and k < len(ops) - 1:
                out.append(run)
            else:
                out.append(head + ("…" if len(run) > len(head) + len(tail) else "") + tail)
            continue
        if a2 > a1:
            out.append(f"[-{old[a1:a2]}-]")
        if b2 > b1:
            out.append(f"{{+{new[b1:b2]}+}}")
    return "".join(out)


def _field_changes(old: dict[str, str], new: dict[str, str], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    changed: dict[str, Any] = {}
    for key in new:
        if key in skip or old.get(key) == new[key]:
            continue
        entry: dict[str, Any] = {"old": old.get(key), "new": new[key]}
        if key in ("text", "heading", "title") and old.get(key) is not None:
            entry["diff"] = char_diff(old[key], new[key])
        changed[key] = entry
    return changed


def _retired_reasons(root: Path) -> dict[str, dict[str, str]]:
    path = root / RETIRED_FILE
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {
            r["clause_id"]: {"reason": r.get("reason") or "", "replaced_by": r.get("replaced_by") or ""}
            for r in csv.DictReader(f)
            if r.get("clause_id")
        }


def _listing(ids: list[str], limit: int = 5) -> str:
    return ", ".join(ids[:limit]) + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def schema_changes(old: dict[str, Any] | None, new: dict[str, Any] | None, name: str) -> list[dict[str, str]]:
    """Field-level changes of one Table Schema, each with the bump it needs."""
    if old is None or new is None:
        return []
    out: list[dict[str, str]] = []

    def add(level: str, change: str) -> None:
        out.append({"resource": name, "level": level, "change": change})

    old_fields = {f["name"]: f for f in old.get("fields", [])}
    new_fields = {f["name"]: f for f in new.get("fields", [])}
    for f in old_fields.keys() - new_fields.keys():
        add("major", f"field `{f}` removed")
    for f in new_fields.keys() - old_fields.keys():
        add("major", f"field `{f}` added")
    common = [f for f in old_fields if f in new_fields]
    if [f for f in old_fields if f in common] != [f for f in new_fields if f in common]:
        add("major", "fields reordered")
    for f in common:
        a, b = old_fields[f], new_fields[f]
        if (a.get("type"), a.get("itemType"), a.get("delimiter")) != (
            b.get("type"),
            b.get("itemType"),
            b.get("delimiter"),
        ):
            add("major", f"field `{f}` changed type")
        ca, cb = a.get("constraints", {}), b.get("constraints", {})
        if cb.get("required") and not ca.get("required"):
            add("major", f"field `{f}` became required")
        elif ca.get("required") and not cb.get("required"):
            add("minor", f"field `{f}` is no longer required")
        if cb.get("unique") and not ca.get("unique"):
            add("major", f"field `{f}` became unique")
        if ca.get("pattern") != cb.get("pattern"):
            add("major", f"the pattern of `{f}` changed")
        if "enum" in ca or "enum" in cb:
            ea, eb = set(ca.get("enum", [])), set(cb.get("enum", []))
            if "enum" not in cb:
                add("minor", f"`{f}` is no longer restricted to a list of values")
            elif "enum" not in ca or ea - eb:
                removed = sorted(ea - eb)
                add("major", f"`{f}` no longer allows {', '.join(removed)}" if removed else f"`{f}` restricted")
            if "enum" in ca and "enum" in cb and eb - ea:
                add("minor", f"`{f}` now also allows {', '.join(sorted(eb - ea))}")
        if ca.get("minimum") != cb.get("minimum"):
            tighter = (cb.get("minimum") or 0) > (ca.get("minimum") or 0)
            add("major" if tighter else "minor", f"the minimum of `{f}` changed")
        if (a.get("description"), a.get("title")) != (b.get("description"), b.get("title")):
            add("patch", f"the description of `{f}` changed")
    if old.get("primaryKey") != new.get("primaryKey"):
        add("major", "primary key changed")
    if old.get("foreignKeys") != new.get("foreignKeys"):
        add("major", "foreign keys changed")
    return out


def compute_changes(
    old_files: dict[str, bytes] | None,
    new_files: dict[str, bytes],
    root: Path,
    version: str,
    previous: str | None,
    date: str,
) -> dict[str, Any]:
    """The machine-readable changes of a release against the previous one (None for the first)."""
    new = tables(new_files)
    old = tables(old_files) if old_files is not None else {t.name: [] for t in registry.TABLES}
    c = _clause_changes(old, new, root)
    tags = _tag_changes(old, new, c)
    docs = _keyed_changes(old["documents"], new["documents"], "id")
    topics = _keyed_changes(old["topics"], new["topics"], "slug")
    old_e = {(e["clause_id"], e["original"]): e for e in old["errata"]}
    new_e = {(e["clause_id"], e["original"]): e for e in new["errata"]}
    errata = {
        "added": [e for k, e in new_e.items() if k not in old_e],
        "removed": [e for k, e in old_e.items() if k not in new_e],
    }
    resources, schema, metadata = _descriptor_changes(old_files, new_files)
    by_key = {t.name: keyed_table_changes(t, old[t.name], new[t.name]) for t in registry.TABLES}
    changes: dict[str, Any] = {
        "version": version,
        "previous": previous,
        "date": date,
        "required_bump": None,
        "reasons": [],
        "counts": _counts(new, docs, c, tags, errata),
        "added": c["added"],
        "removed": c["removed"],
        "changed": c["changed"],
        "tags_changed": tags["changed"],
        "retired": c["retired"],
        "documents": docs,
        "versions": versions_added(new, docs["added"]),
        "errata": errata,
        "topics": topics,
        "resources": resources,
        "schema": schema,
        "metadata": metadata,
        "tables": by_key,
    }
    if old_files is not None:
        changes["reasons"] = c["reasons"] + _reasons(changes)
    changes["required_bump"] = max((r["level"] for r in changes["reasons"]), key=LEVELS.index, default=None)
    return changes


def _counts(
    new: dict[str, list[dict[str, str]]],
    docs: dict[str, Any],
    c: dict[str, Any],
    tags: dict[str, Any],
    errata: dict[str, list[dict[str, str]]],
) -> dict[str, int]:
    """The release's sizes and how many rows of each kind were added, removed and changed."""
    return {
        "documents": len(new["documents"]),
        "clauses": len(new["clauses"]),
        "tags": len(new["clause_topics"]),
        "topics": len(new["topics"]),
        "errata": len(new["errata"]),
        "documents_added": len(docs["added"]),
        "documents_removed": len(docs["removed"]),
        "documents_changed": len(docs["changed"]),
        "clauses_added": len(c["added"]),
        "clauses_removed": len(c["removed"]),
        "clauses_changed": len(c["changed"]),
        "ids_retired": len(c["retired"]),
        "tags_added": tags["added"],
        "tags_removed": tags["removed"],
        "errata_added": len(errata["added"]),
        "errata_removed": len(errata["removed"]),
    }


def _clause_changes(
    old: dict[str, list[dict[str, str]]], new: dict[str, list[dict[str, str]]], root: Path
) -> dict[str, Any]:
    """Clauses added, removed (and retired), changed; a changed numbering or kind needs a major release."""
    old_c = {c["id"]: c for c in old["clauses"]}
    new_c = {c["id"]: c for c in new["clauses"]}
    errata_by_clause: dict[str, list[dict[str, str]]] = {}
    for e in new["errata"]:
        errata_by_clause.setdefault(e["clause_id"], []).append(e)
    out: dict[str, Any] = {"old": old_c, "new": new_c, "removed": [], "retired": [], "changed": [], "reasons": []}
    out["added"] = [
        {
            "id": c["id"],
            "document_id": c["document_id"],
            "kind": c["kind"],
            "numbering": c["numbering"],
            "heading": c["heading"],
        }
        for cid, c in new_c.items()
        if cid not in old_c
    ]
    retired_info = _retired_reasons(root)
    for cid, c in old_c.items():
        if cid not in new_c:
            out["removed"].append(
                {
                    "id": cid,
                    "document_id": c["document_id"],
                    "kind": c["kind"],
                    "numbering": c["numbering"],
                    "heading": c["heading"],
                    "text": c["text"],
                }
            )
            out["retired"].append({"id": cid, **retired_info.get(cid, {"reason": "", "replaced_by": ""})})
    for cid, c in new_c.items():
        fields = _field_changes(old_c[cid], c, skip=("topics",)) if cid in old_c else {}
        if not fields:
            continue
        entry: dict[str, Any] = {"id": cid, "fields": fields}
        if cid in errata_by_clause:
            entry["errata"] = errata_by_clause[cid]
        out["changed"].append(entry)
        if "numbering" in fields or "kind" in fields:
            out["reasons"].append(
                {
                    "level": "major",
                    "reason": f"{cid} now names a different clause ({fields.get('numbering', fields.get('kind'))})",
                }
            )
    return out


def _tag_changes(
    old: dict[str, list[dict[str, str]]], new: dict[str, list[dict[str, str]]], clauses: dict[str, Any]
) -> dict[str, Any]:
    """Topic tags added and removed per clause kept; tags of added clauses count as added."""
    old_t: dict[str, set[str]] = {}
    new_t: dict[str, set[str]] = {}
    for t in old["clause_topics"]:
        old_t.setdefault(t["clause_id"], set()).add(t["topic"])
    for t in new["clause_topics"]:
        new_t.setdefault(t["clause_id"], set()).add(t["topic"])
    order = {slug: i for i, slug in enumerate(vocab.topic_slugs())}
    old_c, new_c = clauses["old"], clauses["new"]
    changed = []
    for cid in new_c:
        a, b = old_t.get(cid, set()), new_t.get(cid, set())
        if a != b and cid in old_c:
            changed.append(
                {
                    "clause_id": cid,
                    "added": sorted(b - a, key=lambda s: order.get(s, 999)),
                    "removed": sorted(a - b, key=lambda s: order.get(s, 999)),
                }
            )
    added = sum(len(t["added"]) for t in changed) + sum(len(new_t.get(c["id"], ())) for c in clauses["added"])
    return {"changed": changed, "added": added, "removed": sum(len(t["removed"]) for t in changed)}


def _descriptor_changes(
    old_files: dict[str, bytes] | None, new_files: dict[str, bytes]
) -> tuple[dict[str, list[str]], list[dict[str, str]], list[dict[str, Any]]]:
    """Resources added and removed, Table Schema changes, changed descriptor properties."""
    old_d = json.loads(old_files["datapackage.json"]) if old_files and "datapackage.json" in old_files else {}
    new_d = json.loads(new_files["datapackage.json"])
    old_r = [r["name"] for r in old_d.get("resources", [])]
    new_r = [r["name"] for r in new_d.get("resources", [])]
    resources = {"added": [r for r in new_r if r not in old_r], "removed": [r for r in old_r if r not in new_r]}
    if old_files is None:
        return resources, [], []
    schema = [
        change
        for name in new_r
        if name in old_r
        for change in schema_changes(schema_of(old_files, name), schema_of(new_files, name), name)
    ]
    metadata = [
        {"property": key, "old": old_d.get(key), "new": new_d.get(key)}
        for key in sorted(set(old_d) | set(new_d))
        if key not in ("version", "resources", "sources") and old_d.get(key) != new_d.get(key)
    ]
    return resources, schema, metadata


def _reasons(changes: dict[str, Any]) -> list[dict[str, str]]:
    """Every change but a renamed clause, with the bump it needs (major first, as listed)."""
    out: list[dict[str, str]] = []

    def need(level: str, reason: str) -> None:
        out.append({"level": level, "reason": reason})

    c, docs, topics, resources = changes["counts"], changes["documents"], changes["topics"], changes["resources"]
    if changes["retired"]:
        need(
            "major",
            f"{len(changes['retired'])} clause ID(s) retired: {_listing([r['id'] for r in changes['retired']])}",
        )
    if docs["removed"]:
        need("major", f"{len(docs['removed'])} document(s) removed: {_listing(docs['removed'])}")
    if topics["removed"]:
        need("major", f"{len(topics['removed'])} topic(s) removed from the vocabulary: {_listing(topics['removed'])}")
    if resources["removed"]:
        need("major", f"resource(s) removed: {', '.join(resources['removed'])}")
    for m in changes["metadata"]:
        need("major" if m["property"] == "licenses" else "patch", f"descriptor property `{m['property']}` changed")
    for s in changes["schema"]:
        need(s["level"], f"{s['resource']}: {s['change']}")
    versions = [f"{v['document_id']} after {v['previous_document_id']}" for v in changes.get("versions", [])]
    for level, n, reason in (
        ("minor", len(docs["added"]), f"document(s) added: {_listing(docs['added'])}"),
        ("minor", len(versions), f"new version(s) of a work, the older version kept: {_listing(versions)}"),
        ("minor", c["clauses_added"], "clause(s) added"),
        ("minor", len(topics["added"]), f"topic(s) added: {_listing(topics['added'])}"),
    ):
        if n:
            need(level, f"{n} {reason}")
    if resources["added"]:
        need("minor", f"resource(s) added: {', '.join(resources['added'])}")
    for level, n, reason in (
        ("minor", c["tags_added"], "topic tag(s) added"),
        ("patch", c["tags_removed"], "topic tag(s) removed"),
        ("patch", c["clauses_changed"], "clause(s) corrected"),
        ("patch", len(docs["changed"]), "metadata of {n} document(s) corrected"),
        ("patch", len(topics["changed"]), "topic label(s) or scope note(s) changed"),
    ):
        if n:
            need(level, reason.format(n=n) if "{n}" in reason else f"{n} {reason}")
    if c["errata_added"] or c["errata_removed"]:
        need("patch", f"errata: {c['errata_added']} added, {c['errata_removed']} removed")
    for name, diff in changes["tables"].items():
        if name not in SECTIONS:
            need_for_rows(need, name, diff)
    return out


#: Tables whose changes have a section of their own in changes.json (with the bump each change needs);
#: the rows of every other table are diffed by primary key alone (see keyed_table_changes).
SECTIONS = ("documents", "clauses", "topics", "clause_topics", "errata")


def keyed_table_changes(table: registry.Table, old: list[dict[str, str]], new: list[dict[str, str]]) -> dict[str, Any]:
    """Rows added, removed and changed between two versions of one table, matched by its primary key."""

    def key(row: dict[str, str]) -> str:
        return "|".join(row.get(k, "") for k in table.primary_key)

    a, b = {key(r): r for r in old}, {key(r): r for r in new}
    changed = [
        {"key": k, "fields": sorted(f for f in table.field_names if a[k].get(f) != row.get(f))}
        for k, row in b.items()
        if k in a and a[k] != row
    ]
    return {
        "primary_key": list(table.primary_key),
        "added": [k for k in b if k not in a],
        "removed": [k for k in a if k not in b],
        "changed": changed,
    }


def need_for_rows(need: Any, name: str, diff: dict[str, Any]) -> None:
    """Rows added to a table are new data (minor); rows removed or changed are corrections (patch)."""
    if diff["added"]:
        need("minor", f"{name}: {len(diff['added'])} row(s) added")
    if diff["removed"] or diff["changed"]:
        need("patch", f"{name}: {len(diff['removed'])} row(s) removed, {len(diff['changed'])} changed")


def versions_added(new: dict[str, list[dict[str, str]]], documents_added: list[str]) -> list[dict[str, str]]:
    """The added documents that are a new version of a work: an addition linked to the version it follows."""
    added = set(documents_added)
    return [
        {
            "document_id": v["document_id"],
            "work_id": v["work_id"],
            "previous_document_id": v["previous_document_id"],
            "in_force_from": v["in_force_from"],
        }
        for v in new.get("versions", [])
        if v["document_id"] in added and v["previous_document_id"]
    ]


def _keyed_changes(old: list[dict[str, str]], new: list[dict[str, str]], key: str) -> dict[str, Any]:
    a = {r[key]: r for r in old}
    b = {r[key]: r for r in new}
    return {
        "added": [k for k in b if k not in a],
        "removed": [k for k in a if k not in b],
        "changed": [{key: k, "fields": f} for k in b if k in a and (f := _field_changes(a[k], b[k]))],
    }


def bump_of(previous: str, version: str) -> str | None:
    """The level of the bump from previous to version; None when version is not after previous."""
    a, b = version_key(previous), version_key(version)
    if b <= a:
        return None
    if b[0] != a[0]:
        return "major"
    return "minor" if b[1] != a[1] else "patch"


def suggest(previous: str, level: str) -> str:
    major, minor, patch = version_key(previous)
    return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0", "patch": f"{major}.{minor}.{patch + 1}"}[
        level
    ]


def summary_line(changes: dict[str, Any]) -> str:
    c = changes["counts"]
    if changes["previous"] is None:
        return (
            f"First release: {_n(c['documents'], 'document')}, {_n(c['clauses'], 'clause')}, "
            f"{_n(c['tags'], 'topic tag')}, {_n(c['errata'], 'erratum', 'errata')}."
        )
    parts = []
    for key, label in (
        ("documents_added", "documents added"),
        ("documents_removed", "documents removed"),
        ("documents_changed", "documents corrected"),
        ("clauses_added", "clauses added"),
        ("clauses_removed", "clauses removed"),
        ("clauses_changed", "clauses changed"),
        ("ids_retired", "IDs retired"),
        ("tags_added", "tags added"),
        ("tags_removed", "tags removed"),
        ("errata_added", "errata added"),
        ("errata_removed", "errata removed"),
    ):
        if c[key]:
            noun, _, rest = label.partition(" ")
            parts.append(f"{_n(c[key], noun[:-1] if noun != 'errata' else 'erratum', noun)} {rest}")
    if changes.get("versions"):
        parts.append(_n(len(changes["versions"]), "new version") + " of a work (older versions kept)")
    for name, diff in changes.get("tables", {}).items():
        if name not in SECTIONS:
            parts += [
                f"{_n(len(diff[what]), f'{name} row')} {what}" for what in ("added", "removed", "changed") if diff[what]
            ]
    for key in ("schema", "metadata"):
        if changes[key]:
            parts.append(f"{len(changes[key])} {key} change(s)")
    return (
        f"Against {changes['previous']}: "
        + (", ".join(parts) if parts else "no data changes")
        + f". Now {_n(c['documents'], 'document')}, {_n(c['clauses'], 'clause')}, {_n(c['tags'], 'topic tag')}."
    )


def _n(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


# -- files --------------------------------------------------------------------------------------------


def row_count(rel: str, data: bytes) -> int | None:
    if rel.endswith(".csv"):
        return len(read_csv_bytes(data))
    if rel.endswith(".parquet"):
        import pyarrow as pa
        import pyarrow.parquet as pq

        return pq.read_metadata(pa.BufferReader(data)).num_rows
    if rel.startswith(DATA_DIR) and rel.endswith(".json"):
        value = json.loads(data)
        return len(value) if isinstance(value, list) else None
    return None


def release_files(built: dict[str, bytes]) -> dict[str, bytes]:
    """The files of a release: the built package as it is (CSV, JSON, typed Parquet, Table Schemas)."""
    return dict(built)


def file_entries(files: dict[str, bytes]) -> list[dict[str, Any]]:
    entries = []
    for rel in sorted(files):
        data = files[rel]
        entry: dict[str, Any] = {"path": rel, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        rows = row_count(rel, data)
        if rows is not None:
            entry["rows"] = rows
        entries.append(entry)
    return entries


def dump(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# -- changelog ----------------------------------------------------------------------------------------


def changelog_entry(version: str, date: str, notes: str, changes: dict[str, Any]) -> str:
    lines = [f"## {version} — {date}", ""]
    if notes.strip():
        lines += [notes.strip(), ""]
    lines.append(summary_line(changes))
    if changes["previous"] is not None:
        for r in changes["reasons"]:
            lines.append(f"- {r['level']}: {r['reason']}")
        for e in changes["errata"]["added"]:
            what = e.get("kind", "erratum").replace("-", " ")
            lines.append(f"- {what} in {e['clause_id']}: {e['original']} → {e['corrected']} ({e['reason']})")
    lines += [
        "",
        f"Files, checksums and row counts: `releases/{version}/release.json`; every change: "
        f"`releases/{version}/changes.json`.",
        "",
    ]
    return "\n".join(lines)


def split_changelog(text: str) -> tuple[str, str, str]:
    """(before the Unreleased section, its notes, the rest from the next release heading)."""
    lines = text.split("\n")
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == UNRELEASED)
    except StopIteration:
        raise ReleaseError(f"{CHANGELOG} has no `{UNRELEASED}` section: add one above the first release") from None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    notes = "\n".join(lines[start + 1 : end]).strip()
    return "\n".join(lines[:start]), "" if notes == NOTHING_YET else notes, "\n".join(lines[end:])


def updated_changelog(text: str, entry: str) -> str:
    head, _, rest = split_changelog(text)
    return f"{head.rstrip()}\n\n{UNRELEASED}\n\n{NOTHING_YET}\n\n{entry.rstrip()}\n" + (
        f"\n{rest.strip()}\n" if rest.strip() else ""
    )


# -- the command --------------------------------------------------------------------------------------


def _check_target(root: Path, version: str) -> str | None:
    """Refuse a malformed, existing or not-later version; the latest release before it (None if first)."""
    if not RELEASE_VERSION_RE.match(version):
        raise ReleaseError(f"{version!r} is not a release version: write MAJOR.MINOR.PATCH, e.g. 1.0.0")
    if (root / RELEASES_DIR / version).exists():
        raise ReleaseError(
            f"release {version} already exists ({RELEASES_DIR}/{version}): a release never changes; cut a new version"
        )
    versions = released_versions(root)
    previous = versions[-1] if versions else None
    if previous is not None and bump_of(previous, version) is None:
        raise ReleaseError(f"{version} is not after the latest release {previous}: choose a higher version")
    return previous


def _validated_build(root: Path, version: str) -> Any:
    """The package built as ``version``, refused unless the working package validates."""
    from scripts.build import BuildError, build
    from scripts.validate import validate

    report = validate(root)
    if not report.ok:
        first = report.problems[0].text().splitlines()[0]
        raise ReleaseError(
            f"the package does not validate ({len(report.problems)} error(s), first: {first}): run "
            "`python -m scripts.validate` and fix them first"
        )
    try:
        return build(root, root / "datapackage" / "sources", version=version)
    except BuildError as exc:  # pragma: no cover - validate() has rebuilt the package already
        raise ReleaseError(str(exc)) from exc


def _check_bump(changes: dict[str, Any], previous: str, version: str) -> None:
    """Refuse a release of nothing, or a version that understates the changes."""
    required = changes["required_bump"]
    if required is None:
        raise ReleaseError(f"nothing changed since {previous}: there is nothing to release")
    given = bump_of(previous, version)
    assert given is not None
    if LEVELS.index(given) < LEVELS.index(required):
        why = "; ".join(r["reason"] for r in changes["reasons"] if r["level"] == required)
        raise ReleaseError(
            f"version {version} understates the changes since {previous}, which need a {required} "
            f"release: {why}; release them as {suggest(previous, required)} (or higher)"
        )


def _release_info(name: str | None, changes: dict[str, Any], notes: str, files: dict[str, bytes]) -> dict[str, Any]:
    """``release.json``'s content for ``files`` and their ``changes`` (``changes.json`` among the files)."""
    return {
        "name": name,
        "version": changes["version"],
        "previous": changes["previous"],
        "date": changes["date"],
        "bump": changes["bump"],
        "notes": notes,
        "files": file_entries(files),
        "changes": {
            "summary": summary_line(changes),
            "required_bump": changes["required_bump"],
            "counts": changes["counts"],
            "path": "changes.json",
        },
    }


def prepare(
    version: str, root: Path = vocab.ROOT, notes: str = "", date: str | None = None
) -> tuple[dict[str, bytes], dict[str, Any], str, Any]:
    """Check everything and compute the release's files in memory; nothing is written."""
    previous = _check_target(root, version)
    result = _validated_build(root, version)
    date = date or dt.date.today().isoformat()
    old_files = package_from_dir(root / RELEASES_DIR / previous) if previous else None
    files = release_files(result.files)
    changes = compute_changes(old_files, files, root, version, previous, date)
    if previous is not None:
        _check_bump(changes, previous, version)
    changes["bump"] = bump_of(previous, version) if previous else "initial"
    changelog_path = root / CHANGELOG
    text = (
        changelog_path.read_text(encoding="utf-8")
        if changelog_path.is_file()
        else (f"# Changelog\n\n{UNRELEASED}\n\n{NOTHING_YET}\n")
    )
    _, pending, _ = split_changelog(text)
    release_notes = "\n\n".join(x for x in (pending, notes.strip()) if x)
    files["changes.json"] = dump(changes)
    cff = citation_for(root, version, date)
    if cff is not None:
        files[citation_file.FILE] = cff
    package_name = json.loads(result.files["datapackage.json"]).get("name")
    info = _release_info(package_name, changes, release_notes, files)
    name = str(package_name or "data")
    archive = archive_bytes(files, f"{name}-{version}")
    info["archive"] = archive_entry(archive_name(name, version), archive)
    files["release.json"] = dump(info)
    files[info["archive"]["path"]] = archive
    entry = changelog_entry(version, date, release_notes, changes)
    return files, info, updated_changelog(text, entry), result


def citation_for(root: Path, version: str, date: str) -> bytes | None:
    """The repository's CITATION.cff naming this release (None when the repository has none)."""
    path = root / citation_file.FILE
    if not path.is_file():
        return None
    try:
        return citation_file.for_release(path.read_text(encoding="utf-8"), version, date).encode("utf-8")
    except citation_file.CitationFileError as exc:
        raise ReleaseError(str(exc)) from exc


def release(version: str, root: Path = vocab.ROOT, notes: str = "", date: str | None = None) -> Path:
    """Cut release ``version``: write ``releases/<version>/``, the changelog entry and the working version."""
    from scripts.build import publish

    files, _, changelog, result = prepare(version, root, notes, date)
    base = root / RELEASES_DIR
    base.mkdir(parents=True, exist_ok=True)
    target = base / version
    staging = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=base))
    try:
        for rel, data in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if target.exists():
            raise ReleaseError(f"release {version} already exists ({RELEASES_DIR}/{version}): a release never changes")
        os.rename(staging, target)
        record_checksum(base, version, files["release.json"])
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    tmp = root / f".{CHANGELOG}.tmp"
    tmp.write_text(changelog, encoding="utf-8", newline="\n")
    tmp.replace(root / CHANGELOG)
    if citation_file.FILE in files:  # the dataset's citation now names this release
        tmp = root / f".{citation_file.FILE}.tmp"
        tmp.write_bytes(files[citation_file.FILE])
        tmp.replace(root / citation_file.FILE)
    publish(result, root, validate=False)  # the working package now carries the new version
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("version", help="the new version, MAJOR.MINOR.PATCH")
    parser.add_argument("--notes", default="", help="release notes, added to those of the Unreleased section")
    parser.add_argument("--date", help="release date (default: today)")
    parser.add_argument("--dry-run", action="store_true", help="check and show the changes; write nothing")
    parser.add_argument("--root", type=Path, default=vocab.ROOT, help="repository to release (default: this one)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.date:
        try:
            dt.date.fromisoformat(args.date)
        except ValueError:
            parser.error(f"--date {args.date!r} is not YYYY-MM-DD")
    try:
        if args.dry_run:
            files, info, _, _ = prepare(args.version, root, notes=args.notes, date=args.date)
            print(f"release {args.version} ({info['bump']}) would be cut: {info['changes']['summary']}")
            for r in json.loads(files["changes.json"])["reasons"]:
                print(f"  {r['level']}: {r['reason']}")
            print("nothing was written (--dry-run)")
            return 0
        target = release(args.version, root, notes=args.notes, date=args.date)
    except ReleaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return 1
    info = json.loads((target / "release.json").read_text(encoding="utf-8"))
    rel = target.relative_to(root).as_posix()
    print(f"released {args.version} ({info['bump']}) in {rel}: {len(info['files']) + 1} files")
    print(f"  {info['changes']['summary']}")
    print(
        f"  {CHANGELOG} has its entry, {citation_file.FILE} names {args.version}; datapackage.json now carries "
        f"version {args.version}"
    )
    print(
        f"  commit it: git add {rel} {RELEASES_DIR}/SHA256SUMS {CHANGELOG} {citation_file.FILE} datapackage.json "
        f"&& git commit -m 'Release {args.version}' && git tag v{args.version}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
