"""Writes of the network app. Every service is keyword-only, atomic and audited; states change only
through the ``<entity>_transition`` services, driven by the tables in ``network/workflows``."""

import datetime
import logging
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from compacts.actors.models import Organisation
from compacts.core.changes import announce
from compacts.core.exceptions import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)
from compacts.core.permissions import require
from compacts.core.services import audit_record, model_values
from compacts.framework.models import Country, GcmObjective, GuidingPrinciple, Region, SdgIndicator
from compacts.network import search
from compacts.network.models import (
    Achievement,
    Attachment,
    CallForPractices,
    ChampionCountry,
    Comment,
    CountryNetwork,
    Deliverable,
    Event,
    FocalPoint,
    NetworkMember,
    PilotFeedback,
    Practice,
    Registration,
    Resource,
    StateChange,
    SupportRequest,
    Term,
    WorkingGroup,
    WorkingGroupMember,
    WorkplanActivity,
)
from compacts.network.permissions import actor_relations
from compacts.network.validation import attachment_problem, practice_missing_fields
from compacts.network.workflows import Machine
from compacts.network.workflows import activity as activity_flow
from compacts.network.workflows import call as call_flow
from compacts.network.workflows import comment as comment_flow
from compacts.network.workflows import country_network as country_network_flow
from compacts.network.workflows import deliverable as deliverable_flow
from compacts.network.workflows import event as event_flow
from compacts.network.workflows import practice as practice_flow
from compacts.network.workflows import registration as registration_flow
from compacts.network.workflows import support_request as support_request_flow

# Error messages tests reuse (styleguide §9).
ILLEGAL_MOVE = gettext_noop("A %(machine)s cannot move from %(source)s to %(target)s.")
NOTE_REQUIRED = gettext_noop("Give a reason (note) for this step.")
INCOMPLETE_PRACTICE = gettext_noop(
    "The practice cannot be submitted yet: some required fields are empty."
)
DUPLICATE_PRACTICE = gettext_noop("A practice with this title has already been submitted.")
REGISTRATION_CLOSED = gettext_noop("Registration for this event is closed.")
REGISTRATION_DEADLINE = gettext_noop("The registration deadline for this event has passed.")
EVENT_FULL = gettext_noop("This event is full.")
ALREADY_REGISTERED = gettext_noop("You are already registered for this event.")
CALL_NOT_OPEN = gettext_noop("This call for practices is not open for submissions.")
CALL_DEADLINE = gettext_noop("The deadline of this call for practices has passed.")
ALLOWED_MOVES = gettext_noop("From here it can move to: %(allowed)s.")
NO_MOVES = gettext_noop("It cannot move from here.")
INVALID_EMAIL = gettext_noop("Enter a valid email address.")
ALREADY_REMOVED = gettext_noop("This record has already been removed.")
FUTURE_DATE = gettext_noop("The date cannot be in the future.")
CHAMPION_PILOTS = gettext_noop(
    "%(country)s is named as a pilot country of these deliverables, so its record is kept: "
    "%(titles)s. Take it off their pilot countries first (pilot feedback is always kept)."
)
MEMBER_ROLE = gettext_noop(
    "%(name)s is the Coordinator or the host of the Secretariat. Change its record first, then "
    "remove it."
)
NOT_AN_ATTACHMENT = gettext_noop("Choose the file to remove.")
MEMBER_ROLE_LEAVE = gettext_noop(
    "%(name)s is the Coordinator or the host of the Secretariat. Change its record first, then "
    "record that it left."
)
LEFT_ON_REQUIRED = gettext_noop("Give the date it left the Network.")
LEFT_BEFORE_JOINED = gettext_noop(
    "The date it left cannot be before the date it joined (%(joined_on)s)."
)
ALREADY_LEFT = gettext_noop("%(name)s already left the Network on %(left_on)s.")
NOT_LEFT = gettext_noop("%(name)s has not left the Network.")
NOTE_TOO_LONG = gettext_noop("The note is longer than 300 characters.")
JOINED_AFTER_LEFT = gettext_noop(
    "The date it joined cannot be after the date it left the Network (%(left_on)s)."
)
REJOINED_BEFORE_LEFT = gettext_noop(
    "The date it joined again cannot be before the date it left (%(left_on)s)."
)
FORMER_MEMBER_ROLE = gettext_noop(
    "A member that left the Network cannot be its Coordinator or host its Secretariat."
)

logger = logging.getLogger(__name__)


class _System:
    """The platform itself, acting in reference-data loads (audited as "system")."""

    is_authenticated = False
    is_active = True
    pk = None

    def __str__(self) -> str:
        return "system"


SYSTEM = _System()


def _require(actor, operation: str, obj: Any = None) -> None:
    if actor is SYSTEM:
        return
    require(actor, operation, obj)


# --- Announcing changes -----------------------------------------------------------------------


def _public(obj: models.Model, *states: str) -> bool:
    """Whether a change to ``obj`` can change what the public sees. Requests for support are
    private; a practice (and its attachments and comments) is public once published."""
    if isinstance(obj, SupportRequest):
        return False
    practice = obj if isinstance(obj, Practice) else getattr(obj, "practice", None)
    if practice is not None:
        published = {practice_flow.State.PUBLISHED, practice_flow.State.ARCHIVED}
        return bool(published & {practice.state, *states})
    return True


def _announce(obj: models.Model, action: str, *states: str) -> None:
    """Announce a change of public network data (``compacts.core.changes``) after commit."""
    if _public(obj, *states):
        announce("network", model=obj._meta.model_name, id=obj.pk, action=action)


# --- The one transition engine ------------------------------------------------------------------


