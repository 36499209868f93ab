"""Writes for GCM and GCR pledges: create, edit, move through the life cycle, report progress,
link to the fund, and bulk upload from CSV or XLSX (all-or-nothing, row-by-row report)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any
from uuid import uuid4

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from compacts.actors.models import Organisation
from compacts.core.changes import announce
from compacts.core.exceptions import ApplicationError, PermissionDeniedError
from compacts.core.permissions import require
from compacts.core.services import audit_record, model_values
from compacts.framework.models import Country, GcmAction, GcmObjective, GuidingPrinciple
from compacts.tracking import tables
from compacts.tracking.models import (
    PLEDGE_DESCRIPTION_MAX,
    PLEDGE_DESCRIPTION_MIN,
    GcrPledge,
    GcrPledgeStage,
    GcrPledgeUpdate,
    ImportRun,
    Pledge,
    PledgeKind,
    PledgeProgress,
    PledgeStatusUpdate,
    PledgeType,
)
from compacts.tracking.services.workflow import apply_transition, lock
from compacts.tracking.workflows import gcr_pledge as gcr_pledge_workflow
from compacts.tracking.workflows import pledge as pledge_workflow

# facts.md §4: one file up to 25 MB, of these types.
ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024
ATTACHMENT_EXTENSIONS = {
    "txt", "rtf", "pdf", "doc", "docx", "odt", "ppt", "pptx", "odp", "xls", "xlsx", "ods",
}  # fmt: skip
HEALTH_OBJECTIVE = 15
HEALTH_ACTION = "15e"

PLEDGE_FIELDS = [
    "title", "pledge_type", "kind", "description", "organisation", "country", "matching_pledge",
    "amount", "currency", "contact_name", "contact_email", "imrf_edition", "is_health",
]  # fmt: skip


@dataclass
class PledgeInput:
    """The fields of the Network's pledge form (sections I-VII), validated by ``pledge_clean``."""

    title: str
    pledge_type: str
    description: str
    organisation: Organisation
    kind: str = PledgeKind.SINGLE
    partners: list[Organisation] = field(default_factory=list)
    objectives: list[GcmObjective] = field(default_factory=list)
    principles: list[GuidingPrinciple] = field(default_factory=list)
    gcm_actions: list[GcmAction] = field(default_factory=list)
    matching_pledge: Pledge | None = None
    country: Country | None = None
    amount: Decimal | None = None
    currency: str = ""
    contact_name: str = ""
    contact_email: str = ""
    imrf_edition: Any = None
    is_illustrative: bool = False


def _field_error(message: str, field_name: str) -> ApplicationError:
    return ApplicationError(message, {"field": field_name})


def description_problem(description: str) -> str:
    """The error for a description outside 300-3,000 characters, or ``""``."""
    length = len(description.strip())
    if PLEDGE_DESCRIPTION_MIN <= length <= PLEDGE_DESCRIPTION_MAX:
        return ""
    return _(
        "The description has %(length)s characters; it must have between %(min)s and %(max)s."
    ) % {"length": length, "min": PLEDGE_DESCRIPTION_MIN, "max": PLEDGE_DESCRIPTION_MAX}


def pledge_clean(data: PledgeInput) -> None:
    """Check a pledge against the official form; raises ``ApplicationError`` naming the field."""
    if not data.title.strip():
        raise _field_error(_("A title is required."), "title")
    if data.pledge_type not in PledgeType.values:
        raise _field_error(
            _("%(value)s is not a pledge type; use one of: %(choices)s.")
            % {"value": data.pledge_type, "choices": ", ".join(PledgeType.values)},
            "pledge_type",
        )
    if data.kind not in PledgeKind.values:
        raise _field_error(
            _("%(value)s is not a kind of pledge; use one of: %(choices)s.")
            % {"value": data.kind, "choices": ", ".join(PledgeKind.values)},
            "kind",
        )
    problem = description_problem(data.description)
    if problem:
        raise _field_error(problem, "description")
    if not (data.objectives or data.principles or data.gcm_actions):
        raise _field_error(
            _("A pledge serves at least one GCM objective, guiding principle or action."),
            "objectives",
        )
    if data.kind != PledgeKind.SINGLE and not data.partners:
        raise _field_error(
            _("A common pledge or a pledge in partnership names its partners."), "partners"
        )
    if data.amount is not None and data.amount < 0:
        raise _field_error(_("An amount cannot be negative."), "amount")
    if data.amount is not None and len(data.currency) != 3:
        raise _field_error(_("An amount needs its three-letter currency code."), "currency")
    if data.pledge_type == PledgeType.FINANCIAL and data.amount is None:
        raise _field_error(_("A financial pledge states its amount."), "amount")


