"""The schema check: every row of every table against its Table Schema (types, required, enums, patterns,
unique fields, foreign and primary keys), streamed; rows too broken for the specific checks go no further."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from typing import Any, ClassVar

from scripts.checks.base import Check, Context, Row
from scripts.checks.problems import GENERATED_FIX

INT_RE = re.compile(r"^[+-]?[0-9]+$")
NUMBER_RE = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")


class SchemaCheck(Check):
    name = "schema"
    description = "every row against its Table Schema (types, required, enums, patterns, keys), streamed"
    errors: ClassVar[dict[str, str]] = {
        "header": 'the header differs from the schema"s fields',
        "cells": "a row has too few or many cells",
        "encoding": "not UTF-8 or not CSV",
        "required": "a required field is empty",
        "type": "not an integer or a number",
        "range": "outside the minimum or maximum",
        "enum": "not one of the allowed values",
        "pattern": 'does not match the field"s pattern',
        "unique": "a unique value repeated",
        "foreign-key": "names a row that does not exist",
        "primary-key": "a key repeated",
    }


class TableRules:
    """The constraints of one Table Schema, applied row by row.

    ``owned`` names (field, constraint) pairs that a more specific check reports with a better message,
    so they are not reported twice (``("*", "primaryKey")`` for the whole key).
    """

    def __init__(self, ctx: Context, name: str, owned: set[tuple[str, str]]) -> None:
        self.ctx, self.name, self.owned, self.check = ctx, name, owned, SchemaCheck()
        self.file = ctx.pkg.rel(name)
        self.schema_file = ctx.pkg.schema_rel(name)
        schema = ctx.pkg.schema(name)
        self.fields = [f["name"] for f in schema.get("fields", [])]
        self.rules: list[Callable[[Row], bool]] = []
        required = [i for i, f in enumerate(schema.get("fields", [])) if f.get("constraints", {}).get("required")]
        if required:
            self.rules.append(self._required(required))
        for i, f in enumerate(schema.get("fields", [])):
            self.rules += self._field_rules(i, f)
        self.rules += self._key_rules(schema)

    # -- building the rules -------------------------------------------------------------------------
    def _field_rules(self, i: int, f: dict[str, Any]) -> list[Callable[[Row], bool]]:
        c, name, out = f.get("constraints", {}), f["name"], []
        if f.get("type") == "integer":
            out.append(self._integer(i, c.get("minimum")))
        if f.get("type") == "number":
            out.append(self._number(i, c.get("minimum"), c.get("maximum")))
        if "enum" in c and (name, "enum") not in self.owned:
            out.append(self._enum(i, set(c["enum"])))
        if "pattern" in c and (name, "pattern") not in self.owned:
            out.append(self._pattern(i, re.compile(c["pattern"])))
        if c.get("unique") and (name, "unique") not in self.owned:
            out.append(self._unique(i))
        return out

    def _key_rules(self, schema: dict[str, Any]) -> list[Callable[[Row], bool]]:
        out = []
        for fk in schema.get("foreignKeys", []):
            fields, ref = fk.get("fields"), fk.get("reference", {})
            fields = [fields] if isinstance(fields, str) else fields
            target = ref.get("resource") or self.name
            if len(fields) == 1 and (fields[0], "foreignKey") not in self.owned and target in self.ctx.keys:
                out.append(self._foreign_key(self.fields.index(fields[0]), target))
        pk = schema.get("primaryKey") or []
        pk = [pk] if isinstance(pk, str) else pk
        if len(pk) > 1 and ("*", "primaryKey") not in self.owned:
            out.append(self._primary_key([self.fields.index(k) for k in pk]))
        return out

    def fix(self, fld: str) -> str:
        return f"{GENERATED_FIX} (the rules of `{fld}` are in {self.schema_file})"

    def _add(self, type_: str, row: Row, message: str, fld: str | None, fix: str | None = None) -> None:
        self.ctx.add(self.check.problem(type_, self.file, message, fix or self.fix(fld or ""), row.row, row.line, fld))

    def _required(self, idx: list[int]) -> Callable[[Row], bool]:
        get = operator.itemgetter(*idx) if len(idx) > 1 else (lambda cells: (cells[idx[0]],))

        def rule(row: Row) -> bool:
            if "" not in get(row.cells):
                return True
            for i in idx:
                if row.cells[i] == "":
                    self._add("required", row, "empty, but the field is required", self.fields[i])
            return False

        return rule

    def _integer(self, i: int, minimum: int | None) -> Callable[[Row], bool]:
        def rule(row: Row) -> bool:
            value = row.cells[i]
            if value and not (value.isdigit() and value.isascii()) and not INT_RE.match(value):
                self._add("type", row, f"{value!r} is not an integer", self.fields[i])
                return False
            if value and minimum is not None and int(value) < minimum:
                self._add("range", row, f"{value} is less than the minimum {minimum}", self.fields[i])
            return True

        return rule

    def _number(self, i: int, low: float | None, high: float | None) -> Callable[[Row], bool]:
        def rule(row: Row) -> bool:
            value = row.cells[i]
            if value and not NUMBER_RE.match(value):
                self._add("type", row, f"{value!r} is not a number", self.fields[i])
                return False
            number = float(value) if value else None
            if number is not None and ((low is not None and number < low) or (high is not None and number > high)):
                self._add("range", row, f"{value} is outside {low}..{high}", self.fields[i])
            return True

        return rule

    def _enum(self, i: int, enum: set[str]) -> Callable[[Row], bool]:
        shown = ", ".join(sorted(enum)) if len(enum) <= 12 else ", ".join(sorted(enum)[:12]) + ", …"

        def rule(row: Row) -> bool:
            value = row.cells[i]
            if value and value not in enum:
                self._add("enum", row, f"{value!r} is not one of {shown}", self.fields[i])
                return False
            return True

        return rule

    def _pattern(self, i: int, pattern: re.Pattern[str]) -> Callable[[Row], bool]:
        def rule(row: Row) -> bool:
            value = row.cells[i]
            if value and not pattern.match(value):
                self._add("pattern", row, f"{value!r} does not match the pattern of the field", self.fields[i])
                return False
            return True

        return rule

    def _unique(self, i: int) -> Callable[[Row], bool]:
        seen: dict[str, int] = {}

        def rule(row: Row) -> bool:
            value = row.cells[i]
            if value and (first := seen.setdefault(value, row.row)) != row.row:
                self._add("unique", row, f"{value!r} is also in row {first}; the field is unique", self.fields[i])
            return True

        return rule

    def _foreign_key(self, i: int, target: str) -> Callable[[Row], bool]:
        keys = self.ctx.keys[target]

        def rule(row: Row) -> bool:
            value = row.cells[i]
            if value and value not in keys:
                self._add("foreign-key", row, f"{value!r} is not in {target}", self.fields[i])
            return True

        return rule

    def _primary_key(self, idx: list[int]) -> Callable[[Row], bool]:
        seen: dict[tuple[str, ...], int] = {}

        def rule(row: Row) -> bool:
            key = tuple(row.cells[i] for i in idx)
            if (first := seen.setdefault(key, row.row)) != row.row:
                self._add("primary-key", row, f"the key {key!r} is also in row {first}", self.fields[idx[0]])
            return True

        return rule

    # -- applying them ------------------------------------------------------------------------------
    def header(self, row: Row) -> bool:
        if row.cells == self.fields:
            return True
        self._add(
            "header",
            row,
            f"the header is {','.join(row.cells)!r}; {self.schema_file} expects {','.join(self.fields)!r}",
            None,
            GENERATED_FIX,
        )
        return False

    def row(self, row: Row) -> bool:
        """Check one row; False when it is too broken for the specific checks."""
        if len(row.cells) != len(self.fields):
            self._add(
                "cells",
                row,
                f"{len(row.cells)} cells where the header has {len(self.fields)}",
                None,
                GENERATED_FIX + " (a text with a comma, quote or newline must be quoted)",
            )
            return False
        ok = True
        for rule in self.rules:
            ok = rule(row) and ok
        return ok
