"""Every page and API path, enumerated from the URL patterns, answers with the security headers;
no page carries inline script, inline style or an event handler, so the Content-Security-Policy
(no 'unsafe-inline') holds in the browser too (tests/config/test_browser_csp.py)."""

from html.parser import HTMLParser

import pytest

from tests.endpoints import every_endpoint, url_for

pytestmark = pytest.mark.django_db


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        parts[0]: parts[1:]
        for parts in (item.split() for item in policy.split(";"))
        if parts
    }


def header_problems(response) -> list[str]:
    problems = []
    if "Content-Security-Policy" not in response:
        return ["no Content-Security-Policy"]
    csp = csp_directives(response)
    for directive in ("script-src", "style-src", "default-src"):
        unsafe = {"'unsafe-inline'", "'unsafe-eval'"} & set(csp.get(directive, ["missing"]))
        if unsafe or directive not in csp:
            problems.append(f"{directive}: {csp.get(directive)}")
    for directive in ("frame-ancestors", "object-src", "base-uri"):
        if csp.get(directive) != ["'none'"]:
            problems.append(f"{directive}: {csp.get(directive)}")
    expected = {
        "Referrer-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": None,  # present (the docs page relaxes it for Swagger)
    }
    for name, value in expected.items():
        if name not in response or (value and response[name] != value):
            problems.append(f"{name}: {response.get(name)}")
    policy = response.get("Permissions-Policy", "")
    if "camera=()" not in policy or "geolocation=(self)" not in policy:
        problems.append(f"Permissions-Policy: {policy}")
    return problems


class InlineCode(HTMLParser):
    """Collects what a strict CSP would refuse: script elements without src (JSON data blocks
    are not scripts), style elements, style attributes and on* event handler attributes."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")


def inline_code(response) -> list[str]:
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    parser = InlineCode()
    parser.feed(response.content.decode())
    return sorted(set(parser.found))


def visit(client, url) -> list[str]:
    response = client.get(url)
    return [f"{url} ({response.status_code}): {p}" for p in header_problems(response)] + [
        f"{url} ({response.status_code}): {p}" for p in inline_code(response)
    ]


def test_every_page_and_api_path_has_the_headers_and_no_inline_code(
    client, sample, staff_a, admin_user
):
    admin_user.is_staff = True
    admin_user.save()
    problems, pages_seen = [], 0
    for endpoint in every_endpoint():
        url = url_for(endpoint, sample)
        client.force_login(admin_user if endpoint.name.startswith("admin:") else staff_a)
        problems += visit(client, url)
        if endpoint.is_api and not endpoint.kwargs:
            problems += visit(client, url + "?format=api")  # the browsable API is a page too
        client.logout()
        problems += visit(client, url)  # as the public sees it (sign-in pages, public pages)
        pages_seen += 1
    assert not problems, "\n".join(problems)
    assert pages_seen > 100


def test_the_pages_that_need_script_load_it_from_files(client, sample):
    """The public find page's "use my location" and the docs page's Swagger UI run from static
    files, and the header allows scripts only from this site."""
    for url, script in [("/find/", "js/find.js"), ("/api/v1/docs/", "js/swagger-init.js")]:
        response = client.get(url)
        assert response.status_code == 200
        assert f"/static/{script}" in response.content.decode()
        assert csp_directives(response)["script-src"][0] == "'self'"
