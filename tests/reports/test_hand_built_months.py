"""Each definition of the monthly report on a hand-built month, with the expected minutes written
down: abstractions inside, across and outside duties and with no duty; flexes matched by their
windows whether named or not, across both month ends, ended early; reviews done late and never;
refusals; both clock changes; the cover figures for wards with nobody posted and part-month
postings. (June 2026 has no clock change; March and October 2026 have one each.)"""

import datetime

import pytest

from deployment.models import Duty, FlexStatus, FlexTransition
from reports.figures import borough_figures
from teams.models import Officer, Rank
from tests import factories as f
from tests.reports.conftest import abstraction, at, dedicated, duty, flex

pytestmark = pytest.mark.django_db
D, T = datetime.date, datetime.time
MAY, JUNE, JULY = D(2026, 5, 1), D(2026, 6, 1), D(2026, 7, 1)
LATER = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)  # long after: whole months
FLEXED = Duty.Kind.FLEXED


def report(borough, month):
    return borough_figures(borough, month, now=LATER)


def ward_of(figures, name):
    return next(w for w in figures["wards"] if w["ward"] == name)


def nonzero(mapping):
    return {k: v for k, v in mapping.items() if v}


@pytest.fixture
def wards(borough_a, team_a, ward_a):
    """A (Haverstock): PCs a1, a2 and PCSO a3. B (Highgate): PC b1, PC b2 from 16 June, PCSO
    b3. C (Kilburn): a team, nobody posted. D (Belsize): no team."""
    team_b = f.TeamFactory(ward=f.WardFactory(borough=borough_a, name="Highgate"))
    team_c = f.TeamFactory(ward=f.WardFactory(borough=borough_a, name="Kilburn"))
    ward_d = f.WardFactory(borough=borough_a, name="Belsize")
    a = [dedicated(team_a, Rank.PC), dedicated(team_a, Rank.PC), dedicated(team_a, Rank.PCSO)]
    b1, b3 = dedicated(team_b, Rank.PC), dedicated(team_b, Rank.PCSO)
    b2 = f.OfficerFactory(rank=Rank.PC, borough=borough_a)
    f.PostingFactory(officer=b2, team=team_b, start_date=D(2026, 6, 16))
    return {"A": ward_a, "B": team_b.ward, "C": team_c.ward, "D": ward_d,
            "a": a, "b": [b1, b2, b3]}


