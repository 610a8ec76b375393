"""Every field that offers choices offers only what the user may see. The fields are found, not
listed: every serializer (writable related fields, nested ones too: the browsable API's forms
render them), every page form (ModelChoiceField) and every FilterSet of the code, so a new one is
checked the day it is added. A user of borough B must find none of borough A's records among the
choices (the sample fixture puts one record of every kind in A); reference data without a
borough (abstraction types, crime categories, police.uk's categories) is offered to everyone,
and so is any London borough as a transfer's destination."""

import django_filters
import pytest
from django import forms
from django.test import RequestFactory
from rest_framework import relations

from config.timeutils import today
from schools.recommendation import recommend
from tests import factories as f
from tests.endpoints import schema_operations
from tests.victims.conftest import offer_of, record_crime
from tests.walk import forms_of_the_code, serializers_of_the_code, subclasses, writable_fields

pytestmark = pytest.mark.django_db

# Models with no borough: the same for every user.
REFERENCE_DATA = {"deployment.abstractiontype", "victims.crimecategory", "demand.category"}
# Choices that are London-wide on purpose, with why.
LONDON_WIDE = {
    ("OfficerTransferInputSerializer", "borough"): "an officer transfers to any London borough",
    ("OfficerTransferForm", "borough"): "an officer transfers to any London borough",
}


def _label(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


@pytest.fixture
def outsider(sample, borough_b, ward_b, team_b, staff_b):
    """A user of borough B, with B's own records for the forms that are built around one."""
    from teams.models import Team

    sample["inpt"] = f.INPTFactory(cluster=sample["cluster"])  # A's cluster team
    assert Team.objects.filter(kind=Team.Kind.INPT, borough=sample["borough"]).exists()
    officer_b = f.OfficerFactory(borough=borough_b)
    f.PostingFactory(officer=officer_b, team=team_b)
    own = {
        "user": staff_b,
        "borough": borough_b,
        "ward": ward_b,
        "officer": officer_b,
        "offer": offer_of(record_crime(staff_b, ward=ward_b)),
        "number": 1,
        "wards": [ward_b],  # supervision's decision: a group for each of B's wards
        "n_groups": 1,
        "people": [staff_b],  # whom a message can be assigned to (contact.forms.AssignForm)
        "rec": recommend(borough_b, on=today()),  # Safer Schools' decision: B's schools
    }
    request = RequestFactory().get("/")
    request.user = staff_b
    return staff_b, own, request


def check_choices(owner: str, name: str, field_queryset, base_queryset, user) -> str | None:
    """None if `field_queryset` (what the field offers) holds nothing of another borough;
    else why. `base_queryset` is what it chooses from before any scoping: it must hold some of
    borough A's rows, or the check proves nothing."""
    model = field_queryset.model
    if _label(model) in REFERENCE_DATA or (owner, name) in LONDON_WIDE:
        return None
    if not hasattr(model._default_manager.all(), "for_user"):
        return f"{owner}.{name} offers {_label(model)}, which has no borough scoping"
    visible = model._default_manager.all().for_user(user).values("pk")
    if not base_queryset.exclude(pk__in=visible).exists():
        return f"{owner}.{name}: the sample has no {_label(model)} of borough A to leak"
    leaked = field_queryset.exclude(pk__in=visible)
    if leaked.exists():
        return f"{owner}.{name} offers {leaked.count()} {_label(model)} of another borough"
    return None


# -- serializers (the API's input, and the browsable API's forms) ------------------------------

def test_every_serializer_field_offers_only_the_users_boroughs(outsider):
    user, _own, request = outsider
    problems, checked = [], 0
    for serializer in serializers_of_the_code(request):
        owner = type(serializer).__name__
        for name, field in writable_fields(serializer):
            if isinstance(field, relations.RelatedField):
                checked += 1
                queryset = field.get_queryset()
                problems.append(check_choices(owner, name, queryset, field.queryset, user))
    assert checked >= 20
    assert "\n".join(p for p in problems if p) == ""


# -- page forms ---------------------------------------------------------------------------------

def model_choice_fields(form):
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):
            yield name, field


def test_every_form_field_offers_only_the_users_boroughs(outsider):
    user, own, _request = outsider
    problems, checked = [], 0
    for form in forms_of_the_code(own):
        for name, field in model_choice_fields(form):
            checked += 1
            base = field.queryset.model._default_manager.all()
            problems.append(check_choices(type(form).__name__, name, field.queryset, base, user))
    assert checked >= 15
    assert "\n".join(p for p in problems if p) == ""


# -- filters (pages and API lists) ----------------------------------------------------------------

def test_every_filter_offers_only_the_users_boroughs(outsider):
    user, _own, request = outsider
    problems, checked = [], 0
    for cls in subclasses(django_filters.FilterSet):
        if cls._meta.model is None:
            continue
        filterset = cls(data={}, queryset=cls._meta.model._default_manager.all(), request=request)
        for name, field in model_choice_fields(filterset.form):
            checked += 1
            base = field.queryset.model._default_manager.all()
            problems.append(check_choices(cls.__name__, name, field.queryset, base, user))
    assert checked >= 2
    assert "\n".join(p for p in problems if p) == ""


def test_the_browsable_api_forms_list_only_the_users_boroughs(client, sample, staff_b):
    """`?format=api` renders each list's forms from its serializer: none names A's records."""
    client.force_login(staff_b)
    a_records = {
        "promise": sample["promise"].title,
        "place": sample["place"].name,
        "panel meeting": str(sample["panel_meeting"]),
        "team": sample["team"].name,
        # as a choice (its shoulder number is also the example in the field's help text)
        "officer": f'value="{sample["officer"].shoulder_number}"',
        "officer's name": sample["officer"].full_name,
    }
    # Every list the API has (found in its schema, so a new one is checked the day it is added).
    lists = sorted({path for path, method, *_ in schema_operations()
                    if method == "get" and "{" not in path})
    assert "/api/v1/rest-days/" in lists
    for url in lists:
        page = client.get(url + "?format=api")
        if page.status_code != 200:
            assert page.status_code in (400, 403, 404), (url, page.status_code)  # a required filter
            continue
        shown = [what for what, text in a_records.items() if text in page.text]
        assert shown == [], (url, shown)
