"""Who may do what in the network app (deny by default; rules registered by operation).

Transitions are governed by the workflow tables: their roles are *relations* of a person to a
record, resolved here by ``actor_relations``.
"""

from compacts.actors.selectors import user_has_role, user_organisation_ids
from compacts.core.permissions import rule

SECRETARIAT = "network-secretariat"
CO_LEAD = "working-group-co-lead"
GOVERNMENT = "government-focal-point"


def is_secretariat(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user_has_role(user, SECRETARIAT)


def is_member(user) -> bool:
    """A signed-in person acting for at least one organisation (a member of the community)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(user_organisation_ids(user))


def co_leads(user, working_group) -> bool:
    """Whether ``user`` holds the co-lead role in an organisation that co-leads the group."""
    if working_group is None or user is None or not user.is_authenticated:
        return False
    org_ids = user_organisation_ids(user, role_codes=[CO_LEAD])
    if not org_ids:
        return False
    return working_group.members.filter(role="co-lead", organisation_id__in=org_ids).exists()


def _working_group_of(obj):
    from compacts.network.models import Deliverable, Event, WorkingGroup, WorkplanActivity

    if isinstance(obj, WorkingGroup):
        return obj
    if isinstance(obj, Deliverable | Event | WorkplanActivity):
        return obj.working_group
    return None


def _country_network_of(obj):
    from compacts.network.models import CountryNetwork, Event, WorkplanActivity

    if isinstance(obj, CountryNetwork):
        return obj
    if isinstance(obj, WorkplanActivity | Event):
        return obj.country_network
    return None


def focal_point_of(user, network) -> bool:
    if network is None or user is None or not user.is_authenticated:
        return False
    return network.focal_points.filter(user=user).exists()


def actor_relations(user, obj) -> set[str]:
    """The workflow roles ``user`` holds towards ``obj`` (see ``network/workflows``)."""
    relations: set[str] = set()
    if user is None or not user.is_authenticated or not user.is_active:
        return relations
    if is_secretariat(user):
        relations.add("secretariat")
    if getattr(obj, "submitted_by_id", None) == user.pk:
        relations.add("submitter")
    if getattr(obj, "assignee_id", None) == user.pk:
        relations.add("assignee")
    if obj.__class__.__name__ == "Registration" and obj.user_id == user.pk:
        relations.add("registrant")
    if co_leads(user, _working_group_of(obj)):
        relations.add("co-lead")
    if focal_point_of(user, _country_network_of(obj)):
        relations.add("focal-point")
    return relations


# --- Structure -------------------------------------------------------------------------------


@rule("network.structure.manage")
def can_manage_structure(user, obj) -> bool:
    """Members, Executive Committee, champion countries, working groups, vocabularies."""
    return is_secretariat(user)


@rule("network.working_group.manage")
def can_manage_working_group(user, working_group) -> bool:
    """Workplan activities, deliverables and members of one working group."""
    return is_secretariat(user) or co_leads(user, working_group)


@rule("network.activity.transition")
def can_move_activity(user, activity) -> bool:
    return bool(
        actor_relations(user, activity) & {"secretariat", "co-lead", "assignee", "focal-point"}
    )


@rule("network.deliverable.transition")
def can_move_deliverable(user, deliverable) -> bool:
    return bool(actor_relations(user, deliverable) & {"secretariat", "co-lead"})


@rule("network.deliverable.feedback")
def can_add_feedback(user, deliverable) -> bool:
    """Champion countries' pilot feedback is entered by the Secretariat or the co-leads."""
    return bool(actor_relations(user, deliverable) & {"secretariat", "co-lead"})


@rule("network.country_network.manage")
def can_manage_country_network(user, network) -> bool:
    """A network's record, what it did and its workplan: the Secretariat or its focal points."""
    return is_secretariat(user) or focal_point_of(user, network)


@rule("network.country_network.transition")
def can_move_country_network(user, network) -> bool:
    return is_secretariat(user)


# --- Capacity building -----------------------------------------------------------------------


@rule("network.event.manage")
def can_manage_event(user, event) -> bool:
    """Create or change an event: the Secretariat, or a co-lead of the event's working group
    (``event`` may be the working group when the event does not exist yet)."""
    if is_secretariat(user):
        return True
    return co_leads(user, _working_group_of(event))


@rule("network.event.register")
def can_register(user, event) -> bool:
    return bool(user is not None and user.is_authenticated)


@rule("network.registration.view")
def can_view_registration(user, registration) -> bool:
    return bool(actor_relations(user, registration) & {"registrant", "secretariat"}) or (
        registration is not None and co_leads(user, registration.event.working_group)
    )


@rule("network.registration.manage")
def can_manage_registration(user, registration) -> bool:
    """Confirm, decline, record attendance."""
    if is_secretariat(user):
        return True
    return registration is not None and co_leads(user, registration.event.working_group)


@rule("network.registration.cancel")
def can_cancel_registration(user, registration) -> bool:
    return bool(actor_relations(user, registration) & {"registrant", "secretariat"})


@rule("network.support_request.create")
def can_request_support(user, obj) -> bool:
    """Member State focal points ask for support; the Secretariat records requests it receives."""
    return is_secretariat(user) or user_has_role(user, GOVERNMENT)


@rule("network.support_request.view")
def can_view_support_request(user, request) -> bool:
    if is_secretariat(user):
        return True
    return request is not None and getattr(user, "pk", None) == request.submitted_by_id


@rule("network.support_request.manage")
def can_manage_support_request(user, request) -> bool:
    """Match, record support, close, link a concept note."""
    return is_secretariat(user)


# --- Knowledge hub ---------------------------------------------------------------------------


@rule("network.practice.create")
def can_create_practice(user, obj) -> bool:
    """Anyone signed in may submit a practice (the Hub requires a login)."""
    return bool(user is not None and user.is_authenticated)


@rule("network.practice.view")
def can_view_practice(user, practice) -> bool:
    if practice is not None and practice.state in ("published", "archived"):
        return True
    return bool(actor_relations(user, practice) & {"submitter", "secretariat"})


@rule("network.practice.update")
def can_update_practice(user, practice) -> bool:
    """The submitter edits her draft or answers a request for changes; the Secretariat edits
    anything it is reviewing."""
    relations = actor_relations(user, practice)
    if "secretariat" in relations:
        return True
    return "submitter" in relations and practice.state in ("draft", "changes-requested")


@rule("network.practice.submit")
def can_submit_practice(user, practice) -> bool:
    return "submitter" in actor_relations(user, practice)


@rule("network.practice.review")
def can_review_practice(user, practice) -> bool:
    return is_secretariat(user)


@rule("network.call.manage")
def can_manage_call(user, call) -> bool:
    return is_secretariat(user)


@rule("network.resource.manage")
def can_manage_resource(user, resource) -> bool:
    return is_secretariat(user)


@rule("network.comment.create")
def can_comment(user, practice) -> bool:
    """Signed-in members comment on published practices."""
    return is_member(user) and practice is not None and practice.state == "published"


@rule("network.comment.moderate")
def can_moderate(user, comment) -> bool:
    return is_secretariat(user)


@rule("network.review_queue.view")
def can_view_queues(user, obj) -> bool:
    return is_secretariat(user)


@rule("network.members_area.view")
def can_view_members_area(user, obj) -> bool:
    return bool(user is not None and user.is_authenticated)
