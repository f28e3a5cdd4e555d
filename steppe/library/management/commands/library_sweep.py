"""Remove what interrupted uploads left behind; re-queue intakes that a dead worker dropped."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from steppe.library.services import library_files_sweep


class Command(BaseCommand):
    help = (
        "Delete the library's stale temporary files and stored files no version refers to, "
        "and queue again the intake of versions stuck in pending or processing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            metavar="SECONDS",
            help="Only touch files and intakes older than this (default: "
            "STEPPE_LIBRARY_SWEEP_AFTER_SECONDS, one hour).",
        )

    def handle(self, *args, older_than: int | None, **options):
        report = library_files_sweep(
            older_than=timedelta(seconds=older_than) if older_than is not None else None
        )
        self.stdout.write(
            f"temporary files removed: {report.temporary_files}\n"
            f"stored files removed: {report.stored_files}\n"
            f"intakes queued again: {report.intakes_requeued}"
        )
