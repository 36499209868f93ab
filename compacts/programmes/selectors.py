"""Reads of the programme cycle: the template's completeness, budgets, lists, the pipeline, the
balance view, the work queue and the Committee's meetings."""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compacts.actors.selectors import user_organisation_ids
from compacts.core.exceptions import NotFoundError
from compacts.core.permissions import allowed
from compacts.programmes.models import (
    AgendaItem,
    BudgetLine,
    CommitteeMember,
    Meeting,
    Programme,
    StateDeadline,
)
from compacts.programmes.search import ranked
from compacts.programmes.workflows.programme import MACHINE, State

CENT = Decimal("0.01")
MIN_PARTICIPANTS = 2

# The fields of the concept-note template that submission requires, with their labels.
TEXT_FIELDS = {
    "title": _("Title"),
    "scope": _("Scope"),
    "government_partners": _("National government partners"),
    "other_partners": _("Other partners"),
    "gender_justification": _("Justification of the gender marker"),
    "human_rights_justification": _("Justification of the human rights marker"),
    "child_sensitivity_justification": _("Justification of the child-sensitivity marker"),
    "joint_analysis": _("Joint analysis of needs"),
    "theory_of_change": _("Theory of change"),
    "risks": _("Risks"),
}
VALUE_FIELDS = {
    "convening_organisation": _("Convening organisation"),
    "primary_objective": _("Primary GCM objective"),
    "thematic_area": _("Thematic area"),
    "gender_marker": _("Gender marker"),
    "human_rights_marker": _("Human rights marker"),
    "child_sensitivity_marker": _("Child-sensitivity marker"),
    "indicative_budget": _("Indicative budget"),
    "duration_months": _("Duration in months"),
}
MANY_FIELDS = {
    "countries": _("Countries"),
    "guiding_principles": _("Guiding principles"),
    "sdg_targets": _("SDG targets"),
}
PARTICIPANTS_LABEL = _("At least two participating UN organisations")
ENDORSEMENT_LABEL = _("Government endorsement letter")


def concept_note_missing_fields(*, programme: Programme) -> dict[str, str]:
    """Every template field that submission needs and the concept note lacks, by field name,
    with its label (in template order). Empty when the note may be submitted."""
    missing: dict[str, str] = {}
    for name, label in TEXT_FIELDS.items():
        if not str(getattr(programme, name) or "").strip():
            missing[name] = label
    for name, label in VALUE_FIELDS.items():
        if (
            getattr(
                programme,
                f"{name}_id" if name not in {"indicative_budget", "duration_months"} else name,
            )
            is None
        ):
            missing[name] = label
    for name, label in MANY_FIELDS.items():
        if not getattr(programme, name).exists():
            missing[name] = label
    participants = set(programme.participating_organisations.values_list("pk", flat=True))
    if len(participants) < MIN_PARTICIPANTS:
        missing["participating_organisations"] = PARTICIPANTS_LABEL
    elif (
        programme.convening_organisation_id
        and programme.convening_organisation_id not in participants
    ):
        missing["convening_organisation"] = _("Convening organisation (one of the participants)")
    if not programme.attachments.filter(kind="endorsement-letter").exists():
        missing["endorsement_letter"] = ENDORSEMENT_LABEL
    return dict(sorted(missing.items(), key=lambda kv: _FIELD_ORDER.index(kv[0])))


_FIELD_ORDER = [
    "title",
    "scope",
    "countries",
    "participating_organisations",
    "convening_organisation",
    "government_partners",
    "endorsement_letter",
    "other_partners",
    "primary_objective",
    "guiding_principles",
    "thematic_area",
    "sdg_targets",
    "gender_marker",
    "gender_justification",
    "human_rights_marker",
    "human_rights_justification",
    "child_sensitivity_marker",
    "child_sensitivity_justification",
    "indicative_budget",
    "duration_months",
    "joint_analysis",
    "theory_of_change",
    "risks",
]


def isc_amount(direct: Decimal, rate: Decimal) -> Decimal:
    """Indirect support costs on ``direct`` at ``rate``, rounded once half-even to the cent."""
    return (direct * rate).quantize(CENT, rounding=ROUND_HALF_EVEN)


