"""The one way the service makes its PDF downloads: an HTML print template (templates/print/,
extending print/base.html) rendered by WeasyPrint as a tagged PDF/UA-1 document. The tags come
from the HTML: headings, tables with their header cells, charts as inline SVG figures whose
<title> is the alternative text; the document language (en-GB) from <html lang> and the title
from <title>. reportlab, used before, cannot write structure tags.

The templates are rendered without a request (no context processors, so no queries of their
own): the caller passes every figure, already computed by the report's own functions."""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

PRINT_CSS = Path(settings.BASE_DIR) / "static" / "css" / "print.css"


@cache
def _stylesheet():
    from weasyprint import CSS  # imported on first use: it loads pango (a C library) on import

    return CSS(filename=str(PRINT_CSS))


def render_pdf(template_name: str, context: dict) -> bytes:
    """The template rendered as a tagged PDF (PDF/UA-1: /MarkInfo, a structure tree, /Lang)."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[_stylesheet()], pdf_variant="pdf/ua-1", uncompressed_pdf=False,
    )
