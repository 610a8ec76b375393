"""The shapes of data.police.uk's answers, for the OpenAPI schema. The answers themselves are
built as plain data (policeuk.neighbourhoods, policeuk.crimes) and tests hold every one of them to
these shapes (tests/policeuk/test_schema.py), so the schema cannot drift from what is sent."""

from rest_framework import serializers as s


def _strings(**help_texts):
    return {name: s.CharField(help_text=text) for name, text in help_texts.items()}


def shape(name: str, fields: dict):
    """A named serializer class of `fields` (one component in the schema)."""
    return type(name, (s.Serializer,), {**fields, "__module__": __name__})


def contact_details():
    return s.DictField(child=s.CharField(), help_text="email, telephone, web, twitter…")


ForceSummary = shape("ForceSummary", _strings(id="The force's id.", name="The force's name."))
EngagementMethod = shape("EngagementMethod", _strings(url="", type="", description="", title=""))
Force = shape("Force", {
    **_strings(id="metropolitan", name="", url="", telephone="", description="HTML."),
    "engagement_methods": EngagementMethod(many=True),
})
Person = shape("Person", {
    "name": s.CharField(), "rank": s.CharField(),
    "bio": s.CharField(allow_null=True), "contact_details": contact_details(),
})
NeighbourhoodSummary = shape("NeighbourhoodSummary", _strings(
    id="The ward's ONS code plus N.", name="The ward's name."))
LatLng = shape("LatLng", _strings(latitude="Decimal degrees, as a string.",
                                  longitude="Decimal degrees, as a string."))
Neighbourhood = shape("Neighbourhood", {
    **_strings(url_force="", name="", id="The ward's ONS code plus N.",
               population="Census 2021 residents, as a string."),
    "description": s.CharField(allow_null=True, help_text="HTML."),
    "contact_details": contact_details(),
    "links": s.ListField(child=s.DictField()),
    "locations": s.ListField(child=s.DictField()),
    "centre": LatLng(),
})
Event = shape("Event", {
    **_strings(title="", address="", type="", start_date="YYYY-MM-DDTHH:MM:SS, London time.",
               end_date="YYYY-MM-DDTHH:MM:SS, London time."),
    "description": s.CharField(allow_null=True),
    "contact_details": contact_details(),
})
Priority = shape("Priority", {
    "issue": s.CharField(help_text="HTML."),
    "issue-date": s.CharField(help_text="YYYY-MM-DDTHH:MM:SS, London time."),
    "action": s.CharField(allow_null=True, help_text="HTML."),
    "action-date": s.CharField(allow_null=True, help_text="YYYY-MM-DDTHH:MM:SS, London time."),
})
Located = shape("Located", _strings(force="metropolitan", neighbourhood="The ward's code plus N."))
CrimeCategory = shape("CrimeCategory", _strings(url="The category's slug.", name=""))
StreetDate = shape("StreetDate", {
    "date": s.CharField(help_text="YYYY-MM"),
    "stop-and-search": s.ListField(child=s.CharField(), help_text="Always empty here."),
})
Street = shape("Street", {"id": s.IntegerField(help_text="The point, encoded (README)."),
                          "name": s.CharField()})
Location = shape("Location", {**_strings(latitude="", longitude=""), "street": Street()})
OutcomeStatus = shape("OutcomeStatus", _strings(category="", date="YYYY-MM"))
_CRIME = {
    **_strings(category="", context="", persistent_id="Empty for anti-social behaviour.",
               location_subtype="", month="YYYY-MM"),
    "location_type": s.CharField(allow_null=True, help_text='"Force", or null without location.'),
    "location": Location(allow_null=True),
    "id": s.IntegerField(help_text="Stable, derived from the row (README)."),
}
CrimeInOutcomes = shape("CrimeInOutcomes", _CRIME)
Crime = shape("Crime", {**_CRIME, "outcome_status": OutcomeStatus(allow_null=True)})
OutcomeCategory = shape("OutcomeCategory", _strings(code="", name=""))
Outcome = shape("Outcome", {
    "category": OutcomeCategory(), "date": s.CharField(help_text="YYYY-MM"),
    "person_id": s.IntegerField(allow_null=True),
})
Outcomes = shape("Outcomes", {"crime": CrimeInOutcomes(), "outcomes": Outcome(many=True)})
Error = shape("PublicError", _strings(detail="", code=""))
