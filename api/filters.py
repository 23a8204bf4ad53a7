"""The filter parameters of a clause list, declared once: one Litestar dependency shared by ``/clauses``,
``/clauses.csv`` and the explorer's search page (``/``). Its parameters appear in each endpoint's OpenAPI
description and count as declared for the strict unknown-parameter check (:mod:`api.app`)."""

from __future__ import annotations

from litestar.di import NamedDependency, Provide

from api.clause_listing import ListRequest
from api.params import (
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
from api.routes.common import StoreDep


def clause_filters(
    store: StoreDep,
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
) -> ListRequest:
    """The filters of a clause list as a first-page request; a route sets its own paging on it.

    It takes the store, unused, so that Litestar resolves the store and then the filters, one after the other:
    two dependencies of the same level are resolved concurrently in an anyio task group, which costs about
    0.1 ms a request (a tenth of an uncached list at 1M clauses) for two functions that return at once."""
    return ListRequest(
        city=city,
        level=level,
        document=document,
        topic=topic,
        topic_mode=topic_mode,
        include_descendants=include_descendants,
        kind=kind,
        q=q,
        order=order,
        as_of=as_of,
    )


#: ``dependencies=`` of every endpoint that lists clauses; the handler takes ``filters: Filters``.
FILTERS = {"filters": Provide(clause_filters, sync_to_thread=False)}
#: The handler's parameter: ``filters: Filters``.
Filters = NamedDependency[ListRequest]
