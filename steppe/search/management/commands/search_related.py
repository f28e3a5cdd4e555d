"""Work out and store the related items of indexed items (search/related.py)."""

import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tqdm import tqdm

from steppe.search.related import related_backfill, related_pending


class Command(BaseCommand):
    help = (
        "Store the related items of the indexed items that have none yet and, with --older-than, "
        "refresh those computed longest ago (nightly)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--older-than",
            type=float,
            metavar="DAYS",
            help="Also refresh the lists computed more than DAYS days ago, oldest first.",
        )
        parser.add_argument(
            "--limit", type=int, help="Stop after this many items (for a nightly time budget)."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help="Forked processes (default 0: all in this one; more than the cores buys nothing).",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show a progress bar."
        )

    def handle(self, *args, **options) -> None:
        if options["limit"] is not None and options["limit"] < 0:
            raise CommandError("--limit must be positive.")
        older_than = None
        if options["older_than"] is not None:
            older_than = timezone.now() - timedelta(days=options["older_than"])
        pending = related_pending(older_than=older_than)
        if options["limit"] is not None:
            pending = pending[: options["limit"]]
        started = time.perf_counter()
        with tqdm(
            total=len(pending),
            unit="item",
            desc="Related items",
            disable=options["no_progress"],
            file=self.stderr._out,
        ) as bar:
            done = related_backfill(pending, progress=bar.update, workers=options["workers"])
        elapsed = time.perf_counter() - started
        rate = done / elapsed if elapsed else 0.0
        self.stdout.write(
            f"Related items stored for {done} items in {elapsed:.1f} s ({rate:.0f}/s)."
        )
