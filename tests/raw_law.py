"""A minimal reader of the corpus's raw law texts into clause-like rows (articles, 款, items), for tests.

It follows the clause-ID grammar (``<doc>.art21``, ``<doc>.art21.p2``, ``<doc>.art21.p2.3``) so that the
alignment can be developed and measured on the raw texts independently of the build's parser.
"""

from __future__ import annotations

import re
from pathlib import Path

from scripts.numbering import cn_to_int, int_to_cn

SOURCES = Path(__file__).resolve().parent.parent / "datapackage" / "sources"
ARTICLE_RE = re.compile(r"^第([零〇一二三四五六七八九十百千]+)条(?:之([一二三四五六七八九十]+))?[\s　]*(.*)$")
ITEM_RE = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]")


def raw_rows(path: Path, doc: str) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").split("\n")
    if "<!-- INFO END -->" in lines:
        lines = lines[lines.index("<!-- INFO END -->") + 1 :]
    articles: list[tuple[int, list[list[str]]]] = []  # (number, [款 [text, item, item…]])
    for line in (s.strip() for s in lines):
        if not line or line.startswith("#"):
            continue
        m = ARTICLE_RE.match(line)
        if m:
            articles.append((cn_to_int(m[1]), [[m[3]]]))
        elif articles and ITEM_RE.match(line):
            articles[-1][1][-1].append(line)
        elif articles:
            articles[-1][1].append([line])
    rows: list[dict[str, str]] = []
    for number, paragraphs in articles:
        aid, anum = f"{doc}.art{number}", f"第{int_to_cn(number)}条"
        several = len(paragraphs) > 1
        rows.append(
            {
                "id": aid,
                "kind": "article",
                "numbering": anum,
                "parent_id": "",
                "text": "" if several else paragraphs[0][0],
            }
        )
        for k, (text, *items) in enumerate(paragraphs, start=1):
            pid, pnum = (f"{aid}.p{k}", f"{anum}第{int_to_cn(k)}款") if several else (aid, anum)
            if several:
                rows.append({"id": pid, "kind": "paragraph", "numbering": pnum, "parent_id": aid, "text": text})
            for n, item in enumerate(items, start=1):
                rows.append(
                    {
                        "id": f"{pid}.{n}",
                        "kind": "item",
                        "numbering": f"{pnum}第{int_to_cn(n)}项",
                        "parent_id": pid,
                        "text": item,
                    }
                )
    return rows


def source_rows(doc: str) -> list[dict[str, str]]:
    """Rows of ``datapackage/sources/<doc>.md`` (the raw text, unchanged)."""
    return raw_rows(SOURCES / f"{doc}.md", doc)
