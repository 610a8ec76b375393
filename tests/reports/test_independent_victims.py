"""An independent recomputation of the victims figures of December 2025 (the year's end) from the
raw rows (crimes, victims, offers and their transitions), by the words of
reports.definitions "victims", compared with the report's stored figures, its JSON, its page,
and the performance framework's satisfaction measure (`/api/v1/performance/`).

The offers are driven through the victims services on a moving clock (time_machine), so every
transition carries the time it really happened: some before the month's end, some after (a
closed month counts each offer as it stood at its end), and some satisfaction scores recorded
after the month ended for a visit completed in it."""

import datetime
from collections import defaultdict

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from config.timeutils import LONDON
from reports import services
from reports.models import MonthlyReport
from tests import factories as f
from tests.conftest import api_client_for
from tests.victims.conftest import offer_of, record_crime
from victims import services as victims
from victims.models import OfferStatus, VisitOffer, VisitTransition

pytestmark = pytest.mark.django_db
S = OfferStatus
DECEMBER = datetime.date(2025, 12, 1)
START = datetime.datetime(2025, 12, 1, tzinfo=LONDON)
END = datetime.datetime(2026, 1, 1, tzinfo=LONDON)
MADE = {S.OFFERED, S.ACCEPTED, S.DECLINED, S.NO_REPLY, S.SCHEDULED, S.COMPLETED, S.MISSED,
        S.CANCELLED}
ACCEPTED = {S.ACCEPTED, S.SCHEDULED, S.COMPLETED, S.MISSED, S.CANCELLED}
AFTERWARDS = datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC)


def whole_percent(part: int, whole: int) -> int | None:
    """A whole percentage, rounded once, half up (written apart from the application's)."""
    if not whole:
        return None
    q, r = divmod(part * 100, whole)
    return q + (2 * r >= whole)


def mean_to_tenth(total: int, n: int) -> float | None:
    if not n:
        return None
    q, r = divmod(total * 10, n)
    return (q + (2 * r >= n)) / 10


# -- the oracle ---------------------------------------------------------------------------------

def status_at(offer: VisitOffer, transitions: list, instant) -> str:
    """The offer's status at `instant`: what its first transition at or after it moved it from,
    or its status now."""
    later = [t for t in transitions if t.at >= instant]
    return later[0].from_status if later else offer.status


def oracle(borough) -> dict:
    """{ward name: counts} of the crimes of `borough` reported in December (London)."""
    by_offer = defaultdict(list)
    for t in VisitTransition.objects.order_by("at", "pk"):
        by_offer[t.offer_id].append(t)
    rows = defaultdict(lambda: defaultdict(int))
    for offer in VisitOffer.objects.select_related("victim__crime__ward"):
        crime = offer.victim.crime
        if crime.borough_id != borough.pk or not START <= crime.reported_at < END:
            continue
        row = rows[crime.ward.name if crime.ward else "No ward"]
        then = status_at(offer, by_offer[offer.pk], END)
        row["victims"] += 1
        row["offers_made"] += then in MADE
        row["offers_on_time"] += (then in MADE and offer.offered_at is not None
                                  and offer.offered_at.astimezone(LONDON).date()
                                  <= offer.due_date)
        row["accepted"] += then in ACCEPTED
        row["visits_completed"] += then == S.COMPLETED
        row["visits_completed_on_time"] += (then == S.COMPLETED
                                            and offer.completed_at <= offer.window_end)
        if (then == S.COMPLETED and offer.satisfaction is not None
                and offer.satisfaction_recorded_at < END):
            row["score_sum"] += offer.satisfaction
            row["scores"] += 1
        row["repeat_victims"] += offer.victim.is_repeat
    return rows


def shown(row) -> dict:
    """The section's row from the oracle's counts: counts, rates and the mean score."""
    counts = {k: row[k] for k in ("victims", "offers_made", "offers_on_time", "accepted",
                                  "visits_completed", "visits_completed_on_time",
                                  "repeat_victims")}
    return counts | {
        "offer_rate": whole_percent(row["offers_made"], row["victims"]),
        "offers_on_time_rate": whole_percent(row["offers_on_time"], row["offers_made"]),
        "acceptance_rate": whole_percent(row["accepted"], row["offers_made"]),
        "completion_rate": whole_percent(row["visits_completed"], row["accepted"]),
        "visits_completed_on_time_rate": whole_percent(row["visits_completed_on_time"],
                                                       row["visits_completed"]),
        "satisfaction": mean_to_tenth(row["score_sum"], row["scores"]),
    }