def attachment_clean(upload: UploadedFile | None) -> None:
    """One file of at most 25 MB, of a type the official form accepts."""
    if upload is None:
        return
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in ATTACHMENT_EXTENSIONS:
        raise _field_error(
            _("Files of type %(type)s are not accepted; use one of: %(types)s.")
            % {"type": extension or "?", "types": ", ".join(sorted(ATTACHMENT_EXTENSIONS))},
            "attachment",
        )
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise _field_error(_("The attachment is larger than 25 MB."), "attachment")


def _is_health(data: PledgeInput) -> bool:
    return any(o.number == HEALTH_OBJECTIVE for o in data.objectives) or any(
        a.code == HEALTH_ACTION for a in data.gcm_actions
    )


def _set_relations(pledge: Pledge, data: PledgeInput) -> None:
    pledge.partners.set(data.partners)
    pledge.objectives.set(data.objectives)
    pledge.principles.set(data.principles)
    pledge.gcm_actions.set(data.gcm_actions)


def _relation_values(pledge: Pledge) -> dict[str, list]:
    return {
        "partners": sorted(pledge.partners.values_list("pk", flat=True)),
        "objectives": sorted(pledge.objectives.values_list("number", flat=True)),
        "principles": sorted(pledge.principles.values_list("letter", flat=True)),
        "gcm_actions": sorted(pledge.gcm_actions.values_list("code", flat=True)),
    }


