"""Traditional to simplified Chinese, for queries typed in traditional characters (區塊鏈 → 区块链).

The texts are in simplified characters. OpenCC's ``t2s`` conversion (phrase-aware) gives the
simplified form of a query; a query already simplified comes back unchanged.
"""

from __future__ import annotations

from functools import cache, lru_cache

CONVERSION = "t2s"


@cache
def _converter() -> object:
    import opencc

    return opencc.OpenCC(CONVERSION)


@lru_cache(maxsize=4096)
def simplified(text: str) -> str:
    """``text`` in simplified characters (unchanged when it has no traditional character)."""
    if text.isascii():
        return text
    return str(_converter().convert(text))  # type: ignore[attr-defined]
