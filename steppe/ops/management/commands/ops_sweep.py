"""`manage.py ops_sweep`: re-queue what dead workers left behind and send e-mail that is due.

Run it every few minutes next to the workers (a systemd timer or cron): it is safe to run at any time
and from several machines at once.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from steppe.ops import conf
from steppe.ops.services import email_retry_due, stale_release


class Command(BaseCommand):
    help = "Re-queue tasks left RUNNING by a dead worker and send the e-mail whose retry is due."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-after",
            type=int,
            default=None,
            help="seconds after which a RUNNING task is an orphan (default: STEPPE_TASK_STALE_SECONDS)",
        )
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="also try again the e-mail given up after the last attempt",
        )

    def handle(self, *args, stale_after=None, retry_failed=False, **options):
        stale_after = conf.task_stale_seconds() if stale_after is None else stale_after
        released = stale_release(stale_seconds=stale_after)
        self.stdout.write(
            _(
                "%(tasks)s task(s) and %(emails)s e-mail(s) left by a stopped worker were queued again."
            )
            % released
        )
        sent = email_retry_due(include_failed=retry_failed)
        self.stdout.write(_("%(count)s e-mail(s) due were tried again.") % {"count": sent})
