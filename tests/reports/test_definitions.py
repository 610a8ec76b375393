"""Each figure's definition is written once (reports.definitions) and given in the same words on
the report page, in the PDF and in the README."""

import html
import io
import re
from pathlib import Path

import pytest
from django.test import override_settings
from pypdf import PdfReader

from reports import definitions, services
from reports.export import DATASTORE_COLUMNS, WARD_COLUMNS
from reports.pdf import report_pdf
from tests.reports.conftest import MARCH

README = Path(__file__).resolve().parents[2] / "README.md"


def words(text: str) -> str:
    return " ".join(re.sub(r"[*`|]", " ", text).split())


def test_the_readme_gives_every_definition_and_csv_column_in_the_same_words():
    readme = words(README.read_text())
    for d in definitions.definitions():
        assert words(f"{d['name']}. {d['text']}") in readme, d["key"]
    for columns in (DATASTORE_COLUMNS, WARD_COLUMNS):
        for name, meaning in columns.items():
            assert words(f"{name} {meaning}") in readme, name


def test_the_definitions_follow_the_settings():
    with override_settings(COVER_AWAY_HOURS=6, SNT_ABSTRACTION_TARGET=0.1):
        texts = {d["key"]: d["text"] for d in definitions.definitions()}
    assert "at least 6 hours of the day" in texts["cover_below_minimum_days"]
    assert "the target (10.00%)" in texts["abstraction_rate"]


@pytest.fixture
def report_a(march):
    return services.report_produce(
        services.report_request(borough=march.borough, month=MARCH)[0].pk
    )


def test_the_page_and_the_pdf_say_how_each_figure_is_counted(client, commander_a, report_a):
    client.force_login(commander_a)
    page = words(html.unescape(client.get(report_a.get_absolute_url()).content.decode()))
    report_a.refresh_from_db()
    reader = PdfReader(io.BytesIO(report_pdf(report_a)))
    pdf = words(" ".join(p.extract_text() for p in reader.pages))
    assert "How each figure is counted" in page and "How each figure is counted" in pdf
    for d in definitions.definitions():
        # The PDF breaks lines: compare the words.
        assert words(d["text"]) in page, d["key"]
        assert words(d["text"]) in pdf, d["key"]
