"""Helpers for page tests: fetch a page as a user, post a form as a user, and check a form came
back with its GOV.UK error summary."""


def page_of(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def post_as(client, user, url, data):
    client.force_login(user)
    return client.post(url, data)


def assert_error_summary(response, message, field=None):
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert message in content
    if field:
        assert f'id="{field}-error"' in content, f"the error is not attached to {field}"


def signed_in(client, user):
    client.force_login(user)
    return client


def fill_date(page, legend, moment, *, time=None):
    """Type a date into the GOV.UK date input whose legend is `legend` (config.forms.DateField),
    and a 24-hour time into the box beside it when `time` is given (LondonDateTimeField)."""
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day", exact=True).fill(str(moment.day))
    group.get_by_label("Month", exact=True).fill(str(moment.month))
    group.get_by_label("Year", exact=True).fill(str(moment.year))
    if time is not None:
        group.get_by_label("Time (24-hour, hh:mm)").fill(time)
