"""The demonstration data of the programme cycle: every state, made through the services,
idempotent, and the fund's ledger still reconciles."""

import io

import pytest

from compacts.fund.models import Fund
from compacts.fund.selectors import fund_reconcile
from compacts.programmes.models import Meeting, Programme
from compacts.programmes.workflows.programme import State
from compacts.results.models import IndicatorUpdate, Report

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _seed_everything():
    from compacts.actors import demo as actors_demo
    from compacts.actors import reference as actors_reference
    from compacts.core import demo as core_demo
    from compacts.framework.reference import load_reference as framework_reference
    from compacts.fund import demo as fund_demo
    from compacts.programmes import demo as programmes_demo
    from compacts.results import demo as results_demo

    out = io.StringIO()
    framework_reference(stdout=out)
    actors_reference.load_reference(stdout=out)
    for module in (core_demo, actors_demo, fund_demo, programmes_demo, results_demo):
        module.seed_demo(stdout=out)
    return out.getvalue()


def test_the_demo_has_every_state_and_is_idempotent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        output = _seed_everything()
    assert "16 illustrative concept notes and programmes of MIG00" in output
    fund = Fund.objects.get(code="MIG00")
    states = set(Programme.objects.filter(fund=fund).values_list("state", flat=True))
    assert states == set(State.values)
    assert not Programme.objects.filter(fund=fund, is_illustrative=False).exists()
    assert Meeting.objects.filter(minutes_approved_at__isnull=False).count() == 2
    assert IndicatorUpdate.objects.filter(state="approved").exists()
    assert Report.objects.filter(state="accepted", expenditure__posting__isnull=False).exists()
    active = Programme.objects.get(state=State.ACTIVE)
    assert active.title == "Evidence-based migration policy in North Macedonia"
    assert sorted(o.short_name for o in active.participating_organisations.all()) == [
        "IOM",
        "UNFPA",
        "UNHCR",
    ]
    _factsheet, checks, unbalanced = fund_reconcile(fund=fund)
    assert all(check.ok for check in checks)
    assert unbalanced == []
    with django_capture_on_commit_callbacks(execute=False):
        again = _seed_everything()
    assert "MIG00 already has its illustrative programmes" in again
    assert Programme.objects.filter(fund=fund).count() == 16