def _transition(
    *,
    obj: models.Model,
    machine: Machine,
    to: str,
    actor,
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> models.Model:
    """Move ``obj`` along ``machine``: lock, check the table, the actor's relation and the guard,
    save, log a ``StateChange`` and an audit record."""
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    source = locked.state
    rule = machine.rule_for(source, to)
    if rule is None:
        allowed = machine.targets(source)
        labels = ", ".join(str(machine.states(target).label) for target in allowed)
        raise ConflictError(
            _(ILLEGAL_MOVE)
            % {"machine": machine.name.replace("_", " "), "source": source, "target": to}
            + " "
            + (_(ALLOWED_MOVES) % {"allowed": labels} if allowed else _(NO_MOVES)),
            {"state": source, "to": to, "allowed": allowed},
        )
    if actor is not SYSTEM and not actor_relations(actor, locked) & rule.roles:
        raise PermissionDeniedError(
            _("You do not have permission to do this."),
            {"operation": f"network.{machine.name}.transition", "to": to},
        )
    note = (note or "").strip()
    if rule.note_required and not note:
        raise ApplicationError(_(NOTE_REQUIRED), {"field": "note"})
    if rule.guard is not None:
        problem = rule.guard(locked)
        if problem:
            raise ApplicationError(problem, {"state": source, "to": to})
    locked.state = to
    fields = ["state", "updated_at"]
    for name, value in (changes or {}).items():
        setattr(locked, name, value)
        fields.append(name)
    locked.save(update_fields=fields)
    StateChange.objects.create(
        content_type=ContentType.objects.get_for_model(locked),
        object_id=locked.pk,
        machine=machine.name,
        from_state=source,
        to_state=to,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=timezone.now(),
        note=note,
    )
    audit_record(
        actor=actor,
        action=f"network.{machine.name}.transition",
        obj=locked,
        before={"state": source},
        after={"state": to, "note": note},
    )
    _announce(locked, f"network.{machine.name}.transition", source, to)
    obj.state = to
    for name, value in (changes or {}).items():
        setattr(obj, name, value)
    return locked


def _create(*, model, actor, action: str, values: dict[str, Any], m2m: dict | None = None):
    try:
        with transaction.atomic():
            obj = model.objects.create(**values)
    except IntegrityError as error:
        raise ConflictError(
            _("This record clashes with an existing one."), {"detail": str(error)}
        ) from error
    for name, items in (m2m or {}).items():
        getattr(obj, name).set(items)
    audit_record(actor=actor, action=action, obj=obj, after=model_values(obj, list(values)))
    _announce(obj, action)
    return obj


def _update(*, obj, actor, action: str, values: dict[str, Any]):
    before = model_values(obj, list(values))
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save(update_fields=[*values, "updated_at"])
    audit_record(
        actor=actor, action=action, obj=obj, before=before, after=model_values(obj, list(values))
    )
    _announce(obj, action)
    return obj


def _resolve(model, ids, *, field: str, queryset=None) -> list:
    """The rows of ``model`` with these ids; unknown ids are an error naming the field."""
    wanted = {int(i) for i in ids or []}
    if not wanted:
        return []
    rows = list((queryset if queryset is not None else model.objects).filter(pk__in=wanted))
    if len(rows) != len(wanted):
        unknown = sorted(wanted - {row.pk for row in rows})
        raise ApplicationError(
            _("Unknown %(field)s: %(ids)s.")
            % {"field": field, "ids": ", ".join(map(str, unknown))},
            {"field": field, "unknown": unknown},
        )
    return rows


# --- Vocabularies and structure -----------------------------------------------------------------


@transaction.atomic
def term_ensure(
    *, vocabulary: str, code: str, name: str, names: dict | None = None, actor=None
) -> Term:
    """Create or refresh one vocabulary entry (reference data; idempotent)."""
    term = Term.objects.filter(vocabulary=vocabulary, code=code).first()
    if term is None:
        return _create(
            model=Term,
            actor=actor,
            action="network.term.create",
            values={"vocabulary": vocabulary, "code": code, "name": name, "names": names or {}},
        )
    if term.name != name or term.names != (names or {}):
        _update(
            obj=term,
            actor=actor,
            action="network.term.update",
            values={"name": name, "names": names or {}},
        )
    return term


@transaction.atomic
def network_member_upsert(
    *,
    actor,
    organisation: Organisation,
    joined_on: datetime.date | None = None,
    joined_note: str = "",
    is_executive_committee: bool = False,
    is_coordinator: bool = False,
    hosts_secretariat: bool = False,
    source: str = "",
    is_illustrative: bool = False,
) -> NetworkMember:
    """Record an organisation as a member of the Network (or update its record)."""
    _require(actor, "network.structure.manage")
    if joined_on is not None and joined_on > timezone.localdate():
        raise ApplicationError(_(FUTURE_DATE), {"field": "joined_on"})
    member = NetworkMember.objects.filter(organisation=organisation).first()
    if member is not None and member.left_on is not None:
        # A former member's record stays consistent with the date it left.
        if joined_on is not None and joined_on > member.left_on:
            raise ApplicationError(
                _(JOINED_AFTER_LEFT) % {"left_on": member.left_on.isoformat()},
                {"field": "joined_on"},
            )
        if is_coordinator or hosts_secretariat:
            raise ApplicationError(
                _(FORMER_MEMBER_ROLE),
                {"field": "is_coordinator" if is_coordinator else "hosts_secretariat"},
            )
    values = {
        "joined_on": joined_on,
        "joined_note": joined_note,
        "is_executive_committee": is_executive_committee,
        "is_coordinator": is_coordinator,
        "hosts_secretariat": hosts_secretariat,
        "source": source,
        "is_illustrative": is_illustrative,
    }
    if member is None:
        return _create(
            model=NetworkMember,
            actor=actor,
            action="network.member.create",
            values={"organisation": organisation, **values},
        )
    return _update(obj=member, actor=actor, action="network.member.update", values=values)


@transaction.atomic
def champion_country_add(
    *,
    actor,
    country: Country,
    since: datetime.date | None = None,
    source: str = "",
    is_illustrative: bool = False,
) -> ChampionCountry:
    """Name a champion country (idempotent)."""
    _require(actor, "network.structure.manage")
    if since is not None and since > timezone.localdate():
        raise ApplicationError(_(FUTURE_DATE), {"field": "since"})
    existing = ChampionCountry.objects.filter(country=country).first()
    if existing:
        return existing
    return _create(
        model=ChampionCountry,
        actor=actor,
        action="network.champion.create",
        values={
            "country": country,
            "since": since,
            "source": source,
            "is_illustrative": is_illustrative,
        },
    )


@transaction.atomic
def champion_country_update(
    *,
    actor,
    champion: ChampionCountry,
    since: datetime.date | None = None,
    source: str = "",
) -> ChampionCountry:
    """Change when a champion country joined and the source that says so (its country stays)."""
    _require(actor, "network.structure.manage", champion)
    if since is not None and since > timezone.localdate():
        raise ApplicationError(_(FUTURE_DATE), {"field": "since"})
    if len((source or "").strip()) > 300:
        raise ApplicationError(_("The source is longer than 300 characters."), {"field": "source"})
    return _update(
        obj=champion,
        actor=actor,
        action="network.champion.update",
        values={"since": since, "source": (source or "").strip()},
    )


@transaction.atomic
def champion_country_remove(*, actor, champion: ChampionCountry) -> None:
    """Take a country off the champion countries (the Secretariat; the audit trail keeps what it
    was). A country that piloted a deliverable or gave pilot feedback is kept: the deliverables'
    history names it."""
    _require(actor, "network.structure.manage", champion)
    locked = _locked(champion, "country")
    deliverables = list(
        Deliverable.objects.filter(
            models.Q(pilot_countries=locked) | models.Q(pilot_feedback__champion=locked)
        )
        .distinct()
        .order_by("title")
    )
    if deliverables:
        raise ConflictError(
            _(CHAMPION_PILOTS)
            % {
                "country": (locked.country.names or {}).get(get_language() or "en")
                or locked.country.name,
                "titles": ", ".join(d.title for d in deliverables),
            },
            {"deliverables": [d.pk for d in deliverables]},
        )
    audit_record(
        actor=actor,
        action="network.champion.delete",
        obj=locked,
        before=model_values(locked, ["country", "since", "source", "is_illustrative"]),
    )
    _announce(locked, "network.champion.delete")
    locked.delete()


@transaction.atomic
def network_member_remove(*, actor, member: NetworkMember) -> None:
    """Delete a member's row: for an entry made by mistake (the Secretariat; the audit trail keeps
    what its record said). An entity that really left is recorded with ``network_member_leave``,
    which keeps the history. The Coordinator and the host of the Secretariat are kept until their
    record says otherwise. A later ``compacts reference`` does not add a removed member back."""
    _require(actor, "network.structure.manage", member)
    locked = _locked(member, "organisation")
    if locked.is_coordinator or locked.hosts_secretariat:
        raise ConflictError(
            _(MEMBER_ROLE) % {"name": locked.organisation.name},
            {
                "is_coordinator": locked.is_coordinator,
                "hosts_secretariat": locked.hosts_secretariat,
            },
        )
    audit_record(
        actor=actor,
        action="network.member.delete",
        obj=locked,
        before=model_values(
            locked,
            [
                "organisation",
                "joined_on",
                "joined_note",
                "is_executive_committee",
                "is_coordinator",
                "hosts_secretariat",
                "source",
                "is_illustrative",
                "left_on",
                "left_note",
            ],
        ),
    )
    _announce(locked, "network.member.delete")
    locked.delete()


def _locked(obj, *related: str):
    """``obj`` read again and locked until the transaction ends (with ``related`` rows);
    ``NotFoundError`` when someone removed it meanwhile."""
    rows = type(obj).objects.select_for_update()
    if related:
        rows = rows.select_related(*related)
    locked = rows.filter(pk=obj.pk).first()
    if locked is None:
        raise NotFoundError(_(ALREADY_REMOVED))
    return locked


def network_member_leave_check(
    *, member: NetworkMember, left_on: datetime.date | None, note: str = ""
) -> None:
    """Raise the refusal ``network_member_leave`` would give for these values, without writing
    (the page checks before it asks for confirmation). Refused: a member that already left (409),
    the Coordinator or the host of the Secretariat (409), no date, a date in the future or before
    the date it joined, a note longer than 300 characters (400 naming the field)."""
    name = member.organisation.name
    if member.left_on is not None:
        raise ConflictError(
            _(ALREADY_LEFT) % {"name": name, "left_on": member.left_on.isoformat()},
            {"left_on": member.left_on.isoformat()},
        )
    if member.is_coordinator or member.hosts_secretariat:
        raise ConflictError(
            _(MEMBER_ROLE_LEAVE) % {"name": name},
            {
                "is_coordinator": member.is_coordinator,
                "hosts_secretariat": member.hosts_secretariat,
            },
        )
    if left_on is None:
        raise ApplicationError(_(LEFT_ON_REQUIRED), {"field": "left_on"})
    if left_on > timezone.localdate():
        raise ApplicationError(_(FUTURE_DATE), {"field": "left_on"})
    if member.joined_on is not None and left_on < member.joined_on:
        raise ApplicationError(
            _(LEFT_BEFORE_JOINED) % {"joined_on": member.joined_on.isoformat()},
            {"field": "left_on"},
        )
    if len((note or "").strip()) > 300:
        raise ApplicationError(_(NOTE_TOO_LONG), {"field": "note"})


@transaction.atomic
def network_member_leave(
    *, member: NetworkMember, left_on: datetime.date | None, note: str = "", actor
) -> NetworkMember:
    """Record that a UN entity left the Network on ``left_on`` (the Secretariat). Its row stays:
    it is no longer a current member (``selectors.network_member_list``) and shows among the
    former members; the audit record ``network.member.leave`` keeps the change. Refusals are
    those of ``network_member_leave_check``; nothing changes on a refusal."""
    _require(actor, "network.structure.manage", member)
    locked = _locked(member, "organisation")
    network_member_leave_check(member=locked, left_on=left_on, note=note)
    _update(
        obj=locked,
        actor=actor,
        action="network.member.leave",
        values={"left_on": left_on, "left_note": (note or "").strip()},
    )
    member.left_on, member.left_note = locked.left_on, locked.left_note
    return locked


@transaction.atomic
def network_member_rejoin(
    *,
    member: NetworkMember,
    actor,
    joined_on: datetime.date | None = None,
    joined_note: str = "",
) -> NetworkMember:
    """Make a former member a current member again (the Secretariat): the date it left and its
    note are cleared (the audit record ``network.member.rejoin`` keeps them). With ``joined_on``
    (it joined again; not in the future, not before the date it left) the date it joined and its
    note are replaced; without it (the departure was recorded by mistake) they stay. Refused: a
    member that has not left (409)."""
    _require(actor, "network.structure.manage", member)
    locked = _locked(member, "organisation")
    if locked.left_on is None:
        raise ConflictError(_(NOT_LEFT) % {"name": locked.organisation.name}, {"left_on": None})
    values: dict[str, Any] = {"left_on": None, "left_note": ""}
    if joined_on is not None:
        if joined_on > timezone.localdate():
            raise ApplicationError(_(FUTURE_DATE), {"field": "joined_on"})
        if joined_on < locked.left_on:
            raise ApplicationError(
                _(REJOINED_BEFORE_LEFT) % {"left_on": locked.left_on.isoformat()},
                {"field": "joined_on"},
            )
        if len((joined_note or "").strip()) > 300:
            raise ApplicationError(_(NOTE_TOO_LONG), {"field": "joined_note"})
        values = {"joined_on": joined_on, "joined_note": (joined_note or "").strip(), **values}
    _update(obj=locked, actor=actor, action="network.member.rejoin", values=values)
    for name, value in values.items():
        setattr(member, name, value)
    return locked


@transaction.atomic
def working_group_create(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    parent: WorkingGroup | None = None,
    description: str = "",
    terms_of_reference: str = "",
    workplan_period: str = "",
    objective_ids: list[int] | None = None,
    source: str = "",
    co_leads_confirmed: bool = True,
    is_illustrative: bool = False,
) -> WorkingGroup:
    """Create a working group or workstream."""
    _require(actor, "network.structure.manage")
    if not code.strip() or not name.strip():
        raise ApplicationError(_("A code and a name are required."), {"fields": ["code", "name"]})
    if kind not in WorkingGroup.Kind.values:
        raise ApplicationError(_("Unknown kind of working group."), {"field": "kind"})
    if WorkingGroup.objects.filter(code=code).exists():
        raise ConflictError(_("A working group with this code exists."), {"field": "code"})
    objectives = _resolve(GcmObjective, objective_ids, field="objectives")
    return _create(
        model=WorkingGroup,
        actor=actor,
        action="network.working_group.create",
        values={
            "code": code.strip(),
            "name": name.strip(),
            "kind": kind,
            "parent": parent,
            "description": description,
            "terms_of_reference": terms_of_reference,
            "workplan_period": workplan_period,
            "source": source,
            "co_leads_confirmed": co_leads_confirmed,
            "is_illustrative": is_illustrative,
        },
        m2m={"objectives": objectives},
    )


@transaction.atomic
def working_group_update(
    *, actor, working_group: WorkingGroup, terms_of_reference: str, description: str
) -> WorkingGroup:
    """Change a group's terms of reference and description (the Secretariat or a co-lead)."""
    _require(actor, "network.working_group.manage", working_group)
    return _update(
        obj=working_group,
        actor=actor,
        action="network.working_group.update",
        values={"terms_of_reference": terms_of_reference, "description": description},
    )


@transaction.atomic
def working_group_member_set(
    *,
    actor,
    working_group: WorkingGroup,
    organisation: Organisation,
    role: str,
    joined_on: datetime.date | None = None,
    is_illustrative: bool = False,
) -> WorkingGroupMember:
    """Add an organisation to a working group as co-lead or member, or change its role."""
    _require(actor, "network.working_group.manage", working_group)
    if role not in WorkingGroupMember.Role.values:
        raise ApplicationError(_("Unknown working group role."), {"field": "role"})
    member = WorkingGroupMember.objects.filter(
        working_group=working_group, organisation=organisation
    ).first()
    if member is None:
        return _create(
            model=WorkingGroupMember,
            actor=actor,
            action="network.working_group_member.create",
            values={
                "working_group": working_group,
                "organisation": organisation,
                "role": role,
                "joined_on": joined_on,
                "is_illustrative": is_illustrative,
            },
        )
    return _update(
        obj=member, actor=actor, action="network.working_group_member.update", values={"role": role}
    )


@transaction.atomic
def activity_create(
    *,
    actor,
    title: str,
    working_group: WorkingGroup | None = None,
    country_network: CountryNetwork | None = None,
    description: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    timeline: str = "",
    lead_organisation: Organisation | None = None,
    assignee=None,
    is_illustrative: bool = False,
) -> WorkplanActivity:
    """Add an activity to a working group's or a country network's workplan."""
    if (working_group is None) == (country_network is None):
        raise ApplicationError(
            _("An activity belongs to one working group or one country network."),
            {"fields": ["working_group", "country_network"]},
        )
    if working_group is not None:
        _require(actor, "network.working_group.manage", working_group)
    else:
        _require(actor, "network.country_network.manage", country_network)
    if not title.strip():
        raise ApplicationError(_("A title is required."), {"field": "title"})
    if starts_on and ends_on and ends_on < starts_on:
        raise ApplicationError(_("The end date is before the start date."), {"field": "ends_on"})
    return _create(
        model=WorkplanActivity,
        actor=actor,
        action="network.activity.create",
        values={
            "working_group": working_group,
            "country_network": country_network,
            "title": title.strip(),
            "description": description,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "timeline": timeline,
            "lead_organisation": lead_organisation,
            "assignee": assignee,
            "is_illustrative": is_illustrative,
        },
    )


@transaction.atomic
def activity_transition(
    *, activity: WorkplanActivity, to: str, actor, note: str = ""
) -> WorkplanActivity:
    """Move a workplan activity: yet to start -> ongoing -> completed."""
    return _transition(obj=activity, machine=activity_flow.MACHINE, to=to, actor=actor, note=note)


@transaction.atomic
def working_group_member_remove(*, actor, member: WorkingGroupMember) -> None:
    """Take an organisation out of a working group (co-lead or member)."""
    _require(actor, "network.working_group.manage", member.working_group)
    before = model_values(member, ["working_group", "organisation", "role"])
    audit_record(
        actor=actor, action="network.working_group_member.delete", obj=member, before=before
    )
    _announce(member, "network.working_group_member.delete")
    member.delete()


@transaction.atomic
def activity_update(
    *,
    actor,
    activity: WorkplanActivity,
    title: str,
    description: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    timeline: str = "",
    lead_organisation: Organisation | None = None,
) -> WorkplanActivity:
    """Change a workplan activity (its status moves through ``activity_transition``)."""
    if activity.working_group_id:
        _require(actor, "network.working_group.manage", activity.working_group)
    else:
        _require(actor, "network.country_network.manage", activity.country_network)
    if not title.strip():
        raise ApplicationError(_("A title is required."), {"field": "title"})
    if starts_on and ends_on and ends_on < starts_on:
        raise ApplicationError(_("The end date is before the start date."), {"field": "ends_on"})
    return _update(
        obj=activity,
        actor=actor,
        action="network.activity.update",
        values={
            "title": title.strip(),
            "description": description.strip(),
            "starts_on": starts_on,
            "ends_on": ends_on,
            "timeline": timeline.strip(),
            "lead_organisation": lead_organisation,
        },
    )


@transaction.atomic
def deliverable_create(
    *,
    actor,
    working_group: WorkingGroup,
    title: str,
    description: str = "",
    is_illustrative: bool = False,
) -> Deliverable:
    """Start drafting a deliverable or tool of a working group."""
    _require(actor, "network.working_group.manage", working_group)
    if not title.strip():
        raise ApplicationError(_("A title is required."), {"field": "title"})
    return _create(
        model=Deliverable,
        actor=actor,
        action="network.deliverable.create",
        values={
            "working_group": working_group,
            "title": title.strip(),
            "description": description,
            "is_illustrative": is_illustrative,
        },
    )


@transaction.atomic
def deliverable_pilot_countries_set(
    *, actor, deliverable: Deliverable, champion_ids: list[int]
) -> Deliverable:
    """Name the champion countries that pilot a deliverable."""
    _require(actor, "network.deliverable.transition", deliverable)
    if deliverable.state == deliverable_flow.State.PUBLISHED:
        raise ConflictError(_("A published deliverable's pilot countries cannot change."))
    champions = _resolve(ChampionCountry, champion_ids, field="pilot_countries")
    before = sorted(deliverable.pilot_countries.values_list("pk", flat=True))
    deliverable.pilot_countries.set(champions)
    audit_record(
        actor=actor,
        action="network.deliverable.pilot_countries",
        obj=deliverable,
        before={"pilot_countries": before},
        after={"pilot_countries": sorted(c.pk for c in champions)},
    )
    _announce(deliverable, "network.deliverable.pilot_countries")
    return deliverable


@transaction.atomic
def pilot_feedback_add(
    *, actor, deliverable: Deliverable, champion: ChampionCountry, feedback: str
) -> PilotFeedback:
    """Record a champion country's feedback on a pilot; it is kept after publication."""
    _require(actor, "network.deliverable.feedback", deliverable)
    if deliverable.state != deliverable_flow.State.PILOT_TESTING:
        raise ConflictError(_("Feedback is recorded while the deliverable is being piloted."))
    if not deliverable.pilot_countries.filter(pk=champion.pk).exists():
        raise ApplicationError(
            _("%(country)s is not piloting this deliverable.") % {"country": champion},
            {"field": "champion"},
        )
    if not feedback.strip():
        raise ApplicationError(_("The feedback is empty."), {"field": "feedback"})
    return _create(
        model=PilotFeedback,
        actor=actor,
        action="network.pilot_feedback.create",
        values={
            "deliverable": deliverable,
            "champion": champion,
            "author": actor if getattr(actor, "is_authenticated", False) else None,
            "feedback": feedback.strip(),
        },
    )


@transaction.atomic
def deliverable_transition(
    *, deliverable: Deliverable, to: str, actor, note: str = ""
) -> Deliverable:
    """Move a deliverable: drafting -> pilot testing -> published."""
    changes = {}
    if to == deliverable_flow.State.PUBLISHED:
        changes["published_on"] = timezone.localdate()
    return _transition(
        obj=deliverable,
        machine=deliverable_flow.MACHINE,
        to=to,
        actor=actor,
        note=note,
        changes=changes,
    )


# --- Country and regional networks ---------------------------------------------------------------


@transaction.atomic
def country_network_create(
    *,
    actor,
    kind: str,
    name: str,
    country: Country | None = None,
    region: Region | None = None,
    established_on: datetime.date | None = None,
    coordinating_office: str = "",
    description: str = "",
    member_organisation_ids: list[int] | None = None,
    is_illustrative: bool = False,
) -> CountryNetwork:
    """Record a country network (with its country) or a regional network (with its region)."""
    _require(actor, "network.structure.manage")
    if kind == CountryNetwork.Kind.COUNTRY and country is None:
        raise ApplicationError(_("A country network needs its country."), {"field": "country"})
    if kind == CountryNetwork.Kind.REGIONAL and (region is None or country is not None):
        raise ApplicationError(_("A regional network needs its region."), {"field": "region"})
    if kind not in CountryNetwork.Kind.values:
        raise ApplicationError(_("Unknown kind of network."), {"field": "kind"})
    if country is not None and CountryNetwork.objects.filter(country=country).exists():
        raise ConflictError(_("This country already has a network."), {"field": "country"})
    if not name.strip():
        raise ApplicationError(_("A name is required."), {"field": "name"})
    members = _resolve(Organisation, member_organisation_ids, field="member_organisations")
    return _create(
        model=CountryNetwork,
        actor=actor,
        action="network.country_network.create",
        values={
            "kind": kind,
            "name": name.strip(),
            "country": country,
            "region": region if region is not None else (country.region if country else None),
            "established_on": established_on,
            "coordinating_office": coordinating_office,
            "description": description,
            "is_illustrative": is_illustrative,
        },
        m2m={"member_organisations": members},
    )


@transaction.atomic
def country_network_update(
    *,
    actor,
    network: CountryNetwork,
    name: str,
    established_on: datetime.date | None = None,
    coordinating_office: str = "",
    description: str = "",
    member_organisation_ids: list[int] | None = None,
) -> CountryNetwork:
    """Change a network's record (its kind and place stay; its status moves through
    ``country_network_transition``). An established network keeps a date."""
    _require(actor, "network.country_network.manage", network)
    if not name.strip():
        raise ApplicationError(_("A name is required."), {"field": "name"})
    if established_on is None and network.state != country_network_flow.State.PLANNED:
        raise ApplicationError(
            _("An established network keeps the date it was established."),
            {"field": "established_on"},
        )
    if established_on is not None and established_on > timezone.localdate():
        raise ApplicationError(
            _("The date established cannot be in the future."), {"field": "established_on"}
        )
    members = _resolve(Organisation, member_organisation_ids, field="member_organisations")
    before_members = sorted(network.member_organisations.values_list("pk", flat=True))
    updated = _update(
        obj=network,
        actor=actor,
        action="network.country_network.update",
        values={
            "name": name.strip(),
            "established_on": established_on,
            "coordinating_office": coordinating_office.strip(),
            "description": description.strip(),
        },
    )
    if before_members != sorted(o.pk for o in members):
        network.member_organisations.set(members)
        audit_record(
            actor=actor,
            action="network.country_network.members",
            obj=network,
            before={"member_organisations": before_members},
            after={"member_organisations": sorted(o.pk for o in members)},
        )
    return updated


@transaction.atomic
def country_network_transition(
    *,
    network: CountryNetwork,
    to: str,
    actor,
    note: str = "",
    established_on: datetime.date | None = None,
) -> CountryNetwork:
    """Move a network: being set up -> established -> inactive (and back). ``established_on``
    records the date in the same step when the network becomes established (the move needs it);
    if the move is refused, the date is not kept either."""
    if established_on is not None:
        if to != country_network_flow.State.ESTABLISHED:
            raise ApplicationError(
                _("The date established is given only when the network becomes established."),
                {"field": "established_on"},
            )
        if established_on > timezone.localdate():
            raise ApplicationError(
                _("The date established cannot be in the future."), {"field": "established_on"}
            )
        _require(actor, "network.country_network.transition", network)
        if network.established_on != established_on:
            _update(
                obj=network,
                actor=actor,
                action="network.country_network.established_on",
                values={"established_on": established_on},
            )
    return _transition(
        obj=network, machine=country_network_flow.MACHINE, to=to, actor=actor, note=note
    )


def _focal_point_values(*, organisation: Organisation | None, name: str, email: str) -> dict:
    """Check a focal point's fields; every problem names its field."""
    if organisation is None:
        raise ApplicationError(_("Unknown organisation."), {"field": "organisation"})
    if not (name or "").strip():
        raise ApplicationError(_("A name is required."), {"field": "name"})
    if len(name.strip()) > 200:
        raise ApplicationError(_("The name is longer than 200 characters."), {"field": "name"})
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise ApplicationError(_(INVALID_EMAIL), {"field": "email"}) from error
    return {"organisation": organisation, "name": name.strip(), "email": email}


@transaction.atomic
def focal_point_add(
    *,
    actor,
    network: CountryNetwork,
    organisation: Organisation,
    name: str,
    email: str = "",
    user=None,
    is_illustrative: bool = False,
) -> FocalPoint:
    """Name a focal point of a network for one organisation."""
    _require(actor, "network.country_network.manage", network)
    values = _focal_point_values(organisation=organisation, name=name, email=email)
    return _create(
        model=FocalPoint,
        actor=actor,
        action="network.focal_point.create",
        values={"network": network, **values, "user": user, "is_illustrative": is_illustrative},
    )


@transaction.atomic
def achievement_record(
    *,
    actor,
    network: CountryNetwork,
    kind: str,
    title: str,
    happened_on: datetime.date,
    description: str = "",
    people_trained: int | None = None,
    reference: str = "",
    is_illustrative: bool = False,
) -> Achievement:
    """Record what a network did (a plan supported, a concept note, officials trained)."""
    _require(actor, "network.country_network.manage", network)
    values = _achievement_values(
        kind=kind,
        title=title,
        happened_on=happened_on,
        description=description,
        people_trained=people_trained,
        reference=reference,
    )
    return _create(
        model=Achievement,
        actor=actor,
        action="network.achievement.create",
        values={"network": network, **values, "is_illustrative": is_illustrative},
    )


@transaction.atomic
def focal_point_update(
    *,
    actor,
    focal_point: FocalPoint,
    organisation: Organisation | None,
    name: str,
    email: str = "",
    user=None,
) -> FocalPoint:
    """Change a network's focal point: her organisation, name, email and account (the Secretariat
    or the network's focal points). ``user`` links her account, so that she keeps the records."""
    _require(actor, "network.country_network.manage", focal_point.network)
    values = _focal_point_values(organisation=organisation, name=name, email=email)
    return _update(
        obj=focal_point,
        actor=actor,
        action="network.focal_point.update",
        values={**values, "user": user},
    )


@transaction.atomic
def focal_point_remove(*, actor, focal_point: FocalPoint) -> None:
    """Take a focal point off a network (the audit trail keeps what she was)."""
    _require(actor, "network.country_network.manage", focal_point.network)
    locked = _locked(focal_point)
    audit_record(
        actor=actor,
        action="network.focal_point.delete",
        obj=locked,
        before=model_values(
            locked, ["network", "organisation", "name", "email", "user", "is_illustrative"]
        ),
    )
    _announce(locked, "network.focal_point.delete")
    locked.delete()


def _achievement_values(
    *,
    kind: str,
    title: str,
    happened_on: datetime.date | None,
    description: str,
    people_trained: int | None,
    reference: str,
) -> dict[str, Any]:
    """Check what a network did; every problem names its field."""
    if kind not in Achievement.Kind.values:
        raise ApplicationError(_("Unknown kind of achievement."), {"field": "kind"})
    if not (title or "").strip():
        raise ApplicationError(_("A title is required."), {"field": "title"})
    if len(title.strip()) > 300:
        raise ApplicationError(_("The title is longer than 300 characters."), {"field": "title"})
    if happened_on is None:
        raise ApplicationError(_("A date is required."), {"field": "happened_on"})
    if happened_on > timezone.localdate():
        raise ApplicationError(_(FUTURE_DATE), {"field": "happened_on"})
    if people_trained is not None and people_trained < 0:
        raise ApplicationError(
            _("The number of people trained cannot be negative."), {"field": "people_trained"}
        )
    if len((reference or "").strip()) > 200:
        raise ApplicationError(
            _("The reference is longer than 200 characters."), {"field": "reference"}
        )
    return {
        "kind": kind,
        "title": title.strip(),
        "happened_on": happened_on,
        "description": (description or "").strip(),
        "people_trained": people_trained,
        "reference": (reference or "").strip(),
    }


@transaction.atomic
def achievement_update(
    *,
    actor,
    achievement: Achievement,
    kind: str,
    title: str,
    happened_on: datetime.date | None,
    description: str = "",
    people_trained: int | None = None,
    reference: str = "",
) -> Achievement:
    """Change what a network did (all of it: what is not given is emptied)."""
    _require(actor, "network.country_network.manage", achievement.network)
    values = _achievement_values(
        kind=kind,
        title=title,
        happened_on=happened_on,
        description=description,
        people_trained=people_trained,
        reference=reference,
    )
    return _update(obj=achievement, actor=actor, action="network.achievement.update", values=values)


@transaction.atomic
def achievement_remove(*, actor, achievement: Achievement) -> None:
    """Remove a record of what a network did (the audit trail keeps it)."""
    _require(actor, "network.country_network.manage", achievement.network)
    locked = _locked(achievement)
    audit_record(
        actor=actor,
        action="network.achievement.delete",
        obj=locked,
        before=model_values(
            locked,
            [
                "network",
                "kind",
                "title",
                "happened_on",
                "description",
                "people_trained",
                "reference",
                "is_illustrative",
            ],
        ),
    )
    _announce(locked, "network.achievement.delete")
    locked.delete()


# --- Events and registrations --------------------------------------------------------------------


@transaction.atomic
def event_create(
    *,
    actor,
    title: str,
    event_type: Term | None,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    registration_deadline: datetime.datetime,
    capacity: int,
    description: str = "",
    location: str = "",
    language: str = "en",
    working_group: WorkingGroup | None = None,
    country_network: CountryNetwork | None = None,
    objective_ids: list[int] | None = None,
    is_illustrative: bool = False,
) -> Event:
    """Plan an event (the Secretariat, or a co-lead for her group's events)."""
    _require(actor, "network.event.manage", working_group)
    _check_event(
        title=title,
        event_type=event_type,
        starts_at=starts_at,
        ends_at=ends_at,
        registration_deadline=registration_deadline,
        capacity=capacity,
    )
    objectives = _resolve(GcmObjective, objective_ids, field="objectives")
    return _create(
        model=Event,
        actor=actor,
        action="network.event.create",
        values={
            "title": title.strip(),
            "event_type": event_type,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "registration_deadline": registration_deadline,
            "capacity": capacity,
            "description": description,
            "location": location,
            "language": language,
            "working_group": working_group,
            "country_network": country_network,
            "is_illustrative": is_illustrative,
            "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
        m2m={"objectives": objectives},
    )


def _check_event(
    *,
    title: str,
    event_type: Term | None,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    registration_deadline: datetime.datetime,
    capacity: int,
) -> None:
    if not title.strip():
        raise ApplicationError(_("A title is required."), {"field": "title"})
    if event_type is None or event_type.vocabulary != Term.Vocabulary.EVENT_TYPE:
        raise ApplicationError(_("Unknown event type."), {"field": "event_type"})
    if ends_at < starts_at:
        raise ApplicationError(_("The event ends before it starts."), {"field": "ends_at"})
    if registration_deadline > ends_at:
        raise ApplicationError(
            _("The registration deadline is after the event."), {"field": "registration_deadline"}
        )
    if capacity < 1:
        raise ApplicationError(_("The capacity must be at least 1."), {"field": "capacity"})


@transaction.atomic
def event_update(
    *,
    actor,
    event: Event,
    title: str,
    event_type: Term | None,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    registration_deadline: datetime.datetime,
    capacity: int,
    description: str = "",
    location: str = "",
    language: str = "en",
    objective_ids: list[int] | None = None,
) -> Event:
    """Change an event's details; its registrations are kept, so the capacity cannot fall below
    the places already taken."""
    _require(actor, "network.event.manage", event)
    _check_event(
        title=title,
        event_type=event_type,
        starts_at=starts_at,
        ends_at=ends_at,
        registration_deadline=registration_deadline,
        capacity=capacity,
    )
    locked = Event.objects.select_for_update().get(pk=event.pk)
    taken = Registration.objects.filter(
        event=locked, state__in=registration_flow.HOLDS_PLACE
    ).count()
    if capacity < taken:
        raise ConflictError(
            _("%(taken)s places are already taken: the capacity cannot be lower.")
            % {"taken": taken},
            {"field": "capacity", "taken": taken},
        )
    objectives = _resolve(GcmObjective, objective_ids, field="objectives")
    before_objectives = sorted(event.objectives.values_list("pk", flat=True))
    updated = _update(
        obj=event,
        actor=actor,
        action="network.event.update",
        values={
            "title": title.strip(),
            "event_type": event_type,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "registration_deadline": registration_deadline,
            "capacity": capacity,
            "description": description.strip(),
            "location": location.strip(),
            "language": language,
        },
    )
    if before_objectives != sorted(o.pk for o in objectives):
        event.objectives.set(objectives)
        audit_record(
            actor=actor,
            action="network.event.objectives",
            obj=event,
            before={"objectives": before_objectives},
            after={"objectives": sorted(o.pk for o in objectives)},
        )
    return updated


@transaction.atomic
def event_follow_up_record(*, actor, event: Event, materials: str, follow_up: str) -> Event:
    """Record an event's materials and follow-up."""
    _require(actor, "network.event.manage", event)
    return _update(
        obj=event,
        actor=actor,
        action="network.event.follow_up",
        values={"materials": materials, "follow_up": follow_up},
    )


@transaction.atomic
def event_reschedule(
    *,
    actor,
    event: Event,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    registration_deadline: datetime.datetime,
) -> Event:
    """Move an event's dates (the registrations are kept)."""
    _require(actor, "network.event.manage", event)
    if ends_at < starts_at:
        raise ApplicationError(_("The event ends before it starts."), {"field": "ends_at"})
    if registration_deadline > ends_at:
        raise ApplicationError(
            _("The registration deadline is after the event."), {"field": "registration_deadline"}
        )
    return _update(
        obj=event,
        actor=actor,
        action="network.event.reschedule",
        values={
            "starts_at": starts_at,
            "ends_at": ends_at,
            "registration_deadline": registration_deadline,
        },
    )


@transaction.atomic
def event_transition(*, event: Event, to: str, actor, note: str = "") -> Event:
    """Move an event: planned -> open -> closed -> held, or cancelled."""
    return _transition(obj=event, machine=event_flow.MACHINE, to=to, actor=actor, note=note)


@transaction.atomic
def registration_create(
    *,
    actor,
    event: Event,
    organisation_name: str = "",
    needs: str = "",
    is_illustrative: bool = False,
) -> Registration:
    """Register the signed-in person for an event, within the deadline and the capacity.

    The event row is locked, so two people cannot take the last place at the same time.
    """
    _require(actor, "network.event.register", event)
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.state != event_flow.State.OPEN:
        raise ConflictError(_(REGISTRATION_CLOSED), {"state": locked.state})
    if timezone.now() > locked.registration_deadline:
        raise ConflictError(
            _(REGISTRATION_DEADLINE), {"deadline": locked.registration_deadline.isoformat()}
        )
    if Registration.objects.filter(event=locked, user=actor).exists():
        raise ConflictError(_(ALREADY_REGISTERED), {"field": "event"})
    taken = Registration.objects.filter(
        event=locked, state__in=registration_flow.HOLDS_PLACE
    ).count()
    if taken >= locked.capacity:
        raise ConflictError(_(EVENT_FULL), {"capacity": locked.capacity})
    return _create(
        model=Registration,
        actor=actor,
        action="network.registration.create",
        values={
            "event": locked,
            "user": actor,
            "organisation_name": organisation_name.strip(),
            "needs": needs.strip(),
            "is_illustrative": is_illustrative,
        },
    )


@transaction.atomic
def registration_transition(
    *, registration: Registration, to: str, actor, note: str = ""
) -> Registration:
    """Confirm, decline or cancel a registration; record attendance."""
    return _transition(
        obj=registration, machine=registration_flow.MACHINE, to=to, actor=actor, note=note
    )


# --- Requests for technical assistance -----------------------------------------------------------


@transaction.atomic
def support_request_create(
    *,
    actor,
    title: str,
    country: Country,
    description: str,
    requesting_organisation: Organisation | None = None,
    objective_ids: list[int] | None = None,
    is_illustrative: bool = False,
) -> SupportRequest:
    """Receive a Member State's request for technical assistance."""
    _require(actor, "network.support_request.create")
    missing = [
        name
        for name, value in (("title", title), ("description", description))
        if not value.strip()
    ]
    if missing:
        raise ApplicationError(_("Required fields are empty."), {"missing": missing})
    objectives = _resolve(GcmObjective, objective_ids, field="objectives")
    return _create(
        model=SupportRequest,
        actor=actor,
        action="network.support_request.create",
        values={
            "title": title.strip(),
            "country": country,
            "description": description.strip(),
            "requesting_organisation": requesting_organisation,
            "submitted_by": actor if getattr(actor, "is_authenticated", False) else None,
            "is_illustrative": is_illustrative,
        },
        m2m={"objectives": objectives},
    )


@transaction.atomic
def support_request_match(
    *,
    actor,
    request: SupportRequest,
    partner_ids: list[int],
    practice_ids: list[int] | None = None,
    note: str = "",
) -> SupportRequest:
    """Match a request with implementing partners and similar published practices."""
    _require(actor, "network.support_request.manage", request)
    partners = _resolve(Organisation, partner_ids, field="partners")
    if not partners:
        raise ApplicationError(
            _("Choose at least one implementing partner."), {"field": "partners"}
        )
    practices = _resolve(
        Practice,
        practice_ids,
        field="similar_practices",
        queryset=Practice.objects.filter(state=practice_flow.State.PUBLISHED),
    )
    request.partners.set(partners)
    request.similar_practices.set(practices)
    audit_record(
        actor=actor,
        action="network.support_request.match",
        obj=request,
        after={
            "partners": [p.pk for p in partners],
            "similar_practices": [p.pk for p in practices],
        },
    )
    return support_request_transition(
        request=request, to=support_request_flow.State.MATCHED, actor=actor, note=note
    )


@transaction.atomic
def support_request_support(*, actor, request: SupportRequest, summary: str) -> SupportRequest:
    """Record the support given and mark the request supported."""
    _require(actor, "network.support_request.manage", request)
    _update(
        obj=request,
        actor=actor,
        action="network.support_request.summary",
        values={"support_summary": summary.strip()},
    )
    return support_request_transition(
        request=request, to=support_request_flow.State.SUPPORTED, actor=actor, note=summary
    )


@transaction.atomic
def support_request_link_concept_note(
    *, actor, request: SupportRequest, concept_note: models.Model | None = None, reference: str = ""
) -> SupportRequest:
    """Link the fund concept note that followed the request (a record, or a reference)."""
    _require(actor, "network.support_request.manage", request)
    if concept_note is None and not reference.strip():
        raise ApplicationError(
            _("Give the concept note or its reference."), {"field": "concept_note"}
        )
    values: dict[str, Any] = {"concept_note_reference": reference.strip()}
    if concept_note is not None:
        values["concept_note_type"] = ContentType.objects.get_for_model(concept_note)
        values["concept_note_id"] = concept_note.pk
    return _update(
        obj=request, actor=actor, action="network.support_request.concept_note", values=values
    )


@transaction.atomic
def support_request_transition(
    *, request: SupportRequest, to: str, actor, note: str = ""
) -> SupportRequest:
    """Move a request: received -> matched -> supported -> closed."""
    changes = {"outcome": note.strip()} if to == support_request_flow.State.CLOSED else None
    return _transition(
        obj=request,
        machine=support_request_flow.MACHINE,
        to=to,
        actor=actor,
        note=note,
        changes=changes,
    )


# --- Knowledge hub -------------------------------------------------------------------------------


@transaction.atomic
def call_create(
    *,
    actor,
    title: str,
    theme: str,
    opens_on: datetime.date,
    deadline: datetime.date,
    description: str = "",
    objective_ids: list[int] | None = None,
    is_illustrative: bool = False,
) -> CallForPractices:
    """Draft a thematic call for practices."""
    _require(actor, "network.call.manage")
    missing = [name for name, value in (("title", title), ("theme", theme)) if not value.strip()]
    if missing:
        raise ApplicationError(_("Required fields are empty."), {"missing": missing})
    if deadline < opens_on:
        raise ApplicationError(_("The deadline is before the opening date."), {"field": "deadline"})
    objectives = _resolve(GcmObjective, objective_ids, field="objectives")
    return _create(
        model=CallForPractices,
        actor=actor,
        action="network.call.create",
        values={
            "title": title.strip(),
            "theme": theme.strip(),
            "opens_on": opens_on,
            "deadline": deadline,
            "description": description,
            "is_illustrative": is_illustrative,
        },
        m2m={"objectives": objectives},
    )


@transaction.atomic
def call_update(
    *,
    actor,
    call: CallForPractices,
    title: str,
    theme: str,
    opens_on: datetime.date,
    deadline: datetime.date,
    description: str = "",
    objective_ids: list[int] | None = None,
) -> CallForPractices:
    """Change a call's details (a concluded or cancelled call is kept as it was)."""
    _require(actor, "network.call.manage", call)
    if call.state in (call_flow.State.CONCLUDED, call_flow.State.CANCELLED):
        raise ConflictError(
            _("A concluded or cancelled call cannot change."), {"state": call.state}
        )
    missing = [name for name, value in (("title", title), ("theme", theme)) if not value.strip()]
    if missing:
        raise ApplicationError(_("Required fields are empty."), {"missing": missing})
    if deadline < opens_on:
        raise ApplicationError(_("The deadline is before the opening date."), {"field": "deadline"})
    objectives = _resolve(GcmObjective, objective_ids, field="objectives")
    before_objectives = sorted(call.objectives.values_list("pk", flat=True))
    updated = _update(
        obj=call,
        actor=actor,
        action="network.call.update",
        values={
            "title": title.strip(),
            "theme": theme.strip(),
            "opens_on": opens_on,
            "deadline": deadline,
            "description": description.strip(),
        },
    )
    if before_objectives != sorted(o.pk for o in objectives):
        call.objectives.set(objectives)
        audit_record(
            actor=actor,
            action="network.call.objectives",
            obj=call,
            before={"objectives": before_objectives},
            after={"objectives": sorted(o.pk for o in objectives)},
        )
    return updated


@transaction.atomic
def call_transition(*, call: CallForPractices, to: str, actor, note: str = "") -> CallForPractices:
    """Move a call: draft -> announced -> closed -> concluded (or cancelled)."""
    return _transition(obj=call, machine=call_flow.MACHINE, to=to, actor=actor, note=note)


PRACTICE_TEXT_FIELDS = (
    "title",
    "summary",
    "language",
    "description",
    "results",
    "innovation",
    "replicability",
    "resources",
)
PRACTICE_DATE_FIELDS = ("starts_on", "ends_on")
PRACTICE_M2M = {
    "countries": Country,
    "regions": Region,
    "objectives": GcmObjective,
    "principles": GuidingPrinciple,
    "sdg_indicators": SdgIndicator,
    "themes": Term,
    "organisations": Organisation,
}
PRACTICE_FIELDS = (*PRACTICE_TEXT_FIELDS, *PRACTICE_DATE_FIELDS, *PRACTICE_M2M, "call")


def _practice_values(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list]]:
    unknown = sorted(set(data) - set(PRACTICE_FIELDS))
    if unknown:
        raise ApplicationError(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)}, {"unknown": unknown}
        )
    values: dict[str, Any] = {}
    for name in PRACTICE_TEXT_FIELDS:
        if name in data:
            values[name] = (data[name] or "").strip()
    if len(values.get("title", "")) > 300:
        raise ApplicationError(_("The title is longer than 300 characters."), {"field": "title"})
    for name in PRACTICE_DATE_FIELDS:
        if name in data:
            values[name] = data[name]
    if "call" in data:
        call_id = data["call"]
        values["call"] = None
        if call_id:
            values["call"] = CallForPractices.objects.filter(pk=call_id).first()
            if values["call"] is None:
                raise ApplicationError(_("Unknown call for practices."), {"field": "call"})
    m2m: dict[str, list] = {}
    for name, model in PRACTICE_M2M.items():
        if name in data:
            queryset = (
                Term.objects.filter(vocabulary=Term.Vocabulary.THEME) if name == "themes" else None
            )
            m2m[name] = _resolve(model, data[name], field=name, queryset=queryset)
    return values, m2m


