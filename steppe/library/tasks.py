"""Background work of the library (Django's task API; queue "intake")."""

from django_tasks import task

from . import services


@task(queue_name="intake")
def document_version_intake_task(version_id: int) -> str:
    """Read an uploaded version: text, pages, language, thumbnail and outline chapters."""
    return services.document_version_intake(version_id=version_id)


@task()
def library_files_sweep_task() -> dict:
    """Remove files left by interrupted uploads and re-queue dropped intakes (run it hourly)."""
    report = services.library_files_sweep()
    return {
        "temporary_files": report.temporary_files,
        "stored_files": report.stored_files,
        "intakes_requeued": report.intakes_requeued,
    }
