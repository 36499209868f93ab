"""Who may do what in the tracking app. Deny by default; one condition per line.

Relations to a record (``record_relations``) feed both these rules and the state machines:
``owner`` is a member of the record's organisation in a role that may act for it (pledges), or a
government focal point of the record's country (plans, national reviews, health assessments);
``secretariat`` is the Network secretariat or a platform administrator.
"""

from compacts.actors.models import Organisation
from compacts.actors.selectors import user_has_role, user_organisation_ids
from compacts.core.permissions import rule
from compacts.tracking.workflows import OWNER, SECRETARIAT

SECRETARIAT_ROLE = "network-secretariat"
GOVERNMENT_ROLE = "government-focal-point"
#: Roles that may pledge on behalf of their organisation: Member State and stakeholder focal
#: points, and UN entities' focal points (common pledges of the Network).
PLEDGER_ROLES = ["government-focal-point", "stakeholder-contributor", "puno-focal-point"]
#: Roles that may register for a forum or send a written submission.
PARTICIPANT_ROLES = [*PLEDGER_ROLES, "network-secretariat", "working-group-co-lead"]


def is_secretariat(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user_has_role(user, SECRETARIAT_ROLE)


def pledger_organisation_ids(user) -> set[int]:
    return user_organisation_ids(user, role_codes=PLEDGER_ROLES)


def government_country_ids(user) -> set[int]:
    """The countries whose government the user is a focal point of."""
    org_ids = user_organisation_ids(user, role_codes=[GOVERNMENT_ROLE])
    if not org_ids:
        return set()
    return set(
        Organisation.objects.filter(id__in=org_ids, country__isnull=False).values_list(
            "country_id", flat=True
        )
    )


def _country_id(obj) -> int | None:
    if hasattr(obj, "plan"):  # PlanVersion
        return obj.plan.country_id
    if hasattr(obj, "version"):  # PlanAction
        return obj.version.plan.country_id
    return getattr(obj, "country_id", None)


def record_relations(user, obj) -> set[str]:
    """The relations of ``user`` to a tracked record, for rules and state machines."""
    relations: set[str] = set()
    if is_secretariat(user):
        relations.add(SECRETARIAT)
    if user is None or not user.is_authenticated or obj is None:
        return relations
    model = type(obj).__name__
    if model in {"Pledge", "GcrPledge"}:
        if obj.organisation_id in pledger_organisation_ids(user):
            relations.add(OWNER)
    elif model in {"NationalPlan", "PlanVersion", "PlanAction", "NationalReview"}:
        if _country_id(obj) in government_country_ids(user):
            relations.add(OWNER)
    elif model == "Commitment" and obj.owner_id in user_organisation_ids(user):
        relations.add(OWNER)
    return relations


# --- Pledges (GCM and GCR) -----------------------------------------------------------------


@rule("tracking.pledge.create")
def can_create_pledge(user, organisation) -> bool:
    """``organisation``: the pledger, or ``None`` to ask whether the user may pledge at all."""
    if organisation is None:
        return bool(pledger_organisation_ids(user)) or is_secretariat(user)
    return organisation.pk in pledger_organisation_ids(user)


@rule("tracking.pledge.view")
def can_view_pledge(user, pledge) -> bool:
    from compacts.tracking.workflows.pledge import PUBLIC

    if pledge.state in PUBLIC:
        return True
    return bool(record_relations(user, pledge))


@rule("tracking.pledge.edit")
def can_edit_pledge(user, pledge) -> bool:
    from compacts.tracking.workflows.pledge import EDITABLE

    if pledge.state not in EDITABLE:
        return False
    return OWNER in record_relations(user, pledge)


@rule("tracking.pledge.transition")
def can_move_pledge(user, pledge) -> bool:
    return bool(record_relations(user, pledge))


@rule("tracking.pledge.report")
def can_report_on_pledge(user, pledge) -> bool:
    from compacts.tracking.workflows.pledge import PledgeState

    if pledge.state != PledgeState.PUBLISHED:
        return False
    return bool(record_relations(user, pledge))


@rule("tracking.pledge.review")
def can_review_pledges(user, obj) -> bool:
    return is_secretariat(user)


@rule("tracking.pledge.bulk_upload")
def can_bulk_upload_pledges(user, obj) -> bool:
    return is_secretariat(user)


@rule("tracking.pledge.link_fund")
def can_link_pledge_to_fund(user, pledge) -> bool:
    return is_secretariat(user)


@rule("tracking.gcr_pledge.create")
def can_create_gcr_pledge(user, organisation) -> bool:
    if organisation is None:
        return bool(pledger_organisation_ids(user)) or is_secretariat(user)
    return organisation.pk in pledger_organisation_ids(user)


@rule("tracking.gcr_pledge.view")
def can_view_gcr_pledge(user, pledge) -> bool:
    from compacts.tracking.workflows.gcr_pledge import PUBLIC

    if pledge.state in PUBLIC:
        return True
    return bool(record_relations(user, pledge))


@rule("tracking.gcr_pledge.edit")
def can_edit_gcr_pledge(user, pledge) -> bool:
    """The pledger's focal points, and the secretariat (which records pledges received on
    UNHCR's form on the pledgers' behalf), while the pledge is a draft or returned."""
    from compacts.tracking.workflows.gcr_pledge import EDITABLE

    if pledge.state not in EDITABLE:
        return False
    return bool(record_relations(user, pledge))


@rule("tracking.gcr_pledge.transition")
def can_move_gcr_pledge(user, pledge) -> bool:
    return bool(record_relations(user, pledge))


@rule("tracking.gcr_pledge.report")
def can_report_on_gcr_pledge(user, pledge) -> bool:
    from compacts.tracking.workflows.gcr_pledge import GcrPledgeState

    if pledge.state != GcrPledgeState.PUBLISHED:
        return False
    return bool(record_relations(user, pledge))


# --- National plans and reviews -------------------------------------------------------------


@rule("tracking.plan.create")
def can_create_plan(user, country) -> bool:
    """``country``: the plan's country, or ``None`` to ask whether the user may create any."""
    if is_secretariat(user):
        return True
    countries = government_country_ids(user)
    if country is None:
        return bool(countries)
    return country.pk in countries


@rule("tracking.plan.view")
def can_view_plan_version(user, version) -> bool:
    from compacts.tracking.workflows.plan_version import PUBLIC

    if version.state in PUBLIC:
        return True
    return bool(record_relations(user, version))


@rule("tracking.plan.edit")
def can_edit_plan_version(user, version) -> bool:
    from compacts.tracking.workflows.plan_version import EDITABLE

    if version.state not in EDITABLE:
        return False
    return bool(record_relations(user, version))


@rule("tracking.plan.transition")
def can_move_plan_version(user, version) -> bool:
    return bool(record_relations(user, version))


@rule("tracking.plan.report")
def can_report_on_plan_action(user, action) -> bool:
    from compacts.tracking.workflows.plan_version import PlanVersionState

    if action.version.state != PlanVersionState.PUBLISHED:
        return False
    return bool(record_relations(user, action))


@rule("tracking.national_review.create")
def can_create_national_review(user, country) -> bool:
    return can_create_plan(user, country)


@rule("tracking.national_review.view")
def can_view_national_review(user, review) -> bool:
    from compacts.tracking.workflows.national_review import PUBLIC

    if review.state in PUBLIC:
        return True
    return bool(record_relations(user, review))


@rule("tracking.national_review.attach")
def can_attach_to_national_review(user, review) -> bool:
    """Government focal points of the review's country and the secretariat, while the review is
    a draft or returned (a submitted review is what the forum receives)."""
    from compacts.tracking.workflows.national_review import EDITABLE

    if review.state not in EDITABLE:
        return False
    return bool(record_relations(user, review))


@rule("tracking.national_review.transition")
def can_move_national_review(user, review) -> bool:
    return bool(record_relations(user, review))


# --- Indicators and the health lens --------------------------------------------------------


@rule("tracking.indicator.manage")
def can_manage_indicator(user, indicator) -> bool:
    """The catalogue: the secretariat; a country's own indicators: its government too."""
    if is_secretariat(user):
        return True
    if indicator is None or indicator.country_id is None:
        return False
    return indicator.country_id in government_country_ids(user)


@rule("tracking.indicator.import")
def can_import_indicator_data(user, indicator) -> bool:
    return can_manage_indicator(user, indicator)


@rule("tracking.health_policy.record")
def can_record_health_policy(user, country) -> bool:
    if is_secretariat(user):
        return True
    if country is None:
        return False
    return country.pk in government_country_ids(user)


# --- The review cycle --------------------------------------------------------------------


@rule("tracking.cycle.manage")
def can_manage_cycle(user, obj) -> bool:
    """IMRF editions, round tables, regional reviews, commitments and pledge stages."""
    return is_secretariat(user)


@rule("tracking.commitment.transition")
def can_move_commitment(user, commitment) -> bool:
    return bool(record_relations(user, commitment))


@rule("tracking.registration.create")
def can_register(user, organisation) -> bool:
    if organisation is None:
        return False
    return organisation.pk in user_organisation_ids(user, role_codes=PARTICIPANT_ROLES)


@rule("tracking.registration.decide")
def can_decide_registration(user, registration) -> bool:
    return is_secretariat(user)


@rule("tracking.submission.create")
def can_submit_written_input(user, organisation) -> bool:
    return can_register(user, organisation)


@rule("tracking.submission.view")
def can_view_submission(user, submission) -> bool:
    if submission.status == "published":
        return True
    if is_secretariat(user):
        return True
    return submission.organisation_id in user_organisation_ids(user)


@rule("tracking.submission.publish")
def can_publish_submission(user, submission) -> bool:
    return is_secretariat(user)
