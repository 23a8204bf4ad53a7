"""Data packages the API can serve: cut releases under ``releases/`` and the working package.

A package is a Frictionless ``datapackage.json`` plus the CSV files of its four
resources. Resource files are found through the descriptor's ``path`` entries,
falling back to ``<name>.csv`` or ``data/<name>.csv`` beside the descriptor.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from schemas import registry
from scripts.sources import file_sha256

#: The resources a package must have (``clause_topics`` may be empty) …
RESOURCES = tuple(t.name for t in registry.required_tables())
#: … and those it may lack (older releases lack some), loaded when present.
DERIVED_RESOURCES = tuple(t.name for t in registry.optional_tables())
DESCRIPTOR = "datapackage.json"
RELEASE_INFO = "release.json"
SEMVER_RE = re.compile(
    r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$"
)
DEFAULT_VERSION = "0.0.0"


class PackageError(Exception):
    """A data package that cannot be read."""


def version_key(version: str) -> tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]:
    """Sort key for semantic versions: a pre-release sorts before its release."""
    m = SEMVER_RE.match(version)
    if not m:
        return (-1, -1, -1, -1, ())
    pre = m.group(4)
    pre_key = tuple((0, int(p)) if p.isdigit() else (1, p) for p in pre.split(".")) if pre else ()
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)), 0 if pre else 1, pre_key)


@dataclass(frozen=True)
class SourcePackage:
    """One data package on disk: a cut release or the working package."""

    descriptor_path: Path
    status: Literal["release", "working"]
    descriptor: dict[str, Any] = field(repr=False)
    release_info: dict[str, Any] | None = field(default=None, repr=False)

    @classmethod
    def load(cls, descriptor_path: Path, status: Literal["release", "working"]) -> SourcePackage:
        try:
            descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise PackageError(f"cannot read {descriptor_path}: {exc}") from exc
        if not isinstance(descriptor, dict):
            raise PackageError(f"{descriptor_path} is not a JSON object")
        info_path = descriptor_path.parent / RELEASE_INFO
        release_info = None
        if status == "release" and info_path.is_file():
            try:
                release_info = json.loads(info_path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise PackageError(f"cannot read {info_path}: {exc}") from exc
        return cls(descriptor_path, status, descriptor, release_info if isinstance(release_info, dict) else None)

    @property
    def directory(self) -> Path:
        return self.descriptor_path.parent

    @property
    def version(self) -> str:
        version = self.descriptor.get("version")
        if self.status == "release":
            # A release directory is named after its version; the directory wins.
            return self.directory.name
        return version if isinstance(version, str) and SEMVER_RE.match(version) else DEFAULT_VERSION

    def resource_path(self, name: str) -> Path | None:
        """The CSV file of one resource, or None when the package lacks it."""
        candidates: list[Path] = []
        for resource in self.descriptor.get("resources") or []:
            if isinstance(resource, dict) and resource.get("name") == name:
                path = resource.get("path")
                if isinstance(path, list) and path:
                    path = path[0]
                if isinstance(path, str) and path and not path.startswith(("http://", "https://")):
                    candidates.append(self.directory / path)
        candidates += [self.directory / f"{name}.csv", self.directory / "data" / f"{name}.csv"]
        return next((p for p in candidates if p.is_file()), None)

    def _inside(self, relative: str) -> Path | None:
        path = (self.directory / relative).resolve()
        root = self.directory.resolve()
        return path if path.is_file() and path.is_relative_to(root) else None

    @cached_property
    def files(self) -> dict[str, Path]:
        """The downloadable files of the package, by path relative to its directory.

        A cut release publishes the files its ``release.json`` lists, and ``release.json`` itself;
        the working package its descriptor and the file of each of its resources.
        """
        relative: list[str] = [DESCRIPTOR]
        listed = (self.release_info or {}).get("files")
        if self.status == "release" and isinstance(listed, list):
            relative += [f["path"] for f in listed if isinstance(f, dict) and isinstance(f.get("path"), str)]
            relative.append(RELEASE_INFO)
        else:
            for resource in self.descriptor.get("resources") or []:
                path = resource.get("path") if isinstance(resource, dict) else None
                relative += [p for p in (path if isinstance(path, list) else [path]) if isinstance(p, str)]
            for name in RESOURCES + DERIVED_RESOURCES:
                path = self.resource_path(name)
                if path is not None and path.resolve().is_relative_to(self.directory.resolve()):
                    relative.append(path.resolve().relative_to(self.directory.resolve()).as_posix())
        files = {}
        for rel in dict.fromkeys(relative):
            path = self._inside(rel)
            if path is not None:
                files[rel] = path
        return files

    def file_named(self, name: str) -> tuple[str, Path] | None:
        """A downloadable file by relative path, or by its bare file name when only one file has it."""
        name = name.strip("/")
        if name in self.files:
            return name, self.files[name]
        matches = [(rel, path) for rel, path in self.files.items() if rel.rsplit("/", 1)[-1] == name]
        return matches[0] if len(matches) == 1 else None

    def missing_resources(self) -> list[str]:
        return [name for name in RESOURCES if name != "clause_topics" and self.resource_path(name) is None]

    def content_hash(self) -> str:
        """A hash of the data itself: the descriptor and the resource files' bytes."""
        h = hashlib.sha256(self.descriptor_path.read_bytes())
        for name in RESOURCES + DERIVED_RESOURCES:
            path = self.resource_path(name)
            h.update(f"\0{name}\0".encode())
            if path is not None:
                h.update(file_sha256(path).encode())
        return h.hexdigest()

    def source_hash(self, store_format: str) -> str:
        """A hash of everything a store is built from or describes: its format, the data, every listed file."""
        h = hashlib.sha256(f"{store_format}\0{self.content_hash()}".encode())
        for rel, path in sorted(self.files.items()):
            stat = path.stat()
            h.update(f"\0{rel}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
        return h.hexdigest()


def working_package(root: Path) -> SourcePackage | None:
    """The working package (``datapackage.json`` at the root), whatever its version."""
    working = root / DESCRIPTOR
    return SourcePackage.load(working, "working") if working.is_file() else None


def discover(root: Path, releases_dir: Path | None = None) -> list[SourcePackage]:
    """Every release under ``releases/``, plus the working package when no release has its version.

    Ordered from the oldest to the newest version.
    """
    releases_dir = releases_dir if releases_dir is not None else root / "releases"
    packages: dict[str, SourcePackage] = {}
    if releases_dir.is_dir():
        for child in sorted(releases_dir.iterdir()):
            descriptor = child / DESCRIPTOR
            if child.is_dir() and SEMVER_RE.match(child.name) and descriptor.is_file():
                packages[child.name] = SourcePackage.load(descriptor, "release")
    working = root / DESCRIPTOR
    if working.is_file():
        package = SourcePackage.load(working, "working")
        if package.version not in packages:
            packages[package.version] = package
    return sorted(packages.values(), key=lambda p: version_key(p.version))
