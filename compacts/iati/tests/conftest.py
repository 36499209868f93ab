import io

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_by_default():
    with translation.override("en"):
        yield


@pytest.fixture
def demo_data(db):
    """Reference data and every app's demonstration data, as `compacts up` loads them."""
    from compacts.core.loading import run_app_hooks

    out = io.StringIO()
    run_app_hooks("reference", "load_reference", stdout=out)
    run_app_hooks("demo", "seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def publication_dir(tmp_path, settings):
    """The publication area (default storage) in a temporary folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"
