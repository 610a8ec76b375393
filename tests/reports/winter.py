"""The independent recomputation's cast (two boroughs, an officer who moves from one to the
other, an empty ward and wards with no team), the records it writes, and the comparison of the
oracle's figures (tests.reports.oracle) with every surface: the borough reports (stored figures,
page, JSON, both CSV files, PDF), the roll-up and the performance framework."""

import csv
import datetime
import io
from collections import defaultdict

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from deployment.models import Abstraction, AbstractionType, Duty, RestDay
from reports import services
from reports.models import MonthlyReport
from teams.models import Officer, OfficerTransfer, Posting, Rank, User
from tests import factories as f
from tests.conftest import api_client_for
from tests.reports import oracle as o
from tests.reports.oracle import FIELDS, at_minute, days_of, london_date, rate
from tests.reports.surfaces import assert_every_surface_agrees

DECEMBER, JANUARY = datetime.date(2025, 12, 1), datetime.date(2026, 1, 1)
MONTHS = (DECEMBER, JANUARY)
POSTED_FROM = datetime.date(2025, 1, 1)


# -- the cast ---------------------------------------------------------------------------------

@pytest.fixture
def winter(borough_a, borough_a2, team_a, ward_a, staff_a, hq, commander_a):
    """Camden: Haverstock (ward_a: PC1, PC2, PCSO1, and the mover until 14 December),
    Kilburn (a team, nobody posted), Belsize (no team).
    Islington: Highbury (PC3, PCSO2, and the mover from 15 December), Barnsbury (no team)."""
    kilburn = f.TeamFactory(ward=f.WardFactory(borough=borough_a, name="Kilburn")).ward
    belsize = f.WardFactory(borough=borough_a, name="Belsize")
    team_x = f.TeamFactory(ward=f.WardFactory(borough=borough_a2, name="Highbury"))
    barnsbury = f.WardFactory(borough=borough_a2, name="Barnsbury")

    def posted(team, rank, *, borough, start=POSTED_FROM, end=None):
        officer = f.OfficerFactory(rank=rank, borough=borough)
        f.PostingFactory(officer=officer, team=team, start_date=start, end_date=end)
        return officer

    pc1 = posted(team_a, Rank.PC, borough=borough_a)
    pc2 = posted(team_a, Rank.PC, borough=borough_a)
    pcso1 = posted(team_a, Rank.PCSO, borough=borough_a)
    pc3 = posted(team_x, Rank.PC, borough=borough_a2)
    pcso2 = posted(team_x, Rank.PCSO, borough=borough_a2)
    mover = posted(team_a, Rank.PC, borough=borough_a)
    unposted = f.OfficerFactory(rank=Rank.PC, borough=borough_a2)
    # Addresses, so each report's email goes into the outbox (a surface like the others).
    for user in (hq, commander_a):
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@met.police.example")
    return {
        "by": staff_a,
        "hq": hq,
        "boroughs": [borough_a, borough_a2],
        "officers": [pc1, pc2, pcso1, pc3, pcso2, mover, unposted],
        "wards": {borough_a.pk: [ward_a, kilburn, belsize],
                  borough_a2.pk: [team_x.ward, barnsbury]},
        "team_x": team_x,
        "types": list(AbstractionType.objects.filter(active=True).order_by("pk")),
    }


def move(cast, day: datetime.date) -> None:
    """The mover's transfer to Islington, first day `day`, as teams.services leaves it: the
    Haverstock posting ended the day before, a Highbury posting from `day`."""
    a, a2 = cast["boroughs"]
    mover = cast["officers"][5]
    Posting.objects.filter(officer=mover).update(end_date=day - datetime.timedelta(days=1))
    f.PostingFactory(officer=mover, team=cast["team_x"], start_date=day)
    OfficerTransfer.objects.create(
        officer=mover, status=OfficerTransfer.Status.DONE, from_borough=a, to_borough=a2,
        effective_on=day, reason="Promotion board", transferred_by=cast["hq"],
    )
    Officer.objects.filter(pk=mover.pk).update(borough=a2)
    cast["moved_on"] = day


def served(cast, officer: Officer, day: datetime.date) -> tuple:
    """(borough, home ward or None) of the officer on `day`, from the cast's own record."""
    a, a2 = cast["boroughs"]
    pc1, pc2, pcso1, _pc3, _pcso2, mover, unposted = cast["officers"]
    if officer == unposted:
        return a2, None
    if officer in (pc1, pc2, pcso1) or officer == mover and day < cast["moved_on"]:
        return a, cast["wards"][a.pk][0]
    return a2, cast["wards"][a2.pk][0]


# -- writing the records ----------------------------------------------------------------------

