"""Whole public pages from the cache, fresh the moment their data changes.

``@public_page("fund", "programmes")`` on a view keeps the HTML it renders for visitors who are
not signed in, under a key made of the address (path and query string), the language, whether
htmx asked for a fragment, and ``versions_key`` of the topics the page shows
(``compacts.core.changes``). A warm page therefore costs one query; a service that announces a
change of one of those topics makes every process render the page afresh on its next request,
with no entry to find and delete. Such a view only reads, so it runs outside the per-request
transaction (``ATOMIC_REQUESTS``).

What is never cached: signed-in users' pages (they show the user's name and menu), a request
with a message waiting to be shown, anything but GET and HEAD, and any response but a plain 200.

The CSRF token (the language switch is a POST form on every page) is the one part that differs
per visitor: the page is rendered with a placeholder in its place (``csrf_placeholder``, a
context processor), and every response, fresh or cached, gets the visitor's own token written
in, so the form works and sets the visitor's cookie as usual.
"""

import hashlib
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from compacts.core.changes import versions_key

# Placeholder for the CSRF token in a page rendered for the cache (no token looks like it: real
# ones are 64 letters and digits).
PLACEHOLDER = "csrf-token-of-the-visitor"
CACHE_SECONDS = 60 * 60
_RENDERING_FOR_CACHE = "_compacts_page_for_cache"
_HEADERS_KEPT = ("Content-Type", "Content-Language")


def csrf_placeholder(request) -> dict:
    """Context processor: while a page renders for the cache, ``csrf_token`` is the placeholder
    (listed after Django's own CSRF processor, so it wins)."""
    if getattr(request, _RENDERING_FOR_CACHE, False):
        return {"csrf_token": PLACEHOLDER}
    return {}


def _cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.user.is_authenticated:
        return False
    messages = getattr(request, "_messages", None)
    return not (messages is not None and len(messages))


def page_key(request, topics: tuple[str, ...]) -> str:
    """The cache key of this request's page under the topics' current versions (one query)."""
    address = request.get_full_path()
    fragment = request.headers.get("HX-Request") == "true"
    digest = hashlib.sha256(f"{address}|{fragment}".encode()).hexdigest()[:32]
    return f"page:{get_language()}:{versions_key(*topics)}:{digest}"


def _with_token(request, response: HttpResponse) -> HttpResponse:
    """The response with the visitor's CSRF token where the placeholder is (``get_token`` also
    sets the visitor's CSRF cookie when they have none)."""
    placeholder = PLACEHOLDER.encode()
    if not response.streaming and placeholder in response.content:
        response.content = response.content.replace(placeholder, get_token(request).encode())
    return response


def public_page(*topics: str):
    """Cache the view's page for visitors who are not signed in, until ``topics`` change."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            key = page_key(request, topics)
            cached = cache.get(key)
            if cached is not None:
                content, headers = cached
                response = HttpResponse(content)
                for name, value in headers.items():
                    response[name] = value
                return _with_token(request, response)
            setattr(request, _RENDERING_FOR_CACHE, True)
            try:
                response = view(request, *args, **kwargs)
            finally:
                setattr(request, _RENDERING_FOR_CACHE, False)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                headers = {n: response[n] for n in _HEADERS_KEPT if response.has_header(n)}
                cache.set(key, (response.content, headers), CACHE_SECONDS)
            return _with_token(request, response)

        # A public page only reads: no transaction around it (ATOMIC_REQUESTS), which spares a
        # warm page its BEGIN and COMMIT.
        return transaction.non_atomic_requests(wrapper)

    return decorator
