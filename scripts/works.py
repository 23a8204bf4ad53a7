"""Works: one law or policy over time, of which each document is a version. Pure.

A work's ID is the document ID without its trailing year (``aml-law-2024`` → ``aml-law``;
``sme-payment-2020`` and ``sme-payment-2025`` are two versions of ``sme-payment``); a document whose
ID has no trailing ``-YYYY`` is a work of its own. This is the one place that relates documents to
works: when the data declares works in a table, this function reads it instead.
"""

from __future__ import annotations

import re

YEAR_SUFFIX = re.compile(r"-\d{4}$")


def work_id(document_id: str) -> str:
    """The work a document is a version of."""
    return YEAR_SUFFIX.sub("", document_id)
