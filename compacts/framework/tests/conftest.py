import io

import pytest
from django.db import transaction

from compacts.framework.reference import load_reference


@pytest.fixture(scope="module")
def reference_data(django_db_setup, django_db_blocker):
    """The whole shipped reference set, loaded once per test module and rolled back after it.

    Tests that use it also take ``db``: each runs in a savepoint inside this transaction.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        output = io.StringIO()
        report = load_reference(stdout=output)
        yield {"report": report, "output": output.getvalue()}
        transaction.set_rollback(True)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_user(
        username="root", password="x", is_superuser=True, is_staff=True
    )


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(username="officer", password="x", is_staff=True)