def budget_summary(*, programme: Programme) -> dict:
    """The budget of the joint programme document: direct costs per organisation, per year and
    per category, the indirect support costs of each organisation at the fund's rate, totals."""
    rate = programme.fund.indirect_support_cost_rate
    lines = list(BudgetLine.objects.filter(programme=programme).select_related("organisation"))
    by_org: dict[int, dict] = {}
    years: set[int] = set()
    for line in lines:
        entry = by_org.setdefault(
            line.organisation_id,
            {
                "organisation": line.organisation,
                "direct": Decimal("0.00"),
                "by_year": defaultdict(Decimal),
                "by_category": defaultdict(Decimal),
            },
        )
        entry["direct"] += line.amount
        entry["by_year"][line.year] += line.amount
        entry["by_category"][line.category] += line.amount
        years.add(line.year)
    direct_total = Decimal("0.00")
    isc_total = Decimal("0.00")
    organisations = []
    for entry in sorted(by_org.values(), key=lambda e: e["organisation"].name):
        entry["isc"] = isc_amount(entry["direct"], rate)
        entry["total"] = entry["direct"] + entry["isc"]
        entry["by_year"] = dict(sorted(entry["by_year"].items()))
        entry["by_category"] = dict(entry["by_category"])
        direct_total += entry["direct"]
        isc_total += entry["isc"]
        organisations.append(entry)
    return {
        "rate": rate,
        "years": sorted(years),
        "organisations": organisations,
        "direct_total": direct_total,
        "isc_total": isc_total,
        "total": direct_total + isc_total,
        "lines": lines,
    }


def document_problems(*, programme: Programme) -> list[str]:
    """Why the joint programme document cannot be submitted yet (empty when it can)."""
    problems: list[str] = []
    participants = set(programme.participating_organisations.values_list("pk", flat=True))
    if len(participants) < MIN_PARTICIPANTS:
        problems.append(
            str(_("A joint programme needs at least two participating UN organisations."))
        )
    budget_orgs = set(
        BudgetLine.objects.filter(programme=programme).values_list("organisation_id", flat=True)
    )
    if not budget_orgs:
        problems.append(str(_("The budget has no lines.")))
    elif budget_orgs != participants:
        problems.append(
            str(_("Every participating organisation, and only they, needs budget lines."))
        )
    if not hasattr(programme, "outcomes") or not programme.outcomes.exists():
        problems.append(str(_("The results framework has no outcome.")))
    if not programme.work_plan.exists():
        problems.append(str(_("The work plan has no activity.")))
    if not programme.risk_log.exists():
        problems.append(str(_("The risk log is empty.")))
    if not programme.monitoring_plan.strip():
        problems.append(str(_("The monitoring plan is empty.")))
    return problems


def programme_list(
    *, state: str = "", search: str = "", organisation_ids: set[int] | None = None
) -> models.QuerySet[Programme]:
    """Programmes, optionally in one state, or of the given organisations (submitting or
    participating), by code. With ``search``, only those matching it, in rank order (best first,
    annotated ``rank``): full-text search over code and title, joint analysis and theory of
    change, partners, risks and country names, with the database's own engine
    (``programmes/search.py``). The public gateway calls this for programme search."""
    queryset = Programme.objects.select_related(
        "fund", "thematic_area", "primary_objective", "submitting_organisation"
    ).order_by("code")
    if state:
        queryset = queryset.filter(state=state)
    if organisation_ids is not None:
        queryset = queryset.filter(
            pk__in=Programme.objects.filter(
                models.Q(submitting_organisation_id__in=organisation_ids)
                | models.Q(participating_organisations__in=organisation_ids)
            ).values("pk")
        )
    search = (search or "").strip()
    if search:
        queryset = ranked(queryset, search)
    return queryset


def programme_visible_to(user, programme: Programme) -> bool:
    return allowed(user, "programmes.programme.view", programme)


