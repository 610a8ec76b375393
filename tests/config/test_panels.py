"""The panel registry: an app adds a panel to a page of places without the page importing the
app. A panel shows in its order, only to the roles it names, only when it has something to
show, and may refine the query that fetches the page's object."""

import pytest
from django.urls import reverse

from config import panels
from config.access import Role


@pytest.fixture
def extra_panel(tmp_path, settings):
    """Register test panels (templates in a temporary folder); remove them afterwards."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    added = []

    def add(page, name, text, **options):
        (tmp_path / f"{name}.html").write_text(text)
        added.append((page, name))
        return panels.register(page, name, template=f"{name}.html", **options)

    yield add
    for page, name in added:
        panels.unregister(page, name)


def test_a_panel_shows_on_the_ward_page_in_its_order(client, staff_a, team_a, extra_panel):
    extra_panel(
        "ward", "test.first", "<p>FIRST {{ ward.code }} {{ note }}</p>",
        context=lambda ward, request: {"note": f"for {request.user.username}"}, order=1,
    )
    client.force_login(staff_a)
    body = client.get(reverse("wards:ward", args=[team_a.ward.code])).content.decode()
    assert f"FIRST {team_a.ward.code} for staff_a" in body
    assert body.index("FIRST") < body.index("Ward team") < body.index("Places in the ward")


def test_a_panel_for_some_roles_is_not_asked_for_others(client, staff_a, hq, extra_panel):
    asked = []

    def context(_, request):
        asked.append(request.user.username)
        return {}

    extra_panel("home", "test.hq_only", "<p>FOR HQ</p>", context=context, order=1,
                roles={Role.HQ})
    client.force_login(staff_a)
    assert "FOR HQ" not in client.get("/").content.decode()
    client.force_login(hq)
    assert "FOR HQ" in client.get("/").content.decode()
    assert asked == ["hq"]


def test_a_panel_with_nothing_to_show_is_left_out(client, staff_a, borough_a, extra_panel):
    extra_panel("borough", "test.empty", "<p>EMPTY PANEL</p>", context=lambda b, r: None,
                order=1)
    client.force_login(staff_a)
    response = client.get(reverse("wards:borough", args=[borough_a.code]))
    assert response.status_code == 200
    assert "EMPTY PANEL" not in response.content.decode()


def test_a_panel_refines_the_query_for_the_page_object(client, staff_a, team_a, extra_panel):
    from django.db.models import Value

    extra_panel(
        "ward", "test.select", "<p>ANNOTATED {{ ward.test_mark }}</p>",
        context=lambda ward, request: {}, order=1,
        select=lambda wards: wards.annotate(test_mark=Value("yes")),
    )
    client.force_login(staff_a)
    response = client.get(reverse("wards:ward", args=[team_a.ward.code]))
    assert "ANNOTATED yes" in response.content.decode()


def test_only_the_pages_of_places_take_panels():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        panels.register("flex", "x", template="x.html", context=lambda o, r: {}, order=1)


def test_each_app_registers_its_panels_on_the_ward_page():
    names = [p.name for p in panels.panels("ward")]
    assert names == [
        "teams.cover", "deployment.cover_today", "deployment.calendar", "promises.links",
        "demand.ward", "teams.team",
        "supervision.ward", "reports.performance_ward", "schools.ward", "wards.places",
    ]
