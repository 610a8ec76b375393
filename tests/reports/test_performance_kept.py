"""The performance pages and API kept whole (config.datacache) until what they show changes: a
second view runs only the session's queries, yet every write to a table they read, every change
of the reader's role or boroughs, and a BCU's part that differs by reader, shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.access import Role
from demand.models import WardMonthTotal
from reports.models import Commentary
from reports.performance.areas import area_for
from reports.performance.figures import area_months, area_months_kept
from reports.performance.models import Level
from reports.templatetags.reports import rating_tag
from tests.conftest import api_client_for
from tests.reports.performance_data import MARCH, build_march, ward_k_of

pytestmark = pytest.mark.django_db

BOROUGH_URL = reverse("reports:performance_borough", args=["E09000007"])


@pytest.fixture
def march(staff_a, borough_a, ward_a):
    build_march(staff_a, borough_a, ward_a, ward_k_of(borough_a))


def queries(get) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as captured:
        response = get()
    return response, len(captured)


def test_a_bcu_s_figures_are_kept_for_the_boroughs_each_reader_sees(
    march, hq, inspector_a, borough_a2
):
    """HQ's Central North counts Camden and Islington; Camden's inspector's only Camden."""
    everything = area_for(hq, Level.BCU, "CN")
    camden_only = area_for(inspector_a, Level.BCU, "CN")
    assert len(everything.borough_ids) == 2 and len(camden_only.borough_ids) == 1
    hq_months = area_months_kept(everything, MARCH, n=1)
    mine = area_months_kept(camden_only, MARCH, n=1)
    assert mine == area_months(camden_only, MARCH, n=1)
    assert mine != hq_months
    assert hq_months[-1].by_measure["abstraction"].note == (
        "1 of 2 boroughs have no ready report of the month.")
    assert mine[-1].by_measure["abstraction"].rating != "grey"


@pytest.mark.parametrize("name, code, who", [
    ("reports:performance_borough", "E09000007", "commander_a"),
    ("reports:performance_ward", None, "inspector_a"),
    ("reports:performance_ward_summary", None, "sergeant_a"),
    ("reports:performance_london", "", "hq"),
    ("reports:performance_bcu", "CN", "commander_a"),
])
def test_a_second_view_is_the_kept_page(march, client, cast, ward_a, name, code, who):
    client.force_login(cast(who))
    client.get("/")  # the CSRF cookie, which a kept page needs (config.datacache)
    args = [] if code == "" else [ward_a.code if code is None else code]
    url = reverse(name, args=args) + "?month=2026-03"
    first, made = queries(lambda: client.get(url))
    again, served = queries(lambda: client.get(url))
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert served == 1 and made > 10  # the signed-in user only (the session is in Redis)


def test_the_kept_page_shows_a_write_to_what_it_reads(march, client, commander_a, ward_a):
    client.force_login(commander_a)
    client.get("/")
    url = BOROUGH_URL + "?month=2026-03"
    before = client.get(url).content.decode()
    assert "Nothing new in Camden." not in before
    Commentary.objects.create(level="borough", area_code="E09000007", month=MARCH,
                              text="Nothing new in Camden.", written_by=commander_a)
    with_commentary = client.get(url).content.decode()
    assert "Nothing new in Camden." in with_commentary
    # A figure of the month: March's crimes in Haverstock, as police.uk publishes them anew.
    WardMonthTotal.objects.filter(ward=ward_a, month=MARCH).update(crimes=1000)
    after = client.get(url).content.decode()
    assert after != with_commentary
    crime = area_months(area_for(commander_a, Level.BOROUGH, "E09000007"), MARCH, n=1)
    assert f">{crime[-1].by_measure['crime'].value} <span" in after


def test_the_kept_page_follows_the_reader_s_role(march, client, commander_a):
    client.force_login(commander_a)
    client.get("/")
    url = BOROUGH_URL + "?month=2026-03"
    assert "Save the commentary" in client.get(url).content.decode()
    commander_a.role = Role.INSPECTOR  # inspectors write a ward's commentary, not a borough's
    commander_a.save()  # the same session
    assert "Save the commentary" not in client.get(url).content.decode()


def test_the_kept_page_follows_the_reader_s_boroughs(march, client, inspector_a, borough_a,
                                                     ward_a):
    client.force_login(inspector_a)
    client.get("/")
    for url in (reverse("reports:performance_ward", args=[ward_a.code]),
                reverse("reports:performance_ward_summary", args=[ward_a.code])):
        assert client.get(url).status_code == 200
    inspector_a.boroughs.remove(borough_a)
    for url in (reverse("reports:performance_ward", args=[ward_a.code]),
                reverse("reports:performance_ward_summary", args=[ward_a.code])):
        assert client.get(url).status_code == 404


def test_the_api_keeps_its_answer_until_a_figure_changes(march, commander_a, ward_a):
    api = api_client_for(commander_a)
    url = "/api/v1/performance/?borough=E09000007&month=2026-03"
    first, made = queries(lambda: api.get(url))
    again, served = queries(lambda: api.get(url))
    assert first.json() == again.json() and served < made
    assert served == 1  # the token, with its user and the user's boroughs
    crime = next(m for m in first.json()["measures"] if m["measure"] == "crime")
    WardMonthTotal.objects.filter(ward=ward_a, month=MARCH).update(crimes=1000)
    fresh = next(m for m in api.get(url).json()["measures"] if m["measure"] == "crime")
    assert fresh["value"] != crime["value"]


def test_the_api_s_kept_answer_follows_a_session_s_role_and_boroughs(
    march, client, hq, inspector_a, borough_a
):
    """A session is not revoked as a token is: its grants are read afresh."""
    client.force_login(hq)
    london = "/api/v1/performance/?month=2026-03"
    assert client.get(london).status_code == 200
    hq.role = Role.INSPECTOR
    hq.save()
    hq.boroughs.add(borough_a)  # the same session
    assert client.get(london).status_code == 400
    client.force_login(inspector_a)
    camden = "/api/v1/performance/?borough=E09000007&month=2026-03"
    assert client.get(camden).status_code == 200
    inspector_a.boroughs.remove(borough_a)
    assert client.get(camden).status_code == 404


@pytest.mark.parametrize("rating, tag", [
    ("green", '<strong class="govuk-tag govuk-tag--green" data-rating="green">Green</strong>'),
    ("amber", '<strong class="govuk-tag govuk-tag--orange" data-rating="amber">Amber</strong>'),
    ("red", '<strong class="govuk-tag govuk-tag--red" data-rating="red">Red</strong>'),
    ("grey", '<strong class="govuk-tag govuk-tag--grey" data-rating="grey">Grey: no data</strong>'),
    ("<b>", '<strong class="govuk-tag govuk-tag--grey" data-rating="grey">Grey: no data</strong>'),
])
def test_a_rating_is_a_tag_whose_words_say_it(rating, tag):
    assert rating_tag(rating) == tag


def test_the_trend_table_tags_every_month_s_every_rating(march, client, commander_a):
    client.force_login(commander_a)
    page = client.get(BOROUGH_URL, {"month": "2026-03"}).content.decode()
    trend = page[page.index("data-performance-trend"):]
    trend = trend[:trend.index("</table>")]
    assert trend.count('class="govuk-tag ') == 12 * 8  # 12 months of the 8 measures
    assert trend.count('data-rating="grey"') < 12 * 8  # March is rated
