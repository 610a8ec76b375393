"""The demand profile: CAD calls and SN officer-minutes by hour of the week, by hand.

borough_a has ward_a (Haverstock) and ward_a2 (Highgate), in one cluster. October 2026, the
clocks go back at 02:00 BST on Sunday 25 October (01:00-02:00 happens twice):

  PC1 (home ward_a) home duty   Sun 25 Oct 00:00 BST -> 08:00 GMT: 9 real hours = 540 minutes:
      Sunday 00 h 60, 01 h 120 (twice), 02-07 h 60 each
  PC2 (home ward_a) abstracted  Mon 26 Oct 08:00 -> 16:00: rostered and abstracted, not on duty
  PC2 (home ward_a) flexed to ward_a2, Tue 27 Oct 08:00 -> 10:00: ward_a's flex out, ward_a2's
      flex in; on duty in ward_a2 (and in the borough), not in ward_a
  PC3 (home ward_a2) home duty, Sat 31 Oct 22:00 GMT -> Sun 1 Nov 02:00: only 2 h in October

ward_a:  rostered 540 + 480 + 120 = 1140; abstracted 480; flex out 120; flex in 0; on duty 540
ward_a2: rostered 120 (Oct part of PC3); flex in 120; on duty 240
borough: rostered 1260; abstracted 480; no flex across its edge; on duty 780
"""

import pytest

from deployment.models import Duty
from planning import profile
from tests import factories as f
from tests.demand.conftest import run_cad
from tests.reports.conftest import abstraction, at, duty

pytestmark = pytest.mark.django_db
OCTOBER = "month_from=2026-10&month_to=2026-10"
SUN, MON, TUE, SAT = 6, 0, 1, 5


@pytest.fixture
def october(borough_a, ward_a, staff_a):
    cluster = f.WardClusterFactory(borough=borough_a, name="North")
    ward_a.cluster = cluster
    ward_a.save()
    ward_a2 = f.WardFactory(code="E05013661", name="Highgate", borough=borough_a, cluster=cluster)
    pc1, pc2, pc3 = (f.OfficerFactory(borough=borough_a) for _ in range(3))
    duty(pc1, ward_a, at(2026, 10, 25, 0), at(2026, 10, 25, 8), by=staff_a)
    held = abstraction(pc2, "central-aid", at(2026, 10, 26, 8), at(2026, 10, 26, 16), by=staff_a)
    duty(
        pc2,
        ward_a,
        at(2026, 10, 26, 8),
        at(2026, 10, 26, 16),
        by=staff_a,
        kind=Duty.Kind.ABSTRACTED,
        abstraction=held,
    )
    duty(
        pc2,
        ward_a,
        at(2026, 10, 27, 8),
        at(2026, 10, 27, 10),
        by=staff_a,
        kind=Duty.Kind.FLEXED,
        worked=ward_a2,
    )
    duty(pc3, ward_a2, at(2026, 10, 31, 22), at(2026, 11, 1, 2), by=staff_a)
    run_cad(
        b"reference,received_at,ward_code,type,grade\n"
        b"C1,2026-10-25T01:30:00+01:00,E05013660,asb,S\n"
        b"C2,2026-10-25T01:30:00+00:00,E05013660,other,S\n"
        b"C3,2026-10-27T09:10:00,E05013661,other,I\n"
    )
    return cluster, ward_a2


def _grid(body, key):
    return {(c["weekday"], c["hour"]): c[key] for c in body["cells"] if c[key]}


def test_a_ward_s_minutes_follow_each_term_across_the_clock_change(client_of, october):
    body = client_of("inspector_a").get(f"/api/v1/demand/profile/?ward=E05013660&{OCTOBER}").json()
    assert body["sn_minutes"] == {
        "rostered": 1140,
        "abstracted": 480,
        "flex_out": 120,
        "flex_in": 0,
        "on_duty": 540,
    }
    on_duty = _grid(body, "sn_officer_minutes")
    assert on_duty == {(SUN, 0): 60, (SUN, 1): 120, **{(SUN, h): 60 for h in range(2, 8)}}
    assert _grid(body, "calls") == {(SUN, 1): 2} and _grid(body, "asb_calls") == {(SUN, 1): 1}


def test_flex_in_counts_where_the_officer_worked(client_of, october):
    body = client_of("inspector_a").get(f"/api/v1/demand/profile/?ward=E05013661&{OCTOBER}").json()
    assert body["sn_minutes"] == {
        "rostered": 120,
        "abstracted": 0,
        "flex_out": 0,
        "flex_in": 120,
        "on_duty": 240,
    }
    assert _grid(body, "sn_officer_minutes") == {
        (TUE, 8): 60,
        (TUE, 9): 60,
        (SAT, 22): 60,
        (SAT, 23): 60,
    }


