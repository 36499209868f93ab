"""Writes for the review cycle's reference rows that facts.md marks provisional or uncertain:
IMRF editions, their round tables (the clusters of objectives), the UN regional commissions and
their regional reviews, and GCR pledge stages.

``reference.py`` creates them once and never overwrites an edited row; from then on the Network
secretariat keeps them here (pages under ``review-cycle/reference/``). Each service checks
``tracking.cycle.manage``, validates, writes, audits (before and after) and announces the change,
since the review cycle page, the reports and the GCR pledges show these rows to the public.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compacts.core.changes import announce
from compacts.core.exceptions import ApplicationError, ConflictError
from compacts.core.permissions import require
from compacts.core.services import audit_record, model_values
from compacts.tracking.models import (
    GcrPledgeStage,
    ImrfEdition,
    ReferenceStatus,
    RegionalCommission,
    RegionalReview,
    RoundTable,
)
from compacts.tracking.services.workflow import lock

MANAGE = "tracking.cycle.manage"
#: The languages a stage's name is translated into, besides English (``names`` keys).
STAGE_LANGUAGES = ["fr", "es", "ar", "zh-hans", "ru"]
#: The same languages for any translated reference name (``names`` keys).
NAME_LANGUAGES = STAGE_LANGUAGES


def _field_error(message: str, name: str) -> ApplicationError:
    return ApplicationError(message, {"field": name})


def _status_check(status: str) -> None:
    if status not in ReferenceStatus.values:
        raise _field_error(_("Choose confirmed or provisional."), "status")


def _audited_save(*, obj, fields: list[str], before: dict | None, action: str, actor) -> None:
    """Save ``fields`` of an existing row (or nothing when no value changed), audit and announce."""
    after = model_values(obj, fields)
    if before is not None and after == before:
        return
    if before is None:
        obj.save()
    else:
        obj.save(update_fields=[*fields, "updated_at"])
    audit_record(actor=actor, action=action, obj=obj, before=before, after=after)
    announce("tracking", reference=f"{type(obj).__name__}:{obj.pk}")


# --- IMRF editions --------------------------------------------------------------------------


@dataclass
class ImrfEditionInput:
    year: int
    title: str
    status: str = ReferenceStatus.PROVISIONAL
    starts_on: date | None = None
    ends_on: date | None = None
    place: str = ""
    source_note: str = ""


EDITION_FIELDS = ["year", "title", "starts_on", "ends_on", "place", "status", "source_note"]


def imrf_edition_clean(data: ImrfEditionInput, *, pk: int | None = None) -> None:
    """A year from 2022 (the first IMRF, GCM para 49) not taken by another edition, a title,
    dates in order, a known status."""
    if data.year is None or data.year < 2022 or data.year > 2100:
        raise _field_error(_("Give a year from 2022 to 2100."), "year")
    if ImrfEdition.objects.filter(year=data.year).exclude(pk=pk).exists():
        raise ConflictError(
            _("There is already an IMRF in %(year)s.") % {"year": data.year}, {"field": "year"}
        )
    if not data.title.strip():
        raise _field_error(_("A title is required."), "title")
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise _field_error(_("The last day cannot be before the first."), "ends_on")
    if data.ends_on and not data.starts_on:
        raise _field_error(_("Give the first day too."), "starts_on")
    _status_check(data.status)


def _set_edition(edition: ImrfEdition, data: ImrfEditionInput) -> None:
    edition.year, edition.title, edition.status = data.year, data.title.strip(), data.status
    edition.starts_on, edition.ends_on = data.starts_on, data.ends_on
    edition.place, edition.source_note = data.place.strip(), data.source_note.strip()


@transaction.atomic
def imrf_edition_create(*, data: ImrfEditionInput, actor) -> ImrfEdition:
    """Add an International Migration Review Forum (the secretariat)."""
    require(actor, MANAGE, None)
    imrf_edition_clean(data)
    edition = ImrfEdition()
    _set_edition(edition, data)
    _audited_save(
        obj=edition, fields=EDITION_FIELDS, before=None, action="tracking.imrf_edition.create",
        actor=actor,
    )  # fmt: skip
    return edition


@transaction.atomic
def imrf_edition_update(*, edition: ImrfEdition, data: ImrfEditionInput, actor) -> ImrfEdition:
    """Correct an IMRF's year, title, dates, place, source, or mark it confirmed."""
    edition = lock(ImrfEdition, edition.pk)
    require(actor, MANAGE, edition)
    imrf_edition_clean(data, pk=edition.pk)
    before = model_values(edition, EDITION_FIELDS)
    _set_edition(edition, data)
    _audited_save(
        obj=edition, fields=EDITION_FIELDS, before=before, action="tracking.imrf_edition.update",
        actor=actor,
    )  # fmt: skip
    return edition


