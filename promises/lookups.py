"""What promises offers the apps beside it through config.lookups (registered in apps.py)."""

from promises.models import WardPriority


def open_priorities(ward_ids) -> list[tuple[int, int, str]]:
    """[(id, ward id, issue)] of the wards' open priorities, newest first. One query."""
    return list(
        WardPriority.objects.open()
        .filter(ward_id__in=list(ward_ids))
        .order_by("-issue_date", "-pk")
        .values_list("pk", "ward_id", "issue")
    )
