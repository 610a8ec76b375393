"""The one look of the service's PDF downloads (reportlab): a table with a bold ruled header
and banded rows, and a landscape A4 document. The monthly report and the supervision proposal
use it."""

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle


def table(header, rows, *, numeric_from: int = 1, col_widths=None) -> Table:
    """Columns from `numeric_from` on are right-aligned (figures); `col_widths` as reportlab's
    (None for a column sized to its content)."""
    made = Table([header] + rows, repeatRows=1, colWidths=col_widths)
    made.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
        ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f3f2f1")]),
        ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))  # fmt: skip
    return made


def document(story, *, title: str) -> bytes:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=landscape(A4), title=title).build(story)
    return buffer.getvalue()
