"""Who may do what in the programme cycle (deny by default; docs/programmes.md).

- The Management Unit, the Committee (chair and members), the administrative agent and platform
  administrators see every programme; people of a submitting or participating organisation see
  that organisation's programmes, drafts included; everyone, the public included, sees a
  programme once the Committee has endorsed it (the pipeline is published).
- Submitters (``rco-submitter``) and focal points of participating organisations
  (``puno-focal-point``) draft and submit for their own organisations only.
- Each transition of ``workflows/programme.py`` is one operation,
  ``programmes.programme.<from>.<to>``, allowed to the roles its rule names (submitters and focal
  points for their own organisations only) and to platform administrators.
"""

from compacts.actors import roles
from compacts.actors.selectors import user_has_role, user_organisation_ids
from compacts.core.permissions import rule
from compacts.programmes.workflows.programme import MACHINE, SUBMITTERS, State

OVERSEERS = (
    roles.MANAGEMENT_UNIT_OFFICER,
    roles.STEERING_COMMITTEE_CHAIR,
    roles.STEERING_COMMITTEE_MEMBER,
    roles.ADMINISTRATIVE_AGENT,
)
PUBLIC_STATES = frozenset(
    {
        State.ENDORSED,
        State.INVITED,
        State.DOCUMENT_SUBMITTED,
        State.TECHNICAL_REVIEW,
        State.APPROVED,
        State.ACTIVE,
        State.OPERATIONALLY_CLOSED,
        State.FINANCIALLY_CLOSED,
    }
)


def _any_role(user, codes) -> bool:
    if user.is_superuser:
        return True
    return any(user_has_role(user, code) for code in codes)


def programme_organisation_ids(programme) -> set[int]:
    ids = {programme.submitting_organisation_id}
    ids.update(programme.participating_organisations.values_list("pk", flat=True))
    return ids


def acts_for(user, programme, codes=SUBMITTERS) -> bool:
    """Whether ``user`` holds one of ``codes`` in an organisation of the programme."""
    if not user.is_authenticated or programme is None:
        return False
    return bool(
        user_organisation_ids(user, role_codes=list(codes)) & programme_organisation_ids(programme)
    )


@rule("programmes.programme.view")
def can_view_programme(user, programme) -> bool:
    if programme is None:
        return False
    if programme.state in PUBLIC_STATES:
        return True
    if not user.is_authenticated:
        return False
    if _any_role(user, OVERSEERS):
        return True
    return bool(user_organisation_ids(user) & programme_organisation_ids(programme))


@rule("programmes.programme.view-all")
def can_view_all_programmes(user, obj=None) -> bool:
    return user.is_authenticated and _any_role(user, OVERSEERS)


@rule("programmes.programme.create")
def can_create_programme(user, obj=None) -> bool:
    return user.is_authenticated and _any_role(user, SUBMITTERS)


@rule("programmes.programme.edit")
def can_edit_programme(user, programme) -> bool:
    if not user.is_authenticated or programme is None:
        return False
    return user.is_superuser or acts_for(user, programme)


@rule("programmes.document.edit")
def can_edit_document(user, programme) -> bool:
    """The joint programme document: its submitters and focal points, and the Management Unit
    (budget revisions during implementation)."""
    if not user.is_authenticated or programme is None:
        return False
    return _any_role(user, [roles.MANAGEMENT_UNIT_OFFICER]) or acts_for(user, programme)


@rule("programmes.attachment.download")
def can_download_attachment(user, programme) -> bool:
    if not user.is_authenticated or programme is None:
        return False
    return _any_role(user, OVERSEERS) or bool(
        user_organisation_ids(user) & programme_organisation_ids(programme)
    )


def _transition_rule(source: str, target: str, role_codes: frozenset[str]):
    object_level = set(role_codes) & set(SUBMITTERS)
    global_roles = set(role_codes) - object_level

    def check(user, programme) -> bool:
        if not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        if any(user_has_role(user, code) for code in sorted(global_roles)):
            return True
        return bool(object_level) and acts_for(user, programme, sorted(object_level))

    check.__doc__ = f"{source} -> {target}: {', '.join(sorted(role_codes))}."
    return check


for (_source, _target), _rule in MACHINE.transitions.items():
    rule(f"programmes.programme.{_source}.{_target}")(
        _transition_rule(_source, _target, _rule.roles)
    )


@rule("programmes.screening.record")
def can_screen(user, programme=None) -> bool:
    return user.is_authenticated and _any_role(user, [roles.MANAGEMENT_UNIT_OFFICER])


@rule("programmes.review.submit")
def can_review(user, programme=None) -> bool:
    return user.is_authenticated and _any_role(user, [roles.MANAGEMENT_UNIT_OFFICER])


@rule("programmes.committee.manage")
def can_manage_committee(user, obj=None) -> bool:
    """Constituencies, seats, members and terms; meetings and their agenda."""
    return user.is_authenticated and _any_role(user, [roles.MANAGEMENT_UNIT_OFFICER])


@rule("programmes.meeting.view")
def can_view_meetings(user, meeting=None) -> bool:
    return user.is_authenticated and _any_role(
        user,
        [
            roles.MANAGEMENT_UNIT_OFFICER,
            roles.STEERING_COMMITTEE_CHAIR,
            roles.STEERING_COMMITTEE_MEMBER,
        ],
    )


@rule("programmes.decision.record")
def can_record_decision(user, meeting=None) -> bool:
    """The Committee decides; the Management Unit (its secretariat) or the chair records it."""
    return user.is_authenticated and _any_role(
        user, [roles.MANAGEMENT_UNIT_OFFICER, roles.STEERING_COMMITTEE_CHAIR]
    )


@rule("programmes.conflict.declare")
def can_declare_conflict(user, meeting=None) -> bool:
    return user.is_authenticated and _any_role(
        user,
        [
            roles.MANAGEMENT_UNIT_OFFICER,
            roles.STEERING_COMMITTEE_CHAIR,
            roles.STEERING_COMMITTEE_MEMBER,
        ],
    )


@rule("programmes.minutes.approve")
def can_approve_minutes(user, meeting=None) -> bool:
    return user.is_authenticated and _any_role(user, [roles.STEERING_COMMITTEE_CHAIR])


@rule("programmes.tranche.transfer")
def can_transfer_tranche(user, programme=None) -> bool:
    return user.is_authenticated and _any_role(user, [roles.ADMINISTRATIVE_AGENT])


@rule("programmes.event.record")
def can_record_event(user, programme=None) -> bool:
    """Budget revisions and no-cost extensions of an active programme."""
    return user.is_authenticated and _any_role(user, [roles.MANAGEMENT_UNIT_OFFICER])


@rule("programmes.event.request")
def can_request_event(user, programme=None) -> bool:
    """Asking for a budget revision or a no-cost extension: the programme's submitters and
    focal points (for their own programmes) and the Management Unit."""
    if not user.is_authenticated or programme is None:
        return False
    return _any_role(user, [roles.MANAGEMENT_UNIT_OFFICER]) or acts_for(user, programme)


@rule("programmes.call.manage")
def can_manage_calls(user, obj=None) -> bool:
    """Opening and editing calls for concept notes: the Management Unit."""
    return user.is_authenticated and _any_role(user, [roles.MANAGEMENT_UNIT_OFFICER])
