"""The independent recomputation (tests.reports.oracle) of authorised flex across a borough
transfer: an officer posted in Camden flexed to Kilburn under a Camden flex, which was ended
early the day before they moved to Islington, then flexed again in Islington under an Islington
flex; a night duty and an abstraction on the night before the move. By the definitions:

- a duty counts for the home ward it names (the borough served when it started), an abstraction
  outside any duty for the officer's home ward on its first day;
- flexed minutes are authorised inside the daily windows of an authorised flex (as the month stood
  at its end) that names the officer and goes to the ward worked; a flex ended early holds no
  window after the day it ended, in either borough;
- cover: an officer is taken from the ward they are posted to on a day when abstractions and
  authorised windows take at least 4 hours of it, whichever borough the flex belongs to.

Both boroughs' reports, the roll-up, the performance framework (API and pages) and the report's
performance section (page JSON, its CSV and the PDF) must show the oracle's figures."""

import datetime

import pytest

from deployment.models import FlexRequest, FlexStatus, FlexTransition
from tests.reports.conftest import flex
from tests.reports.oracle import at_minute, hours_minutes
from tests.reports.winter import (
    DECEMBER,
    _m,
    assert_every_figure,
    assert_performance_section,
    move,
    produce,
    record_abstraction,
    record_duty,
)

pytestmark = pytest.mark.django_db

MOVED_ON = datetime.date(2025, 12, 15)


def authorised(request, steps, by) -> None:
    """The request's transitions, each at a London wall-clock minute."""
    for from_status, to_status, minute in steps:
        step = FlexTransition.objects.create(flex_request=request, from_status=from_status,
                                             to_status=to_status, by=by)
        FlexTransition.objects.filter(pk=step.pk).update(at=at_minute(minute))


@pytest.fixture
def transferred(winter, borough_a, borough_a2):
    """December 2025. Camden's flex #1 to Kilburn names the mover and PC1, 1-20 December,
    18:00-02:00, ended early on 14 December. The mover moves to Highbury (Islington) on the
    15th. Islington's flex #2 to Barnsbury names the mover and PC3, 18-31 December,
    08:00-16:00, active in December and withdrawn on 5 January (after the month ended: still
    authorised in December).

    The mover's duties: 12 Dec 16:00-24:00 flexed to Kilburn (360 in the window, 120 before
    it); 14 Dec 20:00 → 15 Dec 04:00 flexed to Kilburn (Camden's: it starts before the move),
    abstracted 23:00 → 15 Dec 07:00 (started in Camden): 300 abstracted inside the duty, 180
    flexed, all in the 14th's window, 180 abstracted outside any duty, for Haverstock; 16 Dec
    08:00-16:00 flexed to Barnsbury before flex #2 began (480 unauthorised); 20 Dec
    08:00-18:00 flexed to Barnsbury (480 authorised, 120 not); 16 Dec 18:00-22:00 flexed to
    Kilburn from Highbury is impossible (another borough) and is not recorded."""
    cast = winter
    pc1, _pc2, _pcso1, pc3, _pcso2, mover, _unposted = cast["officers"]
    haverstock, kilburn, _belsize = cast["wards"][borough_a.pk]
    highbury, barnsbury = cast["wards"][borough_a2.pk]
    one = flex(borough_a, kilburn, [(mover, haverstock), (pc1, haverstock)],
               datetime.date(2025, 12, 1), datetime.date(2025, 12, 20), by=cast["by"],
               status=FlexStatus.ENDED, ended_on=datetime.date(2025, 12, 14),
               daily_start=datetime.time(18), daily_end=datetime.time(2))
    authorised(one, [("submitted", "approved", _m(2025, 11, 28, 10)),
                     ("approved", "active", _m(2025, 12, 1, 0)),
                     ("active", "ended", _m(2025, 12, 14, 12))], cast["hq"])
    move(cast, MOVED_ON)
    two = flex(borough_a2, barnsbury, [(mover, highbury), (pc3, highbury)],
               datetime.date(2025, 12, 18), datetime.date(2025, 12, 31), by=cast["by"],
               status=FlexStatus.WITHDRAWN)
    authorised(two, [("submitted", "approved", _m(2025, 12, 17, 10)),
                     ("approved", "active", _m(2025, 12, 18, 0)),
                     ("active", "withdrawn", _m(2026, 1, 5, 9))], cast["hq"])
    to = {"kilburn": lambda _b: kilburn, "barnsbury": lambda _b: barnsbury}
    record_duty(cast, mover, _m(2025, 12, 12, 16), _m(2025, 12, 13, 0), flexed_to=to["kilburn"])
    night = record_abstraction(cast, mover, _m(2025, 12, 14, 23), _m(2025, 12, 15, 7))
    record_duty(cast, mover, _m(2025, 12, 14, 20), _m(2025, 12, 15, 4),
                flexed_to=to["kilburn"], abstraction=night)
    record_duty(cast, mover, _m(2025, 12, 16, 8), _m(2025, 12, 16, 16),
                flexed_to=to["barnsbury"])
    record_duty(cast, mover, _m(2025, 12, 20, 8), _m(2025, 12, 20, 18),
                flexed_to=to["barnsbury"])
    return cast


