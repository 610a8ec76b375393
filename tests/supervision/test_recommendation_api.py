"""GET /api/v1/supervision/recommendation/?borough=: every ward exactly once, workloads and
reasons, the objective for the proposal and for today; scoped like every endpoint."""

import io

import pytest
from django.urls import reverse

from config.timeutils import today
from tests.conftest import api_client_for
from tests.pdf_tags import assert_tagged
from tests.supervision.conftest import sergeant, set_demand

pytestmark = pytest.mark.django_db
URL = reverse("api:supervision-recommendation")


@pytest.fixture
def busy_row(borough_a, row_borough):
    """W1-W5 in a row and W6 alone; today two sergeants: W1+W2+W3 and W4+W5+W6."""
    for n, crimes in enumerate([900, 100, 80, 70, 60, 50], start=1):
        set_demand(row_borough[f"W{n}"], crimes=crimes)
    w = row_borough
    sergeant(borough_a, [w["W1"], w["W2"], w["W3"]])
    sergeant(borough_a, [w["W4"], w["W5"], w["W6"]])
    return row_borough


def test_it_covers_every_ward_once_with_reasons_and_both_objectives(staff_a, busy_row):
    answer = api_client_for(staff_a).get(URL, {"borough": "E09000007", "groups": 3})
    assert answer.status_code == 200, answer.content
    data = answer.json()
    codes = [c for cluster in data["clusters"] for c in cluster["wards"]]
    assert sorted(codes) == sorted(w.code for w in busy_row.values())
    assert len(data["clusters"]) == 3
    # W6 has no neighbour: alone. W1-W5 in the other two groups: 3 + 2 wards, so the top
    # fifth (W1 900, W2 100) cannot both stay alone; the best is W1+W2 (1,000) | W3+W4+W5 (210)
    assert data["objective"]["proposal"] == 1000
    assert sorted(map(sorted, (c["wards"] for c in data["clusters"]))) == sorted(
        [[busy_row["W1"].code, busy_row["W2"].code],
         [busy_row["W3"].code, busy_row["W4"].code, busy_row["W5"].code], [busy_row["W6"].code]]
    )  # fmt: skip
    assert data["objective"]["today"] == 1080  # W1+W2+W3 today
    assert all(cluster["reasons"] for cluster in data["clusters"])
    assert data["weights"]["crime"] == "1.00"


def test_the_number_of_groups_defaults_to_the_sergeants_available(staff_a, busy_row):
    data = api_client_for(staff_a).get(URL, {"borough": "E09000007"}).json()
    assert data["sergeants_available"] == 2
    assert data["groups"] == 2
    # W6 has no neighbour, so two groups cannot cover the six wards: three, and it says why
    assert len(data["clusters"]) == 3
    assert any("no fewer than 3" in note for note in data["notes"])
    assert data["objective"]["proposal"] <= data["objective"]["today"]


def test_it_is_deterministic(staff_a, busy_row):
    client = api_client_for(staff_a)
    first = client.get(URL, {"borough": "E09000007", "groups": 4}).json()
    assert client.get(URL, {"borough": "E09000007", "groups": 4}).json() == first


@pytest.mark.parametrize(
    "params",
    [{}, {"borough": "nope"}, {"borough": "E09000007", "groups": 0},
     {"borough": "E09000007", "groups": "x"}, {"borough": "E09000007", "groups": 1}],
)  # fmt: skip
def test_bad_input_is_a_400_naming_the_field(staff_a, busy_row, params):
    answer = api_client_for(staff_a).get(URL, params)
    assert answer.status_code == 400
    assert ("groups" if "groups" in params else "borough") in answer.json()


def test_outsiders_get_404_and_anonymous_401(inspector_b, api, busy_row):
    assert api_client_for(inspector_b).get(URL, {"borough": "E09000007"}).status_code == 404
    assert api.get(URL, {"borough": "E09000007"}).status_code in (401, 403)


@pytest.mark.parametrize("role", ["commander_a", "hq", "admin_user", "sergeant_a"])
def test_readers_of_the_borough_see_it(cast, role, busy_row):
    assert api_client_for(cast(role)).get(URL, {"borough": "E09000007"}).status_code == 200


