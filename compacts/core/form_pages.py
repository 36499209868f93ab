"""The form page: a form that calls a service, in one place for every app's views.

A page that edits something does the same five things: bind the form to the POST, validate it,
call a service with what it cleaned, show the service's refusal (``ApplicationError``) next to the
field it names with everything the person typed kept, or else say it is done and redirect. The
page comes back with status 400 after a POST that saved nothing, 200 otherwise (a GET)::

    form = forms.ImrfEditionForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.imrf_edition_create(data=..., actor=request.user),
        message=_("The reference data is saved."),
        success="tracking:reference-rows",
        render=lambda status: render(request, "tracking/reference_form.html", {...}, status=status),
    )

The view keeps what differs: how the form is built, the permission check before it, the
template and its context.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from compacts.core.exceptions import ApplicationError


def show_refusal(form: BaseForm, error: ApplicationError) -> None:
    """Put a service's refusal on the field it names (``extra["field"]``, else each field of
    ``extra["missing"]``), or above the form when it names none of the form's fields."""
    extra = error.extra or {}
    names = [extra["field"]] if extra.get("field") else list(extra.get("missing") or [])
    placed = [name for name in names if name in form.fields]
    for name in placed:
        form.add_error(name, error.message)
    if not placed:
        form.add_error(None, error.message)


def forbid_or_show_refusal(form: BaseForm, error: ApplicationError) -> None:
    """A refused permission (status 403) is the 403 page; any other refusal goes on the form
    (``show_refusal``)."""
    if error.status == 403:
        raise PermissionDenied from error
    show_refusal(form, error)


def form_page[T](
    request: HttpRequest,
    form: BaseForm,
    *,
    save: Callable[[dict[str, Any]], T],
    message: str | Callable[[T], str],
    success: str | Callable[[T], HttpResponse],
    render: Callable[[int], HttpResponse],
    refused: Callable[[BaseForm, ApplicationError], None] = show_refusal,
) -> HttpResponse:
    """Answer a page with ``form``: on a POST with a valid form, ``save`` what it cleaned; then,
    unless that raised ``ApplicationError``, the success ``message`` and a redirect.

    - ``save(data)`` calls the service with ``data``, a copy of ``form.cleaned_data`` (it may
      change it), and returns what it saved (passed to ``message`` and ``success`` when they
      are callables, for a message or an address that names it).
    - ``message``: the success message, or a callable of the saved object giving it.
    - ``success``: where to go after saving, a URL name or a path (``redirect``), or a callable
      of the saved object returning the response.
    - ``render(status)``: the page with the form, status 200 for a GET and 400 after a POST
      that saved nothing.
    - ``refused(form, error)``: what a refusal does; by default ``show_refusal`` (the message on
      the form); ``forbid_or_show_refusal`` makes a refused permission the 403 page.
    """
    if request.method != "POST":
        return render(200)
    if form.is_valid():
        try:
            saved = save(dict(form.cleaned_data))
        except ApplicationError as error:
            refused(form, error)
        else:
            messages.success(request, message(saved) if callable(message) else message)
            return success(saved) if callable(success) else redirect(success)
    return render(400)
