"""Synthetic joint programmes for ``compacts seed --scale N``: one per synthetic allocation that the
fund's seed made (3,000 at N=1, growing linearly with N), so that the portfolio has the MPTF
Office's number of programmes and the fund's money is linked to them as real allocations are.

Each programme is labelled synthetic: code ``SYN0001-001`` (the allocation's), title "Synthetic
programme ...", ``is_illustrative``. It belongs to the allocation's fund, is carried out by the
allocation's organisation with one other synthetic agency, sits in one country with one primary
GCM objective, and is active or closed depending on the year of its allocation. The allocation
is then pointed at it (``source_type = "programmes.programme"``), which is how the programme
cycle links allocations.

Written in bulk, a batch of allocations per transaction, with the search index in the same
transaction; rerunnable and resumable: allocations already linked are skipped. Programmes made
here have no transition history (they never went through the cycle); the cycle's own tests and
the demonstration data cover that.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from compacts.actors.models import Organisation
from compacts.framework.models import Country, GcmObjective, ThematicArea
from compacts.fund.models import Allocation
from compacts.programmes.models import Programme, Scope
from compacts.programmes.search import index_programmes
from compacts.programmes.workflows.programme import State

SOURCE = "programmes.programme"
SYNTHETIC_SOURCE = "synthetic"  # what compacts/fund/seed.py names its allocations' source
BATCH = 500
DURATION_MONTHS = 24
# The year an allocation was decided on -> the programme's state today.
STATE_BY_AGE = ((2019, State.FINANCIALLY_CLOSED), (2020, State.OPERATIONALLY_CLOSED))


def _state(decided_on: datetime.date) -> str:
    for last_year, state in STATE_BY_AGE:
        if decided_on.year <= last_year:
            return state
    return State.ACTIVE


def _ends_on(starts_on: datetime.date) -> datetime.date:
    month = starts_on.month - 1 + DURATION_MONTHS
    return datetime.date(starts_on.year + month // 12, month % 12 + 1, 1) - datetime.timedelta(
        days=1
    )


def seed_scale(*, stdout, scale: float = 1, small: bool = False) -> int:
    """Make the programmes of the synthetic allocations not yet linked; returns how many."""
    pending = Allocation.objects.filter(is_synthetic=True, source_type=SYNTHETIC_SOURCE)
    total = pending.count()
    if not total:
        stdout.write("  programmes: every synthetic allocation has its programme")
        return 0
    countries = list(Country.objects.order_by("iso2").values_list("pk", "name"))
    objectives = list(GcmObjective.objects.order_by("number").values_list("pk", flat=True))
    areas = list(ThematicArea.objects.order_by("number").values_list("pk", flat=True))
    agencies = list(
        Organisation.objects.filter(
            name__startswith="Synthetic agency ", is_illustrative=True
        ).values_list("pk", flat=True)
    )
    made = 0
    while True:
        with transaction.atomic():
            batch = list(
                pending.select_for_update().order_by("pk")[:BATCH]
            )  # a concurrent run waits, then finds them linked
            if not batch:
                break
            made += _build(batch, countries=countries, objectives=objectives, areas=areas,
                           agencies=agencies)  # fmt: skip
        stdout.write(f"  programmes: {made}/{total} synthetic programmes")
    return made


def _build(batch, *, countries, objectives, areas, agencies) -> int:
    programmes = []
    links = []
    for allocation in batch:
        generator = random.Random(allocation.source_id)
        country_id, country_name = generator.choice(countries) if countries else (None, "")
        code = allocation.source_id
        starts_on = allocation.decided_on
        partner = generator.choice(agencies) if agencies else allocation.organisation_id
        programme = Programme(
            fund_id=allocation.fund_id,
            code=code,
            state=_state(allocation.decided_on),
            title=f"Synthetic programme {code}",
            scope=Scope.NATIONAL,
            submitting_organisation_id=allocation.organisation_id,
            convening_organisation_id=allocation.organisation_id,
            government_partners="Synthetic ministry",
            primary_objective_id=generator.choice(objectives) if objectives else None,
            thematic_area_id=generator.choice(areas) if areas else None,
            indicative_budget=allocation.amount,
            duration_months=DURATION_MONTHS,
            joint_analysis="Synthetic joint analysis for load and scale tests.",
            starts_on=starts_on,
            ends_on=_ends_on(starts_on),
            is_illustrative=True,
            keywords="\n".join(filter(None, [" ".join(code.split("-")), country_name])),
        )
        programmes.append(programme)
        links.append((allocation, programme, country_id, {allocation.organisation_id, partner}))
    Programme.objects.bulk_create(programmes)
    Programme.countries.through.objects.bulk_create(
        [
            Programme.countries.through(programme_id=p.pk, country_id=c)
            for _a, p, c, _o in links
            if c
        ]
    )
    Programme.participating_organisations.through.objects.bulk_create(
        [
            Programme.participating_organisations.through(programme_id=p.pk, organisation_id=o)
            for _a, p, _c, orgs in links
            for o in sorted(orgs)
        ]
    )
    for allocation, programme, _c, _o in links:
        allocation.source_type = SOURCE
        allocation.source_id = str(programme.pk)
    Allocation.objects.bulk_update([a for a, _p, _c, _o in links], ["source_type", "source_id"])
    index_programmes(programmes)
    return len(programmes)
