"""Permission-matrix rows of the tracking app (format: docs/permissions.md).

Pledger roles act for their own organisation; the Network secretariat (and platform
administrators) review; government focal points act for their organisation's country.
"""

from compacts.actors import roles
from compacts.actors.testing import ANONYMOUS, EVERY_ROLE, SIGNED_IN, SUPERUSER, cases
from compacts.tracking.models import (
    Commitment,
    GcrPledge,
    ImrfEdition,
    Indicator,
    NationalPlan,
    NationalReview,
    PlanAction,
    PlanVersion,
    Pledge,
    StakeholderRegistration,
    WrittenSubmission,
)

EVERYONE = {ANONYMOUS, SIGNED_IN, SUPERUSER, *EVERY_ROLE}
SECRETARIAT = {roles.NETWORK_SECRETARIAT, SUPERUSER}
PLEDGERS = {roles.GOVERNMENT_FOCAL_POINT, roles.STAKEHOLDER_CONTRIBUTOR, roles.PUNO_FOCAL_POINT}
PARTICIPANTS = {*PLEDGERS, roles.NETWORK_SECRETARIAT, roles.WORKING_GROUP_CO_LEAD}
GOVERNMENT = {roles.GOVERNMENT_FOCAL_POINT, *SECRETARIAT}


def _org(ctx):
    return ctx.organisation


def _pledge(state):
    return lambda ctx: Pledge(organisation=ctx.organisation, state=state)


def _gcr_pledge(state):
    return lambda ctx: GcrPledge(organisation=ctx.organisation, state=state)


def _countries(ctx):
    """Give the subject's home organisation one country and the other organisation another;
    returns the country of ``ctx.organisation``."""
    from compacts.tracking.tests import factories as f

    ctx.home.country = f.country()
    ctx.home.save(update_fields=["country"])
    ctx.other.country = f.country("566", "NG", "Nigeria")
    ctx.other.save(update_fields=["country"])
    return ctx.organisation.country


def _country(ctx):
    return _countries(ctx)


def _nothing_with_countries(ctx):
    _countries(ctx)
    return None


def _version(state):
    return lambda ctx: PlanVersion(plan=NationalPlan(country=_countries(ctx)), state=state)


def _action(state):
    return lambda ctx: PlanAction(version=_version(state)(ctx))


def _review(state):
    return lambda ctx: NationalReview(country=_countries(ctx), state=state)


def _national_indicator(ctx):
    return Indicator(kind="national", country=_countries(ctx))


def _sdg_indicator(ctx):
    _countries(ctx)
    return Indicator(kind="sdg")


def _commitment(ctx):
    return Commitment(edition=ImrfEdition(year=2022), owner=ctx.organisation, state="open")


def _registration(ctx):
    return StakeholderRegistration(organisation=ctx.organisation)


def _submission(status):
    return lambda ctx: WrittenSubmission(organisation=ctx.organisation, status=status)


def _both(operation, *, own, other, obj_factory, label=""):
    return [
        *cases(operation, allow=own, obj_factory=obj_factory, label=label),
        *cases(operation, allow=other, obj_factory=obj_factory, same_org=False, label=label),
    ]


