"""What the search index stores, on both engines.

`SearchEntry` is an ordinary table: one row per published article or document, with what a result line
shows (so a page of results is one query) and the facet values. The engine's own index sits beside it,
created by migration 0002 for the database in use: the FTS5 table `search_fts` on SQLite, the table
`search_pg` of tsvectors with GIN indexes on PostgreSQL. Both are keyed by `SearchEntry.id`.

`SearchEntry.id` is a *sort key*, not a counter: the publication time in seconds, shifted left by
20 bits, plus a small disambiguator. Newest-first order is therefore primary-key order, which FTS5 can
walk backwards and stop after a page (see docs/SEARCH.md).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

KEY_SHIFT = 20


def key_for(moment) -> int:
    """The largest entry key published at or before `moment` (a datetime)."""
    return ((int(moment.timestamp()) + 1) << KEY_SHIFT) - 1


class SearchEntry(models.Model):
    class ItemType(models.TextChoices):
        ARTICLE = "article", _("Article")
        DOCUMENT = "document", _("Document")

    id = models.BigIntegerField(primary_key=True)
    item_type = models.CharField(max_length=10, choices=ItemType)
    object_id = models.BigIntegerField()
    slug = models.CharField(max_length=255)
    title = models.CharField(max_length=500)
    summary = models.TextField(blank=True)  # an article's lead, a document's subtitle
    text = models.TextField(blank=True)  # plain text of the body or presentation, for snippets
    author_name = models.CharField(max_length=255, blank=True)
    published_at = models.DateTimeField()
    document_date = models.DateField(null=True, blank=True)
    # Facets.
    kind = models.CharField(max_length=20)  # an article kind, or "document"
    language = models.CharField(max_length=2)
    year = models.PositiveSmallIntegerField()
    author_kind = models.CharField(max_length=20)
    author_id = models.BigIntegerField(null=True)
    country_ids = models.CharField(max_length=500, blank=True)  # " 3 12 ", ids of taxonomy.Country
    theme_ids = models.CharField(max_length=200, blank=True)
    # Distinct stems of the title and summary, for "related items" and the suggestion vocabulary.
    head_terms = models.TextField(blank=True)
    # The item's most frequent terms (title, summary, body; documents' PDF text), for "related items".
    keywords = models.TextField(blank=True)
    vocabulary = models.TextField(blank=True)
    fingerprint = models.CharField(max_length=32, blank=True)  # of what was indexed

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(
                fields=["item_type", "object_id"], name="search_entry_unique_item"
            )
        ]
        indexes = [
            models.Index(fields=["author_id"], name="search_entry_author"),
            # Covers the facet counts: the rows themselves are wide (the text kept for snippets).
            models.Index(
                fields=[
                    "id",
                    "kind",
                    "year",
                    "language",
                    "author_kind",
                    "country_ids",
                    "theme_ids",
                ],
                name="search_entry_facets",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def countries(self) -> list[int]:
        return [int(value) for value in self.country_ids.split()]

    @property
    def themes(self) -> list[int]:
        return [int(value) for value in self.theme_ids.split()]


class SearchWord(models.Model):
    """The vocabulary of titles and summaries, for "did you mean" suggestions.

    `word` is folded (lower case, no accents) and unique; `display` is how it was first written.
    Counts are kept up to date by the indexer; a trigram index finds close spellings (pg_trgm on
    PostgreSQL, the FTS5 table `search_word_trigram` on SQLite).
    """

    word = models.CharField(max_length=64, unique=True)
    display = models.CharField(max_length=64)
    doc_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self) -> str:
        return self.display


class RelatedItems(models.Model):
    """The items related to one published item, worked out in the background (search/related.py).

    Keyed by the item, not by its entry, so that a reindex (which writes the entries again) keeps
    them; the page reads the first few that are still in the index, with one query.
    """

    item_type = models.CharField(max_length=10, choices=SearchEntry.ItemType)
    object_id = models.BigIntegerField()
    # Best first, e.g. "a812 d77 a90": the item type's initial and its id (RELATED_STORED at most).
    related = models.CharField(max_length=400, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("related items")
        verbose_name_plural = _("related items")
        constraints = [
            models.UniqueConstraint(
                fields=["item_type", "object_id"], name="search_related_unique_item"
            )
        ]
        indexes = [models.Index(fields=["computed_at"], name="search_related_computed")]

    def __str__(self) -> str:
        return f"{self.item_type} {self.object_id}"
