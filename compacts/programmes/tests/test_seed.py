"""``compacts seed``: every synthetic allocation gets its synthetic programme, linked as the cycle
links them, searchable, labelled; a rerun adds nothing."""

import io

import pytest
from django.core.management import call_command

from compacts.fund.models import Allocation
from compacts.programmes import selectors
from compacts.programmes.models import Programme
from compacts.programmes.seed import SOURCE
from compacts.programmes.workflows.programme import State

pytestmark = pytest.mark.django_db


def test_each_synthetic_allocation_gets_its_programme_and_a_rerun_adds_none():
    out = io.StringIO()
    call_command("seed", "--scale", "0.01", "--small", stdout=out)

    allocations = list(Allocation.objects.filter(is_synthetic=True).order_by("pk"))
    programmes = {p.pk: p for p in Programme.objects.filter(code__startswith="SYN")}
    assert len(allocations) == len(programmes) == 6  # 2 funds x 3 allocations (--small)
    for allocation in allocations:
        assert allocation.source_type == SOURCE
        programme = programmes[int(allocation.source_id)]
        assert programme.fund_id == allocation.fund_id
        assert programme.indicative_budget == allocation.amount
        assert programme.title.startswith("Synthetic programme ")
        assert programme.is_illustrative
        assert programme.state in {
            State.ACTIVE,
            State.OPERATIONALLY_CLOSED,
            State.FINANCIALLY_CLOSED,
        }
        organisations = set(programme.participating_organisations.values_list("pk", flat=True))
        assert allocation.organisation_id in organisations
        assert len(organisations) >= 1
    assert "programmes: 6/6 synthetic programmes" in out.getvalue()

    # Found by the one programme search, by its code.
    some = next(iter(programmes.values()))
    found = selectors.programme_list(search=some.code)
    assert some.pk in {p.pk for p in found}

    again = io.StringIO()
    call_command("seed", "--scale", "0.01", "--small", stdout=again)
    assert Programme.objects.filter(code__startswith="SYN").count() == 6
    assert "every synthetic allocation has its programme" in again.getvalue()
