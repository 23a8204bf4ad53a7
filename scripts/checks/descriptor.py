"""The descriptor check: datapackage.json is readable, lists every required resource and carries a version."""

from __future__ import annotations

import json
from typing import ClassVar

from schemas import registry
from scripts.checks.base import Check, Context
from scripts.checks.problems import BUILD_FIX
from scripts.package import RELEASE_VERSION_RE

REL = "datapackage.json"


class DescriptorCheck(Check):
    name = "descriptor"
    description = "datapackage.json is readable, lists every resource and carries a version"
    needs_package = False
    errors: ClassVar[dict[str, str]] = {
        "missing": "there is no datapackage.json",
        "unreadable": "not a JSON object",
        "resource-missing": "a required resource or its file is missing",
        "version": "no X.Y.Z version",
    }

    def start(self, ctx: Context) -> str | None:
        pkg = ctx.pkg
        if not pkg.descriptor_path.is_file():
            ctx.add(
                self.problem(
                    "missing",
                    REL,
                    "not found",
                    "run `python -m scripts.build`, or pass the directory that holds datapackage.json",
                )
            )
            return None
        try:
            data = json.loads(pkg.descriptor_path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            ctx.add(self.problem("unreadable", REL, f"not valid JSON: {exc}", BUILD_FIX))
            return None
        if not isinstance(data, dict):
            ctx.add(self.problem("unreadable", REL, "not a JSON object", BUILD_FIX))
            return None
        pkg.descriptor = data
        pkg.loaded = self.resources_present(ctx)
        version = data.get("version")
        if not isinstance(version, str) or not RELEASE_VERSION_RE.match(version):
            ctx.add(
                self.problem(
                    "version",
                    REL,
                    f"version {version!r} is not X.Y.Z",
                    "run `python -m scripts.build`, which sets the version of the latest release",
                    field="version",
                )
            )
        return None

    def resources_present(self, ctx: Context) -> bool:
        ok = True
        for table in registry.required_tables():
            res = ctx.pkg.resource(table.name)
            if res is None:
                ctx.add(
                    self.problem(
                        "resource-missing", REL, f"no resource named {table.name!r}", BUILD_FIX, field="resources"
                    )
                )
                ok = False
            elif ctx.pkg.path(table.name) is None:
                ctx.add(
                    self.problem(
                        "resource-missing",
                        str(res.get("path")),
                        f"the file of resource {table.name!r} is missing",
                        BUILD_FIX,
                    )
                )
                ok = False
        return ok