# --- Round tables ---------------------------------------------------------------------------


@dataclass
class RoundTableInput:
    number: int
    objectives: list = field(default_factory=list)
    title: str = ""
    status: str = ReferenceStatus.PROVISIONAL
    source_note: str = ""


ROUND_TABLE_FIELDS = ["number", "title", "status", "source_note"]


def round_table_clean(
    data: RoundTableInput, *, edition: ImrfEdition, pk: int | None = None
) -> None:
    """A number from 1 not taken in the edition, at least one objective, and no objective that
    another round table of the edition already reviews (the clusters share none)."""
    if data.number is None or data.number < 1 or data.number > 20:
        raise _field_error(_("Give a number from 1 to 20."), "number")
    others = RoundTable.objects.filter(edition=edition).exclude(pk=pk)
    if others.filter(number=data.number).exists():
        raise ConflictError(
            _("%(edition)s already has a round table %(number)s.")
            % {"edition": edition.title, "number": data.number},
            {"field": "number"},
        )
    if not data.objectives:
        raise _field_error(_("Choose the objectives the round table reviews."), "objectives")
    taken = (
        others.filter(objectives__in=data.objectives)
        .values_list("objectives__number", "number")
        .order_by("objectives__number")
        .distinct()
    )
    if taken:
        raise _field_error(
            _("Already in another round table: %(list)s.")
            % {
                "list": ", ".join(
                    _("objective %(objective)s (round table %(number)s)")
                    % {"objective": objective, "number": number}
                    for objective, number in taken
                )
            },
            "objectives",
        )
    _status_check(data.status)


def _round_table_values(table: RoundTable) -> dict:
    values = model_values(table, ROUND_TABLE_FIELDS)
    values["objectives"] = sorted(table.objectives.values_list("number", flat=True))
    return values


def _set_round_table(table: RoundTable, data: RoundTableInput) -> None:
    table.number, table.title, table.status = data.number, data.title.strip(), data.status
    table.source_note = data.source_note.strip()


@transaction.atomic
def round_table_create(*, edition: ImrfEdition, data: RoundTableInput, actor) -> RoundTable:
    """Add a round table to an IMRF, with the cluster of objectives it reviews."""
    edition = lock(ImrfEdition, edition.pk)
    require(actor, MANAGE, edition)
    round_table_clean(data, edition=edition)
    table = RoundTable(edition=edition)
    _set_round_table(table, data)
    table.save()
    table.objectives.set(data.objectives)
    audit_record(
        actor=actor, action="tracking.round_table.create", obj=table,
        after={"edition": edition.year, **_round_table_values(table)},
    )  # fmt: skip
    announce("tracking", reference=f"RoundTable:{table.pk}")
    return table


@transaction.atomic
def round_table_update(*, table: RoundTable, data: RoundTableInput, actor) -> RoundTable:
    """Correct a round table's number, title, cluster of objectives, source or status; its IMRF
    does not change."""
    table = lock(RoundTable, table.pk)
    require(actor, MANAGE, table)
    lock(ImrfEdition, table.edition_id)  # two edits of one edition's clusters queue up
    round_table_clean(data, edition=table.edition, pk=table.pk)
    before = _round_table_values(table)
    _set_round_table(table, data)
    table.save(update_fields=[*ROUND_TABLE_FIELDS, "updated_at"])
    table.objectives.set(data.objectives)
    after = _round_table_values(table)
    if after != before:
        audit_record(
            actor=actor, action="tracking.round_table.update", obj=table, before=before,
            after=after,
        )  # fmt: skip
        announce("tracking", reference=f"RoundTable:{table.pk}")
    return table


@transaction.atomic
def round_table_delete(*, table: RoundTable, actor) -> None:
    """Delete a round table entered by mistake (the secretariat); its objectives are then
    reviewed by no round table until another one takes them.

    No record refers to a round table (only its own cluster of objectives does, removed with
    it), so nothing can block the deletion; the audit record keeps what it was.
    """
    table = lock(RoundTable, table.pk)
    require(actor, MANAGE, table)
    lock(ImrfEdition, table.edition_id)
    before = {"edition": table.edition.year, **_round_table_values(table)}
    audit_record(actor=actor, action="tracking.round_table.delete", obj=table, before=before)
    announce("tracking", reference=f"RoundTable:{table.pk}")
    table.delete()


