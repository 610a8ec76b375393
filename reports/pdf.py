"""The report as a PDF (reportlab): the figures of the report page, shown by the same functions
(reports.measures: minutes as hours:minutes, rates as stored, rounded once), with what changed
from the version before and how each figure is counted."""

from html import escape

from django.utils.dateparse import parse_datetime
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from config.pdf import document, table
from config.timeutils import LONDON
from reports import definitions, export
from reports.measures import hm


def pct(value) -> str:
    """A stored rate ("10.95") as shown everywhere: "10.95%"; none: "–"."""
    return "–" if value is None else f"{value}%"


AREA_HEADER = ["", "Rostered", "In home ward", "Abstracted in duty", "Rate", "Flexed out",
               "Unauthorised flex", "Flexed in", "Posted strength < min (days)",
               "Cover < min (days)"]


def _area_rows(rows, name_key):
    return [
        [r[name_key], hm(r["rostered_minutes"]), hm(r["home_ward_minutes"]),
         hm(r["abstracted_in_duty_minutes"]), pct(r["abstraction_rate"]),
         hm(r["flexed_out_minutes"]), hm(r["unauthorised_flex_minutes"]),
         hm(r["flexed_in_minutes"]), str(r["posted_strength_below_minimum_days"]),
         str(r["cover_below_minimum_days"])]
        for r in rows
    ]


def _heading(text, styles):
    return Paragraph(text, styles["Heading2"])


def _para(text, styles, style="Normal"):
    return Paragraph(text, styles[style])


def _title(report, figures, styles) -> list:
    period = export.period(figures)
    computed = report.computed_at.astimezone(LONDON)
    title = f"SNT Abstraction Report including Authorised SNT Flex: {escape(report.scope_name)}"
    if figures.get("to_date"):
        title += " (to date)"
    return [
        _para(title, styles, "Title"),
        _para(f"{report.month:%B %Y}, version {report.version} ({period}), computed "
              f"{computed:%d %B %Y %H:%M}. Hours are hours:minutes.", styles),
        Spacer(1, 4 * mm),
    ]


def _headline(figures, styles) -> list:
    total = figures["total"]
    return [
        _para(
            f"Rostered {hm(total['rostered_minutes'])}; in home ward "
            f"{hm(total['home_ward_minutes'])}; abstracted {hm(total['abstracted_minutes'])} "
            f"({hm(total['abstracted_in_duty_minutes'])} inside duties, "
            f"{hm(total['abstracted_outside_duty_minutes'])} outside any duty); abstraction rate "
            f"{pct(total['abstraction_rate'])} against a target of "
            f"{pct(figures['target_percent'])}; flexed out {hm(total['flexed_out_minutes'])} "
            f"(authorised {hm(total['authorised_flex_minutes'])}, unauthorised "
            f"{hm(total['unauthorised_flex_minutes'])}); posted strength below minimum "
            f"{total['posted_strength_below_minimum_days']} ward-days; cover below minimum "
            f"{total['cover_below_minimum_days']} ward-days.", styles),
        Spacer(1, 4 * mm),
    ]


def _by_type(figures, styles) -> list:
    return [
        _heading("Abstracted by type", styles),
        table(["Type", "Abstracted", "Inside duties", "Outside any duty"],
               [[t["name"], hm(t["abstracted"]), hm(t["abstracted_in_duty"]),
                 hm(t["abstracted_outside_duty"])] for t in figures["by_type"]]),
    ]


