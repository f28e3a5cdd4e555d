"""`manage.py backup --output DIR`: database dump, media files and a manifest (see ops/backup.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from steppe.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database and the media files into a new folder, with a manifest of checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="a new (or empty) folder")
        parser.add_argument("--database-url", help="another database than the site's")

    def handle(self, *args, output, database_url=None, verbosity=1, **options):
        def progress(message: str) -> None:
            if verbosity:
                self.stdout.write(message)

        try:
            result = backup(output, database_url=database_url, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Backup written to %(folder)s: %(tables)s tables (%(rows)s rows), %(files)s "
                    "media files, %(megabytes).1f MB."
                )
                % {
                    "folder": result.folder,
                    "tables": result.tables,
                    "rows": result.rows,
                    "files": result.files,
                    "megabytes": result.bytes / 1e6,
                }
            )
        )