def test_abstractions_inside_across_and_outside_duties_and_with_no_duty(
    wards, borough_a, staff_a
):
    """In A, June:
    a1 2 Jun 08:00-16:00 (480) with court 10:00-12:00 inside it: 120 in duty;
    a1 3 Jun 08:00-16:00 (480) with local aid 14:00-18:00 across its end: 120 in, 120 out;
    a1 training 5 Jun 09:00-13:00 with no duty at all: 240 out, flagged;
    a2 4 Jun 08:00-16:00, an "abstracted" duty, its central aid 08:00-12:00: 240 in, and the
        other 240 are minutes in the home ward;
    a3 31 May 20:00 → 1 Jun 04:00 (240 in June), "other" 22:00 → 02:00: 120 in June's duty;
    an officer posted to no ward: central aid 6 Jun 10:00-14:00: 240 out, for no ward.
    A: rostered 1680, abstracted in duty 600, outside 360, home 1080, rate 600/1680 = 35.71%.
    Borough: abstracted 600 + 360 + 240 = 1200."""
    A, (a1, a2, a3) = wards["A"], wards["a"]
    by = staff_a
    duty(a1, A, at(2026, 6, 2, 8), at(2026, 6, 2, 16), by=by)
    abstraction(a1, "court", at(2026, 6, 2, 10), at(2026, 6, 2, 12), by=by)
    duty(a1, A, at(2026, 6, 3, 8), at(2026, 6, 3, 16), by=by)
    abstraction(a1, "local-aid", at(2026, 6, 3, 14), at(2026, 6, 3, 18), by=by)
    no_duty = abstraction(a1, "training", at(2026, 6, 5, 9), at(2026, 6, 5, 13), by=by)
    central = abstraction(a2, "central-aid", at(2026, 6, 4, 8), at(2026, 6, 4, 12), by=by)
    duty(a2, A, at(2026, 6, 4, 8), at(2026, 6, 4, 16), by=by, kind=Duty.Kind.ABSTRACTED,
         abstraction=central)
    duty(a3, A, at(2026, 5, 31, 20), at(2026, 6, 1, 4), by=by)
    abstraction(a3, "other", at(2026, 5, 31, 22), at(2026, 6, 1, 2), by=by)
    unposted = Officer.objects.create(shoulder_number="9001TT", first_name="Una",
                                      last_name="Posted", rank=Rank.PC, borough=borough_a)
    unposted_away = abstraction(unposted, "central-aid", at(2026, 6, 6, 10), at(2026, 6, 6, 14),
                                by=by)

    june = report(borough_a, JUNE)
    ward = ward_of(june, "Haverstock")
    assert (ward["duties"], ward["rostered_minutes"], ward["abstracted_in_duty_minutes"],
            ward["abstracted_outside_duty_minutes"], ward["abstracted_minutes"],
            ward["home_ward_minutes"], ward["abstraction_rate"]) == (
        4, 1680, 600, 360, 960, 1080, "35.71"
    )
    assert nonzero(ward["abstracted_in_duty_by_type"]) == {
        "court": 120, "local-aid": 120, "central-aid": 240, "other": 120,
    }
    assert nonzero(ward["abstracted_outside_duty_by_type"]) == {"local-aid": 120, "training": 240}
    assert nonzero(june["no_ward"]["abstracted_outside_duty_by_type"]) == {"central-aid": 240}
    total = june["total"]
    assert (total["abstracted_minutes"], total["abstracted_in_duty_minutes"],
            total["abstracted_outside_duty_minutes"], total["abstraction_rate"]) == (
        1200, 600, 600, "35.71"
    )
    assert [(a["id"], a["minutes"], a["posted_to_a_ward"])
            for a in june["abstractions_without_duty"]] == [
        (no_duty.pk, 240, True), (unposted_away.pk, 240, False),
    ]
    may = report(borough_a, MAY)
    assert (may["total"]["rostered_minutes"], may["total"]["abstracted_in_duty_minutes"]) == (
        240, 120
    )


def test_flexed_minutes_are_authorised_inside_a_window_for_that_officer_and_ward(
    wards, borough_a, staff_a
):
    """F1: A → B, 8-20 June, 08:00-16:00, naming a2.
    a2 10 Jun 06:00-14:00 to B, naming no request: 360 authorised (08-14), 120 not; matched
        without naming its request;
    a2 11 Jun 08:00-16:00 to B naming F1: 480 authorised;
    a2 12 Jun 08:00-16:00 to C with no request: 480 unauthorised;
    a1 13 Jun 08:00-16:00 to B: a1 is not named in F1, 480 unauthorised.
    A: flexed out 1920 = 840 authorised + 1080 unauthorised; flexed in: B 1440, C 480."""
    A, B, C = wards["A"], wards["B"], wards["C"]
    a1, a2, _a3 = wards["a"]
    by = staff_a
    f1 = flex(borough_a, B, [(a2, A)], D(2026, 6, 8), D(2026, 6, 20), by=by)
    duty(a2, A, at(2026, 6, 10, 6), at(2026, 6, 10, 14), by=by, kind=FLEXED, worked=B)
    duty(a2, A, at(2026, 6, 11, 8), at(2026, 6, 11, 16), by=by, kind=FLEXED, worked=B, flex=f1)
    duty(a2, A, at(2026, 6, 12, 8), at(2026, 6, 12, 16), by=by, kind=FLEXED, worked=C)
    duty(a1, A, at(2026, 6, 13, 8), at(2026, 6, 13, 16), by=by, kind=FLEXED, worked=B)

    june = report(borough_a, JUNE)
    a = ward_of(june, "Haverstock")
    assert (a["flexed_out_minutes"], a["authorised_flex_minutes"],
            a["unauthorised_flex_minutes"], a["home_ward_minutes"]) == (1920, 840, 1080, 0)
    assert ward_of(june, "Highgate")["flexed_in_minutes"] == 1440
    assert ward_of(june, "Kilburn")["flexed_in_minutes"] == 480
    assert june["total"]["flexed_out_minutes"] == june["total"]["flexed_in_minutes"] == 1920
    flex_section = june["flex"]
    assert flex_section["authorised"] == {
        "requests": 1, "officers": 1, "minutes": 840,
        "duties_matched_without_naming_their_request": 1,
    }
    assert [(r["from_ward"], r["to_ward"], r["officers"], r["flexed_minutes"],
             r["authorised_minutes"], r["unauthorised_minutes"])
            for r in flex_section["flows"]] == [
        ("Haverstock", "Highgate", 2, 1440, 840, 600),
        ("Haverstock", "Kilburn", 1, 480, 0, 480),
    ]
    assert flex_section["unauthorised"]["minutes"] == 1080
    assert [(r["to_ward"], r["unauthorised_minutes"])
            for r in flex_section["unauthorised"]["flows"]] == [
        ("Highgate", 600), ("Kilburn", 480),
    ]


