"""Builders for the places tests: a small M49 tree, GCM objectives and thematic areas, a fund
(``programmes.tests.factories.world``) with public and private programmes whose money moves
through the fund's own services (allocations, transfers, refunds, expenditure postings), and
other publishers' IATI files imported through the iati app's importer."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import count
from pathlib import Path

import pytest
from django.core.cache import cache

from compacts.framework.models import Country, GcmObjective, Region, ThematicArea
from compacts.framework.models import ThematicAreaObjective as Link
from compacts.fund import services as fund_services
from compacts.programmes.models import Programme
from compacts.programmes.tests import factories as f
from compacts.results.models import ExpenditureLine, Report

D = Decimal
_n = count(1)
DAY = datetime.date(2026, 4, 1)


def places_reference() -> dict:
    """World -> Europe -> Southern Europe -> North Macedonia, Albania; Africa -> Northern Africa
    -> Tunisia; Kosovo outside M49 (no region); objectives 1, 2, 3, 15 and three thematic areas
    (idempotent; builds on ``programmes.tests.factories.framework``)."""
    ref = f.framework()
    world, _ = Region.objects.get_or_create(m49="001", defaults={"level": "world", "name": "World"})
    europe = Region.objects.get(m49="150")
    Region.objects.filter(pk=europe.pk).update(parent=world, names={"fr": "Europe", "ar": "أوروبا"})
    south, _ = Region.objects.get_or_create(
        m49="039",
        defaults={"level": "sub-region", "name": "Southern Europe", "parent": europe},
    )
    africa, _ = Region.objects.get_or_create(
        m49="002", defaults={"level": "region", "name": "Africa", "parent": world}
    )
    north_africa, _ = Region.objects.get_or_create(
        m49="015", defaults={"level": "sub-region", "name": "Northern Africa", "parent": africa}
    )
    Country.objects.filter(iso2="MK").update(region=europe, sub_region=south)
    countries = {"MK": Country.objects.get(iso2="MK")}
    for iso2, iso3, m49, name, region, sub in [
        ("AL", "ALB", "008", "Albania", europe, south),
        ("TN", "TUN", "788", "Tunisia", africa, north_africa),
        ("SO", "SOM", "706", "Somalia", africa, None),
    ]:
        countries[iso2], _ = Country.objects.get_or_create(
            iso2=iso2,
            defaults={"iso3": iso3, "m49": m49, "name": name, "region": region, "sub_region": sub},
        )
    countries["XK"], _ = Country.objects.get_or_create(
        iso2="XK", defaults={"name": "Kosovo", "in_m49": False}
    )
    objectives = {1: ref["objective"]}
    for number, title, label in [
        (2, "Minimize the adverse drivers", "Drivers"),
        (3, "Provide accurate and timely information", "Information"),
        (15, "Provide access to basic services for migrants", "Basic services"),
    ]:
        objectives[number], _ = GcmObjective.objects.get_or_create(
            number=number,
            defaults={
                "title": title,
                "short_label": label,
                "commitment": "We commit...",
                "paragraph": 16 + number,
            },
        )
    areas = {"TA1": ref["area"]}
    for code, number, name in [("TA2", 2, "Protecting"), ("TA5", 5, "Social inclusion")]:
        areas[code], _ = ThematicArea.objects.get_or_create(
            code=code, defaults={"number": number, "name": name}
        )
    for code, number in [("TA1", 1), ("TA1", 3), ("TA2", 2), ("TA5", 15)]:
        Link.objects.get_or_create(thematic_area=areas[code], objective=objectives[number])
    return {
        **ref,
        "regions": {"001": world, "150": europe, "039": south, "002": africa, "015": north_africa},
        "countries": countries,
        "objectives": objectives,
        "areas": areas,
    }


@dataclass
class Places:
    w: f.World
    ref: dict
    programmes: dict = field(default_factory=dict)


def programme(
    p: Places,
    name: str,
    *,
    state: str,
    countries=(),
    primary: int | None = 1,
    others=(),
    area: str | None = "TA1",
    budget: str = "1000000.00",
    illustrative: bool = False,
) -> Programme:
    """A programme in ``state`` (written directly: the cycle's services are tested elsewhere)."""
    number = next(_n)
    made = Programme.objects.create(
        fund=p.w.fund,
        code=f"PL-{number:04d}",
        title=f"{name} programme",
        state=state,
        submitting_organisation=p.w.rco,
        indicative_budget=D(budget),
        primary_objective=p.ref["objectives"][primary] if primary else None,
        thematic_area=p.ref["areas"][area] if area else None,
        is_illustrative=illustrative,
    )
    made.countries.set([p.ref["countries"][c] for c in countries])
    made.other_objectives.set([p.ref["objectives"][n] for n in others])
    made.participating_organisations.set(p.w.punos)
    p.programmes[name] = made
    return made


def fund(
    p: Places,
    made: Programme,
    *,
    allocated: str,
    transferred: str = "0",
    refunded: str = "0",
    spent: str = "0",
    on: datetime.date = DAY,
):
    """Through the fund's services: an allocation to the first participating organisation, a
    transfer, a refund and an accepted expenditure report of ``spent``."""
    org = p.w.punos[0]
    allocation = fund_services.allocation_create(
        fund=p.w.fund,
        organisation=org,
        amount=D(allocated),
        purpose=made.title,
        decided_on=on,
        actor=None,
        source_type="programmes.programme",
        source_id=str(made.pk),
    )
    if D(transferred):
        fund_services.transfer_create(
            allocation=allocation,
            amount=D(transferred),
            value_date=on,
            actor=None,
            idempotency_key=f"pl-transfer-{next(_n)}",
        )
    if D(refunded):
        fund_services.refund_record(
            allocation=allocation, amount=D(refunded), value_date=on, actor=None
        )
    if D(spent):
        report = Report.objects.create(
            programme=made,
            kind="annual-financial",
            period_start=on.replace(month=1, day=1),
            period_end=on,
            due_on=on,
            state="accepted",
        )
        posting = fund_services.expenditure_report(
            fund=p.w.fund,
            organisation=org,
            amount=D(spent),
            value_date=on,
            actor=None,
            idempotency_key=f"pl-spent-{next(_n)}",
        )
        ExpenditureLine.objects.create(
            report=report, organisation=org, amount=D(spent), posting=posting
        )
    return allocation


def fresh() -> None:
    """Forget cached pages and figures, as after a deployment (query counts start cold)."""
    cache.clear()


def portfolio_world(*, extra: int = 0) -> Places:
    """The standard portfolio of these tests (amounts in US dollars):

    - ``national``: active, MK, objective 1 (other 15), TA1; 600,000 allocated, 300,000
      transferred, 100,000 spent;
    - ``shared``: active, MK + AL + TN, objective 15, TA5; 300,000.00 allocated, all of it
      transferred, 10,000 refunded;
    - ``global``: closed (financially), no country, objective 3, TA1; 200,000 allocated and
      transferred, 200,000 spent;
    - ``pipeline``: endorsed, AL, objective 2, TA2, indicative budget 900,000;
    - ``draft`` and ``screening`` (a draft and a submitted concept note) in MK: never public;

    plus ``extra`` more endorsed programmes in Tunisia (for query-count tests)."""
    p = Places(w=f.world(cash="5000000.00"), ref=places_reference())
    national = programme(p, "national", state="active", countries=["MK"], others=[15])
    fund(p, national, allocated="600000.00", transferred="300000.00", spent="100000.00")
    shared = programme(
        p, "shared", state="active", countries=["MK", "AL", "TN"], primary=15, area="TA5"
    )
    fund(p, shared, allocated="300000.00", transferred="300000.00", refunded="10000.00")
    closed = programme(p, "global", state="financially-closed", primary=3, illustrative=True)
    fund(p, closed, allocated="200000.00", transferred="200000.00", spent="200000.00")
    programme(
        p, "pipeline", state="endorsed", countries=["AL"], primary=2, area="TA2", budget="900000"
    )
    programme(p, "draft", state="draft", countries=["MK"], budget="5000000")
    programme(p, "screening", state="submitted", countries=["MK"], primary=2, area="TA2")
    more_programmes(p, extra)
    return p


def more_programmes(p: Places, count: int) -> None:
    """``count`` more funded programmes in Tunisia and Somalia, objective 2 (more data)."""
    for _index in range(count):
        number = next(_n)
        made = programme(
            p, f"extra-{number}", state="active", countries=["TN", "SO"], primary=2, others=[15]
        )
        fund(p, made, allocated="1000.00", transferred="500.00", spent="100.00")
    fresh()


# --- Other publishers' IATI files -------------------------------------------------------------


def iati_activity(
    identifier: str,
    *,
    publisher: tuple[str, str] = ("XM-DAC-47066", "IOM"),
    countries=(("SO", None),),
    currency: str = "USD",
    sector: str = "15190",
    transactions=(("3", "2024-02-01", "1000.00", ""),),
) -> str:
    """One ``iati-activity`` element; ``transactions`` are (type, date, value, currency)."""
    recipients = "".join(
        f'<recipient-country code="{code}"'
        + (f' percentage="{pct}"' if pct is not None else "")
        + "/>"
        for code, pct in countries
    )
    moves = "".join(
        f"""<transaction><transaction-type code="{kind}"/><transaction-date iso-date="{date}"/>
        <value value-date="{date}"{f' currency="{cur}"' if cur else ""}>{value}</value>
        </transaction>"""
        for kind, date, value, cur in transactions
    )
    ref, name = publisher
    return f"""
<iati-activity last-updated-datetime="2025-01-01T00:00:00Z" xml:lang="en"
  default-currency="{currency}">
  <iati-identifier>{identifier}</iati-identifier>
  <reporting-org ref="{ref}" type="40"><narrative>{name}</narrative></reporting-org>
  <title><narrative>Activity {identifier}</narrative></title>
  <description><narrative>About {identifier}</narrative></description>
  <participating-org ref="{ref}" role="4" type="40"><narrative>{name}</narrative>
  </participating-org>
  <activity-status code="2"/>
  <activity-date iso-date="2024-01-01" type="2"/>
  {recipients}
  <sector code="{sector}" vocabulary="1"/>
  {moves}
</iati-activity>"""


def import_activities(tmp_path: Path, *activities: str):
    """Write an IATI 2.03 file and import it with the iati app's importer."""
    from compacts.iati.importer import import_file

    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    root = '<iati-activities version="2.03" generated-datetime="2025-01-02T00:00:00Z">'
    path = tmp_path / f"file-{next(_n)}.xml"
    path.write_text(f"{head}{root}{''.join(activities)}\n</iati-activities>\n", encoding="utf-8")
    run = import_file(path=path)
    assert run.status == "succeeded", run.report
    fresh()
    return run


def landscape_world(tmp_path: Path, *, extra: int = 0) -> None:
    """Three publishers' migration activities and one that is not about migration:

    - IOM (USD): A1 in SO, disbursed 1,000 (2024) and 500 (2025), committed 3,000 (2024);
      A2 in SO 60% / TN 40%, disbursed 1,000 (2024);
    - a donor (EUR, set on the transaction): B1 in TN 75% / MK 25%, disbursed
      EUR 900 (2025);
    - a health activity (sector 12220, not migration): never counted.
    """
    places_reference()
    acts = [
        iati_activity(
            "XM-A1",
            transactions=(
                ("3", "2024-02-01", "1000.00", ""),
                ("3", "2025-03-01", "500.00", ""),
                ("2", "2024-01-15", "3000.00", ""),
            ),
        ),
        iati_activity("XM-A2", countries=(("SO", "60"), ("TN", "40"))),
        iati_activity(
            "DE-B1",
            publisher=("DE-1", "A donor"),
            countries=(("TN", "75"), ("MK", "25")),
            currency="USD",
            transactions=(("3", "2025-05-05", "900.00", "EUR"),),
        ),
        iati_activity("XM-H1", sector="12220"),
    ]
    import_activities(tmp_path, *acts)
    more_activities(tmp_path, extra)


def more_activities(tmp_path: Path, count: int) -> None:
    """``count`` more migration activities from new publishers, in Somalia and Tunisia."""
    if count:
        import_activities(
            tmp_path,
            *(
                iati_activity(
                    f"XM-M{next(_n)}",
                    publisher=(f"XM-P{index}", f"Publisher {index}"),
                    countries=(("SO", "50"), ("TN", "50")),
                    transactions=(("3", f"20{10 + index % 10}-02-01", "100.00", ""),),
                )
                for index in range(count)
            ),
        )


class BuilderTests:
    pytestmark = pytest.mark.django_db

    def test_the_standard_portfolio_moves_money_through_the_ledger(self):
        """The builders post through the fund's services, so the ledger stays balanced."""
        from compacts.fund.selectors import factsheet_get

        p = portfolio_world()
        sheet = factsheet_get(fund=p.w.fund)
        assert sheet.totals["transfers"] == D("800000.00")
        assert sheet.totals["refunds"] == D("10000.00")
        assert sheet.totals["expenditure"] == D("300000.00")
        assert Programme.objects.filter(fund=p.w.fund).count() == 6

    def test_iati_files_are_imported_by_the_importer(self, tmp_path):
        from compacts.iati.models import ExternalActivity

        landscape_world(tmp_path)
        assert ExternalActivity.objects.count() == 4
        assert ExternalActivity.objects.filter(is_migration=True).count() == 3
