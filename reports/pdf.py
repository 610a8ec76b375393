"""The report as a tagged PDF (config.pdf: WeasyPrint, PDF/UA-1) from
templates/reports/report_pdf.html: the figures of the report page, shown by the same functions
(reports.measures: minutes as hours:minutes, rates as stored, rounded once), the page's charts
as SVG figures each with its data table, what changed from the version before and how each
figure is counted. Nothing is computed here: every number is one of the stored figures."""

from django.utils.dateparse import parse_datetime

from config import charts
from config.pdf import render_pdf
from config.timeutils import LONDON
from reports import definitions, export
from reports.measures import hm, pct

# The first column names the area ("Ward", "Borough", "BCU"): a header cell is never empty.
AREA_HEADER = ["Rostered", "In home ward", "Abstracted in duty", "Rate", "Flexed out",
               "Unauthorised flex", "Flexed in", "Posted strength < min (days)",
               "Cover < min (days)"]
HEADERS = {
    "by_type": ["Type", "Abstracted", "Inside duties", "Outside any duty"],
    "flows": ["From", "To", "Officers", "Flexed", "Authorised", "Unauthorised"],
    "refused": ["Request", "To", "Decided", "Reason"],
    "flagged": ["Abstraction", "Officer", "Type", "From", "To", "Minutes in month"],
    "performance": ["Measure", "Value", "Compared with", "Target", "Rated", "Rating", "Rule"],
}


def _area_rows(rows, name_key):
    return [
        [r[name_key], hm(r["rostered_minutes"]), hm(r["home_ward_minutes"]),
         hm(r["abstracted_in_duty_minutes"]), pct(r["abstraction_rate"]),
         hm(r["flexed_out_minutes"]), hm(r["unauthorised_flex_minutes"]),
         hm(r["flexed_in_minutes"]), str(r["posted_strength_below_minimum_days"]),
         str(r["cover_below_minimum_days"])]
        for r in rows
    ]


def _title(report, figures) -> dict:
    period = export.period(figures)
    computed = report.computed_at.astimezone(LONDON)
    title = f"SNT Abstraction Report including Authorised SNT Flex: {report.scope_name}"
    if figures.get("to_date"):
        title += " (to date)"
    return {
        "title": title,
        "intro": f"{report.month:%B %Y}, version {report.version} ({period}), computed "
                 f"{computed:%d %B %Y %H:%M}. Hours are hours:minutes.",
    }


def _headline(figures) -> str:
    total = figures["total"]
    return (
        f"Rostered {hm(total['rostered_minutes'])}; in home ward "
        f"{hm(total['home_ward_minutes'])}; abstracted {hm(total['abstracted_minutes'])} "
        f"({hm(total['abstracted_in_duty_minutes'])} inside duties, "
        f"{hm(total['abstracted_outside_duty_minutes'])} outside any duty); abstraction rate "
        f"{pct(total['abstraction_rate'])} against a target of "
        f"{pct(figures['target_percent'])}; flexed out {hm(total['flexed_out_minutes'])} "
        f"(authorised {hm(total['authorised_flex_minutes'])}, unauthorised "
        f"{hm(total['unauthorised_flex_minutes'])}); posted strength below minimum "
        f"{total['posted_strength_below_minimum_days']} ward-days; cover below minimum "
        f"{total['cover_below_minimum_days']} ward-days."
    )


def _by_type(figures) -> list:
    return [[t["name"], hm(t["abstracted"]), hm(t["abstracted_in_duty"]),
             hm(t["abstracted_outside_duty"])] for t in figures["by_type"]]


def _flex(figures) -> dict:
    flex = figures["flex"]
    authorised = flex["authorised"]
    reviews = [f"#{r['id']} to {r['to_ward']}, due {r['review_due']}, "
               + (f"reviewed {r['reviewed_on']}" if r["reviewed_on"] else "not reviewed")
               for r in flex["overdue_reviews"]]
    unreviewed = [f"#{r['id']} to {r['to_ward']}, due {r['review_due']}"
                  for r in flex["unreviewed_at_month_end"]]
    return {
        "summary": f"{authorised['requests']} requests authorised, {authorised['officers']} "
                   f"officers named; authorised flex {hm(authorised['minutes'])}; unauthorised "
                   f"flex {hm(flex['unauthorised']['minutes'])}; "
                   f"{authorised['duties_matched_without_naming_their_request']} duties matched "
                   "to an authorised request without naming it.",
        "flows": [[f["from_ward"], f["to_ward"], str(f["officers"]), hm(f["flexed_minutes"]),
                   hm(f["authorised_minutes"]), hm(f["unauthorised_minutes"])]
                  for f in flex["flows"]],
        "reviews": f"Reviews overdue (counted in the month they fell due): {len(reviews)}. "
                   + "; ".join(reviews),
        "unreviewed": f"Unreviewed at the month's end: {len(unreviewed)}. "
                      + "; ".join(unreviewed),
        "refused_count": len(flex["refused"]),
        "refused": [[f"#{r['id']}", r["to_ward"], r["decided_on"], r["reason"][:80]]
                    for r in flex["refused"]],
    }


