"""Reference data and demonstration data: idempotent, labelled illustrative, and enough for the
objective-15 and Ecuador progress reports."""

import io

import pytest
from django.test import Client

from compacts.tracking.models import (
    Commitment,
    HealthInclusionAssessment,
    ImrfEdition,
    Indicator,
    NationalPlan,
    Observation,
    Pledge,
    RoundTable,
)
from compacts.tracking.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework():
    for number in range(1, 24):
        f.objective(number)
    for code in ("15e", "15c"):
        f.action(code)
    for letter in "abdefghij":
        f.principle(letter)
    f.gcr_objective(1)
    f.gcr_objective(3)
    f.gcr_area()
    for m49, iso2, name in [
        ("218", "EC", "Ecuador"),
        ("504", "MA", "Morocco"),
        ("608", "PH", "Philippines"),
        ("484", "MX", "Mexico"),
        ("276", "DE", "Germany"),
    ]:
        f.country(m49, iso2, name)
    from compacts.framework.models import SdgGoal, SdgIndicator, SdgTarget

    goal = SdgGoal.objects.create(number=3, title="Health")
    target = SdgTarget.objects.create(goal=goal, code="3.8", title="UHC", sort_key="03.08")
    for code in ("3.8.1", "3.8.2"):
        SdgIndicator.objects.create(
            code=code, target=target, title=code, is_gcm_linked=True, sort_key=code
        )


def load_all():
    from compacts.actors.demo import seed_demo as actors_demo
    from compacts.actors.reference import load_reference as actors_reference
    from compacts.tracking.demo import seed_demo
    from compacts.tracking.reference import load_reference

    out = io.StringIO()
    actors_reference(stdout=out)
    load_reference(stdout=out)
    actors_demo(stdout=out)
    seed_demo(stdout=out)
    return out.getvalue()


def counts():
    return [
        m.objects.count()
        for m in (Pledge, NationalPlan, Observation, HealthInclusionAssessment, Indicator)
    ]


def test_reference_holds_the_review_cycle(framework):
    load_all()
    assert list(ImrfEdition.objects.values_list("year", "status")) == [
        (2022, "confirmed"),
        (2026, "provisional"),
    ]
    clusters = {
        rt.number: sorted(rt.objectives.values_list("number", flat=True))
        for rt in RoundTable.objects.filter(edition__year=2022)
    }
    assert clusters == {
        1: [2, 5, 6, 12, 18],
        2: [4, 8, 9, 10, 11, 13, 21],
        3: [14, 15, 16, 19, 20, 22],
        4: [1, 3, 7, 17, 23],
    }
    assert Commitment.objects.filter(paragraph="70").exists()
    assert Indicator.objects.filter(kind="gcr", status="provisional").count() == 11
    assert Indicator.objects.get(code="3.8.2").direction == "decrease"


def test_demo_is_idempotent_and_illustrative(framework):
    output = load_all()
    assert "tracking: illustrative" in output
    first = counts()
    assert first[0] >= 9
    load_all()
    assert counts() == first
    assert not Pledge.objects.filter(is_illustrative=False).exists()
    assert not Observation.objects.filter(is_illustrative=False).exists()
    assert not HealthInclusionAssessment.objects.filter(is_illustrative=False).exists()


def test_demo_reports_for_objective_15_and_ecuador_open(framework):
    load_all()
    client = Client()
    objective = client.get("/tracking/reports/objectives/15/").content.decode()
    assert "Illustrative" in objective
    published_health = Pledge.objects.filter(
        objectives__number=15, state__in=["published", "fulfilled"]
    ).count()
    assert f'data-figure="1">{published_health}<' in objective
    ecuador = client.get("/tracking/reports/countries/218/")
    assert ecuador.status_code == 200
    assert "Ecuador" in ecuador.content.decode()
    pdf = client.get("/tracking/reports/countries/218/pdf/")
    assert pdf.content.startswith(b"%PDF")


def test_the_five_commissions_are_confirmed_and_an_edit_is_kept():
    """GCM para 50 names the five UN regional commissions: they ship confirmed. A status the
    secretariat changes afterwards is not overwritten by loading the reference data again."""
    from compacts.tracking.models import RegionalCommission
    from compacts.tracking.reference import load_reference

    load_reference(stdout=io.StringIO())
    assert list(RegionalCommission.objects.values_list("code", "status")) == [
        ("ECA", "confirmed"), ("ECE", "confirmed"), ("ECLAC", "confirmed"),
        ("ESCAP", "confirmed"), ("ESCWA", "confirmed"),
    ]  # fmt: skip
    RegionalCommission.objects.filter(code="ECE").update(status="provisional")
    load_reference(stdout=io.StringIO())
    assert RegionalCommission.objects.get(code="ECE").status == "provisional"


def test_the_status_migration_confirms_the_shipped_commissions_only():
    """Rows that existed before the status field: the five shipped commissions become
    confirmed; one the secretariat added stays provisional (no source confirms it)."""
    import importlib

    from django.apps import apps

    from compacts.tracking.models import RegionalCommission

    migration = importlib.import_module(
        "compacts.tracking.migrations.0002_regional_commission_status"
    )
    for code in ("ECA", "ECE", "ECLAC", "ESCAP", "ESCWA", "ECX"):
        RegionalCommission.objects.create(code=code, name=code)  # the default: provisional
    migration.confirm_shipped(apps, None)
    assert dict(RegionalCommission.objects.values_list("code", "status")) == {
        "ECA": "confirmed", "ECE": "confirmed", "ECLAC": "confirmed", "ESCAP": "confirmed",
        "ESCWA": "confirmed", "ECX": "provisional",
    }  # fmt: skip