def satisfaction_recorded_in_december(borough) -> tuple[int, int]:
    """(asked, satisfied: 4 or 5) of the scores recorded in December (London): the performance
    framework's measure."""
    scores = [o.satisfaction for o in VisitOffer.objects.filter(
        victim__crime__ward__borough=borough, satisfaction_recorded_at__gte=START,
        satisfaction_recorded_at__lt=END)]
    return len(scores), sum(s >= 4 for s in scores)


# -- the comparison -----------------------------------------------------------------------------

def assert_victims_agree(borough, commander) -> None:
    expected = oracle(borough)
    total = defaultdict(int)
    for row in expected.values():
        for k, v in row.items():
            total[k] += v
    report, _ = services.report_request(borough=borough, month=DECEMBER)
    report = services.report_produce(report.pk)
    assert report.status == MonthlyReport.Status.READY, report.error
    section = report.figures["victims"]
    drop = ("label",)
    assert {k: v for k, v in section["borough"].items() if k not in drop} == shown(total)
    assert {w["label"]: {k: v for k, v in w.items() if k not in drop}
            for w in section["wards"]} == {name: shown(r) for name, r in expected.items()}
    body = api_client_for(commander).get(f"/api/v1/reports/{report.pk}/").json()
    assert body["figures"]["victims"] == section
    client = Client()
    client.force_login(commander)
    page = " ".join(client.get(report.get_absolute_url()).content.decode().split())
    for key, value in (("Victims of crimes reported", total["victims"]),
                       ("Visit offers made", total["offers_made"]),
                       ("Repeat victims", total["repeat_victims"])):
        assert (f'{key}</dt> <dd class="govuk-summary-list__value">{value}</dd>' in page), key
    for key, rate in (("Offers made on time", shown(total)["offers_on_time_rate"]),
                      ("Visits completed on time",
                       shown(total)["visits_completed_on_time_rate"])):
        text = "–" if rate is None else f"{rate}%"
        assert f'{key}</dt><dd class="govuk-summary-list__value">{text}</dd>' in page, key
    asked, satisfied = satisfaction_recorded_in_december(borough)
    got = {m["measure"]: m for m in api_client_for(commander).get(
        f"/api/v1/performance/?borough={borough.code}&month=2025-12").json()["measures"]}
    assert got["satisfaction"]["counts"] == {"asked": asked, "satisfied": satisfied}


# -- a hand-built December ----------------------------------------------------------------------

def at(y, m, d, hh, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=LONDON)


def visited(by, ward, officer, time_machine, *, reported, completed, scored=None, score=5):
    """A crime reported at `reported`, offered and accepted an hour later, its visit scheduled
    then for `completed` and completed at `completed`; its score recorded at `scored`."""
    time_machine.move_to(reported + datetime.timedelta(minutes=1))
    crime = record_crime(by, ward=ward, reported=reported)
    time_machine.move_to(reported + datetime.timedelta(hours=1))
    offer = victims.offer_make(offer=offer_of(crime), by=by, how="phone")
    victims.offer_respond(offer=offer, by=by, response="accepted")
    victims.visit_schedule(offer=offer, by=by, officer=officer, window_start=completed,
                           window_end=completed + datetime.timedelta(hours=1))
    if completed is None:
        return offer
    time_machine.move_to(completed)
    victims.visit_complete(offer=offer, by=by, needs_assessment_done=True,
                           referral_made=False, crime_prevention_advice=True,
                           satisfaction=score if scored == completed else None)
    if scored is not None and scored != completed:
        time_machine.move_to(scored)
        victims.visit_record_satisfaction(offer=offer_of(crime), by=by, satisfaction=score)
    return offer


@pytest.fixture
def officer(team_a):
    officer = f.OfficerFactory(borough=team_a.borough)
    f.PostingFactory(officer=officer, team=team_a, start_date=datetime.date(2020, 1, 1))
    return officer


@pytest.fixture
def kilburn(ward_a):
    """Kilburn's team, and an officer of it: (ward, officer)."""
    team = f.TeamFactory(ward=f.WardFactory(borough=ward_a.borough, name="Kilburn"))
    officer = f.OfficerFactory(borough=team.borough)
    f.PostingFactory(officer=officer, team=team, start_date=datetime.date(2020, 1, 1))
    return team.ward, officer


