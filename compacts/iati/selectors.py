"""Reads of the iati app."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from compacts.core.exceptions import NotFoundError
from compacts.core.permissions import require
from compacts.iati.models import ExternalActivity, IatiExportRun, ImportRun

MIGRATION_SECTOR = "15190"


def published_run() -> IatiExportRun | None:
    """The export run whose files the public URLs serve (the latest valid one)."""
    return IatiExportRun.objects.filter(is_published=True).order_by("-pk").first()


def export_run_list() -> QuerySet[IatiExportRun]:
    return IatiExportRun.objects.order_by("-pk")


def import_run_list(*, user) -> QuerySet[ImportRun]:
    require(user, "iati.import.view")
    return ImportRun.objects.select_related("started_by").order_by("-pk")


def import_run_get_for_user(*, user, run_id: int) -> ImportRun:
    require(user, "iati.import.view")
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFoundError("There is no such import.")
    return run


def external_activity_list(*, migration_only: bool = False) -> QuerySet[ExternalActivity]:
    activities = ExternalActivity.objects.defer("xml").order_by("iati_identifier")
    return activities.filter(is_migration=True) if migration_only else activities


def migration_landscape(*, country: str = "") -> dict:
    """The landscape of migration funding from other publishers, for the gateway: activities
    with DAC sector 15190 or a GCM objective tag, their publishers and their commitments and
    disbursements by currency, optionally in one country (ISO 3166-1 alpha-2).

    Returns ``{"activities": [...], "publishers": [...], "totals": {currency: {...}}}`` in a
    fixed number of queries."""
    activities = external_activity_list(migration_only=True)
    if country:
        activities = activities.filter(countries__code=country.upper(), countries__is_region=False)
    activities = activities.prefetch_related("countries", "sectors", "tags")
    rows = list(activities)
    ids = [a.pk for a in rows]
    from compacts.iati.models import ExternalTransaction

    totals: dict[str, dict[str, Decimal]] = {}
    sums = (
        ExternalTransaction.objects.filter(activity_id__in=ids)
        .values("currency", "type")
        .annotate(total=Sum("value"))
    )
    names = {"11": "incoming_commitments", "1": "incoming_funds", "2": "commitments",
             "3": "disbursements", "4": "expenditure"}  # fmt: skip
    for row in sums:
        if row["type"] in names:
            bucket = totals.setdefault(row["currency"] or "", {})
            bucket[names[row["type"]]] = row["total"]
    publishers: dict[str, dict] = {}
    for activity in rows:
        item = publishers.setdefault(
            activity.reporting_org_ref,
            {"ref": activity.reporting_org_ref, "name": activity.reporting_org_name, "count": 0},
        )
        item["count"] += 1
    return {
        "activities": rows,
        "publishers": sorted(publishers.values(), key=lambda p: (-p["count"], p["name"])),
        "totals": totals,
    }


def is_migration_filter() -> Q:
    """The same test as ``ExternalActivity.is_migration``, as a query (for other apps)."""
    return Q(sectors__code=MIGRATION_SECTOR, sectors__vocabulary="1") | Q(
        tags__vocabulary="99", tags__code__istartswith="GCM"
    )