MATRIX = [
    # GCM pledges
    *_both("tracking.pledge.create", own=PLEDGERS, other=set(), obj_factory=_org),
    *cases("tracking.pledge.create", allow=PLEDGERS | SECRETARIAT, label="any"),
    *_both(
        "tracking.pledge.view",
        own=EVERYONE,
        other=EVERYONE,
        obj_factory=_pledge("published"),
        label="published",
    ),
    *_both(
        "tracking.pledge.view",
        own=PLEDGERS | SECRETARIAT,
        other=SECRETARIAT,
        obj_factory=_pledge("draft"),
        label="draft",
    ),
    *_both(
        "tracking.pledge.edit",
        own=PLEDGERS,
        other=set(),
        obj_factory=_pledge("draft"),
        label="draft",
    ),
    *_both(
        "tracking.pledge.edit",
        own=set(),
        other=set(),
        obj_factory=_pledge("published"),
        label="published",
    ),
    *_both(
        "tracking.pledge.transition",
        own=PLEDGERS | SECRETARIAT,
        other=SECRETARIAT,
        obj_factory=_pledge("submitted"),
    ),
    *_both(
        "tracking.pledge.report",
        own=PLEDGERS | SECRETARIAT,
        other=SECRETARIAT,
        obj_factory=_pledge("published"),
        label="published",
    ),
    *_both(
        "tracking.pledge.report",
        own=set(),
        other=set(),
        obj_factory=_pledge("draft"),
        label="draft",
    ),
    *cases("tracking.pledge.review", allow=SECRETARIAT),
    *cases("tracking.pledge.bulk_upload", allow=SECRETARIAT),
    *cases("tracking.pledge.link_fund", allow=SECRETARIAT, obj_factory=_pledge("published")),
    # GCR pledges
    *_both("tracking.gcr_pledge.create", own=PLEDGERS, other=set(), obj_factory=_org),
    *cases("tracking.gcr_pledge.create", allow=PLEDGERS | SECRETARIAT, label="any"),
    *_both(
        "tracking.gcr_pledge.view",
        own=EVERYONE,
        other=EVERYONE,
        obj_factory=_gcr_pledge("published"),
        label="published",
    ),
    *_both(
        "tracking.gcr_pledge.view",
        own=PLEDGERS | SECRETARIAT,
        other=SECRETARIAT,
        obj_factory=_gcr_pledge("draft"),
        label="draft",
    ),
    # Editable while a draft or returned, by the pledger's focal points and the secretariat
    # (which records pledges received on UNHCR's form on the pledgers' behalf).
    *_both(
        "tracking.gcr_pledge.edit",
        own=PLEDGERS | SECRETARIAT,
        other=SECRETARIAT,
        obj_factory=_gcr_pledge("draft"),
        label="draft",
    ),
    *_both(
        "tracking.gcr_pledge.edit",
        own=PLEDGERS | SECRETARIAT,
        other=SECRETARIAT,
        obj_factory=_gcr_pledge("returned"),
        label="returned",
    ),
    *_both(
        "tracking.gcr_pledge.edit",
        own=set(),
        other=set(),
        obj_factory=_gcr_pledge("submitted"),
        label="submitted",
    ),
    *_both(
        "tracking.gcr_pledge.edit",
        own=set(),
        other=set(),
        obj_factory=_gcr_pledge("published"),
        label="published",
    ),
    *_both(
        "tracking.gcr_pledge.transition",
        own=PLEDGERS | SECRETARIAT,
        other=SECRETARIAT,
        obj_factory=_gcr_pledge("draft"),
    ),
    *_both(
        "tracking.gcr_pledge.report",
        own=PLEDGERS | SECRETARIAT,
        other=SECRETARIAT,
        obj_factory=_gcr_pledge("published"),
        label="published",
    ),
    *_both(
        "tracking.gcr_pledge.report",
        own=set(),
        other=set(),
        obj_factory=_gcr_pledge("submitted"),
        label="submitted",
    ),
    # National plans and reviews (the subject's organisation is her country's government)
    *_both("tracking.plan.create", own=GOVERNMENT, other=SECRETARIAT, obj_factory=_country),
    *cases(
        "tracking.plan.create", allow=GOVERNMENT, obj_factory=_nothing_with_countries, label="any"
    ),
    *_both(
        "tracking.plan.view",
        own=EVERYONE,
        other=EVERYONE,
        obj_factory=_version("published"),
        label="published",
    ),
    *_both(
        "tracking.plan.view",
        own=GOVERNMENT,
        other=SECRETARIAT,
        obj_factory=_version("draft"),
        label="draft",
    ),
    *_both(
        "tracking.plan.edit",
        own=GOVERNMENT,
        other=SECRETARIAT,
        obj_factory=_version("draft"),
        label="draft",
    ),
    *_both(
        "tracking.plan.edit",
        own=set(),
        other=set(),
        obj_factory=_version("published"),
        label="published",
    ),
    *_both(
        "tracking.plan.transition",
        own=GOVERNMENT,
        other=SECRETARIAT,
        obj_factory=_version("submitted"),
    ),
    *_both(
        "tracking.plan.report",
        own=GOVERNMENT,
        other=SECRETARIAT,
        obj_factory=_action("published"),
        label="published",
    ),
    *_both(
        "tracking.plan.report", own=set(), other=set(), obj_factory=_action("draft"), label="draft"
    ),
    *_both(
        "tracking.national_review.create", own=GOVERNMENT, other=SECRETARIAT, obj_factory=_country
    ),
    *_both(
        "tracking.national_review.view",
        own=EVERYONE,
        other=EVERYONE,
        obj_factory=_review("published"),
        label="published",
    ),
    *_both(
        "tracking.national_review.view",
        own=GOVERNMENT,
        other=SECRETARIAT,
        obj_factory=_review("draft"),
        label="draft",
    ),
    *_both(
        "tracking.national_review.attach",
        own=GOVERNMENT,
        other=SECRETARIAT,
        obj_factory=_review("draft"),
        label="draft",
    ),
    *_both(
        "tracking.national_review.attach",
        own=GOVERNMENT,
        other=SECRETARIAT,
        obj_factory=_review("returned"),
        label="returned",
    ),
    *_both(
        "tracking.national_review.attach",
        own=set(),
        other=set(),
        obj_factory=_review("submitted"),
        label="submitted",
    ),
    *_both(
        "tracking.national_review.attach",
        own=set(),
        other=set(),
        obj_factory=_review("published"),
        label="published",
    ),
    *_both(
        "tracking.national_review.transition",
        own=GOVERNMENT,
        other=SECRETARIAT,
        obj_factory=_review("draft"),
    ),
    # Indicators and the health lens
    *_both(
        "tracking.indicator.manage",
        own=GOVERNMENT,
        other=SECRETARIAT,
        obj_factory=_national_indicator,
        label="national",
    ),
    *cases("tracking.indicator.manage", allow=SECRETARIAT, obj_factory=_sdg_indicator, label="sdg"),
    *cases("tracking.indicator.manage", allow=SECRETARIAT, label="new"),
    *_both(
        "tracking.indicator.import",
        own=GOVERNMENT,
        other=SECRETARIAT,
        obj_factory=_national_indicator,
        label="national",
    ),
    *cases("tracking.indicator.import", allow=SECRETARIAT, obj_factory=_sdg_indicator, label="sdg"),
    *_both(
        "tracking.health_policy.record", own=GOVERNMENT, other=SECRETARIAT, obj_factory=_country
    ),
    # The review cycle
    *cases("tracking.cycle.manage", allow=SECRETARIAT),
    *_both(
        "tracking.commitment.transition",
        own=EVERY_ROLE | {SUPERUSER},
        other=SECRETARIAT,
        obj_factory=_commitment,
    ),
    *_both("tracking.registration.create", own=PARTICIPANTS, other=set(), obj_factory=_org),
    *cases("tracking.registration.decide", allow=SECRETARIAT, obj_factory=_registration),
    *_both("tracking.submission.create", own=PARTICIPANTS, other=set(), obj_factory=_org),
    *_both(
        "tracking.submission.view",
        own=EVERYONE,
        other=EVERYONE,
        obj_factory=_submission("published"),
        label="published",
    ),
    *_both(
        "tracking.submission.view",
        own=EVERY_ROLE | {SUPERUSER},
        other=SECRETARIAT,
        obj_factory=_submission("submitted"),
        label="submitted",
    ),
    *cases("tracking.submission.publish", allow=SECRETARIAT, obj_factory=_submission("submitted")),
]