def test_flexes_across_both_month_ends_and_one_ended_early(wards, borough_a, staff_a):
    """F2: a3 A → B, 25 May-5 June, 20:00-02:00. a3 31 May 20:00 → 1 Jun 02:00 (May 240, June
        120, all authorised: the window opened on 31 May runs into 1 June); a3 1 Jun 20:00 →
        2 Jun 02:00: 360 authorised.
    F3: b1 B → A, 15-28 June, ended early on 18 June. b1 17 Jun 08:00-16:00: 480 authorised;
        b1 20 Jun 08:00-16:00, after the end: 480 unauthorised.
    F4: b2 B → A, 29 June-10 July, 08:00-16:00. b2 30 Jun 22:00 → 1 Jul 06:00: outside its
        windows: June 120, July 360 unauthorised.
    June: authorised 960, unauthorised 600; requests authorised: F2, F3, F4."""
    A, B = wards["A"], wards["B"]
    a3 = wards["a"][2]
    b1, b2, _b3 = wards["b"]
    by = staff_a
    f2 = flex(borough_a, B, [(a3, A)], D(2026, 5, 25), D(2026, 6, 5), by=by,
              daily_start=T(20), daily_end=T(2))
    duty(a3, A, at(2026, 5, 31, 20), at(2026, 6, 1, 2), by=by, kind=FLEXED, worked=B, flex=f2)
    duty(a3, A, at(2026, 6, 1, 20), at(2026, 6, 2, 2), by=by, kind=FLEXED, worked=B, flex=f2)
    f3 = flex(borough_a, A, [(b1, B)], D(2026, 6, 15), D(2026, 6, 28), by=by,
              status=FlexStatus.ENDED, ended_on=D(2026, 6, 18))
    duty(b1, B, at(2026, 6, 17, 8), at(2026, 6, 17, 16), by=by, kind=FLEXED, worked=A, flex=f3)
    duty(b1, B, at(2026, 6, 20, 8), at(2026, 6, 20, 16), by=by, kind=FLEXED, worked=A)
    f4 = flex(borough_a, A, [(b2, B)], D(2026, 6, 29), D(2026, 7, 10), by=by,
              status=FlexStatus.APPROVED)
    duty(b2, B, at(2026, 6, 30, 22), at(2026, 7, 1, 6), by=by, kind=FLEXED, worked=A)

    june = report(borough_a, JUNE)
    total = june["total"]
    assert (total["flexed_out_minutes"], total["authorised_flex_minutes"],
            total["unauthorised_flex_minutes"]) == (1560, 960, 600)
    assert (ward_of(june, "Haverstock")["authorised_flex_minutes"],
            ward_of(june, "Highgate")["authorised_flex_minutes"],
            ward_of(june, "Highgate")["unauthorised_flex_minutes"]) == (480, 480, 600)
    assert [(r["id"], r["start_date"], r["end_date"], r["ended_early"])
            for r in june["flex"]["requests"]] == [
        (f2.pk, "2026-05-25", "2026-06-05", False),
        (f3.pk, "2026-06-15", "2026-06-18", True),
        (f4.pk, "2026-06-29", "2026-07-10", False),
    ]
    may, july = report(borough_a, MAY), report(borough_a, JULY)
    assert (may["total"]["authorised_flex_minutes"], may["total"]["unauthorised_flex_minutes"]) \
        == (240, 0)
    assert (july["total"]["authorised_flex_minutes"],
            july["total"]["unauthorised_flex_minutes"]) == (0, 360)
    assert [r["id"] for r in may["flex"]["requests"]] == [f2.pk]
    assert [r["id"] for r in july["flex"]["requests"]] == [f4.pk]


