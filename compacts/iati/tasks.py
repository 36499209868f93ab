"""Background tasks of the iati app (Django's tasks API; the database worker runs them)."""

from django.tasks import task


@task()
def publication_refresh(*, reason: str) -> int:
    """Export, validate and (when valid) publish the IATI files; returns the run's id.

    The "refresh requested" mark is cleared first, so that a change made during the export
    enqueues the next refresh (see :mod:`compacts.iati.receivers`)."""
    from compacts.iati.receivers import publication_refresh_started
    from compacts.iati.services import iati_export

    publication_refresh_started()
    return iati_export(reason=reason).pk


@task()
def import_file(*, run_id: int) -> int:
    """Import the uploaded file of an import run; returns the run's id."""
    from compacts.iati.importer import import_run_execute

    return import_run_execute(run_id=run_id).pk
