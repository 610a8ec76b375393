"""The service's own look: GOV.UK Frontend's components, but not GOV.UK's crown or its GDS
Transport typeface. Text is set in the device's system font; the header shows a plain wordmark."""

from pathlib import Path

import pytest
from django.conf import settings

VENDOR = Path(settings.BASE_DIR) / "static" / "vendor"


@pytest.mark.parametrize("css", ["govuk/govuk-frontend.min.css", "moj/moj-frontend.min.css"])
def test_the_vendored_css_uses_system_fonts(css):
    text = (VENDOR / css).read_text()
    assert "GDS Transport" not in text
    assert "@font-face" not in text
    assert "font-family:system-ui," in text


def test_no_gds_font_files_are_served():
    assert not list(VENDOR.rglob("*.woff*"))


@pytest.mark.django_db
def test_pages_show_the_wordmark_and_no_crown(client):
    body = client.get("/find/").content.decode()
    assert '<span class="app-wordmark">Metropolitan Police Service</span>' in body
    assert "govuk-logo" not in body and "govuk-header__logotype" not in body
    assert "vendor/govuk/assets/images/favicon" not in body  # the crown icon
    assert "images/favicon.svg" in body