def test_a_borough_and_a_cluster_net_out_flex_inside_them(client_of, october):
    cluster, _ = october
    client = client_of("inspector_a")
    borough = client.get(f"/api/v1/demand/profile/?borough=E09000007&{OCTOBER}").json()
    by_cluster = client.get(f"/api/v1/demand/profile/?cluster={cluster.pk}&{OCTOBER}").json()
    expected = {"rostered": 1260, "abstracted": 480, "flex_out": 0, "flex_in": 0, "on_duty": 780}
    assert borough["sn_minutes"] == by_cluster["sn_minutes"] == expected
    assert borough["cells"] == by_cluster["cells"]


def test_busy_thinly_covered_hours_and_the_evening_and_weekend_shares(client_of, october, settings):
    settings.DEMAND_PROFILE_WEEKEND_RATIO = 1.0
    body = client_of("inspector_a").get(f"/api/v1/demand/profile/?ward=E05013661&{OCTOBER}").json()
    # One call, Tuesday 09:00, where 60 officer-minutes are on duty: busy (top quarter) but not
    # thinly covered (60 is above the bottom quarter's 0).
    assert not any(c["high_demand_low_cover"] for c in body["cells"])
    # Weekends: no calls (0%), 120 of 240 officer-minutes (50%): at least 1.0 x 0%.
    assert body["weekends"] == {"demand_share": 0.0, "sn_share": 0.5, "ratio": 1.0, "met": True}
    # Evenings: no calls; 120 of 240 minutes (Saturday 22-24).
    assert body["evenings"]["sn_share"] == 0.5


def test_marking_uses_the_top_and_bottom_quarters():
    calls = [0] * 168
    minutes = [60] * 168
    calls[10], calls[11], minutes[11] = 5, 5, 0
    for slot in range(40):
        minutes[100 + slot] = 0  # a quarter of the week (42 hours) with nobody on duty
    minutes[140], minutes[141] = 0, 0
    marked = profile.mark(calls, minutes)
    assert marked[11] and not marked[10] and sum(marked) == 1


def test_another_borough_s_area_is_a_404_and_bad_input_a_400(client_of, october):
    client = client_of("inspector_b")
    assert client.get("/api/v1/demand/profile/?ward=E05013660").status_code == 404
    assert client.get("/api/v1/demand/profile/?borough=E09000007").status_code == 404
    for query, field in [
        ("", "borough"),
        ("ward=E05013806&borough=E09000033", "borough"),
        ("borough=E09000033&month_from=0001-01", "month_from"),
        ("borough=E09000033&month_to=9999-12", "month_to"),
        ("borough=E09000033&month_from=2026-05&month_to=2026-01", "month_to"),
        ("ward=E05%00", "ward"),
        ("cluster=abc", "cluster"),
    ]:
        response = client.get(f"/api/v1/demand/profile/?{query}")
        assert response.status_code == 400, query
        body = response.json()
        assert field in body or ("%00" in query and "NUL" in body["detail"]), (query, body)


def test_the_page_shows_the_heatmaps_and_the_csv_has_every_hour(client, inspector_a, october):
    client.force_login(inspector_a)
    page = client.get(f"/demand/profile/?ward=E05013660&{OCTOBER}")
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "SN officer-hours on duty by hour and day" in html
        and "DEMAND_PROFILE_EVENING_RATIO" in html
    )
    download = client.get(f"/demand/profile.csv?ward=E05013660&{OCTOBER}")
    csv_text = b"".join(download.streaming_content).decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert len(lines) == 169 and lines[0].startswith("area,weekday,day,hour,calls")
    assert "Haverstock,6,Sunday,1,2,1,120,2.0" in csv_text


def test_the_profile_runs_a_fixed_number_of_queries(client_of, october, django_assert_num_queries):
    client = client_of("inspector_a")
    client.get("/api/v1/demand/profile/?borough=E09000007")  # warm the token lookup path
    # token+user+borough ids, borough, its wards, CAD by hour, duty groups; months given.
    with django_assert_num_queries(5):
        client.get(f"/api/v1/demand/profile/?borough=E09000007&{OCTOBER}")


def test_the_profile_csv_neutralises_a_formula_in_a_name(client, inspector_a, october):
    """The area's name is typed by people: through config.listing, a cell that would start a
    spreadsheet formula arrives as text."""
    from wards.models import Ward

    Ward.objects.filter(code="E05013660").update(name="=HYPERLINK(\"http://x\")")
    client.force_login(inspector_a)
    download = client.get(f"/demand/profile.csv?ward=E05013660&{OCTOBER}")
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert "\n\"'=HYPERLINK(\"\"http://x\"\")\",6,Sunday" in text
