"""Small helpers for the public API's tests."""

from django.utils import timezone

from promises.models import WardPriority


def priority(ward, issue: str) -> WardPriority:
    return WardPriority.objects.create(ward=ward, issue=issue, issue_date=timezone.now())