def _check_period(practice: Practice) -> None:
    if practice.starts_on and practice.ends_on and practice.ends_on < practice.starts_on:
        raise ApplicationError(_("The period ends before it starts."), {"field": "ends_on"})


@transaction.atomic
def practice_create(*, actor, data: dict[str, Any], is_illustrative: bool = False) -> Practice:
    """Save a practice as a draft. A draft may be incomplete: nothing typed is refused for being
    incomplete; the required fields are checked when it is submitted."""
    _require(actor, "network.practice.create")
    values, m2m = _practice_values(data)
    practice = Practice(submitted_by=actor, is_illustrative=is_illustrative, **values)
    _check_period(practice)
    practice.save()
    for name, rows in m2m.items():
        getattr(practice, name).set(rows)
    search.index_practices([practice])
    audit_record(
        actor=actor,
        action="network.practice.create",
        obj=practice,
        after={
            **model_values(practice, [*values]),
            **{k: [r.pk for r in v] for k, v in m2m.items()},
        },
    )
    _announce(practice, "network.practice.save")
    return practice


@transaction.atomic
def practice_update(*, actor, practice: Practice, data: dict[str, Any]) -> Practice:
    """Change a draft (or a practice the Secretariat is reviewing)."""
    _require(actor, "network.practice.update", practice)
    values, m2m = _practice_values(data)
    before = model_values(practice, [*values])
    for name, value in values.items():
        setattr(practice, name, value)
    _check_period(practice)
    practice.save(update_fields=[*values, "updated_at"])
    for name, rows in m2m.items():
        getattr(practice, name).set(rows)
    search.index_practices([practice])
    audit_record(
        actor=actor,
        action="network.practice.update",
        obj=practice,
        before=before,
        after={
            **model_values(practice, [*values]),
            **{k: [r.pk for r in v] for k, v in m2m.items()},
        },
    )
    _announce(practice, "network.practice.save")
    return practice


