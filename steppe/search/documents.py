"""From articles and documents to what the index stores (`IndexItem`), and its tokens.

Fields and weights: the *title* tier is the title; the *head* tier adds the lead (articles), or the
subtitle, chapter titles, organisation and authors (documents), and the author's name; the *body* is
the article's text, or the document's presentation and the extracted text of its current PDF
(`Document.text_content`, its first `ATTACHMENT_TEXT_LIMIT` characters).
"""

import hashlib
import html
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import FieldDoesNotExist
from django.db.models.functions import Substr
from django.utils import timezone

from steppe.core.models import PublicationStatus

from .analysis import _WORD, add_tokens, fold_cached
from .models import KEY_SHIFT, SearchEntry

if TYPE_CHECKING:
    from steppe.accounts.models import User

MAX_TEXT_LENGTH = 100_000  # characters of body text indexed and kept for snippets
# Characters of a library document's PDF text that are indexed (body tier): a 300-page report is
# ~1 MB of text; its first 200,000 characters hold the summary, the introduction and the first
# chapters, and keep one document's token list (and its analysis) bounded.
ATTACHMENT_TEXT_LIMIT = 200_000
VOCABULARY_MIN_LENGTH = 3
KEYWORDS = 12  # an item's most frequent terms, kept for "related items"

_TAG = re.compile(r"<[^>]*>")


def base_key(item_type: str, object_id: int, published_at: datetime) -> int:
    """An item's wanted entry key: publication second << KEY_SHIFT plus a disambiguator."""
    seconds = int(published_at.timestamp())
    bit = 1 if item_type == SearchEntry.ItemType.DOCUMENT else 0
    return (seconds << KEY_SHIFT) + ((object_id * 2 + bit) % (1 << KEY_SHIFT))


def html_to_text(value: str) -> str:
    """Plain text of sanitised HTML, on one line (snippets and the index need no more)."""
    return " ".join(html.unescape(_TAG.sub(" ", value or "")).split())


@dataclass
class IndexItem:
    item_type: str
    object_id: int
    slug: str
    title: str
    summary: str
    head_extra: list[str]
    text: str
    author_name: str
    published_at: datetime
    document_date: date | None
    kind: str
    language: str
    year: int
    author_kind: str
    author_id: int | None
    country_ids: list[int] = field(default_factory=list)
    theme_ids: list[int] = field(default_factory=list)
    attachment_text: str = ""  # a document's PDF text: body tier (and snippets, after the body)

    def stored_text(self) -> str:
        """The text kept in `SearchEntry.text` for snippets: the body, then the PDF text."""
        if not self.attachment_text:
            return self.text
        return f"{self.text}\n\n{self.attachment_text}"[:MAX_TEXT_LENGTH].strip()

    @property
    def identity(self) -> tuple[str, int]:
        return (self.item_type, self.object_id)

    def base_key(self) -> int:
        return base_key(self.item_type, self.object_id, self.published_at)

    def facet_tokens(self) -> list[str]:
        tokens = [
            f"_k{self.kind}",
            f"_l{self.language}",
            f"_y{self.year}",
            f"_a{self.author_kind}",
        ]
        tokens += [f"_c{pk}" for pk in self.country_ids]
        tokens += [f"_t{pk}" for pk in self.theme_ids]
        return tokens

    def analyse(self) -> "ItemTokens":
        """Tokens of each tier, plus the title and summary stems and vocabulary, in one pass."""
        title: set[str] = set()
        head: set[str] = set()
        body: set[str] = set()
        head_terms: set[str] = set()
        counts: Counter = Counter()
        add_tokens([self.title], self.language, title, head_terms, counts)
        add_tokens([self.summary], self.language, head, head_terms, counts)
        add_tokens(self.head_extra, self.language, head)
        add_tokens([self.text, self.attachment_text], self.language, body, counts=counts)
        return ItemTokens(
            title=title,
            head=head,
            body=body,
            facets=self.facet_tokens(),
            head_terms=sorted(head_terms),
            vocabulary=self.vocabulary(),
            keywords=keywords_of(counts),
        )

    def tokens(self) -> "ItemTokens":
        return self.analyse()

    def fingerprint(self) -> str:
        """A digest of everything indexed: an unchanged item is not written again."""
        fields = (
            self.slug,
            self.title,
            self.summary,
            self.head_extra,
            self.text,
            self.author_name,
            self.published_at,
            self.document_date,
            self.kind,
            self.language,
            self.year,
            self.author_kind,
            self.author_id,
            self.country_ids,
            self.theme_ids,
        )
        if self.attachment_text:
            fields += (self.attachment_text,)
        # str() and a separator rather than repr(): repr escapes and copies every text (a tenth of
        # the analysis time of an item); a fingerprint only has to change when a field does.
        text = "\x1f".join(map(str, fields))
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

    def vocabulary(self) -> dict[str, str]:
        """Folded word → spelling, for the words of the title, summary and head fields."""
        result: dict[str, str] = {}
        keep = result.setdefault  # a word's first spelling in the item
        if len(_vocabulary_words) > VOCABULARY_CACHE_LIMIT:
            _vocabulary_words.clear()
        get = _vocabulary_words.get
        for text in (self.title, self.summary, *self.head_extra):
            found = _WORD.findall(text)
            entries = list(map(get, found))
            if None in entries:  # words not seen yet
                entries = [
                    entry if entry is not None else _vocabulary_entry(word)
                    for entry, word in zip(entries, found, strict=True)
                ]
            for entry in entries:
                if entry:
                    keep(*entry)
        return result


