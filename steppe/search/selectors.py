"""Reads of the search index: the search page and related items."""

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from django.core.cache import cache
from django.db import connection
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from steppe.accounts.models import User
from steppe.core.models import Language
from steppe.core.urlcache import reverse_cached
from steppe.publishing.models import Article
from steppe.taxonomy.models import Country, Theme

from . import conf
from .backends import Criteria, get_search_backend
from .highlight import highlight, snippet
from .models import SearchEntry, key_for
from .query import All, Any, ParsedQuery, Token, parse_query
from .suggestions import closest_words

Sort = Literal["relevance", "date"]
TAXONOMY_CACHE_KEY = "search:taxonomy:v1"

# Facets: URL parameter, label, and the prefix of their index tokens.
FACETS = {
    "type": (_("Type"), "_k"),
    "pays": (_("Country"), "_c"),
    "theme": (_("Theme"), "_t"),
    "annee": (_("Year"), "_y"),
    "langue": (_("Language"), "_l"),
    "auteur": (_("Author"), "_a"),
}
KIND_LABELS = {**dict(Article.Kind.choices), "document": _("Library document")}
MAX_FILTER_VALUES = 10  # per facet, from the URL
FACET_COLUMNS = "kind, country_ids, theme_ids, year, language, author_kind"


_local_taxonomy: dict = {}
TAXONOMY_TTL = 60.0


def taxonomy_invalidate() -> None:
    _local_taxonomy.clear()
    cache.delete(TAXONOMY_CACHE_KEY)


def _taxonomy() -> dict:
    """Countries and themes by id, code and slug: kept in the process for a minute (every search
    needs them; the shared cache would unpickle them each time)."""
    now = time.monotonic()
    if _local_taxonomy.get("until", 0) > now:
        return _local_taxonomy["value"]
    value = cache.get(TAXONOMY_CACHE_KEY)
    if value is None:
        countries = list(Country.objects.all())
        themes = list(Theme.objects.all())
        value = {
            "country_by_code": {country.code.lower(): country for country in countries},
            "country_by_id": {country.pk: country for country in countries},
            "theme_by_slug": {theme.slug: theme for theme in themes},
            "theme_by_id": {theme.pk: theme for theme in themes},
        }
        cache.set(TAXONOMY_CACHE_KEY, value, 300)
    _local_taxonomy.update(value=value, until=now + TAXONOMY_TTL)
    return value


@dataclass
class Filters:
    """Chosen facet values, as they appear in the URL (`type=news&pays=kz`)."""

    values: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_querydict(cls, data) -> "Filters":
        values: dict[str, list[str]] = {}
        taxonomy = _taxonomy()
        valid = {
            "type": set(KIND_LABELS),
            "pays": set(taxonomy["country_by_code"]),
            "theme": set(taxonomy["theme_by_slug"]),
            "langue": set(Language.values),
            "auteur": set(User.Kind.values),
        }
        for name in FACETS:
            chosen = []
            for value in data.getlist(name)[: MAX_FILTER_VALUES * 2]:
                value = str(value).strip().lower()
                ok = (
                    value.isdigit() and len(value) == 4 if name == "annee" else value in valid[name]
                )
                if ok and value not in chosen:
                    chosen.append(value)
            if chosen:
                values[name] = chosen[:MAX_FILTER_VALUES]
        return cls(values)

    def tokens(self, name: str) -> list[str]:
        prefix = FACETS[name][1]
        taxonomy = _taxonomy()
        result = []
        for value in self.values.get(name, []):
            if name == "pays":
                value = str(taxonomy["country_by_code"][value].pk)
            elif name == "theme":
                value = str(taxonomy["theme_by_slug"][value].pk)
            result.append(f"{prefix}{value}")
        return result

    def node(self):
        groups = []
        for name in FACETS:
            tokens = self.tokens(name)
            if tokens:
                groups.append(
                    Any(tuple(Token(t) for t in tokens)) if len(tokens) > 1 else Token(tokens[0])
                )
        if not groups:
            return None
        return groups[0] if len(groups) == 1 else All(tuple(groups))

    def __bool__(self) -> bool:
        return bool(self.values)


@dataclass
class Hit:
    entry: SearchEntry
    title: SafeString
    snippet: SafeString | str
    url: str
    kind_label: str
    countries: list[Country]


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]


