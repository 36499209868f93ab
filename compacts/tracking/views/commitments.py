"""Pages where the Network secretariat keeps the review cycle's records: Progress Declaration
commitments (track one, correct it, move it through its follow-up).

Thin, like ``editing.py``: forms parse, the services in ``services/cycle.py`` check permissions
and rules, write and audit. A refused form comes back with what was typed and the service's
message next to its field; nothing is stored.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compacts.core.exceptions import ApplicationError
from compacts.core.form_pages import forbid_or_show_refusal, form_page
from compacts.core.permissions import allowed
from compacts.tracking import forms, selectors
from compacts.tracking.models import Commitment
from compacts.tracking.permissions import record_relations
from compacts.tracking.services import cycle as cycle_services
from compacts.tracking.views.editing import _form_page, _get, _history
from compacts.tracking.workflows import commitment as commitment_workflow

MANAGE = "tracking.cycle.manage"


def _state_labels() -> dict[str, str]:
    return dict(commitment_workflow.CommitmentState.choices)


def commitment_moves(user, commitment: Commitment) -> list[tuple[str, str]]:
    """The next states the commitment's machine (``workflows/commitment.py``) lets ``user``
    choose, with their labels: the table's targets from the current state whose rule names one
    of the user's relations to the commitment."""
    machine, labels = commitment_workflow.MACHINE, _state_labels()
    relations = record_relations(user, commitment)
    return [
        (to, labels[to])
        for to in machine.targets(commitment.state)
        if machine.rule(commitment.state, to).relations & relations
    ]


def illegal_move_message(commitment: Commitment, to: str, moves: list[tuple[str, str]]) -> str:
    """What a refused move says: the states it was between, and the ones that are allowed."""
    labels = _state_labels()
    values = {
        "state": labels.get(commitment.state, commitment.state),
        "to": labels.get(to, to),
        "allowed": ", ".join(str(label) for _value, label in moves),
    }
    if moves:
        return (
            _(
                "A commitment that is “%(state)s” cannot become “%(to)s”. "
                "Allowed next statuses: %(allowed)s."
            )
            % values
        )
    return _("A commitment that is “%(state)s” cannot change status any more.") % values


def commitment_detail(request: HttpRequest, pk: int, *, move_form=None,
                      status: int = 200) -> HttpResponse:  # fmt: skip
    """A tracked commitment (public, like the review cycle page); its history; the edit link for
    the secretariat and the status control for whoever may move it."""
    commitment = _get(selectors.commitment_get, pk=pk)
    moves = commitment_moves(request.user, commitment)
    return render(
        request,
        "tracking/commitment_detail.html",
        {
            "commitment": commitment,
            "moves": moves,
            "move_form": move_form or (forms.CommitmentMoveForm(moves=moves) if moves else None),
            "can_manage": allowed(request.user, MANAGE, commitment),
            "history": _history(commitment_workflow.MACHINE, commitment),
        },
        status=status,
    )


@login_required
@require_POST
def commitment_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a commitment to the chosen next status. A move the machine lacks (or one this person
    may not choose) is refused with the allowed statuses listed; nothing changes."""
    commitment = _get(selectors.commitment_get, pk=pk)
    moves = commitment_moves(request.user, commitment)
    form = forms.CommitmentMoveForm(request.POST, moves=moves)

    def refused(form, error: ApplicationError) -> None:
        if error.status == 403:
            raise PermissionDenied from error
        if error.extra.get("field") == "note":
            form.add_error("note", error.message)
        elif "allowed" in error.extra:
            form.add_error("to", illegal_move_message(commitment, form.cleaned_data["to"], moves))
        else:  # a failed guard: the machine's own message
            form.add_error("to", error.message)

    return form_page(
        request,
        form,
        save=lambda data: cycle_services.commitment_transition(
            commitment=commitment, to=data["to"], note=data["note"], actor=request.user
        ),
        message=lambda moved: (
            _("The status is now: %(state)s.") % {"state": moved.get_state_display()}
        ),
        success=reverse("tracking:commitment-detail", args=[commitment.pk]),
        render=lambda status: commitment_detail(
            request, commitment.pk, move_form=form, status=status
        ),
        refused=refused,
    )


def _commitment_values(data: dict) -> dict:
    return {
        "paragraph": data["paragraph"], "title": data["title"], "text": data["text"],
        "owner": data["owner"], "owner_label": data["owner_label"], "due_on": data["due_on"],
        "source_note": data["source_note"],
    }  # fmt: skip


@login_required
def commitment_create(request: HttpRequest) -> HttpResponse:
    """Track a commitment of a Progress Declaration (the secretariat)."""
    if not allowed(request.user, MANAGE, None):
        raise PermissionDenied
    form = forms.CommitmentForm(request.POST or None)
    return _form_page(
        request,
        form,
        save=lambda data: cycle_services.commitment_create(
            edition=data["edition"], actor=request.user, **_commitment_values(data)
        ),
        message=_("The commitment is tracked."),
        success=lambda commitment: redirect("tracking:commitment-detail", pk=commitment.pk),
        refused=forbid_or_show_refusal,
        title=_("Track a Progress Declaration commitment"),
        intro=_(
            "A paragraph of a Progress Declaration followed up as an item with an owner and a "
            "status. It starts as open; work on it starts once it has an owner."
        ),
        submit=_("Save"),
    )


@login_required
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a tracked commitment, its forum and its owner (the secretariat); its status does
    not change here."""
    commitment = _get(selectors.commitment_get, pk=pk)
    if not allowed(request.user, MANAGE, commitment):
        raise PermissionDenied
    initial = {
        "edition": commitment.edition, "paragraph": commitment.paragraph,
        "title": commitment.title, "text": commitment.text,
        "owner": commitment.owner, "owner_label": commitment.owner_label,
        "due_on": commitment.due_on, "source_note": commitment.source_note,
    }  # fmt: skip
    form = forms.CommitmentForm(request.POST or None, initial=initial, editing=True)
    return _form_page(
        request,
        form,
        save=lambda data: cycle_services.commitment_update(
            commitment=commitment,
            edition=data["edition"],
            actor=request.user,
            **_commitment_values(data),
        ),
        message=_("Your changes are saved."),
        success=reverse("tracking:commitment-detail", args=[commitment.pk]),
        refused=forbid_or_show_refusal,
        title=_("Edit commitment: paragraph %(paragraph)s") % {"paragraph": commitment.paragraph},
        intro=_(
            "Correct what the commitment says, the forum it belongs to and who owns it. Its "
            "status changes on the commitment's page, through the allowed next statuses."
        ),
        submit=_("Save changes"),
    )
