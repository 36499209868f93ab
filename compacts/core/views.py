from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "core/403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "core/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: they may be what failed.
    return HttpResponse(loader.get_template("core/500.html").render({}), status=500)


def audit_trail(request: HttpRequest, object_type: str = "", object_id: str = "") -> HttpResponse:
    """Staff browse the audit trail, all of it or one object's (``/audit/<app.model>/<id>/``)."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.paginator import Paginator
    from django.http import Http404

    from compacts.core.permissions import allowed
    from compacts.core.selectors import audit_list

    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if not allowed(request.user, "core.audit.view"):
        raise PermissionDenied
    records = audit_list(action_prefix=request.GET.get("action", "").strip()[:100])
    subject = None
    if object_type:
        app_label, _dot, model = object_type.partition(".")
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        if content_type is None:
            raise Http404
        records = records.filter(object_type=content_type, object_id=object_id)
        subject = f"{content_type.app_label}.{content_type.model} #{object_id}"
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_trail.html", {"page_obj": page, "subject": subject})


def figure_data(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """A figure as a file, ``/data/<slug>.<csv|xlsx|json>?<params>`` (compacts.core.figures).

    Unknown figures and unknown codes are a 404 page; parameters the figure refuses are a 400.
    """
    from django.http import Http404

    from compacts.core.exceptions import ApplicationError, NotFoundError
    from compacts.core.figures import figure_get
    from compacts.core.figures.exports import FORMATS, figure_csv, figure_json, figure_xlsx

    try:
        figure = figure_get(slug, request.GET.dict())
    except NotFoundError as error:
        raise Http404(error.message) from None
    except ApplicationError as error:
        return render(request, "core/figures/bad_request.html", {"error": error}, status=400)
    if fmt == "csv":
        body = figure_csv(figure)
    elif fmt == "xlsx":
        body = figure_xlsx(figure)
    else:
        import json

        from django.core.serializers.json import DjangoJSONEncoder

        body = json.dumps(figure_json(figure), ensure_ascii=False, cls=DjangoJSONEncoder).encode()
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slug}.{fmt}"'
    response["Content-Language"] = request.LANGUAGE_CODE
    return response