@transaction.atomic
def pledge_create(
    *, data: PledgeInput, actor, attachment: UploadedFile | None = None, check: bool = True
) -> Pledge:
    """Record a new GCM pledge as a draft of its pledger organisation.

    ``check=False`` is for the bulk upload, whose caller has checked the permission once.
    """
    if check:
        require(actor, "tracking.pledge.create", data.organisation)
    pledge_clean(data)
    attachment_clean(attachment)
    pledge = Pledge(
        reference=f"tmp-{uuid4().hex[:16]}",  # replaced once the pk is known
        title=data.title.strip(),
        pledge_type=data.pledge_type,
        kind=data.kind,
        description=data.description.strip(),
        organisation=data.organisation,
        country=data.country,
        matching_pledge=data.matching_pledge,
        amount=data.amount,
        currency=data.currency.upper(),
        contact_name=data.contact_name,
        contact_email=data.contact_email,
        imrf_edition=data.imrf_edition,
        is_health=_is_health(data),
        is_illustrative=data.is_illustrative,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if attachment is not None:
        pledge.attachment = attachment
    pledge.save()
    pledge.reference = f"GCM-P-{pledge.pk:05d}"
    pledge.save(update_fields=["reference"])
    _set_relations(pledge, data)
    audit_record(
        actor=actor,
        action="tracking.pledge.create",
        obj=pledge,
        after={**model_values(pledge, PLEDGE_FIELDS), **_relation_values(pledge)},
    )
    return pledge


@transaction.atomic
def pledge_update(
    *, pledge: Pledge, data: PledgeInput, actor, attachment: UploadedFile | None = None
) -> Pledge:
    """Edit a draft or returned pledge; the pledger organisation cannot change."""
    pledge = lock(Pledge, pledge.pk)
    require(actor, "tracking.pledge.edit", pledge)
    if data.organisation.pk != pledge.organisation_id:
        raise _field_error(_("The pledger of a pledge cannot change."), "organisation")
    if data.matching_pledge is not None and data.matching_pledge.pk == pledge.pk:
        raise _field_error(_("A pledge cannot match itself."), "matching_pledge")
    pledge_clean(data)
    attachment_clean(attachment)
    before = {**model_values(pledge, PLEDGE_FIELDS), **_relation_values(pledge)}
    for name in ["title", "pledge_type", "kind", "country", "matching_pledge", "amount"]:
        setattr(pledge, name, getattr(data, name))
    pledge.title = data.title.strip()
    pledge.description = data.description.strip()
    pledge.currency = data.currency.upper()
    pledge.contact_name, pledge.contact_email = data.contact_name, data.contact_email
    pledge.imrf_edition = data.imrf_edition
    pledge.is_health = _is_health(data)
    fields = [*PLEDGE_FIELDS, "updated_at"]
    fields.remove("organisation")
    if attachment is not None:
        pledge.attachment = attachment
        fields.append("attachment")
    pledge.save(update_fields=fields)
    _set_relations(pledge, data)
    audit_record(
        actor=actor,
        action="tracking.pledge.update",
        obj=pledge,
        before=before,
        after={**model_values(pledge, PLEDGE_FIELDS), **_relation_values(pledge)},
    )
    return pledge


@transaction.atomic
def pledge_transition(*, pledge: Pledge, to: str, actor, note: str = "") -> Pledge:
    """Move a pledge through its life cycle (``workflows/pledge.py``)."""
    pledge = lock(Pledge, pledge.pk)
    require(actor, "tracking.pledge.transition", pledge)
    extra: dict[str, Any] = {}
    if to == pledge_workflow.PledgeState.SUBMITTED:
        extra["submitted_at"] = timezone.now()
    if to == pledge_workflow.PledgeState.PUBLISHED:
        extra["published_at"] = timezone.now()
    apply_transition(
        machine=pledge_workflow.MACHINE,
        obj=pledge,
        to=to,
        actor=actor,
        note=note,
        action_prefix="tracking.pledge",
        extra_fields=extra,
    )
    return pledge


def pledge_submit(*, pledge: Pledge, actor) -> Pledge:
    return pledge_transition(pledge=pledge, to=pledge_workflow.PledgeState.SUBMITTED, actor=actor)


def pledge_publish(*, pledge: Pledge, actor, note: str = "") -> Pledge:
    return pledge_transition(
        pledge=pledge, to=pledge_workflow.PledgeState.PUBLISHED, actor=actor, note=note
    )


def pledge_return(*, pledge: Pledge, actor, note: str) -> Pledge:
    if not note.strip():
        raise _field_error(_("Say what the pledger should change."), "note")
    return pledge_transition(
        pledge=pledge, to=pledge_workflow.PledgeState.RETURNED, actor=actor, note=note
    )


@transaction.atomic
def pledge_status_update_create(
    *,
    pledge: Pledge,
    progress: str,
    narrative: str,
    actor,
    reported_on: date | None = None,
    is_illustrative: bool = False,
) -> PledgeStatusUpdate:
    """Report how a published pledge is being fulfilled."""
    pledge = lock(Pledge, pledge.pk)
    require(actor, "tracking.pledge.report", pledge)
    if progress not in PledgeProgress.values:
        raise _field_error(
            _("%(value)s is not a progress value; use one of: %(choices)s.")
            % {"value": progress, "choices": ", ".join(PledgeProgress.values)},
            "progress",
        )
    if not narrative.strip():
        raise _field_error(_("Describe the progress made."), "narrative")
    update = PledgeStatusUpdate.objects.create(
        pledge=pledge,
        progress=progress,
        narrative=narrative.strip(),
        reported_on=reported_on or timezone.localdate(),
        author=actor if getattr(actor, "is_authenticated", False) else None,
        is_illustrative=is_illustrative or pledge.is_illustrative,
    )
    audit_record(
        actor=actor,
        action="tracking.pledge.report",
        obj=pledge,
        after={"progress": progress, "reported_on": update.reported_on, "update": update.pk},
    )
    announce("tracking", pledge=pledge.pk)
    return update


@transaction.atomic
def pledge_link_fund_contribution(*, pledge: Pledge, contribution_id: int | None, actor) -> Pledge:
    """Record which Migration MPTF contribution a financial pledge to the fund became."""
    pledge = lock(Pledge, pledge.pk)
    require(actor, "tracking.pledge.link_fund", pledge)
    if contribution_id is not None and pledge.pledge_type != PledgeType.FINANCIAL:
        raise _field_error(
            _("Only a financial pledge can be linked to a contribution."), "fund_contribution_id"
        )
    before = model_values(pledge, ["fund_contribution_id"])
    pledge.fund_contribution_id = contribution_id
    pledge.save(update_fields=["fund_contribution_id", "updated_at"])
    audit_record(
        actor=actor,
        action="tracking.pledge.link_fund",
        obj=pledge,
        before=before,
        after=model_values(pledge, ["fund_contribution_id"]),
    )
    announce("tracking", pledge=pledge.pk)
    return pledge


# --- GCR pledges ---------------------------------------------------------------------------


@dataclass
class GcrPledgeInput:
    title: str
    pledge_type: str
    description: str
    forum_year: int
    organisation: Organisation
    gcr_objective: Any
    areas: list = field(default_factory=list)
    country: Country | None = None
    amount: Decimal | None = None
    currency: str = ""
    resettlement_places: int | None = None
    stage: GcrPledgeStage | None = None
    is_illustrative: bool = False


GCR_FIELDS = [
    "title", "pledge_type", "description", "forum_year", "organisation", "gcr_objective",
    "country", "amount", "currency", "resettlement_places", "stage", "is_health",
]  # fmt: skip


def gcr_pledge_clean(data: GcrPledgeInput) -> None:
    """Check a GCR pledge (creation and edits alike); raises ``ApplicationError`` naming the
    field."""
    from compacts.tracking.models import GcrPledgeType

    if not data.title.strip():
        raise _field_error(_("A title is required."), "title")
    if data.pledge_type not in GcrPledgeType.values:
        raise _field_error(
            _("%(value)s is not a pledge type; use one of: %(choices)s.")
            % {"value": data.pledge_type, "choices": ", ".join(GcrPledgeType.values)},
            "pledge_type",
        )
    if not data.description.strip():
        raise _field_error(_("A description is required."), "description")
    if data.amount is not None and data.amount < 0:
        raise _field_error(_("An amount cannot be negative."), "amount")
    if data.amount is not None and len(data.currency) != 3:
        raise _field_error(_("An amount needs its three-letter currency code."), "currency")
    if data.pledge_type == GcrPledgeType.RESETTLEMENT and not data.resettlement_places:
        raise _field_error(
            _("A resettlement pledge states the number of places."), "resettlement_places"
        )


@transaction.atomic
def gcr_pledge_create(*, data: GcrPledgeInput, actor, check: bool = True) -> GcrPledge:
    """Record a Global Refugee Forum pledge as a draft.

    ``check=False`` is for the secretariat recording pledges received on UNHCR's form on the
    pledgers' behalf (and the demonstration data); the caller has checked who acts.
    """
    if check:
        require(actor, "tracking.gcr_pledge.create", data.organisation)
    gcr_pledge_clean(data)
    pledge = GcrPledge.objects.create(
        reference=f"tmp-{uuid4().hex[:16]}",  # replaced once the pk is known
        title=data.title.strip(),
        pledge_type=data.pledge_type,
        description=data.description.strip(),
        forum_year=data.forum_year,
        organisation=data.organisation,
        gcr_objective=data.gcr_objective,
        country=data.country,
        amount=data.amount,
        currency=data.currency.upper(),
        resettlement_places=data.resettlement_places,
        stage=data.stage,
        is_health=any(getattr(area, "is_health", False) for area in data.areas),
        is_illustrative=data.is_illustrative,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    pledge.reference = f"GRF-{data.forum_year}-{pledge.pk:05d}"
    pledge.save(update_fields=["reference"])
    pledge.areas.set(data.areas)
    audit_record(
        actor=actor,
        action="tracking.gcr_pledge.create",
        obj=pledge,
        after={
            **model_values(pledge, GCR_FIELDS),
            "areas": sorted(a.code for a in data.areas),
        },
    )
    return pledge


#: The fields ``gcr_pledge_update`` may change (not the pledger, the reference or the stage:
#: the stage moves with progress updates, ``gcr_pledge_update_create``).
GCR_EDITABLE_FIELDS = [
    "title", "pledge_type", "description", "forum_year", "gcr_objective", "country", "amount",
    "currency", "resettlement_places", "is_health",
]  # fmt: skip


@transaction.atomic
def gcr_pledge_update(*, pledge: GcrPledge, data: GcrPledgeInput, actor) -> GcrPledge:
    """Edit a GCR pledge while it is a draft or returned for changes
    (``workflows/gcr_pledge.EDITABLE``), with the same checks as its creation.

    The pledger organisation cannot change (withdraw the pledge and record it for the right
    pledger), nor can the reference or the stage of progress.
    """
    pledge = lock(GcrPledge, pledge.pk)
    require(actor, "tracking.gcr_pledge.edit", pledge)
    if data.organisation.pk != pledge.organisation_id:
        raise _field_error(_("The pledger of a pledge cannot change."), "organisation")
    gcr_pledge_clean(data)
    before = {
        **model_values(pledge, GCR_FIELDS),
        "areas": sorted(a.code for a in pledge.areas.all()),
    }
    pledge.title = data.title.strip()
    pledge.pledge_type = data.pledge_type
    pledge.description = data.description.strip()
    pledge.forum_year = data.forum_year
    pledge.gcr_objective = data.gcr_objective
    pledge.country = data.country
    pledge.amount = data.amount
    pledge.currency = data.currency.upper()
    pledge.resettlement_places = data.resettlement_places
    pledge.is_health = any(getattr(area, "is_health", False) for area in data.areas)
    pledge.save(update_fields=[*GCR_EDITABLE_FIELDS, "updated_at"])
    pledge.areas.set(data.areas)
    audit_record(
        actor=actor,
        action="tracking.gcr_pledge.update",
        obj=pledge,
        before=before,
        after={
            **model_values(pledge, GCR_FIELDS),
            "areas": sorted(a.code for a in data.areas),
        },
    )
    # No announcement: an editable pledge (draft or returned) is not public.
    return pledge


@transaction.atomic
def gcr_pledge_transition(*, pledge: GcrPledge, to: str, actor, note: str = "") -> GcrPledge:
    """Move a GCR pledge through its life cycle (``workflows/gcr_pledge.py``)."""
    pledge = lock(GcrPledge, pledge.pk)
    require(actor, "tracking.gcr_pledge.transition", pledge)
    apply_transition(
        machine=gcr_pledge_workflow.MACHINE,
        obj=pledge,
        to=to,
        actor=actor,
        note=note,
        action_prefix="tracking.gcr_pledge",
    )
    return pledge


@transaction.atomic
def gcr_pledge_update_create(
    *,
    pledge: GcrPledge,
    stage: GcrPledgeStage,
    narrative: str,
    actor,
    reported_on: date | None = None,
    is_illustrative: bool = False,
) -> GcrPledgeUpdate:
    """Report a GCR pledge's stage of progress; the pledge takes the reported stage."""
    pledge = lock(GcrPledge, pledge.pk)
    require(actor, "tracking.gcr_pledge.report", pledge)
    if not narrative.strip():
        raise _field_error(_("Describe the progress made."), "narrative")
    before = model_values(pledge, ["stage"])
    update = GcrPledgeUpdate.objects.create(
        pledge=pledge,
        stage=stage,
        narrative=narrative.strip(),
        reported_on=reported_on or timezone.localdate(),
        author=actor if getattr(actor, "is_authenticated", False) else None,
        is_illustrative=is_illustrative or pledge.is_illustrative,
    )
    pledge.stage = stage
    pledge.save(update_fields=["stage", "updated_at"])
    audit_record(
        actor=actor,
        action="tracking.gcr_pledge.report",
        obj=pledge,
        before=before,
        after={**model_values(pledge, ["stage"]), "update": update.pk},
    )
    announce("tracking", gcr_pledge=pledge.pk)
    return update


# --- Bulk upload ---------------------------------------------------------------------------

#: Columns of the pledge upload file (CSV or XLSX), in order. Lists are separated by ";".
BULK_COLUMNS = [
    "Pledger", "Title", "Type", "Kind", "Partners", "Objectives", "Principles", "Actions",
    "Matching pledge", "Description", "Amount", "Currency", "Country", "Contact name",
    "Contact email",
]  # fmt: skip
BULK_REQUIRED = ["Pledger", "Title", "Type", "Description"]
COLUMN_FIELDS = {
    "Pledger": "organisation", "Title": "title", "Type": "pledge_type", "Kind": "kind",
    "Partners": "partners", "Objectives": "objectives", "Principles": "principles",
    "Actions": "gcm_actions", "Matching pledge": "matching_pledge", "Description": "description",
    "Amount": "amount", "Currency": "currency", "Country": "country",
    "Contact name": "contact_name", "Contact email": "contact_email",
}  # fmt: skip
FIELD_COLUMNS = {value: key for key, value in COLUMN_FIELDS.items()}


@dataclass
class RowReport:
    row: int
    accepted: bool
    column: str = ""
    message: str = ""
    reference: str = ""


@dataclass
class UploadReport:
    """What an upload did: one line per data row, and whether the file was stored."""

    accepted: bool
    rows: list[RowReport]
    run: ImportRun | None = None
    file_error: str = ""

    def as_json(self) -> list[dict]:
        return [row.__dict__ for row in self.rows]


class _RowError(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]


def _organisation(value: str, column: str) -> Organisation:
    found = Organisation.objects.filter(
        Q(iati_identifier__iexact=value) | Q(name__iexact=value) | Q(short_name__iexact=value)
    )
    organisation = found.first()
    if organisation is None or found.count() > 1:
        raise _RowError(column, _("No single organisation is named %(value)s.") % {"value": value})
    return organisation


def _row_input(values: dict[str, str], earlier: dict[str, Pledge]) -> PledgeInput:
    for column in BULK_REQUIRED:
        if not values.get(column, "").strip():
            raise _RowError(column, _("%(column)s is required.") % {"column": column})
    data = PledgeInput(
        title=values["Title"].strip(),
        pledge_type=values["Type"].strip(),
        kind=values.get("Kind", "").strip() or PledgeKind.SINGLE,
        description=values["Description"].strip(),
        organisation=_organisation(values["Pledger"].strip(), "Pledger"),
        currency=values.get("Currency", "").strip(),
        contact_name=values.get("Contact name", "").strip(),
        contact_email=values.get("Contact email", "").strip(),
    )
    data.partners = [_organisation(v, "Partners") for v in _split(values.get("Partners", ""))]
    numbers = _split(values.get("Objectives", ""))
    for number in numbers:
        if not number.isdigit():
            raise _RowError(
                "Objectives", _("%(value)s is not an objective number.") % {"value": number}
            )
    objectives = list(GcmObjective.objects.filter(number__in=[int(n) for n in numbers]))
    if len(objectives) != len(set(numbers)):
        raise _RowError(
            "Objectives",
            _("The GCM has objectives 1 to 23 only: %(value)s.") % {"value": values["Objectives"]},
        )
    data.objectives = objectives
    letters = [v.lower() for v in _split(values.get("Principles", ""))]
    data.principles = list(GuidingPrinciple.objects.filter(letter__in=letters))
    if len(data.principles) != len(set(letters)):
        raise _RowError(
            "Principles",
            _("The guiding principles are a to j: %(value)s.") % {"value": values["Principles"]},
        )
    codes = [v.lower() for v in _split(values.get("Actions", ""))]
    data.gcm_actions = list(GcmAction.objects.filter(code__in=codes))
    if len(data.gcm_actions) != len(set(codes)):
        raise _RowError(
            "Actions", _("Unknown GCM action code in %(value)s.") % {"value": values["Actions"]}
        )
    matching = values.get("Matching pledge", "").strip()
    if matching:
        data.matching_pledge = (
            earlier.get(matching) or Pledge.objects.filter(reference=matching).first()
        )
        if data.matching_pledge is None:
            raise _RowError(
                "Matching pledge",
                _("The matching pledge %(value)s does not exist.") % {"value": matching},
            )
    amount = values.get("Amount", "").strip()
    if amount:
        try:
            data.amount = Decimal(amount.replace(" ", ""))
        except InvalidOperation as error:
            raise _RowError(
                "Amount", _("%(value)s is not a number.") % {"value": amount}
            ) from error
    country = values.get("Country", "").strip()
    if country:
        data.country = _country_by_m49(country, "Country")
    try:
        pledge_clean(data)
    except ApplicationError as error:
        raise _RowError(
            FIELD_COLUMNS.get(error.extra.get("field", ""), ""), error.message
        ) from error
    return data


def _country_by_m49(value: str, column: str) -> Country:
    code = value.strip()
    country = None
    if code.isdigit() and len(code) <= 3:
        country = Country.objects.filter(m49=code.zfill(3)).first()
    if country is None:
        raise _RowError(column, _("%(value)s is not a UN M49 country code.") % {"value": value})
    return country


def pledges_bulk_upload(
    *, content: bytes, filename: str, actor, publish: bool = False
) -> UploadReport:
    """Load pledges from a CSV or XLSX file with the ``BULK_COLUMNS``.

    All or nothing: every row is checked first; if one is refused, nothing is stored and the
    report says, row by row, which were fine and why the others were refused. With
    ``publish=True`` the pledges are published at once (migrating pledges the secretariat has
    already reviewed elsewhere); otherwise they wait in the review queue as submitted.
    """
    require(actor, "tracking.pledge.bulk_upload", None)
    try:
        table = tables.read_table(content=content, filename=filename)
    except tables.TableError as error:
        report = UploadReport(
            accepted=False,
            rows=[
                RowReport(row=error.row, accepted=False, column=error.column, message=error.message)
            ],
            file_error=error.message,
        )
        report.run = _record_run(filename=filename, actor=actor, report=report, count=0)
        return report
    missing = [c for c in BULK_REQUIRED if c not in table.columns]
    if missing:
        message = _("The column %(column)s is missing.") % {"column": missing[0]}
        report = UploadReport(
            accepted=False,
            rows=[RowReport(row=1, accepted=False, column=missing[0], message=message)],
            file_error=message,
        )
        report.run = _record_run(filename=filename, actor=actor, report=report, count=0)
        return report
    rows: list[RowReport] = []
    try:
        with transaction.atomic():
            earlier: dict[str, Pledge] = {}
            for row_number, values in table.rows:
                try:
                    data = _row_input(values, earlier)
                except _RowError as error:
                    rows.append(RowReport(row_number, False, error.column, error.message))
                    continue
                pledge = pledge_create(data=data, actor=actor, check=False)
                to_states = [pledge_workflow.PledgeState.SUBMITTED]
                if publish:
                    to_states.append(pledge_workflow.PledgeState.PUBLISHED)
                for to in to_states:
                    pledge = pledge_transition(
                        pledge=pledge, to=to, actor=actor, note="bulk upload"
                    )
                earlier[f"row {row_number}"] = pledge
                rows.append(RowReport(row_number, True, reference=pledge.reference))
            if not all(row.accepted for row in rows):
                raise _Rollback()
    except _Rollback:
        for row in rows:
            row.reference = ""
    report = UploadReport(accepted=bool(rows) and all(r.accepted for r in rows), rows=rows)
    report.run = _record_run(filename=filename, actor=actor, report=report, count=len(rows))
    return report


class _Rollback(Exception):
    """Undo every row of an upload when one row is refused."""


@transaction.atomic
def _record_run(*, filename: str, actor, report: UploadReport, count: int) -> ImportRun:
    run = ImportRun.objects.create(
        kind=ImportRun.Kind.PLEDGES,
        filename=filename[:300],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        accepted=report.accepted,
        row_count=count,
        report=report.as_json(),
    )
    audit_record(
        actor=actor,
        action="tracking.pledge.bulk_upload",
        obj=run,
        after={"filename": filename, "accepted": report.accepted, "rows": count},
    )
    return run


def pledge_require_reviewer(actor) -> None:
    """Raise unless the actor may see the secretariat's review queue."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDeniedError(_("You do not have permission to do this."), {})
    require(actor, "tracking.pledge.review", None)
