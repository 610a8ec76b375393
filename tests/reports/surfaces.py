"""Reading a report's figures back from every surface a person sees (the page, the API's JSON,
both CSV files and the PDF's text), as whole minutes, days and rates, so tests can hold them
equal to the stored figures. Parsing is the tests' own: "473:59" → 28439 minutes."""

import csv
import html
import io
import re
from html.parser import HTMLParser

from django.urls import reverse
from pypdf import PdfReader

from config.models import OutboundEmail
from reports import definitions, emails
from tests.conftest import api_client_for

AREA_FIELDS = (
    "rostered_minutes", "home_ward_minutes", "abstracted_in_duty_minutes", "abstraction_rate",
    "flexed_out_minutes", "flexed_in_minutes", "unauthorised_flex_minutes",
    "posted_strength_below_minimum_days", "cover_below_minimum_days",
)


def minutes_of(text: str) -> int:
    """"473:59" → 28439; "-0:30" → -30."""
    sign = -1 if text.startswith("-") else 1
    hours, minutes = text.lstrip("+-").split(":")
    assert len(minutes) == 2, text
    return sign * (int(hours) * 60 + int(minutes))


def hm(minutes: int) -> str:
    """The tests' own hours:minutes: 28439 → "473:59"."""
    sign = "-" if minutes < 0 else ""
    return f"{sign}{abs(minutes) // 60}:{abs(minutes) % 60:02d}"


def rate_of(text: str) -> str | None:
    return None if text == "–" else text.removesuffix("%")


def expected_area(row: dict) -> dict:
    return {field: row[field] for field in AREA_FIELDS}


class _Tables(HTMLParser):
    """The rows of the tables marked data-area-table, as cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self._table, self._row, self._cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-area-table" in attrs:
            self._table = self.tables.setdefault(attrs["data-area-table"], [])
        elif self._table is not None and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _area_cells(cells) -> dict:
    rate = cells[4].replace("Above target", "").strip()
    flexed_out, flexed_in = cells[5].split(" / ")
    return {
        "rostered_minutes": minutes_of(cells[1]),
        "home_ward_minutes": minutes_of(cells[2]),
        "abstracted_in_duty_minutes": minutes_of(cells[3]),
        "abstraction_rate": rate_of(rate),
        "flexed_out_minutes": minutes_of(flexed_out),
        "flexed_in_minutes": minutes_of(flexed_in),
        "unauthorised_flex_minutes": minutes_of(cells[6]),
        "posted_strength_below_minimum_days": int(cells[7]),
        "cover_below_minimum_days": int(cells[8]),
    }


def page_areas(client, user, report) -> dict:
    """{area kind: {name: its figures}} from the report page's tables."""
    client.force_login(user)
    parser = _Tables()
    parser.feed(client.get(report.get_absolute_url()).content.decode())
    return {
        kind: {html.unescape(row[0]): _area_cells(row) for row in rows[1:]}
        for kind, rows in parser.tables.items()
    }


def api_figures(user, report) -> dict:
    return api_client_for(user).get(f"/api/v1/reports/{report.pk}/").json()


def csv_rows(client, user, report, name="reports:csv") -> list[dict]:
    client.force_login(user)
    text = client.get(reverse(name, args=[report.pk])).content.decode()
    return list(csv.DictReader(io.StringIO(text)))


def pdf_text(client, user, report) -> str:
    client.force_login(user)
    content = client.get(reverse("reports:pdf", args=[report.pk])).content
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
                    .split())


HEADLINE = re.compile(
    r"Rostered (?P<rostered>\S+); in home ward (?P<home>\S+); abstracted (?P<abstracted>\S+) "
    r"\((?P<in_duty>\S+) inside duties, (?P<outside>\S+) outside any duty\); abstraction rate "
    r"(?P<rate>\S+) against a target of \S+; flexed out (?P<flexed>\S+) \(authorised "
    r"(?P<authorised>\S+), unauthorised (?P<unauthorised>\S+)\); posted strength below minimum "
    r"(?P<posted>\d+) ward-days; cover below minimum (?P<cover>\d+) ward-days\."
)


def pdf_total(text: str) -> dict:
    """The PDF's headline sentence, as the total's figures."""
    found = HEADLINE.search(text)
    assert found, text[:500]
    return _total_of(found.groupdict())


