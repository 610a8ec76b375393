"""Deployment's answer when an officer is about to leave their borough (teams.signals): an
approved flex or abstraction, a flex request or a change to one waiting for a decision, a duty or
a rest day, from
the day they go (a rest day belongs to the borough served in on its date: deployment.rest_days)."""

from deployment.models import Commitment, Duty, FlexChange, FlexOfficer, FlexStatus, RestDay


def officer_committed(sender, *, officer, effective_on, starts_at, **kwargs) -> str | None:
    name, day = officer.full_name, f"{effective_on:%d %B %Y}"
    commitment = (
        Commitment.objects.filter(officer=officer, ends_at__gt=starts_at)
        .select_related("abstraction__abstraction_type")
        .order_by("starts_at")
        .first()
    )
    if commitment is not None:
        what = (
            f"approved flex #{commitment.flex_request_id}"
            if commitment.flex_request_id
            else f"an abstraction ({commitment.abstraction.abstraction_type})"
        )
        return f"{name} is committed to {what} on or after {day}: end or withdraw it first."
    pending = (
        FlexOfficer.objects.filter(
            officer=officer,
            flex_request__status__in=[FlexStatus.DRAFT, FlexStatus.SUBMITTED],
            flex_request__end_date__gte=effective_on,
        )
        .values_list("flex_request_id", flat=True)
        .first()
    )
    if pending is not None:
        return (
            f"{name} is named in flex request #{pending}, still waiting for a decision: "
            "withdraw it or take them off it first."
        )
    changed = (
        FlexChange.objects.filter(
            officers=officer, status=FlexChange.Status.PROPOSED, end_date__gte=effective_on
        )
        .values_list("flex_request_id", flat=True)
        .first()
    )
    if changed is not None:
        return (
            f"{name} is named in a change to flex #{changed}, still waiting for a decision: "
            "decide it first."
        )
    if Duty.objects.filter(officer=officer, ends_at__gt=starts_at).exists():
        return f"Duties are recorded for {name} on or after {day}."
    if RestDay.objects.filter(officer=officer, day__gte=effective_on).exists():
        return f"Rest days are recorded for {name} on or after {day}: delete them first."
    return None
