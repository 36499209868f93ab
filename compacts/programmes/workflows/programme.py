"""The programme cycle of the Migration MPTF, as one state machine (facts.md §3.3).

A record starts as a concept note (``draft``), is screened by the Management Unit, reviewed and
endorsed into the pipeline by the Steering Committee, invited to a full joint programme document,
technically reviewed, approved, funded in tranches (``active``; budget revisions and no-cost
extensions are events inside ``active``, not states) and closed, first operationally and then
financially. The sequence beyond the pipeline is marked "plausible" in facts.md: it is data here,
so it can change without touching the service.

Roles are the role codes of ``compacts.actors.roles``. Object-level limits (a submitter or focal
point acts only on the programmes of her own organisation) are applied by
``programmes.permissions``. Committee outcomes (endorsed, not endorsed, approved) are guarded by a
recorded Committee decision: the Management Unit or the chair records the decision at a meeting,
and the decision service makes the move.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.actors import roles
from compacts.programmes.workflows import Machine, rule


class State(models.TextChoices):
    DRAFT = "draft", _("Draft concept note")
    SUBMITTED = "submitted", _("Submitted for screening")
    REVISION_REQUESTED = "revision-requested", _("Revision requested")
    INELIGIBLE = "ineligible", _("Ineligible")
    ELIGIBLE = "eligible", _("Eligible")
    COMMITTEE_REVIEW = "committee-review", _("Steering Committee review")
    NOT_ENDORSED = "not-endorsed", _("Not endorsed")
    ENDORSED = "endorsed", _("Endorsed into the pipeline")
    INVITED = "invited", _("Invited to a full proposal")
    DOCUMENT_SUBMITTED = "document-submitted", _("Joint programme document submitted")
    TECHNICAL_REVIEW = "technical-review", _("Technical review")
    APPROVED = "approved", _("Approved")
    ACTIVE = "active", _("Active")
    OPERATIONALLY_CLOSED = "operationally-closed", _("Operationally closed")
    FINANCIALLY_CLOSED = "financially-closed", _("Financially closed")


INITIAL = State.DRAFT
# States in which the record is still a concept note (before the full proposal).
CONCEPT_NOTE_STATES = frozenset(
    {
        State.DRAFT,
        State.SUBMITTED,
        State.REVISION_REQUESTED,
        State.INELIGIBLE,
        State.ELIGIBLE,
        State.COMMITTEE_REVIEW,
        State.NOT_ENDORSED,
    }
)
# States in which the submitters may edit the concept note.
EDITABLE_STATES = frozenset({State.DRAFT, State.REVISION_REQUESTED})
# States in which the joint programme document (budget, work plan, risk log) may be edited.
DOCUMENT_EDITABLE_STATES = frozenset({State.INVITED, State.ACTIVE})
FUNDED_STATES = frozenset(
    {State.APPROVED, State.ACTIVE, State.OPERATIONALLY_CLOSED, State.FINANCIALLY_CLOSED}
)

SUBMITTERS = (roles.RCO_SUBMITTER, roles.PUNO_FOCAL_POINT)
MU = roles.MANAGEMENT_UNIT_OFFICER
CHAIR = roles.STEERING_COMMITTEE_CHAIR
AA = roles.ADMINISTRATIVE_AGENT


# --- Guards: each returns why the move is not possible yet, or None ---------------------------


def concept_note_complete(programme) -> str | None:
    from compacts.programmes.selectors import concept_note_missing_fields

    missing = concept_note_missing_fields(programme=programme)
    if missing:
        return str(_("The concept note is incomplete: %(fields)s.")) % {
            "fields": ", ".join(str(label) for label in missing.values())
        }
    return None


def _decided(programme, outcomes: set[str]) -> bool:
    from compacts.programmes.models import Decision

    latest = (
        Decision.objects.filter(agenda_item__programme=programme)
        .order_by("-recorded_at", "-pk")
        .first()
    )
    return latest is not None and latest.outcome in outcomes


def committee_endorsed(programme) -> str | None:
    if not _decided(programme, {"endorse"}):
        return str(_("The Steering Committee has not decided to endorse it at a meeting."))
    return None


def committee_not_endorsed(programme) -> str | None:
    if not _decided(programme, {"not-endorse"}):
        return str(_("The Steering Committee has not decided against it at a meeting."))
    return None


def funds_available(programme) -> str | None:
    from compacts.fund.selectors import fund_cash_available

    available = fund_cash_available(fund=programme.fund)
    if programme.indicative_budget is None or available < programme.indicative_budget:
        return str(
            _("The fund holds %(available)s, less than the indicative budget of %(budget)s.")
        ) % {"available": available, "budget": programme.indicative_budget}
    return None


def document_complete(programme) -> str | None:
    from compacts.programmes.selectors import document_problems

    problems = document_problems(programme=programme)
    if problems:
        return str(_("The joint programme document is incomplete: %(problems)s")) % {
            "problems": " ".join(str(p) for p in problems)
        }
    return None


def reviewed_and_approved(programme) -> str | None:
    if not programme.technical_reviews.filter(submitted_at__isnull=False).exists():
        return str(_("No technical review has been submitted."))
    if not _decided(programme, {"approve", "approve-with-conditions"}):
        return str(_("The Steering Committee has not approved it at a meeting."))
    return None


def first_tranche_transferred(programme) -> str | None:
    if not programme.tranches.filter(posting__isnull=False).exists():
        return str(_("No tranche has been transferred yet."))
    return None


def final_narrative_accepted(programme) -> str | None:
    if programme.final_narrative_accepted_on is None:
        return str(_("The final narrative report has not been accepted."))
    return None


def final_financial_accepted(programme) -> str | None:
    if programme.final_financial_accepted_on is None:
        return str(_("The final financial report has not been accepted."))
    return None


MACHINE = Machine(
    name="programme",
    states=State,
    initial=INITIAL,
    terminal=frozenset({State.INELIGIBLE, State.NOT_ENDORSED, State.FINANCIALLY_CLOSED}),
    transitions={
        (State.DRAFT, State.SUBMITTED): rule(*SUBMITTERS, guard=concept_note_complete),
        # Screening by the Management Unit against the eligibility checklist.
        (State.SUBMITTED, State.ELIGIBLE): rule(MU),
        (State.SUBMITTED, State.INELIGIBLE): rule(MU, note_required=True),
        (State.SUBMITTED, State.REVISION_REQUESTED): rule(MU, note_required=True),
        (State.REVISION_REQUESTED, State.SUBMITTED): rule(*SUBMITTERS, guard=concept_note_complete),
        # The Steering Committee.
        (State.ELIGIBLE, State.COMMITTEE_REVIEW): rule(MU),
        (State.COMMITTEE_REVIEW, State.ENDORSED): rule(MU, CHAIR, guard=committee_endorsed),
        (State.COMMITTEE_REVIEW, State.NOT_ENDORSED): rule(
            MU, CHAIR, guard=committee_not_endorsed, note_required=True
        ),
        # From the pipeline to a full proposal, when the fund holds the money.
        (State.ENDORSED, State.INVITED): rule(MU, guard=funds_available),
        (State.INVITED, State.DOCUMENT_SUBMITTED): rule(*SUBMITTERS, guard=document_complete),
        (State.DOCUMENT_SUBMITTED, State.TECHNICAL_REVIEW): rule(MU),
        (State.TECHNICAL_REVIEW, State.INVITED): rule(MU, note_required=True),
        (State.TECHNICAL_REVIEW, State.APPROVED): rule(MU, CHAIR, guard=reviewed_and_approved),
        # Money and closure.
        (State.APPROVED, State.ACTIVE): rule(MU, AA, guard=first_tranche_transferred),
        (State.ACTIVE, State.OPERATIONALLY_CLOSED): rule(MU, guard=final_narrative_accepted),
        (State.OPERATIONALLY_CLOSED, State.FINANCIALLY_CLOSED): rule(
            AA, MU, guard=final_financial_accepted
        ),
    },
)