@pytest.fixture
def reviews(wards, borough_a, staff_a):
    """F5 1-28 June, review due 15 June, done late on 17 June. F6 3-30 June, due 17 June, never
    reviewed. F7 20 May-16 June, due 3 June, reviewed that day. F8 1-20 June, ended early on 10
    June: none due. F9 10 May-6 June, due 24 May, never reviewed."""
    A, B = wards["A"], wards["B"]
    (a1, a2, _a3), (b1, b2, b3) = wards["a"], wards["b"]

    def make(officer, home, start, end, **extra):
        return flex(borough_a, A if home == B else B, [(officer, home)], start, end,
                    by=staff_a, **extra)

    return {
        "F5": make(a1, A, D(2026, 6, 1), D(2026, 6, 28),
                   last_reviewed_at=at(2026, 6, 17, 10)),
        "F6": make(a2, A, D(2026, 6, 3), D(2026, 6, 30)),
        "F7": make(b1, B, D(2026, 5, 20), D(2026, 6, 16), last_reviewed_at=at(2026, 6, 3, 9)),
        "F8": make(b2, B, D(2026, 6, 1), D(2026, 6, 20), status=FlexStatus.ENDED,
                   ended_on=D(2026, 6, 10)),
        "F9": make(b3, B, D(2026, 5, 10), D(2026, 6, 6)),
    }


def test_a_review_missed_counts_once_in_the_month_it_fell_due(reviews, borough_a):
    june, may = report(borough_a, JUNE)["flex"], report(borough_a, MAY)["flex"]
    ids = {flex.pk: name for name, flex in reviews.items()}
    assert [(ids[r["id"]], r["review_due"], r["reviewed_on"]) for r in june["overdue_reviews"]] \
        == [("F5", "2026-06-15", "2026-06-17"), ("F6", "2026-06-17", None)]
    assert [ids[r["id"]] for r in june["unreviewed_at_month_end"]] == ["F9", "F6"]
    assert [ids[r["id"]] for r in may["overdue_reviews"]] == ["F9"]
    assert [ids[r["id"]] for r in may["unreviewed_at_month_end"]] == ["F9"]


def test_a_late_review_after_the_month_leaves_it_unchanged(reviews, borough_a):
    before = report(borough_a, JUNE)
    f6 = reviews["F6"]
    f6.last_reviewed_at = at(2026, 7, 2, 10)
    f6.save()
    FlexTransition.objects.create(flex_request=f6, from_status="active", to_status="active",
                                  reason="Reviewed: continue.")
    assert report(borough_a, JUNE) == before
    july = report(borough_a, JULY)["flex"]
    assert july["overdue_reviews"] == [] and july["unreviewed_at_month_end"] == []


