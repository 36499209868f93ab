"""``compacts seed``: synthetic practices in bulk, labelled, searchable, rerunnable."""

import io

import pytest

from compacts.network.models import Practice
from compacts.network.seed import seed_scale
from compacts.network.selectors import practice_search
from compacts.network.tests import factories

pytestmark = pytest.mark.django_db


def test_seed_is_labelled_searchable_and_resumable():
    factories.ObjectiveFactory(number=1)
    factories.ObjectiveFactory(number=2)
    assert seed_scale(stdout=io.StringIO(), scale=0.5, small=True) == 250
    assert Practice.objects.filter(is_synthetic=True, state="published").count() == 250
    assert seed_scale(stdout=io.StringIO(), scale=1, small=True) == 250  # resumes
    assert seed_scale(stdout=io.StringIO(), scale=1, small=True) == 0  # nothing left to do
    assert Practice.objects.filter(is_synthetic=True).count() == 500
    assert not Practice.objects.filter(is_synthetic=False).exists()
    result = practice_search(query="migrants")
    assert result.practices.count() > 0
    assert all(p.title.startswith("Synthetic practice") for p in result.practices[:20])
