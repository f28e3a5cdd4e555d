"""`manage.py restore DIR [--force]`: load a backup made by `manage.py backup` and check it."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from steppe.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup (database and media files); refuses to replace data without --force."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder written by manage.py backup")
        parser.add_argument(
            "--force", action="store_true", help="replace the database and files that are there"
        )
        parser.add_argument("--database-url", help="another database than the site's")

    def handle(self, *args, folder, force=False, database_url=None, verbosity=1, **options):
        def progress(message: str) -> None:
            if verbosity:
                self.stdout.write(message)

        try:
            result = restore(folder, force=force, database_url=database_url, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if result.mismatches:
            raise CommandError(
                _("The restored site differs from the backup: %(items)s.")
                % {"items": ", ".join(result.mismatches[:20])}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored and checked: %(tables)s tables (%(rows)s rows) and %(files)s media "
                    "files identical to the backup."
                )
                % {"tables": result.tables, "rows": result.rows, "files": result.files}
            )
        )
        if result.migrations_to_apply:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "The code has newer migrations than the backup: run manage.py migrate (%(names)s)."
                    )
                    % {"names": ", ".join(result.migrations_to_apply[:10])}
                )
            )
        if result.migrations_missing_in_code:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "The backup was made with newer code (migrations unknown here: %(names)s): "
                        "deploy that version before using the site."
                    )
                    % {"names": ", ".join(result.migrations_missing_in_code[:10])}
                )
            )