@transaction.atomic
def practice_submit(*, actor, practice: Practice) -> Practice:
    """Submit a draft (or a revised practice) for review; the draft is kept when it is refused."""
    _require(actor, "network.practice.submit", practice)
    if practice.state not in (practice_flow.State.DRAFT, practice_flow.State.CHANGES_REQUESTED):
        raise ConflictError(
            _("This practice has already been submitted."), {"state": practice.state}
        )
    missing = practice_missing_fields(practice)
    if missing:
        raise ApplicationError(_(INCOMPLETE_PRACTICE), {"missing": missing})
    duplicate = (
        Practice.objects.filter(title__iexact=practice.title)
        .exclude(pk=practice.pk)
        .exclude(state__in=[practice_flow.State.DRAFT, practice_flow.State.REJECTED])
    )
    if duplicate.exists():
        raise ConflictError(
            _(DUPLICATE_PRACTICE), {"field": "title", "existing": duplicate.first().pk}
        )
    if practice.call_id:
        call = practice.call
        if call.state != call_flow.State.ANNOUNCED:
            raise ConflictError(_(CALL_NOT_OPEN), {"field": "call"})
        if timezone.localdate() > call.deadline:
            raise ConflictError(
                _(CALL_DEADLINE), {"field": "call", "deadline": call.deadline.isoformat()}
            )
    return practice_transition(
        practice=practice,
        to=practice_flow.State.SUBMITTED,
        actor=actor,
        changes={"submitted_at": timezone.now()},
    )