def test_a_flex_across_a_borough_transfer(transferred, borough_a, borough_a2, commander_a, hq,
                                          client):
    found = assert_every_figure(transferred, commander_a, hq, months=(DECEMBER,))[DECEMBER]
    haverstock, kilburn, _belsize = transferred["wards"][borough_a.pk]
    highbury, barnsbury = transferred["wards"][borough_a2.pk]
    camden = found["wards"][haverstock.pk]
    # Literal answers, worked by hand in the fixture's docstring.
    assert {k: camden[k] for k in ("rostered_minutes", "abstracted_in_duty_minutes",
                                   "abstracted_outside_duty_minutes", "flexed_out_minutes",
                                   "authorised_flex_minutes")} == {
        "rostered_minutes": 960, "abstracted_in_duty_minutes": 300,
        "abstracted_outside_duty_minutes": 180, "flexed_out_minutes": 660,
        "authorised_flex_minutes": 540,
    }
    assert found["wards"][kilburn.pk]["flexed_in_minutes"] == 660
    islington = found["wards"][highbury.pk]
    assert (islington["flexed_out_minutes"], islington["authorised_flex_minutes"]) == (1080, 480)
    assert found["wards"][barnsbury.pk]["flexed_in_minutes"] == 1080
    # Cover: flex #1's windows (18:00-02:00) take PC1 and the mover from Haverstock on each of
    # 1-14 December (6 or 8 hours of each day), not after it ended; Highbury is below posted
    # strength until the mover arrives (14 days), then the night's abstraction and the
    # window's tail take the mover on the 15th, and flex #2 takes PC3 and the mover on 18-31.
    assert camden["cover_below_minimum_days"] == 14
    assert camden["posted_strength_below_minimum_days"] == 0
    assert islington["posted_strength_below_minimum_days"] == 14
    assert islington["cover_below_minimum_days"] == 14 + 1 + 14
    # Each borough's flex section: the authorised minutes are its own wards' minutes.
    for borough, minutes in ((borough_a, 540), (borough_a2, 480)):
        report = produce(borough, DECEMBER)
        assert report.figures["flex"]["authorised"]["minutes"] == minutes
        assert sum(r["authorised_flex_minutes"] for r in report.figures["wards"]) == minutes
        page = client_page(client, commander_a, report)
        assert hours_minutes(minutes) in page
        assert_performance_section(client, commander_a, report, found,
                                   transferred["wards"][borough.pk])


def client_page(client, user, report) -> str:
    client.force_login(user)
    return client.get(report.get_absolute_url()).content.decode()


def test_the_flex_ended_early_holds_nobody_after_it_ended(transferred, borough_a, borough_a2,
                                                        commander_a, hq):
    """Were flex #1 not ended early, it would hold PC1 in Haverstock and the mover, now in
    Highbury, on 15-20 December (the 15th: the 14th's tail and its own evening, 8 hours):
    the oracle and every report see it in the same ward-days."""
    FlexRequest.objects.filter(borough=borough_a).update(ended_on=None, status=FlexStatus.ACTIVE)
    FlexTransition.objects.filter(to_status="ended").delete()
    found = assert_every_figure(transferred, commander_a, hq, surfaces=False,
                                months=(DECEMBER,))[DECEMBER]["wards"]
    haverstock = transferred["wards"][borough_a.pk][0]
    highbury = transferred["wards"][borough_a2.pk][0]
    assert found[haverstock.pk]["cover_below_minimum_days"] == 20
    assert found[highbury.pk]["cover_below_minimum_days"] == 31