def programme_list_for_user(
    *, user, state: str = "", search: str = ""
) -> models.QuerySet[Programme]:
    """What ``user`` may see: everything past the draft stage for everyone signed in with a
    fund role, and drafts only to their own organisations (see ``permissions.py``)."""
    queryset = programme_list(state=state, search=search)
    if allowed(user, "programmes.programme.view-all"):
        return queryset
    own = user_organisation_ids(user)
    # A subquery, not a join: the ranked order and the rows stay as they are, without duplicates.
    visible = Programme.objects.filter(
        ~models.Q(state__in=[State.DRAFT, State.REVISION_REQUESTED])
        | models.Q(submitting_organisation_id__in=own)
        | models.Q(participating_organisations__in=own)
    ).values("pk")
    return queryset.filter(pk__in=visible)


def programme_get(*, programme_id: int) -> Programme:
    programme = (
        Programme.objects.select_related(
            "fund",
            "call",
            "thematic_area",
            "primary_objective",
            "convening_organisation",
            "submitting_organisation",
            "gender_marker",
            "human_rights_marker",
            "child_sensitivity_marker",
        )
        .filter(pk=programme_id)
        .first()
    )
    if programme is None:
        raise NotFoundError(str(_("There is no programme %(id)s.")) % {"id": programme_id})
    return programme


def programme_get_for_user(*, user, programme_id: int) -> Programme:
    """The programme, if ``user`` may see it; otherwise ``NotFoundError`` (a draft of another
    organisation does not reveal that it exists)."""
    programme = programme_get(programme_id=programme_id)
    if not programme_visible_to(user, programme):
        raise NotFoundError(str(_("There is no programme %(id)s.")) % {"id": programme_id})
    return programme


def allowed_next_states(*, programme: Programme) -> list[str]:
    return [str(s) for s in MACHINE.targets(programme.state)]


def allowed_next_states_for_user(*, user, programme: Programme) -> list[str]:
    """The moves from the current state that ``user`` holds a role for (guards not evaluated)."""
    return [
        to
        for to in MACHINE.targets(programme.state)
        if allowed(user, f"programmes.programme.{programme.state}.{to}", programme)
    ]


def programme_transition_list(*, programme: Programme):
    return programme.transitions.select_related("actor").order_by("at", "pk")


def pipeline(*, fund=None) -> list[Programme]:
    """Endorsed, not yet funded programmes in the Committee's order of priority."""
    queryset = (
        Programme.objects.filter(state=State.ENDORSED)
        .select_related("thematic_area", "primary_objective", "fund")
        .prefetch_related("countries__region", "participating_organisations", "other_objectives")
        .order_by(models.F("pipeline_priority").asc(nulls_last=True), "code")
    )
    if fund is not None:
        queryset = queryset.filter(fund=fund)
    return list(queryset)


PIPELINE_STATES = {State.ENDORSED, State.INVITED, State.DOCUMENT_SUBMITTED, State.TECHNICAL_REVIEW}
FUNDED = {State.APPROVED, State.ACTIVE, State.OPERATIONALLY_CLOSED, State.FINANCIALLY_CLOSED}


def balance(*, fund=None) -> dict[str, list[dict]]:
    """Pipeline and funded programmes (count and budget) by thematic area, primary GCM
    objective and region: the fund's "geographic and thematic balance"."""
    queryset = (
        Programme.objects.filter(state__in=PIPELINE_STATES | FUNDED)
        .select_related("thematic_area", "primary_objective")
        .prefetch_related("countries__region")
    )
    if fund is not None:
        queryset = queryset.filter(fund=fund)
    groups: dict[str, dict[str, dict]] = {"thematic_area": {}, "objective": {}, "region": {}}

    def add(group: str, key: str, label: str, programme: Programme) -> None:
        row = groups[group].setdefault(
            key,
            {
                "key": key,
                "label": label,
                "pipeline": 0,
                "funded": 0,
                "pipeline_budget": Decimal("0.00"),
                "funded_budget": Decimal("0.00"),
            },
        )
        kind = "funded" if programme.state in FUNDED else "pipeline"
        row[kind] += 1
        row[f"{kind}_budget"] += programme.indicative_budget or Decimal("0.00")

    for programme in queryset:
        area = programme.thematic_area
        add("thematic_area", area.code if area else "-", area.name if area else "—", programme)
        objective = programme.primary_objective
        add(
            "objective",
            f"{objective.number:02d}" if objective else "-",
            f"{objective.number}. {objective.short_label or objective.title}" if objective else "—",
            programme,
        )
        regions = {c.region for c in programme.countries.all() if c.region_id} or {None}
        for region in regions:
            add(
                "region",
                region.m49 if region else "-",
                region.name if region else _("Global"),
                programme,
            )
    return {name: sorted(rows.values(), key=lambda r: r["key"]) for name, rows in groups.items()}