@transaction.atomic
def practice_transition(
    *, practice: Practice, to: str, actor, note: str = "", changes: dict | None = None
) -> Practice:
    """Move a practice along the Hub's review: submitted -> in review -> changes requested or
    published (or not accepted); a published practice can be archived."""
    changes = dict(changes or {})
    if to == practice_flow.State.PUBLISHED:
        changes["published_at"] = timezone.now()
    if to in (practice_flow.State.CHANGES_REQUESTED, practice_flow.State.REJECTED):
        changes["review_note"] = note.strip()
    return _transition(
        obj=practice, machine=practice_flow.MACHINE, to=to, actor=actor, note=note, changes=changes
    )


@transaction.atomic
def attachment_add(
    *, actor, upload, practice: Practice | None = None, resource: Resource | None = None
) -> Attachment:
    """Attach a file (type and size checked, content sniffed) to a practice or a resource."""
    if practice is not None:
        _require(actor, "network.practice.update", practice)
    elif resource is not None:
        _require(actor, "network.resource.manage", resource)
    else:
        raise ApplicationError(_("Attach the file to a practice or a resource."))
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", 0) or 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    problem = attachment_problem(name=name, size=size, head=head)
    if problem:
        raise ApplicationError(problem, {"field": "file", "name": name})
    from pathlib import Path

    from compacts.network.validation import ALLOWED_EXTENSIONS

    attachment = Attachment(
        practice=practice,
        resource=resource,
        original_name=Path(name).name[:255],
        content_type=ALLOWED_EXTENSIONS[Path(name).suffix.lower()],
        size=size,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    attachment.file.save(Path(name).name, upload, save=False)
    attachment.save()
    audit_record(
        actor=actor,
        action="network.attachment.create",
        obj=attachment,
        after={
            "name": attachment.original_name,
            "size": size,
            "content_type": attachment.content_type,
        },
    )
    _announce(resource or attachment, "network.attachment.create")
    return attachment


def _delete_stored_file(storage, name: str) -> None:
    """Delete a removed attachment's file; a failure leaves an orphan file, never an error."""
    try:
        storage.delete(name)
    except OSError:
        logger.exception("The stored file %s of a removed attachment was not deleted.", name)


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment) -> None:
    """Remove a file from a practice or a resource (those who may edit the practice or manage
    the resource). The audit trail keeps what the file was; the stored file is deleted only once
    the transaction commits, so a rollback leaves it in place."""
    if not isinstance(attachment, Attachment):
        raise ApplicationError(_(NOT_AN_ATTACHMENT), {"field": "attachment"})
    if attachment.practice_id is not None:
        _require(actor, "network.practice.update", attachment.practice)
    else:
        _require(actor, "network.resource.manage", attachment.resource)
    locked = _locked(attachment)
    audit_record(
        actor=actor,
        action="network.attachment.delete",
        obj=locked,
        before={
            **model_values(locked, ["practice", "resource", "uploaded_by"]),
            "name": locked.original_name,
            "size": locked.size,
            "content_type": locked.content_type,
            "file": locked.file.name,
        },
    )
    _announce(locked.resource or locked, "network.attachment.delete")
    storage, name = locked.file.storage, locked.file.name
    locked.delete()
    if name:
        transaction.on_commit(lambda: _delete_stored_file(storage, name))


