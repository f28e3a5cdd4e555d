"""Rebuild the search index from every published article and document."""

import time

from django.core.management.base import BaseCommand

from tqdm import tqdm

from steppe.search.services import search_reindex, search_reindex_count


class Command(BaseCommand):
    help = "Rebuild the search index from every published article and document."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show a progress bar."
        )

    def handle(self, *args, **options) -> None:
        total = search_reindex_count()
        started = time.perf_counter()
        with tqdm(
            total=total,
            unit="item",
            desc="Indexing",
            disable=options["no_progress"],
            file=self.stderr._out,
        ) as bar:
            done = search_reindex(progress=bar.update)
        elapsed = time.perf_counter() - started
        rate = done / elapsed if elapsed else 0.0
        self.stdout.write(f"Indexed {done} items in {elapsed:.1f} s ({rate:.0f} items/s).")