def _cover(figures) -> list[dict]:
    names = definitions.by_key()
    out = []
    for key, field in (("posted_strength", "posted_strength_below_minimum_days"),
                       ("cover", "cover_below_minimum_days")):
        section = figures["cover"][key]
        out.append({
            "heading": f"{names[field]['name']}: {section['ward_days']} ward-days",
            "text": "; ".join(f"{w['ward']} {w['days']}" for w in section["wards"]) or "None.",
        })
    return out


def _flagged(figures) -> dict:
    rows = figures["abstractions_without_duty"]
    no_ward = figures["no_ward"]["abstracted_minutes"]
    return {
        "count": len(rows),
        "rows": [[f"#{r['id']}", r["officer"], r["type"], _when(r["starts_at"]),
                  _when(r["ends_at"]), hm(r["minutes"])] for r in rows],
        "no_ward": hm(no_ward) if no_ward else "",
    }


def _when(value) -> str:
    return f"{parse_datetime(value).astimezone(LONDON):%d %b %Y %H:%M}"


def _changes(figures) -> dict | None:
    changes = figures.get("changes")
    if not changes:
        return None
    added = changes["records_added"]
    lines = [f"{c['figure']} from {c['before']} to {c['after']}" for c in changes["figures"]]
    return {
        "heading": f"Changed since version {changes['previous_version']}",
        "text": f"Records added since: {added['duties']} duties, {added['abstractions']} "
                f"abstractions, {added['flex_requests']} flex requests. "
                + ("; ".join(lines) if lines else "No figure changed."),
    }


def _number(value) -> float | None:
    """A stored percentage string as a number to draw; no rate draws nothing (shown "–")."""
    return None if value is None else float(value)


def _trend_chart(figures) -> dict:
    """The page's trend chart: the abstraction rate of the last 13 months against the target,
    with its figures as a table."""
    trend, target = figures["trend"], figures["target_percent"]
    chart = charts.line_chart(
        [(t["month"], _number(t["abstraction_rate"]), pct(t["abstraction_rate"]))
         for t in trend],
        target=_number(target), target_text=pct(target),
        title=f"Abstraction rate over the last {len(trend)} months against the target of "
              f"{pct(target)}",
        desc="A line of the monthly abstraction rate and a dashed line at the target; the "
             "table after the chart gives each month's rate.",
        caption="Abstraction rate (%), blue; target, dashed red",
    )
    rows = [[t["month"], pct(t["abstraction_rate"]), pct(target)] for t in trend]
    return {"heading": f"Trend over {len(trend)} months", "chart": chart, "kind": "line",
            "header": ["Month", "Abstraction rate", "Target"], "rows": rows}


def _rate_chart(figures) -> dict:
    """The page's rate chart: each area's abstraction rate against the target."""
    rollup = figures["kind"] == "rollup"
    areas = figures["boroughs"] if rollup else figures["wards"]
    name, target = ("borough" if rollup else "ward"), figures["target_percent"]
    chart = charts.bar_chart(
        [(a[name], _number(a["abstraction_rate"]), pct(a["abstraction_rate"])) for a in areas],
        target=_number(target), target_text=pct(target),
        title=f"Abstraction rate by {name} against the target of {pct(target)}",
        desc=f"One bar per {name}, with a dashed line at the target; the table after the chart "
             "gives each rate.",
        caption=f"Abstraction rate (%) by {name}; target {pct(target)}",
    )
    rows = [[a[name], pct(a["abstraction_rate"]), pct(target)] for a in areas]
    return {"heading": f"Abstraction rate by {name}", "chart": chart, "kind": "bar",
            "header": [name.capitalize(), "Abstraction rate", "Target"], "rows": rows}


def _performance(results) -> list:
    """The performance section: each measure's value, comparison, target and rating (its word,
    not a colour alone), with the rule."""
    return [
        [r.label, r.value or "–", f"{r.comparison or '–'} ({r.comparison_label})",
         r.target or "–", pct(r.rated_value), r.rating.capitalize(),
         f"{r.rule} {r.note}".strip()]
        for r in results or ()
    ]


def _areas(figures) -> dict:
    if figures["kind"] == "rollup":
        return {
            "bcus": _area_rows(figures["bcus"], "bcu"),
            "bcu_header": ["BCU", *AREA_HEADER],
            "boroughs": _area_rows(figures["boroughs"], "borough"),
            "borough_header": ["Borough", *AREA_HEADER],
            "sources": "Borough reports summed: " + ", ".join(
                f"{s['borough']} v{s['version']}" for s in figures["sources"]),
        }
    return {"wards": _area_rows(figures["wards"], "ward"), "ward_header": ["Ward", *AREA_HEADER],
            "flex": _flex(figures),
            "cover": _cover(figures), "flagged": _flagged(figures)}


def report_pdf(report, performance=None) -> bytes:
    figures = report.figures
    context = _title(report, figures) | _areas(figures) | {
        "rollup": figures["kind"] == "rollup",
        "headline": _headline(figures),
        "charts": [_rate_chart(figures), _trend_chart(figures)],
        "headers": HEADERS,
        "by_type": _by_type(figures),
        "performance": _performance(performance),
        "changes": _changes(figures),
        "definitions": definitions.definitions(),
        "settings_note": definitions.settings_note(),
    }
    return render_pdf("reports/report_pdf.html", context)
