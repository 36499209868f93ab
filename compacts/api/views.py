"""The person's own API tokens page (``/account/tokens/``): create, see, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compacts.api.selectors import api_token_get, api_token_list
from compacts.api.services import NAME_MAX_LENGTH, api_token_create, api_token_revoke
from compacts.core.exceptions import ApplicationError


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    context = {"tokens": api_token_list(user=request.user), "name_max_length": NAME_MAX_LENGTH}
    status = 200
    if request.method == "POST":
        name = request.POST.get("name", "")
        try:
            token, secret = api_token_create(user=request.user, name=name, actor=request.user)
        except ApplicationError as error:
            context.update(error=error.message, name=name)
            status = 400
        else:
            # Shown in this answer only; the database keeps its hash.
            context.update(new_token=token, secret=secret)
    return render(request, "api/token_list.html", context, status=status)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = api_token_get(user=request.user, token_id=token_id)
    if token is None:
        raise Http404
    api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return redirect("api-account:token-list")