@transaction.atomic
def comment_create(
    *, actor, practice: Practice, body: str, is_illustrative: bool = False
) -> Comment:
    """Comment on a published practice; it shows once moderated."""
    _require(actor, "network.comment.create", practice)
    body = (body or "").strip()
    if not body:
        raise ApplicationError(_("The comment is empty."), {"field": "body"})
    if len(body) > 5000:
        raise ApplicationError(_("The comment is longer than 5,000 characters."), {"field": "body"})
    return _create(
        model=Comment,
        actor=actor,
        action="network.comment.create",
        values={
            "practice": practice,
            "author": actor,
            "body": body,
            "is_illustrative": is_illustrative,
        },
    )


@transaction.atomic
def comment_transition(*, comment: Comment, to: str, actor, note: str = "") -> Comment:
    """Moderate a comment: approve, reject, later hide."""
    return _transition(obj=comment, machine=comment_flow.MACHINE, to=to, actor=actor, note=note)


def _resource_values(
    *,
    title: str,
    resource_type: Term | None,
    description: str,
    language: str,
    publisher: str,
    published_on: datetime.date | None,
    geographic_scope: str,
    workstream_output: WorkingGroup | None,
    regional_review_process: str,
    keywords: str,
    url: str,
    status: str,
    audience_ids: list[int] | None,
    objective_ids: list[int] | None,
    theme_ids: list[int] | None,
    sdg_indicator_ids: list[int] | None,
) -> tuple[dict[str, Any], dict[str, list]]:
    """Check a resource's metadata; every problem names its field."""
    if not (title or "").strip():
        raise ApplicationError(_("A title is required."), {"field": "title"})
    if len(title.strip()) > 300:
        raise ApplicationError(_("The title is longer than 300 characters."), {"field": "title"})
    if resource_type is None or resource_type.vocabulary != Term.Vocabulary.RESOURCE_TYPE:
        raise ApplicationError(_("Unknown resource type."), {"field": "resource_type"})
    if status not in Resource.Status.values:
        raise ApplicationError(_("Unknown status."), {"field": "status"})
    m2m = {
        "audiences": _resolve(
            Term,
            audience_ids,
            field="audiences",
            queryset=Term.objects.filter(vocabulary=Term.Vocabulary.AUDIENCE),
        ),
        "objectives": _resolve(GcmObjective, objective_ids, field="objectives"),
        "themes": _resolve(
            Term,
            theme_ids,
            field="themes",
            queryset=Term.objects.filter(vocabulary=Term.Vocabulary.THEME),
        ),
        "sdg_indicators": _resolve(SdgIndicator, sdg_indicator_ids, field="sdg_indicators"),
    }
    values = {
        "title": title.strip(),
        "resource_type": resource_type,
        "description": (description or "").strip(),
        "language": language or "en",
        "publisher": (publisher or "").strip(),
        "published_on": published_on,
        "geographic_scope": (geographic_scope or "").strip(),
        "workstream_output": workstream_output,
        "regional_review_process": (regional_review_process or "").strip(),
        "keywords": (keywords or "").strip(),
        "url": (url or "").strip(),
        "status": status,
    }
    return values, m2m