def test_the_recommendation_takes_a_fixed_number_of_queries(
    staff_a, borough_a, busy_row, assert_fixed_queries
):
    from tests import factories as f
    from tests.supervision.conftest import row_ward

    client = api_client_for(staff_a)

    def more_wards():
        for n in (7, 8):
            ward = row_ward(borough_a, n, lng=-0.2 + (n - 3) * 0.008)
            f.TeamFactory(ward=ward)
            set_demand(ward, crimes=n)

    # the token (with its user and their boroughs), the borough; its wards, the weights, the
    # latest CAD and police.uk months, ASB's category, crimes, calls, places, the sergeants,
    # the adjacency's cache key and (not cached) boundaries, today's supervisor postings
    before, after = assert_fixed_queries(
        lambda: client.get(URL, {"borough": "E09000007"}), more_wards, queries=14
    )
    assert len(after.json()["wards"]) == len(before.json()["wards"]) + 2


def test_a_bad_number_of_groups_on_the_page_is_an_error_summary(client, staff_a, busy_row):
    client.force_login(staff_a)
    page = reverse("supervision:recommendation", args=["E09000007"])
    for bad in ("x", "0", "1", "999"):
        shown = client.get(page, {"groups": bad})
        assert shown.status_code == 200
        assert b"govuk-error-summary" in shown.content


def test_the_proposal_downloads_as_csv_for_consultation(client, staff_a, inspector_b, busy_row):
    import csv
    import io

    url = reverse("supervision:proposal_csv", args=["E09000007"])
    client.force_login(staff_a)
    answer = client.get(url, {"groups": 3})
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    text = b"".join(answer.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["ward_code"] for r in rows) == sorted(w.code for w in busy_row.values())
    by_ward = {r["ward"]: r for r in rows}
    assert by_ward["W1"]["group"] == by_ward["W2"]["group"]
    assert by_ward["W1"]["group_workload"] == "1000" and by_ward["W1"]["ward_workload"] == "900"
    client.force_login(inspector_b)
    assert client.get(url).status_code == 404


def test_a_borough_without_wards_has_an_empty_recommendation(staff_a, borough_a2):
    staff_a.boroughs.add(borough_a2)
    data = api_client_for(staff_a).get(URL, {"borough": borough_a2.code}).json()
    assert data["clusters"] == [] and data["objective"] == {
        "definition": data["objective"]["definition"], "proposal": 0, "today": 0,
    }  # fmt: skip


def test_the_proposal_csv_neutralises_a_formula_in_a_name(client, staff_a, busy_row):
    import csv
    import io

    ward = busy_row["W1"]
    ward.name = "=cmd|'/c calc'!A1"
    ward.save(update_fields=["name"])
    client.force_login(staff_a)
    answer = client.get(reverse("supervision:proposal_csv", args=["E09000007"]), {"groups": 3})
    text = b"".join(answer.streaming_content).decode("utf-8-sig")
    rows = {r["ward_code"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows[ward.code]["ward"] == "'=cmd|'/c calc'!A1"


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_proposal_downloads_as_pdf_with_the_page_s_figures(client, staff_a, inspector_b,
                                                               busy_row):  # fmt: skip
    """The same groups and objective as the API, the weights and each ward's workload; a name
    with markup in it is shown as written."""
    ward = busy_row["W6"]
    ward.name = "Fish & <b>Chips</b>"
    ward.save(update_fields=["name"])
    url = reverse("supervision:proposal_pdf", args=["E09000007"])
    client.force_login(staff_a)
    answer = client.get(url, {"groups": 3})
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"].startswith('attachment; filename="supervision_E0900')
    text = " ".join(pdf_text(answer.content).split())
    assert "Shared supervision: Camden" in text
    # Tagged for assistive technology: headings, the tables' header and data cells, en-GB.
    assert_tagged(answer.content, title=f"Shared supervision: Camden, proposal of "
                                        f"{today():%d %B %Y}")
    assert "Proposal 3 1,000" in text and "Today" in text and "1,080" in text
    assert "W1, W2" in text and "W3, W4, W5" in text
    assert "Fish & <b>Chips</b>" in text
    assert "Per crime (TNO, not ASB): 1;" in text
    client.force_login(inspector_b)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
