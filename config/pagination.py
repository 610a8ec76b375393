"""The API lists' pagination: DRF's page numbers, with a count that stays cheap on a borough's
year of rows.

Counting every row of a large list (a borough's 70,000 duties, its 40,000 visit offers joined
through victims and crimes) cost more than reading the page itself. So the count is exact up to
EXACT_UP_TO rows (counted with a LIMIT, so never more rows than that are read); above it, the list
says so (`count_exact: false`) and gives PostgreSQL's estimate of the rows instead, never less
than EXACT_UP_TO + 1. Pages past the estimate still answer while there are rows, and whether a
next page exists is read from the rows themselves (one row more than the page), so the links
are right whatever the estimate. Small lists (nearly all) are answered exactly as before, in
the same queries."""

import json

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

EXACT_UP_TO = 1_000
MAX_OFFSET = 2**63 - 1


def estimated_rows(queryset) -> int:
    """PostgreSQL's estimate of the rows `queryset` returns (EXPLAIN, no rows read)."""
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


class BoundedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        rows = self.object_list.order_by().values("pk")[: EXACT_UP_TO + 1].count()
        self.count_exact = rows <= EXACT_UP_TO
        if self.count_exact:
            return rows
        return max(estimated_rows(self.object_list), rows)

    def validate_number(self, number):
        self.count  # noqa: B018  (counting says whether the count is exact)
        if self.count_exact:
            return super().validate_number(number)
        # Counted by estimate, which may be short of the rows: any page from 1 on may hold some
        # (page() says when one does not).
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        if (number - 1) * self.per_page > MAX_OFFSET:  # PostgreSQL's OFFSET is a bigint
            raise EmptyPage("That page contains no results")
        return number

    def page(self, number):
        number = self.validate_number(number)
        if self.count_exact:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        return ReadAheadPage(rows[: self.per_page], number, self,
                             more=len(rows) > self.per_page)


class ReadAheadPage(Page):
    """A page of a list counted by estimate: whether a next page exists is known from the rows."""

    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more


class BoundedCountPagination(PageNumberPagination):
    """`count` exact up to EXACT_UP_TO rows, else an estimate (`count_exact` says which)."""

    django_paginator_class = BoundedCountPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        count = {"count": response.data.pop("count"),
                 "count_exact": self.page.paginator.count_exact}
        response.data = {**count, **response.data}
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count"]["description"] = (
            f"The rows of the list: exact up to {EXACT_UP_TO:,}; above, PostgreSQL's estimate "
            "(see count_exact)."
        )
        schema["properties"]["count_exact"] = {
            "type": "boolean",
            "description": f"Whether count is exact (always when the list has at most "
                           f"{EXACT_UP_TO:,} rows).",
        }
        schema["required"] = [*schema.get("required", []), "count_exact"]
        return schema