@transaction.atomic
def resource_create(
    *,
    actor,
    title: str,
    resource_type: Term | None,
    description: str = "",
    language: str = "en",
    publisher: str = "",
    published_on: datetime.date | None = None,
    geographic_scope: str = "",
    workstream_output: WorkingGroup | None = None,
    regional_review_process: str = "",
    keywords: str = "",
    url: str = "",
    status: str = Resource.Status.CURRENT,
    audience_ids: list[int] | None = None,
    objective_ids: list[int] | None = None,
    theme_ids: list[int] | None = None,
    sdg_indicator_ids: list[int] | None = None,
    is_illustrative: bool = False,
) -> Resource:
    """Add a guidance document or resource to the library, with the Hub's metadata."""
    _require(actor, "network.resource.manage")
    values, m2m = _resource_values(
        title=title,
        resource_type=resource_type,
        description=description,
        language=language,
        publisher=publisher,
        published_on=published_on,
        geographic_scope=geographic_scope,
        workstream_output=workstream_output,
        regional_review_process=regional_review_process,
        keywords=keywords,
        url=url,
        status=status,
        audience_ids=audience_ids,
        objective_ids=objective_ids,
        theme_ids=theme_ids,
        sdg_indicator_ids=sdg_indicator_ids,
    )
    resource = _create(
        model=Resource,
        actor=actor,
        action="network.resource.create",
        values={**values, "is_illustrative": is_illustrative},
        m2m=m2m,
    )
    search.index_resources([resource])
    return resource


