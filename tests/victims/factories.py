"""Victims' test helpers shared by several modules: who works with victims, the new-crime page's
POST, and rows of the bulk import."""

from tests.victims.conftest import category
from victims.importer import HEADER

WORKERS_OF_A = {"staff_a", "sergeant_a", "inspector_a", "chief_inspector_a"}


ALL = ["staff_a", "sergeant_a", "inspector_a", "chief_inspector_a", "commander_a", "hq",
       "admin_user", "inspector_b"]  # fmt: skip


def crime_form(ward, victims, **crime):
    """The new-crime page's POST: the crime's fields and the victim formset (4 forms)."""
    data = {
        "reference": "CR-PAGE-1", "category": category("burglary").pk,
        "occurred_at": "2026-03-02T09:00", "reported_at": "2026-03-02T10:00", "ward": ward.pk,
        "victims-TOTAL_FORMS": "4", "victims-INITIAL_FORMS": "0",
        "victims-MIN_NUM_FORMS": "1", "victims-MAX_NUM_FORMS": "4",
    }  # fmt: skip
    data.update(crime)
    for i in range(4):
        data[f"victims-{i}-preferred_contact"] = "phone"
        for key, value in (victims[i] if i < len(victims) else {}).items():
            data[f"victims-{i}-{key}"] = value
    return data


URL = "/api/v1/crimes/import/"


def row(ward, ref="CR-IMP-1", kind="Bicycle theft", name="Ida Import", reason="", lat=None):
    lat = lat if lat is not None else ward.centroid_lat
    return [
        ref,
        "2026-03",
        "Metropolitan Police Service",
        "Metropolitan Police Service",
        str(ward.centroid_lng),
        str(lat),
        "On or near Haverstock Hill",
        "E01000001",
        "Camden 001A",
        kind,
        "Under investigation",
        "",
        "2026-03-02T14:30",
        "",
        name,
        "07700 900123",
        "",
        "phone",
        "",
        reason,
        "yes",
        "1 Haverstock Hill",
        "NW3 2AB",
    ]


def csv_of(*rows):
    return "\n".join(",".join(r) for r in [HEADER, *rows]) + "\n"
