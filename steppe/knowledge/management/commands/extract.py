"""Extract countries, entities and events from published items: `manage.py extract --all`."""

import logging
import time

from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from steppe.knowledge.extraction.ner import load_models
from steppe.knowledge.services import item_extract
from steppe.library.models import Document
from steppe.publishing.models import Article

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Extract countries, people, organisations and dated events from published items."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--all", action="store_true", help="every published article and document"
        )
        parser.add_argument(
            "--article", type=int, action="append", default=[], help="an article id"
        )
        parser.add_argument(
            "--document", type=int, action="append", default=[], help="a document id"
        )
        parser.add_argument(
            "--force", action="store_true", help="redo items whose text has not changed"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options) -> None:
        if not (options["all"] or options["article"] or options["document"]):
            raise CommandError("Give --all, --article ID or --document ID.")
        articles = Article.objects.all()
        documents = Document.objects.prefetch_related("chapters")
        if options["all"]:
            articles, documents = articles.published(), documents.published()
        else:
            articles = articles.filter(pk__in=options["article"])
            documents = documents.filter(pk__in=options["document"])
        items = [*articles.order_by("pk"), *documents.order_by("pk")]
        started = time.monotonic()
        load_models("fr")
        self.stdout.write(f"Models loaded in {time.monotonic() - started:.1f} s.")
        started = time.monotonic()
        failed = 0
        for item in tqdm(items, unit="item", disable=options["no_progress"], file=self.stderr):
            try:
                item_extract(item=item, force=options["force"])
            except Exception:
                failed += 1
                self.stderr.write(f"{item._meta.model_name} {item.pk}: extraction failed")
                logger.exception("extraction of %s %s failed", item._meta.model_name, item.pk)
        elapsed = time.monotonic() - started
        rate = len(items) / elapsed if elapsed else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(items) - failed} items extracted, {failed} failed, {rate:.1f} items/s."
            )
        )
