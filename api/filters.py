"""The filter parameters of a clause list, declared once: one Litestar dependency shared by ``/clauses``,
``/clauses.csv`` and the explorer's search page (``/``). Its parameters appear in each endpoint's OpenAPI
description and count as declared for the strict unknown-parameter check (:mod:`api.app`)."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.di import NamedDependency, Provide

from api.clause_listing import ListRequest
from api.params import (
    DEFAULT_LIMIT,
    AsOf,
    Cities,
    Documents,
    IncludeDescendants,
    Kinds,
    Levels,
    Order,
    Query,
    TopicMode,
    Topics,
)


@dataclass(frozen=True)
class ClauseFilters:
    """What selects and orders the clauses of a list, as received (validated by :mod:`api.clause_listing`)."""

    city: list[str] | None = None
    level: list[str] | None = None
    document: list[str] | None = None
    topic: list[str] | None = None
    topic_mode: str = "any"
    include_descendants: bool = False
    kind: list[str] | None = None
    q: str | None = None
    order: str | None = None
    as_of: str | None = None

    def request(self, limit: int = DEFAULT_LIMIT, offset: int = 0, cursor: str | None = None) -> ListRequest:
        return ListRequest(
            city=self.city,
            level=self.level,
            document=self.document,
            topic=self.topic,
            topic_mode=self.topic_mode,
            include_descendants=self.include_descendants,
            kind=self.kind,
            q=self.q,
            order=self.order,
            as_of=self.as_of,
            limit=limit,
            offset=offset,
            cursor=cursor,
        )


def clause_filters(
    city: Cities = None,
    level: Levels = None,
    document: Documents = None,
    topic: Topics = None,
    topic_mode: TopicMode = "any",
    include_descendants: IncludeDescendants = False,
    kind: Kinds = None,
    q: Query = None,
    order: Order = None,
    as_of: AsOf = None,
) -> ClauseFilters:
    return ClauseFilters(city, level, document, topic, topic_mode, include_descendants, kind, q, order, as_of)


#: ``dependencies=`` of every endpoint that lists clauses; the handler takes ``filters: Filters``.
FILTERS = {"filters": Provide(clause_filters, sync_to_thread=False)}
#: The handler's parameter: ``filters: Filters``.
Filters = NamedDependency[ClauseFilters]
