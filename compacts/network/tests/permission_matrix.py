"""Permission matrix rows of the network app (format: docs/permissions.md; checked by
compacts/actors/tests/test_permission_matrix.py)."""

from compacts.actors import roles
from compacts.actors.testing import EVERY_ROLE, SIGNED_IN, SUPERUSER, cases, user_without_role
from compacts.network.models import WorkingGroupMember
from compacts.network.tests import factories

SECRETARIAT = {SUPERUSER, roles.NETWORK_SECRETARIAT}
SIGNED = set(EVERY_ROLE) | {SIGNED_IN, SUPERUSER}
MEMBERS = set(EVERY_ROLE) | {SUPERUSER}
CO_LEADS = SECRETARIAT | {roles.WORKING_GROUP_CO_LEAD}


def _someone_else():
    return user_without_role()


def _owner(ctx):
    """The subject when she can own records, else another person."""
    return ctx.user if getattr(ctx.user, "is_authenticated", False) else _someone_else()


def _group(ctx):
    """A working group co-led by ``ctx.organisation``."""
    group = factories.WorkingGroupFactory()
    WorkingGroupMember.objects.create(
        working_group=group, organisation=ctx.organisation, role="co-lead"
    )
    return group


def _activity(ctx):
    from compacts.network.models import WorkplanActivity

    return WorkplanActivity.objects.create(working_group=_group(ctx), title="Activity")


def _deliverable(ctx):
    from compacts.network.models import Deliverable

    return Deliverable.objects.create(working_group=_group(ctx), title="Tool")


def _group_event(ctx):
    return factories.EventFactory(working_group=_group(ctx))


def _event(ctx):
    return factories.EventFactory()


def _network(ctx):
    return factories.CountryNetworkFactory()


def _focal_point_network(ctx):
    """A network whose focal point (by her account) is the subject, when she can have one."""
    from compacts.network.models import FocalPoint

    network = factories.CountryNetworkFactory()
    FocalPoint.objects.create(
        network=network, organisation=ctx.organisation, name="Focal point", user=_owner(ctx)
    )
    return network


def _focal_point_activity(ctx):
    from compacts.network.models import WorkplanActivity

    return WorkplanActivity.objects.create(
        country_network=_focal_point_network(ctx), title="Activity"
    )


def _own_registration(ctx):
    from compacts.network.models import Registration

    return Registration.objects.create(event=factories.EventFactory(), user=_owner(ctx))


def _other_registration(ctx):
    from compacts.network.models import Registration

    return Registration.objects.create(event=factories.EventFactory(), user=_someone_else())


def _group_registration(ctx):
    from compacts.network.models import Registration

    return Registration.objects.create(event=_group_event(ctx), user=_someone_else())


def _own_request(ctx):
    return factories.SupportRequestFactory(submitted_by=_owner(ctx))


def _other_request(ctx):
    return factories.SupportRequestFactory(submitted_by=_someone_else())


def _own_draft(ctx):
    return factories.PracticeFactory(submitted_by=_owner(ctx), state="draft")


def _own_submitted(ctx):
    return factories.PracticeFactory(submitted_by=_owner(ctx), state="submitted")


def _other_draft(ctx):
    return factories.PracticeFactory(submitted_by=_someone_else(), state="draft")


def _published(ctx):
    return factories.PracticeFactory(submitted_by=_someone_else(), state="published")


def _comment(ctx):
    from compacts.network.models import Comment

    return Comment.objects.create(practice=_published(ctx), author=_someone_else(), body="Hello")


