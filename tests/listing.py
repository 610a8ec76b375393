"""Helpers for the tests of sortable, exportable lists (config.listing)."""

import csv
import io


def csv_rows(response) -> list[list[str]]:
    """A list's CSV export, read as a spreadsheet would: header row first."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def sorted_both_ways(items, key) -> tuple[list, list]:
    """`items` as `?sort=k` and `?sort=-k` order them: by `key`, ties by primary key ascending
    either way (config.listing's stable order)."""
    by_pk = sorted(items, key=lambda item: item.pk)
    return sorted(by_pk, key=key), sorted(by_pk, key=key, reverse=True)
