"""manage.py import_content PATH…: import the demo corpus or pages saved from other platforms."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tqdm import tqdm

from steppe.ingest.services import collect_files, content_import

# Below this many files, a progress bar is only noise.
PROGRESS_MIN_FILES = 20


class Command(BaseCommand):
    help = "Import Steppe demo files and plain-text pages (library documents, listings, articles)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="Files or folders to import.")
        parser.add_argument(
            "--owner",
            help="Username that owns drafts imported from other platforms (default: the 'import' account).",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show a progress bar."
        )

    def handle(
        self, *args, paths: list[Path], owner: str | None, no_progress: bool, **options
    ) -> None:
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise CommandError(_("Not found: %(paths)s") % {"paths": ", ".join(missing)})
        files = collect_files(paths)
        show = not no_progress and len(files) >= PROGRESS_MIN_FILES and options["verbosity"] > 0
        # tqdm needs the raw stream: Django's OutputWrapper adds a newline to every write.
        with tqdm(
            total=len(files), disable=not show, file=self.stderr._out, unit=_("file"), leave=True
        ) as bar:
            report = content_import(
                paths=paths, owner_username=owner, on_file=lambda _path: bar.update()
            )

        for warning in report.warnings:
            where = (
                _("%(path)s, line %(line)s") % {"path": warning.path, "line": warning.line}
                if warning.line
                else str(warning.path)
            )
            self.stderr.write(
                self.style.WARNING(
                    _("Warning: %(where)s: %(message)s")
                    % {"where": where, "message": warning.message}
                )
            )
        for error in report.errors:
            where = (
                _("%(path)s, line %(line)s") % {"path": error.path, "line": error.line}
                if error.line
                else str(error.path)
            )
            self.stderr.write(
                self.style.ERROR(
                    _("Error: %(where)s: %(reason)s — nothing of this file was imported.")
                    % {"where": where, "reason": error.reason}
                )
            )

        self.stdout.write(
            _(
                "%(files)s imported, %(created)s created, %(updated)s updated, %(unchanged)s unchanged."
            )
            % {
                "files": ngettext("%(count)s file", "%(count)s files", report.files_imported)
                % {"count": report.files_imported},
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            }
        )
        if report.errors:
            raise CommandError(
                ngettext(
                    "%(count)s file could not be imported.",
                    "%(count)s files could not be imported.",
                    len(report.errors),
                )
                % {"count": len(report.errors)}
            )