MATRIX = [
    *cases("network.structure.manage", allow=SECRETARIAT),
    *cases("network.working_group.manage", allow=CO_LEADS, obj_factory=_group),
    *cases("network.working_group.manage", allow=SECRETARIAT, obj_factory=_group, same_org=False),
    *cases("network.activity.transition", allow=CO_LEADS, obj_factory=_activity),
    *cases("network.activity.transition", allow=SECRETARIAT, obj_factory=_activity, same_org=False),
    *cases("network.deliverable.transition", allow=CO_LEADS, obj_factory=_deliverable),
    *cases(
        "network.deliverable.transition",
        allow=SECRETARIAT,
        obj_factory=_deliverable,
        same_org=False,
    ),
    *cases("network.deliverable.feedback", allow=CO_LEADS, obj_factory=_deliverable),
    *cases(
        "network.deliverable.feedback", allow=SECRETARIAT, obj_factory=_deliverable, same_org=False
    ),
    *cases("network.country_network.manage", allow=SECRETARIAT, obj_factory=_network),
    *cases(
        "network.country_network.manage",
        allow=SIGNED,
        obj_factory=_focal_point_network,
        label="focal-point",
    ),
    *cases("network.country_network.transition", allow=SECRETARIAT, obj_factory=_network),
    *cases(
        "network.country_network.transition",
        allow=SECRETARIAT,
        obj_factory=_focal_point_network,
        label="focal-point",
    ),
    *cases(
        "network.activity.transition",
        allow=SIGNED,
        obj_factory=_focal_point_activity,
        label="network-focal-point",
    ),
    *cases("network.event.manage", allow=CO_LEADS, obj_factory=_group_event),
    *cases("network.event.manage", allow=SECRETARIAT, obj_factory=_group_event, same_org=False),
    *cases("network.event.manage", allow=SECRETARIAT, obj_factory=_event, label="no-group"),
    *cases("network.event.register", allow=SIGNED, obj_factory=_event),
    *cases("network.registration.view", allow=SIGNED, obj_factory=_own_registration, label="own"),
    *cases(
        "network.registration.view",
        allow=SECRETARIAT,
        obj_factory=_other_registration,
        label="others",
    ),
    *cases(
        "network.registration.view",
        allow=CO_LEADS,
        obj_factory=_group_registration,
        label="group-event",
    ),
    *cases(
        "network.registration.manage",
        allow=SECRETARIAT,
        obj_factory=_other_registration,
        label="others",
    ),
    *cases(
        "network.registration.manage",
        allow=CO_LEADS,
        obj_factory=_group_registration,
        label="group-event",
    ),
    *cases("network.registration.cancel", allow=SIGNED, obj_factory=_own_registration, label="own"),
    *cases(
        "network.registration.cancel",
        allow=SECRETARIAT,
        obj_factory=_other_registration,
        label="others",
    ),
    *cases("network.support_request.create", allow=SECRETARIAT | {roles.GOVERNMENT_FOCAL_POINT}),
    *cases("network.support_request.view", allow=SIGNED, obj_factory=_own_request, label="own"),
    *cases(
        "network.support_request.view",
        allow=SECRETARIAT,
        obj_factory=_other_request,
        label="others",
    ),
    *cases("network.support_request.manage", allow=SECRETARIAT, obj_factory=_own_request),
    *cases("network.practice.create", allow=SIGNED),
    *cases("network.practice.view", allow=SIGNED, obj_factory=_own_draft, label="own-draft"),
    *cases(
        "network.practice.view", allow=SECRETARIAT, obj_factory=_other_draft, label="others-draft"
    ),
    *cases(
        "network.practice.view",
        allow=SIGNED | {"anonymous"},
        obj_factory=_published,
        label="published",
    ),
    *cases("network.practice.update", allow=SIGNED, obj_factory=_own_draft, label="own-draft"),
    *cases(
        "network.practice.update",
        allow=SECRETARIAT,
        obj_factory=_own_submitted,
        label="own-submitted",
    ),
    *cases(
        "network.practice.update", allow=SECRETARIAT, obj_factory=_other_draft, label="others-draft"
    ),
    *cases("network.practice.submit", allow=SIGNED, obj_factory=_own_draft, label="own-draft"),
    *cases("network.practice.submit", allow=set(), obj_factory=_other_draft, label="others-draft"),
    *cases("network.practice.review", allow=SECRETARIAT, obj_factory=_own_submitted),
    *cases("network.call.manage", allow=SECRETARIAT),
    *cases("network.resource.manage", allow=SECRETARIAT),
    *cases("network.comment.create", allow=MEMBERS, obj_factory=_published, label="published"),
    *cases("network.comment.create", allow=set(), obj_factory=_other_draft, label="draft"),
    *cases("network.comment.moderate", allow=SECRETARIAT, obj_factory=_comment),
    *cases("network.review_queue.view", allow=SECRETARIAT),
    *cases("network.members_area.view", allow=SIGNED),
]
