"""Repeated text in a document: a duplicated copy of the source, or boilerplate the text repeats on purpose.

Laws repeat short passages legitimately: the same condition (有健全的内部控制制度；) in the lists
of two neighbouring articles, the same catch-all item (法律、行政法规规定的其他情形。). A
duplicated copy of the source (a page printed twice, a text pasted twice) repeats a *run* of
consecutive paragraphs, or a whole long paragraph. So a repeated text is reported when

* it directly follows its first occurrence (the same paragraph twice in a row, as at a page break),
* it is longer than :data:`BOILERPLATE_MAX_CHARS` (a whole paragraph, not a formula), or
* it ends a run of at least :data:`MIN_RUN` consecutive texts that repeat, in the same order,
  the texts at the same distance before the first occurrence.

Texts shorter than :data:`MIN_CHARS` are never reported on their own (but count in a run).
"""

from __future__ import annotations

from dataclasses import dataclass, field

MIN_CHARS = 20
BOILERPLATE_MAX_CHARS = 60
MIN_RUN = 3


@dataclass
class Repeat:
    first: int  # index of the first occurrence among the document's texts
    run: int  # how many consecutive texts, ending with this one, repeat an earlier run


@dataclass
class RepeatTracker:
    """Feed a document's non-empty texts in reading order; :meth:`see` says which repeat is a duplicate."""

    texts: list[str] = field(default_factory=list)
    first: dict[str, int] = field(default_factory=dict)

    def see(self, text: str) -> Repeat | None:
        """The repeat to report for this text, or None (new text, or boilerplate)."""
        index = len(self.texts)
        self.texts.append(text)
        earlier = self.first.setdefault(text, index)
        if earlier == index:
            return None
        run = 1
        while run < index - earlier and earlier - run >= 0 and self.texts[index - run] == self.texts[earlier - run]:
            run += 1
        if len(text) < MIN_CHARS:
            return None
        if index - earlier == 1 or len(text) > BOILERPLATE_MAX_CHARS or run >= MIN_RUN:
            return Repeat(earlier, run)
        return None
