"""The iati API, mounted at ``/api/v1/iati``: other publishers' imported activities and the
landscape of migration funding (public), and the import runs (staff)."""

from datetime import date, datetime

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from compacts.api.auth import public_auth, signed_in_auth
from compacts.api.pagination import Paginated
from compacts.api.schemas import ErrorOut
from compacts.iati import selectors

router = Router(tags=["iati"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class ExternalActivityOut(Schema):
    iati_identifier: str
    reporting_org_ref: str
    reporting_org_name: str
    title: str
    status: str
    default_currency: str
    start_date: date | None
    end_date: date | None
    last_updated_datetime: datetime | None
    is_migration: bool


class ActivityFilter(Schema):
    migration_only: bool = False


class TotalsOut(Schema):
    currency: str
    incoming_commitments: str = "0"
    incoming_funds: str = "0"
    commitments: str = "0"
    disbursements: str = "0"
    expenditure: str = "0"


class PublisherOut(Schema):
    ref: str
    name: str
    count: int


class LandscapeOut(Schema):
    activities: list[ExternalActivityOut]
    publishers: list[PublisherOut]
    totals: list[TotalsOut]


class ImportRunOut(Schema):
    id: int
    file_name: str
    status: str
    imported: int
    updated: int
    skipped: int
    rejected: int
    progress: int
    message: str
    failed_line: int | None
    report: list[dict]


@router.get("/activities", response=list[ExternalActivityOut], auth=public_auth,
            summary="Activities imported from other publishers")  # fmt: skip
@paginate(Paginated)
def external_activity_list_api(request, filters: Query[ActivityFilter]):
    return selectors.external_activity_list(migration_only=filters.migration_only)


@router.get("/landscape", response=LandscapeOut, auth=public_auth,
            summary="The landscape of migration funding (sector 15190 or GCM tags)")  # fmt: skip
def landscape_api(request, country: str = ""):
    data = selectors.migration_landscape(country=country)
    totals = [
        {"currency": currency, **{k: str(v) for k, v in values.items()}}
        for currency, values in sorted(data["totals"].items())
    ]
    return {"activities": data["activities"], "publishers": data["publishers"], "totals": totals}


@router.get("/imports/{run_id}", response={200: ImportRunOut, **ERRORS}, auth=signed_in_auth,
            summary="An import run: progress, counts and report (staff)")  # fmt: skip
def import_run_api(request, run_id: int):
    run = selectors.import_run_get_for_user(user=request.user, run_id=run_id)
    return run