# --- Regional commissions and regional reviews -----------------------------------------------


def _names(names: dict[str, str]) -> dict[str, str]:
    return {
        language: names[language].strip()
        for language in NAME_LANGUAGES
        if (names.get(language) or "").strip()
    }


@dataclass
class RegionalCommissionInput:
    name: str
    names: dict[str, str] = field(default_factory=dict)
    status: str = ReferenceStatus.PROVISIONAL
    code: str = ""  # only when creating: the API and the review cycle page show it


COMMISSION_FIELDS = ["code", "name", "names", "status"]


def regional_commission_clean(data: RegionalCommissionInput, *, pk: int | None = None) -> None:
    """When creating, a code of 2 to 10 capital letters not taken by another commission; a name;
    a known status."""
    import re

    if pk is None:
        if not re.fullmatch(r"[A-Z]{2,10}", data.code or ""):
            raise _field_error(
                _("Use 2 to 10 capital letters, for example ESCAP."), "code"
            )  # fmt: skip
        if RegionalCommission.objects.filter(code=data.code).exists():
            raise ConflictError(
                _("There is already a commission %(code)s.") % {"code": data.code},
                {"field": "code"},
            )
    if not data.name.strip():
        raise _field_error(_("A name is required."), "name")
    _status_check(data.status)


@transaction.atomic
def regional_commission_create(*, data: RegionalCommissionInput, actor) -> RegionalCommission:
    """Add a UN regional commission that convenes regional reviews (the secretariat)."""
    require(actor, MANAGE, None)
    regional_commission_clean(data)
    commission = RegionalCommission(
        code=data.code, name=data.name.strip(), names=_names(data.names), status=data.status
    )
    _audited_save(
        obj=commission, fields=COMMISSION_FIELDS, before=None,
        action="tracking.regional_commission.create", actor=actor,
    )  # fmt: skip
    return commission


@transaction.atomic
def regional_commission_update(
    *, commission: RegionalCommission, data: RegionalCommissionInput, actor
) -> RegionalCommission:
    """Rename a commission, in English or in the other five languages, or mark it confirmed;
    its code does not change."""
    commission = lock(RegionalCommission, commission.pk)
    require(actor, MANAGE, commission)
    regional_commission_clean(data, pk=commission.pk)
    before = model_values(commission, COMMISSION_FIELDS)
    commission.name, commission.names = data.name.strip(), _names(data.names)
    commission.status = data.status
    _audited_save(
        obj=commission, fields=COMMISSION_FIELDS, before=before,
        action="tracking.regional_commission.update", actor=actor,
    )  # fmt: skip
    return commission


@dataclass
class RegionalReviewInput:
    round: int
    year: int
    status: str = ReferenceStatus.PROVISIONAL
    starts_on: date | None = None
    ends_on: date | None = None
    place: str = ""
    source_note: str = ""


REVIEW_FIELDS = ["round", "year", "starts_on", "ends_on", "place", "status", "source_note"]


def regional_review_clean(
    data: RegionalReviewInput, *, commission: RegionalCommission, pk: int | None = None
) -> None:
    """A round from 1 not taken by another review of the commission, a year from 2020 (the
    first round, GCM para 50), the first and last days in order and in that year, a known
    status."""
    if data.round is None or data.round < 1 or data.round > 30:
        raise _field_error(_("Give a round from 1 to 30."), "round")
    taken = RegionalReview.objects.filter(commission=commission, round=data.round).exclude(pk=pk)
    if taken.exists():
        raise ConflictError(
            _("%(commission)s already has a review in round %(round)s.")
            % {"commission": commission.code, "round": data.round},
            {"field": "round"},
        )
    if data.year is None or data.year < 2020 or data.year > 2100:
        raise _field_error(_("Give a year from 2020 to 2100."), "year")
    if data.starts_on and data.starts_on.year != data.year:
        raise _field_error(
            _("The first day must be in %(year)s, the review's year.") % {"year": data.year},
            "starts_on",
        )
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise _field_error(_("The last day cannot be before the first."), "ends_on")
    if data.ends_on and not data.starts_on:
        raise _field_error(_("Give the first day too."), "starts_on")
    _status_check(data.status)


def _set_review(review: RegionalReview, data: RegionalReviewInput) -> None:
    review.round, review.year, review.status = data.round, data.year, data.status
    review.starts_on, review.ends_on = data.starts_on, data.ends_on
    review.place, review.source_note = data.place.strip(), data.source_note.strip()