def record_duty(cast, officer, start, end, *, flexed_to=None, abstraction=None):
    borough, home = served(cast, officer, london_date(start))
    worked = flexed_to(borough) if flexed_to else home
    kind = Duty.Kind.FLEXED if worked != home else (
        Duty.Kind.ABSTRACTED if abstraction else Duty.Kind.HOME)
    return Duty.objects.create(
        officer=officer, home_ward=home, worked_ward=worked, kind=kind,
        starts_at=at_minute(start), ends_at=at_minute(end), recorded_by=cast["by"],
        abstraction=abstraction if kind == Duty.Kind.ABSTRACTED else None,
    )


def record_abstraction(cast, officer, start, end, n=0):
    borough, _ = served(cast, officer, london_date(start))
    return Abstraction.objects.create(
        officer=officer, borough=borough, abstraction_type=cast["types"][n % len(cast["types"])],
        starts_at=at_minute(start), ends_at=at_minute(end), significant_event="Event",
        authorised_by_name="Supt", recorded_by=cast["by"],
    )


def record_rest_day(cast, officer, day):
    borough, _ = served(cast, officer, day)
    RestDay.objects.get_or_create(officer=officer, day=day,
                                  defaults={"borough": borough, "recorded_by": cast["by"]})

# -- the oracle over the cast's wards ---------------------------------------------------------

def oracle(cast, month) -> dict:
    ward_ids = [w.pk for ws in cast["wards"].values() for w in ws]
    return o.oracle(ward_ids, [b.pk for b in cast["boroughs"]], month)


def expected_rows(cast, expected, borough) -> tuple[dict, dict]:
    return o.expected_rows(cast["wards"][borough.pk], expected, borough.pk)


def _m(y, mo, d, hh, mm=0) -> int:
    """The epoch minute of a London wall-clock time."""
    return o.wall_clock(datetime.date(y, mo, d), datetime.time(hh, mm))


# -- comparing with every surface -------------------------------------------------------------

def produce(borough, month):
    report, _ = services.report_request(borough=borough, month=month)
    report = services.report_produce(report.pk)
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.READY, report.error
    return report


def assert_report_is_the_oracle(cast, borough, month, report, expected) -> None:
    rows, total = expected_rows(cast, expected, borough)
    figures = report.figures
    assert {r["ward"]: {k: r[k] for k in FIELDS} for r in figures["wards"]} == rows
    assert {k: figures["total"][k] for k in FIELDS} == total
    assert figures["no_ward"]["abstracted_outside_duty_minutes"] == expected["no_ward"][
        borough.pk]
    for r in figures["wards"]:
        assert r["abstraction_rate"] == rate(r["abstracted_in_duty_minutes"],
                                             r["rostered_minutes"])
    _assert_sections(figures, rows, total)
    # A team's row is the sum of its wards' (the page's "By team" table shows it); a ward with
    # no team is a row of its own.
    teams = defaultdict(lambda: defaultdict(int))
    for ward in cast["wards"][borough.pk]:
        name = ward.team.name if hasattr(ward, "team") else f"{ward.name} (no team)"
        for k in FIELDS:
            teams[name][k] += rows[ward.name][k]
    assert {t["team"]: {k: t[k] for k in FIELDS} for t in figures["teams"]} == {
        name: dict(row) for name, row in teams.items()}
    assert figures["total"]["abstraction_rate"] == rate(total["abstracted_in_duty_minutes"],
                                                        total["rostered_minutes"])


def _assert_sections(figures, rows, total) -> None:
    """The flex and cover sections (their own queries: reports.flex_figures, deployment.cover)
    give the oracle's minutes and ward-days: per flow from a ward to a ward, summed by ward."""
    flex = figures["flex"]
    assert (flex["authorised"]["minutes"], flex["unauthorised"]["minutes"]) == (
        total["authorised_flex_minutes"], total["unauthorised_flex_minutes"])
    by_ward = {name: defaultdict(int) for name in rows}
    for flow in flex["flows"]:
        out, into = by_ward[flow["from_ward"]], by_ward[flow["to_ward"]]
        out["flexed_out_minutes"] += flow["flexed_minutes"]
        out["authorised_flex_minutes"] += flow["authorised_minutes"]
        out["unauthorised_flex_minutes"] += flow["unauthorised_minutes"]
        into["flexed_in_minutes"] += flow["flexed_minutes"]
    keys = ("flexed_out_minutes", "authorised_flex_minutes", "unauthorised_flex_minutes",
            "flexed_in_minutes")
    assert {n: {k: by_ward[n][k] for k in keys} for n in rows} == {
        n: {k: row[k] for k in keys} for n, row in rows.items()}
    for key, field in (("posted_strength", "posted_strength_below_minimum_days"),
                       ("cover", "cover_below_minimum_days")):
        section = figures["cover"][key]
        assert section["ward_days"] == total[field], key
        listed = {w["ward"]: w["days"] for w in section["wards"]}
        assert listed == {n: row[field] for n, row in rows.items() if row[field]}, key


