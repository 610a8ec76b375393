"""The ward page's panel: the ward's schools with their Safer Schools officer or point of
contact, under the borough's allocation in force. The borough page's: a link to the ranking and
the allocation's review date. Each a fixed number of queries."""

from config.timeutils import today
from schools.models import Allocation, AllocationDecision, School


def ward_panel(ward, request) -> dict:
    """Two queries: the allocations in force for the ward's schools, and the ward's schools."""
    allocations = {
        a.school_id: a
        for a in Allocation.objects.in_force(today())
        .filter(school__ward=ward)
        .select_related("contact", "decision")
    }
    schools = list(School.objects.filter(ward=ward).order_by("name"))
    return {
        "rows": [{"school": s, "allocation": allocations.get(s.pk)} for s in schools],
        "decision": next(iter(allocations.values())).decision if allocations else None,
    }


def borough_panel(borough, request) -> dict:
    """One query: the allocation in force."""
    in_force = (
        AllocationDecision.objects.filter(borough=borough, effective_from__lte=today())
        .order_by("-effective_from", "-pk")
        .first()
    )
    return {"in_force": in_force}