def _flex(figures, styles) -> list:
    flex = figures["flex"]
    authorised = flex["authorised"]
    reviews = [f"#{r['id']} to {escape(r['to_ward'])}, due {r['review_due']}, "
               + (f"reviewed {r['reviewed_on']}" if r["reviewed_on"] else "not reviewed")
               for r in flex["overdue_reviews"]]
    unreviewed = [f"#{r['id']} to {escape(r['to_ward'])}, due {r['review_due']}"
                  for r in flex["unreviewed_at_month_end"]]
    return [
        _heading("Flex", styles),
        _para(f"{authorised['requests']} requests authorised, {authorised['officers']} officers "
              f"named; authorised flex {hm(authorised['minutes'])}; unauthorised flex "
              f"{hm(flex['unauthorised']['minutes'])}; "
              f"{authorised['duties_matched_without_naming_their_request']} duties matched to "
              "an authorised request without naming it.", styles),
        table(["From", "To", "Officers", "Flexed", "Authorised", "Unauthorised"],
               [[f["from_ward"], f["to_ward"], str(f["officers"]), hm(f["flexed_minutes"]),
                 hm(f["authorised_minutes"]), hm(f["unauthorised_minutes"])]
                for f in flex["flows"]]),
        _para(f"Reviews overdue (counted in the month they fell due): {len(reviews)}. "
              + "; ".join(reviews), styles),
        _para(f"Unreviewed at the month's end: {len(unreviewed)}. " + "; ".join(unreviewed),
              styles),
        _para(f"Requests refused (counted in the month decided): {len(flex['refused'])}.",
              styles),
        table(["Request", "To", "Decided", "Reason"],
               [[f"#{r['id']}", r["to_ward"], r["decided_on"], r["reason"][:80]]
                for r in flex["refused"]]),
    ]


def _cover(figures, styles) -> list:
    names = definitions.by_key()
    out = []
    for key, field in (("posted_strength", "posted_strength_below_minimum_days"),
                       ("cover", "cover_below_minimum_days")):
        section = figures["cover"][key]
        out += [
            _heading(f"{names[field]['name']}: {section['ward_days']} ward-days", styles),
            _para("; ".join(f"{escape(w['ward'])} {w['days']}" for w in section["wards"])
                  or "None.",
                  styles),
        ]
    return out


def _flagged(figures, styles) -> list:
    rows = figures["abstractions_without_duty"]
    out = [_heading(f"Abstractions with no recorded duty (flagged): {len(rows)}", styles)]
    if rows:
        out.append(table(
            ["Abstraction", "Officer", "Type", "From", "To", "Minutes in month"],
            [[f"#{r['id']}", r["officer"], r["type"], _when(r["starts_at"]), _when(r["ends_at"]),
              hm(r["minutes"])] for r in rows],
        ))
    no_ward = figures["no_ward"]
    if no_ward["abstracted_minutes"]:
        out.append(_para(f"Abstracted outside any duty by officers posted to no ward: "
                         f"{hm(no_ward['abstracted_minutes'])}.", styles))
    return out


def _when(value) -> str:
    return f"{parse_datetime(value).astimezone(LONDON):%d %b %Y %H:%M}"


def _changes(figures, styles) -> list:
    changes = figures.get("changes")
    if not changes:
        return []
    added = changes["records_added"]
    lines = [f"{c['figure']} from {c['before']} to {c['after']}" for c in changes["figures"]]
    return [
        _heading(f"Changed since version {changes['previous_version']}", styles),
        _para(f"Records added since: {added['duties']} duties, {added['abstractions']} "
              f"abstractions, {added['flex_requests']} flex requests. "
              + ("; ".join(lines) if lines else "No figure changed."), styles),
    ]


def _how_counted(styles) -> list:
    out = [_heading("How each figure is counted", styles)]
    for d in definitions.definitions():
        out.append(_para(f"<b>{d['name']}.</b> {escape(d['text'], quote=False)}", styles))
    out.append(_para(definitions.settings_note(), styles))
    return out


BLUE, RED = colors.HexColor("#1d70b8"), colors.HexColor("#d4351c")


def _rate(value) -> float:
    """A stored percentage string as a number to draw (no rate: 0, drawn as such and shown "–"
    in the tables)."""
    return float(value) if value is not None else 0.0