def _assert_trend(cast, borough, report, found) -> None:
    """The trend's points of the months already recomputed equal those months' own totals."""
    points = {p["month"]: p for p in report.figures["trend"]}
    for month, expected in found.items():
        _rows, total = expected_rows(cast, expected, borough)
        point = points[f"{month:%Y-%m}"]
        assert (point["rostered_minutes"], point["abstracted_in_duty_minutes"]) == (
            total["rostered_minutes"], total["abstracted_in_duty_minutes"]), month


def assert_rollup_is_the_oracle(cast, month, rollup, expected) -> None:
    summed = defaultdict(int)
    for borough in cast["boroughs"]:
        _rows, total = expected_rows(cast, expected, borough)
        row = next(r for r in rollup.figures["boroughs"] if r["borough"] == borough.name)
        assert {k: row[k] for k in FIELDS} == total, borough.name
        for k in FIELDS:
            summed[k] += total[k]
    assert {k: rollup.figures["total"][k] for k in FIELDS} == dict(summed)
    by_bcu = defaultdict(lambda: defaultdict(int))
    for borough in cast["boroughs"]:
        for k, value in expected_rows(cast, expected, borough)[1].items():
            by_bcu[borough.bcu.name][k] += value
    assert {r["bcu"]: {k: r[k] for k in FIELDS} for r in rollup.figures["bcus"]} == {
        name: dict(total) for name, total in by_bcu.items()}
    for row in rollup.figures["bcus"]:
        assert row["abstraction_rate"] == rate(row["abstracted_in_duty_minutes"],
                                               row["rostered_minutes"])
    assert rollup.figures["total"]["abstraction_rate"] == rate(
        summed["abstracted_in_duty_minutes"], summed["rostered_minutes"])


def measures(user, month, **area) -> dict:
    query = "&".join(f"{k}={v}" for k, v in {**area, "month": f"{month:%Y-%m}"}.items())
    response = api_client_for(user).get(f"/api/v1/performance/?{query}")
    assert response.status_code == 200, response.content
    return {m["measure"]: m for m in response.json()["measures"]}


def assert_performance_is_the_oracle(cast, month, expected, commander, hq) -> None:
    """The abstraction and cover measures of a ward, each borough, the BCU and London, in the
    API and on their pages."""
    days = len(list(days_of(month)))
    areas = []
    for borough in cast["boroughs"]:
        for ward in cast["wards"][borough.pk]:
            areas.append(({"ward": ward.code}, [expected["wards"][ward.pk]], days))
        _rows, total = expected_rows(cast, expected, borough)
        areas.append(({"borough": borough.code}, [total],
                      days * len(cast["wards"][borough.pk])))
    every = [expected_rows(cast, expected, b)[1] for b in cast["boroughs"]]
    ward_days = days * sum(len(ws) for ws in cast["wards"].values())
    areas.append(({"bcu": cast["boroughs"][0].bcu.code}, every, ward_days))
    for area, rows, ward_days in areas:
        got = measures(commander, month, **area)
        _assert_measures(got, rows, ward_days, area)
        _assert_page(commander, month, area, rows, ward_days)
    _assert_measures(measures(hq, month), every, ward_days, "London")
    _assert_page(hq, month, {}, every, ward_days)


def _assert_measures(got, rows, ward_days, area) -> None:
    part = sum(r["abstracted_in_duty_minutes"] for r in rows)
    whole = sum(r["rostered_minutes"] for r in rows)
    below = sum(r["cover_below_minimum_days"] for r in rows)
    assert got["abstraction"]["counts"] == {"abstracted_minutes": part, "duty_minutes": whole}, (
        area)
    assert got["abstraction"]["rated_value"] == rate(part, whole), area
    assert got["cover"]["counts"] == {"days": below, "ward_days": ward_days}, area
    assert got["cover"]["rated_value"] == rate(below, ward_days), area
    assert got["cover"]["value"] == f"{below} of {ward_days} ward-days", area