def work_queue() -> list[dict]:
    """The Management Unit's queue: programmes waiting on it, by state, with the due date that
    the state's deadline (``StateDeadline``) gives from the last move."""
    deadlines = dict(StateDeadline.objects.values_list("state", "days"))
    waiting = [
        State.SUBMITTED,
        State.ELIGIBLE,
        State.DOCUMENT_SUBMITTED,
        State.TECHNICAL_REVIEW,
        State.ENDORSED,
        State.APPROVED,
    ]
    programmes = (
        Programme.objects.filter(state__in=waiting)
        .select_related("submitting_organisation")
        .annotate(moved_at=models.Max("transitions__at"))
        .order_by("state", "moved_at", "code")
    )
    today = timezone.localdate()
    queue: dict[str, dict] = {s: {"state": State(s), "items": []} for s in waiting}
    for programme in programmes:
        since = (programme.moved_at or programme.created_at).date()
        days = deadlines.get(programme.state)
        due = since + datetime.timedelta(days=days) if days is not None else None
        queue[programme.state]["items"].append(
            {
                "programme": programme,
                "since": since,
                "due": due,
                "overdue": bool(due and due < today),
            }
        )
    return [group for group in queue.values() if group["items"]]


def meeting_list() -> models.QuerySet[Meeting]:
    return (
        Meeting.objects.select_related("quorum_rule")
        .prefetch_related("items")
        .order_by("-held_on", "pk")
    )


def meeting_get(*, meeting_id: int) -> Meeting:
    meeting = Meeting.objects.select_related("quorum_rule").filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFoundError(str(_("There is no meeting %(id)s.")) % {"id": meeting_id})
    return meeting


def meeting_present_members(*, meeting: Meeting) -> list[CommitteeMember]:
    return [
        a.member
        for a in meeting.attendance.filter(present=True).select_related(
            "member__user", "member__constituency", "member__organisation"
        )
    ]


def quorum_problems(*, meeting: Meeting) -> list[str]:
    """Why the meeting cannot decide under its quorum rule (empty when it can)."""
    rule = meeting.quorum_rule
    present = meeting_present_members(meeting=meeting)
    problems = []
    if len(present) < rule.minimum_members:
        problems.append(
            str(_("%(present)s members present, the quorum is %(minimum)s."))
            % {"present": len(present), "minimum": rule.minimum_members}
        )
    constituencies = {m.constituency_id for m in present}
    if len(constituencies) < rule.minimum_constituencies:
        problems.append(
            str(_("%(present)s constituencies represented, the quorum is %(minimum)s."))
            % {"present": len(constituencies), "minimum": rule.minimum_constituencies}
        )
    if rule.chair_required and not any(m.is_chair for m in present):
        problems.append(str(_("The chair is not present.")))
    return problems


def meeting_pack(*, meeting: Meeting) -> list[dict]:
    """Each agenda item with what the Committee needs: the programme's summary, its latest
    screening, its technical reviews with scores, conflicts declared and the decision."""
    items = (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("programme__thematic_area", "programme__primary_objective")
        .prefetch_related("conflicts__member__user")
        .order_by("order")
    )
    pack = []
    for item in items:
        programme = item.programme
        entry = {
            "item": item,
            "programme": programme,
            "screening": None,
            "reviews": [],
            "decision": getattr(item, "decision", None) if hasattr(item, "decision") else None,
        }
        if programme is not None:
            entry["screening"] = programme.screenings.prefetch_related("answers__item").first()
            entry["reviews"] = list(
                programme.technical_reviews.filter(submitted_at__isnull=False)
                .select_related("reviewer")
                .prefetch_related("scores__criterion")
            )
            entry["budget"] = programme.indicative_budget
        pack.append(entry)
    return pack


def committee_member_for_user(*, user) -> CommitteeMember | None:
    today = timezone.localdate()
    return (
        CommitteeMember.objects.filter(user=user, term_starts_on__lte=today)
        .filter(models.Q(term_ends_on__isnull=True) | models.Q(term_ends_on__gte=today))
        .first()
    )


