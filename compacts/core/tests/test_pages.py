"""Whole public pages from the cache (``compacts.core.pages``)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpResponse, HttpResponseNotFound
from django.template import engines
from django.test import RequestFactory

from compacts.actors.tests.factories import UserFactory
from compacts.core.changes import bump
from compacts.core.pages import PLACEHOLDER, public_page

pytestmark = pytest.mark.django_db

TEMPLATE = engines["django"].from_string(
    '<form method="post">{% csrf_token %}</form><p>{{ n }}</p><i>{{ csrf_token }}</i>'
)


class CountingView:
    def __init__(self, status=200):
        self.calls = 0
        self.status = status

    def __call__(self, request):
        self.calls += 1
        if self.status != 200:
            return HttpResponseNotFound("missing")
        return HttpResponse(TEMPLATE.render({"n": self.calls}, request))


def visit(view, path="/page/?a=1", *, user=None, method="get", headers=None):
    request = getattr(RequestFactory(), method)(path, headers=headers or {})
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request, view(request)


def token_of(response) -> str:
    html = response.content.decode()
    return html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]


def test_a_warm_page_is_served_from_the_cache_with_the_visitors_own_token():
    view = CountingView()
    cached = public_page("fund")(view)
    first_request, first = visit(cached)
    second_request, second = visit(cached)

    assert view.calls == 1
    assert b"<p>1</p>" in second.content
    for request, response in ((first_request, first), (second_request, second)):
        assert PLACEHOLDER.encode() not in response.content
        # The token in the page is one Django accepts for this visitor's CSRF cookie.
        assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
        assert len(token_of(response)) == 64
        assert token_of(response) in response.content.decode().split("<i>")[1]
    assert token_of(first) != token_of(second)


def test_an_announced_change_renders_the_page_afresh():
    view = CountingView()
    cached = public_page("fund")(view)
    visit(cached)
    bump("programmes")  # not a topic of the page
    visit(cached)
    assert view.calls == 1
    bump("fund")
    _request, response = visit(cached)
    assert view.calls == 2
    assert b"<p>2</p>" in response.content


def test_the_address_language_and_fragment_requests_are_apart():
    view = CountingView()
    cached = public_page("fund")(view)
    visit(cached, "/page/?a=1")
    visit(cached, "/page/?a=2")
    visit(cached, "/page/?a=1", headers={"HX-Request": "true"})
    from django.utils import translation

    with translation.override("fr"):
        visit(cached, "/page/?a=1")
    assert view.calls == 4


def test_signed_in_users_posts_messages_and_errors_are_never_cached():
    view = CountingView()
    cached = public_page("fund")(view)
    user = UserFactory()
    visit(cached, user=user)
    visit(cached, user=user)
    visit(cached, method="post")
    visit(cached, method="post")
    assert view.calls == 4

    visit(cached)  # now cached for anonymous visitors
    calls = view.calls
    request = RequestFactory().get("/page/?a=1")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request._messages.add(20, "Saved.")
    cached(request)
    assert view.calls == calls + 1

    missing = CountingView(status=404)
    cached_missing = public_page("fund")(missing)
    visit(cached_missing, "/missing/")
    _request, response = visit(cached_missing, "/missing/")
    assert missing.calls == 2
    assert response.status_code == 404