VOCABULARY_CACHE_LIMIT = 200_000
# Word → (folded word, spelling) for the vocabulary, or "" for a word it leaves out (too short, a
# number): each distinct word is folded once per process.
_vocabulary_words: dict[str, tuple[str, str] | str] = {}


def _vocabulary_entry(word: str) -> tuple[str, str] | str:
    entry: tuple[str, str] | str = ""
    if len(word) >= VOCABULARY_MIN_LENGTH and not word.isdigit():
        key = fold_cached(word)[:64]
        if len(key) >= VOCABULARY_MIN_LENGTH:
            entry = (key, word.lower()[:64])
    _vocabulary_words[word] = entry
    return entry


@dataclass
class ItemTokens:
    title: set[str]
    head: set[str]
    body: set[str]
    facets: list[str]
    head_terms: list[str]
    vocabulary: dict[str, str]
    keywords: list[str] = field(default_factory=list)


def keywords_of(counts: Counter, limit: int = KEYWORDS) -> list[str]:
    """The terms an item uses most (title, summary, body), most frequent first.

    Ties go to the longer term (a longer stem is usually a more specific word), then alphabetical
    order, so that the same text always gives the same list. Numbers and two-letter terms are left
    out. How specific a term is across the corpus is judged later, among the related candidates.
    """
    items = counts.items()
    if len(counts) > 4 * limit:
        # Only terms at least as frequent as the 2 × limit-th one can make the list (half of them
        # may be numbers or short words): far fewer to sort than an item's few hundred terms.
        floor = sorted(counts.values(), reverse=True)[2 * limit - 1]
        items = [(term, count) for term, count in items if count >= floor]
    candidates = [
        (-count, -len(term), term) for term, count in items if len(term) > 2 and not term.isdigit()
    ]
    if len(candidates) < limit and len(items) < len(counts):  # too many were left out: all of them
        return keywords_of_all(counts, limit)
    candidates.sort()
    return [term for _count, _length, term in candidates[:limit]]


def keywords_of_all(counts: Counter, limit: int) -> list[str]:
    candidates = sorted(
        (-count, -len(term), term)
        for term, count in counts.items()
        if len(term) > 2 and not term.isdigit()
    )
    return [term for _count, _length, term in candidates[:limit]]


def _local_year(moment: datetime) -> int:
    return timezone.localtime(moment).year


def _relations(through, owner: str, target: str, pks: Sequence[int]) -> dict[int, list[int]]:
    result: dict[int, list[int]] = defaultdict(list)
    rows = through.objects.filter(**{f"{owner}__in": pks}).values_list(owner, target)
    for owner_id, target_id in rows.order_by(owner, target):
        result[owner_id].append(target_id)
    return result


def _users(ids: set[int]) -> dict[int, "User"]:
    from steppe.accounts.models import User

    fields = ("id", "username", "display_name", "first_name", "last_name", "kind")
    return User.objects.only(*fields).in_bulk(ids)


