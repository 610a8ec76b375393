"""The report as a PDF (reportlab): headline figures and the tables of the report page."""

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


def pct(value) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def _table(header, rows):
    table = Table([header] + rows, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
        ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f3f2f1")]),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
    ]))
    return table


def _area_rows(rows, name_key):
    return [
        [r[name_key], f"{r['rostered_hours']:.1f}", f"{r['home_ward_hours']:.1f}",
         f"{r['abstracted_hours']:.1f}", pct(r["abstraction_rate"]),
         f"{r['unauthorised_flex_hours']:.1f}", str(r["cover_gap_days"])]
        for r in rows
    ]


AREA_HEADER = ["", "Rostered h", "In home ward h", "Abstracted h", "Rate", "Unauthorised flex h",
               "Days below cover"]


def report_pdf(report) -> bytes:
    figures = report.figures
    styles = getSampleStyleSheet()
    total = figures["total"]
    story = [
        Paragraph(f"SNT Abstraction Report including Authorised SNT Flex: {report.scope_name}",
                  styles["Title"]),
        Paragraph(f"{report.month:%B %Y}, version {report.version}, computed "
                  f"{report.computed_at:%d %B %Y %H:%M}", styles["Normal"]),
        Spacer(1, 4 * mm),
        Paragraph(
            f"Rostered {total['rostered_hours']:.1f} h; abstracted {total['abstracted_hours']:.1f}"
            f" h ({pct(total['abstraction_rate'])} against a target of {pct(figures['target'])});"
            f" unauthorised flex {total['unauthorised_flex_hours']:.1f} h.", styles["Normal"]),
        Spacer(1, 4 * mm),
    ]
    if figures["kind"] == "rollup":
        story += [Paragraph("By BCU", styles["Heading2"]),
                  _table(AREA_HEADER, _area_rows(figures["bcus"], "bcu")),
                  Paragraph("By borough", styles["Heading2"]),
                  _table(AREA_HEADER, _area_rows(figures["boroughs"], "borough"))]
    else:
        flex = figures["flex"]
        story += [
            Paragraph("By ward", styles["Heading2"]),
            _table(AREA_HEADER, _area_rows(figures["wards"], "ward")),
            Paragraph("Abstracted hours by type", styles["Heading2"]),
            _table(["Type", "Hours"], [[t["name"], f"{t['hours']:.1f}"]
                                       for t in figures["by_type"]]),
            Paragraph("Authorised flex", styles["Heading2"]),
            Paragraph(f"{flex['authorised']['requests']} requests, "
                      f"{flex['authorised']['officers']} officers, "
                      f"{flex['authorised']['officer_hours']:.1f} officer-hours.",
                      styles["Normal"]),
            _table(["From", "To", "Officers", "Hours"],
                   [[f["from_ward"], f["to_ward"], str(f["officers"]), f"{f['hours']:.1f}"]
                    for f in flex["flows"]]),
            Paragraph("Requests refused", styles["Heading2"]),
            _table(["Request", "To", "Reason"],
                   [[f"#{r['id']}", r["to_ward"], r["reason"][:80]] for r in flex["refused"]]),
        ]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=landscape(A4), title=str(report)).build(story)
    return buffer.getvalue()
