import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English: a request with another language activates it for the whole
    thread (LocaleMiddleware does not reset it), which would leak into the next test."""
    with translation.override("en"):
        yield