def programme_money(*, programme: Programme) -> dict:
    """The programme's money as the fund's ledger has it: per allocation, the amount allocated,
    the amount transferred and the expenditure reported against it (from postings), and the
    tranches."""
    from compacts.fund.selectors import allocation_transferred, expenditure_by_allocation

    rows = []
    allocated = transferred = spent = Decimal("0.00")
    tranches = list(programme.tranches.select_related("allocation__organisation", "posting"))
    allocations = {t.allocation_id: t.allocation for t in tranches}
    expenditure = expenditure_by_allocation(allocation_ids=list(allocations)) if allocations else {}
    for allocation in sorted(allocations.values(), key=lambda a: a.organisation.name):
        sent = allocation_transferred(allocation=allocation)
        used = expenditure.get(allocation.pk, Decimal("0.00"))
        rows.append({"allocation": allocation, "transferred": sent, "spent": used})
        allocated += allocation.amount
        transferred += sent
        spent += used
    return {
        "allocations": rows,
        "allocated": allocated,
        "transferred": transferred,
        "spent": spent,
        "tranches": tranches,
    }


def committee_members_on(*, on: datetime.date) -> list[CommitteeMember]:
    """Members whose term covers ``on`` (who may attend a meeting held that day)."""
    return list(
        CommitteeMember.objects.filter(term_starts_on__lte=on)
        .filter(models.Q(term_ends_on__isnull=True) | models.Q(term_ends_on__gte=on))
        .select_related("user", "constituency", "organisation")
        .order_by("constituency__sort_order", "pk")
    )


def budget_years(*, programme: Programme) -> list[int]:
    """The years a budget form offers: the programme's years (from its dates, or from today and
    its duration while it is a proposal) and any year already budgeted."""
    if programme.starts_on and programme.ends_on:
        first, last = programme.starts_on.year, programme.ends_on.year
    else:
        first = timezone.localdate().year
        last = first + max(0, ((programme.duration_months or 12) - 1) // 12)
    budgeted = set(BudgetLine.objects.filter(programme=programme).values_list("year", flat=True))
    return sorted(set(range(first, last + 1)) | budgeted)


def budget_grid(*, programme: Programme, posted: dict[str, str] | None = None) -> dict:
    """The budget as a form: for each participating organisation, one row per UNSDG category and
    one cell per year, named ``amount-<organisation>-<year>-<category>``, holding the saved
    amount or, after a refused save, what the person typed (``posted``)."""
    from compacts.programmes.models import BudgetCategory

    saved = {
        f"amount-{line.organisation_id}-{line.year}-{line.category}": str(line.amount)
        for line in BudgetLine.objects.filter(programme=programme)
    }
    values = {**saved, **(posted or {})}
    years = budget_years(programme=programme)
    organisations = []
    for organisation in programme.participating_organisations.order_by("name"):
        rows = []
        for category, label in BudgetCategory.choices:
            cells = []
            for year in years:
                name = f"amount-{organisation.pk}-{year}-{category}"
                cells.append({"year": year, "name": name, "value": values.get(name, "")})
            rows.append({"category": category, "label": label, "cells": cells})
        organisations.append({"organisation": organisation, "rows": rows})
    return {"years": years, "organisations": organisations}


def budget_lines_from_form(data) -> tuple[list[dict], dict[str, str]]:
    """The budget lines a grid form posted (empty cells are no line), and the raw cells to show
    again if the save is refused."""
    lines, raw = [], {}
    for name, value in data.items():
        if not name.startswith("amount-"):
            continue
        raw[name] = value
        value = (value or "").strip().replace(",", "")
        if not value:
            continue
        parts = name.split("-", 3)
        if len(parts) != 4:
            continue
        _prefix, organisation, year, category = parts
        lines.append(
            {"organisation": organisation, "year": year, "category": category, "amount": value}
        )
    return lines, raw


def programme_events(*, programme: Programme):
    """Budget revisions and no-cost extensions, requested and decided, newest first."""
    return programme.events.select_related("requested_by", "actor").order_by("-created_at", "-pk")
