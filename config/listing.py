"""Sortable, exportable lists: one way for every list page to sort, export and show its filters.

- A list's FilterSet sorts with `sort_filter(...)`: django-filter's OrderingFilter under the name
  `sort`, offering only the columns it names (a whitelist: `?sort=password` is a form error, not
  an ORDER BY). The API list uses the same FilterSet, so it sorts the same way.
- `header_cells(request, columns)` gives a table's header cells: a sortable column links to the
  same list sorted by it (again: the other way), with `aria-sort` saying how it is sorted now.
- `applied_filters(request, form)` gives the MoJ filter pattern's tags: each applied filter with
  a link to the same list without it.
- `csv_response(...)` streams the whole filtered list (not one page) as CSV, every text cell
  neutralised so that a spreadsheet never runs it as a formula (`neutralise`)."""

import csv
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import django_filters
from django.http import StreamingHttpResponse

SORT_PARAM = "sort"
EXPORT_PARAM = "format"
# A cell starting with one of these is a formula (or starts one) to Excel, LibreOffice and
# Google Sheets: OWASP's CSV injection list, with the tab and carriage return they also accept.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A number written as text (a figure rounded for display): left as it is.
_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?%?")


@dataclass(frozen=True)
class Column:
    label: str
    sort: str | None = None  # the key `sort_filter` offers for this column, if it sorts


class _SortFilter(django_filters.OrderingFilter):
    """django-filter's OrderingFilter, then the primary key: a stable order, so that pages of a
    sorted list neither repeat nor skip a row that ties."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "pk") if value else qs


def sort_filter(**fields: str) -> django_filters.OrderingFilter:
    """`sort=key` (ascending) or `sort=-key` (descending), for each key=model_field given."""
    return _SortFilter(
        fields=tuple((field, key) for key, field in fields.items()), label="Sort by"
    )


def wants_csv(request) -> bool:
    return request.GET.get(EXPORT_PARAM) == "csv"


def header_cells(request, columns: Sequence[Column]) -> list[dict]:
    current = request.GET.get(SORT_PARAM, "")
    cells = []
    for column in columns:
        if column.sort is None:
            cells.append({"label": column.label})
            continue
        ascending, descending = current == column.sort, current == f"-{column.sort}"
        query = request.GET.copy()
        query[SORT_PARAM] = f"-{column.sort}" if ascending else column.sort
        query.pop("page", None)
        query.pop(EXPORT_PARAM, None)
        cells.append({
            "label": column.label,
            "href": f"?{query.urlencode()}",
            "aria_sort": "ascending" if ascending else "descending" if descending else "none",
        })
    return cells


def applied_filters(request, form) -> list[dict]:
    """One tag per applied value of each of the form's fields (not the sort or the page)."""
    tags = []
    for name, field in form.fields.items():
        if name == SORT_PARAM:
            continue
        # A code field offered as a select (a ward by name) keeps its choices on the widget.
        choices = dict(getattr(field, "choices", None) or getattr(field.widget, "choices", ()))
        for value in request.GET.getlist(name):
            if value in ("", "unknown"):
                continue
            query = request.GET.copy()
            query.setlist(name, [v for v in query.getlist(name) if v != value])
            query.pop("page", None)
            tags.append({
                # The bound field's label: Django's pretty name when the filter has none yet
                # (django-filter derives some labels lazily, so field.label may still be None).
                "field": form[name].label,
                "value": choices.get(value, value),
                "href": f"?{query.urlencode()}",
            })
    return tags


def export_href(request) -> str:
    query = request.GET.copy()
    query[EXPORT_PARAM] = "csv"
    query.pop("page", None)
    return f"?{query.urlencode()}"


def neutralise(value) -> str | int | float:
    """A cell as text a spreadsheet shows as it is: numbers stay numbers; text that would start a
    formula gets a leading apostrophe, which spreadsheets read as "this is text"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    if _NUMBER.fullmatch(text):  # "-16.67" is a figure, not a formula
        return text
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value):
        return value


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable, cells: Callable[[object], Sequence]
) -> StreamingHttpResponse:
    """The rows as a CSV download, streamed (a borough's whole list need not fit in memory)."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # Excel reads UTF-8 (names with accents) only after a byte-order mark
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([neutralise(cell) for cell in cells(row)])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