def article_items(pks: Sequence[int]) -> list[IndexItem]:
    """What the index keeps of these articles, if published; four queries whatever their number.

    Plain values rather than model instances: a reindex reads 100,000 of them.
    """
    from steppe.publishing.models import Article

    rows = list(
        Article.objects.filter(pk__in=pks, status=PublicationStatus.PUBLISHED).values_list(
            "pk",
            "slug",
            "title",
            "lead",
            "body_html",
            "language",
            "kind",
            "published_at",
            "byline",
            "author_id",
        )
    )
    if not rows:
        return []
    found = [row[0] for row in rows]
    authors = _users({row[-1] for row in rows})
    countries = _relations(Article.countries.through, "article_id", "country_id", found)
    themes = _relations(Article.themes.through, "article_id", "theme_id", found)
    items = []
    for pk, slug, title, lead, body_html, language, kind, published_at, byline, author_id in rows:
        author = authors[author_id]
        signature = byline or author.public_name
        items.append(
            IndexItem(
                item_type=SearchEntry.ItemType.ARTICLE,
                object_id=pk,
                slug=slug,
                title=title,
                summary=lead,
                head_extra=[signature],
                text=html_to_text(body_html)[:MAX_TEXT_LENGTH],
                author_name=signature,
                published_at=published_at,
                document_date=None,
                kind=kind,
                language=language,
                year=_local_year(published_at),
                author_kind=author.kind,
                author_id=author_id,
                country_ids=countries.get(pk, []),
                theme_ids=themes.get(pk, []),
            )
        )
    return items


def _has_text_content(model) -> bool:
    """Whether the library's `Document.text_content` (the PDF's extracted text) exists yet."""
    try:
        model._meta.get_field("text_content")
    except FieldDoesNotExist:
        return False
    return True


def document_items(pks: Sequence[int]) -> list[IndexItem]:
    """What the index keeps of these library documents, if published."""
    from steppe.library.models import Chapter, Document

    documents = Document.objects.filter(pk__in=pks, status=PublicationStatus.PUBLISHED)
    # The PDF text is cut in the database: a long report's text never travels whole.
    with_pdf_text = _has_text_content(Document)
    if with_pdf_text:
        documents = documents.annotate(pdf_text=Substr("text_content", 1, ATTACHMENT_TEXT_LIMIT))
    rows = list(
        documents.values_list(
            "pk",
            "slug",
            "title",
            "subtitle",
            "presentation_html",
            "language",
            "published_at",
            "published_on",
            "organisation",
            "authors",
            "contributor_id",
            *(["pdf_text"] if with_pdf_text else []),
        )
    )
    if not rows:
        return []
    found = [row[0] for row in rows]
    contributors = _users({row[10] for row in rows})
    countries = _relations(Document.countries.through, "document_id", "country_id", found)
    themes = _relations(Document.themes.through, "document_id", "theme_id", found)
    chapters: dict[int, list[str]] = defaultdict(list)
    chapter_rows = Chapter.objects.filter(document_id__in=found).order_by("document_id", "position")
    for document_id, title in chapter_rows.values_list("document_id", "title"):
        chapters[document_id].append(title)
    items = []
    for row in rows:
        pk, slug, title, subtitle, html_text, language, published_at, published_on = row[:8]
        organisation, authors, contributor_id = row[8:11]
        pdf_text = (row[11] or "") if with_pdf_text else ""
        contributor = contributors[contributor_id]
        items.append(
            IndexItem(
                item_type=SearchEntry.ItemType.DOCUMENT,
                object_id=pk,
                slug=slug,
                title=title,
                summary=subtitle,
                head_extra=[*chapters.get(pk, []), organisation, authors],
                text=html_to_text(html_text)[:MAX_TEXT_LENGTH],
                author_name=organisation or authors or contributor.public_name,
                published_at=published_at,
                document_date=published_on,
                kind="document",
                language=language,
                year=published_on.year if published_on else _local_year(published_at),
                author_kind=contributor.kind,
                author_id=contributor_id,
                country_ids=countries.get(pk, []),
                theme_ids=themes.get(pk, []),
                attachment_text=" ".join(pdf_text.split()),
            )
        )
    return items