@dataclass
class SearchResults:
    query: ParsedQuery
    filters: Filters
    sort: Sort
    hits: list[Hit]
    total: int
    page_number: int
    has_next: bool
    facets: list[Facet]
    ranked_count: int  # how many matches were ranked (and counted in the facets)
    suggestion: str | None = None

    @property
    def has_previous(self) -> bool:
        return self.page_number > 1

    @property
    def previous_page_number(self) -> int:
        return self.page_number - 1

    @property
    def next_page_number(self) -> int:
        return self.page_number + 1

    @property
    def first_index(self) -> int:
        return (self.page_number - 1) * conf.page_size() + 1

    @property
    def total_is_capped(self) -> bool:
        """More matches than are counted: the page says "more than 10,000"."""
        return self.total > conf.count_limit()

    @property
    def count_limit(self) -> int:
        return conf.count_limit()

    @property
    def is_bounded(self) -> bool:
        """More matches than were ranked: facets count the best `ranked_count` only."""
        return self.total > self.ranked_count

    @property
    def searched(self) -> bool:
        return not self.query.is_empty or bool(self.filters)


def search_criteria(
    query: ParsedQuery, filters: Filters, *, now: datetime | None = None
) -> Criteria:
    return Criteria(
        positive=None if query.is_empty else query.positive(),
        negative=query.negative(),
        facets=filters.node(),
        max_key=key_for(now or timezone.now()),
    )


def search_run(
    *, text: str, filters: Filters | None = None, sort: Sort = "relevance", page: int = 1
) -> SearchResults:
    """Run a reader's search: one page of hits with snippets, the total, facets, a suggestion.

    Relevance pages and facet counts cover the first `STEPPE_SEARCH_RANKED_LIMIT` matches (1,000):
    past that, sort by date to page through everything.
    """
    filters = filters or Filters()
    query = parse_query(text)
    per_page = conf.page_size()
    limit = conf.ranked_limit()
    offset = (page - 1) * per_page
    criteria = search_criteria(query, filters)
    backend = get_search_backend()
    date_page = (offset, per_page + 1) if sort == "date" else None
    matches = backend.run(criteria, limit=limit, date_page=date_page)
    if sort == "date":
        page_keys = matches.by_date or []
    else:
        page_keys = [key for key, _tier in matches.ranked[offset : offset + per_page + 1]]
    has_next = len(page_keys) > per_page
    page_keys = page_keys[:per_page]
    hits = _hits(page_keys, query, tiers=dict(matches.ranked))
    facets = _facets([key for key, _tier in matches.ranked], filters)
    suggestion = None
    if matches.total == 0 and not query.is_empty:
        suggestion = _suggestion(query, backend)
    return SearchResults(
        query=query,
        filters=filters,
        sort=sort,
        hits=hits,
        total=matches.total,
        page_number=page,
        has_next=has_next,
        facets=facets,
        ranked_count=len(matches.ranked),
        suggestion=suggestion,
    )


def _entry_url(entry: SearchEntry) -> str:
    name = (
        "publishing:article_detail"
        if entry.item_type == SearchEntry.ItemType.ARTICLE
        else "library:document_detail"
    )
    try:
        return reverse_cached(name, slug=entry.slug)
    except NoReverseMatch:  # a slug the URL pattern refuses: list the item without a link
        return ""


def _hits(keys: list[int], query: ParsedQuery, tiers: dict[int, int] | None = None) -> list[Hit]:
    if not keys:
        return []
    entries = SearchEntry.objects.in_bulk(keys)
    terms = query.highlight_terms()
    return [_hit(entries[key], terms, (tiers or {}).get(key)) for key in keys if key in entries]


def _hit(entry: SearchEntry, terms: set[str], tier: int | None) -> Hit:
    # The whole query is in the title (tier 0): the summary says enough, no need to search the
    # body for a window. With no terms at all (related items), the summary's start is the snippet.
    if not terms:
        text = entry.summary[:240] or entry.text[:240]
    else:
        texts = [entry.summary] if tier == 0 else [entry.summary, entry.text]
        text = snippet(texts, terms, entry.language)
        if text is None:
            text = entry.summary[:240] or entry.text[:240]
    countries = _taxonomy()["country_by_id"]
    return Hit(
        entry=entry,
        title=highlight(entry.title, terms, entry.language),
        snippet=text,
        url=_entry_url(entry),
        kind_label=str(KIND_LABELS.get(entry.kind, entry.kind)),
        countries=[countries[pk] for pk in entry.countries if pk in countries],
    )


