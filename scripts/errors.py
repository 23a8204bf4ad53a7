"""The one error type of the pipeline: where (file, line, field), what is wrong, and how to fix it.

Every stage raises a subclass (SourceError, SegmentError, ErrataError, TaggingError); the build and the
checks report its fields as they are, in the one format of every build and check error::

    file:line: field `f`: what is wrong
      how to fix: …
"""

from __future__ import annotations

#: The fix of an error whose stage gives none (it should not happen: every raise names a fix).
DEFAULT_FIX = "CONTRIBUTING.md, 'When the build fails', explains each message"


def located(file: str, line: int | None = None, field: str | None = None) -> str:
    return file + (f":{line}" if line else "") + (f": field `{field}`" if field else "")


def error_text(file: str, message: str, fix: str, line: int | None = None, field: str | None = None) -> str:
    return f"{located(file, line, field)}: {message}\n  how to fix: {fix}"


class LocatedError(ValueError):
    """A pipeline error naming the file (relative to the repository), line and field, what is wrong and the fix."""

    def __init__(
        self, file: str, message: str, fix: str = DEFAULT_FIX, line: int | None = None, field: str | None = None
    ) -> None:
        self.file, self.message, self.fix, self.line, self.field = file, message, fix or DEFAULT_FIX, line, field
        super().__init__(error_text(file, message, self.fix, line, field))
