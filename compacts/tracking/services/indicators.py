"""Writes for the indicator catalogue, its data (Open SDG CSV or XLSX import, all-or-nothing)
and the health lens's policy indicator."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from compacts.core.changes import announce
from compacts.core.exceptions import ApplicationError
from compacts.core.permissions import require
from compacts.core.services import audit_record, model_values
from compacts.framework.models import Country
from compacts.tracking import opensdg, tables
from compacts.tracking.models import (
    Direction,
    HealthInclusionAssessment,
    ImportRun,
    InclusionLevel,
    Indicator,
    IndicatorKind,
    Observation,
)
from compacts.tracking.services.pledges import RowReport, UploadReport

INDICATOR_FIELDS = [
    "kind", "code", "slug", "title", "sdg_indicator", "gcr_objective", "country", "unit",
    "source", "definition", "direction", "base_year", "target_value", "target_year", "status",
]  # fmt: skip


@dataclass
class IndicatorInput:
    kind: str
    code: str
    title: str
    unit: str = ""
    source: str = ""
    definition: str = ""
    direction: str = Direction.INCREASE
    base_year: int = 2015
    target_value: Decimal | None = None
    target_year: int | None = None
    country: Country | None = None
    sdg_indicator: object = None
    gcr_objective: object = None
    objectives: list = None  # type: ignore[assignment]
    status: str = "confirmed"
    source_note: str = ""
    is_illustrative: bool = False


def indicator_slug(kind: str, code: str, country: Country | None = None) -> str:
    """The Open SDG file name stem: ``3-8-1`` for SDG indicators, ``gcr-1-1-1``, ``ma-...``."""
    stem = slugify(code.replace(".", "-"))
    if kind == IndicatorKind.SDG:
        return stem
    if kind == IndicatorKind.GCR:
        return f"gcr-{stem}"
    return f"{(country.iso2 if country else 'xx').lower()}-{stem}"


@transaction.atomic
def indicator_create(*, data: IndicatorInput, actor, check: bool = True) -> Indicator:
    """Add an indicator to the catalogue. Country-defined indicators name their country."""
    probe = Indicator(country=data.country)
    if check:
        require(actor, "tracking.indicator.manage", probe)
    if data.kind not in IndicatorKind.values:
        raise ApplicationError(_("Unknown kind of indicator."), {"field": "kind"})
    if data.kind == IndicatorKind.NATIONAL and data.country is None:
        raise ApplicationError(
            _("A country-defined indicator names its country."), {"field": "country"}
        )
    if not data.code.strip() or not data.title.strip():
        raise ApplicationError(_("An indicator needs a code and a title."), {"field": "code"})
    if (data.target_value is None) != (data.target_year is None):
        raise ApplicationError(
            _("A target needs both a value and a year."), {"field": "target_value"}
        )
    slug = indicator_slug(data.kind, data.code, data.country)
    if Indicator.objects.filter(slug=slug).exists():
        raise ApplicationError(
            _("The catalogue already has the indicator %(code)s.") % {"code": data.code},
            {"field": "code"},
        )
    indicator = Indicator.objects.create(
        kind=data.kind,
        code=data.code.strip(),
        slug=slug,
        title=data.title.strip(),
        unit=data.unit,
        source=data.source,
        definition=data.definition,
        direction=data.direction,
        base_year=data.base_year,
        target_value=data.target_value,
        target_year=data.target_year,
        country=data.country,
        sdg_indicator=data.sdg_indicator,
        gcr_objective=data.gcr_objective,
        status=data.status,
        source_note=data.source_note,
        is_illustrative=data.is_illustrative,
    )
    if data.objectives:
        indicator.objectives.set(data.objectives)
    audit_record(
        actor=actor,
        action="tracking.indicator.create",
        obj=indicator,
        after=model_values(indicator, INDICATOR_FIELDS),
    )
    announce("tracking", indicator=indicator.slug)
    return indicator


@transaction.atomic
def indicator_set_target(
    *, indicator: Indicator, target_value: Decimal | None, target_year: int | None, actor
) -> Indicator:
    """Set or clear the quantitative target the progress status is measured against."""
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    require(actor, "tracking.indicator.manage", indicator)
    if (target_value is None) != (target_year is None):
        raise ApplicationError(
            _("A target needs both a value and a year."), {"field": "target_value"}
        )
    before = model_values(indicator, ["target_value", "target_year"])
    indicator.target_value, indicator.target_year = target_value, target_year
    indicator.save(update_fields=["target_value", "target_year", "updated_at"])
    audit_record(
        actor=actor,
        action="tracking.indicator.update",
        obj=indicator,
        before=before,
        after=model_values(indicator, ["target_value", "target_year"]),
    )
    announce("tracking", indicator=indicator.slug)
    return indicator


def indicator_data_import(
    *, indicator: Indicator, content: bytes, filename: str, actor, is_illustrative: bool = False
) -> UploadReport:
    """Load an indicator's data from an Open SDG CSV (or an XLSX with the same columns).

    For each country (GeoCode) in the file, the file replaces that country's data of this
    indicator. All or nothing: if any row is refused, nothing changes and the report names each
    refused row and column.
    """
    require(actor, "tracking.indicator.import", indicator)
    try:
        table = tables.read_table(content=content, filename=filename)
    except tables.TableError as error:
        row = RowReport(row=error.row, accepted=False, column=error.column, message=error.message)
        report = UploadReport(accepted=False, rows=[row], file_error=error.message)
        report.run = _record_run(indicator, filename, actor, report, 0)
        return report
    known = set(Country.objects.filter(m49__isnull=False).values_list("m49", flat=True))
    parsed, problems = opensdg.parse_observations(table, known_m49=known)
    refused = {problem.row: problem for problem in problems}
    rows = [
        RowReport(row=p.row, accepted=False, column=p.column, message=p.message)
        for p in problems
        if p.row == 1
    ]
    for row_number, _values in table.rows:
        if row_number in refused:
            p = refused[row_number]
            rows.append(
                RowReport(row=row_number, accepted=False, column=p.column, message=p.message)
            )
        elif not rows or rows[0].row != 1:
            rows.append(RowReport(row=row_number, accepted=True))
    accepted = not problems and bool(parsed)
    if not parsed and not problems:
        rows.append(
            RowReport(row=2, accepted=False, column="", message=_("The file has no data rows."))
        )
    report = UploadReport(accepted=accepted, rows=rows)
    if accepted:
        stored = _store(indicator, table, parsed, actor, is_illustrative)
        indicator.disaggregation_columns = stored.disaggregation_columns
    report.run = _record_run(indicator, filename, actor, report, len(table.rows))
    return report


@transaction.atomic
def _store(indicator, table, parsed, actor, is_illustrative) -> Indicator:
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    countries = dict(
        Country.objects.filter(m49__in={p.m49 for p in parsed}).values_list("m49", "pk")
    )
    replaced = Observation.objects.filter(indicator=indicator, country_id__in=countries.values())
    before_count = replaced.count()
    replaced.delete()
    Observation.objects.bulk_create(
        Observation(
            indicator=indicator,
            country_id=countries[p.m49],
            year=p.year,
            value=p.value,
            disaggregation=p.disaggregation,
            series_key=opensdg.series_key(p.disaggregation),
            is_illustrative=is_illustrative or indicator.is_illustrative,
        )
        for p in parsed
    )
    columns = list(indicator.disaggregation_columns)
    for name in opensdg.disaggregation_columns(table):
        if name not in columns:
            columns.append(name)
    before = model_values(indicator, ["disaggregation_columns"])
    indicator.disaggregation_columns = columns
    indicator.save(update_fields=["disaggregation_columns", "updated_at"])
    audit_record(
        actor=actor,
        action="tracking.indicator.import",
        obj=indicator,
        before={**before, "observations_replaced": before_count},
        after={
            "disaggregation_columns": columns,
            "observations": len(parsed),
            "countries": sorted(countries),
        },
    )
    announce("tracking", indicator=indicator.slug)
    return indicator


@transaction.atomic
def _record_run(indicator, filename, actor, report, count) -> ImportRun:
    run = ImportRun.objects.create(
        kind=ImportRun.Kind.INDICATOR_DATA,
        indicator=indicator,
        filename=filename[:300],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        accepted=report.accepted,
        row_count=count,
        report=report.as_json(),
    )
    return run


@transaction.atomic
def health_inclusion_record(
    *,
    country: Country,
    assessed_on: date,
    health_plan: str,
    vaccination_plan: str,
    source: str,
    actor,
    note: str = "",
    is_illustrative: bool = False,
) -> HealthInclusionAssessment:
    """Record whether a country includes migrants in its national health and vaccination plans."""
    require(actor, "tracking.health_policy.record", country)
    for name, value in (("health_plan", health_plan), ("vaccination_plan", vaccination_plan)):
        if value not in InclusionLevel.values:
            raise ApplicationError(
                _("%(value)s is not an inclusion level; use one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(InclusionLevel.values)},
                {"field": name},
            )
    if not source.strip():
        raise ApplicationError(_("Name the source of the assessment."), {"field": "source"})
    if HealthInclusionAssessment.objects.filter(country=country, assessed_on=assessed_on).exists():
        raise ApplicationError(
            _("This country already has an assessment on that date."), {"field": "assessed_on"}
        )
    assessment = HealthInclusionAssessment.objects.create(
        country=country,
        assessed_on=assessed_on,
        health_plan=health_plan,
        vaccination_plan=vaccination_plan,
        source=source.strip(),
        note=note,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        is_illustrative=is_illustrative,
    )
    audit_record(
        actor=actor,
        action="tracking.health_policy.record",
        obj=assessment,
        after=model_values(
            assessment, ["country", "assessed_on", "health_plan", "vaccination_plan", "source"]
        ),
    )
    announce("tracking", health_inclusion=assessment.country_id)
    return assessment