def _trend_chart(figures) -> Drawing:
    """The page's trend chart: the abstraction rate of the last 13 months against the target."""
    trend = figures["trend"]
    drawing = Drawing(250 * mm, 60 * mm)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 15 * mm, 10 * mm, 225 * mm, 42 * mm
    target = _rate(figures["target_percent"])
    chart.data = [[_rate(t["abstraction_rate"]) for t in trend], [target] * len(trend)]
    chart.categoryAxis.categoryNames = [t["month"] for t in trend]
    chart.categoryAxis.labels.fontSize = 6
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.lines[0].strokeColor, chart.lines[0].strokeWidth = BLUE, 1.5
    chart.lines[1].strokeColor, chart.lines[1].strokeDashArray = RED, (3, 2)
    drawing.add(chart)
    drawing.add(String(15 * mm, 55 * mm, "Abstraction rate (%), blue; target, dashed red",
                       fontSize=8))
    return drawing


def _rate_chart(figures) -> Drawing:
    """The page's rate chart: each area's abstraction rate against the target."""
    rollup = figures["kind"] == "rollup"
    areas = figures["boroughs"] if rollup else figures["wards"]
    name = "borough" if rollup else "ward"
    height = max(30, 5 * len(areas) + 15) * mm
    drawing = Drawing(250 * mm, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 45 * mm, 8 * mm
    chart.width, chart.height = 195 * mm, height - 16 * mm
    chart.data = [[_rate(a["abstraction_rate"]) for a in areas] or [0]]
    chart.categoryAxis.categoryNames = [a[name] for a in areas] or [""]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = BLUE
    drawing.add(chart)
    drawing.add(String(45 * mm, height - 6 * mm, f"Abstraction rate (%) by {name}; target "
                       f"{pct(figures['target_percent'])}", fontSize=8))
    return drawing


def _charts(figures, styles) -> list:
    """The report page's charts, drawn in the PDF (reportlab.graphics); the tables hold the
    same figures."""
    return [_heading("Charts", styles), _trend_chart(figures), Spacer(1, 3 * mm),
            _rate_chart(figures), Spacer(1, 4 * mm)]


def _performance(results, styles) -> list:
    """The performance section: each measure's value, comparison, target and rating (its word,
    not a colour alone), with the rule."""
    if not results:
        return []
    cell = styles["BodyText"].clone("cell", fontSize=7, leading=8.5)
    rows = [
        [r.label, r.value or "–", f"{r.comparison or '–'} ({r.comparison_label})",
         r.target or "–", pct(r.rated_value), r.rating.capitalize(),
         Paragraph(escape(f"{r.rule} {r.note}".strip(), quote=False), cell)]
        for r in results
    ]
    header = ["Measure", "Value", "Compared with", "Target", "Rated", "Rating", "Rule"]
    # The rule wraps in its own column.
    return [_heading("Performance", styles),
            table(header, rows, col_widths=[None] * 6 + [110 * mm]),
            _para("Grey: data missing for the month, never green.", styles)]


def report_pdf(report, performance=None) -> bytes:
    figures = report.figures
    styles = getSampleStyleSheet()
    story = _title(report, figures, styles) + _headline(figures, styles)
    story += _charts(figures, styles)
    if figures["kind"] == "rollup":
        story += [_heading("By BCU", styles),
                  table(AREA_HEADER, _area_rows(figures["bcus"], "bcu")),
                  _heading("By borough", styles),
                  table(AREA_HEADER, _area_rows(figures["boroughs"], "borough")),
                  _para("Borough reports summed: " + ", ".join(
                      f"{s['borough']} v{s['version']}" for s in figures["sources"]), styles)]
        story += _by_type(figures, styles)
    else:
        story += [_heading("By ward", styles),
                  table(AREA_HEADER, _area_rows(figures["wards"], "ward"))]
        story += _by_type(figures, styles) + _flex(figures, styles) + _cover(figures, styles)
        story += _flagged(figures, styles)
    story += _performance(performance, styles)
    story += _changes(figures, styles) + _how_counted(styles)
    return document(story, title=str(report))
