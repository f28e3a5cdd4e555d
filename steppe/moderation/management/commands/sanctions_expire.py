from django.core.management.base import BaseCommand

from steppe.moderation.services import sanctions_expire


class Command(BaseCommand):
    help = "End the suspensions whose period is over and put the accounts' items back online."

    def handle(self, *args, **options):
        count = sanctions_expire()
        self.stdout.write(f"{count} suspension(s) ended.")
