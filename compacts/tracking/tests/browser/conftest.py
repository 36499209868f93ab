"""Shared by the tracking browser tests."""

import pytest


@pytest.fixture(autouse=True)
def _warm_process_caches(db):
    """Render the pages once in this process before the browser opens them: the first render of
    a process loads every app's catalogues, templates, panels and figures, which on a loaded
    shared machine can outlast the browser's navigation timeout. Later renders are fast."""
    from django.test import Client

    client = Client()
    for url in ("/accounts/login/", "/tracking/pledges/", "/tracking/review-cycle/"):
        client.get(url)
