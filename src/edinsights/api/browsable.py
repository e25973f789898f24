"""DRF's browsable API, under the same Content-Security-Policy as every page."""

from __future__ import annotations

from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """The browsable API without its one inline <style> (Pygments' colours for code samples in
    view descriptions, which the policy's `style-src 'self'` refuses); otherwise DRF's own page."""

    template = "web/browsable_api.html"
