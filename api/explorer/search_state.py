"""The state of the search page as URL parameters: the links that add or remove a filter, turn a page, or fetch the
same clauses as JSON or CSV (the page's parameters are those of GET /clauses, so the links correspond)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from api.clause_listing import ListRequest

PAGE_SIZE = 20
FILTER_NAMES = ("city", "level", "document", "topic", "kind")


@dataclass(frozen=True)
class SearchState:
    q: str | None = None
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    topic_mode: str = "any"
    include_descendants: bool = False
    order: str | None = None
    as_of: str | None = None
    release: str | None = None
    limit: int = PAGE_SIZE
    offset: int = 0

    @property
    def list_request(self) -> ListRequest:
        given = {name: list(self.filters[name]) if self.filters.get(name) else None for name in FILTER_NAMES}
        return ListRequest(
            city=given["city"],
            level=given["level"],
            document=given["document"],
            topic=given["topic"],
            kind=given["kind"],
            topic_mode=self.topic_mode,
            include_descendants=self.include_descendants,
            q=self.q,
            order=self.order,
            as_of=self.as_of,
            limit=self.limit,
            offset=self.offset,
        )

    def params(self, *, paging: bool = True, explicit_limit: bool = False) -> list[tuple[str, str]]:
        """The query parameters of this state, in a stable order; defaults are left out."""
        pairs: list[tuple[str, str]] = []
        if self.q is not None:
            pairs.append(("q", self.q))
        for name in FILTER_NAMES:
            pairs += [(name, value) for value in self.filters.get(name, ())]
        if self.topic_mode != "any":
            pairs.append(("topic_mode", self.topic_mode))
        if self.include_descendants:
            pairs.append(("include_descendants", "true"))
        if self.order is not None:
            pairs.append(("order", self.order))
        if self.as_of is not None:
            pairs.append(("as_of", self.as_of))
        if self.release is not None:
            pairs.append(("release", self.release))
        if paging and (explicit_limit or self.limit != PAGE_SIZE):
            pairs.append(("limit", str(self.limit)))
        if paging and self.offset:
            pairs.append(("offset", str(self.offset)))
        return pairs

    def url(self, path: str = "/", **kwargs: bool) -> str:
        query = urlencode(self.params(**kwargs))
        return f"{path}?{query}" if query else path

    def is_active(self, name: str, value: str) -> bool:
        return value in self.filters.get(name, ())

    def toggled(self, name: str, value: str) -> SearchState:
        """This state with ``value`` added to filter ``name`` (or removed when present), from the first page."""
        values = self.filters.get(name, ())
        values = tuple(v for v in values if v != value) if value in values else (*values, value)
        return replace(self, filters={**self.filters, name: values}, offset=0)

    def at(self, offset: int) -> SearchState:
        return replace(self, offset=max(0, offset))

    def cleared(self) -> SearchState:
        """No query and no filter: the whole release."""
        return SearchState(release=self.release, limit=self.limit)

    def without_date(self) -> SearchState:
        return replace(self, as_of=None, offset=0)

    @property
    def hidden_fields(self) -> list[tuple[str, str]]:
        """What the search form carries besides ``q``: the filters, so that a new search keeps them."""
        return [(name, value) for name, value in self.params(paging=False) if name not in ("q", "order", "as_of")] + (
            [("limit", str(self.limit))] if self.limit != PAGE_SIZE else []
        )
