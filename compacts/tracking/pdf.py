"""Progress reports as PDF, with WeasyPrint (pango from Debian). Nothing is fetched from the
network: the only resources a report may load are the project's own static files."""

from pathlib import Path
from urllib.parse import urlparse

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

STATIC_PREFIX = "/static/"


def _static_only(url: str, timeout: int = 10, ssl_context=None):
    """WeasyPrint URL fetcher that serves ``/static/...`` from the static finders and refuses
    everything else (no request leaves the server while a PDF is drawn)."""
    path = urlparse(url).path
    if not path.startswith(STATIC_PREFIX):
        raise ValueError(f"Refusing to fetch {url!r} while rendering a PDF.")
    found = finders.find(path.removeprefix(STATIC_PREFIX))
    if not found:
        raise ValueError(f"No static file {path!r}.")
    from weasyprint.urls import URLFetcherResponse

    mime = "text/css; charset=utf-8" if path.endswith(".css") else "application/octet-stream"
    return URLFetcherResponse(url, body=Path(found).read_bytes(), headers={"Content-Type": mime})


def render_pdf(
    request: HttpRequest, template_name: str, context: dict, *, filename: str
) -> HttpResponse:
    """Render the HTML report and print it to PDF in the reader's language."""
    import logging

    from weasyprint import HTML

    # The shared site.css has screen-only rules WeasyPrint skips; its notes are not errors.
    for name in ("weasyprint", "weasyprint.progress"):
        logging.getLogger(name).setLevel(logging.ERROR)

    html = render_to_string(template_name, context, request=request)
    document = HTML(string=html, base_url=request.build_absolute_uri("/"), url_fetcher=_static_only)
    response = HttpResponse(document.write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


# WeasyPrint asks its fetcher whether a failed fetch stops the rendering; a refused URL (anything
# but the project's static files) is skipped with a warning instead.
_static_only._fail_on_errors = False  # type: ignore[attr-defined]
