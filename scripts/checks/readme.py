"""The readme check: the README's data dictionary is generated from the registry."""

from __future__ import annotations

from typing import ClassVar

from scripts.checks.base import Check, Context


class ReadmeCheck(Check):
    name = "readme"
    description = "the README's data dictionary is generated from the current schemas"
    needs_package = False
    errors: ClassVar[dict[str, str]] = {
        "stale": "the data dictionary differs from the registry",
    }

    def skip_reason(self, ctx: Context) -> str | None:
        from scripts import datadict

        readme = ctx.root / "README.md"
        if not readme.is_file() or datadict.START not in readme.read_text(encoding="utf-8"):
            return "no README.md with a data dictionary"
        return None

    def start(self, ctx: Context) -> str | None:
        from scripts import datadict

        text = (ctx.root / "README.md").read_text(encoding="utf-8")
        if datadict.updated(text) != text:
            line = text[: text.index(datadict.START)].count("\n") + 1
            ctx.add(
                self.problem(
                    "stale",
                    "README.md",
                    "the data dictionary differs from the schemas",
                    "run `python -m scripts.datadict`",
                    None,
                    line,
                )
            )
        return None
