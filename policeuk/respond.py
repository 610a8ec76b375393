"""How every answer of the public API is sent: JSON made once and kept in the cache until the
tables it was read from change (config.datacache), with a strong ETag over its bytes (a client
that sends it back in If-None-Match gets 304), `Cache-Control: public` for browsers and proxies,
and the Open Government Licence attribution in headers, where no client's JSON parsing sees it."""

import hashlib
import json

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified

from config.datacache import cached
from config.publiccache import not_modified

OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0."
)


def _headers(response, etag: str) -> None:
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={settings.POLICEUK_CACHE_SECONDS}"
    response["Link"] = f'<{OGL}>; rel="license"'
    response["X-Attribution"] = ATTRIBUTION


def public_json(request, key_parts, make) -> HttpResponse:
    """`make()`'s data as JSON, cached per `key_parts` (the view, its normalised parameters)."""

    def body():
        return json.dumps(make(), separators=(",", ":"), ensure_ascii=False).encode(), True

    # By scheme and host: an answer holds absolute addresses (a neighbourhood's url_force).
    content = cached(("policeuk", request.scheme, request.get_host(), *key_parts), body)
    etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
    if not_modified(request, etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(content, content_type="application/json")
    _headers(response, etag)
    return response