@transaction.atomic
def resource_update(
    *,
    actor,
    resource: Resource,
    title: str,
    resource_type: Term | None,
    description: str = "",
    language: str = "en",
    publisher: str = "",
    published_on: datetime.date | None = None,
    geographic_scope: str = "",
    workstream_output: WorkingGroup | None = None,
    regional_review_process: str = "",
    keywords: str = "",
    url: str = "",
    status: str = Resource.Status.CURRENT,
    audience_ids: list[int] | None = None,
    objective_ids: list[int] | None = None,
    theme_ids: list[int] | None = None,
    sdg_indicator_ids: list[int] | None = None,
) -> Resource:
    """Change a library resource's metadata (all of it: what is not given is emptied)."""
    _require(actor, "network.resource.manage", resource)
    values, m2m = _resource_values(
        title=title,
        resource_type=resource_type,
        description=description,
        language=language,
        publisher=publisher,
        published_on=published_on,
        geographic_scope=geographic_scope,
        workstream_output=workstream_output,
        regional_review_process=regional_review_process,
        keywords=keywords,
        url=url,
        status=status,
        audience_ids=audience_ids,
        objective_ids=objective_ids,
        theme_ids=theme_ids,
        sdg_indicator_ids=sdg_indicator_ids,
    )
    before = {
        **model_values(resource, list(values)),
        **{name: sorted(getattr(resource, name).values_list("pk", flat=True)) for name in m2m},
    }
    for name, value in values.items():
        setattr(resource, name, value)
    resource.save(update_fields=[*values, "updated_at"])
    for name, rows in m2m.items():
        getattr(resource, name).set(rows)
    search.index_resources([resource])
    audit_record(
        actor=actor,
        action="network.resource.update",
        obj=resource,
        before=before,
        after={
            **model_values(resource, list(values)),
            **{name: sorted(r.pk for r in rows) for name, rows in m2m.items()},
        },
    )
    _announce(resource, "network.resource.update")
    return resource


def get_or_404(model, pk) -> Any:
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise NotFoundError(_("Not found."))
    return obj
