"""The Safer Schools page, the ward page's panel and the import: who may see and do what, the
ranking with what is missing, and a fixed number of queries."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from config.timeutils import today
from schools import services
from schools.models import AllocationDecision, School
from tests.schools.conftest import school

pytestmark = pytest.mark.django_db
PAGE = "/safer-schools/E09000007/"


def test_staff_see_the_ranking_with_what_is_missing_but_no_decision_form(
    client, hand_built, staff_a
):
    client.force_login(staff_a)
    page = client.get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    assert text.index("School 100003") < text.index("School 100001") < text.index("School 100004")
    assert "Deprivation (ward IMD 2025 score)" in text  # missing, and named
    assert 'id="decision-form"' not in text and 'id="weights-form"' not in text
    assert client.post(PAGE, {"action": "decide"}).status_code == 403


def test_the_commander_records_the_allocation_on_the_page(client, hand_built, commander_a):
    client.force_login(commander_a)
    page = client.get(PAGE)
    assert 'id="decision-form"' in page.content.decode()
    data = {
        "action": "decide", "officer_schools": ["100001", "100002"],
        "contact_100003": hand_built["pc2"].pk, "effective_from": today().isoformat(),
        "rationale": "The two schools most in need.",
    }  # fmt: skip
    done = client.post(PAGE, data)
    assert done.status_code == 302, done.content.decode()[:3000]
    decision = AllocationDecision.objects.get()
    contacts = dict(decision.allocations.values_list("school__urn", "contact__shoulder_number"))
    assert contacts["100003"] == "1002AA"
    shown = client.get(PAGE).content.decode()
    assert f"Review due {decision.review_due:%-d %B %Y}" in shown


def test_a_bad_decision_shows_the_error_summary(client, hand_built, commander_a):
    client.force_login(commander_a)
    page = client.post(PAGE, {"action": "decide", "officer_schools": ["100003"],
                              "effective_from": today().isoformat(), "rationale": "x"})  # fmt: skip
    assert page.status_code == 200
    assert "govuk-error-summary" in page.content.decode()
    assert not AllocationDecision.objects.exists()


def test_the_commander_changes_the_weights_and_the_number(client, hand_built, commander_a):
    client.force_login(commander_a)
    from schools.models import CRITERION_NAMES

    data = {"action": "weights", "officers": "3", **dict.fromkeys(CRITERION_NAMES, "1")}
    assert client.post(PAGE, data).status_code == 302
    assert 'id="officers">3<' in client.get(PAGE).content.decode()
    assert client.post(PAGE, {**data, "officers": "-1"}).status_code == 200  # error summary


def test_outsiders_get_404(client, hand_built, inspector_b):
    client.force_login(inspector_b)
    assert client.get(PAGE).status_code == 404


def test_the_page_takes_a_fixed_number_of_queries(
    client, hand_built, commander_a, borough_a, django_assert_num_queries
):
    client.force_login(commander_a)
    client.get(PAGE)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE).status_code == 200
        return len(queries)

    before = count()
    for n in range(10):
        school(borough_a, hand_built["w1"], f"30000{n}")
    assert count() == before


def test_the_ward_page_lists_its_schools_with_officer_or_contact(
    client, hand_built, borough_a, commander_a, staff_a, django_assert_num_queries
):
    services.allocation_record(borough=borough_a, effective_from=today(), rationale="Need",
                               by=commander_a, today=today(), officers=2)  # fmt: skip
    from schools.page_panels import ward_panel

    with django_assert_num_queries(2):
        panel = ward_panel(hand_built["w1"], None)
    assert [(r["school"].urn, r["allocation"].kind) for r in panel["rows"]] == [
        ("100001", "officer"), ("100002", "officer"), ("100003", "point_of_contact"),
        ("100005", "point_of_contact"),
    ]  # fmt: skip
    client.force_login(staff_a)
    text = client.get(hand_built["w1"].get_absolute_url()).content.decode()
    assert "a dedicated Safer Schools officer" in text
    assert f"point of contact PC {hand_built['pc1'].full_name}" in text


CSV = (
    "urn,name,kind,postcode,free_school_meals_pct,exclusions_pct,gang_intelligence,victims\n"
    "100001,,,,45.5,0.2,yes,3\n"  # line 2: known school, criteria
    "100002,,,,120,,,\n"  # line 3: a percentage over 100
    "123456,Camden PRU,pru,NW1 1AA,,,no,\n"  # line 4: a new PRU placed by its postcode
    "100001,,,,1,,,\n"  # line 5: twice
    "654321,Westminster College,college,W1D 1AA,,,,\n"  # line 6: not a postcode of A
    "100004,,,,-,,maybe,\n"  # line 7: not yes or no
)


def test_the_import_saves_good_rows_and_names_the_bad_by_line(
    client, hand_built, staff_a, ward_b
):
    from tests import factories as f

    f.PostcodeFactory(postcode="NW1 1AA", ward=hand_built["w1"])
    f.PostcodeFactory(postcode="W1D 1AA", ward=ward_b)
    client.force_login(staff_a)
    upload = SimpleUploadedFile("schools.csv", CSV.encode(), content_type="text/csv")
    page = client.post("/safer-schools/import/", {"file": upload})
    assert page.status_code == 200
    rejected = [line for line, _why in page.context["report"].rejected]
    assert rejected == [3, 5, 6, 7]
    one = School.objects.get(urn="100001")
    assert (str(one.free_meals), str(one.exclusions), one.gang, one.victims) == (
        "45.50", "0.20", True, 3
    )
    pru = School.objects.get(urn="123456")
    assert (pru.kind, pru.ward, pru.placed, pru.gang) == (
        "pru", hand_built["w1"], "postcode", False
    )
    assert School.objects.get(urn="100004").free_meals == 10  # its row was rejected whole


def test_only_editors_import_and_a_big_file_is_413(client, hand_built, commander_a, staff_a):
    client.force_login(commander_a)
    assert client.get("/safer-schools/import/").status_code == 403
    client.force_login(staff_a)
    with override_settings(REQUEST_BODY_LIMITS={"import": 1000, "default": 1000}):
        upload = SimpleUploadedFile("big.csv", b"urn\n" + b"100001\n" * 500)
        assert client.post("/safer-schools/import/", {"file": upload}).status_code == 413


def test_a_school_of_another_borough_is_not_imported(client, hand_built, staff_b):
    client.force_login(staff_b)
    upload = SimpleUploadedFile("s.csv", b"urn,victims\n100001,9\n")
    page = client.post("/safer-schools/import/", {"file": upload})
    assert page.context["report"].rejected[0][0] == 2
    assert School.objects.get(urn="100001").victims is None


def test_a_decision_date_in_the_past_is_refused_on_the_page(client, hand_built, commander_a):
    client.force_login(commander_a)
    yesterday = today() - datetime.timedelta(days=1)
    page = client.post(PAGE, {
        "action": "decide", "officer_schools": ["100001"], "effective_from": yesterday.isoformat(),
        "rationale": "x",
    })  # fmt: skip
    assert page.status_code == 200 and "today or later" in page.content.decode()


def test_a_rejected_row_leaves_the_school_as_it_was(client, hand_built, staff_a):
    client.force_login(staff_a)
    upload = SimpleUploadedFile("s.csv", b"urn,free_school_meals_pct,victims\n100004,-,x\n"
                                b"100004,,2\n")  # fmt: skip
    client.post("/safer-schools/import/", {"file": upload})
    school = School.objects.get(urn="100004")
    assert (school.free_meals, school.victims) == (10, 2)


def test_the_api_import_is_all_or_nothing_unless_valid_only(hand_built, staff_a, commander_a):
    from tests.conftest import api_client_for

    api = api_client_for(staff_a)
    body = "urn,victims\n100001,5\n100002,lots\n"
    refused = api.generic("POST", "/api/v1/safer-schools/import/", body, content_type="text/csv")
    assert refused.status_code == 400
    assert refused.json()["rejected"] == [{"line": 3, "message": refused.json()["rejected"][0]
                                           ["message"]}]  # fmt: skip
    assert School.objects.get(urn="100001").victims is None
    upload = SimpleUploadedFile("s.csv", body.encode(), content_type="text/csv")
    done = api.post("/api/v1/safer-schools/import/", {"file": upload, "valid_only": "true"},
                    format="multipart")  # fmt: skip
    assert done.status_code == 201 and done.json()["imported"] == 1
    assert School.objects.get(urn="100001").victims == 5
    assert api_client_for(commander_a).generic(
        "POST", "/api/v1/safer-schools/import/", body, content_type="text/csv"
    ).status_code == 403
