"""The ids check: clause IDs are derived from document, parent, kind and numbering; depth, seq and the
denormalised city, level and source_file agree. It parses each clause row for the checks that follow."""

from __future__ import annotations

from typing import ClassVar

from scripts import vocab
from scripts.checks.base import Check, Clause, Context, ParsedClause, Row
from scripts.checks.labels import expected_segment
from scripts.checks.problems import GENERATED_FIX
from scripts.ids import CLAUSE_ID_RE
from scripts.legal import LEGAL_PATH_RE, citation_path


class IdsCheck(Check):
    name = "ids"
    description = (
        "clause IDs are derived from document, parent, kind and numbering; depth, seq and the "
        "denormalised city, level and source_file agree"
    )
    errors: ClassVar[dict[str, str]] = {
        "not-an-id": "not a clause ID",
        "duplicate": "two clauses with one ID",
        "kind": "an unknown kind",
        "document": 'the ID is not in the row"s document',
        "parent": 'parent_id is not the ID"s parent',
        "depth": 'depth differs from the ID"s levels',
        "levels": "numbering and ID have different levels",
        "label": "a label that is not the numbering of the kind",
        "segment": 'the ID"s last segment differs',
        "citation": "a legal clause whose numbering is not the citation of its ID",
        "seq": "seq out of reading order",
        "denormalised": 'city, level or source_file differ from the document"s',
        "lines": "line_end before line_start",
    }
    tables = ("documents", "clauses")
    owns = frozenset({("clauses", "id", "pattern"), ("clauses", "id", "unique"), ("clauses", "kind", "enum")})

    def __init__(self) -> None:
        self.doc: str | None = None
        self.seq_expected = 0
        self.seq_broken = False
        self.depths: dict[str, int] = {}

    def row(self, ctx: Context, row: Row) -> None:
        if row.table == "documents":
            ctx.documents[row["id"]] = (row["city"], row["level"], row["source_file"])
            return
        ctx.current = self.parse(ctx, row)
        if ctx.current is not None:
            self.derived(ctx, row, ctx.current)

    def parse(self, ctx: Context, row: Row) -> ParsedClause | None:
        cid, document_id = row["id"], row["document_id"]
        if document_id != self.doc:
            self.doc, self.seq_expected, self.seq_broken = document_id, 0, False
        self.seq_expected += 1
        m = CLAUSE_ID_RE.match(cid)
        if m is None:
            self.at(
                ctx,
                "not-an-id",
                row,
                f"{cid!r} is not a clause ID",
                "IDs are derived by the build (document "
                "ID, then one segment per numbering level, see README 'Clause IDs'); " + GENERATED_FIX,
                "id",
            )
            return None
        if cid in ctx.clauses:
            self.at(
                ctx,
                "duplicate",
                row,
                f"{cid} is also the ID of row {ctx.clauses[cid].row}",
                "two clauses derive the same ID: the numbering path is repeated; " + GENERATED_FIX,
                "id",
            )
            return None
        kind = row["kind"]
        if kind not in vocab.KINDS:
            self.at(ctx, "kind", row, f"kind {kind!r} is not one of {', '.join(vocab.KINDS)}", GENERATED_FIX, "kind")
            return None
        ctx.clauses[cid] = Clause(row.row, kind, row["numbering"])
        if m["document"] != document_id:
            self.at(
                ctx,
                "document",
                row,
                f"the ID {cid} is not in document {document_id!r}",
                "the document ID is the first part of every clause ID; " + GENERATED_FIX,
                "document_id",
            )
        path = m["path"].split(".")
        legal = bool(LEGAL_PATH_RE.match(path[0])) or row["numbering"] == "序言"
        return ParsedClause(cid, document_id, kind, path, row["numbering"].split("/"), row["parent_id"], legal)

    def derived(self, ctx: Context, row: Row, c: ParsedClause) -> None:
        derived_parent = c.id.rsplit(".", 1)[0] if len(c.path) > 1 else ""
        if c.legal and c.path[-1].startswith("art"):
            derived_parent = c.parent_id  # articles are numbered through the document: the ID omits the chapter
        if c.parent_id != derived_parent:
            self.at(
                ctx,
                "parent",
                row,
                f"parent_id is {c.parent_id!r} but the ID {c.id} is inside {derived_parent or 'nothing (top level)'}",
                "an ID is its parent's ID plus one segment; " + GENERATED_FIX,
                "parent_id",
            )
        self.depth(ctx, row, c)
        self.segment(ctx, row, c)
        if not self.seq_broken and row["seq"] != str(self.seq_expected):
            self.seq_broken = True
            self.at(
                ctx,
                "seq",
                row,
                f"seq is {row['seq']} but this is clause {self.seq_expected} of {c.document_id} in file order",
                "seq numbers a document's clauses 1, 2, 3… in reading order; " + GENERATED_FIX,
                "seq",
            )
        self.denormalised(ctx, row, c)

    def depth(self, ctx: Context, row: Row, c: ParsedClause) -> None:
        """depth counts the enclosing clauses (for a label path, the ID's levels less one)."""
        parent_depth = self.depths.get(c.parent_id)
        want = parent_depth + 1 if parent_depth is not None else 0 if not c.parent_id else None
        self.depths[c.id] = want if want is not None else int(row["depth"]) if row["depth"].isdigit() else 0
        if want is not None and row["depth"] != str(want):
            self.at(
                ctx,
                "depth",
                row,
                f"depth is {row['depth']} but {c.id} has {want} enclosing clauses",
                GENERATED_FIX,
                "depth",
            )

    def segment(self, ctx: Context, row: Row, c: ParsedClause) -> None:
        if c.legal:
            if citation_path(row["numbering"]) != tuple(c.path):
                self.at(
                    ctx,
                    "citation",
                    row,
                    f"numbering {row['numbering']!r} is not the legal citation of {c.id}",
                    "a legal clause's ID maps one-to-one to its citation (第二十一条第二款第三项 is .art21.p2.3); "
                    + GENERATED_FIX,
                    "numbering",
                )
            return
        if len(c.labels) != len(c.path):
            self.at(
                ctx,
                "levels",
                row,
                f"numbering {row['numbering']!r} has {len(c.labels)} levels but the ID {c.id} has {len(c.path)}",
                GENERATED_FIX,
                "numbering",
            )
            return
        seg = expected_segment(c.kind, c.labels[-1])
        if seg is None:
            self.at(
                ctx, "label", row, f"{c.labels[-1]!r} is not the numbering of a {c.kind}", GENERATED_FIX, "numbering"
            )
        elif seg != c.path[-1]:
            self.at(
                ctx,
                "segment",
                row,
                f"the ID ends in .{c.path[-1]} but the {c.kind} is numbered {c.labels[-1]} (.{seg})",
                "IDs are derived from the numbering, never assigned; " + GENERATED_FIX,
                "id",
            )

    def denormalised(self, ctx: Context, row: Row, c: ParsedClause) -> None:
        meta = ctx.documents.get(c.document_id)
        if meta is not None:
            for name, want in zip(("city", "level", "source_file"), meta, strict=True):
                if row[name] != want:
                    self.at(
                        ctx,
                        "denormalised",
                        row,
                        f"{name} is {row[name]!r} but document {c.document_id} has {want!r}",
                        GENERATED_FIX,
                        name,
                    )
        start, end = row["line_start"], row["line_end"]
        if start != end and start.isdigit() and end.isdigit() and int(end) < int(start):
            self.at(ctx, "lines", row, f"line_end {end} is before line_start {start}", GENERATED_FIX, "line_end")
