"""How the explorer writes a measure's value: bounds of a range, the base of a multiple, the start of a time limit."""

from __future__ import annotations

from api.models import Measure


def number(value: float) -> str:
    return f"{value:g}"


def measure_value(m: Measure) -> str:
    """``50–200 万元``, ``1–5 倍``, ``6 个月``, ``2024-05-01``; the qualifier in brackets when there is one."""
    if m.kind == "effective_date" and m.date:
        return m.date
    amount = number(m.value) if m.value_max is None else f"{number(m.value)}–{number(m.value_max)}"
    return f"{amount} {m.unit}" + (f"（{m.qualifier}）" if m.qualifier and m.value_max is None else "")


def measure_details(m: Measure) -> list[tuple[str, str, str]]:
    """(Chinese, English label, text) of what qualifies the value: the base of a multiple, the start of a period."""
    details = []
    if m.base:
        details.append(("基数", "of", m.base))
    if m.runs_from:
        details.append(("起算", "from", m.runs_from))
    return details
