"""Speed and freshness: every gateway fund page runs the same number of queries with 2 or 20
programmes and donors, and the cached pages change as soon as a service announces new data."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from compacts.fund import services as fund_services
from compacts.fund.models import Commitment
from compacts.gateway.tests.test_fund_factories import build, donate, endorse
from compacts.gateway.tests.test_fund_pages import text
from compacts.programmes import services

pytestmark = pytest.mark.django_db


def _urls(g) -> list[str]:
    return [
        "/",
        "/gateway/",
        "/gateway/programmes/",
        "/gateway/programmes/?country=MK&objective=1&q=programme&page=2",
        f"/gateway/programmes/{g.active.pk}/",
        "/gateway/pipeline/",
        "/gateway/donors/",
        f"/gateway/donors/{g.donors[0].pk}/",
        "/api/v1/gateway/programmes?limit=5",
        f"/api/v1/gateway/programmes/{g.active.pk}",
    ]


def _counts(g, *, warm: bool) -> dict[str, int]:
    """Queries per page: with an empty cache (``warm=False``) or on a second request."""
    counts = {}
    client = Client()
    for url in _urls(g):
        cache.clear()
        if warm:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_query_counts_do_not_grow_with_the_data():
    """Same number of queries for 2 and for 20 programmes and donors, cold and warm; a cached
    page costs a handful of queries (the data versions)."""
    g = build(programmes=2, donors=2, active=True)
    # The first search of a process asks PostgreSQL once which text configurations it has.
    Client().get("/gateway/programmes/?q=warm")
    small_cold, small_warm = _counts(g, warm=False), _counts(g, warm=True)
    for i in range(18):
        donate(g.w, "1000.00", on=datetime.date(2020 + i % 6, 1, 1))
        endorse(g, title=f"More programme {i}", overrides={"countries": [g.other_country.pk]})
    big_cold, big_warm = _counts(g, warm=False), _counts(g, warm=True)
    assert big_cold == small_cold
    assert big_warm == small_warm
    for url, count in small_warm.items():
        assert count < small_cold[url], url


def test_a_new_deposit_shows_at_once(django_capture_on_commit_callbacks):
    """The fund service announces the deposit ("fund"); the cached pages follow at once."""
    g = build(programmes=1, donors=1)
    client = Client()
    donor = g.donors[0]
    assert "USD 20,100,000" in client.get("/gateway/").content.decode()
    assert "Received USD 100,000" in text(client.get(f"/gateway/donors/{donor.pk}/"))
    with CaptureQueriesContext(connection) as queries:
        client.get("/gateway/")
    cold = len(queries)
    commitment = fund_services.commitment_create(
        fund=g.w.fund,
        donor=donor,
        amount=Decimal("50000.00"),
        currency="USD",
        signed_on=datetime.date(2026, 3, 2),
        actor=None,
    )
    assert Commitment.objects.filter(donor=donor).count() == 2
    with CaptureQueriesContext(connection) as queries:
        client.get("/gateway/")
    assert len(queries) <= cold  # still served from the cache: nothing announced yet
    with django_capture_on_commit_callbacks(execute=True):
        fund_services.deposit_create(
            commitment=commitment,
            amount=Decimal("50000.00"),
            currency="USD",
            value_date=datetime.date(2026, 3, 2),
            actor=None,
            idempotency_key="gw-fresh-deposit",
        )
    assert "USD 20,150,000" in client.get("/gateway/").content.decode()
    assert "Received USD 150,000" in text(client.get(f"/gateway/donors/{donor.pk}/"))
    assert "USD 20,150,000" in client.get("/").content.decode()


def test_a_new_priority_shows_at_once(django_capture_on_commit_callbacks):
    """The programmes service announces the Committee's new order; the pipeline follows."""
    g = build(programmes=2, donors=0)
    first, second = g.endorsed
    client = Client()
    html = client.get("/gateway/pipeline/").content.decode()
    assert html.index(f'data-programme="{second.pk}"') < html.index(f'data-programme="{first.pk}"')
    with django_capture_on_commit_callbacks(execute=True):
        services.pipeline_prioritise(programmes=[first, second], actor=g.w.officer)
    html = client.get("/gateway/pipeline/").content.decode()
    assert html.index(f'data-programme="{first.pk}"') < html.index(f'data-programme="{second.pk}"')


def test_a_warm_page_is_one_query_and_its_forms_still_work():
    """A page a visitor has not signed in for comes whole from the cache (``core.pages``): one
    query for the data versions. The language switch on it (a POST form) carries the visitor's
    own CSRF token, so it works for a visitor whose first page came from the cache."""
    g = build(programmes=1, donors=1, active=True)
    for url in (
        "/gateway/",
        "/gateway/programmes/?q=programme",
        f"/gateway/programmes/{g.active.pk}/",
    ):
        assert Client().get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(url).status_code == 200
        assert len(queries) == 1, (url, [q["sql"] for q in queries])
        assert "core_dataversion" in queries[0]["sql"]

    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get("/gateway/").content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = visitor.post(
        "/i18n/setlang/", {"csrfmiddlewaretoken": token, "language": "fr", "next": "/gateway/"}
    )
    assert response.status_code == 302
    assert visitor.cookies["django_language"].value == "fr"
    french = visitor.get("/gateway/")
    assert french["Content-Language"] == "fr"
    assert 'lang="fr"' in french.content.decode()
