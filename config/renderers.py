"""DRF's browsable API, kept within the Content-Security-Policy (style-src 'self'): its pages carry
a few inline styles (Pygments' highlighting and some style attributes) that a browser would
refuse and report. They only nudge the layout, so they are left out."""

import re

from rest_framework import renderers

_STYLE_ATTRIBUTE = re.compile(rb'\sstyle="[^"]*"')


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def get_context(self, data, accepted_media_type, renderer_context):
        context = super().get_context(data, accepted_media_type, renderer_context)
        context["code_style"] = None  # the <style> element Pygments' CSS would go in
        return context

    def render(self, data, accepted_media_type=None, renderer_context=None):
        html = super().render(data, accepted_media_type, renderer_context)
        return _STYLE_ATTRIBUTE.sub(b"", html if isinstance(html, bytes) else html.encode())
