"""The API's renderers: a bad value sent is answered with its 400, whatever the answer repeats.

DRF's browsable API, kept within the Content-Security-Policy (style-src 'self'): its pages carry
a few inline styles (Pygments' highlighting and some style attributes) that a browser would
refuse and report. They only nudge the layout, so they are left out."""

import re

from rest_framework import renderers, serializers
from rest_framework.utils.serializer_helpers import BoundField

_STYLE_ATTRIBUTE = re.compile(rb'\sstyle="[^"]*"')


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON, written as UTF-8 text; a lone surrogate (the JSON escape \\ud800, which a
    request may send but no UTF-8 can hold) that an answer repeats (a field error quoting the
    value refused: '"\\ud800" is not a valid choice.') is written back as the escape it came as,
    where DRF's own renderer raised UnicodeEncodeError: a 500 instead of the field's 400."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            self.ensure_ascii = True  # this answer only: a renderer is made for each response
            return super().render(data, accepted_media_type, renderer_context)


class HTMLFormRenderer(renderers.HTMLFormRenderer):
    """The browsable API's forms. Showing a refused date-time back in its form, DRF reads the
    value sent in the field's format and raised ValueError or TypeError (a 500 instead of the
    400) when it is not in it ('abc', '2026-02-31T10:00', a number): such a value is shown as an
    empty field, its error beside it."""

    def render_field(self, field, parent_style):
        try:
            return super().render_field(field, parent_style)
        except (TypeError, ValueError):
            if not isinstance(field._field, serializers.DateTimeField):
                raise
            empty = BoundField(field._field, None, field.errors, field._prefix)
            return super().render_field(empty, parent_style)


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    form_renderer_class = HTMLFormRenderer

    def get_context(self, data, accepted_media_type, renderer_context):
        context = super().get_context(data, accepted_media_type, renderer_context)
        context["code_style"] = None  # the <style> element Pygments' CSS would go in
        return context

    def render(self, data, accepted_media_type=None, renderer_context=None):
        html = super().render(data, accepted_media_type, renderer_context)
        if not isinstance(html, bytes):  # a lone surrogate the page repeats: as JSON writes it
            html = html.encode(errors="backslashreplace")
        return _STYLE_ATTRIBUTE.sub(b"", html)