def test_refusals_count_in_the_month_they_were_decided(wards, borough_a, staff_a):
    """Refused at 00:30 BST on 1 July (23:30 UTC on 30 June): July's, though the flex would have
    run in August; one refused on 28 June for a July flex is June's."""
    A, B, (a1, a2, _a3) = wards["A"], wards["B"], wards["a"]
    june_refusal = flex(borough_a, B, [(a1, A)], D(2026, 7, 5), D(2026, 7, 10), by=staff_a,
                        status=FlexStatus.REJECTED, decision_reason="Not intelligence-led",
                        decided_at=at(2026, 6, 28, 10))
    july_refusal = flex(borough_a, B, [(a2, A)], D(2026, 8, 5), D(2026, 8, 10), by=staff_a,
                        status=FlexStatus.REJECTED, decision_reason="No named problem",
                        decided_at=datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC))
    assert [r["id"] for r in report(borough_a, JUNE)["flex"]["refused"]] == [june_refusal.pk]
    july = report(borough_a, JULY)["flex"]["refused"]
    assert [(r["id"], r["decided_on"]) for r in july] == [(july_refusal.pk, "2026-07-01")]


def test_the_cover_figures_count_every_ward_every_day(wards, borough_a, staff_a):
    """June: A at exactly the minimum, a1 abstracted 4 hours on 2 June (cover below that day);
    B: b2 posted from 16 June, so 1 PC on 1-15 June (posted strength and cover below 15 days);
    C (nobody posted) and D (no team) below on all 30 days."""
    abstraction(wards["a"][0], "court", at(2026, 6, 2, 9), at(2026, 6, 2, 13), by=staff_a)
    june = report(borough_a, JUNE)
    assert [(w["ward"], w["posted_strength_below_minimum_days"], w["cover_below_minimum_days"])
            for w in june["wards"]] == [
        ("Belsize", 30, 30), ("Haverstock", 0, 1), ("Highgate", 15, 15), ("Kilburn", 30, 30),
    ]
    assert (june["total"]["posted_strength_below_minimum_days"],
            june["total"]["cover_below_minimum_days"]) == (75, 76)
    assert june["cover"]["posted_strength"]["ward_days"] == 75
    assert june["cover"]["cover"]["ward_days"] == 76
    assert [t["team"] for t in june["teams"]] == [
        "Belsize (no team)", "Haverstock SNT", "Highgate SNT", "Kilburn SNT",
    ]


@pytest.mark.parametrize(
    ("month", "day", "night", "inside", "flexed", "authorised"),
    [
        # 29 March 2026, 01:00 GMT → 02:00 BST: the 22:00-06:00 night is 7 real hours, 00:00-04:00
        # is 3, and a 00:00-08:00 shift is 7.
        (D(2026, 3, 1), D(2026, 3, 29), 420, 180, 420, 180),
        # 25 October 2026, 02:00 BST → 01:00 GMT: 9, 5 and 9 real hours.
        (D(2026, 10, 1), D(2026, 10, 25), 540, 300, 540, 300),
    ],
)
def test_both_clock_changes_count_real_minutes(
    wards, borough_a, staff_a, month, day, night, inside, flexed, authorised
):
    """a1: a night from 22:00 the day before to 06:00, abstracted 00:00-04:00 inside it. a2:
    flexed 00:00-08:00 to B under a flex whose window is 00:00-04:00."""
    A, B, (a1, a2, _a3) = wards["A"], wards["B"], wards["a"]
    eve = day - datetime.timedelta(days=1)

    def moment(d, hour):
        return datetime.datetime.combine(d, T(hour), tzinfo=at(2026, 1, 1, 0).tzinfo)

    duty(a1, A, moment(eve, 22), moment(day, 6), by=staff_a)
    abstraction(a1, "court", moment(day, 0), moment(day, 4), by=staff_a)
    window = flex(borough_a, B, [(a2, A)], day, day, by=staff_a, daily_start=T(0),
                  daily_end=T(4))
    duty(a2, A, moment(day, 0), moment(day, 8), by=staff_a, kind=FLEXED, worked=B, flex=window)

    total = report(borough_a, month)["total"]
    assert (total["rostered_minutes"], total["abstracted_in_duty_minutes"],
            total["flexed_out_minutes"], total["authorised_flex_minutes"],
            total["unauthorised_flex_minutes"]) == (
        night + flexed, inside, flexed, authorised, flexed - authorised
    )