def pdf_area(text: str, name: str, heading: str = "By") -> dict:
    """The figures of one row of the PDF's table under `heading` ("By ward", "By borough",
    "By BCU"; the first table of areas by default)."""
    table = text[text.index(f" {heading} ") :]
    cells = table[table.index(f" {name} ") + len(name) + 2 :].split(" ")[:9]
    return {
        "rostered_minutes": minutes_of(cells[0]),
        "home_ward_minutes": minutes_of(cells[1]),
        "abstracted_in_duty_minutes": minutes_of(cells[2]),
        "abstraction_rate": rate_of(cells[3]),
        "flexed_out_minutes": minutes_of(cells[4]),
        "unauthorised_flex_minutes": minutes_of(cells[5]),
        "flexed_in_minutes": minutes_of(cells[6]),
        "posted_strength_below_minimum_days": int(cells[7]),
        "cover_below_minimum_days": int(cells[8]),
    }


def _words(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


PAGE_TOTAL = re.compile(
    r"Rostered \(duty minutes\) (?P<rostered>\S+) In home ward (?P<home>\S+) Abstracted "
    r"(?P<abstracted>\S+): (?P<in_duty>\S+) inside duties, (?P<outside>\S+) outside any duty "
    r"(?:Flagged )?Abstraction rate (?P<rate>\S+) against a target of \S+ (?:Above target )?"
    r"Flexed out (?P<flexed>\S+): authorised (?P<authorised>\S+), unauthorised "
    r"(?P<unauthorised>\S+) Unauthorised flex (?P=unauthorised) Posted strength below minimum "
    r"\(ward-days\) (?P<posted>\d+) Cover below minimum \(ward-days\) (?P<cover>\d+) "
)


def _total_of(g: dict) -> dict:
    return {
        "rostered_minutes": minutes_of(g["rostered"]),
        "home_ward_minutes": minutes_of(g["home"]),
        "abstracted_minutes": minutes_of(g["abstracted"]),
        "abstracted_in_duty_minutes": minutes_of(g["in_duty"]),
        "abstracted_outside_duty_minutes": minutes_of(g["outside"]),
        "abstraction_rate": rate_of(g["rate"].removesuffix(";")),
        "flexed_out_minutes": minutes_of(g["flexed"]),
        "authorised_flex_minutes": minutes_of(g["authorised"]),
        "unauthorised_flex_minutes": minutes_of(g["unauthorised"]),
        "posted_strength_below_minimum_days": int(g["posted"]),
        "cover_below_minimum_days": int(g["cover"]),
    }


def page_total(client, user, report) -> dict:
    """The report page's summary of the total (the list marked data-report-total)."""
    client.force_login(user)
    content = client.get(report.get_absolute_url()).content.decode()
    summary = content[content.index("data-report-total") :]
    summary = _words(summary[summary.index(">") + 1 : summary.index("</dl>")])
    found = PAGE_TOTAL.search(summary + " ")
    assert found, summary
    return _total_of(found.groupdict())


EMAIL_TOTAL = re.compile(
    r"Rostered \(duty minutes\): (?P<rostered>\S+) Abstracted: (?P<abstracted>\S+) "
    r"\((?P<in_duty>\S+) inside duties\) Abstraction rate: (?P<rate>\S+) Unauthorised flex: "
    r"(?P<unauthorised>\S+) "
)


def email_totals(message: dict) -> list[dict]:
    """The figures the report's email gives, from its text and its HTML part (each of them must
    also link to how each figure is counted)."""
    found = []
    for part in (message["body"], message["html_body"]):
        text = _words(part) if part is message["html_body"] else " ".join(part.split())
        assert "How each figure is counted" in text and "#how-counted" in part, part
        g = EMAIL_TOTAL.search(text)
        assert g, text
        found.append({
            "rostered_minutes": minutes_of(g["rostered"]),
            "abstracted_minutes": minutes_of(g["abstracted"]),
            "abstracted_in_duty_minutes": minutes_of(g["in_duty"]),
            "abstraction_rate": rate_of(g["rate"]),
            "unauthorised_flex_minutes": minutes_of(g["unauthorised"]),
        })
    return found


def assert_the_email_agrees(report) -> None:
    """The email the report sends (as the outbox holds it, when it went to anyone) shows the
    stored total, to the minute."""
    message = emails.report_message(report)
    sent = OutboundEmail.objects.filter(key=f"monthly-report:{report.pk}").first()
    if sent is not None:
        assert (sent.body, sent.html_body) == (message["body"], message["html_body"])
    total = report.figures["total"]
    for shown in email_totals(message):
        assert shown == {key: total[key] for key in shown}


def assert_every_surface_agrees(client, user, report) -> None:
    """The page, the JSON, both CSV files and the PDF show the stored figures, to the minute."""
    figures = report.figures
    body = api_figures(user, report)
    assert body["figures"] == figures
    # The JSON carries each figure's definition in the page's words.
    assert body["definitions"] == definitions.definitions()
    rows = figures["wards"] if figures["kind"] == "borough" else figures["boroughs"]
    name_key, kind = ("ward", "ward") if figures["kind"] == "borough" else ("borough", "borough")
    areas = page_areas(client, user, report)
    pdf = pdf_text(client, user, report)
    for row in rows:
        assert areas[kind][row[name_key]] == expected_area(row), row[name_key]
        assert pdf_area(pdf, row[name_key], f"By {kind}") == expected_area(row), row[name_key]
    # The other tables of areas: a borough's teams (page), the roll-up's BCUs (page and PDF).
    for row in figures.get("teams", ()):
        assert areas["team"][row["team"]] == expected_area(row), row["team"]
    for row in figures.get("bcus", ()):
        assert areas["bcu"][row["bcu"]] == expected_area(row), row["bcu"]
        assert pdf_area(pdf, row["bcu"], "By BCU") == expected_area(row), row["bcu"]
    total = figures["total"]
    assert pdf_total(pdf) == {key: total[key] for key in pdf_total(pdf)}
    assert page_total(client, user, report) == {key: total[key] for key in pdf_total(pdf)}
    assert_the_email_agrees(report)
    if figures["kind"] == "borough":
        _assert_flex_and_cover(client, user, report, pdf)
    _assert_csv_files(client, user, report, rows, name_key)


def _assert_flex_and_cover(client, user, report, pdf) -> None:
    """The flex section's summary (page and PDF) and the cover sections' headings (page)."""
    figures = report.figures
    authorised = figures["flex"]["authorised"]["minutes"]
    unauthorised = figures["flex"]["unauthorised"]["minutes"]
    client.force_login(user)
    page = _words(client.get(report.get_absolute_url()).content.decode())
    assert f"authorised flex {hm(authorised)}, unauthorised flex {hm(unauthorised)}." in page
    assert f"authorised flex {hm(authorised)}; unauthorised flex {hm(unauthorised)};" in pdf
    for key, name in (("posted_strength", "Posted strength below minimum"),
                      ("cover", "Cover below minimum")):
        assert f"{name}: {figures['cover'][key]['ward_days']} ward-days" in page, key


def _assert_csv_files(client, user, report, rows, name_key) -> None:
    figures = report.figures
    datastore = csv_rows(client, user, report)
    for row in rows:
        team = row.get("team", "All teams")
        mine = [r for r in datastore if r["Team"] == team
                and (figures["kind"] == "rollup" and r["Borough"] == row["borough"]
                     or figures["kind"] == "borough" and r["Ward"] == row["ward"])]
        for t in figures["abstraction_types"]:
            by_from = {r["Abstracted from Duty"]: int(r["Abstracted Minutes"])
                       for r in mine if r["Abstraction Type"] == t["name"]}
            assert by_from == {
                "Recorded duty": row["abstracted_in_duty_by_type"][t["code"]],
                "No recorded duty": row["abstracted_outside_duty_by_type"][t["code"]],
            }
    total_minutes = sum(int(r["Abstracted Minutes"]) for r in datastore)
    assert total_minutes == figures["total"]["abstracted_minutes"]
    # The API's downloads are the page's, byte for byte.
    api = api_client_for(user)
    for page_name, api_name in (("csv", "csv"), ("wards_csv", "wards-csv"),
                                ("performance_csv", "performance-csv")):
        page_text = client.get(reverse(f"reports:{page_name}", args=[report.pk])).content
        assert api.get(f"/api/v1/reports/{report.pk}/{api_name}/").content == page_text
    wards = {r["Ward"]: r for r in csv_rows(client, user, report, "reports:wards_csv")}
    for row in rows:
        line = wards[row[name_key]]
        assert int(line["Rostered Minutes"]) == row["rostered_minutes"]
        assert int(line["Authorised Flex Minutes"]) == row["authorised_flex_minutes"]
        assert int(line["Unauthorised Flex Minutes"]) == row["unauthorised_flex_minutes"]
        assert int(line["Flexed In Minutes"]) == row["flexed_in_minutes"]
        assert (line["Abstraction Rate (%)"] or None) == row["abstraction_rate"]
        assert int(line["Cover Below Minimum (days)"]) == row["cover_below_minimum_days"]
        assert int(line["Posted Strength Below Minimum (days)"]) == row[
            "posted_strength_below_minimum_days"]
