"""Pages of the iati app: the published files (public) and the import page (staff)."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from compacts.core.exceptions import NotFoundError, PermissionDeniedError
from compacts.core.permissions import allowed
from compacts.iati import selectors
from compacts.iati.forms import ImportUploadForm
from compacts.iati.importer import import_run_create
from compacts.iati.services import publication_root


def _published(field: str) -> HttpResponse:
    run = selectors.published_run()
    path = Path(getattr(run, field)) if run is not None else None
    if path is None or not path.exists():
        raise Http404("The IATI files have not been generated yet.")
    response = FileResponse(open(path, "rb"), content_type="application/xml; charset=utf-8")  # noqa: SIM115
    response["Last-Modified"] = run.finished_at.strftime("%a, %d %b %Y %H:%M:%S GMT")
    response["Cache-Control"] = "public, max-age=300"
    return response


def activities_xml(request: HttpRequest) -> HttpResponse:
    """The fund's activity file, as the latest valid export wrote it."""
    _require(request, "iati.publication.view")
    return _published("activities_file")


def organisation_xml(request: HttpRequest) -> HttpResponse:
    _require(request, "iati.publication.view")
    return _published("organisation_file")


def registry_record_xml(request: HttpRequest) -> HttpResponse:
    """The IATI Registry's metadata record for the activity file."""
    _require(request, "iati.publication.view")
    return _published("registry_file")


def _require(request: HttpRequest, operation: str) -> None:
    if not allowed(request.user, operation):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """Staff upload an IATI file; the import runs in the background."""
    _require(request, "iati.import.run")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        folder = publication_root() / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{uuid.uuid4().hex}.xml"
        with open(target, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        run = import_run_create(path=target, file_name=Path(upload.name).name, actor=request.user)
        from compacts.iati.tasks import import_file

        transaction.on_commit(lambda: import_file.enqueue(run_id=run.pk))
        return redirect("iati:import-run", run_id=run.pk)
    runs = selectors.import_run_list(user=request.user)[:20]
    return render(request, "iati/import.html", {"form": form, "runs": runs})


def _run(request: HttpRequest, run_id: int):
    try:
        return selectors.import_run_get_for_user(user=request.user, run_id=run_id)
    except PermissionDeniedError as exc:
        raise PermissionDenied from exc
    except NotFoundError as exc:
        raise Http404(str(exc)) from exc


def import_run(request: HttpRequest, run_id: int) -> HttpResponse:
    """Progress and report of one import."""
    run = _run(request, run_id)
    return render(request, "iati/import_run.html", {"run": run})


def import_run_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    """The progress fragment that htmx polls while the import runs."""
    run = _run(request, run_id)
    return render(request, "iati/_progress.html", {"run": run})
