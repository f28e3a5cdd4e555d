from django.core.management.base import BaseCommand

from steppe.core.models import PublicationStatus
from steppe.library.models import Document
from steppe.moderation.duplicates import fingerprint_store
from steppe.publishing.models import Article


class Command(BaseCommand):
    help = "Fingerprint every published and submitted item for near-duplicate detection."

    def handle(self, *args, **options):
        count = 0
        for model in (Article, Document):
            statuses = [PublicationStatus.PUBLISHED, PublicationStatus.SUBMITTED]
            for item in model.objects.filter(status__in=statuses).iterator(chunk_size=500):
                fingerprint_store(obj=item, is_published=item.status == PublicationStatus.PUBLISHED)
                count += 1
        self.stdout.write(f"{count} item(s) fingerprinted.")