def _facets(keys: list[int], filters: Filters) -> list[Facet]:
    counts: dict[str, Counter] = {name: Counter() for name in FACETS}
    if keys:
        # Up to STEPPE_SEARCH_RANKED_LIMIT keys: written inline (they are integers the index
        # produced), which spares the ORM a thousand parameters.
        id_list = ",".join(str(int(key)) for key in keys)
        sql = f"SELECT {FACET_COLUMNS} FROM search_searchentry WHERE id IN ({id_list})"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql)
            rows = cursor.fetchall()
        if rows:
            kinds, country_ids, theme_ids, years, languages, author_kinds = zip(*rows, strict=True)
            counts["type"].update(kinds)
            counts["annee"].update(str(year) for year in years)
            counts["langue"].update(languages)
            counts["auteur"].update(author_kinds)
            counts["pays"].update(" ".join(country_ids).split())
            counts["theme"].update(" ".join(theme_ids).split())
    taxonomy = _taxonomy()
    language_labels = dict(Language.choices)
    author_labels = dict(User.Kind.choices)
    facets = []
    for name, (label, _prefix) in FACETS.items():
        chosen = set(filters.values.get(name, []))
        values: list[FacetValue] = []
        for raw, count in counts[name].items():
            if name == "pays":
                country = taxonomy["country_by_id"].get(int(raw))
                if country is None:
                    continue
                value, value_label = country.code.lower(), country.name
            elif name == "theme":
                theme = taxonomy["theme_by_id"].get(int(raw))
                if theme is None:
                    continue
                value, value_label = theme.slug, theme.name
            elif name == "type":
                value, value_label = raw, str(KIND_LABELS.get(raw, raw))
            elif name == "langue":
                value, value_label = raw, str(language_labels.get(raw, raw))
            elif name == "auteur":
                value, value_label = raw, str(author_labels.get(raw, raw))
            else:
                value, value_label = raw, raw
            values.append(FacetValue(value, value_label, count, value in chosen))
        # Chosen values stay visible (to be unchecked) even when the page counts none of them.
        for value in chosen - {v.value for v in values}:
            values.append(FacetValue(value, value, 0, True))
        if name == "annee":
            values.sort(key=lambda v: v.value, reverse=True)
        else:
            values.sort(key=lambda v: (-v.count, v.label))
        if values:
            facets.append(Facet(name=name, label=str(label), values=values))
    return facets


def _suggestion(query: ParsedQuery, backend) -> str | None:
    """The query with each unknown word replaced by the closest vocabulary word, if any changed."""
    from .analysis import fold, words

    words_out: list[str] = []
    changed = False
    for chunk in query.raw.split():
        replaced = []
        for word in words(chunk):
            if word is None:
                continue
            folded = fold(word)
            if len(folded) < 3 or _known(folded):
                replaced.append(word)
                continue
            closest = closest_words(backend, word, limit=1)
            if closest:
                replaced.append(closest[0][1])
                changed = True
            else:
                replaced.append(word)
        if replaced:
            words_out.append(" ".join(replaced))
    return " ".join(words_out) if changed else None


def _known(folded: str) -> bool:
    from .models import SearchWord

    return SearchWord.objects.filter(word=folded).exists()


def related_items(*, item_type: str, object_id: int, limit: int = 4) -> list[Hit]:
    """Published items close to this one (search/related.py: stored by the worker, read here)."""
    from .related import related_entries

    entries = related_entries(identity=(item_type, object_id), limit=limit)
    countries = _taxonomy()["country_by_id"]
    return [
        Hit(
            entry=entry,
            title=escape(entry.title),
            snippet=entry.summary[:240],
            url=_entry_url(entry),
            kind_label=str(KIND_LABELS.get(entry.kind, entry.kind)),
            countries=[countries[pk] for pk in entry.countries if pk in countries],
        )
        for entry in entries
    ]
