"""The dataset's ``CITATION.cff`` kept in step with its releases: pure functions over its text.

``CITATION.cff`` (Citation File Format 1.2.0) at the repository root names the release to cite. When a
release is cut, :func:`for_release` gives the file's text for that release (its ``version``, its
``date-released`` and the identifier naming ``releases/X.Y.Z/release.json``); the release tool writes
it at the root and into the release itself, so each release carries the citation of itself. Only those
three values change: everything else in the file (authors, abstract, keywords) is kept as written.
"""

from __future__ import annotations

import re

FILE = "CITATION.cff"

_VERSION = re.compile(r'^version: ".*"$', re.M)
_DATE = re.compile(r'^date-released: ".*"$', re.M)
_IDENTIFIER = re.compile(r'^(    value: )"release [^"]*"$', re.M)


class CitationFileError(ValueError):
    """The citation file lacks a line the release tool updates."""


def for_release(text: str, version: str, date: str) -> str:
    """``text`` (a CITATION.cff) naming release ``version`` of ``date`` (YYYY-MM-DD)."""
    updates = (
        (_VERSION, "version", f'version: "{version}"'),
        (_DATE, "date-released", f'date-released: "{date}"'),
        (_IDENTIFIER, "identifiers value", rf'\g<1>"release {version} (releases/{version}/release.json)"'),
    )
    for pattern, what, line in updates:
        text, n = pattern.subn(line, text, count=1)
        if n != 1:
            raise CitationFileError(
                f"{FILE}: no `{what}` line of the form {pattern.pattern!r}: restore it (see the Citation "
                "File Format 1.2.0 and the file in the repository) so the release tool can set it"
            )
    return text


def cited_release(text: str) -> tuple[str, str]:
    """The ``(version, date-released)`` a CITATION.cff names."""
    version, date = _VERSION.search(text), _DATE.search(text)
    if version is None or date is None:
        raise CitationFileError(f"{FILE}: `version` or `date-released` is missing")
    return version.group(0).split('"')[1], date.group(0).split('"')[1]