def test_a_score_recorded_after_the_month_does_not_change_it(
        staff_a, ward_a, officer, commander_a, time_machine):
    """Two visits completed in December: one scored 5 with the visit, one scored 1 on 2
    January. December's satisfaction is 5.0 (the only score recorded by its end), whenever the
    report is made; January's performance measure counts the 1."""
    visited(staff_a, ward_a, officer, time_machine, reported=at(2025, 12, 3, 10),
            completed=at(2025, 12, 5, 10), scored=at(2025, 12, 5, 10), score=5)
    visited(staff_a, ward_a, officer, time_machine, reported=at(2025, 12, 30, 10),
            completed=at(2025, 12, 31, 20), scored=at(2026, 1, 2, 9), score=1)
    time_machine.move_to(AFTERWARDS)
    assert_victims_agree(ward_a.borough, commander_a)
    report = MonthlyReport.objects.get(borough=ward_a.borough, month=DECEMBER)
    assert report.figures["victims"]["borough"]["satisfaction"] == 5.0
    assert report.figures["victims"]["borough"]["visits_completed"] == 2


# -- generated Decembers ------------------------------------------------------------------------

victim_spec = st.tuples(
    st.one_of(  # reported, minutes from 1 December 00:00: often near either end of the month
        st.integers(24 * 24 * 60, 32 * 24 * 60), st.integers(-3 * 24 * 60, 3 * 24 * 60),
        st.integers(-3 * 24 * 60, 32 * 24 * 60)),
    st.booleans(),  # the ward: Haverstock, or Kilburn
    st.sampled_from([0, 1, 2, 3, 4, 4, 4]),  # how far: due, offered, answered, scheduled, done
    st.sampled_from([True, True, True, False]),  # accepted (or declined)
    st.lists(st.one_of(st.integers(1, 6 * 60), st.integers(1, 3 * 24 * 60)),
             min_size=4, max_size=4),  # minutes between steps
    st.one_of(st.none(), st.integers(0, 5 * 24 * 60)),  # the score's delay after the visit
    st.integers(1, 5),  # the score
)


def build(by, teams, time_machine, specs) -> None:
    """`teams`: (ward, an officer of its team) of each ward."""
    for reported, kilburn, steps, accept, delays, score_after, score in specs:
        ward, officer = teams[kilburn]
        moment = START + datetime.timedelta(minutes=reported)
        time_machine.move_to(moment + datetime.timedelta(minutes=1))
        crime = record_crime(by, ward=ward, reported=moment)
        offer = offer_of(crime)
        moment += datetime.timedelta(minutes=delays[0])
        if steps >= 1:
            time_machine.move_to(moment)
            offer = victims.offer_make(offer=offer, by=by, how="phone")
        if steps >= 2:
            moment += datetime.timedelta(minutes=delays[1])
            time_machine.move_to(moment)
            victims.offer_respond(offer=offer, by=by,
                                  response="accepted" if accept else "declined")
        if steps >= 3 and accept:
            window = moment + datetime.timedelta(minutes=delays[2])
            victims.visit_schedule(offer=offer, by=by, officer=officer, window_start=window,
                                   window_end=window + datetime.timedelta(hours=2))
            if steps == 4:
                # completed inside its window, or after it (late)
                moment = window + datetime.timedelta(minutes=delays[3] % (4 * 60))
                time_machine.move_to(moment)
                victims.visit_complete(offer=offer, by=by, needs_assessment_done=True,
                                       referral_made=False, crime_prevention_advice=True)
                if score_after is not None:
                    time_machine.move_to(moment + datetime.timedelta(minutes=score_after))
                    victims.visit_record_satisfaction(offer=offer, by=by, satisfaction=score)


@seed(20251201)
@settings(max_examples=10, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(specs=st.lists(victim_spec, min_size=4, max_size=12))
def test_generated_decembers(specs, staff_a, ward_a, kilburn, officer, commander_a,
                             time_machine):
    with transaction.atomic():
        build(staff_a, [(ward_a, officer), kilburn], time_machine, specs)
        time_machine.move_to(AFTERWARDS)
        assert_victims_agree(ward_a.borough, commander_a)
        transaction.set_rollback(True)