@transaction.atomic
def regional_review_create(
    *, commission: RegionalCommission, data: RegionalReviewInput, actor
) -> RegionalReview:
    """Add a regional review convened by a commission (the secretariat)."""
    commission = lock(RegionalCommission, commission.pk)
    require(actor, MANAGE, commission)
    regional_review_clean(data, commission=commission)
    review = RegionalReview(commission=commission)
    _set_review(review, data)
    review.save()
    audit_record(
        actor=actor, action="tracking.regional_review.create", obj=review,
        after={"commission": commission.code, **model_values(review, REVIEW_FIELDS)},
    )  # fmt: skip
    announce("tracking", reference=f"RegionalReview:{review.pk}")
    return review


@transaction.atomic
def regional_review_update(
    *, review: RegionalReview, data: RegionalReviewInput, actor
) -> RegionalReview:
    """Correct a regional review's round, year, dates, place, source, or mark it confirmed; its
    commission does not change (national reviews, registrations and submissions refer to it)."""
    review = lock(RegionalReview, review.pk)
    require(actor, MANAGE, review)
    lock(RegionalCommission, review.commission_id)  # two edits of one commission's rounds queue
    regional_review_clean(data, commission=review.commission, pk=review.pk)
    before = model_values(review, REVIEW_FIELDS)
    _set_review(review, data)
    _audited_save(
        obj=review, fields=REVIEW_FIELDS, before=before,
        action="tracking.regional_review.update", actor=actor,
    )  # fmt: skip
    return review


# --- Deleting a commission or a review ---------------------------------------------------------


def _dependents(obj) -> dict[str, int]:
    """How many rows of each model point at ``obj`` (every foreign key to its model, whatever
    its ``on_delete``): ``{"NationalReview": 2, ...}``, only the models with any."""
    counts = {}
    for relation in type(obj)._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one):
            continue
        model = relation.related_model
        count = model._base_manager.filter(**{relation.field.name: obj}).count()
        if count:
            counts[model.__name__] = counts.get(model.__name__, 0) + count
    return counts


def _dependent_phrase(name: str, count: int) -> str:
    """``count`` rows of the model ``name`` in words ("2 national reviews")."""
    phrases = {
        "RegionalReview": ngettext(
            "%(count)s regional review", "%(count)s regional reviews", count
        ),
        "NationalReview": ngettext(
            "%(count)s national review", "%(count)s national reviews", count
        ),
        "StakeholderRegistration": ngettext(
            "%(count)s stakeholder registration", "%(count)s stakeholder registrations", count
        ),
        "WrittenSubmission": ngettext(
            "%(count)s written submission", "%(count)s written submissions", count
        ),
    }
    phrase = phrases.get(name) or ngettext(
        "%(count)s other record", "%(count)s other records", count
    )
    return phrase % {"count": count}


def regional_commission_delete_clean(commission: RegionalCommission) -> None:
    """A commission can go only when no regional review (nor any other row) refers to it:
    ``ConflictError`` naming what still does, with the counts in ``extra["dependents"]``."""
    dependents = _dependents(commission)
    if dependents:
        raise ConflictError(
            _(
                "The commission %(code)s cannot be deleted: it is referred to by %(list)s. "
                "Delete or move those first; nothing was deleted."
            )
            % {
                "code": commission.code,
                "list": ", ".join(_dependent_phrase(n, c) for n, c in dependents.items()),
            },
            {"dependents": dependents},
        )


def regional_review_delete_clean(review: RegionalReview) -> None:
    """A regional review can go only when no national review, stakeholder registration or
    written submission (nor any other row) refers to it: ``ConflictError`` naming what still
    does, with the counts in ``extra["dependents"]``."""
    dependents = _dependents(review)
    if dependents:
        raise ConflictError(
            _(
                "The review by %(code)s, round %(round)s, cannot be deleted: it is referred to "
                "by %(list)s. Delete or move those first; nothing was deleted."
            )
            % {
                "code": review.commission.code,
                "round": review.round,
                "list": ", ".join(_dependent_phrase(n, c) for n, c in dependents.items()),
            },
            {"dependents": dependents},
        )