def _assert_page(user, month, area, rows, ward_days) -> None:
    """The ward's, borough's, BCU's or London's (area {}) performance page shows the same two
    measures."""
    client = Client()
    client.force_login(user)
    if area:
        (level, code), = area.items()
        url = reverse(f"reports:performance_{level}", args=[code])
    else:
        url = reverse("reports:performance_london")
    url += f"?month={month:%Y-%m}"
    _assert_measure_cells(client.get(url).content.decode(), rows, ward_days, area)
    if "ward" in area:  # and the ward's one-page summary for the panel (no rated percentage)
        summary = reverse("reports:performance_ward_summary", args=[area["ward"]])
        _assert_measure_cells(client.get(f"{summary}?month={month:%Y-%m}").content.decode(),
                              rows, ward_days, area, rated=False)


def _assert_measure_cells(content, rows, ward_days, area, *, rated=True) -> None:
    """The abstraction and cover rows of a table of measures (reports/performance/_measures)."""
    page = " ".join(content.split())
    cells = {m: page[page.index(f'data-measure="{m}"'):].split("</tr>")[0]
             for m in ("abstraction", "cover")}
    part = sum(r["abstracted_in_duty_minutes"] for r in rows)
    whole = sum(r["rostered_minutes"] for r in rows)
    below = sum(r["cover_below_minimum_days"] for r in rows)
    shown = rate(part, whole)
    assert (f"{shown} <span" in cells["abstraction"]) if shown else (
        "<td class=\"govuk-table__cell\">-" in cells["abstraction"]), area
    assert f"{below} of {ward_days} ward-days" in cells["cover"], area
    if rated:
        assert f"{rate(below, ward_days)}%" in cells["cover"], area


def assert_every_figure(cast, commander, hq, *, surfaces=True, months=MONTHS) -> dict:
    """Every report of the two months against the oracle; returns the oracle's figures."""
    found = {}
    for month in months:
        expected = oracle(cast, month)
        found[month] = expected
        for borough in cast["boroughs"]:
            report = produce(borough, month)
            assert_report_is_the_oracle(cast, borough, month, report, expected)
            _assert_trend(cast, borough, report, found)
            if surfaces:
                assert_every_surface_agrees(Client(), hq, report)
                assert_performance_section(Client(), hq, report, expected,
                                           cast["wards"][borough.pk])
        rollup = produce(None, month)
        assert_rollup_is_the_oracle(cast, month, rollup, expected)
        if surfaces:
            assert_every_surface_agrees(Client(), hq, rollup)
            assert_section(Client(), hq, rollup,
                           [expected_rows(cast, expected, b)[1] for b in cast["boroughs"]],
                           sum(len(ws) for ws in cast["wards"].values()))
        assert_performance_is_the_oracle(cast, month, expected, commander, hq)
    return found


# -- the report's performance section: its CSV and the PDF ------------------------------------

def assert_performance_section(client, user, report, expected, wards) -> None:
    """The abstraction and cover measures of a borough report's performance section, on its page,
    in its CSV download and the PDF's text, are the oracle's (`wards`: the borough's wards)."""
    _rows, total = o.expected_rows(wards, expected, report.borough_id)
    assert_section(client, user, report, [total], len(wards))


def assert_section(client, user, report, totals, ward_count) -> None:
    """The report's performance section (page, JSON, CSV, PDF) rates the oracle's `totals` (one per
    borough the report covers) over `ward_count` wards."""
    part = sum(t["abstracted_in_duty_minutes"] for t in totals)
    whole = sum(t["rostered_minutes"] for t in totals)
    below = sum(t["cover_below_minimum_days"] for t in totals)
    ward_days = len(list(days_of(report.month))) * ward_count
    client.force_login(user)
    page = client.get(report.get_absolute_url()).content.decode()
    _assert_measure_cells(page[page.index('id="performance"'):], totals, ward_days, report)
    body = api_client_for(user).get(f"/api/v1/reports/{report.pk}/").json()["performance"]
    _assert_measures({m["measure"]: m for m in body}, totals, ward_days, report)
    text = client.get(reverse("reports:performance_csv", args=[report.pk])).content.decode()
    csv_rows = {r["Measure"]: r for r in csv.DictReader(io.StringIO(text))}
    abstraction, cover = csv_rows["Abstraction rate"], csv_rows["Cover below minimum"]
    assert (abstraction["Value"], abstraction["Rated (%)"]) == (rate(part, whole) or "",) * 2
    assert cover["Value"] == f"{below} of {ward_days} ward-days"
    assert cover["Rated (%)"] == rate(below, ward_days)
    pdf = " ".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(
        client.get(reverse("reports:pdf", args=[report.pk])).content)).pages).split())
    section = pdf[pdf.index("Abstraction rate", pdf.index("Performance")):]
    assert f"{below} of {ward_days} ward-days" in section
    assert f"{rate(below, ward_days)}%" in section
    if whole:
        assert f"{rate(part, whole)}%" in section