def _delete(obj, *, action: str, before: dict, actor) -> None:
    """Audit (what it was), announce and delete ``obj``; a row that something still protects
    (added between the check and the delete) is refused the same way, and the transaction
    rolls the audit record back."""
    audit_record(actor=actor, action=action, obj=obj, before=before)
    announce("tracking", reference=f"{type(obj).__name__}:{obj.pk}")
    try:
        obj.delete()
    except (ProtectedError, RestrictedError) as error:
        raise ConflictError(
            _("Other records still refer to it; nothing was deleted."),
            {"dependents": {type(o).__name__: 1 for o in error.args[1]}},
        ) from error


@transaction.atomic
def regional_commission_delete(*, commission: RegionalCommission, actor) -> None:
    """Delete a commission entered by mistake (the secretariat). Refused, with nothing changed,
    while a regional review (or any other row) refers to it; the audit record keeps what it
    was."""
    commission = lock(RegionalCommission, commission.pk)
    require(actor, MANAGE, commission)
    regional_commission_delete_clean(commission)
    _delete(
        commission, action="tracking.regional_commission.delete", actor=actor,
        before=model_values(commission, COMMISSION_FIELDS),
    )  # fmt: skip


@transaction.atomic
def regional_review_delete(*, review: RegionalReview, actor) -> None:
    """Delete a regional review entered by mistake (the secretariat). Refused, with nothing
    changed, while a national review, a stakeholder registration or a written submission (or
    any other row) refers to it; the audit record keeps what it was."""
    review = lock(RegionalReview, review.pk)
    require(actor, MANAGE, review)
    lock(RegionalCommission, review.commission_id)
    regional_review_delete_clean(review)
    _delete(
        review, action="tracking.regional_review.delete", actor=actor,
        before={"commission": review.commission.code, **model_values(review, REVIEW_FIELDS)},
    )  # fmt: skip


# --- GCR pledge stages ----------------------------------------------------------------------


@dataclass
class GcrPledgeStageInput:
    name: str
    sort_order: int = 0
    status: str = ReferenceStatus.PROVISIONAL
    names: dict[str, str] = field(default_factory=dict)
    code: str = ""  # only when creating: pledges' updates and the API refer to it


STAGE_FIELDS = ["code", "name", "names", "sort_order", "status"]


def gcr_pledge_stage_clean(data: GcrPledgeStageInput, *, pk: int | None = None) -> None:
    """A name, an order from 0, a known status; when creating, a code (lower-case letters,
    digits and hyphens) not taken by another stage."""
    from django.core.validators import slug_re

    if pk is None:
        if not slug_re.fullmatch(data.code or ""):
            raise _field_error(
                _("Use lower-case letters, digits and hyphens, for example in-progress."), "code"
            )
        if GcrPledgeStage.objects.filter(code=data.code).exists():
            raise ConflictError(
                _("There is already a stage %(code)s.") % {"code": data.code}, {"field": "code"}
            )
    if not data.name.strip():
        raise _field_error(_("A name is required."), "name")
    if data.sort_order is None or data.sort_order < 0 or data.sort_order > 1000:
        raise _field_error(_("Give an order from 0 to 1000."), "sort_order")
    _status_check(data.status)


def _set_stage(stage: GcrPledgeStage, data: GcrPledgeStageInput) -> None:
    stage.name, stage.sort_order, stage.status = data.name.strip(), data.sort_order, data.status
    stage.names = _names(data.names)


@transaction.atomic
def gcr_pledge_stage_create(*, data: GcrPledgeStageInput, actor) -> GcrPledgeStage:
    """Add a stage of progress for GCR pledges (the secretariat)."""
    require(actor, MANAGE, None)
    gcr_pledge_stage_clean(data)
    stage = GcrPledgeStage(code=data.code)
    _set_stage(stage, data)
    _audited_save(
        obj=stage, fields=STAGE_FIELDS, before=None, action="tracking.gcr_pledge_stage.create",
        actor=actor,
    )  # fmt: skip
    return stage


@transaction.atomic
def gcr_pledge_stage_update(
    *, stage: GcrPledgeStage, data: GcrPledgeStageInput, actor
) -> GcrPledgeStage:
    """Rename a stage (in any of the six languages), reorder it, or mark it confirmed; its code
    does not change."""
    stage = lock(GcrPledgeStage, stage.pk)
    require(actor, MANAGE, stage)
    gcr_pledge_stage_clean(data, pk=stage.pk)
    before = model_values(stage, STAGE_FIELDS)
    _set_stage(stage, data)
    _audited_save(
        obj=stage, fields=STAGE_FIELDS, before=before, action="tracking.gcr_pledge_stage.update",
        actor=actor,
    )  # fmt: skip
    return stage
